"""Hostile input at ingest (issue 14, audit B): what a feed or its server sends must not reorder the
report, shift a date, leak a secret, print a traceback, pass for an answer or drive the terminal.

- a headline that closes our bidi isolate itself (U+2069) and then overrides (U+202E) stays inside it;
- PHP's zero date (``-0001-11-30``) is a missing date, not feedparser's 2000-01-01;
- a route that echoes its request URL (the RSSHub key) or a secret header puts neither in the store;
- a bad redirect target, a bad port or a header httpx cannot send is one line, never a traceback, and
  what the config can say is said by ``config check``;
- a 304 to a request that was not conditional is a failure, not "nothing new";
- a reason phrase with terminal escapes reaches the log and the store as inert text.

Real parts only: FeedServer on 127.0.0.1, ``python -m reportgen.cli`` in a subprocess, SQLite files.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from html import escape
from pathlib import Path
from urllib.parse import quote, quote_plus, unquote

from reportgen.demo.feedserver import FeedServer, Redirect, RequestHandler, Route
from reportgen.ingest.fetch import fetch_all
from reportgen.ingest.parse import parse_feed
from reportgen.models import CacheValidators, FetchRequest, FetchStatus, isolated

from .conftest import cli_env, db_rows, pdf_text, reportgen

NOW = datetime(2026, 11, 28, 2, 0, tzinfo=UTC)
BANKS = '\n[[banks]]\nid = "cmb"\nname = "招商银行"\naliases = ["招行"]\nrole = "self"\n'


def _rss(*items: tuple[str, str, str | None], prefix: str = "n") -> bytes:
    entries = "".join(
        f"<item><title>{title}</title><link>https://news.example.cn/{prefix}/{i}</link><guid>{prefix}-{i}</guid>"
        + (f"<pubDate>{date}</pubDate>" if date else "") + f"<description>{summary}</description></item>"
        for i, (title, summary, date) in enumerate(items))
    return (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>{prefix}</title>'
            f"<link>https://news.example.cn/</link>{entries}</channel></rss>").encode()


def _config(folder: Path, sources: str, *, extra: str = "") -> Path:
    text = (f'[settings]\ntimezone = "Asia/Shanghai"\ndatabase = "sqlite:///r.db"\noutput_dir = "out"\n'
            f"[fetch]\ntimeout_s = 10\nretries = 0\n{extra}{sources}{BANKS}")
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "sources.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _source(source_id: str, url: str, headers: str = "") -> str:
    return (f'\n[[sources]]\nid = "{source_id}"\nname = "来源{source_id}"\nurl = "{url}"\nchannel = "online"\n'
            + (f"headers = {headers}\n" if headers else ""))


# --- B2: a headline cannot close the isolate it is set in -----------------------------------------

PDI, RLO, FSI = "\u2069", "\u202e", "\u2068"


def _closer_of_first_isolate(text: str) -> int | None:
    """Where the PDI that closes ``text``'s first isolate initiator is, paired as UAX #9 (BD9) pairs them."""
    depth = 0
    for at, ch in enumerate(text):
        if ch in "\u2066\u2067\u2068":
            depth += 1
        elif ch == PDI and depth:
            depth -= 1
            if depth == 0:
                return at
    return None


def test_a_stray_pop_isolate_cannot_end_the_isolate_early() -> None:
    for title in (f"招商银行系统故障{PDI}{RLO} 客户无法转账", f"{PDI}{PDI}{RLO}招商银行",
                  f"招商\u2067银行{PDI}{PDI}{RLO}x", f"a\u202a\u202bb\u202c\u202c\u202c{PDI}c"):
        shown = isolated(title)
        assert shown.startswith(FSI) and _closer_of_first_isolate(shown) == len(shown) - 1, ascii(shown)
        # and every embedding or override opened inside is closed inside
        inner = shown[1:-1]
        assert inner.count(RLO) + inner.count("\u202a") + inner.count("\u202b") == inner.count("\u202c"), ascii(shown)
    # what pairs up is kept as written
    assert isolated(f"x\u2066a{RLO}b\u202c{PDI}y") == f"{FSI}x\u2066a{RLO}b\u202c{PDI}y{PDI}"
    assert isolated("招商银行 普通消息") == "招商银行 普通消息"


def test_a_headline_that_closes_the_isolate_cannot_reorder_the_report(tmp_path: Path) -> None:
    title = f"招商银行系统故障{PDI}{RLO} 客户无法转账"
    feed = _rss((title, "招商银行 系统故障 客户无法转账", "Sat, 05 Dec 2026 10:00:00 +0800"), prefix="rtl")
    with FeedServer({"/rtl.xml": Route(feed)}) as server:
        config = _config(tmp_path, _source("rtl", server.url("/rtl.xml")))
        done = reportgen(config, "run", "daily", "--no-send", "--json", "--date", "2026-12-05")
    assert done.returncode == 0, done.stderr
    paths = json.loads(done.stdout)["report"]
    html = Path(paths["html"]).read_text(encoding="utf-8")
    for at in [i for i, ch in enumerate(html) if ch == RLO]:
        opened = html.rfind(FSI, 0, at)
        assert opened != -1, html[at - 80:at + 80]
        closed = opened + (_closer_of_first_isolate(html[opened:]) or 0)
        assert closed > at and "<" not in html[opened:closed], html[at - 80:at + 80]
    text = pdf_text(Path(paths["pdf"]))
    for words in ("首发于", "转载", "风险类别"):
        assert words in text and words[::-1] not in text, words


# --- B4: PHP's zero date is no date -----------------------------------------------------------------


def test_php_zero_dates_are_missing_not_the_year_2000() -> None:
    zero_dates = ["-0001-11-30T00:00:00+08:00", "-0001-11-30 00:00:00", "Wed, 30 Nov -0001 00:00:00 +0800",
                  "-00011130T000000Z"]  # the last one: no reader of ours knows it, feedparser reads 2000-01-01
    items = [(f"招商银行 零日期 {i}", "x", date) for i, date in enumerate(zero_dates)]
    parsed = parse_feed("s", _rss(*items, ("招商银行 正常", "x", "Fri, 27 Nov 2026 08:30:00 +0800")), {},
                        fetched_at=NOW)
    *zero, good = parsed.items
    assert [(i.published_at, i.date_missing) for i in zero] == [(NOW, True)] * len(zero_dates)
    assert (good.published_at, good.date_missing) == (datetime(2026, 11, 27, 0, 30, tzinfo=UTC), False)
    assert parsed.warning is not None and f"{len(zero_dates)} invalid dates read as missing" in parsed.warning


def test_a_date_feedparser_alone_reads_is_kept_when_it_says_that_year() -> None:
    parsed = parse_feed("s", _rss(("招商银行 周", "x", "2026-W48")), {}, fetched_at=NOW)  # ISO week: feedparser's
    assert parsed.items[0].date_missing is False and parsed.items[0].published_at.year == 2026


# --- B5: a route that echoes its request keeps no secret -----------------------------------------

KEY = "K3y+S/ecr=t&x"
TOKEN = "tok-Abc+123/xyz"


class EchoFeed(Route):
    """An RSSHub route (or a proxy's error feed) that quotes the URL and headers it was asked with."""

    def respond(self, h: RequestHandler) -> None:
        said = escape(f"{h.path} {unquote(h.path)} {h.headers.get('Authorization')}")
        body = (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>{said}</title>'
                f"<item><title>招商银行 {said}</title><link>https://news.example.cn/a?{escape(h.path)}</link>"
                f"<guid>{said}</guid><author>{said}</author><description>{said}</description>"
                f"<pubDate>Sat, 05 Dec 2026 10:00:00 +0800</pubDate></item></channel></rss>").encode()
        h.send_whole(200, body, [("Content-Type", "application/rss+xml; charset=utf-8")])


def test_an_echoed_access_key_or_header_secret_is_not_stored(tmp_path: Path) -> None:
    with FeedServer({"/echo": EchoFeed()}) as server:
        rsshub = f'[rsshub]\nbase_url = "{server.base_url}"\naccess_key_env = "ECHO_KEY"\n'
        sources = ('\n[[sources]]\nid = "echo"\nname = "echo"\nroute = "/echo"\nchannel = "online"\n'
                   + _source("auth", server.url("/echo"), f'{{ Authorization = "Bearer {TOKEN}" }}'))
        config = _config(tmp_path, sources, extra=rsshub)
        done = reportgen(config, "fetch", env=cli_env(ECHO_KEY=KEY))
        asked = [r.query for r in server.requests]
    assert done.returncode == 0, done.stderr
    assert any(quote_plus(KEY) in q for q in asked)  # the key was really sent
    stored = db_rows(tmp_path / "r.db", "SELECT title, summary, url, guid, author FROM items")
    assert len(stored) == 2 and all("***" in row[0] for row in stored)
    blob = (tmp_path / "r.db").read_bytes()
    for secret in (KEY, TOKEN):
        for form in {secret, quote(secret, safe=""), quote(secret), quote_plus(secret), quote(secret, safe="").lower()}:
            assert form.encode() not in blob, form


# --- B6: one line, never a traceback; config check says what it can --------------------------------


def test_a_redirect_to_a_host_idna_refuses_is_one_line(tmp_path: Path) -> None:
    good = _rss(("招商银行 消息", "x", "Sat, 05 Dec 2026 10:00:00 +0800"))
    with FeedServer({"/bad": Redirect("http://xn--a.example/"), "/good": Route(good)}) as server:
        config = _config(tmp_path, _source("bad", server.url("/bad")) + _source("good", server.url("/good")))
        done = reportgen(config, "fetch")
    assert done.returncode == 7, done.stderr  # some source failed
    assert "Traceback" not in done.stderr, done.stderr
    [(error,)] = db_rows(tmp_path / "r.db", "SELECT error FROM source_health WHERE source_id = 'bad'")
    assert "redirect to an invalid URL" in error and "IDNA" in error


def test_a_port_out_of_range_is_a_config_problem(tmp_path: Path) -> None:
    config = _config(tmp_path, _source("port", "http://127.0.0.1:99999/"))
    done = reportgen(config, "config", "check")
    assert done.returncode == 2 and "sources[0].url" in done.stderr and "65535" in done.stderr, done.stderr


def test_header_values_are_sent_encoded_or_refused_by_config_check(tmp_path: Path) -> None:
    feed = _rss(("招商银行 消息", "x", "Sat, 05 Dec 2026 10:00:00 +0800"))
    with FeedServer({"/feed": Route(feed)}) as server:
        config = _config(tmp_path / "url", _source("s", server.url("/feed"), '{ Referer = "https://weibo.com/搜索" }'))
        assert reportgen(config, "config", "check").returncode == 0
        done = reportgen(config, "fetch")
        [asked] = server.requests
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    assert asked.headers["referer"] == "https://weibo.com/%E6%90%9C%E7%B4%A2"  # as a browser sends it
    for value in ('"v\\r\\nX-Injected: 1"', '"银行"'):
        bad = _config(tmp_path / "bad", _source("s", "http://127.0.0.1:9/", f"{{ X-A = {value} }}"))
        done = reportgen(bad, "config", "check")
        assert done.returncode == 2 and "sources[0].headers.X-A" in done.stderr, done.stderr


def test_an_unsendable_header_fails_its_source_in_one_line(caplog) -> None:
    """A FetchRequest built in code, past the config's check: the source fails, the log has no traceback."""
    with FeedServer({"/feed": Route(_rss(("招商银行", "x", None)))}) as server, caplog.at_level(logging.DEBUG):
        url = server.url("/feed")
        [result] = fetch_all([FetchRequest("s", url, url, headers=(("Referer", "https://weibo.com/搜索"),))])
    assert result.status is FetchStatus.FAILED and result.error and "header Referer" in result.error
    assert "搜索" not in result.error  # a header value may be a credential: never shown
    assert not [r for r in caplog.records if r.exc_info and r.levelno >= logging.INFO]


# --- B8: a 304 nobody asked for --------------------------------------------------------------------


class Always304(Route):
    """A server or cache that says "not modified" to everything (and, as a 304 must, sends no body)."""

    def respond(self, h: RequestHandler) -> None:
        h.send_head(304, [("Content-Length", "0")])


def test_a_304_to_an_unconditional_request_is_a_failure() -> None:
    with FeedServer({"/always304": Always304()}) as server:
        url = server.url("/always304")
        plain, conditional = fetch_all([
            FetchRequest("plain", url, url),
            FetchRequest("conditional", url, url, validators=CacheValidators(etag='"v1"')),
        ])
    assert plain.status is FetchStatus.FAILED and plain.error and "unconditional" in plain.error
    assert conditional.status is FetchStatus.NOT_MODIFIED and conditional.error is None


def test_sources_that_always_answer_304_make_the_data_incomplete(tmp_path: Path) -> None:
    good = _rss(("招商银行 消息", "x", "Sat, 05 Dec 2026 10:00:00 +0800"))
    with FeedServer({"/good": Route(good), "/always304": Always304()}) as server:
        sources = _source("good", server.url("/good")) + "".join(
            _source(f"n{i}", server.url(f"/always304?{i}")) for i in range(4))
        config = _config(tmp_path, sources)
        done = reportgen(config, "run", "daily", "--no-send", "--json", "--date", "2026-12-05")
    assert done.returncode == 10, done.stderr  # 数据采集异常: too few sources answered
    failed = db_rows(tmp_path / "r.db", "SELECT source_id, error FROM source_health WHERE status = 'failed'")
    assert sorted(s for s, _ in failed) == ["n0", "n1", "n2", "n3"]
    assert all("unconditional" in str(error) for _, error in failed), failed


# --- B9: terminal escapes in a reason phrase ----------------------------------------------------------

ESCAPES = b"\x1b[2J\x1b[1;32mALL SOURCES OK\x1b[0m\x07"


class EscapeReason(Route):
    def respond(self, h: RequestHandler) -> None:
        h.wfile.write(b"HTTP/1.1 599 " + ESCAPES + b"\r\nContent-Length: 0\r\n\r\n")


class EscapeEncoding(Route):
    def respond(self, h: RequestHandler) -> None:
        h.send_whole(200, b"<rss/>", [("Content-Encoding", "\x1b[31mevil\x1b[0m")])


def test_control_characters_from_a_server_reach_neither_the_log_nor_the_store(tmp_path: Path) -> None:
    with FeedServer({"/reason": EscapeReason(), "/encoding": EscapeEncoding()}) as server:
        config = _config(tmp_path, _source("reason", server.url("/reason")) + _source("enc", server.url("/encoding")))
        done = reportgen(config, "fetch")
    assert done.returncode == 6, done.stderr  # every source failed
    assert "\x1b" not in done.stderr and "\x07" not in done.stderr, ascii(done.stderr)
    errors = dict(db_rows(tmp_path / "r.db", "SELECT source_id, error FROM source_health"))
    assert set(errors) == {"reason", "enc"}
    for error in errors.values():
        assert error and error.isprintable() and "\\x1b" in error, ascii(error)
    assert "HTTP 599" in errors["reason"] and "Content-Encoding" in errors["enc"]


def test_only_secret_looking_cookie_values_are_cut_out_of_feed_text():
    """A cookie's value is cut out of what a feed echoes only when it is a session/token cookie or a long opaque
    value: `site=icbc` must not erase ICBC from every headline (the bank's mentions would be lost)."""
    from reportgen.ingest.fetch import request_secrets
    from reportgen.models import FetchRequest

    req = FetchRequest("s", "https://rsshub.example/weibo", "https://rsshub.example/weibo", headers=(
        ("Cookie", "site=icbc; lang=zh-CN; sid=c-123456; tracking=8f3a9c0d4e5b6a7f9e8d"),))
    secrets = request_secrets(req)
    assert "icbc" not in secrets and "zh-CN" not in secrets
    assert "c-123456" in secrets and "8f3a9c0d4e5b6a7f9e8d" in secrets
