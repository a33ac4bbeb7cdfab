"""Reading documents from files and writing claims: txt, folders, JSONL, datasets; JSONL, CSV, Parquet.

Readers never raise for one bad input (a broken file, a FIFO, a dataset without the
text column): they yield an :class:`InputFailure` for it and go on, so a batch can
account for every document. Only usage mistakes raise, up front, from
:func:`check_inputs`: a path that does not exist, a bad ``glob``, an input that is
the run's own output.
"""

from __future__ import annotations

import codecs
import json
import logging
import os
import stat
import sys
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TextIO

from .errors import InputError
from .types import Claim, Document

logger = logging.getLogger(__name__)

MAX_DOCUMENT_BYTES = 20_000_000
"""Larger inputs are refused as documents: almost surely not one article."""

DATASET_SUFFIXES = {".parquet", ".arrow", ".csv"}

IdFrom = Literal["stem", "path"]
"""How a ``.txt`` file's id is made: its stem (``report``) or its path as reached (``news/2024/report.txt``)."""


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


def read_text_file(path: Path, doc_id: str | None = None) -> Document | InputFailure:
    """One ``.txt`` file as a document (id = file stem)."""
    doc_id = doc_id or path.stem
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            return InputFailure(doc_id, str(path), _not_regular(info.st_mode))
        size = info.st_size
        if size > MAX_DOCUMENT_BYTES:
            return InputFailure(doc_id, str(path), f"file too large ({size:,} bytes > {MAX_DOCUMENT_BYTES:,})")
        return Document(id=doc_id, text=decode_bytes(path.read_bytes()), metadata={"source": str(path)})
    except (OSError, InputError) as e:
        return InputFailure(doc_id, str(path), str(e))


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
    stream: Iterable[str], source: str, text_key: str = "text", id_key: str = "id"
) -> Iterator[Document | InputFailure]:
    """Documents from JSON Lines; a bad line becomes an InputFailure with its line number."""
    for number, line in enumerate(stream, 1):
        if not line.strip():
            continue
        fallback = f"{source}:{number}"
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


def _is_saved_dataset(path: Path) -> bool:
    return path.is_dir() and (
        (path / "dataset_info.json").exists() or (path / "state.json").exists() or (path / "dataset_dict.json").exists()
    )


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
            builder = {".parquet": "parquet", ".arrow": "arrow", ".csv": "csv"}[path.suffix]
            ds = datasets.load_dataset(builder, data_files=str(path), split="train")
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


def check_inputs(inputs: Sequence[str], *, glob: str = "*.txt", exclude: Collection[str | Path] = ()) -> None:
    """Raise InputError for a usage mistake, before anything is read.

    A path that does not exist, a ``glob`` that is not relative to each folder, or an
    input that is one of ``exclude`` (the run's own output and side files, also through
    symlinks, ``./`` or a hard link).
    """
    _check_glob(glob)
    outputs = _Excluded(exclude)
    for item in inputs:
        if item == "-":
            continue
        path = Path(item)
        if not path.exists():
            raise InputError(f"input path does not exist: {item}")
        if path in outputs:
            raise InputError(
                f"input {item} is also an output of this run ({outputs.name_of(path)}); "
                "reading and writing one file would lose it: choose another -o"
            )


def _check_glob(glob: str) -> None:
    problem = ""
    if not glob or Path(glob).is_absolute() or ".." in Path(glob).parts:
        problem = "it must be relative to each folder"
    else:
        try:
            next(Path("/nonexistent-claimx-glob-check").rglob(glob), None)
        except (ValueError, NotImplementedError) as e:
            problem = str(e)
    if problem:
        raise InputError(f"--glob {glob!r} is not a pattern for files inside a folder ({problem}); e.g. '*.txt'")


class _Excluded:
    """Paths never to read, matched by resolved path or, for existing files, by inode."""

    def __init__(self, paths: Collection[str | Path]) -> None:
        self.names = {Path(p).resolve(): str(p) for p in paths}
        self.inodes = {}
        for p, name in self.names.items():
            try:
                info = p.stat()
            except OSError:
                continue
            self.inodes[(info.st_dev, info.st_ino)] = name

    def name_of(self, path: Path) -> str | None:
        if not self.names:
            return None
        name = self.names.get(path.resolve())
        if name is None and self.inodes:
            try:
                info = path.stat()
            except OSError:
                return None
            name = self.inodes.get((info.st_dev, info.st_ino))
        return name

    def __contains__(self, path: Path) -> bool:
        return self.name_of(path) is not None


def iter_inputs(
    inputs: Sequence[str],
    *,
    glob: str = "*.txt",
    text_column: str = "text",
    id_column: str = "id",
    stdin: TextIO | None = None,
    id_from: IdFrom = "stem",
    exclude: Collection[str | Path] = (),
) -> Iterator[Document | InputFailure]:
    """Documents from a mix of ``.txt`` files, folders, ``.jsonl`` files, datasets and ``-`` (JSONL on stdin).

    ``.txt`` files get their stem as id, or with ``id_from="path"`` their path as reached
    (``news/2024/report.txt``), so equal names in two folders stay apart. Files in
    ``exclude`` (a run's own output) are never read from folders. Raises InputError
    up front for a usage mistake (see :func:`check_inputs`); an unreadable input is
    an :class:`InputFailure` and the rest go on.
    """
    if id_from not in ("stem", "path"):
        raise InputError(f"id_from must be 'stem' or 'path', got {id_from!r}")
    check_inputs(inputs, glob=glob, exclude=exclude)
    excluded = _Excluded(exclude)
    for item in inputs:
        if item == "-":
            yield from read_jsonl(stdin or sys.stdin, "<stdin>", text_column, id_column)
            continue
        path = Path(item)
        if _is_saved_dataset(path) or (path.suffix in DATASET_SUFFIXES and not path.is_dir()):
            yield from read_dataset(path, text_column, id_column)
        elif path.is_dir():
            yield from _read_folder(path, glob, text_column, id_column, id_from, excluded)
        else:
            yield from _read_file(path, text_column, id_column, id_from)


def _read_folder(
    folder: Path, glob: str, text_column: str, id_column: str, id_from: IdFrom, excluded: _Excluded
) -> Iterator[Document | InputFailure]:
    try:
        files = sorted(p for p in folder.rglob(glob) if not p.is_dir())
    except OSError as e:
        yield InputFailure(folder.name, str(folder), f"cannot list folder: {e}")
        return
    for file in files:
        if file in excluded:  # the run's own output: reading it while appending never ends
            logger.info("not reading %s: it is an output of this run", file)
            continue
        yield from _read_file(file, text_column, id_column, id_from)


def _read_file(path: Path, text_column: str, id_column: str, id_from: IdFrom) -> Iterator[Document | InputFailure]:
    doc_id = path.as_posix() if id_from == "path" else path.stem
    if path.suffix != ".jsonl":
        yield read_text_file(path, doc_id)
        return
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            yield InputFailure(doc_id, str(path), _not_regular(info.st_mode))
            return
        with path.open(encoding="utf-8", errors="strict") as f:
            yield from read_jsonl(f, str(path), text_column, id_column)
    except (OSError, UnicodeDecodeError) as e:
        yield InputFailure(doc_id, str(path), f"cannot read JSONL: {e}")


def quiet_progress_bars() -> None:
    """No progress bars from datasets or the hub (``--quiet``)."""
    os.environ["HF_DATASETS_DISABLE_PROGRESS_BARS"] = "1"
    os.environ["HF_HUB_DISABLE_PROGRESS_BARS"] = "1"
    if "datasets" in sys.modules:  # already imported: the variable is read at import only
        sys.modules["datasets"].disable_progress_bars()


def write_jsonl(claims: Iterable[Claim], stream: TextIO) -> int:
    """Write claims as JSON Lines; returns how many."""
    n = 0
    for claim in claims:
        stream.write(json.dumps(claim.to_dict(), ensure_ascii=False) + "\n")
        n += 1
    return n


def read_claims(path: str | Path) -> list[Claim]:
    """Claims back from a ``.jsonl``, ``.csv`` or ``.parquet`` file written by claimx."""
    path = Path(path)
    if path.suffix == ".jsonl":
        with path.open(encoding="utf-8") as f:
            return [Claim.from_dict(json.loads(line)) for line in f if line.strip()]
    if path.suffix in {".csv", ".parquet"}:
        import pandas as pd

        from .frames import from_pandas

        df = (
            pd.read_csv(path, keep_default_na=False, dtype={"doc_id": str})
            if path.suffix == ".csv"
            else pd.read_parquet(path)
        )
        return from_pandas(df)
    raise InputError(f"cannot read claims from {path}: use .jsonl, .csv or .parquet")


def write_claims(claims: Sequence[Claim], path: str | Path) -> None:
    """Write claims to ``.jsonl``, ``.csv`` or ``.parquet`` by suffix."""
    path = Path(path)
    if path.suffix == ".jsonl":
        with path.open("w", encoding="utf-8") as f:
            write_jsonl(claims, f)
        return
    from .frames import to_pandas

    df = to_pandas(claims, flat=path.suffix == ".csv")
    if path.suffix == ".csv":
        df.to_csv(path, index=False)
    elif path.suffix == ".parquet":
        df.to_parquet(path, index=False)
    else:
        raise InputError(f"unknown output format {path.suffix!r}: use .jsonl, .csv or .parquet")
