"""Stance classification: the :class:`Classifier` protocol, the decision step and the backends.

* :class:`NLIClassifier` — zero-shot NLI (the first choice where its weights are available);
* :class:`EmbeddingClassifier` — zero-shot from a sentence encoder and label descriptions;
* :class:`~claimx.classify.prefilter.PrefilteredClassifier` and
  :class:`~claimx.cache.CachedClassifier` wrap any classifier with the same protocol.
"""

from .base import Classifier, Scores, Verdict, stance_scores, verdicts
from .decision import Decision, decide
from .embedding import EmbeddingClassifier
from .nli import DEFAULT_NLI_MODEL, NLIClassifier

__all__ = [
    "DEFAULT_NLI_MODEL",
    "Classifier",
    "Decision",
    "EmbeddingClassifier",
    "NLIClassifier",
    "Scores",
    "Verdict",
    "decide",
    "stance_scores",
    "verdicts",
]
