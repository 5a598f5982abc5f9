"""The fast parse path gives exactly what feedparser gives: a differential test, field by field.

Every document of feedparser's own test corpus, of rss2email's feed snapshots (both under
``../shared/data``; skipped with the reason when absent) and of ``tests/feeds`` is parsed twice by
:func:`reportgen.ingest.parse.parse_feed`: once as it runs (lxml where
:mod:`reportgen.ingest.fastparse` reads the document, feedparser where it falls back) and once
with the fast path switched off.  The two :class:`ParsedFeed` must be equal, every stored field
of every item.  Hypothesis then writes RSS 2.0, Atom 1.0 and RDF documents full of the things
that make feedparser's answer surprising (a second title, a ``<guid>`` that is the link, an
``<author>`` with an e-mail, HTML in a plain-text title, entities, ``xml:base``, ``<source>``,
Media RSS, unknown elements) and the same comparison runs on each.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reportgen.ingest import fastparse, parse
from reportgen.ingest.parse import parse_feed
from reportgen.models import ParsedFeed

NOW = datetime(2026, 11, 28, 2, 0, tzinfo=UTC)
BASE_URL = "http://example.org/feed.xml"
RSS_HEADERS = {"content-type": "application/rss+xml; charset=utf-8"}
DATA = Path(os.environ.get("REPORTGEN_SHARED_DATA") or Path(__file__).resolve().parents[1].parent / "shared" / "data")
FEEDPARSER_TESTS = DATA / "feedparser-tests"
RSS2EMAIL = DATA / "rss2email-test-data" / "data"
FIXTURES = Path(__file__).parent / "feeds"
_NOT_FEEDS = {"README.md", "LICENSE", "manifest.jsonl"}


def _manifest() -> dict[str, dict[str, str]]:
    path = FEEDPARSER_TESTS / "manifest.jsonl"
    if not path.is_file():
        return {}
    rows = (json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip())
    return {row["path"]: dict(row.get("http_headers") or []) for row in rows}


HEADERS = _manifest()


def _feedparser_groups() -> dict[str, list[Path]]:
    groups: dict[str, list[Path]] = {}
    if FEEDPARSER_TESTS.is_dir():
        for path in sorted(FEEDPARSER_TESTS.rglob("*")):
            if path.is_file() and path.name not in _NOT_FEEDS:
                groups.setdefault(path.parent.relative_to(FEEDPARSER_TESTS).parts[0], []).append(path)
    return groups


GROUPS = _feedparser_groups()
RSS2EMAIL_FEEDS = sorted(p for p in RSS2EMAIL.rglob("*") if p.suffix in (".xml", ".rss", ".atom")) \
    if RSS2EMAIL.is_dir() else []


@contextmanager
def _counting() -> Iterator[Counter[str]]:
    """Counts the documents the fast path reads and those it hands to feedparser (by reason)."""
    real = fastparse.read_feed
    seen: Counter[str] = Counter()

    def counted(*args, **kwargs):
        try:
            found = real(*args, **kwargs)
        except fastparse.Fallback as why:
            seen["fallback"] += 1
            seen["because " + str(why).split(":")[0]] += 1
            raise
        seen["fast"] += 1
        return found

    fastparse.read_feed = counted
    try:
        yield seen
    finally:
        fastparse.read_feed = real


@contextmanager
def _feedparser_only() -> Iterator[None]:
    real = fastparse.read_feed

    def off(*args, **kwargs):
        raise fastparse.Fallback("switched off")

    fastparse.read_feed = off
    try:
        yield
    finally:
        fastparse.read_feed = real


def _differences(fast: ParsedFeed, slow: ParsedFeed) -> list[str]:
    """Every field in which the two results differ, named."""
    found = [f"{name}: {getattr(fast, name)!r} != {getattr(slow, name)!r}"
             for name in ("feed_title", "bozo", "warning", "error") if getattr(fast, name) != getattr(slow, name)]
    if len(fast.items) != len(slow.items):
        found.append(f"{len(fast.items)} items != {len(slow.items)}")
    for index, (a, b) in enumerate(zip(fast.items, slow.items, strict=False)):
        found += [f"item {index} {name}: {getattr(a, name)!r} != {getattr(b, name)!r}"
                  for name in a.__dataclass_fields__ if getattr(a, name) != getattr(b, name)]
    return found


def _compare(name: str, body: bytes, headers: dict[str, str] | None) -> list[str]:
    fast = parse_feed(name, body, headers, fetched_at=NOW, base_url=BASE_URL)
    with _feedparser_only():
        slow = parse_feed(name, body, headers, fetched_at=NOW, base_url=BASE_URL)
    return [f"{name}: {difference}" for difference in _differences(fast, slow)]


@pytest.mark.skipif(not GROUPS, reason=f"feedparser's test corpus not found at {FEEDPARSER_TESTS} "
                                       "(set REPORTGEN_SHARED_DATA)")
@pytest.mark.parametrize("group", sorted(GROUPS) or ["(absent)"])
def test_feedparser_corpus_fast_path_equals_feedparser(group: str) -> None:
    failures: list[str] = []
    with _counting() as seen:
        for path in GROUPS[group]:
            relative = path.relative_to(FEEDPARSER_TESTS).as_posix()
            failures += _compare(relative, path.read_bytes(), HEADERS.get(relative))
    assert not failures, "\n".join(failures[:40])
    if group == "wellformed":  # the corpus of valid feeds: many of them must take the fast path
        assert seen["fast"] > 500, seen


@pytest.mark.skipif(not RSS2EMAIL_FEEDS, reason=f"rss2email test data not found at {RSS2EMAIL} "
                                                "(set REPORTGEN_SHARED_DATA)")
@pytest.mark.parametrize("headers", [None, RSS_HEADERS, {"content-type": "text/xml; charset=utf-8"}])
def test_rss2email_feeds_take_the_fast_path_and_equal_feedparser(headers: dict[str, str] | None) -> None:
    failures: list[str] = []
    with _counting() as seen:
        for path in RSS2EMAIL_FEEDS:
            failures += _compare(path.relative_to(RSS2EMAIL).as_posix(), path.read_bytes(), headers)
    assert not failures, "\n".join(failures)
    assert seen["fast"] == len(RSS2EMAIL_FEEDS), seen  # real feeds: RSS 2.0, RDF, Atom with Media RSS


@pytest.mark.parametrize("path", sorted(p for p in FIXTURES.iterdir() if p.suffix != ".toml"), ids=lambda p: p.name)
def test_project_fixtures_fast_path_equals_feedparser(path: Path) -> None:
    for headers in (None, RSS_HEADERS):
        assert not (failures := _compare(path.name, path.read_bytes(), headers)), "\n".join(failures)


def test_the_fast_path_reads_a_plain_rss_feed_and_falls_back_on_what_it_does_not_know() -> None:
    rss = (b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>T</title>'
           b"<item><title>A</title><link>http://x/1</link></item></channel></rss>")
    found = fastparse.read_feed(rss, RSS_HEADERS)
    assert found.version == "rss20" and found.feed["title"] == "T"
    assert [(e["title"], e["link"]) for e in found.entries] == [("A", "http://x/1")]
    for body, headers, why in [
        (rss, {"content-type": "text/plain"}, "content type"),  # feedparser: NonXMLContentType, bozo
        (rss.replace(b"utf-8", b"gb2312"), RSS_HEADERS, "gb2312"),
        (rss.replace(b"<rss", b"<!DOCTYPE rss><rss"), RSS_HEADERS, "DOCTYPE"),
        (rss.replace(b"</item>", b"<itunes:author xmlns:itunes='http://www.itunes.com/dtds/podcast-1.0.dtd'>"
                                 b"X</itunes:author></item>"), RSS_HEADERS, "handler"),
        (rss.replace(b"</channel>", b""), RSS_HEADERS, "well-formed"),
        (b'<feed version="0.3" xmlns="http://purl.org/atom/ns#"><title>T</title></feed>', {}, "Atom"),
        (rss.replace(b"<title>A</title>", b"<title>A<b>!</b></title>"), RSS_HEADERS, "markup"),
    ]:
        with pytest.raises(fastparse.Fallback, match=why):
            fastparse.read_feed(body, headers)


# --- generated documents ---------------------------------------------------------------------------

_words = st.sampled_from(["银行", "工商银行", "罚款", "Bank", "fine", "50万元", " ", "  ", "\n", "&", "<", ">", '"',
                          "é", "Ã©", "\x85", "\u3000", "<b>粗</b>", "&amp;", "&#169;", "&nbsp;", "a&b;=c"])
_text = st.lists(_words, max_size=6).map("".join)
_url = st.sampled_from(["http://example.com/a", "https://news.example.cn/p?id=1&utm_source=x", "/relative/path",
                        "http:////example.com//b", "", "  http://example.com/c  ", "javascript:alert(1)",
                        "http://example.com/q?a=1&amp;b=2"])
_date = st.sampled_from(["Mon, 01 Jan 2024 08:00:00 +0800", "2024-01-01T08:00:00Z", "2024-01-01 08:00:00",
                         "Tue, 30 Feb 2024 08:00:00 GMT", "yesterday", "", "2024年1月1日 08:00",
                         "Mon, 01 Jan 2024 08:00:00 CST", "2024-13-45"])
_author = st.sampled_from(["someone@example.com (Some One)", "Some One", "<a@b.cn>", "记者 王五", ""])


def _cdata_or_escaped(draw: st.DrawFn, text: str) -> str:
    if draw(st.booleans()) and "]]>" not in text:
        return f"<![CDATA[{text}]]>"
    return escape(text)


@st.composite
def _rss_item(draw: st.DrawFn) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 9))):
        kind = draw(st.sampled_from(["title", "title", "link", "guid", "description", "encoded", "author",
                                     "creator", "pubDate", "dcdate", "category", "enclosure", "unknown",
                                     "source", "atomlink", "media", "comments"]))
        if kind == "title":
            kind_attr = draw(st.sampled_from(["", ' type="html"', ' type="text"']))
            parts.append(f"<title{kind_attr}>{_cdata_or_escaped(draw, draw(_text))}</title>")
        elif kind == "link":
            parts.append(f"<link>{escape(draw(_url))}</link>")
        elif kind == "guid":
            permalink = draw(st.sampled_from(["", ' isPermaLink="false"', ' isPermaLink="true"']))
            parts.append(f"<guid{permalink}>{escape(draw(st.one_of(_url, _text)))}</guid>")
        elif kind == "description":
            parts.append(f"<description>{_cdata_or_escaped(draw, draw(_text))}</description>")
        elif kind == "encoded":
            parts.append(f"<content:encoded>{_cdata_or_escaped(draw, draw(_text))}</content:encoded>")
        elif kind == "author":
            parts.append(f"<author>{escape(draw(_author))}</author>")
        elif kind == "creator":
            parts.append(f"<dc:creator>{escape(draw(_author))}</dc:creator>")
        elif kind == "pubDate":
            parts.append(f"<pubDate>{escape(draw(_date))}</pubDate>")
        elif kind == "dcdate":
            parts.append(f"<dc:date>{escape(draw(_date))}</dc:date>")
        elif kind == "category":
            parts.append(f"<category>{escape(draw(_text))}</category>")
        elif kind == "enclosure":
            parts.append(f"<enclosure url={quoteattr(draw(_url))} type=\"audio/mpeg\" length=\"1\"/>")
        elif kind == "unknown":
            parts.append(f"<x:y xmlns:x=\"http://unknown.example/\">{escape(draw(_text))}</x:y>")
        elif kind == "source":
            parts.append(f"<source url={quoteattr(draw(_url))}>{escape(draw(_text))}</source>")
        elif kind == "atomlink":
            rel = draw(st.sampled_from(["alternate", "self", "related"]))
            parts.append(f"<atom:link rel=\"{rel}\" href={quoteattr(draw(_url))}/>")
        elif kind == "media":
            parts.append(f"<media:group><media:title>{escape(draw(_text))}</media:title>"
                         f"<media:content url={quoteattr(draw(_url))}/></media:group>")
        else:
            parts.append(f"<comments>{escape(draw(_url))}</comments>")
    return "<item>" + "".join(parts) + "</item>"


@st.composite
def _atom_entry(draw: st.DrawFn) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 9))):
        kind = draw(st.sampled_from(["title", "link", "id", "summary", "content", "author", "published",
                                     "updated", "category", "base"]))
        if kind == "title":
            kind_attr = draw(st.sampled_from(["", ' type="html"', ' type="text"']))
            parts.append(f"<title{kind_attr}>{_cdata_or_escaped(draw, draw(_text))}</title>")
        elif kind == "link":
            rel = draw(st.sampled_from(["", ' rel="alternate"', ' rel="self"', ' rel="enclosure"']))
            kind_attr = draw(st.sampled_from(["", ' type="text/html"', ' type="application/pdf"']))
            parts.append(f"<link{rel}{kind_attr} href={quoteattr(draw(_url))}/>")
        elif kind == "id":
            parts.append(f"<id>{escape(draw(st.one_of(_url, _text)))}</id>")
        elif kind in ("summary", "content"):
            kind_attr = draw(st.sampled_from(["", ' type="html"', ' type="text"']))
            parts.append(f"<{kind}{kind_attr}>{_cdata_or_escaped(draw, draw(_text))}</{kind}>")
        elif kind == "author":
            email = draw(st.sampled_from(["", "<email>a@b.cn</email>"]))
            parts.append(f"<author><name>{escape(draw(_text))}</name>{email}</author>")
        elif kind in ("published", "updated"):
            parts.append(f"<{kind}>{escape(draw(_date))}</{kind}>")
        elif kind == "category":
            parts.append(f"<category term={quoteattr(draw(_text))}/>")
        else:
            parts.append(f"<link xml:base=\"http://base.example/dir/\" href={quoteattr(draw(_url))}/>")
    return "<entry>" + "".join(parts) + "</entry>"


@st.composite
def _document(draw: st.DrawFn) -> bytes:
    kind = draw(st.sampled_from(["rss", "atom", "rdf"]))
    title = f"<title>{_cdata_or_escaped(draw, draw(_text))}</title>" if draw(st.booleans()) else ""
    link = f"<link>{escape(draw(_url))}</link>" if draw(st.booleans()) else ""
    if kind == "rss":
        items = "".join(draw(st.lists(_rss_item(), max_size=4)))
        body = (f'<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" '
                f'xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:atom="http://www.w3.org/2005/Atom" '
                f'xmlns:media="http://search.yahoo.com/mrss/"><channel>{title}{link}{items}{title}</channel></rss>')
    elif kind == "atom":
        entries = "".join(draw(st.lists(_atom_entry(), max_size=4)))
        alternate = f"<link href={quoteattr(draw(_url))}/>" if draw(st.booleans()) else ""
        body = f'<feed xmlns="http://www.w3.org/2005/Atom">{title}{alternate}{entries}</feed>'
    else:
        items = "".join(item.replace("<item>", f'<item rdf:about={quoteattr(draw(_url))}>', 1)
                        for item in draw(st.lists(_rss_item(), max_size=4)))
        body = (f'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" '
                f'xmlns:dc="http://purl.org/dc/elements/1.1/" '
                f'xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:atom="http://www.w3.org/2005/Atom" '
                f'xmlns:media="http://search.yahoo.com/mrss/"><channel>{title}{link}</channel>{items}</rdf:RDF>')
    declaration = draw(st.sampled_from(['<?xml version="1.0" encoding="utf-8"?>\n', "", "<?xml version='1.0'?>"]))
    return (declaration + body).encode("utf-8")


_headers = st.sampled_from([None, RSS_HEADERS, {"content-type": "application/atom+xml"},
                            {"content-type": "text/xml"}, {"content-type": "text/html; charset=utf-8"},
                            {"content-type": "application/xml", "content-location": "http://loc.example/f/"}])


EXAMPLES = int(os.environ.get("FASTPARSE_EXAMPLES", "400"))  # more for a longer search


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_document(), _headers)
def test_generated_feeds_fast_path_equals_feedparser(body: bytes, headers: dict[str, str] | None) -> None:
    failures = _compare("generated", body, headers)
    assert not failures, "\n".join(failures) + "\n" + body.decode("utf-8")


def test_generated_feeds_mostly_take_the_fast_path() -> None:
    """The generator must exercise the fast path, not only the fallback (a test that can fail)."""
    seen: Counter[str] = Counter()

    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None,
              derandomize=True)  # the same documents every run: a share, not a search
    @given(_document())
    def parse(body: bytes) -> None:
        with _counting() as counted:
            parse_feed("generated", body, RSS_HEADERS, fetched_at=NOW, base_url=BASE_URL)
        seen.update(counted)

    parse()
    assert seen["fast"] > seen["fallback"], seen


# --- the lanes: a leaf element of an entry in one step, or the long way --------------------------


def _reading(body: bytes, headers: dict[str, str], utf8: bool = False) -> object:
    """read_feed's answer as plain data (a lazy date struct as its string), or why it fell back."""
    try:
        found = fastparse.read_feed(body, headers, utf8=utf8)
    except fastparse.Fallback as why:
        return f"fallback: {why}"

    def plain(value: object) -> object:
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        if isinstance(value, list):
            return [plain(v) for v in value]
        raw = getattr(value, "raw", None)
        return ("lazy", raw) if raw is not None else value

    return found.version, plain(found.feed), plain(found.entries)


def _lane_differences(name: str, body: bytes, headers: dict[str, str]) -> list[str]:
    """Every difference between read_feed with its lanes and read_feed the long way (key order too)."""
    fast = _reading(body, headers)
    fastparse._USE_LANES = False
    try:
        slow = _reading(body, headers)
    finally:
        fastparse._USE_LANES = True
    return [] if repr(fast) == repr(slow) else [f"{name}: {fast!r}\n  != {slow!r}"]


def _corpus() -> list[tuple[str, bytes, dict[str, str]]]:
    docs = [(p.relative_to(FEEDPARSER_TESTS).as_posix(), p.read_bytes(),
             HEADERS.get(p.relative_to(FEEDPARSER_TESTS).as_posix()) or {}) for ps in GROUPS.values() for p in ps]
    docs += [(p.name, p.read_bytes(), RSS_HEADERS) for p in RSS2EMAIL_FEEDS]
    docs += [(p.name, p.read_bytes(), RSS_HEADERS) for p in sorted(FIXTURES.iterdir()) if p.suffix != ".toml"]
    return docs


def test_the_lanes_read_every_corpus_file_as_the_long_way() -> None:
    """With or without the lanes, read_feed gives the same entries, key for key, in the same order."""
    failures: list[str] = []
    for name, body, headers in _corpus():
        failures += _lane_differences(name, body, headers)
    assert not failures, "\n".join(failures[:20])


def test_the_lanes_are_taken() -> None:
    """The comparisons above compare something: a plain RSS entry's title goes by its lane."""
    plain = b"<rss version='2.0'><channel><item><title>t</title><link>http://a.example/x</link></item></channel></rss>"
    real = fastparse._Replay._lane_title
    calls: list[str] = []

    def counted(replay: fastparse._Replay, entry: dict[str, object], text: str, attrs: dict[str, str]) -> None:
        calls.append(text)
        real(replay, entry, text, attrs)

    fastparse._LANES["title"] = (counted, False)
    try:
        entries = fastparse.read_feed(plain, RSS_HEADERS).entries
    finally:
        fastparse._LANES["title"] = (real, False)
    assert calls == ["t"] and entries[0]["title"] == "t"


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_document(), _headers)
def test_the_lanes_read_generated_feeds_as_the_long_way(body: bytes, headers: dict[str, str] | None) -> None:
    assert not (failures := _lane_differences("generated", body, headers or {})), "\n".join(failures)


def test_a_body_parse_found_valid_utf8_is_read_as_one_checked_again() -> None:
    """parse_feed's encoding checks tell read_feed when they found the body valid UTF-8 (read_feed then
    does not decode it again): on every corpus document the flag holds, and read_feed's answer is the same."""
    flagged = 0
    for name, body, headers in _corpus():
        hdrs = {key.lower(): value for key, value in headers.items()}
        prepared, prepared_headers, _, utf8 = parse._prepare_xml(body.lstrip(), hdrs)
        if utf8:
            flagged += 1
            prepared.decode("utf-8")  # raises where the flag is wrong
            checked_again = _reading(prepared, prepared_headers)
            assert repr(_reading(prepared, prepared_headers, utf8=True)) == repr(checked_again), name
    assert flagged
