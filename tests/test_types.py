import dataclasses
import json
import pickle

import pytest

import claimx
from claimx import Claim, Document, Label


def make_claim(**over):
    base = dict(
        doc_id="d1",
        sentence_index=0,
        text="Russland gewinnt.",
        text_en="Russia wins.",
        language="de",
        start=3,
        end=20,
        label=Label.RUSSIAN_GAIN,
        score=0.75,
        scores={"russian_gain": 0.75, "russian_loss": 0.1, "neutral": 0.25},
        translated=True,
        models=("m/translate", "m/nli"),
    )
    base.update(over)
    return Claim(**base)


def test_claim_json_round_trip_is_lossless():
    claim = make_claim()
    again = Claim.from_dict(json.loads(json.dumps(claim.to_dict())))
    assert again == claim
    assert again.label is Label.RUSSIAN_GAIN
    assert isinstance(again.models, tuple)


def test_claim_is_frozen_and_picklable():
    claim = make_claim()
    with pytest.raises(dataclasses.FrozenInstanceError):
        claim.label = Label.NEUTRAL  # type: ignore[misc]
    assert pickle.loads(pickle.dumps(claim)) == claim


def test_document_result_json_round_trip_keeps_error_kind_warnings_and_dropped():
    from claimx.types import DocumentResult, ErrorKind, Segment

    result = DocumentResult(
        "d1", "de", (make_claim(),), (Segment(0, 3, "Foo", "de", "boilerplate"),), {"date": "2024-01-02"},
        ("no translation model",), "model failure: boom", ErrorKind.MODEL,
    )  # fmt: skip
    again = DocumentResult.from_dict(json.loads(json.dumps(result.to_dict())))
    assert again == result and again.error_kind is ErrorKind.MODEL
    assert "claims" not in result.to_dict(claims=False)


def test_claim_accepts_label_strings_and_rejects_unknown():
    assert make_claim(label="neutral").label is Label.NEUTRAL
    with pytest.raises(ValueError):
        make_claim(label="victory")


def test_document_rejects_bytes_with_a_hint():
    with pytest.raises(TypeError, match="decode bytes first"):
        Document(id="x", text=b"abc")  # type: ignore[arg-type]


def test_exported_members_match_all():
    import inspect

    exported = {
        name
        for name in dir(claimx)
        if not name.startswith("_") and not inspect.ismodule(getattr(claimx, name)) and name != "annotations"
    }
    assert set(claimx.__all__) == exported
    assert claimx.__all__ == sorted(claimx.__all__)


def test_extract_is_documented():
    doc = claimx.extract.__doc__
    assert "Args:" in doc and "Returns:" in doc and "Claim" in doc
