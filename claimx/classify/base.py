"""The Classifier protocol and the shape of its output.

How ``neutral`` is reached: a classifier scores the gain and the loss direction
*independently* (for NLI: entailment against contradiction of "Russia gains
…" and of "Russia loses …", as transformers' zero-shot pipeline does with
``multi_label=True``); a trained head gives class probabilities. The
:class:`~claimx.classify.decision.Decision` step then picks the stronger direction
only if its score reaches the threshold (and beats the other by the margin).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import numpy as np

from ..errors import ModelError
from ..types import Label

Scores = dict[str, float]
"""Score of every label, keyed by label value; gain and loss in [0, 1]."""


@runtime_checkable
class Classifier(Protocol):
    """Scores English sentences for every label."""

    model_id: str
    default_threshold: float

    def classify(self, texts: Sequence[str]) -> list[Scores]:
        """One :data:`Scores` per text, in order."""
        ...


def stance_scores(gain: np.ndarray, loss: np.ndarray) -> list[Scores]:
    """Build :data:`Scores` from per-direction scores; ``neutral`` = 1 - the stronger one."""
    neutral = 1.0 - np.maximum(gain, loss)
    return [
        {Label.RUSSIAN_GAIN.value: float(g), Label.RUSSIAN_LOSS.value: float(lo), Label.NEUTRAL.value: float(n)}
        for g, lo, n in zip(gain, loss, neutral, strict=True)
    ]


@dataclass(frozen=True, slots=True)
class Verdict:
    """A text's scores and where they came from.

    Attributes:
        scores: Score of every label.
        model_id: The model that gave them.
        note: Why they did not come from the classifier proper (e.g. a pre-filter); usually empty.
    """

    scores: Scores
    model_id: str
    note: str = ""


def verdicts(classifier: Classifier, texts: Sequence[str]) -> list[Verdict]:
    """Scores with their provenance: a wrapper that answers some texts itself has an ``annotate`` method."""
    annotate = getattr(classifier, "annotate", None)
    found = (
        list(annotate(texts))
        if annotate is not None
        else [Verdict(s, classifier.model_id) for s in classifier.classify(texts)]
    )
    for text, verdict in zip(texts, found, strict=False):  # NaN is a broken model (or cache), not "no claim"
        if not all(math.isfinite(v) for v in verdict.scores.values()):
            raise ModelError(f"non-finite score {dict(verdict.scores)} for {text[:60]!r} ({verdict.model_id})")
    return found
