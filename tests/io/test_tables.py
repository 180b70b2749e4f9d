"""Reading tables: every row kept and numbered by its first line, limits that say so."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from paycalc import limits
from paycalc.io import read_table
from paycalc.io.tables import open_table

HEADERS = ["a", "b", "c"]


def csv_bytes(rows: list[list[str]], *, header: list[str] = HEADERS) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


# Text a person may put in a cell: quotes, commas, every kind of line break, CJK, U+2028.
CELL = st.text(
    alphabet=st.one_of(
        st.sampled_from(list(',"\r\n\t \u2028\u2029\u0085\ufeff张三王䶮𠀀')),
        st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    ),
    max_size=12,
)


@given(st.lists(st.lists(CELL, min_size=3, max_size=3), max_size=8))
def test_csv_cells_and_starting_lines_come_back_exactly(rows: list[list[str]]) -> None:
    data = csv_bytes(rows)
    # Where each row starts, counted independently of the reader: one plus the line
    # breaks (\r\n, \r or \n) written before it; the csv module wrote the header first.
    starts, written = [], io.StringIO(newline="")
    writer = csv.writer(written)
    writer.writerow(HEADERS)
    for row in rows:
        starts.append(len(re.findall(r"\r\n|\r|\n", written.getvalue())) + 1)
        writer.writerow(row)
    expected = [
        (start, dict(zip(HEADERS, row, strict=True)))
        for start, row in zip(starts, rows, strict=True)
        if any(cell.strip() for cell in row)  # rows of blank cells are not rows
    ]
    table = read_table(data, format="csv")
    assert table.rows == expected
    assert table.row_errors == {}


def test_a_quoted_line_break_does_not_move_later_rows() -> None:
    data = b'a,b\n1,"two\nlines"\n3,x\n\n4,y\n'
    assert [number for number, _ in read_table(data, format="csv").rows] == [2, 4, 6]


def test_jsonl_numbers_are_lines_and_u2028_is_not_a_line_break() -> None:
    data = '{"id": "J1", "name": "a\u2028b\u0085c"}\r\n\n{"id": "J2"}\n'.encode()
    table = read_table(data, format="jsonl")
    assert table.rows == [(1, {"id": "J1", "name": "a\u2028b\u0085c"}), (3, {"id": "J2"})]


def test_a_cell_over_the_csv_modules_limit_is_that_rows_error_and_reading_goes_on() -> None:
    long_cell = "x" * (csv.field_size_limit() + 10)
    data = csv_bytes([["1", long_cell, "z"], ["2", "fine", "z"], ["3", "also", "z"]])
    table = read_table(data, format="csv")
    assert [number for number, _ in table.rows] == [2, 3, 4]  # nothing after it lost
    assert table.row_errors == {
        2: [
            (
                "b",
                f"the cell holds {len(long_cell):,} characters; at most 32,767 (Excel's own limit)",
            )
        ]
    }
    assert csv.field_size_limit() == 131_072  # the module's limit is left as it was


def test_a_multiline_cell_over_the_limit_keeps_the_lines_after_it() -> None:
    long_cell = "y\n" * 70_000  # 140,000 characters over 70,000 lines
    data = csv_bytes([["1", long_cell, "z"], ["2", "fine", "z"]])
    table = read_table(data, format="csv")
    assert [number for number, _ in table.rows] == [2, 70_003]
    assert list(table.row_errors) == [2]


def test_a_cell_just_within_excels_limit_is_read() -> None:
    cell = "z" * limits.MAX_CELL_CHARS
    table = read_table(csv_bytes([["1", cell, ""]]), format="csv")
    assert table.rows[0][1]["b"] == cell and table.row_errors == {}


def test_a_quote_never_closed_is_reported_not_swallowed() -> None:
    data = b'a,b\n1,x\n2,"oops\n3,y\n4,z\n'
    table = read_table(data, format="csv")
    assert [number for number, _ in table.rows] == [2, 3]
    (reason,) = [reason for _, reason in table.row_errors[3]]
    assert "never closed" in reason and "lines 3–5" in reason


def test_cells_past_the_last_header_are_the_rows_error() -> None:
    data = "a,b\n1,张三,extra\n2,李四,\n".encode()
    table = read_table(data, format="csv")
    assert [number for number, _ in table.rows] == [2, 3]
    assert list(table.row_errors) == [2]  # a trailing empty cell is no data lost
    assert "value in column 3" in table.row_errors[2][0][1]


def test_a_repeated_header_keeps_both_columns() -> None:
    table = read_table("岗位,岗位\n正职,委员\n".encode(), format="csv")
    assert table.headers == ["岗位", "岗位 (column 2)"]
    assert table.rows == [(2, {"岗位": "正职", "岗位 (column 2)": "委员"})]
    assert table.written == {"岗位 (column 2)": "岗位"}
    assert [p.message for p in table.problems] == ["duplicate column (also column 1)"]


def test_too_many_rows_refuses_the_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "MAX_ROWS", 3)
    ok = read_table(csv_bytes([["1", "", ""], ["2", "", ""], ["3", "", ""]]), format="csv")
    assert len(ok.rows) == 3 and not ok.refused
    table = read_table(csv_bytes([[str(i), "", ""] for i in range(4)]), format="csv")
    assert table.refused and table.rows == []
    assert table.problems[0].location == "row 5" and "more than 3 data rows" in str(
        table.problems[0]
    )
    jsonl = read_table(b'{"a":1}\n{"a":2}\n{"a":3}\n{"a":4}\n', format="jsonl")
    assert jsonl.refused and jsonl.rows == [] and jsonl.problems[0].location == "row 4"


def test_too_many_columns_refuses_the_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "MAX_COLUMNS", 3)
    table = read_table(b"a,b,c,d\n1,2,3,4\n", format="csv")
    assert table.refused and table.rows == [] and "4 columns" in table.problems[0].message
    keys = b'{"a":1,"b":2}\n{"c":3,"d":4}\n'
    assert read_table(keys, format="jsonl").refused


def test_a_file_too_big_is_refused_before_it_is_read(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(limits, "MAX_FILE_BYTES", 10)
    path = tmp_path / "r.csv"
    path.write_bytes(b"a,b\n1,2\n3,4\n")
    for source in (path, path.read_bytes(), io.BytesIO(path.read_bytes())):
        table = read_table(source, format="csv")
        assert table.rows == [] and "at most 10 are read" in table.problems[0].message


def test_jsonl_lines_that_cannot_be_read_are_their_rows_errors(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(limits, "MAX_JSONL_LINE_CHARS", 40)
    data = (
        b'{"id": "J1"}\n'
        b"[1, 2]\n"
        b'{"id": "J3", "id": "J4"}\n'
        b'{"id": "J5", "note": "' + b"n" * 40 + b'"}\n'
        b'{"id": "J6", "x": NaN}\n'
        b"{broken\n"
        b'{"id": "J7"}\n'
    )
    table = read_table(data, format="jsonl")
    assert [number for number, _ in table.rows] == [1, 2, 3, 4, 5, 6, 7]
    reasons = {number: errors[0][1] for number, errors in table.row_errors.items()}
    assert list(reasons) == [2, 3, 4, 5, 6]
    assert reasons[2] == "expected a JSON object for one worker"
    assert reasons[3] == "the key 'id' is given twice in one object"
    # '{"id": "J5", "note": "' is 22 characters, then 40 n's and '"}': 64
    assert reasons[4].startswith("the line holds 64 characters; at most 40")
    assert reasons[5] == "NaN is not a number; write a finite number"
    assert reasons[6].startswith("not valid JSON")


def test_read_from_a_path_bytes_or_a_binary_file(tmp_path: Path) -> None:
    data = "工号,岗位\nA1,正职\n".encode()
    path = tmp_path / "upload.csv"
    path.write_bytes(data)
    expected = [(2, {"工号": "A1", "岗位": "正职"})]
    assert read_table(path).rows == expected
    assert read_table(str(path)).rows == expected
    assert read_table(data, format="csv").rows == expected
    assert read_table(bytearray(data), format=".CSV").rows == expected
    assert read_table(io.BytesIO(data), name="upload.csv").rows == expected
    with path.open("rb") as handle:
        table = read_table(handle)
    assert table.rows == expected and table.source == str(path)


def test_bytes_without_a_format_are_refused_asking_for_one() -> None:
    table = read_table(b"a\n1\n")
    assert table.rows == [] and "pass format=" in table.problems[0].message
    assert "unknown roster format 'tsv'" in read_table(b"a", format="tsv").problems[0].message


def test_a_text_file_object_is_refused() -> None:
    table = read_table(io.StringIO("a\n1\n"), format="csv")  # type: ignore[arg-type]
    assert "binary mode" in table.problems[0].message


def test_the_stream_says_which_rows_not_to_pay() -> None:
    data = b"a,b\n1,2,3\n4,5\n"
    stream = open_table(data, format="csv")
    first = next(stream.rows)
    assert first == (2, ["1", "2"]) and 2 in stream.row_errors
    assert list(stream.rows) == [(3, ["4", "5"])] and 3 not in stream.row_errors
