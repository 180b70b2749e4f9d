"""``paycalc run``: files out, the balance line, exit codes, neutralised cells."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paycalc.cli import main
from tests.conftest import EXAMPLES

DEMO = EXAMPLES / "rosters" / "demo.csv"
HEAD = "工号,姓名,方案,岗位,入职日期,社区星级评定\n"


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def register_rows(path: Path) -> list[dict[str, str]]:
    """The workers' rows of a register written with --headers codes (without 合计)."""
    found = rows(path)
    assert found and found[-1]["worker_id"] == "合计"
    return found[:-1]


def test_run_demo_roster(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "slips.csv"
    assert main(["run", str(DEMO), "--month", "2024-03", "--out", str(out), "--headers", "codes"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "5 rows in = 5 slips + 0 not employed + 0 errors"
    slips = {row["worker_id"]: row for row in register_rows(out)}
    # DEMO-0002 副职, hired 2016-09-01, 大专, appraisals 称职/称职/基本称职, rating B:
    # served 7 years → 7 // 3 = 2 steps above grade 4 → grade 6: 50 + 60 × 5 = 350;
    # seniority 2 passed years (称职, 称职; 基本称职 earns no step) × 30 = 60; basic
    # performance 10% × (2500 + 350) = 285; gross 2500 + 350 + 60 + 100 + 285 = 3295.
    assert slips["DEMO-0002"]["grade_pay"] == "350.00"
    assert slips["DEMO-0002"]["gross"] == "3295.00"
    # DEMO-0005 hired 2024-03-11: 21 of 31 days; 2300 × 21 / 31 = 1558.06.
    assert slips["DEMO-0005"]["post_pay"] == "1558.06"
    assert rows(tmp_path / "slips.errors.csv") == []


def test_bad_rows_fail_good_rows_pay(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    roster = tmp_path / "r.csv"
    roster.write_text(
        HEAD
        + 'A1,=HYPERLINK("http://x"),demo.community-worker,正职,2012-03-15,A\n'
        + "A2,乙,demo.community-worker,主任,2012-03-15,A\n"
        + "A3,丙,demo.community-worker,副职,2012.3.15,A\n",
        encoding="utf-8",
    )
    out = tmp_path / "slips.csv"
    assert main(["run", str(roster), "--month", "2024-03", "--out", str(out), "--headers", "codes"]) == 1
    assert capsys.readouterr().out.splitlines()[-1] == "3 rows in = 1 slips + 0 not employed + 2 errors"
    (slip,) = register_rows(out)
    assert slip["name"] == '\'=HYPERLINK("http://x")'  # neutralised
    errors = rows(tmp_path / "slips.errors.csv")
    assert [(e["row"], e["worker_id"], e["field"]) for e in errors] == [
        ("3", "A2", "岗位"),
        ("4", "A3", "入职日期"),
    ]
    assert "unknown post '主任'" in errors[0]["reason"]


def test_run_xlsx_and_jsonl_out(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    out = tmp_path / "slips.xlsx"
    assert main(["run", str(DEMO), "--month", "2024-03", "--out", str(out), "--quiet"]) == 0
    sheet = openpyxl.load_workbook(out).worksheets[0]
    header = [cell.value for cell in sheet[1]]
    first = dict(zip(header, [cell.value for cell in sheet[2]], strict=True))
    assert first["工号"] == "DEMO-0001" and first["应发合计"] == 5667
    assert sheet["H2"].number_format == "0.00" and sheet.freeze_panes == "C2"
    jsonl = tmp_path / "slips.jsonl"
    assert main(["run", str(DEMO), "--month", "2024-03", "--out", str(jsonl)]) == 0
    assert jsonl.read_text(encoding="utf-8").count("\n") == 6  # five workers and 合计


def test_unknown_out_suffix_is_a_usage_error(tmp_path: Path) -> None:
    assert main(["run", str(DEMO), "--month", "2024-03", "--out", str(tmp_path / "x.txt")]) == 2


good_row = st.sampled_from(
    [
        "demo.community-worker,正职,2012-03-15,A",
        "demo.community-worker,副职,2020/1/1,B",
        ",专职委员,2021年7月15日,C",  # no scheme: paid under --scheme
    ]
)
bad_row = st.sampled_from(
    [
        "demo.community-worker,主任,2012-03-15,A",  # unknown post
        "demo.community-worker,正职,15/03/2012,A",  # date form
        "demo.community-worker,正职,2012-03-15,Z",  # not a rating
        "no.such-scheme,正职,2012-03-15,A",
    ]
)


#: hired after the month: not employed, neither a slip nor an error
absent_row = "demo.community-worker,正职,2030-01-01,A"


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=30)
@given(
    st.lists(st.tuples(st.booleans(), good_row, bad_row), max_size=12),
    st.booleans(),
    st.integers(0, 3),
)
def test_rows_in_equal_slips_plus_not_employed_plus_errors(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    lines: list[tuple[bool, str, str]],
    duplicate: bool,
    absent: int,
) -> None:
    body = [f"W{i},,{good if ok else bad}" for i, (ok, good, bad) in enumerate(lines)]
    if duplicate and body:
        body.append(body[0])  # a duplicate id: both rows fail
    body += [f"A{i},,{absent_row}" for i in range(absent)]
    capsys.readouterr()  # hypothesis reuses the fixture: start from a clean capture
    roster = tmp_path / "r.csv"
    roster.write_text(HEAD + "".join(line + "\n" for line in body), encoding="utf-8")
    out = tmp_path / "s.csv"
    code = main(
        ["run", str(roster), "--month", "2024-03", "--scheme", "demo.community-worker",
         "--out", str(out), "--quiet", "--headers", "codes"]
    )  # fmt: skip
    slips, errors = register_rows(out), rows(tmp_path / "s.errors.csv")
    # rows 0 and 1 of the errors file are about the file itself (here: a header only)
    failed_rows = {e["row"] for e in errors if e["row"] not in ("0", "1")}
    file_level = [e for e in errors if e["row"] in ("0", "1")]
    summary = capsys.readouterr().out.splitlines()[-1]
    assert summary == (
        f"{len(body)} rows in = {len(slips)} slips + {absent} not employed + "
        f"{len(failed_rows)} errors"
    )
    assert len(body) == len(slips) + absent + len(failed_rows)
    assert code == (1 if failed_rows or file_level else 0)
    assert bool(file_level) == (not body)
    expected_failed = sum(not ok for ok, _, _ in lines) + (
        2 if duplicate and lines and lines[0][0] else 0
    )
    if duplicate and lines and not lines[0][0]:
        expected_failed += 1
    assert len(failed_rows) == expected_failed


def test_summary_line_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["run", str(DEMO), "--month", "2024-03", "--out", str(tmp_path / "s.csv")])
    assert re.fullmatch(
        r"(\d+) rows in = (\d+) slips \+ (\d+) not employed \+ (\d+) errors", capsys.readouterr().out.splitlines()[-1]
    )
