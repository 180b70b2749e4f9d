"""The code examples of docs/roster-format.md and docs/worker-format.md run as written.

A Python block runs line by line; a line ``expression  # value`` must give that value. The
worker format's JSON example is loaded as a worker file.
"""

from __future__ import annotations

import ast
import json
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from paycalc.worker import load_worker
from tests.conftest import ROOT

DOCS = ROOT / "docs"
BLOCK = re.compile(r"```(\w+)\n(.*?)```", re.DOTALL)


def blocks(name: str, language: str) -> list[str]:
    text = (DOCS / name).read_text(encoding="utf-8")
    return [body for kind, body in BLOCK.findall(text) if kind == language]


def run_block(code: str) -> int:
    """Run ``code``; check each ``expression  # value`` line. Returns the lines checked."""
    namespace: dict[str, object] = {}
    checked = 0
    tree = ast.parse(code)
    lines = code.splitlines()
    for statement in tree.body:
        source = ast.get_source_segment(code, statement) or ""
        comment = lines[statement.end_lineno - 1].partition("  # ")[2].strip()  # type: ignore[operator]
        if isinstance(statement, ast.Expr) and comment:
            value = eval(compile(ast.Expression(statement.value), "<doc>", "eval"), namespace)
            assert value == ast.literal_eval(comment), (source, value, comment)
            checked += 1
        else:
            exec(compile(ast.Module([statement], []), "<doc>", "exec"), namespace)
    return checked


@pytest.mark.parametrize("name", ["roster-format.md"])
def test_python_examples_run(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    found = blocks(name, "python")
    assert found
    assert sum(run_block(code) for code in found) >= 2


def test_the_worker_format_example_loads(tmp_path: Path) -> None:
    (example,) = blocks("worker-format.md", "json")
    json.loads(example)  # plain JSON, as the page says
    path = tmp_path / "worker.json"
    path.write_text(example, encoding="utf-8")
    worker = load_worker(path, today=date(2025, 1, 1))
    assert worker.tax.child_share == Decimal("0.5")
    assert worker.contribution_base == Decimal("5320.00")
