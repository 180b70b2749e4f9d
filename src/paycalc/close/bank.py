"""The bank transfer file (代发工资文件): one row per worker with a positive net pay.

Default columns: 户名, 银行账号, 金额 (实发), 用途. Banks differ, so the layout is data: a small
TOML file names the columns (header and what each holds), their order, the encoding and the
purpose text (:func:`load_bank_layout`). Nobody is dropped: a worker without an account or
name, or with a net of zero or below, is listed in :attr:`BankFile.missing` with the reason,
and the total of the rows is checked against the register's net pay of the workers paid.

Layout file (every key optional)::

    encoding = "gbk"                       # utf-8-sig (default), utf-8 or gbk
    purpose = "{year}年{month}月工资"       # {year}, {month}, {yyyymm}
    total_row = false                      # a last row with the count and total
    [[columns]]
    header = "收款人户名"
    field = "account_name"                 # see FIELDS
    [[columns]]
    header = "备注"
    value = "代发工资"                      # a fixed text instead of a field
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Final

from paycalc.close.register import Register, RegisterRow
from paycalc.close.targets import Target, open_text_target
from paycalc.close.xlsx import Sheet, write_xlsx
from paycalc.errors import InputError, Problem
from paycalc.io.writers import neutralise
from paycalc.money import ZERO, format_money
from paycalc.tomltext import loads_toml

__all__ = [
    "DEFAULT_LAYOUT",
    "FIELDS",
    "BankColumn",
    "BankFile",
    "BankLayout",
    "MissingTransfer",
    "bank_file",
    "load_bank_layout",
]

#: What a bank column can hold.
FIELDS: Final[dict[str, str]] = {
    "account_name": "户名 (the 户名 column of the roster, else 姓名)",
    "account": "银行账号",
    "amount": "金额: 实发 (net pay)",
    "purpose": "用途 (the layout's purpose text)",
    "bank_name": "开户行",
    "worker_id": "工号",
    "name": "姓名",
    "id_number": "证件号码",
    "phone": "手机",
    "index": "序号 (1, 2, …)",
}


@dataclass(frozen=True, slots=True)
class BankColumn:
    header: str
    field: str = ""
    value: str = ""


@dataclass(frozen=True, slots=True)
class BankLayout:
    columns: tuple[BankColumn, ...]
    encoding: str = "utf-8-sig"
    purpose: str = "{year}年{month}月工资"
    total_row: bool = False


DEFAULT_LAYOUT: Final = BankLayout(
    (
        BankColumn("户名", "account_name"),
        BankColumn("银行账号", "account"),
        BankColumn("金额", "amount"),
        BankColumn("用途", "purpose"),
    )
)

_ENCODINGS: Final = ("utf-8-sig", "utf-8", "gbk")


def load_bank_layout(path: str | Path) -> BankLayout:
    """Read a layout TOML file; every problem is reported with its key."""
    path = Path(path)
    source = str(path)
    try:
        data = loads_toml(path.read_text(encoding="utf-8-sig"))
    except OSError as error:
        raise InputError([Problem(source, "", f"cannot read file: {error.strerror}")]) from None
    except UnicodeDecodeError:
        raise InputError([Problem(source, "", "not UTF-8 text")]) from None
    except ValueError as error:  # not TOML, nested too deep, a number out of range
        raise InputError([Problem(source, "", str(error))]) from None
    problems: list[Problem] = []
    known = {"encoding", "purpose", "total_row", "columns"}
    problems += [Problem(source, key, "unknown key") for key in data if key not in known]
    encoding = data.get("encoding", DEFAULT_LAYOUT.encoding)
    if encoding not in _ENCODINGS:
        problems.append(Problem(source, "encoding", f"expected one of {', '.join(_ENCODINGS)}"))
    purpose = data.get("purpose", DEFAULT_LAYOUT.purpose)
    if not isinstance(purpose, str):
        problems.append(Problem(source, "purpose", "expected text"))
    total_row = data.get("total_row", False)
    if not isinstance(total_row, bool):
        problems.append(Problem(source, "total_row", "expected true or false"))
    columns: list[BankColumn] = []
    raw = data.get("columns", None)
    if raw is None:
        columns = list(DEFAULT_LAYOUT.columns)
    elif not isinstance(raw, list) or not raw:
        problems.append(Problem(source, "columns", "expected one or more [[columns]]"))
    else:
        for index, entry in enumerate(raw):
            where = f"columns[{index}]"
            if not isinstance(entry, dict):
                problems.append(Problem(source, where, "expected a table"))
                continue
            extra = set(entry) - {"header", "field", "value"}
            problems += [Problem(source, f"{where}.{key}", "unknown key") for key in sorted(extra)]
            header, name, value = entry.get("header"), entry.get("field"), entry.get("value")
            if not isinstance(header, str) or not header:
                problems.append(Problem(source, f"{where}.header", "required text"))
            if (name is None) == (value is None):
                problems.append(Problem(source, where, "give exactly one of field or value"))
            elif name is not None and name not in FIELDS:
                problems.append(
                    Problem(source, f"{where}.field", f"expected one of {', '.join(FIELDS)}")
                )
            elif value is not None and not isinstance(value, str):
                problems.append(Problem(source, f"{where}.value", "expected text"))
            columns.append(BankColumn(str(header), str(name or ""), str(value or "")))
        if not any(c.field == "amount" for c in columns):
            problems.append(Problem(source, "columns", "no column holds the amount"))
        if not any(c.field == "account" for c in columns):
            problems.append(Problem(source, "columns", "no column holds the account"))
    if problems:
        raise InputError(problems)
    return BankLayout(tuple(columns), str(encoding), str(purpose), bool(total_row))


@dataclass(frozen=True, slots=True)
class MissingTransfer:
    """A paid worker who is not in the bank file, and why."""

    worker_id: str
    name: str
    net: Decimal
    reason: str


@dataclass(slots=True)
class BankFile:
    """The transfers of a register under a layout; ``missing`` lists everyone left out."""

    layout: BankLayout
    purpose: str
    rows: list[list[object]] = field(default_factory=list)
    missing: list[MissingTransfer] = field(default_factory=list)
    total: Decimal = ZERO

    @property
    def count(self) -> int:
        return len(self.rows)

    def summary(self) -> str:
        text = f"{self.count} transfers, total {self.total:,.2f}"
        if self.missing:
            text += f"; {len(self.missing)} paid worker(s) not in the file (listed)"
        return text

    def _table(self) -> tuple[list[str], list[list[object]]]:
        headers = [column.header for column in self.layout.columns]
        rows = list(self.rows)
        if self.layout.total_row:
            total: list[object] = [""] * len(headers)
            total[0] = f"合计 {self.count} 笔"
            for index, column in enumerate(self.layout.columns):
                if column.field == "amount":
                    total[index] = self.total
            rows.append(total)
        return headers, rows

    def write(self, target: Target, format: str = "csv") -> None:
        """CSV in the layout's encoding, or XLSX (account numbers as text)."""
        headers, rows = self._table()
        if format == "xlsx":
            kinds = [
                "money" if c.field == "amount" else "id" if c.field else "text"
                for c in self.layout.columns
            ]
            write_xlsx(target, [Sheet("代发工资", headers, kinds, rows)])
            return
        with open_text_target(target, self.layout.encoding) as handle:
            writer = csv.writer(handle)
            writer.writerow(headers)
            for row in rows:
                writer.writerow(
                    [format_money(v) if isinstance(v, Decimal) else neutralise(str(v)) for v in row]
                )

    def write_missing(self, target: Target) -> None:
        """The workers left out: 工号, 姓名, 实发, 原因 (UTF-8 CSV with BOM)."""
        with open_text_target(target, "utf-8-sig") as handle:
            writer = csv.writer(handle)
            writer.writerow(["工号", "姓名", "实发", "原因"])
            for item in self.missing:
                writer.writerow(
                    [neutralise(item.worker_id), neutralise(item.name), format_money(item.net),
                     item.reason]
                )  # fmt: skip


def _purpose(layout: BankLayout, register: Register) -> str:
    month = register.month
    return layout.purpose.format(
        year=month.year, month=month.month, yyyymm=f"{month.year}{month.month:02d}"
    )


def _cell(row: RegisterRow, column: BankColumn, purpose: str, index: int) -> object:
    if column.value:
        return column.value
    record = row.item.record
    identity = record.identity if record is not None else {}
    slip = row.item.slip
    return {
        "account_name": identity.get("account_name") or row.item.name,
        "account": identity.get("bank_account", ""),
        "amount": slip.net,
        "purpose": purpose,
        "bank_name": identity.get("bank_name", ""),
        "worker_id": slip.worker_id,
        "name": row.item.name,
        "id_number": identity.get("id_number", ""),
        "phone": identity.get("phone", ""),
        "index": str(index),
    }[column.field]


def bank_file(register: Register, layout: BankLayout = DEFAULT_LAYOUT) -> BankFile:
    """The transfers for a register: every worker with a positive net, checked and totalled."""
    purpose = _purpose(layout, register)
    result = BankFile(layout, purpose)
    paid = ZERO
    for row in register.rows:
        slip, name = row.item.slip, row.item.name
        record = row.item.record
        identity = record.identity if record is not None else {}
        reason = ""
        if slip.net <= 0:
            reason = (
                "实发为0, 无需转账 (net pay is zero)"
                if slip.net == 0
                else f"实发为负 {slip.net:,.2f}: deductions exceed gross pay; settle by hand"
            )
        elif not identity.get("bank_account"):
            reason = "无银行账号 (no bank account on the roster)"
        elif not (identity.get("account_name") or name):
            reason = "无户名 (no account holder name on the roster)"
        if reason:
            result.missing.append(MissingTransfer(slip.worker_id, name, slip.net, reason))
            continue
        result.rows.append(
            [_cell(row, column, purpose, len(result.rows) + 1) for column in layout.columns]
        )
        paid += slip.net
    amount_index = next(i for i, c in enumerate(layout.columns) if c.field == "amount")
    result.total = sum(
        (v for r in result.rows if isinstance(v := r[amount_index], Decimal)), ZERO
    )
    left_out = sum((m.net for m in result.missing if m.net > 0), ZERO)
    register_net = sum((r.item.slip.net for r in register.rows if r.item.slip.net > 0), ZERO)
    if result.total != paid or result.total + left_out != register_net:  # pragma: no cover
        raise RuntimeError(
            f"internal: bank total {result.total} + left out {left_out} ≠ register's positive "
            f"net pay {register_net}"
        )
    return result
