"""One error model: one base class, one exit-code table, a bad config.toml named by file and
line (exit 2, no traceback), one path resolver."""

from __future__ import annotations

import errno
import shutil
from pathlib import Path

import pytest

from analysis import cli, paths
from analysis.config import ConfigError, load_config
from analysis.errors import (
    EXIT_BUSY,
    EXIT_FAILED,
    EXIT_USAGE,
    AnalysisError,
    BusyError,
    FrameError,
    MachineFault,
    UsageError,
    exit_code_for,
)
from analysis.io import InputError
from analysis.paths import SAMPLE_DATA_DIR

BAD_TOML = '[budget]\nmateriality_pct = 0.05\nrevenue_categories = ["收入",\n[scorecard\n'


@pytest.fixture
def bad_config(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    data.mkdir()
    shutil.copytree(SAMPLE_DATA_DIR / "budget", data / "budget")
    (data / "config.toml").write_text(BAD_TOML, encoding="utf-8")
    return data


def test_every_kind_is_an_analysis_error_with_its_exit_code() -> None:
    cases = [
        (UsageError("x"), EXIT_USAGE),
        (BusyError("x"), EXIT_BUSY),
        (ConfigError("x"), EXIT_USAGE),
        (FrameError("x"), EXIT_USAGE),
        (InputError("甲", "a"), EXIT_USAGE),
        (MachineFault("x"), EXIT_USAGE),
        (MachineFault("x", exit_code=7), 7),
        (OSError(errno.ENOSPC, "full"), EXIT_USAGE),
        (KeyError("a bug"), EXIT_FAILED),
    ]
    for exc, code in cases:
        assert exit_code_for(exc) == code, exc
        if not isinstance(exc, (OSError, KeyError)):
            assert isinstance(exc, AnalysisError)


def test_bad_config_names_file_and_line(bad_config: Path) -> None:
    with pytest.raises(ConfigError) as info:
        load_config(bad_config)
    err = info.value
    assert err.file == str(bad_config / "config.toml") and err.line == 4
    assert "config.toml" in str(err) and "line 4" in str(err) and "第 4 行" in str(err)


@pytest.mark.parametrize("command", ["check", "run"])
def test_bad_config_exits_2_without_a_traceback(
    bad_config: Path, tmp_path: Path, command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = [command, "--data", str(bad_config)]
    if command == "run":
        argv += ["--out", str(tmp_path / "out")]
    assert cli.main(argv) == 2
    said = capsys.readouterr()
    text = said.out + said.err
    assert str(bad_config / "config.toml") in text and "line 4" in text
    assert "Traceback" not in text
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").glob("20*"))


def test_one_path_rule_current_directory_then_project_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert paths.resolve("data/sample") == SAMPLE_DATA_DIR.resolve()  # not here: the project's
    (tmp_path / "data" / "sample").mkdir(parents=True)
    assert paths.resolve("data/sample") == tmp_path / "data" / "sample"  # here: this one
    assert paths.resolve(str(tmp_path)) == tmp_path
    assert paths.resolve(None, SAMPLE_DATA_DIR) == SAMPLE_DATA_DIR
    with pytest.raises(UsageError):
        paths.resolve("a\x00b")
    from analysis.run.arguments import resolve_dir

    assert resolve_dir("data/sample", Path("/nowhere")) == paths.resolve("data/sample")


def test_cli_maps_an_analysis_error_raised_anywhere(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def busy(args: object) -> int:
        raise BusyError("另一个任务 / another run")

    monkeypatch.setattr("analysis.check.main_check", busy)
    assert cli.main(["check"]) == EXIT_BUSY
    assert "another run" in capsys.readouterr().err
