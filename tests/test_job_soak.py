"""Soak: ~1,000 good and hostile files through a kill -9 and a resume, compared claim for claim with a clean run.

The killed run writes inside the folder it reads (``--glob '*'``), so it must also skip
its own output; the folder holds a FIFO, a broken symlink, equal names in two
subfolders, duplicate ids, bad JSON, a lone surrogate, binary and undecodable files,
documents that give no claim, and one too large. Issue 16 adds sentences with U+0085
(which json.dumps writes raw), upper-case suffixes (``B0.TXT``, ``more.JSONL``, a
``rows.CSV`` beside the folder with ids ``001``, ``1`` and ``01``), a JSONL line that is
not UTF-8 between good ones, and documents whose cached scores were edited to NaN (model
failures, in both runs). ``--batch-size 1`` makes every score independent of which
documents share a batch, so the comparison is exact.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter

import pytest

from claimx.cli import main
from claimx.io import read_claims

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

SUBJECTS = ["Russia", "Moscow", "The Kremlin", "Russian diplomats", "Gazprom"]
VERBS = ["signed a defence pact with", "lost a key ally in", "opened a naval base in", "was expelled from"]
PLACES = ["Mali", "Sudan", "Armenia", "Kazakhstan", "Syria", "Venezuela", "Serbia", "Libya"]


def _good(rng: random.Random, i: int) -> str:
    """Short (language detection dominates the cost), some with a second paragraph or a date stamp."""
    lines = [f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(PLACES)} on day {i}."]
    if i % 5 == 0:
        lines.append(f"Analysts in {rng.choice(PLACES)} expect a shift in the balance of power by {i % 50} points.")
    if i % 7 == 3:  # NEL, raw in the claims file: a re-run must still read the line whole
        lines[0] = lines[0].replace(" on day", "\u0085 on day")
    prelude = f"date 2024-{i % 12 + 1:02d}-{i % 28 + 1:02d}\n" if i % 10 == 0 else ""
    return prelude + "\n\n".join(lines)


def _hostile(i: int) -> bytes:
    kind = i % 12
    return [
        b"",
        b" \n\t \n",
        bytes(range(256)) * 2,
        b"Russia \xc3\x28 wins \xff\xfe",
        b"123 456 7.890 ... 42 %%% !!!",
        f"<html><body><p>Russia opened a base in Mali on day {i}.</p><script>var a='<b>';</script></html>".encode(),
        b"Russia is isolated.",
        ("x" * 6000).encode(),
        f"Russia\u200b has\x07 opened\u200d a naval base\x00 on the Red Sea coast on day {i}.".encode(),
        "俄罗斯在中亚的影响力正在下降。中国正在扩大其在该地区的影响力。".encode(),
        "افتتحت روسيا قاعدة بحرية جديدة على ساحل البحر الأحمر، بحسب مسؤولين في موسكو.".encode(),
        (" ".join(["Moscow"] + ["influence"] * 900)).encode(),
    ][kind]


def build_folder(folder) -> int:
    """The mixed folder; returns how many documents it holds."""
    rng = random.Random(0)
    folder.mkdir()
    n = 0
    for i in range(760):
        (folder / f"good{i:04d}.txt").write_text(_good(rng, i), encoding="utf-8")
        n += 1
    for i in range(180):
        (folder / f"hostile{i:04d}.txt").write_bytes(_hostile(i))
        n += 1
    (folder / "huge.txt").write_text("Russia gains. " * 80_000, encoding="utf-8")  # over 1,000,000 characters
    for year in ("2024", "2025"):
        (folder / year).mkdir()
        (folder / year / "report.txt").write_text(f"Moscow lost an ally in {year}, analysts said.", encoding="utf-8")
    os.mkfifo(folder / "pipe.txt")
    (folder / "gone.txt").symlink_to(folder / "nowhere.txt")
    records = [json.dumps({"id": f"r{i:03d}", "text": _good(rng, 1000 + i), "date": "2024-05-01"}) for i in range(40)]
    records += [json.dumps({"id": "good0001", "text": "Russia again."}), "{not json", json.dumps({"id": "nt"})]
    records += ['{"id": "sur", "text": "Russia \\ud83d gains."}', json.dumps({"id": "r000", "text": "Again."})]
    (folder / "records.jsonl").write_text("\n".join(records) + "\n", encoding="utf-8")
    n += 1 + 2 + 2 + len(records)
    for i in range(5):  # upper-case suffixes are read by their reader
        (folder / f"B{i}.TXT").write_text(f"Moscow opened a consulate in {PLACES[i]} on day {i}.", encoding="utf-8")
    more = [json.dumps({"id": f"m{i:02d}", "text": _good(rng, 2000 + i)}).encode() for i in range(12)]
    more[5] = b'{"id": "m05", "text": "Russia \xff gains."}'  # refused alone, the rest read
    (folder / "more.JSONL").write_bytes(b"\n".join(more) + b"\n")
    for i in range(POISONED):
        (folder / f"poison{i}.txt").write_text(poison_text(i), encoding="utf-8")
    return n + 5 + len(more) + POISONED


POISONED = 4
"""Documents whose cached scores are edited to NaN before the runs: model failures in both."""


def poison_text(i: int) -> str:
    return f"Russia poisoned the talks in {PLACES[i]} on day {i}."


def poison_cache(tmp_path, cache, args) -> None:
    """Score the poisoned documents once into ``cache``, then edit every cached score to NaN."""
    import sqlite3

    for i in range(POISONED):
        (tmp_path / f"warm{i}.txt").write_text(poison_text(i), encoding="utf-8")
    warm = [str(tmp_path / f"warm{i}.txt") for i in range(POISONED)]
    assert main(["extract", *warm, "-o", str(tmp_path / "warm.jsonl"), "-q", *args]) == 0
    with sqlite3.connect(cache) as db:
        nan = json.dumps({"russian_gain": float("nan"), "russian_loss": 0.1, "neutral": 0.5})
        assert db.execute("UPDATE entries SET value = ? WHERE ns LIKE 'classify|%'", (nan,)).rowcount == POISONED


def write_rows(path) -> int:
    """Numeric-looking ids, given beside the folder: three documents, not three times "1"."""
    texts = [f"Russia lost an important vote in the parliament of {place} this week." for place in PLACES[:3]]
    lines = [f"{i},{t}\n" for i, t in zip(["001", "1", "01"], texts, strict=True)]
    path.write_text("id,text\n" + "".join(lines), encoding="utf-8")
    return 3


def _manifest(path):
    return Counter(
        json.dumps(
            {k: r[k] for k in ("id", "source", "status", "claims", "dropped", "warnings", "error")}, sort_keys=True
        )
        for r in map(json.loads, open(path, encoding="utf-8"))
    )


@pytest.mark.slow
def test_kill_and_resume_over_a_hostile_folder_matches_a_clean_run(tmp_path, tiny_models):
    folder = tmp_path / "soak"
    n = build_folder(folder)
    rows = tmp_path / "rows.CSV"
    n += write_rows(rows)
    args = ["--glob", "*", "--classifier-model", str(tiny_models["nli"]), "--device", "cpu", "--batch-size", "1"]
    args += ["--threads", "1"]  # a tiny model gains nothing from two threads, and loses much on a busy machine
    cache = tmp_path / "cache"
    args += ["--cache-dir", str(cache)]
    poison_cache(tmp_path, cache / "claimx-cache.sqlite", args)
    clean = tmp_path / "clean.jsonl"
    assert main(["extract", str(folder), str(rows), "-o", str(clean), "-q", *args]) == 1  # the poisoned ones

    out = folder / "claims.jsonl"  # inside the folder read, with --glob '*'
    cmd = [sys.executable, "-m", "claimx", "extract", str(folder), str(rows), "-o", str(out), "-q", *args]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    manifest = folder / "claims.jsonl.documents.jsonl"
    deadline = time.time() + 240
    while time.time() < deadline and proc.poll() is None:
        if manifest.exists() and manifest.stat().st_size > 0 and len(manifest.read_bytes().splitlines()) >= n // 3:
            break
        time.sleep(0.005)
    assert proc.poll() is None, proc.stderr.read().decode()
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    finished = len(manifest.read_bytes().splitlines())
    assert 0 < finished < n
    with out.open("a", encoding="utf-8") as f:  # the kill landed mid-write
        f.write('{"doc_id": "good0999", "text": "half')

    assert main(["extract", str(folder), str(rows), "-o", str(out), "-q", *args]) == 1
    resumed = read_claims(out)
    assert [c.to_dict() for c in resumed] == [c.to_dict() for c in read_claims(clean)]
    assert _manifest(manifest) == _manifest(f"{clean}.documents.jsonl")
    assert sum(_manifest(manifest).values()) == n  # every document is one line
    statuses = Counter(json.loads(line)["status"] for line in open(manifest, encoding="utf-8"))
    assert statuses["ok"] > 700 and statuses["input_error"] > 50 and statuses["duplicate"] == 3
    assert statuses["model_error"] == POISONED
    by_id = {r["id"]: r for r in map(json.loads, open(manifest, encoding="utf-8"))}
    assert all(by_id[i]["status"] == "ok" for i in ("001", "1", "01", "B0", "m04", "m06", "m11")), by_id.get("1")
    assert "not UTF-8" in by_id[f"{folder / 'more.JSONL'}:6"]["error"]
    assert "non-finite" in by_id["poison0"]["error"]
    assert any("\u0085" in c.text for c in resumed)
    # A third run has nothing left to do but retry the model failures, which fail again.
    before, records = out.read_bytes(), _manifest(manifest)
    assert main(["extract", str(folder), str(rows), "-o", str(out), "-q", *args]) == 1
    assert out.read_bytes() == before and _manifest(manifest) == records
