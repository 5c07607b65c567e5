"""The monthly pipeline: load inputs, execute report notebooks with papermill, publish HTML.

Why it is built this way:
- Inputs are loaded and validated once, up front, so a bad file stops the run with exit 2 before
  any notebook starts. What was loaded is written to ``<build>/.snapshot/`` and every report
  reads that snapshot, so the figures, run.json, ``inputs_read.csv`` and ``data_quality.csv``
  describe one reading even if a file changes while the run goes on.
- Warnings and errors of the data-quality list reach the landing page as a banner; ``strict``
  turns any of them into exit 2 with nothing published.
- A report whose inputs are absent (a folder with only scorecards) is not run: the landing page
  says 本期无数据 for it, and the other reports publish.
- Everything is built in a temporary folder beside the target and renamed into place only when
  every report succeeded, so last month's (or this month's previous) reports are never left half
  overwritten: a scheduler sees exit 0 and a complete folder, or a non-zero exit and the old one.
- Executed notebooks are kept beside their HTML as the audit trail (with injected parameters).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import fcntl
import json
import logging
import os
import platform
import re
import shutil
import sys
import time
import traceback
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analysis import __version__
from analysis.faults import fault_paragraph
from analysis.i18n import check_lang, translator
from analysis.io.cache import file_digest
from analysis.paths import (
    PACKAGE_DIR,
    PROJ_ROOT,
    REPORT_NOTEBOOKS_DIR,
    REPORTS_DIR,
    SAMPLE_DATA_DIR,
)
from analysis.webfont import embed_cjk_font

KERNEL_NAME = "kefu-analysis"
SNAPSHOT_DIR = ".snapshot"
DEFAULT_TIMEOUT_S = 600
PERIOD_RE = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_BUSY = 0, 1, 2, 3
TEMPLATES_DIR = PACKAGE_DIR / "templates"


class UsageError(Exception):
    """Bad arguments or unusable input: exit 2, nothing published."""


class BusyError(Exception):
    """Another run holds the lock for the same output period: exit 3, nothing touched."""


class MachineFault(Exception):
    """The machine failed the run (full or read-only disk, permissions): exit 2, one paragraph,
    the previous publication intact, a FAILED page in ``folder`` when one could be written."""

    def __init__(self, message: str, exit_code: int = 2, folder: Path | None = None) -> None:
        super().__init__(message)
        self.exit_code, self.folder = exit_code, folder


@dataclass
class RunResult:
    """What a run did: the exit code, the published (or failed) folder and the reason if any."""

    exit_code: int
    folder: Path | None = None
    index: Path | None = None
    message: str = ""
    manifest: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class LoadSummary:
    """What the runner keeps of a load: the data-quality list, the readings, the snapshot."""

    dq: Any
    inputs: Any
    latest_period: str | None
    snapshot: Path | None = None
    outlook: tuple[Any, ...] = ()


class Progress:
    """One line per stage on stderr with the elapsed time, and seconds per stage for run.json."""

    def __init__(self, stream: Any = None, quiet: bool = False) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.quiet = quiet
        self.t0 = time.perf_counter()
        self.stages: dict[str, float] = {}

    @contextlib.contextmanager
    def stage(self, name: str, detail: str = ""):
        start = time.perf_counter()
        try:
            yield
        finally:
            took = time.perf_counter() - start
            self.stages[name] = round(self.stages.get(name, 0.0) + took, 3)
            self.line(f"{name}: {took:.1f}s{(' · ' + detail) if detail else ''}")

    def line(self, text: str) -> None:
        if not self.quiet:
            elapsed = time.perf_counter() - self.t0
            print(f"[{elapsed:6.1f}s] {text}", file=self.stream, flush=True)


# ---------------------------------------------------------------------------------------------
# Arguments


def validate_period(period: str) -> str:
    """``YYYY-MM`` or a usage error (also keeps ``../../x`` out of output paths)."""
    if not isinstance(period, str) or not PERIOD_RE.match(period):
        raise UsageError(
            f"期间格式不正确: {period!r}。请使用 YYYY-MM, 例如 2026-10。\n"
            f"Bad period {period!r}: use YYYY-MM, for example 2026-10."
        )
    return period


def resolve_dir(value: str | os.PathLike[str] | None, default: Path) -> Path:
    """A folder argument: absolute as given, relative to the current directory if it exists
    there, else relative to the project root (so defaults work from any directory)."""
    if value is None or str(value) == "":
        return default
    text = str(value)
    if "\x00" in text:
        raise UsageError(f"路径无效 / invalid path: {text!r}")
    p = Path(text).expanduser()
    if p.is_absolute():
        return p.resolve()
    here = (Path.cwd() / p).resolve()
    if here.exists():
        return here
    return (PROJ_ROOT / p).resolve()


def report_notebooks(only: Sequence[str] | None = None, folder: Path | None = None) -> list[Path]:
    """The report notebooks in run order, optionally only those named (``budget`` or ``10_budget``)."""
    folder = folder or REPORT_NOTEBOOKS_DIR
    books = sorted(p for p in folder.glob("*.ipynb") if not p.name.startswith("."))
    if not only:
        return books
    wanted = {o.removesuffix(".ipynb") for o in only}
    chosen = [b for b in books if b.stem in wanted or report_key(b) in wanted]
    missing = wanted - {b.stem for b in chosen} - {report_key(b) for b in chosen}
    if missing:
        names = ", ".join(report_key(b) for b in books)
        raise UsageError(
            f"找不到报告 {', '.join(sorted(missing))}; 可选: {names}。\n"
            f"No report named {', '.join(sorted(missing))}; available: {names}."
        )
    return chosen


def report_key(nb: Path) -> str:
    """``10_budget.ipynb`` → ``budget``: the report's name in links, headlines and --only."""
    return re.sub(r"^\d+[_-]", "", nb.stem)


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


# ---------------------------------------------------------------------------------------------
# Notebook execution and export


def export_html(nb: Any, path: Path, *, hide_code: bool, footer: str = "") -> Path:
    """One self-contained HTML file: images inline, no CDN script, code hidden for managers.

    ``hide_code=False`` is for FAILED pages, where the code and traceback are the point.
    """
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    nb = _copy_nb(nb)
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
    )
    tags = TagRemovePreprocessor(
        remove_cell_tags={"remove-cell"}, remove_input_tags={"remove-input"}
    )
    tags.enabled = True
    exporter.register_preprocessor(tags, enabled=True)
    body, _ = exporter.from_notebook_node(nb, resources={"kefu_footer": footer})
    path.write_text(embed_cjk_font(body), encoding="utf-8")
    return path


def _copy_nb(nb: Any) -> Any:
    import copy

    return copy.deepcopy(nb)


def execute_report(
    notebook: str, output: str, parameters: dict[str, str], kernel: str, timeout: int, footer: str
) -> dict[str, Any]:
    """Run one report notebook and export it (runs in a worker process)."""
    import warnings

    import nbformat
    import papermill as pm

    warnings.filterwarnings("ignore")
    logging.getLogger("papermill").setLevel(logging.ERROR)
    start = time.perf_counter()
    out_nb = Path(output)
    name = out_nb.stem
    result: dict[str, Any] = {"name": name, "notebook": out_nb.name, "ok": False}
    log_dir = out_nb.parent / ".logs"
    log_dir.mkdir(exist_ok=True)
    try:
        with _stderr_to(log_dir / f"{name}.log"):
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
        nb = nbformat.read(output, as_version=4)
        export_html(nb, out_nb.with_suffix(".html"), hide_code=True, footer=footer)
        result["seconds_export"] = round(time.perf_counter() - t1, 3)
        result["html"] = out_nb.with_suffix(".html").name
        result["ok"] = True
    except BaseException as exc:  # noqa: BLE001 - any failure becomes a FAILED page
        result["seconds_execute"] = round(time.perf_counter() - start, 3)
        result["error"] = _error_summary(exc)
        failed = out_nb.with_name(f"FAILED-{name}.html")
        try:
            if out_nb.exists():
                nb = nbformat.read(output, as_version=4)
            else:
                nb = nbformat.read(notebook, as_version=4)
            export_html(nb, failed, hide_code=False, footer=footer)
        except Exception:  # noqa: BLE001 - last resort: the traceback as plain HTML
            import html as _html

            failed.write_text(
                "<!DOCTYPE html><meta charset='utf-8'><title>FAILED</title><pre>"
                + _html.escape(traceback.format_exc())
                + "</pre>",
                encoding="utf-8",
            )
        result["html"] = failed.name
    return result


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


# ---------------------------------------------------------------------------------------------
# Publishing


@contextlib.contextmanager
def period_lock(out: Path, period: str, wait_s: float = 0.0):
    """Exclusive lock per output period: two runs never interleave in one folder."""
    out.mkdir(parents=True, exist_ok=True)
    lock_path = out / f".lock-{period}"
    fh = open(lock_path, "a+")  # noqa: SIM115 - held for the whole run, closed in finally
    deadline = time.monotonic() + max(0.0, wait_s)
    try:
        while True:
            try:
                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise BusyError(
                        f"另一个任务正在生成 {out / period}, 本次未执行。请稍后重试, 或加 --wait 秒数等待。\n"
                        f"Another run is already building {out / period}; this one did nothing. "
                        f"Try again later or pass --wait SECONDS."
                    ) from None
                time.sleep(0.2)
        yield
    finally:
        with contextlib.suppress(OSError):
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
        fh.close()


def _recover(out: Path, period: str) -> None:
    """Undo a publish interrupted between its two renames (the old folder is kept aside)."""
    final = out / period
    for old in sorted(out.glob(f".old-{period}-*")):
        if not final.exists():
            old.rename(final)
        else:
            shutil.rmtree(old, ignore_errors=True)
    for stale in out.glob(f".build-{period}-*"):
        shutil.rmtree(stale, ignore_errors=True)


def publish(build: Path, final: Path) -> None:
    """Swap ``build`` into ``final`` with renames on one file system."""
    old = final.with_name(f".old-{final.name}-{os.getpid()}")
    if final.exists():
        final.rename(old)
    try:
        build.rename(final)
    except OSError:
        if old.exists() and not final.exists():
            old.rename(final)  # the previous publication stays where it was
        raise
    if old.exists():
        shutil.rmtree(old, ignore_errors=True)


def versions() -> dict[str, str]:
    """Versions of the packages that shape a report, for run.json."""
    from importlib.metadata import PackageNotFoundError, version

    out = {"python": platform.python_version(), "analysis": __version__}
    for pkg in (
        "pandas",
        "numpy",
        "matplotlib",
        "papermill",
        "nbconvert",
        "openpyxl",
        "python-calamine",
        "fastexcel",
        "pyarrow",
    ):
        try:
            out[pkg] = version(pkg)
        except PackageNotFoundError:
            out[pkg] = "not installed"
    return out


def _outputs(folder: Path) -> list[dict[str, Any]]:
    files = []
    for p in sorted(folder.rglob("*")):
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts):
            files.append(
                {
                    "file": p.relative_to(folder).as_posix(),
                    "bytes": p.stat().st_size,
                    "sha256": file_digest(p),
                }
            )
    return files


def write_landing(
    folder: Path,
    *,
    period: str,
    lang: str,
    data_source: str,
    generated: str,
    reports: list[dict[str, Any]],
    dq: Any,
) -> Path:
    """The manager's landing page ``index.html``: headlines first, links, data quality, footer.

    Warnings and errors in ``dq`` put a banner at the top (count, the first five, links to the
    list): nothing that may affect a figure is left for the manager to discover.
    """
    import jinja2

    from analysis.report import load_headlines

    t = translator(lang)
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    headlines = load_headlines(folder)
    cards = []
    for r in sorted(reports, key=lambda r: r.get("name") or r.get("html") or r["key"]):
        no_data = r.get("skipped") == "no_data"
        cards.append(
            {
                "title": t(r["key"]) + ("" if r["ok"] else f" — {t('status_failed')}"),
                "href": r.get("html") or "",
                "failed": not r["ok"],
                "no_data": NO_DATA[lang] if no_data else "",
                "headlines": [] if no_data else headlines.get(r["key"], []),
            }
        )
    n = {
        s: int((dq["severity"] == s).sum()) if len(dq) else 0 for s in ("error", "warning", "info")
    }
    if lang == "zh":
        summary = f"共 {len(dq):,} 条: 错误 {n['error']:,} 条, 警告 {n['warning']:,} 条, 提示 {n['info']:,} 条。"
    else:
        from analysis.check import plural

        entries = "1 entry" if len(dq) == 1 else f"{len(dq):,} entries"
        summary = (
            f"{entries}: {plural(n['error'], 'error')}, {plural(n['warning'], 'warning')}, "
            f"{plural(n['info'], 'note')}."
        )
    order = {"error": 0, "warning": 1, "info": 2}
    shown = (
        dq.assign(_o=dq["severity"].map(order)).sort_values("_o", kind="stable").head(50)
        if len(dq)
        else dq
    )
    rows = [{k: _cell(v) for k, v in rec.items()} for rec in shown.to_dict("records")]
    more = ""
    if len(dq) > len(rows):
        more = (
            f"另有 {len(dq) - len(rows):,} 条, 见 data_quality.csv。"
            if lang == "zh"
            else f"{len(dq) - len(rows):,} more in data_quality.csv."
        )
    html = env.get_template("landing.html.j2").render(
        t=t,
        banner=dq_banner(dq, lang, overview_href=_overview_href(reports)),
        lang=lang,
        period=period,
        data_source=data_source,
        generated=generated,
        reports=cards,
        dq_summary=summary,
        dq_rows=rows,
        dq_more=more,
        version=__version__,
    )
    path = folder / "index.html"
    path.write_text(embed_cjk_font(html), encoding="utf-8")
    return path


NO_DATA = {"zh": "本期无数据", "en": "No data for this period"}
BANNER_ITEMS = 5


def _cell(value: Any) -> Any:
    """A data-quality value for display: missing (None, NaN, pd.NA) becomes blank."""
    import pandas as pd

    try:
        return "" if pd.isna(value) else value
    except (TypeError, ValueError):  # not a scalar
        return value


def _overview_href(reports: list[dict[str, Any]]) -> str:
    for r in reports:
        if r.get("key") == "overview" and r.get("ok") and r.get("html"):
            return f"{r['html']}#data-quality"
    return ""


def dq_banner(dq: Any, lang: str, *, overview_href: str = "") -> dict[str, Any] | None:
    """The landing page's warning banner, or None when ``dq`` has no warning or error.

    「本期数据有 N 条警告,可能影响数字」 with the first few items (file, sheet, row, message)
    and links to the full list.
    """
    from analysis.check import findings, findings_phrase

    rows = findings(dq)
    if rows.empty:
        return None
    phrase = findings_phrase(dq, lang)
    if lang == "zh":
        title = f"本期数据有 {phrase},可能影响数字"
        more = f"另有 {len(rows) - BANNER_ITEMS:,} 条, 见完整列表。"
    else:
        title = f"This period's data has {phrase} that may affect the figures"
        more = f"{len(rows) - BANNER_ITEMS:,} more in the full list."
    items = [
        {k: _cell(v) for k, v in rec.items()} for rec in rows.head(BANNER_ITEMS).to_dict("records")
    ]
    links = [{"href": "data_quality.csv", "text": "data_quality.csv"}]
    if overview_href:
        links.append(
            {
                "href": overview_href,
                "text": "数据概览 · 数据质量" if lang == "zh" else "Data overview · Data quality",
            }
        )
    return {
        "title": title,
        "items": items,
        "more": more if len(rows) > BANNER_ITEMS else "",
        "links": links,
    }


def strict_refusal(dq: Any, lang: str = "zh") -> str:
    """The one paragraph ``--strict`` prints when the data-quality list has warnings or errors."""
    from analysis.check import findings, findings_phrase

    rows = [{k: _cell(v) for k, v in r.items()} for r in findings(dq).head(3).to_dict("records")]

    def where(r: dict[str, Any], row_word: str) -> str:
        parts = [
            str(r["file"]),
            str(r["sheet"]),
            row_word.format(r["row"]) if r["row"] != "" else "",
        ]
        return " ".join(p for p in parts if p)

    first_zh = "; ".join(f"{where(r, '第 {} 行')}: {r['message']}" for r in rows)
    first_en = "; ".join(f"{where(r, 'row {}')}: {r['message']}" for r in rows)
    return (
        f"严格模式 (--strict): 本期数据有 {findings_phrase(dq, 'zh')}, 未发布任何内容, 已发布的报告保持不变。"
        f"例如: {first_zh}。运行 analysis check 查看全部; 修正数据或在 config.toml 中固定读法后重试。\n"
        f"Strict mode (--strict): the data has {findings_phrase(dq, 'en')}; nothing was published and "
        f"the published reports are untouched. First: {first_en}. Run analysis check to see them all; "
        f"fix the data or pin the reading in config.toml, then run again."
    )


def _snapshot_entry(snapshot: Path | None) -> dict[str, Any] | None:
    """run.json "snapshot": where the data the reports read is, and its rows per frame."""
    if snapshot is None:
        return None
    try:
        rows = json.loads((snapshot / "snapshot.json").read_text(encoding="utf-8"))["rows"]
    except (OSError, ValueError, KeyError):
        rows = {}
    return {"folder": SNAPSHOT_DIR, "rows": rows}


def _reading_records(inputs: Any) -> list[dict[str, Any]]:
    """run.json "readings": the readings as records, blanks as null."""
    from analysis.overview import readings

    frame = readings(inputs)
    return json.loads(frame.to_json(orient="records", force_ascii=False, default_handler=str))


# ---------------------------------------------------------------------------------------------
# The run


def run(
    data: str | os.PathLike[str] | None = None,
    period: str | None = None,
    out: str | os.PathLike[str] | None = None,
    lang: str = "zh",
    only: Sequence[str] | None = None,
    *,
    timeout: int = DEFAULT_TIMEOUT_S,
    jobs: int | None = None,
    wait: float = 0.0,
    notebooks_dir: Path | None = None,
    use_cache: bool = True,
    progress: Progress | None = None,
    strict: bool = False,
    after_load: Callable[[Any], None] | None = None,
) -> RunResult:
    """Run the monthly pipeline and publish ``<out>/<period>/``; never raises for user errors.

    Returns a :class:`RunResult` whose ``exit_code`` is 0 (published), 1 (a report failed; the
    previous folder untouched, the failed build kept as ``<out>/<period>.failed``), 2 (usage or
    input error, or with ``strict`` any warning or error in the data-quality list; nothing
    written) or 3 (another run holds this period). ``after_load`` is called with the loaded
    Dataset before any report runs (tests use it to change the inputs mid-run).
    """
    prog = progress or Progress()
    try:
        return _run(
            data,
            period,
            out,
            lang,
            only,
            timeout,
            jobs,
            wait,
            notebooks_dir,
            use_cache,
            prog,
            strict,
            after_load,
        )
    except UsageError as exc:
        return RunResult(EXIT_USAGE, message=str(exc))
    except BusyError as exc:
        return RunResult(EXIT_BUSY, message=str(exc))
    except MachineFault as exc:
        return RunResult(exc.exit_code, folder=exc.folder, message=str(exc))
    except OSError as exc:
        return RunResult(EXIT_USAGE, message=_os_fault_message(exc, data, out))


def _run(
    data,
    period,
    out,
    lang,
    only,
    timeout,
    jobs,
    wait,
    notebooks_dir,
    use_cache,
    prog,
    strict=False,
    after_load=None,
) -> RunResult:
    from analysis.check import default_period, n_findings, report_outlook
    from analysis.io import InputError, load_all, write_snapshot

    try:
        lang = check_lang(lang)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if period:
        validate_period(period)
    data_dir = resolve_dir(data, SAMPLE_DATA_DIR)
    out_dir = resolve_dir(out, REPORTS_DIR)
    if not data_dir.is_dir():
        raise UsageError(
            f"数据文件夹不存在: {data_dir}。请用 --data 指定包含 budget/、actuals/、scorecards/ 的文件夹。\n"
            f"Data folder not found: {data_dir}. Pass --data with a folder holding budget/, actuals/, scorecards/."
        )
    if out_dir.exists() and not out_dir.is_dir():
        raise UsageError(f"输出路径不是文件夹 / output path is not a folder: {out_dir}")
    if out_dir == data_dir or data_dir in out_dir.parents:
        raise UsageError(
            f"输出文件夹不能在数据文件夹内 (原始数据只读): {out_dir}\n"
            f"The output folder must not be inside the data folder (raw inputs are read-only): {out_dir}"
        )
    check_folders(data_dir, out_dir)
    books = report_notebooks(only, notebooks_dir)
    if not books:
        raise UsageError(
            f"没有报告笔记本 / no report notebooks in {notebooks_dir or REPORT_NOTEBOOKS_DIR}"
        )

    with prog.stage("load", f"{data_dir}"):
        try:
            ds = load_all(data_dir, lang=lang, use_cache=use_cache)
        except InputError as exc:
            raise UsageError(str(exc)) from None
    if strict and n_findings(ds.dq):
        raise UsageError(strict_refusal(ds.dq, lang))
    period = period or default_period(ds)
    if not period:
        raise UsageError(
            "数据中没有任何月份, 无法确定默认期间; 请用 --period YYYY-MM 指定。\n"
            "No month in the data to choose a default period from; pass --period YYYY-MM."
        )
    validate_period(period)
    outlook = tuple(report_outlook(ds, period, lang))
    prog.line(f"period {period} · {len(books)} report(s) · lang {lang}")

    with period_lock(out_dir, period, wait), machine_faults(out_dir, period):
        _recover(out_dir, period)
        build = out_dir / f".build-{period}-{os.getpid()}"
        if build.exists():
            shutil.rmtree(build)
        build.mkdir(parents=True)
        try:
            if only:
                _carry_over(out_dir / period, build, books)
            with prog.stage("snapshot"):
                snapshot = write_snapshot(ds, build / SNAPSHOT_DIR)
            # The reports read the snapshot; the runner keeps only the accounting. Dropping the
            # big frames before the workers fork keeps a large centre's peak memory down.
            summary = LoadSummary(
                dq=ds.dq,
                inputs=ds.inputs,
                latest_period=ds.latest_period,
                snapshot=snapshot,
                outlook=outlook,
            )
            if after_load is not None:
                after_load(ds)
            del ds
            return _build(
                summary, data_dir, out_dir, build, period, lang, books, timeout, jobs, prog
            )
        finally:
            if build.exists():
                shutil.rmtree(build, ignore_errors=True)


def _build(ds, data_dir, out_dir, build, period, lang, books, timeout, jobs, prog) -> RunResult:
    from analysis.outputs import write_csv
    from analysis.overview import readings

    started = dt.datetime.now().astimezone()
    write_csv(ds.dq, build / "data_quality.csv")
    write_csv(
        readings(ds.inputs),
        build / "inputs_read.csv",
        money=["amount_read", "amount_loaded", "amount_reported"],
    )
    kernel = kernel_name()
    params = {"data_dir": str(data_dir), "period": period, "lang": lang, "out_dir": str(build)}
    footer = f"{translator(lang)('app')} {__version__} · {period} · {started:%Y-%m-%d %H:%M}"
    all_books = list(books)
    absent = {o.key for o in ds.outlook if not o.has_data}
    skipped = [
        {
            "name": nb.stem,
            "key": report_key(nb),
            "notebook": nb.name,
            "ok": True,
            "skipped": "no_data",
        }
        for nb in books
        if report_key(nb) in absent
    ]
    books = [nb for nb in books if report_key(nb) not in absent]
    for s in skipped:
        prog.line(f"report {s['name']}: skipped, no data for this period")
    n_jobs = max(1, min(jobs or min(2, os.cpu_count() or 1), max(1, len(books))))
    results: list[dict[str, Any]] = []
    with prog.stage("reports", f"{len(books)} notebook(s), {n_jobs} at a time, kernel {kernel}"):
        args = [
            (
                str(nb),
                str(build / nb.name),
                _params_for(nb, params, ds.snapshot),
                kernel,
                timeout,
                footer,
            )
            for nb in books
        ]
        if n_jobs == 1 or len(args) <= 1:
            for a in args:
                results.append(_log_result(prog, execute_report(*a)))
        else:
            pool = ProcessPoolExecutor(max_workers=n_jobs, initializer=_worker_init)
            try:
                # Longest first (by the last run's timings) packs two workers best.
                expected = _expected_seconds(out_dir)
                order = sorted(range(len(args)), key=lambda i: -expected.get(books[i].stem, 0.0))
                futures = {i: pool.submit(execute_report, *args[i]) for i in order}
                for i in range(len(args)):
                    results.append(_log_result(prog, futures[i].result()))
            except BaseException:
                _stop_pool(pool)
                raise
            pool.shutdown(wait=True)
    for r, nb in zip(results, books, strict=True):
        r["key"] = report_key(nb)
    failed = [r for r in results if not r["ok"]]
    results = results + skipped + _kept_reports(build, all_books)
    generated = f"{dt.datetime.now().astimezone():%Y-%m-%d %H:%M}"
    with prog.stage("index"):
        index = write_landing(
            build,
            period=period,
            lang=lang,
            data_source=_display_path(data_dir),
            generated=generated,
            reports=results,
            dq=ds.dq,
        )
    manifest = _manifest(
        ds, data_dir, out_dir, period, lang, all_books, results, prog, started, failed
    )
    # Every other output with its checksum; run.json cannot describe itself, so it is written
    # once, last (an earlier draft listed a stale checksum of its own first version).
    manifest["outputs"] = _outputs(build)
    (build / "run.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8"
    )

    if failed:
        dest = out_dir / f"{period}.failed"
        if dest.exists():
            shutil.rmtree(dest)
        build.rename(dest)
        names = ", ".join(f"{r['key']} ({r.get('error', '')})" for r in failed)
        pages = ", ".join(str(dest / r["html"]) for r in failed)
        msg = (
            f"报告生成失败: {names}。已发布的 {out_dir / period} 保持不变; 失败页面(含代码与错误信息): {pages}\n"
            f"Report(s) failed: {names}. The published folder {out_dir / period} was left untouched; "
            f"the failed page(s) with code and traceback: {pages}"
        )
        return RunResult(EXIT_FAILED, folder=dest, message=msg, manifest=manifest)

    final = out_dir / period
    with prog.stage("publish", str(final)):
        publish(build, final)
        stale = out_dir / f"{period}.failed"
        if stale.exists():
            shutil.rmtree(stale, ignore_errors=True)
    return RunResult(EXIT_OK, folder=final, index=final / index.name, manifest=manifest)


def _params_for(nb: Path, params: dict[str, str], snapshot: Path | None) -> dict[str, str]:
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


def _expected_seconds(out_dir: Path) -> dict[str, float]:
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


def _carry_over(final: Path, build: Path, books: Sequence[Path]) -> None:
    """``--only``: start from the published folder so the other reports stay published."""
    if not final.is_dir():
        return
    rerun = {b.stem for b in books}
    for item in final.iterdir():
        if item.name in (
            "index.html",
            "run.json",
            "data_quality.csv",
            "inputs_read.csv",
            ".logs",
            SNAPSHOT_DIR,
        ):
            continue
        if item.stem in rerun or item.stem.removeprefix("FAILED-") in rerun:
            continue
        if item.is_dir():
            shutil.copytree(item, build / item.name, dirs_exist_ok=True)
        else:
            shutil.copy2(item, build / item.name)


def _kept_reports(build: Path, books: Sequence[Path]) -> list[dict[str, Any]]:
    """Reports carried over from an earlier run (``--only``), for the landing page."""
    ran = {b.stem for b in books}
    kept = []
    for html in sorted(build.glob("*.html")):
        if html.name == "index.html" or html.stem.startswith("FAILED-") or html.stem in ran:
            continue
        if (build / f"{html.stem}.ipynb").exists():
            kept.append(
                {
                    "name": html.stem,
                    "key": report_key(html),
                    "html": html.name,
                    "ok": True,
                    "kept": True,
                }
            )
    return kept


def _log_result(prog: Progress, r: dict[str, Any]) -> dict[str, Any]:
    status = "ok" if r["ok"] else f"FAILED: {r.get('error', '')}"
    prog.line(
        f"report {r['name']}: {r.get('seconds_execute', 0):.1f}s execute, {r.get('seconds_export', 0):.1f}s export · {status}"
    )
    prog.stages[f"report:{r['name']}"] = round(
        r.get("seconds_execute", 0) + r.get("seconds_export", 0), 3
    )
    return r


def _display_path(p: Path) -> str:
    try:
        return p.relative_to(PROJ_ROOT).as_posix()
    except ValueError:
        return str(p)


def _manifest(
    ds, data_dir, out_dir, period, lang, books, results, prog, started, failed
) -> dict[str, Any]:
    dq = ds.dq
    inputs = ds.inputs.to_dict("records") if len(ds.inputs) else []
    return {
        "status": "failed" if failed else "ok",
        "parameters": {
            "data_dir": _display_path(data_dir),
            "period": period,
            "lang": lang,
            "out_dir": _display_path(out_dir),
            "reports": [report_key(b) for b in books],
        },
        "started": started.isoformat(timespec="seconds"),
        "finished": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "inputs": json.loads(json.dumps(inputs, default=str)),
        "readings": _reading_records(ds.inputs),
        "snapshot": _snapshot_entry(ds.snapshot),
        "reports": [
            {
                k: r.get(k)
                for k in (
                    "key",
                    "notebook",
                    "html",
                    "ok",
                    "error",
                    "seconds_execute",
                    "seconds_export",
                    "skipped",
                )
                if k in r
            }
            for r in results
        ],
        "data_quality": {
            "errors": int((dq["severity"] == "error").sum()) if len(dq) else 0,
            "warnings": int((dq["severity"] == "warning").sum()) if len(dq) else 0,
            "info": int((dq["severity"] == "info").sum()) if len(dq) else 0,
        },
        "seconds": dict(prog.stages),
        "versions": versions(),
        "host": {"platform": platform.platform(), "cpus": os.cpu_count()},
    }


# ---------------------------------------------------------------------------------------------
# Machine faults: a paragraph with the path and the system's reason, never a traceback


def check_folders(data_dir: Path, out_dir: Path) -> None:
    """Preflight before loading: the data folder can be listed and read, the output folder
    written (see :func:`check_output_folder`); a usage error with the path and reason if not."""
    if not os.access(data_dir, os.R_OK | os.X_OK):
        exc = OSError(errno.EACCES, os.strerror(errno.EACCES), str(data_dir))
        raise UsageError(
            fault_paragraph(
                exc,
                "无法读取数据文件夹",
                "Cannot read the data folder",
                after_zh="未发布任何内容。",
                after_en="Nothing was published. ",
            )
        )
    check_output_folder(out_dir)


def check_output_folder(out_dir: Path) -> None:
    """Before loading anything: the output folder (or the folder it will be made in) must be
    writable, so a read-only or forbidden ``--out`` stops the run at once with exit 2.

    Uses ``os.access`` on the nearest existing folder (nothing is created here); a read-only
    file system is named as such. Root passes permission checks, so writes that still fail
    later are caught by :func:`machine_faults`.
    """
    probe = out_dir
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    if not probe.is_dir():
        raise UsageError(f"输出路径不是文件夹 / output path is not a folder: {probe}")
    if os.access(probe, os.W_OK | os.X_OK):
        return
    code = errno.EACCES
    with contextlib.suppress(OSError, AttributeError):
        if os.statvfs(probe).f_flag & os.ST_RDONLY:
            code = errno.EROFS
    exc = OSError(code, os.strerror(code), str(probe))
    raise UsageError(
        fault_paragraph(
            exc,
            "无法写入输出文件夹",
            "Cannot write the output folder:",
            after_zh="未发布任何内容。",
            after_en="Nothing was published. ",
        )
    )


@contextlib.contextmanager
def machine_faults(out_dir: Path, period: str):
    """Turn an OS error while building or publishing into a :class:`MachineFault`.

    By the time it gets here the build folder is gone (freeing the space a full disk needs),
    the published ``<out>/<period>/`` is untouched (publish puts it back if its swap failed),
    and a short FAILED page is written to ``<out>/<period>.failed/FAILED.html`` if at all
    possible; the next run's :func:`_recover` removes any ``.build-*``/``.old-*`` leftovers.
    """
    try:
        yield
    except OSError as exc:
        published = out_dir / period
        for leftover in out_dir.glob(f".build-{period}-{os.getpid()}"):
            shutil.rmtree(leftover, ignore_errors=True)
        msg = fault_paragraph(
            exc,
            "写入输出文件夹",
            "Writing the output folder",
            path=out_dir,
            after_zh=f"本次未发布, 已发布的 {published} 保持不变。",
            after_en=f"Nothing was published; {published} was left as it was. ",
        )
        page = _write_fault_page(out_dir / f"{period}.failed", msg)
        if page is not None:
            msg += f" (FAILED: {page})"
        raise MachineFault(msg, EXIT_USAGE, page.parent if page else None) from None


def _write_fault_page(folder: Path, message: str) -> Path | None:
    """A minimal FAILED page (a few hundred bytes, written after the build folder was
    removed); None when even that cannot be written."""
    import html as _html

    page = folder / "FAILED.html"
    try:
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        stamp = dt.datetime.now().astimezone().isoformat(timespec="seconds")
        page.write_text(
            "<!DOCTYPE html><meta charset='utf-8'><title>FAILED</title>"
            f"<h1>FAILED</h1><p>{_html.escape(message)}</p><p>{stamp}</p>",
            encoding="utf-8",
        )
        return page
    except OSError:
        with contextlib.suppress(OSError):
            page.unlink()
        return None


def _os_fault_message(exc: OSError, data: Any, out: Any) -> str:
    """An OS error outside the build (reading inputs, creating the output folder)."""
    name = Path(os.fsdecode(exc.filename)) if exc.filename else None
    with contextlib.suppress(UsageError, OSError, ValueError):
        data_dir = resolve_dir(data, SAMPLE_DATA_DIR)
        if name is not None and (name == data_dir or data_dir in name.parents):
            return fault_paragraph(
                exc,
                "读取输入文件",
                "Reading the input",
                after_zh="未发布任何内容。",
                after_en="Nothing was published. ",
            )
    with contextlib.suppress(UsageError, OSError, ValueError):
        out_dir = resolve_dir(out, REPORTS_DIR)
        return fault_paragraph(
            exc,
            "写入输出文件夹",
            "Writing the output folder",
            path=out_dir,
            after_zh="未发布任何内容。",
            after_en="Nothing was published. ",
        )
    return fault_paragraph(exc, "访问", "Accessing", after_zh="未发布任何内容。")


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


def main_run(args: Any, printer: Callable[[str], None] | None = None) -> int:
    """CLI glue: run, print the index path on success or one paragraph on failure."""
    printer = printer or (lambda s: print(s, file=sys.stderr))
    result = run(
        data=args.data,
        period=args.period,
        out=args.out,
        lang=args.lang,
        only=args.only,
        timeout=args.timeout,
        jobs=args.jobs,
        wait=args.wait,
        use_cache=not args.no_cache,
        strict=getattr(args, "strict", False),
        notebooks_dir=resolve_dir(args.notebooks, REPORT_NOTEBOOKS_DIR) if args.notebooks else None,
    )
    if result.exit_code == EXIT_OK:
        print(result.index)
    else:
        printer(result.message)
    return result.exit_code
