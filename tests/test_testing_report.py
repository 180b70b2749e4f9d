"""paycalc.testing: a failing property prints a worker the scheme owner can paste into a test.

A deliberately failing property runs in its own pytest; the worker it reports is read back
as Python (``parse_worker({...}, today=datetime.date(...))``) and fails the same check.
"""

from __future__ import annotations

import datetime
import re
import subprocess
import sys
from pathlib import Path

from paycalc import parse_worker
from tests.conftest import ROOT

PROPERTY = """
from hypothesis import given, settings
from paycalc import Month, load_scheme_file
from paycalc.testing import workers

SCHEME = load_scheme_file({scheme!r})


@settings(database=None, derandomize=True)
@given(workers(SCHEME, month=Month(2024, 3)))
def test_nobody_has_a_grade(worker):
    assert worker.grade is None
"""


def test_the_failing_worker_can_be_pasted(tmp_path: Path) -> None:
    scheme = str(ROOT / "schemes" / "demo" / "community-worker" / "2023-01.toml")
    (tmp_path / "test_property.py").write_text(PROPERTY.format(scheme=scheme), encoding="utf-8")
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:schemathesis",
            "test_property.py",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    assert run.returncode == 1
    report = "\n".join(
        line.removeprefix("E").strip() for line in run.stdout.splitlines() if line.startswith("E ")
    )
    found = re.search(
        r"worker=(parse_worker\(.*?today=datetime\.date\([\d, ]+\),?\s*\))", report, re.S
    )
    assert found is not None, run.stdout
    assert "max(today" not in found.group(1)
    pasted = eval(found.group(1), {"parse_worker": parse_worker, "datetime": datetime})
    assert pasted.grade is not None  # the same worker fails the same property
