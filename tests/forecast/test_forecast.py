"""Forecasts: ageing, version switches, yearly payments, assumptions, outputs."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from paycalc import Month, default_registry, load_schemes, payslip_for_version
from paycalc.cli import main
from paycalc.forecasting import forecast, load_assumptions, parse_assumptions
from paycalc.io import read_roster
from tests.conftest import EXAMPLES, SCHEMES

DEMO = EXAMPLES / "rosters" / "demo.csv"


def test_totals_are_sums_of_itemised_slips() -> None:
    result = forecast(DEMO, "2024-05", 3)
    workers = read_roster(DEMO, schemes=default_registry()).workers
    for index in range(3):
        month = Month.parse("2024-05").plus(index)
        version = default_registry().version_for("demo.community-worker", month)
        expected = sum((payslip_for_version(w, month, version).gross for w in workers), Decimal(0))
        (gross,) = result.select("total", "gross")[index : index + 1]
        assert gross.month == str(month) and gross.amount == expected


def test_versions_switch_and_yearly_payment_lands_in_january() -> None:
    result = forecast(DEMO, "2024-06", 8)
    codes = {
        row.month: {
            r.key for r in result.rows if r.month == row.month and r.dimension == "component"
        }
        for row in result.rows
    }
    assert "post_pay" in codes["2024-06"] and "base_pay" not in codes["2024-06"]  # 2023-01 version
    assert "base_pay" in codes["2024-07"] and "post_pay" not in codes["2024-07"]  # 2024-07 version
    (year_end,) = result.select("component", "year_end_performance")
    # 2025-01, 2024-07 version, 2024 appraisals assumed 称职 (factor 1.0):
    # 正职 8840 + 副职 7480 + 专职委员 6800 + 一肩挑 9520, and DEMO-0005 (专职委员, hired
    # 2024-03-11) pro rata for the 296 of 2024's 366 days it was employed (21 days of March
    # + 30 + 31 + 30 + 31 + 31 + 30 + 31 + 30 + 31): 6800 × 296 / 366 = 5499.4535… → 5499.45;
    # 8840 + 7480 + 6800 + 9520 + 5499.45 = 38139.45
    assert (year_end.month, year_end.amount, year_end.workers) == (
        "2025-01",
        Decimal("38139.45"),
        5,
    )


def test_grades_advance_with_service() -> None:
    # DEMO-0002 (副职, hired 2016-09-01, 大专) under the 2023-01 version alone: in 2025-08
    # it has served 8 years → grade 4 + 8 // 3 = 6, grade pay 50 + 60 × 5 = 350; in 2025-09,
    # 9 years → grade 7: 50 + 60 × 6 = 410.
    registry = load_schemes(SCHEMES / "demo" / "community-worker" / "2023-01.toml")
    workers = [w for w in read_roster(DEMO, schemes=registry).workers if w.id == "DEMO-0002"]
    result = forecast(workers, "2025-08", 2, schemes=registry)
    assert result.errors == []
    grade_pay = [r.amount for r in result.select("component", "grade_pay")]
    assert grade_pay == [Decimal("350.00"), Decimal("410.00")]


def test_by_column_and_post() -> None:
    result = forecast(DEMO, "2024-03", 1, by="街道")
    streets = {r.key: r.workers for r in result.select("街道")}
    assert streets == {"东城街道": 2, "西城街道": 2, "南城街道": 1}
    posts = {r.key: r.workers for r in result.select("post")}
    assert posts == {"chief": 1, "deputy": 1, "member": 2, "secretary_director": 1}
    assert sum(r.amount for r in result.select("post")) == result.total("gross")


def test_attrition_and_hires() -> None:
    assumptions = parse_assumptions(
        {
            "attrition": {"monthly_rate": Decimal("0.2")},
            "hiring": {
                "per_month": 3,
                "template": {"post": "member", "inputs": {"community_rating": "B"}},
            },
        }
    )
    result = forecast(DEMO, "2024-08", 3, assumptions, scheme="demo.community-worker")
    heads = [r.workers for r in result.select("total", "gross")]
    # month 1: 5 + 3 hires = 8; month 2: 8 − floor(8 × 0.2 = 1.6) = 7, + 3 = 10;
    # month 3: carry 0.6 + 10 × 0.2 = 2.6 → 2 leave: 8, + 3 = 11.
    assert heads == [8, 10, 11]


def test_random_appraisals_are_reproducible() -> None:
    assumptions = parse_assumptions(
        {
            "seed": 7,
            "appraisals": {"distribution": {"优秀": Decimal("0.5"), "不称职": Decimal("0.5")}},
        }
    )
    first = forecast(DEMO, "2024-12", 2, assumptions)
    again = forecast(DEMO, "2024-12", 2, assumptions)
    assert first.rows == again.rows


def test_assumptions_file_errors(tmp_path: Path) -> None:
    path = tmp_path / "a.toml"
    path.write_text(
        '[appraisals]\nresult = "great"\n[attrition]\nmonthly_rate = 1.5\n', encoding="utf-8"
    )
    with pytest.raises(Exception) as caught:
        load_assumptions(path)
    text = str(caught.value)
    assert "appraisals.result" in text and "attrition.monthly_rate" in text


def test_example_assumptions_load() -> None:
    assumptions = load_assumptions(EXAMPLES / "forecast" / "assumptions.toml")
    assert assumptions.hiring.per_month > 0


def test_to_dataframe() -> None:
    pytest.importorskip("pandas")
    frame = forecast(DEMO, "2024-03", 2).to_dataframe()
    assert set(frame["dimension"]) == {"total", "component", "post"}


def test_cli_forecast_and_plot(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    out, png = tmp_path / "f.csv", tmp_path / "f.png"
    code = main(
        ["forecast", str(DEMO), "--from", "2024-05", "--months", "12", "--by", "街道",
         "--assumptions", str(EXAMPLES / "forecast" / "assumptions.toml"),
         "--out", str(out), "--plot", str(png), "--quiet"]
    )  # fmt: skip
    assert code == 0
    assert out.read_text(encoding="utf-8-sig").startswith("month,dimension,key")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_forecast_under_a_taxed_scheme_adds_up_real_slips() -> None:
    # Kunming 2024-01 withholds income tax cumulatively and carries 五险一金: each month's slip
    # depends on the months before it. The forecast's totals must be the sums of the slips
    # paycalc.payslip gives for each worker and month .
    from decimal import Decimal

    import paycalc
    from paycalc.forecasting import forecast as run_forecast
    from tests.conftest import EXAMPLES

    folder = EXAMPLES / "workers" / "kunming.community-worker"
    workers = [
        paycalc.load_worker(folder / f"{name}.json")
        for name in ("zhengzhi", "fuzhi", "yijiantiao-top")
    ]
    months = [paycalc.Month(2024, m) for m in (1, 2, 3)]
    expected_net = sum((paycalc.payslip(w, m).net for w in workers for m in months), Decimal(0))
    expected_cost = sum(
        (paycalc.payslip(w, m).employer_cost for w in workers for m in months), Decimal(0)
    )
    result = run_forecast(workers, "2024-01", 3)
    assert result.errors == []
    assert result.total("net") == expected_net
    assert result.total("employer_cost") == expected_cost
