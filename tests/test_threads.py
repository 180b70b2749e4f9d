"""The library from several threads at once: every slip equals the one computed alone.

Eight threads each build their own registry from the same texts (cached by hash: shared
versions) and pay every example worker for several months, concurrently with the others.
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

import paycalc
from tests.conftest import EXAMPLES, SCHEMES

WORKERS = sorted((EXAMPLES / "workers").rglob("*.json"))
MONTHS = ["2020-06", "2022-01", "2024-01", "2024-03", "2024-07", "2024-12"]
TEXTS = {str(path): path.read_bytes() for path in sorted(SCHEMES.rglob("*.toml"))}


def _pay(_: int) -> dict[tuple[str, str], str]:
    schemes = paycalc.registry_from_texts(TEXTS)
    out = {}
    for path in WORKERS:
        worker = paycalc.load_worker(path)
        for month in MONTHS:
            try:
                out[(path.name + worker.id, month)] = paycalc.payslip(
                    worker, month, schemes=schemes
                ).to_json()
            except paycalc.PaycalcError as error:
                out[(path.name + worker.id, month)] = json.dumps(
                    [p.to_dict() for p in error.problems]
                )
    return out


def test_slips_from_eight_threads_equal_the_slips_computed_alone() -> None:
    alone = _pay(0)
    assert (
        sum('"contract"' in text for text in alone.values()) >= 40
    )  # real slips, not only refusals
    with ThreadPoolExecutor(max_workers=8) as pool:
        together = list(pool.map(_pay, range(8)))
    assert all(result == alone for result in together)
