"""The report on a first run (issue 18, item 5): the run's config read from beside the claims file, untranslated
sentences said at the top, thin place figures marked, long country names not clipped."""

from __future__ import annotations

import re

import claimx
from claimx.io import write_claims
from claimx.reporting import report


def _claim(i: int, text: str, *, language: str = "en", translated: bool = False, places=(), label="russian_gain"):
    return claimx.Claim(
        doc_id=f"d{i}", sentence_index=0, text=text, text_en=text, language=language, start=0, end=len(text),
        label=label, score=0.9, scores={"russian_gain": 0.9, "russian_loss": 0.05, "neutral": 0.05},
        translated=translated, models=("m",), places=tuple(places),
    )  # fmt: skip


def test_the_config_beside_the_claims_file_is_read(tmp_path):
    path = tmp_path / "claims.jsonl"
    write_claims([_claim(0, "Russia gains in Mali.", places=("ML",))], path)
    (tmp_path / "claims.jsonl.config.toml").write_text('classifier = "head"\nhead = "my-marker-head"\n')
    assert "my-marker-head" in report(path).html


def test_untranslated_sentences_are_said_at_the_top():
    claims = [_claim(0, "Venäjä voittaa.", language="fi"), _claim(1, "Russia gains.")]
    html = report(claims).html
    top = html[html.index('<header class="top">') : html.index("</header>")]
    assert "1 of 2 claims were classified untranslated" in top and "fi" in top


def test_places_resting_on_one_or_two_claims_are_marked():
    claims = [_claim(i, "Russia gains in Mali.", places=("ML",)) for i in range(3)]
    claims.append(_claim(9, "Russia gains in Chad.", places=("TD",)))
    html = report(claims).html
    chad = re.search(r'data-place="TD">.*?</g>', html).group(0)
    mali = re.search(r'data-place="ML">.*?</g>', html).group(0)
    assert "few claims" in chad and "few claims" not in mali
    assert "rests on one or two claims" in html


def test_long_country_names_fit_in_the_chart():
    claims = [_claim(i, "Russia gains.", places=("BA", "CF")) for i in range(3)]
    svg = re.search(r'<section id="places">.*?</section>', report(claims).html, re.S).group(0)
    for x, name in re.findall(r'<text x="(\d+)" y="\d+" text-anchor="end">([^<]+)</text>', svg):
        assert int(x) >= 7 * len(name), (x, name)  # the name's width (≈7px a character) fits left of its anchor
