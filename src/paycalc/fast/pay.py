"""One month of pay for a whole column set under one scheme version, in integer fen.

Every figure equals the itemised engine's (:func:`paycalc.payslip_for_version`): amounts
that depend on a small key (post, grade, education, level, input value, contribution base,
appraisal result) are computed once per key with the engine's own ``Decimal`` arithmetic
and rounding, and gathered; amounts that depend on other lines (``share_of``, ``yearly``
with ``of``, caps, one-off sums) are computed in scaled integers with the scheme's
rounding mode reproduced exactly (:mod:`paycalc.fast.rounding`).

Rows the fast path does not pay are given ``ITEMISED`` status, for the caller to pay with
the itemised engine; see :mod:`paycalc.fast` for the list.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import numpy as np
import numpy.typing as npt

from paycalc.codes import QualificationKind
from paycalc.contributions import ContributionTables, contributions_for
from paycalc.engine import default_contribution_tables
from paycalc.fast.columns import (
    APPRAISALS,
    AWARD_LEVELS,
    EDUCATIONS,
    KINDS,
    LEVELS,
    NEVER,
    WorkerColumns,
)
from paycalc.fast.rounding import (
    Int64s,
    decimal_places,
    exact_product,
    round_to_fen,
    scaled_int,
)
from paycalc.money import quantize, to_decimal
from paycalc.period import Month
from paycalc.scheme.model import (
    ByGrade,
    ByInput,
    ByPost,
    Cap,
    Coefficient,
    Component,
    Condition,
    HighestLevel,
    InputRate,
    OneOff,
    Seniority,
    ShareOf,
    Yearly,
)
from paycalc.scheme.version import SchemeVersion

__all__ = ["FAST", "ITEMISED", "SKIPPED", "MonthPay", "pay_month"]

FAST, ITEMISED, SKIPPED = 0, 1, 2

Bools = npt.NDArray[np.bool_]
Ints = npt.NDArray[np.int64]


@dataclass(slots=True)
class MonthPay:
    """The month's lines for every row: ``amounts[i, row]`` in fen, shown where ``present``.

    ``status[row]`` is ``FAST`` (paid here), ``ITEMISED`` (to be paid by the itemised
    engine: see :mod:`paycalc.fast`) or ``SKIPPED`` (not selected, or not employed in the
    month). ``post[row]`` indexes ``post_codes``.
    """

    month: Month
    version: SchemeVersion
    status: npt.NDArray[np.int8]
    post: Ints
    post_codes: list[str]
    codes: list[str]
    labels: list[str]
    categories: list[str]
    amounts: Int64s
    present: Bools
    gross: Int64s
    deductions: Int64s
    employer: Int64s

    @property
    def net(self) -> Int64s:
        return self.gross - self.deductions

    @property
    def employer_cost(self) -> Int64s:
        return self.gross + self.employer

    def lines(self, row: int) -> list[tuple[str, int]]:
        """The (code, fen) lines of one fast-paid row, in slip order."""
        return [
            (code, int(self.amounts[i, row]))
            for i, code in enumerate(self.codes)
            if self.present[i, row]
        ]


def _fen(amount: Decimal, rounding: str) -> int:
    return int(quantize(amount, rounding).scaleb(2))


def _scaled(values: list[Decimal]) -> tuple[list[int], int]:
    scale = decimal_places(values)
    return [scaled_int(v, scale) for v in values], scale


class _Month:
    """What the rules look at, worked out once per call (lazily)."""

    def __init__(self, cols: WorkerColumns, month: Month) -> None:
        self.cols = cols
        self.month = month
        self.first = month.first_day.toordinal()
        self.last = month.last_day.toordinal()
        self._window: Bools | None = None
        self._service: Ints | None = None

    @property
    def service_years(self) -> Ints:
        """Completed years of service on the month's first day."""
        if self._service is None:
            c, m = self.cols, self.month
            months = (
                (m.year - c.hired_year.astype(np.int64)) * 12
                + (m.month - c.hired_month.astype(np.int64))
                - (c.hired_day > 1)
            )
            self._service = np.where(c.hired >= self.first, 0, np.maximum(months, 0) // 12)
        return self._service

    @property
    def window(self) -> Bools:
        """[years, n]: appraisal years that count this month (hire year .. last year)."""
        if self._window is None:
            c = self.cols
            c.ensure_years(self.month.year - 1, self.month.year - 1)
            years = c.appraisal_year0 + np.arange(c.appraisals.shape[0])[:, None]
            self._window = (years >= c.hired_year[None, :]) & (years < self.month.year)
        return self._window

    def count_results(self, passed: bool) -> Ints:
        """Years in the window that passed (合格 and better) or failed (不称职)."""
        wanted = [i for i, a in enumerate(APPRAISALS) if (a.passed if passed else a.failed)]
        window = self.window  # may widen the matrix: read it after
        results = self.cols.appraisals
        hit = np.isin(results, wanted)
        return np.asarray((hit & window).sum(axis=0), dtype=np.int64)

    def counted_years(self, exclude_failed: bool) -> Ints:
        years = self.service_years
        if exclude_failed:
            years = years - self.count_results(passed=False)
        return np.maximum(years, 0)

    def held(self, kind: QualificationKind, before: int) -> tuple[Ints, Ints]:
        """Highest level of ``kind`` obtained before day ``before`` (-1), and its first day."""
        first = self.cols.qualification_first[KINDS.index(kind)]
        level = np.full(len(self.cols), -1, dtype=np.int64)
        for index in range(len(LEVELS)):
            level = np.where(first[index] < before, index, level)
        day = np.take_along_axis(first, np.maximum(level, 0)[None, :], axis=0)[0]
        return level, np.where(level >= 0, day, NEVER).astype(np.int64)


def _month_index(day: Ints) -> Ints:
    """year * 12 + month - 1 of day ordinals (NEVER gives a month far ahead)."""
    dates = (day - 1).astype("timedelta64[D]") + np.datetime64("0001-01-01")
    months = dates.astype("datetime64[M]").astype(np.int64)  # months since 1970-01
    return months + 1970 * 12


def pay_month(
    cols: WorkerColumns,
    month: Month,
    version: SchemeVersion,
    *,
    contributions: ContributionTables | None = None,
    rows: Bools | None = None,
) -> MonthPay:
    """Pay the selected rows (all by default) for ``month`` under ``version``."""
    n = len(cols)
    spec = version.spec
    header = spec.scheme
    rounding = header.rounding
    facts = _Month(cols, month)
    selected = np.ones(n, dtype=np.bool_) if rows is None else rows
    employed = selected & (cols.hired <= facts.last) & (cols.left >= facts.first)
    full = (cols.hired <= facts.first) & (cols.left >= facts.last)
    bad = ~full | cols.irregular
    if header.income_tax:
        bad |= True  # withholding depends on the earlier months of the year

    post_codes = list(spec.posts)
    post_of_text = np.array(
        [
            post_codes.index(code) if (code := version.post_code(text)) is not None else -1
            for text in cols.post_texts
        ]
        or [-1],
        dtype=np.int64,
    )
    post = post_of_text[cols.post] if n else np.zeros(0, dtype=np.int64)
    bad |= post < 0
    post = np.maximum(post, 0)
    bad |= _bad_inputs(cols, version)

    grade = _grades(cols, version, facts, post, employed)
    bad |= grade.bad

    codes: list[str] = []
    labels: list[str] = []
    categories: list[str] = []
    amounts: list[Int64s] = []
    present: list[Bools] = []
    by_code: dict[str, tuple[Int64s, Bools]] = {}
    zero = np.zeros(n, dtype=np.int64)
    for component in spec.components:
        holds = _condition(component.when, cols, version, facts, post, grade.value)
        amount, fires, wrong = _component(component, cols, version, facts, post, grade, by_code)
        bad |= wrong & holds
        fires = fires & holds
        show_zero = component.show_zero or header.show_zero_lines
        shown = fires & ((amount != 0) | show_zero)
        amount = np.where(shown, amount, zero)
        codes.append(component.code)
        labels.append(component.label)
        categories.append(component.category)
        amounts.append(amount)
        present.append(shown)
        by_code[component.code] = (amount, shown)

    if header.contribution_table is not None:
        tables = contributions if contributions is not None else default_contribution_tables()
        try:
            table = tables.table_for(header.contribution_table, month.first_day)
        except Exception:
            bad |= True
        else:
            failed: list[Bools] = []
            _contribution_lines(
                cols, table, codes, labels, categories, amounts, present, employed, failed
            )
            for extra in failed:
                bad |= extra

    amount_matrix = np.stack(amounts) if amounts else np.zeros((0, n), dtype=np.int64)
    present_matrix = np.stack(present) if present else np.zeros((0, n), dtype=np.bool_)
    for cap in spec.caps:
        _apply_cap(cap, codes, categories, amount_matrix, present_matrix, rounding)

    status = np.full(n, SKIPPED, dtype=np.int8)
    status[employed & bad] = ITEMISED
    fast = employed & ~bad
    status[fast] = FAST
    present_matrix &= fast[None, :]
    amount_matrix = np.where(present_matrix, amount_matrix, 0)
    earning = np.array([c == "earning" for c in categories], dtype=np.bool_)
    deduction = np.array([c == "deduction" for c in categories], dtype=np.bool_)
    employer = np.array([c == "employer" for c in categories], dtype=np.bool_)
    return MonthPay(
        month=month,
        version=version,
        status=status,
        post=post,
        post_codes=post_codes,
        codes=codes,
        labels=labels,
        categories=categories,
        amounts=amount_matrix,
        present=present_matrix,
        gross=amount_matrix[earning].sum(axis=0),
        deductions=amount_matrix[deduction].sum(axis=0),
        employer=amount_matrix[employer].sum(axis=0),
    )


# --- inputs, grades, conditions ------------------------------------------------------


def _input_ok(kind: str, choices: tuple[str, ...], value: object) -> bool:
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


def _bad_inputs(cols: WorkerColumns, version: SchemeVersion) -> Bools:
    bad = np.zeros(len(cols), dtype=np.bool_)
    for name, declared in version.spec.inputs.items():
        if name not in cols.inputs:
            return ~bad  # every row misses it
        codes, values = cols.inputs[name]
        ok = np.array(
            [_input_ok(declared.type, declared.choices, v) for v in values] + [False],
            dtype=np.bool_,
        )
        bad |= ~ok[codes]  # code -1 picks the trailing False
    return bad


@dataclass(slots=True)
class _Grades:
    value: Ints  # 0 = no grade
    bad: Bools


def _band(version: SchemeVersion, post_codes: list[str]) -> tuple[Ints, Ints, Bools]:
    lows, highs, none = [], [], []
    for code in post_codes:
        band = version.post(code).grades
        lows.append(band[0] if band else 0)
        highs.append(band[1] if band else 0)
        none.append(band is None)
    return (
        np.array(lows, dtype=np.int64),
        np.array(highs, dtype=np.int64),
        np.array(none, dtype=np.bool_),
    )


def _grades(
    cols: WorkerColumns, version: SchemeVersion, facts: _Month, post: Ints, employed: Bools
) -> _Grades:
    spec = version.spec
    lows, highs, none = _band(version, list(spec.posts))
    low, high, no_band = lows[post], highs[post], none[post]
    given = cols.grade.astype(np.int64)
    has_given = given > 0
    bad = has_given & ~no_band & ((given < low) | (given > high))
    rule = spec.grade
    if rule is None:
        return _Grades(np.where(has_given, given, 0), bad)
    if rule.method == "given":
        return _Grades(np.where(has_given, given, 0), bad | ~has_given)
    if rule.method == "service":
        derived = _service_grade(cols, version, facts, low)
    else:
        derived = _points_grade(cols, version, facts, low)
    derived = np.clip(derived, low, high)
    value = np.where(has_given, given, np.where(no_band, 0, derived))
    return _Grades(value, bad)


def _service_grade(cols: WorkerColumns, version: SchemeVersion, facts: _Month, low: Ints) -> Ints:
    rule = version.spec.grade
    assert rule is not None and rule.years_per_step is not None
    served = facts.counted_years(rule.exclude_failed_years)
    education = np.array([rule.education_years.get(e, 0) for e in EDUCATIONS] + [0], dtype=np.int64)
    counted = served + education[cols.education]
    steps = counted // rule.years_per_step
    level, _ = facts.held(QualificationKind.social_work, facts.first)
    bonus = np.array([rule.certificate_bonus.get(lv, 0) for lv in LEVELS] + [0], dtype=np.int64)
    return low + steps + bonus[level]


def _points_grade(cols: WorkerColumns, version: SchemeVersion, facts: _Month, low: Ints) -> Ints:
    rule = version.spec.grade
    assert rule is not None and rule.points is not None
    p = rule.points
    numbers = [p.per_service_year, *p.appraisal.values(), *p.education.values()]
    numbers += [v for levels in p.qualifications.values() for v in levels.values()]
    numbers += [*p.awards.values(), *(t.points for t in p.thresholds)]
    numbers += [
        c for c in (p.service_max, p.appraisal_max, p.qualifications_max, p.awards_max) if c
    ]
    scale = decimal_places(numbers)

    def s(value: Decimal) -> int:
        return scaled_int(value, scale)

    def cap(values: Ints, limit: Decimal | None) -> Ints:
        return values if limit is None else np.minimum(values, s(limit))

    served = facts.counted_years(rule.exclude_failed_years)
    total = cap(served * s(p.per_service_year), p.service_max)
    per_result = np.array(
        [s(p.appraisal.get(a, Decimal(0))) for a in APPRAISALS] + [0], dtype=np.int64
    )
    window = facts.window  # may widen the matrix: read it after
    appraisal = (per_result[cols.appraisals] * window).sum(axis=0)
    total = total + cap(appraisal, p.appraisal_max)
    per_education = np.array(
        [s(p.education.get(e, Decimal(0))) for e in EDUCATIONS] + [0], dtype=np.int64
    )
    total = total + per_education[cols.education]
    qualification = np.zeros(len(cols), dtype=np.int64)
    for kind, by_level in p.qualifications.items():
        level, _ = facts.held(kind, facts.first)
        table = np.array([s(by_level.get(lv, Decimal(0))) for lv in LEVELS] + [0], dtype=np.int64)
        qualification += table[level]
    total = total + cap(qualification, p.qualifications_max)
    per_award = np.array(
        [s(p.awards.get(a, Decimal(0))) for a in AWARD_LEVELS] + [0], dtype=np.int64
    )
    awards = np.zeros(len(cols), dtype=np.int64)
    for slot in range(cols.award_level.shape[0]):
        before = cols.award_day[slot] < facts.first
        awards += np.where(before, per_award[cols.award_level[slot]], 0)
    total = total + cap(awards, p.awards_max)
    grade = low.copy()
    for threshold in p.thresholds:  # the last one reached, in file order
        grade = np.where(s(threshold.points) <= total, threshold.grade, grade)
    return grade


def _condition(
    condition: Condition | None,
    cols: WorkerColumns,
    version: SchemeVersion,
    facts: _Month,
    post: Ints,
    grade: Ints,
) -> Bools:
    n = len(cols)
    holds = np.ones(n, dtype=np.bool_)
    if condition is None:
        return holds
    codes = list(version.spec.posts)
    if condition.posts is not None:
        holds &= np.isin(post, [codes.index(p) for p in condition.posts if p in codes])
    if condition.not_posts is not None:
        holds &= ~np.isin(post, [codes.index(p) for p in condition.not_posts if p in codes])
    if condition.in_establishment is not None:
        holds &= cols.in_establishment == condition.in_establishment
    if condition.education_at_least is not None:
        holds &= cols.education >= condition.education_at_least.rank
    if condition.min_service_years is not None:
        holds &= facts.service_years >= condition.min_service_years
    if condition.max_service_years is not None:
        holds &= facts.service_years <= condition.max_service_years
    if condition.min_grade is not None:
        holds &= grade >= condition.min_grade
    if condition.max_grade is not None:
        holds &= grade <= condition.max_grade
    for name, accepted in (condition.inputs or {}).items():
        if name not in cols.inputs:
            holds &= None in accepted
            continue
        input_codes, values = cols.inputs[name]
        table = np.array([v in accepted for v in values] + [None in accepted], dtype=np.bool_)
        holds &= table[input_codes]
    return holds


# --- components -----------------------------------------------------------------------


def _component(
    component: Component,
    cols: WorkerColumns,
    version: SchemeVersion,
    facts: _Month,
    post: Ints,
    grade: _Grades,
    by_code: dict[str, tuple[Int64s, Bools]],
) -> tuple[Int64s, Bools, Bools]:
    """(fen amount, whether the rule pays this month, rows the fast path cannot pay)."""
    n = len(cols)
    rounding = version.spec.scheme.rounding
    codes = list(version.spec.posts)
    everyone = np.ones(n, dtype=np.bool_)
    nobody = np.zeros(n, dtype=np.bool_)
    if isinstance(component, ByPost):
        fen = []
        for code in codes:
            value = component.amounts.get(code, component.default)
            fen.append(-1 if value is None else _fen(value, rounding))
        table = np.array(fen, dtype=np.int64)
        return table[post], everyone, table[post] < 0
    if isinstance(component, ByGrade | Coefficient):
        table, known = _grade_table(component, version, rounding)
        g = np.clip(grade.value, 0, table.shape[1] - 1)
        wrong = ~known[post, g] | (grade.value >= table.shape[1])
        return table[post, g], everyone, wrong
    if isinstance(component, Seniority):
        if component.counting == "passed_years":
            years = facts.count_results(passed=True)
        else:
            years = facts.counted_years(component.exclude_failed_years)
        if component.max_years is not None:
            years = np.minimum(years, component.max_years)
        per_year, scale = _scaled([component.per_year])
        return round_to_fen(exact_product(years, per_year[0]), scale, rounding), everyone, nobody
    if isinstance(component, HighestLevel):
        return _highest_level(component, cols, facts, rounding)
    if isinstance(component, OneOff):
        return _one_off(component, cols, facts, rounding)
    if isinstance(component, Yearly):
        return _yearly(component, cols, facts, post, codes, rounding, by_code)
    if isinstance(component, ShareOf):
        base = np.zeros(n, dtype=np.int64)
        for code in component.of:
            if code in by_code:
                base = base + by_code[code][0]
        share, scale = _scaled([component.share])
        return round_to_fen(exact_product(base, share[0]), scale + 2, rounding), everyone, nobody
    if isinstance(component, ByInput | InputRate):
        return _by_input(component, cols, version, rounding)
    raise AssertionError(f"unknown component kind {component.kind}")  # pragma: no cover


def _grade_table(
    component: ByGrade | Coefficient, version: SchemeVersion, rounding: str
) -> tuple[Int64s, Bools]:
    codes = list(version.spec.posts)
    top = max((version.post(c).grades or (0, 0))[1] for c in codes) + 1
    table = np.zeros((len(codes), top), dtype=np.int64)
    known = np.zeros((len(codes), top), dtype=np.bool_)
    for p, code in enumerate(codes):
        for g in range(1, top):
            amount: Decimal | None = None
            if isinstance(component, Coefficient):
                row = component.coefficients.get(code, component.coefficients.get("*"))
                if row is not None and g in row:
                    amount = component.base * row[g] * component.share
            elif component.table is not None:
                grades = component.table.get(code, component.table.get("*"))
                if grades is not None and g in grades:
                    amount = grades[g]
            else:
                assert component.start is not None and component.step is not None
                amount = component.start + component.step * (g - component.first_grade)
            if amount is not None:
                table[p, g] = _fen(amount, rounding)
                known[p, g] = True
    return table, known


def _highest_level(
    component: HighestLevel, cols: WorkerColumns, facts: _Month, rounding: str
) -> tuple[Int64s, Bools, Bools]:
    n = len(cols)
    nobody = np.zeros(n, dtype=np.bool_)
    if component.source == "education":
        values = [component.amounts.get(e.value) for e in EDUCATIONS] + [None]
        fen = np.array([0 if v is None else _fen(v, rounding) for v in values], dtype=np.int64)
        pays = np.array([v is not None for v in values], dtype=np.bool_)
        return fen[cols.education], pays[cols.education], nobody
    assert component.qualification is not None
    month = facts.month
    next_month = component.starts == "next_month"
    cutoff = month.first_day if next_month else month.plus(1).first_day
    level, day = facts.held(component.qualification, cutoff.toordinal())
    values = [component.amounts.get(lv.value) for lv in LEVELS] + [None]
    fen = np.array([0 if v is None else _fen(v, rounding) for v in values], dtype=np.int64)
    pays = np.array([v is not None for v in values], dtype=np.bool_)[level]
    if component.duration_months is not None:
        index = month.year * 12 + month.month - 1
        first_paid = _month_index(np.where(level >= 0, day, facts.first)) + int(next_month)
        pays &= index - first_paid + 1 <= component.duration_months
    return fen[level], pays, nobody


def _one_off(
    component: OneOff, cols: WorkerColumns, facts: _Month, rounding: str
) -> tuple[Int64s, Bools, Bools]:
    n = len(cols)
    month = facts.month
    target = month.year * 12 + month.month - 1 - component.months_after
    keys = list(component.amounts)
    scaled, scale = _scaled([component.amounts[k] for k in keys])
    amount_of = dict(zip(keys, scaled, strict=True))
    total = np.zeros(n, dtype=np.int64)
    paid = np.zeros(n, dtype=np.bool_)
    if component.event == "award":
        table = np.array(
            [amount_of.get(level.value, 0) for level in AWARD_LEVELS] + [0], dtype=np.int64
        )
        for slot in range(cols.award_level.shape[0]):
            hit = _month_index(cols.award_day[slot].astype(np.int64)) == target
            value = np.where(hit, table[cols.award_level[slot]], 0)
            total += value
            paid |= value != 0
    else:
        assert component.qualification is not None
        first = cols.qualification_first[KINDS.index(component.qualification)].astype(np.int64)
        level_amounts = [amount_of.get(level.value, 0) for level in LEVELS]
        for index in range(len(LEVELS)):
            hit = (first[index] != NEVER) & (_month_index(first[index]) == target)
            value = np.full(n, level_amounts[index], dtype=np.int64)
            if component.pay == "difference":
                already = np.zeros(n, dtype=np.int64)
                for other in range(len(LEVELS)):
                    earlier = first[other] < first[index]
                    already = np.maximum(already, np.where(earlier, level_amounts[other], 0))
                value = np.maximum(0, value - already)
            value = np.where(hit, value, 0)
            total += value
            paid |= value != 0
    return round_to_fen(total, scale, rounding), paid, np.zeros(n, dtype=np.bool_)


def _yearly(
    component: Yearly,
    cols: WorkerColumns,
    facts: _Month,
    post: Ints,
    codes: list[str],
    rounding: str,
    by_code: dict[str, tuple[Int64s, Bools]],
) -> tuple[Int64s, Bools, Bools]:
    n = len(cols)
    month = facts.month
    nobody = np.zeros(n, dtype=np.bool_)
    if month.month != component.month:
        return np.zeros(n, dtype=np.int64), nobody, nobody
    year = month.year - 1
    result = cols.appraisal_column(year).astype(np.int64)
    employed_then = cols.hired_year <= year
    # Hired during the appraised year: paid pro rata by days, in Decimal by the engine.
    part_year = (cols.hired_year == year) & (cols.hired > date(year, 1, 1).toordinal())
    part_year &= component.pro_rata == "days_employed"
    missing = employed_then & (result < 0)
    wrong = missing if component.missing_appraisal == "error" else nobody.copy()
    wrong = wrong | (part_year & (result >= 0))
    known = [component.factors.get(a) for a in APPRAISALS]
    wrong |= employed_then & (result >= 0) & np.array([f is None for f in known] + [False])[result]
    factors = [f if f is not None else Decimal(0) for f in known]
    pays = employed_then & (result >= 0)
    r = np.maximum(result, 0)
    if component.amount is not None or component.amounts is not None:
        if component.amount is not None:
            bases = [component.amount] * len(codes)
        else:
            amounts = component.amounts or {}
            bases = [amounts.get(c, amounts.get("*", Decimal(0))) for c in codes]
        table = np.array(
            [[_fen(b * f, rounding) for f in factors] for b in bases], dtype=np.int64
        ).reshape(len(codes), len(factors))
        return table[post, r], pays, wrong
    base = np.zeros(n, dtype=np.int64)
    for code in component.of:
        if code in by_code:
            base = base + by_code[code][0]
    products, scale = _scaled([component.multiplier * f for f in factors])
    # One product per appraisal result, each exact (a factor may have many decimals).
    amount = np.zeros(n, dtype=np.int64)
    for index, product in enumerate(products):
        rows = r == index
        if rows.any():
            amount[rows] = round_to_fen(exact_product(base[rows], product), scale + 2, rounding)
    return amount, pays, wrong


def _by_input(
    component: ByInput | InputRate, cols: WorkerColumns, version: SchemeVersion, rounding: str
) -> tuple[Int64s, Bools, Bools]:
    n = len(cols)
    if component.input not in cols.inputs:
        return np.zeros(n, dtype=np.int64), np.ones(n, dtype=np.bool_), np.ones(n, dtype=np.bool_)
    codes, values = cols.inputs[component.input]
    fen: list[int] = []
    wrong: list[bool] = []
    for value in values:
        try:
            if isinstance(component, ByInput):
                amount = component.amounts[str(value)]
            else:
                number = to_decimal(value, what=component.input)
                amount = max(Decimal(0), number) * component.rate
                if component.max is not None and amount > component.max:
                    amount = component.max
            fen.append(_fen(amount, rounding))
            wrong.append(False)
        except (KeyError, TypeError, ValueError):
            fen.append(0)
            wrong.append(True)
    fen_table = np.array([*fen, 0], dtype=np.int64)
    wrong_table = np.array([*wrong, True], dtype=np.bool_)
    return fen_table[codes], np.ones(n, dtype=np.bool_), wrong_table[codes]


# --- contributions and caps -----------------------------------------------------------


def _contribution_lines(
    cols: WorkerColumns,
    table: Any,
    codes: list[str],
    labels: list[str],
    categories: list[str],
    amounts: list[Int64s],
    present: list[Bools],
    employed: Bools,
    bad_out: list[Bools],
) -> None:
    n = len(cols)
    used = np.zeros(len(cols.contribution_bases) + 1, dtype=np.bool_)
    used[np.unique(cols.contribution_base[employed])] = True
    per_base: list[list[int] | None] = []
    line_codes: list[tuple[str, str, str]] | None = None
    for index, base in enumerate(cols.contribution_bases):
        if not used[index]:
            per_base.append(None)
            continue
        try:
            found = contributions_for(table, base)
        except Exception:
            per_base.append(None)
            continue
        shape: list[tuple[str, str, str]] = [(c.code, c.label, c.category) for c in found]
        if line_codes is None:
            line_codes = shape
        elif shape != line_codes:  # pragma: no cover - rates do not depend on the base
            per_base.append(None)
            continue
        per_base.append([int(c.amount.scaleb(2)) for c in found])
    width = len(line_codes or [])
    matrix = np.zeros((len(per_base) + 1, width), dtype=np.int64)
    failed = np.ones(len(per_base) + 1, dtype=np.bool_)
    for index, row in enumerate(per_base):
        if row is not None:
            matrix[index] = row
            failed[index] = False
    gathered = matrix[cols.contribution_base]
    bad_out.append(failed[cols.contribution_base])
    for column, (code, label, category) in enumerate(line_codes or []):
        codes.append(code)
        labels.append(label)
        categories.append(category)
        amounts.append(np.ascontiguousarray(gathered[:, column]))
        present.append(np.ones(n, dtype=np.bool_))


def _apply_cap(
    cap: Cap,
    codes: list[str],
    categories: list[str],
    amounts: Int64s,
    present: Bools,
    rounding: str,
) -> None:
    """The engine's ``_apply_cap`` on every row at once (amounts changed in place)."""
    counted = []
    for index, (code, category) in enumerate(zip(codes, categories, strict=True)):
        employer = category == "employer" and (
            cap.include_employer
            if isinstance(cap.include_employer, bool)
            else code.removesuffix("_employer") in cap.include_employer
        )
        if ("gross" in cap.of and category == "earning") or code in cap.of or employer:
            counted.append(index)
    if not counted:
        return
    scale = max(2, decimal_places([cap.limit]))
    up = 10 ** (scale - 2)
    total = np.where(present[counted], amounts[counted], 0).sum(axis=0)
    excess = exact_product(total, up) - scaled_int(cap.limit, scale)
    for code in cap.reduce:
        if code not in codes:
            continue
        index = codes.index(code)
        active = present[index] & (excess > 0)
        if not active.any():
            continue
        rounded = round_to_fen(np.maximum(excess, 0), scale, rounding)
        cut = np.where(active, np.minimum(amounts[index], rounded), 0)
        amounts[index] -= cut
        excess = excess - exact_product(cut, up)
