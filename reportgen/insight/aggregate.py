"""Store → report data.

The report periods are calendar days in the configured zone: the daily report for ``D``
covers ``[D 00:00, D+1 00:00)`` local time, whatever zone the feeds wrote their dates in
(``[report] day_start_hour`` moves both ends, e.g. to 08:00).  The briefing's counts come from
:mod:`reportgen.store.figures`: the period's own items are read once, with their judgements, for
the events (:mod:`reportgen.insight.summaries`) and counted from that reading; the trend's other
days and the period before are counted in SQL.  Memory is bounded by the period.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from reportgen.config.banks_en import display_names
from reportgen.config.core import Config
from reportgen.insight import coverage, summaries
from reportgen.insight.alerts import playbook_for
from reportgen.insight.followup import with_followup
from reportgen.insight.incidents import alert_summaries, event_ids_of, event_summaries
from reportgen.models import (
    AlertSummary,
    BankJudgement,
    BankTotal,
    Completeness,
    EventSummary,
    PeriodTotals,
    ReportData,
    ReportItem,
    SourceHealthRow,
    TrendPoint,
    isolated,
)
from reportgen.periods import Period, Window, day_start, report_title
from reportgen.store import figures, push_rows
from reportgen.store.db import Store

# The negative list groups the period's negative items by story; it reads at most this many of
# them to do so (a weekly report of a large group has thousands; the count of stories covers these).
NEGATIVE_SCAN = 10_000

EXPORT_FIELDS = ("id", "bank", "bank_name", "source", "source_name", "channel", "title", "url",
                 "published_at", "sentiment", "sentiment_score", "categories", "reasons", "event_id")


def bank_totals(counts: dict[str, tuple[int, int, int]], config: Config,
                previous: dict[str, tuple[int, int, int]] | None = None, language: str = "zh",
                ) -> tuple[BankTotal, ...]:
    """Mentions per configured bank (self first, then by volume), zero rows included.

    ``counts`` and ``previous`` map bank id → (mentions, title mentions, negative), as
    :func:`reportgen.figures.bank_counts` returns them.
    """
    configured = {b.id for b in config.banks}
    names = display_names(config.banks, language)
    all_mentions = sum(n for bank_id, (n, _, _) in counts.items() if bank_id in configured)
    totals = []
    for bank in config.banks:
        n, in_title, negative = counts.get(bank.id, (0, 0, 0))
        before = previous.get(bank.id, (0, 0, 0)) if previous is not None else None
        totals.append(BankTotal(bank.id, names[bank.id], bank.role, n, in_title,
                                n / all_mentions if all_mentions else 0.0, negative,
                                before[0] if before else None, before[2] if before else None))
    totals.sort(key=lambda t: (t.role != "self", -t.mentions, t.bank_id))
    return tuple(totals)


def report_items(rows: Sequence[dict[str, Any]], config: Config, tz: ZoneInfo,
                 order: Sequence[str] | None = None, language: str = "zh") -> tuple[ReportItem, ...]:
    """One entry per item (not per bank) listing every bank it names, from item × bank rows.

    ``order`` gives the item order (e.g. the bank's own negatives first); default newest first.
    """
    names = display_names(config.banks, language)
    bank_order = {b.id: i for i, b in enumerate(config.banks)}
    grouped: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        grouped.setdefault(row["item_id"], []).append(row)
    out = []
    for item_id, group in grouped.items():
        group.sort(key=lambda r: (bank_order.get(r["bank_id"], len(bank_order)), r["bank_id"]))
        first = group[0]
        out.append(ReportItem(
            item_id=item_id, title=isolated(first["title"]), url=first["url"], source_id=first["source_id"],
            source_name=first["source_name"], channel=first["channel"],
            published_at=first["published_at"].astimezone(tz),
            bank_names=tuple(names.get(r["bank_id"], r["bank_id"]) for r in group),
            summary=isolated(first["summary"]), date_missing=bool(first["date_missing"]),
            judgements=tuple(_judgement(r, names) for r in group),
        ))
    if order is not None:
        rank = {item_id: i for i, item_id in enumerate(order)}
        out.sort(key=lambda i: rank.get(i.item_id, len(rank)))
    else:
        out.sort(key=lambda i: (i.published_at, i.item_id), reverse=True)
    return tuple(out)


def _judgement(row: dict[str, Any], names: dict[str, str]) -> BankJudgement:
    bank_id = row["bank_id"]
    if not isinstance(row["label"], str):  # not scored (yet): an outer join gave NULLs
        return BankJudgement(names.get(bank_id, bank_id), None, None)
    categories = tuple(c["code"] for c in json.loads(row["categories"] or "[]"))
    reasons = tuple(dict.fromkeys(r["term"] for r in json.loads(row["reasons"] or "[]") if r["weight"]))
    return BankJudgement(names.get(bank_id, bank_id), row["label"], float(row["score"]), categories, reasons[:4])


def category_names(config: Config, language: str) -> dict[str, str]:
    return {c.code: c.name(language) for c in config.scoring.category_rules()}


def health_rows(store: Store, config: Config, as_of: datetime) -> tuple[SourceHealthRow, ...]:
    """Each configured source's latest outcome before ``as_of``; failures first."""
    latest = store.latest_health(as_of)
    rows = []
    for s in config.sources:
        if not s.enabled:
            continue
        h: dict[str, Any] | None = latest.get(s.id)
        if h is None:
            rows.append(SourceHealthRow(s.id, s.name, s.channel, "never", None))
            continue
        rows.append(SourceHealthRow(
            s.id, s.name, s.channel, h["status"], h["checked_at"], h["http_status"], h["item_count"],
            h["new_count"], h["error"], h["warning"],
        ))
    rank = {"failed": 0, "never": 1, "not_modified": 2, "ok": 3}
    rows.sort(key=lambda r: (rank.get(r.status, 9), r.source_id))
    return tuple(rows)


def data_completeness(store: Store, config: Config, as_of: datetime, window: Window | None = None) -> Completeness:
    """The data-completeness gate as it stands at ``as_of``: each enabled source's latest fetch,
    per channel, against ``report.min_sources_answered``, and the newest stored item (up to the end
    of ``window``, the report's, when given: then a window nothing was published in fails the gate)."""
    with figures.reading(store) as conn:
        newest = figures.newest_published(conn, min(as_of, window.end) if window else as_of)
    return Completeness.of(health_rows(store, config, as_of), config.report.min_sources_answered,
                           newest.astimezone(config.settings.tz) if newest else None,
                           window.start if window and config.report.require_fresh_items else None)


def events_and_alerts(store: Store, config: Config, period: Period, language: str,
                      ) -> tuple[tuple[EventSummary, ...], tuple[AlertSummary, ...],
                                 dict[str, tuple[tuple[str, ...], str]]]:
    """The period's events (hottest first), alerts (one per incident, most severe first), and each
    negative event's playbook steps and owner.

    One heat per report: events are read with their heat over the period, not decayed, in the
    weekly report as in the daily one, so an event's heat and the heat its alert names are the same
    kind of number.  Near-duplicate events are merged (:mod:`reportgen.insight.duplicates`).  Each
    negative event's action line is its main category's first two playbook steps and owner; a
    positive or neutral event gets none (the playbook is for bad news; the briefing says what to do
    with good news).
    """
    tz, start_hour = config.settings.tz, config.report.day_start_hour
    window = Window.for_days(period.first, period.last, tz, start_hour)
    events = tuple(event_summaries(store, config, window.start, window.end, language=language,
                                   merge_near_duplicates=True))
    alerts = alert_summaries(store, config, period.first, period.last, language)
    alerts = with_followup(store, config, alerts, period.first, period.last, language)  # ids, 处置状态, pushes
    # main category → its steps and owner: a handful for thousands of events
    entries: dict[str | None, tuple[tuple[str, ...], str]] = {}
    playbook = {}
    for event in events:
        if event.label != "negative":
            continue
        category = event.categories[0] if event.categories else None
        if category not in entries:
            entry = playbook_for(category, config.events.playbook)
            entries[category] = (entry.actions(language), entry.owner(language))
        playbook[event.event_id] = entries[category]
    return events, alerts, playbook


def negative_stories(item_ids: Sequence[str], event_of: dict[str, str],
                     limit: int) -> tuple[list[str], dict[str, int], int]:
    """The negative list grouped by story: one row per event instead of one per copy.

    ``item_ids`` are the period's negative items in listing order (the bank's own first, then
    newest first).  Returns the rows to list (at most ``limit``: for each story, its earliest copy,
    in the order its first copy appears in ``item_ids``), each row's number of copies in
    ``item_ids``, and how many stories there are.  An item not clustered yet is a story of its own.
    """
    stories: dict[str, list[str]] = {}
    for item_id in item_ids:
        stories.setdefault(event_of.get(item_id, f"item {item_id}"), []).append(item_id)
    rows = [copies[-1] for copies in list(stories.values())[:limit]]  # newest first: the last is the earliest
    return rows, {copies[-1]: len(copies) for copies in stories.values()}, len(stories)


def trend_days(period: Period, config: Config) -> tuple[date, date]:
    """The days the trend chart covers: ``trend_days`` ending with a daily report's day; for a
    weekly report, ``trend_weeks`` whole ISO weeks ending with its week."""
    if period.kind == "daily":
        return period.last - timedelta(days=config.report.trend_days - 1), period.last
    return period.first - timedelta(weeks=config.report.trend_weeks - 1), period.last


def previous_of(period: Period) -> Period:
    """The period before: the day before, or the ISO week before."""
    step = timedelta(days=1 if period.kind == "daily" else 7)
    return Period(period.kind, period.first - step, period.last - step)


def report_data(store: Store, config: Config, period: Period, *, now: datetime,
                language: str | None = None) -> ReportData:
    """The briefing's data for a daily or weekly period, counted in SQL; the period's events and
    the counts of its items come from one reading of them (shared with the alerts raised in an
    enclosing :func:`reportgen.insight.summaries.events_read_once`)."""
    with summaries.events_read_once(store, config, period.first, period.last), summaries.no_collection():
        return _report_data(store, config, period, now=now, language=language)


def _report_data(store: Store, config: Config, period: Period, *, now: datetime,
                 language: str | None = None) -> ReportData:
    tz, start_hour, options = config.settings.tz, config.report.day_start_hour, config.report
    window = Window.for_days(period.first, period.last, tz, start_hour)
    before = previous_of(period)
    prev_window = Window.for_days(before.first, before.last, tz, start_hour)
    lang = language or config.settings.language
    daily = period.kind == "daily"
    self_ids = {b.id for b in config.banks if b.role == "self"}
    first_trend_day, last_trend_day = trend_days(period, config)
    days = [first_trend_day + timedelta(days=i) for i in range((last_trend_day - first_trend_day).days + 1)]
    events, alerts, playbook = events_and_alerts(store, config, period, lang)
    events, alerts = coverage.localised(events, alerts, config, lang)
    banks, is_self = coverage.whose(config)
    # the window's items as the events' reading holds them: counted from there, not read again
    read = summaries.window_items(store, window.start, window.end)
    with figures.reading(store) as conn:  # the trend, banks, channels, categories, 情感分布 and 媒体来源
        counted = figures.period_counts(conn, [day_start(d, tz, start_hour) for d in days]
                                        + [day_start(last_trend_day + timedelta(days=1), tz, start_hour)],
                                        prev_window.start, (window.start, window.end), self_ids,
                                        banks if is_self else None, read)
    cover = coverage.gather(store, config, period, events, counted, read)
    story_of = {merged: e.event_id for e in events for merged in e.merged_event_ids}
    buckets, (previous_counts, counts) = counted.trend, counted.banks
    channels, categories = counted.channels, counted.categories
    with figures.reading(store) as conn:
        negatives = figures.negative_item_ids(conn, window.start, window.end, self_ids, NEGATIVE_SCAN, read)
        # the stories as the events table shows them: near-duplicate events are one story there too
        event_of = {i: story_of.get(e, e) for i, e in coverage.events_of(read, negatives).items()}
        listed, copies, stories = negative_stories(negatives, event_of, options.negative_items_max)
        rows = figures.mention_rows_for(conn, listed)
        newest = figures.newest_published(conn, min(now, window.end))  # what the period saw, not later
    trend = tuple(TrendPoint(d, d, t) for d, t in zip(days, buckets, strict=True))
    # The trend ends with this period and covers the one before (its days are the same buckets as
    # the report window, and an item falls in one day only), so both totals are sums of its days.
    length = (period.last - period.first).days + 1
    current, previous = _total(buckets[-length:]), _total(buckets[-2 * length:-length])
    return ReportData(
        title=report_title(period.kind, lang, config.settings.report_title),
        organisation=config.settings.organisation,
        language=lang,
        timezone=config.settings.timezone,
        day=period.first,
        period=period.kind,
        last_day=None if daily else period.last,
        window_start=window.start,
        window_end=window.end,
        generated_at=now.astimezone(tz),
        total_items=current.total_items,
        bank_totals=bank_totals(counts, config, previous_counts, lang),
        items=tuple(replace(i, event_id=event_of.get(i.item_id), copies=copies.get(i.item_id, 1))
                    for i in report_items(rows, config, tz, order=listed, language=lang)),
        # health as it stood when the report is made, not as of the covered day: the reader
        # needs to know whether the picture is complete now
        source_health=health_rows(store, config, max(now, window.end)),
        category_names=category_names(config, lang),
        events=events,
        hot_events_max=options.hot_events,
        banks_max=options.peers_max,
        min_sources_answered=options.min_sources_answered,
        require_fresh_items=options.require_fresh_items,
        newest_item_at=newest.astimezone(tz) if newest else None,
        negative_groups=stories,
        alerts=alerts,
        push_health=push_rows.health(store, window.start),  # push channels with undelivered alerts
        author=options.author or config.settings.organisation,
        current=current,
        previous=previous,
        negative_total=current.negative_items,
        trend=trend if daily else trend[-14:],
        weekly_trend=() if daily else _weeks(trend),
        channels=channels,
        categories=categories,
        event_playbook=playbook,
        sentiment=cover.sentiment,
        previous_sentiment=cover.previous_sentiment,
        media_sources=cover.media_sources,
        media_sources_total=cover.media_sources_total,
        incidents=cover.incidents,
        hot_terms=cover.hot_terms,
        positive_items=report_items(cover.positive_rows, config, tz, order=cover.positive_ids, language=lang),
        positive_total=cover.positive_total,
        positive_copies=cover.positive_copies,
    )


def _total(points: Sequence[PeriodTotals]) -> PeriodTotals:
    """Consecutive days' totals summed: exact, because every item is counted on one day only."""
    return PeriodTotals(sum(x.total_items for x in points), sum(x.negative_items for x in points),
                        sum(x.mentions for x in points), sum(x.self_mentions for x in points),
                        sum(x.self_negative for x in points))


def _weeks(days: tuple[TrendPoint, ...]) -> tuple[TrendPoint, ...]:
    """Daily points (whole ISO weeks, Monday first) summed into one point per week."""
    return tuple(TrendPoint(days[i].first, days[i + 6].last, _total([p.totals for p in days[i:i + 7]]))
                 for i in range(0, len(days) - 6, 7))


def export_rows(store: Store, config: Config, window: Window) -> list[dict[str, Any]]:
    """One row per item × bank, oldest first, with ``EXPORT_FIELDS`` keys."""
    tz = config.settings.tz
    names = {b.id: b.name for b in config.banks}
    rows = store.mention_rows(window.start, window.end)
    rows.sort(key=lambda r: (r["published_at"], r["item_id"], r["bank_id"]))
    event_of = event_ids_of(store, [r["item_id"] for r in rows])
    return [
        {
            "id": r["item_id"], "bank": r["bank_id"], "bank_name": names.get(r["bank_id"], r["bank_id"]),
            "source": r["source_id"], "source_name": r["source_name"], "channel": r["channel"],
            "title": r["title"], "url": r["url"],
            "published_at": r["published_at"].astimezone(tz).isoformat(),
            # the judgement for this bank (empty until scored); categories and reasons ";"-joined
            "sentiment": r["label"] or "",
            "sentiment_score": r["score"] if r["score"] is not None else "",
            "categories": ";".join(c["code"] for c in json.loads(r["categories"] or "[]")),
            "reasons": ";".join(dict.fromkeys(x["term"] for x in json.loads(r["reasons"] or "[]") if x["weight"])),
            "event_id": event_of.get(r["item_id"], ""),  # the reprint cluster; empty until clustered
        }
        for r in rows
    ]
