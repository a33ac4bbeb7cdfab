"""A same-length view of a text with markup and invisible characters blanked out.

Models and splitters read the view; spans index the original, because every
blanked character is replaced by exactly one space (newlines are kept, so line
structure survives). Blanked: HTML/XML tags (and the contents of ``<script>``
and ``<style>``), HTML comments, control characters, zero-width and
bidirectional formatting characters.

Only terminated constructs are blanked: an unterminated ``<!--`` or ``<script>``
leaves the text after it readable (only the ``<script>`` tag itself is blanked),
since a stray opener in scraped text should not hide the rest of the article.
The scan is linear in the length of the text, whatever it holds: the end of a
construct is searched for once per stretch of text, not once per opener, so a
page of unterminated ``<!--`` costs no more than a page of prose.
"""

from __future__ import annotations

import re
import unicodedata

# A block is an opener, the first ">" after it (script/style only), then the first closer after that.
_BLOCK_START = re.compile(r"<(?:(script|style)\b|!--)", re.IGNORECASE)
_TAG_END = re.compile(">")
_COMMENT_END = re.compile("-->")
_BLOCK_END = {name: re.compile(rf"</{name}\s*>", re.IGNORECASE) for name in ("script", "style")}
# Attributes stop at the next "<" or ">", so a failed match costs at most the distance to the next "<".
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9:-]*(?:\s[^<>]*)?/?>")
_KEEP_CONTROL = {"\n", "\t", "\r"}


class _NextMatch:
    """Leftmost match of a pattern at or after a position that only grows.

    The last answer stands until the position passes its start, and "none" stands
    for good, so each stretch of text is searched once however many openers ask.
    """

    __slots__ = ("_pattern", "_text", "_searched_from", "_match")

    def __init__(self, pattern: re.Pattern[str], text: str) -> None:
        self._pattern = pattern
        self._text = text
        self._searched_from = -1
        self._match: re.Match[str] | None = None

    def search(self, pos: int) -> re.Match[str] | None:
        stale = self._match is not None and self._match.start() < pos
        if self._searched_from < 0 or pos < self._searched_from or stale:
            self._match = self._pattern.search(self._text, pos)
            self._searched_from = pos
        return self._match


def _blank_text(s: str) -> str:
    return "".join("\n" if ch == "\n" else " " for ch in s)


def _blank(match: re.Match[str]) -> str:
    return _blank_text(match.group(0))


def _blank_blocks(text: str) -> str:
    """Blank terminated ``<script>``/``<style>`` elements and comments, leftmost first."""
    tag_end = _NextMatch(_TAG_END, text)
    comment_end = _NextMatch(_COMMENT_END, text)
    block_end = {name: _NextMatch(pattern, text) for name, pattern in _BLOCK_END.items()}
    pieces: list[str] = []
    done = pos = 0
    while (opener := _BLOCK_START.search(text, pos)) is not None:
        name = opener.group(1)
        if name is None:
            close = comment_end.search(opener.end())
        else:
            opened = tag_end.search(opener.end())
            close = None if opened is None else block_end[name.lower()].search(opened.end())
        if close is None:  # unterminated: leave it, look for the next opener
            pos = opener.start() + 1
            continue
        pieces += (text[done : opener.start()], _blank_text(text[opener.start() : close.end()]))
        done = pos = close.end()
    if not pieces:
        return text
    pieces.append(text[done:])
    return "".join(pieces)


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
        text = _blank_blocks(text)
        text = _TAG.sub(_blank, text)
    if any(_invisible(ch) for ch in text):
        text = "".join(" " if _invisible(ch) else ch for ch in text)
    return text


def model_text(original: str, view: str) -> str:
    """What a model reads for a span: the original when nothing was blanked, else the
    view with whitespace runs collapsed."""
    return original if original == view else " ".join(view.split())
