"""Amounts in Chinese capital numerals (人民币大写), as finance documents write them.

``3436.50`` → ``叁仟肆佰叁拾陆元伍角整``; ``1005.07`` → ``壹仟零伍元零柒分``; ``0.00`` →
``零元整``. The rules (《会计基础工作规范》 第五十二条): digits 零壹贰叁肆伍陆柒捌玖, units
拾佰仟 within a group of four and 万/亿 between groups; one 零 stands for any run of zeros
inside the number; an amount that ends at 元 or 角 ends with 整, one with 分 does not.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Final

from paycalc.money import quantize

__all__ = ["rmb_upper"]

_DIGITS: Final = "零壹贰叁肆伍陆柒捌玖"
_SMALL: Final = ("", "拾", "佰", "仟")
_GROUPS: Final = ("", "万", "亿", "万亿")


def _integer(number: int) -> str:
    if number == 0:
        return "零"
    text = ""
    zero_pending = False
    groups = []
    while number:
        number, group = divmod(number, 10000)
        groups.append(group)
    if len(groups) > len(_GROUPS):
        raise ValueError("amount too large to write in capitals")
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            zero_pending = bool(text)
            continue
        digits = f"{group:04d}"
        part = ""
        for position, char in enumerate(digits):
            digit = int(char)
            if digit == 0:
                zero_pending = bool(text or part)
                continue
            if zero_pending:
                part += "零"
                zero_pending = False
            part += _DIGITS[digit] + _SMALL[3 - position]
        text += part + _GROUPS[index]
    return text


def rmb_upper(amount: Decimal) -> str:
    """The amount in capitals, to the fen; a negative amount is prefixed 负."""
    amount = quantize(amount)
    sign = "负" if amount < 0 else ""
    fen_total = int(abs(amount) * 100)
    yuan, fen = divmod(fen_total, 100)
    jiao, fen = divmod(fen, 10)
    text = _integer(yuan) + "元"
    if jiao == 0 and fen == 0:
        return sign + text + "整"
    if jiao:
        text += _DIGITS[jiao] + "角"
    elif yuan:
        text += "零"
    text += _DIGITS[fen] + "分" if fen else "整"
    if yuan == 0:
        text = text.removeprefix("零元").removeprefix("零")
    return sign + text
