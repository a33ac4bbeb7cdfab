"""Sentence splitting with exact character offsets.

Text is cut into lines first (on news pages a line break ends a headline, a
caption or a paragraph, which splitters tend to glue onto the next sentence),
then each line is split by sentencex, a multilingual rule-based splitter that
reports offsets. sentencex is preferred over pysbd: pysbd can hang on long
numeric tokens and re-finds its spans by searching, which misplaces repeated
sentences. One repair is applied on top: German ordinals ("die 102.
Militärbasis") that sentencex takes for a sentence end are joined back.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .types import UNDETERMINED, Segment

MAX_SENTENCE_CHARS = 1000
"""Longer "sentences" (tables, run-on text) are cut at whitespace into pieces of at most this."""

_LINE = re.compile(r"[^\n\r\u2028\u2029]+")
# A German ordinal stands after an article, a pronoun or a contracted preposition:
# "am 7.", "die 102.", "zum 3.". A bare count at a sentence end ("stieg auf 102.") does not.
_DE_ORDINAL_END = re.compile(
    r"(?:^|\s)(?:am|im|vom|zum|beim|bis\s+zum|der|die|das|den|dem|des|ein|eine|einer|einem|"
    r"seine[mnrs]?|ihre[mnrs]?|unsere[mnrs]?|jede[mnrs]?)\s+\d{1,3}\.\s*$",
    re.IGNORECASE,
)
_DE_MONTH_START = re.compile(
    r"^(?:Januar|Jänner|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember)\b"
)


def iter_lines(text: str, start: int = 0) -> Iterator[tuple[int, int]]:
    """Yield ``(start, end)`` of every non-blank line, whitespace trimmed."""
    for m in _LINE.finditer(text, start):
        s, e = _trim(text, m.start(), m.end())
        if s < e:
            yield s, e


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and (text[start].isspace() or text[start] in "\ufeff\u200b"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in "\ufeff\u200b"):
        end -= 1
    return start, end


def _sentencex_spans(language: str, text: str) -> list[tuple[int, int]]:
    import sentencex

    lang = "en" if language == UNDETERMINED else language
    return [
        (b["start_index"], b["end_index"])
        for b in sentencex.get_sentence_boundaries(lang, text)
        if not b["is_paragraph_break"]
    ]


def _join_german_ordinals(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in spans:
        if out and (
            _DE_ORDINAL_END.search(text[out[-1][0] : out[-1][1]])
            or (_DE_MONTH_START.match(text[s:e]) and re.search(r"\d{1,2}\.\s*$", text[out[-1][0] : out[-1][1]]))
        ):
            out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


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
    """Split ``text[start:end]`` into sentences whose offsets index ``text``.

    >>> [s.text for s in split_sentences("President Vladimir V. Putin of Russia is here. He spoke.")]
    ['President Vladimir V. Putin of Russia is here.', 'He spoke.']
    """
    end = len(text) if end is None else end
    piece = text[start:end]
    spans = _sentencex_spans(language, piece)
    if language == "de":
        spans = _join_german_ordinals(piece, spans)
    out: list[Segment] = []
    for s, e in spans:
        s, e = _trim(text, start + s, start + e)
        for cs, ce in _cut_long(text, s, e, max_chars):
            out.append(Segment(cs, ce, text[cs:ce], language))
    return out
