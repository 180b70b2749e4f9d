"""How an HR team guards its own scheme edit: `pytest examples/test_my_scheme_change.py`.

Point OLD and NEW at your files; hypothesis then hunts for a worker who would lose pay.
"""

from pathlib import Path

from hypothesis import given

from paycalc import Month, load_scheme_file
from paycalc.testing import assert_no_loss, workers

SCHEMES = Path(__file__).resolve().parents[1] / "schemes" / "jiaocheng" / "community-worker"
OLD, NEW = load_scheme_file(SCHEMES / "2010-01.toml"), load_scheme_file(SCHEMES / "2020-01.toml")


@given(workers(OLD, month=Month(2020, 6)))
def test_nobody_loses_pay(worker):  # type: ignore[no-untyped-def]
    assert_no_loss(OLD, NEW, worker, Month(2020, 6))
