"""Text and dates that no honest feed holds: one bad character must never cost a feed, let alone the run.

* lone surrogates (JSON ``"\\ud800"``, XML ``&#xD800;``) become U+FFFD in every text field of every item
  and in the feed-level strings; C0/C1 controls other than tab and newline go; bidi controls stay
  (the report isolates them);
* a UTF-8 body cut off inside a character reads as UTF-8 without that character, with a warning;
* impossible dates (30 February, month 13, offsets beyond ±14:00, years UTC cannot hold) are no date:
  flagged missing, never rolled over, shifted or allowed to crash the feed.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import fields
from datetime import UTC, datetime
from pathlib import Path

import pytest
from mailserver import write_config

from reportgen.config.core import load_config
from reportgen.demo.feedserver import FeedServer, Route
from reportgen.flow.pipeline import run_fetch
from reportgen.ingest.parse import parse_feed
from reportgen.models import FetchStatus, ParsedFeed

from .conftest import db_problems, db_rows

NOW = datetime(2026, 11, 28, 2, 0, tzinfo=UTC)
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f"


def parse(body: bytes, headers: dict[str, str] | None = None) -> ParsedFeed:
    return parse_feed("s", body, headers or {}, fetched_at=NOW, base_url="https://feeds.example/feed")


def texts(parsed: ParsedFeed) -> list[str]:
    """Every string of the result: feed-level ones and every str field of every item, whatever Item holds."""
    found = [t for t in (parsed.source_id, parsed.feed_title, parsed.warning, parsed.error) if isinstance(t, str)]
    for item in parsed.items:
        for field in fields(item):
            value = getattr(item, field.name)
            values = value if isinstance(value, tuple | list) else (value,)
            found += [v for v in values if isinstance(v, str)]
    return found


def unsafe(text: str) -> list[str]:
    return [c for c in text if unicodedata.category(c) == "Cs"
            or (unicodedata.category(c) == "Cc" and c not in "\t\n")]


def assert_storable(parsed: ParsedFeed) -> None:
    assert not (parsed.error or "").startswith("parse failed"), parsed.error
    for text in texts(parsed):
        text.encode("utf-8")  # what SQLite, PostgreSQL and the PDF need
        assert unsafe(text) == [], repr(text)


# --- 1. lone surrogates and control characters ----------------------------------------------------


def json_feed(feed_title: str = "华信银行 动态", **first: object) -> bytes:
    item = {"id": "hx-1", "url": "https://www.huaxin-bank.example/1.html", "title": "华信银行公告",
            "content_text": "华信银行今日发布公告。", "date_published": "2026-11-27T10:00:00+08:00",
            "authors": [{"name": "华信银行办公室"}], **first}
    good = {"id": "hx-2", "url": "https://www.huaxin-bank.example/2.html", "title": "华信银行召开股东大会",
            "date_published": "2026-11-27T09:00:00+08:00"}
    doc = {"version": "https://jsonfeed.org/version/1.1", "title": feed_title, "items": [item, good]}
    return json.dumps(doc, ensure_ascii=True).encode()  # a lone surrogate is written as "\ud800"


def test_lone_surrogates_in_a_json_feed_become_replacement_characters() -> None:
    parsed = parse(json_feed(feed_title="华信银行 动态\ud800", title="华信银行\ud800公告", id="hx-\ud800",
                             content_text="今日\udfff发布", content_html="<p>今日&#xD800;发布公告，全文如下\ud83d</p>",
                             authors=[{"name": "华信\udbff办公室"}], url="https://www.huaxin-bank.example/\ud800.html"),
                   {"content-type": "application/feed+json"})
    assert_storable(parsed)
    first, second = parsed.items
    assert (first.title, first.author, first.guid) == ("华信银行\ufffd公告", "华信\ufffd办公室", "hx-\ufffd")
    assert "\ufffd" in first.summary and "全文如下" in first.summary
    assert first.url == "https://www.huaxin-bank.example/%EF%BF%BD.html"
    assert parsed.feed_title == "华信银行 动态\ufffd"
    assert second.title == "华信银行召开股东大会" and parsed.error is None


def xml_feed(kind: str, title: str, summary: str, author: str) -> bytes:
    """The same hostile entry (and one good entry) as RSS 2.0, Atom or RSS 1.0 (RDF)."""
    if kind == "rss":
        entry = ("<item><title>{t}</title><link>https://a.example/{n}.html</link><description>{s}</description>"
                 "<author>{a}</author><pubDate>Fri, 27 Nov 2026 08:30:00 +0800</pubDate></item>")
        head, tail = '<rss version="2.0"><channel><title>明川&#xD800;银行</title>', "</channel></rss>"
    elif kind == "atom":
        entry = ("<entry><title>{t}</title><link href='https://a.example/{n}.html'/><id>urn:x:{n}</id>"
                 "<summary>{s}</summary><author><name>{a}</name></author>"
                 "<updated>2026-11-27T08:30:00+08:00</updated></entry>")
        head, tail = "<feed xmlns='http://www.w3.org/2005/Atom'><title>明川&#xD800;银行</title>", "</feed>"
    else:
        entry = ("<item rdf:about='https://a.example/{n}.html'><title>{t}</title><link>https://a.example/{n}.html"
                 "</link><description>{s}</description><dc:creator>{a}</dc:creator>"
                 "<dc:date>2026-11-27T08:30:00+08:00</dc:date></item>")
        head = ("<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#' xmlns='http://purl.org/rss/1.0/'"
                " xmlns:dc='http://purl.org/dc/elements/1.1/'><channel rdf:about='https://a.example/'>"
                "<title>明川&#xD800;银行</title><link>https://a.example/</link></channel>")
        tail = "</rdf:RDF>"
    entries = entry.format(t=title, s=summary, a=author, n=1) + entry.format(t="明川银行公告", s="正常", a="王", n=2)
    return f'<?xml version="1.0" encoding="utf-8"?>{head}{entries}{tail}'.encode()


@pytest.mark.parametrize("kind", ["rss", "atom", "rdf"])
def test_surrogate_character_references_in_xml_feeds_become_replacement_characters(kind: str) -> None:
    """feedparser's fallback parser turns ``&#xD800;`` into a str it then cannot encode, and the
    whole feed was lost; a reference beyond U+10FFFF did the same."""
    parsed = parse(xml_feed(kind, "明川&#xD800;银行&#55296;公告", "今日&#xDFFF;发布&#x110000;公告", "王&#xDBFF;喆"))
    assert_storable(parsed)
    assert len(parsed.items) == 2 and parsed.error is None
    first = parsed.items[0]
    assert first.title == "明川\ufffd银行\ufffd公告"
    assert first.summary == "今日\ufffd发布\ufffd公告"
    assert parsed.feed_title == "明川\ufffd银行"
    assert first.author == "王\ufffd喆"
    assert first.published_at == datetime(2026, 11, 27, 0, 30, tzinfo=UTC)
    assert parsed.items[1].title == "明川银行公告"


def test_control_characters_go_and_bidi_controls_stay() -> None:
    parsed = parse(json_feed(title=f"华信\x01银行\x9b公告\x7f{BIDI}结束", id="hx\x00-\x85-1",
                             content_text="第一行\r\n第二行\x1b[31m", authors=[{"name": "办公室\x08"}]),
                   {"content-type": "application/feed+json"})
    assert_storable(parsed)
    first = parsed.items[0]
    assert first.title == f"华信银行公告{BIDI}结束"  # kept as is: isolating them is the report's job
    assert first.guid == "hx--1" and first.author == "办公室"
    assert first.summary == "第一行 第二行[31m"


def test_a_feed_with_lone_surrogates_is_stored_beside_the_others(tmp_path: Path) -> None:
    """The run this issue is about: one source's bad character stored nothing from any source."""
    day = NOW.date().isoformat()
    good = (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>好</title>'
            f"<item><title>工商银行发布公告</title><link>https://good.example/1</link>"
            f"<pubDate>{day} 09:00:00</pubDate></item></channel></rss>").encode()
    hostile = json_feed(title="工商银行\ud800被罚款", content_text="工商\udfff银行", authors=[{"name": "\ud800"}])
    with FeedServer({"/good": Route(good), "/hostile": Route(hostile, "application/feed+json")}) as srv:
        extra = f'[[sources]]\nid = "hostile"\nname = "hostile"\nurl = "{srv.url("/hostile")}"\nchannel = "online"\n'
        config = load_config(write_config(tmp_path, feeds_base=srv.base_url, smtp_port=None, extra=extra))
        summary = run_fetch(config)

    health = {s.source_id: s for s in summary.sources}
    assert health["good"].status is FetchStatus.OK and health["good"].new_count == 1
    assert health["hostile"].status is FetchStatus.OK and health["hostile"].new_count == 2
    db = Path(config.settings.database.removeprefix("sqlite:///"))
    assert db_problems(db) == []
    titles = {row[0] for row in db_rows(db, "SELECT title FROM items")}
    assert {"工商银行发布公告", "工商银行\ufffd被罚款"} <= titles


@pytest.mark.parametrize("content_type", [
    "application/rss+xml; charset=\ud800", "application/rss+xml; charset=utf-8\x00", "text/xml; charset=\x1b[31m",
    "\ud800/\udfff", "application/rss+xml; charset=\u202egbk",
])
def test_hostile_response_headers_are_data(content_type: str) -> None:
    """The charset reaches codec lookups and feedparser's messages: a surrogate or a NUL made both raise."""
    body = '<rss version="2.0"><channel><title>明川银行</title><item><title>明川银行公告</title></item></channel></rss>'
    parsed = parse(body.encode(), {"Content-Type": content_type, "X-\ud800": "\udfff"})
    assert_storable(parsed)
    assert [item.title for item in parsed.items] == ["明川银行公告"]


# --- 4. a UTF-8 body cut off inside a character ---------------------------------------------------

TITLES = ["明川银行发布2026年三季度经营情况", "华信银行召开年度股东大会", "东岳农商银行下调存款利率"]


def truncated_feed(declared: bool) -> bytes:
    prolog = '<?xml version="1.0" encoding="utf-8"?>\n' if declared else ""
    items = "".join(f"<item><title>{t}</title><link>https://news.example/{i}.html</link>"
                    f"<description>{t}。监管部门通报了有关情况。</description></item>\n" for i, t in enumerate(TITLES))
    body = f'{prolog}<rss version="2.0"><channel><title>银行新闻</title>{items}<item><title>交通银行副行长接受调查'
    return body.encode()[:-2]  # one byte of 查's three arrived


@pytest.mark.parametrize("declared", [True, False], ids=["xml-declaration", "no-declaration"])
@pytest.mark.parametrize("content_type", [None, "application/rss+xml; charset=utf-8", "text/xml"],
                         ids=["no-header", "charset-header", "header-without-charset"])
def test_a_utf8_body_cut_inside_a_character_reads_as_utf8(declared: bool, content_type: str | None) -> None:
    """It used to be read as a legacy single-byte encoding: every title mojibake, silently."""
    parsed = parse(truncated_feed(declared), {"content-type": content_type} if content_type else {})
    assert_storable(parsed)
    assert [item.title for item in parsed.items][:3] == TITLES
    assert parsed.feed_title == "银行新闻"
    assert "body ends inside a UTF-8 character: truncated download?" in (parsed.warning or "")
    assert not any("\ufffd" in text for text in texts(parsed))  # the partial character is dropped, not replaced


def test_a_body_that_ends_cleanly_has_no_truncation_warning() -> None:
    body = truncated_feed(True)[:-1]  # cut right after a whole character
    assert "truncated" not in (parse(body).warning or "")


# --- 2 and 15. dates that cannot be ----------------------------------------------------------------

IMPOSSIBLE = [
    "0001-01-01T00:00:00",  # in Shanghai (LMT +08:05) this is before datetime.min in UTC: OverflowError
    "0001-01-01 00:00:00 +0800",
    "9999-12-31T23:59:59-05:00",  # after datetime.max in UTC
    "9999-12-31T23:59:59+05:00",  # representable, but a placeholder
    "2026-02-30",  # feedparser alone rolls it over to 2 March
    "2026-02-30T08:00:00+08:00",
    "Mon, 30 Feb 2026 08:00:00 +0800",
    "2026年2月30日",
    "2026年2月30日 08:30",
    "2026/02/30 08:30",
    "2026-04-31",
    "2026-13-01",  # feedparser alone: 1 January 2027
    "2026-11-27T08:30:00+25:00",  # feedparser alone applies it
    "2026-11-27T08:30:00+14:01",
    "2026-11-27T08:30:00-14:30",
    "Fri, 27 Nov 2026 08:30:00 +2500",
    "Fri, 27 Nov 2026 08:30:00 XYZ",  # an unknown abbreviation: feedparser alone reads UTC
]


def dated_rss(date: str) -> bytes:
    return (f'<rss version="2.0"><channel><title>t</title>'
            f"<item><title>东岳农商银行公告</title><link>https://a.example/1</link><pubDate>{date}</pubDate></item>"
            f"<item><title>东岳农商银行通知</title><link>https://a.example/2</link>"
            f"<pubDate>Fri, 27 Nov 2026 08:30:00 +0800</pubDate></item></channel></rss>").encode()


def dated_json(date: str) -> bytes:
    items = [{"id": "1", "title": "东岳农商银行公告", "date_published": date},
             {"id": "2", "title": "东岳农商银行通知", "date_published": "2026-11-27T08:30:00+08:00"}]
    return json.dumps({"version": "https://jsonfeed.org/version/1.1", "items": items}).encode()


@pytest.mark.parametrize("make", [dated_rss, dated_json], ids=["rss", "json"])
@pytest.mark.parametrize("date", IMPOSSIBLE)
def test_an_impossible_date_is_a_missing_date(make, date: str) -> None:
    parsed = parse(make(date))
    assert parsed.error is None and len(parsed.items) == 2, parsed.error
    bad, good = parsed.items
    assert (bad.published_at, bad.date_missing, bad.date_capped) == (NOW, True, False)
    assert (good.published_at, good.date_missing) == (datetime(2026, 11, 27, 0, 30, tzinfo=UTC), False)
    assert "invalid date" in (parsed.warning or "") or date.startswith(("0001", "9999"))


def test_the_warning_says_which_date_and_why() -> None:
    parsed = parse(dated_rss("2026-02-30"))
    assert parsed.warning is not None
    assert "1 invalid date" in parsed.warning and "'2026-02-30'" in parsed.warning
    assert "day is out of range for month" in parsed.warning
    offset = parse(dated_rss("2026-11-27T08:30:00+25:00")).warning or ""
    assert "±14:00" in offset


@pytest.mark.parametrize("offset", ["+14:00", "-14:00", "+13:59", "-12:00", "+05:45"])
def test_offsets_up_to_fourteen_hours_are_valid(offset: str) -> None:
    [item, _] = parse(dated_json(f"2026-11-27T08:30:00{offset}")).items
    assert not item.date_missing
    assert item.published_at == datetime.fromisoformat(f"2026-11-27T08:30:00{offset}")
