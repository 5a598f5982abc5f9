"""The thin daily report: HTML from jinja2, PDF from real WeasyPrint, checked with poppler tools."""

from __future__ import annotations

import dataclasses
import http.server
import logging
import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from reportgen.errors import RenderError
from reportgen.models import BankJudgement, BankTotal, DailyReportData, ReportItem, SourceHealthRow
from reportgen.render import (
    LABELS,
    RemoteResourceRefused,
    local_only_url_fetcher,
    render_html,
    render_report,
    safe_url,
    template_dirs,
    write_pdf,
)
from reportgen.score.categories import DEFAULT_CATEGORIES

SHANGHAI = ZoneInfo("Asia/Shanghai")
DAY = date(2024, 5, 20)
START = datetime(2024, 5, 20, tzinfo=SHANGHAI)
FONT_STACK = '"Noto Sans CJK SC", "Noto Sans CJK", "Source Han Sans SC", sans-serif'
HOSTILE_TITLE = "<script>alert(1)</script>"
JS_URL = "javascript:alert(document.cookie)"
FAILED_SOURCE_ERROR = "HTTP 503 Service Unavailable after 3 attempts"
SHIPPED = Path(__file__).resolve().parent.parent / "templates"

BANKS = (
    BankTotal("icbc", "中国工商银行", "self", 7, 4, 0.35, 3),
    BankTotal("ccb", "中国建设银行", "competitor", 5, 3, 0.25, 2),
    BankTotal("abc", "中国农业银行", "competitor", 4, 2, 0.20, 1),
    BankTotal("boc", "中国银行", "competitor", 3, 1, 0.15),
    BankTotal("cmb", "招商银行", "competitor", 1, 0, 0.05),
)

# (title, channel, banks); item 4 gets the javascript: URL, item 7 has no feed date.
ITEMS = [
    ("工商银行发布2023年度社会责任报告，普惠贷款余额同比增长超三成", "online", ("中国工商银行",)),
    ("多地储户投诉网点排队时间过长，银行回应称将增设窗口", "social", ("中国工商银行", "中国建设银行")),
    ("国家金融监督管理总局公布行政处罚信息：某分行因贷款管理不审慎被罚款", "regulator", ("中国农业银行",)),
    ("建设银行手机银行上午出现短暂无法登录，目前已恢复正常", "social", ("中国建设银行",)),
    (HOSTILE_TITLE, "online", ("中国银行",)),
    ("招商银行一季度净利润同比增长，不良率保持稳定", "print", ("招商银行",)),
    ("工行、农行下调部分期限存款挂牌利率", "broadcast", ("中国工商银行", "中国农业银行")),
    ("黑猫投诉：信用卡年费争议，持卡人称未被告知收费规则", "complaint", ("中国工商银行",)),
    ("中国银行跨境金融服务再升级，助力外贸企业稳订单", "online", ("中国银行",)),
    ("农业银行乡村振兴贷款投放持续加码", "print", ("中国农业银行",)),
    ("ICBC's net interest margin under pressure as deposit costs remain sticky", "online", ("中国工商银行",)),
    ("建行理财产品代销纠纷调查：投资者称夸大收益，银行称已按规定进行风险揭示", "online", ("中国建设银行",)),
    ("工商银行客户经理涉嫌倒卖客户个人信息被立案", "online", ("中国工商银行",)),
    ("农行系统升级公告：5月25日凌晨部分业务暂停", "regulator", ("中国农业银行",)),
    ("中国银行回应“资金不翼而飞”：系客户遭遇电信诈骗", "social", ("中国银行", "中国工商银行")),
]
SOURCE_NAMES = ["东方财富", "新浪财经", "财联社电报", "国家金融监督管理总局"]
# Hand-written judgements (not the live scorer, so a lexicon change does not move the golden
# files): item index → label, categories, reasons, for the item's first bank; others are neutral.
JUDGEMENTS = {
    0: ("positive", ("performance",), ("同比增长",)),
    1: ("negative", ("complaint",), ("投诉", "排队")),
    2: ("negative", ("regulatory",), ("行政处罚", "罚款")),
    3: ("negative", ("outage",), ("无法登录",)),
    7: ("negative", ("complaint", "fee_rate"), ("投诉", "争议")),
    12: ("negative", ("data_leak", "regulatory"), ("倒卖", "立案")),
    14: (None, (), ()),  # not scored yet
}


def _judgement(bank_name: str, spec: tuple | None) -> BankJudgement:
    label, categories, reasons = spec or ("neutral", (), ())
    score = {"negative": -0.8, "positive": 0.6, "neutral": 0.0}.get(label) if label else None
    return BankJudgement(bank_name, label, score, categories, reasons)


def make_report(language: str = "zh") -> DailyReportData:
    items = tuple(
        ReportItem(
            item_id=f"item-{i}",
            title=title,
            url=JS_URL if i == 4 else f"https://news.example.com/a/{i}.html",
            source_id=f"src-{i % 4}",
            source_name=SOURCE_NAMES[i % 4],
            channel=channel,
            published_at=START + timedelta(hours=23 - i, minutes=7 * i),
            bank_names=banks,
            date_missing=(i == 7),
            judgements=tuple(_judgement(name, JUDGEMENTS.get(i) if n == 0 else None)
                             for n, name in enumerate(banks)),
        )
        for i, (title, channel, banks) in enumerate(ITEMS)
    )
    checked = START + timedelta(days=1, hours=6)
    health = (
        SourceHealthRow("eastmoney", "东方财富", "online", "ok", checked, 200, 50, 12),
        SourceHealthRow("sina", "新浪财经", "online", "not_modified", checked, 304),
        SourceHealthRow("cls", "财联社电报", "online", "failed", checked, 503, error=FAILED_SOURCE_ERROR),
        SourceHealthRow("nfra", "国家金融监督管理总局", "regulator", "ok", checked, 200, 20, 2,
                        warning="feed is not well-formed XML (bozo)"),
        SourceHealthRow("weibo", "微博关键词", "social", "never", None),
    )  # fmt: skip
    return DailyReportData(
        title="银行舆情日报" if language == "zh" else "Bank Media Monitoring Daily",
        organisation="品牌与舆情管理部",
        language=language,
        timezone="Asia/Shanghai",
        day=DAY,
        window_start=START,
        window_end=START + timedelta(days=1),
        generated_at=START + timedelta(days=1, hours=7, minutes=30),
        total_items=len(items),
        bank_totals=BANKS,
        items=items,
        source_health=health,
        category_names={c.code: c.name(language) for c in DEFAULT_CATEGORIES},
    )


@pytest.fixture(scope="module")
def zh_html() -> str:
    return render_html(make_report())


@pytest.fixture(scope="module")
def pdf_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The one full PDF render of this module (WeasyPrint takes a second or two)."""
    out = tmp_path_factory.mktemp("report")
    paths = render_report(make_report(), out)
    assert set(paths) == {"html", "pdf"}
    return paths["pdf"]


def needs_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} not on PATH (install poppler-utils to check the PDF)")
    return path


# --- HTML -----------------------------------------------------------------------------------------


def test_labels_have_the_same_keys_in_every_language() -> None:
    assert set(LABELS["zh"]) == set(LABELS["en"])


def test_feed_text_is_escaped(zh_html: str) -> None:
    assert HOSTILE_TITLE not in zh_html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in zh_html
    assert "<script" not in zh_html.lower()


def test_javascript_url_is_not_a_link(zh_html: str) -> None:
    assert "javascript:" not in zh_html
    # the hostile item still appears, as plain text in its title cell
    assert '<td class="title">&lt;script&gt;' in zh_html
    assert 'href="https://news.example.com/a/0.html"' in zh_html


def test_html_is_self_contained_chinese(zh_html: str) -> None:
    assert '<html lang="zh-CN">' in zh_html
    assert f"font-family: {FONT_STACK};" in zh_html
    assert "<style>" in zh_html
    assert not re.search(r"<link\b", zh_html, re.IGNORECASE)
    for text in ("内部资料 注意保密", "品牌与舆情管理部", "舆情概况", "数据来源状态", "本行", "竞品"):
        assert text in zh_html
    assert "2024-05-20 00:00 至 2024-05-21 00:00" in zh_html


def test_channels_and_statuses_in_chinese(zh_html: str) -> None:
    for label in ("报刊", "广播电视", "网络媒体", "社交媒体", "监管机构", "投诉平台"):
        assert label in zh_html
    for label in ("正常", "未更新(304)", "失败", "未抓取"):
        assert f'<td class="status">{label}</td>' in zh_html
    assert FAILED_SOURCE_ERROR in zh_html


def test_date_missing_item_is_marked(zh_html: str) -> None:
    assert zh_html.count('<span class="flag">时间未知</span>') == 1
    assert "按抓取时间计入" in zh_html


def test_bank_table(zh_html: str) -> None:
    for bank in BANKS:
        assert bank.name in zh_html
    assert "35.0%" in zh_html
    assert '<tr class="role-self">' in zh_html


def test_english_variant() -> None:
    html = render_html(make_report("en"))
    assert '<html lang="en">' in html
    for text in (
        "Source status",
        "Overview",
        "Share of voice",
        "INTERNAL &amp; CONFIDENTIAL",
        "Failed",
        "Regulator",
    ):
        assert text in html
    for text in ("数据来源状态", "舆情概况", "内部资料"):
        assert text not in html
    assert html.count('<span class="flag">undated</span>') == 1


def test_quiet_day_says_so() -> None:
    quiet = dataclasses.replace(make_report(), total_items=0, items=())
    html = render_html(quiet)
    assert "本期未监测到相关舆情" in html
    assert 'class="data items"' not in html


def test_unknown_language_is_a_render_error() -> None:
    with pytest.raises(RenderError, match="language"):
        render_html(dataclasses.replace(make_report(), language="fr"))


def test_naive_datetime_is_a_render_error() -> None:
    report = make_report()
    naive = dataclasses.replace(report.items[0], published_at=datetime(2024, 5, 20, 9, 0))
    with pytest.raises(RenderError, match="naive datetime"):
        render_html(dataclasses.replace(report, items=(naive, *report.items[1:])))


def test_item_times_are_shown_in_the_report_zone() -> None:
    utc_item = dataclasses.replace(
        make_report().items[0], published_at=datetime(2024, 5, 20, 1, 30, tzinfo=ZoneInfo("UTC"))
    )
    html = render_html(dataclasses.replace(make_report(), items=(utc_item,)))
    assert '<td class="time">09:30</td>' in html
    late = dataclasses.replace(utc_item, published_at=datetime(2024, 5, 20, 16, 5, tzinfo=ZoneInfo("UTC")))
    html = render_html(dataclasses.replace(make_report(), items=(late,)))
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
    assert (dirs[-1] / "daily.html").is_file()
    assert (dirs[-1] / "base.html").is_file()
    assert (dirs[-1] / "report.css").is_file()


def test_templates_found_from_another_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    html = render_html(make_report())
    assert "数据来源状态" in html
    assert template_dirs()[-1].is_absolute()


def test_broken_override_is_a_render_error(tmp_path: Path) -> None:
    (tmp_path / "daily.html").write_text('{% extends "base.html" %}{% block content %}{% if %}{% endblock %}')
    with pytest.raises(RenderError, match="daily.html"):
        render_html(make_report(), extra_template_dirs=[tmp_path])


def test_render_report_names_and_formats(tmp_path: Path) -> None:
    paths = render_report(make_report(), tmp_path, formats=("html",))
    assert paths == {"html": tmp_path / "daily-2024-05-20.html"}
    assert not list(tmp_path.glob("*.pdf"))
    en = render_report(make_report("en"), tmp_path, formats=("html",))
    assert en["html"].name == "daily-2024-05-20-en.html"


# --- PDF ------------------------------------------------------------------------------------------


def test_pdf_embeds_a_noto_sans_cjk_subset(pdf_path: Path) -> None:
    pdffonts = needs_tool("pdffonts")
    out = subprocess.run([pdffonts, str(pdf_path)], capture_output=True, text=True, check=True).stdout
    fonts = []
    for line in out.splitlines()[2:]:
        fields = line.split()
        # columns, right to left: object ID, generation, uni, sub, emb
        name, emb, sub = fields[0], fields[-5], fields[-4]
        fonts.append((name, emb, sub))
    cjk = [f for f in fonts if "NotoSansCJK" in f[0].replace("-", "")]
    assert cjk, f"no Noto Sans CJK font in:\n{out}"
    assert all(emb == "yes" and sub == "yes" for _, emb, sub in cjk), out
    assert all(re.match(r"[A-Z]{6}\+", name) for name, _, _ in cjk), out


def test_pdf_text(pdf_path: Path) -> None:
    pdftotext = needs_tool("pdftotext")
    text = subprocess.run(
        [pdftotext, "-layout", str(pdf_path), "-"], capture_output=True, text=True, check=True
    ).stdout
    for bank in BANKS:
        assert bank.name in text
    for expected in ("银行舆情日报", "数据来源状态", "内部资料", "舆情概况", FAILED_SOURCE_ERROR[:20]):
        assert expected in text
    assert re.search(r"^\s*1\s*/\s*\d+\s*$", text, re.MULTILINE), "no page counter '1 / N'"


def test_pdf_page_count_and_title(pdf_path: Path) -> None:
    pdfinfo = needs_tool("pdfinfo")
    info = subprocess.run([pdfinfo, str(pdf_path)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE).group(1))  # type: ignore[union-attr]
    assert 1 <= pages <= 4
    assert re.search(r"^Title:\s+银行舆情日报 2024-05-20$", info, re.MULTILINE)


def test_pdf_first_page_rasterizes(pdf_path: Path, tmp_path: Path) -> None:
    pdftoppm = needs_tool("pdftoppm")
    subprocess.run(
        [pdftoppm, "-r", "60", "-f", "1", "-l", "1", "-png", str(pdf_path), str(tmp_path / "page")],
        check=True,
    )
    (png,) = tmp_path.glob("page*.png")
    data = png.read_bytes()
    assert data.startswith(b"\x89PNG")
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    # A4 (210 × 297 mm) at 60 dpi is about 496 × 702 px
    assert abs(width - 496) <= 2 and abs(height - 702) <= 2, (width, height)


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


def test_override_template_cannot_make_the_pdf_fetch_from_the_network(
    tmp_path: Path, counting_server: tuple[str, list[str]], caplog: pytest.LogCaptureFixture
) -> None:
    base, hits = counting_server
    overrides = tmp_path / "templates"
    overrides.mkdir()
    # Overrides daily.html only; base.html and report.css still come from the shipped folder.
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
    assert "OVERRIDE-MARKER" in html
    assert "内部资料 注意保密" in html  # from the shipped base.html

    with caplog.at_level(logging.WARNING, logger="reportgen.render"):
        pdf = write_pdf(html, tmp_path / "out" / "override.pdf")

    assert pdf.read_bytes().startswith(b"%PDF-")
    assert hits == []
    refused = [r.getMessage() for r in caplog.records if r.name == "reportgen.render"]
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
    response = fetcher.fetch("data:text/plain;base64,b2s=")
    assert response.read() == b"ok"
    local = tmp_path / "a.css"
    local.write_text("p{}", encoding="utf-8")
    assert local_only_url_fetcher().fetch(local.as_uri()).read() == b"p{}"
