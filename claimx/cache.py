"""An on-disk cache of translations and classifier scores, keyed by (model, text).

Re-runs, repeated boilerplate and duplicated headlines then cost nothing. SQLite
(standard library) holds it: safe across threads and processes, one file.
Cached classifier scores are keyed by the classifier's id *and* its label
configuration, since other hypotheses give other scores.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from .classify.base import AnnotatingClassifier, Classifier, Scores, Verdict
from .errors import ConfigError
from .parts import close_part
from .translate.base import Translator


class DiskCache:
    """A persistent ``(namespace, text) -> JSON value`` store.

    >>> import tempfile, os
    >>> cache = DiskCache(os.path.join(tempfile.mkdtemp(), "c.sqlite"))
    >>> cache.put_many("ns", {"a": 1})
    >>> cache.get_many("ns", ["a", "b"])
    {'a': 1}
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        try:
            self._db = sqlite3.connect(str(self.path), check_same_thread=False, timeout=60)
            with self._db:
                self._db.execute("PRAGMA journal_mode=WAL")
                self._db.execute(
                    "CREATE TABLE IF NOT EXISTS entries (ns TEXT, key TEXT, value TEXT, PRIMARY KEY (ns, key))"
                )
                self._db.execute("SELECT ns, key, value FROM entries LIMIT 1").fetchall()
        except sqlite3.Error as e:
            raise ConfigError(
                f"cache {self.path} is not a usable claimx cache ({e}); delete it or pick another --cache-dir"
            ) from e

    @staticmethod
    def _key(text: str) -> str:
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def get_many(self, namespace: str, texts: Sequence[str]) -> dict[str, Any]:
        found: dict[str, Any] = {}
        keys = {self._key(t): t for t in texts}
        items = list(keys)
        with self._lock:
            for start in range(0, len(items), 500):
                chunk = items[start : start + 500]
                rows = self._db.execute(
                    f"SELECT key, value FROM entries WHERE ns = ? AND key IN ({','.join('?' * len(chunk))})",
                    [namespace, *chunk],
                ).fetchall()
                found.update({keys[k]: json.loads(v) for k, v in rows})
        return found

    def put_many(self, namespace: str, values: dict[str, Any]) -> None:
        rows = [(namespace, self._key(t), json.dumps(v, ensure_ascii=False)) for t, v in values.items()]
        with self._lock, self._db:
            self._db.executemany("INSERT OR REPLACE INTO entries VALUES (?, ?, ?)", rows)

    def through(
        self,
        namespace: str,
        texts: Sequence[str],
        compute: Callable[[list[str]], list[Any]],
        valid: Callable[[Any], bool] = lambda _: True,
    ) -> list[Any]:
        """Values for ``texts``: cached ones read, the others (and cached ones not ``valid``) computed once each."""
        known = {t: v for t, v in self.get_many(namespace, texts).items() if valid(v)}
        missing = list(dict.fromkeys(t for t in texts if t not in known))
        if missing:
            fresh = dict(zip(missing, compute(missing), strict=True))
            self.put_many(namespace, fresh)
            known.update(fresh)
        return [known[t] for t in texts]

    def close(self) -> None:
        self._db.close()


class CachedTranslator:
    """A :class:`~claimx.translate.Translator` that asks ``inner`` only for texts it has not seen."""

    def __init__(self, inner: Translator, cache: DiskCache) -> None:
        self.inner = inner
        self.cache = cache

    def can_translate(self, src_lang: str) -> bool:
        return self.inner.can_translate(src_lang)

    def model_id(self, src_lang: str) -> str:
        return self.inner.model_id(src_lang)

    def translate(self, texts: Sequence[str], src_lang: str) -> list[str]:
        namespace = f"translate|{self.inner.model_id(src_lang)}|{src_lang}"
        return self.cache.through(
            namespace, texts, lambda missing: self.inner.translate(missing, src_lang), lambda v: isinstance(v, str)
        )

    def close(self) -> None:
        """Close the cache (and the inner translator, if it can be closed)."""
        close_part(self.inner)
        self.cache.close()


class CachedClassifier:
    """A :class:`~claimx.classify.Classifier` that scores only texts it has not seen.

    Around an :class:`~claimx.classify.base.AnnotatingClassifier` (a pre-filter) it caches
    the whole verdict, so the claims still say who decided.
    """

    def __init__(self, inner: Classifier, cache: DiskCache) -> None:
        self.inner = inner
        self.cache = cache
        self.model_id = inner.model_id
        self.default_threshold = inner.default_threshold
        # Other hypotheses (or another gate) give other scores.
        key = repr((getattr(inner, "labels", None), getattr(inner, "cache_key", None)))
        fingerprint = hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]
        kind = "verdict" if isinstance(inner, AnnotatingClassifier) else "classify"
        self._namespace = f"{kind}|{inner.model_id}|{fingerprint}"

    def annotate(self, texts: Sequence[str]) -> list[Verdict]:
        if not isinstance(self.inner, AnnotatingClassifier):
            return [Verdict(s, self.model_id) for s in self.classify(texts)]
        inner = self.inner
        stored = self.cache.through(
            self._namespace, texts, lambda m: [v.to_dict() for v in inner.annotate(m)], _is_verdict
        )
        return [Verdict.from_dict(v) for v in stored]

    def classify(self, texts: Sequence[str]) -> list[Scores]:
        if isinstance(self.inner, AnnotatingClassifier):
            return [v.scores for v in self.annotate(texts)]
        return [dict(s) for s in self.cache.through(self._namespace, texts, self.inner.classify, _is_scores)]

    def close(self) -> None:
        """Close the cache (and the inner classifier, if it can be closed)."""
        close_part(self.inner)
        self.cache.close()


def _is_scores(value: Any) -> bool:
    """A cached value fit to be scores (an edited or foreign entry is computed again)."""
    return (
        isinstance(value, dict)
        and bool(value)
        and all(
            isinstance(k, str) and isinstance(v, (int, float)) and not isinstance(v, bool) for k, v in value.items()
        )
    )


def _is_verdict(value: Any) -> bool:
    return isinstance(value, dict) and _is_scores(value.get("scores")) and isinstance(value.get("model_id"), str)
