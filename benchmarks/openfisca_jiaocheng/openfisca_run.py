"""A Jiaocheng roster paid by the OpenFisca model, vectorised: one simulation, N workers.

Loading is what an OpenFisca user does with a CSV: pandas reads it (the coded and date
columns as categoricals, so each distinct value is parsed once), the columns become numpy arrays (posts and levels as enum indices, dates as
``datetime64[D]``), and the inputs are set once (``ETERNITY``). Each month then
``calculate``s the lines and the totals are summed in integer fen.

The reader is strict: it accepts the forms the benchmark's roster writes (post names from
the scheme file, 是/否, 初级/中级/高级, ISO dates) and raises on anything else.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from openfisca_core.simulation_builder import SimulationBuilder

from benchmarks.openfisca_jiaocheng.model import LINES, NEVER, Level, Post
from benchmarks.openfisca_jiaocheng.roster import FAMILY
from benchmarks.openfisca_jiaocheng.scheme_data import LEVEL_LABELS, read_figures
from benchmarks.openfisca_jiaocheng.totals import Totals, add_month

__all__ = ["OpenFiscaInputs", "month_lines", "read_inputs", "simulation", "totals"]

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
_NEVER = np.datetime64(NEVER, "D")
_POST_ENUM = (Post.principal.index, Post.member.index)
_LEVEL_ENUM = {
    "": Level.none.index,
    **{label: getattr(Level, code).index for label, code in zip(LEVEL_LABELS, ("junior", "intermediate", "senior"), strict=True)},
}  # fmt: skip


@dataclass
class OpenFiscaInputs:
    ids: np.ndarray
    post: np.ndarray  # Post enum index
    in_establishment: np.ndarray
    hired_on: np.ndarray  # datetime64[D]
    left_on: np.ndarray  # datetime64[D], NEVER when empty
    social_work_level: np.ndarray  # Level enum index
    social_work_obtained_on: np.ndarray  # datetime64[D], NEVER when empty


def _fail(path: Path, column: str, values: Any) -> None:
    raise ValueError(f"{path}: column {column}: unexpected value(s) {sorted(set(values))[:5]}")


def _coded(path: Path, frame: pd.DataFrame, column: str, codes: dict[str, Any]) -> np.ndarray:
    """A categorical column's values through ``codes`` (each distinct value looked up once)."""
    cells = frame[column].cat
    unknown = [value for value in cells.categories if value not in codes]
    if unknown:
        _fail(path, column, unknown)
    table = np.array([codes[value] for value in cells.categories])
    return table[cells.codes.to_numpy()]


def _dates(path: Path, frame: pd.DataFrame, column: str) -> np.ndarray:
    """A categorical column of ISO dates ('' = none) as datetime64[D], NEVER for none."""
    cells = frame[column].cat
    given = [value for value in cells.categories if value != ""]
    parsed = pd.to_datetime(pd.Series(given, dtype=object), format="%Y-%m-%d", errors="coerce")
    if parsed.isna().any():
        _fail(path, column, [v for v, bad in zip(given, parsed.isna(), strict=True) if bad])
    days = dict(zip(given, parsed.to_numpy().astype("datetime64[D]"), strict=True))
    return _coded(path, frame, column, {"": _NEVER, **days}).astype("datetime64[D]")


def read_inputs(path: Path) -> OpenFiscaInputs:
    """Read and check the roster's pay columns (raises ValueError on any bad cell).

    Every column but the id is read as a pandas categorical, so each distinct value is
    mapped (or parsed, for dates) once.
    """
    types = {column: ("category" if column != "工号" else str) for column in COLUMNS}
    frame = pd.read_csv(path, dtype=types, keep_default_na=False, usecols=list(COLUMNS))
    if frame["工号"].duplicated().any():
        _fail(path, "工号", frame["工号"][frame["工号"].duplicated()])
    _coded(path, frame, "方案", {FAMILY: 0})
    posts = {name: _POST_ENUM[index] for name, index in read_figures().post_index.items()}
    level = _coded(path, frame, "社工证等级", _LEVEL_ENUM)
    obtained = _dates(path, frame, "社工证取得日期")
    if ((level == Level.none.index) != (obtained == _NEVER)).any():
        raise ValueError(f"{path}: 社工证等级 and 社工证取得日期 must be given together")
    hired, left = _dates(path, frame, "入职日期"), _dates(path, frame, "离职日期")
    if (hired == _NEVER).any() or (left < hired).any():
        raise ValueError(f"{path}: 入职日期 missing, or 离职日期 before it")
    return OpenFiscaInputs(
        ids=frame["工号"].to_numpy(),
        post=_coded(path, frame, "岗位", posts),
        in_establishment=_coded(path, frame, "是否在编", {"是": True, "否": False}),
        hired_on=hired,
        left_on=left,
        social_work_level=level,
        social_work_obtained_on=obtained,
    )


def simulation(system: Any, inputs: OpenFiscaInputs) -> Any:
    """One OpenFisca simulation holding every worker of ``inputs``."""
    builder = SimulationBuilder()
    builder.create_entities(system)
    builder.declare_person_entity("worker", inputs.ids)
    built = builder.build(system)
    for name in (
        "post",
        "in_establishment",
        "hired_on",
        "left_on",
        "social_work_level",
        "social_work_obtained_on",
    ):
        built.set_input(name, "ETERNITY", getattr(inputs, name))
    return built


def month_lines(sim: Any, month: str) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """The month's employed mask and each line in fen, per worker."""
    paid = sim.calculate("employed_days", month) > 0
    return paid, {code: sim.calculate(code, month).astype(np.int64) for code in LINES}


def totals(sim: Any, months: list[str]) -> Totals:
    result: Totals = {}
    for month in months:
        paid, lines = month_lines(sim, month)
        gross = sim.calculate("gross", month).astype(np.int64)
        add_month(result, month, paid, lines)
        if int(gross.sum()) != result[month]["gross"]:  # the model's own gross, checked
            raise AssertionError(f"{month}: gross is not the sum of the lines")
    return result
