"""Report labels in Chinese (default) and English.

Why: managers read Chinese; the same report must also render in English (``--lang en``). Each
module keeps its own label table and builds a translator with :func:`translator`; the common
labels below are shared by every report.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

LANGS = ("zh", "en")

COMMON: dict[str, dict[str, str]] = {
    "zh": {
        "app": "客服运营分析工作簿",
        "period": "期间",
        "data_source": "数据来源",
        "generated": "生成时间",
        "version": "版本",
        "overview": "数据概览",
        "budget": "预算执行分析",
        "scorecards": "绩效考核通报",
        "staffing": "座席与人员测算",
        "data_quality": "数据质量",
        "file": "文件",
        "sheet": "工作表",
        "row": "行",
        "column": "列",
        "value": "值",
        "message": "说明",
        "severity": "级别",
        "code": "代码",
        "rows": "行数",
        "kind": "类型",
        "error": "错误",
        "warning": "警告",
        "info": "提示",
        "reports": "报告",
        "headline": "要点",
        "total": "合计",
        "none": "无",
        "unit_yuan": "元",
        "kind_budget": "预算",
        "kind_actuals": "实际支出",
        "kind_scorecards": "绩效考核",
        "kind_roster": "花名册",
        "kind_staffing": "来电量",
        "status_ok": "成功",
        "status_failed": "失败",
    },
    "en": {
        "app": "Customer Service Operations Workbook",
        "period": "Period",
        "data_source": "Data source",
        "generated": "Generated",
        "version": "Version",
        "overview": "Data overview",
        "budget": "Budget execution",
        "scorecards": "Scorecard bulletin",
        "staffing": "Staffing and capacity",
        "data_quality": "Data quality",
        "file": "File",
        "sheet": "Sheet",
        "row": "Row",
        "column": "Column",
        "value": "Value",
        "message": "Message",
        "severity": "Severity",
        "code": "Code",
        "rows": "Rows",
        "kind": "Kind",
        "error": "Error",
        "warning": "Warning",
        "info": "Info",
        "reports": "Reports",
        "headline": "Headlines",
        "total": "Total",
        "none": "None",
        "unit_yuan": "CNY",
        "kind_budget": "Budget",
        "kind_actuals": "Actual spending",
        "kind_scorecards": "Scorecards",
        "kind_roster": "Roster",
        "kind_staffing": "Call volumes",
        "status_ok": "OK",
        "status_failed": "Failed",
    },
}


def check_lang(lang: str) -> str:
    """Return ``lang`` if supported, else raise a ValueError a user can act on."""
    if lang not in LANGS:
        raise ValueError(
            f"不支持的语言 {lang!r} / unsupported language {lang!r}: use one of {', '.join(LANGS)}"
        )
    return lang


def translator(lang: str, *tables: Mapping[str, Mapping[str, str]]) -> Callable[..., str]:
    """A ``t(key, **fmt)`` function looking ``key`` up in ``tables`` then the common labels.

    An unknown key returns the key itself, so a missing translation shows up in review rather
    than crashing a scheduled run.
    """
    check_lang(lang)
    merged: dict[str, str] = dict(COMMON[lang])
    for table in tables:
        merged.update(table.get(lang, {}))

    def t(key: str, **kwargs: object) -> str:
        text = merged.get(key, key)
        return text.format(**kwargs) if kwargs else text

    return t
