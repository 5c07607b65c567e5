"""Shared fixtures: project folders, a published run on the sample data (built once per worker)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from analysis.paths import PROJ_ROOT, SAMPLE_DATA_DIR

# Notebooks under tests/ are fixtures for the runner (one fails on purpose), not nbval targets.
collect_ignore_glob = ["notebooks/*.ipynb", "corpus/*"]

REALWORLD_DIR = PROJ_ROOT.parent / "shared" / "realworld"
TEST_NOTEBOOKS = Path(__file__).parent / "notebooks"


@pytest.fixture(scope="session")
def project_root() -> Path:
    return PROJ_ROOT


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    if not (SAMPLE_DATA_DIR / "roster.xlsx").exists():
        pytest.skip("data/sample is not generated yet (make sample)")
    return SAMPLE_DATA_DIR


@pytest.fixture(scope="session")
def realworld_dir() -> Path:
    if not REALWORLD_DIR.is_dir():
        pytest.skip(f"../shared/realworld/ is absent ({REALWORLD_DIR}); real-file tests need it")
    return REALWORLD_DIR


@pytest.fixture(scope="session")
def published(tmp_path_factory: pytest.TempPathFactory, sample_dir: Path):
    """One full `analysis run` on the sample data (zh), shared by the end-to-end and browser tests."""
    from analysis.runner import Progress, run

    out = tmp_path_factory.mktemp("reports")
    result = run(data=str(sample_dir), out=str(out), lang="zh", progress=Progress(quiet=True))
    assert result.exit_code == 0, result.message
    return result


@pytest.fixture
def run_report():
    """Execute one report notebook with papermill as the runner does; returns its outputs.

    ``run_report("10_budget", tmp_path, period="2026-09", lang="zh", data_dir=...)`` writes the
    executed notebook and any report files into ``tmp_path``.
    """
    import nbformat
    import papermill as pm

    from analysis.paths import REPORT_NOTEBOOKS_DIR
    from analysis.runner import kernel_name

    def _run(stem: str, out_dir: Path, **params: str) -> list[dict]:
        out = out_dir / f"{stem}.ipynb"
        pm.execute_notebook(
            str(REPORT_NOTEBOOKS_DIR / f"{stem}.ipynb"),
            str(out),
            parameters={"period": "", "lang": "zh", "out_dir": str(out_dir), **params},
            kernel_name=kernel_name(),
            cwd=str(PROJ_ROOT),
            progress_bar=False,
            execution_timeout=300,
        )
        nb = nbformat.read(out, as_version=4)
        return [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]

    return _run


def books_folder(tmp_path: Path, *names: str) -> Path:
    """A folder of runner test notebooks (copies from tests/notebooks/)."""
    import shutil

    folder = tmp_path / "books"
    folder.mkdir(exist_ok=True)
    for n in names:
        shutil.copy(TEST_NOTEBOOKS / n, folder / n)
    return folder


@pytest.fixture
def books(tmp_path: Path):
    """``books("10_params.ipynb", …)`` → a notebooks folder for ``run(notebooks_dir=…)``."""
    return lambda *names: books_folder(tmp_path, *names)


@pytest.fixture(autouse=True)
def _headless(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MPLBACKEND", "Agg")
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
