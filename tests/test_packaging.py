"""A built wheel carries every folder of claimx/ and its data (an editable install would hide a gap)."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_wheel_carries_every_package_folder_and_data_file(tmp_path):
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "-q",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("claimx-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    source = ROOT / "claimx"
    wanted = {
        p.relative_to(ROOT).as_posix()
        for p in source.rglob("*")
        if p.is_file()
        and "__pycache__" not in p.parts
        and p.suffix in {".py", ".tsv", ".json", ".npz", ".safetensors", ".js", ".css", ".html"}
    }
    assert wanted - names == set()
    assert {
        "claimx/heads/e5-small/head.npz",
        "claimx/stance/e5-small-stance/stance.safetensors",
        "claimx/stance/e5-small-stance/stance.json",
        "claimx/data/places.tsv",
        "claimx/reporting/assets/report.js",
    } <= names
