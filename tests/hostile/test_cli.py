"""Hostile command lines: each refused with its exit code and a message, or run correctly.

Every case runs ``paycalc.cli.main`` in a fresh workspace (``{ws}``: a copy of the demo
roster ``R.csv``, the chief worker ``W.json``, the demo schemes under ``schemes/``, the
bundled contribution tables under ``tables/``) and asserts the exit code, a fragment of
what it printed, and that no traceback was printed. Exit codes: 1 invalid input, 2 usage.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from paycalc.cli import main
from paycalc.contributions import BUNDLED_TABLES_DIR
from tests.conftest import EXAMPLES, SCHEMES
from tests.hostile.catalogue import Hostile, cases

WORKER = EXAMPLES / "workers" / "demo.community-worker" / "chief.json"
KUNMING = EXAMPLES / "workers" / "kunming.community-worker" / "zhengzhi.json"


def _worker_named(name: str) -> Callable[[Path], None]:
    def setup(ws: Path) -> None:
        data = json.loads(WORKER.read_text(encoding="utf-8"))
        data["name"] = name
        (ws / "W.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    return setup


def _table_in_schemes(ws: Path) -> None:
    shutil.copytree(BUNDLED_TABLES_DIR / "national.default", ws / "schemes" / "national.default")


def _scheme_in_tables(ws: Path) -> None:
    (ws / "tables" / "demo.community-worker").mkdir()
    scheme = SCHEMES / "demo" / "community-worker" / "2023-01.toml"
    shutil.copy(scheme, ws / "tables" / "demo.community-worker" / "2023-01.toml")


def _empty_folder(ws: Path) -> None:
    (ws / "empty").mkdir()


def _readme_only(ws: Path) -> None:
    (ws / "docs").mkdir()
    (ws / "docs" / "README.md").write_text("notes", encoding="utf-8")


def _linked_schemes(ws: Path) -> None:
    (ws / "linked").mkdir()
    (ws / "linked" / "demo").symlink_to(ws / "schemes" / "demo", target_is_directory=True)
    (ws / "linked" / "loop").symlink_to(ws / "linked", target_is_directory=True)


def _bad_id_row(ws: Path) -> None:
    (ws / "R.csv").write_text(
        "工号,姓名,方案,岗位,入职日期\nX\x1b[2J\u202eY,甲,demo.community-worker,主任,2012-03-15\n",
        encoding="utf-8",
    )


def _twice_failing_rows(ws: Path) -> None:
    # two rows, each with two bad cells: 2 failed rows, not 4
    (ws / "R.csv").write_text(
        "工号,姓名,方案,岗位,入职日期,社区星级评定\n"
        "A1,甲,demo.community-worker,正职,2012-13-45,Z\n"
        "A2,乙,demo.community-worker,正职,2012-13-45,Z\n",
        encoding="utf-8",
    )


def _long_header(ws: Path) -> None:
    (ws / "R.csv").write_text(
        "工号,姓名,方案,岗位,入职日期," + "x" * 5_000 + "\n"
        "A1,甲,demo.community-worker,正职,2012-03-15,1\n",
        encoding="utf-8",
    )


CLI_CASES = [
    # -- arguments out of range or malformed: usage, exit 2 -------------------------------
    Hostile("year-zero", "year --year 0", "usage",
            {"argv": ["year", "{ws}/W.json", "--year", "0"], "code": 2,
             "err": "argument --year: '0' is out of range: years 1900–2200 only"}),
    Hostile("year-not-a-number", "year --year twenty", "usage",
            {"argv": ["year", "{ws}/W.json", "--year", "twenty"], "code": 2,
             "err": "expected a year as YYYY, got 'twenty'"}),
    Hostile("from-9999-12", "forecast --from 9999-12", "usage",
            {"argv": ["forecast", "{ws}/R.csv", "--from", "9999-12", "--months", "2",
                      "--out", "{ws}/f.csv"], "code": 2,
             "err": "argument --from: '9999-12' is out of range", "absent": ["f.csv"]}),
    Hostile("months-a-billion", "forecast --months 1000000000", "usage",
            {"argv": ["forecast", "{ws}/R.csv", "--from", "2024-01", "--months", "1000000000",
                      "--out", "{ws}/f.csv"], "code": 2,
             "err": "1000000000 months is out of range: 1 to 600 (50 years)"}),
    Hostile("months-zero", "forecast --months 0", "usage",
            {"argv": ["forecast", "{ws}/R.csv", "--from", "2024-01", "--months", "0",
                      "--out", "{ws}/f.csv"], "code": 2, "err": "0 months is out of range"}),
    Hostile("months-negative", "forecast --months -3", "usage",
            {"argv": ["forecast", "{ws}/R.csv", "--from", "2024-01", "--months=-3",
                      "--out", "{ws}/f.csv"], "code": 2, "err": "-3 months is out of range"}),
    Hostile("horizon-past-2200", "forecast from 2200-06 for 12 months", "usage",
            {"argv": ["forecast", "{ws}/R.csv", "--from", "2200-06", "--months", "12",
                      "--out", "{ws}/f.csv"], "code": 2,
             "err": "12 months from 2200-06 end after 2200-12", "absent": ["f.csv"]}),
    Hostile("arrears-from-after-to", "arrears --from after --to", "usage",
            {"argv": ["arrears", "{ws}/R.csv", "--from", "2024-06", "--to", "2024-01",
                      "--paid-as-of", "2024-01-01", "--due-as-of", "2024-08-01"], "code": 2,
             "err": "--from: 2024-06 is after --to 2024-01: no month to pay back"}),
    Hostile("as-of-year-one", "slip --as-of 0001-01-01", "usage",
            {"argv": ["slip", "{ws}/W.json", "--month", "2024-03", "--as-of", "0001-01-01"],
             "code": 2, "err": "argument --as-of: '0001-01-01' is out of range"}),
    Hostile("month-13", "slip --month 2024-13", "usage",
            {"argv": ["slip", "{ws}/W.json", "--month", "2024-13"], "code": 2,
             "err": "argument --month:"}),
    Hostile("month-words", "slip --month March", "usage",
            {"argv": ["slip", "{ws}/W.json", "--month", "March"], "code": 2,
             "err": "argument --month:"}),
    Hostile("date-30-february", "slip --as-of 2024-02-30", "usage",
            {"argv": ["slip", "{ws}/W.json", "--month", "2024-03", "--as-of", "2024-02-30"],
             "code": 2, "err": "expected a date as YYYY-MM-DD, got '2024-02-30'"}),
    Hostile("unknown-command", "paycalc pay", "usage",
            {"argv": ["pay"], "code": 2, "err": "invalid choice: 'pay'"}),
    Hostile("missing-month", "slip without --month", "usage",
            {"argv": ["slip", "{ws}/W.json"], "code": 2,
             "err": "the following arguments are required: --month"}),
    Hostile("unknown-option", "run --output", "usage",
            {"argv": ["run", "{ws}/R.csv", "--month", "2024-03", "--output", "x.csv"],
             "code": 2, "err": "the following arguments are required: --out"}),
    Hostile("control-characters-in-an-argument", "--month with an escape sequence", "usage",
            {"argv": ["slip", "{ws}/W.json", "--month", "2024-0\x1b[2J\u202e3"], "code": 2,
             "err": "got '2024-0\\x1b[2J\\u202e3'", "raw_absent": ["\x1b", "\u202e"]}),
    # -- missing or misplaced input: invalid input, exit 1 --------------------------------
    Hostile("worker-missing", "slip of a file that is not there", "error",
            {"argv": ["slip", "{ws}/nobody.json", "--month", "2024-03"], "code": 1,
             "err": "nobody.json"}),
    Hostile("roster-missing", "run on a roster that is not there: nothing written", "error",
            {"argv": ["run", "{ws}/nothing.csv", "--month", "2024-03", "--out", "{ws}/s.csv"],
             "code": 1, "err": "nothing.csv: cannot read: No such file or directory",
             "absent": ["s.csv", "s.errors.csv"]}),
    Hostile("roster-is-a-folder", "run on a folder", "error",
            {"argv": ["run", "{ws}/schemes", "--month", "2024-03", "--out", "{ws}/s.csv"],
             "code": 1, "err": "schemes: is a folder, not a file", "absent": ["s.csv"]}),
    Hostile("tax-file-missing", "tax on a file that is not there", "error",
            {"argv": ["tax", "{ws}/months.json"], "code": 1,
             "err": "months.json: cannot read: No such file or directory"}),
    Hostile("schemes-folder-missing", "--schemes names no folder", "error",
            {"argv": ["slip", "{ws}/W.json", "--month", "2024-03", "--schemes", "{ws}/nope"],
             "code": 1, "err": "--schemes: {ws}/nope: no such folder"}),
    Hostile("schemes-folder-empty", "--schemes names an empty folder", "error",
            {"setup": _empty_folder,
             "argv": ["slip", "{ws}/W.json", "--month", "2024-03", "--schemes", "{ws}/empty"],
             "code": 1, "err": "no scheme file (*.toml) found"}),
    Hostile("contribution-table-in-schemes", "a 五险一金 table inside a --schemes folder",
            "error",
            {"setup": _table_in_schemes,
             "argv": ["run", "{ws}/R.csv", "--month", "2024-03", "--out", "{ws}/s.csv",
                      "--schemes", "{ws}/schemes"], "code": 1,
             "err": "national.default/2024.toml: this is a contribution table: pass it with "
                    "--contributions, not --schemes", "err_absent": "unknown key",
             "absent": ["s.csv"]}),
    Hostile("scheme-in-contributions", "a scheme file inside a --contributions folder",
            "error",
            {"setup": _scheme_in_tables,
             "argv": ["slip", "{ws}/W.json", "--month", "2024-03", "--contributions",
                      "{ws}/tables"], "code": 1,
             "err": "this is a scheme file: pass it with --schemes, not --contributions"}),
    Hostile("contributions-folder-empty", "--contributions names an empty folder", "error",
            {"setup": _empty_folder,
             "argv": ["slip", "{ws}/W.json", "--month", "2024-03", "--contributions",
                      "{ws}/empty"], "code": 1,
             "err": "no contribution table found: expected DIR/<id>/<version>.toml"}),
    Hostile("contributions-without-the-table", "--contributions lacks the scheme's table",
            "error",
            {"argv": ["slip", KUNMING, "--month", "2024-06", "--contributions",
                      "{ws}/tables-national"], "code": 1,
             "err": "no contribution table 'yunnan.kunming' (known: national.default)"}),
    Hostile("diff-of-nonsense", "diff of a word", "error",
            {"argv": ["diff", "foo", "bar"], "code": 1,
             "err": "foo: expected a scheme file or FAMILY@VERSION"}),
    # -- validate --------------------------------------------------------------------------
    Hostile("validate-symlinked-scheme-folder", "a scheme folder made of links (and a loop)",
            "kept",
            {"setup": _linked_schemes, "argv": ["validate", "{ws}/linked"], "code": 0,
             "out": "ok: 2 scheme file(s)"}),
    Hostile("validate-empty-folder", "validate a folder with nothing in it", "error",
            {"setup": _empty_folder, "argv": ["validate", "{ws}/empty"], "code": 1,
             "out": "empty: no scheme, contribution table, worker, slip or roster file in "
                    "this folder"}),
    Hostile("validate-readme-only", "validate a folder with only a README", "error",
            {"setup": _readme_only, "argv": ["validate", "{ws}/docs"], "code": 1,
             "out": "1 problem(s); checked 1 skipped file(s)"}),
    Hostile("validate-schemes-beside-tables", "one folder with schemes and a table", "kept",
            {"setup": _table_in_schemes, "argv": ["validate", "{ws}/schemes"], "code": 0,
             "out": "pass the schemes with --schemes and the tables with --contributions"}),
    # -- what reaches the terminal ---------------------------------------------------------
    Hostile("rtl-override-in-a-name", "a worker named with U+202E", "kept",
            {"setup": _worker_named("张\u202e三"),
             "argv": ["slip", "{ws}/W.json", "--month", "2024-03"], "code": 0,
             "out": "DEMO-0001 张\\u202e三 · 2024-03", "raw_absent": ["\u202e"]}),
    Hostile("escape-sequence-in-a-name", "a worker named with a terminal escape", "kept",
            {"setup": _worker_named("\x1b[2J\x1b]0;pwned\x07"),
             "argv": ["slip", "{ws}/W.json", "--month", "2024-03"], "code": 0,
             "out": "\\u001b[2J\\u001b]0;pwned\\u0007", "raw_absent": ["\x1b", "\x07"]}),
    Hostile("newline-in-a-name", "a name that would forge a line of the slip", "kept",
            {"setup": _worker_named("甲\n实发 Net   99999.00"),
             "argv": ["slip", "{ws}/W.json", "--month", "2024-03"], "code": 0,
             "out": "甲\\u000a实发 Net   99999.00", "out_absent": "\n实发 Net   99999.00"}),
    Hostile("zero-width-in-json-output", "a zero-width joiner in --format json", "kept",
            {"setup": _worker_named("张\u200d三"),
             "argv": ["slip", "{ws}/W.json", "--month", "2024-03", "--format", "json"],
             "code": 0, "out": "\"worker_id\": \"DEMO-0001\"", "raw_absent": ["\u200d"],
             "json": True}),
    Hostile("escapes-in-a-row-error", "a bad row whose id carries escapes", "error",
            {"setup": _bad_id_row,
             "argv": ["run", "{ws}/R.csv", "--month", "2024-03", "--out", "{ws}/s.csv"],
             "code": 1, "err": "X\\u001b[2J\\u202eY", "raw_absent": ["\x1b", "\u202e"]}),
    Hostile("forecast-rows-counted-once", "two rows failing twice each", "error",
            {"setup": _twice_failing_rows,
             "argv": ["forecast", "{ws}/R.csv", "--from", "2024-01", "--months", "1",
                      "--out", "{ws}/f.csv"], "code": 1,
             "out": "2 rows in = 0 workers forecast + 2 errors"}),
    Hostile("forecast-by-missing-column-long-header",
            "--by a column the roster lacks, beside a header of 5,000 characters (the message "
            "listed every header whole; met writing the roster_cohorts fuzz target)", "error",
            {"setup": _long_header,
             "argv": ["forecast", "{ws}/R.csv", "--from", "2024-01", "--months", "1",
                      "--by", "片区", "--out", "{ws}/f.csv"], "code": 1,
             "err": "no column '片区' in the roster (columns: 工号, 姓名, 方案, 岗位, 入职日期, "
                    + "x" * 50 + "…)",
             "err_absent": "x" * 51, "absent": ["f.csv"]}),
]  # fmt: skip


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    shutil.copy(EXAMPLES / "rosters" / "demo.csv", tmp_path / "R.csv")
    shutil.copy(WORKER, tmp_path / "W.json")
    shutil.copytree(SCHEMES / "demo", tmp_path / "schemes" / "demo")
    shutil.copytree(BUNDLED_TABLES_DIR, tmp_path / "tables")
    national = tmp_path / "tables-national" / "national.default"
    shutil.copytree(BUNDLED_TABLES_DIR / "national.default", national)
    return tmp_path


def _fill(value: object, ws: Path) -> str:
    return str(value).replace("{ws}", str(ws))


@pytest.mark.parametrize("case", cases(*CLI_CASES))
def test_cli_case(case: Hostile, workspace: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = case.data
    if "setup" in data:
        data["setup"](workspace)
    code = main([_fill(arg, workspace) for arg in data["argv"]])
    out, err = capsys.readouterr()
    assert code == data["code"], (out, err)
    assert case.outcome != "usage" or code == 2
    assert case.outcome != "error" or code == 1
    assert "Traceback" not in err
    if "err" in data:
        assert _fill(data["err"], workspace) in err, err
    if "out" in data:
        assert _fill(data["out"], workspace) in out, out
    for char in data.get("raw_absent", ()):
        assert char not in out and char not in err
    if "out_absent" in data:
        assert data["out_absent"] not in out
    if "err_absent" in data:
        assert data["err_absent"] not in err
    for name in data.get("absent", ()):
        assert not (workspace / name).exists()
    if data.get("json"):
        assert json.loads(out)["worker_id"] == "DEMO-0001"  # escaped output is still JSON


def test_the_escaped_characters_are_every_control_and_format_character() -> None:
    """Independent check of the hard-coded ranges: every Cc/Cf/Zl/Zp character escapes."""
    import sys
    import unicodedata

    from paycalc.cli.terminal import escape_line, escape_text

    missed = [
        hex(code)
        for code in range(sys.maxunicode + 1)
        if unicodedata.category(chr(code)) in ("Cc", "Cf", "Zl", "Zp")
        and escape_line(chr(code)) == chr(code)
    ]
    assert missed == []
    assert escape_text("a\nb") == "a\nb" and escape_line("a\nb") == "a\\u000ab"
    assert escape_line("张三 ¥5,320.00 (正职)") == "张三 ¥5,320.00 (正职)"  # text untouched
