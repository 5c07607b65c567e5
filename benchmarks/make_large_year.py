#!/usr/bin/env python
"""Generate a large synthetic year for ``make bench`` under ``benchmarks/data/`` (git-ignored).

Why: the sample holds 30 agents and 2,227 ledger lines; a large centre has thousands of agents
and a million ledger lines a year. This folder has the sample's layout and headers, so
``analysis run --data benchmarks/data/large_2026`` runs exactly as on the sample:

- ``roster.xlsx``: 2,000 agents (half 售前处, half 售后处), teams of 10, the first one 组长;
  20 agents join in July (no scorecards before: ``missing_scorecard`` warnings, as in life).
- ``scorecards/2026-MM_绩效考核.xlsx`` × 12: sheets 售前专员 and 售后专员, the sample's headers.
- ``budget/客服中心2026年度费用预算.xlsx``: 500 plan lines (10 部门 × 5 费用项目 × 10 明细) ×
  12 months plus 合计 column and row.
- ``actuals/费用明细账2026_1-2月.xlsx``: 200,000 ledger lines (Jan-Feb), shared strings, dates
  as Excel serials, as Excel writes them.
- ``actuals/2026-03_12_费用明细.csv``: 1,000,000 ledger lines (Mar-Dec), UTF-8 with BOM.
- ``staffing/来电量_2026-12.csv``: December intervals at ten times the sample's volume.

Plus ``scale_<N>/`` folders (the plan and an N-line CSV ledger, every k-th line of the big
CSV) for the 10k / 100k / 1M growth figures. Fixed seed; a folder is reused while its
``.params.json`` matches, so only the first ``make bench`` pays for generation.

Run: ``.venv/bin/python benchmarks/make_large_year.py [--force] [--small]``
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import importlib.util
import itertools
import json
import os
import shutil
import sys
import time
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import numpy as np

from analysis.io.grid import col_letter

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = HERE / "data"
LARGE = DATA / "large_2026"
GENERATOR_VERSION = 2
YEAR = 2026
SEED = 20260707


def _sample_module() -> Any:
    """``scripts/make_sample.py`` as a module: the large year reuses the sample's headers."""
    spec = importlib.util.spec_from_file_location(
        "make_sample", ROOT / "scripts" / "make_sample.py"
    )
    mod = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    sys.modules.setdefault("make_sample", mod)
    spec.loader.exec_module(mod)
    return mod


S = _sample_module()

DEPARTMENTS = [f"售前{n}部" for n in "一二三四五"] + [f"售后{n}部" for n in "一二三四五"]
#: 费用项目 → its 10 明细 (ledger lines name the 明细 as their 科目, mapped by plan item).
CATEGORIES = {
    "人员成本": ["工资", "社保公积金", "绩效及补贴", "加班费用", "餐费补贴", "通讯补助", "招聘费用",
             "福利费", "体检费", "工会经费"],
    "设备成本": ["电脑及耳麦", "呼叫中心线路", "工单系统", "话机维修", "服务器租赁", "软件授权",
             "办公家具", "打印耗材", "网络费", "监控设备"],
    "培训成本": ["岗前培训", "技能培训", "管理培训", "外部课程", "认证考试", "培训教材", "讲师费",
             "培训场地费", "线上课程", "培训差旅"],
    "差旅费用": ["上门服务差旅", "会议差旅", "出差住宿", "出差交通", "出差补贴", "市内交通",
             "客户拜访", "展会差旅", "调研差旅", "其他差旅"],
    "业务外包": ["夜间外包坐席", "外包维修服务", "外包质检", "外包回访", "外包翻译", "外包数据录入",
             "节假日外包", "外包培训", "外包咨询", "外包呼入"],
}  # fmt: skip
#: Ledger labels that map through defaults.toml [budget.category_map] (category only).
MAPPED_LABELS = ["耳麦", "电脑", "机票", "酒店", "培训费", "外包服务费", "加班费"]
#: Labels that map nowhere: 计划外支出.
UNMAPPED_LABELS = ["团建费", "咨询费", "招待费", "会员费", "杂费"]
LEDGER_HEADER = ["日期", "凭证号", "部门", "科目", "摘要", "金额"]


# =============================================================================================
# A streaming .xlsx writer: rows go straight into the zip (openpyxl would hold 1.2M cells).


class XlsxWriter:
    """Minimal, valid .xlsx as Excel writes it: shared strings, dates as serials with a date
    format, a ``dimension`` per sheet. Rows are streamed; only the string table stays in memory."""

    _NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    _R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.zf = zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1)
        self.sheets: list[str] = []
        self.strings: dict[str, int] = {}
        self.n_refs = 0

    def _s(self, text: str) -> int:
        idx = self.strings.get(text)
        if idx is None:
            idx = self.strings[text] = len(self.strings)
        return idx

    def _cell(self, ref: str, value: Any) -> str:
        if value is None or value == "":
            return ""
        if isinstance(value, str):
            self.n_refs += 1
            return f'<c r="{ref}" t="s"><v>{self._s(value)}</v></c>'
        if isinstance(value, dt.date):
            return f'<c r="{ref}" s="1"><v>{(value - dt.date(1899, 12, 30)).days}</v></c>'
        if isinstance(value, float):
            return f'<c r="{ref}" s="2"><v>{float(value)!r}</v></c>'
        return f'<c r="{ref}"><v>{value}</v></c>'

    def sheet(self, name: str, rows: Iterable[Sequence[Any]], n_rows: int, n_cols: int) -> None:
        """Write one sheet; ``n_rows``/``n_cols`` give the declared dimension."""
        self.sheets.append(name)
        letters = [col_letter(i) for i in range(n_cols)]
        idx = len(self.sheets)
        with self.zf.open(f"xl/worksheets/sheet{idx}.xml", "w") as fh:
            fh.write(
                f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet {self._NS} '
                f'{self._R}><dimension ref="A1:{letters[-1]}{n_rows}"/><sheetData>'.encode()
            )
            buf: list[str] = []
            for r, row in enumerate(rows, start=1):
                cells = "".join(self._cell(f"{letters[c]}{r}", v) for c, v in enumerate(row))
                buf.append(f'<row r="{r}">{cells}</row>')
                if len(buf) >= 5000:
                    fh.write("".join(buf).encode())
                    buf.clear()
            fh.write(("".join(buf) + "</sheetData></worksheet>").encode())

    def close(self) -> None:
        ns, r = self._NS, self._R
        n = len(self.sheets)
        head = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            for i in range(1, n + 1)
        )
        self.zf.writestr(
            "[Content_Types].xml",
            head + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sheet.main+xml"/>' + overrides + '<Override PartName="'
            '/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'spreadsheetml.styles+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType='
            '"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
            "</Types>",
        )
        rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
        self.zf.writestr(
            "_rels/.rels",
            head + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
            f'relationships"><Relationship Id="rId1" Type="{rel}/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>',
        )
        sheets = "".join(
            f'<sheet name="{escape(s)}" sheetId="{i}" r:id="rId{i}"/>'
            for i, s in enumerate(self.sheets, start=1)
        )
        self.zf.writestr(
            "xl/workbook.xml", head + f"<workbook {ns} {r}><sheets>{sheets}</sheets></workbook>"
        )
        rels = "".join(
            f'<Relationship Id="rId{i}" Type="{rel}/worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, n + 1)
        )
        rels += f'<Relationship Id="rId{n + 1}" Type="{rel}/styles" Target="styles.xml"/>'
        rels += (
            f'<Relationship Id="rId{n + 2}" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/>'
        )
        self.zf.writestr(
            "xl/_rels/workbook.xml.rels",
            head + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
            f'relationships">{rels}</Relationships>',
        )
        self.zf.writestr(
            "xl/styles.xml",
            head + f'<styleSheet {ns}><numFmts count="1"><numFmt numFmtId="164" '
            'formatCode="yyyy-mm-dd"/></numFmts><fonts count="1"><font><sz val="11"/>'
            '<name val="等线"/></font></fonts><fills count="2"><fill><patternFill '
            'patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
            '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border>'
            '</borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" '
            'borderId="0"/></cellStyleXfs><cellXfs count="3"><xf numFmtId="0" fontId="0" '
            'fillId="0" borderId="0" xfId="0"/><xf numFmtId="164" fontId="0" fillId="0" '
            'borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="4" fontId="0" '
            'fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs><cellStyles '
            'count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>',
        )
        with self.zf.open("xl/sharedStrings.xml", "w") as fh:
            fh.write(
                f'{head}<sst {ns} count="{self.n_refs}" uniqueCount="{len(self.strings)}">'.encode()
            )
            buf: list[str] = []
            for s in self.strings:  # dicts keep insertion order = index order
                buf.append(f"<si><t>{escape(s)}</t></si>")
                if len(buf) >= 10000:
                    fh.write("".join(buf).encode())
                    buf.clear()
            fh.write(("".join(buf) + "</sst>").encode())
        self.zf.close()


# =============================================================================================
# Content


def make_roster(rng: np.random.Generator, agents: int) -> list[list[str]]:
    """工号, 姓名, 处, 组, 组长 — the sample's roster columns; teams of 10."""
    sur = rng.choice(S.SURNAMES, agents)
    g1 = rng.choice(S.GIVEN, agents)
    g2 = np.where(rng.random(agents) < 0.7, rng.choice(S.GIVEN, agents), "")
    names = [f"{a}{b}{c}" for a, b, c in zip(sur, g1, g2, strict=True)]
    n_pre = agents // 2
    rows = []
    for i in range(agents):
        pre = i < n_pre
        k = i if pre else i - n_pre
        team = f"{'售前' if pre else '售后'}{k // 10 + 1:03d}组"
        leader = names[i - k % 10]
        rows.append([f"KF{i + 1:05d}", names[i], "售前处" if pre else "售后处", team, leader])
    return rows


def make_scorecards(
    rng: np.random.Generator, roster: list[list[str]], month: int, late_joiners: set[str]
) -> tuple[list[list[Any]], list[list[Any]]]:
    """One month's 售前专员 and 售后专员 rows (counts drawn like the sample's generator)."""
    active = [r for r in roster if not (month < 7 and r[0] in late_joiners)]
    pre = [r for r in active if r[2] == "售前处"]
    post = [r for r in active if r[2] == "售后处"]
    care = rng.lognormal(0.0, 0.35, len(pre))
    counts = np.column_stack(
        [rng.poisson(S.ITEM_RATE[c] * care) for c in S.PRESALES_ITEMS]
    ).tolist()
    exam = np.clip(np.rint(rng.normal(83, 6, len(pre))), 50, 100).astype(int).tolist()
    pre_rows = [[r[0], r[1], *c, e] for r, c, e in zip(pre, counts, exam, strict=True)]
    n = len(post)
    skill = rng.normal(0, 1, n)
    tickets = np.rint(rng.normal(310, 30, n) + 18 * skill).astype(int)
    good = np.clip(0.55 + 0.08 * skill, 0.3, 0.8)
    probs = np.column_stack([good, (1 - good) * 0.65, (1 - good) * 0.25, (1 - good) * 0.10])
    cbs = rng.multinomial(20, probs)
    grades = list("ABCDE")
    p = [0.42, 0.4, 0.12, 0.04, 0.02]
    att, team = rng.choice(grades, n, p=p), rng.choice(grades, n, p=p)
    extra = np.column_stack(
        [rng.poisson(0.5, n), rng.poisson(0.3, n), rng.poisson(0.6, n), rng.poisson(0.35, n)]
    )
    post_rows = [
        [r[0], r[1], int(t), *map(int, cb), str(a), str(tw), *map(int, x)]
        for r, t, cb, a, tw, x in zip(post, tickets, cbs, att, team, extra, strict=True)
    ]
    return pre_rows, post_rows


def plan_keys() -> list[tuple[str, str, str]]:
    return [(d, c, i) for d in DEPARTMENTS for c, items in CATEGORIES.items() for i in items]


def make_ledger(rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    """``n`` ledger lines over the year, sorted by date: most name a plan 明细 of their 部门,
    5 % of the 售后 lines a label defaults.toml maps to a 费用项目, 5 % map nowhere; 1 % are
    refunds."""
    keys = plan_keys()
    k = len(keys)
    # some lines carry much more spending than others (salaries vs printer toner)
    line_scale = rng.lognormal(6.0, 1.0, k)
    weight = rng.dirichlet(np.ones(k) * 2.0)
    pick = rng.choice(k, n, p=weight)
    day = np.sort(rng.integers(0, 365, n))
    kind = rng.random(n)
    dept_idx = np.array([DEPARTMENTS.index(d) for d, _, _ in keys])[pick]
    item = np.array([i for _, _, i in keys], dtype=object)[pick]
    label = item.copy()
    # labels booked by category only (no 明细) occur in the 售后 部门: their categories are
    # reported as one row each, the 售前 部门 keep a row per 明细 (both table shapes at scale)
    mapped = (kind > 0.90) & (dept_idx >= len(DEPARTMENTS) // 2)
    unmapped = kind > 0.95
    label[mapped] = np.array(MAPPED_LABELS, dtype=object)[rng.integers(0, 7, mapped.sum())]
    label[unmapped] = np.array(UNMAPPED_LABELS, dtype=object)[rng.integers(0, 5, unmapped.sum())]
    amount = np.round(line_scale[pick] * rng.lognormal(0.0, 0.6, n), 2)
    refund = rng.random(n) < 0.01
    amount[refund] = -np.round(amount[refund] * 0.5, 2)
    return {"day": day, "dept": dept_idx, "label": label, "amount": amount, "pick": pick}


def ledger_rows(led: dict[str, np.ndarray], lo: int, hi: int) -> Iterable[list[Any]]:
    """Rows ``lo``..``hi`` of the ledger as (date, voucher, 部门, 科目, 摘要, amount)."""
    start = dt.date(YEAR, 1, 1)
    seq = itertools.count(lo + 1)
    for day, dept, label, amount in zip(
        led["day"][lo:hi].tolist(),
        led["dept"][lo:hi].tolist(),
        led["label"][lo:hi],
        led["amount"][lo:hi].tolist(),
        strict=True,
    ):
        d = start + dt.timedelta(days=day)
        s = next(seq)
        memo = f"{'退款 ' if amount < 0 else ''}{label} 第{s % 997 + 1}笔"
        yield [d, f"记-{d.month:02d}-{s:07d}", DEPARTMENTS[dept], label, memo, amount]


def make_plan(rng: np.random.Generator, led: dict[str, np.ndarray]) -> list[list[Any]]:
    """Monthly plan per line ≈ its own spending × a factor (some lines over, some under)."""
    keys = plan_keys()
    month = (np.datetime64(f"{YEAR}-01-01") + led["day"].astype("timedelta64[D]")).astype(
        "datetime64[M]"
    ).astype(int) % 12
    in_plan = led["label"] == np.array([k[2] for k in keys], dtype=object)[led["pick"]]
    sums = np.zeros((len(keys), 12))
    np.add.at(sums, (led["pick"][in_plan], month[in_plan]), led["amount"][in_plan])
    factor = rng.uniform(0.8, 1.25, len(keys))
    plan = np.maximum(np.round(sums / factor[:, None], -2), 0).astype(int)
    plan[rng.choice(len(keys), 10, replace=False)] = 1200  # small lines with no spending
    return [[d, c, i, *p.tolist(), int(p.sum())] for (d, c, i), p in zip(keys, plan, strict=True)]


def write_plan(rows: list[list[Any]], path: Path) -> None:
    months = [f"{m}月" for m in range(1, 13)]
    total = np.array([r[3:] for r in rows]).sum(axis=0).tolist()
    body = [
        [f"客服中心{YEAR}年度费用预算表"],
        ["单位:元"],
        [],
        ["部门", "费用项目", "明细", *months, "合计"],
        *rows,
        ["合计", None, None, *total],
    ]
    w = XlsxWriter(path)
    w.sheet("年度预算", body, len(body), 16)
    w.close()


def write_ledger_csv(led: dict[str, np.ndarray], lo: int, hi: int, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh, lineterminator="\r\n")
        w.writerow(LEDGER_HEADER)
        w.writerows(
            [d.isoformat(), v, dept, lab, memo, f"{amt:.2f}"]
            for d, v, dept, lab, memo, amt in ledger_rows(led, lo, hi)
        )


def write_staffing(rng: np.random.Generator, path: Path, scale: float = 10.0) -> None:
    """December intervals like the sample's October, ``scale`` times the volume."""
    starts = np.arange(7.5, 21.01, 0.5)
    mid = starts + 0.25
    labels = [f"{int(h):02d}:{int(round((h % 1) * 60)):02d}" for h in starts]
    curve = (
        0.25
        + np.exp(-0.5 * ((mid - 10) / 1.1) ** 2)
        + 0.85 * np.exp(-0.5 * ((mid - 14.75) / 1.4) ** 2)
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["日期", "时段", "来电量", "平均处理时长(秒)"])
        for day in range(1, 32):
            d = dt.date(YEAR, 12, day)
            daily = 2100.0 * scale * (0.62 if d.weekday() >= 5 else 1.0)
            calls = rng.poisson(daily * curve / curve.sum())
            aht = np.rint(235 + rng.normal(0, 9, len(mid))).astype(int)
            for lab, c, a in zip(labels, calls, aht, strict=True):
                w.writerow([d.isoformat(), lab, int(c), int(a)])


def _params(**kw: Any) -> dict[str, Any]:
    return {"generator": GENERATOR_VERSION, "seed": SEED, **kw}


def _fresh(folder: Path, params: dict[str, Any]) -> bool:
    stamp = folder / ".params.json"
    try:
        return json.loads(stamp.read_text(encoding="utf-8")) == params
    except (OSError, ValueError):
        return False


def build_large(
    out: Path = LARGE,
    *,
    agents: int = 2000,
    ledger_xlsx: int = 200_000,
    ledger_csv: int = 1_000_000,
    force: bool = False,
    log: Any = print,
) -> Path:
    """The large year in ``out`` (reused when already generated with the same parameters)."""
    params = _params(agents=agents, ledger_xlsx=ledger_xlsx, ledger_csv=ledger_csv)
    if not force and _fresh(out, params):
        return out
    t0 = time.perf_counter()
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    rng = np.random.default_rng(SEED)
    roster = make_roster(rng, agents)
    w = XlsxWriter(out / "roster.xlsx")
    w.sheet("花名册", [["工号", "姓名", "处", "组", "组长"], *roster], agents + 1, 5)
    w.close()
    late = {r[0] for r in rng.choice(np.array(roster, dtype=object), 20, replace=False)}
    pre_header = ["工号", "姓名", *[f"{c} {S.ITEM_TEXT[c]}" for c in S.PRESALES_ITEMS], "笔试"]
    for m in range(1, 13):
        pre, post = make_scorecards(rng, roster, m, late)
        w = XlsxWriter(out / "scorecards" / f"{YEAR}-{m:02d}_绩效考核.xlsx")
        w.sheet("售前专员", [pre_header, *pre], len(pre) + 1, len(pre_header))
        w.sheet("售后专员", [S.AFTERSALES_COLUMNS, *post], len(post) + 1, 13)
        w.close()
    log(f"  roster and 12 scorecard workbooks: {time.perf_counter() - t0:.1f} s")
    led = make_ledger(rng, ledger_xlsx + ledger_csv)
    write_plan(make_plan(rng, led), out / "budget" / f"客服中心{YEAR}年度费用预算.xlsx")
    t1 = time.perf_counter()
    w = XlsxWriter(out / "actuals" / f"费用明细账{YEAR}_1-2月.xlsx")
    w.sheet(
        "明细账",
        itertools.chain([LEDGER_HEADER], ledger_rows(led, 0, ledger_xlsx)),
        ledger_xlsx + 1,
        6,
    )
    w.close()
    log(f"  {ledger_xlsx:,}-line ledger .xlsx: {time.perf_counter() - t1:.1f} s")
    t1 = time.perf_counter()
    total = ledger_xlsx + ledger_csv
    write_ledger_csv(led, ledger_xlsx, total, out / "actuals" / f"{YEAR}-03_12_费用明细.csv")
    log(f"  {ledger_csv:,}-line ledger .csv: {time.perf_counter() - t1:.1f} s")
    write_staffing(rng, out / "staffing" / f"来电量_{YEAR}-12.csv")
    (out / "config.toml").write_text(
        "# 大样本基准数据 (benchmarks/make_large_year.py 生成, 请勿手改)\n"
        "# Large benchmark year; ledger 科目 name plan 明细 or defaults.toml labels.\n",
        encoding="utf-8",
    )
    (out / ".params.json").write_text(json.dumps(params), encoding="utf-8")
    log(f"generated {out} in {time.perf_counter() - t0:.1f} s")
    return out


def build_scale(n: int, large: Path = LARGE, *, force: bool = False) -> Path:
    """A folder with the large year's plan and an ``n``-line CSV ledger spread over the year
    (every k-th line of the big CSV), for the growth figures."""
    src = next((large / "actuals").glob("*.csv"))
    out = DATA / f"scale_{n}"
    params = _params(n=n, src_bytes=src.stat().st_size)
    if not force and _fresh(out, params):
        return out
    if out.exists():
        shutil.rmtree(out)
    (out / "actuals").mkdir(parents=True)
    shutil.copytree(large / "budget", out / "budget")
    dest = out / "actuals" / "ledger.csv"
    with open(src, encoding="utf-8-sig", newline="") as fh:
        total = sum(1 for _ in fh) - 1
    if n >= total:
        try:
            os.link(src, dest)
        except OSError:
            shutil.copy(src, dest)
    else:
        step = total / n
        wanted = {int(i * step) for i in range(n)}
        with (
            open(src, encoding="utf-8-sig", newline="") as fh,
            open(dest, "w", encoding="utf-8-sig", newline="") as outfh,
        ):
            outfh.write(fh.readline())
            outfh.writelines(line for i, line in enumerate(fh) if i in wanted)
    (out / ".params.json").write_text(json.dumps(params), encoding="utf-8")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--force", action="store_true", help="regenerate even if up to date")
    ap.add_argument("--out", type=Path, default=LARGE)
    ap.add_argument("--agents", type=int, default=2000)
    ap.add_argument("--ledger-xlsx", type=int, default=200_000)
    ap.add_argument("--ledger-csv", type=int, default=1_000_000)
    ap.add_argument("--scale", type=int, nargs="*", default=[], help="also make scale_<N> folders")
    args = ap.parse_args(argv)
    out = build_large(
        args.out,
        agents=args.agents,
        ledger_xlsx=args.ledger_xlsx,
        ledger_csv=args.ledger_csv,
        force=args.force,
    )
    for n in args.scale:
        build_scale(n, out, force=args.force)
    print(out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
