"""docs/testing.md, "Mutation testing": the commands it shows are ones this project accepts,
and its score table adds up.

The mutation run itself takes hours on a CI machine, so it is never run here; what runs:
the extra it installs exists, every module and test the commands and the configuration
name exists, ``mutmut --help`` works where the extra is installed, and every row of the
results table sums to its total (and the overall row to the rows).
"""

from __future__ import annotations

import fnmatch
import re
import shlex
import shutil
import subprocess
import tomllib

import pytest

from tests.conftest import ROOT

DOC = ROOT / "docs" / "testing.md"
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _section() -> str:
    text = DOC.read_text(encoding="utf-8")
    start = text.index("## Mutation testing")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else None]


def _commands() -> list[str]:
    blocks = re.findall(r"```console\n(.*?)```", _section(), flags=re.S)
    return [
        line.removeprefix("$ ").strip()
        for block in blocks
        for line in block.splitlines()
        if line.startswith("$ ")
    ]


def test_the_extra_it_installs_holds_mutmut() -> None:
    installs = [c for c in _commands() if c.startswith("pip install")]
    assert installs == ['pip install -e ".[dev,mutation]"']
    extras = CONFIG["project"]["optional-dependencies"]
    assert any(req.startswith("mutmut") for req in extras["mutation"])
    assert not any(req.startswith("mutmut") for req in extras["test"])  # never in CI's set


def _mutated_modules() -> list[str]:
    """Dotted names of the files mutmut mutates (from ``only_mutate``)."""
    found = []
    for path in sorted((ROOT / "src" / "paycalc").rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if any(fnmatch.fnmatch(relative, p) for p in CONFIG["tool"]["mutmut"]["only_mutate"]):
            found.append(".".join(path.relative_to(ROOT / "src").with_suffix("").parts))
    return found


def test_every_module_named_is_mutated_and_every_test_named_exists() -> None:
    modules = _mutated_modules()
    runs = [shlex.split(c) for c in _commands() if c.startswith("HYPOTHESIS_PROFILE=ci mutmut run")]
    assert runs, "the page shows how to run it"
    for words in runs:
        for glob in (w for w in words if w.startswith("paycalc.")):
            assert any(fnmatch.fnmatch(f"{m}.x_f", glob) for m in modules), glob
    for pattern in CONFIG["tool"]["mutmut"]["only_mutate"]:
        assert list(ROOT.glob(pattern)), pattern
    for argument in CONFIG["tool"]["mutmut"]["pytest_add_cli_args_test_selection"]:
        path = argument.removeprefix("--deselect=").split("::")[0]
        assert (ROOT / path).exists(), argument


def _table(heading: str) -> list[list[str]]:
    section = _section()
    start = section.index(heading)
    rows = []
    for line in section[start:].splitlines()[1:]:
        if not line.startswith("|"):
            if rows:
                break
            continue
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        if set(cells[0]) <= {"-", ":"}:
            continue
        rows.append(cells)
    return rows[1:]  # without the header


def test_the_score_table_adds_up() -> None:
    rows = _table("### Scores")
    assert rows
    numbers = {}
    for module, *cells in rows:
        total, killed, survived, timeout, no_tests, not_run = (int(c) for c in cells[:6])
        assert killed + survived + timeout + no_tests + not_run == total, module
        tested = killed + survived + timeout
        if tested:
            assert cells[6] == f"{(killed + timeout) / tested:.1%}", module
        numbers[module] = (total, killed, survived, timeout, no_tests, not_run)
    overall = numbers.pop("**all**")
    assert tuple(sum(column) for column in zip(*numbers.values(), strict=True)) == overall
    documented = {m.strip("`") for m in numbers}
    assert documented <= {m.removeprefix("paycalc.") for m in _mutated_modules()} | {
        "components.*",
        "tax.*",
    }


def test_each_justified_survivor_names_a_real_function() -> None:
    rows = _table("### Justified survivors")
    assert rows
    for module, function, *_ in rows:
        source = (ROOT / "src" / "paycalc" / (module.strip("`").replace(".", "/") + ".py"))
        name = function.strip("`").split(".")[-1].split(" ")[0]
        assert re.search(rf"def {re.escape(name)}\b", source.read_text(encoding="utf-8")), (
            module,
            function,
        )


@pytest.mark.skipif(shutil.which("mutmut") is None, reason="the 'mutation' extra is not installed")
def test_mutmut_runs() -> None:
    done = subprocess.run(["mutmut", "--help"], capture_output=True, text=True, check=False)
    assert done.returncode == 0 and "run" in done.stdout
