"""benchmarks/pool.py runs, end to end, on a small roster (its speed is never checked here).

Its first round compares every variant's result with the serial run's and exits when one
differs, so a run that returns 0 has also checked pooled == serial on that roster.
"""

from __future__ import annotations

import json

import pytest

from benchmarks import pool
from paycalc import batch


@pytest.mark.parametrize("roster", ["kunming", "demo"])
def test_the_pool_benchmark_runs_and_reports_every_variant(
    roster: str, capsys: pytest.CaptureFixture[str]
) -> None:
    shipped = batch.POOL_MIN_ROWS
    # 300 rows, every one paid one by one (--itemised), the pool forced from one row on.
    argv = ["--roster", roster, "--rows", "300", "--rounds", "1", "--gc", "--itemised",
            "--pool-min-rows", "1"]  # fmt: skip
    assert pool.main(argv) == 0
    assert shipped == batch.POOL_MIN_ROWS  # put back
    (run,) = json.loads(capsys.readouterr().out)["runs"]
    assert run["rows"] == 300 and run["rows_paid_one_by_one"] == 300
    assert set(run["variants"]) == {"serial", "pooled-2", "serial-gc-on", "pooled-2-gc-on"}
    # The pool ran: its workers used CPU; the serial run started none.
    assert run["variants"]["pooled-2"]["workers_cpu_s"][0] > 0
    assert run["variants"]["serial"]["workers_cpu_s"] == [0.0, 0.0]
