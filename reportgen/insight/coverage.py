"""The sections a 舆情日报 reader expects beyond the counts: 情感分布, 媒体来源 TOP-N, each top
incident's 传播趋势 and 事件脉络, 热词 and 正面传播; and the banks' names in the report's language.

Every figure is counted in SQL (:mod:`reportgen.store.figures`); rows come back only for what
the briefing shows: an incident's landmarks (its first copy in each channel, its latest copy) and
the bank's response candidates, never all its reprints.

The rules, in one place:

* **Whose coverage.**  The bank's own mentions (banks with role "self"); every configured bank's
  when no bank has that role.
* **Top incidents** are page 1's top events: the bank's own negative events, then its other
  events, then the peers' negative ones, each group hottest first.
* **The bank's response** (回应) to an incident is an item naming one of the incident's banks,
  published from the incident's first copy to the end of the period, whose title holds a response
  word (:data:`RESPONSE_TERMS`: 回应, 声明, 致歉, 澄清 …), and which is linked to the incident:
  a copy of the same story, or a headline sharing at least :data:`LINK_BIGRAMS` two-character
  sequences with the incident's headline once the banks' names are taken out
  ("工商银行回应手机银行故障" and "工商银行手机银行突发故障…" share 手机, 机银, 故障).  A top
  incident with no response of its own takes that of another top incident of the same bank and
  main category, published after it, whose headline shares a topic bigram with its own (the
  statement on an outage answers every story of the outage).
* **热词** are the terms the scoring rules matched in the period's items (the judgements' reasons),
  counted once per item: real words by construction, each with the sign the rules gave it.  A
  ``cue…object`` pattern, a reporting frame (网曝, 据报道), a bank's name and the generic words
  of :data:`STOP_TERMS` are left out.  A CJK n-gram count would need a word segmenter to avoid
  fragments such as 发故障; the lexicon terms need none.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from reportgen.config.banks_en import display_names
from reportgen.config.core import Config
from reportgen.insight import duplicates
from reportgen.insight.duplicates import RESPONSE_TERMS, STOP_TERMS, has_response_word
from reportgen.insight.incidents import event_ids_of
from reportgen.models import (
    AlertSummary,
    EventSummary,
    HotTerm,
    IncidentTrack,
    SentimentSplit,
    SourceCount,
    TimelineEntry,
    isolated,
)
from reportgen.periods import Period, Window, day_start
from reportgen.store import figures
from reportgen.store.db import Store
from reportgen.store.event_rows import EventCopyRow

TOP_INCIDENTS = 3  # page 1's top events
MEDIA_TOP = 10  # 媒体来源 TOP-N
HOT_TERMS = 15
POSITIVE_MAX = 5  # 正面传播: stories listed
POSITIVE_SCAN = 2_000  # positive items read (ids only) to group them by story
REASON_SCAN = 20_000  # judgements read for 热词
RESPONSE_SCAN = 200  # response candidates read per incident
TIMELINE_MAX = 8  # entries per incident
RESPONSES_MAX = 3  # of those, the bank's responses
LINK_BIGRAMS = duplicates.LINK_BIGRAMS



@dataclass(frozen=True, slots=True)
class Coverage:
    """What :func:`gather` found; :func:`reportgen.insight.aggregate.report_data` puts it into ReportData."""

    sentiment: SentimentSplit | None = None
    previous_sentiment: SentimentSplit | None = None
    media_sources: tuple[SourceCount, ...] = ()
    media_sources_total: int = 0
    incidents: tuple[IncidentTrack, ...] = ()
    hot_terms: tuple[HotTerm, ...] = ()
    positive_ids: tuple[str, ...] = ()  # the stories to list, one item each, best first
    positive_copies: dict[str, int] = field(default_factory=dict)  # listed item → positive copies of its story
    positive_total: int = 0  # positive stories in the period
    positive_rows: tuple[dict[str, Any], ...] = ()  # item × bank rows of ``positive_ids``


def whose(config: Config) -> tuple[frozenset[str], bool]:
    """The banks whose coverage the sections show, and whether they are the bank itself."""
    own = frozenset(b.id for b in config.banks if b.role == "self")
    return (own, True) if own else (frozenset(b.id for b in config.banks), False)


def top_incidents(events: Sequence[EventSummary], self_ids: Collection[str],
                  n: int = TOP_INCIDENTS) -> list[EventSummary]:
    """Page 1's top events: the bank's own negative events, its other events, then the others'
    negative ones, each group hottest first (``events`` arrive hottest first)."""
    own = frozenset(self_ids)
    groups: list[list[EventSummary]] = [[], [], [], []]  # own negative, own other, others' negative, others' other
    for event in events:  # one pass, hottest first, until the first group alone has enough
        group = groups[2 * own.isdisjoint(event.bank_ids) + (event.label != "negative")]
        if len(group) < n:
            group.append(event)
            if len(groups[0]) >= n:
                break
    return [e for group in groups for e in group][:n]


def gather(store: Store, config: Config, period: Period, events: Sequence[EventSummary],
           counts: figures.PeriodCounts | None = None, read: Sequence[EventCopyRow] | None = None) -> Coverage:
    """The sections' data for ``period``: counted in SQL, rows only for what is shown.  ``counts``
    are the period's :func:`reportgen.store.figures.period_counts` where the report has them (with
    :func:`whose`'s banks as scope), else they are counted here; ``read`` are the period's items as
    the events' reading holds them (:func:`reportgen.insight.summaries.window_items`), where the
    report has them: the positive items are picked from them."""
    tz, start_hour = config.settings.tz, config.report.day_start_hour
    window = Window.for_days(period.first, period.last, tz, start_hour)
    step = timedelta(days=1 if period.kind == "daily" else 7)
    previous = Window.for_days(period.first - step, period.last - step, tz, start_hour)
    banks, is_self = whose(config)
    self_ids = banks if is_self else frozenset()
    scope = banks if is_self else None
    with figures.reading(store) as conn:
        if counts is not None:
            (before, now), sources = counts.labels, counts.sources
        else:
            before, now = figures.label_counts(conn, [previous.start, window.start, window.end], scope)
            sources = figures.source_counts(conn, window.start, window.end, scope)
        tally = figures.reason_terms(conn, window.start, window.end, scope, REASON_SCAN)
        positive = figures.labelled_item_ids(conn, window.start, window.end, banks, "positive", POSITIVE_SCAN, read)
        top = top_incidents(events, self_ids)
        # every top incident's response candidates from one scan of the titles
        since = min([_responses_from(e, window) for e in top], default=window.end)
        responses = figures.response_rows(conn, sorted({b for e in top for b in e.bank_ids}), since, window.end,
                                          RESPONSE_TERMS, read if read is not None and since >= window.start else None)
        tracks = shared_responses(top, [_track(conn, config, period, window, e, responses) for e in top], config)
        event_of = events_of(read, positive) if read is not None else _event_of(store, positive)
        ids, copies, total = _positive_stories(positive, event_of, events, banks)
        rows = figures.mention_rows_for(conn, ids)
    return Coverage(
        sentiment=_split(now), previous_sentiment=_split(before),
        media_sources=tuple(SourceCount(*row) for row in sources[:MEDIA_TOP]), media_sources_total=len(sources),
        incidents=tuple(tracks), hot_terms=hot_terms(tally, config),
        positive_ids=tuple(ids), positive_copies=copies, positive_total=total, positive_rows=tuple(rows),
    )


def _split(counts: dict[str, int]) -> SentimentSplit:
    return SentimentSplit(counts.get("positive", 0), counts.get("neutral", 0), counts.get("negative", 0),
                          counts.get("unscored", 0))


def events_of(read: Iterable[EventCopyRow], item_ids: Collection[str]) -> dict[str, str]:
    """Each clustered item of ``item_ids``' event, from items read already (which must hold them)."""
    wanted = set(item_ids)
    return {item[1]: item[7] for item in read if item[1] in wanted and item[7] is not None}


def _event_of(store: Store, item_ids: Sequence[str]) -> dict[str, str]:
    return event_ids_of(store, item_ids) if item_ids else {}


# --- 正面传播 ---------------------------------------------------------------------------------------


def _positive_stories(item_ids: Sequence[str], event_of: dict[str, str], events: Sequence[EventSummary],
                      banks: Collection[str]) -> tuple[list[str], dict[str, int], int]:
    """The positive items grouped by story (near-duplicate events count as one, as in the events
    table), best first: the story's heat for the banks, then its newest copy.  One item per story,
    its earliest copy; with each listed item, its story's number of positive copies."""
    story = {merged: e for e in events for merged in e.event_ids}
    groups: dict[str, list[str]] = {}
    for item_id in item_ids:  # newest first
        event = story.get(event_of.get(item_id, ""))
        groups.setdefault(event.event_id if event else f"item {item_id}", []).append(item_id)
    order = {key: i for i, key in enumerate(groups)}

    def heat(key: str) -> float:
        event = story.get(key)
        return sum(event.bank_heat.get(b, 0.0) for b in banks) if event else 0.0

    ranked = sorted(groups, key=lambda key: (-heat(key), order[key]))[:POSITIVE_MAX]
    listed = [groups[key][-1] for key in ranked]
    return listed, {groups[key][-1]: len(groups[key]) for key in ranked}, len(groups)


# --- 热词 ----------------------------------------------------------------------------------------


def hot_terms(tally: dict[str, tuple[int, float]], config: Config, limit: int = HOT_TERMS) -> tuple[HotTerm, ...]:
    """The most frequent lexicon terms, without patterns, banks' names and generic words."""
    names = {t for b in config.banks for t in b.terms}
    kept = []
    for term, (n, weight) in tally.items():
        term = term.strip()
        if len(term) < 2 or "…" in term or "..." in term or term in STOP_TERMS:
            continue
        if any(term in name or name in term for name in names):
            continue
        kept.append(HotTerm(term, n, "negative" if weight < 0 else "positive"))
    kept.sort(key=lambda t: (-t.items, t.term))
    return tuple(kept[:limit])


# --- an incident's spread and timeline ----------------------------------------------------------


def _responses_from(event: EventSummary, window: Window) -> datetime:
    """Where an incident's responses are looked for: from its first copy (to the window's end)."""
    return min(event.first_published_at, window.end)


def _track(conn: Any, config: Config, period: Period, window: Window, event: EventSummary,
           responses: Sequence[dict[str, Any]]) -> IncidentTrack:
    tz, start_hour = config.settings.tz, config.report.day_start_hour
    if period.kind == "daily":
        hours = int((window.end - window.start).total_seconds() // 3600)
        bounds = [window.start + timedelta(hours=h) for h in range(hours)] + [window.end]
        step = 1
    else:
        days = (period.last - period.first).days + 1
        bounds = [day_start(period.first + timedelta(days=d), tz, start_hour) for d in range(days + 1)]
        step = 24
    spread, earlier = figures.event_buckets(conn, event.event_ids, bounds)
    landmarks = figures.event_landmarks(conn, event.event_ids, window.end)
    candidates = figures.responses_of(responses, event.bank_ids, _responses_from(event, window), RESPONSE_SCAN)
    # A headline that itself holds a response word (…支行回应：已上门服务) is the bank's response:
    # its first copy is, and its other copies are reprints of it, not further responses.
    own = has_response_word(event.title)
    responses = [r for r in candidates
                 if linked(r, event, config) and not (own and r.get("event_id") in event.event_ids)]
    return IncidentTrack(event.event_id, tuple(spread), window.start.astimezone(tz), step, earlier,
                         timeline(landmarks, responses, tz, first_is_response=own))


def shared_responses(events: Sequence[EventSummary], tracks: Sequence[IncidentTrack],
                     config: Config) -> list[IncidentTrack]:
    """One incident, one response: a top incident with no response of its own takes the response of
    another top incident of the same bank and main category whose headline shares a topic bigram
    with its own (a second outage story, "工行App登录…系统繁忙", is answered by the bank's statement on
    the outage, "…无法登录"), if it came after the incident's first report."""
    out = list(tracks)
    for i, (event, track) in enumerate(zip(events, tracks, strict=True)):
        if track.responses or not event.categories:
            continue
        for other, answered in zip(events, tracks, strict=True):
            if other is event or not answered.responses or not set(other.bank_ids) & set(event.bank_ids) \
                    or not other.categories or other.categories[0] != event.categories[0] \
                    or not topic_bigrams(other.title, config) & topic_bigrams(event.title, config):
                continue
            later = [r for r in answered.responses if r.published_at >= event.first_published_at]
            if later:
                entries = sorted((*track.entries, later[0]), key=lambda e: e.published_at)
                out[i] = replace(track, entries=tuple(entries))
                break
    return out


def linked(row: dict[str, Any], event: EventSummary, config: Config) -> bool:
    """Whether a response candidate is about ``event``: a copy of it, or a headline close to its headline."""
    if row.get("event_id") in event.event_ids:
        return True
    return len(topic_bigrams(str(row["title"]), config) & topic_bigrams(event.title, config)) >= LINK_BIGRAMS


def topic_bigrams(title: str, config: Config) -> set[str]:
    """The two-character CJK sequences of ``title`` once the banks' names and aliases are taken out."""
    return duplicates.topic_bigrams(title, duplicates.bank_terms_of([b.terms for b in config.banks]))


def timeline(landmarks: Sequence[dict[str, Any]], responses: Sequence[dict[str, Any]], tz: Any, *,
             first_is_response: bool = False) -> tuple[TimelineEntry, ...]:
    """First copy, first copy in each other channel, the bank's responses, the latest copy: oldest
    first, at most :data:`TIMELINE_MAX` entries (the first, the responses and the latest kept)."""
    kinds: dict[str, tuple[str, dict[str, Any]]] = {}
    for i, row in enumerate(landmarks):
        first = "response" if first_is_response else "first"
        kind = first if i == 0 else "latest" if row["latest_rank"] == 1 else "channel"
        kinds[row["item_id"]] = (kind, row)
    for row in responses[:RESPONSES_MAX]:
        kinds[row["item_id"]] = ("response", row)
    keep = {"first": 0, "response": 0, "latest": 0, "channel": 1}
    chosen = sorted(kinds.values(), key=lambda kr: (keep[kr[0]], kr[1]["published_at"]))[:TIMELINE_MAX]
    chosen.sort(key=lambda kr: (kr[1]["published_at"], kr[1]["item_id"]))
    return tuple(TimelineEntry(row["published_at"].astimezone(tz), kind, isolated(str(row["title"])),
                               row["url"] or None, str(row["source_name"]), str(row["channel"]))
                 for kind, row in chosen)


# --- names --------------------------------------------------------------------------------------


def localised(events: Sequence[EventSummary], alerts: Sequence[AlertSummary], config: Config,
              language: str) -> tuple[tuple[EventSummary, ...], tuple[AlertSummary, ...]]:
    """Events and alerts with the banks named in ``language`` (English: ``name_en`` or the common
    English name), the alerts' reasons included: they were written with the configured name."""
    if language != "en":
        return tuple(events), tuple(alerts)
    names = display_names(config.banks, language)
    configured = {b.id: b.name for b in config.banks}

    def reason(text: str, bank_id: str) -> str:
        name = configured.get(bank_id)
        return text.replace(name, names[bank_id]) if name and name != names[bank_id] else text

    return (tuple(replace(e, bank_names=tuple(names.get(b, n) for b, n in zip(e.bank_ids, e.bank_names, strict=False)))
                  for e in events),
            tuple(replace(a, bank_name=names.get(a.bank_id, a.bank_name), reason=reason(a.reason, a.bank_id),
                          reasons=tuple(reason(r, a.bank_id) for r in a.reasons)) for a in alerts))
