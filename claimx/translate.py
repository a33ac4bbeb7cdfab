"""Translation to English: the Translator protocol and its MarianMT backend."""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping, Sequence
from typing import Any, Protocol, runtime_checkable

from .batching import map_batches
from .errors import ModelError, ModelNotAvailableError
from .models import load_pretrained, load_tokenizer, pick_device, resolve_model

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


class _PerLanguageTranslator:
    """Model lookup per source language, lazy loading, long-input splitting, de-duplication.

    Subclasses say how to load a model (:meth:`_load_model`), how many tokens it takes
    (:meth:`_input_limit`) and how to translate one batch (:meth:`_translate_batch`).
    """

    def __init__(
        self,
        models: Mapping[str, str] | None,
        *,
        template: str | None,
        device: str,
        batch_size: int,
        allow_pickle: bool,
        revisions: Mapping[str, str] | None,
    ) -> None:
        if batch_size < 1:
            raise ValueError(f"batch_size must be >= 1, got {batch_size}")
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


class MarianTranslator(_PerLanguageTranslator):
    """MarianMT (opus-mt) through transformers, one model per source language, loaded lazily.

    Args:
        models: Source language -> hub id or local folder. Languages not listed use
            ``template`` (``Helsinki-NLP/opus-mt-{lang}-en``); pass ``template=None``
            to allow only the listed ones.
        device: ``auto``, ``cpu``, ``cuda``, ...
        batch_size: Sentences per ``generate`` call.
        num_beams: Beam width; ``None`` keeps the model's own generation config (4 for opus-mt).
        allow_pickle: Accept ``.bin`` weights (unsafe; off by default).
        revisions: Source language -> hub revision (commit) to pin for that model.
    """

    def __init__(
        self,
        models: Mapping[str, str] | None = None,
        *,
        template: str | None = DEFAULT_TEMPLATE,
        device: str = "auto",
        batch_size: int = 16,
        num_beams: int | None = None,
        allow_pickle: bool = False,
        revisions: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(
            models,
            template=template,
            device=device,
            batch_size=batch_size,
            allow_pickle=allow_pickle,
            revisions=revisions,
        )
        self.num_beams = num_beams

    def _load_model(self, ref: str, revision: str | None) -> tuple[Any, Any]:
        from transformers import MarianMTModel, MarianTokenizer

        tokenizer = load_tokenizer(MarianTokenizer, ref, revision=revision)
        model = load_pretrained(MarianMTModel, ref, revision=revision, allow_pickle=self.allow_pickle)
        device = pick_device(self._device_request)
        model = model.to(device).eval()
        if device.startswith("cuda"):
            model = model.half()
        logger.info("loaded translation model %s on %s", ref, device)
        return tokenizer, model

    def _input_limit(self, loaded: tuple[Any, Any]) -> int:
        tokenizer, model = loaded
        limit = min(int(tokenizer.model_max_length), int(model.config.max_position_embeddings))
        return max(8, limit - 2)

    def _translate_batch(self, loaded: tuple[Any, Any], batch: list[str]) -> list[str]:
        import torch

        tokenizer, model = loaded
        enc = tokenizer(batch, return_tensors="pt", padding=True, truncation=False)
        enc = {k: v.to(model.device) for k, v in enc.items()}
        low, high = self._length_bounds(int(enc["input_ids"].shape[1]))
        # max_length (decoder tokens, for an encoder-decoder) rather than max_new_tokens: opus-mt's
        # generation config sets max_length, and giving both makes transformers warn on every call.
        kwargs: dict[str, Any] = {"max_length": high + 1}
        if low:
            kwargs["min_length"] = low + 1
        if self.num_beams is not None:
            kwargs["num_beams"] = self.num_beams
        with torch.inference_mode():
            generated = model.generate(**enc, **kwargs)
        return [t.strip() for t in tokenizer.batch_decode(generated, skip_special_tokens=True)]


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
