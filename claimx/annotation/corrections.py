"""Corrections: the labels an analyst set in an annotation tool, as corpus/gold rows.

A correction file is TSV in the corpus format (:mod:`claimx.corpus`) with three more
columns that trace each row to its sentence::

    group	language	label	certainty	text	doc	start	end
    doc:ml-2025	de	russian_gain	clear	Der Kreml baut seine Präsenz in Mali weiter aus.	ml-2025	0	48

``group`` is ``doc:<doc id>``, so grouped cross-validation keeps a document's sentences on
one side of a split. The same file is a gold file for ``claimx eval`` (columns ``doc``,
``label``, ``certainty``, ``text``) and extra rows for ``claimx train``.

>>> row = make_correction({"doc": "ml", "start": 0, "end": 5, "language": "de"}, "neutral", "", "Hallo", "x:1")
>>> row.group, row.certainty, row.label.value
('doc:ml', 'clear', 'neutral')
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..corpus import CERTAINTIES
from ..corpus import COLUMNS as CORPUS_COLUMNS
from ..errors import InputError
from ..labels import parse_label
from ..types import Label

COLUMNS = (*CORPUS_COLUMNS, "doc", "start", "end")
_LANGUAGE = re.compile(r"^[a-z]{2,3}$")
_BLANKS = re.compile(r"[\t\r\n\u2028\u2029]+")


@dataclass(frozen=True, slots=True)
class Correction:
    """One sentence with the label an analyst gave it.

    Attributes:
        doc: Id of the document the sentence is from.
        start: Offset of the sentence in the document's text.
        end: Offset one past its end.
        language: ISO 639-1 code of the sentence.
        label: The analyst's label.
        certainty: ``clear``, ``ambiguous`` or ``boilerplate``.
        text: The sentence as written (tabs and line breaks turned into spaces).
        predicted: The label claimx had given it (``""`` when the export did not say).
    """

    doc: str
    start: int
    end: int
    language: str
    label: Label
    certainty: str
    text: str
    predicted: str = ""

    @property
    def group(self) -> str:
        """``doc:<doc id>``: one cross-validation group per document."""
        return f"doc:{self.doc}"

    @property
    def changed(self) -> bool:
        """Whether the analyst's label differs from claimx's."""
        return bool(self.predicted) and self.predicted != self.label.value

    def cells(self) -> tuple[str, ...]:
        """The row's cells in :data:`COLUMNS` order."""
        text = _BLANKS.sub(" ", self.text).strip()
        doc = _BLANKS.sub(" ", self.doc)
        return (self.group, self.language, self.label.value, self.certainty, text, doc, str(self.start), str(self.end))


def make_correction(meta: Mapping[str, Any], label: Any, certainty: Any, text: Any, where: str) -> Correction:
    """A checked :class:`Correction` from the fields an export carried back; ``where`` names the row."""
    doc = meta.get("doc")
    if not isinstance(doc, str) or not doc:
        raise InputError(f"{where}: the task has no 'doc' (the document id claimx exported)")
    try:
        start, end = int(meta["start"]), int(meta["end"])
    except (KeyError, TypeError, ValueError):
        raise InputError(f"{where}: the task needs integer 'start' and 'end' offsets") from None
    if not 0 <= start <= end:
        raise InputError(f"{where}: bad span {start}..{end}")
    language = meta.get("language")
    if not isinstance(language, str) or not _LANGUAGE.match(language):
        raise InputError(f"{where}: language {language!r} is not an ISO 639-1 code such as 'en'")
    if not isinstance(text, str) or not text.strip():
        raise InputError(f"{where}: the task has no text")
    certainty = (certainty[0] if isinstance(certainty, list) and certainty else certainty) or "clear"
    if certainty not in CERTAINTIES:
        raise InputError(f"{where}: unknown certainty {certainty!r}; use one of {', '.join(CERTAINTIES)}")
    try:
        parsed = parse_label(label, where)
    except ValueError as e:
        raise InputError(str(e)) from None
    if certainty == "boilerplate" and parsed is not Label.NEUTRAL:
        raise InputError(f"{where}: boilerplate rows are always neutral, not {parsed.value}")
    predicted = meta.get("claimx_label") or ""
    return Correction(doc, start, end, language, parsed, str(certainty), text, str(predicted))


def agreed(values: Sequence[Any], where: str) -> Any:
    """The answer most annotators gave; a tie between different answers is refused."""
    counts = Counter(repr(v) for v in values).most_common()
    if len(counts) > 1 and counts[0][1] == counts[1][1]:
        raise InputError(f"{where}: annotators disagree ({', '.join(k for k, _ in counts)}); settle it in the tool")
    return next(v for v in values if repr(v) == counts[0][0])


def write_corrections(rows: Iterable[Correction], path: str | os.PathLike[str]) -> int:
    """Write corrections as TSV (header :data:`COLUMNS`); returns how many rows."""
    lines = ["\t".join(COLUMNS)] + ["\t".join(row.cells()) for row in rows]
    Path(path).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(lines) - 1
