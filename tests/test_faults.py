"""Machine faults are messages: unreadable input, read-only or full output disk, no kernel,
an unexpected bug, a runner killed outright. Exit codes as `analysis run --help` says.

How faults are simulated (tests run as root, whom chmod does not stop, with no read-only bind
mount or full disk to hand): an OSError with the real errno is raised by monkeypatching the
write or open at a chosen point (ENOSPC, EROFS, EACCES). One test runs the CLI as root without
CAP_DAC_OVERRIDE (util-linux setpriv), where chmod does bite, to check real permission denials
end to end.
"""

from __future__ import annotations

import builtins
import errno
import io
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from cli_helpers import analysis_cmd, published, run_cmd

from analysis import cli, runner
from analysis.runner import Progress, run

LEDGER = "日期,科目,金额\n2026-06-03,话费,1200.00\n2026-06-20,耳麦,86.40\n"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    (folder / "actuals").mkdir(parents=True)
    (folder / "actuals" / "六月.csv").write_text(LEDGER, encoding="utf-8")
    return folder


def _run(data: Path, out: Path, books, **kw):
    return run(
        data=str(data),
        out=str(out),
        period="2026-06",
        notebooks_dir=books("10_params.ipynb"),
        progress=Progress(quiet=True),
        timeout=120,
        use_cache=False,
        **kw,
    )


def _one_paragraph(message: str) -> str:
    assert "Traceback" not in message and 'File "' not in message
    assert len(message.splitlines()) <= 2, message  # zh and en, at most one line each
    return message


def _enospc(*_a, **_k):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


# ---------------------------------------------------------------------------------------------
# Input


def test_unreadable_input_file_exits_2_naming_path_and_reason(
    data: Path, tmp_path: Path, books, monkeypatch: pytest.MonkeyPatch
) -> None:
    locked = data / "actuals" / "六月.csv"
    real_open = builtins.open

    def denying_open(file, *args, **kwargs):
        if str(file) == str(locked):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", denying_open)
    monkeypatch.setattr(io, "open", denying_open)
    out = tmp_path / "out"
    result = _run(data, out, books)
    assert result.exit_code == 2
    msg = _one_paragraph(result.message)
    assert "六月.csv" in msg and "Permission denied" in msg and "没有权限" in msg
    assert not (out / "2026-06").exists()


# ---------------------------------------------------------------------------------------------
# Output folder


def test_read_only_output_is_refused_before_loading(
    data: Path, tmp_path: Path, books, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "ro" / "reports"
    (tmp_path / "ro").mkdir()
    real_access = os.access

    def access(path, mode, *a, **k):
        if Path(path) == tmp_path / "ro" and mode & os.W_OK:
            return False
        return real_access(path, mode, *a, **k)

    class RO:
        f_flag = os.ST_RDONLY

    monkeypatch.setattr(os, "access", access)
    monkeypatch.setattr(os, "statvfs", lambda p: RO())
    monkeypatch.setattr("analysis.io.load_all", lambda *a, **k: pytest.fail("loaded anyway"))
    result = _run(data, out, books)
    assert result.exit_code == 2
    msg = _one_paragraph(result.message)
    assert str(tmp_path / "ro") in msg
    assert "只读" in msg and "read-only" in msg and "--out" in msg
    assert not out.exists()


def test_output_folder_that_cannot_be_created_exits_2(
    data: Path, tmp_path: Path, books, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    real_mkdir = Path.mkdir

    def mkdir(self, *a, **k):
        if self == out:
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(self))
        return real_mkdir(self, *a, **k)

    monkeypatch.setattr(Path, "mkdir", mkdir)
    result = _run(data, out, books)
    assert result.exit_code == 2
    msg = _one_paragraph(result.message)
    assert str(out) in msg and "Read-only file system" in msg


def test_full_disk_while_building_leaves_a_failed_page_and_the_old_publication(
    data: Path, tmp_path: Path, books, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    marker = published(out, "2026-06")
    # data_quality.csv is the build's first write; ENOSPC on a write carries no file name.
    monkeypatch.setattr("analysis.outputs.write_csv", _enospc)
    result = _run(data, out, books)
    assert result.exit_code == 2
    msg = _one_paragraph(result.message)
    assert "No space left on device" in msg and "磁盘空间已满" in msg
    assert str(out) in msg
    assert marker.read_text(encoding="utf-8") == "the previous publication"
    page = out / "2026-06.failed" / "FAILED.html"
    assert result.folder == page.parent
    assert "No space left on device" in page.read_text(encoding="utf-8")
    assert str(page) in msg
    assert not list(out.glob(".build-*")) and not list(out.glob(".old-*"))


def test_full_disk_everywhere_still_ends_in_one_paragraph(
    data: Path, tmp_path: Path, books, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    marker = published(out, "2026-06")
    real_write_text = Path.write_text

    def write_text(self, *a, **k):
        if out in self.parents:
            _enospc()
        return real_write_text(self, *a, **k)

    monkeypatch.setattr("analysis.outputs.write_csv", _enospc)
    monkeypatch.setattr(Path, "write_text", write_text)
    result = _run(data, out, books)
    assert result.exit_code == 2
    msg = _one_paragraph(result.message)
    assert "No space left on device" in msg and "FAILED:" not in msg
    assert result.folder is None
    assert marker.read_text(encoding="utf-8") == "the previous publication"
    assert not list(out.glob(".build-*"))


@pytest.mark.slow
def test_full_disk_after_the_reports_ran(
    data: Path, tmp_path: Path, books, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    marker = published(out, "2026-06")
    monkeypatch.setattr(
        "analysis.run.orchestrate.write_landing", _enospc
    )  # index.html, after the notebooks
    result = _run(data, out, books, jobs=1)
    assert result.exit_code == 2
    assert "No space left on device" in _one_paragraph(result.message)
    assert marker.read_text(encoding="utf-8") == "the previous publication"
    assert (out / "2026-06.failed" / "FAILED.html").exists()
    assert not list(out.glob(".build-*")) and not list(out.glob(".old-*"))


@pytest.mark.slow
def test_full_disk_inside_a_report_is_a_failed_report(
    data: Path, tmp_path: Path, books, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    marker = published(out, "2026-06")
    # The report's HTML export hits the full disk; the plain-text FAILED page still fits.
    monkeypatch.setattr("analysis.run.execute.export_html", _enospc)
    result = _run(data, out, books, jobs=1)
    assert result.exit_code == 1
    assert "No space left on device" in _one_paragraph(result.message)
    assert marker.read_text(encoding="utf-8") == "the previous publication"
    page = out / "2026-06.failed" / "FAILED-10_params.html"
    assert "No space left on device" in page.read_text(encoding="utf-8")


def test_publish_that_fails_midway_puts_the_old_folder_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    final = tmp_path / "2026-06"
    final.mkdir()
    (final / "index.html").write_text("old", encoding="utf-8")
    build = tmp_path / ".build-2026-06-1"
    build.mkdir()
    (build / "index.html").write_text("new", encoding="utf-8")
    real_rename = Path.rename

    def rename(self, target):
        if self == build:
            raise OSError(errno.EACCES, os.strerror(errno.EACCES), str(self))
        return real_rename(self, target)

    monkeypatch.setattr(Path, "rename", rename)
    with pytest.raises(OSError):
        runner.publish(build, final)
    assert (final / "index.html").read_text(encoding="utf-8") == "old"
    assert not list(tmp_path.glob(".old-*"))


def test_leftovers_of_a_killed_run_are_removed_by_the_next(tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / ".build-2026-06-99999" / ".logs").mkdir(parents=True)
    (out / ".old-2026-06-99998").mkdir()
    published(out, "2026-06")
    runner.recover(out, "2026-06")
    assert not list(out.glob(".build-*")) and not list(out.glob(".old-*"))
    assert (out / "2026-06" / "index.html").exists()


# ---------------------------------------------------------------------------------------------
# Kernel


def test_missing_kernel_exits_2_naming_both_kernels(
    data: Path, tmp_path: Path, books, monkeypatch: pytest.MonkeyPatch
) -> None:
    from jupyter_client.kernelspec import KernelSpecManager

    monkeypatch.setattr(KernelSpecManager, "find_kernel_specs", lambda self: {})
    out = tmp_path / "out"
    marker = published(out, "2026-06")
    result = _run(data, out, books)
    assert result.exit_code == 2
    msg = _one_paragraph(result.message)
    assert "kefu-analysis" in msg and "python3" in msg and "make install" in msg
    assert marker.read_text(encoding="utf-8") == "the previous publication"
    assert not list(out.glob(".build-*"))


def test_kernel_whose_program_is_gone_is_not_used(monkeypatch: pytest.MonkeyPatch) -> None:
    from jupyter_client.kernelspec import KernelSpecManager

    class Spec:
        def __init__(self, prog: str) -> None:
            self.argv = [prog, "-m", "ipykernel_launcher", "-f", "{connection_file}"]

    progs = {"kefu-analysis": "/nonexistent/venv/bin/python", "python3": sys.executable}
    monkeypatch.setattr(
        KernelSpecManager, "find_kernel_specs", lambda self: {k: "/x" for k in progs}
    )
    monkeypatch.setattr(KernelSpecManager, "get_kernel_spec", lambda self, n: Spec(progs[n]))
    assert runner.kernel_name() == "python3"
    progs["python3"] = "/nonexistent/python3"
    with pytest.raises(runner.UsageError) as info:
        runner.kernel_name()
    assert "/nonexistent/venv/bin/python" in str(info.value)
    assert "/nonexistent/python3" in str(info.value)


# ---------------------------------------------------------------------------------------------
# The CLI's last word


def test_unexpected_error_is_one_paragraph_with_a_log(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def boom(args):
        raise ValueError("an unforeseen state\nwith a second line")

    monkeypatch.setattr("analysis.run.orchestrate.main_run", boom)
    out = tmp_path / "out"
    code = cli.main(["run", "--data", str(tmp_path), "--out", str(out)])
    assert code == 1
    err = _one_paragraph(capsys.readouterr().err.strip())
    logs = list((out / ".logs").glob("analysis-error-*.log"))
    assert len(logs) == 1 and str(logs[0]) in err
    assert "ValueError: an unforeseen state with a second line" in err
    text = logs[0].read_text(encoding="utf-8")
    assert "Traceback" in text and "boom" in text


def test_unexpected_os_error_is_a_machine_fault(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def full(args):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), "/srv/reports/x.html")

    monkeypatch.setattr("analysis.run.orchestrate.main_run", full)
    code = cli.main(["run", "--data", str(tmp_path)])
    assert code == 2
    err = _one_paragraph(capsys.readouterr().err.strip())
    assert "/srv/reports/x.html" in err and "No space left on device" in err


# ---------------------------------------------------------------------------------------------
# Real permissions (as the `nobody` user) and a runner killed outright


_NO_DAC = ["--bounding-set", "-dac_override,-dac_read_search"]


def _without_dac_override() -> list[str] | None:
    """A command prefix that runs as root without the power to ignore file permissions (so
    chmod bites, as for any ordinary user), or None where that is not available."""
    setpriv = shutil.which("setpriv")
    if os.geteuid() != 0 or setpriv is None:
        return None
    prefix = [setpriv, *_NO_DAC, "--inh-caps", "-dac_override,-dac_read_search"]
    probe = subprocess.run([*prefix, sys.executable, "-c", "import analysis"], capture_output=True)
    return prefix if probe.returncode == 0 else None


@pytest.mark.slow
def test_real_permission_denials(tmp_path: Path) -> None:
    prefix = _without_dac_override()
    if prefix is None:
        pytest.skip("needs root and setpriv to drop CAP_DAC_OVERRIDE")
    data = tmp_path / "data"
    (data / "actuals").mkdir(parents=True)
    locked = data / "actuals" / "锁定.csv"
    locked.write_text(LEDGER, encoding="utf-8")
    locked.chmod(0o000)
    cmd = [*prefix, *analysis_cmd("run", "--no-cache", "--period", "2026-06")]

    def refused(data_dir: Path, out: Path) -> str:
        """Run as a user without override rights; exit 2, one paragraph, stderr returned."""
        proc = subprocess.run(
            [*cmd, "--data", str(data_dir), "--out", str(out)],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert proc.returncode == 2, proc.stderr
        assert "Traceback" not in proc.stderr
        return proc.stderr

    err = refused(data, tmp_path / "out")
    assert "锁定.csv" in err and "Permission denied" in err
    assert not (tmp_path / "out" / "2026-06").exists()

    locked.chmod(0o644)
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o555)
    try:
        err = refused(data, ro / "reports")
    finally:
        ro.chmod(0o755)
    assert str(ro) in err and "Permission denied" in err
    assert not (ro / "reports").exists()

    data.chmod(0o000)
    try:
        err = refused(data, tmp_path / "out")
    finally:
        data.chmod(0o755)
    assert "无法读取数据文件夹" in err and str(data) in err


def _cmdline(proc) -> str:
    import psutil

    try:
        return " ".join(proc.cmdline())
    except psutil.Error:  # gone or a zombie meanwhile
        return ""


def _alive(pid: int) -> bool:
    import psutil

    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


@pytest.mark.slow
@pytest.mark.parametrize("jobs", ["2", "1"], ids=["worker-pool", "in-process"])
def test_sigkilled_runner_leaves_no_worker_or_kernel(
    tmp_path: Path, sample_dir: Path, books, jobs: str
) -> None:
    psutil = pytest.importorskip("psutil")
    out = tmp_path / "out"
    marker = published(out, "2026-07")
    folder = books("10_params.ipynb", "30_slow.ipynb")
    proc = subprocess.Popen(
        run_cmd(sample_dir, out, "2026-07", "--notebooks", folder, "--jobs", jobs),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 90
        kernels: list = []
        while time.monotonic() < deadline:
            kids = psutil.Process(proc.pid).children(recursive=True)
            kernels = [k for k in kids if "ipykernel" in _cmdline(k)]
            if kernels and list(out.glob(".build-2026-07-*/.logs/30_slow.log")):
                break
            time.sleep(0.2)
        assert kernels, "no kernel started"
        time.sleep(1.5)  # the slow notebook is executing
        family = [p.pid for p in psutil.Process(proc.pid).children(recursive=True)]
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        deadline = time.monotonic() + 10
        while any(_alive(p) for p in family) and time.monotonic() < deadline:
            time.sleep(0.2)
        left = [p for p in family if _alive(p)]
        assert not left, [_cmdline(psutil.Process(p)) for p in left]
    finally:
        if proc.poll() is None:
            proc.kill()
    assert marker.read_text(encoding="utf-8") == "the previous publication"
    assert list(out.glob(".build-2026-07-*"))  # a killed run cannot clean up …
    with runner.period_lock(out, "2026-07"):  # … its lock died with it; the next run recovers
        runner.recover(out, "2026-07")
    assert not list(out.glob(".build-*"))
    assert marker.read_text(encoding="utf-8") == "the previous publication"
