"""A file is read by what it is: encrypted, renamed, HTML-as-.xls, Big5, undecodable, unreadable.

Every hostile file here is built by the test itself (labels, numbers and positions differ from
the sample data). A refusal must be one paragraph naming the file, what was found and what to do.
"""

from __future__ import annotations

import errno
import io
import shutil
from pathlib import Path

import pandas as pd
import pytest

from analysis.io import InputError, load_all
from analysis.io.read import read_grids
from analysis.io.sniff import sniff
from analysis.io.text import decode_text

LEGACY = Path(__file__).parent / "corpus" / "legacy"


def _folder(tmp_path: Path, kind: str, name: str, data: bytes, config: str = "") -> Path:
    (tmp_path / kind).mkdir(parents=True, exist_ok=True)
    (tmp_path / kind / name).write_bytes(data)
    if config:
        (tmp_path / "config.toml").write_text(config, encoding="utf-8")
    return tmp_path


def _one_paragraph(err: InputError, name: str) -> str:
    """One paragraph (Chinese / English), then at most the config.toml lines that settle it."""
    full = str(err)
    text, _, pin = full.partition("\n\n")
    assert "\n" not in text and "Traceback" not in full
    if pin:
        assert pin == err.pin and pin.startswith("[[read]]")
    assert name in text
    assert " / " in text  # Chinese, then English
    return text


def _ledger_xlsx() -> bytes:
    buf = io.BytesIO()
    pd.DataFrame(
        {
            "记账日期": ["2026-08-11", "2026-08-19", "2026-09-02"],
            "费用科目": ["培训费", "差旅费", "培训费"],
            "发生额": ["2,406.18", "731.40", "15.07"],
        }
    ).to_excel(buf, index=False, sheet_name="明细")
    return buf.getvalue()


# ---------------------------------------------------------------------------------------------
# Encrypted workbooks


def test_encrypted_xlsx_says_password_protected(tmp_path: Path) -> None:
    ooxml = pytest.importorskip("msoffcrypto.format.ooxml")
    plain = io.BytesIO(_ledger_xlsx())
    out = io.BytesIO()
    ooxml.OOXMLFile(plain).encrypt("kefu-2026", out)
    data = _folder(tmp_path, "actuals", "加密账.xlsx", out.getvalue())
    with pytest.raises(InputError) as info:
        load_all(data, use_cache=False)
    text = _one_paragraph(info.value, "加密账.xlsx")
    assert "有密码保护" in text and "password protected" in text
    assert "损坏" not in text and "damaged" not in text


def test_ole2_with_encryption_stream_is_recognised_whatever_its_name(tmp_path: Path) -> None:
    # The directory of an encrypted OOXML file names its streams in UTF-16LE.
    body = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600 + "EncryptedPackage".encode("utf-16-le")
    )
    path = tmp_path / "report.xls"
    path.write_bytes(body + b"\x00" * 400)
    with pytest.raises(InputError) as info:
        sniff(path, "report.xls")
    assert "有密码保护" in _one_paragraph(info.value, "report.xls")


# ---------------------------------------------------------------------------------------------
# Content that differs from the extension


def test_xls_that_is_really_xlsx_loads_with_a_note(tmp_path: Path) -> None:
    data = _folder(tmp_path, "actuals", "费用.xls", _ledger_xlsx())
    ds = load_all(data, use_cache=False)
    a = ds.actuals.sort_values("source_row")
    assert a["amount"].tolist() == [2406.18, 731.40, 15.07]
    assert a["source_row"].tolist() == [2, 3, 4]
    assert a["source_sheet"].tolist() == ["明细"] * 3
    note = ds.dq[ds.dq["code"] == "content_differs"]
    assert note[["severity", "file", "value"]].values.tolist() == [
        ["info", "actuals/费用.xls", ".xls → xlsx"]
    ]
    assert "按实际内容读取" in note["message"].iloc[0]


def test_xlsx_that_is_really_xls_and_xls_that_is_really_ods(tmp_path: Path) -> None:
    (tmp_path / "budget").mkdir()
    (tmp_path / "actuals").mkdir()
    shutil.copy(LEGACY / "plan_sections.xls", tmp_path / "budget" / "plan.xlsx")
    shutil.copy(LEGACY / "ledger.ods", tmp_path / "actuals" / "ledger.xls")
    ds = load_all(tmp_path, use_cache=False)
    # Same figures as tests/test_io_legacy.py reads from the correctly named files.
    assert ds.plan["plan"].sum() == pytest.approx(372_500.0, abs=0.005)
    assert ds.actuals.sort_values("source_row")["amount"].tolist() == [
        98_500.0,
        4_800.0,
        -300.0,
        99_000.0,
    ]
    notes = ds.dq[ds.dq["code"] == "content_differs"].sort_values("file")
    assert notes[["file", "value"]].values.tolist() == [
        ["actuals/ledger.xls", ".xls → ods"],
        ["budget/plan.xlsx", ".xlsx → xls"],
    ]


HTML_LEDGER = """<html xmlns:x="urn:schemas-microsoft-com:office:excel">
<head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head>
<body>
<table border="1">
  <tr><td colspan="5">客服中心 2026年8月 费用报销明细(导出自OA)</td></tr>
  <tr><th>序号</th><th>日期</th><th>科目</th><th>金额</th><th>备注</th></tr>
  <tr><td>1</td><td>2026-08-04</td><td>外包服务费</td><td x:num="12045.5">12,045.50</td><td>&nbsp;</td></tr>
  <tr><td>2</td><td>2026-08-09</td><td>话费</td><td>3,310.27</td><td>月结<br>含短信</td></tr>
  <tr><td>3</td><td>2026-08-21</td><td>耳麦</td><td>(64.00)</td><td>退货</td></tr>
  <tr><td>4</td><td>2026-08-30</td><td>办公用品</td><td>009.90</td><td></td></tr>
</table>
</body></html>
"""


def test_html_table_saved_as_xls_loads_as_a_ledger_with_exact_amounts(tmp_path: Path) -> None:
    data = _folder(tmp_path, "actuals", "OA导出.xls", HTML_LEDGER.encode("gb18030"))
    ds = load_all(data, use_cache=False)
    a = ds.actuals.sort_values("source_row")
    assert a["amount"].tolist() == [12045.5, 3310.27, -64.0, 9.9]
    assert a["category"].tolist() == ["外包服务费", "话费", "耳麦", "办公用品"]
    assert a["period"].tolist() == ["2026-08"] * 4
    # Rows as Excel numbers them when it opens the page: title 1, header 2, data 3–6.
    assert a["source_row"].tolist() == [3, 4, 5, 6]
    note = ds.dq[ds.dq["code"] == "content_differs"]
    assert note["value"].tolist() == [".xls → HTML table"]
    assert not (ds.dq["severity"] == "error").any()


def test_html_grid_cells_merges_and_line_breaks(tmp_path: Path) -> None:
    page = (
        "<!DOCTYPE html><html><body><p>说明</p><table><thead>"
        '<tr><th rowspan="2">工号</th><th colspan="2">成绩</th></tr>'
        "<tr><th>笔试</th><th>实操</th></tr></thead><tbody>"
        "<tr><td>007</td><td>91</td><td>8&#8203;8</td></tr>"
        "<tr><td>A 12</td><td>x<br/>y</td><td></td></tr>"
        "</tbody></table><table><tr><td>第二张表</td></tr></table></body></html>"
    )
    path = tmp_path / "成绩.csv"
    path.write_text(page, encoding="utf-8")
    (grid,) = read_grids(path, "成绩.csv")
    rows = grid.cells.astype(object).where(grid.cells.notna(), None).values.tolist()
    assert rows == [
        ["工号", "成绩", None],
        [None, "笔试", "实操"],
        ["007", "91", "8\u200b8"],  # leading zeros stay: text is never turned into a number
        ["A 12", "x\ny", None],
        ["第二张表", None, None],
    ]
    assert list(grid.cells.index) == [1, 2, 3, 4, 5]
    assert grid.notes[0] == {"code": "content_differs", "value": ".csv → HTML table"}


def test_html_data_table_inside_a_layout_table(tmp_path: Path) -> None:
    page = (
        "<html><body><table width='100%'><tr><td>系统导出</td></tr><tr><td>"
        "<table><tr><td>日期</td><td>科目</td><td>金额</td></tr>"
        "<tr><td>2026-05-06</td><td>培训费</td><td>7,700.01</td></tr></table>"
        "</td></tr></table></body></html>"
    )
    data = _folder(tmp_path, "actuals", "嵌套.xls", page.encode("utf-8"))
    ds = load_all(data, use_cache=False)
    assert ds.actuals[["category", "amount", "source_row"]].values.tolist() == [
        ["培训费", 7700.01, 2]
    ]


def test_legacy_xls_password_error_from_the_reader_is_named_as_such() -> None:
    from analysis.io.excel import _unreadable

    err = _unreadable("budget/旧.xls", RuntimeError("Xls error: Workbook is password protected"))
    assert "有密码保护" in _one_paragraph(err, "budget/旧.xls")


def test_tab_separated_utf16_text_named_xls(tmp_path: Path) -> None:
    text = "日期\t科目\t金额\r\n2026-07-15\t快递费\t18.60\r\n2026-07-16\t快递费\t1,002.00\r\n"
    data = _folder(tmp_path, "actuals", "unicode.xls", b"\xff\xfe" + text.encode("utf-16-le"))
    ds = load_all(data, use_cache=False)
    assert ds.actuals["amount"].tolist() == [18.6, 1002.0]
    assert ds.dq[ds.dq["code"] == "content_differs"]["value"].tolist() == [".xls → text CSV"]


# ---------------------------------------------------------------------------------------------
# Encodings


def test_big5_csv_is_read_as_big5_with_a_note(tmp_path: Path) -> None:
    text = (
        "日期,科目,金額,備註\n2026-09-03,辦公用品,1234.50,購買碳粉\n2026-09-18,電話費,86.20,專線\n"
    )
    data = _folder(
        tmp_path,
        "actuals",
        "台北.csv",
        text.encode("big5"),
        config='[aliases]\namount = ["金額"]\n',
    )
    ds = load_all(data, use_cache=False)
    a = ds.actuals.sort_values("source_row")
    assert a["category"].tolist() == ["辦公用品", "電話費"]
    assert a["amount"].tolist() == [1234.5, 86.2]
    note = ds.dq[ds.dq["code"] == "encoding_guessed"]
    assert note["value"].tolist() == ["Big5"]
    assert "看起来是 Big5" in note["message"].iloc[0]


@pytest.mark.parametrize(
    "text",
    [
        "日期,科目,金额,备注\n2026-10-03,办公用品,1234.50,购买打印机墨盒\n",
        "科目,金额\n办公,1\n",  # also valid Big5 bytes: GB18030 must win the tie
        "工号,姓名\n001,张三\n002,李四\n",
    ],
)
def test_gbk_text_stays_gb18030_without_a_guess(text: str) -> None:
    decoded, encoding, guessed = decode_text(text.encode("gbk"))
    assert (decoded, encoding, guessed) == (text, "gb18030", False)


def test_another_encoding_is_read_when_confident_and_noted(tmp_path: Path) -> None:
    text = "日付,科目,金額\n2026-11-04,事務用品,3200\n2026-11-05,電話代,88\n2026-11-09,交通費,560\n"
    path = tmp_path / "東京.csv"
    path.write_bytes(text.encode("shift_jis"))
    (grid,) = read_grids(path, "東京.csv")
    assert grid.cells.iloc[1].tolist() == ["2026-11-04", "事務用品", "3200"]
    assert grid.notes == [{"code": "encoding_guessed", "value": "CP932"}]


def test_undecodable_text_names_the_encodings_tried(tmp_path: Path) -> None:
    data = _folder(tmp_path, "actuals", "乱码.csv", bytes(range(0x80, 0x100)) * 40)
    with pytest.raises(InputError) as info:
        load_all(data, use_cache=False)
    text = _one_paragraph(info.value, "乱码.csv")
    for name in ("UTF-8", "GB18030", "Big5", "UTF-16"):
        assert name in text
    assert "CSV UTF-8" in text


# ---------------------------------------------------------------------------------------------
# What is not a table at all, and what cannot be read


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("空.xlsx", b"", ("空的", "empty")),
        ("坏.xlsx", b"PK\x03\x04this is not a zip", ("损坏", "damaged")),
        (
            "坏2.xls",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x01" * 700,
            ("无法解析", "cannot be parsed"),
        ),
        ("二进制.csv", b"\x00\x01\x02\x03\xff\x00\x10" * 50, ("无法识别", "not recognised")),
        (
            "旧格式.xls",
            b'<?xml version="1.0"?>\n<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"></Workbook>',
            ("Excel 2003 XML", "SpreadsheetML"),
        ),
    ],
)
def test_what_is_not_a_table_is_one_paragraph(
    tmp_path: Path, name: str, data: bytes, words: tuple[str, str]
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(InputError) as info:
        read_grids(path, name)
    text = _one_paragraph(info.value, name)
    for w in words:
        assert w in text


def test_word_document_renamed_xlsx(tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "会议纪要.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(InputError) as info:
        read_grids(path, "会议纪要.xlsx")
    assert "Word" in _one_paragraph(info.value, "会议纪要.xlsx")


def test_unreadable_file_names_the_system_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Tests run as root, whom chmod does not stop: the denial is simulated at open().
    import builtins

    path = tmp_path / "锁定.xlsx"
    path.write_bytes(_ledger_xlsx())
    real_open = builtins.open

    def denying_open(file, *args, **kwargs):
        if str(file) == str(path):
            raise PermissionError(errno.EACCES, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", denying_open)
    monkeypatch.setattr(io, "open", denying_open)
    with pytest.raises(InputError) as info:
        read_grids(path, "锁定.xlsx")
    text = _one_paragraph(info.value, "锁定.xlsx")
    assert "没有权限" in text and "Permission denied" in text


def test_sheet_without_a_table_says_what_was_looked_for_and_how_to_pin(tmp_path: Path) -> None:
    buf = io.BytesIO()
    pd.DataFrame({"甲": ["x", "y"], "乙": ["1", "2"]}).to_excel(buf, index=False, sheet_name="八月")
    data = _folder(tmp_path, "actuals", "无表头.xlsx", buf.getvalue())
    with pytest.raises(InputError) as info:
        load_all(data, use_cache=False)
    text = _one_paragraph(info.value, "无表头.xlsx")
    for alias in (
        "记账日期",
        "费用科目",
        "实际金额",
        "发生额",
    ):  # aliases of date, category, amount
        assert alias in text
    assert "八月" in text
    assert "表头所在的行号" in text and "header's row number" in text
    # The pin is printed as lines to copy into config.toml, after the paragraph.
    assert (
        info.value.pin == '[[read]]\nfile = "actuals/无表头.xlsx"\nsheet = "八月"\nheader_row = N'
    )
    assert str(info.value).endswith(info.value.pin)
    assert "[aliases]" in text
