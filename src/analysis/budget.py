"""Budget execution (预算执行): actual spending reconciled against plan, month and year to date.

Why: the 客服经理 and finance read this every month: where the money went against the plan, what
will land by year end, and which spending has no plan at all. Every function here is pure
(DataFrames in, DataFrames, numbers and codes out; no language); loading lives in ``analysis.io``,
words in ``catalog/<lang>/budget.toml`` and the report in ``analysis.views.budget``.

Conventions
- Money is summed in 分 inside and rounded once to 元 with 2 decimals at output
  (``analysis.money``, shared with the loader, as is the annual spread and the revenue test).
- ``plan`` frames follow ``schema.PLAN_COLUMNS`` (one row per department × category × item ×
  month; a period of just "YYYY" is an annual-only amount spread by :func:`spread_annual`).
- ``actuals`` frames follow ``schema.ACTUAL_COLUMNS``; ``category`` is the ledger's own label and
  is mapped here: [budget.category_map] first, then an exact plan category, then an exact plan
  item; whatever maps nowhere becomes 计划外支出 (never dropped).
- Frames are checked at every public function (:func:`validate`): a missing or misnamed column
  or a wrong type (a period as ``pd.Period`` instead of "YYYY-MM" text) raises
  :class:`BudgetFrameError` naming every such column at once.
- ``cfg`` is the merged configuration (``analysis.config.load_config``); None, or a config
  without some [budget] key, means the shipped defaults (``defaults.toml``), never "no rules".
- The revised plan (调整后预算) is used wherever present; the original stays available through
  :func:`plan_revisions`.

Status codes (column ``status`` of the variance table and of :func:`totals`; stable, also in
``budget_variance.csv``; words per language in ``catalog/<lang>/budget.toml`` → ``statuses``):

=================  ===========================================================================
``over``           cost line over plan YTD by more than both materiality thresholds (超支)
``under``          cost line under plan YTD by more than both thresholds (节余)
``on_track``       within either threshold (正常)
``revenue_over``   revenue line above plan by more than both thresholds (超收, favourable)
``revenue_short``  revenue line below plan by more than both thresholds (短收, unfavourable)
``unbudgeted``     spending with no plan for its department × category this year (计划外)
=================  ===========================================================================
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

import numpy as np
import pandas as pd

from analysis.errors import AnalysisError, FrameError
from analysis.io.values import norm, norm_series
from analysis.money import is_revenue, spread_fen, to_fen, to_yuan
from analysis.schema import PLAN_COLUMNS

#: Category of ledger lines that map to no plan category (a data label, like a plan category).
UNBUDGETED = "计划外支出"
#: Status codes of the variance table (see the module docstring).
STATUS_OVER = "over"
STATUS_OK = "on_track"
STATUS_UNDER = "under"
STATUS_UNBUDGETED = "unbudgeted"
STATUS_REVENUE_OVER = "revenue_over"
STATUS_REVENUE_UNDER = "revenue_short"
STATUSES = (
    STATUS_OVER,
    STATUS_OK,
    STATUS_UNDER,
    STATUS_UNBUDGETED,
    STATUS_REVENUE_OVER,
    STATUS_REVENUE_UNDER,
)
#: Statuses that are bad news (shown red) and good news (shown green).
UNFAVOURABLE = (STATUS_OVER, STATUS_REVENUE_UNDER, STATUS_UNBUDGETED)
FAVOURABLE = (STATUS_UNDER, STATUS_REVENUE_OVER)

KEYS = ["department", "category", "item"]
VARIANCE_COLUMNS = [
    "period",
    "department",
    "category",
    "item",
    "plan",
    "actual",
    "variance",
    "variance_pct",
    "execution_rate",
    "plan_ytd",
    "actual_ytd",
    "variance_ytd",
    "variance_ytd_pct",
    "plan_full_year",
    "forecast_full_year",
    "status",
    "status_month",
]
#: Mapping provenance of an actual label.
MAPPED_BY = ("category_map", "plan_category", "plan_item", "unmapped")

#: Driver-built plan categories (市场年度预算计算方式).
DRIVER_CATEGORIES = {
    "revenue": "销售收入",
    "cost_of_sales": "销售成本",
    "marketing": "营销费用",
    "admin": "管理费用",
    "other": "其他费用",
    "net_profit": "净利润",
}

_PERIOD_RE = re.compile(r"^\d{4}-\d{2}$")
_YEAR_RE = re.compile(r"^\d{4}$")


class BudgetTieOutError(AnalysisError, ValueError):
    """The report's actual total differs from the ledger's period total by half a 分 or more."""


class BudgetFrameError(FrameError, ValueError):
    """A plan or actuals frame without a needed column, or with a column of the wrong type.

    ``problems`` lists every finding (one line each); the message holds them all.
    """

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        super().__init__(
            "预算数据表不符合要求 / budget frames do not fit:\n- " + "\n- ".join(self.problems)
        )


# ---------------------------------------------------------------------------------------------
# frames at the boundary

#: What the public functions need of each frame: column → (kind, required, what it is).
#: Label columns (department, category, item) are read as text whatever their type.
FRAME_SCHEMAS: dict[str, dict[str, tuple[str, bool, str]]] = {
    "plan": {
        "period": ("period_or_year", True, "期间 'YYYY-MM'(或全年 'YYYY')/ 'YYYY-MM' or 'YYYY'"),
        "category": ("text", True, "费用项目 / plan category"),
        "plan": ("number", True, "预算金额(元)/ plan amount in 元"),
        "revised_plan": ("number", False, "调整后预算(元)/ revised plan in 元"),
    },
    "actuals": {
        "category": ("text", True, "明细账科目 / ledger label"),
        "amount": ("number", True, "金额(元)/ amount in 元"),
        "period": ("period", False, "期间 'YYYY-MM' / month 'YYYY-MM'"),
    },
}


def _column_problem(frame: str, col: str, s: pd.Series, kind: str, what: str) -> str | None:
    """One problem text for a column of the wrong type, or None when it fits."""
    dtype = s.dtype
    if kind == "number":
        if pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype):
            return None
        bad = s[s.notna() & pd.to_numeric(s, errors="coerce").isna()]
        if bad.empty:
            return None
        return (
            f"{frame}.{col}: 应为数字 / expected numbers ({what}), got {dtype} e.g. {bad.iloc[0]!r}"
        )
    if kind == "text":  # any labels will do (account numbers too): they are read as text
        return None
    if isinstance(dtype, pd.PeriodDtype) or pd.api.types.is_datetime64_any_dtype(dtype):
        return (
            f"{frame}.{col}: 应为文本 / expected text ({what}), got {dtype}; "
            "convert with .astype(str) or .dt.strftime('%Y-%m')"
        )
    values = s.cat.categories if isinstance(dtype, pd.CategoricalDtype) else s.dropna().unique()
    pattern = r"^\d{4}(-\d{2})?$" if kind == "period_or_year" else r"^\d{4}-\d{2}$"
    bad = [v for v in values if not (isinstance(v, str) and (v == "" or re.match(pattern, v)))]
    if not bad:
        return None
    return f"{frame}.{col}: 应为文本 / expected text ({what}), got e.g. {bad[:3]!r}"


def _frame_problems(frame: str, df: pd.DataFrame) -> list[str]:
    if not isinstance(df, pd.DataFrame):
        return [f"{frame}: 应为 DataFrame / expected a pandas DataFrame, got {type(df).__name__}"]
    schema = FRAME_SCHEMAS[frame]
    problems = [
        f"{frame}: 缺少列 / missing column {col!r} ({what}); "
        f"columns present: {', '.join(map(str, df.columns)) or '(none)'}"
        for col, (_, required, what) in schema.items()
        if required and col not in df.columns
    ]
    for col, (kind, _, what) in schema.items():
        if col in df.columns:
            problem = _column_problem(frame, col, df[col], kind, what)
            if problem:
                problems.append(problem)
    return problems


def validate(plan: pd.DataFrame | None = None, actuals: pd.DataFrame | None = None) -> None:
    """Check the frames a public function was given; raise every problem at once.

    Why: a misnamed column (``budget`` for ``plan``) once became silently 计划外, and a period as
    ``pd.Period`` failed deep inside pandas; a message naming the column is actionable.
    """
    problems: list[str] = []
    if plan is not None:
        problems += _frame_problems("plan", plan)
    if actuals is not None:
        problems += _frame_problems("actuals", actuals)
        if isinstance(actuals, pd.DataFrame) and not {"period", "date"} & set(actuals.columns):
            problems.append(
                "actuals: 缺少列 / missing column 'period' ('YYYY-MM') or 'date'; columns "
                f"present: {', '.join(map(str, actuals.columns)) or '(none)'}"
            )
    if problems:
        raise BudgetFrameError(problems)


# ---------------------------------------------------------------------------------------------
# helpers


@cache
def _default_budget() -> dict[str, Any]:
    from analysis.config import load_defaults

    return dict(load_defaults().get("budget", {}))


def _full(cfg: Mapping[str, Any] | None) -> dict[str, Any]:
    """``cfg`` with its [budget] section completed from the defaults (None → the defaults)."""
    own = (cfg or {}).get("budget") or {}
    return {**(cfg or {}), "budget": {**_default_budget(), **own}}


def rules(cfg: Mapping[str, Any] | None = None) -> Mapping[str, Any]:
    """The [budget] rules in force: ``cfg``'s section completed from ``defaults.toml``."""
    return _full(cfg)["budget"]


def _norm(s: pd.Series) -> pd.Series:
    """Label key for matching: the loader's normalisation (``io.values.norm``), blanks as ""."""
    return norm_series(s.fillna("").astype(str))


def _text(s: pd.Series) -> pd.Series:
    return s.fillna("").astype(str).str.strip()


def _check_period(period: str) -> str:
    period = str(period)
    if not _PERIOD_RE.match(period):
        raise ValueError(f"期间应为 YYYY-MM / period must be 'YYYY-MM', got {period!r}")
    return period


def _year_months(year: str) -> list[str]:
    return [f"{year}-{m:02d}" for m in range(1, 13)]


def _is_revenue(category: pd.Series, cfg: Mapping[str, Any] | None) -> pd.Series:
    return is_revenue(category, _full(cfg))


def _weights(weights: Sequence[float] | Mapping[Any, float] | None, cfg) -> np.ndarray:
    """Twelve non-negative weights (normalised), from the argument or [budget].monthly_distribution."""
    if weights is None:
        weights = rules(cfg).get("monthly_distribution") or [1] * 12
    if isinstance(weights, Mapping):
        weights = [float(weights.get(m, weights.get(str(m), 0.0))) for m in range(1, 13)]
    w = np.asarray(list(weights), dtype="float64")
    if w.shape != (12,) or (w < 0).any() or w.sum() <= 0 or not np.isfinite(w).all():
        raise ValueError(
            "月度分配比例须为 12 个非负数且合计大于 0 / monthly_distribution must be 12 "
            f"non-negative numbers with a positive sum, got {list(weights)!r}"
        )
    return w / w.sum()


# ---------------------------------------------------------------------------------------------
# plans


def spread_annual(
    plan: pd.DataFrame,
    cfg: Mapping[str, Any] | None = None,
    *,
    weights: Sequence[float] | Mapping[Any, float] | None = None,
    year: str | None = None,
) -> pd.DataFrame:
    """Spread annual-only plan rows (period "YYYY", or blank with ``year``) over 12 months.

    Why: many departments plan a year amount only (e.g. 客户满意度调研 60,000); comparing a month
    needs a monthly phasing. Equal by default, or by [budget].monthly_distribution / ``weights``.
    Each row's 12 parts add up exactly to its annual amount (``analysis.money.spread_fen``:
    every year-to-date sum is the exact share rounded to the 分).
    """
    validate(plan=plan if "period" in plan.columns or year is None else plan.assign(period=""))
    return _spread_annual(plan, cfg, weights=weights, year=year)


def _spread_annual(plan: pd.DataFrame, cfg, *, weights=None, year=None) -> pd.DataFrame:
    if plan.empty:
        return plan.copy()
    per = _text(plan["period"]) if "period" in plan else pd.Series("", index=plan.index)
    if year is not None:
        per = per.mask(per == "", str(year))
    annual = per.str.match(_YEAR_RE.pattern)
    if not annual.any():
        return plan.assign(period=per)
    blank = per == ""
    if blank.any():
        raise ValueError(
            "预算行缺少期间且未给出年度 / plan rows without a period and no year given "
            f"({int(blank.sum())} rows)"
        )
    w = _weights(weights, cfg)
    yearly = plan.loc[annual.to_numpy()].assign(period=per[annual])
    n = len(yearly)
    rep = yearly.loc[yearly.index.repeat(12)].reset_index(drop=True)
    months = np.tile(np.arange(1, 13), n)
    rep["period"] = rep["period"].to_numpy(dtype=object) + np.char.mod("-%02d", months).astype(
        object
    )
    out_cols: dict[str, Any] = {}
    for col in ("plan", "revised_plan"):
        if col not in yearly:
            continue
        vals = pd.to_numeric(yearly[col], errors="coerce")
        parts = spread_fen(np.round(to_fen(vals)).astype("int64"), w).ravel() / 100.0
        out_cols[col] = np.where(np.repeat(vals.isna().to_numpy(), 12), np.nan, parts)
    rep = rep.assign(**out_cols)
    monthly = plan.loc[~annual.to_numpy()].assign(period=per[~annual])
    return pd.concat([monthly, rep], ignore_index=True)


def prepare_plan(plan: pd.DataFrame, cfg: Mapping[str, Any] | None = None) -> pd.DataFrame:
    """Plan in canonical form: text keys without NaN, numbers, kind filled, annual rows spread.

    ``effective`` is the plan the variance uses: the revised plan where present, else the original.
    """
    validate(plan=plan)
    return _prepare_plan(plan, cfg)


def _prepare_plan(plan: pd.DataFrame, cfg: Mapping[str, Any] | None) -> pd.DataFrame:
    df = plan.copy()
    for col in PLAN_COLUMNS:
        if col not in df:
            df[col] = np.nan if col in ("plan", "revised_plan") else ""
    df = _spread_annual(df, cfg)
    for col in ["period", *KEYS]:
        df[col] = _text(df[col])
    bad = ~df["period"].str.match(_PERIOD_RE.pattern)
    if bad.any():
        raise ValueError(
            f"预算期间格式不对 / plan periods must be 'YYYY-MM': {sorted(df['period'][bad].unique())[:5]}"
        )
    plan_v = pd.to_numeric(df["plan"], errors="coerce").fillna(0.0)
    revised = pd.to_numeric(df["revised_plan"], errors="coerce")
    kind = _text(df["kind"]).str.casefold()
    kind = kind.where(kind.isin(["cost", "revenue"]), "")
    kind = kind.mask(kind == "", np.where(_is_revenue(df["category"], cfg), "revenue", "cost"))
    return df.assign(plan=plan_v, revised_plan=revised, effective=revised.fillna(plan_v), kind=kind)


def plan_revisions(
    plan: pd.DataFrame, period: str, cfg: Mapping[str, Any] | None = None
) -> pd.DataFrame:
    """Original vs revised plan (预算调整) for every line that has a revision.

    Columns: department, category, item, original_ytd, revised_ytd, original_full_year,
    revised_full_year, change (revised − original, full year).
    """
    period = _check_period(period)
    validate(plan=plan)
    p = _prepare_plan(plan, cfg)
    year = period[:4]
    p = p[p["period"].str.startswith(year)]
    revised_keys = p.loc[p["revised_plan"].notna(), KEYS].drop_duplicates()
    cols = [
        *KEYS,
        "original_ytd",
        "revised_ytd",
        "original_full_year",
        "revised_full_year",
        "change",
    ]
    if revised_keys.empty:
        return pd.DataFrame(columns=cols)
    g = p.merge(revised_keys, on=KEYS)
    g = g.assign(o_fy=to_fen(g["plan"]), r_fy=to_fen(g["effective"])).assign(
        o_ytd=lambda d: np.where(d["period"] <= period, d["o_fy"], 0),
        r_ytd=lambda d: np.where(d["period"] <= period, d["r_fy"], 0),
    )
    s = g.groupby(KEYS, sort=False)[["o_ytd", "r_ytd", "o_fy", "r_fy"]].sum().reset_index()
    return pd.DataFrame(
        {
            **{k: s[k] for k in KEYS},
            "original_ytd": to_yuan(s["o_ytd"]),
            "revised_ytd": to_yuan(s["r_ytd"]),
            "original_full_year": to_yuan(s["o_fy"]),
            "revised_full_year": to_yuan(s["r_fy"]),
            "change": to_yuan(s["r_fy"] - s["o_fy"]),
        }
    )[cols]


def driver_budget(drivers: pd.DataFrame, cfg: Mapping[str, Any] | None = None) -> pd.DataFrame:
    """The seed's budget formulas (市场年度预算计算方式), one row per driver row.

    Input columns: ``volume`` (预计销售量), ``price`` (平均销售价格), ``unit_cost`` (单位产品成本),
    optionally ``marketing_rate``/``admin_rate``/``other_rate`` per row (else [budget.drivers]),
    plus any key columns (period, department) which are kept.
    Adds: revenue = volume × price; cost_of_sales = volume × unit_cost; marketing/admin/other =
    revenue × rate; net_profit = revenue − cost_of_sales − marketing − admin − other.
    """
    rates = rules(cfg).get("drivers", {})
    df = drivers.copy()
    for col in ("volume", "price", "unit_cost"):
        if col not in df:
            raise ValueError(f"驱动数据缺少列 / driver frame lacks column {col!r}")
    for name in ("marketing_rate", "admin_rate", "other_rate"):
        default = float(rates.get(name, 0.0))
        df[name] = (
            pd.to_numeric(df[name], errors="coerce").fillna(default) if name in df else default
        )
    revenue = df["volume"].astype(float) * df["price"].astype(float)
    df = df.assign(
        revenue=revenue,
        cost_of_sales=df["volume"].astype(float) * df["unit_cost"].astype(float),
        marketing=revenue * df["marketing_rate"],
        admin=revenue * df["admin_rate"],
        other=revenue * df["other_rate"],
    )
    df["net_profit"] = (
        df["revenue"] - df["cost_of_sales"] - df["marketing"] - df["admin"] - df["other"]
    )
    money = ["revenue", "cost_of_sales", "marketing", "admin", "other", "net_profit"]
    return df.assign(**{c: df[c].round(2) for c in money})


def plan_from_drivers(drivers: pd.DataFrame, cfg: Mapping[str, Any] | None = None) -> pd.DataFrame:
    """A plan frame (``PLAN_COLUMNS``) built from drivers: 销售收入 (revenue) and four cost lines.

    净利润 is a result, not a line to spend against, so it is not a plan row (see
    :func:`driver_budget` for it). ``period`` may be "YYYY-MM" or "YYYY" (annual, spread later).
    """
    wide = driver_budget(drivers, cfg)
    period = wide["period"].astype(str) if "period" in wide else pd.Series("", index=wide.index)
    dept = wide["department"].astype(str) if "department" in wide else ""
    lines = ["revenue", "cost_of_sales", "marketing", "admin", "other"]
    frames = [
        pd.DataFrame(
            {
                "period": period,
                "department": dept,
                "category": DRIVER_CATEGORIES[key],
                "item": "",
                "plan": wide[key],
                "revised_plan": np.nan,
                "kind": "revenue" if key == "revenue" else "cost",
                "source_file": "",
                "source_sheet": "",
                "source_row": pd.NA,
            }
        )
        for key in lines
    ]
    return pd.concat(frames, ignore_index=True)[PLAN_COLUMNS]


# ---------------------------------------------------------------------------------------------
# actuals


def _actual_period(actuals: pd.DataFrame) -> pd.Series:
    """Period "YYYY-MM" of each actual line as a categorical: the given period, else from the date.

    Why categorical: a million ledger lines hold a dozen periods; every later comparison then
    runs on the categories, not on a million strings.
    """
    if "period" in actuals:
        per = actuals["period"].astype("category")
        if "" in per.cat.categories:
            per = per.cat.remove_categories([""])
    else:
        per = pd.Series(pd.Categorical([None] * len(actuals)), index=actuals.index)
    missing = per.isna().to_numpy()
    if missing.any() and "date" in actuals:
        dates = pd.to_datetime(actuals["date"][missing], errors="coerce")
        fill = dates.dt.strftime("%Y-%m").fillna("")
        values = per.astype(object).to_numpy().copy()
        values[missing] = fill.to_numpy(dtype=object)
        per = pd.Series(values, index=actuals.index).fillna("").astype(str).astype("category")
    elif missing.any():
        per = per.cat.add_categories([""]).fillna("")
    return per


def _in_period(per: pd.Series, period: str, *, ytd: bool) -> np.ndarray:
    """Mask of lines in ``period`` (or its year to date), decided once per category."""
    cats = pd.Index(per.cat.categories.astype(str))
    ok = (cats.str.startswith(period[:4] + "-") & (cats <= period)) if ytd else (cats == period)
    codes = per.cat.codes.to_numpy()
    return np.append(np.asarray(ok, dtype=bool), False)[codes]


def _label_frame(actuals: pd.DataFrame) -> pd.DataFrame:
    """Key columns of actuals as categoricals (fast group-by on a million lines)."""

    def cat(col: str) -> pd.Categorical:
        s = actuals[col] if col in actuals else pd.Series("", index=actuals.index)
        if isinstance(s.dtype, pd.CategoricalDtype):
            s = s.cat.add_categories([""]) if "" not in s.cat.categories else s
            return s.fillna("")
        return s.fillna("").astype("category")

    return pd.DataFrame(
        {
            "period": _actual_period(actuals),
            "department": cat("department"),
            "label": cat("category"),
            "ledger_item": cat("item"),
            "fen": to_fen(actuals["amount"]),
        },
        index=actuals.index,
    )


def map_labels(
    labels: pd.DataFrame, plan: pd.DataFrame, cfg: Mapping[str, Any] | None = None
) -> pd.DataFrame:
    """Map ledger labels to plan lines; one output row per input row (same index).

    ``labels`` has department, label (the ledger's 科目) and ledger_item. Order of rules:
    [budget.category_map] when its target is a category of this plan (the manager's explicit
    word), an exact plan category, an exact plan item (same department first, else an item name
    unique in the plan), then a map target the plan does not have. Within the resolved
    category the item is the plan item matching the ledger item or label, else "". What maps
    nowhere becomes category 计划外支出 with the ledger label as item.
    Adds: category, item, mapped_by.
    """
    p = plan if "effective" in plan.columns else prepare_plan(plan, cfg)
    keys = p[KEYS].drop_duplicates()
    dept = _text(labels["department"].astype(object))
    nlabel = _norm(labels["label"].astype(object))
    nitem = _norm(labels["ledger_item"].astype(object))

    cat_lookup = (
        keys.assign(n=_norm(keys["category"])).drop_duplicates("n").set_index("n")["category"]
    )
    cmap = rules(cfg).get("category_map", {}) or {}
    cmap_s = pd.Series({norm(k): str(v).strip() for k, v in cmap.items()}, dtype=object)
    # a map target spelled differently from the plan's category is put into the plan's spelling
    if len(cmap_s):
        cmap_s = cmap_s.map(lambda v: cat_lookup.get(norm(v), v))

    items = keys[keys["item"] != ""].assign(n=lambda d: _norm(d["item"]))
    by_dept_item = items.drop_duplicates(["department", "n"]).set_index(["department", "n"])[
        "category"
    ]
    uniq = items.drop_duplicates(["n", "category"])
    uniq = uniq[~uniq["n"].duplicated(keep=False)].set_index("n")["category"]

    via_map = (
        nlabel.map(cmap_s) if len(cmap_s) else pd.Series(np.nan, index=labels.index, dtype=object)
    )
    via_map = via_map.astype(object)
    via_cat = nlabel.map(cat_lookup).astype(object)
    di = pd.MultiIndex.from_arrays([dept, nlabel])
    via_item_dept = pd.Series(by_dept_item.reindex(di).to_numpy(dtype=object), index=labels.index)
    via_item = via_item_dept.fillna(nlabel.map(uniq).astype(object))

    # A map target that names no line of this plan gives way to the plan's own exact line: the
    # default map sends 工资 to 人员成本, but a plan with a line 工资 and none 人员成本 means 工资.
    plan_cats = set(cat_lookup.to_numpy().tolist())
    map_in_plan = via_map.where(via_map.isin(plan_cats))
    exact = via_cat.fillna(via_item)
    category = map_in_plan.fillna(exact).fillna(via_map)
    mapped_by = np.select(
        [map_in_plan.notna(), via_cat.notna(), via_item.notna(), via_map.notna()],
        ["category_map", "plan_category", "plan_item", "category_map"],
        default="unmapped",
    )
    # item within the resolved (department, category): ledger item first, then the label itself
    item_key = items.drop_duplicates(["department", "category", "n"]).set_index(
        ["department", "category", "n"]
    )["item"]
    cat_s = category.fillna("").astype(str)
    by_item = item_key.reindex(pd.MultiIndex.from_arrays([dept, cat_s, nitem])).to_numpy()
    by_label = item_key.reindex(pd.MultiIndex.from_arrays([dept, cat_s, nlabel])).to_numpy()
    item = pd.Series(by_item, index=labels.index).fillna(pd.Series(by_label, index=labels.index))
    unmapped = mapped_by == "unmapped"
    raw_label = _text(labels["label"].astype(object))
    return labels.assign(
        department=dept,
        category=np.where(unmapped, UNBUDGETED, cat_s),
        item=np.where(unmapped, raw_label, item.fillna("").astype(str)),
        mapped_by=mapped_by,
    )


def _mapped_actual_sums(actuals: pd.DataFrame, plan_p: pd.DataFrame, cfg) -> pd.DataFrame:
    """Actual 分 per (period, department, category, item) after mapping, plus line counts."""
    lab = _label_frame(actuals)
    sums = (
        lab.groupby(["period", "department", "label", "ledger_item"], observed=True, sort=False)
        .agg(fen=("fen", "sum"), lines=("fen", "size"))
        .reset_index()
    )
    combos = sums[["department", "label", "ledger_item"]].drop_duplicates().reset_index(drop=True)
    mapped = map_labels(
        combos.astype({"department": object, "label": object, "ledger_item": object}), plan_p, cfg
    )
    mapped = mapped.assign(
        department_raw=combos["department"].astype(object),
        label_raw=combos["label"].astype(object),
        item_raw=combos["ledger_item"].astype(object),
    )
    out = sums.astype(
        {"department": object, "label": object, "ledger_item": object, "period": object}
    )
    out = out.merge(
        mapped[
            [
                "department_raw",
                "label_raw",
                "item_raw",
                "department",
                "category",
                "item",
                "mapped_by",
            ]
        ],
        left_on=["department", "label", "ledger_item"],
        right_on=["department_raw", "label_raw", "item_raw"],
        how="left",
        suffixes=("_x", ""),
    )
    return out[
        [
            "period",
            "department",
            "category",
            "item",
            "label",
            "ledger_item",
            "mapped_by",
            "fen",
            "lines",
        ]
    ]


# ---------------------------------------------------------------------------------------------
# reconciliation


def monthly_lines(
    plan: pd.DataFrame, actuals: pd.DataFrame, year: str, cfg: Mapping[str, Any] | None = None
) -> pd.DataFrame:
    """Long frame per (period, department, category, item) of one year: plan and actual in 分.

    Columns: period, department, category, item, kind, plan_fen, original_fen, actual_fen,
    has_plan, has_actual. Actuals of every month of the year are included (filter by period).
    """
    validate(plan, actuals)
    return _monthly_lines(_prepare_plan(plan, cfg), actuals, str(year), cfg)


def _monthly_lines(plan_p: pd.DataFrame, actuals: pd.DataFrame, year: str, cfg) -> pd.DataFrame:
    p = plan_p[plan_p["period"].str.startswith(year + "-")]
    pl = (
        p.assign(plan_fen=to_fen(p["effective"]), original_fen=to_fen(p["plan"]))
        .groupby(["period", *KEYS], sort=False)
        .agg(
            plan_fen=("plan_fen", "sum"), original_fen=("original_fen", "sum"), kind=("kind", "max")
        )
        .reset_index()
    )
    act = _mapped_actual_sums(actuals, plan_p, cfg) if len(actuals) else None
    if act is not None:
        act = act[act["period"].astype(str).str.startswith(year + "-")]
        ac = (
            act.groupby(["period", *KEYS], sort=False)["fen"]
            .sum()
            .rename("actual_fen")
            .reset_index()
        )
    else:
        ac = pd.DataFrame(columns=["period", *KEYS, "actual_fen"])
    m = pl.merge(ac, on=["period", *KEYS], how="outer", indicator=True)
    # kind: plan's kind for the key in any month, else by [budget].revenue_categories
    key_kind = pl.groupby(KEYS, sort=False)["kind"].max()
    kind = pd.Series(
        key_kind.reindex(pd.MultiIndex.from_frame(m[KEYS])).to_numpy(), index=m.index, dtype=object
    )
    kind = kind.fillna(
        pd.Series(np.where(_is_revenue(m["category"], cfg), "revenue", "cost"), index=m.index)
    )
    return m.assign(
        kind=kind,
        plan_fen=m["plan_fen"].fillna(0.0).astype("float64"),
        original_fen=m["original_fen"].fillna(0.0).astype("float64"),
        actual_fen=m["actual_fen"].fillna(0.0).astype("float64"),
        has_plan=m["_merge"].isin(["both", "left_only"]),
        has_actual=m["_merge"].isin(["both", "right_only"]),
    ).drop(columns="_merge")


def _order(plan_p: pd.DataFrame, df: pd.DataFrame) -> pd.DataFrame:
    """Sort rows in the plan's own order (sections as the department wrote them); 计划外 last."""

    def rank(values: pd.Series, seen: pd.Series) -> np.ndarray:
        order = {v: i for i, v in enumerate(pd.unique(seen))}
        return values.map(order).fillna(len(order)).to_numpy()

    return (
        df.assign(
            _u=(df["category"] == UNBUDGETED).to_numpy(),
            _d=rank(df["department"], plan_p["department"]),
            _c=rank(df["category"], plan_p["category"]),
            _i=rank(df["item"], plan_p["item"]),
        )
        .sort_values(["_u", "_d", "department", "_c", "category", "_i", "item"], kind="stable")
        .drop(columns=["_u", "_d", "_c", "_i"])
        .reset_index(drop=True)
    )


def _status(
    v: np.ndarray,
    base: np.ndarray,
    revenue: np.ndarray,
    unbudgeted: np.ndarray,
    cfg: Mapping[str, Any] | None,
) -> np.ndarray:
    """超支/正常/节余 (revenue 超收/短收) when |variance| passes BOTH thresholds; 计划外 first."""
    b = rules(cfg)
    pct = float(b["materiality_pct"])
    amount_fen = float(b["materiality_amount"]) * 100
    absv = np.abs(v).astype("float64")
    absb = np.abs(base).astype("float64")
    # a zero plan has no percentage: any variance passes the percent test
    pct_pass = np.where(absb == 0, absv > 0, absv - pct * absb > 1e-6)
    material = pct_pass & (absv - amount_fen > 1e-6)
    up = material & (v > 0)
    down = material & (v < 0)
    return np.select(
        [unbudgeted, up & ~revenue, down & ~revenue, up & revenue, down & revenue],
        [STATUS_UNBUDGETED, STATUS_OVER, STATUS_UNDER, STATUS_REVENUE_OVER, STATUS_REVENUE_UNDER],
        default=STATUS_OK,
    )


def _ratio(num: np.ndarray, den: np.ndarray, decimals: int = 4) -> np.ndarray:
    num = np.asarray(num, dtype="float64")
    den = np.asarray(den, dtype="float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        r = np.where(den != 0, num / np.where(den != 0, den, 1.0), np.nan)
    return np.round(r, decimals)


def _collapse_items(m: pd.DataFrame, period: str, level: str) -> pd.DataFrame:
    """Put item rows of some (department, category) onto the category row (item "")."""
    if level not in ("auto", "item", "category"):
        raise ValueError(f"level must be 'auto', 'item' or 'category', got {level!r}")
    if level == "item":
        return m
    mask = (m["category"] != UNBUDGETED).to_numpy().copy()
    if level == "auto":
        dc = ["department", "category"]
        itemised = m.loc[m["has_plan"] & (m["item"] != ""), dc].drop_duplicates()
        loose = m.loc[
            m["has_actual"] & (m["item"] == "") & (m["period"] <= period) & (m["actual_fen"] != 0),
            dc,
        ].drop_duplicates()
        both = itemised.merge(loose, on=dc)
        if both.empty:
            return m
        mask &= pd.MultiIndex.from_frame(m[dc]).isin(pd.MultiIndex.from_frame(both))
    return m.assign(item=np.where(mask, "", m["item"].to_numpy(dtype=object)))


def reconcile(
    plan: pd.DataFrame,
    actuals: pd.DataFrame,
    period: str,
    cfg: Mapping[str, Any] | None = None,
    *,
    check: bool = True,
    level: str = "auto",
) -> pd.DataFrame:
    """The variance table (``VARIANCE_COLUMNS``) for ``period``: month, YTD and full-year landing.

    One row per department × category (× item where the plan has items): every plan line of the
    year (spent or not) and every actual line up to ``period`` (mapped or 计划外支出).
    ``level``: "item" keeps plan items always; "category" sums every category to one row;
    "auto" (default) keeps items unless some spending of that department × category could not
    be put on any of its items: then the category is one row, because item variances would
    compare the plan of an item with spending that belongs to it but is booked elsewhere.
    - variance = actual − plan (cost: positive = overspend; revenue: positive = favourable);
      variance_pct = variance / plan and execution_rate = actual / plan are NaN when plan is 0.
    - forecast_full_year = actual_ytd + the plan of the months after ``period`` (plan phasing).
    - status judged on YTD by [budget].materiality_pct AND materiality_amount; 计划外 for
      spending with no plan for its department × category in the whole year.
    With ``check``, the actual total is tied out to the ledger (month and YTD) to the 分.
    """
    period = _check_period(period)
    validate(plan, actuals)
    plan_p = _prepare_plan(plan, cfg)
    m = _monthly_lines(plan_p, actuals, period[:4], cfg)
    m = m[m["has_plan"] | (m["period"] <= period)]
    g = _line_sums(_collapse_items(m, period, level), period)
    out = _order(plan_p, _variance_frame(g, period, cfg))[VARIANCE_COLUMNS]
    if check:
        tie = _tie_out(out, actuals, period)
        if not tie["ok"].all():
            bad = tie[~tie["ok"]].iloc[0]
            raise BudgetTieOutError(
                f"报表实际合计与明细账不符 / report actual total does not tie to the ledger "
                f"({bad['check']}): report {bad['report']:,.2f} vs ledger {bad['ledger']:,.2f}"
            )
    return out


def _line_sums(m: pd.DataFrame, period: str) -> pd.DataFrame:
    """分 per line (KEYS): month, YTD, full year and the months after ``period``."""
    per = m["period"].to_numpy(dtype=object)
    is_m = per == period
    is_ytd = per <= period
    pf, af = m["plan_fen"].to_numpy(), m["actual_fen"].to_numpy()
    g = (
        m.assign(
            p_m=np.where(is_m, pf, 0),
            a_m=np.where(is_m, af, 0),
            p_ytd=np.where(is_ytd, pf, 0),
            a_ytd=np.where(is_ytd, af, 0),
            p_rest=np.where(~is_ytd, pf, 0),
            act_line=m["has_actual"].to_numpy() & is_ytd,
        )
        .groupby(KEYS, sort=False)
        .agg(
            **{c: (c, "sum") for c in ("p_m", "a_m", "p_ytd", "a_ytd", "p_rest")},
            p_fy=("plan_fen", "sum"),
            has_plan=("has_plan", "any"),
            has_actual=("act_line", "any"),
            kind=("kind", "max"),
        )
        .reset_index()
    )
    return g[g["has_plan"] | g["has_actual"]]


def _variance_frame(g: pd.DataFrame, period: str, cfg) -> pd.DataFrame:
    """The variance table's columns from :func:`_line_sums`, status judged on YTD."""
    dept_cat_fy = g.groupby(["department", "category"], sort=False)["p_fy"].transform(
        lambda s: s.abs().sum()
    )
    unbudgeted = ((g["category"] == UNBUDGETED) | ((dept_cat_fy == 0) & g["has_actual"])).to_numpy()
    v_m = (g["a_m"] - g["p_m"]).to_numpy()
    v_ytd = (g["a_ytd"] - g["p_ytd"]).to_numpy()
    revenue = (g["kind"] == "revenue").to_numpy()
    status = _status(v_ytd, g["p_ytd"].to_numpy(), revenue, unbudgeted, cfg)
    # The month judged by the same rule, so a month at 262 % of plan inside a year on track
    # says so in words (the row's colour and ``status`` stay the year to date's).
    has_month = ((g["a_m"] != 0) | (g["p_m"] != 0)).to_numpy()
    status_month = _status(v_m, g["p_m"].to_numpy(), revenue, unbudgeted & has_month, cfg)
    out = pd.DataFrame(
        {
            "period": period,
            "department": g["department"].to_numpy(),
            "category": g["category"].to_numpy(),
            "item": g["item"].to_numpy(),
            "plan": to_yuan(g["p_m"]),
            "actual": to_yuan(g["a_m"]),
            "variance": to_yuan(v_m),
            "variance_pct": _ratio(v_m, g["p_m"]),
            "execution_rate": _ratio(g["a_m"], g["p_m"]),
            "plan_ytd": to_yuan(g["p_ytd"]),
            "actual_ytd": to_yuan(g["a_ytd"]),
            "variance_ytd": to_yuan(v_ytd),
            "variance_ytd_pct": _ratio(v_ytd, g["p_ytd"]),
            "plan_full_year": to_yuan(g["p_fy"]),
            "forecast_full_year": to_yuan(g["a_ytd"] + g["p_rest"]),
            "status": status,
            "status_month": status_month,
        }
    )
    return out.astype(
        {"department": "str", "category": "str", "item": "str", "status": "str",
         "status_month": "str"}
    )  # fmt: skip


def tie_out(table: pd.DataFrame, actuals: pd.DataFrame, period: str) -> pd.DataFrame:
    """Conservation check: the table's actual (month, YTD) equals the ledger's lines, to the 分.

    Returns one row per check: check, report, ledger, difference, ok (|difference| < 0.005).
    """
    validate(actuals=actuals)
    return _tie_out(table, actuals, _check_period(period))


def _tie_out(table: pd.DataFrame, actuals: pd.DataFrame, period: str) -> pd.DataFrame:
    per = _actual_period(actuals)
    fen = to_fen(actuals["amount"]) if len(actuals) else np.zeros(0)
    in_month = _in_period(per, period, ytd=False)
    in_ytd = _in_period(per, period, ytd=True)
    ledger = {
        "month": round(fen[in_month].sum() / 100.0, 2),
        "ytd": round(fen[in_ytd].sum() / 100.0, 2),
    }
    report = {
        "month": float(np.round(table["actual"].sum(), 2)),
        "ytd": float(np.round(table["actual_ytd"].sum(), 2)),
    }
    rows = [
        {
            "check": k,
            "report": round(report[k], 2),
            "ledger": round(ledger[k], 2),
            "difference": round(report[k] - ledger[k], 2),
        }
        for k in ("month", "ytd")
    ]
    df = pd.DataFrame(rows)
    return df.assign(ok=(df["report"] - df["ledger"]).abs() < 0.005)


# ---------------------------------------------------------------------------------------------
# landing, headlines and drill-down


def _months_elapsed(period: str) -> int:
    return int(_check_period(period)[5:7])


def landing(table: pd.DataFrame) -> pd.DataFrame:
    """The variance table plus ``run_rate_full_year`` = actual_ytd / months elapsed × 12.

    Why: the phased forecast assumes the rest of the plan is spent as planned; the run rate
    shows where the year lands if spending continues at this year's pace. Both go in the report.
    """
    months = table["period"].astype(str).str[5:7].astype(int).to_numpy()
    return table.assign(
        run_rate_full_year=np.round(table["actual_ytd"].to_numpy() / months * 12, 2)
    )


def _cost_rows(
    table: pd.DataFrame, cfg: Mapping[str, Any] | None, kinds: pd.Series | None
) -> pd.Series:
    if kinds is not None:
        return kinds.reindex(table.index).fillna("cost") != "revenue"
    return ~_is_revenue(table["category"], cfg)


def cost_lines(table: pd.DataFrame, cfg: Mapping[str, Any] | None = None) -> pd.DataFrame:
    """Rows of a variance table that are not revenue ([budget].revenue_categories).

    Why: revenue added to spending would make a spend chart or total meaningless.
    """
    return table[~_is_revenue(table["category"], cfg).to_numpy()]


def headline(table: pd.DataFrame, cfg: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Headline figures for the tiles, over cost lines (revenue is reported on its own).

    Keys: plan, actual, variance, execution_rate (month), the same with ``_ytd``,
    plan_full_year, forecast_full_year, run_rate_full_year, unbudgeted_ytd, n_over, n_under,
    n_unbudgeted, revenue_plan_ytd, revenue_actual_ytd.
    """
    cost = _cost_rows(table, cfg, None)
    t = table[cost]
    r = table[~cost]
    period = str(table["period"].iloc[0]) if len(table) else ""
    months = _months_elapsed(period) if period else 12

    def s(col: str, frame: pd.DataFrame = t) -> float:
        return round(float(frame[col].sum()), 2)

    plan, actual, plan_ytd, actual_ytd = s("plan"), s("actual"), s("plan_ytd"), s("actual_ytd")
    return {
        "period": period,
        "plan": plan,
        "actual": actual,
        "variance": round(actual - plan, 2),
        "execution_rate": round(actual / plan, 4) if plan else float("nan"),
        "plan_ytd": plan_ytd,
        "actual_ytd": actual_ytd,
        "variance_ytd": round(actual_ytd - plan_ytd, 2),
        "execution_rate_ytd": round(actual_ytd / plan_ytd, 4) if plan_ytd else float("nan"),
        "plan_full_year": s("plan_full_year"),
        "forecast_full_year": s("forecast_full_year"),
        "run_rate_full_year": round(actual_ytd / months * 12, 2),
        "unbudgeted_ytd": round(
            float(t.loc[t["status"] == STATUS_UNBUDGETED, "actual_ytd"].sum()), 2
        ),
        "n_over": int((table["status"].isin([STATUS_OVER, STATUS_REVENUE_UNDER])).sum()),
        "n_under": int((table["status"].isin([STATUS_UNDER, STATUS_REVENUE_OVER])).sum()),
        "n_unbudgeted": int((table["status"] == STATUS_UNBUDGETED).sum()),
        "revenue_plan_ytd": s("plan_ytd", r),
        "revenue_actual_ytd": s("actual_ytd", r),
    }


def totals(
    table: pd.DataFrame,
    by: str | list[str] | None = "department",
    cfg: Mapping[str, Any] | None = None,
) -> pd.DataFrame:
    """Subtotals of the money columns (per ``by``, or one grand total with ``by=None``).

    Percentages are recomputed from the sums (never summed). ``status`` is judged on the
    rolled-up YTD variance with the same thresholds (计划外 when every row is 计划外); it is
    blank for a grand total that mixes cost and revenue.
    """
    money = [
        "plan", "actual", "variance", "plan_ytd", "actual_ytd", "variance_ytd",
        "plan_full_year", "forecast_full_year",
    ]  # fmt: skip
    flags = table.assign(
        _unb=table["status"] == STATUS_UNBUDGETED, _rev=_is_revenue(table["category"], cfg)
    )
    if by is None:
        s = flags[money].sum().to_frame().T
        s = s.assign(
            _unb=flags["_unb"].all(), _rev=flags["_rev"].all(), _mixed=flags["_rev"].nunique() > 1
        )
    else:
        s = (
            flags.groupby(by, sort=False)
            .agg(
                **{c: (c, "sum") for c in money},
                _unb=("_unb", "all"),
                _rev=("_rev", "all"),
                _mixed=("_rev", "nunique"),
            )  # fmt: skip
            .reset_index()
            .assign(_mixed=lambda d: d["_mixed"] > 1)
        )
    s = s.assign(**{c: s[c].astype(float).round(2) for c in money})
    v = np.round(s["variance_ytd"].to_numpy(float) * 100)
    status = _status(
        v,
        np.round(s["plan_ytd"].to_numpy(float) * 100),
        s["_rev"].to_numpy(bool),
        s["_unb"].to_numpy(bool),
        cfg,
    )
    return s.assign(
        variance_pct=_ratio(s["variance"], s["plan"]),
        execution_rate=_ratio(s["actual"], s["plan"]),
        variance_ytd_pct=_ratio(s["variance_ytd"], s["plan_ytd"]),
        execution_rate_ytd=_ratio(s["actual_ytd"], s["plan_ytd"]),
        status=np.where(s["_mixed"].to_numpy(bool), "", status),
    ).drop(columns=["_unb", "_rev", "_mixed"])


def by_category(table: pd.DataFrame, cfg: Mapping[str, Any] | None = None) -> pd.DataFrame:
    """Plan vs actual per category (all departments), month and YTD, for the bar chart."""
    return totals(table, by="category", cfg=cfg)


def largest_overspends(table: pd.DataFrame, n: int = 10) -> pd.DataFrame:
    """The ``n`` rows with the most unfavourable YTD variance (cost over, revenue short, 计划外)."""
    bad = table[table["status"].isin(UNFAVOURABLE)]
    score = np.where(
        bad["status"] == STATUS_REVENUE_UNDER, -bad["variance_ytd"], bad["variance_ytd"]
    )
    return bad.assign(_s=score).sort_values("_s", ascending=False).head(n).drop(columns="_s")


def select_line(
    df: pd.DataFrame,
    department: str | None = None,
    category: str | None = None,
    item: str | None = None,
) -> pd.DataFrame:
    """Rows of one variance line from a frame of many (e.g. all of :func:`ledger_lines` once).

    Why: mapping a million ledger lines once and slicing it per overspent line is much cheaper
    than calling ``ledger_lines`` with a filter for each.
    """
    return _filter(df, department, category, item)


def _filter(df: pd.DataFrame, department, category, item) -> pd.DataFrame:
    """Rows of one variance line; an item of None or "" means the whole category."""
    mask = np.ones(len(df), dtype=bool)
    for col, val in (("department", department), ("category", category), ("item", item or None)):
        if val is not None:
            mask &= (df[col] == val).to_numpy()
    return df[mask]


def monthly_variance(
    plan: pd.DataFrame,
    actuals: pd.DataFrame,
    period: str,
    cfg: Mapping[str, Any] | None = None,
    line: Mapping[str, Any] | None = None,
    *,
    cost_only: bool = True,
) -> pd.DataFrame:
    """Plan and actual per month of the year (optionally one line), cumulative, with landings.

    ``line`` picks one variance line by its department, category and item (a row of the
    variance table will do; a missing key or an empty item means all of them).
    Columns: period, plan, actual (NaN after ``period``), variance, cum_plan, cum_actual,
    cum_forecast (actual to date then plan), cum_run_rate (run-rate line), share_of_ytd_variance.
    Why: "which months drove the YTD variance" and the cumulative chart both read this.
    """
    period = _check_period(period)
    validate(plan, actuals)
    m = _monthly_lines(_prepare_plan(plan, cfg), actuals, period[:4], cfg)
    if cost_only:
        m = m[m["kind"] != "revenue"]
    if line is not None:
        m = _filter(m, line.get("department"), line.get("category"), line.get("item"))
    months = _year_months(period[:4])
    s = (
        m.groupby("period")[["plan_fen", "actual_fen"]].sum().reindex(months, fill_value=0)
        .rename_axis("period").reset_index()
    )  # fmt: skip
    future = (s["period"] > period).to_numpy()
    plan_fen = s["plan_fen"].to_numpy()
    act_fen = np.where(future, 0, s["actual_fen"].to_numpy())
    var_fen = np.where(future, 0, act_fen - plan_fen)
    ytd_var = var_fen.sum()
    n = _months_elapsed(period)
    cum_act = np.cumsum(act_fen)
    out = pd.DataFrame(
        {
            "period": s["period"],
            "plan": to_yuan(plan_fen),
            "actual": np.where(future, np.nan, to_yuan(act_fen)),
            "variance": np.where(future, np.nan, to_yuan(var_fen)),
            "cum_plan": to_yuan(np.cumsum(plan_fen)),
            "cum_actual": np.where(future, np.nan, to_yuan(cum_act)),
            "cum_forecast": to_yuan(np.cumsum(np.where(future, plan_fen, act_fen))),
            "cum_run_rate": to_yuan(
                np.where(future, cum_act[n - 1] / n * np.arange(1, 13), cum_act)
            ),
            "share_of_ytd_variance": np.where(
                future | (ytd_var == 0), np.nan, np.round(var_fen / (ytd_var or 1), 4)
            ),
        }
    )
    return out


def variance_drivers(monthly: pd.DataFrame, n: int = 3) -> pd.DataFrame:
    """The months that drove the YTD variance: largest variance in the direction of the total."""
    done = monthly.dropna(subset=["variance"])
    direction = 1 if done["variance"].sum() >= 0 else -1
    return (
        done.assign(_k=done["variance"] * direction)
        .query("_k > 0")
        .sort_values("_k", ascending=False)
        .head(n)
        .drop(columns="_k")
        .reset_index(drop=True)
    )


def ledger_lines(
    actuals: pd.DataFrame,
    plan: pd.DataFrame,
    period: str,
    cfg: Mapping[str, Any] | None = None,
    *,
    department: str | None = None,
    category: str | None = None,
    item: str | None = None,
    ytd: bool = True,
) -> pd.DataFrame:
    """Drill-down: the ledger lines behind a variance row, with their source file/sheet/row.

    Why: "why is this line 12 % over?" ends at the spreadsheet rows a manager can open.
    Adds mapped ``category``/``item`` and ``ledger_label``/``mapped_by``; largest amounts first.
    """
    period = _check_period(period)
    validate(plan, actuals)
    per = _actual_period(actuals)
    keep = _in_period(per, period, ytd=ytd)
    a = actuals[keep]
    lab = _label_frame(a)
    combos = lab[["department", "label", "ledger_item"]].astype(object).drop_duplicates()
    mapped = map_labels(combos, _prepare_plan(plan, cfg), cfg).rename(
        columns={"department": "m_department"}
    )
    mapped = mapped.assign(department=combos["department"])
    lines = (
        lab[["department", "label", "ledger_item"]]
        .astype(object)
        .merge(mapped, on=["department", "label", "ledger_item"], how="left")
    )
    lines.index = a.index
    extra = [c for c in a.columns if c not in ("period", "department", "category", "item")]
    out = pd.concat(
        [
            a[extra],
            pd.DataFrame(
                {
                    "period": per[keep].astype(str),
                    "department": lines["m_department"],
                    "category": lines["category"],
                    "item": lines["item"],
                    "ledger_label": lines["label"],
                    "mapped_by": lines["mapped_by"],
                },
                index=a.index,
            ),
        ],
        axis=1,
    )
    out = _filter(out, department, category, item)
    first = ["date", "period", "department", "category", "item", "ledger_label", "amount"]
    cols = [c for c in first if c in out] + [c for c in out.columns if c not in first]
    return out[cols].sort_values("amount", ascending=False, kind="stable")


def unmapped_labels(
    actuals: pd.DataFrame, plan: pd.DataFrame, period: str, cfg: Mapping[str, Any] | None = None
) -> pd.DataFrame:
    """Ledger labels that matched no plan category (the 计划外支出 rows), YTD, largest first.

    Columns: department, label, lines, amount_ytd, amount_month. Add them to
    [budget.category_map] in config.toml if they belong to a plan category.
    """
    period = _check_period(period)
    validate(plan, actuals)
    s = _mapped_actual_sums(actuals, _prepare_plan(plan, cfg), cfg)
    per = s["period"].astype(str)
    s = s[(s["mapped_by"] == "unmapped") & per.str.startswith(period[:4] + "-") & (per <= period)]
    cols = ["department", "label", "lines", "amount_ytd", "amount_month", "proposed", "config_line"]
    if s.empty:
        return pd.DataFrame(columns=cols)
    g = (
        s.assign(m=np.where(s["period"] == period, s["fen"], 0))
        .groupby(["department", "label"], sort=False)
        .agg(lines=("lines", "sum"), fen=("fen", "sum"), m=("m", "sum"))
        .reset_index()
    )
    cats = sorted({c for c in plan["category"].dropna().astype(str) if c})
    proposed = g["label"].map(lambda lab: propose_category(str(lab), cats) or "")
    line = [f'"{lab}" = "{p}"' if p else "" for lab, p in zip(g["label"], proposed, strict=True)]
    return (
        g.assign(
            amount_ytd=to_yuan(g["fen"]),
            amount_month=to_yuan(g["m"]),
            proposed=proposed,
            config_line=line,
        )
        .sort_values("amount_ytd", ascending=False)[cols]
        .reset_index(drop=True)
    )


_LABEL_SUFFIX = re.compile(r"(?:费用预算|预算|费用|支出|成本|开支|费|budget|expenses?|costs?)$")


def _core(label: str) -> str:
    t = re.sub(r"[\W_]+", "", norm(label))
    t = re.sub(r"^\d+", "", t)  # "4001 Classis Assessments" → account number dropped
    prev = None
    while prev != t:
        prev, t = t, _LABEL_SUFFIX.sub("", t)
    return t


def propose_category(label: str, categories: list[str]) -> str | None:
    """A plan category that names the same thing once both are normalised (市场调研 vs
    市场调研费用预算), to be accepted with one [budget.category_map] line; None when unsure."""
    core = _core(label)
    if len(core) < 2:
        return None
    hits = [c for c in categories if _core(c) == core]
    return hits[0] if len(hits) == 1 else None


def unspent(table: pd.DataFrame) -> pd.DataFrame:
    """Plan lines with a YTD plan and no spending at all this year to date."""
    return table[(table["plan_ytd"] != 0) & (table["actual_ytd"] == 0)]


def unbudgeted(table: pd.DataFrame) -> pd.DataFrame:
    """Rows with status 计划外 (spending with no plan)."""
    return table[table["status"] == STATUS_UNBUDGETED]


# ---------------------------------------------------------------------------------------------
# the time beside the money: 序时进度, the previous month (环比) and the same month last year (同比)


def year_elapsed(period: str) -> float:
    """序时进度: the share of the year elapsed at the end of ``period`` (months ÷ 12).

    Why months, not days: the plan is phased by month, so "10 of 12 months" is the pace the
    plan itself expects; 全年预算已用 (actual YTD ÷ full-year plan) is read against it.
    """
    return round(_months_elapsed(period) / 12, 4)


def shift_period(period: str, months: int) -> str:
    """``period`` moved by ``months`` ("2026-01", -1 → "2025-12")."""
    y, m = (int(x) for x in _check_period(period).split("-"))
    n = y * 12 + (m - 1) + months
    return f"{n // 12:04d}-{n % 12 + 1:02d}"


def month_actual(
    plan: pd.DataFrame, actuals: pd.DataFrame, period: str, cfg: Mapping[str, Any] | None = None
) -> float | None:
    """Cost actual of one month (revenue left out, as in the headline), or None when the
    ledger has no line dated in that month: no data is not 0 元."""
    per = _actual_period(actuals)
    if not bool(_in_period(per, period, ytd=False).any()):
        return None
    months = monthly_variance(plan, actuals, period, cfg)
    row = months.loc[months["period"] == period, "actual"]
    return None if row.empty or pd.isna(row.iloc[0]) else round(float(row.iloc[0]), 2)


def comparisons(
    plan: pd.DataFrame, actuals: pd.DataFrame, period: str, cfg: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """This month's cost actual beside the previous month (环比) and the same month a year
    earlier (同比). Keys: actual, prev_period, prev_actual, mom_change, mom_pct, ly_period,
    ly_actual, yoy_change, yoy_pct; a comparison is None where its month has no ledger line."""
    actual = month_actual(plan, actuals, period, cfg) or 0.0
    out: dict[str, Any] = {"actual": actual}
    for key, shift, ch, pc in (("prev", -1, "mom_change", "mom_pct"),
                               ("ly", -12, "yoy_change", "yoy_pct")):  # fmt: skip
        other = shift_period(period, shift)
        value = month_actual(plan, actuals, other, cfg)
        out[f"{key}_period"], out[f"{key}_actual"] = other, value
        out[ch] = None if value is None else round(actual - value, 2)
        out[pc] = None if not value else round((actual - value) / value, 4)
    return out
