"""Property-based tests: random text never breaks the pipeline, and spans always map back."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import claimx
from claimx.prepare import prepare_document

SENTENCES = [
    "Russia has opened a new naval base on the Red Sea coast.",
    "Moscow lost its last ally in the region, analysts said.",
    "Russland setzt seine Bemühungen fort, sich als Führer zu positionieren.",
    "Share.",
    "Copyright © 2024 Example.",
    "date 2023-11-09",
]
pieces = st.one_of(
    st.sampled_from(SENTENCES),
    st.text(min_size=0, max_size=80),
    st.text(alphabet="ab .\n<>/\u200b\x00é–“”!?0123456789", min_size=0, max_size=60),
)
texts = st.lists(pieces, min_size=0, max_size=6).map(lambda parts: st_join(parts))


def st_join(parts: list[str]) -> str:
    return "".join(p + ("\n" if i % 2 else " ") for i, p in enumerate(parts))


@settings(max_examples=300, deadline=None)
@given(text=texts, language=st.sampled_from([None, "en", "de", "fi"]))
def test_prepare_never_raises_and_spans_map(text, language):
    doc = claimx.Document("d", text, language=language)
    prepared = prepare_document(doc)
    assert len(prepared.sentences) == len(prepared.model_texts)
    for seg in [*prepared.sentences, *prepared.dropped]:
        assert 0 <= seg.start <= seg.end <= len(text)
        assert text[seg.start : seg.end] == seg.text
    assert prepared.error or prepared.language


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(batch=st.lists(texts, min_size=1, max_size=4))
def test_pipeline_accounts_for_every_document(batch, tiny_extractor):
    docs = [claimx.Document(f"d{i}", t) for i, t in enumerate(batch)]
    results = list(tiny_extractor.process(docs))  # must not raise at all
    assert [r.doc_id for r in results] == [d.id for d in docs]
    for doc, result in zip(docs, results, strict=True):
        assert result.error or result.language
        if result.error:
            assert not result.claims
        for c in result.claims:
            assert doc.text[c.start : c.end] == c.text
            assert set(c.scores) == {"russian_gain", "russian_loss", "neutral"}
