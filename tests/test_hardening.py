"""Faults and hostile input: a dying kernel, SIGTERM mid-run, concurrent runs, --only, escaping."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
from cli_helpers import analysis_cmd, published, run_cmd

from analysis import runner
from analysis.runner import Progress, run

TEST_NOTEBOOKS = Path(__file__).parent / "notebooks"
pytestmark = pytest.mark.slow


def test_dead_kernel_fails_cleanly(tmp_path: Path, sample_dir: Path, books) -> None:
    out = tmp_path / "out"
    marker = published(out, "2026-06", "last month's report")
    result = run(
        data=str(sample_dir),
        period="2026-06",
        out=str(out),
        notebooks_dir=books("40_dies.ipynb"),
        timeout=60,
        progress=Progress(quiet=True),
    )
    assert result.exit_code == 1
    assert marker.read_text(encoding="utf-8") == "last month's report"
    assert (out / "2026-06.failed" / "FAILED-40_dies.html").exists()
    assert not list(out.glob(".build-*"))


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "Ctrl-C"])
def test_interrupted_run_leaves_no_half_published_folder(
    tmp_path: Path, sample_dir: Path, sig: int, books
) -> None:
    out = tmp_path / "out"
    marker = published(out, "2026-07", "last month's report")
    folder = books("10_params.ipynb", "30_slow.ipynb")
    proc = subprocess.Popen(
        run_cmd(sample_dir, out, "2026-07", "--notebooks", folder),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while not list(out.glob(".build-2026-07-*/.logs/30_slow.log")) and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(2)  # the slow notebook is executing
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode != 0
    assert marker.read_text(encoding="utf-8") == "last month's report"
    assert not list(out.glob(".build-*")), err
    assert not list(out.glob(".old-*"))
    assert not (out / "2026-07.failed").exists()


def test_second_run_of_the_same_period_is_refused(tmp_path: Path, sample_dir: Path) -> None:
    out = tmp_path / "out"
    with runner.period_lock(out, "2026-08"):
        proc = subprocess.run(
            analysis_cmd(
                "run", "--data", str(sample_dir), "--period", "2026-08", "--out", str(out)
            ),
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert proc.returncode == 3
    assert "Another run" in proc.stderr
    assert not (out / "2026-08").exists()


def test_only_keeps_the_other_published_reports(tmp_path: Path, sample_dir: Path, books) -> None:
    folder = books("10_params.ipynb")
    shutil.copy(TEST_NOTEBOOKS / "10_params.ipynb", folder / "15_other.ipynb")
    out = tmp_path / "out"
    first = run(
        data=str(sample_dir),
        period="2026-09",
        out=str(out),
        notebooks_dir=folder,
        progress=Progress(quiet=True),
    )
    assert first.exit_code == 0, first.message
    other = (out / "2026-09" / "15_other.html").read_bytes()
    second = run(
        data=str(sample_dir),
        period="2026-09",
        out=str(out),
        notebooks_dir=folder,
        only=["params"],
        progress=Progress(quiet=True),
    )
    assert second.exit_code == 0, second.message
    assert (out / "2026-09" / "15_other.html").read_bytes() == other
    index = (out / "2026-09" / "index.html").read_text(encoding="utf-8")
    assert 'href="15_other.html"' in index and 'href="10_params.html"' in index


def test_pid_of_runner_is_not_reused_for_build_names(tmp_path: Path) -> None:
    # A stale build folder from a crashed run is cleaned up by the next run of that period.
    out = tmp_path / "out"
    (out / f".build-2026-01-{os.getpid() + 1}").mkdir(parents=True)
    runner.recover(out, "2026-01")
    assert not list(out.glob(".build-*"))


def test_zip_bomb_is_refused_before_reading(tmp_path: Path, sample_dir: Path) -> None:
    import zipfile

    data = tmp_path / "data"
    shutil.copytree(sample_dir, data)
    bomb = data / "actuals" / "bomb.xlsx"
    src = next((data / "actuals").glob("*.xlsx"))
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info, zin.read(info))
        # 40 MB of zeros compresses to ~40 KB: small on disk, huge once unpacked.
        zout.writestr("xl/media/padding.bin", b"\0" * (40 * 1024 * 1024))
    assert bomb.stat().st_size < 1024 * 1024
    (data / "config.toml").write_text(
        (data / "config.toml").read_text(encoding="utf-8")
        + "\n[limits]\nmax_uncompressed_mb = 20\n",
        encoding="utf-8",
    )
    result = run(data=str(data), out=str(tmp_path / "out"), progress=Progress(quiet=True))
    assert result.exit_code == 2
    assert "bomb.xlsx" in result.message and "zip bomb" in result.message
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
