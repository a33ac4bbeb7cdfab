"""The Translator protocol and what every per-language translation backend shares."""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping, Sequence
from typing import Any, Protocol, runtime_checkable

from ..errors import ConfigError, ModelError, ModelNotAvailableError
from ..model_files import resolve_model
from ..oom import free_cached_memory, map_batches

logger = logging.getLogger(__name__)

DEFAULT_TEMPLATE = "Helsinki-NLP/opus-mt-{lang}-en"


@runtime_checkable
class Translator(Protocol):
    """Turns sentences in one source language into English, one output per input."""

    def can_translate(self, src_lang: str) -> bool:
        """Whether a model for ``src_lang`` is available (cheap; loads nothing)."""
        ...

    def model_id(self, src_lang: str) -> str:
        """The id recorded on claims translated from ``src_lang``."""
        ...

    def translate(self, texts: Sequence[str], src_lang: str) -> list[str]:
        """Translate ``texts`` from ``src_lang``; same length and order as ``texts``."""
        ...


class PerLanguageTranslator:
    """Model lookup per source language, lazy loading, long-input splitting, de-duplication.

    Common arguments (every backend takes them):
        models: Source language -> hub id or local folder. Languages not listed use
            ``template`` (``Helsinki-NLP/opus-mt-{lang}-en``); ``template=None`` allows only the listed ones.
        device: ``auto``, ``cpu``, ``cuda``, ...
        batch_size: Sentences per model call (``None``: the backend's default).
        allow_pickle: Accept ``.bin`` weights (unsafe; off by default).
        revisions: Source language -> hub revision (commit) to pin for that model.
        **options: The backend's own options (:meth:`_configure`).

    Subclasses say how to load a model (:meth:`_load_model`), how many tokens it takes
    (:meth:`_input_limit`) and how to translate one batch (:meth:`_translate_batch`).
    """

    default_batch_size = 16

    def __init__(
        self,
        models: Mapping[str, str] | None = None,
        *,
        template: str | None = DEFAULT_TEMPLATE,
        device: str = "auto",
        batch_size: int | None = None,
        allow_pickle: bool = False,
        revisions: Mapping[str, str] | None = None,
        **options: Any,
    ) -> None:
        batch_size = self.default_batch_size if batch_size is None else batch_size
        if batch_size < 1:
            raise ConfigError(f"batch_size must be >= 1, got {batch_size}")
        self._refs = dict(models or {})
        self._template = template
        self._device_request = device
        self.batch_size = batch_size
        self.allow_pickle = allow_pickle
        self.revisions = dict(revisions or {})
        self._loaded: dict[str, Any] = {}
        self._load_errors: dict[str, ModelError] = {}
        self._available: dict[str, bool] = {}
        self._lock = threading.Lock()
        self._configure(**options)

    def _configure(self) -> None:
        """Take the backend's own options (keyword arguments with defaults)."""

    def model_id(self, src_lang: str) -> str:
        if src_lang in self._refs:
            return str(self._refs[src_lang])
        if self._template is None:
            raise ModelNotAvailableError(f"no translation model configured for language {src_lang!r}")
        return self._template.format(lang=src_lang)

    def can_translate(self, src_lang: str) -> bool:
        if src_lang not in self._available:
            try:
                resolve_model(self.model_id(src_lang), self.revisions.get(src_lang))
                self._available[src_lang] = True
            except ModelNotAvailableError as e:
                logger.debug("no translation model for %s: %s", src_lang, e)
                self._available[src_lang] = False
        return self._available[src_lang]

    def close(self) -> None:
        """Let every loaded model go (each loads again on next use)."""
        with self._lock:
            loaded = bool(self._loaded)
            self._loaded.clear()
            self._load_errors.clear()
        if loaded:
            free_cached_memory()

    def _load(self, src_lang: str) -> Any:
        with self._lock:
            if src_lang in self._load_errors:  # a broken folder fails once, not once per batch
                raise self._load_errors[src_lang]
            if src_lang not in self._loaded:
                try:
                    self._loaded[src_lang] = self._load_model(self.model_id(src_lang), self.revisions.get(src_lang))
                except ModelError as e:
                    self._load_errors[src_lang] = e
                    raise
            return self._loaded[src_lang]

    def _load_model(self, ref: str, revision: str | None) -> Any:
        """Load what :meth:`_translate_batch` needs; index 0 must be the HF tokenizer."""
        raise NotImplementedError

    def _input_limit(self, loaded: Any) -> int:
        raise NotImplementedError

    def _translate_batch(self, loaded: Any, batch: list[str]) -> list[str]:
        raise NotImplementedError

    def _length_bounds(self, input_tokens: int) -> tuple[int, int]:
        """(min, max) output tokens for a batch whose longest input has ``input_tokens``."""
        # A translation is rarely more than twice its source; the cap stops runaway generation.
        return 0, int(min(512, input_tokens * 2 + 10))

    def translate(self, texts: Sequence[str], src_lang: str) -> list[str]:
        if not texts:
            return []
        loaded = self._load(src_lang)
        tokenizer, limit = loaded[0], self._input_limit(loaded)
        # Split over-long inputs into pieces the model can take, translate all pieces,
        # then join each input's pieces back in order.
        pieces: list[str] = []
        owner: list[int] = []
        for i, text in enumerate(texts):
            for piece in _split_to_fit(text, tokenizer, limit):
                pieces.append(piece)
                owner.append(i)
        unique = sorted(set(pieces), key=len)  # length-sorted batches pad less
        outputs = map_batches(
            unique,
            self.batch_size,
            lambda batch: self._translate_batch(loaded, list(batch)),
            what=f"translation model {self.model_id(src_lang)}",
        )
        translated = dict(zip(unique, outputs, strict=True))
        out: list[list[str]] = [[] for _ in texts]
        for i, piece in zip(owner, pieces, strict=True):
            out[i].append(translated[piece])
        return [" ".join(parts) for parts in out]


def _split_to_fit(text: str, tokenizer: Any, limit: int) -> list[str]:
    """Cut ``text`` at word boundaries into pieces of at most ``limit`` tokens."""
    if len(tokenizer(text, truncation=False)["input_ids"]) <= limit:
        return [text]
    words = text.split()
    if len(words) <= 1:  # one giant token: cut by characters
        step = max(1, len(text) // 2)
        return [p for i in range(0, len(text), step) for p in _split_to_fit(text[i : i + step], tokenizer, limit)]
    mid = len(words) // 2
    return _split_to_fit(" ".join(words[:mid]), tokenizer, limit) + _split_to_fit(
        " ".join(words[mid:]), tokenizer, limit
    )
