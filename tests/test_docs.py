"""Every code example in README.md and docs/ runs, and prints what the page says it prints.

Each fenced block is one of:

- ``python``: run statement by statement from the repository root; a line
  ``expression  # value`` must give that value when the comment is a Python expression;
- a console transcript (``$ paycalc …`` lines, each followed by its output): every command
  runs through the CLI in a scratch copy of the repository's examples and schemes, and its
  output (stdout and stderr, in order) must equal the lines shown; ``$ cat FILE`` followed by
  text writes FILE first, ``$ echo $?`` checks the previous exit code;
- data (``json``, ``toml``, ``csv``) loaded by the reader it documents;
- or run by a dedicated test, named in :data:`DEDICATED` with the reason, which must exist.

:func:`test_every_block_is_accounted_for` fails on a block none of these covers, so a new
example cannot be added without its test.
"""

from __future__ import annotations

import ast
import contextlib
import io
import re
import shlex
import shutil
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from paycalc.cli import main
from tests.conftest import ROOT

PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
# A fence may be indented (inside a list item) and may name a file after its language
# (```python hr_api.py): both are blocks too.
FENCE = re.compile(r"^[ \t]*```(\w*)[^\n]*\n(.*?)^[ \t]*```", re.S | re.M)


@dataclass(frozen=True)
class Block:
    page: Path
    index: int  # 0-based among the page's fenced blocks
    language: str
    body: str

    @property
    def name(self) -> str:
        return f"{self.page.relative_to(ROOT)}#{self.index}"


def _blocks() -> list[Block]:
    found = []
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        for index, match in enumerate(FENCE.finditer(text)):
            found.append(Block(page, index, match.group(1), match.group(2)))
    return found


BLOCKS = _blocks()

#: Blocks run by a test of their own: (page, first line) -> (test file, why there).
DEDICATED: dict[tuple[str, str], tuple[str, str]] = {
    ("README.md", "pip install . && paycalc slip"): (
        ".ci/run",
        "the README's set-up commands run in fresh virtual environments in CI",
    ),
    ("README.md", 'pip install -e ".[test]" && pytest'): (".ci/run", "the README's test command"),
    ("README.md", 'pip install -e ".[dev,bench]"'): (
        "tests/bench/test_performance_doc.py",
        "benchmark commands, minutes long: each is parsed by the benchmark's own parser",
    ),
    ("README.md", "src/paycalc/"): ("README.md", "the source layout, not code"),
    ("docs/payroll-close.md", "*"): ("tests/close/test_docs.py", "needs an out/ folder"),
    ("docs/outputs.md", "*"): ("tests/cli/test_outputs_doc.py", "shows refused outputs"),
    ("docs/performance.md", "*"): (
        "tests/bench/test_performance_doc.py",
        "benchmark commands, minutes long: their short forms run there",
    ),
    ("docs/policy-changes.md", "SCHEMES = Path"): (
        "examples/test_my_scheme_change.py",
        "the page shows that file; it runs with the tests (and must stay equal to the page)",
    ),
    ("docs/roster-format.md", "from paycalc import default_registry"): (
        "tests/io/test_docs_examples.py",
        "runs line by line with its checks",
    ),
    ("docs/worker-format.md", "{"): ("tests/io/test_docs_examples.py", "loaded as a worker file"),
    ("docs/testing.md", '$ pip install -e ".[dev,mutation]"'): (
        "tests/test_mutation_doc.py",
        "the mutation run takes hours: its modules, tests and extra are checked there",
    ),
    ("docs/api.md", "*"): (
        "tests/docs/test_python_examples.py",
        "the examples build on each other (one namespace, in order) and print the text block "
        "under them; the FastAPI and Django files run in tests/docs/test_api_applications.py",
    ),
    ("docs/contracts.md", "*"): (
        "tests/contracts/test_contracts_doc.py",
        "the commands run in a shell with jq and print the text under them; the slip example "
        "is validated against the slip contract",
    ),
    ("docs/editors.md", "*"): (
        "tests/contracts/test_editor_schemas.py",
        "taplo checks a scheme with each way of naming the schema, and a typo'd copy",
    ),
    ("docs/testing.md", "*"): (
        "tests/test_fuzz.py",
        "the fuzzing commands: the short run as written, the long runs for 30 inputs (they "
        "are minutes long); the fuzz extra is installed by .ci/run",
    ),
    ("docs/http-api.md", "*"): (
        "tests/server/test_http_api_doc.py",
        "curl against a live service, output as shown; the set-up and fuzzing commands are "
        "parsed by paycalc's and schemathesis's own parsers (the long fuzzing run itself is "
        "minutes long: its short form is tests/server/test_openapi_fuzz.py)",
    ),
}


def _dedicated(block: Block) -> tuple[str, str] | None:
    page = str(block.page.relative_to(ROOT))
    first = block.body.strip().splitlines()[0] if block.body.strip() else ""
    for (where, start), owner in DEDICATED.items():
        if where == page and (start == "*" or first.startswith(start)):
            return owner
    return None


def _is_transcript(block: Block) -> bool:
    return block.language in ("", "sh", "console", "shell") and block.body.lstrip().startswith(
        "$ "
    )


def _is_synopsis(block: Block) -> bool:
    return block.language in ("", "sh", "console") and block.body.lstrip().startswith("paycalc ")


DATA = {"json", "toml", "csv"}


def test_every_block_is_accounted_for() -> None:
    unaccounted = [
        block.name
        for block in BLOCKS
        if not (
            _dedicated(block)
            or block.language == "python"
            or _is_transcript(block)
            or _is_synopsis(block)
            or block.language in DATA
        )
    ]
    assert unaccounted == []
    for test_file, _ in {_dedicated(b) for b in BLOCKS if _dedicated(b)} - {None}:  # type: ignore[misc]
        assert (ROOT / test_file).exists(), test_file


def _code_lines(text: str) -> list[str]:
    """Lines of code without comments and blank lines (the page may drop type comments)."""
    stripped = (line.split("  #")[0].rstrip() for line in text.splitlines())
    return [line for line in stripped if line and not line.lstrip().startswith("#")]


def test_the_page_shows_the_example_test_as_it_is() -> None:
    (shown,) = [b for b in BLOCKS if b.body.startswith("SCHEMES = Path")]
    file_lines = _code_lines(
        (ROOT / "examples" / "test_my_scheme_change.py").read_text(encoding="utf-8")
    )
    shown_lines = _code_lines(shown.body)
    start = file_lines.index(shown_lines[0])
    assert file_lines[start : start + len(shown_lines)] == shown_lines


def _own(kind: str) -> list[Block]:
    return [b for b in BLOCKS if not _dedicated(b) and kind_of(b) == kind]


def kind_of(block: Block) -> str:
    if block.language == "python":
        return "python"
    if _is_transcript(block):
        return "transcript"
    if _is_synopsis(block):
        return "synopsis"
    return block.language


# --- python ---------------------------------------------------------------------------


@pytest.mark.parametrize("block", _own("python"), ids=lambda b: b.name)
def test_python_example_runs(block: Block, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    namespace: dict[str, object] = {}
    lines = block.body.splitlines()
    tree = ast.parse(block.body)
    for statement in tree.body:
        code = ast.Module([statement], [])
        comment = lines[statement.end_lineno - 1].partition("  # ")[2].strip()  # type: ignore[operator]
        expected = _value_of(comment)
        if isinstance(statement, ast.Expr) and expected is not _NO_VALUE:
            value = eval(compile(ast.Expression(statement.value), block.name, "eval"), namespace)
            assert value == expected, (ast.unparse(statement), value, comment)
        else:
            exec(compile(code, block.name, "exec"), namespace)


_NO_VALUE = object()


def _value_of(comment: str) -> object:
    """A comment that is a Python value (``Decimal('5667.00'), 3``); else prose."""
    if not comment:
        return _NO_VALUE
    try:
        return eval(comment, {"__builtins__": {}}, {"Decimal": Decimal, "date": date})
    except Exception:
        return _NO_VALUE


# --- console transcripts --------------------------------------------------------------


def _commands(body: str) -> list[tuple[str, list[str]]]:
    """``(command, expected output lines)`` for each ``$ `` line (``\\`` continues it)."""
    found: list[tuple[str, list[str]]] = []
    lines = body.rstrip("\n").splitlines()
    index = 0
    while index < len(lines):
        line = lines[index]
        assert line.startswith("$ "), f"output before any command: {line!r}"
        command = line[2:]
        while command.endswith("\\"):
            index += 1
            command = command[:-1] + " " + lines[index].strip()
        index += 1
        output = []
        while index < len(lines) and not lines[index].startswith("$ "):
            output.append(lines[index])
            index += 1
        found.append((command.strip(), output))
    return found


def _workspace(tmp_path: Path) -> Path:
    for folder in ("examples", "schemes"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    return tmp_path


def _run(argv: list[str]) -> tuple[int, list[str]]:
    """Run the CLI in-process; stdout and stderr together, in the order written."""
    both = io.StringIO()
    with contextlib.redirect_stdout(both), contextlib.redirect_stderr(both):
        code = main(argv)
    return code, both.getvalue().splitlines()


@pytest.mark.parametrize("block", _own("transcript"), ids=lambda b: b.name)
def test_console_transcript_is_what_paycalc_prints(
    block: Block, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(_workspace(tmp_path))
    last_code: int | None = None
    for command, expected in _commands(block.body):
        words = shlex.split(command)
        if words[0] == "cat" and len(words) == 2:
            Path(words[1]).write_text("\n".join(expected) + "\n", encoding="utf-8")
            continue
        if words == ["echo", "$?"]:
            assert [str(last_code)] == expected, command
            continue
        assert words[0] == "paycalc", f"{block.name}: only paycalc commands run here: {command}"
        last_code, printed = _run(words[1:])
        assert [line.rstrip() for line in printed] == [line.rstrip() for line in expected], command


@pytest.mark.parametrize("block", _own("synopsis"), ids=lambda b: b.name)
def test_synopsis_names_real_options(block: Block) -> None:
    words = block.body.split()
    command = words[1]
    code, printed = _run([command, "--help"])
    assert code == 0
    help_text = "\n".join(printed)
    for option in {w.strip("[]|") for w in words if w.strip("[").startswith("--")}:
        assert option in help_text, (command, option)


# --- data -------------------------------------------------------------------------------


@pytest.mark.parametrize("block", _own("toml"), ids=lambda b: b.name)
def test_toml_example_loads(block: Block, tmp_path: Path) -> None:
    from paycalc.forecasting import load_assumptions

    path = tmp_path / "example.toml"
    path.write_text(block.body, encoding="utf-8")
    if block.page.name == "forecast.md" and block.body.lstrip().startswith("[reform]"):
        from paycalc import default_registry
        from paycalc.reforms import load_reform, reformed_registry

        reformed_registry(default_registry(), load_reform(path))  # read, checked, applied
    elif block.page.name == "forecast.md":
        load_assumptions(path)
    elif block.page.name == "scheme-format.md":
        # a fragment of a scheme file: valid TOML, and every line is in a bundled scheme
        import tomllib

        tomllib.loads(block.body)
        bundled = "\n".join(
            f.read_text(encoding="utf-8") for f in (ROOT / "schemes").rglob("*.toml")
        )
        for line in filter(None, block.body.splitlines()):
            assert line in bundled, line
    else:  # pragma: no cover - a new page's TOML needs its reader here
        pytest.fail(f"{block.name}: which reader loads this TOML?")


@pytest.mark.parametrize("block", _own("csv"), ids=lambda b: b.name)
def test_csv_example_reads_as_a_roster(block: Block, tmp_path: Path) -> None:
    from paycalc import default_registry, read_roster

    path = tmp_path / "roster.csv"
    path.write_text(block.body, encoding="utf-8")
    roster = read_roster(path, schemes=default_registry())
    assert roster.file_problems == [] and roster.errors == []
    assert len(roster.workers) == len(block.body.strip().splitlines()) - 1


@pytest.mark.parametrize("block", _own("json"), ids=lambda b: b.name)
def test_json_example_parses(block: Block) -> None:  # pragma: no cover - none of its own yet
    import json

    json.loads(block.body)
