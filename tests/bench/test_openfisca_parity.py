"""The benchmark's OpenFisca model agrees with paycalc, slip by slip (docs/performance.md).

The parity tests need openfisca-core (``pip install -e ".[bench]"``) and are skipped
without it; the roster tests need only numpy. No timing is asserted here.
"""

from __future__ import annotations

import calendar
import csv
import json
from datetime import date
from pathlib import Path

import pytest

import paycalc

pytest.importorskip("numpy")

from benchmarks.openfisca_jiaocheng.roster import RosterShape, write_roster
from benchmarks.openfisca_jiaocheng.totals import differences, months_from

MONTHS = months_from("2021-01", 12)


def _part_months(worker: paycalc.Worker, year: int) -> int:
    """How many months of ``year`` the worker is employed for part of (hand-rolled)."""
    count = 0
    for month in range(1, 13):
        first = date(year, month, 1)
        last = date(year, month, calendar.monthrange(year, month)[1])
        start = max(worker.hired_on, first)
        stop = min(worker.left_on or last, last)
        if start <= stop and (start, stop) != (first, last):
            count += 1
    return count


@pytest.fixture(scope="module")
def roster(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_roster(tmp_path_factory.mktemp("bench") / "roster.csv", 400)


@pytest.fixture(scope="module")
def roster_without_part_months(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("bench")
    return write_roster(folder / "whole.csv", 400, RosterShape(part_months=False))


# -- the roster generator -------------------------------------------------------------


def test_roster_is_read_by_paycalc_without_a_problem(roster: Path) -> None:
    read = paycalc.read_roster(roster, schemes=paycalc.default_registry())
    assert len(read) == 400
    assert read.file_problems == []
    assert [e for record in read for e in record.errors] == []
    workers = [record.worker for record in read if record.worker is not None]
    # the roster exercises what the comparison is about: part months, certificates
    # (some started by 次月起 during the year), both posts, both establishment states
    assert sum(_part_months(w, 2021) for w in workers) > 0
    assert {w.post for w in workers} == {"社区主干", "专职社区成员"}
    assert {w.in_establishment for w in workers} == {True, False}
    assert any(q.obtained_on.year == 2021 for w in workers for q in w.qualifications)


def test_roster_without_part_months_has_none(roster_without_part_months: Path) -> None:
    read = paycalc.read_roster(roster_without_part_months, schemes=paycalc.default_registry())
    workers = [record.worker for record in read if record.worker is not None]
    assert len(workers) == 400
    assert sum(_part_months(w, 2021) for w in workers) == 0
    # people still join and leave during the year, on month boundaries
    assert any(w.left_on is not None for w in workers)
    assert any(w.hired_on.year == 2021 for w in workers)


def test_roster_is_the_same_for_the_same_arguments(roster: Path, tmp_path: Path) -> None:
    again = write_roster(tmp_path / "again.csv", 400)
    assert again.read_bytes() == roster.read_bytes()
    other = write_roster(tmp_path / "other.csv", 400, RosterShape(seed=1))
    assert other.read_bytes() != roster.read_bytes()


# -- the OpenFisca model, against hand computations ------------------------------------


def _csv(path: Path, rows: list[dict[str, str]]) -> Path:
    from benchmarks.openfisca_jiaocheng.roster import FAMILY, HEADER

    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, HEADER, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({"方案": FAMILY, "姓名": "", "街道": "", **row})
    return path


#: hand-made workers, with what the Jiaocheng files pay them (worked by hand below)
HAND = [
    {"工号": "A", "岗位": "社区主干", "入职日期": "2021-03-16", "离职日期": "",
     "是否在编": "否", "社工证等级": "中级", "社工证取得日期": "2021-02-10"},
    {"工号": "B", "岗位": "专职社区成员", "入职日期": "2015-01-01", "离职日期": "2021-06-15",
     "是否在编": "是", "社工证等级": "高级", "社工证取得日期": "2019-06-20"},
    {"工号": "C", "岗位": "专职成员", "入职日期": "2008-05-01", "离职日期": "",
     "是否在编": "否", "社工证等级": "初级", "社工证取得日期": "2021-04-30"},
    {"工号": "D", "岗位": "主干", "入职日期": "2009-01-01", "离职日期": "",
     "是否在编": "否", "社工证等级": "高级", "社工证取得日期": "2009-06-20"},
]  # fmt: skip
# fen, by (worker, month): lines that are paid (others are absent), or None (no slip)
HAND_EXPECTED = {
    # A, 2021-03: hired on the 16th, employed 16 of 31 days.
    #   living 2600 × 16/31 = 1341.935… → 1341.94; certificate (中级 150) obtained in
    #   February, so paid from March (次月起): 150 × 16/31 = 77.419… → 77.42
    ("A", "2021-02"): None,
    ("A", "2021-03"): {"living_subsidy": 134194, "social_work_subsidy": 7742},
    ("A", "2021-04"): {"living_subsidy": 260000, "social_work_subsidy": 15000},
    # B, in the establishment: no certificate subsidy. June: left on the 15th, 15 of 30
    #   days: 2000 × 15/30 = 1000.00; July: gone.
    ("B", "2021-05"): {"living_subsidy": 200000},
    ("B", "2021-06"): {"living_subsidy": 100000},
    ("B", "2021-07"): None,
    # C: 专职成员 is an alias of 专职社区成员 (2000); the 初级 certificate of 30 April
    #   is paid from May (100), not in April.
    ("C", "2021-04"): {"living_subsidy": 200000},
    ("C", "2021-05"): {"living_subsidy": 200000, "social_work_subsidy": 10000},
    # D: 主干 is an alias of 社区主干; 2600 + 高级 200.
    ("D", "2021-06"): {"living_subsidy": 260000, "social_work_subsidy": 20000},
    # 2010 (paycalc's 2010-01 file, the pre-2011 standard): 600 / 500, no certificate line.
    ("A", "2010-06"): None,
    ("B", "2010-06"): None,  # hired in 2015
    ("C", "2010-06"): {"living_subsidy": 50000},
    ("D", "2010-06"): {"living_subsidy": 60000},
}


def test_openfisca_model_pays_the_hand_computed_lines(tmp_path: Path) -> None:
    pytest.importorskip("openfisca_core")
    from benchmarks.openfisca_jiaocheng.model import LINES, jiaocheng_system
    from benchmarks.openfisca_jiaocheng.openfisca_run import month_lines, read_inputs, simulation

    inputs = read_inputs(_csv(tmp_path / "hand.csv", HAND))
    sim = simulation(jiaocheng_system(), inputs)
    ids = [str(i) for i in inputs.ids]
    for (worker, month), expected in HAND_EXPECTED.items():
        paid, lines = month_lines(sim, month)
        i = ids.index(worker)
        found = {c: int(lines[c][i]) for c in LINES if lines[c][i]} if paid[i] else None
        assert found == expected, (worker, month)
        if expected is not None:
            assert int(sim.calculate("gross", month)[i]) == sum(expected.values())


def test_paycalc_pays_the_same_hand_computed_lines(tmp_path: Path) -> None:
    """The same hand computations, for paycalc (so the oracle and paycalc are both checked)."""
    read = paycalc.read_roster(
        _csv(tmp_path / "hand.csv", HAND), schemes=paycalc.default_registry()
    )
    workers = {record.worker_id: record.worker for record in read}
    for (worker, month), expected in HAND_EXPECTED.items():
        if expected is None:
            with pytest.raises(paycalc.PayError):
                paycalc.payslip(workers[worker], month)  # type: ignore[arg-type]
            continue
        slip = paycalc.payslip(workers[worker], month)  # type: ignore[arg-type]
        assert {line.code: int(line.amount * 100) for line in slip.lines} == expected
        assert int(slip.gross * 100) == sum(expected.values())


def test_openfisca_refuses_the_years_the_source_gives_no_figure_for(tmp_path: Path) -> None:
    pytest.importorskip("openfisca_core")
    from openfisca_core.errors import ParameterNotFoundError

    from benchmarks.openfisca_jiaocheng.model import jiaocheng_system
    from benchmarks.openfisca_jiaocheng.openfisca_run import read_inputs, simulation

    sim = simulation(jiaocheng_system(), read_inputs(_csv(tmp_path / "hand.csv", HAND)))
    for month in ("2015-06", "2022-01"):  # 2011–2019: no figure; 2022: paycalc's draft
        with pytest.raises(ParameterNotFoundError):
            sim.calculate("living_subsidy", month)


def test_openfisca_parameters_are_the_scheme_files_figures() -> None:
    pytest.importorskip("openfisca_core")
    from benchmarks.openfisca_jiaocheng.model import jiaocheng_system
    from benchmarks.openfisca_jiaocheng.scheme_data import read_figures

    figures = read_figures()
    at = jiaocheng_system().parameters("2021-06-01").jiaocheng
    living = (at.living_subsidy.principal, at.living_subsidy.member)
    assert [round(v * 100) for v in living] == list(figures.living_fen) == [260000, 200000]
    certificate = (
        0,
        at.social_work_subsidy.junior,
        at.social_work_subsidy.intermediate,
        at.social_work_subsidy.senior,
    )
    assert [round(v * 100) for v in certificate] == list(figures.certificate_fen)
    assert list(figures.certificate_fen) == [0, 10000, 15000, 20000]  # 100 / 150 / 200


# -- parity on a generated roster --------------------------------------------------------


def test_every_line_of_every_slip_is_equal(roster: Path) -> None:
    pytest.importorskip("openfisca_core")
    from benchmarks.openfisca_jiaocheng.parity import check_parity

    report = check_parity(roster, MONTHS)
    assert report.mismatches == []
    assert report.ok
    assert report.workers == 400
    # every worker-month is either a slip or a month not employed
    assert report.slips + report.not_employed == 400 * 12
    read = paycalc.read_roster(roster, schemes=paycalc.default_registry())
    part = sum(_part_months(r.worker, 2021) for r in read if r.worker is not None)
    assert report.part_month_slips == part > 0


def test_parity_without_part_months(roster_without_part_months: Path) -> None:
    pytest.importorskip("openfisca_core")
    from benchmarks.openfisca_jiaocheng.parity import check_parity

    report = check_parity(roster_without_part_months, MONTHS)
    assert report.ok, report.mismatches
    assert report.part_month_slips == 0


def test_parity_check_sees_a_fen_of_difference(roster: Path) -> None:
    """A model one fen off on the member's subsidy must fail the check (it is no stub)."""
    pytest.importorskip("openfisca_core")
    from openfisca_core.periods import period

    from benchmarks.openfisca_jiaocheng.model import jiaocheng_system
    from benchmarks.openfisca_jiaocheng.parity import check_parity

    system = jiaocheng_system()
    system.parameters.jiaocheng.living_subsidy.member.update(
        period=period("2021-06"), value=2000.01
    )
    report = check_parity(roster, MONTHS, system)
    assert not report.ok
    assert report.mismatch_count > 0
    assert all(" 2021-06: " in m for m in report.mismatches)


def test_sample_favours_part_months(roster: Path, tmp_path: Path) -> None:
    from benchmarks.openfisca_jiaocheng.sample import sample_roster

    everyone = paycalc.read_roster(roster, schemes=paycalc.default_registry())
    with_part = sum(1 for r in everyone if r.worker is not None and _part_months(r.worker, 2021))
    assert with_part > 10  # ~5% of 400: the roster has more than the sample takes
    sample = sample_roster(roster, tmp_path / "sample.csv", MONTHS, size=40, scan=400)
    read = paycalc.read_roster(sample, schemes=paycalc.default_registry())
    workers = [r.worker for r in read if r.worker is not None]
    assert len(workers) == 40
    assert sum(1 for w in workers if _part_months(w, 2021)) == 10  # a quarter of the sample


# -- the totals of every system, and the whole comparison --------------------------------


def test_forecast_openfisca_and_the_floor_give_the_same_totals(roster: Path) -> None:
    pytest.importorskip("openfisca_core")
    pytest.importorskip("pyarrow")
    pytest.importorskip("polars")
    from benchmarks.openfisca_jiaocheng import limit, openfisca_run
    from benchmarks.openfisca_jiaocheng.measure import NO_CHANGE, paycalc_totals
    from benchmarks.openfisca_jiaocheng.model import jiaocheng_system
    from benchmarks.openfisca_jiaocheng.scheme_data import read_figures

    expected = openfisca_run.totals(
        openfisca_run.simulation(jiaocheng_system(), openfisca_run.read_inputs(roster)), MONTHS
    )
    forecast = paycalc.forecast(roster, "2021-01", 12, paycalc.load_assumptions(NO_CHANGE))
    figures = read_figures()
    found = {
        "paycalc": paycalc_totals(forecast),
        "pyarrow": limit.pay_months(limit.read_with_pyarrow(roster, figures), figures, MONTHS),
        "polars": limit.pay_months(limit.read_with_polars(roster, figures), figures, MONTHS),
    }
    for name, totals in found.items():
        assert differences(expected, totals) == [], name
    # and the totals are the sum of the itemised slips (an independent route)
    read = paycalc.read_roster(roster, schemes=paycalc.default_registry())
    employed = [
        r.worker
        for r in read
        if r.worker is not None
        and r.worker.hired_on <= date(2021, 7, 31)
        and (r.worker.left_on is None or r.worker.left_on >= date(2021, 7, 1))
    ]
    gross = sum(int(paycalc.payslip(w, "2021-07").gross * 100) for w in employed)
    assert expected["2021-07"]["workers"] == len(employed)
    assert expected["2021-07"]["gross"] == gross


def test_floor_refuses_an_unknown_post(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    pytest.importorskip("polars")
    from benchmarks.openfisca_jiaocheng import limit
    from benchmarks.openfisca_jiaocheng.scheme_data import read_figures

    bad = _csv(tmp_path / "bad.csv", [{**HAND[0], "岗位": "书记"}])
    with pytest.raises(ValueError, match="书记"):
        limit.read_with_pyarrow(bad, read_figures())
    with pytest.raises(ValueError, match="书记"):
        limit.read_with_polars(bad, read_figures())


def test_compare_runs_end_to_end(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("openfisca_core")
    pytest.importorskip("pyarrow")
    pytest.importorskip("polars")
    from benchmarks.openfisca_jiaocheng import compare

    out = tmp_path / "result.json"
    argv = ["--workers", "300", "--rounds", "1", "--sample", "300", "--json", str(out)]
    argv += ["--roster-dir", str(tmp_path), "--systems", "paycalc,openfisca,pyarrow,polars-1t"]
    assert compare.main(argv) == 0
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["parity"]["ok"] and result["parity"]["workers"] == 300
    assert result["totals_equal"] is True
    assert set(result["systems"]) == {"paycalc", "openfisca", "pyarrow", "polars-1t"}
    worker_months = {s["worker_months"] for s in result["systems"].values()}
    assert len(worker_months) == 1  # everyone paid the same worker-months
    assert "| paycalc |" in capsys.readouterr().out
