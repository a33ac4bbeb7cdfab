"""Every name a text can use, compiled into one trie-shaped regular expression per text language.

Names come from pycountry (English, German, and the text's language when it is one of
:data:`EXTRA_LANGUAGES`) and from the data file, which wins where both name a place.
"""

from __future__ import annotations

import functools
import gettext
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from .data import ALWAYS, expand, german_variants, rows

EXTRA_LANGUAGES = ("fr", "es", "it", "pl", "pt", "nl")
"""pycountry locales whose country names are used when ``language`` names one of them."""

_APOSTROPHES = "'’‘`´ʼ"
_HYPHENS = "-‐‑‒–"  # hyphen, non-breaking hyphen, figure dash, en dash
_SPACE_CLASS = r"[\s" + re.escape(_HYPHENS) + "]+"
_SPACE_RUN = re.compile(_SPACE_CLASS)
_ALNUM_BEFORE = r"(?<![^\W_])"
_ALNUM_AFTER = r"(?![^\W_])"


@dataclass(frozen=True, slots=True)
class Name:
    form: str  # as written in the data (its case decides which matches count)
    place: str


@dataclass
class Index:
    """``regex`` finds every name as a whole word; ``names`` maps a match's :func:`key` to its readings."""

    regex: re.Pattern[str]
    names: dict[str, list[Name]]


def key(text: str) -> str:
    """What a name and a matched span are compared by: lowercase, one apostrophe, one space."""
    text = text.lower()
    for ch in _APOSTROPHES[1:]:
        text = text.replace(ch, "'")
    return _SPACE_RUN.sub(" ", text)


def _strip_accents(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name)
    return unicodedata.normalize("NFC", "".join(ch for ch in decomposed if not unicodedata.combining(ch)))


def _pycountry_names(language: str) -> Iterator[tuple[str, str]]:
    """(code, name) for every country in pycountry, in ``language`` ("en" = the source strings)."""
    import pycountry

    translate = (
        (lambda s: s)
        if language == "en"
        else gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True).gettext
    )
    for country in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            value = getattr(country, attr, None)
            if not value:
                continue
            name = re.sub(r"\s*\([^)]*\)", "", translate(value)).strip()  # "Holy See (Vatican City State)"
            if "," in name:  # "Korea, Republic of" -> "Korea"
                name = name.split(",")[0].strip()
            if name.lower().startswith("the "):
                name = name[4:]
            yield country.alpha_2, name


def _us_states() -> Iterator[str]:
    import pycountry

    for sub in pycountry.subdivisions.get(country_code="US") or ():
        if sub.type in ("State", "District") and sub.name != "Georgia":
            yield sub.name


@functools.cache
def name_index(language: str) -> Index:
    """Names for a text in ``language`` ("" = unknown): English, German and the data file always."""
    derived: dict[str, set[tuple[str, str]]] = defaultdict(set)  # key -> {(form, place)}
    languages = ["en", "de"] + ([language] if language in EXTRA_LANGUAGES else [])
    for lang in languages:
        for code, name in _pycountry_names(lang):
            for variant in german_variants(name) if lang == "de" else [name]:
                derived[key(variant)].add((variant, code))
    for state in _us_states():
        derived[key(state)].add((state, "US"))
    names: dict[str, list[Name]] = {}
    for k, entries in derived.items():
        if len({place for _, place in entries}) == 1:  # a name pycountry gives two countries says nothing
            names[k] = [Name(form, place) for form, place in sorted(entries)]
    curated: dict[str, list[Name]] = defaultdict(list)
    out_of_scope: set[str] = set()
    for row in rows():
        for raw in row.names:
            for form in expand(raw):
                german = row.language in ("de", "*") and not raw.endswith("*")
                for variant in german_variants(form) if german else [form]:
                    if row.scope in (ALWAYS, language):
                        curated[key(variant)].append(Name(variant, row.place))
                    else:  # German "Island" is not Iceland in an English text
                        out_of_scope.add(key(variant))
    for k in out_of_scope - curated.keys():
        names.pop(k, None)
    names.update(curated)  # the data file wins over pycountry, blocks included
    for k, found in list(names.items()):
        plain = key(_strip_accents(k))
        if plain != k and plain not in names:
            names[plain] = [Name(_strip_accents(n.form), n.place) for n in found]
    return Index(_compile(names), names)


def _compile(names: Mapping[str, list[Name]]) -> re.Pattern[str]:
    trie: dict[str, Any] = {}
    for k in names:
        node = trie
        for ch in k:
            node = node.setdefault(ch, {})
        node[""] = True
    return re.compile(_ALNUM_BEFORE + _trie_pattern(trie) + _ALNUM_AFTER, re.IGNORECASE)


def _unit(ch: str) -> str:
    if ch == " ":
        return _SPACE_CLASS
    if ch == "'":
        return "[" + re.escape(_APOSTROPHES) + "]"
    return re.escape(ch)


def _trie_pattern(node: Mapping[str, Any]) -> str:
    children = [_unit(ch) + _trie_pattern(child) for ch, child in sorted(node.items()) if ch]
    if not children:
        return ""
    body = children[0] if len(children) == 1 else "(?:" + "|".join(children) + ")"
    return f"(?:{body})?" if "" in node else body
