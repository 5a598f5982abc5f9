"""Report data → what the briefing shows: page 1's KPI cards, overview paragraph and top events,
the charts, and the rows of each later section.

An executive gives the briefing a minute, on a phone, so page 1 states the whole story in
sentences built from the figures ("本期共监测到…其中负面…较上期…"), and each of the three events
it names comes with what to do about it.  The same context feeds the report (HTML, PDF) and the
mail body, so the mail shows exactly page 1.

Every user-visible string goes through gettext (:mod:`reportgen.i18n`); every figure through the
locale's number and date formats.  Sentences are :class:`markupsafe.Markup` with the figures in
``<strong>``: the translated pattern is trusted, the values (feed text included) are escaped when
they are substituted.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from markupsafe import Markup

from reportgen import __version__
from reportgen.config.defaults import RESPOND_STEPS
from reportgen.errors import RenderError
from reportgen.insight.duplicates import INCIDENT_HOURS, MIN_TITLE_SIMILARITY, WITHIN_HOURS
from reportgen.models import (
    AlertSummary,
    BankTotal,
    EventSummary,
    PeriodTotals,
    ReportData,
    ReportItem,
    TimelineEntry,
    level_colour,
)
from reportgen.periods import Period, report_title, week_label
from reportgen.report import charts
from reportgen.report.briefing_charts import CHART_NAMES, chart_images, chart_titles
from reportgen.report.i18n import HTML_LANG, N_, Formatter, check_language, translations
from reportgen.report.sections import CoverageSections, span_hours

log = logging.getLogger(__name__)

TOP_EVENTS = 3  # page 1
TITLE_CHARS = 80  # page 1 must fit one A4 page whatever a headline's length
# A change against fewer than this many items is not a trend: one item more or less moves it by 20
# points or more, and 1 → 21 reads as +2000 %.  Such a rise is shown as 新增 / new, with the
# numbers, and no percentage is printed against such a base.
SMALL_BASE = 5
MISSING_NAMES_MAX = 8  # the 数据采集异常 banner names this many sources that did not answer, then "等 N 个"

CHANNEL_NAMES = {
    "print": N_("Print"), "broadcast": N_("Broadcast"), "online": N_("Online news"),
    "social": N_("Social media"), "regulator": N_("Regulator"), "complaint": N_("Complaint platform"),
}
ROLE_NAMES = {"self": N_("Us"), "competitor": N_("Peer")}
STATUS_NAMES = {"ok": N_("OK"), "not_modified": N_("Not modified (304)"), "failed": N_("Failed"),
                "never": N_("Never fetched"), "empty": N_("Empty")}
LABEL_NAMES = {"negative": N_("Negative"), "neutral": N_("Neutral"), "positive": N_("Positive"),
               "unscored": N_("Not scored")}
# 一级 (红色) is the most severe, as Chinese banks and regulators number alert levels
LEVEL_NAMES = {0: N_("None"), 1: N_("Level 1"), 2: N_("Level 2"), 3: N_("Level 3"), 4: N_("Level 4")}
LEVEL_COLOUR_NAMES = {1: N_("red"), 2: N_("orange"), 3: N_("yellow"), 4: N_("blue")}
LEVEL_NOTES = {1: N_("severe"), 2: N_("moderate"), 3: N_("watch"), 4: N_("watch")}
ALERT_KINDS = {"volume": N_("Negative volume"), "heat": N_("Heat"), "category": N_("Risk category")}
# The response playbook is for bad news: a positive or neutral event gets its own line, never the
# crisis steps (核实、回应、内部调查) of the negative playbook.
CALM_ACTIONS = {"positive": N_("Positive coverage: consider sharing it further."),
                "neutral": N_("Keep monitoring; no action needed.")}


@dataclass(frozen=True, slots=True)
class Kpi:
    label: str
    value: str
    note: Markup | str = ""
    alert: bool = False  # drawn heavier (and not by colour alone)
    level: int = 0  # an alert level card: coloured as the level (1 = 一级, red)


@dataclass(frozen=True, slots=True)
class TopEntry:
    """One of page 1's top three: an event, or (until events exist) a negative item."""

    title: str
    url: str | None
    meta: tuple[str, ...]  # first source, time, reprints, categories: joined with " · "
    label: str  # negative | neutral | positive | unscored
    action: str
    owner: str = ""


@dataclass(frozen=True, slots=True)
class Change:
    """A figure against the previous period, ready to print."""

    delta: int
    text: str  # "+12 (+36.4%)", "−3", "0"
    direction: str  # up | down | flat


class Briefing(CoverageSections):
    """The context of one rendering.  ``context()`` is what the templates receive."""

    def __init__(self, report: ReportData, *, with_charts: bool = True) -> None:
        self.report = report
        self.language = check_language(report.language)
        self.gettext = translations(self.language).gettext
        self.ngettext = translations(self.language).ngettext
        self.pgettext = translations(self.language).pgettext
        self.fmt = Formatter(self.language)
        self.zone = _zone(report.timezone)
        self.daily = report.period == "daily"
        self.with_charts = with_charts
        self.totals = report.totals
        self.self_banks = [b for b in report.bank_totals if b.role == "self"]

    # --- names ---

    def _(self, message: str, **values: Any) -> str:
        text = self.gettext(message)
        return text % values if values else text

    def channel(self, code: str) -> str:
        return self.gettext(CHANNEL_NAMES[code]) if code in CHANNEL_NAMES else code

    def role(self, code: str) -> str:
        return self.gettext(ROLE_NAMES[code]) if code in ROLE_NAMES else code

    def status(self, code: str) -> str:
        return self.gettext(STATUS_NAMES[code]) if code in STATUS_NAMES else code

    def label(self, code: str | None) -> str:
        return self.gettext(LABEL_NAMES[code or "unscored"]) if (code or "unscored") in LABEL_NAMES else str(code)

    def level(self, level: int) -> str:
        """一级（红色） / Level 1 (red); 无 / None for 0."""
        if level not in LEVEL_COLOUR_NAMES:
            return self.gettext(LEVEL_NAMES[0])
        return self._("%(level)s (%(colour)s)", level=self.gettext(LEVEL_NAMES[level]),
                      colour=self.gettext(LEVEL_COLOUR_NAMES[level]))

    def level_colour(self, level: int) -> str:
        """The level's colour code (red, orange, yellow, blue) for the markup's classes; "" for none."""
        return level_colour(level)

    def level_note(self, level: int) -> str:
        return self.gettext(LEVEL_NOTES[level]) if level in LEVEL_NOTES else ""

    def alert_kind(self, code: str) -> str:
        return self.gettext(ALERT_KINDS[code]) if code in ALERT_KINDS else code

    def alert_kinds(self, alert: AlertSummary) -> str:
        """Every trigger of one incident, and its category: 风险类别、负面量异常、热度 · 系统故障."""
        kinds = self._list(self.alert_kind(k) for k in alert.all_kinds)
        return f"{kinds} · {self.category(alert.category)}" if alert.category else kinds

    def heat(self, value: float) -> str:
        """A heat as every part of a report prints it: a whole number (97, as the alerts' reasons and the
        pushed messages write it), so 热度 97 in an alert and 96.8 in the events table never name one
        event's heat two ways."""
        return f"{value:.0f}"

    def reprints(self, n: int) -> str:
        """转载 12 次 / 12 reprints."""
        return self.ngettext("%(n)s reprint", "%(n)s reprints", n) % {"n": self.fmt.number(n)}

    def category(self, code: str) -> str:
        return self.report.category_names.get(code, code)

    def categories(self, codes: Sequence[str]) -> str:
        return self._list(self.category(c) for c in codes)

    def _list(self, parts: Any) -> str:
        """Names in a row: 中国工商银行、中国银行 / ICBC, BOC."""
        return self.separator.join(parts)

    @property
    def sentence_gap(self) -> str:
        """What goes between two sentences: nothing after 。, a space after a Latin full stop."""
        return "" if self.gettext(".").endswith("。") else " "

    @property
    def separator(self) -> str:
        return self.pgettext("list", ", ")

    @property
    def self_name(self) -> str:
        return self._list(b.name for b in self.self_banks) if self.self_banks else self._("all monitored banks")

    # --- period ---

    @property
    def title(self) -> str:
        return self.report.title or report_title(self.report.period, self.language)

    @property
    def period_key(self) -> str:
        return self.report.day.isoformat() if self.daily else Period.week_of(self.report.day).key

    @property
    def period_label(self) -> str:
        if self.daily:
            return self.fmt.date_full(self.report.day)
        return week_label(self.report.day, self.report.last_day or self.report.day, self.language)

    @property
    def window_label(self) -> str:
        start, end = self.report.window_start.astimezone(self.zone), self.report.window_end.astimezone(self.zone)
        return self._("%(start)s to %(end)s (%(zone)s)", start=start.strftime("%Y-%m-%d %H:%M"),
                      end=end.strftime("%Y-%m-%d %H:%M"), zone=self.report.timezone)

    @property
    def created(self) -> datetime:
        """The PDF's creation date: the end of the covered window, fixed by the report date, so
        two renderings of the same period are the same document; for a period not yet over, the
        time the data runs to."""
        end = self.report.generated_at if self.unfinished else self.report.window_end
        return end.astimezone(self.zone)

    @property
    def unfinished(self) -> bool:
        """The report was made before its window ended (``report daily --date`` today, ``report weekly``
        for the running week): its figures are partial.  Page 1 says so, compares nothing with the
        previous (whole) period and gives no all-clear."""
        return self.report.generated_at < self.report.window_end

    def unfinished_note(self) -> str:
        """本期尚未结束，数据截至 14:05 … for a period not yet over; "" otherwise."""
        if not self.unfinished:
            return ""
        local = self.report.generated_at.astimezone(self.zone)
        return self._("This period has not ended yet: the figures run to %(time)s and are not compared with the "
                      "previous period; they are not an all-clear.", time=local.strftime("%Y-%m-%d %H:%M"))

    # --- changes ---

    def change(self, now: int, before: int | None) -> Change | None:
        """The change on the previous period; None when there is none to compare with, or when this
        period is not over (part of a period against a whole one would read as a fall)."""
        if before is None or self.report.previous is None or self.unfinished:
            return None
        delta = now - before
        text = self.fmt.signed(delta)
        if delta > 0 and before < SMALL_BASE:
            text = self._("%(delta)s (new)", delta=text)
        elif delta and before >= SMALL_BASE:
            text += self._(" (%(pct)s)", pct=self._relative(delta / before))
        return Change(delta, text, "up" if delta > 0 else "down" if delta < 0 else "flat")

    def _change_phrase(self, now: int, before: int) -> str:
        """较上期增加 12 条（+36.4%） / 12 more than the previous period (+36.4%)."""
        delta = now - before
        if delta == 0:
            return self._("the same as the previous period")
        n = self.fmt.number(abs(delta))
        if delta > 0 and before < SMALL_BASE:  # 新增: no percentage against a base this small
            if not before:
                return self.ngettext("%(n)s new, none in the previous period",
                                     "%(n)s new, none in the previous period", abs(delta)) % {"n": n}
            return self.ngettext("%(n)s new; the previous period had only %(before)s",
                                 "%(n)s new; the previous period had only %(before)s",
                                 abs(delta)) % {"n": n, "before": self.fmt.number(before)}
        if delta > 0:
            phrase = self.ngettext("%(n)s more than the previous period", "%(n)s more than the previous period",
                                   abs(delta)) % {"n": n}
        else:
            phrase = self.ngettext("%(n)s fewer than the previous period", "%(n)s fewer than the previous period",
                                   abs(delta)) % {"n": n}
        if before >= SMALL_BASE:
            phrase += self._(" (%(pct)s)", pct=self._relative(delta / before))
        return phrase

    def _relative(self, ratio: float) -> str:
        """+36.4%, but +425% rather than +425.0%: past 100 % the decimal is noise."""
        return self.fmt.signed_percent(ratio, 0 if abs(ratio) >= 1 else 1)

    # --- page 1 ---

    def kpis(self) -> list[Kpi]:
        t, prev = self.totals, self.report.previous
        mentions_change = self.change(t.self_mentions, prev.self_mentions if prev else None)
        negative_change = self.change(t.self_negative, prev.self_negative if prev else None)
        vs = self._("vs previous: %(change)s")
        level = self.report.alert_level
        own_alerts = self.own_alerts()
        rank, of = self.rank()
        so_far = self._("so far: the period has not ended")
        if level:
            level_value = self.gettext(LEVEL_NAMES[level]) if level in LEVEL_NAMES else self.level(level)
            level_note = self._("%(colour)s alert, %(note)s", colour=self.gettext(LEVEL_COLOUR_NAMES[level]),
                                note=self.level_note(level)) if level in LEVEL_COLOUR_NAMES else ""
            level_note += self.gettext("; ") + self.ngettext(
                "%(n)s incident", "%(n)s incidents", len(own_alerts)) % {"n": len(own_alerts)}
        elif not self.data_complete:  # no alert on no data is not "no alert"
            level_value, level_note = self._("Unknown"), self._("data collection failed: cannot tell")
        elif self.unfinished:  # no alert yet in a period still running is not "no alert"
            level_value, level_note = self._("None so far"), so_far
        else:
            level_value, level_note = self.level(0), self._("no alert raised")
        if rank:
            rank_note = self._("rank %(rank)s of %(banks)s banks", rank=rank, banks=of)
        elif not self.data_complete:
            rank_note = self._("not ranked: data incomplete")
        else:
            rank_note = ""
        return [
            Kpi(self._("Mentions of us"), self.fmt.number(t.self_mentions),
                vs % {"change": mentions_change.text} if mentions_change else so_far if self.unfinished else ""),
            Kpi(self._("Negative"), self.fmt.number(t.self_negative),
                self._("%(share)s of our mentions", share=self.fmt.percent(t.self_negative_share))
                + (self.gettext("; ") + vs % {"change": negative_change.text} if negative_change else ""),
                alert=t.self_negative > 0),
            Kpi(self._("Share of voice"), self.fmt.percent(t.self_share_of_voice), rank_note),
            Kpi(self._("Alert level"), level_value, level_note,
                alert=0 < level <= 2 or not self.data_complete, level=level),
        ]

    def shown_banks(self) -> list[tuple[int, BankTotal]]:
        """The banks the peer tables list, with their rank by mentions among all configured banks:
        the ``banks_max`` most mentioned, and the bank itself wherever it ranks."""
        ordered = sorted(self.report.bank_totals, key=lambda b: -b.mentions)  # stable: config order on ties
        return [(i, b) for i, b in enumerate(ordered, 1) if i <= self.report.banks_max or b.role == "self"]

    def banks_not_shown(self) -> tuple[int, int, int]:
        """The banks the peer tables leave out: how many, their mentions and their negatives."""
        shown = {b.bank_id for _, b in self.shown_banks()}
        rest = [b for b in self.report.bank_totals if b.bank_id not in shown]
        return len(rest), sum(b.mentions for b in rest), sum(b.negative for b in rest)

    def rank(self) -> tuple[int, int]:
        """The bank's place by mentions among the configured banks, and how many there are.

        Banks with as many mentions share a place (1 + the banks with more), so a tie is not a win.
        The place is 0, not shown, when there is no self bank, when it was not mentioned at all
        (第1位 of banks that all have nothing is no place), or when the data is incomplete.
        """
        banks = self.report.bank_totals
        own = [b for b in banks if b.role == "self"]
        if not own or not self.data_complete or not sum(b.mentions for b in own):
            return 0, len(banks)
        mentions = max(b.mentions for b in own)
        return 1 + sum(1 for b in banks if b.role != "self" and b.mentions > mentions), len(banks)

    @property
    def data_complete(self) -> bool:
        """The data-completeness gate: enough sources answered and no channel is dark."""
        return self.report.completeness.complete

    @property
    def quiet(self) -> bool:
        """No negative coverage of the bank and no alert, with the sources answering: page 1 says so
        in as many words.  Never on incomplete data: a day we did not see is not a quiet day."""
        return (self.data_complete and not self.unfinished and self.totals.self_negative == 0
                and self.report.alert_level == 0)

    def gate(self) -> dict[str, Any] | None:
        """The 数据采集异常 banner that opens page 1 when the data is incomplete, else None."""
        c = self.report.completeness
        if c.complete:
            return None
        lines = []
        if not c.sources:
            lines.append(self._("No source is configured or enabled: nothing was monitored."))
        elif c.share < c.min_share:
            lines.append(self._("Only %(answered)s of %(sources)s sources answered (%(share)s; at least %(min)s "
                                "is needed).", answered=self.fmt.number(c.delivered),
                                sources=self.fmt.number(c.sources), share=self.fmt.percent(c.share),
                                min=self.fmt.percent(c.min_share)))
        if c.empty:
            lines.append(self.ngettext(
                "%(n)s source answered with an empty feed (a broken route or a blocked upstream looks like this).",
                "%(n)s sources answered with an empty feed (a broken route or a blocked upstream looks like this).",
                c.empty) % {"n": self.fmt.number(c.empty)})
        if c.stale:
            lines.append(self._("No source published anything in this period: what was fetched is older than the "
                                "period."))
        if c.dark_channels:
            lines.append(self._("No source answered in: %(channels)s.",
                                channels=self._list(self.channel(ch) for ch in c.dark_channels)))
        if c.missing:
            names = [self._("%(name)s (%(status)s)", name=r.name, status=self.status("empty" if r.empty else r.status))
                     for r in c.missing[:MISSING_NAMES_MAX]]
            more = len(c.missing) - len(names)
            listed = self._list(names) + (self._(" and %(n)s more", n=more) if more > 0 else "")
            lines.append(self._("Not answering: %(sources)s.", sources=listed))
        if c.newest_item_at is not None:
            lines.append(self._("The newest item stored was published at %(time)s.",
                                time=c.newest_item_at.astimezone(self.zone).strftime("%Y-%m-%d %H:%M")))
        else:
            lines.append(self._("No item has been stored yet."))
        lines.append(self._("The figures below are incomplete: do not read them as a quiet period."))
        return {"title": self._("Data collection failed"), "lines": lines, "missing": c.missing}

    def subject_level(self) -> str:
        """The subject's ``{level}``: the level with its colour, 无 when none, 未知 on incomplete data."""
        level = self.report.alert_level
        if not level and self.data_complete and self.unfinished:
            return self._("None so far")
        if level or self.data_complete:
            return self.level(level)
        return self._("Unknown")

    def overview(self) -> list[Markup]:
        """The overview paragraph, one sentence per entry, figures in bold."""
        r, t = self.report, self.totals
        prev = None if self.unfinished else self.report.previous  # part of a period is no match for a whole one
        b = _bold(self.fmt)
        sentences = [Markup(self.ngettext("In this period we found %(n)s item mentioning %(bank)s",
                                          "In this period we found %(n)s items mentioning %(bank)s",
                                          t.self_mentions)) % {"n": b(t.self_mentions), "bank": self.self_name}]
        if prev is not None:
            sentences[0] += Markup(self.gettext(", ")) + self._change_phrase(t.self_mentions, prev.self_mentions)
        if t.self_mentions:
            neg = Markup(self._("; %(n)s of them negative (%(share)s)")) % {
                "n": b(t.self_negative), "share": self.fmt.percent(t.self_negative_share)}
            if prev is not None:
                neg += Markup(self.gettext(", ")) + self._change_phrase(t.self_negative, prev.self_negative)
            sentences[0] += neg
        sentences[0] += Markup(self.gettext("."))
        rank, of = self.rank()
        all_banks = Markup(self._("Across all %(banks)s monitored banks there were %(n)s items, %(neg)s of them "
                                  "negative")) % {"banks": of, "n": b(t.total_items), "neg": b(t.negative_items)}
        if rank and t.mentions:
            all_banks += Markup(self._("; our share of voice was %(share)s, rank %(rank)s")) % {
                "share": b(self.fmt.percent(t.self_share_of_voice), raw=True), "rank": rank}
        sentences.append(all_banks + Markup(self.gettext(".")))
        hottest = self._own_events()[:1] or list(r.events[:1])
        if hottest:
            e = hottest[0]
            sentences.append(Markup(self.ngettext(
                "The hottest event was “%(title)s”, first published by %(source)s and reprinted %(reprints)s time.",
                "The hottest event was “%(title)s”, first published by %(source)s and reprinted %(reprints)s times.",
                e.reprint_count)) % {"title": _shorten(e.title), "source": e.first_source,
                                     "reprints": b(e.reprint_count)})
        own_alerts = self.own_alerts()
        if own_alerts:
            sentences.append(Markup(self.ngettext(
                "%(n)s incident raised an alert for us, the highest at %(level)s; see the recommended actions.",
                "%(n)s incidents raised alerts for us, the highest at %(level)s; see the recommended actions.",
                len(own_alerts))) % {"n": b(len(own_alerts)), "level": self.level(r.alert_level)})
        return sentences

    def own_alerts(self) -> list[AlertSummary]:
        """The bank's own alerts, one per incident, most severe first (page 1 lists up to three)."""
        own = self.report.self_bank_ids
        return sorted((a for a in self.report.alerts if a.bank_id in own), key=lambda a: (a.level, a.day, a.kind))

    # --- incidents: what happened, for the alerts and their 处置建议 ---

    def incident_event(self, alert: AlertSummary) -> EventSummary | None:
        """The event an alert is about (its first event), if the report has it."""
        if not alert.event_ids:
            return None
        wanted = alert.event_ids[0]
        return next((e for e in self.report.events if wanted in e.event_ids), None)

    def incident(self, alert: AlertSummary) -> str:
        """The incident named, before the playbook's steps: who, what, where it started and how fast
        it spread.  "12月6日 09:12起，中国工商银行「…」经财联社首发，9 小时内转载 12 次，主要渠道：
        社交媒体、网络媒体。"  Empty when the alert has no event (a volume spike of scattered items)."""
        e = self.incident_event(alert)
        if e is None:
            return ""
        first = e.first_published_at.astimezone(self.zone)
        values = {"time": f"{self.fmt.date_short(first.date())} {first:%H:%M}", "bank": alert.bank_name,
                  "title": _shorten(e.title, TITLE_CHARS), "source": e.first_source,
                  "channel": self.channel(e.first_channel)}
        if not e.reprint_count:
            return self._("%(time)s: %(bank)s, “%(title)s”, first published by %(source)s (%(channel)s), "
                          "not reprinted so far.", **values)
        hours = span_hours(e.spread_hours)  # as the 研判 counts it
        values.update(n=self.fmt.number(e.reprint_count), hours=self.fmt.number(hours),
                      channels=self._list(self.channel(c) for c in e.channels[:2]))
        return self.ngettext(
            "Since %(time)s: %(bank)s, “%(title)s”, first published by %(source)s (%(channel)s), reprinted "
            "%(n)s time within %(hours)s h, mainly on %(channels)s.",
            "Since %(time)s: %(bank)s, “%(title)s”, first published by %(source)s (%(channel)s), reprinted "
            "%(n)s times within %(hours)s h, mainly on %(channels)s.", e.reprint_count) % values

    def alert_title(self, alert: AlertSummary) -> str:
        """The incident's headline for page 1's alert lines ("" without an event)."""
        e = self.incident_event(alert)
        return _shorten(e.title, 40) if e else ""

    def item_reprints(self, item: ReportItem) -> int:
        """转载次数 for a row of the negative list: its event's, as the events table counts them, or
        the other negative copies of the period when the event is not among the report's events."""
        if item.event_id:
            for e in self.report.events:
                if item.event_id in e.event_ids:
                    return e.reprint_count
        return max(item.copies - 1, 0)

    def negative_note(self) -> str:
        """How the negative list relates to the count: copies grouped into stories, how many listed."""
        r = self.report
        total, listed = r.negative_total, len(r.items)
        stories = r.negative_groups or listed
        if stories >= total and listed >= total:
            return ""
        if listed < stories:
            return self._("%(total)s negative items in %(stories)s stories; %(listed)s stories listed, ours first.",
                          total=self.fmt.number(total), stories=self.fmt.number(stories),
                          listed=self.fmt.number(listed))
        return self._("%(total)s negative items in %(stories)s stories, each listed once with its reprints.",
                      total=self.fmt.number(total), stories=self.fmt.number(stories))

    def method_notes(self) -> list[str]:
        """口径说明: how the report counts, stated once."""
        c = self.report.completeness
        levels = self._list(self.level(n) for n in sorted(LEVEL_COLOUR_NAMES) if n < 4 or self._uses_level(n))
        return [
            self._("Heat = 100 × Σ channel weight × source weight over every copy published in the period, "
                   "not decayed; the heat an alert names is that day's."),
            self._("Alert levels, most severe first: %(levels)s. The triggers of one incident (negative volume, "
                   "heat, risk category) raise one alert with every reason, at the most severe level.",
                   levels=levels),
            self._("Events that are one story (same bank and judgement, a shared category, first published "
                   "within %(hours)s hours, headlines at least %(similarity)s alike with the same numbers) "
                   "are shown as one; the negative list shows each story once with its reprints.",
                   hours=self.fmt.number(int(WITHIN_HOURS)), similarity=self.fmt.percent(MIN_TITLE_SIMILARITY)),
            self._("The stories of one incident (the same banks, a shared risk category, first published within "
                   "%(hours)s hours of its first story, headlines on a common topic or both about an outage, with no "
                   "figures or places that differ), such as the first report, the bank's response and the posts "
                   "about it, are shown as one incident with its timeline.",
                   hours=self.fmt.number(int(INCIDENT_HOURS))),
            self._("A rise against fewer than %(n)s in the previous period is marked “new”, without a percentage.",
                   n=SMALL_BASE),
            self._("Data completeness: when fewer than %(min)s of the sources delivered items (an empty feed "
                   "counts as no answer), a channel had none, or nothing was published in the period, page 1 opens "
                   "with a data-collection warning and gives no all-clear.",
                   min=self.fmt.percent(c.min_share)),
        ]

    def _uses_level(self, level: int) -> bool:
        return any(a.level == level for a in self.report.alerts)

    def _own_events(self) -> list[EventSummary]:
        own = self.report.self_bank_ids
        return [e for e in self.report.events if own & set(e.bank_ids)]

    def top_entries(self) -> list[TopEntry]:
        """Page 1's top three events, the ones to act on first: the bank's own negative events, its
        other events, then the peers' negative ones, each group hottest first.  Without events (the
        clustering has not run), the bank's negative items stand in."""
        own = set(self.report.self_bank_ids)
        rank = {e.event_id: i for i, e in enumerate(self.report.events)}  # events arrive hottest first
        events = sorted(self.report.events, key=lambda e: (not own & set(e.bank_ids), e.label != "negative",
                                                           rank[e.event_id]))
        if events:
            return [self._event_entry(e) for e in events[:TOP_EVENTS]]
        return [self._item_entry(i) for i in self.report.items[:TOP_EVENTS]]

    def _event_entry(self, e: EventSummary) -> TopEntry:
        meta = [self._("first: %(source)s, %(time)s", source=e.first_source,
                       time=self.time(e.first_published_at)),
                self.ngettext("%(n)s reprint", "%(n)s reprints", e.reprint_count) % {"n": e.reprint_count},
                self._("heat %(heat)s", heat=self.heat(e.heat))]
        if e.categories:
            meta.append(self.categories(e.categories))
        if e.bank_names:
            meta.append(self._list(e.bank_names))
        action, owner = self.event_action(e)
        return TopEntry(_shorten(e.title, TITLE_CHARS), e.url, tuple(meta), e.label, action, owner)

    def _item_entry(self, item: ReportItem) -> TopEntry:
        negative = [j for j in item.judgements if j.label == "negative"]
        codes = tuple(dict.fromkeys(c for j in negative for c in j.categories))
        meta = [self._list([item.source_name, self.channel(item.channel)]), self.time(item.published_at)]
        if codes:
            meta.append(self.categories(codes))
        meta.append(self._list(j.bank_name for j in negative))
        action, owner = self._playbook_for(codes, "negative" if negative else "neutral")
        return TopEntry(_shorten(item.title, TITLE_CHARS), item.url, tuple(meta),
                        "negative" if negative else "neutral", action, owner)

    def event_action(self, e: EventSummary) -> tuple[str, str]:
        """The action line for an event: its incident's alert's (the playbook 预警与处置建议 prints for
        it, so page 1 and the alert name the same owner), else its main category's (from the data), or
        a default.  Only a negative event gets the playbook; a positive or neutral one gets its calm line."""
        if e.label != "negative":
            return self._calm_action(e.label), ""
        response = self.response_to(e)
        for alert in self.report.alerts:
            if alert.actions and set(e.event_ids) & set(alert.event_ids):
                return self._actions(alert, response), alert.owner
        if e.event_id in self.report.event_playbook:  # its main category's, from the data
            steps, owner = self.report.event_playbook[e.event_id]
            if response is not None:  # the bank has spoken: the playbook's steps after 回应
                return self._after_response(response, steps), owner
            return self.gettext("; ").join(steps[:2]), owner
        if response is not None:
            return self._after_response(response, ()), ""
        return self._playbook_for(e.categories, e.label)

    def response_to(self, e: EventSummary) -> TimelineEntry | None:
        """The bank's first response to the incident ``e`` belongs to (回应、致歉、情况说明), where the
        report traced one (page 1's top incidents)."""
        for track in self.report.incidents:
            if track.event_id in e.event_ids and track.responses:
                return track.responses[0]
        return None

    def _after_response(self, response: TimelineEntry, steps: Sequence[str]) -> str:
        """The action line once the bank has responded: never "respond fast" again, but watch how the
        response lands, then the playbook's next step.  A playbook's first step is its first response
        (the seed's plan starts 快速回应; a configured one starts the same way, 2 小时内发布情况说明)."""
        line = self._("Responded at %(time)s: watch how the response is received and add to it where needed",
                      time=self.time(response.published_at))
        rest = [s for s in steps[1:] if s not in RESPOND_STEPS]
        return self.gettext("; ").join([line, *rest[:1]])

    def _playbook_for(self, codes: Sequence[str], label: str) -> tuple[str, str]:
        if label != "negative":
            return self._calm_action(label), ""
        for alert in self.report.alerts:
            if alert.category and alert.category in codes and alert.actions:
                return self._actions(alert), alert.owner
        return self._("Verify the facts, prepare a holding statement and keep monitoring."), ""

    def _calm_action(self, label: str) -> str:
        """The line for an event that is not bad news: 正面传播 for a positive one, 持续关注 otherwise."""
        return self.gettext(CALM_ACTIONS.get(label, CALM_ACTIONS["neutral"]))

    def _actions(self, alert: AlertSummary, response: TimelineEntry | None = None) -> str:
        if response is not None:
            return self._after_response(response, alert.actions)
        return self.gettext("; ").join(alert.actions[:2])

    # --- sections ---

    def time(self, value: datetime) -> str:
        """``14:05`` inside a daily report's day, ``11-27 14:05`` otherwise."""
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime in report data: {value!r}")
        local = value.astimezone(self.zone)
        return local.strftime("%H:%M" if self.daily and local.date() == self.report.day else "%m-%d %H:%M")

    def hot_events(self) -> tuple[EventSummary, ...]:
        """The events the 热点事件 table lists: the hottest ``hot_events_max``."""
        return self.report.events[:self.report.hot_events_max]

    def bank_events(self) -> list[tuple[str, list[tuple[EventSummary, float]]]]:
        """Weekly: each bank's hottest events of the week, with that bank's share of the heat."""
        out = []
        for _rank, bank in self.shown_banks():
            mine = [(e, e.bank_heat.get(bank.bank_id, e.heat)) for e in self.report.events
                    if bank.bank_id in e.bank_ids]
            mine.sort(key=lambda pair: (-pair[1], pair[0].event_id))
            if mine:
                out.append((bank.name, mine[:3]))
        return out

    def week_over_week(self) -> list[tuple[str, str, str, Change | None]]:
        """Weekly: this week against last, one row per headline figure."""
        t, prev = self.totals, self.report.previous or PeriodTotals()
        rows: list[tuple[str, str, str, Change | None]] = []
        for label, now, before in (
            (self._("Items, all banks"), t.total_items, prev.total_items),
            (self._("Negative items, all banks"), t.negative_items, prev.negative_items),
            (self._("Mentions of us"), t.self_mentions, prev.self_mentions),
            (self._("Negative about us"), t.self_negative, prev.self_negative),
        ):
            rows.append((label, self.fmt.number(now), self.fmt.number(before), self.change(now, before)))
        for label, share_now, share_before in (
            (self._("Negative share (us)"), t.self_negative_share, prev.self_negative_share),
            (self._("Share of voice (us)"), t.self_share_of_voice, prev.self_share_of_voice),
        ):
            diff = share_now - share_before
            points = self._("%(points)s pt", points=self.fmt.signed(round(diff * 100, 1)))
            rows.append((label, self.fmt.percent(share_now), self.fmt.percent(share_before),
                         None if self.unfinished else
                         Change(0, points, "up" if diff > 0 else "down" if diff < 0 else "flat")))
        return rows

    def health(self) -> dict[str, Any]:
        """Source health: the sources that failed, were never fetched or returned nothing, and a tally."""
        rows = self.report.source_health
        counts = Counter(r.status for r in rows)
        # what failed, was never fetched, came back empty, or came back with something off (a truncated body,
        # dates that could not be read, an unusable validator): the reader sees every partial failure too
        problems = [r for r in rows if r.status in ("failed", "never") or r.empty or r.warning]
        incomplete = counts["failed"] + counts["never"]
        c = self.report.completeness
        by_channel = self._list(self._("%(channel)s %(answered)s/%(sources)s", channel=self.channel(ch.channel),
                                       answered=ch.answered - ch.empty, sources=ch.sources) for ch in c.channels)
        newest = (self._("newest item published %(time)s",
                         time=c.newest_item_at.astimezone(self.zone).strftime("%Y-%m-%d %H:%M"))
                  if c.newest_item_at else "")
        return {
            "problems": problems,
            "coverage": self._("Answered, by channel: %(channels)s", channels=by_channel) if c.channels else "",
            "newest": newest,
            "summary": self._("Sources: %(ok)s OK, %(not_modified)s not modified, %(failed)s failed, "
                              "%(never)s never fetched", ok=counts["ok"] - c.empty,
                              not_modified=counts["not_modified"], failed=counts["failed"], never=counts["never"])
            + (self._(", %(n)s empty", n=c.empty) if c.empty else ""),
            "warning": self.ngettext(
                "Note: %(n)s source failed or was never fetched; this report may be incomplete.",
                "Note: %(n)s sources failed or were never fetched; this report may be incomplete.",
                incomplete) % {"n": incomplete} if incomplete else "",
        }

    # --- everything ---

    def context(self) -> dict[str, Any]:
        report = self.report
        return {
            "report": report,
            "b": self,
            "fmt": self.fmt,
            "lang": self.language,
            "html_lang": HTML_LANG[self.language],
            "title": self.title,
            "zone": self.zone,
            "daily": self.daily,
            "day_label": self.period_label,
            "period_key": self.period_key,
            "window_label": self.window_label,
            "created": self.created.isoformat(),
            "author": report.author or report.organisation,
            "totals": self.totals,
            "self_name": self.self_name,
            "self_mentions": self.totals.self_mentions,
            "self_negative": self.totals.self_negative,
            "kpis": self.kpis(),
            "overview": self.overview(),
            "quiet": self.quiet,
            "unfinished": self.unfinished_note(),
            "gate": self.gate(),
            "data_complete": self.data_complete,
            "top_entries": self.top_entries(),
            "own_alerts": self.own_alerts()[:3],
            "health": self.health(),
            "charts": chart_images(self) if self.with_charts else dict.fromkeys(CHART_NAMES, ""),
            # the same charts drawn for a phone's width, offered to narrow screens (<picture>); not in the PDF
            "charts_narrow": (chart_images(self, charts.NARROW) if self.with_charts
                              else dict.fromkeys(CHART_NAMES, "")),
            "chart_titles": chart_titles(self),
            "generator": f"reportgen {__version__}",
        }


def _bold(fmt: Formatter) -> Callable[..., Markup]:
    def bold(value: int | float | str, raw: bool = False) -> Markup:
        text = value if raw or isinstance(value, str) else fmt.number(value)
        return Markup("<strong>%s</strong>") % text

    return bold


def _shorten(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise RenderError(f"unknown report time zone {name!r}", hint="use an IANA name such as Asia/Shanghai") from exc


def day_of(value: datetime, zone: ZoneInfo) -> date:
    return value.astimezone(zone).date()
