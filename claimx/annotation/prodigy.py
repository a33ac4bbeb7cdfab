"""Prodigy: JSONL tasks for the ``choice`` interface in, ``prodigy db-out`` JSONL back.

Each line has ``text``, ``meta`` (document, span, language, places, context, every label's
score; Prodigy shows ``meta`` under the text), claimx's ``label`` and ``score``, the three
``options`` and ``accept`` pre-set to claimx's label, so ``textcat.manual``-style choice
annotation (``--exclusive``) starts from the prediction::

    prodigy textcat.manual claims_check tasks.jsonl --label russian_gain,russian_loss,neutral --exclusive
    prodigy db-out claims_check > corrected.jsonl   # then: claimx import-labels corrected.jsonl

:func:`read_export` keeps ``"answer": "accept"`` rows: the chosen option in ``accept``, or
for a binary task (no ``options``) its ``label``. ``ignore`` and ``reject`` (which says what
the label is not, or that the task is unusable) are skipped.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from ..errors import InputError
from .corrections import Correction, make_correction
from .tasks import LABELS, Task


def to_records(tasks: Sequence[Task]) -> list[dict[str, Any]]:
    """Prodigy tasks: ``text``, ``meta``, ``label``, ``score``, ``options``, ``accept``."""
    return [
        {
            "text": task.claim.text,
            "meta": {**task.meta(), "id": task.task_id},
            "label": task.claim.label.value,
            "score": task.claim.score,
            "options": [{"id": label, "text": label} for label in LABELS],
            "accept": [task.claim.label.value],
        }
        for task in tasks
    ]


def dumps(tasks: Sequence[Task]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in to_records(tasks))


def _one(line: str, where: str) -> Correction | None:
    try:
        task = json.loads(line)
    except json.JSONDecodeError as e:
        raise InputError(f"{where}: not JSON ({e.msg})") from e
    if not isinstance(task, dict):
        raise InputError(f"{where}: expected a JSON object")
    answer = task.get("answer")
    if answer not in ("accept", "reject", "ignore"):
        raise InputError(f"{where}: 'answer' must be accept, reject or ignore (is this a db-out export?)")
    if answer != "accept":
        return None
    if "options" in task:
        chosen = task.get("accept")
        if not isinstance(chosen, list) or len(chosen) != 1:
            raise InputError(f"{where}: 'accept' must hold exactly one option, got {chosen!r}")
        label = chosen[0]
    else:
        label = task.get("label")
    meta = task.get("meta")
    if not isinstance(meta, dict):
        raise InputError(f"{where}: 'meta' must be the object claimx exported (doc, start, end, language)")
    return make_correction(meta, label, meta.get("certainty", ""), task.get("text"), where)


def read_export(text: str, name: str) -> tuple[list[Correction], int]:
    """Corrections from ``prodigy db-out`` JSONL; also how many lines were skipped."""
    rows, skipped = [], 0
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        row = _one(line, f"{name}:{number}")
        if row is None:
            skipped += 1
        else:
            rows.append(row)
    return rows, skipped
