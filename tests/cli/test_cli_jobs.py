"""``paycalc run --jobs N``: the same files, byte for byte, whatever the number of processes."""

from __future__ import annotations

import csv
import io
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from paycalc import batch
from paycalc.cli import main
from tests.conftest import EXAMPLES

KUNMING = EXAMPLES / "rosters" / "kunming-close.csv"
YTD_HEADER = ["工号", "累计截至", "累计收入", "累计减除费用", "累计专项扣除", "累计子女教育",
              "累计继续教育", "累计住房贷款利息", "累计住房租金", "累计赡养老人",
              "累计3岁以下婴幼儿照护", "累计已预扣税额"]  # fmt: skip


def _roster(folder: Path, rows: int) -> tuple[Path, Path]:
    """Kunming 2024 rows (identity and bank columns) copied under new ids, some broken, and
    a year-to-date file for every other worker (the rest have the year recomputed)."""
    source = list(csv.reader(io.StringIO(KUNMING.read_text(encoding="utf-8"))))
    header, base = source[0], source[1:]
    roster, ytd = io.StringIO(), io.StringIO()
    out, figures = csv.writer(roster), csv.writer(ytd)
    out.writerow(header)
    figures.writerow(YTD_HEADER)
    for index in range(rows):
        row = list(base[index % len(base)])
        row[0] = f"KP-{index:03d}"
        if index % 9 == 4:
            row[4] = "2024-04-02"  # hired after March: not employed (or its appraisals fail)
        if index % 11 == 7:
            row[4] = "2024.3.1"  # not a date: the row fails as read
        out.writerow(row)
        if index % 2 == 0:
            income = 9000 + 37 * index
            figures.writerow([row[0], "2024-02", f"{income}.00", "10000", "2007.00",
                              "0", "0", "0", "0", "0", "0", f"{max(0, income - 12007) * 3 // 100}.00"])  # fmt: skip
    (folder / "roster.csv").write_text(roster.getvalue(), encoding="utf-8")
    (folder / "ytd.csv").write_text(ytd.getvalue(), encoding="utf-8")
    return folder / "roster.csv", folder / "ytd.csv"


def _files(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` by relative path; an XLSX file by its members (a zip
    member carries the time it was written, so two runs' archives differ in those bytes)."""
    found: dict[str, bytes] = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        name = str(path.relative_to(folder))
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as archive:
                for member in sorted(archive.namelist()):
                    found[f"{name}!{member}"] = archive.read(member)
        else:
            found[name] = path.read_bytes()
    return found


def _run(
    roster: Path, ytd: Path, out: Path, jobs: str, capsys: pytest.CaptureFixture[str]
) -> tuple[int, str, str]:
    out.mkdir()
    code = main(
        ["run", str(roster), "--month", "2024-03", "--ytd", str(ytd), "--itemised",
         "--jobs", jobs, "--out", str(out / "register.csv"), "--bank", str(out / "bank.csv"),
         "--iit", str(out / "iit.xlsx"), "--slips", str(out / "slips")]
    )  # fmt: skip
    captured = capsys.readouterr()
    return code, captured.out.replace(str(out), "OUT"), captured.err.replace(str(out), "OUT")


def test_jobs_2_writes_what_jobs_1_writes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(batch, "POOL_MIN_ROWS", 1)  # the pool however few rows (60 here)
    roster, ytd = _roster(tmp_path, 60)
    serial = _run(roster, ytd, tmp_path / "serial", "1", capsys)
    pooled = _run(roster, ytd, tmp_path / "pooled", "2", capsys)
    # 60 rows: the bad date at indexes 7, 18, 29, 40, 51 (5 rows); hired in April at 4, 13,
    # 22, 31, 40, 49, 58 — 40 already failed; 31 is a copy of KM-0101 (no appraisals): not
    # employed; the other five copy workers appraised before 2024, which fails as read.
    # 5 + 5 = 10 errors, 1 not employed, 60 − 11 = 49 slips.
    assert serial[0] == 1  # rows failed
    assert serial[1].splitlines()[-1] == "60 rows in = 49 slips + 1 not employed + 10 errors"
    assert pooled == serial  # exit code, stdout and stderr
    serial_files, pooled_files = _files(tmp_path / "serial"), _files(tmp_path / "pooled")
    assert "register.csv" in serial_files and "iit.xlsx!xl/workbook.xml" in serial_files
    assert any(name.startswith("slips/") and name.endswith(".html") for name in serial_files)
    assert pooled_files == serial_files
    # Both kinds of tax year are in it: continued from the file and recomputed.
    notes = serial_files["register.notes.txt"].decode("utf-8")
    assert "本系统重算" in notes
    register = serial_files["register.csv"].decode("utf-8-sig")
    assert "上月累计" in register and "本系统重算" in register


def test_the_help_states_the_default_the_threshold_and_the_range(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["run", "--help"]) == 0
    run_help = " ".join(capsys.readouterr().out.split())  # argparse wraps the lines
    assert "--jobs N" in run_help and "default 1: this process alone" in run_help
    # The figures the help states are the code's.
    assert f"({batch.POOL_MIN_ROWS:,} rows;" in run_help
    assert f"1 to {batch.MAX_JOBS}" in run_help


@pytest.mark.parametrize("value", ["0", "-1", "65", "two"])
def test_jobs_out_of_range_is_a_usage_error(
    value: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "register.csv"
    code = main(["run", str(KUNMING), "--month", "2024-03", "--out", str(out), "--jobs", value])
    assert code == 2
    assert "--jobs" in capsys.readouterr().err
    assert not out.exists()


# -- interrupted while the workers compute, for real ------------------------------------------

HEAD = "工号,姓名,方案,岗位,入职日期,社区星级评定\n"
POSTS = ("正职", "副职", "专职委员")


def _children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue  # ended meanwhile
            # pid (comm) state ppid ...: comm may hold spaces, so split after its ")"
            if int(stat.rpartition(")")[2].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[0] != "Z"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")
@pytest.mark.parametrize(
    ("number", "target", "code", "said"),
    [
        (signal.SIGINT, "group", 130, "paycalc: interrupted by SIGINT"),
        (signal.SIGTERM, "paycalc", 143, "paycalc: interrupted by SIGTERM"),
        (signal.SIGKILL, "worker", 1, "a worker process paying rows ended abruptly"),
    ],
    ids=["ctrl-c-to-the-process-group", "sigterm-to-paycalc", "a-worker-killed"],
)
def test_interrupted_while_the_workers_compute(
    number: signal.Signals, target: str, code: int, said: str, tmp_path: Path
) -> None:
    # Ctrl-C reaches every process of the terminal's group (paycalc and its workers); a
    # scheduler's SIGTERM only paycalc: paycalc ends with 128 + the signal. A worker killed
    # (out of memory, an operator) fails the run (exit 1, the problem on stderr). Either
    # way the workers are gone, and nothing is written.
    roster = tmp_path / "big.csv"
    lines = [
        f"W{i:06d},名{i},demo.community-worker,{POSTS[i % 3]},{2000 + i % 20}-0{1 + i % 9}-15,"
        f"{'ABC'[i % 3]}\n"
        for i in range(40_000)
    ]
    roster.write_text(HEAD + "".join(lines), encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    command = [sys.executable, "-m", "paycalc", "run", str(roster), "--month", "2024-03",
               "--out", str(out / "register.csv"), "--itemised", "--jobs", "2", "--quiet"]  # fmt: skip
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    deadline = time.monotonic() + 120
    workers: list[int] = []
    while len(workers) < 2:  # until both workers run
        if process.poll() is not None:
            pytest.fail(f"paycalc ended before its workers started: {process.communicate()}")
        if time.monotonic() > deadline:
            process.kill()
            pytest.fail("no worker processes appeared")
        time.sleep(0.01)
        workers = _children(process.pid)
    if target == "group":
        os.killpg(process.pid, number)
    elif target == "paycalc":
        process.send_signal(number)
    else:
        os.kill(workers[0], number)
    _, err = process.communicate(timeout=120)
    assert process.returncode == code, err
    assert said in err and "Traceback" not in err and "internal error" not in err
    assert not [pid for pid in workers if _alive(pid)]
    assert sorted(p.name for p in out.iterdir()) == []  # no output, temporary or lock
