"""A worked month under Kunming 2024 (taxed, contributions): register, year to date, files.

Hand computations (yunnan.kunming 2024 table, floor base 4,500: employee 8% + 2% + 0.3% +
12% = 1,003.50; employer five insurances 16% + 8% + 0.7% + 0.2% = 1,120.50):

- KM-0002 (the docs/gross-to-net.md worker): 3,300 + 4,320 = 7,620 before the 7,540 ceiling
  counted with the employer's five insurances: 7,620 + 1,120.50 − 7,540 = 1,200.50 cut from
  绩效奖励 → gross 6,419.50. Taxable a month 6,419.50 − 5,000 − 1,003.50 = 416; March
  cumulative 1,248 × 3% = 37.44, less 24.96 withheld in January–February = 12.48;
  net 6,419.50 − 1,003.50 − 12.48 = 5,403.52.
- KM-0003 正职, 大专, 初级社工证, appraisals 4 称职 + 1 优秀 (19 points → grade 5):
  3,000 + 800 + 320 × 4 = 5,080; declared 子女教育 1 child at 50% (2,000 × 0.5 = 1,000) and
  赡养老人 独生子女 (3,000): taxable below zero, no tax; net 5,080 − 1,003.50 = 4,076.50.
- KM-0005 专职委员, grade 1: 2,400 + 800 = 3,200; net 2,196.50. No bank account.
- KM-0101 hired 2024-03-11 (21 of 31 days), 本科 → 4 points → grade 2: 2,400 × 21/31 =
  1,625.81, 1,120 × 21/31 = 758.71, gross 2,384.52, net 1,381.02.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest

from paycalc.close import bank_file, close_month, read_ytd, tax_file
from paycalc.close.bank import load_bank_layout
from paycalc.close.iit import BONUS_COLUMNS, WAGE_COLUMNS
from tests.conftest import EXAMPLES

ROSTER = EXAMPLES / "rosters" / "kunming-close.csv"
D = Decimal


@pytest.fixture(scope="module")
def march():  # type: ignore[no-untyped-def]
    return close_month(ROSTER, "2024-03")


def test_march_register_by_hand(march) -> None:  # type: ignore[no-untyped-def]
    rows = {r["工号"]: r for r in march.register.to_rows()}
    assert rows["KM-0002"]["应发合计"] == D("6419.50")
    assert rows["KM-0002"]["个人所得税"] == D("12.48")
    assert rows["KM-0002"]["实发"] == D("5403.52")
    assert rows["KM-0002"]["累计已预扣税额"] == D("37.44")
    assert rows["KM-0002"]["累计收入"] == D("19258.50")  # 3 × 6,419.50
    assert rows["KM-0003"]["实发"] == D("4076.50")
    assert rows["KM-0003"]["累计子女教育"] == D("3000.00")  # 3 months × 1,000
    assert rows["KM-0003"]["累计赡养老人"] == D("9000.00")  # 3 months × 3,000
    assert rows["KM-0005"]["实发"] == D("2196.50")
    assert rows["KM-0101"]["应发合计"] == D("2384.52")
    assert rows["KM-0101"]["个税累计来源"] == "本月起算"
    assert rows["KM-0002"]["个税累计来源"] == "本系统重算"
    total = rows["合计"]
    assert total["实发"] == D("13057.54")  # 5,403.52 + 4,076.50 + 2,196.50 + 1,381.02
    assert total["单位总成本"] == D("23726.02")  # 4 × 1,660.50 employer + gross 17,084.02
    # pass-through columns as written, normalised
    assert rows["KM-0002"]["银行账号"] == "6222024100001234567"
    assert rows["KM-0002"]["社区"] == "金碧社区"
    # the recomputed year is said once, not per row
    assert any("recomputed for 3 worker(s)" in note for note in march.register.notes)


def test_april_continues_from_the_march_register(march, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    register = tmp_path / "2024-03.xlsx"
    march.register.write_xlsx(register)
    april = close_month(ROSTER, "2024-04", ytd=register)
    rows = {r["工号"]: r for r in april.register.to_rows()}
    # April: cumulative taxable 4 × 416 = 1,664 × 3% = 49.92 − 37.44 = 12.48
    assert rows["KM-0002"]["个人所得税"] == D("12.48")
    assert rows["KM-0002"]["累计已预扣税额"] == D("49.92")
    assert rows["KM-0002"]["个税累计来源"] == "上月累计"
    assert rows["KM-0003"]["累计子女教育"] == D("4000.00")  # items carried on
    assert not [n for n in april.register.notes if "recomputed" in n]
    # A December slip from a year to date computes December alone.
    assert all(not item.year_before for item in april.result.slips)


def test_april_from_another_systems_figures(tmp_path: Path) -> None:
    ytd = tmp_path / "ytd.csv"
    ytd.write_text(
        "工号,累计截至,累计收入,累计减除费用,累计专项扣除,累计专项附加扣除,累计已预扣税额\n"
        "KM-0002,2024-03,21000.00,15000,3010.50,0,89.85\n",
        encoding="utf-8",
    )
    april = close_month(ROSTER, "2024-04", ytd=ytd)
    rows = {r["工号"]: r for r in april.register.to_rows()}
    # 21,000 + 6,419.50 = 27,419.50 − 20,000 − (3,010.50 + 1,003.50) = 3,405.50 taxable;
    # × 3% = 102.165 → 102.17; less 89.85 withheld = 12.32.
    assert rows["KM-0002"]["个人所得税"] == D("12.32")
    assert rows["KM-0002"]["累计已预扣税额"] == D("102.17")
    # The others had no figures (KM-0101 too: hired in March): recomputed, and said so.
    assert rows["KM-0003"]["个税累计来源"] == "本系统重算"
    assert any("recomputed for 3 worker(s)" in n for n in april.register.notes)


@pytest.mark.parametrize(
    ("line", "fragment"),
    [
        ("KM-0002,2024-02,21000,15000,3010.50,0,89.85", "use the register of 2024-03"),
        ("KM-0002,2024-03,21000,12500,3010.50,0,89.85", "not a whole number of months"),
        ("KM-0002,2024-03,21000,20000,3010.50,0,89.85", "counts 4 months"),
        ("KM-0002,2024-03,21000,15000,,0,89.85", "empty"),
        ("KM-0002,2024-03,-1,15000,3010.50,0,89.85", "must be ≥ 0"),
    ],
)
def test_unusable_year_to_date_fails_the_row(tmp_path: Path, line: str, fragment: str) -> None:
    ytd = tmp_path / "ytd.csv"
    ytd.write_text(
        "工号,累计截至,累计收入,累计减除费用,累计专项扣除,累计专项附加扣除,累计已预扣税额\n"
        + line + "\n",
        encoding="utf-8",
    )
    april = close_month(ROSTER, "2024-04", ytd=ytd)
    (error,) = [e for e in april.register.errors if e.worker_id == "KM-0002"]
    assert error.field == "--ytd" and fragment in error.reason
    assert "KM-0002" not in april.register.by_worker()


def test_a_ytd_file_without_the_needed_columns_is_refused(tmp_path: Path) -> None:
    ytd = tmp_path / "ytd.csv"
    ytd.write_text("工号,累计收入\nKM-0002,100\n", encoding="utf-8")
    with pytest.raises(Exception, match="missing year-to-date column"):
        close_month(ROSTER, "2024-04", ytd=ytd)
    assert read_ytd(ytd, "2024-04").entries == {}


def test_bank_file_lists_who_has_no_account(march) -> None:  # type: ignore[no-untyped-def]
    bank = bank_file(march.register)
    assert [row[0] for row in bank.rows] == ["张国强", "王海燕", "李明"]
    assert bank.total == D("10861.04")  # 13,057.54 − 2,196.50 (KM-0005 has no account)
    assert [(m.worker_id, m.net) for m in bank.missing] == [("KM-0005", D("2196.50"))]
    out = io.BytesIO()
    bank.write(out)
    text = out.getvalue().decode("utf-8-sig").splitlines()
    assert text[0] == "户名,银行账号,金额,用途"
    assert text[1] == "张国强,6222024100001234567,5403.52,2024年3月工资"


def test_bank_layout_from_toml(march, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    layout = tmp_path / "bank.toml"
    layout.write_text(
        'encoding = "gbk"\npurpose = "代发工资{yyyymm}"\ntotal_row = true\n'
        '[[columns]]\nheader = "序号"\nfield = "index"\n'
        '[[columns]]\nheader = "收款账号"\nfield = "account"\n'
        '[[columns]]\nheader = "收款户名"\nfield = "account_name"\n'
        '[[columns]]\nheader = "金额"\nfield = "amount"\n'
        '[[columns]]\nheader = "摘要"\nfield = "purpose"\n',
        encoding="utf-8",
    )
    bank = bank_file(march.register, load_bank_layout(layout))
    out = io.BytesIO()
    bank.write(out)
    rows = list(csv.reader(io.StringIO(out.getvalue().decode("gbk"))))
    assert rows[0] == ["序号", "收款账号", "收款户名", "金额", "摘要"]
    assert rows[1] == ["1", "6222024100001234567", "张国强", "5403.52", "代发工资202403"]
    assert rows[-1] == ["合计 3 笔", "", "", "10861.04", ""]


def test_bank_layout_problems_are_listed(tmp_path: Path) -> None:
    layout = tmp_path / "bank.toml"
    layout.write_text('encoding = "latin-1"\n[[columns]]\nheader = "x"\nfield = "iban"\n')
    with pytest.raises(Exception) as raised:
        load_bank_layout(layout)
    messages = [p.location for p in raised.value.problems]  # type: ignore[attr-defined]
    assert messages == ["encoding", "columns[0].field", "columns", "columns"]


def test_tax_file_rows_by_hand(march) -> None:  # type: ignore[no-untyped-def]
    taxes = tax_file(march.register)
    rows = {row[0]: dict(zip(WAGE_COLUMNS, row, strict=True)) for row in taxes.wages}
    km2 = rows["KM-0002"]
    assert km2["*证件类型"] == "居民身份证" and km2["*证件号码"] == "530102198003151233"
    assert km2["本期收入"] == D("6419.50")
    assert (km2["基本养老保险费"], km2["基本医疗保险费"], km2["失业保险费"], km2["住房公积金"]) == (
        D("360.00"), D("90.00"), D("13.50"), D("540.00"),
    )  # fmt: skip
    assert rows["KM-0003"]["累计子女教育"] == D("3000.00")
    assert rows["KM-0003"]["累计赡养老人"] == D("9000.00")
    assert len(WAGE_COLUMNS) == 29 and len(BONUS_COLUMNS) == 11
    assert taxes.bonuses == [] and taxes.missing == []


def test_csv_and_jsonl_registers(march) -> None:  # type: ignore[no-untyped-def]
    out = io.BytesIO()
    march.register.write_csv(out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue().decode("utf-8-sig"))))
    assert rows[-1]["工号"] == "合计" and rows[-1]["实发"] == "13057.54"
    out = io.BytesIO()
    march.register.write_jsonl(out)
    lines = out.getvalue().decode("utf-8").splitlines()
    assert len(lines) == 5 and '"实发": "5403.52"' in lines[0]


def test_codes_headers(tmp_path: Path) -> None:
    closed = close_month(ROSTER, "2024-03", headers="codes")
    first = closed.register.to_rows()[0]
    assert first["worker_id"] == "KM-0002" and first["net"] == D("5403.52")
    assert first["income_tax"] == D("12.48") and first["ytd_tax_withheld"] == D("37.44")
