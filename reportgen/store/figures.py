"""Store → the briefing's figures, counted by the database.

A weekly report over a store of a million items must not pull the period's rows into Python:
every count here (per bank, per day, per channel) is one ``GROUP BY`` in SQL, and only the rows
the report actually lists come back as rows: the negative items it shows, and the judgements that
carry a risk category (a short JSON list, tallied here so the SQL stays portable to PostgreSQL).

Day buckets are computed from the report zone's day boundaries (given as aware datetimes), not
with a SQL date function, so a zone with daylight saving time, or a day that starts at 08:00, is
bucketed exactly.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Integer, and_, case, distinct, false, func, select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.sql.elements import ColumnElement

from reportgen.errors import StoreError
from reportgen.models import CategoryCount, ChannelCount, PeriodTotals
from reportgen.store.db import Store, items, mentions, scores, sources

log = logging.getLogger(__name__)

_JOINED = (items.join(mentions, mentions.c.item_id == items.c.item_id)
           .outerjoin(scores, (scores.c.item_id == mentions.c.item_id) & (scores.c.bank_id == mentions.c.bank_id)))
_NEGATIVE = scores.c.label == "negative"


@contextmanager
def reading(store: Store) -> Iterator[Connection]:
    """One read transaction, so every figure of a report sees the same snapshot of the store."""
    try:
        with store.engine.begin() as conn:
            yield conn
    except SQLAlchemyError as exc:
        raise StoreError(f"database error while reading the report figures: {exc.__class__.__name__}: "
                         f"{str(exc).splitlines()[0]}") from exc


def _in_window(start: datetime, end: datetime) -> ColumnElement[bool]:
    return and_(items.c.published_at >= start, items.c.published_at < end)


def _is_self(self_ids: Collection[str]) -> ColumnElement[bool]:
    return mentions.c.bank_id.in_(sorted(self_ids)) if self_ids else false()


def _measures(self_ids: Collection[str]) -> list[Any]:
    """total items, negative items, mentions, self mentions, self negative: one PeriodTotals."""
    own = _is_self(self_ids)
    return [
        func.count(distinct(items.c.item_id)),
        func.count(distinct(case((_NEGATIVE, items.c.item_id)))),
        func.count(),
        func.coalesce(func.sum(case((own, 1), else_=0)), 0),
        func.coalesce(func.sum(case((and_(own, _NEGATIVE), 1), else_=0)), 0),
    ]


def _totals(row: Sequence[Any]) -> PeriodTotals:
    return PeriodTotals(*(int(v or 0) for v in row))


def _bucket(conn: Connection, bounds: Sequence[datetime]) -> ColumnElement[int]:
    """The index ``i`` of the bucket ``[bounds[i], bounds[i+1])`` an item falls in, as SQL.

    Where every bucket is exactly one day of elapsed time (a zone without a clock change in the
    range) SQLite computes it with integer arithmetic on the stored UTC seconds; otherwise a
    ``CASE`` over the boundaries, which is exact in any zone and any dialect, and slower.
    """
    # in UTC: Python subtracts two datetimes of the same zone as wall-clock times, hiding the 25-hour day
    utc = [b.astimezone(UTC) for b in bounds]
    uniform = all((b - a).total_seconds() == 86400 for a, b in zip(utc, utc[1:], strict=False))
    if uniform and conn.dialect.name == "sqlite":
        seconds = func.cast(func.strftime("%s", items.c.published_at), Integer)
        return (seconds - int(bounds[0].timestamp())) // 86400
    return case(*[(items.c.published_at < b, i) for i, b in enumerate(bounds[1:])], else_=len(bounds) - 1)


def bucket_totals(conn: Connection, bounds: Sequence[datetime], self_ids: Collection[str]) -> list[PeriodTotals]:
    """One PeriodTotals per ``[bounds[i], bounds[i+1])``: the trend chart in one query."""
    if len(bounds) < 2:
        return []
    bucket = _bucket(conn, bounds)
    query = (select(bucket.label("bucket"), *_measures(self_ids)).select_from(_JOINED)
             .where(_in_window(bounds[0], bounds[-1])).group_by(bucket))
    found = {int(row[0]): _totals(row[1:]) for row in conn.execute(query)}
    return [found.get(i, PeriodTotals()) for i in range(len(bounds) - 1)]


def bank_counts(conn: Connection, bounds: Sequence[datetime]) -> list[dict[str, tuple[int, int, int]]]:
    """Per ``[bounds[i], bounds[i+1])``: bank id → (mentions, title mentions, negative), in one pass."""
    period = case(*[(items.c.published_at < b, i) for i, b in enumerate(bounds[1:])], else_=len(bounds) - 1)
    query = (select(period, mentions.c.bank_id, func.count(),
                    func.coalesce(func.sum(case((mentions.c.in_title, 1), else_=0)), 0),
                    func.coalesce(func.sum(case((_NEGATIVE, 1), else_=0)), 0))
             .select_from(_JOINED).where(_in_window(bounds[0], bounds[-1])).group_by(period, mentions.c.bank_id))
    out: list[dict[str, tuple[int, int, int]]] = [{} for _ in bounds[1:]]
    for i, bank_id, n, title, neg in conn.execute(query):
        out[int(i)][bank_id] = (int(n), int(title), int(neg))
    return out


def channel_counts(conn: Connection, start: datetime, end: datetime,
                   self_ids: Collection[str]) -> tuple[ChannelCount, ...]:
    """Per channel: distinct items, negative items, and the bank's own mentions; most items first."""
    query = (select(sources.c.channel, *_measures(self_ids))
             .select_from(_JOINED.join(sources, sources.c.source_id == items.c.source_id))
             .where(_in_window(start, end)).group_by(sources.c.channel))
    out = []
    for channel, *measures in conn.execute(query):
        t = _totals(measures)
        out.append(ChannelCount(channel, t.total_items, t.negative_items, t.self_mentions, t.self_negative))
    out.sort(key=lambda c: (-c.items, c.channel))
    return tuple(out)


def category_counts(conn: Connection, start: datetime, end: datetime,
                    self_ids: Collection[str]) -> tuple[CategoryCount, ...]:
    """Per risk category: tagged judgements, negative ones, and the bank's own; most negative first.

    Only judgements that carry a category come back (``categories != '[]'``), a small share of the
    period's mentions.
    """
    query = (select(mentions.c.bank_id, scores.c.label, scores.c.categories).select_from(_JOINED)
             .where(_in_window(start, end), scores.c.categories != "[]"))
    tally: dict[str, Counter[str]] = {}
    for bank_id, label, raw in conn.execute(query):
        try:
            codes = {c["code"] for c in json.loads(raw or "[]")}
        except (ValueError, TypeError, KeyError):
            log.warning("unreadable categories on a judgement of %s: %.80r", bank_id, raw)
            continue
        own, negative = bank_id in self_ids, label == "negative"
        for code in codes:
            counts = tally.setdefault(code, Counter())
            counts["mentions"] += 1
            counts["negative"] += negative
            counts["self_mentions"] += own
            counts["self_negative"] += own and negative
    out = [CategoryCount(code, c["mentions"], c["negative"], c["self_mentions"], c["self_negative"])
           for code, c in tally.items()]
    out.sort(key=lambda c: (-c.self_negative, -c.negative, -c.mentions, c.code))
    return tuple(out)


def negative_item_ids(conn: Connection, start: datetime, end: datetime, self_ids: Collection[str],
                      limit: int) -> list[str]:
    """The negative items to list: about the bank itself first, then the newest, at most ``limit``."""
    own_negative = func.max(case((and_(_is_self(self_ids), _NEGATIVE), 1), else_=0))
    query = (select(items.c.item_id).select_from(_JOINED).where(_in_window(start, end), _NEGATIVE)
             .group_by(items.c.item_id, items.c.published_at)
             .order_by(own_negative.desc(), items.c.published_at.desc(), items.c.item_id).limit(limit))
    return list(conn.execute(query).scalars())


def mention_rows_for(conn: Connection, item_ids: Sequence[str]) -> list[dict[str, Any]]:
    """Item × bank rows (the columns of :meth:`Store.mention_rows`) for the given items."""
    if not item_ids:
        return []
    query = (
        select(
            items.c.item_id, mentions.c.bank_id, items.c.source_id, sources.c.name.label("source_name"),
            sources.c.channel, items.c.title, items.c.summary, items.c.url, items.c.published_at,
            items.c.date_missing, mentions.c.in_title, mentions.c.evidence,
            scores.c.label, scores.c.score, scores.c.categories, scores.c.reasons,
        )
        .select_from(_JOINED.join(sources, sources.c.source_id == items.c.source_id))
        .where(items.c.item_id.in_(list(item_ids)))
        .order_by(items.c.item_id, mentions.c.bank_id)
    )
    return [dict(r._mapping) for r in conn.execute(query)]


def newest_published(conn: Connection, as_of: datetime) -> datetime | None:
    """When the newest stored item up to ``as_of`` was published: how fresh the report's data is."""
    found: datetime | None = conn.execute(
        select(func.max(items.c.published_at)).where(items.c.published_at <= as_of)).scalar_one_or_none()
    return found
