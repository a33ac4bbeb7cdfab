"""What every export carries about a claim: the sentence, its context and claimx's prediction.

:func:`build_tasks` pairs each claim to export with the sentences before and after it in its
document (taken from the whole claims file, so a selection still shows its context), and
:meth:`Task.meta` is the one set of fields each format writes and reads back.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from ..types import Claim, Label

LABELS = tuple(label.value for label in Label)
FORMATS = ("label-studio", "argilla", "prodigy")


@dataclass(frozen=True, slots=True)
class Task:
    """One claim to check.

    Attributes:
        claim: The claim as claimx made it.
        before: The sentences before it in its document (up to ``context`` of them), joined.
        after: The sentences after it, joined.
    """

    claim: Claim
    before: str = ""
    after: str = ""

    @property
    def model_version(self) -> str:
        """The models that labelled the claim (translation + classifier), or ``claimx``."""
        return " + ".join(self.claim.models) or "claimx"

    @property
    def task_id(self) -> str:
        """``<doc id>:<start>-<end>``: unique per sentence."""
        return f"{self.claim.doc_id}:{self.claim.start}-{self.claim.end}"

    def meta(self) -> dict[str, Any]:
        """Plain JSON fields: where the sentence is, its language, English text, places, prediction."""
        c = self.claim
        return {
            "doc": c.doc_id,
            "sentence_index": c.sentence_index,
            "start": c.start,
            "end": c.end,
            "language": c.language,
            "translated": c.translated,
            "text_en": c.text_en,
            "places": list(c.places),
            "context_before": self.before,
            "context_after": self.after,
            "actor": c.actor,  # whose gain or loss the label is
            "claimx_label": c.label.value,
            "claimx_score": c.score,
            "scores": {label: float(c.scores.get(label, 0.0)) for label in LABELS},
            "model_version": self.model_version,
        }


def build_tasks(selected: Iterable[Claim], every: Sequence[Claim] = (), context: int = 1) -> list[Task]:
    """Tasks for ``selected``, with ``context`` sentences each side from ``every`` (default: ``selected``).

    >>> from claimx.types import Claim
    >>> def claim(i, text):
    ...     return Claim("d", i, text, text, "en", 10 * i, 10 * i + len(text), "neutral", 1.0, {}, False, ())
    >>> every = [claim(0, "One."), claim(1, "Two."), claim(2, "Three.")]
    >>> task = build_tasks([every[1]], every)[0]
    >>> task.before, task.after
    ('One.', 'Three.')
    """
    selected = list(selected)
    by_doc: dict[str, dict[int, Claim]] = {}
    for c in every or selected:
        by_doc.setdefault(c.doc_id, {})[c.sentence_index] = c
    tasks = []
    for c in selected:
        sentences = by_doc.get(c.doc_id, {})
        before = [sentences[i].text for i in range(c.sentence_index - context, c.sentence_index) if i in sentences]
        after = [
            sentences[i].text for i in range(c.sentence_index + 1, c.sentence_index + 1 + context) if i in sentences
        ]
        tasks.append(Task(c, " ".join(before), " ".join(after)))
    return tasks
