"""Claims as pandas DataFrames and Hugging Face datasets, and a table view for notebooks."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from .claims import net_stance
from .types import Claim, Label

if TYPE_CHECKING:
    import datasets
    import pandas as pd

SCORE_PREFIX = "score_"
COLUMNS = (
    "doc_id",
    "sentence_index",
    "text",
    "text_en",
    "language",
    "start",
    "end",
    "label",
    "actor",
    "stance",
    "score",
    *(SCORE_PREFIX + label.value for label in Label),
    "translated",
    "models",
    "note",
    "places",
)


def _row(claim: Claim, models_as_json: bool) -> dict[str, Any]:
    row = claim.to_dict()
    scores = row.pop("scores")
    for label in Label:
        row[SCORE_PREFIX + label.value] = scores.get(label.value)
    for key in ("models", "places"):  # lists become JSON strings in flat tables (CSV)
        row[key] = json.dumps(row[key], ensure_ascii=False) if models_as_json else row[key]
    return row


def claim_rows(claims: Iterable[Claim]) -> list[dict[str, Any]]:
    """One flat dict per claim, keyed by :data:`COLUMNS`."""
    return [_row(c, False) for c in claims]


def to_pandas(claims: Iterable[Claim], *, flat: bool = False) -> pd.DataFrame:
    """One row per claim; every label's score in its own ``score_<label>`` column.

    ``flat=True`` stores ``models`` as a JSON string (for CSV).
    """
    import pandas as pd

    return pd.DataFrame([_row(c, flat) for c in claims], columns=list(COLUMNS))


def _records(rows: Iterable[dict[str, Any]]) -> list[Claim]:
    claims = []
    for row in rows:
        models, places = row["models"], row.get("places")
        if places is None or (isinstance(places, float) and places != places):  # absent, or NaN from pandas
            places = ()
        if isinstance(models, str):
            models = json.loads(models)
        if isinstance(places, str):
            places = json.loads(places)
        claims.append(
            Claim.from_dict(
                {
                    **row,
                    "scores": {label.value: row[SCORE_PREFIX + label.value] for label in Label},
                    "models": tuple(models),
                    "places": tuple(places),
                }
            )
        )
    return claims


def from_pandas(df: pd.DataFrame) -> list[Claim]:
    """Claims back from :func:`to_pandas` output (or a CSV/Parquet file of it)."""
    return _records(df.to_dict("records"))


def to_dataset(claims: Iterable[Claim]) -> datasets.Dataset:
    """Claims as a ``datasets.Dataset`` with the columns of :func:`to_pandas`."""
    import datasets

    rows = claim_rows(claims)
    if not rows:
        return datasets.Dataset.from_dict({c: [] for c in COLUMNS})
    return datasets.Dataset.from_list(rows)


def from_dataset(ds: datasets.Dataset) -> list[Claim]:
    """Claims back from :func:`to_dataset` output."""
    return _records(ds.to_list())


def document_summary(claims: Iterable[Claim]) -> pd.DataFrame:
    """Per document: claims per label and the net stance ``(gain - loss) / claims`` in [-1, 1]."""
    import pandas as pd

    df = to_pandas(claims)
    labels = [label.value for label in Label]
    if df.empty:
        return pd.DataFrame(columns=["doc_id", "claims", *labels, "net_stance"]).set_index("doc_id")
    counts = pd.crosstab(df["doc_id"], df["label"]).reindex(columns=labels, fill_value=0)
    counts = counts.reindex(list(dict.fromkeys(df["doc_id"])))  # document order, not sorted
    counts.columns.name = None
    counts.insert(0, "claims", counts.sum(axis=1))
    counts["net_stance"] = [net_stance(row) for _, row in counts[labels].iterrows()]
    return counts
