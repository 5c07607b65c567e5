"""The monthly pipeline, as it was imported before the split into :mod:`analysis.run`.

Kept so ``from analysis.runner import run, Progress`` in notebooks, scripts and tests goes on
working; new code imports from the room that holds the name (see ``analysis/run/__init__.py``).
"""

from __future__ import annotations

from analysis.errors import (
    EXIT_BUSY,
    EXIT_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    BusyError,
    MachineFault,
    UsageError,
)
from analysis.paths import PROJ_ROOT
from analysis.run.arguments import (
    check_folders,
    check_output_folder,
    report_key,
    report_notebooks,
    resolve_dir,
    validate_period,
)
from analysis.run.execute import KERNEL_NAME, execute_report, export_html, kernel_name
from analysis.run.landing import dq_banner, write_landing
from analysis.run.orchestrate import (
    DEFAULT_TIMEOUT_S,
    LoadSummary,
    Progress,
    main_run,
    run,
    strict_refusal,
)
from analysis.run.publish import (
    SNAPSHOT_DIR,
    RunResult,
    carry_over,
    machine_faults,
    period_lock,
    publish,
    recover,
    versions,
)

__all__ = [
    "DEFAULT_TIMEOUT_S",
    "EXIT_BUSY",
    "EXIT_FAILED",
    "EXIT_OK",
    "EXIT_USAGE",
    "KERNEL_NAME",
    "PROJ_ROOT",
    "SNAPSHOT_DIR",
    "BusyError",
    "LoadSummary",
    "MachineFault",
    "Progress",
    "RunResult",
    "UsageError",
    "carry_over",
    "check_folders",
    "check_output_folder",
    "dq_banner",
    "execute_report",
    "export_html",
    "kernel_name",
    "machine_faults",
    "main_run",
    "period_lock",
    "publish",
    "recover",
    "report_key",
    "report_notebooks",
    "resolve_dir",
    "run",
    "strict_refusal",
    "validate_period",
    "versions",
    "write_landing",
]
