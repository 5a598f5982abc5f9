"""Alerts within minutes, and what became of them.

**Intraday alerting.**  :func:`evaluate_window` raises alerts over a rolling window (the last 24 hours
by default, ``[alerts.intraday] window_hours``) against the bank's own baseline: the same window on
each of the ``baseline_days`` days before, from where the stored history starts.  The rules are the
daily ones (:func:`reportgen.insight.alerts.bank_alerts`: volume, heat and category triggers, one
alert per incident), so a fetch every 10 minutes raises what the next morning's briefing will show.

**Incidents.**  Each alert is registered as an incident (``alert_incidents``) with a stable id that
people acknowledge it by.  An observation is the same incident as a stored one of the same bank when
they share an event (near-duplicates included), or, for a spike without an event, the same day.
Observed again, an incident keeps its id and its most severe level; a more severe level is an
escalation (升级).  A day's stored alerts are registered too (:func:`with_followup`), so every alert
a briefing shows has an id, a 处置状态 and the time it was first raised.

**Follow-up.**  :func:`acknowledge` (处理中) and :func:`resolve` (已处置) record who took an alert and
when, and cancel its pushes still waiting; an escalation reopens a resolved incident.
"""

from __future__ import annotations

import json
import logging
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

from reportgen.config.core import Config
from reportgen.errors import DataError
from reportgen.insight.alerts import (
    KIND_ORDER,
    Alert,
    bank_alerts,
    incidents,
    negative_events_by_bank,
    playbook_for,
    with_incident_event,
)
from reportgen.insight.events import item_heat
from reportgen.insight.incidents import event_summaries
from reportgen.models import AlertIncident, AlertSummary, EventSummary
from reportgen.periods import day_start
from reportgen.store import event_rows, incident_rows, push_rows
from reportgen.store.db import Store

log = logging.getLogger(__name__)

DAY = timedelta(days=1)
MATCH_DAYS = 3  # a day's alerts are matched with incidents first raised up to this many days around it
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True, slots=True)
class Observation:
    """One incident as an evaluation sees it now: the triggers of one bank and event."""

    bank_id: str
    key: str  # the first event's id, or "day YYYY-MM-DD"
    event_ids: tuple[str, ...]  # every event of it, near-duplicates included
    day: date
    level: int
    kind: str
    kinds: tuple[str, ...]
    category: str | None
    title: str = ""
    url: str | None = None
    first_source: str = ""
    first_published_at: datetime | None = None
    heat: float = 0.0
    growth: float = 0.0
    reprints: int = 0
    negatives: float = 0.0
    baseline: float = 0.0
    reasons_zh: tuple[str, ...] = ()
    reasons_en: tuple[str, ...] = ()


# --- the rolling window ---------------------------------------------------------------------------


def evaluate_window(store: Store, config: Config, end: datetime) -> tuple[datetime, list[Observation]]:
    """The incidents alerting over ``[end − window_hours, end)``; returns the window's start too."""
    settings = config.events.alerts
    hours = config.push.intraday.window_hours
    tz = config.settings.tz
    start = end - timedelta(hours=hours)
    earliest = event_rows.earliest_published(store)
    # history: the same window k days earlier, k = 1..baseline_days, where stored history covers it
    history_from = day_start(earliest.astimezone(tz).date(), tz) if earliest else end
    blocks = [k for k in range(1, settings.baseline_days + 1) if start - k * DAY >= history_from]
    rows = incident_rows.negative_mentions(store, start - max(blocks, default=0) * DAY, end)
    weights = config.events.channel_weights
    current: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    recent: dict[str, float] = defaultdict(float)  # negative heat in the last growth_hours, per bank
    growth_from = end - timedelta(hours=config.push.intraday.growth_hours)
    history: dict[tuple[str, int], list[float]] = defaultdict(lambda: [0.0, 0.0])
    main_category: dict[str, Counter[str]] = defaultdict(Counter)
    seen: set[tuple[str, str]] = set()
    wanted = set(blocks)
    for r in rows:
        if (r["item_id"], r["bank_id"]) in seen:
            continue
        seen.add((r["item_id"], r["bank_id"]))
        published, bank_id = r["published_at"], r["bank_id"]
        heat = item_heat(r["channel"], float(r.get("weight") or 1.0), weights)
        if start <= published < end:
            current[bank_id][0] += 1
            current[bank_id][1] += heat
            if published >= growth_from:
                recent[bank_id] += heat
            main_category[bank_id].update(c["code"] for c in json.loads(r["categories"] or "[]"))
        # the blocks k with start − k·day ≤ published < end − k·day
        for k in range(max(math.ceil((start - published) / DAY), 1), math.ceil((end - published) / DAY)):
            if k in wanted:
                history[(bank_id, k)][0] += 1
                history[(bank_id, k)][1] += heat
    events = event_summaries(store, config, start, end, merge_near_duplicates=True)
    growth_events = event_summaries(store, config, growth_from, end)
    category_names = {c.code: (c.name_zh, c.name_en) for c in config.scoring.category_rules()}
    when = (f"近{hours:g}小时", f"in the last {hours:g} hours")
    day = end.astimezone(tz).date()
    out: list[Observation] = []
    negative_events, index = negative_events_by_bank(events), by_event_id(events)
    for bank in config.banks:
        negatives, heat = current.get(bank.id, [0.0, 0.0])
        category_events = negative_events.get(bank.id, [])
        raised = bank_alerts(
            bank.id, bank.name, day, negatives=negatives,
            negative_history=[history.get((bank.id, k), [0.0, 0.0])[0] for k in blocks],
            heat=heat, heat_history=[history.get((bank.id, k), [0.0, 0.0])[1] for k in blocks],
            events=category_events, category_names=category_names, settings=settings, when=when)
        triggers = with_incident_event(raised, main_category[bank.id], category_events)
        seen_now = [observation(group, events, growth_events, bank_growth=recent.get(bank.id, 0.0), index=index)
                    for group in incidents(triggers)]
        out += merged(seen_now)
    return start, out


def merged(observations: Sequence[Observation]) -> list[Observation]:
    """Observations of one bank that share an event are one incident: a category trigger lists
    every hot event of its category, the volume trigger the hottest of them."""
    out: list[Observation] = []
    for obs in observations:
        overlapping = [o for o in out if o.bank_id == obs.bank_id and set(o.event_ids) & set(obs.event_ids)]
        for other in overlapping:
            out.remove(other)
            obs = _combined(other, obs)
        out.append(obs)
    return out


def _combined(a: Observation, b: Observation) -> Observation:
    head, tail = (a, b) if (a.level, KIND_ORDER.get(a.kind, 9)) <= (b.level, KIND_ORDER.get(b.kind, 9)) else (b, a)
    category = next((o.category for o in (head, tail) if "category" in o.kinds and o.category), head.category)
    event_ids = tuple(dict.fromkeys([*head.event_ids, *tail.event_ids]))
    return replace(
        head, key=head.key, event_ids=event_ids, kinds=tuple(dict.fromkeys([*head.kinds, *tail.kinds])),
        category=category, heat=max(head.heat, tail.heat), growth=max(head.growth, tail.growth),
        reprints=max(head.reprints, tail.reprints), negatives=max(head.negatives, tail.negatives),
        baseline=head.baseline or tail.baseline, title=head.title or tail.title, url=head.url or tail.url,
        first_source=head.first_source or tail.first_source,
        first_published_at=head.first_published_at or tail.first_published_at,
        reasons_zh=head.reasons_zh + tail.reasons_zh, reasons_en=head.reasons_en + tail.reasons_en)


def by_event_id(events: Sequence[EventSummary]) -> dict[str, EventSummary]:
    """Each event id of ``events``, near-duplicates merged into an event included, → its event."""
    return {i: e for e in events for i in e.event_ids}


def observation(group: Sequence[Alert], events: Sequence[EventSummary],
                growth_events: Sequence[EventSummary] = (), *, bank_growth: float = 0.0,
                index: Mapping[str, EventSummary] | None = None) -> Observation:
    """One incident's triggers (most severe first) with its event's headline, first source, heat
    for the bank and the heat it gained lately (``growth_events``: the events of the last hours).
    ``index`` is :func:`by_event_id` of ``events``, when several incidents read the same events.

    An incident a heat or volume trigger raised is as hot as the bank's negative coverage in the
    window, and grows as fast (``bank_growth``); one a category trigger raised alone, as its event.
    """
    head = group[0]
    by_kind = {t.kind: t for t in reversed(group)}  # each kind's most severe trigger
    category = by_kind["category"].category if "category" in by_kind else head.category
    trigger_ids = tuple(dict.fromkeys(e for t in group for e in t.event_ids))
    by_id = index if index is not None else by_event_id(events)  # near-duplicates merged into an event, too
    event = by_id.get(trigger_ids[0]) if trigger_ids else None
    merged_ids = (i for t in trigger_ids if t in by_id for i in by_id[t].event_ids)
    event_ids = tuple(dict.fromkeys([*trigger_ids, *merged_ids]))
    volume = by_kind.get("volume")
    heat = event.bank_heat.get(head.bank_id, event.heat) if event is not None else 0.0
    wanted = set(event_ids)
    growth = sum(e.bank_heat.get(head.bank_id, 0.0) for e in growth_events if wanted & set(e.event_ids))
    if "heat" in by_kind or "volume" in by_kind:
        heat = max(heat, by_kind["heat"].value if "heat" in by_kind else 0.0)
        growth = max(growth, bank_growth)
    return Observation(
        bank_id=head.bank_id, key=trigger_ids[0] if trigger_ids else f"day {head.day.isoformat()}",
        event_ids=event_ids, day=min(t.day for t in group), level=head.level, kind=head.kind,
        kinds=tuple(dict.fromkeys(t.kind for t in group)), category=category,
        title=event.title if event else "", url=event.url if event else None,
        first_source=event.first_source if event else "",
        first_published_at=event.first_published_at if event else None, heat=round(heat, 2),
        growth=round(growth, 2), reprints=event.reprint_count if event else 0,
        negatives=volume.value if volume else 0.0, baseline=volume.centre if volume else head.centre,
        reasons_zh=tuple(t.reason_zh for t in group), reasons_en=tuple(t.reason_en for t in group))


# --- the register ---------------------------------------------------------------------------------


def observe(store: Store, config: Config, observations: Sequence[Observation], now: datetime, *,
            source: str = "intraday", candidates: list[AlertIncident] | None = None,
            ) -> list[tuple[AlertIncident, str]]:
    """Record what an evaluation saw: each observation joins its stored incident or starts one.

    Returns each incident with what changed: ``new``, ``escalated`` (a more severe level than it
    ever had) or ``seen``.  ``candidates`` are the stored incidents to match against (default: those
    of the observed banks first raised in the last window and ``MATCH_DAYS`` before it); new and
    updated incidents are put in the list.
    """
    if not observations:
        return []
    if candidates is None:
        since = (now - timedelta(hours=config.push.intraday.window_hours) - MATCH_DAYS * DAY).astimezone(
            config.settings.tz).date()
        candidates = incident_rows.of_banks_since(store, {o.bank_id for o in observations}, since)
    out: list[tuple[AlertIncident, str]] = []
    for obs in observations:
        found = match(obs.bank_id, obs.event_ids, obs.key, candidates,
                      spike_day=spike_day(obs.kinds, _local_day(obs, now, source, config)))
        if found is None:
            incident = incident_rows.insert(store, _new_values(obs, now, source, config))
            candidates.append(incident)
            log.info("alert %d raised: %s L%d %s", incident.incident_id, obs.bank_id, obs.level, obs.kind)
            out.append((incident, "new"))
            continue
        incident, change = _seen_again(store, found, obs, now)
        candidates[candidates.index(found)] = incident
        out.append((incident, change))
    return out


SPIKE_KINDS = frozenset({"volume", "heat"})  # the bank's coverage as a whole, not one event


def match(bank_id: str, event_ids: Iterable[str], key: str, candidates: Sequence[AlertIncident], *,
          spike_day: date | None = None) -> AlertIncident | None:
    """The stored incident an observation belongs to: the same bank and a shared event (or the same
    day, for a spike without an event); the newest such incident.

    ``spike_day``: the observation carries a volume or heat trigger, a signal about the bank's whole
    coverage that attaches to whichever event is hottest at the time.  There is one such signal per
    bank and day: without a shared event it joins the bank's incident of that day that carries one.
    """
    wanted = set(event_ids)
    for c in reversed(candidates):
        if c.bank_id != bank_id:
            continue
        if (wanted and wanted & set(c.event_ids)) or (not wanted and c.incident_key == key):
            return c
    if spike_day is not None:
        for c in reversed(candidates):
            if c.bank_id == bank_id and c.day == spike_day and SPIKE_KINDS & set(c.kinds):
                return c
    return None


def spike_day(kinds: Iterable[str], day: date) -> date | None:
    """``day`` when ``kinds`` are only volume or heat triggers (see :func:`match`): an observation that
    also carries a category trigger is about its own story, and joins an incident only by a shared event
    (a new story must raise, and push, an incident of its own)."""
    found = set(kinds)
    return day if found and found <= SPIKE_KINDS else None


def _local_day(obs: Observation, now: datetime, source: str, config: Config) -> date:
    """The local day an observation raises an incident on: today for the rolling window's, the
    alert's day for a day's stored alerts registered."""
    return now.astimezone(config.settings.tz).date() if source == "intraday" else obs.day


def _new_values(obs: Observation, now: datetime, source: str, config: Config) -> dict[str, Any]:
    return {
        "bank_id": obs.bank_id, "incident_key": obs.key[:64], "event_ids": obs.event_ids,
        "day": _local_day(obs, now, source, config),
        "level": obs.level, "first_level": obs.level, "current_level": obs.level, "kind": obs.kind,
        "kinds": obs.kinds, "category": obs.category, "title": obs.title, "url": obs.url,
        "first_source": obs.first_source, "first_published_at": obs.first_published_at, "heat": obs.heat,
        "growth": obs.growth, "reprints": obs.reprints, "negatives": obs.negatives, "baseline": obs.baseline,
        "reasons_zh": obs.reasons_zh, "reasons_en": obs.reasons_en, "source": source,
        "first_raised_at": now, "last_seen_at": now, "state": "open",
    }


def _seen_again(store: Store, stored: AlertIncident, obs: Observation, now: datetime) -> tuple[AlertIncident, str]:
    escalated = obs.level < stored.level
    values: dict[str, Any] = {
        "event_ids": tuple(dict.fromkeys([*stored.event_ids, *obs.event_ids])),
        "kinds": tuple(dict.fromkeys([*stored.kinds, *obs.kinds])),
        "last_seen_at": max(now, stored.last_seen_at),
    }
    if now >= stored.last_seen_at:  # the latest look at it (a day's alerts registered late are not)
        values.update(current_level=obs.level, heat=obs.heat, growth=obs.growth,
                      reprints=max(obs.reprints, stored.reprints), negatives=obs.negatives, baseline=obs.baseline)
        for name in ("title", "url", "first_source", "first_published_at"):
            if not getattr(stored, name) and getattr(obs, name):
                values[name] = getattr(obs, name)
    if obs.level <= stored.level:  # the reasons of the most severe level it reached
        values.update(reasons_zh=obs.reasons_zh, reasons_en=obs.reasons_en)
    if escalated:
        values.update(level=obs.level, escalated_at=now, kind=obs.kind, category=obs.category or stored.category)
        if stored.state == "resolved":  # it flared up again after it was dealt with: who did, and
            values.update(state="open", reopened_at=now)  # when, stay on record (resolved_by, _at)
        log.info("alert %d escalated: L%d → L%d", stored.incident_id, stored.level, obs.level)
    return incident_rows.update(store, stored.incident_id, values), "escalated" if escalated else "seen"


# --- follow-up ------------------------------------------------------------------------------------


def get_incident(store: Store, incident_id: int) -> AlertIncident:
    found = incident_rows.get(store, incident_id)
    if found is None:
        raise DataError(f"no alert with id {incident_id}",
                        hint="`reportgen alerts --days 7` lists the recent alerts with their ids")
    return found


def acknowledge(store: Store, incident_id: int, by: str, note: str | None, now: datetime) -> AlertIncident:
    """处理中: ``by`` has taken the alert.  Its reminders stop; a second ack changes nothing."""
    incident = get_incident(store, incident_id)
    if incident.state != "open":
        return incident
    incident = incident_rows.update(store, incident_id, {"state": "acked", "acked_by": _name(by), "acked_at": now,
                                                         "ack_note": _note(note)})
    push_rows.cancel_waiting(store, incident_id, f"cancelled: acknowledged by {incident.acked_by}")
    log.info("alert %d acknowledged by %s", incident_id, incident.acked_by)
    return incident


def resolve(store: Store, incident_id: int, by: str | None, note: str | None, now: datetime) -> AlertIncident:
    """已处置: the alert was dealt with.  Pushes still waiting are cancelled."""
    incident = get_incident(store, incident_id)
    if incident.state == "resolved":
        return incident
    incident = incident_rows.update(store, incident_id, {"state": "resolved", "resolved_by": _name(by) if by else None,
                                                         "resolved_at": now, "resolve_note": _note(note)})
    push_rows.cancel_waiting(store, incident_id, "cancelled: resolved")
    log.info("alert %d resolved", incident_id)
    return incident


def _name(value: str) -> str:
    name = _CONTROL_RE.sub(" ", value).strip()[:100]
    if not name:
        raise DataError("--by: expected the name of whoever takes the alert")
    return name


def _note(value: str | None) -> str | None:
    if not value:
        return None
    return _CONTROL_RE.sub(" ", value).strip()[:1000] or None


# --- the briefing's view --------------------------------------------------------------------------


def with_followup(store: Store, config: Config, summaries: Sequence[AlertSummary], first: date, last: date,
                  language: str) -> tuple[AlertSummary, ...]:
    """The period's alerts with their follow-up: each alert's incident (id, first raised, 处置状态,
    acknowledgement) and first push, and the incidents raised within the hour in the period that the
    day's computation did not see, most severe first.

    The day's stored alerts not yet registered are registered here, at the time they were computed.
    """
    _register_days(store, config, first, last)
    candidates = incident_rows.of_banks_since(store, {b.id for b in config.banks}, first - MATCH_DAYS * DAY)
    candidates = [c for c in candidates if c.day <= last + MATCH_DAYS * DAY]
    pushed = push_rows.first_sent(store, [c.incident_id for c in candidates])
    out: list[AlertSummary] = []
    linked: dict[int, int] = {}  # incident id → its alert's place in ``out``
    for summary in summaries:
        key = summary.event_ids[0] if summary.event_ids else f"day {summary.day.isoformat()}"
        found = match(summary.bank_id, summary.event_ids, key, candidates,
                      spike_day=spike_day(summary.all_kinds, summary.day))
        if found is None:
            out.append(summary)
            continue
        if found.incident_id in linked:  # two of the day's groups are one incident: one alert
            place = linked[found.incident_id]
            joined = _joined(out[place], summary)
            entry = playbook_for(joined.category, config.events.playbook)
            joined = replace(joined, actions=entry.actions(language), owner=entry.owner(language))
            out[place] = replace(at_highest_level(joined, found, language), incident=found,
                                 first_pushed_at=pushed.get(found.incident_id))  # the join may head with the new one
            continue
        linked[found.incident_id] = len(out)
        out.append(replace(at_highest_level(summary, found, language), incident=found,
                           first_pushed_at=pushed.get(found.incident_id)))
    names = {b.id: b.name for b in config.banks}
    for incident in candidates:
        if incident.incident_id in linked or not first <= incident.day <= last:
            continue
        out.append(_summary(incident, names.get(incident.bank_id, incident.bank_id), config, language,
                            pushed.get(incident.incident_id)))
    out.sort(key=lambda a: (a.level, a.day, a.bank_id, a.kind, a.category or ""))
    return tuple(out)


def _joined(a: AlertSummary, b: AlertSummary) -> AlertSummary:
    """Two alerts of one incident as one: the more severe first, every trigger's reason once."""
    head, tail = (a, b) if (a.level, KIND_ORDER.get(a.kind, 9)) <= (b.level, KIND_ORDER.get(b.kind, 9)) else (b, a)
    category = next((s.category for s in (head, tail) if "category" in s.all_kinds and s.category), head.category)
    return replace(head, day=min(a.day, b.day), category=category,
                   kinds=tuple(dict.fromkeys([*head.all_kinds, *tail.all_kinds])),
                   reasons=tuple(dict.fromkeys([*head.all_reasons, *tail.all_reasons])),
                   event_ids=tuple(dict.fromkeys([*head.event_ids, *tail.event_ids])),
                   negative_count=max(a.negative_count, b.negative_count),
                   baseline=head.baseline if head.negative_count else tail.baseline,
                   negative_heat=max(a.negative_heat, b.negative_heat))


def at_highest_level(summary: AlertSummary, incident: AlertIncident, language: str) -> AlertSummary:
    """One level per incident, everywhere: the most severe it reached.  A day's totals can read
    milder than the rolling window at its peak (a wave of reprints within 24 hours across midnight,
    or a day whose news came in the small hours), and the duty desk was pushed that peak; the day's
    alert then takes the incident's level, with the reasons it reached it for, before the day's own.
    Whether it has cooled since is the incident's ``current_level``."""
    if incident.level >= summary.level:
        return summary
    peak = incident.reasons(language)
    reasons = tuple(dict.fromkeys([*peak, *summary.all_reasons]))
    return replace(summary, level=incident.level, kind=incident.kind, reason=reasons[0], reasons=reasons,
                   kinds=tuple(dict.fromkeys([incident.kind, *summary.all_kinds])))


def _summary(incident: AlertIncident, bank_name: str, config: Config, language: str,
             first_pushed_at: datetime | None) -> AlertSummary:
    entry = playbook_for(incident.category, config.events.playbook)
    reasons = incident.reasons(language)
    return AlertSummary(
        bank_id=incident.bank_id, bank_name=bank_name, day=incident.day, level=incident.level, kind=incident.kind,
        reason=reasons[0] if reasons else "", category=incident.category, negative_count=int(incident.negatives),
        baseline=incident.baseline, negative_heat=incident.heat, event_ids=incident.event_ids,
        actions=entry.actions(language), owner=entry.owner(language), kinds=incident.kinds, reasons=reasons,
        incident=incident, first_pushed_at=first_pushed_at)


def _register_days(store: Store, config: Config, first: date, last: date) -> None:
    """Register the stored alerts of days ``first``..``last`` that no incident holds yet."""
    rows = event_rows.alert_rows(store, first, last)
    if not rows:
        return
    computed = {(r.bank_id, r.day): r.computed_at for r in rows}
    triggers = [Alert(r.bank_id, r.day, r.level, r.kind, r.value, r.centre, r.spread, r.category,
                      tuple(json.loads(r.event_ids)), r.reason_zh, r.reason_en) for r in rows]
    candidates = incident_rows.of_banks_since(store, {t.bank_id for t in triggers}, first - MATCH_DAYS * DAY)
    tz = config.settings.tz
    day_events: dict[date, tuple[list[EventSummary], dict[str, EventSummary]]] = {}  # with by_event_id
    for group in incidents(triggers):
        head = group[0]
        key = head.event_ids[0] if head.event_ids else f"day {head.day.isoformat()}"
        ids = [e for t in group for e in t.event_ids]
        found = match(head.bank_id, ids, key, candidates,
                      spike_day=spike_day((t.kind for t in group), min(t.day for t in group)))
        if found is not None and found.level <= head.level:
            continue
        day = min(t.day for t in group)
        if day not in day_events:
            events = event_summaries(store, config, day_start(day, tz), day_start(day + DAY, tz),
                                     merge_near_duplicates=True)
            day_events[day] = (events, by_event_id(events))
        at = computed.get((head.bank_id, day)) or datetime.now(tz)
        events, index = day_events[day]
        observe(store, config, [observation(group, events, index=index)], at, source="daily",
                candidates=candidates)
