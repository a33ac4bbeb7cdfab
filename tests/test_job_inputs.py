"""Reading inputs under a hostile user: FIFOs, the run's own output, bad globs, equal names, broken datasets."""

from __future__ import annotations

import json
import os
import threading

import pytest

import claimx
from claimx.errors import InputError
from claimx.io import InputFailure, check_inputs, iter_inputs
from claimx.job import JobOutput

GOOD = "Russia has opened a new naval base on the Red Sea coast, officials in Moscow said."


def _within(seconds, fn):
    """fn() run in a thread; fails instead of hanging the suite if it blocks."""
    box = {}
    thread = threading.Thread(target=lambda: box.update(value=fn()), daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), "blocked"
    return box["value"]


def test_a_fifo_is_recorded_never_opened(tmp_path):
    """A named FIFO, or one inside a folder, is an InputFailure instead of a hang or silence."""
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(GOOD, encoding="utf-8")
    os.mkfifo(tmp_path / "in" / "pipe.txt")
    os.mkfifo(tmp_path / "feed.jsonl")
    os.mkfifo(tmp_path / "rows.csv")
    items = _within(
        30, lambda: list(iter_inputs([str(tmp_path / "in"), str(tmp_path / "feed.jsonl"), str(tmp_path / "rows.csv")]))
    )
    assert [(i.id, type(i).__name__) for i in items] == [
        ("a", "Document"),
        ("pipe", "InputFailure"),
        ("feed", "InputFailure"),
        ("rows.csv", "InputFailure"),
    ]
    assert all("not a regular file (a FIFO)" in i.reason for i in items[1:])


def test_the_runs_own_files_are_never_read(tmp_path):
    """Named as an input, the output is refused; inside a folder, it is skipped."""
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "docs.jsonl").write_text(json.dumps({"id": "a", "text": GOOD}) + "\n", encoding="utf-8")
    out = JobOutput(folder / "claims.jsonl")
    out.open()
    out.close()
    (folder / "claims.jsonl").write_text('{"doc_id": "a"}\n', encoding="utf-8")
    items = list(iter_inputs([str(folder)], glob="*.jsonl", exclude=out.files()))
    assert [i.id for i in items] == ["a"]
    (folder / "link.jsonl").symlink_to(folder / "claims.jsonl")
    os.link(folder / "claims.jsonl", tmp_path / "hard.jsonl")
    for named in ("claims.jsonl", "./claims.jsonl", "link.jsonl", "claims.jsonl.documents.jsonl"):
        with pytest.raises(InputError, match="also an output of this run"):
            check_inputs([str(folder / named)], exclude=out.files())
    with pytest.raises(InputError, match="also an output of this run"):
        check_inputs([str(tmp_path / "hard.jsonl")], exclude=out.files())
    cwd = os.getcwd()
    os.chdir(folder)
    try:
        with pytest.raises(InputError, match="also an output"):
            check_inputs(["./claims.jsonl"], exclude=JobOutput("claims.jsonl").files())
    finally:
        os.chdir(cwd)


@pytest.mark.parametrize("glob", ["/etc/*", "../*", "", "**.txt"])
def test_a_glob_outside_the_folder_is_a_usage_error(glob, tmp_path):
    """--glob '/etc/*' was a NotImplementedError traceback."""
    with pytest.raises(InputError, match="--glob"):
        list(iter_inputs([str(tmp_path)], glob=glob))


def test_equal_names_in_two_folders_can_keep_apart(tmp_path):
    """2024/report.txt and 2025/report.txt: path ids on request."""
    for year in ("2024", "2025"):
        (tmp_path / "news" / year).mkdir(parents=True)
        (tmp_path / "news" / year / "report.txt").write_text(f"{GOOD} ({year})", encoding="utf-8")
    stems = [d.id for d in iter_inputs([str(tmp_path / "news")])]
    assert stems == ["report", "report"]
    paths = [d.id for d in iter_inputs([str(tmp_path / "news")], id_from="path")]
    assert paths == [f"{tmp_path.as_posix()}/news/2024/report.txt", f"{tmp_path.as_posix()}/news/2025/report.txt"]
    with pytest.raises(InputError, match="id_from"):
        list(iter_inputs([str(tmp_path)], id_from="name"))


def test_equal_names_name_the_fix_in_the_duplicate_record(tmp_path):
    from tests.test_job_resume import extractor, manifest

    for year in ("2024", "2025"):
        (tmp_path / "news" / year).mkdir(parents=True)
        (tmp_path / "news" / year / "report.txt").write_text(f"{GOOD} ({year})", encoding="utf-8")
    out = tmp_path / "claims.jsonl"
    claimx.job.run_job(extractor(), iter_inputs([str(tmp_path / "news")]), JobOutput(out), quiet=True)
    (dup,) = [r for r in manifest(out) if r["status"] == "duplicate"]
    assert "--id-from path" in dup["error"] and "2024/report.txt" in dup["error"]
    assert dup["source"].endswith("2025/report.txt")
    inputs = iter_inputs([str(tmp_path / "news")], id_from="path")
    claimx.job.run_job(extractor(), inputs, JobOutput(tmp_path / "by-path.jsonl"), quiet=True)
    assert {r["status"] for r in manifest(tmp_path / "by-path.jsonl")} == {"ok"}


def test_an_unreadable_input_among_good_ones_is_one_failure(tmp_path):
    """A CSV without the text column and a broken parquet no longer stop the others."""
    (tmp_path / "notext.csv").write_text("body\nRussia gains.\n", encoding="utf-8")
    (tmp_path / "broken.parquet").write_bytes(b"PAR1 not parquet")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(GOOD, encoding="utf-8")
    items = list(iter_inputs([str(tmp_path / "notext.csv"), str(tmp_path / "broken.parquet"), str(tmp_path / "in")]))
    assert [(i.id, type(i).__name__) for i in items] == [
        ("notext.csv", "InputFailure"),
        ("broken.parquet", "InputFailure"),
        ("a", "Document"),
    ]
    assert "--text-column" in items[0].reason and "cannot read dataset" in items[1].reason


def test_a_broken_symlink_in_a_folder_is_recorded(tmp_path):
    (tmp_path / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    (failure,) = iter_inputs([str(tmp_path)])
    assert isinstance(failure, InputFailure) and failure.id == "gone"
