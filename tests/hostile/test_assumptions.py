"""Hostile forecast assumptions files (docs/forecast.md): refused naming the key, or read exactly.

A case's ``data``: ``toml`` (the file's text or bytes; ``None`` for no file);
``problems``: ``(location, fragment)`` of every problem, in order; ``check``: a function of
the :class:`~paycalc.Assumptions` read; ``forecast``: the case's problems come when the
assumptions are used (the demo roster forecast for one month), from ``source``.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from paycalc import Appraisal, Assumptions, InputError, PaycalcError, forecast, load_assumptions
from tests.conftest import EXAMPLES
from tests.hostile.catalogue import Hostile, cases

TEMPLATE = """\
[hiring]
per_month = 1
[hiring.template]
scheme = "demo.community-worker"
post = "专职委员"
inputs = { community_rating = "B" }
"""

ASSUMPTIONS = [
    Hostile(
        "nan-rate",
        "monthly_rate = nan: refused at its key",
        "error",
        {
            "toml": "[attrition]\nmonthly_rate = nan\n",
            "problems": [("attrition.monthly_rate", "should be a finite number")],
        },
    ),
    Hostile(
        "rate-above-one",
        "annual_rate = 1.5 (150% leave a year): refused at its key",
        "error",
        {
            "toml": "[attrition]\nannual_rate = 1.5\n",
            "problems": [("attrition.annual_rate", "must be within [0, 1], got 1.5")],
        },
    ),
    Hostile(
        "negative-rate",
        "monthly_rate = -0.01 (workers arriving by attrition): refused",
        "error",
        {
            "toml": "[attrition]\nmonthly_rate = -0.01\n",
            "problems": [("attrition.monthly_rate", "must be within [0, 1], got -0.01")],
        },
    ),
    Hostile(
        "both-rates",
        "monthly_rate and annual_rate both: refused, never one picked",
        "error",
        {
            "toml": "[attrition]\nmonthly_rate = 0.01\nannual_rate = 0.06\n",
            "problems": [("attrition", "give monthly_rate or annual_rate, not both")],
        },
    ),
    Hostile(
        "annual-rate-exact",
        "annual_rate = 0.06: 0.005 a month exactly (no float on the way)",
        "amount",
        {
            "toml": "[attrition]\nannual_rate = 0.06\n",
            # 0.06 ÷ 12 = 0.005
            "check": lambda a: a.attrition.per_month == Decimal("0.005"),
        },
    ),
    Hostile(
        "distribution-short-of-one",
        "appraisal shares adding up to 0.99: refused saying so",
        "error",
        {
            "toml": "[appraisals]\ndistribution = { excellent = 0.19, competent = 0.80 }\n",
            "problems": [("appraisals", "add up to 0.99, not 1")],
        },
    ),
    Hostile(
        "distribution-share-1e-400",
        "a share of 1e-400 beside 1 (the sum rounded to 1, accepted before): refused",
        "error",
        {
            "toml": "[appraisals]\ndistribution = { excellent = 1e-400, competent = 1 }\n",
            "problems": [("appraisals", "add up to")],
        },
    ),
    Hostile(
        "distribution-share-past-28-digits",
        "shares 0.5 and 0.5000000000000000000000000001 (1 at 28 digits, accepted before): refused",
        "error",
        {
            "toml": "[appraisals]\ndistribution = { excellent = 0.5, "
            "competent = 0.5000000000000000000000000001 }\n",
            "problems": [("appraisals", "add up to 1 only when rounded")],
        },
    ),
    Hostile(
        "distribution-in-thirds",
        "shares written in thirds to 28 places that add up to exactly 1: kept",
        "kept",
        {
            # 0.3333333333333333333333333333 × 2 + 0.3333333333333333333333333334 = 1 exactly
            "toml": "[appraisals]\ndistribution = { excellent = 0.3333333333333333333333333333, "
            "competent = 0.3333333333333333333333333333, "
            "basic = 0.3333333333333333333333333334 }\n",
            "check": lambda a: sum(a.appraisals.distribution.values()) == 1,
        },
    ),
    Hostile(
        "hire-columns-past-28-digits",
        "new hires' street shares adding up to 1 only at 28 digits: refused",
        "error",
        {
            "toml": "[hiring]\nper_month = 1\n[hiring.columns]\n"
            "\"街道\" = { \"东\" = 0.5, \"西\" = 0.5000000000000000000000000001 }\n",
            "problems": [("hiring", "columns.街道: the shares add up to 1 only when rounded")],
        },
    ),
    Hostile(
        "distribution-unknown-result",
        "a share for 'great' (no such appraisal result): refused naming the results",
        "error",
        {
            "toml": "[appraisals]\ndistribution = { great = 1 }\n",
            "problems": [("appraisals.distribution.great", "expected one of excellent (优秀)")],
        },
    ),
    Hostile(
        "result-and-distribution",
        "a fixed result and a distribution both: refused",
        "error",
        {
            "toml": '[appraisals]\nresult = "competent"\ndistribution = { competent = 1 }\n',
            "problems": [("appraisals", "give either result or distribution")],
        },
    ),
    Hostile(
        "result-in-chinese",
        'result = "优秀": read as excellent',
        "kept",
        {
            "toml": '[appraisals]\nresult = "优秀"\n',
            "check": lambda a: a.appraisals.result == Appraisal.excellent,
        },
    ),
    Hostile(
        "a-trillion-hires",
        "per_month = 10^12 (MemoryError in the forecast before): refused at its key",
        "error",
        {
            "toml": "[hiring]\nper_month = 1000000000000\n",
            # docs/forecast.md: at most a million hires a month
            "problems": [("hiring.per_month", "must be within [0, 1000000]")],
        },
    ),
    Hostile(
        "fractional-hires",
        "per_month = 1.5: read exactly (docs/forecast.md: fractions carry to the next month)",
        "kept",
        {
            "toml": "[hiring]\nper_month = 1.5\n",
            "check": lambda a: a.hiring.per_month == Decimal("1.5"),
        },
    ),
    Hostile(
        "template-unknown-field",
        "a hiring template with a field no worker has: refused naming it, when used",
        "error",
        {
            "toml": TEMPLATE + "salary = 5000\n",
            "forecast": "assumptions: hiring.template",
            "problems": [("salary", "unknown key")],
        },
    ),
    Hostile(
        "template-gives-hired-on",
        "a hiring template giving hired_on (the forecast hires on the 1st of each month and "
        "ignores it in silence): refused at the key",
        "error",
        {
            "toml": TEMPLATE + "hired_on = 2030-01-01\n",
            "problems": [("hiring.template.hired_on", "")],
        },
    ),
    Hostile(
        "template-gives-id",
        "a hiring template giving an id (every hire is NEW-…; it was overwritten in silence): "
        "refused at the key",
        "error",
        {
            "toml": TEMPLATE + 'id = "X-1"\n',
            "problems": [("hiring.template.id", "set by the forecast for each new hire")],
        },
    ),
    Hostile(
        "deep-nesting",
        "a seed nested 5,000 arrays deep (RecursionError before): refused",
        "error",
        {
            "toml": "seed = " + "[" * 5_000 + "]" * 5_000 + "\n",
            "problems": [("", "nested deeper than 20 levels")],
        },
    ),
    Hostile(
        "fractional-seed",
        "seed = 1.5: refused",
        "error",
        {"toml": "seed = 1.5\n", "problems": [("seed", "fractional part")]},
    ),
    Hostile(
        "unknown-given-grades",
        'given_grades = "derived": refused naming the two values',
        "error",
        {
            "toml": 'given_grades = "derived"\n',
            "problems": [("given_grades", "'keep' or 'derive'")],
        },
    ),
    Hostile(
        "misspelt-table",
        "[attriton] for [attrition] (no attrition would be assumed): refused",
        "error",
        {
            "toml": "[attriton]\nannual_rate = 0.06\n",
            "problems": [("attriton", "unknown key")],
        },
    ),
    Hostile(
        "malformed-toml",
        "an unclosed string: refused as TOML",
        "error",
        {"toml": 'given_grades = "keep\n', "problems": [("", "not valid TOML")]},
    ),
    Hostile(
        "gbk-file",
        "an assumptions file saved as GBK: refused as not UTF-8",
        "error",
        {"toml": "# 假设\nseed = 1\n".encode("gbk"), "problems": [("", "not UTF-8")]},
    ),
    Hostile(
        "utf8-bom",
        "a file saved by Notepad with a BOM: read",
        "kept",
        {"toml": b"\xef\xbb\xbfseed = 7\n", "check": lambda a: a.seed == 7},
    ),
    Hostile(
        "missing-file",
        "no such file: refused naming it",
        "error",
        {"toml": None, "problems": [("", "cannot read file")]},
    ),
]


def _cases() -> list[Any]:
    params = cases(*ASSUMPTIONS)
    return [
        pytest.param(
            *p.values,
            id=p.id,
            marks=[pytest.mark.xfail(strict=True, reason=p.values[0].data["xfail"])],
        )
        if "xfail" in p.values[0].data
        else p
        for p in params
    ]


@pytest.mark.parametrize("case", _cases())
def test_hostile_assumptions(case: Hostile, tmp_path: Path) -> None:
    data: dict[str, Any] = case.data
    path = tmp_path / "assumptions.toml"
    content = data["toml"]
    if content is not None:
        path.write_bytes(content.encode() if isinstance(content, str) else content)
    try:
        assumptions: Assumptions | None = load_assumptions(path)
        error: PaycalcError | None = None
    except InputError as raised:
        assumptions, error = None, raised
    if "forecast" in data:
        assert error is None and assumptions is not None
        with pytest.raises(PaycalcError) as used:
            forecast(EXAMPLES / "rosters" / "demo.csv", "2024-01", 1, assumptions)
        error = used.value
        source = data["forecast"]
    else:
        source = str(path)
    if case.outcome == "error":
        assert error is not None, assumptions
        expected = data["problems"]
        assert [p.location for p in error.problems] == [loc for loc, _ in expected]
        for problem, (_, fragment) in zip(error.problems, expected, strict=True):
            assert fragment in problem.message, (problem.message, fragment)
            assert problem.source == source
            assert len(problem.message) < 400
    else:
        assert error is None and assumptions is not None, error
        assert data["check"](assumptions) is True
