"""Reading JSON text strictly and exactly: the one JSON parser for paycalc's inputs.

Worker files, JSONL roster lines and JSON roster cells all go through :func:`loads_strict`:

- a key given twice in one object is an error naming the key ("last one wins" would pick
  one of two values in silence);
- fractional numbers are read as ``Decimal`` (``"child_share": 0.5`` is exactly 0.5), never
  as floats; ``NaN`` and ``Infinity`` are refused;
- nesting deeper than :data:`~paycalc.limits.MAX_JSON_DEPTH` is an error, never a
  ``RecursionError``.
"""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from typing import Any

from paycalc.limits import MAX_JSON_DEPTH, shown

__all__ = ["depth_within", "loads_strict"]

#: digits in a JSON integer: far beyond any value in range, far below Python's own limit
_LONGEST_INTEGER = 100


class _Refused(ValueError):
    """A reason to refuse JSON that the parser itself would accept."""


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _Refused(f"the key {key!r} is given twice in one object")
        result[key] = value
    return result


def _no_constant(name: str) -> Any:
    raise _Refused(f"{name} is not a number; write a finite number")


def _fraction(text: str) -> Decimal:
    try:
        return Decimal(text)
    except InvalidOperation:  # an exponent beyond Decimal's own (1e9999999999999999999)
        raise _Refused(f"the number {shown(text)} is out of range") from None


def _integer(text: str) -> int:
    if len(text.lstrip("-")) > _LONGEST_INTEGER:
        raise _Refused(f"a whole number of {len(text)} digits is out of range")
    return int(text)


def depth_within(value: Any, max_depth: int) -> bool:
    """Whether dicts and lists in ``value`` nest at most ``max_depth`` deep (no recursion)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > max_depth:
            return False
        stack.extend((child, depth + 1) for child in children)
    return True


def loads_strict(text: str, *, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """Parse ``text`` as JSON; raise ``ValueError`` with a message fit to show a person."""
    try:
        value = json.loads(
            text,
            parse_float=_fraction,
            parse_int=_integer,
            parse_constant=_no_constant,
            object_pairs_hook=_unique_keys,
        )
    except json.JSONDecodeError as error:
        raise ValueError(
            f"not valid JSON ({error.msg} at line {error.lineno} column {error.colno})"
        ) from None
    except _Refused as error:
        raise ValueError(str(error)) from None
    except RecursionError:
        raise ValueError(f"JSON nested deeper than {max_depth} levels") from None
    if not depth_within(value, max_depth):
        raise ValueError(f"JSON nested deeper than {max_depth} levels")
    return value
