"""No import cycles in the package: the modules imported when a module is imported (its
top-level imports, outside ``if TYPE_CHECKING:``) form a graph without cycles, so every
module can be read, imported and tested on its own, bottom up."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import ROOT

PACKAGE = ROOT / "src" / "paycalc"


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _top_level_imports(tree: ast.Module, module: str, is_package: bool) -> set[str]:
    """Absolute names imported when the module runs (not inside functions or TYPE_CHECKING)."""
    found: set[str] = set()

    def visit(statements: list[ast.stmt]) -> None:
        for node in statements:
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = module.split(".")
                    anchor = anchor[: len(anchor) - node.level + (1 if is_package else 0)]
                    base = ".".join([*anchor, base] if base else anchor)
                found.add(base)
                found.update(f"{base}.{alias.name}" for alias in node.names)
            elif isinstance(node, ast.If) and not _is_type_checking(node.test):
                visit(node.body)
                visit(node.orelse)
            elif isinstance(node, ast.Try):
                visit(node.body)
                for handler in node.handlers:
                    visit(handler.body)
                visit(node.orelse)
                visit(node.finalbody)

    visit(tree.body)
    return found


def _graph() -> dict[str, set[str]]:
    sources = {
        _module_name(path): (path.name == "__init__.py", ast.parse(path.read_text("utf-8")))
        for path in PACKAGE.rglob("*.py")
    }
    graph = {}
    for module, (is_package, tree) in sources.items():
        graph[module] = {
            name
            for name in _top_level_imports(tree, module, is_package)
            if name in sources and name != module
        }
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}  # 1 on the current path, 2 done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for following in sorted(graph[node]):
            if state.get(following) == 1:
                return [*path[path.index(following) :], following]
            if following not in state and (found := visit(following)) is not None:
                return found
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)) is not None:
            return found
    return None


def test_the_graph_is_read() -> None:
    graph = _graph()
    assert len(graph) > 100
    # known edges: a module (``from paycalc.errors import …``), a package and a module in it
    assert {"paycalc.errors", "paycalc.evaluate"} <= graph["paycalc.engine"]
    assert {"paycalc.contributions", "paycalc.evaluate"} <= graph["paycalc.engine"]
    assert "paycalc.cli.main" in graph["paycalc.cli.runs"]
    # relative imports resolve as absolute ones do
    tree = ast.parse("from . import money\nfrom ..errors import Problem\n")
    assert _top_level_imports(tree, "paycalc.tax.cumulative", False) >= {
        "paycalc.tax.money", "paycalc.errors"
    }


def test_a_cycle_is_found_when_there_is_one() -> None:
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_no_import_cycles() -> None:
    assert _cycle(_graph()) is None
