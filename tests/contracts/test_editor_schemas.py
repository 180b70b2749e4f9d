"""Editor support: json-schema/ holds the current schemas, .taplo.toml ties the TOML files
to them, and taplo (the engine of VS Code's Even Better TOML) checks them for real."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from paycalc.contracts import CONTRACT_NAMES, json_schema
from tests.conftest import ROOT, SCHEMES

FOLDER = ROOT / "json-schema"
CONFIG = ROOT / ".taplo.toml"


@pytest.mark.parametrize("name", CONTRACT_NAMES)
def test_the_checked_in_schema_is_current(name: str) -> None:
    # Regenerate with: for n in worker slip roster-row assumptions scheme contributions;
    #   do paycalc schema $n > json-schema/$n.json; done
    on_disk = json.loads((FOLDER / f"{name}.json").read_text(encoding="utf-8"))
    assert on_disk == json_schema(name)


def test_every_rule_names_a_schema_and_matches_files() -> None:
    rules = tomllib.loads(CONFIG.read_text(encoding="utf-8"))["rule"]
    for rule in rules:
        assert (ROOT / rule["schema"]["path"]).is_file()
        assert any(list(ROOT.glob(pattern)) for pattern in rule["include"])


def _taplo(folder: Path) -> subprocess.CompletedProcess[str]:
    # the one installed with this Python (pip install taplo), else one on PATH
    beside = Path(sys.executable).parent / "taplo"
    taplo = str(beside) if beside.is_file() else shutil.which("taplo")
    if taplo is None:
        pytest.skip("taplo is not installed (pip install taplo)")
    return subprocess.run(
        [taplo, "check", "--colors", "never"],
        cwd=folder,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )


def test_taplo_accepts_every_bundled_file() -> None:
    checked = _taplo(ROOT)
    assert checked.returncode == 0, checked.stderr


@pytest.mark.parametrize(
    ("wrong", "message"),
    [
        (('status = "illustrative"', 'status = "offical"'), '"offical" is not one of'),
        (('kind = "by_post"', 'kind = "by_post"\nammount = 5'), "'ammount' was unexpected"),
        (("bachelor = 3", '"大学" = 3'), "大学"),
    ],
)
def test_taplo_points_at_a_mistake_in_a_scheme(
    tmp_path: Path, wrong: tuple[str, str], message: str
) -> None:
    shutil.copy(CONFIG, tmp_path / ".taplo.toml")
    shutil.copytree(FOLDER, tmp_path / "json-schema")
    text = (SCHEMES / "demo" / "community-worker" / "2023-01.toml").read_text(encoding="utf-8")
    assert wrong[0] in text
    (tmp_path / "schemes").mkdir()
    (tmp_path / "schemes" / "mine.toml").write_text(
        text.replace(wrong[0], wrong[1], 1), encoding="utf-8"
    )
    checked = _taplo(tmp_path)
    assert checked.returncode == 1
    assert message in checked.stderr
    assert "schemes/mine.toml:" in checked.stderr  # with the line and column


DOC = ROOT / "docs" / "editors.md"


def _doc_blocks() -> list[str]:
    import re

    return re.findall(r"```toml\n(.*?)```", DOC.read_text(encoding="utf-8"), re.DOTALL)


@pytest.mark.parametrize("how", ["taplo.toml", "directive"])
def test_the_docs_ways_for_your_own_folder(tmp_path: Path, how: str) -> None:
    rule, directive = (block.replace("\n  ", "\n").strip() for block in _doc_blocks())
    (tmp_path / "scheme.json").write_text(json.dumps(json_schema("scheme")), encoding="utf-8")
    text = (SCHEMES / "demo" / "community-worker" / "2023-01.toml").read_text(encoding="utf-8")
    if how == "taplo.toml":
        (tmp_path / ".taplo.toml").write_text(rule + "\n", encoding="utf-8")
    else:
        assert directive.splitlines()[0] == "#:schema ./scheme.json"
        text = "#:schema ./scheme.json\n" + text
    (tmp_path / "mine.toml").write_text(text, encoding="utf-8")
    assert _taplo(tmp_path).returncode == 0
    (tmp_path / "mine.toml").write_text(
        text.replace('status = "illustrative"', 'status = "ilustrative"', 1), encoding="utf-8"
    )
    checked = _taplo(tmp_path)
    assert checked.returncode == 1 and "ilustrative" in checked.stderr
