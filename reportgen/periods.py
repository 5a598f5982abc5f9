"""Report periods: which days a daily or weekly report covers, and what the period is called.

A daily report covers one calendar day in the configured zone, the previous day by default.  A
weekly report covers one ISO week, Monday to Sunday, the previous week by default.  The period
``key`` (``2026-11-27``, ``2026-W47``) names the report files, the outbox entry that makes a run
idempotent, and the ``{date}`` of the mail subject.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from reportgen.errors import DataError

KINDS = ("daily", "weekly")

_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_WEEK_RE = re.compile(r"^(\d{4})-W(\d{1,2})$")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")  # not locale's

# Label overrides for a weekly report; merged over render.LABELS, so both languages need the
# same keys.  The full weekly briefing (issue 5) will bring its own template.
WEEKLY_LABELS: dict[str, dict[str, str]] = {
    "zh": {"period": "报告周期", "default_title": "银行舆情周报"},
    "en": {"period": "Report period", "default_title": "Bank Media Monitoring Weekly"},
}
WEEKLY_TITLES = {lang: labels["default_title"] for lang, labels in WEEKLY_LABELS.items()}


@dataclass(frozen=True, slots=True)
class Period:
    """The calendar days ``first``..``last`` (inclusive) that one report covers."""

    kind: str  # daily | weekly
    first: date
    last: date

    @classmethod
    def daily(cls, day: date) -> Period:
        return cls("daily", day, day)

    @classmethod
    def week_of(cls, day: date) -> Period:
        """The ISO week (Monday..Sunday) that contains ``day``."""
        monday = day - timedelta(days=day.weekday())
        return cls("weekly", monday, monday + timedelta(days=6))

    @property
    def key(self) -> str:
        """``2026-11-27`` for a day, ``2026-W47`` for an ISO week."""
        if self.kind == "daily":
            return self.first.isoformat()
        year, week, _ = self.first.isocalendar()
        return f"{year}-W{week:02d}"

    def basename(self, language: str) -> str:
        """The report's file name without suffix: ``daily-2026-11-27``, ``weekly-2026-W47-en``."""
        name = f"{self.kind}-{self.key}"
        return name if language == "zh" else f"{name}-{language}"


def previous_period(kind: str, now: datetime, tz: ZoneInfo) -> Period:
    """The period a morning run reports on: yesterday, or last ISO week, in the report zone."""
    today = now.astimezone(tz).date()
    if kind == "daily":
        return Period.daily(today - timedelta(days=1))
    if kind == "weekly":
        return Period.week_of(today - timedelta(days=7))
    raise DataError(f"unknown report kind {kind!r}", hint=f"use one of: {', '.join(KINDS)}")


def parse_period(kind: str, value: str, option: str = "--date") -> Period:
    """A period from the command line: ``YYYY-MM-DD`` for either kind, or ``YYYY-Www`` for a week.

    A date given for a weekly report selects the ISO week that contains it.
    """
    if kind not in KINDS:
        raise DataError(f"unknown report kind {kind!r}", hint=f"use one of: {', '.join(KINDS)}")
    week = _WEEK_RE.match(value.strip())
    if week and kind == "weekly":
        try:
            monday = date.fromisocalendar(int(week.group(1)), int(week.group(2)), 1)
        except ValueError:
            raise DataError(f"{option}: no ISO week {value!r}") from None
        return Period.week_of(monday)
    try:
        if not _DATE_RE.match(value.strip()):  # fromisoformat would also take 20261127 or 2026-W47-1
            raise ValueError(value)
        day = date.fromisoformat(value.strip())
    except ValueError:
        expected = "YYYY-MM-DD or YYYY-Www" if kind == "weekly" else "YYYY-MM-DD"
        raise DataError(f"{option}: expected a date as {expected}, got {value!r}") from None
    return Period.daily(day) if kind == "daily" else Period.week_of(day)


def week_label(first: date, last: date, language: str) -> str:
    """``2026年第47周（11月16日—11月22日）`` / ``Week 47 of 2026 (16 Nov – 22 Nov)``."""
    year, week, _ = first.isocalendar()
    if language == "zh":
        return f"{year}年第{week}周（{first.month}月{first.day}日—{last.month}月{last.day}日）"
    return f"Week {week} of {year} ({first.day} {_MONTHS[first.month - 1]} – {last.day} {_MONTHS[last.month - 1]})"
