"""Hostile scheme files: each is refused naming the file and key path, or read exactly.

Every case edits one small valid scheme (:data:`BASE`) as a careless or hostile editor
would. A case's ``data``:

- ``toml``: the file's text (or bytes, or a function giving them); or ``files``: several
  files of one folder, loaded together (versions of one family);
- ``problems``: ``(file, location, fragment)`` of every problem, in order (``file`` is the
  file name; the message must contain the fragment); locations count list items from 1 and
  name them by code (``components[1 post_pay]``), as a person reads the file; a TOML
  syntax error is located by its line;
- ``pay``: ``(worker, month, {line code: amount}, gross)`` for a case read to an amount,
  with the hand computation in a comment; ``drafts``: pay with drafts in force.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from paycalc import (
    Problem,
    SchemeError,
    SchemeNotFound,
    SchemeRegistry,
    check_scheme_file,
    load_schemes,
    payslip,
)
from paycalc.engine import DRAFT_WARNING
from paycalc.limits import MAX_TOML_DEPTH
from tests.hostile.catalogue import Hostile, cases

BASE = """\
[scheme]
id = "hostile.scheme"
version = "2024-01"
title = "敌意测试方案"
effective_from = 2024-01-01
published_on = 2023-12-01
status = "illustrative"

[scheme.source]
title = "a test"

[posts.chief]
label = "正职"
grades = [1, 3]

[posts.member]
label = "委员"
grades = [1, 3]

[grade]
method = "given"

[[components]]
code = "post_pay"
label = "岗位工资"
kind = "by_post"
amounts = { chief = 3000, member = 2000 }

[[components]]
code = "grade_pay"
label = "等级工资"
kind = "by_grade"
start = 100
step = 50

[[components]]
code = "performance"
label = "绩效"
kind = "share_of"
of = ["post_pay", "grade_pay"]
share = 0.1
"""

CHIEF = {
    "id": "H1",
    "scheme": "hostile.scheme",
    "post": "正职",
    "grade": 2,
    "hired_on": "2020-01-01",
}


def edit(old: str, new: str, text: str = BASE) -> str:
    """``text`` with ``old`` (which must be there, once) replaced by ``new``."""
    assert text.count(old) == 1, old
    return text.replace(old, new)


def amounts(new: str) -> str:
    return edit("amounts = { chief = 3000, member = 2000 }", new)


def component(text: str) -> str:
    return BASE + "\n[[components]]\n" + text


def version(name: str, start: str, extra: str = "") -> str:
    text = edit('version = "2024-01"', f'version = "{name}"')
    return edit("effective_from = 2024-01-01", f"effective_from = {start}{extra}", text)


SCHEMES = [
    # --- the file itself --------------------------------------------------------------
    Hostile(
        "malformed-toml",
        "an unclosed table header: refused as TOML, naming the line",
        "error",
        # BASE is 41 lines; then a blank line and the bad header: line 43
        {"toml": BASE + "\n[posts.director\n", "problems": [("line 43", "not valid TOML")]},
    ),
    Hostile(
        "gbk-file",
        "a scheme file saved as GBK: refused as not UTF-8",
        "error",
        {"toml": BASE.encode("gbk"), "problems": [("", "not UTF-8")]},
    ),
    Hostile(
        "utf8-bom",
        "a scheme file saved by Notepad with a UTF-8 BOM: read, and pays as without it",
        "amount",
        {
            "toml": b"\xef\xbb\xbf" + BASE.encode(),
            # 正职 grade 2: 3000 + (100 + 50 × (2 − 1)) = 3150; 绩效 10% = 315; gross 3465
            "pay": (CHIEF, "2024-03", {"post_pay": "3000.00", "grade_pay": "150.00"}, "3465.00"),
        },
    ),
    Hostile(
        "bare-chinese-key",
        "a bare Chinese key ([posts.正职]; TOML bare keys are ASCII): refused as TOML",
        "error",
        {  # BASE is 41 lines; then a blank line and the bare key: line 43
            "toml": BASE + "\n[posts.正职]\nlabel = '正职2'\n",
            "problems": [("line 43", "not valid TOML")],
        },
    ),
    Hostile(
        "quoted-chinese-post-code",
        'a quoted Chinese post code ([posts."主任"]): refused at its key, codes are a-z0-9_',
        "error",
        {
            "toml": BASE + '\n[posts."主任"]\nlabel = "主任"\ngrades = [1, 3]\n',
            "problems": [("posts.主任", "should match pattern")],
        },
    ),
    Hostile(
        "deep-dotted-keys",
        "a key 10,000 tables deep (a.a.a…; RecursionError before): refused",
        "error",
        {
            "toml": BASE + "\nx" + ".x" * 10_000 + " = 1\n",
            "problems": [("", f"nested deeper than {MAX_TOML_DEPTH} levels")],
        },
    ),
    Hostile(
        "deep-arrays",
        "an array nested 5,000 deep (tomllib's RecursionError before): refused",
        "error",
        {
            "toml": BASE + "\nx = " + "[" * 5_000 + "]" * 5_000 + "\n",
            "problems": [("", f"nested deeper than {MAX_TOML_DEPTH} levels")],
        },
    ),
    Hostile(
        "nesting-just-too-deep",
        f"an array nested {MAX_TOML_DEPTH} deep under [scheme] ({MAX_TOML_DEPTH + 1} levels): refused",
        "error",
        {
            "toml": edit(
                'title = "敌意测试方案"',
                'title = "敌意测试方案"\nx = ' + "[" * MAX_TOML_DEPTH + "]" * MAX_TOML_DEPTH,
            ),
            "problems": [("", f"nested deeper than {MAX_TOML_DEPTH} levels")],
        },
    ),
    Hostile(
        "giant-integer",
        "a 5,000-digit amount (int() refuses it; a ValueError escaped before): refused",
        "error",
        {
            "toml": amounts("amounts = { chief = " + "9" * 5_000 + ", member = 2000 }"),
            "problems": [("", "an integer of thousands of digits")],
        },
    ),
    Hostile(
        "file-too-big",
        "a 2 MB scheme file (a pasted table of a million cells): refused before it is parsed",
        "error",
        {
            "toml": lambda: BASE + "# " + "x" * 2_000_000 + "\n",
            "problems": [("", "larger than 1,048,576 bytes")],
        },
    ),
    Hostile(
        "huge-grade-table",
        "a grade table of 20,000 grades per post (within the size limit): read, grade 2 paid "
        "from it",
        "amount",
        {
            "toml": edit(
                'kind = "by_grade"\nstart = 100\nstep = 50',
                'kind = "by_grade"\n[components.table."*"]\n'
                + "".join(f"{g} = {g * 10}\n" for g in range(1, 20_001))
                + "\n",
            ),
            # grade 2 reads 20 from the table; 绩效 10% of 3000 + 20 = 302; gross 3322
            "pay": (CHIEF, "2024-03", {"grade_pay": "20.00", "performance": "302.00"}, "3322.00"),
        },
    ),
    Hostile(
        "long-key",
        "a post code of 5,000 characters: refused, the key shown cut, not echoed",
        "error",
        {
            "toml": BASE + '\n[posts."' + "k" * 5_000 + '"]\nlabel = "x"\n',
            "problems": [("posts." + "k" * 50 + "…", "at most 64 characters")],
        },
    ),
    Hostile(
        "grade-band-of-a-billion",
        "grades = [1, 1000000000] (the checks scanned every grade: a hang): refused",
        "error",
        {
            "toml": edit(
                "grades = [1, 3]\n\n[posts.member]", "grades = [1, 1000000000]\n\n[posts.member]"
            ),
            "problems": [("posts.chief.grades", "highest <= 99")],
        },
    ),
    Hostile(
        "code-of-65-characters",
        "a component code of 65 characters: refused (messages quote codes whole)",
        "error",
        {
            "toml": edit('code = "post_pay"', 'code = "' + "p" * 65 + '"'),
            # the location names the component by its code, cut as every echoed key is
            "problems": [("components[1 " + "p" * 50 + "…].code", "at most 64 characters")],
        },
    ),
    Hostile(
        "long-choice-key",
        "an amount for a 5,000-character choice of an input (echoed whole in the location and "
        "message, found by fuzzing): refused, shown cut",
        "error",
        {
            "toml": BASE.replace(
                "[grade]",
                '[inputs.rating]\nlabel = "星级"\ntype = "choice"\nchoices = ["A"]\n\n[grade]',
            )
            + '\n[[components]]\ncode = "rating_pay"\nlabel = "星级津贴"\nkind = "by_input"\n'
            'input = "rating"\namounts = { A = 100, "' + "x" * 5_000 + '" = 1 }\n',
            "problems": [
                ("components[4 rating_pay].amounts." + "x" * 50 + "…", "unknown choice 'xxxx")
            ],
        },
    ),
    Hostile(
        "long-contribution-item",
        "a cap counting a 5,000-character contribution item (echoed whole, found by fuzzing): "
        "refused, shown cut",
        "error",
        {
            "toml": edit(
                'status = "illustrative"',
                'status = "illustrative"\ncontribution_table = "yunnan.kunming"',
            )
            + '\n[[caps]]\ncode = "ceiling"\nlabel = "上限"\nlimit = 9000\nreduce = ["performance"]\n'
            'include_employer = ["' + "y" * 5_000 + '"]\n',
            "problems": [
                (
                    "caps[1 ceiling].include_employer." + "y" * 50 + "…",
                    "unknown contribution item 'yyy",
                )
            ],
        },
    ),
    # --- amounts --------------------------------------------------------------------------
    Hostile(
        "nan-amount",
        "an amount of nan (TOML's own NaN): refused at its key",
        "error",
        {
            "toml": amounts("amounts = { chief = nan, member = 2000 }"),
            "problems": [("components[1 post_pay].amounts.chief", "expected a finite number")],
        },
    ),
    Hostile(
        "inf-amount",
        "an amount of inf: refused at its key",
        "error",
        {
            "toml": amounts("amounts = { chief = inf, member = 2000 }"),
            "problems": [("components[1 post_pay].amounts.chief", "expected a finite number")],
        },
    ),
    Hostile(
        "amount-1e400",
        "an amount of 1e400 (InvalidOperation in every slip before): refused at its key",
        "error",
        {
            "toml": amounts("amounts = { chief = 1e400, member = 2000 }"),
            "problems": [("components[1 post_pay].amounts.chief", "out of range")],
        },
    ),
    Hostile(
        "exponent-beyond-decimal",
        "an amount of 1e9999999999999999999 (Decimal cannot hold it: InvalidOperation escaped "
        "the reader before, found by fuzzing): refused",
        "error",
        {
            "toml": amounts("amounts = { chief = 1e9999999999999999999, member = 2000 }"),
            "problems": [("", "the number '1e9999999999999999999' is out of range")],
        },
    ),
    Hostile(
        "amount-1e30",
        "an amount of 1e30: refused at its key",
        "error",
        {
            "toml": amounts("amounts = { chief = 1e30, member = 2000 }"),
            "problems": [("components[1 post_pay].amounts.chief", "out of range")],
        },
    ),
    Hostile(
        "negative-amount",
        "a negative post pay: refused at its key",
        "error",
        {
            "toml": amounts("amounts = { chief = -3000, member = 2000 }"),
            "problems": [("components[1 post_pay].amounts.chief", "must not be negative")],
        },
    ),
    Hostile(
        "share-with-21-places",
        "a share of 0.000000000000000000001 (21 decimal places): refused at its key",
        "error",
        {
            "toml": edit("share = 0.1", "share = 0.000000000000000000001"),
            "problems": [("components[3 performance].share", "out of range")],
        },
    ),
    Hostile(
        "zero-with-24-places",
        "share = 0.000000000000000000000000 (zero, written with 24 places; refused as out of "
        "range before): zero",
        "amount",
        {
            "toml": edit("share = 0.1", "share = 0.000000000000000000000000"),
            # 3000 + 150; 绩效 0 (no line)
            "pay": (CHIEF, "2024-03", {"performance": "0.00"}, "3150.00"),
        },
    ),
    Hostile(
        "absurd-but-in-range-amount",
        "a post pay of 999,999,999,999 (just inside the range): paid exactly, no overflow",
        "amount",
        {
            "toml": amounts("amounts = { chief = 999999999999, member = 2000 }"),
            # 999,999,999,999 + 150 = 1,000,000,000,149; 绩效 10% = 100,000,000,014.90;
            # gross 1,100,000,000,163.90
            "pay": (
                CHIEF,
                "2024-03",
                {"post_pay": "999999999999.00", "performance": "100000000014.90"},
                "1100000000163.90",
            ),
        },
    ),
    Hostile(
        "amount-as-text",
        'an amount written "¥3,000.00" (money text): read as 3000',
        "amount",
        {
            "toml": amounts('amounts = { chief = "¥3,000.00", member = 2000 }'),
            "pay": (CHIEF, "2024-03", {"post_pay": "3000.00"}, "3465.00"),
        },
    ),
    Hostile(
        "amount-as-boolean",
        "an amount of true: refused at its key",
        "error",
        {
            "toml": amounts("amounts = { chief = true, member = 2000 }"),
            "problems": [("components[1 post_pay].amounts.chief", "a boolean")],
        },
    ),
    Hostile(
        "appraisal-points-as-boolean",
        "appraisal points of true (a TypeError escaped the model before): refused at the key",
        "error",
        {
            "toml": edit(
                '[grade]\nmethod = "given"',
                '[grade]\nmethod = "points"\n[grade.points]\nappraisal = { excellent = true }\n'
                "thresholds = [{ points = 0, grade = 1 }]",
            ),
            "problems": [("grade.points.appraisal", "expected a number, got a boolean")],
        },
    ),
    Hostile(
        "grade-band-reversed",
        "grades = [3, 1]: refused at the post",
        "error",
        {
            "toml": edit("grades = [1, 3]\n\n[posts.member]", "grades = [3, 1]\n\n[posts.member]"),
            "problems": [("posts.chief.grades", "1 <= lowest <= highest")],
        },
    ),
    Hostile(
        "grade-as-fraction",
        "grades = [1.5, 3]: refused at the post",
        "error",
        {
            "toml": edit(
                "grades = [1, 3]\n\n[posts.member]", "grades = [1.5, 3]\n\n[posts.member]"
            ),
            "problems": [("posts.chief.grades[1]", "fractional part")],
        },
    ),
    # --- references -----------------------------------------------------------------------
    Hostile(
        "share-of-unknown-component",
        "绩效 as a share of a component no one defined: refused naming it",
        "error",
        {
            "toml": edit('of = ["post_pay", "grade_pay"]', 'of = ["post_pay", "bonus"]'),
            "problems": [
                ("components[3 performance].of", "'bonus' is not a component defined above")
            ],
        },
    ),
    Hostile(
        "share-of-a-later-component",
        "a share of a component defined below it (its amount is not known yet): refused",
        "error",
        {
            "toml": component(
                'code = "extra"\nlabel = "额外"\nkind = "share_of"\nof = ["later"]\nshare = 0.1\n'
                '[[components]]\ncode = "later"\nlabel = "后"\nkind = "by_post"\n'
                "amounts = { chief = 1, member = 1 }\n"
            ),
            "problems": [("components[4 extra].of", "'later' is not a component defined above")],
        },
    ),
    Hostile(
        "amount-for-unknown-post",
        "an amount for a post the scheme does not declare (a typo): refused naming it",
        "error",
        {
            "toml": amounts("amounts = { chief = 3000, member = 2000, cheif = 3000 }"),
            "problems": [("components[1 post_pay].amounts.cheif", "unknown post 'cheif'")],
        },
    ),
    Hostile(
        "no-amount-for-a-post",
        "a post without an amount and no default (委员 would be paid nothing): refused",
        "error",
        {
            "toml": amounts("amounts = { chief = 3000 }"),
            "problems": [("components[1 post_pay].amounts", "no amount for post member")],
        },
    ),
    Hostile(
        "unknown-input",
        "a by_input component reading an input the scheme does not declare: refused",
        "error",
        {
            "toml": component(
                'code = "rating_pay"\nlabel = "星级"\nkind = "by_input"\ninput = "rating"\n'
                "amounts = { A = 100 }\n"
            ),
            "problems": [
                ("components[4 rating_pay].input", "input 'rating' is not declared in [inputs]")
            ],
        },
    ),
    Hostile(
        "condition-on-unknown-post",
        "when.posts naming a post that does not exist (the line would never pay): refused",
        "error",
        {
            "toml": component(
                'code = "chief_extra"\nlabel = "正职补贴"\nkind = "by_post"\n'
                'amounts = { chief = 100, member = 0 }\nwhen = { posts = ["director"] }\n'
            ),
            "problems": [
                ("components[4 chief_extra].when.posts.director", "unknown post 'director'")
            ],
        },
    ),
    Hostile(
        "condition-on-unknown-input",
        "when.inputs naming an undeclared input: refused",
        "error",
        {
            "toml": component(
                'code = "rated"\nlabel = "评定"\nkind = "by_post"\n'
                'amounts = { chief = 100, member = 0 }\nwhen = { inputs = { rating = ["A"] } }\n'
            ),
            "problems": [("components[4 rated].when.inputs.rating", "not declared in [inputs]")],
        },
    ),
    Hostile(
        "condition-min-above-max",
        "min_grade 3 above max_grade 2 (the line could never pay): refused",
        "error",
        {
            "toml": component(
                'code = "senior"\nlabel = "高级"\nkind = "by_post"\n'
                "amounts = { chief = 100, member = 0 }\nwhen = { min_grade = 3, max_grade = 2 }\n"
            ),
            "problems": [("components[4 senior].when.min_grade", "above max_grade 2")],
        },
    ),
    Hostile(
        "duplicate-component-code",
        "two components with one code (the second would overwrite the first's amount): refused",
        "error",
        {
            "toml": component(
                'code = "post_pay"\nlabel = "岗位工资2"\nkind = "by_post"\n'
                "amounts = { chief = 1, member = 1 }\n"
            ),
            "problems": [("components[4 post_pay].code", "duplicate code 'post_pay'")],
        },
    ),
    Hostile(
        "cap-code-of-a-component",
        "a cap whose code is a component's: refused",
        "error",
        {
            "toml": BASE
            + '\n[[caps]]\ncode = "post_pay"\nlabel = "上限"\nlimit = 4000\nreduce = ["performance"]\n',
            "problems": [("caps[1 post_pay].code", "duplicate code 'post_pay'")],
        },
    ),
    Hostile(
        "cap-reduces-a-deduction",
        "a cap met by reducing a deduction (raising net pay to meet a ceiling): refused",
        "error",
        {
            "toml": component(
                'code = "union_fee"\nlabel = "工会会费"\nkind = "by_post"\ncategory = "deduction"\n'
                "amounts = { chief = 10, member = 10 }\n"
            )
            + '\n[[caps]]\ncode = "ceiling"\nlabel = "上限"\nlimit = 3000\nreduce = ["union_fee"]\n',
            "problems": [("caps[1 ceiling].reduce", "'union_fee' is not an earning component")],
        },
    ),
    Hostile(
        "cap-counts-unknown-component",
        "a cap over a component no one defined: refused",
        "error",
        {
            "toml": BASE
            + '\n[[caps]]\ncode = "ceiling"\nlabel = "上限"\nlimit = 4000\nof = ["bonus"]\n'
            'reduce = ["performance"]\n',
            "problems": [("caps[1 ceiling].of", "'bonus' is not a component defined above")],
        },
    ),
    Hostile(
        "cap-applies",
        "a ceiling of 3,400 on gross, met by cutting 绩效: paid exactly the ceiling",
        "amount",
        {
            "toml": BASE
            + '\n[[caps]]\ncode = "ceiling"\nlabel = "上限"\nlimit = 3400\nreduce = ["performance"]\n',
            # gross before the cap 3465 (see utf8-bom); 65 over 3400, cut from 绩效: 315 − 65 = 250
            "pay": (CHIEF, "2024-03", {"performance": "250.00"}, "3400.00"),
        },
    ),
    # --- the header -------------------------------------------------------------------
    Hostile(
        "unknown-status",
        'status = "final" (not a status): refused at its key',
        "error",
        {
            "toml": edit('status = "illustrative"', 'status = "final"'),
            "problems": [("scheme.status", "'official', 'illustrative' or 'draft'")],
        },
    ),
    Hostile(
        "official-file-with-illustrative-figure",
        "an official file holding a figure marked illustrative: refused at the figure",
        "error",
        {
            "toml": edit(
                'kind = "by_post"',
                'kind = "by_post"\nstatus = "illustrative"',
                edit('status = "illustrative"', 'status = "official"'),
            ),
            "problems": [
                ("components[1 post_pay].status", "an official scheme cannot hold illustrative")
            ],
        },
    ),
    Hostile(
        "figure-marked-draft",
        'a single figure marked "draft" (only files are drafts): refused at the figure',
        "error",
        {
            "toml": edit('kind = "by_post"', 'kind = "by_post"\nstatus = "draft"'),
            "problems": [("components[1 post_pay].status", "'official' or 'illustrative'")],
        },
    ),
    Hostile(
        "draft-not-in-force-by-default",
        "a draft file is not in force unless asked for: no version for the month",
        "error",
        {
            "toml": edit('status = "illustrative"', 'status = "draft"'),
            "pay": (CHIEF, "2024-03", {}, ""),
            "problems": [("hostile.scheme", "drafts are not counted")],
        },
    ),
    Hostile(
        "draft-in-force-when-asked",
        "a draft asked for: paid, and the slip says it is a draft",
        "amount",
        {
            "toml": edit('status = "illustrative"', 'status = "draft"'),
            "drafts": True,
            "pay": (CHIEF, "2024-03", {"post_pay": "3000.00"}, "3465.00"),
        },
    ),
    Hostile(
        "ends-before-it-starts",
        "effective_until before effective_from: refused",
        "error",
        {
            "toml": edit(
                "effective_from = 2024-01-01",
                "effective_from = 2024-01-01\neffective_until = 2023-12-31",
            ),
            "problems": [("scheme", "effective_until 2023-12-31 is before effective_from")],
        },
    ),
    Hostile(
        "date-out-of-range",
        "effective_from = 1024-01-01 (a typo for 2024): refused at its key",
        "error",
        {
            "toml": edit("effective_from = 2024-01-01", "effective_from = 1024-01-01"),
            "problems": [("scheme.effective_from", "outside the dates paycalc accepts")],
        },
    ),
    Hostile(
        "no-such-date",
        "effective_from = 2024-02-30: refused as TOML (no such day)",
        "error",
        {
            "toml": edit("effective_from = 2024-01-01", "effective_from = 2024-02-30"),
            "problems": [("line 5", "not valid TOML")],  # effective_from is BASE's line 5
        },
    ),
    Hostile(
        "misspelt-key",
        "effective_form for effective_from: refused, both the typo and the missing key",
        "error",
        {
            "toml": edit("effective_from = 2024-01-01", "effective_form = 2024-01-01"),
            "problems": [
                ("scheme.effective_from", "required key is missing"),
                ("scheme.effective_form", "unknown key"),
            ],
        },
    ),
    Hostile(
        "unknown-rounding",
        'rounding = "ROUND_05UP" (not a rounding a payroll uses): refused',
        "error",
        {
            "toml": edit(
                'status = "illustrative"', 'status = "illustrative"\nrounding = "ROUND_05UP"'
            ),
            "problems": [("scheme.rounding", "expected one of")],
        },
    ),
    Hostile(
        "unknown-component-kind",
        'kind = "bonus" (no such kind): refused naming the kinds',
        "error",
        {
            "toml": edit('kind = "by_post"', 'kind = "bonus"'),
            "problems": [
                ("components[1 post_pay]", "unknown kind 'bonus'; expected one of 'by_post'")
            ],
        },
    ),
    Hostile(
        "component-kind-as-a-table",
        "kind given as a long array (pydantic quoted it whole): refused, shown cut",
        "error",
        {
            "toml": edit('kind = "by_post"', 'kind = ["' + "x" * 500 + '"]'),
            "problems": [("components[1 post_pay]", "unknown kind \"['xxxxxxx")],
        },
    ),
    Hostile(
        "no-posts",
        "posts = {} (no post): refused",
        "error",
        {
            "toml": "posts = {}\n"
            + BASE.split("[posts.chief]")[0]
            + "[grade]"
            + BASE.split("[grade]")[1],
            "problems": [("posts", "at least 1 item")],
        },
    ),
    # --- two spellings, two files ---------------------------------------------------------
    Hostile(
        "grade-key-plus-and-plain",
        'a grade table with "+2" and 2 (pydantic reads both as 2): refused, never one picked',
        "error",
        {
            "toml": edit(
                'kind = "by_grade"\nstart = 100\nstep = 50',
                'kind = "by_grade"\ntable = { "*" = { 1 = 100, 2 = 150, "+2" = 999, 3 = 200 } }',
            ),
            "problems": [("components[2 grade_pay].table.*.+2", "are the same key (2)")],
        },
    ),
    Hostile(
        "grade-key-with-fraction",
        'a grade table with 2 and "2.0": refused',
        "error",
        {
            "toml": edit(
                'kind = "by_grade"\nstart = 100\nstep = 50',
                'kind = "by_grade"\ntable = { "*" = { 1 = 100, 2 = 150, "2.0" = 999, 3 = 200 } }',
            ),
            "problems": [("components[2 grade_pay].table.*.2.0", "are the same key (2)")],
        },
    ),
    Hostile(
        "grade-key-unicode-digit",
        'a grade key "²" (a ValueError escaped the two-spellings check before): refused',
        "error",
        {
            "toml": edit(
                'kind = "by_grade"\nstart = 100\nstep = 50',
                'kind = "by_grade"\ntable = { "*" = { 1 = 100, 2 = 150, "²" = 999, 3 = 200 } }',
            ),
            "problems": [("components[2 grade_pay].table.*.²", "valid integer")],
        },
    ),
    Hostile(
        "versions-overlap",
        "a version running past the start of the next: refused naming both",
        "error",
        {
            "files": {
                "2024-01.toml": version("2024-01", "2024-01-01", "\neffective_until = 2024-12-31"),
                "2024-07.toml": version("2024-07", "2024-07-01"),
            },
            "problems": [("2024-01.toml", "scheme.effective_until", "versions must not overlap")],
        },
    ),
    Hostile(
        "versions-same-start",
        "two versions taking effect the same day: refused",
        "error",
        {
            "files": {
                "a.toml": version("2024-01a", "2024-01-01"),
                "b.toml": version("2024-01b", "2024-01-01"),
            },
            "problems": [("b.toml", "scheme.effective_from", "one date, one version")],
        },
    ),
    Hostile(
        "versions-same-name",
        "two files naming the same version: refused",
        "error",
        {
            "files": {
                "a.toml": version("2024-01", "2024-01-01"),
                "b.toml": version("2024-01", "2024-07-01"),
            },
            "problems": [("b.toml", "scheme.version", "also defined in")],
        },
    ),
]


def _bytes(content: str | bytes | Callable[[], str | bytes]) -> bytes:
    value = content() if callable(content) else content
    return value.encode() if isinstance(value, str) else value


def _load(case: Hostile, tmp_path: Path) -> tuple[SchemeRegistry | None, list[Problem]]:
    data: dict[str, Any] = case.data
    files = data.get("files", {"scheme.toml": data.get("toml")})
    for name, content in files.items():
        (tmp_path / name).write_bytes(_bytes(content))
    if "files" in data:
        try:
            return load_schemes(tmp_path), []
        except SchemeError as error:
            return None, list(error.problems)
    found, problems = check_scheme_file(tmp_path / "scheme.toml")
    return (SchemeRegistry([found]) if found is not None else None), problems


def _expected(case: Hostile) -> list[tuple[str, str, str]]:
    rows = case.data["problems"]
    return [row if len(row) == 3 else ("scheme.toml", *row) for row in rows]


@pytest.mark.parametrize("case", cases(*SCHEMES))
def test_hostile_scheme(case: Hostile, tmp_path: Path) -> None:
    registry, problems = _load(case, tmp_path)
    pay = case.data.get("pay")
    if case.outcome == "error" and pay is None:
        assert registry is None
        expected = _expected(case)
        assert [(Path(p.source).name, p.location) for p in problems] == [
            (file, location) for file, location, _ in expected
        ]
        for problem, (_, _, fragment) in zip(problems, expected, strict=True):
            assert fragment in problem.message, (problem.message, fragment)
            assert len(problem.message) < 400  # a message, never the input echoed
        return
    assert registry is not None and not problems, problems
    worker, month, lines, gross = pay
    drafts = bool(case.data.get("drafts"))
    if case.outcome == "error":  # read, but refused when paid
        with pytest.raises(SchemeNotFound) as raised:
            payslip(worker, month, schemes=registry, include_drafts=drafts)
        [(location, fragment)] = case.data["problems"]
        assert [p.location for p in raised.value.problems] == [location]
        assert fragment in raised.value.problems[0].message
        return
    slip = payslip(worker, month, schemes=registry, include_drafts=drafts)
    for code, amount in lines.items():
        assert slip.amount(code) == Decimal(amount), code
    assert slip.gross == Decimal(gross)
    if drafts:
        assert slip.warnings[0] == DRAFT_WARNING
