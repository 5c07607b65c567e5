"""Agent scorecards (绩效考核): component scores, total, rank, pay, streaks and consequences.

Why: the monthly bulletin (月绩效考核通报) decides every agent's performance pay, who writes an
improvement plan and who gets the quarterly bonus. Managers must be able to check each figure by
hand, so every score carries an explanation with its arithmetic, and every rule (weights, points,
grades, caps, pay base, streak length, bottom N) is read from the rules dict that
``config.scorecard_rules(cfg, period)`` returns for that month, never from code.

Everything here is pure and vectorised (numpy / pandas column operations, loops only over rule
items and months, never over agents): 2,000 agents × 12 months score in well under a second.

Sign conventions: components are points; after-sales ``bonus`` is positive (建议加分) and
``penalty`` is negative (服务减分), so ``total = Σ weight × component + bonus + penalty``.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from analysis.config import ConfigError, scorecard_rules
from analysis.i18n import translator

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

LABELS: dict[str, dict[str, str]] = {
    "zh": {
        "x_exam": "笔试",
        "x_business": "业务",
        "x_discipline": "纪律",
        "x_floor": "封底 0",
        "x_red_line": "红线",
        "x_tickets": "单量",
        "x_team_avg": "组均",
        "x_role_avg": "岗位均",
        "x_callbacks": "回访",
        "x_n_callbacks": "条",
        "x_no_callbacks": "无回访记录 0",
        "x_attitude": "态度",
        "x_teamwork": "协作",
        "x_late_reports": "迟交报告",
        "x_reports": "日志周报",
        "x_violations": "违规",
        "x_rules": "规章制度",
        "x_suggestions": "建议",
        "x_cap": "封顶",
        "x_complaints": "投诉",
        "x_missing": "缺",
        "x_total": "总分",
        "role_presales": "售前专员",
        "role_aftersales": "售后专员",
        "business": "业务考核",
        "discipline": "工作纪律",
        "exam": "笔试",
        "volume": "处理单量",
        "satisfaction": "客户满意度",
        "attitude": "工作态度",
        "reports": "日志周报",
        "rules": "规章制度",
        "teamwork": "团队协作",
        "bonus": "建议加分",
        "penalty": "服务减分",
        "list_red_line": "红线 · 报送辞退审议",
        "list_improvement": "末位 · 提交整改方案",
        "list_bonus": "连续第一 · 季度奖励",
        "list_transfer": "连续末位 · 调岗审议",
        "reason_red_line": "红线项目 {items}",
        "reason_improvement": "本月排名 {rank}/{n}",
        "reason_bonus": "连续 {months} 个月第一",
        "reason_transfer": "连续 {months} 个月末位",
        # report (notebooks/reports/20_scorecards.ipynb)
        "r_title": "月绩效考核通报",
        "r_intro": "每位专员的本月得分、排名与绩效工资; 每项扣分与加分均列出算式, 可逐项核对。"
        "规则来自规则文件 (defaults.toml / 数据目录 config.toml), 每月按当月有效规则计分。",
        "r_rules": "售前: 业务 {wb} + 纪律 {wd} + 笔试 {we}; 售后: 单量 {wv} + 满意度 {ws} + 态度 {wa} + "
        "日志周报 {wr} + 规章 {wu} + 协作 {wt}, 另加建议加分 (封顶 {cap}) 与投诉减分; "
        "绩效工资 = {base} 元 × 总分 / 100。",
        "r_no_data": "没有找到 {period} 的考核数据。",
        "r_period_fallback": "{asked} 无考核数据, 改为显示最近的考核月份 {used}。",
        "r_tile_agents": "考核人数",
        "r_tile_avg": "{role}平均分",
        "r_tile_pay": "绩效工资合计",
        "r_tile_red": "红线",
        "r_tile_improve": "整改",
        "r_tile_bonus": "季度奖励",
        "r_ranking": "{role}排名与绩效工资",
        "r_ranking_note": "按总分从高到低, 同分同名次 (1, 2, 2, 4)。绿色 = 第一名, 橙色 = 末 {n} 位, 红色 = 红线。",
        "r_lists": "处理名单",
        "r_due_note": "整改方案须在 {due} 前提交 (通报日 {bulletin} 后 {days} 天)。",
        "r_roster": "花名册核对",
        "r_roster_note": "以下差异已在数据质量报告中列出, 此处仅供对照。",
        "r_teams": "各组对比",
        "r_distribution": "分数分布",
        "r_trends": "个人走势",
        "r_trends_note": "每人一格, 显示各月总分; 虚线为同岗位中位数。",
        "r_deductions": "扣分明细",
        "r_deductions_note": "每人每项的扣分 (负) 与加分 (正), 未加权的原始分值。",
        "r_chart_subset": "图中显示 {shown} / {total} 人 (各岗位前后各半及红线人员); 完整名单见上表与 scorecards.xlsx。",
        "r_deductions_subset": "图中显示扣分最多的 {shown} / {total} 人; 每人的扣分明细见排名表的说明列。",
        "r_year": "{year} 年终考评",
        "r_year_note": "各月总分、平均分、最好与最差月份、绩效工资合计。",
        "r_files": "已写出: {files}",
        "c_rank": "名次",
        "c_agent_id": "工号",
        "c_name": "姓名",
        "c_team": "组",
        "c_role": "岗位",
        "c_total": "总分",
        "c_pay": "绩效工资 (元)",
        "c_flags": "标记",
        "c_explanation": "扣分与加分说明",
        "c_list": "名单",
        "c_amount": "金额 (元)",
        "c_due_date": "截止日期",
        "c_reason": "原因",
        "c_issue": "问题",
        "c_agents": "人数",
        "c_leader": "组长",
        "c_mean": "平均分",
        "c_min": "最低",
        "c_max": "最高",
        "c_months": "月数",
        "c_average": "平均分",
        "c_best": "最好月份",
        "c_worst": "最差月份",
        "c_pay_total": "绩效工资合计 (元)",
        "c_bonus_total": "奖励合计 (元)",
        "c_streak_top": "连续第一 (月)",
        "c_streak_bottom": "连续末位 (月)",
        "c_period": "期间",
        "c_bonus_line": "季度奖励 (元)",
        "c_pay_due": "应发合计 (元)",
        "sheet_lists": "处理名单",
        "sheet_year": "年终考评",
        "f_red_line": "红线",
        "f_tie": "同分",
        "f_bottom_n": "末位",
        "f_top_streak": "连续第一",
        "f_bottom_streak": "连续末位",
        "f_callbacks_scaled": "回访折算",
        "f_no_callbacks": "无回访",
        "f_floor": "封底",
        "f_cap": "封顶",
        "f_not_in_roster": "不在花名册",
        "f_grade_missing": "缺评级",
        "f_exam_missing": "缺笔试",
        "f_blank_as_zero": "空白计 0",
        "f_not_scored": "部分项目未计分",
        "issue_not_in_roster": "有考核, 不在花名册",
        "issue_no_scorecard": "在花名册, 无考核",
        "issue_role_mismatch": "岗位与花名册不符",
        "x_blank_zero": "空白按 0 计",
        "x_qa_code": "质检扣分项",
        "x_qa_count": "质检次数",
        "x_not_scored": "未计分: {items}",
        "x_rescaled": "其余权重 ÷ {sum} 折算为合计 100%",
        "status_scored": "已计分",
        "status_to_check": "待核实",
        "why_blank_score": "{field}空白",
        "why_out_of_range": "{field}「{value}」超出允许范围",
        "why_bad_callback": "回访记录中有空白或无效的评价「{value}」",
        "why_qa_only": "只在质检记录中出现, 没有考核表行 ({field}无从得知)",
        "why_missing_column": "没有{field}的列",
        "why_duplicate": "同月有两行 (另见 {value})",
        "why_both_roles": "同月既在售前又在售后 (另见 {value})",
        "why_no_scorecard": "在花名册, 本月无考核记录",
        "at": "{file} · {sheet} · 第 {row} 行",
        "r_to_check": "待核实",
        "r_to_check_note": "以下专员本月不排名、不计发绩效工资、不进处理名单, 直到数据改正后重新生成通报: "
        "空白或超出范围的分数、同月两行或同时在两个岗位; 花名册中有人却没有考核记录的也列在这里。"
        "空白的扣分、加分与投诉次数按 0 次计; 笔试、评级、单量、回访次数空白则不计分。",
        "c_status": "状态",
        "c_where": "位置",
    },
    "en": {
        "x_exam": "exam",
        "x_business": "business",
        "x_discipline": "discipline",
        "x_floor": "floored at 0",
        "x_red_line": "red line",
        "x_tickets": "tickets",
        "x_team_avg": "team avg",
        "x_role_avg": "role avg",
        "x_callbacks": "callbacks",
        "x_n_callbacks": "calls",
        "x_no_callbacks": "no callbacks 0",
        "x_attitude": "attitude",
        "x_teamwork": "teamwork",
        "x_late_reports": "late reports",
        "x_reports": "reports",
        "x_violations": "violations",
        "x_rules": "rules",
        "x_suggestions": "suggestions",
        "x_cap": "capped",
        "x_complaints": "complaints",
        "x_missing": "missing",
        "x_total": "total",
        "role_presales": "Pre-sales agents",
        "role_aftersales": "After-sales agents",
        "business": "Business",
        "discipline": "Discipline",
        "exam": "Exam",
        "volume": "Volume",
        "satisfaction": "Satisfaction",
        "attitude": "Attitude",
        "reports": "Reports on time",
        "rules": "Rules",
        "teamwork": "Teamwork",
        "bonus": "Suggestion bonus",
        "penalty": "Complaint penalty",
        "list_red_line": "Red line · dismissal review",
        "list_improvement": "Bottom · improvement plan",
        "list_bonus": "First place streak · bonus",
        "list_transfer": "Last place streak · transfer review",
        "reason_red_line": "red-line items {items}",
        "reason_improvement": "rank {rank} of {n} this month",
        "reason_bonus": "first place {months} months running",
        "reason_transfer": "last place {months} months running",
        # report (notebooks/reports/20_scorecards.ipynb)
        "r_title": "Monthly scorecard bulletin",
        "r_intro": "Each agent's score, rank and performance pay for the month; every deduction and "
        "bonus is listed with its arithmetic so it can be checked by hand. Rules come from the rules "
        "file (defaults.toml / the data folder's config.toml); each month is scored by its own rules.",
        "r_rules": "Pre-sales: business {wb} + discipline {wd} + exam {we}; after-sales: volume {wv} + "
        "satisfaction {ws} + attitude {wa} + reports {wr} + rules {wu} + teamwork {wt}, plus the "
        "suggestion bonus (capped at {cap}) and complaint penalty; pay = {base} CNY × total / 100.",
        "r_no_data": "No scorecards found for {period}.",
        "r_period_fallback": "{asked} has no scorecards; showing the latest scored month {used}.",
        "r_tile_agents": "Agents scored",
        "r_tile_avg": "{role} average",
        "r_tile_pay": "Performance pay",
        "r_tile_red": "Red line",
        "r_tile_improve": "Improvement plans",
        "r_tile_bonus": "Streak bonuses",
        "r_ranking": "{role}: ranking and pay",
        "r_ranking_note": "Highest total first; ties share a rank (1, 2, 2, 4). Green = first, "
        "orange = bottom {n}, red = red line.",
        "r_lists": "Action lists",
        "r_due_note": "Improvement plans are due by {due} ({days} days after the bulletin of {bulletin}).",
        "r_roster": "Roster check",
        "r_roster_note": "These differences are also in the data-quality report; shown here for reference.",
        "r_teams": "Team comparison",
        "r_distribution": "Score distribution",
        "r_trends": "Trends per agent",
        "r_trends_note": "One panel per agent with the total by month; dashed: the role median.",
        "r_deductions": "Deduction breakdown",
        "r_deductions_note": "Points lost (negative) and gained (positive) per item, unweighted.",
        "r_chart_subset": "The chart shows {shown} of {total} agents (the best and worst of each role and every red-line case); the table above and scorecards.xlsx list everyone.",
        "r_deductions_subset": "The chart shows the {shown} of {total} agents who lost the most points; every agent's deductions are in the explanation column of the ranking table.",
        "r_year": "{year} year-end review",
        "r_year_note": "Monthly totals, average, best and worst month, total performance pay.",
        "r_files": "Written: {files}",
        "c_rank": "Rank",
        "c_agent_id": "Agent ID",
        "c_name": "Name",
        "c_team": "Team",
        "c_role": "Role",
        "c_total": "Total",
        "c_pay": "Pay (CNY)",
        "c_flags": "Flags",
        "c_explanation": "Deductions and bonuses",
        "c_list": "List",
        "c_amount": "Amount (CNY)",
        "c_due_date": "Due",
        "c_reason": "Reason",
        "c_issue": "Issue",
        "c_agents": "Agents",
        "c_leader": "Leader",
        "c_mean": "Average",
        "c_min": "Lowest",
        "c_max": "Highest",
        "c_months": "Months",
        "c_average": "Average",
        "c_best": "Best month",
        "c_worst": "Worst month",
        "c_pay_total": "Pay total (CNY)",
        "c_bonus_total": "Bonus total (CNY)",
        "c_streak_top": "First streak (months)",
        "c_streak_bottom": "Last streak (months)",
        "c_period": "Period",
        "c_bonus_line": "Streak bonus (CNY)",
        "c_pay_due": "Pay due (CNY)",
        "sheet_lists": "Action lists",
        "sheet_year": "Year-end review",
        "f_red_line": "red line",
        "f_tie": "tie",
        "f_bottom_n": "bottom",
        "f_top_streak": "first streak",
        "f_bottom_streak": "last streak",
        "f_callbacks_scaled": "callbacks scaled",
        "f_no_callbacks": "no callbacks",
        "f_floor": "floored",
        "f_cap": "capped",
        "f_not_in_roster": "not in roster",
        "f_grade_missing": "grade missing",
        "f_exam_missing": "exam missing",
        "f_blank_as_zero": "blank scored 0",
        "f_not_scored": "items not scored",
        "issue_not_in_roster": "scored, not in the roster",
        "issue_no_scorecard": "in the roster, no scorecard",
        "issue_role_mismatch": "role differs from the roster",
        "x_blank_zero": "blank, scored as 0",
        "x_qa_code": "QA item code",
        "x_qa_count": "QA count",
        "x_not_scored": "not scored: {items}",
        "x_rescaled": "remaining weights ÷ {sum} to sum to 100%",
        "status_scored": "scored",
        "status_to_check": "to be checked",
        "why_blank_score": "{field} blank",
        "why_out_of_range": "{field} '{value}' out of range",
        "why_bad_callback": "callback log has a blank or invalid grade '{value}'",
        "why_qa_only": "only in the QA log, no scorecard row ({field} unknown)",
        "why_missing_column": "no {field} column",
        "why_duplicate": "listed twice this month (also {value})",
        "why_both_roles": "in both roles this month (also {value})",
        "why_no_scorecard": "on the roster, no scorecard this month",
        "at": "{file} · {sheet} · row {row}",
        "r_to_check": "To be checked (待核实)",
        "r_to_check_note": "These agents are not ranked, not paid and on no action list this month "
        "until the data is corrected and the bulletin rerun: a blank or out-of-range score, two rows "
        "in one month or a scorecard in both roles; roster agents without a scorecard are listed "
        "too. Blank deduction, suggestion and complaint counts count as 0; a blank exam, grade, "
        "ticket count or callback count is not scored.",
        "c_status": "Status",
        "c_where": "Location",
    },
}

MINUS = "−"  # U+2212, as the bulletin prints it


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


class _Num:
    """A number part of an explanation: 8.0 → "8", 61.666 → "61.67"."""

    def __init__(self, values: np.ndarray | pd.Series, *, signed: bool = False) -> None:
        self.values = np.asarray(values, dtype=float)
        self.signed = signed


def _num_text(values: np.ndarray, signed: bool) -> pa.Array:
    arr = np.round(values, 2) + 0.0  # + 0.0 turns -0.0 into 0.0
    text = pc.cast(pa.array(np.abs(arr) if signed else arr), pa.string())
    if not signed:
        return text
    sign = pa.array(np.where(arr < 0, MINUS, np.where(arr > 0, "+", "")))
    return pc.binary_join_element_wise(sign, text, "")


def _sgn(values: np.ndarray | pd.Series) -> _Num:
    """Signed points: −8, +15, 0."""
    return _Num(values, signed=True)


Part = str | _Num | pa.Array


class _Text:
    """Explanation pieces collected per rule item and joined per row in one Arrow pass.

    Why: 24,000 rows × 30 items must not cost 720,000 Python string operations. Each piece is
    built only for the rows where it applies (``mask``), with Arrow's vectorised string kernels,
    and the pieces of a row are joined with ``sep`` through one list array.
    """

    def __init__(self, n: int) -> None:
        self.n = n
        self.rows: list[np.ndarray] = []
        self.texts: list[pa.Array] = []

    def add(self, mask: np.ndarray | pd.Series | bool, *parts: Part) -> None:
        pos = np.flatnonzero(np.broadcast_to(np.asarray(mask, dtype=bool), (self.n,)))
        if not len(pos):
            return
        cols: list[Any] = []
        for part in parts:
            if isinstance(part, str):
                cols.append(part)
            elif isinstance(part, _Num):
                cols.append(_num_text(part.values[pos], part.signed))
            else:
                cols.append(part.take(pa.array(pos)))
        if all(isinstance(c, str) for c in cols):
            text = pa.array(["".join(cols)] * len(pos), type=pa.string())
        else:
            text = pc.binary_join_element_wise(*cols, "")
        self.rows.append(pos)
        self.texts.append(text)

    def join(self, sep: str = "; ") -> pa.Array:
        if not self.rows:
            return pa.array([""] * self.n, type=pa.string())
        rows = np.concatenate(self.rows)
        order = np.argsort(rows, kind="stable")  # pieces keep the order they were added in
        values = pa.concat_arrays(self.texts).take(pa.array(order))
        offsets = np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=self.n))]).astype(
            np.int32
        )
        return pc.binary_join(pa.ListArray.from_arrays(pa.array(offsets), values), sep)

    def series(self, index: pd.Index, sep: str = "; ") -> pd.Series:
        return _to_series(self.join(sep), index)


def _to_series(arr: pa.Array, index: pd.Index) -> pd.Series:
    return pd.Series(arr.to_numpy(zero_copy_only=False), index=index, dtype="str")


def _strings(values: pd.Series) -> pa.Array:
    """A text column as an Arrow string array (missing → "")."""
    return pa.array(values.astype("str").fillna("").to_numpy(dtype=object), type=pa.string())


def _flag_text(flags: pd.DataFrame) -> pd.Series:
    """Boolean ``flag_*`` columns → "red_line;tie" (vectorised)."""
    text = _Text(len(flags))
    for name in FLAGS:
        if f"flag_{name}" in flags:
            text.add(flags[f"flag_{name}"].fillna(False).to_numpy(dtype=bool), name)
    return text.series(flags.index, sep=";")


def _ids(frame: pd.DataFrame) -> pd.DataFrame:
    out = pd.DataFrame(index=frame.index)
    for col in ("period", "agent_id", "name"):
        out[col] = (
            frame[col].astype("str")
            if col in frame
            else pd.Series(pd.NA, index=frame.index, dtype="str")
        )
    return out


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


def _not_scored_text(
    text: _Text, t: Any, not_scored: set[str], comps: list[str], wsum: float
) -> None:
    if not not_scored:
        return
    names = "、".join(t(c) for c in comps + ["bonus", "penalty"] if c in not_scored)
    text.add(True, t("x_not_scored", items=names))
    if not_scored & set(comps):
        text.add(True, t("x_rescaled", sum=f"{wsum:g}"))


def score_presales(
    frame: pd.DataFrame, rules: Mapping[str, Any], *, lang: str = "zh"
) -> pd.DataFrame:
    """Score pre-sales agents (售前专员) with one month's rules.

    Business (业务) and discipline (纪律) start at ``start`` and lose ``count × points`` per item,
    never below 0; B12 costs ``b12.first`` the first time and ``b12.later`` each further time;
    red-line items (R1, R2) cost nothing but flag the agent for dismissal review.
    A blank exam is not a score: the row is ``to_check`` (待核实) unless ``blank_as_zero``;
    components in ``not_scored`` are left out and the other weights rescaled to sum to 1.
    Returns ``period, agent_id, name, business, discipline, exam, total, explanation, status,
    check`` and boolean ``flag_*`` columns (red_line, floor, exam_missing, blank_as_zero,
    not_scored); ``total`` is NaN where ``status`` is ``to_check``.
    """
    t = translator(lang, LABELS)
    r = _role_rules(rules, "presales")
    idx = frame.index
    start = float(r.get("start", 100))
    not_scored = {str(c) for c in r.get("not_scored", [])}
    zero = bool(r.get("blank_as_zero", False))
    w, wsum = _weights(r.get("weights", {}), PRESALES_COMPONENTS, not_scored)
    b12 = r.get("b12", {})
    b12_code = "B12" if b12 else None
    red = [str(c) for c in r.get("red_line", [])]
    b_codes = [str(c) for c in r.get("business_points", {})]
    d_codes = [str(c) for c in r.get("discipline_points", {}) if c != b12_code]
    b_pts = np.array([float(r["business_points"][c]) for c in b_codes])
    d_pts = np.array([float(r["discipline_points"][c]) for c in d_codes])

    cb = _counts(frame, b_codes)
    cd = _counts(frame, d_codes)
    n12 = _col(frame, "B12") if b12_code else np.zeros(len(frame))
    ded12 = np.where(n12 > 0, float(b12.get("first", 0)), 0.0) + np.maximum(n12 - 1, 0) * float(
        b12.get("later", 0)
    )
    red_counts = _counts(frame, red)

    business_raw = start - cb @ b_pts
    discipline_raw = start - cd @ d_pts - ded12
    business = np.maximum(business_raw, 0.0)
    discipline = np.maximum(discipline_raw, 0.0)
    exam_raw = (
        pd.to_numeric(frame["exam"], errors="coerce")
        if "exam" in frame
        else pd.Series(np.nan, index=idx)
    )
    check = _blocking(_tokens(frame), not_scored)
    exam_scored = "exam" not in not_scored
    exam_missing = (
        exam_raw.isna().to_numpy() & exam_scored & ~check.str.contains(":exam:", regex=False)
    )
    if not zero:
        check = _add_token(check, exam_missing, "blank_score:exam:")
    exam = exam_raw.fillna(0.0).to_numpy(dtype=float)

    total = (
        w.get("business", 0.0) * business
        + w.get("discipline", 0.0) * discipline
        + w.get("exam", 0.0) * exam
    )
    to_check = check.ne("").to_numpy()

    # explanation: "A7×2 −8; B1×1 −3; B12×2 −15; R1×1 红线; 业务 封底 0; 笔试 80"
    text = _Text(len(idx))
    for codes, counts, pts, comp in (
        (b_codes, cb, b_pts, "business"),
        (d_codes, cd, d_pts, "discipline"),
    ):
        if comp in not_scored:
            continue
        for j, code in enumerate(codes):
            n = counts[:, j]
            text.add(n > 0, f"{code}×", _Num(n), " ", _sgn(-n * pts[j]))
        if b12_code and comp == "discipline":
            text.add(n12 > 0, "B12×", _Num(n12), " ", _sgn(-ded12))
    for j, code in enumerate(red):
        n = red_counts[:, j]
        text.add(n > 0, f"{code}×", _Num(n), f" {t('x_red_line')}")
    if "business" not in not_scored:
        text.add(business_raw < 0, f"{t('x_business')} {t('x_floor')}")
    if "discipline" not in not_scored:
        text.add(discipline_raw < 0, f"{t('x_discipline')} {t('x_floor')}")
    if exam_scored:
        text.add(~exam_raw.isna().to_numpy(), f"{t('x_exam')} ", _Num(exam))
        text.add(exam_missing, f"{t('x_exam')} {t('x_blank_zero') if zero else t('x_missing')}")
    _not_scored_text(text, t, not_scored, PRESALES_COMPONENTS, wsum)

    def shown(values: np.ndarray, comp: str) -> np.ndarray:
        return np.full(len(idx), np.nan) if comp in not_scored else np.round(values, 2)

    return _ids(frame).assign(
        business=shown(business, "business"),
        discipline=shown(discipline, "discipline"),
        exam=np.where(exam_missing & ~zero, np.nan, shown(exam, "exam")),
        total=np.where(to_check, np.nan, np.round(total, 2)),
        explanation=text.series(idx),
        status=_status(to_check, idx),
        check=check,
        flag_red_line=(red_counts > 0).any(axis=1) if red else np.zeros(len(idx), dtype=bool),
        flag_floor=((business_raw < 0) & ("business" not in not_scored))
        | ((discipline_raw < 0) & ("discipline" not in not_scored)),
        flag_exam_missing=exam_missing & zero,
        flag_blank_as_zero=exam_missing & zero,
        flag_not_scored=np.full(len(idx), bool(not_scored & set(PRESALES_COMPONENTS))),
    )


def score_aftersales(
    frame: pd.DataFrame,
    rules: Mapping[str, Any],
    *,
    roster: pd.DataFrame | None = None,
    lang: str = "zh",
) -> pd.DataFrame:
    """Score after-sales agents (售后专员) with one month's rules.

    Volume is tickets / the average of the agent's team (from ``frame['team']`` or the roster) ×
    100, falling back to the average of all after-sales agents that month when the agent has no
    team (flag ``not_in_roster``); the average is over readable ticket counts, leaving out rows
    listed twice. Satisfaction is the callback points summed and scaled to ``callbacks_expected``
    when the month has a different number (flag ``callbacks_scaled``).
    A blank ticket count, blank callbacks (all four grades) or a blank attitude/teamwork grade is
    not a score: the row is ``to_check`` (待核实) unless ``blank_as_zero``. Components in
    ``not_scored`` are left out and the other weights rescaled to sum to 1 (bonus and penalty are
    added, not weighted: not scored, they are 0).
    The total is raised to ``pay.total_floor`` when ``rules`` carries a pay section (flag ``floor``).
    Returns ``period, agent_id, name, team, <components>, total, explanation, status, check`` and
    ``flag_*``; ``total`` is NaN where ``status`` is ``to_check``.
    """
    t = translator(lang, LABELS)
    r = _role_rules(rules, "aftersales")
    idx = frame.index
    n_rows = len(frame)
    not_scored = {str(c) for c in r.get("not_scored", [])}
    zero = bool(r.get("blank_as_zero", False))
    w, wsum = _weights(r.get("weights", {}), AFTERSALES_COMPONENTS[:6], not_scored)
    ids = _ids(frame)
    check = _blocking(_tokens(frame), not_scored)
    blanks = np.zeros(n_rows, dtype=bool)

    def blank(mask: np.ndarray, comp: str, fld: str) -> np.ndarray:
        """Blank cells of a scored component without another finding on it."""
        nonlocal check, blanks
        mask = np.asarray(mask, dtype=bool) & (comp not in not_scored)
        fields = "|".join(f for f, c in FIELD_COMPONENT.items() if c == comp)
        if mask.any() and check.ne("").any():
            mask &= ~check.str.contains(rf":(?:{fields}|{comp}):", regex=True).to_numpy()
        if zero:
            blanks |= mask
        else:
            check = _add_token(check, mask, f"blank_score:{fld}:")
        return mask

    # team for the volume average
    if "team" in frame:
        team = frame["team"].astype("str")
    elif roster is not None and len(roster):
        ros = roster.assign(agent_id=roster["agent_id"].astype("str")).drop_duplicates("agent_id")
        team = ids["agent_id"].map(ros.set_index("agent_id")["team"]).astype("str")
    else:
        team = pd.Series(pd.NA, index=idx, dtype="str")
    no_team = team.isna().to_numpy()
    tickets_raw = (
        pd.to_numeric(frame["tickets"], errors="coerce")
        if "tickets" in frame
        else pd.Series(np.nan, index=idx)
    )
    tickets_blank = blank(tickets_raw.isna().to_numpy(), "volume", "tickets")
    tickets = tickets_raw.fillna(0.0).to_numpy(dtype=float)
    twice = check.str.contains(r"(?:^|;)(?:duplicate|both_roles):", regex=True)
    counted = pd.Series(tickets, index=idx).where(
        (tickets_raw.notna() | (tickets_blank & zero)) & ~twice
    )
    period = ids["period"]
    team_avg = counted.groupby([period, team], dropna=False).transform("mean")
    role_avg = counted.groupby(period, dropna=False).transform("mean")
    avg = np.where(no_team, role_avg.to_numpy(), team_avg.to_numpy())
    with np.errstate(divide="ignore", invalid="ignore"):
        volume = np.where(avg > 0, tickets / avg * 100.0, 0.0)

    # satisfaction from callbacks
    grades = list(r.get("callback_points", {}))
    cb_pts = np.array([float(r["callback_points"][g]) for g in grades])
    cb_cols = [f"cb_{g}" for g in grades]
    cb_raw = frame.reindex(columns=cb_cols).apply(pd.to_numeric, errors="coerce")
    cb_raw = cb_raw.to_numpy(dtype=float).reshape(n_rows, len(cb_cols))
    cb_blank = blank(np.isnan(cb_raw).all(axis=1), "satisfaction", "satisfaction")
    cb = np.nan_to_num(cb_raw, nan=0.0)
    n_cb = cb.sum(axis=1)
    raw_sum = cb @ cb_pts
    expected = float(r.get("callbacks_expected", 20))
    with np.errstate(divide="ignore", invalid="ignore"):
        satisfaction = np.where(n_cb > 0, raw_sum * expected / n_cb, 0.0)
    scaled = (n_cb > 0) & (n_cb != expected)
    no_cb = n_cb == 0

    # graded components
    def grade(col: str, table: Mapping[str, Any]) -> tuple[np.ndarray, pd.Series, np.ndarray]:
        nonlocal check
        g = (
            frame[col].astype("str").str.strip().str.upper()
            if col in frame
            else pd.Series(pd.NA, index=idx, dtype="str")
        )
        g = g.where(g.ne(""))
        pts = g.map({str(k): float(v) for k, v in table.items()}).astype(float)
        unknown = (g.notna() & pts.isna()).to_numpy() & (col not in not_scored)
        if unknown.any():
            unknown &= ~check.str.contains(f":{col}:", regex=False).to_numpy()
        for r_i in np.flatnonzero(unknown):
            check.iloc[r_i] = ";".join(
                x for x in (check.iloc[r_i], f"out_of_range:{col}:{g.iloc[r_i]}") if x
            )
        missing = blank(g.isna().to_numpy(), col, col)
        return pts.fillna(0.0).to_numpy(), g.fillna(t("x_missing")), missing

    attitude, att_grade, att_missing = grade("attitude", r.get("attitude_grades", {}))
    teamwork, tw_grade, tw_missing = grade("teamwork", r.get("teamwork_grades", {}))

    late = _col(frame, "late_reports")
    viol = _col(frame, "violations")
    sugg = _col(frame, "suggestions") if "bonus" not in not_scored else np.zeros(n_rows)
    compl = _col(frame, "complaints") if "penalty" not in not_scored else np.zeros(n_rows)
    reports_raw = 100.0 - late * float(r.get("late_report_points", 0))
    rules_raw = 100.0 - viol * float(r.get("violation_points", 0))
    reports = np.maximum(reports_raw, 0.0)
    rules_score = np.maximum(rules_raw, 0.0)
    bonus_raw = sugg * float(r.get("suggestion_points", 0))
    cap = float(r.get("suggestion_cap", np.inf))
    bonus = np.minimum(bonus_raw, cap)
    penalty = -compl * float(r.get("complaint_points", 0))

    comps = {
        "volume": volume,
        "satisfaction": satisfaction,
        "attitude": attitude,
        "reports": reports,
        "rules": rules_score,
        "teamwork": teamwork,
    }
    total_raw = sum(w.get(k, 0.0) * v for k, v in comps.items()) + bonus + penalty
    total_floor = rules.get("pay", {}).get("total_floor") if "aftersales" in rules else None
    floor = -np.inf if total_floor is None else float(total_floor)
    total = np.maximum(np.round(total_raw, 2), floor)
    to_check = check.ne("").to_numpy()

    # explanation
    on = {c: c not in not_scored for c in AFTERSALES_COMPONENTS}
    blank_word = t("x_blank_zero") if zero else t("x_missing")
    text = _Text(n_rows)
    avg_label = pa.array(np.where(no_team, t("x_role_avg"), t("x_team_avg")).astype(object))
    if on["volume"]:
        text.add(
            ~tickets_blank | zero,
            f"{t('x_tickets')} ",
            _Num(tickets),
            " / ",
            avg_label,
            " ",
            _Num(avg),
            " = ",
            _Num(volume),
        )
        text.add(tickets_blank & zero, f"{t('x_tickets')} {t('x_blank_zero')}")
    if on["satisfaction"]:
        by_grade = _Text(n_rows)
        for j, g in enumerate(grades):
            by_grade.add(cb[:, j] > 0, f"{g}×", _Num(cb[:, j]), " ", _sgn(cb[:, j] * cb_pts[j]))
        graded = by_grade.join(", ")
        head = f"{t('x_callbacks')} "
        text.add(~no_cb & ~scaled, head, graded, " = ", _sgn(raw_sum))
        text.add(
            scaled, head, _Num(n_cb), f" {t('x_n_callbacks')}: ", graded, " = ", _sgn(raw_sum),
            " → ×", _Num(np.full(n_rows, expected)), "/", _Num(n_cb), " = ", _sgn(satisfaction),
        )  # fmt: skip
        text.add(no_cb & ~cb_blank, f"{t('x_callbacks')} {t('x_no_callbacks')}")
        text.add(cb_blank, f"{t('x_callbacks')} {blank_word}")
    for comp, label, letter, pts, missing in (
        ("attitude", "x_attitude", att_grade, attitude, att_missing),
        ("teamwork", "x_teamwork", tw_grade, teamwork, tw_missing),
    ):
        if on[comp]:
            text.add(~missing, f"{t(label)} ", _strings(letter), " ", _Num(pts))
            text.add(missing, f"{t(label)} {blank_word}")
    if on["reports"]:
        text.add(late > 0, f"{t('x_late_reports')}×", _Num(late), " ", _sgn(reports_raw - 100))
        text.add(reports_raw < 0, f"{t('x_reports')} {t('x_floor')}")
    if on["rules"]:
        text.add(viol > 0, f"{t('x_violations')}×", _Num(viol), " ", _sgn(rules_raw - 100))
        text.add(rules_raw < 0, f"{t('x_rules')} {t('x_floor')}")
    capped = bonus_raw > cap
    text.add((sugg > 0) & ~capped, f"{t('x_suggestions')}×", _Num(sugg), " ", _sgn(bonus_raw))
    text.add(
        capped,
        f"{t('x_suggestions')}×",
        _Num(sugg),
        " ",
        _sgn(bonus_raw),
        f" → {t('x_cap')} ",
        _sgn(bonus),
    )
    text.add(compl > 0, f"{t('x_complaints')}×", _Num(compl), " ", _sgn(penalty))
    text.add(np.round(total_raw, 2) < floor, f"{t('x_total')} {t('x_floor')}")
    _not_scored_text(text, t, not_scored, AFTERSALES_COMPONENTS[:6], wsum)

    def shown(values: np.ndarray, comp: str) -> np.ndarray:
        return np.full(n_rows, np.nan) if not on[comp] else np.round(values, 2) + 0.0

    return ids.assign(
        team=team,
        volume=np.where(tickets_blank & ~zero, np.nan, shown(volume, "volume")),
        satisfaction=shown(satisfaction, "satisfaction"),
        attitude=np.where(att_missing & ~zero, np.nan, shown(attitude, "attitude")),
        reports=shown(reports, "reports"),
        rules=shown(rules_score, "rules"),
        teamwork=np.where(tw_missing & ~zero, np.nan, shown(teamwork, "teamwork")),
        bonus=shown(bonus, "bonus"),
        penalty=shown(penalty, "penalty"),
        total=np.where(to_check, np.nan, np.round(total, 2)),
        explanation=text.series(idx),
        status=_status(to_check, idx),
        check=check,
        flag_callbacks_scaled=scaled & on["satisfaction"],
        flag_no_callbacks=no_cb & on["satisfaction"],
        flag_floor=((reports_raw < 0) & on["reports"])
        | ((rules_raw < 0) & on["rules"])
        | (np.round(total_raw, 2) < floor),
        flag_cap=capped,
        flag_not_in_roster=no_team,
        flag_grade_missing=(att_missing | tw_missing) & zero,
        flag_blank_as_zero=blanks,
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


def _where(file: pd.Series, sheet: pd.Series, row: pd.Series, t: Any) -> pd.Series:
    """ "file · sheet · 第 N 行" per row ("" where the frame carries no source)."""
    rows = pd.to_numeric(row, errors="coerce")
    text = [
        t("at", file=f, sheet=s, row=int(r)).replace(" ·  · ", " · ") if pd.notna(r) else ""
        for f, s, r in zip(file.fillna(""), sheet.fillna(""), rows, strict=True)
    ]
    return pd.Series(text, index=file.index, dtype="str").str.replace(";", ",", regex=False)


def _mark_twice(frames: dict[str, pd.DataFrame], t: Any) -> dict[str, pd.DataFrame]:
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
        _at=_where(twice["source_file"], twice["source_sheet"], twice["source_row"], t)
    )
    out = {role: f.copy() for role, f in frames.items()}
    for _, grp in twice.groupby(keys, sort=False):
        code = "both_roles" if grp["_role"].nunique() > 1 else "duplicate"
        places = grp["_at"].tolist()
        for k, (_, r) in enumerate(grp.iterrows()):
            others = ", ".join(a for j, a in enumerate(places) if j != k)
            f = out[r["_role"]]
            token = f"{code}:agent_id:{others}"
            old = f.at[r["_i"], "check"]
            f.at[r["_i"], "check"] = f"{old};{token}" if old else token
    return out


def _field_word(fld: str, t: Any) -> str:
    labels = LABELS["zh"]
    if fld in labels:
        return t(fld)
    if f"x_{fld}" in labels:
        return t(f"x_{fld}")
    if fld.startswith("cb_"):
        return f"{t('x_callbacks')} {fld[3:]}"
    return fld


def _reason_text(check: pd.Series, t: Any) -> pd.Series:
    """``check`` tokens → words for people ("笔试空白; 工作态度「F」超出允许范围")."""

    def words(c: str) -> str:
        parts = []
        for tok in dict.fromkeys(x for x in c.split(";") if x):
            code, fld, value = _split(tok)
            parts.append(t(f"why_{code}", field=_field_word(fld, t), value=value))
        return "; ".join(parts)

    out = pd.Series("", index=check.index, dtype="str")
    busy = check.ne("")
    if busy.any():
        out[busy] = [words(c) for c in check[busy]]
    return out


def build_scorecards(
    presales: pd.DataFrame | None,
    aftersales: pd.DataFrame | None,
    roster: pd.DataFrame | None,
    cfg: Mapping[str, Any],
    *,
    lang: str = "zh",
) -> pd.DataFrame:
    """Every month present, each scored with its own rules, ranked within role, paid, flagged.

    Returns :data:`SCORECARD_COLUMNS`, sorted by period, role, status, rank. A row that cannot be
    scored as read (a blank or invalid input, the same agent twice in a month or in both roles)
    has ``status`` "to_check" (待核实) and a ``reason``; it gets no total, rank or pay and takes no
    place in the month's ranking, streaks or lists. Roster agents with no scorecard and
    scorecards of agents not in the roster are the loader's data-quality findings (and
    :func:`to_check_list`); an agent missing from the roster keeps its row (team blank, flag
    ``not_in_roster``).
    """
    t = translator(lang, LABELS)
    periods = _periods(presales, aftersales)
    rules_by_period = {p: month_rules(cfg, p) for p in periods}
    have_roster = roster is not None and len(roster) > 0
    roster = (
        roster
        if roster is not None
        else pd.DataFrame(columns=["agent_id", "name", "team", "role", "leader"])
    )
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
    if not frames:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in SCORECARD_COLUMNS})
    frames = _mark_twice(frames, t)

    parts: list[pd.DataFrame] = []
    for role, frame in frames.items():
        for p, month in frame.groupby("period", sort=True):
            rules = rules_by_period[p]
            if role == "presales":
                scored = score_presales(month, rules, lang=lang).assign(team=month["team"])
                scored = scored.assign(flag_not_in_roster=scored["team"].isna().to_numpy())
            else:
                scored = score_aftersales(month, rules, lang=lang)
            if not have_roster:  # no roster at all: nothing to be missing from
                scored = scored.assign(flag_not_in_roster=False)
            parts.append(
                scored.assign(
                    role=role,
                    reason=_reason_text(scored["check"], t),
                    source_file=month["source_file"],
                    source_sheet=month["source_sheet"],
                    source_row=month["source_row"],
                )
            )

    table = pd.concat(parts, ignore_index=True)
    ok = table["status"].eq("scored")
    base = table["period"].map(
        {p: float(r["pay"].get("base", 0)) for p, r in rules_by_period.items()}
    )
    bottom_n = table["period"].map(
        {p: int(r["pay"].get("bottom_n", 0)) for p, r in rules_by_period.items()}
    )
    streak_n = table["period"].map(
        {p: int(r["pay"].get("streak_months", 0)) for p, r in rules_by_period.items()}
    )

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
    table = table.assign(flags=_flag_text(table))
    role_order = table["role"].map({r: i for i, r in enumerate(ROLES)})
    return (
        table.assign(_ro=role_order, _st=~ok)
        .sort_values(["period", "_ro", "_st", "rank", "agent_id"], kind="stable")
        .reindex(columns=SCORECARD_COLUMNS)
        .reset_index(drop=True)
    )


def scored(table: pd.DataFrame) -> pd.DataFrame:
    """The rows that are ranked and paid (``status`` "scored"); 待核实 rows left out."""
    if "status" not in table:
        return table
    return table[table["status"].fillna("scored").eq("scored")]


def to_check_list(
    table: pd.DataFrame,
    period: str,
    roster: pd.DataFrame | None = None,
    *,
    lang: str = "zh",
) -> pd.DataFrame:
    """The bulletin's 待核实 list for ``period``: every row not scored, with the reason and place.

    Also lists roster agents with no scorecard that month (in a role that has scorecards), so
    nobody goes unpaid without a line saying so. Columns ``role, agent_id, name, reason, where``.
    """
    t = translator(lang, LABELS)
    cols = ["role", "agent_id", "name", "reason", "source_file", "source_sheet", "source_row"]
    month = table[table["period"].astype("str") == str(period)]
    out = month.loc[month["status"].eq("to_check"), cols]
    if roster is not None and len(roster) and len(month):
        ros = roster.assign(agent_id=roster["agent_id"].astype("str"))
        ros = ros[
            ros["role"].isin(month["role"].unique()) & ~ros["agent_id"].isin(month["agent_id"])
        ]
        out = pd.concat(
            [out, ros.assign(reason=t("why_no_scorecard")).reindex(columns=cols)],
            ignore_index=True,
        )
    out = out.assign(
        _ro=out["role"].map({r: i for i, r in enumerate(ROLES)}),
        _row=pd.to_numeric(out["source_row"], errors="coerce"),
        where=_where(out["source_file"], out["source_sheet"], out["source_row"], t),
    )
    return (
        out.sort_values(["_ro", "agent_id", "source_file", "source_sheet", "_row"], kind="stable")[
            ["role", "agent_id", "name", "reason", "where"]
        ]
        .fillna({"name": ""})
        .reset_index(drop=True)
    )


# ---------------------------------------------------------------------------------------------
# consequences, year-end, roster check


def has_flag(table: pd.DataFrame, flag: str) -> pd.Series:
    """Rows whose ``flags`` column names ``flag`` (vectorised)."""
    return table["flags"].fillna("").str.contains(rf"(?:^|;){flag}(?:;|$)", regex=True)


def describe_flags(flags: pd.Series, lang: str = "zh") -> pd.Series:
    """``flags`` codes → words for people ("red_line;tie" → "红线、同分")."""
    t = translator(lang, LABELS)
    sep = "、" if lang == "zh" else ", "
    parts = flags.fillna("").astype("str").str.split(";").explode()
    words = parts.map({f: t(f"f_{f}") for f in FLAGS}).fillna(parts)
    return (
        words.groupby(level=0)
        .agg(lambda w: sep.join(x for x in w if x))
        .reindex(flags.index)
        .fillna("")
    )


def bulletin_date(period: str) -> dt.date:
    """Default bulletin date: the first day of the month after ``period``."""
    year, month = (int(x) for x in str(period).split("-")[:2])
    return dt.date(year + month // 12, month % 12 + 1, 1)


def consequences(
    table: pd.DataFrame,
    cfg: Mapping[str, Any],
    period: str,
    *,
    presales: pd.DataFrame | None = None,
    bulletin: str | dt.date | None = None,
    lang: str = "zh",
) -> pd.DataFrame:
    """The bulletin's lists for ``period``: red line, improvement plan, bonus, transfer review.

    - ``red_line``: any red-line item this month → dismissal review, whatever the score (also
      for a 待核实 row: a blank exam does not hide a red line). Every other list: scored rows only.
    - ``improvement``: bottom N of the role (ties at the boundary included), due
      ``improvement_due_days`` after the bulletin (default bulletin: 1st of the next month).
    - ``bonus``: first place for a multiple of ``streak_months`` months running → ``top_streak_bonus``
      元 (one bonus per completed quarter, not every month after the third).
    - ``transfer``: last place ``streak_months`` or more months running → transfer review (调岗).
    ``presales`` (the input counts) lets the red-line reason name the items.
    """
    t = translator(lang, LABELS)
    pay = scorecard_rules(cfg, period)["pay"]
    streak_n = int(pay.get("streak_months", 3))
    when = bulletin_date(period) if bulletin is None else pd.Timestamp(bulletin).date()
    due = when + dt.timedelta(days=int(pay.get("improvement_due_days", 7)))
    everyone = table[table["period"] == str(period)]
    month = scored(everyone)  # 待核实 rows: on no list but the red line (whatever the score)
    n_role = month.groupby("role")["agent_id"].transform("size")
    base = everyone[["period", "agent_id", "name", "team", "role", "total", "rank", "pay"]]

    red = everyone[has_flag(everyone, "red_line")]
    red_reason = pd.Series(t("reason_red_line", items=""), index=red.index, dtype="str")
    if presales is not None and len(red):
        codes = [str(c) for c in scorecard_rules(cfg, period)["presales"].get("red_line", [])]
        src = presales[presales["period"].astype("str") == str(period)].assign(
            agent_id=lambda d: d["agent_id"].astype("str")
        )
        src = src.groupby("agent_id")[[c for c in codes if c in src]].sum()
        text = _Text(len(src))
        for c in src.columns:
            text.add(src[c].to_numpy() > 0, f"{c}×", _Num(src[c].to_numpy()))
        items = text.series(src.index, sep=", ")
        red_reason = (
            red["agent_id"]
            .map(items)
            .fillna("")
            .astype("str")
            .map(lambda s: t("reason_red_line", items=s))
        )
    lists = [
        base.loc[red.index].assign(
            list="red_line", amount=np.nan, due_date=pd.NA, reason=red_reason.str.strip()
        ),
    ]
    imp = month[has_flag(month, "bottom_n")]
    lists.append(
        base.loc[imp.index].assign(
            list="improvement",
            amount=np.nan,
            due_date=due.isoformat(),
            reason=[
                t("reason_improvement", rank=r, n=n)
                for r, n in zip(imp["rank"], n_role.loc[imp.index], strict=True)
            ],
        )
    )
    bon = month[
        (month["streak_top_months"] >= streak_n)
        & (month["streak_top_months"] % max(streak_n, 1) == 0)
        & (streak_n > 0)
    ]
    lists.append(
        base.loc[bon.index].assign(
            list="bonus",
            amount=float(pay.get("top_streak_bonus", 0)),
            due_date=pd.NA,
            reason=[t("reason_bonus", months=m) for m in bon["streak_top_months"]],
        )
    )
    tra = month[has_flag(month, "bottom_streak")]
    lists.append(
        base.loc[tra.index].assign(
            list="transfer",
            amount=np.nan,
            due_date=pd.NA,
            reason=[t("reason_transfer", months=m) for m in tra["streak_bottom_months"]],
        )
    )
    cols = [
        "list",
        "period",
        "agent_id",
        "name",
        "team",
        "role",
        "total",
        "rank",
        "pay",
        "amount",
        "due_date",
        "reason",
    ]
    return pd.concat([x.reindex(columns=cols) for x in lists], ignore_index=True).astype(
        {"due_date": "str"}
    )


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


def deductions(
    presales: pd.DataFrame | None,
    aftersales: pd.DataFrame | None,
    cfg: Mapping[str, Any],
    period: str,
) -> pd.DataFrame:
    """Each agent's points lost (negative) or gained (positive) per item for ``period``, long format.

    Columns ``agent_id, name, role, item, count, points``; raw component points as in the
    explanation (A7×2 → −8 business points), before weighting. Used for the breakdown chart.
    """
    rules = scorecard_rules(cfg, period)
    parts: list[pd.DataFrame] = []
    if presales is not None and len(presales):
        r = rules["presales"]
        m = presales[presales["period"].astype("str") == str(period)]
        pts = {
            **r.get("business_points", {}),
            **{k: v for k, v in r.get("discipline_points", {}).items() if k != "B12"},
        }
        codes = [c for c in pts if c in m]
        long = m.melt(
            id_vars=["agent_id", "name"], value_vars=codes, var_name="item", value_name="count"
        )
        long = long.assign(count=pd.to_numeric(long["count"], errors="coerce").fillna(0))
        long = long.assign(points=-long["count"] * long["item"].map(pts).astype(float))
        if "B12" in m and r.get("b12"):
            n = pd.to_numeric(m["B12"], errors="coerce").fillna(0)
            b = r["b12"]
            b12 = m[["agent_id", "name"]].assign(
                item="B12",
                count=n,
                points=-(
                    np.where(n > 0, float(b.get("first", 0)), 0.0)
                    + np.maximum(n - 1, 0) * float(b.get("later", 0))
                ),
            )
            long = pd.concat([long, b12], ignore_index=True)
        parts.append(long.assign(role="presales"))
    if aftersales is not None and len(aftersales):
        r = rules["aftersales"]
        m = aftersales[aftersales["period"].astype("str") == str(period)]
        per = {
            "late_reports": -float(r.get("late_report_points", 0)),
            "violations": -float(r.get("violation_points", 0)),
            "complaints": -float(r.get("complaint_points", 0)),
            "suggestions": float(r.get("suggestion_points", 0)),
            "cb_D": float(r.get("callback_points", {}).get("D", 0)),
        }
        cols = [c for c in per if c in m]
        long = m.melt(
            id_vars=["agent_id", "name"], value_vars=cols, var_name="item", value_name="count"
        )
        long = long.assign(count=pd.to_numeric(long["count"], errors="coerce").fillna(0))
        long = long.assign(points=long["count"] * long["item"].map(per))
        cap = float(r.get("suggestion_cap", np.inf))
        long = long.assign(
            points=np.where(
                long["item"] == "suggestions", np.minimum(long["points"], cap), long["points"]
            )
        )
        parts.append(long.assign(role="aftersales"))
    if not parts:
        return pd.DataFrame(columns=["agent_id", "name", "role", "item", "count", "points"])
    out = pd.concat(parts, ignore_index=True)
    out = out[out["count"] > 0]
    return out.assign(agent_id=out["agent_id"].astype("str"))[
        ["agent_id", "name", "role", "item", "count", "points"]
    ].reset_index(drop=True)
