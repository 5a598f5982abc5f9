"""Report periods: the previous day / ISO week in the report zone, --date parsing, file names."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reportgen.errors import DataError
from reportgen.periods import Period, parse_period, previous_period, week_label

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_previous_periods_in_the_report_zone():
    now = datetime(2026, 11, 29, 23, 30, tzinfo=UTC)  # already Monday 30 Nov in Shanghai
    assert previous_period("daily", now, SHANGHAI) == Period.daily(date(2026, 11, 29))
    week = previous_period("weekly", now, SHANGHAI)
    assert (week.first, week.last, week.key) == (date(2026, 11, 23), date(2026, 11, 29), "2026-W48")


def test_parse_period():
    assert parse_period("daily", "2026-11-27").key == "2026-11-27"
    assert parse_period("weekly", "2026-11-27").key == "2026-W48"
    assert parse_period("weekly", "2026-W01").first == date(2025, 12, 29)  # ISO week 1 may start in December
    for kind, bad in (("daily", "2026-W47"), ("daily", "20261127"), ("weekly", "2026-W54"), ("daily", "x")):
        with pytest.raises(DataError):
            parse_period(kind, bad)


def test_basenames_and_labels():
    week = Period.week_of(date(2026, 11, 18))
    assert week.basename("zh") == "weekly-2026-W47" and week.basename("en") == "weekly-2026-W47-en"
    assert Period.daily(date(2026, 11, 27)).basename("zh") == "daily-2026-11-27"
    assert week_label(week.first, week.last, "zh") == "2026年第47周（11月16日—11月22日）"
    assert week_label(week.first, week.last, "en") == "Week 47 of 2026 (16 Nov – 22 Nov)"


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)))
def test_a_week_is_monday_to_sunday_and_its_key_parses_back(day):
    week = Period.week_of(day)
    assert week.first.weekday() == 0 and week.last - week.first == timedelta(days=6)
    assert week.first <= day <= week.last
    assert parse_period("weekly", week.key) == week


def test_with_report_days_starting_at_eight_the_morning_run_takes_the_last_window_that_ended():
    from reportgen.periods import check_ended

    tz = ZoneInfo("Asia/Shanghai")
    seven = datetime(2026, 12, 7, 7, 0, tzinfo=tz)  # yesterday's window (12-06 08:00 → 12-07 08:00) still runs
    assert previous_period("daily", seven, tz, 8).first == date(2026, 12, 5)
    assert previous_period("daily", seven, tz).first == date(2026, 12, 6)  # midnight windows: yesterday is over
    after = datetime(2026, 12, 7, 8, 5, tzinfo=tz)
    assert previous_period("daily", after, tz, 8).first == date(2026, 12, 6)
    check_ended(Period.daily(date(2026, 12, 6)), after, tz, start_hour=8)
    with pytest.raises(DataError, match="has not ended yet") as refused:
        check_ended(Period.daily(date(2026, 12, 6)), seven, tz, start_hour=8)
    assert "2026-12-07 08:00" in refused.value.hint
    monday_seven = datetime(2026, 12, 7, 7, 30, tzinfo=tz)  # Monday: last week's window ends at 08:00 today
    assert previous_period("weekly", monday_seven, tz, 8).first == date(2026, 11, 23)
    assert previous_period("weekly", monday_seven, tz).first == date(2026, 11, 30)
