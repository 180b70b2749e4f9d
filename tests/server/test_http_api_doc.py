"""docs/http-api.md and examples/http/client.sh, run for real against a live service.

Every ``sh`` block of the doc that calls the service runs in bash with the repository as
working folder, the service's address put for ``http://127.0.0.1:8000``; its output must be
exactly the ``text`` block under it.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, ROOT
from tests.docs.shell_examples import ShellExample, shell_examples
from tests.server.conftest import Service
from tests.server.test_service import _cli_register

DOC = ROOT / "docs" / "http-api.md"
DOCUMENTED = "http://127.0.0.1:8000"
CALLS = [example for example in shell_examples(DOC) if DOCUMENTED in example.command]

pytestmark = pytest.mark.skipif(
    shutil.which("curl") is None or shutil.which("jq") is None, reason="needs curl and jq"
)


def bash(command: str, service: Service, *args: str) -> subprocess.CompletedProcess[str]:
    # The venv's paycalc first on PATH, as for a user who installed it.
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    return subprocess.run(
        ["bash", "-c", command.replace(DOCUMENTED, service.url), "example", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, "PATH": path},
        check=False,
        timeout=120,
    )


def test_the_doc_has_its_examples() -> None:
    assert len(CALLS) >= 9 and all(example.output is not None for example in CALLS)


@pytest.mark.parametrize("example", CALLS, ids=str)
def test_documented_request(service: Service, example: ShellExample) -> None:
    run = bash(example.command, service)
    assert run.returncode == 0, run.stderr
    assert run.stdout == example.output


CLIENT = EXAMPLES / "http" / "client.sh"


def test_the_shell_client_writes_the_register_paycalc_run_writes(
    service: Service, tmp_path: Path
) -> None:
    roster = EXAMPLES / "rosters" / "demo.xlsx"
    run = bash(f'"{CLIENT}" "$1" 2024-03 {DOCUMENTED}', service, str(roster))
    assert run.returncode == 0, run.stderr
    assert list(csv.DictReader(io.StringIO(run.stdout))) == _cli_register(
        tmp_path, roster, "2024-03"
    )
    assert run.stderr.strip() == "5 rows in = 5 slips + 0 not employed + 0 errors"


def test_the_shell_client_writes_text_a_spreadsheet_would_run_as_paycalc_run_does(
    service: Service, tmp_path: Path
) -> None:
    # Names a spreadsheet would run as formulas get a ' in front, in both CSV files.
    text = (EXAMPLES / "rosters" / "demo.csv").read_text(encoding="utf-8")
    roster = tmp_path / "formulas.csv"
    roster.write_text(
        text.replace("张三", '"=HYPERLINK(""http://x"")"').replace("李四", "-李四"),
        encoding="utf-8",
    )
    run = bash(f'"{CLIENT}" "$1" 2024-03 {DOCUMENTED}', service, str(roster))
    assert run.returncode == 0, run.stderr
    written = list(csv.DictReader(io.StringIO(run.stdout)))
    assert written == _cli_register(tmp_path, roster, "2024-03")
    assert [row["姓名"] for row in written[:2]] == ['\'=HYPERLINK("http://x")', "'-李四"]


def test_the_shell_client_reports_failed_rows_and_refusals(
    service: Service, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.csv"
    text = (EXAMPLES / "rosters" / "demo.csv").read_text(encoding="utf-8")
    broken.write_text(text.replace("2016/9/1", "2016/13/1"), encoding="utf-8")
    run = bash(f'"{CLIENT}" "$1" 2024-03 {DOCUMENTED}', service, str(broken))
    assert run.returncode == 1
    assert "row 3 (DEMO-0002) 入职日期:" in run.stderr
    assert len(run.stdout.splitlines()) == 1 + 4 + 1  # header, the four rows that paid, 合计
    refused = bash(f'"{CLIENT}" "$1" 2024-13 {DOCUMENTED}', service, str(broken))
    assert refused.returncode == 2
    assert "request: month:" in refused.stderr


SET_UP = [example for example in shell_examples(DOC) if DOCUMENTED not in example.command]
FUZZING = shell_examples(DOC, "console")


def _command_lines(examples: list[ShellExample], program: str) -> list[list[str]]:
    import shlex

    return [
        shlex.split(line.split("  #")[0].removesuffix("&"))
        for example in examples
        for line in example.command.splitlines()
        if line.startswith(f"{program} ")
    ]


def test_the_set_up_commands_are_what_paycalc_serve_takes() -> None:
    from paycalc.cli.main import build_parser

    commands = _command_lines(SET_UP + FUZZING, "paycalc")
    assert len(commands) == 3
    for words in commands:
        args = build_parser().parse_args(words[1:])  # exits 2 on an option serve lacks
        assert args.handler.__name__ == "run_serve"


def test_the_fuzzing_command_is_what_schemathesis_takes() -> None:
    [words] = _command_lines(FUZZING, "schemathesis")
    shown = subprocess.run(
        [str(Path(sys.executable).parent / "schemathesis"), words[1], "--help"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for option in (w for w in words if w.startswith("--")):
        assert option in shown, option
