"""Scheme files written as a policy owner writes them: Chinese labels where codes are
expected, positions counted from 1 and named by code, and TOML mistakes explained."""

from __future__ import annotations

import pytest

import paycalc
from paycalc.scheme import scheme_from_text
from tests.conftest import EXAMPLES, SCHEMES

DEMO = (SCHEMES / "demo" / "community-worker" / "2023-01.toml").read_text(encoding="utf-8")
CHIEF = paycalc.load_worker(EXAMPLES / "workers" / "demo.community-worker" / "chief.json")

# The demo file's coded keys and values, written with the labels worker files accept.
IN_CHINESE = [
    (
        "education_years = { bachelor = 3, master = 5, doctorate = 7 }",
        'education_years = { "本科" = 3, "硕士" = 5, "博士" = 7 }',
    ),
    (
        "certificate_bonus = { junior = 1, intermediate = 2, senior = 3 }",
        'certificate_bonus = { "初级" = 1, "中级" = 2, "高级" = 3 }',
    ),
    (
        "amounts = { junior = 100, intermediate = 150, senior = 200 }",
        'amounts = { "初级" = 100, "中级" = 150, "高级" = 200 }',
    ),
    (
        "factors = { excellent = 1.2, competent = 1.0, basic = 0.5, incompetent = 0 }",
        'factors = { "优秀" = 1.2, "称职" = 1.0, "基本称职" = 0.5, "不称职" = 0 }',
    ),
]


def _in_chinese() -> str:
    text = DEMO
    for code, label in IN_CHINESE:
        assert code in text
        text = text.replace(code, label)
    return text


def test_labels_read_as_their_codes() -> None:
    coded, labelled = scheme_from_text(DEMO), scheme_from_text(_in_chinese())
    assert labelled.spec == coded.spec
    # Same figures on the slip: 等级工资 uses the 本科 years and the 中级 bonus (README: 770.00).
    ours = paycalc.payslip(CHIEF, "2024-03", schemes=paycalc.registry_from_texts([_in_chinese()]))
    assert ours.amount("grade_pay") == paycalc.payslip(CHIEF, "2024-03").amount("grade_pay")
    assert str(ours.amount("grade_pay")) == "770.00"


def test_a_label_and_its_code_together_are_refused() -> None:
    text = DEMO.replace(
        "education_years = { bachelor = 3,", 'education_years = { "本科" = 4, bachelor = 3,'
    )
    with pytest.raises(paycalc.SchemeError) as raised:
        scheme_from_text(text, source="s.toml")
    [problem] = raised.value.problems
    assert problem.location == "grade.education_years"
    assert "'本科' and 'bachelor' name the same bachelor" in problem.message


def test_an_unknown_label_lists_what_is_accepted() -> None:
    with pytest.raises(paycalc.SchemeError) as raised:
        scheme_from_text(DEMO.replace("bachelor = 3", '"小学" = 3'), source="s.toml")
    assert "本科" in str(raised.value) and "'小学'" in str(raised.value)


def test_component_positions_count_from_1_and_name_the_code() -> None:
    text = DEMO.replace("step = 60", "step = -60")  # the second component, grade_pay
    with pytest.raises(paycalc.SchemeError) as raised:
        scheme_from_text(text, source="s.toml")
    assert [str(p) for p in raised.value.problems] == [
        "s.toml: components[2 grade_pay].step: must not be negative, got -60"
    ]


@pytest.mark.parametrize(
    ("line", "advice"),
    [
        ("等级工资 = 60", 'a key in Chinese (or with spaces) must be quoted: "等级工资" = 60'),
        ("note = 岗位工资", 'text must be quoted: note = "岗位工资"'),
        ("note ＝ 1", "write ASCII punctuation instead of full-width (＝ → =)"),
        ("[posts.正职]", '[posts."正职"]'),
        ('note = "a"\nnote = "b"', "given twice"),
    ],
)
def test_toml_mistakes_name_the_line_and_what_to_write(line: str, advice: str) -> None:
    text = DEMO.replace("[scheme]\n", f"[scheme]\n{line}\n", 1)
    number = DEMO.splitlines().index("[scheme]") + 2 + line.count("\n")
    with pytest.raises(paycalc.SchemeError) as raised:
        scheme_from_text(text, source="s.toml")
    [problem] = raised.value.problems
    assert problem.location == f"line {number}"
    assert problem.message.startswith("not valid TOML: ")
    assert advice in problem.message
