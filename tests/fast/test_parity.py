"""The vectorised month equals the itemised engine, line by line, for every row it pays."""

from __future__ import annotations

import decimal
from datetime import date
from decimal import Decimal

import pytest

np = pytest.importorskip("numpy")

from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from paycalc import Month, default_registry, payslip_for_version  # noqa: E402
from paycalc.errors import PaycalcError  # noqa: E402
from paycalc.fast import FAST, ITEMISED, SKIPPED, from_workers, pay_month  # noqa: E402
from paycalc.money import ROUNDING_MODES  # noqa: E402
from paycalc.scheme import SchemeVersion  # noqa: E402
from paycalc.testing import workers  # noqa: E402
from paycalc.worker import Worker  # noqa: E402
from tests.fast.kitchen import kitchen  # noqa: E402
from tests.helpers import worker  # noqa: E402

VERSIONS = sorted(default_registry(), key=lambda v: (v.family, v.version))
KITCHENS = {mode: kitchen(mode) for mode in sorted(ROUNDING_MODES)}


def _fen(amount: Decimal) -> int:
    return int(amount.scaleb(2))


def check_parity(version: SchemeVersion, month: Month, roster: list[Worker]) -> list[int]:
    """Assert the fast result equals the engine's for every FAST row; return the statuses."""
    columns = from_workers(roster)
    result = pay_month(columns, month, version)
    statuses = []
    for row, person in enumerate(roster):
        status = int(result.status[row])
        statuses.append(status)
        employed = person.hired_on <= month.last_day and (
            person.left_on is None or person.left_on >= month.first_day
        )
        if not employed:
            assert status == SKIPPED
            continue
        try:
            slip = payslip_for_version(person, month, version)
        except PaycalcError:
            assert status == ITEMISED, (person, "the engine refuses this row")
            continue
        full = person.hired_on <= month.first_day and (
            person.left_on is None or person.left_on >= month.last_day
        )
        if (
            full
            and not version.spec.scheme.income_tax
            and not columns.irregular[row]
            and not _part_year_reward(version, month, person)
        ):
            assert status == FAST, (person, "a full month the engine pays is paid fast")
        if status != FAST:
            continue
        expected = [(line.code, _fen(line.amount)) for line in slip.lines]
        assert result.lines(row) == expected, (person, month)
        assert int(result.gross[row]) == _fen(slip.gross)
        assert int(result.deductions[row]) == _fen(slip.deductions)
        assert int(result.net[row]) == _fen(slip.net)
        assert int(result.employer_cost[row]) == _fen(slip.employer_cost)
        post = version.post_code(person.post)
        assert result.post_codes[int(result.post[row])] == post
    return statuses


def _part_year_reward(version: SchemeVersion, month: Month, person: Worker) -> bool:
    """A yearly reward paid pro rata for a year joined part-way: the engine pays it."""
    from paycalc.scheme.model import Yearly

    return any(
        isinstance(c, Yearly)
        and c.pro_rata == "days_employed"
        and c.month == month.month
        and person.hired_on.year == month.year - 1
        and person.hired_on > date(month.year - 1, 1, 1)
        for c in version.spec.components
    )


def _month_after(version: SchemeVersion, offset: int) -> Month:
    return Month.of(version.effective_from).plus(offset)


bases = st.none() | st.decimals(0, 40000, places=3, allow_nan=False, allow_infinity=False)


@st.composite
def rosters(draw: st.DrawFn, version: SchemeVersion, month: Month) -> list[Worker]:
    people = draw(st.lists(workers(version, month=month, full_month=False), max_size=6))
    if version.spec.scheme.contribution_table is not None:
        people = [p.model_copy(update={"contribution_base": draw(bases)}) for p in people]
    return [p.model_copy(update={"id": f"W-{i}"}) for i, p in enumerate(people)]


@given(data=st.data())
def test_bundled_versions(data: st.DataObject) -> None:
    version = data.draw(st.sampled_from(VERSIONS))
    month = _month_after(version, data.draw(st.integers(0, 40)))
    check_parity(version, month, data.draw(rosters(version, month)))


@given(data=st.data())
def test_every_kind_and_rounding_mode(data: st.DataObject) -> None:
    version = KITCHENS[data.draw(st.sampled_from(sorted(KITCHENS)))]
    month = Month(2024, 1).plus(data.draw(st.integers(0, 23)))
    check_parity(version, month, data.draw(rosters(version, month)))


def test_columns_follow_the_engine_on_a_whole_year() -> None:
    """Every bundled version, every month of a year: hand-built edge cases."""
    for version in VERSIONS:
        for offset in range(14):
            month = _month_after(version, offset)
            check_parity(version, month, _edge_cases(version, month))


def _edge_cases(version: SchemeVersion, month: Month) -> list[Worker]:
    posts = sorted(version.spec.posts)
    inputs = {
        name: (
            spec.choices[0]
            if spec.type == "choice"
            else True
            if spec.type == "yes_no"
            else "12345.67"
        )
        for name, spec in version.spec.inputs.items()
    }
    first = month.first_day
    prev = month.plus(-1).first_day
    mid = month.plus(-30).first_day.replace(day=15).isoformat()
    out = []
    for index, post in enumerate(posts):
        band = version.post(post).grades
        common = {"post": post, "inputs": inputs, "scheme": version.family}
        history = {str(y): "excellent" for y in range(1986, month.year)}
        out += [
            # a long career: points and service push past the band (clamped)
            worker(
                **common,
                hired_on="1986-01-01",
                education="doctorate",
                appraisals=history,
                qualifications=[
                    {"kind": "social_work", "level": "senior", "obtained_on": "1990-03-03"},
                    {"kind": "title", "level": "senior", "obtained_on": "1991-03-03"},
                ],
                awards=[{"level": "national", "awarded_on": "1995-05-05"}],
                contribution_base="99999",
            ),
            # new: below the band's first threshold; certificate and award this month
            worker(
                **common,
                hired_on=prev.isoformat(),
                qualifications=[
                    {"kind": "social_work", "level": "junior", "obtained_on": prev.isoformat()},
                    {"kind": "social_work", "level": "senior", "obtained_on": first.isoformat()},
                    {"kind": "title", "level": "junior", "obtained_on": first.isoformat()},
                ],
                awards=[
                    {"level": "city", "awarded_on": prev.isoformat()},
                    {"level": "province", "awarded_on": prev.isoformat()},
                ],
            ),
            # nothing optional at all, hired on the 31st, failed years
            worker(
                **common,
                hired_on=date(2011, 1, 31).isoformat(),
                appraisals={str(y): "incompetent" for y in range(2011, month.year)},
                in_establishment=True,
            ),
            # a given grade at the top of the band (or none where there is no band)
            worker(**common, hired_on=mid, grade=band[1] if band else None),
            # partial month: leaves mid-month (the itemised engine pays it)
            worker(**common, hired_on=mid, left_on=first.replace(day=10).isoformat()),
        ]
        if index == 0:
            out.append(worker(**{**common, "post": "no such post"}, hired_on=mid))
    return [w.model_copy(update={"id": f"E-{i}"}) for i, w in enumerate(out)]


def test_caps_bind_in_the_kitchen_scheme() -> None:
    version = kitchen()
    month = Month(2025, 1)
    people = _edge_cases(version, month)
    statuses = check_parity(version, month, people)
    result = pay_month(from_workers(people), month, version)
    fast = np.array(statuses) == FAST
    assert fast.sum() >= 10
    assert (result.gross[fast] + result.employer[fast]).max() > 0


@pytest.mark.parametrize("mode", sorted(ROUNDING_MODES))
def test_rounding_matches_decimal(mode: str) -> None:
    from paycalc.fast.rounding import round_scaled

    values = list(range(-2050, 2051, 1))
    got = round_scaled(np.array(values, dtype=np.int64), 3, mode)
    expected = [int(Decimal(v).scaleb(-3).quantize(Decimal(1), rounding=mode)) for v in values]
    assert got.tolist() == expected
    assert decimal.ROUND_HALF_UP in ROUNDING_MODES
