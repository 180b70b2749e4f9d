"""The error-to-exit-code policy, the last-resort handler and ``--contributions``."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import paycalc.cli.core
from paycalc.cli import EXIT_INTERNAL, EXIT_INVALID, EXIT_OK, EXIT_USAGE, main
from paycalc.contributions import BUNDLED_TABLES_DIR
from paycalc.scheme.loader import iter_scheme_files
from tests.conftest import EXAMPLES, SCHEMES

CHIEF = EXAMPLES / "workers" / "demo.community-worker" / "chief.json"
ZHENGZHI = EXAMPLES / "workers" / "kunming.community-worker" / "zhengzhi.json"
ZHENGZHI_SLIP = EXAMPLES / "slips" / "kunming.community-worker" / "zhengzhi.2024-06.json"


def _explode(*args: object, **kwargs: object) -> None:
    raise RuntimeError("a bug")


def test_a_bug_is_one_line_and_a_distinct_exit_code(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(paycalc.cli.core, "payslip", _explode)
    monkeypatch.delenv("PAYCALC_DEBUG", raising=False)
    assert main(["slip", str(CHIEF), "--month", "2024-03"]) == EXIT_INTERNAL == 70
    err = capsys.readouterr().err
    assert err.splitlines() == [
        "paycalc: internal error — please report: RuntimeError: a bug",
        "paycalc: (set PAYCALC_DEBUG=1 to print the traceback)",
    ]


def test_paycalc_debug_prints_the_traceback(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(paycalc.cli.core, "payslip", _explode)
    monkeypatch.setenv("PAYCALC_DEBUG", "1")
    assert main(["slip", str(CHIEF), "--month", "2024-03"]) == EXIT_INTERNAL
    err = capsys.readouterr().err
    assert "Traceback (most recent call last)" in err and "_explode" in err


def test_a_bug_while_writing_says_what_was_not_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(paycalc.cli.runs, "write_errors", _explode)
    out = tmp_path / "s.csv"
    code = main(["run", str(EXAMPLES / "rosters" / "demo.csv"), "--month", "2024-03",
                 "--out", str(out)])  # fmt: skip
    assert code == EXIT_INTERNAL
    assert list(tmp_path.iterdir()) == []  # the slips were written to a temporary: gone
    assert f"not written: {out}, {tmp_path / 's.errors.csv'}" in capsys.readouterr().err


def test_argparse_errors_return_2_and_help_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["slip"]) == EXIT_USAGE
    assert main(["--help"]) == EXIT_OK
    assert "70 internal error" in capsys.readouterr().out


def test_a_closed_pipe_is_not_an_error() -> None:
    # `paycalc schemes | head -1`: paycalc must end quietly when head stops reading
    result = subprocess.run(
        f"{sys.executable} -m paycalc year {CHIEF} --year 2024 | head -1",
        shell=True,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.startswith("工资单 Pay slip")
    assert "Traceback" not in result.stderr and "BrokenPipe" not in result.stderr


def test_contributions_from_a_folder_give_the_same_slip_as_the_bundled_tables(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tables = tmp_path / "tables"
    shutil.copytree(BUNDLED_TABLES_DIR, tables)
    argv = ["slip", str(ZHENGZHI), "--month", "2024-06", "--format", "json"]
    assert main([*argv, "--contributions", str(tables)]) == EXIT_OK
    slip = json.loads(capsys.readouterr().out)
    # the golden slip, checked by hand when it was made (examples/slips/)
    golden = json.loads(ZHENGZHI_SLIP.read_text(encoding="utf-8"))
    assert slip["net"] == golden["net"] and slip["deductions"] == golden["deductions"]


def test_contributions_reach_run_and_arrears(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    national = tmp_path / "national"
    shutil.copytree(BUNDLED_TABLES_DIR / "national.default", national / "national.default")
    roster = tmp_path / "r.jsonl"
    roster.write_text(
        json.dumps({**json.loads(ZHENGZHI.read_text(encoding="utf-8"))}, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "s.csv"
    code = main(["run", str(roster), "--month", "2024-06", "--out", str(out), "--quiet",
                 "--contributions", str(national)])  # fmt: skip
    # the Kunming scheme names yunnan.kunming, which the folder does not hold: that row fails
    assert code == EXIT_INVALID
    assert "no contribution table 'yunnan.kunming'" in (tmp_path / "s.errors.csv").read_text(
        encoding="utf-8-sig"
    )
    code = main(["arrears", str(roster), "--from", "2024-06", "--to", "2024-06",
                 "--paid-as-of", "2024-06-30", "--due-as-of", "2024-06-30",
                 "--contributions", str(national)])  # fmt: skip
    assert code == EXIT_INVALID
    assert "no contribution table 'yunnan.kunming'" in capsys.readouterr().err


def test_scheme_folders_are_walked_through_symbolic_links(tmp_path: Path) -> None:
    (tmp_path / "demo").symlink_to(SCHEMES / "demo", target_is_directory=True)
    (tmp_path / "again").symlink_to(tmp_path, target_is_directory=True)  # a cycle
    found = [path.relative_to(tmp_path) for path in iter_scheme_files([tmp_path])]
    assert found == [
        Path("demo/community-worker/2023-01.toml"),
        Path("demo/community-worker/2024-07.toml"),
    ]


def test_validate_checks_a_table_as_contributions_would_load_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    misplaced = tmp_path / "wrong-folder"
    misplaced.mkdir()
    shutil.copy(BUNDLED_TABLES_DIR / "national.default" / "2024.toml", misplaced / "2024.toml")
    assert main(["validate", str(tmp_path)]) == EXIT_INVALID
    out = capsys.readouterr().out
    assert "'national.default' does not match its directory 'wrong-folder'" in out
