"""docs/contracts.md: its commands run and print what it shows; its slip example follows the
slip contract; every contract the CLI knows is in its table."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from paycalc.contracts import CONTRACTS
from tests.conftest import ROOT
from tests.contracts.helpers import errors
from tests.docs.shell_examples import ShellExample, shell_examples

DOC = ROOT / "docs" / "contracts.md"
TEXT = DOC.read_text(encoding="utf-8")


@pytest.mark.skipif(shutil.which("jq") is None, reason="needs jq")
@pytest.mark.parametrize("example", shell_examples(DOC), ids=str)
def test_commands(example: ShellExample, tmp_path: Path) -> None:
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    run = subprocess.run(
        ["bash", "-c", example.command],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, "PATH": path},
        check=False,
    )
    assert run.returncode == 0, run.stderr
    if example.output is not None:
        assert run.stdout == example.output
    assert not (tmp_path / "worker.schema.json").exists() or json.loads(
        (tmp_path / "worker.schema.json").read_text(encoding="utf-8")
    )["title"].startswith("paycalc.worker/1")


def test_the_slip_example_follows_the_contract() -> None:
    block = re.search(r"```json\n(.*?)```", TEXT, re.DOTALL)
    assert block is not None
    assert errors("slip", json.loads(block.group(1))) == []


def test_every_contract_is_in_the_table() -> None:
    for name, (contract, _what) in CONTRACTS.items():
        assert f"| `{name}` | `{contract}` |" in TEXT
