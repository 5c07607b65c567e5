"""客服运营分析工作簿: budget reconciliation, agent scorecards and staffing for a 客服部.

The analyst's verbs (see README "API")::

    import analysis
    ds = analysis.load("data/sample")                 # a data folder → Dataset
    plan = analysis.read_plan("预算.xlsx")             # one file or DataFrame → tidy frame
    table = analysis.reconcile(ds.plan, ds.actuals, "2026-10")
    cards = analysis.score(ds)
    agents = analysis.staffing_plan(ds.staffing, service_level=0.8)

Every verb is imported on first use, so ``import analysis`` stays fast (no pandas until needed).
Domain modules take DataFrames and return numbers and codes; ``analysis.io`` is the one module
that knows files; every error the workbook raises on purpose is an ``analysis.AnalysisError``.
"""

from __future__ import annotations

__version__ = "0.1.0"

#: Public name → the module that holds it (imported on first access).
_LAZY = {
    "load": "analysis.api",
    "rules": "analysis.api",
    "read_plan": "analysis.api",
    "read_ledger": "analysis.api",
    "read_scorecard": "analysis.api",
    "reconcile": "analysis.api",
    "score": "analysis.api",
    "staffing_plan": "analysis.api",
    "validate": "analysis.api",
    "AnalysisError": "analysis.errors",
    "FrameError": "analysis.errors",
    "InputError": "analysis.io.errors",
}

__all__ = ["__version__", *_LAZY]


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'analysis' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
