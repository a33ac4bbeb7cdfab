"""Export to Label Studio, Argilla and Prodigy, corrections back, and picking what to check."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from claimx.annotation import (
    FORMATS,
    build_tasks,
    export_tasks,
    label_studio,
    read_corrections,
    read_export,
    select_claims,
    write_corrections,
)
from claimx.annotation import argilla as argilla_format
from claimx.corpus import read_corpus
from claimx.errors import ConfigError, InputError
from claimx.evaluation import load_gold
from claimx.types import Claim, Label
from tests.annotation_tools import export_back

SUFFIX = {"label-studio": "json", "argilla": "json", "prodigy": "jsonl"}


def _claim(doc: str, i: int, scores: tuple[float, float, float], language: str = "en", places=()) -> Claim:
    text = f"Sentence {i} of {doc}\twith a tab."
    label = max(zip(scores, ("russian_gain", "russian_loss", "neutral"), strict=True))[1]
    return Claim(
        doc_id=doc,
        sentence_index=i,
        text=text,
        text_en=text if language == "en" else f"EN {text}",
        language=language,
        start=100 * i,
        end=100 * i + len(text),
        label=label,
        score=max(scores),
        scores=dict(zip(("russian_gain", "russian_loss", "neutral"), scores, strict=True)),
        translated=language != "en",
        models=("opus-mt", "e5 + head abc"),
        places=places,
    )


@pytest.fixture()
def claims() -> list[Claim]:
    return [
        _claim("a", 0, (0.80, 0.10, 0.10), places=("RU",)),
        _claim("a", 1, (0.40, 0.35, 0.25), places=("RU", "ML")),
        _claim("a", 2, (0.10, 0.10, 0.80)),
        _claim("b", 0, (0.34, 0.33, 0.33), language="de", places=("DE",)),
        _claim("b", 1, (0.05, 0.90, 0.05), language="de"),
        _claim("c", 0, (0.30, 0.30, 0.40), language="fr", places=("FR",)),
    ]


def _flip(meta):
    return "russian_loss" if meta["claimx_label"] != "russian_loss" else "neutral"


@pytest.mark.parametrize("format", FORMATS)
def test_every_format_carries_the_claim_there_and_the_correction_back(format, claims, tmp_path):
    tasks_file = tmp_path / f"tasks.{SUFFIX[format]}"
    assert export_tasks(claims[1:2], tasks_file, format, context=claims) == 1
    text = tasks_file.read_text(encoding="utf-8")
    assert "Sentence 0 of a" in text and "Sentence 2 of a" in text  # context from the whole file
    assert "e5 + head abc" in text and "0.35" in text and "ML" in text
    back = export_back(format, tasks_file, tmp_path / f"export.{SUFFIX[format]}", _flip)
    rows, skipped = read_export(back)
    assert skipped == 0 and len(rows) == 1
    row = rows[0]
    assert (row.doc, row.start, row.end, row.language, row.certainty) == (
        "a",
        100,
        100 + len(claims[1].text),
        "en",
        "clear",
    )
    assert row.label is Label.RUSSIAN_LOSS and row.predicted == "russian_gain" and row.changed
    assert row.text == claims[1].text and row.group == "doc:a"


@pytest.mark.parametrize("format", FORMATS)
def test_unanswered_tasks_are_counted_not_imported(format, claims, tmp_path):
    tasks_file = tmp_path / f"tasks.{SUFFIX[format]}"
    export_tasks(claims, tasks_file, format)
    answer = lambda meta: None if meta["doc"] == "b" else meta["claimx_label"]  # noqa: E731
    rows, skipped = read_export(export_back(format, tasks_file, tmp_path / "out", answer), format)
    assert skipped == 2 and {r.doc for r in rows} == {"a", "c"} and not any(r.changed for r in rows)


def test_label_studio_tasks_fit_the_labelling_interface(claims, tmp_path):
    sdk = pytest.importorskip("label_studio_sdk.label_interface")
    export_tasks(claims, tmp_path / "tasks.json", "label-studio")
    interface = sdk.LabelInterface((tmp_path / "tasks.label_config.xml").read_text(encoding="utf-8"))
    tasks = json.loads((tmp_path / "tasks.json").read_text(encoding="utf-8"))
    names = {o.value.lstrip("$") for o in interface.objects}
    for task in tasks:
        assert names <= set(task["data"])
        (prediction,) = task["predictions"]
        assert interface.validate_prediction(prediction, return_errors=True) == []
        assert isinstance(prediction["model_version"], str) and 0 <= prediction["score"] <= 1
    bad = json.loads(json.dumps(tasks[0]["predictions"][0]))
    bad["result"][0]["value"]["choices"] = ["maybe"]
    assert interface.validate_prediction(bad, return_errors=True)


def test_argilla_records_load_in_the_sdk(claims, tmp_path):
    rg = pytest.importorskip("argilla")
    export_tasks(claims, tmp_path / "records.json", "argilla")
    settings = argilla_format.settings()
    for data in json.loads((tmp_path / "records.json").read_text(encoding="utf-8")):
        record = rg.Record.from_dict(data)
        suggestion = record.suggestions["label"]
        assert suggestion.value in settings["questions"]["label"] and suggestion.agent == "opus-mt + e5 + head abc"
        assert 0 <= suggestion.score <= 1 and set(record.fields) == set(settings["fields"])
        assert set(settings["metadata"]) <= set(record.metadata)


def test_prodigy_tasks_follow_the_choice_task_format(claims, tmp_path):
    export_tasks(claims, tmp_path / "tasks.jsonl", "prodigy")
    for line in (tmp_path / "tasks.jsonl").read_text(encoding="utf-8").splitlines():
        task = json.loads(line)
        assert isinstance(task["text"], str) and isinstance(task["meta"], dict) and isinstance(task["score"], float)
        ids = [o["id"] for o in task["options"]]
        assert ids == ["russian_gain", "russian_loss", "neutral"] and all(
            isinstance(o["text"], str) for o in task["options"]
        )
        assert task["accept"] == [task["label"]] and task["label"] in ids


SPAN = {"doc": "d", "start": 0, "end": 1, "language": "en"}


def _ls(data, choice):
    return json.dumps([{**data, "annotations": [{"result": [{"from_name": "label", "value": {"choices": [choice]}}]}]}])


def _prodigy(**task):
    return json.dumps({"text": "x", "answer": "accept", "accept": ["gain"], "options": [], **task})


MALFORMED = [
    ("prodigy", _prodigy(meta={}) + "\nnot json\n", "x.txt:1: the task has no 'doc'"),
    ("prodigy", "\n" + _prodigy(meta=SPAN) + "\n{oops\n", "x.txt:3: not JSON"),
    ("prodigy", '{"text": "x", "meta": {}}\n', "x.txt:1: 'answer' must be"),
    ("prodigy", _prodigy(meta=SPAN, accept=[]), "x.txt:1: 'accept' must hold exactly one"),
    ("label-studio", _ls({"id": 7, "data": {"text": "x", **SPAN}}, "maybe"), "task 1 (id 7): unknown label 'maybe'"),
    ("label-studio", _ls({"data": {"text": "x", **SPAN, "start": "?"}}, "neutral"), "task 1: the task needs integer"),
    ("label-studio", _ls({"data": {"text": "x", **SPAN, "language": "English"}}, "neutral"), "language 'English'"),
    (
        "argilla",
        json.dumps(
            [
                {
                    "id": "r",
                    "fields": {"text": "x"},
                    "metadata": SPAN,
                    "responses": {"label": [{"value": "neutral"}, {"value": "russian_gain"}]},
                }
            ]
        ),
        "record 1 (id r): annotators disagree",
    ),
    ("argilla", '{"fields": {}}', "a JSON list of records"),
]


@pytest.mark.parametrize(("format", "content", "message"), MALFORMED)
def test_a_malformed_row_is_refused_naming_it(format, content, message, tmp_path):
    path = tmp_path / "x.txt"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=re.escape(message)):
        read_corrections(path, format)


def test_short_label_names_and_certainty_are_read(tmp_path):
    data = {"text": "x", "doc": "d", "start": 0, "end": 1, "language": "en"}
    result = [
        {"from_name": "label", "value": {"choices": ["gain"]}},
        {"from_name": "certainty", "value": {"choices": ["ambiguous"]}},
    ]
    (tmp_path / "e.json").write_text(
        json.dumps([{"data": data, "annotations": [{"result": result}]}]), encoding="utf-8"
    )
    (row,) = read_corrections(tmp_path / "e.json")
    assert row.label is Label.RUSSIAN_GAIN and row.certainty == "ambiguous"


def test_label_studio_json_min_exports_are_read_too(tmp_path):
    flat = [{"id": 3, "text": "x", **SPAN, "claimx_label": "neutral", "label": "russian_loss", "annotator": 1}]
    (tmp_path / "min.json").write_text(json.dumps([*flat, {"id": 4, "text": "y", **SPAN}]), encoding="utf-8")
    rows, skipped = read_export(tmp_path / "min.json")
    assert skipped == 1 and rows[0].label is Label.RUSSIAN_LOSS and rows[0].changed


def test_corrections_are_a_corpus_and_a_gold_file(claims, tmp_path):
    export_tasks(claims, tmp_path / "t.json", "argilla")
    rows = read_corrections(export_back("argilla", tmp_path / "t.json", tmp_path / "e.json", _flip))
    write_corrections(rows, tmp_path / "corrections.tsv")
    corpus = read_corpus(tmp_path / "corrections.tsv")
    assert [(r.group, r.label, r.text) for r in corpus] == [(r.group, r.label, r.text.replace("\t", " ")) for r in rows]
    gold = load_gold(tmp_path / "corrections.tsv")
    assert [(g.doc, g.label) for g in gold] == [(r.doc, r.label.value) for r in rows]
    assert len(read_corpus([tmp_path / "corrections.tsv", tmp_path / "corrections.tsv"])) == 2 * len(rows)


def test_uncertainty_picks_the_smallest_margins(claims):
    assert [(c.doc_id, c.sentence_index) for c in select_claims(claims, 2)] == [("b", 0), ("a", 1)]


def test_diversity_spreads_over_documents_before_repeating_one(claims):
    picked = select_claims(claims, 4, "diversity")
    assert {c.doc_id for c in picked[:3]} == {"a", "b", "c"} and picked[0].doc_id == "b"  # least certain first
    assert len(select_claims(claims, 100, "diversity")) == len(claims)


def test_disagreement_needs_a_second_classifier_and_puts_different_labels_first(claims):
    with pytest.raises(ConfigError, match="--against"):
        select_claims(claims, 2, "disagreement")
    other = [_claim(c.doc_id, c.sentence_index, (0.1, 0.1, 0.8)) for c in claims]
    picked = select_claims(claims, 3, "disagreement", other=other)
    assert (
        all(c.label is not Label.NEUTRAL for c in picked) and picked[0].doc_id == "b" and picked[0].sentence_index == 1
    )
    with pytest.raises(ConfigError, match="-n must be"):
        select_claims(claims, 0)


def test_tasks_keep_context_within_the_document(claims):
    tasks = build_tasks([claims[2], claims[3]], claims, context=2)
    assert tasks[0].before == f"{claims[0].text} {claims[1].text}" and tasks[0].after == ""
    assert tasks[1].before == "" and tasks[1].after == claims[4].text


def test_no_annotation_tool_is_imported_at_run_time():
    code = (
        "import sys, claimx.annotation, claimx.cli.select, claimx.cli.export, claimx.cli.import_labels;"
        "print(sorted(m for m in ('argilla', 'label_studio_sdk', 'prodigy') if m in sys.modules))"
    )
    assert (
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "[]"
    )
    assert "Choices" in label_studio.LABEL_CONFIG


def test_a_correction_that_contradicts_the_corpus_is_refused_naming_both_lines(tmp_path):
    from claimx.train import train_from_corpus

    header = "group\tlanguage\tlabel\tcertainty\ttext\n"
    (tmp_path / "corpus.tsv").write_text(header + "g\ten\tneutral\tclear\tTalks were held.\n", encoding="utf-8")
    (tmp_path / "fix.tsv").write_text(header + "doc:d\ten\trussian_gain\tclear\tTalks were held.\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"fix.tsv:2: .* neutral at .*corpus.tsv:2 and russian_gain here"):
        train_from_corpus([tmp_path / "corpus.tsv", tmp_path / "fix.tsv"], tmp_path / "head", encoder=object())
    with pytest.raises(ConfigError, match="weight"):
        train_from_corpus([tmp_path / "corpus.tsv"], tmp_path / "head", encoder=object(), extra_weight=0)
