"""docs/reliability.md stays true: its catalogue counts and its limits are the code's."""

from __future__ import annotations

import re
import subprocess
import sys

from paycalc import limits
from paycalc.money import AMOUNT_RANGE
from paycalc.period import EARLIEST_DATE, LATEST_DATE
from tests.conftest import ROOT

PAGE = (ROOT / "docs" / "reliability.md").read_text(encoding="utf-8")


def _between(name: str) -> str:
    found = re.search(rf"<!-- {name}:begin -->\n(.*?)<!-- {name}:end -->", PAGE, re.S)
    assert found is not None, f"docs/reliability.md has no {name} markers"
    return found.group(1)


def test_the_catalogue_counts_are_the_catalogues() -> None:
    printed = subprocess.run(
        [sys.executable, "-m", "tests.hostile.catalogue"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert _between("catalogue") == printed, "run python -m tests.hostile.catalogue"


def test_the_catalogue_is_at_least_the_size_the_issue_asked_for() -> None:
    total = re.search(r"\| \*\*all\*\* \|.*\| (\d+) \|\n$", _between("catalogue"))
    assert total is not None and int(total.group(1)) >= 120


def _mib(size: int) -> str:
    return f"{size // 2**30} GiB" if size % 2**30 == 0 else f"{size // 2**20} MiB"


def test_the_limits_are_the_codes() -> None:
    rows = dict(re.findall(r"^\| (.+?) \| (.+?) \|$", _between("limits"), re.M))
    assert rows["a roster file"] == _mib(limits.MAX_FILE_BYTES)
    assert rows["a worker JSON file"] == _mib(limits.MAX_WORKER_FILE_BYTES)
    assert rows["characters in one cell"] == f"{limits.MAX_CELL_CHARS:,}"
    assert rows["columns in a roster"] == f"{limits.MAX_COLUMNS:,}"
    assert rows["data rows in one roster"] == f"{limits.MAX_ROWS:,}"
    assert rows["a roster file read by a forecast"] == _mib(limits.MAX_FORECAST_FILE_BYTES)
    assert rows["data rows in one roster read by a forecast"] == f"{limits.MAX_FORECAST_ROWS:,}"
    assert rows["characters in one JSONL line"] == f"{limits.MAX_JSONL_LINE_CHARS:,}"
    assert rows["JSON nesting"] == str(limits.MAX_JSON_DEPTH)
    assert rows["errors listed for one row"].startswith(f"{limits.MAX_ERRORS_PER_ROW} ")
    assert rows["XLSX parts / uncompressed size / one part"] == (
        f"{limits.MAX_XLSX_PARTS:,} / {_mib(limits.MAX_XLSX_UNCOMPRESSED_BYTES)}"
        f" / {_mib(limits.MAX_XLSX_PART_BYTES)}"
    )
    assert rows["XLSX cells stored"] == f"{limits.MAX_XLSX_CELLS:,}"
    assert AMOUNT_RANGE.below == 10**12 and AMOUNT_RANGE.places == 20
    assert rows["money"] == "below 10¹² in magnitude, at most 20 decimal places"
    assert rows["dates"] == f"{EARLIEST_DATE} to {LATEST_DATE}"


def test_the_error_table_names_every_error() -> None:
    import paycalc.errors as errors

    named = set(re.findall(r"^\| `(\w+)` \|", PAGE, re.M))
    classes = {
        name
        for name in errors.__all__
        if isinstance(getattr(errors, name), type)
        and issubclass(getattr(errors, name), errors.PaycalcError)
        and name != "PaycalcError"
    }
    assert named == classes
