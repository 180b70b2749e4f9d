"""Roster column headers, in English or Chinese, and what each one feeds.

A header is matched after trimming and case-folding (``Hired_On``, ``hired on`` and
``入职日期`` all name the hire date). See docs/roster-format.md for the full table.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final, Literal

__all__ = [
    "IDENTITY_COLUMNS",
    "INFO_COLUMNS",
    "TAX_HEADERS",
    "ColumnSpec",
    "classify_header",
    "column_conflicts",
    "describe_spec",
    "normalise_header",
]

ColumnKind = Literal[
    "field",  # a Worker field (id, post, hired_on, ...)
    "json",  # a Worker field written as JSON (qualifications, appraisals, awards, inputs)
    "appraisal",  # one year's appraisal result (考核2023)
    "qualification",  # a certificate's level or date (社工证等级, 社工证取得日期)
    "award",  # a single award's level, date or title (表彰级别, ...)
    "input",  # a scheme input (input:community_rating)
    "info",  # descriptive, not used for pay (街道, 部门, x_片区): for forecasts --by
    "identity",  # identity and payment (身份证号, 银行账号): checked, kept, passed through
    "tax",  # an income tax declaration: a field of the worker's ``tax`` record
]


@dataclass(frozen=True, slots=True)
class ColumnSpec:
    """What one header means. ``key`` is the field, year, input name or info name."""

    kind: ColumnKind
    key: str
    part: str = ""  # for qualifications: "level" / "obtained_on"; awards: "level" / ...


#: Worker fields read from one cell each, by every accepted header.
FIELD_HEADERS: Final[dict[str, tuple[str, ...]]] = {
    "id": ("id", "worker_id", "工号", "编号", "人员编号"),
    "name": ("name", "姓名"),
    "scheme": ("scheme", "方案", "薪酬方案"),
    "post": ("post", "岗位"),
    "grade": ("grade", "等级", "职级"),
    "hired_on": ("hired_on", "入职日期", "入职时间"),
    "left_on": ("left_on", "离职日期", "离职时间"),
    "in_establishment": ("in_establishment", "是否在编", "在编"),
    "education": ("education", "学历"),
    "contribution_base": ("contribution_base", "缴费基数", "社保缴费基数"),
}

#: Worker fields that may be given whole, as JSON in one cell.
JSON_HEADERS: Final[dict[str, tuple[str, ...]]] = {
    "qualifications": ("qualifications", "资格证书", "证书"),
    "appraisals": ("appraisals", "考核", "年度考核"),
    "awards": ("awards", "表彰", "表彰奖励"),
    "inputs": ("inputs", "其他输入"),
    "tax": ("tax", "个税信息"),
}

#: Certificate columns: (kind, part) by header.
QUALIFICATION_HEADERS: Final[dict[tuple[str, str], tuple[str, ...]]] = {
    ("social_work", "level"): ("social_work_level", "社工证等级", "社工证"),
    ("social_work", "obtained_on"): ("social_work_obtained_on", "社工证取得日期"),
    ("title", "level"): ("title_level", "职称等级", "职称"),
    ("title", "obtained_on"): ("title_obtained_on", "职称取得日期"),
}

#: One award per row, in three columns (more awards: the JSON column).
AWARD_HEADERS: Final[dict[str, tuple[str, ...]]] = {
    "level": ("award_level", "表彰级别"),
    "awarded_on": ("award_date", "awarded_on", "表彰日期"),
    "title": ("award_title", "表彰名称"),
}

#: Descriptive columns kept with the row (not used for pay): canonical name by header.
INFO_COLUMNS: Final[dict[str, tuple[str, ...]]] = {
    "department": ("department", "部门"),
    "street": ("street", "subdistrict_office", "街道", "街道办事处", "乡镇"),
    "community": ("community", "社区", "村"),
    "unit": ("unit", "单位"),
    "note": ("note", "备注"),
}

#: Identity and payment columns (kept with the row, checked where a rule exists).
IDENTITY_COLUMNS: Final[dict[str, tuple[str, ...]]] = {
    "id_type": ("id_type", "证件类型", "身份证件类型"),
    "id_number": ("id_number", "身份证号", "身份证号码", "证件号码", "身份证件号码"),
    "bank_account": ("bank_account", "银行账号", "银行卡号", "银行帐号", "工资卡号", "账号"),
    "bank_name": ("bank_name", "开户行", "开户银行"),
    "account_name": ("account_name", "户名", "开户名", "账户名"),
    "phone": ("phone", "手机", "手机号", "手机号码", "联系电话"),
}

#: Income tax declarations on a roster: the worker's ``tax`` field by header.
TAX_HEADERS: Final[dict[str, tuple[str, ...]]] = {
    "children_in_education": ("children_in_education", "子女教育", "子女教育人数"),
    "infants": ("infants", "婴幼儿照护", "婴幼儿照护人数", "3岁以下婴幼儿照护"),
    "child_share": ("child_share", "子女扣除比例", "子女教育扣除比例", "子女分摊比例"),
    "elderly_support": ("elderly_support", "赡养老人"),
    "elderly_share": ("elderly_share", "赡养老人分摊额", "赡养老人分摊金额"),
    "housing_loan": ("housing_loan", "住房贷款利息"),
    "housing_rent_tier": ("housing_rent_tier", "住房租金", "住房租金城市类别"),
    "continuing_education_degree": (
        "continuing_education_degree",
        "学历继续教育",
        "继续教育（学历）",
        "继续教育(学历)",
    ),
    "continuing_education_degree_start": (
        "continuing_education_degree_start",
        "学历继续教育开始日期",
        "学历继续教育入学日期",
    ),
    "vocational_certificate_year": (
        "vocational_certificate_year",
        "职业资格证书年度",
        "职业资格继续教育年度",
    ),
    "bonus_method": ("bonus_method", "年终奖计税方式", "全年一次性奖金计税方式"),
    "other_deductions": ("other_deductions", "其他扣除"),
    "tax_free_income": ("tax_free_income", "免税收入", "本期免税收入"),
    "serious_illness": ("serious_illness", "大病医疗"),
}

_APPRAISAL = re.compile(r"^(?:appraisal[_ ]?(\d{4})|考核(\d{4})|(\d{4})年?度?考核(?:结果)?)$")
_INPUT = re.compile(r"^(?:input[:：_.]|inputs\.|输入[:：])(.+)$")
_EXTRA_INFO = re.compile(r"^(?:x[_-]|信息[:：])(.+)$", re.IGNORECASE)


def normalise_header(text: str) -> str:
    """Trim, drop a stray BOM, case-fold, and write spaces and hyphens as underscores."""
    text = text.replace("\ufeff", "").strip().casefold()
    return re.sub(r"[\s\-]+", "_", text)


def _lookup() -> dict[str, ColumnSpec]:
    table: dict[str, ColumnSpec] = {}
    for field, names in FIELD_HEADERS.items():
        table.update({normalise_header(n): ColumnSpec("field", field) for n in names})
    for field, names in JSON_HEADERS.items():
        table.update({normalise_header(n): ColumnSpec("json", field) for n in names})
    for (kind, part), names in QUALIFICATION_HEADERS.items():
        table.update({normalise_header(n): ColumnSpec("qualification", kind, part) for n in names})
    for part, names in AWARD_HEADERS.items():
        table.update({normalise_header(n): ColumnSpec("award", "award", part) for n in names})
    for info, names in INFO_COLUMNS.items():
        table.update({normalise_header(n): ColumnSpec("info", info) for n in names})
    for key, names in IDENTITY_COLUMNS.items():
        table.update({normalise_header(n): ColumnSpec("identity", key) for n in names})
    for key, names in TAX_HEADERS.items():
        table.update({normalise_header(n): ColumnSpec("tax", key) for n in names})
    return table


_TABLE: Final = _lookup()


def classify_header(header: str, scheme_inputs: dict[str, str] | None = None) -> ColumnSpec | None:
    """What ``header`` means, or None for an unknown column.

    ``scheme_inputs`` maps the codes and labels of the inputs the loaded schemes declare
    to their codes, so ``社区星级评定`` or ``community_rating`` can head an input column.
    """
    key = normalise_header(header)
    if key in _TABLE:
        return _TABLE[key]
    match = _APPRAISAL.match(key)
    if match:
        return ColumnSpec("appraisal", next(group for group in match.groups() if group))
    match = _INPUT.match(key)
    if match:
        return ColumnSpec("input", match.group(1).strip())
    if scheme_inputs:
        for name, code in scheme_inputs.items():
            if normalise_header(name) == key:
                return ColumnSpec("input", code)
    match = _EXTRA_INFO.match(header.strip())
    if match:
        return ColumnSpec("info", header.strip())
    return None


_QUALIFICATION_NAMES: Final = {
    "social_work": "social-work certificate",
    "title": "professional title",
}
_AWARD_PARTS: Final = {"level": "level", "awarded_on": "date", "title": "title"}


def describe_spec(spec: ColumnSpec) -> str:
    """What a column gives, for a message (``the post``, ``the 2023 appraisal``)."""
    if spec.kind == "appraisal":
        return f"the {spec.key} appraisal"
    if spec.kind == "qualification":
        name = _QUALIFICATION_NAMES.get(spec.key, spec.key)
        return f"the {name}'s {'date' if spec.part == 'obtained_on' else 'level'}"
    if spec.kind == "award":
        return f"the award's {_AWARD_PARTS.get(spec.part, spec.part)}"
    if spec.kind == "input":
        return f"the input {spec.key}"
    return f"the {spec.key}"


def column_conflicts(specs: Iterable[tuple[str, ColumnSpec]]) -> list[tuple[str, ...]]:
    """Groups of two or more columns that feed the same value, each in file order.

    ``岗位`` and ``post``; ``工号`` and ``id``; ``考核2023`` and ``2023年度考核``; ``社工证``
    and ``社工证等级``: which of the two is right, no reader can know, so a roster with such
    columns is not paid as a guess.
    """
    by_value: dict[ColumnSpec, list[str]] = {}
    for header, spec in specs:
        by_value.setdefault(spec, []).append(header)
    return [tuple(headers) for headers in by_value.values() if len(headers) > 1]
