"""The payroll register (工资表): one row per paid worker, every line, totals to the fen.

A :class:`Register` is built from a run (:func:`build_register`): 工号, 姓名, the roster's
pass-through columns as written, every slip line under its Chinese label (or its code),
应发合计, 扣除合计, 实发, 单位总成本 and, under a scheme that withholds income tax, the
cumulative columns the next month continues from (``--ytd``). Its 合计 row is the sum of the
slips' figures, checked against the column sums (:meth:`Register.check`). Warnings are
said once, in the notes (the XLSX 说明 sheet, a ``.notes.txt`` beside a CSV or JSONL),
with the workers they concern.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Final, Literal

from paycalc.batch import RunResult, SlipResult
from paycalc.close.targets import Target, open_target, open_text_target
from paycalc.close.xlsx import Sheet, write_xlsx
from paycalc.close.ytd import ITEM_GROUPS, YTD_COLUMNS, TaxYear, YearToDateFile, tax_year_of
from paycalc.contributions import ContributionTables
from paycalc.errors import Problem
from paycalc.io.roster import RowError
from paycalc.io.writers import json_line, neutralise
from paycalc.money import ZERO, format_money, quantize
from paycalc.period import Month
from paycalc.scheme.registry import SchemeRegistry
from paycalc.slip import Category, SchemeRef

__all__ = ["HEADER_MODES", "Column", "Register", "RegisterRow", "build_register"]

Headers = Literal["labels", "codes"]
HEADER_MODES: Final = ("labels", "codes")
ColumnKind = Literal["text", "id", "money", "number"]

#: The fixed columns: (label, code).
_ID: Final = ("工号", "worker_id")
_NAME: Final = ("姓名", "name")
_SCHEME: Final = ("方案", "scheme")
_VERSION: Final = ("方案版本", "version")
_TOTALS: Final[dict[str, tuple[str, str]]] = {
    "gross": ("应发合计", "gross"),
    "deductions": ("扣除合计", "deductions"),
    "net": ("实发", "net"),
    "employer_cost": ("单位总成本", "employer_cost"),
}
_SOURCE: Final = ("个税累计来源", "ytd_source")
_SOURCE_TEXT: Final = {"ytd": "上月累计", "recomputed": "本系统重算", "start": "本月起算"}
TOTAL_LABEL: Final = "合计"
#: Pass-through columns that hold numbers which must stay text (ID, account, phone).
_ID_KEYS: Final = frozenset({"id_number", "bank_account", "phone"})


@dataclass(frozen=True, slots=True)
class Column:
    """One register column: its header (label or code), code, kind, and whether totalled."""

    header: str
    code: str
    kind: ColumnKind
    total: bool = False


@dataclass(frozen=True, slots=True)
class RegisterRow:
    """One paid worker: the slip with its roster row, and the tax year after the month."""

    item: SlipResult
    tax: TaxYear | None

    @property
    def worker_id(self) -> str:
        return self.item.slip.worker_id


@dataclass(slots=True)
class Register:
    """A month's register; build it with :func:`build_register`.

    ``rows`` keep roster order. ``to_rows()`` gives one mapping per worker (and the 合计 row),
    keyed by the column headers; the ``write_*`` methods take a path or a binary file object.
    """

    month: Month
    columns: list[Column]
    rows: list[RegisterRow]
    headers: Headers = "labels"
    rows_in: int = 0
    failed_rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    #: rows of workers not employed in the month: no slip, not an error
    not_employed: list[RowError] = field(default_factory=list)
    file_problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    #: warning text → ids of the workers whose slip carries it, in roster order
    warnings: dict[str, list[str]] = field(default_factory=dict)
    schemes: list[SchemeRef] = field(default_factory=list)
    #: where the run's inputs came from, for reproducing it: (what, path, sha256)
    sources: list[tuple[str, str, str]] = field(default_factory=list)
    _cells: dict[int, list[object]] = field(default_factory=dict, repr=False)

    # --- values -------------------------------------------------------------------------

    def values(self, row: RegisterRow) -> list[object]:
        """The row's cells in column order (``Decimal`` money, text, or ``None``)."""
        cells = self._cells.get(id(row))
        if cells is None:
            cells = self._cells[id(row)] = _row_values(row, self.columns)
        return list(cells)

    def totals(self) -> dict[str, Decimal]:
        """The 合计 of every totalled column, by column header: sums of the slips' figures."""
        totalled = [(i, c.header) for i, c in enumerate(self.columns) if c.total]
        sums = dict.fromkeys((header for _, header in totalled), ZERO)
        for row in self.rows:
            cells = self.values(row)
            for index, header in totalled:
                value = cells[index]
                if isinstance(value, Decimal):
                    sums[header] += value
        return sums

    def total_values(self) -> list[object]:
        sums = self.totals()
        return [
            TOTAL_LABEL if index == 0 else sums.get(column.header) if column.total else None
            for index, column in enumerate(self.columns)
        ]

    def check(self) -> None:
        """Raise if a total is not the sum of the slips (a bug, never an input problem)."""
        sums = self.totals()
        slips = [row.item.slip for row in self.rows]
        expected = {
            "gross": sum((s.gross for s in slips), ZERO),
            "deductions": sum((s.deductions for s in slips), ZERO),
            "net": sum((s.net for s in slips), ZERO),
            "employer_cost": sum((s.employer_cost for s in slips), ZERO),
        }
        by_code = {column.code: column.header for column in self.columns}
        for code, amount in expected.items():
            if sums[by_code[code]] != amount:  # pragma: no cover - a bug
                raise RuntimeError(f"internal: register {code} total {sums[by_code[code]]} ≠ {amount}")
        lines: dict[str, Decimal] = {}
        for slip in slips:
            for line in slip.lines:
                lines[line.code] = lines.get(line.code, ZERO) + line.amount
        for code, amount in lines.items():
            if sums[by_code[f"line:{code}"]] != amount:  # pragma: no cover - a bug
                raise RuntimeError(f"internal: register {code} total ≠ {amount}")

    def to_rows(self, *, totals: bool = True) -> list[dict[str, object]]:
        """One mapping per worker (header → value) and, with ``totals``, the 合计 row last."""
        headers = [column.header for column in self.columns]
        rows = [dict(zip(headers, self.values(row), strict=True)) for row in self.rows]
        if totals:
            rows.append(dict(zip(headers, self.total_values(), strict=True)))
        return rows

    def to_dataframe(self, *, totals: bool = False) -> Any:
        """The rows as a pandas DataFrame (``pip install 'paycalc[dataframe]'``); money stays
        ``Decimal`` (object columns)."""
        try:
            import pandas
        except ImportError as error:  # pragma: no cover - depends on the environment
            raise RuntimeError("to_dataframe needs pandas: pip install 'paycalc[dataframe]'") from error
        return pandas.DataFrame(self.to_rows(totals=totals), columns=[c.header for c in self.columns])

    def by_worker(self) -> dict[str, RegisterRow]:
        return {row.worker_id: row for row in self.rows}

    # --- notes --------------------------------------------------------------------------

    def note_lines(self) -> list[str]:
        """What is said once: the month, schemes, sources, balance, notes and warnings."""
        lines = [f"工资表 {self.month} — payroll register"]
        for ref in self.schemes:
            lines.append(f"方案 Scheme: {ref.id} {ref.version} ({ref.status}) sha256 {ref.sha256}")
        for what, path, digest in self.sources:
            lines.append(f"{what}: {path}" + (f" sha256 {digest}" if digest else ""))
        lines.append(
            f"{self.rows_in} rows in = {len(self.rows)} slips + "
            f"{len(self.not_employed)} not employed + {self.failed_rows} errors"
        )
        lines += [f"未在职 not employed: {absent}" for absent in self.not_employed]
        lines += [f"! {note}" for note in self.notes]
        for warning, workers in self.warnings.items():
            shown = ", ".join(workers[:20]) + (" …" if len(workers) > 20 else "")
            lines.append(f"! {warning} — {len(workers)} 人: {shown}")
        for problem in self.file_problems:
            lines.append(f"x {problem}")
        for error in self.errors:
            lines.append(f"x {error}")
        return lines

    # --- writers ------------------------------------------------------------------------

    def write(self, target: Target, format: str) -> None:
        """Write as ``"xlsx"``, ``"csv"`` or ``"jsonl"``."""
        writers = {"xlsx": self.write_xlsx, "csv": self.write_csv, "jsonl": self.write_jsonl}
        writers[format](target)

    def write_xlsx(self, target: Target) -> None:
        """Sheet 工资表 (frozen header, 0.00 money, 合计 row) and sheet 说明 (the notes)."""
        register = Sheet(
            name=f"工资表 {self.month}",
            headers=[c.header for c in self.columns],
            kinds=[c.kind for c in self.columns],
            rows=(self.values(row) for row in self.rows),
            totals=self.total_values(),
            freeze_columns=2,
        )
        notes = Sheet("说明", ["说明"], ["note"], ([line] for line in self.note_lines()),
                      header=False, plain=True)  # fmt: skip
        write_xlsx(target, [register, notes])

    def write_csv(self, target: Target) -> None:
        """UTF-8 with BOM (Excel opens it); money as two-decimal text; the 合计 row last."""
        with open_text_target(target, "utf-8-sig") as handle:
            writer = csv.writer(handle)
            writer.writerow([neutralise(c.header) for c in self.columns])
            for row in self.rows:
                writer.writerow(_csv_cells(self.values(row)))
            writer.writerow(_csv_cells(self.total_values()))

    def json_rows(self, *, totals: bool = True) -> list[dict[str, object]]:
        """The rows as JSON objects (money as ``"0.00"`` strings, no value as null) and,
        with ``totals``, the 合计 object last: the lines :meth:`write_jsonl` writes."""
        rows = [self.values(row) for row in self.rows]
        if totals:
            rows.append(self.total_values())
        return [
            {c.header: _json_value(v) for c, v in zip(self.columns, values, strict=True)}
            for values in rows
        ]

    def write_jsonl(self, target: Target) -> None:
        """One JSON object per worker (money as ``"0.00"`` strings), then the 合计 object."""
        with open_target(target) as stream:
            for record in self.json_rows():
                stream.write(json_line(record).encode("utf-8"))

    def write_notes(self, target: Target) -> None:
        with open_target(target) as stream:
            stream.write(("\n".join(self.note_lines()) + "\n").encode("utf-8"))


def _csv_cells(values: Sequence[object]) -> list[str]:
    return [
        format_money(v) if isinstance(v, Decimal) else "" if v is None else neutralise(str(v))
        for v in values
    ]


def _json_value(value: object) -> object:
    if isinstance(value, Decimal):
        return format_money(value)
    return value


# --- building -----------------------------------------------------------------------------


def _row_values(row: RegisterRow, columns: Sequence[Column]) -> list[object]:
    item, slip = row.item, row.item.slip
    amounts: dict[str, Decimal] = {}
    for line in slip.lines:
        amounts[line.code] = amounts.get(line.code, ZERO) + line.amount
    info = item.record.info if item.record is not None else {}
    ytd = _ytd_values(row.tax, slip.month) if row.tax is not None else {}
    fixed: dict[str, object] = {
        "worker_id": slip.worker_id,
        "name": item.name,
        "scheme": slip.scheme.id,
        "version": slip.scheme.version,
        "gross": slip.gross,
        "deductions": slip.deductions,
        "net": slip.net,
        "employer_cost": slip.employer_cost,
    }
    cells: list[object] = []
    for column in columns:
        code = column.code
        if code.startswith("line:"):
            cells.append(amounts.get(code[5:], ZERO))
        elif code.startswith("pass:"):
            cells.append(info.get(code[5:], ""))
        elif code.startswith("ytd_"):
            cells.append(ytd.get(code))
        else:
            cells.append(fixed[code])
    return cells


def _ytd_values(tax: TaxYear, month: str) -> dict[str, object]:
    ytd = tax.after.ytd
    found = tax.withholding.month_tax
    simple: dict[str, object] = {
        "ytd_source": _SOURCE_TEXT[tax.source],
        "ytd_through": month,
        "ytd_income": ytd.income,
        "ytd_tax_free_income": ytd.tax_free_income,
        "ytd_basic_deduction": quantize(ytd.basic_deduction),
        "ytd_social_insurance": ytd.social_insurance,
        "ytd_special_deductions": ytd.special_deductions,
        "ytd_other_deductions": ytd.other_deductions,
        "ytd_taxable": found.cumulative_taxable,
        "ytd_rate": f"{found.rate * 100:f}".rstrip("0").rstrip(".") + "%",
        "ytd_quick_deduction": quantize(found.quick_deduction),
        "ytd_tax": found.cumulative_tax,
        "ytd_tax_withheld": ytd.tax_withheld,
        "ytd_separate_bonus_used": "是" if tax.after.separate_bonus_used else "否",
    }
    for column in YTD_COLUMNS:
        if column.label in ITEM_GROUPS:
            items = tax.special_items
            simple[column.code] = items.get(column.label) if items is not None else None
    return simple


_YTD_KINDS: Final[dict[str, ColumnKind]] = {
    "ytd_through": "text",
    "ytd_rate": "text",
    "ytd_separate_bonus_used": "text",
}
#: Cumulative columns whose 合计 means something (amounts of the workers' years).
_YTD_NOT_TOTALLED: Final = frozenset(
    {"ytd_through", "ytd_rate", "ytd_quick_deduction", "ytd_separate_bonus_used"}
)


def _line_columns(items: Sequence[SlipResult]) -> dict[Category, list[tuple[str, str]]]:
    """(code, label) of every line in the slips, by category, in first-seen order."""
    seen: dict[str, tuple[Category, str]] = {}
    for item in items:
        for line in item.slip.lines:
            if line.code not in seen:
                seen[line.code] = (line.category, line.label)
    grouped: dict[Category, list[tuple[str, str]]] = {"earning": [], "deduction": [], "employer": []}
    for code, (category, label) in seen.items():
        grouped[category].append((code, label))
    return grouped


def build_register(
    result: RunResult,
    *,
    registry: SchemeRegistry,
    passthrough: Sequence[str] = (),
    headers: Headers = "labels",
    ytd: YearToDateFile | None = None,
    contributions: ContributionTables | None = None,
    as_of: date | None = None,
    identity_columns: Mapping[str, str] | None = None,
) -> Register:
    """The register of a run; ``passthrough`` lists the roster columns to carry, as written.

    ``ytd`` is the year-to-date file the run continued from (its item-by-item special
    deductions are carried on); ``contributions`` and ``as_of`` are the run's.
    """
    codes = headers == "codes"
    ids = set(identity_columns or {})

    def column(pair: tuple[str, str], code: str, kind: ColumnKind, total: bool = False) -> Column:
        return Column(pair[1] if codes else pair[0], code, kind, total)

    columns = [column(_ID, "worker_id", "id"), column(_NAME, "name", "text")]
    columns += [
        Column(h, f"pass:{h}", "id" if h in ids else "text") for h in passthrough
    ]
    refs = {(i.slip.scheme.id, i.slip.scheme.version): i.slip.scheme for i in result.slips}
    if len(refs) > 1:
        columns += [column(_SCHEME, "scheme", "text"), column(_VERSION, "version", "text")]
    grouped = _line_columns(result.slips)
    used_headers = {c.header for c in columns}

    def line_columns(category: Category) -> list[Column]:
        made = []
        for code, label in grouped[category]:
            header = code if codes else label
            if header in used_headers:
                header = f"{label}（{code}）"
            used_headers.add(header)
            made.append(Column(header, f"line:{code}", "money", True))
        return made

    columns += [*line_columns("earning"), column(_TOTALS["gross"], "gross", "money", True)]
    columns += [*line_columns("deduction"), column(_TOTALS["deductions"], "deductions", "money", True), column(_TOTALS["net"], "net", "money", True)]
    columns += [*line_columns("employer"), column(_TOTALS["employer_cost"], "employer_cost", "money", True)]
    entries = ytd.entries if ytd is not None else {}
    rows = []
    for item in result.slips:
        tax = tax_year_of(
            item,
            registry=registry,
            contributions=contributions,
            as_of=as_of,
            given=entries.get(item.slip.worker_id),
        )
        rows.append(RegisterRow(item, tax))
    if any(row.tax is not None for row in rows):
        columns.append(column(_SOURCE, "ytd_source", "text"))
        for ytd_column in YTD_COLUMNS:
            kind = _YTD_KINDS.get(ytd_column.code, "money")
            total = kind == "money" and ytd_column.code not in _YTD_NOT_TOTALLED
            columns.append(
                Column(ytd_column.code if codes else ytd_column.label, ytd_column.code, kind, total)
            )
    warnings: dict[str, list[str]] = {}
    for item in result.slips:
        for warning in item.slip.warnings:
            warnings.setdefault(warning, []).append(item.slip.worker_id)
    notes = list(result.notes) + (list(ytd.notes) if ytd is not None else [])
    if any(row.tax is not None and row.tax.special_items is None for row in rows):
        notes.append(
            "累计专项附加扣除分项未知: the year-to-date figures of some workers give only the "
            f"total of their special deductions, not the items ({', '.join(ITEM_GROUPS)})"
        )
    register = Register(
        month=result.month,
        columns=columns,
        rows=rows,
        headers=headers,
        rows_in=result.rows_in,
        failed_rows=result.failed_rows,
        errors=list(result.errors),
        not_employed=list(result.not_employed),
        file_problems=list(result.file_problems),
        notes=notes,
        warnings=warnings,
        schemes=list(refs.values()),
    )
    register.check()
    return register
