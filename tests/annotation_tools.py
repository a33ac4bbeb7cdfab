"""What an analyst does in each tool, scripted: answer the exported tasks, export them back.

``answer(task_meta) -> label or None`` decides; ``None`` leaves the task unanswered.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

Answer = Callable[[dict[str, Any]], "str | None"]


def label_studio_export(tasks: list[dict[str, Any]], answer: Answer) -> list[dict[str, Any]]:
    """Label Studio's JSON export: tasks with ``id`` and ``annotations`` (predictions kept)."""
    out = []
    for i, task in enumerate(tasks, 1):
        label = answer(task["data"])
        annotations = []
        if label is not None:
            result = [
                {
                    "id": f"r{i}",
                    "from_name": "label",
                    "to_name": "text",
                    "type": "choices",
                    "value": {"choices": [label]},
                    "origin": "manual",
                }
            ]
            annotations.append(
                {
                    "id": 100 + i,
                    "completed_by": 1,
                    "result": result,
                    "was_cancelled": False,
                    "ground_truth": False,
                    "lead_time": 3.2,
                    "task": i,
                }
            )
        out.append(
            {
                "id": i,
                "data": task["data"],
                "annotations": annotations,
                "predictions": task["predictions"],
                "project": 1,
                "inner_id": i,
            }
        )
    return out


def argilla_export(records: list[dict[str, Any]], answer: Answer) -> list[dict[str, Any]]:
    """``dataset.records.to_json``: the record dicts with ``responses`` (through the SDK when installed)."""
    try:
        import argilla as rg
    except ImportError:
        rg = None
    out = []
    for record in records:
        label = answer(record["metadata"])
        user = "9f6d6ad0-52d3-4cbc-8e4b-4bd2b5b6a1c7"
        responses = {} if label is None else {"label": [{"value": label, "user_id": user}]}
        exported = {**record, "responses": responses, "status": "completed" if responses else "pending"}
        if rg is not None:  # the SDK's own round trip: what to_json writes
            exported = rg.Record.from_dict(exported).to_dict()
        out.append(exported)
    return out


def prodigy_export(lines: list[dict[str, Any]], answer: Answer) -> list[dict[str, Any]]:
    """``prodigy db-out``: the tasks with ``answer``, the chosen option in ``accept`` and hashes."""
    out = []
    for i, task in enumerate(lines):
        label = answer(task["meta"])
        chosen = {"answer": "ignore"} if label is None else {"answer": "accept", "accept": [label]}
        out.append(
            {
                **task,
                **chosen,
                "_input_hash": 1000 + i,
                "_task_hash": 2000 + i,
                "_view_id": "choice",
                "_timestamp": 1700000000 + i,
            }
        )
    return out


def export_back(format: str, tasks_file: Path, out: Path, answer: Answer) -> Path:
    """Read ``tasks_file`` (what claimx exported for ``format``), answer, write the tool's export."""
    text = tasks_file.read_text(encoding="utf-8")
    if format == "prodigy":
        lines = prodigy_export([json.loads(line) for line in text.splitlines()], answer)
        out.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines), encoding="utf-8")
    else:
        scripted = label_studio_export if format == "label-studio" else argilla_export
        out.write_text(json.dumps(scripted(json.loads(text), answer), ensure_ascii=False), encoding="utf-8")
    return out
