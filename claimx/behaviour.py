"""A behavioural (CheckList-style) suite: minimal-pair scenarios, each stated, reversed and neutralised.

The suite file (``benchmarks/behaviour/suite.tsv``) is tab-separated, no quoting, header
``scenario	language	variant	label	text``; every scenario has one ``stated``, one
``reversed`` and one ``neutral`` row. :func:`score_suite` gives accuracy and the contradiction
rate: a scenario whose stated and reversed sentences get the same direction, or swapped ones.

>>> rows = read_suite_text("scenario\\tlanguage\\tvariant\\tlabel\\ttext\\n"
...     "s\\ten\\tstated\\trussian_gain\\tA.\\ns\\ten\\treversed\\trussian_loss\\tB.\\n"
...     "s\\ten\\tneutral\\tneutral\\tC.\\n")
>>> score_suite(rows, ["russian_gain", "russian_gain", "neutral"])["en"].contradictions
1
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError
from .types import Label

COLUMNS = ("scenario", "language", "variant", "label", "text")
NEUTRALISED = Label.NEUTRAL.value  # the variant is named after the label it carries
VARIANTS = ("stated", "reversed", NEUTRALISED)
_DIRECTIONS = (Label.RUSSIAN_GAIN.value, Label.RUSSIAN_LOSS.value)


@dataclass(frozen=True, slots=True)
class SuiteRow:
    """One sentence of a scenario.

    Attributes:
        scenario: The scenario's slug.
        language: ISO 639-1 code.
        variant: ``stated``, ``reversed`` or ``neutral``.
        label: Its label value.
        text: The sentence.
    """

    scenario: str
    language: str
    variant: str
    label: str
    text: str


@dataclass(frozen=True, slots=True)
class SuiteScore:
    """How a classifier did on one language of the suite.

    Attributes:
        scenarios: Scenarios scored.
        accuracy: Share of sentences labelled right.
        contradictions: Scenarios whose stated and reversed sentences got the same direction or swapped ones.
        contradiction_rate: ``contradictions / scenarios``.
        flipped: Sentences given the opposite direction of their label.
    """

    scenarios: int
    accuracy: float
    contradictions: int
    contradiction_rate: float
    flipped: int


def read_suite_text(text: str, where: str = "<text>") -> list[SuiteRow]:
    """Parse a suite; a malformed row or an incomplete scenario raises :class:`InputError`."""
    lines = list(csv.reader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE))
    if not lines or tuple(lines[0]) != COLUMNS:
        raise InputError(f"{where}: the header must be {' '.join(COLUMNS)}")
    rows = []
    for number, line in enumerate(lines[1:], 2):
        if len(line) != len(COLUMNS) or line[2] not in VARIANTS or line[3] not in (*_DIRECTIONS, Label.NEUTRAL.value):
            raise InputError(f"{where}:{number}: expected {len(COLUMNS)} columns, a variant and a label: {line!r:.120}")
        rows.append(SuiteRow(*line))
    by_scenario: dict[str, list[SuiteRow]] = {}
    for row in rows:
        by_scenario.setdefault(row.scenario, []).append(row)
    for scenario, members in by_scenario.items():
        variants = {r.variant: r.label for r in members}
        if sorted(r.variant for r in members) != sorted(VARIANTS) or variants[NEUTRALISED] != Label.NEUTRAL.value or {
            variants["stated"], variants["reversed"]
        } != set(_DIRECTIONS):
            raise InputError(f"{where}: scenario {scenario!r} needs one stated and one opposite reversed "
                             "direction and one neutral row")  # fmt: skip
    return rows


def read_suite(path: str | os.PathLike[str]) -> list[SuiteRow]:
    """Read a suite file (see the module docstring)."""
    return read_suite_text(Path(path).read_text(encoding="utf-8"), str(path))


def score_suite(rows: Sequence[SuiteRow], predicted: Sequence[str]) -> dict[str, SuiteScore]:
    """Per language (and ``all``), accuracy and contradictions of ``predicted`` label values."""
    if len(rows) != len(predicted):
        raise ValueError(f"{len(predicted)} predictions for {len(rows)} rows")
    out = {}
    for language in ["all", *sorted({r.language for r in rows})]:
        picked = [(r, p) for r, p in zip(rows, predicted, strict=True) if language in ("all", r.language)]
        by_scenario: dict[str, dict[str, tuple[str, str]]] = {}
        for row, label in picked:
            by_scenario.setdefault(row.scenario, {})[row.variant] = (row.label, label)
        contradictions = 0
        for variants in by_scenario.values():
            (gold, stated), (_, reversed_) = variants["stated"], variants["reversed"]
            both_directed = stated in _DIRECTIONS and reversed_ in _DIRECTIONS
            contradictions += both_directed and (stated == reversed_ or stated != gold)
        flipped = sum(r.label in _DIRECTIONS and p in _DIRECTIONS and p != r.label for r, p in picked)
        out[language] = SuiteScore(
            scenarios=len(by_scenario),
            accuracy=round(sum(r.label == p for r, p in picked) / len(picked), 4),
            contradictions=int(contradictions),
            contradiction_rate=round(contradictions / len(by_scenario), 4),
            flipped=int(flipped),
        )
    return out
