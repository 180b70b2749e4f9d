"""Schemes from text, from data and from a loader (a real sqlite3 database), cached by
content hash; their versions equal the files' versions, figure for figure and hash for hash."""

from __future__ import annotations

import hashlib
import sqlite3
import tomllib
from decimal import Decimal
from pathlib import Path

import pytest

import paycalc
from paycalc.scheme import (
    registry_from_dicts,
    registry_from_loader,
    registry_from_texts,
    scheme_from_dict,
    scheme_from_text,
)
from tests.conftest import EXAMPLES, SCHEMES

DEMO = sorted((SCHEMES / "demo").rglob("*.toml"))
CHIEF = paycalc.load_worker(EXAMPLES / "workers" / "demo.community-worker" / "chief.json")


def test_a_text_is_the_file_it_came_from() -> None:
    raw = DEMO[0].read_bytes()
    version = scheme_from_text(raw.decode("utf-8"), source="db:demo")
    assert (
        version.sha256
        == hashlib.sha256(raw).hexdigest()
        == paycalc.load_scheme_file(DEMO[0]).sha256
    )
    assert version.path == "db:demo"


def test_the_same_text_is_parsed_once() -> None:
    text = DEMO[0].read_text(encoding="utf-8")
    first = scheme_from_text(text, source="cache test")
    assert scheme_from_text(text.encode("utf-8"), source="cache test") is first
    assert scheme_from_text(text + "\n", source="cache test") is not first  # other bytes


def test_a_sqlite_database_as_the_source(tmp_path: Path) -> None:
    database = sqlite3.connect(tmp_path / "hr.db")
    database.execute("CREATE TABLE schemes (name TEXT, body BLOB)")
    database.executemany(
        "INSERT INTO schemes VALUES (?, ?)", [(path.name, path.read_bytes()) for path in DEMO]
    )
    database.commit()
    schemes = registry_from_loader(lambda: database.execute("SELECT name, body FROM schemes"))
    from_files = paycalc.load_schemes(SCHEMES / "demo")
    for month in ("2024-03", "2024-07"):
        assert (
            paycalc.payslip(CHIEF, month, schemes=schemes).to_dict()
            == paycalc.payslip(CHIEF, month, schemes=from_files).to_dict()
        )


def test_every_problem_of_every_text_is_named_by_its_source() -> None:
    good = DEMO[0].read_text(encoding="utf-8")
    with pytest.raises(paycalc.SchemeError) as raised:
        registry_from_texts(
            {
                "a": good,
                "b": "[scheme\n",
                "c": good.replace('status = "illustrative"', 'status = "offical"'),
            }
        )
    sources = [problem.source for problem in raised.value.problems]
    assert sources == ["b", "c"]
    assert raised.value.problems[0].location == "line 1"


def test_numbered_texts_and_two_versions_of_one_day() -> None:
    text = DEMO[0].read_text(encoding="utf-8")
    assert registry_from_texts([text]).families == ["demo.community-worker"]
    with pytest.raises(paycalc.SchemeError, match="also defined"):
        registry_from_texts([text, text.replace("# ", "#  ", 1)])


def test_data_already_parsed() -> None:
    data = tomllib.loads(DEMO[0].read_text(encoding="utf-8"), parse_float=Decimal)
    version = scheme_from_dict(data)
    assert scheme_from_dict(dict(data)).sha256 == version.sha256  # equal data, equal hash
    changed = {**data, "scheme": {**data["scheme"], "note": "changed"}}
    assert scheme_from_dict(changed).sha256 != version.sha256
    slip = paycalc.payslip(CHIEF, "2024-03", schemes=registry_from_dicts([data]))
    assert slip.gross == Decimal("5667.00")  # the README's hand-checked figure
    with pytest.raises(paycalc.SchemeError) as raised:
        registry_from_dicts({"form": {**data, "posts": {}}})
    assert raised.value.problems[0].source == "form"
