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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

import numpy as np

from ..errors import ModelError
from ..types import Label

Scores = dict[str, float]
"""Score of every label, keyed by label value; gain and loss in [0, 1]."""


@runtime_checkable
class Classifier(Protocol):
    """Scores English sentences for every label.

    Attributes:
        model_id: The id recorded on claims (read-only, as :attr:`SentenceEncoder.model_id
            <claimx.encoders.SentenceEncoder>`; a translator's depends on the language, so
            there it is ``Translator.model_id(src_lang)``).
        default_threshold: The neutral threshold used when the decision names none.
    """

    @property
    def model_id(self) -> str: ...

    @property
    def default_threshold(self) -> float: ...

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

    def to_dict(self) -> dict[str, Any]:
        return {"scores": dict(self.scores), "model_id": self.model_id, "note": self.note}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Verdict:
        return cls(dict(data["scores"]), str(data["model_id"]), str(data.get("note") or ""))


@runtime_checkable
class AnnotatingClassifier(Classifier, Protocol):
    """A classifier that also says, per text, who decided and why (a pre-filter answers some texts itself).

    A wrapper around one (the cache) must be one too, and pass the verdicts on.
    """

    def annotate(self, texts: Sequence[str]) -> list[Verdict]:
        """One :class:`Verdict` per text, in order."""
        ...


@runtime_checkable
class RelevanceScorer(Protocol):
    """How much a text is about the subject at all: the pre-filter's gate."""

    @property
    def model_id(self) -> str: ...

    def relevance(self, texts: Sequence[str]) -> np.ndarray:
        """One similarity per text (cosine, in [-1, 1])."""
        ...


def verdicts(classifier: Classifier, texts: Sequence[str]) -> list[Verdict]:
    """Scores with their provenance: an :class:`AnnotatingClassifier` gives its own, others name their model.

    A non-finite score is a broken model (or cache), never "no claim": :class:`ModelError`.
    """
    if isinstance(classifier, AnnotatingClassifier):
        found = list(classifier.annotate(texts))
    else:
        found = [Verdict(s, classifier.model_id) for s in classifier.classify(texts)]
    for text, verdict in zip(texts, found, strict=False):
        if not all(math.isfinite(v) for v in verdict.scores.values()):
            raise ModelError(f"non-finite score {dict(verdict.scores)} for {text[:60]!r} ({verdict.model_id})")
    return found
