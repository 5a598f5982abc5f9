"""The events' and alerts' rows: which items are clustered into which event, and each day's alerts.

Clustering and alert rules live in ``insight/``; these functions only read and write the
``events``, ``event_items``, ``alerts`` and ``alert_days`` tables for them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, delete, func, select

from reportgen.store.db import Store, insert_absent, upsert
from reportgen.store.schema import alert_days, alerts, event_items, events, items, mentions, scores, sources

# One copy of an event as the summaries keep it, so its row is kept as it is read: (published at
# (aware UTC), item id, title, url, source name, channel, source weight, event id (None for an item
# not clustered yet), its judgements packed in one text (see unpack_judgements), source id).  One
# judgement: bank id, label, categories (JSON), the two None while the mention is unscored.
EventCopyRow = tuple[datetime, str, str, str | None, str, str, float, str | None, str | None, str]
JudgementRow = tuple[str, str | None, str | None]
_FIELD, _ROW = "\x1f", "\x1e"  # never in an id, a label or JSON text (which escapes control characters)
CHUNK = 500  # ids per IN (...) list: well below every database's parameter limit


def unclustered_items(store: Store) -> list[Any]:
    """Items without an event, oldest first (item_id, title, summary, published_at)."""
    with store.begin() as conn:
        return list(conn.execute(
            select(items.c.item_id, items.c.title, items.c.summary, items.c.published_at)
            .where(~select(event_items.c.item_id).where(event_items.c.item_id == items.c.item_id).exists())
            .order_by(items.c.published_at, items.c.item_id)  # one order on every database: same events
        ).all())


def clustered_items(store: Store, lo: datetime, hi: datetime) -> list[Any]:
    """Items published in [lo, hi] that already have an event, with its id and its first publication."""
    with store.begin() as conn:
        return list(conn.execute(
            select(items.c.item_id, items.c.title, items.c.summary, items.c.published_at, event_items.c.event_id,
                   events.c.first_published_at.label("event_first_at"))
            .select_from(items.join(event_items, event_items.c.item_id == items.c.item_id)
                         .join(events, events.c.event_id == event_items.c.event_id))
            .where(items.c.published_at >= lo, items.c.published_at <= hi)
            .order_by(items.c.published_at, items.c.item_id)
        ).all())


def banks_of(store: Store, item_ids: Sequence[str]) -> dict[str, frozenset[str]]:
    """The banks each item mentions."""
    found: dict[str, set[str]] = defaultdict(set)
    with store.begin() as conn:
        for chunk in _chunks(sorted(set(item_ids)), CHUNK):
            for item_id, bank_id in conn.execute(select(mentions.c.item_id, mentions.c.bank_id)
                                                 .where(mentions.c.item_id.in_(chunk))):
                found[item_id].add(bank_id)
    return {k: frozenset(v) for k, v in found.items()}


def save_assignments(store: Store, assignments: Sequence[tuple[str, str, float]],
                     published: Mapping[str, datetime], created: datetime) -> int:
    """Store (item_id, event_id, similarity) assignments; return how many events they touch.

    A new event is named after its earliest item; an existing event whose new item was published
    earlier (a late, earlier publication) gets that item as its first.
    """
    firsts: dict[str, tuple[datetime, str]] = {}
    for item_id, event_id, _similarity in assignments:
        candidate = (published[item_id], item_id)
        if event_id not in firsts or candidate < firsts[event_id]:
            firsts[event_id] = candidate
    with store.begin() as conn:
        known = _existing_events(conn, firsts)
        fresh = [{"event_id": event_id, "first_item_id": item_id, "first_published_at": at, "created_at": created}
                 for event_id, (at, item_id) in firsts.items() if event_id not in known]
        if fresh:  # one executemany; "if absent": a concurrent `report` may cluster the same items
            conn.execute(insert_absent(store.dialect, events, ("event_id",)), fresh)
        for event_id, (at, item_id) in firsts.items():
            old = known.get(event_id)
            if old is not None and (at, item_id) < old:
                conn.execute(events.update().where(events.c.event_id == event_id)
                             .values(first_item_id=item_id, first_published_at=at))
        conn.execute(insert_absent(store.dialect, event_items, ("item_id",)), [
            {"item_id": item_id, "event_id": event_id, "similarity": similarity}
            for item_id, event_id, similarity in assignments])
    return len(firsts)


def event_copies(store: Store, start: datetime, end: datetime) -> list[EventCopyRow]:
    """Every item published in [start, end), and every event with a copy there: all its copies up
    to ``end``, with their judgements.

    Returns the copies (one ``EventCopyRow`` per item, in no particular order; the window's items
    not clustered yet have no event id), each with the judgements of its item packed in one field
    (:func:`unpack_judgements` reads them: a busy day's items are judged alike a few thousand ways,
    so each way is read once, not once per copy).  Read in two queries that walk an index in
    order: the window's items by publication time, with their judgements, and, for the events that
    began before the window (``events.first_published_at`` is the event's earliest copy), their
    earlier copies.
    """
    copies_of = event_items.join(items, items.c.item_id == event_items.c.item_id) \
        .join(sources, sources.c.source_id == items.c.source_id)
    window_items = items.join(sources, sources.c.source_id == items.c.source_id) \
        .outerjoin(event_items, event_items.c.item_id == items.c.item_id)
    in_window = and_(items.c.published_at >= start, items.c.published_at < end)
    began_before = (select(events.c.event_id)
                    .where(events.c.first_published_at < start,
                           events.c.event_id.in_(select(event_items.c.event_id)
                                                 .select_from(event_items.join(items, items.c.item_id
                                                                               == event_items.c.item_id))
                                                 .where(in_window))))
    with store.begin() as conn:
        columns = (items.c.published_at, items.c.item_id, items.c.title, items.c.url, sources.c.name,
                   sources.c.channel, sources.c.weight, event_items.c.event_id, _packed_judgements(conn),
                   items.c.source_id)
        copies: list[EventCopyRow] = [tuple(r) for r in conn.execute(
            select(*columns).select_from(window_items).where(in_window))]
        copies.extend(tuple(r) for r in conn.execute(
            select(*columns).select_from(copies_of)
            .where(event_items.c.event_id.in_(began_before), items.c.published_at < start)))
    return copies


def _packed_judgements(conn: Any) -> Any:
    """An item's judgements, one text: "bank id␟label␟categories" per bank it names, "␞" between."""
    one = (mentions.c.bank_id + _FIELD + func.coalesce(scores.c.label, "") + _FIELD
           + func.coalesce(scores.c.categories, ""))
    joined = func.group_concat(one, _ROW) if conn.dialect.name == "sqlite" else func.string_agg(one, _ROW)
    return (select(joined)
            .select_from(mentions.outerjoin(scores, and_(scores.c.item_id == mentions.c.item_id,
                                                         scores.c.bank_id == mentions.c.bank_id)))
            .where(mentions.c.item_id == items.c.item_id).scalar_subquery())


def unpack_judgements(packed: str | None) -> tuple[JudgementRow, ...]:
    """The judgements packed in an ``EventCopyRow``, by bank id (one per bank: one order on every
    database); an item that names no bank has none."""
    if not packed:
        return ()
    out = []
    for one in packed.split(_ROW):
        bank_id, label, categories = one.split(_FIELD)
        out.append((bank_id, label or None, categories or None))
    out.sort()
    return tuple(out)


def negative_judgements(store: Store, start: datetime, end: datetime,
                        ) -> list[tuple[str, str, datetime, str, float | None, str | None]]:
    """The mentions of items published in ``[start, end)`` judged negative for their bank, newest
    first (then by item and bank id): (item id, bank id, published at, channel, source weight,
    categories JSON).  What a day's alerts count against the bank's baseline: only the negative
    rows and the columns counted, not every mention of the baseline's weeks."""
    query = (select(items.c.item_id, mentions.c.bank_id, items.c.published_at, sources.c.channel, sources.c.weight,
                    scores.c.categories)
             .select_from(items.join(mentions, mentions.c.item_id == items.c.item_id)
                          .join(sources, sources.c.source_id == items.c.source_id)
                          .join(scores, and_(scores.c.item_id == mentions.c.item_id,
                                             scores.c.bank_id == mentions.c.bank_id)))
             .where(items.c.published_at >= start, items.c.published_at < end, scores.c.label == "negative")
             .order_by(items.c.published_at.desc(), items.c.item_id, mentions.c.bank_id))
    with store.begin() as conn:
        return [tuple(r) for r in conn.execute(query)]


def event_ids_of(store: Store, item_ids: Sequence[str]) -> dict[str, str]:
    """Each clustered item's event id."""
    out: dict[str, str] = {}
    with store.begin() as conn:
        for chunk in _chunks(sorted(set(item_ids)), CHUNK):
            out.update(conn.execute(select(event_items.c.item_id, event_items.c.event_id)
                                    .where(event_items.c.item_id.in_(chunk))).all())
    return out


def earliest_published(store: Store) -> datetime | None:
    """When the oldest stored item was published: where a bank's history starts."""
    with store.begin() as conn:
        found: datetime | None = conn.execute(select(func.min(items.c.published_at))).scalar_one_or_none()
    return found


def alerts_computed(store: Store, day: date) -> bool:
    """Whether ``day``'s alerts were raised and stored already."""
    return alerts_computed_at(store, day) is not None


def alerts_computed_at(store: Store, day: date) -> datetime | None:
    """When ``day``'s stored alerts were raised (None: never)."""
    with store.begin() as conn:
        found: datetime | None = conn.execute(
            select(alert_days.c.computed_at).where(alert_days.c.day == day)).scalar_one_or_none()
    return found


def replace_alerts(store: Store, day: date, rows: Sequence[dict[str, Any]], computed: datetime) -> None:
    """Replace ``day``'s stored alerts with ``rows`` and mark the day computed, in one transaction."""
    with store.begin() as conn:
        conn.execute(delete(alerts).where(alerts.c.day == day))
        if rows:
            conn.execute(alerts.insert(), [{**row, "computed_at": computed} for row in rows])
        conn.execute(upsert(store.dialect, alert_days, ("day",)), [{"day": day, "computed_at": computed}])


def alert_rows(store: Store, first: date, last: date) -> list[Any]:
    """The stored alerts of days ``first``..``last``."""
    with store.begin() as conn:
        return list(conn.execute(select(alerts).where(alerts.c.day >= first, alerts.c.day <= last)).all())


def _existing_events(conn: Any, event_ids: Iterable[str]) -> dict[str, tuple[datetime, str]]:
    out: dict[str, tuple[datetime, str]] = {}
    for chunk in _chunks(sorted(event_ids), CHUNK):
        query = select(events.c.event_id, events.c.first_published_at, events.c.first_item_id) \
            .where(events.c.event_id.in_(chunk))
        for row in conn.execute(query):
            out[row.event_id] = (row.first_published_at, row.first_item_id)
    return out


def _chunks(seq: Sequence[str], size: int) -> Iterable[Sequence[str]]:
    for start in range(0, len(seq), size):
        yield seq[start:start + size]
