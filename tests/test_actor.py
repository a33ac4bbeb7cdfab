"""Any actor, honestly named (issue 18, item 4): claims carry their actor, read as gain/loss/neutral for it,
and old files (no actor, Russian label names) still read as Russia."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

import claimx
from claimx.io import read_claims, write_claims
from claimx.labels import STANCE_NAMES, stance_name
from claimx.places import places_summary
from claimx.reporting import report


def _claim(label="russian_gain", actor="China", text="China opened a base in Mali and Djibouti."):
    return claimx.Claim(
        doc_id="d", sentence_index=0, text=text, text_en=text, language="en", start=0, end=len(text), label=label,
        score=0.9, scores={"russian_gain": 0.9, "russian_loss": 0.05, "neutral": 0.05}, translated=False,
        models=("m",), places=("CN", "ML", "DJ"), actor=actor,
    )  # fmt: skip


def test_the_one_mapping_from_label_values_to_stances():
    assert STANCE_NAMES == {
        claimx.Label.RUSSIAN_GAIN: "gain",
        claimx.Label.RUSSIAN_LOSS: "loss",
        claimx.Label.NEUTRAL: "neutral",
    }
    assert stance_name("russian_loss") == "loss" and _claim(label="russian_loss").stance == "loss"


def test_a_claim_carries_its_actor_through_every_file(tmp_path):
    claim = _claim()
    data = claim.to_dict()
    assert data["actor"] == "China" and data["stance"] == "gain" and data["label"] == "russian_gain"
    assert claimx.Claim.from_dict(data) == claim
    for suffix in (".jsonl", ".csv", ".parquet"):
        write_claims([claim], tmp_path / f"c{suffix}")
        assert read_claims(tmp_path / f"c{suffix}") == [claim], suffix


def test_old_files_without_an_actor_read_as_russia(tmp_path):
    old = {k: v for k, v in _claim().to_dict().items() if k not in ("actor", "stance")}
    (tmp_path / "old.jsonl").write_text(json.dumps(old) + "\n")
    (claim,) = read_claims(tmp_path / "old.jsonl")
    assert claim.actor == "Russia" and claim.stance == "gain"


def test_the_extractor_names_the_configured_actor(tiny_models):
    ex = claimx.Extractor(
        classifier_model=str(tiny_models["nli"]), device="cpu", labels=claimx.LabelConfig(actor="China")
    )
    claims = ex("China opened a new naval base in Djibouti.")
    assert claims and all(c.actor == "China" for c in claims)


def test_places_summary_leaves_out_the_actors_country_not_russia():
    claims = [_claim(), SimpleNamespace(label="russian_loss", text="Russia lost Mali.", places=("RU", "ML"))]
    df = places_summary(claims[:1])
    assert "CN" not in df.index and "ML" in df.index
    assert "RU" not in places_summary(claims[1:]).index  # no actor: Russia, as before


def test_the_report_reads_for_the_actor():
    html = report([_claim(), _claim(label="russian_loss")]).html
    assert "from −1 (China loses) to +1 (China gains)" in html and "Russia" not in html
    places = html[html.index('<section id="places">') :].split("</section>")[0]
    assert 'data-place="CN"' not in places and 'data-place="ML"' in places
    assert "China gain" in html  # the strongest claims say whose gain


@pytest.mark.parametrize("actor", ["the United States", "Türkiye"])
def test_an_actor_country_is_found_from_its_name(actor):
    from claimx.places import actor_countries

    assert actor_countries(actor) == ({"the United States": "US", "Türkiye": "TR"}[actor],)


def test_exports_for_correction_name_the_actor():
    from claimx.annotation.tasks import build_tasks

    assert build_tasks([_claim()])[0].meta()["actor"] == "China"
