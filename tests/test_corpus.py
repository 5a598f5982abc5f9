"""parse_feed over third-party corpora in shared/data (skipped when that folder is absent).

* feedparser's own test corpus (2107 edge cases): every file parses without an exception.
* rss2email's real feed snapshots: the entry counts its README records.

Point ``REPORTGEN_SHARED_DATA`` at the ``data`` folder to use a copy elsewhere.
"""

from __future__ import annotations

import json
import os
import time
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

import pytest

from reportgen.ingest.parse import parse_feed
from reportgen.models import ParsedFeed


def _shared_data() -> Path:
    configured = os.environ.get("REPORTGEN_SHARED_DATA")
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parents[1].parent / "shared" / "data"


DATA = _shared_data()
FEEDPARSER_TESTS = DATA / "feedparser-tests"
RSS2EMAIL = DATA / "rss2email-test-data" / "data"
NOW = datetime(2026, 11, 28, 2, 0, tzinfo=UTC)
_NOT_FEEDS = {"README.md", "LICENSE", "manifest.jsonl"}


def _corpus_groups() -> dict[str, list[Path]]:
    """Files by folder (``wellformed/atom10``, ``encoding`` ...): one test per folder."""
    groups: dict[str, list[Path]] = defaultdict(list)
    if FEEDPARSER_TESTS.is_dir():
        for path in sorted(FEEDPARSER_TESTS.rglob("*")):
            if path.is_file() and path.name not in _NOT_FEEDS:
                groups[path.parent.relative_to(FEEDPARSER_TESTS).as_posix()].append(path)
    return dict(groups)


def _manifest_headers() -> dict[str, dict[str, str]]:
    manifest = FEEDPARSER_TESTS / "manifest.jsonl"
    if not manifest.is_file():
        return {}
    headers = {}
    for line in manifest.read_text("utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            headers[row["path"]] = {name: value for name, value in row.get("http_headers") or []}
    return headers


GROUPS = _corpus_groups()
HEADERS = _manifest_headers()
needs_feedparser_corpus = pytest.mark.skipif(
    not GROUPS, reason=f"feedparser test corpus not found at {FEEDPARSER_TESTS} (set REPORTGEN_SHARED_DATA)"
)
needs_rss2email = pytest.mark.skipif(
    not RSS2EMAIL.is_dir(), reason=f"rss2email test data not found at {RSS2EMAIL} (set REPORTGEN_SHARED_DATA)"
)


def _parse_corpus_file(path: Path) -> ParsedFeed:
    relative = path.relative_to(FEEDPARSER_TESTS).as_posix()
    return parse_feed(relative, path.read_bytes(), HEADERS.get(relative), fetched_at=NOW,
                      base_url="http://example.org/feed.xml")


@needs_feedparser_corpus
@pytest.mark.parametrize("group", sorted(GROUPS) or ["(absent)"])
def test_feedparser_corpus_never_raises(group: str) -> None:
    failures: list[str] = []
    for path in GROUPS[group]:
        name = path.relative_to(FEEDPARSER_TESTS).as_posix()
        try:
            parsed = _parse_corpus_file(path)
        except Exception as exc:  # the point of the test: report every file that raises
            failures.append(f"{name}: raised {type(exc).__name__}: {exc}")
            continue
        if parsed.error and parsed.error.startswith("parse failed"):
            failures.append(f"{name}: caught internally: {parsed.error}")  # a bug of ours, not the feed's
        if parsed.error and parsed.items:
            failures.append(f"{name}: error {parsed.error!r} with {len(parsed.items)} items")
        for item in parsed.items:
            if item.published_at.utcoffset() is None or (item.url and not item.url.startswith("http")):
                failures.append(f"{name}: bad item {item!r}")
    assert not failures, "\n".join(failures)


@needs_feedparser_corpus
def test_feedparser_corpus_is_quick() -> None:
    started = time.perf_counter()
    count = 0
    for paths in GROUPS.values():
        for path in paths:
            count += isinstance(_parse_corpus_file(path), ParsedFeed)
    elapsed = time.perf_counter() - started
    assert count > 2000
    assert elapsed < 60, f"{count} files took {elapsed:.1f}s"


@needs_feedparser_corpus
def test_feedparser_corpus_gb2312_without_declaration_reads_as_chinese() -> None:
    parsed = _parse_corpus_file(FEEDPARSER_TESTS / "illformed" / "chardet" / "gb2312.xml")
    assert [item.title for item in parsed.items] == ["不归移民漫画系列：专业工作"]


@needs_feedparser_corpus
def test_feedparser_corpus_json_feed() -> None:
    parsed = _parse_corpus_file(FEEDPARSER_TESTS / "json" / "example.json")
    assert parsed.error is None and parsed.feed_title == "My Example Feed"
    assert [item.url for item in parsed.items] == [
        "https://example.org/second-item", "https://example.org/initial-post"
    ]
    assert parsed.items[1].summary == "Hello, world!"  # <script> content dropped
    assert parsed.items[1].author == "you"


# Entry counts from the table in rss2email-test-data/README.md.
RSS2EMAIL_COUNTS = {
    "allthingsrss/feed.atom": 3,
    "bbc-chinese/feed.atom": 2,
    "disqus/feed.rss": 2,
    "fastmailstatus/feed.rss": 10,
    "gmane/feed.rss": 5,
    "nodejs/feed1.xml": 1,
    "nodejs/feed2.xml": 1,
    "nodejs/feed3.xml": 1,
    "quiltville/feed.atom": 25,
    "tails/feed.rss": 10,
    "tumblr/feed.rss": 20,
}


@needs_rss2email
def test_rss2email_table_covers_every_snapshot() -> None:
    found = {p.relative_to(RSS2EMAIL).as_posix() for p in RSS2EMAIL.glob("*/feed*")
             if p.suffix in (".atom", ".rss", ".xml")}
    assert found == set(RSS2EMAIL_COUNTS)


@needs_rss2email
@pytest.mark.parametrize(("name", "count"), sorted(RSS2EMAIL_COUNTS.items()))
def test_rss2email_feed_counts(name: str, count: int) -> None:
    parsed = parse_feed(name.split("/")[0], (RSS2EMAIL / name).read_bytes(), fetched_at=NOW)
    assert (parsed.error, parsed.bozo) == (None, False)
    assert len(parsed.items) == count
    assert all(not item.date_missing and not item.date_capped for item in parsed.items)


@needs_rss2email
def test_rss2email_bbc_chinese_matches_its_readme() -> None:
    parsed = parse_feed("bbc", (RSS2EMAIL / "bbc-chinese" / "feed.atom").read_bytes(), fetched_at=NOW)
    first, second = parsed.items
    assert first.title == "白宫提名艾伦为北约最高司令官"
    assert first.summary.startswith("美国白宫称，将提名驻阿富汗美军司令官约翰‧艾伦为北约最高司令官。")
    assert first.published_at == datetime(2013, 1, 23, 20, 40, 21, tzinfo=UTC)
    assert second.title == "国际货币基金组织称全球经济恢复放缓"
    assert second.published_at == datetime(2013, 1, 23, 20, 18, 24, tzinfo=UTC)
