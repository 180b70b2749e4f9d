"""The Python examples of README.md and docs/api.md run, in order, from the repository's
folder, and print exactly what the doc shows under them. (The example applications of
docs/api.md, blocks naming a file, run in tests/docs/test_api_applications.py.)"""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.docs.shell_examples import shell_examples

DOCS = [ROOT / "README.md", ROOT / "docs" / "api.md"]


@pytest.mark.parametrize("doc", DOCS, ids=lambda path: path.name)
def test_python_examples(doc: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if doc.name == "api.md":
        pytest.importorskip("pandas")
    monkeypatch.chdir(ROOT)
    namespace: dict[str, object] = {"__name__": f"doc_{doc.stem}"}
    examples = [e for e in shell_examples(doc, "python") if not e.file]
    assert examples
    for example in examples:
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            exec(compile(example.command, str(example), "exec"), namespace)
        if example.output is not None:
            assert printed.getvalue() == example.output, str(example)
