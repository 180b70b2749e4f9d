"""The fuzz targets: each reads one input as paycalc would and checks the error contract.

The property of every target: **nothing escapes paycalc except a** ``PaycalcError`` **that
has** ``.problems`` (each a ``Problem`` with a message), and what paycalc returns is sound
(a roster accounts for every row; a slip's lines add up to its totals). Anything else is a
bug: :class:`Finding` reports it.

This module does not import atheris: the tests replay every seed and every recorded
regression input through :data:`TARGETS` without it (``tests/test_fuzz.py``);
``fuzz/run.py`` drives a target under atheris (coverage-guided). Inputs are bytes; the
structure-aware targets (``scheme_tree``, ``worker``, ``slip``) read them as JSON, and
:func:`mutate_json` changes them as trees (replace, delete, add, rename, splice a value),
so most mutants still parse and reach the checks behind the parser.
"""

from __future__ import annotations

import copy
import decimal
import functools
import io
import json
import random
import re
import sys
import tempfile
import tomllib
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import paycalc
from paycalc import PaycalcError, Problem
from paycalc.limits import MAX_SHOWN_CHARS, MAX_TOML_DEPTH
from paycalc.scheme import parse_scheme

__all__ = [
    "COHORT_BY",
    "COHORT_FORMATS",
    "ROOT",
    "TARGETS",
    "XLSX_MEMBERS",
    "XLSX_WHOLE",
    "Finding",
    "Target",
    "cohort_options",
    "mutate_json",
    "to_json",
    "xlsx_template",
]

ROOT = Path(__file__).resolve().parents[1]
#: the date records are checked against (results dated after it are refused)
TODAY = date(2025, 6, 1)


class Finding(AssertionError):
    """A broken property: paycalc let something other than a PaycalcError escape, or
    returned something unsound."""


#: a message or a location longer than this repeats the input instead of pointing at it
LONGEST_MESSAGE = 2000
#: a key path as deep as a file may nest, each key cut to a short length
LONGEST_LOCATION = MAX_TOML_DEPTH * (MAX_SHOWN_CHARS + 10)


def check_problems(problems: Any) -> None:
    """Every problem says what is wrong, briefly: never an echo of a whole input."""
    if not problems or not all(isinstance(p, Problem) for p in problems):
        raise Finding(f"no problems, or not Problems: {problems!r}")
    for problem in problems:
        if not isinstance(problem.message, str) or not problem.message.strip():
            raise Finding(f"an empty message: {problem!r}")
        if len(problem.message) > LONGEST_MESSAGE or len(problem.location) > LONGEST_LOCATION:
            raise Finding(
                f"an overlong message or location: {problem.location[:80]}: {problem.message[:200]}"
            )


def expect_error_tree(call: Callable[[], Any]) -> Any:
    """``call()``'s result, or None when it raised a sound ``PaycalcError``."""
    try:
        return call()
    except PaycalcError as error:
        check_problems(getattr(error, "problems", None))
        return None


_scratch = Path(tempfile.mkdtemp(prefix="paycalc-fuzz-"))


def _as_file(data: bytes, name: str) -> Path:
    path = _scratch / name
    path.write_bytes(data)
    return path


# --- JSON trees ------------------------------------------------------------------------

_RAW = "\x00raw:"  # marks a number to write unquoted (json.dumps cannot write a Decimal)


def _encodable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _encodable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_encodable(v) for v in value]
    if isinstance(value, Decimal):
        return _RAW + str(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def to_json(value: Any) -> bytes:
    """JSON text of a tree of dicts, lists, Decimals (written as numbers), dates (as text)."""
    text = json.dumps(_encodable(value), ensure_ascii=False)
    return re.sub(r'"\\u0000raw:([^"]*)"', r"\1", text).encode()


def from_json(data: bytes) -> Any:
    """The tree of a JSON input: fractions, ``NaN`` and ``Infinity`` as Decimals (as a TOML
    file read with ``parse_float=Decimal`` gives them); ValueError when it is not JSON."""
    try:
        return json.loads(data.decode("utf-8"), parse_float=Decimal, parse_constant=Decimal)
    except decimal.InvalidOperation:  # 1e9999999999999999999: Decimal cannot hold it
        raise ValueError("a number beyond Decimal") from None


def _words() -> list[Any]:
    """Keys and values paycalc knows (from the bundled schemes and examples), and traps."""
    found: set[str] = set()

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                found.add(str(key))
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, str) and len(value) < 40:
            found.add(value)

    for tree in _scheme_trees():
        walk(tree)
    for path in sorted((ROOT / "examples" / "workers").rglob("*.json")):
        walk(json.loads(path.read_text(encoding="utf-8")))
    traps: list[Any] = [
        "",
        " ",
        "*",
        "gross",
        "13",
        "013",
        "+13",
        "13.0",
        "1_3",
        "²",
        "１３",
        "-1",
        "0",
        "\u202e",
        "\x00",
        "x" * 300,
        "9" * 5000,
        "2024-02-30",
        "1949-12-31",
        "2101-01-01",
        "2024-03-01",
        "2024-13",
        "1e30",
        "NaN",
        "¥5,320.00",
        "5.320,00",
        "50%",
        0,
        1,
        -1,
        2,
        7,
        12,
        13,
        99,
        100,
        10**12,
        10**30,
        2**63,
        -(2**63),
        True,
        False,
        None,
        Decimal("0.5"),
        Decimal("-0.01"),
        Decimal("1E+400"),
        Decimal("1E-30"),
        Decimal("NaN"),
        Decimal("Infinity"),
        Decimal("-Infinity"),
        Decimal("1E+11"),
        date(1950, 1, 1),
        date(2100, 12, 31),
        date(2024, 2, 29),
        [],
        {},
        [1, 2],
        {"a": 1},
    ]
    return sorted(found) + traps


_WORDS: list[Any] | None = None


def words() -> list[Any]:
    global _WORDS
    if _WORDS is None:
        _WORDS = _words()
    return _WORDS


def _places(tree: Any) -> list[tuple[Any, Any]]:
    """Every (container, key or index) in a tree, the root's parent excluded."""
    found: list[tuple[Any, Any]] = []
    stack = [tree]
    while stack:
        node = stack.pop()
        items = (
            node.items()
            if isinstance(node, dict)
            else enumerate(node)
            if isinstance(node, list)
            else ()
        )
        for key, value in items:
            found.append((node, key))
            if isinstance(value, dict | list):
                stack.append(value)
    return found


def _new_value(rng: random.Random, tree: Any, places: list[tuple[Any, Any]]) -> Any:
    if places and rng.random() < 0.3:  # splice: a value from elsewhere in the tree
        container, key = rng.choice(places)
        return json.loads(json.dumps(_encodable(container[key])))
    # a copy: a trap list or table put in two places (or edited in place) would be shared
    # with the next input, and could come to hold itself
    value = copy.deepcopy(rng.choice(words()))
    if isinstance(value, str) and value and rng.random() < 0.1:
        value = value * rng.randint(2, 50)
    if isinstance(value, int) and not isinstance(value, bool) and rng.random() < 0.2:
        value += rng.choice((-1, 1))
    return value


def _mutate_tree(tree: Any, rng: random.Random) -> None:
    places = _places(tree)
    if not places:
        return
    container, key = rng.choice(places)
    action = rng.randrange(6)
    if action == 0 and (isinstance(container, dict) or len(container) > 0):
        del container[key]
    elif action == 1 and isinstance(container, dict):
        name = str(rng.choice(words()))
        container[name] = _new_value(rng, tree, places)
    elif action == 2 and isinstance(container, dict):  # rename (a second spelling, a typo)
        value = container.pop(key)
        container[str(rng.choice(words()))] = value
    elif action == 3 and isinstance(container, list):
        container.insert(rng.randrange(len(container) + 1), container[key])
    elif action == 4 and isinstance(container[key], list | dict) and rng.random() < 0.5:
        container[key] = [container[key]] if rng.random() < 0.5 else {"x": container[key]}
    else:
        container[key] = _new_value(rng, tree, places)


def mutate_json(
    data: bytes, max_size: int, seed: int, byte_mutator: Callable[[bytes, int], bytes]
) -> bytes:
    """A JSON input changed as a tree (1 to 4 edits), or as bytes now and then (or when it
    does not parse): the structure-aware mutator of ``scheme_tree``, ``worker`` and ``slip``."""
    rng = random.Random(seed)
    try:
        tree = from_json(data)
    except ValueError:
        return byte_mutator(data, max_size)
    if rng.random() < 0.15 or not isinstance(tree, dict | list):
        return byte_mutator(data, max_size)
    for _ in range(rng.randint(1, 4)):
        _mutate_tree(tree, rng)
    out = to_json(tree)
    return out if len(out) <= max_size else byte_mutator(data, max_size)


# --- (a) scheme files ------------------------------------------------------------------


def _scheme_paths() -> list[Path]:
    return sorted((ROOT / "schemes").rglob("*.toml"))


def _scheme_trees() -> Iterator[dict[str, Any]]:
    for path in _scheme_paths():
        yield tomllib.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)


def _check_version(result: tuple[Any, list[Problem]]) -> None:
    version, problems = result
    if (version is None) == (not problems):
        raise Finding(f"a version and problems must not come together: {version!r}, {problems!r}")
    if problems:
        check_problems(problems)


def scheme_toml(data: bytes) -> None:
    """A scheme file's bytes: ``check_scheme_file`` returns a version or problems, never
    raises; ``parse_scheme`` on what ``tomllib`` reads of it does the same."""
    _check_version(paycalc.check_scheme_file(_as_file(data, "scheme.toml")))
    try:
        tree = tomllib.loads(data.decode("utf-8"), parse_float=Decimal)
    except (
        UnicodeDecodeError,
        tomllib.TOMLDecodeError,
        RecursionError,
        ValueError,
        ArithmeticError,
    ):
        return  # tomllib's own refusal: check_scheme_file above reported it
    _check_version(parse_scheme(tree, "<fuzz>", data))


def scheme_tree(data: bytes) -> None:
    """A scheme as a tree (JSON here, numbers exact): ``parse_scheme`` never raises."""
    try:
        tree = from_json(data)
    except (ValueError, RecursionError):
        return
    if isinstance(tree, dict):
        _check_version(parse_scheme(tree, "<fuzz>", data))


# --- (b) worker files ------------------------------------------------------------------


def worker(data: bytes) -> None:
    """A worker file's bytes: ``load_worker`` gives a worker or a WorkerError; the mapping
    a plain ``json.loads`` gives (floats and all) through ``parse_worker`` does the same."""
    expect_error_tree(lambda: paycalc.load_worker(_as_file(data, "worker.json"), today=TODAY))
    try:
        tree = json.loads(data.decode("utf-8-sig"))
    except (ValueError, RecursionError):
        return
    if isinstance(tree, dict):
        expect_error_tree(lambda: paycalc.parse_worker(tree, today=TODAY))


# --- (c) rosters -----------------------------------------------------------------------


def _check_roster(data: bytes, format: str) -> None:
    roster = expect_error_tree(
        lambda: paycalc.read_roster(
            data,
            format=format,
            name=f"fuzz.{format}",
            schemes=paycalc.default_registry(),
            today=TODAY,
        )
    )
    if roster is None:
        return
    for record in roster.records:
        if (record.worker is None) != bool(record.errors):
            raise Finding(f"row {record.row}: a worker and errors must not come together")
    if len({record.row for record in roster.records}) != len(roster.records):
        raise Finding("two records share a row number")
    problems = [*roster.file_problems, *(e.problem() for e in roster.errors)]
    if problems:
        check_problems(problems)


def roster_csv(data: bytes) -> None:
    _check_roster(data, "csv")


def roster_jsonl(data: bytes) -> None:
    _check_roster(data, "jsonl")


#: the parts of the example workbook an XLSX input may replace, by its first byte
XLSX_MEMBERS = (
    "xl/worksheets/sheet1.xml",
    "xl/sharedStrings.xml",
    "xl/styles.xml",
    "xl/workbook.xml",
    "xl/_rels/workbook.xml.rels",
    "[Content_Types].xml",
    "_rels/.rels",
)
#: a first byte of this value: the rest is the whole file (the zip itself mutated)
XLSX_WHOLE = 255

_template: dict[str, bytes] | None = None


def xlsx_template() -> dict[str, bytes]:
    """The parts of ``examples/rosters/demo.xlsx``, by name."""
    global _template
    if _template is None:
        with zipfile.ZipFile(ROOT / "examples" / "rosters" / "demo.xlsx") as book:
            _template = {name: book.read(name) for name in book.namelist()}
    return _template


def _workbook(data: bytes) -> bytes | None:
    """First byte: which part of the example workbook the rest replaces (255: the rest is
    the whole file); None for no input."""
    if not data:
        return None
    if data[0] == XLSX_WHOLE:
        return data[1:]
    parts = dict(xlsx_template())
    parts[XLSX_MEMBERS[data[0] % len(XLSX_MEMBERS)]] = data[1:]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as book:
        for name, content in parts.items():
            book.writestr(name, content)
    return out.getvalue()


def roster_xlsx(data: bytes) -> None:
    """A workbook made as :func:`_workbook` says, read as a roster."""
    book = _workbook(data)
    if book is not None:
        _check_roster(book, "xlsx")


# --- (c') rosters as cohorts: the columnar loader against the row reader ------------------

#: the format of a ``roster_cohorts`` input, by the low two bits of its first byte
COHORT_FORMATS = ("csv", "jsonl", "xlsx", "csv")
#: the ``by`` it asks for, by the next two bits (columns of the example rosters)
COHORT_BY: tuple[str | tuple[str, ...] | None, ...] = (None, "街道", "岗位", ("岗位", "街道"))


def cohort_options(fmt: str, by: str | tuple[str, ...] | None, quarters: int) -> int:
    """The first byte of a ``roster_cohorts`` input (quarters: the first month's offset)."""
    return COHORT_FORMATS.index(fmt) | COHORT_BY.index(by) << 2 | quarters << 4


def _outcome(call: Callable[[], Any], by: object) -> Any:
    """What a roster reading gave: its result, or how it refused (the error's type and
    problems; a ``by`` naming no column is a ValueError, the only one allowed)."""
    try:
        return call()
    except PaycalcError as error:
        check_problems(getattr(error, "problems", None))
        return (type(error).__name__, list(error.problems))
    except ValueError as error:
        if by is None or "no column" not in str(error):
            raise
        message = str(error)
        if len(message) > LONGEST_MESSAGE:  # forecast() shows it as an InputError
            raise Finding(f"an overlong message: {message[:200]}") from None
        return ("ValueError", message)


def roster_cohorts(data: bytes) -> None:
    """First byte: the format (:data:`COHORT_FORMATS`; an XLSX made as :func:`_workbook`
    says from the rest), ``by`` (:data:`COHORT_BY`) and the first month (2024-01 and 0 to 15
    quarters on); the rest is the file. ``read_cohorts``, with each reader, gives what the
    row reader and its fold give (the same file problems and row errors, the same workers
    in the same cohorts), or refuses as they do."""
    if not data:
        return
    fmt = COHORT_FORMATS[data[0] & 3]
    by = COHORT_BY[data[0] >> 2 & 3]
    start = paycalc.Month(2024, 1).plus(3 * (data[0] >> 4))
    content = _workbook(data[1:]) if fmt == "xlsx" else data[1:]
    if content is None:
        return
    path = _as_file(content, f"cohorts.{fmt}")
    registry = paycalc.default_registry()
    by_names = list(by) if isinstance(by, tuple) else by
    from paycalc.forecasting.cohorts import Folded, fold_roster_file
    from paycalc.io.columnar import LoadedRoster, pyarrow_available, read_cohorts

    if str(ROOT) not in sys.path:  # run.py runs with fuzz/ first on the path
        sys.path.insert(1, str(ROOT))
    from tests.io.same_load import assert_same_load

    want = _outcome(lambda: fold_roster_file(str(path), start, schemes=registry, by=by_names), by)
    if isinstance(want, Folded):
        problems = [*want.file_problems, *(e.problem() for e in want.errors)]
        if problems:
            check_problems(problems)
    for reader in ("pyarrow", "rows") if pyarrow_available() else ("rows",):
        got = _outcome(
            functools.partial(
                read_cohorts, path, start, schemes=registry, by=by_names, reader=reader
            ),
            by,
        )
        if isinstance(want, Folded) and isinstance(got, LoadedRoster):
            assert_same_load(got, want)  # an AssertionError names what differs
        elif got != want:
            raise Finding(
                f"read_cohorts ({reader}) gave {type(got).__name__}, the row reader "
                f"{type(want).__name__}: {str(got)[:300]} / {str(want)[:300]}"
            )


# --- (d) slips -------------------------------------------------------------------------


def _check_slip(slip: paycalc.Payslip) -> None:
    totals = {"earning": Decimal(0), "deduction": Decimal(0), "employer": Decimal(0)}
    for line in slip.lines:
        if not isinstance(line.amount, Decimal) or not line.amount.is_finite():
            raise Finding(f"line {line.code}: amount {line.amount!r}")
        if line.amount != line.amount.quantize(Decimal("0.01")):
            raise Finding(f"line {line.code}: {line.amount} is not whole fen")
        if line.amount < 0:  # amounts, caps' cuts, contributions and tax are never negative
            raise Finding(f"line {line.code}: a negative amount {line.amount}")
        totals[line.category] += line.amount
    expected = (
        totals["earning"],
        totals["deduction"],
        totals["earning"] - totals["deduction"],
        totals["earning"] + totals["employer"],
    )
    got = (slip.gross, slip.deductions, slip.net, slip.employer_cost)
    if got != expected:
        raise Finding(f"totals {got} are not the sums of the lines {expected}")


def slip(data: bytes) -> None:
    """``{"month": "YYYY-MM", "drafts": bool, "worker": {...}}``: the worker's slip for the
    month (under the version in force then) adds up, or a PaycalcError says why not."""
    try:
        tree = from_json(data)
    except (ValueError, RecursionError):
        return
    if not isinstance(tree, dict) or not isinstance(tree.get("worker"), dict):
        return
    month = tree.get("month")
    if not isinstance(month, str):
        return
    drafts = tree.get("drafts") is True
    record = tree["worker"]
    worker = expect_error_tree(lambda: paycalc.parse_worker(record, today=TODAY))
    if worker is None:
        # Most mutants break the record; pay what is left once the keys it names are gone,
        # so the engine sees far more workers than the parser lets through untouched.
        try:
            paycalc.parse_worker(record, today=TODAY)
        except PaycalcError as error:
            bad = {p.location.split(".")[0].split("[")[0] for p in error.problems}
        record = {k: v for k, v in record.items() if k not in bad}
        worker = expect_error_tree(lambda: paycalc.parse_worker(record, today=TODAY))
    if worker is None:
        return
    result = expect_error_tree(lambda: paycalc.payslip(worker, month, include_drafts=drafts))
    if result is not None:
        _check_slip(result)
        if result.month != month.strip() or result.worker_id != worker.id:
            raise Finding(f"a slip for {result.worker_id} {result.month}, not {worker.id} {month}")
        again = paycalc.payslip(worker, month, include_drafts=drafts)
        if again.to_dict() != result.to_dict():  # no state carried from one slip to the next
            raise Finding("the same slip computed twice differs")


@dataclass(frozen=True)
class Target:
    """A fuzz target: its check of one input, and whether inputs are JSON trees."""

    name: str
    check: Callable[[bytes], None]
    json_tree: bool = False
    #: a libFuzzer dictionary under fuzz/ (tokens of the format), if any
    dictionary: str | None = None


TARGETS: dict[str, Target] = {
    target.name: target
    for target in (
        Target("scheme_toml", scheme_toml, dictionary="toml.dict"),
        Target("scheme_tree", scheme_tree, json_tree=True),
        Target("worker", worker, json_tree=True),
        Target("roster_csv", roster_csv, dictionary="csv.dict"),
        Target("roster_jsonl", roster_jsonl),
        Target("roster_xlsx", roster_xlsx, dictionary="xlsx.dict"),
        Target("roster_cohorts", roster_cohorts, dictionary="csv.dict"),
        Target("slip", slip, json_tree=True),
    )
}
