"""A pure batch function for any executor: documents in, per-document results out.

Each worker process builds its :class:`~claimx.Extractor` once, lazily, and keeps
it for every later batch with the same options, so models load once per process
(Ray actors, multiprocessing pools, Spark or Dask workers alike).
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from .extractor import DocumentLike, Extractor
from .types import Claim, DocumentResult

_extractors: dict[str, Extractor] = {}
_lock = threading.Lock()


def _key(options: Mapping[str, Any]) -> str:
    return json.dumps(options, sort_keys=True, default=repr)


def process_extractor(factory: Callable[[], Extractor] | None = None, **options: Any) -> Extractor:
    """This process's Extractor for ``options`` (built on first call, then reused).

    ``factory``, if given, builds it instead of ``Extractor(**options)`` (for parts
    chosen by object, like a quantised classifier); it must be picklable.
    """
    key = f"{factory!r}|{_key(options)}"
    with _lock:
        if key not in _extractors:
            _extractors[key] = factory() if factory is not None else Extractor(**options)
        return _extractors[key]


def process_batch(documents: Iterable[DocumentLike], **options: Any) -> list[DocumentResult]:
    """One DocumentResult per document, from this process's Extractor for ``options``."""
    return list(process_extractor(**options).process(documents))


def extract_batch(documents: Iterable[DocumentLike], **options: Any) -> list[Claim]:
    """Claims of ``documents`` (documents that fail are left out: use :func:`process_batch` to see them)."""
    return [c for r in process_batch(documents, **options) for c in r.claims]


def result_to_row(result: DocumentResult) -> dict[str, Any]:
    """A flat, serialisable row for one document's result (claims as a JSON string)."""
    return {
        "doc_id": result.doc_id,
        "language": result.language,
        "error": result.error,
        "warnings": json.dumps(list(result.warnings), ensure_ascii=False),
        "metadata": json.dumps(dict(result.metadata), ensure_ascii=False, default=str),
        "claims": json.dumps([c.to_dict() for c in result.claims], ensure_ascii=False),
    }


def row_to_result(row: Mapping[str, Any]) -> DocumentResult:
    """Inverse of :func:`result_to_row` (dropped segments are not carried)."""
    return DocumentResult(
        doc_id=str(row["doc_id"]),
        language=str(row["language"]),
        claims=tuple(Claim.from_dict(c) for c in json.loads(row["claims"])),
        metadata=json.loads(row["metadata"]),
        warnings=tuple(json.loads(row["warnings"])),
        error=str(row["error"]),
    )


def cpu_share(num_cpus: float | None) -> int:
    """Torch threads for a worker given its CPU share (at least 1, at most the machine's cores)."""
    cores = os.cpu_count() or 1
    return max(1, min(cores, int(num_cpus))) if num_cpus else cores
