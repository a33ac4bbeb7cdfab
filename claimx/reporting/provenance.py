"""The provenance section: version, models, configuration, and the documents that gave no claims."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .common import esc

_PROCESSED = {"", "ok", "done", "processed", "success"}
_MAX_LISTED = 500


def is_error(record: Mapping[str, Any]) -> bool:
    """A document that gave no claims by design of the run: failed, skipped, dropped, ..."""
    status = str(record.get("status") or "").lower()
    return bool(record.get("error")) or status not in _PROCESSED


def _dropped_count(record: Mapping[str, Any]) -> int:
    dropped = record.get("dropped")
    if isinstance(dropped, (list, tuple)):
        return len(dropped)
    try:
        return int(dropped or 0)
    except (TypeError, ValueError):
        return 0


def _dropped_reasons(record: Mapping[str, Any]) -> str:
    dropped = record.get("dropped")
    if isinstance(dropped, (list, tuple)):
        reasons = Counter(str(d.get("reason", "")) if isinstance(d, Mapping) else str(d) for d in dropped)
        return ", ".join(f"{k} ×{v}" if v > 1 else k for k, v in reasons.most_common())
    return ""


def _doc_id(record: Mapping[str, Any]) -> str:
    return esc(record.get("id", record.get("doc_id", "")))


def provenance(
    rows: list[dict[str, Any]],
    doc_order: list[str],
    records: list[dict[str, Any]],
    manifest_name: str,
    config: dict[str, Any] | None,
    claims_path: Path | None,
) -> str:
    from .. import __version__

    models = Counter(m for r in rows for m in r["models"])
    languages = ", ".join(f"{k} {v}" for k, v in Counter(r["language"] for r in rows).most_common())
    model_items = "".join(f"<li><code>{esc(m)}</code> ({n} claims)</li>" for m, n in models.most_common())
    parts = [
        '<section id="provenance"><h2>Provenance</h2>',
        "<dl class='facts'>",
        f"<dt>claimx</dt><dd>{esc(__version__)}</dd>",
        f"<dt>claims file</dt><dd>{esc(claims_path) if claims_path else '(claims passed in Python)'}</dd>",
        f"<dt>documents</dt><dd>{len(doc_order)} with claims</dd>",
        f"<dt>claims</dt><dd>{len(rows)}</dd>",
        f"<dt>languages</dt><dd>{esc(languages)}</dd>",
        "</dl>",
        f"<h3>Models</h3><ul>{model_items or '<li>none recorded</li>'}</ul>",
    ]
    if config is not None:
        parts.append(
            "<details><summary>Configuration</summary><pre>"
            + esc(json.dumps(config, indent=2, ensure_ascii=False, default=str))
            + "</pre></details>"
        )
    if records:
        parts += _run_records(records, manifest_name)
    else:
        parts.append("<p class='muted'>No manifest or errors file: failed and dropped documents are not listed.</p>")
    parts.append("</section>")
    return "\n".join(parts)


def _run_records(records: list[dict[str, Any]], manifest_name: str) -> list[str]:
    """A summary of the run's records, then the failed, dropped and warned documents (the first 500 of each)."""
    failed = [r for r in records if is_error(r)]
    dropped = [r for r in records if _dropped_count(r)]
    warned = [r for r in records if r.get("warnings")]
    statuses = Counter(str(r.get("status") or ("error" if is_error(r) else "ok")) for r in records)
    parts = [
        f"<h3>Run records ({esc(manifest_name)})</h3><p>{len(records)} documents: "
        + ", ".join(f"{esc(k)} {v}" for k, v in statuses.most_common())
        + f"; {len(dropped)} with dropped text; {len(warned)} with warnings.</p>"
    ]
    if failed:
        items = "".join(
            f"<tr><td>{_doc_id(r)}</td><td>{esc(r.get('source', ''))}</td>"
            f"<td>{esc(r.get('error') or r.get('reason') or r.get('status', ''))}</td></tr>"
            for r in failed[:_MAX_LISTED]
        )
        more = f"<p>… and {len(failed) - _MAX_LISTED} more.</p>" if len(failed) > _MAX_LISTED else ""
        parts.append(
            f"<details open><summary>Documents not processed: failed or skipped ({len(failed)})</summary>"
            "<table class='grid'><tr><th>document</th><th>source</th><th>reason</th></tr>"
            f"{items}</table>{more}</details>"
        )
    if dropped:
        items = "".join(
            f"<tr><td>{_doc_id(r)}</td><td>{_dropped_count(r)}</td><td>{esc(_dropped_reasons(r))}</td></tr>"
            for r in dropped[:_MAX_LISTED]
        )
        parts.append(
            f"<details><summary>Dropped text ({len(dropped)} documents)</summary>"
            "<table class='grid'><tr><th>document</th><th>stretches</th><th>reasons</th></tr>"
            f"{items}</table></details>"
        )
    if warned:
        items = "".join(
            f"<li><b>{_doc_id(r)}</b>: {esc('; '.join(map(str, r.get('warnings') or [])))}</li>"
            for r in warned[:_MAX_LISTED]
        )
        parts.append(f"<details><summary>Warnings ({len(warned)} documents)</summary><ul>{items}</ul></details>")
    return parts
