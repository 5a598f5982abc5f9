"""Pure text and URL normalizers used by parse: plain text, canonical URLs, stable ids.

Everything here is a pure function of its arguments, cheap enough to run on every item of every
feed (parse is benchmarked against bare ``feedparser.parse``), and never raises on odd input.
"""

from __future__ import annotations

import hashlib
import html
import logging
import re
from collections.abc import Iterable
from urllib.parse import quote, quote_plus, urljoin, urlsplit, urlunsplit

logger = logging.getLogger(__name__)

__all__ = [
    "clean_text",
    "html_to_text",
    "normalize_whitespace",
    "canonical_url",
    "content_hash",
    "stable_item_id",
    "trusted_item_id",
    "is_trusted_guid",
    "secrets_pattern",
    "printable_message",
]

# What no stored text may hold: lone surrogates (category Cs: a JSON "\ud800" escape decodes to
# one, and neither UTF-8, SQLite nor the PDF can encode it) and C0/C1 controls other than tab and
# newline.  Bidi controls (U+202A-U+202E, U+2066-U+2069, U+200E/F) are format characters, not
# controls: they stay, and the report isolates them.
_UNSAFE_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def _unsafe_replacement(m: re.Match[str]) -> str:
    return "\ufffd" if m.group() >= "\ud800" else ""


def clean_text(s: str) -> str:
    """``s`` with every lone surrogate as U+FFFD and C0/C1 controls except ``\\t`` and ``\\n``
    removed; everything else is kept as is.  The result always encodes as UTF-8."""
    # isprintable() is one pass in C and False for every control (Cc) and surrogate (Cs): a
    # printable string has nothing to clean, and most text is printable.
    if s.isprintable() or _UNSAFE_RE.search(s) is None:
        return s
    return _UNSAFE_RE.sub(_unsafe_replacement, s)


# What a message from a server (an HTTP reason phrase, a header value, a document quoted in an
# error) must not carry into a terminal, a log, the store or the report: C0 and C1 controls (ESC
# starts the terminal's escape sequences), lone surrogates, and the bidi controls that would
# reorder the text around the message.
_UNPRINTABLE_RE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _escaped(m: re.Match[str]) -> str:
    code = ord(m.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable_message(s: str) -> str:
    """``s`` as one inert line: every control character (newlines too), bidi control and lone
    surrogate written as its escape (``\\x1b``, ``\\u202e``), so what a hostile server put in a
    reason phrase shows what it was and does nothing.  Everything else is kept."""
    if s.isprintable() or _UNPRINTABLE_RE.search(s) is None:
        return s
    return _UNPRINTABLE_RE.sub(_escaped, s)


# Invisible characters that split words for a matcher but carry no meaning in news text:
# zero-width space, word joiner, BOM, and C0/C1 controls other than the whitespace ones (U+0085,
# NEL, is whitespace to str.split).
_INVISIBLE_RE = re.compile("[\u200b\u2060\ufeff\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f]")


def normalize_whitespace(s: str) -> str:
    """Collapse every run of whitespace (incl. U+3000 ideographic space, nbsp, newlines) to one
    space and strip the ends; zero-width spaces and stray control characters are removed."""
    # Every invisible character is a control (Cc) or a format character (Cf), and every whitespace
    # character but the space a control or a separator: none is printable.  Printable text with no
    # space at either end and no two in a row is already normalized (most text, and every text
    # normalized once).
    if s.isprintable():
        if "  " not in s and s[:1] != " " and s[-1:] != " ":
            return s
    elif _INVISIBLE_RE.search(s) is not None:
        s = _INVISIBLE_RE.sub("", s)
    return " ".join(s.split())


# --- HTML → text -----------------------------------------------------------------------------

_COMMENT_RE = re.compile(r"<!--.*?(?:-->|\Z)|<!\[CDATA\[|\]\]>", re.S)
# Elements whose content is never text: removed with their content (an unclosed one runs to the end).
_HIDDEN_RE = re.compile(
    r"<(script|style|noscript|template|iframe|object|svg|math|head|title)\b[^>]*(?:>|\Z).*?(?:</\1\s*>|\Z)",
    re.S | re.I,
)
_BLOCK_RE = re.compile(
    r"</?(?:p|div|br|hr|li|ul|ol|dl|dt|dd|h[1-6]|tr|td|th|table|thead|tbody|tfoot|caption|blockquote"
    r"|pre|section|article|aside|header|footer|nav|figure|figcaption|main|address|form|fieldset"
    r"|details|summary|center)\b[^>]*(?:>|\Z)",
    re.I,
)
# Any other tag, declaration or processing instruction.  A tag left open at the very end is
# dropped too, as a browser would.  Every tag pattern may end at \Z: without that, a run of
# unterminated "<p <p <p" makes [^>]* rescan to the end from each one (quadratic time).
_TAG_RE = re.compile(r"<[A-Za-z/!?][^>]*(?:>|\Z)")


def html_to_text(html_text: str) -> str:
    """Turn an HTML fragment into one line of plain text.

    Tags go, ``script``/``style`` (and similar) go with their content, block boundaries become
    spaces, entities are unescaped once, whitespace is normalized.  Regex-based on purpose: it is
    several times faster than an ``html.parser`` pass and tolerant of tag soup.
    """
    s = html_text
    if "<" in s:
        if "<!" in s:
            s = _COMMENT_RE.sub(" ", s)
        s = _HIDDEN_RE.sub(" ", s)
        s = _BLOCK_RE.sub(" ", s)
        s = _TAG_RE.sub("", s)
    if "&" in s:
        s = html.unescape(s)
    return normalize_whitespace(s)


# --- URLs ------------------------------------------------------------------------------------

_DEFAULT_PORTS = {"http": 80, "https": 443}
_HAS_SCHEME_RE = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
# Query parameters that only track the click.  Conservative on purpose: a parameter that selects
# the content (id=, p=, __biz=) must never be dropped, or distinct articles would share a URL.
_TRACKING_PARAMS = frozenset({"fbclid", "gclid", "dclid", "msclkid", "spm"})


_PATH_SAFE = "/:@!$&'()*+,;=-._~%"
# The URLs most feeds give: an absolute http(s) URL in printable ASCII, host already lower-case,
# no user, port or fragment, and a path that quote() leaves as it is.  For these the steps below
# change nothing but the empty path and the query, so they are done directly (see _plain_url).
_PLAIN_URL_RE = re.compile(r"(https?)://([a-z0-9.\-]+)(/[A-Za-z0-9/:@!$&'()*+,;=._~%\-]*)?(?:\?([!-\"$-~]*))?")


def canonical_url(url: str | None, base: str | None = None) -> str | None:
    """One spelling per article URL, or ``None`` for anything but an absolute http(s) URL.

    Relative URLs are resolved against ``base``; scheme and host are lower-cased; default ports,
    ``utm_*`` and a few click trackers are dropped (other parameters keep their order and
    spelling); the fragment is dropped unless it is a client-side route (``#/news/1``, ``#!/x``),
    which many Chinese mobile sites use as the only difference between articles.
    """
    if not url or not isinstance(url, str):
        return None
    plain = _PLAIN_URL_RE.fullmatch(url)
    if plain is not None:
        return _plain_url(plain)
    return _canonical_url(url, base)


def _plain_url(plain: re.Match[str]) -> str:
    """:func:`canonical_url` of a URL :data:`_PLAIN_URL_RE` matches: what the general steps give."""
    scheme, host, path, query = plain.groups()
    url = f"{scheme}://{host}{path or '/'}"
    if query:
        query = _clean_query(query)
        if query:
            url = f"{url}?{query}"
    return url


def _canonical_url(url: str, base: str | None) -> str | None:
    """:func:`canonical_url`, every step (tests compare the shortcut for plain URLs with it)."""
    url = clean_text(url).strip()  # a lone surrogate would make quote() raise
    if not url:
        return None
    try:
        if base and not _HAS_SCHEME_RE.match(url):  # urljoin is the slow part; most links are absolute
            url = urljoin(base.strip(), url)
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme not in _DEFAULT_PORTS:
            return None
        host = parts.hostname  # lower-cased, brackets removed
        port = parts.port  # raises ValueError on a bad port
    except ValueError:
        return None
    if not host:
        return None
    if ":" in host:
        host = f"[{host}]"
    userinfo, _, _ = parts.netloc.rpartition("@")
    netloc = f"{userinfo}@{host}" if userinfo else host
    if port is not None and port != _DEFAULT_PORTS[scheme]:
        netloc = f"{netloc}:{port}"
    # spaces and other unsafe characters are percent-encoded, as a browser does, so that the
    # result is a fixed point (a trailing space before a dropped query would otherwise survive once)
    path = quote(parts.path, safe=_PATH_SAFE) if parts.path else "/"
    query = _clean_query(parts.query) if parts.query else ""
    fragment = parts.fragment if parts.fragment[:1] in ("/", "!") else ""
    return urlunsplit((scheme, netloc, path, query, fragment))


def _clean_query(query: str) -> str:
    kept = []
    for pair in query.split("&"):
        if not pair:
            continue
        name = pair.split("=", 1)[0].lower()
        if name.startswith("utm_") or name in _TRACKING_PARAMS:
            continue
        kept.append(pair)
    return "&".join(kept)


# --- hashes and ids --------------------------------------------------------------------------

_MAX_GUID = 512


def content_hash(*parts: str | None) -> str:
    """sha256 hex over the whitespace-normalized parts (``None`` counts as empty)."""
    if len(parts) == 2:  # title and summary: the same, without a list
        first, second = parts
        joined = f"{normalize_whitespace(first) if first else ''}\x1f{normalize_whitespace(second) if second else ''}"
    else:
        joined = "\x1f".join([normalize_whitespace(p) if p else "" for p in parts])
    return hashlib.sha256(joined.encode("utf-8", "surrogatepass")).hexdigest()


# Placeholders that CMS templates print when the real id is missing.
_PLACEHOLDER_GUIDS = frozenset({"0", "-1", "null", "none", "nil", "undefined", "guid", "id", "#", "/"})


def is_trusted_guid(guid: str | None) -> bool:
    """A guid we may key on: present, not blank, not a placeholder, not absurdly long."""
    if not guid or not isinstance(guid, str) or len(guid) > _MAX_GUID:
        return False
    stripped = guid.strip()
    return bool(stripped) and stripped.lower() not in _PLACEHOLDER_GUIDS


def stable_item_id(
    source_id: str,
    guid: str | None,
    canonical_url: str | None,
    title: str | None,
    summary: str | None,
) -> str:
    """A 24-hex id that stays the same across runs for the same entry.

    A trusted guid wins, namespaced by source (guids are only unique within one feed); then the
    canonical URL (global: the same article from two routes is one item); then a hash of source,
    title and summary.  The prefixes keep the three kinds from ever colliding.
    """
    trusted = guid if guid is not None and is_trusted_guid(guid) else None
    return trusted_item_id(source_id, trusted, canonical_url, None if trusted or canonical_url
                           else content_hash(title, summary))


def trusted_item_id(source_id: str, trusted_guid: str | None, canonical_url: str | None, digest: str | None) -> str:
    """:func:`stable_item_id` for a guid already found trusted (or ``None``) and the entry's
    :func:`content_hash` of title and summary (``digest``; read only when neither guid nor URL is given)."""
    if trusted_guid:
        key = f"guid\0{source_id}\0{trusted_guid.strip()}"
    elif canonical_url:
        key = f"url\0{canonical_url}"
    else:
        key = f"hash\0{source_id}\0{digest}"
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:24]


# --- secrets ---------------------------------------------------------------------------------

#: A shorter value is too likely to be an ordinary word to be cut out of every text.
MIN_SECRET = 3


def secrets_pattern(secrets: Iterable[str]) -> re.Pattern[str] | None:
    """A pattern finding each of ``secrets`` (an RSSHub key, a header's token) in feed text, as
    written and in the forms a server that reflects its request URL gives back: percent-encoded
    (either case of hex, ``+`` or ``%20`` for a space, ``/`` kept or not) and HTML-escaped.  ``None``
    when there is nothing to find.  Longest first, so a secret inside another goes with it."""
    forms: set[str] = set()
    for secret in secrets:
        if len(secret) < MIN_SECRET:
            continue
        forms.update({secret, quote(secret, safe=""), quote(secret), quote_plus(secret), quote_plus(secret, safe="/"),
                      html.escape(secret), html.escape(secret, quote=False)})
    if not forms:
        return None
    return re.compile("|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True)), re.IGNORECASE)
