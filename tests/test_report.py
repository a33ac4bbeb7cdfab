"""The HTML report: one self-contained page, checked as text and in headless Chromium."""

from __future__ import annotations

import base64
import csv
import hashlib
import json
import os
import random
import re
import shutil
import time
import zlib
from collections import Counter, defaultdict
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

import claimx
from claimx.places import find_places
from claimx.reporting import Report, report

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "fixtures" / "seeds"
GOLD = ROOT / "fixtures" / "gold" / "seeds.tsv"
HOSTILE = "Moscow said </script><script>alert(1)</script> and <img src=x onerror=alert(2)> in Mali."
# Hand translations for a few German seed sentences, so some claims carry an English text beside them.
ENGLISH = {
    "Russland setzt seine Bemühungen fort, sich als Führer einer Koalition von Staaten zu positionieren, "
    "die sich gegen den Westen ausrichten.": "Russia continues its efforts to position itself as the leader "
    "of a coalition of states aligned against the West.",
    "Es wurde kürzlich festgestellt, dass sich Jerewan von Moskau distanziert, da sich die bilateralen "
    "Beziehungen zwischen den beiden Ländern verschlechtern.": "It was recently noted that Yerevan is distancing "
    "itself from Moscow as bilateral relations between the two countries deteriorate.",
}


def seed_documents() -> dict[str, str]:
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))}


def seed_claims() -> list[claimx.Claim]:
    """The gold sentences as claims: real text and spans, gold labels, made-up scores."""
    docs = seed_documents()
    stem_of = {stem.split("_")[0]: stem for stem in docs}
    cursor: dict[str, int] = defaultdict(int)
    index: dict[str, int] = defaultdict(int)
    claims = []
    with GOLD.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            stem = stem_of[row["doc"]]
            text = docs[stem]
            start = text.find(row["text"], cursor[stem])
            if start < 0:  # one gold row is not verbatim in its document (a related-link line)
                continue
            cursor[stem] = start + len(row["text"])
            label = row["label"]
            score = 0.5 + (zlib.crc32(row["text"].encode()) % 500) / 1000
            scores = {
                k: (score if k == label else round(1 - score, 3)) for k in ("russian_gain", "russian_loss", "neutral")
            }
            german = row["doc"] == "004"
            english = ENGLISH.get(row["text"])
            claims.append(
                claimx.Claim(
                    doc_id=stem,
                    sentence_index=index[stem],
                    text=row["text"],
                    text_en=english or row["text"],
                    language="de" if german else "en",
                    start=start,
                    end=start + len(row["text"]),
                    label=claimx.Label(label),
                    score=score,
                    scores=scores,
                    translated=english is not None,
                    models=("test-classifier",) + (("test-translator",) if english else ()),
                )
            )
            index[stem] += 1
    assert len(claims) >= 110
    return claims


def hostile_claim() -> claimx.Claim:
    return claimx.Claim(
        doc_id='evil"><script>alert(3)</script>',
        sentence_index=0,
        text=HOSTILE,
        text_en=HOSTILE,
        language="en",
        start=0,
        end=len(HOSTILE),
        label=claimx.Label.RUSSIAN_GAIN,
        score=0.9999,
        scores={"russian_gain": 0.9999, "russian_loss": 0.0, "neutral": 0.0001},
        translated=False,
        models=("test-classifier",),
    )


@pytest.fixture(scope="module")
def claims() -> list[claimx.Claim]:
    return seed_claims() + [hostile_claim()]


def synthetic_claims(n: int, seed: int = 0) -> list[claimx.Claim]:
    sentences = [c.text for c in seed_claims()]
    rng = random.Random(seed)
    out = []
    for i in range(n):
        text = sentences[i % len(sentences)]
        label = rng.choice(list(claimx.Label))
        score = rng.random()
        german = i % 7 == 0
        out.append(
            claimx.Claim(
                doc_id=f"doc{i // 10:05d}",
                sentence_index=i % 10,
                text=text,
                text_en=("[en] " + text) if german else text,
                language="de" if german else "en",
                start=0,
                end=len(text),
                label=label,
                score=score,
                scores={label.value: score},
                translated=german,
                models=("m",),
            )
        )
    return out


def data_of(page: Report) -> dict[str, Any]:
    m = re.search(r'<script type="application/json" id="claimx-data">(.*?)</script>', page.html, re.S)
    assert m, "no data block"
    return json.loads(m.group(1))


# ---------------------------------------------------------------------------------------------
# the page as text


def test_page_is_self_contained(claims: list[claimx.Claim]) -> None:
    page = report(claims, documents=seed_documents())
    html = page.html
    assert html.startswith("<!DOCTYPE html>") and html.count("<script") == 2
    assert not re.search(r"""\b(?:src|href|action|xlink:href)\s*=\s*["']?\s*(?:https?:|//)""", html, re.I)
    assert not re.search(r"<link\b[^>]*stylesheet", html, re.I) and "@import" not in html and "url(" not in html
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html).group(1)
    assert "default-src &#x27;none&#x27;" in csp and "connect-src &#x27;none&#x27;" in csp
    assert page.n_claims == len(claims) and page.n_documents == 6


def test_csp_allows_exactly_the_inlined_script() -> None:
    html = report(seed_claims()).html
    script = re.search(r"<script>(.*?)</script>", html, re.S).group(1)  # the one script without a type
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    assert f"script-src &#x27;sha256-{digest}&#x27;;" in html
    assert "filterOnClick" in script  # read from the package's assets/report.js


def test_hostile_text_is_escaped(claims: list[claimx.Claim]) -> None:
    html = report(claims, title="<b>t</b>").html
    assert "</script><script>alert(1)" not in html
    assert "<img src=x" not in html and "<script>alert(3)" not in html and "<b>t</b>" not in html
    assert "&lt;/script&gt;&lt;script&gt;alert(1)" in html  # shown among the strongest claims, as text
    data = json.loads(re.search(r'id="claimx-data">(.*?)</script>', html, re.S).group(1))
    assert HOSTILE in [c[7] for c in data["claims"]]  # the JSON block carries it intact


def test_sections_and_figures(claims: list[claimx.Claim]) -> None:
    page = report(claims, documents=seed_documents())
    html = page.html
    for anchor in ("overview", "places", "time", "strongest", "documents", "provenance"):
        assert f'id="{anchor}"' in html
    assert html.count("<svg") >= 4  # languages, countries, regions, timeline
    assert "Claims per day" in html and "2023-11-09" in html  # the seed's "date 2023-11-09" line
    assert 'data-place="KZ"' in html and 'data-place="Central Asia"' in html
    assert 'data-place="RU"' not in html and "Left out of the charts: Russia" in html
    assert "test-classifier" in html and "test-translator" in html
    counts = Counter(c.label.value for c in claims)
    assert f"gain {counts['russian_gain']} (" in html and f"loss {counts['russian_loss']} (" in html


def test_full_text_when_spans_match_else_sentences(claims: list[claimx.Claim]) -> None:
    docs = seed_documents()
    data = data_of(report(claims, documents=docs))
    texts = {d[0]: d[3] for d in data["docs"]}
    assert all(texts[stem] == docs[stem] for stem in docs)
    assert texts['evil"><script>alert(3)</script>'] == 0  # no text given: the page lists its sentences
    broken = {stem: "x" + text for stem, text in docs.items()}  # every span now off by one
    assert all(d[3] == 0 for d in data_of(report(claims, documents=broken))["docs"])


def test_no_dates_no_timeline() -> None:
    html = report(seed_claims()).html
    assert "No document carries a date" in html and "Claims per day" not in html


def test_dates_from_manifest_give_weeks() -> None:
    claims = seed_claims()
    stems = list(dict.fromkeys(c.doc_id for c in claims))
    manifest = [{"id": s, "status": "ok", "date": f"2024-0{i + 1}-15"} for i, s in enumerate(stems)]
    assert "Claims per week" in report(claims, manifest=manifest).html


def test_reads_claims_files_with_their_errors_file(tmp_path: Path, claims: list[claimx.Claim]) -> None:
    out = tmp_path / "claims.jsonl"
    claimx.write_claims(claims, out)
    Path(f"{out}.errors.jsonl").write_text(
        json.dumps(
            {"doc_id": "broken.txt", "source": "in/broken.txt", "reason": "binary data, not text", "warnings": []}
        )
        + "\n",
        encoding="utf-8",
    )
    page = report(out, documents=seed_documents())
    assert page.n_claims == len(claims)
    assert (
        "broken.txt" in page.html and "binary data, not text" in page.html and "1 documents not processed" in page.html
    )
    for suffix in (".csv", ".parquet"):
        path = tmp_path / f"claims{suffix}"
        claimx.write_claims(claims, path)
        assert report(path).n_claims == len(claims)


def test_the_manifest_beside_a_claims_file_is_read_before_its_errors_file(tmp_path: Path) -> None:
    """``claimx report CLAIMS`` shows every document of the run from CLAIMS.documents.jsonl when it is there."""
    claims = seed_claims()
    out = tmp_path / "claims.jsonl"
    claimx.write_claims(claims, out)
    error = {"doc_id": "broken", "source": "broken.txt", "status": "input_error", "reason": "binary data"}
    Path(f"{out}.errors.jsonl").write_text(json.dumps(error) + "\n", encoding="utf-8")
    records = [
        {"id": claims[0].doc_id, "source": "a.txt", "status": "ok", "claims": 1, "warnings": ["checked"]},
        {"id": "broken", "source": "broken.txt", "status": "input_error", "error": "binary data", "claims": 0},
    ]
    Path(f"{out}.documents.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    html = report(out).html
    assert "Run records (claims.jsonl.documents.jsonl)" in html and "2 documents: " in html
    assert "Warnings (1 documents)" in html and "binary data" in html
    Path(f"{out}.documents.jsonl").unlink()
    assert "Run records (claims.jsonl.errors.jsonl)" in report(out).html


def test_manifest_and_config_in_provenance(tmp_path: Path) -> None:
    claims = seed_claims()
    manifest = tmp_path / "manifest.jsonl"
    records = [
        {
            "id": claims[0].doc_id,
            "source": "a.txt",
            "status": "ok",
            "claims": 30,
            "warnings": [],
            "dropped": [{"start": 0, "end": 5, "reason": "boilerplate"}],
        },
        {"id": "gone", "source": "gone.txt", "status": "error", "error": "empty document", "claims": 0},
        {
            "id": "de-doc",
            "source": "d.txt",
            "status": "ok",
            "warnings": ["no translation model for 'de'"],
            "dropped": 2,
        },
    ]
    manifest.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    config = SimpleNamespace(to_dict=lambda: {"classifier": "embedding", "decision": {"threshold": 0.45}})
    html = report(claims, manifest=manifest, config=config).html
    assert "empty document" in html and "gone.txt" in html and "2 documents not processed" not in html
    assert "Dropped text (2 documents)" in html and "boilerplate" in html
    assert "no translation model for &#x27;de&#x27;" in html
    assert "&quot;threshold&quot;: 0.45" in html
    assert "threshold" in report(claims, config={"threshold": 0.5}).html


def test_places_come_from_the_claims_when_they_carry_them() -> None:
    claim = SimpleNamespace(
        doc_id="d",
        sentence_index=0,
        text="Nothing named.",
        text_en="Nothing named.",
        language="en",
        start=0,
        end=14,
        label="neutral",
        score=0.7,
        scores={"neutral": 0.7},
        translated=False,
        models=(),
        places=("Arctic",),
    )
    data = data_of(report([claim]))
    assert data["places"] == [["Arctic", "Arctic"]] and data["claims"][0][10] == [0]


def test_bad_dates_are_ignored_and_empty_input_works() -> None:
    claims = seed_claims()
    manifest = [{"id": claims[0].doc_id, "date": "2023-13-45"}, {"id": "x", "status": "skipped"}]
    html = report(claims, manifest=manifest).html
    assert "No document carries a date" in html and "failed or skipped (1)" in html
    empty = report([])
    assert empty.n_claims == 0 and "0 claims in 0 documents" in empty.html


def test_bad_label_is_refused() -> None:
    bad = SimpleNamespace(doc_id="d", text="x", label="maybe")
    with pytest.raises(ValueError, match="maybe"):
        report([bad])


def test_save_and_notebook_view(tmp_path: Path, claims: list[claimx.Claim]) -> None:
    page = report(claims)
    path = page.save(tmp_path / "sub" / "r.html")
    assert path.read_text(encoding="utf-8") == page.html
    shown = page._repr_html_()
    assert shown.startswith('<iframe sandbox="allow-scripts"') and "srcdoc=" in shown
    assert "<script" not in shown  # the page is inside srcdoc, escaped


def test_ten_thousand_claims_build_fast_and_small() -> None:
    claims = synthetic_claims(10_000)
    find_places("warm up the place index")
    t0 = time.perf_counter()
    page = report(claims)
    seconds = time.perf_counter() - t0
    size = len(page.html.encode("utf-8"))
    # Measured: 1.2 s and 2.2 MB on the project's 2-core machine.
    assert seconds < 15, f"{seconds:.1f} s"
    assert size < 6_000_000, f"{size / 1e6:.1f} MB"
    assert page.n_claims == 10_000 and page.n_documents == 1_000


# ---------------------------------------------------------------------------------------------
# the page in a browser


def _chromium() -> str | None:
    for name in (os.environ.get("CLAIMX_CHROMIUM"), "chromium", "chromium-browser", "google-chrome"):
        if name:
            found = shutil.which(name) or (name if Path(name).is_file() else None)
            if found:
                return found
    return None


@pytest.fixture(scope="module")
def browser() -> Any:
    sync_api = pytest.importorskip(
        "playwright.sync_api",
        reason="playwright is not installed (pip install playwright; it drives Debian's chromium)",
    )
    exe = _chromium()
    if exe is None:
        pytest.skip("no chromium binary found: .ci/run must `apt-get install -y chromium` (Debian's package)")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=exe, args=["--no-sandbox", "--disable-gpu"])
        yield b
        b.close()


def open_page(browser: Any, path: Path) -> tuple[Any, SimpleNamespace]:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    log = SimpleNamespace(console=[], errors=[], requests=[], dialogs=[])
    page.on("console", lambda m: log.console.append((m.type, m.text)))
    page.on("pageerror", lambda e: log.errors.append(str(e)))
    page.on("request", lambda r: log.requests.append(r.url))

    def on_dialog(dialog: Any) -> None:
        log.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.goto(path.as_uri())
    page.locator("#doc-list article").first.wait_for(timeout=10_000)
    return page, log


def shots_dir(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("CLAIMX_SCREENSHOT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_in_browser(browser: Any, tmp_path: Path, claims: list[claimx.Claim]) -> None:
    from playwright.sync_api import expect

    path = report(claims, documents=seed_documents()).save(tmp_path / "report.html")
    page, log = open_page(browser, path)
    marks = page.locator("#doc-list mark.claim")
    assert marks.count() == len(claims)
    assert page.text_content("#n-claims") == str(len(claims))

    # A label filter: neutral off.
    neutral = sum(c.label is claimx.Label.NEUTRAL for c in claims)
    page.click("button.flt.neutral")
    expect(page.locator("#n-claims")).to_have_text(str(len(claims) - neutral))
    assert marks.count() == len(claims) - neutral
    assert page.locator("#doc-list mark.claim.neutral").count() == 0

    # A place bar: Kazakhstan, all labels again.
    page.click("#f-reset")
    expect(page.locator("#n-claims")).to_have_text(str(len(claims)))
    page.locator('.place-bar[data-place="KZ"]').first.click()
    kz = sum("KZ" in find_places(c.text) for c in claims)
    expect(page.locator("#n-claims")).to_have_text(str(kz))
    assert 0 < kz < len(claims)

    # A document link in the table: that document's claims only.
    page.click("#f-reset")
    first = claims[0].doc_id
    page.locator(f'a.doc-link[data-doc="{first}"]').click()
    expect(page.locator("#n-claims")).to_have_text(str(sum(c.doc_id == first for c in claims)))
    expect(page.locator("#f-doc")).not_to_have_value("")

    # The hostile sentence shows as text and runs nothing.
    page.click("#f-reset")
    page.fill("#f-q", "onerror")
    expect(page.locator("#n-claims")).to_have_text("1")
    assert page.locator("#doc-list mark.claim").first.text_content() == HOSTILE

    # Hover shows the label and score; a translated sentence shows its English beside it.
    page.click("#f-reset")
    english = next(iter(ENGLISH.values()))
    expect(page.locator("#doc-list .en", has_text=english)).to_have_count(1)
    title = page.locator("#doc-list mark.claim").first.get_attribute("title")
    assert re.match(r"russian_(gain|loss) 0\.\d\d|neutral 0\.\d\d", title)

    page.screenshot(path=str(shots_dir(tmp_path) / "report.png"), full_page=True)
    assert log.dialogs == []
    assert log.errors == []
    assert [m for m in log.console if m[0] in ("error", "warning")] == []
    assert log.requests == [path.as_uri()], "the page must not request anything"
    page.close()


def test_notebook_view_runs_in_its_iframe(browser: Any, tmp_path: Path, claims: list[claimx.Claim]) -> None:
    from playwright.sync_api import expect

    host = tmp_path / "notebook.html"
    host.write_text(f"<!DOCTYPE html><html><body>{report(claims)._repr_html_()}</body></html>", encoding="utf-8")
    page = browser.new_page()
    errors: list[str] = []
    requests: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(host.as_uri())
    frame = page.frame_locator("iframe")
    expect(frame.locator("#n-claims")).to_have_text(str(len(claims)))
    assert frame.locator("#doc-list mark.claim").count() == len(claims)
    assert errors == [] and requests == [host.as_uri()]
    page.close()


def test_ten_thousand_claims_stay_responsive(browser: Any, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    path = report(synthetic_claims(10_000), page_size=10).save(tmp_path / "big.html")
    t0 = time.perf_counter()
    page, log = open_page(browser, path)
    loaded = time.perf_counter() - t0
    assert page.locator("#doc-list article").count() == 10  # one page of documents, not all 1,000
    assert page.locator("#doc-list mark.claim").count() == 100
    t1 = time.perf_counter()
    page.click("button.flt.gain")
    expect(page.locator("#n-claims")).not_to_have_text("10000")
    filtered = time.perf_counter() - t1
    page.click("#next")
    expect(page.locator("#page-info")).to_have_text(re.compile(r"page 2 of \d+"))
    page.screenshot(path=str(shots_dir(tmp_path) / "report_10k.png"))
    # Measured: 0.5 s to load, 0.1 s to filter.
    assert loaded < 10 and filtered < 3, (loaded, filtered)
    assert log.errors == [] and log.requests == [path.as_uri()]
    page.close()
