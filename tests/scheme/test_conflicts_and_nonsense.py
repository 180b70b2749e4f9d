"""Scheme files: anything given twice, impossible or absurd is refused with its key path."""

from __future__ import annotations

from pathlib import Path

import pytest

from paycalc.cli import main
from paycalc.errors import SchemeError
from paycalc.scheme import SchemeRegistry
from tests.helpers import GIVEN_GRADE, HEADER, POSTS, scheme, scheme_problems

GRADE_TABLE = (
    GIVEN_GRADE
    + """
[[components]]
code = "grade_pay"
label = "等级工资"
kind = "by_grade"
table."*" = { 1 = 50, 2 = 110, 3 = 170, 4 = 230, 5 = 290, 6 = 350, 7 = 410, 8 = 470, 9 = 530, 10 = 590, 11 = 650, 12 = 710, 13 = 770, 14 = 830, 15 = 890, 16 = 950, 17 = 1010, 18 = 1070 }
"""
)


def _located(text: str, header: str = HEADER) -> dict[str, str]:
    return {p.location: p.message for p in scheme_problems(header + POSTS + text)}


def test_two_spellings_of_one_grade_are_refused_not_last_one_wins() -> None:
    # TOML refuses `13` twice but accepts `13` and `"013"`; both mean grade 13.
    text = GRADE_TABLE.replace("13 = 770,", '13 = 770, "013" = 7700,')
    problems = _located(text)
    assert problems == {
        'components[1 grade_pay].table.*.013': "'013' and '13' are the same key (13); keep one"
    }


def test_a_service_window_that_can_never_hold_is_refused() -> None:
    text = (
        GIVEN_GRADE
        + """
[[components]]
code = "long_service"
label = "长期服务津贴"
kind = "by_post"
amounts = { chief = 100, deputy = 100, member = 100 }
when = { min_service_years = 10, max_service_years = 5 }
"""
    )
    assert _located(text) == {
        "components[1 long_service].when.min_service_years": "min_service_years 10 is above "
        "max_service_years 5: the component would never pay"
    }


@pytest.mark.parametrize(
    ("key", "value"),
    [("effective_from", "1012-01-01"), ("published_on", "2999-06-01")],
)
def test_dates_centuries_off_are_refused(key: str, value: str) -> None:
    header = HEADER.replace(f"{key} = ", f"{key} = {value}\n#", 1)
    problems = _located(GIVEN_GRADE + _BY_POST, header)
    assert "outside the dates paycalc accepts" in problems[f"scheme.{key}"]


_BY_POST = """
[[components]]
code = "post_pay"
label = "岗位工资"
kind = "by_post"
amounts = { chief = 2800, deputy = 2500, member = 2300 }
"""


def test_an_end_date_overlapping_the_next_version_is_refused() -> None:
    first = scheme(
        GIVEN_GRADE + _BY_POST,
        header=HEADER.replace("published_on", "effective_until = 2021-06-30\npublished_on"),
    )
    second = scheme(
        GIVEN_GRADE + _BY_POST,
        header=HEADER.replace('version = "v1"', 'version = "v2"').replace(
            "effective_from = 2020-01-01", "effective_from = 2021-01-01"
        ),
    )
    with pytest.raises(SchemeError, match="runs until 2021-06-30, on or after 2021-01-01"):
        SchemeRegistry([first, second])


def test_validate_refuses_a_misspelt_contribution_table(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (
        HEADER.replace("published_on", 'contribution_table = "yunan.kunming"\npublished_on')
        + POSTS
        + GIVEN_GRADE
        + _BY_POST
    )
    path = tmp_path / "scheme.toml"
    path.write_text(text, encoding="utf-8")
    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr().out
    assert f"{path}: scheme.contribution_table: no contribution table 'yunan.kunming'" in out
    assert "yunnan.kunming" in out  # the known ids are listed, so the typo is plain
