"""TOML syntax errors as a person can act on them: the line, what is wrong, what to write.

``tomllib`` says ``Invalid statement (at line 12, column 1)``; a policy owner typing a scheme
in Chinese most often wrote a bare Chinese key (``等级工资 = 60``), unquoted Chinese text
(``label = 岗位工资``) or full-width punctuation (``＝``, ``，``, ``“”``). The problem names
the line, shows it, and says how to write it.
"""

from __future__ import annotations

import re
import tomllib
from typing import Final

from paycalc.errors import Problem

__all__ = ["toml_problem"]

_WHERE: Final = re.compile(r"^(?P<reason>.*?) \(at line (?P<line>\d+), column (?P<column>\d+)\)$")
_FULL_WIDTH: Final = {
    "＝": "=",
    "，": ",",
    "“": '"',
    "”": '"',
    "：": ":",
    "［": "[",
    "］": "]",
    "　": " ",
}
_BARE_KEY: Final = re.compile(r"^[A-Za-z0-9_-]+$")


def _quoted(key: str) -> str:
    return ".".join(part if _BARE_KEY.match(part) else f'"{part}"' for part in key.split("."))


def _advice(reason: str, line: str) -> str:
    stripped = line.strip()
    if reason.startswith(("Cannot overwrite", "Cannot declare")):
        return "this key or table is given twice (here and above); keep one"
    wide = sorted({char for char in stripped if char in _FULL_WIDTH})
    if wide:
        pairs = ", ".join(f"{char} → {_FULL_WIDTH[char]}" for char in wide)
        return f"write ASCII punctuation instead of full-width ({pairs})"
    if stripped.startswith("[") and not stripped.startswith("[["):
        inner = stripped.strip("[]").strip()
        if not stripped.endswith("]"):
            return f"close the table name with ]: [{inner}]"
        if not all(_BARE_KEY.match(part) or part.startswith('"') for part in inner.split(".")):
            return f"quote a table name part that is not ASCII letters, digits, _ or -: [{_quoted(inner)}]"
    key, equals, value = stripped.partition("=")
    key, value = key.strip(), value.strip()
    if (
        equals
        and key
        and not key.startswith('"')
        and not all(_BARE_KEY.match(p) for p in key.split("."))
    ):
        return f"a key in Chinese (or with spaces) must be quoted: {_quoted(key)} = {value}"
    if equals and value and not re.match(r'^["\'\[{0-9+\-tfin]', value):
        return f'text must be quoted: {key} = "{value}"'
    if equals and re.match(r"^\d{4}-\d{2}-\d{2}", value):
        return "a date must be a real day, written YYYY-MM-DD"
    if not equals and stripped and not stripped.startswith(("[", "#")):
        if not _BARE_KEY.match(stripped):
            return f"each line is key = value; a key in Chinese must be quoted: {_quoted(stripped)} = …"
        return "each line is key = value"
    return "see docs/scheme-format.md for how each key is written"


def toml_problem(error: tomllib.TOMLDecodeError, source: str, text: str) -> Problem:
    """The problem for a TOML syntax error in ``text`` (the whole file)."""
    found = _WHERE.match(str(error))
    if found is None:  # pragma: no cover - tomllib always says where
        return Problem(source, "", f"not valid TOML: {error}")
    number, column = int(found["line"]), int(found["column"])
    lines = text.splitlines()
    line = lines[number - 1] if 0 < number <= len(lines) else ""
    return Problem(
        source,
        f"line {number}",
        f"not valid TOML: {found['reason']} at column {column}: {line.strip()!r}; "
        f"{_advice(found['reason'], line)}",
    )
