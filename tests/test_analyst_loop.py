"""The analyst's loop end to end: extract → select → export (each tool) → a scripted correction
→ import-labels → train with the corrections → eval on them."""

from __future__ import annotations

import csv
import json

import pytest

from claimx.annotation import FORMATS
from claimx.boilerplate import normalise_for_comparison
from claimx.cli import main
from claimx.head_files import load_head
from tests.annotation_tools import export_back
from tests.conftest import GOLD, SEEDS
from tests.test_head import _tsv

SUFFIX = {"label-studio": "json", "argilla": "json", "prodigy": "jsonl"}


@pytest.fixture(scope="module")
def claims_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("loop") / "claims.jsonl"
    assert main(["extract", str(SEEDS), "-o", str(path), "-q"]) == 0
    return path


@pytest.fixture(scope="module")
def analyst():
    """Answers with the hand label of fixtures/gold/seeds.tsv; leaves sentences it lacks unanswered."""
    with GOLD.open(encoding="utf-8", newline="") as f:
        gold = {
            (r["doc"], normalise_for_comparison(r["text"])): r["label"]
            for r in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        }
    return lambda meta: gold.get((meta["doc"][:3], normalise_for_comparison(meta.get("text") or "")))


def test_the_loop_from_claims_to_a_retrained_head(claims_file, analyst, tiny_models, tmp_path, capsys):
    claims = [json.loads(line) for line in claims_file.read_text(encoding="utf-8").splitlines()]
    texts = {(c["doc_id"], c["start"]): c["text"] for c in claims}

    def answer(meta):
        return analyst({**meta, "text": texts[(meta["doc"], meta["start"])]})

    corrections = {}
    for format in FORMATS:
        tasks = tmp_path / f"tasks-{format}.{SUFFIX[format]}"
        assert main(["select", str(claims_file), "-n", "40", "-o", str(tasks), "--format", format]) == 0
        exported = export_back(format, tasks, tmp_path / f"export-{format}.{SUFFIX[format]}", answer)
        out = tmp_path / f"corrections-{format}.tsv"
        capsys.readouterr()
        assert main(["import-labels", str(exported), "-o", str(out)]) == 0
        assert "corrections to" in capsys.readouterr().out
        corrections[format] = out.read_text(encoding="utf-8")
    assert corrections["label-studio"] == corrections["argilla"] == corrections["prodigy"]  # one row per answer
    rows = list(csv.DictReader(corrections["prodigy"].splitlines(), delimiter="\t", quoting=csv.QUOTE_NONE))
    assert 10 <= len(rows) <= 40 and all(r["group"] == f"doc:{r['doc']}" for r in rows)
    assert all(analyst({"doc": r["doc"], "text": r["text"]}) == r["label"] for r in rows)

    corpus = tmp_path / "corpus.tsv"
    corpus.write_text(_tsv(), encoding="utf-8")
    encoder, head = str(tiny_models["e5"]), tmp_path / "head"
    train = ["train", str(corpus), str(tmp_path / "corrections-prodigy.tsv"), "-o", str(head), "--encoder", encoder]
    assert main([*train, "--weight-corrections", "2"]) == 0
    counts = load_head(head).row_counts
    assert counts["rows"] == len(_tsv().splitlines()) - 1 + 2 * len(rows)
    assert counts["groups"] == len({line.split("\t")[0] for line in _tsv().splitlines()[1:]}) + len(
        {r["doc"] for r in rows}
    )

    capsys.readouterr()
    gold = ["eval", str(tmp_path / "corrections-prodigy.tsv"), "--docs", str(SEEDS)]
    assert main([*gold, "--head", str(head), "--encoder", encoder, "--device", "cpu"]) == 0
    report = capsys.readouterr().out
    assert "macro" in report.lower() and "head" in report


def test_a_bad_export_is_a_usage_error_naming_the_row(tmp_path, capsys):
    bad = tmp_path / "db-out.jsonl"
    bad.write_text('{"text": "x", "answer": "accept", "meta": {"doc": "d"}}\n', encoding="utf-8")
    assert main(["import-labels", str(bad), "-o", str(tmp_path / "c.tsv")]) == 2
    assert "db-out.jsonl:1" in capsys.readouterr().err
    assert main(["select", str(tmp_path / "none.jsonl"), "-o", str(tmp_path / "t.json")]) == 2
    assert "no claims file" in capsys.readouterr().err
