from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from paycalc.money import format_money, format_number, format_percent, quantize, to_decimal


def test_floats_are_refused_with_a_message_naming_the_value() -> None:
    with pytest.raises(TypeError, match=r"base: floats are not accepted.*0\.1"):
        to_decimal(0.1, what="base")


@pytest.mark.parametrize("given_value", [True, None, [1]])
def test_other_types_are_refused(given_value: object) -> None:
    with pytest.raises(TypeError):
        to_decimal(given_value)


@pytest.mark.parametrize("text", ["abc", "", "NaN", "Infinity"])
def test_text_that_is_not_a_finite_number_is_refused(text: str) -> None:
    with pytest.raises(ValueError):
        to_decimal(text)


def test_strings_ints_and_decimals_are_exact() -> None:
    assert to_decimal("2,800.50") == Decimal("2800.50")
    assert to_decimal(3) == Decimal(3)
    assert to_decimal(Decimal("0.1")) + to_decimal("0.2") == Decimal("0.3")


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
