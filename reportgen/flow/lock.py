"""The run lock: two overlapping runs (a slow run and the next cron tick) never interleave.

``fcntl.flock`` on a lock file beside the database.  The kernel releases the lock when its holder
exits, however it exits (SIGKILL and OOM included), so a dead holder can never block the next run.
The holder writes its pid, host, command and start time into the file, so whoever waits can say
whom it waits for, and clears them when it finishes: finding a record left in a lock that is
free means the previous holder died without finishing; that is logged as a stale lock taken over.

POSIX only, like the cron and systemd deployment it serves.  With PostgreSQL as the store, hosts
do not share the lock file, so :func:`lock_for` takes an advisory lock in the database instead
(:mod:`reportgen.pglock`), with the same messages and exit code.
"""

from __future__ import annotations

import errno
import fcntl
import json
import logging
import os
import socket
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from reportgen.errors import LockBusy, StoreError
from reportgen.store.pglock import advisory_lock

log = logging.getLogger(__name__)

_POLL_S = 0.1


def lock_for(database: str, path: Path, timeout_s: float, *, purpose: str) -> AbstractContextManager[None]:
    """The run lock for a store: PostgreSQL's advisory lock for a server database (shared by every
    host that writes into it), else ``flock`` on ``path``."""
    if database.startswith("postgresql"):
        return advisory_lock(database, timeout_s, purpose=purpose)
    return run_lock(path, timeout_s, purpose=purpose)


@contextmanager
def run_lock(path: Path, timeout_s: float, *, purpose: str) -> Iterator[None]:
    """Hold the lock at ``path`` for the block; wait up to ``timeout_s``, then raise :class:`LockBusy`.

    A lock file that cannot be made or written (a read-only mount, a full disk, a path through a
    file) is a :class:`StoreError` naming it: the lock sits beside the database, which could not
    be written either.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise _unwritable(path, exc) from None
    try:
        _acquire(fd, path, timeout_s)
        stale = _read(fd)
        if stale:
            # the flock is ours, so whoever recorded itself has exited: no need to ask whether it runs
            log.warning("stale lock %s: the run it names, %s, ended without releasing it (killed or crashed); "
                        "taking over", path, _describe(stale))
        record = {"pid": os.getpid(), "host": socket.gethostname(), "purpose": purpose,
                  "started_at": datetime.now(UTC).isoformat(timespec="seconds")}
        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, json.dumps(record).encode(), 0)
            os.fsync(fd)
        except OSError as exc:
            fcntl.flock(fd, fcntl.LOCK_UN)
            raise _unwritable(path, exc) from None
        log.debug("lock %s taken for %s", path, purpose)
        try:
            yield
        finally:
            os.ftruncate(fd, 0)  # a clean finish leaves an empty file: nothing stale to report
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


# strerror's wording, in a sentence's case; the rest fall back to strerror
_REASONS = {errno.EROFS: "read-only file system", errno.EACCES: "permission denied",
            errno.EPERM: "operation not permitted", errno.ENOSPC: "no space left on device",
            errno.EDQUOT: "disk quota exceeded", errno.ENOTDIR: "a part of the path is not a folder",
            errno.ENOENT: "no such folder", errno.EISDIR: "it is a folder"}


def _unwritable(path: Path, exc: OSError) -> StoreError:
    reason = _REASONS.get(exc.errno or 0) or exc.strerror or str(exc)
    return StoreError(f"cannot write the run lock {path}: {reason}",
                      hint="the lock file sits beside the SQLite database (settings.database), else in "
                           "settings.output_dir: that folder must be writable by the user that runs reportgen")


def _acquire(fd: int, path: Path, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    announced = False
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            pass
        holder = _describe(_read(fd))
        if time.monotonic() >= deadline:
            raise LockBusy(
                f"another reportgen run holds the lock {path}: {holder}; gave up after waiting {timeout_s:g} s",
                hint="let it finish and run again, or raise run.lock_timeout_s; the lock is released as soon "
                     "as that process exits, even when it is killed")
        if not announced:
            log.warning("waiting up to %g s for the lock %s, held by %s", timeout_s, path, holder)
            announced = True
        time.sleep(min(_POLL_S, max(deadline - time.monotonic(), 0.0)))


def read_holder(path: Path) -> dict[str, Any] | None:
    """The record in the lock file (the holder, or a dead holder's leftovers), if any."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return None
    try:
        return _read(fd)
    finally:
        os.close(fd)


def _read(fd: int) -> dict[str, Any] | None:
    raw = os.pread(fd, 4096, 0)
    if not raw.strip():
        return None
    try:
        record = json.loads(raw)
    except ValueError:  # caught mid-write, or not ours
        return {"raw": raw[:200].decode("utf-8", "replace")}
    return record if isinstance(record, dict) else None


def _describe(record: dict[str, Any] | None) -> str:
    if not record:
        return "a process that has not recorded itself yet"
    if "pid" not in record:
        return f"an unreadable record {record.get('raw', '')!r}"
    return (f"pid {record['pid']} on {record.get('host', '?')} ({record.get('purpose', '?')}, "
            f"started {record.get('started_at', '?')})")
