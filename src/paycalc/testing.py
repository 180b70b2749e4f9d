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

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from paycalc.codes import LABELS, Appraisal, AwardLevel, Education, Level, QualificationKind
from paycalc.engine import earnings_slip
from paycalc.period import Month
from paycalc.scheme.version import SchemeVersion
from paycalc.slip import Payslip
from paycalc.worker import Worker, parse_worker

__all__ = [
    "Loss",
    "assert_cap_holds",
    "assert_lines_sum_to_totals",
    "assert_monotone_in_grade",
    "assert_monotone_in_service",
    "assert_no_loss",
    "find_losses",
    "worker_data",
    "workers",
]

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
    # Appraisals are drawn up to the year before ``month``, which may lie ahead of the
    # real today: parse as on the first day of the year after ``month``.
    today = date(month.year + 1, 1, 1)
    # builds (not map): hypothesis then prints a failing worker as the call that makes it,
    # parse_worker({...}, today=datetime.date(...)), which a user can paste into a test.
    return st.builds(
        parse_worker,
        worker_data(scheme, month=month, full_month=full_month, derive_grade=derive_grade),
        today=st.just(today),
    )


def assert_lines_sum_to_totals(slip: Payslip) -> None:
    """Raise AssertionError unless the slip's totals are exactly the sums of its lines."""
    by_category = {"earning": Decimal(0), "deduction": Decimal(0), "employer": Decimal(0)}
    for line in slip.lines:
        by_category[line.category] += line.amount
    _check(slip.gross == by_category["earning"], (slip.gross, by_category))
    _check(slip.deductions == by_category["deduction"])
    _check(slip.net == slip.gross - slip.deductions)
    _check(slip.employer_cost == slip.gross + by_category["employer"])


def _check(condition: bool, message: object = "invariant violated") -> None:
    """Like ``assert``, but kept under ``python -O``: these checks are the product."""
    if not condition:
        raise AssertionError(message)


# --- invariants -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Loss:
    """A worker paid less under NEW than under OLD, and the lines that went down."""

    worker_id: str
    month: str
    old_gross: Decimal
    new_gross: Decimal
    lower_lines: tuple[tuple[str, Decimal, Decimal], ...]

    def __str__(self) -> str:
        lines = ", ".join(f"{code} {old} → {new}" for code, old, new in self.lower_lines)
        return f"{self.worker_id} {self.month}: gross {self.old_gross} → {self.new_gross} ({lines})"


def find_losses(
    old: SchemeVersion, new: SchemeVersion, workers: Iterable[Worker], month: Month
) -> list[Loss]:
    """Every worker whose gross pay for ``month`` is lower under ``new`` than under ``old``."""
    losses = []
    for worker in workers:
        before, after = earnings_slip(worker, month, old), earnings_slip(worker, month, new)
        if after.gross < before.gross:
            lower = tuple(
                (line.code, line.amount, after.amount(line.code))
                for line in before.lines
                if line.category == "earning" and after.amount(line.code) < line.amount
            )
            losses.append(Loss(worker.id, str(month), before.gross, after.gross, lower))
    return losses


def assert_no_loss(old: SchemeVersion, new: SchemeVersion, worker: Worker, month: Month) -> None:
    """Raise AssertionError if ``worker`` is paid less (gross) under ``new`` than ``old``."""
    losses = find_losses(old, new, [worker], month)
    if losses:
        raise AssertionError(f"{old.family} {old.version} → {new.version} lowers pay: {losses[0]}")


def assert_monotone_in_grade(scheme: SchemeVersion, worker: Worker, month: Month) -> None:
    """Raise AssertionError if a higher grade (given, within the post's band) pays less."""
    post = scheme.post_code(worker.post)
    if post is None:
        raise AssertionError(f"unknown post {worker.post!r} for {scheme.family} {scheme.version}")
    band = scheme.post(post).grades
    if band is None:
        return
    previous: tuple[int, Decimal] | None = None
    for grade in range(band[0], band[1] + 1):
        gross = earnings_slip(worker.model_copy(update={"grade": grade}), month, scheme).gross
        if previous is not None:
            _check(
                gross >= previous[1],
                (
                    f"{scheme.family} {scheme.version}: grade {grade} pays {gross}, "
                    f"less than grade {previous[0]} ({previous[1]}) for worker {worker.id} in {month}"
                ),
            )
        previous = (grade, gross)


def assert_monotone_in_service(
    scheme: SchemeVersion, worker: Worker, month: Month, *, extra_years: int = 1
) -> None:
    """Raise AssertionError if more counted service (hired earlier, years appraised 称职)
    lowers gross pay."""
    hired = worker.hired_on
    earlier = date(hired.year - extra_years, hired.month, min(hired.day, 28))
    added = {year: Appraisal.competent for year in range(earlier.year, hired.year)}
    veteran = worker.model_copy(
        update={"hired_on": earlier, "appraisals": {**added, **worker.appraisals}}
    )
    before, after = (
        earnings_slip(worker, month, scheme).gross,
        earnings_slip(veteran, month, scheme).gross,
    )
    _check(
        after >= before,
        (
            f"{scheme.family} {scheme.version}: {extra_years} more year(s) of service lowers gross "
            f"from {before} to {after} for worker {worker.id} in {month}"
        ),
    )


def assert_cap_holds(scheme: SchemeVersion, slip: Payslip) -> None:
    """Raise AssertionError if any of the scheme's caps is exceeded on ``slip``."""
    for cap in scheme.spec.caps:
        counted = Decimal(0)
        for line in slip.lines:
            if (line.category == "earning" and ("gross" in cap.of or line.code in cap.of)) or (
                line.category == "employer"
                and (
                    cap.include_employer is True
                    or (
                        isinstance(cap.include_employer, tuple)
                        and line.code.removesuffix("_employer") in cap.include_employer
                    )
                )
            ):
                counted += line.amount
        _check(
            counted <= cap.limit,
            (f"{cap.label}: {counted} exceeds {cap.limit} on {slip.worker_id} {slip.month}"),
        )
