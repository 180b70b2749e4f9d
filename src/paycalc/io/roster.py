"""Rosters: one worker per row, headers in English or Chinese, every bad cell reported.

:func:`read_roster` returns a :class:`Roster`: a :class:`RosterRecord` per data row, each
holding a validated :class:`~paycalc.worker.Worker` or the :class:`RowError` values that
say why not (row number, worker id, column as written in the file, reason). Problems with
the file as a whole (encoding, empty file, unknown or duplicate columns) are
``Roster.file_problems``. Rows in = records, always. See docs/roster-format.md.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pydantic import ValidationError

from paycalc._validation import _describe as describe_validation_error
from paycalc._validation import key_path
from paycalc.errors import Problem
from paycalc.io.cells import (
    Cell,
    is_blank,
    parse_bool,
    parse_date,
    parse_int,
    parse_json,
    parse_money_text,
    text_of,
)
from paycalc.io.columns import ColumnSpec, classify_header, column_conflicts, describe_spec
from paycalc.io.identity import (
    RESIDENT_ID,
    check_bank_account,
    check_id_number,
    check_id_type,
    check_phone,
)
from paycalc.io.tables import CellError, RosterInput, Table, read_table
from paycalc.limits import MAX_ERRORS_PER_ROW
from paycalc.money import to_decimal
from paycalc.scheme.registry import SchemeRegistry
from paycalc.worker import Worker

__all__ = [
    "REQUIRED_FIELDS",
    "Roster",
    "RosterRecord",
    "RowChecks",
    "RowError",
    "duplicate_error",
    "parse_table",
    "read_roster",
    "row_checks",
]

#: Columns every roster needs (by field; any accepted header will do).
REQUIRED_FIELDS = ("id", "post", "hired_on")

_TOP_KEY = {
    "appraisal": "appraisals",
    "qualification": "qualifications",
    "award": "awards",
    "input": "inputs",
    "tax": "tax",
}

#: How a declaration cell is read, by the ``tax`` field it feeds (text otherwise).
_TAX_INTS = frozenset(
    {"children_in_education", "infants", "housing_rent_tier", "vocational_certificate_year"}
)
_TAX_BOOLS = frozenset({"housing_loan", "continuing_education_degree"})
_TAX_DATES = frozenset({"continuing_education_degree_start"})
_TAX_MONEY = frozenset({"elderly_share", "other_deductions", "tax_free_income", "serious_illness"})

_REQUIRED_LABELS = {"id": "id / 工号", "post": "post / 岗位", "hired_on": "hired_on / 入职日期"}


@dataclass(frozen=True, slots=True)
class RowError:
    """Why one row gives no slip: where (row, column as written) and what is wrong."""

    source: str
    row: int
    worker_id: str
    field: str
    reason: str

    def problem(self) -> Problem:
        where = f"row {self.row}" + (f", column {self.field}" if self.field else "")
        who = f" (worker {self.worker_id})" if self.worker_id else ""
        return Problem(self.source, where + who, self.reason)

    def __str__(self) -> str:
        return str(self.problem())


@dataclass(frozen=True, slots=True)
class RosterRecord:
    """One data row: a valid worker, or the errors that stop it, plus its info columns."""

    source: str
    row: int
    worker_id: str
    worker: Worker | None
    errors: tuple[RowError, ...] = ()
    #: descriptive columns (街道, 部门, x_…) by canonical name and by header as written
    info: Mapping[str, str] = field(default_factory=dict)
    #: worker key path prefix (``hired_on``, ``appraisals.2023``) -> column as written
    origin: Mapping[str, str] = field(default_factory=dict)
    #: identity and payment cells, checked and normalised, by canonical name
    #: (``id_type``, ``id_number``, ``bank_account``, ``bank_name``, ``account_name``, ``phone``)
    identity: Mapping[str, str] = field(default_factory=dict)

    def column_for(self, location: str) -> str:
        """The column a worker key path (``qualifications[0].obtained_on``) came from."""
        return _column(self.origin, location)

    def error(self, location: str, reason: str) -> RowError:
        return RowError(self.source, self.row, self.worker_id, self.column_for(location), reason)


@dataclass(slots=True)
class Roster:
    """A roster file read and checked; ``records`` keeps file order, one per data row."""

    source: str
    records: list[RosterRecord]
    file_problems: list[Problem] = field(default_factory=list)
    headers: list[str] = field(default_factory=list)
    encoding: str = ""
    #: columns carried through to outputs as written (identity, descriptive and ``x_``
    #: columns), in file order
    passthrough: list[str] = field(default_factory=list)

    def __iter__(self) -> Iterator[RosterRecord]:
        return iter(self.records)

    def __len__(self) -> int:
        return len(self.records)

    @property
    def workers(self) -> list[Worker]:
        return [record.worker for record in self.records if record.worker is not None]

    @property
    def errors(self) -> list[RowError]:
        return [error for record in self.records for error in record.errors]


def _scheme_inputs(registry: SchemeRegistry | None) -> tuple[dict[str, str], dict[str, str]]:
    """Input headers (code or label -> code) and declared types, over every loaded version."""
    names: dict[str, str] = {}
    types: dict[str, str] = {}
    for version in registry or ():
        for code, spec in version.spec.inputs.items():
            names.setdefault(code, code)
            names.setdefault(spec.label, code)
            types.setdefault(code, spec.type)
    return names, types


class _RowBuilder:
    """Collects one row's worker data and errors, remembering which column fed which key."""

    def __init__(self, source: str, row: int, input_types: Mapping[str, str]) -> None:
        self.source = source
        self.row = row
        self.input_types = input_types
        self.data: dict[str, Any] = {}
        self.origin: dict[str, str] = {}
        self.errors: list[tuple[str, str]] = []  # (column, reason)
        self.info: dict[str, str] = {}
        self.certificates: dict[str, dict[str, tuple[Cell, str]]] = {}
        #: top-level worker keys whose cells failed (their "missing" errors are not repeated)
        self.failed: set[str] = set()
        self.award: dict[str, tuple[Cell, str]] = {}
        #: where each appraisal year and input came from, for "given twice" messages
        self.appraisal_from: dict[str, str] = {}
        self.input_from: dict[str, str] = {}
        self.identity: dict[str, str] = {}
        self.identity_cells: dict[str, tuple[Cell, str]] = {}

    def put(self, key: str, value: object, header: str, origin: str | None = None) -> None:
        where = origin or key
        if key in self.data and where in self.origin:
            raise ValueError(f"{key} is given twice: in {self.origin[where]} and in {header}")
        self.data[key] = value
        self.origin[where] = header

    def _appraisal(self, year: object, result: object, header: str, shown_as: str) -> None:
        """One year's appraisal; a year given twice (in any spelling) is an error."""
        key = _year_key(year)
        appraisals = self.data.setdefault("appraisals", {})
        if not isinstance(appraisals, dict):
            raise ValueError("appraisals are given both as a JSON list and by year")
        if key in appraisals:
            raise ValueError(
                f"the {key} appraisal is given twice: {self.appraisal_from[key]} and {shown_as}"
            )
        appraisals[key] = result
        self.appraisal_from[key] = shown_as
        self.origin[f"appraisals.{key}"] = header

    def _input_value(self, name: str, value: object, header: str, shown_as: str) -> None:
        inputs = self.data.setdefault("inputs", {})
        if name in inputs:
            raise ValueError(
                f"the input {name} is given twice: {self.input_from[name]} and {shown_as}"
            )
        inputs[name] = value
        self.input_from[name] = shown_as
        self.origin[f"inputs.{name}"] = header

    def cell(self, spec: ColumnSpec, header: str, value: Cell) -> None:
        try:
            self._cell(spec, header, value)
        except (ValueError, TypeError) as error:
            self.errors.append((header, str(error)))
            self.failed.add(_TOP_KEY.get(spec.kind, spec.key))

    def _cell(self, spec: ColumnSpec, header: str, value: Cell) -> None:
        if spec.kind == "info":
            text = text_of(value)
            earlier = self.info.get(spec.key, "")
            if earlier and text and earlier != text and spec.key != header:
                raise ValueError(f"{spec.key} is given twice, as {earlier!r} and as {text!r}")
            self.info[spec.key] = earlier or text
            self.info.setdefault(header, text)
            return
        if spec.kind == "identity":
            self.identity_cells[spec.key] = (value, header)
            return
        if is_blank(value):
            return
        if spec.kind == "field":
            if spec.key in ("hired_on", "left_on"):
                self.put(spec.key, parse_date(value), header)
            elif spec.key == "in_establishment":
                self.put(spec.key, parse_bool(value), header)
            elif spec.key == "grade":
                self.put(spec.key, parse_int(value), header)
            elif spec.key == "contribution_base":
                self.put(spec.key, to_decimal(parse_money_text(value), what=header), header)
            else:
                self.put(spec.key, text_of(value), header)
        elif spec.kind == "json":
            self._json(spec.key, parse_json(value), header)
        elif spec.kind == "appraisal":
            self._appraisal(spec.key, text_of(value), header, f"column {header}")
        elif spec.kind == "qualification":
            parts = self.certificates.setdefault(spec.key, {})
            if spec.part in parts:
                raise ValueError(f"given twice: in {parts[spec.part][1]} and in {header}")
            parts[spec.part] = (value, header)
        elif spec.kind == "award":
            if spec.part in self.award:
                raise ValueError(f"given twice: in {self.award[spec.part][1]} and in {header}")
            self.award[spec.part] = (value, header)
        elif spec.kind == "input":
            self._input(spec.key, value, header)
        elif spec.kind == "tax":
            self._tax(spec.key, value, header)

    def _tax(self, name: str, value: Cell, header: str) -> None:
        typed: object
        if name in _TAX_INTS:
            typed = parse_int(value)
        elif name in _TAX_BOOLS:
            typed = parse_bool(value)
        elif name in _TAX_DATES:
            typed = parse_date(value)
        elif name in _TAX_MONEY:
            typed = parse_money_text(value)
        elif name == "child_share" and isinstance(value, float):
            typed = value  # an XLSX 0.5: the worker model accepts exactly 1 and 0.5
        else:
            typed = text_of(value)
        tax = self.data.setdefault("tax", {})
        if not isinstance(tax, dict) or name in tax:
            raise ValueError(f"the declaration {name} is given twice")
        tax[name] = typed
        self.origin[f"tax.{name}"] = header
        self.origin.setdefault("tax", header)

    def _json(self, key: str, parsed: object, header: str) -> None:
        """A whole field written as JSON in one cell (or a JSONL value)."""
        if key in ("appraisals", "inputs"):
            if not isinstance(parsed, dict):
                example = '{"2023": "优秀"}' if key == "appraisals" else '{"community_rating": "A"}'
                raise ValueError(f"expected a JSON object such as {example}")
            add = self._appraisal if key == "appraisals" else self._input_value
            for name, item in parsed.items():
                add(name, item, header, f"{header} key {name!r}")
            self.origin.setdefault(key, header)
        elif key == "tax":
            if not isinstance(parsed, dict):
                raise ValueError('expected a JSON object such as {"children_in_education": 1}')
            tax = self.data.setdefault("tax", {})
            for name, given in parsed.items():
                if name in tax:
                    raise ValueError(f"the declaration {name} is given twice")
                tax[name] = given
                self.origin[f"tax.{name}"] = header
            self.origin.setdefault("tax", header)
        elif key in ("qualifications", "awards"):
            if not isinstance(parsed, list):
                raise ValueError("expected a JSON list of objects, such as [{...}, {...}]")
            start = len(self.data.get(key, []))
            self.data.setdefault(key, []).extend(parsed)
            for index in range(start, start + len(parsed)):
                self.origin[f"{key}[{index}]"] = header
            self.origin.setdefault(key, header)
        else:
            self.put(key, parsed, header)

    def _input(self, name: str, value: Cell, header: str) -> None:
        kind = self.input_types.get(name)
        typed: object
        if kind == "number":
            typed = to_decimal(parse_money_text(value), what=header)
        elif kind == "yes_no":
            typed = parse_bool(value)
        else:
            typed = text_of(value)
        self._input_value(name, typed, header, f"column {header}")

    def finish(self) -> None:
        """Assemble the certificate and award columns; check the identity cells."""
        self._finish_identity()
        self._finish_records()

    def _finish_identity(self) -> None:
        """Check each identity cell (the ID number by its type) and keep it normalised."""
        cells = self.identity_cells
        id_type = RESIDENT_ID
        if "id_type" in cells and not is_blank(cells["id_type"][0]):
            try:
                id_type = self.identity["id_type"] = check_id_type(cells["id_type"][0])
            except ValueError as error:
                self.errors.append((cells["id_type"][1], str(error)))
                id_type = ""
        checks = {
            "id_number": lambda cell: check_id_number(cell, id_type),
            "bank_account": check_bank_account,
            "phone": check_phone,
        }
        for key, (value, header) in cells.items():
            if key == "id_type" or is_blank(value):
                continue
            if key == "id_number" and not id_type:
                continue  # the type's own error says it
            try:
                check = checks.get(key)
                self.identity[key] = check(value) if check is not None else text_of(value)
            except ValueError as error:
                self.errors.append((header, str(error)))
                continue
            self.info.setdefault(header, self.identity[key])

    def _finish_records(self) -> None:
        for kind, parts in self.certificates.items():
            level, level_header = parts.get("level", (None, ""))
            obtained, date_header = parts.get("obtained_on", (None, ""))
            if is_blank(level) and is_blank(obtained):
                continue
            if is_blank(level) or is_blank(obtained):
                missing_header = date_header if is_blank(obtained) else level_header
                given_header = level_header if is_blank(obtained) else date_header
                label = "取得日期 (date)" if is_blank(obtained) else "等级 (level)"
                self.errors.append(
                    (
                        missing_header or given_header,
                        f"{given_header} is given, so the {label} is needed too",
                    )
                )
                continue
            try:
                entry = {"kind": kind, "level": text_of(level), "obtained_on": parse_date(obtained)}
            except ValueError as error:
                self.errors.append((date_header, str(error)))
                continue
            index = len(self.data.setdefault("qualifications", []))
            self.data["qualifications"].append(entry)
            self.origin[f"qualifications[{index}].level"] = level_header
            self.origin[f"qualifications[{index}].obtained_on"] = date_header
            self.origin[f"qualifications[{index}]"] = level_header
        if self.award and not all(is_blank(value) for value, _ in self.award.values()):
            try:
                award: dict[str, object] = {}
                for part, (value, _header) in self.award.items():
                    if part == "awarded_on" and not is_blank(value):
                        award[part] = parse_date(value)
                    elif not is_blank(value):
                        award[part] = text_of(value)
            except ValueError as error:
                self.errors.append((self.award["awarded_on"][1], str(error)))
                return
            index = len(self.data.setdefault("awards", []))
            self.data["awards"].append(award)
            for part, (_, header) in self.award.items():
                self.origin[f"awards[{index}].{part}"] = header
            self.origin[f"awards[{index}]"] = next(iter(self.award.values()))[1]


def _year_key(year: object) -> str:
    """An appraisal year as one spelling: ``2023``, ``" 2023"`` and ``"２０２３"`` are one year."""
    text = str(year).strip()
    try:
        return str(int(text)) if text.isdigit() else text
    except ValueError:  # digits int() does not read (superscripts)
        return text


def _header_specs(
    table: Table, scheme_inputs: dict[str, str]
) -> tuple[dict[str, ColumnSpec], list[Problem]]:
    specs: dict[str, ColumnSpec] = {}
    problems: list[Problem] = []
    for header in table.headers:
        spec = classify_header(table.written.get(header, header), scheme_inputs)
        if spec is None:
            if table.written.get(header, header) in specs:
                continue  # a repeat of an unknown column: reported once
            problems.append(
                Problem(
                    table.source,
                    f"row 1, column {header}",
                    "unknown column (ignored; see docs/roster-format.md for the accepted "
                    "headers, or prefix descriptive columns with x_)",
                )
            )
        else:
            specs[header] = spec
    present = {spec.key for spec in specs.values() if spec.kind == "field"}
    for required in REQUIRED_FIELDS:
        if required not in present and table.headers and not table.keyed_rows:
            problems.append(
                Problem(
                    table.source,
                    f"row 1, column {_REQUIRED_LABELS[required]}",
                    "required column is missing; every row needs it",
                )
            )
    return specs, problems


@dataclass(frozen=True, slots=True)
class _Conflict:
    """Columns that feed the same value: only the first is read, and the row is not paid."""

    columns: tuple[str, ...]
    spec: ColumnSpec

    @property
    def reason(self) -> str:
        names = " and ".join(self.columns)
        return (
            f"columns {names} both give {describe_spec(self.spec)}; which is right cannot be "
            "known, so the row is not paid: keep one column (or rename the other x_…)"
        )


def _conflicts(headers: Iterable[str], specs: Mapping[str, ColumnSpec]) -> list[_Conflict]:
    found = column_conflicts((h, specs[h]) for h in headers if h in specs)
    return [_Conflict(columns, specs[columns[0]]) for columns in found]


def _capped(errors: list[RowError]) -> list[RowError]:
    """At most :data:`~paycalc.limits.MAX_ERRORS_PER_ROW` errors, the rest counted."""
    if len(errors) <= MAX_ERRORS_PER_ROW:
        return errors
    first = errors[0]
    more = len(errors) - (MAX_ERRORS_PER_ROW - 1)
    return [
        *errors[: MAX_ERRORS_PER_ROW - 1],
        RowError(first.source, first.row, first.worker_id, "", f"and {more} more errors"),
    ]


@dataclass(frozen=True, slots=True)
class RowChecks:
    """What the row reader knows of a roster before its rows: what each column feeds, the
    declared input types, the id column, the columns that conflict, the header problems.

    :meth:`record` checks one data row exactly as :func:`parse_table` does (duplicate ids,
    which need every row, are :func:`parse_table`'s own step; see :func:`duplicate_error`).
    """

    source: str
    specs: Mapping[str, ColumnSpec]
    input_types: Mapping[str, str]
    id_header: str
    conflicts: tuple[_Conflict, ...]
    keyed_rows: bool
    problems: tuple[Problem, ...]

    def record(
        self,
        number: int,
        cells: Mapping[str, Cell],
        read_errors: Iterable[CellError] = (),
        today: date | None = None,
    ) -> RosterRecord:
        """One data row (``cells`` by header) checked: a worker, or every error."""
        specs = self.specs
        conflicts = _conflicts(cells, specs) if self.keyed_rows else self.conflicts
        read_errors = list(read_errors)
        unread = {column for column, _ in read_errors}
        unread.update(column for conflict in conflicts for column in conflict.columns[1:])
        builder = _RowBuilder(self.source, number, self.input_types)
        for header, value in cells.items():
            spec = specs.get(header)
            if spec is None:
                continue
            if header in unread:  # its own error says why; no "missing" echo
                builder.failed.add(_TOP_KEY.get(spec.kind, spec.key))
            else:
                builder.cell(spec, header, value)
        builder.finish()
        id_cell = cells.get(self.id_header)
        worker_id = "" if isinstance(id_cell, list | dict) else text_of(id_cell)
        found = list(read_errors)
        found += [(", ".join(c.columns), c.reason) for c in conflicts]
        worker: Worker | None = None
        # A row the reader could not split into cells (column "") is not checked further:
        # its cells are shifted or swallowed, and every check would only echo that.
        if not any(column == "" for column, _ in read_errors):
            worker, validation_errors = _validate(builder, today)
            found += builder.errors + validation_errors
        errors = _capped(
            [RowError(self.source, number, worker_id, column, reason) for column, reason in found]
        )
        return RosterRecord(
            self.source,
            number,
            worker_id,
            None if errors else worker,
            tuple(errors),
            builder.info,
            builder.origin,
            builder.identity,
        )


def row_checks(table: Table, schemes: SchemeRegistry | None = None) -> RowChecks:
    """The row reader's view of ``table``'s header (its rows are not read)."""
    scheme_inputs, input_types = _scheme_inputs(schemes)
    specs, header_problems = _header_specs(table, scheme_inputs)
    id_header = next((h for h, s in specs.items() if s == ColumnSpec("field", "id")), "id")
    file_conflicts = [] if table.keyed_rows else _conflicts(table.headers, specs)
    for conflict in file_conflicts:
        if len({table.written.get(c, c) for c in conflict.columns}) == 1:
            continue  # one header written twice: the reader has reported it
        header_problems.append(
            Problem(
                table.source,
                f"row 1, column {', '.join(conflict.columns)}",
                f"these columns all give {describe_spec(conflict.spec)}: no row is paid "
                "until only one of them is left (which one is right cannot be known)",
            )
        )
    return RowChecks(
        table.source,
        specs,
        input_types,
        id_header,
        tuple(file_conflicts),
        table.keyed_rows,
        tuple(header_problems),
    )


def parse_table(
    table: Table,
    *,
    schemes: SchemeRegistry | None = None,
    today: date | None = None,
) -> Roster:
    """Check every row of a read table; see :func:`read_roster`."""
    if table.refused:  # refused whole: its problems say why, and no row is read
        return Roster(table.source, [], list(table.problems), table.headers, table.encoding)
    checks = row_checks(table, schemes)
    records = [
        checks.record(number, cells, table.row_errors.get(number, []), today)
        for number, cells in table.rows
    ]
    records = _reject_duplicates(records, checks.id_header)
    specs = checks.specs
    passthrough = [h for h in table.headers if specs.get(h) and specs[h].kind in _PASSED]
    return Roster(
        table.source,
        records,
        table.problems + list(checks.problems),
        table.headers,
        table.encoding,
        passthrough,
    )


#: Column kinds carried through to registers, slips and bank files as written.
_PASSED = frozenset({"info", "identity"})


def _validate(
    builder: _RowBuilder, today: date | None
) -> tuple[Worker | None, list[tuple[str, str]]]:
    try:
        return Worker.model_validate(builder.data, context={"today": today}), []
    except ValidationError as error:
        found = []
        for item in error.errors(include_url=False):
            location = key_path(item["loc"])
            if location.split(".")[0].split("[")[0] in builder.failed:
                continue  # that cell's own error says it better
            column = _column(builder.origin, location)
            reason = describe_validation_error(dict(item))
            if item.get("type") == "missing" and location in _REQUIRED_LABELS:
                reason = "required: the cell is empty or the column is missing"
                column = column if column != location else _REQUIRED_LABELS[location]
            found.append((column, reason))
        return None, found


def _column(origin: Mapping[str, str], location: str) -> str:
    parts = location.split(".")
    candidates = [location, ".".join(parts[:2]), parts[0], parts[0].split("[")[0]]
    for candidate in candidates:
        if candidate in origin:
            return origin[candidate]
    return location


def duplicate_error(
    source: str, row: int, worker_id: str, id_header: str, rows: Iterable[int]
) -> RowError:
    """The error of ``row`` whose worker id is also on the other ``rows`` (all its rows)."""
    others = ", ".join(str(other) for other in rows if other != row)
    return RowError(
        source,
        row,
        worker_id,
        id_header,
        f"duplicate worker id {worker_id!r} (also on row {others})",
    )


def _reject_duplicates(records: list[RosterRecord], id_header: str) -> list[RosterRecord]:
    """Every row of a duplicated worker id fails: which of them is right, HR must say."""
    rows_by_id: dict[str, list[int]] = {}
    for record in records:
        if record.worker_id:
            rows_by_id.setdefault(record.worker_id, []).append(record.row)
    duplicated = {worker_id: rows for worker_id, rows in rows_by_id.items() if len(rows) > 1}
    if not duplicated:
        return records
    result = []
    for record in records:
        rows = duplicated.get(record.worker_id)
        if rows is None:
            result.append(record)
            continue
        error = duplicate_error(record.source, record.row, record.worker_id, id_header, rows)
        result.append(
            RosterRecord(
                record.source,
                record.row,
                record.worker_id,
                None,
                (error, *record.errors),
                record.info,
                record.origin,
                record.identity,
            )
        )
    return result


def read_roster(
    source: RosterInput,
    *,
    format: str | None = None,
    name: str | None = None,
    schemes: SchemeRegistry | None = None,
    today: date | None = None,
) -> Roster:
    """Read and check a roster (.csv, .xlsx, .jsonl): a path, bytes, or a binary file.

    ``format`` (``"csv"``, ``"xlsx"``, ``"jsonl"``) is needed for bytes and file objects
    unless ``name`` ends in a roster suffix; ``name`` names the roster in messages (an
    upload's file name). ``schemes`` lets input columns be headed by a scheme input's code
    or label and typed by its declared type. Posts are checked against the scheme when a run
    pays the rows.
    """
    return parse_table(read_table(source, format=format, name=name), schemes=schemes, today=today)


def records_from_workers(
    workers: Iterable[Worker], source: str = "<workers>"
) -> list[RosterRecord]:
    """Wrap workers already in memory as records (row numbers count from 1)."""
    return [
        RosterRecord(source, index, worker.id, worker)
        for index, worker in enumerate(workers, start=1)
    ]


def declaration_rows(
    table: Table,
) -> tuple[list[tuple[int, str, dict[str, Any], dict[str, str], list[tuple[str, str]]]], list[Problem]]:
    """A declarations table keyed by worker id: per row (row, id, tax fields, origin, errors).

    Only the id column and income tax declaration columns (see ``TAX_HEADERS``; a ``tax`` /
    ``个税信息`` JSON column too) are read; 姓名 and ``x_`` columns are allowed and ignored.
    """
    problems = list(table.problems)
    specs: dict[str, ColumnSpec] = {}
    id_header = ""
    for header in table.headers:
        spec = classify_header(header)
        if spec == ColumnSpec("field", "id"):
            id_header = header
        elif spec is not None and (spec.kind == "tax" or spec == ColumnSpec("json", "tax")):
            specs[header] = spec
        elif spec is None or (spec.kind != "info" and spec != ColumnSpec("field", "name")):
            problems.append(
                Problem(
                    table.source,
                    f"row 1, column {header}",
                    "not a declaration column (a declarations file holds 工号 and income tax "
                    "declarations)",
                )
            )
    if not id_header and table.headers:
        problems.append(Problem(table.source, "row 1, column 工号", "required column is missing"))
        return [], problems
    rows = []
    for number, cells in table.rows:
        builder = _RowBuilder(table.source, number, {})
        for header, spec in specs.items():
            builder.cell(spec, header, cells.get(header))
        tax = builder.data.get("tax", {})
        rows.append(
            (number, text_of(cells.get(id_header)), tax if isinstance(tax, dict) else {},
             builder.origin, builder.errors)
        )  # fmt: skip
    return rows, problems
