"""Feed entries → :class:`Item`: the steps every feed format shares once its entries are read.

RSS, Atom and RDF (through feedparser) and JSON Feed (our own reader) each turn their entries
into :class:`RawEntry` tuples; :func:`build_items` then makes their text safe to store, reads
dates in the feed's zone, picks a stable id and drops what cannot be an item.  :func:`feed_result`
is the one way a :class:`ParsedFeed` is made, and makes its feed-level strings safe the same way.

Safe text (:func:`~reportgen.ingest.normalize.clean_text`): a lone surrogate (a JSON ``"\\ud800"``
escape decodes to one) cannot be encoded as UTF-8, so SQLite, PostgreSQL and the PDF all raise on
it; one such character used to cost its source's feed and the whole run.  Every text field of
every item and every feed-level string passes through that one step, whatever the format.
"""


from __future__ import annotations

import dataclasses
import logging
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, tzinfo
from functools import partial
from typing import Any, NamedTuple

from reportgen.ingest.dates import normalize_published, read_date
from reportgen.ingest.normalize import (
    canonical_url,
    clean_text,
    content_hash,
    html_to_text,
    is_trusted_guid,
    normalize_whitespace,
    printable_message,
    secrets_pattern,
    trusted_item_id,
)
from reportgen.models import Item, ParsedFeed

logger = logging.getLogger(__name__)


MAX_TITLE = 500
MAX_SUMMARY = 20_000
MAX_AUTHOR = 200
MAX_RAW_HTML = 200_000
MAX_MESSAGE = 300
_DATE_KEYS = ("published", "created", "updated")
_PARSED_KEYS = ("published_parsed", "created_parsed", "updated_parsed")


class RawEntry(NamedTuple):
    """One entry, fields already normalized, before ids and dates are settled."""

    title: str
    summary: str
    url: str | None  # canonical, for display and storage
    id_url: str | None  # canonical plus the fragment, for identity (see identity_url)
    guid: str | None
    author: str | None
    raw_dates: tuple[Any, ...]  # strings, best first
    parsed_dates: tuple[Any, ...]  # feedparser's UTC struct_time fallbacks, one per raw date


def identity_url(url: str | None, link: Any) -> str | None:
    """The canonical URL with the link's fragment kept.

    The display URL drops fragments, but some feeds tell entries apart *only* by it (comment
    feeds: ``post/#comment-1``, ``post/#comment-2``).  Keying on the bare URL would merge them.
    """
    if url is None or "#" in url or not isinstance(link, str):
        return url
    fragment = link.partition("#")[2].strip()
    return f"{url}#{fragment}" if fragment else url


def feed_entries(entries: Iterable[Any], feed_link: str | None) -> Iterable[RawEntry]:
    for entry in entries:
        if not isinstance(entry, dict):  # get_field's rule: nothing to read from it
            entry = _NO_FIELDS
        get = entry.get if type(entry) is dict else partial(dict.get, entry)  # see get_field
        link = get("link")
        url = canonical_url(link, feed_link)
        guid = get("id")
        title = get("title")
        if title and isinstance(title, str):  # field_text(title, content_kind(title_detail), MAX_TITLE)
            detail = get("title_detail")
            kind = dict.get(detail, "type") if type(detail) is dict else get_field(detail, "type")
            title = convert_text(title, kind if isinstance(kind, str) and kind else "text/html", MAX_TITLE)
        else:
            title = ""
        author = get("author")
        yield RawEntry(
            title,  # title
            _summary(get),  # summary
            url,  # url
            identity_url(url, link),  # id_url
            guid.strip() or None if isinstance(guid, str) else None,  # guid
            convert_text(author, "text/plain", MAX_AUTHOR) or None if author and isinstance(author, str)
            else None,  # author: field_text(author, "text/plain", MAX_AUTHOR) or None
            (get("published"), get("created"), get("updated")),  # raw_dates: _DATE_KEYS
            (get("published_parsed"), get("created_parsed"), get("updated_parsed")),  # parsed_dates: _PARSED_KEYS
        )


_NO_FIELDS: dict[str, Any] = {}


def _summary(get: Callable[[str], Any]) -> str:
    """The longest of content / summary (feedparser files RSS description under summary), of the
    entry that ``get`` reads (see get_field)."""
    best_value, best_type = "", ""
    for detail in get("content") or ():
        value = get_field(detail, "value") or ""
        if isinstance(value, str) and len(value) > len(best_value):
            best_value, best_type = value, get_field(detail, "type") or ""
    summary = get("summary")
    if isinstance(summary, str) and len(summary) > len(best_value):
        best_value = summary
        detail = get("summary_detail")
        kind = dict.get(detail, "type") if type(detail) is dict else get_field(detail, "type")  # content_kind
        best_type = kind if isinstance(kind, str) and kind else "text/html"
    if not best_value:
        return ""
    return convert_text(best_value, best_type, MAX_SUMMARY)


def get_field(obj: Any, key: str) -> Any:
    """``dict.get`` past FeedParserDict's key aliases: faster, and no deprecated
    ``updated`` → ``published`` fallback (we want to know which date the feed gave)."""
    return dict.get(obj, key) if isinstance(obj, dict) else None


def content_kind(detail: Any) -> str:
    """The content type feedparser settled on; HTML when it does not say."""
    kind = get_field(detail, "type")
    return kind if isinstance(kind, str) and kind else "text/html"


def field_text(value: Any, kind: str, limit: int) -> str:
    if not value or not isinstance(value, str):
        return ""
    return convert_text(value, kind, limit)


def convert_text(value: str, kind: str, limit: int) -> str:
    if "html" in kind:
        text = html_to_text(value[:MAX_RAW_HTML])
    else:
        text = normalize_whitespace(value[:MAX_RAW_HTML])
    return text[:limit].rstrip() if len(text) > limit else text


def _entry_date(raw_dates: tuple[Any, ...], parsed_dates: tuple[Any, ...], zone: tzinfo,
                fetched_at: datetime) -> tuple[datetime | None, str | None]:
    """The entry's date; or ``None``, with why the first impossible date string was not used."""
    # The raw strings first, read in the configured zone; feedparser's structs (UTC, and
    # zone-less read as UTC) only for a string our reader cannot make sense of.  A string our
    # reader knows to be impossible (30 February, an offset of +25:00) is no date: feedparser
    # would roll it over or apply it, so its struct is skipped too, as if the date were absent.
    problem = None
    impossible: set[int] = set()
    for index, raw in enumerate(raw_dates):
        if raw and isinstance(raw, str):
            reading = read_date(raw, zone, reference=fetched_at)
            if reading.value is not None:
                return reading.value, None
            if reading.problem is not None:
                impossible.add(index)
                problem = problem or reading.problem
    for index, struct in enumerate(parsed_dates):
        if struct is not None and index not in impossible:
            try:
                year, month, day, hour, minute, second = struct[:6]
                value = datetime(year, month, day, hour, minute, min(second, 59), tzinfo=UTC)
            except (TypeError, ValueError, OverflowError):
                continue
            raw = raw_dates[index] if index < len(raw_dates) else None
            if isinstance(raw, str) and not _says_year(raw, year):
                # feedparser's looser reading made another date of it: PHP's zero date
                # "-0001-11-30" is 2000-01-01 to it.  A day the string does not say is no date.
                problem = problem or f"{raw.strip()[:200]!r}: not a date (read elsewhere as {value:%Y-%m-%d})"
                continue
            return value, None
    return None, problem


_DIGITS = re.compile(r"\d+")


def _says_year(raw: str, year: int) -> bool:
    """Whether the date string ``raw`` gives ``year``: in a run of four digits or more, or, where it
    has none (``6 Dec 26``), as a two-digit year."""
    runs = _DIGITS.findall(unicodedata.normalize("NFKC", raw) if not raw.isascii() else raw)
    long_runs = [run for run in runs if len(run) >= 4]
    if long_runs:
        return any(str(year) in run for run in long_runs)
    return f"{year % 100:02d}" in runs


def _names_feed(guid: str, feed_link: str | None) -> bool:
    """A guid that is the channel's own URL identifies the feed, not the entry."""
    return feed_link is not None and guid[:4].lower() == "http" and canonical_url(guid) == feed_link


def _clean_entry(row: RawEntry) -> RawEntry:
    """The entry with every text field safe to store (see the module docstring)."""
    title, summary, url, id_url, guid, author = row[:6]
    if title.isprintable() and summary.isprintable() and (url is None or url.isprintable()) \
            and (id_url is None or id_url.isprintable()) and (guid is None or guid.isprintable()) \
            and (author is None or author.isprintable()):
        return row  # nothing for clean_text to do (it says why)
    return row._replace(
        title=clean_text(row.title),
        summary=clean_text(row.summary),
        url=None if row.url is None else clean_text(row.url),
        id_url=None if row.id_url is None else clean_text(row.id_url),
        guid=None if row.guid is None else clean_text(row.guid),
        author=None if row.author is None else clean_text(row.author),
    )


def build_items(source_id: str, raws: Iterable[RawEntry], zone: tzinfo, fetched_at: datetime,
                feed_link: str | None = None, warnings: list[str] | None = None) -> tuple[Item, ...]:
    """The feed's items: text safe to store, ids stable, dates read; repeats and empty entries go.

    An impossible date (see :func:`reportgen.ingest.dates.read_date`) is a missing one; when
    ``warnings`` is given, a line saying how many there were and what was wrong goes to it.
    """
    rows = [_clean_entry(row) for row in raws]
    # A guid shared by *different* entries (some CMSs put the channel URL or a constant in every
    # <guid>) cannot key anything: those entries fall back to their URL or content.  The same
    # entry listed twice keeps its guid, so its id does not flip when the repeat goes away.
    owners: defaultdict[str, set[str]] = defaultdict(set)
    hashes: list[str | None] = [None] * len(rows)  # content_hash(title, summary), once per row
    for index, row in enumerate(rows):
        if row.guid:
            if row.id_url:
                owners[row.guid].add(row.id_url)
            else:
                hashes[index] = digest = content_hash(row.title, row.summary)
                owners[row.guid].add(digest)
    fetched_utc = fetched_at.astimezone(UTC)
    items: list[Item] = []
    seen: set[str] = set()
    date_problems: list[str] = []
    for index, row in enumerate(rows):
        title, summary, url, id_url, row_guid, author, raw_dates, parsed_dates = row
        if not (title or summary or url):
            continue
        guid = row_guid if row_guid is not None and is_trusted_guid(row_guid) else None
        key_guid = guid if guid and len(owners[guid]) == 1 and not _names_feed(guid, feed_link) else None
        digest = hashes[index] or content_hash(title, summary)
        item_id = trusted_item_id(source_id, key_guid, id_url, digest)  # stable_item_id, key_guid trusted
        if item_id in seen:
            continue
        seen.add(item_id)
        first = raw_dates[0] if raw_dates else None  # the first string, when it reads, is all it takes
        published = read_date(first, zone, reference=fetched_at).value if first and isinstance(first, str) else None
        if published is None:
            published, date_problem = _entry_date(raw_dates, parsed_dates, zone, fetched_at)
            if date_problem is not None:
                date_problems.append(date_problem)
        published_at, date_missing, date_capped = normalize_published(published, fetched_at=fetched_utc)
        items.append(Item(
            item_id=item_id,
            source_id=source_id,
            title=title,
            summary=summary,
            url=url,
            guid=guid,
            author=author,
            published_at=published_at,
            fetched_at=fetched_utc,
            date_missing=date_missing,
            date_capped=date_capped,
            content_hash=digest,
        ))
    if date_problems and warnings is not None:
        count = len(date_problems)
        first = "" if count == 1 else ", the first"
        warnings.append(f"{count} invalid date{'s' if count > 1 else ''} read as missing{first}: {date_problems[0]}")
    return tuple(items)


def feed_result(source_id: str, items: tuple[Item, ...] = (), *, feed_title: str | None = None,
                bozo: bool = False, warnings: Iterable[str] = (), error: str | None = None) -> ParsedFeed:
    """The :class:`ParsedFeed`, with its feed-level strings (title, warnings, error: any of them
    may quote the body) made safe to store like every item's text, the messages as one inert line
    (:func:`~reportgen.ingest.normalize.printable_message`).  Warnings are joined, shortened."""
    warning = "; ".join(warnings)
    return ParsedFeed(
        source_id=source_id,
        items=items,
        feed_title=clean_text(feed_title) or None if feed_title else None,
        bozo=bozo,
        warning=short_message(printable_message(warning)) if warning else None,
        error=short_message(printable_message(error)) if error else None,
    )


def without_secrets(feed: ParsedFeed, secrets: Iterable[str]) -> ParsedFeed:
    """``feed`` with each of ``secrets`` (see :func:`~reportgen.ingest.normalize.secrets_pattern`)
    as ``***`` in every text it stores: an RSSHub route or an error page that reflects its request
    URL would otherwise put the access key into an item, the database and the report."""
    pattern = secrets_pattern(secrets)
    if pattern is None:
        return feed

    def scrub(text: str | None) -> str | None:
        return pattern.sub("***", text) if text and pattern.search(text) else text

    items = []
    for item in feed.items:
        fields = (item.title, item.summary, item.url, item.guid, item.author)
        if any(value and pattern.search(value) for value in fields):
            item = dataclasses.replace(item, title=pattern.sub("***", item.title),
                                       summary=pattern.sub("***", item.summary), url=scrub(item.url),
                                       guid=scrub(item.guid), author=scrub(item.author))
        items.append(item)
    return dataclasses.replace(feed, items=tuple(items), feed_title=scrub(feed.feed_title),
                               warning=scrub(feed.warning), error=scrub(feed.error))


# --- messages ---------------------------------------------------------------------------------


def describe_error(exc: object) -> str:
    if exc is None:
        return "ill-formed feed"
    text = normalize_whitespace(str(exc))
    name = type(exc).__name__
    return f"{name}: {text}" if text else name


def short_message(message: str) -> str:
    return message if len(message) <= MAX_MESSAGE else message[: MAX_MESSAGE - 1] + "…"
