from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from paycalc.money import (
    AMOUNT_RANGE,
    format_money,
    format_number,
    format_percent,
    quantize,
    to_decimal,
)


def test_floats_are_refused_with_a_message_naming_the_value() -> None:
    with pytest.raises(TypeError, match=r"base: floats are not accepted.*0\.1"):
        to_decimal(0.1, what="base")


@pytest.mark.parametrize("given_value", [True, None, [1]])
def test_other_types_are_refused(given_value: object) -> None:
    with pytest.raises(TypeError):
        to_decimal(given_value)


@pytest.mark.parametrize("text", ["abc", "", "NaN", "Infinity", "-inf", "sNaN"])
def test_text_that_is_not_a_finite_number_is_refused(text: str) -> None:
    with pytest.raises(ValueError):
        to_decimal(text)


def test_strings_ints_and_decimals_are_exact() -> None:
    assert to_decimal("2,800.50") == Decimal("2800.50")
    assert to_decimal(3) == Decimal(3)
    assert to_decimal(Decimal("0.1")) + to_decimal("0.2") == Decimal("0.3")


# The forms an HR clerk types or a spreadsheet exports, and the amount each one means.
@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("5320", "5320"),
        ("5320.00", "5320.00"),
        ("5,320.00", "5320.00"),
        ("¥5,320.00", "5320.00"),  # the yen/yuan sign, half width
        ("￥5320", "5320"),  # full-width yuan sign (Chinese input methods)
        ("5320元", "5320"),
        ("  5320.5 ", "5320.5"),  # a cell's surrounding spaces
        ("1,234,567.89", "1234567.89"),
        ("５３２０．５", "5320.5"),  # full-width digits and point
        ("-12.50", "-12.50"),
        ("-¥12.50", "-12.50"),
        ("¥-12.50", "-12.50"),
        ("+7", "7"),
        ("¥+7", "7"),  # the sign after the yuan sign, as "¥-12.50"
        ("¥ 5,320.00", "5320.00"),  # a space after the yuan sign
        ("5320 元", "5320"),  # and before 元
        ("0.083333333333333", "0.083333333333333"),  # a scheme's 1/12 factor: 15 places
        ("999999999999.99", "999999999999.99"),  # the largest fen amount below 10^12
    ],
)
def test_accepted_money_text(text: str, amount: str) -> None:
    assert to_decimal(text) == Decimal(amount)


# Ambiguous or malformed: each is refused with the reason and the forms accepted, never
# guessed ("5.320,00" was read as 5.32 before; a European reader would mean 5320).
@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("5.320,00", "decimal comma"),
        ("5,32", "commas may only group digits in threes"),
        ("1,2,3", "commas may only group digits in threes"),
        ("53,20.00", "commas may only group digits in threes"),
        ("5 320", "spaces inside a number"),
        ("--5", "more than one sign"),
        ("+-5", "more than one sign"),
        ("-¥-5", "more than one sign"),
        ("1e3", "exponent form"),
        ("5320.", "not a number"),
        (".5", "not a number"),
        ("¥", "not a number"),
        ("   ", "the text is empty"),
        ("5320 元 元", "not a number"),
        ("USD 5320", "not a number"),
        ("-5320.", "not a number"),  # one sign is not "more than one"
        ("X5", "not a number"),  # not a sign: never handed to Decimal as one
    ],
)
def test_ambiguous_money_text_is_refused_saying_what_is_accepted(text: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason) as refused:
        to_decimal(text, what="contribution_base")
    message = str(refused.value)
    assert message.startswith("contribution_base: ")
    assert "5,320.00" in message and "5320元" in message  # the forms accepted


# The whole reason a clerk reads, word for word (the module's docstring lists the forms),
# then the text as given.
@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("NaN", "not a finite number"),
        ("-INF", "not a finite number"),
        ("5 320", "spaces inside a number are not accepted"),
        ("1e3", "exponent form (1e3) is not accepted; write the digits"),
        ("1E3", "exponent form (1e3) is not accepted; write the digits"),
        ("5.320,00", "a decimal comma (5.320,00) is not accepted; write 5320.00"),
        ("5,32", "commas may only group digits in threes (5,320.00)"),
        ("--5", "more than one sign"),
        ("5320.", "not a number"),
    ],
)
def test_each_refusal_gives_its_whole_reason_and_the_text(text: str, reason: str) -> None:
    with pytest.raises(ValueError) as refused:
        to_decimal(text, what="base")
    assert str(refused.value).startswith(f"base: {reason}, got {text!r}; expected an amount ")


def test_a_refused_number_is_named_in_the_message() -> None:
    with pytest.raises(ValueError, match=r"^income: expected a finite number, got Decimal\('NaN'\)$"):
        to_decimal(Decimal("NaN"), what="income")
    with pytest.raises(ValueError, match=r"^income: too long to be a number, got '99999"):
        to_decimal("9" * 100, what="income")


@pytest.mark.parametrize(
    "value",
    [
        "1e30",
        "1e400",
        "1000000000000",  # 10^12: the first value out of range
        "-1000000000000.00",
        "0.000000000000000000001",  # 21 decimal places
        Decimal("1E+30"),
        Decimal("1E+400"),
        Decimal("1E-21"),
        Decimal("NaN"),
        Decimal("Infinity"),
        10**12,
        -(10**12),
        pytest.param(10**5000, id="int-of-5001-digits"),  # repr() itself refuses it
    ],
)
def test_values_out_of_range_are_refused_when_read(value: object) -> None:
    with pytest.raises(ValueError, match=r"out of range|finite|exponent form") as refused:
        to_decimal(value, what="income")
    assert str(refused.value).startswith("income: ")
    assert len(str(refused.value)) < 300  # a message, never the value in full


def test_trailing_zeros_do_not_count_as_decimal_places() -> None:
    # 0.5 written with 30 places is still 0.5: one significant decimal place.
    assert to_decimal("0." + "5" + "0" * 29) == Decimal("0.5")
    assert to_decimal(Decimal("1.000000000000000000000000")) == 1
    # Zero written with 30 places is zero (it was refused: Decimal keeps a single 0 digit,
    # so only one of its zeros was dropped and 29 places were counted).
    assert to_decimal("0." + "0" * 30) == 0 and to_decimal(Decimal("-0E-25")) == 0
    # 64 characters is the longest text read (the module's limit): still 0.5
    assert to_decimal("0.5" + "0" * 61) == Decimal("0.5")


def test_only_trailing_zeros_are_dropped_before_counting_places() -> None:
    # 0.000…0010 (22 places written): dropping its one trailing zero leaves 21 places,
    # one more than the 20 accepted.
    text = "0." + "0" * 20 + "10"
    assert len(text.split(".")[1]) == 22
    with pytest.raises(ValueError, match="out of range"):
        to_decimal(text)
    with pytest.raises(ValueError, match="out of range"):
        to_decimal(Decimal(text))


def test_the_range_is_stated_once() -> None:
    assert AMOUNT_RANGE.below == Decimal(10) ** 12 and AMOUNT_RANGE.places == 20
    assert "10^12" in AMOUNT_RANGE.describe() and "20 decimal places" in AMOUNT_RANGE.describe()


def test_a_long_text_is_refused_without_echoing_it() -> None:
    with pytest.raises(ValueError, match="too long") as refused:
        to_decimal("9" * 100_000)
    assert len(str(refused.value)) < 300


def test_half_up_rounding_at_the_fen() -> None:
    # 2.345 → 2.35 under ROUND_HALF_UP (banker's rounding would give 2.34).
    assert quantize(Decimal("2.345")) == Decimal("2.35")
    assert quantize(Decimal("2.345"), "ROUND_HALF_EVEN") == Decimal("2.34")


def test_formatting() -> None:
    assert format_money(Decimal("3120")) == "3120.00"
    assert format_number(Decimal("1.30")) == "1.3"
    assert format_number(Decimal("100")) == "100"
    assert format_percent(Decimal("0.8")) == "80%"
    assert format_percent(Decimal("0.075")) == "7.5%"


@given(st.decimals(min_value=-(10**9), max_value=10**9, allow_nan=False, places=4))
def test_quantize_moves_at_most_half_a_fen(amount: Decimal) -> None:
    rounded = quantize(amount)
    assert abs(rounded - amount) <= Decimal("0.005")
    assert rounded == rounded.quantize(Decimal("0.01"))


@given(
    st.integers(min_value=0, max_value=10**12 - 1),
    st.integers(min_value=0, max_value=99),
    st.sampled_from(["{}", "¥{}", "￥{}", "{}元"]),
    st.booleans(),
)
def test_grouped_and_plain_forms_read_as_the_same_amount(
    yuan: int, fen: int, wrapper: str, negative: bool
) -> None:
    # Python's own "," format groups in threes: an independent writer of the grouped form.
    plain, grouped = f"{yuan}.{fen:02d}", f"{yuan:,}.{fen:02d}"
    expected = Decimal(plain) * (-1 if negative else 1)
    sign = "-" if negative else ""
    assert to_decimal(sign + wrapper.format(plain)) == expected
    assert to_decimal(sign + wrapper.format(grouped)) == expected


def test_numbers_are_written_without_exponent() -> None:
    # 1E+2 is one hundred, 1E-7 is one ten-millionth: written out in digits.
    assert format_number(Decimal("1E+2")) == "100"
    assert format_number(Decimal("1E-7")) == "0.0000001"
    assert format_percent(Decimal("0.075")) == "7.5%"
