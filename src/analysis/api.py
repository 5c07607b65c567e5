"""The analyst's verbs: load a folder, read one file or DataFrame, reconcile, score, staff.

The names avoid the modules' own (``analysis.staffing`` is the module, ``staffing_plan`` the
verb; ``analysis.config`` the module, ``rules`` the verb), so ``from analysis import staffing``
keeps meaning the module.

Why: a notebook should not need to know which module holds a rule. These functions take what an
analyst has (a folder, a file, a DataFrame with Chinese or English headers), use the shipped
rules (``defaults.toml``) when no config is given — never "no rules" — and check a DataFrame's
columns at the door, so a wrong column name is a message naming it, not a silent 计划外 line or a
pandas ``KeyError``. They delegate to :mod:`analysis.io`, :mod:`analysis.budget`,
:mod:`analysis.scorecard` and :mod:`analysis.staffing`; nothing is computed here.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

import pandas as pd

from analysis.errors import FrameError, UsageError

Source = str | os.PathLike[str] | pd.DataFrame

#: Columns a frame must have at the public boundary: name → (required, numeric, alternatives).
#: A column listed in "one of" needs only one of the group.
REQUIRED: dict[str, dict[str, Any]] = {
    "plan": {"all": ("period", "category", "plan"), "numeric": ("plan", "revised_plan")},
    "actuals": {
        "all": ("category", "amount"),
        "one_of": ("period", "date"),
        "numeric": ("amount",),
    },
    "presales": {"all": ("period", "agent_id"), "numeric": ("exam",)},
    "aftersales": {"all": ("period", "agent_id"), "numeric": ("tickets",)},
    "staffing": {"all": ("day", "interval", "calls"), "numeric": ("calls", "aht_s")},
}
READERS = {"plan": "read_plan", "actuals": "read_ledger", "presales": "read_scorecard"}


def rules(data_dir: str | os.PathLike[str] | None = None) -> dict[str, Any]:
    """The rules in force: ``defaults.toml``, merged with ``<data_dir>/config.toml`` if given."""
    from analysis.config import load_config
    from analysis.paths import resolve

    return load_config(resolve(data_dir) if data_dir else None)


def _cfg(cfg: Mapping[str, Any] | None) -> Mapping[str, Any]:
    return rules() if cfg is None else cfg


def load(data_dir: str | os.PathLike[str] | None = None, *, lang: str = "zh") -> Any:
    """Read a data folder (``budget/``, ``actuals/``, ``scorecards/``, ``roster.*`` …) into a
    ``Dataset``: tidy frames ``plan``, ``actuals``, ``presales``, ``aftersales``, ``roster``,
    ``staffing`` and the data-quality list ``dq``. Default: the sample data."""
    from analysis.io import load_all
    from analysis.paths import SAMPLE_DATA_DIR, resolve

    return load_all(resolve(data_dir, SAMPLE_DATA_DIR), lang=lang)


def _read(source: Source, kind: str, frame: str, cfg: Any, lang: str) -> pd.DataFrame:
    from analysis.io.api import read_one

    ds = read_one(source, kind, cfg, lang=lang)
    out = getattr(ds, frame)
    out.attrs["data_quality"] = ds.dq
    return out


def read_plan(
    source: Source, cfg: Mapping[str, Any] | None = None, *, lang: str = "zh"
) -> pd.DataFrame:
    """One plan workbook, CSV or DataFrame (预算/计划 headers or English) → the tidy plan frame
    (``schema.PLAN_COLUMNS``), exactly as the monthly run reads it (万元, 小计 rows, annual
    plans spread). The data-quality list is in ``frame.attrs["data_quality"]``."""
    return _read(source, "budget", "plan", cfg, lang)


def read_ledger(
    source: Source, cfg: Mapping[str, Any] | None = None, *, lang: str = "zh"
) -> pd.DataFrame:
    """One ledger (actual spending) file or DataFrame → the tidy actuals frame
    (``schema.ACTUAL_COLUMNS``); data-quality list in ``frame.attrs["data_quality"]``."""
    return _read(source, "actuals", "actuals", cfg, lang)


def read_scorecard(
    source: Source,
    cfg: Mapping[str, Any] | None = None,
    *,
    role: str | None = None,
    lang: str = "zh",
) -> pd.DataFrame:
    """One monthly scorecard file or DataFrame → the tidy pre-sales or after-sales frame.

    ``role`` ("presales" or "aftersales") picks one when the file holds both; without it the
    role that has rows is returned. Data-quality list in ``frame.attrs["data_quality"]``.
    """
    from analysis.io.api import read_one

    ds = read_one(source, "scorecards", cfg, lang=lang)
    have = [r for r in ("presales", "aftersales") if len(getattr(ds, r))]
    if role is None and len(have) > 1:
        raise UsageError(
            "该文件同时包含售前与售后考核, 请指定 role='presales' 或 role='aftersales'。 / "
            "The file holds both pre-sales and after-sales scorecards: pass role='presales' "
            "or role='aftersales'."
        )
    if role not in (None, "presales", "aftersales"):
        raise UsageError(
            f"role 应为 presales 或 aftersales / role must be presales or aftersales: {role!r}"
        )
    out = getattr(ds, role or (have[0] if have else "presales"))
    out.attrs["data_quality"] = ds.dq
    return out


def validate(frame: Any, kind: str) -> pd.DataFrame:
    """Check a frame at the public boundary; a :class:`FrameError` naming the column if not.

    Returns the frame with ``period`` as "YYYY-MM" text when it was a pandas Period or date
    (a ``period[M]`` column would not merge with the plan's text periods).
    """
    rules = REQUIRED[kind]
    if not isinstance(frame, pd.DataFrame):
        raise FrameError(
            f"{kind} 应为 DataFrame, 收到 {type(frame).__name__} / {kind} must be a DataFrame, "
            f"got {type(frame).__name__}"
        )
    missing = [c for c in rules["all"] if c not in frame.columns]
    group = rules.get("one_of", ())
    if group and not any(c in frame.columns for c in group):
        missing.append(" 或 / or ".join(group))
    if missing:
        raise FrameError(_missing_text(kind, missing, list(frame.columns)))
    for col in rules["numeric"]:
        if col in frame.columns:
            _numeric(frame[col], kind, col)
    if "period" in frame.columns:
        frame = frame.assign(period=_period_text(frame["period"]))
    return frame


def _missing_text(kind: str, missing: list[str], have: list[Any]) -> str:
    reader = READERS.get(kind)
    hint_zh = f"; 原始表头(中文或英文)请先用 analysis.{reader}() 读取" if reader else ""
    hint_en = (
        f"; for a table with its original (Chinese or English) headers use analysis.{reader}() first"
        if reader
        else ""
    )
    cols = ", ".join(map(str, have[:12]))
    return (
        f"{kind} 缺少列 {', '.join(missing)} (现有列: {cols}){hint_zh}。 / "
        f"{kind} lacks the column(s) {', '.join(missing)} (it has: {cols}){hint_en}."
    )


def _numeric(values: pd.Series, kind: str, col: str) -> None:
    numbers = pd.to_numeric(values, errors="coerce")
    bad = numbers.isna() & values.notna() & values.astype(str).str.strip().ne("")
    if bad.any():
        first = values[bad].iloc[0]
        raise FrameError(
            f"{kind} 的列 {col} 应为数字, 第 {int(bad.to_numpy().argmax())} 行是 {first!r} 等 "
            f"{int(bad.sum())} 个值。 / {kind} column {col} must be numeric; {int(bad.sum())} "
            f"value(s) are not, the first {first!r} at position {int(bad.to_numpy().argmax())}."
        )


def _period_text(values: pd.Series) -> pd.Series:
    if isinstance(values.dtype, pd.PeriodDtype):
        return values.dt.strftime("%Y-%m").fillna("")
    if pd.api.types.is_datetime64_any_dtype(values):
        return values.dt.strftime("%Y-%m").fillna("")
    return values


def reconcile(
    plan: pd.DataFrame,
    actuals: pd.DataFrame,
    period: str,
    cfg: Mapping[str, Any] | None = None,
    **options: Any,
) -> pd.DataFrame:
    """Budget vs actual for ``period`` ("YYYY-MM"): month, YTD and full-year landing per line
    (:func:`analysis.budget.reconcile`). No ``cfg`` means the shipped rules (materiality,
    revenue categories, label mapping), as in the monthly report."""
    from analysis import budget

    plan, actuals = validate(plan, "plan"), validate(actuals, "actuals")
    return budget.reconcile(plan, actuals, str(period), _cfg(cfg), **options)


def score(
    presales: pd.DataFrame | Any | None = None,
    aftersales: pd.DataFrame | None = None,
    roster: pd.DataFrame | None = None,
    cfg: Mapping[str, Any] | None = None,
) -> pd.DataFrame:
    """Score every month present with its own rules, rank within role, pay and flag
    (:func:`analysis.scorecard.build_scorecards`). ``presales`` may be a loaded ``Dataset``,
    whose scorecards and roster are then used. No ``cfg`` means the shipped rules."""
    from analysis import scorecard

    if hasattr(presales, "presales") and hasattr(presales, "roster"):
        ds = presales
        presales, aftersales, roster = ds.presales, ds.aftersales, ds.roster
    if presales is None and aftersales is None:
        raise FrameError("没有考核数据 / no scorecards given: pass presales and/or aftersales")
    presales = validate(presales, "presales") if presales is not None else None
    aftersales = validate(aftersales, "aftersales") if aftersales is not None else None
    return scorecard.build_scorecards(presales, aftersales, roster, _cfg(cfg))


def staffing_plan(
    volumes: pd.DataFrame, cfg: Mapping[str, Any] | None = None, **overrides: Any
) -> pd.DataFrame:
    """Agents and staff needed per interval from call volumes (Erlang C,
    :func:`analysis.staffing.interval_plan`); ``overrides`` such as ``service_level=0.8`` or
    ``answer_s=20`` change the shipped ``[staffing]`` rules for this call."""
    from analysis import staffing

    return staffing.interval_plan(validate(volumes, "staffing"), _cfg(cfg), **overrides)


__all__ = [
    "load",
    "read_ledger",
    "read_plan",
    "read_scorecard",
    "reconcile",
    "score",
    "rules",
    "staffing_plan",
    "validate",
]
