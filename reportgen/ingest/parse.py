"""Fetched bytes → :class:`ParsedFeed` of normalized :class:`Item` objects.

feedparser does the RSS/Atom/RDF work, or, for the documents :mod:`reportgen.ingest.fastparse`
reads exactly as feedparser would (most real feeds), lxml does it several times faster.  Around
them, this module fixes what goes wrong with Chinese feeds in practice:

* **GBK labelled gb2312.**  Many CMSs declare ``gb2312`` but write GBK, whose extra characters
  (镕, 堃, 瑄, 珺, 喆 — common in names) are not in gb2312.  Bodies declared in the GB family are
  decoded as gb18030 (a superset of both) and handed on as UTF-8 with the declaration fixed.
* **No declaration at all**, or a declaration that the bytes contradict: valid UTF-8 is declared
  as such; anything else is detected with chardet, reading any GB guess as gb18030.
* **A UTF-8 body cut off inside a character** (a truncated download) is still UTF-8: the partial
  character is dropped with a warning, instead of the whole body reading as a legacy encoding.
* **Character references no character has** (``&#xD800;``, beyond ``&#x10FFFF;``) make
  feedparser's fallback parser raise and lose the feed; they are read as U+FFFD.
* **Zone-less dates**, which feedparser reads as UTC, are read in the configured zone, and
  ``CST`` is China Standard Time (see :mod:`reportgen.ingest.dates`).
* **JSON Feed** (jsonfeed.org 1 and 1.1), which feedparser 6 does not read, is parsed by
  :mod:`reportgen.ingest.jsonfeed`.
* **An HTML page** where a feed should be is reported as such, not as an empty feed.

:func:`parse_feed` never raises: a bad feed is data (``error``/``warning`` on the result), and
it is a plain top-level function of picklable arguments so a process pool can run it.  Every
string of its result is safe to store (see :mod:`reportgen.ingest.items`).
"""

from __future__ import annotations

import codecs
import io
import logging
import re
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, tzinfo
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import chardet
import feedparser

from reportgen.ingest import fastparse
from reportgen.ingest.items import (
    MAX_SUMMARY,
    MAX_TITLE,
    build_items,
    content_kind,
    describe_error,
    feed_entries,
    feed_result,
    field_text,
    get_field,
    without_secrets,
)
from reportgen.ingest.jsonfeed import parse_json_feed
from reportgen.ingest.normalize import canonical_url, clean_text
from reportgen.models import ParsedFeed

logger = logging.getLogger(__name__)

__all__ = ["MAX_SUMMARY", "MAX_TITLE", "parse_feed"]

# Raw HTML beyond this is not worth converting: the summary is cut to MAX_SUMMARY anyway.
_DEFAULT_ZONE = "Asia/Shanghai"
_CHARDET_SAMPLE = 64 * 1024

# --- encoding ---------------------------------------------------------------------------------

_GB_NAMES = frozenset({
    "gb2312", "gbk", "gb18030", "cp936", "ms936", "936", "x-gbk", "euc-cn", "euccn", "x-euc-cn",
    "gb_2312-80", "gb2312-80", "csgb2312", "chinese", "gb_2312",
})
_XML_DECL_RE = re.compile(rb"<\?xml[^>]*?\?>")
_DECL_ENCODING_RE = re.compile(rb"""encoding\s*=\s*["']\s*([A-Za-z0-9._:\-]+)\s*["']""")
_UTF8_DECL = b'<?xml version="1.0" encoding="utf-8"?>'
_PLAIN_DECL = b'<?xml version="1.0"?>'
_BAD_DECL_BYTE_RE = re.compile(rb"[^\t\n\r\x20-\x7e]")  # the declaration is ASCII by definition
_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_WIDE_MARKERS = (b"\x00\x00\x00<", b"<\x00\x00\x00", b"\x00<\x00?", b"<\x00?\x00", b"\x4c\x6f\xa7\x94")
# How a body in UTF-16 or UTF-32 starts: (prefix, length of its BOM, codec).  UTF-32 first: the
# UTF-32-LE BOM starts with the UTF-16-LE one.
_WIDE_CODECS = (
    (codecs.BOM_UTF32_LE, 4, "utf-32-le"), (codecs.BOM_UTF32_BE, 4, "utf-32-be"),
    (codecs.BOM_UTF16_LE, 2, "utf-16-le"), (codecs.BOM_UTF16_BE, 2, "utf-16-be"),
    (b"\x00\x00\x00<", 0, "utf-32-be"), (b"<\x00\x00\x00", 0, "utf-32-le"),
    (b"\x00<\x00?", 0, "utf-16-be"), (b"<\x00?\x00", 0, "utf-16-le"),
)
TRUNCATED_UTF8 = "body ends inside a UTF-8 character: truncated download?"


def _is_gb(name: str) -> bool:
    name = name.strip().lower()
    if name in _GB_NAMES:
        return True
    try:
        return codecs.lookup(name).name in ("gb2312", "gbk", "gb18030")
    except LookupError:
        return False


def _is_big5(name: str) -> bool:
    try:
        return codecs.lookup(name.strip()).name in ("big5", "cp950")
    except LookupError:
        return False


def _is_utf8(name: str) -> bool:
    try:
        return codecs.lookup(name).name == "utf-8"
    except LookupError:
        return False


def _decodes(body: bytes, encoding: str) -> bool:
    try:
        body.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return False
    return True


def _split_content_type(value: str) -> tuple[str, str]:
    media, _, params = value.partition(";")
    charset = ""
    for param in params.split(";"):
        key, _, val = param.partition("=")
        if key.strip().lower() == "charset":
            charset = val.strip().strip("\"'")
    return media.strip().lower(), charset


def _guess_encoding(body: bytes) -> str | None:
    guess = chardet.detect(body[:_CHARDET_SAMPLE]).get("encoding")
    if not guess:
        return None
    encoding = "gb18030" if _is_gb(guess) else str(guess)
    return encoding if _decodes(body, encoding) else None


def _partial_utf8_end(body: bytes) -> int | None:
    """Where a UTF-8 body breaks off inside its last character (a truncated download), or ``None``.

    Only when everything before is valid UTF-8 and not all ASCII (the evidence that the body is
    UTF-8 at all): the decoder then stops with "unexpected end of data" at the very end.  Without
    this, the body is not valid UTF-8, chardet's guess or feedparser's fallback reads it as a
    single-byte encoding, and every title turns to mojibake.
    """
    if body[-1:] < b"\x80" or any(body.startswith(prefix) for prefix, _, _ in _WIDE_CODECS):
        return None  # the cheap test first: a partial character ends in a non-ASCII byte
    try:
        body.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data" and exc.end == len(body) and not body[:exc.start].isascii():
            return exc.start
    return None


def _choose_encoding(body: bytes, xml_charset: str, http_charset: str) -> tuple[str | None, bool]:
    """The encoding to transcode from, or ``None`` to leave the body to feedparser; and whether
    the body was found to be valid UTF-8 on the way (so that nobody decodes it again to know)."""
    if body.isascii():
        return None, True
    declared = [c for c in (http_charset, xml_charset) if c]
    if any(_is_gb(c) for c in declared):
        # Genuine UTF-8 mislabelled as gb2312 also happens; GBK text is practically never valid
        # UTF-8 (its common lead bytes are UTF-8 continuation bytes), so validity decides.
        return ("utf-8", True) if _decodes(body, "utf-8") else ("gb18030", False)
    if not declared:
        # Declare valid UTF-8 explicitly: with headers but no Content-Type, feedparser would
        # otherwise read it as iso-8859-1.
        return ("utf-8", True) if _decodes(body, "utf-8") else (_guess_encoding(body), False)
    if _decodes(body, declared[0]):
        return None, _is_utf8(declared[0])  # feedparser reads it
    if _decodes(body, "utf-8"):
        return None, True  # feedparser falls back to UTF-8 by itself
    # big5 mislabels Hong Kong big5-hkscs the way gb2312 mislabels GBK
    if _is_big5(declared[0]) and _decodes(body, "big5hkscs"):
        return "big5hkscs", False
    guess = _guess_encoding(body)
    return guess if guess == "gb18030" else None, False


def _prepare_xml(body: bytes, headers: dict[str, str]) -> tuple[bytes, dict[str, str], list[str], bool]:
    """Fix the encoding feedparser would get wrong.  Returns body, headers, warnings, and whether
    the body is known to be valid UTF-8 (transcoded to it, or checked)."""
    warnings = []
    partial = _partial_utf8_end(body)
    if partial is not None:
        body = body[:partial]
        warnings.append(TRUNCATED_UTF8)
    if body.startswith(_BOMS) or body[:4] in _WIDE_MARKERS:
        return body, headers, warnings, False  # BOMs and UTF-16/32 are feedparser's strength
    decl = _XML_DECL_RE.match(body)
    if decl is not None and _BAD_DECL_BYTE_RE.search(decl.group()):
        # A NUL, control or non-ASCII byte in the declaration reaches feedparser inside the encoding
        # name, which it decodes as UTF-8 and looks up: UnicodeDecodeError or ValueError, not the
        # LookupError it expects.  Such a declaration says nothing usable: read the body without it.
        body = _PLAIN_DECL + body[decl.end():]
        decl = _XML_DECL_RE.match(body)
    xml_charset = ""
    if decl is not None:
        found = _DECL_ENCODING_RE.search(decl.group())
        if found is not None:
            xml_charset = found.group(1).decode("ascii")
    media, http_charset = _split_content_type(headers.get("content-type", ""))
    source, utf8 = _choose_encoding(body, xml_charset, http_charset)
    if source is None:
        return body, headers, warnings, utf8
    try:
        text = body.decode(source)
    except UnicodeDecodeError:
        text = body.decode(source, errors="replace")
        warnings.append(f"some bytes are not valid {source} and were replaced")
    if decl is not None:
        new_body = _UTF8_DECL + text[decl.end():].encode("utf-8")
    else:
        new_body = _UTF8_DECL + b"\n" + text.encode("utf-8")
    if media:
        headers = {**headers, "content-type": f"{media}; charset=utf-8"}
    logger.debug("transcoded body from %s (declared xml=%r http=%r)", source, xml_charset, http_charset)
    return new_body, headers, warnings, True  # (text.encode("utf-8") raises on what is not)


# --- character references ---------------------------------------------------------------------

# Candidates only (four hex or five decimal digits and more): a surrogate is U+D800 and up.
_CHAR_REF_RE = re.compile(r"&#(?:[xX]0*([0-9A-Fa-f]{4,})|0*([0-9]{5,}));")
_CHAR_REF_BYTES_RE = re.compile(rb"&#(?:[xX]0*([0-9A-Fa-f]{4,})|0*([0-9]{5,}));")


def _names_no_character(ref: re.Match[str] | re.Match[bytes]) -> bool:
    """A reference to a surrogate or beyond U+10FFFF, which feedparser's fallback parser raises on
    (``chr(c).encode('utf-8')``).  Over 8 digits is beyond U+10FFFF whatever they are (and a
    decimal ``int()`` of thousands of digits raises too)."""
    hex_digits, decimal_digits = ref.groups()
    digits = hex_digits if hex_digits is not None else decimal_digits
    if len(digits) > 8:
        return True
    value = int(digits, 16 if hex_digits is not None else 10)
    return 0xD800 <= value <= 0xDFFF or value > 0x10FFFF


def _fix_char_refs(body: bytes) -> bytes:
    """The body with every character reference to no character (see above) as ``&#xFFFD;``."""
    for prefix, bom, codec in _WIDE_CODECS:
        if body.startswith(prefix):
            try:
                text = body[bom:].decode(codec)
            except UnicodeDecodeError:
                return body  # feedparser's to judge
            fixed = _CHAR_REF_RE.sub(lambda m: "&#xFFFD;" if _names_no_character(m) else m.group(), text)
            return body if fixed == text else body[:bom] + fixed.encode(codec)
    if _CHAR_REF_BYTES_RE.search(body) is None:  # (sooner than b"&#" in body, in text full of &lt;)
        return body
    return _CHAR_REF_BYTES_RE.sub(lambda m: b"&#xFFFD;" if _names_no_character(m) else m.group(), body)


# --- sniffing ---------------------------------------------------------------------------------

# The root element decides, not the doctype: RSS behind an XHTML doctype exists in the wild.
_HTML_RE = re.compile(
    rb"(?:<\?xml[^>]*>\s*)?(?:(?:<!--.*?-->|<!doctype[^>\[]*>)\s*)*<(?:html|head|body)[\s>]",
    re.I | re.S,
)
_FEED_LINK_RE = re.compile(
    rb"""<link\b[^>]{0,300}?type\s*=\s*["']application/(?:rss|atom|feed)\+(?:xml|json)["'][^>]{0,300}>""",
    re.I,
)
_HREF_RE = re.compile(rb"""href\s*=\s*["']([^"']+)["']""", re.I)


def _looks_like_html(head: bytes) -> bool:
    return _HTML_RE.match(head) is not None


def _html_error(body: bytes, base: str | None) -> str:
    message = "not a feed: looks like an HTML page"
    link = _FEED_LINK_RE.search(body[:65536])
    if link is not None:
        href = _HREF_RE.search(link.group())
        if href is not None:
            advertised = canonical_url(href.group(1).decode("utf-8", "replace"), base)
            if advertised:
                message += f" (it advertises a feed at {advertised})"
    return message


def _is_json(head: bytes, media: str) -> bool:
    if head.startswith(b"{"):
        return True
    return ("json" in media) and not head.startswith(b"<")


# --- the entry point --------------------------------------------------------------------------


def parse_feed(
    source_id: str,
    body: bytes,
    headers: Mapping[str, str] | None = None,
    *,
    tz: str | tzinfo = _DEFAULT_ZONE,
    fetched_at: datetime,
    base_url: str | None = None,
    secrets: Sequence[str] = (),
) -> ParsedFeed:
    """Parse one fetched body into normalized items.  Never raises.

    ``headers`` are the response headers (any case); the HTTP charset is honoured.  ``tz`` is the
    zone for dates without one (a zone name, so the call pickles cheaply).  ``base_url`` (the
    final fetch URL) resolves relative links when the feed gives no link of its own.  Each of
    ``secrets`` (the request's RSSHub key and secret header values, :attr:`FetchResult.secrets`)
    is ``***`` wherever the body echoes it, in any text the result holds.
    """
    try:
        feed = _parse(source_id, body, headers, tz, fetched_at, base_url)
    except Exception as exc:  # a bad feed is data, whatever feedparser or we trip over
        logger.warning("parse of %s failed", source_id, exc_info=True)
        feed = feed_result(source_id, error=f"parse failed: {describe_error(exc)}")
    return without_secrets(feed, secrets) if secrets else feed


@lru_cache(maxsize=64)
def _zone(name: str) -> tzinfo:
    return ZoneInfo(name)


def _parse(
    source_id: str,
    body: bytes,
    headers: Mapping[str, str] | None,
    tz: str | tzinfo,
    fetched_at: datetime,
    base_url: str | None,
) -> ParsedFeed:
    warnings: list[str] = []
    if isinstance(tz, str):
        try:
            zone = _zone(tz)
        except (ZoneInfoNotFoundError, ValueError):
            warnings.append(f"unknown time zone {tz!r}; read dates in {_DEFAULT_ZONE}")
            zone = _zone(_DEFAULT_ZONE)
    else:
        zone = tz
    if fetched_at.tzinfo is None:
        fetched_at = fetched_at.replace(tzinfo=UTC)
    if not body:
        return feed_result(source_id, error="empty body")
    if isinstance(body, bytearray | memoryview):
        body = bytes(body)
    # Header values are the server's text too: a NUL or a surrogate in a charset made feedparser raise.
    hdrs = {clean_text(str(k)).lower(): clean_text(str(v)) for k, v in (headers or {}).items()}
    media, _ = _split_content_type(hdrs.get("content-type", ""))
    # Leading whitespace before <?xml is common (PHP templates) and makes the strict parser give up.
    if body[:1].isspace():
        body = body.lstrip()
    head = body[3:1027] if body.startswith(codecs.BOM_UTF8) else body[:1024]
    head = head.lstrip()

    if _is_json(head, media):
        return parse_json_feed(source_id, body, zone, fetched_at, base_url, warnings)
    if _looks_like_html(head):
        return feed_result(source_id, error=_html_error(body, base_url))

    body, hdrs, encoding_warnings, utf8 = _prepare_xml(body, hdrs)
    warnings += encoding_warnings
    body = _fix_char_refs(body)  # (ASCII for ASCII: valid UTF-8 stays so)
    result = _read(source_id, body, hdrs, utf8)
    bozo = bool(get_field(result, "bozo"))
    if bozo:
        warnings.insert(0, describe_error(get_field(result, "bozo_exception")))
    feed = get_field(result, "feed") or {}
    entries = get_field(result, "entries") or []
    error = None
    if not entries and not get_field(result, "version"):
        if media == "text/html" or b"<html" in body[:4096].lower():
            error = _html_error(body, base_url)
        elif not (get_field(feed, "title") or get_field(feed, "link")):
            error = "not a feed: no RSS, Atom or JSON Feed content found"

    feed_title = field_text(get_field(feed, "title"), content_kind(get_field(feed, "title_detail")), MAX_TITLE) or None
    feed_link = canonical_url(get_field(feed, "link"), base_url) or base_url
    items = build_items(source_id, feed_entries(entries, feed_link), zone, fetched_at, feed_link, warnings)
    return feed_result(source_id, items, feed_title=feed_title, bozo=bozo, warnings=warnings, error=error)


def _read(source_id: str, body: bytes, hdrs: dict[str, str], utf8: bool) -> Mapping[str, Any]:
    """feedparser's result for the keys read above: from lxml when the document is one that
    :mod:`reportgen.ingest.fastparse` reads exactly as feedparser would, else from feedparser.
    ``utf8``: the body is known to be valid UTF-8."""
    try:
        fast = fastparse.read_feed(body, hdrs, utf8=utf8)
        return {"bozo": False, "feed": fast.feed, "entries": fast.entries, "version": fast.version}
    except fastparse.Fallback as why:
        logger.debug("%s: read by feedparser (%s)", source_id, why)
    except Exception:  # a document no test foresaw: feedparser's to read, as before the fast path
        logger.warning("fast parse of %s failed; read by feedparser", source_id, exc_info=True)
    # BytesIO, never the bytes themselves: feedparser would try a string as a file name or URL.
    # Sanitizing and relative-URI rewriting inside HTML are skipped: we keep only plain text.
    return feedparser.parse(
        io.BytesIO(body), response_headers=hdrs, sanitize_html=False, resolve_relative_uris=False
    )

