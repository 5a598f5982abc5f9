"""Page 1 and the charts say the right thing (the report audit): good news does not get the crisis
playbook, section numbers past nine read 十、十一, one heat is printed one way, an unfinished
period says so and gives no all-clear, charts stay readable on a phone, and an English push names
the bank in English.

Real parts: SQLite in tmp_path with the real scorer and clustering, WeasyPrint and pdftotext, and
Debian's chromium for the phone.
"""

from __future__ import annotations

import base64
import html as html_lib
import json
import re
import shutil
import subprocess
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from briefing_data import make_report
from pushkit import NOW, history, icbc_spike
from pushkit import make_store as push_store
from pypdf import PdfReader
from test_browser import BROWSER, chromium
from test_browser import _proxy as browser_proxy
from test_events import OUTAGE, add, make_store, variant

from reportgen.demo.receiver import PushReceiver
from reportgen.flow.alerting import alert_now
from reportgen.flow.pipeline import score_pending
from reportgen.insight.aggregate import report_data
from reportgen.insight.incidents import cluster_pending, compute_alerts
from reportgen.models import FetchStatus, Item, SourceHealth
from reportgen.periods import Period
from reportgen.report.briefing import Briefing
from reportgen.report.mailbody import render_bodies
from reportgen.report.render import render_html, write_pdf
from reportgen.score.match import Matcher

SH = ZoneInfo("Asia/Shanghai")
needs_pdftotext = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")
PLAYBOOK_STEP = "2小时内核实情况"  # the negative playbook's first step
GOOD_NEWS = ("工商银行发布三季度业绩 营收稳健增长",
             "工商银行发布三季度业绩，营收稳健增长，净利润同比增长，资产质量持续改善。")
APP_NEWS = ("工行推出新版手机银行App 获用户好评", "工商银行推出新版手机银行App，界面更简洁，服务更便捷，获得用户好评。")


def _good_and_bad_day(tmp_path: Path):
    """A fortnight of one complaint a day, then one day with an outage and two pieces of good news."""
    store, config = make_store(tmp_path)
    rows = [(f"q{d}", f"工商银行第{d}期服务投诉通报", "网点排队时间过长，客户投诉服务态度差。",
             datetime(2026, 11, d, 10, tzinfo=SH)) for d in range(1, 15)]
    day = datetime(2026, 11, 15, 8, tzinfo=SH)
    rows += [(f"o{k}", *variant(*OUTAGE, k), day + timedelta(minutes=17 * k)) for k in range(4)]
    rows += [("g1", *GOOD_NEWS, day + timedelta(hours=1)), ("g2", *APP_NEWS, day + timedelta(hours=2))]
    add(store, config, "web", rows)
    score_pending(store, config)
    cluster_pending(store, config)
    compute_alerts(store, config, day.date())
    return store, config, day


def test_good_news_gets_no_crisis_playbook(tmp_path):
    """Issue 4/16 (P1): page 1's 重点事件与处置建议 gives a positive event a fitting line, never the
    negative playbook's 核实、回应、内部调查 — in the report and in the mail body alike."""
    store, config, day = _good_and_bad_day(tmp_path)
    data = report_data(store, config, Period.daily(day.date()), now=day + timedelta(days=1))
    entries = Briefing(data).top_entries()
    labels = {e.label for e in entries}
    assert {"negative", "positive"} <= labels, [(e.label, e.title) for e in entries]
    for entry in entries:
        if entry.label == "negative":
            assert PLAYBOOK_STEP in entry.action
        else:
            assert PLAYBOOK_STEP not in entry.action and "内部调查" not in entry.action, entry
            assert entry.owner == ""
    positive = next(e for e in entries if e.label == "positive")
    assert positive.action == "正面传播：可择机转发扩散。"
    assert not any(e.label != "negative" for e in data.events if e.event_id in data.event_playbook)

    html = render_html(data)
    summary = html.split('<section class="trend"')[0]
    text, mail_html = render_bodies(data, attachment_name="daily.pdf")[1], render_bodies(data, attachment_name="x")[0]
    for body in (summary, text, mail_html):
        assert body.count(PLAYBOOK_STEP) == 1, body  # the outage's line only
        assert "正面传播：可择机转发扩散。" in body


@needs_pdftotext
def test_chinese_section_numbers_past_nine(tmp_path):
    """C8: the thirteen sections are numbered 一、…九、十、十一、十二、十三 in the PDF (WeasyPrint), not
    一〇、一一 as cjk-decimal writes them."""
    pdf = write_pdf(render_html(make_report("zh")), tmp_path / "daily.pdf")
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    numbers = re.findall(r"^([一二三四五六七八九十〇]+)、", text, re.M)
    assert numbers[:13] == ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三"], numbers
    assert "一〇、" not in text and "一一、" not in text


def test_one_heat_is_printed_one_way(tmp_path):
    """C10: an event whose heat is 135.6 (four copies from a source of weight 1.13) is 热度 136 in its
    alert's reason, on page 1 and in the events table alike, in both languages."""
    blog = ('[[sources]]\nid = "blog"\nname = "财经博客"\nurl = "http://127.0.0.1:9/d.xml"\nchannel = "online"\n'
            "weight = 1.13\n")
    store, config = make_store(tmp_path, blog)
    day = datetime(2026, 11, 15, 8, tzinfo=SH)
    add(store, config, "blog", [(f"o{k}", *variant(*OUTAGE, k), day + timedelta(minutes=17 * k)) for k in range(4)])
    score_pending(store, config)
    cluster_pending(store, config)
    compute_alerts(store, config, day.date())
    for language, word in (("zh", "热度 "), ("en", "heat ")):
        data = report_data(store, config, Period.daily(day.date()), now=day + timedelta(days=1), language=language)
        [event] = [e for e in data.events if "手机银行突发故障" in e.title]
        assert event.heat == pytest.approx(135.6)
        alert = next(a for a in data.alerts if a.kind == "category" or "category" in a.kinds)
        assert any(f"{word}136" in r for r in alert.reasons), alert.reasons
        html = render_html(data)
        summary, events = html.split('<section class="trend"')[0], html.split('id="events"')[1].split("</section>")[0]
        assert f"{word}136" in summary
        assert '<td class="num">136</td>' in events
        assert "135.6" not in html


def test_an_english_push_names_the_bank_in_english(tmp_path):
    """C12: a [[push]] channel with language = "en" gets ICBC, not 中国工商银行, in the title and the
    reason (as the English briefing names it); the Chinese channel keeps the configured name."""
    with PushReceiver() as rx:
        hooks = "".join(f'\n[[push]]\nname = "{n}"\nurl = "json://127.0.0.1:{rx.port}/{n}"\nlanguage = "{n}"\n'
                        'attach = "pdf"\n' for n in ("en", "zh"))
        store, config = push_store(tmp_path, hooks)
        history(store, config)
        icbc_spike(store, config)
        out = alert_now(store, config, NOW)
        assert out is not None and len(out.sent) == 2
        [en] = [r.json() for r in rx.accepted if r.path == "/en"]
        [zh] = [r.json() for r in rx.accepted if r.path == "/zh"]
    assert en["title"].startswith("[Alert] Level 1 (red) ICBC"), en["title"]
    why = next(line for line in en["message"].splitlines() if line.startswith("Why: "))
    assert why.startswith("Why: ICBC"), why
    assert "中国工商银行" not in en["title"] + en["message"]
    assert "中国工商银行" in zh["title"] and "研判：中国工商银行" in zh["message"]
    pdf = tmp_path / "flash-en.pdf"
    pdf.write_bytes(base64.b64decode(en["attachments"][0]["base64"]))
    text = "".join(PdfReader(str(pdf)).pages[0].extract_text().split())
    assert "ICBC" in text and "中国工商银行" not in text


def test_a_period_not_yet_over_says_so_and_gives_no_all_clear(tmp_path):
    """C4: a daily report made at 11:00 of its own day (two pieces of good news so far, after a fortnight
    of one complaint a day) says 本期尚未结束，数据截至 …, compares nothing with the whole day before
    (no 较上期减少), and gives no all-clear (no 本期未监测到重大负面舆情, 预警级别 暂无 rather than 无) — in the
    report and in the mail body.  Made after the day, the same data is compared and may be quiet."""
    store, config = make_store(tmp_path)
    rows = [(f"q{d}", f"工商银行第{d}期服务投诉通报", "网点排队时间过长，客户投诉服务态度差。",
             datetime(2026, 11, d, 10, tzinfo=SH)) for d in range(1, 15)]
    day = datetime(2026, 11, 15, tzinfo=SH)
    rows += [("g1", *GOOD_NEWS, day + timedelta(hours=9)), ("g2", *APP_NEWS, day + timedelta(hours=10))]
    fetched = day + timedelta(hours=11)  # every source answered at 11:00: the data-completeness gate passes
    add_fetched(store, config, "web", rows, fetched)
    for source in ("weibo", "paper"):
        add_fetched(store, config, source, [(f"{source}1", "央行公布十月金融数据", "十月末广义货币余额同比增长。",
                                             day + timedelta(hours=8))], fetched)
    score_pending(store, config)
    cluster_pending(store, config)
    compute_alerts(store, config, day.date())

    partial = report_data(store, config, Period.daily(day.date()), now=day + timedelta(hours=11, minutes=5))
    html = render_html(partial)
    summary = html.split('<section class="trend"')[0]
    text, mail = render_bodies(partial, attachment_name="daily.pdf")[1], render_bodies(partial, attachment_name="x")[0]
    for body in (summary, text, mail):
        assert "本期尚未结束，数据截至 2026-11-15 11:05" in body
        assert "较上期" not in body and "−" not in body
        assert "本期未监测到重大负面舆情" not in body and "未监测到相关舆情" not in body
    assert '<p class="kpi-value">暂无</p>' in summary and '<p class="kpi-value">无</p>' not in summary
    assert Briefing(partial).subject_level() == "暂无"
    assert Briefing(partial).created == partial.generated_at

    whole = report_data(store, config, Period.daily(day.date()), now=day + timedelta(days=1, hours=7))
    summary = render_html(whole).split('<section class="trend"')[0]
    assert "本期尚未结束" not in summary
    assert "较上期" in summary and "本期未监测到重大负面舆情" in summary


def add_fetched(store, config, source: str, rows, fetched: datetime) -> None:
    """Store ``rows`` as one fetch of ``source`` that answered at ``fetched`` (not the wall clock)."""
    matcher = Matcher(config.banks)
    run_id = store.start_run("fetch", fetched)
    items = [Item(item_id=i, source_id=source, title=t, summary=s, url=f"https://x.example/{i}", guid=i,
                  author=None, published_at=at, fetched_at=fetched, content_hash=i) for i, t, s, at in rows]
    store.save_source_batch(run_id, SourceHealth(source, FetchStatus.OK, fetched, 0.1, 200, len(items)),
                            None, items, matcher.mentions)


CHART_PROBE = """<!DOCTYPE html><html><body style="margin:0">
<iframe id="r" src="{src}" style="border:0;width:{w}px;height:2400px"></iframe>
<pre id="probe">pending</pre>
<script>
document.getElementById("r").addEventListener("load", (event) => {{
  const doc = event.target.contentDocument;
  const found = [...doc.querySelectorAll("figure.chart img")].map((img) => [img.alt, img.currentSrc.length,
    img.getBoundingClientRect().width, [...doc.images].indexOf(img)]);
  const sources = [...doc.querySelectorAll("figure.chart img")].map((img) => img.currentSrc);
  document.getElementById("probe").textContent = JSON.stringify({{found, sources}});
}});
</script></body></html>"""


def smallest_text_px(svg_uri: str, shown_px: float) -> float:
    """The smallest chart text as shown, in CSS px: matplotlib sets each text run (drawn as paths) in a
    group scaled by font size / 100, in the SVG's units, and the image is shown ``shown_px`` wide."""
    svg = base64.b64decode(svg_uri.split(",", 1)[1]).decode()
    view_width = float(re.search(r'viewBox="0 0 ([\d.]+) ', svg).group(1))
    sizes = [float(s) * 100 for s in re.findall(r"scale\(([\d.]+) -[\d.]+\)", svg)]
    assert sizes, "no text in the chart"
    return min(sizes) * shown_px / view_width


@pytest.mark.skipif(BROWSER is None, reason="chromium not installed")
@pytest.mark.parametrize("language", ["zh", "en"])
def test_chart_labels_are_readable_on_a_phone(tmp_path, language):
    """C11: at 390 px the charts' labels (the banks' names, the trend's days) are at least 11 CSS px, as
    Chromium shows them (the phone gets charts drawn for its width); at 1280 px the A4 charts are shown,
    and the PDF keeps them (WeasyPrint prints the <img>, never the <source>)."""
    html = render_html(make_report(language, "weekly"))
    report = tmp_path / "report.html"
    report.write_text(html, encoding="utf-8")
    wide = set(re.findall(r'<img src="(data:image/svg\+xml;base64,[^"]+)"', html))
    with browser_proxy() as seen:
        port = seen.pop(0).split()[1]
        for width in (390, 1280):
            page = tmp_path / f"probe-{width}.html"
            page.write_text(CHART_PROBE.format(src=report.name, w=width), encoding="utf-8")
            dom = chromium(tmp_path / f"profile-{width}", port, f"--window-size={max(width, 500)},2400", "--dump-dom",
                           page.as_uri())
            probe = re.search(r'<pre id="probe">(\{.*?\})</pre>', dom.stdout, re.S)
            assert probe, dom.stderr[-2000:]
            found = json.loads(html_lib.unescape(probe.group(1)))
            assert len(found["sources"]) == 5  # trend, weekly, spread, channels, banks
            for (alt, _, shown, _), uri in zip(found["found"], found["sources"], strict=True):
                assert (uri in wide) == (width == 1280), alt
                assert smallest_text_px(uri, shown) >= (11 if width == 390 else 10), (width, alt)
