"""Generate the legacy-format corpus files: an .xls plan (the seed budget itself was an .xls) and
an .ods ledger (LibreOffice users). Expected outcomes live in tests/test_io_legacy.py.

Writing these formats needs ``xlwt`` and ``odfpy``, which the project does not depend on (it only
reads them, through calamine): ``.venv/bin/pip install xlwt odfpy`` then
``.venv/bin/python tests/corpus/make_legacy.py``. The generated files are committed.
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent / "legacy"

PLAN_ROWS = [
    ["客服部2026年度费用预算表"],
    ["单位:千元"],
    [],
    ["部门", "费用项目", "明细", "1月", "2月", "3月", "合计"],
    ["一、人员成本"],
    ["售前处", None, "工资", 100, 100, 100, 300],
    ["售前处", None, "社保", "20", "20", "20", 60],
    ["小计", None, None, 120, 120, 120, 360],
    ["二、培训成本"],
    ["售后处", None, "外训", 5, 0, 7.5, 12.5],
    ["小计", None, None, 5, 0, 8, 13],
    ["合计", None, None, 125, 120, 128, 373],
]

LEDGER_ROWS = [
    ["日期", "凭证号", "部门", "科目", "摘要", "金额"],
    ["2026-01-05", "记-001", "售前处", "工资", "1月工资", "98,500.00"],
    ["2026-01-20", "记-002", "售后处", "培训费", "外训报名", "4,800.00"],
    ["2026-02-03", "记-003", "售后处", "培训费", "退款", "(300.00)"],
    ["2026-02-05", "记-004", "售前处", "工资", "2月工资", "99,000"],
    ["合计", None, None, None, None, "202,000.00"],
]


def write_xls(path: Path) -> None:
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("年度预算")
    for r, row in enumerate(PLAN_ROWS):
        for c, v in enumerate(row):
            if v is not None:
                ws.write(r, c, v)
    wb.save(str(path))


def write_ods(path: Path) -> None:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    table = Table(name="明细账")
    for row in LEDGER_ROWS:
        tr = TableRow()
        for v in row:
            cell = TableCell(valuetype="string") if v is not None else TableCell()
            if v is not None:
                cell.addElement(P(text=str(v)))
            tr.addElement(cell)
        table.addElement(tr)
    doc.spreadsheet.addElement(table)
    doc.save(str(path))


def main() -> None:
    HERE.mkdir(parents=True, exist_ok=True)
    write_xls(HERE / "plan_sections.xls")
    write_ods(HERE / "ledger.ods")
    print(f"wrote {HERE / 'plan_sections.xls'} and {HERE / 'ledger.ods'}")


if __name__ == "__main__":
    main()
