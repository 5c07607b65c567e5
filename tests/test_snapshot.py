"""One snapshot per run: what the runner loaded is what every report uses and run.json describes."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from analysis.io import load_all, load_dataset, read_snapshot, write_snapshot
from analysis.io.cache import file_digest
from analysis.io.snapshot import SnapshotError
from analysis.paths import REPORT_NOTEBOOKS_DIR
from analysis.runner import Progress, run

FRAMES = ("plan", "actuals", "presales", "aftersales", "roster", "staffing", "dq", "inputs")


def _ledger_folder(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    (data / "actuals").mkdir(parents=True)
    (data / "budget").mkdir()
    (data / "actuals" / "ledger.csv").write_text(
        "日期,科目,金额,摘要\n"
        "2025-03-04,差旅费,1234.56,北京出差\n"
        "2025-03-18,办公用品,88.10,打印纸\n"
        "2025-04-02,差旅费,-34.56,退票\n",
        encoding="utf-8",
    )
    (data / "budget" / "plan.csv").write_text(
        "部门,费用项目,全年预算\n服务部,差旅费,24000\n服务部,办公用品,1200\n", encoding="utf-8"
    )
    return data


def test_snapshot_round_trip_is_exact(tmp_path: Path) -> None:
    ds = load_all(_ledger_folder(tmp_path), use_cache=False)
    write_snapshot(ds, tmp_path / "snap")
    back = read_snapshot(tmp_path / "snap")
    for name in FRAMES:
        pd.testing.assert_frame_equal(getattr(ds, name), getattr(back, name), check_exact=True)
    assert back.latest_period == ds.latest_period == "2025-04"
    assert back.periods == ds.periods
    assert back.data_dir == ds.data_dir


def test_load_dataset_prefers_the_snapshot_over_the_folder(tmp_path: Path) -> None:
    data = _ledger_folder(tmp_path)
    write_snapshot(load_all(data, use_cache=False), tmp_path / "snap")
    with open(data / "actuals" / "ledger.csv", "a", encoding="utf-8") as fh:
        fh.write("2025-04-20,差旅费,5000.00,补录\n")
    fresh = load_dataset(data, use_cache=False)
    snap = load_dataset(data, snapshot=str(tmp_path / "snap"))
    assert fresh.actuals["amount"].sum() == pytest.approx(6288.10)
    assert snap.actuals["amount"].sum() == pytest.approx(1288.10)
    assert len(snap.actuals) == 3


def test_incomplete_snapshot_is_refused(tmp_path: Path) -> None:
    write_snapshot(load_all(_ledger_folder(tmp_path), use_cache=False), tmp_path / "snap")
    (tmp_path / "snap" / "snapshot.json").unlink()
    with pytest.raises(SnapshotError, match="incomplete"):
        read_snapshot(tmp_path / "snap")


def test_mixed_object_columns_are_stored_as_text(tmp_path: Path) -> None:
    ds = load_all(_ledger_folder(tmp_path), use_cache=False)
    ds.inputs = ds.inputs.assign(year=pd.Series([2025, ""], dtype=object, index=ds.inputs.index))
    write_snapshot(ds, tmp_path / "snap")
    back = read_snapshot(tmp_path / "snap")
    assert back.inputs["year"].tolist() == ["2025", ""]
    manifest = json.loads((tmp_path / "snap" / "snapshot.json").read_text(encoding="utf-8"))
    assert manifest["converted_to_text"] == {"inputs": ["year"]}


@pytest.mark.parametrize("path", sorted(REPORT_NOTEBOOKS_DIR.glob("*.ipynb")), ids=lambda p: p.stem)
def test_papermill_sees_every_parameter_and_the_snapshot(path: Path) -> None:
    """A "=" in a parameter's comment hides it from papermill (the budget report's period once)."""
    import papermill as pm

    nb = json.loads(path.read_text(encoding="utf-8"))
    source = "".join(nb["cells"][0]["source"])
    declared = re.findall(r"^(\w+)\s*:", source, re.M)
    for line in source.splitlines():
        comment = line.split("#", 1)[1] if "#" in line else ""
        assert "=" not in comment, f"{path.name}: '=' in a parameter comment: {line}"
    assert list(pm.inspect_notebook(str(path))) == declared
    assert "snapshot" in declared
    code = "".join("".join(c["source"]) for c in nb["cells"][1:] if c["cell_type"] == "code")
    assert "load_dataset(" in code and "snapshot=snapshot" in code
    assert "load_all(" not in code


@pytest.mark.slow
def test_reports_use_the_runs_snapshot_when_inputs_change_mid_run(
    tmp_path: Path, sample_dir: Path
) -> None:
    """A ledger appended to and another deleted after the load: the published figures, run.json
    and inputs_read.csv all still describe what was loaded."""
    data = tmp_path / "data"
    shutil.copytree(sample_dir, data)
    csv_ledger = data / "actuals" / "2026-10_费用明细.csv"
    xlsx_ledger = data / "actuals" / "费用明细账2026.xlsx"
    loaded_sha = {p.name: file_digest(p) for p in (csv_ledger, xlsx_ledger)}
    reference = load_all(sample_dir, use_cache=False)
    ref = reference.actuals
    ref_month = round(ref.loc[ref["period"] == "2026-10", "amount"].sum(), 2)
    ref_ytd = round(ref.loc[ref["period"].between("2026-01", "2026-10"), "amount"].sum(), 2)

    def tamper(_ds) -> None:
        with open(csv_ledger, "ab") as fh:
            fh.write("2026/10/31,篡改-1,售后,办公用品,运行中追加,999999.00\n".encode("gbk"))
        xlsx_ledger.unlink()

    result = run(
        data=str(data),
        out=str(tmp_path / "out"),
        only=["overview", "budget"],
        progress=Progress(quiet=True),
        after_load=tamper,
    )
    assert result.exit_code == 0, result.message
    folder = result.folder
    assert not xlsx_ledger.exists()

    variance = pd.read_csv(folder / "budget_variance.csv", encoding="utf-8-sig")
    assert round(variance["actual"].sum(), 2) == ref_month
    assert round(variance["actual_ytd"].sum(), 2) == ref_ytd

    manifest = json.loads((folder / "run.json").read_text(encoding="utf-8"))
    by_file = {}
    for entry in manifest["inputs"]:
        by_file.setdefault(entry["file"], []).append(entry)
    assert by_file["actuals/2026-10_费用明细.csv"][0]["sha256"] == loaded_sha[csv_ledger.name]
    assert by_file["actuals/费用明细账2026.xlsx"][0]["sha256"] == loaded_sha[xlsx_ledger.name]
    snap = read_snapshot(folder / ".snapshot")
    assert len(snap.actuals) == len(ref)
    assert manifest["snapshot"]["folder"] == ".snapshot"
    assert manifest["snapshot"]["rows"]["actuals"] == len(ref)
    assert manifest["snapshot"]["rows"]["inputs"] == len(manifest["inputs"])
    assert sum(e["rows_loaded"] for e in manifest["inputs"] if e["kind"] == "actuals") == len(ref)
    readings = pd.read_csv(folder / "inputs_read.csv", encoding="utf-8-sig")
    assert set(readings["sha256"]) == {e["sha256"] for e in manifest["inputs"]}

    overview = (folder / "00_overview.html").read_text(encoding="utf-8")
    assert "999,999" not in overview and "999999" not in overview
    assert "费用明细账2026.xlsx" in overview  # the deleted file is still what the reports used
    outputs = {o["file"] for o in manifest["outputs"]}
    assert not any(f.startswith(".snapshot") for f in outputs)
