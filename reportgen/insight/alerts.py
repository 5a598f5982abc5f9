"""Alerts against each bank's own baseline, and the response playbook.

A day's negative volume (items judged bad news for the bank) and negative heat are compared with
the bank's trailing ``baseline_days`` (28 by default), robustly:

- centre = the median of the trailing days (a holiday dip or one wild day does not move it);
- spread = max(1.4826 × MAD, √max(centre, 1)): the MAD is zero on a quiet series, and counts are
  roughly Poisson, so the square root of the centre is the least believable spread;
- with fewer than ``min_history_days`` days of history the centre is at least ``prior_centre``:
  a bank watched since yesterday does not alert on its second article;
- score z = (today − centre) / spread; ``levels`` are z thresholds mildest first (3, 5, 8 by
  default): z ≥ 8 is 一级 (红色), the most severe, ≥ 5 二级 (橙色), ≥ 3 三级 (黄色), with a fourth
  threshold 四级 (蓝色) below them; never below ``min_negative`` items a day (volume) or ``min_heat`` (heat).

Levels are numbered from the top, as Chinese banks and regulators number them: a lower number is
more severe, and 0 means no alert.

Category triggers: any negative event in a category such as data_leak or regulatory whose heat for
the bank reaches ``category_heat`` raises at least that category's level (二级 by default).

Every alert says in one sentence why it fired, with the numbers, in Chinese and English, and
carries its playbook entry (actions and owner department) for the briefing's 预警与处置建议.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from reportgen.config.defaults import DEFAULT_PLAYBOOK, AlertSettings, PlaybookEntry
from reportgen.models import LEVEL_COLOURS, LEVEL_COLOURS_ZH, LEVEL_NAMES_ZH, EventSummary

__all__ = ["DEFAULT_PLAYBOOK", "Alert", "AlertSettings", "CategoryEvent", "PlaybookEntry", "bank_alerts",
           "incidents", "level_name", "negative_events_by_bank", "playbook_for"]

# Within one incident the triggers are listed most severe first; on a tie, the category (what
# happened) before the volume and the heat (how loud it got).
KIND_ORDER = {"category": 0, "volume": 1, "heat": 2}


def level_name(level: int, language: str) -> str:
    """一级（红色） / Level 1 (red): the level's name with its colour, as every output writes it."""
    if language == "zh":
        return f"{LEVEL_NAMES_ZH[level]}（{LEVEL_COLOURS_ZH[level]}）"
    return f"Level {level} ({LEVEL_COLOURS[level]})"


@dataclass(frozen=True, slots=True)
class Alert:
    bank_id: str
    day: date
    level: int
    kind: str  # volume | heat | category
    value: float  # today's count or heat
    centre: float
    spread: float
    category: str | None = None
    event_ids: tuple[str, ...] = ()
    reason_zh: str = ""
    reason_en: str = ""

    def reason(self, language: str) -> str:
        return self.reason_zh if language == "zh" else self.reason_en


@dataclass(frozen=True, slots=True)
class CategoryEvent:
    """A negative event of the day for one bank: its categories, heat and headline."""

    event_id: str
    title: str
    categories: tuple[str, ...]
    heat: float


def negative_events_by_bank(events: Sequence[EventSummary]) -> dict[str, list[CategoryEvent]]:
    """Each bank's negative events among ``events``, in their order, with the event's heat for the
    bank: what :func:`bank_alerts` weighs, for every bank in one pass."""
    out: dict[str, list[CategoryEvent]] = {}
    for e in events:
        if e.label == "negative":
            for bank_id, heat in e.bank_heat.items():
                out.setdefault(bank_id, []).append(CategoryEvent(e.event_id, e.title, e.categories, heat))
    return out


def baseline(history: Sequence[float], settings: AlertSettings, *, prior: float) -> tuple[float, float]:
    """(centre, spread) of the trailing days; ``history`` holds one value per day, zeros included."""
    values = list(history)
    centre = statistics.median(values) if values else 0.0
    if len(values) < settings.min_history_days:
        centre = max(centre, prior)
    mad = statistics.median(abs(v - centre) for v in values) if values else 0.0
    spread = max(1.4826 * mad, math.sqrt(max(centre, 1.0)))
    return centre, spread


def baseline_words(history: Sequence[float], centre: float, settings: AlertSettings, *, prior: float,
                   number: str, unit_zh: str = "") -> tuple[str, str]:
    """What the reasons call the baseline, in Chinese and English: the median of the trailing days
    (近28日基线中位数 2 条), or, where too short a history left the preset centre in its place, that
    preset (基线（历史不足7日，按预设值 2 条）), never a "0-day median"."""
    values = list(history)
    median = statistics.median(values) if values else 0.0
    shown = format(centre, number)
    if len(values) < settings.min_history_days and prior > median and centre == prior:
        return (f"基线（历史不足{settings.min_history_days}日，按预设值 {shown}{unit_zh}）",
                f"a preset baseline of {shown} (under {settings.min_history_days} days of history)")
    return f"近{len(values)}日基线中位数 {shown}{unit_zh}", f"a {len(values)}-day median of {shown}"


def level_for(z: float, settings: AlertSettings) -> int:
    """The level a score reaches: 1 (一级) past the highest threshold, 0 below the lowest."""
    reached = sum(1 for threshold in settings.levels if z >= threshold)
    return settings.level_count + 1 - reached if reached else 0


def bank_alerts(bank_id: str, bank_name: str, day: date, *, negatives: float, negative_history: Sequence[float],
                heat: float, heat_history: Sequence[float], events: Sequence[CategoryEvent],
                category_names: Mapping[str, tuple[str, str]], settings: AlertSettings,
                when: tuple[str, str] | None = None) -> list[Alert]:
    """The alerts one bank raises on ``day`` (at most one per kind and category).

    ``when`` names the period in the reasons, in Chinese and English, for a window that is not a
    calendar day (("近24小时", "in the last 24 hours")); by default the reasons name ``day``.
    """
    on_zh, on_en = when or (_md(day), f"on {day:%d %b}")
    out: list[Alert] = []
    centre, spread = baseline(negative_history, settings, prior=settings.prior_centre)
    z = (negatives - centre) / spread
    level = level_for(z, settings) if negatives >= settings.min_negative else 0
    if level:
        times_zh = f"，为基线的 {negatives / centre:.1f} 倍" if centre else ""
        times_en = f" ({negatives / centre:.1f}×)" if centre else ""
        base_zh, base_en = baseline_words(negative_history, centre, settings, prior=settings.prior_centre,
                                          number="g", unit_zh=" 条")
        out.append(Alert(
            bank_id, day, level, "volume", negatives, centre, spread,
            reason_zh=(f"{bank_name}{on_zh}负面信息 {negatives:.0f} 条，{base_zh}{times_zh}，远超日常波动，"
                       f"达到{level_name(level, 'zh')}预警。"),
            reason_en=(f"{bank_name} had {negatives:.0f} negative items {on_en} against {base_en}{times_en}, "
                       f"well outside its usual range: {level_name(level, 'en')}."),
        ))
    centre, spread = baseline(heat_history, settings, prior=settings.prior_heat_centre)
    z = (heat - centre) / spread
    level = level_for(z, settings) if heat >= settings.min_heat else 0
    if level:
        base_zh, base_en = baseline_words(heat_history, centre, settings, prior=settings.prior_heat_centre,
                                          number=".0f")
        out.append(Alert(
            bank_id, day, level, "heat", heat, centre, spread,
            reason_zh=(f"{bank_name}{on_zh}负面热度 {heat:.0f}，{base_zh}，"
                       f"远超日常波动，达到{level_name(level, 'zh')}预警。"),
            reason_en=(f"{bank_name}'s negative heat {on_en} was {heat:.0f} against {base_en}, "
                       f"well outside its usual range: {level_name(level, 'en')}."),
        ))
    # each event triggers once, under its most severe category (a leak that is also a crime is one alert)
    by_category: dict[str, list[CategoryEvent]] = {}
    for event in events:
        triggers = [c for c in event.categories if c in settings.category_levels]
        if event.heat < settings.category_heat or not triggers:
            continue
        code = min(triggers, key=lambda c: (settings.category_levels[c], triggers.index(c)))
        by_category.setdefault(code, []).append(event)
    for code, hits in sorted(by_category.items()):
        level = settings.category_levels[code]
        top = max(hits, key=lambda e: (e.heat, e.event_id))
        name_zh, name_en = category_names.get(code, (code, code))
        out.append(Alert(
            bank_id, day, level, "category", top.heat, 0.0, 0.0, category=code,
            # hottest first, ties broken as ``top`` is: the first event is the one the reason names
            event_ids=tuple(e.event_id for e in sorted(hits, key=lambda e: (e.heat, e.event_id), reverse=True)),
            reason_zh=(f"{bank_name}出现{name_zh}类负面事件「{_short(top.title)}」，热度 {top.heat:.0f}"
                       f"（阈值 {settings.category_heat:g}），按规则至少{level_name(level, 'zh')}预警。"),
            reason_en=(f"{bank_name} has a negative {name_en.lower()} event, \u201c{_short(top.title)}\u201d, "
                       f"with heat {top.heat:.0f} (threshold {settings.category_heat:g}): at least "
                       f"{level_name(level, 'en')} by rule."),
        ))
    return out


def incidents(triggers: Sequence[Alert]) -> list[list[Alert]]:
    """One incident, one alert: the triggers grouped by the incident they belong to.

    An incident is a bank and its events: a category trigger lists the hot events of its category,
    hottest first, and :func:`reportgen.insight.incidents.compute_alerts` gives the day's volume and
    heat triggers one negative event of the bank's that day (:func:`with_incident_event`); triggers
    of one bank that share an event are one incident, on whatever days they fired, so one outage
    that fires all three is one alert, as the rolling window's
    :func:`reportgen.insight.followup.merged` has it.  Triggers with no event (a day without
    clustered events) form one incident per bank and day.  Each group is sorted most severe first;
    its first trigger sets the incident's level.
    """
    groups: list[tuple[str, set[str], list[Alert]]] = []  # bank, its events (or day key), triggers
    for alert in triggers:
        keys = set(alert.event_ids) or {f"day {alert.day.isoformat()}"}
        members = [alert]
        for group in [g for g in groups if g[0] == alert.bank_id and g[1] & keys]:
            groups.remove(group)
            keys |= group[1]
            members = group[2] + members
        groups.append((alert.bank_id, keys, members))
    return [sorted(members, key=lambda a: (a.level, KIND_ORDER.get(a.kind, len(KIND_ORDER)), a.day))
            for _bank, _keys, members in groups]


def _md(day: date) -> str:
    return f"{day.month}月{day.day}日"


def _short(title: str, limit: int = 28) -> str:
    return title if len(title) <= limit else title[:limit - 1] + "…"


# --- playbook ------------------------------------------------------------------------------------


def playbook_for(alert_category: str | None, entries: Mapping[str, PlaybookEntry]) -> PlaybookEntry:
    return entries.get(alert_category or "default") or entries.get("default") or DEFAULT_PLAYBOOK["default"]


def with_incident_event(raised: Sequence[Alert], categories: Counter[str],
                         category_events: Sequence[CategoryEvent]) -> list[Alert]:
    """One incident, one alert: a bank's volume and heat triggers belong to its hottest negative
    event of the main category of its negative items (its hottest negative event when none has that
    category), so they join that event's category trigger (see :func:`incidents`), and take that
    category, or the event's own when it has others only: the headline and the playbook of the
    alert agree.  Used for the daily alerts and the rolling window's alike."""
    top = categories.most_common(1)
    main = top[0][0] if top else None
    of_main = [e for e in category_events if main in e.categories]
    hottest = max(of_main or category_events, key=lambda e: (e.heat, e.event_id), default=None)
    category = main
    if hottest is not None and hottest.categories and main not in hottest.categories:
        category = hottest.categories[0]
    out = []
    for alert in raised:
        if alert.kind != "category":
            changes: dict[str, Any] = {}
            if category:
                changes["category"] = category
            if hottest is not None:
                changes["event_ids"] = (hottest.event_id,)
            alert = replace(alert, **changes)
        out.append(alert)
    return out
