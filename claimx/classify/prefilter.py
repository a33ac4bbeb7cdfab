"""A cheap relevance gate in front of an expensive classifier."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..errors import ConfigError
from ..parts import close_part
from ..types import Label
from .base import Classifier, RelevanceScorer, Scores, Verdict

IRRELEVANT: Scores = {Label.RUSSIAN_GAIN.value: 0.0, Label.RUSSIAN_LOSS.value: 0.0, Label.NEUTRAL.value: 1.0}


class PrefilteredClassifier:
    """Sends to ``inner`` only the texts that ``gate`` finds relevant; the rest are neutral.

    Same protocol in, same protocol out, plus :class:`~claimx.classify.base.AnnotatingClassifier`:
    claims the gate answered name it and carry a ``note``. ``gate`` is a
    :class:`~claimx.classify.base.RelevanceScorer` (the embedding classifier on packaged MiniLM).

    Args:
        inner: The classifier that scores relevant texts.
        gate: The relevance scorer.
        min_relevance: Texts below this cosine similarity skip ``inner``.
    """

    def __init__(self, inner: Classifier, gate: RelevanceScorer, min_relevance: float) -> None:
        if not isinstance(gate, RelevanceScorer):
            raise ConfigError(f"the pre-filter's gate needs relevance(texts) and model_id; got {type(gate).__name__}")
        self.inner = inner
        self.gate = gate
        self.min_relevance = min_relevance
        self.model_id = inner.model_id
        self.default_threshold = inner.default_threshold
        self.gate_id = f"{gate.model_id} (relevance pre-filter)"

    @property
    def labels(self) -> Any:
        return getattr(self.inner, "labels", None)

    @property
    def cache_key(self) -> str:
        """What besides the labels makes its verdicts: the gate and the cut."""
        return f"{self.gate_id}|{self.min_relevance}"

    def annotate(self, texts: Sequence[str]) -> list[Verdict]:
        relevance = [float(r) for r in self.gate.relevance(texts)] if texts else []
        keep = [t for t, r in zip(texts, relevance, strict=True) if r >= self.min_relevance]
        scored = dict(zip(keep, self.inner.classify(keep), strict=True))
        return [
            Verdict(scored[t], self.model_id)
            if t in scored
            else Verdict(
                dict(IRRELEVANT),
                self.gate_id,
                f"pre-filter: relevance {r:.2f} < {self.min_relevance:.2f}, classifier skipped",
            )
            for t, r in zip(texts, relevance, strict=True)
        ]

    def close(self) -> None:
        close_part(self.inner)
        close_part(self.gate)

    def classify(self, texts: Sequence[str]) -> list[Scores]:
        return [v.scores for v in self.annotate(texts)]
