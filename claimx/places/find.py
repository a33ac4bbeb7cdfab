"""Finding places in a text: the index's matches, less the ones that are people or another Georgia."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from typing import Any

from .index import key, name_index

_BLOCK = "-"  # the place of a name the data file blocks
# Country names that are also first names: "Chad Smith" is a man, "Chad President Déby" a country.
_FIRST_NAMES = frozenset(
    {"chad", "jordan", "georgia", "santiago", "sofia", "victoria", "kingston", "wellington", "jersey", "aden"}
)
# Words that may follow a country name without making it a person's name.
_TITLE_WORDS = frozenset(
    """president prime premier minister ministry foreign defence defense interior army armed air navy naval
    military forces government parliament embassy ambassador king queen crown prince emir sultan state republic
    national river valley basin lake sea gulf coast border airport city capital province region authorities
    officials troops police court council senate congress people leader leaders junta regime central bank""".split()
)
_HONORIFIC_BEFORE = re.compile(r"\b(?:Mr|Mrs|Ms|Dr|Miss|Mx)\.?\s+$")
_NEXT_WORD = re.compile(r"\s+([A-ZÀ-ÖØ-Þ][\w'’-]*)")
_US_GEORGIA = re.compile(
    r"\b(?:Atlanta|Savannah|Peach State|state of Georgia|Georgia,\s+U\.?S|U\.?S\.? state|Georgia\s+(?:Tech|Bulldogs))\b"
)


def _case_ok(form: str, matched: str) -> bool:
    letters = [ch for ch in form if ch.isalpha()]
    if not letters:
        return True
    if all(ch.isupper() for ch in letters):  # "US", "UK", "U.S."
        return [ch for ch in matched if ch.isalpha()] == letters
    if form[:1].islower():  # German adjectives: "russischen", "Russischen"
        return True
    return matched[:1].isupper()


def _is_person(text: str, start: int, end: int, k: str, regex: re.Pattern[str]) -> bool:
    if _HONORIFIC_BEFORE.search(text, max(0, start - 6), start):
        return True
    if k not in _FIRST_NAMES:
        return False
    nxt = _NEXT_WORD.match(text, end)
    if not nxt:
        return False
    word = nxt.group(1)
    if word.lower().rstrip("'’s") in _TITLE_WORDS or regex.match(text, nxt.start(1)):
        return False
    return True


def _matches(text: str, language: str) -> Iterator[tuple[int, int, str]]:
    index = name_index(language)
    for m in index.regex.finditer(text):
        matched = m.group()
        k = key(matched)
        candidates = index.names.get(k)
        if candidates is None:
            continue
        name = next((n for n in candidates if _case_ok(n.form, matched)), None)
        if name is None or name.place == _BLOCK:
            continue
        if _is_person(text, m.start(), m.end(), k, index.regex):
            continue
        if name.place == "GE" and k == "georgia" and _US_GEORGIA.search(text):
            continue
        yield m.start(), m.end(), name.place


def find_places(text: str, *, language: str | None = None) -> tuple[str, ...]:
    """Countries (ISO alpha-2) and regions named in ``text``, in order of first mention.

    ``language`` (ISO 639-1), when known, adds that language's country names from pycountry
    (fr, es, it, pl, pt, nl) and names that only mean a place in it (German "Island").

    >>> find_places("Niger and Nigeria, not the turkey on the table; Turkey's army.")
    ('NE', 'NG', 'TR')
    """
    if not text:
        return ()
    lang = (language or "").lower().split("-")[0]
    if lang in ("", "und"):
        lang = ""
    return tuple(dict.fromkeys(place for _, _, place in _matches(text, lang)))


def sentence_places(text: str, language: str | None, text_en: str | None = None) -> tuple[str, ...]:
    """Places named in a sentence, searching its English translation too when there is one.

    >>> sentence_places("Moskau schickt Truppen nach Mali.", "de")
    ('RU', 'ML')
    """
    found = list(find_places(text, language=language))
    if text_en and text_en != text:
        found += find_places(text_en, language="en")
    return tuple(dict.fromkeys(found))


def claim_places(claim: Any) -> tuple[str, ...]:
    """A claim's places: its ``places`` if it has any, else found in its text (and translation).

    An empty or missing ``places`` is looked up again, so claims read from files written before
    claims carried places get them too (the lookup is cheap). The English translation is searched
    as well when it differs from the text, so a sentence in a language without names in the data
    still gets places; the original text's come first.
    """
    places = getattr(claim, "places", None)
    if places:
        return tuple(places)
    return sentence_places(
        getattr(claim, "text", "") or "", getattr(claim, "language", None), getattr(claim, "text_en", None)
    )


@functools.cache
def actor_countries(actor: str) -> tuple[str, ...]:
    """The countries an actor's name names, left out of place figures about that actor.

    >>> actor_countries("Russia"), actor_countries("China"), actor_countries("NATO")
    (('RU',), ('CN',), ())
    """
    return tuple(p for p in find_places(actor) if re.fullmatch(r"[A-Z]{2}", p))
