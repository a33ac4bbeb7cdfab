"""The behavioural suite: its file is complete and held out from the corpus; scoring counts contradictions."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from claimx.behaviour import read_suite, read_suite_text, score_suite
from claimx.corpus import read_corpus
from claimx.errors import InputError

ROOT = Path(__file__).resolve().parent.parent
SUITE = ROOT / "benchmarks" / "behaviour" / "suite.tsv"
HEADER = "scenario\tlanguage\tvariant\tlabel\ttext\n"


def _grams(text: str, n: int = 7) -> set[str]:
    words = re.findall(r"\w+", text.lower())
    return {" ".join(words[i : i + n]) for i in range(len(words) - n + 1)}


def test_the_suite_has_forty_complete_scenarios_per_language():
    rows = read_suite(SUITE)
    scenarios = {(r.language, r.scenario) for r in rows}
    per_language = Counter(language for language, _ in scenarios)
    assert per_language["en"] >= 40 and per_language["de"] >= 40
    assert len({r.text for r in rows}) == len(rows)


def test_no_suite_sentence_is_near_a_corpus_sentence():
    corpus = set().union(*(_grams(r.text) for r in read_corpus(ROOT / "corpus" / "parts")))
    near = [r.text for r in read_suite(SUITE) if _grams(r.text) & corpus]
    assert near == []


def _scenario(name: str, stated: str = "russian_gain") -> str:
    reversed_ = "russian_loss" if stated == "russian_gain" else "russian_gain"
    return (f"{name}\ten\tstated\t{stated}\tA {name}.\n{name}\ten\treversed\t{reversed_}\tB {name}.\n"
            f"{name}\ten\tneutral\tneutral\tC {name}.\n")  # fmt: skip


def test_contradictions_are_same_or_swapped_directions():
    rows = read_suite_text(HEADER + _scenario("right") + _scenario("same") + _scenario("swapped") + _scenario("soft"))
    predicted = [
        "russian_gain", "russian_loss", "neutral",     # right
        "russian_gain", "russian_gain", "neutral",     # same direction twice
        "russian_loss", "russian_gain", "russian_gain",  # swapped, and the neutral one given a direction
        "neutral", "russian_loss", "neutral",          # the stated one missed: wrong, not a contradiction
    ]  # fmt: skip
    score = score_suite(rows, predicted)["en"]
    assert (score.scenarios, score.contradictions, score.flipped) == (4, 2, 3)
    assert score.accuracy == pytest.approx(7 / 12, abs=1e-4) and score.contradiction_rate == 0.5


@pytest.mark.parametrize(
    "text",
    [
        "scenario\tlanguage\tlabel\ttext\n",
        HEADER + "s\ten\tstated\trussian_gain\tA.\ns\ten\treversed\trussian_gain\tB.\ns\ten\tneutral\tneutral\tC.\n",
        HEADER + "s\ten\tstated\trussian_gain\tA.\ns\ten\treversed\trussian_loss\tB.\n",
        HEADER + "s\ten\tstated\tmaybe\tA.\n",
    ],
)
def test_a_malformed_suite_is_refused(text):
    with pytest.raises(InputError):
        read_suite_text(text)
