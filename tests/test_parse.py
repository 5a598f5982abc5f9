"""parse_feed over the fixture folder: one file per case, expectations in expectations.toml."""

from __future__ import annotations

import pickle
import tomllib
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reportgen.ingest.parse import MAX_SUMMARY, MAX_TITLE, parse_feed
from reportgen.models import Item, ParsedFeed

FEEDS = Path(__file__).resolve().parent / "feeds"
EXPECTATIONS: dict[str, Any] = tomllib.loads((FEEDS / "expectations.toml").read_text("utf-8"))
DEFAULTS = EXPECTATIONS.pop("defaults")
FIXTURES = sorted(p.name for p in FEEDS.iterdir() if p.is_file() and p.name != "expectations.toml")


def _parse_case(name: str) -> tuple[ParsedFeed, dict[str, Any]]:
    case = EXPECTATIONS[name]
    parsed = parse_feed(
        name.rsplit(".", 1)[0],
        (FEEDS / name).read_bytes(),
        case.get("headers"),
        tz=case.get("tz", DEFAULTS["tz"]),
        fetched_at=datetime.fromisoformat(case.get("fetched_at", DEFAULTS["fetched_at"])),
        base_url=case.get("base_url"),
    )
    return parsed, case


def _check_text(actual: str | None, expected: str | bool, what: str) -> None:
    if expected is False:
        assert actual is None, f"{what}: expected none, got {actual!r}"
    else:
        assert actual is not None and str(expected) in actual, f"{what}: {expected!r} not in {actual!r}"


def _check_item(item: Item, want: dict[str, Any], where: str) -> None:
    for key, expected in want.items():
        if key == "published_at":
            assert item.published_at == datetime.fromisoformat(expected), where
        elif key == "url_is_none":
            assert (item.url is None) is expected, f"{where}: url {item.url!r}"
        elif key == "summary_contains":
            assert expected in item.summary, f"{where}: {item.summary!r}"
        elif key == "summary_excludes":
            assert expected not in item.summary, f"{where}: {item.summary!r}"
        elif key == "title_contains":
            assert expected in item.title, f"{where}: {item.title!r}"
        else:
            assert getattr(item, key) == expected, f"{where}: {key}={getattr(item, key)!r}"


def test_every_fixture_has_expectations_and_back() -> None:
    assert sorted(EXPECTATIONS) == FIXTURES


@pytest.mark.parametrize("name", FIXTURES)
def test_fixture(name: str) -> None:
    parsed, case = _parse_case(name)
    assert parsed.source_id == name.rsplit(".", 1)[0]
    assert len(parsed.items) == case["count"], [i.title for i in parsed.items]
    assert parsed.bozo is case.get("bozo", False)
    _check_text(parsed.error, case.get("error", False), "error")
    _check_text(parsed.warning, case.get("warning", False), "warning")
    if "feed_title" in case:
        assert parsed.feed_title == case["feed_title"]
    for index, want in enumerate(case.get("items", [])):
        _check_item(parsed.items[index], want, f"{name} item {index}")
    # invariants of every item of every fixture
    ids = [item.item_id for item in parsed.items]
    assert len(ids) == len(set(ids))
    for item in parsed.items:
        assert item.published_at.tzinfo is not None and item.published_at.utcoffset() is not None
        assert item.fetched_at.utcoffset() is not None
        assert item.title or item.summary or item.url
        assert len(item.title) <= MAX_TITLE and len(item.summary) <= MAX_SUMMARY
        assert "<" not in item.title
        assert item.url is None or item.url.startswith(("http://", "https://"))
        assert len(item.item_id) == 24 and len(item.content_hash) == 64


def test_ids_are_stable_across_runs_and_fetch_times() -> None:
    body = (FEEDS / "chinese_dates.xml").read_bytes()
    first = parse_feed("s", body, fetched_at=datetime(2026, 11, 28, tzinfo=UTC))
    later = parse_feed("s", body, fetched_at=datetime(2026, 12, 5, tzinfo=UTC))
    assert [i.item_id for i in first.items] == [i.item_id for i in later.items]


def test_guid_ids_are_namespaced_by_source_but_url_ids_are_global() -> None:
    cst = (FEEDS / "cst_dates.xml").read_bytes()  # every entry has a guid
    dates = (FEEDS / "chinese_dates.xml").read_bytes()  # no guids: ids come from URLs
    now = datetime(2026, 11, 28, tzinfo=UTC)
    assert {i.item_id for i in parse_feed("a", cst, fetched_at=now).items}.isdisjoint(
        i.item_id for i in parse_feed("b", cst, fetched_at=now).items
    )
    linked = [i for i in parse_feed("a", dates, fetched_at=now).items if i.url]
    assert [i.item_id for i in linked] == [
        i.item_id for i in parse_feed("b", dates, fetched_at=now).items if i.url
    ]


def test_entries_told_apart_only_by_fragment_stay_apart() -> None:
    body = b"""<rss version="2.0"><channel><title>c</title><link>https://blog.example/</link>
    <item><title>Re: post</title><link>https://blog.example/p/1#comment-1</link><description>first</description></item>
    <item><title>Re: post</title><link>https://blog.example/p/1#comment-2</link><description>second</description></item>
    </channel></rss>"""
    parsed = parse_feed("comments", body, fetched_at=datetime(2026, 11, 28, tzinfo=UTC))
    assert [i.summary for i in parsed.items] == ["first", "second"]
    assert {i.url for i in parsed.items} == {"https://blog.example/p/1"}


def test_guid_naming_the_channel_is_not_trusted() -> None:
    def feed(title: str) -> bytes:
        return (f'<rss version="2.0"><channel><title>c</title><link>https://bank.example/news/</link>'
                f"<item><title>{title}</title><guid>https://bank.example/news/</guid>"
                f"<link>https://bank.example/news/{len(title)}.html</link></item></channel></rss>").encode()

    now = datetime(2026, 11, 28, tzinfo=UTC)
    first = parse_feed("s", feed("明川银行公告"), fetched_at=now).items[0]
    second = parse_feed("s", feed("明川银行第二则公告"), fetched_at=now).items[0]
    assert first.item_id != second.item_id


def test_the_same_entry_listed_twice_keeps_its_guid_id() -> None:
    entry = ("<item><title>华信银行公告</title><guid>hx-1</guid>"
             "<link>https://bank.example/1.html</link></item>")
    once = f'<rss version="2.0"><channel><title>c</title>{entry}</channel></rss>'.encode()
    twice = f'<rss version="2.0"><channel><title>c</title>{entry}{entry}</channel></rss>'.encode()
    now = datetime(2026, 11, 28, tzinfo=UTC)
    [single] = parse_feed("s", once, fetched_at=now).items
    [collapsed] = parse_feed("s", twice, fetched_at=now).items
    assert single.item_id == collapsed.item_id and single.guid == "hx-1"


def test_big5_label_on_hkscs_text() -> None:
    """Hong Kong feeds label big5-hkscs as big5, the way mainland ones label GBK as gb2312."""
    title = "恒信銀行：分行今日照常營業，唔使擔心嘅"  # 嘅 is HKSCS, not Big5
    body = ('<?xml version="1.0" encoding="big5"?><rss version="2.0"><channel><title>恒信</title>'
            f"<item><title>{title}</title><link>https://hk.bank.example/1</link></item>"
            "</channel></rss>").encode("big5hkscs")
    parsed = parse_feed("hk", body, {"Content-Type": "text/xml; charset=big5"},
                        fetched_at=datetime(2026, 11, 28, tzinfo=UTC))
    assert [i.title for i in parsed.items] == [title] and not parsed.bozo


def test_zone_less_dates_follow_the_configured_zone() -> None:
    body = (FEEDS / "chinese_dates.xml").read_bytes()
    now = datetime(2026, 11, 28, 2, tzinfo=UTC)
    shanghai = parse_feed("s", body, tz="Asia/Shanghai", fetched_at=now).items[0]
    utc = parse_feed("s", body, tz="UTC", fetched_at=now).items[0]
    assert utc.published_at - shanghai.published_at == (datetime(2026, 1, 1, 8) - datetime(2026, 1, 1))


def test_unknown_zone_name_is_a_warning_not_an_exception() -> None:
    body = (FEEDS / "cst_dates.xml").read_bytes()
    parsed = parse_feed("s", body, tz="Mars/Olympus", fetched_at=datetime(2026, 11, 28, tzinfo=UTC))
    assert len(parsed.items) == 3 and parsed.warning and "Mars/Olympus" in parsed.warning


def test_long_fields_are_bounded() -> None:
    title = "明川银行" * 400
    summary = "<p>" + "华信银行公告。" * 5000 + "</p>"
    body = (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>'
        f"<item><title>{title}</title><link>https://x.example/1</link>"
        f"<description><![CDATA[{summary}]]></description></item></channel></rss>"
    ).encode()
    item = parse_feed("s", body, fetched_at=datetime(2026, 11, 28, tzinfo=UTC)).items[0]
    assert len(item.title) == MAX_TITLE and item.title.startswith("明川银行")
    assert len(item.summary) == MAX_SUMMARY


@pytest.mark.parametrize(
    ("body", "error"),
    [
        (b"", "empty body"),
        (b"[1, 2, 3]", "not an object"),  # JSON by content type, but not a JSON Feed
        (b'{"title": "x"}', "no JSON Feed 'items' list"),
    ],
)
def test_not_feeds_are_data(body: bytes, error: str) -> None:
    parsed = parse_feed("s", body, {"Content-Type": "application/json"}, fetched_at=datetime.now(UTC))
    assert parsed.items == () and parsed.error is not None and error in parsed.error


def test_runs_in_a_process_pool() -> None:
    """`fetch --workers N` runs parse_feed in worker processes, with a zone *name*."""
    body = (FEEDS / "gbk_mislabelled_gb2312.xml").read_bytes()
    now = datetime(2026, 11, 28, tzinfo=UTC)
    with ProcessPoolExecutor(max_workers=1) as pool:
        remote = pool.submit(parse_feed, "s", body, {"content-type": "text/xml; charset=gb2312"},
                             tz="Asia/Shanghai", fetched_at=now).result(timeout=60)
    local = parse_feed("s", body, {"content-type": "text/xml; charset=gb2312"}, fetched_at=now)
    assert remote == local
    assert pickle.loads(pickle.dumps(local)) == local


_FRAGMENTS = st.sampled_from([
    b'<?xml version="1.0" encoding="gb2312"?>', b'<?xml version="1.0"?>', b"<rss>", b"</rss>",
    b"<channel>", b"<item>", b"</item>", b"<title>", b"</title>", b"<feed xmlns='http://www.w3.org/2005/Atom'>",
    b"<entry>", b"<link>", b"<pubDate>", b"2026\xc4\xea11\xd4\xc227\xc8\xd5", b"CST", b"<![CDATA[",
    b"&amp;", b"&bogus;", b"\xef\xbb\xbf", b"\xff\xfe", b"{", b'"items": [', b"<html>", b"\x00",
    "明川银行".encode(), "张镕".encode("gbk"),
])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.binary(max_size=400), st.lists(st.one_of(_FRAGMENTS, st.binary(max_size=8)),
                                                   max_size=30).map(b"".join)),
       st.sampled_from([None, {"Content-Type": "text/xml; charset=gb2312"},
                        {"content-type": "application/json"}, {"Content-Type": "text/html"}]))
def test_never_raises(body: bytes, headers: dict[str, str] | None) -> None:
    parsed = parse_feed("fuzz", body, headers, fetched_at=datetime(2026, 11, 28, tzinfo=UTC))
    assert isinstance(parsed, ParsedFeed) and parsed.source_id == "fuzz"
    assert not (parsed.error and parsed.items)
