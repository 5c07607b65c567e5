#!/usr/bin/env python
"""Generate the bundled sample department ``data/sample/`` (客服部, year 2026).

Why: every report, test and demo runs on this folder, so it must look like what a real 客服部
hands over (Chinese layouts, refunds, spending with no plan line, a subtotal that lies, a GBK
export from Chinese Excel) and it must exercise every rule of DOMAIN.md on purpose, not by luck.
The engineered cases are listed in ``ENGINEERED``; after building the data the generator
re-scores it with the rules of ``defaults.toml`` + the sample's ``config.toml`` and fails loudly
if a change to the generator broke one of them.

Run:   .venv/bin/python scripts/make_sample.py [--out DIR]
Deterministic: fixed seed (numpy Generator), fixed workbook properties and fixed zip
timestamps, so two runs give byte-identical files.
"""

from __future__ import annotations

import argparse
import calendar
import csv
import io
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.writer.excel import ExcelWriter

from analysis.config import load_config, scorecard_rules
from analysis.paths import SAMPLE_DATA_DIR
from analysis.scorecard import aftersales_points, presales_points

SEED = 20261124
YEAR = 2026
#: Months with actuals and scorecards (today is 2026-11-24). The plan covers all 12.
ACTUAL_MONTHS = list(range(1, 11))
#: The October ledger comes as a separate GBK CSV export; the xlsx ledger holds Jan-Sep.
CSV_LEDGER_MONTH = 10
#: Workbook properties and zip entry times are pinned so the files are byte-identical per run.
FIXED_TS = datetime(2026, 11, 2, 9, 0, 0)
ZIP_TS = (2026, 11, 2, 9, 0, 0)

SURNAMES = list(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕"
    "丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万钱严武戴"
)
GIVEN = list(
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉琳晨婷雪颖瑶欣怡浩宇轩然博文思佳俊凯帆倩悦晓梦琪子涵雨彤嘉"
)

#: (处, 组, 工号 prefix, size). The first member of each group is its 组长.
GROUPS = [
    ("售前处", "售前一组", "KF01", 10),
    ("售前处", "售前二组", "KF02", 10),
    ("售后处", "售后一组", "KF03", 10),
]

ITEM_TEXT = {
    "A1": "接听不及时",
    "A2": "未用标准问候语",
    "A3": "未报工号",
    "A4": "未用标准结束语",
    "A5": "让客户等待超30秒",
    "A6": "多次让客户等待",
    "A7": "用语不当语气生硬",
    "A8": "对客户使用不文明用语",
    "A9": "答非所问",
    "A10": "未按要求记录",
    "A11": "挂断客户电话",
    "R1": "与客户发生争执",
    "R2": "私自联系技术人员",
    "B1": "迟到早退",
    "B2": "代打卡或被代打卡",
    "B3": "缺勤未按时请假",
    "B4": "值班主管未及时上报",
    "B5": "离岗超10分钟",
    "B6": "事假(天)",
    "B7": "上班玩游戏",
    "B8": "聊非工作QQ微信",
    "B9": "浏览非工作网站",
    "B10": "手机未调振动",
    "B11": "工作区吸烟",
    "B12": "拒不服从工作安排",
}
BUSINESS = [f"A{i}" for i in range(1, 12)]
RED = ["R1", "R2"]
DISCIPLINE = [f"B{i}" for i in range(1, 13)]
PRESALES_ITEMS = BUSINESS + RED + DISCIPLINE
#: Mean occurrences per month for an average agent (R1/R2 only where engineered).
ITEM_RATE = {
    "A1": 0.8, "A2": 0.5, "A3": 0.4, "A4": 0.5, "A5": 0.6, "A6": 0.3, "A7": 0.25, "A8": 0.04,
    "A9": 0.2, "A10": 0.6, "A11": 0.04, "R1": 0.0, "R2": 0.0,
    "B1": 0.4, "B2": 0.03, "B3": 0.03, "B4": 0.0, "B5": 0.3, "B6": 0.5, "B7": 0.04, "B8": 0.15,
    "B9": 0.1, "B10": 0.15, "B11": 0.02, "B12": 0.03,
}  # fmt: skip

AFTERSALES_COLUMNS = [
    "工号", "姓名", "处理单量", "回访A", "回访B", "回访C", "回访D",
    "工作态度", "团队协作", "迟交报告", "违规", "建议采纳", "投诉",
]  # fmt: skip

#: Every deliberately engineered case: (what, month(s), agent(s)). README and tests name them.
ENGINEERED: dict[str, Any] = {
    "presales_tie": ("2026-01", ["KF0105", "KF0203"]),
    "aftersales_tie": ("2026-01", ["KF0302", "KF0306"]),
    "presales_discipline_floor": ("2026-02", "KF0207"),
    "presales_business_floor": ("2026-03", "KF0106"),
    "presales_b12_twice": ("2026-03", "KF0108"),
    "presales_top_streak": (["2026-04", "2026-05", "2026-06"], "KF0104"),
    "presales_red_R1": ("2026-05", "KF0206"),
    "presales_bottom_streak": (["2026-07", "2026-08", "2026-09"], "KF0209"),
    "presales_red_R2": ("2026-09", "KF0110"),
    "presales_seed_example": ("2026-10", "KF0103"),
    "aftersales_bottom_streak": (["2026-02", "2026-03", "2026-04"], "KF0305"),
    "aftersales_violation_floor": ("2026-03", "KF0302"),
    "aftersales_suggestion_cap": ("2026-05", "KF0303"),
    "aftersales_callback_log": ("2026-06", {"KF0304": 14, "KF0309": 17, "KF0301": 22}),
    "aftersales_complaints": ("2026-07", "KF0308"),
    "aftersales_late_floor": ("2026-08", "KF0307"),
}

# ---------------------------------------------------------------------------------------------
# Budget structure: section → plan lines (处, 明细, ledger labels that land on this line).
SECTIONS = [
    ("一、人员成本", "人员成本", [
        ("售前处", "工资", ["工资"]),
        ("售前处", "社保公积金", ["社保", "公积金"]),
        ("售前处", "绩效及补贴", ["绩效工资", "餐补", "通讯补贴", "加班费"]),
        ("售后处", "工资", ["工资"]),
        ("售后处", "社保公积金", ["社保", "公积金"]),
        ("售后处", "绩效及补贴", ["绩效工资", "餐补", "通讯补贴", "加班费"]),
    ]),
    ("二、设备成本", "设备成本", [
        ("售前处", "电脑及耳麦", ["电脑", "耳麦"]),
        ("售前处", "呼叫中心线路", ["话务线路费"]),
        ("售后处", "电脑及耳麦", ["电脑", "耳麦"]),
        ("售后处", "工单系统", ["工单系统服务费"]),
    ]),
    ("三、培训成本", "培训成本", [
        ("售前处", "岗前培训", ["培训费", "培训成本"]),
        ("售后处", "技能培训", ["培训费", "培训成本"]),
    ]),
    ("四、差旅费用", "差旅费用", [
        ("售前处", "差旅费", []),
        ("售后处", "上门服务差旅", ["高铁票", "酒店", "出租车费", "机票"]),
    ]),
    ("五、业务外包", "业务外包", [
        ("售前处", "夜间外包坐席", ["外包服务费"]),
        ("售后处", "外包维修服务", ["外包服务费"]),
    ]),
]  # fmt: skip
#: Designed year-to-date (Jan-Oct) actual / original plan per 处 × category, and the status it
#: must produce under the materiality rule (over/under only when > 5 % AND > 1,000元).
DESIGN = {
    ("售前处", "人员成本"): (1.01, "on_track"),
    ("售后处", "人员成本"): (0.99, "on_track"),
    ("售前处", "设备成本"): (1.25, "over"),
    ("售后处", "设备成本"): (0.70, "under"),
    ("售前处", "培训成本"): (0.98, "on_track"),
    ("售后处", "培训成本"): (1.30, "over"),
    ("售前处", "差旅费用"): (None, "under"),  # plan line with no spending at all
    ("售后处", "差旅费用"): (0.97, "on_track"),
    ("售前处", "业务外包"): (0.60, "under"),
    ("售后处", "业务外包"): (1.30, "over"),
}
#: Month weights of plan lines that are not flat (1月…12月).
PLAN_PROFILE = {
    ("售前处", "岗前培训"): [1, 1, 6, 1, 1, 1, 6, 1, 1, 1, 1, 1],
    ("售前处", "绩效及补贴"): [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1.3, 1.1],
}
#: Revised plan (调整后预算) from 7月 onwards: factor applied to the original plan.
REVISIONS = {
    ("售前处", "电脑及耳麦"): 1.5,
    ("售后处", "工单系统"): 0.6,
    ("售后处", "外包维修服务"): 1.15,
}
#: The one deliberately wrong stated subtotal: section, month column, amount added to the truth.
WRONG_SUBTOTAL = ("三、培训成本", 3, 1000)
#: Annual-only plan (2026年市场推广预算.csv): 部门, 费用项目, 全年预算.
ANNUAL_PLAN = [
    ("客服部", "客户满意度调研", 60000),
    ("客服部", "神秘访客暗访", 24000),
    ("客服部", "回访短信费", 6000),
]

#: 回访短信费 runs 12 % over its plan but by less than 1,000元: on track (both thresholds needed).
ANNUAL_DESIGN = {
    ("客服部", "客户满意度调研"): "on_track",
    ("客服部", "神秘访客暗访"): "under",
    ("客服部", "回访短信费"): "on_track",
}

#: The sample's own ledger labels → plan category (defaults.toml maps the common ones).
SAMPLE_CATEGORY_MAP = {
    "公积金": "人员成本",
    "绩效工资": "人员成本",
    "餐补": "人员成本",
    "通讯补贴": "人员成本",
    "话务线路费": "设备成本",
    "工单系统服务费": "设备成本",
    "高铁票": "差旅费用",
    "出租车费": "差旅费用",
}
UNBUDGETED_LABELS = ["团建费", "咨询费"]


# =============================================================================================
# Roster
def make_roster(rng: np.random.Generator) -> pd.DataFrame:
    names: list[str] = []
    total = sum(g[3] for g in GROUPS)
    while len(names) < total:
        n_given = 2 if rng.random() < 0.7 else 1
        name = str(rng.choice(SURNAMES)) + "".join(rng.choice(GIVEN, size=n_given))
        if name not in names:
            names.append(name)
    rows = []
    k = 0
    for dept, team, prefix, size in GROUPS:
        leader = names[k]
        for i in range(1, size + 1):
            rows.append(
                {
                    "工号": f"{prefix}{i:02d}",
                    "姓名": names[k],
                    "处": dept,
                    "组": team,
                    "组长": leader,
                }
            )
            k += 1
    return pd.DataFrame(rows)


# =============================================================================================
# Scoring (only to verify the engineered cases): the product's own arithmetic,
# analysis.scorecard.presales_points / aftersales_points, on the draw before it is written.
def presales_scores(df: pd.DataFrame, rules: dict[str, Any]) -> pd.DataFrame:
    p = presales_points(df, rules)
    return df.assign(
        business_raw=p["business_raw"],
        discipline_raw=p["discipline_raw"],
        business=p["business"],
        discipline=p["discipline"],
        total=pd.Series(p["total"], index=df.index).round(4),
    )


def aftersales_scores(df: pd.DataFrame, rules: dict[str, Any]) -> pd.DataFrame:
    # No team given: volume against the average of every agent of the month. The ledger's pay
    # lines were drawn this way; the bulletin divides by the team average (its own figures).
    p = aftersales_points(df.assign(period="sample"), rules)
    return df.assign(
        n_callbacks=p["n_callbacks"],
        reports=p["reports"],
        rules_c=p["rules"],
        total=pd.Series(p["total"], index=df.index).round(4),
    )


# =============================================================================================
# Scorecards
def make_presales(rng: np.random.Generator, agents: pd.DataFrame, month: int) -> pd.DataFrame:
    """One month of pre-sales counts; the engineered cases are written over the random draw."""
    n = len(agents)
    care = rng.lognormal(0.0, 0.35, size=n)  # some agents slip more than others
    data: dict[str, Any] = {
        "agent_id": agents["工号"].to_numpy(),
        "name": agents["姓名"].to_numpy(),
    }
    is_leader = (agents["姓名"] == agents["组长"]).to_numpy()
    for item in PRESALES_ITEMS:
        rate = ITEM_RATE[item] * care
        if item == "B4":  # only a duty supervisor (组长) can fail to report lateness
            rate = np.where(is_leader, 0.3, 0.0)
        data[item] = rng.poisson(rate)
    data["exam"] = np.clip(np.rint(rng.normal(83, 6, size=n)), 60, 98).astype(int)
    df = pd.DataFrame(data)
    period = f"{YEAR}-{month:02d}"

    def put(agent: str, **values: int) -> None:
        idx = df.index[df["agent_id"] == agent][0]
        for k, v in values.items():
            df.loc[idx, k] = v

    def clear(agent: str) -> None:
        put(agent, **dict.fromkeys(PRESALES_ITEMS, 0))

    e = ENGINEERED
    if period == e["presales_tie"][0]:
        a, b = e["presales_tie"][1]
        clear(a)
        put(a, A1=2, A2=1, A5=1, A10=1, B1=1, B6=1, exam=86)
        clear(b)
        put(b, A1=2, A2=1, A5=1, A10=1, B1=1, B6=1, exam=86)
    if period == e["presales_discipline_floor"][0]:
        # 15 days personal leave, 8 lateness, 9 absences not phoned in: 30 + 24 + 45 + 5 > 100
        put(e["presales_discipline_floor"][1], B6=15, B1=8, B3=9, B10=1)
    if period == e["presales_business_floor"][0]:
        # a week of chaos on the hotline: 40 + 30 + 32 + 24 = 126 points > 100
        put(e["presales_business_floor"][1], A1=20, A5=15, A10=16, A7=6)
    if period == e["presales_b12_twice"][0]:
        put(e["presales_b12_twice"][1], B12=2)  # 5 the first time, 10 the second
    if period in e["presales_top_streak"][0]:
        clear(e["presales_top_streak"][1])
        put(e["presales_top_streak"][1], exam=100)  # perfect month: 100 points
    if period == e["presales_red_R1"][0]:
        put(e["presales_red_R1"][1], R1=1, A7=2, A8=1)
    if period in e["presales_bottom_streak"][0]:
        agent = e["presales_bottom_streak"][1]
        clear(agent)
        k = e["presales_bottom_streak"][0].index(period)
        put(agent, A1=4, A5=5, A7=4, A9=3, A11=2, B1=3 + k, B5=2, B8=2, exam=58 - 2 * k)
    if period == e["presales_red_R2"][0]:
        put(e["presales_red_R2"][1], R2=1)
    if period == e["presales_seed_example"][0]:
        # DOMAIN.md's worked example: 业务 70 (A1×3=6, A7×2=8, A9×4=16), 纪律 95 (B1 3 + B6 2),
        # 笔试 80 → 42 + 28.5 + 8 = 78.5 → 绩效工资 400 × 78.5 % = 314.00元
        agent = e["presales_seed_example"][1]
        clear(agent)
        put(agent, A1=3, A7=2, A9=4, B1=1, B6=1, exam=80)
    return df


def make_aftersales(rng: np.random.Generator, agents: pd.DataFrame, month: int) -> pd.DataFrame:
    n = len(agents)
    skill = rng.normal(0, 1, size=n)
    tickets = np.rint(rng.normal(310, 30, size=n) + 18 * skill).astype(int)
    good = np.clip(0.55 + 0.08 * skill, 0.3, 0.8)
    probs = np.column_stack([good, (1 - good) * 0.65, (1 - good) * 0.25, (1 - good) * 0.10])
    cbs = np.vstack([rng.multinomial(20, p) for p in probs])
    grade_p = [0.45, 0.42, 0.13]
    df = pd.DataFrame(
        {
            "agent_id": agents["工号"].to_numpy(),
            "name": agents["姓名"].to_numpy(),
            "tickets": tickets,
            "cb_A": cbs[:, 0],
            "cb_B": cbs[:, 1],
            "cb_C": cbs[:, 2],
            "cb_D": cbs[:, 3],
            "attitude": rng.choice(["A", "B", "C"], size=n, p=grade_p),
            "teamwork": rng.choice(["A", "B", "C"], size=n, p=grade_p),
            "late_reports": rng.poisson(0.5, size=n),
            "violations": rng.poisson(0.3, size=n),
            "suggestions": rng.poisson(0.6, size=n),
            "complaints": rng.poisson(0.35, size=n),
        }
    )
    period = f"{YEAR}-{month:02d}"

    def put(agent: str, **values: Any) -> None:
        idx = df.index[df["agent_id"] == agent][0]
        for k, v in values.items():
            df.loc[idx, k] = v

    e = ENGINEERED
    if period == e["aftersales_tie"][0]:
        same = dict(tickets=305, cb_A=11, cb_B=6, cb_C=2, cb_D=1, attitude="B", teamwork="A")
        same |= dict(late_reports=1, violations=0, suggestions=1, complaints=0)
        for agent in e["aftersales_tie"][1]:
            put(agent, **same)
    if period in e["aftersales_bottom_streak"][0]:
        k = e["aftersales_bottom_streak"][0].index(period)
        put(
            e["aftersales_bottom_streak"][1],
            tickets=190 + 10 * k, cb_A=2, cb_B=6, cb_C=6, cb_D=6,
            attitude=["D", "C", "E"][k], teamwork=["E", "D", "D"][k],
            late_reports=3, violations=2, suggestions=0, complaints=3 - k,
        )  # fmt: skip
    if period == e["aftersales_violation_floor"][0]:
        put(e["aftersales_violation_floor"][1], violations=22)  # 100 − 110 → floor 0
    if period == e["aftersales_suggestion_cap"][0]:
        put(e["aftersales_suggestion_cap"][1], suggestions=8)  # +40 capped at +30
    if period == e["aftersales_complaints"][0]:
        put(e["aftersales_complaints"][1], complaints=4, attitude="D")
    if period == e["aftersales_late_floor"][0]:
        put(e["aftersales_late_floor"][1], late_reports=21)  # 100 − 105 → floor 0
    if period == e["aftersales_callback_log"][0]:
        for agent, count in e["aftersales_callback_log"][1].items():
            idx = df.index[df["agent_id"] == agent][0]
            p = probs[idx]
            put(
                agent,
                **dict(
                    zip(["cb_A", "cb_B", "cb_C", "cb_D"], rng.multinomial(count, p), strict=True)
                ),
            )
    return df


def callback_log(rng: np.random.Generator, df: pd.DataFrame, month: int) -> pd.DataFrame:
    """One row per callback (工号, 日期, 评价) from the per-agent grade counts, dates spread."""
    days = calendar.monthrange(YEAR, month)[1]
    rows = []
    for rec in df.itertuples():
        grades = ["A"] * rec.cb_A + ["B"] * rec.cb_B + ["C"] * rec.cb_C + ["D"] * rec.cb_D
        grades = list(rng.permutation(grades))
        dts = np.sort(rng.integers(1, days + 1, size=len(grades)))
        rows += [
            {"工号": rec.agent_id, "日期": datetime(YEAR, month, int(d)), "评价": str(g)}
            for d, g in zip(dts, grades, strict=True)
        ]
    return pd.DataFrame(rows).sort_values(["日期", "工号"], kind="stable").reset_index(drop=True)


# =============================================================================================
# Ledger
#: 国庆节 2026-10-01…07: nothing is booked; entries wait for the first working day.
HOLIDAYS = {date(YEAR, 10, d) for d in range(1, 8)}


def _day(month: int, day: int, *, booked: bool = True) -> date:
    """A booking date in ``month``: weekends and holidays move to a working day of that month."""
    last = calendar.monthrange(YEAR, month)[1]
    d = date(YEAR, month, min(day, last))
    if not booked:  # a trip can happen on any day
        return d
    step = -1
    while d.weekday() >= 5 or d in HOLIDAYS:
        if d.day == 1 or d in HOLIDAYS:
            step = 1  # never cross into the previous month; after a holiday go forward
        d = date(YEAR, month, d.day + step)
    return d


def make_ledger(
    rng: np.random.Generator, roster: pd.DataFrame, pay: dict[tuple[str, int], float]
) -> pd.DataFrame:
    """Expense lines for Jan-Oct: (date, 处, 科目 label, 摘要, amount, voucher batch)."""
    lines: list[tuple[date, str, str, str, float, str]] = []
    base = {}
    for rec in roster.itertuples():
        lo, hi = (55, 75) if rec.处 == "售前处" else (60, 80)
        base[rec.工号] = int(rng.integers(lo, hi)) * 100 + (1500 if rec.姓名 == rec.组长 else 0)

    def add(d: date, dept: str, label: str, memo: str, amount: float, batch: str) -> None:
        lines.append((d, dept, label, memo, round(float(amount), 2), batch))

    for m in ACTUAL_MONTHS:
        # -- people: salary run on the 15th, social insurance with it, bonus on the 20th
        for rec in roster.itertuples():
            b = base[rec.工号]
            d15, who = _day(m, 15), f"{rec.姓名}({rec.工号})"
            add(d15, rec.处, "工资", f"{m}月工资 {who}", b, "salary")
            add(d15, rec.处, "社保", f"{m}月社保单位部分 {who}", b * 0.262, "social")
            add(d15, rec.处, "公积金", f"{m}月公积金单位部分 {who}", b * 0.07, "social")
            add(d15, rec.处, "餐补", f"{m}月餐补 {who}", 440, "salary")
            add(d15, rec.处, "通讯补贴", f"{m}月通讯补贴 {who}", 100, "salary")
            prev = f"{m - 1}月" if m > 1 else "2025年12月"
            bonus = pay.get((rec.工号, m - 1), float(rng.integers(340, 391)))
            add(_day(m, 20), rec.处, "绩效工资", f"{prev}绩效工资 {who}", bonus, "bonus")
            ot_p = 0.6 if m in (6, 10) and rec.处 == "售前处" else 0.2
            if rng.random() < ot_p:
                hours = int(rng.integers(4, 25))
                add(_day(m, 25), rec.处, "加班费", f"{m}月加班{hours}小时 {who}", hours * 45, "ot")
        # -- equipment
        add(
            _day(m, 5),
            "售前处",
            "话务线路费",
            f"{m}月呼叫中心线路费",
            6000 + rng.integers(0, 900),
            "line",
        )
        if rng.random() < 0.75 or m in (3, 7):
            k = int(rng.integers(6, 18))
            add(_day(m, 8), "售前处", "耳麦", f"采购降噪耳麦{k}副", k * 189, "purchase")
        if m in (3, 7, 10):
            k = 4 if m == 3 else 3
            add(_day(m, 9), "售前处", "电脑", f"新人坐席电脑{k}台", k * 4999, "purchase")
        if m in (2, 6, 9):
            add(_day(m, 11), "售后处", "耳麦", "采购耳麦2副", 378, "purchase")
        if m in (1, 4, 7, 10):
            add(
                _day(m, 3),
                "售后处",
                "工单系统服务费",
                f"工单系统{(m + 2) // 3}季度服务费",
                6300,
                "it",
            )
        # -- training
        if m in (3, 7):
            add(
                _day(m, 12),
                "售前处",
                "培训费",
                f"{m}月新员工岗前培训",
                8600 + 400 * (m == 7),
                "train",
            )
        if m in (1, 5, 8, 10):
            add(_day(m, 18), "售前处", "培训成本", "话术提升线上课程", 980, "train")
        add(
            _day(m, 22),
            "售后处",
            "培训费",
            f"{m}月售后技能培训",
            2400 + rng.integers(0, 12) * 100,
            "train",
        )
        # -- travel (after-sales on-site visits only; pre-sales never travels)
        for t in range(int(rng.integers(5, 10))):
            d = _day(m, int(rng.integers(2, 27)), booked=False)
            city = str(rng.choice(["苏州", "无锡", "南京", "杭州", "合肥", "宁波", "常州"]))
            fare = float(rng.integers(8, 30)) * 10 + 0.5 * int(rng.integers(0, 2))
            add(d, "售后处", "高铁票", f"上门服务{city} 去程", fare, f"trip{t}")
            add(d, "售后处", "高铁票", f"上门服务{city} 返程", fare, f"trip{t}")
            nights = int(rng.integers(0, 3))
            if nights:
                add(d, "售后处", "酒店", f"上门服务{city} 住宿{nights}晚", nights * 358, f"trip{t}")
            add(
                d,
                "售后处",
                "出租车费",
                f"上门服务{city} 市内交通",
                rng.integers(25, 130),
                f"trip{t}",
            )
        if m in (2, 5, 9):
            add(_day(m, 14), "售后处", "机票", "上门服务成都 机票", 1380, "air")
        # -- outsourcing
        add(
            _day(m, 28),
            "售后处",
            "外包服务费",
            f"{m}月外包维修服务费",
            25000 + rng.integers(0, 30) * 100,
            "out",
        )
        add(
            _day(m, 28),
            "售前处",
            "外包服务费",
            f"{m}月夜间外包坐席服务费",
            4800 + rng.integers(0, 5) * 100,
            "out",
        )
        # -- callback SMS (annual-only plan 6,000): ~12 % over, yet under 1,000元 → on track
        sms = int(rng.integers(540, 580)) + 0.5 * int(rng.integers(0, 2))
        add(_day(m, 6), "客服部", "回访短信费", f"{m}月客户回访短信费", sms, "sms")
        # -- one-off items: research (plan only in the annual CSV), unbudgeted, refunds
        if m == 5:
            add(
                _day(m, 20),
                "客服部",
                "客户满意度调研",
                "上半年客户满意度调研(第三方)",
                28000,
                "research",
            )
        if m == 9:
            add(_day(m, 21), "客服部", "客户满意度调研", "三季度客户满意度调研", 20000, "research")
        if m == 4:
            add(_day(m, 26), "售前处", "团建费", "售前处春季团建", 3200, "team")
            add(_day(m, 26), "售后处", "团建费", "售后处春季团建", 1800, "team")
        if m == 10:
            add(_day(m, 27), "售前处", "团建费", "售前处秋季团建", 2600, "team")
        if m == 6:
            add(_day(m, 16), "客服部", "咨询费", "客服流程优化咨询", 15000, "consult")
        if m == 2:
            add(_day(m, 19), "售前处", "耳麦", "退货 降噪耳麦2副(质量问题)", -378, "refund")
        if m == 5:
            add(_day(m, 23), "售后处", "机票", "退票 上门服务成都 机票", -820, "refund")
        if m == 8:
            add(_day(m, 13), "售前处", "培训费", "退款 7月岗前培训缺席2人", -1200, "refund")
        if m == 10:
            add(_day(m, 24), "售前处", "耳麦", "退货 降噪耳麦3副", -567, "refund")

    df = pd.DataFrame(lines, columns=["date", "dept", "label", "memo", "amount", "batch"])
    df = df.sort_values(["date", "batch", "dept"], kind="stable").reset_index(drop=True)
    # One voucher per (date, batch), numbered through each month as a bookkeeper would.
    first = ~df.duplicated(["date", "batch"])
    month = pd.to_datetime(df["date"]).dt.month
    seq = first.astype(int).groupby(month).cumsum()
    return df.assign(
        month=month, voucher=[f"记-{m:02d}-{s:04d}" for m, s in zip(month, seq, strict=True)]
    ).drop(columns="batch")


# =============================================================================================
# Plan
def plan_line_actuals(ledger: pd.DataFrame) -> dict[tuple[str, str], float]:
    """Jan-Oct actual per plan line (处, 明细) via the labels each line collects."""
    out = {}
    for _, _, lines in SECTIONS:
        for dept, item, labels in lines:
            sel = ledger["dept"].eq(dept) & ledger["label"].isin(labels)
            out[(dept, item)] = float(ledger.loc[sel, "amount"].sum())
    return out


def _nice(x: float) -> int:
    return int(round(x, -3) if x >= 20000 else round(x, -2))


def make_plan(ledger: pd.DataFrame) -> tuple[dict, dict]:
    """Original and revised plan per line: {(处, 明细): [12 monthly amounts]}."""
    act = plan_line_actuals(ledger)
    plan: dict[tuple[str, str], list[int]] = {}
    for _, cat, lines in SECTIONS:
        for dept, item, _ in lines:
            factor, _status = DESIGN[(dept, cat)]
            w = np.array(PLAN_PROFILE.get((dept, item), [1] * 12), dtype=float)
            # factor None: no spending at all (a small travel allowance nobody used)
            ytd = 1500.0 * 10 if factor is None else act[(dept, item)] / factor
            plan[(dept, item)] = [_nice(ytd * wi / w[:10].sum()) for wi in w]
    revised = {
        key: plan[key][:6] + [_nice(v * f) for v in plan[key][6:]] for key, f in REVISIONS.items()
    }
    return plan, revised


def check_budget_status(ledger: pd.DataFrame, plan: dict, revised: dict, cfg: dict) -> dict:
    """YTD Oct status per 处 × category, under the original and the revised plan."""
    pct, amt = cfg["budget"]["materiality_pct"], cfg["budget"]["materiality_amount"]
    cmap = cfg["budget"]["category_map"]
    cats = {cat for _, cat, _ in SECTIONS} | {cat for _, cat, _ in ANNUAL_PLAN}
    cat_of = ledger["label"].map(lambda s: cmap.get(s, s if s in cats else None))
    actual = ledger.assign(cat=cat_of).groupby(["dept", "cat"])["amount"].sum()
    result = {}
    for _, cat, lines in SECTIONS:
        for dept in ("售前处", "售后处"):
            keys = [(d, i) for d, i, _ in lines if d == dept]
            for which, p in (("plan", plan), ("revised", {**plan, **revised})):
                ytd_plan = sum(sum(p[k][:10]) for k in keys)
                a = float(actual.get((dept, cat), 0.0))
                var = a - ytd_plan
                status = "on_track"
                if abs(var) > pct * ytd_plan and abs(var) > amt:
                    status = "over" if var > 0 else "under"
                result[(dept, cat, which)] = (round(a, 2), ytd_plan, status)
    wts = np.array(cfg["budget"]["monthly_distribution"], dtype=float)
    for dept, cat, annual in ANNUAL_PLAN:  # annual-only lines, spread by the distribution
        ytd_plan = int(round(annual * wts[:10].sum() / wts.sum()))
        a = float(actual.get((dept, cat), 0.0))
        var = a - ytd_plan
        status = "on_track"
        if abs(var) > pct * ytd_plan and abs(var) > amt:
            status = "over" if var > 0 else "under"
        for which in ("plan", "revised"):
            result[(dept, cat, which)] = (round(a, 2), ytd_plan, status)
        assert status == ANNUAL_DESIGN[(dept, cat)], f"{dept} {cat}: {status}"
    for (dept, cat), (_, want) in DESIGN.items():
        for which in ("plan", "revised"):
            got = result[(dept, cat, which)][2]
            assert got == want, f"{dept} {cat} ({which}): status {got}, designed {want}"
    return result


# =============================================================================================
# Staffing
#: Service day: 30-minute intervals starting 07:30 … 21:00 (service 7:30-21:30, DOMAIN.md §3).
INTERVAL_STARTS = np.arange(7.5, 21.01, 0.5)
#: Daily calls of a normal weekday per month (the summer peak in August).
DAILY_CALLS = {7: 2000.0, 8: 2250.0, 9: 2050.0, 10: 2100.0}


def interval_volumes(rng: np.random.Generator, month: int) -> pd.DataFrame:
    """Calls and mean handle time per 30-minute interval, every day of ``month``.

    The one draw of a month's volumes: October's is written as ``staffing/来电量_2026-10.csv`` and
    the call log of every month is expanded from its month's draw (:func:`make_calls`), so the
    staffing table and the log cannot disagree.
    """
    starts = INTERVAL_STARTS
    labels = [f"{int(h):02d}:{int(round((h % 1) * 60)):02d}" for h in starts]
    mid = starts + 0.25

    def bump(c: float, s: float) -> np.ndarray:
        return np.exp(-0.5 * ((mid - c) / s) ** 2)

    weekday_curve = 0.25 + 1.0 * bump(10.0, 1.1) + 0.85 * bump(14.75, 1.4) + 0.3 * bump(19.5, 0.9)
    weekend_curve = 0.3 + 0.8 * bump(11.0, 1.6) + 0.7 * bump(15.5, 1.8) + 0.35 * bump(20.0, 1.0)
    rows = []
    for day in range(1, calendar.monthrange(YEAR, month)[1] + 1):
        d = date(YEAR, month, day)
        holiday = d in HOLIDAYS  # 国庆节假期 10/1-10/7
        weekend = d.weekday() >= 5
        curve = weekend_curve if (holiday or weekend) else weekday_curve
        daily = DAILY_CALLS[month] * (0.55 if holiday else 0.62 if weekend else 1.0)
        daily *= 1.08 if month == 10 and day in (8, 9) else 1.0  # the backlog after the holiday
        expected = daily * curve / curve.sum()
        calls = rng.poisson(expected)
        aht = np.rint(
            235 + 25 * bump(20.0, 1.2) - 10 * bump(10.0, 1.0) + rng.normal(0, 9, len(mid))
        )
        for lab, c, a in zip(labels, calls, aht.astype(int), strict=True):
            rows.append(
                {"日期": d.isoformat(), "时段": lab, "来电量": int(c), "平均处理时长(秒)": int(a)}
            )
    return pd.DataFrame(rows)


def make_staffing(rng: np.random.Generator) -> pd.DataFrame:
    """Calls per 30-minute interval, 07:30-21:00 starts, every day of October."""
    return interval_volumes(rng, 10)


# =============================================================================================
# Call logs and complaint records (issue 14)
#: Months with call logs; the last one is written as CSV (as the ACD exports a month), the
#: earlier ones together as one Parquet file (a larger history, kept small in the repository).
CALL_MONTHS = [7, 8, 9, 10]
CALLS_CSV_MONTH = 10
#: A separate random stream for the logs, so adding them left every earlier file byte-identical.
CALLS_SEED = (SEED, 14)
#: Per month: share of calls abandoned (at an average load) and mean wait of answered calls (s).
#: August (the summer peak) misses the 接通率 and service-level targets; the others meet them.
SERVICE_DESIGN = {7: (0.045, 7.0), 8: (0.14, 21.0), 9: (0.05, 8.0), 10: (0.04, 6.5)}
#: Share of abandoned calls that hang up within the short-abandon threshold (0-4 s).
SHORT_ABANDON_SHARE = 0.15
#: Share of answered calls surveyed, and per (month, queue) the share rated 4 or 5 (satisfied).
RATED_SHARE = 0.25
CSAT_DESIGN = {
    (7, "售前"): 0.862, (8, "售前"): 0.835, (9, "售前"): 0.871, (10, "售前"): 0.853,
    (7, "售后"): 0.834, (8, "售后"): 0.821, (9, "售后"): 0.842, (10, "售后"): 0.788,
}  # fmt: skip
RESOLVED_SHARE = 0.86
#: Chance that a caller calls again: after an abandon (within 3 h), after an unresolved answer
#: (within 6.5 days: not first-contact resolved), after a resolved answer (any time in 20 days).
CALL_AGAIN = {"abandoned": (0.7, 3 / 24), "unresolved": (0.85, 6.5), "resolved": (0.08, 20.0)}
#: Complaint records: channels and types with their shares.
CHANNELS = {"电话": 0.45, "微信": 0.30, "邮件": 0.10, "门店": 0.15}
COMPLAINT_TYPES = {
    "服务态度": 0.3,
    "处理时效": 0.25,
    "业务差错": 0.2,
    "产品质量": 0.15,
    "收费争议": 0.1,
}
#: Designed complaint facts: one August complaint closed after 4 days 6 hours (3 日结案率 below
#: 100 %), one October complaint still open on "today" (2026-11-24).
LATE_CLOSED = ("2026-08", 3, pd.Timedelta(hours=102))
STILL_OPEN = ("2026-10", pd.Timestamp("2026-10-27 10:15:00"), "KF0307")
CALL_COLUMNS = [
    "呼叫编号", "呼入时间", "客户标识", "技能组", "坐席工号", "呼叫结果",
    "排队时长(秒)", "通话时长(秒)", "保持时长(秒)", "话后处理(秒)", "满意度", "是否解决",
]  # fmt: skip
COMPLAINT_COLUMNS = [
    "投诉单号",
    "受理时间",
    "渠道",
    "投诉类型",
    "责任坐席",
    "处理人",
    "处理状态",
    "结案时间",
]


def _handle_times(rng: np.random.Generator, n: int, aht: int) -> np.ndarray:
    """``n`` whole-second handle times whose mean is exactly ``aht`` (the written 平均处理时长)."""
    h = np.maximum(rng.gamma(5.0, aht / 5.0, size=n), 40.0)
    h = np.rint(h * aht * n / h.sum()).astype(np.int64)
    rest = aht * n - int(h.sum())
    order = np.argsort(-h, kind="stable")
    h[order[: abs(rest)]] += 1 if rest > 0 else -1
    assert h.sum() == aht * n and h.min() > 20
    return h


def _month_calls(rng: np.random.Generator, month: int, volumes: pd.DataFrame) -> pd.DataFrame:
    """One row per offered call of ``month``, expanded from the month's interval volumes:
    answered or abandoned, waits, handle times split into talk/hold/wrap (codes, no queue yet)."""
    p_abandon, mean_wait = SERVICE_DESIGN[month]
    mean_n = volumes["来电量"].mean()
    parts = []
    for day, lab, n, aht in volumes.itertuples(index=False):
        load = 0.6 + 0.4 * n / mean_n  # busier intervals wait and abandon more
        secs = np.sort(rng.integers(0, 1800, size=n))
        answered = rng.random(n) >= min(0.6, p_abandon * load)
        if not answered.any():
            answered[0] = True  # every interval has a handle time to match
        k = int(answered.sum())
        handle = _handle_times(rng, k, int(aht))
        hold = np.where(rng.random(k) < 0.25, np.rint(handle * rng.uniform(0.05, 0.2, k)), 0)
        wrap = np.minimum(np.rint(rng.uniform(10, 35, k)), handle // 4)
        wait = np.zeros(n, dtype=np.int64)
        wait[answered] = np.rint(rng.exponential(mean_wait * load, k))
        short = rng.random(n - k) < SHORT_ABANDON_SHARE
        wait[~answered] = np.where(short, rng.integers(0, 5, n - k), rng.integers(5, 150, n - k))
        frame = pd.DataFrame(
            {
                "start": pd.Timestamp(f"{day} {lab}") + pd.to_timedelta(secs, unit="s"),
                "answered": answered,
                "wait": wait,
                "talk": 0,
                "hold": 0,
                "wrap": 0,
            }
        )
        frame.loc[answered, ["talk", "hold", "wrap"]] = np.column_stack(
            [handle - hold - wrap, hold, wrap]
        ).astype(np.int64)
        parts.append(frame)
    return pd.concat(parts, ignore_index=True)


def _queues_and_agents(
    rng: np.random.Generator, calls: pd.DataFrame, roster: pd.DataFrame, tickets: pd.Series
) -> pd.DataFrame:
    """售后 answers exactly each after-sales agent's 处理单量 of the month (one ticket per answered
    call); the other answered calls are 售前, spread over the pre-sales agents."""
    ans = np.flatnonzero(calls["answered"].to_numpy())
    total = int(tickets.sum())
    after = rng.choice(ans, size=total, replace=False)
    queue = np.full(len(calls), "售前", dtype=object)
    queue[after] = "售后"
    abandoned = np.flatnonzero(~calls["answered"].to_numpy())
    queue[abandoned[rng.random(len(abandoned)) < total / len(ans)]] = "售后"
    agent = np.full(len(calls), None, dtype=object)
    agent[after] = rng.permutation(np.repeat(tickets.index.to_numpy(), tickets.to_numpy()))
    pre = roster.loc[roster["处"] == "售前处", "工号"].to_numpy()
    weights = rng.uniform(0.8, 1.2, len(pre))
    before = np.setdiff1d(ans, after)
    agent[before] = rng.choice(pre, size=len(before), p=weights / weights.sum())
    return calls.assign(queue=queue, agent=agent)


def _ratings(rng: np.random.Generator, calls: pd.DataFrame, month: int) -> pd.Series:
    """满意度 1-5 on RATED_SHARE of the answered calls; per queue exactly the designed share
    rated 4 or 5, so the report's 满意度 is known in advance."""
    rating = pd.Series(pd.NA, index=calls.index, dtype="Int64")
    for queue in ("售前", "售后"):
        idx = calls.index[calls["answered"] & (calls["queue"] == queue)].to_numpy()
        rated = rng.choice(idx, size=round(RATED_SHARE * len(idx)), replace=False)
        k = round(CSAT_DESIGN[(month, queue)] * len(rated))
        good = rng.choice([4, 5], size=k, p=[0.45, 0.55])
        bad = rng.choice([1, 2, 3], size=len(rated) - k, p=[0.2, 0.3, 0.5])
        rating[rng.permutation(rated)] = np.concatenate([good, bad])
    return rating


def _caller_keys(rng: np.random.Generator, calls: pd.DataFrame) -> np.ndarray:
    """客户标识 (a hashed caller id): callers who abandon or are not helped call again, as
    :data:`CALL_AGAIN` says; the first-contact resolution of the report follows from that."""
    import hashlib
    import heapq

    t = calls["start"].astype("int64").to_numpy() / 86400e6  # days
    answered, resolved = calls["answered"].to_numpy(), calls["resolved"].to_numpy()
    pending: list[tuple[float, int]] = []
    keys = np.empty(len(calls), dtype=object)
    n_new = 0
    for i in range(len(calls)):
        if pending and pending[0][0] <= t[i]:
            key = heapq.heappop(pending)[1]
        else:
            key, n_new = n_new, n_new + 1
        keys[i] = key
        kind = "abandoned" if not answered[i] else "resolved" if resolved[i] else "unresolved"
        chance, within = CALL_AGAIN[kind]
        if rng.random() < chance:
            heapq.heappush(pending, (t[i] + rng.uniform(0.01, 1.0) * within, key))
    return np.array(
        [hashlib.blake2b(f"客户{k}".encode(), digest_size=8).hexdigest() for k in keys],
        dtype=object,
    )


def make_calls(
    rng: np.random.Generator,
    volumes: dict[int, pd.DataFrame],
    roster: pd.DataFrame,
    tickets: dict[int, pd.Series],
) -> pd.DataFrame:
    """The call log of CALL_MONTHS in the export's Chinese headers, one row per offered call."""
    months = []
    for m in CALL_MONTHS:
        calls = _queues_and_agents(rng, _month_calls(rng, m, volumes[m]), roster, tickets[m])
        calls = calls.assign(
            resolved=np.where(calls["answered"], rng.random(len(calls)) < RESOLVED_SHARE, False),
            rating=_ratings(rng, calls, m),
        )
        months.append(calls)
    calls = pd.concat(months, ignore_index=True).sort_values("start", kind="stable")
    calls = calls.reset_index(drop=True).assign(key=lambda f: _caller_keys(rng, f))
    day = calls["start"].dt.strftime("%Y%m%d")
    seq = calls.groupby(day).cumcount() + 1
    ans = calls["answered"]
    return pd.DataFrame(
        {
            "呼叫编号": "C" + day + seq.map("{:05d}".format),
            "呼入时间": calls["start"],
            "客户标识": calls["key"],
            "技能组": calls["queue"],
            "坐席工号": calls["agent"],
            "呼叫结果": np.where(ans, "接通", "放弃"),
            "排队时长(秒)": calls["wait"].astype("int32"),
            "通话时长(秒)": calls["talk"].astype("int32"),
            "保持时长(秒)": calls["hold"].astype("int32"),
            "话后处理(秒)": calls["wrap"].astype("int32"),
            "满意度": calls["rating"].astype("Int8"),
            "是否解决": pd.Series(np.where(calls["resolved"], "是", "否"), dtype=object).where(ans),
        }
    )


def make_complaints(
    rng: np.random.Generator, roster: pd.DataFrame, complaints: dict[int, pd.Series]
) -> pd.DataFrame:
    """投诉单 of CALL_MONTHS: each after-sales agent exactly the 客户投诉 of their scorecard, plus
    complaints against pre-sales agents and some with no agent (products, fees)."""
    leader = roster.set_index("工号")["组长"]
    pre = roster.loc[roster["处"] == "售前处", "工号"].to_numpy()
    rows = []
    for m in CALL_MONTHS:
        days = calendar.monthrange(YEAR, m)[1]
        agents = list(np.repeat(complaints[m].index.to_numpy(), complaints[m].to_numpy()))
        agents += list(rng.choice(pre, size=rng.poisson(9)))
        agents += [None] * int(rng.poisson(3))
        if m == int(STILL_OPEN[0][5:]):
            agents.remove(STILL_OPEN[2])  # the open one is one of this agent's, placed below
        got = pd.DataFrame(
            {
                "受理时间": pd.Timestamp(YEAR, m, 1, 8)
                + pd.to_timedelta(rng.integers(0, days, len(agents)), unit="D")
                + pd.to_timedelta(rng.integers(0, 13 * 3600, len(agents)), unit="s"),
                "渠道": rng.choice(list(CHANNELS), size=len(agents), p=list(CHANNELS.values())),
                "投诉类型": rng.choice(
                    list(COMPLAINT_TYPES), size=len(agents), p=list(COMPLAINT_TYPES.values())
                ),
                "责任坐席": agents,
                "处理状态": "已结案",
            }
        )
        got.loc[got["责任坐席"].isna(), "投诉类型"] = rng.choice(
            ["产品质量", "收费争议"], size=int(got["责任坐席"].isna().sum())
        )
        took = pd.to_timedelta(rng.integers(2 * 3600, 70 * 3600, len(got)), unit="s")
        got["结案时间"] = got["受理时间"] + took
        if m == int(STILL_OPEN[0][5:]):
            opened = {"受理时间": STILL_OPEN[1], "渠道": "电话", "投诉类型": "处理时效",
                      "责任坐席": STILL_OPEN[2], "处理状态": "处理中", "结案时间": pd.NaT}  # fmt: skip
            got = pd.concat([got, pd.DataFrame([opened])], ignore_index=True)
        got = got.sort_values("受理时间", kind="stable").reset_index(drop=True)
        if m == int(LATE_CLOSED[0][5:]):
            got.loc[LATE_CLOSED[1], "结案时间"] = (
                got.loc[LATE_CLOSED[1], "受理时间"] + LATE_CLOSED[2]
            )
        got["投诉单号"] = [f"TS{YEAR}{m:02d}{i:03d}" for i in range(1, len(got) + 1)]
        rows.append(got)
    out = pd.concat(rows, ignore_index=True)
    out["处理人"] = out["责任坐席"].map(leader).fillna("质检组")
    out["受理时间"] = out["受理时间"].dt.floor("min")
    out["结案时间"] = out["结案时间"].dt.floor("min")
    return out[COMPLAINT_COLUMNS]


# =============================================================================================
# Writers
def save_xlsx(wb: Workbook, path: Path) -> None:
    """Save with pinned properties and zip timestamps so a rerun gives the same bytes."""
    wb.properties.creator = "客服部"
    wb.properties.lastModifiedBy = "客服部"
    wb.properties.created = FIXED_TS
    wb.properties.modified = FIXED_TS
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as zf:
        ExcelWriter(wb, zf).write_data()  # save_workbook() would stamp "now" as modified
    path.parent.mkdir(parents=True, exist_ok=True)
    with (
        zipfile.ZipFile(io.BytesIO(raw.getvalue())) as src,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=ZIP_TS)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            dst.writestr(fixed, src.read(info.filename))


def _sheet(wb: Workbook, title: str, header: list[str], rows: list[list[Any]], widths=None):
    ws = wb.create_sheet(title)
    ws.append(header)
    for c in ws[1]:
        c.font = Font(bold=True)
    for r in rows:
        ws.append(r)
    for i, w in enumerate(widths or [], start=1):
        ws.column_dimensions[ws.cell(1, i).column_letter].width = w
    ws.freeze_panes = "A2"
    return ws


def _text_ids(ws, col: int = 1) -> None:
    """Agent IDs are text (keep the leading zero): format the column as 文本."""
    for row in ws.iter_rows(min_row=2, min_col=col, max_col=col):
        row[0].number_format = "@"


def write_roster(roster: pd.DataFrame, out: Path) -> None:
    wb = Workbook()
    wb.remove(wb.active)
    ws = _sheet(wb, "花名册", list(roster.columns), roster.values.tolist(), [10, 10, 10, 12, 10])
    _text_ids(ws)
    save_xlsx(wb, out / "roster.xlsx")


def write_scorecard(
    month: int, pre: pd.DataFrame, post: pd.DataFrame, log: pd.DataFrame | None, out: Path
) -> None:
    wb = Workbook()
    wb.remove(wb.active)
    header = ["工号", "姓名"] + [f"{c} {ITEM_TEXT[c]}" for c in PRESALES_ITEMS] + ["笔试"]
    rows = pre[["agent_id", "name", *PRESALES_ITEMS, "exam"]].values.tolist()
    ws = _sheet(wb, "售前专员", header, rows, [10, 10] + [8] * len(PRESALES_ITEMS) + [8])
    _text_ids(ws)
    cols = ["agent_id", "name", "tickets", "cb_A", "cb_B", "cb_C", "cb_D", "attitude", "teamwork"]
    cols += ["late_reports", "violations", "suggestions", "complaints"]
    header_post = list(AFTERSALES_COLUMNS)
    if log is not None:  # this month the callbacks come one row per callback instead
        cols = [c for c in cols if not c.startswith("cb_")]
        header_post = [h for h in header_post if not h.startswith("回访")]
    ws = _sheet(wb, "售后专员", header_post, post[cols].values.tolist(), [10] * len(cols))
    _text_ids(ws)
    if log is not None:
        ws = _sheet(wb, "回访记录", list(log.columns), log.values.tolist(), [10, 12, 8])
        _text_ids(ws)
        for row in ws.iter_rows(min_row=2, min_col=2, max_col=2):
            row[0].number_format = "yyyy-mm-dd"
    save_xlsx(wb, out / "scorecards" / f"{YEAR}-{month:02d}_绩效考核.xlsx")


def _plan_sheet(wb: Workbook, title: str, plan: dict, wrong: tuple | None, heading: str) -> None:
    ws = wb.create_sheet(title)
    months = [f"{i}月" for i in range(1, 13)]
    ws.append([heading])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=16)
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.append(["单位:元"])
    ws.append([])
    ws.append(["部门", "费用项目", "明细", *months, "合计"])
    for c in ws[4]:
        c.font = Font(bold=True)
    grand = np.zeros(12)
    for section, _, lines in SECTIONS:
        keys = [(d, i) for d, i, _ in lines if (d, i) in plan]
        if not keys:
            continue
        ws.append([section])
        ws.cell(ws.max_row, 1).font = Font(bold=True)
        sub = np.zeros(12)
        for dept, item in keys:
            vals = plan[(dept, item)]
            sub += vals
            ws.append([dept, None, item, *vals, int(sum(vals))])
        grand += sub
        stated = [int(v) for v in sub]
        if wrong is not None and wrong[0] == section:
            # DELIBERATE: this 小计 cell is stated wrong (truth + wrong[2]) so that the loader's
            # total_mismatch check has a real case to report; README.md names it.
            stated[wrong[1] - 1] += wrong[2]
        ws.append(["小计", None, None, *stated, int(sub.sum())])
        for c in ws[ws.max_row]:
            c.font = Font(bold=True)
    ws.append(["合计", None, None, *[int(v) for v in grand], int(grand.sum())])
    for c in ws[ws.max_row]:
        c.font = Font(bold=True)
    for row in ws.iter_rows(min_row=5, min_col=4, max_col=16):
        for c in row:
            c.number_format = "#,##0"
    for col, w in zip("ABC", [10, 10, 14], strict=True):
        ws.column_dimensions[col].width = w
    for i in range(4, 17):
        ws.column_dimensions[ws.cell(4, i).column_letter].width = 11
    ws.freeze_panes = "D5"


def write_budget(plan: dict, revised: dict, out: Path) -> None:
    wb = Workbook()
    wb.remove(wb.active)
    _plan_sheet(wb, "年度预算", plan, WRONG_SUBTOTAL, "客服部2026年度费用预算表")
    _plan_sheet(wb, "调整后预算", revised, None, "客服部2026年度费用预算表(年中调整)")
    save_xlsx(wb, out / "budget" / "客服部2026年度费用预算.xlsx")
    with open(
        out / "budget" / "2026年市场推广预算.csv", "w", encoding="utf-8-sig", newline=""
    ) as fh:
        w = csv.writer(fh, lineterminator="\r\n")
        w.writerow(["部门", "费用项目", "全年预算"])
        w.writerows(ANNUAL_PLAN)


def write_ledger(ledger: pd.DataFrame, out: Path) -> None:
    xl = ledger[ledger["month"] != CSV_LEDGER_MONTH]
    wb = Workbook()
    wb.remove(wb.active)
    rows = [
        [datetime(d.year, d.month, d.day), v, dept, lab, memo, amt]
        for d, v, dept, lab, memo, amt in xl[
            ["date", "voucher", "dept", "label", "memo", "amount"]
        ].itertuples(index=False)
    ]
    header = ["日期", "凭证号", "部门", "科目", "摘要", "金额"]
    ws = _sheet(wb, "明细账", header, rows, [12, 12, 8, 14, 36, 12])
    for row in ws.iter_rows(min_row=2):
        row[0].number_format = "yyyy-mm-dd"
        row[5].number_format = "#,##0.00"
    save_xlsx(wb, out / "actuals" / f"费用明细账{YEAR}.xlsx")
    # October as Chinese Excel exports it: GBK, CRLF, 2026/10/8 dates, "1,234.50" amounts.
    oc = ledger[ledger["month"] == CSV_LEDGER_MONTH]
    with open(
        out / "actuals" / f"{YEAR}-{CSV_LEDGER_MONTH:02d}_费用明细.csv",
        "w",
        encoding="gbk",
        newline="",
    ) as fh:
        w = csv.writer(fh, lineterminator="\r\n")
        w.writerow(header)
        for d, v, dept, lab, memo, amt in oc[
            ["date", "voucher", "dept", "label", "memo", "amount"]
        ].itertuples(index=False):
            w.writerow([f"{d.year}/{d.month}/{d.day}", v, dept, lab, memo, f"{amt:,.2f}"])


def write_staffing(df: pd.DataFrame, out: Path) -> None:
    path = out / "staffing" / f"来电量_{YEAR}-10.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    df.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")


def write_calls(calls: pd.DataFrame, out: Path) -> dict[str, int]:
    """October as the ACD's CSV export (UTF-8 with BOM, as Chinese Excel opens it), July-September
    as one Parquet file (zstd); returns the bytes written per file for the README."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder = out / "calls"
    folder.mkdir(parents=True, exist_ok=True)
    month = calls["呼入时间"].dt.month
    csv_path = folder / f"呼叫明细_{YEAR}-{CALLS_CSV_MONTH:02d}.csv"
    oct_calls = calls[month == CALLS_CSV_MONTH].assign(
        呼入时间=lambda f: f["呼入时间"].dt.strftime("%Y-%m-%d %H:%M:%S")
    )
    oct_calls.to_csv(csv_path, index=False, encoding="utf-8-sig", lineterminator="\n")
    first, last = CALL_MONTHS[0], CALLS_CSV_MONTH - 1
    pq_path = folder / f"呼叫明细_{YEAR}-{first:02d}至{last:02d}.parquet"
    table = pa.Table.from_pandas(calls[month < CALLS_CSV_MONTH], preserve_index=False)
    table = table.cast(table.schema.set(1, pa.field("呼入时间", pa.timestamp("s"))))
    pq.write_table(table.replace_schema_metadata(None), pq_path, compression="zstd")
    return {p.name: p.stat().st_size for p in (csv_path, pq_path)}


def write_complaints(complaints: pd.DataFrame, out: Path) -> None:
    wb = Workbook()
    wb.remove(wb.active)
    rows = [
        [None if pd.isna(v) else v.to_pydatetime() if isinstance(v, pd.Timestamp) else v
         for v in rec]
        for rec in complaints.itertuples(index=False)
    ]  # fmt: skip
    ws = _sheet(wb, "投诉单", COMPLAINT_COLUMNS, rows, [14, 18, 8, 10, 10, 10, 10, 18])
    for col in ("B", "H"):
        for c in ws[col][1:]:
            c.number_format = "yyyy-mm-dd hh:mm"
    save_xlsx(
        wb, out / "complaints" / f"投诉记录_{YEAR}-{CALL_MONTHS[0]:02d}至{CALL_MONTHS[-1]:02d}.xlsx"
    )


def write_config(out: Path) -> None:
    lines = [
        "# 样例数据自己的设置(其余规则见 src/analysis/defaults.toml)",
        "# The sample's own overrides; every other rule comes from defaults.toml.",
        "",
        "# 明细账里的科目写法 → 预算费用项目。团建费、咨询费故意不映射:计划外支出。",
        "# Ledger labels → plan categories. 团建费 and 咨询费 are left unmapped on purpose.",
        "[budget.category_map]",
        *[f'"{k}" = "{v}"' for k, v in SAMPLE_CATEGORY_MAP.items()],
        "",
    ]
    (out / "config.toml").write_text("\n".join(lines), encoding="utf-8")


def write_readme(
    out: Path,
    totals: dict[int, float],
    status: dict,
    plan: dict,
    n_lines: int,
    calls: pd.DataFrame,
    records: pd.DataFrame,
    sizes: dict[str, int],
):
    sec, month, delta = WRONG_SUBTOTAL
    truth = sum(plan[(d, i)][month - 1] for d, i, _ in dict((s[0], s[2]) for s in SECTIONS)[sec])
    e = ENGINEERED
    total_rows = "\n".join(f"| {YEAR}-{m:02d} | {v:,.2f} |" for m, v in totals.items())
    zh = {"over": "超支", "under": "节余", "on_track": "正常"}
    status_rows = "\n".join(
        f"| {d} | {c} | {p[1]:,} | {p[0]:,.2f} | {zh[p[2]]} | {zh[status[(d, c, 'revised')][2]]} |"
        for (d, c, which), p in status.items()
        if which == "plan"
    )
    cb = e["aftersales_callback_log"][1]
    call_month = calls["呼入时间"].dt.strftime("%Y-%m")  # not `month`: the text below uses it
    per_month = pd.DataFrame(
        {
            "calls": call_month.value_counts(),
            "answered": call_month[calls["呼叫结果"] == "接通"].value_counts(),
            "complaints": records["受理时间"].dt.strftime("%Y-%m").value_counts(),
        }
    ).sort_index()
    call_rows = "\n".join(
        f"| {m} | {r.calls:,} | {r.answered:,} | {r.calls - r.answered:,} | {r.complaints} |"
        for m, r in per_month.iterrows()
    )
    text = f"""# 样例数据:客服部 2026 年

*English: a generated sample department (客服部: 售前处 + 售后处, 30 agents, 2026-01…2026-10
actuals and scorecards, a 12-month plan). Made by `scripts/make_sample.py` (fixed seed); do not edit
by hand, rerun the script. Every rule of DOMAIN.md is exercised on purpose; the cases are listed below.*

重新生成:`.venv/bin/python scripts/make_sample.py`(会打印每月明细账合计);检查:`.venv/bin/pytest tests/test_sample_data.py`。

由 `scripts/make_sample.py` 生成(固定随机种子,重复运行结果逐字节相同)。请勿手工修改,改脚本后重新生成。
"今天"是 2026-11-24:实际支出和绩效考核到 2026-10,预算覆盖全年 12 个月。

## 文件

| 文件 | 内容 |
|---|---|
| `roster.xlsx` 工作表 `花名册` | 30 名客服:工号(文本,如 KF0101)、姓名、处、组、组长;售前一组、售前二组、售后一组各 10 人,每组第一人为组长 |
| `budget/客服部2026年度费用预算.xlsx` | 工作表 `年度预算`:第 1 行标题、第 2 行"单位:元"、第 4 行表头(部门/费用项目/明细/1月…12月/合计);五个费用段各有"小计"行,最后一行"合计"。工作表 `调整后预算`:年中调整的 {len(REVISIONS)} 条预算线(7 月起调整) |
| `budget/2026年市场推广预算.csv` | UTF-8 BOM,只有全年数(按月平均分摊):客服部 客户满意度调研 60,000;神秘访客暗访 24,000(全年无支出);回访短信费 6,000 |
| `actuals/费用明细账2026.xlsx` 工作表 `明细账` | 2026-01-01…2026-09-30 的费用明细,日期/凭证号/部门/科目/摘要/金额,退款为负数 |
| `actuals/2026-10_费用明细.csv` | 10 月明细,中文 Excel 导出:GBK 编码,日期如 2026/10/8,金额为带千分位的文本如 "1,234.50" |
| `scorecards/2026-MM_绩效考核.xlsx` | 每月一个文件,工作表 `售前专员`、`售后专员`;2026-06 的回访改为工作表 `回访记录`(每次回访一行) |
| `staffing/来电量_2026-10.csv` | UTF-8,10 月每天 07:30…21:00 每 30 分钟的来电量和平均处理时长(秒);10/1-10/7 国庆假期、周末话务量低 |
| `calls/呼叫明细_{YEAR}-10.csv` | 10 月呼叫明细(ACD 导出,UTF-8 BOM,{sizes[f"呼叫明细_{YEAR}-10.csv"] / 1e6:.1f} MB):每个来电一行,{"、".join(CALL_COLUMNS)};客户标识是主叫号码的哈希值(不含号码本身);放弃的来电坐席工号为空 |
| `calls/呼叫明细_{YEAR}-07至09.parquet` | 7-9 月呼叫明细,同样的列,一个 Parquet 文件(zstd,{sizes[f"呼叫明细_{YEAR}-07至09.parquet"] / 1e6:.1f} MB) |
| `complaints/投诉记录_{YEAR}-07至10.xlsx` 工作表 `投诉单` | {len(records)} 张投诉单:{"、".join(COMPLAINT_COLUMNS)};渠道 电话/微信/邮件/门店 |
| `config.toml` | 本样例的科目映射(耳麦、工资等常见写法已在 defaults.toml 中) |

## 故意设置的情况

**预算**

- 故意写错的小计:`年度预算` 表"{sec}"的小计行,{month}月 一栏写成 {truth + delta:,},
  正确值为 {truth:,}(多写 {delta:,} 元),该行"合计"列仍是正确的年度数,应报告 total_mismatch。
  最后的"合计"行等于各明细行之和(正确);若把各"小计"相加,{month}月 会多出 {delta:,} 元。
- 计划外支出(科目映射不到任何预算项目):团建费(售前处 4 月、10 月,售后处 4 月)、咨询费(客服部 6 月)。
- 通过 `config.toml` [budget.category_map] 才能对上的科目:{"、".join(SAMPLE_CATEGORY_MAP)};
  通过 defaults.toml 对上的:工资、社保、加班费、电脑、耳麦、培训费、机票、酒店、外包服务费;
  直接等于预算项目名称的:培训成本、客户满意度调研、回访短信费。
- 退款(负数):2 月耳麦退货 −378、5 月机票退票 −820、8 月培训费退款 −1,200、10 月耳麦退货 −567。
- 重要性标准(超支/节余须同时超过 5% 和 1,000 元):客服部 回访短信费 超出约 12%,但不到 1,000 元 → 正常;
  售前处 人员成本 超出 1 万多元,但不到 5% → 正常。
- 有预算没支出:售前处 差旅费用(全年无支出)、客服部 神秘访客暗访。
- 调整后预算(7 月起):售前处 电脑及耳麦 ×{REVISIONS[("售前处", "电脑及耳麦")]},
  售后处 工单系统 ×{REVISIONS[("售后处", "工单系统")]}, 售后处 外包维修服务 ×{REVISIONS[("售后处", "外包维修服务")]}。

截至 2026-10 的累计执行情况(原预算;超支/节余须同时超过 5% 和 1,000 元):

| 部门 | 费用项目 | 累计预算 | 累计实际 | 状态(原预算) | 状态(调整后) |
|---|---|---:|---:|---|---|
{status_rows}

每月明细账合计(元,含退款;10 月来自 GBK CSV),共 {n_lines:,} 行:

| 月份 | 合计 |
|---|---:|
{total_rows}

**售前专员**

- A1–A11、B1–B12、R1、R2 每一项全年至少出现一次。
- {e["presales_tie"][0]}:{" 和 ".join(e["presales_tie"][1])} 各项次数和笔试完全相同 → 总分并列。
- {e["presales_discipline_floor"][0]} {e["presales_discipline_floor"][1]}:工作纪律扣分超过 100 → 该项记 0 分。
- {e["presales_business_floor"][0]} {e["presales_business_floor"][1]}:业务考核扣分超过 100 → 该项记 0 分。
- {e["presales_b12_twice"][0]} {e["presales_b12_twice"][1]}:B12 两次(第一次 5 分,之后每次 10 分)。
- {"、".join(e["presales_top_streak"][0])} {e["presales_top_streak"][1]}:满分 100,连续三个月第一 → 奖励 300 元。
- {e["presales_red_R1"][0]} {e["presales_red_R1"][1]}:红线 R1;{e["presales_red_R2"][0]} {e["presales_red_R2"][1]}:红线 R2。
- {"、".join(e["presales_bottom_streak"][0])} {e["presales_bottom_streak"][1]}:连续三个月最后一名 → 考虑调岗。
- {e["presales_seed_example"][0]} {e["presales_seed_example"][1]}:制度中的例子:业务 70(A1×3、A7×2、A9×4)、
  纪律 95(B1×1、B6×1)、笔试 80 → 总分 78.5 → 绩效工资 314.00 元。

**售后专员**

- 回访 A/B/C/D、工作态度 A–E、团队协作 A–E 都有出现。
- {e["aftersales_tie"][0]}:{" 和 ".join(e["aftersales_tie"][1])} 各项完全相同 → 总分并列。
- {"、".join(e["aftersales_bottom_streak"][0])} {e["aftersales_bottom_streak"][1]}:连续三个月最后一名。
- {e["aftersales_violation_floor"][0]} {e["aftersales_violation_floor"][1]}:违规 22 次 → 规章制度 0 分(不为负)。
- {e["aftersales_late_floor"][0]} {e["aftersales_late_floor"][1]}:迟交报告 21 次 → 日志周报 0 分。
- {e["aftersales_suggestion_cap"][0]} {e["aftersales_suggestion_cap"][1]}:建议采纳 8 条 → +40 封顶 +30。
- {e["aftersales_complaints"][0]} {e["aftersales_complaints"][1]}:投诉 4 次(其他月份也有零星投诉)。
- {e["aftersales_callback_log"][0]}:回访在工作表 `回访记录`;{"、".join(f"{a} {n} 次" for a, n in cb.items())}
  (不是 20 次 → 满意度按 20 次折算并标记)。

**呼叫明细与投诉单(服务质量月报)**

- 10 月每天每 30 分钟的来电数(呼入量)等于 `staffing/来电量_{YEAR}-10.csv` 的来电量,接通来电的
  平均处理时长(通话 + 保持 + 话后处理,取整)等于该表的平均处理时长:两者来自同一次抽样。
- 售后技能组每位售后专员每月接通的来电数等于当月绩效考核表的处理单量(一通来电一张单)。
- 每位售后专员每月的投诉单数等于当月绩效考核表的投诉次数;另有针对售前专员和无责任坐席的投诉。
- 8 月(暑期高峰)放弃率高、排队长:接通率和服务水平未达标;其他月份达标。
- 10 月售后技能组满意度 {CSAT_DESIGN[(10, "售后")]:.1%}(评价中 4、5 分的占比),略低于 80% 目标;售前技能组和其他月份达标。
- 约 {RATED_SHARE:.0%} 的接通来电有满意度评价(1-5 分);未解决或放弃后,部分客户 7 天内再次来电(影响首次解决率)。
- 投诉单:{LATE_CLOSED[0]} 第 {LATE_CLOSED[1] + 1} 张(TS{LATE_CLOSED[0].replace("-", "")}{LATE_CLOSED[1] + 1:03d})4 天 6 小时才结案;
  {STILL_OPEN[1]:%Y-%m-%d %H:%M} 受理的 {STILL_OPEN[2]} 投诉至今"处理中"(超过 3 天未结案),其余都在 3 天内结案。

每月来电(放弃 = 坐席工号为空):

| 月份 | 来电 | 接通 | 放弃 | 投诉单 |
|---|---:|---:|---:|---:|
{call_rows}
"""
    (out / "README.md").write_text(text, encoding="utf-8")


# =============================================================================================
def build(out: Path) -> dict[int, float]:
    rng = np.random.default_rng(SEED)
    out.mkdir(parents=True, exist_ok=True)
    write_config(out)
    cfg = load_config(out)
    roster = make_roster(rng)
    pre_agents = roster[roster["处"] == "售前处"].reset_index(drop=True)
    post_agents = roster[roster["处"] == "售后处"].reset_index(drop=True)

    pay: dict[tuple[str, int], float] = {}
    pre_all, post_all = [], []
    tickets: dict[int, pd.Series] = {}
    complaints: dict[int, pd.Series] = {}
    for m in ACTUAL_MONTHS:
        period = f"{YEAR}-{m:02d}"
        rules = scorecard_rules(cfg, period)
        pre = make_presales(rng, pre_agents, m)
        post = make_aftersales(rng, post_agents, m)
        log = (
            callback_log(rng, post, m)
            if period == ENGINEERED["aftersales_callback_log"][0]
            else None
        )
        write_scorecard(m, pre, post, log, out)
        ps = presales_scores(pre, rules).assign(period=period)
        ss = aftersales_scores(post, rules).assign(period=period)
        base = rules["pay"]["base"]
        for frame in (ps, ss):
            pay |= {
                (a, m): round(base * t / 100, 2)
                for a, t in zip(frame["agent_id"], frame["total"], strict=True)
            }
        pre_all.append(ps)
        post_all.append(ss)
        tickets[m] = post.set_index("agent_id")["tickets"].astype(int)
        complaints[m] = post.set_index("agent_id")["complaints"].astype(int)
    check_scorecards(pd.concat(pre_all), pd.concat(post_all))

    ledger = make_ledger(rng, roster, pay)
    plan, revised = make_plan(ledger)
    status = check_budget_status(ledger, plan, revised, cfg)
    assert not ledger.duplicated(["date", "voucher", "dept", "label", "memo", "amount"]).any()
    assert set(UNBUDGETED_LABELS) <= set(ledger["label"])
    write_roster(roster, out)
    write_budget(plan, revised, out)
    write_ledger(ledger, out)
    staffing = make_staffing(rng)
    write_staffing(staffing, out)
    crng = np.random.default_rng(CALLS_SEED)
    volumes = {m: interval_volumes(crng, m) for m in CALL_MONTHS if m != 10} | {10: staffing}
    calls = make_calls(crng, volumes, roster, tickets)
    records = make_complaints(crng, roster, complaints)
    check_calls(calls, records, staffing, tickets, complaints)
    sizes = write_calls(calls, out)
    write_complaints(records, out)
    check_service_facts(out, cfg)
    totals = ledger.groupby("month")["amount"].sum().round(2).to_dict()
    write_readme(out, totals, status, plan, len(ledger), calls, records, sizes)
    return totals


def check_calls(
    calls: pd.DataFrame,
    records: pd.DataFrame,
    staffing: pd.DataFrame,
    tickets: dict[int, pd.Series],
    complaints: dict[int, pd.Series],
) -> None:
    """Fail if the logs disagree with the staffing table or the scorecards they mirror."""
    start = calls["呼入时间"]
    oct_ = calls[start.dt.month == 10].assign(
        日期=start.dt.strftime("%Y-%m-%d"), 时段=start.dt.floor("30min").dt.strftime("%H:%M")
    )
    ans = oct_[oct_["呼叫结果"] == "接通"]
    handle = ans["通话时长(秒)"] + ans["保持时长(秒)"] + ans["话后处理(秒)"]
    got = pd.DataFrame(
        {
            "来电量": oct_.groupby(["日期", "时段"]).size(),
            "平均处理时长(秒)": handle.groupby([ans["日期"], ans["时段"]]).mean().round(),
        }
    )
    want = staffing.set_index(["日期", "时段"])
    assert got["来电量"].equals(want["来电量"]), "offered calls differ from 来电量"
    assert (got["平均处理时长(秒)"] == want["平均处理时长(秒)"]).all(), "AHT differs"
    month = start.dt.month
    for m in CALL_MONTHS:
        sel = calls[(month == m) & (calls["技能组"] == "售后") & (calls["呼叫结果"] == "接通")]
        assert (
            sel["坐席工号"]
            .value_counts()
            .sort_index()
            .equals(tickets[m][tickets[m] > 0].sort_index().rename("count").rename_axis("坐席工号"))
        ), f"售后 answered calls differ from 处理单量 in {m}"
        got_c = records[records["受理时间"].dt.month == m]["责任坐席"].value_counts()
        for agent, n in complaints[m].items():
            assert got_c.get(agent, 0) == n, f"complaints of {agent} in {m}"
    assert calls["坐席工号"].isna().equals(calls["呼叫结果"] == "放弃")
    assert not calls["呼叫编号"].duplicated().any()


def check_service_facts(out: Path, cfg: dict) -> None:
    """Fail if the written logs do not give the designed facts of the service report. Read back
    the way a run reads them (the loader, the engine, the KPI rules and target check), so the
    facts hold for the product's own arithmetic, not a second copy of it here."""
    import tempfile

    from analysis.io import engine
    from analysis.io.folder import load_all
    from analysis.service import kpis as kp

    with tempfile.TemporaryDirectory() as cache:
        ds = load_all(out, cfg, cache_dir=Path(cache))
        assert len(ds.calls) == 2 and len(ds.complaints) > 0, "calls/complaints not loaded"
        con = engine.connect(cfg)
        roster = ds.roster[["agent_id", "team"]]
        k = kp.kpis(engine.calls_table(con, ds.calls), ds.complaints, roster, cfg)
    checks = kp.target_check(k, cfg).set_index(["period", "kpi"])["met"]
    missed = {(p, kpi) for (p, kpi), met in checks.items() if met is not pd.NA and not met}
    assert missed == {
        ("2026-08", "answer_rate"),  # the summer peak
        ("2026-08", "service_level"),
        ("2026-08", "closed_3d_rate"),  # TS202608004, closed after 4 days 6 hours
        ("2026-10", "closed_3d_rate"),  # TS202610010, still open
    }, sorted(missed)
    q = k[(k["level"] == "queue") & (k["period"] == "2026-10")].set_index("key")["csat"]
    assert 0.78 <= q["售后"] < 0.80 <= q["售前"], q  # 售后 just under the 80 % target


def _ranks(df: pd.DataFrame) -> pd.DataFrame:
    return df.assign(rank=df.groupby("period")["total"].rank(method="min", ascending=False))


def check_scorecards(pre: pd.DataFrame, post: pd.DataFrame) -> None:
    """Fail if the random draw or a later edit undid an engineered case."""
    e = ENGINEERED
    pre, post = _ranks(pre), _ranks(post)
    n_pre = pre.groupby("period")["agent_id"].transform("size")
    n_post = post.groupby("period")["agent_id"].transform("size")

    def row(df, period, agent):
        return df[(df["period"] == period) & (df["agent_id"] == agent)].iloc[0]

    for item in PRESALES_ITEMS:
        assert pre[item].sum() > 0, f"item {item} never used"
    p, (a, b) = e["presales_tie"]
    assert row(pre, p, a)["total"] == row(pre, p, b)["total"]
    p, a = e["presales_discipline_floor"]
    assert row(pre, p, a)["discipline_raw"] < 0 and row(pre, p, a)["discipline"] == 0
    p, a = e["presales_business_floor"]
    assert row(pre, p, a)["business_raw"] < 0 and row(pre, p, a)["business"] == 0
    p, a = e["presales_b12_twice"]
    assert row(pre, p, a)["B12"] == 2
    for p in e["presales_top_streak"][0]:
        r = row(pre, p, e["presales_top_streak"][1])
        assert r["total"] == 100 and r["rank"] == 1
        assert (pre.loc[pre["period"] == p, "rank"] == 1).sum() == 1, f"shared first place {p}"
    for p in e["presales_bottom_streak"][0]:
        sel = pre["period"] == p
        r = row(pre, p, e["presales_bottom_streak"][1])
        assert r["total"] < pre.loc[sel & (pre["agent_id"] != r["agent_id"]), "total"].min(), p
    for p in e["aftersales_bottom_streak"][0]:
        sel = post["period"] == p
        r = row(post, p, e["aftersales_bottom_streak"][1])
        assert r["total"] < post.loc[sel & (post["agent_id"] != r["agent_id"]), "total"].min(), p
    p, a = e["presales_seed_example"]
    r = row(pre, p, a)
    assert (r["business"], r["discipline"], r["exam"], r["total"]) == (70, 95, 80, 78.5)
    p, (a, b) = e["aftersales_tie"]
    assert row(post, p, a)["total"] == row(post, p, b)["total"]
    assert row(pre, *e["presales_red_R1"])["R1"] == 1
    assert row(pre, *e["presales_red_R2"])["R2"] == 1
    assert pre["R1"].sum() == 1 and pre["R2"].sum() == 1
    for col, grades in (("attitude", "ABCDE"), ("teamwork", "ABCDE")):
        assert set(post[col]) == set(grades), col
    assert (post[["cb_A", "cb_B", "cb_C", "cb_D"]].sum() > 0).all()
    p, counts = e["aftersales_callback_log"]
    got = post[post["period"] == p].set_index("agent_id")["n_callbacks"]
    assert all(got[a] == n for a, n in counts.items())
    assert (post.loc[post["period"] != p, "n_callbacks"] == 20).all()
    assert row(post, *e["aftersales_violation_floor"])["rules_c"] == 0
    assert row(post, *e["aftersales_late_floor"])["reports"] == 0
    assert row(post, *e["aftersales_suggestion_cap"])["suggestions"] * 5 > 30
    assert (n_pre >= 2).all() and (n_post >= 2).all()


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=SAMPLE_DATA_DIR, help="output folder")
    args = ap.parse_args(argv)
    totals = build(args.out)
    print("每月明细账合计 / ledger total per month (元):")
    for m, v in totals.items():
        print(f"  {YEAR}-{m:02d}  {v:>14,.2f}")
    print(f"  全年累计 / year to date  {sum(totals.values()):,.2f}")


if __name__ == "__main__":
    main()
