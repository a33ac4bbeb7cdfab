"""Places named in a sentence: countries (ISO alpha-2) and regions, English and German."""

from __future__ import annotations

import re
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

import claimx
from claimx.places import (
    REGIONS,
    claim_places,
    evaluate_places,
    find_places,
    place_kind,
    place_name,
    places_summary,
)
from claimx.places.data import data_text, expand, parse_rows

GOLD = Path(__file__).resolve().parent.parent / "fixtures" / "gold" / "places.tsv"

# Measured on fixtures/gold/places.tsv (109 rows, 172 places): precision 1.000, recall 1.000. The data file was
# written after reading those sentences, so the figure is in-sample; the floors leave room for data edits.
PRECISION_FLOOR = 0.97
RECALL_FLOOR = 0.97


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kazakh President Tokayev", ("KZ",)),
        ("the 102nd military base in Gyumri, Armenia", ("AM",)),
        ("die fünf zentralasiatischen Republiken", ("Central Asia",)),
        ("Moskau", ("RU",)),
        ("Es wurde festgestellt, dass sich Jerewan von Moskau distanziert.", ("AM", "RU")),
        ("the five Central Asian republics, former Russian colonies", ("Central Asia", "RU")),
    ],
)
def test_examples_from_the_issue(text: str, expected: tuple[str, ...]) -> None:
    assert find_places(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Omani officials", ("OM",)),
        ("Romanian officials", ("RO",)),  # "oman" inside "Romanian" is no word
        ("a Romanian and an Omani diplomat", ("RO", "OM")),
        ("Niger", ("NE",)),
        ("Nigeria", ("NG",)),
        ("Nigerien and Nigerian troops", ("NE", "NG")),
        ("Indiana", ("US",)),  # a US state, not India
        ("Sudanese and South Sudanese refugees", ("SD", "SS")),
        ("Russia’s army", ("RU",)),  # curly apostrophe ends the word
        ("US-armenischen Beziehungen", ("US", "AM")),  # so does a hyphen
        ("Russian-Kazakhstan relations", ("RU", "KZ")),
        ("Ukrainians", ("UA",)),
        ("Ukrainianness", ()),
    ],
)
def test_word_boundaries(text: str, expected: tuple[str, ...]) -> None:
    assert find_places(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("New Mexico and Mexico", ("US", "MX")),
        ("South Sudan", ("SS",)),
        ("Guinea-Bissau", ("GW",)),
        ("Equatorial Guinea", ("GQ",)),
        ("In West Africa", ("West Africa",)),
        ("Central Asian states", ("Central Asia",)),
        ("Asia Pacific and Asia-Pacific", ("Asia-Pacific",)),
        ("the Democratic Republic of the Congo", ("CD",)),
        ("Northern Ireland and Ireland", ("GB", "IE")),
    ],
)
def test_longest_name_wins(text: str, expected: tuple[str, ...]) -> None:
    assert find_places(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a turkey for dinner", ()),
        ("Turkey's army", ("TR",)),
        ("TURKEY AND RUSSIA", ("TR", "RU")),
        ("let us go", ()),
        ("US sanctions", ("US",)),
        ("the U.S. embassy", ("US",)),
        ("fine china", ()),
        ("Chad Smith said so", ()),  # a first name
        ("Mr. Jordan said so", ()),
        ("Chad's army", ("TD",)),
        ("Chad President Mahamat Déby", ("TD",)),
        ("Der russischen Regierung", ("RU",)),
        ("Russische Truppen", ("RU",)),
    ],
)
def test_case_and_first_names(text: str, expected: tuple[str, ...]) -> None:
    assert find_places(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("die kasachische Regierung", ("KZ",)),
        ("Russlands Präsenz", ("RU",)),
        ("die Vereinigten Staaten", ("US",)),
        ("das Vereinigte Königreich", ("GB",)),
        ("von Armeniern besiedelt", ("AM",)),
        ("die Armenier", ("AM",)),
        ("im Nahen Osten", ("Middle East",)),
        ("im Südkaukasus", ("South Caucasus",)),
        ("der nicaraguanischen Armee und dem burkinischen Minister", ("NI", "BF")),
        ("dem Kreml nahestehend", ("RU",)),
    ],
)
def test_german_forms(text: str, expected: tuple[str, ...]) -> None:
    assert find_places(text) == expected


def test_ambiguous_names_are_left_out_or_resolved() -> None:
    assert find_places("Korea") == ()  # pycountry gives it to KR and KP
    assert find_places("South Korea and North Korea") == ("KR", "KP")
    assert find_places("Congo") == ()  # CG or CD: blocked by the data file
    assert find_places("DR Congo and Congo-Brazzaville") == ("CD", "CG")
    assert find_places("the Indian Ocean") == ()
    assert find_places("Atlanta, Georgia") == ()  # the US state
    assert find_places("Tbilisi, Georgia") == ("GE",)
    assert find_places("the Washington Post reported") == ()


def test_language_scoped_names() -> None:
    assert find_places("Island in the sun") == ()
    assert find_places("Island ist eine Insel", language="de") == ("IS",)
    assert find_places("La France et l'Allemagne", language="fr") == ("FR", "DE")
    assert find_places("l'Allemagne") == ()  # French names only when the text is French


def test_order_of_first_mention_and_no_duplicates() -> None:
    text = "Mali, then Russia, then Bamako and the Malian army, then Moscow and Central Asia, then Kazakhstan."
    assert find_places(text) == ("ML", "RU", "Central Asia", "KZ")


def test_empty_and_placeless_text() -> None:
    assert find_places("") == ()
    assert find_places("Share. Leave a reply.") == ()


def test_linear_in_text_length() -> None:
    sentence = "Russia’s influence is waning in Central Asia, as Kazakh and Uzbek leaders court the West. "
    find_places(sentence)  # build the index once
    small, big = sentence * 1_000, sentence * 10_000
    t0 = time.perf_counter()
    find_places(small)
    t1 = time.perf_counter()
    assert find_places(big) == ("RU", "Central Asia", "KZ", "UZ")
    t2 = time.perf_counter()
    assert t2 - t1 < 5.0, f"{len(big):,} characters took {t2 - t1:.1f} s"
    assert (t2 - t1) < 30 * max(t1 - t0, 1e-3)  # ten times the text, not a hundred times the time
    # Near-misses everywhere: every position starts a name that fails late.
    t3 = time.perf_counter()
    find_places("Guinea-Bissa " * 50_000 + "Democratic Republic of the Cong " * 20_000)
    assert time.perf_counter() - t3 < 5.0


def test_data_file_is_consistent() -> None:
    text = data_text()
    assert "Sources" in text and "pycountry" in text  # the header names where the names come from
    rows = parse_rows(text)
    seen: dict[tuple[str, str], str] = {}
    import pycountry

    for row in rows:
        if re.fullmatch(r"[A-Z]{2}", row.place):
            assert row.place == "XK" or pycountry.countries.get(alpha_2=row.place), row
        for raw in row.names:
            for form in expand(raw):
                key = (form.lower(), row.scope)
                assert seen.setdefault(key, row.place) == row.place, f"{form!r} names {seen[key]} and {row.place}"
    assert {
        "Central Asia",
        "South Caucasus",
        "Sahel",
        "Middle East",
        "Latin America",
        "Balkans",
        "Baltic",
        "Arctic",
        "Africa",
        "Europe",
        "Asia-Pacific",
    } <= set(REGIONS)


def test_names_and_kinds() -> None:
    assert (place_name("KZ"), place_name("RU"), place_name("KR"), place_name("XK")) == (
        "Kazakhstan",
        "Russia",
        "South Korea",
        "Kosovo",
    )
    assert place_kind("AM") == "country" and place_kind("Sahel") == "region"
    assert place_name("Sahel") == "Sahel"


def test_gold_precision_and_recall() -> None:
    result = evaluate_places(GOLD)
    assert result.rows >= 100
    assert result.by_group["de"][2] >= 25, "the gold file must cover German sentences"
    assert result.precision >= PRECISION_FLOOR, result.format()
    assert result.recall >= RECALL_FLOOR, result.format()


def test_evaluation_counts_misses_and_extras(tmp_path: Path) -> None:
    gold = tmp_path / "g.tsv"
    gold.write_text(
        "# comment\ndoc\ttext\tplaces\n"
        "a\tRussia and Mali.\tRU,ML\n"
        "b\tMoscow and Paris.\tRU\n"  # Paris (FR) is found but not in the gold: an extra
        "c\tNothing here.\tAM\n",  # a miss
        encoding="utf-8",
    )
    result = evaluate_places(gold)
    assert (result.true_positives, result.predicted, result.gold) == (3, 4, 4)
    assert result.precision == pytest.approx(0.75) and result.recall == pytest.approx(0.75)
    assert [e[0] for e in result.errors] == ["b", "c"]


def test_places_summary_counts_and_net_stance() -> None:
    claims = [
        SimpleNamespace(label=claimx.Label.RUSSIAN_GAIN, text="Russia opened a base in Mali."),
        SimpleNamespace(label="russian_loss", text="Mali expelled Russian advisers."),
        SimpleNamespace(label="russian_loss", text="Kazakhstan turned to the West."),
        SimpleNamespace(label="neutral", text="Nothing about places."),
        SimpleNamespace(label="russian_gain", places=("KZ", "Central Asia"), text="ignored when places are given"),
    ]
    df = places_summary(claims)
    assert "RU" not in df.index  # the actor is left out by default
    assert list(df.columns) == ["name", "kind", "russian_gain", "russian_loss", "neutral", "total", "net_stance"]
    assert df.loc["ML", ["russian_gain", "russian_loss", "neutral", "total"]].tolist() == [1, 1, 0, 2]
    assert df.loc["ML", "net_stance"] == 0.0
    assert df.loc["KZ", "total"] == 2 and df.loc["KZ", "net_stance"] == 0.0
    assert df.loc["Central Asia", "kind"] == "region" and df.loc["Central Asia", "net_stance"] == 1.0
    with_russia = places_summary(claims, exclude=())
    assert with_russia.loc["RU", "total"] == 2 and with_russia.loc["RU", "net_stance"] == 0.0
    assert places_summary([]).empty


def test_places_summary_accepts_claimx_claims() -> None:
    claim = claimx.Claim(
        doc_id="d",
        sentence_index=0,
        text="Russland verliert Einfluss in Armenien.",
        text_en="Russia is losing influence in Armenia.",
        language="de",
        start=0,
        end=39,
        label=claimx.Label.RUSSIAN_LOSS,
        score=0.8,
        scores={"russian_loss": 0.8},
        translated=True,
        models=("m",),
    )
    df = places_summary([claim])
    assert df.loc["AM", "russian_loss"] == 1 and df.loc["AM", "net_stance"] == -1.0


def test_claim_places_uses_the_translation_too() -> None:
    claim = SimpleNamespace(text="Rosja traci wpływy.", text_en="Russia is losing influence in Georgia.", language="pl")
    assert claim_places(claim) == ("RU", "GE")


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("Moscou renforce sa présence au Mali, selon le Kremlin.", "fr", ("RU", "ML")),
        ("L'armée russe et les troupes ukrainiennes se font face.", "fr", ("RU", "UA")),
        ("La Russie et la Chine signent un accord à Pékin.", "fr", ("RU", "CN")),
        ("Moscú refuerza su presencia en Siria, según el Kremlin.", "es", ("RU", "SY")),
        ("El ejército ruso y las tropas ucranianas en Rusia.", "es", ("RU", "UA")),
        ("Los rusos y los chinos firmaron en Pekín.", "es", ("RU", "CN")),
    ],
)
def test_french_and_spanish_names_and_adjectives(text, language, expected):
    assert find_places(text, language=language) == expected


@pytest.mark.parametrize("text", ["Russia's Africa Corps deployed to Mali.", "Das Afrikakorps in Mali.",
                                  "Russlands Afrika-Korps ist in Mali."])  # fmt: skip
def test_the_africa_corps_is_not_the_region_africa(text):
    assert "Africa" not in find_places(text) and "ML" in find_places(text)


def test_french_and_spanish_rows_block_no_english_or_german_name():
    assert find_places("China and Armenia; Chinas Armee in Syrien und Libyen.") == ("CN", "AM", "SY", "LY")
    assert find_places("China y Armenia", language="es") == ("CN", "AM")
