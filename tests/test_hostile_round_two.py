"""Issue 16, crashes and security: bounded threads and heads, one-line errors, language codes, booleans."""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import tracemalloc
import zipfile

import numpy as np
import pytest

import claimx
from claimx.cli import main
from claimx.errors import ClaimxError, ConfigError, InputError, ModelError
from claimx.extractor import Extractor
from claimx.io import InputFailure, iter_inputs

GOOD = "Russia has opened a new naval base on the Red Sea coast, officials in Moscow said."


@pytest.fixture()
def no_models(monkeypatch):
    def refuse(*_a, **_k):
        raise AssertionError("an extractor was built before the arguments were checked")

    monkeypatch.setattr(Extractor, "from_config", refuse)


def one_line(capsys, code, expected, status=2):
    err = capsys.readouterr().err
    assert code == status, err
    assert len(err.strip().splitlines()) == 1 and expected in err, err


@pytest.mark.parametrize("how", ["flag", "config"])
def test_a_huge_thread_count_is_refused_in_one_line(tmp_path, no_models, capsys, how):
    """Item 14: --threads 100000 was a segmentation fault (exit 139) with no message."""
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    config = tmp_path / "c.toml"
    config.write_text("threads = 100000\n", encoding="utf-8")
    extra = ["--threads", "100000"] if how == "flag" else ["--config", str(config)]
    one_line(capsys, main(["extract", str(tmp_path / "a.txt"), *extra]), "threads must be at most")
    assert os.cpu_count() is None or claimx.ExtractorConfig(threads=os.cpu_count()).threads == os.cpu_count()


def _lying_head(tmp_path, shape):
    """The shipped head with coef's .npy header declaring ``shape``, checksum fixed to match."""
    from claimx.classify.head import shipped_head

    folder = tmp_path / "head"
    shutil.copytree(shipped_head(), folder)
    buffer = io.BytesIO()
    with zipfile.ZipFile(folder / "head.npz") as old, zipfile.ZipFile(buffer, "w") as new:
        for name in old.namelist():
            data = old.read(name)
            if name == "coef.npy":
                header = io.BytesIO()
                np.lib.format.write_array_header_1_0(header, {"descr": "<f8", "fortran_order": False, "shape": shape})
                data = header.getvalue() + b"\0" * 64
            new.writestr(name, data)
    weights = buffer.getvalue()
    (folder / "head.npz").write_bytes(weights)
    meta = json.loads((folder / "head.json").read_text(encoding="utf-8"))
    meta["weights_sha256"] = hashlib.sha256(weights).hexdigest()
    (folder / "head.json").write_text(json.dumps(meta), encoding="utf-8")
    return folder


def test_a_head_header_declaring_a_huge_array_is_refused_before_its_data_is_read(tmp_path):
    """Item 15: shape (3, 100,000,000) in a header cost 2.4 GB before the refusal."""
    from claimx.head_files import load_head

    folder = _lying_head(tmp_path, (3, 20_000_000))
    tracemalloc.start()
    try:
        with pytest.raises(ModelError, match="coef"):
            load_head(folder)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 50_000_000, peak


CLAIM = {
    "doc_id": "a", "sentence_index": 0, "text": "Russia gains.", "text_en": "Russia gains.", "language": "en",
    "start": 0, "end": 13, "label": "russian_gain", "score": 0.9,
    "scores": {"russian_gain": 0.9, "russian_loss": 0.1, "neutral": 0.1}, "translated": False, "models": ["m"],
}  # fmt: skip


@pytest.mark.parametrize(
    "last",
    [
        json.dumps(CLAIM)[:40],
        json.dumps({**CLAIM, "label": "russian_win"}),
        json.dumps({**CLAIM, "start": "zero"}),
        "[1, 2, 3]",
    ],
)
def test_report_on_a_broken_claims_file_is_one_line(tmp_path, capsys, last):
    """Item 16: a truncated line, an unknown label, a text offset, a JSON list: one line, exit 2."""
    claims = tmp_path / "c.jsonl"
    claims.write_text(json.dumps(CLAIM) + "\n" + last + "\n", encoding="utf-8")
    one_line(capsys, main(["report", str(claims), "-o", str(tmp_path / "r.html")]), "line 2")


@pytest.mark.parametrize("name, text", [("c.toml", "threads = [\n"), ("c.json", '{"threads": '), ("c.json", "[1, 2]")])
def test_report_with_a_broken_config_is_one_line(tmp_path, capsys, name, text):
    """Item 16: claimx report --config with broken TOML or JSON was a traceback."""
    claims = tmp_path / "c.jsonl"
    claims.write_text(json.dumps(CLAIM) + "\n", encoding="utf-8")
    (tmp_path / name).write_text(text, encoding="utf-8")
    code = main(["report", str(claims), "--config", str(tmp_path / name), "-o", str(tmp_path / "r.html")])
    one_line(capsys, code, "config")


@pytest.mark.parametrize(
    "name, text, expected",
    [
        ("c.toml", "threads = [\n", "cannot read config"),
        ("c.json", '{"threads": ', "cannot read config"),
        ("c.toml", "head = 5\n", "head must be"),
        ("c.toml", "classifier_model = 5\n", "classifier_model must be"),
        ("c.toml", 'allow_pickle = "false"\n', "allow_pickle must be true or false"),
        ("c.toml", 'cache_dir = ""\n', "cache_dir"),
        ("c.toml", 'decision = {threshold = "high"}\n', "threshold"),
        ("c.json", '{"translation_models": ["de"]}', "translation_models"),
    ],
)
def test_a_broken_config_is_one_line(tmp_path, no_models, capsys, name, text, expected):
    """Items 16, 19, 20: a broken --config, head = 5, allow_pickle = "false", cache_dir = ""."""
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / name).write_text(text, encoding="utf-8")
    one_line(capsys, main(["extract", str(tmp_path / "a.txt"), "--config", str(tmp_path / name)]), expected)


def test_booleans_are_booleans_in_the_api():
    """Item 19: allow_pickle='no' was taken as true."""
    for value in ("no", "false", 1, None):
        with pytest.raises(ConfigError, match="allow_pickle must be true or false"):
            claimx.ExtractorConfig(allow_pickle=value)
    with pytest.raises(ConfigError, match="quantize must be true or false"):
        claimx.ExtractorConfig(quantize="yes")


def test_a_gold_row_with_too_few_columns_or_a_bom_or_an_unknown_certainty(tmp_path):
    """Items 16, 20: a short row names its line; a BOM is not part of 'doc'; certainty 'maybe' is refused."""
    from claimx.evaluation import load_gold

    header = "doc\tlabel\tcertainty\ttext\n"
    gold = tmp_path / "g.tsv"
    gold.write_text(header + "a\tneutral\tclear\tTalks.\nb\tneutral\n", encoding="utf-8")
    with pytest.raises(InputError, match="line 3"):
        load_gold(gold)
    gold.write_text("\ufeff" + header + "a\tneutral\tclear\tTalks.\n", encoding="utf-8")
    assert [r.doc for r in load_gold(gold)] == ["a"]
    gold.write_text(header + "a\tneutral\tmaybe\tTalks.\n", encoding="utf-8")
    with pytest.raises(InputError, match="maybe"):
        load_gold(gold)


class Scorer:
    model_id = "scorer"
    default_threshold = 0.5

    def classify(self, texts):
        return [{"russian_gain": 0.9, "russian_loss": 0.05, "neutral": 0.05} for _ in texts]


def test_a_cache_value_of_the_wrong_shape_is_recomputed(tmp_path):
    """Item 16: one garbage cache value aborted the whole run."""
    from claimx.cache import CachedClassifier, DiskCache

    cache = DiskCache(tmp_path / "c.sqlite")
    cached = CachedClassifier(Scorer(), cache)
    cache.put_many(cached._namespace, {"Russia gains.": [1, 2, 3], "Moscow wins.": {"russian_gain": "x"}})
    assert cached.classify(["Russia gains.", "Moscow wins."])[0]["russian_gain"] == 0.9


def test_document_fields_of_the_wrong_type_fail_that_document_only():
    """Item 16: Document(..., language=5) stopped the batch."""
    with pytest.raises((TypeError, ClaimxError), match="language"):
        claimx.Document("a", GOOD, language=5)
    ex = Extractor(classifier=Scorer(), device="cpu")
    results = list(ex.process([{"id": "a", "text": GOOD, "language": 5}, {"id": "b", "text": GOOD}]))
    assert "language" in results[0].error and results[1].ok


def test_a_document_language_never_names_a_folder_outside_the_models_dir(tmp_path, monkeypatch):
    """Item 18: "de-en/../../../evil" made claimx load a folder outside $CLAIMX_MODELS_DIR."""
    from claimx.model_files import resolve_model

    models = tmp_path / "models"
    (models / "Helsinki-NLP--opus-mt-de-en").mkdir(parents=True)
    (tmp_path / "evil-en").mkdir()
    monkeypatch.setenv("CLAIMX_MODELS_DIR", str(models))
    with pytest.raises(ClaimxError):
        resolve_model("Helsinki-NLP/opus-mt-de-en/../../evil-en")
    evil = "de-en/../../../evil"
    with pytest.raises(ClaimxError, match="language"):
        claimx.Document("a", GOOD, language=evil)
    jsonl = tmp_path / "in.jsonl"
    jsonl.write_text(json.dumps({"id": "a", "text": GOOD, "language": evil}) + "\n", encoding="utf-8")
    (item,) = iter_inputs([str(jsonl)])
    assert isinstance(item, InputFailure) and "language" in item.reason
    for good in ("de", "zh-Hant", "pt-BR", "und", "gsw"):
        assert claimx.Document("a", GOOD, language=good).language == good


def test_a_five_row_corpus_trains_with_a_warning(tmp_path, caplog):
    """Item 20: too few rows to learn from is said, not trained on silently."""
    from claimx.corpus import read_corpus

    rows = "".join(f"g{i}\ten\tneutral\tclear\tTalks were held on day {i}.\n" for i in range(5))
    path = tmp_path / "c.tsv"
    path.write_text("group\tlanguage\tlabel\tcertainty\ttext\n" + rows, encoding="utf-8")
    with caplog.at_level("WARNING"):
        read_corpus(path)
    assert "only 5 rows" in caplog.text
