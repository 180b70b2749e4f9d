"""The fuzz harnesses (fuzz/, docs/testing.md): seeds and recorded crashes replayed, and a
short coverage-guided run of every target when atheris is installed (``.[fuzz]``).

Every input under ``fuzz/regressions/<target>/`` once broke its target's property (a
traceback, an echo of the whole input, a wrong total); replaying them keeps the fixes.
"""

from __future__ import annotations

import importlib.util
import json
import os
import random
import re
import shlex
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import ROOT

FUZZ = ROOT / "fuzz"


def _load(name: str) -> ModuleType:
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, FUZZ / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # make_corpus imports "targets" by that name
    spec.loader.exec_module(module)
    return module


targets = _load("targets")


def _inputs(folder: str) -> list[tuple[str, Path]]:
    return [
        (target, path)
        for target in targets.TARGETS
        for path in sorted((FUZZ / folder / target).glob("*"))
        if path.is_file() and path.suffix != ".txt"
    ]


def test_every_target_has_seeds() -> None:
    for target in targets.TARGETS:
        assert any((FUZZ / "corpus" / target).iterdir()), target


@pytest.mark.parametrize(
    ("target", "path"), [pytest.param(t, p, id=f"{t}/{p.name}") for t, p in _inputs("corpus")]
)
def test_seed_keeps_the_property(target: str, path: Path) -> None:
    targets.TARGETS[target].check(path.read_bytes())


@pytest.mark.parametrize(
    ("target", "path"),
    [pytest.param(t, p, id=f"{t}/{p.name}") for t, p in _inputs("regressions")],
)
def test_recorded_crash_stays_fixed(target: str, path: Path) -> None:
    targets.TARGETS[target].check(path.read_bytes())


def test_a_broken_property_is_caught() -> None:
    # the harness itself can fail: a slip whose totals are not its lines' sums is a Finding
    from paycalc import PayLine, Payslip, SchemeRef

    line = PayLine("a", "A", "earning", targets.Decimal("1.00"), "")
    slip = Payslip(
        "W",
        "2024-03",
        SchemeRef("x.y", "1", "official", ""),
        (line,),
        *[targets.Decimal("2.00")] * 4,
    )
    with pytest.raises(targets.Finding, match="not the sums"):
        targets._check_slip(slip)
    with pytest.raises(targets.Finding, match="overlong"):
        targets.check_problems([targets.Problem("s", "x" * 5000, "m")])


def test_a_columnar_reading_unlike_the_row_readers_is_caught() -> None:
    # roster_cohorts compares read_cohorts with the row reader's fold: a loader that lost
    # the last row's worker is caught, and so is one that refused what the row reader reads
    from unittest import mock

    from paycalc.io import columnar

    seed = (ROOT / "examples" / "rosters" / "demo.csv").read_bytes()
    data = bytes([targets.cohort_options("csv", None, 0)]) + seed
    real = columnar.read_cohorts
    targets.roster_cohorts(data)  # the property holds for the real loader

    def losing_the_last_row(*args: object, **options: object) -> columnar.LoadedRoster:
        loaded = real(*args, **options)
        loaded.counts = loaded.counts[:-1]
        return loaded

    def refusing(*args: object, **options: object) -> columnar.LoadedRoster:
        raise targets.paycalc.InputError([targets.Problem("f", "", "refused")])

    with (
        mock.patch.object(columnar, "read_cohorts", losing_the_last_row),
        pytest.raises(AssertionError),
    ):
        targets.roster_cohorts(data)
    with (
        mock.patch.object(columnar, "read_cohorts", refusing),
        pytest.raises(targets.Finding, match="gave tuple, the row reader Folded"),
    ):
        targets.roster_cohorts(data)


def test_committed_corpus_is_what_make_corpus_writes() -> None:
    written = _load("make_corpus").seeds()
    for target, files in written.items():
        folder = FUZZ / "corpus" / target
        assert sorted(p.name for p in folder.iterdir()) == sorted(files), target
        for name, data in files.items():
            assert (folder / name).read_bytes() == data, (target, name)


def test_the_tree_mutator_mostly_keeps_json() -> None:
    # Structure-aware: most mutants of a seed still parse, so they reach the checks behind
    # the parser (a byte mutator breaks nearly every one). The byte fallback is marked.
    seed = next((FUZZ / "corpus" / "worker").iterdir()).read_bytes()
    parsed = 0
    for number in range(200):
        out = targets.mutate_json(seed, 4096, number, lambda data, size: b"BYTES")
        assert len(out) <= 4096
        if out != b"BYTES":
            json.loads(out)  # never invalid JSON from the tree edits
            parsed += 1
    assert parsed > 150, parsed


def test_json_round_trip_keeps_exact_numbers() -> None:
    tree = {"a": targets.Decimal("0.1"), "b": [targets.Decimal("1E+400"), 3], "c": "\u0000x"}
    assert targets.from_json(targets.to_json(tree)) == tree


@pytest.mark.parametrize("target", sorted(targets.TARGETS))
def test_smoke_run(target: str, tmp_path: Path) -> None:
    """A few hundred coverage-guided inputs under atheris (skipped without it)."""
    pytest.importorskip("atheris")
    runs = 300
    done = subprocess.run(
        [
            sys.executable,
            str(FUZZ / "run.py"),
            target,
            f"-runs={runs}",
            f"-seed={random.Random(target).randrange(1, 2**31)}",
            f"-artifact_prefix={tmp_path}/",
            str(tmp_path),
            str(FUZZ / "corpus" / target),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert f"Done {runs} runs" in done.stderr


def _doc_commands() -> list[str]:
    text = (ROOT / "docs" / "testing.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)```", text, re.S)
    return [line for block in blocks for line in block.splitlines() if "fuzz/" in line]


def test_doc_commands_name_real_targets() -> None:
    commands = _doc_commands()
    assert len(commands) == 3
    for command in commands:
        args = shlex.split(command)
        script = next(a for a in args if a.startswith("fuzz/"))
        assert (ROOT / script).is_file()
        target = args[args.index(script) + 1]
        assert target in targets.TARGETS
        assert args[-1] == f"fuzz/corpus/{target}"


def test_doc_short_run_runs(tmp_path: Path) -> None:
    """The documented short run, as written (its scratch folder under tmp_path)."""
    pytest.importorskip("atheris")
    args = shlex.split(_doc_commands()[0])
    args = [str(tmp_path) if a.startswith("/tmp/") else a for a in args]
    assert args[0] == "python"
    done = subprocess.run(
        [sys.executable, *args[1:]], capture_output=True, text=True, timeout=600, cwd=ROOT
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Done 300 runs" in done.stderr


@pytest.mark.parametrize("index", [1, 2])
def test_doc_long_run_runs(index: int, tmp_path: Path) -> None:
    """A documented long run, as written but for 30 inputs (its /tmp folders under
    tmp_path): it starts, runs, and records no finding."""
    pytest.importorskip("atheris")
    args = shlex.split(_doc_commands()[index])
    env = dict(os.environ)
    while re.fullmatch(r"[A-Z_]+=.*", args[0]):
        name, value = args.pop(0).split("=", 1)
        env[name] = str(tmp_path / value.removeprefix("/tmp/"))
    assert args[0] == "python"
    args = ["-runs=30" if a.startswith("-max_total_time=") else a for a in args]
    args = [str(tmp_path / a.removeprefix("/tmp/")) if a.startswith("/tmp/") else a for a in args]
    for arg in args:
        if arg.startswith(str(tmp_path)):  # the new-corpus folder (the docs' mkdir -p)
            Path(arg).mkdir(parents=True)
    done = subprocess.run(
        [sys.executable, *args[1:]], capture_output=True, text=True, timeout=600, cwd=ROOT, env=env
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Done 30 runs" in done.stderr
    assert "#finding" not in done.stderr, done.stderr[-3000:]


def test_replay_counts_the_inputs(tmp_path: Path) -> None:
    # fuzz/replay.py replays a folder (tracebacks skipped); an unknown target is a usage error
    good = tmp_path / "good"
    good.mkdir()
    (good / "seed").write_bytes(next((FUZZ / "corpus" / "worker").iterdir()).read_bytes())
    (good / "trace.txt").write_text("skipped", encoding="utf-8")

    def replay(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, str(FUZZ / "replay.py"), *args],
            capture_output=True, text=True, timeout=120, cwd=ROOT,
        )  # fmt: skip

    done = replay("worker", str(good))
    assert done.returncode == 0, done.stdout
    assert "1 inputs replayed, 0 broke the property" in done.stdout
    assert replay("nothing", str(good)).returncode == 2
