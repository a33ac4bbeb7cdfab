"""Claims files: JSONL, CSV and Parquet, written and read back.

Documents are read by :mod:`claimx.inputs` (the paths of a run) and :mod:`claimx.readers`
(one reader per kind of file); their names stay importable from here too.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TextIO

from .errors import InputError
from .inputs import DATASET_SUFFIXES, IdFrom, check_inputs, iter_inputs, quiet_progress_bars
from .readers import (
    MAX_DOCUMENT_BYTES,
    InputFailure,
    decode_bytes,
    document_from_record,
    read_dataset,
    read_jsonl,
    read_text_file,
)
from .types import Claim

__all__ = [
    "DATASET_SUFFIXES",
    "MAX_DOCUMENT_BYTES",
    "IdFrom",
    "InputFailure",
    "check_inputs",
    "claim_line",
    "decode_bytes",
    "document_from_record",
    "iter_inputs",
    "quiet_progress_bars",
    "read_claims",
    "read_dataset",
    "read_jsonl",
    "read_text_file",
    "write_claims",
    "write_jsonl",
]


def claim_line(claim: Claim) -> str:
    """One claim as a JSON Lines line (the one shape every claims file has)."""
    return json.dumps(claim.to_dict(), ensure_ascii=False) + "\n"


def write_jsonl(claims: Iterable[Claim], stream: TextIO) -> int:
    """Write claims as JSON Lines; returns how many."""
    n = 0
    for claim in claims:
        stream.write(claim_line(claim))
        n += 1
    return n


def read_claims(path: str | Path) -> list[Claim]:
    """Claims back from a ``.jsonl``, ``.csv`` or ``.parquet`` file written by claimx."""
    path = Path(path)
    if path.suffix == ".jsonl":
        with path.open(encoding="utf-8", newline="") as f:  # split at \n only: U+2028 is written raw
            lines = f.read().split("\n")
        return [_claim(line, path, n) for n, line in enumerate(lines, 1) if line.strip()]
    if path.suffix in {".csv", ".parquet"}:
        import pandas as pd

        from .frames import from_pandas

        df = (
            pd.read_csv(path, keep_default_na=False, dtype={"doc_id": str})
            if path.suffix == ".csv"
            else pd.read_parquet(path)
        )
        return from_pandas(df)
    raise InputError(f"cannot read claims from {path}: use .jsonl, .csv or .parquet")


def _claim(line: str, path: Path, number: int) -> Claim:
    try:
        record = json.loads(line)
        if not isinstance(record, dict):
            raise TypeError(f"a JSON {type(record).__name__}, not an object")
        return Claim.from_dict(record)
    except (ValueError, TypeError, KeyError, AttributeError) as e:  # cut short, a bad label, "start": "zero"
        what = f"no {e}" if isinstance(e, KeyError) else str(e)
        raise InputError(f"{path}: line {number} is not a claim ({what:.200})") from e


def write_claims(claims: Sequence[Claim], path: str | Path) -> None:
    """Write claims to ``.jsonl``, ``.csv`` or ``.parquet`` by suffix."""
    path = Path(path)
    if path.suffix == ".jsonl":
        with path.open("w", encoding="utf-8") as f:
            write_jsonl(claims, f)
        return
    from .frames import to_pandas

    df = to_pandas(claims, flat=path.suffix == ".csv")
    if path.suffix == ".csv":
        df.to_csv(path, index=False)
    elif path.suffix == ".parquet":
        df.to_parquet(path, index=False)
    else:
        raise InputError(f"unknown output format {path.suffix!r}: use .jsonl, .csv or .parquet")
