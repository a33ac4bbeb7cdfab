"""The training corpus: labelled sentences in TSV, read strictly.

One file, or a folder of ``*.tsv`` files read in sorted order; UTF-8, tab-separated,
no quoting (a ``"`` is a character like any other), header first::

    group	language	label	certainty	text
    sahel-mali-bases	de	russian_gain	clear	Moskau verlegt weitere Ausbilder nach Bamako.

Further columns after these five (a corrections file adds ``doc``, ``start``, ``end``) are
allowed and ignored. ``group`` is the scenario a row belongs to (paraphrases and translations of one
fact share it, so cross-validation keeps them on one side of a split);
``label`` is a :class:`~claimx.types.Label` value; ``certainty`` is ``clear``,
``ambiguous`` or ``boilerplate`` (boilerplate is always ``neutral``). A bad row
raises :class:`~claimx.errors.InputError` naming the file and the line.

>>> header = "\\t".join(COLUMNS)
>>> rows = read_corpus_text(header + "\\ng1\\ten\\tneutral\\tclear\\tTalks were held.\\n")
>>> rows[0].label, rows[0].origin
(<Label.NEUTRAL: 'neutral'>, '<text>:2')
"""

from __future__ import annotations

import csv
import hashlib
import io
import logging
import os
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError
from .types import Label

logger = logging.getLogger(__name__)

MIN_ROWS = 50
"""Fewer corpus rows than this train with a warning."""
COLUMNS = ("group", "language", "label", "certainty", "text")
CERTAINTIES = ("clear", "ambiguous", "boilerplate")

_LANGUAGE = re.compile(r"^[a-z]{2,3}$")


@dataclass(frozen=True, slots=True)
class CorpusRow:
    """One labelled sentence.

    Attributes:
        group: Scenario the sentence belongs to; cross-validation never splits a group.
        language: ISO 639-1 code (lower case).
        label: Its stance label.
        certainty: ``clear``, ``ambiguous`` or ``boilerplate``.
        text: The sentence (NFC-normalised, stripped).
        origin: ``file:line`` it was read from (not part of equality).
    """

    group: str
    language: str
    label: Label
    certainty: str
    text: str
    origin: str = field(default="", compare=False)

    def key(self) -> tuple[str, str, str, str, str]:
        """The row's content, as plain strings, in column order."""
        return (self.group, self.language, self.label.value, self.certainty, self.text)


def _nfc(value: str) -> str:
    return unicodedata.normalize("NFC", value.strip())


def _parse_row(cells: list[str], where: str, width: int = len(COLUMNS)) -> CorpusRow:
    if len(cells) != width:
        hint = " (a tab inside the text?)" if len(cells) > width else ""
        raise InputError(f"{where}: expected {width} tab-separated columns, found {len(cells)}{hint}")
    group, language, label, certainty, text = (_nfc(c) for c in cells[: len(COLUMNS)])
    if not group:
        raise InputError(f"{where}: empty group")
    if not _LANGUAGE.match(language):
        raise InputError(f"{where}: language {language!r} is not an ISO 639-1 code such as 'en' or 'de'")
    try:
        parsed = Label(label)
    except ValueError:
        raise InputError(
            f"{where}: unknown label {label!r}; use one of {', '.join(lab.value for lab in Label)}"
        ) from None
    if certainty not in CERTAINTIES:
        raise InputError(f"{where}: unknown certainty {certainty!r}; use one of {', '.join(CERTAINTIES)}")
    if certainty == "boilerplate" and parsed is not Label.NEUTRAL:
        raise InputError(f"{where}: boilerplate rows are always neutral, not {label}")
    if not text:
        raise InputError(f"{where}: empty text")
    return CorpusRow(group, language, parsed, certainty, text, origin=where)


def read_corpus_text(text: str, name: str = "<text>") -> list[CorpusRow]:
    """Rows from TSV text; ``name`` is used in error messages. Blank lines are skipped."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter="\t", quoting=csv.QUOTE_NONE, strict=True)
    try:
        header = next(reader, None)
    except csv.Error as e:
        raise InputError(f"{name}:1: {e}") from e
    if header is None:
        raise InputError(f"{name}: the file is empty; it needs the header {chr(9).join(COLUMNS)!r}")
    if tuple(h.strip() for h in header[: len(COLUMNS)]) != COLUMNS:
        raise InputError(f"{name}:1: the header must be {chr(9).join(COLUMNS)!r} (tab-separated), got {header!r}")
    rows: list[CorpusRow] = []
    try:
        for cells in reader:
            if not cells or (len(cells) == 1 and not cells[0].strip()):
                continue
            rows.append(_parse_row(cells, f"{name}:{reader.line_num}", len(header)))
    except csv.Error as e:
        raise InputError(f"{name}:{reader.line_num}: {e}") from e
    return rows


def _read_file(path: Path) -> list[CorpusRow]:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise InputError(f"{path}:{line}: not UTF-8 ({e.reason} at byte {e.start})") from e
    return read_corpus_text(text, str(path))


def corpus_files(path: str | os.PathLike[str]) -> list[Path]:
    """``path`` itself, or the ``*.tsv`` files of a folder in sorted order."""
    path = Path(path)
    if path.is_dir():
        files = sorted(p for p in path.glob("*.tsv") if p.is_file())
        if not files:
            raise InputError(f"{path} holds no *.tsv corpus files")
        return files
    if not path.is_file():
        raise InputError(f"corpus {path} does not exist")
    return [path]


def read_corpus(path: str | os.PathLike[str] | Sequence[str | os.PathLike[str]]) -> list[CorpusRow]:
    """Every row of a corpus file or folder (or of several, in the order given), in file order.

    Raises :class:`~claimx.errors.InputError` naming file and line for a malformed
    row, for an empty corpus, and for one sentence given two different labels.
    """
    paths = [path] if isinstance(path, str | os.PathLike) else list(path)
    rows: list[CorpusRow] = []
    for file in (f for p in paths for f in corpus_files(p)):
        rows += _read_file(file)
    path = ", ".join(str(p) for p in paths)
    if not rows:
        raise InputError(f"corpus {path} has a header but no rows")
    check_consistent(rows, path)
    return rows


def check_consistent(rows: Sequence[CorpusRow], name: str) -> None:
    """Refuse one sentence given two labels (naming both lines); warn about verbatim repeats."""
    seen: dict[str, CorpusRow] = {}
    duplicates = 0
    for row in rows:
        first = seen.setdefault(row.text, row)
        if first is row:
            continue
        if first.label is not row.label:
            raise InputError(
                f"{row.origin}: the same sentence is labelled {first.label.value} at {first.origin} "
                f"and {row.label.value} here"
            )
        duplicates += 1
    if duplicates:
        logger.warning("corpus %s repeats %d sentence(s) verbatim", name, duplicates)
    if len(rows) < MIN_ROWS:
        logger.warning(
            "corpus %s has only %d rows: a head trained on fewer than %d learns little; its figures mean little",
            name, len(rows), MIN_ROWS,
        )  # fmt: skip


def canonical_order(rows: Iterable[CorpusRow]) -> list[CorpusRow]:
    """Rows sorted by content, so that file order and file splits do not matter."""
    return sorted(rows, key=CorpusRow.key)


def corpus_sha256(rows: Iterable[CorpusRow]) -> str:
    """SHA-256 of the corpus content: rows in :func:`canonical_order`, one tab-joined line each.

    Independent of file names, file order, line endings and a BOM.
    """
    digest = hashlib.sha256(b"claimx-corpus-v1\n")
    for row in canonical_order(rows):
        digest.update(("\t".join(row.key()) + "\n").encode("utf-8"))
    return digest.hexdigest()
