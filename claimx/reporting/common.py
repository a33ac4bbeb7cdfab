"""What every part of the page shares: the labels, their colours, escaping and the net stance."""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

LABELS = ("russian_gain", "russian_loss", "neutral")
SHORT = {"russian_gain": "gain", "russian_loss": "loss", "neutral": "neutral"}
COLOURS = {"russian_gain": "#d55e00", "russian_loss": "#0072b2", "neutral": "#8c8c8c"}


def esc(value: Any) -> str:
    """``value`` as HTML text or attribute value: ``esc('<a "b">')`` -> ``'&lt;a &quot;b&quot;&gt;'``."""
    return html.escape(str(value), quote=True)


def pct(n: int, total: int) -> str:
    return f"{100 * n / total:.0f}%" if total else "0%"


def net(counts: Mapping[str, int]) -> float:
    """(gain - loss) / claims, in [-1, 1]; 0.0 for no claims."""
    total = sum(counts.get(k, 0) for k in LABELS)
    return (counts.get("russian_gain", 0) - counts.get("russian_loss", 0)) / total if total else 0.0


def legend() -> str:
    return (
        '<p class="legend">' + "".join(f'<span class="chip {SHORT[k]}">{esc(SHORT[k])}</span>' for k in LABELS) + "</p>"
    )
