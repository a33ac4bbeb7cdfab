"""Argilla (v2): records with a suggestion in, the records' JSON export back.

Each record is the dict shape of ``rg.Record.to_dict()``: ``fields`` (``text``, ``context``,
``text_en``), ``metadata`` (document, span, language, places, every label's score),
``suggestions`` for the question ``label`` (``value``, ``score``, ``agent`` = claimx's model
version) and no ``responses``. With a dataset whose settings have the names :func:`settings`
gives (metadata beyond them needs ``allow_extra_metadata=True``)::

    import json, argilla as rg, claimx
    labels = [label.value for label in claimx.Label]
    settings = rg.Settings(
        fields=[rg.TextField(name=n) for n in ("text", "context", "text_en")],
        questions=[rg.LabelQuestion(name="label", labels=labels),
                   rg.LabelQuestion(name="certainty", labels=["clear", "ambiguous", "boilerplate"], required=False)],
        allow_extra_metadata=True,
    )
    dataset = rg.Dataset(name="claims", settings=settings); dataset.create()
    dataset.records.log([rg.Record.from_dict(r) for r in json.load(open("tasks.json"))])
    ...                                      # correct in the UI
    dataset.records.to_json("corrected.json")   # then: claimx import-labels corrected.json

:func:`read_export` takes the submitted ``responses`` of ``label`` (several annotators must
agree); records without a response are skipped.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from ..errors import InputError
from .corrections import Correction, agreed, make_correction
from .tasks import LABELS, Task

QUESTION, CERTAINTY = "label", "certainty"


def settings() -> dict[str, Any]:
    """The dataset the records fit, as plain names: build ``rg.Settings`` from it."""
    return {
        "fields": ["text", "context", "text_en"],
        "questions": {QUESTION: list(LABELS), CERTAINTY: ["clear", "ambiguous", "boilerplate"]},
        "metadata": ["doc", "language", "places", "claimx_label", *(f"score_{label}" for label in LABELS)],
    }


def to_records(tasks: Sequence[Task]) -> list[dict[str, Any]]:
    """Argilla record dicts, one suggestion each (claimx's label, score and model as the agent)."""
    records: list[dict[str, Any]] = []
    for task in tasks:
        meta = task.meta()
        context = " ".join(p for p in (meta["context_before"], f"[[ {task.claim.text} ]]", meta["context_after"]) if p)
        metadata = {k: meta[k] for k in ("doc", "sentence_index", "start", "end", "language", "claimx_label")}
        metadata["places"] = list(task.claim.places)
        metadata.update({f"score_{label}": score for label, score in meta["scores"].items()})
        records.append(
            {
                "id": task.task_id,
                "fields": {"text": task.claim.text, "context": context, "text_en": task.claim.text_en},
                "metadata": metadata,
                "suggestions": {
                    QUESTION: {
                        "value": task.claim.label.value,
                        "score": task.claim.score,
                        "agent": task.model_version,
                        "type": "model",
                    }
                },
                "responses": {},
                "vectors": {},
                "status": "pending",
            }
        )
    return records


def dumps(tasks: Sequence[Task]) -> str:
    return json.dumps(to_records(tasks), ensure_ascii=False, indent=1) + "\n"


def _responses(record: dict[str, Any], question: str) -> list[Any]:
    responses = record.get("responses") or {}
    if not isinstance(responses, dict):
        return []
    values = responses.get(question) or []
    return [r["value"] for r in values if isinstance(r, dict) and r.get("status", "submitted") == "submitted"]


def read_export(records: Any, name: str) -> tuple[list[Correction], int]:
    """Corrections from ``dataset.records.to_json`` / ``to_list(flatten=False)``; also how many had no answer."""
    if not isinstance(records, list):
        raise InputError(f"{name}: an Argilla export is a JSON list of records")
    rows, skipped = [], 0
    for i, record in enumerate(records, 1):
        where = f"{name}: record {i}" + (f" (id {record.get('id')})" if isinstance(record, dict) else "")
        if not isinstance(record, dict) or not isinstance(record.get("fields"), dict):
            raise InputError(f"{where}: expected an object with 'fields'")
        labels = _responses(record, QUESTION)
        if not labels:
            skipped += 1
            continue
        certainties = _responses(record, CERTAINTY)
        certainty = agreed(certainties, where) if certainties else ""
        metadata = record.get("metadata")
        if not isinstance(metadata, dict):
            raise InputError(f"{where}: 'metadata' must be an object with the claim's doc, start and end")
        text = record["fields"].get("text")
        rows.append(make_correction(metadata, agreed(labels, where), certainty, text, where))
    return rows, skipped
