"""The monthly scorecard bulletin (20_scorecards) as data: every table, figure input and tile.

Why: the notebook should read like the report, and what it shows should be unit-testable
without running papermill. :func:`build` scores the data (``analysis.scorecard``, numbers and
codes) and turns it into words from ``catalog/<lang>/scorecard.toml``; :func:`write_exports`
writes ``scorecards.csv`` (English headers and codes for scripts, the explanation in the run's
language) and ``scorecards.xlsx`` (the run's language, for managers).
"""

from __future__ import annotations

import datetime as dt
import html as _html
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analysis import fmt, report
from analysis import scorecard as sc
from analysis.catalog import labels, words
from analysis.config import scorecard_rules
from analysis.report import Col
from analysis.views.verdict import Line

MINUS = "−"  # U+2212, as the bulletin prints it
AREA = "scorecard"


# ---------------------------------------------------------------------------------------------
# words for the domain's numbers and codes


def _num(v: float) -> str:
    """8.0 → "8", 61.666 → "61.67" (two decimals at most, no trailing zeros)."""
    r = float(np.round(v, 2)) + 0.0  # + 0.0 turns -0.0 into 0.0
    text = repr(r)
    return text[:-2] if text.endswith(".0") else text


def _sgn(v: float) -> str:
    """Signed points: −8, +15, 0."""
    r = float(np.round(v, 2)) + 0.0
    return (MINUS if r < 0 else "+" if r > 0 else "") + _num(abs(r))


def _has(key: str, lang: str) -> bool:
    return key in labels(AREA, lang)


def _item_name(code: str, lang: str, t: Callable[..., str]) -> str:
    return t(f"x_{code}") if _has(f"x_{code}", lang) else code


def item_label(code: str, lang: str = "zh") -> str:
    """A deduction code with its item name ("A1 接听不及时"); the bare code when none is known."""
    key = f"item_{code}"
    return f"{code} {words(lang, AREA)(key)}" if _has(key, lang) else code


def _line(it: sc.Item, t: Callable[..., str], lang: str) -> str:
    """One explanation line in words ("A7 用语或语气不当 ×2 −8", "单量 120 / 组均 100 = 120", …)."""
    c, x = it.code, (lambda k: t(f"x_{k}"))
    lines: dict[str, Callable[[], str]] = {
        "red_line": lambda: f"{item_label(it.ref, lang)} ×{_num(it.count)} {x('red_line')}",
        "floor": lambda: f"{x(it.ref)} {x('floor')}",
        "exam": lambda: f"{x('exam')} {_num(it.value)}",
        "missing": lambda: f"{x(it.ref)} {x('missing')}",
        "blank_as_zero": lambda: f"{x(it.ref)} {x('blank_zero')}",
        "volume": lambda: (
            f"{x('tickets')} {_num(it.count)} / {x(it.ref)} {_num(it.base)} = {_num(it.value)}"
        ),
        "no_callbacks": lambda: f"{x('callbacks')} {x('no_callbacks')}",
        "attitude": lambda: f"{x(c)} {it.ref or x('missing')} {_num(it.points)}",
        "teamwork": lambda: f"{x(c)} {it.ref or x('missing')} {_num(it.points)}",
        "suggestions_capped": lambda: (
            f"{x('suggestions')}×{_num(it.count)} {_sgn(it.points)} → {x('cap')} {_sgn(it.value)}"
        ),
        "not_scored": lambda: t("x_not_scored", items="、".join(t(k) for k in it.ref.split(","))),
        "rescaled": lambda: t("x_rescaled", sum=f"{it.value:g}"),
    }
    if c in lines:
        return lines[c]()
    if _has(f"item_{c}", lang):
        return f"{item_label(c, lang)} ×{_num(it.count)} {_sgn(it.points)}"
    return f"{_item_name(c, lang, t)}×{_num(it.count)} {_sgn(it.points)}"


def explain(items: Iterable[sc.Item], lang: str = "zh") -> str:
    """A score's arithmetic in words: "A1 接听不及时 ×11 −22; B1 迟到或早退 ×1 −3; 笔试 80"."""
    t = words(lang, AREA)
    parts: list[str] = []
    graded: list[str] = []
    for it in items:
        if it.code.startswith("cb_"):
            graded.append(f"{it.code[3:]}×{_num(it.count)} {_sgn(it.points)}")
        elif it.code == "callbacks":
            parts.append(f"{t('x_callbacks')} {', '.join(graded)} = {_sgn(it.points)}")
            graded = []
        elif it.code == "callbacks_scaled":
            parts.append(
                f"{t('x_callbacks')} {_num(it.count)} {t('x_n_callbacks')}: {', '.join(graded)}"
                f" = {_sgn(it.points)} → ×{_num(it.base)}/{_num(it.count)} = {_sgn(it.value)}"
            )
            graded = []
        else:
            parts.append(_line(it, t, lang))
    return "; ".join(parts)


def explanations(items: pd.Series, lang: str = "zh") -> pd.Series:
    """:func:`explain` for a column of item tuples."""
    return pd.Series([explain(i, lang) for i in items], index=items.index, dtype="str")


def _place(file: Any, sheet: Any, row: Any, t: Callable[..., str]) -> str:
    """ "file · sheet · 第 N 行" ("" without a row)."""
    r = pd.to_numeric(pd.Series([row]), errors="coerce").iloc[0]
    if pd.isna(r):
        return ""
    f = "" if pd.isna(file) else file
    s = "" if pd.isna(sheet) else sheet
    text = t("at", file=f, sheet=s, row=int(r)).replace(" ·  · ", " · ")
    return text.replace(";", ",")


def where(frame: pd.DataFrame, lang: str = "zh") -> pd.Series:
    """The source place of each row in words."""
    t = words(lang, AREA)
    cols = [frame[c] for c in ("source_file", "source_sheet", "source_row")]
    return pd.Series(
        [_place(f, s, r, t) for f, s, r in zip(*cols, strict=True)], index=frame.index, dtype="str"
    )


def _field_word(fld: str, lang: str, t: Callable[..., str]) -> str:
    if _has(fld, lang):
        return t(fld)
    if _has(f"x_{fld}", lang):
        return t(f"x_{fld}")
    if fld.startswith("cb_"):
        return f"{t('x_callbacks')} {fld[3:]}"
    return fld


def _token_words(token: str, lang: str, t: Callable[..., str]) -> str:
    code, fld, value = ([*token.split(":", 2), "", ""])[:3]
    if code in ("duplicate", "both_roles"):
        places = [p.split(sc.PART_SEP) for p in value.split(sc.PLACE_SEP)]
        value = ", ".join(_place(*(p + ["", "", ""])[:3], t) for p in places)
    return t(f"why_{code}", field=_field_word(fld, lang, t), value=value)


def reasons(check: pd.Series, lang: str = "zh") -> pd.Series:
    """``check`` tokens → words ("笔试空白; 工作态度「F」超出允许范围")."""
    t = words(lang, AREA)
    return pd.Series(
        [
            "; ".join(_token_words(k, lang, t) for k in dict.fromkeys(x for x in c.split(";") if x))
            for c in check.fillna("").astype("str")
        ],
        index=check.index,
        dtype="str",
    )


def describe_flags(flags: pd.Series, lang: str = "zh") -> pd.Series:
    """``flags`` codes → words for people ("red_line;tie" → "红线、同分")."""
    t = words(lang, AREA)
    sep = "、" if lang == "zh" else ", "
    return pd.Series(
        [
            sep.join(t(f"f_{f}") if f in sc.FLAGS else f for f in str(v).split(";") if f)
            for v in flags.fillna("")
        ],
        index=flags.index,
        dtype="str",
    )


def labelled(table: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """``build_scorecards`` with its words: :data:`~analysis.scorecard.SCORECARD_COLUMNS`."""
    return table.assign(
        explanation=explanations(table["items"], lang), reason=reasons(table["check"], lang)
    ).reindex(columns=sc.SCORECARD_COLUMNS)


def list_reasons(lists: pd.DataFrame, lang: str = "zh") -> pd.Series:
    """Why each agent is on a list, in words ("本月排名 9/10", "红线项目 R1×1")."""
    t = words(lang, AREA)

    def one(r: Mapping[str, Any]) -> str:
        kind = r["list"]
        if kind == "red_line":
            items = ", ".join(
                f"{item_label(c, lang)} ×{_num(n)}" for c, n in (r["red_items"] or ())
            )
            return t("reason_red_line", items=items).strip()
        if kind == "improvement":
            return t("reason_improvement", rank=r["rank"], n=int(r["role_size"]))
        return t(f"reason_{kind}", months=int(r["months"]))

    return pd.Series([one(r) for r in lists.to_dict("records")], index=lists.index, dtype="str")


def to_check_words(to_check: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """:func:`~analysis.scorecard.to_check_list` in words: ``role, agent_id, name, reason, where``."""
    return to_check.assign(reason=reasons(to_check["check"], lang), where=where(to_check, lang))[
        ["role", "agent_id", "name", "reason", "where"]
    ]


# ---------------------------------------------------------------------------------------------
# the legend, the previous month, the verdict and the agent cards


def legend(rules: Mapping[str, Any], lang: str = "zh") -> pd.DataFrame:
    """The deduction items in force (``scorecard_rules(cfg, period)``): ``group, code, item,
    points`` in words, one row per item, so an agent can read what each code in an
    explanation costs. Built from the month's rules, never from a fixed list."""
    t = words(lang, AREA)
    pre, aft = rules.get("presales", {}), rules.get("aftersales", {})
    rows: list[tuple[str, str, str, str]] = []

    def name(code: str) -> str:
        return t(f"item_{code}") if _has(f"item_{code}", lang) else code

    for key, group in (("business_points", "lg_business"), ("discipline_points", "lg_discipline")):
        for code, pts in (pre.get(key) or {}).items():
            rows.append((t(group), str(code), name(str(code)), t("lg_per", p=_sgn(-float(pts)))))
        if key == "discipline_points" and pre.get("b12"):
            b12 = pre["b12"]
            text = t("lg_b12", first=_sgn(-float(b12.get("first", 0))),
                     later=_sgn(-float(b12.get("later", 0))))  # fmt: skip
            rows.append((t(group), "B12", name("B12"), text))
    for code in pre.get("red_line") or []:
        rows.append((t("lg_red"), str(code), name(str(code)), t("lg_red_points")))
    group = t("lg_aftersales")
    for key, word in (("late_report_points", "late_reports"), ("violation_points", "violations"),
                      ("complaint_points", "complaints")):  # fmt: skip
        if key in aft:
            rows.append((group, "", t(f"x_{word}"), t("lg_per", p=_sgn(-float(aft[key])))))
    if "suggestion_points" in aft:
        cap = aft.get("suggestion_cap")
        pts = _sgn(float(aft["suggestion_points"]))
        text = t("lg_cap", p=pts, cap=_sgn(float(cap))) if cap else t("lg_per", p=pts)
        rows.append((group, "", t("x_suggestions"), text))
    for grade, pts in (aft.get("callback_points") or {}).items():
        rows.append(
            (group, "", t("lg_callback", grade=grade), t("lg_per_call", p=_sgn(float(pts))))
        )
    return pd.DataFrame(rows, columns=["group", "code", "item", "points"])


def previous_period(table: pd.DataFrame, period: str) -> str:
    """The latest scored month before ``period`` ("" when there is none)."""
    earlier = sorted(p for p in scored_periods(table) if p < period)
    return earlier[-1] if earlier else ""


def scored_periods(table: pd.DataFrame) -> list[str]:
    """The months with scored rows."""
    return sorted(str(p) for p in table["period"].unique()) if len(table) else []


def rank_change(month: pd.DataFrame, table: pd.DataFrame, period: str) -> pd.DataFrame:
    """``prev_rank`` (the agent's rank in the same role the month before, NA when not ranked
    then) and ``rank_change`` (places gained: positive = moved up) for each row of ``month``."""
    prev = previous_period(table, period)
    last = table[table["period"] == prev][["role", "agent_id", "rank"]] if prev else None
    if last is None or last.empty:
        na = pd.Series(pd.NA, index=month.index, dtype="Int64")
        return month.assign(prev_rank=na, rank_change=na)
    last = last.rename(columns={"rank": "prev_rank"}).drop_duplicates(["role", "agent_id"])
    merged = month[["role", "agent_id"]].merge(last, on=["role", "agent_id"], how="left")
    prev_rank = pd.array(merged["prev_rank"], dtype="Int64")
    out = month.assign(prev_rank=prev_rank)
    return out.assign(rank_change=(out["prev_rank"] - out["rank"].astype("Int64")))


def change_word(change: Any, prev_rank: Any, lang: str = "zh") -> str:
    """↑2 (up two places), ↓1, = (same place), 新/new (not ranked last month)."""
    if pd.isna(prev_rank):
        return words(lang, AREA)("rank_new")
    n = int(change)
    return f"↑{n}" if n > 0 else f"↓{-n}" if n < 0 else "="


def _names(frame: pd.DataFrame, t: Callable[..., str], limit: int = 8) -> str:
    people = [f"{n} ({a})" for n, a in zip(frame["name"], frame["agent_id"], strict=True)]
    text = t("v_sep").join(people[:limit])
    return text + (f" {t('v_more', n=len(people))}" if len(people) > limit else "")


def verdict(
    month: pd.DataFrame,
    lists: pd.DataFrame,
    to_check: pd.DataFrame | None,
    roles: Iterable[str],
    streak_n: int,
    lang: str = "zh",
) -> list[Line]:
    """The bulletin's first screen in sentences: first and last per role, red lines, 待核实,
    improvement plans, bonuses and streak warnings ("连续第二个月末位")."""
    t = words(lang, AREA)
    out: list[Line] = []

    def agent(r: Mapping[str, Any]) -> str:
        return t("v_agent", name=r["name"], id=r["agent_id"], total=_score_text(r["total"]))

    for role in roles:
        rows = month[month["role"] == role].sort_values(["rank", "agent_id"])
        if rows.empty:
            continue
        first = rows[rows["rank"] == rows["rank"].min()]
        last = rows[rows["rank"] == rows["rank"].max()]
        sep = t("v_sep")
        out.append(Line(t("v_role", role=t(f"role_{role}"),
                          first=sep.join(agent(r) for r in first.to_dict("records")),
                          last=sep.join(agent(r) for r in last.to_dict("records")))))  # fmt: skip
    red = lists[lists["list"] == "red_line"]
    out.append(
        Line(t("v_red", n=len(red), names=_names(red, t)), "over")
        if len(red)
        else Line(t("v_no_red"), "under")
    )
    if to_check is not None and len(to_check):
        out.append(Line(t("v_to_check", n=len(to_check), names=_names(to_check, t)), "warn"))
    imp = lists[lists["list"] == "improvement"]
    if len(imp):
        due = str(imp["due_date"].iloc[0])
        out.append(Line(t("v_improve", n=len(imp), due=due, names=_names(imp, t)), "warn"))
    bonus = lists[lists["list"] == "bonus"]
    if len(bonus):
        out.append(Line(t("v_bonus", n=len(bonus), names=_names(bonus, t)), "under"))
    for r in month.sort_values(["role", "agent_id"]).to_dict("records"):
        role, n_bottom = t(f"role_{r['role']}"), int(r.get("streak_bottom_months") or 0)
        who = {"name": r["name"], "id": r["agent_id"], "role": role}
        if n_bottom == 2 and streak_n > 2:
            out.append(Line(t("v_streak_bottom_2", **who, limit=streak_n), "over"))
        elif n_bottom >= 2:
            out.append(Line(t("v_streak_bottom", **who, n=n_bottom), "over"))
        n_top = int(r.get("streak_top_months") or 0)
        if n_top >= 2:
            out.append(Line(t("v_streak_top", **who, n=n_top), "under"))
    return out


def agent_id_anchor(agent_id: Any) -> str:
    """The HTML id of an agent's card: ``agent-`` and the ID (spaces → ``-``)."""
    return "agent-" + "-".join(str(agent_id).split())


def cards_html(month_all: pd.DataFrame, lang: str = "zh") -> str:
    """One card per agent of the month (scored and 待核实), in agent-ID order, each with the
    anchor ``#agent-<ID>`` and the explanation one item per line. Escaped HTML."""
    t = words(lang, AREA)
    parts = []
    for r in month_all.sort_values("agent_id").to_dict("records"):
        role = t(f"role_{r['role']}") if r.get("role") in sc.ROLES else str(r.get("role") or "")
        if r.get("status") == "to_check":
            line = t("card_to_check", role=role, reason=r.get("reason") or "")
        else:
            line = t("card_line", role=role, rank=fmt.num(r["rank"]),
                     total=_score_text(r["total"]), pay=_money(r["pay"]))  # fmt: skip
        items = [x for x in str(r.get("explanation") or "").split("; ") if x]
        lis = "".join(f"<li>{report.esc(x)}</li>" for x in items) or (
            f'<li class="muted">{report.esc(t("card_none"))}</li>'
        )
        ident = _html.escape(agent_id_anchor(r["agent_id"]), quote=True)
        parts.append(
            f'<div class="agent-card" id="{ident}" style="border:1px solid #d9e2ec;'
            'border-radius:6px;padding:6px 10px;margin:6px 0;break-inside:avoid">'
            f"<div><b>{report.esc(r['agent_id'])} {report.esc(r.get('name') or '')}</b> · "
            f"{report.esc(line)}</div>"
            f'<ul style="margin:.2em 0 .2em 1.2em;padding:0">{lis}</ul></div>'
        )
    return (
        '<div class="agent-cards" style="display:grid;'
        'grid-template-columns:repeat(auto-fill,minmax(min(100%,22em),1fr));gap:0 12px">'
        + "".join(parts)
        + "</div>"
    )


# ---------------------------------------------------------------------------------------------
# the report


@dataclass
class ScorecardsView:
    """Everything 20_scorecards shows, in the run's language (tables as ``report.table`` kwargs)."""

    period: str
    lang: str
    has_data: bool
    title: str
    intro: str
    notes: list[str]
    tiles: list[dict[str, Any]]
    table: pd.DataFrame  # every scored row of every month (numbers and codes), for the charts
    table_all: pd.DataFrame  # every row, scored and 待核实 (numbers and codes)
    month_all: pd.DataFrame  # the month's rows, scored and 待核实, in words (scorecards.csv)
    roles: list[str]
    rankings: dict[str, dict[str, Any]] = field(default_factory=dict)
    to_check: dict[str, Any] | None = None
    lists: list[dict[str, Any]] = field(default_factory=list)
    lists_note: str = ""
    roster: dict[str, Any] | None = None
    teams: dict[str, Any] | None = None
    charts: dict[str, Any] = field(default_factory=dict)
    year: dict[str, Any] | None = None
    sheets: dict[str, pd.DataFrame] = field(default_factory=dict)
    text: dict[str, str] = field(default_factory=dict)  # section headings and notes
    headers: dict[str, str] = field(default_factory=dict)
    generated: dt.date | None = None  # the day the bulletin is made (deadlines start no earlier)
    verdict: list[Line] = field(default_factory=list)
    legend: dict[str, Any] | None = None  # the deduction items in force: heading, note, table
    cards: dict[str, Any] | None = None  # per-agent cards: heading, note, html
    #: After-sales 处理单量 as scored, with where each came from (``[service]
    #: aftersales_tickets_from = "calls"`` only): period, agent_id, tickets, tickets_typed,
    #: tickets_logged, tickets_source; and the data-quality warnings of that feed, in words.
    tickets: pd.DataFrame | None = None
    tickets_dq: pd.DataFrame | None = None
    tickets_check: dict[str, Any] | None = None  # those warnings as a section: heading, table


_TEXT = ("lists", "roster", "roster_note", "teams", "distribution", "trends", "trends_note",
         "deductions", "deductions_note")  # fmt: skip


def _pick_period(table_all: pd.DataFrame, asked: str) -> str:
    """The month asked for, else the latest scored month not after it, else the latest one."""
    periods = sorted(table_all["period"].unique()) if len(table_all) else []
    if asked in periods or not periods:
        return asked
    earlier = [p for p in periods if not asked or p <= asked]
    return earlier[-1] if earlier else periods[-1]


def _score_text(v: Any) -> str:
    return fmt.score(v) if pd.notna(v) else fmt.MISSING


def _money(v: Any) -> str:
    return fmt.yuan(v, unit=False)


def _pct0(v: Any) -> str:
    return fmt.pct(v, decimals=0)


def row_tone(row: Mapping[str, Any]) -> str | None:
    """Ranking rows: red = red line, orange = bottom N, green = first place."""
    flags = str(row.get("flag_codes") or "").split(";")
    if "red_line" in flags:
        return "over"
    if "bottom_n" in flags:
        return "warn"
    return "under" if row.get("rank") == 1 else None


def _rules_note(rules: Mapping[str, Any], t: Callable[..., str]) -> str:
    wp, wa = rules["presales"].get("weights", {}), rules["aftersales"].get("weights", {})
    keys = {"wb": (wp, "business"), "wd": (wp, "discipline"), "we": (wp, "exam"),
            "wv": (wa, "volume"), "ws": (wa, "satisfaction"), "wa": (wa, "attitude"),
            "wr": (wa, "reports"), "wu": (wa, "rules"), "wt": (wa, "teamwork")}  # fmt: skip
    return t(
        "r_rules",
        **{k: _pct0(w.get(c, 0)) for k, (w, c) in keys.items()},
        cap=fmt.num(rules["aftersales"].get("suggestion_cap", 0)),
        base=fmt.num(rules["pay"].get("base", 0), decimals=2),
    )


def _tiles(month: pd.DataFrame, v: ScorecardsView, lists: pd.DataFrame, pay: pd.DataFrame, t):
    n_list = lists["list"].value_counts()
    n_check = int(v.month_all["status"].eq("to_check").sum())
    items = [{"label": t("r_tile_agents"), "value": fmt.num(len(month))}]
    for role in v.roles:
        items.append({"label": t("r_tile_avg", role=t(f"role_{role}")),
                      "value": fmt.score(month.loc[month["role"] == role, "total"].mean())})  # fmt: skip
    red, imp = int(n_list.get("red_line", 0)), int(n_list.get("improvement", 0))
    return items + [
        {"label": t("r_tile_pay"), "value": fmt.yuan(pay["pay_due"].sum())},
        {"label": t("r_tile_red"), "value": fmt.num(red), "tone": "over" if red else None},
        {"label": t("r_tile_improve"), "value": fmt.num(imp), "tone": "warn" if imp else None},
        {"label": t("r_tile_bonus"), "value": fmt.num(n_list.get("bonus", 0))},
        {"label": t("r_to_check"), "value": fmt.num(n_check), "tone": "warn" if n_check else None},
    ]


def _cols(t: Callable[..., str], *names: str) -> dict[str, Col | str]:
    """Column specs for ``report.table`` by column name (labels from the catalog)."""
    spec: dict[str, Col | str] = {
        "rank": Col(t("c_rank"), fmt.num, numeric=True),
        "prev_rank": Col(t("c_prev_rank"), fmt.num, numeric=True),
        "rank_move": Col(t("c_rank_change"), str, numeric=True),
        "total": Col(t("c_total"), _score_text, numeric=True),
        "pay": Col(t("c_pay"), _money, numeric=True),
        "amount": Col(t("c_amount"), _money, numeric=True),
        "agents": Col(t("c_agents"), fmt.num, numeric=True),
        **{k: Col(t(f"c_{k}"), fmt.score, numeric=True) for k in ("mean", "min", "max", "average")},
        "pay_total": Col(t("c_pay_total"), _money, numeric=True),
        "bonus_total": Col(t("c_bonus_total"), _money, numeric=True),
        "best_period": t("c_best"),
        "worst_period": t("c_worst"),
        **{c: Col(t(c), _score_text, numeric=True) for c in sc.COMPONENTS},
    }
    return {n: spec.get(n, t(f"c_{n}")) for n in names}


def _role_words(frame: pd.DataFrame, t: Callable[..., str]) -> pd.DataFrame:
    return frame.assign(role=frame["role"].map(lambda r: t(f"role_{r}")))


def _rankings(v: ScorecardsView, month: pd.DataFrame, rules, limit: int, t) -> None:
    for role in v.roles:
        rows = month[month["role"] == role]
        rows = rows.assign(flag_codes=rows["flags"], flags=describe_flags(rows["flags"], v.lang))
        rows = rank_change(rows.assign(explanation=explanations(rows["items"], v.lang)),
                           v.table, v.period)  # fmt: skip
        rows = rows.assign(rank_move=[change_word(c, p, v.lang)
                                      for c, p in zip(rows["rank_change"], rows["prev_rank"], strict=True)])  # fmt: skip
        comps = sc.PRESALES_COMPONENTS if role == "presales" else sc.AFTERSALES_COMPONENTS
        flags = ("flags",) if rows["flags"].astype(bool).any() else ()  # no empty column
        cols = _cols(t, "rank", "prev_rank", "rank_move", "agent_id", "name", "team", *comps,
                     "total", "pay", *flags)  # fmt: skip
        shown = sc.chart_agents(v.table, v.period, limit, role=role)
        v.rankings[role] = {
            "heading": t("r_ranking", role=t(f"role_{role}")),
            "note": t("r_ranking_note", n=rules["pay"].get("bottom_n", 2)),
            "table": {"df": rows, "columns": {**cols, "explanation": t("c_explanation")},
                      "row_tone": row_tone,
                      "total": {"pay": rows["pay"].sum(), "rank": None, "agent_id": t("total")}},
            "chart": v.table[v.table["agent_id"].isin(shown)],
            "subset_note": t("r_chart_subset", shown=len(shown), total=len(rows))
            if len(shown) < len(rows) else "",
            "trend": v.table[(v.table["period"] <= v.period) & v.table["agent_id"].isin(shown)],
        }  # fmt: skip


def _lists(v: ScorecardsView, lists: pd.DataFrame, bulletin: str, rules, t) -> None:
    due = lists["due_date"].replace({"nan": None, "<NA>": None}).dropna()
    day = pd.Timestamp(bulletin).date() if bulletin else sc.bulletin_date(v.period)
    day = max(day, v.generated or day)  # the deadline counts from the later of the two
    v.lists_note = t("r_due_note", due=due.iloc[0] if len(due) else "—", bulletin=day.isoformat(),
                     days=rules["pay"].get("improvement_due_days", 7))  # fmt: skip
    words_ = _role_words(lists.assign(reason=list_reasons(lists, v.lang)), t)
    for name in sc.LISTS:
        extra = {"improvement": ["due_date"], "bonus": ["amount"]}.get(name, [])
        cols = _cols(t, "role", "agent_id", "name", "team", "total", "rank", "reason", *extra)
        v.lists.append({"heading": t(f"list_{name}"),
                        "table": {"df": words_[words_["list"] == name], "columns": cols,
                                  "empty": t("none")}})  # fmt: skip


def _teams(v: ScorecardsView, month: pd.DataFrame, roster: pd.DataFrame, t) -> None:
    leaders = (
        roster.drop_duplicates("team").set_index("team")["leader"]
        if len(roster)
        else pd.Series(dtype=str)
    )
    teams = (
        month.assign(team=month["team"].fillna("—"))
        .groupby(["role", "team"], sort=True)["total"]
        .agg(agents="size", mean="mean", min="min", max="max")
        .reset_index()
    )
    teams = _role_words(teams.assign(leader=teams["team"].map(leaders)), t)
    cols = _cols(t, "role", "team", "leader", "agents", "mean", "min", "max")
    v.teams = {"df": teams, "columns": cols}


def _year(v: ScorecardsView, cfg, t) -> None:
    year = v.period[:4]
    periods = sorted(p for p in v.table["period"].unique() if p.startswith(year) and p <= v.period)
    lists = pd.concat([sc.consequences(v.table, cfg, p) for p in periods])
    frame = sc.year_summary(
        v.table[v.table["period"] <= v.period], year, bonus=lists[lists["list"] == "bonus"]
    )
    months = {
        c: Col(c[-2:], _score_text, numeric=True)
        for c in frame.columns
        if str(c).startswith(f"{year}-")
    }
    cols = _cols(t, "role", "agent_id", "name", "team")
    cols.update(months)
    cols.update(_cols(t, "average", "best_period", "worst_period", "pay_total", "bonus_total"))
    v.year = {"heading": t("r_year", year=year), "note": t("r_year_note"),
              "table": {"df": _role_words(frame, t), "columns": cols}, "frame": frame}  # fmt: skip


def _agent_kpis(ds: Any, cfg: Mapping[str, Any]) -> pd.DataFrame:
    """The agent level of the service KPIs from the dataset's call logs, through the engine."""
    from analysis.io import engine
    from analysis.service import kpis

    table = engine.calls_table(engine.connect(cfg), tuple(ds.calls))
    complaints = getattr(ds, "complaints", None)
    out = kpis.kpis(table, complaints, ds.roster, cfg)
    return out.loc[out["level"] == "agent"]


def aftersales_input(
    ds: Any, cfg: Mapping[str, Any], agent_kpis: pd.DataFrame | None = None
) -> tuple[pd.DataFrame, pd.DataFrame | None, str]:
    """The after-sales scorecard to score, its tickets-feed warnings, and what happened: "typed"
    (the default: 处理单量 as typed), "calls" (``[service] aftersales_tickets_from = "calls"``:
    answered calls per agent and month, :func:`analysis.service.staffing_feed.
    aftersales_tickets_from_calls`) or "no_logs" (asked for calls, but the data folder has none)."""
    from analysis.service import staffing_feed as feed

    rules = feed.feeds_rules(cfg)
    source = rules["aftersales_tickets_from"]
    if source not in ("scorecard", "calls"):
        from analysis.errors import ConfigError

        raise ConfigError(
            f"[service] aftersales_tickets_from 只能是 scorecard 或 calls，收到 {source!r} / "
            f"[service] aftersales_tickets_from must be scorecard or calls, got {source!r}"
        )
    if source == "scorecard" or ds.aftersales is None or not len(ds.aftersales):
        return ds.aftersales, None, "typed"
    if agent_kpis is None:
        if not tuple(getattr(ds, "calls", ()) or ()):
            return ds.aftersales, None, "no_logs"
        agent_kpis = _agent_kpis(ds, cfg)
    fed = feed.aftersales_tickets_from_calls(agent_kpis, ds.aftersales)
    return fed, feed.tickets_findings(fed, rules["tickets_tolerance"]), "calls"


def build(
    ds: Any,
    cfg: Mapping[str, Any],
    period: str = "",
    lang: str = "zh",
    *,
    bulletin: str = "",
    year_end: bool = False,
    today: dt.date | None = None,
    agent_kpis: pd.DataFrame | None = None,
) -> ScorecardsView:
    """Score ``ds`` (a loaded Dataset) and build every section of the bulletin for ``period``.

    ``agent_kpis`` (the agent level of ``service.kpis.kpis``) feeds after-sales 处理单量 when
    ``[service] aftersales_tickets_from = "calls"``; without it they are computed from the
    dataset's call logs. The default config scores the typed figures and never reads the logs.

    An empty ``period`` means the dataset's latest month; a month without scorecards falls back
    to the latest scored month before it (and the view says so).
    """
    t = words(lang, AREA)
    aftersales, tickets_dq, tickets_from = aftersales_input(ds, cfg, agent_kpis)
    table_all = sc.build_scorecards(ds.presales, aftersales, ds.roster, cfg)
    asked = period or getattr(ds, "latest_period", "") or ""
    period = _pick_period(table_all, asked)
    table = sc.scored(table_all)
    month = table[table["period"] == period]
    rules = scorecard_rules(cfg, period)
    lists = sc.consequences(table, cfg, period, presales=ds.presales, bulletin=bulletin or None,
                            today=today or dt.date.today())  # fmt: skip
    pay = sc.payroll(table, lists, period)
    v = ScorecardsView(
        period=period, lang=lang, has_data=not month.empty,
        title=f"{t('r_title')} · {period}" if period else t("r_title"), intro=t("r_intro"),
        notes=[_rules_note(rules, t)], tiles=[], table=table, table_all=table_all,
        month_all=labelled(table_all[table_all["period"] == period], lang),
        roles=[r for r in sc.ROLES if (month["role"] == r).any()],
    )  # fmt: skip
    v.generated = today or dt.date.today()
    v.text = {k: t(f"r_{k}") for k in _TEXT} | {f"role_{r}": t(f"role_{r}") for r in sc.ROLES}
    if asked and period != asked:
        v.notes.append(t("r_period_fallback", asked=asked, used=period))
    if not v.has_data:
        v.notes.append(t("r_no_data", period=period or "—"))
    else:
        v.tiles = _tiles(month, v, lists, pay, t)
    _tickets_feed(v, aftersales, tickets_dq, tickets_from, t)
    _sections(v, ds, cfg, month, rules, lists, bulletin, year_end, t)
    if v.has_data:
        tc = v.to_check["table"]["df"] if v.to_check else None
        v.verdict = verdict(month, lists, tc, v.roles, sc.streak_months(rules["pay"]), lang)
        v.cards = {"heading": t("cards_heading"), "note": t("cards_note"),
                   "html": cards_html(v.month_all, lang)}  # fmt: skip
    if v.period:
        v.legend = {"heading": t("lg_heading", period=v.period), "note": t("lg_note"),
                    "table": {"df": legend(rules, lang),
                              "columns": {k: t(f"lg_{k}") for k in ("group", "code", "item", "points")}}}  # fmt: skip
    v.sheets, v.headers = _sheets(v, month, lists, pay, t), _headers(t)
    return v


def _tickets_feed(v: ScorecardsView, fed: pd.DataFrame, dq: Any, source: str, t) -> None:
    """Say where 处理单量 came from when config asks for the logs, and keep the feed's rows."""
    if source == "no_logs":
        v.notes.append(t("r_tickets_no_logs"))
    if source != "calls":
        return
    from analysis.io.errors import fill_messages

    month = fed.loc[fed["period"].astype(str) == v.period]
    cols = ["period", "agent_id", "tickets", "tickets_typed", "tickets_logged", "tickets_source"]
    v.tickets = fed[cols].reset_index(drop=True)
    v.tickets_dq = fill_messages(dq, v.lang)
    if len(v.tickets_dq):
        places = [_place(f, s, r, t) for f, s, r in
                  zip(v.tickets_dq["file"], v.tickets_dq["sheet"], v.tickets_dq["row"], strict=True)]  # fmt: skip
        shown = v.tickets_dq.assign(where=places)[["where", "message"]]
        v.tickets_check = {"heading": t("r_tickets_check"),
                           "table": {"df": shown,
                                     "columns": {"where": t("c_where"), "message": t("c_reason")}}}  # fmt: skip
    v.notes.append(t("r_tickets_from_calls", n=int((month["tickets_source"] == "calls").sum()),
                     typed=int((month["tickets_source"] != "calls").sum()),
                     warnings=len(dq)))  # fmt: skip


def _sections(v, ds, cfg, month, rules, lists, bulletin, year_end, t) -> None:
    tc = sc.to_check_list(v.table_all, v.period, ds.roster) if v.period else None
    if tc is not None and len(tc):
        cols = _cols(t, "role", "agent_id", "name", "reason", "where")
        v.to_check = {"heading": t("r_to_check"), "note": t("r_to_check_note"),
                      "table": {"df": _role_words(to_check_words(tc, v.lang), t), "columns": cols}}  # fmt: skip
    if not v.has_data:
        return
    limit = int(cfg.get("report", {}).get("chart_agents", 40))  # agents drawn per chart
    _rankings(v, month, rules, limit, t)
    _lists(v, lists, bulletin, rules, t)
    check = sc.roster_check(v.table, ds.roster, v.period)
    if len(check):
        words_ = _role_words(check.assign(issue=check["issue"].map(lambda i: t(f"issue_{i}"))), t)
        v.roster = {"df": words_, "columns": _cols(t, "agent_id", "name", "role", "issue")}
    _teams(v, month, ds.roster, t)
    breakdown = sc.item_points(v.table_all, v.period)
    drawn = sc.most_deducted(breakdown, limit)
    n_drawn, n_all = drawn["agent_id"].nunique(), breakdown["agent_id"].nunique()
    v.charts = {"deductions": drawn, "deductions_note": t("r_deductions_subset", shown=n_drawn, total=n_all)
                if n_drawn < n_all else ""}  # fmt: skip
    if year_end or v.period.endswith("-12"):
        _year(v, cfg, t)


def _headers(t: Callable[..., str]) -> dict[str, str]:
    names = ["rank", "agent_id", "name", "team", "role", "total", "pay", "flags", "explanation",
             "list", "amount", "due_date", "reason", "period", "months", "average", "pay_total",
             "bonus_total", "where"]  # fmt: skip
    return {
        **{n: t(f"c_{n}") for n in names},
        "streak_bonus": t("c_bonus_line"), "pay_due": t("c_pay_due"),
        "streak_top_months": t("c_streak_top"), "streak_bottom_months": t("c_streak_bottom"),
        "best_period": t("c_best"), "worst_period": t("c_worst"),
        **{c: t(c) for c in sc.COMPONENTS},
    }  # fmt: skip


def _sheets(v: ScorecardsView, month, lists, pay, t) -> dict[str, pd.DataFrame]:
    """The workbook's sheets in the run's language: rankings, lists, 待核实, year-end."""
    sheets: dict[str, pd.DataFrame] = {}
    for role in v.roles:
        comps = sc.PRESALES_COMPONENTS if role == "presales" else sc.AFTERSALES_COMPONENTS
        rows = month[month["role"] == role].merge(
            pay[["role", "agent_id", "streak_bonus", "pay_due"]],
            on=["role", "agent_id"],
            how="left",
        )
        rows = rows.assign(
            flags=describe_flags(rows["flags"], v.lang),
            explanation=explanations(rows["items"], v.lang),
        )
        sheets[t(f"role_{role}")] = rows[
            ["rank", "agent_id", "name", "team", *comps, "total", "pay", "streak_bonus", "pay_due",
             "flags", "streak_top_months", "streak_bottom_months", "explanation"]
        ]  # fmt: skip
    cols = ["list", "period", "agent_id", "name", "team", "role", "total", "rank", "amount"]
    sheets[t("sheet_lists")] = _role_words(
        lists.assign(
            list=lists["list"].map(lambda x: t(f"list_{x}")),
            due_date=lists["due_date"].replace({"nan": None, "<NA>": None}),
            reason=list_reasons(lists, v.lang),
        )[[*cols, "due_date", "reason"]],
        t,
    )
    if v.to_check is not None:
        sheets[t("r_to_check")] = v.to_check["table"]["df"]
    if v.year is not None:
        sheets[t("sheet_year")] = _role_words(v.year["frame"], t)
    return sheets


def write_exports(view: ScorecardsView, out_dir: str | Path) -> list[Path]:
    """``scorecards.csv`` (the month's rows, scored and 待核实) and ``scorecards.xlsx``.

    Nothing is written without an ``out_dir`` or without a row for the month.
    """
    if not out_dir or view.month_all.empty:
        return []
    from analysis.outputs import write_csv, write_xlsx

    folder = Path(out_dir)
    money = ["pay", "streak_bonus", "pay_due", "amount", "pay_total", "bonus_total"]
    return [
        write_csv(view.month_all, folder / "scorecards.csv", money=["pay"]),
        write_xlsx(view.sheets, folder / "scorecards.xlsx", money=money, headers=view.headers),
    ]


def files_note(view: ScorecardsView, written: list[Path]) -> str:
    """ "已写出: scorecards.csv, scorecards.xlsx" ("" when nothing was written)."""
    if not written:
        return ""
    return words(view.lang, AREA)("r_files", files=", ".join(p.name for p in written))
