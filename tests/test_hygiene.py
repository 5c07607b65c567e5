"""Notebook hygiene: committed without outputs, tags kept, a typed `parameters` cell first."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from analysis.paths import PROJ_ROOT


def _notebooks() -> list[Path]:
    try:
        out = subprocess.run(
            ["git", "ls-files", "*.ipynb"],
            cwd=PROJ_ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        tracked = [PROJ_ROOT / p for p in out.stdout.split()]
    except (OSError, subprocess.CalledProcessError):
        tracked = []
    found = sorted(
        set(tracked)
        | set(PROJ_ROOT.glob("notebooks/**/*.ipynb"))
        | set(PROJ_ROOT.glob("tests/notebooks/*.ipynb"))
    )
    return [p for p in found if ".ipynb_checkpoints" not in p.parts and p.exists()]


@pytest.mark.parametrize("path", _notebooks(), ids=lambda p: str(p.relative_to(PROJ_ROOT)))
def test_notebook_is_stripped(path: Path) -> None:
    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            assert not cell.get("outputs"), f"{path.name} carries outputs: run `make strip`"
            assert cell.get("execution_count") is None, f"{path.name} carries execution counts"


@pytest.mark.parametrize(
    "path", sorted(PROJ_ROOT.glob("notebooks/reports/*.ipynb")), ids=lambda p: p.stem
)
def test_report_notebook_has_typed_parameters_cell(path: Path) -> None:
    nb = json.loads(path.read_text(encoding="utf-8"))
    first = nb["cells"][0]
    assert "parameters" in first["metadata"].get("tags", []), "cell 1 must be tagged `parameters`"
    source = "".join(first["source"])
    names = set(re.findall(r"^(\w+): (?:str|int|float|bool) = .+  # .+$", source, re.M))
    assert {"data_dir", "period", "lang", "out_dir"} <= names, (
        "typed literals with a trailing comment each"
    )


def test_nbstripout_keeps_tags() -> None:
    import nbformat
    from nbstripout import strip_output

    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("1", metadata={"tags": ["parameters"]})
    cell.outputs = [nbformat.v4.new_output("stream", text="x")]
    cell.execution_count = 3
    nb.cells = [cell]
    stripped = strip_output(nb, keep_output=False, keep_count=False, keep_id=True)
    assert stripped.cells[0].metadata["tags"] == ["parameters"]
    assert stripped.cells[0].outputs == []
