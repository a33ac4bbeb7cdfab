"""Fast paths give the default path's results: CTranslate2, int8 NLI, cache, relevance pre-filter.

Tolerances: CTranslate2 float32 must reproduce transformers' greedy translations exactly
and its beam-4 translations to a similarity ratio above 0.9 (random weights leave
near-ties that beam search may break either way);
int8 paths may differ by quantisation noise, so int8 NLI must keep every score within
0.05 of the float model, and CTranslate2 int8 must translate every input to an output
of about the same length (within 25%: random weights make the words arbitrary).
"""

from __future__ import annotations

import difflib

import numpy as np
import pytest

import claimx
from claimx import Label, NLIClassifier
from claimx.testing import FunctionClassifier
from claimx.translate import MarianTranslator
from claimx.translate.ct2 import CTranslate2Translator

GERMAN = [
    "Russland verliert Einfluss in Zentralasien.",
    "Die Lage ist angespannt.",
    "Der Blogger äußerte Bedenken, dass die wachsende Zusammenarbeit zwischen den USA und Armenien "
    "die Fähigkeit Russlands gefährden werde.",
]
ENGLISH = [
    "Russia gains influence in Africa.",
    "It rained in the morning.",
    "Moscow loses its allies in Central Asia.",
    "The Kremlin signed new arms deals with several partners.",
]


@pytest.fixture(scope="module")
def hf_translator(tiny_models):
    return MarianTranslator({"de": str(tiny_models["marian_de_en"])}, template=None, device="cpu", batch_size=16)


def ct2(tiny_models, tmp_path, **kwargs):
    return CTranslate2Translator(
        {"de": str(tiny_models["marian_de_en"])}, template=None, device="cpu", cache_dir=tmp_path, **kwargs
    )


def test_ctranslate2_float32_reproduces_transformers(tiny_models, tmp_path, hf_translator):
    # Same batches on both sides: random weights never stop early, so the batch's length cap shows.
    greedy_hf = MarianTranslator(
        {"de": str(tiny_models["marian_de_en"])}, template=None, device="cpu", batch_size=16, num_beams=1
    )
    greedy_ct2 = ct2(tiny_models, tmp_path, compute_type="float32", beam_size=1)
    assert greedy_ct2.translate(GERMAN, "de") == greedy_hf.translate(GERMAN, "de")
    # Beam 4: random weights leave near-ties that the two engines may break differently.
    fast = ct2(tiny_models, tmp_path, compute_type="float32")
    for a, b in zip(fast.translate(GERMAN, "de"), hf_translator.translate(GERMAN, "de"), strict=True):
        assert difflib.SequenceMatcher(None, a, b).ratio() > 0.9
    assert fast.model_id("de") == hf_translator.model_id("de")


@pytest.mark.slow
def test_ctranslate2_int8_translates_everything(tiny_models, tmp_path, hf_translator):
    out = ct2(tiny_models, tmp_path).translate(GERMAN, "de")
    reference = hf_translator.translate(GERMAN, "de")
    assert len(out) == len(GERMAN) and all(out)
    assert abs(sum(map(len, out)) - sum(map(len, reference))) / sum(map(len, reference)) < 0.25
    converted = list(tmp_path.iterdir())
    assert len(converted) == 1 and (converted[0] / "model.bin").exists()
    assert ct2(tiny_models, tmp_path).translate(GERMAN, "de") == out  # converted once, reused, deterministic
    assert len(list(tmp_path.iterdir())) == 1


def test_quantized_nli_stays_within_tolerance(tiny_models):
    full = NLIClassifier(str(tiny_models["nli"]), device="cpu").classify(ENGLISH)
    int8_clf = NLIClassifier(str(tiny_models["nli"]), device="cpu", quantize=True)
    quant = int8_clf.classify(ENGLISH)
    assert int8_clf.model_id.endswith("+int8")
    for a, b in zip(full, quant, strict=True):
        for label in a:
            assert abs(a[label] - b[label]) < 0.05


def counting(inner):
    """``inner``, recording what reaches it (``.seen``); the scores are the model's own."""
    return FunctionClassifier(inner.classify, model_id=inner.model_id, labels=inner.labels,
                              default_threshold=inner.default_threshold)  # fmt: skip


@pytest.mark.slow
def test_disk_cache_makes_a_rerun_free(tiny_models, tmp_path, seed_documents):
    counted = counting(NLIClassifier(str(tiny_models["nli"]), device="cpu"))
    kwargs = dict(translation_models={"de": str(tiny_models["marian_de_en"])}, device="cpu", cache_dir=tmp_path)
    first = claimx.Extractor(classifier=counted, **kwargs).extract(seed_documents)
    n_first = len(counted.seen)
    assert n_first == len({c.text_en for c in first})  # de-duplicated before the model
    second = claimx.Extractor(classifier=counted, **kwargs).extract(seed_documents)
    assert len(counted.seen) == n_first  # nothing new reached the model
    assert second == first


def test_prefilter_sends_only_relevant_sentences_to_the_classifier(tiny_models):
    counted = counting(NLIClassifier(str(tiny_models["nli"]), device="cpu"))
    ex = claimx.Extractor(classifier=counted, device="cpu", prefilter=0.3)
    claims = ex.extract([" ".join(ENGLISH)])
    skipped = [c for c in claims if c.note]
    assert [c.text for c in skipped] == ["It rained in the morning."]
    (c,) = skipped
    assert c.label is Label.NEUTRAL and c.score == 1.0 and "relevance" in c.note
    assert c.models == (ex.classifier.gate_id,)
    assert "It rained in the morning." not in counted.seen and len(counted.seen) == 3
    assert claimx.Claim.from_dict(c.to_dict()) == c


def test_threads_option_sets_torch_threads():
    import torch

    before = torch.get_num_threads()
    try:
        claimx.Extractor(classifier=counting(claimx.EmbeddingClassifier()), threads=1)
        assert torch.get_num_threads() == 1
    finally:
        torch.set_num_threads(before)


def test_relevance_is_cosine_in_range(minilm_classifier):
    r = minilm_classifier.relevance(ENGLISH)
    assert r.shape == (4,) and np.all((r > -1) & (r < 1))
    assert r[1] < min(r[0], r[2], r[3])


def test_cli_fast_options(tiny_models, tmp_path, capsys):
    from claimx.cli import main
    from claimx.io import read_claims

    out = tmp_path / "fast.jsonl"
    args = [
        "extract",
        "fixtures/seeds",
        "-o",
        str(out),
        "-q",
        "--device",
        "cpu",
        "--threads",
        "2",
        "--classifier-model",
        str(tiny_models["nli"]),
        "--quantize",
        "--ct2",
        "--prefilter",
        "0.2",
        "--translation-model",
        f"de={tiny_models['marian_de_en']}",
        "--cache-dir",
        str(tmp_path / "cache"),
    ]
    assert main(args) == 0
    claims = read_claims(out)
    assert {c.doc_id[:3] for c in claims} == {"000", "001", "002", "003", "004"}
    assert any(c.models[-1].endswith("+int8") for c in claims)
    assert all(c.translated for c in claims if c.language == "de")
