"""The store: migrations, per-source transactional upserts, window queries (the tables: schema.py).

SQLAlchemy Core only, over two databases: SQLite, the default, in WAL mode so a report can read
while a fetch writes; and PostgreSQL (``postgresql+psycopg://…``, the ``pg`` extra), the shared
store when several hosts or Dask workers write at once.  Both run the same statements and the same
migrations; where they differ (the conflict clause of an upsert, how a migration takes the write
lock) the dialect's own form is used.

Timestamps are stored as naive UTC (``UTCDateTime``) and come back timezone-aware.  Identifiers
(``Key``) compare byte-wise on both databases, so ``ORDER BY item_id`` gives one order everywhere.
Items are keyed by their stable ``item_id``; inserting is "insert if absent" (``ON CONFLICT DO
NOTHING``), so re-running a fetch, or a retried worker writing the same source again, adds nothing.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import shlex
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Table,
    bindparam,
    case,
    create_engine,
    event,
    func,
    inspect,
    select,
)
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.sql.dml import Insert, Update

from reportgen.config.core import SourceConfig, redact_url
from reportgen.errors import StoreError
from reportgen.models import CacheValidators, FetchStatus, Item, Mention, SourceHealth

# The schema lives in schema.py; its names are re-exported here, where callers have always found them.
from reportgen.store.schema import (  # noqa: F401
    MIGRATIONS,
    REPORT_INDEXES,
    SCHEMA_VERSION,
    Key,
    UTCDateTime,
    alert_days,
    alerts,
    corrections,
    deliveries,
    event_items,
    events,
    items,
    mentions,
    metadata,
    runs,
    schema_migrations,
    scores,
    source_health,
    sources,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class BatchResult:
    new_count: int
    matched_count: int


class Store:
    """A database behind an SQLAlchemy URL.  Open with :meth:`open`, which migrates."""

    def __init__(self, url: str, engine: Engine) -> None:
        self.url = url
        self.engine = engine

    @classmethod
    def open(cls, url: str, *, migrate: bool = True) -> Store:
        try:
            backend = make_url(url).get_backend_name()
            if backend not in DIALECTS:
                raise StoreError(f"cannot open database {_redact(url)}: {backend} is not supported",
                                 hint="use sqlite:///path.db or postgresql+psycopg://user:password@host/db")
            # pre-ping: a pooled PostgreSQL connection may have been closed by the server or a
            # firewall between two stages of a long run; SQLite files never go away like that
            engine = create_engine(url, future=True, pool_pre_ping=backend == "postgresql")
        except ImportError as exc:
            raise StoreError(f"cannot open database {_redact(url)}: {exc}",
                             hint="PostgreSQL needs the pg extra: pip install 'reportgen[pg]'") from None
        except (SQLAlchemyError, ValueError) as exc:
            raise StoreError(f"cannot open database {_redact(url)}: {exc}") from None
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _sqlite_pragmas)
        store = cls(url, engine)
        if migrate:
            store.migrate()
        return store

    def close(self) -> None:
        self.engine.dispose()

    def begin(self) -> AbstractContextManager[Connection]:
        """A transaction whose database errors become :class:`StoreError` (for stage modules)."""
        return self._begin()

    @contextmanager
    def _begin(self) -> Iterator[Connection]:
        try:
            with self.engine.begin() as conn:
                yield conn
        except SQLAlchemyError as exc:
            detail = str(exc).splitlines()[0]
            if self.dialect == "sqlite" and ("unable to open database file" in detail or "readonly database" in detail):
                unwritable = self._sqlite_unwritable()
                if unwritable:
                    raise unwritable from exc
            hint = self.damage_hint(detail)
            if "database is locked" in detail:
                hint = ("another process held the database's write lock longer than the 10 s busy timeout "
                        "(a long transaction, a backup, an open sqlite3 shell); run again once it has finished")
            elif self.dialect == "postgresql" and "connection" in detail.lower():
                hint = ("check that PostgreSQL is running and reachable, and the user, password and database "
                        "in settings.database")
            raise StoreError(f"database error on {_redact(self.url)}: {exc.__class__.__name__}: {detail}",
                             hint=hint) from exc

    def damage_hint(self, detail: str) -> str | None:
        """What to do when SQLite says its file is damaged (``database disk image is malformed``, ``file
        is not a database``): check it, then salvage, restore or start afresh, and what each loses."""
        if self.dialect != "sqlite" or not any(sign in detail for sign in _DAMAGED):
            return None
        name = shlex.quote(self.engine.url.database or "FILE")
        what = "damaged, or not an SQLite database" if "not a database" in detail else "damaged"
        return (f"the SQLite file is {what}. Stop the cron jobs and check it: sqlite3 {name} \"PRAGMA "
                f"integrity_check\". Then restore it from a backup (what was stored since is lost; the next fetch "
                f"takes again what the feeds still list); or salvage what can be read: sqlite3 {name} \".recover\" "
                f"| sqlite3 recovered.db, and put recovered.db in its place; or move it aside with its -wal and "
                f"-shm files, and the next run starts an empty database: its items, judgements, corrections, "
                f"events, alerts and outbox are lost, and the alert baselines build up again")

    def _sqlite_unwritable(self) -> StoreError | None:
        """Why SQLite cannot open or write its file, when the file system can say (a read-only mount,
        a missing folder, permissions), as one line naming the file."""
        name = self.engine.url.database
        if not name or name == ":memory:" or name.startswith("file:"):
            return None
        path = Path(name)
        reason: str | None = None
        try:
            existing = next((p for p in path.parents if os.path.lexists(p)), None)
            if existing is None or not existing.is_dir():
                reason = "a part of the path is not a folder"
            elif existing != path.parent:
                reason = "no such folder"
            elif os.statvfs(existing).f_flag & os.ST_RDONLY:
                reason = "read-only file system"
            elif not (os.access(existing, os.W_OK) and (not path.exists() or os.access(path, os.W_OK))):
                reason = "permission denied"
        except OSError:  # the file system will not say: SQLite's own message stands
            return None
        if reason is None:
            return None
        return StoreError(f"cannot write the database {path}: {reason}",
                          hint="settings.database must name a file in a folder that the user running reportgen "
                               "can write (SQLite writes its -wal and -shm files beside it)")

    @property
    def dialect(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return str(self.engine.dialect.name)

    @property
    def shared(self) -> bool:
        """Whether processes on other hosts can write here directly (a server database, not a file)."""
        return self.dialect == "postgresql"

    @property
    def in_memory(self) -> bool:
        """An SQLite database in this process's memory: other processes cannot open it."""
        return self.dialect == "sqlite" and self.engine.url.database in (None, "", ":memory:")

    @property
    def one_writer_at_a_time(self) -> bool:
        """SQLite takes one writer at a time; writers in several processes should take turns."""
        return self.dialect == "sqlite"

    # --- schema ---

    def schema_version(self) -> int:
        """The applied schema version; 0 for an empty database.  Raises :class:`StoreError` for a
        database that has tables but not reportgen's marker, ``schema_migrations`` as reportgen
        makes it: another application's, which reportgen must not add its tables to."""
        with self._begin() as conn:
            inspector = inspect(conn)
            tables = inspector.get_table_names()
            if "schema_migrations" in tables:
                columns = {c["name"] for c in inspector.get_columns("schema_migrations")}
                if _MARKER_COLUMNS <= columns:
                    return conn.execute(select(func.coalesce(func.max(schema_migrations.c.version), 0))).scalar_one()
            if not tables:
                return 0
        where = self.engine.url.database if self.dialect == "sqlite" else f"database {_redact(self.url)}"
        shown = ", ".join(sorted(tables)[:5]) + (", …" if len(tables) > 5 else "")
        raise StoreError(
            f"{where} has tables but none of reportgen's: refusing to add reportgen's tables to another "
            f"application's database (point settings.database at a new file)",
            hint=f"it holds {len(tables)} table{'s' if len(tables) != 1 else ''} ({shown}); reportgen needs a "
                 "database of its own, new or made by reportgen")

    def migrate(self) -> int:
        """Apply every pending migration, each in its own transaction; return the version.

        Several processes may open a new (or older) database at the same moment, a cron ``fetch``
        and ``run`` after an upgrade say.  Each step therefore takes the write lock first and checks
        the version again under it: one process applies the step, the others wait and find it done.
        """
        current = self.schema_version()
        if current > SCHEMA_VERSION:
            raise StoreError(
                f"database {_redact(self.url)} has schema version {current}, newer than this "
                f"reportgen ({SCHEMA_VERSION})", hint="upgrade reportgen")
        if current == SCHEMA_VERSION:
            return SCHEMA_VERSION
        with self._begin() as conn:
            self._lock_for_writing(conn)
            schema_migrations.create(conn, checkfirst=True)
        for version, description, step in MIGRATIONS:
            if version <= current:
                continue
            with self._begin() as conn:
                self._lock_for_writing(conn)
                if conn.execute(select(func.coalesce(func.max(schema_migrations.c.version), 0))).scalar_one() \
                        >= version:
                    continue  # another process applied it while this one waited
                step(conn)
                conn.execute(schema_migrations.insert().values(
                    version=version, description=description, applied_at=datetime.now(UTC)))
            log.info("migrated %s to schema version %d (%s)", _redact(self.url), version, description)
        return SCHEMA_VERSION

    def _lock_for_writing(self, conn: Connection) -> None:
        """Start the transaction holding SQLite's write lock (waiting up to busy_timeout for it), so
        what it reads cannot change before it writes.  PostgreSQL locks rows as it goes, but DDL of
        two hosts migrating at once would collide, so there a transaction-level advisory lock (freed
        at commit) makes them take turns."""
        if self.dialect == "sqlite":
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        elif self.dialect == "postgresql":
            conn.execute(select(func.pg_advisory_xact_lock(_MIGRATION_LOCK_KEY)))

    # --- sources and runs ---

    def sync_sources(self, configured: Sequence[SourceConfig], display_url: Callable[[SourceConfig], str]) -> None:
        """Insert or update the configured sources (name, channel, URL, weight).

        One upsert, so two hosts starting a fetch at once cannot both insert a new source; the
        cached ETag and Last-Modified are left as they are.
        """
        rows = [{"source_id": s.id, "name": s.name, "channel": s.channel, "url": display_url(s), "weight": s.weight}
                for s in configured]
        if not rows:
            return
        stmt = upsert(self.dialect, sources, ("source_id",), ("name", "channel", "url", "weight"))
        with self._begin() as conn:
            conn.execute(stmt, rows)

    def validators(self) -> dict[str, CacheValidators]:
        with self._begin() as conn:
            rows = conn.execute(select(sources.c.source_id, sources.c.etag, sources.c.last_modified))
            return {r.source_id: CacheValidators(r.etag, r.last_modified) for r in rows}

    def start_run(self, kind: str, started_at: datetime) -> int:
        with self._begin() as conn:
            result = conn.execute(runs.insert().values(kind=kind, started_at=started_at))
            return int(result.inserted_primary_key[0])  # type: ignore[index]

    def finish_run(self, run_id: int, finished_at: datetime, *, status: str = "done", **counts: int) -> None:
        """Close a run's row: its counts and how it ended ("done", or "interrupted" when it was stopped)."""
        with self._begin() as conn:
            conn.execute(runs.update().where(runs.c.run_id == run_id)
                         .values(finished_at=finished_at, status=status, **counts))

    # --- the per-source batch ---

    def save_source_batch(
        self,
        run_id: int,
        health: SourceHealth,
        validators: CacheValidators | None,
        batch: Sequence[Item],
        match: Callable[[Item], list[Mention]],
    ) -> BatchResult:
        """Store one source's outcome in one transaction: new items, their mentions, its health.

        ``match`` runs only on items not stored before, so a re-fetch costs no matching.
        ``validators`` replace the stored ETag/Last-Modified when given (a 200 response).

        Items and mentions are inserted "if absent": when another writer (a second host, or a Dask
        partition retried after its worker died) stored some of them first, they are skipped here,
        neither matched nor counted as new, so every item is stored, matched and counted once.
        """
        with self._begin() as conn:
            fresh = _unseen(conn, batch)
            matched = 0
            if fresh:
                if self.dialect == "postgresql":  # one lock order for every writer: no deadlock
                    fresh.sort(key=lambda item: item.item_id)
                stmt = insert_absent(self.dialect, items, ("item_id",)).returning(items.c.item_id)
                stored = set(conn.execute(stmt, [_item_row(item, run_id) for item in fresh]).scalars())
                fresh = [item for item in fresh if item.item_id in stored]
                mention_rows: list[dict[str, Any]] = []
                for item in fresh:
                    found = match(item)
                    matched += bool(found)
                    mention_rows.extend(_mention_row(m) for m in found)
                if mention_rows:
                    conn.execute(insert_absent(self.dialect, mentions, ("item_id", "bank_id")), mention_rows)
            health_row = {
                "run_id": run_id, "source_id": health.source_id, "status": str(health.status),
                "checked_at": health.checked_at, "duration_s": health.duration_s,
                "http_status": health.http_status, "item_count": health.item_count,
                "new_count": len(fresh), "matched_count": matched,
                "bytes_received": health.bytes_received, "error": health.error, "warning": health.warning,
            }
            conn.execute(source_health.insert(), [health_row])
            update: dict[str, Any] = {"last_status": str(health.status), "last_checked_at": health.checked_at}
            if health.status is not FetchStatus.FAILED:
                update["last_ok_at"] = health.checked_at
            if validators is not None:
                update["etag"] = validators.etag
                update["last_modified"] = validators.last_modified
            # a statement per distinct set of columns, built once: compiled-statement caching
            conn.execute(_source_update(tuple(sorted(update))), {"sid": health.source_id, **update})
        return BatchResult(len(fresh), matched)

    # --- reads ---

    def mention_rows(self, start: datetime, end: datetime) -> list[dict[str, Any]]:
        """Item × bank rows published in ``[start, end)``, with their source, newest first."""
        query = (
            select(
                items.c.item_id, mentions.c.bank_id, items.c.source_id, sources.c.name.label("source_name"),
                sources.c.channel, sources.c.weight, items.c.title, items.c.summary, items.c.url, items.c.published_at,
                items.c.date_missing, mentions.c.in_title, mentions.c.evidence,
                scores.c.label, scores.c.score, scores.c.categories, scores.c.reasons,
            )
            .select_from(items.join(mentions, mentions.c.item_id == items.c.item_id)
                         .join(sources, sources.c.source_id == items.c.source_id)
                         .outerjoin(scores, (scores.c.item_id == mentions.c.item_id)
                                    & (scores.c.bank_id == mentions.c.bank_id)))
            .where(items.c.published_at >= start, items.c.published_at < end)
            .order_by(items.c.published_at.desc(), items.c.item_id, mentions.c.bank_id)
        )
        with self._begin() as conn:
            return [dict(r._mapping) for r in conn.execute(query)]

    def mentions_to_score(self, version: str, *, limit: int = 5000) -> list[dict[str, Any]]:
        """Up to ``limit`` mentions with no score from scorer ``version``, with the item's text and
        every bank the item mentions (the co-mentions a scorer weighs against the target).

        A mention an analyst corrected (``corrections``, ``reportgen label``) is never returned: its
        judgement is the correction's, which is put back first wherever ``score --all`` cleared it
        or a scorer wrote over it, so no rescoring can undo a correction."""
        corrected = (select(corrections.c.item_id).where((corrections.c.item_id == mentions.c.item_id)
                                                         & (corrections.c.bank_id == mentions.c.bank_id))
                     .exists())
        stale = (select(mentions.c.item_id, mentions.c.bank_id, items.c.title, items.c.summary)
                 .select_from(mentions.join(items, items.c.item_id == mentions.c.item_id)
                              .outerjoin(scores, (scores.c.item_id == mentions.c.item_id)
                                         & (scores.c.bank_id == mentions.c.bank_id)))
                 .where(((scores.c.version.is_(None)) | (scores.c.version != version)) & ~corrected)
                 .order_by(mentions.c.item_id, mentions.c.bank_id)
                 .limit(limit))
        judgement = [corrections.c[n] for n in ("item_id", "bank_id", "scorer", "version", "label", "score",
                                                  "categories", "reasons")]
        lost = (select(*judgement, corrections.c.corrected_at.label("scored_at"))
                .select_from(corrections.outerjoin(scores, (scores.c.item_id == corrections.c.item_id)
                                                   & (scores.c.bank_id == corrections.c.bank_id)))
                .where(scores.c.version.is_(None) | (scores.c.version != corrections.c.version)
                       | (scores.c.label != corrections.c.label)))
        with self._begin() as conn:
            restore = [dict(r._mapping) for r in conn.execute(lost)]
            if restore:
                conn.execute(upsert(self.dialect, scores, ("item_id", "bank_id")), restore)
            rows = [dict(r._mapping) for r in conn.execute(stale)]
            banks: dict[str, list[str]] = {}
            for chunk in _chunks(sorted({r["item_id"] for r in rows}), 500):
                query = select(mentions.c.item_id, mentions.c.bank_id).where(mentions.c.item_id.in_(chunk))
                for item_id, bank_id in conn.execute(query):
                    banks.setdefault(item_id, []).append(bank_id)
        for r in rows:
            r["banks"] = sorted(banks.get(r["item_id"], ()))
        return rows

    def save_scores(self, rows: Sequence[dict[str, Any]]) -> None:
        """Insert or replace the given judgements (one row per mention), in one transaction."""
        if not rows:
            return
        with self._begin() as conn:
            conn.execute(upsert(self.dialect, scores, ("item_id", "bank_id")), list(rows))

    def clear_scores(self) -> int:
        """Forget every stored judgement (``reportgen score --all``); return how many."""
        with self._begin() as conn:
            return int(conn.execute(scores.delete()).rowcount or 0)

    def score_counts(self) -> dict[str, int]:
        """Stored judgements per scorer version (for `reportgen score` and tests)."""
        with self._begin() as conn:
            query = select(scores.c.version, func.count()).group_by(scores.c.version)
            return {version: int(n) for version, n in conn.execute(query)}

    def latest_health(self, as_of: datetime) -> dict[str, dict[str, Any]]:
        """Each source's most recent health record checked at or before ``as_of``."""
        latest = (
            select(source_health.c.source_id, func.max(source_health.c.id).label("id"))
            .where(source_health.c.checked_at <= as_of)
            .group_by(source_health.c.source_id)
            .subquery()
        )
        query = select(source_health).join(latest, latest.c.id == source_health.c.id)
        with self._begin() as conn:
            return {r.source_id: dict(r._mapping) for r in conn.execute(query)}

    def run_counts(self, run_id: int) -> dict[str, tuple[int, int, int]]:
        """source id → (items first stored by run ``run_id``, those that mention a bank, their judgements).

        The exact counts when several writers stored the run (Dask workers, one of them perhaps a
        retry that found its items already there)."""
        matched = select(mentions.c.item_id).where(mentions.c.item_id == items.c.item_id).exists()
        judged = (select(func.count()).select_from(scores).where(scores.c.item_id == items.c.item_id)
                  .scalar_subquery())
        query = (select(items.c.source_id, func.count(), func.coalesce(func.sum(case((matched, 1), else_=0)), 0),
                        func.coalesce(func.sum(judged), 0))
                 .where(items.c.run_id == run_id).group_by(items.c.source_id))
        with self._begin() as conn:
            return {source_id: (int(n), int(m), int(j)) for source_id, n, m, j in conn.execute(query)}

    def table_counts(self) -> dict[str, int]:
        with self._begin() as conn:
            return {t.name: int(conn.execute(select(func.count()).select_from(t)).scalar_one())
                    for t in (sources, runs, source_health, items, mentions, scores)}


def _dialect_insert(dialect: str, table: Table) -> Any:
    if dialect == "postgresql":
        # optional: PostgreSQL's dialect, only with a PostgreSQL store
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(table)
    return sqlite_insert(table)


def upsert(dialect: str, table: Table, keys: tuple[str, ...], columns: Sequence[str] | None = None) -> Any:
    """INSERT … ON CONFLICT (keys) DO UPDATE, in the dialect's own words.

    ``columns`` are the ones a conflict updates (default: every non-key column)."""
    stmt = _dialect_insert(dialect, table)
    names = columns if columns is not None else [c.name for c in table.columns if c.name not in keys]
    return stmt.on_conflict_do_update(index_elements=list(keys), set_={n: stmt.excluded[n] for n in names})


def insert_absent(dialect: str, table: Table, keys: tuple[str, ...]) -> Insert:
    """INSERT … ON CONFLICT (keys) DO NOTHING: "insert if absent", safe against a concurrent writer."""
    stmt: Insert = _dialect_insert(dialect, table).on_conflict_do_nothing(index_elements=list(keys))
    return stmt


_upsert = upsert  # the name it had before PostgreSQL support

DIALECTS = ("sqlite", "postgresql")
# reportgen's schema_migrations has these columns (another tool's table of that name, Rails' say, does not)
_MARKER_COLUMNS = frozenset({"version", "description", "applied_at"})
# pg_advisory_xact_lock key for migrations: any fixed 64-bit number that no other lock uses.
_MIGRATION_LOCK_KEY = int.from_bytes(hashlib.blake2b(b"reportgen:migrate", digest_size=8).digest(), "big", signed=True)


@functools.cache
def _source_update(columns: tuple[str, ...]) -> Update:
    return (sources.update().where(sources.c.source_id == bindparam("sid"))
            .values({c: bindparam(c) for c in columns}))


def _unseen(conn: Connection, batch: Sequence[Item]) -> list[Item]:
    """The items of ``batch`` whose ids are not stored yet, first occurrence only."""
    unique: dict[str, Item] = {}
    for item in batch:
        unique.setdefault(item.item_id, item)
    seen: set[str] = set()
    ids = list(unique)
    for chunk in _chunks(ids, 500):
        seen.update(conn.execute(select(items.c.item_id).where(items.c.item_id.in_(chunk))).scalars())
    return [item for item_id, item in unique.items() if item_id not in seen]


def _chunks(seq: Sequence[str], size: int) -> Iterable[Sequence[str]]:
    for i in range(0, len(seq), size):
        yield seq[i:i + size]


def _item_row(item: Item, run_id: int) -> dict[str, Any]:
    return {
        "item_id": item.item_id, "source_id": item.source_id, "title": item.title, "summary": item.summary,
        "url": item.url, "guid": item.guid, "author": item.author, "published_at": item.published_at,
        "fetched_at": item.fetched_at, "date_missing": item.date_missing, "date_capped": item.date_capped,
        "content_hash": item.content_hash, "run_id": run_id,
    }


def _mention_row(m: Mention) -> dict[str, Any]:
    return {"item_id": m.item_id, "bank_id": m.bank_id, "in_title": m.in_title,
            "evidence": json.dumps([list(e) for e in m.matches], ensure_ascii=False)}


SQLITE_BUSY_TIMEOUT_MS = 10_000


def _switch_to_wal(cursor: Any) -> None:
    """``PRAGMA journal_mode=WAL``, waiting out other connections as the busy timeout would.

    Turning a new file to WAL needs it to itself for a moment, and SQLite answers "database is
    locked" at once, without its busy handler, when another process is opening or converting the
    same file (several commands starting on a new database together): retry until the timeout.
    """
    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_MS / 1000
    pause = 0.005
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc) or time.monotonic() >= deadline:
                raise
        time.sleep(pause)
        pause = min(pause * 2, 0.1)


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cursor = dbapi_conn.cursor()
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    _switch_to_wal(cursor)
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


# What SQLite says of a damaged file: SQLITE_CORRUPT and SQLITE_NOTADB
_DAMAGED = ("database disk image is malformed", "file is not a database")


def _redact(url: str) -> str:
    """A database URL as errors and logs show it: the password hidden, and every secret-looking query
    parameter (``password=``, ``sslpassword=``, ``token=`` …) too, as ``config check`` shows it."""
    return redact_url(url)
