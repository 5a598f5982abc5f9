"""Store → the briefing's figures, counted by the database.

A weekly report over a store of a million items must not pull the store's rows into Python:
every count here (per bank, per day, per channel) is one ``GROUP BY`` in SQL, and only the rows
the report actually lists come back as rows: the negative items it shows, and the judgements that
carry a risk category (a short JSON list, tallied here so the SQL stays portable to PostgreSQL).
The report period's own items are the exception: the events read them all anyway
(:func:`reportgen.store.event_rows.event_copies`), so :func:`period_counts`,
:func:`negative_item_ids` and :func:`labelled_item_ids` count and pick the period from those rows
where they are given (grouped by the few thousand ways an item is judged), not from another scan.

Day buckets are computed from the report zone's day boundaries (given as aware datetimes), not
with a SQL date function, so a zone with daylight saving time, or a day that starts at 08:00, is
bucketed exactly.
"""

from __future__ import annotations

import json
import logging
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from operator import itemgetter
from typing import Any

from sqlalchemy import Integer, and_, case, distinct, false, func, or_, select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.sql.elements import ColumnElement

from reportgen.errors import StoreError
from reportgen.models import CategoryCount, ChannelCount, PeriodTotals
from reportgen.store.db import Store, items, mentions, scores, sources
from reportgen.store.event_rows import EventCopyRow, unpack_judgements
from reportgen.store.schema import event_items

log = logging.getLogger(__name__)

_JOINED = (items.join(mentions, mentions.c.item_id == items.c.item_id)
           .outerjoin(scores, (scores.c.item_id == mentions.c.item_id) & (scores.c.bank_id == mentions.c.bank_id)))
_NEGATIVE = scores.c.label == "negative"
_POSITIVE = scores.c.label == "positive"


@contextmanager
def reading(store: Store) -> Iterator[Connection]:
    """One read transaction, so every figure of a report sees the same snapshot of the store."""
    try:
        with store.engine.begin() as conn:
            yield conn
    except SQLAlchemyError as exc:
        detail = str(exc).splitlines()[0]
        raise StoreError(f"database error while reading the report figures: {exc.__class__.__name__}: {detail}",
                         hint=store.damage_hint(detail)) from exc


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


@dataclass(frozen=True, slots=True)
class PeriodCounts:
    """A report period's counts, from two scans of its mentions (see :func:`period_counts`)."""

    trend: list[PeriodTotals]  # one per trend bucket, as bucket_totals
    banks: list[dict[str, tuple[int, int, int]]]  # [previous, current], as bank_counts
    channels: tuple[ChannelCount, ...]  # the current period's, as channel_counts
    categories: tuple[CategoryCount, ...]  # the current period's, as category_counts
    labels: list[dict[str, int]]  # [previous, current] of the banks in scope, as label_counts
    sources: list[tuple[str, str, str, int, int, int]]  # the current period's, as source_counts


def period_counts(conn: Connection, trend: Sequence[datetime], previous: datetime, window: tuple[datetime, datetime],
                  self_ids: Collection[str], scope: Collection[str] | None,
                  window_items: Iterable[EventCopyRow] | None = None) -> PeriodCounts:
    """What :func:`bucket_totals` (``trend``), :func:`bank_counts` and :func:`label_counts`
    (``[previous, window start, window end]``), :func:`channel_counts`, :func:`category_counts`
    and :func:`source_counts` (the window) return, from two scans instead of six: the items per
    day bucket and source (distinct items are counted per bucket and source, and an item lies in
    one of each, so the sums over buckets and sources are exact), and the mentions per period,
    bank, judgement, title flag and categories.  Each bucket holds one day; the window's bounds and
    the trend's are day bounds of the same zone and hour, as a report's are (any others split the
    buckets further, and stay exact).

    ``window_items`` are the window's items as :func:`reportgen.store.event_rows.event_copies`
    read them, where the report has read them already: the window is then counted from them (per
    source and way of judging an item: a few thousand groups), and the database scans only the
    trend's other days and the previous period."""
    start, end = window
    bounds = sorted({*trend, start, end})
    if window_items is None:
        per_source = _source_buckets(conn, bounds, self_ids, scope)
        grouped = list(_grouped_mentions(conn, [previous, start, end]))
    else:
        first, last = bounds.index(start), bounds.index(end)
        per_source = _source_buckets(conn, bounds[:first + 1], self_ids, scope)
        for (bucket, source_id), measures in _source_buckets(conn, bounds[last:], self_ids, scope).items():
            per_source[(bucket + last, source_id)] = measures
        utc = [b.astimezone(UTC) for b in bounds]  # as the items' times: no zone conversion per comparison
        alike = Counter((bisect_right(utc, item[0]) - 1, item[9], item[8]) for item in window_items if item[8])
        per_source.update(_judged_alike(alike, self_ids, scope))
        grouped = list(_grouped_mentions(conn, [previous, start]))  # the previous period: 0
        packings: Counter[str] = Counter()
        for (_, _, packed), n in alike.items():
            packings[packed] += n
        for packed, n in packings.items():  # the window: 1 (its title mentions below)
            grouped.extend((1, bank_id, label, False, raw, n) for bank_id, label, raw in unpack_judgements(packed))
    names = {source_id: (name, channel) for source_id, name, channel in
             conn.execute(select(sources.c.source_id, sources.c.name, sources.c.channel))}
    # each fine bucket's trend bucket (or -1 outside the trend), and whether it lies in the window
    edges = list(trend)
    home = [bisect_right(edges, b) - 1 if edges and edges[0] <= b < edges[-1] else -1 for b in bounds[:-1]]
    inside = [start <= b < end for b in bounds[:-1]]
    totals = [[0] * 5 for _ in edges[1:]]
    channels: dict[str, list[int]] = {}
    in_sources: dict[str, list[int]] = {}
    for (bucket, source_id), measures in per_source.items():
        if home[bucket] >= 0:
            cell = totals[home[bucket]]
            for k in range(5):
                cell[k] += measures[k]
        if source_id not in names:
            continue  # as the join with sources drops it
        if inside[bucket]:
            cell = channels.setdefault(names[source_id][1], [0] * 5)
            for k in range(5):
                cell[k] += measures[k]
            cell = in_sources.setdefault(source_id, [0] * 3)
            for k in range(3):
                cell[k] += measures[5 + k]
    channel_rows = [ChannelCount(channel, t[0], t[1], t[3], t[4]) for channel, t in channels.items()]
    channel_rows.sort(key=lambda c: (-c.items, c.channel))
    source_rows = [(source_id, *names[source_id], n, negative, positive)
                   for source_id, (n, negative, positive) in in_sources.items() if n]
    source_rows.sort(key=lambda r: (-r[3], r[0]))
    banks, labels, categories = _mention_counts(grouped, 2, self_ids, scope)
    if window_items is not None:
        for bank_id, in_title in _title_mentions(conn, start, end).items():
            if bank_id in banks[1]:  # (an item of a source no longer configured is in neither)
                n, _, negative = banks[1][bank_id]
                banks[1][bank_id] = (n, in_title, negative)
    return PeriodCounts([PeriodTotals(*t) for t in totals], banks, tuple(channel_rows), categories, labels,
                        source_rows)


def _title_mentions(conn: Connection, start: datetime, end: datetime) -> dict[str, int]:
    """Per bank, the mentions of ``[start, end)`` that name it in the title (an index scan)."""
    query = (select(mentions.c.bank_id, func.count())
             .select_from(items.join(mentions, mentions.c.item_id == items.c.item_id))
             .where(_in_window(start, end), mentions.c.in_title).group_by(mentions.c.bank_id))
    return {bank_id: int(n) for bank_id, n in conn.execute(query)}


def _judged_alike(alike: Mapping[tuple[int, str, str], int], self_ids: Collection[str],
                  scope: Collection[str] | None) -> dict[tuple[int, str], tuple[int, ...]]:
    """:func:`_source_buckets`' measures from items read already: ``alike`` counts them per
    (bucket, source id, packed judgements)."""
    own, in_scope = set(self_ids), set(scope) if scope is not None else None
    out: dict[tuple[int, str], list[int]] = {}
    measures: dict[str, tuple[int, ...]] = {}
    for (bucket, source_id, packed), n in alike.items():
        found = measures.get(packed)
        if found is None:
            judged = unpack_judgements(packed)
            negative = [j[1] == "negative" for j in judged]
            mine = [j[0] in own for j in judged]
            scoped = [in_scope is None or j[0] in in_scope for j in judged]
            found = measures[packed] = (
                1, int(any(negative)), len(judged), sum(mine),
                sum(m and x for m, x in zip(mine, negative, strict=True)),
                int(any(scoped)), int(any(s and x for s, x in zip(scoped, negative, strict=True))),
                int(any(s and j[1] == "positive" for s, j in zip(scoped, judged, strict=True))))
        cell = out.setdefault((bucket, source_id), [0] * 8)
        for k in range(8):
            cell[k] += n * found[k]
    return {key: tuple(cell) for key, cell in out.items()}


def _source_buckets(conn: Connection, bounds: Sequence[datetime], self_ids: Collection[str],
                    scope: Collection[str] | None) -> dict[tuple[int, str], tuple[int, ...]]:
    """(bucket, source id) → total items, negative items, mentions, self mentions, self negative
    (``_measures``), then the items naming a bank in ``scope`` (any for ``None``), those of them
    judged negative for it, and positive."""
    if len(bounds) < 2:
        return {}
    bucket = _bucket(conn, bounds)
    scoped = _is_self(scope) if scope is not None else None

    def items_where(condition: ColumnElement[bool] | None) -> Any:
        return func.count(distinct(case((condition, items.c.item_id)) if condition is not None else items.c.item_id))

    query = (select(bucket, items.c.source_id, *_measures(self_ids), items_where(scoped),
                    items_where(_NEGATIVE if scoped is None else and_(scoped, _NEGATIVE)),
                    items_where(_POSITIVE if scoped is None else and_(scoped, _POSITIVE)))
             .select_from(_JOINED).where(_in_window(bounds[0], bounds[-1])).group_by(bucket, items.c.source_id))
    return {(int(b), source_id): tuple(int(v or 0) for v in measures)
            for b, source_id, *measures in conn.execute(query)}


def _grouped_mentions(conn: Connection, bounds: Sequence[datetime]) -> list[tuple[Any, ...]]:
    """The mentions of ``[bounds[0], bounds[-1])`` grouped by period, bank, judgement, title flag
    and categories: (period, bank id, label, in title, categories, mentions)."""
    period = case(*[(items.c.published_at < b, i) for i, b in enumerate(bounds[1:])], else_=len(bounds) - 1)
    query = (select(period, mentions.c.bank_id, scores.c.label, mentions.c.in_title, scores.c.categories, func.count())
             .select_from(_JOINED).where(_in_window(bounds[0], bounds[-1]))
             .group_by(period, mentions.c.bank_id, scores.c.label, mentions.c.in_title, scores.c.categories))
    return [(int(i), bank_id, label, in_title, raw, int(n))
            for i, bank_id, label, in_title, raw, n in conn.execute(query)]


def _mention_counts(grouped: Iterable[tuple[Any, ...]], periods: int, self_ids: Collection[str],
                    scope: Collection[str] | None,
                    ) -> tuple[list[dict[str, tuple[int, int, int]]], list[dict[str, int]], tuple[CategoryCount, ...]]:
    """bank_counts and label_counts per period, and category_counts of the last, from
    :func:`_grouped_mentions`' rows."""
    banks: list[dict[str, list[int]]] = [{} for _ in range(periods)]
    labels: list[dict[str, int]] = [{} for _ in range(periods)]
    in_scope = set(scope) if scope is not None else None
    own = set(self_ids)
    tally: dict[str, Counter[str]] = {}
    read: dict[str, set[str] | None] = {}
    for i, bank_id, label, in_title, raw, n in grouped:
        negative = label == "negative"
        cell = banks[i].setdefault(bank_id, [0, 0, 0])
        cell[0] += n
        cell[1] += n if in_title else 0
        cell[2] += n if negative else 0
        if in_scope is None or bank_id in in_scope:
            key = label if isinstance(label, str) else "unscored"
            labels[i][key] = labels[i].get(key, 0) + n
        if i != periods - 1 or raw is None or raw == "[]":
            continue
        if raw not in read:
            try:
                read[raw] = {c["code"] for c in json.loads(raw or "[]")}
            except (ValueError, TypeError, KeyError):
                read[raw] = None
        codes = read[raw]
        if codes is None:
            log.warning("unreadable categories on %d judgements: %.80r", n, raw)
            continue
        _tally_categories(tally, codes, n, negative, bank_id in own)
    return ([{bank_id: (n, title, negative) for bank_id, (n, title, negative) in counted.items()} for counted in banks],
            labels, _category_rows(tally))


def _tally_categories(tally: dict[str, Counter[str]], codes: Collection[str], n: int,
                      negative: bool, is_own: bool) -> None:
    """Add ``n`` judgements carrying ``codes`` to each code's counts."""
    for code in codes:
        counts = tally.setdefault(code, Counter())
        counts["mentions"] += n
        counts["negative"] += n * negative
        counts["self_mentions"] += n * is_own
        counts["self_negative"] += n * (is_own and negative)


def _category_rows(tally: dict[str, Counter[str]]) -> tuple[CategoryCount, ...]:
    """The tallied categories, the bank's own negative ones first, then negative, then all."""
    out = [CategoryCount(code, c["mentions"], c["negative"], c["self_mentions"], c["self_negative"])
           for code, c in tally.items()]
    out.sort(key=lambda c: (-c.self_negative, -c.negative, -c.mentions, c.code))
    return tuple(out)


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

    Only judgements that carry a category are counted (``categories != '[]'``), a small share of the
    period's mentions, grouped by their categories (a short JSON list, read here so the SQL stays
    portable), whether they are negative and whether they are the bank's own: each distinct list is
    read once, however many judgements carry it.
    """
    negative, own = case((_NEGATIVE, 1), else_=0), case((_is_self(self_ids), 1), else_=0)
    query = (select(scores.c.categories, negative, own, func.count()).select_from(_JOINED)
             .where(_in_window(start, end), scores.c.categories != "[]")
             .group_by(scores.c.categories, negative, own))
    tally: dict[str, Counter[str]] = {}
    for raw, is_negative, is_own, n in conn.execute(query):
        try:
            codes = {c["code"] for c in json.loads(raw or "[]")}
        except (ValueError, TypeError, KeyError):
            log.warning("unreadable categories on %d judgements: %.80r", n, raw)
            continue
        _tally_categories(tally, codes, n, bool(is_negative), bool(is_own))
    return _category_rows(tally)


def negative_item_ids(conn: Connection, start: datetime, end: datetime, self_ids: Collection[str],
                      limit: int, window_items: Iterable[EventCopyRow] | None = None) -> list[str]:
    """The negative items to list: about the bank itself first, then the newest, at most ``limit``
    (from ``window_items``, the window's items as read already, where given)."""
    if window_items is not None:
        own: set[str] = set(self_ids)
        flags: dict[str, tuple[bool, bool]] = {}  # packed judgements → (any negative, negative for the bank)
        found = []
        for item in window_items:
            packed = item[8]
            if not packed:
                continue
            flag = flags.get(packed)
            if flag is None:
                judged = unpack_judgements(packed)
                flag = flags[packed] = (any(j[1] == "negative" for j in judged),
                                        any(j[1] == "negative" and j[0] in own for j in judged))
            if flag[0]:
                found.append((flag[1], item[0], item[1]))
        return [item_id for _, _, item_id in _newest_first(found, limit)]
    own_negative = func.max(case((and_(_is_self(self_ids), _NEGATIVE), 1), else_=0))
    query = (select(items.c.item_id).select_from(_JOINED).where(_in_window(start, end), _NEGATIVE)
             .group_by(items.c.item_id, items.c.published_at)
             .order_by(own_negative.desc(), items.c.published_at.desc(), items.c.item_id).limit(limit))
    return list(conn.execute(query).scalars())


def _newest_first(found: list[tuple[bool, datetime, str]], limit: int) -> list[tuple[bool, datetime, str]]:
    """(first, published at, item id) rows as ``ORDER BY first DESC, published_at DESC, item_id``
    puts them, at most ``limit``: three stable sorts, last key first."""
    found.sort(key=itemgetter(2))
    found.sort(key=itemgetter(1), reverse=True)
    found.sort(key=itemgetter(0), reverse=True)
    return found[:limit]


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


# --- the sections a 舆情日报 reader expects (reportgen/insight/coverage.py decides what they mean) ---


def label_counts(conn: Connection, bounds: Sequence[datetime], bank_ids: Collection[str] | None,
                 ) -> list[dict[str, int]]:
    """Per ``[bounds[i], bounds[i+1])``: the mentions (item × bank) of ``bank_ids`` (every bank for
    ``None``) by judgement, ``"unscored"`` for mentions without one: 情感分布, in one pass."""
    period = case(*[(items.c.published_at < b, i) for i, b in enumerate(bounds[1:])], else_=len(bounds) - 1)
    query = (select(period, scores.c.label, func.count()).select_from(_JOINED)
             .where(_in_window(bounds[0], bounds[-1])).group_by(period, scores.c.label))
    if bank_ids is not None:
        query = query.where(_is_self(bank_ids))
    out: list[dict[str, int]] = [{} for _ in bounds[1:]]
    for i, label, n in conn.execute(query):
        key = label if isinstance(label, str) else "unscored"
        out[int(i)][key] = out[int(i)].get(key, 0) + int(n)
    return out


def source_counts(conn: Connection, start: datetime, end: datetime,
                  bank_ids: Collection[str] | None) -> list[tuple[str, str, str, int, int, int]]:
    """Per source: (source id, name, channel, items, negative items, positive items) naming
    ``bank_ids`` (any bank for ``None``), most items first; one row per source that carried any."""
    own = _is_self(bank_ids) if bank_ids is not None else None
    n_items = func.count(distinct(items.c.item_id))
    query = (select(sources.c.source_id, sources.c.name, sources.c.channel, n_items,
                    func.count(distinct(case((_NEGATIVE, items.c.item_id)))),
                    func.count(distinct(case((scores.c.label == "positive", items.c.item_id)))))
             .select_from(_JOINED.join(sources, sources.c.source_id == items.c.source_id))
             .where(_in_window(start, end))
             .group_by(sources.c.source_id, sources.c.name, sources.c.channel)
             .order_by(n_items.desc(), sources.c.source_id))
    if own is not None:
        query = query.where(own)
    return [(s, name, channel, int(n), int(neg), int(pos)) for s, name, channel, n, neg, pos in conn.execute(query)]


def labelled_item_ids(conn: Connection, start: datetime, end: datetime, bank_ids: Collection[str], label: str,
                      limit: int, window_items: Iterable[EventCopyRow] | None = None) -> list[str]:
    """The items of the window judged ``label`` for one of ``bank_ids``, newest first, at most ``limit``
    (from ``window_items``, the window's items as read already, where given)."""
    if window_items is not None:
        banks: set[str] = set(bank_ids)
        labelled: dict[str, bool] = {}
        found = []
        for item in window_items:
            packed = item[8]
            if not packed:
                continue
            flag = labelled.get(packed)
            if flag is None:
                flag = labelled[packed] = any(j[1] == label and j[0] in banks for j in unpack_judgements(packed))
            if flag:
                found.append((False, item[0], item[1]))
        return [item_id for _, _, item_id in _newest_first(found, limit)]
    query = (select(items.c.item_id).select_from(_JOINED)
             .where(_in_window(start, end), _is_self(bank_ids), scores.c.label == label)
             .group_by(items.c.item_id, items.c.published_at)
             .order_by(items.c.published_at.desc(), items.c.item_id).limit(limit))
    return list(conn.execute(query).scalars())


def event_buckets(conn: Connection, event_ids: Sequence[str], bounds: Sequence[datetime]) -> tuple[list[int], int]:
    """Copies of the events ``event_ids`` (one story) per ``[bounds[i], bounds[i+1])``, and the
    copies published before ``bounds[0]``: an incident's spread by hour or day, in one query."""
    if len(bounds) < 2 or not event_ids:
        return [0] * max(len(bounds) - 1, 0), 0
    bucket = case((items.c.published_at < bounds[0], -1),
                  *[(items.c.published_at < b, i) for i, b in enumerate(bounds[1:])], else_=len(bounds) - 1)
    query = (select(bucket, func.count()).select_from(items.join(event_items, event_items.c.item_id == items.c.item_id))
             .where(event_items.c.event_id.in_(list(event_ids)), items.c.published_at < bounds[-1]).group_by(bucket))
    found = {int(b): int(n) for b, n in conn.execute(query)}
    return [found.get(i, 0) for i in range(len(bounds) - 1)], found.get(-1, 0)


_TIMELINE_COLUMNS = (items.c.item_id, items.c.title, items.c.url, items.c.published_at,
                     sources.c.name.label("source_name"), sources.c.channel)


def event_landmarks(conn: Connection, event_ids: Sequence[str], end: datetime) -> list[dict[str, Any]]:
    """The copies of one story (events ``event_ids``) before ``end`` that its timeline shows: the
    first copy in each channel and the latest copy, oldest first.  Window functions pick them in
    the database, so a story reprinted a thousand times still returns a handful of rows."""
    if not event_ids:
        return []
    first_in_channel = func.row_number().over(partition_by=sources.c.channel,
                                              order_by=(items.c.published_at, items.c.item_id))
    latest = func.row_number().over(order_by=(items.c.published_at.desc(), items.c.item_id.desc()))
    ranked = (select(*_TIMELINE_COLUMNS, first_in_channel.label("channel_rank"), latest.label("latest_rank"))
              .select_from(items.join(event_items, event_items.c.item_id == items.c.item_id)
                           .join(sources, sources.c.source_id == items.c.source_id))
              .where(event_items.c.event_id.in_(list(event_ids)), items.c.published_at < end)).subquery()
    query = (select(ranked).where((ranked.c.channel_rank == 1) | (ranked.c.latest_rank == 1))
             .order_by(ranked.c.published_at, ranked.c.item_id))
    return [dict(r._mapping) for r in conn.execute(query)]


def response_rows(conn: Connection, bank_ids: Collection[str], start: datetime, end: datetime,
                  terms: Sequence[str], window_items: Iterable[EventCopyRow] | None = None) -> list[dict[str, Any]]:
    """The response candidates of several incidents in one scan of the window (the title test is
    what costs): one row per item of ``[start, end)`` whose title holds one of ``terms`` and per bank
    of ``bank_ids`` it names, oldest first, with its event id and that ``bank_id``.
    :func:`responses_of` picks each incident's candidates from them.  ``window_items`` are the
    items of a window holding ``[start, end)`` as read already, where given: on SQLite they are
    tested here as its ``LIKE`` would test them (ASCII letters in any case) instead of scanned."""
    if not bank_ids or not terms:
        return []
    if window_items is not None and conn.dialect.name == "sqlite":
        return _responses_read(window_items, set(bank_ids), start.astimezone(UTC), end.astimezone(UTC), terms)
    # SQLite's LIKE ignores ASCII case, and its lower() folds ASCII only: the same rows without
    # lowering every title once per term
    title = items.c.title if conn.dialect.name == "sqlite" else func.lower(items.c.title)
    query = (select(*_TIMELINE_COLUMNS, event_items.c.event_id, mentions.c.bank_id)
             .select_from(items.join(mentions, mentions.c.item_id == items.c.item_id)
                          .join(sources, sources.c.source_id == items.c.source_id)
                          .outerjoin(event_items, event_items.c.item_id == items.c.item_id))
             .where(_in_window(start, end), _is_self(bank_ids), or_(*[title.contains(t.lower(), autoescape=True)
                                                                       for t in terms]))
             .order_by(items.c.published_at, items.c.item_id, mentions.c.bank_id))
    return [dict(r._mapping) for r in conn.execute(query)]


def _responses_read(window_items: Iterable[EventCopyRow], bank_ids: set[str], start: datetime, end: datetime,
                    terms: Sequence[str]) -> list[dict[str, Any]]:
    """:func:`response_rows` from items read already."""
    # SQLite's LIKE: the terms anywhere in the title, ASCII letters in any case, other characters as they are
    like = re.compile("|".join(re.escape(t.lower()) for t in terms), re.IGNORECASE | re.ASCII)
    found = []
    for item in window_items:
        if not start <= item[0] < end or not item[8] or not like.search(item[2]):
            continue
        for bank_id, _, _ in unpack_judgements(item[8]):
            if bank_id in bank_ids:
                found.append((item[0], item[1], bank_id, item))
    found.sort(key=lambda f: (f[0], f[1], f[2]))
    return [{"item_id": item[1], "title": item[2], "url": item[3], "published_at": item[0], "source_name": item[4],
             "channel": item[5], "event_id": item[7], "bank_id": bank_id} for _, _, bank_id, item in found]


def responses_of(rows: Sequence[dict[str, Any]], bank_ids: Collection[str], start: datetime,
                 limit: int) -> list[dict[str, Any]]:
    """From :func:`response_rows`, the candidates of one incident: the items from ``start`` that name
    one of its ``bank_ids``, each once (without ``bank_id``), oldest first, at most ``limit``."""
    banks, seen, out = set(bank_ids), set(), []
    for row in rows:
        if row["bank_id"] not in banks or row["item_id"] in seen or row["published_at"] < start:
            continue
        seen.add(row["item_id"])
        out.append({k: v for k, v in row.items() if k != "bank_id"})
        if len(out) == limit:
            break
    return out


def reason_terms(conn: Connection, start: datetime, end: datetime, bank_ids: Collection[str] | None,
                 limit: int) -> dict[str, tuple[int, float]]:
    """热词: term → (items it fired in, summed weight) over the judgements of ``bank_ids`` (every
    bank for ``None``) that carry reasons, counted once per item.  Reads at most ``limit`` of the
    newest judgements: the reasons are short JSON lists, tallied here so the SQL stays portable."""
    query = (select(items.c.item_id, scores.c.reasons).select_from(_JOINED)
             .where(_in_window(start, end), scores.c.reasons != "[]")
             .order_by(items.c.published_at.desc()).limit(limit))
    if bank_ids is not None:
        query = query.where(_is_self(bank_ids))
    seen: set[tuple[str, str]] = set()
    tally: dict[str, list[float]] = {}
    for item_id, raw in conn.execute(query):
        try:
            reasons = [(str(r["term"]), float(r["weight"]), str(r.get("note") or "")) for r in json.loads(raw or "[]")]
        except (ValueError, TypeError, KeyError, AttributeError):
            log.warning("unreadable reasons on a judgement of %s: %.80r", item_id, raw)
            continue
        for term, weight, note in reasons:
            if not weight or note == "frame" or (item_id, term) in seen:
                continue
            seen.add((item_id, term))
            counts = tally.setdefault(term, [0, 0.0])
            counts[0] += 1
            counts[1] += weight
    return {term: (int(n), w) for term, (n, w) in tally.items()}
