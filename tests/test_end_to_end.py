"""All five seed documents through the whole pipeline on the tiny models."""

import json

import pytest

import claimx
from claimx.boilerplate import normalise_for_comparison as norm


@pytest.fixture(scope="module")
def results(tiny_extractor, seed_documents):
    return list(tiny_extractor.process(seed_documents))


def test_every_document_yields_claims(results, seed_documents):
    assert [r.doc_id for r in results] == [d.id for d in seed_documents]
    for r in results:
        assert r.ok and r.claims, r


def test_german_document_is_translated(results, tiny_models):
    german = results[-1]
    assert german.language == "de"
    assert all(c.language == "de" and c.translated for c in german.claims)
    assert all(c.models[0] == str(tiny_models["marian_de_en"]) for c in german.claims)
    assert all(c.text_en != c.text for c in german.claims)
    english = [c for r in results[:-1] for c in r.claims]
    assert all(c.language == "en" and not c.translated and c.text_en == c.text for c in english)
    assert all(c.models == (str(tiny_models["nli"]),) for c in english)


def test_spans_map_back_to_the_source(results, seed_documents):
    for r, doc in zip(results, seed_documents, strict=True):
        assert [c.sentence_index for c in r.claims] == list(range(len(r.claims)))
        for c in r.claims:
            assert doc.text[c.start : c.end] == c.text
        for d in r.dropped:
            assert doc.text[d.start : d.end] == d.text and d.reason


def test_no_boilerplate_line_is_a_claim(results, gold_rows):
    claimed = {(r.doc_id, norm(c.text)) for r in results for c in r.claims}
    boilerplate = [row for row in gold_rows if row["certainty"] == "boilerplate"]
    assert boilerplate
    assert not [row["text"] for row in boilerplate if (row["doc"], norm(row["text"])) in claimed]


def test_date_goes_to_metadata(results):
    assert results[1].metadata["date"] == "2023-11-09"
    assert not any("2023-11-09" in c.text for c in results[1].claims)


def test_segmentation_cases_hold(results):
    texts = {c.text for r in results for c in r.claims}
    assert any(t.startswith("President Vladimir V. Putin of Russia is actively working") for t in texts)
    assert any("am 7. November separate Treffen" in t and t.endswith("durch.") for t in texts)
    assert any("die 102. Militärbasis in Gyumri" in t for t in texts)


def test_labels_follow_the_decision_rule(results, tiny_extractor):
    for c in (c for r in results for c in r.claims):
        assert (c.label, c.score) == tiny_extractor.decision.decide(dict(c.scores))
        assert c.scores[c.label.value] == c.score


def test_json_round_trip(results):
    claims = [c for r in results for c in r.claims]
    lines = [json.dumps(c.to_dict(), ensure_ascii=False) for c in claims]
    assert [claimx.Claim.from_dict(json.loads(line)) for line in lines] == claims


def test_extract_flattens_process(seed_documents):
    from claimx.testing import FunctionClassifier, FunctionTranslator

    # Fake parts: the flattening is the subject, not the models (the seeds translate slowly).
    ex = claimx.Extractor(translator=FunctionTranslator(), classifier=FunctionClassifier(), device="cpu")
    claims = ex.extract(seed_documents)
    assert claims and claims == [c for r in ex.process(seed_documents) for c in r.claims]


def test_plain_strings_and_mappings_are_documents(tiny_extractor):
    claims = tiny_extractor.extract(
        [
            "Russia has opened a new naval base on the Red Sea coast.",
            {"id": "m", "text": "Moscow lost its last military base in Syria this year.", "source": "x"},
        ]
    )
    assert [c.doc_id for c in claims] == ["doc-0", "m"]


def test_empty_document_raises_a_claimx_error_naming_it_when_asked(tiny_extractor):
    with pytest.raises(claimx.InputError, match="'blank'.*empty"):
        tiny_extractor.extract([claimx.Document("blank", "   \n ")], on_error="raise")
    claims = tiny_extractor.extract(
        [claimx.Document("blank", ""), "Russia has opened a new naval base on the Red Sea coast."]
    )
    assert [c.doc_id for c in claims] == ["doc-1"]


def test_untranslatable_language_is_flagged_or_skipped(tiny_models):
    finnish = claimx.Document("fi", "Venäjä menettää vaikutusvaltaansa Keski-Aasiassa nopeasti, sanovat asiantuntijat.")
    keep = claimx.Extractor(
        translation_models={"de": str(tiny_models["marian_de_en"])},
        classifier_model=str(tiny_models["nli"]),
        device="cpu",
    )
    (r,) = keep.process([finnish])
    assert r.claims and all(not c.translated and c.language == "fi" for c in r.claims)
    assert any("no translation model for language 'fi'" in w for w in r.warnings)
    skip = claimx.Extractor(
        translation_models={"de": str(tiny_models["marian_de_en"])},
        classifier_model=str(tiny_models["nli"]),
        device="cpu",
        untranslatable="skip",
    )
    (r,) = skip.process([finnish])
    assert not r.claims and [d.reason for d in r.dropped] == ["no translation model"]


def test_caller_language_wins(tiny_extractor):
    (r,) = tiny_extractor.process([claimx.Document("x", "Russia gains ground in the Sahel region.", language="de")])
    assert r.language == "de" and all(c.translated for c in r.claims)


def test_a_single_document_is_not_split_into_characters(tiny_extractor):
    text = "Russia has opened a new naval base on the Red Sea coast."
    assert [c.text for c in tiny_extractor.extract(text)] == [text]
    assert [r.doc_id for r in tiny_extractor.process(claimx.Document("one", text))] == ["one"]
