"""Sentence splitting against the Golden Rules, English and German (data and sources: tests/golden_rules.py)."""

from __future__ import annotations

import pytest

from claimx.segment import split_sentences
from tests.golden_rules import DE, EN, EN_HARD

MIN_PASS_RATE = 0.95


def _failures(cases: list[tuple[str, list[str]]], language: str) -> list[str]:
    failed = []
    for text, expected in cases:
        sentences = split_sentences(text, language)
        assert all(text[s.start : s.end] == s.text for s in sentences), text
        got = [s.text for s in sentences]
        if got != expected:
            failed.append(f"{text[:70]!r}: {got}")
    return failed


@pytest.mark.parametrize(("language", "cases"), [("en", EN), ("de", DE)], ids=["en", "de"])
def test_golden_rules_pass_rate(language, cases, record_property):
    failed = _failures(cases, language)
    passed = len(cases) - len(failed)
    rate = passed / len(cases)
    record_property(f"golden_rules_{language}", f"{passed}/{len(cases)}")
    print(f"Golden Rules ({language}): {passed}/{len(cases)} = {rate:.1%}")
    assert rate >= MIN_PASS_RATE, f"{passed}/{len(cases)} = {rate:.1%} < {MIN_PASS_RATE:.0%}; failed:\n" + "\n".join(
        failed
    )


def test_the_hardest_english_rule():
    """pySBD marks this one as an expected failure; sentencex gets it right."""
    assert not _failures([EN_HARD], "en")
