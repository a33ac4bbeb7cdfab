"""Issue 16, data lost or mixed: the resumable job under a second hostile user.

A fast fake classifier stands in for a model (through ``Extractor.from_config`` for the
CLI), so each case runs in well under a second.
"""

from __future__ import annotations

import json
import math

import pytest

import claimx
from claimx.cli import main
from claimx.errors import OutputError
from claimx.extractor import Extractor
from claimx.io import read_claims
from claimx.job import JobOutput, run_job

SENTENCE = "Russia signed defence agreement number {i} with a partner state in Africa. Moscow praised the deal."


class Fake:
    """The same scores for every sentence; ``nan`` for sentences holding ``poison``."""

    model_id = "fake"
    default_threshold = 0.5

    def __init__(self, poison: str | None = None) -> None:
        self.poison = poison

    def classify(self, texts):
        bad = {"russian_gain": math.nan, "russian_loss": 0.1, "neutral": 0.1}
        good = {"russian_gain": 0.9, "russian_loss": 0.1, "neutral": 0.1}
        return [bad if self.poison and self.poison in t else good for t in texts]


def fake(**options):
    return Extractor(classifier=Fake(**options), device="cpu")


@pytest.fixture()
def fake_models(monkeypatch):
    """The CLI builds its extractor with the fake classifier."""
    monkeypatch.setattr(
        Extractor, "from_config", classmethod(lambda cls, config, **_: cls(config=config, classifier=Fake()))
    )


def manifest(out):
    return [json.loads(line) for line in open(f"{out}.documents.jsonl", encoding="utf-8").read().split("\n") if line]


def write_docs(folder, texts):
    folder.mkdir(exist_ok=True)
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.mark.parametrize("suffix", [".jsonl", ".csv"])
def test_unicode_line_separators_survive_a_plain_rerun(tmp_path, fake_models, suffix):
    """Item 1: NEL is written raw by json.dumps; a re-run must read every claim back.

    (U+2028 and U+2029 end a sentence, so they reach no claim; item 2 has them in ids.)
    """
    sep = "\u0085"
    docs = write_docs(tmp_path / "docs", {"a.txt": f"Russia opened a naval base{sep} in Sudan. Moscow praised it."})
    out = tmp_path / f"o{suffix}"
    assert main(["extract", str(docs), "-o", str(out), "-q"]) == 0
    first = [c.to_dict() for c in read_claims(out)]
    assert len(first) == 2 and sep in first[0]["text"]
    assert main(["extract", str(docs), "-o", str(out), "-q"]) == 0
    assert [c.to_dict() for c in read_claims(out)] == first
    assert [r["claims"] for r in manifest(out)] == [len(first)]


def test_line_separators_in_ids_and_metadata_read_back_as_done(tmp_path):
    """Item 2: the manifest line of an id with U+2028 reads back as done; no document is done twice."""
    out = tmp_path / "o.jsonl"
    inputs = [
        claimx.Document("a\u2028b", SENTENCE.format(i=1), metadata={"source": "x\u0085y.txt"}),
        claimx.Document("c", SENTENCE.format(i=2), metadata={"source": "c.txt", "note": "p\u2029q"}),
    ]
    assert run_job(fake(), inputs, JobOutput(out), quiet=True).documents == 2
    again = run_job(fake(), inputs, JobOutput(out), quiet=True)
    assert again.documents == 0 and again.already_done == 2
    assert len(manifest(out)) == 2 and len(read_claims(out)) == 4


def test_a_deleted_claims_file_is_redone_not_taken_as_done(tmp_path):
    """Item 3: the manifest's claim counts are checked against the claims file on resume."""
    out = tmp_path / "o.jsonl"
    inputs = [claimx.Document(f"d{i}", SENTENCE.format(i=i)) for i in range(3)]
    run_job(fake(), inputs, JobOutput(out), quiet=True)
    before = sorted(json.dumps(c.to_dict(), sort_keys=True) for c in read_claims(out))
    out.unlink()
    summary = run_job(fake(), inputs, JobOutput(out), quiet=True)
    assert summary.documents == 3 and summary.already_done == 0
    assert sorted(json.dumps(c.to_dict(), sort_keys=True) for c in read_claims(out)) == before
    assert [r["claims"] for r in manifest(out)] == [2, 2, 2]


def test_a_table_is_never_replaced_by_less(tmp_path, fake_models):
    """Item 4: CSV output, journal deleted: the re-run must not leave a header-only o.csv."""
    docs = write_docs(tmp_path / "docs", {f"d{i}.txt": SENTENCE.format(i=i) for i in range(3)})
    out = tmp_path / "o.csv"
    assert main(["extract", str(docs), "-o", str(out), "-q"]) == 0
    before = [c.to_dict() for c in read_claims(out)]
    assert len(before) == 6
    (tmp_path / "o.csv.journal.jsonl").unlink()
    main(["extract", str(docs), "-o", str(out), "-q"])
    assert [c.to_dict() for c in read_claims(out)] == before


def test_a_new_input_reusing_an_id_on_resume_gives_a_fresh_runs_result_or_refuses(tmp_path, fake_models, capsys):
    """Item 5: new.jsonl (sorted first) holds id x like docs/x.txt, which an earlier run finished."""
    docs = write_docs(tmp_path / "docs", {"x.txt": SENTENCE.format(i=1), "y.txt": SENTENCE.format(i=2)})
    new = tmp_path / "new.jsonl"
    new.write_text(json.dumps({"id": "x", "text": "Russia lost its base in Syria."}) + "\n", encoding="utf-8")
    out = tmp_path / "o.jsonl"
    assert main(["extract", str(docs), "-o", str(out), "-q"]) == 0
    code = main(["extract", str(new), str(docs), "-o", str(out), "-q"])
    records = manifest(out)
    sources = [r["source"] for r in records if r["id"] == "x"]
    if code == 2:  # refused, naming the id, with nothing changed
        assert "'x'" in capsys.readouterr().err
        assert sources == [str(docs / "x.txt")]
    else:  # what a fresh run gives: new.jsonl's x done, docs/x.txt its duplicate
        fresh = tmp_path / "fresh.jsonl"
        main(["extract", str(new), str(docs), "-o", str(fresh), "-q"])
        assert sorted((r["id"], r["source"], r["status"]) for r in records) == sorted(
            (r["id"], r["source"], r["status"]) for r in manifest(fresh)
        )
    assert len(sources) == len(set(sources))


def test_a_changed_filter_or_id_scheme_is_refused_on_resume(tmp_path, fake_models, capsys):
    """Item 9: --only, --min-score and --id-from shape what is written: recorded and checked like the config."""
    docs = write_docs(tmp_path / "docs", {f"d{i}.txt": SENTENCE.format(i=i) for i in range(2)})
    out = tmp_path / "o.jsonl"
    assert main(["extract", str(docs), "-o", str(out), "-q", "--only", "russian_loss"]) == 0
    assert "russian_loss" in (tmp_path / "o.jsonl.config.toml").read_text(encoding="utf-8")
    capsys.readouterr()
    for change in (["--only", "russian_gain"], ["--min-score", "0.5", "--only", "russian_loss"], []):
        assert main(["extract", str(docs), "-o", str(out), "-q", *change]) == 2, change
        assert "job." in capsys.readouterr().err
    assert main(["extract", str(docs), "-o", str(out), "-q", "--only", "russian_loss", "--id-from", "path"]) == 2
    assert "job.id_from: 'stem' -> 'path'" in capsys.readouterr().err
    assert main(["extract", str(docs), "-o", str(out), "-q", "--only", "russian_loss"]) == 0
    # the written config still works as --config
    assert claimx.ExtractorConfig.from_file(tmp_path / "o.jsonl.config.toml").device == "auto"


def test_non_finite_scores_are_a_model_failure_of_that_document(tmp_path):
    """Item 10: a NaN score never becomes 'ok, claims: 0', a claim with score nan, or a bare NaN in a file."""
    out = tmp_path / "o.jsonl"
    inputs = [claimx.Document("good", SENTENCE.format(i=1)), claimx.Document("bad", "Russia poisoned the well.")]
    summary = run_job(fake(poison="poison"), inputs, JobOutput(out), quiet=True)
    by_id = {r["id"]: r for r in manifest(out)}
    assert by_id["good"]["status"] == "ok" and by_id["bad"]["status"] == "model_error"
    assert "non-finite" in by_id["bad"]["error"] and summary.model_failures == 1
    assert "NaN" not in out.read_text(encoding="utf-8")
    with pytest.raises(claimx.ClaimxError, match="non-finite"):
        fake(poison="poison").extract(["Russia poisoned the well."], on_error="raise")


def test_earlier_failures_stay_until_retried(tmp_path):
    """Item 11: a model failure of run 1 stays in the manifest and errors file when run 2 adds other inputs."""
    out = tmp_path / "o.jsonl"
    run_job(fake(poison="poison"), [claimx.Document("bad", "Russia poisoned the well.")], JobOutput(out), quiet=True)
    run_job(fake(), [claimx.Document("other", SENTENCE.format(i=1))], JobOutput(out), quiet=True)
    assert sorted((r["id"], r["status"]) for r in manifest(out)) == [("bad", "model_error"), ("other", "ok")]
    assert [json.loads(line)["doc_id"] for line in open(f"{out}.errors.jsonl", encoding="utf-8")] == ["bad"]
    # retried and fixed: one line, ok, and the error gone
    run_job(fake(), [claimx.Document("bad", "Russia poisoned the well.")], JobOutput(out), quiet=True)
    assert sorted((r["id"], r["status"]) for r in manifest(out)) == [("bad", "ok"), ("other", "ok")]
    assert open(f"{out}.errors.jsonl", encoding="utf-8").read() == ""


def test_an_input_edited_after_it_finished_is_not_kept_with_stale_spans(tmp_path):
    """Item 12: a hash of each document's text is stored; a changed document is redone or refused by name."""
    out = tmp_path / "o.jsonl"
    run_job(fake(), [claimx.Document("a", SENTENCE.format(i=1))], JobOutput(out), quiet=True)
    assert manifest(out)[0].get("text_sha256")
    edited = claimx.Document("a", "Breaking: " + SENTENCE.format(i=1))
    try:
        run_job(fake(), [edited], JobOutput(out), quiet=True)
    except OutputError as e:
        assert "'a'" in str(e)
        return
    for claim in read_claims(out):
        assert edited.text[claim.start : claim.end] == claim.text


def test_duplicate_ids_on_stdout_and_in_the_api_are_handled(tmp_path, fake_models, capsys, monkeypatch, caplog):
    """Item 13: with -o - and the table, the second document of an id is reported, not emitted as the same one."""
    import io

    lines = [json.dumps({"id": "x", "text": SENTENCE.format(i=i)}) for i in range(2)]
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(lines) + "\n"))
    assert main(["extract", "-", "-o", "-", "-q"]) == 0
    emitted = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(emitted) == 2 and all("number 1 " not in c["text"] for c in emitted)
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(lines) + "\n"))
    main(["extract", "-"])
    captured = capsys.readouterr()
    assert captured.out.count("== x ") == 1 and "duplicate" in captured.err
    with caplog.at_level("WARNING"):
        fake().extract([claimx.Document("x", SENTENCE.format(i=0)), claimx.Document("x", SENTENCE.format(i=1))])
    assert "duplicate" in caplog.text


def test_a_table_holding_documents_its_journal_lacks_is_kept(tmp_path):
    """Item 4, the last guard: finishing never replaces a table by one that lacks some of its documents."""
    out = tmp_path / "o.csv"
    run_job(fake(), [claimx.Document("a", SENTENCE.format(i=1))], JobOutput(out), quiet=True)
    run_job(fake(), [claimx.Document("b", SENTENCE.format(i=2))], JobOutput(out, restart=True), quiet=True)
    table = out.read_bytes()
    claimx.write_claims([*read_claims(out), *fake().extract([claimx.Document("z", SENTENCE.format(i=3))])], out)
    before = out.read_bytes()
    assert before != table
    with pytest.raises(OutputError, match="not replacing"):
        run_job(fake(), [claimx.Document("c", SENTENCE.format(i=4))], JobOutput(out), quiet=True)
    assert out.read_bytes() == before


def test_a_stdin_document_failing_in_the_pipeline_names_stdin(tmp_path, fake_models, monkeypatch):
    """Item 20: the failure record of a document read from - that the pipeline refuses had "source": ""."""
    import io

    surrogate = '{"id": "a", "text": "Russia \\ud83d gains."}'
    monkeypatch.setattr("sys.stdin", io.StringIO(surrogate + "\n"))
    out = tmp_path / "o.jsonl"
    main(["extract", "-", "-o", str(out), "-q"])
    assert [r["source"] for r in manifest(out)] == ["<stdin>"]
    assert [json.loads(line)["source"] for line in open(f"{out}.errors.jsonl", encoding="utf-8")] == ["<stdin>"]


def test_an_unwritable_output_is_a_usage_error(tmp_path, fake_models, capsys):
    """Item 20: not "re-run the same command to resume" with exit 1."""
    docs = write_docs(tmp_path / "docs", {"a.txt": SENTENCE.format(i=1)})
    (tmp_path / "o.jsonl.config.toml").mkdir()  # as good as a read-only file, even for root
    assert main(["extract", str(docs), "-o", str(tmp_path / "o.jsonl"), "-q"]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "re-run" not in err, err


class Pickled(Fake):
    def classify(self, texts):
        from claimx.errors import UnsafeModelError

        raise UnsafeModelError("pytorch_model.bin needs pickle; pass --allow-pickle to accept it")


def test_a_refused_pickle_is_a_usage_error_not_a_model_failure_retried_forever(tmp_path):
    """Item 20: every document was recorded as a model failure, and retried on every run."""
    from claimx.errors import UnsafeModelError

    out = tmp_path / "o.jsonl"
    inputs = [claimx.Document(f"d{i}", SENTENCE.format(i=i)) for i in range(3)]
    with pytest.raises(UnsafeModelError, match="allow-pickle"):
        run_job(Extractor(classifier=Pickled(), device="cpu"), inputs, JobOutput(out), quiet=True)
    assert "model_error" not in open(f"{out}.documents.jsonl", encoding="utf-8").read()
