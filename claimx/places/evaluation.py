"""Precision and recall of :func:`find_places` against a gold file; ``python -m claimx.places GOLD.tsv``."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .find import find_places
from .names import place_kind


@dataclass
class PlacesEvaluation:
    """Precision and recall of :func:`find_places` against a gold file.

    Attributes:
        rows: Gold rows evaluated.
        true_positives: Places found and in the gold (counted per row).
        predicted: Places found.
        gold: Places in the gold.
        by_group: ``{group: (tp, predicted, gold)}`` for each language and for countries/regions.
        errors: ``(doc, text, missed, extra)`` of each row where found and gold differ.
    """

    rows: int = 0
    true_positives: int = 0
    predicted: int = 0
    gold: int = 0
    by_group: dict[str, list[int]] = field(default_factory=dict)
    errors: list[tuple[str, str, tuple[str, ...], tuple[str, ...]]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.true_positives / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def format(self) -> str:
        def line(name: str, tp: int, pred: int, gold: int) -> str:
            p = tp / pred if pred else 1.0
            r = tp / gold if gold else 1.0
            return f"{name:<10} precision {p:.3f} ({tp}/{pred})  recall {r:.3f} ({tp}/{gold})"

        out = [f"{self.rows} rows", line("all", self.true_positives, self.predicted, self.gold)]
        out += [line(group, *values) for group, values in sorted(self.by_group.items())]
        for doc, text, missed, extra in self.errors:
            out.append(f"  [{doc}] missed {list(missed)} extra {list(extra)}: {text[:100]}")
        return "\n".join(out)


def _guess_language(text: str) -> str:
    # The gold file has no language column; these seeds are English or German, and a German
    # sentence is told by its function words. Only used to pick the evaluation group.
    words = set(re.findall(r"\w+", text.lower()))
    return "de" if len(words & {"der", "die", "das", "und", "den", "dem", "von", "mit", "sich", "ist"}) >= 2 else "en"


def load_places_gold(path: str | Path) -> list[tuple[str, str, tuple[str, ...]]]:
    """Rows ``(doc, text, places)`` of a gold file (TSV ``doc``, ``text``, ``places``; ``#`` comments)."""
    import csv

    rows = []
    with Path(path).open(encoding="utf-8", newline="") as f:
        lines = (line for line in f if line.strip() and not line.startswith("#"))
        for record in csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE):
            places = tuple(p.strip() for p in (record.get("places") or "").split(",") if p.strip())
            rows.append((record["doc"], record["text"], places))
    return rows


def evaluate_places(path: str | Path) -> PlacesEvaluation:
    """Micro precision and recall of :func:`find_places` over the rows of a gold file.

    Each (row, place) pair counts once; the order of places is not scored.
    """
    result = PlacesEvaluation()
    for doc, text, gold in load_places_gold(path):
        found = set(find_places(text))
        truth = set(gold)
        tp = len(found & truth)
        result.rows += 1
        result.true_positives += tp
        result.predicted += len(found)
        result.gold += len(truth)
        groups = {_guess_language(text): (found, truth)}
        for kind in ("country", "region"):
            groups[kind] = ({p for p in found if place_kind(p) == kind}, {p for p in truth if place_kind(p) == kind})
        for group, (f, t) in groups.items():
            values = result.by_group.setdefault(group, [0, 0, 0])
            values[0] += len(f & t)
            values[1] += len(f)
            values[2] += len(t)
        if found != truth:
            result.errors.append((doc, text, tuple(sorted(truth - found)), tuple(sorted(found - truth))))
    return result


def main(argv: list[str] | None = None) -> int:
    """``python -m claimx.places GOLD.tsv``: print precision and recall of find_places."""
    import sys

    args = sys.argv[1:] if argv is None else argv
    path = args[0] if args else "fixtures/gold/places.tsv"
    print(evaluate_places(path).format())
    return 0
