"""Positions in a scheme file as a person counts them: from 1, and named by code.

The models and checks locate a problem as ``components[2].amounts`` (a Python index). A
policy owner reads the file top down and knows components by code, so every scheme problem
is reported as ``components[3 base_pay].amounts``: the third component, whose code is
``base_pay``; other lists count from 1 too (``grade.points.thresholds[2]``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Final

from paycalc.errors import Problem

__all__ = ["readable_location", "readable_problems"]

_PART: Final = re.compile(r"([^.\[\]]*)((?:\[\d+\])*)")


def readable_location(location: str, data: Any) -> str:
    """``components[2].amounts`` → ``components[3 base_pay].amounts``, following ``data``."""
    node: Any = data
    parts = []
    for part in location.split("."):
        match = _PART.fullmatch(part)
        if match is None:
            parts.append(part)
            node = None
            continue
        name, indexes = match.groups()
        node = (
            node.get(name) if isinstance(node, Mapping) and name else (node if not name else None)
        )
        text = name
        for index in map(int, re.findall(r"\d+", indexes)):
            element = node[index] if isinstance(node, list) and index < len(node) else None
            code = element.get("code") if isinstance(element, Mapping) else None
            text += f"[{index + 1} {code}]" if isinstance(code, str) and code else f"[{index + 1}]"
            node = element
        parts.append(text)
    return ".".join(parts)


def readable_problems(problems: list[Problem], data: Any) -> list[Problem]:
    return [
        Problem(p.source, readable_location(p.location, data), p.message)
        if "[" in p.location
        else p
        for p in problems
    ]
