"""The charts, as inline SVG: no plotting library, a few hundred bytes each, every label escaped."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping

from ..claims import net_stance
from ..places import place_kind, place_name
from .common import COLOURS, GAIN, LABELS, LOSS, NEUTRAL, SHORT, esc, pct


def _svg(width: int | float, height: int | float) -> str:
    return f'<svg class="chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img">'


def stacked_bars(rows: list[tuple[str, Mapping[str, int], str]], *, label_width: int = 150) -> str:
    """One 100%-stacked horizontal bar per row (gain, loss, neutral), with counts."""
    bar_w, row_h, right = 420, 22, 150
    width = label_width + bar_w + right
    height = row_h * len(rows) + 8
    out = [_svg(width, height)]
    for i, (name, counts, key) in enumerate(rows):
        y = 4 + i * row_h
        total = sum(counts.get(k, 0) for k in LABELS)
        data_attr = f' data-doc="{esc(key)}"' if key else ""
        out.append(
            f'<g class="row"{data_attr}><text x="{label_width - 6}" y="{y + 15}" text-anchor="end">{esc(name)}</text>'
        )
        x = float(label_width)
        for k in LABELS:
            n = counts.get(k, 0)
            if not n:
                continue
            w = bar_w * n / total
            out.append(
                f'<rect x="{x:.1f}" y="{y + 2}" width="{w:.1f}" height="{row_h - 6}" fill="{COLOURS[k]}">'
                f"<title>{esc(name)}: {n} {SHORT[k]} ({pct(n, total)})</title></rect>"
            )
            if w > 22:
                out.append(f'<text class="in" x="{x + w / 2:.1f}" y="{y + 15}" text-anchor="middle">{n}</text>')
            x += w
        out.append(
            f'<text x="{label_width + bar_w + 6}" y="{y + 15}">{total} · net {net_stance(counts):+.2f}</text></g>'
        )
    out.append("</svg>")
    return "".join(out)


def diverging(places: list[str], counts: Mapping[str, Counter[str]]) -> str:
    """One bar per place from the middle: left for a net loss, right for a net gain; a click filters."""
    labels = [f"{place_name(p)} ({p})" if place_kind(p) == "country" else place_name(p) for p in places]
    half, right, row_h = 120, 170, 22
    label_w = max(150, 7 * max(map(len, labels), default=0) + 12)  # ≈7px a character: no name clipped
    width = label_w + 2 * half + right
    height = row_h * len(places) + 26
    cx = label_w + half
    out = [_svg(width, height)]
    out.append(f'<text class="axis" x="{label_w}" y="12">−1 loss</text>')
    out.append(f'<text class="axis" x="{cx}" y="12" text-anchor="middle">0</text>')
    out.append(f'<text class="axis" x="{cx + half}" y="12" text-anchor="end">gain +1</text>')
    out.append(f'<line x1="{cx}" x2="{cx}" y1="16" y2="{height}" stroke="#999"/>')
    for i, (p, label) in enumerate(zip(places, labels, strict=True)):
        c = counts[p]
        y = 18 + i * row_h
        stance = net_stance(c)
        w = abs(stance) * half
        x = cx if stance >= 0 else cx - w
        colour = COLOURS[GAIN] if stance > 0 else COLOURS[LOSS] if stance < 0 else COLOURS[NEUTRAL]
        total = sum(c.values())
        name = place_name(p)
        few = " ⚠ few claims" if total <= 2 else ""
        tip = f"{name}: {c['russian_gain']} gain, {c['russian_loss']} loss, {c['neutral']} neutral; net {stance:+.2f}"
        out.append(
            f'<g class="place-bar" data-place="{esc(p)}"><title>{esc(tip)}</title>'
            f'<rect class="hit" x="0" y="{y}" width="{width}" height="{row_h}" fill="transparent"/>'
            f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end">{esc(label)}</text>'
            f'<rect x="{x:.1f}" y="{y + 3}" width="{max(w, 1.5):.1f}" height="{row_h - 7}" fill="{colour}"/>'
            f'<text x="{cx + half + 6}" y="{y + 15}">{stance:+.2f} · n={total} '
            f"({c['russian_gain']}/{c['russian_loss']}/{c['neutral']}){few}</text></g>"
        )
    out.append("</svg>")
    return "".join(out)


def timeline(buckets: Mapping[str, Counter[str]], names: list[str]) -> str:
    """Stacked columns per time bucket (loss, neutral, gain from the bottom) and the net stance as a line."""
    col_w = max(8, min(48, 760 // max(1, len(names))))
    left, top, plot_h = 46, 14, 180
    width = left + col_w * len(names) + 60
    height = top + plot_h + 70
    peak = max(sum(buckets[n].values()) for n in names)
    out = [_svg(width, height)]
    out.append(f'<line x1="{left}" x2="{left}" y1="{top}" y2="{top + plot_h}" stroke="#999"/>')
    out.append(f'<text class="axis" x="{left - 4}" y="{top + 8}" text-anchor="end">{peak}</text>')
    out.append(f'<text class="axis" x="{left - 4}" y="{top + plot_h}" text-anchor="end">0</text>')
    points: list[tuple[float, float, str, float, int]] = []
    for i, n in enumerate(names):
        c = buckets[n]
        x = left + i * col_w + 2
        y: float = top + plot_h
        for k in (LOSS, NEUTRAL, GAIN):
            h = plot_h * c[k] / peak
            if h:
                y -= h
                out.append(
                    f'<rect x="{x}" y="{y:.1f}" width="{col_w - 4}" height="{h:.1f}" fill="{COLOURS[k]}">'
                    f"<title>{esc(n)}: {c[k]} {SHORT[k]}</title></rect>"
                )
        stance = net_stance(c)
        points.append((x + (col_w - 4) / 2, top + plot_h / 2 - stance * plot_h / 2, n, stance, sum(c.values())))
        if len(names) <= 40 or i % math.ceil(len(names) / 40) == 0:
            out.append(
                f'<text class="axis" transform="translate({x + col_w / 2:.1f},{top + plot_h + 10}) rotate(45)">'
                f"{esc(n)}</text>"
            )
    if len(points) > 1:
        path = " ".join(f"{px:.1f},{py:.1f}" for px, py, *_ in points)
        out.append(f'<polyline points="{path}" fill="none" stroke="#222" stroke-width="1.5"/>')
    for px, py, n, stance, total in points:
        out.append(
            f'<circle cx="{px:.1f}" cy="{py:.1f}" r="3" fill="#222">'
            f"<title>{esc(n)}: net {stance:+.2f}, {total} claims</title></circle>"
        )
    out.append(
        f'<text class="axis" x="{left + col_w * len(names) + 6}" y="{top + 8}">net +1</text>'
        f'<text class="axis" x="{left + col_w * len(names) + 6}" y="{top + plot_h / 2 + 4}">net 0</text>'
        f'<text class="axis" x="{left + col_w * len(names) + 6}" y="{top + plot_h}">net −1</text>'
    )
    out.append("</svg>")
    return "".join(out)
