"""The README says what the code does: set-up commands, CI, command-line flags."""

from __future__ import annotations

import re
from pathlib import Path

from claimx.cli import build_parser

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _bash_blocks() -> list[str]:
    return re.findall(r"```bash\n(.*?)```", README, flags=re.DOTALL)


def test_ci_runs_the_readme_test_command_exactly():
    ci_lines = [
        line
        for line in (ROOT / ".ci" / "run").read_text().splitlines()
        if line and not line.startswith(("#", "set ", "cd "))
    ]
    assert len(ci_lines) == 1
    assert ci_lines[0] in [block.strip() for block in _bash_blocks()]
    assert "pytest" in ci_lines[0] and "HF_HUB_OFFLINE=1" in ci_lines[0]


def test_readme_main_command_installs_and_runs_the_seeds():
    first = _bash_blocks()[0].strip()
    assert "pip install" in first and "claimx extract fixtures/seeds" in first


def test_every_flag_in_the_readme_exists():
    commands = build_parser()._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    known = {flag for command in commands.values() for action in command._actions for flag in action.option_strings}
    flags = set(re.findall(r"(?<![\w-])(--[a-z][a-z0-9-]+)", README))
    other_tools = {"--local-dir", "--rounds", "--sections", "--allow-root"}  # huggingface-cli, benchmarks, jupyter
    assert flags - other_tools - known == set()


def _python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", README, flags=re.DOTALL)


def test_every_python_example_in_the_readme_runs_as_written(tmp_path, monkeypatch):
    blocks = _python_blocks()
    assert len(blocks) >= 2
    monkeypatch.chdir(tmp_path)  # examples write files (claimx.toml, report.html) where they run
    for block in blocks:
        exec(compile(block, "README.md", "exec"), {"__name__": "readme"})  # noqa: S102
    assert (tmp_path / "report.html").stat().st_size > 1000 and (tmp_path / "claimx.toml").exists()


def test_every_claimx_name_a_docstring_refers_to_exists():
    import importlib

    missing = []
    for path in sorted((ROOT / "claimx").rglob("*.py")):
        for ref in re.findall(r":(?:func|class|mod|meth|data|attr):`~?(claimx(?:\.\w+)+)`", path.read_text("utf-8")):
            parts = ref.split(".")
            for cut in range(len(parts), 0, -1):
                try:
                    obj = importlib.import_module(".".join(parts[:cut]))
                except ImportError:
                    continue
                try:
                    for name in parts[cut:]:
                        obj = getattr(obj, name)
                except AttributeError:
                    missing.append(f"{path.relative_to(ROOT)}: {ref}")
                break
    assert missing == []


def test_the_layout_table_names_every_module_and_package():
    rows = re.findall(r"^\| ((?:`[^`]+`(?:, )?)+) \|", README, flags=re.MULTILINE)
    named = {name.rstrip("/") for row in rows for name in re.findall(r"`([^`]+)`", row)}
    tree = {p.name for p in (ROOT / "claimx").iterdir() if not p.name.startswith("_") and p.name != "data"}
    tree = {name for name in tree if name.endswith(".py") or (ROOT / "claimx" / name).is_dir()}
    assert tree - named == set() and {n for n in named if n.endswith(".py")} - tree == set()
