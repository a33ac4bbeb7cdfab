"""Translation to English: the :class:`Translator` protocol and its backends.

* :class:`MarianTranslator` — opus-mt through transformers (default);
* :class:`~claimx.translate.ct2.CTranslate2Translator` — the same folders on CTranslate2
  (``pip install 'claimx[fast]'``), imported from ``claimx.translate.ct2``;
* :class:`~claimx.cache.CachedTranslator` wraps any of them with an on-disk cache.
"""

from .base import DEFAULT_TEMPLATE, PerLanguageTranslator, Translator
from .marian import MarianTranslator

__all__ = ["DEFAULT_TEMPLATE", "MarianTranslator", "PerLanguageTranslator", "Translator"]
