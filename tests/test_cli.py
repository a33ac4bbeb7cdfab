"""The claimx command, run in-process through main() and as a real subprocess."""

import json
import os
import signal
import subprocess
import sys
import time

import pytest

import claimx
from claimx.cli import main
from claimx.io import read_claims

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@pytest.fixture(scope="module")
def model_args(tiny_models):
    return [
        "--classifier-model",
        str(tiny_models["nli"]),
        "--translation-model",
        f"de={tiny_models['marian_de_en']}",
        "--device",
        "cpu",
    ]


def test_help_shows_examples(capsys):
    with pytest.raises(SystemExit) as info:
        main(["extract", "--help"])
    assert info.value.code == 0
    assert "examples:" in capsys.readouterr().out


def test_missing_input_path_is_one_line_and_exit_2(capsys, tmp_path, model_args):
    assert main(["extract", str(tmp_path / "missing.txt"), *model_args]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "does not exist" in err[0]


def test_bad_translation_option(model_args, capsys):
    assert main(["extract", "fixtures/seeds", "--translation-model", "nonsense", "--device", "cpu"]) == 2
    assert "LANG=REF" in capsys.readouterr().err


@pytest.mark.slow
def test_table_and_jsonl_to_stdout(capsys, model_args):
    assert main(["extract", "fixtures/seeds", *model_args]) == 0
    out = capsys.readouterr().out
    assert "== 004_2a3c941a44f7ccfb [de]" in out and " claims" in out
    # Threshold 1.0: nothing passes, everything is neutral; --only then filters by label.
    assert main(["extract", "fixtures/seeds", "-o", "-", "--threshold", "1.0", "--only", "neutral", *model_args]) == 0
    claims = [claimx.Claim.from_dict(json.loads(line)) for line in capsys.readouterr().out.splitlines()]
    assert len(claims) > 50 and all(c.label is claimx.Label.NEUTRAL for c in claims)
    assert (
        main(["extract", "fixtures/seeds", "-o", "-", "--threshold", "1.0", "--only", "russian_gain", *model_args]) == 0
    )
    assert capsys.readouterr().out == ""


@pytest.mark.slow
def test_every_output_format_holds_the_same_claims(tmp_path, model_args, capsys):
    paths = [tmp_path / f"out{s}" for s in (".jsonl", ".csv", ".parquet")]
    for path in paths:
        assert main(["extract", "fixtures/seeds", "-o", str(path), *model_args]) == 0
    first = read_claims(paths[0])
    assert len({c.doc_id for c in first}) == 5
    for path in paths[1:]:
        assert read_claims(path) == first
    summary = capsys.readouterr().err
    assert "documents read: 5" in summary and "claims written" in summary


def test_bad_documents_go_to_the_errors_file(tmp_path, model_args):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "good.txt").write_text(
        "Russia has opened a new naval base on the Red Sea coast.", encoding="utf-8"
    )
    (tmp_path / "in" / "empty.txt").write_text("  \n", encoding="utf-8")
    (tmp_path / "in" / "binary.txt").write_bytes(b"\x00\x01\x02\x03")
    (tmp_path / "in" / "numbers.txt").write_text("123 456 789 ... 42 !!", encoding="utf-8")
    out = tmp_path / "claims.jsonl"
    assert main(["extract", str(tmp_path / "in"), "-o", str(out), "-q", *model_args]) == 0
    errors = {
        e["doc_id"]: e["reason"]
        for e in map(json.loads, (tmp_path / "claims.jsonl.errors.jsonl").read_text().splitlines())
    }
    assert set(errors) == {"empty", "binary", "numbers"}
    assert "empty" in errors["empty"] and "binary" in errors["binary"] and "language" in errors["numbers"]
    assert {c.doc_id for c in read_claims(out)} == {"good"}


@pytest.mark.slow
def test_jsonl_from_stdin(tmp_path, model_args):
    docs = "".join(
        json.dumps({"id": f"s{i}", "text": "Moscow lost its last ally in the region this week."}) + "\n"
        for i in range(3)
    )
    run = subprocess.run(
        [sys.executable, "-m", "claimx", "extract", "-", "-o", "-", *model_args],
        input=docs,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    assert [json.loads(line)["doc_id"] for line in run.stdout.splitlines()] == ["s0", "s1", "s2"]


@pytest.mark.slow
def test_eval_prints_the_metrics(capsys, model_args):
    assert main(["eval", "fixtures/gold/seeds.tsv", "--calibrate", *model_args]) == 0
    out = capsys.readouterr().out
    assert "macro-F1" in out and "certainty == clear" in out and "calibrated neutral threshold" in out
    assert "unmatched: 0" in out


def _corpus(path, n):
    lines = []
    for i in range(n):
        text = f"Russia signed agreement number {i} with a partner state. Moscow's envoy praised the deal."
        lines.append(json.dumps({"id": f"d{i:04d}", "text": text}))
    lines.insert(5, "{broken json")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.mark.slow
def test_kill_during_a_batch_then_resume(tmp_path, model_args):
    corpus = tmp_path / "corpus.jsonl"
    n = 600
    _corpus(corpus, n)
    out = tmp_path / "claims.jsonl"
    cmd = [sys.executable, "-m", "claimx", "extract", str(corpus), "-o", str(out), "-q", *model_args]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    done = tmp_path / "claims.jsonl.documents.jsonl"  # the manifest: one line per finished document
    deadline = time.time() + 240
    while time.time() < deadline and proc.poll() is None:
        if done.exists() and len(done.read_text().splitlines()) >= 40:
            break
        time.sleep(0.01)
    assert proc.poll() is None, "the batch finished before it could be killed; make the corpus larger"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    finished_before = len(done.read_text().splitlines())
    assert 0 < finished_before < n + 1
    # Simulate the kill landing mid-write: a half line at the end of the claims file.
    with out.open("a", encoding="utf-8") as f:
        f.write('{"doc_id": "d9999", "text": "half')
    rerun = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    claims = read_claims(out)  # every line parses: no half-written record survived
    keys = [(c.doc_id, c.sentence_index) for c in claims]
    assert len(keys) == len(set(keys)), "duplicate claims after resume"
    assert {c.doc_id for c in claims} == {f"d{i:04d}" for i in range(n)}
    assert all(sum(1 for c in claims if c.doc_id == f"d{i:04d}") == 2 for i in range(n))
    errors = (tmp_path / "claims.jsonl.errors.jsonl").read_text().splitlines()
    assert len(errors) == 1 and "not JSON" in errors[0]
    # A third run has nothing left to do and changes nothing.
    before = out.read_bytes()
    third = subprocess.run(
        [*cmd[: -len(model_args)], *model_args], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert third.returncode == 0 and out.read_bytes() == before


@pytest.mark.slow
def test_labels_file_changes_actor_and_threshold(tmp_path, model_args, capsys):
    labels = tmp_path / "labels.toml"
    labels.write_text('actor = "China"\nthreshold = 1.0\n', encoding="utf-8")
    assert main(["extract", "fixtures/seeds", "-o", "-", "--labels", str(labels), *model_args]) == 0
    claims = [claimx.Claim.from_dict(json.loads(line)) for line in capsys.readouterr().out.splitlines()]
    assert claims and all(c.label is claimx.Label.NEUTRAL for c in claims)
    labels.write_text("threshold = 7\n", encoding="utf-8")
    assert main(["extract", "fixtures/seeds", "--labels", str(labels), *model_args]) == 2
    assert "threshold must be within [0, 1]" in capsys.readouterr().err


def test_ctrl_c_while_the_command_starts_is_one_line(monkeypatch, capsys):
    import builtins

    import claimx.console

    real_import = builtins.__import__

    def interrupted(name, globals=None, locals=None, fromlist=(), level=0):  # noqa: A002
        if level == 1 and name == "cli":  # `from .cli import main` inside the console script
            raise KeyboardInterrupt
        return real_import(name, globals, locals, fromlist, level)

    monkeypatch.setattr(builtins, "__import__", interrupted)
    with pytest.raises(SystemExit) as exit_:
        claimx.console.run()
    assert exit_.value.code == 130 and capsys.readouterr().err == "claimx: interrupted\n"
