"""The vectorised path never overflows int64: extreme shares, factors and amounts stay exact.

Regression (issue: "No silent wrong pay"): a share of 0.083333333333333 is 83,333,333,333,333
at 15 places; times a base in fen it left int64 and wrapped, paying 112.59 instead of 1,219.38
with exit 0.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

np = pytest.importorskip("numpy")

from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from paycalc import Month, payslip_for_version  # noqa: E402
from paycalc.fast import FAST, from_workers, pay_month  # noqa: E402
from paycalc.fast.rounding import exact_product, round_to_fen  # noqa: E402
from paycalc.money import ROUNDING_MODES  # noqa: E402
from tests.fast.kitchen import extreme  # noqa: E402
from tests.fast.test_parity import check_parity, rosters  # noqa: E402
from tests.helpers import GIVEN_GRADE, scheme, worker  # noqa: E402

TWELFTH = scheme(
    GIVEN_GRADE
    + """
[[components]]
code = "post_pay"
label = "岗位工资"
kind = "by_post"
amounts = { chief = "14632.56", deputy = 2500, member = 2300 }

[[components]]
code = "performance"
label = "绩效"
kind = "share_of"
of = ["post_pay"]
share = "0.083333333333333"
"""
)


def test_a_fifteen_place_share_pays_what_the_engine_pays() -> None:
    # By hand: 14,632.56 / 12 = 1,219.38 exactly; the share is a hair under 1/12, so the
    # product is 1,219.3799999999951…, which rounds half-up to 1,219.38.
    month = Month(2024, 3)
    person = worker(post="chief", grade=9, hired_on="2015-01-01", scheme="test.scheme")
    slip = payslip_for_version(person, month, TWELFTH)
    assert slip.amount("performance") == Decimal("1219.38")
    paid = pay_month(from_workers([person]), month, TWELFTH)
    assert int(paid.status[0]) == FAST
    assert dict(paid.lines(0))["performance"] == 121938


def test_products_past_int64_are_computed_on_python_ints() -> None:
    values = np.array([9_000_000_000, -9_000_000_000], dtype=np.int64)
    product = exact_product(values, 10**12)  # 9e21: far past 2**63 ≈ 9.22e18
    assert product.dtype == object and int(product[0]) == 9 * 10**21
    # 9e21 at 12 decimals below the fen -> 9e9 fen, both signs, no wrap-around
    assert round_to_fen(product, 14, "ROUND_HALF_UP").tolist() == [9_000_000_000, -9_000_000_000]


def test_a_result_that_cannot_fit_is_refused_not_wrapped() -> None:
    values = np.array([2**62], dtype=np.int64)
    with pytest.raises(OverflowError):
        round_to_fen(exact_product(values, 10**6), 2, "ROUND_HALF_UP")


EXTREMES = {mode: extreme(mode) for mode in sorted(ROUNDING_MODES)}


@given(data=st.data())
def test_extreme_schemes_keep_parity(data: st.DataObject) -> None:
    version = EXTREMES[data.draw(st.sampled_from(sorted(EXTREMES)))]
    month = Month(2024, 1).plus(data.draw(st.integers(0, 23)))
    check_parity(version, month, data.draw(rosters(version, month)))
