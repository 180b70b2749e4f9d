"""``paycalc explain``: the whole derivation of a slip, in Chinese labels.

Enough for a worker to check their own slip by hand: service counted, points by factor,
the grade, and each line with the rule and numbers it used.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from paycalc.codes import label_of
from paycalc.contributions import ContributionTables
from paycalc.engine import payslip
from paycalc.evaluate import compiled, month_facts
from paycalc.facts import WorkerFacts
from paycalc.money import format_money
from paycalc.ops import SCALAR
from paycalc.period import Month, service_time
from paycalc.scheme.registry import SchemeRegistry, resolve_registry
from paycalc.service import failed_years, passed_years
from paycalc.slip import Payslip
from paycalc.worker import Worker, parse_worker

__all__ = ["Explanation", "explain"]

_KIND_WORDS = {
    "by_post": "按岗位定额",
    "by_grade": "按岗位等级",
    "coefficient": "基数 × 系数",
    "seniority": "按年限",
    "highest_level": "按最高等级",
    "one_off": "一次性发放",
    "yearly": "按上年度考核每年发放",
    "share_of": "按比例",
    "by_input": "按申报档次",
    "input_rate": "按申报金额比例",
}


@dataclass(frozen=True)
class Explanation:
    """A slip and the steps that led to it, ready to print."""

    slip: Payslip
    steps: tuple[str, ...]

    def render(self) -> str:
        return "\n".join(self.steps) + "\n"


def explain(
    worker: Worker | Mapping[str, Any],
    month: Month | str,
    *,
    schemes: SchemeRegistry | None = None,
    include_drafts: bool = False,
    scheme: str | None = None,
    as_of: date | None = None,
    contributions: ContributionTables | None = None,
) -> Explanation:
    worker = worker if isinstance(worker, Worker) else parse_worker(dict(worker))
    month = month if isinstance(month, Month) else Month.parse(month)
    registry = resolve_registry(schemes, include_drafts=include_drafts)
    slip = payslip(
        worker, month, schemes=registry, scheme=scheme, as_of=as_of, contributions=contributions
    )
    version = registry.find(slip.scheme.id, slip.scheme.version)
    ctx = month_facts(compiled(version), WorkerFacts(worker), month, SCALAR, explain=True)
    header = version.spec.scheme
    steps = [
        f"{worker.id} {worker.name} · {month} 工资计算说明",
        f"方案: {header.title} ({version.family} {version.version}, {version.status}), "
        f"自 {version.effective_from} 起执行, 公布于 {version.published_on}",
        f"出处: {header.source.title}"
        + (f" {header.source.number}" if header.source.number else ""),
        "",
        "一、基本情况",
        f"  岗位: {ctx.post_label} ({ctx.post_code})",
        f"  入职: {worker.hired_on}; 截至 {month.first_day} 工作 "
        f"{service_time(worker.hired_on, month.first_day)} (满 {ctx.service_years} 年)",
        f"  学历: {label_of(worker.education) if worker.education else '未填'};"
        f" {'在编' if worker.in_establishment else '非在编'}",
        f"  年度考核: 合格 {passed_years(ctx)} 年, 不称职 {failed_years(ctx)} 年",
    ]
    if not ctx.full:
        steps.append(f"  本月在岗比例: {ctx.fraction_basis} ({header.proration} 折算)")
    steps += ["", "二、等级"]
    if not ctx.grade.value:
        steps.append("  本方案不分等级")
    else:
        steps += [f"  {step}" for step in ctx.grade.steps]
        steps.append(f"  → 第{ctx.grade.value}级")
    steps += ["", "三、各项目"]
    kinds = {c.code: c.kind for c in version.spec.components}
    for line in slip.lines:
        how = _KIND_WORDS.get(
            kinds.get(line.code, ""), "按费率表" if line.category != "earning" else ""
        )
        steps.append(
            f"  {line.label} ({line.code}, {how}): {format_money(line.amount)}  ← {line.basis}"
        )
    steps += [
        "",
        "四、合计",
        f"  应发 {format_money(slip.gross)} − 扣除 {format_money(slip.deductions)} = 实发 {format_money(slip.net)};"
        f" 单位总成本 {format_money(slip.employer_cost)}",
    ]
    steps += [f"  ! {warning}" for warning in slip.warnings]
    return Explanation(slip, tuple(steps))
