import codecs
import json

import pytest

import claimx
from claimx.errors import InputError
from claimx.io import InputFailure, decode_bytes, iter_inputs, read_claims, write_claims


def test_decode_bytes_cases():
    assert decode_bytes("Größe".encode()) == "Größe"
    assert decode_bytes(codecs.BOM_UTF8 + "Größe".encode()) == "Größe"
    assert decode_bytes("Größe".encode("utf-16")) == "Größe"
    with pytest.raises(InputError, match="not UTF-8"):
        decode_bytes(b"caf\xe9 au lait")
    with pytest.raises(InputError, match="binary"):
        decode_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")


def test_mixed_inputs(tmp_path):
    (tmp_path / "dir" / "sub").mkdir(parents=True)
    (tmp_path / "dir" / "a.txt").write_text("Alpha text about Russia.", encoding="utf-8")
    (tmp_path / "dir" / "sub" / "b.txt").write_bytes(b"bad \xc3\x28 utf8")
    (tmp_path / "dir" / "skip.md").write_text("not taken", encoding="utf-8")
    jsonl = tmp_path / "docs.jsonl"
    jsonl.write_text(
        json.dumps({"id": "j1", "text": "One.", "source": "wire"})
        + "\n{not json\n"
        + json.dumps({"id": "j3", "body": "no text"})
        + "\n\n",
        encoding="utf-8",
    )
    items = list(iter_inputs([str(tmp_path / "dir"), str(jsonl)]))
    ids = [i.id for i in items]
    assert ids == ["a", "b", "j1", f"{jsonl}:2", "j3"]
    assert isinstance(items[0], claimx.Document) and items[0].metadata["source"].endswith("a.txt")
    assert isinstance(items[1], InputFailure) and "undecodable" in items[1].reason
    assert items[2].metadata["source"] == "wire"
    assert isinstance(items[3], InputFailure) and "not JSON" in items[3].reason
    assert isinstance(items[4], InputFailure) and "'text'" in items[4].reason


def test_missing_path_is_a_usage_error(tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        list(iter_inputs([str(tmp_path / "nope.txt")]))


def test_datasets_inputs(tmp_path):
    import datasets

    ds = datasets.Dataset.from_dict({"url": ["u1", "u2"], "body": ["First doc.", "Second doc."], "year": [2023, 2024]})
    ds.save_to_disk(str(tmp_path / "saved"))
    ds.to_parquet(str(tmp_path / "rows.parquet"))
    for path in (tmp_path / "saved", tmp_path / "rows.parquet"):
        docs = list(iter_inputs([str(path)], text_column="body", id_column="url"))
        assert [(d.id, d.text, d.metadata["year"]) for d in docs] == [
            ("u1", "First doc.", 2023),
            ("u2", "Second doc.", 2024),
        ]
    # A dataset without the text column is one recorded failure, not the end of the run.
    (failure,) = iter_inputs([str(tmp_path / "saved")], text_column="missing")
    assert isinstance(failure, InputFailure) and "--text-column" in failure.reason and failure.id == "saved"


@pytest.mark.parametrize("suffix", [".jsonl", ".csv", ".parquet"])
def test_claim_files_round_trip(tmp_path, suffix):
    from tests.test_types import make_claim

    claims = [make_claim(), make_claim(doc_id="007", text='He said "no", twice.\nNew line', label="neutral")]
    path = tmp_path / f"claims{suffix}"
    write_claims(claims, path)
    assert read_claims(path) == claims


def test_records_with_bad_metadata_or_language_are_reported(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text(
        json.dumps({"id": "m", "text": "x", "metadata": "not an object"})
        + "\n"
        + json.dumps({"id": "l", "text": "x", "language": 7})
        + "\n"
        + json.dumps({"id": "ok", "text": "x", "metadata": {"a": 1}, "language": "de"})
        + "\n",
        encoding="utf-8",
    )
    items = list(iter_inputs([str(path)]))
    assert [type(i).__name__ for i in items] == ["InputFailure", "InputFailure", "Document"]
    assert "metadata" in items[0].reason and "language" in items[1].reason
    assert items[2].metadata == {"a": 1, "source": str(path)} and items[2].language == "de"


def test_python_mappings_with_bad_fields_do_not_stop_the_others(tiny_extractor):
    results = list(
        tiny_extractor.process(
            [
                {"id": "bad", "text": "x", "metadata": 5},
                {"id": "ok", "text": "Russia has opened a new naval base on the Red Sea coast."},
            ]
        )
    )
    assert "metadata" in results[0].error and results[1].ok


def test_broken_dataset_file_is_a_recorded_failure(tmp_path):
    path = tmp_path / "broken.parquet"
    path.write_bytes(b"PAR1 this is not parquet")
    (failure,) = iter_inputs([str(path)])
    assert isinstance(failure, InputFailure) and "cannot read dataset" in failure.reason
    assert failure.id == "broken.parquet" and failure.source == str(path)
