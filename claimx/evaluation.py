"""Label quality against a gold file: accuracy, macro-F1, per-label P/R, confusion matrix.

Gold format: TSV with columns ``doc``, ``label``, ``certainty``, ``text`` (one row
per sentence). A gold row matches the claim of the same document whose text is
equal after normalising case, quotes and whitespace. A gold ``doc`` names a
document whose id equals it or starts with it followed by ``_`` (so ``000``
matches ``000_032b0d8d23939232``).

Rows whose certainty is ``boilerplate`` are correct when no claim was made for
them or the claim is neutral. Any other gold row without a matching claim is
counted as ``missing`` (wrong) and listed: it measures segmentation and
boilerplate errors too.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .boilerplate import normalise_for_comparison
from .classify.decision import decide
from .corpus import CERTAINTIES
from .errors import InputError
from .types import Claim, Label

LABELS = tuple(label.value for label in Label)
MISSING = "missing"
BOILERPLATE = "boilerplate"


@dataclass(frozen=True, slots=True)
class GoldRow:
    """One gold sentence.

    Attributes:
        doc: Document key (an id or id prefix).
        label: Gold label value.
        certainty: ``clear``, ``ambiguous`` or ``boilerplate``.
        text: The sentence as written in the document.
    """

    doc: str
    label: str
    certainty: str
    text: str


def load_gold(path: str | Path) -> list[GoldRow]:
    """Read a gold TSV; raise InputError naming the problem."""
    try:
        with Path(path).open(encoding="utf-8-sig", newline="") as f:  # -sig: a BOM is not part of "doc"
            reader = csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
            missing = {"doc", "label", "certainty", "text"} - set(reader.fieldnames or ())
            if missing:
                raise InputError(f"{path}: gold file lacks columns {sorted(missing)}")
            rows = []
            for r in reader:
                if any(r[k] is None for k in ("doc", "label", "certainty", "text")):
                    raise InputError(
                        f"{path}: line {reader.line_num} lacks columns (doc, label, certainty, text: tab-separated)"
                    )
                if r["certainty"] not in CERTAINTIES:
                    raise InputError(
                        f"{path}: line {reader.line_num}: unknown certainty {r['certainty']!r}; "
                        f"use one of {', '.join(CERTAINTIES)}"
                    )
                rows.append(GoldRow(r["doc"], r["label"], r["certainty"], r["text"]))
    except OSError as e:
        raise InputError(f"cannot read gold file {path}: {e}") from e
    except UnicodeDecodeError as e:  # a binary file, or text in another encoding
        raise InputError(f"gold file {path} is not UTF-8 text ({e.reason} at byte {e.start})") from e
    bad = sorted({r.label for r in rows} - set(LABELS))
    if bad:
        raise InputError(f"{path}: unknown labels {bad}; expected {list(LABELS)}")
    return rows


@dataclass(frozen=True, slots=True)
class Metrics:
    """Scores over one set of gold rows.

    Attributes:
        n: Number of rows.
        accuracy: Share of rows predicted right.
        macro_f1: Mean F1 over the three labels.
        per_label: Label -> (precision, recall, f1, support).
        confusion: Gold label -> predicted label (or ``missing``) -> count.
    """

    n: int
    accuracy: float
    macro_f1: float
    per_label: dict[str, tuple[float, float, float, int]]
    confusion: dict[str, dict[str, int]]


def metrics(gold: Sequence[str], predicted: Sequence[str]) -> Metrics:
    """Metrics for aligned gold and predicted label values (``missing`` counts as wrong).

    >>> m = metrics(["neutral", "russian_gain"], ["neutral", "russian_loss"])
    >>> m.accuracy, round(m.macro_f1, 3)
    (0.5, 0.333)
    """
    if len(gold) != len(predicted):
        raise ValueError(f"{len(gold)} gold labels but {len(predicted)} predictions")
    per_label = {}
    for label in LABELS:
        tp = sum(g == label and p == label for g, p in zip(gold, predicted, strict=True))
        fp = sum(g != label and p == label for g, p in zip(gold, predicted, strict=True))
        fn = sum(g == label and p != label for g, p in zip(gold, predicted, strict=True))
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_label[label] = (precision, recall, f1, tp + fn)
    counts = Counter(zip(gold, predicted, strict=True))
    confusion = {g: {p: counts[(g, p)] for p in (*LABELS, MISSING)} for g in LABELS}
    n = len(gold)
    return Metrics(
        n=n,
        accuracy=sum(g == p for g, p in zip(gold, predicted, strict=True)) / n if n else 0.0,
        macro_f1=float(np.mean([v[2] for v in per_label.values()])),
        per_label=per_label,
        confusion=confusion,
    )


@dataclass(frozen=True, slots=True)
class EvalReport:
    """Result of :func:`evaluate`.

    Attributes:
        overall: Metrics over every gold row considered.
        clear: Metrics over rows whose certainty is ``clear``.
        unmatched: Non-boilerplate gold rows with no matching claim.
        by_language: Per sentence language, the metrics over all rows and over clear rows.
        threshold: The neutral threshold the predictions were made with.
        rows: Number of gold rows considered.
    """

    overall: Metrics
    clear: Metrics
    unmatched: tuple[GoldRow, ...]
    threshold: float
    rows: int
    predictions: tuple[str, ...] = field(default=(), repr=False)
    by_language: dict[str, tuple[Metrics, Metrics]] = field(default_factory=dict)
    """Per language of the sentence: (all rows, clear rows)."""

    def format(self) -> str:
        """A plain-text report."""
        lines = [f"gold rows: {self.rows}   threshold: {self.threshold:.3f}   unmatched: {len(self.unmatched)}"]
        if self.by_language:
            lines += ["", f"{'language':<10}{'rows':>6}{'macro-F1':>10}{'clear rows':>12}{'clear macro-F1':>16}"]
            for lang, (every, clear) in sorted(self.by_language.items()):
                lines.append(f"{lang:<10}{every.n:>6}{every.macro_f1:>10.3f}{clear.n:>12}{clear.macro_f1:>16.3f}")
        for name, m in (("all rows", self.overall), ("certainty == clear", self.clear)):
            lines += ["", f"== {name} (n={m.n}) ==", f"accuracy {m.accuracy:.3f}   macro-F1 {m.macro_f1:.3f}"]
            lines.append(f"{'label':<14}{'precision':>10}{'recall':>8}{'f1':>8}{'support':>9}")
            for label, (p, r, f1, s) in m.per_label.items():
                lines.append(f"{label:<14}{p:>10.3f}{r:>8.3f}{f1:>8.3f}{s:>9d}")
            lines.append("confusion (rows: gold, columns: predicted)")
            header = "".join(f"{c[:12]:>14}" for c in (*LABELS, MISSING))
            lines.append(f"{'':<14}{header}")
            for g, row in m.confusion.items():
                lines.append(f"{g:<14}" + "".join(f"{row[c]:>14d}" for c in (*LABELS, MISSING)))
        if self.unmatched:
            lines += ["", "gold rows with no matching claim:"]
            lines += [f"  [{r.doc}] {r.label:<13} {r.text[:100]}" for r in self.unmatched]
        return "\n".join(lines)


def _doc_matches(gold_doc: str, doc_id: str) -> bool:
    return doc_id == gold_doc or doc_id.startswith(gold_doc + "_")


def _index(claims: Iterable[Claim]) -> dict[tuple[str, str], Claim]:
    return {(c.doc_id, normalise_for_comparison(c.text)): c for c in claims}


def match(gold: Sequence[GoldRow], claims: Iterable[Claim]) -> list[Claim | None]:
    """The claim matching each gold row, or None."""
    index = _index(claims)
    doc_ids = sorted({doc for doc, _ in index})
    out: list[Claim | None] = []
    for row in gold:
        key = normalise_for_comparison(row.text)
        found = None
        for doc_id in doc_ids:
            if _doc_matches(row.doc, doc_id) and (doc_id, key) in index:
                found = index[(doc_id, key)]
                break
        out.append(found)
    return out


def predict(
    gold: Sequence[GoldRow], matched: Sequence[Claim | None], threshold: float, margin: float = 0.0
) -> list[str]:
    """Predicted label per gold row, re-deciding each claim at ``threshold``."""
    out = []
    for row, claim in zip(gold, matched, strict=True):
        if claim is None:
            out.append(Label.NEUTRAL.value if row.certainty == BOILERPLATE else MISSING)
        else:
            out.append(decide(dict(claim.scores), threshold, margin)[0].value)
    return out


def evaluate(
    claims: Iterable[Claim],
    gold: Sequence[GoldRow] | str | Path,
    *,
    threshold: float,
    margin: float = 0.0,
    documents: Iterable[str] | None = None,
    languages: Mapping[str, str] | None = None,
) -> EvalReport:
    """Score ``claims`` against ``gold`` at a neutral ``threshold``.

    Args:
        claims: Claims from any configuration (their ``scores`` are re-decided).
        gold: Gold rows or the path of a gold TSV.
        threshold: Neutral threshold (use ``Extractor.threshold`` for the one in force).
        margin: Required lead of the winning direction.
        documents: If given, only gold rows of these document ids are scored.
        languages: Document id -> language, for rows with no matching claim in the per-language figures.
    """
    rows = load_gold(gold) if isinstance(gold, (str, Path)) else list(gold)
    if documents is not None:
        ids = list(documents)
        rows = [r for r in rows if any(_doc_matches(r.doc, d) for d in ids)]
    matched = match(rows, claims)
    predicted = predict(rows, matched, threshold, margin)
    gold_labels = [r.label for r in rows]
    clear = [i for i, r in enumerate(rows) if r.certainty == "clear"]
    row_languages = [_row_language(r, c, languages or {}) for r, c in zip(rows, matched, strict=True)]
    by_language = {}
    for lang in sorted(set(row_languages)):
        every = [i for i, x in enumerate(row_languages) if x == lang]
        sure = [i for i in every if rows[i].certainty == "clear"]
        by_language[lang] = (
            metrics([gold_labels[i] for i in every], [predicted[i] for i in every]),
            metrics([gold_labels[i] for i in sure], [predicted[i] for i in sure]),
        )
    return EvalReport(
        overall=metrics(gold_labels, predicted),
        clear=metrics([gold_labels[i] for i in clear], [predicted[i] for i in clear]),
        unmatched=tuple(r for r, c in zip(rows, matched, strict=True) if c is None and r.certainty != BOILERPLATE),
        threshold=threshold,
        rows=len(rows),
        predictions=tuple(predicted),
        by_language=by_language,
    )


def _row_language(row: GoldRow, claim: Claim | None, languages: Mapping[str, str]) -> str:
    if claim is not None:
        return claim.language
    return next((lang for doc_id, lang in languages.items() if _doc_matches(row.doc, doc_id)), "und")


def calibrate(
    claims: Sequence[Claim],
    gold: Sequence[GoldRow] | str | Path,
    *,
    grid: Iterable[float] | None = None,
    margin: float = 0.0,
    documents: Iterable[str] | None = None,
    on: str = "clear",
) -> tuple[float, EvalReport]:
    """The neutral threshold with the best macro-F1 (on ``clear`` rows, or ``all``).

    Calibrating and reporting on the same file is optimistic: hold out documents.
    Ties go to the middle of the best range, which moves least on new data.
    """
    docs = None if documents is None else list(documents)
    candidates = [round(float(t), 3) for t in (grid if grid is not None else np.arange(0.05, 0.96, 0.01))]
    reports = [evaluate(claims, gold, threshold=t, margin=margin, documents=docs) for t in candidates]
    scores = [(r.clear if on == "clear" else r.overall).macro_f1 for r in reports]
    best = max(scores)
    tied = [i for i, s in enumerate(scores) if s == best]
    pick = tied[len(tied) // 2]
    return candidates[pick], reports[pick]
