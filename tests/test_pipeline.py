"""End to end over real parts: local HTTP server → fetch → parse → match → SQLite → report/export.

Broken sources sit next to good ones: each must be recorded as failed with its reason while the
rest of the run goes on.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from reportgen.cli.app import cli
from reportgen.config.core import load_config
from reportgen.demo.feedserver import FeedServer, Route, Status
from reportgen.flow.pipeline import build_daily_report, run_fetch
from reportgen.store.db import Store

FEEDS = Path(__file__).parent / "feeds"
NOW = datetime(2026, 11, 28, 1, 0, tzinfo=UTC)  # 09:00 in Shanghai: the morning after 27 Nov

GOOD_RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>测试财经</title><link>https://news.example/</link>
<item><title>中国工商银行某支行因违规放贷被罚款50万元</title>
<link>https://news.example/a/1?utm_source=rss#top</link><guid>n-1</guid>
<pubDate>2026-11-27 10:30:00</pubDate><description>&lt;p&gt;据国家金融监督管理总局公布……&lt;/p&gt;</description></item>
<item><title>中国银行业协会发布年度报告</title><link>https://news.example/a/2</link><guid>n-2</guid>
<pubDate>Fri, 27 Nov 2026 11:00:00 CST</pubDate><description>行业数据</description></item>
<item><title>建行、工行下调部分存款利率</title><link>https://news.example/a/3</link><guid>n-3</guid>
<pubDate>2026年11月27日 23:30</pubDate><description>多家银行跟进。</description></item>
<item><title>ICBC opens new branch</title><link>https://news.example/a/4</link><guid>n-4</guid>
<pubDate>2026-11-28 00:30:00</pubDate><description>Next day in Shanghai.</description></item>
</channel></rss>
""".encode()

CONFIG = """
[settings]
timezone = "Asia/Shanghai"
output_dir = "out"
database = "sqlite:///r.db"
[rsshub]
base_url = "{base}"
access_key_env = "TEST_RSSHUB_KEY"
[[banks]]
id = "icbc"
name = "中国工商银行"
aliases = ["工商银行", "工行", "ICBC"]
role = "self"
[[banks]]
id = "boc"
name = "中国银行"
aliases = ["中行"]
exclude = ["中国银行业协会"]
[[banks]]
id = "ccb"
name = "中国建设银行"
aliases = ["建设银行", "建行"]
[[sources]]
id = "good"
name = "测试财经"
route = "/good"
channel = "online"
[[sources]]
id = "gbk"
name = "GBK 标成 gb2312"
url = "{base}/gbk"
channel = "print"
[[sources]]
id = "noenc"
name = "无编码声明的 GBK"
url = "{base}/noenc"
channel = "online"
[[sources]]
id = "gone"
name = "已下线"
url = "{base}/gone"
channel = "social"
[[sources]]
id = "html"
name = "返回网页"
url = "{base}/html"
channel = "regulator"
[[sources]]
id = "off"
name = "停用"
url = "{base}/off"
channel = "online"
enabled = false
"""


@pytest.fixture
def server():
    routes = {
        "/good": Route(GOOD_RSS),
        "/gbk": Route((FEEDS / "gbk_mislabelled_gb2312.xml").read_bytes(), "application/rss+xml; charset=gb2312"),
        "/noenc": Route((FEEDS / "no_encoding_gbk.xml").read_bytes(), "application/xml"),
        "/gone": Status(404),
        "/html": Route((FEEDS / "html_instead.html").read_bytes(), "text/html; charset=utf-8"),
    }
    with FeedServer(routes) as srv:
        yield srv


@pytest.fixture
def config_path(tmp_path, server, monkeypatch):
    monkeypatch.setenv("TEST_RSSHUB_KEY", "k-123")
    path = tmp_path / "sources.toml"
    path.write_text(CONFIG.format(base=server.base_url), encoding="utf-8")
    return path


def test_fetch_records_each_source_and_refetch_adds_nothing(config_path, server):
    config = load_config(config_path)
    first = run_fetch(config, now=NOW)
    by_id = {s.source_id: s for s in first.sources}
    assert set(by_id) == {"good", "gbk", "noenc", "gone", "html"}  # the disabled source is not fetched
    assert by_id["good"].status == "ok" and by_id["good"].item_count == 4
    assert by_id["gbk"].status == "ok" and by_id["gbk"].item_count > 0
    assert by_id["noenc"].status == "ok" and by_id["noenc"].item_count == 2
    assert by_id["gone"].status == "failed" and "404" in by_id["gone"].error
    assert by_id["html"].status == "failed" and "not a feed" in by_id["html"].error
    # a failure names the host that failed, first
    assert by_id["gone"].error.startswith("127.0.0.1: ") and by_id["html"].error.startswith("127.0.0.1: ")
    assert by_id["good"].error is None
    store = Store.open(config.settings.database)
    # the two GBK fixtures share an article URL, so one of their items is not new the second time
    assert 0 < first.items_new == store.table_counts()["items"] <= first.items_fetched
    with store.engine.connect() as conn:
        titles = {r[0] for r in conn.exec_driver_sql("select title from items")}
    assert "关于张镕同志任东岳农商银行行长的公告" in titles  # 镕 is outside gb2312: decoded as GB18030
    # the RSSHub route carried the key; the server saw it, the stored URL does not
    assert server.requests_to("/good")[0].query == "key=k-123"
    with store.engine.connect() as conn:
        urls = [r[0] for r in conn.exec_driver_sql("select url from sources")]
    assert not any("k-123" in (u or "") for u in urls)

    second = run_fetch(config, now=NOW)
    by_id2 = {s.source_id: s for s in second.sources}
    assert second.items_new == 0
    assert by_id2["good"].status == "not_modified" and by_id2["gbk"].status == "not_modified"
    assert "if-none-match" in server.requests_to("/good")[-1].headers
    assert by_id2["html"].status == "failed"  # a broken body is not cached as if it were fine
    assert store.table_counts()["items"] == first.items_new


def test_matching_dates_and_daily_window(config_path):
    config = load_config(config_path)
    run_fetch(config, now=NOW)
    store = Store.open(config.settings.database)
    start = datetime(2026, 11, 26, 16, 0, tzinfo=UTC)  # 27 Nov 00:00 in Shanghai
    rows = store.mention_rows(start, datetime(2026, 11, 27, 16, 0, tzinfo=UTC))
    good = {(r["title"], r["bank_id"]) for r in rows if r["source_id"] == "good"}
    assert good == {
        ("中国工商银行某支行因违规放贷被罚款50万元", "icbc"),
        ("建行、工行下调部分存款利率", "icbc"),
        ("建行、工行下调部分存款利率", "ccb"),
    }  # 中国银行业协会 is not Bank of China; the 00:30 item belongs to the next day
    first = next(r for r in rows if r["title"].startswith("中国工商银行某支行"))
    assert first["published_at"] == datetime(2026, 11, 27, 2, 30, tzinfo=UTC)  # zone-less = Shanghai
    assert first["url"] == "https://news.example/a/1"  # utm and fragment gone
    assert first["summary"] == "据国家金融监督管理总局公布……"


def test_cli_fetch_json_export_and_report(config_path, tmp_path):
    runner = CliRunner()
    result = runner.invoke(cli, ["--config", str(config_path), "fetch", "--json"])
    assert result.exit_code == 7, result.output  # some sources failed, the rest stored
    summary = json.loads(result.stdout)
    assert (summary["sources_ok"], summary["sources_failed"], summary["sources_not_modified"]) == (3, 2, 0)
    assert 0 < summary["items_new"] <= summary["items_fetched"]
    assert summary["items_matched"] >= 3

    result = runner.invoke(cli, ["--config", str(config_path), "export", "--format", "jsonl",
                                 "--since", "2026-11-27", "--until", "2026-11-27"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    good_rows = [r for r in rows if r["source"] == "good"]
    assert len(good_rows) == 3
    assert set(rows[0]) >= {"id", "bank", "source", "channel", "title", "url", "published_at"}
    assert good_rows[0]["published_at"] == "2026-11-27T10:30:00+08:00"

    result = runner.invoke(cli, ["--config", str(config_path), "export", "--format", "csv",
                                 "--since", "2026-11-27", "--until", "2026-11-27"])
    assert result.stdout.startswith("\ufeff")  # the byte order mark Excel needs to read UTF-8
    lines = result.stdout.removeprefix("\ufeff").splitlines()
    # the original columns keep their order; the judgement columns (issue 3) come after them
    assert lines[0].startswith("id,bank,bank_name,source,source_name,channel,title,url,published_at,")
    assert lines[0].endswith(",sentiment,sentiment_score,categories,reasons,event_id")
    assert all(r["sentiment"] in ("negative", "neutral", "positive") for r in rows)
    assert all(r["event_id"].startswith("ev-") for r in rows)
    assert len(lines) == len(rows) + 1

    out = tmp_path / "reports"
    result = runner.invoke(cli, ["--config", str(config_path), "report", "daily", "--date", "2026-11-27",
                                 "--out", str(out), "--format", "html"])
    assert result.exit_code == 0, result.output
    html = (out / "daily-2026-11-27.html").read_text(encoding="utf-8")
    assert "中国工商银行某支行因违规放贷被罚款50万元" in html
    assert "已下线" in html and "404" in html  # the failed source is in the health table
    assert "中国银行业协会发布年度报告" not in html


def test_all_sources_failing_exits_6(tmp_path):
    path = tmp_path / "sources.toml"
    path.write_text(
        '[settings]\ndatabase = "sqlite:///x.db"\n[[banks]]\nid = "icbc"\nname = "工行"\nrole = "self"\n'
        '[[sources]]\nid = "dead"\nurl = "http://127.0.0.1:9/none"\nchannel = "online"\n'
        '[fetch]\nretries = 0\nconnect_timeout_s = 1.0\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["--config", str(path), "fetch"])
    assert result.exit_code == 6
    assert "dead" in result.output


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils (pdftotext) not installed")
def test_daily_pdf_from_stored_items(config_path, tmp_path):
    config = load_config(config_path)
    run_fetch(config, now=NOW)
    result = build_daily_report(config, date(2026, 11, 27), now=NOW, out_dir=tmp_path / "r")
    text = subprocess.run(["pdftotext", str(result.paths["pdf"]), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "中国工商银行" in text and "中国建设银行" in text


def test_workers_give_the_same_store_as_one_process(tmp_path, server, monkeypatch):
    monkeypatch.setenv("TEST_RSSHUB_KEY", "k")
    contents = {}
    for workers in (1, 2):
        folder = tmp_path / f"w{workers}"
        folder.mkdir()
        (folder / "sources.toml").write_text(CONFIG.format(base=server.base_url), encoding="utf-8")
        config = load_config(folder / "sources.toml")
        summary = run_fetch(config, now=NOW, workers=workers)
        store = Store.open(config.settings.database)
        with store.engine.connect() as conn:
            items = sorted(conn.exec_driver_sql("select item_id, title, published_at from items").all())
            mentions = sorted(conn.exec_driver_sql("select item_id, bank_id, evidence from mentions").all())
        # Per source only the status: two fixtures (gbk, noenc) carry the same items, and which of them
        # stores a shared item first (and counts it as new) depends on which worker gets there first.
        contents[workers] = (items, mentions, summary.items_new, summary.items_matched,
                             sorted((s.source_id, str(s.status)) for s in summary.sources))
    assert contents[1] == contents[2]
    assert contents[1][0]  # not vacuously equal
