"""What the pay rules read about workers: one worker's facts, or a whole roster's columns.

A rule sees a *facts* object and an :class:`~paycalc.ops.Ops`. :class:`WorkerFacts` holds one
worker's record as plain integers (day ordinals, small indexes into the vocabularies);
:class:`paycalc.columns.Columns` holds the same attributes as numpy arrays, one row per
worker. Both answer the same questions the same way:

- ``hired``, ``left`` (day ordinals; :data:`~paycalc.ops.NEVER` when the worker has not
  left), ``hired_year``, ``hired_month``, ``hired_day``;
- ``grade_given`` (0 when none), ``education`` (index into :data:`EDUCATIONS`,
  :data:`EDUCATION_NONE` when none), ``in_establishment``;
- ``qualified[kind][level]``: the day the level of that kind was first obtained (``NEVER``);
- ``award_slots``: ``(level, day)`` pairs (an empty slot has level :data:`AWARD_NONE`);
- ``appraisal(year)``: the result index (:data:`RESULT_NONE` when none) and
  ``appraisal_sum(values, until)``: the sum of ``values[result]`` over the appraised years
  from the hire year up to ``until`` (exclusive);
- ``lookup(name, fn)``: ``fn`` applied to a coded value (``post``, ``family``,
  ``contribution_base``, ``tax``, ``input:<name>``; ``None`` when absent), for each distinct
  value once.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any, Final

from paycalc.codes import Appraisal, AwardLevel, Education, Level, QualificationKind
from paycalc.ops import NEVER
from paycalc.worker import Worker

__all__ = [
    "APPRAISALS",
    "AWARD_LEVELS",
    "AWARD_NONE",
    "EDUCATIONS",
    "EDUCATION_NONE",
    "KINDS",
    "LEVELS",
    "LEVEL_NONE",
    "RESULT_NONE",
    "WorkerFacts",
]

APPRAISALS: Final[tuple[Appraisal, ...]] = tuple(Appraisal)
EDUCATIONS: Final[tuple[Education, ...]] = tuple(Education)
LEVELS: Final[tuple[Level, ...]] = tuple(Level)
KINDS: Final[tuple[QualificationKind, ...]] = tuple(QualificationKind)
AWARD_LEVELS: Final[tuple[AwardLevel, ...]] = tuple(AwardLevel)

#: Index standing for "none" in each vocabulary: tables carry one more entry for it.
EDUCATION_NONE: Final = len(EDUCATIONS)
RESULT_NONE: Final = len(APPRAISALS)
LEVEL_NONE: Final = len(LEVELS)
AWARD_NONE: Final = len(AWARD_LEVELS)

_RESULT = {result: index for index, result in enumerate(APPRAISALS)}
#: facts by worker object (records are frozen; an entry goes when its worker goes)
_FACTS: dict[int, WorkerFacts] = {}
_EDUCATION = {education: index for index, education in enumerate(EDUCATIONS)}
_KIND = {kind: index for index, kind in enumerate(KINDS)}
_LEVEL = {level: index for index, level in enumerate(LEVELS)}
_AWARD = {level: index for index, level in enumerate(AWARD_LEVELS)}


class WorkerFacts:
    """One worker's record, as the rules read it (plain integers)."""

    size: Final = 1

    def __init__(self, worker: Worker) -> None:
        self._worker = weakref.ref(worker)
        hired = worker.hired_on
        self.hired = hired.toordinal()
        self.left = NEVER if worker.left_on is None else worker.left_on.toordinal()
        self.hired_year, self.hired_month, self.hired_day = hired.year, hired.month, hired.day
        self.grade_given = worker.grade or 0
        self.education = EDUCATION_NONE if worker.education is None else _EDUCATION[worker.education]
        self.in_establishment = worker.in_establishment
        qualified = [[NEVER] * len(LEVELS) for _ in KINDS]
        for held in worker.qualifications:
            row = qualified[_KIND[held.kind]]
            level = _LEVEL[held.level]
            row[level] = min(row[level], held.obtained_on.toordinal())
        self.qualified = qualified
        self.award_slots = [(_AWARD[a.level], a.awarded_on.toordinal()) for a in worker.awards]
        self.results = {year: _RESULT[result] for year, result in worker.appraisals.items()}
        self._coded: dict[str, Any] = {
            "post": worker.post,
            "family": worker.scheme,
            "contribution_base": worker.contribution_base,
            "tax": worker.tax,
        }
        for name, value in worker.inputs.items():
            self._coded[f"input:{name}"] = value

    @classmethod
    def of(cls, worker: Worker) -> WorkerFacts:
        """The facts of ``worker`` (kept while the worker object lives: records are frozen)."""
        key = id(worker)
        found = _FACTS.get(key)
        if found is None or found._worker() is not worker:
            found = _FACTS[key] = cls(worker)
            weakref.finalize(worker, _FACTS.pop, key, None)
        return found

    @property
    def worker(self) -> Worker:
        worker = self._worker()
        assert worker is not None  # the caller holds the worker while it pays it
        return worker

    def appraisal(self, year: int) -> int:
        return self.results.get(year, RESULT_NONE)

    def appraisal_sum(self, values: list[int], until: int) -> int:
        first = self.hired_year
        return sum(values[result] for year, result in self.results.items() if first <= year < until)

    def lookup(self, name: str, fn: Callable[[Any], Any]) -> Any:
        return fn(self.coded(name))

    def distinct(self, name: str) -> list[Any]:
        return [self.coded(name)]

    def coded(self, name: str) -> Any:
        return self._coded.get(name)
