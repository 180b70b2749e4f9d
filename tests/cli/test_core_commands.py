"""The CLI contract: output formats, exit codes 0 / 1 / 2, and every problem listed."""

import json
from pathlib import Path

import pytest

from paycalc.cli import EXIT_INVALID, EXIT_OK, EXIT_USAGE, main
from paycalc.slip import Payslip, display_width
from tests.conftest import EXAMPLES, SCHEMES

CHIEF = str(EXAMPLES / "workers" / "demo.community-worker" / "chief.json")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exit_:  # argparse usage errors
        code = int(exit_.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_slip_json_is_exactly_the_contract(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "slip", CHIEF, "--month", "2024-03", "--format", "json")
    assert code == EXIT_OK
    data = json.loads(out)
    assert list(data) == [
        "contract",
        "worker_id",
        "month",
        "scheme",
        "lines",
        "gross",
        "deductions",
        "net",
        "employer_cost",
        "warnings",
    ]
    assert data["contract"] == "paycalc.slip/1"
    assert list(data["scheme"]) == ["id", "version", "status", "sha256"]
    assert list(data["lines"][0]) == ["code", "label", "category", "amount", "basis"]
    assert data["gross"] == "5667.00"  # hand-checked in tests/test_engine.py
    assert Payslip.from_dict(data).gross == 5667


def test_slip_text_aligns_chinese_columns(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "slip", CHIEF, "--month", "2024-03")
    assert code == EXIT_OK
    rows = [line for line in out.splitlines() if "  应发  " in line]
    # The amount column ends at the same display column on every row, whatever the label.
    ends = {display_width(row[: row.index(".") + 3]) for row in rows}
    assert len(rows) == 8 and len(ends) == 1


def test_as_of_selects_what_was_known_then(capsys: pytest.CaptureFixture[str]) -> None:
    _, now, _ = run(capsys, "slip", CHIEF, "--month", "2024-07", "--format", "json")
    _, then, _ = run(
        capsys, "slip", CHIEF, "--month", "2024-07", "--as-of", "2024-06-01", "--format", "json"
    )
    assert json.loads(now)["scheme"]["version"] == "2024-07"
    assert json.loads(then)["scheme"]["version"] == "2023-01"


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "slip", CHIEF, "--month", "2024-13")[0] == EXIT_USAGE
    assert run(capsys, "slip", CHIEF)[0] == EXIT_USAGE
    assert run(capsys, "nonsense")[0] == EXIT_USAGE


def test_invalid_worker_exits_1_naming_the_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    data = json.loads(Path(CHIEF).read_text(encoding="utf-8"))
    data["post"] = "主任"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    code, out, err = run(capsys, "slip", str(path), "--month", "2024-03")
    assert code == EXIT_INVALID and out == ""
    assert err.startswith(f"{path}: post: unknown post '主任'")


def test_schemes_lists_families_versions_and_status(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "schemes")
    assert code == EXIT_OK
    assert "demo.community-worker" in out and "2024-07" in out and "illustrative" in out
    code, out, _ = run(capsys, "schemes", "--format", "json")
    assert {"id": "demo.community-worker", "version": "2023-01"}.items() <= json.loads(out)[
        0
    ].items()


def test_validate_lists_every_problem_and_exits_1(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    good = (SCHEMES / "demo" / "community-worker" / "2023-01.toml").read_text(encoding="utf-8")
    (tmp_path / "a.toml").write_text(
        good.replace("step = 60", "step = -60").replace('label = "正职"', 'lable = "正职"'),
        encoding="utf-8",
    )
    (tmp_path / "b.toml").write_text("not = [toml", encoding="utf-8")
    worker = json.loads(Path(CHIEF).read_text(encoding="utf-8"))
    worker["education"] = "小学"
    (tmp_path / "w.json").write_text(json.dumps(worker, ensure_ascii=False), encoding="utf-8")
    code, out, _ = run(capsys, "validate", str(tmp_path))
    assert code == EXIT_INVALID
    assert f"{tmp_path / 'a.toml'}: components[2 grade_pay].step: must not be negative" in out
    assert f"{tmp_path / 'a.toml'}: posts.chief.lable: unknown key" in out
    assert f"{tmp_path / 'a.toml'}: posts.chief.label: required key is missing" in out
    assert f"{tmp_path / 'b.toml'}: line 1: not valid TOML" in out
    assert f"{tmp_path / 'w.json'}: education: expected one of" in out


def test_validate_finds_overlapping_versions(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    good = (SCHEMES / "demo" / "community-worker" / "2023-01.toml").read_text(encoding="utf-8")
    (tmp_path / "v1.toml").write_text(good, encoding="utf-8")
    (tmp_path / "v2.toml").write_text(
        good.replace('version = "2023-01"', 'version = "2023-01b"'), encoding="utf-8"
    )
    code, out, _ = run(capsys, "validate", str(tmp_path))
    assert code == EXIT_INVALID
    assert (
        "scheme.effective_from: demo.community-worker: takes effect on 2023-01-01, the same day"
        in out
    )


def test_validate_passes_the_bundled_schemes_and_examples(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "validate", str(SCHEMES), CHIEF)
    assert code == EXIT_OK, out
