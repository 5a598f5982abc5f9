"""The database schema: tables, column types and the numbered migrations.

Kept apart from :mod:`reportgen.store`, which reads and writes through it; both SQLite and
PostgreSQL are built from these definitions by the same migrations.  A change to a table is a new
numbered step; a step must create the shape of its version, not the current one.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    case,
    func,
    inspect,
)
from sqlalchemy.engine import Connection
from sqlalchemy.types import TypeDecorator, TypeEngine


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out; naive UTC in the column."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r} given to the store; attach a zone first")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


class Key(TypeDecorator[str]):
    """An identifier column (item, bank, source, event id): VARCHAR with byte-wise ordering.

    SQLite compares text byte-wise; PostgreSQL uses the database's locale, and en_US ignores ``-``
    and ``_`` at the first level, so ``ORDER BY item_id`` (which items a report lists, and in what
    order) would differ between the two.  ``COLLATE "C"`` makes PostgreSQL agree with SQLite; the
    SQLite DDL is unchanged.
    """

    impl = String
    cache_ok = True

    def load_dialect_impl(self, dialect: Any) -> TypeEngine[Any]:
        length = getattr(self.impl, "length", None)
        if dialect.name == "postgresql":
            return dialect.type_descriptor(String(length, collation="C"))
        return dialect.type_descriptor(String(length))


metadata = MetaData()

sources = Table(
    "sources", metadata,
    Column("source_id", Key(64), primary_key=True),
    Column("name", Text, nullable=False),
    Column("channel", String(16), nullable=False),
    Column("url", Text),  # display URL: never carries an access key
    Column("weight", Float, nullable=False, default=1.0),
    Column("etag", Text),
    Column("last_modified", Text),
    Column("last_status", String(16)),
    Column("last_checked_at", UTCDateTime),
    Column("last_ok_at", UTCDateTime),
)

runs = Table(
    "runs", metadata,
    Column("run_id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(16), nullable=False),
    Column("started_at", UTCDateTime, nullable=False),
    Column("finished_at", UTCDateTime),
    Column("sources_ok", Integer, nullable=False, default=0),
    Column("sources_not_modified", Integer, nullable=False, default=0),
    Column("sources_failed", Integer, nullable=False, default=0),
    Column("items_fetched", Integer, nullable=False, default=0),
    Column("items_new", Integer, nullable=False, default=0),
    Column("items_matched", Integer, nullable=False, default=0),
    # NULL while running (or finished before migration 6); "done" or "interrupted" (SIGTERM) after
    Column("status", String(16)),
)

source_health = Table(
    "source_health", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("run_id", Integer, ForeignKey("runs.run_id"), nullable=False),
    Column("source_id", Key(64), ForeignKey("sources.source_id"), nullable=False),
    Column("status", String(16), nullable=False),
    Column("checked_at", UTCDateTime, nullable=False),
    Column("duration_s", Float, nullable=False),
    Column("http_status", Integer),
    Column("item_count", Integer, nullable=False, default=0),
    Column("new_count", Integer, nullable=False, default=0),
    Column("matched_count", Integer, nullable=False, default=0),
    Column("bytes_received", Integer, nullable=False, default=0),
    Column("error", Text),
    Column("warning", Text),
    Index("ix_source_health_source_checked", "source_id", "checked_at"),
)

items = Table(
    "items", metadata,
    Column("item_id", Key(64), primary_key=True),
    Column("source_id", Key(64), ForeignKey("sources.source_id"), nullable=False),
    Column("title", Text, nullable=False),
    Column("summary", Text, nullable=False),
    Column("url", Text),
    Column("guid", Text),
    Column("author", Text),
    Column("published_at", UTCDateTime, nullable=False),
    Column("fetched_at", UTCDateTime, nullable=False),
    Column("date_missing", Boolean, nullable=False, default=False),
    Column("date_capped", Boolean, nullable=False, default=False),
    Column("content_hash", String(64), nullable=False),
    Column("run_id", Integer, ForeignKey("runs.run_id")),
    Index("ix_items_published", "published_at"),
)

mentions = Table(
    "mentions", metadata,
    Column("item_id", Key(64), ForeignKey("items.item_id"), primary_key=True),
    Column("bank_id", Key(64), primary_key=True),
    Column("in_title", Boolean, nullable=False),
    Column("evidence", Text, nullable=False),  # JSON: [[field, term, start, end], ...]
    Index("ix_mentions_bank", "bank_id"),
)

# One judgement per mention.  ``version`` names the scorer, its lexicon or model file and
# its category rules; a mention whose stored version differs from the current scorer's is rescored.
scores = Table(
    "scores", metadata,
    Column("item_id", Key(64), primary_key=True),
    Column("bank_id", Key(64), primary_key=True),
    Column("scorer", String(16), nullable=False),
    Column("version", String(96), nullable=False),
    Column("label", String(8), nullable=False),  # negative | neutral | positive
    Column("score", Float, nullable=False),  # [-1, 1]
    Column("categories", Text, nullable=False),  # JSON: [{"code", "terms", "clause"}, ...]
    Column("reasons", Text, nullable=False),  # JSON: [{"term", "weight", "where", "clause", "note"}, ...]
    Column("scored_at", UTCDateTime, nullable=False),
    ForeignKeyConstraint(["item_id", "bank_id"], ["mentions.item_id", "mentions.bank_id"]),
    Index("ix_scores_version", "version"),
)

schema_migrations = Table(
    "schema_migrations", metadata,
    Column("version", Integer, primary_key=True),
    Column("description", Text, nullable=False),
    Column("applied_at", UTCDateTime, nullable=False),
)


def _migration_1(conn: Connection) -> None:
    # Version 1 is the schema above.  A later change to a table is a new numbered step that
    # ALTERs it; this step must then create the version-1 shape, not the current one.
    metadata.create_all(conn, tables=[sources, runs, source_health, items, mentions])


def _migration_2(conn: Connection) -> None:
    metadata.create_all(conn, tables=[scores])


# The outbox: one row per generated report and its mail (store/outbox_rows.py reads and writes it).
deliveries = Table(
    "deliveries", metadata,
    Column("delivery_id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(16), nullable=False),  # daily | weekly
    Column("period_key", String(16), nullable=False),  # 2026-11-27 | 2026-W47
    Column("language", String(8), nullable=False),
    Column("state", String(16), nullable=False),  # pending | sent | failed | expired | held | superseded
    Column("attempts", Integer, nullable=False, default=0),
    Column("last_error", Text),
    Column("created_at", UTCDateTime, nullable=False),
    Column("last_attempt_at", UTCDateTime),
    Column("sent_at", UTCDateTime),
    Column("message_id", Text),
    Column("subject", Text),
    Column("recipients", Text),  # JSON list of envelope addresses, bcc included
    Column("html_path", Text),
    Column("pdf_path", Text),
    Column("message", LargeBinary),  # the composed mail, kept until it is sent or expires
    Index("ix_deliveries_period", "kind", "period_key", "language"),
    Index("ix_deliveries_state", "state"),
)


def _migration_3(conn: Connection) -> None:
    metadata.create_all(conn, tables=[deliveries])


# Events, their items and the alerts.  An event's aggregates (reprints, sources, banks,
# label, heat) are computed from its items when read, so they can never go stale.
events = Table(
    "events", metadata,
    Column("event_id", Key(32), primary_key=True),
    Column("first_item_id", Key(64), nullable=False),
    Column("first_published_at", UTCDateTime, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Index("ix_events_first", "first_published_at"),
)

event_items = Table(
    "event_items", metadata,
    Column("item_id", Key(64), ForeignKey("items.item_id"), primary_key=True),
    Column("event_id", Key(32), ForeignKey("events.event_id"), nullable=False),
    Column("similarity", Float, nullable=False),  # to the member it joined through
    Index("ix_event_items_event", "event_id"),
)

# Alerts are computed once per day and kept: a report for a past date shows them as they were.
alerts = Table(
    "alerts", metadata,
    Column("alert_id", Integer, primary_key=True, autoincrement=True),
    Column("day", Date, nullable=False),
    Column("bank_id", Key(64), nullable=False),
    Column("kind", String(16), nullable=False),  # volume | heat | category
    Column("category", String(32)),  # the trigger (category alerts) or the day's main category
    Column("level", Integer, nullable=False),
    Column("value", Float, nullable=False),  # negative items or heat that day
    Column("centre", Float, nullable=False),
    Column("spread", Float, nullable=False),
    Column("event_ids", Text, nullable=False),  # JSON list
    Column("reason_zh", Text, nullable=False),
    Column("reason_en", Text, nullable=False),
    Column("computed_at", UTCDateTime, nullable=False),
    Index("ix_alerts_day", "day", "bank_id"),
)

alert_days = Table(
    "alert_days", metadata,
    Column("day", Date, primary_key=True),
    Column("computed_at", UTCDateTime, nullable=False),
)


def _migration_4(conn: Connection) -> None:
    metadata.create_all(conn, tables=[events, event_items, alerts, alert_days])


# Covering indexes for the briefing's counts (store/figures.py): a period's items by time
# with their ids and sources, each mention's in-title flag and each judgement's label, all read
# from the indexes without touching the (wide) rows.  Plain DDL so the tables keep their shape.
REPORT_INDEXES = (
    "CREATE INDEX IF NOT EXISTS ix_items_published_cover ON items (published_at, item_id, source_id)",
    "CREATE INDEX IF NOT EXISTS ix_mentions_cover ON mentions (item_id, bank_id, in_title)",
    "CREATE INDEX IF NOT EXISTS ix_scores_label ON scores (item_id, bank_id, label)",
)


def _migration_5(conn: Connection) -> None:
    for ddl in REPORT_INDEXES:
        conn.exec_driver_sql(ddl)


def _migration_6(conn: Connection) -> None:
    # Migration 1 creates ``runs`` from the table above, which now has ``status``; a database made
    # before this step lacks it.  Add it only where it is missing.
    if "status" not in {c["name"] for c in inspect(conn).get_columns("runs")}:
        conn.exec_driver_sql("ALTER TABLE runs ADD COLUMN status VARCHAR(16)")


# Until this step alert levels counted up (3 was the most severe); from here they count from the
# top as Chinese banks and regulators number them (1 = 一级 = the most severe).  Stored rows keep
# their severity: level n of 3 becomes 4 − n, and the level named in their reasons is swapped to
# match.  Only the level phrases the reasons were written with are touched, not bank names or
# headlines (一级分行 stays).
_LEVEL_PHRASES = (("达到一级预警", "达到三级预警"), ("至少一级预警", "至少三级预警"),
                  (": Level 1.", ": Level 3."), ("least Level 1 by", "least Level 3 by"))


def _migration_7(conn: Connection) -> None:
    def swapped(column: Any) -> Any:
        for first, third in _LEVEL_PHRASES:
            column = func.replace(func.replace(func.replace(column, first, "\ue000"), third, first), "\ue000", third)
        return column

    conn.execute(alerts.update().where(alerts.c.level.between(1, 3)).values(
        level=case((alerts.c.level == 1, 3), (alerts.c.level == 3, 1), else_=alerts.c.level),
        reason_zh=swapped(alerts.c.reason_zh), reason_en=swapped(alerts.c.reason_en)))


# Alerts as incidents to follow up (store/incident_rows.py): one row per incident (a bank and an
# event), with the stable id people acknowledge it by, the most severe level it reached, when it was
# first raised and who took it.  The ``alerts`` rows above are a day's triggers, recomputed at will;
# these rows are never recomputed, only observed again and updated.
alert_incidents = Table(
    "alert_incidents", metadata,
    Column("incident_id", Integer, primary_key=True, autoincrement=True),
    Column("bank_id", Key(64), nullable=False),
    Column("incident_key", Key(64), nullable=False),  # its first event's id, or "day YYYY-MM-DD"
    Column("event_ids", Text, nullable=False),  # JSON: every event seen in it, near-duplicates included
    Column("day", Date, nullable=False),  # local day first raised
    Column("level", Integer, nullable=False),  # the most severe level reached (1 = 一级)
    Column("first_level", Integer, nullable=False),
    Column("current_level", Integer, nullable=False),  # as last observed
    Column("kind", String(16), nullable=False),  # the most severe trigger: volume | heat | category
    Column("kinds", Text, nullable=False),  # JSON list
    Column("category", String(32)),
    Column("title", Text),
    Column("url", Text),
    Column("first_source", Text),
    Column("first_published_at", UTCDateTime),
    Column("heat", Float, nullable=False, default=0.0),
    Column("growth", Float, nullable=False, default=0.0),  # heat added in the last growth_hours
    Column("reprints", Integer, nullable=False, default=0),
    Column("negatives", Float, nullable=False, default=0.0),
    Column("baseline", Float, nullable=False, default=0.0),
    Column("reasons_zh", Text, nullable=False),  # JSON list, most severe trigger first
    Column("reasons_en", Text, nullable=False),
    Column("source", String(16), nullable=False),  # intraday | daily: which evaluation first raised it
    Column("first_raised_at", UTCDateTime, nullable=False),
    Column("last_seen_at", UTCDateTime, nullable=False),
    Column("escalated_at", UTCDateTime),
    Column("state", String(16), nullable=False),  # open | acked | resolved
    Column("acked_by", Text),
    Column("acked_at", UTCDateTime),
    Column("ack_note", Text),
    Column("resolved_by", Text),
    Column("resolved_at", UTCDateTime),
    Column("resolve_note", Text),
    # when an escalation reopened it after it was resolved (who resolved it, and when, are kept)
    Column("reopened_at", UTCDateTime),
    Index("ix_alert_incidents_bank_seen", "bank_id", "last_seen_at"),
    Index("ix_alert_incidents_day", "day"),
)

# The push outbox (store/push_rows.py): one row per message an incident owes a channel.  The unique
# key makes "once per alert per channel" hold against a second writer: a new alert, an escalation
# to a level, and the n-th reminder are each enqueued at most once.
push_outbox = Table(
    "push_outbox", metadata,
    Column("push_id", Integer, primary_key=True, autoincrement=True),
    Column("incident_id", Integer, ForeignKey("alert_incidents.incident_id"), nullable=False),
    Column("channel", String(64), nullable=False),
    Column("level", Integer, nullable=False),
    Column("reason", String(16), nullable=False),  # new | escalation | reminder
    Column("seq", Integer, nullable=False, default=0),  # the reminder's number (0 otherwise)
    Column("state", String(16), nullable=False),  # pending | held | sent | expired | cancelled
    Column("attempts", Integer, nullable=False, default=0),
    Column("created_at", UTCDateTime, nullable=False),
    Column("next_attempt_at", UTCDateTime, nullable=False),
    Column("last_attempt_at", UTCDateTime),
    Column("sent_at", UTCDateTime),
    Column("last_error", Text),  # secrets blotted out
    Index("ux_push_outbox_message", "incident_id", "channel", "level", "reason", "seq", unique=True),
    Index("ix_push_outbox_state", "state"),
)


def _migration_8(conn: Connection) -> None:
    metadata.create_all(conn, tables=[alert_incidents, push_outbox])


# Analyst corrections (``reportgen label``, store/label_rows.py): one per mention, the latest wins.
# The judgement columns are a ``scores`` row's (scorer and version ``manual``), copied into
# ``scores`` when it is made and put back there whenever a rescoring finds it missing or replaced;
# the scorers skip corrected mentions.  ``previous_*`` keep the machine's call it replaced.
corrections = Table(
    "corrections", metadata,
    Column("item_id", Key(64), primary_key=True),
    Column("bank_id", Key(64), primary_key=True),
    Column("negative", Boolean, nullable=False),
    Column("scorer", String(16), nullable=False),
    Column("version", String(96), nullable=False),
    Column("label", String(8), nullable=False),
    Column("score", Float, nullable=False),
    Column("categories", Text, nullable=False),  # JSON, as scores.categories
    Column("reasons", Text, nullable=False),  # JSON, as scores.reasons
    Column("corrected_by", Text),
    Column("note", Text),
    Column("origin", String(16), nullable=False),  # cli | csv
    Column("previous_label", String(8)),
    Column("previous_categories", Text),  # JSON list of codes
    Column("previous_version", String(96)),
    Column("corrected_at", UTCDateTime, nullable=False),
    ForeignKeyConstraint(["item_id", "bank_id"], ["mentions.item_id", "mentions.bank_id"]),
)


def _migration_9(conn: Connection) -> None:
    metadata.create_all(conn, tables=[corrections])


def _migration_10(conn: Connection) -> None:
    # Migration 8 creates ``alert_incidents`` from the table above, which now has ``reopened_at``; a
    # database made before this step lacks it.  Add it only where it is missing.
    if "reopened_at" not in {c["name"] for c in inspect(conn).get_columns("alert_incidents")}:
        kind = alert_incidents.c.reopened_at.type.compile(dialect=conn.dialect)
        conn.exec_driver_sql(f"ALTER TABLE alert_incidents ADD COLUMN reopened_at {kind}")


MIGRATIONS: tuple[tuple[int, str, Callable[[Connection], None]], ...] = (
    (1, "sources, runs, source health, items, mentions", _migration_1),
    (2, "scores: sentiment, risk categories and reasons per mention", _migration_2),
    (3, "outbox: report deliveries", _migration_3),
    (4, "events, event items and alerts", _migration_4),
    (5, "covering indexes for the report's counts", _migration_5),
    (6, "runs: how each run ended (done, interrupted)", _migration_6),
    (7, "alerts: levels numbered from the top (1 = 一级, the most severe)", _migration_7),
    (8, "alert incidents (ids, acknowledgement) and the push outbox", _migration_8),
    (9, "corrections: analysts' judgements of a mention (reportgen label)", _migration_9),
    (10, "alert incidents: when an escalation reopened a resolved one", _migration_10),
)
SCHEMA_VERSION = MIGRATIONS[-1][0]
