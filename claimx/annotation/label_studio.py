"""Label Studio: tasks with pre-annotations in, the project's JSON (or JSON-MIN) export back.

Import format (Label Studio "Import pre-annotated data"): a JSON list of tasks, each with
``data`` (the fields the labelling interface shows, ``$text`` and ``$context_before`` …) and
``predictions``: ``model_version``, ``score`` and a ``result`` of one ``choices`` region whose
``from_name``/``to_name`` match :data:`LABEL_CONFIG`. Create the project with that config
(``claimx export`` writes it beside the tasks as ``<name>.label_config.xml``), import the
tasks, correct, and export as JSON; :func:`read_export` reads that back (cancelled
annotations are skipped; several annotators must agree).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from ..errors import InputError
from .corrections import Correction, agreed, make_correction
from .tasks import LABELS, Task

FROM_NAME, TO_NAME, CERTAINTY = "label", "text", "certainty"
LABEL_CONFIG = f"""<View>
  <Text name="context_before" value="$context_before" granularity="word"/>
  <Header value="Sentence ($language, document $doc):"/>
  <Text name="{TO_NAME}" value="$text"/>
  <Text name="text_en" value="$text_en"/>
  <Text name="context_after" value="$context_after" granularity="word"/>
  <Choices name="{FROM_NAME}" toName="{TO_NAME}" choice="single" showInline="true" required="true">
{chr(10).join(f'    <Choice value="{label}"/>' for label in LABELS)}
  </Choices>
  <Choices name="{CERTAINTY}" toName="{TO_NAME}" choice="single" showInline="true">
    <Choice value="clear"/>
    <Choice value="ambiguous"/>
    <Choice value="boilerplate"/>
  </Choices>
</View>
"""


def to_records(tasks: Sequence[Task]) -> list[dict[str, Any]]:
    """Label Studio tasks with one prediction each (claimx's label, its score, the model version)."""
    records: list[dict[str, Any]] = []
    for task in tasks:
        data = {"text": task.claim.text, **task.meta()}
        data["places"] = ", ".join(task.claim.places)  # a string shows in the interface; a list would not
        prediction = {
            "model_version": task.model_version,
            "score": task.claim.score,
            "result": [
                {
                    "id": f"claimx-{len(records)}",
                    "from_name": FROM_NAME,
                    "to_name": TO_NAME,
                    "type": "choices",
                    "value": {"choices": [task.claim.label.value]},
                }
            ],
        }
        records.append({"data": data, "predictions": [prediction]})
    return records


def dumps(tasks: Sequence[Task]) -> str:
    return json.dumps(to_records(tasks), ensure_ascii=False, indent=1) + "\n"


def _choices(result: Any, name: str) -> list[Any]:
    if not isinstance(result, list):
        return []
    return [
        r["value"]["choices"]
        for r in result
        if isinstance(r, dict) and r.get("from_name") == name and isinstance(r.get("value"), dict)
    ]


def _from_full(task: dict[str, Any], where: str) -> Correction | None:
    data = task.get("data")
    if not isinstance(data, dict):
        raise InputError(f"{where}: 'data' must be an object")
    annotations = [a for a in task.get("annotations") or [] if isinstance(a, dict) and not a.get("was_cancelled")]
    labels = [c for a in annotations for c in _choices(a.get("result"), FROM_NAME)]
    if not labels:
        return None  # not annotated (yet): nothing to learn
    certainties = [c for a in annotations for c in _choices(a.get("result"), CERTAINTY)]
    certainty = agreed(certainties, where) if certainties else ""
    return make_correction(data, agreed(labels, where), certainty, data.get("text"), where)


def _from_min(task: dict[str, Any], where: str) -> Correction | None:
    if FROM_NAME not in task:
        return None
    return make_correction(task, task[FROM_NAME], task.get(CERTAINTY, ""), task.get("text"), where)


def read_export(records: Any, name: str) -> tuple[list[Correction], int]:
    """Corrections from a Label Studio JSON or JSON-MIN export; also how many tasks had no answer."""
    if not isinstance(records, list):
        raise InputError(f"{name}: a Label Studio export is a JSON list of tasks")
    rows, skipped = [], 0
    for i, task in enumerate(records, 1):
        where = f"{name}: task {i}" + (f" (id {task['id']})" if isinstance(task, dict) and "id" in task else "")
        if not isinstance(task, dict):
            raise InputError(f"{where}: expected an object, got {type(task).__name__}")
        row = _from_full(task, where) if "data" in task else _from_min(task, where)
        if row is None:
            skipped += 1
        else:
            rows.append(row)
    return rows, skipped
