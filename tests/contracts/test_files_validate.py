"""Every bundled and example file validates against its published schema, and files made
wrong (a typo'd key, a missing key, a wrong type, a negative amount) fail it exactly as
``paycalc validate`` fails them."""

from __future__ import annotations

import copy
import csv
import json
import subprocess
import sys
import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from paycalc.contracts import CONTRACT_NAMES, json_schema
from paycalc.contributions import BUNDLED_TABLES_DIR
from tests.conftest import EXAMPLES, ROOT, SCHEMES
from tests.contracts.helpers import as_json, errors, toml_json, validator

SCHEME_FILES = sorted(SCHEMES.rglob("*.toml"))
TABLE_FILES = sorted(Path(BUNDLED_TABLES_DIR).rglob("*.toml"))
WORKER_FILES = sorted((EXAMPLES / "workers").rglob("*.json"))
SLIP_FILES = sorted((EXAMPLES / "slips").rglob("*.json"))
ROSTER_ROWS = [
    (path.name, number, json.loads(line))
    for path in sorted((EXAMPLES / "rosters").glob("*.jsonl"))
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
    if line.strip()
]


def _ids(paths: list[Path]) -> list[str]:
    return [str(path.relative_to(ROOT)) for path in paths]


@pytest.mark.parametrize("name", CONTRACT_NAMES)
def test_each_schema_is_a_valid_2020_12_schema(name: str) -> None:
    schema = json_schema(name)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    validator(name)  # check_schema raises on an invalid schema


def test_the_files_exist() -> None:
    assert len(SCHEME_FILES) >= 10 and len(TABLE_FILES) >= 3
    assert len(WORKER_FILES) >= 19 and len(SLIP_FILES) >= 33 and len(ROSTER_ROWS) >= 5


@pytest.mark.parametrize("path", SCHEME_FILES, ids=_ids(SCHEME_FILES))
def test_bundled_schemes_validate(path: Path) -> None:
    assert errors("scheme", toml_json(path)) == []


@pytest.mark.parametrize("path", TABLE_FILES, ids=_ids(TABLE_FILES))
def test_contribution_tables_validate(path: Path) -> None:
    assert errors("contributions", toml_json(path)) == []


@pytest.mark.parametrize("path", WORKER_FILES, ids=_ids(WORKER_FILES))
def test_example_workers_validate(path: Path) -> None:
    assert errors("worker", json.loads(path.read_text(encoding="utf-8"))) == []


@pytest.mark.parametrize("path", SLIP_FILES, ids=_ids(SLIP_FILES))
def test_example_slips_validate(path: Path) -> None:
    assert errors("slip", json.loads(path.read_text(encoding="utf-8"))) == []


def test_the_example_assumptions_validate() -> None:
    assert errors("assumptions", toml_json(EXAMPLES / "forecast" / "assumptions.toml")) == []


@pytest.mark.parametrize(
    ("file", "row", "data"), ROSTER_ROWS, ids=[f"{f}:{n}" for f, n, _ in ROSTER_ROWS]
)
def test_example_roster_rows_validate(file: str, row: int, data: dict[str, Any]) -> None:
    assert errors("roster-row", data) == []


@pytest.mark.parametrize("name", ["demo.csv", "demo-gbk.csv"])
def test_csv_roster_rows_validate_as_text(name: str) -> None:
    raw = (EXAMPLES / "rosters" / name).read_bytes()
    text = raw.decode("utf-8") if name == "demo.csv" else raw.decode("gbk")
    for row in csv.DictReader(text.splitlines()):
        assert errors("roster-row", row) == [], row


# --- made wrong: the schema and `paycalc validate` both refuse ------------------------------


def paycalc_validate(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "paycalc", "validate", str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )


def _set(data: Any, path: tuple[Any, ...], value: Any) -> Any:
    data = copy.deepcopy(data)
    target = data
    for key in path[:-1]:
        target = target[key]
    if value is _DELETE:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return data


_DELETE = object()

WORKER = json.loads(
    (EXAMPLES / "workers" / "demo.community-worker" / "chief.json").read_text("utf-8")
)
WORKER_MUTATIONS = {
    "typo key": (("educaton",), "本科"),
    "missing hired_on": (("hired_on",), _DELETE),
    "grade as text": (("grade",), "7"),
    "date as a number": (("hired_on",), 20120315),
    "impossible date": (("hired_on",), "2012-02-30"),
    "money out of range": (("contribution_base",), 10**12),
    "money with a decimal comma": (("contribution_base",), "5.320,00"),
    "money in exponent form": (("contribution_base",), "1e3"),
    "date before 1950": (("hired_on",), "1949-12-31"),
    "appraisal year after 2100": (("appraisals", "2101"), "称职"),
    "degree without its start": (("tax",), {"continuing_education_degree": True}),
    "money that is not a number": (("contribution_base",), "五千"),
    "unknown education": (("education",), "小学"),
    "unknown appraisal": (("appraisals", "2021"), "很好"),
    "yes as text": (("in_establishment",), "yes"),
    "blank id": (("id",), "  "),
    "qualification without date": (("qualifications", 0, "obtained_on"), _DELETE),
}


# Money as a worker file may write it: each form the reader takes passes both the schema
# and `paycalc validate` (a JSON fraction is an exact decimal, not a binary float).
MONEY_FORMS = [
    5320.5,
    5320,
    "5320.50",
    "5,320.50",
    "¥5,320.50",
    "￥5320.5",
    "5320.50元",
    "５３２０．５０",
]


@pytest.mark.parametrize("money", MONEY_FORMS, ids=str)
def test_money_as_a_worker_file_writes_it_passes_both(money: object, tmp_path: Path) -> None:
    right = _set(WORKER, ("contribution_base",), money)
    assert errors("worker", right) == []
    path = tmp_path / "worker.json"
    path.write_text(json.dumps(right, ensure_ascii=False), encoding="utf-8")
    checked = paycalc_validate(path)
    assert checked.returncode == 0, checked.stdout


@pytest.mark.parametrize("mutation", WORKER_MUTATIONS)
def test_a_wrong_worker_fails_the_schema_and_paycalc_validate(
    mutation: str, tmp_path: Path
) -> None:
    key, value = WORKER_MUTATIONS[mutation]
    wrong = _set(WORKER, key, value)
    assert errors("worker", wrong)
    path = tmp_path / "worker.json"
    path.write_text(json.dumps(wrong, ensure_ascii=False), encoding="utf-8")
    checked = paycalc_validate(path)
    assert checked.returncode == 1, checked.stdout


DEMO = SCHEMES / "demo" / "community-worker" / "2023-01.toml"
SCHEME_DATA = tomllib.loads(DEMO.read_text(encoding="utf-8"), parse_float=Decimal)
SCHEME_MUTATIONS = {
    "typo in status": (("scheme", "status"), "offical"),
    "typo'd key": (("components", 0, "ammount"), 5),
    "negative amount": (("components", 0, "amounts", "chief"), -2800),
    "missing title": (("scheme", "title"), _DELETE),
    "unknown kind": (("components", 0, "kind"), "by_mood"),
    "unknown rounding": (("scheme", "rounding"), "ROUND_NICELY"),
    "bad family id": (("scheme", "id"), "Demo Scheme"),
}


def _toml(value: Any, key: str = "") -> str:
    """Just enough TOML writing for the mutated demo scheme (tables, arrays of tables)."""
    import io

    out = io.StringIO()

    def scalar(item: Any) -> str:
        if isinstance(item, bool):
            return "true" if item else "false"
        if isinstance(item, str):
            return json.dumps(item, ensure_ascii=False)
        if isinstance(item, list):
            return "[" + ", ".join(scalar(i) for i in item) + "]"
        if isinstance(item, dict):
            return (
                "{"
                + ", ".join(
                    f"{json.dumps(str(k), ensure_ascii=False)} = {scalar(v)}"
                    for k, v in item.items()
                )
                + "}"
            )
        return str(item)

    def table(data: dict[str, Any], prefix: str) -> None:
        tables = {}
        for name, item in data.items():
            quoted = json.dumps(str(name), ensure_ascii=False)
            if isinstance(item, dict) or (
                isinstance(item, list) and item and all(isinstance(i, dict) for i in item)
            ):
                tables[quoted] = item
            else:
                out.write(f"{quoted} = {scalar(item)}\n")
        for quoted, item in tables.items():
            name = f"{prefix}.{quoted}" if prefix else quoted
            if isinstance(item, dict):
                out.write(f"\n[{name}]\n")
                table(item, name)
            else:
                for element in item:
                    out.write(f"\n[[{name}]]\n")
                    table(element, name)

    table(value, key)
    return out.getvalue()


def test_the_toml_writer_round_trips() -> None:
    assert tomllib.loads(_toml(SCHEME_DATA), parse_float=Decimal) == SCHEME_DATA


@pytest.mark.parametrize("mutation", SCHEME_MUTATIONS)
def test_a_wrong_scheme_fails_the_schema_and_paycalc_validate(
    mutation: str, tmp_path: Path
) -> None:
    key, value = SCHEME_MUTATIONS[mutation]
    wrong = _set(SCHEME_DATA, key, value)
    assert errors("scheme", as_json(wrong))
    path = tmp_path / "scheme.toml"
    path.write_text(_toml(wrong), encoding="utf-8")
    checked = paycalc_validate(path)
    assert checked.returncode == 1, checked.stdout


TABLE = TABLE_FILES[0]
TABLE_DATA = tomllib.loads(TABLE.read_text(encoding="utf-8"), parse_float=Decimal)
TABLE_MUTATIONS = {
    "rate above 1": (("items", 0, "employee_rate"), 8),
    "unknown item": (("items", 0, "code"), "pension_plus"),
    "typo'd key": (("base", "flor"), 1),
    "missing source": (("source",), _DELETE),
    "rate as text": (("items", 0, "employer_rate"), "0.16"),
}


@pytest.mark.parametrize("mutation", TABLE_MUTATIONS)
def test_a_wrong_table_fails_the_schema_and_paycalc_validate(mutation: str, tmp_path: Path) -> None:
    key, value = TABLE_MUTATIONS[mutation]
    wrong = _set(TABLE_DATA, key, value)
    assert errors("contributions", as_json(wrong))
    path = tmp_path / "table.toml"
    path.write_text(_toml(wrong), encoding="utf-8")
    checked = paycalc_validate(path)
    assert checked.returncode == 1, checked.stdout


SLIP = json.loads(SLIP_FILES[0].read_text(encoding="utf-8"))
SLIP_MUTATIONS = {
    "amount as a number": (("gross",), 5667),
    "unknown category": (("lines", 0, "category"), "bonus"),
    "other contract": (("contract",), "paycalc.slip/2"),
    "missing net": (("net",), _DELETE),
}


@pytest.mark.parametrize("mutation", SLIP_MUTATIONS)
def test_a_wrong_slip_fails_the_schema_and_paycalc_validate(mutation: str, tmp_path: Path) -> None:
    key, value = SLIP_MUTATIONS[mutation]
    wrong = _set(SLIP, key, value)
    assert errors("slip", wrong)
    path = tmp_path / "slip.json"
    path.write_text(json.dumps(wrong, ensure_ascii=False), encoding="utf-8")
    checked = paycalc_validate(path)
    assert checked.returncode == 1, checked.stdout
