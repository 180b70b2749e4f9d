"""Hostile worker files: each is refused naming the file and key, or read exactly.

A case's ``data``: ``content`` (the file's bytes, or a function giving them, or ``None`` for
a path that is no file); or ``api`` (a mapping given to :func:`paycalc.parse_worker`);
``problems``: ``(location, fragment)`` of every problem, in order; ``check``: a function of
the worker read.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from paycalc.errors import WorkerError
from paycalc.worker import Worker, load_worker, parse_worker
from tests.hostile.catalogue import Hostile, cases

TODAY = date(2025, 6, 1)
BASE = '{"id": "W1", "post": "正职", "hired_on": "2012-03-15"%s}'


def worker_json(extra: str) -> bytes:
    return (BASE % extra).encode()


WORKERS = [
    Hostile(
        "duplicate-top-level-key",
        '"post" given twice (the second silently won): refused naming the key',
        "error",
        {
            "content": worker_json(', "post": "委员"'),
            "problems": [("", "the key 'post' is given twice")],
        },
    ),
    Hostile(
        "duplicate-appraisal-year",
        'appraisals {"2023": ..., "2023": ...}: refused naming the key',
        "error",
        {
            "content": worker_json(', "appraisals": {"2023": "优秀", "2023": "不称职"}'),
            "problems": [("", "the key '2023' is given twice")],
        },
    ),
    Hostile(
        "duplicate-tax-key",
        "a tax declaration key twice: refused",
        "error",
        {
            "content": worker_json(', "tax": {"infants": 1, "infants": 2}'),
            "problems": [("", "the key 'infants' is given twice")],
        },
    ),
    Hostile(
        "nan-amount",
        "NaN as a contribution base (Python's json reads it): refused",
        "error",
        {
            "content": worker_json(', "contribution_base": NaN'),
            "problems": [("", "NaN is not a number")],
        },
    ),
    Hostile(
        "infinity-amount",
        "Infinity as an amount: refused",
        "error",
        {
            "content": worker_json(', "tax": {"elderly_share": Infinity}'),
            "problems": [("", "Infinity is not a number")],
        },
    ),
    Hostile(
        "exponent-beyond-decimal",
        "a contribution base of 1e9999999999999999999 (Decimal cannot hold it; InvalidOperation "
        "escaped the JSON reader before, found by fuzzing): refused",
        "error",
        {
            "content": worker_json(', "contribution_base": 1e9999999999999999999'),
            "problems": [("", "the number '1e9999999999999999999' is out of range")],
        },
    ),
    Hostile(
        "long-appraisal-year",
        "an appraisal keyed by 5,000 characters (quoted whole in the message before): refused, "
        "shown cut",
        "error",
        {
            "content": worker_json(', "appraisals": {"' + "x" * 5_000 + '": "优秀"}'),
            "problems": [("appraisals", "must be written as 2023, got 'xxxx")],
        },
    ),
    Hostile(
        "long-hire-date",
        "hired_on of 5,000 characters (main's date check quoted it whole; met while merging): "
        "refused, shown cut",
        "error",
        {
            "content": (BASE.replace('"2012-03-15"', '"' + "x" * 5_000 + '"') % "").encode(),
            # the repr cut to 50 characters: the quote and 49 x, then the length
            "problems": [
                ("hired_on", "got '" + "x" * 49 + "… (5,000 characters)"),
            ],
        },
    ),
    Hostile(
        "amount-1e400",
        "a contribution base of 1e400 (InvalidOperation later): refused at its key",
        "error",
        {
            "content": worker_json(', "contribution_base": 1e400'),
            "problems": [("contribution_base", "out of range")],
        },
    ),
    Hostile(
        "amount-1e30-text",
        'a contribution base of "1e30": refused at its key',
        "error",
        {
            "content": worker_json(', "contribution_base": "1e30"'),
            "problems": [("contribution_base", "exponent form")],
        },
    ),
    Hostile(
        "amount-european-text",
        '"5.320,00" (read as 5.32 before): refused at its key',
        "error",
        {
            "content": worker_json(', "contribution_base": "5.320,00"'),
            "problems": [("contribution_base", "decimal comma")],
        },
    ),
    Hostile(
        "amount-yuan-text",
        '"¥5,320.00": read as 5320.00',
        "amount",
        {
            "content": worker_json(', "contribution_base": "¥5,320.00"'),
            "check": lambda w: w.contribution_base == Decimal("5320.00"),
        },
    ),
    Hostile(
        "child-share-half",
        '"child_share": 0.5 as docs/worker-format.md writes it (refused before): exactly 0.5',
        "amount",
        {
            "content": worker_json(', "tax": {"children_in_education": 1, "child_share": 0.5}'),
            "check": lambda w: (
                w.tax.child_share == Decimal("0.5") and isinstance(w.tax.child_share, Decimal)
            ),
        },
    ),
    Hostile(
        "json-number-amount",
        "a contribution base written 5320.10 (a JSON number): exactly 5320.10, not a float",
        "amount",
        {
            "content": worker_json(', "contribution_base": 5320.10'),
            "check": lambda w: w.contribution_base == Decimal("5320.10"),
        },
    ),
    Hostile(
        "api-float-refused",
        "a Python float given through the API: still refused (0.1 + 0.2 is not money)",
        "error",
        {
            "api": {"id": "W1", "post": "正职", "hired_on": "2012-03-15", "contribution_base": 0.1},
            "problems": [("contribution_base", "floats are not accepted")],
        },
    ),
    Hostile(
        "api-1e30-decimal",
        "Decimal('1E+30') given through the API: refused at its key",
        "error",
        {
            "api": {
                "id": "W1",
                "post": "正职",
                "hired_on": "2012-03-15",
                "tax": {"elderly_share": Decimal("1E+30")},
            },
            "problems": [("tax.elderly_share", "out of range")],
        },
    ),
    Hostile(
        "deep-nesting",
        "a value nested 100,000 deep (RecursionError before): refused",
        "error",
        {
            "content": worker_json(', "x": ' + "[" * 100_000 + "]" * 100_000),
            "problems": [("", "nested deeper than 20 levels")],
        },
    ),
    Hostile(
        "nesting-just-too-deep",
        "21 levels of nesting: refused",
        "error",
        {
            "content": worker_json(', "x": ' + "[" * 20 + "]" * 20),
            "problems": [("", "nested deeper than 20 levels")],
        },
    ),
    Hostile(
        "giant-integer",
        "a 5,000-digit grade (Python's int() limit): refused",
        "error",
        {
            "content": worker_json(', "grade": ' + "9" * 5000),
            "problems": [("", "a whole number of 5000 digits")],
        },
    ),
    Hostile(
        "grade-written-as-8.0",
        "grade 8.0: read as 8",
        "kept",
        {"content": worker_json(', "grade": 8.0'), "check": lambda w: w.grade == 8},
    ),
    Hostile(
        "grade-8.5",
        "grade 8.5: refused at its key",
        "error",
        {"content": worker_json(', "grade": 8.5'), "problems": [("grade", "fractional part")]},
    ),
    Hostile(
        "file-too-big",
        "a 2 MB worker file: refused before it is parsed",
        "error",
        {
            "content": lambda: worker_json(', "name": "' + "x" * 2_000_000 + '"'),
            "problems": [("", "larger than 1,048,576 bytes")],
        },
    ),
    Hostile(
        "utf16-file",
        "a worker file saved as UTF-16: refused saying to save as UTF-8",
        "error",
        {
            "content": (BASE % "").encode("utf-16"),
            "problems": [("line 1", "not UTF-8")],
        },
    ),
    Hostile(
        "gbk-file",
        "a worker file saved as GBK: refused naming the line",
        "error",
        {
            "content": '{"id": "W1",\n"post": "正职", "hired_on": "2012-03-15"}'.encode("gbk"),
            "problems": [("line 2", "not UTF-8")],
        },
    ),
    Hostile(
        "utf8-bom",
        "a UTF-8 file with a BOM (Notepad writes one): read",
        "kept",
        {"content": b"\xef\xbb\xbf" + worker_json(""), "check": lambda w: w.post == "正职"},
    ),
    Hostile(
        "json-array",
        "a JSON list instead of one worker: refused",
        "error",
        {"content": b"[1, 2]", "problems": [("", "expected a JSON object")]},
    ),
    Hostile(
        "empty-file",
        "an empty file: refused",
        "error",
        {"content": b"", "problems": [("", "not valid JSON")]},
    ),
    Hostile(
        "trailing-garbage",
        "a second object after the first: refused",
        "error",
        {"content": worker_json("") + b"{}", "problems": [("", "not valid JSON (Extra data")]},
    ),
    Hostile(
        "missing-file",
        "a path to no file: refused naming it",
        "error",
        {"content": None, "problems": [("", "cannot read file")]},
    ),
]


def _read(case: Hostile, tmp_path: Path) -> tuple[Worker | None, WorkerError | None, str]:
    data: dict[str, Any] = case.data
    if "api" in data:
        source = "<worker>"
        call: Callable[[], Worker] = lambda: parse_worker(data["api"], today=TODAY)  # noqa: E731
    else:
        path = tmp_path / "worker.json"
        content = data["content"]
        if content is not None:
            path.write_bytes(content() if callable(content) else content)
        source = str(path)
        call = lambda: load_worker(path, today=TODAY)  # noqa: E731
    try:
        return call(), None, source
    except WorkerError as error:
        return None, error, source


@pytest.mark.parametrize("case", cases(*WORKERS))
def test_hostile_worker(case: Hostile, tmp_path: Path) -> None:
    worker, error, source = _read(case, tmp_path)
    if case.outcome == "error":
        assert error is not None and worker is None
        expected = case.data["problems"]
        assert [p.location for p in error.problems] == [loc for loc, _ in expected]
        for problem, (_, fragment) in zip(error.problems, expected, strict=True):
            assert fragment in problem.message, (problem.message, fragment)
            assert problem.source == source
            assert len(problem.message) < 400
    else:
        assert error is None and worker is not None, error
        assert case.data["check"](worker) is True
