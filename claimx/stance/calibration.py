"""Scores that mean something: softmax, temperature scaling and expected calibration error (numpy)."""

from __future__ import annotations

import numpy as np

TEMPERATURES = np.exp(np.linspace(np.log(0.25), np.log(8.0), 121))
"""Grid searched by :func:`fit_temperature` (0.25 .. 8, log-spaced)."""


def softmax(logits: np.ndarray) -> np.ndarray:
    """Row-wise softmax.

    >>> softmax(np.zeros((1, 3))).round(3).tolist()
    [[0.333, 0.333, 0.333]]
    """
    z = np.asarray(logits, dtype=np.float64)
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def fit_temperature(logits: np.ndarray, y: np.ndarray) -> float:
    """The temperature on :data:`TEMPERATURES` with the lowest negative log-likelihood.

    >>> fit_temperature(np.array([[4.0, 0.0, 0.0], [4.0, 0.0, 0.0]]), np.array([0, 1])) > 1
    True
    """
    logits, y = np.asarray(logits, dtype=np.float64), np.asarray(y)
    if len(y) == 0:
        return 1.0
    nll = [-np.log(softmax(logits / t)[np.arange(len(y)), y] + 1e-12).mean() for t in TEMPERATURES]
    return float(TEMPERATURES[int(np.argmin(nll))])


def expected_calibration_error(probabilities: np.ndarray, y: np.ndarray, bins: int = 10) -> float:
    """Top-label ECE: the confidence-weighted gap between confidence and accuracy over ``bins`` bins.

    >>> expected_calibration_error(np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]), np.array([0, 1]))
    0.0
    """
    probabilities, y = np.asarray(probabilities), np.asarray(y)
    if len(y) == 0:
        return 0.0
    confidence = probabilities.max(axis=1)
    correct = probabilities.argmax(axis=1) == y
    edges = np.linspace(0.0, 1.0, bins + 1)
    which = np.clip(np.digitize(confidence, edges[1:-1], right=True), 0, bins - 1)
    error = 0.0
    for b in range(bins):
        inside = which == b
        if inside.any():
            error += inside.mean() * abs(confidence[inside].mean() - correct[inside].mean())
    return float(error)
