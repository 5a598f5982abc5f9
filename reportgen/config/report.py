"""The ``[report]`` section of ``sources.toml``: the briefing's windows and how much it lists.

Every key is optional.  The daily report covers one calendar day in the configured zone; a bank
whose 舆情日报 runs "from 08:00 yesterday to 08:00 today" sets ``day_start_hour = 8`` (the weekly
report then runs Monday 08:00 to the next Monday 08:00).  Validated by the same collector as the
rest of the file, so a problem comes with file, line, key path, expectation and hint.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from reportgen.config.validator import Validator


@dataclass(frozen=True, slots=True)
class ReportSettings:
    day_start_hour: int = 0  # a day's window starts at this local hour (0: midnight to midnight)
    trend_days: int = 14  # daily report: days in the trend chart, ending with the report day
    trend_weeks: int = 8  # weekly report: ISO weeks in the week-by-week chart
    hot_events: int = 10  # events listed under 热点事件 (page 1 shows the top 3)
    negative_items_max: int = 30  # negative items listed; the counts always cover all of them
    peers_max: int = 20  # banks listed by name in 同业对比 (the bank itself always); the rest in one line
    author: str = ""  # the PDF's author field; empty: settings.organisation
    # The data-completeness gate: below this share of the enabled sources answering (or with any
    # channel entirely dark) page 1 opens with 数据采集异常, never gives the all-clear, and `run`
    # exits 10.  0.8: losing one source in five already hides a channel's worth of coverage.
    min_sources_answered: float = 0.8
    # ...and when no source published anything in the report's window (every feed frozen on old entries, or
    # a backfilled day nobody fetched), for a window nothing came in is not a quiet one.  A deployment that
    # watches only a small bank's keyword searches, where a silent day is normal, may turn this off.
    require_fresh_items: bool = True


# key → (lowest, highest) for the integer keys
_RANGES: dict[str, tuple[int, int]] = {
    "day_start_hour": (0, 23),
    "trend_days": (2, 60),
    "trend_weeks": (2, 26),
    "hot_events": (3, 50),
    "negative_items_max": (1, 500),
    "peers_max": (1, 200),
}


def validate_report(v: Validator, data: Mapping[str, Any]) -> ReportSettings:
    t = v.table(data, "report", {*_RANGES, "author", "min_sources_answered", "require_fresh_items"}, "report")
    defaults = ReportSettings()
    values: dict[str, Any] = {}
    for key, (low, high) in _RANGES.items():
        value = v.get(t, key, int, "report", getattr(defaults, key))
        if not low <= value <= high:
            v.problem(f"report.{key}", f"an integer from {low} to {high}", value)
            value = getattr(defaults, key)
        values[key] = value
    values["author"] = v.get(t, "author", str, "report", defaults.author).strip()
    share = v.get(t, "min_sources_answered", (int, float), "report", defaults.min_sources_answered)
    if not 0 <= share <= 1:
        v.problem("report.min_sources_answered", "a share from 0 to 1, e.g. 0.8 for 80 %", share)
        share = defaults.min_sources_answered
    values["min_sources_answered"] = float(share)
    values["require_fresh_items"] = v.get(t, "require_fresh_items", bool, "report", defaults.require_fresh_items)
    return ReportSettings(**values)
