"""(Re)write the golden pay slips listed in ``examples/slips/MANIFEST.toml``.

Usage::

    python examples/regenerate.py           # rewrite every golden slip
    python examples/regenerate.py --check   # write nothing; exit 1 if any slip would change

Each entry names a worker file (relative to ``examples/``) and a month; its slip goes to
``examples/slips/<family>/<worker-file-stem>.<YYYY-MM>.json``, where ``<family>`` is the
folder holding the worker file. Slips are computed with the scheme files in the checkout's
``schemes/`` folder. ``tests/schemes/test_bundled_golden.py`` uses the same functions to
recompute every slip and compare it byte for byte with the file on disk.

Golden slips are regression pins: they record what the engine computes. When a change moves
a figure on purpose, rerun this script and review the diff before committing it.
"""

from __future__ import annotations

import argparse
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

from paycalc import payslip
from paycalc.scheme import SchemeRegistry, load_schemes
from paycalc.worker import load_worker

EXAMPLES = Path(__file__).resolve().parent
ROOT = EXAMPLES.parent
SLIPS = EXAMPLES / "slips"
MANIFEST = SLIPS / "MANIFEST.toml"


@dataclass(frozen=True)
class GoldenSlip:
    """One manifest entry: a worker file and a month, and where its slip lives."""

    worker: Path
    month: str
    #: price a draft: its slips live beside the others as ``<stem>.<month>.draft.json``
    include_drafts: bool = False

    @property
    def family(self) -> str:
        return self.worker.parent.name

    @property
    def path(self) -> Path:
        draft = ".draft" if self.include_drafts else ""
        return SLIPS / self.family / f"{self.worker.stem}.{self.month}{draft}.json"

    def __str__(self) -> str:
        draft = " (drafts included)" if self.include_drafts else ""
        return f"{self.worker.relative_to(EXAMPLES)} {self.month}{draft}"


def load_manifest(manifest: Path = MANIFEST) -> list[GoldenSlip]:
    data = tomllib.loads(manifest.read_text(encoding="utf-8"))
    return [
        GoldenSlip(EXAMPLES / entry["worker"], entry["month"], entry.get("include_drafts", False))
        for entry in data["slip"]
    ]


def bundled_registry() -> SchemeRegistry:
    return load_schemes(ROOT / "schemes")


def render(entry: GoldenSlip, registry: SchemeRegistry) -> str:
    """The slip's JSON text, exactly as stored (with a final newline)."""
    worker = load_worker(entry.worker)
    slip = payslip(worker, entry.month, schemes=registry, include_drafts=entry.include_drafts)
    return slip.to_json() + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 on changes")
    args = parser.parse_args(argv)
    registry = bundled_registry()
    changed = []
    for entry in load_manifest():
        text = render(entry, registry)
        old = entry.path.read_text(encoding="utf-8") if entry.path.exists() else None
        if old == text:
            continue
        changed.append(entry.path)
        if not args.check:
            entry.path.parent.mkdir(parents=True, exist_ok=True)
            entry.path.write_text(text, encoding="utf-8")
    verb = "would change" if args.check else "written"
    for path in changed:
        print(f"{verb}: {path.relative_to(ROOT)}")
    print(f"{len(changed)} slip(s) {verb}")
    return 1 if args.check and changed else 0


if __name__ == "__main__":
    sys.exit(main())
