"""The floor: the roster read by pyarrow (or polars) and paid by hand-written numpy.

No rules engine: the CSV reader parses dates natively and codes the categorical columns,
and one numpy function pays the months with the scheme file's amounts
(:mod:`.scheme_data`). It does what the job cannot skip — reads every row, checks ids are
unique, every post/level/是否在编 value is known, certificate level and date come together
and no one leaves before being hired — and nothing more (no explanation, no other date
forms, no other schemes), so it is the time paycalc's columnar engine should approach.

Dates are day numbers since 1970-01-01 (int64); "none" is :data:`NONE_DAY`.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.openfisca_jiaocheng.roster import FAMILY
from benchmarks.openfisca_jiaocheng.scheme_data import LEVEL_LABELS, SchemeFigures
from benchmarks.openfisca_jiaocheng.totals import Totals, add_month

__all__ = ["NONE_DAY", "Columns", "pay_months", "read_with_polars", "read_with_pyarrow"]

NONE_DAY = (date(9999, 12, 31) - date(1970, 1, 1)).days
COLUMNS = (
    "工号",
    "方案",
    "岗位",
    "入职日期",
    "离职日期",
    "是否在编",
    "社工证等级",
    "社工证取得日期",
)
DATES = ("入职日期", "离职日期", "社工证取得日期")
CODED = ("方案", "岗位", "是否在编", "社工证等级")


@dataclass
class Columns:
    post: np.ndarray  # 0 principal, 1 member
    in_establishment: np.ndarray  # bool
    hired: np.ndarray
    left: np.ndarray  # NONE_DAY: still employed
    level: np.ndarray  # 0 none, 1 junior, 2 intermediate, 3 senior
    obtained: np.ndarray  # NONE_DAY: no certificate


def _codes(
    path: Path,
    column: str,
    dictionary: list[str | None],
    indices: np.ndarray,
    known: dict[Any, int],
) -> np.ndarray:
    """Map a dictionary-coded column to our codes; unknown values are an error."""
    unknown = [value for value in dictionary if value not in known]
    if unknown:
        raise ValueError(f"{path}: column {column}: unexpected value(s) {unknown[:5]}")
    table = np.array([known[value] for value in dictionary], dtype=np.int64)
    return table[indices]


def _known(figures: SchemeFigures) -> dict[str, dict[Any, int]]:
    return {
        "方案": {FAMILY: 0},
        "岗位": figures.post_index,
        "是否在编": {"是": 1, "否": 0},
        "社工证等级": {None: 0, **{label: i + 1 for i, label in enumerate(LEVEL_LABELS)}},
    }


def _checked(path: Path, coded: dict[str, np.ndarray], dates: dict[str, np.ndarray]) -> Columns:
    level, obtained = coded["社工证等级"], dates["社工证取得日期"]
    if ((level == 0) != (obtained == NONE_DAY)).any():
        raise ValueError(f"{path}: 社工证等级 and 社工证取得日期 must be given together")
    hired, left = dates["入职日期"], dates["离职日期"]
    if (hired == NONE_DAY).any() or (left < hired).any():
        raise ValueError(f"{path}: 入职日期 missing, or 离职日期 before it")
    return Columns(coded["岗位"], coded["是否在编"].astype(bool), hired, left, level, obtained)


def read_with_pyarrow(path: Path, figures: SchemeFigures, threads: bool = True) -> Columns:
    import pyarrow as pa
    import pyarrow.compute as pc
    from pyarrow import csv

    types = {name: pa.date32() for name in DATES}
    types.update({name: pa.dictionary(pa.int32(), pa.string()) for name in CODED})
    table = csv.read_csv(
        path,
        read_options=csv.ReadOptions(use_threads=threads),
        convert_options=csv.ConvertOptions(
            column_types=types,
            include_columns=list(COLUMNS),
            null_values=[""],
            strings_can_be_null=True,
        ),
    )
    ids = table.column("工号")
    if ids.null_count or pc.count_distinct(ids).as_py() != len(table):
        raise ValueError(f"{path}: 工号 missing or duplicated")
    known = _known(figures)
    coded = {}
    for name in CODED:
        column = table.column(name).combine_chunks()
        dictionary = column.dictionary.to_pylist() + ([None] if column.null_count else [])
        indices = column.indices.fill_null(len(dictionary) - 1).to_numpy()
        coded[name] = _codes(path, name, dictionary, indices, known[name])
    dates = {
        name: table.column(name).cast(pa.int32()).fill_null(NONE_DAY).to_numpy().astype(np.int64)
        for name in DATES
    }
    return _checked(path, coded, dates)


def read_with_polars(path: Path, figures: SchemeFigures) -> Columns:
    import polars as pl

    known = _known(figures)
    # An Enum column refuses a value outside its categories while reading.
    enums = {name: [v for v in known[name] if v is not None] for name in CODED}
    schema: dict[str, Any] = {name: pl.Date for name in DATES}
    schema.update({name: pl.Enum(enums[name]) for name in CODED})
    try:
        frame = pl.read_csv(path, columns=list(COLUMNS), schema_overrides=schema)
    except pl.exceptions.PolarsError as error:  # e.g. a value outside an Enum
        raise ValueError(f"{path}: {error}") from None
    if frame["工号"].null_count() or frame["工号"].n_unique() != frame.height:
        raise ValueError(f"{path}: 工号 missing or duplicated")
    coded = {}
    for name in CODED:
        column = frame[name]
        dictionary: list[str | None] = [*enums[name], *([None] if column.null_count() else [])]
        indices = column.to_physical().fill_null(len(dictionary) - 1).to_numpy()
        coded[name] = _codes(path, name, dictionary, indices, known[name])
    dates = {
        name: frame[name].to_physical().fill_null(NONE_DAY).to_numpy().astype(np.int64)
        for name in DATES
    }
    return _checked(path, coded, dates)


def pay_months(columns: Columns, figures: SchemeFigures, months: list[str]) -> Totals:
    """Each month's lines in fen for everyone at once, summed."""
    living_full = np.array(figures.living_fen, dtype=np.int64)[columns.post]
    certificate_table = np.array(figures.certificate_fen, dtype=np.int64)
    outside = ~columns.in_establishment
    totals: Totals = {}
    for month in months:
        year, number = (int(part) for part in month.split("-"))
        month_days = calendar.monthrange(year, number)[1]
        first = (date(year, number, 1) - date(1970, 1, 1)).days
        last = first + month_days - 1
        days = np.minimum(columns.left, last) - np.maximum(columns.hired, first) + 1
        np.maximum(days, 0, out=days)
        # 次月起: a certificate obtained before this month's first day counts.
        level = np.where(outside & (columns.obtained < first), columns.level, 0)
        lines = {}
        for code, full in (
            ("living_subsidy", living_full),
            ("social_work_subsidy", certificate_table[level]),
        ):
            # half-up of full × days / month_days, exactly (a full month gives full)
            lines[code] = (2 * full * days + month_days) // (2 * month_days)
        add_month(totals, month, days > 0, lines)
    return totals
