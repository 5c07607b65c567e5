"""The monthly run: arguments, load once, choose the period, lock, build, publish or refuse.

Why it is built this way:
- Inputs are loaded and validated once, up front, so a bad file stops the run with exit 2 before
  any notebook starts. What was loaded is written to ``<build>/.snapshot/`` and every report
  reads that snapshot, so the figures, run.json, ``inputs_read.csv`` and ``data_quality.csv``
  describe one reading even if a file changes while the run goes on.
- Warnings and errors of the data-quality list reach the landing page as a banner; ``strict``
  turns any of them into exit 2 with nothing published.
- A report whose inputs are absent (a folder with only scorecards) is not run: the landing page
  says 本期无数据 for it, and the other reports publish.
- Building and publishing are in :mod:`analysis.run.publish`, executing the notebooks in
  :mod:`analysis.run.execute`, the landing page in :mod:`analysis.run.landing`.
- Every error is an :class:`~analysis.errors.AnalysisError` (or an ``OSError``); its exit code
  comes from :func:`analysis.errors.exit_code_for`, the one table of exit codes.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from analysis import __version__
from analysis.catalog import words
from analysis.errors import EXIT_OK, AnalysisError, UsageError, exit_code_for
from analysis.i18n import check_lang
from analysis.paths import REPORT_NOTEBOOKS_DIR
from analysis.run.arguments import (
    os_fault_message,
    report_key,
    report_notebooks,
    resolve_dir,
    run_folders,
    validate_period,
)
from analysis.run.execute import execute_all, expected_seconds, kernel_name, params_for
from analysis.run.landing import cell, write_landing
from analysis.run.publish import (
    SNAPSHOT_DIR,
    RunResult,
    build_folder,
    carry_over,
    conclude,
    display_path,
    kept_reports,
    machine_faults,
    manifest,
    period_lock,
    write_manifest,
)

DEFAULT_TIMEOUT_S = 600


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


@dataclass(frozen=True)
class LoadSummary:
    """What the runner keeps of a load: the data-quality list, the readings, the snapshot."""

    dq: Any
    inputs: Any
    latest_period: str | None
    snapshot: Path | None = None
    outlook: tuple[Any, ...] = ()


@dataclass(frozen=True)
class RunPlan:
    """A run's settled arguments: folders resolved and checked, notebooks chosen."""

    data_dir: Path
    out_dir: Path
    lang: str
    books: tuple[Path, ...]
    only: bool = False
    timeout: int = 600
    jobs: int | None = None
    wait: float = 0.0
    use_cache: bool = True
    strict: bool = False


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
    previous folder untouched, the failed build kept as ``<out>/<period>.failed``), 2 (usage,
    input or config error, or with ``strict`` any warning or error in the data-quality list;
    nothing written) or 3 (another run holds this period). ``after_load`` is called with the
    loaded Dataset before any report runs (tests use it to change the inputs mid-run).
    """
    prog = progress or Progress()
    try:
        plan = _plan(data, out, lang, only, notebooks_dir, period)
        plan = replace(plan, timeout=timeout, jobs=jobs, wait=wait, use_cache=use_cache)
        return _run(replace(plan, strict=strict), period, prog, after_load)
    except AnalysisError as exc:
        return RunResult(exit_code_for(exc), folder=getattr(exc, "folder", None), message=str(exc))
    except OSError as exc:
        return RunResult(exit_code_for(exc), message=os_fault_message(exc, data, out))


def _plan(data: Any, out: Any, lang: str, only: Any, notebooks_dir: Any, period: Any) -> RunPlan:
    """The arguments checked in the order a person would fix them; a UsageError if not."""
    try:
        lang = check_lang(lang)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if period:
        validate_period(period)
    data_dir, out_dir = run_folders(data, out)
    books = report_notebooks(only, notebooks_dir)
    if not books:
        raise UsageError(
            f"没有报告笔记本 / no report notebooks in {notebooks_dir or REPORT_NOTEBOOKS_DIR}"
        )
    return RunPlan(data_dir, out_dir, lang, tuple(books), only=bool(only))


def _run(plan: RunPlan, period: str | None, prog: Progress, after_load: Any) -> RunResult:
    """Load once, settle the period, then build and publish under the period's lock."""
    from analysis.check import default_period, n_findings, report_outlook
    from analysis.io import InputError, load_all, write_snapshot

    with prog.stage("load", f"{plan.data_dir}"):
        try:
            ds = load_all(plan.data_dir, lang=plan.lang, use_cache=plan.use_cache)
        except InputError as exc:
            raise UsageError(str(exc)) from None
    if plan.strict and n_findings(ds.dq):
        raise UsageError(strict_refusal(ds.dq, plan.lang))
    period = period or default_period(ds)
    if not period:
        raise UsageError(
            "数据中没有任何月份, 无法确定默认期间; 请用 --period YYYY-MM 指定。\n"
            "No month in the data to choose a default period from; pass --period YYYY-MM."
        )
    validate_period(period)
    outlook = tuple(report_outlook(ds, period, plan.lang))
    prog.line(f"period {period} · {len(plan.books)} report(s) · lang {plan.lang}")
    out_dir = plan.out_dir
    with (
        period_lock(out_dir, period, plan.wait),
        machine_faults(out_dir, period),
        build_folder(out_dir, period) as build,
    ):
        if plan.only:
            carry_over(out_dir / period, build, plan.books)
        with prog.stage("snapshot"):
            snapshot = write_snapshot(ds, build / SNAPSHOT_DIR)
        # The reports read the snapshot; the runner keeps only the accounting. Dropping the
        # big frames before the workers fork keeps a large centre's peak memory down.
        summary = LoadSummary(ds.dq, ds.inputs, ds.latest_period, snapshot, outlook)
        if after_load is not None:
            after_load(ds)
        del ds
        return _build(summary, plan, build, period, prog)


def _build(
    summary: LoadSummary, plan: RunPlan, build: Path, period: str, prog: Progress
) -> RunResult:
    """Run the reports into ``build``, write the landing page and run.json, then publish."""
    from analysis.outputs import write_csv
    from analysis.overview import readings

    started = dt.datetime.now().astimezone()
    write_csv(summary.dq, build / "data_quality.csv")
    write_csv(
        readings(summary.inputs),
        build / "inputs_read.csv",
        money=["amount_read", "amount_loaded", "amount_reported"],
    )
    footer = f"{words(plan.lang)('app')} {__version__} · {period} · {started:%Y-%m-%d %H:%M}"
    results, skipped = _execute(summary, plan, build, period, footer, prog)
    failed = [r for r in results if not r["ok"]]
    results = results + skipped + kept_reports(build, plan.books)
    with prog.stage("index"):
        write_landing(
            build,
            period=period,
            lang=plan.lang,
            data_source=display_path(plan.data_dir),
            generated=f"{dt.datetime.now().astimezone():%Y-%m-%d %H:%M}",
            reports=results,
            dq=summary.dq,
            cfg=_run_config(plan.data_dir),
        )
    params = {
        "data_dir": display_path(plan.data_dir),
        "period": period,
        "lang": plan.lang,
        "out_dir": display_path(plan.out_dir),
        "reports": [report_key(b) for b in plan.books],
    }
    record = write_manifest(build, manifest(summary, params, results, prog, started))
    return conclude(build, plan.out_dir, period, failed, record, prog)


def _run_config(data_dir: Path) -> Any:
    """The rules the reports used (defaults, then the data folder's config.toml)."""
    from analysis.config import load_config

    try:
        return load_config(data_dir)
    except AnalysisError:
        return None


def _execute(
    summary: LoadSummary, plan: RunPlan, build: Path, period: str, footer: str, prog: Progress
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Run the reports that have data (results in run order) and list those skipped."""
    kernel = kernel_name()
    params = {
        "data_dir": str(plan.data_dir),
        "period": period,
        "lang": plan.lang,
        "out_dir": str(build),
    }
    absent = {o.key for o in summary.outlook if not o.has_data}
    skipped = [
        {
            "name": nb.stem,
            "key": report_key(nb),
            "notebook": nb.name,
            "ok": True,
            "skipped": "no_data",
        }
        for nb in plan.books
        if report_key(nb) in absent
    ]
    books = [nb for nb in plan.books if report_key(nb) not in absent]
    for s in skipped:
        prog.line(f"report {s['name']}: skipped, no data for this period")
    n_jobs = max(1, min(plan.jobs or min(2, os.cpu_count() or 1), max(1, len(books))))
    jobs = [
        (str(nb), str(build / nb.name), params_for(nb, params, summary.snapshot))
        + (kernel, plan.timeout, footer)
        for nb in books
    ]
    with prog.stage("reports", f"{len(books)} notebook(s), {n_jobs} at a time, kernel {kernel}"):
        expected = expected_seconds(plan.out_dir) if n_jobs > 1 else {}
        results = execute_all(jobs, n_jobs, expected, lambda r: _log_result(prog, r))
    for r, nb in zip(results, books, strict=True):
        r["key"] = report_key(nb)
    return results, skipped


def _log_result(prog: Progress, r: dict[str, Any]) -> dict[str, Any]:
    status = "ok" if r["ok"] else f"FAILED: {r.get('error', '')}"
    prog.line(
        f"report {r['name']}: {r.get('seconds_execute', 0):.1f}s execute, "
        f"{r.get('seconds_export', 0):.1f}s export · {status}"
    )
    prog.stages[f"report:{r['name']}"] = round(
        r.get("seconds_execute", 0) + r.get("seconds_export", 0), 3
    )
    return r


def strict_refusal(dq: Any, lang: str = "zh") -> str:
    """The one paragraph ``--strict`` prints when the data-quality list has warnings or errors."""
    from analysis.check import findings, findings_phrase

    rows = [{k: cell(v) for k, v in r.items()} for r in findings(dq).head(3).to_dict("records")]

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
