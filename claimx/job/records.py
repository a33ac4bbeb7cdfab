"""What a run's side files hold, line by line: statuses, manifest and errors lines, JSONL read and rewritten safely."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import IO, Any

OK, INPUT_ERROR, MODEL_ERROR, DUPLICATE = "ok", "input_error", "model_error", "duplicate"
FINISHED = (OK, INPUT_ERROR, DUPLICATE)
"""Statuses a re-run keeps; ``model_error`` documents are tried again."""


def manifest_line(doc_id: str, source: str, status: str, *, error: str = "", **fields: Any) -> dict[str, Any]:
    """The one shape of a manifest line.

    >>> manifest_line("a", "a.txt", OK, metadata={"date": "2024-01-02"})["date"]
    '2024-01-02'
    """
    record: dict[str, Any] = {"id": doc_id, "source": source, "status": status, "claims": 0}
    record.update({"dropped": [], "warnings": [], "error": error, "metadata": {}})
    record.update(fields)
    date = record["metadata"].get("date")
    if date is not None:
        record["date"] = date
    return record


def error_line(record: dict[str, Any]) -> dict[str, Any]:
    """The errors-file line of a failed document, from its manifest line."""
    return {
        "doc_id": record["id"],
        "reason": record["error"],
        **{k: record[k] for k in ("source", "status", "warnings")},
    }


def json_line(record: dict[str, Any]) -> str:
    line = json.dumps(record, ensure_ascii=False, default=str)
    try:
        line.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate in an id: \\ud83d escapes read back to the same string
        line = json.dumps(record, default=str)
    return line + "\n"


def read_records(path: Path) -> list[tuple[str, dict[str, Any] | None]]:
    """Complete lines of a JSONL side file, each with its record (``None``: not one of ours)."""
    if not path.exists():
        return []
    out: list[tuple[str, dict[str, Any] | None]] = []
    for line in split_lines(path):
        if not line.endswith("\n"):
            continue  # cut short by a crash
        try:
            value = json.loads(line)
        except ValueError:
            value = None
        out.append((line, value if isinstance(value, dict) else None))
    return out


def split_lines(path: Path) -> list[str]:
    """The lines of a JSONL file, each with its ``\\n``, split at ``\\n`` only.

    ``json.dumps(ensure_ascii=False)`` writes U+0085, U+2028 and U+2029 raw, and
    ``str.splitlines`` would cut a record there.
    """
    with path.open(encoding="utf-8", errors="replace", newline="") as f:
        text = f.read()
    lines = [line + "\n" for line in text.split("\n")]
    lines[-1] = lines[-1][:-1]  # what follows the last \n: nothing, or a line cut short
    return [line for line in lines if line]


def rewrite(path: Path, lines: list[str]) -> None:
    """Replace ``path`` with ``lines`` atomically (a crash leaves the old file or the new one)."""
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("w", encoding="utf-8") as f:
        f.write("".join(lines))
        sync(f)
    os.replace(tmp, path)


def sync(f: IO[str]) -> None:
    f.flush()
    os.fsync(f.fileno())


def nonempty(path: Path) -> bool:
    try:
        return path.stat().st_size > 0
    except OSError:
        return False
