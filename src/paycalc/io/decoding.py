"""Decoding a text roster (CSV, JSONL): UTF-8, else GB18030, else refused — never a mix.

The rule, for the bytes of a whole file:

1. UTF-16/32 (by BOM), a zip file (an XLSX named wrongly) and NUL bytes are refused;
2. text that is UTF-8 throughout (with or without a BOM) is UTF-8;
3. with a UTF-8 BOM, any line that is not UTF-8 is refused, naming it;
4. otherwise every physical line is checked on its own (a line break is never part of a
   multi-byte character in either encoding): a line that is neither UTF-8 nor GB18030 is
   refused, naming it; a file with both lines that are not UTF-8 *and* lines that are
   UTF-8 with Chinese characters is a mix of encodings and is refused naming both lines — decoding it whole as either would garble one of them;
5. else the file is GB18030 (a superset of GBK and GB2312, so 王䶮 reads).

Line numbers count physical lines (``\\r\\n``, ``\\r`` or ``\\n`` end one), as row numbers do.
"""

from __future__ import annotations

import re
from typing import Final

from paycalc.errors import Problem

__all__ = ["decode_text_bytes", "line_of_offset"]

_BREAK: Final = re.compile(rb"\r\n|\r|\n")
#: a Chinese character (CJK ideographs, extension A included)
_HAN: Final = re.compile("[\u3400-\u4dbf\u4e00-\u9fff]")


def line_of_offset(data: bytes, offset: int) -> int:
    """The physical line (from 1) that byte ``offset`` of ``data`` is on."""
    return len(_BREAK.findall(data, 0, offset)) + 1


def _bytes_shown(data: bytes) -> str:
    return data[:4].hex(" ")


def decode_text_bytes(data: bytes, source: str) -> tuple[str | None, str, Problem | None]:
    """Decode a text roster; return (text, encoding, None) or (None, "", the problem)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, "", Problem(source, "", "the file is UTF-16; save it as CSV UTF-8 (or GBK)")
    if data.startswith(b"PK\x03\x04"):
        return None, "", Problem(source, "", "this is an XLSX (zip) file; name it .xlsx")
    nul = data.find(b"\x00")
    if nul >= 0:
        return (
            None,
            "",
            Problem(
                source,
                f"row {line_of_offset(data, nul)}",
                "the file holds NUL bytes: not a text file",
            ),
        )
    with_bom = data.startswith(b"\xef\xbb\xbf")
    try:
        return data.decode("utf-8-sig"), "utf-8-sig" if with_bom else "utf-8", None
    except UnicodeDecodeError as error:
        first_bad = error.start
    if with_bom:
        line = line_of_offset(data, first_bad)
        return (
            None,
            "",
            Problem(
                source,
                f"row {line}",
                f"the file starts as UTF-8 (it has a BOM) but this line is not UTF-8 "
                f"(bytes {_bytes_shown(data[first_bad:])} cannot be read); "
                "save the whole file as CSV UTF-8",
            ),
        )
    return _decode_by_line(data, source)


def _reads_as(line: bytes, encoding: str) -> bool:
    try:
        line.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def _decode_by_line(data: bytes, source: str) -> tuple[str | None, str, Problem | None]:
    first_gb: int | None = None
    first_utf8: int | None = None
    for number, line in enumerate(_BREAK.split(data), start=1):
        if line.isascii():
            continue
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError:
            try:
                line.decode("gb18030")
            except UnicodeDecodeError as error:
                return (
                    None,
                    "",
                    Problem(
                        source,
                        f"row {number}",
                        "this line is neither UTF-8 nor GB18030/GBK "
                        f"(bytes {_bytes_shown(line[error.start :])} cannot be read); "
                        "save the file as CSV UTF-8",
                    ),
                )
            if first_gb is None:
                first_gb = number
        else:
            # UTF-8 for certain: Chinese (GBK would read it as other characters), or bytes
            # GB18030 cannot read at all (a decode of the whole as GB18030 raised before)
            if first_utf8 is None and (_HAN.search(text) or not _reads_as(line, "gb18030")):
                first_utf8 = number
        if first_gb is not None and first_utf8 is not None:
            return (
                None,
                "",
                Problem(
                    source,
                    f"row {first_gb}",
                    f"a mix of encodings: this line is GBK/GB18030 but line {first_utf8} "
                    "is UTF-8; save the whole file in one encoding (CSV UTF-8)",
                ),
            )
    return data.decode("gb18030"), "gb18030", None
