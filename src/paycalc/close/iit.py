"""The income-tax file (个税申报导入文件) for the withholding client (自然人电子税务局 扣缴端).

Sheet 正常工资薪金所得: one row per worker whose scheme withholds income tax, in the columns
of the client's import template for 正常工资薪金所得 (:data:`WAGE_COLUMNS`; see
docs/payroll-close.md for where the layout comes from). The month's figures are 本期 (this
month's income, tax-free income, the employee's 三险一金 by item, other deductions); the
special additional deductions are 累计 (cumulative to the month, item by item), as the
template asks. Columns paycalc does not model (年金, 商业健康保险, 捐赠, 减免税额, …) stay
empty, as the template allows.

Sheet 全年一次性奖金收入: present when some bonus is taxed separately (单独计税) this month.

The client recomputes the tax from these figures; paycalc's own withholding on the slips is
replayed from the same figures (:mod:`paycalc.close.ytd`), so both agree. A worker who cannot
be declared (no ID number, item-by-item deductions unknown, a contribution the template has
no column for) is listed in :attr:`TaxFile.missing`, never silently left out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

from paycalc.close.register import Register, RegisterRow
from paycalc.close.targets import Target
from paycalc.close.xlsx import Sheet, write_xlsx
from paycalc.close.ytd import ITEM_GROUPS
from paycalc.io.identity import RESIDENT_ID
from paycalc.money import ZERO

__all__ = ["BONUS_COLUMNS", "WAGE_COLUMNS", "TaxFile", "TaxFileGap", "tax_file"]

#: 正常工资薪金所得: the import template's columns, in its order (29).
WAGE_COLUMNS: Final = (
    "工号",
    "*姓名",
    "*证件类型",
    "*证件号码",
    "本期收入",
    "本期免税收入",
    "基本养老保险费",
    "基本医疗保险费",
    "失业保险费",
    "住房公积金",
    "累计子女教育",
    "累计继续教育",
    "累计住房贷款利息",
    "累计住房租金",
    "累计赡养老人",
    "累计3岁以下婴幼儿照护",
    "累计个人养老金",
    "企业(职业)年金",
    "商业健康保险",
    "税延养老保险",
    "公务交通费用",
    "通讯费用",
    "律师办案费用",
    "西藏附加减除费用",
    "其他",
    "准予扣除的捐赠额",
    "减免税额",
    "协定减免",
    "备注",
)

#: 全年一次性奖金收入: the import template's columns, in its order (11).
BONUS_COLUMNS: Final = (
    "工号",
    "*姓名",
    "*证件类型",
    "*证件号码",
    "*全年一次性奖金额",
    "免税收入",
    "其他",
    "准予扣除的捐赠额",
    "减免税额",
    "协定减免",
    "备注",
)

#: The employee's contribution lines by template column (专项扣除).
CONTRIBUTION_COLUMNS: Final = {
    "pension_employee": "基本养老保险费",
    "medical_employee": "基本医疗保险费",
    "unemployment_employee": "失业保险费",
    "housing_fund_employee": "住房公积金",
}

_TEXT: Final = frozenset({"工号", "*姓名", "*证件类型", "*证件号码", "备注"})


@dataclass(frozen=True, slots=True)
class TaxFileGap:
    """A worker not in the tax file, and why."""

    worker_id: str
    name: str
    reason: str


@dataclass(slots=True)
class TaxFile:
    """The month's tax file: wage rows, bonus rows, and the workers left out."""

    wages: list[list[object]] = field(default_factory=list)
    bonuses: list[list[object]] = field(default_factory=list)
    missing: list[TaxFileGap] = field(default_factory=list)

    def summary(self) -> str:
        text = f"{len(self.wages)} wage rows"
        if self.bonuses:
            text += f", {len(self.bonuses)} separately taxed bonus rows"
        if self.missing:
            text += f"; {len(self.missing)} worker(s) not declared (listed)"
        return text

    def write(self, target: Target) -> None:
        """One XLSX: 正常工资薪金所得 and, when any, 全年一次性奖金收入."""
        sheets = [Sheet("正常工资薪金所得", WAGE_COLUMNS, _kinds(WAGE_COLUMNS), self.wages)]
        if self.bonuses:
            sheets.append(
                Sheet("全年一次性奖金收入", BONUS_COLUMNS, _kinds(BONUS_COLUMNS), self.bonuses)
            )
        write_xlsx(target, sheets)


def _kinds(columns: tuple[str, ...]) -> list[str]:
    return ["id" if c in ("工号", "*证件号码") else "text" if c in _TEXT else "money" for c in columns]


def _person(row: RegisterRow) -> tuple[str, str, str] | str:
    """(type, number, name), or why the worker cannot be declared."""
    record = row.item.record
    identity = record.identity if record is not None else {}
    number = identity.get("id_number", "")
    if not number:
        return "无证件号码 (no ID number on the roster): the client cannot match the person"
    if not row.item.name:
        return "无姓名 (no name on the roster)"
    return identity.get("id_type", RESIDENT_ID), number, row.item.name


def tax_file(register: Register) -> TaxFile:
    """The tax file of a register (its workers under schemes that withhold income tax)."""
    result = TaxFile()
    for row in register.rows:
        slip, tax = row.item.slip, row.tax
        if tax is None:
            result.missing.append(
                TaxFileGap(
                    slip.worker_id,
                    row.item.name,
                    f"scheme {slip.scheme.id} {slip.scheme.version} does not withhold income tax",
                )
            )
            continue
        person = _person(row)
        if isinstance(person, str):
            result.missing.append(TaxFileGap(slip.worker_id, row.item.name, person))
            continue
        if tax.special_items is None:
            result.missing.append(
                TaxFileGap(
                    slip.worker_id,
                    row.item.name,
                    "累计专项附加扣除 known only as a total (the year-to-date figures gave no "
                    "items); the template needs each item",
                )
            )
            continue
        contributions = dict.fromkeys(CONTRIBUTION_COLUMNS.values(), ZERO)
        unknown = []
        for line in slip.lines:
            if line.category != "deduction" or not line.code.endswith("_employee"):
                continue
            column = CONTRIBUTION_COLUMNS.get(line.code)
            if column is None:
                unknown.append(line.label)
            else:
                contributions[column] += line.amount
        if sum(contributions.values(), ZERO) != tax.withholding.social_insurance or unknown:
            result.missing.append(
                TaxFileGap(
                    slip.worker_id,
                    row.item.name,
                    f"contribution(s) {', '.join(unknown) or '?'} have no column in the "
                    "template (only 基本养老/基本医疗/失业保险费 and 住房公积金)",
                )
            )
            continue
        id_type, number, name = person
        month_tax = tax.withholding.month_tax
        worker = row.item.record.worker if row.item.record is not None else None
        other = worker.tax.other_deductions if worker is not None else ZERO
        tax_free = worker.tax.tax_free_income if worker is not None else ZERO
        values: dict[str, object] = {
            "工号": slip.worker_id,
            "*姓名": name,
            "*证件类型": id_type,
            "*证件号码": number,
            "本期收入": month_tax.income,
            "本期免税收入": tax_free,
            **contributions,
            **{group: tax.special_items[group] for group in ITEM_GROUPS},
            "其他": other,
        }
        result.wages.append([values.get(column) for column in WAGE_COLUMNS])
        if tax.withholding.bonus_tax is not None and tax.withholding.bonus > 0:
            bonus: dict[str, object] = {
                "工号": slip.worker_id,
                "*姓名": name,
                "*证件类型": id_type,
                "*证件号码": number,
                "*全年一次性奖金额": tax.withholding.bonus,
            }
            result.bonuses.append([bonus.get(column) for column in BONUS_COLUMNS])
    return result
