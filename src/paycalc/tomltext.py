"""Reading TOML text exactly and within bounds: the one TOML reader for paycalc's inputs.

Scheme files, contribution tables, bank layouts and forecast assumptions go through
:func:`loads_toml`:

- fractional numbers are read as ``Decimal`` (``rate = 0.08`` is exactly 0.08), never as
  floats (``nan`` and ``inf`` arrive as ``Decimal`` too; the range checks refuse them);
- whatever ``tomllib`` raises on bad text (a syntax error, an integer too long for
  Python to read, nesting deep enough to exhaust the stack) is a ``ValueError`` with a
  message fit to show a person, never a ``RecursionError``;
- nesting deeper than :data:`~paycalc.limits.MAX_TOML_DEPTH` (``a.a.a…`` keys nest
  without limit in TOML) is refused, so code that walks the result recursively is safe.
"""

from __future__ import annotations

import tomllib
from decimal import Decimal, InvalidOperation
from typing import Any

from paycalc.jsontext import depth_within
from paycalc.limits import MAX_TOML_DEPTH, shown

__all__ = ["TomlSyntaxError", "deeper_than_allowed", "loads_toml"]


def deeper_than_allowed(data: object, max_depth: int = MAX_TOML_DEPTH) -> str | None:
    """Why ``data`` (a tree already read) is nested too deep, or None if it is not."""
    if depth_within(data, max_depth):
        return None
    return f"tables and arrays nested deeper than {max_depth} levels"


class TomlSyntaxError(ValueError):
    """Text that is not TOML; ``error`` is ``tomllib``'s own (it says where)."""

    def __init__(self, error: tomllib.TOMLDecodeError) -> None:
        super().__init__(f"not valid TOML: {error}")
        self.error = error


class _Refused(ValueError):
    """A number ``tomllib`` reads but ``Decimal`` cannot hold."""


def _fraction(text: str) -> Decimal:
    try:
        return Decimal(text)
    except InvalidOperation:  # an exponent beyond Decimal's own (1e9999999999999999999)
        raise _Refused(f"the number {shown(text)} is out of range") from None


def loads_toml(text: str, *, max_depth: int = MAX_TOML_DEPTH) -> dict[str, Any]:
    """Parse ``text`` as TOML; raise ``ValueError`` with a message fit to show a person."""
    try:
        data = tomllib.loads(text, parse_float=_fraction)
    except _Refused:
        raise
    except tomllib.TOMLDecodeError as error:
        raise TomlSyntaxError(error) from None
    except RecursionError:
        raise ValueError(
            f"not valid TOML: tables and arrays nested deeper than {max_depth} levels"
        ) from None
    except ValueError:  # int() refuses an integer of thousands of digits
        raise ValueError(
            "not valid TOML: an integer of thousands of digits (far out of any range)"
        ) from None
    why = deeper_than_allowed(data, max_depth)
    if why is not None:
        raise ValueError(why)
    return data
