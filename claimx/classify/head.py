"""A trained stance head: sentence-encoder embeddings into a multinomial logistic regression.

Train with :func:`claimx.train.train_head` (or ``claimx train``), save and load with
:mod:`claimx.head_files`, classify with :class:`HeadClassifier`::

    from claimx.classify.head import HeadClassifier, shipped_head
    from claimx.encoders import load_encoder
    from claimx.head_files import load_head

    classifier = HeadClassifier(load_head(shipped_head()), load_encoder())
    classifier.classify(["Moskau verliert seinen Stützpunkt in Syrien."])

How ``neutral`` is reached. The head outputs three class probabilities. claimx's decision
step (:class:`claimx.classify.Decision`, margin 0) picks the stronger of gain and loss when
its probability reaches the threshold, else neutral. No fixed threshold makes that the
argmax of three probabilities: with ``t = 1/3`` a (0.34, 0.00, 0.66) sentence would be
called a gain, and with ``t = 1/2`` a (0.45, 0.10, 0.45) one would be neutral while argmax
calls it a gain (ties aside). The threshold is instead chosen by grouped cross-validation on
the training corpus (never on the seed gold file) and stored in the head.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from ..errors import ConfigError, ModelError
from ..parts import close_part
from ..types import Label

if TYPE_CHECKING:
    from ..encoders import SentenceEncoder

logger = logging.getLogger(__name__)

__all__ = ["CLASSES", "CVFigure", "Head", "HeadClassifier", "shipped_head"]


SHIPPED_HEAD = "e5-small"
"""Folder under ``claimx/heads/`` of the head that ships with claimx."""


def shipped_head() -> Path:
    """Folder of the head shipped inside the package (trained on ``corpus/`` for multilingual-e5-small)."""
    return Path(str(files("claimx") / "heads" / SHIPPED_HEAD))


CLASSES: tuple[str, ...] = (Label.RUSSIAN_GAIN.value, Label.RUSSIAN_LOSS.value, Label.NEUTRAL.value)
"""Row order of the head's weights."""


@dataclass(frozen=True, slots=True)
class CVFigure:
    """Out-of-fold quality on one slice of the corpus.

    Attributes:
        language: ISO code, or ``"all"``.
        rows: ``"clear"`` (certainty == clear) or ``"all"``.
        n: Rows in the slice.
        macro_f1: Macro-F1 over the three labels.
        accuracy: Share of rows labelled right.
    """

    language: str
    rows: str
    n: int
    macro_f1: float
    accuracy: float


@dataclass(frozen=True, slots=True, eq=False)
class Head:
    """A trained head (compare heads by their saved bytes, not with ``==``).

    Attributes:
        classes: Label values, in the row order of ``coef``.
        coef: float64 weights, shape ``(len(classes), dim)``.
        intercept: float64 biases, shape ``(len(classes),)``.
        encoder: Canonical name of the encoder it was trained for.
        encoder_model_id: The encoder backend that produced the training embeddings.
        corpus_sha256: :func:`claimx.corpus.corpus_sha256` of the training rows.
        row_counts: Rows in all, per certainty, per label, per language, and groups.
        cv: Grouped cross-validation figures (threshold chosen inside each training fold).
        cv_folds: Number of folds.
        threshold: Decision threshold for gain/loss (see the module docstring).
        C: Inverse regularisation strength.
        seed: Seed of the fold assignment and the solver.
        claimx_version: Version that trained it.
    """

    classes: tuple[str, ...]
    coef: np.ndarray
    intercept: np.ndarray
    encoder: str
    encoder_model_id: str
    corpus_sha256: str
    row_counts: Mapping[str, int]
    cv: tuple[CVFigure, ...]
    cv_folds: int
    threshold: float
    C: float
    seed: int
    claimx_version: str

    @property
    def dim(self) -> int:
        return int(self.coef.shape[1])

    def figure(self, language: str = "all", rows: str = "clear") -> CVFigure | None:
        """The cross-validated figure for one slice, if the corpus had it."""
        return next((f for f in self.cv if f.language == language and f.rows == rows), None)

    def summary(self) -> str:
        """The cross-validated figures as a small table."""
        lines = [
            f"head for {self.encoder}: {self.row_counts.get('rows', 0)} rows, {self.row_counts.get('groups', 0)} "
            f"groups, grouped {self.cv_folds}-fold CV, threshold {self.threshold:.2f}, C {self.C:g}",
            f"{'language':<10}{'rows':<7}{'n':>6}{'macro-F1':>10}{'accuracy':>10}",
        ]
        lines += [f"{f.language:<10}{f.rows:<7}{f.n:>6}{f.macro_f1:>10.3f}{f.accuracy:>10.3f}" for f in self.cv]
        return "\n".join(lines)


def claimx_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("claimx")
    except PackageNotFoundError:
        return "unknown"


def frozen_array(array: np.ndarray) -> np.ndarray:
    """A read-only float64 copy (a head's weights never change after training)."""
    array = np.array(array, dtype=np.float64, order="C")
    array.setflags(write=False)
    return array


def softmax_probabilities(embeddings: np.ndarray, coef: np.ndarray, intercept: np.ndarray) -> np.ndarray:
    """Multinomial logistic regression probabilities (rows sum to 1), as scikit-learn computes them.

    >>> softmax_probabilities(np.zeros((1, 2)), np.ones((3, 2)), np.zeros(3)).round(3).tolist()
    [[0.333, 0.333, 0.333]]
    """
    logits = np.asarray(embeddings, dtype=np.float64) @ coef.T + intercept
    logits -= logits.max(axis=1, keepdims=True)
    exp = np.exp(logits)
    return exp / exp.sum(axis=1, keepdims=True)


class HeadClassifier:
    """A trained head on a sentence encoder, as a :class:`claimx.classify.Classifier`.

    ``classify`` returns the head's three class probabilities (they sum to 1);
    ``default_threshold`` is the one stored in the head. Works on text in any
    language the encoder reads, no translation needed.

    Raises:
        ConfigError: the head was trained for another encoder than ``encoder.name``.
    """

    def __init__(self, head: Head, encoder: SentenceEncoder) -> None:
        if head.encoder != encoder.name:
            raise ConfigError(
                f"this head was trained for the encoder {head.encoder!r}, but the encoder given is "
                f"{encoder.name!r} ({encoder.model_id}); use {head.encoder!r}, or train a head for "
                f"{encoder.name!r} with `claimx train`"
            )
        self.head = head
        self.encoder = encoder
        self.default_threshold = head.threshold
        self.model_id = f"{encoder.model_id} + head {head.corpus_sha256[:12]}"

    def close(self) -> None:
        """Close the encoder, if it can be closed."""
        close_part(self.encoder)

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        """``(len(texts), 3)`` probabilities in :data:`CLASSES` order."""
        if not texts:
            return np.zeros((0, len(CLASSES)))
        embeddings = self.encoder.encode(texts)
        if embeddings.shape[1] != self.head.dim:
            raise ModelError(
                f"{self.encoder.model_id} gives {embeddings.shape[1]}-dimensional vectors, "
                f"the head expects {self.head.dim}"
            )
        return softmax_probabilities(embeddings, self.head.coef, self.head.intercept)

    def classify(self, texts: Sequence[str]) -> list[dict[str, float]]:
        return [{label: float(p) for label, p in zip(CLASSES, row, strict=True)} for row in self.probabilities(texts)]
