"""Places a sentence names: countries as ISO 3166-1 alpha-2 codes, and named regions.

>>> find_places("Kazakh President Tokayev met officials in Gyumri, Armenia.")
('KZ', 'AM')
>>> find_places("Moskau umwirbt die fünf zentralasiatischen Republiken.")
('RU', 'Central Asia')

Names come from kept data, not a hand-typed country list: :mod:`pycountry` gives every
country's name, official name and common name in English and, through its gettext locales, in
German (and French, Spanish, Italian, Polish, Portuguese and Dutch when ``language`` says the
text is in one of them); ``claimx/data/places.tsv`` adds what pycountry lacks: demonyms and
adjectives (with German inflections; French and Spanish ones for Russia, "Moscou", "russe",
"Moscú", "ruso", and the countries most named beside it), capitals and cities in the news, seats of government
("the Kremlin"), older names ("Turkey", "Burma") and the region inventory (``REGIONS``).

All names are compiled into one regular expression shaped like a trie, so a text is scanned
once, in time linear in its length; at each position the longest name wins ("South Sudan"
over "Sudan", "Guinea-Bissau" over "Guinea"). A name counts only as a whole word: not preceded
or followed by a letter or digit ("Niger" is not found in "Nigeria", "Oman" not in
"Romanian"); a hyphen or an apostrophe ends a word ("US-armenischen", "Russia's").

Case: a capitalised name ("Chad", "Turkey", "China") is found only with a capital first letter
(so "turkey", "china", "chad" are not places); an all-capitals name ("US", "UK") only in
capitals ("us" is not); a lowercase German adjective ("russischen") in any case.

Ambiguity, handled cheaply:

* a name that pycountry gives to two countries is dropped ("Korea", "Virgin Islands"), and the
  data file blocks a few more ("Congo": CG or CD; "Indian Ocean"; "George Washington");
* a country name that is also a first name ("Chad", "Jordan", "Georgia", "Santiago", ...) is not a
  place when a capitalised word that is not a title follows ("Chad Smith", but "Chad President
  Déby" and "Chad's army" are places) or "Mr", "Ms", "Mrs" or "Dr" comes before it;
* "Georgia" is not GE when the text also names a US-state cue (Atlanta, Savannah, "state of
  Georgia", "U.S. state").

Not handled (the data cannot tell; a parser or a gazetteer with context would): "Turkey" or
"China" capitalised at the start of a sentence about food or porcelain; "Chad said" about a man
named Chad; "Israel Katz" (a first name missing from the short list above is read as the country);
"Georgia" the US state without a cue word; "Jordan" the surname; language names
("in French", "Spanish-language") read as the country; "Macedonian" the Greek region;
"Brussels" meaning the EU (it is BE here), "Washington" meaning the state; "Tripoli" is LY, not
the Lebanese city. Organisations (EU, NATO, CIS) and historical states (Soviet Union) are not
places, but a place named inside a name counts ("China Daily" -> CN, "Europäische Union" -> Europe);
Russia's "Africa Corps" (Afrikakorps) is a unit, not the region Africa; "the West" is not a region.

Russia is found like any country (``RU``); :func:`places_summary` and the report leave out the
claims' actor's country (:func:`actor_countries`: Russia's, unless ``LabelConfig(actor=...)`` says otherwise).

Layout: ``data`` (the data file's rows and name forms), ``index`` (all names, compiled per text
language), ``find`` (:func:`find_places` and the person and Georgia checks), ``names``
(:data:`REGIONS`, :func:`place_name`, :func:`place_kind`), ``summary`` (:func:`places_summary`),
``evaluation`` (:func:`evaluate_places`, ``python -m claimx.places GOLD.tsv``).
"""

from .data import DATA_FILE
from .evaluation import PlacesEvaluation, evaluate_places, load_places_gold, main
from .find import actor_countries, claim_places, find_places, sentence_places
from .index import EXTRA_LANGUAGES
from .names import REGIONS, place_kind, place_name
from .summary import places_summary

__all__ = [
    "DATA_FILE",
    "EXTRA_LANGUAGES",
    "REGIONS",
    "PlacesEvaluation",
    "actor_countries",
    "claim_places",
    "evaluate_places",
    "find_places",
    "load_places_gold",
    "main",
    "place_kind",
    "place_name",
    "places_summary",
    "sentence_places",
]
