"""What a run did, for a person: counts, claims per label, and failures grouped by reason."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from ..types import Label


@dataclass
class JobSummary:
    """What a run did.

    Attributes:
        documents: Documents read in this run (not counting ones already done).
        claims: Claims written.
        labels: Claims written per label.
        failed: (document id, reason) of each document sent to the errors file.
        already_done: Documents skipped because an earlier run finished them.
        model_failures: How many of ``failed`` were model failures (a re-run retries them).
        without_claims: Documents processed that gave no claim (all text dropped or filtered).
        seconds: Wall time of the run.
    """

    documents: int = 0
    claims: int = 0
    labels: Counter[str] = field(default_factory=Counter)
    failed: list[tuple[str, str]] = field(default_factory=list)
    already_done: int = 0
    model_failures: int = 0
    without_claims: int = 0
    seconds: float = 0.0

    def format(self, most: int = 10) -> str:
        """A few lines for a person."""
        rate = self.documents / self.seconds if self.seconds else 0.0
        lines = [
            f"documents read: {self.documents} (already done before: {self.already_done})",
            f"claims written: {self.claims} ("
            + ", ".join(f"{label.value}: {self.labels.get(label.value, 0)}" for label in Label)
            + ")",
            f"documents without claims: {self.without_claims}",
        ]
        lines += self.failure_lines(most)
        lines.append(f"time: {self.seconds:.1f} s ({rate:.2f} documents/s)")
        return "\n".join(lines)

    def failure_lines(self, most: int = 10) -> list[str]:
        """How many failed, grouped by reason without its particulars (3,000 bad lines are one line)."""
        lines = [f"documents failed: {len(self.failed)}"]
        groups = Counter(_reason_kind(reason) for _, reason in self.failed).most_common()
        lines += [f"  {n} x {reason}" for reason, n in groups[:most]]
        if len(groups) > most:
            lines.append(f"  ... and {sum(n for _, n in groups[most:])} more, for {len(groups) - most} other reasons")
        if self.model_failures:
            lines.append(f"model failures: {self.model_failures}; a re-run with -o OUT retries them")
        return lines


def _reason_kind(reason: str) -> str:
    """A reason without its particulars (numbers, quoted names), so like failures group."""
    kind = re.sub(r"\d+", "N", re.sub(r"'[^']*'|\"[^\"]*\"", "'…'", reason))
    return kind if len(kind) <= 100 else kind[:99] + "…"
