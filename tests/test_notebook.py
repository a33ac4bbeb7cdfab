"""The notebook runs top to bottom offline, so it cannot rot."""

import importlib.util
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "claimx_walkthrough.ipynb"


@pytest.mark.slow
def test_notebook_executes(tmp_path):
    nb = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(
        nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOK.parent)}}
    ).execute()
    outputs = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    if importlib.util.find_spec("ipywidgets"):  # the notebook extra brings it; tqdm.auto then warns no more
        assert not [o for o in outputs if o.output_type == "stream" and "IProgress" in o.get("text", "")]
    html = [
        o["data"]["text/html"]
        for o in outputs
        if o.output_type == "execute_result" and "text/html" in o.get("data", {})
    ]
    assert any("claims</p><table>" in h for h in html), "the claims table did not render"
    assert any("net_stance" in h for h in html), "the per-document summary did not render"
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert images, "the chart did not show inline"
    assert any("<iframe" in h and "claimx report" in h for h in html), "the report did not show inline"
