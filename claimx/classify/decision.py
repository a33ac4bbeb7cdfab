"""The decision step: from every label's score to one label.

Kept apart from what is looked for (:class:`~claimx.labels.LabelConfig`) and from
how scores are made, so evaluation, calibration and the extractor share one rule and
a cache of scores never depends on a threshold.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..errors import ConfigError
from ..types import Label
from .base import Scores


@dataclass(frozen=True, slots=True)
class Decision:
    """When a stance label wins over ``neutral``.

    Attributes:
        threshold: The stronger stance's score must reach this; ``None`` uses the
            classifier's own calibrated ``default_threshold``.
        margin: ... and beat the other stance's score by at least this much.

    >>> Decision(0.5).decide({"russian_gain": 0.9, "russian_loss": 0.2, "neutral": 0.1})
    (<Label.RUSSIAN_GAIN: 'russian_gain'>, 0.9)
    """

    threshold: float | None = None
    margin: float = 0.0

    def __post_init__(self) -> None:
        for name in ("threshold", "margin"):
            value = getattr(self, name)
            if value is None and name == "threshold":
                continue
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
                raise ConfigError(f"{name} must be a number, got {value!r}")
            if not 0.0 <= value <= 1.0:
                raise ConfigError(f"{name} must be within [0, 1], got {value!r}")
            object.__setattr__(self, name, float(value))

    def with_default(self, default_threshold: float) -> Decision:
        """This decision with the threshold filled in from a classifier's default."""
        return self if self.threshold is not None else Decision(default_threshold, self.margin)

    def decide(self, scores: Scores, default_threshold: float = 0.5) -> tuple[Label, float]:
        """The label for one sentence and its score."""
        threshold = default_threshold if self.threshold is None else self.threshold
        return decide(scores, threshold, self.margin)


def decide(scores: Scores, threshold: float, margin: float = 0.0) -> tuple[Label, float]:
    """Pick the label for one sentence.

    >>> decide({"russian_gain": 0.9, "russian_loss": 0.2, "neutral": 0.1}, 0.5)
    (<Label.RUSSIAN_GAIN: 'russian_gain'>, 0.9)
    >>> decide({"russian_gain": 0.4, "russian_loss": 0.3, "neutral": 0.6}, 0.5)
    (<Label.NEUTRAL: 'neutral'>, 0.6)
    """
    gain, loss = scores[Label.RUSSIAN_GAIN.value], scores[Label.RUSSIAN_LOSS.value]
    best, other = (Label.RUSSIAN_GAIN, loss) if gain >= loss else (Label.RUSSIAN_LOSS, gain)
    if scores[best.value] >= threshold and scores[best.value] - other >= margin:
        return best, scores[best.value]
    return Label.NEUTRAL, scores[Label.NEUTRAL.value]
