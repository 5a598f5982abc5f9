"""The ``[events]``, ``[heat]``, ``[alerts]`` and ``[playbook.<category>]`` sections of ``sources.toml``.

Every key has a default (see :mod:`reportgen.events` and :mod:`reportgen.alerts`); a config file
without these sections gets the shipped behaviour.  ``[playbook.<category>]`` replaces the shipped
entry for that category (``default`` is the entry for alerts without a category).

Alert levels are numbered from the top, as Chinese banks and regulators number them: 1 = 一级
(红色) is the most severe.  ``[alerts] levels`` lists z thresholds mildest first, so its meaning
did not change when the numbering turned round; ``[alerts.categories]`` (numbered the old way up)
is read through :data:`LEGACY_CATEGORY_LEVELS` with a deprecation warning.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any

from reportgen.config.defaults import (
    DEFAULT_CHANNEL_WEIGHTS,
    DEFAULT_PLAYBOOK,
    AlertSettings,
    EventSettings,
    PlaybookEntry,
)
from reportgen.config.validator import Validator


@dataclass(frozen=True, slots=True)
class EventsConfig:
    events: EventSettings = field(default_factory=EventSettings)
    channel_weights: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_CHANNEL_WEIGHTS))
    alerts: AlertSettings = field(default_factory=AlertSettings)
    playbook: Mapping[str, PlaybookEntry] = field(default_factory=lambda: dict(DEFAULT_PLAYBOOK))


_EVENT_KEYS = ("window_hours", "min_jaccard", "min_overlap")
_ALERT_NUMBERS = ("baseline_days", "min_history_days", "prior_centre", "prior_heat_centre", "min_negative",
                  "min_heat", "category_heat")


def validate_events(v: Validator, data: Mapping[str, Any], channels: tuple[str, ...]) -> EventsConfig:
    d = EventSettings()
    t = v.table(data, "events", set(_EVENT_KEYS), "events")
    values: dict[str, Any] = {}
    for key in _EVENT_KEYS:
        value = v.get(t, key, (int, float), "events", getattr(d, key))
        limit = 24 * 30 if key == "window_hours" else 1.0
        if not 0 < value <= limit:
            v.problem(f"events.{key}", f"a number above 0 and at most {limit:g}", value)
            value = getattr(d, key)
        values[key] = float(value)

    heat = v.table(data, "heat", {"half_life_days", "channels"}, "heat")
    half_life = v.get(heat, "half_life_days", (int, float), "heat", d.half_life_days)
    if half_life <= 0:
        v.problem("heat.half_life_days", "a positive number of days", half_life)
        half_life = d.half_life_days
    if "half_life_days" in heat:
        # One heat per report: the weekly report used to decay heat, so an event's heat and its
        # alert's differed on one page.  Still read (the events API can decay), no longer used there.
        v.warnings.append(f"{v.path}: heat.half_life_days is no longer used by the reports (heat is counted "
                          "without decay, the same for events and alerts); remove it")
    weights = dict(DEFAULT_CHANNEL_WEIGHTS)
    raw_weights = v.get(heat, "channels", dict, "heat", {})
    for channel, weight in raw_weights.items():
        if channel not in channels:
            v.problem(f"heat.channels.{channel}", f"one of {', '.join(channels)}", "<unknown channel>")
        elif isinstance(weight, bool) or not isinstance(weight, int | float) or not 0 <= weight <= 10:
            v.problem(f"heat.channels.{channel}", "a weight between 0 and 10", weight)
        else:
            weights[channel] = float(weight)
    events = EventSettings(**values, half_life_days=float(half_life))
    return EventsConfig(events, weights, _alerts(v, data), _playbook(v, data))


# ``[alerts.categories]`` numbered levels the other way up (3 was the most severe) until the levels
# followed the Chinese convention (1 = 一级 = the most severe).  It is still read, with a deprecation
# warning, through this explicit mapping; ``[alerts.category_levels]`` uses the new numbers.
LEGACY_CATEGORY_LEVELS = {1: 3, 2: 2, 3: 1}
LEVEL_WORDS = {"一级": 1, "二级": 2, "三级": 3, "四级": 4}


def _alerts(v: Validator, data: Mapping[str, Any]) -> AlertSettings:
    d = AlertSettings()
    # [alerts.intraday] is read by config/push.py
    t = v.table(data, "alerts", {*_ALERT_NUMBERS, "levels", "categories", "category_levels", "intraday"}, "alerts")
    values: dict[str, Any] = {}
    for key in _ALERT_NUMBERS:
        default = getattr(d, key)
        kind: type | tuple[type, ...] = int if isinstance(default, int) else (int, float)
        value = v.get(t, key, kind, "alerts", default)
        if value < 0 or (key == "baseline_days" and not 7 <= value <= 366):
            v.problem(f"alerts.{key}", "a non-negative number" if key != "baseline_days" else "7 to 366 days", value)
            value = default
        values[key] = value
    levels = v.get(t, "levels", list, "alerts", list(d.levels))
    if (len(levels) not in (3, 4)
            or not all(isinstance(x, int | float) and not isinstance(x, bool) and math.isfinite(x) for x in levels)
            or not 0 < levels[0] or any(a >= b for a, b in zip(levels, levels[1:], strict=False))):
        v.problem("alerts.levels", "three (or four) increasing positive z thresholds, mildest first: [3, 5, 8] "
                  "makes z ≥ 8 一级 (the most severe), ≥ 5 二级, ≥ 3 三级", levels)
        levels = list(d.levels)
    count = len(levels)
    categories = dict(d.category_levels)
    if "categories" in t and "category_levels" in t:
        v.problem("alerts.categories", "either [alerts.category_levels] or the older [alerts.categories], not both",
                  "<both>", "move the entries to [alerts.category_levels] (1 = 一级, the most severe)")
    legacy = v.get(t, "categories", dict, "alerts", {})
    if legacy:
        v.warnings.append(
            f"{v.path}: [alerts.categories] is deprecated: it numbers levels the old way (3 the most severe); "
            "it is read as 3 → 1 (一级), 2 → 2 (二级), 1 → 3 (三级). Rename it [alerts.category_levels] and "
            "use 1 = 一级 (红色, the most severe), 2 = 二级, 3 = 三级" + (", 4 = 四级" if count == 4 else ""))
    for code, level in legacy.items():
        if isinstance(level, bool) or not isinstance(level, int) or not 0 <= level <= 3:
            v.problem(f"alerts.categories.{code}", "a level 1 to 3 in the old order (0 switches the trigger off)",
                      level, "use [alerts.category_levels] with 1 = 一级 (the most severe)")
        elif level == 0:
            categories.pop(code, None)
        else:
            categories[code] = LEGACY_CATEGORY_LEVELS[level]
    for code, level in v.get(t, "category_levels", dict, "alerts", {}).items():
        if isinstance(level, str) and level in LEVEL_WORDS:
            level = LEVEL_WORDS[level]
        if isinstance(level, bool) or not isinstance(level, int) or not 0 <= level <= count:
            v.problem(f"alerts.category_levels.{code}",
                      f"a level 1 (一级, the most severe) to {count} (0 switches the trigger off)", level)
        elif level == 0:
            categories.pop(code, None)
        else:
            categories[code] = level
    known = {f.name for f in fields(AlertSettings)}
    assert set(values) <= known
    return AlertSettings(**values, levels=tuple(float(x) for x in levels), category_levels=categories)


def _playbook(v: Validator, data: Mapping[str, Any]) -> dict[str, PlaybookEntry]:
    entries = dict(DEFAULT_PLAYBOOK)
    raw = data.get("playbook", {})
    if not isinstance(raw, dict):
        v.problem("playbook", "tables such as [playbook.data_leak]", type(raw).__name__)
        return entries
    for code, entry in raw.items():
        path = f"playbook.{code}"
        if not isinstance(entry, dict):
            v.problem(path, "a table", type(entry).__name__)
            continue
        v.table({"p": entry}, "p", {"actions", "owner", "actions_en", "owner_en"}, path)
        actions = v.str_list(entry, "actions", path)
        owner = v.get(entry, "owner", str, path, None)
        if not actions:
            v.problem(f"{path}.actions", "at least one recommended action", "<missing>")
            continue
        if not owner:
            v.problem(f"{path}.owner", "the department responsible", "<missing>")
            continue
        actions_en = v.str_list(entry, "actions_en", path) or actions
        entries[code] = PlaybookEntry(actions, owner, actions_en, v.get(entry, "owner_en", str, path, owner))
    return entries
