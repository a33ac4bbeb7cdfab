"""One reader per kind of document source: a text file, JSON records, a JSONL file, a dataset.

A reader never raises for one bad input (a broken file, a FIFO, a dataset without the
text column): it returns or yields an :class:`InputFailure` for it, so a batch can
account for every document. Which reader a path gets is :mod:`claimx.inputs`' choice.
"""

from __future__ import annotations

import codecs
import json
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import InputError
from .types import Document

MAX_DOCUMENT_BYTES = 20_000_000
"""Larger inputs are refused as documents: almost surely not one article."""


@dataclass(frozen=True, slots=True)
class InputFailure:
    """An input that could not become a document.

    Attributes:
        id: The document id it would have had (file stem, record id, or ``source:line``).
        source: Where it came from.
        reason: Why it was not read.
    """

    id: str
    source: str
    reason: str


def decode_bytes(data: bytes) -> str:
    """Decode document bytes: UTF-8 (with or without BOM), or UTF-16/32 with a BOM.

    Raises InputError for binary data or undecodable text rather than guessing.

    >>> decode_bytes("Größe".encode("utf-16"))
    'Größe'
    """
    for bom, encoding in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as e:
                raise InputError(f"undecodable bytes ({encoding} with BOM): {e.reason} at byte {e.start}") from e
    head = data[:8192]
    control = sum(b < 32 and b not in (9, 10, 12, 13) for b in head)
    # A stray control byte happens in scraped text; many of them mean a binary file.
    if head and control / len(head) > 0.05:
        raise InputError(f"binary data ({control} control bytes in the first {len(head)}), not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise InputError(f"undecodable bytes (not UTF-8): {e.reason} at byte {e.start}") from e


def path_name(path: str | Path) -> str:
    """A file name as text that any file can hold: bytes that are not UTF-8 become ``\\xe9``.

    >>> path_name(os.fsdecode(b"lat\\xe9n.txt"))
    'lat\\\\xe9n.txt'
    """
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def read_text_file(path: Path, doc_id: str | None = None) -> Document | InputFailure:
    """One ``.txt`` file as a document (id = file stem)."""
    doc_id = doc_id or path_name(path.stem)
    source = path_name(path)
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            return InputFailure(doc_id, source, _not_regular(info.st_mode))
        size = info.st_size
        if size > MAX_DOCUMENT_BYTES:
            return InputFailure(doc_id, source, f"file too large ({size:,} bytes > {MAX_DOCUMENT_BYTES:,})")
        return Document(id=doc_id, text=decode_bytes(path.read_bytes()), metadata={"source": source})
    except (OSError, InputError) as e:
        return InputFailure(doc_id, source, str(e))


def _not_regular(mode: int) -> str:
    kind = "a FIFO" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode) else "a device or special file"
    return f"not a regular file ({kind}); claimx reads files and folders, or JSONL piped to -"


def document_from_record(
    record: Any, source: str, fallback_id: str, text_key: str = "text", id_key: str = "id"
) -> Document:
    """A document from a JSON-like record; other keys go into metadata."""
    if not isinstance(record, dict):
        raise InputError(f"expected a JSON object, got {type(record).__name__}")
    text = record.get(text_key)
    if not isinstance(text, str):
        raise InputError(f"record has no string {text_key!r} field (keys: {sorted(record)})")
    doc_id = record.get(id_key)
    extra = record.get("metadata") or {}
    if not isinstance(extra, dict):
        raise InputError(f"'metadata' must be a JSON object, got {type(extra).__name__}")
    language = record.get("language") or None
    if language is not None and not isinstance(language, str):
        raise InputError(f"'language' must be a string, got {type(language).__name__}")
    metadata = {k: v for k, v in record.items() if k not in {text_key, id_key, "language", "metadata"}}
    metadata.update(extra)
    if source:
        metadata.setdefault("source", source)
    return Document(
        id=str(doc_id) if doc_id not in (None, "") else fallback_id,
        text=text,
        language=language,
        metadata=metadata,
    )


def read_jsonl(
    stream: Iterable[str | bytes], source: str, text_key: str = "text", id_key: str = "id"
) -> Iterator[Document | InputFailure]:
    """Documents from JSON Lines (text, or bytes decoded line by line); a bad line becomes an InputFailure."""
    for number, raw in enumerate(stream, 1):
        fallback = f"{source}:{number}"
        if isinstance(raw, bytes):
            try:  # one bad byte refuses its line, not the rest of the file
                line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError as e:
                yield InputFailure(fallback, source, f"line {number} is not UTF-8: {e.reason} at byte {e.start}")
                continue
        else:
            line = raw
        if not line.strip():
            continue
        try:
            yield document_from_record(json.loads(line), source, fallback, text_key, id_key)
        except json.JSONDecodeError as e:
            yield InputFailure(fallback, source, f"line {number} is not JSON: {e.msg}")
        except InputError as e:
            record_id = _peek_id(line, id_key) or fallback
            yield InputFailure(record_id, source, f"line {number}: {e}")


def _peek_id(line: str, id_key: str) -> str | None:
    try:
        value = json.loads(line).get(id_key)
    except (ValueError, AttributeError):
        return None
    return None if value in (None, "") else str(value)


def read_jsonl_file(
    path: Path, doc_id: str, text_key: str = "text", id_key: str = "id"
) -> Iterator[Document | InputFailure]:
    """Documents from a ``.jsonl`` file; one that cannot be opened or decoded is an InputFailure with ``doc_id``."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            yield InputFailure(doc_id, str(path), _not_regular(info.st_mode))
            return
        with path.open("rb") as f:  # lines split at \n only, each decoded alone
            yield from read_jsonl(f, path_name(path), text_key, id_key)
    except OSError as e:
        yield InputFailure(doc_id, path_name(path), f"cannot read JSONL: {e}")


def _csv_as_text(path: Path) -> dict[str, Any]:
    """``load_dataset("csv")`` options that read every column as text."""
    import csv

    import datasets

    with path.open(encoding="utf-8-sig", newline="") as f:
        header = next(csv.reader(f), [])
    features = datasets.Features({name: datasets.Value("string") for name in header})
    return {"features": features, "keep_default_na": False}


def read_dataset(
    path: Path, text_column: str = "text", id_column: str | None = "id"
) -> Iterator[Document | InputFailure]:
    """Rows of a Hugging Face dataset saved with ``save_to_disk``, or a local parquet/arrow/csv file.

    A dataset that cannot be read, or lacks ``text_column``, is one :class:`InputFailure` (id: its file name).
    """
    import datasets

    try:
        info = path.stat()
        if not path.is_dir() and not stat.S_ISREG(info.st_mode):
            yield InputFailure(path.name, str(path), _not_regular(info.st_mode))
            return
        if path.is_dir():
            ds = datasets.load_from_disk(str(path))
            if isinstance(ds, datasets.DatasetDict):
                ds = datasets.concatenate_datasets(list(ds.values()))
        else:
            builder = {".parquet": "parquet", ".arrow": "arrow", ".csv": "csv"}[path.suffix.lower()]
            # A CSV cell is text as written: "001" and "01" are two ids, not the number 1.
            options = _csv_as_text(path) if builder == "csv" else {}
            ds = datasets.load_dataset(builder, data_files=str(path), split="train", **options)
    except Exception as e:  # datasets and pyarrow raise many types for a broken file
        yield InputFailure(path.name, str(path), f"cannot read dataset {path}: {type(e).__name__}: {e}")
        return
    if text_column not in ds.column_names:
        reason = f"{path}: no column {text_column!r} (columns: {ds.column_names}); use --text-column"
        yield InputFailure(path.name, str(path), reason)
        return
    id_col = id_column if id_column in ds.column_names else None
    for i, row in enumerate(ds):
        fallback = f"{path.name}:{i}"
        record = dict(row)
        if id_col and id_col != "id":
            record["id"] = record.pop(id_col)
        try:
            yield document_from_record(record, str(path), fallback, text_column)
        except InputError as e:
            yield InputFailure(str(record.get("id") or fallback), str(path), str(e))
