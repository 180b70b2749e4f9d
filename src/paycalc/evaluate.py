"""A month of pay under one scheme version, written once for one worker or a whole roster.

:func:`evaluate_month` runs the whole rule book on a *facts* object (:mod:`paycalc.facts`)
with its ops (:mod:`paycalc.ops`): the checks of the record against the scheme, the grade,
every component in file order (eligibility, proration, rounding), the 五险一金 lines, the
caps and income tax withholding. On one worker it returns the figures the explained slip
is built from (:mod:`paycalc.engine`); on a roster's columns, every row's figures at once
(:mod:`paycalc.columnar`). Nothing about pay is computed anywhere else.

A month that depends on the worker's earlier months — income tax withheld cumulatively over
the year, a contribution base of last year's average wage — takes them as arguments: the
year to date (:class:`~paycalc.tax.cumulative.Running`) and the wage base; the drivers in
:mod:`paycalc.engine` and :mod:`paycalc.columnar` work them out month by month.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from paycalc.choices import choice_warnings
from paycalc.components import Rule, compile_rule, condition_holds
from paycalc.components.base import MonthFacts, Pay
from paycalc.contributions import ContributionTables
from paycalc.contributions.compute import contribution_amounts, refusal
from paycalc.errors import PayError, Problem, WorkerError
from paycalc.grading import Bands, grade_for
from paycalc.money import format_percent, to_decimal
from paycalc.ops import Ops, places, scaled
from paycalc.period import Month
from paycalc.scheme.model import Cap, Yearly
from paycalc.scheme.version import SchemeVersion
from paycalc.slip import Category, SchemeRef
from paycalc.tax import SpecialDeductionClaims, itemised_special_deductions
from paycalc.tax.bonus import separate_bonus_available
from paycalc.tax.brackets import ANNUAL_COMPREHENSIVE_2019, MONTHLY_BONUS_2019
from paycalc.tax.cumulative import Running, cumulative_month, separate_bonus

__all__ = [
    "Compiled",
    "Evaluated",
    "Line",
    "TaxFigures",
    "compiled",
    "evaluate_month",
    "month_facts",
    "withhold_lines",
]


# --- a scheme version, compiled once -------------------------------------------------


@dataclass(frozen=True, slots=True)
class Compiled:
    """A scheme version ready to pay: its rules, bands and post names."""

    version: SchemeVersion
    rules: tuple[Rule[Any], ...]
    bands: Bands
    ref: SchemeRef
    #: code, label or alias → index of the post
    post_index: dict[str, int]
    #: the yearly components taxed as the annual one-off bonus (全年一次性奖金)
    bonus_codes: frozenset[str]


_compiled: weakref.WeakKeyDictionary[SchemeVersion, Compiled] = weakref.WeakKeyDictionary()


def compiled(version: SchemeVersion) -> Compiled:
    """The compiled form of a version (cached while the version lives)."""
    found = _compiled.get(version)
    if found is None:
        codes = list(version.spec.posts)
        names: dict[str, int] = {}
        for index, (code, post) in enumerate(version.spec.posts.items()):
            for name in (code, post.label, *post.aliases):
                names.setdefault(name, index)
        found = Compiled(
            version=version,
            rules=tuple(compile_rule(spec, version) for spec in version.spec.components),
            bands=Bands(version),
            ref=SchemeRef(version.family, version.version, version.status, version.sha256),
            post_index=names,
            bonus_codes=frozenset(
                c.code
                for c in version.spec.components
                if isinstance(c, Yearly) and c.annual_bonus
            ),
        )
        assert len(codes) == len(version.spec.posts)
        _compiled[version] = found
    return found


# --- the month's facts --------------------------------------------------------------


def month_facts(
    scheme: Compiled, facts: Any, month: Month, ops: Ops, *, explain: bool = False
) -> MonthFacts:
    """Employment, post, service and proration of ``month``, before any rule runs."""
    first, last = month.first_day.toordinal(), month.last_day.toordinal()
    hired, left = facts.hired, facts.left
    employed = ops.both(hired <= last, left >= first)
    full = ops.both(hired <= first, left >= last)
    post = facts.lookup("post", lambda text: scheme.post_index.get(str(text).strip(), -1))
    # Completed service on the month's first day, as relativedelta counts it: whole
    # months from the hire date, less one when the hire day-of-month is after the 1st.
    months = (month.year - facts.hired_year) * 12 + (month.month - facts.hired_month)
    months = months - ops.where(facts.hired_day > 1, 1, 0)
    service_years = ops.where(hired >= first, 0, ops.maximum(months, 0) // 12)
    span_first = ops.maximum(hired, first)
    span_last = ops.minimum(left, last)
    if scheme.version.spec.scheme.proration == "calendar":
        numerator = ops.maximum(span_last - span_first + 1, 0)
        denominator: Any = month.days
    else:  # weekdays ÷ 21.75 (计薪天数), at most 1: exactly 4 × weekdays / 87
        numerator = ops.minimum(ops.mul(ops.weekdays(span_first, span_last), 4), 87)
        denominator = 87
    numerator = ops.where(full, 1, numerator)
    denominator = ops.where(full, 1, denominator)
    m = MonthFacts(
        ops=ops,
        facts=facts,
        scheme=scheme.version,
        month=month,
        first=first,
        last=last,
        employed=employed,
        full=full,
        post=ops.maximum(post, 0),
        service_years=service_years,
        numerator=numerator,
        denominator=denominator,
        rounding=scheme.version.spec.scheme.rounding,
        explain=explain,
    )
    if explain and not full:
        method = scheme.version.spec.scheme.proration
        shown = numerator if method == "calendar" else ops.weekdays(span_first, span_last)
        m.fraction_basis = f"{shown}/{month.days}天" if method == "calendar" else f"{shown}/21.75天"
    _check_record(m, scheme, post)
    return m


def _check_record(m: MonthFacts, scheme: Compiled, post: Any) -> None:
    """The record against the scheme: a known post, the declared inputs, the grade."""
    version = scheme.version
    unknown = post < 0
    m.refuse(
        unknown,
        "post",
        lambda: (
            f"unknown post {m.facts.worker.post!r} for {version.family} {version.version}; "
            "expected one of "
            + ", ".join(f"{code} ({spec.label})" for code, spec in version.spec.posts.items())
        ),
    )
    for name, declared in version.spec.inputs.items():
        _check_input(m, name, declared.label, declared.type, declared.choices)
    if unknown is True:
        return  # one worker: the grade of an unknown post means nothing
    m.grade = grade_for(m, scheme.bands)


def _check_input(m: MonthFacts, name: str, label: str, kind: str, choices: Sequence[str]) -> None:
    version = m.scheme
    where = f"inputs.{name}"

    def missing(value: object) -> bool:
        return value is None

    def wrong(value: object) -> bool:
        return value is not None and not _input_ok(kind, choices, value)

    m.refuse(
        m.facts.lookup(f"input:{name}", missing),
        where,
        lambda: f"required by {version.family} {version.version} ({label})",
    )
    m.refuse(
        m.facts.lookup(f"input:{name}", wrong),
        where,
        lambda: _input_problem(kind, choices, m.facts.worker.inputs[name]),
    )


def _input_ok(kind: str, choices: Sequence[str], value: object) -> bool:
    if kind == "choice":
        return not isinstance(value, bool) and str(value) in choices
    if kind == "yes_no":
        return isinstance(value, bool)
    if isinstance(value, bool):
        return False
    try:
        to_decimal(value)
    except (TypeError, ValueError):
        return False
    return True


def _input_problem(kind: str, choices: Sequence[str], value: object) -> str:
    if kind == "choice":
        return f"expected one of {', '.join(choices)}; got {value!r}"
    if kind == "number":
        return f"expected a number; got {value!r}"
    return f"expected true or false; got {value!r}"


def unused_inputs(version: SchemeVersion, inputs: Sequence[str]) -> list[str]:
    """Warnings for inputs a worker gives that the version does not declare."""
    return [
        f"inputs.{name} is not used by {version.family} {version.version}"
        for name in inputs
        if name not in version.spec.inputs
    ]


# --- one month -------------------------------------------------------------------------


@dataclass(slots=True)
class Line:
    """One line's figures: the amount in fen and whether the slip shows it."""

    code: str
    label: str
    category: Category
    amount: Any
    shown: Any
    #: one worker, explained: the line's basis
    basis: str = ""
    #: the rule that paid it, and its full month's amount before proration (for the basis)
    rule: Rule[Any] | None = None
    full: Pay | None = None
    #: what a cap did to it (" · 月应发上限 7,000: 扣减 357.00"), appended to the basis
    cut: str = ""


@dataclass(frozen=True, slots=True)
class TaxFigures:
    """Income tax of the month: the year before and after it, and what made it."""

    before: Running
    after: Running
    month: Any  # paycalc.tax.cumulative.Month
    income: Any  # fen: wages (and a bonus taxed with them)
    social: Any  # fen: the employee's 三险一金 (专项扣除)
    special: Any  # fen: the month's 专项附加扣除
    other: Any
    tax_free: Any
    bonus: Any  # fen: a bonus taxed separately this month (0 when none)
    bonus_tax: Any
    bonus_bracket: Any
    separate: Any  # whether the bonus was taxed separately
    separate_used_after: Any


@dataclass(slots=True)
class Evaluated:
    """A month's figures under one version (one worker, or every row of the columns)."""

    m: MonthFacts
    scheme: Compiled
    lines: list[Line]
    gross: Any
    deductions: Any
    employer: Any
    #: component earnings before contributions and caps (a new hire's first wage base)
    component_earnings: Any
    tax: TaxFigures | None = None
    warnings: list[str] = field(default_factory=list)
    #: fen taken off by each cap (by cap code; 0 where it did not bind): what a cap held back
    cap_cuts: dict[str, Any] = field(default_factory=dict)
    #: the contribution base against the table's limits: 0 no table, 1 at (or raised to) the
    #: floor, 2 at (or cut to) the cap, 3 between them (declared, or last year's average)
    base_status: Any = 0

    @property
    def refused(self) -> Any:
        return self.m.refused


def _raise_problems(m: MonthFacts) -> None:
    """One worker: every problem found so far, as one error (the checks collect them)."""
    if m.problems:
        raise WorkerError(m.problems)


def evaluate_month(
    scheme: Compiled,
    facts: Any,
    month: Month,
    ops: Ops,
    *,
    tables: ContributionTables,
    as_of: date | None = None,
    tax_before: Running | None = None,
    separate_used: Any = False,
    wage_base: Any = None,
    explain: bool = False,
) -> Evaluated:
    """Every figure of ``month`` under ``scheme``.

    ``tax_before`` (a scheme that withholds income tax needs it) is the year to date before
    the month; ``separate_used`` whether the annual bonus was already taxed separately this
    year; ``wage_base`` (fen) the previous year's average wage, for a contribution table
    that bases contributions on it. One worker (``explain``): the lines carry their basis
    and a refused record raises :class:`~paycalc.errors.WorkerError` listing every problem;
    columns: refused rows are marked in ``m.refused``.
    """
    m = month_facts(scheme, facts, month, ops, explain=explain)
    _raise_problems(m)
    version = scheme.version
    header = version.spec.scheme
    lines: list[Line] = []
    for rule in scheme.rules:
        holds = condition_holds(rule.when, m) if rule.when is not None else True
        pay = rule.pay(m)
        _raise_problems(m)
        if explain and not holds:
            continue
        m.refuse(ops.both(holds, pay.refused), rule.code, _no_figure(rule.label))
        _raise_problems(m)
        fires = ops.both(holds, pay.pays)
        amount = ops.where(fires, m.to_fen(pay, rule.prorated), 0)
        shown = ops.both(fires, ops.either(amount != 0, rule.show_zero))
        m.amounts[rule.code] = amount
        if explain and not shown:
            continue
        lines.append(Line(rule.code, rule.label, rule.category, amount, shown, rule=rule, full=pay))
    earnings = _total(ops, lines, "earning")
    warnings: list[str] = []
    base_status: Any = 0
    if header.contribution_table is not None:
        found, base_status = _contributions(m, lines, tables, as_of, wage_base)
        warnings += found
    insurance = frozenset(
        line.code for line in lines if line.rule is None and line.category == "deduction"
    )
    binding: list[str] = []
    cap_cuts: dict[str, Any] = {}
    for cap in version.spec.caps:
        bound, cap_cuts[cap.code], still = _apply_cap(m, cap, lines)
        if ops.any(bound):
            binding.append(cap.code)
        warnings += still
    if explain:
        warnings += choice_warnings(version, m, lines, binding)
    taxed: TaxFigures | None = None
    if header.income_tax:
        if tax_before is None:
            raise PayError(
                getattr(facts, "worker", facts).id if explain else "?",
                str(month),
                "income tax needs the year-to-date figures: use paycalc.payslip, "
                "paycalc.payroll_year, or pass tax_state",
            )
        taxed = withhold_lines(m, scheme, lines, insurance, tax_before, separate_used, warnings)
    return Evaluated(
        m,
        scheme,
        lines,
        gross=_total(ops, lines, "earning"),
        deductions=_total(ops, lines, "deduction"),
        employer=_total(ops, lines, "employer"),
        component_earnings=earnings,
        tax=taxed,
        warnings=warnings,
        cap_cuts=cap_cuts,
        base_status=base_status,
    )


def _no_figure(label: str) -> Callable[[], str]:
    return lambda: f"{label}: the scheme has no figure for this worker"


def _total(ops: Ops, lines: list[Line], category: str) -> Any:
    total: Any = 0
    for line in lines:
        if line.category == category:
            total = total + ops.where(line.shown, line.amount, 0)
    return total


# --- 五险一金 --------------------------------------------------------------------------


def _contributions(
    m: MonthFacts,
    lines: list[Line],
    tables: ContributionTables,
    as_of: date | None,
    wage_base: Any,
) -> tuple[list[str], Any]:
    ops, facts = m.ops, m.facts
    header = m.scheme.spec.scheme
    assert header.contribution_table is not None
    table = tables.table_for(header.contribution_table, m.month.first_day, as_of)
    declared_places = max(
        (places(Decimal(v)) for v in facts.distinct("contribution_base") if v is not None),
        default=0,
    )
    declared = facts.lookup(
        "contribution_base",
        lambda v: scaled(Decimal(v), declared_places) if v is not None else 0,
    )
    has_declared = facts.lookup("contribution_base", lambda v: v is not None)
    scale = declared_places
    if table.base.default == "previous_year_average" and wage_base is not None:
        # the wage base is in fen: bring both to one scale
        scale = max(declared_places, 2)
        declared = ops.where(
            has_declared,
            ops.mul(declared, 10 ** (scale - declared_places)),
            ops.mul(wage_base, 10 ** (scale - 2)),
        )
        has_declared = True
    why = refusal(table, False)
    if why is not None:
        m.refuse(ops.negate(has_declared), "contribution_base", lambda: why)
        _raise_problems(m)
    found = contribution_amounts(ops, table, declared, scale, has_declared)
    limits = max(scale, places(table.base.floor, table.base.cap))
    base = ops.mul(declared, 10 ** (limits - scale))
    floor, cap = scaled(table.base.floor, limits), scaled(table.base.cap, limits)
    status = ops.where(
        ops.either(ops.negate(has_declared), base <= floor), 1, ops.where(base >= cap, 2, 3)
    )
    for item in found:
        line = Line(item.code, item.label, item.category, item.amount, m.employed)
        if m.explain:
            base = Decimal(item.base).scaleb(-item.scale)
            rate = f"{(item.rate * 100).normalize():f}"
            line.basis = f"基数 {base:,.2f} × {rate}%"
        lines.append(line)
    if table.status == "illustrative":
        return [
            f"五险一金表 {table.id} {table.version} 为示例费率 — illustrative contribution table"
        ], status
    return [], status


# --- caps -----------------------------------------------------------------------------


def _employer_counted(cap: Cap, code: str) -> bool:
    if isinstance(cap.include_employer, bool):
        return cap.include_employer
    return code.removesuffix("_employer") in cap.include_employer


def _apply_cap(m: MonthFacts, cap: Cap, lines: list[Line]) -> tuple[Any, Any, list[str]]:
    """Reduce the named lines, in order, until the capped total is within the limit.

    Returns whether the cap bound (one worker; columns: any row), the fen it took off, and,
    for one worker, a warning when reducing every listed line could not meet the limit.
    """
    ops = m.ops
    counted = [
        line
        for line in lines
        if ("gross" in cap.of and line.category == "earning")
        or line.code in cap.of
        or (line.category == "employer" and _employer_counted(cap, line.code))
    ]
    scale = max(2, places(cap.limit))
    up = 10 ** (scale - 2)
    total: Any = 0
    for line in counted:
        total = total + ops.where(line.shown, line.amount, 0)
    excess = ops.mul(total, up) - scaled(cap.limit, scale)
    bound = excess > 0
    if not ops.any(bound):
        return False, 0, []
    by_code = {line.code: line for line in lines}
    taken: Any = 0
    for code in cap.reduce:
        if code not in by_code:
            continue
        line = by_code[code]
        active = ops.both(line.shown, excess > 0)
        rounded = ops.round_div(ops.maximum(excess, 0), up, m.rounding)
        cut = ops.where(active, ops.minimum(line.amount, rounded), 0)
        line.amount = line.amount - cut
        taken = taken + cut
        excess = excess - ops.mul(cut, up)
        if code in m.amounts:
            m.amounts[code] = line.amount
        if m.explain and active:
            line.cut += f" · {cap.label} {cap.limit:,}: 扣减 {Decimal(cut).scaleb(-2):,.2f}"
    if m.explain and excess > 0:
        left = Decimal(excess).scaleb(-scale)
        still = (
            f"{cap.label} {cap.limit:,}: still exceeded by {left:,.2f} after reducing "
            f"{', '.join(cap.reduce)}"
        )
        return bound, taken, [still]
    return bound, taken, []


# --- income tax ---------------------------------------------------------------------------


def _special(month: Month) -> Any:
    """A worker's 专项附加扣除 this month in fen (-1 when the claims do not fit the rules)."""

    def of(profile: Any) -> int:
        claims = profile.model_dump(exclude=set(profile.NOT_CLAIMS))
        try:
            parts = itemised_special_deductions(SpecialDeductionClaims(**claims), month.first_day)
        except Exception:  # InputError, reported with its field by the explained slip
            return -1
        return scaled(sum((p.amount for p in parts), Decimal(0)), 2)

    return of


def withhold_lines(
    m: MonthFacts,
    scheme: Compiled,
    lines: list[Line],
    insurance: frozenset[str],
    before: Running,
    separate_used: Any,
    warnings: list[str],
) -> TaxFigures:
    """Income tax on the month's lines (appended to ``lines``): earnings are wages, or the
    annual one-off bonus (taxed with them, or separately once a year while the policy
    lasts); the ``insurance`` lines are the employee's 三险一金 (专项扣除)."""
    ops, facts = m.ops, m.facts
    wages: Any = 0
    bonus: Any = 0
    social: Any = 0
    for line in lines:
        value = ops.where(line.shown, line.amount, 0)
        if line.category == "earning":
            if line.code in scheme.bonus_codes:
                bonus = bonus + value
            else:
                wages = wages + value
        elif line.code in insurance:
            social = social + value
    wants_separate = facts.lookup("tax", lambda p: p.bonus_method == "separate")
    available = separate_bonus_available(m.month.first_day)
    has_bonus = bonus != 0
    separate = ops.both(ops.both(has_bonus, wants_separate), ops.negate(separate_used))
    if not available:
        separate = False
    if m.explain and has_bonus and wants_separate:
        if not available:
            warnings.append("全年一次性奖金单独计税政策不在有效期内: 并入当月工资计税")
        elif separate_used:
            warnings.append("全年一次性奖金单独计税每年只能使用一次: 并入当月工资计税")
    special = facts.lookup("tax", _special(m.month))
    bad_claims = special < 0
    if m.explain and bad_claims:
        _claim_problems(m)
    m.refused = ops.either(m.refused, bad_claims)
    special = ops.maximum(special, 0)
    other = facts.lookup("tax", lambda p: scaled(p.other_deductions, 2))
    tax_free = facts.lookup("tax", lambda p: scaled(p.tax_free_income, 2))
    income = wages + ops.where(separate, 0, bonus)
    too_free = tax_free > income
    if m.explain and too_free:
        raise PayError(
            facts.worker.id,
            str(m.month),
            f"tax-free income (免税收入) {Decimal(tax_free).scaleb(-2):,.2f} is more than the "
            f"month's income {Decimal(income).scaleb(-2):,.2f}",
            location="tax.tax_free_income",
        )
    m.refused = ops.either(m.refused, too_free)
    month = cumulative_month(
        ops, 2, before, income=income, social=social, special=special, other=other,
        tax_free=tax_free, table=ANNUAL_COMPREHENSIVE_2019,
    )  # fmt: skip
    separate_bonus_amount = ops.where(separate, bonus, 0)
    bonus_tax, bonus_bracket = separate_bonus(ops, separate_bonus_amount, 2, MONTHLY_BONUS_2019)
    bonus_tax = ops.where(separate, bonus_tax, 0)
    tax_shown = ops.either(month.tax != 0, month.cumulative_tax != 0)
    tax_line = Line("income_tax", "个人所得税", "deduction", month.tax, tax_shown)
    bonus_line = Line("bonus_income_tax", "全年一次性奖金个税", "deduction", bonus_tax,
                      bonus_tax != 0)  # fmt: skip
    if m.explain:
        bracket = ANNUAL_COMPREHENSIVE_2019.brackets[month.bracket]
        tax_line.basis = (
            f"累计应纳税所得额 {Decimal(month.taxable).scaleb(-2):,.2f} × "
            f"{format_percent(bracket.rate)} − 速算扣除 {bracket.quick_deduction:,} − 已预扣 "
            f"{Decimal(before.withheld).scaleb(-2):,.2f}"
        )
        separate_bracket = MONTHLY_BONUS_2019.brackets[bonus_bracket]
        bonus_line.basis = (
            f"单独计税 {Decimal(separate_bonus_amount).scaleb(-2):,.2f} × "
            f"{format_percent(separate_bracket.rate)} − 速算扣除 "
            f"{separate_bracket.quick_deduction:,}"
        )
        lines += [line for line in (tax_line, bonus_line) if line.shown]
    else:
        lines += [tax_line, bonus_line]
    return TaxFigures(
        before=before,
        after=month.after,
        month=month,
        income=income,
        social=social,
        special=special,
        other=other,
        tax_free=tax_free,
        bonus=separate_bonus_amount,
        bonus_tax=bonus_tax,
        bonus_bracket=bonus_bracket,
        separate=separate,
        separate_used_after=ops.either(separate_used, separate),
    )


def _claim_problems(m: MonthFacts) -> None:
    profile = m.facts.worker.tax
    claims = profile.model_dump(exclude=set(profile.NOT_CLAIMS))
    from paycalc.errors import InputError

    try:
        itemised_special_deductions(SpecialDeductionClaims(**claims), m.month.first_day)
    except InputError as error:
        raise WorkerError(
            Problem(f"worker {m.facts.worker.id}", f"tax.{p.location}", p.message)
            for p in error.problems
        ) from None
