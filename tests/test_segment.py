import pytest

from claimx.segment import iter_lines, split_sentences
from tests.growth import growth_ratio


def texts(text, lang="en"):
    return [s.text for s in split_sentences(text, lang)]


def test_initials_do_not_end_a_sentence():
    text = "President Vladimir V. Putin of Russia is actively working to strengthen alliances. It works."
    assert texts(text) == [
        "President Vladimir V. Putin of Russia is actively working to strengthen alliances.",
        "It works.",
    ]


def test_german_ordinals_stay_inside_their_sentence():
    text = (
        "Shoigu führte am 7. November Treffen durch. Der Blogger fürchtet um die 102. Militärbasis in Gyumri. "
        "Die Zahl stieg auf 102. Danach sank sie."
    )
    assert texts(text, "de") == [
        "Shoigu führte am 7. November Treffen durch.",
        "Der Blogger fürchtet um die 102. Militärbasis in Gyumri.",
        "Die Zahl stieg auf 102.",
        "Danach sank sie.",
    ]


def test_offsets_are_exact_inside_a_larger_text():
    text = "HEADLINE\n\n  First sentence here. Second one, with “quotes”.  \nLast line"
    lines = list(iter_lines(text))
    assert [text[s:e] for s, e in lines] == ["HEADLINE", "First sentence here. Second one, with “quotes”.", "Last line"]
    s, e = lines[1]
    for seg in split_sentences(text, "en", start=s, end=e):
        assert text[seg.start : seg.end] == seg.text
        assert seg.text == seg.text.strip()


def test_seed_spans_map_back(seed_documents):
    for doc in seed_documents:
        lang = "de" if doc.id == "004" else "en"
        for s, e in iter_lines(doc.text):
            for seg in split_sentences(doc.text, lang, start=s, end=e):
                assert doc.text[seg.start : seg.end] == seg.text


def test_run_on_text_is_cut_into_bounded_pieces():
    text = " ".join(["word"] * 6000)  # ~30,000 characters, no punctuation
    pieces = split_sentences(text, "en", max_chars=1000)
    assert all(len(p.text) <= 1000 for p in pieces)
    assert " ".join(p.text for p in pieces) == text
    unbroken = "x" * 2500
    assert [len(p.text) for p in split_sentences(unbroken, "en", max_chars=1000)] == [1000, 1000, 500]


def test_list_items_are_cut_before_each_marker_never_after_it():
    assert texts("1. The first item 2. The second item") == ["1. The first item", "2. The second item"]
    assert texts("a. The first item b. The second item c. The third") == [
        "a. The first item",
        "b. The second item",
        "c. The third",
    ]
    assert texts("⁃9. The first item ⁃10. The second item") == ["⁃9. The first item", "⁃10. The second item"]
    assert texts("1. Dies ist eine Punkteliste.", "de") == ["1. Dies ist eine Punkteliste."]
    # a date that opens a line is not a list, and the ordinal after it is not a second item
    assert texts("7. November 2023: Am 8. Dezember kam er. Dann ging er.", "de") == [
        "7. November 2023: Am 8. Dezember kam er.",
        "Dann ging er.",
    ]


def test_a_period_glued_before_a_spaced_ellipsis_ends_the_sentence():
    text = "It was weakened . . . was that of compounds. . . . The practice was not abandoned. . . ."
    assert texts(text) == [
        "It was weakened . . . was that of compounds.",
        ". . . The practice was not abandoned. . . .",
    ]
    assert texts("Then indicate the end with a period . . . . Next sentence.") == [
        "Then indicate the end with a period . . . .",
        "Next sentence.",
    ]


def test_german_typewriter_quotes_do_not_open_a_sentence():
    text = "Thomas sagte: ,,Wann kommst zu mir?” ,,Das weiß ich noch nicht“, antwortete Susi. Wir gehen."
    assert texts(text, "de") == [
        "Thomas sagte: ,,Wann kommst zu mir?” ,,Das weiß ich noch nicht“, antwortete Susi.",
        "Wir gehen.",
    ]
    assert texts("Aus dem 1. -3. Jahrhundert nach Christus stammen sie.", "de") == [
        "Aus dem 1. -3. Jahrhundert nach Christus stammen sie."
    ]


def test_a_line_break_ends_a_sentence():
    text = "RECHTLICHE HINWEISE\n\nUrheberrecht © 2014 Instafemmefitness. Alle Rechte vorbehalten\nÜber mich"
    sentences = split_sentences(text, "de")
    assert [s.text for s in sentences] == [
        "RECHTLICHE HINWEISE",
        "Urheberrecht © 2014 Instafemmefitness.",
        "Alle Rechte vorbehalten",
        "Über mich",
    ]
    assert all(text[s.start : s.end] == s.text for s in sentences)


def test_a_long_line_is_read_in_windows_without_losing_a_sentence():
    sentences = [f"Russland eröffnete am {i % 28 + 1}. Mai den Stützpunkt Nummer {i} in Übersee." for i in range(800)]
    text = "Vorspann. " + " ".join(sentences)  # ~60,000 characters on one line: several windows
    got = split_sentences(text, "de")
    assert [s.text for s in got] == ["Vorspann.", *sentences]
    assert all(text[s.start : s.end] == s.text for s in got)


@pytest.mark.parametrize(
    ("unit", "language"),
    [("• 9. item ", "en"), ("1. a ", "en"), ("compounds. . . . The ", "en"), ("am 7. ", "de")],
    ids=["bullets", "list", "ellipsis", "ordinals"],
)
def test_splitting_a_line_costs_linear_time(unit, language):
    """10x the text costs at most ~12x the time (sentencex alone: ~80x on "• 9. item " lines)."""
    small = unit * (20_000 // len(unit))
    ratio = growth_ratio(lambda text: split_sentences(text, language), small, small * 10, rounds=3)
    assert ratio < 12, f"{unit!r}: 10x the text took {ratio:.1f}x the time"
