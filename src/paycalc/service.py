"""What a worker's record counts for in a given month: service years, appraisals, levels.

Everything is "as known at the start of the pay month": service completed by its first
day, appraisals of years that ended before it, certificates and awards dated before it.
"""

from __future__ import annotations

from datetime import date

from paycalc.codes import Appraisal, Education, QualificationKind
from paycalc.period import Month, service_time
from paycalc.worker import Award, Qualification, Worker

__all__ = [
    "appraisals_before",
    "awards_before",
    "completed_service_years",
    "counted_service_years",
    "failed_years",
    "highest_qualification",
    "passed_years",
]


def completed_service_years(worker: Worker, month: Month) -> int:
    """Whole years of service completed by the first day of ``month``."""
    return service_time(worker.hired_on, month.first_day).years


def appraisals_before(worker: Worker, month: Month) -> dict[int, Appraisal]:
    """Appraisals of the years that ended before ``month`` and fell within employment."""
    return {
        year: result
        for year, result in worker.appraisals.items()
        if worker.hired_on.year <= year < month.year
    }


def failed_years(worker: Worker, month: Month) -> int:
    """Years appraised 不称职 (they do not count as service, 本民发〔2022〕43号)."""
    first, last = worker.hired_on.year, month.year
    return sum(
        1 for year, result in worker.appraisals.items() if first <= year < last and result.failed
    )


def passed_years(worker: Worker, month: Month) -> int:
    """Years appraised 合格 (称职) or 优秀: each adds a step of 岗位年限津贴 (蕉城 试行稿).

    基本称职 (基本合格) does not pass: the draft grants a step "年度考核合格后", following
    the 事业单位 rule it cites, under which only 合格 and better earn a step.
    """
    first, last = worker.hired_on.year, month.year
    return sum(
        1 for year, result in worker.appraisals.items() if first <= year < last and result.passed
    )


def counted_service_years(worker: Worker, month: Month, *, exclude_failed_years: bool) -> int:
    """Completed service years, less the failed years when the scheme says so; never negative."""
    years = completed_service_years(worker, month)
    if exclude_failed_years:
        years -= failed_years(worker, month)
    return max(0, years)


def highest_qualification(
    worker: Worker, kind: QualificationKind, obtained_before: date
) -> Qualification | None:
    """The highest-level qualification of ``kind`` obtained before the given date.

    Among equal levels the earliest wins, so a time-limited subsidy runs from the first
    time the level was reached.
    """
    held = [q for q in worker.qualifications if q.kind is kind and q.obtained_on < obtained_before]
    if not held:
        return None
    return max(held, key=lambda q: (q.level.rank, -q.obtained_on.toordinal()))


def awards_before(worker: Worker, day: date) -> list[Award]:
    return [award for award in worker.awards if award.awarded_on < day]


def education_of(worker: Worker) -> Education | None:
    return worker.education
