"""Year to date (本年累计), month to month: read it, continue from it, carry it on.

Cumulative withholding (累计预扣法) needs, for each worker, the year's figures before the
month: income, tax-free income, 减除费用 (5,000 a month employed), 专项扣除 (the employee's
三险一金), 专项附加扣除 (item by item, for the tax file), other deductions and the tax
actually withheld. They come from

- the previous month's register (``--ytd REGISTER``): it carries every cumulative column,
  under the same names as a year-to-date file; or
- a year-to-date file (``--ytd FILE``, CSV/XLSX/JSONL) exported from the system used before
  paycalc: 工号 and the ``累计…`` columns of :data:`YTD_COLUMNS`.

:func:`read_ytd` checks every row against the month to pay (a register of the month before,
whole months of 减除费用, nothing negative) and refuses a worker's row with a reason rather
than guess; :func:`tax_year_of` replays the month's withholding from the slip (the rule lives
in :func:`paycalc.withholding.withholding_for`), checks it against the slip's tax lines, and
returns where the worker's tax year stands after the month.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Final

from paycalc.batch import SlipResult
from paycalc.contributions import ContributionTables
from paycalc.engine import default_contribution_tables
from paycalc.errors import InputError, Problem
from paycalc.io.cells import Cell, is_blank, parse_bool, parse_money_text, text_of
from paycalc.io.columns import normalise_header
from paycalc.io.tables import read_table
from paycalc.money import ZERO, to_decimal
from paycalc.period import Month
from paycalc.scheme.registry import SchemeRegistry
from paycalc.slip import Payslip
from paycalc.tax import BASIC_DEDUCTION_PER_MONTH, YearToDate
from paycalc.withholding import TaxState, Withholding, withholding_for
from paycalc.worker import Worker

__all__ = [
    "ITEM_GROUPS",
    "TAX_LINE_CODES",
    "YTD_COLUMNS",
    "TaxYear",
    "YearToDateFile",
    "YtdEntry",
    "read_ytd",
    "replay_year",
    "tax_year_of",
    "ytd_from_mapping",
]

#: The slip lines that are income tax (everything else is "before tax").
TAX_LINE_CODES: Final = frozenset({"income_tax", "bonus_income_tax"})

#: Special additional deductions as the tax file groups them: group → the deduction codes
#: of :data:`paycalc.tax.DEDUCTION_LABELS` it sums (both kinds of 继续教育 are one column).
ITEM_GROUPS: Final[dict[str, tuple[str, ...]]] = {
    "累计子女教育": ("child_education",),
    "累计继续教育": ("continuing_education_degree", "continuing_education_certificate"),
    "累计住房贷款利息": ("housing_loan_interest",),
    "累计住房租金": ("housing_rent",),
    "累计赡养老人": ("elderly_support",),
    "累计3岁以下婴幼儿照护": ("infant_care",),
}
_GROUP_OF: Final = {code: group for group, codes in ITEM_GROUPS.items() for code in codes}
_GROUP_CODES: Final = {
    "累计子女教育": "ytd_child_education",
    "累计继续教育": "ytd_continuing_education",
    "累计住房贷款利息": "ytd_housing_loan_interest",
    "累计住房租金": "ytd_housing_rent",
    "累计赡养老人": "ytd_elderly_support",
    "累计3岁以下婴幼儿照护": "ytd_infant_care",
}


@dataclass(frozen=True, slots=True)
class YtdColumn:
    """A cumulative column: its Chinese label, its code, other headers accepted for it."""

    label: str
    code: str
    aliases: tuple[str, ...] = ()


#: Every cumulative column a register carries and a year-to-date file may hold, in order.
YTD_COLUMNS: Final = (
    YtdColumn("累计截至", "ytd_through", ("累计月份", "所属月份")),
    YtdColumn("累计收入", "ytd_income", ("累计收入额",)),
    YtdColumn("累计免税收入", "ytd_tax_free_income"),
    YtdColumn("累计减除费用", "ytd_basic_deduction"),
    YtdColumn("累计专项扣除", "ytd_social_insurance"),
    *(YtdColumn(group, code) for group, code in _GROUP_CODES.items()),
    YtdColumn("累计专项附加扣除", "ytd_special_deductions"),
    YtdColumn("累计其他扣除", "ytd_other_deductions"),
    YtdColumn("累计应纳税所得额", "ytd_taxable"),
    YtdColumn("税率", "ytd_rate", ("预扣率",)),
    YtdColumn("速算扣除数", "ytd_quick_deduction"),
    YtdColumn("累计应纳税额", "ytd_tax"),
    YtdColumn(
        "累计已预扣税额", "ytd_tax_withheld", ("累计已预缴税额", "累计已扣缴税额", "累计已缴税额")
    ),
    YtdColumn("全年一次性奖金已单独计税", "ytd_separate_bonus_used"),
)

_ID_HEADERS: Final = frozenset(normalise_header(h) for h in ("工号", "id", "worker_id", "人员编号"))
#: Columns a year-to-date file must have (the others count as zero when absent).
_REQUIRED: Final = ("ytd_income", "ytd_basic_deduction", "ytd_social_insurance", "ytd_tax_withheld")
_TOTAL_ROW: Final = "合计"


@dataclass(frozen=True, slots=True)
class YtdEntry:
    """One worker's year to date before the month, as read from a file.

    ``special_items`` holds the cumulative special additional deductions by tax-file group
    (:data:`ITEM_GROUPS`), or ``None`` when the file gave only their total.
    """

    worker_id: str
    state: TaxState
    special_items: Mapping[str, Decimal] | None
    through: Month | None
    row: int


@dataclass(slots=True)
class YearToDateFile:
    """A year-to-date file read for one month: usable entries and refused rows, by worker."""

    source: str
    month: Month
    entries: dict[str, YtdEntry] = field(default_factory=dict)
    #: worker id → why that worker's figures cannot be used (the worker's row then fails)
    refused: dict[str, str] = field(default_factory=dict)
    #: problems with the file as a whole or with rows naming no worker
    problems: list[Problem] = field(default_factory=list)
    sha256: str = ""
    #: what to say once about this file (a new tax year, columns taken as zero, ...)
    notes: list[str] = field(default_factory=list)

    def states(self) -> dict[str, TaxState]:
        """Where each worker's tax year stood before the month, for :func:`run_roster`."""
        return {worker_id: entry.state for worker_id, entry in self.entries.items()}


def _lookup() -> dict[str, YtdColumn]:
    table: dict[str, YtdColumn] = {}
    for column in YTD_COLUMNS:
        for name in (column.label, column.code, *column.aliases):
            table[normalise_header(name)] = column
    return table


_BY_HEADER: Final = _lookup()
_MONTH: Final = re.compile(r"^(\d{4})(?:-|/|年)(\d{1,2})月?$")


def _through(value: Cell) -> Month:
    if isinstance(value, datetime | date):
        return Month(value.year, value.month)
    text = text_of(value)
    match = _MONTH.match(text)
    if not match:
        raise ValueError(f"expected a month as 2024-03 or 2024年3月, got {text!r}")
    return Month(int(match.group(1)), int(match.group(2)))


def _amount(value: Cell, header: str) -> Decimal:
    amount = to_decimal(parse_money_text(value), what=header)
    if amount < 0:
        raise ValueError(f"{header}: must be ≥ 0, got {amount}")
    return amount


def read_ytd(path: str | Path, month: Month | str) -> YearToDateFile:
    """Read a register or year-to-date file for paying ``month``.

    A register of the previous year is accepted for January only, and then carries nothing
    (a tax year starts afresh); any other register must be of the month before.
    """
    month = month if isinstance(month, Month) else Month.parse(month)
    path = Path(path)
    table = read_table(path)
    result = YearToDateFile(str(path), month)
    with contextlib.suppress(OSError):
        result.sha256 = hashlib.sha256(path.read_bytes()).hexdigest()
    result.problems += table.problems
    if table.problems and not table.rows:
        return result
    columns: dict[str, YtdColumn] = {}
    id_header = None
    for header in table.headers:
        key = normalise_header(header)
        if key in _ID_HEADERS and id_header is None:
            id_header = header
        elif key in _BY_HEADER:
            columns[header] = _BY_HEADER[key]
    present = {column.code for column in columns.values()}
    missing = [c.label for c in YTD_COLUMNS if c.code in _REQUIRED and c.code not in present]
    has_special = "ytd_special_deductions" in present or all(
        code in present for code in _GROUP_CODES.values()
    )
    if not has_special:
        missing.append("累计专项附加扣除 (or every 累计子女教育 … 累计3岁以下婴幼儿照护 column)")
    if id_header is None:
        missing.insert(0, "工号")
    if missing:
        result.problems.append(
            Problem(result.source, "row 1", f"missing year-to-date column(s): {', '.join(missing)}")
        )
        return result
    zero_columns = [
        c.label
        for c in YTD_COLUMNS
        if c.code in ("ytd_tax_free_income", "ytd_other_deductions") and c.code not in present
    ]
    if zero_columns:
        result.notes.append(
            f"{result.source}: no {'/'.join(zero_columns)} column; taken as 0 for every worker"
        )
    assert id_header is not None  # checked with the other columns above
    rows = list(table.rows)
    if rows and text_of(rows[-1][1].get(id_header)) == _TOTAL_ROW:
        rows.pop()  # a register's 合计 row
    seen: dict[str, int] = {}
    previous_year = 0
    for number, cells in rows:
        worker_id = text_of(cells.get(id_header))
        if not worker_id:
            result.problems.append(Problem(result.source, f"row {number}", "no 工号"))
            continue
        if worker_id in seen:
            result.refused[worker_id] = (
                f"{result.source}: rows {seen[worker_id]} and {number} both give worker "
                f"{worker_id}'s year to date"
            )
            result.entries.pop(worker_id, None)
            continue
        seen[worker_id] = number
        try:
            entry = _entry(worker_id, number, cells, columns, month)
        except ValueError as error:
            result.refused[worker_id] = f"{result.source}: row {number}: {error}"
            continue
        except InputError as error:
            reason = "; ".join(p.message for p in error.problems)
            result.refused[worker_id] = f"{result.source}: row {number}: {reason}"
            continue
        if entry.through is not None and entry.through.year < month.year:
            previous_year += 1
            continue
        result.entries[worker_id] = entry
    if previous_year:
        result.notes.append(
            f"{result.source}: {previous_year} row(s) are of {month.year - 1}: a tax year starts "
            f"afresh in January, so nothing is carried into {month}"
        )
    return result


def _entry(
    worker_id: str,
    number: int,
    cells: Mapping[str, Cell],
    columns: Mapping[str, YtdColumn],
    month: Month,
) -> YtdEntry:
    amounts: dict[str, Decimal] = {}
    through: Month | None = None
    bonus_used = False
    for header, column in columns.items():
        value = cells.get(header)
        code = column.code
        if code == "ytd_through":
            through = None if is_blank(value) else _through(value)
        elif code == "ytd_separate_bonus_used":
            bonus_used = False if is_blank(value) else parse_bool(value)
        elif code in ("ytd_taxable", "ytd_rate", "ytd_quick_deduction", "ytd_tax"):
            continue  # shown for people; recomputed from the figures it follows from
        elif is_blank(value):
            if code in _REQUIRED or code == "ytd_special_deductions":
                raise ValueError(f"{header} is empty (write 0 if nothing was counted)")
        else:
            amounts[code] = _amount(value, header)
    if through is not None:
        if through.year == month.year and through != month.plus(-1):
            raise ValueError(
                f"the figures are through {through}, but {month} continues from "
                f"{month.plus(-1)}: use the register of {month.plus(-1)}"
            )
        if through.year > month.year:
            raise ValueError(f"the figures are through {through}, after {month}")
        if through.year < month.year and month.month != 1:
            raise ValueError(
                f"the figures are through {through}, a year before {month}: a tax year "
                f"starts in January; use the register of {month.plus(-1)}"
            )
    basic = amounts["ytd_basic_deduction"]
    months, remainder = divmod(basic, BASIC_DEDUCTION_PER_MONTH)
    if remainder:
        raise ValueError(
            f"累计减除费用 {basic} is not a whole number of months of "
            f"{BASIC_DEDUCTION_PER_MONTH} (减除费用 is 5,000 a month employed)"
        )
    if (through is None or through.year == month.year) and months > month.month - 1:
        raise ValueError(
            f"累计减除费用 {basic} counts {months} months, but only {month.month - 1} "
            f"month(s) of {month.year} come before {month}"
        )
    items = _items(amounts)
    total = amounts.get("ytd_special_deductions")
    if items is not None:
        summed = sum(items.values(), ZERO)
        if total is not None and summed != total:
            raise ValueError(
                f"累计专项附加扣除 {total} is not the sum of its items ({summed})"
            )
        total = summed
    state = TaxState(
        YearToDate(
            months_counted=int(months),
            income=amounts["ytd_income"],
            tax_free_income=amounts.get("ytd_tax_free_income", ZERO),
            basic_deduction=basic,
            social_insurance=amounts["ytd_social_insurance"],
            special_deductions=total if total is not None else ZERO,
            other_deductions=amounts.get("ytd_other_deductions", ZERO),
            tax_withheld=amounts["ytd_tax_withheld"],
        ),
        separate_bonus_used=bonus_used,
    )
    return YtdEntry(worker_id, state, items, through, number)


def _items(amounts: Mapping[str, Decimal]) -> dict[str, Decimal] | None:
    given = {group: amounts[code] for group, code in _GROUP_CODES.items() if code in amounts}
    if not given:
        return None
    return {group: given.get(group, ZERO) for group in ITEM_GROUPS}


def ytd_from_mapping(
    figures: Mapping[str, YearToDate | TaxState], month: Month | str
) -> YearToDateFile:
    """Year-to-date figures already in memory (by worker id), as :func:`read_ytd` gives them."""
    month = month if isinstance(month, Month) else Month.parse(month)
    result = YearToDateFile("<ytd>", month)
    for worker_id, given in figures.items():
        state = given if isinstance(given, TaxState) else TaxState(given)
        result.entries[worker_id] = YtdEntry(worker_id, state, None, None, 0)
    return result


@dataclass(frozen=True, slots=True)
class TaxYear:
    """Where a worker's tax year stands after the month, and the month's withholding.

    ``source`` says where the year before the month came from: ``"ytd"`` (the figures given),
    ``"recomputed"`` (paycalc recomputed the earlier months) or ``"start"`` (the tax year
    with this employer starts this month). ``special_items`` are cumulative after the month,
    by tax-file group, or ``None`` when the figures given had only their total.
    """

    before: TaxState
    after: TaxState
    withholding: Withholding
    special_items: Mapping[str, Decimal] | None
    source: str


def _insurance_codes(
    version_table: str | None, month: Month, tables: ContributionTables, as_of: date | None
) -> frozenset[str]:
    if version_table is None:
        return frozenset()
    table = tables.table_for(version_table, month.first_day, as_of)
    return frozenset(f"{item.code}_employee" for item in table.items)


def _replay(
    slip: Payslip,
    worker: Worker,
    state: TaxState,
    registry: SchemeRegistry,
    tables: ContributionTables,
    as_of: date | None,
) -> Withholding:
    month = Month.parse(slip.month)
    version = registry.find(slip.scheme.id, slip.scheme.version)
    codes = _insurance_codes(version.spec.scheme.contribution_table, month, tables, as_of)
    before_tax = [line for line in slip.lines if line.code not in TAX_LINE_CODES]
    found = withholding_for(before_tax, worker, month, version, state, codes)
    replayed = {line.code: line.amount for line in found.lines}
    on_slip = {line.code: line.amount for line in slip.lines if line.code in TAX_LINE_CODES}
    if replayed != on_slip:  # pragma: no cover - a bug, never an input problem
        raise RuntimeError(
            f"internal: the tax of worker {slip.worker_id} for {slip.month} replays as "
            f"{replayed}, but the slip says {on_slip}"
        )
    return found


def _add_items(
    items: Mapping[str, Decimal] | None, found: Withholding
) -> dict[str, Decimal] | None:
    if items is None:
        return None
    after = dict(items)
    for part in found.special:
        group = _GROUP_OF[part.code]
        after[group] = after.get(group, ZERO) + part.amount
    return after


def tax_year_of(
    item: SlipResult,
    *,
    registry: SchemeRegistry,
    contributions: ContributionTables | None = None,
    as_of: date | None = None,
    given: YtdEntry | None = None,
) -> TaxYear | None:
    """The tax year after the month of ``item``'s slip; ``None`` for an untaxed scheme.

    ``given`` is the worker's entry of the year-to-date file the run continued from (its
    item-by-item special deductions are carried on).
    """
    version = registry.find(item.slip.scheme.id, item.slip.scheme.version)
    worker = item.record.worker if item.record is not None else None
    if not version.spec.scheme.income_tax or worker is None:
        return None
    tables = contributions if contributions is not None else default_contribution_tables()
    items: dict[str, Decimal] | None = {group: ZERO for group in ITEM_GROUPS}
    if item.ytd_before is not None:
        state, source = item.ytd_before, "ytd"
        items = dict(given.special_items) if given and given.special_items is not None else None
        if given is None and not item.ytd_before.ytd.special_deductions:
            items = {group: ZERO for group in ITEM_GROUPS}
    else:
        state, source = TaxState.start(), "recomputed" if item.year_before else "start"
        for earlier in item.year_before:
            found = _replay(earlier, worker, state, registry, tables, as_of)
            state, items = found.after, _add_items(items, found)
    found = _replay(item.slip, worker, state, registry, tables, as_of)
    return TaxYear(state, found.after, found, _add_items(items, found), source)


def replay_year(
    slips: list[Payslip] | tuple[Payslip, ...],
    worker: Worker,
    registry: SchemeRegistry,
    tables: ContributionTables,
    as_of: date | None = None,
) -> list[Withholding]:
    """Each month's withholding of a year of slips from January (or the hire month).

    Months under a scheme that does not withhold income tax are skipped.
    """
    state = TaxState.start()
    found: list[Withholding] = []
    for slip in slips:
        version = registry.find(slip.scheme.id, slip.scheme.version)
        if not version.spec.scheme.income_tax:
            continue
        month = _replay(slip, worker, state, registry, tables, as_of)
        state = month.after
        found.append(month)
    return found
