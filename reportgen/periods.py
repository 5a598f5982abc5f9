"""Report periods: which days a daily or weekly report covers, and what the period is called.

A daily report covers one calendar day in the configured zone, the previous day by default.  A
weekly report covers one ISO week, Monday to Sunday, the previous week by default.  The period
``key`` (``2026-11-27``, ``2026-W47``) names the report files, the outbox entry that makes a run
idempotent, and the ``{date}`` of the mail subject.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from reportgen.errors import DataError

KINDS = ("daily", "weekly")

_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_WEEK_RE = re.compile(r"^(\d{4})-W(\d{1,2})$")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")  # not locale's

# A report's title, decided here only: the configured ``report_title`` names the daily report;
# otherwise, and always for the weekly one, the default for the language.
DEFAULT_TITLES: dict[str, dict[str, str]] = {
    "daily": {"zh": "银行舆情日报", "en": "Bank Media Monitoring Daily"},
    "weekly": {"zh": "银行舆情周报", "en": "Bank Media Monitoring Weekly"},
}


def report_title(kind: str, language: str, configured: str | None = None) -> str:
    """The title of a ``kind`` ("daily" | "weekly") report in ``language``."""
    if kind == "daily" and configured:
        return configured
    titles = DEFAULT_TITLES[kind]
    return titles.get(language, titles["en"])


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


def previous_period(kind: str, now: datetime, tz: ZoneInfo, start_hour: int = 0) -> Period:
    """The period a morning run reports on: yesterday, or last ISO week, in the report zone; the last
    one whose window has ended when report days start at ``start_hour`` (with 08:00 windows, a run at
    07:00 reports the day before yesterday: yesterday's window runs until 08:00 today)."""
    today = (now.astimezone(tz) - timedelta(hours=start_hour)).date()
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


def check_not_future(first: date, now: datetime, tz: ZoneInfo, option: str = "--date") -> None:
    """Refuse a day or period that starts after today in the report zone: nothing can have been
    published then, and an empty report would read as a quiet day.  Today itself is allowed."""
    today = now.astimezone(tz).date()
    if first > today:
        raise DataError(f"{option}: {first.isoformat()} is in the future (today is {today.isoformat()} in "
                        f"{tz.key})", hint="give a day up to today, or leave --date out for the last complete period")


def check_requested(period: Period, value: str, now: datetime, tz: ZoneInfo, option: str = "--date") -> None:
    """Refuse a ``--date`` that is in the future, naming what was typed: a day after today (a
    weekly report's day too, though its week has begun), or a week that has not begun.  Today and
    the current week are allowed: ``report`` previews the period so far."""
    today = now.astimezone(tz).date()
    typed = value.strip()
    day = period.first if _WEEK_RE.match(typed) else date.fromisoformat(typed) if _DATE_RE.match(typed) else None
    if day is not None and day > today:
        raise DataError(f"{option}: {typed} is in the future (today is {today.isoformat()} in {tz.key})",
                        hint="give a day up to today, or leave --date out for the last complete period")


def check_ended(period: Period, now: datetime, tz: ZoneInfo, option: str = "--date", start_hour: int = 0) -> None:
    """Refuse a period that has not ended yet in the report zone (today, or the current ISO week; with
    report days starting at ``start_hour``, until that hour the day after): ``run`` records and mails a
    report once per period, and a report of half a day would stand in for the whole one.
    ``reportgen report`` previews an unfinished period without recording it."""
    today = now.astimezone(tz).date()
    if now >= day_start(period.last + timedelta(days=1), tz, start_hour):
        return
    what = "day" if period.kind == "daily" else "ISO week"
    ends = (period.last + timedelta(days=1)).isoformat() + (f" {start_hour:02d}:00" if start_hour else "")
    if period.first > today:
        raise DataError(f"{option}: the {what} {period.key} is in the future (today is {today.isoformat()} in "
                        f"{tz.key})", hint="give a day up to yesterday, or leave --date out for the last complete "
                                          "period")
    raise DataError(
        f"{option}: the {what} {period.key} has not ended yet (today is {today.isoformat()} in {tz.key}): `run` "
        f"mails a report once per period, so it makes one only for a period that is over",
        hint=f"leave --date out for the last complete period, or run it on or after {ends}; for a preview of "
             f"the period so far, `reportgen report {period.kind} --date {period.key}` writes it without "
             "recording or mailing it")


def week_label(first: date, last: date, language: str) -> str:
    """``2026年第47周（11月16日—11月22日）`` / ``Week 47 of 2026 (16 Nov – 22 Nov)``."""
    year, week, _ = first.isocalendar()
    if language == "zh":
        return f"{year}年第{week}周（{first.month}月{first.day}日—{last.month}月{last.day}日）"
    return f"Week {week} of {year} ({first.day} {_MONTHS[first.month - 1]} – {last.day} {_MONTHS[last.month - 1]})"


# --- report windows: a period's days as instants -------------------------------------------------


@dataclass(frozen=True, slots=True)
class Window:
    start: datetime  # aware, inclusive
    end: datetime  # aware, exclusive

    @classmethod
    def for_days(cls, first: date, last: date, tz: ZoneInfo, start_hour: int = 0) -> Window:
        """Calendar days ``first``..``last`` (inclusive) in zone ``tz``, each starting at ``start_hour``."""
        return cls(day_start(first, tz, start_hour), day_start(last + timedelta(days=1), tz, start_hour))


def day_start(day: date, tz: ZoneInfo, start_hour: int = 0) -> datetime:
    """When report day ``day`` begins: ``start_hour`` o'clock local time."""
    return datetime.combine(day, time(start_hour), tz)


def previous_day(now: datetime, tz: ZoneInfo) -> date:
    """The day a morning report covers: yesterday in the report zone."""
    return now.astimezone(tz).date() - timedelta(days=1)
