"""The exception hierarchy.

Every error paycalc raises for bad input is a :class:`PaycalcError`. Errors that come from
checking a file carry *every* problem found (Beancount style: collect, then report), each
problem naming its source file and the key path or row it refers to, so a program can
point a user at the exact place and a person can fix all of them in one pass.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

__all__ = [
    "InputError",
    "PayError",
    "PaycalcError",
    "Problem",
    "SchemeError",
    "SchemeNotFound",
    "WorkerError",
    "problems_of",
]


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with one input, and where it is.

    ``source`` is a file path (or ``"<worker>"``, ``"<scheme>"`` for in-memory input),
    ``location`` a dotted key path (``components[2].amounts.chief``) or ``row 14``.
    """

    source: str
    location: str
    message: str

    def __str__(self) -> str:
        if self.location:
            return f"{self.source}: {self.location}: {self.message}"
        return f"{self.source}: {self.message}"


class PaycalcError(Exception):
    """Base class of every error paycalc raises on purpose."""


class InputError(PaycalcError):
    """Input was checked and found wrong; ``problems`` lists every problem found."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        if not self.problems:
            raise ValueError("an InputError needs at least one problem")
        super().__init__("\n".join(str(problem) for problem in self.problems))


class SchemeError(InputError):
    """A scheme file (or a set of versions of a family) is invalid."""


class WorkerError(InputError):
    """A worker record is invalid, on its own or for the scheme that pays it."""


class SchemeNotFound(PaycalcError):
    """No scheme family with that id, or no version of it in force for the month asked."""


class PayError(PaycalcError):
    """A slip cannot be computed for this worker and month (e.g. not employed that month)."""

    def __init__(self, worker_id: str, month: str, message: str) -> None:
        self.worker_id = worker_id
        self.month = month
        self.reason = message
        super().__init__(f"worker {worker_id}, {month}: {message}")


def problems_of(worker: object, error: PaycalcError) -> list[Problem]:
    """The problems an error stands for, located at the worker when it names no file."""
    worker_id = getattr(worker, "id", "?")
    if isinstance(error, InputError):
        return list(error.problems)
    if isinstance(error, PayError):
        return [Problem(f"worker {worker_id}", error.month, error.reason)]
    return [Problem(f"worker {worker_id}", "", str(error))]
