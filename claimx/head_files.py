"""Reading and writing trained heads: ``head.npz`` (arrays) and ``head.json`` (metadata), no pickle.

``head.npz`` holds two float arrays (``coef``, ``intercept``) and is read with
``np.load(allow_pickle=False)``; ``head.json`` records the encoder the head was trained for
(any other is refused), the corpus hash, row counts, the cross-validated figures, the
decision threshold, ``C``, the seed and the claimx version.
"""

from __future__ import annotations

import hashlib
import io
import json
import math
import os
import zipfile
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

import numpy as np

from .classify.head import CLASSES, CVFigure, Head, frozen_array
from .errors import ModelError, ModelNotAvailableError

HEAD_JSON = "head.json"
HEAD_NPZ = "head.npz"
FORMAT = "claimx-head"
FORMAT_VERSION = 1


def _npz_bytes(arrays: Mapping[str, np.ndarray]) -> bytes:
    """An ``.npz`` with fixed zip timestamps (``np.savez`` stamps the current time),
    so that the same head always gives the same bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        for name, array in arrays.items():
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = 0o644 << 16
            with archive.open(info, "w", force_zip64=True) as f:
                np.lib.format.write_array(f, np.ascontiguousarray(array), allow_pickle=False)
    return buffer.getvalue()


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file, so a reader never sees half of it."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def save_head(head: Head, folder: str | os.PathLike[str]) -> Path:
    """Write ``head.npz`` (``coef``, ``intercept``) and ``head.json`` into ``folder``; returns it."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    weights = _npz_bytes({"coef": head.coef, "intercept": head.intercept})
    meta = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "classes": list(head.classes),
        "dim": head.dim,
        "encoder": head.encoder,
        "encoder_model_id": head.encoder_model_id,
        "threshold": head.threshold,
        "corpus_sha256": head.corpus_sha256,
        "row_counts": dict(head.row_counts),
        "cv_folds": head.cv_folds,
        "cv": [
            {"language": f.language, "rows": f.rows, "n": f.n, "macro_f1": f.macro_f1, "accuracy": f.accuracy}
            for f in head.cv
        ],
        "C": head.C,
        "seed": head.seed,
        "claimx_version": head.claimx_version,
        "weights_sha256": hashlib.sha256(weights).hexdigest(),
    }
    write_atomically(folder / HEAD_NPZ, weights)
    write_atomically(folder / HEAD_JSON, (json.dumps(meta, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
    return folder


def need_field(meta: Mapping[str, Any], key: str, kind: type | tuple[type, ...], where: Path) -> Any:
    """``meta[key]`` if it is a ``kind`` (a bool is no int here), else :class:`ModelError` naming ``where``."""
    value = meta.get(key)
    if isinstance(value, bool) and kind is not bool or not isinstance(value, kind):
        raise ModelError(f"{where}: {key!r} is missing or not {getattr(kind, '__name__', kind)}: {value!r:.80}")
    return value


MAX_DIM = 65_536
"""Encoders are far narrower: a larger ``dim`` is a damaged or hostile head."""


def _check_headers(weights: bytes, shapes: Mapping[str, tuple[int, ...]], where: Path) -> None:
    """Refuse arrays whose ``.npy`` header declares another shape or more data than the file holds,
    before any is read (a header may ask for gigabytes)."""
    if not 0 < shapes["coef"][-1] <= MAX_DIM:
        raise ModelError(f"{where}: head dimension {shapes['coef'][-1]} is outside 1..{MAX_DIM}")
    try:
        with zipfile.ZipFile(io.BytesIO(weights)) as archive:
            for info in archive.infolist():
                name = info.filename.removesuffix(".npy")
                if name not in shapes:
                    continue  # np.load below names what does not belong
                with archive.open(info) as f:
                    version = np.lib.format.read_magic(f)
                    read_header = np.lib.format.read_array_header_2_0 if version[0] >= 2 else None
                    shape, _, dtype = (read_header or np.lib.format.read_array_header_1_0)(f)
                if dtype.kind != "f":
                    continue  # np.load below refuses objects and names other types
                if shape != shapes[name]:
                    raise ModelError(f"{where}: arrays do not fit: {name} is declared {shape}, expected {shapes[name]}")
                if math.prod(shape) * dtype.itemsize > info.file_size:
                    raise ModelError(f"{where}: {name} declares more data than the file holds")
    except ModelError:
        raise
    except Exception as e:  # a damaged zip or header: BadZipFile, ValueError, EOFError, ...
        raise ModelError(f"{where} is not a readable head: {type(e).__name__}: {e}") from e


def read_meta(meta_path: Path, fmt: str, what: str) -> dict[str, Any]:
    """A model's JSON record as a dict, if it is one of format ``fmt``; else :class:`ModelError`."""
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise ModelError(f"{meta_path} is not readable JSON: {e}") from e
    if not isinstance(meta, dict) or meta.get("format") != fmt:
        raise ModelError(f"{meta_path} is not a claimx {what} (format {fmt!r} expected)")
    return meta


def read_cv(meta: Mapping[str, Any], meta_path: Path) -> tuple[tuple[CVFigure, ...], Mapping[str, int]]:
    """The cross-validation figures and row counts a record holds; :class:`ModelError` if malformed."""
    try:
        cv = tuple(
            CVFigure(str(f["language"]), str(f["rows"]), int(f["n"]), float(f["macro_f1"]), float(f["accuracy"]))
            for f in need_field(meta, "cv", list, meta_path)
        )
        counts = need_field(meta, "row_counts", dict, meta_path)
        return cv, MappingProxyType({str(k): int(v) for k, v in counts.items()})
    except (KeyError, TypeError, ValueError) as e:
        raise ModelError(f"{meta_path}: malformed cross-validation figures or row counts: {e}") from e


def load_head(path: str | os.PathLike[str]) -> Head:
    """Load a head saved by :func:`save_head` (its folder, or its ``head.json``).

    Anything malformed (unreadable JSON, a missing field, arrays of the wrong name, type or
    shape, non-finite weights, weights that are not the ones the JSON was written with)
    raises :class:`~claimx.errors.ModelError`; a missing head raises
    :class:`~claimx.errors.ModelNotAvailableError`.
    """
    folder = Path(path)
    if folder.is_file():
        folder = folder.parent
    meta_path, npz_path = folder / HEAD_JSON, folder / HEAD_NPZ
    if not meta_path.is_file() or not npz_path.is_file():
        raise ModelNotAvailableError(
            f"no head at {folder}: expected {HEAD_JSON} and {HEAD_NPZ} (written by `claimx train` or save_head)"
        )
    meta = read_meta(meta_path, FORMAT, "head")
    if meta.get("format_version") != FORMAT_VERSION:
        raise ModelError(
            f"{meta_path} has head format version {meta.get('format_version')!r}; this claimx reads "
            f"version {FORMAT_VERSION}: retrain it with `claimx train`"
        )
    classes = tuple(need_field(meta, "classes", list, meta_path))
    if sorted(classes) != sorted(CLASSES):
        raise ModelError(f"{meta_path}: classes {list(classes)} are not {list(CLASSES)}")
    threshold = float(need_field(meta, "threshold", (int, float), meta_path))
    if not 0.0 < threshold <= 1.0:
        raise ModelError(f"{meta_path}: threshold {threshold} is outside (0, 1]")

    weights = npz_path.read_bytes()
    if hashlib.sha256(weights).hexdigest() != need_field(meta, "weights_sha256", str, meta_path):
        raise ModelError(f"{npz_path} is not the file {meta_path} was saved with (checksum differs)")
    dim = need_field(meta, "dim", int, meta_path)
    _check_headers(weights, {"coef": (len(classes), dim), "intercept": (len(classes),)}, npz_path)
    try:
        with np.load(io.BytesIO(weights), allow_pickle=False) as npz:
            if sorted(npz.files) != ["coef", "intercept"]:
                raise ModelError(f"{npz_path} holds {sorted(npz.files)}, expected coef and intercept")
            coef, intercept = npz["coef"], npz["intercept"]
    except ModelError:
        raise
    except Exception as e:  # a damaged zip raises BadZipFile, ValueError, EOFError, OSError, ...
        raise ModelError(f"{npz_path} is not a readable head: {type(e).__name__}: {e}") from e
    if coef.dtype.kind != "f" or intercept.dtype.kind != "f":
        raise ModelError(f"{npz_path}: weights must be floats, got {coef.dtype} and {intercept.dtype}")
    if coef.shape != (len(classes), dim) or intercept.shape != (len(classes),):
        raise ModelError(
            f"{npz_path}: coef {coef.shape} and intercept {intercept.shape} do not fit "
            f"{len(classes)} classes of dimension {dim}"
        )
    if not (np.isfinite(coef).all() and np.isfinite(intercept).all()):
        raise ModelError(f"{npz_path}: weights are not all finite")
    order = [classes.index(c) for c in CLASSES]  # store in CLASSES order whatever the file's order
    cv, row_counts = read_cv(meta, meta_path)
    return Head(
        classes=CLASSES,
        coef=frozen_array(coef[order]),
        intercept=frozen_array(intercept[order]),
        encoder=need_field(meta, "encoder", str, meta_path),
        encoder_model_id=str(meta.get("encoder_model_id", "")),
        corpus_sha256=need_field(meta, "corpus_sha256", str, meta_path),
        row_counts=row_counts,
        cv=cv,
        cv_folds=need_field(meta, "cv_folds", int, meta_path),
        threshold=threshold,
        C=float(need_field(meta, "C", (int, float), meta_path)),
        seed=need_field(meta, "seed", int, meta_path),
        claimx_version=str(meta.get("claimx_version", "unknown")),
    )
