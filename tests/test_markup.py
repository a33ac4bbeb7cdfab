"""The analysis view: markup blanked one-for-one, in time linear in the length of the text."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claimx.markup import analysis_view
from tests.growth import growth_ratio


def _regex_view(text: str) -> str:
    """The first implementation (two regular expressions), kept as the reference for short texts.

    Its lazy ``.*?`` rescans to the end of the text for every unterminated opener: quadratic.
    """
    block = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>|<!--.*?-->", re.IGNORECASE | re.DOTALL)
    tag = re.compile(r"</?[A-Za-z][A-Za-z0-9:-]*(?:\s[^<>]*)?/?>")

    def blank(m: re.Match[str]) -> str:
        return "".join("\n" if ch == "\n" else " " for ch in m.group(0))

    text = tag.sub(blank, block.sub(blank, text))
    return text.replace("\u200b", " ").replace("\x00", " ")


def test_blocks_comments_and_tags_are_blanked_same_length():
    html = (
        "<html><head><style type='text/css'>p { color: red }</style></head>\n"
        '<body><!-- nav\nbar --><p class="x">Russia <b>wins</b>.</p>'
        "<SCRIPT>var a = '<b>';</script ></body></html>"
    )
    view = analysis_view(html)
    assert len(view) == len(html)
    assert view.split() == ["Russia", "wins", "."]
    assert [i for i, ch in enumerate(view) if ch == "\n"] == [i for i, ch in enumerate(html) if ch == "\n"]


def test_unterminated_constructs_leave_the_text_readable():
    assert analysis_view("<!-- Russia gains power.").split() == ["<!--", "Russia", "gains", "power."]
    assert analysis_view("<script>Russia gains power.").split() == ["Russia", "gains", "power."]
    assert analysis_view("<style a>x <a href='y'>Russia</a>").split() == ["x", "Russia"]
    assert analysis_view("a < b and c > d").split() == ["a", "<", "b", "and", "c", ">", "d"]


_PIECES = ["<", ">", "/", "-", "!--", "-->", "<!--", "<script>", "</script>", "<style a>", "</STYLE >", "<b>",
           "</b>", "script", "style", "scripts", " ", "\n", "x", "=", "'", ":", "é", "\u200b"]  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=16).map("".join))
def test_same_result_as_the_regex_version(text):
    assert analysis_view(text) == _regex_view(text)


@pytest.mark.parametrize(
    "unit",
    ["<!-- Russia gains power. ", "<script>x ", "<style a> ", "<style a ", "<a href='x' "],
    ids=["comment", "script", "style", "style-no-close", "tag"],
)
def test_unterminated_markup_costs_linear_time(unit):
    """10x the text costs at most ~12x the time (it was quadratic: 200 KB of ``<script>x `` took 14 s)."""
    small = unit * (20_000 // len(unit))
    ratio = growth_ratio(analysis_view, small, small * 10)
    assert ratio < 12, f"{unit!r}: 10x the text took {ratio:.1f}x the time"
