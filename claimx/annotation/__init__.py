"""The analyst's loop: export claims to an annotation tool, read the corrections back.

Formats: Label Studio (tasks with ``predictions``), Argilla v2 (records with
``suggestions``), Prodigy (JSONL with ``text``, ``meta``, ``label``, ``score``). No tool's
package is needed: the files are plain JSON in each tool's documented shape.

    from claimx.annotation import export_tasks, read_corrections, select_claims, write_corrections
    from claimx.io import read_claims

    claims = read_claims("claims.jsonl")
    export_tasks(select_claims(claims, 200, by="uncertainty"), "tasks.json", "label-studio", context=claims)
    ...                                          # correct in Label Studio, export as JSON
    write_corrections(read_corrections("export.json"), "corrections.tsv")
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from ..errors import ConfigError, InputError
from ..types import Claim
from . import argilla, label_studio, prodigy
from .corrections import COLUMNS, Correction, write_corrections
from .select import STRATEGIES, select_claims
from .tasks import FORMATS, Task, build_tasks

__all__ = [
    "COLUMNS",
    "FORMATS",
    "STRATEGIES",
    "Correction",
    "Task",
    "build_tasks",
    "export_tasks",
    "read_corrections",
    "read_export",
    "render_tasks",
    "select_claims",
    "write_corrections",
]

_MODULES = {"label-studio": label_studio, "argilla": argilla, "prodigy": prodigy}


def _module(format: str) -> Any:
    if format not in _MODULES:
        raise ConfigError(f"unknown format {format!r}; use one of {', '.join(FORMATS)}")
    return _MODULES[format]


def render_tasks(claims: Iterable[Claim], format: str, *, context: Sequence[Claim] = (), sentences: int = 1) -> str:
    """The text of an export of ``claims`` in ``format``; ``context`` is every claim of their documents."""
    module = _module(format)
    return str(module.dumps(build_tasks(claims, context, sentences)))


def export_tasks(
    claims: Iterable[Claim],
    path: str | os.PathLike[str],
    format: str = "label-studio",
    *,
    context: Sequence[Claim] = (),
    sentences: int = 1,
) -> int:
    """Write ``claims`` to ``path`` as tasks for ``format``; returns how many.

    For Label Studio the labelling interface is written too, as ``<path stem>.label_config.xml``.
    """
    claims = list(claims)
    path = Path(path)
    path.write_text(render_tasks(claims, format, context=context, sentences=sentences), encoding="utf-8")
    if format == "label-studio":
        path.with_name(f"{path.stem}.label_config.xml").write_text(label_studio.LABEL_CONFIG, encoding="utf-8")
    return len(claims)


def detect_format(text: str, name: str) -> str:
    """Which tool wrote an export: a JSON list of tasks with ``data`` (or flat) is Label Studio,
    with ``fields`` Argilla; JSON Lines is Prodigy."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        return "prodigy"
    if isinstance(data, dict):  # one JSON line of a Prodigy export
        return "prodigy"
    if isinstance(data, list) and data and isinstance(data[0], dict):
        return "argilla" if "fields" in data[0] else "label-studio"
    if isinstance(data, list):
        return "label-studio"
    raise InputError(f"{name}: not an export of {', '.join(FORMATS)}")


def read_export(path: str | os.PathLike[str], format: str | None = None) -> tuple[list[Correction], int]:
    """Corrections from a tool's export, and how many tasks had no usable answer (unanswered,
    ignored, rejected); ``format`` None tells the tool from the content.

    Raises :class:`~claimx.errors.InputError` naming the row for a malformed one.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as e:
        raise InputError(f"cannot read {path}: {e}") from e
    except UnicodeDecodeError as e:
        raise InputError(f"{path} is not UTF-8 text ({e.reason} at byte {e.start})") from e
    format = format or detect_format(text, str(path))
    module = _module(format)
    if format == "prodigy":
        rows, skipped = module.read_export(text, str(path))
    else:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as e:
            raise InputError(f"{path}:{e.lineno}: not JSON ({e.msg})") from e
        rows, skipped = module.read_export(data, str(path))
    return list(rows), int(skipped)


def read_corrections(path: str | os.PathLike[str], format: str | None = None) -> list[Correction]:
    """The corrections in a tool's export (see :func:`read_export`)."""
    return read_export(path, format)[0]
