"""RunResult.table() and to_dataframe(): the slip table, money exact; and the register that
`paycalc run` writes, from Python (close_month), equal to the file the command writes."""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from pathlib import Path

import pytest

import paycalc
from paycalc.cli import main
from paycalc.close import close_month
from paycalc.io import write_slips
from tests.conftest import EXAMPLES

ROSTER = EXAMPLES / "rosters" / "demo.csv"


def _run() -> paycalc.RunResult:
    registry = paycalc.default_registry()
    return paycalc.run_roster(
        paycalc.read_roster(ROSTER, schemes=registry), "2024-03", schemes=registry
    )


def test_the_table_has_a_row_per_slip_with_every_line_code() -> None:
    result = _run()
    table = result.table()
    assert [list(row) for row in table] == [result.columns] * 5
    assert [row["worker_id"] for row in table] == [f"DEMO-000{n}" for n in range(1, 6)]
    li = table[1]
    # 李四, 副职 hired 2016-09-01, appraisals 2021 称职, 2022 称职, 2023 基本称职: a seniority
    # step needs 合格 or better, so 2 passed years × 30 = 60; 2500 + 350 + 60 + 100 (星级 B)
    # + 285 (10% of 2500 + 350) = 3295.00; no 社工证, so that line is 0.00 in its column.
    assert (li["seniority"], li["gross"], li["net"]) == (
        Decimal("60.00"),
        Decimal("3295.00"),
        Decimal("3295.00"),
    )
    assert li["social_work_subsidy"] == Decimal("0.00")
    assert all(isinstance(li[code], Decimal) for code in result.codes)


def test_the_table_is_what_write_slips_writes(tmp_path: Path) -> None:
    result = _run()
    out = tmp_path / "slips.csv"
    write_slips(out, result.slips, result.codes)
    with out.open(encoding="utf-8-sig", newline="") as table:
        written = list(csv.DictReader(table))
    assert [
        {k: f"{v:.2f}" if isinstance(v, Decimal) else str(v) for k, v in row.items()}
        for row in result.table()
    ] == written


def test_the_frame_keeps_money_exact() -> None:
    pytest.importorskip("pandas")
    result = _run()
    frame = result.to_dataframe()
    assert list(frame.columns) == result.columns
    assert len(frame) == 5
    assert all(isinstance(value, Decimal) for value in frame["net"])
    # 5667.00 + 3295.00 + 2873.00 + 4945.00 + 1863.58 (DEMO-0002 above; the others are the
    # slips of README and docs/http-api.md)
    assert frame["net"].sum() == Decimal("18643.58")


def test_the_register_from_python_is_what_paycalc_run_writes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "register.jsonl"
    assert main(["run", str(ROSTER), "--month", "2024-03", "--out", str(out), "--quiet"]) == 0
    capsys.readouterr()
    written = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    register = close_month(ROSTER, "2024-03").register
    assert register.json_rows() == written
    assert written[-1]["工号"] == "合计" and written[-1]["实发"] == "18643.58"
