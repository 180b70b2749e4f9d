"""Reading rosters: encodings, formats, Chinese headers, and every kind of bad input."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from paycalc import default_registry
from paycalc.codes import Appraisal, Education, Level, QualificationKind
from paycalc.io import neutralise, read_roster
from tests.conftest import EXAMPLES

ROSTERS = EXAMPLES / "rosters"
HEAD = "工号,姓名,方案,岗位,入职日期,学历,社区星级评定\n"
GOOD = "A1,甲,demo.community-worker,正职,2012-03-15,本科,A\n"


def write(tmp_path: Path, text: str, *, encoding: str = "utf-8", name: str = "r.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_demo_roster_utf8_and_gbk_read_alike() -> None:
    utf8 = read_roster(ROSTERS / "demo.csv", schemes=default_registry())
    gbk = read_roster(ROSTERS / "demo-gbk.csv", schemes=default_registry())
    assert (utf8.encoding, gbk.encoding) == ("utf-8", "gb18030")  # GB18030 ⊃ GBK
    assert utf8.file_problems == [] and utf8.errors == []
    assert utf8.workers == gbk.workers
    first = utf8.workers[0]
    # Row 2 of demo.csv, column by column:
    assert first.id == "DEMO-0001" and first.post == "正职" and first.hired_on == date(2012, 3, 15)
    assert first.education is Education.bachelor and first.in_establishment is False
    assert first.appraisals == {
        2021: Appraisal.excellent,
        2022: Appraisal.competent,
        2023: Appraisal.competent,
    }
    kinds = {(q.kind, q.level, q.obtained_on) for q in first.qualifications}
    assert kinds == {
        (QualificationKind.social_work, Level.intermediate, date(2019, 6, 20)),
        (QualificationKind.professional_title, Level.junior, date(2023, 5, 1)),
    }
    assert first.inputs == {"community_rating": "A"}
    assert utf8.records[0].info["street"] == "东城街道"
    # the three accepted date forms: 2016/9/1 and 2020年7月15日
    assert utf8.workers[1].hired_on == date(2016, 9, 1)
    assert utf8.workers[2].hired_on == date(2020, 7, 15)


def test_utf8_with_bom(tmp_path: Path) -> None:
    roster = read_roster(write(tmp_path, "\ufeff" + HEAD + GOOD), schemes=default_registry())
    assert roster.encoding == "utf-8-sig" and len(roster.workers) == 1


def test_wrong_encoding_is_a_clear_error(tmp_path: Path) -> None:
    # 0xFF is neither valid UTF-8 nor a GBK lead byte.
    path = tmp_path / "r.csv"
    path.write_bytes(HEAD.encode() + b"A1,\xff\xff,x\n")
    roster = read_roster(path)
    assert len(roster) == 0
    assert "neither UTF-8 nor GB18030/GBK" in roster.file_problems[0].message
    assert roster.file_problems[0].location == "row 2"


@pytest.mark.parametrize(
    ("text", "message"), [("", "empty file"), ("\n\n", "empty file"), (HEAD, "header row only")]
)
def test_empty_files(tmp_path: Path, text: str, message: str) -> None:
    roster = read_roster(write(tmp_path, text))
    assert len(roster) == 0 and message in roster.file_problems[0].message


def test_unknown_column_is_reported_and_rows_still_read(tmp_path: Path) -> None:
    text = HEAD.rstrip("\n") + ",是否再编\n" + GOOD.rstrip("\n") + ",是\n"
    roster = read_roster(write(tmp_path, text), schemes=default_registry())
    assert [(p.location, "unknown column" in p.message) for p in roster.file_problems] == [
        ("row 1, column 是否再编", True)
    ]
    assert len(roster.workers) == 1


def test_missing_required_column_fails_every_row(tmp_path: Path) -> None:
    roster = read_roster(write(tmp_path, "工号,岗位\nA1,正职\nA2,副职\n"))
    assert any("入职日期" in p.location for p in roster.file_problems)
    assert roster.workers == []
    assert [(e.row, e.worker_id, e.field) for e in roster.errors] == [
        (2, "A1", "hired_on / 入职日期"),
        (3, "A2", "hired_on / 入职日期"),
    ]


@pytest.mark.parametrize(
    "bad", ["15/03/2024", "2024.3.15", "2024-3-15", "March 15 2024", "2024-02-30"]
)
def test_other_date_forms_are_errors_naming_row_and_column(tmp_path: Path, bad: str) -> None:
    roster = read_roster(
        write(tmp_path, HEAD + GOOD + f"A2,乙,demo.community-worker,副职,{bad},本科,B\n")
    )
    assert len(roster.workers) == 1  # the good row still reads
    (error,) = roster.errors
    assert (error.row, error.worker_id, error.field) == (3, "A2", "入职日期")
    assert bad in error.reason


def test_duplicate_ids_fail_every_occurrence(tmp_path: Path) -> None:
    roster = read_roster(
        write(tmp_path, HEAD + GOOD + GOOD.replace("正职", "副职") + GOOD.replace("A1", "A3"))
    )
    assert [w.id for w in roster.workers] == ["A3"]
    assert [(e.row, e.field, "duplicate" in e.reason) for e in roster.errors] == [
        (2, "工号", True),
        (3, "工号", True),
    ]


def test_bad_cells_name_their_column(tmp_path: Path) -> None:
    text = (
        "工号,岗位,入职日期,是否在编,学历,考核2022,社工证等级\n"
        "A1,正职,2012-03-15,也许,本科,优秀,\n"
        "A2,正职,2012-03-15,否,小学,优秀,\n"
        "A3,正职,2012-03-15,否,本科,很好,\n"
        "A4,正职,2012-03-15,否,本科,优秀,中级\n"
    )
    errors = read_roster(write(tmp_path, text)).errors
    assert [(e.row, e.field) for e in errors] == [
        (2, "是否在编"),
        (3, "学历"),
        (4, "考核2022"),
        (5, "社工证等级"),  # a level needs its 取得日期 column too
    ]


def test_jsonl_roster(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '{"id": "J1", "post": "正职", "hired_on": "2012-03-15", "appraisals": {"2022": "优秀"}}\n'
        "\n"
        "not json\n"
        '{"id": "J2", "post": "副职", "hired_on": "2012/3/15", "street": "东城街道"}\n',
        name="r.jsonl",
    )
    roster = read_roster(path)
    assert [w.id for w in roster.workers] == ["J1", "J2"]
    assert [(e.row, "JSON" in e.reason) for e in roster.errors] == [(3, True)]
    assert len(roster) == 3  # rows in: the blank line is not a row


def test_xlsx_roster(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["工号", "岗位", "入职日期", "等级", "是否在编"])
    sheet.append(["X1", "正职", date(2012, 3, 15), 8, True])
    sheet.append(["X2", "副职", "2012年3月15日", 5.0, "否"])
    path = tmp_path / "r.xlsx"
    book.save(path)
    roster = read_roster(path)
    assert roster.errors == []
    assert [(w.id, w.hired_on, w.grade, w.in_establishment) for w in roster.workers] == [
        ("X1", date(2012, 3, 15), 8, True),
        ("X2", date(2012, 3, 15), 5, False),
    ]


def test_example_xlsx_and_jsonl_match_csv() -> None:
    csv_workers = read_roster(ROSTERS / "demo.csv", schemes=default_registry()).workers
    for name in ("demo.jsonl", "demo.xlsx"):
        assert read_roster(ROSTERS / name, schemes=default_registry()).workers == csv_workers, name


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('=HYPERLINK("x")', '\'=HYPERLINK("x")'),
        ("+1+2", "'+1+2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("-x", "'-x"),
        ("-12.50", "-12.50"),  # a number, not a formula
        ("张三", "张三"),
    ],
)
def test_neutralise(text: str, expected: str) -> None:
    assert neutralise(text) == expected
