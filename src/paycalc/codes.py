"""The fixed vocabularies (education, appraisal results, levels) and their Chinese labels.

Every code can be written as its English code or as any of its Chinese labels, in worker
files and rosters alike: ``"本科"`` is ``bachelor``, ``"合格"`` is ``competent``.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final, TypeVar

from paycalc.limits import shown

__all__ = [
    "Appraisal",
    "AwardLevel",
    "Education",
    "Level",
    "QualificationKind",
    "label_of",
    "parse_code",
]


class Education(StrEnum):
    """学历, ordered from lowest to highest."""

    high_school = "high_school"
    college = "college"
    bachelor = "bachelor"
    master = "master"
    doctorate = "doctorate"

    @property
    def rank(self) -> int:
        return _EDUCATION_ORDER.index(self)


class Appraisal(StrEnum):
    """年度考核 result."""

    excellent = "excellent"
    competent = "competent"
    basic = "basic"
    incompetent = "incompetent"

    @property
    def passed(self) -> bool:
        """合格 (称职) and 优秀 pass: the year earns a step (蕉城 试行稿 001: "考核合格后 …
        每年增加", after the 事业单位 rule it cites — 基本合格 earns no step)."""
        return self in (Appraisal.excellent, Appraisal.competent)

    @property
    def failed(self) -> bool:
        """不称职 fails the year: it does not count as service (本民发〔2022〕43号)."""
        return self is Appraisal.incompetent


class Level(StrEnum):
    """Certificate or title level: 初级 / 中级 / 高级, ordered."""

    junior = "junior"
    intermediate = "intermediate"
    senior = "senior"

    @property
    def rank(self) -> int:
        return _LEVEL_ORDER.index(self)


class QualificationKind(StrEnum):
    """社会工作者职业资格 (social_work) or 专业技术职称 (title)."""

    social_work = "social_work"
    professional_title = "title"


class AwardLevel(StrEnum):
    """表彰奖励 level, ordered."""

    subdistrict = "subdistrict"
    district = "district"
    city = "city"
    province = "province"
    national = "national"


_EDUCATION_ORDER: Final = tuple(Education)
_LEVEL_ORDER: Final = tuple(Level)

#: Chinese labels per code; the first label is the one printed on slips.
LABELS: Final[dict[StrEnum, tuple[str, ...]]] = {
    Education.high_school: ("高中", "高中及以下", "中专", "中职", "高中/中专"),
    Education.college: ("大专", "专科", "大学专科"),
    Education.bachelor: ("本科", "大学本科", "学士"),
    Education.master: ("硕士", "研究生", "硕士研究生"),
    Education.doctorate: ("博士", "博士研究生"),
    Appraisal.excellent: ("优秀",),
    Appraisal.competent: ("称职", "合格"),
    Appraisal.basic: ("基本称职", "基本合格"),
    Appraisal.incompetent: ("不称职", "不合格"),
    Level.junior: ("初级", "助理社会工作师"),
    Level.intermediate: ("中级", "社会工作师"),
    Level.senior: ("高级", "高级社会工作师"),
    QualificationKind.social_work: ("社会工作者职业资格", "社工证", "社会工作", "社工"),
    QualificationKind.professional_title: ("专业技术职称", "专业职称", "职称"),
    AwardLevel.subdistrict: ("街道级", "街道", "乡镇级", "乡镇", "街道(乡镇)级"),
    AwardLevel.district: ("区县级", "区级", "县级", "区(县)级"),
    AwardLevel.city: ("市级", "州市级"),
    AwardLevel.province: ("省级",),
    AwardLevel.national: ("国家级", "全国"),
}

CodeT = TypeVar("CodeT", bound=StrEnum)


def parse_code(kind: type[CodeT], value: object) -> CodeT:
    """Read a code or one of its Chinese labels; ``ValueError`` lists what is accepted."""
    if isinstance(value, kind):
        return value
    if isinstance(value, str):
        text = value.strip()
        for member in kind:
            if text == member.value or text in LABELS.get(member, ()):
                return member
    accepted = ", ".join(f"{member.value} ({LABELS[member][0]})" for member in kind)
    raise ValueError(f"expected one of {accepted}; got {shown(value)}")


def label_of(code: StrEnum) -> str:
    """The Chinese label printed on slips (``bachelor`` → ``本科``)."""
    return LABELS[code][0]
