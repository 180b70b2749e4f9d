"""Reading a roster straight into cohort columns, each distinct cell checked once.

:func:`read_cohorts` gives what the row reader (:func:`paycalc.io.roster.parse_table`) and its fold
by pay profile (:func:`paycalc.io.profiles.fold_rows`) give — the same cohorts in the same
order, the same counts, the same row errors (row numbers, columns, messages) and the same
file problems — without a :class:`~paycalc.worker.Worker` per row:

1. The cells are read into columns of integer codes into each column's distinct values:
   by pyarrow (:mod:`paycalc.io.arrow`, the ``arrow`` extra, both cores) for a CSV file it
   can read exactly as the row reader does, else by the row reader's own reader
   (:func:`paycalc.io.tables.open_table`: any CSV, XLSX). JSONL, whose rows carry their
   own keys, goes through the row reader whole.
2. The columns that make one value are checked together (a certificate's level and
   date, an award's parts, the tax declarations, an ID number and its type), once per
   distinct combination of cells: the row reader's own cell parsing (``_RowBuilder``) and
   the ``Worker`` model validate that value on a placeholder worker. Checks that span
   columns (leaving after hiring, appraisals within the years employed) run on the codes.
3. A row any check fails — or with a cell the checks do not cover (JSON columns), a
   duplicated or blank id, a cell the reader could not read, columns in conflict — goes
   through the row reader whole (:meth:`paycalc.io.roster.RowChecks.record`), which gives
   its errors (or its worker); rows alike but for id and name share one such reading.
4. Valid rows fold into cohorts with numpy (a key per row from the profile columns'
   text codes, the hire key, the leaving date and the ``by`` value), and the cohorts'
   columns are filled from the checked values (:func:`paycalc.columns.from_parts`). A
   cohort's ``Worker`` is built only when asked (to explain a refused row).

Needs numpy (imported with this module, never by ``import paycalc``).
"""

from __future__ import annotations

import functools
import importlib.util
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt
from pydantic import ValidationError

from paycalc import limits
from paycalc.columns import Columns, from_parts, from_workers
from paycalc.errors import Problem
from paycalc.io.cells import Cell, text_of
from paycalc.io.columns import ColumnSpec
from paycalc.io.profiles import GROUP_SEPARATOR, by_columns, fold_rows, hire_key, profile_columns
from paycalc.io.roster import (
    REQUIRED_FIELDS,
    RowChecks,
    RowError,
    _RowBuilder,
    _year_key,
    duplicate_error,
    parse_table,
    row_checks,
)
from paycalc.io.tables import (
    CellError,
    RosterInput,
    Table,
    _read_input,
    closing_problems,
    open_table,
    read_table,
)
from paycalc.ops import NEVER
from paycalc.period import EARLIEST_DATE, Month
from paycalc.scheme.registry import SchemeRegistry
from paycalc.worker import Worker

__all__ = [
    "READERS",
    "CodedColumn",
    "CodedTable",
    "LoadedRoster",
    "WideCells",
    "pyarrow_available",
    "read_cohorts",
]

I32 = npt.NDArray[np.int32]
I64 = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]

#: ``reader=`` choices: ``auto`` is pyarrow for CSV when installed, else ``rows``.
READERS = ("auto", "pyarrow", "rows")


@dataclass(slots=True)
class LoadedRoster:
    """A roster as cohort columns (one row per cohort), with the row reader's balance."""

    columns: Columns
    counts: I64
    groups: I32
    group_names: list[str]
    rows_in: int
    errors: list[RowError]
    file_problems: list[Problem]
    #: what read the cells: ``pyarrow``, ``rows`` (the row reader's reader) or ``records``
    #: (JSONL: the row reader whole)
    reader: str = ""

    @property
    def workers(self) -> int:
        return int(self.counts.sum())

    @property
    def cohorts(self) -> int:
        return len(self.counts)


# --- cells as codes ----------------------------------------------------------------------


class WideCells(Protocol):
    """A column kept whole (ids, names: nearly one distinct value per row)."""

    def cells(self, rows: I64) -> list[Cell]: ...

    def texts(self, rows: I64) -> list[str]:
        """The cells at ``rows`` trimmed (``text_of``)."""
        ...

    def encode(self) -> tuple[I32, list[Cell]]: ...

    def distinct_unpadded(self) -> bool:
        """True when no two cells are equal and none is blank or has spaces around it."""
        ...


class CodedColumn:
    """One column's cells: a code per row into the distinct values, or kept whole."""

    __slots__ = ("_codes", "_values", "wide")

    def __init__(
        self,
        codes: I32 | None = None,
        values: list[Cell] | None = None,
        wide: WideCells | None = None,
    ) -> None:
        self._codes = codes
        self._values = values
        self.wide = wide

    def _encoded(self) -> tuple[I32, list[Cell]]:
        if self._codes is None or self._values is None:
            assert self.wide is not None
            self._codes, self._values = self.wide.encode()
        return self._codes, self._values

    @property
    def codes(self) -> I32:
        return self._encoded()[0]

    @property
    def values(self) -> list[Cell]:
        return self._encoded()[1]

    def cells(self, rows: I64) -> list[Cell]:
        if self._codes is None and self.wide is not None:
            return self.wide.cells(rows)
        codes, values = self._encoded()
        return [values[code] for code in codes[rows].tolist()]

    def texts(self, rows: I64) -> list[str]:
        """The cells at ``rows`` as the row reader's worker ids (``text_of``; not JSON)."""
        if self._codes is None and self.wide is not None:
            return self.wide.texts(rows)
        codes, values = self._encoded()
        table = [_worker_id(value) for value in values]
        return [table[code] for code in codes[rows].tolist()]


@dataclass(slots=True)
class CodedTable:
    """A roster's data rows as coded columns, with what its reader found."""

    source: str
    headers: list[str]
    written: dict[str, str]
    problems: list[Problem]
    numbers: I64  # row numbers as the row reader numbers them
    columns: list[CodedColumn]
    #: cells the reader could not read, by row number (see ``Table.row_errors``)
    read_errors: dict[int, list[CellError]] = field(default_factory=dict)
    refused: bool = False
    reader: str = ""


def _cell_key(value: Cell) -> Hashable:
    """Cells that are the same input share a key (``1`` and ``"1"`` and ``1.0`` do not)."""
    if value is None or value.__class__ is str:
        return value
    return (type(value).__name__, repr(value))


def _read_rows(data: bytes, fmt: str, source: str) -> CodedTable:
    """Coded columns read by the row reader's own reader (any CSV, XLSX)."""
    stream = open_table(data, format=fmt, name=source)
    width = len(stream.headers)
    tables: list[dict[Hashable, int]] = [{} for _ in range(width)]
    values: list[list[Cell]] = [[] for _ in range(width)]
    codes: list[list[int]] = [[] for _ in range(width)]
    numbers: list[int] = []
    for number, cells in stream.rows:
        numbers.append(number)
        for table, distinct, column, value in zip(tables, values, codes, cells, strict=True):
            key = _cell_key(value)
            code = table.get(key)
            if code is None:
                code = table[key] = len(distinct)
                distinct.append(value)
            column.append(code)
    if stream.refused:  # none of its rows may be paid
        numbers, codes = [], [[] for _ in range(width)]
        stream.row_errors = {}
    problems = stream.problems + closing_problems(stream, len(numbers))
    return CodedTable(
        stream.source,
        stream.headers,
        stream.written,
        problems,
        np.array(numbers, dtype=np.int64),
        [
            CodedColumn(np.array(column, dtype=np.int32), distinct)
            for column, distinct in zip(codes, values, strict=True)
        ],
        stream.row_errors,
        stream.refused,
        "rows",
    )


# --- the checks of distinct values ---------------------------------------------------------

#: the worker a probe's value is validated on (a hire date no date comes before, so every
#: appraisal year and leaving date is within its employment)
_PLACEHOLDER: dict[str, Any] = {"id": "probe", "post": "probe", "hired_on": EARLIEST_DATE}

#: Columns field name (see :func:`paycalc.columns.from_parts`) of each worker field column
_FIELDS = {
    "post": "post",
    "scheme": "family",
    "contribution_base": "contribution_base",
    "grade": "grade",
    "education": "education",
    "in_establishment": "in_establishment",
    "hired_on": "hired",
    "left_on": "left",
}
#: identity columns checked together (an ID number by its type); others are checked alone
_IDENTITY_GROUPS = {"id_type": "id", "id_number": "id", "bank_account": "bank_account",
                    "phone": "phone"}  # fmt: skip


@dataclass(slots=True)
class _Group:
    """Columns that make one value, checked once per distinct combination of cells."""

    name: str
    positions: list[int]
    fields: list[str]  # the Columns fields its probes give
    drop: str = ""  # the placeholder's key the group gives itself
    combo: I64 = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    probes: list[Worker | None] = field(default_factory=list)


def _groups(specs: Sequence[ColumnSpec | None]) -> list[_Group]:
    groups: dict[str, _Group] = {}

    def add(name: str, position: int, fields: list[str], drop: str = "") -> None:
        groups.setdefault(name, _Group(name, [], fields, drop)).positions.append(position)

    for position, spec in enumerate(specs):
        if spec is None:
            continue
        if spec.kind == "field" and spec.key in _FIELDS:
            add(f"field:{spec.key}", position, [_FIELDS[spec.key]],
                spec.key if spec.key in _PLACEHOLDER else "")  # fmt: skip
        elif spec.kind == "appraisal":  # 考核2023 and 考核２０２３ give one year: together
            year = _year_key(spec.key)
            add(f"appraisal:{year}", position, [f"appraisal:{int(year)}"])
        elif spec.kind == "qualification":
            add(f"qualification:{spec.key}", position, [f"qualification:{spec.key}"])
        elif spec.kind == "award":
            add("award", position, ["awards"])
        elif spec.kind == "input":
            add(f"input:{spec.key}", position, [f"input:{spec.key}"])
        elif spec.kind == "tax":
            add("tax", position, ["tax"])
        elif spec.kind == "identity" and spec.key in _IDENTITY_GROUPS:
            add(f"identity:{_IDENTITY_GROUPS[spec.key]}", position, [])
    return list(groups.values())


def _probe(group: _Group, cells: Sequence[Cell], checks: RowChecks, headers: list[str],
           specs: Sequence[ColumnSpec | None]) -> Worker | None:  # fmt: skip
    """The group's cells read by the row reader onto the placeholder: the worker, or None."""
    builder = _RowBuilder(checks.source, 0, checks.input_types)
    for position, value in zip(group.positions, cells, strict=True):
        spec = specs[position]
        assert spec is not None
        builder.cell(spec, headers[position], value)
    builder.finish()
    if builder.errors:
        return None
    if not builder.data and not group.drop:  # nothing for the worker (identity, blanks)
        return _placeholder()
    data = dict(_PLACEHOLDER)
    data.pop(group.drop, None)
    data.update(builder.data)
    try:
        return Worker.model_validate(data, context={"today": None})
    except ValidationError:
        return None


@functools.cache
def _placeholder() -> Worker:
    return Worker.model_validate(_PLACEHOLDER, context={"today": None})


def _combos(codes: list[I32], sizes: list[int], n: int) -> tuple[I64, list[list[int]]]:
    """A number per row for each combination of codes, and each used number's codes."""
    if len(codes) == 1:
        combo = codes[0].astype(np.int64)
        used = np.bincount(combo, minlength=sizes[0]) > 0
        return combo, [[code] if used[code] else [] for code in range(sizes[0])]
    total = 1
    for size in sizes:
        total *= max(size, 1)
    if total <= max(4 * n, 1 << 16):
        combo = np.zeros(n, dtype=np.int64)
        for column, size in zip(codes, sizes, strict=True):
            combo = combo * size + column
        used_set = set(np.flatnonzero(np.bincount(combo, minlength=total)).tolist())
        parts: list[list[int]] = []
        for number in range(total):
            if number not in used_set:
                parts.append([])
                continue
            found = []
            for size in reversed(sizes):
                number, code = divmod(number, size)
                found.append(code)
            parts.append(found[::-1])
        return combo, parts
    stacked = np.stack([column.astype(np.int64) for column in codes], axis=1)
    distinct, first, inverse = np.unique(stacked, axis=0, return_index=True, return_inverse=True)
    del first
    return inverse.reshape(-1).astype(np.int64), distinct.tolist()


# --- folding -----------------------------------------------------------------------------


def _first_appearance(keys: npt.NDArray[Any]) -> tuple[I64, I64]:
    """Group ids numbered in order of first appearance, and each group's first position."""
    if not len(keys):
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    if pyarrow_available():  # a hash table, in order of first appearance: no sort
        from paycalc.io.arrow import first_appearance

        return first_appearance(keys)
    _, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
    order = np.argsort(first, kind="stable")
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    return rank[inverse.reshape(-1)], first[order]


def _combine(columns: Sequence[npt.NDArray[Any]], n: int) -> tuple[I64, I64]:
    """Rows equal in every column share a group; groups in order of first appearance."""
    key = np.zeros(n, dtype=np.int64)
    span = 1
    for column in columns:
        values = np.asarray(column)
        high = int(values.max()) if n else 0
        if n and (int(values.min()) < 0 or high >= 1 << 30):
            values = np.unique(values, return_inverse=True)[1].reshape(-1)
            high = int(values.max())
        size = high + 1
        if span * size >= 1 << 62:
            key = np.unique(key, return_inverse=True)[1].reshape(-1).astype(np.int64)
            span = int(key.max()) + 1
        key *= size  # in place: no copy of a column per key part
        key += values
        span *= size
    return _first_appearance(key)


def _texts(column: CodedColumn) -> tuple[npt.NDArray[Any], list[str]]:
    """Each row's cell as text (``text_of``: trimmed) coded, and the distinct texts."""
    index: dict[str, int] = {}
    remap = np.array(
        [index.setdefault(text_of(value), len(index)) for value in column.values] or [0],
        dtype=np.int64,
    )
    if len(index) == len(column.values):  # one text per value: the codes are the texts'
        return column.codes, list(index)
    return remap[column.codes], list(index)


def _group_texts(by: Sequence[CodedColumn], n: int) -> tuple[npt.NDArray[Any], list[str]]:
    """Each row's group (its ``by`` cells as text, joined by :data:`GROUP_SEPARATOR`) coded,
    and the distinct groups: rows whose joined texts are equal share a group, as in the
    row reader's fold."""
    if len(by) == 1:
        return _texts(by[0])
    texts = [_texts(column) for column in by]
    combo, firsts = _combine([codes for codes, _ in texts], n)
    index: dict[str, int] = {}
    remap = np.array(
        [
            index.setdefault(
                GROUP_SEPARATOR.join(names[int(codes[first])] for codes, names in texts),
                len(index),
            )
            for first in firsts.tolist()
        ]
        or [0],
        dtype=np.int64,
    )
    return remap[combo], list(index)


def _blank(column: CodedColumn) -> Bools:
    table = np.array([not text_of(value) for value in column.values] or [True], dtype=np.bool_)
    return table[column.codes]


def _worker_id(value: Cell) -> str:
    return "" if isinstance(value, list | dict) else text_of(value)


def _empty_columns() -> Columns:
    return from_workers([])


def _empty(source_problems: list[Problem], reader: str) -> LoadedRoster:
    return LoadedRoster(
        _empty_columns(),
        np.zeros(0, dtype=np.int64),
        np.zeros(0, dtype=np.int32),
        [],
        0,
        [],
        source_problems,
        reader,
    )


def _fold(coded: CodedTable, start: Month, schemes: SchemeRegistry | None,
          by: str | Sequence[str] | None) -> LoadedRoster:  # fmt: skip
    """Check and fold coded rows (see the module docstring)."""
    if coded.refused:
        return _empty(coded.problems, coded.reader)
    table = Table(coded.source, coded.headers, written=coded.written)
    checks = row_checks(table, schemes)
    problems = coded.problems + list(checks.problems)
    headers = coded.headers
    specs = [checks.specs.get(header) for header in headers]
    by_at = by_columns(headers, specs, by) if headers else []
    numbers = coded.numbers
    n = len(numbers)
    if not n:
        return _empty(problems, coded.reader)
    columns = coded.columns
    field_at: dict[str, list[int]] = {}
    for position, spec in enumerate(specs):
        if spec is not None and spec.kind == "field":
            field_at.setdefault(spec.key, []).append(position)
    id_at = field_at["id"][0] if "id" in field_at else None
    name_at = field_at["name"][0] if "name" in field_at else None
    every_row = bool(checks.conflicts) or any(f not in field_at for f in REQUIRED_FIELDS)

    # rows the row reader reads whole
    slow = np.full(n, every_row, dtype=np.bool_)
    alone = np.zeros(n, dtype=np.bool_)
    if coded.read_errors:
        alone = np.isin(numbers, np.array(list(coded.read_errors), dtype=np.int64))
    for position, spec in enumerate(specs):
        if spec is not None and spec.kind == "json":
            slow |= ~_blank(columns[position])

    # worker ids: blank ones fail; a duplicated one fails on every row it is on
    duplicated = np.zeros(n, dtype=np.bool_)
    id_keys: npt.NDArray[Any] | None = None
    if id_at is not None:
        id_column = columns[id_at]
        if id_column.wide is None or not id_column.wide.distinct_unpadded():
            id_keys, id_texts = _texts(id_column)
            blank_code = id_texts.index("") if "" in id_texts else -1
            id_blank = id_keys == blank_code
            slow |= id_blank
            counts = np.bincount(id_keys, minlength=len(id_texts))
            duplicated = (counts[id_keys] > 1) & ~id_blank

    # each group of columns checked once per distinct combination of its cells
    groups = [] if every_row else _groups(specs)
    hired_days = np.zeros(n, dtype=np.int64)
    left_days = np.full(n, NEVER, dtype=np.int64)
    hired_year = np.zeros(n, dtype=np.int64)
    left_year = np.full(n, 9999, dtype=np.int64)
    hire_codes: dict[Hashable, int] = {}
    hire_code = np.zeros(n, dtype=np.int64)
    for group in groups:
        group_codes = [columns[p].codes for p in group.positions]
        group_values = [columns[p].values for p in group.positions]
        group.combo, used = _combos(group_codes, [len(v) for v in group_values], n)
        group.probes = [
            _probe(group, [group_values[k][code] for k, code in enumerate(part)],
                   checks, headers, specs) if part else None
            for part in used
        ]  # fmt: skip
        passed = np.array([p is not None for p in group.probes] or [False], dtype=np.bool_)
        slow |= ~passed[group.combo]
        # dates: worked out per distinct cell, then looked up per row
        if group.fields == ["hired"]:
            hired_on = [p.hired_on if p is not None else None for p in group.probes]
            hired_days = _per_row([d.toordinal() if d else 0 for d in hired_on], group.combo)
            hired_year = _per_row([d.year if d else 0 for d in hired_on], group.combo)
            hire_code = _per_row(
                [hire_codes.setdefault(hire_key(d, start), len(hire_codes)) if d else -1
                 for d in hired_on],
                group.combo,
            )  # fmt: skip
        elif group.fields == ["left"]:
            left_on = [p.left_on if p is not None else None for p in group.probes]
            left_days = _per_row([d.toordinal() if d else NEVER for d in left_on], group.combo)
            left_year = _per_row([d.year if d else 9999 for d in left_on], group.combo)
    # checks across columns: leaving after hiring, appraisals within the years employed
    if groups:
        slow |= left_days < hired_days
        for group in groups:
            if group.name.startswith("appraisal:"):
                year = int(group.fields[0].split(":")[1])
                filled = np.array(
                    [p is not None and bool(p.appraisals) for p in group.probes] or [False],
                    dtype=np.bool_,
                )[group.combo]
                slow |= filled & ((hired_year > year) | (left_year < year))

    # the rows read whole: their errors, or (rarely) a worker after all
    read = np.flatnonzero(slow | alone | duplicated)
    invalid = np.zeros(n, dtype=np.bool_)
    found_errors: list[tuple[int, list[RowError]]] = []
    templates: dict[int, Worker] = {}  # row -> a worker like the row's (valid rows read)
    if len(read):
        cells_of = [column.cells(read) for column in columns]
        key_columns = [
            (columns[j].codes[read].tolist() if columns[j].wide is None else cells_of[j])
            for j in range(len(columns))
            if j not in (id_at, name_at)
        ]
        id_header = checks.id_header
        rows_by_id: dict[int, list[int]] = {}
        if id_keys is not None and duplicated.any():
            for row in np.flatnonzero(duplicated).tolist():
                rows_by_id.setdefault(int(id_keys[row]), []).append(int(numbers[row]))
        cache: dict[Hashable, tuple[list[CellError], Worker | None]] = {}
        for i, row in enumerate(read.tolist()):
            cells = {header: cells_of[j][i] for j, header in enumerate(headers)}
            number = int(numbers[row])
            worker_id = _worker_id(cells[headers[id_at]]) if id_at is not None else ""
            if alone[row]:
                record = checks.record(number, cells, coded.read_errors.get(number, []))
                own = list(record.errors)
                worker = record.worker
            else:
                key = (tuple(column[i] for column in key_columns), not worker_id)
                hit = cache.get(key)
                if hit is None:
                    record = checks.record(number, cells)
                    hit = cache[key] = ([(e.field, e.reason) for e in record.errors], record.worker)
                own = [RowError(coded.source, number, worker_id, c, r) for c, r in hit[0]]
                worker = hit[1]
            if duplicated[row]:
                assert id_keys is not None
                same = rows_by_id[int(id_keys[row])]
                own = [duplicate_error(coded.source, number, worker_id, id_header, same), *own]
            if own or worker is None:
                invalid[row] = True
                found_errors.append((row, own))
            else:
                templates[row] = worker
                hired_days[row] = worker.hired_on.toordinal()
                left_days[row] = NEVER if worker.left_on is None else worker.left_on.toordinal()
                hired_key = hire_key(worker.hired_on, start)
                hire_code[row] = hire_codes.setdefault(hired_key, len(hire_codes))
    found_errors.sort(key=lambda item: item[0])
    errors = [error for _, found in found_errors for error in found]

    # cohorts of the valid rows, in order of first appearance
    every = not invalid.any()
    valid = np.flatnonzero(~invalid)

    def of_valid(values: npt.NDArray[Any]) -> npt.NDArray[Any]:
        return values if every else values[valid]

    key_parts = [of_valid(_texts(columns[p])[0]) for p in profile_columns(specs)]
    key_parts += [of_valid(hire_code), of_valid(left_days)]
    by_texts: list[str] = []
    if by_at:
        by_codes, by_texts = _group_texts([columns[p] for p in by_at], n)
        key_parts.append(of_valid(by_codes))
    cohort_of, firsts = _combine(key_parts, len(valid))
    first_rows = valid[firsts]
    counts = np.bincount(cohort_of, minlength=len(first_rows)).astype(np.int64)

    # the cohorts' columns, from the checked values (parts) of their first rows
    placeholder = _placeholder()
    parts: list[Worker] = [placeholder]
    offsets: dict[str, int] = {}
    for group in groups:
        offsets[group.name] = len(parts)
        parts += [probe or placeholder for probe in group.probes]
    read_first = np.array([row in templates for row in first_rows.tolist()], dtype=np.bool_)
    own_part = np.zeros(len(first_rows), dtype=np.intp)
    for index in np.flatnonzero(read_first).tolist():
        own_part[index] = len(parts)
        parts.append(templates[int(first_rows[index])])
    sources: dict[str, npt.NDArray[np.intp]] = {}
    for group in groups:
        from_probe = offsets[group.name] + group.combo[first_rows]
        for name in group.fields:
            if name not in ("hired", "left"):  # given as days
                sources[name] = np.where(read_first, own_part, from_probe).astype(np.intp)
    ids = columns[id_at].texts(first_rows) if id_at is not None else []
    names = columns[name_at].texts(first_rows) if name_at is not None else [""] * len(first_rows)
    cache_workers: dict[int, Worker] = {}

    def worker_of(index: int) -> Worker:
        found = cache_workers.get(index)
        if found is None:
            row = first_rows[index : index + 1]
            cells = {h: columns[j].cells(row)[0] for j, h in enumerate(headers)}
            record = checks.record(int(numbers[row[0]]), cells)
            assert record.worker is not None, record.errors
            found = cache_workers[index] = record.worker
        return found

    result = from_parts(
        parts,
        sources,
        own_part,
        ids=ids,
        names=names,
        hired=hired_days[first_rows],
        left=left_days[first_rows],
        worker_of=worker_of,
    )
    if by_at:
        by_cohort = by_codes[first_rows]
        group_of, group_firsts = _first_appearance(by_cohort)
        group_names = [by_texts[int(code)] for code in by_cohort[group_firsts].tolist()]
    else:
        group_of = np.zeros(len(first_rows), dtype=np.int64)
        group_names = [""] if len(first_rows) else []
    return LoadedRoster(
        result,
        counts,
        group_of.astype(np.int32),
        group_names,
        n,
        errors,
        problems,
        coded.reader,
    )


def _per_row(table: list[int], codes: I64) -> I64:
    """``table[code]`` for each row's code."""
    return np.array(table or [0], dtype=np.int64)[codes]


# --- JSONL: the row reader whole -------------------------------------------------------------


def _by_records(table: Table, start: Month, schemes: SchemeRegistry | None,
                by: str | Sequence[str] | None) -> LoadedRoster:  # fmt: skip
    roster = parse_table(table, schemes=schemes)
    specs = row_checks(table, schemes).specs if not table.refused else {}
    fold = fold_rows(table, roster, specs, start, by) if not table.refused else None
    if fold is None or not fold.firsts:
        loaded = _empty(list(roster.file_problems), "records")
        loaded.rows_in, loaded.errors = len(roster.records), roster.errors
        return loaded
    workers: list[Worker] = []
    for first in fold.firsts:
        worker = roster.records[first].worker
        assert worker is not None
        workers.append(worker)
    names: dict[str, int] = {}
    groups = [names.setdefault(group, len(names)) for group in fold.groups]
    return LoadedRoster(
        from_workers(workers),
        np.array(fold.counts, dtype=np.int64),
        np.array(groups, dtype=np.int32),
        list(names),
        len(roster.records),
        roster.errors,
        list(roster.file_problems),
        "records",
    )


# --- public ------------------------------------------------------------------------------


def pyarrow_available() -> bool:
    """Whether the ``arrow`` extra (pyarrow) is installed."""
    return importlib.util.find_spec("pyarrow") is not None


def read_cohorts(
    source: RosterInput,
    start: Month,
    *,
    schemes: SchemeRegistry | None = None,
    by: str | Sequence[str] | None = None,
    reader: str = "auto",
    format: str | None = None,
    name: str | None = None,
) -> LoadedRoster:
    """A roster file (CSV, XLSX, JSONL) as cohort columns for a forecast from ``start``.

    ``schemes`` types input columns as the row reader does; ``by`` names a column (or
    several) whose values group the cohorts, a group's name joining several columns' values
    with ``GROUP_SEPARATOR`` (raises ``ValueError`` for a name no column has). ``reader`` is
    ``auto`` (pyarrow for CSV when installed), ``pyarrow`` or ``rows`` (the row reader's
    own reader); every reader gives the same result. See the module docstring. A roster
    may hold up to :data:`~paycalc.limits.MAX_FORECAST_ROWS` rows here (no ``Worker`` is
    kept per row), where the row reader stops at :data:`~paycalc.limits.MAX_ROWS`.
    """
    if reader not in READERS:
        raise ValueError(f"reader must be one of {', '.join(READERS)}, not {reader!r}")
    with limits.forecast_bounds():
        return _read_cohorts(source, start, schemes, by, reader, format, name)


def _read_cohorts(
    source: RosterInput,
    start: Month,
    schemes: SchemeRegistry | None,
    by: str | Sequence[str] | None,
    reader: str,
    format: str | None,
    name: str | None,
) -> LoadedRoster:
    found = _read_input(source, format, name)
    if found.problem is not None:
        return _empty([found.problem], "")
    if found.format == "jsonl":
        return _by_records(read_table(found.data, format="jsonl", name=found.source), start,
                           schemes, by)  # fmt: skip
    coded: CodedTable | None = None
    if found.format == "csv" and reader != "rows" and pyarrow_available():
        from paycalc.io.arrow import read_csv_coded

        coded = read_csv_coded(found.data, found.source)
    if coded is None:
        coded = _read_rows(found.data, found.format, found.source)
    return _fold(coded, start, schemes, by)
