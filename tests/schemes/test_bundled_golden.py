"""Golden pay slips: every slip in examples/slips/MANIFEST.toml, recomputed, byte for byte.

These are regression pins, not independent expectations: the files record what the engine
computed when ``python examples/regenerate.py`` last wrote them. A failure means a figure
(or a basis text, or a scheme file's hash) moved; if the move is intended, regenerate and
review the diff. Figures the source documents state are pinned independently in the other
test modules of this folder.
"""

from __future__ import annotations

import difflib
import importlib.util
import json
import sys
from types import ModuleType

import pytest

from tests.conftest import EXAMPLES


def _load_regenerate() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "paycalc_examples_regenerate", EXAMPLES / "regenerate.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being built
    spec.loader.exec_module(module)
    return module


regenerate = _load_regenerate()
ENTRIES = regenerate.load_manifest()


@pytest.fixture(scope="module")
def registry():  # type: ignore[no-untyped-def]
    return regenerate.bundled_registry()


@pytest.mark.parametrize("entry", ENTRIES, ids=str)
def test_golden_slip_unchanged(entry, registry) -> None:  # type: ignore[no-untyped-def]
    assert entry.path.exists(), f"{entry.path} is missing: run python examples/regenerate.py"
    stored = entry.path.read_text(encoding="utf-8")
    fresh = regenerate.render(entry, registry)
    if fresh != stored:
        diff = "".join(
            difflib.unified_diff(
                stored.splitlines(keepends=True),
                fresh.splitlines(keepends=True),
                fromfile=f"{entry.path.relative_to(EXAMPLES)} (golden)",
                tofile="recomputed",
            )
        )
        pytest.fail(
            f"golden slip {entry} moved; if intended, run python examples/regenerate.py "
            f"and review:\n{diff}",
            pytrace=False,
        )


def test_manifest_and_slip_files_match() -> None:
    listed = {entry.path for entry in ENTRIES}
    assert len(listed) == len(ENTRIES), "a (worker, month) pair is listed twice"
    on_disk = set((EXAMPLES / "slips").rglob("*.json"))
    assert on_disk - listed == set(), "slip files not in MANIFEST.toml (stale?)"


def test_manifest_entries_name_their_family() -> None:
    for entry in ENTRIES:
        assert entry.worker.exists(), entry
        worker = json.loads(entry.worker.read_text(encoding="utf-8"))
        assert worker["scheme"] == entry.family, f"{entry}: file is under the wrong family folder"
        month = entry.month
        assert len(month) == 7 and month[4] == "-", f"{entry}: month must be YYYY-MM"


def test_every_example_worker_has_a_golden_slip() -> None:
    workers = set((EXAMPLES / "workers").glob("*.*/*.json"))
    covered = {entry.worker for entry in ENTRIES}
    assert workers - covered == set()
