"""The published schemas agree with the parsers: what a schema accepts, the parser accepts,
and the reverse (hypothesis; documents drawn from the schemas, see ``helpers.drawn``). The
gaps JSON Schema cannot close are named in docs/contracts.md and excluded here one by one,
each with its reason.
"""

from __future__ import annotations

import itertools
import json
import re
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from paycalc._validation import MONEY_TEXT_PATTERN, NON_NEGATIVE_TEXT_PATTERN, SPACES
from paycalc.contracts import json_schema
from paycalc.errors import WorkerError
from paycalc.money import to_decimal
from paycalc.worker import SERIOUS_ILLNESS_LIMIT, parse_worker_json
from tests.conftest import EXAMPLES
from tests.contracts.helpers import drawn, errors

# Appraisals exist only for finished years; with "today" at the end of the calendar every
# year the schema allows (four digits) has ended except 9999 itself.
FAR_FUTURE = date(9999, 12, 31)
#: digits, separators, signs, yuan marks, a space and an exponent, ASCII and full-width
MONEY_ALPHABET = "10.,-+¥元 ５，e"
#: the parser reads at most this many characters (trimmed); the pattern does not count
LONGEST_MONEY_TEXT = 64


def _parses(text: str, *, non_negative: bool = False) -> bool:
    try:
        value = to_decimal(text)
    except (TypeError, ValueError):
        return False
    return not (non_negative and value < 0)


def _negative_zero(text: str) -> bool:
    """A gap: "-0" and "¥-0.00" read as zero, which is not negative, though the non-negative
    pattern refuses a minus sign."""
    return ("-" in text or "－" in text) and _parses(text) and to_decimal(text) == 0


# --- money as text: the pattern is the parser, string by string -------------------------


def test_money_pattern_is_the_parser_on_every_short_string() -> None:
    signed, unsigned = re.compile(MONEY_TEXT_PATTERN), re.compile(NON_NEGATIVE_TEXT_PATTERN)
    disagreements = []
    for length in range(1, 6):
        for letters in itertools.product(MONEY_ALPHABET, repeat=length):
            text = "".join(letters)
            if _parses(text) != bool(signed.search(text)):
                disagreements.append(text)
            if not _negative_zero(text) and _parses(text, non_negative=True) != bool(
                unsigned.search(text)
            ):
                disagreements.append(f"non-negative {text!r}")
    assert disagreements == []


@given(
    st.text(
        alphabet=MONEY_ALPHABET + "23456789_E￥．＋－０９\t\u3000",
        min_size=6,
        max_size=LONGEST_MONEY_TEXT,
    )
)
def test_money_pattern_is_the_parser_on_longer_strings(text: str) -> None:
    assert _parses(text) == bool(re.search(MONEY_TEXT_PATTERN, text))


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("5320", "5320"),
        ("5,320.00", "5320.00"),
        ("¥5,320.00", "5320.00"),
        ("￥ -5,320.00", "-5320.00"),
        ("5320元", "5320"),
        ("５３２０．５０", "5320.50"),
        ("999,999,999,999.99", "999999999999.99"),
        ("0.00000000000000000001", "1E-20"),
        ("5.320,00", None),  # a decimal comma is never guessed
        ("5,32", None),  # commas group digits in threes
        ("1e3", None),  # exponents are not written on a pay slip
        ("1,000,000,000,000", None),  # 10^12: out of range
        ("0.000000000000000000001", None),  # 21 decimal places
        ("--5", None),
        ("5 320", None),
    ],
)
def test_the_documented_money_forms(text: str, value: str | None) -> None:
    assert bool(re.search(MONEY_TEXT_PATTERN, text)) == (value is not None)
    if value is None:
        assert not _parses(text)
    else:
        assert to_decimal(text) == Decimal(value)


def test_the_pattern_trims_what_the_parser_trims() -> None:
    spaces = "".join(chr(c) for c in range(0x110000) if chr(c).isspace())
    assert spaces == SPACES
    for space in spaces:
        for text in (f"{space}5{space}", f"¥{space}5", f"5{space}元"):
            assert _parses(text) == bool(re.search(MONEY_TEXT_PATTERN, text)) is True, repr(text)
        assert not _parses(f"5{space}3") and not re.search(MONEY_TEXT_PATTERN, f"5{space}3")


def test_share_pattern_is_the_share_parser_on_every_short_string() -> None:
    from paycalc._validation import SHARE_TEXT_PATTERN
    from paycalc.worker import _share

    def parses(text: str) -> bool:
        try:
            _share(text)
        except (TypeError, ValueError):
            return False
        return True

    pattern = re.compile(SHARE_TEXT_PATTERN)
    disagreements = [
        text
        for length in range(1, 6)
        for text in map("".join, itertools.product("50.%¥元 -", repeat=length))
        if parses(text) != bool(pattern.search(text))
    ]
    assert disagreements == []


def test_text_longer_than_the_parser_reads_is_the_one_gap() -> None:
    padded = "0" * LONGEST_MONEY_TEXT + "5"
    assert re.search(MONEY_TEXT_PATTERN, padded) and not _parses(padded)
    assert _parses(padded[1:])


# --- worker -------------------------------------------------------------------------------

WORKER_SCHEMA = json_schema("worker")


def _gaps(worker: dict[str, Any]) -> bool:
    """Rules a JSON Schema cannot state (docs/contracts.md, "gaps")."""
    left, hired = worker.get("left_on"), worker.get("hired_on")
    try:
        if left is not None and date.fromisoformat(left) < date.fromisoformat(hired):
            return True  # left_on before hired_on: compares two fields
    except ValueError:
        return True  # 2024-02-30 matches the pattern; only a format-checking validator refuses it
    for item in [*worker.get("qualifications", ()), *worker.get("awards", ())]:
        for key in ("obtained_on", "awarded_on"):
            if key in item:
                try:
                    date.fromisoformat(item[key])
                except ValueError:
                    return True
    tax = worker.get("tax") or {}
    if tax.get("continuing_education_degree_start"):
        try:
            date.fromisoformat(tax["continuing_education_degree_start"])
        except ValueError:
            return True
    money = [worker.get("contribution_base"), tax.get("elderly_share"), tax.get("child_share")]
    if any(_money_gap(v) for v in [*money, *(worker.get("inputs") or {}).values()]):
        return True
    illness = tax.get("serious_illness")
    if isinstance(illness, str) and _parses(illness) and to_decimal(illness) > SERIOUS_ILLNESS_LIMIT:
        return True  # a field's upper bound holds for numbers; text is the parser's
    years = [int(year.strip()) for year in worker.get("appraisals", {})]
    if len(set(years)) < len(years):
        return True  # one year in two spellings ("2023" and "02023"): keys compared as years
    if any(year >= FAR_FUTURE.year for year in years):
        return True  # a year that has not ended
    last = date.fromisoformat(left).year if left is not None else FAR_FUTURE.year
    if any(not date.fromisoformat(hired).year <= year <= last for year in years):
        return True  # a year outside the years employed: compares with hired_on, left_on
    return any(str(v) != str(v).strip() for v in _strings(worker))  # text is trimmed


def _money_gap(value: Any) -> bool:
    """Money the schema cannot bound: a JSON number with more than 20 decimal places (as its
    JSON text reads), text longer than the parser reads."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        exponent = Decimal(json.dumps(value)).normalize().as_tuple().exponent
        return isinstance(exponent, int) and exponent < -20
    return isinstance(value, str) and len(value.strip()) > LONGEST_MONEY_TEXT


def _as_sent(document: dict[str, Any]) -> str:
    """A document as JSON text, as a file holds it or a client sends it."""
    return json.dumps(document, ensure_ascii=False)


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in [*_strings(k), *_strings(v)]]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return []


def _employed_through_appraisals(worker: dict[str, Any]) -> dict[str, Any]:
    """The worker, hired by January of its first appraisal year and not gone before its last:
    appraisals count only for years employed (a rule across fields, which the schema cannot
    state), so the drawn years are kept and the dates moved to hold them."""
    try:
        years = sorted(int(year.strip()) for year in worker.get("appraisals") or {})
        hired = date.fromisoformat(worker["hired_on"])
    except (ValueError, KeyError, TypeError):
        return worker
    if not years:
        return worker
    moved = {**worker, "hired_on": min(hired, date(years[0], 1, 1)).isoformat()}
    left = worker.get("left_on")
    if left is not None and date.fromisoformat(left).year < years[-1]:
        moved["left_on"] = f"{years[-1]}-12-31"
    return moved


@settings(suppress_health_check=list(HealthCheck), deadline=None)
@given(drawn("worker").map(_employed_through_appraisals))
def test_what_the_worker_schema_accepts_the_parser_accepts(worker: dict[str, Any]) -> None:
    assume(not _gaps(worker))
    parse_worker_json(_as_sent(worker), today=FAR_FUTURE)


CHIEF = json.loads(
    (EXAMPLES / "workers" / "demo.community-worker" / "chief.json").read_text("utf-8")
)
JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**6), 10**6)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.sampled_from(
        [
            "",
            " ",
            "7",
            "2012-03-15",
            "2012/3/15",
            "2012-03-15T00:00:00",
            "本科",
            "bachelor",
            "优秀",
            "中级",
            "title",
            "5,320.00",
            "1e3",
            "yes",
            "true",
            "市级",
        ]
    )
    | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=6,
)
WORKER_KEYS = [*WORKER_SCHEMA["properties"], "educaton", "grade "]


@settings(max_examples=300, suppress_health_check=list(HealthCheck), deadline=None)
@given(key=st.sampled_from(WORKER_KEYS), value=JSON_VALUES, inner=st.booleans())
def test_what_the_worker_parser_accepts_the_schema_accepts(
    key: str, value: Any, inner: bool
) -> None:
    worker = json.loads(json.dumps(CHIEF))
    if inner and isinstance(worker.get(key), dict | list) and worker[key]:
        container = worker[key]
        slot = next(iter(container)) if isinstance(container, dict) else 0
        container[slot] = value
    else:
        worker[key] = value
    assume(not any(s != s.strip() for s in _strings(worker)))  # text is trimmed (a gap)
    try:
        parse_worker_json(_as_sent(worker), today=FAR_FUTURE)
    except WorkerError:
        return
    # as a validator reads the file (json.loads: a fraction is a float, compared as a number)
    assert errors("worker", json.loads(_as_sent(worker))) == []


# --- roster rows --------------------------------------------------------------------------

from paycalc.io.roster import parse_table  # noqa: E402
from paycalc.io.tables import table_from_objects  # noqa: E402
from paycalc.jsontext import loads_strict  # noqa: E402
from paycalc.scheme import default_registry  # noqa: E402

ROWS = [
    json.loads(line)
    for line in (EXAMPLES / "rosters" / "demo.jsonl").read_text(encoding="utf-8").splitlines()
]
CELL_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 3000),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.sampled_from(
        [
            "",
            " ",
            "7",
            "07",
            "2012-03-15",
            "2012/3/15",
            "2012年3月15日",
            "2012-3-15",
            "20120315",
            "本科",
            "BACHELOR",
            "优秀",
            "中级",
            "title",
            "5,320.00",
            "1e3",
            "yes",
            "是",
            "Y",
            "在编",
            "√",
            "否",
            "2",
            "A",
            "[]",
            "{}",
            "市级",
            "正职",
            "x",
        ]
    ),
    st.text(max_size=6),
)
HEADERS = sorted(
    {key for row in ROWS for key in row}
    | {
        "工号",
        "ID",
        "Hired On",
        "考核2022",
        "appraisal_2021",
        "x_片区",
        "颜色",
        "hired-on",
        "社工证等级",
        "社工证取得日期",
        "表彰级别",
        "input:community_rating",
        "社区星级评定",
    }
)


def _read_row(row: dict[str, Any]) -> Any:
    """The row as a JSONL line (or a row of /v1/payroll) is read: JSON text, exact numbers."""
    table = table_from_objects([loads_strict(_as_sent(row))])
    return parse_table(table, schemes=default_registry(), today=FAR_FUTURE)


@settings(suppress_health_check=list(HealthCheck), deadline=None, max_examples=300)
@given(base=st.sampled_from(ROWS), header=st.sampled_from(HEADERS), value=CELL_VALUES)
def test_what_the_roster_reader_accepts_the_row_schema_accepts(
    base: dict[str, Any], header: str, value: Any
) -> None:
    row = {**base, header: value}
    roster = _read_row(row)
    [record] = roster.records
    assume(record.worker is not None and not roster.file_problems)
    assume(not any(s != s.strip() and s.strip() for s in _strings(row)))  # trimmed: a gap
    assume(not _boolean_as_text(header, value))
    assert errors("roster-row", row) == [], (header, value)


def _boolean_as_text(header: str, value: Any) -> bool:
    """A gap: a text cell reads true/false as the text "True"/"False" (the schema says text)."""
    from paycalc.io.columns import classify_header

    spec = classify_header(header, {"社区星级评定": "community_rating"})
    texts = {"id", "name", "scheme", "post", "title", "award"}
    return (
        isinstance(value, bool)
        and spec is not None
        and (spec.key in texts or spec.kind in ("award", "input"))
    )


@settings(suppress_health_check=list(HealthCheck), deadline=None, max_examples=300)
@given(base=st.sampled_from(ROWS), header=st.sampled_from(HEADERS), value=CELL_VALUES)
def test_a_row_the_schema_refuses_the_roster_reader_refuses(
    base: dict[str, Any], header: str, value: Any
) -> None:
    row = {**base, header: value}
    assume(not _boolean_as_text(header, value))
    assume(errors("roster-row", row))
    roster = _read_row(row)
    [record] = roster.records
    assert record.worker is None or roster.file_problems, (header, value)
