"""The page around the sections: its skeleton, stylesheet and script (files in ``assets/``), and the CSP.

The Content-Security-Policy allows one script, by the SHA-256 of its exact text as inlined, and no
connections at all; :func:`inline_script` is that text, so the hash and the page cannot disagree.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import html
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from string import Template

from .common import esc


@dataclass(frozen=True, slots=True)
class Report:
    """A rendered report.

    Attributes:
        html: The whole page, one self-contained HTML document.
        n_claims: Claims in the page.
        n_documents: Documents with at least one claim.
    """

    html: str
    n_claims: int
    n_documents: int

    def save(self, path: str | Path) -> Path:
        """Write the page (UTF-8) and return its path."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(self.html, encoding="utf-8")
        return path

    def _repr_html_(self) -> str:
        # An iframe keeps the page's styles and script out of the notebook, and the notebook's out of the page.
        return (
            '<iframe sandbox="allow-scripts" style="width:100%;height:820px;border:1px solid #ddd" '
            f'srcdoc="{html.escape(self.html, quote=True)}"></iframe>'
        )


@functools.cache
def asset(name: str) -> str:
    """The text of ``assets/NAME``, shipped as package data."""
    return resources.files(__package__).joinpath("assets").joinpath(name).read_text(encoding="utf-8")


def inline_script() -> str:
    """The script exactly as it stands between ``<script>`` and ``</script>``: the text the CSP hashes."""
    return "\n" + asset("report.js")


def documents_section() -> str:
    """The document browser's controls and list: the markup ``report.js`` fills and drives."""
    return asset("documents.html").rstrip("\n")


def page(title: str, body: str, data: str) -> str:
    """The whole HTML document: ``body`` (sections) and ``data`` (see :mod:`.page_data`) in the skeleton."""
    script = inline_script()
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    csp = (
        "default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
        f"script-src 'sha256-{digest}'; connect-src 'none'; form-action 'none'; base-uri 'none'"
    )
    return Template(asset("page.html")).substitute(
        csp=esc(csp), title=esc(title), css="\n" + asset("report.css"), body=body, data=data, script=script
    )
