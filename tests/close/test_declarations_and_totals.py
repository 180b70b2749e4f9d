"""Declarations files keyed by 工号; register totals equal the slips' sums (property)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paycalc.close import close_month
from paycalc.io import read_roster
from tests.conftest import EXAMPLES

ROSTER = EXAMPLES / "rosters" / "kunming-close.csv"


def test_declarations_file_feeds_the_tax_record(tmp_path: Path) -> None:
    declarations = tmp_path / "decl.csv"
    declarations.write_text(
        "工号,姓名,住房租金,赡养老人,赡养老人分摊额\nKM-0002,张国强,1,非独生子女,1000\n",
        encoding="utf-8",
    )
    march = close_month(ROSTER, "2024-03", declarations=declarations)
    row = march.register.by_worker()["KM-0002"]
    # 住房租金 tier 1: 1,500 a month; 赡养老人 shared 1,000: 2,500 > the 416 taxable, so no tax.
    assert row.item.slip.amount("income_tax") == Decimal("0")
    assert row.tax is not None and row.tax.special_items is not None
    assert row.tax.special_items["累计住房租金"] == Decimal("4500")
    assert row.tax.special_items["累计赡养老人"] == Decimal("3000")


def test_declared_twice_or_against_the_rules_fails_the_row(tmp_path: Path) -> None:
    declarations = tmp_path / "decl.csv"
    declarations.write_text(
        "工号,子女教育,住房贷款利息,住房租金\nKM-0003,1,,\nKM-0002,,是,1\nKM-9999,1,,\n",
        encoding="utf-8",
    )
    march = close_month(ROSTER, "2024-03", declarations=declarations)
    reasons = {e.worker_id: e.reason for e in march.register.errors}
    assert "declared both on the roster" in reasons["KM-0003"]
    assert "cannot both be claimed" in reasons["KM-0002"]
    assert any("KM-9999" in note for note in march.register.notes)


def test_child_share_as_the_worker_format_writes_it(tmp_path: Path) -> None:
    roster = tmp_path / "r.jsonl"
    roster.write_text(
        '{"工号": "J1", "方案": "kunming.community-worker", "岗位": "正职", '
        '"入职日期": "2015-01-01", "tax": {"children_in_education": 1, "child_share": 0.5}}\n',
        encoding="utf-8",
    )
    (record,) = read_roster(roster).records
    assert record.worker is not None and record.worker.tax.child_share == Decimal("0.5")


ROW = st.tuples(
    st.sampled_from(["一肩挑", "正职", "副职", "专职委员"]),
    st.dates(min_value=date(2000, 1, 1), max_value=date(2024, 3, 31)),
    st.sampled_from(["高中", "大专", "本科", "硕士"]),
    st.sampled_from(["", "1", "2"]),
)


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(ROW, min_size=1, max_size=8), st.sampled_from(["2024-01", "2024-03", "2024-12"]))
def test_totals_are_the_sums_of_the_slips(tmp_path: Path, rows: list, month: str) -> None:  # type: ignore[type-arg]
    roster = tmp_path / "r.csv"
    lines = ["工号,方案,岗位,入职日期,学历,子女教育"]
    lines += [f"W{i},kunming.community-worker,{p},{d},{e},{c}" for i, (p, d, e, c) in enumerate(rows)]
    roster.write_text("\n".join(lines) + "\n", encoding="utf-8")
    register = close_month(roster, month).register
    totals = register.totals()
    slips = [row.item.slip for row in register.rows]
    # a worker hired after the month is neither a slip nor an error (NotEmployed)
    assert len(slips) + len(register.not_employed) + register.failed_rows == len(rows)
    assert totals["实发"] == sum((s.net for s in slips), Decimal(0))
    assert totals["应发合计"] == sum((s.gross for s in slips), Decimal(0))
    earning_columns = [c.header for c in register.columns if c.code.startswith("line:")
                       and any(line.code == c.code[5:] and line.category == "earning"
                               for s in slips for line in s.lines)]  # fmt: skip
    assert sum((totals[h] for h in earning_columns), Decimal(0)) == totals["应发合计"]
    assert totals["实发"] == totals["应发合计"] - totals["扣除合计"]
