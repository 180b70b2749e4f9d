"""The exception hierarchy: one tree, every error carrying its problems.

Every error paycalc raises because of its input is a :class:`PaycalcError`, and every
``PaycalcError`` carries ``problems``: one :class:`Problem` per thing wrong, each naming its
source (a file, ``worker KM-0001``, ``<scheme>``), where in it (a key path, ``row 14``) and
what is wrong. Errors from checking a file carry *every* problem found (Beancount style:
collect, then report), so a person fixes them in one pass and a program (an HTTP handler
answering 422) can point at each place. Anything else that escapes paycalc is a bug.

::

    PaycalcError
    ├── InputError            input was checked and found wrong
    │   ├── SchemeError       a scheme file, or the versions of a family
    │   ├── WorkerError       a worker record, alone or for its scheme
    │   ├── SchemeNotFound    no such family, or no version in force that month
    │   └── UsageError        an argument out of range (a month, a horizon, an output path)
    └── PayError              no slip for this worker and month
        └── NotEmployed       the worker was not employed in the month
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

__all__ = [
    "InputError",
    "NotEmployed",
    "PayError",
    "PaycalcError",
    "Problem",
    "SchemeError",
    "SchemeNotFound",
    "UsageError",
    "WorkerError",
    "problems_of",
]


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with one input, and where it is.

    ``source`` is a file path (or ``"worker KM-0001"``, ``"<scheme>"`` for in-memory input),
    ``location`` a dotted key path (``components[2].amounts.chief``) or ``row 14``.
    """

    source: str
    location: str
    message: str

    def __str__(self) -> str:
        if self.location:
            return f"{self.source}: {self.location}: {self.message}"
        return f"{self.source}: {self.message}"

    def to_dict(self) -> dict[str, str]:
        return {"source": self.source, "location": self.location, "message": self.message}


class PaycalcError(Exception):
    """Base class of every error paycalc raises on purpose; ``problems`` says what and where."""

    problems: tuple[Problem, ...]

    def __init__(self, message: str, problems: Iterable[Problem] = ()) -> None:
        self.problems = tuple(problems) or (Problem("paycalc", "", message),)
        super().__init__(message)


class InputError(PaycalcError):
    """Input was checked and found wrong; ``problems`` lists every problem found."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        found = tuple(problems)
        if not found:
            raise ValueError("an InputError needs at least one problem")
        super().__init__("\n".join(str(problem) for problem in found), found)


class SchemeError(InputError):
    """A scheme file (or a set of versions of a family) is invalid."""


class WorkerError(InputError):
    """A worker record is invalid, on its own or for the scheme that pays it."""


class UsageError(InputError):
    """An argument is out of range or contradicts another (a month, a horizon, a path)."""

    def __init__(self, location: str, message: str, source: str = "arguments") -> None:
        super().__init__([Problem(source, location, message)])


class SchemeNotFound(InputError):
    """No scheme family with that id, or no version of it in force for the month asked.

    ``str(error)`` is the message alone (it reads as a sentence in a row's error); the
    problem locates it at the family.
    """

    def __init__(self, message: str, *, family: str = "", source: str = "schemes") -> None:
        self.family = family
        PaycalcError.__init__(self, message, [Problem(source, family or "scheme", message)])


class PayError(PaycalcError):
    """A slip cannot be computed for this worker and month."""

    def __init__(self, worker_id: str, month: str, message: str, *, location: str = "") -> None:
        self.worker_id = worker_id
        self.month = month
        self.reason = message
        #: the worker field that decides it (``hired_on``, ``left_on``), when one does
        self.location = location
        where = f"{month} {location}".strip() if location else month
        super().__init__(
            f"worker {worker_id}, {month}: {message}",
            [Problem(f"worker {worker_id}", where, message)],
        )


class NotEmployed(PayError):
    """The worker was not employed in the month asked: no slip, and not an error of the row.

    A run counts such rows apart (``N rows in = S slips + U not employed + E errors``).
    """


def problems_of(worker: object, error: PaycalcError) -> list[Problem]:
    """The problems an error stands for, located at the worker when it names no file."""
    worker_id = getattr(worker, "id", "?")
    if isinstance(error, InputError) and not isinstance(error, SchemeNotFound):
        return list(error.problems)
    if isinstance(error, PayError):
        return list(error.problems)
    return [Problem(f"worker {worker_id}", "", str(error))]
