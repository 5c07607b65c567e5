"""Agent scorecards (绩效考核): component scores, total, rank, pay, streaks and consequences.

Why: the monthly bulletin (月绩效考核通报) decides every agent's performance pay, who writes an
improvement plan and who gets the quarterly bonus. Managers must be able to check each figure by
hand, so every score carries its arithmetic (``items``: :class:`Item` lines of codes and numbers,
put into words by ``analysis.views.scorecards``), and every rule (weights, points, grades, caps,
pay base, streak length, bottom N) is read from the rules dict that
``config.scorecard_rules(cfg, period)`` returns for that month, never from code; a ``[pay]`` rule
absent from it falls back to defaults.toml in one place (:func:`_pay_rule`).

Numbers and codes only: no language here. ``status`` is "scored" / "to_check", ``check`` holds
reason tokens (``code:field:value``), flags and list names are codes; the words live in
``catalog/<lang>/scorecard.toml``. Each role's rules are applied once, in
:func:`presales_points` / :func:`aftersales_points`, which the scorer, its explanation, the
deduction chart (:func:`item_points`) and ``scripts/make_sample.py`` all use. :func:`score` is
the public verb for a frame of scorecards.

Everything here is pure and vectorised (numpy / pandas column operations, loops only over rule
items and months, never over agents): 2,000 agents × 12 months score in well under a second.

Sign conventions: components are points; after-sales ``bonus`` is positive (建议加分) and
``penalty`` is negative (服务减分), so ``total = Σ weight × component + bonus + penalty``.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator, Mapping, Sequence
from functools import cache
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from analysis import catalog
from analysis.config import ConfigError, load_defaults, scorecard_rules

ROLES = ("presales", "aftersales")
PRESALES_COMPONENTS = ["business", "discipline", "exam"]
AFTERSALES_COMPONENTS = [
    "volume", "satisfaction", "attitude", "reports", "rules", "teamwork", "bonus", "penalty",
]  # fmt: skip
COMPONENTS = PRESALES_COMPONENTS + AFTERSALES_COMPONENTS

#: The columns of ``scorecards.csv``, in order.
SCORECARD_COLUMNS = [
    "period", "agent_id", "name", "team", "role", *COMPONENTS, "total", "rank", "pay", "flags",
    "streak_top_months", "streak_bottom_months", "explanation", "status", "reason",
    "source_file", "source_sheet", "source_row",
]  # fmt: skip

#: ``status``: "scored" (ranked, paid, on the lists) or "to_check" (待核实: a blank, invalid or
#: duplicate input; total, rank and pay stay empty and ``reason`` says why and where).
STATUSES = ("scored", "to_check")

#: Which component an input field feeds (a finding on a not-scored component blocks nothing).
FIELD_COMPONENT: dict[str, str] = {
    **{f"A{i}": "business" for i in range(1, 12)},
    "R1": "business", "R2": "business",
    **{f"B{i}": "discipline" for i in range(1, 13)},
    "exam": "exam", "tickets": "volume", "attitude": "attitude", "teamwork": "teamwork",
    **{f"cb_{g}": "satisfaction" for g in "ABCD"},
    "late_reports": "reports", "violations": "rules", "suggestions": "bonus", "complaints": "penalty",
}  # fmt: skip

#: Flag names in the order they are written into the ``flags`` column (";"-separated).
FLAGS = [
    "red_line", "tie", "bottom_n", "top_streak", "bottom_streak", "callbacks_scaled",
    "no_callbacks", "floor", "cap", "not_in_roster", "grade_missing", "exam_missing",
    "blank_as_zero", "not_scored",
]  # fmt: skip

#: Consequence lists of the bulletin (``consequences()['list']``).
LISTS = ("red_line", "improvement", "bonus", "transfer")

#: The scorecard words per language, read from ``catalog/<lang>/scorecard.toml``; kept only for
#: callers not yet moved to ``analysis.catalog.words(lang, "scorecard")`` (the loader's messages).
LABELS: dict[str, dict[str, str]] = {
    lang: catalog.labels("scorecard", lang) for lang in catalog.LANGS
}

#: The columns of :func:`build_scorecards`: :data:`SCORECARD_COLUMNS` with the words left to the
#: edge: ``items`` (each score's arithmetic as :class:`Item` tuples) instead of ``explanation`` and
#: ``check`` (reason tokens ``code:field:value``) instead of ``reason``.
TABLE_COLUMNS = [{"explanation": "items", "reason": "check"}.get(c, c) for c in SCORECARD_COLUMNS]

#: Separators inside a ``duplicate`` / ``both_roles`` token's value: places (file, sheet, row)
#: of the other rows, so the edge can print them in the reader's language.
PLACE_SEP, PART_SEP = "\x1e", "\x1f"


class Item(NamedTuple):
    """One line of a score's arithmetic, in numbers and codes (words come from the catalog).

    ``code`` is a rule item ("A7", "B12", "late_reports", "cb_D" …) with ``count`` and ``points``,
    or one of :data:`ITEM_CODES` (``ref`` names the component or grade it concerns; ``value`` and
    ``base`` carry the numbers of that line: a result and what it was divided by or scaled to).
    """

    code: str
    count: float = math.nan
    points: float = math.nan
    value: float = math.nan
    base: float = math.nan
    ref: str = ""


#: Item codes that are not rule items: red_line (ref = the item code), floor (ref = component),
#: exam (value), missing / blank_as_zero (ref = field), volume (count tickets, base average, ref
#: team_avg / role_avg), callbacks / callbacks_scaled (count calls, points raw sum, base expected,
#: value satisfaction; preceded by the cb_<grade> lines), no_callbacks, attitude / teamwork (ref
#: grade, points), suggestions_capped (value after the cap), not_scored (ref = components joined by
#: ","), rescaled (value = the remaining weights' sum).
ITEM_CODES = (
    "red_line", "floor", "exam", "missing", "blank_as_zero", "volume", "callbacks",
    "callbacks_scaled", "no_callbacks", "attitude", "teamwork", "suggestions_capped",
    "not_scored", "rescaled",
)  # fmt: skip

# ---------------------------------------------------------------------------------------------
# small vectorised helpers


def _role_rules(rules: Mapping[str, Any], role: str) -> Mapping[str, Any]:
    """Accept either ``scorecard_rules(...)`` (with role keys) or one role's section."""
    return rules.get(role, rules)


def _counts(frame: pd.DataFrame, cols: list[str]) -> np.ndarray:
    """Counts as a float matrix (missing column or blank cell = 0)."""
    return (
        frame.reindex(columns=cols)
        .apply(pd.to_numeric, errors="coerce")
        .fillna(0.0)
        .to_numpy(dtype=float)
        .reshape(len(frame), len(cols))
    )


def _col(frame: pd.DataFrame, name: str) -> np.ndarray:
    if name not in frame:
        return np.zeros(len(frame))
    return pd.to_numeric(frame[name], errors="coerce").fillna(0.0).to_numpy(dtype=float)


def _numbers(frame: pd.DataFrame, name: str) -> pd.Series:
    """A numeric column as read (blank or unreadable → NaN; no column → all NaN)."""
    if name not in frame:
        return pd.Series(np.nan, index=frame.index)
    return pd.to_numeric(frame[name], errors="coerce")


class _Items:
    """Explanation items collected per rule item (vectorised) and grouped per row at the end.

    Why: 24,000 rows × 30 items must not cost 720,000 Python calls while scoring. Each ``add``
    keeps only the rows where the item applies; :meth:`rows` orders them per row in the order
    they were added and returns one tuple of :class:`Item` per row.
    """

    FIELDS = ("count", "points", "value", "base")

    def __init__(self, n: int) -> None:
        self.n = n
        self.parts: list[tuple[np.ndarray, str, list[np.ndarray], np.ndarray]] = []

    def add(self, mask: Any, code: str, *, ref: Any = "", **numbers: Any) -> None:
        pos = np.flatnonzero(np.broadcast_to(np.asarray(mask, dtype=bool), (self.n,)))
        if not len(pos):
            return
        nums = [self._pick(numbers.get(f, math.nan), pos, float) for f in self.FIELDS]
        self.parts.append((pos, code, nums, self._pick(ref, pos, object)))

    @staticmethod
    def _pick(x: Any, pos: np.ndarray, dtype: type) -> np.ndarray:
        a = np.asarray(x, dtype=dtype)
        return np.full(len(pos), x, dtype=dtype) if a.ndim == 0 else a[pos]

    def rows(self) -> list[Items]:
        """One :class:`Items` per row, in the order the rules were applied."""
        if not self.parts:
            return [Items((), 0, 0)] * self.n
        pos = np.concatenate([p[0] for p in self.parts])
        order = np.argsort(pos, kind="stable")
        codes = np.concatenate([np.full(len(p[0]), p[1], dtype=object) for p in self.parts])
        cols = [np.concatenate([p[2][k] for p in self.parts])[order].tolist() for k in range(4)]
        refs = np.concatenate([p[3] for p in self.parts])[order].tolist()
        store = (codes[order].tolist(), *cols, refs)
        ends = np.cumsum(np.bincount(pos, minlength=self.n)).tolist()
        return [Items(store, a, b) for a, b in zip([0, *ends[:-1]], ends, strict=True)]

    def series(self, index: pd.Index) -> pd.Series:
        out = np.empty(self.n, dtype=object)
        out[:] = self.rows()
        return pd.Series(out, index=index, dtype=object)


class Items(Sequence[Item]):
    """One row's explanation: a sequence of :class:`Item`, made on access from the month's
    shared columns (24,000 rows × 8 lines would otherwise be 200,000 objects per run)."""

    __slots__ = ("_store", "_a", "_b")

    def __init__(self, store: tuple[list[Any], ...], a: int, b: int) -> None:
        self._store, self._a, self._b = store, a, b

    def __len__(self) -> int:
        return self._b - self._a

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return tuple(self)[i]
        k = range(self._a, self._b)[i]
        return Item(*(col[k] for col in self._store))

    def __iter__(self) -> Iterator[Item]:
        cols = [col[self._a : self._b] for col in self._store]
        return map(Item, *cols) if cols else iter(())

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and tuple(self) == tuple(other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return repr(tuple(self))


def _flag_text(flags: pd.DataFrame) -> pd.Series:
    """Boolean ``flag_*`` columns → "red_line;tie" (vectorised)."""
    out = pd.Series("", index=flags.index, dtype="str")
    for name in FLAGS:
        if f"flag_{name}" in flags:
            on = flags[f"flag_{name}"].fillna(False).to_numpy(dtype=bool)
            out = out.where(~on, out.where(out.eq(""), out + ";") + name)
    return out


def _ids(frame: pd.DataFrame) -> pd.DataFrame:
    out = pd.DataFrame(index=frame.index)
    for col in ("period", "agent_id", "name"):
        out[col] = (
            frame[col].astype("str")
            if col in frame
            else pd.Series(pd.NA, index=frame.index, dtype="str")
        )
    return out


def _pay_rule(pay: Mapping[str, Any], key: str) -> Any:
    """A ``[pay]`` rule of the month; absent → the shipped default (defaults.toml), one place."""
    if key in pay:
        return pay[key]
    return _default_pay()[key]


@cache
def _default_pay() -> dict[str, Any]:
    return dict(load_defaults().get("pay", {}))


def streak_months(pay: Mapping[str, Any]) -> int:
    """Months running that make a streak (``[pay] streak_months``, default from defaults.toml)."""
    return int(_pay_rule(pay, "streak_months"))


# ---------------------------------------------------------------------------------------------
# scoring one month


def month_rules(cfg: Mapping[str, Any], period: str) -> dict[str, Any]:
    """``scorecard_rules`` for ``period``, each role also carrying ``blank_as_zero`` and ``not_scored``.

    Why one function: the loader (which blank gets which data-quality row) and the scorer (which
    blank scores 0, which weights are rescaled) must read these switches the same way.
    ``[scorecard] blank_as_zero`` is the default of both roles; a role's own key wins.
    """
    rules = scorecard_rules(cfg, period)
    # a [[scorecard.changes]] entry may set blank_as_zero for both roles from its month on
    both = rules.pop("blank_as_zero", cfg.get("scorecard", {}).get("blank_as_zero", False))
    for role in ROLES:
        r = rules.setdefault(role, {})
        r.setdefault("blank_as_zero", bool(both))
        r["not_scored"] = [str(c) for c in r.get("not_scored", [])]
        known = PRESALES_COMPONENTS if role == "presales" else AFTERSALES_COMPONENTS
        unknown = [c for c in r["not_scored"] if c not in known]
        if unknown:
            raise ConfigError(
                f"[scorecard.{role}] not_scored 中有未知项目 {unknown}(可用:{', '.join(known)}) / "
                f"[scorecard.{role}] not_scored names unknown components {unknown} "
                f"(known: {', '.join(known)})"
            )
    return rules


def _tokens(frame: pd.DataFrame) -> pd.Series:
    if "check" not in frame:
        return pd.Series("", index=frame.index, dtype="str")
    return frame["check"].fillna("").astype("str")


def _split(token: str) -> tuple[str, str, str]:
    code, fld, value = ([*token.split(":", 2), "", ""])[:3]
    return code, fld, value


def _blocking(check: pd.Series, not_scored: set[str]) -> pd.Series:
    """The findings that stop a row from being scored: all but those on a not-scored component."""
    if not not_scored:
        return check

    def keep(c: str) -> str:
        kept = (t for t in c.split(";") if t)
        return ";".join(
            t for t in kept if FIELD_COMPONENT.get(_split(t)[1], _split(t)[1]) not in not_scored
        )

    busy = check.ne("")
    return check.where(~busy, check[busy].map(keep)).fillna("")


def _add_token(check: pd.Series, mask: np.ndarray | pd.Series, token: str) -> pd.Series:
    mask = pd.Series(np.asarray(mask, dtype=bool), index=check.index)
    if not mask.any():
        return check
    return check.where(~mask, check.where(check.eq(""), check + ";") + token)


def _status(to_check: np.ndarray, index: pd.Index) -> pd.Series:
    return pd.Series("scored", index=index, dtype="str").mask(to_check, "to_check")


def _weights(
    weights: Mapping[str, Any], comps: list[str], not_scored: set[str]
) -> tuple[dict[str, float], float]:
    """Weights of the scored components, rescaled to sum to 1 when some are not scored."""
    w = {k: float(weights.get(k, 0)) for k in comps if k not in not_scored}
    total = sum(w.values())
    if not_scored & set(comps) and total > 0:
        return {k: v / total for k, v in w.items()}, total
    return w, 1.0


def _not_scored_items(items: _Items, not_scored: set[str], comps: list[str], wsum: float) -> None:
    if not not_scored:
        return
    names = [c for c in comps + ["bonus", "penalty"] if c in not_scored]
    items.add(True, "not_scored", ref=",".join(names))
    if not_scored & set(comps):
        items.add(True, "rescaled", value=wsum)


def presales_points(frame: pd.DataFrame, rules: Mapping[str, Any]) -> dict[str, Any]:
    """The pre-sales arithmetic of one month, unrounded: item counts, points and components.

    Why one function: the scorer, its explanation items and the sample generator's checks all
    read these numbers, so a rule is applied in one place. Business (业务) and discipline (纪律)
    start at ``start`` and lose ``count × points`` per item (``*_raw`` before the floor at 0);
    B12 costs ``b12.first`` the first time and ``b12.later`` each further time. ``total`` weighs
    the scored components (rescaled to sum to 1 when some are ``not_scored``).
    """
    r = _role_rules(rules, "presales")
    start = float(r.get("start", 100))
    b12 = r.get("b12", {})
    b_codes = [str(c) for c in r.get("business_points", {})]
    d_codes = [str(c) for c in r.get("discipline_points", {}) if not (b12 and c == "B12")]
    b_pts = np.array([float(r["business_points"][c]) for c in b_codes])
    d_pts = np.array([float(r["discipline_points"][c]) for c in d_codes])
    cb, cd = _counts(frame, b_codes), _counts(frame, d_codes)
    n12 = _col(frame, "B12") if b12 else np.zeros(len(frame))
    ded12 = np.where(n12 > 0, float(b12.get("first", 0)), 0.0) + np.maximum(n12 - 1, 0) * float(
        b12.get("later", 0)
    )
    business_raw = start - cb @ b_pts
    discipline_raw = start - cd @ d_pts - ded12
    exam_raw = _numbers(frame, "exam")
    not_scored = {str(c) for c in r.get("not_scored", [])}
    w, _ = _weights(r.get("weights", {}), PRESALES_COMPONENTS, not_scored)
    out = {
        "b_codes": b_codes, "b_counts": cb, "b_points": b_pts,
        "d_codes": d_codes, "d_counts": cd, "d_points": d_pts,
        "b12": n12, "b12_points": ded12, "business_raw": business_raw,
        "discipline_raw": discipline_raw, "business": np.maximum(business_raw, 0.0),
        "discipline": np.maximum(discipline_raw, 0.0), "exam_raw": exam_raw,
        "exam": exam_raw.fillna(0.0).to_numpy(dtype=float),
    }  # fmt: skip
    out["total"] = sum(w.get(c, 0.0) * out[c] for c in PRESALES_COMPONENTS)
    return out


def _presales_items(
    p: Mapping[str, Any], r: Mapping[str, Any], not_scored: set[str], wsum: float, **state: Any
) -> _Items:
    """The explanation items: "A7×2 −8; B12×2 −15; R1×1 red line; business floor; exam 80"."""
    items = _Items(len(p["exam"]))
    for comp, key in (("business", "b"), ("discipline", "d")):
        if comp in not_scored:
            continue
        for j, code in enumerate(p[f"{key}_codes"]):
            n = p[f"{key}_counts"][:, j]
            items.add(n > 0, code, count=n, points=-n * p[f"{key}_points"][j])
        if comp == "discipline" and r.get("b12"):
            items.add(p["b12"] > 0, "B12", count=p["b12"], points=-p["b12_points"])
    for code, n in zip(state["red"], state["red_counts"].T, strict=True):
        items.add(n > 0, "red_line", count=n, ref=code)
    for comp in ("business", "discipline"):
        if comp not in not_scored:
            items.add(p[f"{comp}_raw"] < 0, "floor", ref=comp)
    if "exam" not in not_scored:
        items.add(~p["exam_raw"].isna().to_numpy(), "exam", value=p["exam"])
        blank = "blank_as_zero" if state["zero"] else "missing"
        items.add(state["exam_missing"], blank, ref="exam")
    _not_scored_items(items, not_scored, PRESALES_COMPONENTS, wsum)
    return items


def score_presales(frame: pd.DataFrame, rules: Mapping[str, Any]) -> pd.DataFrame:
    """Score pre-sales agents (售前专员) with one month's rules (see :func:`presales_points`).

    Red-line items (R1, R2) cost nothing but flag the agent for dismissal review.
    A blank exam is not a score: the row is ``to_check`` (待核实) unless ``blank_as_zero``;
    components in ``not_scored`` are left out and the other weights rescaled to sum to 1.
    Returns ``period, agent_id, name, business, discipline, exam, total, items, status, check``
    and boolean ``flag_*`` columns (red_line, floor, exam_missing, blank_as_zero, not_scored);
    ``total`` is NaN where ``status`` is ``to_check``.
    """
    r = _role_rules(rules, "presales")
    idx = frame.index
    not_scored = {str(c) for c in r.get("not_scored", [])}
    zero = bool(r.get("blank_as_zero", False))
    wsum = _weights(r.get("weights", {}), PRESALES_COMPONENTS, not_scored)[1]
    p = presales_points(frame, r)
    red = [str(c) for c in r.get("red_line", [])]
    red_counts = _counts(frame, red)
    check = _blocking(_tokens(frame), not_scored)
    exam_missing = (
        p["exam_raw"].isna().to_numpy()
        & ("exam" not in not_scored)
        & ~check.str.contains(":exam:", regex=False)
    )
    if not zero:
        check = _add_token(check, exam_missing, "blank_score:exam:")
    total = p["total"]
    to_check = check.ne("").to_numpy()
    items = _presales_items(
        p, r, not_scored, wsum, red=red, red_counts=red_counts, zero=zero, exam_missing=exam_missing
    )

    def shown(values: np.ndarray, comp: str) -> np.ndarray:
        return np.full(len(idx), np.nan) if comp in not_scored else np.round(values, 2)

    floor = [(p[f"{c}_raw"] < 0) & (c not in not_scored) for c in ("business", "discipline")]
    return _ids(frame).assign(
        business=shown(p["business"], "business"),
        discipline=shown(p["discipline"], "discipline"),
        exam=np.where(exam_missing & ~zero, np.nan, shown(p["exam"], "exam")),
        total=np.where(to_check, np.nan, np.round(total, 2)),
        items=items.series(idx),
        status=_status(to_check, idx),
        check=check,
        flag_red_line=(red_counts > 0).any(axis=1) if red else np.zeros(len(idx), dtype=bool),
        flag_floor=floor[0] | floor[1],
        flag_exam_missing=exam_missing & zero,
        flag_blank_as_zero=exam_missing & zero,
        flag_not_scored=np.full(len(idx), bool(not_scored & set(PRESALES_COMPONENTS))),
    )


def _grade_points(
    frame: pd.DataFrame, col: str, table: Mapping[str, Any]
) -> tuple[pd.Series, pd.Series]:
    """A grade column (stripped, upper case, blank → NA) and its points (NaN: blank or unknown)."""
    g = (
        frame[col].astype("str").str.strip().str.upper()
        if col in frame
        else pd.Series(pd.NA, index=frame.index, dtype="str")
    )
    g = g.where(g.ne(""))
    return g, g.map({str(k): float(v) for k, v in table.items()}).astype(float)


def aftersales_points(
    frame: pd.DataFrame,
    rules: Mapping[str, Any],
    *,
    team: pd.Series | None = None,
    in_average: np.ndarray | None = None,
) -> dict[str, Any]:
    """The after-sales arithmetic of one month, unrounded (one place for every rule).

    Volume is tickets / the average of the agent's ``team`` × 100, or of every row in the month
    when the agent has no team; only rows in ``in_average`` (default: readable ticket counts)
    make the average. Satisfaction is the callback points summed and scaled to
    ``callbacks_expected``. Reports and rules lose points per late report / violation (``*_raw``
    before the floor at 0); the suggestion bonus is capped; complaints are unlimited. ``total``
    weighs the scored components (rescaled when some are ``not_scored``), before ``total_floor``.
    """
    r = _role_rules(rules, "aftersales")
    idx, n = frame.index, len(frame)
    not_scored = {str(c) for c in r.get("not_scored", [])}
    team = pd.Series(pd.NA, index=idx, dtype="str") if team is None else team
    tickets_raw = _numbers(frame, "tickets")
    tickets = tickets_raw.fillna(0.0).to_numpy(dtype=float)
    keep = tickets_raw.notna().to_numpy() if in_average is None else in_average
    counted = pd.Series(tickets, index=idx).where(keep)
    period = _ids(frame)["period"]
    no_team = team.isna().to_numpy()
    avg = np.where(
        no_team,
        counted.groupby(period, dropna=False).transform("mean").to_numpy(),
        counted.groupby([period, team], dropna=False).transform("mean").to_numpy(),
    )
    grades = list(r.get("callback_points", {}))
    cb_pts = np.array([float(r["callback_points"][g]) for g in grades])
    cb_raw = frame.reindex(columns=[f"cb_{g}" for g in grades]).apply(
        pd.to_numeric, errors="coerce"
    )
    cb_raw = cb_raw.to_numpy(dtype=float).reshape(n, len(grades))
    cb = np.nan_to_num(cb_raw, nan=0.0)
    n_cb, raw_sum = cb.sum(axis=1), cb @ cb_pts
    expected = float(r.get("callbacks_expected", 20))
    late, viol = _col(frame, "late_reports"), _col(frame, "violations")
    sugg = _col(frame, "suggestions") if "bonus" not in not_scored else np.zeros(n)
    compl = _col(frame, "complaints") if "penalty" not in not_scored else np.zeros(n)
    att_grade, att = _grade_points(frame, "attitude", r.get("attitude_grades", {}))
    tw_grade, tw = _grade_points(frame, "teamwork", r.get("teamwork_grades", {}))
    with np.errstate(divide="ignore", invalid="ignore"):
        p = {
            "tickets_raw": tickets_raw, "tickets": tickets, "average": avg, "no_team": no_team,
            "volume": np.where(avg > 0, tickets / avg * 100.0, 0.0),
            "grades": grades, "cb_points": cb_pts, "cb_raw": cb_raw, "cb": cb, "n_callbacks": n_cb,
            "callback_sum": raw_sum, "expected": expected,
            "satisfaction": np.where(n_cb > 0, raw_sum * expected / n_cb, 0.0),
            "attitude_grade": att_grade, "attitude": att.fillna(0.0).to_numpy(),
            "teamwork_grade": tw_grade, "teamwork": tw.fillna(0.0).to_numpy(),
            "late_reports": late, "violations": viol, "suggestions": sugg, "complaints": compl,
            "reports_raw": 100.0 - late * float(r.get("late_report_points", 0)),
            "rules_raw": 100.0 - viol * float(r.get("violation_points", 0)),
            "bonus_raw": sugg * float(r.get("suggestion_points", 0)),
            "cap": float(r.get("suggestion_cap", np.inf)),
            "penalty": -compl * float(r.get("complaint_points", 0)),
        }  # fmt: skip
    p["reports"] = np.maximum(p["reports_raw"], 0.0)
    p["rules"] = np.maximum(p["rules_raw"], 0.0)
    p["bonus"] = np.minimum(p["bonus_raw"], p["cap"])
    w, _ = _weights(r.get("weights", {}), AFTERSALES_COMPONENTS[:6], not_scored)
    weighted = sum(w.get(k, 0.0) * p[k] for k in AFTERSALES_COMPONENTS[:6])
    p["total"] = weighted + p["bonus"] + p["penalty"]
    return p


class _Blanks:
    """Which blank cells stop a row (a ``blank_score`` token) or score 0 (``blank_as_zero``)."""

    def __init__(self, check: pd.Series, not_scored: set[str], zero: bool) -> None:
        self.check, self.not_scored, self.zero = check, not_scored, zero
        self.as_zero = np.zeros(len(check), dtype=bool)

    def blank(self, mask: np.ndarray, comp: str, fld: str) -> np.ndarray:
        """Blank cells of a scored component without another finding on it."""
        mask = np.asarray(mask, dtype=bool) & (comp not in self.not_scored)
        fields = "|".join(f for f, c in FIELD_COMPONENT.items() if c == comp)
        if mask.any() and self.check.ne("").any():
            mask &= ~self.check.str.contains(rf":(?:{fields}|{comp}):", regex=True).to_numpy()
        if self.zero:
            self.as_zero |= mask
        else:
            self.check = _add_token(self.check, mask, f"blank_score:{fld}:")
        return mask

    def unknown_grade(self, col: str, grade: pd.Series, known: Mapping[str, Any]) -> None:
        """A grade outside the table (and not already found by the loader): out_of_range."""
        unknown = (grade.notna() & ~grade.isin([str(k) for k in known])).to_numpy()
        unknown = unknown & (col not in self.not_scored)
        if unknown.any():
            unknown &= ~self.check.str.contains(f":{col}:", regex=False).to_numpy()
        if unknown.any():
            token = "out_of_range:" + col + ":" + grade.astype("str")
            joined = self.check.where(self.check.eq(""), self.check + ";") + token
            self.check = self.check.where(~unknown, joined)


def _aftersales_items(
    p: Mapping[str, Any], on: Mapping[str, bool], st: Mapping[str, Any]
) -> _Items:
    """The explanation items: tickets / average, callbacks by grade, grades, counts, floors."""
    n = len(p["tickets"])
    items, zero = _Items(n), st["zero"]
    blank = "blank_as_zero" if zero else "missing"
    if on["volume"]:
        ref = np.where(p["no_team"], "role_avg", "team_avg")
        items.add(~st["tickets_blank"] | zero, "volume", count=p["tickets"], base=p["average"],
                  value=p["volume"], ref=ref)  # fmt: skip
        items.add(st["tickets_blank"] & zero, "blank_as_zero", ref="tickets")
    if on["satisfaction"]:
        no_cb = p["n_callbacks"] == 0
        scaled = ~no_cb & (p["n_callbacks"] != p["expected"])
        for j, g in enumerate(p["grades"]):
            c = p["cb"][:, j]
            items.add(c > 0, f"cb_{g}", count=c, points=c * p["cb_points"][j])
        for code, mask in (("callbacks", ~no_cb & ~scaled), ("callbacks_scaled", scaled)):
            items.add(mask, code, count=p["n_callbacks"], points=p["callback_sum"],
                      base=p["expected"], value=p["satisfaction"])  # fmt: skip
        items.add(no_cb & ~st["cb_blank"], "no_callbacks")
        items.add(st["cb_blank"], blank, ref="callbacks")
    for comp in ("attitude", "teamwork"):
        if on[comp]:
            missing = st[f"{comp}_missing"]
            items.add(~missing, comp, points=p[comp], ref=p[f"{comp}_grade"].fillna(""))
            items.add(missing, blank, ref=comp)
    for comp, count in (("reports", "late_reports"), ("rules", "violations")):
        if on[comp]:
            c = p[count]
            items.add(c > 0, count, count=c, points=p[f"{comp}_raw"] - 100)
            items.add(p[f"{comp}_raw"] < 0, "floor", ref=comp)
    capped = p["bonus_raw"] > p["cap"]
    s = p["suggestions"]
    items.add((s > 0) & ~capped, "suggestions", count=s, points=p["bonus_raw"])
    items.add(capped, "suggestions_capped", count=s, points=p["bonus_raw"], value=p["bonus"])
    items.add(p["complaints"] > 0, "complaints", count=p["complaints"], points=p["penalty"])
    items.add(st["below_floor"], "floor", ref="total")
    _not_scored_items(items, st["not_scored"], AFTERSALES_COMPONENTS[:6], st["wsum"])
    return items


def _team(frame: pd.DataFrame, roster: pd.DataFrame | None) -> pd.Series:
    """The team for the volume average: the frame's own column, else the roster's."""
    if "team" in frame:
        return frame["team"].astype("str")
    if roster is not None and len(roster):
        ros = roster.assign(agent_id=roster["agent_id"].astype("str")).drop_duplicates("agent_id")
        return _ids(frame)["agent_id"].map(ros.set_index("agent_id")["team"]).astype("str")
    return pd.Series(pd.NA, index=frame.index, dtype="str")


def score_aftersales(
    frame: pd.DataFrame, rules: Mapping[str, Any], *, roster: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Score after-sales agents (售后专员) with one month's rules (see :func:`aftersales_points`).

    The team comes from ``frame['team']`` or the roster; no team → the role average and flag
    ``not_in_roster``; rows listed twice stay out of the average. Scaled callbacks are flagged
    ``callbacks_scaled``. A blank ticket count, blank callbacks (all four grades) or a blank
    attitude/teamwork grade is not a score: the row is ``to_check`` (待核实) unless
    ``blank_as_zero``. Components in ``not_scored`` are left out, the other weights rescaled.
    The total is raised to ``pay.total_floor`` when ``rules`` carries a pay section (flag
    ``floor``). Returns ``period, agent_id, name, team, <components>, total, items, status,
    check`` and ``flag_*``; ``total`` is NaN where ``status`` is ``to_check``.
    """
    r = _role_rules(rules, "aftersales")
    idx, n_rows = frame.index, len(frame)
    not_scored = {str(c) for c in r.get("not_scored", [])}
    zero = bool(r.get("blank_as_zero", False))
    bl = _Blanks(_blocking(_tokens(frame), not_scored), not_scored, zero)
    tickets_raw = _numbers(frame, "tickets")
    tickets_blank = bl.blank(tickets_raw.isna().to_numpy(), "volume", "tickets")
    twice = bl.check.str.contains(r"(?:^|;)(?:duplicate|both_roles):", regex=True).to_numpy()
    in_avg = (tickets_raw.notna().to_numpy() | (tickets_blank & zero)) & ~twice
    team = _team(frame, roster)
    p = aftersales_points(frame, r, team=team, in_average=in_avg)
    cb_blank = bl.blank(np.isnan(p["cb_raw"]).all(axis=1), "satisfaction", "satisfaction")
    st: dict[str, Any] = {"zero": zero, "tickets_blank": tickets_blank, "cb_blank": cb_blank}
    for comp in ("attitude", "teamwork"):
        bl.unknown_grade(comp, p[f"{comp}_grade"], r.get(f"{comp}_grades", {}))
        st[f"{comp}_missing"] = bl.blank(p[f"{comp}_grade"].isna().to_numpy(), comp, comp)
    total_floor = rules.get("pay", {}).get("total_floor") if "aftersales" in rules else None
    floor = -np.inf if total_floor is None else float(total_floor)
    st.update(below_floor=np.round(p["total"], 2) < floor, not_scored=not_scored,
              wsum=_weights(r.get("weights", {}), AFTERSALES_COMPONENTS[:6], not_scored)[1])  # fmt: skip
    total = np.maximum(np.round(p["total"], 2), floor)
    to_check = bl.check.ne("").to_numpy()
    on = {c: c not in not_scored for c in AFTERSALES_COMPONENTS}

    def shown(comp: str, blank: np.ndarray | bool = False) -> np.ndarray:
        values = np.full(n_rows, np.nan) if not on[comp] else np.round(p[comp], 2) + 0.0
        return np.where(np.asarray(blank) & ~zero, np.nan, values)

    floored = [(p[f"{c}_raw"] < 0) & on[c] for c in ("reports", "rules")]
    return _ids(frame).assign(
        team=team,
        volume=shown("volume", tickets_blank),
        satisfaction=shown("satisfaction"),
        attitude=shown("attitude", st["attitude_missing"]),
        reports=shown("reports"),
        rules=shown("rules"),
        teamwork=shown("teamwork", st["teamwork_missing"]),
        bonus=shown("bonus"),
        penalty=shown("penalty"),
        total=np.where(to_check, np.nan, np.round(total, 2)),
        items=_aftersales_items(p, on, st).series(idx),
        status=_status(to_check, idx),
        check=bl.check,
        flag_callbacks_scaled=(p["n_callbacks"] > 0)
        & (p["n_callbacks"] != p["expected"])
        & on["satisfaction"],
        flag_no_callbacks=(p["n_callbacks"] == 0) & on["satisfaction"],
        flag_floor=floored[0] | floored[1] | st["below_floor"],
        flag_cap=p["bonus_raw"] > p["cap"],
        flag_not_in_roster=p["no_team"],
        flag_grade_missing=(st["attitude_missing"] | st["teamwork_missing"]) & zero,
        flag_blank_as_zero=bl.as_zero,
        flag_not_scored=np.full(n_rows, bool(not_scored & set(AFTERSALES_COMPONENTS))),
    )


# ---------------------------------------------------------------------------------------------
# all months: rank, pay, streaks


def _periods(*frames: pd.DataFrame | None) -> list[str]:
    found: set[str] = set()
    for f in frames:
        if f is not None and len(f):
            found.update(f["period"].dropna().astype("str").unique())
    return sorted(found)


def _run_lengths(table: pd.DataFrame, flag: pd.Series) -> np.ndarray:
    """Consecutive months (over every month present) ending at each row's month with ``flag`` set.

    A month in which the agent has no scorecard breaks the run. Loops over months, not agents.
    """
    keys = pd.MultiIndex.from_arrays([table["role"], table["agent_id"]])
    wide = (
        pd.Series(flag.to_numpy(dtype=bool), index=pd.MultiIndex.from_arrays([keys.get_level_values(0), keys.get_level_values(1), table["period"]]))
        .groupby(level=[0, 1, 2])
        .max()
        .unstack(level=2, fill_value=False)
    )  # fmt: skip
    months = sorted(wide.columns)
    arr = wide.reindex(columns=months, fill_value=False).to_numpy(dtype=bool)
    runs = np.zeros(arr.shape, dtype=np.int64)
    acc = np.zeros(arr.shape[0], dtype=np.int64)
    for j in range(arr.shape[1]):
        acc = (acc + 1) * arr[:, j]
        runs[:, j] = acc
    ri = wide.index.get_indexer(keys)
    ci = pd.Index(months).get_indexer(table["period"])
    return runs[ri, ci]


def _places(file: pd.Series, sheet: pd.Series, row: pd.Series) -> pd.Series:
    """(file, sheet, row) of each row as one code value (the edge prints it as words)."""
    num = pd.to_numeric(row, errors="coerce")
    rows = pd.Series([f"{int(r)}" if pd.notna(r) else "" for r in num], index=row.index)
    return (
        file.fillna("").astype("str") + PART_SEP + sheet.fillna("").astype("str") + PART_SEP + rows
    )


def _mark_twice(frames: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """One agent, one pay line: rows of an agent listed twice in a month (in one role or in both)
    get a ``duplicate`` / ``both_roles`` token naming the other row(s)."""
    keys = ["period", "agent_id"]
    src = ["source_file", "source_sheet", "source_row"]
    both = pd.concat(
        [f[keys + src].assign(_role=role, _i=f.index) for role, f in frames.items()],
        ignore_index=True,
    )
    twice = both[both.duplicated(keys, keep=False)]
    if twice.empty:
        return frames
    twice = twice.assign(
        _at=_places(twice["source_file"], twice["source_sheet"], twice["source_row"])
    )
    out = {role: f.copy() for role, f in frames.items()}
    for _, grp in twice.groupby(keys, sort=False):
        code = "both_roles" if grp["_role"].nunique() > 1 else "duplicate"
        places = grp["_at"].tolist()
        for k, (_, r) in enumerate(grp.iterrows()):
            others = PLACE_SEP.join(a for j, a in enumerate(places) if j != k)
            f = out[r["_role"]]
            token = f"{code}:agent_id:{others}"
            old = f.at[r["_i"], "check"]
            f.at[r["_i"], "check"] = f"{old};{token}" if old else token
    return out


def _frames(
    presales: pd.DataFrame | None, aftersales: pd.DataFrame | None, roster: pd.DataFrame
) -> dict[str, pd.DataFrame]:
    """Each role's rows with text keys, a ``check`` column, the source place and the team."""
    team_of = (
        roster.assign(agent_id=roster["agent_id"].astype("str"))
        .drop_duplicates("agent_id")
        .set_index("agent_id")["team"]
    )
    frames: dict[str, pd.DataFrame] = {}
    for role, frame in (("presales", presales), ("aftersales", aftersales)):
        if frame is None or not len(frame):
            continue
        src = {c: frame[c] if c in frame else pd.Series(pd.NA, index=frame.index) for c in
               ("source_file", "source_sheet", "source_row")}  # fmt: skip
        frame = frame.reset_index(drop=True).assign(
            period=frame["period"].astype("str").to_numpy(),
            agent_id=frame["agent_id"].astype("str").to_numpy(),
            check=_tokens(frame).to_numpy(),
            **{c: v.to_numpy() for c, v in src.items()},
        )
        frames[role] = frame.assign(team=frame["agent_id"].map(team_of).astype("str"))
    return _mark_twice(frames) if frames else frames


def _score_months(
    frames: dict[str, pd.DataFrame], rules_by_period: Mapping[str, Any], have_roster: bool
) -> pd.DataFrame:
    parts: list[pd.DataFrame] = []
    for role, frame in frames.items():
        for p, month in frame.groupby("period", sort=True):
            rules = rules_by_period[p]
            if role == "presales":
                scored = score_presales(month, rules).assign(team=month["team"])
                scored = scored.assign(flag_not_in_roster=scored["team"].isna().to_numpy())
            else:
                scored = score_aftersales(month, rules)
            if not have_roster:  # no roster at all: nothing to be missing from
                scored = scored.assign(flag_not_in_roster=False)
            parts.append(
                scored.assign(
                    role=role,
                    source_file=month["source_file"],
                    source_sheet=month["source_sheet"],
                    source_row=month["source_row"],
                )
            )
    return pd.concat(parts, ignore_index=True)


def build_scorecards(
    presales: pd.DataFrame | None,
    aftersales: pd.DataFrame | None,
    roster: pd.DataFrame | None,
    cfg: Mapping[str, Any],
) -> pd.DataFrame:
    """Every month present, each scored with its own rules, ranked within role, paid, flagged.

    Returns :data:`TABLE_COLUMNS` (numbers and codes; ``analysis.views.scorecards.labelled``
    adds the words), sorted by period, role, status, rank. A row that cannot be scored as read
    (a blank or invalid input, the same agent twice in a month or in both roles) has ``status``
    "to_check" (待核实) and ``check`` tokens saying why; it gets no total, rank or pay and takes
    no place in the month's ranking, streaks or lists. Roster agents with no scorecard and
    scorecards of agents not in the roster are the loader's data-quality findings (and
    :func:`to_check_list`); an agent missing from the roster keeps its row (team blank, flag
    ``not_in_roster``).
    """
    periods = _periods(presales, aftersales)
    rules_by_period = {p: month_rules(cfg, p) for p in periods}
    have_roster = roster is not None and len(roster) > 0
    if roster is None:
        roster = pd.DataFrame(columns=["agent_id", "name", "team", "role", "leader"])
    frames = _frames(presales, aftersales, roster)
    if not frames:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in TABLE_COLUMNS})
    table = _score_months(frames, rules_by_period, have_roster)
    pay = {p: r["pay"] for p, r in rules_by_period.items()}
    table = _rank_and_pay(table, pay)
    role_order = table["role"].map({r: i for i, r in enumerate(ROLES)})
    return (
        table.assign(_ro=role_order, _st=table["status"].ne("scored"))
        .sort_values(["period", "_ro", "_st", "rank", "agent_id"], kind="stable")
        .reindex(columns=TABLE_COLUMNS)
        .reset_index(drop=True)
    )


def _rank_and_pay(table: pd.DataFrame, pay: Mapping[str, Mapping[str, Any]]) -> pd.DataFrame:
    """Rank within (month, role), pay, streaks and the flags that follow from them."""
    ok = table["status"].eq("scored")
    base = table["period"].map({p: float(_pay_rule(r, "base")) for p, r in pay.items()})
    bottom_n = table["period"].map({p: int(_pay_rule(r, "bottom_n")) for p, r in pay.items()})
    streak_n = table["period"].map({p: streak_months(r) for p, r in pay.items()})

    # Only scored rows are ranked: 待核实 rows take no place in the month.
    group = table[ok].groupby(["period", "role"], sort=False)["total"]
    rank = group.rank(method="min", ascending=False).reindex(table.index).astype("Int64")
    rank_up = group.rank(method="min", ascending=True).reindex(table.index)
    size = group.transform("size").reindex(table.index).fillna(0)
    tie = (
        table[ok].groupby(["period", "role", "total"], sort=False)["total"].transform("size") > 1
    ).reindex(table.index, fill_value=False)
    # The bottom N (ties at the boundary included) only where the role has more than N agents,
    # and "last place" only where there is more than one agent: nobody is last alone.
    top_run = _run_lengths(table, rank.eq(1).fillna(False))
    bottom_run = _run_lengths(table, (rank_up == 1) & (size > 1))
    table = table.assign(
        rank=rank,
        pay=np.round(base * table["total"] / 100.0, 2).where(ok),
        streak_top_months=top_run,
        streak_bottom_months=bottom_run,
        flag_tie=tie,
        flag_bottom_n=(rank_up <= bottom_n) & (size > bottom_n),
        flag_top_streak=(top_run >= streak_n) & (streak_n > 0),
        flag_bottom_streak=(bottom_run >= streak_n) & (streak_n > 0),
    )
    return table.assign(flags=_flag_text(table))


def scored(table: pd.DataFrame) -> pd.DataFrame:
    """The rows that are ranked and paid (``status`` "scored"); 待核实 rows left out."""
    if "status" not in table:
        return table
    return table[table["status"].fillna("scored").eq("scored")]


def to_check_list(
    table: pd.DataFrame, period: str, roster: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The bulletin's 待核实 list for ``period``: every row not scored, with its codes and place.

    Also lists roster agents with no scorecard that month (in a role that has scorecards; check
    ``no_scorecard::``), so nobody goes unpaid without a line saying so. Columns ``role, agent_id,
    name, check, source_file, source_sheet, source_row``.
    """
    cols = ["role", "agent_id", "name", "check", "source_file", "source_sheet", "source_row"]
    month = table[table["period"].astype("str") == str(period)]
    out = month.loc[month["status"].eq("to_check"), cols]
    if roster is not None and len(roster) and len(month):
        ros = roster.assign(agent_id=roster["agent_id"].astype("str"))
        ros = ros[
            ros["role"].isin(month["role"].unique()) & ~ros["agent_id"].isin(month["agent_id"])
        ]
        out = pd.concat(
            [out, ros.assign(check="no_scorecard::").reindex(columns=cols)], ignore_index=True
        )
    out = out.assign(
        _ro=out["role"].map({r: i for i, r in enumerate(ROLES)}),
        _row=pd.to_numeric(out["source_row"], errors="coerce"),
    )
    return (
        out.sort_values(["_ro", "agent_id", "source_file", "source_sheet", "_row"], kind="stable")[
            cols
        ]
        .fillna({"name": ""})
        .reset_index(drop=True)
    )


# ---------------------------------------------------------------------------------------------
# consequences, year-end, roster check


def has_flag(table: pd.DataFrame, flag: str) -> pd.Series:
    """Rows whose ``flags`` column names ``flag`` (vectorised)."""
    return table["flags"].fillna("").str.contains(rf"(?:^|;){flag}(?:;|$)", regex=True)


def bulletin_date(period: str) -> dt.date:
    """Default bulletin date: the first day of the month after ``period``."""
    year, month = (int(x) for x in str(period).split("-")[:2])
    return dt.date(year + month // 12, month % 12 + 1, 1)


#: The columns of :func:`consequences`; ``role_size`` (improvement: of how many), ``months``
#: (bonus / transfer: the streak) and ``red_items`` (red line: ((code, count), …)) say why.
LIST_COLUMNS = [
    "list", "period", "agent_id", "name", "team", "role", "total", "rank", "pay", "amount",
    "due_date", "role_size", "months", "red_items",
]  # fmt: skip


def _red_items(red: pd.DataFrame, codes: list[str], presales: pd.DataFrame | None, period: str):
    """Per red-line row: the red-line item codes and counts of the month ((code, count), …)."""
    if presales is None or not len(red):
        return [()] * len(red)
    src = presales[presales["period"].astype("str") == str(period)].assign(
        agent_id=lambda d: d["agent_id"].astype("str")
    )
    src = src.groupby("agent_id")[[c for c in codes if c in src]].sum()
    found = {a: tuple((c, float(n)) for c, n in row.items() if n > 0) for a, row in src.iterrows()}
    return [found.get(a, ()) for a in red["agent_id"]]


def consequences(
    table: pd.DataFrame,
    cfg: Mapping[str, Any],
    period: str,
    *,
    presales: pd.DataFrame | None = None,
    bulletin: str | dt.date | None = None,
    today: dt.date | None = None,
) -> pd.DataFrame:
    """The bulletin's lists for ``period``: red line, improvement plan, bonus, transfer review.

    - ``red_line``: any red-line item this month → dismissal review, whatever the score (also
      for a 待核实 row: a blank exam does not hide a red line). Every other list: scored rows only.
    - ``improvement``: bottom N of the role (ties at the boundary included), due
      ``improvement_due_days`` after the bulletin (default bulletin: 1st of the next month), or
      after ``today`` (the generation date) when that is later: a deadline is never already past
      on the day the bulletin is made (a late run gives the agents the full days).
    - ``bonus``: first place for a multiple of ``streak_months`` months running → ``top_streak_bonus``
      元 (one bonus per completed quarter, not every month after the third).
    - ``transfer``: last place ``streak_months`` or more months running → transfer review (调岗).
    ``presales`` (the input counts) lets the red-line line name the items. Columns
    :data:`LIST_COLUMNS`.
    """
    rules = scorecard_rules(cfg, period)
    pay = rules["pay"]
    streak_n = streak_months(pay)
    when = bulletin_date(period) if bulletin is None else pd.Timestamp(bulletin).date()
    due = max(when, today or when) + dt.timedelta(days=int(_pay_rule(pay, "improvement_due_days")))
    everyone = table[table["period"] == str(period)]
    month = scored(everyone)  # 待核实 rows: on no list but the red line (whatever the score)
    n_role = month.groupby("role")["agent_id"].transform("size")
    base = everyone[["period", "agent_id", "name", "team", "role", "total", "rank", "pay"]]
    red = everyone[has_flag(everyone, "red_line")]
    codes = [str(c) for c in rules["presales"].get("red_line", [])]
    imp = month[has_flag(month, "bottom_n")]
    bon = month[
        (month["streak_top_months"] >= streak_n)
        & (month["streak_top_months"] % max(streak_n, 1) == 0)
        & (streak_n > 0)
    ]
    tra = month[has_flag(month, "bottom_streak")]
    lists = [
        base.loc[red.index].assign(
            list="red_line", red_items=_red_items(red, codes, presales, period)
        ),
        base.loc[imp.index].assign(
            list="improvement", due_date=due.isoformat(), role_size=n_role.loc[imp.index]
        ),
        base.loc[bon.index].assign(
            list="bonus",
            amount=float(_pay_rule(pay, "top_streak_bonus")),
            months=bon["streak_top_months"],
        ),
        base.loc[tra.index].assign(list="transfer", months=tra["streak_bottom_months"]),
    ]
    out = pd.concat([x.reindex(columns=LIST_COLUMNS) for x in lists], ignore_index=True)
    return out.astype({"amount": float, "due_date": "str"})


def payroll(table: pd.DataFrame, lists: pd.DataFrame, period: str) -> pd.DataFrame:
    """Payroll lines for ``period``: performance pay plus any streak bonus, per agent.

    ``lists`` is :func:`consequences` for the same month; its ``bonus`` lines add ``streak_bonus``.
    Columns: ``role, agent_id, name, team, total, rank, pay, streak_bonus, pay_due``.
    """
    month = scored(table)[lambda d: d["period"] == str(period)]
    bonus_lines = lists[lists["list"] == "bonus"] if len(lists) else lists
    bonus = (
        bonus_lines.groupby(["role", "agent_id"])["amount"].sum()
        if len(bonus_lines)
        else pd.Series(dtype=float)
    )
    keys = pd.MultiIndex.from_arrays([month["role"], month["agent_id"]])
    extra = bonus.reindex(keys).fillna(0.0).to_numpy() if len(bonus) else np.zeros(len(month))
    return month.assign(streak_bonus=extra, pay_due=np.round(month["pay"].to_numpy() + extra, 2))[
        ["role", "agent_id", "name", "team", "total", "rank", "pay", "streak_bonus", "pay_due"]
    ].reset_index(drop=True)


def year_summary(
    table: pd.DataFrame, year: str | int, *, bonus: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Year-end review (年终考评) per agent: each month's total, average, best and worst month, pay.

    ``bonus`` (optional, the ``consequences`` bonus lines of the year) adds ``bonus_total``.
    Best and worst month: the earliest month with the highest / lowest total.
    """
    table = scored(table)
    y = table[table["period"].astype("str").str.startswith(f"{year}-")]
    keys = ["role", "agent_id"]
    monthly = y.pivot_table(index=keys, columns="period", values="total", aggfunc="first")
    latest = y.sort_values("period").groupby(keys)[["name", "team"]].last()
    ordered = y.sort_values(["period"], kind="stable")
    best = ordered.loc[ordered.groupby(keys)["total"].idxmax()].set_index(keys)
    worst = ordered.loc[ordered.groupby(keys)["total"].idxmin()].set_index(keys)
    stats = y.groupby(keys).agg(
        months=("total", "size"), average=("total", "mean"), pay_total=("pay", "sum")
    )
    out = latest.join(stats).assign(
        average=lambda d: d["average"].round(2),
        best_period=best["period"],
        best_total=best["total"],
        worst_period=worst["period"],
        worst_total=worst["total"],
        pay_total=lambda d: d["pay_total"].round(2),
    )
    if bonus is not None and len(bonus):
        b = bonus.assign(agent_id=bonus["agent_id"].astype("str")).groupby(keys)["amount"].sum()
        out = out.assign(bonus_total=b.reindex(out.index).fillna(0.0).round(2))
    out = out.join(monthly)
    role_order = out.index.get_level_values("role").map({r: i for i, r in enumerate(ROLES)})
    return (
        out.assign(_ro=list(role_order))
        .sort_values(["_ro", "average"], ascending=[True, False])
        .drop(columns="_ro")
        .reset_index()
    )


def roster_check(table: pd.DataFrame, roster: pd.DataFrame, period: str) -> pd.DataFrame:
    """For the bulletin's footnote: who is scored but not on the roster, or on it without a score.

    Not added to the data-quality list (the loader already reports both); the notebook just
    shows it next to the ranking. Columns: ``agent_id, name, role, issue`` (``not_in_roster`` /
    ``no_scorecard`` / ``role_mismatch``).
    """
    month = table[table["period"] == str(period)][["agent_id", "name", "role"]]
    ros = roster.assign(agent_id=roster["agent_id"].astype("str"))[["agent_id", "name", "role"]]
    ros = ros[~ros["agent_id"].duplicated()]
    merged = month.merge(ros, on="agent_id", how="outer", suffixes=("", "_roster"), indicator=True)
    issue = np.select(
        [
            merged["_merge"] == "left_only",
            merged["_merge"] == "right_only",
            merged["role"].astype("str") != merged["role_roster"].astype("str"),
        ],
        ["not_in_roster", "no_scorecard", "role_mismatch"],
        default="",
    )
    out = merged.assign(
        name=merged["name"].fillna(merged["name_roster"]),
        role=merged["role"].fillna(merged["role_roster"]),
        issue=issue,
    )
    return (
        out[out["issue"] != ""][["agent_id", "name", "role", "issue"]]
        .sort_values(["issue", "agent_id"])
        .reset_index(drop=True)
    )


def chart_agents(
    table: pd.DataFrame, period: str, limit: int, role: str | None = None
) -> list[str]:
    """The agents a per-agent chart draws when there are more than ``limit``.

    Why: a bulletin of 2,000 agents still needs readable charts. The table lists everyone; the
    charts show the best ``ceil(limit/2)`` and the worst ``floor(limit/2)`` by rank within each
    role, plus every red-line case, so nobody who matters for the month's lists is left out.
    """
    month = scored(table)[lambda d: d["period"] == period]
    if role is not None:
        month = month[month["role"] == role]
    if len(month) <= limit:
        return month["agent_id"].astype(str).tolist()
    keep: set[str] = set()
    roles = month["role"].unique()
    per_role = max(2, limit // max(1, len(roles)))
    for r in roles:
        part = month[month["role"] == r].sort_values(["rank", "agent_id"])
        top = math.ceil(per_role / 2)
        keep |= set(part["agent_id"].head(top).astype(str))
        keep |= set(part["agent_id"].tail(per_role - top).astype(str))
    keep |= set(month.loc[has_flag(month, "red_line"), "agent_id"].astype(str))
    return sorted(keep)


def most_deducted(breakdown: pd.DataFrame, limit: int) -> pd.DataFrame:
    """The ``limit`` agents who lost the most points, for the deduction chart at scale."""
    lost = breakdown.groupby("agent_id")["points"].apply(lambda s: s.clip(upper=0).sum())
    if len(lost) <= limit:
        return breakdown
    worst = lost.sort_values(kind="stable").head(limit).index
    return breakdown[breakdown["agent_id"].isin(worst)]


#: Item codes that are not points lost or gained per occurrence (left out of :func:`item_points`).
_NOT_POINTS = set(ITEM_CODES) - {"suggestions_capped"}


def item_points(table: pd.DataFrame, period: str) -> pd.DataFrame:
    """Each agent's points lost (negative) or gained (positive) per rule item in ``period``.

    Read from the same :class:`Item` lines as the explanation (A7×2 → −8 business points,
    unweighted; suggestions after the cap; callback grades that cost points). Long format:
    ``agent_id, name, role, item, count, points``; items with a count of 0 are left out.
    """
    cols = ["agent_id", "name", "role", "item", "count", "points"]
    month = table[table["period"].astype("str") == str(period)]
    rows = [
        (a, n, r, "suggestions" if it.code == "suggestions_capped" else it.code, it.count,
         it.value if it.code == "suggestions_capped" else it.points)
        for a, n, r, its in zip(month["agent_id"], month["name"], month["role"], month["items"], strict=True)
        for it in its
        if it.code not in _NOT_POINTS and it.count > 0 and not (it.code.startswith("cb_") and it.points >= 0)
    ]  # fmt: skip
    out = pd.DataFrame(rows, columns=cols)
    return out.assign(agent_id=out["agent_id"].astype("str")).reset_index(drop=True)


def deductions(
    presales: pd.DataFrame | None,
    aftersales: pd.DataFrame | None,
    cfg: Mapping[str, Any],
    period: str,
) -> pd.DataFrame:
    """:func:`item_points` of ``period`` scored from the input frames (for the breakdown chart)."""

    def month(f: pd.DataFrame | None) -> pd.DataFrame | None:
        return None if f is None else f[f["period"].astype("str") == str(period)]

    table = build_scorecards(month(presales), month(aftersales), None, cfg)
    return item_points(table, period)


# ---------------------------------------------------------------------------------------------
# the public verb: score a frame of scorecards

#: The numeric input fields (a count, an exam score or a callback count; blank allowed).
NUMERIC_FIELDS = [f for f in FIELD_COMPONENT if f not in ("attitude", "teamwork")]


def _input_error(zh: str, en: str, fld: str) -> Exception:
    from analysis.io.errors import InputError

    return InputError(zh, en, field=fld)


def _canonical_headers(frame: pd.DataFrame, cfg: Mapping[str, Any]) -> pd.DataFrame:
    """Chinese (or other aliased) headers → the tidy field names, with the loader's alias table."""
    from analysis.io.header import alias_map, match_header

    amap = alias_map(cfg)
    known = {"period", "agent_id", "name", "team", "role", *FIELD_COMPONENT}
    rename = {}
    for col in frame.columns:
        if col in known:
            continue
        fld = match_header(col, amap, None).field
        if fld and fld not in frame.columns and fld not in rename.values():
            rename[col] = fld
    return frame.rename(columns=rename)


def _guess_role(frame: pd.DataFrame) -> str:
    comps = {FIELD_COMPONENT[c] for c in frame.columns if c in FIELD_COMPONENT}
    pre, aft = comps & set(PRESALES_COMPONENTS), comps & set(AFTERSALES_COMPONENTS)
    if bool(pre) == bool(aft):
        raise _input_error(
            "无法判断是售前还是售后考核表, 请用 role='presales' 或 'aftersales' 指明",
            "cannot tell pre-sales from after-sales columns; pass role='presales' or 'aftersales'",
            "role",
        )
    return "presales" if pre else "aftersales"


def _require(frame: pd.DataFrame, role: str, cfg: Mapping[str, Any], periods: list[str]) -> None:
    """Every column a month needs (a component not scored that month needs none)."""
    missing = [c for c in ("period", "agent_id") if c not in frame]
    comps = PRESALES_COMPONENTS if role == "presales" else AFTERSALES_COMPONENTS
    needed = {c for p in periods or [""] for c in comps} - set.intersection(
        *[set(month_rules(cfg, p)[role]["not_scored"]) for p in periods or [""]]
    )
    for comp in [c for c in comps if c in needed]:
        fields = [f for f, c in FIELD_COMPONENT.items() if c == comp and not f.startswith("R")]
        if not any(f in frame for f in fields):
            missing.append(fields[0] if len(fields) == 1 else f"{comp} ({', '.join(fields)})")
    if missing:
        raise _input_error(
            f"考核表缺少列: {', '.join(missing)}", f"scorecards lack columns: {', '.join(missing)}",
            ", ".join(missing),
        )  # fmt: skip


def _months(values: pd.Series) -> pd.Series:
    """The ``period`` column as "YYYY-MM" (a month, a date or a text month)."""
    out = pd.Series(pd.NA, index=values.index, dtype="str")
    for i, v in values.items():
        try:
            out[i] = str(pd.Period(v, freq="M"))
        except (ValueError, TypeError):
            raise _input_error(
                f"period 列第 {i} 行「{v}」不是月份 (YYYY-MM)",
                f"period row {i}: '{v}' is not a month (YYYY-MM)",
                "period",
            ) from None
    return out


def _numbers_only(frame: pd.DataFrame) -> None:
    """A count, exam or ticket cell that is neither blank nor a number is refused by name."""
    for col in [c for c in NUMERIC_FIELDS if c in frame]:
        bad = frame[col].notna() & pd.to_numeric(frame[col], errors="coerce").isna()
        if bad.any():
            i = bad.idxmax()
            raise _input_error(
                f"{col} 列第 {i} 行「{frame.at[i, col]}」不是数字",
                f"column {col} row {i}: '{frame.at[i, col]}' is not a number",
                col,
            )


def score(
    scorecards: pd.DataFrame,
    cfg: Mapping[str, Any] | None = None,
    *,
    role: str | None = None,
    roster: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Score a frame of one role's scorecards: every month in it, ranked, paid and flagged.

    For analysts: the columns may carry the sheet's own (Chinese) headers, 工号, 笔试, 处理单量 …
    (read with the loader's alias table); ``role`` is guessed from the columns when not given.
    No ``cfg`` means the shipped rules (defaults.toml), never "no rules". A missing column or a
    value of the wrong kind raises ``InputError`` naming the column (and row). Returns
    :data:`TABLE_COLUMNS`; ``analysis.views.scorecards.labelled`` adds the words.
    """
    from analysis.config import load_config

    cfg = load_config() if cfg is None else cfg
    frame = _canonical_headers(scorecards, cfg)
    role = role or _guess_role(frame)
    if role not in ROLES:
        raise _input_error(f"未知岗位 {role!r}", f"unknown role {role!r}", "role")
    if "period" in frame:
        frame = frame.assign(period=_months(frame["period"]))
    _require(
        frame, role, cfg, sorted(frame["period"].dropna().unique()) if "period" in frame else []
    )
    _numbers_only(frame)
    frame = frame.assign(agent_id=frame["agent_id"].astype("str"))
    pre, aft = (frame, None) if role == "presales" else (None, frame)
    return build_scorecards(pre, aft, roster, cfg)
