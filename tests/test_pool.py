"""A run on several processes gives exactly the run on one: every slip, error, count and note.

Real worker processes throughout (no mocks). A pooled run must equal the serial run field for
field — ``RunResult`` compares slips (with their roster records and year-to-date figures),
errors, rows not employed, line codes, notes and counts — whatever the roster: bad rows,
rows of workers not employed in the month, rows that fail when paid, taxed schemes with and
without the year to date, every bundled family. The pool's threshold
(``batch.POOL_MIN_ROWS``) is lowered to one row here, so that ``jobs=2`` uses the pool
however few rows there are and these examples stay small; the threshold itself is tested
at its shipped value below.
"""

from __future__ import annotations

import enum
import gc
import multiprocessing
import os
import signal
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paycalc import Month, batch
from paycalc.batch import MAX_JOBS, POOL_MIN_ROWS, RunResult, run_roster, run_workers
from paycalc.errors import PaycalcError, SchemeNotFound, UsageError
from paycalc.gcpause import collection_paused
from paycalc.io.roster import RosterRecord, RowError, records_from_workers
from paycalc.procpool import chunk_bounds, dumps, in_order, start_method
from paycalc.scheme import SchemeRegistry, default_registry
from paycalc.tax import YearToDate
from paycalc.testing import workers
from paycalc.withholding import TaxState
from paycalc.worker import Worker
from tests.columnar.kitchen import kitchen
from tests.test_payroll import TAXED

#: Every bundled version (drafts in force), a taxed test scheme and one with every kind.
REGISTRY = SchemeRegistry([*default_registry(), TAXED, kitchen()], include_drafts=True)
MONTHS = [Month(2024, m) for m in (1, 3, 7, 12)] + [Month(2025, 6), Month(2021, 4)]
amounts = st.decimals(0, 200_000, places=2, allow_nan=False, allow_infinity=False)


@pytest.fixture(autouse=True)
def pool_for_any_size(monkeypatch: pytest.MonkeyPatch) -> None:
    """``jobs=2`` uses the pool from one row on (see the module's docstring)."""
    monkeypatch.setattr(batch, "POOL_MIN_ROWS", 1)


def _in_force(month: Month) -> list[Any]:
    found = []
    for family in REGISTRY.families:
        try:
            found.append(REGISTRY.version_for(family, month))
        except SchemeNotFound:
            continue
    return found


def _states(month: Month) -> st.SearchStrategy[TaxState]:
    """Where a tax year stood before ``month``: mostly a possible count of months, not always."""
    ytd = st.builds(
        YearToDate,
        st.integers(0, month.month - 1) | st.integers(0, 12),
        amounts,
        amounts,
        amounts,
        amounts,
        amounts,
        amounts,
        amounts,
    )
    return st.builds(TaxState, ytd, st.booleans())


@dataclass
class Case:
    month: Month
    records: list[RosterRecord]
    ytd: dict[str, TaxState] | None
    scheme: str | None
    notes: list[str] = field(default_factory=list)


@st.composite
def cases(draw: st.DrawFn, max_rows: int = 10) -> Case:
    """A roster of mixed rows: paid, not employed, failing when paid, invalid as read."""
    month = draw(st.sampled_from(MONTHS))
    versions = _in_force(month)
    taxed = [v for v in versions if v.spec.scheme.income_tax]
    people: list[Worker | str] = []
    for index in range(draw(st.integers(1, max_rows))):
        version = draw(st.sampled_from(versions + taxed))  # taxed schemes twice as often
        person = draw(workers(version, month=month, full_month=False))
        change: dict[str, Any] = {"id": f"P{index}"}
        kind = draw(st.sampled_from(["paid"] * 5 + ["later", "gone", "lost", "noscheme", "bad"]))
        if kind == "later":  # hired after the month: not employed
            change["hired_on"] = month.last_day + timedelta(days=draw(st.integers(1, 400)))
        elif kind == "gone" and person.hired_on < month.first_day:  # left before it
            change["left_on"] = month.first_day - timedelta(days=1)
        elif kind == "lost":  # a family nobody knows: fails when paid
            change["scheme"] = "no.such-family"
        elif kind == "noscheme":  # names none: paid under the run's scheme, if any
            change["scheme"] = None
        elif kind == "bad":
            people.append(f"P{index}")  # a row that could not be read at all
            continue
        if version.spec.scheme.contribution_table is not None:
            change["contribution_base"] = draw(st.none() | amounts)
        people.append(person.model_copy(update=change))
    records = []
    for row, person in enumerate(people, start=2):
        if isinstance(person, str):
            error = RowError("roster.csv", row, person, "入职日期", "not a date: 2024.13.01")
            errors = draw(st.sampled_from([(error,), ()]))
            records.append(RosterRecord("roster.csv", row, person, None, errors))
        else:
            records.append(RosterRecord("roster.csv", row, person.id, person))
    ytd = None
    if draw(st.integers(0, 2)):  # a year-to-date file, with most of the workers in it
        ytd = {r.worker_id: draw(_states(month)) for r in records if draw(st.integers(0, 3))}
    scheme = draw(st.none() | st.sampled_from([v.family for v in versions]))
    return Case(month, records, ytd, scheme)


def _run(case: Case, jobs: int, *, fast: bool = False, calls: list[int] | None = None) -> RunResult:
    return run_roster(
        case.records,
        case.month,
        schemes=REGISTRY,
        scheme=case.scheme,
        fast=fast,
        ytd=case.ytd,
        jobs=jobs,
        progress=None if calls is None else calls.append,
    )


def _kinds(case: Case, result: RunResult) -> set[str]:
    """What a roster's run shows, to check that the examples cover every kind of row."""
    invalid = sum(r.worker is None for r in case.records)
    found = {s.slip.scheme.id for s in result.slips}
    for kind, present in [
        ("slip", result.slips),
        ("not employed", result.not_employed),
        ("invalid row", invalid),
        ("failed when paid", result.failed_rows > invalid),
        ("ytd continued", any(s.ytd_before for s in result.slips)),
        ("year recomputed", any(s.tax_recomputed for s in result.slips)),
    ]:
        if present:
            found.add(kind)
    return found


def test_a_pooled_run_equals_the_serial_run() -> None:
    seen: set[str] = set()

    # Each example starts two worker processes (≈ 50 ms): fewer examples than the profile's;
    # drawing valid workers for a scheme is slow on a loaded machine.
    @settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
    @given(cases())
    def pooled_equals_serial(case: Case) -> None:
        serial_calls: list[int] = []
        pooled_calls: list[int] = []
        serial = _run(case, 1, calls=serial_calls)
        pooled = _run(case, 2, calls=pooled_calls)
        assert serial.balanced
        assert pooled == serial
        # The serial run reports once (under 1,000 rows), the pooled one after each chunk too.
        rows = len(case.records)
        assert serial_calls == [rows]
        assert pooled_calls[-1] == rows and (len(pooled_calls) > 2 or rows == 1)
        seen.update(_kinds(case, serial))

    pooled_equals_serial()
    # The examples drew every kind of row, both kinds of tax year and several families.
    assert {
        "slip",
        "not employed",
        "invalid row",
        "failed when paid",
        "ytd continued",
        "year recomputed",
        "test.scheme",
        "test.kitchen",
        "kunming.community-worker",
        "demo.community-worker",
    } <= seen, seen


# -- the fast path's probe, then the pool -----------------------------------------------------


def _distinct_taxed_roster(rows: int) -> tuple[list[RosterRecord], dict[str, TaxState]]:
    """Kunming 2024 chiefs, each with a year to date of their own: every profile distinct.

    Every 97th row is invalid, every 89th row's worker was hired after the month.
    """
    people = []
    ytd = {}
    for index in range(rows):
        person = Worker.model_validate(
            {
                "id": f"K{index:05d}",
                "scheme": "kunming.community-worker",
                "post": "正职",
                "hired_on": date(2018, 5, 1) if index % 89 else date(2024, 4, 2),
                "contribution_base": "9000",
            }
        )
        people.append(person)
        income = Decimal(12000 + index)  # distinct: each worker's own profile
        ytd[person.id] = TaxState(
            YearToDate(2, income, Decimal(0), Decimal(10000), Decimal("2000.00"),
                       Decimal(0), Decimal(0), Decimal("0.00"))
        )  # fmt: skip
    records = records_from_workers(people, "big.csv")
    for index in range(0, rows, 97):
        records[index] = RosterRecord("big.csv", index + 1, f"K{index:05d}", None)
    return records, ytd


def test_after_the_fast_path_gives_up_the_rest_is_pooled_and_equal() -> None:
    # 2,000 rows decide that the fast path is not worth it (every profile distinct); the
    # 900 after them are paid by two worker processes.
    records, ytd = _distinct_taxed_roster(2900)
    calls: list[int] = []
    serial = run_roster(records, "2024-03", ytd=ytd, jobs=1)
    pooled = run_roster(records, "2024-03", ytd=ytd, jobs=2, progress=calls.append)
    itemised = run_roster(records, "2024-03", ytd=ytd, jobs=1, fast=False)
    assert pooled == serial
    # Rows 1..2,000 here (reported at 1,000 and 2,000), then chunks of ≤ 2,000 / (2 × 4) rows.
    assert calls[:2] == [1000, 2000] and len(calls) > 4 and calls[-1] == 2900
    # Without a repeat, the fast path computes what the itemised engine computes.
    assert [s.slip for s in serial.slips] == [s.slip for s in itemised.slips]
    # 2,900 rows: 30 invalid (rows 1, 98, …, 2,814), 33 hired in April (index % 89 == 0),
    # of which index 0 is also invalid → 32 not employed; 2,900 − 30 − 32 = 2,838 paid.
    assert serial.summary() == "2900 rows in = 2838 slips + 32 not employed + 30 errors"
    # Every valid row's profile was computed (the not employed too: that is how the
    # engine finds out); none was reused.
    assert serial.computed == 2900 - 30


# -- start methods ----------------------------------------------------------------------------


def test_spawned_workers_give_the_same_result() -> None:
    # A process running other threads does not fork (a lock held by another thread would
    # stay held in the child): the workers are spawned and sent what they need.
    case = Case(Month(2024, 3), *_distinct_taxed_roster(60), scheme=None)
    serial = _run(case, 1)
    found: dict[str, object] = {}
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        found["method"] = start_method()
        found["result"] = _run(case, 2)
    finally:
        stop.set()
        other.join()
    assert found["method"] == "spawn"
    assert found["result"] == serial
    if threading.active_count() == 1:  # (other tests may have left threads: polars, Dask)
        assert start_method() == ("fork" if os.uname().sysname == "Linux" else "spawn")


@pytest.fixture(params=["fork", "spawn"])
def method(request: pytest.FixtureRequest) -> Iterator[str]:
    """Workers forked (this process runs one thread) or spawned (another thread parked)."""
    if request.param == "fork" and threading.active_count() > 1:
        pytest.skip("other tests left threads running in this process: it cannot fork")
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    if request.param == "spawn":
        other.start()
    try:
        assert start_method() == request.param
        yield request.param
    finally:
        stop.set()
        if other.is_alive():
            other.join()


# -- failures -------------------------------------------------------------------------------


def test_a_bug_in_a_worker_surfaces_as_it_does_serially(method: str) -> None:
    # A worker record without a hire date cannot come from a roster reader: paying it is a
    # bug (AttributeError), not a row error. Serially it ends the run; pooled too.
    good = [
        Worker.model_validate(
            {"id": f"G{i}", "scheme": "demo.community-worker", "post": "正职",
             "hired_on": "2012-03-15", "inputs": {"community_rating": "B"}}
        )
        for i in range(30)
    ]  # fmt: skip
    broken = Worker.model_construct(id="X", scheme="demo.community-worker", post="正职")
    roster = [*good[:20], broken, *good[20:]]
    threads = threading.active_count()
    with pytest.raises(AttributeError) as serial:
        run_workers(roster, "2024-03", fast=False, jobs=1)
    with pytest.raises(AttributeError) as pooled:
        run_workers(roster, "2024-03", fast=False, jobs=2)
    assert str(pooled.value) == str(serial.value)
    assert "Traceback" in str(pooled.value.__cause__)  # the worker's own traceback
    assert multiprocessing.active_children() == []
    assert threading.active_count() == threads  # the executor's threads are gone


def _pid(_: int) -> int:
    return os.getpid()


def _fail_on(number: int) -> int:
    if number == 3:
        raise ZeroDivisionError("chunk 3")
    return number


def _die_on(number: int) -> int:
    if number == 1:
        os._exit(3)  # the worker process dies (killed, out of memory, ...)
    return number


def _nothing() -> None:
    return None


def _collect(task: Callable[[int], int], chunks: int) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    in_order(
        task,
        [(n,) for n in range(chunks)],
        lambda index, value: merged.append((index, value)),
        workers=2,
        initializer=_nothing,
    )
    return merged


def test_chunks_run_in_other_processes_and_come_back_in_order() -> None:
    merged = _collect(_pid, 8)
    assert [index for index, _ in merged] == list(range(8))
    assert os.getpid() not in {pid for _, pid in merged}
    assert multiprocessing.active_children() == []


def test_an_error_in_a_chunk_is_raised_in_its_turn_and_the_workers_stop() -> None:
    merged: list[tuple[int, int]] = []
    with pytest.raises(ZeroDivisionError, match="chunk 3"):
        in_order(
            _fail_on,
            [(n,) for n in range(6)],
            lambda index, value: merged.append((index, value)),
            workers=2,
            initializer=_nothing,
        )
    assert merged == [(0, 0), (1, 1), (2, 2)]  # the chunks before it were merged
    assert multiprocessing.active_children() == []


def test_a_worker_that_dies_breaks_the_run_instead_of_hanging_it() -> None:
    with pytest.raises(BrokenProcessPool):
        _collect(_die_on, 4)
    assert multiprocessing.active_children() == []


DELAY = 0.15  # seconds after the marker: the old pipe transfer hung at this delay


def _big_result(number: int, marker: str) -> bytes:
    if number == 1:
        result = os.urandom(1 << 20) * 96  # 96 MiB: a tenth of a second to carry back
        Path(marker).write_text(str(os.getpid()))  # about to send it
        return result
    return b""


def test_a_worker_killed_while_sending_its_result_does_not_hang_the_run(tmp_path: Path) -> None:
    # A worker killed halfway through a result written to the executor's pipe left half a
    # message there, and the executor's thread waited for the rest forever. The run runs
    # on a thread of its own here, so that a hang fails the test instead of stopping it.
    marker = tmp_path / "sending"
    outcome: list[BaseException | None] = []

    def kill_the_sender(index: int, value: bytes) -> None:
        deadline = time.monotonic() + 60
        while not marker.exists() and time.monotonic() < deadline:
            time.sleep(0.001)
        time.sleep(DELAY)  # into the result's writing
        os.kill(int(marker.read_text()), signal.SIGKILL)

    def run() -> None:
        try:
            in_order(
                _big_result,
                [(0, str(marker)), (1, str(marker))],
                kill_the_sender,
                workers=2,
                initializer=_nothing,
            )
            outcome.append(None)
        except BaseException as error:
            outcome.append(error)

    runner = threading.Thread(target=run, daemon=True)
    runner.start()
    runner.join(120)
    assert not runner.is_alive(), "the run hangs"
    assert isinstance(outcome[0], BrokenProcessPool)
    assert multiprocessing.active_children() == []


@pytest.mark.parametrize("jobs", [0, -1, MAX_JOBS + 1, 10**9, True, 2.0, "2", None])
def test_jobs_out_of_range_or_not_a_number_is_refused(jobs: object) -> None:
    with pytest.raises(UsageError) as refused:
        run_roster([], "2024-03", jobs=jobs)  # type: ignore[arg-type]
    assert [p.location for p in refused.value.problems] == ["jobs"]
    assert f"from 1 to {MAX_JOBS}" in str(refused.value)


def _demo_roster(rows: int) -> list[RosterRecord]:
    """Demo-scheme chiefs hired on distinct days (no repeats; every row paid)."""
    start = date(2000, 1, 1)
    return records_from_workers(
        Worker.model_validate(
            {"id": f"D{i:05d}", "scheme": "demo.community-worker", "post": "正职",
             "hired_on": start + timedelta(days=i), "inputs": {"community_rating": "B"}}
        )
        for i in range(rows)
    )  # fmt: skip


def _children_at_each_report(records: list[RosterRecord], jobs: int) -> tuple[RunResult, list[int]]:
    seen: list[int] = []
    result = run_roster(
        records,
        "2024-03",
        fast=False,
        jobs=jobs,
        progress=lambda done: seen.append(len(multiprocessing.active_children())),
    )
    return result, seen


def test_below_the_threshold_jobs_2_stays_in_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(batch, "POOL_MIN_ROWS", POOL_MIN_ROWS)  # as shipped
    # Rows paid one by one, the threshold less one: no worker ever started; at the threshold
    # the reports come while the workers run. Same result either way.
    records = _demo_roster(POOL_MIN_ROWS)
    serial, _ = _children_at_each_report(records, 1)
    below, seen_below = _children_at_each_report(records[:-1], 2)
    at, seen_at = _children_at_each_report(records, 2)
    assert set(seen_below) == {0}
    assert max(seen_at) == 2
    assert at == serial
    assert len(below.slips) == POOL_MIN_ROWS - 1 and below.slips == serial.slips[:-1]


def test_jobs_1_never_starts_a_worker() -> None:
    _, seen = _children_at_each_report(_demo_roster(50), 1)
    assert set(seen) == {0}


@pytest.mark.parametrize("when", ["first report", "second report"])
def test_a_worker_killed_mid_run_fails_the_run_with_a_paycalc_error(
    method: str, when: str
) -> None:
    # Killed as the out-of-memory killer or an operator would — whatever it was doing,
    # perhaps sending a result back — the run raises a PaycalcError naming the worker
    # process, returns nothing (so nothing half-paid is written), leaves no process or
    # thread behind, and never hangs.
    killed: list[int] = []
    reports: list[int] = []
    threads = threading.active_count()

    def kill_one(done: int) -> None:
        reports.append(done)
        if not killed and len(reports) == (1 if when == "first report" else 2):
            victim = multiprocessing.active_children()[0]
            killed.append(victim.pid or 0)
            os.kill(victim.pid or 0, signal.SIGKILL)

    # 4,000 rows in chunks of 500: the first report comes with most of the rows still to pay.
    with pytest.raises(PaycalcError) as failed:
        run_roster(_demo_roster(4000), "2024-03", fast=False, jobs=2, progress=kill_one)
    assert killed
    assert [p.location for p in failed.value.problems] == ["worker process"]
    assert "ended abruptly" in str(failed.value) and "jobs=1" in str(failed.value)
    assert multiprocessing.active_children() == []
    assert threading.active_count() == threads
    assert not list(Path(tempfile.gettempdir()).glob("paycalc-pool-*"))  # results removed


@pytest.mark.parametrize(
    ("rows", "workers", "expected"),
    [
        # 10 rows, 2 workers: about four chunks each → ceil(10 / 8) = 2 rows a chunk.
        (10, 2, [(0, 2), (2, 4), (4, 6), (6, 8), (8, 10)]),
        # 100,000 rows: 12,500 a chunk would be four each, but at most 2,000.
        (100_000, 2, [(i, i + 2000) for i in range(0, 100_000, 2000)]),
        (1, 2, [(0, 1)]),
        (0, 2, []),
    ],
)
def test_chunk_bounds(rows: int, workers: int, expected: list[tuple[int, int]]) -> None:
    assert chunk_bounds(0, rows, workers, largest=2000) == expected


# -- carrying results back ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Checked:
    value: int
    doubled: int = field(init=False)

    def __post_init__(self) -> None:
        if self.value < 0:
            raise ValueError("negative")
        object.__setattr__(self, "doubled", self.value * 2)


@dataclass(frozen=True, slots=True)
class _Plain:
    name: str
    inner: tuple[_Checked, ...]
    amount: Decimal


@dataclass(frozen=True, slots=True)
class _One:
    only: Decimal


class _Colour(enum.Enum):
    RED = 1


def test_results_are_carried_back_exactly() -> None:
    import pickle

    value = [
        _Plain("甲", (_Checked(2), _Checked(0)), Decimal("1.50")),
        {"k": _Checked(5)},
        _One(Decimal("-0.00")),
        Month(2024, 3),
        date(2024, 2, 29),
        SchemeNotFound,
        complex(1, 2),  # pickled through copyreg's table
    ]
    back = pickle.loads(dumps(value))
    assert back == value
    assert type(back[0]) is _Plain and back[0].inner[0].doubled == 4
    assert str(back[0].amount) == "1.50"  # not 1.5
    assert str(back[2].only) == "-0.00"
    assert back[5] is SchemeNotFound
    # Classes are pickled by name, a class of another metaclass (EnumType) too; members too.
    assert pickle.loads(dumps(date)) is date
    assert pickle.loads(dumps([_Colour, _Colour.RED])) == [_Colour, _Colour.RED]
    assert pickle.loads(dumps(_Colour)) is _Colour


# -- the collector's pause ------------------------------------------------------------------


def test_the_collector_pause_nests_and_restores() -> None:
    assert gc.isenabled()
    with collection_paused():
        assert not gc.isenabled()
        with collection_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with collection_paused():
            pass
        assert not gc.isenabled()  # off before, off after
    finally:
        gc.enable()
