"""The batch command under a hostile user: one-line errors, exit codes, resume, locks, Ctrl-C."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time

import pytest
from filelock import FileLock

from claimx.cli import main
from claimx.extractor import Extractor
from claimx.io import read_claims

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SEEDS = os.path.join(ROOT, "fixtures", "seeds")
GOOD = "Russia has opened a new naval base on the Red Sea coast, officials in Moscow said."


@pytest.fixture(scope="module")
def model_args(tiny_models):
    return ["--classifier-model", str(tiny_models["nli"]), "--translation-model", f"de={tiny_models['marian_de_en']}"]


@pytest.fixture(scope="module")
def english(tmp_path_factory):
    """Five English documents (no translation: the tiny MarianMT decodes slowly)."""
    folder = tmp_path_factory.mktemp("english")
    for i in range(5):
        text = f"Report {i}. {GOOD}\n\nMoscow lost an ally in the region this week, analysts said on day {i}."
        (folder / f"doc{i}.txt").write_text(text, encoding="utf-8")
    return str(folder)


@pytest.fixture()
def no_models(monkeypatch):
    """Fails the test if a model would be built: usage errors must come first."""

    def refuse(*_a, **_k):
        raise AssertionError("an extractor was built before the arguments were checked")

    monkeypatch.setattr(Extractor, "from_config", refuse)


def one_error_line(capsys, code, expected):
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert code == 2, err
    assert len(lines) == 1 and lines[0].startswith("claimx: error: ") and expected in lines[0], err
    return lines[0]


def _labels(tmp_path, text):
    path = tmp_path / "labels.toml"
    path.write_text(text, encoding="utf-8")
    return ["--labels", str(path)]


USAGE_ERRORS = [
    (lambda t: ["-o", "claims.txt"], "output must end in .jsonl, .csv or .parquet"),
    (lambda t: ["--threads", "0"], "threads must be a whole number >= 1"),
    (lambda t: ["--device", "tpu"], "device must be one of"),
    (lambda t: ["--batch-size", "0"], "sentences_per_batch must be"),
    (lambda t: ["--prefilter", "2"], "prefilter must be a number within [-1, 1]"),
    (lambda t: ["--glob", "/etc/*"], "--glob '/etc/*'"),
    (lambda t: _labels(t, 'threshold = "0.5"\n'), "threshold must be a number, got '0.5'"),
    (lambda t: _labels(t, "colour = 1\n"), "unknown keys"),
    (lambda t: _labels(t, 'nli_hypotheses = {russian_gain = ["{country} wins."], russian_loss = ["x"]}\n'), "{actor}"),
    (lambda t: _labels(t, 'margin = "abc"\n'), "margin must be a number, got 'abc'"),
    (lambda t: _labels(t, 'topic = "a string"\n'), "topic must be a non-empty list of strings"),
    (lambda t: _labels(t, "threshold = [\n"), "cannot read label config"),
    (lambda t: ["--labels", str(t / "missing.toml")], "cannot read label config"),
    (lambda t: ["--config", str(t / "missing.toml")], "cannot read config"),
    (lambda t: ["--restart"], "--restart needs -o OUT"),
    (lambda t: ["--ray"], "--ray needs -o OUT"),
    (lambda t: ["--translation-model", "de"], "LANG=REF"),
]


@pytest.mark.parametrize("make, expected", USAGE_ERRORS, ids=[e for _, e in USAGE_ERRORS])
def test_every_usage_mistake_is_one_line_and_exit_2_before_any_model(make, expected, tmp_path, capsys, no_models):
    """No traceback, and (-o claims.txt too) before any model loads."""
    code = main(["extract", SEEDS, *make(tmp_path)])
    one_error_line(capsys, code, expected)


def test_input_mistakes_are_one_line(tmp_path, capsys, no_models):
    empty = tmp_path / "empty"
    empty.mkdir()
    one_error_line(capsys, main(["extract", str(empty)]), "no input documents found")
    one_error_line(capsys, main(["extract", str(tmp_path / "nope.txt")]), "does not exist")


def test_a_corrupt_cache_database_is_one_line(tmp_path, capsys, model_args):
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / "claimx-cache.sqlite").write_bytes(b"this is no database" * 100)
    code = main(["extract", SEEDS, "--cache-dir", str(tmp_path / "cache"), *model_args])
    one_error_line(capsys, code, "not a usable claimx cache")


def test_eval_of_a_binary_file_is_one_line(capsys, no_models):
    code = main(["eval", "/bin/ls", "--device", "cpu"])
    one_error_line(capsys, code, "not UTF-8 text")


def test_eval_of_a_binary_gold_file_names_it(capsys, no_models):
    line = one_error_line(capsys, main(["eval", "/bin/ls", "--device", "cpu"]), "not UTF-8 text")
    assert "/bin/ls" in line


def test_output_over_input_is_refused(tmp_path, capsys, no_models, monkeypatch):
    """-o news.jsonl over the input news.jsonl (also as ./news.jsonl or a symlink) changes nothing."""
    news = tmp_path / "news.jsonl"
    news.write_text(json.dumps({"id": "a", "text": GOOD}) + "\n", encoding="utf-8")
    before = news.read_bytes()
    (tmp_path / "link.jsonl").symlink_to(news)
    monkeypatch.chdir(tmp_path)
    for inp, out in [("news.jsonl", "news.jsonl"), ("news.jsonl", "./news.jsonl"), ("link.jsonl", str(news))]:
        one_error_line(capsys, main(["extract", inp, "-o", out]), "also an output of this run")
        one_error_line(capsys, main(["extract", inp, "-o", out, "--restart"]), "also an output of this run")
    side = tmp_path / "out.jsonl.errors.jsonl"  # a side file of -o out.jsonl, as an input
    side.write_text(json.dumps({"id": "b", "text": GOOD}) + "\n", encoding="utf-8")
    one_error_line(capsys, main(["extract", str(side), "-o", "out.jsonl"]), "also an output of this run")
    assert news.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.jsonl", "news.jsonl", "out.jsonl.errors.jsonl"]


def test_a_second_run_on_a_held_output_refuses(tmp_path, capsys, model_args):
    """Exit 2 with a clear line while another run holds OUT.lock; nothing written twice."""
    out = tmp_path / "claims.jsonl"
    lock = FileLock(f"{out}.lock", timeout=0)
    lock.acquire()
    try:
        one_error_line(capsys, main(["extract", SEEDS, "-o", str(out), *model_args]), "another claimx run is writing")
    finally:
        lock.release()
    assert not out.exists()


@pytest.mark.slow
def test_two_runs_at_once_write_every_claim_once(tmp_path, model_args):
    """As reported: two processes on one output; one refuses (exit 2), the other's claims are whole."""
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(
        "".join(json.dumps({"id": f"d{i:03d}", "text": f"{GOOD} Report {i}."}) + "\n" for i in range(400)),
        encoding="utf-8",
    )
    out = tmp_path / "claims.jsonl"
    cmd = [sys.executable, "-m", "claimx", "extract", str(corpus), "-o", str(out), "-q", "--device", "cpu"]
    runs = [
        subprocess.Popen([*cmd, *model_args], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]  # both lock before loading a model; the first holds the lock while it processes 400 documents
    results = [(p.wait(timeout=300), p.stderr.read()) for p in runs]
    assert sorted(code for code, _ in results) == [0, 2], results
    assert any("another claimx run is writing" in err for _, err in results)
    claims = read_claims(out)
    keys = [(c.doc_id, c.sentence_index) for c in claims]
    assert len(keys) == len(set(keys)) and len({c.doc_id for c in claims}) == 400


def test_resume_with_another_threshold_refuses_unless_restart(tmp_path, capsys, model_args, english):
    """Config written beside OUT; --threshold 0.7 on resume refuses naming it; --restart starts afresh."""
    out = tmp_path / "claims.jsonl"
    assert main(["extract", english, "-o", str(out), "-q", *model_args]) == 0
    assert (tmp_path / "claims.jsonl.config.toml").exists()
    before = out.read_bytes()
    line = one_error_line(capsys, main(["extract", english, "-o", str(out), "--threshold", "0.7", *model_args]), "0.7")
    assert "decision.threshold" in line and "--restart" in line
    assert out.read_bytes() == before
    assert main(["extract", english, "-o", str(out), "--threads", "1", *model_args]) == 0  # speed only: resumes
    assert "already done before: 5" in capsys.readouterr().err
    assert main(["extract", english, "-o", str(out), "-q", "--threshold", "1.0", "--restart", *model_args]) == 0
    claims = read_claims(out)
    assert len({c.doc_id for c in claims}) == 5 and all(c.label.value == "neutral" for c in claims)


def test_model_failures_exit_1_and_a_rerun_retries_them(tmp_path, capsys, tiny_models, english):
    """Every document fails in the model: exit 1 in every output mode; once the
    model is repaired a rerun processes them all (they were not marked done)."""
    model = tmp_path / "nli"
    shutil.copytree(tiny_models["nli"], model)
    weights = (model / "model.safetensors").read_bytes()
    (model / "model.safetensors").write_bytes(b"\x00" * 64)  # a truncated download
    args = [english, "--classifier-model", str(model)]
    out = tmp_path / "claims.jsonl"
    assert main(["extract", *args]) == 1  # table
    assert main(["extract", *args, "-o", "-"]) == 1
    capsys.readouterr()
    assert main(["extract", *args, "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert "model failures: 5" in err and "re-run" in err
    (model / "model.safetensors").write_bytes(weights)
    assert main(["extract", *args, "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert "documents read: 5 (already done before: 0)" in err and "documents failed: 0" in err
    assert len({c.doc_id for c in read_claims(out)}) == 5
    records = [json.loads(line) for line in open(f"{out}.documents.jsonl", encoding="utf-8")]
    assert [r["status"] for r in records] == ["ok"] * 5
    assert open(f"{out}.errors.jsonl", encoding="utf-8").read() == ""


def test_only_bad_input_exits_0_in_every_mode(tmp_path, model_args, capsys):
    """README: 0 when every document was processed or recorded as failed input."""
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "good.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "in" / "empty.txt").write_text("", encoding="utf-8")
    for mode in ([], ["-o", "-"], ["-o", str(tmp_path / "claims.jsonl")]):
        assert main(["extract", str(tmp_path / "in"), *mode, *model_args]) == 0
    assert "empty document" in capsys.readouterr().err


def test_an_unreadable_input_among_good_ones_is_recorded(tmp_path, capsys, model_args, english):
    """`fixtures/seeds notext.csv` processes the documents and records notext.csv."""
    notext = tmp_path / "notext.csv"
    notext.write_text("body\nRussia gains.\n", encoding="utf-8")
    out = tmp_path / "claims.jsonl"
    assert main(["extract", english, str(notext), "-o", str(out), "-q", *model_args]) == 0
    assert len({c.doc_id for c in read_claims(out)}) == 5
    (error,) = [json.loads(line) for line in open(f"{out}.errors.jsonl", encoding="utf-8")]
    assert error["doc_id"] == "notext.csv" and "--text-column" in error["reason"]


@pytest.mark.slow
def test_reading_its_own_output_never_hangs(tmp_path, model_args):
    """`extract . --glob '*.jsonl' -o ./claims.jsonl` twice: the second run finds nothing new."""
    (tmp_path / "docs.jsonl").write_text(
        "".join(json.dumps({"id": f"d{i}", "text": f"{GOOD} Report {i}."}) + "\n" for i in range(3)), encoding="utf-8"
    )
    cmd = [sys.executable, "-m", "claimx", "extract", ".", "--glob", "*.jsonl", "-o", "./claims.jsonl"]
    cmd += ["--device", "cpu", *model_args]
    for _ in range(2):
        run = subprocess.run(cmd, cwd=tmp_path, capture_output=True, text=True, timeout=240)
        assert run.returncode == 0, run.stderr
    assert "documents read: 0 (already done before: 3)" in run.stderr
    assert sorted({c.doc_id for c in read_claims(tmp_path / "claims.jsonl")}) == ["d0", "d1", "d2"]


@pytest.mark.slow
def test_quiet_means_no_progress_bars(tmp_path, model_args):
    """No datasets or "Loading weights" bars with --quiet."""
    import datasets

    datasets.Dataset.from_dict({"id": ["a", "b"], "text": [GOOD, GOOD + " Again."]}).to_csv(str(tmp_path / "rows.csv"))
    cmd = [sys.executable, "-m", "claimx", "extract", str(tmp_path / "rows.csv"), "-o", "-", "-q", "--device", "cpu"]
    run = subprocess.run([*cmd, *model_args], cwd=ROOT, capture_output=True, text=True, timeout=240)
    assert run.returncode == 0 and len(run.stdout.splitlines()) >= 2, run.stderr
    assert "%|" not in run.stderr and "Loading" not in run.stderr and "Generating" not in run.stderr, run.stderr


def test_three_thousand_bad_lines_are_summed_up(tmp_path, capsys, model_args):
    """The summary groups identical reasons instead of printing 3,000 lines."""
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{not json\n" * 3000 + json.dumps({"id": "ok", "text": GOOD}) + "\n", encoding="utf-8")
    for mode in (["-o", str(tmp_path / "claims.jsonl")], ["-o", "-"]):
        assert main(["extract", str(bad), *mode, *model_args]) == 0
        err = capsys.readouterr().err
        assert len(err.splitlines()) < 25 and "3000 x line N is not JSON" in err, err


def test_the_resume_hint_only_where_a_rerun_resumes(tmp_path, capsys, model_args, monkeypatch):
    """The "re-run ... to resume" hint with -o OUT only; Ctrl-C is one line and exit 130."""

    def interrupt(*_a, **_k):
        raise KeyboardInterrupt

    monkeypatch.setattr("claimx.job.run_job", interrupt)
    monkeypatch.setattr("claimx.cli.extract._print_table", interrupt)
    assert main(["extract", SEEDS, *model_args]) == 130
    assert capsys.readouterr().err.strip() == "claimx: interrupted"
    assert main(["extract", SEEDS, "-o", str(tmp_path / "c.jsonl"), *model_args]) == 130
    assert capsys.readouterr().err.strip() == "claimx: interrupted; re-run the same command to resume"


CTRL_C = (
    "import os, signal, sys, threading\n"
    "from claimx.cli import main\n"
    "threading.Timer(float(sys.argv[1]), os.kill, (os.getpid(), signal.SIGINT)).start()\n"
    "sys.exit(main(sys.argv[2:]))\n"
)


@pytest.mark.parametrize("delay", [0.1, 0.4, 0.8, 1.5, 3.0])
def test_ctrl_c_at_any_moment_is_one_line_and_exit_130(delay, tmp_path, model_args):
    """Ctrl-C in the first second (imports, argument checks, model loading) was a 20-line traceback."""
    args = ["extract", SEEDS, "-o", str(tmp_path / "c.jsonl"), "--device", "cpu", *model_args]
    run = subprocess.run(
        [sys.executable, "-c", CTRL_C, str(delay), *args], cwd=ROOT, capture_output=True, text=True, timeout=240
    )
    if run.returncode == 0:  # finished before the signal: nothing to check
        return
    assert run.returncode == 130, run.stderr
    assert run.stderr.strip().splitlines() == ["claimx: interrupted; re-run the same command to resume"], run.stderr


@pytest.mark.slow
def test_a_sigint_during_a_run_then_resume(tmp_path, model_args):
    """README: after Ctrl-C, running the same command again finishes the rest, without duplicates."""
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(
        "".join(json.dumps({"id": f"d{i:03d}", "text": f"{GOOD} Report {i}."}) + "\n" for i in range(300)),
        encoding="utf-8",
    )
    out = tmp_path / "claims.jsonl"
    cmd = [sys.executable, "-m", "claimx", "extract", str(corpus), "-o", str(out), "--device", "cpu", *model_args]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    manifest = tmp_path / "claims.jsonl.documents.jsonl"
    deadline = time.time() + 240
    while time.time() < deadline and proc.poll() is None:
        if manifest.exists() and len(manifest.read_text().splitlines()) >= 20:
            break
        time.sleep(0.01)
    assert proc.poll() is None, "finished before it could be interrupted"
    proc.send_signal(signal.SIGINT)
    assert proc.wait(timeout=60) == 130
    assert proc.stderr.read().strip().splitlines()[-1] == "claimx: interrupted; re-run the same command to resume"
    rerun = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=240)
    assert rerun.returncode == 0, rerun.stderr
    claims = read_claims(out)
    keys = [(c.doc_id, c.sentence_index) for c in claims]
    assert len(keys) == len(set(keys)) and sorted({c.doc_id for c in claims}) == [f"d{i:03d}" for i in range(300)]
