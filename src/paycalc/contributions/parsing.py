"""Reading and checking one contribution table file.

Every problem in a file is collected (unknown keys, missing keys, wrong types, floats,
rates outside 0..1, floor above cap, ...) and reported together in one ``InputError``, each
as ``Problem(file, "items[2].employer_rate", "...")``, so a file is fixed in one pass.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Final, cast

from paycalc.contributions.table import (
    BASE_DEFAULTS,
    ITEM_CODES,
    STATUSES,
    BaseDefault,
    BaseRule,
    ContributionItem,
    ContributionTable,
    Status,
    TableSource,
)
from paycalc.errors import InputError, Problem
from paycalc.money import ROUNDING_MODES

__all__ = ["load_table_file", "parse_contribution_table", "table_json_schema"]

_TOP_KEYS: Final = frozenset(
    {
        "id",
        "place",
        "version",
        "effective_from",
        "published_on",
        "status",
        "title",
        "note",
        "rounding",
        "source",
        "base",
        "items",
    }
)
_SOURCE_KEYS: Final = frozenset({"title", "issuer", "date", "url"})
_BASE_KEYS: Final = frozenset({"floor", "cap", "default", "note"})
_ITEM_KEYS: Final = frozenset(
    {"code", "label", "employee_rate", "employer_rate", "base_floor", "base_cap", "note"}
)


class _Checker:
    """Reads typed values out of a mapping, noting every problem instead of stopping."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[Problem] = []

    def problem(self, location: str, message: str) -> None:
        self.problems.append(Problem(self.source, location, message))

    def table(self, data: object, location: str) -> Mapping[str, object]:
        if not isinstance(data, Mapping):
            self.problem(location, f"must be a table, got {type(data).__name__}")
            return {}
        return cast(Mapping[str, object], data)

    def unknown_keys(
        self, data: Mapping[str, object], allowed: frozenset[str], prefix: str
    ) -> None:
        for key in sorted(set(data) - allowed):
            self.problem(f"{prefix}{key}", f"unknown key (allowed: {', '.join(sorted(allowed))})")

    def text(
        self, data: Mapping[str, object], key: str, prefix: str, *, required: bool = True
    ) -> str | None:
        value = data.get(key)
        if value is None:
            if required:
                self.problem(f"{prefix}{key}", "is required")
            return None
        if not isinstance(value, str) or not value.strip():
            self.problem(f"{prefix}{key}", f"must be a non-empty string, got {value!r}")
            return None
        return value

    def day(self, data: Mapping[str, object], key: str, prefix: str) -> date | None:
        value = data.get(key)
        if value is None:
            self.problem(f"{prefix}{key}", "is required")
            return None
        if isinstance(value, datetime) or not isinstance(value, date):
            self.problem(f"{prefix}{key}", f"must be a TOML date such as 2024-01-01, got {value!r}")
            return None
        return value

    def number(
        self, data: Mapping[str, object], key: str, prefix: str, *, required: bool = True
    ) -> Decimal | None:
        value = data.get(key)
        where = f"{prefix}{key}"
        if value is None:
            if required:
                self.problem(where, "is required")
            return None
        if isinstance(value, float):
            # tomllib is called with parse_float=Decimal, so a float here means the mapping
            # did not come from that loader; a binary float is never an exact rate or amount.
            self.problem(where, f"floats are not accepted, got {value!r}; use a Decimal")
            return None
        if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
            self.problem(where, f"must be a number, got {value!r}")
            return None
        number = Decimal(value)
        if not number.is_finite():
            self.problem(where, f"must be a finite number, got {value!r}")
            return None
        return number

    def rate(self, data: Mapping[str, object], key: str, prefix: str) -> Decimal | None:
        value = self.number(data, key, prefix)
        if value is not None and not 0 <= value <= 1:
            self.problem(
                f"{prefix}{key}",
                f"must be a fraction from 0 to 1 (0.08 for 8%), got {value}",
            )
            return None
        return value

    def amount(
        self, data: Mapping[str, object], key: str, prefix: str, *, required: bool = True
    ) -> Decimal | None:
        value = self.number(data, key, prefix, required=required)
        if value is not None and value < 0:
            self.problem(f"{prefix}{key}", f"must be ≥ 0, got {value}")
            return None
        return value


def _floor_not_above_cap(
    check: _Checker, floor: Decimal | None, cap: Decimal | None, location: str
) -> None:
    if floor is not None and cap is not None and floor > cap:
        check.problem(location, f"floor {floor} is above cap {cap}")


def _parse_items(check: _Checker, raw_items: object) -> list[ContributionItem]:
    if not isinstance(raw_items, list) or not raw_items:
        check.problem("items", "must be a non-empty array of tables ([[items]])")
        return []
    items: list[ContributionItem] = []
    seen: dict[str, int] = {}
    for index, raw in enumerate(raw_items):
        prefix = f"items[{index}]."
        item = check.table(raw, f"items[{index}]")
        check.unknown_keys(item, _ITEM_KEYS, prefix)
        code = check.text(item, "code", prefix)
        if code is not None:
            if code not in ITEM_CODES:
                check.problem(
                    f"{prefix}code", f"unknown item {code!r} (known: {', '.join(ITEM_CODES)})"
                )
                code = None
            elif code in seen:
                check.problem(f"{prefix}code", f"{code!r} is already listed at items[{seen[code]}]")
                code = None
            else:
                seen[code] = index
        label = check.text(item, "label", prefix)
        employee = check.rate(item, "employee_rate", prefix)
        employer = check.rate(item, "employer_rate", prefix)
        floor = check.amount(item, "base_floor", prefix, required=False)
        cap = check.amount(item, "base_cap", prefix, required=False)
        _floor_not_above_cap(check, floor, cap, f"{prefix}base_floor")
        note = check.text(item, "note", prefix, required=False)
        if code and label and employee is not None and employer is not None:
            items.append(ContributionItem(code, label, employee, employer, floor, cap, note))
    return items


def parse_contribution_table(
    data: Mapping[str, object], source: str, *, path: str | None = None
) -> ContributionTable:
    """Check a decoded table (as ``tomllib`` gives it) and build the table.

    Raises ``InputError`` listing every problem, each located by key path.
    """
    check = _Checker(source)
    check.unknown_keys(data, _TOP_KEYS, "")
    table_id = check.text(data, "id", "")
    place = check.text(data, "place", "")
    version = check.text(data, "version", "")
    effective_from = check.day(data, "effective_from", "")
    published_on = check.day(data, "published_on", "")
    status = check.text(data, "status", "")
    if status is not None and status not in STATUSES:
        check.problem("status", f"must be one of {', '.join(STATUSES)}, got {status!r}")
    title = check.text(data, "title", "")
    note = check.text(data, "note", "")
    rounding = check.text(data, "rounding", "", required=False) or "ROUND_HALF_UP"
    if rounding not in ROUNDING_MODES:
        check.problem("rounding", f"unknown rounding mode {rounding!r}")

    raw_source = check.table(data.get("source", {}), "source")
    if "source" not in data:
        check.problem("source", "is required ([source] with title, issuer, date)")
    check.unknown_keys(raw_source, _SOURCE_KEYS, "source.")
    source_title = check.text(raw_source, "title", "source.")
    issuer = check.text(raw_source, "issuer", "source.")
    source_date = check.day(raw_source, "date", "source.")
    url = check.text(raw_source, "url", "source.", required=False)

    raw_base = check.table(data.get("base", {}), "base")
    check.unknown_keys(raw_base, _BASE_KEYS, "base.")
    floor = check.amount(raw_base, "floor", "base.")
    cap = check.amount(raw_base, "cap", "base.")
    _floor_not_above_cap(check, floor, cap, "base.floor")
    default = check.text(raw_base, "default", "base.")
    if default is not None and default not in BASE_DEFAULTS:
        check.problem("base.default", f"must be one of {', '.join(BASE_DEFAULTS)}, got {default!r}")
    base_note = check.text(raw_base, "note", "base.", required=False)

    items = _parse_items(check, data.get("items"))

    if check.problems:
        raise InputError(check.problems)
    # Every required value was checked above; the asserts only narrow types for mypy.
    assert table_id and place and version and effective_from and published_on
    assert status and title and note and source_title and issuer and source_date
    assert floor is not None and cap is not None and default is not None
    return ContributionTable(
        id=table_id,
        place=place,
        version=version,
        effective_from=effective_from,
        published_on=published_on,
        status=cast(Status, status),
        title=title,
        note=note,
        source=TableSource(source_title, issuer, source_date, url),
        rounding=rounding,
        base=BaseRule(floor, cap, cast(BaseDefault, default), base_note),
        items=tuple(items),
        path=path if path is not None else source,
    )


def load_table_file(path: Path) -> ContributionTable:
    """Read ``path`` (TOML, numbers with a fraction read as exact ``Decimal``) and check it."""
    source = str(path)
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle, parse_float=Decimal)
    except OSError as exc:
        raise InputError([Problem(source, "", f"cannot read the file: {exc}")]) from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError([Problem(source, "", f"not valid TOML: {exc}")]) from None
    return parse_contribution_table(data, source, path=source)


def table_json_schema() -> dict[str, object]:
    """The JSON Schema (2020-12) of a table file, as ``paycalc schema contributions`` prints it.

    Built from the same key sets and rules the checker above applies. A TOML date is shown
    as a ``format: date`` string (how TOML tools hand dates to JSON Schema).
    """
    text = {"type": "string", "pattern": r"\S"}
    day = {"type": "string", "format": "date", "description": "a TOML date, such as 2024-01-01"}
    rate = {"type": "number", "minimum": 0, "maximum": 1, "description": "0.08 for 8%"}
    amount = {"type": "number", "minimum": 0, "description": "yuan a month"}

    def table(
        properties: dict[str, object], keys: frozenset[str], required: list[str]
    ) -> dict[str, object]:
        assert set(properties) == keys  # one list of keys: the checker's
        return {
            "type": "object",
            "properties": properties,
            "required": required,
            "additionalProperties": False,
        }

    return table(
        {
            "id": text,
            "place": text,
            "version": text,
            "effective_from": day,
            "published_on": day,
            "status": {"enum": list(STATUSES)},
            "title": text,
            "note": text,
            "rounding": {"enum": sorted(ROUNDING_MODES)},
            "source": table(
                {"title": text, "issuer": text, "date": day, "url": text},
                _SOURCE_KEYS,
                ["title", "issuer", "date"],
            ),
            "base": table(
                {
                    "floor": amount,
                    "cap": amount,
                    "default": {"enum": list(BASE_DEFAULTS)},
                    "note": text,
                },
                _BASE_KEYS,
                ["floor", "cap", "default"],
            ),
            "items": {
                "type": "array",
                "minItems": 1,
                "items": table(
                    {
                        "code": {"enum": list(ITEM_CODES)},
                        "label": text,
                        "employee_rate": rate,
                        "employer_rate": rate,
                        "base_floor": amount,
                        "base_cap": amount,
                        "note": text,
                    },
                    _ITEM_KEYS,
                    ["code", "label", "employee_rate", "employer_rate"],
                ),
            },
        },
        _TOP_KEYS,
        [
            "id",
            "place",
            "version",
            "effective_from",
            "published_on",
            "status",
            "title",
            "note",
            "source",
            "base",
            "items",
        ],
    )
