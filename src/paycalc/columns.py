"""Workers as columns: the facts the rules read (:mod:`paycalc.facts`), one array per field.

One row per worker (or per group of workers whose pay is the same). Dates are day ordinals;
coded values (the post as written, the scheme, inputs, the contribution base, the tax
declarations) are integer codes into a table of their distinct values, so a rule that looks
a value up (:meth:`Columns.lookup`) computes once per distinct value. Needs numpy, imported
with this module (never by ``import paycalc``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from paycalc.facts import (
    APPRAISALS,
    AWARD_LEVELS,
    AWARD_NONE,
    EDUCATION_NONE,
    EDUCATIONS,
    KINDS,
    LEVELS,
    RESULT_NONE,
)
from paycalc.ops import NEVER
from paycalc.worker import Worker

__all__ = ["CODED", "Columns", "ValueTable", "concat", "from_parts", "from_workers"]

I64 = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]

#: The coded fields every column set has (inputs add ``input:<name>``).
CODED = ("post", "family", "contribution_base", "tax")


def value_key(value: object) -> Hashable:
    """Tells apart values that compare equal but are not the same input (True vs 1, 1.0 vs 1.00)."""
    if hasattr(value, "model_dump_json"):  # a pydantic record (the tax declarations)
        return (type(value).__name__, value.model_dump_json())
    return (type(value).__name__, str(value))


class ValueTable:
    """Distinct values and their codes, numbered in order of first appearance."""

    def __init__(self, initial: Sequence[Any] = ()) -> None:
        self.values: list[Any] = []
        self.codes: dict[Hashable, int] = {}
        for value in initial:
            self.code(value)

    def code(self, value: Any) -> int:
        key = value_key(value)
        found = self.codes.get(key)
        if found is None:
            found = self.codes[key] = len(self.values)
            self.values.append(value)
        return found


@dataclass(slots=True)
class Columns:
    """The pay-relevant fields of ``len(ids)`` workers, column by column."""

    #: a list, or (rows taken) a numpy object array of strings
    ids: Sequence[str] | npt.NDArray[np.object_]
    names: Sequence[str] | npt.NDArray[np.object_]
    hired: I64
    left: I64  # NEVER when the worker has not left
    grade_given: I64  # 0 when none
    education: I64  # index into EDUCATIONS, EDUCATION_NONE when none
    in_establishment: Bools
    qualified: I64  # [kinds, levels, n]: the first day each level was reached (NEVER)
    award_level: I64  # [slots, n]: index into AWARD_LEVELS, AWARD_NONE for an empty slot
    award_day: I64  # [slots, n]
    year0: int  # the year of the first row of ``results``
    results: npt.NDArray[np.int8]  # [years, n]: index into APPRAISALS, RESULT_NONE when none
    #: coded fields: name -> (codes, distinct values); inputs as ``input:<name>``
    coded: dict[str, tuple[npt.NDArray[np.int32], list[Any]]]
    #: the worker of a row, for explanations and error messages
    worker_of: Callable[[int], Worker] | None = field(default=None, repr=False)
    _dates: tuple[I64, I64, I64] | None = field(default=None, repr=False)

    @property
    def size(self) -> int:
        return len(self.ids)

    def __len__(self) -> int:
        return len(self.ids)

    # -- dates ----------------------------------------------------------------------

    @property
    def hired_year(self) -> I64:
        return self._parts()[0]

    @property
    def hired_month(self) -> I64:
        return self._parts()[1]

    @property
    def hired_day(self) -> I64:
        return self._parts()[2]

    def _parts(self) -> tuple[I64, I64, I64]:
        """Year, month and day of the hire dates (worked out once)."""
        if self._dates is None:
            days = (self.hired - 719163).astype("datetime64[D]")  # 719163: 1970-01-01
            months = days.astype("datetime64[M]")
            years = months.astype("datetime64[Y]")
            self._dates = (
                years.astype(np.int64) + 1970,
                (months - years).astype(np.int64) + 1,
                (days - months).astype(np.int64) + 1,
            )
        return self._dates

    # -- what the rules read --------------------------------------------------------

    @property
    def award_slots(self) -> list[tuple[I64, I64]]:
        return [(self.award_level[s], self.award_day[s]) for s in range(self.award_level.shape[0])]

    def appraisal(self, year: int) -> I64:
        index = year - self.year0
        if not 0 <= index < self.results.shape[0]:
            return np.full(len(self), RESULT_NONE, dtype=np.int64)
        found: I64 = self.results[index].astype(np.int64)
        return found

    def set_results(self, year: int, rows: npt.NDArray[np.intp], results: Any) -> None:
        """Record appraisal results of ``year`` for ``rows`` (the matrix widens as needed)."""
        first = min(self.year0, year)
        end = max(self.year0 + self.results.shape[0], year + 1)
        if (first, end) != (self.year0, self.year0 + self.results.shape[0]):
            wider = np.full((end - first, len(self)), RESULT_NONE, dtype=np.int8)
            offset = self.year0 - first
            wider[offset : offset + self.results.shape[0]] = self.results
            self.results, self.year0 = wider, first
        self.results[year - self.year0, rows] = results

    def appraisal_sum(self, values: list[int], until: int) -> I64:
        """Σ ``values[result]`` over the appraised years from the hire year to ``until``."""
        table = np.array(values, dtype=np.int64)
        years = self.year0 + np.arange(self.results.shape[0])[:, None]
        window = (years >= self.hired_year[None, :]) & (years < until)
        return np.asarray((table[self.results] * window).sum(axis=0), dtype=np.int64)

    def lookup(self, name: str, fn: Callable[[Any], Any]) -> Any:
        """``fn`` of each row's coded value, computed once per distinct value."""
        codes, values = self.coded.get(name) or (np.zeros(len(self), np.int32), [None])
        results = [fn(value) for value in values]
        if all(isinstance(r, bool | np.bool_) for r in results):
            table: Any = np.array(results, dtype=np.bool_)
        elif all(isinstance(r, int | np.integer) for r in results) and all(
            abs(int(r)) < 2**63 for r in results
        ):
            table = np.array(results, dtype=np.int64)
        else:
            table = np.array(results, dtype=object)
        return table[codes]

    def distinct(self, name: str) -> list[Any]:
        """Every value the field's table holds (those of these rows among them)."""
        found = self.coded.get(name)
        return [None] if found is None else list(found[1])

    # -- rows -------------------------------------------------------------------------

    def take(self, rows: npt.NDArray[np.intp]) -> Columns:
        """The rows at ``rows`` (in that order; repeats allowed)."""
        source = self.worker_of
        return Columns(
            ids=_objects(self.ids)[rows],
            names=_objects(self.names)[rows],
            hired=self.hired[rows],
            left=self.left[rows],
            grade_given=self.grade_given[rows],
            education=self.education[rows],
            in_establishment=self.in_establishment[rows],
            qualified=self.qualified[:, :, rows],
            award_level=self.award_level[:, rows],
            award_day=self.award_day[:, rows],
            year0=self.year0,
            results=self.results[:, rows],
            coded={name: (codes[rows], values) for name, (codes, values) in self.coded.items()},
            worker_of=None if source is None else _picked(source, rows),
        )

    def compacted(self) -> Columns:
        """These rows with each code table cut to the values some row holds, numbered in
        order of first appearance (rows taken from a large roster keep its whole tables,
        and a rule looks up every value of a table)."""
        coded: dict[str, tuple[npt.NDArray[np.int32], list[Any]]] = {}
        for name, (codes, values) in self.coded.items():
            if not len(codes):
                coded[name] = (codes, values)
                continue
            used, first = np.unique(codes, return_index=True)
            order = used[np.argsort(first, kind="stable")]
            if len(order) == len(values) and (order == np.arange(len(values))).all():
                coded[name] = (codes, values)
                continue
            remap = np.zeros(len(values), dtype=np.int32)
            remap[order] = np.arange(len(order), dtype=np.int32)
            coded[name] = (remap[codes], [values[i] for i in order.tolist()])
        return dataclasses.replace(self, coded=coded, _dates=None)


def _objects(values: Any) -> Any:
    """Strings as a numpy object array (taking rows of it is one C loop, not a Python one)."""
    return values if isinstance(values, np.ndarray) else np.array(values, dtype=object)


class _Listed:
    """The worker of a row: a list's item (a picklable callable, so columns can be shipped
    to other processes)."""

    __slots__ = ("workers",)

    def __init__(self, workers: Sequence[Worker]) -> None:
        self.workers = workers

    def __call__(self, row: int) -> Worker:
        return self.workers[row]


class _Picked:
    """The worker of a row of taken rows: ``source(rows[row])`` (picklable)."""

    __slots__ = ("rows", "source")

    def __init__(self, source: Callable[[int], Worker], rows: npt.NDArray[np.intp]) -> None:
        self.source, self.rows = source, rows

    def __call__(self, row: int) -> Worker:
        return self.source(int(self.rows[row]))


class _Joined:
    """The worker of a row of two column sets, one after the other (picklable)."""

    __slots__ = ("first", "second", "split")

    def __init__(
        self, first: Callable[[int], Worker], second: Callable[[int], Worker], split: int
    ) -> None:
        self.first, self.second, self.split = first, second, split

    def __call__(self, row: int) -> Worker:
        return self.first(row) if row < self.split else self.second(row - self.split)


def _picked(source: Callable[[int], Worker], rows: npt.NDArray[np.intp]) -> Callable[[int], Worker]:
    """Rows of rows: one level of indirection, however many times rows are taken."""
    if isinstance(source, _Picked):
        return _Picked(source.source, source.rows[rows])
    return _Picked(source, np.asarray(rows))


_RESULT = {result: index for index, result in enumerate(APPRAISALS)}
_EDUCATION = {education: index for index, education in enumerate(EDUCATIONS)}
_KIND = {kind: index for index, kind in enumerate(KINDS)}
_LEVEL = {level: index for index, level in enumerate(LEVELS)}
_AWARD = {level: index for index, level in enumerate(AWARD_LEVELS)}


def from_workers(workers: Sequence[Worker]) -> Columns:
    """Columns for validated workers (their order kept)."""
    n = len(workers)
    years = [year for w in workers for year in w.appraisals]
    year0 = min(years, default=2000)
    span = max(years, default=year0) - year0 + 1
    results = np.full((span, n), RESULT_NONE, dtype=np.int8)
    qualified = np.full((len(KINDS), len(LEVELS), n), NEVER, dtype=np.int64)
    slots = max((len(w.awards) for w in workers), default=0)
    award_level = np.full((slots, n), AWARD_NONE, dtype=np.int64)
    award_day = np.full((slots, n), NEVER, dtype=np.int64)
    tables: dict[str, ValueTable] = {name: ValueTable() for name in CODED}
    codes: dict[str, list[int]] = {name: [0] * n for name in CODED}
    for row, worker in enumerate(workers):
        for name, value in (
            ("post", worker.post),
            ("family", worker.scheme),
            ("contribution_base", worker.contribution_base),
            ("tax", worker.tax),
        ):
            codes[name][row] = tables[name].code(value)
        for year, result in worker.appraisals.items():
            results[year - year0, row] = _RESULT[result]
        for held in worker.qualifications:
            k, level = _KIND[held.kind], _LEVEL[held.level]
            qualified[k, level, row] = min(int(qualified[k, level, row]), held.obtained_on.toordinal())
        for slot, award in enumerate(worker.awards):
            award_level[slot, row] = _AWARD[award.level]
            award_day[slot, row] = award.awarded_on.toordinal()
        for name, given in worker.inputs.items():
            key = f"input:{name}"
            if key not in tables:
                tables[key] = ValueTable([None])
                codes[key] = [0] * n
            codes[key][row] = tables[key].code(given)
    return Columns(
        ids=[w.id for w in workers],
        names=[w.name for w in workers],
        hired=np.array([w.hired_on.toordinal() for w in workers], dtype=np.int64),
        left=np.array(
            [NEVER if w.left_on is None else w.left_on.toordinal() for w in workers],
            dtype=np.int64,
        ),
        grade_given=np.array([w.grade or 0 for w in workers], dtype=np.int64),
        education=np.array(
            [EDUCATION_NONE if w.education is None else _EDUCATION[w.education] for w in workers],
            dtype=np.int64,
        ),
        in_establishment=np.array([w.in_establishment for w in workers], dtype=np.bool_),
        qualified=qualified,
        award_level=award_level,
        award_day=award_day,
        year0=year0,
        results=results,
        coded={
            name: (np.array(codes[name], dtype=np.int32), table.values)
            for name, table in tables.items()
        },
        worker_of=_Listed(workers),
    )


def _first_appearance_codes(
    part_values: Sequence[Any], rows: npt.NDArray[np.intp], with_none: bool
) -> tuple[npt.NDArray[np.int32], list[Any]]:
    """Codes of each row's value (``part_values[rows[i]]``) into a table of the distinct
    values in order of first appearance among the rows, as :func:`from_workers` numbers
    them; the values are compared once per part, not once per row."""
    distinct: dict[Hashable, int] = {}
    part_ids = np.array(
        [distinct.setdefault(value_key(v), len(distinct)) for v in part_values] or [0],
        dtype=np.int64,
    )
    representative: dict[int, Any] = {}
    for value in part_values:
        representative.setdefault(distinct[value_key(value)], value)
    ids = part_ids[rows]
    table = ValueTable([None] if with_none else [])
    remap = np.zeros(len(distinct) or 1, dtype=np.int32)
    if len(ids):
        used, first = np.unique(ids, return_index=True)
        for index in used[np.argsort(first, kind="stable")].tolist():
            remap[index] = table.code(representative[index])
    return remap[ids].astype(np.int32), table.values


def from_parts(
    parts: Sequence[Worker],
    sources: dict[str, npt.NDArray[np.intp]],
    default: npt.NDArray[np.intp],
    *,
    ids: list[str],
    names: list[str],
    hired: I64,
    left: I64,
    worker_of: Callable[[int], Worker] | None = None,
) -> Columns:
    """Columns for rows whose fields are taken from partial workers, value by value.

    Field ``f`` of row ``i`` is that of ``parts[sources.get(f, default)[i]]``, where ``f``
    is ``post``, ``family``, ``contribution_base``, ``tax``, ``grade``, ``education``,
    ``in_establishment``, ``appraisal:<year>``, ``input:<name>``, ``qualification:<kind>``
    or ``awards``; ids, names and dates are given. Each value is read once per part, so the
    cost grows with the parts (a roster's distinct cells), not the rows. With one part per
    row (``default = arange(n)``, no ``sources``) it equals :func:`from_workers` of those
    workers, code tables and all.
    """
    n = len(default)
    # only the parts some row reads, renumbered
    used = np.zeros(len(parts) or 1, dtype=np.bool_)
    for rows in (default, *sources.values()):
        used[rows] = True
    kept = np.flatnonzero(used)
    renumber = np.zeros(len(used), dtype=np.intp)
    renumber[kept] = np.arange(len(kept))
    parts = [parts[i] for i in kept.tolist() if i < len(parts)]
    default = renumber[default]
    sources = {name: renumber[rows] for name, rows in sources.items()}

    def rows_of(name: str) -> npt.NDArray[np.intp]:
        return sources.get(name, default)

    def gather(name: str, values: list[Any], dtype: Any) -> Any:
        return np.array(values or [0], dtype=dtype)[rows_of(name)]

    coded: dict[str, tuple[npt.NDArray[np.int32], list[Any]]] = {}
    for name, attribute in (
        ("post", "post"),
        ("family", "scheme"),
        ("contribution_base", "contribution_base"),
        ("tax", "tax"),
    ):
        values = [getattr(part, attribute) for part in parts]
        coded[name] = _first_appearance_codes(values, rows_of(name), with_none=False)
    inputs = sorted({key for part in parts for key in part.inputs})
    for key in inputs:
        field_name = f"input:{key}"
        values = [part.inputs.get(key) for part in parts]
        if any(values[i] is not None for i in np.unique(rows_of(field_name)).tolist()):
            coded[field_name] = _first_appearance_codes(values, rows_of(field_name), with_none=True)
    years = sorted({year for part in parts for year in part.appraisals})
    by_year: dict[int, npt.NDArray[np.int8]] = {}
    for year in years:
        table = [
            _RESULT[part.appraisals[year]] if year in part.appraisals else RESULT_NONE
            for part in parts
        ]
        found = gather(f"appraisal:{year}", table, np.int8)
        if (found != RESULT_NONE).any():
            by_year[year] = found
    year0 = min(by_year, default=2000)
    span = max(by_year, default=year0) - year0 + 1
    results = np.full((span, n), RESULT_NONE, dtype=np.int8)
    for year, found in by_year.items():
        results[year - year0] = found
    qualified = np.full((len(KINDS), len(LEVELS), n), NEVER, dtype=np.int64)
    for k, kind in enumerate(KINDS):
        for level_index, level in enumerate(LEVELS):
            firsts = [
                min(
                    (
                        q.obtained_on.toordinal()
                        for q in part.qualifications
                        if q.kind == kind and q.level == level
                    ),
                    default=NEVER,
                )
                for part in parts
            ]
            qualified[k, level_index] = gather(f"qualification:{kind.value}", firsts, np.int64)
    award_rows = rows_of("awards")
    slots = max((len(parts[i].awards) for i in np.unique(award_rows).tolist()), default=0)
    award_level = np.full((slots, n), AWARD_NONE, dtype=np.int64)
    award_day = np.full((slots, n), NEVER, dtype=np.int64)
    for slot in range(slots):
        levels = [
            _AWARD[p.awards[slot].level] if slot < len(p.awards) else AWARD_NONE for p in parts
        ]
        days = [
            p.awards[slot].awarded_on.toordinal() if slot < len(p.awards) else NEVER for p in parts
        ]
        award_level[slot] = gather("awards", levels, np.int64)
        award_day[slot] = gather("awards", days, np.int64)
    return Columns(
        ids=ids,
        names=names,
        hired=np.asarray(hired, dtype=np.int64),
        left=np.asarray(left, dtype=np.int64),
        grade_given=gather("grade", [p.grade or 0 for p in parts], np.int64),
        education=gather(
            "education",
            [EDUCATION_NONE if p.education is None else _EDUCATION[p.education] for p in parts],
            np.int64,
        ),
        in_establishment=gather("in_establishment", [p.in_establishment for p in parts], np.bool_),
        qualified=qualified,
        award_level=award_level,
        award_day=award_day,
        year0=year0,
        results=results,
        coded=coded,
        worker_of=worker_of,
    )


def concat(first: Columns, second: Columns) -> Columns:
    """``first``'s rows, then ``second``'s (code tables merged)."""
    coded: dict[str, tuple[npt.NDArray[np.int32], list[Any]]] = {}
    for name in {**first.coded, **second.coded}:
        # Only values some row holds: a rule looks up every value of the table, and a
        # None no row holds (a tax profile, say) would be looked up too.
        table = ValueTable()
        parts = []
        for part in (first, second):
            if name in part.coded:
                codes, values = part.coded[name]
                remap = np.array([table.code(v) for v in values], dtype=np.int32)
                parts.append(remap[codes])
            elif len(part):
                parts.append(np.full(len(part), table.code(None), dtype=np.int32))
            else:
                parts.append(np.zeros(0, dtype=np.int32))
        coded[name] = (np.concatenate(parts), table.values)
    year0 = min(first.year0, second.year0)
    end = max(first.year0 + first.results.shape[0], second.year0 + second.results.shape[0])
    results = np.full((end - year0, len(first) + len(second)), RESULT_NONE, dtype=np.int8)
    for part, offset in ((first, 0), (second, len(first))):
        start = part.year0 - year0
        results[start : start + part.results.shape[0], offset : offset + len(part)] = part.results
    slots = max(first.award_level.shape[0], second.award_level.shape[0])

    def padded(array: I64, fill: int) -> I64:
        extra = slots - array.shape[0]
        if not extra:
            return array
        return np.concatenate([array, np.full((extra, array.shape[1]), fill, array.dtype)])

    sources = (first.worker_of, second.worker_of)
    split = len(first)

    return Columns(
        ids=np.concatenate([_objects(first.ids), _objects(second.ids)]),
        names=np.concatenate([_objects(first.names), _objects(second.names)]),
        hired=np.concatenate([first.hired, second.hired]),
        left=np.concatenate([first.left, second.left]),
        grade_given=np.concatenate([first.grade_given, second.grade_given]),
        education=np.concatenate([first.education, second.education]),
        in_establishment=np.concatenate([first.in_establishment, second.in_establishment]),
        qualified=np.concatenate([first.qualified, second.qualified], axis=2),
        award_level=np.concatenate(
            [padded(first.award_level, AWARD_NONE), padded(second.award_level, AWARD_NONE)], 1
        ),
        award_day=np.concatenate([padded(first.award_day, NEVER), padded(second.award_day, NEVER)], 1),
        year0=year0,
        results=results,
        coded=coded,
        worker_of=(
            _Joined(sources[0], sources[1], split)
            if sources[0] is not None and sources[1] is not None
            else None
        ),
    )
