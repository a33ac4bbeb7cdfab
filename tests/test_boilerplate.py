from claimx.boilerplate import BoilerplateFilter, judge_lines, judge_text, split_prelude
from claimx.prepare import prepare_document
from claimx.types import Document


def test_page_furniture_is_dropped_and_article_text_kept():
    lines = [
        "Russia signs a defence pact with Mali and Niger.",
        "Share.",
        "Cover image credit: Contributor/Getty Images",
        "See also  Putin has never done this before",
        "Copyright © 2024 Some Site.",
        "A sentence about a teaser that runs on and then stops...",
    ]
    verdicts = judge_lines(lines)
    assert [v.keep for v in verdicts] == [True, False, False, False, False, False]
    assert all(v.reason for v in verdicts[1:])


def test_trailing_sections_are_dropped_entirely():
    lines = [
        "Moscow loses its last ally in the region, analysts say.",
        "Leave a Reply",
        "This long line after the comment form is not part of the article at all.",
    ]
    assert [v.keep for v in judge_lines(lines)] == [True, False, False]


def test_a_trailer_heading_before_any_text_does_not_swallow_the_article():
    lines = ["Top News", "Moscow loses its last ally in the region, analysts say."]
    assert [v.keep for v in judge_lines(lines)] == [False, True]


def test_duplicated_headline_appears_once():
    f = BoilerplateFilter()
    head = "The West is lurking in Russia’s backyard, and Putin has taken action"
    assert f.judge_line(head).keep
    assert f.judge_line(head.replace("’", "'")).reason == "duplicate of an earlier line"


def test_date_prelude_goes_to_metadata():
    text = " date 2023-11-09 Russia is facing increasing challenges in Central Asia."
    start, meta = split_prelude(text)
    assert meta == {"date": "2023-11-09"} and text[start:].startswith("Russia")
    prepared = prepare_document(Document("d", text))
    assert prepared.metadata["date"] == "2023-11-09"
    assert [s.text for s in prepared.sentences] == ["Russia is facing increasing challenges in Central Asia."]
    assert prepared.dropped[0].reason.startswith("date stamp")


def test_short_fragments_are_not_claims():
    assert not judge_text("Top News").keep
    assert judge_text("Russia loses ground fast.").keep


def test_no_gold_boilerplate_row_survives_and_every_claim_row_does(seed_documents, gold_rows):
    from claimx.boilerplate import normalise_for_comparison as norm

    kept = {}
    for doc in seed_documents:
        kept[doc.id] = {norm(s.text) for s in prepare_document(doc).sentences}
    for row in gold_rows:
        present = norm(row["text"]) in kept[row["doc"]]
        assert present == (row["certainty"] != "boilerplate"), row
