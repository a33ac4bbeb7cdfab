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
from ..types import Claim, DocumentResult, ErrorKind

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


def process_batch(documents: Iterable[DocumentLike], config: ExtractorConfig | None = None) -> list[DocumentResult]:
    """One DocumentResult per document, from this process's Extractor for ``config``."""
    return list(process_extractor(config).process(documents))


def extract_batch(documents: Iterable[DocumentLike], config: ExtractorConfig | None = None) -> list[Claim]:
    """Claims of ``documents`` (documents that fail are left out: use :func:`process_batch` to see them)."""
    return [c for r in process_batch(documents, config) for c in r.claims]


def result_to_row(result: DocumentResult) -> dict[str, Any]:
    """A flat, serialisable row for one document's result (claims as a JSON string)."""
    return {
        "doc_id": result.doc_id,
        "language": result.language,
        "error": result.error,
        "error_kind": result.error_kind.value if result.error_kind else "",
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
        error_kind=ErrorKind(row["error_kind"]) if row.get("error_kind") else None,
    )


def cpu_share(num_cpus: float | None) -> int:
    """Torch threads for a worker given its CPU share (at least 1, at most the machine's cores)."""
    cores = os.cpu_count() or 1
    return max(1, min(cores, int(num_cpus))) if num_cpus else cores
