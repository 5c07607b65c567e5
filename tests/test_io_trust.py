"""Wrong figures an independent tester found published with exit 0, each now right or refused.

Every case is built here from its own labels and numbers: a pin written after a first load, a
plan line named like a default map entry, a sign convention differing between month sheets, a
收支 column marking refunds, inputs that cannot be opened, agent IDs spelt two ways, a pasted pin
for two columns with one header, an English month in a file name, components missing together.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from analysis import budget
from analysis import scorecard as sc
from analysis.config import load_config
from analysis.io import InputError, load_all


def _xlsx(path: Path, sheets: dict[str, list[list[Any]]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    wb.save(path)


def _csv(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_a_pin_written_after_a_cached_load_takes_effect(tmp_path: Path) -> None:
    _csv(
        tmp_path / "budget" / "2027年预算.csv", "费用项目,全年预算\n呼叫中心租金,96\n工单系统,24\n"
    )
    cache = tmp_path / "cache"
    first = load_all(tmp_path, cache_dir=cache)
    assert first.plan["plan"].sum() == pytest.approx(120.0)
    (tmp_path / "config.toml").write_text(
        '[[read]]\nfile = "budget/2027年预算.csv"\nunit = "千元"\n', encoding="utf-8"
    )
    pinned = load_all(tmp_path, cache_dir=cache)  # same file bytes, same cache folder
    assert pinned.plan["plan"].sum() == pytest.approx(120_000.0)
    assert (
        pinned.inputs.loc[0, "unit"] == "千元" and pinned.inputs.loc[0, "unit_source"] == "config"
    )


def test_a_plan_line_named_like_a_default_map_entry_gets_its_own_spending(tmp_path: Path) -> None:
    # The default map sends 加班费 to 人员成本; this plan has a line 加班费 and none 人员成本.
    _csv(tmp_path / "budget" / "2026预算.csv", "科目,全年预算\n加班费,24000\n耳麦,3600\n")
    _csv(
        tmp_path / "actuals" / "明细.csv",
        "日期,科目,金额\n2026-02-03,加班费,1850\n2026-02-17,耳麦,420\n2026-02-20,团建,300\n",
    )
    ds = load_all(tmp_path, use_cache=False)
    t = budget.reconcile(ds.plan, ds.actuals, "2026-02", load_config(tmp_path))
    got = t.set_index("category")["actual"].to_dict()
    assert got["加班费"] == 1850.0 and got["耳麦"] == 420.0
    assert got[budget.UNBUDGETED] == 300.0  # only 团建 has no line


def test_month_sheets_with_one_refund_each_read_as_the_same_convention(tmp_path: Path) -> None:
    head = ["费用项目", "计划", "实际"]
    _xlsx(
        tmp_path / "budget" / "2026执行.xlsx",
        {
            "7月": [
                head,
                ["热线外包", -30000, -31250.5],
                ["短信", -800, 120],
                ["培训", -500, -460],
            ],
            "8月": [head, ["热线外包", -30000, -29980], ["短信", -800, -760], ["培训", -500, -90]],
        },
    )
    ds = load_all(tmp_path, use_cache=False)
    assert set(ds.inputs["sign"]) == {"negative"}
    plan = ds.plan.groupby("period")["plan"].sum().to_dict()
    act = ds.actuals.groupby("period")["amount"].sum().round(2).to_dict()
    assert plan == {"2026-07": 31300.0, "2026-08": 31300.0}
    # July: 31,250.50 + 460 spent, 120 back on 短信 (a refund, read as −120).
    assert act == {"2026-07": 31590.5, "2026-08": 30830.0}


def test_sheets_read_with_opposite_conventions_are_named(tmp_path: Path) -> None:
    head = ["项目", "预算", "实际"]
    _xlsx(
        tmp_path / "budget" / "2026执行.xlsx",
        {
            "9月": [head, ["甲", -100, -90], ["乙", -50, -70], ["丙", -10, -12]],
            "10月": [head, ["甲", 100, 95], ["乙", 50, 40], ["丙", 10, 11]],
        },
    )
    ds = load_all(tmp_path, use_cache=False)
    row = ds.dq[ds.dq["code"] == "sign_differs"]
    assert len(row) == 1 and row["severity"].item() == "warning"
    assert "9月" in row["message"].item() and "10月" in row["value"].item()


def test_a_direction_column_marks_refunds_on_cost_categories(tmp_path: Path) -> None:
    _csv(
        tmp_path / "actuals" / "流水2026.csv",
        "日期,收支,科目,金额\n"
        "2026-05-02,支出,质检培训,4200\n"
        "2026-05-09,收入,质检培训,650\n"  # the trainer's refund
        "2026-05-11,支出,电话费,1310\n"
        "2026-05-20,收入,增值服务收入,9000\n"
        "2026-05-21,收入,增值服务收入,1200\n"
        "2026-05-28,支出,增值服务收入,300\n",  # a customer refund on a revenue category
    )
    ds = load_all(tmp_path, use_cache=False)
    by_cat = ds.actuals.groupby("category")["amount"].sum().to_dict()
    assert by_cat == {"质检培训": 3550.0, "电话费": 1310.0, "增值服务收入": 9900.0}
    refunds = ds.dq[ds.dq["code"] == "refund_by_direction"]
    assert sorted(refunds["row"].astype(int)) == [3, 7]


def test_an_input_that_cannot_be_opened_stops_the_load(tmp_path: Path) -> None:
    _csv(tmp_path / "budget" / "2026预算.csv", "科目,全年预算\n电话费,1200\n")
    (tmp_path / "actuals").mkdir()
    os.symlink(tmp_path / "gone" / "明细.xlsx", tmp_path / "actuals" / "明细.xlsx")
    with pytest.raises(InputError) as err:
        load_all(tmp_path, use_cache=False)
    assert "actuals/明细.xlsx" in str(err.value) and "不存在" in str(err.value)
    (tmp_path / "actuals" / "明细.xlsx").unlink()
    (tmp_path / "actuals" / "九月.csv").mkdir()
    with pytest.raises(InputError) as err:
        load_all(tmp_path, use_cache=False)
    assert "actuals/九月.csv" in str(err.value) and "folder" in str(err.value)


def test_one_agent_spelt_two_ways_is_never_paid_twice(tmp_path: Path) -> None:
    _csv(tmp_path / "actuals" / "l.csv", "日期,科目,金额\n2026-06-02,工资,1\n")
    head = ["工号", "姓名", "A1 响铃", "A2 问候", "B1 迟到", "笔试"]
    _xlsx(
        tmp_path / "scorecards" / "2026-06_售前.xlsx",
        {"售前": [head, ["hx-07", "韩", 0, 1, 0, 88], ["HX-08", "陆", 0, 0, 0, 90]]},
    )
    _xlsx(
        tmp_path / "scorecards" / "2026-06_补录.xlsx",
        {"补录": [head, [" HX-07 ", "韩", 0, 0, 0, 91]]},
    )
    ds = load_all(tmp_path, use_cache=False)
    assert sorted(ds.presales["agent_id"]) == ["HX-07", "HX-07", "HX-08"]
    table = sc.build_scorecards(ds.presales, ds.aftersales, ds.roster, load_config(tmp_path))
    assert table.loc[table["agent_id"] == "HX-07", "pay"].isna().all()
    assert (ds.dq["code"] == "duplicate_scorecard").sum() == 2


def test_the_printed_pin_for_two_same_headers_names_a_letter(tmp_path: Path) -> None:
    _xlsx(
        tmp_path / "actuals" / "报销2026.xlsx",
        {"明细": [["日期", "科目", "金额", "金额"], ["2026-03-04", "差旅", 1060, 1000]]},
    )
    with pytest.raises(InputError) as err:
        load_all(tmp_path, use_cache=False)
    assert 'columns = { amount = "C" }' in err.value.pin
    (tmp_path / "config.toml").write_text(
        err.value.pin.replace('"C"', '"D"') + "\n", encoding="utf-8"
    )
    ds = load_all(tmp_path, use_cache=False)
    assert ds.actuals["amount"].tolist() == [1000.0]


def test_an_english_month_in_a_scorecard_file_name(tmp_path: Path) -> None:
    _csv(tmp_path / "actuals" / "l.csv", "日期,科目,金额\n2026-10-02,工资,1\n")
    head = ["工号", "姓名", "A1 响铃", "A2 问候", "B1 迟到", "笔试"]
    _xlsx(
        tmp_path / "scorecards" / "presales_Oct 2026.xlsx", {"S": [head, ["P1", "甲", 0, 0, 0, 70]]}
    )
    ds = load_all(tmp_path, use_cache=False)
    assert ds.presales["period"].tolist() == ["2026-10"]


def test_missing_components_are_named_together(tmp_path: Path) -> None:
    _csv(tmp_path / "actuals" / "l.csv", "日期,科目,金额\n2026-10-02,工资,1\n")
    _xlsx(
        tmp_path / "scorecards" / "2026-10_售后.xlsx",
        {"售后": [["工号", "姓名", "处理单量", "工作态度"], ["S1", "乙", 41, "A"]]},
    )
    with pytest.raises(InputError) as err:
        load_all(tmp_path, use_cache=False)
    text = str(err.value)
    for word in ("团队协作", "客户满意度"):
        assert word in text, text


def test_stacked_tables_keep_the_department_their_title_names(tmp_path: Path) -> None:
    rows: list[list[Any]] = [["Support costs, September 2026"], []]
    for dept, lines in (("Chat", [("Licences", 900, 910)]), ("Email", [("Licences", 400, 380)])):
        rows += [[f"Dept: {dept}"], ["Line item", "Plan", "Actual"]]
        rows += [[a, p, x] for a, p, x in lines]
        rows += [[f"{dept} total", sum(p for _, p, _ in lines), sum(x for _, _, x in lines)], []]
    rows.append(["Grand total", 1300, 1290])
    _xlsx(tmp_path / "budget" / "support.xlsx", {"Sep 2026": rows})
    ds = load_all(tmp_path, use_cache=False)
    got = ds.actuals.set_index("department")["amount"].to_dict()
    assert got == {"Chat": 910.0, "Email": 380.0}
    assert ds.plan.set_index("department")["plan"].to_dict() == {"Chat": 900.0, "Email": 400.0}
    assert not (ds.dq["code"] == "total_mismatch").any()  # the grand total closes both tables


def test_scorecard_average_rows_and_group_labels_are_never_agents(tmp_path: Path) -> None:
    _csv(tmp_path / "actuals" / "l.csv", "日期,科目,金额\n2026-10-02,工资,1\n")
    head = ["工号", "姓名", "A1 响铃", "B1 迟到", "笔试"]
    _xlsx(
        tmp_path / "scorecards" / "2026-10_售前.xlsx",
        {
            "售前": [
                head,
                ["东组"],
                ["Z1", "甲", 0, 0, 90],
                ["Z2", "乙", 2, 1, 80],
                ["东组平均", None, 1, 0.5, 85],
                ["平均分", None, 1, 0.5, 85],
            ]
        },
    )
    ds = load_all(tmp_path, use_cache=False)
    assert sorted(ds.presales["agent_id"]) == ["Z1", "Z2"]
    kinds = ds.dq.set_index("row")["code"].to_dict()
    assert kinds[2] == "note_row" and kinds[5] == "derived_row" and kinds[6] == "derived_row"


def test_a_percent_exam_is_never_a_fraction_of_a_point(tmp_path: Path) -> None:
    _csv(tmp_path / "actuals" / "l.csv", "日期,科目,金额\n2026-10-02,工资,1\n")
    head = ["工号", "姓名", "A1 响铃", "B1 迟到", "笔试"]
    _xlsx(
        tmp_path / "scorecards" / "2026-10_售前.xlsx",
        {"售前": [head, ["Y1", "甲", 0, 0, "88%"], ["Y2", "乙", 0, 0, 75]]},
    )
    ds = load_all(tmp_path, use_cache=False)
    table = sc.build_scorecards(ds.presales, ds.aftersales, ds.roster, load_config(tmp_path))
    assert table.loc[table["agent_id"] == "Y1", "pay"].isna().all()  # 待核实, not 0.88 points
    assert (ds.dq["row"] == 2).any()


def test_semicolon_files_with_decimal_commas(tmp_path: Path) -> None:
    _csv(
        tmp_path / "actuals" / "export.csv",
        "Datum;Kategorie;Betrag\n2026-10-03;Reisen;2.345,60\n2026-10-09;Reisen;12,40\n",
    )
    (tmp_path / "config.toml").write_text(
        '[aliases]\ndate = ["Datum"]\ncategory = ["Kategorie"]\namount = ["Betrag"]\n',
        encoding="utf-8",
    )
    ds = load_all(tmp_path, use_cache=False)
    assert ds.actuals["amount"].tolist() == [2345.6, 12.4]
    assert (ds.dq["code"] == "decimal_comma").any()


def test_foreign_currency_is_refused_not_added_as_yuan(tmp_path: Path) -> None:
    _csv(
        tmp_path / "actuals" / "a.csv",
        "日期,科目,金额,币种\n2026-10-03,差旅,300,CNY\n2026-10-04,差旅,80,USD\n",
    )
    with pytest.raises(InputError) as err:
        load_all(tmp_path, use_cache=False)
    assert "USD" in str(err.value) and "3" in str(err.value)
    _csv(tmp_path / "actuals" / "a.csv", "日期,科目,金额(美元)\n2026-10-03,差旅,300\n")
    with pytest.raises(InputError) as err:
        load_all(tmp_path, use_cache=False)
    assert "美元" in str(err.value)


def test_a_unit_in_the_file_name(tmp_path: Path) -> None:
    _csv(tmp_path / "budget" / "2026预算(万元).csv", "科目,全年预算\n电话费,1.2\n网络费,0.6\n")
    ds = load_all(tmp_path, use_cache=False)
    assert ds.plan["plan"].sum() == pytest.approx(18000.0)
    assert ds.inputs.loc[0, "unit"] == "万元" and "file name" in ds.inputs.loc[0, "unit_source"]


def test_a_pinned_header_two_columns_share_is_refused(tmp_path: Path) -> None:
    _xlsx(
        tmp_path / "actuals" / "报销2026.xlsx",
        {"明细": [["日期", "科目", "金额", "金额"], ["2026-03-04", "差旅", 1060, 1000]]},
    )
    (tmp_path / "config.toml").write_text(
        '[[read]]\nfile = "actuals/报销2026.xlsx"\ncolumns = { amount = "金额" }\n',
        encoding="utf-8",
    )
    with pytest.raises(InputError) as err:
        load_all(tmp_path, use_cache=False)
    assert "C" in str(err.value) and "D" in str(err.value)


def test_a_table_whose_every_row_is_rejected_stops_the_load(tmp_path: Path) -> None:
    _csv(tmp_path / "actuals" / "p.csv", "期间,科目,金额\nP10,差旅,300\nP11,差旅,80\n")
    with pytest.raises(InputError) as err:
        load_all(tmp_path, use_cache=False)
    assert "actuals/p.csv" in str(err.value) and "bad_period" in str(err.value)


def test_accounting_negatives_and_units_in_cells(tmp_path: Path) -> None:
    _csv(
        tmp_path / "actuals" / "a.csv",
        "日期,科目,金额\n2026-10-01,外包,1.5万\n2026-10-02,外包,△800\n"
        '2026-10-03,外包,"1,200.00-"\n2026-10-04,外包,红字50\n'
        + "".join(f"2026-10-{d},话费,{100 + d}\n" for d in range(10, 30)),
    )
    ds = load_all(tmp_path, use_cache=False)
    assert ds.actuals["amount"].tolist()[:4] == [15000.0, -800.0, -1200.0, -50.0]
