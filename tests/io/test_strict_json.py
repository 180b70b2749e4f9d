"""The one JSON parser of paycalc's inputs: keys twice, exact decimals, bounded nesting."""

from __future__ import annotations

from decimal import Decimal

import pytest

from paycalc.jsontext import loads_strict
from paycalc.limits import MAX_JSON_DEPTH


def test_fractions_are_exact_decimals() -> None:
    assert loads_strict('{"child_share": 0.5, "n": 2}') == {"child_share": Decimal("0.5"), "n": 2}
    assert loads_strict("0.1") + loads_strict("0.2") == Decimal("0.3")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"post": "正职", "post": "委员"}', "the key 'post' is given twice"),
        ('{"a": {"2023": "优秀", "2023": "合格"}}', "the key '2023' is given twice"),
        ('{"a": NaN}', "NaN is not a number"),
        ("[Infinity]", "Infinity is not a number"),
        ("-Infinity", "-Infinity is not a number"),
        ("1" * 101, "a whole number of 101 digits"),
        ('{"a": 1', "not valid JSON"),
        ("[" * (MAX_JSON_DEPTH + 1) + "]" * (MAX_JSON_DEPTH + 1), "nested deeper than 20"),
        ("[" * 100_000 + "]" * 100_000, "nested deeper than 20"),  # no RecursionError
        ('{"a":' * 50_000 + "1" + "}" * 50_000, "nested deeper than 20"),
    ],
)
def test_refused_with_a_reason(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        loads_strict(text)


def test_nesting_up_to_the_limit_is_read() -> None:
    depth = MAX_JSON_DEPTH
    value = loads_strict("[" * depth + "]" * depth)
    for _ in range(depth - 1):
        value = value[0]
    assert value == []


def test_a_huge_exponent_is_read_exactly_and_left_to_the_range_check() -> None:
    # The parser keeps 1e400 exact; to_decimal refuses it where an amount is expected.
    assert loads_strict("1e400") == Decimal("1E+400")
