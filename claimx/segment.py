"""Sentence splitting with exact character offsets.

Text is cut into lines first (on news pages a line break ends a headline, a
caption or a paragraph, which splitters tend to glue onto the next sentence),
then each line is split by sentencex, a multilingual rule-based splitter that
reports offsets, and a few of its cuts are repaired:

- list markers: "1. The first item 2. The second item", "a. … b. …", "• 9. … • 10. …"
  are cut before each item, never after its marker;
- a four-dot spaced ellipsis glued to a word ("compounds. . . . The") ends the
  sentence at the word's period and opens the next one;
- nothing starts with a comma or a colon, so a cut before ",,Das weiß ich" (a German
  typewriter opening quote) is dropped;
- German ordinals ("am 7. November", "die 102. Militärbasis", "dem 1. -3. Jahrhundert")
  that sentencex takes for a sentence end are joined back.

pysbd passes all of its own Golden Rules, but is not used: it takes quadratic time
on long lines (62,000 characters of prose on one line: 1.7 s; sentencex: about 1 ms),
re-finds its spans by searching, and cuts "die 102. Militärbasis". Every step here is
linear in the length of the line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import pairwise

from .config import MAX_SENTENCE_CHARS
from .types import UNDETERMINED, Segment

_LINE = re.compile(r"[^\n\r\u2028\u2029]+")

# sentencex reads a long line in windows this long; a cut needs this much text after it to be trusted.
_WINDOW = 10_000
_MARGIN = 500

# How far before a cut the repairs look: enough for "bis zum 12. -13. " or "word. . . . ".
_TAIL = 48

# A German ordinal stands after an article, a pronoun or a contracted preposition:
# "am 7.", "die 102.", "zum 3.", "dem 1. -3.". A bare count at a sentence end ("stieg auf 102.") does not.
_DE_ARTICLE = (
    r"(?:am|im|vom|zum|beim|bis\s+zum|der|die|das|den|dem|des|ein|eine|einer|einem|"
    r"seine[mnrs]?|ihre[mnrs]?|unsere[mnrs]?|jede[mnrs]?)"
)
_DE_ORDINAL_END = re.compile(
    rf"(?<!\S){_DE_ARTICLE}\s+(?:\d{{1,3}}\.\s*[-–]\s*)?\d{{1,3}}\.\s*$",
    re.IGNORECASE,
)
_DAY_END = re.compile(r"(?<!\d)\d{1,2}\.\s*$")
_DE_AFTER_ORDINAL = re.compile(
    r"(?:Januar|Jänner|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember|"
    r"Jahrhunderts?)\b"
)

# No sentence starts with these; a cut before one is a misread quote (",,Das …") or abbreviation.
_CANNOT_START = re.compile(r"[,;:]")

# "compounds. . . . The": the sentence ends at the period glued to the word; ". . . The" opens the next.
_GLUED_ELLIPSIS = re.compile(r"[^\s.](\.)(?: \.){3}\s*$")

# A list marker: an optional bullet, then a number or a lowercase letter, then ".", ".)" or ")".
_BULLET = r"[•‣⁃◦▪●*-]"
_MARKER = rf"(?:{_BULLET}\s*)?(?:(?P<number>\d{{1,3}})|(?P<letter>[a-z]))(?P<punct>\.\)|\)|\.)\s+"
_LINE_MARKER = re.compile(_MARKER)
_NEXT_MARKER = re.compile(rf"(?<=\s){_MARKER}")


def iter_lines(text: str, start: int = 0, end: int | None = None) -> Iterator[tuple[int, int]]:
    """Yield ``(start, end)`` of every non-blank line of ``text[start:end]``, whitespace trimmed."""
    for m in _LINE.finditer(text, start, len(text) if end is None else end):
        s, e = _trim(text, m.start(), m.end())
        if s < e:
            yield s, e


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and (text[start].isspace() or text[start] in "\ufeff\u200b"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in "\ufeff\u200b"):
        end -= 1
    return start, end


def _window_cuts(language: str, window: str) -> list[int]:
    import sentencex

    starts = (
        b["start_index"] for b in sentencex.get_sentence_boundaries(language, window) if not b["is_paragraph_break"]
    )
    return [c for c in starts if 0 < c < len(window)]


def _sentencex_cuts(language: str, line: str) -> list[int]:
    """Where sentencex starts a new sentence inside ``line`` (offsets into the line).

    sentencex slows down more than linearly on long runs of candidates ("• 9. item "
    x 100,000: 3.7 s), so a long line is read in windows of ``_WINDOW`` characters.
    Only cuts with ``_MARGIN`` characters of context after them are kept, and the
    next window opens at the last of them, or mid-sentence at a space when the
    sentence is long: every window moves on by at least a quarter of its length.
    """
    lang = "en" if language == UNDETERMINED else language
    cuts: list[int] = []
    start = 0
    while True:
        end = min(len(line), start + _WINDOW)
        found = [start + c for c in _window_cuts(lang, line[start:end])]
        if end == len(line):
            return cuts + found
        kept = [c for c in found if c <= end - _MARGIN]
        cuts += kept
        if kept and kept[-1] >= start + _WINDOW // 4:
            start = kept[-1]
        else:
            space = line.rfind(" ", start + _WINDOW // 2, end - _MARGIN)
            start = space + 1 if space != -1 else end - _MARGIN


def _is_german_ordinal(line: str, cut: int) -> bool:
    tail = max(0, cut - _TAIL)
    if _DE_ORDINAL_END.search(line, tail, cut):
        return True
    return bool(_DE_AFTER_ORDINAL.match(line, cut) and _DAY_END.search(line, tail, cut))


def _repair_cut(line: str, cut: int, language: str) -> int | None:
    """The cut to keep instead of ``cut`` (maybe moved), or None to drop it."""
    if _CANNOT_START.match(line, cut):
        return None
    if language == "de" and _is_german_ordinal(line, cut):
        return None
    glued = _GLUED_ELLIPSIS.search(line, max(0, cut - _TAIL), cut)
    return glued.end(1) if glued else cut


def _marker_value(m: re.Match[str]) -> tuple[str, int]:
    number = m.group("number")
    kind = "number" if number is not None else "letter"
    return f"{kind}{m.group('punct')}", int(number) if number is not None else ord(m.group("letter"))


def _list_items(line: str, language: str) -> tuple[list[int], list[tuple[int, int]]]:
    """Cuts before the items of a list that opens the line, and the markers no cut may fall after.

    A list opens with a marker at the start of the line ("1.", "a)", "• 9."); an item
    follows only with the next number or letter in the same style, so "am 7. November"
    or "stieg auf 102." in the text of an item start nothing.
    """
    first = _LINE_MARKER.match(line)
    if first is None:
        return [], []
    markers = [(first.start(), first.end())]
    if _DE_AFTER_ORDINAL.match(line, first.end()):  # "7. November 2023: …" is a date, not a list
        return [], markers
    style, value = _marker_value(first)
    cuts: list[int] = []
    for m in _NEXT_MARKER.finditer(line, first.end()):
        m_style, m_value = _marker_value(m)
        if m_style != style or m_value != value + 1 or _DE_AFTER_ORDINAL.match(line, m.end()):
            continue
        if language == "de" and _is_german_ordinal(line, m.end()):
            continue
        cuts.append(m.start())
        markers.append((m.start(), m.end()))
        value = m_value
    return cuts, markers


def _line_cuts(line: str, language: str) -> list[int]:
    """Offsets in ``line`` where a new sentence starts."""
    repaired = (_repair_cut(line, c, language) for c in _sentencex_cuts(language, line))
    list_cuts, markers = _list_items(line, language)
    cuts = sorted({c for c in repaired if c is not None}.union(list_cuts))
    kept: list[int] = []
    i = 0  # markers are sorted and disjoint, as are cuts: one merge pass
    for c in cuts:
        while i < len(markers) and markers[i][1] < c:
            i += 1
        if i < len(markers) and markers[i][0] < c <= markers[i][1]:
            continue  # never between a marker and its item
        kept.append(c)
    return kept


def _cut_long(text: str, start: int, end: int, max_chars: int) -> Iterator[tuple[int, int]]:
    while end - start > max_chars:
        cut = text.rfind(" ", start + max_chars // 2, start + max_chars)
        cut = start + max_chars if cut == -1 else cut
        yield start, cut
        start, end = _trim(text, cut, end)
    if start < end:
        yield start, end


def split_sentences(
    text: str,
    language: str = "en",
    *,
    start: int = 0,
    end: int | None = None,
    max_chars: int = MAX_SENTENCE_CHARS,
) -> list[Segment]:
    """Split ``text[start:end]`` into sentences whose offsets index ``text``; a line break always ends one.

    >>> [s.text for s in split_sentences("President Vladimir V. Putin of Russia is here. He spoke.")]
    ['President Vladimir V. Putin of Russia is here.', 'He spoke.']
    """
    out: list[Segment] = []
    for line_start, line_end in iter_lines(text, start, end):
        line = text[line_start:line_end]
        bounds = [0, *_line_cuts(line, language), len(line)]
        for a, b in pairwise(bounds):
            s, e = _trim(text, line_start + a, line_start + b)
            for cs, ce in _cut_long(text, s, e, max_chars):
                out.append(Segment(cs, ce, text[cs:ce], language))
    return out
