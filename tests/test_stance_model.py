"""The fine-tuned stance model on the tiny XLM-R encoder: the split forward, deterministic
fine-tuning, saving and loading, refusal of another encoder, damaged files, the command line."""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch

from claimx.classify.stance import StanceModelClassifier
from claimx.corpus import read_corpus
from claimx.encoders import TransformersEncoder
from claimx.errors import ConfigError, ModelError, ModelNotAvailableError
from claimx.stance.calibration import softmax
from claimx.stance.files import STANCE_JSON, STANCE_WEIGHTS, load_stance_model, save_stance_model
from claimx.stance.network import bottom_states, layer_blocks, run_blocks
from claimx.stance.train import FineTuneSettings, bottom_outputs, fine_tune, top_logits

from .test_head import _tsv

SETTINGS = FineTuneSettings(tuned_layers=1, epochs=2, folds=2, batch_size=8)


@pytest.fixture(scope="module")
def corpus_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("stance-corpus") / "tiny.tsv"
    path.write_text(_tsv(), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def rows(corpus_file):
    return read_corpus(corpus_file)


@pytest.fixture(scope="module")
def encoder(tiny_models):
    return TransformersEncoder(str(tiny_models["e5"]), device="cpu")


@pytest.fixture(scope="module")
def model(rows, encoder):
    return fine_tune(rows, encoder, settings=SETTINGS, seed=0)


def test_the_split_forward_is_the_models_own_forward(encoder):
    tokenizer, net, _ = encoder.torch_parts()
    batch = tokenizer(["query: Moscow signed a deal.", "query: Moskau verliert einen Hafen an der Küste."],
                      padding=True, return_tensors="pt")  # fmt: skip
    with torch.inference_mode():
        full = net(**batch).last_hidden_state
        for frozen in range(len(layer_blocks(net)) + 1):
            hidden = bottom_states(net, batch["input_ids"], batch["attention_mask"], frozen)
            hidden = run_blocks(layer_blocks(net)[frozen:], hidden, batch["attention_mask"], net.config)
            assert torch.allclose(hidden, full, atol=1e-5), frozen


def test_fine_tuning_is_deterministic_down_to_the_saved_bytes(rows, encoder, model, tmp_path):
    again = fine_tune(list(reversed(rows)), encoder, settings=SETTINGS, seed=0)
    assert again.weights_bytes() == model.weights_bytes()
    other_seed = fine_tune(rows, encoder, settings=SETTINGS, seed=1)
    assert other_seed.weights_sha256 != model.weights_sha256
    first, second = save_stance_model(model, tmp_path / "a"), save_stance_model(again, tmp_path / "b")
    for name in (STANCE_JSON, STANCE_WEIGHTS):
        assert (first / name).read_bytes() == (second / name).read_bytes()


def test_the_model_records_what_it_was_trained_on(model, rows, encoder):
    assert model.encoder == encoder.name and model.encoder_sha256 == encoder.weights_sha256()
    assert model.first_tuned_layer == 1 and model.deltas
    assert all(k.startswith("encoder.layer.1.") for k in model.deltas)
    assert model.row_counts["rows"] == len(rows) and model.cv_folds == 2
    assert {f.language for f in model.cv} == {"all", "de", "en"}
    assert model.settings["epochs"] == 2 and model.seed == 0
    assert set(model.calibration["all"]) == {"n", "ece_raw", "ece_calibrated"}
    assert 0 < model.threshold <= 1 and model.temperature > 0
    assert all(d.dtype == np.float16 for d in model.deltas.values())
    # the tuned blocks did change (the base encoder is loaded with gradients off; its copies are not)
    assert sum(float(np.abs(d.astype(np.float32)).sum()) for d in model.deltas.values()) > 0


def test_a_saved_model_classifies_as_the_trained_one(model, rows, encoder, tmp_path):
    """The classifier (base blocks + float16 deltas, from files) gives the probabilities of the
    network that was trained, so the shipped model is the one that was measured."""
    loaded = load_stance_model(save_stance_model(model, tmp_path / "m"))
    assert loaded.weights_sha256 == model.weights_sha256
    classifier = StanceModelClassifier(loaded, TransformersEncoder(encoder.ref, device="cpu"))
    texts = [r.text for r in rows]
    got = classifier.probabilities(texts)
    np.testing.assert_allclose(got.sum(axis=1), 1.0, atol=1e-9)
    assert classifier.model_id.endswith(f"stance {model.weights_sha256[:12]}")
    assert classifier.classify(texts[:1])[0].keys() == {"russian_gain", "russian_loss", "neutral"}

    # the same network rebuilt the training way: bottom outputs + the tuned top
    from claimx.stance.network import StanceTop, apply_deltas

    tokenizer, net, device = encoder.torch_parts()
    top = StanceTop(layer_blocks(net)[1:], net.config, 3)
    apply_deltas(top, model.deltas, 1)
    with torch.no_grad():
        top.head.weight.copy_(torch.from_numpy(model.head_weight))
        top.head.bias.copy_(torch.from_numpy(model.head_bias))
    ids = [tokenizer(model.prefix + t, truncation=True, max_length=model.max_length)["input_ids"] for t in texts]
    states = bottom_outputs(net, ids, 1, tokenizer.pad_token_id, device)
    expected = softmax(top_logits(top.eval(), states, np.arange(len(texts)), device) / model.temperature)
    np.testing.assert_allclose(got, expected, atol=1e-6)


def test_a_model_for_another_encoder_is_refused(model, tiny_models, tmp_path, tiny_builder):
    renamed = TransformersEncoder(str(tiny_models["e5"]), device="cpu", name="someone/else")
    with pytest.raises(ConfigError, match="fine-tuned on the encoder"):
        StanceModelClassifier(model, renamed)
    # same name, other weights: a copy of the encoder with one weight changed
    import shutil

    from safetensors.numpy import load_file, save_file

    copy = tmp_path / "e5"
    shutil.copytree(tiny_models["e5"], copy)
    tensors = load_file(copy / "model.safetensors")
    name = sorted(tensors)[0]
    tensors[name] = tensors[name] + 1e-3
    save_file(tensors, copy / "model.safetensors")
    other = TransformersEncoder(str(copy), device="cpu", name=model.encoder)
    with pytest.raises(ConfigError, match="not valid on another"):
        StanceModelClassifier(model, other).classify(["Moskau verliert."])


@pytest.mark.parametrize(
    ("damage", "error", "message"),
    [
        (lambda f: (f / STANCE_WEIGHTS).write_bytes((f / STANCE_WEIGHTS).read_bytes()[:-9]), ModelError, "checksum"),
        (lambda f: (f / STANCE_JSON).write_text("{", encoding="utf-8"), ModelError, "not readable JSON"),
        (lambda f: (f / STANCE_WEIGHTS).unlink(), ModelNotAvailableError, "no stance model"),
    ],
)
def test_a_damaged_model_fails_clearly(model, tmp_path, damage, error, message):
    folder = save_stance_model(model, tmp_path / "m")
    damage(folder)
    with pytest.raises(error, match=message):
        load_stance_model(folder)


def test_a_changed_threshold_or_format_is_refused(model, tmp_path):
    folder = save_stance_model(model, tmp_path / "m")
    meta = json.loads((folder / STANCE_JSON).read_text(encoding="utf-8"))
    (folder / STANCE_JSON).write_text(json.dumps({**meta, "threshold": 3}), encoding="utf-8")
    with pytest.raises(ModelError, match="out of range"):
        load_stance_model(folder)
    (folder / STANCE_JSON).write_text(json.dumps({**meta, "format_version": 99}), encoding="utf-8")
    with pytest.raises(ModelError, match="format version"):
        load_stance_model(folder)


def test_settings_are_checked():
    with pytest.raises(ConfigError):
        FineTuneSettings(folds=1)
    with pytest.raises(ConfigError):
        FineTuneSettings(tuned_layers=0)


def test_fine_tune_and_use_a_model_from_the_command_line(corpus_file, tiny_models, tmp_path, capsys):
    from claimx.cli import main

    encoder = str(tiny_models["e5"])
    out = tmp_path / "model"
    args = ["train", str(corpus_file), "-o", str(out), "--encoder", encoder, "--fine-tune", "--tuned-layers", "1",
            "--epochs", "1", "--folds", "2"]  # fmt: skip
    assert main(args) == 0
    printed = capsys.readouterr()
    assert "grouped 2-fold CV" in printed.out and "fold 2/2" in printed.err
    model = load_stance_model(out)
    claims_file = tmp_path / "claims.jsonl"
    doc = tmp_path / "doc.txt"
    doc.write_text("Moscow signed a deal to expand its naval port on the Arctic coast.", encoding="utf-8")
    assert main(["extract", str(doc), "-o", str(claims_file), "--head", str(out), "--encoder", encoder, "-q"]) == 0
    claim = json.loads(claims_file.read_text(encoding="utf-8").splitlines()[0])
    assert any(f"stance {model.weights_sha256[:12]}" in m for m in claim["models"])
    # a fine-tuning option without --fine-tune is a usage error
    assert main(["train", str(corpus_file), "-o", str(out), "--epochs", "2"]) == 2
    assert "--epochs applies to --fine-tune only" in capsys.readouterr().err
