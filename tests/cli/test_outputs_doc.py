"""docs/outputs.md: its Python example runs, and its console transcript is what paycalc says."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, ROOT

DOC = (ROOT / "docs" / "outputs.md").read_text(encoding="utf-8")


def blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", DOC, flags=re.DOTALL)


def test_the_python_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (code,) = blocks("python")
    exec(compile(code, "docs/outputs.md", "exec"), {})  # our own documentation
    assert Path("note.txt").read_text(encoding="utf-8") == "whole or not at all\n"


def test_the_console_transcript_is_what_paycalc_prints(tmp_path: Path) -> None:
    shutil.copy(EXAMPLES / "rosters" / "demo.csv", tmp_path / "roster.csv")
    (transcript,) = blocks("console")
    commands = transcript.split("$ ")[1:]
    for command, expected_code in zip(commands[0::2], commands[1::2], strict=True):
        line, *expected = command.rstrip("\n").split("\n")
        args = line.split()[1:]
        result = subprocess.run(
            [sys.executable, "-m", "paycalc", *args],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=False,
        )
        # folders are shown as given on the command line
        said = result.stderr.replace(f"{tmp_path}/", "").splitlines()
        assert said == expected
        assert str(result.returncode) == expected_code.split("\n")[1]
