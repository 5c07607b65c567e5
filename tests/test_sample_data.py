"""The bundled sample ``data/sample/`` honours its layout contract and exercises every rule.

Why: the reports, the end-to-end test and every demo run on this folder. These tests read the RAW
files (pandas + calamine, csv) on purpose, independent of ``analysis.io``, so a loader bug cannot
hide a missing case and a generator change cannot silently drop one. Scores are recomputed here
with the rules of defaults.toml + the sample's config.toml.
"""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.config import load_config, scorecard_rules
from analysis.paths import PROJ_ROOT

SAMPLE = PROJ_ROOT / "data" / "sample"
CALL_FILES = ["calls/呼叫明细_2026-10.csv", "calls/呼叫明细_2026-07至09.parquet"]
COMPLAINT_FILE = "complaints/投诉记录_2026-07至10.xlsx"
PERIODS = [f"2026-{m:02d}" for m in range(1, 11)]
BUSINESS = [f"A{i}" for i in range(1, 12)]
DISCIPLINE = [f"B{i}" for i in range(1, 13)]
ITEMS = BUSINESS + ["R1", "R2"] + DISCIPLINE
CB = ["cb_A", "cb_B", "cb_C", "cb_D"]
POST_NAMES = {
    "工号": "agent_id",
    "姓名": "name",
    "处理单量": "tickets",
    "回访A": "cb_A",
    "回访B": "cb_B",
    "回访C": "cb_C",
    "回访D": "cb_D",
    "工作态度": "attitude",
    "团队协作": "teamwork",
    "迟交报告": "late_reports",
    "违规": "violations",
    "建议采纳": "suggestions",
    "投诉": "complaints",
}
#: Ledger total per month in 元 (refunds included), as the generator prints them.
EXPECTED_TOTALS = {
    "2026-01": 358447.30,
    "2026-02": 355425.21,
    "2026-03": 384511.10,
    "2026-04": 359152.20,
    "2026-05": 389687.69,
    "2026-06": 372265.20,
    "2026-07": 384657.52,
    "2026-08": 353207.92,
    "2026-09": 379026.81,
    "2026-10": 382655.69,
}

pytestmark = pytest.mark.skipif(not SAMPLE.is_dir(), reason="data/sample not generated")


def xl(path: Path, sheet: str, **kw) -> pd.DataFrame:
    return pd.read_excel(path, sheet_name=sheet, engine="calamine", **kw)


# ---------------------------------------------------------------------------------------------
# Fixtures: raw files → small frames (module scope: read once)
@pytest.fixture(scope="module")
def cfg() -> dict:
    return load_config(SAMPLE)


@pytest.fixture(scope="module")
def ledger() -> pd.DataFrame:
    xlsx = xl(SAMPLE / "actuals" / "费用明细账2026.xlsx", "明细账").assign(
        date=lambda d: pd.to_datetime(d["日期"])
    )
    octo = pd.read_csv(SAMPLE / "actuals" / "2026-10_费用明细.csv", encoding="gbk", dtype=str)
    octo = octo.assign(
        date=pd.to_datetime(octo["日期"], format="%Y/%m/%d"),
        金额=octo["金额"].str.replace(",", "", regex=False).astype(float),
    )
    both = pd.concat([xlsx, octo], ignore_index=True)
    return both.assign(period=both["date"].dt.strftime("%Y-%m"))


@pytest.fixture(scope="module")
def plan_sheet() -> pd.DataFrame:
    return xl(SAMPLE / "budget" / "客服部2026年度费用预算.xlsx", "年度预算", header=None)


def _plan_lines(raw: pd.DataFrame) -> pd.DataFrame:
    """Item lines of a plan sheet with the section's category; 小计/合计/labels dropped."""
    body = raw.iloc[4:].reset_index(drop=True)
    first = body[0].fillna("").astype(str)
    section = first.where(first.str.contains("、")).ffill().str.split("、").str[1]
    is_line = first.isin(["售前处", "售后处"])
    months = body.loc[is_line, list(range(3, 15))].astype(float).to_numpy()
    return pd.DataFrame(
        {"department": first[is_line], "category": section[is_line], "item": body.loc[is_line, 2]}
    ).assign(**{f"m{i + 1}": months[:, i] for i in range(12)})


@pytest.fixture(scope="module")
def presales(cfg) -> pd.DataFrame:
    frames = []
    for p in PERIODS:
        df = xl(SAMPLE / "scorecards" / f"{p}_绩效考核.xlsx", "售前专员", dtype={"工号": str})
        df.columns = ["agent_id", "name", *(c.split(" ")[0] for c in df.columns[2:-1]), "exam"]
        frames.append(score_presales(df.assign(period=p), scorecard_rules(cfg, p)))
    return rank(pd.concat(frames, ignore_index=True))


@pytest.fixture(scope="module")
def aftersales(cfg) -> pd.DataFrame:
    frames = []
    for p in PERIODS:
        path = SAMPLE / "scorecards" / f"{p}_绩效考核.xlsx"
        df = xl(path, "售后专员", dtype={"工号": str}).rename(columns=POST_NAMES)
        if "cb_A" not in df:
            log = xl(path, "回访记录", dtype={"工号": str})
            counts = pd.crosstab(log["工号"], log["评价"]).reindex(
                columns=list("ABCD"), fill_value=0
            )
            counts.columns = CB
            df = df.merge(counts, left_on="agent_id", right_index=True, how="left")
        frames.append(score_aftersales(df.assign(period=p), scorecard_rules(cfg, p)))
    return rank(pd.concat(frames, ignore_index=True))


# ---------------------------------------------------------------------------------------------
# Independent scoring (DOMAIN.md §2) from the config rules
def score_presales(df: pd.DataFrame, r: dict) -> pd.DataFrame:
    r = r["presales"]
    b12 = df["B12"]
    b12_pts = np.where(b12 > 0, r["b12"]["first"] + (b12 - 1).clip(lower=0) * r["b12"]["later"], 0)
    b_raw = r["start"] - sum(df[c] * p for c, p in r["business_points"].items())
    d_raw = r["start"] - sum(df[c] * p for c, p in r["discipline_points"].items()) - b12_pts
    w = r["weights"]
    total = (
        b_raw.clip(lower=0) * w["business"]
        + d_raw.clip(lower=0) * w["discipline"]
        + df["exam"] * w["exam"]
    )
    return df.assign(
        business_raw=b_raw,
        discipline_raw=d_raw,
        business=b_raw.clip(lower=0),
        discipline=d_raw.clip(lower=0),
        total=total.round(4),
    )


def score_aftersales(df: pd.DataFrame, r: dict) -> pd.DataFrame:
    r = r["aftersales"]
    w = r["weights"]
    n = df[CB].sum(axis=1)
    sat = sum(df[f"cb_{g}"] * p for g, p in r["callback_points"].items()) * 20 / n
    reports = (100 - df["late_reports"] * r["late_report_points"]).clip(lower=0)
    rules = (100 - df["violations"] * r["violation_points"]).clip(lower=0)
    total = (
        df["tickets"] / df["tickets"].mean() * 100 * w["volume"]
        + sat * w["satisfaction"]
        + df["attitude"].map(r["attitude_grades"]) * w["attitude"]
        + reports * w["reports"]
        + rules * w["rules"]
        + df["teamwork"].map(r["teamwork_grades"]) * w["teamwork"]
        + (df["suggestions"] * r["suggestion_points"]).clip(upper=r["suggestion_cap"])
        - df["complaints"] * r["complaint_points"]
    )
    return df.assign(n_callbacks=n, reports=reports, rules=rules, total=total.round(4))


def rank(df: pd.DataFrame) -> pd.DataFrame:
    return df.assign(rank=df.groupby("period")["total"].rank(method="min", ascending=False))


def one(df: pd.DataFrame, period: str, agent: str) -> pd.Series:
    return df[(df["period"] == period) & (df["agent_id"] == agent)].iloc[0]


def sole_last(df: pd.DataFrame, periods: list[str]) -> list[str]:
    """The agent strictly below everyone else in each period (fails on a shared last place)."""
    out = []
    for p in periods:
        month = df[df["period"] == p].sort_values("total")
        assert month["total"].iloc[0] < month["total"].iloc[1], f"shared last place in {p}"
        out.append(month["agent_id"].iloc[0])
    return out


# ---------------------------------------------------------------------------------------------
# Layout
def test_every_contract_file_exists_and_is_small():
    expected = [
        "roster.xlsx",
        "config.toml",
        "README.md",
        "budget/客服部2026年度费用预算.xlsx",
        "budget/2026年市场推广预算.csv",
        "actuals/费用明细账2026.xlsx",
        "actuals/2026-10_费用明细.csv",
        "staffing/来电量_2026-10.csv",
        *(f"scorecards/{p}_绩效考核.xlsx" for p in PERIODS),
        *CALL_FILES,
        COMPLAINT_FILE,
    ]
    files = sorted(str(p.relative_to(SAMPLE)) for p in SAMPLE.rglob("*") if p.is_file())
    assert files == sorted(expected)
    assert max((SAMPLE / f).stat().st_size for f in files if f not in CALL_FILES) < 300_000
    # a call log is one row per call (about 55,000 a month): kept under 8.5 MB for four months
    assert sum((SAMPLE / f).stat().st_size for f in CALL_FILES) < 8_500_000


def test_roster_groups_leaders_and_text_ids():
    roster = xl(SAMPLE / "roster.xlsx", "花名册", dtype=str)
    assert list(roster.columns) == ["工号", "姓名", "处", "组", "组长"]
    assert len(roster) == 30 and roster["工号"].is_unique and roster["姓名"].is_unique
    assert roster["工号"].str.fullmatch(r"KF0\d{3}").all()
    assert roster.iloc[0]["工号"] == "KF0101"
    sizes = roster.groupby("组").size()
    assert sizes.between(8, 10).all() and len(sizes) == 3
    # each group has exactly one leader, and the leader is a member of that group
    for _, g in roster.groupby("组"):
        assert g["组长"].nunique() == 1 and g["组长"].iloc[0] in set(g["姓名"])
    assert set(roster["处"]) == {"售前处", "售后处"}


# ---------------------------------------------------------------------------------------------
# Budget
def test_plan_layout_title_unit_header(plan_sheet):
    assert plan_sheet.iloc[0, 0] == "客服部2026年度费用预算表"
    assert plan_sheet.iloc[1, 0] == "单位:元"
    assert plan_sheet.iloc[2].isna().all()
    header = ["部门", "费用项目", "明细", *(f"{i}月" for i in range(1, 13)), "合计"]
    assert plan_sheet.iloc[3].tolist() == header
    first = plan_sheet[0].fillna("").astype(str)
    assert [s for s in first if "、" in s] == [
        "一、人员成本",
        "二、设备成本",
        "三、培训成本",
        "四、差旅费用",
        "五、业务外包",
    ]
    assert (first == "小计").sum() == 5 and first.iloc[-1] == "合计"
    # item lines under a section leave 费用项目 blank: the section sets the category
    lines = plan_sheet[first.isin(["售前处", "售后处"])]
    assert lines[1].isna().all() and len(lines) == 16


def test_exactly_one_stated_subtotal_is_wrong(plan_sheet):
    """三、培训成本 小计 in 3月 says 9,400; its lines add to 8,400. Everything else ties."""
    first = plan_sheet[0].fillna("").astype(str)
    mismatches = []
    start = 0
    for i, label in enumerate(first):
        if "、" in label:
            section, start = label, i + 1
        elif label == "小计":
            computed = plan_sheet.iloc[start:i, 3:16].astype(float).sum().to_numpy()
            stated = plan_sheet.iloc[i, 3:16].astype(float).to_numpy()
            mismatches += [
                (section, plan_sheet.iloc[3, 3 + c], stated[c], computed[c])
                for c in np.flatnonzero(np.abs(computed - stated) > 0.005)
            ]
    assert mismatches == [("三、培训成本", "3月", 9400.0, 8400.0)]
    # the 合计 column equals the sum of the months on every row but that 小计 row
    body = plan_sheet.iloc[4:]
    numeric = body[body[3].notna()]
    row_gap = numeric.iloc[:, 3:15].astype(float).sum(axis=1) - numeric[15].astype(float)
    assert (row_gap.abs() > 0.005).sum() == 1 and row_gap.abs().max() == 1000
    # the grand total equals the sum of the item lines (it does not carry the error)
    items = _plan_lines(plan_sheet)
    grand = plan_sheet.iloc[-1, 3:15].astype(float).to_numpy()
    assert np.allclose(grand, items[[f"m{i}" for i in range(1, 13)]].sum().to_numpy())
    assert float(plan_sheet.iloc[-1, 15]) == 4_327_600


def test_revised_plan_sheet_holds_only_adjusted_lines(plan_sheet):
    revised = _plan_lines(
        xl(SAMPLE / "budget" / "客服部2026年度费用预算.xlsx", "调整后预算", header=None)
    )
    original = _plan_lines(plan_sheet)
    assert sorted(zip(revised["department"], revised["item"], strict=True)) == [
        ("售前处", "电脑及耳麦"),
        ("售后处", "外包维修服务"),
        ("售后处", "工单系统"),
    ]
    merged = revised.merge(original, on=["department", "category", "item"], suffixes=("_r", ""))
    months_early = [f"m{i}" for i in range(1, 7)]
    for m in months_early:  # unchanged before July
        assert (merged[f"{m}_r"] == merged[m]).all()
    assert (merged["m7_r"] != merged["m7"]).all()


def test_annual_only_plan_csv():
    raw = (SAMPLE / "budget" / "2026年市场推广预算.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows == [
        ["部门", "费用项目", "全年预算"],
        ["客服部", "客户满意度调研", "60000"],
        ["客服部", "神秘访客暗访", "24000"],
        ["客服部", "回访短信费", "6000"],
    ]


def test_october_csv_is_gbk_with_text_amounts():
    raw = (SAMPLE / "actuals" / "2026-10_费用明细.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    text = raw.decode("gbk")
    assert text.splitlines()[0] == "日期,凭证号,部门,科目,摘要,金额"
    assert '"6,300.00"' in text and "-567.00" in text and "\r\n" in text


def test_ledger_totals_tie_per_month(ledger):
    totals = ledger.groupby("period")["金额"].sum().round(2).to_dict()
    assert totals == EXPECTED_TOTALS
    assert ledger["date"].min() == pd.Timestamp("2026-01-02")
    assert ledger["date"].max() <= pd.Timestamp("2026-10-31")
    xlsx_dates = xl(SAMPLE / "actuals" / "费用明细账2026.xlsx", "明细账")["日期"]
    assert pd.to_datetime(xlsx_dates).max() <= pd.Timestamp("2026-09-30")
    assert 2000 <= len(ledger) <= 5000
    # the README states the same totals an analyst can check by hand
    readme = (SAMPLE / "README.md").read_text(encoding="utf-8")
    for p, v in EXPECTED_TOTALS.items():
        assert f"| {p} | {v:,.2f} |" in readme
    # the wrong subtotal in words (a Series once printed here: `month` reused for the call months)
    assert '三、培训成本"的小计行,3月 一栏写成 9,400,' in readme
    assert "3月 会多出 1,000 元" in readme
    assert "dtype:" not in readme and "Length:" not in readme


def test_ledger_refunds_mapping_and_unbudgeted(ledger, cfg):
    refunds = ledger[ledger["金额"] < 0]
    assert sorted(refunds["金额"]) == [-1200.0, -820.0, -567.0, -378.0]
    defaults = load_config(None)["budget"]["category_map"]
    sample_only = set(cfg["budget"]["category_map"]) - set(defaults)
    labels = set(ledger["科目"])
    plan_categories = {"人员成本", "设备成本", "培训成本", "差旅费用", "业务外包"}
    plan_categories |= {"客户满意度调研", "神秘访客暗访", "回访短信费"}
    mapped = {lab for lab in labels if lab in cfg["budget"]["category_map"]}
    direct = labels & plan_categories
    assert labels - mapped - direct == {"团建费", "咨询费"}  # unbudgeted: maps nowhere
    assert sample_only <= labels  # every sample mapping is used
    assert "耳麦" in labels and "耳麦" in defaults
    assert direct == {"培训成本", "客户满意度调研", "回访短信费"}


def _ytd_status(ledger: pd.DataFrame, plan: pd.DataFrame, cfg: dict) -> dict:
    cmap = cfg["budget"]["category_map"]
    cat = ledger["科目"].map(lambda s: cmap.get(s, s))
    actual = ledger.assign(cat=cat).groupby(["部门", "cat"])["金额"].sum()
    plan_ytd = plan.groupby(["department", "category"])["ytd"].sum()
    out = {}
    for key, p in plan_ytd.items():
        var = float(actual.get(key, 0.0)) - p
        over = abs(var) > cfg["budget"]["materiality_pct"] * p
        over &= abs(var) > cfg["budget"]["materiality_amount"]
        out[key] = ("over" if var > 0 else "under") if over else "on_track"
    return out


def test_budget_statuses_year_to_date_october(ledger, plan_sheet, cfg):
    lines = _plan_lines(plan_sheet)
    plan = lines.assign(ytd=lines[[f"m{i}" for i in range(1, 11)]].sum(axis=1))
    annual = pd.read_csv(SAMPLE / "budget" / "2026年市场推广预算.csv", encoding="utf-8-sig")
    annual = annual.rename(columns={"部门": "department", "费用项目": "category"})
    plan = pd.concat([plan, annual.assign(ytd=annual["全年预算"] * 10 / 12)], ignore_index=True)
    status = _ytd_status(ledger, plan, cfg)
    assert status == {
        ("售前处", "人员成本"): "on_track",
        ("售后处", "人员成本"): "on_track",
        ("售前处", "设备成本"): "over",
        ("售后处", "设备成本"): "under",
        ("售前处", "培训成本"): "on_track",
        ("售后处", "培训成本"): "over",
        ("售前处", "差旅费用"): "under",
        ("售后处", "差旅费用"): "on_track",
        ("售前处", "业务外包"): "under",
        ("售后处", "业务外包"): "over",
        ("客服部", "客户满意度调研"): "on_track",
        ("客服部", "神秘访客暗访"): "under",
        ("客服部", "回访短信费"): "on_track",  # +12 % but under 1,000元
    }
    # plan lines with no spending at all
    spent = set(zip(ledger["部门"], ledger["科目"], strict=True))
    assert not any(d == "售前处" and k in {"高铁票", "酒店", "机票", "出租车费"} for d, k in spent)
    assert ("客服部", "神秘访客暗访") not in spent


# ---------------------------------------------------------------------------------------------
# Pre-sales scorecards
def test_presales_header_text_and_every_item_used(presales):
    header = xl(SAMPLE / "scorecards" / "2026-01_绩效考核.xlsx", "售前专员").columns.tolist()
    assert header[:3] == ["工号", "姓名", "A1 接听不及时"] and header[-1] == "笔试"
    assert [h.split(" ")[0] for h in header[2:-1]] == ITEMS
    assert (presales[ITEMS].sum() > 0).all()
    assert presales["exam"].between(0, 100).all() and presales["exam"].nunique() > 10
    assert presales.groupby("period").size().eq(20).all()
    assert presales["agent_id"].str.fullmatch(r"KF0[12]\d{2}").all()


def test_presales_engineered_cases(presales):
    assert one(presales, "2026-03", "KF0108")["B12"] == 2  # 5 + 10
    disc = one(presales, "2026-02", "KF0207")
    assert disc["discipline_raw"] == -8 and disc["discipline"] == 0
    bus = one(presales, "2026-03", "KF0106")
    assert bus["business_raw"] == -26 and bus["business"] == 0
    red = presales[(presales["R1"] > 0) | (presales["R2"] > 0)]
    assert red[["period", "agent_id", "R1", "R2"]].values.tolist() == [
        ["2026-05", "KF0206", 1, 0],
        ["2026-09", "KF0110", 0, 1],
    ]


def test_seed_worked_example_78_5(presales, cfg):
    r = one(presales, "2026-10", "KF0103")
    assert (r["business"], r["discipline"], r["exam"], r["total"]) == (70, 95, 80, 78.5)
    pay = round(cfg["pay"]["base"] * r["total"] / 100, 2)
    assert pay == 314.00


def test_presales_ties_and_streaks(presales):
    jan = presales[presales["period"] == "2026-01"]
    a, b = one(jan, "2026-01", "KF0105"), one(jan, "2026-01", "KF0203")
    assert a[ITEMS + ["exam"]].tolist() == b[ITEMS + ["exam"]].tolist()
    assert a["total"] == b["total"] == 91.1 and a["rank"] == b["rank"]
    firsts = presales[presales["rank"] == 1].set_index("period")["agent_id"]
    assert firsts[["2026-04", "2026-05", "2026-06"]].tolist() == ["KF0104"] * 3
    assert (
        presales[presales["period"].isin(["2026-04", "2026-05", "2026-06"])]
        .query("rank == 1")
        .shape[0]
        == 3
    )  # sole first place each month
    assert sole_last(presales, ["2026-07", "2026-08", "2026-09"]) == ["KF0209"] * 3
    assert (presales.groupby("period")["rank"].max() >= 19).all()  # a bottom two every month


# ---------------------------------------------------------------------------------------------
# After-sales scorecards
def test_aftersales_grades_and_callbacks(aftersales):
    assert set(aftersales["attitude"]) == set("ABCDE")
    assert set(aftersales["teamwork"]) == set("ABCDE")
    assert (aftersales[CB].sum() > 0).all()
    not_log = aftersales[aftersales["period"] != "2026-06"]
    assert (not_log["n_callbacks"] == 20).all()
    assert aftersales["complaints"].sum() > 5
    assert one(aftersales, "2026-07", "KF0308")["complaints"] == 4


def test_aftersales_callback_log_month_with_fewer_than_20():
    path = SAMPLE / "scorecards" / "2026-06_绩效考核.xlsx"
    sheet = xl(path, "售后专员")
    assert not any(c.startswith("回访") for c in sheet.columns)
    log = xl(path, "回访记录", dtype={"工号": str})
    assert list(log.columns) == ["工号", "日期", "评价"]
    assert set(log["评价"]) == set("ABCD")
    assert pd.to_datetime(log["日期"]).dt.strftime("%Y-%m").eq("2026-06").all()
    counts = log.groupby("工号").size()
    assert counts[counts != 20].to_dict() == {"KF0301": 22, "KF0304": 14, "KF0309": 17}


def test_aftersales_floors_cap_ties_and_streak(aftersales):
    v = one(aftersales, "2026-03", "KF0302")
    assert v["violations"] == 22 and v["rules"] == 0
    late = one(aftersales, "2026-08", "KF0307")
    assert late["late_reports"] == 21 and late["reports"] == 0
    assert one(aftersales, "2026-05", "KF0303")["suggestions"] == 8  # +40 capped at +30
    a, b = one(aftersales, "2026-01", "KF0302"), one(aftersales, "2026-01", "KF0306")
    assert a["total"] == b["total"] and a["rank"] == b["rank"]
    assert sole_last(aftersales, ["2026-02", "2026-03", "2026-04"]) == ["KF0305"] * 3


# ---------------------------------------------------------------------------------------------
# Staffing
def test_staffing_october_intervals_and_daily_curve():
    df = pd.read_csv(SAMPLE / "staffing" / "来电量_2026-10.csv", dtype={"时段": str})
    assert list(df.columns) == ["日期", "时段", "来电量", "平均处理时长(秒)"]
    assert df["日期"].nunique() == 31 and len(df) == 31 * 28
    slots = df["时段"].unique().tolist()
    assert slots[0] == "07:30" and slots[-1] == "21:00" and len(slots) == 28
    assert df["平均处理时长(秒)"].between(150, 400).all()
    day = pd.to_datetime(df["日期"])
    weekday = df[(day.dt.day_of_week < 5) & (day.dt.day > 7)]
    curve = weekday.groupby("时段")["来电量"].mean()
    morning, afternoon = curve.loc["09:00":"10:30"].max(), curve.loc["14:00":"15:30"].max()
    assert morning > 1.3 * curve.loc["12:30"] and afternoon > 1.3 * curve.loc["12:30"]
    assert morning > 3 * curve.loc["07:30"] and afternoon > 3 * curve.loc["21:00"]
    daily = df.groupby(day.dt.date)["来电量"].sum()
    weekend = [d for d in daily.index if d.weekday() >= 5 and d.day > 7]
    workday = [d for d in daily.index if d.weekday() < 5 and d.day > 7]
    assert daily[weekend].max() < daily[workday].min()


# ---------------------------------------------------------------------------------------------
# Call logs and complaint records: consistent with the staffing table and the scorecards
@pytest.fixture(scope="module")
def calls() -> pd.DataFrame:
    october = pd.read_csv(SAMPLE / CALL_FILES[0], encoding="utf-8-sig", dtype={"坐席工号": str})
    earlier = pd.read_parquet(SAMPLE / CALL_FILES[1])
    out = pd.concat([earlier, october.assign(呼入时间=pd.to_datetime(october["呼入时间"]))])
    return out.reset_index(drop=True)


@pytest.fixture(scope="module")
def complaints() -> pd.DataFrame:
    return xl(SAMPLE / COMPLAINT_FILE, "投诉单", dtype={"责任坐席": str})


def test_call_log_headers_and_masking(calls):
    assert list(calls.columns) == [
        "呼叫编号", "呼入时间", "客户标识", "技能组", "坐席工号", "呼叫结果",
        "排队时长(秒)", "通话时长(秒)", "保持时长(秒)", "话后处理(秒)", "满意度", "是否解决",
    ]  # fmt: skip
    assert calls["客户标识"].str.fullmatch(r"[0-9a-f]{16}").all()  # a hash, never a number
    assert set(calls["技能组"]) == {"售前", "售后"}
    assert set(calls["呼叫结果"]) == {"接通", "放弃"}
    assert (calls["坐席工号"].isna() == (calls["呼叫结果"] == "放弃")).all()
    months = calls["呼入时间"].dt.strftime("%Y-%m")
    assert sorted(months.unique()) == ["2026-07", "2026-08", "2026-09", "2026-10"]
    rated = calls.loc[calls["呼叫结果"] == "接通", "满意度"].notna().mean()
    assert 0.24 < rated < 0.26
    assert calls["满意度"].dropna().isin([1, 2, 3, 4, 5]).all()


def test_october_offered_and_handle_time_equal_the_staffing_table(calls):
    start = calls["呼入时间"]
    oct_ = calls[start.dt.month == 10].assign(
        日期=start.dt.strftime("%Y-%m-%d"), 时段=start.dt.floor("30min").dt.strftime("%H:%M")
    )
    ans = oct_[oct_["呼叫结果"] == "接通"]
    handle = ans["通话时长(秒)"] + ans["保持时长(秒)"] + ans["话后处理(秒)"]
    staffing = pd.read_csv(SAMPLE / "staffing" / "来电量_2026-10.csv").set_index(["日期", "时段"])
    offered = oct_.groupby(["日期", "时段"]).size()
    assert (offered == staffing["来电量"]).all() and len(offered) == len(staffing)
    aht = handle.groupby([ans["日期"], ans["时段"]]).mean().round()
    assert (aht == staffing["平均处理时长(秒)"]).all()


def test_aftersales_answered_calls_equal_tickets_and_complaints_equal_scorecards(
    calls, complaints, aftersales
):
    answered = calls[(calls["技能组"] == "售后") & (calls["呼叫结果"] == "接通")]
    per_agent = answered.groupby([answered["呼入时间"].dt.strftime("%Y-%m"), "坐席工号"]).size()
    per_complaint = complaints.groupby(
        [complaints["受理时间"].dt.strftime("%Y-%m"), "责任坐席"]
    ).size()
    for rec in aftersales[aftersales["period"] >= "2026-07"].itertuples():
        assert per_agent.get((rec.period, rec.agent_id), 0) == rec.tickets
        assert per_complaint.get((rec.period, rec.agent_id), 0) == rec.complaints
    assert answered["坐席工号"].str.startswith("KF03").all()


def test_complaint_records_designed_cases(complaints):
    assert set(complaints["渠道"]) == {"电话", "微信", "邮件", "门店"}
    assert complaints["投诉单号"].is_unique
    open_ = complaints[complaints["处理状态"] == "处理中"]
    assert open_[["投诉单号", "责任坐席"]].values.tolist() == [["TS202610010", "KF0307"]]
    assert open_["结案时间"].isna().all()
    took = complaints["结案时间"] - complaints["受理时间"]
    late = complaints[took > pd.Timedelta(days=3)]
    assert late["投诉单号"].tolist() == ["TS202608004"]


# ---------------------------------------------------------------------------------------------
def test_generator_is_deterministic_and_committed_files_are_current(tmp_path):
    """A rerun into a temporary folder gives the same bytes as the committed sample."""
    script = PROJ_ROOT / "scripts" / "make_sample.py"
    subprocess.run(
        [sys.executable, str(script), "--out", str(tmp_path)], check=True, capture_output=True
    )
    fresh = {p.relative_to(tmp_path): p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    committed = {p.relative_to(SAMPLE): p.read_bytes() for p in SAMPLE.rglob("*") if p.is_file()}
    assert fresh.keys() == committed.keys()
    stale = [str(k) for k in fresh if fresh[k] != committed[k]]
    assert stale == []
