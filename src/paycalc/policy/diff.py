"""``paycalc diff OLD NEW``: what changed between two scheme versions, key by key, in words.

Grade tables are compared as the amounts they produce for every post and grade, so a
change of ``step`` shows as the grades whose pay moved ("正职 第7级 等级工资 410 → 450").
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from paycalc.money import format_number
from paycalc.policy.describe import code_label, grade_amounts, rule_summary
from paycalc.scheme.model import ByGrade, Coefficient, Component
from paycalc.scheme.version import SchemeVersion

__all__ = ["Change", "diff_schemes"]

ChangeKind = Literal["added", "removed", "changed"]


@dataclass(frozen=True, slots=True)
class Change:
    """One difference: a key path, what it is in words, and the old and new values."""

    kind: ChangeKind
    path: str
    what: str
    old: str | None
    new: str | None
    #: the change said as its rule, when it is one ("等级工资 级差 60 → 80, 第1级 50 不变")
    summary: str = ""

    def __str__(self) -> str:
        if self.summary:
            return self.summary
        old, new = _short(self.old), _short(self.new)
        if self.kind == "added":
            return f"新增: {self.what} {new}".rstrip()
        if self.kind == "removed":
            return f"删除: {self.what} {old}".rstrip()
        return f"{self.what} {old} → {new}"

    def to_dict(self) -> dict[str, Any]:
        data = {
            "kind": self.kind,
            "path": self.path,
            "what": self.what,
            "old": self.old,
            "new": self.new,
        }
        if self.summary:
            data["summary"] = self.summary
        return data


def _short(text: str | None, width: int = 48) -> str:
    """Long notes on one line, cut to ``width`` characters (JSON keeps them whole)."""
    if not text:
        return "—"
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def _text(value: object) -> str:
    if isinstance(value, Decimal):
        return format_number(value)
    if isinstance(value, tuple | list):
        return "[" + ", ".join(_text(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k} = {_text(v)}" for k, v in value.items()) + "}"
    if value is None:
        return "—"
    return str(value)


def _flatten(value: Any, path: str) -> Iterator[tuple[str, Any]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _flatten(item, f"{path}.{key}" if path else str(key))
    else:
        yield path, value


def _pairs(old: dict[str, Any], new: dict[str, Any]) -> Iterator[tuple[str, Any, Any]]:
    old_flat, new_flat = dict(_flatten(old, "")), dict(_flatten(new, ""))
    for key in [*old_flat, *(k for k in new_flat if k not in old_flat)]:
        before, after = old_flat.get(key), new_flat.get(key)
        if before != after:
            yield key, before, after


_KEY_WORDS = {
    "amounts": "",
    "category": "类别",
    "contribution_table": "五险一金表",
    "counting": "计数方式",
    "date": "日期",
    "default": "其他岗位",
    "effective_from": "生效日期",
    "income_tax": "代扣个税",
    "issuer": "发文机关",
    "kind": "类型",
    "max_years": "最多年数",
    "proration": "折算方式",
    "published_on": "公布日期",
    "rounding": "舍入方式",
    "seed": "源文件",
    "source": "出处",
    "title": "标题",
    "appraisal": "考核",
    "awards": "表彰",
    "certificate_bonus": "社工证加级",
    "duration_months": "发放月数",
    "education": "学历",
    "education_years": "学历折算年限",
    "factors": "考核系数",
    "grades": "职级区间",
    "label": "名称",
    "limit": "上限",
    "max": "上限",
    "method": "方式",
    "month": "发放月份",
    "multiplier": "倍数",
    "note": "说明",
    "of": "计算基础",
    "per_service_year": "每年积分",
    "per_year": "每年",
    "points": "积分",
    "qualifications": "资格",
    "rate": "比例",
    "reduce": "扣减项目",
    "share": "比例",
    "status": "状态",
    "thresholds": "积分档",
    "when": "条件",
    "years_per_step": "晋级年限",
}


def _key_words(scheme: SchemeVersion, key: str) -> str:
    words = (_KEY_WORDS.get(part, code_label(scheme, part)) for part in key.split("."))
    return " ".join(word for word in words if word)


def _component_changes(old: SchemeVersion, new: SchemeVersion) -> Iterator[Change]:
    before = {c.code: c for c in old.spec.components}
    after = {c.code: c for c in new.spec.components}
    for code, component in after.items():
        if code not in before:
            yield Change(
                "added", f"components.{code}", component.label, None, rule_summary(new, component)
            )
    for code, component in before.items():
        if code not in after:
            yield Change(
                "removed", f"components.{code}", component.label, rule_summary(old, component), None
            )
    for code, component in after.items():
        if code in before:
            yield from _changed_component(old, new, before[code], component)


def _changed_component(
    old: SchemeVersion, new: SchemeVersion, was: Component, now: Component
) -> Iterator[Change]:
    path = f"components.{now.code}"
    if was.kind != now.kind:
        yield Change(
            "changed",
            f"{path}.kind",
            f"{now.label} 计算方式",
            rule_summary(old, was),
            rule_summary(new, now),
        )
        return
    if isinstance(was, ByGrade | Coefficient) and isinstance(now, ByGrade | Coefficient):
        old_amounts, new_amounts = grade_amounts(old, was), grade_amounts(new, now)
        if old_amounts != new_amounts:
            # The rule first (级差 60 → 80), then every figure it moved.
            yield Change(
                "changed",
                f"{path}.rule",
                now.label,
                rule_summary(old, was),
                rule_summary(new, now),
                summary=f"{now.label} {_grade_rule_change(old, new, was, now)}",
            )
        for post, grade in sorted({*old_amounts, *new_amounts}):
            before, after = old_amounts.get((post, grade)), new_amounts.get((post, grade))
            if before == after:
                continue
            where = f"{code_label(new, post)} 第{grade}级 {now.label}"
            kind: ChangeKind = (
                "added" if before is None else "removed" if after is None else "changed"
            )
            yield Change(kind, f"{path}.{post}.{grade}", where, _money(before), _money(after))
        skip = {"table", "start", "step", "first_grade", "coefficients", "base", "share"}
    else:
        skip = set()
    old_data = {k: v for k, v in was.model_dump(exclude_defaults=False).items() if k not in skip}
    new_data = {k: v for k, v in now.model_dump(exclude_defaults=False).items() if k not in skip}
    for key, before, after in _pairs(old_data, new_data):
        kind = "added" if before is None else "removed" if after is None else "changed"
        yield Change(
            kind, f"{path}.{key}", f"{now.label} {_key_words(new, key)}", _opt(before), _opt(after)
        )


def _step(a: Decimal, b: Decimal) -> str:
    return f"{format_number(a)} 不变" if a == b else f"{format_number(a)} → {format_number(b)}"


def _arithmetic(row: dict[int, Decimal]) -> tuple[int, Decimal, Decimal] | None:
    """(first grade, its amount, step) when a post's amounts rise by one step per grade."""
    grades = sorted(row)
    if len(grades) < 2 or grades != list(range(grades[0], grades[-1] + 1)):
        return None
    step = row[grades[1]] - row[grades[0]]
    if any(row[b] - row[a] != step for a, b in itertools.pairwise(grades)):
        return None
    return grades[0], row[grades[0]], step


def _grade_rule_change(
    old: SchemeVersion, new: SchemeVersion, was: ByGrade | Coefficient, now: ByGrade | Coefficient
) -> str:
    """A grade table's change as its rule: "级差 60 → 80, 第1级 50 不变"."""
    if (
        isinstance(was, ByGrade)
        and isinstance(now, ByGrade)
        and None not in (was.start, was.step, now.start, now.step)
    ):
        assert was.start is not None and was.step is not None  # for mypy
        assert now.start is not None and now.step is not None
        first = (
            f"第{was.first_grade}级 {_step(was.start, now.start)}"
            if was.first_grade == now.first_grade
            else f"第{was.first_grade}级 {format_number(was.start)} → 第{now.first_grade}级 {format_number(now.start)}"
        )
        return f"级差 {_step(was.step, now.step)}, {first}"
    before, after = grade_amounts(old, was), grade_amounts(new, now)
    posts: dict[str, list[str]] = {}
    for post in dict.fromkeys(post for post, _ in [*before, *after]):
        rows = [
            {g: amount for (p, g), amount in amounts.items() if p == post}
            for amounts in (before, after)
        ]
        if rows[0] == rows[1]:
            continue
        shapes = [_arithmetic(row) for row in rows]
        if shapes[0] is not None and shapes[1] is not None and shapes[0][0] == shapes[1][0]:
            (grade, start, step), (_, new_start, new_step) = shapes[0], shapes[1]
            text = f"级差 {_step(step, new_step)}, 第{grade}级 {_step(start, new_start)}"
        else:
            grades = [g for g in rows[0] if g in rows[1] and rows[1][g] != rows[0][g]]
            moved = [rows[1][g] - rows[0][g] for g in grades]
            if len(grades) == 1:
                text = f"第{grades[0]}级 {_step(rows[0][grades[0]], rows[1][grades[0]])}"
            elif moved:
                low, high = _signed(min(moved)), _signed(max(moved))
                text = f"{len(moved)} 个等级的金额变动 ({low}" + (
                    f" 至 {high})" if low != high else ")"
                )
            else:
                text = "等级范围变动"
        posts.setdefault(text, []).append(code_label(new, post))
    return "; ".join(f"{'、'.join(names)}: {text}" for text, names in posts.items())


def _signed(value: Decimal) -> str:
    return ("+" if value > 0 else "") + format_number(value)


def _money(value: Decimal | None) -> str | None:
    return None if value is None else format_number(value.quantize(Decimal("0.01")))


def _opt(value: object) -> str | None:
    return None if value is None else _text(value)


def _section_changes(
    old: SchemeVersion, new: SchemeVersion, section: str, words: str
) -> Iterator[Change]:
    before = _dump(old, section)
    after = _dump(new, section)
    if section != "grade":
        # Whole entries (a post, an input, a cap) added or removed are one change each.
        for key in sorted(after.keys() - before.keys()):
            yield Change(
                "added",
                f"{section}.{key}",
                f"{words} {code_label(new, key)}",
                None,
                _entry(after.pop(key)),
            )
        for key in sorted(before.keys() - after.keys()):
            yield Change(
                "removed",
                f"{section}.{key}",
                f"{words} {code_label(old, key)}",
                _entry(before.pop(key)),
                None,
            )
    for key, was, now in _pairs(before, after):
        kind: ChangeKind = "added" if was is None else "removed" if now is None else "changed"
        yield Change(
            kind, f"{section}.{key}", f"{words} {_key_words(new, key)}", _opt(was), _opt(now)
        )


def _entry(data: dict[str, Any]) -> str:
    """A short description of a whole post, input or cap."""
    if "limit" in data:
        return f"{data['label']} {_text(data['limit'])}"
    if "grades" in data:
        return f"{data['label']} {_text(data['grades'])}"
    return str(data.get("label", _text(data)))


def _dump(version: SchemeVersion, section: str) -> dict[str, Any]:
    value = getattr(version.spec, section)
    if value is None:
        return {}
    if isinstance(value, tuple):  # caps: keyed by code
        return {item.code: item.model_dump() for item in value}
    if isinstance(value, dict):
        return {key: item.model_dump() for key, item in value.items()}
    dumped: dict[str, Any] = value.model_dump()
    return dumped


def diff_schemes(old: SchemeVersion, new: SchemeVersion) -> list[Change]:
    """Every difference from ``old`` to ``new``: header, posts, inputs, grade rule, components, caps."""
    changes: list[Change] = []
    header_skip = {"version", "title"}
    before = {k: v for k, v in old.spec.scheme.model_dump().items() if k not in header_skip}
    after = {k: v for k, v in new.spec.scheme.model_dump().items() if k not in header_skip}
    for key, was, now in _pairs(before, after):
        changes.append(
            Change("changed", f"scheme.{key}", f"方案 {_key_words(new, key)}", _opt(was), _opt(now))
        )
    changes += _section_changes(old, new, "posts", "岗位")
    changes += _section_changes(old, new, "inputs", "输入")
    changes += _section_changes(old, new, "grade", "等级规则")
    changes += _component_changes(old, new)
    changes += _section_changes(old, new, "caps", "封顶")
    # Figures first; changes to notes and citations after them.
    return sorted(changes, key=_is_documentation)


def _is_documentation(change: Change) -> bool:
    path = change.path
    return path.endswith(".note") or path.startswith("scheme.source") or path == "scheme.note"
