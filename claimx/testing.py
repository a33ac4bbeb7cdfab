"""Function-backed stand-ins for the parts, for tests (yours and claimx's own).

Like httpx's ``MockTransport(handler)``: the behaviour is a plain function, the part
around it satisfies the protocol and records what reached it.

>>> from claimx.testing import FunctionClassifier, stance
>>> clf = FunctionClassifier(lambda texts: [stance(0.9, 0.1) for _ in texts])
>>> clf.classify(["Russia opened a base."])[0]["russian_gain"], clf.seen
(0.9, ['Russia opened a base.'])
"""

from __future__ import annotations

from collections.abc import Callable, Container, Sequence
from typing import Any

import numpy as np

from .classify.base import Scores, stance_scores

ClassifyHandler = Callable[[list[str]], Sequence[Scores]]
TranslateHandler = Callable[[list[str], str], Sequence[str]]


def stance(gain: float, loss: float) -> Scores:
    """The :data:`~claimx.classify.base.Scores` of one sentence with these direction scores."""
    return stance_scores(np.array([gain]), np.array([loss]))[0]


def _always_gain(texts: list[str]) -> list[Scores]:
    return [stance(0.9, 0.1) for _ in texts]


class FunctionClassifier:
    """A :class:`~claimx.classify.Classifier` whose scores come from ``handler(texts)``.

    ``handler`` may raise, as a broken model would (the default scores every text a gain);
    ``FunctionClassifier(real.classify, model_id=real.model_id)`` records what reaches a real one.
    ``seen`` lists every text classified, ``calls`` counts the calls.
    """

    def __init__(
        self,
        handler: ClassifyHandler = _always_gain,
        *,
        model_id: str = "fake-classifier",
        default_threshold: float = 0.5,
        labels: Any = None,
    ) -> None:
        self.handler = handler
        self.model_id = model_id
        self.default_threshold = default_threshold
        self.labels = labels  # what the cache keys scores by, besides the model
        self.seen: list[str] = []
        self.calls = 0

    def classify(self, texts: Sequence[str]) -> list[Scores]:
        self.calls += 1
        self.seen.extend(texts)
        return [dict(s) for s in self.handler(list(texts))]


class FunctionTranslator:
    """A :class:`~claimx.translate.Translator` whose output comes from ``handler(texts, src_lang)``.

    ``languages`` limits what it can translate (``None``: every language); the model
    id recorded on claims is ``f"{model_id}:{src_lang}"``. The default handler tags each text.
    """

    def __init__(
        self,
        handler: TranslateHandler | None = None,
        *,
        languages: Container[str] | None = None,
        model_id: str = "fake-translator",
    ) -> None:
        self.handler = handler or (lambda texts, lang: [f"[{lang}] {t}" for t in texts])
        self.languages = languages
        self._model_id = model_id
        self.seen: list[tuple[str, str]] = []

    def can_translate(self, src_lang: str) -> bool:
        return self.languages is None or src_lang in self.languages

    def model_id(self, src_lang: str) -> str:
        return f"{self._model_id}:{src_lang}"

    def translate(self, texts: Sequence[str], src_lang: str) -> list[str]:
        self.seen.extend((t, src_lang) for t in texts)
        return list(self.handler(list(texts), src_lang))


class FunctionScorer:
    """A relevance scorer (the pre-filter's gate) whose relevance comes from ``handler(texts)``."""

    def __init__(self, handler: Callable[[list[str]], Sequence[float]], *, model_id: str = "fake-gate") -> None:
        self.handler = handler
        self.model_id = model_id

    def relevance(self, texts: Sequence[str]) -> np.ndarray:
        return np.asarray(self.handler(list(texts)), dtype=np.float32)
