"""Check a command's outputs before any work, and write them as one transaction.

A command names its outputs (``--out``, the errors file derived from it, ``--plot``) and
its inputs (roster, worker, scheme and table files, assumptions). Before computing
anything, :func:`plan_outputs` refuses (as a :class:`~paycalc.errors.UsageError`, exit 2):

- an output that is one of the inputs: same path after following symbolic links, or the
  same file under another name (a hard link), e.g. ``--out R.csv`` whose errors file
  ``R.errors.csv`` is the roster;
- two outputs that are the same file;
- a suffix the command cannot write, and a format whose optional extra is not installed
  (openpyxl for ``.xlsx``, matplotlib for ``--plot``);
- a folder that does not exist, is not a folder, or cannot be written in; a target that
  is a folder or a device, not a regular file.

It returns an :class:`~paycalc.io.output.OutputSet` that locks the outputs against a
second run and writes them all or none (:mod:`paycalc.io.output`).
"""

from __future__ import annotations

import importlib
import os
import stat
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from paycalc.errors import InputError, Problem, UsageError
from paycalc.io.output import OutputSet, can_write_in, output_target

__all__ = ["Output", "OutputRefused", "check_inputs", "plan_outputs", "require_extra"]

#: Optional extras by output suffix: (module, extra to install).
_EXTRAS = {".xlsx": ("openpyxl", "xlsx")}


class OutputRefused(UsageError):
    """Outputs refused before any work; ``problems`` names each (option, path, why)."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        InputError.__init__(self, problems)


@dataclass(frozen=True, slots=True)
class Output:
    """One output: the option that names it, its path and the suffixes it may have."""

    option: str
    path: Path
    suffixes: tuple[str, ...]


def require_extra(module: str, extra: str, why: str) -> None:
    """Import an optional extra now, or refuse (usage) saying how to install it."""
    try:
        importlib.import_module(module)
    except ImportError:
        raise UsageError(
            "", f"{why} needs {module}: pip install 'paycalc[{extra}]'", source="paycalc"
        ) from None


def check_inputs(paths: Iterable[Path]) -> None:
    """Every input file exists and is a readable file (else exit 1, before any work)."""
    problems = []
    for path in paths:
        try:
            mode = path.stat().st_mode
        except OSError as error:
            problems.append(Problem(str(path), "", f"cannot read: {error.strerror}"))
            continue
        if stat.S_ISDIR(mode):
            problems.append(Problem(str(path), "", "is a folder, not a file"))
        elif not os.access(path, os.R_OK):
            problems.append(Problem(str(path), "", "cannot read: permission denied"))
    if problems:
        raise InputError(problems)


def _identity(path: Path) -> tuple[str, tuple[int, int] | None]:
    """The real path, and (device, inode) when the file exists."""
    real = os.path.normcase(output_target(path))
    try:
        info = os.stat(path)
    except OSError:
        return real, None
    return real, (info.st_dev, info.st_ino)


def _folder_problem(output: Output) -> str | None:
    target = output_target(output.path)
    folder = target.parent
    given = output.path.parent  # shown as the user wrote it
    shown = given if str(given) not in ("", ".") else folder
    if not folder.exists():
        return f"the folder {shown} does not exist"
    if not folder.is_dir():
        return f"{shown} is not a folder"
    try:
        info = os.stat(target)
    except FileNotFoundError:
        info = None
    except OSError as error:
        return f"cannot use it: {error.strerror}"
    if info is not None and stat.S_ISDIR(info.st_mode):
        return "is a folder; name a file"
    if info is not None and not stat.S_ISREG(info.st_mode):
        return "is not a regular file (a device or pipe); name a file"
    refused = can_write_in(folder)
    if refused is not None:
        return f"cannot write in {shown}: {refused}"
    return None


def plan_outputs(outputs: Sequence[Output], inputs: Iterable[Path]) -> OutputSet:
    """Refuse bad outputs before any work (every problem at once); else the transaction."""
    problems: list[Problem] = []
    for output in outputs:
        suffix = output.path.suffix.lower()
        if suffix not in output.suffixes:
            problems.append(
                Problem(
                    output.option,
                    str(output.path),
                    f"must end in {', '.join(output.suffixes)}, not {suffix or 'no suffix'}",
                )
            )
            continue
        if suffix in _EXTRAS:
            module, extra = _EXTRAS[suffix]
            try:
                require_extra(module, extra, f"writing {suffix}")
            except UsageError as error:
                problems += [
                    Problem(output.option, str(output.path), p.message) for p in error.problems
                ]
        folder = _folder_problem(output)
        if folder is not None:
            problems.append(Problem(output.option, str(output.path), folder))
    known: dict[object, str] = {}
    for path in inputs:
        real, inode = _identity(path)
        known.setdefault(real, f"the input {path}")
        if inode is not None:
            known.setdefault(inode, f"the input {path}")
    for output in outputs:
        real, inode = _identity(output.path)
        clash = known.get(real) or (known.get(inode) if inode is not None else None)
        if clash is not None:
            problems.append(
                Problem(
                    output.option,
                    str(output.path),
                    f"is {clash}; refusing to overwrite it (choose another output name)",
                )
            )
            continue
        known[real] = f"also the {output.option} output"
        if inode is not None:
            known[inode] = f"also the {output.option} output"
    if problems:
        raise OutputRefused(problems)
    return OutputSet([output.path for output in outputs], lock=True)
