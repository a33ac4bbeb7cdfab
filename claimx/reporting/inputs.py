"""What :func:`~claimx.reporting.report` is given, read into plain rows: claims, manifest, config, documents."""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, is_dataclass
from pathlib import Path
from typing import Any

from ..places import claim_places
from ..types import DEFAULT_ACTOR
from .common import LABELS

_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?")


@dataclass
class Doc:
    """What the page knows of one document."""

    id: str
    text: str | None = None
    date: str | None = None
    source: str = ""
    language: str = ""


def get(obj: Any, name: str, default: Any = None) -> Any:
    """``obj[name]`` for a mapping, else ``obj.name``."""
    if isinstance(obj, Mapping):
        return obj.get(name, default)
    return getattr(obj, name, default)


def load_claims(claims: Any) -> tuple[list[Any], Path | None]:
    if isinstance(claims, (str, Path)):
        from ..io import read_claims

        path = Path(claims)
        return list(read_claims(path)), path
    return list(claims), None


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    """The records of a run's side file, read as the job reads them (a line cut short by a crash is left out)."""
    from ..job.records import read_records

    return [record for _, record in read_records(path) if record is not None]


def load_manifest(manifest: Any, claims_path: Path | None) -> tuple[list[dict[str, Any]], str]:
    """The per-document records and the name to show for them.

    Without ``manifest``, the files a job writes beside ``claims_path`` are looked for:
    the manifest ``CLAIMS.documents.jsonl`` (every document), else ``CLAIMS.errors.jsonl``
    (failed documents only).
    """
    if manifest is None:
        if claims_path is not None:
            beside = Path(f"{claims_path}.documents.jsonl")
            if beside.exists():
                return _read_jsonl(beside), beside.name
            errors = Path(f"{claims_path}.errors.jsonl")
            if errors.exists():
                return [{**r, "status": "error"} for r in _read_jsonl(errors)], errors.name
        return [], ""
    if isinstance(manifest, (str, Path)):
        return _read_jsonl(Path(manifest)), Path(manifest).name
    return [dict(r) for r in manifest], "manifest"


def load_config(config: Any, claims_path: Path | None = None) -> dict[str, Any] | None:
    """``config`` as a dict; without one, the ``CLAIMS.config.toml`` a job writes beside ``claims_path``."""
    if config is None:
        beside = Path(f"{claims_path}.config.toml") if claims_path is not None else None
        if beside is None or not beside.exists():
            return None
        config = beside
    if isinstance(config, (str, Path)):  # read as the job reads the config it wrote
        from ..config import ExtractorConfig

        return ExtractorConfig.from_file(config).to_dict()
    if hasattr(config, "to_dict"):
        return dict(config.to_dict())
    if is_dataclass(config) and not isinstance(config, type):
        return asdict(config)
    return dict(config)


def load_documents(documents: Any) -> dict[str, Doc]:
    out: dict[str, Doc] = {}
    if documents is None:
        return out
    if isinstance(documents, Mapping):
        items: Iterable[Any] = [{"id": k, "text": v} for k, v in documents.items()]
    elif isinstance(documents, (str, Path)):
        items = _read_inputs([str(documents)])
    else:
        documents = list(documents)
        if documents and all(isinstance(d, (str, Path)) for d in documents):
            items = _read_inputs([str(d) for d in documents])
        else:
            items = documents
    for item in items:
        doc_id = str(get(item, "id"))
        metadata = get(item, "metadata") or {}
        text = get(item, "text")
        out[doc_id] = Doc(
            id=doc_id,
            text=text if isinstance(text, str) else None,
            date=date_of(get(item, "date") or metadata.get("date")),
            source=str(metadata.get("source", "") or ""),
            language=str(get(item, "language") or ""),
        )
    return out


def _read_inputs(paths: list[str]) -> Iterable[Any]:
    from ..inputs import iter_inputs

    return [item for item in iter_inputs(paths) if hasattr(item, "text")]


def date_of(value: Any) -> str | None:
    """``YYYY-MM-DD`` or ``YYYY-MM`` from a date, a datetime or a string starting with one; else None.

    >>> date_of("2023-11-09T10:00"), date_of("2023-11"), date_of("2023-13-45")
    ('2023-11-09', '2023-11', None)
    """
    if value is None:
        return None
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()[:10]
    m = _ISO_DATE.match(str(value).strip())
    if not m:
        return None
    try:  # "2023-13-45" is no date
        _dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3) or 1))
    except ValueError:
        return None
    return m.group(0)


def claim_row(claim: Any) -> dict[str, Any]:
    """One claim (a ``claimx.Claim``, an object alike or a mapping) as the dict every section reads."""
    label = str(getattr(get(claim, "label"), "value", get(claim, "label")))
    if label not in LABELS:
        raise ValueError(f"claim label must be one of {LABELS}, got {label!r}")
    text = str(get(claim, "text", "") or "")
    text_en = str(get(claim, "text_en", "") or text)
    scores = dict(get(claim, "scores", {}) or {})
    places = claim_places(_Dict(claim) if isinstance(claim, Mapping) else claim)
    meta = get(claim, "metadata") or {}
    return {
        "doc": str(get(claim, "doc_id", "")),
        "sentence": int(get(claim, "sentence_index", 0) or 0),
        "start": int(get(claim, "start", 0) or 0),
        "end": int(get(claim, "end", 0) or 0),
        "label": label,
        "actor": str(get(claim, "actor", "") or DEFAULT_ACTOR),
        "score": float(get(claim, "score", scores.get(label, 0.0)) or 0.0),
        "scores": [float(scores.get(k, 0.0)) for k in LABELS],
        "text": text,
        "text_en": text_en,
        "language": str(get(claim, "language", "") or "und"),
        "translated": bool(get(claim, "translated", text_en != text)),
        "places": tuple(places),
        "models": tuple(get(claim, "models", ()) or ()),
        "claim_date": date_of(get(claim, "date") or (meta.get("date") if isinstance(meta, Mapping) else None)),
    }


class _Dict:
    """Attribute access to a mapping (for claim_places)."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.text = data.get("text", "")
        self.text_en = data.get("text_en")
        self.language = data.get("language")
        self.places = data.get("places")
