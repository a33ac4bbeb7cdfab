"""The resumable job in Python: duplicates, locks, configurations, model failures, the manifest.

A fast fake classifier stands in for a model, so each case runs in well under a second.
"""

from __future__ import annotations

import json

import pytest
from filelock import FileLock

import claimx
from claimx.classify.decision import Decision
from claimx.errors import ModelError, OutputError
from claimx.io import InputFailure, iter_inputs, read_claims
from claimx.job import JobOutput, JobSummary, run_job
from claimx.testing import FunctionClassifier, stance

TEXT = "Russia signed defence agreement number {i} with a partner state in Africa. Moscow praised the deal."


def fake_classifier(fail: bool = False, stop_after: int | None = None) -> FunctionClassifier:
    """Scores every sentence the same; fails (like a broken model) or stops (like a kill) when told."""

    def handler(texts):
        if stop_after is not None and clf.calls > stop_after:
            raise KeyboardInterrupt  # the process dies here: nothing after this is written
        if fail:
            raise ModelError("kernel exploded")
        return [stance(0.9, 0.1) for _ in texts]

    clf = FunctionClassifier(handler, model_id="fake")
    return clf


def extractor(chunk=32, **options):
    return claimx.Extractor(classifier=fake_classifier(**options), device="cpu", chunk_size=chunk)


def docs(n):
    return [claimx.Document(f"d{i:03d}", TEXT.format(i=i), metadata={"source": f"d{i}.txt"}) for i in range(n)]


def manifest(out):
    return [json.loads(line) for line in open(f"{out}.documents.jsonl", encoding="utf-8")]


def errors(out):
    return [json.loads(line) for line in open(f"{out}.errors.jsonl", encoding="utf-8")]


def test_a_duplicate_never_marks_its_id_done_before_the_first_is_written(tmp_path):
    """X, 30 documents, X again, then a kill: a rerun still writes X's claims."""
    out = tmp_path / "claims.jsonl"
    inputs = [claimx.Document("X", "Russia opened a naval base in Sudan.", metadata={"source": "a.jsonl"}), *docs(30)]
    inputs.append(claimx.Document("X", "Russia lost its base in Syria.", metadata={"source": "b.jsonl"}))
    with pytest.raises(KeyboardInterrupt):  # killed while the first chunk (X .. X again) is in the model
        run_job(extractor(stop_after=0), inputs, JobOutput(out), quiet=True)
    summary = run_job(extractor(), inputs, JobOutput(out), quiet=True)
    assert summary.documents == 32 and summary.already_done == 0
    claims = read_claims(out)
    assert {c.text for c in claims if c.doc_id == "X"} == {"Russia opened a naval base in Sudan."}
    statuses = [(r["id"], r["status"]) for r in manifest(out) if r["id"] == "X"]
    assert statuses == [("X", "ok"), ("X", "duplicate")]  # the duplicate after the first
    again = run_job(extractor(), inputs, JobOutput(out), quiet=True)
    assert again.documents == 0 and again.already_done == 32
    assert len(manifest(out)) == 32 and len(errors(out)) == 1


def test_a_second_run_on_the_same_output_is_refused(tmp_path):
    """While one run holds the output, another refuses instead of writing every claim twice."""
    out = tmp_path / "claims.jsonl"
    held = FileLock(f"{out}.lock", timeout=0)
    held.acquire()
    try:
        with pytest.raises(OutputError, match="another claimx run is writing"):
            run_job(extractor(), docs(3), JobOutput(out), quiet=True)
    finally:
        held.release()
    first = JobOutput(out)
    first.open()
    with pytest.raises(OutputError, match="another claimx run"):
        JobOutput(out).open()
    first.close()
    assert run_job(extractor(), docs(3), JobOutput(out), quiet=True).claims == 6
    assert len(read_claims(out)) == 6


def test_resume_with_another_configuration_is_refused(tmp_path):
    """The config is written beside the output; a changed one refuses, naming the field."""
    out = tmp_path / "claims.jsonl"
    with pytest.raises(KeyboardInterrupt):
        run_job(extractor(stop_after=1, chunk=4), docs(12), JobOutput(out), quiet=True)
    assert len(manifest(out)) == 4
    saved = claimx.ExtractorConfig.from_file(f"{out}.config.toml")
    assert saved.to_dict() == extractor(chunk=4).config.to_dict()
    other = claimx.Extractor(classifier=fake_classifier(), device="cpu", decision=Decision(0.7))
    with pytest.raises(OutputError, match=r"decision\.threshold: \(default\) -> 0\.7") as info:
        run_job(other, docs(12), JobOutput(out), quiet=True)
    assert "--restart" in str(info.value)
    assert len(manifest(out)) == 4  # nothing touched
    # Speed-only options may change on resume: the same claims come out.
    faster = claimx.Extractor(classifier=fake_classifier(), device="cpu", threads=1, batch_size=4)
    summary = run_job(faster, docs(12), JobOutput(out), quiet=True)
    assert summary.already_done == 4 and summary.documents == 8
    # restart: the output starts afresh under the new configuration.
    summary = run_job(other, docs(12), JobOutput(out, restart=True), quiet=True)
    assert summary.documents == 12 and summary.already_done == 0 and len(read_claims(out)) == 24
    assert claimx.ExtractorConfig.from_file(f"{out}.config.toml").decision.threshold == 0.7


def test_a_changed_configuration_before_any_document_finished_is_simply_used(tmp_path):
    out = tmp_path / "claims.jsonl"
    with pytest.raises(KeyboardInterrupt):
        run_job(extractor(stop_after=0), docs(3), JobOutput(out), quiet=True)
    other = claimx.Extractor(classifier=fake_classifier(), device="cpu", decision=Decision(0.7))
    assert run_job(other, docs(3), JobOutput(out), quiet=True).documents == 3


def test_model_failures_are_retried_and_bad_input_is_not(tmp_path):
    """A rerun after a failing model retries those documents; bad input stays done."""
    out = tmp_path / "claims.jsonl"
    inputs = [*docs(5), InputFailure("bad", "bad.txt", "binary data"), claimx.Document("empty", " ")]
    first = run_job(extractor(fail=True), inputs, JobOutput(out), quiet=True)
    assert first.model_failures == 5 and len(first.failed) == 7 and first.claims == 0
    assert {r["status"] for r in manifest(out)} == {"model_error", "input_error"}
    second = run_job(extractor(), inputs, JobOutput(out), quiet=True)
    assert second.documents == 5 and second.already_done == 2 and second.model_failures == 0
    assert second.claims == 10 and len(read_claims(out)) == 10
    by_id = {r["id"]: r for r in manifest(out)}
    assert len(manifest(out)) == 7 and {by_id[f"d{i:03d}"]["status"] for i in range(5)} == {"ok"}
    assert by_id["bad"]["status"] == by_id["empty"]["status"] == "input_error"
    assert sorted(e["doc_id"] for e in errors(out)) == ["bad", "empty"]  # stale model errors are gone


def test_every_document_is_one_manifest_line(tmp_path):
    """A document without claims is visible, with what was dropped and why."""
    out = tmp_path / "claims.jsonl"
    inputs = [
        claimx.Document("claims", "date 2024-03-01\nRussia opened a naval base in Sudan, officials said on Monday."),
        claimx.Document("none", "Russia is isolated."),
        claimx.Document("xs", "x" * 60_000),
        claimx.Document("empty", ""),
        InputFailure("broken", "broken.txt", "binary data"),
        claimx.Document("claims", "Russia again."),
    ]
    summary = run_job(extractor(), inputs, JobOutput(out), keep=lambda c: True, quiet=True)
    records = manifest(out)
    assert sorted(r["id"] for r in records) == sorted(d.id for d in inputs)
    by_status = {(r["id"], r["status"]) for r in records}
    assert by_status == {
        ("claims", "ok"),
        ("claims", "duplicate"),
        ("none", "ok"),
        ("xs", "ok"),
        ("empty", "input_error"),
        ("broken", "input_error"),
    }
    ok = {r["id"]: r for r in records if r["status"] == "ok"}
    assert ok["claims"]["claims"] == len([c for c in read_claims(out) if c.doc_id == "claims"]) > 0
    assert ok["claims"]["date"] == "2024-03-01" and ok["claims"]["metadata"]["date"] == "2024-03-01"
    for doc_id in ("none", "xs"):
        assert ok[doc_id]["claims"] == 0 and ok[doc_id]["dropped"], ok[doc_id]
        assert all({"start", "end", "reason"} <= set(d) and d["reason"] for d in ok[doc_id]["dropped"])
    assert summary.without_claims == 2
    for r in records:
        assert {"id", "source", "status", "claims", "dropped", "warnings", "error", "metadata"} <= set(r)
        assert bool(r["error"]) == (r["status"] != "ok")


def test_a_lone_surrogate_is_a_bad_input_record_not_a_crash(tmp_path):
    """Valid JSON, invalid Unicode: recorded, and every rerun gets past it."""
    jsonl = tmp_path / "in.jsonl"
    jsonl.write_text(
        '{"id": "s", "text": "Russia \\ud83d gains."}\n{"id": "\\udc00", "text": "Russia gains."}\n'
        + json.dumps({"id": "ok", "text": "Russia opened a naval base in Sudan."})
        + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "claims.jsonl"
    for _ in range(2):
        run_job(extractor(), iter_inputs([str(jsonl)]), JobOutput(out), quiet=True)
    assert {c.doc_id for c in read_claims(out)} == {"ok"}
    by_id = {r["id"]: r for r in manifest(out)}
    assert by_id["s"]["status"] == by_id["\udc00"]["status"] == "input_error"
    assert "surrogate" in by_id["s"]["error"]


def test_an_existing_file_that_is_no_claimx_output_is_not_overwritten(tmp_path):
    out = tmp_path / "notes.jsonl"
    out.write_text('{"my": "precious"}\n', encoding="utf-8")
    with pytest.raises(OutputError, match="not written by a resumable claimx run"):
        run_job(extractor(), docs(2), JobOutput(out), quiet=True)
    assert out.read_text(encoding="utf-8") == '{"my": "precious"}\n'
    assert run_job(extractor(), docs(2), JobOutput(out, restart=True), quiet=True).claims == 4


def test_summary_groups_like_reasons():
    """3,000 bad lines are one line of the summary, not 3,000."""
    summary = JobSummary()
    summary.failed = [(f"f:{i}", f"line {i} is not JSON: Expecting value: line 1 column {i % 7}") for i in range(3000)]
    summary.failed += [("dup", "duplicate document id 'dup': an earlier document (a.txt) has it")] * 2
    text = summary.format()
    assert len(text.splitlines()) < 10
    assert "3000 x line N is not JSON" in text and "2 x duplicate document id" in text


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: claimx.extract(b"Russia gains."), "bytes; decode them first"),
        (lambda: claimx.extract(None), "documents is None"),
        (lambda: claimx.extract(["Russia gains."], on_error="bogus"), "on_error must be"),
        (lambda: claimx.extract(42), "iterable"),
    ],
)
def test_python_api_mistakes_are_clear_errors(call, match):
    """claimx errors naming the fix, before any model loads."""
    with pytest.raises(claimx.ClaimxError, match=match):
        call()


def test_a_bytes_item_among_documents_names_the_fix():
    (result,) = extractor().process([b"Russia gains."])
    assert "decode bytes first" in result.error
