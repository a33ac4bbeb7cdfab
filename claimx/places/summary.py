"""Claims per place and label, with the net stance: :func:`places_summary`."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ..claims import net_stance
from ..types import DEFAULT_ACTOR, Label
from .find import actor_countries, claim_places
from .names import place_kind, place_name

if TYPE_CHECKING:
    import pandas as pd


def _label_value(label: Any) -> str:
    return str(getattr(label, "value", label))


def places_summary(claims: Iterable[Any], *, exclude: Iterable[str] | None = None) -> pd.DataFrame:
    """Per place: claims per label, total and net stance ``(gain - loss) / total`` in [-1, 1].

    ``claims``: any objects with ``.label`` (a :class:`claimx.Label` or its value) and
    ``.places``, or, when ``places`` is missing or empty, ``.text`` (places are then found, see
    :func:`claim_places`). A claim naming two places counts for both. Sorted by total, then name.
    ``exclude``: places left out; by default the country of each claim's ``actor`` (Russia's
    for claims without one), whose own gain is no news about it as a place.

    >>> from types import SimpleNamespace as C
    >>> df = places_summary([C(label="russian_gain", text="Russia opened a base in Mali."),
    ...                      C(label="russian_loss", text="Mali expelled Russian advisers.")])
    >>> df.loc["ML", ["russian_gain", "russian_loss", "neutral", "total"]].tolist(), float(df.loc["ML", "net_stance"])
    ([1, 1, 0, 2], 0.0)
    """
    import pandas as pd

    exclude = None if exclude is None else set(exclude)
    labels = tuple(label.value for label in Label)
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for claim in claims:
        label = _label_value(claim.label)
        skip = exclude if exclude is not None else actor_countries(getattr(claim, "actor", DEFAULT_ACTOR))
        for place in claim_places(claim):
            if place not in skip:
                counts[place][label] += 1
    columns = ["name", "kind", *labels, "total", "net_stance"]
    rows = []
    for place, c in counts.items():
        total = sum(c[label] for label in labels)
        rows.append(
            [place, place_name(place), place_kind(place), *(c[label] for label in labels), total, net_stance(c)]
        )
    df = pd.DataFrame(rows, columns=["place", *columns]).set_index("place")
    df = df.astype({label: "int64" for label in labels} | {"total": "int64", "net_stance": "float64"})
    if df.empty:
        return df
    order = sorted(df.index, key=lambda p: (-int(df.at[p, "total"]), str(df.at[p, "name"])))
    return df.loc[order]
