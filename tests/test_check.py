"""`analysis check`: readings, warnings and report outlook printed; exit 0 or 2, no traceback."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pandas as pd
from cli_helpers import analysis_cmd

from analysis.check import (
    check,
    findings_phrase,
    format_findings,
    format_readings,
    report_outlook,
)
from analysis.io import load_all
from analysis.schema import DQ_COLUMNS, READING_COLUMNS


def _folder(tmp_path: Path, *, total: str | None = None) -> Path:
    """A ledger and an annual plan of our own; ``total`` adds a 合计 row stating that amount."""
    data = tmp_path / "data"
    (data / "actuals").mkdir(parents=True)
    (data / "budget").mkdir()
    (data / "actuals" / "流水.csv").write_text(
        "日期,科目,金额,摘要\n"
        "2025-05-06,差旅费,2468.20,深圳出差\n"
        "2025-05-21,办公用品,77.80,墨盒\n"
        "2025-06-03,差旅费,310.00,市内交通\n",
        encoding="utf-8",
    )
    plan = "部门,费用项目,全年预算\n服务部,差旅费,36000\n服务部,办公用品,2400\n"
    if total is not None:
        plan += f"合计,,{total}\n"
    (data / "budget" / "2025年度计划.csv").write_text(plan, encoding="utf-8")
    return data


def _check(data: Path, **kw) -> tuple[int, str]:
    buf = io.StringIO()
    code = check(str(data), use_cache=False, out=buf, **kw)
    return code, buf.getvalue()


def test_clean_folder_prints_readings_and_outlook_and_exits_0(tmp_path: Path) -> None:
    code, text = _check(_folder(tmp_path), lang="en", strict=True)
    assert code == 0, text
    assert "actuals/流水.csv" in text and "budget/2025年度计划.csv" in text
    assert "read 3 = loaded 3" in text  # the ledger's row accounting
    assert "2,856.00" in text  # the ledger's amount to the 分: 2468.20 + 77.80 + 310.00
    assert "Period: 2025-06" in text
    assert "plan for 2025: 12 months (2025-01…2025-12), actual: 2 months (2025-05…2025-06)" in text
    assert "Scorecard bulletin: no data for this period" in text
    assert "Warnings and errors (0)" in text
    assert "Check passed" in text


def test_warning_is_printed_with_file_row_column_and_strict_exits_2(tmp_path: Path) -> None:
    data = _folder(tmp_path, total="40000")
    code, text = _check(data, lang="en")
    assert code == 0, text
    line = next(ln for ln in text.splitlines() if ln.strip().startswith("[Warning]"))
    assert "budget/2025年度计划.csv" in line and "row 4" in line and "全年预算" in line
    assert "40,000.00" in line and "38,400.00" in line
    assert "Check done: 1 warning will be published" in text  # singular
    code, text = _check(data, lang="en", strict=True)
    assert code == 2
    assert "Strict mode (--strict): 1 warning;" in text


def test_period_given_is_used_for_the_outlook(tmp_path: Path) -> None:
    code, text = _check(_folder(tmp_path), period="2025-05", lang="zh")
    assert code == 0
    assert "期间: 2025-05 (--period 指定)" in text
    assert "实际 1 个月 (2025-05)" in text


def test_bad_period_and_missing_folder_exit_2(tmp_path: Path) -> None:
    code, text = _check(_folder(tmp_path), period="2025-13")
    assert code == 2 and "YYYY-MM" in text
    code, text = _check(tmp_path / "nowhere")
    assert code == 2 and "nowhere" in text


def test_unloadable_folder_exits_2_with_one_paragraph_no_traceback(tmp_path: Path) -> None:
    data = tmp_path / "data"
    (data / "actuals").mkdir(parents=True)
    (data / "actuals" / "导出.csv").write_text("甲,乙\n1,2\n", encoding="utf-8")
    proc = subprocess.run(
        analysis_cmd("check", "--data", str(data), "--no-cache"),
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stdout + proc.stderr
    assert "actuals/导出.csv" in proc.stdout
    assert "日期、科目、金额" in proc.stdout


def test_cli_strict_flag_and_help(tmp_path: Path) -> None:
    data = _folder(tmp_path, total="1")
    base = analysis_cmd("check", "--data", str(data), "--no-cache")
    assert subprocess.run(base, capture_output=True, text=True).returncode == 0
    strict = subprocess.run([*base, "--strict", "--lang", "en"], capture_output=True, text=True)
    assert strict.returncode == 2 and "Traceback" not in strict.stderr
    helptext = subprocess.run(
        analysis_cmd("check", "--help"),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for needle in ("--data", "--period", "--strict", "--lang", "Exit codes"):
        assert needle in helptext


def test_scorecards_only_folder_loads_and_says_what_each_report_has(
    tmp_path: Path, sample_dir: Path
) -> None:
    data = tmp_path / "data"
    (data / "scorecards").mkdir(parents=True)
    for name in ("2026-08_绩效考核.xlsx", "2026-09_绩效考核.xlsx"):
        shutil.copy(sample_dir / "scorecards" / name, data / "scorecards" / name)
    code, text = _check(data, lang="en")
    assert code == 0, text
    assert "Period: 2026-09" in text
    assert "Budget execution: no data for this period" in text
    assert "Scorecard bulletin: 2026-09: 20 agents in pre-sales, 10 agents in after-sales" in text
    code, text = _check(data, period="2026-10", lang="zh")
    assert "本期无考核数据, 将显示 2026-09" in text


def test_check_on_the_sample(sample_dir: Path) -> None:
    # Its speed is measured by `make bench`, not here (a timed test fails on a busy machine).
    code, text = _check(sample_dir)
    assert code == 0, text
    # the sample has call logs and a typed volumes table: the page uses the logs, and says so
    assert (
        "座席与人员测算: 2026-10: 各时段来电量和处理时长取自呼叫明细 (calls/) (staffing/ 中的来电量表不采用)"
        in text
    )


def _reading(**kw) -> dict:
    base = dict.fromkeys(READING_COLUMNS, "")
    base.update(
        file="budget/plan.xlsx",
        sheet="2025",
        kind="plan",
        status="read",
        layout="wide_plan",
        range="B4:O19",
        header_rows="4-5",
        fields="科目→category; 1月→2025-01",
        unit="元",
        unit_source="stated in B2 (单位:元)",
        sign="positive",
        sign_source="config",
        year="2025",
        year_source="sheet name",
        rows_read=15,
        rows_loaded=11,
        rows_total=2,
        rows_section=1,
        rows_note=1,
        rows_rejected=0,
        rows_reported=4,
        amount_read=120000.5,
        amount_loaded=120000.5,
        amount_reported=0.0,
        sha256="ab" * 32,
        bytes=10240,
        pin='[[read]]\nfile = "budget/plan.xlsx"\nlayout = "wide_plan"',
    )
    base.update(kw)
    return base


def test_format_readings_shows_every_decision_and_pins_only_guesses() -> None:
    stated = _reading()
    guessed = _reading(sheet="Sheet2", year_source="assumed from the actuals", note="")
    inputs = pd.DataFrame([stated, guessed])
    lines = format_readings(inputs, pd.DataFrame(columns=DQ_COLUMNS), "en")
    text = "\n".join(lines)
    assert "Monthly plan (a column per month) [wide_plan]" in text
    assert "range B4:O19" in text and "header row 4-5" in text
    assert "fields: 科目→category; 1月→2025-01" in text
    assert "unit 元 (stated in B2 (单位:元))" in text and "year 2025 (sheet name)" in text
    assert "read 15 = loaded 11 + total 2 + section 1 + note 1 + rejected 0" in text
    assert "120,000.50" in text
    # the pin is printed once: for the guessed year, not for the stated reading
    assert text.count("If this reading is wrong") == 1
    assert text.index("Sheet2") < text.index("If this reading is wrong")
    assert 'layout = "wide_plan"' in text


def test_stacked_tables_of_one_sheet_are_numbered() -> None:
    inputs = pd.DataFrame(
        [
            _reading(sheet="10月份", table=1, layout="plan_actual", range="A3:D12"),
            _reading(sheet="10月份", table=2, layout="plan_actual", range="A15:D30"),
            _reading(sheet="11月份", table=1, layout="plan_actual", range="A3:D12"),
        ]
    )
    text = "\n".join(format_readings(inputs, None, "zh"))
    assert "· 10月份 #1 · 预算与实际并列 [plan_actual] · 范围 A3:D12" in text
    assert "· 10月份 #2 · 预算与实际并列 [plan_actual] · 范围 A15:D30" in text
    assert "· 11月份 · 预算与实际并列" in text


def test_pin_is_printed_when_a_warning_names_the_sheet() -> None:
    inputs = pd.DataFrame([_reading()])
    dq = pd.DataFrame(
        [
            [
                "warning",
                "total_mismatch",
                "budget/plan.xlsx",
                "2025",
                19,
                "N",
                "合计",
                "does not match",
            ]
        ],
        columns=DQ_COLUMNS,
    )
    text = "\n".join(format_readings(inputs, dq, "zh"))
    assert "如读法不对, 可在 config.toml 中固定:" in text
    assert "月度预算(每月一列) [wide_plan]" in text


def test_findings_list_errors_first_and_count_notes() -> None:
    dq = pd.DataFrame(
        [
            ["info", "total_row", "a.csv", "", 3, "", "合计", "total row"],
            ["warning", "w1", "a.csv", "", 5, "金额", "x", "first warning"],
            ["error", "e1", "b.xlsx", "S", 9, "C", "12%", "percent in amount"],
        ],
        columns=DQ_COLUMNS,
    )
    lines = format_findings(dq, "en")
    assert lines[0] == "Warnings and errors (2):"
    assert lines[1].startswith("  [Error] b.xlsx · S · row 9 · column C: percent in amount [12%]")
    assert lines[2].startswith("  [Warning] a.csv · row 5 · column 金额: first warning")
    assert lines[3] == "  Also 1 note (in data_quality.csv after a run)."
    assert findings_phrase(dq, "en") == "1 warning and 1 error"
    assert findings_phrase(dq, "zh") == "1 条警告、1 条错误"


def test_default_period_without_actuals_never_takes_a_future_plan_month() -> None:
    from types import SimpleNamespace

    from analysis.check import default_period

    plan = [f"2026-{m:02d}" for m in range(1, 13)]
    only_plan = SimpleNamespace(latest_period=None, periods={"plan": plan})
    assert default_period(only_plan, today="2026-07") == "2026-07"
    assert default_period(only_plan, today="2025-11") == "2026-01"
    cards = SimpleNamespace(
        latest_period=None,
        periods={"plan": plan, "presales": ["2026-04", "2026-05"], "aftersales": ["2026-06"]},
    )
    assert default_period(cards, today="2026-11") == "2026-06"
    stated = SimpleNamespace(latest_period="2026-03", periods={"presales": ["2026-09"]})
    assert default_period(stated, today="2026-11") == "2026-03"
    logs = SimpleNamespace(latest_period=None, periods={"calls": ["2021-01", "2021-02", "2021-03"]})
    assert default_period(logs, today="2026-11") == "2021-03"
    logs_and_cards = SimpleNamespace(
        latest_period=None, periods={"presales": ["2026-05"], "calls": ["2026-04", "2026-06"]}
    )
    assert default_period(logs_and_cards, today="2026-11") == "2026-06"


def test_outlook_marks_absent_inputs(tmp_path: Path) -> None:
    ds = load_all(_folder(tmp_path), use_cache=False)
    outlook = {o.key: o for o in report_outlook(ds, "2025-06", "en")}
    assert outlook["budget"].has_data and not outlook["scorecards"].has_data
    assert outlook["overview"].has_data and outlook["staffing"].has_data


def test_outlook_says_where_staffing_and_service_volumes_come_from(tmp_path: Path) -> None:
    """A folder of call logs alone: staffing takes its volumes from the logs (the check said
    "no call volumes" while the page used the logs); an ACD summary alone still has a report."""
    calls = tmp_path / "logs" / "calls"
    calls.mkdir(parents=True)
    (calls / "log.csv").write_text(
        "呼入时间,坐席工号,呼叫结果,排队时长(秒),通话时长(秒)\n"
        "2026-09-01 09:00:00,KF01,接通,5,120\n"
        "2026-09-01 09:10:00,,放弃,30,\n",
        encoding="utf-8",
    )
    ds = load_all(tmp_path / "logs", use_cache=False, cache_dir=tmp_path / "cache")
    outlook = {o.key: o for o in report_outlook(ds, "2026-09", "en")}
    assert outlook["staffing"].text == (
        "2026-09: volumes and handle times per interval from the call logs (calls/)"
    )
    assert outlook["service"].has_data
    from types import SimpleNamespace

    from analysis.check import _service_outlook

    acd_only = SimpleNamespace(calls=(), periods={"acd": ["2026-10"]})
    from analysis.views.words import words

    got = _service_outlook(acd_only, "2026-10", words("en", "check"), lambda *a, **k: "")
    assert got.has_data and got.text == "2026-10: no call log; the agents' ACD summary only"
