"""MarianMT (opus-mt) through transformers."""

from __future__ import annotations

import logging
from typing import Any

from ..model_files import load_pretrained, load_tokenizer, pick_device
from .base import PerLanguageTranslator

logger = logging.getLogger(__name__)


class MarianTranslator(PerLanguageTranslator):
    """MarianMT (opus-mt) through transformers, one model per source language, loaded lazily.

    Takes the common arguments of :class:`~claimx.translate.base.PerLanguageTranslator`, and:
        num_beams: Beam width; ``None`` keeps the model's own generation config (4 for opus-mt).

    >>> MarianTranslator({"de": "Helsinki-NLP/opus-mt-de-en"}).model_id("de")
    'Helsinki-NLP/opus-mt-de-en'
    """

    def _configure(self, num_beams: int | None = None) -> None:  # type: ignore[override]
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
