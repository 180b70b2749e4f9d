"""Hostile rosters (CSV, XLSX, JSONL): each is refused naming the file, row, column or key,
or read with nothing lost, or read to the amount a hand computation gives.

A case's ``data``:

- ``make``: a function giving the file's bytes (built when the case runs);
- ``format``: ``csv``, ``xlsx`` or ``jsonl``;
- ``paid``: the worker ids read as valid workers, in order;
- ``errors``: ``(row, column, reason fragment)`` of every row error, in order;
- ``file``: ``(location, message fragment)`` of every file problem, in order;
- ``limits``: bounds of :mod:`paycalc.limits` lowered for the case (a zip bomb past a
  lowered limit is the same attack, built in milliseconds);
- ``check``: a function of the roster for what else the case asserts (amounts, names).
"""

from __future__ import annotations

import csv
import io
import struct
import zipfile
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from paycalc import default_registry, limits, payslip
from paycalc.io import read_roster
from paycalc.io.roster import Roster
from tests.conftest import EXAMPLES
from tests.hostile.catalogue import Hostile, cases

TODAY = date(2025, 6, 1)
HEAD = "工号,姓名,方案,岗位,入职日期\n"
SCHEME = "demo.community-worker"


def row(worker_id: str, name: str = "甲", post: str = "正职", hired: str = "2012-03-15") -> str:
    return f"{worker_id},{name},{SCHEME},{post},{hired}\n"


def utf8(text: str) -> Callable[[], bytes]:
    return lambda: text.encode()


def demo_csv_rows() -> list[list[str]]:
    with (EXAMPLES / "rosters" / "demo.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def demo_xlsx(dimension: str) -> bytes:
    from tests.io.xlsx_files import with_dimension, workbook

    return with_dimension(workbook(demo_csv_rows()), dimension)


def chief_paid_as_in_the_readme(roster: Roster) -> None:
    # README's worked example: DEMO-0001 in 2024-03 is paid 5,667.00 gross, the 1,000.00
    # city award (column 表彰级别, the 18th) included.
    assert len(roster.workers) == 5
    slip = payslip(roster.workers[0], "2024-03", schemes=default_registry())
    assert slip.gross == Decimal("5667.00")
    assert Decimal("1000.00") in [line.amount for line in slip.lines]


def xlsx_sheet(body: str, **parts: bytes) -> Callable[[], bytes]:
    def make() -> bytes:
        from tests.io.xlsx_files import SHEET, patched, sheet_xml, workbook

        return patched(workbook([["x"]]), {SHEET: sheet_xml(body), **parts})

    return make


def xlsx_prolog(prolog: str, rows: str = "") -> Callable[[], bytes]:
    def make() -> bytes:
        from tests.io.xlsx_files import SHEET, inline_row, patched, sheet_xml, workbook

        body = inline_row(1, ["工号"]) + rows
        return patched(workbook([["x"]]), {SHEET: sheet_xml(body, prolog=prolog)})

    return make


def header_row(*names: str) -> str:
    from tests.io.xlsx_files import inline_row

    return inline_row(1, list(names))


def xlsx_rows_of(*rows: list[str]) -> str:
    from tests.io.xlsx_files import inline_row

    return "".join(inline_row(number, values) for number, values in enumerate(rows, start=2))


LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
)
DTD = "declares a DTD (<!DOCTYPE>)"


def zip_of(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)
    return out.getvalue()


def without_part(part: str) -> Callable[[], bytes]:
    def make() -> bytes:
        from tests.io.xlsx_files import workbook

        source = zipfile.ZipFile(io.BytesIO(workbook([["工号"], ["X1"]])))
        return zip_of({n: source.read(n) for n in source.namelist() if n != part})

    return make


def truncated_xlsx() -> bytes:
    from tests.io.xlsx_files import workbook

    data = workbook([["工号"], ["X1"]])
    return data[: len(data) // 2]


def _damaged_sheet_data() -> bytes:
    """A workbook whose sheet's deflate stream starts with a block of type 3 (reserved):
    the first byte 0xFF sets BFINAL and BTYPE=11, which inflating refuses (RFC 1951 3.2.3)."""
    from tests.io.xlsx_files import SHEET, workbook

    data = bytearray(workbook([["工号"], ["X1"]]))
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo(SHEET)
    # the local header: 30 bytes, then the name and the extra field, then the data
    name_length, extra_length = struct.unpack_from("<HH", data, info.header_offset + 26)
    data[info.header_offset + 30 + name_length + extra_length] = 0xFF
    return bytes(data)


def _zip_version_from_the_future() -> bytes:
    """A workbook whose first central directory entry needs zip version 23.0 to extract
    (the field at offset 6 of the entry, APPNOTE 4.3.12; Python reads up to 6.3)."""
    from tests.io.xlsx_files import workbook

    data = bytearray(workbook([["工号"], ["X1"]]))
    entry = data.index(b"PK\x01\x02")
    struct.pack_into("<H", data, entry + 6, 230)
    return bytes(data)


def _directory_past_its_place() -> bytes:
    """A workbook whose end record puts the central directory 100,000 bytes after where it
    is (APPNOTE 4.3.16, the field at offset 16): zipfile takes the difference for bytes
    prepended to the archive, and so seeks to each part 100,000 bytes before the file."""
    from tests.io.xlsx_files import workbook

    data = bytearray(workbook([["工号"], ["X1"]]))
    end = data.rindex(b"PK\x05\x06")
    (directory,) = struct.unpack_from("<I", data, end + 16)
    struct.pack_into("<I", data, end + 16, directory + 100_000)
    return bytes(data)


def _header_name_of_1500_bytes() -> bytes:
    """A workbook whose local header of _rels/.rels (the first part read) says its name is
    1,500 bytes long (the field at offset 26, APPNOTE 4.3.7): the name read there runs into
    the data after it, unlike the directory's."""
    from tests.io.xlsx_files import workbook

    data = bytearray(workbook([["工号"], ["X1"]]))
    offset = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("_rels/.rels").header_offset
    assert len(data) > offset + 1_600
    struct.pack_into("<H", data, offset + 26, 1_500)
    return bytes(data)


def _with_sheet_bytes(sheet: bytes) -> bytes:
    from tests.io.xlsx_files import SHEET, patched, workbook

    return patched(workbook([["x"]]), {SHEET: sheet})


def _with_workbook_dtd() -> bytes:
    from tests.io.xlsx_files import patched, workbook

    return patched(
        workbook([["x"]]),
        {
            "xl/workbook.xml": lambda xml: xml.replace(
                b"<workbook", LAUGHS.encode() + b"<workbook", 1
            )
        },
    )


def _with_shared_strings(padding: bytes) -> bytes:
    from tests.io.xlsx_files import package

    data = package('<row r="1"><c r="A1" t="s"><v>0</v></c></row>', shared_strings=["<t>工号</t>"])
    from tests.io.xlsx_files import patched

    return patched(
        data, {"xl/sharedStrings.xml": lambda xml: xml.replace(b"</sst>", padding + b"</sst>")}
    )


CSV_CASES = (
    Hostile(
        "csv-long-document-type",
        "a 证件类型 cell of 5,000 characters (quoted whole in the row's error before, found by "
        "fuzzing): the row's error, the value shown cut, the next row paid",
        "error",
        {
            "make": utf8(
                HEAD.replace("\n", ",证件类型\n")
                + row("A1").replace("\n", "," + "q" * 5_000 + "\n")
                + row("A2").replace("\n", ",居民身份证\n")
            ),
            "paid": ["A2"],
            "errors": [(2, "证件类型", "unknown document type 'qqqq")],
        },
    ),
    Hostile(
        "csv-gbk-row-then-korean-utf8-row",
        "a GBK line, then a UTF-8 line of no Chinese that GB18030 cannot read (a "
        "UnicodeDecodeError escaped the reader before; found by fuzzing): refused as a mix",
        "error",
        {
            "make": lambda: (HEAD + row("A1", "张三")).encode("gbk") + row("A2", "김").encode(),
            "file": [("row 1", "a mix of encodings: this line is GBK/GB18030 but line 3")],
        },
    ),
    Hostile(
        "csv-long-unknown-header",
        "an unknown column headed by 5,000 characters (quoted whole in its message before, "
        "found by fuzzing): named cut, ignored, the row paid",
        "error",
        {
            "make": utf8(
                HEAD.replace("\n", "," + "z" * 5_000 + "\n") + row("A1").replace("\n", ",x\n")
            ),
            "paid": ["A1"],
            "file": [("row 1, column " + "z" * 50 + "…", "unknown column")],
        },
    ),
    Hostile(
        "csv-utf8-with-one-gbk-row",
        "a UTF-8 roster with one row saved as GBK: refused naming that row, never decoded "
        "whole as GBK (which garbles every other name)",
        "error",
        {
            "make": lambda: (
                (HEAD + row("A1", "张三")).encode()
                + row("A2", "李四").encode("gbk")
                + row("A3", "王五").encode()
            ),
            "file": [("row 3", "a mix of encodings")],
        },
    ),
    Hostile(
        "csv-gb18030-rare-character",
        "a GB18030 roster with 王䶮 (䶮 is not in GBK) is read, the name intact",
        "kept",
        {
            "make": lambda: (HEAD + row("A1", "王䶮")).encode("gb18030"),
            "paid": ["A1"],
            "check": lambda r: r.workers[0].name == "王䶮" and r.encoding == "gb18030",
        },
    ),
    Hostile(
        "csv-bom-then-gbk-row",
        "a file starting with a UTF-8 BOM but holding a GBK row: refused naming that row",
        "error",
        {
            "make": lambda: b"\xef\xbb\xbf" + HEAD.encode() + row("A1", "李四").encode("gbk"),
            "file": [("row 2", "has a BOM")],
        },
    ),
    Hostile(
        "csv-neither-encoding",
        "bytes that are neither UTF-8 nor GB18030 (0xFF): refused naming the line",
        "error",
        {
            "make": lambda: HEAD.encode() + row("A1").encode() + b"A2,\xff\xff,x\n",
            "file": [("row 3", "neither UTF-8 nor GB18030")],
        },
    ),
    Hostile(
        "csv-utf16",
        "a roster saved as UTF-16 (Excel's 'Unicode text'): refused saying so",
        "error",
        {"make": lambda: (HEAD + row("A1")).encode("utf-16"), "file": [("", "UTF-16")]},
    ),
    Hostile(
        "csv-really-xlsx",
        "an XLSX file named .csv: refused saying it is a zip",
        "error",
        {"make": lambda: b"PK\x03\x04" + b"\0" * 30, "file": [("", "XLSX (zip)")]},
    ),
    Hostile(
        "csv-nul-bytes",
        "NUL bytes in a text roster: refused naming the line",
        "error",
        {
            "make": lambda: (HEAD + row("A1")).encode() + b"A2,\x00\n",
            "file": [("row 3", "NUL bytes")],
        },
    ),
    Hostile(
        "csv-quoted-line-breaks",
        "a quoted cell holding line breaks: later rows keep their own line numbers",
        "error",
        {
            "make": utf8(
                "工号,姓名,方案,岗位,入职日期,备注\n"
                f'A1,甲,{SCHEME},正职,2012-03-15,"楼上\n楼下\n"\n'
                f"A2,乙,{SCHEME},正职,2012-13-01,\n"
            ),
            "paid": ["A1"],
            "errors": [(5, "入职日期", "not a real date")],
        },
    ),
    Hostile(
        "csv-cell-over-the-csv-limit",
        "a cell of 200,000 characters (over the csv module's 131,072): that row's error, "
        "and the rows after it are still read (they were silently lost)",
        "error",
        {
            "make": utf8(
                "工号,姓名,方案,岗位,入职日期,备注\n"
                f"A1,甲,{SCHEME},正职,2012-03-15,{'长' * 200_000}\n"
                f"A2,乙,{SCHEME},正职,2012-03-15,\n"
                f"A3,丙,{SCHEME},正职,2012-03-15,\n"
            ),
            "paid": ["A2", "A3"],
            "errors": [(2, "备注", "200,000 characters; at most 32,767")],
        },
    ),
    Hostile(
        "csv-long-multiline-cell",
        "a quoted cell of 100,000 lines: that row's error; the next row keeps its line number",
        "error",
        {
            "make": utf8(
                "工号,姓名,方案,岗位,入职日期,备注\n"
                f'A1,甲,{SCHEME},正职,2012-03-15,"{"x" * 2 + chr(10)}'
                * 1
                + "y\n" * 100_000
                + f'"\nA2,乙,{SCHEME},正职,2012-03-15,\n'
            ),
            "paid": ["A2"],
            "errors": [(2, "备注", "at most 32,767")],
        },
    ),
    Hostile(
        "csv-unclosed-quote",
        "a quote opened and never closed swallows the rest of the file: reported at its "
        "row with the lines it took, never passed in silence",
        "error",
        {
            "make": utf8(HEAD + row("A1") + f'A2,"乙,{SCHEME},正职,2012-03-15\n' + row("A3")),
            "paid": ["A1"],
            "errors": [(3, "", "never closed: lines 3–4")],
        },
    ),
    Hostile(
        "csv-more-cells-than-headers",
        "a name with an unquoted comma shifts the row: that row's error, never dropped cells",
        "error",
        {
            "make": utf8(HEAD + f"A1,张,三,{SCHEME},正职,2012-03-15\n" + row("A2")),
            "paid": ["A2"],
            "errors": [(2, "", "a value in column 6 but the header row names only 5 columns")],
        },
    ),
    Hostile(
        "csv-mixed-line-ends",
        "CRLF, CR and LF line ends in one file: every row read, numbered by physical line",
        "kept",
        {
            "make": lambda: (
                (HEAD.rstrip("\n") + "\r\n" + row("A1").rstrip("\n") + "\r").encode()
                + row("A2").encode()
            ),
            "paid": ["A1", "A2"],
            "check": lambda r: [x.row for x in r.records] == [2, 3],
        },
    ),
    Hostile(
        "csv-blank-lines-everywhere",
        "blank lines before the header and between rows: skipped, row numbers stay physical",
        "error",
        {
            "make": utf8("\n\n" + HEAD + "\n" + row("A1") + "\n\n" + row("A2", hired="bad")),
            "paid": ["A1"],
            "errors": [(8, "入职日期", "expected a date")],
        },
    ),
    Hostile(
        "csv-line-separator-in-a-name",
        "U+2028 and U+0085 inside a cell are text, not line breaks",
        "kept",
        {
            "make": utf8(HEAD + row("A1", "张\u2028三\u0085丰") + row("A2")),
            "paid": ["A1", "A2"],
            "check": lambda r: (
                r.workers[0].name == "张\u2028三\u0085丰" and [x.row for x in r.records] == [2, 3]
            ),
        },
    ),
    Hostile(
        "csv-post-and-岗位",
        "both 岗位 and post columns (everyone was paid as the second): no row paid, the "
        "conflict named once",
        "error",
        {
            "make": utf8(f"工号,方案,岗位,post,入职日期\nA1,{SCHEME},正职,member,2012-03-15\n"),
            "errors": [(2, "岗位, post", "both give the post")],
            "file": [("row 1, column 岗位, post", "no row is paid")],
        },
    ),
    Hostile(
        "csv-工号-and-id",
        "both 工号 and id columns: no row paid",
        "error",
        {
            "make": utf8(f"工号,id,方案,岗位,入职日期\nA1,B1,{SCHEME},正职,2012-03-15\n"),
            "errors": [(2, "工号, id", "both give the id")],
            "file": [("row 1, column 工号, id", "no row is paid")],
        },
    ),
    Hostile(
        "csv-one-year-two-appraisal-columns",
        "考核2023 and 2023年度考核 both present: no row paid",
        "error",
        {
            "make": utf8(
                "工号,方案,岗位,入职日期,考核2023,2023年度考核\n"
                f"A1,{SCHEME},正职,2012-03-15,优秀,不称职\n"
            ),
            "errors": [(2, "考核2023, 2023年度考核", "both give the 2023 appraisal")],
            "file": [("row 1, column 考核2023, 2023年度考核", "no row is paid")],
        },
    ),
    Hostile(
        "csv-appraisal-in-column-and-json",
        "an appraisal in 考核2023 and in the JSON 考核 column: that row's error naming both",
        "error",
        {
            "make": utf8(
                "工号,方案,岗位,入职日期,考核2023,考核\n"
                f'A1,{SCHEME},正职,2012-03-15,优秀,"{{""2023"": ""不称职""}}"\n'
                + f"A2,{SCHEME},正职,2012-03-15,优秀,\n"
            ),
            "paid": ["A2"],
            "errors": [(2, "考核", "given twice: column 考核2023 and 考核 key '2023'")],
        },
    ),
    Hostile(
        "csv-appraisal-year-spellings-in-json",
        'appraisal years "2023" and " 2023" in one JSON cell: the row\'s error',
        "error",
        {
            "make": utf8(
                "工号,方案,岗位,入职日期,考核\n"
                f'A1,{SCHEME},正职,2012-03-15,"{{""2023"": ""优秀"", "" 2023"": ""不称职""}}"\n'
            ),
            "errors": [(2, "考核", "key '2023' and 考核 key ' 2023'")],
        },
    ),
    Hostile(
        "csv-certificate-level-twice",
        "社工证 and 社工证等级 both present: no row paid",
        "error",
        {
            "make": utf8(
                "工号,方案,岗位,入职日期,社工证,社工证等级,社工证取得日期\n"
                f"A1,{SCHEME},正职,2012-03-15,高级,初级,2019-06-20\n"
            ),
            "errors": [(2, "社工证, 社工证等级", "social-work certificate's level")],
            "file": [("row 1, column 社工证, 社工证等级", "no row is paid")],
        },
    ),
    Hostile(
        "csv-same-header-twice",
        "岗位 twice: reported once as a duplicate column, no row paid",
        "error",
        {
            "make": utf8(f"工号,方案,岗位,入职日期,岗位\nA1,{SCHEME},正职,2012-03-15,委员\n"),
            "errors": [(2, "岗位, 岗位 (column 5)", "both give the post")],
            "file": [("row 1, column 岗位", "duplicate column (also column 3)")],
        },
    ),
    Hostile(
        "csv-deeply-nested-json-cell",
        "a JSON cell nested 10,000 deep (was a RecursionError that paid no row): that row's "
        "error, the others paid",
        "error",
        {
            "make": utf8(
                "工号,方案,岗位,入职日期,其他输入\n"
                f'A1,{SCHEME},正职,2012-03-15,"{"[" * 10_000}{"]" * 10_000}"\n'
                f"A2,{SCHEME},正职,2012-03-15,\n"
            ),
            "paid": ["A2"],
            "errors": [(2, "其他输入", "nested deeper than 20 levels")],
        },
    ),
    Hostile(
        "csv-json-cell-duplicate-key",
        "a JSON cell with a key twice: the row's error naming the key",
        "error",
        {
            "make": utf8(
                "工号,方案,岗位,入职日期,其他输入\n"
                f'A1,{SCHEME},正职,2012-03-15,"{{""community_rating"": ""A"", ""community_rating"": ""C""}}"\n'
            ),
            "errors": [(2, "其他输入", "the key 'community_rating' is given twice")],
        },
    ),
    Hostile(
        "csv-json-cell-nan",
        "NaN in a JSON cell: the row's error",
        "error",
        {
            "make": utf8(
                f'工号,方案,岗位,入职日期,资格证书\nA1,{SCHEME},正职,2012-03-15,"[NaN]"\n'
            ),
            "errors": [(2, "资格证书", "NaN is not a number")],
        },
    ),
    *[
        Hostile(
            f"csv-money-{name}",
            f"contribution base {text!r}: refused naming the column, never read as a guess",
            "error",
            {
                "make": utf8(
                    "工号,方案,岗位,入职日期,缴费基数\n"
                    f'A1,{SCHEME},正职,2012-03-15,"{text}"\n'
                    f"A2,{SCHEME},正职,2012-03-15,5320\n"
                ),
                "paid": ["A2"],
                "errors": [(2, "缴费基数", reason)],
            },
        )
        for name, text, reason in [
            ("european", "5.320,00", "decimal comma"),  # was read as 5.32
            ("short-group", "5,32", "commas may only group digits in threes"),
            ("groups", "1,2,3", "commas may only group digits in threes"),
            ("space", "5 320", "spaces inside a number"),
            ("two-signs", "--5320", "more than one sign"),
            ("1e30", "1e30", "exponent form"),  # killed the run with InvalidOperation
            ("1e400", "1e400", "exponent form"),
            ("nan", "NaN", "not a finite number"),
            ("too-big", "1000000000000", "out of range"),
        ]
    ],
    Hostile(
        "csv-money-forms",
        "contribution bases written ¥5,320.00, ￥5320, 5320元, ５３２０: each read as 5320",
        "amount",
        {
            "make": utf8(
                "工号,方案,岗位,入职日期,缴费基数\n"
                + "".join(
                    f'A{i},{SCHEME},正职,2012-03-15,"{text}"\n'
                    for i, text in enumerate(["¥5,320.00", "￥5320", "5320元", "５３２０"], start=1)
                )
            ),
            "paid": ["A1", "A2", "A3", "A4"],
            "check": lambda r: [w.contribution_base for w in r.workers] == [Decimal(5320)] * 4,
        },
    ),
    Hostile(
        "csv-too-many-columns",
        "2,000 header columns: the file refused with its reason",
        "error",
        {
            "make": utf8(",".join(f"x_{i}" for i in range(2000)) + "\n" + "1\n"),
            "file": [("row 1", "2,000 columns; at most 1,024")],
        },
    ),
    Hostile(
        "csv-header-cell-too-long",
        "a 40,000-character header: the file refused",
        "error",
        {
            "make": utf8("工号," + "x" * 40_000 + "\nA1,1\n"),
            "file": [("row 1, column 2", "a header of over 32,767 characters")],
        },
    ),
    Hostile(
        "csv-rows-over-the-limit",
        "more data rows than the limit (lowered to 3 for the test): refused, no row paid "
        "(a payroll of the first rows only would look complete)",
        "error",
        {
            "make": utf8(HEAD + "".join(row(f"A{i}") for i in range(4))),
            "limits": {"MAX_ROWS": 3},
            "file": [("row 5", "more than 3 data rows")],
        },
    ),
    Hostile(
        "csv-file-over-the-limit",
        "a file larger than the limit (lowered to 100 bytes): refused before it is read",
        "error",
        {
            "make": utf8(HEAD + "".join(row(f"A{i}") for i in range(4))),
            "limits": {"MAX_FILE_BYTES": 100},
            "file": [("", "at most 100 are read")],
        },
    ),
)

XLSX_CASES = (
    Hostile(
        "xlsx-stale-dimension",
        "the demo roster with a stale <dimension> A1:B2 (openpyxl read 1 row of 2 columns; "
        "the award of 1,000.00 was gone): every row and column read, the chief paid 5,667.00",
        "amount",
        {
            "make": lambda: demo_xlsx("A1:B2"),
            "paid": ["DEMO-0001", "DEMO-0002", "DEMO-0003", "DEMO-0004", "DEMO-0005"],
            "check": chief_paid_as_in_the_readme,
        },
    ),
    Hostile(
        "xlsx-huge-dimension",
        "the demo roster declaring A1:XFD1048576: read as stored, in bounded memory",
        "amount",
        {
            "make": lambda: demo_xlsx("A1:XFD1048576"),
            "paid": ["DEMO-0001", "DEMO-0002", "DEMO-0003", "DEMO-0004", "DEMO-0005"],
            "check": chief_paid_as_in_the_readme,
        },
    ),
    Hostile(
        "xlsx-billion-laughs",
        "entity expansion in the sheet (a traceback before): refused, nothing expanded",
        "error",
        {
            "make": xlsx_prolog(
                LAUGHS, '<row r="2"><c r="A2" t="inlineStr"><is><t>&lol3;</t></is></c></row>'
            ),
            "file": [("", DTD)],
        },
    ),
    Hostile(
        "xlsx-xxe",
        "an external entity reading /etc/passwd: refused, nothing fetched",
        "error",
        {
            "make": xlsx_prolog('<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'),
            "file": [("", DTD)],
        },
    ),
    Hostile(
        "xlsx-dtd-after-a-long-comment",
        "a DTD hidden after a 200 KB comment in the prolog: still found, refused",
        "error",
        {"make": xlsx_prolog("<!--" + "x" * 200_000 + "-->" + LAUGHS), "file": [("", DTD)]},
    ),
    Hostile(
        "xlsx-laughs-in-workbook-part",
        "a DTD in xl/workbook.xml: refused",
        "error",
        {
            "make": _with_workbook_dtd,
            "file": [("", "the part xl/workbook.xml declares a DTD")],
        },
    ),
    Hostile(
        "xlsx-zip-bomb",
        "parts declaring more than the uncompressed limit (lowered to 1 MB): refused before "
        "anything is inflated",
        "error",
        {
            "make": lambda: zip_of({"xl/worksheets/sheet1.xml": b"<a/>" + b" " * 2_000_000}),
            "limits": {"MAX_XLSX_UNCOMPRESSED_BYTES": 1_000_000},
            "file": [("", "would expand to 2,000,004 bytes; at most 1,000,000")],
        },
    ),
    Hostile(
        "xlsx-huge-shared-strings",
        "a shared-strings part over the limit for parts read whole (lowered to 1 MB): refused",
        "error",
        {
            "make": lambda: _with_shared_strings(b" " * 1_500_000),
            "limits": {"MAX_XLSX_PART_BYTES": 1_000_000},
            "file": [("", "the part xl/sharedStrings.xml would expand to")],
        },
    ),
    Hostile(
        "xlsx-millions-of-empty-cells",
        "a 30 KB file of 3,000,000 empty cells (2.7 GB and a 629 MB errors file before): "
        "read in bounded memory, 'header row only'",
        "error",
        {
            "make": xlsx_sheet(
                header_row("工号", "岗位", "入职日期")
                + ("<row>" + "<c/>" * 15_000 + "</row>") * 200
            ),
            "file": [("", "no workers: the file has a header row only")],
        },
    ),
    Hostile(
        "xlsx-cells-over-the-limit",
        "more stored cells than the limit (lowered to 1,000): refused",
        "error",
        {
            "make": xlsx_sheet(header_row("工号") + ("<row>" + "<c/>" * 100 + "</row>") * 20),
            "limits": {"MAX_XLSX_CELLS": 1_000},
            "file": [("row 11", "more than 1,000 cells")],
        },
    ),
    Hostile(
        "xlsx-row-wider-than-excel",
        "one row of 20,000 cells: refused (Excel holds 16,384 columns)",
        "error",
        {
            "make": xlsx_sheet(header_row("工号") + "<row>" + "<c/>" * 20_000 + "</row>"),
            "file": [("row 2", "more than 16,384 cells")],
        },
    ),
    Hostile(
        "xlsx-rows-out-of-order",
        "row 3 stored before row 2 (two rows could share a number): refused",
        "error",
        {
            "make": xlsx_sheet(
                header_row("工号")
                + '<row r="3"><c r="A3" t="inlineStr"><is><t>X3</t></is></c></row>'
                + '<row r="2"><c r="A2" t="inlineStr"><is><t>X2</t></is></c></row>'
            ),
            "file": [("row 2", "sheet row 2 comes after row 3")],
        },
    ),
    Hostile(
        "xlsx-formula-without-value",
        "a grade computed by a formula never calculated (read as empty before: the grade "
        "silently derived): the row's error",
        "error",
        {
            "make": xlsx_sheet(
                header_row("工号", "方案", "岗位", "入职日期", "等级")
                + '<row r="2">'
                + "".join(
                    f'<c r="{c}2" t="inlineStr"><is><t>{v}</t></is></c>'
                    for c, v in zip("ABCD", ["X1", SCHEME, "正职", "2012-03-15"], strict=True)
                )
                + '<c r="E2"><f>7+1</f></c></row>'
            ),
            "errors": [(2, "等级", "a formula without a computed value")],
        },
    ),
    Hostile(
        "xlsx-error-cell",
        "a #REF! cell: the row's error, not the text '#REF!'",
        "error",
        {
            "make": xlsx_sheet(
                header_row("工号", "方案", "岗位", "入职日期")
                + '<row r="2"><c r="A2" t="inlineStr"><is><t>X1</t></is></c>'
                + f'<c r="B2" t="inlineStr"><is><t>{SCHEME}</t></is></c>'
                + '<c r="C2" t="e"><v>#REF!</v></c>'
                + '<c r="D2" t="inlineStr"><is><t>2012-03-15</t></is></c></row>'
            ),
            "errors": [(2, "岗位", "the spreadsheet error #REF!")],
        },
    ),
    Hostile(
        "xlsx-shared-string-missing",
        "a cell pointing past the shared strings: refused",
        "error",
        {
            "make": xlsx_sheet(
                header_row("工号") + '<row r="2"><c r="A2" t="s"><v>7</v></c></row>'
            ),
            "file": [("row 2", "shared string '7'")],
        },
    ),
    Hostile(
        "xlsx-not-a-zip",
        "text named .xlsx: refused",
        "error",
        {"make": utf8("工号,岗位\n"), "file": [("", "not a readable zip")]},
    ),
    Hostile(
        "xlsx-truncated",
        "half an XLSX (an interrupted upload): refused",
        "error",
        {"make": truncated_xlsx, "file": [("", "not a")]},
    ),
    Hostile(
        "xlsx-damaged-deflate-data",
        "a sheet whose compressed data is damaged (zlib.error escaped the reader; found by "
        "fuzzing): refused",
        "error",
        {"make": _damaged_sheet_data, "file": [("", "invalid block type")]},
    ),
    Hostile(
        "xlsx-zip-version-from-the-future",
        "a part needing zip version 23.0 to extract (NotImplementedError escaped the reader; "
        "found by fuzzing): refused",
        "error",
        {"make": _zip_version_from_the_future, "file": [("", "zip file version 23.0")]},
    ),
    Hostile(
        "xlsx-directory-past-its-place",
        "an end record pointing past the central directory, so parts lie before the file's "
        "start (ValueError escaped the reader; found by fuzzing): refused",
        "error",
        {"make": _directory_past_its_place, "file": [("", "negative seek value")]},
    ),
    Hostile(
        "xlsx-local-name-of-1500-bytes",
        "a local header whose name runs 1,500 bytes into the data (zipfile's message quoted "
        "them all; found by fuzzing): refused, the reason cut",
        "error",
        {"make": _header_name_of_1500_bytes, "file": [("", "and header b")]},
    ),
    Hostile(
        "xlsx-missing-sheet",
        "a workbook whose sheet part is missing: refused",
        "error",
        {
            "make": without_part("xl/worksheets/sheet1.xml"),
            "file": [("", "the part xl/worksheets/sheet1.xml is missing")],
        },
    ),
    Hostile(
        "xlsx-malformed-xml",
        "a sheet that is not well-formed XML: refused",
        "error",
        {
            "make": lambda: _with_sheet_bytes(b"<worksheet><sheetData><row></sheetData>"),
            "file": [("", "not well-formed XML")],
        },
    ),
    Hostile(
        "xlsx-sheet-data-only-beyond-header",
        "a value in column ZZ past the last header: the row's error",
        "error",
        {
            "make": xlsx_sheet(
                header_row("工号", "方案", "岗位", "入职日期")
                + xlsx_rows_of(["X1", SCHEME, "正职", "2012-03-15"])[:-6]
                + '<c r="ZZ2" t="inlineStr"><is><t>?</t></is></c></row>'
            ),
            "errors": [(2, "", "a value in column 702")],
        },
    ),
)


JSONL_GOOD = '{"id": "J0", "scheme": "' + SCHEME + '", "post": "正职", "hired_on": "2012-03-15"}\n'

JSONL_CASES = (
    Hostile(
        "jsonl-line-separator-in-a-string",
        "U+2028 inside a JSON string split the line (two broken rows): one row, name intact",
        "kept",
        {
            "make": utf8(JSONL_GOOD.replace('"J0"', '"J1", "name": "张\u2028三"')),
            "paid": ["J1"],
            "check": lambda r: r.workers[0].name == "张\u2028三",
        },
    ),
    Hostile(
        "jsonl-duplicate-key",
        'a line with "post" twice: the line\'s error naming the key',
        "error",
        {
            "make": utf8(JSONL_GOOD + JSONL_GOOD.replace('"J0"', '"J1", "post": "委员"')),
            "paid": ["J0"],
            "errors": [(2, "", "the key 'post' is given twice")],
        },
    ),
    Hostile(
        "jsonl-post-and-岗位",
        'a line with both "post" and "岗位": the line\'s error naming both',
        "error",
        {
            "make": utf8(JSONL_GOOD.replace('"J0"', '"J1", "岗位": "委员"') + JSONL_GOOD),
            "paid": ["J0"],
            "errors": [(1, "岗位, post", "both give the post")],
        },
    ),
    Hostile(
        "jsonl-deep-nesting",
        "a line nested 100,000 deep: the line's error, the next line paid",
        "error",
        {
            "make": utf8(
                '{"id": "J1", "x_a": ' + "[" * 100_000 + "]" * 100_000 + "}\n" + JSONL_GOOD
            ),
            "paid": ["J0"],
            "errors": [(1, "", "nested deeper than 20 levels")],
        },
    ),
    Hostile(
        "jsonl-nan",
        "NaN as a contribution base: the line's error",
        "error",
        {
            "make": utf8(JSONL_GOOD.replace('"J0"', '"J1", "contribution_base": NaN')),
            "errors": [(1, "", "NaN is not a number")],
        },
    ),
    Hostile(
        "jsonl-exponent-beyond-decimal",
        "a contribution base of 1e9999999999999999999 (InvalidOperation escaped and stopped "
        "every row before, found by fuzzing): the line's error, the next line paid",
        "error",
        {
            "make": utf8(
                JSONL_GOOD.replace('"J0"', '"J1", "contribution_base": 1e9999999999999999999')
                + JSONL_GOOD
            ),
            "paid": ["J0"],
            "errors": [(1, "", "is out of range")],
        },
    ),
    Hostile(
        "jsonl-huge-number",
        "a contribution base of 1e400: the line's error naming the key",
        "error",
        {
            "make": utf8(JSONL_GOOD.replace('"J0"', '"J1", "contribution_base": 1e400')),
            "errors": [(1, "contribution_base", "out of range")],
        },
    ),
    Hostile(
        "jsonl-fraction-read-exactly",
        "a contribution base written as the JSON number 5320.10: exactly 5320.10",
        "amount",
        {
            "make": utf8(JSONL_GOOD.replace('"J0"', '"J1", "contribution_base": 5320.10')),
            "paid": ["J1"],
            "check": lambda r: r.workers[0].contribution_base == Decimal("5320.10"),
        },
    ),
    Hostile(
        "jsonl-array-line",
        "a line that is a JSON list: the line's error",
        "error",
        {"make": utf8("[1, 2]\n" + JSONL_GOOD), "paid": ["J0"], "errors": [(1, "", "JSON object")]},
    ),
    Hostile(
        "jsonl-crlf-and-blank-lines",
        "CRLF line ends and blank lines: every line read, numbered as in the file",
        "kept",
        {
            "make": utf8(
                "\r\n" + JSONL_GOOD.replace("\n", "\r\n") + "\r\n" + JSONL_GOOD.replace("J0", "J1")
            ),
            "paid": ["J0", "J1"],
            "check": lambda r: [x.row for x in r.records] == [2, 4],
        },
    ),
    Hostile(
        "jsonl-giant-integer",
        "a 5,000-digit integer (Python refuses to read it): the line's error",
        "error",
        {
            "make": utf8('{"id": "J1", "grade": ' + "9" * 5000 + "}\n"),
            "errors": [(1, "", "a whole number of 5000 digits")],
        },
    ),
)

#: the catalogue of this area (the tuples above are its parts, by format)
ROSTERS = [
    *[case for case in CSV_CASES if case.data.setdefault("format", "csv")],
    *[case for case in XLSX_CASES if case.data.setdefault("format", "xlsx")],
    *[case for case in JSONL_CASES if case.data.setdefault("format", "jsonl")],
]


@pytest.mark.parametrize("case", cases(*ROSTERS))
def test_hostile_roster(case: Hostile, monkeypatch: pytest.MonkeyPatch) -> None:
    data: dict[str, Any] = case.data
    if data["format"] == "xlsx":
        pytest.importorskip("openpyxl")
    for name, value in data.get("limits", {}).items():
        assert hasattr(limits, name), name
        monkeypatch.setattr(limits, name, value)
    roster = read_roster(
        data["make"](),
        format=data["format"],
        name=f"hostile.{data['format']}",
        schemes=default_registry(),
        today=TODAY,
    )
    assert [worker.id for worker in roster.workers] == data.get("paid", [])
    expected_errors = data.get("errors", [])
    assert [(e.row, e.field) for e in roster.errors] == [(r, f) for r, f, _ in expected_errors]
    for error, (_, _, fragment) in zip(roster.errors, expected_errors, strict=True):
        assert fragment in error.reason, (error.reason, fragment)
        assert error.source == f"hostile.{data['format']}"
        assert len(error.reason) < 400  # a message, never a whole cell
    expected_file = data.get("file", [])
    assert [p.location for p in roster.file_problems] == [loc for loc, _ in expected_file]
    for problem, (_, fragment) in zip(roster.file_problems, expected_file, strict=True):
        assert fragment in problem.message, (problem.message, fragment)
        assert len(problem.message) < 400  # a reason, never the file's bytes
    # rows in = records; every record is a worker or carries its errors
    assert all((r.worker is None) == bool(r.errors) for r in roster.records)
    if case.outcome == "error":
        assert roster.errors or roster.file_problems
    else:
        assert not roster.errors and not roster.file_problems
    if "check" in data:
        assert data["check"](roster) is not False
