"""Every code example of docs/payroll-close.md runs: console blocks through the CLI (the
printed lines must match), Python blocks as written."""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest

from paycalc.cli import main
from tests.conftest import EXAMPLES, ROOT

DOC = ROOT / "docs" / "payroll-close.md"
BLOCK = re.compile(r"```(console|python)\n(.*?)```", re.S)


def test_doc_examples_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                          capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    shutil.copytree(EXAMPLES / "rosters", tmp_path / "examples" / "rosters")
    (tmp_path / "out").mkdir()
    monkeypatch.chdir(tmp_path)
    blocks = BLOCK.findall(DOC.read_text(encoding="utf-8"))
    assert [kind for kind, _ in blocks].count("console") == 3
    assert [kind for kind, _ in blocks].count("python") == 2
    for kind, body in blocks:
        if kind == "python":
            exec(compile(body, str(DOC), "exec"), {})  # the doc's own code, as written
            continue
        command, *expected = body.strip().splitlines()
        args = shlex.split(command.removeprefix("$ "))
        assert args[0] == "paycalc"
        capsys.readouterr()
        main(args[1:])
        assert capsys.readouterr().out.splitlines() == expected
