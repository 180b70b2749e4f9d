"""paycalc validate recognises every kind of file paycalc reads, and lists every problem."""

import json
from pathlib import Path

import pytest

from paycalc.cli import EXIT_INVALID, EXIT_OK, main
from tests.conftest import EXAMPLES, ROOT


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    return code, capsys.readouterr().out


def test_the_whole_examples_folder_and_bundled_data_validate(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out = run(
        capsys,
        "validate",
        str(ROOT / "schemes"),
        str(EXAMPLES),
        str(ROOT / "src" / "paycalc" / "contributions" / "tables"),
    )
    assert code == EXIT_OK, out
    assert "contribution table" in out and "roster" in out and "slip" in out and "skipped" in out


def test_a_slip_whose_totals_do_not_match_its_lines(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    golden = EXAMPLES / "slips" / "demo.community-worker" / "chief.2024-03.json"
    data = json.loads(golden.read_text(encoding="utf-8"))
    data["gross"] = "9999.00"
    spoiled = tmp_path / "slip.json"
    spoiled.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    code, out = run(capsys, "validate", str(spoiled))
    assert code == EXIT_INVALID
    assert (
        f"{spoiled}: not a consistent pay slip: gross is 9999.00, but the lines add up to 5667.00"
        in out
    )


def test_roster_rows_are_checked_against_their_scheme(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    roster = tmp_path / "roster.jsonl"
    rows = [
        {
            "id": "A",
            "scheme": "jiaocheng.community-worker",
            "post": "主干",
            "hired_on": "2015-01-01",
        },
        {
            "id": "B",
            "scheme": "jiaocheng.community-worker",
            "post": "村长",
            "hired_on": "2015-01-01",
        },
        {
            "id": "C",
            "scheme": "jiaocheng.community-worker",
            "post": "主干",
            "hired_on": "2015-13-01",
        },
    ]
    roster.write_text(
        "\n".join(json.dumps(row, ensure_ascii=False) for row in rows) + "\n", encoding="utf-8"
    )
    code, out = run(capsys, "validate", str(roster))
    assert code == EXIT_INVALID
    problems = out.splitlines()[:-1]
    # Row B: a post the latest Jiaocheng version does not know; row C: an impossible date.
    assert any(
        line.startswith(f"{roster}: row 2: post: unknown post '村长'") for line in problems
    ), problems
    assert any("row 3" in line and "hired_on" in line for line in problems), problems
    assert len(problems) == 2


def test_named_files_of_unknown_kind_are_problems_folder_extras_are_skipped(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "notes.md").write_text("hello", encoding="utf-8")
    (tmp_path / "manifest.toml").write_text("[[slip]]\nworker = 'x'\n", encoding="utf-8")
    code, out = run(capsys, "validate", str(tmp_path))
    assert code == EXIT_OK and "2 skipped file(s)" in out
    code, out = run(capsys, "validate", str(tmp_path / "manifest.toml"), str(tmp_path / "notes.md"))
    assert code == EXIT_INVALID
    assert "neither a scheme" in out and "expected a scheme or table" in out


def test_reforms_are_checked_as_files_and_against_the_versions_they_patch(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out = run(capsys, "validate", str(EXAMPLES / "reforms"))
    assert code == EXIT_OK and "4 reform file(s)" in out
    header = '[reform]\nid = "r"\ntitle = "r"\neffective_from = "2026-01"\n'
    (tmp_path / "typo.toml").write_text(
        header + 'scheme = "kunming.community-worker"\n[[scale]]\nfactr = 1.03\n', encoding="utf-8"
    )
    (tmp_path / "path.toml").write_text(
        header + 'scheme = "kunming.community-worker"\n'
        '[[set]]\npath = "caps.no_such_cap.limit"\nvalue = 7800\n',
        encoding="utf-8",
    )
    (tmp_path / "family.toml").write_text(
        header + 'scheme = "nowhere.community-worker"\n', encoding="utf-8"
    )
    code, out = run(capsys, "validate", str(tmp_path))
    assert code == EXIT_INVALID
    assert "typo.toml: scale[0].factr: unknown key" in out
    assert "path.toml: set[0].path: no cap 'no_such_cap'" in out
    assert "family.toml: reform.scheme: no scheme family 'nowhere.community-worker'" in out
    # the typo is two problems: the unknown key, and the factor it was meant to be missing
    assert "4 problem(s); checked 3 reform file(s)" in out
