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


def test_label_strings_are_spelled_only_by_label():
    from pathlib import Path

    root = Path(claimx.__file__).parent
    spelled = [
        f"{path.relative_to(root)}:{n}"
        for path in sorted(root.rglob("*.py"))
        if path.name != "types.py"
        for n, line in enumerate(path.read_text("utf-8").splitlines(), 1)
        if any(f'"{label.value}"' in line for label in claimx.Label) and not line.lstrip().startswith((">>>", "..."))
    ]
    assert spelled == []


def test_one_net_stance_for_documents_places_and_the_report():
    from claimx.claims import net_stance
    from claimx.frames import document_summary
    from claimx.places import places_summary
    from claimx.reporting import sections

    labels = ["russian_gain", "russian_gain", "russian_loss", "neutral"]
    claims = [claimx.Claim("d", i, "Russia and Mali.", "Russia and Mali.", "en", 0, 1, lab, 0.9, stance(0.9, 0.1),
                           False, ("m",), places=("ML",)) for i, lab in enumerate(labels)]  # fmt: skip
    assert net_stance({"russian_gain": 2, "russian_loss": 1, "neutral": 1}) == 0.25
    assert document_summary(claims).loc["d", "net_stance"] == 0.25
    assert places_summary(claims).loc["ML", "net_stance"] == 0.25
    assert sections.net_stance is net_stance


def test_the_report_reads_a_run_as_the_job_does(tmp_path):
    import json

    from claimx.job import JobOutput, run_job
    from claimx.reporting.inputs import load_config, load_manifest

    def flaky(texts):
        if any("BOOM" in t for t in texts):
            raise RuntimeError("kernel exploded")
        return [stance(0.9, 0.1) for _ in texts]

    ex = claimx.Extractor(classifier=FunctionClassifier(flaky), device="cpu")
    out = tmp_path / "out.jsonl"
    run_job(
        ex, [claimx.Document("ok", RELEVANT), claimx.Document("bad", f"BOOM. {RELEVANT}")], JobOutput(out), quiet=True
    )
    manifest = tmp_path / "out.jsonl.documents.jsonl"
    records = {r["id"]: r for r in map(json.loads, manifest.read_text("utf-8").splitlines())}
    assert records["bad"]["status"] == "model_error" and records["bad"]["error_kind"] == "model"
    with manifest.open("a", encoding="utf-8") as f:
        f.write(json.dumps({"id": "cut", "status": "ok"}))  # a crash before the newline: not finished
    assert [r["id"] for r in load_manifest(None, out)[0]] == ["ok", "bad"]
    assert load_config(tmp_path / "out.jsonl.config.toml") == ex.config.to_dict()


def test_config_knowledge_lives_in_the_config_and_the_builder():
    import dataclasses
    import sys

    import claimx.builder
    import claimx.config
    import claimx.job.output

    speed = {f.name for f in dataclasses.fields(claimx.ExtractorConfig) if f.metadata.get("speed_only")}
    assert speed == set(claimx.job.output.SPEED_ONLY) == {"threads", "cache_dir", "sentences_per_batch",
                                                          "documents_per_chunk"}  # fmt: skip
    assert claimx.config.CLASSIFIERS == ("auto", *claimx.builder.CLASSIFIER_FACTORIES)
    config_imports = {m for m in vars(claimx.config).values() if isinstance(m, type(sys))}
    assert not {sys.modules.get("claimx.prepare"), sys.modules.get("claimx.segment")} & config_imports
    assert "MAX_SENTENCE_CHARS" not in vars(sys.modules["claimx.segment"]) or (
        claimx.config.MAX_SENTENCE_CHARS is sys.modules["claimx.segment"].MAX_SENTENCE_CHARS
    )


def test_every_protocol_is_met_by_its_fake():
    from claimx.classify.base import AnnotatingClassifier, Classifier, RelevanceScorer
    from claimx.testing import FunctionTranslator
    from claimx.translate.base import Translator

    gate = FunctionScorer(lambda texts: [1.0 for _ in texts])
    assert isinstance(FunctionClassifier(), Classifier) and not isinstance(FunctionClassifier(), AnnotatingClassifier)
    assert isinstance(FunctionTranslator(), Translator) and isinstance(gate, RelevanceScorer)
    assert isinstance(PrefilteredClassifier(FunctionClassifier(), gate, 0.5), AnnotatingClassifier)
