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
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from paycalc._validation import MONEY_TEXT_PATTERN, NON_NEGATIVE_TEXT_PATTERN
from paycalc.contracts import json_schema
from paycalc.errors import WorkerError
from paycalc.money import to_decimal
from paycalc.worker import parse_worker
from tests.conftest import EXAMPLES
from tests.contracts.helpers import drawn, errors

# Appraisals exist only for finished years; with "today" at the end of the calendar every
# year the schema allows (four digits) has ended except 9999 itself.
FAR_FUTURE = date(9999, 12, 31)
MONEY_ALPHABET = "1.,_-e +"


def _parses(text: str, *, non_negative: bool = False) -> bool:
    try:
        value = to_decimal(text)
    except (TypeError, ValueError):
        return False
    return not (non_negative and value < 0)


# --- money as text: the pattern is the parser, string by string -------------------------


def test_money_pattern_is_the_parser_on_every_short_string() -> None:
    signed, unsigned = re.compile(MONEY_TEXT_PATTERN), re.compile(NON_NEGATIVE_TEXT_PATTERN)
    disagreements = []
    for length in range(1, 6):
        for letters in itertools.product(MONEY_ALPHABET, repeat=length):
            text = "".join(letters)
            if _parses(text) != bool(signed.match(text)):
                disagreements.append(text)
            # "-0" and "-0.00" are read as zero, which is not negative: a documented gap.
            negative_zero = (
                text.strip(" ,").lstrip("_,").startswith("-")
                and _parses(text)
                and to_decimal(text) == 0
            )
            if not negative_zero and _parses(text, non_negative=True) != bool(unsigned.match(text)):
                disagreements.append(f"non-negative {text!r}")
    assert disagreements == []


@given(st.text(alphabet=MONEY_ALPHABET + "0123456789E", min_size=6, max_size=24))
def test_money_pattern_is_the_parser_on_longer_strings(text: str) -> None:
    assert _parses(text) == bool(re.match(MONEY_TEXT_PATTERN, text))


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
    if any(isinstance(v, float) for v in [*money, *(worker.get("inputs") or {}).values()]):
        return True  # 5320.0 is a JSON Schema integer, and a binary float the parser refuses
    years = worker.get("appraisals", {})
    if any(int(year) >= FAR_FUTURE.year for year in years):
        return True  # a year that has not ended
    return any(str(v) != str(v).strip() for v in _strings(worker))  # text is trimmed


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in [*_strings(k), *_strings(v)]]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return []


@settings(suppress_health_check=list(HealthCheck), deadline=None)
@given(drawn("worker"))
def test_what_the_worker_schema_accepts_the_parser_accepts(worker: dict[str, Any]) -> None:
    assume(not _gaps(worker))
    parse_worker(worker, today=FAR_FUTURE)


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
        parse_worker(worker, today=FAR_FUTURE)
    except WorkerError:
        return
    assert errors("worker", worker) == []


# --- roster rows --------------------------------------------------------------------------

from paycalc.io.roster import parse_table  # noqa: E402
from paycalc.io.tables import Table  # noqa: E402
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
    table = Table("row", list(row), [(1, row)])
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
