"""Build small schemes and workers in tests, from TOML text and keyword arguments."""

from __future__ import annotations

import tomllib
from datetime import date
from decimal import Decimal
from typing import Any

from paycalc.errors import Problem, SchemeError
from paycalc.scheme import SchemeVersion, parse_scheme
from paycalc.worker import Worker, parse_worker

HEADER = """
[scheme]
id = "test.scheme"
version = "v1"
title = "test"
effective_from = 2020-01-01
published_on = 2019-12-01
status = "official"
source = { title = "unit test" }
"""

POSTS = """
[posts.chief]
label = "正职"
grades = [7, 18]

[posts.deputy]
label = "副职"
grades = [4, 15]

[posts.member]
label = "专职委员"
grades = [1, 12]
"""

GIVEN_GRADE = """
[grade]
method = "given"
"""


def scheme_problems(text: str) -> list[Problem]:
    """Every problem the loader finds in ``text`` (empty when valid)."""
    data = tomllib.loads(text, parse_float=Decimal)
    version, problems = parse_scheme(data, "test.toml", text.encode())
    assert (version is None) == bool(problems)
    return problems


def scheme(text: str, *, header: str = HEADER, posts: str = POSTS) -> SchemeVersion:
    """A scheme version from component TOML, with the standard header and posts."""
    full = header + posts + text
    data = tomllib.loads(full, parse_float=Decimal)
    version, problems = parse_scheme(data, "test.toml", full.encode())
    if version is None:
        raise SchemeError(problems)
    return version


def worker(**fields: Any) -> Worker:
    """A valid worker; override any field."""
    data: dict[str, Any] = {
        "id": "T-1",
        "post": "chief",
        "hired_on": "2015-01-01",
    }
    data.update(fields)
    return parse_worker(data, today=date(2026, 11, 24))
