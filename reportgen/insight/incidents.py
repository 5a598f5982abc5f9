"""Events and alerts in the store: cluster new items, summarise a period's events, raise alerts.

The stage after scoring: :func:`cluster_pending` gives every new item an event (incrementally:
new items join the events of earlier runs), :func:`compute_alerts` raises and stores a day's
alerts (for good once the day is over), and :func:`event_summaries` / :func:`alert_summaries`
read them back for the reports and the ``events`` / ``alerts`` commands.
"""

from __future__ import annotations

import json
import logging
from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta

from reportgen.config.core import Config
from reportgen.insight import summaries
from reportgen.insight.alerts import (
    Alert,
    bank_alerts,
    incidents,
    negative_events_by_bank,
    playbook_for,
    with_incident_event,
)
from reportgen.insight.events import ClusterItem, cluster, item_heat
from reportgen.models import AlertSummary, EventSummary
from reportgen.periods import day_start
from reportgen.store import event_rows
from reportgen.store.db import Store

log = logging.getLogger(__name__)


# --- clustering ----------------------------------------------------------------------------------


def cluster_pending(store: Store, config: Config, *, now: datetime | None = None) -> int:
    """Give every item without an event one (joining earlier events where it is a reprint)."""
    settings = config.events.events
    new_rows = event_rows.unclustered_items(store)
    if not new_rows:
        return 0
    window = timedelta(hours=settings.window_hours)
    lo = min(r.published_at for r in new_rows) - window
    hi = max(r.published_at for r in new_rows) + window
    context = event_rows.clustered_items(store, lo, hi)
    banks = event_rows.banks_of(store, [r.item_id for r in new_rows] + [r.item_id for r in context])
    batch = [ClusterItem(r.item_id, r.title, r.summary, r.published_at, None, banks.get(r.item_id, frozenset()))
             for r in new_rows]
    batch += [ClusterItem(r.item_id, r.title, r.summary, r.published_at, r.event_id, banks.get(r.item_id, frozenset()),
                          r.event_first_at) for r in context]
    assignments = cluster(batch, settings)
    published = {i.item_id: i.published_at for i in batch}
    events_touched = event_rows.save_assignments(
        store, [(a.item_id, a.event_id, a.similarity) for a in assignments], published, now or datetime.now(UTC))
    summaries.forget_reading(store)  # a report's shared reading of the events is out of date now
    log.info("clustered %d new items into %d events", len(assignments), events_touched)
    return len(assignments)


# --- reading events ------------------------------------------------------------------------------


def event_summaries(store: Store, config: Config, start: datetime, end: datetime, *, language: str = "zh",
                    decay: bool = False, limit: int | None = None,
                    merge_near_duplicates: bool = False) -> list[EventSummary]:
    """The events with an item in [start, end) that names a configured bank, hottest first.

    Computed in one pass over one reading of the store, shared inside :func:`events_read_once`
    (see :mod:`reportgen.insight.summaries`, which says what each figure counts).
    """
    return summaries.event_summaries(store, config, start, end, decay=decay, limit=limit,
                                     merge_near_duplicates=merge_near_duplicates)


def event_ids_of(store: Store, item_ids: Sequence[str]) -> dict[str, str]:
    """Each clustered item's event."""
    return event_rows.event_ids_of(store, item_ids)


# --- alerts --------------------------------------------------------------------------------------


def day_closes(config: Config, day: date) -> datetime:
    """When ``day`` is over for its alerts: local midnight after it, or the next report day's start
    (``[report] day_start_hour``) when that is later.  Until then more of the day's news can come."""
    return day_start(day + timedelta(days=1), config.settings.tz, config.report.day_start_hour)


def compute_alerts(store: Store, config: Config, day: date, *, now: datetime | None = None,
                   force: bool = False) -> list[Alert]:
    """Raise and store ``day``'s alerts.  Once raised after the day closed (:func:`day_closes`) they
    are kept as they are, so a report for a past date shows them as they were (unless ``force``);
    alerts stored while the day was still in progress (a morning's ``alerts`` for today) saw only
    part of it and are raised again, from everything stored by now.  Returns what was raised now
    (nothing when the stored alerts are final)."""
    now = now or datetime.now(UTC)
    computed = event_rows.alerts_computed_at(store, day)
    if computed is not None and computed >= day_closes(config, day) and not force:
        return []
    raised = _raise(store, config, day)
    event_rows.replace_alerts(store, day, [{
        "day": a.day, "bank_id": a.bank_id, "kind": a.kind, "category": a.category, "level": a.level,
        "value": a.value, "centre": a.centre, "spread": a.spread, "event_ids": json.dumps(list(a.event_ids)),
        "reason_zh": a.reason_zh, "reason_en": a.reason_en} for a in raised], now)
    if raised:
        log.info("%d alerts for %s: %s", len(raised), day,
                 ", ".join(f"{a.bank_id} {a.kind} L{a.level}" for a in raised))
    return raised


def _raise(store: Store, config: Config, day: date) -> list[Alert]:
    tz = config.settings.tz
    settings = config.events.alerts
    first_day = day - timedelta(days=settings.baseline_days)
    start, end = day_start(first_day, tz), day_start(day + timedelta(days=1), tz)
    rows = event_rows.negative_judgements(store, start, end)  # newest first
    earliest = event_rows.earliest_published(store)
    history_from = max(first_day, earliest.astimezone(tz).date()) if earliest else day
    weights = config.events.channel_weights
    per_day: dict[tuple[str, date], list[float]] = defaultdict(lambda: [0.0, 0.0])
    main_category: dict[str, Counter[str]] = defaultdict(Counter)
    heats: dict[tuple[str, float | None], float] = {}
    for _item_id, bank_id, published_at, channel, weight, categories in rows:  # one row per (item, bank)
        local = published_at.astimezone(tz).date()
        cell = per_day[(bank_id, local)]
        cell[0] += 1
        heat = heats.get((channel, weight))
        if heat is None:
            heat = heats[(channel, weight)] = item_heat(channel, float(weight or 1.0), weights)
        cell[1] += heat
        if local == day and categories and categories != "[]":
            main_category[bank_id].update(c["code"] for c in json.loads(categories))
    day_events = event_summaries(store, config, day_start(day, tz), end, merge_near_duplicates=True)
    category_names = {c.code: (c.name_zh, c.name_en) for c in config.scoring.category_rules()}
    history_days = [history_from + timedelta(days=i) for i in range((day - history_from).days)]
    out: list[Alert] = []
    negative_events = negative_events_by_bank(day_events)
    for bank in config.banks:
        negatives, heat = per_day.get((bank.id, day), [0.0, 0.0])
        category_events = negative_events.get(bank.id, [])
        raised = bank_alerts(
            bank.id, bank.name, day, negatives=negatives,
            negative_history=[per_day.get((bank.id, d), [0.0, 0.0])[0] for d in history_days],
            heat=heat, heat_history=[per_day.get((bank.id, d), [0.0, 0.0])[1] for d in history_days],
            events=category_events, category_names=category_names, settings=settings)
        out.extend(with_incident_event(raised, main_category[bank.id], category_events))
    return out


def alert_summaries(store: Store, config: Config, first: date, last: date, language: str) -> tuple[AlertSummary, ...]:
    """The incidents alerted on ``first``..``last``, most severe first: one alert per incident, with
    every trigger's reason, the most severe trigger's level, and its playbook entry once.

    The stored rows are the triggers (volume, heat, category), one row each, as they were raised.
    """
    names = {b.id: b.name for b in config.banks}
    triggers = [Alert(r.bank_id, r.day, r.level, r.kind, r.value, r.centre, r.spread, r.category,
                      tuple(json.loads(r.event_ids)), r.reason_zh, r.reason_en)
                for r in event_rows.alert_rows(store, first, last)]
    out = []
    for group in incidents(triggers):
        head = group[0]
        by_kind = {t.kind: t for t in reversed(group)}  # each kind's most severe trigger
        category = by_kind["category"].category if "category" in by_kind else head.category
        entry = playbook_for(category, config.events.playbook)
        volume, heat = by_kind.get("volume"), by_kind.get("heat") or by_kind.get("category")
        out.append(AlertSummary(
            bank_id=head.bank_id, bank_name=names.get(head.bank_id, head.bank_id),
            day=min(t.day for t in group), level=head.level, kind=head.kind, reason=head.reason(language),
            category=category, negative_count=int(volume.value) if volume else 0,
            baseline=volume.centre if volume else head.centre, negative_heat=heat.value if heat else 0.0,
            event_ids=tuple(dict.fromkeys(e for t in group for e in t.event_ids)),
            actions=entry.actions(language), owner=entry.owner(language),
            kinds=tuple(dict.fromkeys(t.kind for t in group)), reasons=tuple(t.reason(language) for t in group)))
    out.sort(key=lambda a: (a.level, a.day, a.bank_id, a.kind, a.category or ""))  # 一级 (1) first
    return tuple(out)
