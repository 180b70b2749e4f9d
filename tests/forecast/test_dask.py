"""Forecasts on a real Dask cluster equal the single-process forecast to the fen.

A scheduler and two worker processes are started here (``dask scheduler`` and
``dask worker`` on loopback), as a ministry would run them on its own machines.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from paycalc.forecasting import forecast, parse_assumptions
from paycalc.reforms import load_reform
from tests.conftest import EXAMPLES

pytest.importorskip("distributed")

DEMO = EXAMPLES / "rosters" / "demo.csv"
ASSUMPTIONS = {
    "seed": 5,
    "attrition": {"annual_rate": {"low": Decimal("0.1"), "high": Decimal("0.5")}},
    "appraisals": {"distribution": {"优秀": Decimal("0.3"), "称职": Decimal("0.7")}},
    "hiring": {"per_month": 2, "template": {"scheme": "demo.community-worker",
                                             "post": "专职委员", "inputs": {"community_rating": "B"}}},
    "promotions": [{"from": "专职委员", "to": "副职", "annual_rate": Decimal("0.5")}],
}  # fmt: skip


def _dask_command() -> list[str]:
    found = Path(sys.executable).parent / "dask"
    return [str(found)] if found.exists() else [shutil.which("dask") or "dask"]


def _address(file: Path, deadline: float) -> str:
    """The scheduler's address, once its file is written whole."""
    while time.monotonic() < deadline:
        try:
            found: str = json.loads(file.read_text())["address"]
            return found
        except (OSError, ValueError, KeyError):
            time.sleep(0.2)
    raise TimeoutError(f"the scheduler wrote no address to {file}")


@pytest.fixture(scope="module")
def scheduler(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("dask")
    file = folder / "scheduler.json"
    command = _dask_command()
    processes = [
        subprocess.Popen(
            [*command, "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
             "--scheduler-file", str(file)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
    ]  # fmt: skip
    try:
        address = _address(file, time.monotonic() + 120)
        processes.append(
            subprocess.Popen(
                [*command, "worker", "--scheduler-file", str(file), "--nworkers", "2",
                 "--nthreads", "1", "--no-dashboard", "--host", "127.0.0.1"],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )
        )  # fmt: skip
        from distributed import Client

        with Client(address, timeout="30s") as client:
            client.wait_for_workers(2, timeout=120)
        yield address
    finally:
        for process in reversed(processes):
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def test_a_scheduler_and_two_workers_give_the_single_process_result(
    scheduler: str, tmp_path: Path
) -> None:
    assumptions = parse_assumptions(ASSUMPTIONS)
    reform = load_reform(EXAMPLES / "reforms" / "kunming-raise-3.toml")
    roster = tmp_path / "roster.csv"  # one row with a post no version knows: refused
    roster.write_text(DEMO.read_text(encoding="utf-8").replace(",专职委员,", ",馆长,", 1),
                      encoding="utf-8")  # fmt: skip
    options = {"replications": 4, "block_size": 2, "by": "街道", "reforms": {"raise3": reform}}
    here = forecast(roster, "2024-11", 15, assumptions, **options)  # type: ignore[arg-type]
    there = forecast(roster, "2024-11", 15, assumptions, dask=scheduler, **options)  # type: ignore[arg-type]
    assert here.blocks == 3  # 5 workers in blocks of 2 rows: the blocks really are split
    assert there.rows == here.rows
    assert there.errors == here.errors
    assert here.errors and all("unknown post '馆长'" in e.reason for e in here.errors)
    assert there.worker_months == here.worker_months


def test_a_local_cluster_gives_the_single_process_result() -> None:
    assumptions = parse_assumptions(ASSUMPTIONS)
    here = forecast(DEMO, "2024-11", 6, assumptions, replications=3, block_size=2)
    there = forecast(DEMO, "2024-11", 6, assumptions, replications=3, block_size=2, dask="local")
    assert there.rows == here.rows


def test_an_unreachable_scheduler_is_a_usage_error() -> None:
    from paycalc import UsageError

    with pytest.raises(UsageError) as caught:
        forecast(DEMO, "2024-11", 1, dask="tcp://127.0.0.1:9")
    assert caught.value.problems[0].location == "--dask"
