"""Checks that relate one part of a scheme file to another.

Each check is a small function ``(scheme, source) -> list[Problem]``; the loader runs them
all and reports every problem together, so an HR office fixes a file in one pass.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from enum import StrEnum

from pydantic import BaseModel

from paycalc.codes import Appraisal, AwardLevel, Education, Level
from paycalc.contributions.table import ITEM_CODES
from paycalc.errors import Problem
from paycalc.limits import cut, shown
from paycalc.scheme.model import (
    ByGrade,
    ByInput,
    ByPost,
    Coefficient,
    Component,
    Condition,
    HighestLevel,
    InputRate,
    OneOff,
    SchemeFile,
    ShareOf,
    Yearly,
)

__all__ = ["ALL_CHECKS", "check_scheme"]

Check = Callable[[SchemeFile, str], list[Problem]]


def _where(index: int, key: str = "") -> str:
    return f"components[{index}]" + (f".{key}" if key else "")


def _names(values: Iterable[object]) -> str:
    return ", ".join(str(value) for value in values)


def _post_grades(scheme: SchemeFile, post: str) -> range:
    band = scheme.posts[post].grades
    return range(band[0], band[1] + 1) if band else range(0)


def check_post_labels(scheme: SchemeFile, source: str) -> list[Problem]:
    """Labels and aliases must identify one post each, or a worker's 岗位 would be ambiguous."""
    seen: dict[str, str] = {}
    problems = []
    for code, post in scheme.posts.items():
        for name in (post.label, *post.aliases):
            if name in seen and seen[name] != code:
                problems.append(
                    Problem(
                        source,
                        f"posts.{code}",
                        f"label {shown(name)} is also used by post {shown(seen[name])}",
                    )
                )
            seen[name] = code
    return problems


def _uses_grades(scheme: SchemeFile) -> bool:
    def condition_uses_grade(condition: Condition | None) -> bool:
        return condition is not None and (condition.min_grade or condition.max_grade) is not None

    return any(
        isinstance(component, ByGrade | Coefficient) or condition_uses_grade(component.when)
        for component in scheme.components
    )


def check_grade_rule(scheme: SchemeFile, source: str) -> list[Problem]:
    problems = []
    rule = scheme.grade
    if rule is None:
        if _uses_grades(scheme):
            problems.append(
                Problem(source, "grade", "components depend on the grade, but [grade] is missing")
            )
        return problems
    for code, post in scheme.posts.items():
        if post.grades is None:
            problems.append(
                Problem(
                    source,
                    f"posts.{code}.grades",
                    "a scheme with [grade] needs a grade band per post",
                )
            )
    if rule.method == "service" and rule.years_per_step is None:
        problems.append(Problem(source, "grade.years_per_step", 'required when method = "service"'))
    if rule.method == "points":
        if rule.points is None:
            problems.append(Problem(source, "grade.points", 'required when method = "points"'))
        else:
            previous = None
            for index, threshold in enumerate(rule.points.thresholds):
                if previous is not None and (
                    threshold.points <= previous.points or threshold.grade <= previous.grade
                ):
                    problems.append(
                        Problem(
                            source,
                            f"grade.points.thresholds[{index}]",
                            "thresholds must rise in both points and grade",
                        )
                    )
                previous = threshold
    if rule.method != "points" and rule.points is not None:
        problems.append(Problem(source, "grade.points", 'only used when method = "points"'))
    if rule.method != "service" and rule.years_per_step is not None:
        problems.append(
            Problem(source, "grade.years_per_step", 'only used when method = "service"')
        )
    return problems


def check_unique_codes(scheme: SchemeFile, source: str) -> list[Problem]:
    problems = []
    seen: set[str] = set()
    for index, component in enumerate(scheme.components):
        if component.code in seen:
            problems.append(
                Problem(source, _where(index, "code"), f"duplicate code {shown(component.code)}")
            )
        seen.add(component.code)
    for index, cap in enumerate(scheme.caps):
        if cap.code in seen:
            problems.append(Problem(source, f"caps[{index}].code", f"duplicate code {shown(cap.code)}"))
        seen.add(cap.code)
    return problems


def _check_keys(
    keys: Iterable[str], allowed: Sequence[str], source: str, where: str, what: str
) -> list[Problem]:
    return [
        Problem(
            source,
            f"{where}.{cut(key)}",
            f"unknown {what} {shown(key)}; expected one of {_names(allowed)}",
        )
        for key in keys
        if key not in allowed
    ]


def _check_by_post(scheme: SchemeFile, index: int, component: ByPost, source: str) -> list[Problem]:
    posts = list(scheme.posts)
    problems = _check_keys(component.amounts, posts, source, _where(index, "amounts"), "post")
    missing = [post for post in posts if post not in component.amounts]
    if missing and component.default is None:
        problems.append(
            Problem(
                source,
                _where(index, "amounts"),
                f"no amount for post {_names(missing)} (and no default)",
            )
        )
    return problems


def _check_grade_table(
    scheme: SchemeFile,
    table: Mapping[str, Mapping[int, object]],
    source: str,
    where: str,
) -> list[Problem]:
    problems = _check_keys(table, [*scheme.posts, "*"], source, where, "post")
    for post in scheme.posts:
        row = table.get(post, table.get("*"))
        if row is None:
            problems.append(Problem(source, where, f'no row for post {shown(post)} (and no "*" row)'))
            continue
        missing = [grade for grade in _post_grades(scheme, post) if grade not in row]
        if missing:
            problems.append(
                Problem(source, where, f"post {shown(post)} has no amount for grade {_names(missing)}")
            )
    return problems


def _check_by_grade(
    scheme: SchemeFile, index: int, component: ByGrade, source: str
) -> list[Problem]:
    has_table = component.table is not None
    has_formula = component.start is not None or component.step is not None
    if has_table == has_formula:
        return [Problem(source, _where(index), "give either table, or start and step")]
    if component.table is not None:
        return _check_grade_table(scheme, component.table, source, _where(index, "table"))
    problems = []
    if component.start is None or component.step is None:
        problems.append(Problem(source, _where(index), "start and step go together"))
    for post in scheme.posts:
        grades = _post_grades(scheme, post)
        if grades and grades.start < component.first_grade:
            problems.append(
                Problem(
                    source,
                    _where(index, "first_grade"),
                    f"post {shown(post)} starts at grade {grades.start}, below first_grade {component.first_grade}",
                )
            )
    return problems


def _level_keys(component: HighestLevel | OneOff) -> list[str]:
    enum: type[StrEnum]
    if isinstance(component, HighestLevel) and component.source == "education":
        enum = Education
    elif isinstance(component, OneOff) and component.event == "award":
        enum = AwardLevel
    else:
        enum = Level
    return [member.value for member in enum]


def _check_levels(index: int, component: HighestLevel | OneOff, source: str) -> list[Problem]:
    problems = _check_keys(
        component.amounts, _level_keys(component), source, _where(index, "amounts"), "level"
    )
    needs_kind = (isinstance(component, HighestLevel) and component.source == "qualification") or (
        isinstance(component, OneOff) and component.event == "qualification"
    )
    if needs_kind and component.qualification is None:
        problems.append(
            Problem(
                source,
                _where(index, "qualification"),
                "name the qualification: social_work or title",
            )
        )
    if not needs_kind and component.qualification is not None:
        problems.append(
            Problem(source, _where(index, "qualification"), "only used for qualifications")
        )
    if (
        isinstance(component, OneOff)
        and component.pay == "difference"
        and component.event != "qualification"
    ):
        problems.append(
            Problem(source, _where(index, "pay"), '"difference" applies to qualifications only')
        )
    return problems


def _check_references(
    codes: Sequence[str], earlier: Sequence[str], source: str, where: str
) -> list[Problem]:
    return [
        Problem(source, where, f"{shown(code)} is not a component defined above this one")
        for code in codes
        if code not in earlier
    ]


def _check_yearly(
    scheme: SchemeFile, index: int, component: Yearly, earlier: list[str], source: str
) -> list[Problem]:
    given = [name for name in ("amount", "amounts", "of") if getattr(component, name)]
    problems = []
    if len(given) != 1:
        problems.append(
            Problem(source, _where(index), "give exactly one of amount, amounts (by post) or of")
        )
    if component.amounts is not None:
        problems += _check_by_post(
            scheme,
            index,
            ByPost(
                kind="by_post",
                code=component.code,
                label=component.label,
                amounts=component.amounts,
            ),
            source,
        )
    problems += _check_references(component.of, earlier, source, _where(index, "of"))
    missing = [result.value for result in Appraisal if result not in component.factors]
    if missing:
        problems.append(
            Problem(source, _where(index, "factors"), f"no factor for {_names(missing)}")
        )
    return problems


def _check_input_use(
    scheme: SchemeFile, index: int, component: ByInput | InputRate, source: str
) -> list[Problem]:
    spec = scheme.inputs.get(component.input)
    if spec is None:
        return [
            Problem(
                source,
                _where(index, "input"),
                f"input {shown(component.input)} is not declared in [inputs]",
            )
        ]
    if isinstance(component, InputRate):
        if spec.type != "number":
            return [
                Problem(
                    source, _where(index, "input"), f"input {shown(component.input)} must be a number"
                )
            ]
        return []
    if spec.type != "choice":
        return [
            Problem(source, _where(index, "input"), f"input {shown(component.input)} must be a choice")
        ]
    problems = _check_keys(
        component.amounts, spec.choices, source, _where(index, "amounts"), "choice"
    )
    missing = [choice for choice in spec.choices if choice not in component.amounts]
    if missing:
        problems.append(
            Problem(source, _where(index, "amounts"), f"no amount for {_names(missing)}")
        )
    return problems


def _check_condition(
    scheme: SchemeFile, condition: Condition, source: str, where: str
) -> list[Problem]:
    posts = list(scheme.posts)
    problems = []
    for name in ("posts", "not_posts"):
        problems += _check_keys(
            getattr(condition, name) or (), posts, source, f"{where}.{name}", "post"
        )
    for name, accepted in (condition.inputs or {}).items():
        spec = scheme.inputs.get(name)
        if spec is None:
            problems.append(
                Problem(source, f"{where}.inputs.{cut(name)}", "input is not declared in [inputs]")
            )
        elif spec.type == "choice":
            problems += _check_keys(
                [str(value) for value in accepted],
                spec.choices,
                source,
                f"{where}.inputs.{cut(name)}",
                "choice",
            )
        elif spec.type == "yes_no" and not all(isinstance(value, bool) for value in accepted):
            problems.append(Problem(source, f"{where}.inputs.{cut(name)}", "expected true or false"))
        elif spec.type == "number":
            problems.append(
                Problem(source, f"{where}.inputs.{cut(name)}", "number inputs cannot be matched")
            )
    for low, high in (("min_grade", "max_grade"), ("min_service_years", "max_service_years")):
        least, most = getattr(condition, low), getattr(condition, high)
        if least is not None and most is not None and least > most:
            problems.append(
                Problem(
                    source,
                    f"{where}.{low}",
                    f"{low} {least} is above {high} {most}: the component would never pay",
                )
            )
    return problems


def check_components(scheme: SchemeFile, source: str) -> list[Problem]:
    problems: list[Problem] = []
    earlier: list[str] = []
    for index, component in enumerate(scheme.components):
        problems += _check_component(scheme, index, component, earlier, source)
        if component.when is not None:
            problems += _check_condition(scheme, component.when, source, _where(index, "when"))
        if scheme.scheme.status == "official" and component.status == "illustrative":
            problems.append(
                Problem(
                    source,
                    _where(index, "status"),
                    'an official scheme cannot hold illustrative figures; mark the file "illustrative"',
                )
            )
        earlier.append(component.code)
    return problems


def _check_component(
    scheme: SchemeFile, index: int, component: Component, earlier: list[str], source: str
) -> list[Problem]:
    match component:
        case ByPost():
            return _check_by_post(scheme, index, component, source)
        case ByGrade():
            return _check_by_grade(scheme, index, component, source)
        case Coefficient():
            return _check_grade_table(
                scheme, component.coefficients, source, _where(index, "coefficients")
            )
        case HighestLevel() | OneOff():
            return _check_levels(index, component, source)
        case Yearly():
            return _check_yearly(scheme, index, component, earlier, source)
        case ShareOf():
            return _check_references(component.of, earlier, source, _where(index, "of"))
        case ByInput() | InputRate():
            return _check_input_use(scheme, index, component, source)
        case _:
            return []


def check_caps(scheme: SchemeFile, source: str) -> list[Problem]:
    problems = []
    codes = [component.code for component in scheme.components]
    earnings = [c.code for c in scheme.components if c.category == "earning"]
    for index, cap in enumerate(scheme.caps):
        problems += _check_references(
            [code for code in cap.of if code != "gross"], codes, source, f"caps[{index}].of"
        )
        for code in cap.reduce:
            if code not in earnings:
                problems.append(
                    Problem(
                        source, f"caps[{index}].reduce", f"{shown(code)} is not an earning component"
                    )
                )
        if isinstance(cap.include_employer, tuple):
            problems += _check_keys(
                cap.include_employer,
                sorted(ITEM_CODES),
                source,
                f"caps[{index}].include_employer",
                "contribution item",
            )
        if cap.include_employer and scheme.scheme.contribution_table is None:
            problems.append(
                Problem(
                    source,
                    f"caps[{index}].include_employer",
                    "counts employer insurance, but [scheme] names no contribution_table",
                )
            )
    return problems


#: keys that are never a policy choice (identity and explanation)
_NOT_CHOICES = frozenset({"code", "label", "kind", "note", "status", "chosen", "aliases"})


def _chosen_problems(part: BaseModel, source: str, where: str) -> list[Problem]:
    chosen: dict[str, str] = getattr(part, "chosen", {})
    allowed = [name for name in type(part).model_fields if name not in _NOT_CHOICES]
    problems = _check_keys(chosen, allowed, source, f"{where}.chosen", "key")
    problems += [
        Problem(source, f"{where}.chosen.{key}", "say why paycalc chose it (the reason is empty)")
        for key, why in chosen.items()
        if key in allowed and not why.strip()
    ]
    return problems


def check_choices(scheme: SchemeFile, source: str) -> list[Problem]:
    """``chosen`` names real keys of the table it sits in, each with its reason."""
    parts: list[tuple[BaseModel, str]] = [(scheme.scheme, "scheme")]
    parts += [(post, f"posts.{code}") for code, post in scheme.posts.items()]
    if scheme.grade is not None:
        parts.append((scheme.grade, "grade"))
        if scheme.grade.points is not None:
            parts.append((scheme.grade.points, "grade.points"))
    parts += [(component, _where(i)) for i, component in enumerate(scheme.components)]
    parts += [(cap, f"caps[{i}]") for i, cap in enumerate(scheme.caps)]
    return [problem for part, where in parts for problem in _chosen_problems(part, source, where)]


ALL_CHECKS: tuple[Check, ...] = (
    check_post_labels,
    check_grade_rule,
    check_unique_codes,
    check_components,
    check_caps,
    check_choices,
)


def check_scheme(scheme: SchemeFile, source: str) -> list[Problem]:
    """Run every cross-reference check; return all problems found (empty if none)."""
    return [problem for check in ALL_CHECKS for problem in check(scheme, source)]
