""":func:`report`: reads the inputs, builds the sections and the page data, and puts them in the page."""

from __future__ import annotations

import datetime as _dt
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from ..boilerplate import split_prelude
from ..places import actor_countries
from ..types import DEFAULT_ACTOR
from . import sections
from .inputs import (
    Doc,
    claim_row,
    date_of,
    load_claims,
    load_config,
    load_documents,
    load_manifest,
)
from .page import Report, documents_section, page
from .page_data import page_data
from .provenance import provenance


def report(
    claims: Iterable[Any] | str | Path,
    *,
    manifest: Iterable[Mapping[str, Any]] | str | Path | None = None,
    config: Any = None,
    documents: Any = None,
    title: str = "claimx report",
    exclude_places: Sequence[str] | None = None,
    page_size: int = 10,
    generated: _dt.datetime | None = None,
) -> Report:
    """Build the report page for ``claims`` (a list of claims or a claims file).

    Args:
        claims: Claim objects (``claimx.Claim`` or alike) or the path of a claims file.
        manifest: Per-document records (path to JSONL, or dicts); errors and dropped documents
            are listed. Without one, ``CLAIMS.documents.jsonl`` beside a claims path is read,
            else ``CLAIMS.errors.jsonl``.
        config: The run's configuration: a mapping, an object with ``to_dict()``, a dataclass,
            or a ``.toml``/``.json`` path; shown as provenance. Without one, ``CLAIMS.config.toml``
            beside a claims path is read.
        documents: The documents' texts: ``{id: text}``, ``claimx.Document`` objects, dicts with
            ``id``/``text``, or input paths (read like ``claimx extract`` reads them).
        title: The page title.
        exclude_places: Places left out of the places chart (by default the country of the
            claims' actor, ``Claim.actor``: Russia unless the labels named another); they stay
            available as a filter.
        page_size: Documents shown per page.
        generated: Time stamp to print (default: now, UTC).
    """
    if page_size < 1:
        raise ValueError(f"page_size must be at least 1, got {page_size}")
    claim_list, claims_path = load_claims(claims)
    records, manifest_name = load_manifest(manifest, claims_path)
    config_dict = load_config(config, claims_path)
    docs = load_documents(documents)
    generated = generated or _dt.datetime.now(_dt.UTC)
    _add_records(docs, records)

    rows = [claim_row(c) for c in claim_list]
    doc_order = list(dict.fromkeys(r["doc"] for r in rows))
    _add_dates(docs, doc_order)
    for r in rows:
        r["date"] = docs[r["doc"]].date

    actor = Counter(r["actor"] for r in rows).most_common(1)[0][0] if rows else DEFAULT_ACTOR
    if exclude_places is None:
        exclude_places = actor_countries(actor)
    body = [
        sections.header(title, rows, doc_order, records, generated, actor),
        sections.overview(rows, doc_order, docs),
        sections.places(rows, exclude_places, actor),
        sections.over_time(rows),
        sections.strongest(rows, actor),
        documents_section(),
        provenance(rows, doc_order, records, manifest_name, config_dict, claims_path),
    ]
    data = page_data(rows, doc_order, docs, page_size)
    html = page(title, "\n".join(b for b in body if b), data)
    return Report(html=html, n_claims=len(rows), n_documents=len(doc_order))


def _add_records(docs: dict[str, Doc], records: list[dict[str, Any]]) -> None:
    """Dates and sources from the run's records, where the documents did not give them."""
    for record in records:
        doc_id = str(record.get("id", record.get("doc_id", "")))
        metadata = record.get("metadata") or {}
        date = date_of(record.get("date") or (metadata.get("date") if isinstance(metadata, Mapping) else None))
        doc = docs.setdefault(doc_id, Doc(doc_id))
        doc.date = doc.date or date
        doc.source = doc.source or str(record.get("source", "") or "")


def _add_dates(docs: dict[str, Doc], doc_order: list[str]) -> None:
    """Every document with claims gets an entry; an undated one its text's leading ``date YYYY-MM-DD``."""
    for doc_id in doc_order:
        doc = docs.setdefault(doc_id, Doc(doc_id))
        if doc.date is None and doc.text:
            doc.date = split_prelude(doc.text)[1].get("date")  # the stamp the pipeline moves to metadata
