"""Replay inputs through a fuzz target, without atheris: a corpus after a long run, or findings.

    python fuzz/replay.py TARGET PATH...

Every file under each PATH (a folder or a file; ``*.txt`` tracebacks skipped) is checked as
the fuzzer checks it; each input that breaks the property is printed with the exception,
and the exit code is 1 if any did. Under ``coverage`` it measures which lines of paycalc
a corpus reaches (docs/testing.md):

    python -m coverage run --source=paycalc fuzz/replay.py scheme_toml /tmp/corpus/scheme_toml
"""

from __future__ import annotations

import sys
import traceback
from pathlib import Path

import targets  # type: ignore[import-not-found]  # fuzz/ is sys.path[0] when run as a script


def _files(paths: list[str]) -> list[Path]:
    found: list[Path] = []
    for name in paths:
        path = Path(name)
        found += sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    return [p for p in found if p.suffix != ".txt"]


def main() -> int:
    if len(sys.argv) < 3 or sys.argv[1] not in targets.TARGETS:
        print(f"usage: replay.py TARGET PATH...; targets: {', '.join(targets.TARGETS)}")
        return 2
    check = targets.TARGETS[sys.argv[1]].check
    files = _files(sys.argv[2:])
    broken = 0
    for path in files:
        try:
            check(path.read_bytes())
        except Exception as error:  # every escape is reported, the rest still replayed
            broken += 1
            print(f"{path}: {type(error).__name__}: {str(error)[:300]}")
            traceback.print_exc(limit=-3)
    print(f"{len(files)} inputs replayed, {broken} broke the property")
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
