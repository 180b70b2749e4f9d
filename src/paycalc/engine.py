"""scheme + worker + month → :class:`~paycalc.slip.Payslip`.

The engine checks the worker against the scheme version in force, works out the month's
context once (post, grade, service, proration), runs the components in file order, applies
the caps, and totals the lines. Schemes are compiled once per version and cached.
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from paycalc.components import PayContext, Rule, compile_rule, condition_holds
from paycalc.errors import PayError, Problem, WorkerError
from paycalc.grading import grade_for
from paycalc.money import quantize, to_decimal
from paycalc.period import Month, employed_fraction, proration_basis, service_time
from paycalc.scheme.model import Cap
from paycalc.scheme.registry import SchemeRegistry, default_registry
from paycalc.scheme.version import SchemeVersion
from paycalc.slip import PayLine, Payslip, SchemeRef
from paycalc.worker import Worker, parse_worker

__all__ = [
    "ILLUSTRATIVE_WARNING",
    "build_context",
    "check_worker_against",
    "payslip",
    "payslip_for_version",
]

ILLUSTRATIVE_WARNING = "示例方案: 金额为示例, 并非官方标准 — illustrative scheme: amounts are examples, not official figures"


@dataclass(frozen=True, slots=True)
class _Compiled:
    rules: tuple[Rule, ...]  # type: ignore[type-arg]
    ref: SchemeRef


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
    scheme: str | None = None,
    as_of: date | None = None,
) -> Payslip:
    """The itemised slip of ``worker`` for ``month``.

    ``scheme`` names the family when the worker record names none; ``schemes`` defaults to
    the bundled schemes; ``as_of`` counts only versions published by that date.
    """
    worker = _as_worker(worker)
    month = _as_month(month)
    family = worker.scheme or scheme
    if family is None:
        raise WorkerError(
            [
                Problem(
                    f"worker {worker.id}", "scheme", "no scheme named by the worker or the caller"
                )
            ]
        )
    registry = schemes if schemes is not None else default_registry()
    return payslip_for_version(worker, month, registry.version_for(family, month, as_of=as_of))


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
                Problem(source, where, f"expected one of {', '.join(spec.choices)}; got {value!r}")
            )
        elif spec.type == "number" and not _is_number(value):
            problems.append(Problem(source, where, f"expected a number; got {value!r}"))
        elif spec.type == "yes_no" and not isinstance(value, bool):
            problems.append(Problem(source, where, f"expected true or false; got {value!r}"))
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
                f"unknown post {worker.post!r} for {scheme.family} {scheme.version}; expected one of {known}",
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
    if worker.hired_on > month.last_day:
        raise PayError(worker.id, str(month), f"hired on {worker.hired_on}, after the month")
    if worker.left_on is not None and worker.left_on < month.first_day:
        raise PayError(worker.id, str(month), f"left on {worker.left_on}, before the month")
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


def payslip_for_version(worker: Worker, month: Month, scheme: SchemeVersion) -> Payslip:
    """The slip of ``worker`` for ``month`` under this exact scheme version."""
    compiled = _compile(scheme)
    ctx, warnings = build_context(worker, month, scheme)
    lines: list[PayLine] = []
    for rule in compiled.rules:
        if not condition_holds(rule.spec.when, ctx):
            continue
        line = rule.line(ctx)
        if line is not None:
            lines.append(line)
            ctx.amounts[line.code] = line.amount
    for cap in scheme.spec.caps:
        warnings += _apply_cap(cap, lines, ctx)
    if scheme.status == "illustrative":
        warnings.insert(0, ILLUSTRATIVE_WARNING)
    return Payslip.from_lines(worker.id, str(month), compiled.ref, lines, warnings)


def _apply_cap(cap: Cap, lines: list[PayLine], ctx: PayContext) -> list[str]:
    """Reduce the named lines, in order, until the capped total is within the limit."""
    counted = {
        index
        for index, line in enumerate(lines)
        if ("gross" in cap.of and line.category == "earning")
        or line.code in cap.of
        or (cap.include_employer and line.category == "employer")
    }
    total = sum((lines[index].amount for index in counted), Decimal(0))
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
