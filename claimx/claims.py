"""What claims add up to: :class:`ClaimList` (what ``extract`` returns) and the net stance."""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import TYPE_CHECKING

from .types import Claim, Label

if TYPE_CHECKING:
    import pandas as pd


def net_stance(counts: Mapping[str, int]) -> float:
    """``(gain - loss) / claims`` from claims per label value, in [-1, 1]; 0.0 for no claims.

    >>> net_stance({"russian_gain": 3, "russian_loss": 1, "neutral": 4})
    0.25
    """
    gain, loss = counts.get(Label.RUSSIAN_GAIN.value, 0), counts.get(Label.RUSSIAN_LOSS.value, 0)
    total = sum(counts.get(label.value, 0) for label in Label)
    return float(gain - loss) / total if total else 0.0


class ClaimList(list[Claim]):
    """A list of claims that shows as a table in Jupyter."""

    def to_pandas(self) -> pd.DataFrame:
        from .frames import to_pandas

        return to_pandas(self)

    def _repr_html_(self, limit: int = 50) -> str:
        head = (
            "<tr>"
            + "".join(f"<th>{h}</th>" for h in ("doc", "#", "lang", "label", "score", "text", "English"))
            + "</tr>"
        )
        body = []
        for c in self[:limit]:
            english = "" if c.text_en == c.text else html.escape(c.text_en)
            cells = (c.doc_id, c.sentence_index, c.language, c.label.value, f"{c.score:.2f}", c.text, english)
            body.append(
                "<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in cells[:-1]) + f"<td>{english}</td></tr>"
            )
        more = f"<p>… {len(self) - limit} more claims</p>" if len(self) > limit else ""
        return f"<p>{len(self)} claims</p><table>{head}{''.join(body)}</table>{more}"
