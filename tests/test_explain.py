import pytest

import paycalc
from paycalc.cli import main
from paycalc.explanation import explain
from tests.conftest import EXAMPLES

CHIEF = EXAMPLES / "workers" / "demo.community-worker" / "chief.json"


def test_explain_shows_points_by_factor_grade_and_every_line() -> None:
    text = explain(paycalc.load_worker(CHIEF), "2024-07").render()
    # Points, by hand (see tests/test_engine.py): 年限 12, 考核 4, 学历 2, 社工证 2, 表彰 2 = 22.
    for step in (
        "积分·年限 12",
        "积分·年度考核 4",
        "积分·学历 2",
        "积分·专业职称 2",
        "积分·表彰奖励 2",
        "积分合计 22 → 第4级, 限于本岗位 7–9 级 → 第7级",
        "3,400 × 1.30 × 80%",
        "应发 3986.00 − 扣除 0.00 = 实发 3986.00",
    ):
        assert step in text, step


def test_explain_cli(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", str(CHIEF), "--month", "2024-03"]) == 0
    out = capsys.readouterr().out
    assert "计龄 14年 = 服务 11年 + 学历(本科) 3年" in out
    assert "社工证(中级) 加 2 级" in out
