"""One self-contained HTML page for an analyst: where the actor (Russia by default) gains or loses, and who says so.

>>> import claimx
>>> page = report([claimx.Claim("d1", 0, "Russia opened a base in Mali.", "Russia opened a base in Mali.",
...                             "en", 0, 29, "russian_gain", 0.9, {"russian_gain": 0.9}, False, ("m",))])
>>> page.n_claims, "<svg" in page.html
(1, True)

``report(claims)`` takes claims (any objects with the fields of :class:`claimx.Claim`) or the
path of any claims file claimx writes (``.jsonl``, ``.csv``, ``.parquet``); beside a path it
also reads the job's manifest (``OUT.documents.jsonl``), else its errors file (``OUT.errors.jsonl``).
A manifest (JSONL or records, one per
document: ``id``, ``source``, ``status``, ``claims``, ``dropped``, ``warnings``, ``error``,
``date``/``metadata``) adds errors and dropped documents to the provenance; ``documents``
(ids to texts, :class:`claimx.Document` objects, or input paths) lets the page show each
document's full text around its claims and read a leading ``date YYYY-MM-DD`` stamp.

The page opens offline and makes no network request: charts are inline SVG written here (no
plotting library: a few hundred bytes per chart, nothing to load, and every label goes through
the same escaping), the claims travel as JSON inside a ``<script type="application/json">``
block with ``<``, ``>`` and ``&`` escaped, and a small script renders the documents one page at
a time with ``textContent`` (never ``innerHTML``), so 10,000 claims stay responsive and a
sentence holding ``</script>`` is shown as text. A Content-Security-Policy allows only that one
script (by hash) and no connections at all.

Layout: ``build`` (:func:`report`, the order of the steps), ``inputs`` (claims, manifest, config,
documents), ``sections`` and ``provenance`` (HTML per section), ``charts`` (the SVG), ``page_data``
(the JSON the script reads), ``page`` (skeleton, CSP, :class:`Report`), ``cli`` (``claimx report``);
the stylesheet, script and HTML skeleton are files in ``assets/``.
"""

from .build import report
from .cli import add_arguments, run
from .page import Report

__all__ = ["Report", "add_arguments", "report", "run"]
