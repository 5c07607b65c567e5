"""Every report notebook runs under papermill into a temporary folder, in English too."""

from __future__ import annotations

from pathlib import Path

import nbformat
import papermill as pm
import pytest

from analysis.paths import PROJ_ROOT
from analysis.runner import kernel_name, report_notebooks

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("notebook", report_notebooks(), ids=lambda p: p.stem)
def test_report_notebook_runs_in_english(notebook: Path, tmp_path: Path, sample_dir: Path) -> None:
    out = tmp_path / notebook.name
    pm.execute_notebook(
        str(notebook),
        str(out),
        parameters={
            "data_dir": str(sample_dir),
            "period": "",
            "lang": "en",
            "out_dir": str(tmp_path),
        },
        kernel_name=kernel_name(),
        cwd=str(PROJ_ROOT),
        progress_bar=False,
        execution_timeout=300,
    )
    nb = nbformat.read(out, as_version=4)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    html = "".join(str(o.get("data", {}).get("text/html", "")) for o in outputs)
    assert html, "the report shows something"
    assert (tmp_path / ".headlines" / f"{notebook.stem.split('_', 1)[1]}.json").is_file()
