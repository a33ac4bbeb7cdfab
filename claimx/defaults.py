"""The default classifier: the NLI model when it can be loaded, else the packaged encoder."""

from __future__ import annotations

import logging
import warnings

from .classify import DEFAULT_NLI_MODEL, Classifier, NLIClassifier
from .embed_classify import EmbeddingClassifier
from .errors import ModelNotAvailableError
from .labels import LabelConfig
from .models import how_to_get, resolve_model

logger = logging.getLogger(__name__)


def default_classifier(
    model: str | None,
    labels: LabelConfig,
    *,
    device: str = "auto",
    batch_size: int = 16,
    allow_pickle: bool = False,
) -> Classifier:
    """An NLI classifier for ``model``; with ``model=None``, the default NLI model if it
    resolves, else the embedding classifier on packaged all-MiniLM-L6-v2 (with one warning)."""
    if model is not None:
        return NLIClassifier(model, labels, device=device, batch_size=batch_size, allow_pickle=allow_pickle)
    try:
        resolve_model(DEFAULT_NLI_MODEL)
    except ModelNotAvailableError:
        warnings.warn(
            f"NLI model {DEFAULT_NLI_MODEL} is not available, so claimx uses the packaged "
            f"all-MiniLM-L6-v2 embedding classifier (lower label quality). To use NLI, {how_to_get(DEFAULT_NLI_MODEL)}",
            stacklevel=3,
        )
        return EmbeddingClassifier(None, labels, device=device, batch_size=max(batch_size, 32))
    return NLIClassifier(DEFAULT_NLI_MODEL, labels, device=device, batch_size=batch_size, allow_pickle=allow_pickle)
