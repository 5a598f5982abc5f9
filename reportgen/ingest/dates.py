"""Feed date strings → aware datetimes, read the way Chinese feeds mean them.

feedparser reads a date without a zone as UTC and ``CST`` as US Central time.  Chinese feeds mean
neither: a zone-less ``2026-11-27 08:30`` is local time (the configured zone, Asia/Shanghai by
default) and ``CST`` is China Standard Time, +08:00.  :func:`parse_date` reads the formats seen in
the wild (ISO 8601 / RFC 3339, RFC 822, Java's ``Date.toString()``, JavaScript's ``Date`` string,
``2026年11月27日 08:30``, ``2026/11/27 08:30`` ...) with those rules; explicit offsets are honoured.

A string of a date's shape with an impossible field (30 February, month 13, hour 25, an offset
beyond ±14:00, an unknown zone abbreviation, a year UTC cannot hold once the zone is applied) is
*no* date: :func:`read_date` says why, and it is never rolled over, shifted or guessed at.

:func:`normalize_published` turns "no date" and "a date in the future" into the fetch time and
says so, so reports can flag them instead of trusting them.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from functools import lru_cache
from typing import NamedTuple

logger = logging.getLogger(__name__)

__all__ = ["parse_date", "read_date", "DateReading", "normalize_published", "EARLIEST_PLAUSIBLE",
           "LATEST_PLAUSIBLE", "MAX_OFFSET"]

#: Dates before this are placeholders (epoch zero, ``0001-01-01``) rather than publication dates.
EARLIEST_PLAUSIBLE = datetime(1990, 1, 1, tzinfo=UTC)
#: Dates from this on are placeholders too (``9999-12-31`` means "never"), not scheduled posts.
LATEST_PLAUSIBLE = datetime(2101, 1, 1, tzinfo=UTC)

#: The largest UTC offset a date may carry, either way, inclusive: +14:00 (Kiribati's Line
#: Islands) is the easternmost zone in use and -12:00 the westernmost.  ISO 8601 and RFC 3339
#: syntax allow up to ±23:59 and RFC 822 up to ±99:99, but beyond ±14:00 an offset is a typo or
#: garbage, and applying it would move the date by up to a day: ``+14:00`` and ``-14:00`` are
#: read, ``+14:01`` and ``-14:30`` make the date impossible.
MAX_OFFSET = timedelta(hours=14)

_MAX_LEN = 200

_CHINA = timezone(timedelta(hours=8))

# Zone abbreviations.  ``CST`` is China Standard Time: this is a reader of Chinese feeds, where
# Java's Date.toString() and many CMSs print CST for Asia/Shanghai.  US Central is never meant.
_NAMED_ZONES: dict[str, int] = {
    "Z": 0, "UT": 0, "UTC": 0, "GMT": 0, "WET": 0,
    "CST": 480, "BJT": 480, "CCT": 480, "HKT": 480, "SGT": 480, "MYT": 480, "AWST": 480, "PHT": 480,
    "JST": 540, "KST": 540,
    "BST": 60, "CET": 60, "CEST": 120, "EET": 120, "EEST": 180, "IST": 330,
    "EST": -300, "EDT": -240, "CDT": -300, "MST": -420, "MDT": -360, "PST": -480, "PDT": -420,
}

_MONTHS: dict[str, int] = {}
for _i, _name in enumerate(
    ("january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"),
    start=1,
):
    _MONTHS[_name] = _i
    _MONTHS[_name[:3]] = _i
_MONTHS["sept"] = 9

# Markers that mean Beijing time wherever they appear; removed before the rest is read.
_BEIJING_RE = re.compile(r"[(（\[【]?\s*(?:北京时间|北京時間|中国标准时间|China Standard Time)\s*[)）\]】]?")
_COMMENT_RE = re.compile(r"\s*\([^()]*\)\s*$")

_TIME = r"""
    (?:
        (?:\s*[Tt]\s*|\s*,?\s*)
        (?P<ap1>上午|下午|凌晨|早上|早晨|中午|晚上|傍晚)?\s*
        (?P<H>\d{1,2})\s*
        (?:
            :\s*(?P<M>\d{1,2})
            (?:\s*:\s*(?P<S>\d{1,2})(?:[.,](?P<F>\d+))?)?
          | [时時點点]\s*
            (?:(?P<M2>\d{1,2})\s*分\s*(?:(?P<S2>\d{1,2})\s*秒)?)?
        )
        \s*(?P<ap2>[AaPp]\.?[Mm]\.?)?
    )?
"""
_ZONE = r"""
    (?:\s*
        (?P<zone>
            [+-]\d{1,2}(?::?\d{2})?
          | (?:GMT|UTC|UT)\s*[+-]\s*\d{1,2}(?::?\d{2})?
          | [A-Za-z]{1,5}
        )
    )?
"""
_WEEKDAY = r"(?:(?:[A-Za-z]+|星期[一二三四五六日天]|周[一二三四五六日天])\.?,?\s*)?"
_WEEKDAY_AFTER = r"(?:\s*[(（]?(?:星期|周)[一二三四五六日天][)）]?)?"

_FLAGS = re.VERBOSE
_YMD_RE = re.compile(
    r"(?P<y>\d{4})\s*(?:[-/.]|年)\s*(?P<m>\d{1,2})\s*(?:[-/.]|月)\s*(?P<d>\d{1,2})\s*日?"
    + _WEEKDAY_AFTER + _TIME + _ZONE,
    _FLAGS,
)
_DMY_NAME_RE = re.compile(
    _WEEKDAY + r"(?P<d>\d{1,2})[\s-]+(?P<mon>[A-Za-z]{3,9})\.?,?[\s-]+(?P<y>\d{4}|\d{2})" + _TIME + _ZONE,
    _FLAGS,
)
_MDY_NAME_RE = re.compile(
    _WEEKDAY + r"(?P<mon>[A-Za-z]{3,9})\.?\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>\d{4})" + _TIME + _ZONE,
    _FLAGS,
)
# Java Date.toString() / Unix date: "Fri Nov 27 08:30:00 CST 2026"
_ASCTIME_RE = re.compile(
    _WEEKDAY + r"(?P<mon>[A-Za-z]{3,9})\.?\s+(?P<d>\d{1,2})" + _TIME + _ZONE + r"\s+(?P<y>\d{4})",
    _FLAGS,
)
# Year-less: "11月27日 08:30", "11-27 08:30"; only read with a reference date.
_MD_RE = re.compile(
    r"(?P<m>\d{1,2})\s*(?:月|[-/])\s*(?P<d>\d{1,2})\s*日?" + _TIME + _ZONE,
    _FLAGS,
)
_DAYWORD_RE = re.compile(r"(?P<day>今天|今日|昨天|昨日|前天)" + _TIME, _FLAGS)
_JUST_NOW = frozenset({"刚刚", "剛剛", "刚才", "just now"})

_PATTERNS = (_YMD_RE, _DMY_NAME_RE, _MDY_NAME_RE, _ASCTIME_RE)
# The canonical RFC 822 date ("Sat, 28 Nov 2026 07:20:05 +0800"): _YMD_RE cannot match it (it starts
# with a letter), and _DMY_NAME_RE reads exactly these fields from it, so it takes a shorter road.
_RFC822_RE = re.compile(
    r"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\d{2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{4}) "
    r"(\d{2}):(\d{2}):(\d{2}) ([+-]\d{4}|" + "|".join(_NAMED_ZONES) + ")"
)  # named zones only: in "07:20:05 PMT", _TIME reads "PM" and the zone is "T"
_ISO_HINT_RE = re.compile(r"\d{4}-?\d{2}")
# A year before 1: PHP prints its zero date (0000-00-00) as "-0001-11-30" or "30 Nov -0001".
_NEGATIVE_YEAR_RE = re.compile(
    r"-\d{1,6}-\d{1,2}-\d{1,2}(?!\d)|.*?\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?,?\s+-\d{1,6}\b",
    re.IGNORECASE)


class DateReading(NamedTuple):
    """What :func:`read_date` made of a string: a date, or why a date-shaped string is none."""

    value: datetime | None
    problem: str | None = None  # set only when the string has a date's shape but cannot be one


class _Impossible(ValueError):
    """A date-shaped string with a field no date can have (the message says which)."""


_UNREAD = DateReading(None)


def parse_date(text: str, tz: tzinfo, *, reference: datetime | None = None) -> datetime | None:
    """Read one feed date string as an aware datetime, or ``None`` when it cannot be read.

    A date without a zone is local time in ``tz``; ``CST`` and ``北京时间`` are +08:00; explicit
    offsets (``+0800``, ``+08:00``, ``GMT+8``, ``UTC+8``, ``Z``) within ±14:00 (:data:`MAX_OFFSET`)
    and common abbreviations are honoured; an unknown abbreviation makes the date unreadable
    rather than silently UTC.  Impossible dates are ``None`` (:func:`read_date` says why).

    Year-less (``11月27日 08:30``) and relative (``3小时前``, ``昨天 08:30``) dates need a
    ``reference`` (normally the fetch time); without one they are ``None``.
    """
    return read_date(text, tz, reference=reference).value


def read_date(text: str, tz: tzinfo, *, reference: datetime | None = None) -> DateReading:
    """:func:`parse_date`, telling "not a date" (``problem`` is ``None``) from "an impossible date".

    A value read is always convertible to UTC and its offset within ±14:00.  A string the
    reader recognises with an impossible field gets a ``problem`` naming it, so that a caller
    does not go on to a more lenient reader (feedparser rolls 30 February over to March).
    """
    if not isinstance(text, str):
        return _UNREAD
    s = (text if text.isascii() else unicodedata.normalize("NFKC", text)).strip()  # NFKC keeps ASCII as is
    if not s or len(s) > _MAX_LEN:
        return _UNREAD
    if (s[0] == "-" or " -" in s) and _NEGATIVE_YEAR_RE.match(s) is not None:
        # Not year 1 (the month-name patterns would read "-0001" so) nor feedparser's 2000-01-01.
        return DateReading(None, f"{text.strip()[:_MAX_LEN]!r}: a year before 1 (PHP's zero date)")
    try:
        value = _parse(s, tz, reference)
        if value is not None:
            offset = value.utcoffset()
            if not 1 < value.year < 9999 or (offset is not None and not -MAX_OFFSET <= offset <= MAX_OFFSET):
                _check_representable(value)  # (else it is: an offset within ±14:00 keeps it in UTC's range)
    except (ValueError, OverflowError) as exc:
        # An impossible field of a recognised shape (datetime's own messages: "day is out of
        # range for month", "month must be in 1..12"), an offset beyond ±14:00, an unknown
        # zone, or overflow at the edges of datetime.  Unrecognised shapes return None above.
        reason = str(exc) or type(exc).__name__
        return DateReading(None, f"{text.strip()[:_MAX_LEN]!r}: {reason}")
    return DateReading(value)


def _check_representable(value: datetime) -> None:
    offset = value.utcoffset()
    if offset is not None and abs(offset) > MAX_OFFSET:
        raise _Impossible(f"offset {_format_offset(offset)} is beyond ±14:00")
    if 1 < value.year < 9999:
        return  # an offset within ±14:00 moves it less than a day: UTC holds it
    try:
        value.astimezone(UTC)
    except OverflowError:
        raise _Impossible("out of range once converted to UTC") from None


def _format_offset(offset: timedelta) -> str:
    minutes = int(offset.total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _parse(s: str, tz: tzinfo, reference: datetime | None) -> datetime | None:
    # Fast path: ISO 8601 / RFC 3339, by far the most common in RSSHub and Atom output.
    if s[0].isdigit() and _ISO_HINT_RE.match(s):
        try:
            value = datetime.fromisoformat(s)
        except ValueError:
            pass
        else:
            return value if value.tzinfo is not None else value.replace(tzinfo=tz)
    # Fast path: RFC 822 as RSS 2.0 writes it, read as _DMY_NAME_RE and _build read it.
    rfc822 = _RFC822_RE.fullmatch(s)
    if rfc822 is not None:
        day, month, year, hour, minute, second, zone = rfc822.groups()
        return datetime(int(year), _MONTHS[month.lower()], int(day), int(hour), int(minute), min(int(second), 59),
                        tzinfo=_token_zone(zone))  # (_zone of a token: the pattern always has one)

    forced: tzinfo | None = None
    if "时间" in s or "時間" in s or "Standard Time" in s:
        stripped = _BEIJING_RE.sub(" ", s).strip()
        if stripped != s:
            forced, s = _CHINA, stripped
    if s.endswith(")"):
        s = _COMMENT_RE.sub("", s)
    if not s:
        return None

    for pattern in _PATTERNS:
        m = pattern.fullmatch(s)
        if m is not None:
            return _build(m, tz, forced)

    if reference is not None:
        return _parse_relative(s, tz, forced, reference)
    return None


def _build(m: re.Match[str], tz: tzinfo, forced: tzinfo | None) -> datetime | None:
    groups = m.groupdict()
    year = int(groups["y"])
    if len(groups["y"]) == 2:  # RFC 822 two-digit year, as RFC 2822 §4.3 reads it
        year += 2000 if year < 50 else 1900
    if groups.get("mon") is not None:
        month = _MONTHS.get(groups["mon"].lower())
        if month is None:
            return None  # not a month name: not a date shape we know
    else:
        month = int(groups["m"])
    zone = _zone(groups["zone"], tz, forced)
    hour, minute, second, micro = _time(groups)
    return datetime(year, month, int(groups["d"]), hour, minute, second, micro, tzinfo=zone)


def _time(groups: dict[str, str | None]) -> tuple[int, int, int, int]:
    if groups["H"] is None:
        return 0, 0, 0, 0
    hour = int(groups["H"])
    minute = int(groups["M"] or groups["M2"] or 0)
    second = min(int(groups["S"] or groups["S2"] or 0), 59)  # a leap second reads as :59
    fraction = groups["F"]
    micro = int((fraction + "000000")[:6]) if fraction else 0
    marker = groups["ap1"] or (groups["ap2"] or "").replace(".", "").lower() or None
    if marker in ("下午", "晚上", "傍晚", "pm") and hour < 12:
        hour += 12
    elif marker in ("中午",) and hour < 11:
        hour += 12
    elif marker in ("凌晨", "上午", "早上", "早晨", "am") and hour == 12:
        hour = 0
    return hour, minute, second, micro


def _zone(token: str | None, tz: tzinfo, forced: tzinfo | None) -> tzinfo:
    """The zone a date's zone token names; raises :class:`_Impossible` for one no date can have."""
    if token is None:
        return forced or tz
    return _token_zone(token)


@lru_cache(maxsize=256)
def _token_zone(token: str) -> tzinfo:
    """:func:`_zone` of a token: a few spellings recur in every feed (an error is not cached)."""
    spelled = token.strip()
    token = spelled.upper()
    if token in _NAMED_ZONES:
        minutes = _NAMED_ZONES[token]
        return UTC if minutes == 0 else timezone(timedelta(minutes=minutes))
    for prefix in ("GMT", "UTC", "UT"):
        if token.startswith(prefix):
            token = token[len(prefix):].strip()
            break
    if not token or token[0] not in "+-":
        # an abbreviation we do not know: better no date than a wrong one (feedparser reads UTC)
        raise _Impossible(f"unknown time zone {spelled!r}")
    sign = -1 if token[0] == "-" else 1
    digits = token[1:].replace(":", "").replace(" ", "")
    if len(digits) <= 2:
        hours, minutes = int(digits), 0
    else:
        hours, minutes = int(digits[:-2]), int(digits[-2:])
    offset = timedelta(hours=hours, minutes=minutes)
    if minutes > 59 or offset > MAX_OFFSET:
        raise _Impossible(f"offset {token[0]}{hours:02d}:{minutes:02d} is beyond ±14:00")
    return timezone(sign * offset)


_AGO_UNITS = {
    "秒": timedelta(seconds=1), "分钟": timedelta(minutes=1), "分鐘": timedelta(minutes=1),
    "分": timedelta(minutes=1), "小时": timedelta(hours=1), "小時": timedelta(hours=1),
    "个小时": timedelta(hours=1), "個小時": timedelta(hours=1), "天": timedelta(days=1),
    "日": timedelta(days=1), "周": timedelta(weeks=1), "週": timedelta(weeks=1),
}
_AGO_RE = re.compile(
    r"(?P<n>\d{1,4})\s*(?P<unit>" + "|".join(sorted(_AGO_UNITS, key=len, reverse=True)) + r")\s*[以之]?前"
)
_DAYWORD_OFFSET = {"今天": 0, "今日": 0, "昨天": 1, "昨日": 1, "前天": 2}


def _parse_relative(s: str, tz: tzinfo, forced: tzinfo | None, reference: datetime) -> datetime | None:
    """Year-less and relative dates, anchored on ``reference``."""
    if reference.tzinfo is None:
        reference = reference.replace(tzinfo=UTC)
    zone = forced or tz
    local_ref = reference.astimezone(zone)
    if s.lower() in _JUST_NOW:
        return reference
    m = _AGO_RE.fullmatch(s)
    if m is not None:
        return reference - int(m["n"]) * _AGO_UNITS[m["unit"]]
    m = _DAYWORD_RE.fullmatch(s)
    if m is not None:
        hour, minute, second, micro = _time(m.groupdict())
        day = local_ref.date() - timedelta(days=_DAYWORD_OFFSET[m["day"]])
        return datetime(day.year, day.month, day.day, hour, minute, second, micro, tzinfo=zone)
    m = _MD_RE.fullmatch(s)
    if m is not None:
        groups = m.groupdict()
        zone = _zone(groups["zone"], tz, forced)
        hour, minute, second, micro = _time(groups)
        month, day_of_month = int(groups["m"]), int(groups["d"])
        # Impossible in every year (30 February, month 13, hour 25): raises.  2000 is a leap year.
        datetime(2000, month, day_of_month, hour, minute, second, micro)
        # The latest such date that is not more than a day after the reference: a feed lists
        # the recent past, so "12月31日" read on 2 January is last year's.
        for year in (local_ref.year + 1, local_ref.year, local_ref.year - 1):
            try:
                candidate = datetime(year, month, day_of_month, hour, minute, second, micro, tzinfo=zone)
            except ValueError:
                continue  # 29 February in a common year
            if candidate <= reference + timedelta(days=1):
                return candidate
    return None


def normalize_published(
    raw: datetime | None,
    *,
    fetched_at: datetime,
    max_future: timedelta = timedelta(hours=1),
    earliest: datetime = EARLIEST_PLAUSIBLE,
) -> tuple[datetime, bool, bool]:
    """Return ``(published_at, date_missing, date_capped)``, ``published_at`` in UTC.

    No date (or a placeholder: before ``earliest``, from :data:`LATEST_PLAUSIBLE` on, or beyond
    what UTC can hold) becomes the fetch time, flagged missing.  A date more than ``max_future``
    after the fetch (clock skew, scheduled posts, typos) is capped to the fetch time and flagged,
    so it cannot sit at the top of every report until it comes true.  Naive datetimes are taken
    as UTC.
    """
    fetched = fetched_at if fetched_at.tzinfo is UTC else _as_utc(fetched_at)  # (astimezone would return it)
    if raw is None:
        return fetched, True, False
    try:
        published = _as_utc(raw)
    except OverflowError:  # 0001-01-01 at +08:00, 9999-12-31 at -05:00
        return fetched, True, False
    if published < earliest or published >= LATEST_PLAUSIBLE:
        return fetched, True, False
    if published - fetched > max_future:
        return fetched, False, True
    return published, False, False


def _as_utc(value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)
