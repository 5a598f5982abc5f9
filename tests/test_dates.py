"""Feed date strings: Chinese and zone-less formats in the configured zone, explicit zones honoured."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reportgen.ingest import dates
from reportgen.ingest.dates import normalize_published, parse_date, read_date

SHANGHAI = ZoneInfo("Asia/Shanghai")
CHINA = timezone(timedelta(hours=8))
# The instant every "27 November 2026, 08:30 Beijing time" case must come out as.
BEIJING_0830 = datetime(2026, 11, 27, 8, 30, tzinfo=CHINA)
REFERENCE = datetime(2026, 11, 28, 2, 0, tzinfo=UTC)  # 10:00 on the 28th in Beijing


@pytest.mark.parametrize(
    "text",
    [
        # zone-less, read in the configured zone
        "2026-11-27 08:30:00",
        "2026-11-27 08:30",
        "2026-11-27T08:30:00",
        "2026/11/27 08:30",
        "2026.11.27 08:30",
        "2026年11月27日 08:30",
        "2026年11月27日08:30",
        "2026年11月27日 星期五 08:30",
        "2026年11月27日 上午8:30",
        "2026年11月27日 8时30分",
        "２０２６年１１月２７日　０８：３０",  # full-width digits, colon and space
        "  2026-11-27 08:30  ",
        # CST in a Chinese feed is China Standard Time
        "Fri, 27 Nov 2026 08:30:00 CST",
        "Fri Nov 27 08:30:00 CST 2026",  # Java Date.toString()
        "2026-11-27 08:30:00 CST",
        # explicit offsets
        "Fri, 27 Nov 2026 08:30:00 +0800",
        "27 Nov 2026 08:30 +08:00",
        "Fri, 27 Nov 2026 00:30:00 GMT",
        "Fri, 27 Nov 2026 00:30:00 UT",
        "Thu, 26 Nov 2026 19:30:00 EST",
        "Fri, 27 Nov 26 08:30:00 +0800",  # two-digit year
        "2026-11-27T08:30:00+08:00",
        "2026-11-27T00:30:00Z",
        "2026-11-27T00:30:00.000Z",
        "2026-11-27T08:30:00+0800",
        "2026-11-27 08:30:00 +0800",
        "2026-11-27 08:30 GMT+8",
        "2026-11-27 08:30 UTC+8",
        "2026-11-27 08:30 UTC+08:00",
        "2026-11-27 08:30 北京时间",
        "北京时间 2026年11月27日 08:30",
        "2026年11月27日 08:30（北京时间）",
        "Fri Nov 27 2026 08:30:00 GMT+0800 (中国标准时间)",  # JavaScript Date
        "Nov 27, 2026 8:30 AM",
    ],
)
def test_reads_as_0830_beijing(text: str) -> None:
    assert parse_date(text, SHANGHAI) == BEIJING_0830


def test_seconds_are_kept() -> None:
    assert parse_date("2026年11月27日 08:30:15", SHANGHAI) == BEIJING_0830 + timedelta(seconds=15)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026年11月27日", datetime(2026, 11, 27, tzinfo=CHINA)),
        ("2026-11-27", datetime(2026, 11, 27, tzinfo=CHINA)),
        ("2026年11月27日 下午3:40", datetime(2026, 11, 27, 15, 40, tzinfo=CHINA)),
        ("2026年11月27日 晚上8点", datetime(2026, 11, 27, 20, 0, tzinfo=CHINA)),
        ("Nov 27, 2026 12:05 AM", datetime(2026, 11, 27, 0, 5, tzinfo=CHINA)),
        ("Fri, 27 Nov 2026 23:59:60 +0000", datetime(2026, 11, 27, 23, 59, 59, tzinfo=UTC)),  # leap second
        ("Fri, 27 Nov 2026 08:30:00 PST", datetime(2026, 11, 27, 16, 30, tzinfo=UTC)),
        ("2026-11-27T08:30:00-05:00", datetime(2026, 11, 27, 13, 30, tzinfo=UTC)),
    ],
)
def test_other_values(text: str, expected: datetime) -> None:
    assert parse_date(text, SHANGHAI) == expected


def test_zone_less_follows_the_configured_zone() -> None:
    assert parse_date("2026-11-27 08:30", UTC) == datetime(2026, 11, 27, 8, 30, tzinfo=UTC)
    new_york = parse_date("2026-07-01 08:30", ZoneInfo("America/New_York"))
    assert new_york is not None and new_york.utcoffset() == timedelta(hours=-4)  # DST applied
    # an explicit zone does not care about the configured one
    assert parse_date("Fri, 27 Nov 2026 08:30:00 CST", UTC) == BEIJING_0830
    assert parse_date("2026-11-27 08:30 北京时间", UTC) == BEIJING_0830


@pytest.mark.parametrize(
    "text",
    ["", "   ", "garbage", "明天", "2026-13-01", "2026-02-30 08:00", "2026-11-27 25:00",
     "Fri, 32 Nov 2026 08:30:00 +0800", "Fri, 27 Foo 2026 08:30:00 +0800",
     "2026-11-27 08:30 XYZ",  # unknown abbreviation: no date rather than a wrong one
     "2026-11-27 08:30 +2500", "11月27日 08:30", "3小时前", "x" * 500],
)
def test_unreadable_is_none(text: str) -> None:
    assert parse_date(text, SHANGHAI) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("11月27日 08:30", BEIJING_0830),
        ("11月28日", datetime(2026, 11, 28, tzinfo=CHINA)),
        ("12月31日 23:00", datetime(2025, 12, 31, 23, tzinfo=CHINA)),  # last year's, not next month's
        ("3小时前", REFERENCE - timedelta(hours=3)),
        ("25分钟前", REFERENCE - timedelta(minutes=25)),
        ("2天前", REFERENCE - timedelta(days=2)),
        ("刚刚", REFERENCE),
        ("昨天 08:30", BEIJING_0830),
        ("今天 09:15", datetime(2026, 11, 28, 9, 15, tzinfo=CHINA)),
        ("前天 08:30", BEIJING_0830 - timedelta(days=1)),
    ],
)
def test_year_less_and_relative_need_a_reference(text: str, expected: datetime) -> None:
    assert parse_date(text, SHANGHAI, reference=REFERENCE) == expected


def test_reference_does_not_change_complete_dates() -> None:
    assert parse_date("2020-01-02 03:04", SHANGHAI, reference=REFERENCE) == datetime(
        2020, 1, 2, 3, 4, tzinfo=CHINA
    )


# --- normalize_published -------------------------------------------------------------------------

FETCHED = datetime(2026, 11, 28, 2, 0, tzinfo=UTC)


def test_missing_date_is_the_fetch_time_flagged() -> None:
    assert normalize_published(None, fetched_at=FETCHED) == (FETCHED, True, False)


def test_future_date_is_capped_and_flagged() -> None:
    future = FETCHED + timedelta(hours=1, seconds=1)
    assert normalize_published(future, fetched_at=FETCHED) == (FETCHED, False, True)


def test_slightly_future_date_is_kept() -> None:
    """Clock skew within max_future is not worth a flag."""
    soon = FETCHED + timedelta(minutes=59)
    assert normalize_published(soon, fetched_at=FETCHED) == (soon, False, False)
    assert normalize_published(soon, fetched_at=FETCHED, max_future=timedelta(0)) == (FETCHED, False, True)


def test_past_date_is_kept_in_utc() -> None:
    published, missing, capped = normalize_published(BEIJING_0830, fetched_at=FETCHED)
    assert (published, missing, capped) == (BEIJING_0830, False, False)
    assert published.utcoffset() == timedelta(0)


def test_placeholder_dates_count_as_missing() -> None:
    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    assert normalize_published(epoch, fetched_at=FETCHED) == (FETCHED, True, False)


# --- properties ----------------------------------------------------------------------------------

_instants = st.datetimes(
    min_value=datetime(1990, 1, 1), max_value=datetime(2200, 1, 1), timezones=st.just(UTC)
)
_offsets = st.integers(min_value=-14 * 60, max_value=14 * 60).map(lambda m: timezone(timedelta(minutes=m)))


@given(_instants, _offsets)
def test_rfc3339_round_trips(instant: datetime, zone: timezone) -> None:
    value = instant.astimezone(zone)
    assert parse_date(value.isoformat(), SHANGHAI) == value
    assert parse_date(value.isoformat(timespec="seconds"), SHANGHAI) == value.replace(microsecond=0)


# Zones without DST since 1992 (Shanghai dropped it in 1991), so local time is never ambiguous.
@given(st.datetimes(min_value=datetime(1992, 1, 1), max_value=datetime(2200, 1, 1), timezones=st.just(UTC)),
       st.sampled_from(["Asia/Shanghai", "Asia/Hong_Kong", "UTC", "Asia/Kolkata"]))
def test_local_wall_clock_round_trips(instant: datetime, zone_name: str) -> None:
    zone = ZoneInfo(zone_name)
    local = instant.astimezone(zone)
    for text in (local.strftime("%Y-%m-%d %H:%M:%S"), local.strftime("%Y年%m月%d日 %H:%M:%S"),
                 local.strftime("%Y/%m/%d %H:%M:%S")):
        assert parse_date(text, zone) == local.replace(microsecond=0)


@given(_instants, _offsets)
def test_rfc822_round_trips(instant: datetime, zone: timezone) -> None:
    value = instant.astimezone(zone).replace(second=instant.second, microsecond=0)
    offset = int(value.utcoffset().total_seconds()) // 60  # type: ignore[union-attr]
    sign = "-" if offset < 0 else "+"
    text = value.strftime("%a, %d %b %Y %H:%M:%S ") + f"{sign}{abs(offset) // 60:02d}{abs(offset) % 60:02d}"
    assert parse_date(text, SHANGHAI) == value


@given(st.text(max_size=60))
def test_never_raises(text: str) -> None:
    value = parse_date(text, SHANGHAI, reference=REFERENCE)
    assert value is None or value.utcoffset() is not None


# --- impossible dates (issue 14) -----------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        # day-of-month overflow in every format the reader knows: never rolled over to the next month
        "2026-02-30", "2026-02-30T08:00:00+08:00", "2026-02-29 08:00", "2026-04-31", "2026/02/30 08:30",
        "2026.02.30", "2026年2月30日", "2026年2月30日 08:30", "Mon, 30 Feb 2026 08:00:00 +0800",
        "30 Feb 2026 08:00 GMT", "Feb 30, 2026 8:30 AM", "Mon Feb 30 08:30:00 CST 2026", "2026-13-01",
        # offsets beyond ±14:00, in every spelling of an offset
        "2026-11-27T08:30:00+25:00", "2026-11-27T08:30:00+14:01", "2026-11-27T08:30:00-14:01",
        "2026-11-27T08:30:00+23:59", "2026-11-27T08:30:00-15:00", "2026-11-27 08:30:00 +1401",
        "Fri, 27 Nov 2026 08:30:00 +2500", "Fri, 27 Nov 2026 08:30:00 -1430", "2026-11-27 08:30 GMT+15",
        "2026-11-27 08:30 UTC-14:30", "2026年11月27日 08:30 +15:00",
        # years UTC cannot hold once the zone is applied
        "0001-01-01T00:00:00", "0001-01-01 00:00:00 +0800", "9999-12-31T23:59:59-05:00",
        "Fri, 31 Dec 9999 23:00:00 -0500",
    ],
)
def test_impossible_dates_are_none(text: str) -> None:
    assert parse_date(text, SHANGHAI, reference=REFERENCE) is None


def test_impossible_year_less_dates_are_none() -> None:
    assert parse_date("2月30日 08:30", SHANGHAI, reference=REFERENCE) is None
    # 29 February is a date where the year around the reference has one
    leap = datetime(2028, 3, 5, tzinfo=UTC)
    assert parse_date("2月29日", SHANGHAI, reference=leap) == datetime(2028, 2, 29, tzinfo=CHINA)


@pytest.mark.parametrize("offset", ["+14:00", "-14:00", "+13:59", "-12:00", "+05:45", "+00:00", "-00:30"])
def test_offsets_within_fourteen_hours_are_honoured(offset: str) -> None:
    value = parse_date(f"2026-11-27T08:30:00{offset}", SHANGHAI)
    assert value == datetime.fromisoformat(f"2026-11-27T08:30:00{offset}")
    compact = offset.replace(":", "")
    assert parse_date(f"Fri, 27 Nov 2026 08:30:00 {compact}", SHANGHAI) == value


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("2026-02-30", "day is out of range for month"),
        ("2026年2月30日 08:30", "day is out of range for month"),
        ("2026-13-01", "month must be in 1..12"),
        ("2026-11-27T08:30:00+25:00", "offset +25:00 is beyond ±14:00"),
        ("Fri, 27 Nov 2026 08:30:00 +1401", "offset +14:01 is beyond ±14:00"),
        ("2026-11-27T08:30:00-14:30", "offset -14:30 is beyond ±14:00"),
        ("Fri, 27 Nov 2026 08:30:00 XYZ", "unknown time zone 'XYZ'"),
        ("0001-01-01T00:00:00", "out of range"),
    ],
)
def test_an_impossible_date_says_why(text: str, reason: str) -> None:
    reading = read_date(text, SHANGHAI)
    assert reading.value is None and reading.problem is not None
    assert reason in reading.problem and repr(text) in reading.problem


def test_unreadable_is_no_problem_and_readable_has_none() -> None:
    """Only a date-shaped string with an impossible field is a problem; prose is just no date."""
    assert read_date("garbage", SHANGHAI) == (None, None)
    assert read_date("2026-11-27 08:30", SHANGHAI) == (BEIJING_0830, None)


def test_dates_utc_cannot_hold_count_as_missing() -> None:
    """A datetime that overflows on the way to UTC is no date, not an OverflowError."""
    early = datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=8)))
    late = datetime(9999, 12, 31, 23, tzinfo=timezone(timedelta(hours=-5)))
    assert normalize_published(early, fetched_at=FETCHED) == (FETCHED, True, False)
    assert normalize_published(late, fetched_at=FETCHED) == (FETCHED, True, False)


def test_far_future_placeholders_count_as_missing_not_capped() -> None:
    """9999-12-31 means "never"; a date a few years ahead is a typo or a scheduled post, and capped."""
    placeholder = datetime(9999, 12, 31, 23, 59, 59, tzinfo=timezone(timedelta(hours=5)))
    assert normalize_published(placeholder, fetched_at=FETCHED) == (FETCHED, True, False)
    assert normalize_published(datetime(2101, 1, 1, tzinfo=UTC), fetched_at=FETCHED) == (FETCHED, True, False)
    assert normalize_published(datetime(2100, 12, 31, tzinfo=UTC), fetched_at=FETCHED) == (FETCHED, False, True)


# RFC 822 dates take a shorter road than the general patterns: the same reading (value, or the
# problem, word for word) on strings of that shape and its near misses.
_rfc822_like = st.builds(
    lambda wd, d, mon, y, h, mi, sec, zone: f"{wd}{d} {mon} {y} {h}:{mi}:{sec}{zone}",
    st.sampled_from(["Sat, ", "Mon, ", "Sat, ", "Sun ", "", "sat, ", "Xyz, "]),
    st.sampled_from(["28", "01", "31", "30", "00", "29", "1"]),
    st.sampled_from(["Nov", "Feb", "Nov", "Feb", "nov", "NOV", "Sept", "Foo"]),
    st.sampled_from(["2026", "2024", "2023", "2026", "0001", "9999", "26"]),
    st.sampled_from(["07", "00", "23", "24", "12", "7"]),
    st.sampled_from(["20", "59", "60"]),
    st.sampled_from(["05", "59", "60", "61", "99"]),
    st.sampled_from([" +0800", " -0500", " +1400", " +1401", " -1430", " +9999", " GMT", " UTC", " UT", " Z", " CST",
                     " EDT", " AWST", " XYZ", " PMT", " AMST", " PM", " pm", " +08:00", "", " +0800 (CST)"]),
)


def _general_reading(text: str, reference: datetime | None) -> dates.DateReading:
    real = dates._RFC822_RE
    dates._RFC822_RE = re.compile("(?!)")  # matches nothing: every string takes the general patterns
    try:
        return read_date(text, SHANGHAI, reference=reference)
    finally:
        dates._RFC822_RE = real


@settings(max_examples=1000)
@given(_rfc822_like, st.sampled_from([None, FETCHED]))
def test_the_rfc822_shortcut_reads_as_the_general_patterns(text: str, reference: datetime | None) -> None:
    assert read_date(text, SHANGHAI, reference=reference) == _general_reading(text, reference)


def test_the_rfc822_shortcut_is_taken() -> None:
    for text in ("Sat, 28 Nov 2026 07:20:05 +0800", "Sat, 28 Nov 2026 07:20:05 GMT", "Fri, 27 Nov 2026 08:30:00 CST"):
        assert dates._RFC822_RE.fullmatch(text) is not None
        assert read_date(text, SHANGHAI) == _general_reading(text, None)
        assert read_date(text, SHANGHAI).value is not None


@given(st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31, 23, 59, 59)),
       st.integers(min_value=-23 * 60, max_value=23 * 60))
def test_the_inline_range_check_is_check_representable(naive: datetime, minutes: int) -> None:
    """read_date calls _check_representable only for a date that may fail it: the same dates read."""
    value = naive.replace(tzinfo=timezone(timedelta(minutes=minutes)))
    try:
        dates._check_representable(value)
        representable = True
    except ValueError:
        representable = False
    reading = read_date(value.isoformat(), UTC)
    assert (reading.value == value) is representable
    assert (reading.problem is None) is representable
