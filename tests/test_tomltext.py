"""The one TOML reader: exact decimals, bounded nesting, every refusal a ValueError."""

from __future__ import annotations

from decimal import Decimal

import pytest

from paycalc.limits import MAX_TOML_DEPTH, cut
from paycalc.period import Month, MonthError
from paycalc.tomltext import deeper_than_allowed, loads_toml


def test_fractions_are_exact_decimals() -> None:
    assert loads_toml("rate = 0.1\nn = 3") == {"rate": Decimal("0.1"), "n": 3}


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("a = [", "not valid TOML"),
        ("a = " + "[" * 5_000 + "]" * 5_000, "nested deeper than"),
        ("a" + ".a" * MAX_TOML_DEPTH + " = 1", f"nested deeper than {MAX_TOML_DEPTH}"),
        ("a = " + "9" * 5_000, "thousands of digits"),
        ("a = 1e9999999999999999999", "is out of range"),
    ],
)
def test_refusals_are_value_errors(text: str, fragment: str) -> None:
    with pytest.raises(ValueError, match=fragment):
        loads_toml(text)


def test_nesting_at_the_limit_is_read() -> None:
    # MAX_TOML_DEPTH tables: a.a…a (depth − 1 dots) = 1 nests exactly that deep
    text = "a" + ".a" * (MAX_TOML_DEPTH - 1) + " = 1"
    assert deeper_than_allowed(loads_toml(text)) is None


def test_cut_keeps_short_text_and_marks_a_cut() -> None:
    assert cut("chief") == "chief"
    assert cut("x" * 500) == "x" * 50 + "…"


def test_a_month_that_is_no_month_is_a_usage_error_and_a_value_error() -> None:
    with pytest.raises(MonthError) as raised:
        Month.parse("2024-13")
    assert isinstance(raised.value, ValueError)
    assert [(p.source, p.location) for p in raised.value.problems] == [("arguments", "month")]
    assert "1..12, got 13" in raised.value.problems[0].message
