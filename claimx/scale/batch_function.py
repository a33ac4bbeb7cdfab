"""A pure batch function for any executor: documents in, per-document results out.

Each worker process builds its :class:`~claimx.Extractor` once, lazily, from an
:class:`~claimx.config.ExtractorConfig`, and keeps it for every later batch with the
same config, so models load once per process
(Ray actors, multiprocessing pools, Spark or Dask workers alike).
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterable, Mapping
from typing import Any

from ..config import ExtractorConfig
from ..documents import DocumentLike
from ..extractor import Extractor
from ..types import Claim, DocumentResult

_extractors: dict[str, Extractor] = {}
_lock = threading.Lock()


def process_extractor(config: ExtractorConfig | None = None) -> Extractor:
    """This process's Extractor for ``config`` (built on first call, then reused)."""
    config = config or ExtractorConfig()
    key = config.dumps("json")
    with _lock:
        if key not in _extractors:
            _extractors[key] = Extractor.from_config(config)
        return _extractors[key]


def close_extractor(config: ExtractorConfig | None = None) -> None:
    """Close and forget this process's Extractor for ``config`` (the next call builds a new one)."""
    key = (config or ExtractorConfig()).dumps("json")
    with _lock:
        extractor = _extractors.pop(key, None)
    if extractor is not None:
        extractor.close()


def process_batch(documents: Iterable[DocumentLike], config: ExtractorConfig | None = None) -> list[DocumentResult]:
    """One DocumentResult per document, from this process's Extractor for ``config``."""
    return list(process_extractor(config).process(documents))


def extract_batch(documents: Iterable[DocumentLike], config: ExtractorConfig | None = None) -> list[Claim]:
    """Claims of ``documents`` (documents that fail are left out: use :func:`process_batch` to see them)."""
    return [c for r in process_batch(documents, config) for c in r.claims]


def result_to_row(result: DocumentResult) -> dict[str, Any]:
    """A flat row for one document's result: the fields of :meth:`DocumentResult.to_dict`,
    lists and mappings (claims, dropped, metadata, warnings) as JSON strings."""
    return {
        k: json.dumps(v, ensure_ascii=False, default=str) if k in _JSON_FIELDS else ("" if v is None else v)
        for k, v in result.to_dict().items()
    }


def row_to_result(row: Mapping[str, Any]) -> DocumentResult:
    """Inverse of :func:`result_to_row`."""
    return DocumentResult.from_dict({k: json.loads(v) if k in _JSON_FIELDS else v for k, v in row.items()})


_JSON_FIELDS = frozenset(k for k, v in DocumentResult("", "", ()).to_dict().items() if isinstance(v, (list, dict)))
ROW_COLUMNS = tuple(DocumentResult("", "", ()).to_dict())
"""The columns of :func:`result_to_row`, in order."""


def cpu_share(num_cpus: float | None) -> int:
    """Torch threads for a worker given its CPU share (at least 1, at most the machine's cores)."""
    cores = os.cpu_count() or 1
    return max(1, min(cores, int(num_cpus))) if num_cpus else cores
