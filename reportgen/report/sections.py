"""What the briefing's reader-expected sections say: 情感分布, 媒体来源 TOP-N, 传播趋势, 事件研判与
脉络, 热词, 正面传播, and the short 原文链接 printed beside an item.

A mixin of :class:`reportgen.report.briefing.Briefing`, so the templates call these as ``b.…``
like the rest of the briefing; the figures come from :mod:`reportgen.insight.coverage`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from reportgen.models import EventSummary, IncidentTrack, ReportData, SentimentSplit, TimelineEntry
from reportgen.report import charts
from reportgen.report.i18n import N_, Formatter

LINK_CHARS = 42  # a printed link: host and the start of the path
SOCIAL_CHANNELS = ("social", "complaint")
FAST_REPRINTS_PER_HOUR = 2.0
BROAD_SOURCES = 5
TIMELINE_INCIDENTS = 2  # incidents with a timeline; all top incidents get their 研判
HOURS_UP_TO = 48  # a spread shorter than this is told in hours, a longer one in days


def span_hours(hours: float) -> int:
    """How many hours the report says a spread of ``hours`` took: whole hours, rounded up, at least
    one ("转载 12 次" within 12.4 hours is "13 小时内").  The alerts' incident line and the 研判
    both say it this way, so one event's spread is one number."""
    return max(1, math.ceil(hours - 1e-9))

SENTIMENT_LABELS = ("positive", "neutral", "negative")
TIMELINE_KINDS = {"first": N_("First report"), "channel": N_("Reached %(channel)s"),
                  "response": N_("Bank response"), "latest": N_("Latest copy")}


@dataclass(frozen=True, slots=True)
class SentimentRow:
    label: str  # positive | neutral | negative | unscored
    count: str
    share: float
    share_text: str
    previous: str  # the previous period's share, or "—"
    change: str  # percentage points, or "—"
    direction: str  # up | down | flat


@dataclass(frozen=True, slots=True)
class IncidentView:
    """One top incident as the 事件研判与脉络 section shows it."""

    event: EventSummary
    assessment: tuple[str, ...]  # 研判: one or two sentences
    entries: tuple[TimelineEntry, ...]  # 事件脉络, oldest first ("" for an incident shown without)
    responded: bool


class CoverageSections:
    """The sections' methods; the attributes below are the Briefing's."""

    if TYPE_CHECKING:
        report: ReportData
        fmt: Formatter
        daily: bool
        with_charts: bool

        def _(self, message: str, **values: Any) -> str: ...

        gettext: Callable[[str], str]
        ngettext: Callable[[str, str, int], str]

        def channel(self, code: str) -> str: ...

        def label(self, code: str | None) -> str: ...

        def categories(self, codes: Any) -> str: ...

        def time(self, value: datetime) -> str: ...

        def _list(self, parts: Any) -> str: ...

        @property
        def self_name(self) -> str: ...

        @property
        def separator(self) -> str: ...

    # --- 情感分布 ---

    def sentiment_rows(self) -> list[SentimentRow]:
        """Positive, neutral and negative (and not yet scored, when any): count, share, the previous
        period's share and the change in percentage points."""
        now, before = self.report.sentiment, self.report.previous_sentiment
        if now is None:
            return []
        labels = [*SENTIMENT_LABELS, *(("unscored",) if now.unscored else ())]
        rows = []
        for label in labels:
            share = now.share(label)
            if before is not None and before.total:
                diff = round((share - before.share(label)) * 100, 1)
                previous, change = self.fmt.percent(before.share(label)), self._("%(points)s pt",
                                                                                 points=self.fmt.signed(diff))
                direction = "up" if diff > 0 else "down" if diff < 0 else "flat"
            else:
                previous, change, direction = "—", "—", "flat"
            rows.append(SentimentRow(label, self.fmt.number(getattr(now, label)), share, self.fmt.percent(share),
                                     previous, change, direction))
        return rows

    def sentiment_summary(self) -> str:
        """正面 20.0%、中性 50.0%、负面 30.0%；负面占比较上期上升 5.2 个百分点。"""
        now, before = self.report.sentiment, self.report.previous_sentiment
        if now is None or not now.total:
            return self._("No coverage in this period.")
        parts = self._list(self._("%(label)s %(share)s", label=self.label(label),
                                  share=self.fmt.percent(now.share(label))) for label in SENTIMENT_LABELS)
        text = self._("%(shares)s of %(n)s mentions", shares=parts, n=self.fmt.number(now.total))
        if before is not None and before.total:
            diff = round((now.share("negative") - before.share("negative")) * 100, 1)
            if diff > 0:
                text += self._("; the negative share rose %(points)s points on the previous period",
                               points=self.fmt.number(diff))
            elif diff < 0:
                text += self._("; the negative share fell %(points)s points on the previous period",
                               points=self.fmt.number(-diff))
            else:
                text += self._("; the negative share was unchanged on the previous period")
        return text + self.gettext(".")

    def sentiment_scope(self) -> str:
        if any(b.role == "self" for b in self.report.bank_totals):
            return self._("Mentions of %(bank)s, by judgement", bank=self.self_name)
        return self._("Mentions of all monitored banks, by judgement")

    @staticmethod
    def sentiment_width(split: SentimentSplit | None, label: str) -> str:
        """The bar segment's width as CSS: ``37.5%``."""
        return f"{split.share(label) * 100:.1f}%" if split is not None else "0%"

    # --- 媒体来源 TOP-N ---

    def media_rows(self) -> list[tuple[int, str, str, str, str, str]]:
        """Rank, source, channel, items, share of the bank's items, negative items."""
        own = any(b.role == "self" for b in self.report.bank_totals)
        base = self.report.totals.self_mentions if own else self.report.totals.total_items
        return [(i, s.name, self.channel(s.channel), self.fmt.number(s.items),
                 self.fmt.percent(s.items / base if base else 0.0), self.fmt.number(s.negative))
                for i, s in enumerate(self.report.media_sources, 1)]

    def media_note(self) -> str:
        shown, total = len(self.report.media_sources), self.report.media_sources_total
        if total > shown:
            return self._("%(total)s sources carried the coverage; the %(shown)s with the most items are listed.",
                          total=self.fmt.number(total), shown=shown)
        return ""

    # --- 传播趋势 ---

    def spread_incident(self) -> tuple[EventSummary, IncidentTrack] | None:
        """The top incident whose spread the trend section draws (None without one that spread)."""
        for track in self.report.incidents[:1]:
            event = self.event_of(track)
            if event is not None and any(track.spread):
                return event, track
        return None

    def spread_title(self) -> str:
        found = self.spread_incident()
        if found is None:
            return ""
        event, _ = found
        if self.daily:
            return self._("Top incident by hour: “%(title)s”", title=_shorten(event.title, 40))
        return self._("Top incident by day: “%(title)s”", title=_shorten(event.title, 40))

    def spread_chart(self, layout: charts.Layout = charts.WIDE) -> str:
        """Copies per hour (daily) or day (weekly) of the top incident, as a ``data:`` URI; "" without."""
        found = self.spread_incident()
        if found is None or not self.with_charts:
            return ""
        _, track = found
        if track.spread_hours == 1 or track.spread_start is None:
            labels = [f"{h:02d}" for h in range(len(track.spread))]
            step = 3
        else:
            labels = [self.fmt.date_axis((track.spread_start + _days(i)).date()) for i in range(len(track.spread))]
            step = 1
        series = charts.Series(self._("Copies"), list(track.spread), fill=charts.FILL_DARK,
                               hatch=charts.HATCH_NEGATIVE, value_labels=track.spread_hours != 1)
        return charts.data_uri(charts.column_chart(labels, [series], height_in=1.7, label_step=step, layout=layout))

    def spread_chart_narrow(self) -> str:
        """The spread chart drawn for a phone's width (the HTML offers it to narrow screens)."""
        return self.spread_chart(charts.NARROW)

    def spread_note(self) -> str:
        found = self.spread_incident()
        if found is None:
            return ""
        event, track = found
        peak = max(range(len(track.spread)), key=lambda i: (track.spread[i], -i))
        text = self._("%(n)s copies in this period, most at %(peak)s (%(count)s).",
                      n=self.fmt.number(sum(track.spread)), peak=self._peak_label(track, peak),
                      count=self.fmt.number(track.spread[peak]))
        if track.earlier:
            text += " " if self.gettext(".") == "." else ""
            text += self._("%(n)s copies appeared before the period.", n=self.fmt.number(track.earlier))
        return text

    def _peak_label(self, track: IncidentTrack, i: int) -> str:
        if track.spread_start is None:
            return str(i)
        if track.spread_hours == 1:
            return self._("%(hour)s:00", hour=f"{(track.spread_start.hour + i) % 24:02d}")
        return self.fmt.date_short((track.spread_start + _days(i)).date())

    # --- 事件研判与脉络 ---

    def event_of(self, track: IncidentTrack) -> EventSummary | None:
        return next((e for e in self.report.events if e.event_id == track.event_id), None)

    def incident_views(self) -> list[IncidentView]:
        out = []
        for i, track in enumerate(self.report.incidents):
            event = self.event_of(track)
            if event is None:
                continue
            out.append(IncidentView(event, tuple(self.assessment(event, track)),
                                    track.entries if i < TIMELINE_INCIDENTS else (), bool(track.responses)))
        return out

    def assessment(self, event: EventSummary, track: IncidentTrack) -> list[str]:
        """研判: how it spread, then why it matters and whether the bank has responded."""
        span = self._span(event.spread_hours)
        channels = self._list(self.channel(c) for c in event.channels)
        if event.reprint_count:
            first = self.ngettext(
                "First reported by %(source)s (%(channel)s) at %(time)s; reprinted %(n)s time in %(span)s, "
                "on %(channels)s.",
                "First reported by %(source)s (%(channel)s) at %(time)s; reprinted %(n)s times in %(span)s, "
                "on %(channels)s.", event.reprint_count) % {
                "source": event.first_source, "channel": self.channel(event.first_channel),
                "time": self.time(event.first_published_at), "n": self.fmt.number(event.reprint_count),
                "span": span, "channels": channels}
        else:
            first = self._("Reported by %(source)s (%(channel)s) at %(time)s; not reprinted so far.",
                           source=event.first_source, channel=self.channel(event.first_channel),
                           time=self.time(event.first_published_at))
        reasons = []
        if event.categories:
            reasons.append(self._("it concerns %(categories)s", categories=self.categories(event.categories[:2])))
        reached = [c for c in event.channels if c in SOCIAL_CHANNELS]
        if reached:  # the channels it did reach, not the phrase for both
            reasons.append(self._("it has reached %(channels)s, where it can grow",
                                  channels=self._list(self.channel(c).lower() for c in reached)))
        if "regulator" in event.channels:
            reasons.append(self._("a regulator published it"))
        rate = event.reprint_count / event.spread_hours if event.spread_hours >= 1 else float(event.reprint_count)
        if rate >= FAST_REPRINTS_PER_HOUR:
            reasons.append(self._("it spreads fast (%(rate)s reprints an hour)", rate=self.fmt.number(round(rate, 1))))
        if event.source_count >= BROAD_SOURCES:
            reasons.append(self._("%(n)s sources carry it", n=self.fmt.number(event.source_count)))
        if not reasons:
            reasons.append(self._("it is %(label)s coverage", label=self.label(event.label).lower()))
        bank = event.bank_names[0] if event.bank_names else self.self_name
        own = [n for b, n in zip(event.bank_ids, event.bank_names, strict=False) if b in self.report.self_bank_ids]
        bank = own[0] if own else bank
        responses = track.responses
        if responses:
            r = responses[0]
            response = self._("%(bank)s responded at %(time)s (%(source)s: “%(title)s”)", bank=bank,
                              time=self.time(r.published_at), source=r.source_name, title=_shorten(r.title, 36))
        elif event.label == "negative":
            response = self._("no response from %(bank)s has been found yet", bank=bank)
        else:
            response = ""
        why = self._("Why it matters: %(reasons)s", reasons=self.gettext(", ").join(reasons))
        if response:
            why += self.gettext("; ") + response
        return [first, why + self.gettext(".")]

    def _span(self, hours: float) -> str:
        """A spread's length in words, counted as :func:`span_hours` counts it."""
        if hours < 1:
            return self._("under an hour")
        n = span_hours(hours)
        if n < HOURS_UP_TO:
            return self.ngettext("%(n)s hour", "%(n)s hours", n) % {"n": n}
        days = math.ceil(n / 24)
        return self.ngettext("%(n)s day", "%(n)s days", days) % {"n": days}

    def timeline_kind(self, entry: TimelineEntry) -> str:
        if entry.kind == "channel":
            return self._("Reached %(channel)s", channel=self.channel(entry.channel))
        return self.gettext(TIMELINE_KINDS.get(entry.kind, TIMELINE_KINDS["latest"]))

    # --- 正面传播 and 热词 ---

    def positive_note(self) -> str:
        shown, total = len(self.report.positive_items), self.report.positive_total
        if total > shown:
            return self.ngettext("%(total)s positive stories in this period; the hottest is listed.",
                                 "%(total)s positive stories in this period; the %(shown)s hottest are listed.",
                                 shown) % {"total": self.fmt.number(total), "shown": shown}
        return ""

    # --- 原文链接 ---

    @staticmethod
    def link(url: str | None, limit: int = LINK_CHARS) -> str:
        """The printed form of a link: host and path, ``www.`` and the scheme dropped, shortened:
        ``news.example.com/a/0.html``.  "" for anything but an http(s) URL."""
        if not url:
            return ""
        try:
            parts = urlsplit(url.strip())
        except ValueError:
            return ""
        if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
            return ""
        host = parts.hostname.removeprefix("www.")
        text = host + (parts.path if parts.path not in ("", "/") else "")
        return text if len(text) <= limit else text[: limit - 1] + "…"


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _days(n: int) -> timedelta:
    return timedelta(days=n)
