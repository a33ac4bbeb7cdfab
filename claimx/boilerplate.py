"""Page boilerplate: what a scraped news page carries besides the article.

Works on plain text, line by line, in the spirit of jusText (which needs HTML):
a line is dropped when it is known page furniture (share buttons, comment
forms, copyright, image credits, navigation), a truncated teaser, too short to
state anything, or a repeat of an earlier line. Once a trailing section starts
(comments, "You may also like", "Sources:"), every line after it is dropped
too. Nothing is lost: each dropped line is returned with its reason.

A leading ``date YYYY-MM-DD`` stamp is not text either; :func:`split_prelude`
moves it into document metadata.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

MIN_WORDS = 4
"""Lines with fewer words are navigation or labels, not claims."""

# Whole-line furniture, English and German; matched case-insensitively against the
# whole line (trailing punctuation ignored).
_FURNITURE = [
    r"share( this( article| story| post)?)?( on \w+)?",
    r"(leave|post|write|add) a (reply|comment)",
    r"click (here )?to comment",
    r"\d*\s*comments?",
    r"exit mobile version",
    r"connect with us",
    r"follow us( on [\w ]+)?",
    r"hi, what are you looking for\??",
    r"(search|menu|home|print|email|tweet|whatsapp|facebook|telegram|linkedin)",
    r"(subscribe|sign up)( to| for)?( our)?( \w+)?( newsletter)?",
    r"(advertisement|sponsored( content)?|anzeige|werbung)",
    r"skip to (main )?content",
    r"(read|see) (more|also)",
    r"(you may|you might) also like",
    r"(related|more) (articles|posts|stories|news|from \w+)",
    r"(top|latest|trending|breaking|most read|popular) (news|stories|posts)",
    r"(teilen|kommentare?|weiterlesen|mehr zum thema|lesen sie auch|impressum|datenschutz)",
    r"your email address will not be published.*",
    r"required fields are marked.*",
]
_FURNITURE_RE = re.compile(r"^(?:" + "|".join(_FURNITURE) + r")[\s.:!*]*$", re.IGNORECASE)

# Furniture recognised by a phrase anywhere in the line.
_FURNITURE_ANYWHERE = re.compile(
    r"(copyright\s*©|©\s*\d{4}|all rights reserved|alle rechte vorbehalten|"
    r"(image|photo|picture|cover image|header image|featured image) credits?\s*:|"
    r"\b(photo|foto|bild|bildquelle|quelle)\s*:\s*\S+\s*/|getty images|"
    r"symbolbild|this article (was|is) (originally )?published|cookies? (policy|settings))",
    re.IGNORECASE,
)

# Headings that open a trailing section: everything from here on is not the article.
_SECTION_END = re.compile(
    r"^(?:(leave|post) a (reply|comment)|click (here )?to comment|\d*\s*comments?|"
    r"(you may|you might) also like|related( articles| posts| stories)?|more from \w+|"
    r"(sources?|quellen?|references|einzelnachweise)|"
    r"(top|latest|trending|most read) (news|stories))[\s.:!]*$",
    re.IGNORECASE,
)

# Scripts written without spaces between words (CJK, Thai, Lao, Khmer, Myanmar): about
# two characters a word, so a short Chinese sentence is not mistaken for a fragment.
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff]")

_SEE_ALSO = re.compile(r"^(see also|read also|read more|lesen sie auch|mehr zum thema)\b", re.IGNORECASE)
_TEASER_END = re.compile(r"(\.\.\.|…)\s*$")
_DATE_PRELUDE = re.compile(r"^\s*date\s*:?\s+(\d{4}-\d{2}-\d{2})\b[ \t]*", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Verdict:
    """Whether a line is kept, and why not.

    Attributes:
        keep: True for article text.
        reason: Why it was dropped (empty when kept).
    """

    keep: bool
    reason: str = ""


KEEP = Verdict(True)


def split_prelude(text: str) -> tuple[int, dict[str, str]]:
    """Find a leading ``date YYYY-MM-DD`` stamp.

    Returns the offset where the article text starts and the metadata found.

    >>> split_prelude(" date 2023-11-09 Russia is facing challenges.")
    (17, {'date': '2023-11-09'})
    """
    m = _DATE_PRELUDE.match(text)
    if not m:
        return 0, {}
    return m.end(), {"date": m.group(1)}


def normalise_for_comparison(text: str) -> str:
    """Case-, width-, quote- and whitespace-insensitive key used to spot repeats."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = re.sub(r"[\u2018\u2019\u201a\u201b\u2032`´]", "'", text)
    text = re.sub(r"[\u201c\u201d\u201e\u201f\u2033«»]", '"', text)
    return " ".join(text.split())


def word_count(text: str) -> int:
    """Words in ``text``, counting unspaced scripts at about two characters a word.

    >>> word_count("Russia loses ground fast."), word_count("俄罗斯在中亚的影响力正在下降。")
    (4, 8)
    """
    unspaced = len(_UNSPACED.findall(text))
    spaced = len(_UNSPACED.sub(" ", text).split())
    return spaced + unspaced // 2


def judge_text(text: str) -> Verdict:
    """Judge one line or sentence on its own content."""
    stripped = text.strip()
    if _FURNITURE_RE.match(stripped):
        return Verdict(False, "page furniture")
    if _FURNITURE_ANYWHERE.search(stripped):
        return Verdict(False, "credit or copyright line")
    if _SEE_ALSO.match(stripped):
        return Verdict(False, "link to another article")
    if _TEASER_END.search(stripped):
        return Verdict(False, "truncated teaser")
    if word_count(stripped) < MIN_WORDS:
        return Verdict(False, f"fewer than {MIN_WORDS} words")
    return KEEP


class BoilerplateFilter:
    """Judges the lines of one document in order (it remembers what it has seen).

    >>> f = BoilerplateFilter()
    >>> [f.judge_line(s).reason for s in ["Russia signs a pact with Mali.", "Share.", "Russia signs a pact with Mali."]]
    ['', 'page furniture', 'duplicate of an earlier line']
    """

    def __init__(self) -> None:
        self._seen: set[str] = set()
        self._seen_sentences: set[str] = set()
        self._kept_lines = 0
        self._in_trailer = False

    def judge_line(self, line: str) -> Verdict:
        stripped = line.strip()
        if self._in_trailer:
            return Verdict(False, "after the end of the article")
        if self._kept_lines and _SECTION_END.match(stripped):
            self._in_trailer = True
            return Verdict(False, "start of a trailing section")
        verdict = judge_text(stripped)
        if verdict.keep:
            key = normalise_for_comparison(stripped)
            if key in self._seen:
                return Verdict(False, "duplicate of an earlier line")
            self._seen.add(key)
            self._kept_lines += 1
        return verdict

    def judge_sentence(self, sentence: str) -> Verdict:
        """Judge a sentence inside a kept line: furniture and repeats only."""
        stripped = sentence.strip()
        if _FURNITURE_RE.match(stripped) or _FURNITURE_ANYWHERE.search(stripped):
            return Verdict(False, "page furniture")
        key = normalise_for_comparison(stripped)
        if key in self._seen_sentences:
            return Verdict(False, "duplicate of an earlier sentence")
        self._seen_sentences.add(key)
        return KEEP


def judge_lines(lines: Iterable[str]) -> list[Verdict]:
    """Judge the lines of one document, in order."""
    f = BoilerplateFilter()
    return [f.judge_line(line) for line in lines]
