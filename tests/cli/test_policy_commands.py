"""paycalc impact / arrears / diff on the walk-through of docs/policy-changes.md.

Hand computations use schemes/jiaocheng/community-worker/2022-draft.toml (岗位等级工资
3600/3200/2800/2400, 岗位年限津贴 40 a passed year up to 30, 专业职称补贴 200/300/500) and the
proposal examples/policy/jiaocheng-2025-07.toml (3600/3300/3000/2500, 50 up to 20 years,
200/350/600).
"""

import json
from pathlib import Path

import pytest

from paycalc.cli import EXIT_INVALID, EXIT_OK, main
from tests.conftest import EXAMPLES, ROOT

PROPOSAL = str(EXAMPLES / "policy" / "jiaocheng-2025-07.toml")
ROSTER = str(EXAMPLES / "rosters" / "jiaocheng.jsonl")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    return code, capsys.readouterr().out


def test_impact_reports_gainers_losers_and_cost(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out_file = tmp_path / "impact.csv"
    code, out = run(
        capsys,
        "impact",
        "jiaocheng.community-worker@2022-draft",
        PROPOSAL,
        "--roster",
        ROSTER,
        "--month",
        "2025-07",
        "--format",
        "json",
        "--out",
        str(out_file),
    )
    assert code == EXIT_OK
    report = json.loads(out)
    deltas = {row["worker_id"]: row["delta"] for row in report["workers"]}
    # JC-101, 社区主干 hired 1998, 27 passed years: seniority 27 × 40 = 1080 → 20 × 50 = 1000,
    # 中级 certificate 300 → 350: −80 + 50 = −30.
    assert deltas["JC-101"] == "-30.00"
    # JC-103, 专职成员 hired 2019-03-11, passed 2019, 2020, 2022, 2023, 2024 (2021 不称职):
    # base 2800 → 3000, seniority 5 × 40 = 200 → 5 × 50 = 250: +250.
    assert deltas["JC-103"] == "250.00"
    summary = report["summary"]
    assert (summary["gain"], summary["lose"], summary["unchanged"]) == (5, 1, 0)
    assert summary["largest_loss"] == {"worker_id": "JC-101", "delta": "-30.00"}
    assert summary["rows_in"] == 6 and summary["failed_rows"] == 0
    assert (
        out_file.read_text(encoding="utf-8-sig")
        .splitlines()[0]
        .startswith("worker_id,name,old_gross")
    )


def test_impact_with_out_prints_the_summary_not_every_worker(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out_file = tmp_path / "impact.csv"
    argv = ["impact", "jiaocheng.community-worker@2022-draft", PROPOSAL, "--roster", ROSTER]
    code, out = run(capsys, *argv, "--month", "2025-07", "--out", str(out_file))
    assert code == EXIT_OK
    assert f"  per worker: {out_file}" in out
    assert "JC-102" not in out and "JC-103" not in out  # no worker lines on screen ...
    assert "largest loss: JC-101 -30.00" in out  # ... but the summary (hand-checked above)
    assert len(out_file.read_text(encoding="utf-8-sig").splitlines()) == 1 + 6
    _, on_screen = run(capsys, *argv, "--month", "2025-07")
    assert "JC-102 陈丽: 3920.00 → 4150.00" in on_screen  # without --out: every worker


def test_fail_on_loss_makes_impact_a_ci_gate(capsys: pytest.CaptureFixture[str]) -> None:
    args = [
        "impact",
        "jiaocheng.community-worker@2022-draft",
        PROPOSAL,
        "--roster",
        ROSTER,
        "--month",
        "2025-07",
    ]
    assert run(capsys, *args)[0] == EXIT_OK
    assert run(capsys, *args, "--fail-on-loss")[0] == EXIT_INVALID
    # Undoing the change: everyone but JC-101 loses, so the gate fails too.
    reverse = [
        "impact",
        PROPOSAL,
        "jiaocheng.community-worker@2022-draft",
        "--roster",
        ROSTER,
        "--month",
        "2025-07",
    ]
    assert run(capsys, *reverse, "--fail-on-loss")[0] == EXIT_INVALID


def test_arrears_for_a_retroactive_revision(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(
        capsys,
        "arrears",
        ROSTER,
        "--schemes",
        str(ROOT / "schemes"),
        "--schemes",
        str(EXAMPLES / "policy"),
        "--include-drafts",
        "--from",
        "2025-07",
        "--to",
        "2025-09",
        "--paid-as-of",
        "2025-09-01",
        "--due-as-of",
        "2025-09-15",
        "--format",
        "json",
    )
    assert code == EXIT_OK
    report = json.loads(out)
    # JC-101: three months of (−80 seniority + 50 certificate) = −90, to recover.
    assert report["workers"]["JC-101"] == "-90.00"
    # JC-103: three months of +250 = 750.
    assert report["workers"]["JC-103"] == "750.00"
    assert {line["due_version"] for line in report["lines"]} == {"2025-07-proposal"}
    assert {line["paid_version"] for line in report["lines"]} == {"2022-draft"}


def test_nothing_is_owed_when_both_dates_know_the_same_versions(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out = run(
        capsys,
        "arrears",
        ROSTER,
        "--schemes",
        str(ROOT / "schemes"),
        "--schemes",
        str(EXAMPLES / "policy"),
        "--include-drafts",
        "--from",
        "2025-07",
        "--to",
        "2025-09",
        "--paid-as-of",
        "2025-09-15",
        "--due-as-of",
        "2025-12-31",
        "--format",
        "json",
    )
    assert code == EXIT_OK
    assert set(json.loads(out)["workers"].values()) == {"0.00"}
