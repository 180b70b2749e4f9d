"""Turn pydantic's validation errors into paycalc :class:`~paycalc.errors.Problem` values."""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import ValidationError

from paycalc.errors import Problem
from paycalc.limits import cut, shown

__all__ = ["key_path", "problems_from_validation_error"]


def key_path(location: Iterable[int | str], *, skip: frozenset[str] = frozenset()) -> str:
    """``("components", 2, "amounts", "chief")`` → ``components[2].amounts.chief``.

    ``skip`` names location parts that pydantic inserts but a user never wrote (the tag of a
    discriminated union, for instance).
    """
    text = ""
    for part in location:
        if isinstance(part, str):
            part = cut(part)  # a key is never echoed whole
        if isinstance(part, int):
            text += f"[{part}]"
        elif part in skip or "[" in part or part.startswith("function-"):
            continue
        elif part.isdigit():
            text += f"[{part}]" if not text else f".{part}"
        else:
            text += f".{part}" if text else part
    return text


def _describe(error: dict[str, object]) -> str:
    kind = error.get("type")
    message = str(error.get("msg", "invalid value"))
    if kind == "extra_forbidden":
        return "unknown key (not part of the format; check the spelling)"
    if kind == "missing":
        return "required key is missing"
    context = error.get("ctx")
    if kind == "union_tag_invalid" and isinstance(context, dict):
        # pydantic's own message quotes the tag whole, however long (a list, a table)
        name = str(context.get("discriminator", "tag")).strip("'")
        return (
            f"unknown {name} {shown(context.get('tag'))}; "
            f"expected one of {context.get('expected_tags')}"
        )
    message = message.removeprefix("Value error, ").removeprefix("Assertion failed, ")
    if "input" in error and "got " not in message:
        given = error["input"]
        if not isinstance(given, dict | list):
            return f"{message} (given: {shown(given)})"
    return message


def problems_from_validation_error(
    error: ValidationError, source: str, *, skip: frozenset[str] = frozenset()
) -> list[Problem]:
    """One :class:`Problem` per pydantic error, located by key path in ``source``."""
    errors = error.errors(include_url=False)
    # A list whose items all failed is also "too short"; that echo would only confuse.
    item_locations = {tuple(item["loc"][:-1]) for item in errors if len(item["loc"]) > 1}
    return [
        Problem(source, key_path(item["loc"], skip=skip), _describe(dict(item)))
        for item in errors
        if not (
            item["type"] == "too_short"
            and any(loc[: len(item["loc"])] == tuple(item["loc"]) for loc in item_locations)
        )
    ]
