"""The one place where parts are made: an :class:`~claimx.config.ExtractorConfig` in,
a ready translator and classifier out.

Speed options are parts that wrap a part with the same protocol, composed here in
order (innermost first): backend → quantised backend → cache → pre-filter. Adding a
speed option is one wrapper class plus one line in :func:`build_classifier` or
:func:`build_translator`.
"""

from __future__ import annotations

import logging
import warnings
from pathlib import Path

from .classify.base import Classifier
from .config import ExtractorConfig
from .errors import ModelNotAvailableError
from .model_files import how_to_get, resolve_model, set_threads
from .translate.base import Translator

logger = logging.getLogger(__name__)

CACHE_FILE = "claimx-cache.sqlite"


def build_parts(
    config: ExtractorConfig, *, translator: Translator | None = None, classifier: Classifier | None = None
) -> tuple[Translator, Classifier]:
    """The translator and classifier ``config`` describes, wrapped by its speed options.

    Ready parts given here replace the backends ``config`` names; the wrappers still apply.
    """
    if config.threads is not None:
        set_threads(config.threads)
    cache = None
    if config.cache_dir is not None:
        from .cache import DiskCache

        cache = DiskCache(Path(config.cache_dir) / CACHE_FILE)
    translator = translator if translator is not None else build_translator(config)
    classifier = classifier if classifier is not None else build_classifier(config)
    if cache is not None:
        from .cache import CachedClassifier, CachedTranslator

        translator = CachedTranslator(translator, cache)
        classifier = CachedClassifier(classifier, cache)
    if config.prefilter is not None:
        from .classify.embedding import EmbeddingClassifier
        from .classify.prefilter import PrefilteredClassifier

        gate = EmbeddingClassifier(labels=config.labels, device=config.device)
        classifier = PrefilteredClassifier(classifier, gate, config.prefilter)
    return translator, classifier


def build_translator(config: ExtractorConfig) -> Translator:
    """The translation backend of ``config`` (models load on first use)."""
    common = {
        "device": config.device,
        "batch_size": config.sentences_per_batch,
        "allow_pickle": config.allow_pickle,
    }
    if config.translation_backend == "ct2":
        from .translate.ct2 import CTranslate2Translator

        return CTranslate2Translator(
            config.translation_models, **{**common, "batch_size": max(config.sentences_per_batch, 32)}
        )
    from .translate.marian import MarianTranslator

    return MarianTranslator(config.translation_models, **common)


def build_classifier(config: ExtractorConfig) -> Classifier:
    """The classifier of ``config``: for ``auto``, the NLI model if it resolves, else the offline default."""
    from .classify.nli import DEFAULT_NLI_MODEL, NLIClassifier

    kind = config.classifier
    if kind == "auto":
        if config.classifier_model is not None or config.quantize:
            kind = "nli"
        else:
            try:
                resolve_model(DEFAULT_NLI_MODEL)
                kind = "nli"
            except ModelNotAvailableError:
                warnings.warn(
                    f"NLI model {DEFAULT_NLI_MODEL} is not available, so claimx uses the packaged "
                    f"all-MiniLM-L6-v2 embedding classifier (lower label quality). To use NLI, "
                    f"{how_to_get(DEFAULT_NLI_MODEL)}",
                    stacklevel=4,
                )
                kind = "embedding"
    if kind == "nli":
        return NLIClassifier(
            config.classifier_model or DEFAULT_NLI_MODEL,
            config.labels,
            device=config.device,
            batch_size=config.sentences_per_batch,
            allow_pickle=config.allow_pickle,
            quantize=config.quantize,
        )
    from .classify.embedding import EmbeddingClassifier

    return EmbeddingClassifier(
        config.encoder, config.labels, device=config.device, batch_size=max(config.sentences_per_batch, 32)
    )
