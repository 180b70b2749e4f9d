"""Decoding text rosters: UTF-8 (BOM or not), else GB18030, else refused — never a mix."""

from __future__ import annotations

import pytest

from paycalc.io.decoding import decode_text_bytes, line_of_offset

HEAD = "工号,姓名,岗位\n"


def test_utf8_with_and_without_bom() -> None:
    text = HEAD + "A1,张三,正职\n"
    assert decode_text_bytes(text.encode(), "r") == (text, "utf-8", None)
    assert decode_text_bytes(b"\xef\xbb\xbf" + text.encode(), "r") == (text, "utf-8-sig", None)


def test_gbk_file_reads_as_gb18030() -> None:
    text = HEAD + "A1,张三,正职\n"
    assert decode_text_bytes(text.encode("gbk"), "r") == (text, "gb18030", None)


def test_a_rare_character_outside_gbk_reads() -> None:
    # 䶮 (U+4DAE, in CJK extension A) is not in GBK; GB18030 encodes it in four bytes.
    text = HEAD + "A1,王䶮,正职\n"
    with pytest.raises(UnicodeEncodeError):
        text.encode("gbk")
    decoded, encoding, problem = decode_text_bytes(text.encode("gb18030"), "r")
    assert (decoded, encoding, problem) == (text, "gb18030", None)


def test_mostly_utf8_with_one_gbk_row_is_refused_naming_that_row() -> None:
    data = (
        (HEAD + "A1,张三,正职\n").encode()
        + "A2,李四,副职\n".encode("gbk")  # line 3
        + "A3,王五,委员\n".encode()
    )
    text, encoding, problem = decode_text_bytes(data, "r.csv")
    assert text is None and encoding == ""
    assert problem is not None and problem.location == "row 3"
    assert "mix of encodings" in problem.message and "line 1 is UTF-8" in problem.message


def test_mostly_gbk_with_one_utf8_row_is_refused_naming_both() -> None:
    data = (HEAD + "A1,张三,正职\n").encode("gbk") + "A2,李四,副职\n".encode()
    _, _, problem = decode_text_bytes(data, "r.csv")
    assert problem is not None and problem.location == "row 1"
    assert "line 3 is UTF-8" in problem.message


def test_a_bom_file_with_a_gbk_row_is_refused_not_guessed() -> None:
    data = b"\xef\xbb\xbf" + HEAD.encode() + "A1,李四,副职\n".encode("gbk")
    _, _, problem = decode_text_bytes(data, "r.csv")
    assert problem is not None and problem.location == "row 2"
    assert "has a BOM" in problem.message


def test_bytes_in_neither_encoding_name_their_line() -> None:
    # 0xFF is neither a UTF-8 byte nor a GB18030 lead byte.
    data = HEAD.encode("gbk") + "A1,张三,正职\n".encode("gbk") + b"A2,\xff\xfe,x\n"
    _, _, problem = decode_text_bytes(data, "r.csv")
    assert problem is not None and problem.location == "row 3"
    assert "ff fe 2c 78" in problem.message


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        ("工号\n".encode("utf-16"), "UTF-16"),
        (b"PK\x03\x04rest", "XLSX (zip)"),
        (b"id\nA1\x00\n", "NUL"),
    ],
)
def test_not_text_rosters_are_refused(data: bytes, fragment: str) -> None:
    text, _, problem = decode_text_bytes(data, "r.csv")
    assert text is None and problem is not None and fragment in problem.message


def test_physical_lines_count_every_kind_of_line_end() -> None:
    data = b"a\r\nb\rc\nd"
    assert [line_of_offset(data, data.index(c)) for c in (b"a", b"b", b"c", b"d")] == [1, 2, 3, 4]
