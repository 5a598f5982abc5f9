"""Alerts against each bank's own baseline, and the response playbook.

A day's negative volume (items judged bad news for the bank) and negative heat are compared with
the bank's trailing ``baseline_days`` (28 by default), robustly:

- centre = the median of the trailing days (a holiday dip or one wild day does not move it);
- spread = max(1.4826 × MAD, √max(centre, 1)): the MAD is zero on a quiet series, and counts are
  roughly Poisson, so the square root of the centre is the least believable spread;
- with fewer than ``min_history_days`` days of history the centre is at least ``prior_centre``:
  a bank watched since yesterday does not alert on its second article;
- score z = (today − centre) / spread; levels 一级 / 二级 / 三级 at ``levels`` (3, 5, 8 by
  default), and never below ``min_negative`` items a day (volume) or ``min_heat`` (heat).

Category triggers: any negative event in a category such as data_leak or regulatory whose heat for
the bank reaches ``category_heat`` raises at least that category's level (2 by default).

Every alert says in one sentence why it fired, with the numbers, in Chinese and English, and
carries its playbook entry (actions and owner department) for the briefing's 预警与处置建议.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

LEVEL_NAMES = {"zh": {1: "一级", 2: "二级", 3: "三级"}, "en": {1: "Level 1", 2: "Level 2", 3: "Level 3"}}


@dataclass(frozen=True, slots=True)
class AlertSettings:
    baseline_days: int = 28
    min_history_days: int = 7
    prior_centre: float = 2.0  # negatives a day assumed while history is short
    prior_heat_centre: float = 60.0  # heat a day assumed while history is short
    levels: tuple[float, float, float] = (3.0, 5.0, 8.0)  # z for 一级, 二级, 三级
    min_negative: int = 3
    min_heat: float = 90.0  # three online articles' worth
    category_heat: float = 30.0  # one online article from a weight-1 source
    category_levels: Mapping[str, int] = field(default_factory=lambda: {
        "data_leak": 2, "regulatory": 2, "fraud_crime": 2, "ops_loss": 1, "outage": 1, "mis_selling": 1})


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


def baseline(history: Sequence[float], settings: AlertSettings, *, prior: float) -> tuple[float, float]:
    """(centre, spread) of the trailing days; ``history`` holds one value per day, zeros included."""
    values = list(history)
    centre = statistics.median(values) if values else 0.0
    if len(values) < settings.min_history_days:
        centre = max(centre, prior)
    mad = statistics.median(abs(v - centre) for v in values) if values else 0.0
    spread = max(1.4826 * mad, math.sqrt(max(centre, 1.0)))
    return centre, spread


def level_for(z: float, settings: AlertSettings) -> int:
    return sum(1 for threshold in settings.levels if z >= threshold)


def bank_alerts(bank_id: str, bank_name: str, day: date, *, negatives: float, negative_history: Sequence[float],
                heat: float, heat_history: Sequence[float], events: Sequence[CategoryEvent],
                category_names: Mapping[str, tuple[str, str]], settings: AlertSettings) -> list[Alert]:
    """The alerts one bank raises on ``day`` (at most one per kind and category)."""
    out: list[Alert] = []
    centre, spread = baseline(negative_history, settings, prior=settings.prior_centre)
    z = (negatives - centre) / spread
    level = level_for(z, settings) if negatives >= settings.min_negative else 0
    if level:
        times_zh = f"，为基线的 {negatives / centre:.1f} 倍" if centre else ""
        times_en = f" ({negatives / centre:.1f}×)" if centre else ""
        out.append(Alert(
            bank_id, day, level, "volume", negatives, centre, spread,
            reason_zh=(f"{bank_name}{_md(day)}负面信息 {negatives:.0f} 条，近{len(negative_history)}日基线中位数 "
                       f"{centre:g} 条{times_zh}，高出 {z:.1f} 个离散度，达到{LEVEL_NAMES['zh'][level]}预警。"),
            reason_en=(f"{bank_name} had {negatives:.0f} negative items on {day:%d %b} against a "
                       f"{len(negative_history)}-day median of {centre:g}{times_en}, {z:.1f} spreads above it: "
                       f"{LEVEL_NAMES['en'][level]}."),
        ))
    centre, spread = baseline(heat_history, settings, prior=settings.prior_heat_centre)
    z = (heat - centre) / spread
    level = level_for(z, settings) if heat >= settings.min_heat else 0
    if level:
        out.append(Alert(
            bank_id, day, level, "heat", heat, centre, spread,
            reason_zh=(f"{bank_name}{_md(day)}负面热度 {heat:.0f}，近{len(heat_history)}日基线中位数 {centre:.0f}，"
                       f"高出 {z:.1f} 个离散度，达到{LEVEL_NAMES['zh'][level]}预警。"),
            reason_en=(f"{bank_name}'s negative heat on {day:%d %b} was {heat:.0f} against a "
                       f"{len(heat_history)}-day median of {centre:.0f}, {z:.1f} spreads above it: "
                       f"{LEVEL_NAMES['en'][level]}."),
        ))
    # each event triggers once, under its most severe category (a leak that is also a crime is one alert)
    by_category: dict[str, list[CategoryEvent]] = {}
    for event in events:
        triggers = [c for c in event.categories if c in settings.category_levels]
        if event.heat < settings.category_heat or not triggers:
            continue
        code = max(triggers, key=lambda c: (settings.category_levels[c], -triggers.index(c)))
        by_category.setdefault(code, []).append(event)
    for code, hits in sorted(by_category.items()):
        level = settings.category_levels[code]
        top = max(hits, key=lambda e: (e.heat, e.event_id))
        name_zh, name_en = category_names.get(code, (code, code))
        out.append(Alert(
            bank_id, day, level, "category", top.heat, 0.0, 0.0, category=code,
            event_ids=tuple(e.event_id for e in sorted(hits, key=lambda e: (-e.heat, e.event_id))),
            reason_zh=(f"{bank_name}出现{name_zh}类负面事件「{_short(top.title)}」，热度 {top.heat:.0f}"
                       f"（阈值 {settings.category_heat:g}），按规则至少{LEVEL_NAMES['zh'][level]}预警。"),
            reason_en=(f"{bank_name} has a negative {name_en.lower()} event, \u201c{_short(top.title)}\u201d, "
                       f"with heat {top.heat:.0f} (threshold {settings.category_heat:g}): at least "
                       f"{LEVEL_NAMES['en'][level]} by rule."),
        ))
    return out


def _md(day: date) -> str:
    return f"{day.month}月{day.day}日"


def _short(title: str, limit: int = 28) -> str:
    return title if len(title) <= limit else title[:limit - 1] + "…"


# --- playbook ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PlaybookEntry:
    actions_zh: tuple[str, ...]
    owner_zh: str
    actions_en: tuple[str, ...]
    owner_en: str

    def actions(self, language: str) -> tuple[str, ...]:
        return self.actions_zh if language == "zh" else self.actions_en

    def owner(self, language: str) -> str:
        return self.owner_zh if language == "zh" else self.owner_en


# The seed's response plan: respond fast; disclose and apologise when at fault; investigate;
# compensate; strengthen internal management; train staff — with an owner for each kind of event.
_RESPOND = ("2小时内核实情况，统一对外口径并快速回应",
            "Verify the facts within 2 hours and respond fast with one agreed line")
_APOLOGISE = ("如确有过错，主动披露并诚恳致歉", "Where the bank is at fault, disclose it and apologise")
_INVESTIGATE = ("启动内部调查，查明原因和责任", "Open an internal investigation into cause and responsibility")
_COMPENSATE = ("对受损客户依规赔付或补救", "Compensate or make good the customers affected, by the rules")
_MANAGE = ("完善制度流程，加强内部管理", "Fix the process and strengthen internal management")
_TRAIN = ("开展针对性员工培训", "Run targeted staff training")
_MONITOR = ("持续监测舆情走势，每日报告进展", "Keep monitoring and report progress daily")
_NOTIFY = ("评估并通知受影响客户，按规定向监管报告",
           "Assess and notify affected customers; report to the regulator as required")
_FEES = ("公开收费依据和标准", "Publish the basis and schedule of the fee")
_REMEDIATE = ("落实监管整改要求并公开整改进展", "Carry out the regulator's remediation and publish progress")
_POLICE = ("配合公安机关调查", "Cooperate with the police")
_WARN = ("发布防骗提示", "Publish an anti-fraud warning")
_EXPLAIN = ("发布故障说明和恢复时间", "Publish what failed and when service returns")
_ANNOUNCE = ("按信息披露规定发布公告", "Announce as the disclosure rules require")


def _entry(owner_zh: str, owner_en: str, *steps: tuple[str, str]) -> PlaybookEntry:
    return PlaybookEntry(tuple(s[0] for s in steps), owner_zh, tuple(s[1] for s in steps), owner_en)


DEFAULT_PLAYBOOK: dict[str, PlaybookEntry] = {
    "complaint": _entry("消费者权益保护部", "Consumer Protection", _RESPOND, _APOLOGISE, _COMPENSATE, _TRAIN),
    "mis_selling": _entry("财富管理部、消费者权益保护部", "Wealth Management and Consumer Protection",
                          _RESPOND, _INVESTIGATE, _COMPENSATE, _MANAGE, _TRAIN),
    "data_leak": _entry("信息科技部、法律合规部", "IT and Legal & Compliance",
                        _RESPOND, _INVESTIGATE, _APOLOGISE, _NOTIFY, _MANAGE),
    "fee_rate": _entry("个人金融部", "Retail Banking", _RESPOND, _FEES, _COMPENSATE, _MANAGE),
    "ops_loss": _entry("运营管理部", "Operations", _RESPOND, _INVESTIGATE, _COMPENSATE, _MANAGE),
    "regulatory": _entry("法律合规部", "Legal & Compliance", _RESPOND, _REMEDIATE, _INVESTIGATE, _MANAGE, _TRAIN),
    "fraud_crime": _entry("安全保卫部、法律合规部", "Security and Legal & Compliance",
                          _RESPOND, _POLICE, _WARN, _MANAGE),
    "outage": _entry("信息科技部", "IT", _RESPOND, _EXPLAIN, _APOLOGISE, _COMPENSATE, _MANAGE),
    "personnel": _entry("办公室、人力资源部", "General Office and HR", _RESPOND, _ANNOUNCE, _MONITOR),
    "default": _entry("办公室（品牌与舆情管理）", "General Office (brand and media)", _RESPOND, _INVESTIGATE, _MONITOR),
}


def playbook_for(alert_category: str | None, entries: Mapping[str, PlaybookEntry]) -> PlaybookEntry:
    return entries.get(alert_category or "default") or entries.get("default") or DEFAULT_PLAYBOOK["default"]
