"""Chinese renders in charts on a fresh machine: the CJK font comes from a Python package."""

from __future__ import annotations

import io
import warnings

from analysis.plots.base import CJK_FONT_NAME, cjk_font_path, new_figure, setup_fonts


def test_cjk_font_ships_in_a_package() -> None:
    path = cjk_font_path()
    assert path.is_file()
    assert "site-packages" in str(path) or "dist-packages" in str(path)
    assert setup_fonts() == CJK_FONT_NAME


def test_chinese_chart_renders_without_missing_glyphs() -> None:
    fig, ax = new_figure(6, 3)
    ax.bar(["人员成本", "设备成本", "培训成本"], [120000, -3500, 8800])
    ax.set_title("预算执行情况 (单位: 元) − 超支/节余")
    ax.set_xlabel("费用项目")
    ax.set_ylabel("金额 (元)")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        buf = io.BytesIO()
        fig.savefig(buf, format="png")
    missing = [
        str(w.message)
        for w in caught
        if "missing from" in str(w.message) or "Glyph" in str(w.message)
    ]
    assert missing == []
    assert buf.getvalue()[:8] == b"\x89PNG\r\n\x1a\n"
