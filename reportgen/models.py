"""Plain typed objects passed between the pipeline stages.

The chain is config → fetch → parse → match → store → aggregate → render.  Every stage takes
and returns these objects; none of them knows about click, rich or SQLAlchemy rows.

All datetimes here are timezone-aware.  ``published_at`` is kept in UTC in the store and turned
into the configured zone only for display and for day windows.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

# Bidirectional controls (LRM/RLM, embeddings, overrides, isolates) and the right-to-left scripts.
_BIDI = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")


def isolated(text: str) -> str:
    """Feed text made safe to set inside our own sentences: wrapped in FIRST STRONG ISOLATE … POP
    DIRECTIONAL ISOLATE when it holds a bidi control or right-to-left letters, so an unterminated
    U+202E in a headline cannot reverse the rest of page 1's summary.

    The text inside is balanced first (:func:`balanced_bidi`): a stray U+2069 in a headline would
    otherwise close our isolate early and let the override after it reach our own words.  The
    characters that pair up are kept; unpaired closers are dropped, unclosed openers closed."""
    return f"\u2068{balanced_bidi(text)}\u2069" if text and _BIDI.search(text) else text


_EMBEDDINGS = frozenset("\u202a\u202b\u202d\u202e")  # LRE, RLE, LRO, RLO: closed by PDF (U+202C)
_ISOLATES = frozenset("\u2066\u2067\u2068")  # LRI, RLI, FSI: closed by PDI (U+2069)
_BIDI_NESTING = re.compile("[\u202a-\u202e\u2066-\u2069]")


def balanced_bidi(text: str) -> str:
    """``text`` with its embeddings, overrides and isolates balanced, as the Unicode bidi algorithm
    pairs them (UAX #9, BD9 and X6a): a PDI closes the innermost open isolate and every embedding
    opened inside it, a PDF the innermost embedding of the current isolate.  A closer with nothing
    of its kind open is dropped; whatever is still open at the end is closed there.  So nothing in
    ``text`` can close what surrounds it or stay open past its end."""
    if _BIDI_NESTING.search(text) is None:
        return text
    out: list[str] = []
    stack: list[str] = []  # "e" for an embedding or override, "i" for an isolate
    for ch in text:
        if ch in _EMBEDDINGS:
            stack.append("e")
        elif ch in _ISOLATES:
            stack.append("i")
        elif ch == "\u202c":  # PDF
            if not stack or stack[-1] != "e":
                continue  # no embedding open in the current isolate: nothing for it to close
            stack.pop()
        elif ch == "\u2069":  # PDI
            if "i" not in stack:
                continue  # would close the isolate around the text
            while stack.pop() != "i":
                pass
        out.append(ch)
    out.extend("\u202c" if kind == "e" else "\u2069" for kind in reversed(stack))
    return "".join(out)


# 预警等级, numbered from the top as Chinese banks and regulators number them: 1 = 一级 (红色) is the
# most severe, then 二级 (橙色), 三级 (黄色), and 四级 (蓝色) where ``[alerts] levels`` has four thresholds.
# 0 means no alert.  A lower number is more severe, so "the highest level" is the smallest non-zero one.
LEVEL_COLOURS = {1: "red", 2: "orange", 3: "yellow", 4: "blue"}
LEVEL_NAMES_ZH = {1: "一级", 2: "二级", 3: "三级", 4: "四级"}
LEVEL_COLOURS_ZH = {1: "红色", 2: "橙色", 3: "黄色", 4: "蓝色"}


def most_severe(levels: Iterable[int]) -> int:
    """The most severe of ``levels`` (the smallest non-zero number); 0 when there is none."""
    return min((level for level in levels if level > 0), default=0)


def level_colour(level: int) -> str:
    """The colour of a level (red, orange, yellow, blue); "" for none."""
    return LEVEL_COLOURS.get(level, "")


class FetchStatus(StrEnum):
    OK = "ok"
    NOT_MODIFIED = "not_modified"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class CacheValidators:
    """What a source's last successful response told us, for a conditional GET."""

    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True, slots=True)
class FetchRequest:
    """One source to fetch.  ``url`` may carry an RSSHub access key; ``display_url`` never does."""

    source_id: str
    url: str
    display_url: str
    timeout_s: float | None = None
    headers: tuple[tuple[str, str], ...] = ()
    validators: CacheValidators = CacheValidators()


@dataclass(frozen=True, slots=True)
class FetchResult:
    """The outcome of fetching one source.  A failure is data, not an exception."""

    source_id: str
    status: FetchStatus
    url: str  # final URL after redirects, access key redacted
    fetched_at: datetime
    duration_s: float
    http_status: int | None = None
    body: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)  # lower-cased response header names
    validators: CacheValidators = CacheValidators()
    bytes_received: int = 0  # bytes on the wire (before decompression)
    attempts: int = 1
    error: str | None = None
    warning: str | None = None  # fetched, but something was off (an unusable validator header, say)
    # The request's secrets (RSSHub key, secret header values), for parse to cut out of what the
    # body echoes; never shown, logged or stored.
    secrets: tuple[str, ...] = field(default=(), repr=False)


@dataclass(frozen=True, slots=True)
class Item:
    """One normalized feed entry."""

    item_id: str  # stable across runs: trusted guid, else canonical URL, else content hash
    source_id: str
    title: str  # plain text, whitespace normalized
    summary: str  # plain text, whitespace normalized
    url: str | None  # canonical: no utm_*, no fragment; http(s) only
    guid: str | None
    author: str | None
    published_at: datetime  # aware
    fetched_at: datetime  # aware
    date_missing: bool = False  # no usable date in the feed: published_at is the fetch time
    date_capped: bool = False  # the feed claimed a future date: capped to the fetch time
    content_hash: str = ""


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    """What parse made of one fetched body."""

    source_id: str
    items: tuple[Item, ...]
    feed_title: str | None = None
    bozo: bool = False  # feedparser found the document ill-formed; items are kept anyway
    warning: str | None = None  # human-readable reason for bozo, or other parse trouble
    error: str | None = None  # set when nothing usable came out (e.g. an HTML page, not a feed)


@dataclass(frozen=True, slots=True)
class Match:
    """One alias occurrence in a text, kept for explanations."""

    bank_id: str
    term: str  # the alias as configured
    start: int  # offsets into the matched field's text
    end: int


@dataclass(frozen=True, slots=True)
class Mention:
    """An item × bank pair with the evidence that tied them."""

    item_id: str
    bank_id: str
    in_title: bool
    matches: tuple[tuple[str, str, int, int], ...]  # (field, term, start, end); field: title|summary


@dataclass(frozen=True, slots=True)
class SourceHealth:
    """One source's outcome in one run: the source-health record that reports show."""

    source_id: str
    status: FetchStatus
    checked_at: datetime
    duration_s: float
    http_status: int | None = None
    item_count: int = 0  # entries in the feed body
    new_count: int = 0  # entries not seen before
    matched_count: int = 0  # new entries that mention a configured bank
    bytes_received: int = 0
    error: str | None = None
    warning: str | None = None


@dataclass(slots=True)
class RunSummary:
    """What one fetch run did; ``reportgen fetch --json`` prints this."""

    run_id: int | None
    started_at: datetime
    finished_at: datetime | None = None
    sources: list[SourceHealth] = field(default_factory=list)
    items_fetched: int = 0
    items_new: int = 0
    items_matched: int = 0
    mentions_scored: int = 0  # judged (or re-judged after a scorer change) in this run
    alerting: IntradayOutcome | None = None  # the rolling-window alerts and their pushes, after the fetch

    @property
    def sources_ok(self) -> int:
        return sum(1 for s in self.sources if s.status is FetchStatus.OK)

    @property
    def sources_not_modified(self) -> int:
        return sum(1 for s in self.sources if s.status is FetchStatus.NOT_MODIFIED)

    @property
    def sources_failed(self) -> int:
        return sum(1 for s in self.sources if s.status is FetchStatus.FAILED)


# --- report data: what aggregate hands to render ------------------------------------------------


@dataclass(frozen=True, slots=True)
class BankTotal:
    bank_id: str
    name: str
    role: str  # self | competitor
    mentions: int  # items that mention the bank in the window
    title_mentions: int  # of those, items naming the bank in the title
    share_of_voice: float  # mentions / all bank mentions in the window, 0..1
    negative: int = 0  # of the bank's items, those judged bad news for this bank
    # the same figures over the previous period (the weekly league table's week-over-week change)
    previous_mentions: int | None = None
    previous_negative: int | None = None

    @property
    def negative_share(self) -> float:
        return self.negative / self.mentions if self.mentions else 0.0


@dataclass(frozen=True, slots=True)
class BankJudgement:
    """What the scorer said about one item for one bank, ready to print."""

    bank_name: str
    label: str | None  # negative | neutral | positive; None if not scored yet
    score: float | None
    categories: tuple[str, ...] = ()  # category codes
    reasons: tuple[str, ...] = ()  # the terms that decided it, strongest first


@dataclass(frozen=True, slots=True)
class ReportItem:
    item_id: str
    title: str
    url: str | None  # already canonical; render still refuses anything but http(s)
    source_id: str
    source_name: str
    channel: str
    published_at: datetime  # in the report's time zone
    bank_names: tuple[str, ...]
    summary: str = ""
    date_missing: bool = False
    judgements: tuple[BankJudgement, ...] = ()  # one per bank named, in bank order
    # 负面舆情 lists one row per story: the earliest of the period's negative copies stands for
    # the others; ``copies`` counts them (1: a story with no other negative copy in the period)
    event_id: str | None = None
    copies: int = 1


@dataclass(frozen=True, slots=True)
class EventSummary:
    """One story and its reprints, as the report shows it."""

    event_id: str
    title: str  # the earliest item's headline
    url: str | None  # the earliest item's link
    first_source: str  # source name of the earliest publication
    first_channel: str
    first_published_at: datetime  # in the report's zone
    item_count: int  # the original and its reprints
    source_count: int
    channels: tuple[str, ...]  # distinct, most items first
    bank_ids: tuple[str, ...]
    bank_names: tuple[str, ...]
    label: str  # dominant judgement across the event's mentions: negative | neutral | positive
    categories: tuple[str, ...]  # category codes, most frequent first
    heat: float  # see README "Heat"; per event over the report window
    bank_heat: dict[str, float] = field(default_factory=dict)  # bank id → heat of this event for that bank
    last_published_at: datetime | None = None  # the latest copy up to the window's end, in the report's zone
    merged_event_ids: tuple[str, ...] = ()  # near-duplicate events shown as this one (see insight/duplicates.py)

    @property
    def reprint_count(self) -> int:
        """转载次数: every appearance after the first."""
        return max(self.item_count - 1, 0)

    @property
    def event_ids(self) -> tuple[str, ...]:
        """This event's id and those of the near-duplicates merged into it."""
        return (self.event_id, *self.merged_event_ids)

    @property
    def spread_hours(self) -> float:
        """Hours from the first copy to the latest (0 for a story not reprinted)."""
        if self.last_published_at is None:
            return 0.0
        return max((self.last_published_at - self.first_published_at).total_seconds() / 3600, 0.0)


@dataclass(frozen=True, slots=True)
class AlertSummary:
    """A raised alert (预警) with its reason and the playbook's response (处置建议)."""

    bank_id: str
    bank_name: str
    day: date
    level: int  # 1 一级 (红色, most severe) · 2 二级 (橙色) · 3 三级 (黄色) · 4 四级 (蓝色); see LEVEL_COLOURS
    kind: str  # volume | heat | category
    reason: str  # one sentence with the numbers, in the report language
    category: str | None = None
    negative_count: int = 0
    baseline: float = 0.0
    negative_heat: float = 0.0
    event_ids: tuple[str, ...] = ()
    actions: tuple[str, ...] = ()  # the playbook's recommended actions
    owner: str = ""  # the department responsible
    # One incident (an event and a bank) raises one alert: every trigger that fired for it
    # (volume, heat, category), most severe first, with its sentence.  ``level`` is the most severe
    # of them, ``kind`` and ``reason`` are that trigger's.
    kinds: tuple[str, ...] = ()
    reasons: tuple[str, ...] = ()
    # Follow-up (处置): the incident as registered, with its stable id, when it was first raised
    # and who took it; None for an alert raised before incidents were recorded.
    incident: AlertIncident | None = None
    first_pushed_at: datetime | None = None  # the first push that reached a channel

    @property
    def colour(self) -> str:
        """red | orange | yellow | blue"""
        return level_colour(self.level)

    @property
    def all_kinds(self) -> tuple[str, ...]:
        return self.kinds or (self.kind,)

    @property
    def all_reasons(self) -> tuple[str, ...]:
        return self.reasons or (self.reason,)


@dataclass(frozen=True, slots=True)
class SourceHealthRow:
    source_id: str
    name: str
    channel: str
    status: str  # ok | not_modified | failed | never (configured but never fetched)
    checked_at: datetime | None
    http_status: int | None = None
    item_count: int = 0
    new_count: int = 0
    error: str | None = None
    warning: str | None = None

    @property
    def answered(self) -> bool:
        """The source's server answered its latest fetch (with entries, none, or 304)."""
        return self.status in ("ok", "not_modified")

    @property
    def empty(self) -> bool:
        """It answered with a feed that holds no entry: a broken RSSHub route or an upstream block looks
        like this (HTTP 200, a valid feed, nothing in it), so it is not counted as watching."""
        return self.status == "ok" and not self.item_count

    @property
    def delivered(self) -> bool:
        """It answered with entries, or with 304 (the entries it sent before still stand)."""
        return self.answered and not self.empty


@dataclass(frozen=True, slots=True)
class ChannelCompleteness:
    channel: str
    sources: int  # enabled sources of this channel
    answered: int  # of those, the ones whose latest fetch was answered
    empty: int = 0  # of those answered, the ones whose feed held no entry

    @property
    def dark(self) -> bool:
        """Every source of the channel failed, was never fetched or sent an empty feed: the channel is
        not watched."""
        return self.sources > 0 and self.answered - self.empty <= 0


@dataclass(frozen=True, slots=True)
class Completeness:
    """Whether a report saw what it should have: the data-completeness gate (数据采集异常).

    A report whose sources did not answer cannot tell a quiet day from a blind one, so below
    ``min_share`` of the sources delivering entries, with any channel entirely dark, or with nothing
    published in the report's window by any source (``stale``), it must say so instead of giving the
    all-clear.  A source that answers with an empty feed is not watching: a broken RSSHub route
    answers HTTP 200 with a valid feed and nothing in it.
    """

    sources: int
    answered: int
    min_share: float
    channels: tuple[ChannelCompleteness, ...] = ()  # in the order of the sources
    missing: tuple[SourceHealthRow, ...] = ()  # the sources that did not deliver: failed, never, then empty
    newest_item_at: datetime | None = None  # the newest stored item up to the window's end, in the report's zone
    empty: int = 0  # sources that answered with a feed holding no entry (counted in ``answered``)
    window_start: datetime | None = None  # the report's window; None: freshness is not judged

    @classmethod
    def of(cls, rows: Iterable[SourceHealthRow], min_share: float, newest_item_at: datetime | None = None,
           window_start: datetime | None = None) -> Completeness:
        rows = list(rows)
        by_channel: dict[str, list[SourceHealthRow]] = {}
        for row in rows:
            by_channel.setdefault(row.channel, []).append(row)
        channels = tuple(ChannelCompleteness(c, len(rs), sum(r.answered for r in rs), sum(r.empty for r in rs))
                         for c, rs in by_channel.items())
        rank = {"failed": 0, "never": 1}
        missing = tuple(sorted((r for r in rows if not r.delivered),
                               key=lambda r: (rank.get(r.status, 2), r.source_id)))
        return cls(len(rows), sum(r.answered for r in rows), min_share, channels, missing, newest_item_at,
                   sum(r.empty for r in rows), window_start)

    @property
    def delivered(self) -> int:
        """Sources that answered with entries (or 304)."""
        return self.answered - self.empty

    @property
    def share(self) -> float:
        """The share of the sources that delivered entries: what the gate holds to ``min_share``."""
        return self.delivered / self.sources if self.sources else 0.0

    @property
    def dark_channels(self) -> tuple[str, ...]:
        return tuple(c.channel for c in self.channels if c.dark)

    @property
    def stale(self) -> bool:
        """No source published anything in the report's window: what was seen is older than the period
        (every feed frozen on old entries), so the period was not watched."""
        return self.window_start is not None and self.sources > 0 and (
            self.newest_item_at is None or self.newest_item_at < self.window_start)

    @property
    def complete(self) -> bool:
        """At least ``min_share`` of the sources delivered, no channel is dark, something was published in
        the window (and a source exists)."""
        return self.sources > 0 and self.share >= self.min_share and not self.dark_channels and not self.stale


@dataclass(frozen=True, slots=True)
class PeriodTotals:
    """A period's headline figures: the briefing compares the report period with the one before."""

    total_items: int = 0  # distinct items naming any configured bank
    negative_items: int = 0  # of those, items judged bad news for at least one bank
    mentions: int = 0  # item × bank pairs (the share-of-voice denominator)
    self_mentions: int = 0  # items naming the bank(s) with role "self"
    self_negative: int = 0  # of those, judged bad news for that bank

    @property
    def self_negative_share(self) -> float:
        return self.self_negative / self.self_mentions if self.self_mentions else 0.0

    @property
    def self_share_of_voice(self) -> float:
        return self.self_mentions / self.mentions if self.mentions else 0.0


@dataclass(frozen=True, slots=True)
class TrendPoint:
    """One bar of a trend chart: a day (``first == last``) or an ISO week, in the report zone."""

    first: date
    last: date
    totals: PeriodTotals


@dataclass(frozen=True, slots=True)
class ChannelCount:
    """One channel's share of the period (媒体分布)."""

    channel: str
    items: int  # distinct items from this channel's sources
    negative_items: int
    self_mentions: int
    self_negative: int


@dataclass(frozen=True, slots=True)
class CategoryCount:
    """How often one risk category was tagged in the period (item × bank judgements)."""

    code: str
    mentions: int
    negative: int
    self_mentions: int
    self_negative: int


@dataclass(frozen=True, slots=True)
class SentimentSplit:
    """情感分布: mentions (item × bank) by judgement over one period."""

    positive: int = 0
    neutral: int = 0
    negative: int = 0
    unscored: int = 0

    @property
    def total(self) -> int:
        return self.positive + self.neutral + self.negative + self.unscored

    def share(self, label: str) -> float:
        """``label``'s share of all mentions, 0..1 (0 when there are none)."""
        return getattr(self, label) / self.total if self.total else 0.0


@dataclass(frozen=True, slots=True)
class SourceCount:
    """媒体来源: one source's items about the bank in the period."""

    source_id: str
    name: str
    channel: str
    items: int  # distinct items naming the bank
    negative: int  # of those, judged bad news for it
    positive: int = 0


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """One step of an incident's timeline (事件脉络)."""

    published_at: datetime  # in the report's zone
    kind: str  # first | channel (first copy in another channel) | response (the bank's own) | latest
    title: str
    url: str | None
    source_name: str
    channel: str


@dataclass(frozen=True, slots=True)
class IncidentTrack:
    """How one of page 1's top events spread: copies per hour (daily) or day (weekly) of the period,
    and its timeline from the first report through reprints and the bank's response to the latest copy."""

    event_id: str  # the EventSummary in ``ReportData.events``
    spread: tuple[int, ...] = ()  # copies published in each bucket of the period, oldest first
    spread_start: datetime | None = None  # the first bucket's start, in the report's zone
    spread_hours: int = 1  # each bucket's length: 1 (daily report) or 24 (weekly)
    earlier: int = 0  # copies published before the period (the story broke earlier)
    entries: tuple[TimelineEntry, ...] = ()  # oldest first

    @property
    def responses(self) -> tuple[TimelineEntry, ...]:
        return tuple(e for e in self.entries if e.kind == "response")


@dataclass(frozen=True, slots=True)
class HotTerm:
    """热词: a term the scoring rules matched, and in how many of the period's items."""

    term: str
    items: int
    tone: str  # negative | positive: the sign of the rules' weight for it


@dataclass(frozen=True, slots=True)
class ReportData:
    """Everything a daily or weekly briefing shows, already computed.

    ``items`` holds the items the report lists: in the briefing, the period's negative items
    (about the bank itself first, then newest first), at most ``report.negative_items_max`` of
    ``negative_total``.  The other collections default to empty, so a hand-built report (tests,
    the mail preview) needs only the first block of fields.
    """

    title: str  # e.g. 银行舆情日报
    organisation: str  # producing department, e.g. 品牌与舆情管理部
    language: str  # zh | en
    timezone: str
    day: date
    window_start: datetime  # aware, report zone
    window_end: datetime  # aware, exclusive
    generated_at: datetime
    total_items: int
    bank_totals: tuple[BankTotal, ...]
    items: tuple[ReportItem, ...]
    source_health: tuple[SourceHealthRow, ...]
    # The same report over a longer window: a weekly run shows the ISO week whose Monday
    # is ``day`` and whose Sunday is ``last_day``.  A daily report leaves both at their defaults.
    period: str = "daily"  # daily | weekly
    last_day: date | None = None
    category_names: dict[str, str] = field(default_factory=dict)  # code → name in the report language
    events: tuple[EventSummary, ...] = ()  # the period's events, hottest first
    alerts: tuple[AlertSummary, ...] = ()  # the period's alerts, most severe first
    push_health: tuple[PushHealthRow, ...] = ()  # push channels with undelivered alerts (source status)
    # --- the briefing ---
    author: str = ""  # PDF metadata author; empty: the organisation
    current: PeriodTotals | None = None  # None: derived from total_items and bank_totals
    previous: PeriodTotals | None = None  # the period before, for 较上期; None: not compared
    negative_total: int = 0  # negative items in the period (``items`` may list fewer)
    trend: tuple[TrendPoint, ...] = ()  # one point per day, oldest first, ending with the period
    weekly_trend: tuple[TrendPoint, ...] = ()  # weekly report: one point per ISO week, oldest first
    channels: tuple[ChannelCount, ...] = ()  # most items first
    categories: tuple[CategoryCount, ...] = ()  # most negative first
    # negative event id → its main category's playbook steps and owner (the action line is the first two)
    event_playbook: dict[str, tuple[tuple[str, ...], str]] = field(default_factory=dict)
    hot_events_max: int = 10  # events listed under 热点事件; page 1 and each bank's top events look at all
    banks_max: int = 20  # banks the peer tables and chart list by name (the bank itself always); the rest summed
    # --- the data-completeness gate (report.min_sources_answered) and the grouped negative list ---
    min_sources_answered: float = 0.8  # share of the sources that must have answered
    require_fresh_items: bool = True  # the gate fails too when nothing was published in the window
    newest_item_at: datetime | None = None  # the newest stored item published before the window's end
    negative_groups: int = 0  # stories the period's negative items form (``items`` lists one row each)
    # --- the sections a 舆情日报 reader expects (reportgen/insight/coverage.py) ---
    sentiment: SentimentSplit | None = None  # the bank's mentions by judgement (all banks' without a self bank)
    previous_sentiment: SentimentSplit | None = None  # the same over the previous period
    media_sources: tuple[SourceCount, ...] = ()  # 媒体来源 TOP-N: the sources carrying the bank, most first
    media_sources_total: int = 0  # sources that carried the bank in the period (``media_sources`` lists fewer)
    incidents: tuple[IncidentTrack, ...] = ()  # page 1's top events: spread by hour and timeline (事件脉络)
    hot_terms: tuple[HotTerm, ...] = ()  # 热词: the period's most frequent lexicon terms, most items first
    positive_items: tuple[ReportItem, ...] = ()  # 正面传播: the bank's best positive stories, hottest first
    positive_total: int = 0  # positive stories about the bank in the period
    positive_copies: dict[str, int] = field(default_factory=dict)  # listed item → positive copies of its story

    @property
    def completeness(self) -> Completeness:
        """What share of the sources answered, per channel, and whether that is enough (the gate)."""
        return Completeness.of(self.source_health, self.min_sources_answered, self.newest_item_at,
                               self.window_start if self.require_fresh_items else None)

    @property
    def self_bank_ids(self) -> frozenset[str]:
        return frozenset(b.bank_id for b in self.bank_totals if b.role == "self")

    @property
    def alert_level(self) -> int:
        """The most severe level among the bank's own alerts (1 = 一级 is the most severe); 0 when none."""
        own = self.self_bank_ids
        return most_severe(a.level for a in self.alerts if a.bank_id in own)

    @property
    def totals(self) -> PeriodTotals:
        """The period's headline figures (``current``, or what the bank table implies)."""
        if self.current is not None:
            return self.current
        own = [b for b in self.bank_totals if b.role == "self"]
        return PeriodTotals(
            total_items=self.total_items,
            negative_items=self.negative_total,
            mentions=sum(b.mentions for b in self.bank_totals),
            self_mentions=sum(b.mentions for b in own),
            self_negative=sum(b.negative for b in own),
        )


DailyReportData = ReportData  # the name before the weekly briefing shared it; kept for outside callers


# --- the outbox: reports made and where their mail stands ------------------------------------------


class State(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"
    EXPIRED = "expired"
    HELD = "held"
    SUPERSEDED = "superseded"


UNDELIVERED = (State.PENDING, State.FAILED)
DONE = (State.PENDING, State.SENT, State.FAILED, State.EXPIRED)  # a report in these is not made again


@dataclass(frozen=True, slots=True)
class Delivery:
    delivery_id: int
    kind: str
    period_key: str
    language: str
    state: str
    attempts: int
    last_error: str | None
    created_at: datetime
    last_attempt_at: datetime | None
    sent_at: datetime | None
    message_id: str | None
    subject: str | None
    recipients: tuple[str, ...]
    html_path: str | None
    pdf_path: str | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.delivery_id, "kind": self.kind, "period": self.period_key, "language": self.language,
            "state": self.state, "attempts": self.attempts, "last_error": self.last_error,
            "created_at": self.created_at.isoformat(),
            "last_attempt_at": self.last_attempt_at.isoformat() if self.last_attempt_at else None,
            "sent_at": self.sent_at.isoformat() if self.sent_at else None,
            "message_id": self.message_id, "subject": self.subject, "recipients": len(self.recipients),
            "html": self.html_path, "pdf": self.pdf_path,
        }


# --- alerts to follow up, and their pushes ---------------------------------------------------------

# 处置状态: open (未处理) until someone acknowledges it (处理中), resolved (已处置) when dealt with.
INCIDENT_STATES = ("open", "acked", "resolved")
DISPOSITIONS = {"zh": {"open": "未处理", "acked": "处理中", "resolved": "已处置"},
                "en": {"open": "open", "acked": "in hand", "resolved": "resolved"}}


@dataclass(frozen=True, slots=True)
class AlertIncident:
    """An alert as something to follow up: one incident (a bank and an event), with the stable id
    people acknowledge it by, the most severe level it reached, what it looked like when last seen,
    and who took it when."""

    incident_id: int
    bank_id: str
    incident_key: str  # its first event's id, or "day YYYY-MM-DD" for a spike without an event
    event_ids: tuple[str, ...]
    day: date  # local day first raised
    level: int  # the most severe level reached (1 = 一级)
    first_level: int
    current_level: int  # as last observed (it may have cooled)
    kind: str
    kinds: tuple[str, ...]
    category: str | None
    title: str
    url: str | None
    first_source: str
    first_published_at: datetime | None
    heat: float
    growth: float  # heat added in the last ``[alerts.intraday] growth_hours``
    reprints: int
    negatives: float
    baseline: float
    reasons_zh: tuple[str, ...]
    reasons_en: tuple[str, ...]
    source: str  # intraday | daily
    first_raised_at: datetime
    last_seen_at: datetime
    escalated_at: datetime | None = None
    state: str = "open"  # open | acked | resolved
    acked_by: str | None = None
    acked_at: datetime | None = None
    ack_note: str | None = None
    resolved_by: str | None = None
    resolved_at: datetime | None = None
    resolve_note: str | None = None
    reopened_at: datetime | None = None  # an escalation reopened it after it was resolved

    @property
    def colour(self) -> str:
        return level_colour(self.level)

    @property
    def taken_since(self) -> datetime:
        """When the present round of follow-up began: first raised, or reopened."""
        return self.reopened_at or self.first_raised_at

    def reasons(self, language: str) -> tuple[str, ...]:
        return self.reasons_zh if language == "zh" else self.reasons_en

    def disposition(self, language: str) -> str:
        """未处理 / 处理中 / 已处置 (open / in hand / resolved)."""
        return DISPOSITIONS.get(language, DISPOSITIONS["en"])[self.state]

    @property
    def time_to_ack(self) -> timedelta | None:
        """From first raised to acknowledged (or resolved, when nobody acknowledged it first); for
        an alert reopened after it was resolved, from the reopening to an acknowledgement since
        (None while nobody has taken it again)."""
        since = self.taken_since
        taken = [t for t in (self.acked_at, self.resolved_at) if t is not None and t >= since]
        return max(min(taken) - since, timedelta(0)) if taken else None

    def as_dict(self) -> dict[str, Any]:
        def at(value: datetime | None) -> str | None:
            return value.isoformat() if value else None

        waited = self.time_to_ack
        return {
            "id": self.incident_id, "bank": self.bank_id, "day": self.day.isoformat(), "level": self.level,
            "first_level": self.first_level, "current_level": self.current_level, "colour": self.colour,
            "kind": self.kind, "kinds": list(self.kinds), "category": self.category, "title": self.title,
            "url": self.url, "first_source": self.first_source, "first_published_at": at(self.first_published_at),
            "heat": self.heat, "growth": self.growth, "reprints": self.reprints, "event_ids": list(self.event_ids),
            "state": self.state, "first_raised_at": at(self.first_raised_at), "last_seen_at": at(self.last_seen_at),
            "escalated_at": at(self.escalated_at), "acked_by": self.acked_by, "acked_at": at(self.acked_at),
            "ack_note": self.ack_note, "resolved_by": self.resolved_by, "resolved_at": at(self.resolved_at),
            "resolve_note": self.resolve_note, "reopened_at": at(self.reopened_at),
            "time_to_ack_s": round(waited.total_seconds()) if waited is not None else None,
        }


class PushState(StrEnum):
    PENDING = "pending"  # to be sent (again, after a failure, at next_attempt_at)
    HELD = "held"  # waiting for the channel's quiet hours to end
    SENT = "sent"
    EXPIRED = "expired"  # undelivered past [alerts.intraday] max_age_hours: given up, and reported
    CANCELLED = "cancelled"  # acknowledged or resolved before it went out: nobody needs it now


@dataclass(frozen=True, slots=True)
class PushRecord:
    """One message an incident owes a channel (a row of the push outbox)."""

    push_id: int
    incident_id: int
    channel: str
    level: int
    reason: str  # new | escalation | reminder
    seq: int
    state: str
    attempts: int
    created_at: datetime
    next_attempt_at: datetime
    last_attempt_at: datetime | None = None
    sent_at: datetime | None = None
    last_error: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.push_id, "alert_id": self.incident_id, "channel": self.channel, "level": self.level,
                "reason": self.reason, "seq": self.seq, "state": self.state, "attempts": self.attempts,
                "created_at": self.created_at.isoformat(), "next_attempt_at": self.next_attempt_at.isoformat(),
                "sent_at": self.sent_at.isoformat() if self.sent_at else None, "last_error": self.last_error}


@dataclass(frozen=True, slots=True)
class PushHealthRow:
    """A push channel with pushes undelivered (the report's source-status section lists it)."""

    channel: str
    pending: int  # waiting for a retry
    held: int  # waiting for quiet hours to end
    expired: int  # given up in the report's period
    attempts: int  # of the oldest undelivered push
    last_error: str | None
    next_attempt_at: datetime | None


@dataclass(slots=True)
class IntradayOutcome:
    """What one rolling-window evaluation did: the incidents it saw and the pushes that went out."""

    window_start: datetime
    window_end: datetime
    incidents: list[tuple[AlertIncident, str]] = field(default_factory=list)  # (incident, new | escalated | seen)
    sent: list[PushRecord] = field(default_factory=list)
    failed: list[PushRecord] = field(default_factory=list)  # attempted, still pending (retried later)
    held: list[PushRecord] = field(default_factory=list)  # quiet hours
    expired: list[PushRecord] = field(default_factory=list)

    @property
    def pushes_ok(self) -> bool:
        """No push failed (it stays pending and is retried) and none expired in this round: the duty
        desk heard of every alert it was owed.  Held pushes (quiet hours) are not failures."""
        return not self.failed and not self.expired

    def summary(self) -> str:
        changes = Counter(change for _, change in self.incidents)
        return (f"alerts: {len(self.incidents)} active ({changes['new']} new, {changes['escalated']} escalated) · "
                f"pushes: {len(self.sent)} sent, {len(self.failed)} failed, {len(self.held)} held, "
                f"{len(self.expired)} expired")

    def as_dict(self) -> dict[str, Any]:
        return {"window_start": self.window_start.isoformat(), "window_end": self.window_end.isoformat(),
                "alerts": [{**i.as_dict(), "change": change} for i, change in self.incidents],
                "sent": [p.as_dict() for p in self.sent], "failed": [p.as_dict() for p in self.failed],
                "held": [p.as_dict() for p in self.held], "expired": [p.as_dict() for p in self.expired],
                "pushes_ok": self.pushes_ok}
