"""Event summaries: the figures of every event of a window, from one reading and one pass.

A report needs each event's heat, reprint count, sources, channels, banks, judgement and
categories, for its whole period and, when it raises alerts, for each day of it.  A busy day has
tens of thousands of events, so nothing here works event by event against the store or a data
frame: :meth:`EventBook.read` reads every copy of every event with a copy in the window, each
with its item's judgements, in two queries (:func:`reportgen.store.event_rows.event_copies`),
groups them into each event's copies in one pass, and :meth:`EventBook.summaries` computes every
event's figures in one loop over those copies, for the window read or any window inside it: an
event of one copy (most of a busy day's) the short way, from figures worked out once for every
item judged alike.  Memory is bounded by the window's events.

:func:`events_read_once` shares one reading between everything a report computes: the alerts of
each of its days and the report's own events read the store once, after clustering, and a window
asked for again (a daily report's day: its alerts, their follow-up and its events table) is
summarised once.
"""

from __future__ import annotations

import gc
import json
import logging
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from operator import itemgetter
from typing import Any

from reportgen.config.core import Config
from reportgen.insight.duplicates import bank_terms_of, incident_groups, near_duplicate_groups
from reportgen.insight.events import item_heat
from reportgen.models import EventSummary, isolated
from reportgen.periods import Window
from reportgen.store import event_rows
from reportgen.store.db import Store

log = logging.getLogger(__name__)

__all__ = ["LABEL_ORDER", "EventBook", "event_summaries", "events_read_once", "forget_reading", "no_collection",
           "window_items"]

LABEL_ORDER = {"negative": 0, "neutral": 1, "positive": 2}


# One copy of an event: (published at (aware UTC), item id, title, url, source name, channel, source
# weight, event id), the row as read; tuples sort by publication, then item id, the order the
# summaries read them in.
_Copy = event_rows.EventCopyRow
_published = itemgetter(0)


class EventBook:
    """The events with a copy in [``start``, ``end``), each with all its copies up to ``end``."""

    def __init__(self, start: datetime, end: datetime, events: dict[str, list[_Copy]],
                 copies: list[_Copy] | None = None) -> None:
        self.start, self.end = start.astimezone(UTC), end.astimezone(UTC)
        self._events = events  # event id → copies, earliest first
        self._copies = copies or []  # every item read: the window's, clustered or not, and earlier copies
        # (config, start, end, decay, merged) → summaries: a day's alerts and its report ask for the same
        self._computed: dict[tuple[int, datetime, datetime, bool, bool], tuple[Config, list[EventSummary]]] = {}

    @classmethod
    def read(cls, store: Store, start: datetime, end: datetime) -> EventBook:
        """A few queries (see :func:`reportgen.store.event_rows.event_copies`), grouped in one pass."""
        with no_collection():
            return cls._read(store, start, end)

    @classmethod
    def _read(cls, store: Store, start: datetime, end: datetime) -> EventBook:
        copies = event_rows.event_copies(store, start, end)
        events: dict[str, list[_Copy]] = defaultdict(list)
        for copy in copies:
            if copy[7] is not None:  # an item not clustered yet: counted (see items), in no event
                events[copy[7]].append(copy)
        for members in events.values():
            if len(members) > 1:
                members.sort()
        log.debug("read %d events with a copy in [%s, %s)", len(events), start, end)
        return cls(start, end, dict(events), copies)

    def covers(self, start: datetime, end: datetime) -> bool:
        return self.start <= start and end <= self.end

    def __len__(self) -> int:
        return len(self._events)

    def items(self, start: datetime, end: datetime) -> list[_Copy]:
        """Every item published in [start, end) (inside the window read), clustered or not, as read."""
        if not self.covers(start, end):
            raise ValueError(f"[{start}, {end}) is not inside the window read, [{self.start}, {self.end})")
        start, end = start.astimezone(UTC), end.astimezone(UTC)  # as the copies' times: plain comparisons
        return [c for c in self._copies if start <= c[0] < end]

    def summaries(self, config: Config, start: datetime, end: datetime, *, decay: bool = False,
                  merge_near_duplicates: bool = False, limit: int | None = None) -> list[EventSummary]:
        """The events with a copy in [start, end) (inside the window read) that name a configured
        bank, hottest first; see :func:`event_summaries`."""
        if not self.covers(start, end):
            raise ValueError(f"[{start}, {end}) is not inside the window read, [{self.start}, {self.end})")
        start, end = start.astimezone(UTC), end.astimezone(UTC)
        key = (id(config), start, end, decay, merge_near_duplicates)
        found = self._computed.get(key)
        if found is None or found[0] is not config:
            with no_collection():
                summarised = self._summaries(config, start, end, decay, merge_near_duplicates)
            found = self._computed[key] = (config, summarised)
        return found[1][:limit] if limit else list(found[1])

    def _summaries(self, config: Config, start: datetime, end: datetime, decay: bool,
                   merge_near_duplicates: bool) -> list[EventSummary]:
        figures = _Figures(config, end, decay)
        out: list[EventSummary] = []
        append, summary, single = out.append, figures.summary, figures.single
        for event_id, copies in self._events.items():
            if len(copies) == 1:  # most events: one copy, its figures shared with every copy like it
                if start <= copies[0][0] < end:
                    found = single(event_id, copies[0])
                    if found is not None:
                        append(found)
                continue
            inside = _inside(copies, start, end)
            if inside is not None:
                found = summary(event_id, *inside)
                if found is not None:
                    append(found)
        if merge_near_duplicates:
            out = _merged(out, near_duplicate_groups(out), self._events, figures, start, end)
            out = _merged(out, incident_groups(out, bank_terms_of([b.terms for b in config.banks])), self._events,
                          figures, start, end)
        out.sort(key=lambda e: (-e.heat, e.first_published_at, e.event_id))
        return out


@contextmanager
def no_collection() -> Iterator[None]:
    """No cyclic garbage collection while a busy period's rows, summaries and counts are built:
    they are hundreds of thousands of tuples and records, none of them garbage, that the collector
    would otherwise walk again and again as they grow (a tenth to a fifth of the time).  What
    garbage there is, is collected after."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _inside(copies: list[_Copy], start: datetime, end: datetime) -> tuple[list[_Copy], int] | None:
    """An event's copies up to ``end`` and the index of its first copy from ``start``; ``None``
    when it has no copy in [start, end)."""
    hi = len(copies) if copies[-1][0] < end else bisect_left(copies, end, key=_published)
    lo = 0 if copies[0][0] >= start else bisect_left(copies, start, hi=hi, key=_published)
    if lo >= hi:
        return None
    return (copies[:hi] if hi < len(copies) else copies), lo


def _merged(out: list[EventSummary], representative: Mapping[str, str], events: Mapping[str, list[_Copy]],
            figures: _Figures, start: datetime, end: datetime) -> list[EventSummary]:
    """The summaries of ``out`` folded into their group's earliest (``representative``: each
    summary's id → its group's), its figures over all copies of every event folded in."""
    of_id = {s.event_id: s for s in out}
    members: dict[str, list[str]] = defaultdict(list)
    for event_id, keep in representative.items():
        if event_id != keep:
            members[keep].append(event_id)
    if not members:
        return out
    folded = {e for ids in members.values() for e in ids}
    kept = []
    for summary in out:
        if summary.event_id in folded:
            continue
        extra = members.get(summary.event_id)
        if extra:
            ids = [e for s in (summary, *(of_id[x] for x in extra)) for e in s.event_ids]
            copies = []
            for e in ids:
                inside = _inside(events[e], start, end)
                if inside is not None:  # a folded story: a copy inside the window (its near-duplicates may not)
                    copies += inside[0]
            copies.sort()
            merged = figures.summary(summary.event_id, copies, bisect_left(copies, start, key=_published))
            assert merged is not None  # its own copies already named a configured bank
            group = (summary, *(of_id[x] for x in extra))
            if merged.label != "negative" and any(s.label == "negative" for s in group):
                # an incident with bad news in it stays bad news, however widely the bank's own statement
                # (judged neutral) is reprinted: its alert, its playbook line and page 1 depend on it
                merged = replace(merged, label="negative")
            summary = replace(merged, merged_event_ids=tuple(sorted(ids[1:])))
        kept.append(summary)
    return kept


class _Figures:
    """One event's figures from its copies: what the report shows of it."""

    def __init__(self, config: Config, end: datetime, decay: bool) -> None:
        self.names = {b.id: b.name for b in config.banks}
        self.weights = config.events.channel_weights
        self.half_life = config.events.events.half_life_days if decay else None
        self.tz = config.settings.tz
        self.end = end
        self._judged: dict[str | None, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {}  # see judged
        self._heat: dict[tuple[str, float], float] = {}
        self._codes: dict[str, tuple[str, ...]] = {}
        self.rank = {b: i for i, b in enumerate(self.names)}
        self._bank_names: dict[tuple[str, ...], tuple[str, ...]] = {}
        # the banks an event's judgements name, in their order → (bank_order, bank_names)
        self._ordered: dict[tuple[str, ...], tuple[tuple[str, ...], tuple[str, ...]]] = {}
        # an item's packed judgements → what a one-copy event of that item shows (see single)
        self._alike: dict[str, tuple[Any, ...]] = {}
        self._rounded: dict[tuple[str, float], float] = {}  # (channel, source weight) → rounded heat

    def heat(self, copy: _Copy) -> float:
        if self.half_life:
            age_days = (self.end - copy[0]).total_seconds() / 86400
            return item_heat(copy[5], copy[6], self.weights, half_life_days=self.half_life, age_days=age_days)
        key = (copy[5], copy[6])
        found = self._heat.get(key)
        if found is None:
            found = self._heat[key] = item_heat(copy[5], copy[6], self.weights)
        return found

    def codes(self, categories: str) -> tuple[str, ...]:
        found = self._codes.get(categories)
        if found is None:  # a few distinct JSON lists repeat across thousands of judgements
            found = self._codes[categories] = tuple(c["code"] for c in json.loads(categories))
        return found

    def judged(self, packed: str | None) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
        """An item's judgements as the summaries count them: the banks it names (by bank id), the
        labels of those scored, and every category code of them (repeats counted)."""
        judgements = event_rows.unpack_judgements(packed)
        codes = [code for _, _, raw in judgements if raw and raw != "[]" for code in self.codes(raw)]
        found = self._judged[packed] = (tuple(j[0] for j in judgements),
                                        tuple(j[1] for j in judgements if j[1] is not None), tuple(codes))
        return found

    def single(self, event_id: str, copy: _Copy) -> EventSummary | None:
        """:meth:`summary` of an event of one copy (inside the window), the short way: its banks,
        judgement and categories are those of its judgements, worked out once for every item judged
        alike, and its heat the copy's (unless the heat decays with age)."""
        judged = copy[8]
        if not judged or self.half_life:
            return self.summary(event_id, [copy], 0)
        alike = self._alike.get(judged)
        if alike is None:
            found = self.summary(event_id, [copy], 0)
            assert found is not None  # a judgement names a bank
            alike = self._alike[judged] = (found.bank_ids, found.bank_names, found.label, found.categories,
                                           tuple(found.bank_heat))
        bank_ids, bank_names, label, categories, heated = alike
        key = (copy[5], copy[6])
        heat = self._rounded.get(key)
        if heat is None:
            heat = self._rounded[key] = round(self.heat(copy), 2)
        first_at = copy[0].astimezone(self.tz)
        return EventSummary(event_id, isolated(str(copy[2])), copy[3] or None, str(copy[4]), str(copy[5]), first_at,
                            1, 1, (copy[5],), bank_ids, bank_names, label, categories, heat,
                            dict.fromkeys(heated, heat), first_at)

    def summary(self, event_id: str, copies: list[_Copy], first_inside: int) -> EventSummary | None:
        """The event's figures: heat, banks, judgement and categories from its copies inside the window
        (``copies[first_inside:]``), reprints, sources and channels from all its copies up to the
        window's end.  ``None`` when no copy inside the window names a bank."""
        total = 0.0
        bank_heat: dict[str, float] = {}
        labels: dict[str, int] = {}
        categories: dict[str, int] = {}
        judged, heats = self._judged, None if self.half_life else self._heat
        for copy in copies[first_inside:] if first_inside else copies:
            h = heats.get((copy[5], copy[6])) if heats is not None else None
            if h is None:
                h = self.heat(copy)
            total += h
            found = judged.get(copy[8])
            if found is None:  # a few thousand ways to judge an item: each is read once
                found = self.judged(copy[8])
            banks, named_labels, codes = found
            for bank_id in banks:
                bank_heat[bank_id] = bank_heat.get(bank_id, 0.0) + h
            for label in named_labels:
                labels[label] = labels.get(label, 0) + 1
            for code in codes:
                categories[code] = categories.get(code, 0) + 1
        if not bank_heat:
            return None  # no configured bank in the window's copies: not a story the briefing is about
        first = copies[0]
        first_at = first[0].astimezone(self.tz)
        if len(labels) == 1:
            label = next(iter(labels))
        else:
            label = min(labels, key=lambda k: (-labels[k], LABEL_ORDER[k])) if labels else "neutral"
        if len(copies) == 1:
            channels: tuple[str, ...] = (first[5],)
            sources = 1
            last_at = first_at
        else:
            counted: dict[str, int] = {}
            for c in copies:
                counted[c[5]] = counted.get(c[5], 0) + 1
            if len(counted) == 1:
                channels = (first[5],)
            else:
                channels = tuple(c for c, _ in sorted(counted.items(), key=lambda kv: (-kv[1], kv[0])))
            sources = len({c[4] for c in copies})
            last_at = copies[-1][0].astimezone(self.tz)
        named = tuple(bank_heat)
        ordered = self._ordered.get(named)
        if ordered is None:  # a few combinations of banks repeat across thousands of events
            bank_ids = self.bank_order(bank_heat)
            ordered = self._ordered[named] = (bank_ids, self.bank_names(bank_ids))
        bank_ids, bank_names = ordered
        if len(categories) < 2:
            ordered_categories = tuple(categories)
        else:
            ordered_categories = tuple(c for c, _ in sorted(categories.items(), key=lambda kv: (-kv[1], kv[0])))
        return EventSummary(
            event_id, isolated(str(first[2])), first[3] or None, str(first[4]), str(first[5]), first_at,
            len(copies), sources, channels, bank_ids, bank_names, label, ordered_categories,
            round(total, 2), {b: round(h, 2) for b, h in bank_heat.items()}, last_at,
        )

    def bank_order(self, bank_heat: Mapping[str, float]) -> tuple[str, ...]:
        """The banks an event names: the configured ones in the configuration's order, then others by id."""
        if len(bank_heat) == 1:
            return tuple(bank_heat)
        rank = self.rank
        if rank.keys() >= bank_heat.keys():
            return tuple(sorted(bank_heat, key=rank.__getitem__))
        bank_ids = tuple(b for b in self.names if b in bank_heat)
        return bank_ids + tuple(sorted(set(bank_heat) - set(self.names)))

    def bank_names(self, bank_ids: tuple[str, ...]) -> tuple[str, ...]:
        found = self._bank_names.get(bank_ids)
        if found is None:  # a few combinations of banks repeat across thousands of events
            found = self._bank_names[bank_ids] = tuple(self.names.get(b, b) for b in bank_ids)
        return found


# --- one reading per report ----------------------------------------------------------------------


@dataclass
class _Reading:
    store: Store
    start: datetime
    end: datetime
    book: EventBook | None = None  # read on first use

    def covers(self, store: Store, start: datetime, end: datetime) -> bool:
        return store is self.store and self.start <= start and end <= self.end


_READING: ContextVar[_Reading | None] = ContextVar("reportgen_event_reading", default=None)


@contextmanager
def events_read_once(store: Store, config: Config, first: date, last: date) -> Iterator[None]:
    """Inside, the event summaries of days ``first``..``last`` come from one reading of the store.

    The window covers the report's days (from ``[report] day_start_hour``) and the alerts' days
    (from midnight), so the alerts of each day and the report's events share it.  The store is read
    on first use, and again after :func:`forget_reading` (clustering calls it when it assigns items).
    """
    tz, hour = config.settings.tz, config.report.day_start_hour
    report, days = Window.for_days(first, last, tz, hour), Window.for_days(first, last, tz)
    start, end = min(report.start, days.start), max(report.end, days.end)
    active = _READING.get()
    if active is not None and active.covers(store, start, end):
        yield  # an enclosing reading already covers these days
        return
    token = _READING.set(_Reading(store, start, end))
    try:
        yield
    finally:
        _READING.reset(token)


def forget_reading(store: Store) -> None:
    """The store's events changed: the next summary inside :func:`events_read_once` reads again."""
    active = _READING.get()
    if active is not None and active.store is store:
        active.book = None


def _book(store: Store, start: datetime, end: datetime) -> EventBook:
    active = _READING.get()
    if active is not None and active.covers(store, start, end):
        if active.book is None:
            active.book = EventBook.read(store, active.start, active.end)
        return active.book
    return EventBook.read(store, start, end)


def event_summaries(store: Store, config: Config, start: datetime, end: datetime, *, decay: bool = False,
                    limit: int | None = None, merge_near_duplicates: bool = False) -> list[EventSummary]:
    """The events with an item in [start, end) that names a configured bank, hottest first.

    Heat counts the items inside the window; with ``decay`` each item's heat halves every
    ``half_life_days`` before the window's end (the reports do not decay: one heat per report, the
    same number for an event and for the alert it raised).  Reprint counts cover the event up to
    the window's end, so 转载 30 次 includes yesterday's copies of a story that broke earlier.
    ``merge_near_duplicates`` folds events that are one story into one summary (the rule is in
    :mod:`reportgen.insight.duplicates`); the briefing and the alerts read them so.
    """
    return _book(store, start, end).summaries(config, start, end, decay=decay, limit=limit,
                                              merge_near_duplicates=merge_near_duplicates)


def window_items(store: Store, start: datetime, end: datetime) -> list[event_rows.EventCopyRow]:
    """Every item published in [start, end), clustered or not, with its judgements, from the reading
    the events come from (inside :func:`events_read_once`, the shared one): the report counts the
    window's items from it instead of reading them again."""
    return _book(store, start, end).items(start, end)
