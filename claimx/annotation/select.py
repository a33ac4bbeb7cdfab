"""Which claims to check first: those whose correction teaches the classifier most.

* ``uncertainty``: the smallest margin between the two best labels' scores;
* ``disagreement``: claims another classifier labels differently (its claims file, matched
  by document and span), the largest gap between the two score vectors first;
* ``diversity``: spread over documents, languages and places, the least certain first
  within each.

>>> import numpy as np
>>> margins(np.array([[0.5, 0.4, 0.1], [0.9, 0.05, 0.05]])).round(2).tolist()
[0.1, 0.85]
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..errors import ConfigError, InputError
from ..types import Claim
from .tasks import LABELS

STRATEGIES = ("uncertainty", "disagreement", "diversity")


def margins(probabilities: np.ndarray) -> np.ndarray:
    """Top score minus second score, per row."""
    top2 = np.sort(np.asarray(probabilities, dtype=np.float64), axis=1)[:, -2:]
    return top2[:, 1] - top2[:, 0]


def _scores(claims: Sequence[Claim]) -> np.ndarray:
    return np.array([[c.scores.get(label, 0.0) for label in LABELS] for c in claims], dtype=np.float64)


def _order(claims: Sequence[Claim]) -> np.ndarray:
    """Stable tie-break: document, then position."""
    keys = sorted(range(len(claims)), key=lambda i: (claims[i].doc_id, claims[i].sentence_index))
    rank = np.empty(len(claims), dtype=np.int64)
    rank[keys] = np.arange(len(claims))
    return rank


def by_uncertainty(claims: Sequence[Claim], n: int) -> list[Claim]:
    """The ``n`` claims with the smallest top-two margin."""
    if not claims:
        return []
    picked = np.lexsort((_order(claims), margins(_scores(claims))))[:n]
    return [claims[i] for i in picked]


def by_disagreement(claims: Sequence[Claim], other: Sequence[Claim], n: int) -> list[Claim]:
    """The ``n`` claims ``other`` (another classifier's claims on the same documents) disagrees with most."""
    theirs = {(c.doc_id, c.start, c.end): c for c in other}
    matched = [c for c in claims if (c.doc_id, c.start, c.end) in theirs]
    if not matched:
        raise InputError("no claim of the second classifier matches one of the first (same doc id and span)")
    mine = _scores(matched)
    their = _scores([theirs[(c.doc_id, c.start, c.end)] for c in matched])
    differ = np.array([c.label is not theirs[(c.doc_id, c.start, c.end)].label for c in matched])
    gap = np.abs(mine - their).sum(axis=1) / 2  # total variation distance
    picked = np.lexsort((_order(matched), -gap, ~differ))[:n]
    return [matched[i] for i in picked]


def by_diversity(claims: Sequence[Claim], n: int) -> list[Claim]:
    """``n`` claims spread over documents, then languages, then places (first place named, or none);
    among equally new ones the least certain first."""
    if not claims:
        return []
    docs = np.unique([c.doc_id for c in claims], return_inverse=True)[1]
    languages = np.unique([c.language for c in claims], return_inverse=True)[1]
    places = np.unique([c.places[0] if c.places else "" for c in claims], return_inverse=True)[1]
    tie = np.lexsort((_order(claims), margins(_scores(claims)))).argsort() / len(claims)  # 0 <= tie < 1
    seen = [np.zeros(int(k.max()) + 1) for k in (docs, languages, places)]
    free = np.ones(len(claims), dtype=bool)
    picked: list[int] = []
    for _ in range(min(n, len(claims))):
        # a new document outweighs any language or place count; a new language any place count
        cost = seen[0][docs] * 1e6 + seen[1][languages] * 1e3 + seen[2][places] + tie
        cost[~free] = np.inf
        i = int(np.argmin(cost))
        picked.append(i)
        free[i] = False
        for counts, keys in zip(seen, (docs, languages, places), strict=True):
            counts[keys[i]] += 1
    return [claims[i] for i in picked]


def select_claims(
    claims: Sequence[Claim], n: int, by: str = "uncertainty", *, other: Sequence[Claim] = ()
) -> list[Claim]:
    """The ``n`` claims worth checking first, by one of :data:`STRATEGIES`.

    ``other`` (``disagreement`` only) is a second classifier's claims on the same documents.
    """
    if n < 1:
        raise ConfigError(f"-n must be >= 1, got {n}")
    if by not in STRATEGIES:
        raise ConfigError(f"unknown selection {by!r}; use one of {', '.join(STRATEGIES)}")
    if by == "disagreement":
        if not other:
            raise ConfigError("--by disagreement needs a second classifier's claims: pass --against CLAIMS")
        return by_disagreement(claims, other, n)
    return by_uncertainty(claims, n) if by == "uncertainty" else by_diversity(claims, n)
