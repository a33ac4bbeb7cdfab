"""What every part of the page shares: the labels (from :class:`claimx.Label`), their colours, escaping."""

from __future__ import annotations

import html
from typing import Any

from ..types import Label

GAIN, LOSS, NEUTRAL = (label.value for label in (Label.RUSSIAN_GAIN, Label.RUSSIAN_LOSS, Label.NEUTRAL))
LABELS = tuple(label.value for label in Label)
SHORT = {GAIN: "gain", LOSS: "loss", NEUTRAL: NEUTRAL}
COLOURS = {GAIN: "#d55e00", LOSS: "#0072b2", NEUTRAL: "#8c8c8c"}


def esc(value: Any) -> str:
    """``value`` as HTML text or attribute value: ``esc('<a "b">')`` -> ``'&lt;a &quot;b&quot;&gt;'``."""
    return html.escape(str(value), quote=True)


def pct(n: int, total: int) -> str:
    return f"{100 * n / total:.0f}%" if total else "0%"


def legend() -> str:
    return (
        '<p class="legend">' + "".join(f'<span class="chip {SHORT[k]}">{esc(SHORT[k])}</span>' for k in LABELS) + "</p>"
    )
