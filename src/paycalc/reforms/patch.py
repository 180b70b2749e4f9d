"""Applying a reform's operations to one scheme version's data, each problem located.

The version is dumped to plain data (``SchemeFile.model_dump``), patched operation by
operation — removals, scalings, added components, then set values — and the data is checked
as a scheme file after each operation (so a problem names the operation that caused it) and
once more at the end with every cross-reference check of :mod:`paycalc.scheme.checks`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, get_args

from pydantic import ValidationError

from paycalc._validation import problems_from_validation_error
from paycalc.errors import Problem
from paycalc.policy.describe import grade_amounts
from paycalc.reforms.model import ReformFile, Scale
from paycalc.scheme.checks import check_scheme
from paycalc.scheme.model import ByGrade, ComponentKind, SchemeFile
from paycalc.scheme.version import SchemeVersion

__all__ = ["Patched", "patch_spec"]

_UNION_TAGS = frozenset(get_args(ComponentKind))
_INDEXED = re.compile(r"^(components|caps)\[(\d+)\](.*)$")


class Patched:
    """The patched scheme (or the problems), and notes on what a scaling left alone."""

    def __init__(self) -> None:
        self.spec: SchemeFile | None = None
        self.problems: list[Problem] = []
        self.notes: list[str] = []


def _by_code(data: dict[str, Any], location: str) -> str:
    """``components[1].amounts.chief`` → ``components.performance.amounts.chief``."""
    match = _INDEXED.match(location)
    if match is None:
        return location
    section, index, rest = match.group(1), int(match.group(2)), match.group(3)
    items = data.get(section) or []
    if index < len(items) and isinstance(items[index], dict) and "code" in items[index]:
        return f"{section}.{items[index]['code']}{rest}"
    return location


def _validate(data: dict[str, Any], source: str, where: str) -> tuple[SchemeFile | None, list[Problem]]:
    """The data as a scheme file; problems at ``where`` (the operation) naming the scheme key."""
    try:
        return SchemeFile.model_validate(data), []
    except ValidationError as error:
        found = problems_from_validation_error(error, "", skip=_UNION_TAGS)
        return None, [
            Problem(source, where, f"{_by_code(data, p.location)}: {p.message}") for p in found
        ]


def _round(value: Decimal, factor: Decimal, quantum: Decimal) -> Decimal:
    """``value × factor`` rounded half up to ``quantum`` (0.01 → the fen)."""
    steps = (value * factor / quantum).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    result = steps * quantum
    return result.quantize(quantum) if quantum < 1 else result.quantize(Decimal(1))


def _scaled_map(amounts: dict[Any, Any], keys: Any, factor: Decimal, quantum: Decimal) -> None:
    for key in list(amounts):
        if keys is None or key in keys:
            amounts[key] = _round(Decimal(amounts[key]), factor, quantum)


def _scale_component(
    component: dict[str, Any], version: SchemeVersion, scale: Scale
) -> str | None:
    """Scale one component's amounts in place; the reason when it has none to scale."""
    factor, quantum, posts = scale.factor, scale.round_to, scale.posts
    kind = component["kind"]
    if kind in ("share_of",):
        return "a share of other lines: it follows them"
    if kind == "input_rate":
        return "a rate on an input: no amount to scale"
    if kind == "yearly" and component.get("amount") is None and component.get("amounts") is None:
        return "a multiple of other lines: it follows them"
    if posts is not None:
        return _scale_posts(component, version, scale)
    if kind in ("by_post", "highest_level", "one_off", "by_input"):
        _scaled_map(component["amounts"], None, factor, quantum)
        if kind == "by_post" and component.get("default") is not None:
            component["default"] = _round(Decimal(component["default"]), factor, quantum)
    elif kind == "by_grade":
        if component.get("table") is not None:
            for row in component["table"].values():
                _scaled_map(row, None, factor, quantum)
        else:
            component["start"] = _round(Decimal(component["start"]), factor, quantum)
            component["step"] = _round(Decimal(component["step"]), factor, quantum)
    elif kind == "coefficient":
        component["base"] = _round(Decimal(component["base"]), factor, quantum)
    elif kind == "seniority":
        component["per_year"] = _round(Decimal(component["per_year"]), factor, quantum)
    elif kind == "yearly":
        if component.get("amount") is not None:
            component["amount"] = _round(Decimal(component["amount"]), factor, quantum)
        if component.get("amounts") is not None:
            _scaled_map(component["amounts"], None, factor, quantum)
    return None


def _scale_posts(component: dict[str, Any], version: SchemeVersion, scale: Scale) -> str | None:
    """Scale only the amounts of ``scale.posts`` (the component must be keyed by post)."""
    factor, quantum = scale.factor, scale.round_to
    posts = scale.posts or ()
    kind = component["kind"]
    if kind in ("by_post", "yearly"):
        amounts = component.get("amounts")
        fallback = component.get("default") if kind == "by_post" else None
        if kind == "yearly" and amounts is None:
            amounts = component["amounts"] = {"*": component.pop("amount")}
        assert amounts is not None
        fallback = fallback if fallback is not None else amounts.get("*")
        for post in posts:
            if post in amounts:
                amounts[post] = _round(Decimal(amounts[post]), factor, quantum)
            elif fallback is not None:
                amounts[post] = _round(Decimal(fallback), factor, quantum)
        return None
    if kind == "by_grade":
        spec = ByGrade.model_validate(component)
        if spec.table is None:
            # start + step is the same for every post: write it out as a table first
            table: dict[str, dict[int, Decimal]] = {}
            for (post, grade), amount in grade_amounts(version, spec).items():
                table.setdefault(post, {})[grade] = amount
            component.pop("start", None)
            component.pop("step", None)
            component["table"] = table
        table = component["table"]
        for post in posts:
            row = table.get(post, table.get("*"))
            if row is not None:
                table[post] = {g: _round(Decimal(v), factor, quantum) for g, v in row.items()}
        return None
    if kind == "coefficient":
        coefficients = component["coefficients"]
        for post in posts:
            row = coefficients.get(post, coefficients.get("*"))
            if row is not None:
                # a coefficient is a factor, scaled exactly: the slip rounds the amount
                coefficients[post] = {g: Decimal(v) * factor for g, v in row.items()}
        return None
    return "its amount does not depend on the post"


def _scale(
    data: dict[str, Any], version: SchemeVersion, index: int, scale: Scale, source: str, out: Patched
) -> None:
    where = f"scale[{index}]"
    codes = [c["code"] for c in data["components"]]
    for position, post in enumerate(scale.posts or ()):
        if post not in data["posts"]:
            out.problems.append(
                Problem(source, f"{where}.posts[{position}]",
                        f"no post {post!r} in {version.family} {version.version} "
                        f"(posts: {', '.join(data['posts'])})")
            )  # fmt: skip
    for position, code in enumerate(scale.components or ()):
        if code not in codes:
            out.problems.append(
                Problem(source, f"{where}.components[{position}]",
                        f"no component {code!r} in {version.family} {version.version} "
                        f"(components: {', '.join(codes)})")
            )  # fmt: skip
    if out.problems:
        return
    for component in data["components"]:
        named = scale.components is not None
        if named and component["code"] not in (scale.components or ()):
            continue
        if component.get("category", "earning") != "earning":
            if named:
                out.problems.append(
                    Problem(source, where, f"{component['code']} is not an earning: not scaled")
                )
            continue
        why = _scale_component(component, version, scale)
        if why is None:
            continue
        if named:
            out.problems.append(
                Problem(source, f"{where}.components",
                        f"{component['code']} ({component['label']}) cannot be scaled: {why}")
            )  # fmt: skip
        else:
            out.notes.append(f"{where}: {component['code']} ({component['label']}) not scaled: {why}")


def _steps(path: str) -> Iterator[str | int]:
    for part in path.split("."):
        head, *indexes = part.split("[")
        if head:
            yield int(head) if head.isdigit() else head
        for index in indexes:
            number = index.rstrip("]")
            if not number.isdigit() or not index.endswith("]"):
                raise ValueError(f"bad index [{index} in {path!r}")
            yield int(number)


def _set(data: dict[str, Any], path: str, value: Any) -> None:
    """Set ``value`` at ``path`` (``components`` and ``caps`` items by code); ValueError says
    which key is not there."""
    steps = list(_steps(path))
    if not steps:
        raise ValueError("empty path")
    node: Any = data
    walked: list[str] = []
    for position, step in enumerate(steps):
        last = position == len(steps) - 1
        here = ".".join(walked) or "the scheme"
        if isinstance(node, list) and isinstance(step, str) and walked[-1:] in (["components"], ["caps"]):
            found = [item for item in node if isinstance(item, dict) and item.get("code") == step]
            if not found:
                known = ", ".join(str(item.get("code")) for item in node)
                raise ValueError(f"no {walked[-1][:-1]} {step!r} (known: {known})")
            if last:
                raise ValueError(f"{path}: set a key of {step}, or use add_component/remove_components")
            node = found[0]
        elif isinstance(node, list) and isinstance(step, int):
            if not 0 <= step < len(node):
                raise ValueError(f"{here} has {len(node)} entries; no [{step}]")
            if last:
                node[step] = value
                return
            node = node[step]
        elif isinstance(node, dict):
            if last:
                node[step] = value
                return
            if step not in node or node[step] is None:
                known = ", ".join(str(key) for key in node)
                raise ValueError(f"no key {step!r} in {here} (keys: {known})")
            node = node[step]
        else:
            raise ValueError(f"{here} is a value, not a table: no key {step!r}")
        walked.append(str(step))


def _lists(value: Any) -> Any:
    """A deep copy of dumped data with tuples as lists (so entries can be set)."""
    if isinstance(value, dict):
        return {key: _lists(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_lists(item) for item in value]
    return value


def patch_spec(version: SchemeVersion, reform: ReformFile, source: str) -> Patched:
    """``version``'s scheme with ``reform``'s operations applied (not yet re-dated)."""
    out = Patched()
    data: dict[str, Any] = _lists(version.spec.model_dump())
    current = version

    def checked(where: str) -> bool:
        nonlocal current
        spec, problems = _validate(data, source, where)
        out.problems += problems
        if spec is not None:
            current = SchemeVersion(spec=spec, path=version.path, sha256=version.sha256)
        return spec is not None

    codes = [c["code"] for c in data["components"]]
    for index, code in enumerate(reform.remove_components):
        if code not in codes:
            out.problems.append(
                Problem(source, f"remove_components[{index}]",
                        f"no component {code!r} (components: {', '.join(codes)})")
            )  # fmt: skip
    data["components"] = [c for c in data["components"] if c["code"] not in reform.remove_components]
    if out.problems or not checked("remove_components"):
        return out
    for index, scale in enumerate(reform.scale):
        _scale(data, current, index, scale, source, out)
        if out.problems or not checked(f"scale[{index}]"):
            return out
    for index, added in enumerate(reform.add_component):
        component = dict(added)
        after = component.pop("after", None)
        codes = [c["code"] for c in data["components"]]
        if after is not None and after not in codes:
            out.problems.append(
                Problem(source, f"add_component[{index}].after",
                        f"no component {after!r} (components: {', '.join(codes)})")
            )  # fmt: skip
            return out
        at = codes.index(after) + 1 if after is not None else len(codes)
        data["components"].insert(at, component)
        if not checked(f"add_component[{index}]"):
            return out
    for index, change in enumerate(reform.set):
        try:
            _set(data, change.path, change.value)
        except ValueError as error:
            out.problems.append(Problem(source, f"set[{index}].path", str(error)))
            return out
        if not checked(f"set[{index}]"):
            return out
    spec = SchemeFile.model_validate(data)
    out.problems += [
        Problem(source, f"applied to {version.family} {version.version}",
                f"{_by_code(data, p.location)}: {p.message}")
        for p in check_scheme(spec, "")
    ]  # fmt: skip
    if not out.problems:
        out.spec = spec
    return out
