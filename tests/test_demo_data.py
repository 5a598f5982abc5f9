"""The offline demo's generated feeds: formats, volume, syndication, the spike, and the config.

The feeds are read back with the standard library (ElementTree, json) rather than with our own
parser, so these tests say what is on the wire, independently of parse.py.
"""

from __future__ import annotations

import importlib.util
import json
import random
import re
import time
import tomllib
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from datetime import UTC, date, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from pathlib import Path
from statistics import mean
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import httpx
import pytest

from reportgen.config.core import CHANNELS, parse_config_text
from reportgen.demo.data import (
    DEMO_BANKS,
    DEMO_DAYS,
    STORY_TEMPLATES,
    DemoFeed,
    DemoItem,
    demo_config_toml,
    fill_story,
    find_feed,
    generate_demo_feeds,
    generate_demo_items,
)
from reportgen.demo.feedserver import FeedServer, Route
from reportgen.score.match import Matcher

SH = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 28, 7, 30, tzinfo=SH)  # a Saturday morning: the report covers Friday
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def feeds() -> list[DemoFeed]:
    return generate_demo_feeds(NOW)


@pytest.fixture(scope="module")
def items() -> list[DemoItem]:
    return generate_demo_items(NOW)


def entries(feed: DemoFeed) -> list[dict[str, str]]:
    """title, link, date, summary of every entry, read with the standard library only."""
    if "json" in feed.content_type:
        doc = json.loads(feed.body)
        assert doc["version"] == "https://jsonfeed.org/version/1.1"
        return [{"title": e["title"], "link": e["url"], "date": e["date_published"],
                 "summary": e["content_html"]} for e in doc["items"]]
    charset = feed.content_type.split("charset=")[1]
    root = ET.fromstring(feed.body.decode(charset))  # expat has no GBK decoder: decode first
    if root.tag == f"{ATOM}feed":
        return [{"title": e.findtext(f"{ATOM}title", ""), "link": e.find(f"{ATOM}link").get("href", ""),
                 "date": e.findtext(f"{ATOM}published", ""), "summary": e.findtext(f"{ATOM}summary", "")}
                for e in root.iter(f"{ATOM}entry")]
    assert root.tag == "rss" and root.get("version") == "2.0"
    return [{"title": e.findtext("title", ""), "link": e.findtext("link", ""),
             "date": e.findtext("pubDate", ""), "summary": e.findtext("description", "")}
            for e in root.iter("item")]


def read_date(text: str) -> datetime:
    """The demo's date styles, read the way Chinese feeds mean them (CST and no zone: +08:00)."""
    if re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", text):
        return datetime.fromisoformat(text).replace(tzinfo=SH)
    if re.match(r"\d{4}-\d\d-\d\dT", text):
        return datetime.fromisoformat(text)
    return parsedate_to_datetime(text.replace(" CST", " +0800"))


def normalize_title(title: str) -> str:
    """Strip syndication decorations: 【独家】, 突发！, 丨财经早知道, （附回应）, punctuation."""
    title = re.sub(r"【[^】]{1,4}】", "", title)
    title = re.sub(r"^\w{1,3}！", "", title)
    title = re.split(r"[丨｜|]|——", title)[0]
    title = re.sub(r"（[^）]*）", "", title)
    return re.sub(r"[\W_]+", "", title)


def plain(item: DemoItem) -> str:
    return item.title + " " + re.sub(r"<[^>]+>", " ", item.summary_html)


# --- determinism and shape --------------------------------------------------------------------------


def test_same_seed_and_now_give_identical_bytes(feeds: list[DemoFeed]) -> None:
    again = generate_demo_feeds(NOW)
    def key(fs: list[DemoFeed]) -> list[tuple[str, bytes, str]]:
        return [(f.path, f.body, f.content_type) for f in fs]

    assert key(again) == key(feeds)
    other_seed = generate_demo_feeds(NOW, seed=8)
    assert [f.body for f in other_seed] != [f.body for f in feeds]
    later = generate_demo_feeds(NOW + timedelta(days=1))
    assert [f.body for f in later] != [f.body for f in feeds]


def test_naive_now_is_rejected() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        generate_demo_feeds(datetime(2026, 11, 28, 8, 0))


def test_every_channel_and_format_is_present(feeds: list[DemoFeed]) -> None:
    assert 10 <= len(feeds) <= 12
    assert {f.channel for f in feeds} == set(CHANNELS)
    assert len({f.source_id for f in feeds}) == len({f.path for f in feeds}) == len(feeds)
    types = Counter(f.content_type.split(";")[0] for f in feeds)
    assert types["application/atom+xml"] >= 1
    assert types["application/feed+json"] >= 1
    assert types["application/rss+xml"] >= 6
    routes = {f.route for f in feeds}
    for route in ("/gov/nfra/931", "/cls/telegraph", "/eastmoney/search/银行", "/sina/finance/rollnews",
                  "/21caijing/channel/金融/银行", "/weibo/keyword/银行"):
        assert route in routes
    assert all(f.path.isascii() for f in feeds)  # the wire form is percent-encoded


def test_gbk_feed_is_really_gbk(feeds: list[DemoFeed]) -> None:
    gbk = [f for f in feeds if "gbk" in f.content_type.lower()]
    assert len(gbk) == 1
    body = gbk[0].body
    assert body.startswith(b'<?xml version="1.0" encoding="gbk"?>')
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    assert "银行" in body.decode("gbk")
    assert b"&#" not in body  # every character was representable, none became a reference


def test_every_feed_parses_and_carries_its_items(feeds: list[DemoFeed], items: list[DemoItem]) -> None:
    by_source = defaultdict(list)
    for it in items:
        by_source[it.source_id].append(it)
    for feed in feeds:
        got = entries(feed)
        mine = by_source[feed.source_id]
        assert len(got) == len(mine) >= 5, feed.source_id
        assert sorted(e["title"] for e in got) == sorted(it.title for it in mine)
        truth = {it.link: it.published_at for it in mine}
        for e in got:
            assert read_date(e["date"]) == truth[e["link"]], (feed.source_id, e["date"])
        dates = [read_date(e["date"]) for e in got]
        assert dates == sorted(dates, reverse=True), "feeds list newest first"


def test_date_styles_are_mixed(feeds: list[DemoFeed]) -> None:
    styles: dict[str, set[str]] = defaultdict(set)
    for feed in feeds:
        for e in entries(feed):
            d = e["date"]
            if d.endswith("+0800"):
                styles["rfc822 +0800"].add(feed.source_id)
            elif d.endswith(" CST"):
                styles["rfc822 CST"].add(feed.source_id)
            elif d.endswith(" GMT"):
                styles["rfc822 GMT"].add(feed.source_id)
            elif d.endswith("+08:00"):
                styles["iso +08:00"].add(feed.source_id)
            elif re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", d):
                styles["zone-less"].add(feed.source_id)
            else:
                pytest.fail(f"unexpected date {d!r} in {feed.source_id}")
    assert set(styles) == {"rfc822 +0800", "rfc822 CST", "rfc822 GMT", "iso +08:00", "zone-less"}
    assert len(styles["rfc822 CST"]) == 1  # deliberately one feed only


# --- volume -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("now", [
    NOW,
    datetime(2026, 11, 30, 0, 0, 1, tzinfo=SH),  # just after midnight on a Monday
    datetime(2027, 1, 1, 3, 0, tzinfo=UTC),
    datetime(2026, 3, 2, 12, 0, tzinfo=timezone(timedelta(hours=-5))),
])
def test_items_per_day_stay_in_range(now: datetime) -> None:
    items = generate_demo_items(now)
    today = now.astimezone(SH).date()
    per_day = Counter(it.local_date for it in items)
    full_days = [per_day[today - timedelta(days=k)] for k in range(1, DEMO_DAYS + 1)]
    assert all(30 <= n <= 80 for n in full_days), full_days
    assert 30 * DEMO_DAYS <= len(items) <= 80 * (DEMO_DAYS + 1)
    # five weeks: the weekly report has a previous week and a trend, the alerts a full baseline
    assert DEMO_DAYS >= 35 and min(per_day) == today - timedelta(days=DEMO_DAYS)
    assert all(it.published_at <= now for it in items)
    assert len({it.link for it in items}) == len(items)


def test_regulators_publish_on_working_days_only(items: list[DemoItem]) -> None:
    regulator = [it for it in items if it.source_id in ("nfra-penalties", "pboc-news")]
    assert len(regulator) >= 20
    assert all(it.local_date.weekday() < 5 and 8 <= it.published_at.hour < 20 for it in regulator)


# --- syndication and the spike ------------------------------------------------------------------------


def test_big_stories_are_reprinted_across_sources(feeds: list[DemoFeed]) -> None:
    groups: dict[str, list[str]] = defaultdict(list)
    for feed in feeds:
        for e in entries(feed):
            groups[normalize_title(e["title"])].append(feed.source_id)
    big = {title: sources for title, sources in groups.items()
           if len(sources) >= 5 and len(set(sources)) >= 3}
    assert len(big) >= 5, sorted(groups.items(), key=lambda kv: -len(kv[1]))[:5]
    assert any("工商银行手机银行突发故障" in title for title in big)


def test_reprints_share_a_story_and_edit_the_headline(items: list[DemoItem]) -> None:
    stories: dict[str, list[DemoItem]] = defaultdict(list)
    for it in items:
        stories[it.story_id].append(it)
    sizes = sorted((len(v) for v in stories.values()), reverse=True)
    assert sizes[0] >= 10 and sizes[4] >= 6
    decorated = [it.title for it in items if it.is_reprint and re.search(r"^【|^\w{1,3}！|[丨｜]", it.title)]
    assert len(decorated) >= 30
    outage = max(stories.values(), key=len)
    assert len({it.source_id for it in outage}) >= 6
    first = min(outage, key=lambda it: it.published_at)
    assert not first.is_reprint and all(it.is_reprint for it in outage if it is not first)


def test_yesterday_has_a_negative_spike_for_the_self_bank(items: list[DemoItem]) -> None:
    negatives = Counter((it.local_date, it.subject_bank_id) for it in items
                        if it.sentiment == "negative" and it.subject_bank_id)
    yesterday = NOW.date() - timedelta(days=1)
    top = max(DEMO_BANKS, key=lambda b: negatives[(yesterday, b.id)])
    assert top.id == "icbc" and top.role == "self"
    spike = negatives[(yesterday, "icbc")]
    baseline = [negatives[(yesterday - timedelta(days=k), "icbc")] for k in range(1, 14)]
    assert spike >= 20 and spike >= 3 * mean(baseline), (spike, baseline)
    # And it shows in the text itself, not only in the ground truth.
    outage_texts = [it for it in items if it.local_date == yesterday and re.search(r"工商银行|工行", it.title)
                    and re.search(r"故障|崩|无法登录", plain(it))]
    assert len(outage_texts) >= 15


# --- links and tricky texts ----------------------------------------------------------------------------


def test_links_are_fictional_unique_and_sometimes_tracked(feeds: list[DemoFeed]) -> None:
    links = [e["link"] for feed in feeds for e in entries(feed)]
    hrefs = [h for feed in feeds for e in entries(feed) for h in re.findall(r'href="([^"]+)"', e["summary"])]
    assert hrefs
    for url in links + hrefs:
        host = urlsplit(url).hostname or ""
        assert host.endswith((".invalid", ".example")), url
    canonical = [re.sub(r"[?&]utm_[^#]*|#.*$", "", url) for url in links]
    assert len(set(canonical)) == len(links)
    assert any("utm_source=" in url for url in links)
    assert any("#" in url for url in links)


def test_tricky_texts_are_present(items: list[DemoItem]) -> None:
    text = "\n".join(plain(it) for it in items)
    for phrase in ("中国银行业协会", "中国银行保险监督管理委员会", "中国银行间市场交易商协会",
                   "中国银行保险产品热销", "存管银行", "中國工商銀行", "ICBC", "China Construction Bank"):
        assert phrase in text, phrase
    english = [it for it in items if it.title.isascii()]
    assert any("ICBC" in it.title and "China Construction Bank" in it.title for it in english)
    bystanders = [it for it in items if "存管银行" in it.title]
    assert bystanders and all(it.bank_ids and it.subject_bank_id is None for it in bystanders)
    unrelated = [it for it in items if not it.bank_ids]
    assert len(unrelated) >= 40


def _reference_banks(text: str) -> set[str]:
    """Leftmost-longest alias matching with exclusions: what a correct simple matcher finds."""
    spans = []
    for bank in DEMO_BANKS:
        for term in (bank.name, *bank.aliases):
            spans += [(m.start(), m.end(), bank.id) for m in re.finditer(re.escape(term), text)]
    excluded = [(m.start(), m.end()) for bank in DEMO_BANKS for ex in bank.exclude
                for m in re.finditer(re.escape(ex), text)]
    found = set()
    for start, end, bank_id in spans:
        inside_longer = any(s <= start and end <= e and (e - s) > (end - start) for s, e, _ in spans)
        inside_excluded = any(s <= start and end <= e for s, e in excluded)
        if not inside_longer and not inside_excluded:
            found.add(bank_id)
    return found


def test_ground_truth_agrees_with_plain_matching_except_flagged_traps(items: list[DemoItem]) -> None:
    traps = [it for it in items if it.trap]
    assert len({it.template for it in traps}) >= 10
    for it in items:
        if not it.trap:
            assert _reference_banks(plain(it)) == set(it.bank_ids), (it.template, it.title)


def test_the_project_matcher_agrees_with_the_ground_truth(items: list[DemoItem], tmp_path: Path) -> None:
    config = parse_config_text(demo_config_toml("http://127.0.0.1:9"), tmp_path / "sources.toml")
    matcher = Matcher(config.banks)
    wrong = [(it.template, it.title) for it in items
             if not it.trap and {m.bank_id for m in matcher.find(plain(it))} != set(it.bank_ids)]
    assert wrong == []


@pytest.mark.parametrize("template", STORY_TEMPLATES, ids=lambda t: t.key)
def test_every_template_fills_cleanly(template) -> None:
    rng = random.Random(template.key)
    for _ in range(5):
        story = fill_story(template, rng, NOW)
        for text in (*story.titles, *story.summaries):
            assert "{" not in text and "}" not in text
        if template.banks not in ("none",):
            assert story.bank_ids


# --- config ---------------------------------------------------------------------------------------------


def test_demo_config_lists_every_feed_and_bank(feeds: list[DemoFeed], tmp_path: Path) -> None:
    base = "http://127.0.0.1:8765"
    text = demo_config_toml(base, database="sqlite:///x.db", output_dir="out")
    data = tomllib.loads(text)
    assert data["settings"]["timezone"] == "Asia/Shanghai"
    assert [s["id"] for s in data["sources"]] == [f.source_id for f in feeds]
    assert [s["url"] for s in data["sources"]] == [base + f.path for f in feeds]
    assert {s["channel"] for s in data["sources"]} == set(CHANNELS)
    banks = {b["id"]: b for b in data["banks"]}
    assert len(banks) == 12 and [b for b in banks if banks[b]["role"] == "self"] == ["icbc"]
    assert banks["icbc"]["aliases"][:4] == ["工商银行", "工行", "ICBC",
                                            "Industrial and Commercial Bank of China"]
    for name in ("中国银行业协会", "中国银行保险监督管理委员会", "中国银行间市场交易商协会",
                 "中国银行业监督管理委员会"):
        assert name in banks["boc"]["exclude"]
    config = parse_config_text(text, tmp_path / "sources.toml")  # the project's own validation
    assert len(config.sources) == len(feeds) and not config.warnings
    assert config.settings.database == "sqlite:///" + str((tmp_path / "x.db").resolve())


def test_feeds_are_served_at_the_config_urls(feeds: list[DemoFeed], tmp_path: Path) -> None:
    with FeedServer({f.path: Route(f.body, f.content_type) for f in feeds}) as server:
        config = parse_config_text(demo_config_toml(server.base_url), tmp_path / "sources.toml")
        with httpx.Client(timeout=5) as client:
            for source, feed in zip(config.sources, feeds, strict=True):
                response = client.get(config.source_url(source))
                assert response.status_code == 200, source.url
                assert response.content == feed.body
                assert response.headers["content-type"] == feed.content_type


def test_find_feed_accepts_both_spellings(feeds: list[DemoFeed]) -> None:
    assert find_feed(feeds, "/eastmoney/search/银行").source_id == "eastmoney-bank"
    assert find_feed(feeds, "/eastmoney/search/%E9%93%B6%E8%A1%8C?key=x").source_id == "eastmoney-bank"
    assert find_feed(feeds, "/nowhere") is None


def test_shorter_windows_work() -> None:
    items = generate_demo_items(NOW, days=3)
    assert {it.local_date for it in items} <= {NOW.date() - timedelta(days=k) for k in range(4)}
    assert min(it.local_date for it in items) == date(2026, 11, 25)


# --- benchmark workload ---------------------------------------------------------------------------------


def _workload_module():
    """benchmarks/ is not an installed package; load it from the checkout whatever sys.path is."""
    path = Path(__file__).resolve().parents[1] / "benchmarks" / "workload.py"
    spec = importlib.util.spec_from_file_location("reportgen_bench_workload", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_workload_is_deterministic_parseable_and_fast(tmp_path: Path) -> None:
    workload = _workload_module()
    generate_workload, workload_config_toml = workload.generate_workload, workload.workload_config_toml
    small = generate_workload(4, 12, seed=2)
    assert small == generate_workload(4, 12, seed=2)
    assert small != generate_workload(4, 12, seed=3)
    for source_id, body in small:
        root = ET.fromstring(body)
        assert len(root.findall("./channel/item")) == 12, source_id
    titles = [t.text or "" for _, body in small for t in ET.fromstring(body).iter("title")]
    assert sum("银行" in t for t in titles) >= 12
    start = time.perf_counter()
    big = generate_workload(200, 50, seed=3)
    assert time.perf_counter() - start < 2.0
    assert len(big) == 200 and len({sid for sid, _ in big}) == 200
    config = parse_config_text(workload_config_toml([sid for sid, _ in big]), tmp_path / "bench.toml")
    assert len(config.sources) == 200 and len(config.banks) == 12
