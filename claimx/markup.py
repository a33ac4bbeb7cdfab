"""A same-length view of a text with markup and invisible characters blanked out.

Models and splitters read the view; spans index the original, because every
blanked character is replaced by exactly one space (newlines are kept, so line
structure survives). Blanked: HTML/XML tags (and the contents of ``<script>``
and ``<style>``), HTML comments, control characters, zero-width and
bidirectional formatting characters.
"""

from __future__ import annotations

import re
import unicodedata

_BLOCK = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>|<!--.*?-->", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9:-]*(?:\s[^<>]*)?/?>")
_KEEP_CONTROL = {"\n", "\t", "\r"}


def _blank(match: re.Match[str]) -> str:
    return "".join("\n" if ch == "\n" else " " for ch in match.group(0))


def _invisible(ch: str) -> bool:
    if ch in _KEEP_CONTROL:
        return False
    category = unicodedata.category(ch)
    # Cc: control; Cf: format (zero-width space/joiners, BOM, bidi marks); Co/Cs: private use, surrogates
    return category in {"Cc", "Cf", "Co", "Cs"}


def analysis_view(text: str) -> str:
    """``text`` with markup and invisible characters replaced one-for-one by spaces.

    >>> analysis_view("<p>Russia\\u200b wins.</p>")
    '   Russia  wins.    '
    """
    if "<" in text:
        text = _BLOCK.sub(_blank, text)
        text = _TAG.sub(_blank, text)
    if any(_invisible(ch) for ch in text):
        text = "".join(" " if _invisible(ch) else ch for ch in text)
    return text


def model_text(original: str, view: str) -> str:
    """What a model reads for a span: the original when nothing was blanked, else the
    view with whitespace runs collapsed."""
    return original if original == view else " ".join(view.split())
