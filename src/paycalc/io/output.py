"""Outputs that are never half-written: a temporary file in the target folder, renamed on success.

Every file paycalc writes goes through here. Data is written to a hidden temporary file
beside the target (``.slips.csv.<random>.paycalc-tmp``: never a name that looks like a
finished output), flushed and ``fsync``-ed (a set of many files written with
``OutputSet.write_whole``: one ``os.sync`` for all), then renamed over the target (``os.replace``,
atomic on one file system) and the folder is ``fsync``-ed so the rename survives a crash. If
anything fails or the process is interrupted before that, the temporary is removed and the
target is left as it was: absent, or the previous complete file.

* :func:`atomic_write` — one file::

      with atomic_write("slips.csv", encoding="utf-8-sig", newline="") as handle:
          handle.write(...)

* :class:`OutputSet` — every output of one run (slips *and* their errors file): each is
  written to its temporary, and only when all are written are they renamed, one after the
  other, with SIGINT/SIGTERM held back for those few system calls. With ``lock=True`` a
  second run writing one of the same files at the same time is refused
  (:class:`OutputBusy`) instead of mixing its files with the first run's.

A target that is a symbolic link is written through the link (the file it points to is
replaced); a hard-linked target gets a new inode, so its other names keep the old content.
A temporary left behind by a process killed with SIGKILL (which nothing can catch) ends in
``.paycalc-tmp`` and can be deleted.
"""

from __future__ import annotations

import contextlib
import os
import signal
import tempfile
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Final, Literal, overload

__all__ = [
    "TEMP_SUFFIX",
    "OutputBusy",
    "OutputSet",
    "atomic_write",
    "can_write_in",
    "output_target",
]

#: The suffix of every temporary output file.
TEMP_SUFFIX: Final = ".paycalc-tmp"
_LOCK_SUFFIX: Final = ".paycalc-lock"
_HELD_SIGNALS: Final = (int(signal.SIGINT), int(signal.SIGTERM))

try:  # POSIX: advisory locks released by the kernel when the process dies
    import fcntl
except ImportError:  # pragma: no cover - Windows: no lock, outputs stay atomic
    fcntl = None  # type: ignore[assignment]


class OutputBusy(OSError):
    """Another process is writing the same output right now."""


def output_target(path: str | os.PathLike[str]) -> Path:
    """The file a write to ``path`` replaces: symbolic links followed, folders absolute."""
    return Path(os.path.realpath(path))


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Hold SIGINT and SIGTERM back until the block ends, so a few system calls finish.

    A signal that arrives meanwhile is recorded and raised again at the end of the block,
    through the handler that was in place. (Masking the signal in this thread would not do:
    the kernel then delivers it to another thread, numpy's for one, and Python still runs
    its handler here.) Only the main thread may change handlers; elsewhere nothing is held.
    """
    if threading.current_thread() is not threading.main_thread():
        yield  # pragma: no cover - a library caller on a worker thread
        return
    received: list[int] = []

    def record(number: int, frame: object) -> None:
        received.append(number)

    previous: dict[int, Any] = {}
    for number in _HELD_SIGNALS:
        if signal.getsignal(number) is not None:  # None: set outside Python, left alone
            previous[number] = signal.signal(number, record)
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        if received:
            signal.raise_signal(received[0])


def can_write_in(folder: Path) -> str | None:
    """None if a file can be created in ``folder``, else why not (the one sure test:
    permissions, read-only file systems, quotas). The probe file is gone on return."""
    with _signals_held():
        try:
            descriptor, probe = tempfile.mkstemp(prefix=".paycalc-probe.", dir=folder)
        except OSError as error:
            return error.strerror or str(error)
        os.close(descriptor)
        with contextlib.suppress(OSError):
            os.unlink(probe)
    return None


def _fsync_folder(folder: Path) -> None:
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - a platform that cannot open folders (Windows)
        return
    try:
        os.fsync(descriptor)
    except OSError:  # pragma: no cover - some file systems refuse fsync on a folder
        pass
    finally:
        os.close(descriptor)


def _new_file_mode() -> int:
    """The permissions a new file gets here (``mkstemp`` alone would make it 0600)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


class _Staged:
    """One output being written: its target, its temporary file and the open handle."""

    def __init__(
        self, target: Path, *, binary: bool, encoding: str | None, newline: str | None
    ) -> None:
        self.target = target
        descriptor, name = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=TEMP_SUFFIX, dir=target.parent
        )
        self.temporary = Path(name)
        self.unsynced = False
        try:
            os.chmod(descriptor, _new_file_mode())
            self.handle: IO[Any] = (
                os.fdopen(descriptor, "wb")
                if binary
                else os.fdopen(descriptor, "w", encoding=encoding or "utf-8", newline=newline)
            )
        except BaseException:
            os.close(descriptor)
            self.temporary.unlink()
            raise

    def finish(self) -> None:
        """Flush the data to the disk (the first half of the commit); once."""
        if self.handle.closed:
            return
        self.handle.flush()
        os.fsync(self.handle.fileno())
        self.handle.close()

    def close_unsynced(self) -> None:
        """Close the temporary, its data still to be synced (by :func:`os.sync` at commit)."""
        self.handle.close()
        self.unsynced = True

    def commit(self) -> None:
        os.replace(self.temporary, self.target)

    def discard(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            self.handle.close()
        with contextlib.suppress(FileNotFoundError):
            self.temporary.unlink()


class OutputSet:
    """Every output of one run, written to temporaries and renamed together on success.

    ::

        with OutputSet([slips, errors], lock=True) as outputs:
            write_slips(outputs.open(slips, encoding="utf-8-sig", newline=""), ...)
            write_errors(outputs.open(errors, encoding="utf-8-sig", newline=""), ...)
        # here both are in place; on an exception or interrupt neither was touched

    On failure the exception carries a note (``error.__notes__``) saying which outputs were
    not written (and which were, if the failure came during the renames themselves).
    """

    def __init__(self, targets: Sequence[str | os.PathLike[str]], *, lock: bool = False) -> None:
        self.targets = [output_target(path) for path in targets]
        self._known = set(self.targets)  # `in` on a set: a set may hold a slip per worker
        self.lock = lock
        self.written: list[Path] = []
        self._staged: dict[Path, _Staged] = {}
        self._locks: list[tuple[Path, int]] = []
        self._shown = {output_target(path): Path(path) for path in targets}

    # -- opening -----------------------------------------------------------------------

    @overload
    def open(
        self,
        path: str | os.PathLike[str],
        *,
        binary: Literal[False] = False,
        encoding: str | None = "utf-8",
        newline: str | None = None,
    ) -> IO[str]: ...

    @overload
    def open(
        self,
        path: str | os.PathLike[str],
        *,
        binary: Literal[True],
        encoding: str | None = None,
        newline: str | None = None,
    ) -> IO[bytes]: ...

    def open(
        self,
        path: str | os.PathLike[str],
        *,
        binary: bool = False,
        encoding: str | None = "utf-8",
        newline: str | None = None,
    ) -> IO[Any]:
        """A handle on the temporary of ``path`` (one of the targets), to write it whole."""
        return self._stage(path, binary=binary, encoding=encoding, newline=newline).handle

    def _stage(
        self,
        path: str | os.PathLike[str],
        *,
        binary: bool,
        encoding: str | None,
        newline: str | None,
    ) -> _Staged:
        target = output_target(path)
        if target not in self._known:
            raise ValueError(f"{path} is not one of this run's outputs")
        if target in self._staged:
            raise ValueError(f"{path} is already being written")
        with _signals_held():  # no temporary exists that this set does not know of
            staged = _Staged(
                target, binary=binary, encoding=None if binary else encoding, newline=newline
            )
            self._staged[target] = staged
        return staged

    def write_whole(self, path: str | os.PathLike[str], data: bytes) -> None:
        """Write ``data`` as ``path``'s temporary and close it now: for sets of many files
        (one slip per worker), which would otherwise hold a descriptor each until the commit.
        The commit syncs such files with one :func:`os.sync` before any rename (an ``fsync``
        per file cost 0.2 ms each, a second for 5,000 slips)."""
        staged = self._stage(path, binary=True, encoding=None, newline=None)
        staged.handle.write(data)
        staged.close_unsynced()

    # -- the transaction ---------------------------------------------------------------

    def __enter__(self) -> OutputSet:
        if self.lock:
            self._acquire_locks()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        try:
            if error is None:
                self._commit()
            else:
                self._abort(error)
        finally:
            self._release_locks()

    def _commit(self) -> None:
        try:
            for staged in self._staged.values():
                staged.finish()
            if any(staged.unsynced for staged in self._staged.values()):
                os.sync()  # Linux's sync(2) returns once the data is written
        except BaseException as error:
            self._abort(error)
            raise
        folders: set[Path] = set()
        try:
            with _signals_held():
                for target in self.targets:
                    pending = self._staged.pop(target, None)
                    if pending is None:
                        continue
                    try:
                        pending.commit()
                    except BaseException:
                        self._staged[target] = pending
                        raise
                    self.written.append(target)
                    folders.add(target.parent)
        except BaseException as error:
            self._abort(error)
            raise
        for folder in folders:
            _fsync_folder(folder)

    def _abort(self, error: BaseException) -> None:
        with _signals_held():  # a second Ctrl-C does not leave a temporary behind
            for staged in self._staged.values():
                staged.discard()
            self._staged.clear()
        done = set(self.written)
        missing = [self._show(t) for t in self.targets if t not in done]
        if self.written:
            error.add_note(f"written: {', '.join(self._show(t) for t in self.written)}")
        if missing:
            error.add_note(
                f"not written: {', '.join(missing)} (no partial file left; "
                "an earlier version, if any, is unchanged)"
            )

    def _show(self, target: Path) -> str:
        return str(self._shown.get(target, target))

    # -- locks -------------------------------------------------------------------------

    def _acquire_locks(self) -> None:
        if fcntl is None:  # pragma: no cover - Windows
            return
        try:
            for target in dict.fromkeys(self.targets):  # the main output first
                with _signals_held():  # no lock file exists that this set does not know of
                    self._locks.append(self._lock(target))
        except BaseException as error:
            self._release_locks()
            if not isinstance(error, OutputBusy):
                self._abort(error)  # says what was not written
            raise

    def _lock(self, target: Path) -> tuple[Path, int]:
        lock_path = target.with_name(f".{target.name}{_LOCK_SUFFIX}")
        while True:
            descriptor = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = os.pread(descriptor, 32, 0).decode("ascii", "replace").strip()
                os.close(descriptor)
                raise OutputBusy(
                    f"another paycalc run{f' (process {holder})' if holder else ''} is "
                    f"writing {self._show(target)}; wait for it to finish",
                ) from None
            except BaseException:
                os.close(descriptor)
                raise
            # The holder before us may have removed the lock file as we opened it: retry.
            try:
                same = os.path.samestat(os.fstat(descriptor), os.stat(lock_path))
            except FileNotFoundError:
                same = False
            if same:
                os.ftruncate(descriptor, 0)
                os.pwrite(descriptor, f"{os.getpid()}\n".encode("ascii"), 0)
                return lock_path, descriptor
            os.close(descriptor)

    def _release_locks(self) -> None:
        with _signals_held():
            while self._locks:
                lock_path, descriptor = self._locks.pop()
                with contextlib.suppress(FileNotFoundError):
                    lock_path.unlink()
                os.close(descriptor)


@overload
def atomic_write(
    path: str | os.PathLike[str],
    *,
    binary: Literal[False] = False,
    encoding: str | None = "utf-8",
    newline: str | None = None,
) -> contextlib.AbstractContextManager[IO[str]]: ...


@overload
def atomic_write(
    path: str | os.PathLike[str],
    *,
    binary: Literal[True],
    encoding: str | None = None,
    newline: str | None = None,
) -> contextlib.AbstractContextManager[IO[bytes]]: ...


def atomic_write(
    path: str | os.PathLike[str],
    *,
    binary: bool = False,
    encoding: str | None = "utf-8",
    newline: str | None = None,
) -> contextlib.AbstractContextManager[IO[Any]]:
    """Write one file whole or not at all (see the module docstring)."""
    return _atomic_write(path, binary=binary, encoding=encoding, newline=newline)


@contextlib.contextmanager
def _atomic_write(
    path: str | os.PathLike[str], *, binary: bool, encoding: str | None, newline: str | None
) -> Iterator[IO[Any]]:
    with OutputSet([path]) as outputs:
        if binary:
            yield outputs.open(path, binary=True)
        else:
            yield outputs.open(path, encoding=encoding, newline=newline)
