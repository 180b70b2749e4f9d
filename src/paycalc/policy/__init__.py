"""Guarding policy changes: scheme diffs, impact on a roster, back pay."""

from paycalc.policy.arrears import ArrearsLine, ArrearsReport, WorkerArrears, add_arrears, arrears
from paycalc.policy.describe import rule_summary
from paycalc.policy.diff import Change, diff_schemes
from paycalc.policy.impact import ImpactReport, LineMove, WorkerImpact, impact

__all__ = [
    "ArrearsLine",
    "ArrearsReport",
    "Change",
    "ImpactReport",
    "LineMove",
    "WorkerArrears",
    "WorkerImpact",
    "add_arrears",
    "arrears",
    "diff_schemes",
    "impact",
    "rule_summary",
]
