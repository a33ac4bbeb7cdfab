"""Make docs/report.png: the report on the seed documents, as headless Chromium shows it.

    python docs/report_screenshot.py                 # runs `claimx extract fixtures/seeds` first (offline default)
    python docs/report_screenshot.py out.jsonl       # or uses a claims file you have

Needs playwright (pip) and Debian's chromium (apt-get install -y chromium).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str]) -> int:
    from playwright.sync_api import sync_playwright

    from claimx.reporting import report

    work = Path(tempfile.mkdtemp(prefix="claimx-report-"))
    claims = Path(argv[0]) if argv else work / "out.jsonl"
    if not argv:
        env = {**os.environ, "HF_HUB_OFFLINE": "1"}
        cli = [sys.executable, "-m", "claimx", "extract", str(ROOT / "fixtures" / "seeds"), "-o", str(claims), "-q"]
        subprocess.run(cli, check=True, env=env, cwd=ROOT)
    page = report(claims, documents=ROOT / "fixtures" / "seeds", title="claimx report: seed documents")
    html = page.save(work / "report.html")
    chromium = os.environ.get("CLAIMX_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        print("no chromium: apt-get install -y chromium", file=sys.stderr)
        return 1
    out = ROOT / "docs" / "report.png"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        tab = browser.new_page(viewport={"width": 1280, "height": 1500})
        tab.goto(html.as_uri())
        tab.locator("#doc-list article").first.wait_for()
        tab.screenshot(path=str(out), clip={"x": 0, "y": 0, "width": 1280, "height": 1500})
        browser.close()
    print(f"{out} ({page.n_claims} claims, {page.n_documents} documents); page: {html}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
