"""A synthetic Jiaocheng roster in paycalc's CSV format (docs/roster-format.md).

    python -m benchmarks.openfisca_jiaocheng.roster 1000000 roster.csv [--no-part-months]

One row per worker of ``jiaocheng.community-worker``, drawn with a fixed seed, so the
same arguments always give the same file, byte for byte:

- 岗位: 25% 社区主干, 75% 专职社区成员;
- 入职日期: 95.5% hired between 2005 and the year before ``--year``, 4.5% during
  ``--year``; half on the 1st of a month, half on any other day (a part first month);
- 离职日期: 3% leave during ``--year`` on any day on or after their hire date (a part
  last month unless it is the month's last day);
- 是否在编: 20% 是;
- 社工证: 40% hold one certificate (初级 50%, 中级 35%, 高级 15%) of a year from 2008 to
  ``--year``, dated that year's 06-20 (a national exam's certificates carry one date), so
  the 次月起 rule starts some in July of ``--year``;
- 姓名 and 街道: descriptive, drawn from small lists.

``--no-part-months`` keeps the same draws but puts every hire on the 1st and every
leaving on the last day of its month, so no month is a part month.
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np

__all__ = ["HEADER", "RosterShape", "cached_roster", "parser", "write_roster"]

HEADER = (
    "工号", "姓名", "方案", "岗位", "入职日期", "离职日期", "是否在编", "社工证等级",
    "社工证取得日期", "街道",
)  # fmt: skip
FAMILY = "jiaocheng.community-worker"
POSTS = ("社区主干", "专职社区成员")
LEVELS = ("初级", "中级", "高级")
STREETS = (
    "蕉南街道", "蕉北街道", "城南镇", "漳湾镇", "七都镇", "八都镇", "飞鸾镇", "三都镇",
    "洋中镇", "赤溪镇", "虎贝镇", "霍童镇",
)  # fmt: skip
SURNAMES = "陈林黄张李王吴刘蔡杨郑谢郭许曾邱周叶苏彭游詹"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国文斌辉鹏飞"

#: bumped whenever the draws change, so a cached roster of an older generator is not reused
GENERATOR = 2
#: the (month, day) every certificate of a year is dated
EXAM_DAY = (6, 20)
_CHUNK = 100_000  # rows built in memory at a time


@dataclass(frozen=True)
class RosterShape:
    """What a roster holds besides its size (the defaults are the benchmark's)."""

    year: int = 2021
    part_months: bool = True
    seed: int = 2020


def _days(day: date) -> int:
    return (day - date(1970, 1, 1)).days


def _month_end(days: np.ndarray) -> np.ndarray:
    """The last day of each date's month (day numbers since 1970-01-01)."""
    months = days.astype("datetime64[D]").astype("datetime64[M]")
    return ((months + 1).astype("datetime64[D]") - 1).astype(np.int64)


def _month_first(days: np.ndarray) -> np.ndarray:
    return (
        days.astype("datetime64[D]")
        .astype("datetime64[M]")
        .astype("datetime64[D]")
        .astype(np.int64)
    )


def _exam_days(years: np.ndarray) -> np.ndarray:
    """The certificate date of each exam year (day numbers): that year's EXAM_DAY."""
    month, day = EXAM_DAY
    return np.array([_days(date(int(y), month, day)) for y in range(2008, 2100)])[years - 2008]


def _draw(count: int, shape: RosterShape, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """One chunk of workers as arrays (dates as day numbers; -1 = none)."""
    year_start, year_end = _days(date(shape.year, 1, 1)), _days(date(shape.year, 12, 31))
    early = rng.integers(_days(date(2005, 1, 1)), year_start, count)
    during = rng.integers(year_start, year_end + 1, count)
    hired = np.where(rng.random(count) < 0.045, during, early)
    on_first = rng.random(count) < 0.5
    leaves = rng.random(count) < 0.03
    left = np.maximum(rng.integers(year_start, year_end + 1, count), hired)
    if shape.part_months:
        hired = np.where(on_first, _month_first(hired), hired)
    else:
        hired = _month_first(hired)
        left = _month_end(np.maximum(left, hired))
    has_certificate = rng.random(count) < 0.4
    return {
        "post": (rng.random(count) < 0.75).astype(np.int64),
        "hired": hired,
        "left": np.where(leaves, left, -1),
        "establishment": rng.random(count) < 0.2,
        "level": np.where(has_certificate, rng.choice(3, count, p=[0.5, 0.35, 0.15]), -1),
        "obtained": _exam_days(rng.integers(2008, shape.year + 1, count)),
        "street": rng.integers(0, len(STREETS), count),
        "surname": rng.integers(0, len(SURNAMES), count),
        "given": rng.integers(0, len(GIVEN), (count, 2)),
    }


def _iso(days: np.ndarray) -> np.ndarray:
    return np.datetime_as_string(days.astype("datetime64[D]"), unit="D")


def _lines(first_index: int, drawn: dict[str, np.ndarray]) -> list[str]:
    hired = _iso(drawn["hired"])
    left = _iso(np.maximum(drawn["left"], 0))
    obtained = _iso(drawn["obtained"])
    lines = []
    for i in range(len(hired)):
        level = int(drawn["level"][i])
        given = "".join(GIVEN[g] for g in drawn["given"][i])
        lines.append(
            ",".join(
                (
                    f"JC{first_index + i:07d}",
                    SURNAMES[drawn["surname"][i]] + given,
                    FAMILY,
                    POSTS[drawn["post"][i]],
                    hired[i],
                    left[i] if drawn["left"][i] >= 0 else "",
                    "是" if drawn["establishment"][i] else "否",
                    LEVELS[level] if level >= 0 else "",
                    obtained[i] if level >= 0 else "",
                    STREETS[drawn["street"][i]],
                )
            )
            + "\n"
        )
    return lines


def write_roster(path: Path, workers: int, shape: RosterShape = RosterShape()) -> Path:
    """Write ``workers`` rows to ``path`` (whole or not at all) and return it."""
    rng = np.random.default_rng(shape.seed)
    partial = path.with_name(path.name + ".part")
    with partial.open("w", encoding="utf-8", newline="") as handle:
        handle.write(",".join(HEADER) + "\n")
        for first in range(0, workers, _CHUNK):
            count = min(_CHUNK, workers - first)
            handle.writelines(_lines(first, _draw(count, shape, rng)))
    os.replace(partial, path)
    return path


def cached_roster(folder: Path, workers: int, shape: RosterShape = RosterShape()) -> Path:
    """The roster for these arguments in ``folder``, written the first time it is asked."""
    tag = "" if shape.part_months else "-no-part-months"
    path = folder / f"jiaocheng-g{GENERATOR}-{workers}-{shape.year}-s{shape.seed}{tag}.csv"
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        write_roster(path, workers, shape)
    return path


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("workers", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--year", type=int, default=RosterShape.year)
    parser.add_argument("--seed", type=int, default=RosterShape.seed)
    parser.add_argument("--no-part-months", action="store_true")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    write_roster(args.out, args.workers, RosterShape(args.year, not args.no_part_months, args.seed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
