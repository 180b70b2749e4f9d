"""Hostile reforms: each refused naming the file and key, or paid exactly as a hand computes.

A case's ``data``: ``content`` (the reform file's text); ``problems``: ``(location,
fragment)`` of the problems; or ``check``: a function of the reformed Kunming 2024-01
version.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from paycalc import SchemeError, default_registry
from paycalc.reforms import load_reform
from tests.hostile.catalogue import Hostile, cases

HEAD = '[reform]\nid = "h"\ntitle = "t"\nscheme = "kunming.community-worker"\neffective_from = "2026-01"\n'


def _amount(code: str, post: str) -> Callable[[Any], Decimal]:
    return lambda version: next(c for c in version.spec.components if c.code == code).amounts[post]


REFORMS = [
    Hostile("float-factor", "factor written as a float string is exact: 1.1 × 3000 = 3300.00",
            "amount", {"content": HEAD + "[[scale]]\nfactor = 1.1\n",
                       "check": (_amount("base_pay", "chief"), Decimal("3300.00"))}),
    Hostile("zero-factor", "factor 0 would wipe every amount: refused", "error",
            {"content": HEAD + "[[scale]]\nfactor = 0\n",
             "problems": [("scale[0].factor", "must be a positive number")]}),
    Hostile("odd-rounding", "round_to = 0.05 is no unit a budget uses: refused", "error",
            {"content": HEAD + "[[scale]]\nfactor = 1.03\nround_to = 0.05\n",
             "problems": [("scale[0].round_to", "round_to is 0.01")]}),
    Hostile("half-fen", "2400 × 1.000625 = 2401.50 exactly; 3300 × 1.000625 = 3302.0625 → 3302.06",
            "amount", {"content": HEAD + "[[scale]]\nfactor = 1.000625\n",
                       "check": (_amount("base_pay", "secretary_director"), Decimal("3302.06"))}),
    Hostile("set-a-float-string", "a negative amount by set: refused at the set, naming the key",
            "error", {"content": HEAD + '[[set]]\npath = "components.base_pay.amounts.chief"\nvalue = -1\n',
                      "problems": [("set[0]", "components.base_pay.amounts.chief: must not be negative")]}),
    Hostile("set-whole-component", "set on a component itself (not a key of it): refused",
            "error", {"content": HEAD + '[[set]]\npath = "components.base_pay"\nvalue = 1\n',
                      "problems": [("set[0].path", "use add_component/remove_components")]}),
    Hostile("bad-index", "a list index that is not there: refused", "error",
            {"content": HEAD + '[[set]]\npath = "grade.points.thresholds[40].points"\nvalue = 1\n',
             "problems": [("set[0].path", "has 12 entries; no [40]")]}),
    Hostile("add-duplicate-code", "an added component with an existing code: refused", "error",
            {"content": HEAD + '[[add_component]]\ncode = "base_pay"\nlabel = "x"\nkind = "by_post"\n'
                               'amounts = { chief = 1 }\ndefault = 0\n',
             "problems": [("applied to kunming.community-worker 2024-01", "duplicate code 'base_pay'")]}),
    Hostile("unknown-family", "a reform of a family no registry has: refused naming it", "error",
            {"content": HEAD.replace("kunming.community-worker", "nowhere.at-all"),
             "problems": [("reform.scheme", "no scheme family 'nowhere.at-all'")], "registry": True}),
    Hostile("month-before-start", "effective_from 1990-01, before the first version: each "
            "version is reformed from its own start (2 × 3000 = 6000.00)", "amount",
            {"content": HEAD.replace('"2026-01"', '"1990-01"') + "[[scale]]\nfactor = 2\n",
             "check": (_amount("base_pay", "chief"), Decimal("6000.00"))}),
    Hostile("not-toml", "a reform file that is not TOML: refused naming the file", "error",
            {"content": "[reform\n", "problems": [("", "not valid TOML")]}),
]  # fmt: skip


@pytest.mark.parametrize("case", cases(*REFORMS))
def test_hostile_reform(case: Hostile, tmp_path: Path) -> None:
    path = tmp_path / "reform.toml"
    path.write_text(case.data["content"], encoding="utf-8")
    base = default_registry().find("kunming.community-worker", "2024-01")
    if case.outcome == "amount":
        value, expected = case.data["check"]
        assert value(load_reform(path).apply(base)) == expected
        return
    with pytest.raises(SchemeError) as caught:
        reform = load_reform(path)
        if case.data.get("registry"):
            from paycalc.reforms import reformed_registry

            reformed_registry(default_registry(), reform)
        else:
            reform.apply(base)
    found = [(p.location, p.message) for p in caught.value.problems]
    for location, fragment in case.data["problems"]:
        assert any(loc == location and fragment in message for loc, message in found), found
    assert all(p.source == str(path) for p in caught.value.problems)
