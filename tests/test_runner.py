"""The runner: arguments, parameters as strings, exit codes, atomic publish, locking."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from cli_helpers import analysis_cmd

from analysis import runner
from analysis.runner import Progress, UsageError, run, validate_period

TEST_NOTEBOOKS = Path(__file__).parent / "notebooks"


def _run(tmp_path: Path, sample_dir: Path, folder: Path, **kw):
    return run(
        data=str(sample_dir),
        out=str(tmp_path / "out"),
        notebooks_dir=folder,
        progress=Progress(quiet=True),
        timeout=kw.pop("timeout", 120),
        **kw,
    )


@pytest.mark.parametrize(
    "bad", ["2026-13", "2026-00", "2026.10", "26-10", "../../x", "2026-10/..", "", "2026-1"]
)
def test_bad_period_is_a_usage_error(bad: str) -> None:
    with pytest.raises(UsageError):
        validate_period(bad)


def test_good_period() -> None:
    assert validate_period("2026-10") == "2026-10"


@pytest.mark.parametrize(
    ("args", "said"),
    [
        ({"data": "nope"}, "nope"),
        ({"period": "../../x"}, "YYYY-MM"),
        ({"only": ["nosuch"]}, "nosuch"),
    ],
    ids=["missing-data-folder", "bad-period", "unknown-report"],
)
def test_usage_errors_exit_2_and_publish_nothing(
    tmp_path: Path, sample_dir: Path, args: dict, said: str
) -> None:
    data = tmp_path / args.pop("data") if "data" in args else sample_dir
    result = run(data=str(data), out=str(tmp_path / "out"), progress=Progress(quiet=True), **args)
    assert result.exit_code == 2
    assert said in result.message
    assert not (tmp_path / "out").exists()


def test_output_inside_data_folder_is_refused(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    result = run(data=str(data), out=str(data / "reports"), progress=Progress(quiet=True))
    assert result.exit_code == 2


@pytest.mark.slow
def test_parameters_arrive_as_strings_and_cwd_is_project_root(
    tmp_path: Path, sample_dir: Path, books
) -> None:
    folder = books("10_params.ipynb")
    result = _run(tmp_path, sample_dir, folder, period="2026-03")
    assert result.exit_code == 0, result.message
    folder = tmp_path / "out" / "2026-03"
    params = json.loads((folder / "params.json").read_text())
    assert {k: v[0] for k, v in params.items()} == {
        "data_dir": "str",
        "period": "str",
        "lang": "str",
        "out_dir": "str",
    }
    assert params["period"][1] == "2026-03"
    assert (folder / "cwd.txt").read_text() == str(runner.PROJ_ROOT)
    # The executed notebook is kept beside its HTML, with the injected parameters.
    executed = json.loads((folder / "10_params.ipynb").read_text())
    assert any("injected-parameters" in c["metadata"].get("tags", []) for c in executed["cells"])
    html = (folder / "10_params.html").read_text()
    assert "import json" not in html  # code hidden for managers
    # Text from a report reaches the landing page escaped.
    index = (folder / "index.html").read_text()
    assert "<script>alert(1)</script>" not in index
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in index
    manifest = json.loads((folder / "run.json").read_text())
    assert manifest["status"] == "ok"
    assert manifest["parameters"]["period"] == "2026-03"
    assert {"load", "reports", "index"} <= set(manifest["seconds"])
    assert any(o["file"] == "index.html" for o in manifest["outputs"])
    assert all(o["file"] != "run.json" for o in manifest["outputs"])  # cannot describe itself
    assert all(len(i["sha256"]) == 64 for i in manifest["inputs"])
    assert (folder / "data_quality.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert not list((tmp_path / "out").glob(".build-*"))


@pytest.mark.slow
def test_failed_report_keeps_previous_folder_untouched(
    tmp_path: Path, sample_dir: Path, books
) -> None:
    ok_books = books("10_params.ipynb")
    first = _run(tmp_path, sample_dir, ok_books, period="2026-04")
    assert first.exit_code == 0, first.message
    published = tmp_path / "out" / "2026-04"
    before = {p.name: p.read_bytes() for p in published.iterdir() if p.is_file()}

    shutil.copy(TEST_NOTEBOOKS / "20_fails.ipynb", ok_books / "20_fails.ipynb")
    second = _run(tmp_path, sample_dir, ok_books, period="2026-04")
    assert second.exit_code == 1
    assert "fails" in second.message
    after = {p.name: p.read_bytes() for p in published.iterdir() if p.is_file()}
    assert after == before
    failed_page = tmp_path / "out" / "2026-04.failed" / "FAILED-20_fails.html"
    text = failed_page.read_text()
    assert "deliberate failure for the runner test" in text
    assert "jp-InputArea" in text and "RuntimeError" in text  # the failed page keeps the code
    assert json.loads((failed_page.parent / "run.json").read_text())["status"] == "failed"
    assert not list((tmp_path / "out").glob(".build-*"))


@pytest.mark.slow
def test_timeout_fails_cleanly(tmp_path: Path, sample_dir: Path, books) -> None:
    folder = books("30_slow.ipynb")
    result = _run(tmp_path, sample_dir, folder, period="2026-05", timeout=5)
    assert result.exit_code == 1, result.message
    assert "timed out" in result.message or "超时" in result.message, result.message
    assert not (tmp_path / "out" / "2026-05").exists()
    assert (tmp_path / "out" / "2026-05.failed" / "FAILED-30_slow.html").exists()


def test_second_run_for_same_period_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with (
        runner.period_lock(out, "2026-10"),
        pytest.raises(runner.BusyError),
        runner.period_lock(out, "2026-10", wait_s=0.3),
    ):
        pass
    with runner.period_lock(out, "2026-10"):  # released again
        pass


def test_interrupted_publish_is_recovered(tmp_path: Path) -> None:
    out = tmp_path / "out"
    old = out / ".old-2026-10-123"
    old.mkdir(parents=True)
    (old / "index.html").write_text("previous")
    (out / ".build-2026-10-456").mkdir()
    runner.recover(out, "2026-10")
    assert (out / "2026-10" / "index.html").read_text() == "previous"
    assert not list(out.glob(".build-*")) and not list(out.glob(".old-*"))


def test_cli_help_documents_the_run() -> None:
    out = subprocess.run(
        analysis_cmd("run", "--help"),
        capture_output=True,
        text=True,
        check=True,
    )
    for needle in (
        "--data",
        "--period",
        "--out",
        "--lang",
        "--only",
        "Exit codes",
        "index.html",
        "run.json",
    ):
        assert needle in out.stdout
    top = subprocess.run(analysis_cmd("--help"), capture_output=True, text=True, check=True)
    assert "run" in top.stdout


def test_cli_usage_error_is_one_paragraph_exit_2(tmp_path: Path) -> None:
    proc = subprocess.run(
        analysis_cmd("run", "--data", str(tmp_path / "missing"), "--out", str(tmp_path / "o")),
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert "missing" in proc.stderr
