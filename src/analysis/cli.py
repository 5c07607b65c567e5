"""The ``analysis`` command (also ``python -m analysis``).

Why one command: a scheduler (cron, CI, Airflow) should need exactly one line, get exit 0 and a
published folder, or a non-zero exit and one paragraph saying what to fix.
"""

from __future__ import annotations

import argparse
import signal
import sys
from collections.abc import Sequence
from typing import Any

from analysis import __version__
from analysis.errors import AnalysisError, exit_code_for

DESCRIPTION = """\
客服运营分析工作簿 — customer-service operations workbook.

Loads the department's budget, spending, scorecard and roster spreadsheets, runs the report
notebooks with papermill and publishes self-contained HTML reports (Chinese by default).
"""

RUN_EPILOG = """\
What a run writes (in <out>/<period>/):
  index.html          landing page: headline figures of every report, links, data quality
  <report>.html       each report, self-contained (images inline, code hidden, opens offline)
  <report>.ipynb      the executed notebook with its injected parameters (audit trail)
  data_quality.csv    every input row not analysed, and every doubt (UTF-8 with BOM)
  inputs_read.csv     how each table was read: layout, range, header, unit, sign, year, rows
  run.json            status, parameters, input files with sha256 and rows, readings, outputs
  .snapshot/          the data as loaded once for this run; every report reads it
  budget_variance.csv, budget.xlsx, scorecards.csv, scorecards.xlsx, … (from the reports)

Everything is built in a temporary folder and renamed into place only if every report
succeeded, so the previous reports of that period stay intact on failure.

Exit codes:
  0  success: the path of index.html is printed on stdout
  1  a report failed: <out>/<period>.failed/FAILED-<report>.html has the code and traceback;
     the published <out>/<period>/ is untouched
  2  usage or input error (bad period, missing data folder, unreadable or invalid input), or
     a machine fault (permission denied, read-only or full disk, no Jupyter kernel): one
     paragraph on stderr naming the path and the system's reason, nothing published; after a
     fault while building, <out>/<period>.failed/FAILED.html says the same when it can be
     written
     With --strict, any warning or error in the data-quality list also exits 2.

Warnings and errors that do not stop the run are listed in a banner at the top of
index.html (本期数据有 N 条警告,可能影响数字). A report whose inputs are absent (no budget
and no actuals, or no scorecards) is not run and shows 本期无数据. Dry run first:
analysis check --data DIR.
  3  another run is building the same period (see --wait)
  An unexpected error prints one paragraph and exits 1; its traceback is written to
  <out>/.logs/analysis-error-*.log (or the system temp folder).

Data folder layout (defaults; <data>/config.toml may override files, sheets, aliases, rules):
  <data>/budget/      plan workbooks        <data>/scorecards/  monthly agent scorecards
  <data>/actuals/     spending              <data>/roster.*     agents
  <data>/staffing/    optional volumes      <data>/config.toml  optional overrides

Example (cron, 06:00 on the 3rd of each month, last month's reports):
  0 6 3 * *  cd /opt/kefu && .venv/bin/analysis run --data /srv/kefu --period "$(date -d 'last month' +\\%Y-\\%m)"
"""


CHECK_EPILOG = """\
Exit codes:
  0  the folder loads; warnings (if any) are listed and would be published with the reports
  2  the folder cannot be loaded (one paragraph saying which file, sheet and what to fix),
     a bad --period, or with --strict any warning or error

Example (a scheduler's dry run before the monthly run):
  analysis check --data /srv/kefu --strict && analysis run --data /srv/kefu --strict
"""


def build_parser() -> argparse.ArgumentParser:
    """The ``analysis`` command with its sub-commands run, check and staffing."""
    parser = argparse.ArgumentParser(
        prog="analysis",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    _add_run(sub)
    _add_check(sub)
    try:
        from analysis import cli_staffing
    except ImportError:  # pragma: no cover - staffing command not installed
        cli_staffing = None
    if cli_staffing is not None:
        cli_staffing.add_parser(sub)
    return parser


def _add_data_options(cmd: argparse.ArgumentParser, what: str, strict_help: str) -> None:
    """The options ``run`` and ``check`` share: the data folder, the month, language, strictness."""
    cmd.add_argument(
        "--data", metavar="DIR", default=None, help="data folder (default: data/sample)"
    )
    cmd.add_argument(
        "--period",
        metavar="YYYY-MM",
        default=None,
        help=f"month to {what} (default: the latest month with actual data)",
    )
    cmd.add_argument(
        "--lang",
        choices=("zh", "en"),
        default="zh",
        help=f"{'report' if what == 'report' else 'output'} language (default: zh)",
    )
    cmd.add_argument(
        "--no-cache", action="store_true", help="parse every input again, ignoring data/interim/"
    )
    cmd.add_argument("--strict", action="store_true", help=strict_help)


def _add_run(sub: Any) -> None:
    run = sub.add_parser(
        "run",
        help="run the monthly reports and publish <out>/<period>/index.html",
        description="Run every report notebook for one month and publish the HTML reports.",
        epilog=RUN_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _add_data_options(
        run,
        "report",
        "refuse to publish (exit 2) when the data-quality list has any warning or error",
    )
    run.add_argument("--out", metavar="DIR", default=None, help="reports folder (default: reports)")
    run.add_argument(
        "--only",
        nargs="+",
        metavar="NAME",
        default=None,
        help="run only these reports, e.g. --only budget scorecards",
    )
    run.add_argument(
        "--timeout",
        type=int,
        default=600,
        metavar="S",
        help="execution timeout per notebook cell in seconds (default: 600)",
    )
    run.add_argument(
        "--jobs",
        type=int,
        default=None,
        metavar="N",
        help="notebooks run at once (default: up to 2)",
    )
    run.add_argument(
        "--wait",
        type=float,
        default=0.0,
        metavar="S",
        help="wait up to S seconds for another run of the same period (default: 0, refuse)",
    )
    run.add_argument(
        "--notebooks",
        metavar="DIR",
        default=None,
        help="folder of report notebooks (default: notebooks/reports)",
    )


def _add_check(sub: Any) -> None:
    chk = sub.add_parser(
        "check",
        help="load and validate a data folder: how each file was read, warnings, what each report will have",
        description=(
            "Load and validate the data folder without running any report: prints how each "
            "file was read (layout, range, header, fields, unit, sign, year, rows and amounts), "
            "every warning and error (file, sheet, row, column, message) and what each report "
            "will have for the period."
        ),
        epilog=CHECK_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _add_data_options(chk, "check", "exit 2 when there is any warning or error")


def _terminate(signum: int, _frame: object) -> None:
    # Turn SIGTERM into SystemExit so every `finally` runs and no half-built folder is left.
    raise SystemExit(128 + signum)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    signal.signal(signal.SIGTERM, _terminate)
    try:
        if args.command == "run":
            from analysis.run.orchestrate import main_run

            return main_run(args)
        if args.command == "check":
            from analysis.check import main_check

            return main_check(args)
        if args.command == "staffing":
            from analysis import cli_staffing

            return cli_staffing.run(args)
    except KeyboardInterrupt as exc:
        print("已中断, 未发布任何内容 / interrupted; nothing was published.", file=sys.stderr)
        return exit_code_for(exc)
    except AnalysisError as exc:  # usage, input, config, busy, machine: one paragraph
        print(str(exc), file=sys.stderr)
        return exit_code_for(exc)
    except OSError as exc:
        return _machine_fault(exc)
    except Exception as exc:  # noqa: BLE001 - the last word: one paragraph, details in a file
        return _unexpected(exc, args)
    parser.print_help()
    return 2


def _machine_fault(exc: OSError) -> int:
    """An OS error no command turned into a message: the path and the system's reason, exit 2."""
    from analysis.faults import fault_paragraph

    print(
        fault_paragraph(
            exc,
            "访问",
            "Accessing",
            after_zh="未发布任何内容。",
            after_en="Nothing was published. ",
        ),
        file=sys.stderr,
    )
    return exit_code_for(exc)


def _unexpected(exc: Exception, args: argparse.Namespace) -> int:
    """A bug or an unforeseen state: one paragraph on stderr, the traceback in a log file
    (``<out>/.logs/`` when it can be written, else the system temp folder), exit 1."""
    from pathlib import Path

    from analysis.faults import write_crash_log

    folders = []
    out = getattr(args, "out", None)
    try:
        from analysis.paths import REPORTS_DIR

        folders.append((Path(out) if out else REPORTS_DIR) / ".logs")
    except Exception:  # noqa: BLE001 - the temp folder is still there
        pass
    log = write_crash_log(exc, folders)
    what = " ".join(f"{type(exc).__name__}: {exc}".split())[:300]
    where_zh = f"详细信息(含 traceback)已写入 {log}" if log else "详细信息无法写入文件"
    where_en = (
        f"the details (with the traceback) are in {log}" if log else "no log could be written"
    )
    print(
        f"意外错误, 运行中止, 未发布任何内容 ({what}); {where_zh}, 请把该文件发给维护人员。 / "
        f"Unexpected error; the run stopped and nothing was published ({what}); {where_en}: "
        "please send that file to whoever maintains the workbook.",
        file=sys.stderr,
    )
    return exit_code_for(exc)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
