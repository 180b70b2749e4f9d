"""The Jiaocheng community-worker rules as an OpenFisca-Core tax-benefit system.

What paycalc's ``schemes/jiaocheng/community-worker/2020-01.toml`` (and ``2010-01``) pay,
written independently in OpenFisca's terms, so that the two can be checked line for line:

- ``living_subsidy`` (财政性生活补助): by post — 社区主干 2600, 专职社区成员 2000 a month
  from 2020 (600 / 500 in 2010);
- ``social_work_subsidy`` (持证社工补贴): 100 / 150 / 200 a month by the certificate's
  level (初级 / 中级 / 高级), only for workers outside the establishment (非在编), from the
  month after the certificate was obtained (次月起); nothing in 2010;
- a part month (hired or leaving during it) pays each line × employed calendar days /
  days in the month, rounded half up to the fen, line by line; ``gross`` is their sum.

The amounts are date-keyed parameters (``parameters/jiaocheng/…``, each value with its
reference); months the source gives no figure for (2011–2019, and from 2022, where paycalc
prices an illustrative draft) have none, so OpenFisca refuses them instead of guessing.

Money is integer fen (OpenFisca's ``int`` variables), never float: the proration is
``(2·fen·days + D) // (2·D)``, which is half-up rounding of ``fen·days/D`` done exactly.
A worker holds at most one certificate here, as the roster's single-value columns do.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import numpy as np
from openfisca_core.entities import build_entity
from openfisca_core.indexed_enums import Enum
from openfisca_core.model_api import select, where
from openfisca_core.periods import ETERNITY, MONTH
from openfisca_core.taxbenefitsystems import TaxBenefitSystem
from openfisca_core.variables import Variable

__all__ = ["LINES", "NEVER", "Level", "Post", "jiaocheng_system"]

PARAMETERS = Path(__file__).with_name("parameters")
#: "no such date": never left, no certificate
NEVER = datetime.date(9999, 12, 31)
#: the slip lines, in paycalc's scheme-file order
LINES = ("living_subsidy", "social_work_subsidy")

Worker = build_entity(key="worker", plural="workers", label="社区工作者", is_person=True)


class Post(Enum):
    principal = "社区主干"
    member = "专职社区成员"


class Level(Enum):
    none = "无社工证"
    junior = "初级"
    intermediate = "中级"
    senior = "高级"


class post(Variable):
    value_type = Enum
    possible_values = Post
    default_value = Post.member
    entity = Worker
    definition_period = ETERNITY
    label = "岗位"


class in_establishment(Variable):
    value_type = bool
    entity = Worker
    definition_period = ETERNITY
    label = "是否在编"


class hired_on(Variable):
    value_type = datetime.date
    entity = Worker
    definition_period = ETERNITY
    label = "入职日期"


class left_on(Variable):
    value_type = datetime.date
    default_value = NEVER
    entity = Worker
    definition_period = ETERNITY
    label = "离职日期 (the last day employed; NEVER if still employed)"


class social_work_level(Variable):
    value_type = Enum
    possible_values = Level
    default_value = Level.none
    entity = Worker
    definition_period = ETERNITY
    label = "社工证等级"


class social_work_obtained_on(Variable):
    value_type = datetime.date
    default_value = NEVER
    entity = Worker
    definition_period = ETERNITY
    label = "社工证取得日期"


def _month_bounds(period: Any) -> tuple[np.datetime64, np.datetime64]:
    return np.datetime64(period.start.date, "D"), np.datetime64(period.stop.date, "D")


class employed_days(Variable):
    value_type = int
    entity = Worker
    definition_period = MONTH
    label = "本月在岗天数 (calendar days employed in the month)"

    def formula(worker, period, parameters):  # type: ignore[no-untyped-def]
        first, last = _month_bounds(period)
        start = np.maximum(worker("hired_on", period), first)
        stop = np.minimum(worker("left_on", period), last)
        return np.maximum((stop - start).astype(np.int64) + 1, 0)


def _fen(yuan: Any) -> np.ndarray:
    """Parameter amounts (yuan, at most two decimals) as integer fen."""
    return np.rint(np.asarray(yuan, dtype=np.float64) * 100).astype(np.int64)


def _prorated(fen: np.ndarray, days: np.ndarray, month_days: int) -> np.ndarray:
    """fen × days / month_days, rounded half up, exactly (a full month gives fen back)."""
    return (2 * fen * days + month_days) // (2 * month_days)


class living_subsidy(Variable):
    value_type = int
    entity = Worker
    definition_period = MONTH
    label = "财政性生活补助 (fen)"

    def formula(worker, period, parameters):  # type: ignore[no-untyped-def]
        amounts = parameters(period).jiaocheng.living_subsidy
        full = where(
            worker("post", period) == Post.principal,
            _fen(amounts.principal),
            _fen(amounts.member),
        )
        return _prorated(full, worker("employed_days", period), period.size_in_days)


class social_work_subsidy(Variable):
    value_type = int
    entity = Worker
    definition_period = MONTH
    label = "持证社工补贴 (fen)"

    def formula(worker, period, parameters):  # type: ignore[no-untyped-def]
        amounts = parameters(period).jiaocheng.social_work_subsidy
        first, _ = _month_bounds(period)
        # 次月起: a certificate counts from the month after the one it was obtained in,
        # i.e. when it was obtained before this month's first day.
        held = worker("social_work_obtained_on", period) < first
        level = worker("social_work_level", period)
        full = select(
            [level == Level.junior, level == Level.intermediate, level == Level.senior],
            [_fen(amounts.junior), _fen(amounts.intermediate), _fen(amounts.senior)],
            0,
        )
        paid = held & np.logical_not(worker("in_establishment", period))
        return _prorated(
            np.where(paid, full, 0), worker("employed_days", period), period.size_in_days
        )


class gross(Variable):
    value_type = int
    entity = Worker
    definition_period = MONTH
    label = "应发合计 (fen)"

    def formula(worker, period, parameters):  # type: ignore[no-untyped-def]
        return worker("living_subsidy", period) + worker("social_work_subsidy", period)


def jiaocheng_system() -> TaxBenefitSystem:
    """A fresh tax-benefit system with the variables and the parameters above."""
    system = TaxBenefitSystem([Worker])
    system.add_variables(
        post,
        in_establishment,
        hired_on,
        left_on,
        social_work_level,
        social_work_obtained_on,
        employed_days,
        living_subsidy,
        social_work_subsidy,
        gross,
    )
    system.load_parameters(str(PARAMETERS))
    return system
