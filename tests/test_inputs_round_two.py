"""Issue 16, inputs: ids as written, suffixes in any case, one bad line refused alone, names kept losslessly."""

from __future__ import annotations

import json
import os
import sys

import pytest

from claimx.io import InputFailure, iter_inputs

GOOD = "Russia has opened a new naval base on the Red Sea coast, officials in Moscow said."


def ids(items):
    return [(i.id, type(i).__name__) for i in items]


def test_numeric_looking_ids_in_csv_and_parquet_stay_as_written(tmp_path):
    """Item 6: 001, 1 and 01 are three documents, not three times "1"."""
    import pandas as pd

    frame = pd.DataFrame({"id": ["001", "1", "01", "1.50"], "text": [GOOD, GOOD, GOOD, "42"]})
    frame.to_csv(tmp_path / "rows.csv", index=False)
    frame.to_parquet(tmp_path / "rows.parquet", index=False)
    for name in ("rows.csv", "rows.parquet"):
        items = list(iter_inputs([str(tmp_path / name)]))
        assert ids(items) == [(i, "Document") for i in ("001", "1", "01", "1.50")], name
        assert items[3].text == "42"


def test_upper_case_suffixes_are_read_by_their_reader(tmp_path):
    """Item 7: news.CSV is a table and data.JSONL a JSONL file, not one plain-text document each."""
    (tmp_path / "news.CSV").write_text(f'id,text\na,"{GOOD}"\nb,"{GOOD}"\n', encoding="utf-8")
    (tmp_path / "data.JSONL").write_text(json.dumps({"id": "c", "text": GOOD}) + "\n", encoding="utf-8")
    items = list(iter_inputs([str(tmp_path / "news.CSV"), str(tmp_path / "data.JSONL")]))
    assert ids(items) == [("a", "Document"), ("b", "Document"), ("c", "Document")]


def test_a_folder_matches_suffixes_in_any_case_and_lists_what_it_skips(tmp_path, caplog):
    """Item 7: .TXT files in a folder are read; anything --glob leaves out is named, not silently skipped."""
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_text(GOOD, encoding="utf-8")
    (folder / "B.TXT").write_text(GOOD, encoding="utf-8")
    (folder / "sub" / "c.Txt").write_text(GOOD, encoding="utf-8")
    (folder / "notes.md").write_text(GOOD, encoding="utf-8")
    with caplog.at_level("WARNING"):
        items = list(iter_inputs([str(folder)]))
    assert sorted(i.id for i in items) == ["B", "a", "c"]
    assert "notes.md" in caplog.text and "1 file" in caplog.text


def test_one_undecodable_line_of_a_jsonl_file_is_refused_alone(tmp_path):
    """Item 8: a bad byte on line 151 of 200 loses that line only, not the 49 good records after it."""
    lines = [json.dumps({"id": f"r{i}", "text": GOOD}).encode() for i in range(1, 201)]
    lines[150] = b'{"id": "r151", "text": "Russia \xff gains."}'
    path = tmp_path / "in.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    items = list(iter_inputs([str(path)]))
    assert len(items) == 200
    failures = [i for i in items if isinstance(i, InputFailure)]
    assert len(failures) == 1 and "line 151" in failures[0].reason and "UTF-8" in failures[0].reason
    assert [i.id for i in items if not isinstance(i, InputFailure)][-1] == "r200"


@pytest.mark.skipif(sys.platform == "darwin", reason="macOS refuses non-UTF-8 file names")
def test_a_latin1_byte_in_a_file_name_gives_a_lossless_id(tmp_path):
    """Item 17: lat\\xe9n.txt is a good document with an id that can be written, and tells apart from latin.txt."""
    folder = tmp_path / "in"
    folder.mkdir()
    with open(os.path.join(os.fsencode(folder), b"lat\xe9n.txt"), "w", encoding="utf-8") as f:
        f.write(GOOD)
    (folder / "latin.txt").write_text(GOOD, encoding="utf-8")
    items = list(iter_inputs([str(folder)]))
    assert all(type(i).__name__ == "Document" for i in items), items
    names = sorted(i.id for i in items)
    assert names == ["lat\\xe9n", "latin"]
    for i in items:
        i.id.encode("utf-8")
        str(i.metadata["source"]).encode("utf-8")
