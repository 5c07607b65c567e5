"""views.staffing: every table, tile and chart input of 座席与人员测算 from small literal frames,
write_exports, and the public ``staffing`` verb (defaults, what-if, frames, refusals)."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pandas as pd
import pytest

from analysis import staffing as st
from analysis.config import load_defaults, merge
from analysis.schema import ROSTER_COLUMNS, STAFFING_COLUMNS
from analysis.views import staffing as view_mod

# Two months of volumes for one day each; the view must plan the month asked for only.
VOLUMES = [
    ("2026-05-11", "10:00", 120, 200.0),
    ("2026-05-11", "10:30", 45, None),
    ("2026-06-02", "09:00", 80, 150.0),
    ("2026-06-02", "09:30", 150, 150.0),
    ("2026-06-03", "09:00", 30, 150.0),
]
RULES = {
    "staffing": {
        "subscribers": 90_000,
        "subscribers_per_seat": 25_000,
        "seat_rounding": "ceil",
        "interval_min": 30,
        "aht_s": 210,
        "answer_s": 15,
        "service_level": 0.75,
        "max_occupancy": 0.9,
        "shrinkage": 0.25,
    }
}


def _ds(volumes=VOLUMES, n_agents: int = 2) -> SimpleNamespace:
    staffing = pd.DataFrame(
        [(d, i, c, a, "staffing/v.csv", "", k + 2) for k, (d, i, c, a) in enumerate(volumes)],
        columns=STAFFING_COLUMNS,
    )
    roster = pd.DataFrame(
        [(f"B{k}", f"员工{k}", "二组", "presales", "组长乙", False, "r.xlsx", "", k + 2)
         for k in range(n_agents)]
        + [("L9", "组长乙", "二组", "presales", "组长乙", True, "r.xlsx", "", 50)],
        columns=ROSTER_COLUMNS,
    )  # fmt: skip
    return SimpleNamespace(staffing=staffing, roster=roster, latest_period="2026-06")


@pytest.fixture(scope="module")
def cfg() -> dict:
    return merge(load_defaults(), RULES)


def test_build_plans_the_month_and_says_so(cfg: dict) -> None:
    view = view_mod.build(_ds(), cfg, "2026-06", "zh")
    assert view.period == "2026-06" and view.title == "座席与人员测算 · 2026-06"
    assert view.plan["day"].unique().tolist() == ["2026-06-02", "2026-06-03"]
    # the same numbers the domain gives for those rows and these rules
    volumes, _ = st.select_period(_ds().staffing, "2026-06")
    expected = st.interval_plan(volumes, cfg)
    pd.testing.assert_frame_equal(view.plan, expected)
    assert view.seed["seats"] == 4  # ceil(90,000 / 25,000 = 3.6)
    assert view.daily["day"].tolist() == ["2026-06-02", "2026-06-03"]
    assert view.gap["role"].tolist() == ["total"]  # volumes carry no role


def test_tiles_and_tones(cfg: dict) -> None:
    view = view_mod.build(_ds(n_agents=2), cfg, "2026-06", "zh")
    by_label = {t["label"]: t for t in view.tiles}
    assert list(by_label) == ["建议人数", "人员缺口", "峰值在线座席", "另一方法（参考）"]
    total = view.gap.set_index("role").loc["total"]
    assert by_label["建议人数"]["value"] == str(int(total["needed_people"]))
    assert by_label["建议人数"]["sub"] == "按话务量测算（Erlang C）"
    assert by_label["人员缺口"]["sub"] == "花名册一线 2 人"  # the 组长 is not on the phones
    assert by_label["人员缺口"]["value"] == f"{int(total['gap']):+d}"
    assert by_label["人员缺口"]["tone"] == ("over" if total["gap"] < 0 else "under")
    peak = view.daily.loc[view.daily["peak_agents_after_shrinkage"].idxmax()]
    assert str(peak["day"]) in by_label["峰值在线座席"]["sub"]
    assert by_label["另一方法（参考）"]["value"] == str(view.seed["people"])
    assert by_label["另一方法（参考）"]["sub"] == "按用户数测算（每 25,000用户一个座席）"


def test_tables_are_labelled_in_both_languages(cfg: dict) -> None:
    for lang, gap_word, total_word in (("zh", "缺口（+ 富余 / − 短缺）", "合计"), ("en", "Gap (+ surplus / − short)", "Total")):  # fmt: skip
        view = view_mod.build(_ds(), cfg, "2026-06", lang)
        tables = (view.daily_table, view.methods_table, view.gap_table, view.assumptions_table)
        for table in tables:
            for key, col in table.columns.items():
                label = getattr(col, "label", col)
                assert label and label != key, (lang, key)  # a word, never the raw key
        assert view.gap_table.columns["gap"].label == gap_word
        assert view.gap_table.frame["role"].tolist() == [total_word]
        assert view.gap_table.frame["gap"].tolist() == view.gap["gap"].tolist()


def test_formatting_and_row_tone(cfg: dict) -> None:
    view = view_mod.build(_ds(n_agents=0), cfg, "2026-06", "en")
    gap = view.gap_table
    assert gap.row_tone(gap.frame.iloc[0].to_dict()) == "over"  # nobody on the roster
    assert gap.columns["gap"].fmt(-3) == "-3" and gap.columns["gap"].fmt(2) == "+2"
    html = gap.html()
    assert 'class="tone-over"' in html and "Total" in html
    methods = view.methods_table
    assert methods.frame["metric"].tolist() == ["Seats", "People per seat", "People"]
    assert methods.columns["seed"].fmt(4) == "4" and methods.columns["seed"].fmt(2.41379) == "2.41"
    shown = dict(zip(view.assumptions_table.frame["parameter"],
                     view.assumptions_table.frame["value"], strict=True))  # fmt: skip
    assert shown["Target service level"] == "75 %" and shown["Shrinkage"] == "25 %"
    assert shown["Subscribers per seat"] == "25000"
    assert view.seed_reference == "By subscribers: 4 Seats"
    assert "25,000" in view.methods_note and "any started block counts" in view.methods_note


def test_without_volumes_only_the_seed_method(cfg: dict) -> None:
    view = view_mod.build(_ds(volumes=[]), cfg, "2026-06", "zh")
    assert view.plan is None and view.daily_table is None and view.gap_table is None
    assert [(t["label"], t["sub"]) for t in view.tiles[:1]] == [
        ("建议人数", "按用户数测算（每 25,000用户一个座席）")
    ]
    assert [line.text for line in view.verdict] == [
        f"建议 {view.seed['people']} 人（4 个座席），按用户数测算（每 25,000用户一个座席）；"
        "没有来电量数据，无法按话务量测算"
    ]
    assert list(view.methods_table.columns) == ["metric", "seed"]
    assert view.methods_table.frame["seed"].tolist() == [
        view.seed["seats"], view.seed["people_per_seat"], view.seed["people"]]  # fmt: skip
    assert view.title == "座席与人员测算"


def test_weekday_volumes_are_used_whole(cfg: dict) -> None:
    weekly = [("周一", "09:00", 60, None), ("周二", "09:00", 90, None)]
    view = view_mod.build(_ds(volumes=weekly), cfg, "2026-06", "zh")
    assert view.period == "" and view.plan["day"].tolist() == ["周一", "周二"]
    assert view.plan["aht_s"].tolist() == [210.0, 210.0]  # the configured AHT


def test_no_config_means_the_defaults() -> None:
    view = view_mod.build(_ds(), None, "2026-06", "en")
    assert view.seed == st.seed_method(load_defaults())


def test_write_exports(cfg: dict, tmp_path) -> None:
    view = view_mod.build(_ds(), cfg, "2026-05", "zh")
    assert view_mod.write_exports(view, tmp_path) is None
    csv = pd.read_csv(tmp_path / "staffing_plan.csv", encoding="utf-8-sig", dtype={"day": str})
    assert list(csv.columns) == st.PLAN_COLUMNS
    assert csv["calls"].tolist() == [120.0, 45.0] and csv["agents"].tolist() == view.plan[
        "agents"].tolist()  # fmt: skip
    saved = json.loads((tmp_path / ".headlines" / "staffing.json").read_text(encoding="utf-8"))
    assert [s["label"] for s in saved] == [t["label"] for t in view.tiles]
    empty = tmp_path / "none"
    view_mod.write_exports(view_mod.build(_ds(volumes=[]), cfg, "", "zh"), empty)
    assert not (empty / "staffing_plan.csv").exists()  # no volumes: no plan file
    assert (empty / ".headlines" / "staffing.json").exists()
    view_mod.write_exports(view, "")  # an analyst without an out_dir: nothing written


# ---------------------------------------------------------------------------------------------
# The public verb


def test_verb_defaults_are_the_shipped_rules() -> None:
    d = load_defaults()["staffing"]
    r = st.estimate(300, 240)
    expected = st.required_agents(300, d["interval_min"], 240, d["answer_s"], d["service_level"],
                                  d["max_occupancy"], d["shrinkage"])  # fmt: skip
    assert r == expected and r.agents > 0
    assert st.estimate() == st.seed_method(load_defaults())
    assert st.estimate(subscribers=55_000)["subscribers"] == 55_000


def test_verb_overrides_what_if_and_sections() -> None:
    r = st.estimate(100, 180, interval_min=30, answer_s=20, service_level=0.8,
                    max_occupancy=0.85, shrinkage=0.3)  # fmt: skip
    assert (r.agents, r.agents_after_shrinkage) == (14, 20)
    w = st.estimate(100, 180, interval_min=30, answer_s=20, agents=13, shrinkage=0.3)
    assert w.agents == 13 and w.service_level < 0.8 and w.code == "ok"
    over = st.estimate(100, 180, interval_min=30, agents=9)
    assert over.code == "overloaded" and over.min_agents == 11
    section_only = st.estimate(100, 180, config=RULES["staffing"])
    assert section_only == st.estimate(100, 180, config=merge(load_defaults(), RULES))


def test_verb_plans_a_frame_with_chinese_headers() -> None:
    frame = pd.DataFrame({"日期": ["2026-06-02"] * 2, "时段": ["09:00", "09:30"],
                          "来电量": [80, "150"], "岗位": ["presales"] * 2})  # fmt: skip
    plan = st.estimate(frame, 150, config=RULES)
    assert plan["calls"].tolist() == [80.0, 150.0] and "role" in plan.columns
    assert plan["agents"].tolist() == st.estimate(_ds().staffing.iloc[2:4], config=RULES)[
        "agents"].tolist()  # fmt: skip


@pytest.mark.parametrize(
    ("args", "kwargs", "words"),
    [
        ((300, 240), {"service_level": 80}, ["service_level", "0.8"]),
        (("300", 240), {}, ["calls", "'300'"]),
        ((True, 240), {}, ["calls"]),
        ((300, float("nan")), {}, ["aht_s"]),
        ((300, 240), {"shrinkage": 1.0}, ["shrinkage"]),
        ((-5, 240), {}, ["calls"]),
        ((300, 0), {}, ["AHT"]),
    ],
)
def test_verb_refuses_bad_numbers(args: tuple, kwargs: dict, words: list[str]) -> None:
    with pytest.raises(st.StaffingError) as err:
        st.estimate(*args, **kwargs)
    for w in words:
        assert w in str(err.value)


def test_verb_refuses_bad_frames() -> None:
    with pytest.raises(st.StaffingError, match=r"calls.*columns found: day, interval, volume"):
        st.estimate(pd.DataFrame({"day": ["周一"], "interval": ["09:00"], "volume": [3]}))
    bad = pd.DataFrame({"day": ["周一", "周一"], "interval": ["09:00", "09:30"],
                        "calls": [4, "many"]})  # fmt: skip
    with pytest.raises(st.StaffingError, match=r"column calls at index 1: 'many'"):
        st.estimate(bad)
    with pytest.raises(st.StaffingError, match="DataFrame"):
        st.volume_frame([1, 2], {})


def test_what_if_with_fewer_agents(cfg: dict) -> None:
    view = view_mod.build(_ds(), cfg, "2026-06", "en")
    same = view.what_if(view.plan["agents"])
    assert same["service_level"].tolist() == pytest.approx(view.plan["service_level"].tolist())
    assert not same["overloaded"].any()
    few = view.what_if(3)
    busiest = view.plan["traffic"].idxmax()
    assert few.loc[busiest, "overloaded"] and few.loc[busiest, "service_level"] == 0.0
    assert (few["service_level"] <= same["service_level"] + 1e-12).all()
    assert view_mod.build(_ds(volumes=[]), cfg, "", "en").what_if(3) is None


def test_one_recommended_figure_per_role_with_the_method_in_words(cfg: dict) -> None:
    seed = {"people": 15, "seats": 6, "subscribers_per_seat": 20000}
    gap = pd.DataFrame({"role": ["presales", "total"], "needed_people": [12, 41],
                        "roster_agents": [14, 27]})  # fmt: skip
    rec = view_mod.recommend(seed, gap, cfg)
    assert rec.values.tolist() == [
        ["presales", "erlang_c", 12, 14, 2, "", pd.NA],
        ["total", "erlang_c", 41, 27, -14, "subscribers", 15],
    ]
    from analysis import fmt

    fmt.use_lang("zh")
    t = view_mod.words("zh", "staffing")
    assert [(line.text, line.tone) for line in view_mod.verdict(rec, seed, t)] == [
        ("售前：建议 12 人，按话务量测算（Erlang C）；花名册一线 14 人，富余 2 人", "under"),
        ("全中心：建议 41 人，按话务量测算（Erlang C）；花名册一线 27 人，缺 14 人", "over"),
        ("另一方法 按用户数测算（每 2 万用户一个座席）：15 人，仅供参考"
         "（配置项 recommended_method 决定采用哪种方法）", None),
    ]  # fmt: skip
    by_subscribers = {
        **cfg,
        "staffing": {**view_mod.st.section(cfg), "recommended_method": "subscribers"},
    }
    rec = view_mod.recommend(seed, gap, by_subscribers)
    assert rec.iloc[1].tolist() == ["total", "subscribers", 15, 27, 12, "erlang_c", 41]
    with pytest.raises(ValueError, match="recommended_method"):
        view_mod.recommend(seed, gap, {"staffing": {"recommended_method": "guess"}})
    for lang in ("zh", "en"):  # the developer word never reaches a page
        view = view_mod.build(_ds(), cfg, "2026-06", lang)
        text = " ".join([line.text for line in view.verdict] + [str(t) for t in view.tiles])
        assert "种子" not in text and "seed" not in text.lower()
