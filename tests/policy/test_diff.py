"""Scheme diffs read like the policy change they describe."""

import json

import pytest

from paycalc.cli import main
from paycalc.policy import diff_schemes
from tests.conftest import SCHEMES
from tests.helpers import GIVEN_GRADE, scheme

OLD = (
    GIVEN_GRADE
    + """
[[components]]
code = "base_pay"
label = "岗位等级工资"
kind = "by_grade"
table."*" = { 1 = 2000, 2 = 2100, 3 = 2200, 4 = 2300, 5 = 2400, 6 = 2500, 7 = 3120, 8 = 3200, 9 = 3300, 10 = 3400, 11 = 3500, 12 = 3600, 13 = 3700, 14 = 3800, 15 = 3900, 16 = 4000, 17 = 4100, 18 = 4200 }
"""
)
NEW = (
    OLD.replace("7 = 3120", "7 = 3300")
    + """
[[components]]
code = "social_work_subsidy"
label = "社工证补贴"
kind = "highest_level"
qualification = "social_work"
amounts = { intermediate = 150 }
"""
)


def test_a_table_change_and_a_new_subsidy_in_words() -> None:
    changes = [str(change) for change in diff_schemes(scheme(OLD), scheme(NEW))]
    # Grade 7 exists in 正职 (7–18), 副职 (4–15) and 专职委员 (1–12): three lines, one per post.
    assert "正职 第7级 岗位等级工资 3120 → 3300" in changes
    assert "专职委员 第7级 岗位等级工资 3120 → 3300" in changes
    assert "新增: 社工证补贴 中级 150" in changes
    # The rule first: one grade of the "*" row moved, for every post.
    assert "岗位等级工资 正职、副职、专职委员: 第7级 3120 → 3300" in changes
    assert len(changes) == 5


def test_a_step_change_shows_every_grade_whose_pay_moved() -> None:
    old = (
        GIVEN_GRADE
        + '[[components]]\ncode="g"\nlabel="等级工资"\nkind="by_grade"\nstart=50\nstep=60\n'
    )
    new = old.replace("step=60", "step=70")
    changes = diff_schemes(scheme(old), scheme(new))
    # Grade 1 stays 50; grade 2 goes 110 → 120; 正职 grade 18: 50 + 17 × 60 = 1070 → 50 + 17 × 70 = 1240.
    texts = [str(change) for change in changes]
    assert "正职 第18级 等级工资 1070 → 1240" in texts
    # Said first as the rule that changed; no figure line for grade 1, which did not move.
    assert texts[0] == "等级工资 级差 60 → 70, 第1级 50 不变"
    assert not any("第1级" in text for text in texts[1:])


def test_identical_versions_have_no_changes() -> None:
    assert diff_schemes(scheme(OLD), scheme(OLD)) == []


def test_cli_diff_json(capsys: pytest.CaptureFixture[str]) -> None:
    demo = SCHEMES / "demo" / "community-worker"
    assert (
        main(
            [
                "diff",
                str(demo / "2023-01.toml"),
                "demo.community-worker@2024-07",
                "--format",
                "json",
            ]
        )
        == 0
    )
    document = json.loads(capsys.readouterr().out)
    assert document["old"]["version"] == "2023-01" and document["new"]["version"] == "2024-07"
    changed = {c["path"]: c for c in document["changes"]}
    assert (
        changed["scheme.proration"]["old"] == "calendar"
        and changed["scheme.proration"]["new"] == "21.75"
    )
    assert changed["components.education_subsidy"]["kind"] == "added"


def test_a_table_raised_by_its_step_is_said_as_the_step() -> None:
    # 正职 7–18, 副职 4–15, 专职委员 1–12 (tests/helpers POSTS); each row 2000 + 100 a grade,
    # then 2000 + 120 a grade: the step moved, the first amount did not.
    def table(step: int) -> str:
        rows = ", ".join(f"{g} = {2000 + step * (g - 1)}" for g in range(1, 19))
        return (
            GIVEN_GRADE
            + f'[[components]]\ncode="b"\nlabel="岗位等级工资"\nkind="by_grade"\ntable."*" = {{ {rows} }}\n'
        )

    changes = [str(change) for change in diff_schemes(scheme(table(100)), scheme(table(120)))]
    summary = changes[0]
    # 正职's band starts at grade 7: 2000 + 6 × 100 = 2600 → 2000 + 6 × 120 = 2720.
    assert "正职: 级差 100 → 120, 第7级 2600 → 2720" in summary
    assert "副职: 级差 100 → 120, 第4级 2300 → 2360" in summary
    assert "专职委员: 级差 100 → 120, 第1级 2000 不变" in summary
    assert "正职 第18级 岗位等级工资 3700 → 4040" in changes  # 2000 + 17 × 100 / × 120
