"""Where modules meet: records, capabilities, lifecycle and the error boundary around every part."""

from __future__ import annotations

import numpy as np
import pytest

import claimx
from claimx.classify.prefilter import PrefilteredClassifier
from claimx.errors import ModelError, ModelNotAvailableError
from claimx.testing import FunctionClassifier, FunctionScorer, stance
from claimx.types import ErrorKind

RELEVANT = "Russia signed a defence pact with Mali."
IRRELEVANT = "It rained in the morning."


def _raises(error: BaseException):
    def handler(texts):
        raise error

    return handler


def test_a_ray_actor_keeps_the_error_kind_of_a_model_failure():
    from claimx.scale import batch_function
    from claimx.scale.ray import _DocumentMapper

    ex = claimx.Extractor(classifier=FunctionClassifier(_raises(ModelError("kernel exploded"))), device="cpu")
    batch_function._extractors[ex.config.dumps("json")] = ex
    threads = __import__("torch").get_num_threads()
    try:
        mapper = _DocumentMapper("text", "id", 1, ex.config)
        rows = mapper({"id": np.array(["a"]), "text": np.array([RELEVANT])})
    finally:
        __import__("torch").set_num_threads(threads)
        batch_function._extractors.pop(ex.config.dumps("json"))
    (result,) = [batch_function.row_to_result({c: v[0] for c, v in rows.items()})]
    assert result.error_kind is ErrorKind.MODEL and "kernel exploded" in result.error


@pytest.mark.parametrize("error", [ValueError("bad shape"), KeyError("logits"), TypeError("None"), OSError("gone")])
def test_a_part_raising_any_error_fails_only_its_document(error):
    ex = claimx.Extractor(classifier=FunctionClassifier(_raises(error)), device="cpu")
    (result,) = ex.process([RELEVANT])
    assert result.error_kind is ErrorKind.MODEL and type(error).__name__ in result.error


def test_map_batches_turns_any_failure_into_a_model_error():
    from claimx.oom import map_batches

    with pytest.raises(ModelError, match="bad shape"):
        map_batches([1, 2], 2, _raises(ValueError("bad shape")))


def test_out_of_memory_is_known_by_its_type():
    import torch

    from claimx.oom import is_out_of_memory

    assert is_out_of_memory(torch.OutOfMemoryError("CUDA error: allocation of 2.00 GiB failed"))
    assert not is_out_of_memory(ValueError("the words 'out of memory' in a user's message"))


def test_prefilter_provenance_survives_the_cache(tmp_path):
    gate = FunctionScorer(lambda texts: [1.0 if "Russia" in t else 0.0 for t in texts])
    for _ in range(2):  # the second run reads every verdict from the cache
        inner = FunctionClassifier()
        ex = claimx.Extractor(classifier=PrefilteredClassifier(inner, gate, 0.5), cache_dir=tmp_path, device="cpu")
        skipped, kept = ex.extract([f"{IRRELEVANT} {RELEVANT}"])
        assert skipped.models == ("fake-gate (relevance pre-filter)",) and "pre-filter" in skipped.note
        assert kept.models == ("fake-classifier",) and not kept.note


@pytest.mark.parametrize(
    "options",
    [
        {"classifier_model": "/nope/nli"},
        {"classifier": "nli", "translation_models": {"de": "/nope/opus-mt-de-en"}},
        {"classifier": "embedding", "encoder": "/nope/encoder"},
        {"classifier": "head", "head": "/nope/head"},
    ],
)
def test_a_missing_model_is_refused_when_the_extractor_is_built(options):
    with pytest.raises(ModelNotAvailableError, match="/nope/"):
        claimx.Extractor(device="cpu", **options)


def test_cli_reports_a_missing_model_once_before_reading_anything(tmp_path, capsys):
    from claimx.cli import main

    out = tmp_path / "out.jsonl"
    assert main(["extract", "fixtures/seeds", "--classifier-model", "/nope/nli", "-o", str(out), "-q"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "/nope/nli" in err[0]
    assert not list(tmp_path.iterdir())


def test_claim_is_hashable_and_its_scores_cannot_change():
    claim = claimx.Claim("d", 0, "t", "t", "en", 0, 1, "neutral", 0.7, stance(0.2, 0.3), False, ("m",))
    assert hash(claim) == hash(claimx.Claim.from_dict(claim.to_dict()))
    assert len({claim, claimx.Claim.from_dict(claim.to_dict())}) == 1
    with pytest.raises(TypeError):
        claim.scores["neutral"] = 0.0  # type: ignore[index]
    assert dict(claim.scores) == stance(0.2, 0.3) and claim.scores == stance(0.2, 0.3)


def test_a_failing_translator_fails_only_its_documents():
    from claimx.testing import FunctionTranslator

    def handler(texts, lang):
        raise IndexError("beam search fell over")

    ex = claimx.Extractor(translator=FunctionTranslator(handler), classifier=FunctionClassifier(), device="cpu")
    german = claimx.Document("de", "Russland unterzeichnete einen Vertrag mit Mali.", "de")
    english, german = ex.process([RELEVANT, german])
    assert english.ok and german.error_kind is ErrorKind.MODEL
    assert "translator failed on document 'de': IndexError: beam search fell over" in german.error


@pytest.mark.parametrize("error", [ArithmeticError, AssertionError, AttributeError, LookupError, OSError, RuntimeError,
                                   TypeError, ValueError, NotImplementedError, StopIteration])  # fmt: skip
def test_the_part_boundary_maps_every_foreign_exception(error):
    from claimx.parts import part_errors

    with pytest.raises(ModelError, match="part failed on document 'd'"):
        with part_errors("part", ["d"]):
            raise error("x")


class _Closing(FunctionClassifier):
    closed = 0

    def close(self):
        self.closed += 1


def test_an_extractor_closes_its_cache_and_parts(tmp_path):
    from claimx.testing import FunctionTranslator

    inner = _Closing()
    with claimx.Extractor(classifier=inner, translator=FunctionTranslator(), cache_dir=tmp_path, device="cpu") as ex:
        assert ex.extract([RELEVANT])
    assert inner.closed == 1
    with pytest.raises(Exception, match="closed"):
        ex.classifier.cache.get_many("x", ["y"])  # type: ignore[attr-defined]


def test_closing_lets_a_loaded_model_go_and_it_loads_again(tiny_models):
    from claimx.classify import NLIClassifier

    clf = NLIClassifier(str(tiny_models["nli"]), device="cpu").load()
    first = clf.classify([RELEVANT])
    clf.close()
    assert clf._parts is None
    assert clf.classify([RELEVANT]) == first
