"""Feeds written by strangers: every one is data, never an exception, and never stops the other sources.

* the whole feedparser test corpus (``../shared/data/feedparser-tests``), every file, with its HTTP headers;
* malformed XML, XXE and entity bombs, truncated bodies, HTML pages, empty 200s, non-feeds;
* wrong or missing encodings: GBK, Big5, UTF-16 with and without a BOM, lying declarations;
* hostile servers through the real fetch stage and pipeline: an oversize body, a gzip bomb, a slow
  drip, a redirect loop, redirects to ``file:``, ``ftp:`` and ``data:``, a body cut short;
* a feed of 100,000 items; duplicate guids; items with no link, title or date; future dates.
"""

from __future__ import annotations

import codecs
import json
import os
import socket
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from mailserver import write_config

from reportgen.config.core import load_config
from reportgen.demo.data import generate_demo_feeds
from reportgen.demo.feedserver import (
    FeedServer,
    GzipBomb,
    Oversize,
    Redirect,
    RedirectLoop,
    RequestHandler,
    Route,
    SlowDrip,
)
from reportgen.flow.pipeline import build_daily_report, fetch_options, ingest, run_fetch
from reportgen.ingest.fetch import fetch_all
from reportgen.ingest.parse import MAX_SUMMARY, MAX_TITLE, parse_feed
from reportgen.models import FetchStatus, ParsedFeed
from reportgen.store.db import Store

from .conftest import db_problems, db_rows, shared_data, yesterday

NOW = datetime(2026, 11, 28, 2, 0, tzinfo=UTC)
CORPUS = shared_data() / "feedparser-tests"
_NOT_FEEDS = {"README.md", "LICENSE", "manifest.jsonl"}


def parse(body: bytes, headers: dict[str, str] | None = None, *, source: str = "s") -> ParsedFeed:
    return parse_feed(source, body, headers or {}, fetched_at=NOW, base_url="http://feeds.example/feed.xml")


def invariant_problems(name: str, parsed: ParsedFeed) -> list[str]:
    """What no parse result may ever contain, whatever the input."""
    problems = []
    if parsed.error and parsed.error.startswith("parse failed"):
        problems.append(f"{name}: our own code raised inside parse: {parsed.error}")
    if parsed.error and parsed.items:
        problems.append(f"{name}: error {parsed.error!r} but {len(parsed.items)} items")
    ids = [item.item_id for item in parsed.items]
    if len(ids) != len(set(ids)):
        problems.append(f"{name}: duplicate item ids in one feed")
    for item in parsed.items:
        if item.published_at.utcoffset() is None or item.fetched_at.utcoffset() is None:
            problems.append(f"{name}: naive datetime in {item.item_id}")
        if item.published_at > NOW + timedelta(minutes=1):
            problems.append(f"{name}: future date kept: {item.published_at}")
        if item.url is not None and not item.url.startswith(("http://", "https://")):
            problems.append(f"{name}: non-http URL kept: {item.url!r}")
        if len(item.title) > MAX_TITLE or len(item.summary) > MAX_SUMMARY:
            problems.append(f"{name}: unbounded field")
        if len(item.item_id) != 24:
            problems.append(f"{name}: odd id {item.item_id!r}")
    return problems


# --- the feedparser corpus ------------------------------------------------------------------------


def _manifest() -> list[dict[str, object]]:
    manifest = CORPUS / "manifest.jsonl"
    if not manifest.is_file():
        return []
    return [json.loads(line) for line in manifest.read_text("utf-8").splitlines() if line.strip()]


@pytest.mark.skipif(not (CORPUS / "manifest.jsonl").is_file(),
                    reason=f"feedparser test corpus not found at {CORPUS} (set REPORTGEN_SHARED_DATA)")
def test_every_file_of_the_feedparser_corpus_parses_without_a_crash(record_property, capsys) -> None:
    rows = _manifest()
    on_disk = {p.relative_to(CORPUS).as_posix() for p in CORPUS.rglob("*")
               if p.is_file() and p.name not in _NOT_FEEDS}
    assert {str(r["path"]) for r in rows} == on_disk, "manifest.jsonl and the corpus folder disagree"

    parsed_count, crashes, problems = 0, [], []
    tally = {"with items": 0, "bozo": 0, "reported as not a feed": 0}
    started = time.perf_counter()
    for row in rows:
        name = str(row["path"])
        headers = {k: v for k, v in row.get("http_headers") or []}  # type: ignore[attr-defined]
        try:
            parsed = parse((CORPUS / name).read_bytes(), headers, source=name)
        except Exception as exc:  # the point: count every file that raises
            crashes.append(f"{name}: {type(exc).__name__}: {exc}")
            continue
        parsed_count += 1
        problems += invariant_problems(name, parsed)
        tally["with items"] += bool(parsed.items)
        tally["bozo"] += parsed.bozo
        tally["reported as not a feed"] += bool(parsed.error)
    elapsed = time.perf_counter() - started

    record_property("feedparser_corpus_files_parsed", parsed_count)
    with capsys.disabled():
        print(f"\nfeedparser corpus: {parsed_count}/{len(rows)} files parsed, {len(crashes)} crashes, "
              f"{tally} in {elapsed:.1f} s")
    assert crashes == []
    assert problems == []
    assert parsed_count == len(rows) == len(on_disk) > 2000


# --- malformed documents --------------------------------------------------------------------------

GOOD_ITEM = b"<item><title>\xe5\xb7\xa5\xe5\x95\x86\xe9\x93\xb6\xe8\xa1\x8c</title><link>http://a.example/1</link></item>"
RSS_HEAD = b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>'

MALFORMED = {
    "unclosed elements": (RSS_HEAD + GOOD_ITEM + b"<item><title>second", 1),
    "mismatched tags": (RSS_HEAD + GOOD_ITEM + b"</item></channel></rss></rss>", 1),
    "undefined entity": (RSS_HEAD + GOOD_ITEM.replace(b"</title>", b"&nbsp;&bogus;</title>") + b"</channel></rss>", 1),
    "control characters": (RSS_HEAD + GOOD_ITEM.replace(b"</title>", b"\x00\x01\x0b\x1f</title>") + b"</channel></rss>",
                           1),
    "invalid UTF-8 bytes": (RSS_HEAD + GOOD_ITEM.replace(b"</title>", b"\xff\xfe\xc3</title>") + b"</channel></rss>",
                            1),
    "two root elements": (RSS_HEAD + GOOD_ITEM + b"</channel></rss><rss><channel></channel></rss>", 1),
    "attribute soup": (RSS_HEAD + b'<item a="1" a="2" b=c><title x="<">t</title><link>http://a.example/2</link>'
                       b"</item></channel></rss>", 1),
    "CDATA never closed": (RSS_HEAD + b"<item><title><![CDATA[\xe5\xb7\xa5\xe8\xa1\x8c</title></item>", None),
    "deep nesting": (RSS_HEAD + b"<item><title>t</title>" + b"<x>" * 5000 + b"</x>" * 5000
                     + b"<link>http://a.example/3</link></item></channel></rss>", 1),
    "valid but empty channel": (RSS_HEAD + b"</channel></rss>", 0),
    # found by atheris: odd bytes in the declared encoding name raised inside feedparser
    "NUL bytes in the XML declaration": (b'<?xml version="1.0" encoding="ut\x00\x00f-8"?><rss version="2.0"><channel>'
                                         + GOOD_ITEM.replace(b"</title>", b" \xff</title>") + b"</channel></rss>", 1),
    "non-ASCII bytes in the XML declaration": (b'<?xml version="1.0" encoding="utf-\xff\xff\xc78"?>\n<'
                                               + b"\x0e" * 90 + b'rss version="2.0"><channel>' + GOOD_ITEM
                                               + b"</channel></rss>", None),
}


@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_malformed_xml_is_data_not_an_exception(name: str) -> None:
    body, expected_items = MALFORMED[name]
    parsed = parse(body, {"content-type": "application/rss+xml"})
    assert invariant_problems(name, parsed) == []
    if expected_items is not None:
        assert len(parsed.items) == expected_items, parsed
        assert parsed.error is None


NOT_FEEDS = {
    "empty 200": (b"", {}, "empty body"),
    "whitespace only": (b" \r\n\t  \n", {}, "not a feed"),
    "a BOM and nothing else": (codecs.BOM_UTF8, {}, "not a feed"),
    "NUL bytes": (b"\x00" * 4096, {}, "not a feed"),
    "a PNG": (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, {"content-type": "image/png"}, "not a feed"),
    "plain text": ("银行 新闻 今日无更新".encode(), {"content-type": "text/plain"}, "not a feed"),
    "HTML page": (b"<!DOCTYPE html><html><head><title>Login</title></head><body>please log in</body></html>",
                  {"content-type": "text/html"}, "looks like an HTML page"),
    "HTML served as XML": (b"<?xml version='1.0'?>\n<html><body><p>502 Bad Gateway</p></body></html>",
                           {"content-type": "application/rss+xml"}, "looks like an HTML page"),
    "HTML page advertising its feed": (
        b'<html><head><link rel="alternate" type="application/rss+xml" href="/rss.xml"></head></html>',
        {"content-type": "text/html"}, "advertises a feed at http://feeds.example/rss.xml"),
    "JSON array": (b"[1, 2, 3]", {"content-type": "application/json"}, "not a feed"),
    "JSON without items": (b'{"version": "https://jsonfeed.org/version/1.1", "title": "x"}',
                           {"content-type": "application/feed+json"}, "not a feed"),
    "JSON cut short": (b'{"version": "https://jsonfeed.org/version/1.1", "items": [{"id": "1", "tit',
                       {"content-type": "application/feed+json"}, "malformed JSON feed"),
    "JSON nested 100000 deep": (b'{"items": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
                                {"content-type": "application/json"}, ""),
}


@pytest.mark.parametrize("name", sorted(NOT_FEEDS))
def test_not_a_feed_is_a_failed_source_with_a_reason(name: str) -> None:
    body, headers, reason = NOT_FEEDS[name]
    parsed = parse(body, headers)
    assert parsed.items == ()
    assert parsed.error and reason in parsed.error, parsed
    assert not parsed.error.startswith("parse failed"), parsed.error


def test_xxe_and_external_dtds_are_never_resolved() -> None:
    secret_file = Path("/etc/hostname") if Path("/etc/hostname").is_file() else Path(__file__)
    secret = secret_file.read_text(errors="replace").strip()[:40]
    routes = {"/dtd": Route(b'<!ENTITY leak "FROM-REMOTE-DTD">', "application/xml-dtd"),
              "/entity": Route(b"FROM-REMOTE-ENTITY", "text/plain")}
    with FeedServer(routes) as srv:
        body = f"""<?xml version="1.0"?>
<!DOCTYPE rss [
  <!ENTITY file SYSTEM "{secret_file.as_uri()}">
  <!ENTITY web SYSTEM "{srv.url('/entity')}">
  <!ENTITY % remote SYSTEM "{srv.url('/dtd')}"> %remote;
]>
<rss version="2.0"><channel><title>t &file;</title><link>http://a.example/</link>
<item><title>工商银行 &file; &web; &leak;</title><link>http://a.example/1</link>
<description>&file; &web;</description></item></channel></rss>""".encode()
        parsed = parse(body)
        assert srv.requests == []  # nothing was fetched for an entity or a DTD
    assert len(parsed.items) == 1 and "工商银行" in parsed.items[0].title
    everything = json.dumps([parsed.feed_title, [(i.title, i.summary) for i in parsed.items]], ensure_ascii=False)
    assert secret not in everything
    assert "FROM-REMOTE" not in everything


@pytest.mark.parametrize("depth", [9, 30])
def test_entity_expansion_bombs_are_cut_off(depth: int) -> None:
    """Billion laughs: each level multiplies the one below by ten.  Expat's amplification limit
    stops it; the loose fallback keeps the entity reference as text."""
    entities = b'<!ENTITY l0 "lollollollollollollollollollol">' + b"".join(
        b'<!ENTITY l%d "%s">' % (i, (b"&l%d;" % (i - 1)) * 10) for i in range(1, depth + 1))
    body = (b'<?xml version="1.0"?><!DOCTYPE r [' + entities + b']><rss version="2.0"><channel>'
            b"<item><title>x &l%d;</title><link>http://a.example/1</link></item></channel></rss>" % depth)
    started = time.perf_counter()
    parsed = parse(body)
    assert time.perf_counter() - started < 5
    assert invariant_problems("bomb", parsed) == []
    assert all(len(i.title) < 100 for i in parsed.items)


def _demo_bodies() -> list[tuple[str, bytes, str]]:
    return [(f.source_id, f.body, f.content_type) for f in generate_demo_feeds(NOW, days=2)]


@pytest.mark.parametrize(("source", "body", "content_type"), _demo_bodies(), ids=lambda v: str(v)[:20])
def test_truncated_bodies_never_raise(source: str, body: bytes, content_type: str) -> None:
    """Every demo format (RSS UTF-8 and GBK, Atom, JSON Feed), cut at 60 places."""
    full = parse(body, {"content-type": content_type}, source=source)
    assert full.items and full.error is None
    problems = []
    for i in range(1, 61):
        cut = len(body) * i // 61
        problems += invariant_problems(f"{source}[:{cut}]", parse(body[:cut], {"content-type": content_type},
                                                                 source=source))
    assert problems == []


# --- encodings ------------------------------------------------------------------------------------

SIMPLIFIED = ["中国工商银行某支行行长王镕被罚款", "建设银行发布三季度业绩 净利润增长", "招商银行信用卡中心回应客户投诉",
              "交通银行副行长李堃接受调查"]  # 镕 and 堃 are GBK, not GB2312
TRADITIONAL = ["中國工商銀行某支行因違規放貸被罰款", "建設銀行發佈三季度業績 淨利潤增長",
               "招商銀行信用卡中心回應客戶投訴", "交通銀行副行長接受調查"]


def chinese_feed(declared: str | None, titles: list[str], *, traditional: bool = False) -> str:
    channel, note = ("銀行新聞", "監管部門通報了有關情況。") if traditional else \
        ("银行新闻", "监管部门通报了有关情况。")
    prolog = f'<?xml version="1.0" encoding="{declared}"?>\n' if declared else '<?xml version="1.0"?>\n'
    items = "".join(f"<item><title>{t}</title><link>https://news.example/{i}</link><description>{t}。{note}"
                    f"</description></item>\n" for i, t in enumerate(titles))
    return f'{prolog}<rss version="2.0"><channel><title>{channel}</title><link>https://news.example/</link>\n' \
           f"{items}</channel></rss>\n"


S, T = SIMPLIFIED, TRADITIONAL
ENCODINGS = {
    "GBK declared gb2312": (chinese_feed("gb2312", S).encode("gbk"), {}, S),
    "GBK, charset only in Content-Type": (chinese_feed(None, S).encode("gbk"),
                                          {"content-type": "text/xml; charset=GBK"}, S),
    "GBK, no declaration anywhere": (chinese_feed(None, S).encode("gbk"), {}, S),
    "GBK declared utf-8": (chinese_feed("utf-8", S).encode("gbk"), {"content-type": "text/xml; charset=utf-8"}, S),
    "GB18030 four-byte characters": (chinese_feed("gb18030", [*S, "工商银行 €𠀀"]).encode("gb18030"), {},
                                     [*S, "工商银行 €𠀀"]),
    "Big5 declared": (chinese_feed("big5", T, traditional=True).encode("big5"), {}, T),
    "Big5, charset only in Content-Type": (chinese_feed(None, T, traditional=True).encode("big5"),
                                           {"content-type": "application/xml; charset=big5"}, T),
    "Big5, no declaration anywhere": (chinese_feed(None, T, traditional=True).encode("big5"), {}, T),
    "UTF-16LE with BOM": (codecs.BOM_UTF16_LE + chinese_feed("utf-16", S).encode("utf-16-le"), {}, S),
    "UTF-16BE with BOM": (codecs.BOM_UTF16_BE + chinese_feed("utf-16", S).encode("utf-16-be"), {}, S),
    "UTF-16LE without BOM, declared": (chinese_feed("utf-16le", S).encode("utf-16-le"), {}, S),
    "UTF-16BE without BOM, declared": (chinese_feed("utf-16be", S).encode("utf-16-be"), {}, S),
    "UTF-16 without BOM, declared utf-16": (chinese_feed("utf-16", S).encode("utf-16-le"), {}, S),
    "UTF-16LE without BOM or declaration": (chinese_feed(None, S).encode("utf-16-le"), {}, S),
    "UTF-16LE without BOM, charset in Content-Type": (chinese_feed(None, S).encode("utf-16-le"),
                                                      {"content-type": "application/rss+xml; charset=utf-16le"}, S),
    "UTF-8 with BOM, Content-Type says gbk": (codecs.BOM_UTF8 + chinese_feed("utf-8", S).encode(),
                                              {"content-type": "text/xml; charset=gbk"}, S),
    "UTF-8 as text/xml without charset": (chinese_feed(None, S).encode(), {"content-type": "text/xml"}, S),
    "UTF-8 labelled iso-8859-1": (chinese_feed("iso-8859-1", S).encode(),
                                  {"content-type": "text/xml; charset=iso-8859-1"}, S),
    "UTF-8 with an unknown encoding name": (chinese_feed("x-no-such-charset", S).encode(), {}, S),
}


@pytest.mark.parametrize("name", list(ENCODINGS))
def test_wrong_or_missing_encodings_still_read_as_chinese(name: str) -> None:
    body, headers, titles = ENCODINGS[name]
    parsed = parse(body, headers)
    assert parsed.error is None
    assert [item.title for item in parsed.items] == titles
    assert all("\ufffd" not in item.summary for item in parsed.items)


# --- hostile servers, through the real fetch stage and the pipeline ------------------------------


class CutShort(Route):
    """Promises a whole feed in Content-Length, sends 40 % of it and hangs up."""

    def respond(self, h: RequestHandler) -> None:
        h.send_head(200, [("Content-Type", self.content_type), ("Content-Length", str(len(self.body)))])
        h.write(self.body[: len(self.body) * 2 // 5])
        h.flush()
        h.close_connection = True
        h.connection.shutdown(socket.SHUT_RDWR)


def _good_feed(day) -> bytes:
    return chinese_feed("utf-8", SIMPLIFIED).replace(
        "</title><link>", f"</title><pubDate>{day} 09:00:00</pubDate><link>").encode()


HOSTILE_SOURCES = {
    # path: (route factory, expected error)
    "oversize-chunked": (lambda: Oversize(3 * 1024 * 1024), "body exceeds 1 MiB limit"),
    "oversize-declared": (lambda: Oversize(64 * 1024 * 1024, declare_length=True), "(Content-Length 64 MiB)"),
    "gzip-bomb": (lambda: GzipBomb(256 * 1024 * 1024), "decompressed body exceeds 2 MiB (gzip bomb?)"),
    "slow-drip": (lambda: SlowDrip(interval_s=0.1, count=600), "timed out (no complete response within 1 s)"),
    "redirect-loop": (lambda: RedirectLoop(), "too many redirects (>5)"),
    "redirect-to-file": (lambda: Redirect("file:///etc/passwd"), "redirect to unsupported URL scheme 'file'"),
    "redirect-to-ftp": (lambda: Redirect("ftp://127.0.0.1/feed.xml"), "redirect to unsupported URL scheme 'ftp'"),
    # httpx cannot even join a data: URL to the request's; either way nothing is read from it
    "redirect-to-data": (lambda: Redirect("data:application/rss+xml,<rss/>"), "invalid URL"),
    "html-page": (lambda: Route(b"<!doctype html><html><body>Just a moment...</body></html>", "text/html"),
                  "not a feed: looks like an HTML page"),
    "empty-200": (lambda: Route(b"", "application/rss+xml"), "empty body"),
    "cut-short": (lambda: CutShort(_good_feed(yesterday())), ""),
}


def test_hostile_servers_fail_their_source_only_and_the_report_says_why(tmp_path: Path) -> None:
    day = yesterday()
    routes = {f"/{name}": make() for name, (make, _) in HOSTILE_SOURCES.items()}
    routes["/good"] = Route(_good_feed(day))
    with FeedServer(routes) as srv:
        extra = "[fetch]\nretries = 0\nmax_body_mb = 1\nmax_decompressed_mb = 2\ntimeout_s = 1\n" + "".join(
            f'[[sources]]\nid = "{name}"\nname = "{name}"\nurl = "{srv.url("/" + name)}"\nchannel = "online"\n'
            for name in HOSTILE_SOURCES)
        config = load_config(write_config(tmp_path, feeds_base=srv.base_url, smtp_port=None, extra=extra))
        started = time.monotonic()
        summary = run_fetch(config)
        elapsed = time.monotonic() - started
        report = build_daily_report(config, day, formats=("html",))
        asked = {r.path for r in srv.requests}

    health = {s.source_id: s for s in summary.sources}
    assert health["good"].status is FetchStatus.OK and health["good"].new_count == len(SIMPLIFIED)
    for name, (_, reason) in HOSTILE_SOURCES.items():
        assert health[name].status is FetchStatus.FAILED, (name, health[name])
        assert reason in (health[name].error or ""), (name, health[name].error)
        assert health[name].new_count == 0
    assert "/etc/passwd" not in str(asked) and len(asked) == len(routes)
    assert elapsed < 20  # the drip and the bomb were cut off, not waited out

    html = report.paths["html"].read_text(encoding="utf-8")
    for name, (_, reason) in HOSTILE_SOURCES.items():
        if reason:
            assert reason.replace("'", "&#39;").replace(">", "&gt;") in html, name
    assert "王镕" in html  # the good source made it into the report
    db = config.settings.database.removeprefix("sqlite:///")
    assert db_problems(Path(db)) == []
    assert db_rows(Path(db), "SELECT COUNT(*) FROM items") == [(len(SIMPLIFIED),)]


# --- size, duplicates and missing fields ----------------------------------------------------------


def big_rss(n: int) -> bytes:
    entries = "".join(
        f"<item><title>{'工商银行' if i % 1000 == 0 else '快讯'} {i}</title><link>https://big.example/{i}</link>"
        f"<guid>g{i}</guid></item>" for i in range(n))
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>big</title>'
            f"<link>https://big.example/</link>{entries}</channel></rss>").encode()


def big_json_feed(n: int) -> bytes:
    items = [{"id": f"g{i}", "url": f"https://big.example/{i}",
              "title": f"{'工商银行' if i % 1000 == 0 else '快讯'} {i}"} for i in range(n)]
    return json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": "big", "items": items},
                      ensure_ascii=False, separators=(",", ":")).encode()


def test_a_feed_of_100000_items_is_fetched_parsed_matched_and_stored(tmp_path: Path) -> None:
    """100,000 items (6 MB of JSON Feed) through the fetch, parse, match and store stages.  Every
    1000th item names a bank.  (RSS of the same size spends ~20 s in feedparser alone, and event
    clustering of 100,000 new items takes minutes: both are in the opt-in slow test below.)"""
    n = 100_000
    with FeedServer({"/good": Route(big_json_feed(n), "application/feed+json")}) as srv:
        config = load_config(write_config(tmp_path, feeds_base=srv.base_url, smtp_port=None))
        store = Store.open(config.settings.database)
        store.sync_sources(config.sources, lambda s: config.source_url(s, with_key=False))
        started = time.monotonic()
        results = fetch_all(config.fetch_requests(), fetch_options(config.fetch))
        first = ingest(store, config, results, run_id=store.start_run("fetch", datetime.now(UTC)))
        elapsed = time.monotonic() - started
        again = ingest(store, config, fetch_all(config.fetch_requests(), fetch_options(config.fetch)),
                       run_id=store.start_run("fetch", datetime.now(UTC)))

    [health] = first.sources
    assert health.status is FetchStatus.OK, health.error
    assert (health.item_count, health.new_count, health.matched_count) == (n, n, n // 1000)
    assert again.items_fetched == n and again.items_new == 0  # the same feed again: nothing stored twice
    db = Path(config.settings.database.removeprefix("sqlite:///"))
    assert db_rows(db, "SELECT COUNT(*), SUM(date_missing) FROM items") == [(n, n)]
    assert db_rows(db, "SELECT COUNT(*) FROM mentions") == [(n // 1000,)]
    assert db_problems(db) == []
    assert elapsed < 90, f"100,000 items took {elapsed:.0f} s"


@pytest.mark.slow
@pytest.mark.timeout(1800)
@pytest.mark.skipif(not os.environ.get("REPORTGEN_SLOW_TESTS"),
                    reason="minutes, not seconds: set REPORTGEN_SLOW_TESTS=1 to run the 100,000-item RSS feed through "
                           "the whole fetch, event clustering included")
def test_a_100000_item_rss_feed_through_the_whole_fetch(tmp_path: Path, capsys) -> None:
    n = 100_000
    with FeedServer({"/good": Route(big_rss(n))}) as srv:
        config = load_config(write_config(tmp_path, feeds_base=srv.base_url, smtp_port=None))
        started = time.monotonic()
        first = run_fetch(config)
        elapsed = time.monotonic() - started
        second = run_fetch(config)  # the 304 path: nothing parsed again
    with capsys.disabled():
        print(f"\n100,000-item RSS feed: whole fetch in {elapsed:.0f} s")
    assert first.sources[0].status is FetchStatus.OK and first.items_new == n
    assert second.sources[0].status is FetchStatus.NOT_MODIFIED and second.items_new == 0
    db = Path(config.settings.database.removeprefix("sqlite:///"))
    assert db_rows(db, "SELECT COUNT(*) FROM items") == [(n,)]
    assert db_problems(db) == []


def test_duplicates_missing_fields_and_future_dates(tmp_path: Path) -> None:
    day = yesterday()
    feed = f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>怪异的源</title><link>https://odd.example/</link>
<item><title>工商银行 共用 guid 一</title><link>https://odd.example/1</link><guid>same</guid>
  <pubDate>{day} 09:00:00</pubDate></item>
<item><title>工商银行 共用 guid 二</title><link>https://odd.example/2</link><guid>same</guid>
  <pubDate>{day} 09:10:00</pubDate></item>
<item><title>工商银行 重复条目</title><link>https://odd.example/3</link><guid>dup</guid>
  <pubDate>{day} 09:20:00</pubDate></item>
<item><title>工商银行 重复条目</title><link>https://odd.example/3</link><guid>dup</guid>
  <pubDate>{day} 09:20:00</pubDate></item>
<item><title>工商银行 没有链接</title><guid isPermaLink="false">no-link</guid><pubDate>{day} 09:30:00</pubDate></item>
<item><link>https://odd.example/no-title</link><description>工商银行 没有标题</description>
  <pubDate>{day} 09:40:00</pubDate></item>
<item><title>工商银行 没有日期</title><link>https://odd.example/no-date</link></item>
<item><title>工商银行 来自未来</title><link>https://odd.example/future</link>
  <pubDate>Fri, 01 Jan 2100 00:00:00 +0800</pubDate></item>
<item><title>工商银行 纪元零点</title><link>https://odd.example/epoch</link>
  <pubDate>Thu, 01 Jan 1970 00:00:00 +0000</pubDate></item>
<item></item>
<item><title>   </title><description> </description></item>
</channel></rss>""".encode()
    with FeedServer({"/good": Route(feed, etag=None, last_modified=None)}) as srv:
        config = load_config(write_config(tmp_path, feeds_base=srv.base_url, smtp_port=None))
        before = datetime.now(UTC)
        first = run_fetch(config)
        after = datetime.now(UTC)
        second = run_fetch(config)  # no validators: the whole feed again

    assert first.items_new == 8 and second.items_new == 0 and second.items_fetched == 8
    db = Path(config.settings.database.removeprefix("sqlite:///"))
    assert db_problems(db) == []
    rows = {r[0]: r[1:] for r in db_rows(db, "SELECT title, url, guid, published_at, date_missing, date_capped "
                                              "FROM items")}
    # a guid shared by two different entries keys neither: both are kept, told apart by their links
    assert (rows["工商银行 共用 guid 一"][0], rows["工商银行 共用 guid 二"][0]) == ("https://odd.example/1",
                                                                            "https://odd.example/2")
    assert rows["工商银行 没有链接"][:2] == (None, "no-link")
    assert rows[""][0] == "https://odd.example/no-title"
    flags = (("工商银行 没有日期", 1, 0), ("工商银行 来自未来", 0, 1), ("工商银行 纪元零点", 1, 0))
    for title, missing, capped in flags:
        assert rows[title][3:] == (missing, capped), title
        stored = datetime.fromisoformat(str(rows[title][2])).replace(tzinfo=UTC)
        assert before - timedelta(seconds=1) <= stored <= after, title  # the fetch time stands in
    assert db_rows(db, "SELECT COUNT(*) FROM mentions") == [(8,)]
