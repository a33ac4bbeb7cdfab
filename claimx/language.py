"""Language identification with langdetect, made deterministic.

langdetect samples at random; a private factory with a fixed seed makes the same
text give the same answer on every run and in every process, without touching
langdetect's global state.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from .types import UNDETERMINED

MIN_LETTERS = 12
"""Texts with fewer letters than this are ``und``: langdetect guesses wildly on them."""

MIN_PROBABILITY = 0.70

_MAX_CHARS = 5000  # langdetect's cost grows with length; this much text settles any language
_lock = threading.Lock()
_factory = None


@dataclass(frozen=True, slots=True)
class LanguageGuess:
    """A detected language.

    Attributes:
        code: ISO 639-1 code, or ``"und"`` when undetermined.
        probability: langdetect's probability for ``code`` (0.0 for ``und``).
    """

    code: str
    probability: float

    @property
    def known(self) -> bool:
        return self.code != UNDETERMINED


UNKNOWN = LanguageGuess(UNDETERMINED, 0.0)


def _get_factory():  # type: ignore[no-untyped-def]
    global _factory
    with _lock:
        if _factory is None:
            from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory

            factory = DetectorFactory()
            factory.load_profile(PROFILES_DIRECTORY)
            factory.set_seed(0)
            _factory = factory
    return _factory


def _normalise_code(code: str) -> str:
    # langdetect says "zh-cn"/"zh-tw"; claims carry ISO 639-1.
    return code.split("-")[0].lower()


def detect_language(text: str, *, min_probability: float = MIN_PROBABILITY) -> LanguageGuess:
    """Detect the language of ``text``; ``und`` for short, empty or unclear text.

    >>> detect_language("Russland setzt seine Bemühungen fort, sich als Führer zu positionieren.").code
    'de'
    >>> detect_language("123 456 !!!").code
    'und'
    """
    from langdetect.lang_detect_exception import LangDetectException

    if sum(ch.isalpha() for ch in text[:_MAX_CHARS]) < MIN_LETTERS:
        return UNKNOWN
    detector = _get_factory().create()
    detector.append(text[:_MAX_CHARS])
    try:
        best = detector.get_probabilities()[0]
    except (LangDetectException, IndexError):
        return UNKNOWN
    if best.prob < min_probability:
        return UNKNOWN
    return LanguageGuess(_normalise_code(best.lang), float(best.prob))
