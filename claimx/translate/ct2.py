"""MarianMT on CTranslate2: the same opus-mt folders, converted locally, int8 on CPU.

``pip install claimx[fast]`` brings ctranslate2. The transformers model folder is
converted once (``ctranslate2.converters.TransformersConverter``, offline) into
``cache_dir`` and reused; tokenisation stays with the model's own MarianTokenizer,
so inputs are split exactly as :class:`~claimx.translate.marian.MarianTranslator` splits them.
"""

from __future__ import annotations

import hashlib
import logging
import os
from pathlib import Path
from typing import Any

from ..errors import ModelError
from ..model_files import check_safe, load_tokenizer, pick_device, resolve_model
from .base import PerLanguageTranslator

logger = logging.getLogger(__name__)

DEFAULT_CACHE = Path(os.environ.get("CLAIMX_CACHE_DIR", Path.home() / ".cache" / "claimx")) / "ct2"


class CTranslate2Translator(PerLanguageTranslator):
    """Translator protocol on CTranslate2 (about 4-5x transformers on CPU with int8, per its authors).

    Takes the common arguments of :class:`~claimx.translate.base.PerLanguageTranslator`
    (``batch_size`` defaults to 32 here), and:
        compute_type: ``int8`` (CPU default), ``int8_float16``/``float16`` (GPU), ``float32``, ...
        beam_size: Beam width (4, as opus-mt's generation config).
        threads: CPU threads per translation (0: CTranslate2's default).
        cache_dir: Where converted models are kept (``$CLAIMX_CACHE_DIR/ct2``).
    """

    default_batch_size = 32

    def _configure(  # type: ignore[override]
        self, compute_type: str = "int8", beam_size: int = 4, threads: int = 0, cache_dir: str | Path | None = None
    ) -> None:
        self.compute_type = compute_type
        self.beam_size = beam_size
        self.threads = threads
        self.cache_dir = Path(cache_dir) if cache_dir else DEFAULT_CACHE

    def _converted(self, folder: Path) -> Path:
        from ctranslate2.converters import TransformersConverter

        weights = sorted(folder.glob("*.safetensors")) or sorted(folder.glob("*.bin"))
        stamp = "|".join(f"{p.name}:{p.stat().st_size}:{p.stat().st_mtime_ns}" for p in weights)
        digest = hashlib.sha256(f"{folder.resolve()}|{stamp}|{self.compute_type}".encode()).hexdigest()[:16]
        target = self.cache_dir / f"{folder.name}-{self.compute_type}-{digest}"
        if not (target / "model.bin").exists():
            logger.info("converting %s to CTranslate2 (%s) in %s", folder, self.compute_type, target)
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_name(target.name + ".tmp")
            TransformersConverter(str(folder), load_as_float16=False).convert(
                str(tmp), quantization=self.compute_type, force=True
            )
            os.replace(tmp, target)
        return target

    def _load_model(self, ref: str, revision: str | None) -> tuple[Any, Any, int]:
        try:
            import ctranslate2
        except ImportError as e:
            raise ModelError("CTranslate2 is not installed: pip install 'claimx[fast]'") from e
        from transformers import MarianTokenizer

        folder = resolve_model(ref, revision)
        check_safe(folder, allow_pickle=self.allow_pickle)
        tokenizer = load_tokenizer(MarianTokenizer, ref, revision=revision)
        device = pick_device(self._device_request)
        device = "cuda" if device.startswith("cuda") else "cpu"
        try:
            engine = ctranslate2.Translator(
                str(self._converted(folder)), device=device, compute_type=self.compute_type, intra_threads=self.threads
            )
        except Exception as e:  # the converter and the engine raise their own types
            raise ModelError(f"could not load {ref!r} in CTranslate2: {type(e).__name__}: {e}") from e
        logger.info("loaded translation model %s in CTranslate2 on %s (%s)", ref, device, self.compute_type)
        return tokenizer, engine, max(8, int(tokenizer.model_max_length) - 2)

    def _input_limit(self, loaded: tuple[Any, Any, int]) -> int:
        return loaded[2]

    def _translate_batch(self, loaded: tuple[Any, Any, int], batch: list[str]) -> list[str]:
        tokenizer, engine, _ = loaded
        sources = [tokenizer.convert_ids_to_tokens(tokenizer(text)["input_ids"]) for text in batch]
        low, high = self._length_bounds(max(len(s) for s in sources))
        # transformers counts the forced end-of-sentence token within max_length; CTranslate2 does
        # not, so one less keeps both backends to the same number of words.
        results = engine.translate_batch(
            sources,
            beam_size=self.beam_size,
            max_batch_size=self.batch_size,
            min_decoding_length=low,
            max_decoding_length=max(1, high - 1),
        )
        return [
            tokenizer.decode(tokenizer.convert_tokens_to_ids(r.hypotheses[0]), skip_special_tokens=True).strip()
            for r in results
        ]
