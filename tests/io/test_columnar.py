"""The columnar roster loader reads every roster exactly as the row reader and its fold.

:func:`paycalc.io.columnar.read_cohorts` (pyarrow, or the row reader's own reader) must
give what :func:`paycalc.forecasting.cohorts.fold_roster_file` gives — every row read and
checked by the row reader, then folded by pay profile: the same cohorts in the same order
(columns equal to ``from_workers`` of the reference workers, code tables included), counts,
groups, row errors (row, column, message) and file problems; and a forecast from either
is the same, row for row. Random CSV rosters cover every column kind with valid and invalid
cells, quoting, encodings, line ends, ragged and blank rows, duplicated ids and columns;
the hostile roster catalogue and the bundled examples are read both ways too.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path
from typing import Any
from unittest import mock

import pytest

np = pytest.importorskip("numpy")

from hypothesis import event, given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from paycalc import default_registry, limits  # noqa: E402
from paycalc.codes import LABELS, Appraisal, AwardLevel, Education, Level  # noqa: E402
from paycalc.columns import from_parts, from_workers  # noqa: E402
from paycalc.errors import InputError  # noqa: E402
from paycalc.forecasting import Forecast, forecast, parse_assumptions  # noqa: E402
from paycalc.forecasting.cohorts import Folded, fold_roster_file  # noqa: E402
from paycalc.io import columnar  # noqa: E402
from paycalc.io.columnar import LoadedRoster, read_cohorts  # noqa: E402
from paycalc.io.identity import gb11643_check_digit  # noqa: E402
from paycalc.io.roster import read_roster  # noqa: E402
from paycalc.period import Month  # noqa: E402
from tests.conftest import EXAMPLES  # noqa: E402
from tests.io.same_load import assert_same_columns, assert_same_load  # noqa: E402

HAVE_ARROW = columnar.pyarrow_available()
READERS = ["pyarrow", "rows"] if HAVE_ARROW else ["rows"]


# --- comparing a load with the reference --------------------------------------------------


By = str | list[str] | None


def reference(path: Path, start: Month, by: By) -> Folded | str:
    try:
        return fold_roster_file(str(path), start, schemes=default_registry(), by=by)
    except ValueError as error:
        return str(error)


def loaded(path: Path, start: Month, by: By, reader: str) -> LoadedRoster | str:
    try:
        return read_cohorts(path, start, schemes=default_registry(), by=by, reader=reader)
    except ValueError as error:
        return str(error)


def check_load(path: Path, start: Month, by: By) -> list[str]:
    """Every reader against the reference; the readers that read the cells."""
    want = reference(path, start, by)
    used = []
    for reader in READERS:
        got = loaded(path, start, by, reader)
        if isinstance(want, str) or isinstance(got, str):
            assert got == want
            continue
        assert_same_load(got, want)
        used.append(got.reader)
    return used


def reference_loaded(path: Any, start: Month, *, schemes: Any = None, by: Any = None,
                     **_: Any) -> LoadedRoster:  # fmt: skip
    """The reference fold as a LoadedRoster (what forecasts read when patched in)."""
    from paycalc.forecasting.core import _from_folded  # forecasts' own Folded → columns

    return _from_folded(fold_roster_file(str(path), start, schemes=schemes, by=by))


def forecast_both(path: Path, **options: Any) -> tuple[Forecast | str, Forecast | str]:
    def run() -> Forecast | str:
        try:
            return forecast(path, **options)
        except InputError as error:
            return f"InputError: {error.problems}"

    new = run()
    with mock.patch.object(columnar, "read_cohorts", reference_loaded):
        old = run()
    return new, old


# --- random rosters -------------------------------------------------------------------------

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
    "ap2023_wide": ["考核２０２３"],  # full-width digits: the same year as 2023年度考核
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
    "awards_json": ["表彰"],
    "inputs_json": ["其他输入"],
    "tax_json": ["个税信息"],
    "children": ["子女教育"],
    "share": ["子女扣除比例"],
    "loan": ["住房贷款利息"],
    "degree": ["学历继续教育"],
    "degree_start": ["学历继续教育开始日期"],
    "bonus": ["年终奖计税方式"],
    "id_type": ["证件类型"],
    "id_number": ["身份证号"],
    "bank": ["银行账号"],
    "phone": ["手机"],
}
ID_NUMBER = "11010519491231002"
VALID_ID = ID_NUMBER + gb11643_check_digit(ID_NUMBER)
WRONG_ID = ID_NUMBER + ("0" if VALID_ID[-1] != "0" else "1")


def _labels(codes: Any) -> list[str]:
    return [value for code in codes for value in (code.value, *LABELS[code])]


@st.composite
def dates(draw: st.DrawFn, low: int = 1995, high: int = 2026) -> str:
    year = draw(st.integers(low, high))
    month = draw(st.integers(1, 12))
    day = draw(st.sampled_from([1, 1, 2, 15, 28, 30, 31]))
    form = draw(st.sampled_from(["iso"] * 9 + ["slash", "chinese", "bad", "padded"]))
    if form == "slash":
        return f"{year}/{month}/{day}"
    if form == "chinese":
        return f"{year}年{month}月{day}日"
    if form == "bad":
        return draw(st.sampled_from([f"{year}.{month}.{day}", "yesterday", "2023-02-30", "",
                                     "1900-01-01", "2150-01-01"]))  # fmt: skip
    if form == "padded":
        return f" {year}-{month:02d}-{day:02d} "
    return f"{year}-{month:02d}-{day:02d}"


def _cell(draw: st.DrawFn, key: str, posts: list[str], family: str) -> str:
    bad = draw(st.integers(0, 20)) == 0
    pick = draw
    if key == "hired_on":
        return pick(dates(1998, 2025))
    if key in ("name", "street", "area", "unknown"):
        return pick(st.sampled_from(["", "甲", "乙", " 丙 ", "第1街道", "第2街道", "a,b", '说"好"',
                                     "甲\n乙", "\u3000丁"]))  # fmt: skip
    if key == "scheme":
        others = [*FAMILIES, "", "no.such-scheme"] if bad else FAMILIES
        return family if pick(st.integers(0, 5)) else pick(st.sampled_from(others))
    if key in ("post", "post_again"):
        return pick(st.sampled_from(posts + (["不存在的岗位", ""] if bad else [])))
    if key == "left_on":
        return "" if not bad else pick(dates(2020, 2026))
    if key in ("sw_date", "title_date", "award_date", "degree_start"):
        return pick(dates(2005, 2024))
    if key == "in_establishment":
        return pick(st.sampled_from(["是", "否", "", "true", "0"] + (["maybe"] if bad else [])))
    if key == "education":
        return pick(st.sampled_from(_labels(Education) + ["", " 本科 "] + (["小学"] if bad else [])))
    if key == "grade":
        return pick(st.sampled_from(["", "", "1", "3", "07", "12"] + (["0", "x", "-1"] if bad else [])))
    if key == "contribution_base":
        return pick(st.sampled_from(["", "", "4500", "5000.50", "5000.5"] + (["abc", "-1"] if bad else [])))
    if key in ("sw_level", "title_level"):
        return pick(st.sampled_from(_labels(Level) + (["", "特级"] if bad else [])))
    if key in ("ap2022", "ap2023", "ap2023_wide", "ap_future"):
        return pick(st.sampled_from(["", *_labels(Appraisal)] + (["很好"] if bad else [])))
    if key == "award_level":
        return pick(st.sampled_from(_labels(AwardLevel) + (["", "村级"] if bad else [])))
    if key == "creation":
        return pick(st.sampled_from(["示范", "达标", "未达标"] + (["", "优"] if bad else [])))
    if key == "honour":
        return pick(st.sampled_from(["无", "县级", "市级", "省级及以上"]))
    if key == "income":
        return pick(st.sampled_from(["120000", "0", "85000.5", " 3000 "] + (["abc", "1e5"] if bad else [])))
    if key == "insured":
        return pick(st.sampled_from(["是", "否", "yes", "1"] + (["", "也许"] if bad else [])))
    if key == "award_title":
        return pick(st.sampled_from(["", "先进个人"]))
    if key == "rating":
        return pick(st.sampled_from(["A", "B", "C", " B "] + (["", "Z"] if bad else [])))
    if key == "quals_json":
        return pick(st.sampled_from(["", '[{"kind": "social_work", "level": "中级", "obtained_on": "2019-10-15"}]',
                                     '[{"kind": "title", "level": "junior", "obtained_on": "2018-05-01"}]',
                                     "[{bad json"]))  # fmt: skip
    if key == "appraisals_json":
        return pick(st.sampled_from(["", '{"2021": "优秀"}', '{"2023": "competent"}', "[1]"]))
    if key == "awards_json":
        return pick(st.sampled_from(["", '[{"level": "市级", "awarded_on": "2023-05-01"}]', "{}"]))
    if key == "inputs_json":
        return pick(st.sampled_from(["", '{"community_rating": "A"}', '{"x": 1}']))
    if key == "tax_json":
        return pick(st.sampled_from(["", '{"children_in_education": 1}', '{"infants": -1}']))
    if key == "children":
        return pick(st.sampled_from(["", "0", "1", "2"] + (["x", "-1"] if bad else [])))
    if key == "share":
        return pick(st.sampled_from(["", "50%", "1", "0.5"] + (["0.3"] if bad else [])))
    if key in ("loan", "degree"):
        return pick(st.sampled_from(["", "是", "否"] + (["也许"] if bad else [])))
    if key == "bonus":
        return pick(st.sampled_from(["", "单独计税", "并入综合所得"] + (["随便"] if bad else [])))
    if key == "id_type":
        return pick(st.sampled_from(["", "居民身份证", "身份证"] + (["护照", "驾照"] if bad else [])))
    if key == "id_number":
        return pick(st.sampled_from(["", VALID_ID, VALID_ID.lower()] + ([WRONG_ID, "123"] if bad else [])))
    if key == "bank":
        return pick(st.sampled_from(["", "6222 0202 0011 2233"] + (["12ab"] if bad else [])))
    if key == "phone":
        return pick(st.sampled_from(["", "13800138000"] + (["12"] if bad else [])))
    raise AssertionError(key)


def _id(draw: st.DrawFn, number: int) -> str:
    return draw(st.sampled_from([f"W{number:03d}"] * 12 + ["W001", "W002", "", f" W{number:03d} ", "  "]))


@st.composite
def rosters(draw: st.DrawFn) -> dict[str, Any]:
    family = draw(st.sampled_from(FAMILIES))
    start = Month.parse(draw(st.sampled_from(STARTS)))
    version = default_registry().version_for(family, start)
    posts = [p for code, post in version.spec.posts.items() for p in (code, post.label)]
    keys = draw(st.lists(st.sampled_from(sorted(HEADERS)), unique=True, max_size=9))
    pairs = {"sw_level": "sw_date", "title_level": "title_date", "award_level": "award_date",
             "degree": "degree_start", "id_type": "id_number"}  # fmt: skip
    keys += [pairs[k] for k in keys if k in pairs and pairs[k] not in keys and draw(st.booleans())]
    needed = {
        "demo.community-worker": ["rating"],
        "kunming.village-cadre": ["creation", "honour", "income", "insured"],
    }
    if draw(st.integers(0, 9)):
        keys += [k for k in needed.get(family, []) if k not in keys]
    headers = ["工号" if draw(st.booleans()) else "id", "岗位", "入职日期"]
    if draw(st.integers(0, 15)) == 0:
        headers.remove(draw(st.sampled_from(headers)))  # a required column missing
    headers += [draw(st.sampled_from(HEADERS[key])) for key in keys]
    if draw(st.integers(0, 12)) == 0:
        headers.append(headers[-1])  # a duplicated header
    if draw(st.integers(0, 12)) == 0:
        headers.append("post")  # 岗位 again, in English: columns in conflict
    order = draw(st.permutations(range(len(headers))))
    headers = [headers[i] for i in order]
    key_of = {h: k for k, hs in HEADERS.items() for h in hs}
    key_of.update({"工号": "id", "id": "id", "岗位": "post", "入职日期": "hired_on", "post": "post"})
    profiles = []
    for _ in range(draw(st.integers(1, 5))):
        profile = {}
        for header in headers:
            key = key_of[header]
            if key != "id":
                profile[header] = _cell(draw, key, posts, family)
        profiles.append(profile)
    rows: list[list[str]] = []
    ragged = draw(st.integers(0, 4)) == 0  # rows shorter or longer than the header
    for number in range(draw(st.integers(0, 24))):
        kind = draw(st.integers(0, 24)) if ragged else draw(st.sampled_from([0] + [3] * 12))
        if kind == 0:
            width = draw(st.integers(0, len(headers) + 1)) if ragged else len(headers)
            rows.append([draw(st.sampled_from(["", " "]))] * width)
            continue
        row = dict(draw(st.sampled_from(profiles)))
        for header in headers:
            key = key_of[header]
            if key == "id":
                row[header] = _id(draw, number)
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
    named = ["post", "nope", *headers]
    by = draw(
        st.one_of(
            st.sampled_from([None, None, *named]),  # one column, or several (joined by "|")
            st.lists(st.sampled_from(named), min_size=2, max_size=3, unique=True),
        )
    )
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
    assumptions["given_grades"] = draw(st.sampled_from(["keep", "derive"]))
    return {
        "start": start,
        "months": draw(st.integers(1, 4)),
        "headers": headers,
        "rows": rows,
        "by": by,
        "assumptions": assumptions,
        "scheme": draw(st.sampled_from([family, family, None])),
        "encoding": draw(st.sampled_from(["utf-8"] * 4 + ["utf-8-sig", "gbk", "gb18030"])),
        "quoting": draw(st.sampled_from([csv.QUOTE_MINIMAL] * 3 + [csv.QUOTE_ALL])),
        "newline": draw(st.sampled_from(["\n", "\n", "\r\n", "\r"])),
        "mutations": draw(st.lists(st.sampled_from(MUTATIONS), max_size=2, unique=True))
        if draw(st.integers(0, 2)) == 0
        else [],
        "cell_limit": draw(st.sampled_from([None] * 6 + [12])),
    }


#: text-level damage a writer would not make (each one the row reader must report as it does)
MUTATIONS = [
    "blank lines",  # empty lines between rows, and before the header
    "spaces line",  # a line of spaces and one of commas
    "stray quote",  # a quote in an unquoted cell
    "text after quote",  # "a"b
    "unclosed quote",  # a quote that never closes
    "bad bytes",  # a line that is neither UTF-8 nor GB18030
    "mixed encodings",  # one GBK line in a UTF-8 file with Chinese
    "no final newline",
]


def _text(case: dict[str, Any]) -> bytes:
    buffer = io.StringIO()
    out = csv.writer(buffer, quoting=case["quoting"], lineterminator=case["newline"])
    out.writerow(case["headers"])
    out.writerows(case["rows"])
    text = buffer.getvalue()
    nl = case["newline"]
    lines = text.split(nl)
    mutations = case["mutations"]
    if "blank lines" in mutations:
        lines = ["", *lines[:2], "", *lines[2:]]
    if "spaces line" in mutations:
        lines[1:1] = ["   ", ",,,"]
    if "stray quote" in mutations:
        lines.insert(len(lines) - 1, 'W900,a"b,2020-01-01')
    if "text after quote" in mutations:
        lines.insert(len(lines) - 1, 'W901,"a"b,2020-01-01')
    if "unclosed quote" in mutations:
        lines.insert(len(lines) - 1, 'W902,"a,2020-01-01')
    text = nl.join(lines)
    if "no final newline" in mutations:
        text = text.rstrip("\r\n")
    encoding = case["encoding"]
    data = text.encode(encoding, errors="replace")
    if "bad bytes" in mutations:
        data += b"W903,\xff\xfe\x80,2020-01-01" + nl.encode()
    if "mixed encodings" in mutations:
        other = "gbk" if encoding.startswith("utf") else "utf-8"
        data += "W904,张三,2020-01-01".encode(other) + nl.encode()
    return data


@given(rosters())
def test_random_csv_rosters_load_and_forecast_as_the_row_reader_reads_them(
    tmp_path_factory: pytest.TempPathFactory, case: dict[str, Any]
) -> None:
    path = tmp_path_factory.mktemp("roster") / "roster.csv"
    path.write_bytes(_text(case))
    limit = case["cell_limit"] or limits.MAX_CELL_CHARS
    with mock.patch.object(limits, "MAX_CELL_CHARS", limit):
        event(f"read by {check_load(path, case['start'], case['by'])}")
        new, old = forecast_both(
            path,
            start=case["start"],
            months=case["months"],
            assumptions=parse_assumptions(case["assumptions"]),
            by=case["by"],
            scheme=case["scheme"],
        )
    if isinstance(new, str) or isinstance(old, str):
        assert new == old
        return
    event(f"rows with errors: {min(len(new.roster_errors), 3)}; cohorts: {min(new.cohorts, 3)}")
    assert new.roster_errors == old.roster_errors
    assert new.file_problems == old.file_problems
    assert (new.rows_in, new.workers_in, new.cohorts) == (old.rows_in, old.workers_in, old.cohorts)
    assert new.errors == old.errors
    assert new.rows == old.rows
    assert new == old


# --- the bundled rosters and the hostile catalogue -------------------------------------------


@pytest.mark.parametrize("path", sorted((EXAMPLES / "rosters").iterdir()), ids=lambda p: p.name)
@pytest.mark.parametrize("by", [None, "街道", "post", ["街道", "post"]])
def test_bundled_rosters_load_and_forecast_as_the_row_reader_reads_them(
    path: Path, by: By
) -> None:
    if path.suffix == ".xlsx":
        pytest.importorskip("openpyxl")
    start = Month(2024, 5)
    check_load(path, start, by)
    assumptions = parse_assumptions({"seed": 1, "attrition": {"annual_rate": Decimal("0.5")}})
    new, old = forecast_both(path, start=start, months=14, assumptions=assumptions, by=by)
    assert new == old
    if isinstance(new, Forecast):  # the examples are valid rosters
        assert new.rows and not new.roster_errors and not new.file_problems


def _hostile_rosters() -> list[Any]:
    from tests.hostile.catalogue import cases
    from tests.hostile.test_rosters import ROSTERS

    return cases(*ROSTERS)


@pytest.mark.parametrize("case", _hostile_rosters())
def test_hostile_rosters_load_as_the_row_reader_reads_them(
    case: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data: dict[str, Any] = case.data
    if data["format"] == "xlsx":
        pytest.importorskip("openpyxl")
    # the forecast's bounds (rows, file size) set to the row reader's, to compare the two
    forecast_bound = {"MAX_ROWS": "MAX_FORECAST_ROWS", "MAX_FILE_BYTES": "MAX_FORECAST_FILE_BYTES"}
    for name, value in data.get("limits", {}).items():
        monkeypatch.setattr(limits, name, value)
        if name in forecast_bound:
            monkeypatch.setattr(limits, forecast_bound[name], value)
    path = tmp_path / f"hostile.{data['format']}"
    path.write_bytes(data["make"]())
    check_load(path, Month(2024, 1), None)


@pytest.mark.parametrize("reader", ["auto", "rows"])
def test_a_forecast_reads_more_rows_than_a_payroll_run(
    reader: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # bounds lowered for the test: a run reads 3 rows, a forecast 5 (no Worker per row)
    monkeypatch.setattr(limits, "MAX_ROWS", 3)
    monkeypatch.setattr(limits, "MAX_FORECAST_ROWS", 5)
    head = "工号,姓名,方案,岗位,入职日期\n"
    rows = [f"W{i},甲,demo.community-worker,正职,2012-03-15\n" for i in range(6)]
    four, six = tmp_path / "four.csv", tmp_path / "six.csv"
    four.write_text(head + "".join(rows[:4]), encoding="utf-8")
    six.write_text(head + "".join(rows), encoding="utf-8")
    assert [p.message for p in read_roster(four).file_problems] == [
        "more than 3 data rows: the file is refused (split the roster)"
    ]
    loaded = read_cohorts(four, Month(2024, 1), reader=reader)
    assert loaded.file_problems == [] and loaded.errors == []
    assert loaded.rows_in == 4 and loaded.workers == 4
    refused = read_cohorts(six, Month(2024, 1), reader=reader)
    assert [(p.location, p.message) for p in refused.file_problems] == [
        ("row 7", "more than 5 data rows: the file is refused (split the roster)")
    ]
    # and the run's bound is back once the forecast's reading is over
    assert limits.rows_allowed() == 3


# --- which reader reads what ------------------------------------------------------------------

PLAIN = "工号,姓名,方案,岗位,入职日期,社区星级评定\nW1,甲,demo.community-worker,正职,2012-03-15,A\n"


@pytest.mark.skipif(not HAVE_ARROW, reason="pyarrow is not installed")
@pytest.mark.parametrize(
    ("name", "data", "reader"),
    [
        ("plain", PLAIN.encode(), "pyarrow"),
        ("crlf and bom", b"\xef\xbb\xbf" + PLAIN.replace("\n", "\r\n").encode(), "pyarrow"),
        ("gbk", PLAIN.encode("gbk"), "pyarrow"),
        ("quoted line break", PLAIN.replace("甲", '"甲\n乙"').encode(), "pyarrow"),
        ("blank lines", PLAIN.replace("\n", "\n\n").encode(), "pyarrow"),
        ("stray quote", PLAIN.replace("甲", 'a"b').encode(), "rows"),
        ("ragged row", (PLAIN + "W2,乙\n").encode(), "rows"),
        ("mixed encodings", PLAIN.encode() + "W2,张三".encode("gbk"), "rows"),
    ],
)
def test_pyarrow_reads_what_it_reads_exactly_and_leaves_the_rest(
    name: str, data: bytes, reader: str, tmp_path: Path
) -> None:
    path = tmp_path / "r.csv"
    path.write_bytes(data)
    got = read_cohorts(path, Month(2024, 1), schemes=default_registry())
    assert got.reader == reader, name
    assert check_load(path, Month(2024, 1), None) == [reader, "rows"]


@pytest.mark.skipif(not HAVE_ARROW, reason="pyarrow is not installed")
def test_every_whitespace_character_is_caught_by_the_padding_bytes() -> None:
    # A cell with a space around it is found by its first or last byte alone (the rest of
    # the ids are compared as written): every character str.strip removes must be covered.
    from paycalc.io.arrow import LEAD_BYTES, TRAIL_BYTES

    spaces = [chr(c) for c in range(0x110000) if chr(c).isspace()]
    assert "\u3000" in spaces and "\x1c" in spaces  # ideographic space, file separator
    for space in spaces:
        encoded = space.encode("utf-8")
        assert encoded[0] in LEAD_BYTES and encoded[-1] in TRAIL_BYTES, hex(ord(space))


def test_duplicate_ids_fail_on_every_row_they_are_on(tmp_path: Path) -> None:
    # the row reader's rule: which of the rows is right, HR must say (rows 2 and 4 here;
    # " W1 " is W1 once trimmed)
    path = tmp_path / "r.csv"
    path.write_text(PLAIN + "W2,乙,demo.community-worker,正职,2012-03-15,A\n"
                    + " W1 ,丙,demo.community-worker,正职,2012-03-15,A\n", encoding="utf-8")  # fmt: skip
    for reader in READERS:
        got = read_cohorts(path, Month(2024, 1), schemes=default_registry(), reader=reader)
        assert [(e.row, e.worker_id, e.reason) for e in got.errors] == [
            (2, "W1", "duplicate worker id 'W1' (also on row 4)"),
            (4, "W1", "duplicate worker id 'W1' (also on row 2)"),
        ]
        assert got.counts.tolist() == [1] and got.columns.ids == ["W2"]


@given(st.lists(st.sampled_from(["demo.csv", "demo.jsonl", "jiaocheng.jsonl"]), min_size=1, max_size=3),
       st.data())  # fmt: skip
def test_from_parts_with_one_part_per_row_is_from_workers(files: list[str], data: st.DataObject) -> None:
    from paycalc.io import read_roster

    workers = [w for name in files for w in read_roster(EXAMPLES / "rosters" / name).workers]
    order = data.draw(st.permutations(range(len(workers))))
    workers = [workers[i] for i in order]
    want = from_workers(workers)
    got = from_parts(workers, {}, np.arange(len(workers)), ids=want.ids, names=want.names,
                     hired=want.hired, left=want.left)  # fmt: skip
    assert_same_columns(got, want)


@pytest.mark.parametrize("path", sorted((EXAMPLES / "rosters").glob("*.csv")), ids=lambda p: p.name)
def test_without_pyarrow_the_row_readers_reader_and_numpy_give_the_same(
    path: Path, tmp_path: Path
) -> None:
    # pyarrow is an optional extra: without it, the cells are read by the row reader's own
    # reader and the cohorts numbered by sorting, to the same result.
    copy = tmp_path / path.name
    copy.write_bytes(path.read_bytes() + "W1,乙,demo.community-worker,正职,2020-02-30\n".encode(
        "gbk" if "gbk" in path.name else "utf-8"))  # fmt: skip
    with mock.patch.object(columnar, "pyarrow_available", lambda: False):
        got = read_cohorts(copy, Month(2024, 5), schemes=default_registry(), by="街道")
    assert got.reader == "rows"
    want = reference(copy, Month(2024, 5), "街道")
    assert not isinstance(want, str)
    assert_same_load(got, want)
    # the appended row (after the header) and no other fails: '2020-02-30' is no date
    assert got.errors and {e.row for e in got.errors} == {got.rows_in + 1}


def test_one_appraisal_year_in_two_spellings_is_given_twice(tmp_path: Path) -> None:
    # 考核2023 and 考核２０２３ (full-width digits) are two columns for one year: the row
    # reader refuses a row that fills both, and so must the columnar reading (each column
    # alone is a valid appraisal, so checking them apart would pass the row).
    path = tmp_path / "r.csv"
    path.write_text(
        "工号,岗位,入职日期,方案,考核2023,考核２０２３,社区星级评定\n"
        "W1,正职,2012-03-15,demo.community-worker,优秀,称职,A\n"
        "W2,正职,2012-03-15,demo.community-worker,优秀,,A\n",
        encoding="utf-8",
    )
    for reader in READERS:
        got = read_cohorts(path, Month(2024, 1), schemes=default_registry(), reader=reader)
        assert [(e.row, e.field, e.reason) for e in got.errors] == [
            (2, "考核２０２３",
             "the 2023 appraisal is given twice: column 考核2023 and column 考核２０２３"),
        ]  # fmt: skip
        assert got.columns.ids == ["W2"]


def test_a_roster_of_two_families_forecasts(tmp_path: Path) -> None:
    # Two scheme families in one roster (so in one block): each row is paid, or refused, as
    # it is alone. Found by the random rosters (a crash then: object-dtype amounts in
    # _vector.mul, since fixed in the engine).
    head = ("表彰级别,岗位,表彰日期,参加基本养老保险,入职日期,达标创建,荣誉奖励,方案,"
            "村集体经济年经营性收入(元),学历继续教育开始日期,id")  # fmt: skip
    rows = [
        "subdistrict,secretary_director,2005-01-01,是,1998-01-01,示范,无,demo.community-worker,120000,2005-01-01,W000",
        "subdistrict,secretary_director,2005-01-01,是,1998-01-01,示范,无,kunming.village-cadre,0,2005-01-01,W008",
    ]

    def run(name: str, chosen: list[str]) -> Forecast:
        path = tmp_path / name
        path.write_text("\n".join([head, *chosen]) + "\n", encoding="utf-8")
        return forecast(path, "2023-11", 1, scheme="kunming.village-cadre")

    both, demo, cadre = run("both.csv", rows), run("demo.csv", rows[:1]), run("cadre.csv", rows[1:])
    assert (both.rows_in, both.workers_in, both.cohorts) == (2, 2, 2)
    # the demo scheme needs a 社区星级评定 input the roster lacks: W000 is refused, explained
    assert [(e.worker_id, e.location) for e in both.errors] == [("W000", "inputs.community_rating")]
    assert both.errors == demo.errors + cadre.errors
    for key in ("gross", "deductions", "net", "employer_cost"):
        assert both.total(key) == demo.total(key) + cadre.total(key)
    assert cadre.total("gross") > 0
