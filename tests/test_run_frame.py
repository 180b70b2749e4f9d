"""RunResult.register() and to_dataframe(): the register `paycalc run` writes, money exact."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest

import paycalc
from paycalc.cli import main
from tests.conftest import EXAMPLES

ROSTER = EXAMPLES / "rosters" / "demo.csv"


def _run() -> paycalc.RunResult:
    registry = paycalc.default_registry()
    return paycalc.run_roster(
        paycalc.read_roster(ROSTER, schemes=registry), "2024-03", schemes=registry
    )


def test_register_is_what_paycalc_run_writes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "slips.csv"
    assert main(["run", str(ROSTER), "--month", "2024-03", "--out", str(out), "--quiet"]) == 0
    capsys.readouterr()
    with out.open(encoding="utf-8-sig", newline="") as table:
        written = list(csv.DictReader(table))
    register = _run().register()
    assert [
        {k: f"{v:.2f}" if isinstance(v, Decimal) else str(v) for k, v in row.items()}
        for row in register
    ] == written


def test_the_frame_keeps_money_exact() -> None:
    pytest.importorskip("pandas")
    result = _run()
    frame = result.to_dataframe()
    assert list(frame.columns) == result.columns
    assert len(frame) == 5
    assert all(isinstance(value, Decimal) for value in frame["net"])
    # 5667.00 + 3325.00 + 2873.00 + 4945.00 + 1863.58, the slips of docs/http-api.md
    assert frame["net"].sum() == Decimal("18673.58")
