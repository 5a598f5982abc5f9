"""The alert incidents' rows: each incident's stable id, what it looked like when last seen, and
who acknowledged or resolved it.

When an observation is the same incident as a stored one, and what counts as an escalation, is
decided in ``insight/followup.py``; this module only reads and writes ``alert_incidents``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from reportgen.models import AlertIncident
from reportgen.store.db import Store
from reportgen.store.schema import alert_incidents, items, scores, sources

JSON_COLUMNS = ("event_ids", "kinds", "reasons_zh", "reasons_en")


def negative_mentions(store: Store, start: datetime, end: datetime) -> list[dict[str, Any]]:
    """The mentions judged negative for their bank among items published in ``[start, end)``: what
    the rolling window counts (item_id, bank_id, published_at, channel, weight, categories).  Only
    the negative rows, so a fetch every few minutes reads a small fraction of the baseline's items."""
    query = (select(items.c.item_id, scores.c.bank_id, items.c.published_at, sources.c.channel, sources.c.weight,
                    scores.c.categories)
             .select_from(items.join(scores, scores.c.item_id == items.c.item_id)
                          .join(sources, sources.c.source_id == items.c.source_id))
             .where(items.c.published_at >= start, items.c.published_at < end, scores.c.label == "negative")
             .order_by(items.c.published_at, items.c.item_id, scores.c.bank_id))
    with store.begin() as conn:
        return [dict(r._mapping) for r in conn.execute(query)]


def recent(store: Store, since: datetime) -> list[AlertIncident]:
    """Incidents last seen at or after ``since``, oldest first."""
    query = (select(alert_incidents).where(alert_incidents.c.last_seen_at >= since)
             .order_by(alert_incidents.c.incident_id))
    with store.begin() as conn:
        return [_incident(r._mapping) for r in conn.execute(query)]


def raised_between(store: Store, first: date, last: date) -> list[AlertIncident]:
    """Incidents first raised on local days ``first``..``last``."""
    query = (select(alert_incidents)
             .where(alert_incidents.c.day.between(first, last))
             .order_by(alert_incidents.c.incident_id))
    with store.begin() as conn:
        return [_incident(r._mapping) for r in conn.execute(query)]


def of_banks_since(store: Store, bank_ids: Iterable[str], since: date) -> list[AlertIncident]:
    """The incidents of ``bank_ids`` first raised on or after ``since`` (the candidates a day's
    alerts are matched against)."""
    query = (select(alert_incidents)
             .where(alert_incidents.c.bank_id.in_(sorted(set(bank_ids))), alert_incidents.c.day >= since)
             .order_by(alert_incidents.c.incident_id))
    with store.begin() as conn:
        return [_incident(r._mapping) for r in conn.execute(query)]


def open_at_level(store: Store, level: int, since: datetime) -> list[AlertIncident]:
    """Incidents at ``level`` (the most severe reached) still open, first raised at or after ``since``."""
    query = (select(alert_incidents)
             .where(alert_incidents.c.level == level, alert_incidents.c.state == "open",
                    alert_incidents.c.first_raised_at >= since)
             .order_by(alert_incidents.c.incident_id))
    with store.begin() as conn:
        return [_incident(r._mapping) for r in conn.execute(query)]


def by_ids(store: Store, ids: Iterable[int]) -> list[AlertIncident]:
    wanted = sorted(set(ids))
    if not wanted:
        return []
    with store.begin() as conn:
        rows = conn.execute(select(alert_incidents).where(alert_incidents.c.incident_id.in_(wanted))
                            .order_by(alert_incidents.c.incident_id))
        return [_incident(r._mapping) for r in rows]


def get(store: Store, incident_id: int) -> AlertIncident | None:
    found = by_ids(store, [incident_id])
    return found[0] if found else None


def insert(store: Store, values: Mapping[str, Any]) -> AlertIncident:
    with store.begin() as conn:
        result = conn.execute(alert_incidents.insert().values(**_encoded(values)))
        incident_id = int(result.inserted_primary_key[0])  # type: ignore[index]
    found = get(store, incident_id)
    assert found is not None
    return found


def update(store: Store, incident_id: int, values: Mapping[str, Any]) -> AlertIncident:
    with store.begin() as conn:
        conn.execute(alert_incidents.update().where(alert_incidents.c.incident_id == incident_id)
                     .values(**_encoded(values)))
    found = get(store, incident_id)
    assert found is not None
    return found


def _encoded(values: Mapping[str, Any]) -> dict[str, Any]:
    return {k: json.dumps(list(v), ensure_ascii=False) if k in JSON_COLUMNS else v for k, v in values.items()}


def _incident(row: Any) -> AlertIncident:
    fields = dict(row)
    for key in JSON_COLUMNS:
        fields[key] = tuple(json.loads(fields[key] or "[]"))
    fields["title"] = fields["title"] or ""
    fields["first_source"] = fields["first_source"] or ""
    return AlertIncident(**fields)
