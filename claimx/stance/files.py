"""The fine-tuned stance model as a record, and its two files (no pickle).

* ``stance.safetensors`` — for every fine-tuned encoder weight, fine-tuned minus base
  (``encoder.layer.<i>.<name>``, float16), and the head (``head.weight``, ``head.bias``, float32);
* ``stance.json`` — the encoder it was trained on (canonical name and the sha256 of its weights
  file: any other encoder is refused), which layers were tuned, the tokenisation, the
  decision threshold and temperature, the corpus hash, the settings and seed, the grouped
  cross-validation figures and calibration errors, and the sha256 of ``stance.safetensors``.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from types import MappingProxyType
from typing import Any

import numpy as np

from ..classify.head import CLASSES, CVFigure
from ..errors import ModelError, ModelNotAvailableError
from ..head_files import need_field, read_cv, read_meta, write_atomically

STANCE_JSON = "stance.json"
STANCE_WEIGHTS = "stance.safetensors"
FORMAT = "claimx-stance-model"
FORMAT_VERSION = 1
MAX_WEIGHTS_BYTES = 256 * 2**20
"""A stance model's weights file is read whole; a larger one is refused before reading."""

SHIPPED = "e5-small-stance"
"""Folder under ``claimx/stance/`` of the model that ships with claimx."""


def shipped_stance_model() -> Path:
    """Folder of the fine-tuned stance model shipped inside the package."""
    return Path(str(files("claimx") / "stance" / SHIPPED))


@dataclass(frozen=True, slots=True, eq=False)
class StanceModel:
    """A fine-tuned stance model (compare models by :attr:`weights_sha256`, not ``==``).

    Attributes:
        classes: Label values, in the row order of ``head_weight``.
        deltas: Fine-tuned minus base weight of every tuned encoder parameter, float16.
        head_weight: float32, shape ``(len(classes), dim)``.
        head_bias: float32, shape ``(len(classes),)``.
        encoder: Canonical name of the base encoder.
        encoder_model_id: The base encoder backend it was trained on.
        encoder_sha256: sha256 of the base encoder's weights file; any other base is refused.
        first_tuned_layer: Index of the lowest tuned block; blocks below it are the base's.
        prefix: Prepended to every sentence before tokenising.
        max_length: Tokens per sentence (longer ones are truncated).
        temperature: Logits are divided by it before the softmax (calibration).
        threshold: Decision threshold for gain/loss (chosen by cross-validation).
        corpus_sha256: :func:`claimx.corpus.corpus_sha256` of the training rows.
        row_counts: Rows in all, per certainty, per label, per language, and groups.
        cv: Grouped cross-validation figures.
        cv_folds: Number of folds.
        calibration: Expected calibration error per language, before and after the temperature.
        settings: Training settings (epochs, learning rates, batch size, ...).
        seed: Seed of the folds, the initialisation, dropout and shuffling.
        claimx_version: Version that trained it.
    """

    classes: tuple[str, ...]
    deltas: Mapping[str, np.ndarray]
    head_weight: np.ndarray
    head_bias: np.ndarray
    encoder: str
    encoder_model_id: str
    encoder_sha256: str
    first_tuned_layer: int
    prefix: str
    max_length: int
    temperature: float
    threshold: float
    corpus_sha256: str
    row_counts: Mapping[str, int]
    cv: tuple[CVFigure, ...]
    cv_folds: int
    calibration: Mapping[str, Mapping[str, float]]
    settings: Mapping[str, Any]
    seed: int
    claimx_version: str

    def weights_bytes(self) -> bytes:
        """``stance.safetensors`` as it is written (the same model always gives the same bytes)."""
        from safetensors.numpy import save

        tensors = {name: np.ascontiguousarray(d, dtype=np.float16) for name, d in self.deltas.items()}
        tensors["head.weight"] = np.ascontiguousarray(self.head_weight, dtype=np.float32)
        tensors["head.bias"] = np.ascontiguousarray(self.head_bias, dtype=np.float32)
        return save(dict(sorted(tensors.items())))

    @property
    def weights_sha256(self) -> str:
        return hashlib.sha256(self.weights_bytes()).hexdigest()

    def figure(self, language: str = "all", rows: str = "clear") -> CVFigure | None:
        """The cross-validated figure for one slice, if the corpus had it."""
        return next((f for f in self.cv if f.language == language and f.rows == rows), None)

    def summary(self) -> str:
        """The cross-validated figures as a small table."""
        lines = [
            f"stance model on {self.encoder} (blocks {self.first_tuned_layer}+ tuned): "
            f"{self.row_counts.get('rows', 0)} rows, {self.row_counts.get('groups', 0)} groups, grouped "
            f"{self.cv_folds}-fold CV, threshold {self.threshold:.2f}, temperature {self.temperature:.2f}",
            f"{'language':<10}{'rows':<7}{'n':>6}{'macro-F1':>10}{'accuracy':>10}",
        ]
        lines += [f"{f.language:<10}{f.rows:<7}{f.n:>6}{f.macro_f1:>10.3f}{f.accuracy:>10.3f}" for f in self.cv]
        return "\n".join(lines)


def save_stance_model(model: StanceModel, folder: str | os.PathLike[str]) -> Path:
    """Write ``stance.safetensors`` and ``stance.json`` into ``folder``; returns it."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    weights = model.weights_bytes()
    meta = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "classes": list(model.classes),
        "encoder": model.encoder,
        "encoder_model_id": model.encoder_model_id,
        "encoder_sha256": model.encoder_sha256,
        "first_tuned_layer": model.first_tuned_layer,
        "prefix": model.prefix,
        "max_length": model.max_length,
        "temperature": model.temperature,
        "threshold": model.threshold,
        "corpus_sha256": model.corpus_sha256,
        "row_counts": dict(model.row_counts),
        "cv_folds": model.cv_folds,
        "cv": [
            {"language": f.language, "rows": f.rows, "n": f.n, "macro_f1": f.macro_f1, "accuracy": f.accuracy}
            for f in model.cv
        ],
        "calibration": {k: dict(v) for k, v in model.calibration.items()},
        "settings": dict(model.settings),
        "seed": model.seed,
        "claimx_version": model.claimx_version,
        "weights_sha256": hashlib.sha256(weights).hexdigest(),
    }
    write_atomically(folder / STANCE_WEIGHTS, weights)
    write_atomically(folder / STANCE_JSON, (json.dumps(meta, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
    return folder


def is_stance_model(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` is a stance model folder (or its ``stance.json``)."""
    path = Path(path)
    return (path / STANCE_JSON).is_file() or (path.name == STANCE_JSON and path.is_file())


def load_stance_model(path: str | os.PathLike[str]) -> StanceModel:
    """Load a model saved by :func:`save_stance_model` (its folder, or its ``stance.json``).

    Anything malformed raises :class:`~claimx.errors.ModelError`; a missing model
    :class:`~claimx.errors.ModelNotAvailableError`.
    """
    folder = Path(path)
    if folder.is_file():
        folder = folder.parent
    meta_path, weights_path = folder / STANCE_JSON, folder / STANCE_WEIGHTS
    if not meta_path.is_file() or not weights_path.is_file():
        raise ModelNotAvailableError(
            f"no stance model at {folder}: expected {STANCE_JSON} and {STANCE_WEIGHTS} "
            "(written by `claimx train --fine-tune`)"
        )
    meta = read_meta(meta_path, FORMAT, "stance model")
    if meta.get("format_version") != FORMAT_VERSION:
        raise ModelError(
            f"{meta_path} has format version {meta.get('format_version')!r}; this claimx reads {FORMAT_VERSION}"
        )
    classes = tuple(need_field(meta, "classes", list, meta_path))
    if list(classes) != list(CLASSES):
        raise ModelError(f"{meta_path}: classes {list(classes)} are not {list(CLASSES)}")
    threshold = float(need_field(meta, "threshold", (int, float), meta_path))
    temperature = float(need_field(meta, "temperature", (int, float), meta_path))
    if not 0.0 < threshold <= 1.0 or not 0.0 < temperature < 100.0:
        raise ModelError(f"{meta_path}: threshold {threshold} or temperature {temperature} out of range")
    size = weights_path.stat().st_size
    if size > MAX_WEIGHTS_BYTES:
        raise ModelError(f"{weights_path} is {size / 2**20:.0f} MiB, more than a stance model can be")
    weights = weights_path.read_bytes()
    if hashlib.sha256(weights).hexdigest() != need_field(meta, "weights_sha256", str, meta_path):
        raise ModelError(f"{weights_path} is not the file {meta_path} was saved with (checksum differs)")
    try:
        from safetensors.numpy import load

        tensors = load(weights)
    except Exception as e:  # a damaged file raises SafetensorError, ValueError, ...
        raise ModelError(f"{weights_path} is not readable safetensors: {type(e).__name__}: {e}") from e
    head_weight, head_bias = tensors.pop("head.weight", None), tensors.pop("head.bias", None)
    if head_weight is None or head_bias is None or head_weight.ndim != 2 or head_weight.shape[0] != len(classes):
        raise ModelError(f"{weights_path}: no head of {len(classes)} classes")
    if head_bias.shape != (len(classes),):
        raise ModelError(f"{weights_path}: head bias has shape {head_bias.shape}")
    if not all(np.isfinite(t).all() for t in (head_weight, head_bias, *tensors.values())):
        raise ModelError(f"{weights_path}: weights are not all finite")
    cv, row_counts = read_cv(meta, meta_path)
    try:
        calibration = MappingProxyType(
            {str(k): MappingProxyType({str(a): float(b) for a, b in v.items()})
             for k, v in need_field(meta, "calibration", dict, meta_path).items()}
        )  # fmt: skip
    except (AttributeError, KeyError, TypeError, ValueError) as e:
        raise ModelError(f"{meta_path}: malformed figures: {e}") from e
    return StanceModel(
        classes=classes,
        deltas=MappingProxyType(dict(tensors)),
        head_weight=head_weight,
        head_bias=head_bias,
        encoder=need_field(meta, "encoder", str, meta_path),
        encoder_model_id=str(meta.get("encoder_model_id", "")),
        encoder_sha256=need_field(meta, "encoder_sha256", str, meta_path),
        first_tuned_layer=need_field(meta, "first_tuned_layer", int, meta_path),
        prefix=need_field(meta, "prefix", str, meta_path),
        max_length=need_field(meta, "max_length", int, meta_path),
        temperature=temperature,
        threshold=threshold,
        corpus_sha256=need_field(meta, "corpus_sha256", str, meta_path),
        row_counts=row_counts,
        cv=cv,
        cv_folds=need_field(meta, "cv_folds", int, meta_path),
        calibration=calibration,
        settings=MappingProxyType(dict(need_field(meta, "settings", dict, meta_path))),
        seed=need_field(meta, "seed", int, meta_path),
        claimx_version=str(meta.get("claimx_version", "unknown")),
    )
