"""The briefing's HTML: structure (read with a parser), escaping, self-containment, languages,
page 1's content, templates and overrides, and the renderer's refusal to fetch from the network.

The PDF itself is checked in test_briefing_pdf.py; the golden files in test_golden.py.
"""

from __future__ import annotations

import dataclasses
import http.server
import logging
import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from briefing_data import FAILED_SOURCE_ERROR, HOSTILE_TITLE, JS_URL, SELF, make_report, quiet_report

from reportgen.errors import RenderError
from reportgen.report.render import (
    RemoteResourceRefused,
    local_only_url_fetcher,
    render_html,
    render_report,
    report_context,
    safe_url,
    template_dirs,
    write_pdf,
)

SECTIONS = ["summary", "trend", "channels", "banks", "events", "negatives", "incidents", "hot-terms", "positive",
            "alerts", "categories", "sources",
            "method"]
FONT_STACK = '"Noto Sans CJK SC", "Noto Sans CJK", "Source Han Sans SC", sans-serif'


class Page(HTMLParser):
    """The parts of a rendered report the tests look at."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.sections: list[str] = []
        self.h2: list[str] = []
        self.srcs: list[str] = []
        self.hrefs: list[str] = []
        self.tags: list[str] = []
        self.text: list[str] = []
        self._in_h2 = False
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags.append(tag)
        if tag == "section" and a.get("id"):
            self.sections.append(a["id"] or "")
        if tag == "h2":
            self._in_h2 = True
            self.h2.append("")
        if "src" in a:
            self.srcs.append(a["src"] or "")
        if "href" in a:
            self.hrefs.append(a["href"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "h2":
            self._in_h2 = False

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._in_h2:
            self.h2[-1] += data


@pytest.fixture(scope="module")
def zh_html() -> str:
    return render_html(make_report())


@pytest.fixture(scope="module")
def en_html() -> str:
    return render_html(make_report("en"))


@pytest.fixture(scope="module")
def weekly_html() -> str:
    return render_html(make_report("zh", "weekly"))


# --- structure ------------------------------------------------------------------------------------


@pytest.mark.parametrize("fixture", ["zh_html", "en_html", "weekly_html"])
def test_every_section_is_there_in_order(fixture: str, request: pytest.FixtureRequest) -> None:
    page = Page(request.getfixturevalue(fixture))
    assert page.sections == SECTIONS
    assert len(page.h2) == len(SECTIONS)


def test_chinese_section_titles(zh_html: str) -> None:
    assert Page(zh_html).h2 == ["舆情概况", "舆情走势", "媒体分布", "同业对比", "热点事件", "负面舆情",
                                "事件研判与脉络", "热词", "正面传播", "预警与处置建议", "风险类别分布", "数据来源状态",
                                "口径说明"]


def test_html_is_self_contained(zh_html: str, weekly_html: str) -> None:
    for html, charts in ((zh_html, 4), (weekly_html, 5)):  # the trend, channel, bank and spread charts
        page = Page(html)
        assert "link" not in page.tags and "script" not in page.tags and "iframe" not in page.tags
        assert len(page.srcs) == charts
        assert all(src.startswith("data:image/svg+xml;base64,") for src in page.srcs)
        # the only links are the items' own http(s) links
        assert page.hrefs and all(re.match(r"^https?://", href) for href in page.hrefs), page.hrefs
        assert f"font-family: {FONT_STACK};" in html
        assert not re.search(r"url\(\s*['\"]?(https?:)?//", html)  # no remote CSS resource


def test_feed_text_is_escaped(zh_html: str) -> None:
    assert HOSTILE_TITLE not in zh_html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in zh_html
    assert "<script" not in zh_html.lower()
    assert "javascript:" not in zh_html.lower()
    assert JS_URL not in zh_html


def test_hostile_title_is_text_in_its_cell(zh_html: str) -> None:
    page = Page(zh_html)
    assert HOSTILE_TITLE in "".join(page.text)  # shown to the reader as the literal text
    assert "https://news.example.com/a/0.html" in page.hrefs


# --- page 1 ---------------------------------------------------------------------------------------


def test_kpi_cards(zh_html: str) -> None:
    summary = zh_html.split('<section class="trend"')[0]
    for label in ("本行信息量", "负面", "声量占比", "预警级别"):
        assert f'<p class="kpi-label">{label}</p>' in summary
    assert '<p class="kpi-value">7</p>' in summary
    assert '<p class="kpi-value">3</p>' in summary
    assert '<p class="kpi-value">35.0%</p>' in summary
    # the most severe of the bank's own alerts (二级 over 三级), with its colour in words and in the markup
    assert '<p class="kpi-value">二级</p>' in summary
    assert 'kpi-level level-orange' in summary and "橙色预警" in summary
    assert "较上期 +2（+40.0%）" in summary
    assert "5 家银行中居第 1 位" in summary


def test_overview_paragraph_is_written_from_the_figures(zh_html: str) -> None:
    text = re.sub(r"<[^>]+>", "", re.search(r'<p class="overview">(.*?)</p>', zh_html, re.S).group(1))  # type: ignore[union-attr]
    assert text.startswith(f"本期共监测到涉及{SELF}的信息 7 条，较上期增加 2 条（+40.0%）；其中负面 3 条，占 42.9%")
    assert "全部 5 家监测银行相关信息共 20 条，其中负面 8 条；本行声量占比 35.0%，居第 1 位。" in text
    assert "热度最高的事件为“工商银行客户经理涉嫌倒卖客户个人信息被立案”，首发于东方财富，转载 12 次。" in text
    assert "本期本行 2 起事件触发预警，最高为二级（橙色）" in text


def test_top_three_events_with_their_actions(zh_html: str) -> None:
    summary = zh_html.split('<section class="trend"')[0]
    assert summary.count('<li class="top') == 3
    leak, queue, rate = (summary.index(t) for t in ("倒卖客户个人信息", "排队时间过长", "下调部分期限存款"))
    assert leak < queue < rate  # the bank's own events, hottest first
    # each with an action line: the alert's playbook steps and owner, else a default; the bank responded
    # to the leak at 13:00, so its line follows the response instead of asking for one (2 小时内发布情况说明)
    assert "已于13:00回应：跟踪回应后的舆论反应，必要时补充说明；配合公安机关调查，通知受影响客户" in summary
    assert "2 小时内发布情况说明" not in summary
    assert "（责任部门：信息科技部、消费者权益保护部）" in summary
    assert "持续关注，暂无需处置。" in summary
    assert "本期未监测到重大负面舆情" not in summary


def test_an_incidents_alert_sets_its_action_line_and_the_data_the_others() -> None:
    # page 1 and 预警与处置建议 name the same playbook and owner for an incident; a negative event without
    # an alert takes its category's line from the data; a neutral one never gets a playbook line
    report = dataclasses.replace(make_report(), event_playbook={"ev-leak": (("立即启动应急预案",), "办公室"),
                                                                "ev-hostile": (("核实损失情况", "启动内部调查"),
                                                                               "运营管理部"),
                                                                "ev-rate": (("持续关注利率调整反应",), "个人金融部")})
    context = report_context(report, with_charts=False)
    entries = context["top_entries"]
    assert entries[0].action == "已于13:00回应：跟踪回应后的舆论反应，必要时补充说明；配合公安机关调查，通知受影响客户"
    assert entries[0].owner == "信息科技部、消费者权益保护部"
    assert [e.action for e in entries if "下调部分期限存款" in e.title] == ["持续关注，暂无需处置。"]
    hostile = next(e for e in report.events if e.event_id == "ev-hostile")
    assert context["b"].event_action(hostile) == ("核实损失情况；启动内部调查", "运营管理部")


def test_once_the_bank_has_responded_the_action_line_no_longer_asks_for_a_response() -> None:
    # an executive reading "2小时内核实情况，统一对外口径并快速回应" under an incident the bank answered at
    # 13:00 would think the desk had missed it: the line says when it responded and what comes next
    report = make_report()
    leak = next(e for e in report.events if e.event_id == "ev-leak")
    no_alert = dataclasses.replace(
        report, alerts=(),
        event_playbook={"ev-leak": (("2小时内核实情况，统一对外口径并快速回应", "启动内部调查，查明原因和责任",
                                     "完善制度流程，加强内部管理"), "法律合规部")})
    action, owner = report_context(no_alert, with_charts=False)["b"].event_action(leak)
    assert (action, owner) == ("已于13:00回应：跟踪回应后的舆论反应，必要时补充说明；启动内部调查，查明原因和责任",
                               "法律合规部")
    # no response traced: the playbook's line, first step included
    unanswered = dataclasses.replace(no_alert, incidents=())
    assert report_context(unanswered, with_charts=False)["b"].event_action(leak) == (
        "2小时内核实情况，统一对外口径并快速回应；启动内部调查，查明原因和责任", "法律合规部")
    en = report_context(dataclasses.replace(no_alert, language="en"), with_charts=False)["b"].event_action(leak)
    assert en[0].startswith("Responded at 13:00: watch how the response is received")


def test_quiet_day_says_so_explicitly() -> None:
    html = render_html(quiet_report())
    summary = html.split('<section class="trend"')[0]
    assert "本期未监测到重大负面舆情。" in summary
    assert '<p class="kpi-value">无</p>' in summary
    en = render_html(quiet_report("en"))
    assert "No major negative coverage was found in this period." in en


def test_a_day_without_coverage() -> None:
    empty = dataclasses.replace(quiet_report(), total_items=0, items=(), events=(), channels=(), categories=(),
                                negative_total=0)
    html = render_html(empty)
    assert "本期未监测到相关舆情。" in html and "本期未监测到重大负面舆情。" in html
    assert "本期无负面信息。" in html and "本期无聚合事件。" in html


def test_without_events_page_one_lists_the_negative_items() -> None:
    html = render_html(dataclasses.replace(make_report(), events=()))
    summary = html.split('<section class="trend"')[0]
    assert "重点关注的负面信息" in summary
    assert summary.count('<li class="top') == 3
    assert "倒卖客户个人信息" in summary


def test_incomplete_sources_warned_on_page_one(zh_html: str) -> None:
    summary = zh_html.split('<section class="trend"')[0]
    assert "注意：有 2 个数据来源抓取失败或未抓取，本期结果可能不完整。" in summary


# --- the other sections ---------------------------------------------------------------------------


def test_negative_items_list(zh_html: str) -> None:
    negatives = zh_html.split('id="negatives"')[1].split("</section>")[0]
    assert negatives.count('<td class="time">') == 6
    assert "依据：倒卖、立案" in negatives
    assert "中国工商银行 · 客户信息泄露、违规/监管处罚" in negatives
    assert negatives.count('<span class="flag">时间未知</span>') == 1
    assert "按抓取时间计入" in negatives


def test_alerts_with_actions_and_owner(zh_html: str) -> None:
    alerts = zh_html.split('id="alerts"')[1].split("</section>")[0]
    assert alerts.count('<div class="alert level-') == 3
    assert "客户信息泄露类负面 2 条，高于近 28 日基线 0.3 条" in alerts
    assert "<li>排查客户信息访问权限</li>" in alerts
    assert "责任部门：信息科技部、消费者权益保护部" in alerts


def test_source_health_lists_failed_never_and_empty(zh_html: str) -> None:
    sources = zh_html.split('id="sources"')[1].split("</section>")[0]
    assert "数据来源：正常 11，未更新 1，失败 1，未抓取 1，无内容 1" in sources
    assert FAILED_SOURCE_ERROR in sources
    for status in ("失败", "未抓取", "无内容"):
        assert f'<td class="status">{status}</td>' in sources
    assert "东方财富" not in sources  # a healthy source is not listed


def test_a_source_that_answered_with_a_warning_is_listed_with_it() -> None:
    """A partial failure (a truncated body, unreadable dates) must reach the reader, not only the logs."""
    report = make_report("zh")
    warned = dataclasses.replace(report.source_health[0], warning="body ends inside a UTF-8 character: truncated "
                                                                   "download?")
    report = dataclasses.replace(report, source_health=(warned, *report.source_health[1:]))
    sources = render_html(report).split('id="sources"')[1].split("</section>")[0]
    row = sources.split("东方财富")[1].split("</tr>")[0]
    assert '<td class="status">正常</td>' in row and "truncated download?" in row


def test_weekly_adds_week_over_week_and_each_banks_events(weekly_html: str) -> None:
    assert "银行舆情周报" in weekly_html and "2024年第21周（5月20日—5月26日）" in weekly_html
    assert "周度对比" in weekly_html and "本周" in weekly_html and "上周" in weekly_html
    assert "各行本周热点事件" in weekly_html
    banks = weekly_html.split('id="banks"')[1].split("</section>")[0]
    assert banks.count("<th class=\"num\">变化</th>") == 2  # the league table's week-over-week columns
    assert "+2（+40.0%）" in banks
    assert "近 8 周信息量走势" in weekly_html


def test_english_variant(en_html: str) -> None:
    assert '<html lang="en">' in en_html
    assert Page(en_html).h2 == ["Executive summary", "Trend", "Channel mix", "Peer comparison", "Hot events",
                                "Negative coverage", "Incident assessment and timeline", "Hot terms",
                                "Positive coverage", "Alerts and recommended actions", "Risk categories",
                                "Source status", "Method notes"]
    assert "In this period we found <strong>7</strong> items mentioning 中国工商银行, 2 more than the previous " \
           "period (+40.0%)" in en_html
    assert "Monday, May 20, 2024" in en_html
    for zh in ("舆情概况", "数据来源状态", "内部资料", "较上期", "处置建议", "负面舆情"):  # (alert reasons are data)
        assert zh not in en_html


def test_dates_and_numbers_follow_the_locale(zh_html: str, en_html: str) -> None:
    assert "2024年5月20日星期一" in zh_html
    assert "Monday, May 20, 2024" in en_html
    assert "Level 2" in en_html and "二级" in zh_html


def test_same_data_same_bytes_and_no_wall_clock(zh_html: str) -> None:
    """Rendered again, later: byte for byte the same (the golden files check it across processes)."""
    later = dataclasses.replace(make_report(), generated_at=datetime(2030, 1, 2, 3, 4, tzinfo=ZoneInfo("UTC")))
    assert render_html(later) == zh_html


# --- errors ---------------------------------------------------------------------------------------


def test_unknown_language_is_a_render_error() -> None:
    with pytest.raises(RenderError, match="language"):
        render_html(dataclasses.replace(make_report(), language="fr"))


def test_naive_datetime_is_a_render_error() -> None:
    report = make_report()
    naive = dataclasses.replace(report.items[0], published_at=datetime(2024, 5, 20, 9, 0))
    with pytest.raises(RenderError, match="naive datetime"):
        render_html(dataclasses.replace(report, items=(naive, *report.items[1:])))


def test_item_times_are_shown_in_the_report_zone() -> None:
    report = make_report()
    utc_item = dataclasses.replace(report.items[0], published_at=datetime(2024, 5, 20, 1, 30, tzinfo=ZoneInfo("UTC")))
    late = dataclasses.replace(utc_item, item_id="late",
                               published_at=datetime(2024, 5, 20, 16, 5, tzinfo=ZoneInfo("UTC")))
    html = render_html(dataclasses.replace(report, items=(utc_item, late)))
    assert '<td class="time">09:30</td>' in html
    assert '<td class="time">05-21 00:05</td>' in html


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.example.com/a?b=1", "https://www.example.com/a?b=1"),
        ("http://example.com", "http://example.com"),
        ("HTTPS://EXAMPLE.COM/", "HTTPS://EXAMPLE.COM/"),
        (JS_URL, None),
        ("JavaScript:alert(1)", None),
        ("java\tscript:alert(1)", None),
        ("data:text/html,<b>x</b>", None),
        ("//example.com/x", None),
        ("/relative/path", None),
        ("https://", None),
        ("https://exa mple.com/", None),
        ("", None),
        (None, None),
    ],
)
def test_safe_url(url: str | None, expected: str | None) -> None:
    assert safe_url(url) == expected


# --- templates ------------------------------------------------------------------------------------


def test_template_dirs_put_overrides_first(tmp_path: Path) -> None:
    dirs = template_dirs([tmp_path])
    assert dirs[0] == tmp_path.resolve()
    for name in ("daily.html", "weekly.html", "briefing.html", "base.html", "report.css"):
        assert (dirs[-1] / name).is_file()


def test_templates_found_from_another_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert "数据来源状态" in render_html(make_report())
    assert template_dirs()[-1].is_absolute()


def test_override_one_block_of_one_report(tmp_path: Path) -> None:
    (tmp_path / "daily.html").write_text(
        '{% extends "briefing.html" %}{% block categories %}<p>OUR-OWN-CATEGORIES</p>{% endblock %}',
        encoding="utf-8")
    daily = render_html(make_report(), extra_template_dirs=[tmp_path])
    assert "OUR-OWN-CATEGORIES" in daily and "风险类别分布" not in daily
    weekly = render_html(make_report("zh", "weekly"), extra_template_dirs=[tmp_path])
    assert "OUR-OWN-CATEGORIES" not in weekly and "风险类别分布" in weekly


def test_broken_override_is_a_render_error(tmp_path: Path) -> None:
    (tmp_path / "daily.html").write_text('{% extends "base.html" %}{% block content %}{% if %}{% endblock %}')
    with pytest.raises(RenderError, match="daily.html"):
        render_html(make_report(), extra_template_dirs=[tmp_path])


def test_render_report_names_and_formats(tmp_path: Path) -> None:
    paths = render_report(make_report(), tmp_path, formats=("html",))
    assert paths == {"html": tmp_path / "daily-2024-05-20.html"}
    assert not list(tmp_path.glob("*.pdf"))
    assert render_report(make_report("en"), tmp_path, formats=("html",))["html"].name == "daily-2024-05-20-en.html"
    weekly = render_report(make_report("zh", "weekly"), tmp_path, formats=("html",))
    assert weekly["html"].name == "weekly-2024-W21.html"


# --- no network from the renderer -----------------------------------------------------------------

# 1×1 grey PNG
PIXEL = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNoAAAAggCBd81ytgAAAABJRU5ErkJggg=="


@pytest.fixture
def counting_server() -> Iterator[tuple[str, list[str]]]:
    """A real HTTP server on 127.0.0.1 that records every request it gets."""
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            hits.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", hits
    finally:
        server.shutdown()
        server.server_close()


def test_remote_image_in_feed_text_or_template_is_never_fetched(
    tmp_path: Path, counting_server: tuple[str, list[str]], caplog: pytest.LogCaptureFixture
) -> None:
    base, hits = counting_server
    # Feed text with markup is escaped, so it cannot become an <img> at all ...
    report = make_report()
    sneaky = dataclasses.replace(report.items[0], title=f'<img src="{base}/feed.png">')
    html = render_html(dataclasses.replace(report, items=(sneaky, *report.items[1:])))
    assert f'<img src="{base}' not in html
    # ... and a template override that asks for a remote image is refused by the PDF renderer.
    overrides = tmp_path / "templates"
    overrides.mkdir()
    (overrides / "daily.html").write_text(
        '{% extends "base.html" %}{% block content %}'
        "<p>OVERRIDE-MARKER</p>"
        f'<img src="{base}/x.png" alt="">'
        '<img src="http://127.0.0.1:1/x.png" alt="">'
        f'<img src="data:image/png;base64,{PIXEL}" alt="">'
        "{% endblock %}",
        encoding="utf-8",
    )
    html = render_html(make_report(), extra_template_dirs=[overrides])
    assert "OVERRIDE-MARKER" in html and "内部资料 注意保密" in html  # base.html still the shipped one
    with caplog.at_level(logging.WARNING, logger="reportgen.report.render"):
        pdf = write_pdf(html, tmp_path / "out" / "override.pdf")
    assert pdf.read_bytes().startswith(b"%PDF-")
    assert hits == []
    refused = [r.getMessage() for r in caplog.records if r.name == "reportgen.report.render"]
    assert any(f"{base}/x.png" in m for m in refused), refused
    assert any("http://127.0.0.1:1/x.png" in m for m in refused), refused
    assert not any(m.startswith("refused to fetch data:") for m in refused), refused
    pdfimages = shutil.which("pdfimages")
    if pdfimages:  # the data: pixel was loaded and embedded
        listing = subprocess.run([pdfimages, "-list", str(pdf)], capture_output=True, text=True, check=True)
        assert len(listing.stdout.splitlines()) == 3, listing.stdout  # two header lines + one image


def test_fetcher_refuses_remote_and_serves_local(tmp_path: Path) -> None:
    fetcher = local_only_url_fetcher()
    for url in ("http://127.0.0.1:1/x.png", "https://example.com/x.css", "ftp://example.com/x"):
        with pytest.raises(RemoteResourceRefused):
            fetcher.fetch(url)
    assert fetcher.fetch("data:text/plain;base64,b2s=").read() == b"ok"
    local = tmp_path / "a.css"
    local.write_text("p{}", encoding="utf-8")
    assert local_only_url_fetcher().fetch(local.as_uri()).read() == b"p{}"


def test_hot_events_table_is_capped_but_page_one_sees_every_event() -> None:
    report = make_report()
    # make the bank's own negative queue event the coolest, below the listed two
    events = tuple(dataclasses.replace(e, heat=1.0) if e.event_id == "ev-queue" else e for e in report.events)
    events = tuple(sorted(events, key=lambda e: -e.heat))
    html = render_html(dataclasses.replace(report, events=events, hot_events_max=2))
    table = html.split('id="events"')[1].split("</section>")[0]
    assert table.count('<td class="num">') == 3 * 2  # rank, reprints, heat for two events
    summary = html.split('<section class="trend"')[0]
    assert "多地储户投诉网点排队时间过长" in summary  # still the bank's second negative event on page 1


def test_peer_tables_list_the_most_mentioned_banks_and_the_bank_itself_then_one_line() -> None:
    """``banks_max`` banks by name (the bank itself wherever it ranks, with its true rank), the rest summed."""
    from dataclasses import replace

    from reportgen.report.briefing import Briefing

    report = make_report()
    quiet_self = tuple(replace(b, mentions=0) if b.role == "self" else b for b in report.bank_totals)
    briefing = Briefing(replace(report, bank_totals=quiet_self, banks_max=1))
    shown = briefing.shown_banks()
    assert [(rank, b.role) for rank, b in shown] == [(1, "competitor"), (len(quiet_self), "self")]
    hidden = [b for b in quiet_self if b.bank_id not in {x.bank_id for _, x in shown}]
    assert briefing.banks_not_shown() == (len(hidden), sum(b.mentions for b in hidden), sum(b.negative for b in hidden))
    # page 1 does not rank a bank that was not mentioned at all (no 第5位, and no 第1位 of all-zero banks)
    assert briefing.rank() == (0, len(quiet_self))
    # it ranks among all banks, listed or not; banks with as many mentions share a place
    behind = tuple(replace(b, mentions={"icbc": 5, "ccb": 6}.get(b.bank_id, 5)) for b in report.bank_totals)
    assert Briefing(replace(report, bank_totals=behind, banks_max=1)).rank() == (2, len(behind))
