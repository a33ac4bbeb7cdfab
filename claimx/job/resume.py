"""What a resume keeps of earlier runs: the records of finished documents, checked against each other.

A document counts as done only when its manifest line is there *and* the claims file
holds as many of its claims as that line says (a deleted or cut claims file means
redo, never "done with nothing"). A model failure stays recorded until the document
is tried again: the last attempt's line is kept, and a later finished line replaces it.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from .records import DUPLICATE, INPUT_ERROR, MODEL_ERROR, OK

Lines = list[tuple[str, dict[str, Any] | None]]


@dataclass
class Resumed:
    """What earlier runs finished.

    Attributes:
        done: Id -> source of each id whose first document is done.
        duplicates: Duplicates recorded per id.
        hashes: Id -> :func:`text_hash` of the text its claims were made from (when recorded).
        failed: Ids whose last attempt failed in a model (kept on record, tried again when met).
    """

    done: dict[str, str] = field(default_factory=dict)
    duplicates: Counter[str] = field(default_factory=Counter)
    hashes: dict[str, str] = field(default_factory=dict)
    failed: set[str] = field(default_factory=set)


def text_hash(text: str) -> str:
    """A short fingerprint of a document's text (lone surrogates too), stored in its manifest line."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def keep_finished(manifest: Lines, journal: Lines, errors: Lines) -> tuple[Resumed, list[str], list[str], list[str]]:
    """The state to resume from, and the manifest, claims and errors lines to keep."""
    claims_of: Counter[str] = Counter(str(r.get("doc_id")) for _, r in journal if r is not None)
    state = Resumed()
    first: dict[str, int] = {}  # id -> index of its finished first document's line
    last_failure: dict[str, int] = {}
    records = [(i, line, r) for i, (line, r) in enumerate(manifest) if r is not None]
    for i, _line, r in records:
        doc_id, status = str(r.get("id")), r.get("status")
        if status in (OK, INPUT_ERROR) and doc_id not in first:
            if status == OK and claims_of[doc_id] != r.get("claims"):
                continue  # its claims are not (all) in the claims file: redo it
            first[doc_id] = i
        elif status == MODEL_ERROR:
            last_failure[doc_id] = i
    kept: list[int] = []
    for i, _line, r in records:
        doc_id, status = str(r.get("id")), r.get("status")
        if status == DUPLICATE:
            state.duplicates[doc_id] += 1
        elif first.get(doc_id) == i:
            state.done[doc_id] = str(r.get("source", ""))
            if r.get("text_sha256"):
                state.hashes[doc_id] = str(r["text_sha256"])
        elif last_failure.get(doc_id) == i and doc_id not in first:
            state.failed.add(doc_id)
        else:
            continue
        kept.append(i)
    kept_records = [manifest[i] for i in kept]
    with_claims = {doc_id for doc_id, i in first.items() if manifest[i][1]["status"] == OK}  # type: ignore[index]
    claims = [line for line, r in journal if r is not None and str(r.get("doc_id")) in with_claims]
    return state, [line for line, _ in kept_records], claims, _errors_of(kept_records, errors)


def _errors_of(manifest: Lines, errors: Lines) -> list[str]:
    """The errors-file lines of the kept manifest lines: per (id, status), the last ones."""
    wanted: Counter[tuple[str, str]] = Counter(
        (str(r.get("id")), str(r.get("status"))) for _, r in manifest if r is not None and r.get("status") != OK
    )
    at: defaultdict[tuple[str, str], list[int]] = defaultdict(list)
    for i, (_, r) in enumerate(errors):
        at[(str((r or {}).get("doc_id")), str((r or {}).get("status")))].append(i)
    keep = sorted(i for key, n in wanted.items() for i in at[key][-n:] if n)
    return [errors[i][0] for i in keep]
