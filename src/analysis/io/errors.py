"""The fatal input error and the data-quality row builder, with messages in Chinese and English.

Why: a manager must be able to act on every message, in the language of the report, and the
data-quality table must say exactly which file, sheet, row and column a problem sits in.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from analysis.errors import AnalysisError
from analysis.schema import DQ_COLUMNS


class InputError(AnalysisError):
    """A fatal input problem: unreadable file, required field missing, no data at all.

    ``str(err)`` is one paragraph, Chinese then English, naming file, sheet, row/column where
    known, the missing field and its accepted aliases.
    """

    def __init__(
        self,
        zh: str,
        en: str,
        *,
        file: str = "",
        sheet: str = "",
        field: str = "",
        aliases: list[str] | None = None,
        pin: str = "",
    ) -> None:
        # One paragraph whatever the caller passed (library text can hold line breaks); the
        # config.toml lines that would settle it follow as lines to copy.
        self.pin = pin.strip()
        zh, en = " ".join(zh.split()), " ".join(en.split())
        self.zh, self.en = zh, en
        self.file, self.sheet, self.field = file, sheet, field
        self.aliases = list(aliases or [])
        where_zh = "".join(
            [f"文件「{file}」" if file else "", f"工作表「{sheet}」" if sheet else ""]
        )
        where_en = ", ".join(
            [f"file '{file}'" if file else "", f"sheet '{sheet}'" if sheet else ""]
        )
        where_en = ", ".join(p for p in where_en.split(", ") if p)
        alias_txt = "、".join(self.aliases)
        zh_full = f"{where_zh}:{zh}" if where_zh else zh
        en_full = f"{where_en}: {en}" if where_en else en
        if field:
            zh_full += f"(字段 {field},可用列名:{alias_txt})" if alias_txt else f"(字段 {field})"
            en_full += (
                f" (field '{field}', accepted column names: {', '.join(self.aliases)})"
                if self.aliases
                else f" (field '{field}')"
            )
        text = f"{zh_full} / {en_full}"
        if self.pin:
            text += "\n\n" + self.pin
        super().__init__(text)


# code → (zh template, en template); fields are filled from the row's ``value`` and ``extra``.
MESSAGES: dict[str, tuple[str, str]] = {
    "total_row": (
        "合计/小计行,已从明细中剔除并用于核对",
        "total/subtotal row: kept out of the data and checked",
    ),
    "total_mismatch": (
        "合计不符:表中写的是 {stated},明细相加为 {computed}(差 {diff})",
        "total does not match: stated {stated}, lines add up to {computed} (difference {diff})",
    ),
    "section_row": (
        "分节标题行,用作下方各行的类别",
        "section heading: sets the category of the lines below",
    ),
    "note_row": ("说明/备注行,未作为数据载入", "note row: not loaded as data"),
    "bad_amount": ("金额无法识别,该行未载入", "amount not understood; row not loaded"),
    "bad_number": ("数值无法识别,按缺失处理", "number not understood; treated as missing"),
    "bad_count": (
        "次数必须是非负整数,该行未载入",
        "count must be a non-negative whole number; row not loaded",
    ),
    "bad_date": ("日期无法识别,该行未载入", "date not understood; row not loaded"),
    "bad_period": ("月份无法识别,该行未载入", "period not understood; row not loaded"),
    "bad_duration": (
        "时长无效(分/秒须小于60),按缺失处理,未作猜测",
        "invalid duration (minutes/seconds must be under 60); left missing, not guessed",
    ),
    "bad_interval": ("时段无法识别,该行未载入", "interval not understood; row not loaded"),
    "bad_grade": (
        "等级应为 A–E(回访为 A–D),按缺失处理",
        "grade must be A–E (callbacks A–D); treated as missing",
    ),
    "bad_value": ("数值无法识别,按缺失处理", "value not understood; treated as missing"),
    "missing_amount": ("缺少金额,该行未载入", "amount missing; row not loaded"),
    "missing_category": (
        "缺少科目/项目,按空类别载入",
        "category missing; loaded with an empty category",
    ),
    "missing_agent": ("缺少工号,该行未载入", "agent ID missing; row not loaded"),
    "duplicate_agent": ("工号重复,仅保留第一行", "duplicate agent ID; only the first row is kept"),
    "unknown_role": (
        "岗位无法识别(应为售前/售后)",
        "role not recognised (expected pre-sales/after-sales)",
    ),
    "missing_scorecard": (
        "花名册中有此人,但本月没有考核记录",
        "in the roster but no scorecard this month",
    ),
    "not_in_roster": ("有考核记录,但不在花名册中", "has a scorecard but is not in the roster"),
    "callback_unknown_agent": (
        "回访记录中的工号在售后考核表中不存在,未计入",
        "callback for an agent without an after-sales scorecard that month; not counted",
    ),
    "callback_count": (
        "本月回访 {value} 次,不是 {expected} 次",
        "{value} callbacks this month, not {expected}",
    ),
    "blank_score": (
        "空白,不能当作分数(应填 {allowed});该专员本月列入待核实:不排名、不计发绩效工资、不进处理名单",
        "blank: not a score (expected {allowed}); the agent is listed under 待核实 (to be checked) "
        "this month: not ranked, not paid, on no action list",
    ),
    "blank_score_zero": (
        "空白,按规则 blank_as_zero 计为 0(应填 {allowed})",
        "blank: scored as 0 because blank_as_zero is set (expected {allowed})",
    ),
    "out_of_range": (
        "「{value}」不在允许范围 {allowed} 内,不计分;该专员本月列入待核实",
        "'{value}' is outside the allowed range {allowed} and is not scored; the agent is listed "
        "under 待核实 (to be checked) this month",
    ),
    "out_of_range_count": (
        "「{value}」不是非负整数(次数须为 0、1、2…),不计分;该专员本月列入待核实",
        "'{value}' is not a whole number ≥ 0 (counts are 0, 1, 2…) and is not scored; the agent "
        "is listed under 待核实 (to be checked) this month",
    ),
    "duplicate_scorecard": (
        "同一专员本月有两行考核记录(另一行:{other});两行都不计发,列入待核实",
        "the same agent has two scorecard rows this month (the other: {other}); neither is paid, "
        "the agent is listed under 待核实 (to be checked)",
    ),
    "both_roles": (
        "该专员本月同时出现在售前与售后考核表中(另一行:{other});两行都不计发,列入待核实",
        "the agent has a pre-sales and an after-sales scorecard this month (the other: {other}); "
        "neither is paid, the agent is listed under 待核实 (to be checked)",
    ),
    "no_callbacks_logged": (
        "考核表没有回访列,当月回访记录中也没有此人;满意度不能按 0 计,该专员本月列入待核实"
        "(设 blank_as_zero = true 时按 0 次回访计)",
        "no callback columns in the scorecard and no callbacks for this agent in the month's "
        "callback log: satisfaction is not taken as 0; the agent is listed under 待核实 (to be "
        "checked) this month (with blank_as_zero = true: 0 callbacks)",
    ),
    "no_period": (
        "无法确定月份(月份列、工作表名或文件名)",
        "month not found (period column, sheet name or file name)",
    ),
    "revised_only": (
        "调整后预算中有此行,原预算中没有;原预算按 0 计",
        "line only in the revised plan; original plan taken as 0",
    ),
    "annual_spread": (
        "全年金额按月度分布拆分到 12 个月",
        "annual amount spread over 12 months by the monthly distribution",
    ),
    "sheet_skipped": ("工作表内容无法识别,已跳过", "sheet content not recognised; skipped"),
    "file_skipped": ("文件类型不支持,已跳过", "file type not supported; skipped"),
    "empty_table": ("表中没有数据行", "table has no data rows"),
    "hidden_sheet": (
        "隐藏工作表,未读取(如需读取,在 config.toml 的 [[read]] 中写 read_hidden = true)",
        "hidden sheet, not read (to read it, set read_hidden = true in a [[read]] block)",
    ),
    "refund_by_direction": (
        "收支方向与该科目相反(如费用科目上的收入),按退款(负数)读取",
        "marked against its category's direction (income on a cost category): read as a refund",
    ),
    "sign_differs": (
        "同一文件中,工作表 {neg} 的支出按负数读取,而 {value} 按正数读取;请核对,如需统一,在 config.toml 中写:{pin}",
        "in one file, sheets {neg} were read with expenses stored negative and {value} as positive; "
        "check them, and to read them alike write in config.toml: {pin}",
    ),
    "derived_row": (
        "由其他行计算出的行(结余/利润等),未作为明细载入",
        "derived row (savings, profit …): not loaded as a line",
    ),
    "sign_negative": (
        "金额以负数记录(会计导出的常见写法),已按正常方向读取({value})",
        "amounts are stored as negative numbers (a common accounting export) and were read "
        "the normal way round ({value})",
    ),
    "percent_amount": (
        "金额列中是百分比,不是金额,该行未载入",
        "a percentage in an amount column is not money; row not loaded",
    ),
    "duplicate_file": (
        "与 {value} 内容完全相同,只读取一次",
        "identical to {value}; read once",
    ),
    "duplicate_line": (
        "与 {value} 重复(同一凭证、日期、金额、科目),只计一次",
        "repeats {value} (same voucher, date, amount, category); counted once",
    ),
    "duplicate_table": (
        "与 {value} 重复({why}),未重复计入",
        "repeats {value} ({why}); not added again",
    ),
    "unread_region": (
        "区域 {value} 有内容但不属于任何可识别的表格,未读取",
        "range {value} holds content outside every recognised table; not read",
    ),
    "ambiguous_column": (
        "多列都可作为同一字段:{value};已用第一列。如需指定,在 config.toml 中写:{pin}",
        "several columns could be the same field: {value}; the first is used. To pin: {pin}",
    ),
    "category_as_item": (
        "第二个类别列「{value}」作为明细项目读取",
        "the second category column '{value}' is read as the line item",
    ),
    "amount_as_plan": (
        "预算文件中唯一的金额列「{value}」按预算读取",
        "the only money column '{value}' of a budget file is read as the plan",
    ),
    "variance_mismatch": (
        "差异列不符:写的是 {stated},实际减预算为 {computed}",
        "variance column does not match: stated {stated}, actual minus plan is {computed}",
    ),
    "year_assumed": (
        "表中月份未写年份,按文件夹中其他带日期的数据取 {value} 年;如不对,请在 config.toml 的 [[read]] 中写 year",
        "the months name no year; {value} was taken from the folder's other dated data; if wrong, "
        "pin year in a [[read]] block of config.toml",
    ),
    "future_date": (
        "日期 {value} 晚于今天,请核对(不影响默认报告月份)",
        "date {value} is after today; please check (it does not move the default period)",
    ),
    "encoding": ("CSV 编码识别为 {value}", "CSV encoding detected as {value}"),
    "encoding_guessed": (
        "文字编码看起来是 {value}(不是 UTF-8 或 GB18030),已按 {value} 读取;请核对文字是否正确",
        "the text encoding looks like {value} (not UTF-8 or GB18030); read as {value}: "
        "check that the text reads correctly",
    ),
    "content_differs": (
        "文件内容与扩展名不符({value}),已按实际内容读取",
        "the content differs from the extension ({value}); read by its content",
    ),
    "row_total_mismatch": (
        "合计列不符:写的是 {stated},各月相加为 {computed}(差 {diff})",
        "total column does not match: stated {stated}, months add up to {computed} (difference {diff})",
    ),
}


def message(code: str, lang: str, **fields: Any) -> str:
    zh, en = MESSAGES.get(code, (code, code))
    template = en if lang == "en" else zh
    try:
        return template.format(**fields)
    except (KeyError, IndexError, ValueError):
        return template


def dq_frame(rows: list[dict[str, Any]] | pd.DataFrame) -> pd.DataFrame:
    """A data-quality frame with exactly :data:`analysis.schema.DQ_COLUMNS`."""
    df = pd.DataFrame(rows) if not isinstance(rows, pd.DataFrame) else rows
    for col in DQ_COLUMNS:
        if col not in df.columns:
            df[col] = pd.Series(dtype="object")
    df = df[DQ_COLUMNS].copy()
    df["row"] = pd.to_numeric(df["row"], errors="coerce").astype("Int64")
    for col in ("severity", "code", "file", "sheet", "column", "value", "message"):
        df[col] = df[col].astype("str").where(df[col].notna(), "")
    return df.reset_index(drop=True)
