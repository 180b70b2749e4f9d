"""Worker processes for work cut into contiguous chunks, with the results taken in order.

:func:`paycalc.batch.run_roster` pays the rows of a large roster this way on every core.
Nothing here knows about pay: a chunk is whatever arguments the task takes, and its result
is handed to ``merge`` in the order of the chunks, so the caller can build exactly what one
process would have built.

How the workers start (:func:`start_method`): ``fork`` on Linux when the calling process
runs a single thread — a worker then starts in milliseconds and inherits what the task
needs (scheme registry, tables, the roster) without pickling it; ``spawn`` otherwise,
because forking a process in which another thread may hold a lock can hang the child (a
service paying rosters on its request threads). The tasks are written for ``spawn`` (what
they need travels as arguments), so the results never depend on the method.

A worker ignores SIGINT (Ctrl-C reaches the whole process group; the parent alone decides)
and dies on SIGTERM. When anything goes wrong in the parent — an interrupt, an error from a
task, an error in ``merge`` — the workers are terminated before the error goes on: nothing
keeps computing after the run has failed, and nothing waits for it.
"""

from __future__ import annotations

import contextlib
import copyreg
import dataclasses
import io
import multiprocessing
import operator
import os
import pickle
import shutil
import signal
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, BinaryIO, Final, Literal, TypeVar

__all__ = [
    "StartMethod",
    "available_cores",
    "chunk_bounds",
    "dumps",
    "in_order",
    "start_method",
]

StartMethod = Literal["fork", "spawn"]
Result = TypeVar("Result")


def available_cores() -> int:
    """The cores this process may run on (its CPU affinity where the platform says)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def start_method() -> StartMethod:
    """``fork`` on Linux in a process running one thread; ``spawn`` otherwise."""
    if sys.platform.startswith("linux") and threading.active_count() == 1:
        return "fork"
    return "spawn"


def chunk_bounds(start: int, stop: int, workers: int, *, largest: int) -> list[tuple[int, int]]:
    """``[start, stop)`` cut into contiguous chunks: about four per worker, at most ``largest``.

    Several chunks per worker keep both busy to the end when some rows cost more than
    others, and let the caller report progress as the chunks come back.
    """
    rows = stop - start
    if rows <= 0:
        return []
    size = min(largest, max(1, -(-rows // (workers * 4))))
    return [(first, min(first + size, stop)) for first in range(start, stop, size)]


# -- carrying results back --------------------------------------------------------------
#
# A result comes back pickled. Python pickles a frozen dataclass with slots through
# functions that look up its fields on every object (≈ 5 µs each way), which made carrying
# a slip (a dozen such objects) cost half as much as computing it. The pickler below writes
# such an object as its class and field values, and rebuilds it with the class's own
# ``__init__`` when that does nothing but assign the fields, else by setting them directly
# (what ``pickle`` does, without the look-up).


def _set_fields(cls: type[Any], names: tuple[str, ...], values: tuple[Any, ...]) -> Any:
    rebuilt = object.__new__(cls)
    for name, value in zip(names, values, strict=True):
        object.__setattr__(rebuilt, name, value)
    return rebuilt


def _construct(cls: type[Any], values: tuple[Any, ...]) -> Any:
    return cls(*values)


_Plan = tuple[bool, tuple[str, ...]] | None
_Reducer = Callable[[Any], Any]


def _plan(cls: type[Any]) -> _Plan:
    """(whether ``cls(*values)`` rebuilds it, field names), or None: pickle it as usual."""
    params = getattr(cls, "__dataclass_params__", None)
    if (
        params is None
        or not params.frozen
        or "__slots__" not in cls.__dict__
        or getattr(cls.__setstate__, "__module__", None) != "dataclasses"
    ):
        return None
    fields = dataclasses.fields(cls)
    plain = all(f.init for f in fields) and not hasattr(cls, "__post_init__")
    return plain, tuple(f.name for f in fields)


def _fields_reducer(cls: type[Any], plain: bool, names: tuple[str, ...]) -> _Reducer:
    values = operator.attrgetter(*names)
    if len(names) == 1:  # attrgetter of one name gives the value, not a 1-tuple

        def single(obj: Any) -> Any:
            return (_construct, (cls, (values(obj),)))

        return single if plain else (lambda obj: (_set_fields, (cls, names, (values(obj),))))
    if plain:
        return lambda obj: (_construct, (cls, values(obj)))
    return lambda obj: (_set_fields, (cls, names, values(obj)))


class _Reducers(dict[type[Any], _Reducer]):
    """The pickler's ``dispatch_table``: each class's reducer, worked out when first met.

    ``pickle`` looks a class up here only for what it has no code of its own for (not str,
    int, tuple, ...), and in C: a Decimal costs a dictionary look-up, not a Python call.
    """

    def __missing__(self, cls: type[Any]) -> _Reducer:
        if issubclass(cls, type):  # a class with a metaclass: pickle saves it by name
            raise KeyError(cls)
        plan = _plan(cls)
        found = copyreg.dispatch_table.get(cls)
        if plan is not None:
            found = _fields_reducer(cls, *plan)
        elif found is None:
            found = _REDUCE_EX  # what pickle does without a table
        self[cls] = found
        return found


_REDUCE_EX: Final = operator.methodcaller("__reduce_ex__", pickle.HIGHEST_PROTOCOL)
_reducers = _Reducers()


def _dump(value: object, file: BinaryIO) -> None:
    pickler = pickle.Pickler(file, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = _reducers
    pickler.dump(value)


def dumps(value: object) -> bytes:
    """``value`` pickled, frozen dataclasses with slots quickly (:func:`pickle.loads` reads it)."""
    buffer = io.BytesIO()
    _dump(value, buffer)
    return buffer.getvalue()


# A result travels as a file, its name through the executor's pipe. A result written to the
# pipe is megabytes: a worker killed while writing it (out of memory, an operator) leaves
# half a message there, and the executor's thread waits for the rest forever — the run
# hangs instead of failing (CPython's ProcessPoolExecutor, 3.11 to 3.14). A name is a few
# dozen bytes, written whole or not at all (POSIX: a pipe write up to 4 KiB is atomic), so
# a dead worker is always seen as one and the run fails at once.


def _call(task: Callable[..., object], args: tuple[Any, ...], folder: str, number: int) -> str:
    path = os.path.join(folder, f"{number}.pickle")
    with open(path, "wb") as handle:
        _dump(task(*args), handle)
    return path


def _take(path: str) -> Any:
    with open(path, "rb") as handle:
        found = pickle.load(handle)
    os.unlink(path)
    return found


#: The signals held back while the workers start (see :func:`_signals_held`).
_HELD: Final = frozenset({signal.SIGINT, signal.SIGTERM})


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """SIGINT and SIGTERM held back from this thread within the block, then delivered.

    A signal arriving while ``os.fork`` runs its Python callbacks (``logging`` releases its
    lock in one) makes the handler's exception "ignored": the interrupt would be lost and
    the run go on. Held, it is delivered when the block ends, in ordinary code. The workers
    and the executor's thread started inside inherit the mask: a worker lets them through
    again (:func:`_started`); the thread leaves them to the main thread, which handles them.
    """
    if not hasattr(signal, "pthread_sigmask"):  # not POSIX
        yield
        return
    before = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


def _started(initializer: Callable[..., None], initargs: tuple[Any, ...]) -> None:
    # Forked workers inherit the parent's handlers (the CLI's raise an exception): reset them.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _HELD)  # held while the parent started us
    initializer(*initargs)


def _stop(executor: ProcessPoolExecutor) -> None:
    """Cancel what has not started, terminate the workers now (a chunk may take seconds),
    and wait until they and the executor's thread are gone.

    The executor has no public way to do this before Python 3.14 (``terminate_workers``,
    which does not wait): it keeps its processes in ``_processes`` and its thread in
    ``_executor_manager_thread``, in 3.11 to 3.14 alike. Were they renamed, the running
    chunks would be let finish instead.
    """
    processes = list((getattr(executor, "_processes", None) or {}).values())
    thread = getattr(executor, "_executor_manager_thread", None)
    executor.shutdown(wait=not processes, cancel_futures=True)
    for process in processes:
        process.terminate()
    for process in processes:
        process.join(_STOP_TIMEOUT)
    if isinstance(thread, threading.Thread):
        thread.join(_STOP_TIMEOUT)


#: Seconds to wait for a terminated worker, or the executor's thread, to be gone.
_STOP_TIMEOUT = 10.0


def in_order(
    task: Callable[..., Result],
    chunks: Sequence[tuple[Any, ...]],
    merge: Callable[[int, Result], None],
    *,
    workers: int,
    initializer: Callable[..., None],
    initargs: tuple[Any, ...] = (),
    method: StartMethod | None = None,
) -> None:
    """``merge(i, task(*chunks[i]))`` for every chunk, in order, the tasks run by ``workers``
    processes, each prepared once by ``initializer(*initargs)``.

    ``task`` and ``initializer`` must be module-level functions. With ``fork`` the initargs
    are inherited, not pickled. An exception raised by a task is raised here as it was
    (its traceback in the worker attached as the cause), when its chunk's turn comes.
    """
    method = method if method is not None else start_method()
    executor = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context(method),
        initializer=_started,
        initargs=(initializer, initargs),
    )
    folder = tempfile.mkdtemp(prefix="paycalc-pool-")
    finished = False
    try:
        with _signals_held():  # the workers start on the first submissions
            futures: list[Future[str]] = [
                executor.submit(_call, task, args, folder, number)
                for number, args in enumerate(chunks)
            ]
        for index, future in enumerate(futures):
            merge(index, _take(future.result()))
        finished = True
    finally:
        if finished:
            executor.shutdown(wait=True)
        else:
            _stop(executor)
        shutil.rmtree(folder, ignore_errors=True)  # the results not taken, after the workers
