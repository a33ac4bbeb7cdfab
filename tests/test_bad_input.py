"""The bad-input matrix: each case with its expected outcome, in Python and in batch.

In Python, a document that cannot be processed raises a claimx error naming it
(``on_error="raise"``) or is reported in its DocumentResult; in batch it becomes a
line in the errors file. Every other document goes through normally.
"""

from __future__ import annotations

import codecs
import json
import time
from dataclasses import dataclass

import pytest

import claimx
from claimx.io import iter_inputs
from claimx.job import JobOutput, run_job

GOOD = "Russia has opened a new naval base on the Red Sea coast, officials in Moscow said."
MIXED = (
    "Russia has opened a new naval base on the Red Sea coast, officials in Moscow said on Monday.\n\n"
    "Russland hat an der Küste des Roten Meeres einen neuen Marinestützpunkt eröffnet, sagten Beamte in Moskau."
)


@dataclass(frozen=True)
class Case:
    name: str
    data: bytes
    error: str | None  # substring of the error; None: processed normally
    suffix: str = ".txt"


def _text(s: str) -> bytes:
    return s.encode("utf-8")


CASES = [
    Case("empty", b"", "empty document"),
    Case("whitespace", _text(" \n\t \n"), "empty document"),
    Case("numbers", _text("123 456 7.890 ... 42 %%% !!! 2024-01-01"), "language could not be determined"),
    Case("binary", bytes(range(256)) * 4, "binary data"),
    Case("invalid_utf8", b"Russia \xc3\x28 wins \xff\xfe\xfd", "not UTF-8"),
    Case("utf16_bom", codecs.BOM_UTF16_LE + GOOD.encode("utf-16-le"), None),
    Case("huge_5mb", _text((GOOD + " ") * 60_000), "document too large"),
    Case("run_on_20k", _text(" ".join(["Moscow"] + ["influence"] * 2200)), None),
    Case("mixed_en_de", _text(MIXED), None),
    Case("finnish", _text("Venäjä menettää vaikutusvaltaansa Keski-Aasiassa nopeasti, sanovat asiantuntijat."), None),
    Case("html", _text(f"<html><body><h1>News</h1><p>{GOOD}</p><script>var a = '<b>';</script></body></html>"), None),
    Case(
        "control_zero_width",
        _text("Russia\u200b has\x07 opened\u200d a new naval base\x00 on the Red Sea coast."),
        None,
    ),
    Case("only_markup", _text("<div><span></span><br/></div>\u200b\u200b"), "markup"),
    Case("chinese_unspaced", _text("俄罗斯在中亚的影响力正在下降。中国正在扩大其在该地区的影响力。"), None),
    Case("rtl_arabic", _text("افتتحت روسيا قاعدة بحرية جديدة على ساحل البحر الأحمر، بحسب مسؤولين في موسكو."), None),
]


@pytest.fixture(scope="module")
def extractor(tiny_extractor):
    return tiny_extractor


def _document(case: Case, tmp_path) -> claimx.Document | claimx.io.InputFailure:
    path = tmp_path / f"{case.name}{case.suffix}"
    path.write_bytes(case.data)
    return claimx.io.read_text_file(path)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_python_api(case, extractor, tmp_path):
    item = _document(case, tmp_path)
    if isinstance(item, claimx.io.InputFailure):  # not decodable: never becomes a Document
        assert case.error and case.error in item.reason
        with pytest.raises(claimx.InputError):
            claimx.io.decode_bytes(case.data)
        return
    started = time.perf_counter()
    (result,) = extractor.process([item])
    assert time.perf_counter() - started < 60, "a document's cost must stay bounded"
    if case.error:
        assert case.error in result.error and not result.claims
        with pytest.raises(claimx.ClaimxError, match=case.name):
            extractor.extract([item], on_error="raise")
        return
    assert result.ok and result.claims, result
    for claim in result.claims:
        assert item.text[claim.start : claim.end] == claim.text
        assert len(claim.text_en) <= 4000


def test_run_on_text_is_cut_before_any_model(extractor):
    words = [f"Moscow gains influence in region {i} and" for i in range(500)]
    doc = claimx.Document("long", " ".join(words))
    assert len(doc.text) > 20_000
    (result,) = extractor.process([doc])
    assert len(result.claims) >= 20 and all(len(c.text) <= extractor.config.max_sentence_chars for c in result.claims)


def test_mixed_document_is_translated_per_paragraph(extractor):
    (result,) = extractor.process([claimx.Document("mixed", MIXED)])
    by_lang = {c.language: c for c in result.claims}
    assert set(by_lang) == {"en", "de"}
    assert by_lang["de"].translated and not by_lang["en"].translated


def test_html_claims_keep_source_spans_and_clean_english(extractor):
    html = f"<p>{GOOD.replace('naval base', '<b>naval base</b>')}</p>"
    (result,) = extractor.process([claimx.Document("h", html)])
    (claim,) = result.claims
    assert html[claim.start : claim.end] == claim.text and "<b>" in claim.text
    assert "<" not in claim.text_en and "naval base on the Red Sea" in claim.text_en


def test_unknown_language_keeps_text_and_says_so(extractor):
    doc = claimx.Document("ar", CASES[-1].data.decode())
    (result,) = extractor.process([doc])
    assert result.language == "ar" and all(not c.translated for c in result.claims)
    assert any("'ar'" in w for w in result.warnings)


def test_batch_accounts_for_every_case(extractor, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for case in CASES:
        (folder / f"{case.name}{case.suffix}").write_bytes(case.data)
    jsonl = tmp_path / "records.jsonl"
    jsonl.write_text(
        "\n".join(
            [
                json.dumps({"id": "dup", "text": GOOD}),
                "{this is not json",
                json.dumps({"id": "no_text", "body": GOOD}),
                json.dumps({"id": "dup", "text": GOOD + " Again."}),
                json.dumps({"id": "ok", "text": GOOD}),
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "claims.jsonl"
    summary = run_job(extractor, iter_inputs([str(folder), str(jsonl)]), JobOutput(out), quiet=True)
    errors = {e["doc_id"]: e["reason"] for e in map(json.loads, (tmp_path / "claims.jsonl.errors.jsonl").open())}
    claimed = {json.loads(line)["doc_id"] for line in out.open()}
    expected_errors = {c.name for c in CASES if c.error}
    assert expected_errors <= set(errors)
    assert "duplicate document id" in errors["dup"]
    assert "'text'" in errors["no_text"]
    assert any("not JSON" in r for r in errors.values())
    normal = {c.name for c in CASES if not c.error} | {"dup", "ok"}
    assert normal <= claimed
    assert not (claimed & expected_errors)
    assert summary.documents == len(CASES) + 5
    # Every document read is in exactly one place: the first "dup" in the claims, the second in errors.
    error_lines = (tmp_path / "claims.jsonl.errors.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(error_lines) == len(summary.failed) == len(errors)
    assert len(error_lines) + len(claimed) == summary.documents
