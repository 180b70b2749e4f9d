"""ID numbers (GB 11643-1999), document types, bank accounts, phones, masking."""

from __future__ import annotations

from pathlib import Path

import pytest

from paycalc.io import read_roster
from paycalc.io.identity import (
    check_bank_account,
    check_id_number,
    check_id_type,
    gb11643_check_digit,
    mask_account,
    mask_id_number,
)


def test_check_digit_by_hand() -> None:
    # 11010519491231002X, the standard's own example: weighted sum of the first 17 digits
    # 1·7+1·9+0·10+1·5+0·8+5·4+1·2+9·1+4·6+9·3+1·7+2·9+3·10+1·5+0·8+0·4+2·2 = 167;
    # 167 mod 11 = 2 → check character "X" (table 1 0 X 9 8 7 6 5 4 3 2).
    assert gb11643_check_digit("11010519491231002") == "X"
    assert check_id_number("11010519491231002x") == "11010519491231002X"


@pytest.mark.parametrize(
    ("number", "fragment"),
    [
        ("110105194912310021", "check digit is 1"),
        ("110105194902300028", "not a real date"),
        ("110105491231002", "old 15-digit"),
        ("11010519491231002", "not an 18-character"),
    ],
)
def test_bad_resident_id_numbers(number: str, fragment: str) -> None:
    with pytest.raises(ValueError, match=fragment):
        check_id_number(number)


def test_other_document_types_are_not_checked_by_gb11643() -> None:
    assert check_id_type("护照") == "中国护照"
    assert check_id_number("E12345678", "中国护照") == "E12345678"
    with pytest.raises(ValueError, match="unknown document type"):
        check_id_type("驾驶证")


def test_numbers_stored_as_numbers_lost_digits() -> None:
    # An 18-digit ID typed into a number cell comes back as 1.10105194912310e17.
    with pytest.raises(ValueError, match="stored as a number"):
        check_id_number(110105194912310020)
    with pytest.raises(ValueError, match="stored as a number"):
        check_bank_account(6.222024100001235e18)
    assert check_bank_account("6222 0241 0000 1234 567") == "6222024100001234567"


def test_masks() -> None:
    assert mask_id_number("11010519491231002X") == "110***********002X"
    assert mask_account("6222024100001234567") == "**** 4567"


def test_roster_rows_with_bad_identity_fail_naming_the_column(tmp_path: Path) -> None:
    roster = tmp_path / "r.csv"
    roster.write_text(
        "工号,岗位,入职日期,证件类型,身份证号,银行账号\n"
        "A,正职,2015-01-01,居民身份证,11010519491231002X,6222000011112222\n"
        "B,正职,2015-01-01,居民身份证,110105194912310021,6222000011112222\n"
        "C,正职,2015-01-01,外国护照,X1234567,12\n",
        encoding="utf-8",
    )
    records = read_roster(roster).records
    assert records[0].worker is not None
    assert records[0].identity["id_number"] == "11010519491231002X"
    assert [e.field for e in records[1].errors] == ["身份证号"]
    assert [e.field for e in records[2].errors] == ["银行账号"]
    assert read_roster(roster).passthrough == ["证件类型", "身份证号", "银行账号"]
