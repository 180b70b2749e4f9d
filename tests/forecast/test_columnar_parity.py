"""The columnar CSV loader gives exactly the forecast the row-by-row fold gives.

Random CSV rosters (bad cells, unknown and duplicated columns, duplicate ids, blank and
ragged rows, GBK, BOM, quoted cells, mixed date forms, JSON columns, rows the itemised
engine pays, a ``by`` column) are forecast twice on the fast path: read by
:mod:`paycalc.forecasting.columnar` and folded row by row (``COLUMNAR_CSV = False``).
Everything must be equal: rows, errors, roster errors, file problems, counts.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("numpy")

from hypothesis import given
from hypothesis import strategies as st

from paycalc import default_registry
from paycalc.codes import LABELS, Appraisal, AwardLevel, Education, Level
from paycalc.errors import InputError
from paycalc.forecasting import Forecast, core, forecast, parse_assumptions
from paycalc.forecasting.columnar import load_csv_roster
from paycalc.period import Month
from tests.conftest import EXAMPLES

FAMILIES = ["demo.community-worker", "kunming.community-worker", "kunming.village-cadre"]
STARTS = ["2023-11", "2024-01", "2024-06", "2025-01"]

#: column key -> headers it may be written as
HEADERS: dict[str, list[str]] = {
    "name": ["姓名", "name"],
    "scheme": ["方案"],
    "left_on": ["离职日期", "left_on"],
    "in_establishment": ["是否在编"],
    "education": ["学历", "education"],
    "grade": ["等级"],
    "contribution_base": ["缴费基数"],
    "sw_level": ["社工证等级"],
    "sw_date": ["社工证取得日期"],
    "title_level": ["职称等级"],
    "title_date": ["职称取得日期"],
    "ap2022": ["考核2022"],
    "ap2023": ["2023年度考核", "appraisal_2023"],
    "ap_future": ["考核2031"],
    "award_level": ["表彰级别"],
    "award_date": ["表彰日期"],
    "award_title": ["表彰名称"],
    "rating": ["input:community_rating", "社区星级评定"],
    "street": ["街道"],
    "creation": ["达标创建", "input:creation"],
    "honour": ["荣誉奖励"],
    "income": ["村集体经济年经营性收入(元)", "input:collective_income"],
    "insured": ["参加基本养老保险"],
    "area": ["x_片区"],
    "unknown": ["foo"],
    "quals_json": ["资格证书"],
    "appraisals_json": ["考核"],
    "post_again": ["post"],
}


def _labels(codes: Any) -> list[str]:
    return [value for code in codes for value in (code.value, *LABELS[code])]


@st.composite
def dates(draw: st.DrawFn, low: int = 1995, high: int = 2026) -> str:
    year = draw(st.integers(low, high))
    month = draw(st.integers(1, 12))
    day = draw(st.sampled_from([1, 1, 2, 15, 28, 30, 31]))
    form = draw(st.sampled_from(["iso"] * 5 + ["slash", "chinese", "bad", "padded"]))
    if form == "slash":
        return f"{year}/{month}/{day}"
    if form == "chinese":
        return f"{year}年{month}月{day}日"
    if form == "bad":
        return draw(st.sampled_from([f"{year}.{month}.{day}", "yesterday", "2023-02-30", ""]))
    if form == "padded":
        return f" {year}-{month:02d}-{day:02d} "
    return f"{year}-{month:02d}-{day:02d}"


def _cell(draw: st.DrawFn, key: str, posts: list[str], family: str) -> str:
    maybe_bad = draw(st.integers(0, 24)) == 0
    if key == "hired_on":
        return draw(dates(1998, 2025))
    if key in ("name", "street", "area", "unknown"):
        return draw(st.sampled_from(["", "甲", "乙", " 丙 ", "第1街道", "第2街道"]))
    if key == "scheme":
        others = [*FAMILIES, "", "no.such-scheme"] if maybe_bad else FAMILIES
        return family if draw(st.integers(0, 5)) else draw(st.sampled_from(others))
    if key in ("post", "post_again"):
        return draw(st.sampled_from(posts + (["不存在的岗位", ""] if maybe_bad else [])))
    if key == "left_on":
        return draw(st.sampled_from(["", "", ""])) if not maybe_bad else draw(dates(2020, 2026))
    if key in ("sw_date", "title_date", "award_date"):
        return draw(dates(2005, 2024))
    if key == "in_establishment":
        return draw(
            st.sampled_from(["是", "否", "", "true", "0"] + (["maybe"] if maybe_bad else []))
        )
    if key == "education":
        return draw(
            st.sampled_from(_labels(Education) + ["", " 本科 "] + (["小学"] if maybe_bad else []))
        )
    if key == "grade":
        return draw(
            st.sampled_from(
                ["", "", "1", "3", "07", "12"] + (["0", "x", "-1"] if maybe_bad else [])
            )
        )
    if key == "contribution_base":
        return draw(
            st.sampled_from(["", "", "4500", "5000.50"] + (["abc", "-1"] if maybe_bad else []))
        )
    if key in ("sw_level", "title_level"):
        return draw(st.sampled_from(_labels(Level) + (["", "特级"] if maybe_bad else [])))
    if key in ("ap2022", "ap2023", "ap_future"):
        return draw(st.sampled_from(["", *_labels(Appraisal)] + (["很好"] if maybe_bad else [])))
    if key == "award_level":
        return draw(st.sampled_from(_labels(AwardLevel) + (["", "村级"] if maybe_bad else [])))
    if key == "creation":
        return draw(st.sampled_from(["示范", "达标", "未达标"] + (["", "优"] if maybe_bad else [])))
    if key == "honour":
        return draw(st.sampled_from(["无", "县级", "市级", "省级及以上"]))
    if key == "income":
        return draw(
            st.sampled_from(
                ["120000", "0", "85000.5", " 3000 "] + (["abc", "1e5"] if maybe_bad else [])
            )
        )
    if key == "insured":
        return draw(st.sampled_from(["是", "否", "yes", "1"] + (["", "也许"] if maybe_bad else [])))
    if key == "award_title":
        return draw(st.sampled_from(["", "先进个人"]))
    if key == "rating":
        return draw(st.sampled_from(["A", "B", "C", " B "] + (["", "Z"] if maybe_bad else [])))
    if key == "quals_json":
        return draw(
            st.sampled_from(
                [
                    "",
                    '[{"kind": "social_work", "level": "中级", "obtained_on": "2019-10-15"}]',
                    '[{"kind": "title", "level": "junior", "obtained_on": "2018-05-01"}]',
                    "[{bad json",
                ]
            )
        )
    if key == "appraisals_json":
        return draw(st.sampled_from(["", '{"2021": "优秀"}', '{"2023": "competent"}', "[1]"]))
    raise AssertionError(key)


@st.composite
def rosters(draw: st.DrawFn) -> dict[str, Any]:
    family = draw(st.sampled_from(FAMILIES))
    start = Month.parse(draw(st.sampled_from(STARTS)))
    registry = default_registry()
    version = registry.version_for(family, start)
    posts = [p for code, post in version.spec.posts.items() for p in (code, post.label)]
    keys = draw(st.lists(st.sampled_from(sorted(HEADERS)), unique=True, max_size=9))
    pairs = {"sw_level": "sw_date", "title_level": "title_date", "award_level": "award_date"}
    keys += [pairs[k] for k in keys if k in pairs and pairs[k] not in keys and draw(st.booleans())]
    needed = {
        "demo.community-worker": ["rating"],
        "kunming.village-cadre": ["creation", "honour", "income", "insured"],
    }
    if draw(st.integers(0, 9)):
        keys += [k for k in needed.get(family, []) if k not in keys]
    headers = ["工号" if draw(st.booleans()) else "id", "岗位", "入职日期"]
    if draw(st.integers(0, 12)) == 0:
        headers.remove(draw(st.sampled_from(headers)))  # a required column missing
    headers += [draw(st.sampled_from(HEADERS[key])) for key in keys]
    if draw(st.integers(0, 10)) == 0:
        headers.append(headers[-1])  # a duplicated header
    order = draw(st.permutations(range(len(headers))))
    headers = [headers[i] for i in order]
    key_of = {h: k for k, hs in HEADERS.items() for h in hs}
    key_of.update({"工号": "id", "id": "id", "岗位": "post", "入职日期": "hired_on"})
    profiles = []
    for _ in range(draw(st.integers(1, 5))):
        profile = {}
        for header in headers:
            key = key_of[header]
            if key == "id":
                continue
            if key == "hired_on":
                profile[header] = draw(dates(1998, 2025))
            else:
                profile[header] = _cell(draw, key, posts, family)
        profiles.append(profile)
    rows: list[list[str]] = []
    for number in range(draw(st.integers(0, 30))):
        kind = draw(st.integers(0, 19))
        if kind == 0:
            rows.append([""] * draw(st.integers(0, len(headers) + 1)))  # blank row
            continue
        row = dict(draw(st.sampled_from(profiles)))
        for header in headers:
            key = key_of[header]
            if key == "id":
                row[header] = draw(
                    st.sampled_from([f"W{number}"] * 8 + ["W1", "W2", "", f" W{number} "])
                )
            elif key == "hired_on" and draw(st.booleans()):
                row[header] = draw(dates(1998, 2025))  # same profile, another hire day
            elif draw(st.integers(0, 30)) == 0:
                row[header] = _cell(draw, key, posts, family)
        cells = [row[h] for h in headers]
        if kind == 1:
            cells = cells[: draw(st.integers(0, len(cells)))]  # a short row
        elif kind == 2:
            cells = [*cells, draw(st.sampled_from(["", "extra"]))]  # a long row
        rows.append(cells)
    by = draw(st.sampled_from([None, None, "post", "nope", *headers]))
    assumptions: dict[str, Any] = {"seed": draw(st.integers(0, 1000))}
    if draw(st.booleans()):
        assumptions["appraisals"] = {
            "distribution": {
                "excellent": Decimal("0.2"),
                "competent": Decimal("0.6"),
                "basic": Decimal("0.1"),
                "incompetent": Decimal("0.1"),
            }
        }
    if draw(st.booleans()):
        assumptions["attrition"] = {"monthly_rate": Decimal(draw(st.integers(0, 20))) / 100}
    if draw(st.booleans()):
        assumptions["hiring"] = {
            "per_month": draw(st.integers(1, 2)),
            "template": {"scheme": family, "post": posts[0], "inputs": {"community_rating": "B"}},
        }
    assumptions["given_grades"] = draw(st.sampled_from(["keep", "derive"]))
    return {
        "family": family,
        "start": start,
        "months": draw(st.integers(1, 14)),
        "headers": headers,
        "rows": rows,
        "by": by,
        "assumptions": assumptions,
        "scheme": draw(st.sampled_from([family, family, family, None])),
        "encoding": draw(st.sampled_from(["utf-8", "utf-8-sig", "gbk"])),
        "quoting": draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL])),
        "newline": draw(st.sampled_from(["\r\n", "\n"])),
    }


def _write(path: Path, case: dict[str, Any]) -> None:
    buffer = io.StringIO()
    out = csv.writer(buffer, quoting=case["quoting"], lineterminator=case["newline"])
    out.writerow(case["headers"])
    out.writerows(case["rows"])
    path.write_bytes(buffer.getvalue().encode(case["encoding"]))


def _run(path: Path, case: dict[str, Any], columnar: bool) -> Forecast | str:
    saved = core.COLUMNAR_CSV
    core.COLUMNAR_CSV = columnar
    try:
        return forecast(
            path,
            case["start"],
            case["months"],
            parse_assumptions(case["assumptions"]),
            by=case["by"],
            scheme=case["scheme"],
            fast=True,
        )
    except InputError as error:
        return f"InputError: {error.problems}"
    finally:
        core.COLUMNAR_CSV = saved


@given(rosters())
def test_columnar_loader_equals_row_by_row_fold(
    tmp_path_factory: Any, case: dict[str, Any]
) -> None:
    path = tmp_path_factory.mktemp("roster") / "roster.csv"
    _write(path, case)
    new = _run(path, case, columnar=True)
    old = _run(path, case, columnar=False)
    if isinstance(old, str) or isinstance(new, str):
        assert new == old
        return
    assert new.roster_errors == old.roster_errors
    assert new.file_problems == old.file_problems
    assert (new.rows_in, new.workers_in, new.cohorts) == (old.rows_in, old.workers_in, old.cohorts)
    assert new.errors == old.errors
    assert new.rows == old.rows
    assert new == old


CSV_WITH_FALLBACK_ROWS = """工号,姓名,方案,岗位,入职日期,离职日期,学历,社工证等级,社工证取得日期,考核2023,社区星级评定,街道
K-1,,kunming.community-worker,{kpost},2015-03-01,,本科,中级,2019-10-15,优秀,,第1街道
K-2,,kunming.community-worker,{kpost},2024-02-17,,大专,,,,,第2街道
D-1,,demo.community-worker,正职,2016-09-01,,本科,,,称职,A,第1街道
D-2,,demo.community-worker,副职,2024-03-10,,硕士,初级,2023-10-15,,B,第2街道
D-3,,demo.community-worker,专职委员,2012-01-01,2024-05-20,高中,,,基本称职,C,第1街道
D-4,,demo.community-worker,专职委员,2012-01-09,2024-05-20,高中,,,基本称职,C,第1街道
D-5,,demo.community-worker,不存在的岗位,2012-01-01,,高中,,,,C,第2街道
"""


def test_rows_paid_by_the_itemised_engine_are_paid_as_by_the_itemised_path(
    tmp_path: Path,
) -> None:
    registry = default_registry()
    version = registry.version_for("kunming.community-worker", Month(2024, 1))
    assert version.spec.scheme.income_tax
    path = tmp_path / "roster.csv"
    path.write_text(
        CSV_WITH_FALLBACK_ROWS.format(kpost=next(iter(version.spec.posts))), encoding="utf-8"
    )
    assumptions = parse_assumptions({"seed": 5, "attrition": {"annual_rate": Decimal("0.3")}})
    fast = forecast(path, "2024-01", 8, assumptions, by="街道", fast=True)
    slow = forecast(path, "2024-01", 8, assumptions, by="街道", fast=False)
    assert fast.errors and fast.errors == slow.errors  # the unknown post, every month
    assert fast.rows == slow.rows
    assert fast.roster_errors == slow.roster_errors == []
    assert fast.computed > 0


def test_workers_are_built_only_for_rows_the_itemised_engine_pays(tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    path.write_text(CSV_WITH_FALLBACK_ROWS.format(kpost="x"), encoding="utf-8")
    loaded = load_csv_roster(path, Month(2024, 1), schemes=default_registry())
    assert loaded.cohorts == 7 and loaded.rows_in == 7 and loaded.errors == []
    assert all(isinstance(handle, int) for handle in loaded.state.handles)
    worker = loaded.state.worker(1)
    assert (worker.id, worker.hired_on.isoformat()) == ("K-2", "2024-02-17")


def test_demo_roster_files_in_every_encoding() -> None:
    for name in ("demo.csv", "demo-gbk.csv"):
        path = EXAMPLES / "rosters" / name
        case = {
            "start": Month(2024, 5),
            "months": 18,
            "assumptions": {"seed": 1, "attrition": {"annual_rate": Decimal("0.5")}},
            "by": "街道",
            "scheme": None,
        }
        new, old = _run(path, case, columnar=True), _run(path, case, columnar=False)
        assert isinstance(new, Forecast) and new == old
