"""The inputs of a run: check the paths given, walk folders, and hand each file to its reader.

Readers never raise for one bad input: they yield an :class:`~claimx.readers.InputFailure`
for it and go on, so a batch can account for every document. Only usage mistakes raise,
up front, from :func:`check_inputs`: a path that does not exist, a bad ``glob``, an input
that is the run's own output.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Collection, Iterator, Sequence
from pathlib import Path, PurePath
from typing import Literal, TextIO

from .errors import InputError
from .readers import InputFailure, path_name, read_dataset, read_jsonl, read_jsonl_file, read_text_file
from .types import Document

logger = logging.getLogger(__name__)

DATASET_SUFFIXES = {".parquet", ".arrow", ".csv"}

IdFrom = Literal["stem", "path"]
"""How a ``.txt`` file's id is made: its stem (``report``) or its path as reached (``news/2024/report.txt``)."""


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
        if _is_saved_dataset(path) or (path.suffix.lower() in DATASET_SUFFIXES and not path.is_dir()):
            yield from read_dataset(path, text_column, id_column)
        elif path.is_dir():
            yield from _read_folder(path, glob, text_column, id_column, id_from, excluded)
        else:
            yield from _read_file(path, text_column, id_column, id_from)


def _read_folder(
    folder: Path, glob: str, text_column: str, id_column: str, id_from: IdFrom, excluded: _Excluded
) -> Iterator[Document | InputFailure]:
    try:
        every = [p for p in folder.rglob("*") if not p.is_dir()]
        pattern = glob.lower()  # suffixes in any case: B.TXT is a text file too
        chosen = set(folder.rglob(glob)) | {p for p in every if PurePath(p.as_posix().lower()).match(pattern)}
        files = sorted(p for p in chosen if not p.is_dir())
    except OSError as e:
        yield InputFailure(path_name(folder.name), path_name(folder), f"cannot list folder: {e}")
        return
    skipped = sorted(path_name(p.relative_to(folder)) for p in every if p not in chosen and p not in excluded)
    if skipped:
        shown = ", ".join(skipped[:10]) + (f", ... ({len(skipped) - 10} more)" if len(skipped) > 10 else "")
        logger.warning(
            "skipped %d file%s in %s that --glob %r does not match: %s",
            len(skipped), "" if len(skipped) == 1 else "s", path_name(folder), glob, shown,
        )  # fmt: skip
    for file in files:
        if file in excluded:  # the run's own output: reading it while appending never ends
            logger.info("not reading %s: it is an output of this run", file)
            continue
        yield from _read_file(file, text_column, id_column, id_from)


def _read_file(path: Path, text_column: str, id_column: str, id_from: IdFrom) -> Iterator[Document | InputFailure]:
    doc_id = path_name(path.as_posix() if id_from == "path" else path.stem)
    if path.suffix.lower() == ".jsonl":
        yield from read_jsonl_file(path, doc_id, text_column, id_column)
    else:
        yield read_text_file(path, doc_id)


def _is_saved_dataset(path: Path) -> bool:
    return path.is_dir() and (
        (path / "dataset_info.json").exists() or (path / "state.json").exists() or (path / "dataset_dict.json").exists()
    )


def quiet_progress_bars() -> None:
    """No progress bars from datasets or the hub (``--quiet``)."""
    os.environ["HF_DATASETS_DISABLE_PROGRESS_BARS"] = "1"
    os.environ["HF_HUB_DISABLE_PROGRESS_BARS"] = "1"
    if "datasets" in sys.modules:  # already imported: the variable is read at import only
        sys.modules["datasets"].disable_progress_bars()
