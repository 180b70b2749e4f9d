"""Loading a CSV roster for the forecast's fast path straight into columns.

:func:`load_csv_roster` gives the same cohorts, in the same order, with the same counts and
the same roster errors as :func:`paycalc.forecasting.cohorts.fold_roster_file` followed by
:func:`paycalc.forecasting.vectorised.cohort_columns`, without a :class:`Worker` per cohort:

1. The CSV streams in chunks of rows; each column becomes an ``int32`` code per row into
   that column's distinct raw cells (blank rows are dropped, as the row reader drops them).
2. Row-level checks on the codes: duplicate worker ids (every repeat after the first is an
   error), hire and leaving dates parsed once per distinct cell; rows whose dates cannot be
   read get the row reader's errors (those rows alone go through it).
3. The fold key (every read column's text but id, name and dates; the hire-date key of
   :func:`~paycalc.forecasting.cohorts.hire_key`; the leaving date; the ``by`` value)
   becomes one integer per row, and rows group into cohorts in order of first appearance.
4. A cohort is valid when its first row is, as in the fold. Each column (or group of
   columns that make one value: a certificate's level and date, an award's parts) is
   checked once per distinct value among the cohorts' first rows, by the row reader's own
   cell parsing and the ``Worker`` model validating that one value; ``left_on >= hired_on``
   is checked on the columns. A first row with a cell that fails, or with a cell in a
   column the checks do not cover (JSON columns, a field given by two columns), goes
   through the row reader and ``Worker`` whole, which gives the very same errors (or a
   worker, whose columns are then taken from it).
5. The columns of the valid cohorts are filled from the checked values. A cohort's
   ``Worker`` is built only when the itemised engine needs it (the fast path's fallback
   rows), from its first row's cells, exactly as the fold would have built it.
"""

from __future__ import annotations

import collections
import csv
import gc
import io
import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from pydantic import ValidationError

from paycalc.errors import Problem
from paycalc.fast.columns import (
    APPRAISALS,
    AWARD_LEVELS,
    EDUCATIONS,
    KINDS,
    LEVELS,
    NEVER,
    ValueTable,
    WorkerColumns,
    concat,
    from_workers,
)
from paycalc.forecasting.cohorts import _build, _by_column, _row_errors
from paycalc.forecasting.vectorised import CohortColumns
from paycalc.io.cells import parse_date
from paycalc.io.columns import ColumnSpec, classify_header
from paycalc.io.roster import RowError, _RowBuilder, _scheme_inputs, _validate
from paycalc.io.tables import csv_header, read_csv_text
from paycalc.period import Month
from paycalc.scheme.registry import SchemeRegistry
from paycalc.worker import Worker

__all__ = ["LoadedRoster", "load_csv_roster"]

I32 = npt.NDArray[np.int32]
I64 = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]

#: rows read before they are turned into column codes
CHUNK = 1 << 16


@dataclass(slots=True)
class LoadedRoster:
    """A CSV roster as cohort columns, with the fold's balance of rows and its errors."""

    state: CohortColumns
    rows_in: int
    workers: int
    cohorts: int
    errors: list[RowError]
    file_problems: list[Problem]


@dataclass(slots=True)
class _Cells:
    """The data rows: per column, a code per row into the column's distinct raw cells."""

    numbers: I64
    codes: list[I32]
    raw: list[list[str]]
    #: per column: the text (stripped) of each raw cell's code, and the text codes per row
    texts: list[list[str]]
    canon: list[I32]

    def row(self, index: int) -> list[Any]:
        return [raw[codes[index]] for raw, codes in zip(self.raw, self.codes, strict=True)]


class _Opened:
    """A CSV roster opened for reading: its header, and its rows still to read.

    Text without a double quote is split into lines and cells directly (as the ``csv``
    module would: no field can hold a line break or a comma then); any other text is read
    by the ``csv`` module, row by row.
    """

    def __init__(self, path: str | Path) -> None:
        self.source = str(path)
        text, self.encoding, self.problems = read_csv_text(path)
        self.headers: list[str] = []
        self.lines: list[str] | None = None
        self.first = 0  # index of the first data line
        self.reader: Any = None
        if text is None:
            return
        if '"' not in text:
            breaks = text.count("\n")
            if "\r" not in text:
                lines = text.split("\n")
            elif text.count("\r") == breaks == text.count("\r\n"):
                lines = text.split("\r\n")
            else:
                text = text.replace("\r\n", "\n").replace("\r", "\n")
                lines = text.split("\n")
            if max(map(len, lines)) <= csv.field_size_limit():
                del text
                self.lines = lines
                position = 0
                while position < len(lines) and not lines[position].replace(",", "").strip():
                    position += 1
                rows = iter([lines[position].split(",")] if position < len(lines) else [])
                self.headers = csv_header(rows, self.source, self.problems)
                self.first = position + 1
                return
            text = "\n".join(lines)
            del lines
        self.reader = csv.reader(io.StringIO(text, newline=""))
        self.headers = csv_header(self.reader, self.source, self.problems)
        if not self.headers:
            self.reader = None


def _read(opened: _Opened) -> _Cells:
    width = len(opened.headers)
    tables: list[collections.defaultdict[str, int]] = [
        collections.defaultdict(itertools.count().__next__) for _ in range(width)
    ]
    chunks: list[list[I32]] = [[] for _ in range(width)]
    number_chunks: list[I64] = []

    def add(rows: list[list[str]], numbers: I64) -> None:
        if set(map(len, rows)) != {width}:
            for i, cells in enumerate(rows):
                if len(cells) != width:
                    if not "".join(cells).strip():
                        rows[i] = [""] * width  # a blank row: dropped below
                    else:
                        rows[i] = cells[:width] + [""] * (width - len(cells))
        add_columns(list(zip(*rows, strict=True)), len(rows), numbers)

    def add_columns(columns: Sequence[Sequence[str]], count: int, numbers: I64) -> None:
        for k in range(width):
            chunks[k].append(np.fromiter(map(tables[k].__getitem__, columns[k]), np.int32, count))
        number_chunks.append(numbers)

    def add_lines(block: list[str], numbers: I64) -> None:
        # Every line with exactly width − 1 commas (the usual case): split the whole block at
        # once and take each column as a slice, far cheaper than a list per row.
        if set(map(str.count, block, itertools.repeat(","))) == {width - 1}:
            flat = ",".join(block).split(",")
            add_columns([flat[k::width] for k in range(width)], len(block), numbers)
        else:
            add(list(map(str.split, block, itertools.repeat(","))), numbers)

    collecting = gc.isenabled()
    gc.disable()  # millions of small lists and strings, none of them cyclic
    try:
        if opened.lines is not None and width:
            lines = opened.lines
            for at in range(opened.first, len(lines), CHUNK):
                block = lines[at : at + CHUNK]
                add_lines(block, np.arange(at + 1, at + 1 + len(block), dtype=np.int64))
            opened.lines = None
            del lines
        elif opened.reader is not None:
            reader = opened.reader
            rows: list[list[str]] = []
            numbers: list[int] = []
            add_row, add_number = rows.append, numbers.append
            try:
                for cells in reader:
                    add_row(cells)
                    add_number(reader.line_num)
                    if len(rows) == CHUNK:
                        add(rows, np.array(numbers, dtype=np.int64))
                        rows, numbers = [], []
                        add_row, add_number = rows.append, numbers.append
            except csv.Error as error:
                opened.problems.append(
                    Problem(opened.source, f"row {reader.line_num}", f"bad CSV: {error}")
                )
            if rows:
                add(rows, np.array(numbers, dtype=np.int64))
    finally:
        if collecting:
            gc.enable()
    raw = [list(table) for table in tables]
    tables.clear()
    codes = [np.concatenate(parts) if parts else np.zeros(0, dtype=np.int32) for parts in chunks]
    row_numbers = np.concatenate(number_chunks) if number_chunks else np.zeros(0, np.int64)
    blank = np.ones(len(row_numbers), dtype=np.bool_)
    texts: list[list[str]] = []
    canon: list[I32] = []
    for values, column in zip(raw, codes, strict=True):
        stripped = list(map(str.strip, values))
        if stripped == values:  # no cell with spaces around it: the codes are the texts'
            texts.append(values)
            canon.append(column)
            blank &= np.array([not v for v in values] + [True], dtype=np.bool_)[column]
            continue
        index: dict[str, int] = {}
        remap = np.array([index.setdefault(v, len(index)) for v in stripped] + [0], dtype=np.int32)
        texts.append(list(index))
        canon.append(remap[column])
        blank &= np.array([not v for v in stripped] + [True], dtype=np.bool_)[column]
    if blank.any():
        keep = ~blank
        codes = [column[keep] for column in codes]
        canon = [column[keep] for column in canon]
        row_numbers = row_numbers[keep]
    return _Cells(row_numbers, codes, raw, texts, canon)


def _first_appearance(keys: I64) -> tuple[I64, I64]:
    """Group ids numbered in order of first appearance, and each group's first position."""
    if not len(keys):
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
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
        values = np.asarray(column, dtype=np.int64)
        if n and (values.min() < 0 or values.max() >= 1 << 30):
            values = np.unique(values, return_inverse=True)[1].reshape(-1)
        size = int(values.max()) + 1 if n else 1
        if span * size >= 1 << 62:
            key = np.unique(key, return_inverse=True)[1].reshape(-1).astype(np.int64)
            span = int(key.max()) + 1
        key = key * size + values
        span *= size
    return _first_appearance(key)


def _table(per_combo: list[Any], combo: I64) -> tuple[I32, list[Any]]:
    """Codes per row into a table of the distinct values (first appearance among rows)."""
    table = ValueTable()
    if not len(combo):
        return np.zeros(0, dtype=np.int32), table.values
    used, first = np.unique(combo, return_index=True)
    remap = np.full(len(per_combo), -1, dtype=np.int32)
    for index in used[np.argsort(first, kind="stable")].tolist():
        remap[index] = table.code(per_combo[index])
    return remap[combo], table.values


_PROBE: dict[str, Any] = {"id": "probe", "post": "probe", "hired_on": date(2000, 1, 1)}


@dataclass(slots=True)
class _Check:
    """Columns checked together; per distinct combination of their texts, the probe worker."""

    kind: str  # "field", "appraisal", "input", "qualification", "award"
    key: str
    positions: list[int]
    combo: I64  # per checked row
    probes: list[Worker | None]  # per combination; None when it fails


def _probe(
    check_kind: str,
    key: str,
    positions: list[int],
    headers: list[str],
    specs: list[ColumnSpec | None],
    texts: Sequence[str],
    input_types: dict[str, str],
) -> Worker | None:
    builder = _RowBuilder("", 0, input_types)
    for position, text in zip(positions, texts, strict=True):
        spec = specs[position]
        assert spec is not None
        builder.cell(spec, headers[position], text)
    builder.finish()
    if builder.errors:
        return None
    data = dict(_PROBE)
    if check_kind == "field":
        data.pop(key, None)
    data.update(builder.data)
    try:
        return Worker.model_validate(data, context={"today": None})
    except ValidationError:
        return None


def _checks(
    headers: list[str], specs: list[ColumnSpec | None]
) -> tuple[list[tuple[str, str, list[int]]], list[int]]:
    """The column checks, and the columns left to the row reader (JSON, given twice)."""
    seen: collections.Counter[tuple[str, str, str]] = collections.Counter(
        (spec.kind, spec.key, spec.part)
        for spec in specs
        if spec is not None and spec.kind != "info"
    )
    appraisal_years = collections.Counter(
        spec.key for spec in specs if spec is not None and spec.kind == "appraisal"
    )
    json_appraisals = any(
        spec is not None and spec.kind == "json" and spec.key == "appraisals" for spec in specs
    )
    checks: dict[tuple[str, str], list[int]] = {}
    complex_columns: list[int] = []
    for position, spec in enumerate(specs):
        if spec is None or spec.kind == "info":
            continue
        if (
            spec.kind == "json"
            or seen[(spec.kind, spec.key, spec.part)] > 1
            or (spec.kind == "appraisal" and (appraisal_years[spec.key] > 1 or json_appraisals))
        ):
            complex_columns.append(position)
            continue
        if spec.kind == "field" and spec.key in ("id", "name", "hired_on", "left_on"):
            continue  # any text, or read for every row already
        checks.setdefault((spec.kind, spec.key), []).append(position)
    return [(kind, key, positions) for (kind, key), positions in checks.items()], complex_columns


def load_csv_roster(
    path: str | Path,
    start: Month,
    *,
    schemes: SchemeRegistry | None = None,
    by: str | None = None,
    scheme: str | None = None,
    derive: Callable[[Worker], Worker] | None = None,
    derived_families: Callable[[str | None], bool] | None = None,
) -> LoadedRoster:
    """Read a CSV roster into cohort columns; see the module's docstring.

    ``derive`` (with ``derived_families``, true for the families whose grades are derived)
    is the forecast's ``given_grades = "derive"``: applied to each roster worker.
    Raises ``ValueError`` when ``by`` names no column.
    """
    source = str(path)
    opened = _Opened(path)
    scheme_inputs, input_types = _scheme_inputs(schemes)
    headers = opened.headers
    specs: list[ColumnSpec | None] = [classify_header(h, scheme_inputs) for h in headers]
    index = {
        spec.key: position
        for position, spec in enumerate(specs)
        if spec is not None and spec.kind == "field"
    }
    id_at, hired_at, left_at = index.get("id"), index.get("hired_on"), index.get("left_on")
    by_at = _by_column(headers, specs, by)
    cells = _read(opened)
    n = len(cells.numbers)
    numbers = cells.numbers
    errors: list[tuple[int, list[RowError]]] = []

    def text(position: int | None, row: int) -> str:
        if position is None:
            return ""
        return cells.texts[position][int(cells.canon[position][row])]

    # duplicate worker ids: every row after the first with that id
    ids = cells.canon[id_at] if id_at is not None else np.zeros(n, dtype=np.int32)
    first_seen = np.zeros(n, dtype=np.bool_)
    first_seen[np.unique(ids, return_index=True)[1]] = True
    id_header = headers[id_at or 0] if headers else ""
    for row in np.flatnonzero(~first_seen).tolist():
        errors.append(
            (
                row,
                [
                    RowError(
                        source,
                        int(numbers[row]),
                        text(id_at, row),
                        id_header,
                        "duplicate worker id",
                    )
                ],
            )
        )

    # dates, parsed once per distinct text
    hired_days = np.zeros(n, dtype=np.int64)
    hired_ok = np.zeros(n, dtype=np.bool_)
    hire_keys = np.zeros(n, dtype=np.int64)
    hired_table: list[date | None] = []
    if hired_at is not None:
        hired_table = [_date(t) for t in cells.texts[hired_at]]
        codes = cells.canon[hired_at]
        days = np.array([d.toordinal() if d else 0 for d in hired_table] + [0], np.int64)
        hired_days = days[codes]
        hired_ok = hired_days > 0
        compact: dict[int, int] = {}
        keys = [
            compact.setdefault(_hire_key(d, start), len(compact)) if d else 0 for d in hired_table
        ]
        hire_keys = np.array([*keys, 0], dtype=np.int64)[codes]
    left_days = np.zeros(n, dtype=np.int64)  # 0: none; -1: not a date
    if left_at is not None:
        table = [
            0 if not t else (d.toordinal() if (d := _date(t)) else -1) for t in cells.texts[left_at]
        ]
        left_days = np.array([*table, 0], dtype=np.int64)[cells.canon[left_at]]
    bad_dates = first_seen & (~hired_ok | (left_days < 0))
    for row in np.flatnonzero(bad_dates).tolist():
        read = _row_errors(
            source, int(numbers[row]), text(id_at, row), headers, specs, cells.row(row), input_types
        )
        errors.append((row, read))

    # cohorts: rows equal in the fold's key, in order of first appearance
    good = np.flatnonzero(first_seen & ~bad_dates)
    apart = {id_at, index.get("name"), hired_at, left_at}
    profile_at = [i for i, spec in enumerate(specs) if spec is not None and i not in apart]
    key_columns: list[npt.NDArray[Any]] = [cells.canon[i][good] for i in profile_at]
    key_columns += [hire_keys[good]]
    if left_at is not None:  # the leaving date's text code (equal dates: one code)
        compact_left: dict[date | None, int] = {}
        left_codes = np.array(
            [
                compact_left.setdefault(_date(t) if t else None, len(compact_left))
                for t in cells.texts[left_at]
            ]
            + [0],
            dtype=np.int64,
        )
        key_columns.append(left_codes[cells.canon[left_at][good]])
    if by_at is not None:
        key_columns.append(cells.canon[by_at][good])
    group_of, firsts = _combine(key_columns, len(good))
    first_rows = good[firsts]
    cohorts = len(first_rows)

    # checks of the first rows, each column once per distinct value
    checks: list[_Check] = []
    check_specs, complex_columns = _checks(headers, specs)
    for kind, key, positions in check_specs:
        sizes = [len(cells.texts[p]) for p in positions]
        combos = int(np.prod(sizes, dtype=np.float64))
        if combos <= max(4 * cohorts, 1 << 16):
            # the combination of text codes, numbered directly; probe the ones in use
            combo = np.zeros(cohorts, dtype=np.int64)
            for position, size in zip(positions, sizes, strict=True):
                combo = combo * size + cells.canon[position][first_rows]
            used = np.flatnonzero(np.bincount(combo, minlength=combos)).tolist()
            probes: list[Worker | None] = [None] * combos
            for number in used:
                texts = _texts_of(number, positions, sizes, cells.texts)
                probes[number] = _probe(kind, key, positions, headers, specs, texts, input_types)
        else:
            combo, combo_first = _combine([cells.canon[p][first_rows] for p in positions], cohorts)
            probes = []
            for row in first_rows[combo_first].tolist():
                texts = [cells.texts[p][int(cells.canon[p][row])] for p in positions]
                probes.append(_probe(kind, key, positions, headers, specs, texts, input_types))
        checks.append(_Check(kind, key, positions, combo, probes))
    simple = np.ones(cohorts, dtype=np.bool_)
    for check in checks:
        ok = np.array([probe is not None for probe in check.probes] + [True], dtype=np.bool_)
        simple &= ok[check.combo]
    for position in complex_columns:
        blank = np.array([not t for t in cells.texts[position]] + [True], dtype=np.bool_)
        simple &= blank[cells.canon[position][first_rows]]
    if id_at is None or "post" not in index:
        simple[:] = False  # the Worker says which required column is missing
    elif "" in cells.texts[id_at]:
        simple &= ids[first_rows] != cells.texts[id_at].index("")  # a blank id
    left_first = left_days[first_rows]
    simple &= (left_first == 0) | (left_first >= hired_days[first_rows])
    # An appraisal must fall in a year of the employment (the Worker model's cross check):
    # a filled 考核YYYY cell outside the hire..leaving years goes to the row reader.
    hired_year = np.array(
        [date.fromordinal(int(d)).year if d > 0 else 0 for d in hired_days[first_rows].tolist()],
        dtype=np.int64,
    )
    left_year = np.array(
        [date.fromordinal(int(d)).year if d > 0 else 9999 for d in left_first.tolist()],
        dtype=np.int64,
    )
    for position, spec in enumerate(specs):
        if spec is not None and spec.kind == "appraisal" and spec.key.isdigit():
            filled = np.array([bool(t) for t in cells.texts[position]] + [False], dtype=np.bool_)
            year = int(spec.key)
            outside = (hired_year > year) | (left_year < year)
            simple &= ~(filled[cells.canon[position][first_rows]] & outside)

    # first rows the checks did not clear: the row reader and Worker, whole
    workers: dict[int, Worker] = {}
    invalid = np.zeros(cohorts, dtype=np.bool_)
    invalid_errors: dict[int, list[tuple[str, str]]] = {}
    for cohort in np.flatnonzero(~simple).tolist():
        row = int(first_rows[cohort])
        builder = _build(source, int(numbers[row]), headers, specs, cells.row(row), input_types)
        worker, problems = _validate(builder, None)
        problems = builder.errors + problems
        if worker is None or problems:
            invalid[cohort] = True
            invalid_errors[cohort] = problems
        else:
            workers[cohort] = derive(worker) if derive is not None else worker
    if invalid.any():
        for position in np.flatnonzero(invalid[group_of]).tolist():
            row = int(good[position])
            found_errors = invalid_errors[int(group_of[position])]
            worker_id = text(id_at, row)
            errors.append(
                (
                    row,
                    [RowError(source, int(numbers[row]), worker_id, c, r) for c, r in found_errors],
                )
            )
    errors.sort(key=lambda item: item[0])
    row_errors = [error for _, found in errors for error in found]

    # the valid cohorts
    valid = np.flatnonzero(~invalid)
    counts = np.bincount(group_of, minlength=cohorts).astype(np.int64)[valid]
    quick = np.flatnonzero(simple[valid])
    columns = _columns(
        cells,
        first_rows[valid[quick]],
        [_take(check, valid[quick]) for check in checks],
        hired_days,
        left_days,
        id_at,
        specs,
        scheme,
        derived_families,
    )
    whole = np.flatnonzero(~simple[valid])
    if len(whole):
        built = from_workers([workers[int(valid[i])] for i in whole.tolist()])
        if len(quick):
            order = np.empty(len(valid), dtype=np.intp)
            order[quick] = np.arange(len(quick))
            order[whole] = len(quick) + np.arange(len(whole))
            columns = concat(columns, built).take(order)
        else:
            columns = built
    group_names: dict[str, int] = {}
    if by_at is not None:
        by_texts = cells.texts[by_at]
        group_codes = [
            group_names.setdefault(by_texts[code], len(group_names))
            for code in cells.canon[by_at][first_rows[valid]].tolist()
        ]
    else:
        group_codes = [0] * len(valid) if len(valid) else []
        if len(valid):
            group_names[""] = 0
    handles: list[Any] = first_rows[valid].tolist()
    for i in whole.tolist():
        handles[i] = workers[int(valid[i])]

    cache: dict[int, Worker] = {}

    def worker_of(handle: Any) -> Worker:
        if isinstance(handle, Worker):
            return handle
        found = cache.get(handle)
        if found is None:
            builder = _build(
                source, int(numbers[handle]), headers, specs, cells.row(handle), input_types
            )
            worker, problems = _validate(builder, None)
            assert worker is not None and not problems and not builder.errors, problems
            found = cache[handle] = derive(worker) if derive is not None else worker
        return found

    state = CohortColumns(
        columns,
        counts,
        np.array(group_codes, dtype=np.int32),
        list(group_names),
        handles,
        worker_of,
    )
    return LoadedRoster(
        state,
        rows_in=n,
        workers=int(counts.sum()),
        cohorts=len(valid),
        errors=row_errors,
        file_problems=list(opened.problems),
    )


def _date(text: str) -> date | None:
    try:
        return parse_date(text)
    except ValueError:
        return None


def _texts_of(
    number: int, positions: list[int], sizes: list[int], texts: list[list[str]]
) -> list[str]:
    """The texts of a combination numbered as ``code1 * size2 + code2 ...``."""
    found = []
    for position, size in zip(reversed(positions), reversed(sizes), strict=True):
        number, code = divmod(number, size)
        found.append(texts[position][code])
    found.reverse()
    return found


def _hire_key(hired: date, start: Month) -> int:
    """:func:`~paycalc.forecasting.cohorts.hire_key` as an integer (dates: their ordinal)."""
    if Month.of(hired) < start and hired.year < start.year - 1:
        return -((hired.year * 13 + hired.month) * 2 + (hired.day == 1)) - 1
    return hired.toordinal()


def _take(check: _Check, rows: I64) -> _Check:
    return _Check(check.kind, check.key, check.positions, check.combo[rows], check.probes)


def _columns(
    cells: _Cells,
    rows: I64,
    checks: list[_Check],
    hired_days: I64,
    left_days: I64,
    id_at: int | None,
    specs: list[ColumnSpec | None],
    scheme: str | None,
    derived_families: Callable[[str | None], bool] | None,
) -> WorkerColumns:
    """Columns for the cohorts whose first rows are ``rows`` (all checks passed)."""
    n = len(rows)
    assert id_at is not None or not n
    ids: list[str] = []
    if id_at is not None:
        id_texts = cells.texts[id_at]
        ids = [id_texts[code] for code in cells.canon[id_at][rows].tolist()]
    post = np.zeros(n, dtype=np.int32)
    post_texts: list[Any] = []
    family = np.zeros(n, dtype=np.int32)
    families: list[Any] = [None]
    grade = np.zeros(n, dtype=np.int16)
    establishment = np.zeros(n, dtype=np.bool_)
    education = np.full(n, -1, dtype=np.int8)
    base = np.zeros(n, dtype=np.int32)
    bases: list[Any] = [None]
    years: dict[int, npt.NDArray[np.int8]] = {}
    first = np.full((len(KINDS), len(LEVELS), n), NEVER, dtype=np.int32)
    award_level = np.full((0, n), -1, dtype=np.int8)
    award_day = np.full((0, n), NEVER, dtype=np.int32)
    inputs: dict[str, tuple[I32, list[object]]] = {}
    appraisal_index = {a: i for i, a in enumerate(APPRAISALS)}
    education_index = {e: i for i, e in enumerate(EDUCATIONS)}
    kind_index = {k: i for i, k in enumerate(KINDS)}
    level_index = {lv: i for i, lv in enumerate(LEVELS)}
    award_index = {a: i for i, a in enumerate(AWARD_LEVELS)}

    def lookup(check: _Check, value: Callable[[Worker], int], dtype: Any) -> npt.NDArray[Any]:
        per_combo = [value(p) if p is not None else 0 for p in check.probes]
        return np.array(per_combo or [0], dtype=dtype)[check.combo]

    for check in checks:
        probes = check.probes
        if check.kind == "field":
            if check.key == "post":
                post, post_texts = _table([p.post if p else "" for p in probes], check.combo)
            elif check.key == "scheme":
                family, families = _table([p.scheme if p else None for p in probes], check.combo)
            elif check.key == "grade":
                grade = lookup(check, lambda p: p.grade or 0, np.int16)
            elif check.key == "in_establishment":
                establishment = lookup(check, lambda p: p.in_establishment, np.bool_)
            elif check.key == "education":
                education = lookup(
                    check,
                    lambda p: -1 if p.education is None else education_index[p.education],
                    np.int8,
                )
            elif check.key == "contribution_base":
                base, bases = _table(
                    [p.contribution_base if p else None for p in probes], check.combo
                )
        elif check.kind == "appraisal":
            year = int(check.key)
            results = [p.appraisals.get(year) if p else None for p in check.probes]
            per_combo = [-1 if r is None else appraisal_index[r] for r in results]
            years[year] = np.array(per_combo or [-1], dtype=np.int8)[check.combo]
        elif check.kind == "qualification":
            held = [p.qualifications[0] if p and p.qualifications else None for p in probes]
            kinds = np.array([kind_index[q.kind] if q else -1 for q in held] + [-1])[check.combo]
            levels = np.array([level_index[q.level] if q else 0 for q in held] + [0])[check.combo]
            days = np.array([q.obtained_on.toordinal() if q else 0 for q in held] + [0])
            where = np.flatnonzero(kinds >= 0)
            first[kinds[where], levels[where], where] = days[check.combo][where]
        elif check.kind == "award":
            given = [p.awards[0] if p and p.awards else None for p in probes]
            levels = np.array([award_index[a.level] if a else -1 for a in given] + [-1])
            level_row = levels[check.combo].astype(np.int8)
            if (level_row >= 0).any():
                days = np.array([a.awarded_on.toordinal() if a else NEVER for a in given] + [0])
                award_level = level_row[None, :]
                award_day = days[check.combo].astype(np.int32)[None, :]
        elif check.kind == "input":
            name = check.key
            values = [p.inputs.get(name) if p else None for p in probes]
            codes, table = _table(values, check.combo)
            if None in table:  # blank cells: the input is not given
                missing = table.index(None)
                table = [v for v in table if v is not None]
                codes = np.where(codes == missing, -1, codes - (codes > missing)).astype(np.int32)
            if (codes >= 0).any():
                inputs[name] = (codes, table)
    if not post_texts:
        post_texts = [""]
    if derived_families is not None and n:
        names = [f or scheme for f in families]
        drop = np.array([derived_families(name) for name in names], dtype=np.bool_)[family]
        grade = np.where(drop, 0, grade).astype(np.int16)
    hired = hired_days[rows]
    days = (hired - 1).astype("timedelta64[D]") + np.datetime64("0001-01-01")
    months = days.astype("datetime64[M]")
    hired_year = days.astype("datetime64[Y]").astype(np.int64) + 1970
    hired_month = months.astype(np.int64) % 12 + 1
    hired_day = (days - months).astype(np.int64) + 1
    left = left_days[rows]
    year0 = min(
        (y for y, column in years.items() if (column >= 0).any()),
        default=2000,
    )
    span = max((y for y, column in years.items() if (column >= 0).any()), default=year0)
    appraisals = np.full((span - year0 + 1, n), -1, dtype=np.int8)
    for year, column in years.items():
        if year0 <= year <= span:
            appraisals[year - year0] = column
    return WorkerColumns(
        ids=ids,
        post=post.astype(np.int32),
        post_texts=post_texts,
        family=family.astype(np.int32),
        families=families,
        grade=grade.astype(np.int16),
        hired=hired.astype(np.int32),
        hired_year=hired_year.astype(np.int16),
        hired_month=hired_month.astype(np.int8),
        hired_day=hired_day.astype(np.int8),
        left=np.where(left > 0, left, NEVER).astype(np.int32),
        in_establishment=establishment.astype(np.bool_),
        education=education.astype(np.int8),
        appraisal_year0=year0,
        appraisals=appraisals,
        qualification_first=first,
        award_level=award_level,
        award_day=award_day,
        inputs=inputs,
        contribution_base=base.astype(np.int32),
        contribution_bases=bases,
        irregular=np.zeros(n, dtype=np.bool_),
    )
