"""Given twice is an error naming both places, never "last one wins".

A header that gives one value in two columns is a file problem, reported once, and no row
of that file is paid (each row says why). The same value given twice within one row (an
appraisal year in a column and in the JSON column, a key in a JSONL line twice) is that
row's error.
"""

from __future__ import annotations

from datetime import date

import pytest

from paycalc import default_registry
from paycalc.io import read_roster
from paycalc.io.roster import Roster

TODAY = date(2025, 6, 1)


def roster(text: str, fmt: str = "csv") -> Roster:
    return read_roster(text.encode(), format=fmt, schemes=default_registry(), today=TODAY)


@pytest.mark.parametrize(
    ("header", "row", "columns", "what"),
    [
        ("工号,岗位,post,入职日期", "A1,正职,member,2012-03-15", "岗位, post", "the post"),
        ("工号,id,岗位,入职日期", "A1,A1,正职,2012-03-15", "工号, id", "the id"),
        (
            "工号,岗位,入职日期,入职时间",
            "A1,正职,2012-03-15,2012-03-15",
            "入职日期, 入职时间",
            "the hired_on",
        ),
        (
            "工号,岗位,入职日期,考核2023,2023年度考核",
            "A1,正职,2012-03-15,优秀,",
            "考核2023, 2023年度考核",
            "the 2023 appraisal",
        ),
        (
            "工号,岗位,入职日期,社工证,社工证等级,社工证取得日期",
            "A1,正职,2012-03-15,中级,初级,2019-06-20",
            "社工证, 社工证等级",
            "the social-work certificate's level",
        ),
        (
            "工号,岗位,入职日期,表彰级别,表彰日期,award_date",
            "A1,正职,2012-03-15,市级,2024-02-10,",
            "表彰日期, award_date",
            "the award's date",
        ),
        (
            "工号,岗位,入职日期,社区星级评定,input:community_rating",
            "A1,正职,2012-03-15,A,B",
            "社区星级评定, input:community_rating",
            "the input community_rating",
        ),
        (
            "工号,岗位,入职日期,考核,appraisals",
            "A1,正职,2012-03-15,,",
            "考核, appraisals",
            "the appraisals",
        ),
        (
            "工号,岗位,入职日期,街道,乡镇",
            "A1,正职,2012-03-15,东城街道,",
            "街道, 乡镇",
            "the street",
        ),
        ("工号,岗位,岗位,入职日期", "A1,正职,委员,2012-03-15", "岗位, 岗位 (column 3)", "the post"),
    ],
)
def test_two_columns_for_one_value_stop_every_row(
    header: str, row: str, columns: str, what: str
) -> None:
    good = row.replace("A1", "A2", 1)
    read = roster(f"{header}\n{row}\n{good}\n")
    assert read.workers == []  # never paid as a guess, not even the row that agrees
    assert [(e.row, e.field) for e in read.errors] == [(2, columns), (3, columns)]
    assert all(f"both give {what}" in e.reason for e in read.errors)
    located = [p for p in read.file_problems if p.location == f"row 1, column {columns}"]
    if "(column" in columns:  # a repeated header: the reader reports it (once) itself
        assert located == [] and any("duplicate column" in p.message for p in read.file_problems)
    else:
        (problem,) = located
        assert f"all give {what}" in problem.message and "no row is paid" in problem.message


def test_an_appraisal_in_a_year_column_and_in_the_json_column() -> None:
    read = roster(
        "工号,岗位,入职日期,考核2023,考核\n"
        'A1,正职,2012-03-15,优秀,"{""2023"": ""合格""}"\n'
        'A2,正职,2012-03-15,优秀,"{""2022"": ""合格""}"\n'
    )
    assert [w.id for w in read.workers] == ["A2"]
    (error,) = read.errors
    assert (error.row, error.field) == (2, "考核")
    assert error.reason == "the 2023 appraisal is given twice: column 考核2023 and 考核 key '2023'"
    assert read.file_problems == []


@pytest.mark.parametrize("other", ["' 2023'", "'２０２３'", "'02023'"])
def test_one_year_in_two_spellings_in_a_json_cell(other: str) -> None:
    key = other.strip("'")
    read = roster(
        f'工号,岗位,入职日期,考核\nA1,正职,2012-03-15,"{{""2023"": ""优秀"", ""{key}"": ""合格""}}"\n'
    )
    (error,) = read.errors
    assert (
        error.reason == f"the 2023 appraisal is given twice: 考核 key '2023' and 考核 key {other}"
    )


def test_an_input_in_its_column_and_in_the_json_inputs_column() -> None:
    read = roster(
        "工号,岗位,入职日期,社区星级评定,其他输入\n"
        'A1,正职,2012-03-15,A,"{""community_rating"": ""B""}"\n'
    )
    (error,) = read.errors
    assert error.field == "其他输入"
    assert "the input community_rating is given twice: column 社区星级评定" in error.reason


def test_jsonl_keys_that_feed_one_value_fail_that_line_only() -> None:
    read = roster(
        '{"id": "J1", "post": "正职", "岗位": "委员", "hired_on": "2012-03-15"}\n'
        '{"id": "J2", "post": "正职", "hired_on": "2012-03-15"}\n'
        '{"工号": "J3", "岗位": "正职", "入职日期": "2012-03-15"}\n',
        "jsonl",
    )
    assert [w.id for w in read.workers] == ["J2", "J3"]
    (error,) = read.errors
    assert (error.row, error.field) == (1, "post, 岗位")
    assert read.file_problems == []


def test_duplicate_keys_in_a_json_cell_name_the_key() -> None:
    read = roster('工号,岗位,入职日期,其他输入\nA1,正职,2012-03-15,"{""a"": 1, ""a"": 2}"\n')
    (error,) = read.errors
    assert (error.field, error.reason) == ("其他输入", "the key 'a' is given twice in one object")


def test_json_columns_of_the_wrong_shape_say_what_is_expected() -> None:
    read = roster('工号,岗位,入职日期,考核,资格证书\nA1,正职,2012-03-15,"[""优秀""]","{}"\n')
    assert [(e.field, e.reason.split(" such")[0]) for e in read.errors] == [
        ("考核", "expected a JSON object"),
        ("资格证书", "expected a JSON list of objects,"),
    ]
