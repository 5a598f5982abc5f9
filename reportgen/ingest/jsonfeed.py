"""JSON Feed (jsonfeed.org 1 and 1.1) → :class:`ParsedFeed`, the one format feedparser 6 does not read.

:func:`reportgen.ingest.parse.parse_feed` sends a body here when it sniffs JSON.  Only the
JSON-specific part lives here: reading the document and its ``items``.  The entries then go through
the same limits, safe text, date handling and :class:`Item` building as RSS and Atom ones, from
:mod:`reportgen.ingest.items`.
"""

from __future__ import annotations

import json
from datetime import datetime, tzinfo
from typing import Any

from reportgen.ingest.items import (
    MAX_AUTHOR,
    MAX_SUMMARY,
    MAX_TITLE,
    RawEntry,
    build_items,
    convert_text,
    feed_result,
    identity_url,
)
from reportgen.ingest.normalize import canonical_url, normalize_whitespace
from reportgen.models import ParsedFeed

_JSONFEED_VERSION = "https://jsonfeed.org/version/"


def parse_json_feed(
    source_id: str,
    body: bytes,
    zone: tzinfo,
    fetched_at: datetime,
    base_url: str | None,
    warnings: list[str],
) -> ParsedFeed:
    """JSON Feed 1 / 1.1 (https://jsonfeed.org), which feedparser 6 does not read."""
    try:
        doc = json.loads(body)
    except (ValueError, RecursionError) as exc:  # UnicodeDecodeError is a ValueError
        return feed_result(source_id, error=f"malformed JSON feed: {exc}")
    if not isinstance(doc, dict):
        return feed_result(source_id, error="not a feed: JSON document is not an object")
    version = doc.get("version")
    items_raw = doc.get("items")
    if not isinstance(items_raw, list):
        return feed_result(source_id, error="not a feed: JSON document has no JSON Feed 'items' list")
    if not (isinstance(version, str) and version.startswith(_JSONFEED_VERSION)):
        warnings.append("JSON document without a JSON Feed version; read as JSON Feed")

    feed_title = normalize_whitespace(_str(doc.get("title")) or "")[:MAX_TITLE] or None
    feed_link = (canonical_url(_str(doc.get("home_page_url")), base_url)
                 or canonical_url(_str(doc.get("feed_url")), base_url) or base_url)
    feed_author = _json_authors(doc)
    skipped = 0
    raws: list[RawEntry] = []
    for entry in items_raw:
        if not isinstance(entry, dict):
            skipped += 1
            continue
        title = convert_text(_str(entry.get("title")) or "", "text/plain", MAX_TITLE)
        candidates = [(_str(entry.get(key)) or "", kind) for key, kind in
                      (("content_html", "text/html"), ("content_text", "text/plain"),
                       ("summary", "text/plain"))]
        value, kind = max(candidates, key=lambda c: len(c[0]))
        summary = convert_text(value, kind, MAX_SUMMARY) if value else ""
        url = (canonical_url(_str(entry.get("url")), feed_link)
               or canonical_url(_str(entry.get("external_url")), feed_link))
        raw_id = entry.get("id")
        # JSON Feed 1.0 allows a number as id; the spec says to read it as a string
        guid = str(raw_id).strip() or None if isinstance(raw_id, str | int | float) else None
        author = _json_authors(entry) or feed_author
        dates = (_str(entry.get("date_published")), None, _str(entry.get("date_modified")))
        raws.append(RawEntry(title, summary, url, identity_url(url, entry.get("url")), guid, author, dates, ()))
    if skipped:
        warnings.append(f"{skipped} JSON Feed item(s) are not objects and were skipped")
    items = build_items(source_id, raws, zone, fetched_at, feed_link, warnings)
    return feed_result(source_id, items, feed_title=feed_title, warnings=warnings)


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _json_authors(obj: dict[str, Any]) -> str | None:
    """``authors`` (1.1) or ``author`` (1.0) names, comma-joined."""
    people = obj.get("authors")
    if not isinstance(people, list):
        people = [obj.get("author")]
    names = [normalize_whitespace(p["name"]) for p in people
             if isinstance(p, dict) and isinstance(p.get("name"), str)]
    joined = ", ".join(n for n in names if n)
    return joined[:MAX_AUTHOR] or None
