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


@pytest.fixture(autouse=True)
def _headless(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MPLBACKEND", "Agg")
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
