"""Executing the report notebooks: papermill in worker processes, the kernel, the HTML export.

Why it is built this way:
- Up to two notebooks run at once in worker processes (the machine has two cores), longest
  first by the last run's timings.
- A worker dies with the runner (SIGKILL from a scheduler's timeout leaves no kernel behind) and
  turns SIGTERM into SystemExit so papermill shuts its kernel down.
- A failed notebook becomes a ``FAILED-<report>.html`` page with its code and traceback; a good
  one becomes self-contained HTML with the code hidden (``export_html``).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import sys
import time
import traceback
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from analysis.errors import UsageError
from analysis.paths import PACKAGE_DIR, PROJ_ROOT
from analysis.webfont import embed_cjk_font

KERNEL_NAME = "kefu-analysis"
TEMPLATES_DIR = PACKAGE_DIR / "templates"


def kernel_name() -> str:
    """The project's registered kernel if present and runnable (``make install`` registers
    it), else python3; a usage error naming both when neither can start."""
    try:
        from jupyter_client.kernelspec import KernelSpecManager

        ksm = KernelSpecManager()
        specs = ksm.find_kernel_specs()
    except Exception:  # noqa: BLE001 - fall back to the interpreter's own kernel
        return "python3"
    problems = []
    for name in (KERNEL_NAME, "python3"):
        if name not in specs:
            problems.append(f"{name}: 未安装 / not installed")
            continue
        missing = _kernel_missing_program(ksm, name)
        if missing is None:
            return name
        problems.append(f"{name}: 程序不存在 / program not found: {missing}")
    raise UsageError(
        f"找不到可用的 Jupyter 内核 ({'; '.join(problems)}), 报告无法执行, 未发布任何内容。"
        f"请在项目文件夹运行 make install (会注册内核 {KERNEL_NAME})。 / "
        f"No usable Jupyter kernel ({'; '.join(problems)}); the reports cannot run and nothing "
        f"was published. Run `make install` in the project folder (it registers {KERNEL_NAME})."
    )


def _kernel_missing_program(ksm: Any, name: str) -> str | None:
    """The kernel's program if it is gone (a venv rebuilt after the kernel was registered)."""
    try:
        argv = ksm.get_kernel_spec(name).argv
    except Exception:  # noqa: BLE001 - an unreadable spec is as good as none
        return f"kernel.json of {name}"
    if not argv:
        return f"kernel.json of {name}"
    prog = argv[0]
    if os.path.isabs(prog):
        return None if os.access(prog, os.X_OK) else prog
    return None if shutil.which(prog) else prog


def export_html(
    nb: Any, path: Path, *, hide_code: bool, footer: str = "", nav: dict[str, Any] | None = None
) -> Path:
    """One self-contained HTML file: images inline, no CDN script, code hidden for managers.

    This is where code is hidden in the HTML (``exclude_input``, stderr outputs dropped, the
    ``remove-cell``/``remove-input`` tags honoured). ``hide_code=False`` is for FAILED pages,
    where the code and traceback are the point. ``nav`` (:func:`page_nav`) gives the page its
    title, the link back to ``index.html`` and its own CSV/XLSX.
    """
    import copy

    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    nb = copy.deepcopy(nb)
    if nav:
        nb.metadata["title"] = nav["title"]
    if hide_code:
        for cell in nb.cells:
            if cell.get("cell_type") == "code":
                # stderr (warnings, progress bars) is for the analyst, not the manager.
                cell["outputs"] = [
                    o
                    for o in cell.get("outputs", [])
                    if not (o.get("output_type") == "stream" and o.get("name") == "stderr")
                ]
    exporter = HTMLExporter(
        extra_template_basedirs=[str(TEMPLATES_DIR)],
        template_name="kefu",
        exclude_input=hide_code,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        embed_images=True,
        language_code=(nav or {}).get("lang", "zh"),
    )
    tags = TagRemovePreprocessor(
        remove_cell_tags={"remove-cell"}, remove_input_tags={"remove-input"}
    )
    tags.enabled = True
    exporter.register_preprocessor(tags, enabled=True)
    body, _ = exporter.from_notebook_node(nb, resources={"kefu_footer": footer, "kefu_nav": nav})
    path.write_text(embed_cjk_font(body), encoding="utf-8")
    return path


def page_nav(notebook: str | Path, folder: Path, parameters: dict[str, str]) -> dict[str, Any]:
    """A report page's title (report · period, also the browser's print header) and nav bar:
    the link back to the landing page and the report's own published files."""
    from analysis.catalog import words
    from analysis.run.arguments import report_key
    from analysis.run.landing import report_files

    lang = parameters.get("lang") or "zh"
    key = report_key(Path(notebook))
    t, tl = words(lang), words(lang, "landing")
    period = parameters.get("period") or ""
    return {
        "lang": "en" if lang == "en" else "zh",
        "title": f"{t(key)} · {period}" if period else t(key),
        "home": f"{t('app')} · {tl('nav_home')}",
        "label": tl("nav_home"),
        "files": report_files(folder, key),
        "files_label": tl("nav_files"),
    }


def execute_report(
    notebook: str, output: str, parameters: dict[str, str], kernel: str, timeout: int, footer: str
) -> dict[str, Any]:
    """Run one report notebook and export it (runs in a worker process)."""
    import nbformat
    import papermill as pm

    logging.getLogger("papermill").setLevel(logging.ERROR)
    start = time.perf_counter()
    out_nb = Path(output)
    name = out_nb.stem
    result: dict[str, Any] = {"name": name, "notebook": out_nb.name, "ok": False}
    log_dir = out_nb.parent / ".logs"
    log_dir.mkdir(exist_ok=True)
    try:
        with _stderr_to(log_dir / f"{name}.log"), _quiet_warnings():
            pm.execute_notebook(
                notebook,
                output,
                parameters=parameters,
                kernel_name=kernel,
                cwd=str(PROJ_ROOT),
                execution_timeout=timeout,
                progress_bar=False,
                log_output=False,
                request_save_on_cell_execute=False,
            )
        result["seconds_execute"] = round(time.perf_counter() - start, 3)
        t1 = time.perf_counter()
        with _quiet_warnings():
            nb = nbformat.read(output, as_version=4)
            nav = page_nav(notebook, out_nb.parent, parameters)
            export_html(nb, out_nb.with_suffix(".html"), hide_code=True, footer=footer, nav=nav)
        result["seconds_export"] = round(time.perf_counter() - t1, 3)
        result["html"] = out_nb.with_suffix(".html").name
        result["ok"] = True
    except BaseException as exc:  # noqa: BLE001 - any failure becomes a FAILED page
        result["seconds_execute"] = round(time.perf_counter() - start, 3)
        result["error"] = _error_summary(exc)
        result["html"] = _failed_page(notebook, out_nb, footer).name
    return result


@contextlib.contextmanager
def _quiet_warnings():
    """papermill's and nbconvert's own warnings stay out of the scheduler's log (the worker's
    filters only: the kernel is another process with its own)."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


def _failed_page(notebook: str, out_nb: Path, footer: str) -> Path:
    """``FAILED-<report>.html`` with the code and traceback (the executed notebook if it was
    written, else the source); the traceback as plain HTML if even the export fails."""
    import html as _html

    import nbformat

    failed = out_nb.with_name(f"FAILED-{out_nb.stem}.html")
    try:
        source = out_nb if out_nb.exists() else Path(notebook)
        nb = nbformat.read(str(source), as_version=4)
        export_html(nb, failed, hide_code=False, footer=footer)
    except Exception:  # noqa: BLE001 - last resort: the traceback as plain HTML
        failed.write_text(
            "<!DOCTYPE html><meta charset='utf-8'><title>FAILED</title><pre>"
            + _html.escape(traceback.format_exc())
            + "</pre>",
            encoding="utf-8",
        )
    return failed


@contextlib.contextmanager
def _stderr_to(path: Path):
    """Send this process's stderr (and the kernel's, which inherits it) to a log file.

    Why: kernels print start-up chatter on stderr; the scheduler's log should have one line per
    stage, and the details stay in ``.logs/<report>.log`` of the build folder.
    """
    sys.stderr.flush()
    saved = os.dup(2)
    with open(path, "ab") as fh:
        os.dup2(fh.fileno(), 2)
        try:
            yield
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)


def _error_summary(exc: BaseException) -> str:
    """One line a scheduler's log can show: the error's name and value, timeouts named as such."""
    full = str(exc)
    ename = getattr(exc, "ename", None)
    evalue = getattr(exc, "evalue", None)
    if ename:
        text = f"{ename}: {evalue}"
    else:
        lines = [
            ln.strip()
            for ln in full.splitlines()
            if ln.strip() and not set(ln.strip()) <= set("-=^ ")
        ]
        text = lines[-1] if lines else type(exc).__name__
    kind = " ".join(c.__name__ for c in type(exc).__mro__)
    if "Timeout" in kind or "timeout" in full.lower() or "timed out" in full.lower():
        text = f"执行超时 / execution timed out: {text}"
    elif "DeadKernel" in kind or "kernel died" in full.lower():
        text = f"内核意外退出 / the kernel died: {text}"
    return text[:500]


def params_for(nb: Path, params: dict[str, str], snapshot: Path | None) -> dict[str, str]:
    """The run's parameters, plus ``snapshot`` for a notebook that declares it (the reports do;
    a custom notebook without it is not sent a parameter it would not understand)."""
    if snapshot is None:
        return params
    try:
        import papermill as pm

        declared = pm.inspect_notebook(str(nb))
    except Exception:  # noqa: BLE001 - an unreadable notebook fails later with its own message
        declared = {}
    if "snapshot" in declared:
        return {**params, "snapshot": str(snapshot)}
    return params


def expected_seconds(out_dir: Path) -> dict[str, float]:
    """Seconds each report took in the newest run.json under ``out_dir`` (empty if none)."""
    runs = sorted(out_dir.glob("*/run.json"), key=lambda p: p.stat().st_mtime)
    if not runs:
        return {}
    try:
        reports = json.loads(runs[-1].read_text(encoding="utf-8")).get("reports", [])
        return {
            Path(r["notebook"]).stem: float(r.get("seconds_execute") or 0)
            + float(r.get("seconds_export") or 0)
            for r in reports
            if r.get("notebook")
        }
    except (OSError, ValueError, TypeError, KeyError):
        return {}


def execute_all(
    jobs: Sequence[tuple[Any, ...]],
    n_jobs: int,
    expected: dict[str, float],
    done: Any,
) -> list[dict[str, Any]]:
    """Run each job (the arguments of :func:`execute_report`), ``n_jobs`` at a time, longest
    first by ``expected`` seconds per notebook stem; ``done(result)`` is called in job order.
    Interrupted, the workers (and through them their kernels) are stopped before it re-raises."""
    if n_jobs == 1 or len(jobs) <= 1:
        return [done(execute_report(*a)) for a in jobs]
    pool = ProcessPoolExecutor(max_workers=n_jobs, initializer=_worker_init)
    try:
        order = sorted(range(len(jobs)), key=lambda i: -expected.get(Path(jobs[i][0]).stem, 0.0))
        futures = {i: pool.submit(execute_report, *jobs[i]) for i in order}
        results = [done(futures[i].result()) for i in range(len(jobs))]
    except BaseException:
        _stop_pool(pool)
        raise
    pool.shutdown(wait=True)
    return results


def _worker_init() -> None:
    """Worker processes turn SIGTERM into SystemExit so papermill shuts its kernel down, and
    die with the runner if it is killed outright (see :func:`_die_with_parent`)."""
    import signal

    _die_with_parent()
    signal.signal(signal.SIGTERM, _exit_on_signal)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides; Ctrl-C reaches it


def _exit_on_signal(signum: int, _frame: object) -> None:
    raise SystemExit(128 + signum)


def _stop_pool(pool: ProcessPoolExecutor) -> None:
    """Interrupted: stop the workers (and through them their kernels) before cleaning up."""
    procs = list(getattr(pool, "_processes", {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for proc in procs:
        with contextlib.suppress(Exception):
            proc.terminate()
    for proc in procs:
        with contextlib.suppress(Exception):
            proc.join(timeout=15)
            if proc.is_alive():
                proc.kill()


def _die_with_parent() -> None:
    """A worker (and through its parent poller, its kernel) must not outlive a runner killed
    outright (SIGKILL from a scheduler's timeout): Linux delivers SIGKILL to the worker when
    the runner dies (prctl PR_SET_PDEATHSIG); elsewhere a thread polls the parent's pid. A
    kernel is started with JPY_PARENT_PID and ipykernel's poller ends it when its parent goes.
    """
    import multiprocessing
    import signal
    import threading

    parent = multiprocessing.parent_process()
    expected = os.getppid()
    armed = False
    if sys.platform.startswith("linux"):
        with contextlib.suppress(Exception):
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            pr_set_pdeathsig = 1
            armed = libc.prctl(pr_set_pdeathsig, int(signal.SIGKILL), 0, 0, 0) == 0
    if parent is not None and not parent.is_alive():  # died before the signal was armed
        os._exit(1)
    if armed:
        return

    def watch() -> None:
        while os.getppid() == expected:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()
