"""The JSON the page's script reads: documents and claims as compact arrays.

Each claim is ``[doc, sentence, start, end, label, score, scores, text, text_en, language, places]``:
``doc``, ``label``, ``language`` and ``places`` are indexes into the ``docs``, ``labels``, ``langs``
and ``places`` lists; ``text`` is 0 when the script slices it from the document's full text, and
``text_en`` is 0 when there is no translation to show. Each document is ``[id, date, source, text]``
with ``text`` 0 unless every claim's span points into it.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Mapping
from typing import Any

from ..places import place_name
from .common import LABELS
from .inputs import Doc


def page_data(rows: list[dict[str, Any]], doc_order: list[str], docs: Mapping[str, Doc], page_size: int) -> str:
    """The JSON text, safe to put inside ``<script type="application/json">``."""
    doc_index = {d: i for i, d in enumerate(doc_order)}
    by_doc: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        by_doc[r["doc"]].append(r)
    # Full text only where every claim's span points at its text; else the page shows the claims alone.
    full_text: dict[str, str] = {}
    for d in doc_order:
        text = docs[d].text
        if text and all(text[r["start"] : r["end"]] == r["text"] for r in by_doc[d]):
            full_text[d] = text
    place_counts = Counter(p for r in rows for p in r["places"])
    places = sorted(place_counts, key=lambda p: (-place_counts[p], place_name(p)))
    place_index = {p: i for i, p in enumerate(places)}
    langs = sorted({r["language"] for r in rows})
    lang_index = {lang: i for i, lang in enumerate(langs)}
    label_index = {k: i for i, k in enumerate(LABELS)}
    claims = []
    for r in sorted(rows, key=lambda r: (doc_index[r["doc"]], r["start"], r["sentence"])):
        in_text = r["doc"] in full_text
        claims.append(
            [
                doc_index[r["doc"]],
                r["sentence"],
                r["start"],
                r["end"],
                label_index[r["label"]],
                round(r["score"], 3),
                [round(s, 3) for s in r["scores"]],
                0 if in_text else r["text"],  # the page slices it from the document text
                r["text_en"] if r["translated"] and r["text_en"] != r["text"] else 0,
                lang_index[r["language"]],
                [place_index[p] for p in r["places"]],
            ]
        )
    data = {
        "labels": list(LABELS),
        "langs": langs,
        "places": [[p, place_name(p)] for p in places],
        "docs": [[d, docs[d].date or "", docs[d].source, full_text.get(d, 0)] for d in doc_order],
        "claims": claims,
        "pageSize": page_size,
    }
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    # Inside <script type="application/json"> only "</script" could end the block; escape every <, > and &.
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
