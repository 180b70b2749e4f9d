"""Component kinds: one module per kind, each turning a scheme entry into slip lines.

:func:`compile_rule` maps a validated component entry to its rule object. Adding a kind
means a model in :mod:`paycalc.scheme.model`, its checks, a module here and a row below.
"""

from __future__ import annotations

from typing import Any

from paycalc.components.base import MonthFacts, Pay, Rule
from paycalc.components.by_grade import ByGradeRule
from paycalc.components.by_input import ByInputRule, InputRateRule
from paycalc.components.by_post import ByPostRule
from paycalc.components.coefficient import CoefficientRule
from paycalc.components.conditions import condition_holds
from paycalc.components.highest_level import HighestLevelRule
from paycalc.components.one_off import OneOffRule
from paycalc.components.seniority import SeniorityRule
from paycalc.components.share_of import ShareOfRule
from paycalc.components.yearly import YearlyRule
from paycalc.scheme.model import Component
from paycalc.scheme.version import SchemeVersion

__all__ = ["RULES", "MonthFacts", "Pay", "Rule", "compile_rule", "condition_holds"]

RULES: dict[str, type[Rule[Any]]] = {
    "by_post": ByPostRule,
    "by_grade": ByGradeRule,
    "coefficient": CoefficientRule,
    "seniority": SeniorityRule,
    "highest_level": HighestLevelRule,
    "one_off": OneOffRule,
    "yearly": YearlyRule,
    "share_of": ShareOfRule,
    "by_input": ByInputRule,
    "input_rate": InputRateRule,
}


def compile_rule(spec: Component, scheme: SchemeVersion) -> Rule[Any]:
    return RULES[spec.kind](spec, scheme)
