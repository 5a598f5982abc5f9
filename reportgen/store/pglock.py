"""The run lock on PostgreSQL: an advisory lock, so cron jobs on several hosts never interleave.

A file lock only works for processes that share the file system; two hosts writing into one
PostgreSQL database would each hold their own ``.lock`` file and both make (and mail) the same
report.  Here the lock lives in the database server: ``pg_try_advisory_lock`` on a connection
opened only for it and held for the whole run.  The server frees a session-level lock when that
connection ends, however it ends (the holder exits, is killed, or its host vanishes: TCP
keepalives, set on the session, let the server notice a dead peer within about a minute).

The interface, messages and exit code (9, :class:`LockBusy`) are those of
:func:`reportgen.lock.run_lock`.  The holder is described from ``pg_stat_activity``: the lock
connection's ``application_name`` carries its pid, host and purpose.  Nothing stale is left behind
to report: a dead holder's lock is simply free.

The key is derived from the database and schema names, so two reportgen installations sharing a
server (or tests in separate schemas) have separate locks.  Connection poolers in transaction mode
(PgBouncer's default) do not keep session state: connect the lock to PostgreSQL directly.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import NullPool

from reportgen.errors import LockBusy, StoreError

log = logging.getLogger(__name__)

_POLL_S = 0.2
_NAME_RE = re.compile(r"^reportgen (\d+)@(\S+) (.*)$")
# Server-side TCP keepalives for the lock session: a holder whose host vanished without closing
# the connection loses the lock after idle + interval × count seconds instead of the OS's 2 hours.
_KEEPALIVE = {"tcp_keepalives_idle": 30, "tcp_keepalives_interval": 10, "tcp_keepalives_count": 3}


@contextmanager
def advisory_lock(url: str, timeout_s: float, *, purpose: str) -> Iterator[None]:
    """Hold reportgen's advisory lock in the database at ``url`` for the block; wait up to
    ``timeout_s``, then raise :class:`LockBusy` naming the holder."""
    name = f"reportgen {os.getpid()}@{socket.gethostname()} {purpose}"[:63]  # NAMEDATALEN - 1
    try:
        engine = create_engine(url, poolclass=NullPool, connect_args={"application_name": name})
    except ImportError as exc:
        raise StoreError(f"cannot take the run lock: {exc}",
                         hint="PostgreSQL needs the pg extra: pip install 'reportgen[pg]'") from None
    try:
        conn = engine.connect().execution_options(isolation_level="AUTOCOMMIT")
    except SQLAlchemyError as exc:
        engine.dispose()
        raise StoreError(f"cannot connect to take the run lock: {exc.__class__.__name__}: "
                         f"{str(exc).splitlines()[0]}",
                         hint="check that PostgreSQL is running and reachable, and the user, password and "
                              "database in settings.database") from None
    try:
        for setting, value in _KEEPALIVE.items():
            conn.execute(text(f"SET {setting} = {int(value)}"))
        key, where = _key(conn)
        _acquire(conn, key, where, timeout_s)
        log.debug("advisory lock %s taken for %s", where, purpose)
        try:
            yield
        finally:
            try:
                conn.execute(select(func.pg_advisory_unlock(key)))
            except SQLAlchemyError:  # the connection is gone: so is the lock
                log.warning("could not release the advisory lock %s cleanly; the server frees it with the session",
                            where)
    finally:
        conn.close()
        engine.dispose()


def _key(conn: Connection) -> tuple[int, str]:
    """The lock's 64-bit key (per database and schema) and a readable name for messages."""
    database, schema = conn.execute(text("SELECT current_database(), current_schema()")).one()
    digest = hashlib.blake2b(f"reportgen:run-lock:{database}:{schema}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True), f"pg_advisory_lock in {database} (schema {schema})"


def _acquire(conn: Connection, key: int, where: str, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    announced = False
    while True:
        if conn.execute(select(func.pg_try_advisory_lock(key))).scalar_one():
            return
        holder = describe_holder(conn, key)
        if time.monotonic() >= deadline:
            raise LockBusy(
                f"another reportgen run holds the lock {where}: {holder}; gave up after waiting {timeout_s:g} s",
                hint="let it finish and run again, or raise run.lock_timeout_s; the lock is released as soon "
                     "as that process's database session ends, even when it is killed")
        if not announced:
            log.warning("waiting up to %g s for the lock %s, held by %s", timeout_s, where, holder)
            announced = True
        time.sleep(min(_POLL_S, max(deadline - time.monotonic(), 0.0)))


def describe_holder(conn: Connection, key: int) -> str:
    """Who holds advisory lock ``key``, in the words of :func:`reportgen.lock.run_lock`'s messages."""
    unsigned = key & 0xFFFF_FFFF_FFFF_FFFF
    row = conn.execute(text(
        "SELECT a.application_name, a.client_addr::text AS addr, a.backend_start FROM pg_locks l "
        "JOIN pg_stat_activity a ON a.pid = l.pid "
        "WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 "
        "AND l.classid::bigint = :hi AND l.objid::bigint = :lo "
        "AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())"),
        {"hi": unsigned >> 32, "lo": unsigned & 0xFFFF_FFFF}).first()
    return _describe(row._mapping if row is not None else None)


def _describe(row: Any) -> str:
    if row is None:
        return "a session that has just released it"
    started = row["backend_start"]
    when = started.isoformat(timespec="seconds") if isinstance(started, datetime) else "?"
    m = _NAME_RE.match(row["application_name"] or "")
    if m is None:
        return f"a session from {row['addr'] or 'a local socket'} ({row['application_name'] or 'no name'}, " \
               f"started {when})"
    return f"pid {m[1]} on {m[2]} ({m[3]}, started {when})"
