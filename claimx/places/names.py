"""What a place is called and what kind it is; the region inventory."""

from __future__ import annotations

import re

from .data import display_names, rows

REGIONS: tuple[str, ...] = tuple(dict.fromkeys(row.place for row in rows() if row.kind == "region"))
"""The region inventory, in data-file order."""


def place_kind(place: str) -> str:
    """``"country"`` for an ISO code, ``"region"`` for a region name.

    >>> place_kind("KZ"), place_kind("Central Asia")
    ('country', 'region')
    """
    return "country" if re.fullmatch(r"[A-Z]{2}", place) else "region"


def place_name(place: str) -> str:
    """A readable name: "KZ" -> "Kazakhstan", "RU" -> "Russia"; regions are their own name.

    >>> place_name("KZ"), place_name("RU"), place_name("Sahel")
    ('Kazakhstan', 'Russia', 'Sahel')
    """
    if place_kind(place) == "region":
        return place
    display = display_names().get(place)
    if display:
        return display
    import pycountry

    country = pycountry.countries.get(alpha_2=place)
    if country is None:
        return place
    name = getattr(country, "common_name", None) or country.name
    return re.sub(r"\s*\([^)]*\)", "", name.split(",")[0]).strip()
