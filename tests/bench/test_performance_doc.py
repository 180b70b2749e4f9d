"""docs/performance.md: every benchmark command it shows is one the benchmarks accept.

The commands themselves take minutes (1M and 4.5M workers), so they are not run here;
each is parsed by the benchmark's own argument parser (a wrong option fails), the extra
it installs must exist, and one small comparison runs for real in
test_openfisca_parity.py::test_compare_runs_end_to_end.
"""

from __future__ import annotations

import importlib
import re
import shlex
import tomllib
from pathlib import Path

import pytest

from tests.conftest import ROOT

DOC = ROOT / "docs" / "performance.md"
README = ROOT / "README.md"


def _console_lines(page: Path = DOC) -> list[str]:
    text = page.read_text(encoding="utf-8")
    if page == README:  # its Performance section only
        text = text.split("\n## Performance", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```console\n(.*?)```", text, flags=re.S)
    lines = []
    for block in blocks:
        for line in block.splitlines():
            line = line.removeprefix("$ ").strip()
            if line and not line.startswith("#"):
                lines.append(line)
    return lines


def test_the_doc_shows_the_benchmark_commands() -> None:
    modules = {shlex.split(line)[2] for line in _console_lines() if line.startswith("python -m ")}
    assert {
        "benchmarks.openfisca_jiaocheng.compare",
        "benchmarks.openfisca_jiaocheng.measure",
        "benchmarks.openfisca_jiaocheng.roster",
        "benchmarks.micro",
        "benchmarks.pool",
    } <= modules


@pytest.mark.parametrize(
    "line",
    [
        line
        for page in (DOC, README)
        for line in _console_lines(page)
        if line.startswith("python -m benchmarks.")
    ],
)
def test_each_benchmark_command_parses(line: str) -> None:
    pytest.importorskip("numpy")
    words = shlex.split(line.split(" > ")[0])
    module = importlib.import_module(words[2])
    module.parser().parse_args(words[3:])  # exits (SystemExit) on an unknown option


def test_the_extras_it_installs_exist() -> None:
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "optional-dependencies"
    ]
    installs = [
        line
        for page in (DOC, README)
        for line in _console_lines(page)
        if line.startswith("pip install")
    ]
    assert installs
    for line in installs:
        for wanted in re.findall(r"\.\[([a-z,]+)\]", line):
            assert set(wanted.split(",")) <= set(extras), line
