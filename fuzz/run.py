"""Run one fuzz target under atheris (coverage-guided, libFuzzer): see docs/testing.md.

    python fuzz/run.py TARGET [libFuzzer options] [CORPUS_DIR ...]

e.g. ``python fuzz/run.py scheme_toml -max_total_time=1800 /tmp/corpus fuzz/corpus/scheme_toml``
(libFuzzer adds new inputs to the first folder; put the committed seeds second).

Any exception other than a sound ``PaycalcError`` is a crash: libFuzzer saves the input
(``crash-…``) and stops. With ``PAYCALC_FUZZ_FINDINGS=DIR`` the run goes on instead and
records each distinct failure (by exception type and the paycalc line it came from) once in
DIR: the input and its traceback, so a long run lists every bug it met.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import os
import pkgutil
import re
import sys
import traceback
from collections.abc import Callable
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["paycalc"]):
    import paycalc

    # every module, so those a target imports late (readers, tax) are instrumented too
    for module in pkgutil.walk_packages(paycalc.__path__, "paycalc."):
        if module.name.endswith("__main__"):
            continue  # runs the command line
        with contextlib.suppress(ImportError):  # an optional extra not installed
            importlib.import_module(module.name)

import targets  # type: ignore[import-not-found]  # fuzz/ is sys.path[0] when run as a script


def _signature(error: BaseException) -> str:
    """Exception type and the innermost frame in paycalc it came through; for a broken
    property (raised by the target itself), what was broken, without the input's values."""
    if isinstance(error, targets.Finding):
        shape = re.sub(r"'[^']*'|\"[^\"]*\"|[0-9]+", "_", str(error))
        return f"Finding: {shape[:70]}"
    frames = traceback.extract_tb(error.__traceback__)
    ours = [f for f in frames if "/paycalc/" in f.filename]
    where = ours[-1] if ours else (frames[-1] if frames else None)
    place = f"{Path(where.filename).name}:{where.lineno}" if where else "?"
    return f"{type(error).__name__} at {place}"


def _recording(check: Callable[[bytes], None], folder: Path) -> Callable[[bytes], None]:
    seen: set[str] = set()
    folder.mkdir(parents=True, exist_ok=True)

    def run(data: bytes) -> None:
        try:
            check(data)
        except Exception as error:  # every escape is a finding: record it, go on
            signature = _signature(error)
            if signature in seen:
                return
            seen.add(signature)
            name = hashlib.sha1(signature.encode()).hexdigest()[:12]
            (folder / f"{name}.input").write_bytes(data)
            (folder / f"{name}.txt").write_text(
                signature + "\n\n" + "".join(traceback.format_exception(error)), encoding="utf-8"
            )
            print(f"#finding {signature}", file=sys.stderr, flush=True)

    return run


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in targets.TARGETS:
        sys.exit(f"usage: run.py TARGET [libFuzzer options]; targets: {', '.join(targets.TARGETS)}")
    target = targets.TARGETS[sys.argv[1]]
    args = [sys.argv[0], *sys.argv[2:]]
    if target.dictionary and not any(a.startswith("-dict=") for a in args):
        args.append(f"-dict={Path(__file__).parent / target.dictionary}")
    if not any(a.startswith("-keep_seed=") for a in args):
        # keep every seed: seeds that cover the same lines (the parts of one workbook, the
        # schemes) still differ in what mutating them reaches
        args.append("-keep_seed=1")
    findings = os.environ.get("PAYCALC_FUZZ_FINDINGS")
    check = _recording(target.check, Path(findings) / target.name) if findings else target.check
    paycalc.default_registry()  # loaded once, before the first input (not counted as a hang)
    targets.words()

    def mutator(data: bytes, max_size: int, seed: int) -> bytes:
        return targets.mutate_json(data, max_size, seed, atheris.Mutate)

    if target.json_tree:
        atheris.Setup(args, check, custom_mutator=mutator)
    else:
        atheris.Setup(args, check)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
