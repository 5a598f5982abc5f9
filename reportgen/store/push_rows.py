"""The push outbox's rows: each message an alert owes a push channel, and where it stands.

The rules (which channel gets what, quiet hours, retries with backoff, escalations, reminders)
are in ``deliver/push.py``; this module only reads and writes ``push_outbox``.  The table's
unique key (incident, channel, level, reason, reminder number) is what keeps "once per alert per
channel" true even with two writers: :func:`enqueue` inserts only what is absent.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from reportgen.models import PushHealthRow, PushRecord, PushState
from reportgen.store.db import Store, insert_absent
from reportgen.store.schema import push_outbox

UNIQUE = ("incident_id", "channel", "level", "reason", "seq")
WAITING = (PushState.PENDING, PushState.HELD)


def enqueue(store: Store, rows: Sequence[Mapping[str, Any]]) -> int:
    """Insert the rows not already there (by their unique key); return how many were new."""
    if not rows:
        return 0
    before = _count(store)
    with store.begin() as conn:
        conn.execute(insert_absent(store.dialect, push_outbox, UNIQUE), [dict(r) for r in rows])
    return _count(store) - before


def _count(store: Store) -> int:
    with store.begin() as conn:
        return int(conn.execute(select(func.count()).select_from(push_outbox)).scalar_one())


def for_incidents(store: Store, incident_ids: Iterable[int]) -> list[PushRecord]:
    """Every push of these incidents, oldest first."""
    wanted = sorted(set(incident_ids))
    if not wanted:
        return []
    with store.begin() as conn:
        rows = conn.execute(select(push_outbox).where(push_outbox.c.incident_id.in_(wanted))
                            .order_by(push_outbox.c.push_id))
        return [PushRecord(**r._mapping) for r in rows]


def waiting(store: Store) -> list[PushRecord]:
    """Every push still to go out (pending or held), oldest first."""
    with store.begin() as conn:
        rows = conn.execute(select(push_outbox).where(push_outbox.c.state.in_(WAITING))
                            .order_by(push_outbox.c.push_id))
        return [PushRecord(**r._mapping) for r in rows]


def by_ids(store: Store, ids: Iterable[int]) -> list[PushRecord]:
    wanted = sorted(set(ids))
    if not wanted:
        return []
    with store.begin() as conn:
        rows = conn.execute(select(push_outbox).where(push_outbox.c.push_id.in_(wanted))
                            .order_by(push_outbox.c.push_id))
        return [PushRecord(**r._mapping) for r in rows]


def update(store: Store, push_id: int, **values: Any) -> PushRecord:
    with store.begin() as conn:
        conn.execute(push_outbox.update().where(push_outbox.c.push_id == push_id).values(**values))
    return by_ids(store, [push_id])[0]


def cancel_waiting(store: Store, incident_id: int, note: str) -> int:
    """Cancel the incident's pushes that have not gone out; return how many."""
    with store.begin() as conn:
        result = conn.execute(push_outbox.update()
                              .where(push_outbox.c.incident_id == incident_id, push_outbox.c.state.in_(WAITING))
                              .values(state=PushState.CANCELLED, last_error=note))
        return int(result.rowcount or 0)


def first_sent(store: Store, incident_ids: Iterable[int]) -> dict[int, datetime]:
    """When each incident's first push reached a channel."""
    wanted = sorted(set(incident_ids))
    if not wanted:
        return {}
    query = (select(push_outbox.c.incident_id, func.min(push_outbox.c.sent_at))
             .where(push_outbox.c.incident_id.in_(wanted), push_outbox.c.state == PushState.SENT)
             .group_by(push_outbox.c.incident_id))
    with store.begin() as conn:
        return {int(i): at for i, at in conn.execute(query) if at is not None}


def health(store: Store, since: datetime) -> tuple[PushHealthRow, ...]:
    """Channels with pushes waiting, or given up since ``since``, by channel name."""
    query = (select(push_outbox)
             .where((push_outbox.c.state.in_(WAITING) & (push_outbox.c.attempts > 0))
                    | (push_outbox.c.state == PushState.HELD)
                    | ((push_outbox.c.state == PushState.EXPIRED) & (push_outbox.c.created_at >= since)))
             .order_by(push_outbox.c.push_id))
    by_channel: dict[str, list[PushRecord]] = defaultdict(list)
    with store.begin() as conn:
        for r in conn.execute(query):
            by_channel[r.channel].append(PushRecord(**r._mapping))
    out = []
    for channel, records in sorted(by_channel.items()):
        undelivered = [r for r in records if r.state != PushState.HELD]
        oldest = undelivered[0] if undelivered else records[0]
        errors = [r.last_error for r in reversed(records) if r.last_error]
        waiting_retry = [r for r in records if r.state == PushState.PENDING]
        out.append(PushHealthRow(
            channel=channel, pending=len(waiting_retry), held=sum(r.state == PushState.HELD for r in records),
            expired=sum(r.state == PushState.EXPIRED for r in records), attempts=oldest.attempts,
            last_error=errors[0] if errors else None,
            next_attempt_at=min((r.next_attempt_at for r in waiting_retry), default=None)))
    return tuple(out)
