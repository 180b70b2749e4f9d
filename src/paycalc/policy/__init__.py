"""Guarding policy changes: scheme diffs, impact on a roster, back pay."""

from paycalc.policy.describe import rule_summary
from paycalc.policy.diff import Change, diff_schemes

__all__ = ["Change", "diff_schemes", "rule_summary"]
