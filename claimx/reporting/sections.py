"""The page's sections above the document browser, each a function from claim rows to HTML."""

from __future__ import annotations

import datetime as _dt
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from ..claims import net_stance
from ..places import place_kind, place_name
from ..types import Label
from .charts import diverging, stacked_bars, timeline
from .common import LABELS, SHORT, esc, legend, pct
from .inputs import Doc
from .provenance import is_error

_MAX_TABLE_DOCS = 200
_MAX_PLACES = 25
_MAX_BUCKETS = 200


def header(
    title: str,
    rows: list[dict[str, Any]],
    doc_order: list[str],
    records: list[dict[str, Any]],
    generated: _dt.datetime,
    actor: str,
) -> str:
    counts = Counter(r["label"] for r in rows)
    models = ", ".join(dict.fromkeys(m for r in rows for m in r["models"])) or "not recorded"
    failed = sum(is_error(r) for r in records)
    failed_note = f" · <a href='#provenance'>{failed} documents not processed</a>" if failed else ""
    untranslated = Counter(r["language"] for r in rows if not r["translated"] and r["language"] != "en")
    if untranslated:
        langs = ", ".join(f"{k} {v}" for k, v in untranslated.most_common())
        failed_note += (
            f"</p><p class='warn'>{sum(untranslated.values())} of {len(rows)} claims were classified untranslated "
            f"in their own language ({esc(langs)}): no translation model was used for them."
        )
    chips = "".join(
        f'<span class="chip {SHORT[k]}">{esc(SHORT[k])} {counts.get(k, 0)} ({pct(counts.get(k, 0), len(rows))})</span>'
        for k in LABELS
    )
    return f"""<header class="top">
<h1>{esc(title)}</h1>
<p class="lead">{len(rows)} claims in {len(doc_order)} documents · net stance for {esc(actor)} {net_stance(counts):+.2f}
(gain − loss) / claims · generated {esc(generated.strftime("%Y-%m-%d %H:%M UTC"))}{failed_note}</p>
<p class="muted">models: {esc(models)}</p>
<p>{chips}</p>
<nav><a href="#overview">Per document and language</a> · <a href="#places">Places</a> · <a href="#time">Over time</a> ·
<a href="#strongest">Strongest claims</a> · <a href="#documents">Documents</a> ·
<a href="#provenance">Provenance</a></nav>
</header>"""


def overview(rows: list[dict[str, Any]], doc_order: list[str], docs: Mapping[str, Doc]) -> str:
    """Labels per source language (a chart) and per document (a sortable table)."""
    per_doc: dict[str, Counter[str]] = defaultdict(Counter)
    per_lang: dict[str, Counter[str]] = defaultdict(Counter)
    doc_langs: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        per_doc[r["doc"]][r["label"]] += 1
        per_lang[r["language"]][r["label"]] += 1
        doc_langs[r["doc"]].add(r["language"])
    langs = sorted(per_lang, key=lambda k: -sum(per_lang[k].values()))
    lang_chart = stacked_bars([(lang, per_lang[lang], "") for lang in langs], label_width=80)
    shown = sorted(doc_order, key=lambda d: -sum(per_doc[d].values()))[:_MAX_TABLE_DOCS]
    shown_set = set(shown)
    table_rows = []
    for d in doc_order:
        if d not in shown_set:
            continue
        c = per_doc[d]
        total = sum(c.values())
        bar = "".join(
            f'<span class="seg {SHORT[k]}" style="width:{100 * c[k] / total:.1f}%"></span>' for k in LABELS if c[k]
        )
        table_rows.append(
            f'<tr><td><a href="#documents" class="doc-link" data-doc="{esc(d)}">{esc(d)}</a></td>'
            f"<td>{esc(docs[d].date or '')}</td><td>{esc(', '.join(sorted(doc_langs[d])))}</td>"
            + "".join(f"<td class='num'>{v}</td>" for v in (*(c[k] for k in LABELS), total, f"{net_stance(c):+.2f}"))
            + f"<td><span class='minibar'>{bar}</span></td></tr>"
        )
    more = (
        f"<p class='muted'>Showing the {len(shown)} documents with most claims of {len(doc_order)}; "
        "pick any document in the filters below.</p>"
        if len(doc_order) > len(shown)
        else ""
    )
    return f"""<section id="overview"><h2>Gain, loss and neutral</h2>{legend()}
<div class="cols"><div><h3>Per source language</h3>{lang_chart}</div></div>
<h3>Per document</h3>{more}
<table class="grid sortable"><thead><tr><th>document</th><th>date</th><th>language</th><th>gain</th><th>loss</th>
<th>neutral</th><th>claims</th><th>net</th><th></th></tr></thead><tbody>{"".join(table_rows)}</tbody></table>
</section>"""


def places(rows: list[dict[str, Any]], exclude: Sequence[str], actor: str) -> str:
    """Net stance per country and per region; ``exclude`` is named in a note instead."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for r in rows:
        for p in r["places"]:
            counts[p][r["label"]] += 1
    skip = set(exclude)
    charts = []
    for kind, heading in (("country", "Countries"), ("region", "Regions")):
        items = [p for p in counts if place_kind(p) == kind and p not in skip]
        items.sort(key=lambda p: (-sum(counts[p].values()), place_name(p)))
        if not items:
            charts.append(f"<div><h3>{heading}</h3><p class='muted'>none named</p></div>")
            continue
        extra = f"<p class='muted'>top {_MAX_PLACES} of {len(items)} by claims</p>" if len(items) > _MAX_PLACES else ""
        charts.append(f"<div><h3>{heading}</h3>{extra}{diverging(items[:_MAX_PLACES], counts)}</div>")
    left_out = ", ".join(
        f"{place_name(p)} ({sum(counts[p].values())} claims, net {net_stance(counts[p]):+.2f})"
        for p in skip
        if p in counts
    )
    note = (
        f"<p class='muted'>Left out of the charts: {esc(left_out)}. It stays in the place filter.</p>"
        if left_out
        else ""
    )
    return f"""<section id="places"><h2>Places</h2>
<p>Net stance per place: (gain − loss) / claims naming it, from −1 ({esc(actor)} loses) to +1 ({esc(actor)} gains);
counts beside each bar; ⚠ marks a figure that rests on one or two claims. Click a bar to filter the documents.</p>{note}
<div class="cols">{"".join(charts)}</div></section>"""


def _bucket(dates: list[str]) -> tuple[str, Callable[[str], str]]:
    """The time unit for ``dates`` (day, week or month, by their span) and a date's bucket in it."""
    parsed = sorted(_dt.date.fromisoformat(d if len(d) == 10 else d + "-01") for d in dates)
    span = (parsed[-1] - parsed[0]).days
    if span <= 62 and all(len(d) == 10 for d in dates):
        return "day", lambda d: d
    if span <= 2 * 366 and all(len(d) == 10 for d in dates):
        return "week", lambda d: "{}-W{:02d}".format(*_dt.date.fromisoformat(d).isocalendar()[:2])
    return "month", lambda d: d[:7]


def over_time(rows: list[dict[str, Any]]) -> str:
    """Claims per day, week or month, from the claim's date or else its document's."""
    dated = [r for r in rows if r["claim_date"] or r["date"]]
    if not dated:
        return (
            '<section id="time"><h2>Over time</h2><p class="muted">No document carries a date (a manifest or '
            "document metadata <code>date</code>, or a leading <code>date YYYY-MM-DD</code> line in the text), "
            "so there is no timeline.</p></section>"
        )
    dates = [r["claim_date"] or r["date"] for r in dated]
    unit, key = _bucket(dates)
    buckets: dict[str, Counter[str]] = defaultdict(Counter)
    for r, d in zip(dated, dates, strict=True):
        buckets[key(d)][r["label"]] += 1
    names = sorted(buckets)[-_MAX_BUCKETS:]
    undated = len(rows) - len(dated)
    note = f" {undated} claims without a date are left out." if undated else ""
    return f"""<section id="time"><h2>Over time</h2>
<p>Claims per {unit} (bars: gain, neutral, loss) and the net stance (line; middle = 0).{esc(note)}</p>{legend()}
{timeline(buckets, names)}</section>"""


def strongest(rows: list[dict[str, Any]], actor: str, n: int = 5) -> str:
    """The ``n`` highest-scored claims of each label."""
    parts = ['<section id="strongest"><h2>Strongest claims per label</h2><div class="cols3">']
    for k in LABELS:
        top = sorted((r for r in rows if r["label"] == k), key=lambda r: -r["score"])[:n]
        items = []
        for r in top:
            en = f'<div class="en">{esc(r["text_en"])}</div>' if r["translated"] and r["text_en"] != r["text"] else ""
            items.append(
                f'<li><mark class="{SHORT[k]}">{esc(r["text"])}</mark>{en}<div class="meta">{r["score"]:.2f} · '
                f"{esc(r['doc'])} · {esc(r['language'])}</div></li>"
            )
        heading = esc(SHORT[k] if k == Label.NEUTRAL.value else f"{actor} {SHORT[k]}")
        parts.append(f"<div><h3 class='{SHORT[k]}'>{heading}</h3><ol>{''.join(items) or '<li>none</li>'}</ol></div>")
    parts.append("</div></section>")
    return "\n".join(parts)
