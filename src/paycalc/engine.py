"""scheme + worker + month → :class:`~paycalc.slip.Payslip`.

The engine checks the worker against the scheme version in force, works out the month's
context once (post, grade, service, proration), runs the components in file order, applies
the caps, and totals the lines. Schemes are compiled once per version and cached.
"""

from __future__ import annotations

import functools
import weakref
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from paycalc.components import PayContext, Rule, compile_rule, condition_holds
from paycalc.contributions import ContributionTables, contributions_for, load_contribution_tables
from paycalc.errors import NotEmployed, PayError, Problem, WorkerError
from paycalc.grading import grade_for
from paycalc.limits import shown
from paycalc.money import quantize, to_decimal
from paycalc.period import Month, employed_fraction, proration_basis, service_time
from paycalc.scheme.model import Cap
from paycalc.scheme.registry import SchemeRegistry, resolve_registry
from paycalc.scheme.version import SchemeVersion
from paycalc.slip import PayLine, Payslip, SchemeRef
from paycalc.tax import YearToDate
from paycalc.withholding import TaxState, withhold
from paycalc.worker import Worker, parse_worker

__all__ = [
    "DRAFT_WARNING",
    "ILLUSTRATIVE_WARNING",
    "build_context",
    "check_worker_against",
    "default_contribution_tables",
    "earnings_slip",
    "payroll_year",
    "payslip",
    "payslip_for_version",
    "payslip_with_history",
    "require_employed",
    "uses_history",
]

ILLUSTRATIVE_WARNING = "示例方案: 金额为示例, 并非官方标准 — illustrative scheme: amounts are examples, not official figures"
DRAFT_WARNING = "草案: 未经批准施行, 金额并非官方标准 — draft scheme: a proposal not in force; its figures are not official"


@dataclass(frozen=True, slots=True)
class _Compiled:
    rules: tuple[Rule, ...]  # type: ignore[type-arg]
    ref: SchemeRef


@functools.cache
def default_contribution_tables() -> ContributionTables:
    """The bundled 五险一金 tables, loaded once per process."""
    return load_contribution_tables()


_compiled: weakref.WeakKeyDictionary[SchemeVersion, _Compiled] = weakref.WeakKeyDictionary()


def _compile(scheme: SchemeVersion) -> _Compiled:
    compiled = _compiled.get(scheme)
    if compiled is None:
        compiled = _Compiled(
            rules=tuple(compile_rule(spec, scheme) for spec in scheme.spec.components),
            ref=SchemeRef(scheme.family, scheme.version, scheme.status, scheme.sha256),
        )
        _compiled[scheme] = compiled
    return compiled


def _as_worker(worker: Worker | Mapping[str, Any]) -> Worker:
    return worker if isinstance(worker, Worker) else parse_worker(dict(worker))


def _as_month(month: Month | str) -> Month:
    return month if isinstance(month, Month) else Month.parse(month)


def payslip(
    worker: Worker | Mapping[str, Any],
    month: Month | str,
    *,
    schemes: SchemeRegistry | None = None,
    include_drafts: bool = False,
    scheme: str | None = None,
    as_of: date | None = None,
    contributions: ContributionTables | None = None,
    ytd: YearToDate | None = None,
) -> Payslip:
    """The itemised slip of ``worker`` for ``month``.

    ``scheme`` names the family when the worker record names none; ``schemes`` defaults to
    the bundled schemes; ``as_of`` counts only versions published by that date. When the
    scheme withholds income tax, the months of the year before ``month`` are computed too
    (cumulative withholding), unless ``ytd`` supplies the year-to-date figures.
    """
    worker = _as_worker(worker)
    month = _as_month(month)
    require_employed(worker, month)
    family = _family(worker, scheme)
    registry = resolve_registry(schemes, include_drafts=include_drafts)
    version = registry.version_for(family, month, as_of=as_of)
    wage_base = _wage_base(worker, registry, family, as_of, contributions)
    if not version.spec.scheme.income_tax:
        return _slip_and_state(worker, month, version, contributions, None, wage_base, as_of)[0]
    if ytd is not None:
        state = TaxState(ytd)
        return _slip_and_state(worker, month, version, contributions, state, wage_base, as_of)[0]
    # Cumulative withholding: the month's tax depends on every earlier month of the year.
    year_so_far = payroll_year(
        worker,
        month.year,
        schemes=registry,
        scheme=family,
        as_of=as_of,
        contributions=contributions,
        until=month,
    )
    slip = year_so_far[-1]
    # The worker is employed in the month (checked above), so the year ends with it.
    assert slip.month == str(month), (slip.month, str(month))
    return slip


def require_employed(worker: Worker, month: Month) -> None:
    """Refuse a month in which the worker was not employed at all (:class:`NotEmployed`)."""
    if worker.hired_on > month.last_day:
        raise NotEmployed(
            worker.id,
            str(month),
            f"not employed in {month}: hired {worker.hired_on}",
            location="hired_on",
        )
    if worker.left_on is not None and worker.left_on < month.first_day:
        raise NotEmployed(
            worker.id,
            str(month),
            f"not employed in {month}: left {worker.left_on}",
            location="left_on",
        )


def _family(worker: Worker, scheme: str | None) -> str:
    family = worker.scheme or scheme
    if family is None:
        raise WorkerError(
            [
                Problem(
                    f"worker {worker.id}", "scheme", "no scheme named by the worker or the caller"
                )
            ]
        )
    return family


def _check_inputs(scheme: SchemeVersion, worker: Worker) -> tuple[list[Problem], list[str]]:
    problems, warnings = [], []
    source = f"worker {worker.id}"
    for name, spec in scheme.spec.inputs.items():
        value = worker.inputs.get(name)
        where = f"inputs.{name}"
        if value is None:
            problems.append(
                Problem(
                    source, where, f"required by {scheme.family} {scheme.version} ({spec.label})"
                )
            )
        elif spec.type == "choice" and (isinstance(value, bool) or str(value) not in spec.choices):
            problems.append(
                Problem(source, where, f"expected one of {', '.join(spec.choices)}; got {shown(value)}")
            )
        elif spec.type == "number" and not _is_number(value):
            problems.append(Problem(source, where, f"expected a number; got {shown(value)}"))
        elif spec.type == "yes_no" and not isinstance(value, bool):
            problems.append(Problem(source, where, f"expected true or false; got {shown(value)}"))
    for name in worker.inputs:
        if name not in scheme.spec.inputs:
            warnings.append(f"inputs.{name} is not used by {scheme.family} {scheme.version}")
    return problems, warnings


def _is_number(value: object) -> bool:
    if isinstance(value, bool):
        return False
    try:
        to_decimal(value)
    except (TypeError, ValueError):
        return False
    return True


def check_worker_against(scheme: SchemeVersion, worker: Worker) -> tuple[list[Problem], list[str]]:
    """Problems (and warnings) of a worker record under one scheme version."""
    problems, warnings = _check_inputs(scheme, worker)
    post = scheme.post_code(worker.post)
    source = f"worker {worker.id}"
    if post is None:
        known = ", ".join(f"{code} ({spec.label})" for code, spec in scheme.spec.posts.items())
        problems.insert(
            0,
            Problem(
                source,
                "post",
                f"unknown post {shown(worker.post)} for {scheme.family} {scheme.version}; expected one of {known}",
            ),
        )
        return problems, warnings
    band = scheme.post(post).grades
    if worker.grade is not None and band is not None and not band[0] <= worker.grade <= band[1]:
        problems.append(
            Problem(
                source,
                "grade",
                f"grade {worker.grade} is outside the {scheme.post(post).label} band {band[0]}–{band[1]} "
                f"of {scheme.family} {scheme.version}",
            )
        )
    rule = scheme.spec.grade
    if worker.grade is None and rule is not None and rule.method == "given":
        problems.append(
            Problem(
                source,
                "grade",
                f"required: {scheme.family} {scheme.version} takes the grade as given",
            )
        )
    return problems, warnings


def build_context(
    worker: Worker, month: Month, scheme: SchemeVersion
) -> tuple[PayContext, list[str]]:
    """Check the worker against ``scheme`` and work out the month's context."""
    require_employed(worker, month)
    problems, warnings = check_worker_against(scheme, worker)
    if problems:
        raise WorkerError(problems)
    post = scheme.post_code(worker.post)
    assert post is not None
    method = scheme.spec.scheme.proration
    fraction = employed_fraction(month, worker.hired_on, worker.left_on, method)
    fraction_basis = (
        "" if fraction == 1 else proration_basis(month, worker.hired_on, worker.left_on, method)
    )
    context = PayContext(
        worker=worker,
        month=month,
        scheme=scheme,
        post=post,
        post_label=scheme.post(post).label,
        grade=grade_for(scheme, worker, post, month),
        service=service_time(worker.hired_on, month.first_day),
        fraction=fraction,
        fraction_basis=fraction_basis,
        rounding=scheme.spec.scheme.rounding,
    )
    return context, warnings


def payslip_for_version(
    worker: Worker,
    month: Month,
    scheme: SchemeVersion,
    *,
    contributions: ContributionTables | None = None,
    tax_state: TaxState | None = None,
) -> Payslip:
    """The slip of ``worker`` for ``month`` under this exact scheme version.

    A scheme that withholds income tax needs the worker's ``tax_state`` before the month
    (year-to-date figures); :func:`payslip` and :func:`payroll_year` work it out.
    """
    return _slip_and_state(worker, month, scheme, contributions, tax_state)[0]


def earnings_slip(worker: Worker, month: Month, scheme: SchemeVersion) -> Payslip:
    """A slip for comparing earnings (impact, invariants) under this exact version.

    Income tax needs the year's history; these comparisons look at earnings, so a scheme
    that withholds tax starts the year afresh here instead of refusing.
    """
    state = TaxState.start() if scheme.spec.scheme.income_tax else None
    return payslip_for_version(worker, month, scheme, tax_state=state)


def _slip_and_state(
    worker: Worker,
    month: Month,
    scheme: SchemeVersion,
    contributions: ContributionTables | None,
    tax_state: TaxState | None,
    wage_base: WageBase | None = None,
    as_of: date | None = None,
) -> tuple[Payslip, TaxState | None]:
    ctx, warnings = build_context(worker, month, scheme)
    lines = _component_lines(ctx, scheme)
    header = scheme.spec.scheme
    insurance_codes: frozenset[str] = frozenset()
    if header.contribution_table is not None:
        tables = contributions if contributions is not None else default_contribution_tables()
        table = tables.table_for(header.contribution_table, month.first_day, as_of)
        base = worker.contribution_base
        if base is None and table.base.default == "previous_year_average" and wage_base is not None:
            base = wage_base(month)
        found = contributions_for(table, base)
        lines += [PayLine(c.code, c.label, c.category, c.amount, c.basis) for c in found]
        insurance_codes = frozenset(c.code for c in found if c.category == "deduction")
        if table.status == "illustrative":
            warnings.append(
                f"五险一金表 {table.id} {table.version} 为示例费率 — illustrative contribution table"
            )
    for cap in scheme.spec.caps:
        warnings += _apply_cap(cap, lines, ctx)
    state_after = None
    if header.income_tax:
        if tax_state is None:
            raise PayError(
                worker.id,
                str(month),
                "income tax needs the year-to-date figures: use paycalc.payslip, "
                "paycalc.payroll_year, or pass tax_state",
            )
        tax_lines, state_after, tax_warnings = withhold(
            lines, worker, month, scheme, tax_state, insurance_codes
        )
        lines += tax_lines
        warnings += tax_warnings
    if scheme.status == "illustrative":
        warnings.insert(0, ILLUSTRATIVE_WARNING)
    elif scheme.is_draft:
        warnings.insert(0, DRAFT_WARNING)
    slip = Payslip.from_lines(worker.id, str(month), _compile(scheme).ref, lines, warnings)
    return slip, state_after


def _component_lines(ctx: PayContext, scheme: SchemeVersion) -> list[PayLine]:
    """The lines of the scheme's components, in file order (before contributions and caps)."""
    lines: list[PayLine] = []
    for rule in _compile(scheme).rules:
        if rule.when is not None and not condition_holds(rule.when, ctx):
            continue
        line = rule.line(ctx)
        if line is not None:
            lines.append(line)
            ctx.amounts[line.code] = line.amount
    return lines


#: Gives the contribution base for a month from the worker's previous-year wages.
WageBase = Callable[[Month], Decimal]


def _wage_base(
    worker: Worker,
    registry: SchemeRegistry,
    family: str,
    as_of: date | None,
    contributions: ContributionTables | None,
) -> WageBase:
    """上年度月平均工资: the average monthly gross of the previous year's employed months.

    A worker hired in the year (no wages the year before) is based on the first month's
    wage: that month's component earnings (before contributions and caps, which would
    depend on the base being worked out). Computed once per year and memoised.
    """
    averages: dict[int, Decimal] = {}

    def base_for(month: Month) -> Decimal:
        year = month.year
        if year in averages:
            return averages[year]
        months = _employed_months(worker, Month(year - 1, 1), Month(year - 1, 12))
        if months:
            total = Decimal(0)
            for earlier in months:
                version = registry.version_for(family, earlier, as_of=as_of)
                state = TaxState.start() if version.spec.scheme.income_tax else None
                total += _slip_and_state(worker, earlier, version, contributions, state, base_for)[
                    0
                ].gross
            average = quantize(total / len(months))
        else:
            first = _employed_months(worker, Month(year, 1), Month(year, 12))[0]
            version = registry.version_for(family, first, as_of=as_of)
            ctx, _ = build_context(worker, first, version)
            earnings = _component_lines(ctx, version)
            average = sum(
                (line.amount for line in earnings if line.category == "earning"), Decimal(0)
            )
        averages[year] = average
        return average

    return base_for


def uses_history(scheme: SchemeVersion) -> bool:
    """Whether a slip under this version may depend on the worker's earlier months.

    Income tax is withheld cumulatively over the year, and a contribution base may be last
    year's average wage; such slips are computed with the months before them.
    """
    header = scheme.spec.scheme
    return header.income_tax or header.contribution_table is not None


def payslip_with_history(
    worker: Worker,
    month: Month,
    scheme: SchemeVersion,
    *,
    schemes: SchemeRegistry,
    family: str,
    as_of: date | None = None,
    contributions: ContributionTables | None = None,
) -> Payslip:
    """The slip under ``scheme``, computing earlier months first when it depends on them.

    For runs and forecasts, which already know the version in force: versions whose slips
    stand alone go straight to :func:`payslip_for_version`; the others to :func:`payslip`.
    """
    if uses_history(scheme):
        return payslip(
            worker, month, schemes=schemes, scheme=family, as_of=as_of, contributions=contributions
        )
    return payslip_for_version(worker, month, scheme, contributions=contributions)


def _employed_months(worker: Worker, first: Month, last: Month) -> list[Month]:
    hired = Month.of(worker.hired_on)
    left = Month.of(worker.left_on) if worker.left_on is not None else last
    start, end = max(first, hired), min(last, left)
    return [start.plus(offset) for offset in range(end.months_since(start) + 1)]


def payroll_year(
    worker: Worker | Mapping[str, Any],
    year: int,
    *,
    schemes: SchemeRegistry | None = None,
    include_drafts: bool = False,
    scheme: str | None = None,
    as_of: date | None = None,
    contributions: ContributionTables | None = None,
    until: Month | None = None,
    ytd: YearToDate | None = None,
) -> list[Payslip]:
    """The worker's slips for every employed month of ``year`` (through ``until``), in order.

    Income tax is withheld cumulatively: each month's tax counts the months before it.
    ``ytd`` starts the year from figures the caller supplies (a system adopting paycalc
    mid-year passes what it withheld so far, and asks for the months after).
    """
    worker = _as_worker(worker)
    family = _family(worker, scheme)
    registry = resolve_registry(schemes, include_drafts=include_drafts)
    last = until if until is not None else Month(year, 12)
    first = Month(year, 1) if ytd is None else Month(year, 1 + ytd.months_counted)
    state = TaxState.start() if ytd is None else TaxState(ytd)
    slips = []
    wage_base = _wage_base(worker, registry, family, as_of, contributions)
    for month in _employed_months(worker, first, last):
        version = registry.version_for(family, month, as_of=as_of)
        slip, after = _slip_and_state(
            worker, month, version, contributions, state, wage_base, as_of
        )
        slips.append(slip)
        state = after if after is not None else state
    return slips


def _employer_counted(cap: Cap, code: str) -> bool:
    if isinstance(cap.include_employer, bool):
        return cap.include_employer
    return code.removesuffix("_employer") in cap.include_employer


def _apply_cap(cap: Cap, lines: list[PayLine], ctx: PayContext) -> list[str]:
    """Reduce the named lines, in order, until the capped total is within the limit."""
    all_earnings = "gross" in cap.of
    total = Decimal(0)
    for line in lines:
        if (
            (all_earnings and line.category == "earning")
            or line.code in cap.of
            or (line.category == "employer" and _employer_counted(cap, line.code))
        ):
            total += line.amount
    excess = total - cap.limit
    if excess <= 0:
        return []
    for code in cap.reduce:
        index = next((i for i, line in enumerate(lines) if line.code == code), None)
        if index is None or excess <= 0:
            continue
        line = lines[index]
        cut = min(line.amount, quantize(excess, ctx.rounding))
        lines[index] = PayLine(
            line.code,
            line.label,
            line.category,
            line.amount - cut,
            f"{line.basis} · {cap.label} {cap.limit:,}: 扣减 {cut:,.2f}",
        )
        ctx.amounts[code] = line.amount - cut
        excess -= cut
    if excess > 0:
        return [
            f"{cap.label} {cap.limit:,}: still exceeded by {excess:,.2f} after reducing {', '.join(cap.reduce)}"
        ]
    return []
