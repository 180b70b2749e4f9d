"""Bad scheme files: every problem is found, located by key path, and reported together."""

from decimal import Decimal
from pathlib import Path

import pytest

from paycalc.errors import SchemeError
from paycalc.scheme import check_scheme_file, load_scheme_file, parse_scheme
from tests.conftest import SCHEMES
from tests.helpers import GIVEN_GRADE, HEADER, POSTS, scheme, scheme_problems

BY_POST = """
[[components]]
code = "post_pay"
label = "岗位工资"
kind = "by_post"
amounts = { chief = 2800, deputy = 2500, member = 2300 }
"""


def _located(text: str) -> dict[str, str]:
    return {problem.location: problem.message for problem in scheme_problems(text)}


def test_a_valid_scheme_loads_and_hashes_its_bytes() -> None:
    version = scheme(BY_POST)
    assert (version.family, version.version, version.status) == ("test.scheme", "v1", "official")
    assert len(version.sha256) == 64
    assert version.post_code("正职") == "chief"


def test_unknown_keys_anywhere_are_typos() -> None:
    text = (
        HEADER.replace('status = "official"', 'status = "official"\nrounding_mode = "x"')
        + POSTS.replace('label = "正职"', 'label = "正职"\nlable = "x"')
        + BY_POST.replace('kind = "by_post"', 'kind = "by_post"\namount = 1')
    )
    problems = _located(text)
    assert "unknown key" in problems["scheme.rounding_mode"]
    assert "unknown key" in problems["posts.chief.lable"]
    assert "unknown key" in problems["components[1 post_pay].amount"]


def test_negative_amounts_are_refused() -> None:
    problems = _located(HEADER + POSTS + BY_POST.replace("deputy = 2500", "deputy = -2500"))
    assert "must not be negative" in problems["components[1 post_pay].amounts.deputy"]


def test_floats_are_refused_where_money_is_expected() -> None:
    # TOML is parsed with parse_float=Decimal, so floats can only come from Python callers.
    data = {
        "scheme": {
            "id": "a.b",
            "version": "1",
            "title": "t",
            "effective_from": "2020-01-01",
            "published_on": "2020-01-01",
            "status": "official",
            "source": {"title": "t"},
        },
        "posts": {"chief": {"label": "正职"}},
        "components": [
            {"code": "x", "label": "x", "kind": "by_post", "amounts": {"chief": 2800.5}}
        ],
    }
    version, problems = parse_scheme(data, "api")
    assert version is None
    assert "floats are not accepted" in problems[0].message
    assert problems[0].location == "components[1 x].amounts.chief"


def test_unknown_post_in_amounts_and_missing_post() -> None:
    problems = scheme_problems(HEADER + POSTS + BY_POST.replace("member = 2300", "membr = 2300"))
    messages = [str(problem) for problem in problems]
    assert any("components[1 post_pay].amounts.membr: unknown post 'membr'" in m for m in messages)
    assert any("no amount for post member" in m for m in messages)


def test_a_grade_table_missing_a_grade_is_named() -> None:
    text = (
        HEADER
        + POSTS
        + GIVEN_GRADE
        + """
[[components]]
code = "grade_pay"
label = "等级工资"
kind = "by_grade"
table."*" = { 1 = 50, 2 = 110, 3 = 170, 4 = 230, 5 = 290, 6 = 350, 7 = 410, 8 = 470, 9 = 530, 10 = 590, 11 = 650, 12 = 710, 13 = 770, 14 = 830, 15 = 890, 16 = 950, 17 = 1010 }
"""
    )
    problems = [str(problem) for problem in scheme_problems(text)]
    assert problems == [
        "test.toml: components[1 grade_pay].table: post 'chief' has no amount for grade 18"
    ]


def test_grade_components_need_a_grade_rule() -> None:
    text = (
        HEADER + POSTS + "[[components]]\ncode='g'\nlabel='g'\nkind='by_grade'\nstart=50\nstep=60\n"
    )
    assert "grade" in _located(text)


def test_unknown_level_and_appraisal_codes_in_a_scheme() -> None:
    text = (
        HEADER
        + POSTS
        + """
[[components]]
code = "cert"
label = "社工证补贴"
kind = "highest_level"
qualification = "social_work"
amounts = { junior = 100, middle = 150 }

[[components]]
code = "year_end"
label = "年终绩效"
kind = "yearly"
month = 1
amount = 1000
factors = { excellent = 1.2, competent = 1, basic = 0.5, failed = 0 }
"""
    )
    # Shape errors (the appraisal code) are reported first; cross-checks (the level key,
    # checked against the component's kind) run once the shape is right.
    problems = _located(text)
    assert list(problems) == ["components[2 year_end].factors.failed"]
    assert (
        "expected one of" in problems["components[2 year_end].factors.failed"]
        or "excellent" in problems["components[2 year_end].factors.failed"]
    )
    fixed = _located(text.replace("failed = 0", "incompetent = 0"))
    assert "unknown level 'middle'" in fixed["components[1 cert].amounts.middle"]


def test_references_must_point_at_earlier_components() -> None:
    text = (
        HEADER
        + POSTS
        + """
[[components]]
code = "performance"
label = "绩效"
kind = "share_of"
of = ["post_pay"]
share = 0.2
"""
        + BY_POST
    )
    problems = _located(text)
    assert "'post_pay' is not a component defined above" in problems["components[1 performance].of"]


def test_an_official_file_cannot_hold_illustrative_figures() -> None:
    text = HEADER + POSTS + BY_POST + 'status = "illustrative"\n'
    assert (
        "official scheme cannot hold illustrative"
        in _located(text)["components[1 post_pay].status"]
    )


def test_every_problem_is_reported_not_just_the_first() -> None:
    text = (
        HEADER
        + POSTS
        + BY_POST.replace("deputy = 2500", "deputy = -1").replace(
            'label = "岗位工资"', 'label = "岗位工资"\ncolour = "red"'
        )
    )
    assert len(scheme_problems(text)) == 2


def test_bad_toml_names_the_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.toml"
    path.write_text("[scheme\nid = 1\n", encoding="utf-8")
    version, problems = check_scheme_file(path)
    assert version is None
    assert str(problems[0]).startswith(f"{path}: line 1: not valid TOML")
    assert problems[0].location == "line 1"
    with pytest.raises(SchemeError):
        load_scheme_file(path)


def test_bundled_demo_scheme_is_valid() -> None:
    version = load_scheme_file(SCHEMES / "demo" / "community-worker" / "2023-01.toml")
    assert version.status == "illustrative"
    assert version.spec.caps[0].limit == Decimal(7000)
