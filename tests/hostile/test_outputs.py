"""Hostile outputs: clobbering inputs, bad folders and suffixes, missing extras, interrupts.

``OUTPUT_CASES`` run ``paycalc.cli.main`` in a workspace (``{ws}``: the demo roster
``R.csv``, the Jiaocheng roster ``J.jsonl``, the proposal ``NEW.toml``, assumptions
``A.csv`` — TOML under a table's name, to tempt a clobber). Refusals must come before any
work: the inputs are unchanged and no output file appears. ``INTERRUPT_CASES`` start
``python -m paycalc run`` in a subprocess on a generated roster and signal it mid-way.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from paycalc.cli import main
from paycalc.io.output import TEMP_SUFFIX
from tests.conftest import EXAMPLES
from tests.hostile.catalogue import Hostile, cases

ROSTER_ROWS = 5  # examples/rosters/demo.csv


def _hard_link(name: str, to: str) -> Callable[[Path], None]:
    return lambda ws: os.link(ws / to, ws / name)


def _symlink(name: str, to: str) -> Callable[[Path], None]:
    return lambda ws: (ws / name).symlink_to(ws / to)


def _folder(name: str) -> Callable[[Path], None]:
    return lambda ws: (ws / name).mkdir()


def _fifo(ws: Path) -> None:
    os.mkfifo(ws / "pipe.csv")


def _earlier_output(ws: Path) -> None:
    (ws / "s.csv").write_text("stale\n", encoding="utf-8")


def _linked_folder(ws: Path) -> None:
    (ws / "real").mkdir()
    (ws / "via").symlink_to(ws / "real", target_is_directory=True)


def _stale_lock(ws: Path) -> None:
    (ws / ".s.csv.paycalc-lock").write_text("99999\n", encoding="ascii")


def _odd_names(ws: Path) -> None:
    row = json.loads((EXAMPLES / "rosters" / "demo.jsonl").read_text("utf-8").splitlines()[0])
    row["name"] = "甲\u2028乙\u2029丙"  # escaped in the roster (reading raw ones: the readers')
    (ws / "odd.jsonl").write_text(json.dumps(row) + "\n", encoding="utf-8")


def _no_module(name: str) -> Callable[[pytest.MonkeyPatch], None]:
    # sys.modules[name] = None makes `import name` fail, as when the extra is not installed
    return lambda patch: patch.setitem(sys.modules, name, None)


def _csv_rows(path: Path) -> list[dict[str, str]]:
    """The data rows of a CSV output; a register's closing 合计 (totals) row is not one."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [row for row in csv.DictReader(handle) if row.get("工号") != "合计"]


def _slips_complete(ws: Path) -> None:
    assert len(_csv_rows(ws / "s.csv")) == ROSTER_ROWS
    assert _csv_rows(ws / "s.errors.csv") == []


def _forecast_jsonl(ws: Path) -> None:
    lines = (ws / "f.jsonl").read_text(encoding="utf-8").splitlines()
    rows = [json.loads(line) for line in lines]  # real JSON Lines, not CSV
    total = [r for r in rows if r["dimension"] == "total" and r["key"] == "employer_cost"]
    # demo roster, January 2024: four workers employed (DEMO-0005 is hired in March)
    assert total[0]["month"] == "2024-01" and total[0]["workers"] == 4
    assert isinstance(total[0]["amount"], str)  # money as exact two-decimal text


def _through_the_link(ws: Path) -> None:
    assert (ws / "link.csv").is_symlink()
    assert len(_csv_rows(ws / "elsewhere.csv")) == ROSTER_ROWS


def _in_linked_folder(ws: Path) -> None:
    assert len(_csv_rows(ws / "real" / "s.csv")) == ROSTER_ROWS


def _one_line_per_slip(ws: Path) -> None:
    text = (ws / "o.jsonl").read_text(encoding="utf-8")
    # U+2028/2029 escaped: str.splitlines keeps the worker's line whole (+ the 合计 line)
    worker, totals = text.splitlines()
    assert json.loads(worker)["姓名"] == "甲\u2028乙\u2029丙"
    assert json.loads(totals)["工号"] == "合计"


def _impact_json(ws: Path) -> None:
    rows = json.loads((ws / "i.json").read_text(encoding="utf-8"))
    # docs/policy-changes.md, checked by hand: JC-101 loses 30.00 a month
    assert {r["worker_id"]: r["delta"] for r in rows}["JC-101"] == "-30.00"


def _arrears_xlsx(ws: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    sheet = openpyxl.load_workbook(ws / "a.xlsx").active
    header = [cell.value for cell in sheet[1]]
    assert header[:3] == ["worker_id", "month", "code"]
    assert sheet.max_row > 1


def _xlsx_and_csv(ws: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    assert openpyxl.load_workbook(ws / "s.xlsx").active.max_row == ROSTER_ROWS + 2  # header, rows, 合计
    assert _csv_rows(ws / "s.errors.csv") == []


def _lock_gone(ws: Path) -> None:
    _slips_complete(ws)
    assert not (ws / ".s.csv.paycalc-lock").exists()


RUN = ["run", "{ws}/R.csv", "--month", "2024-03", "--out"]
FORECAST = ["forecast", "{ws}/R.csv", "--from", "2024-01", "--months", "2", "--out"]
IMPACT = ["impact", "jiaocheng.community-worker@2022-draft", "{ws}/NEW.toml",
          "--roster", "{ws}/J.jsonl", "--month", "2025-07", "--out"]  # fmt: skip
ARREARS = ["arrears", "{ws}/J.jsonl", "--schemes", "{bundled}", "--schemes", "{ws}/policy",
           "--include-drafts", "--from", "2025-07", "--to", "2025-09", "--paid-as-of", "2025-09-01",
           "--due-as-of", "2025-09-15", "--out"]  # fmt: skip

OUTPUT_CASES = [
    # -- an output that is an input: refused before any work ------------------------------
    Hostile("out-is-the-roster", "run R.csv --out R.csv", "usage",
            {"argv": [*RUN, "{ws}/R.csv"], "err": "--out: {ws}/R.csv: is the input {ws}/R.csv"}),
    Hostile("errors-file-is-the-roster", "run R.errors.csv --out R.csv", "usage",
            {"setup": lambda ws: shutil.copy(ws / "R.csv", ws / "X.errors.csv"),
             "argv": ["run", "{ws}/X.errors.csv", "--month", "2024-03", "--out", "{ws}/X.csv"],
             "err": "--out (its errors file): {ws}/X.errors.csv: is the input",
             "absent": ["X.csv"]}),
    Hostile("out-hard-links-the-roster", "--out H.csv, a hard link to the roster", "usage",
            {"setup": _hard_link("H.csv", "R.csv"), "argv": [*RUN, "{ws}/H.csv"],
             "err": "--out: {ws}/H.csv: is the input {ws}/R.csv"}),
    Hostile("out-symlinks-the-roster", "--out S.csv, a symbolic link to the roster", "usage",
            {"setup": _symlink("S.csv", "R.csv"), "argv": [*RUN, "{ws}/S.csv"],
             "err": "--out: {ws}/S.csv: is the input {ws}/R.csv"}),
    Hostile("forecast-out-is-the-roster", "forecast R.csv --out R.csv", "usage",
            {"argv": [*FORECAST, "{ws}/R.csv"], "err": "is the input {ws}/R.csv"}),
    Hostile("forecast-errors-file-is-the-roster", "forecast R.errors.csv --out R.csv",
            "usage",
            {"setup": lambda ws: shutil.copy(ws / "R.csv", ws / "X.errors.csv"),
             "argv": ["forecast", "{ws}/X.errors.csv", "--from", "2024-01", "--months", "1",
                      "--out", "{ws}/X.jsonl"],
             "err": "--out (its errors file): {ws}/X.errors.csv: is the input",
             "absent": ["X.jsonl"]}),
    Hostile("forecast-out-is-the-assumptions", "--assumptions A.csv --out A.csv", "usage",
            {"argv": [*FORECAST, "{ws}/A.csv", "--assumptions", "{ws}/A.csv"],
             "err": "--out: {ws}/A.csv: is the input {ws}/A.csv"}),
    Hostile("impact-out-is-the-roster", "impact --roster R.csv --out R.csv", "usage",
            {"argv": [*IMPACT[:4], "{ws}/R.csv", *IMPACT[5:-1], "--out", "{ws}/R.csv"],
             "err": "is the input {ws}/R.csv"}),
    Hostile("impact-out-is-the-new-scheme", "impact OLD NEW.toml --out NEW.toml", "usage",
            {"argv": [*IMPACT, "{ws}/NEW.toml"], "err": "must end in .csv, .xlsx, .json"}),
    Hostile("impact-out-links-the-new-scheme", "--out N.csv hard-linked to NEW.toml", "usage",
            {"setup": _hard_link("N.csv", "NEW.toml"), "argv": [*IMPACT, "{ws}/N.csv"],
             "err": "--out: {ws}/N.csv: is the input {ws}/NEW.toml"}),
    Hostile("arrears-out-is-the-roster", "arrears J.jsonl --out J.csv (a link to it)", "usage",
            {"setup": _symlink("J.csv", "J.jsonl"), "argv": [*ARREARS, "{ws}/J.csv"],
             "err": "is the input {ws}/J.jsonl"}),
    Hostile("arrears-out-is-a-scheme-file", "--out a file of a --schemes folder", "usage",
            {"setup": _hard_link("P.csv", "policy/jiaocheng-2025-07.toml"),
             "argv": [*ARREARS, "{ws}/P.csv"],
             "err": "is the input {ws}/policy/jiaocheng-2025-07.toml"}),
    Hostile("two-outputs-one-file", "--plot hard-linked to --out", "usage",
            {"setup": lambda ws: ((ws / "F.csv").write_text("x"), os.link(ws / "F.csv", ws / "P.png")),
             "argv": [*FORECAST, "{ws}/F.csv", "--plot", "{ws}/P.png"],
             "err": "--plot: {ws}/P.png: is also the --out output"}),
    # -- folders, targets, suffixes, extras --------------------------------------------------
    Hostile("out-folder-missing", "--out into a folder that does not exist", "usage",
            {"argv": [*RUN, "{ws}/nodir/s.csv"], "err": "the folder {ws}/nodir does not exist"}),
    Hostile("out-folder-is-a-file", "--out R.csv/s.csv", "usage",
            {"argv": [*RUN, "{ws}/R.csv/s.csv"], "err": "{ws}/R.csv is not a folder"}),
    Hostile("out-folder-read-only", "--out into /proc", "usage",
            {"argv": [*RUN, "/proc/s.csv"], "err": "cannot write in /proc"}),
    Hostile("out-is-a-folder", "--out names a folder", "usage",
            {"setup": _folder("d.csv"), "argv": [*RUN, "{ws}/d.csv"],
             "err": "{ws}/d.csv: is a folder; name a file"}),
    Hostile("errors-file-is-a-folder", "the derived errors file is a folder", "usage",
            {"setup": _folder("s.errors.csv"), "argv": [*RUN, "{ws}/s.csv"],
             "err": "--out (its errors file): {ws}/s.errors.csv: is a folder"}),
    Hostile("out-is-a-pipe", "--out names a FIFO", "usage",
            {"setup": _fifo, "argv": [*RUN, "{ws}/pipe.csv"],
             "err": "is not a regular file (a device or pipe)"}),
    Hostile("run-out-txt", "run --out s.txt", "usage",
            {"argv": [*RUN, "{ws}/s.txt"], "err": "must end in .csv, .xlsx, .jsonl, not .txt"}),
    Hostile("run-out-no-suffix", "run --out slips", "usage",
            {"argv": [*RUN, "{ws}/slips"], "err": "not no suffix"}),
    Hostile("forecast-out-txt", "forecast --out f.txt", "usage",
            {"argv": [*FORECAST, "{ws}/f.txt"], "err": "must end in .csv, .xlsx, .jsonl"}),
    Hostile("impact-out-txt", "impact --out i.txt (CSV was written into it)", "usage",
            {"argv": [*IMPACT, "{ws}/i.txt"], "err": "must end in .csv, .xlsx, .json"}),
    Hostile("arrears-out-txt", "arrears --out a.txt", "usage",
            {"argv": [*ARREARS, "{ws}/a.txt"], "err": "must end in .csv, .xlsx, .json"}),
    Hostile("plot-jpg", "forecast --plot f.jpg", "usage",
            {"argv": [*FORECAST, "{ws}/f.csv", "--plot", "{ws}/f.jpg"],
             "err": "--plot: {ws}/f.jpg: must end in .png, .svg, .pdf"}),
    Hostile("every-problem-at-once", "bad suffix and missing folder: both listed", "usage",
            {"argv": [*FORECAST, "{ws}/f.txt", "--plot", "{ws}/nodir/f.png"],
             "err": "must end in .csv", "err2": "--plot: {ws}/nodir/f.png: the folder"}),
    Hostile("xlsx-out-without-openpyxl", "--out s.xlsx, openpyxl not installed", "usage",
            {"patch": _no_module("openpyxl"), "argv": [*RUN, "{ws}/s.xlsx"],
             "err": "writing .xlsx needs openpyxl: pip install 'paycalc[xlsx]'"}),
    Hostile("xlsx-roster-without-openpyxl", "an .xlsx roster, openpyxl not installed", "usage",
            {"patch": _no_module("openpyxl"),
             "setup": lambda ws: shutil.copy(EXAMPLES / "rosters" / "demo.xlsx", ws / "R.xlsx"),
             "argv": ["run", "{ws}/R.xlsx", "--month", "2024-03", "--out", "{ws}/s.csv"],
             "err": "needs openpyxl"}),
    Hostile("plot-without-matplotlib", "--plot, matplotlib not installed", "usage",
            {"patch": _no_module("matplotlib"),
             "argv": [*FORECAST, "{ws}/f.csv", "--plot", "{ws}/f.png"],
             "err": "--plot: {ws}/f.png: --plot needs matplotlib: pip install 'paycalc[plot]'",
             "absent": ["f.csv", "f.errors.csv"]}),
    # -- written, and nothing lost ----------------------------------------------------------
    Hostile("forecast-out-jsonl", "forecast --out f.jsonl writes JSON Lines", "kept",
            {"argv": [*FORECAST, "{ws}/f.jsonl"], "check": _forecast_jsonl}),
    Hostile("earlier-output-replaced-whole", "a stale s.csv replaced by the new run", "kept",
            {"setup": _earlier_output, "argv": [*RUN, "{ws}/s.csv"], "check": _slips_complete}),
    Hostile("out-symlink-elsewhere", "--out a link to a non-input file: written through",
            "kept",
            {"setup": lambda ws: ((ws / "elsewhere.csv").write_text("old"),
                                  _symlink("link.csv", "elsewhere.csv")(ws)),
             "argv": [*RUN, "{ws}/link.csv"], "check": _through_the_link}),
    Hostile("out-in-a-linked-folder", "--out via/s.csv, via a link to a folder", "kept",
            {"setup": _linked_folder, "argv": [*RUN, "{ws}/via/s.csv"],
             "check": _in_linked_folder}),
    Hostile("stale-lock-file", "a lock file left by a killed run", "kept",
            {"setup": _stale_lock, "argv": [*RUN, "{ws}/s.csv"], "check": _lock_gone}),
    Hostile("line-separators-in-a-name", "U+2028/U+2029 in a name, slips as JSONL", "kept",
            {"setup": _odd_names,
             "argv": ["run", "{ws}/odd.jsonl", "--month", "2024-03", "--out", "{ws}/o.jsonl"],
             "check": _one_line_per_slip}),
    Hostile("impact-out-json", "impact --out i.json", "kept",
            {"argv": [*IMPACT, "{ws}/i.json"], "check": _impact_json}),
    Hostile("arrears-out-xlsx", "arrears --out a.xlsx", "kept",
            {"argv": [*ARREARS, "{ws}/a.xlsx"], "check": _arrears_xlsx}),
    Hostile("slips-xlsx-errors-csv", "--out s.xlsx: the errors file is s.errors.csv", "kept",
            {"argv": [*RUN, "{ws}/s.xlsx"], "check": _xlsx_and_csv}),
]  # fmt: skip


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    shutil.copy(EXAMPLES / "rosters" / "demo.csv", tmp_path / "R.csv")
    shutil.copy(EXAMPLES / "rosters" / "jiaocheng.jsonl", tmp_path / "J.jsonl")
    shutil.copy(EXAMPLES / "forecast" / "assumptions.toml", tmp_path / "A.csv")
    shutil.copytree(EXAMPLES / "policy", tmp_path / "policy")
    shutil.copy(EXAMPLES / "policy" / "jiaocheng-2025-07.toml", tmp_path / "NEW.toml")
    return tmp_path


def _contents(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in folder.rglob("*")
        if p.is_file() and not p.is_symlink() and not p.is_fifo()
    }


@pytest.mark.parametrize("case", cases(*OUTPUT_CASES))
def test_output_case(
    case: Hostile,
    workspace: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from tests.conftest import SCHEMES

    data = case.data
    if "setup" in data:
        data["setup"](workspace)
    if "patch" in data:
        data["patch"](monkeypatch)
    before = _contents(workspace)
    argv = [
        a.replace("{ws}", str(workspace)).replace("{bundled}", str(SCHEMES)) for a in data["argv"]
    ]
    code = main(argv)
    out, err = capsys.readouterr()
    fill = lambda text: text.replace("{ws}", str(workspace))  # noqa: E731
    assert "Traceback" not in err
    if case.outcome == "usage":
        assert code == 2, (out, err)
        assert _contents(workspace) == before  # nothing written, no input touched
        assert not any(p.name.startswith(".") for p in workspace.rglob("*"))  # no temp, lock
    else:
        assert code == data.get("code", 0), (out, err)
        data["check"](workspace)
        assert not any(
            p.name.endswith((TEMP_SUFFIX, ".paycalc-lock")) for p in workspace.rglob("*")
        )
    for key in ("err", "err2"):
        if key in data:
            assert fill(data[key]) in err, err
    for name in data.get("absent", ()):
        assert not (workspace / name).exists()


# -- interrupts and a second run, for real ---------------------------------------------------

HEAD = "工号,姓名,方案,岗位,入职日期,社区星级评定\n"
POSTS = ("正职", "副职", "专职委员")
BIG_ROWS = 30_000  # writing this many slips as XLSX takes seconds: time to signal mid-write


def write_roster(path: Path, rows: int) -> None:
    """``rows`` valid demo-scheme rows (a few hundred distinct pay profiles)."""
    lines = [
        f"W{i:06d},名{i},demo.community-worker,{POSTS[i % 3]},{2000 + i % 20}-0{1 + i % 9}-15,"
        f"{'ABC'[i % 3]}\n"
        for i in range(rows)
    ]
    path.write_text(HEAD + "".join(lines), encoding="utf-8")


def _command(roster: Path, out: Path) -> list[str]:
    run = ["run", str(roster), "--month", "2024-03", "--out", str(out), "--quiet"]
    return [sys.executable, "-m", "paycalc", *run]


def _start(roster: Path, out: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        _command(roster, out), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def _wait_for(folder: Path, ending: str, process: subprocess.Popen[str]) -> None:
    """Until a file ``.slips.<...><ending>`` appears: the run reached that stage."""
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


def _names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


INTERRUPT_CASES = [
    Hostile("sigterm-mid-write", "SIGTERM while the XLSX slips are being written", "kept",
            {"signal": signal.SIGTERM, "stage": TEMP_SUFFIX, "code": 143, "earlier": False}),
    Hostile("ctrl-c-mid-write-keeps-earlier", "Ctrl-C mid-write over an earlier output",
            "kept",
            {"signal": signal.SIGINT, "stage": TEMP_SUFFIX, "code": 130, "earlier": True}),
    Hostile("sigterm-while-computing", "SIGTERM before anything is written", "kept",
            {"signal": signal.SIGTERM, "stage": ".paycalc-lock", "code": 143, "earlier": False}),
    Hostile("second-run-same-out", "a second run to the --out a first run is writing",
            "usage", {"second": True}),
]  # fmt: skip


@pytest.fixture(scope="module")
def big_roster(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("roster") / "big.csv"
    write_roster(path, BIG_ROWS)
    return path


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
@pytest.mark.parametrize("case", cases(*INTERRUPT_CASES))
def test_interrupt_case(case: Hostile, big_roster: Path, tmp_path: Path) -> None:
    data = case.data
    out, errors = tmp_path / "slips.xlsx", tmp_path / "slips.errors.csv"
    if data.get("second"):
        first = _start(big_roster, out)
        _wait_for(tmp_path, ".paycalc-lock", first)
        second = subprocess.run(_command(big_roster, out), capture_output=True, text=True)
        assert second.returncode == 2
        assert f"another paycalc run (process {first.pid}) is writing {out}" in second.stderr
        stdout, _ = first.communicate(timeout=300)
        assert first.returncode == 0
        assert stdout.splitlines()[-1] == f"{BIG_ROWS} rows in = {BIG_ROWS} slips + 0 not employed + 0 errors"
        assert _names(tmp_path) == ["slips.errors.csv", "slips.xlsx"]
        return
    if data["earlier"]:
        out.write_bytes(b"earlier complete slips")
        errors.write_bytes(b"earlier errors")
    process = _start(big_roster, out)
    _wait_for(tmp_path, data["stage"], process)
    process.send_signal(data["signal"])
    _, err = process.communicate(timeout=120)
    assert process.returncode == data["code"]  # 128 + the signal number
    name = signal.Signals(data["signal"]).name
    assert f"paycalc: interrupted by {name}" in err and "Traceback" not in err
    assert f"not written: {out}, {errors}" in err
    if data["earlier"]:  # the earlier complete files, untouched; nothing else
        assert out.read_bytes() == b"earlier complete slips"
        assert errors.read_bytes() == b"earlier errors"
        assert _names(tmp_path) == ["slips.errors.csv", "slips.xlsx"]
    else:  # no slips, no errors file, no temporary, no lock
        assert _names(tmp_path) == []
