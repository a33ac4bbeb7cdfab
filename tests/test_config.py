"""One configuration, one builder: a config file builds the same extractor as the same options given as arguments."""

from __future__ import annotations

import json

import pytest

import claimx
from claimx.cli import main
from claimx.config import ExtractorConfig
from claimx.errors import ConfigError


def test_config_round_trips_through_toml_and_json(tmp_path):
    config = ExtractorConfig(
        translation_models={"de": "some/folder"},
        device="cpu",
        decision=claimx.Decision(0.6, 0.05),
        labels=claimx.LabelConfig(actor="China"),
        prefilter=0.25,
        threads=1,
    )
    for name in ("c.toml", "c.json"):
        config.save(tmp_path / name)
        assert ExtractorConfig.from_file(tmp_path / name) == config


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"threads": 0}, "threads"),
        ({"device": "tpu"}, "device"),
        ({"classifier": "magic"}, "classifier"),
        ({"sentences_per_batch": 0}, "sentences_per_batch"),
        ({"decision": claimx.Decision(0.5), "prefilter": float("nan")}, "prefilter"),
        ({"quantize": True, "classifier": "head"}, "quantize"),
    ],
)
def test_bad_options_fail_before_any_model(changes, message):
    with pytest.raises(ConfigError, match=message):
        ExtractorConfig(**changes)


def test_a_config_file_refuses_unknown_keys(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text('device = "cpu"\ncolour = "red"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="colour"):
        ExtractorConfig.from_file(path)
    path.write_text('[decision]\nthreshold = "0.5"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="threshold"):
        ExtractorConfig.from_file(path)


@pytest.mark.slow
def test_extractor_from_a_config_file_equals_the_same_options_as_arguments(tmp_path, tiny_models, seed_documents):
    options = {
        "translation_models": {"de": str(tiny_models["marian_de_en"])},
        "classifier_model": str(tiny_models["nli"]),
        "device": "cpu",
        "batch_size": 8,
        "decision": claimx.Decision(threshold=0.3),
    }
    direct = claimx.Extractor(**options)
    direct.config.save(tmp_path / "claimx.toml")
    from_file = claimx.Extractor.from_config(tmp_path / "claimx.toml")
    assert from_file.config == direct.config
    assert from_file.extract(seed_documents) == direct.extract(seed_documents)


def test_cli_config_file_equals_the_same_flags(tmp_path, tiny_models, capsys):
    flags = [
        "--translation-model", f"de={tiny_models['marian_de_en']}",
        "--classifier-model", str(tiny_models["nli"]),
        "--device", "cpu", "--batch-size", "8", "--threshold", "0.3",
    ]  # fmt: skip
    assert main(["extract", "fixtures/seeds", "-o", str(tmp_path / "a.jsonl"), "-q", *flags]) == 0
    written = ExtractorConfig.from_file(tmp_path / "a.jsonl.config.toml")
    written.save(tmp_path / "run.toml")
    assert (
        main(
            ["extract", "fixtures/seeds", "-o", str(tmp_path / "b.jsonl"), "-q", "--config", str(tmp_path / "run.toml")]
        )
        == 0
    )
    a = [json.loads(x) for x in (tmp_path / "a.jsonl").read_text(encoding="utf-8").splitlines()]
    b = [json.loads(x) for x in (tmp_path / "b.jsonl").read_text(encoding="utf-8").splitlines()]
    assert a and a == b


def test_speed_options_are_wrappers_composed_by_the_builder(tmp_path, tiny_models):
    from claimx.cache import CachedClassifier, CachedTranslator
    from claimx.classify.prefilter import PrefilteredClassifier

    ex = claimx.Extractor(classifier_model=str(tiny_models["nli"]), device="cpu", cache_dir=tmp_path, prefilter=0.2)
    assert isinstance(ex.classifier, PrefilteredClassifier) and isinstance(ex.classifier.inner, CachedClassifier)
    assert isinstance(ex.translator, CachedTranslator)
    assert isinstance(ex.classifier.inner.inner, claimx.NLIClassifier)
