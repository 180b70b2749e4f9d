"""Hypothesis strategies and invariant checks for scheme owners' own tests.

>>> from hypothesis import given
>>> from paycalc.testing import workers
>>> @given(workers(scheme, month=Month(2024, 3)))
... def test_cap_holds(worker): ...

The strategies draw only valid workers *for a given scheme version*: its posts (by code or
Chinese label), grades within each post's band, its declared inputs, and dates that make
the worker employed in the month asked. Requires the ``hypothesis`` package.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from paycalc.codes import LABELS, Appraisal, AwardLevel, Education, Level, QualificationKind
from paycalc.period import Month
from paycalc.scheme.version import SchemeVersion
from paycalc.slip import Payslip
from paycalc.worker import Worker, parse_worker

__all__ = ["assert_lines_sum_to_totals", "worker_data", "workers"]

_EARLIEST_HIRE = date(1985, 1, 1)


def _coded(code: Any) -> st.SearchStrategy[str]:
    """A code as its English value or one of its Chinese labels."""
    return st.sampled_from([code.value, *LABELS[code]])


@st.composite
def worker_data(
    draw: st.DrawFn,
    scheme: SchemeVersion,
    *,
    month: Month,
    full_month: bool = True,
    derive_grade: bool | None = None,
    complete_appraisals: bool = True,
    worker_id: str = "W-1",
) -> dict[str, Any]:
    """A worker record (JSON-shaped dict) valid for ``scheme`` and employed in ``month``.

    ``full_month`` keeps hire and leave dates outside the month; ``derive_grade`` forces
    the grade to be given (False) or derived (True); None lets hypothesis choose where the
    scheme allows both. ``complete_appraisals`` records a result for every finished year of
    service (a yearly payment needs last year's); without it some years are left blank.
    """
    post = draw(st.sampled_from(sorted(scheme.spec.posts)))
    spec = scheme.post(post)
    latest_hire = month.first_day if full_month else month.last_day
    hired_on = draw(st.dates(_EARLIEST_HIRE, latest_hire))
    left_on = None
    if not full_month and draw(st.booleans()):
        left_on = draw(st.dates(max(hired_on, month.first_day), month.last_day))
    history_end = month.year - 1
    years = range(hired_on.year, history_end + 1)
    appraisals = {
        str(year): draw(_coded(draw(st.sampled_from(list(Appraisal)))))
        for year in years
        if complete_appraisals or draw(st.integers(0, 9)) > 0
    }
    obtained = st.dates(_EARLIEST_HIRE, month.last_day)
    qualifications = draw(
        st.lists(
            st.fixed_dictionaries(
                {
                    "kind": st.sampled_from(list(QualificationKind)).map(str),
                    "level": st.sampled_from(list(Level)).flatmap(_coded),
                    "obtained_on": obtained.map(date.isoformat),
                }
            ),
            max_size=3,
        )
    )
    awards = draw(
        st.lists(
            st.fixed_dictionaries(
                {
                    "level": st.sampled_from(list(AwardLevel)).flatmap(_coded),
                    "awarded_on": st.dates(hired_on, month.last_day).map(date.isoformat),
                }
            ),
            max_size=3,
        )
    )
    rule = scheme.spec.grade
    grade: int | None = None
    if spec.grades is not None and rule is not None:
        give = (
            rule.method == "given"
            or (derive_grade is False)
            or (derive_grade is None and draw(st.booleans()))
        )
        if give:
            grade = draw(st.integers(spec.grades[0], spec.grades[1]))
    inputs: dict[str, Any] = {}
    for name, declared in scheme.spec.inputs.items():
        if declared.type == "choice":
            inputs[name] = draw(st.sampled_from(declared.choices))
        elif declared.type == "yes_no":
            inputs[name] = draw(st.booleans())
        else:
            inputs[name] = str(draw(st.decimals(0, 10**6, places=2, allow_nan=False)))
    return {
        "id": worker_id,
        "scheme": scheme.family,
        "post": draw(st.sampled_from([post, spec.label, *spec.aliases])),
        "grade": grade,
        "hired_on": hired_on.isoformat(),
        "left_on": None if left_on is None else left_on.isoformat(),
        "in_establishment": draw(st.booleans()),
        "education": draw(st.none() | st.sampled_from(list(Education)).flatmap(_coded)),
        "qualifications": qualifications,
        "appraisals": appraisals,
        "awards": awards,
        "inputs": inputs,
    }


def workers(
    scheme: SchemeVersion,
    *,
    month: Month,
    full_month: bool = True,
    derive_grade: bool | None = None,
) -> st.SearchStrategy[Worker]:
    """Valid :class:`Worker` objects for ``scheme``, employed in ``month``."""
    today = month.last_day + timedelta(days=1)
    return worker_data(scheme, month=month, full_month=full_month, derive_grade=derive_grade).map(
        lambda data: parse_worker(data, today=max(today, date(month.year + 1, 1, 1)))
    )


def assert_lines_sum_to_totals(slip: Payslip) -> None:
    """Raise AssertionError unless the slip's totals are exactly the sums of its lines."""
    by_category = {"earning": Decimal(0), "deduction": Decimal(0), "employer": Decimal(0)}
    for line in slip.lines:
        by_category[line.category] += line.amount
    assert slip.gross == by_category["earning"], (slip.gross, by_category)
    assert slip.deductions == by_category["deduction"]
    assert slip.net == slip.gross - slip.deductions
    assert slip.employer_cost == slip.gross + by_category["employer"]
