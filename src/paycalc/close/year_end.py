"""The year-end summary (年度工资汇总): per worker and month, and the year's tax breakdown.

Sheet 月度明细: one row per worker and month employed — 应发合计, each deduction (the
employee's 三险一金, 个人所得税), 扣除合计, 实发, 单位总成本 — and a 合计 row. Sheet 年度汇总:
one row per worker with the year's totals and the cumulative withholding breakdown finance
and the annual reconciliation (汇算清缴) start from: 累计收入, 累计免税收入, 减除费用, 专项扣除,
专项附加扣除 (and each item), 其他扣除, 应纳税所得额, 税率, 速算扣除数, 应纳税额, 已预扣, the
separately taxed bonus, and 大病医疗 (claimed at the reconciliation only). Sheet 说明: the
schemes, the rows that failed, the warnings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Final

from paycalc.close.targets import Target
from paycalc.close.xlsx import Sheet, write_xlsx
from paycalc.close.ytd import ITEM_GROUPS, replay_year
from paycalc.contributions import ContributionTables
from paycalc.engine import default_contribution_tables, payroll_year
from paycalc.errors import PaycalcError
from paycalc.io.roster import Roster, RowError
from paycalc.money import ZERO
from paycalc.scheme.registry import SchemeRegistry, default_registry
from paycalc.slip import Payslip, SchemeRef
from paycalc.withholding import Withholding

__all__ = ["WorkerYear", "YearSummary", "year_summary"]

_MONTH_HEAD: Final = ("工号", "姓名", "月份", "应发合计")
_MONTH_TAIL: Final = ("扣除合计", "实发", "单位总成本")


@dataclass(frozen=True, slots=True)
class WorkerYear:
    """One worker's year: the slips of the months employed and each month's withholding."""

    worker_id: str
    name: str
    identity: dict[str, str]
    slips: tuple[Payslip, ...]
    withholding: tuple[Withholding, ...]
    serious_illness: Decimal = ZERO

    def total(self, what: str) -> Decimal:
        return sum((getattr(slip, what) for slip in self.slips), ZERO)


@dataclass(slots=True)
class YearSummary:
    """A roster's year: one :class:`WorkerYear` per worker paid, and the rows that failed."""

    year: int
    workers: list[WorkerYear] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    rows_in: int = 0
    schemes: dict[tuple[str, str], SchemeRef] = field(default_factory=dict)
    warnings: dict[str, list[str]] = field(default_factory=dict)

    def summary(self) -> str:
        failed = len({(e.row, e.worker_id) for e in self.errors})
        return f"{self.rows_in} rows in = {len(self.workers)} workers + {failed} errors"

    def _deduction_columns(self) -> list[tuple[str, str]]:
        seen: dict[str, str] = {}
        for worker in self.workers:
            for slip in worker.slips:
                for line in slip.lines:
                    if line.category == "deduction":
                        seen.setdefault(line.code, line.label)
        return list(seen.items())

    def month_sheet(self) -> Sheet:
        deductions = self._deduction_columns()
        headers = [*_MONTH_HEAD, *(label for _, label in deductions), *_MONTH_TAIL]
        kinds = ["id", "text", "text", *["money"] * (len(headers) - 3)]
        rows: list[list[object]] = []
        totals: list[Decimal] = [ZERO] * (len(headers) - 3)
        for worker in self.workers:
            for slip in worker.slips:
                amounts = [
                    slip.gross,
                    *(slip.amount(code) for code, _ in deductions),
                    slip.deductions,
                    slip.net,
                    slip.employer_cost,
                ]
                totals = [t + a for t, a in zip(totals, amounts, strict=True)]
                rows.append([worker.worker_id, worker.name, slip.month, *amounts])
        return Sheet("月度明细", headers, kinds, rows, ["合计", None, None, *totals], freeze_columns=3)

    def year_sheet(self) -> Sheet:
        headers = [
            "工号", "姓名", "证件类型", "证件号码", "月数", "应发合计", "扣除合计", "实发",
            "单位总成本", "累计收入", "累计免税收入", "减除费用", "专项扣除", *ITEM_GROUPS,
            "专项附加扣除", "其他扣除", "应纳税所得额", "税率", "速算扣除数", "应纳税额",
            "已预扣税额", "全年一次性奖金（单独计税）", "全年一次性奖金税额", "大病医疗（汇算时扣除）",
        ]  # fmt: skip
        kinds = ["id", "text", "text", "id", "number", *["money"] * (len(headers) - 5)]
        kinds[headers.index("税率")] = "text"
        rows = []
        for worker in self.workers:
            values: list[object] = [
                worker.worker_id,
                worker.name,
                worker.identity.get("id_type", "居民身份证" if worker.identity.get("id_number") else ""),
                worker.identity.get("id_number", ""),
                len(worker.slips),
                worker.total("gross"),
                worker.total("deductions"),
                worker.total("net"),
                worker.total("employer_cost"),
            ]
            if worker.withholding:
                last = worker.withholding[-1]
                ytd, found = last.after.ytd, last.month_tax
                items = dict.fromkeys(ITEM_GROUPS, ZERO)
                for month in worker.withholding:
                    for part in month.special:
                        group = next(g for g, codes in ITEM_GROUPS.items() if part.code in codes)
                        items[group] += part.amount
                bonus = sum((w.bonus for w in worker.withholding), ZERO)
                bonus_tax = sum(
                    (w.bonus_tax.tax for w in worker.withholding if w.bonus_tax is not None), ZERO
                )
                values += [
                    ytd.income, ytd.tax_free_income, ytd.basic_deduction.quantize(Decimal("0.01")),
                    ytd.social_insurance, *items.values(), ytd.special_deductions,
                    ytd.other_deductions, found.cumulative_taxable,
                    f"{found.rate * 100:f}".rstrip("0").rstrip(".") + "%",
                    found.quick_deduction.quantize(Decimal("0.01")), found.cumulative_tax,
                    ytd.tax_withheld, bonus, bonus_tax, worker.serious_illness,
                ]  # fmt: skip
            else:
                values += [None] * (len(headers) - len(values) - 1) + [worker.serious_illness]
            rows.append(values)
        totals: list[object] = ["合计"] + [None] * (len(headers) - 1)
        for index, kind in enumerate(kinds):
            if kind == "money" and headers[index] not in ("速算扣除数",):
                totals[index] = sum(
                    (v for r in rows if isinstance(v := r[index], Decimal)), ZERO
                )
        return Sheet("年度汇总", headers, kinds, rows, totals, freeze_columns=2)

    def note_lines(self) -> list[str]:
        lines = [f"年度工资汇总 {self.year} — year-end summary", self.summary()]
        for ref in self.schemes.values():
            lines.append(f"方案 Scheme: {ref.id} {ref.version} ({ref.status}) sha256 {ref.sha256}")
        for warning, workers in self.warnings.items():
            lines.append(f"! {warning} — {len(workers)} 人: {', '.join(workers[:20])}")
        lines += [f"x {error}" for error in self.errors]
        return lines

    def write_xlsx(self, target: Target) -> None:
        notes = Sheet("说明", ["说明"], ["note"], ([line] for line in self.note_lines()),
                      header=False, plain=True)  # fmt: skip
        write_xlsx(target, [self.month_sheet(), self.year_sheet(), notes])


def year_summary(
    roster: Roster,
    year: int,
    *,
    schemes: SchemeRegistry | None = None,
    scheme: str | None = None,
    as_of: date | None = None,
    contributions: ContributionTables | None = None,
) -> YearSummary:
    """Every worker of ``roster`` over ``year``: slips from January (or the hire month)
    to December (or the leaving month), tax withheld cumulatively."""
    registry = schemes if schemes is not None else default_registry()
    tables = contributions if contributions is not None else default_contribution_tables()
    result = YearSummary(year, rows_in=len(roster))
    for record in roster:
        worker = record.worker
        if worker is None:
            result.errors += list(record.errors) or [record.error("", "invalid row")]
            continue
        try:
            slips = payroll_year(
                worker,
                year,
                schemes=registry,
                scheme=scheme,
                as_of=as_of,
                contributions=contributions,
            )
            if not slips:
                raise PaycalcError(f"not employed in {year}")
            withholding = replay_year(slips, worker, registry, tables, as_of)
        except PaycalcError as error:
            result.errors += [record.error(p.location, p.message) for p in error.problems]
            continue
        for slip in slips:
            result.schemes.setdefault((slip.scheme.id, slip.scheme.version), slip.scheme)
            for warning in slip.warnings:
                ids = result.warnings.setdefault(warning, [])
                if not ids or ids[-1] != worker.id:
                    ids.append(worker.id)
        result.workers.append(
            WorkerYear(
                worker.id,
                worker.name,
                dict(record.identity),
                tuple(slips),
                tuple(withholding),
                worker.tax.serious_illness,
            )
        )
    return result
