"""Workers as columns: integer codes, day ordinals and small value tables.

One row per worker (or per cohort of identical workers). Dates are ``date.toordinal()``
numbers; coded values (post as written, education, appraisal results, levels, award
levels, declared inputs, contribution bases) are small integers indexing a table of the
distinct values. Qualifications are kept as "the first day each (kind, level) was
reached", which is all the pay rules look at; a worker holding the same kind and level
twice is marked ``irregular`` (a one-off payment may pay each copy) and is paid by the
itemised engine.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

import numpy as np
import numpy.typing as npt

from paycalc.codes import Appraisal, AwardLevel, Education, Level, QualificationKind
from paycalc.worker import Worker

__all__ = [
    "APPRAISALS",
    "AWARD_LEVELS",
    "EDUCATIONS",
    "KINDS",
    "LEVELS",
    "NEVER",
    "WorkerColumns",
    "from_workers",
]

APPRAISALS: tuple[Appraisal, ...] = tuple(Appraisal)
EDUCATIONS: tuple[Education, ...] = tuple(Education)
LEVELS: tuple[Level, ...] = tuple(Level)
KINDS: tuple[QualificationKind, ...] = tuple(QualificationKind)
AWARD_LEVELS: tuple[AwardLevel, ...] = tuple(AwardLevel)
#: ordinal standing for "no such date" (later than any real day)
NEVER = date.max.toordinal() + 1

I8 = npt.NDArray[np.int8]
I16 = npt.NDArray[np.int16]
I32 = npt.NDArray[np.int32]
I64 = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]


def value_key(value: object) -> Hashable:
    """Tells apart values that compare equal but are not the same input (True vs 1)."""
    return (type(value).__name__, str(value))


@dataclass(slots=True)
class WorkerColumns:
    """The pay-relevant fields of ``n`` workers, column by column."""

    ids: list[str]
    post: I32  # index into post_texts (the post as written)
    post_texts: list[str]
    family: I32  # index into families (the worker's scheme, or None)
    families: list[str | None]
    grade: I16  # given grade, 0 when none
    hired: I32
    hired_year: I16
    hired_month: I8
    hired_day: I8
    left: I32  # NEVER when none
    in_establishment: Bools
    education: I8  # index into EDUCATIONS, -1 when none
    appraisal_year0: int
    appraisals: I8  # [years, n]: index into APPRAISALS, -1 when none
    qualification_first: I32  # [kinds, levels, n]: first day reached, NEVER when never
    award_level: I8  # [slots, n]: index into AWARD_LEVELS, -1 for an empty slot
    award_day: I32  # [slots, n]
    #: declared inputs: name -> (codes, values); code -1 = not given
    inputs: dict[str, tuple[I32, list[object]]]
    contribution_base: I32  # index into contribution_bases
    contribution_bases: list[Decimal | None]
    irregular: Bools
    #: rebuilds the Worker of a row (for the rows the itemised engine pays)
    source: Callable[[int], Worker] | None = field(default=None, repr=False)

    def __len__(self) -> int:
        return len(self.ids)

    def appraisal_column(self, year: int) -> I8:
        """Results for ``year`` (-1 where none), widening the matrix if needed."""
        self.ensure_years(year, year)
        return np.asarray(self.appraisals[year - self.appraisal_year0], dtype=np.int8)

    def ensure_years(self, first: int, last: int) -> None:
        year0 = min(first, self.appraisal_year0)
        end = max(last + 1, self.appraisal_year0 + self.appraisals.shape[0])
        if year0 == self.appraisal_year0 and end == year0 + self.appraisals.shape[0]:
            return
        wider = np.full((end - year0, len(self)), -1, dtype=np.int8)
        start = self.appraisal_year0 - year0
        wider[start : start + self.appraisals.shape[0]] = self.appraisals
        self.appraisals = wider
        self.appraisal_year0 = year0

    def take(self, rows: npt.NDArray[np.intp]) -> WorkerColumns:
        """The rows at ``rows`` (in that order; repeats allowed); ``source`` is dropped."""
        ids = self.ids
        return WorkerColumns(
            ids=[ids[i] for i in rows.tolist()],
            post=self.post[rows],
            post_texts=self.post_texts,
            family=self.family[rows],
            families=self.families,
            grade=self.grade[rows],
            hired=self.hired[rows],
            hired_year=self.hired_year[rows],
            hired_month=self.hired_month[rows],
            hired_day=self.hired_day[rows],
            left=self.left[rows],
            in_establishment=self.in_establishment[rows],
            education=self.education[rows],
            appraisal_year0=self.appraisal_year0,
            appraisals=self.appraisals[:, rows],
            qualification_first=self.qualification_first[:, :, rows],
            award_level=self.award_level[:, rows],
            award_day=self.award_day[:, rows],
            inputs={name: (codes[rows], values) for name, (codes, values) in self.inputs.items()},
            contribution_base=self.contribution_base[rows],
            contribution_bases=self.contribution_bases,
            irregular=self.irregular[rows],
        )


class ValueTable:
    """Distinct values and their codes, numbered in order of first appearance."""

    def __init__(self, initial: Sequence[Any] = ()) -> None:
        self.values: list[Any] = list(initial)
        self.codes: dict[Hashable, int] = {value_key(v): i for i, v in enumerate(initial)}

    def code(self, value: Any) -> int:
        key = value_key(value)
        found = self.codes.get(key)
        if found is None:
            found = self.codes[key] = len(self.values)
            self.values.append(value)
        return found


def from_workers(workers: Sequence[Worker]) -> WorkerColumns:
    """Columns for validated workers (their order kept)."""
    n = len(workers)
    posts, families, bases = ValueTable(), ValueTable(), ValueTable()
    inputs: dict[str, ValueTable] = {}
    input_codes: dict[str, list[int]] = {}
    years = [year for w in workers for year in w.appraisals]
    year0 = min(years, default=2000)
    span = max(years, default=year0) - year0 + 1
    appraisals = np.full((span, n), -1, dtype=np.int8)
    first = np.full((len(KINDS), len(LEVELS), n), NEVER, dtype=np.int32)
    slots = max((len(w.awards) for w in workers), default=0)
    award_level = np.full((slots, n), -1, dtype=np.int8)
    award_day = np.full((slots, n), NEVER, dtype=np.int32)
    irregular = np.zeros(n, dtype=np.bool_)
    post, family, grade, hired, left, est, edu, base = ([0] * n for _ in range(8))
    appraisal_index = {a: i for i, a in enumerate(APPRAISALS)}
    kind_index = {k: i for i, k in enumerate(KINDS)}
    level_index = {lv: i for i, lv in enumerate(LEVELS)}
    award_index = {a: i for i, a in enumerate(AWARD_LEVELS)}
    education_index = {e: i for i, e in enumerate(EDUCATIONS)}
    for row, worker in enumerate(workers):
        post[row] = posts.code(worker.post)
        family[row] = families.code(worker.scheme)
        grade[row] = worker.grade or 0
        hired[row] = worker.hired_on.toordinal()
        left[row] = NEVER if worker.left_on is None else worker.left_on.toordinal()
        est[row] = worker.in_establishment
        edu[row] = -1 if worker.education is None else education_index[worker.education]
        base[row] = bases.code(worker.contribution_base)
        for year, result in worker.appraisals.items():
            appraisals[year - year0, row] = appraisal_index[result]
        for q in worker.qualifications:
            k, lv = kind_index[q.kind], level_index[q.level]
            day = q.obtained_on.toordinal()
            if first[k, lv, row] != NEVER:
                irregular[row] = True
            first[k, lv, row] = min(int(first[k, lv, row]), day)
        for slot, award in enumerate(worker.awards):
            award_level[slot, row] = award_index[award.level]
            award_day[slot, row] = award.awarded_on.toordinal()
        for name, value in worker.inputs.items():
            if name not in inputs:
                inputs[name] = ValueTable()
                input_codes[name] = [-1] * n
            input_codes[name][row] = inputs[name].code(value)
    hired_dates = [w.hired_on for w in workers]
    return WorkerColumns(
        ids=[w.id for w in workers],
        post=np.array(post, dtype=np.int32),
        post_texts=posts.values,
        family=np.array(family, dtype=np.int32),
        families=families.values,
        grade=np.array(grade, dtype=np.int16),
        hired=np.array(hired, dtype=np.int32),
        hired_year=np.array([d.year for d in hired_dates], dtype=np.int16),
        hired_month=np.array([d.month for d in hired_dates], dtype=np.int8),
        hired_day=np.array([d.day for d in hired_dates], dtype=np.int8),
        left=np.array(left, dtype=np.int32),
        in_establishment=np.array(est, dtype=np.bool_),
        education=np.array(edu, dtype=np.int8),
        appraisal_year0=year0,
        appraisals=appraisals,
        qualification_first=first,
        award_level=award_level,
        award_day=award_day,
        inputs={
            name: (np.array(input_codes[name], dtype=np.int32), table.values)
            for name, table in inputs.items()
        },
        contribution_base=np.array(base, dtype=np.int32),
        contribution_bases=bases.values,
        irregular=irregular,
        source=lambda i: workers[i],
    )


def _remap(values: list[Any], into: ValueTable) -> npt.NDArray[np.int32]:
    """Codes in ``into`` for a table's values, plus -1 kept at the end (code -1)."""
    return np.array([into.code(v) for v in values] + [-1], dtype=np.int32)


def concat(first: WorkerColumns, second: WorkerColumns) -> WorkerColumns:
    """``first``'s rows, then ``second``'s (code tables merged; ``source`` dropped)."""
    posts, families, bases = (
        ValueTable(first.post_texts),
        ValueTable(first.families),
        ValueTable(first.contribution_bases),
    )
    post_map = _remap(second.post_texts, posts)
    family_map = _remap(second.families, families)
    base_map = _remap(second.contribution_bases, bases)
    year0 = min(first.appraisal_year0, second.appraisal_year0)
    end = max(
        first.appraisal_year0 + first.appraisals.shape[0],
        second.appraisal_year0 + second.appraisals.shape[0],
    )
    first.ensure_years(year0, end - 1)
    second.ensure_years(year0, end - 1)
    slots = max(first.award_level.shape[0], second.award_level.shape[0])

    def pad(array: npt.NDArray[Any], fill: int) -> npt.NDArray[Any]:
        extra = slots - array.shape[0]
        if not extra:
            return array
        return np.concatenate([array, np.full((extra, array.shape[1]), fill, array.dtype)])

    inputs: dict[str, tuple[I32, list[object]]] = {}
    for name in {**first.inputs, **second.inputs}:
        table = ValueTable(first.inputs[name][1] if name in first.inputs else [])
        left = first.inputs[name][0] if name in first.inputs else np.full(len(first), -1, np.int32)
        if name in second.inputs:
            codes, values = second.inputs[name]
            right = _remap(values, table)[codes]
        else:
            right = np.full(len(second), -1, np.int32)
        inputs[name] = (np.concatenate([left, right]), table.values)
    return WorkerColumns(
        ids=first.ids + second.ids,
        post=np.concatenate([first.post, post_map[second.post]]),
        post_texts=posts.values,
        family=np.concatenate([first.family, family_map[second.family]]),
        families=families.values,
        grade=np.concatenate([first.grade, second.grade]),
        hired=np.concatenate([first.hired, second.hired]),
        hired_year=np.concatenate([first.hired_year, second.hired_year]),
        hired_month=np.concatenate([first.hired_month, second.hired_month]),
        hired_day=np.concatenate([first.hired_day, second.hired_day]),
        left=np.concatenate([first.left, second.left]),
        in_establishment=np.concatenate([first.in_establishment, second.in_establishment]),
        education=np.concatenate([first.education, second.education]),
        appraisal_year0=year0,
        appraisals=np.concatenate([first.appraisals, second.appraisals], axis=1),
        qualification_first=np.concatenate(
            [first.qualification_first, second.qualification_first], axis=2
        ),
        award_level=np.concatenate([pad(first.award_level, -1), pad(second.award_level, -1)], 1),
        award_day=np.concatenate([pad(first.award_day, NEVER), pad(second.award_day, NEVER)], 1),
        inputs=inputs,
        contribution_base=np.concatenate(
            [first.contribution_base, base_map[second.contribution_base]]
        ),
        contribution_bases=bases.values,
        irregular=np.concatenate([first.irregular, second.irregular]),
    )
