import json
from datetime import date
from pathlib import Path

import pytest

from paycalc.codes import Appraisal, AwardLevel, Education, Level, QualificationKind
from paycalc.errors import WorkerError
from paycalc.worker import load_worker, parse_worker

TODAY = date(2026, 11, 24)

FORMAT_EXAMPLE = {
    "id": "KM-0001",
    "name": "张三",
    "scheme": "kunming.community-worker",
    "post": "chief",
    "grade": None,
    "hired_on": "2012-03-15",
    "left_on": None,
    "in_establishment": False,
    "education": "bachelor",
    "qualifications": [
        {"kind": "social_work", "level": "intermediate", "obtained_on": "2019-06-20"}
    ],
    "appraisals": {"2021": "excellent", "2022": "competent", "2023": "competent"},
    "awards": [{"level": "city", "awarded_on": "2022-05-01", "title": "优秀社区工作者"}],
}


def test_the_design_contract_example_parses() -> None:
    worker = parse_worker(FORMAT_EXAMPLE, today=TODAY)
    assert worker.education is Education.bachelor
    assert worker.appraisals[2021] is Appraisal.excellent
    assert worker.qualifications[0].level is Level.intermediate
    assert worker.awards[0].level is AwardLevel.city


def test_chinese_labels_are_accepted_for_every_code() -> None:
    worker = parse_worker(
        {
            "id": "1",
            "post": "正职",
            "hired_on": "2020-01-01",
            "education": "本科",
            "appraisals": {"2021": "优秀", "2022": "合格", "2023": "基本称职", "2024": "不称职"},
            "qualifications": [
                {"kind": "社工证", "level": "中级", "obtained_on": "2021-01-01"},
                {"kind": "职称", "level": "高级", "obtained_on": "2021-01-01"},
            ],
            "awards": [{"level": "市级", "awarded_on": "2022-01-01"}],
        },
        today=TODAY,
    )
    assert worker.post == "正职"  # checked later against the scheme's posts
    assert list(worker.appraisals.values()) == [
        Appraisal.excellent,
        Appraisal.competent,
        Appraisal.basic,
        Appraisal.incompetent,
    ]
    assert [q.kind for q in worker.qualifications] == [
        QualificationKind.social_work,
        QualificationKind.professional_title,
    ]
    assert worker.qualifications[1].level is Level.senior


def _problems(data: dict[str, object]) -> dict[str, str]:
    with pytest.raises(WorkerError) as caught:
        parse_worker(data, today=TODAY)
    return {problem.location: problem.message for problem in caught.value.problems}


def test_unknown_fields_are_named() -> None:
    problems = _problems({**FORMAT_EXAMPLE, "educaton": "本科"})
    assert "unknown key" in problems["educaton"]


@pytest.mark.parametrize(
    ("field", "value", "location"),
    [
        ("education", "小学", "education"),
        ("appraisals", {"2022": "很好"}, "appraisals.2022"),
        (
            "qualifications",
            [{"kind": "social_work", "level": "特级", "obtained_on": "2020-01-01"}],
            "qualifications[0].level",
        ),
        ("awards", [{"level": "月级", "awarded_on": "2020-01-01"}], "awards[0].level"),
        ("hired_on", "2020-02-30", "hired_on"),
    ],
)
def test_unknown_values_are_errors_naming_the_field(
    field: str, value: object, location: str
) -> None:
    problems = _problems({**FORMAT_EXAMPLE, field: value})
    assert location in problems, problems


def test_an_appraisal_for_a_year_not_yet_ended_is_refused() -> None:
    problems = _problems({**FORMAT_EXAMPLE, "appraisals": {"2026": "优秀"}})
    assert "2026: not ended by 2026-11-24" in problems["appraisals"]


def test_leaving_before_joining_is_refused() -> None:
    problems = _problems({**FORMAT_EXAMPLE, "left_on": "2010-01-01"})
    assert any("before hired_on" in message for message in problems.values())


def test_floats_are_refused_where_money_is_expected() -> None:
    problems = _problems({**FORMAT_EXAMPLE, "contribution_base": 5320.5, "inputs": {"income": 1.5}})
    assert "floats are not accepted" in problems["contribution_base"]
    assert "floats are not accepted" in problems["inputs.income"]


def test_all_problems_are_reported_together() -> None:
    problems = _problems({**FORMAT_EXAMPLE, "education": "小学", "grade": 0, "colour": "red"})
    assert {"education", "grade", "colour"} <= set(problems)


def test_load_worker_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "w.json"
    path.write_text(json.dumps({**FORMAT_EXAMPLE, "post": ""}), encoding="utf-8")
    with pytest.raises(WorkerError) as caught:
        load_worker(path, today=TODAY)
    assert str(caught.value).startswith(f"{path}: post:")
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(WorkerError, match="not valid JSON"):
        load_worker(path)
