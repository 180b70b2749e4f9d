"""A cap (封顶) at its edges: one fen over the limit, a reduce list naming an absent line."""

from decimal import Decimal

from paycalc.engine import payslip_for_version
from paycalc.period import Month
from paycalc.slip import Payslip
from tests.helpers import scheme, worker

M = Month(2024, 3)

CAPPED = """
[[components]]
code = "post_pay"
label = "岗位工资"
kind = "by_post"
amounts = {{ chief = {post} }}
default = 0

[[components]]
code = "bonus"
label = "奖金"
kind = "by_post"
amounts = {{ chief = 0 }}
default = 0

[[components]]
code = "performance"
label = "绩效"
kind = "by_post"
amounts = {{ chief = {performance} }}
default = 0

[[caps]]
code = "cap"
label = "封顶"
limit = 4000
reduce = ["bonus", "performance", "post_pay"]
chosen.limit = "test: a limit paycalc chose, warned about only in a month it binds"
"""


def _pay(performance: str, post: str = '"3000.01"') -> Payslip:
    return payslip_for_version(worker(), M, scheme(CAPPED.format(post=post, performance=performance)))


def _slip(performance: str, post: str = '"3000.01"') -> tuple[Decimal, Decimal, Decimal]:
    slip = _pay(performance, post)
    return slip.amount("performance"), slip.amount("post_pay"), slip.gross


def _cap_warned(slip: Payslip) -> bool:
    return any("封顶 limit" in warning for warning in slip.warnings)


def test_one_fen_over_the_cap_is_taken_off() -> None:
    # 3000.01 + 1000 = 4000.01, one fen over 4000: performance loses 0.01 → 999.99. "bonus",
    # first in the reduce list, is 0 and so no line of the slip: skipped, the next is reduced.
    assert _slip("1000") == (Decimal("999.99"), Decimal("3000.01"), Decimal("4000.00"))
    assert _cap_warned(_pay("1000"))  # the cap bound: its chosen limit is warned about


def test_exactly_at_the_cap_nothing_is_taken() -> None:
    # 3000.01 + 999.99 = 4000.00: at the limit, not over it → nothing reduced.
    assert _slip("999.99") == (Decimal("999.99"), Decimal("3000.01"), Decimal("4000.00"))
    assert not _cap_warned(_pay("999.99"))  # it did not bind: no warning


def test_a_cut_bigger_than_the_first_line_goes_on_to_the_next() -> None:
    # 3000.01 + 1500 = 4500.01, 500.01 over: performance alone covers it, 1500 → 999.99.
    assert _slip("1500") == (Decimal("999.99"), Decimal("3000.01"), Decimal("4000.00"))
    # 4000.30 + 0.50 = 4000.80, 0.80 over: performance gives all its 0.50 (→ 0, no line),
    # post pay the other 0.30 → 4000.00.
    assert _slip('"0.50"', '"4000.30"') == (Decimal("0"), Decimal("4000.00"), Decimal("4000.00"))
