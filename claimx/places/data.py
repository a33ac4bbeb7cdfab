"""The data file ``claimx/data/places.tsv``: its rows, and the name forms one row stands for."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources

DATA_FILE = "data/places.tsv"
"""The data file, relative to the ``claimx`` package."""

ALWAYS = ""
"""The scope of a row whose names count in every text."""

_GERMAN_ENDINGS = ("", "e", "en", "er", "es", "em")
# A capitalised adjective inside a German name ("Vereinigtes", "Russische", "Plurinationaler"): its stem.
_ADJECTIVE = re.compile(r"^([A-ZÄÖÜ]\w*(?:isch|igt|iert|iv|al|ig|lich))(?:e|es|er|en|em)$")


@dataclass(frozen=True, slots=True)
class Row:
    """One line of the data file.

    Attributes:
        place: An ISO alpha-2 code, a region's name, or ``-`` (the names are blocked).
        language: ``"en"``, ``"de"`` or ``"*"``: German rows get the German inflections.
        scope: :data:`ALWAYS`, or the only language whose texts use the row (``de!`` in the file).
        kind: What the names are: ``name``, ``display``, ``demonym``, ``region``, ``city``, ``block``, ...
        names: The names as written, before :func:`expand`.
    """

    place: str
    language: str
    scope: str
    kind: str
    names: tuple[str, ...]


def data_text() -> str:
    return resources.files("claimx").joinpath(DATA_FILE).read_text(encoding="utf-8")


def parse_rows(text: str) -> list[Row]:
    rows = []
    header_seen = False
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if not header_seen:
            header_seen = True
            if parts[0] == "place":
                continue
        if len(parts) != 4:
            raise ValueError(f"{DATA_FILE} line {number}: expected 4 tab-separated columns, got {len(parts)}: {line!r}")
        place, language, kind, names = (p.strip() for p in parts)
        scope = language[:-1] if language.endswith("!") else ALWAYS
        names_ = tuple(n.strip() for n in names.split(",") if n.strip())
        rows.append(Row(place, language.rstrip("!"), scope, kind, names_))
    return rows


@functools.cache
def rows() -> tuple[Row, ...]:
    """The data file's rows, read once."""
    return tuple(parse_rows(data_text()))


@functools.cache
def display_names() -> dict[str, str]:
    """``{place: name}`` from the ``display`` rows ("RU" -> "Russia")."""
    out: dict[str, str] = {}
    for row in rows():
        if row.kind == "display" and row.names:
            out.setdefault(row.place, row.names[0])
    return out


def expand(name: str) -> list[str]:
    """``Russe(n)`` -> Russe, Russen; ``russisch*`` -> russisch, russische, ...

    >>> expand("Armenier(n|in|innen)")
    ['Armenier', 'Armeniern', 'Armenierin', 'Armenierinnen']
    >>> expand("russisch*")[:3]
    ['russisch', 'russische', 'russischen']
    """
    if name.endswith("*"):
        return [name[:-1] + ending for ending in _GERMAN_ENDINGS]
    m = re.fullmatch(r"(.*?)\(([^()]*)\)", name)
    if m:
        stem, alternatives = m.groups()
        return list(dict.fromkeys([stem, *(stem + option for option in alternatives.split("|"))]))
    return [name]


def german_variants(name: str) -> list[str]:
    """Genitive -s and the declined forms of a multi-word German name.

    >>> german_variants("Vereinigtes Königreich")[:3]
    ['Vereinigtes Königreich', 'Vereinigte Königreich', 'Vereinigten Königreich']
    >>> german_variants("Russland")
    ['Russland', 'Russlands']
    """
    out = [name]
    words = name.split(" ")
    stems = [_ADJECTIVE.match(w) if i < len(words) - 1 else None for i, w in enumerate(words)]
    if any(stems):
        for ending in _GERMAN_ENDINGS[1:]:
            declined = [m.group(1) + ending if m else w for w, m in zip(words, stems, strict=True)]
            out.append(" ".join(declined))
    if name[-1:].isalpha() and name[-1] not in "sßxzSXZe" and name[:1].isupper():
        out += [v + "s" for v in list(out)]
    return list(dict.fromkeys(out))
