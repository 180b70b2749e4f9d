"""Interrupting ``paycalc run`` for real: a subprocess, a signal mid-write, what is left.

Each test starts ``python -m paycalc run`` on a generated roster, waits until it is at the
stage under test (its lock file exists: it is working; its temporary exists: it is
writing), sends the signal, and checks the folder: no output that looks complete, no
temporary, no lock, an earlier complete output unchanged, and the message on stderr.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from paycalc.io.output import TEMP_SUFFIX

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")

HEAD = "工号,姓名,方案,岗位,入职日期,社区星级评定\n"
POSTS = ("正职", "副职", "专职委员")


def write_roster(path: Path, rows: int) -> None:
    """``rows`` valid demo-scheme rows (a few hundred distinct pay profiles)."""
    lines = [
        f"W{i:06d},名{i},demo.community-worker,{POSTS[i % 3]},{2000 + i % 20}-0{1 + i % 9}-15,"
        f"{'ABC'[i % 3]}\n"
        for i in range(rows)
    ]
    path.write_text(HEAD + "".join(lines), encoding="utf-8")


def command(roster: Path, out: Path) -> list[str]:
    run = ["run", str(roster), "--month", "2024-03", "--out", str(out), "--quiet"]
    return [sys.executable, "-m", "paycalc", *run]


def start(roster: Path, out: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        command(roster, out),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )


def wait_for(folder: Path, ending: str, process: subprocess.Popen[str]) -> None:
    """Until a file ``.slips.<...><ending>`` appears in ``folder``."""
    deadline = time.monotonic() + 120
    while not any(
        p.name.startswith(".slips.") and p.name.endswith(ending) for p in folder.iterdir()
    ):
        if process.poll() is not None:
            pytest.fail(f"paycalc ended before the stage under test: {process.communicate()}")
        if time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"no file ending in {ending} appeared")
        time.sleep(0.002)


def names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.fixture(scope="module")
def roster(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("roster") / "big.csv"
    write_roster(path, 30_000)  # XLSX output of this takes seconds to write
    return path


def test_sigterm_mid_write_leaves_nothing_that_looks_complete(
    roster: Path, tmp_path: Path
) -> None:
    out = tmp_path / "slips.xlsx"
    process = start(roster, out)
    wait_for(tmp_path, TEMP_SUFFIX, process)  # writing has begun
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=120)
    assert process.returncode == 143  # 128 + SIGTERM
    assert names(tmp_path) == []  # no slips, no errors file, no temporary, no lock
    assert "paycalc: interrupted by SIGTERM" in err
    assert f"not written: {out}, {tmp_path / 'slips.errors.csv'}" in err
    assert "Traceback" not in err


def test_ctrl_c_mid_write_keeps_the_earlier_complete_output(roster: Path, tmp_path: Path) -> None:
    out = tmp_path / "slips.xlsx"
    earlier, earlier_errors = b"earlier complete slips", b"earlier errors"
    out.write_bytes(earlier)
    (tmp_path / "slips.errors.csv").write_bytes(earlier_errors)
    process = start(roster, out)
    wait_for(tmp_path, TEMP_SUFFIX, process)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=120)
    assert process.returncode == 130  # 128 + SIGINT
    assert out.read_bytes() == earlier
    assert (tmp_path / "slips.errors.csv").read_bytes() == earlier_errors
    assert names(tmp_path) == ["slips.errors.csv", "slips.xlsx"], err
    assert "interrupted by SIGINT" in err and "an earlier version, if any, is unchanged" in err


def test_sigterm_while_computing_writes_nothing(roster: Path, tmp_path: Path) -> None:
    out = tmp_path / "slips.csv"
    process = start(roster, out)
    wait_for(tmp_path, ".paycalc-lock", process)  # outputs checked and locked: working
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=120)
    assert process.returncode == 143
    assert names(tmp_path) == []
    assert "not written: " in err


def test_a_second_run_to_the_same_out_is_refused_and_the_first_completes(
    roster: Path, tmp_path: Path
) -> None:
    out = tmp_path / "slips.xlsx"
    first = start(roster, out)
    wait_for(tmp_path, ".paycalc-lock", first)
    second = subprocess.run(
        command(roster, out),
        capture_output=True,
        text=True,
        check=False,
    )
    assert second.returncode == 2
    assert f"another paycalc run (process {first.pid}) is writing {out}" in second.stderr
    stdout, _ = first.communicate(timeout=300)
    assert first.returncode == 0
    assert stdout.splitlines()[-1] == "30000 rows in = 30000 slips + 0 errors"
    assert names(tmp_path) == ["slips.errors.csv", "slips.xlsx"]
