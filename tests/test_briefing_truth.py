"""Page 1 tells the truth (issue 16): no all-clear on a blind day, one alert per incident, one row
per story, no +2000 % against nothing, one heat per report, 处置建议 that names the incident.

Real parts throughout: SQLite in tmp_path, the feed server and an SMTP server on 127.0.0.1,
WeasyPrint, and pdftotext for what the PDF says.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
import subprocess
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from briefing_data import make_report
from click.testing import CliRunner
from mailserver import MailServer, sample_feed, write_config
from test_events import OUTAGE, add, make_store, variant

from reportgen.cli.app import cli
from reportgen.flow.pipeline import score_pending
from reportgen.flow.runner import EXIT_DATA_INCOMPLETE
from reportgen.insight.aggregate import report_data
from reportgen.insight.duplicates import near_duplicate_groups, same_story
from reportgen.insight.incidents import alert_summaries, cluster_pending, compute_alerts
from reportgen.models import EventSummary, SourceHealthRow
from reportgen.periods import Period
from reportgen.report.briefing import SMALL_BASE, Briefing
from reportgen.report.render import render_html, write_pdf

SH = ZoneInfo("Asia/Shanghai")
YESTERDAY = (datetime.now(UTC).astimezone(SH) - timedelta(days=1)).date()
ALL_CLEAR = "本期未监测到重大负面舆情"
needs_pdftotext = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")


def invoke(config: Path, *args: str):
    return CliRunner().invoke(cli, ["--config", str(config), *args])


def page_one(pdf: Path) -> str:
    """Page 1's text without any whitespace (pdftotext breaks Chinese lines anywhere)."""
    text = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout
    return "".join(text.split())


# --- the data-completeness gate ----------------------------------------------------------------------


@needs_pdftotext
def test_every_source_failing_is_not_an_all_clear(tmp_path):
    """RSSHub down: every source fails.  The report is still made and mailed, but page 1 opens with
    数据采集异常 naming the sources, never gives the all-clear nor ranks the bank 第1位, the subject
    says so, and the run exits 6 (every source failed)."""
    from reportgen.demo.feedserver import FeedServer, Status

    extra = "".join(f'[[sources]]\nid = "{s}"\nname = "{name}"\nurl = "{{base}}/{s}"\nchannel = "{channel}"\n'
                    for s, name, channel in (("weibo", "微博关键词", "social"), ("nfra", "金融监管总局", "regulator")))
    with FeedServer({"/good": Status(502), "/weibo": Status(503), "/nfra": Status(502)}) as feeds, \
            MailServer() as smtp:
        config = write_config(tmp_path, feeds_base=feeds.base_url, smtp_port=smtp.port,
                              extra=extra.replace("{base}", feeds.base_url))
        result = invoke(config, "run", "daily", "--json")
        assert result.exit_code == 6, result.output  # every source failed (the gate's extreme case)
        summary = json.loads(result.stdout)
        assert summary["data_complete"] is False and summary["completeness"]["answered"] == 0
        assert set(summary["completeness"]["dark_channels"]) == {"online", "social", "regulator"}
        assert summary["delivery"]["state"] == "sent" and len(smtp.messages) == 1  # still delivered

        msg = smtp.messages[0].message
        assert str(msg["Subject"]).startswith("【数据采集异常】【舆情日报】")
        assert str(msg["Subject"]).endswith("预警 未知")  # not 预警 无
        for body in (msg.get_body(("plain",)).get_content(), msg.get_body(("html",)).get_content()):
            assert "数据采集异常" in body and "测试财经" in body and "微博关键词" in body
            assert ALL_CLEAR not in body and "本期未监测到相关舆情" not in body

        page = page_one(Path(summary["report"]["pdf"]))
        assert page.index("数据采集异常") < page.index("舆情概况")  # the banner opens page 1
        assert "仅0个正常应答" in page and "测试财经" in page and "金融监管总局" in page
        assert "渠道全部中断" in page and "不能据此判断本期无负面舆情" in page
        assert ALL_CLEAR not in page and "第1位" not in page and "居第" not in page
        assert "未知" in page  # the alert level is unknown, not 无


def test_a_dark_channel_fails_the_gate_and_run_exits_10(tmp_path):
    """One of two sources fails and it was the only social one: below 80 % and a dark channel.
    The report is made and mailed; the exit code says the data was incomplete."""
    from reportgen.demo.feedserver import FeedServer, Route, Status

    extra = '[[sources]]\nid = "weibo"\nname = "微博关键词"\nurl = "{base}/weibo"\nchannel = "social"\n'
    with FeedServer({"/good": Route(sample_feed(YESTERDAY)), "/weibo": Status(503)}) as feeds, \
            MailServer() as smtp:
        config = write_config(tmp_path, feeds_base=feeds.base_url, smtp_port=smtp.port,
                              extra=extra.replace("{base}", feeds.base_url))
        result = invoke(config, "run", "daily", "--json")
        assert result.exit_code == EXIT_DATA_INCOMPLETE == 10, result.output
        summary = json.loads(result.stdout)
        assert summary["completeness"]["dark_channels"] == ["social"]
        assert summary["completeness"]["missing"][0]["source"] == "weibo"
        assert len(smtp.messages) == 1 and str(smtp.messages[0].message["Subject"]).startswith("【数据采集异常】")
        html = Path(summary["report"]["html"]).read_text(encoding="utf-8")
        assert '<div class="gate" role="alert">' in html and "社交媒体渠道全部中断" in html
        assert ALL_CLEAR not in html


def test_the_gate_passes_when_enough_sources_answer():
    report = make_report()  # 8 of 10 sources answered, every channel heard
    assert report.completeness.complete and report.completeness.share == pytest.approx(0.8)
    html = render_html(report)
    assert '<div class="gate"' not in html and "居第 1 位" in html
    quiet = dataclasses.replace(report, alerts=(), current=dataclasses.replace(report.totals, self_negative=0))
    assert ALL_CLEAR in render_html(quiet)
    # the same quiet day with the social sources down: no all-clear, no rank, a banner
    blind = dataclasses.replace(quiet, source_health=tuple(
        dataclasses.replace(r, status="failed", error="HTTP 503") if r.channel == "social" else r
        for r in quiet.source_health))
    assert not blind.completeness.complete and blind.completeness.dark_channels == ("social",)
    html = render_html(blind)
    assert ALL_CLEAR not in html and '<div class="gate" role="alert">' in html and "居第" not in html
    assert Briefing(blind).rank() == (0, len(blind.bank_totals))


def test_a_bank_with_no_mentions_is_not_ranked_first():
    report = make_report()
    nothing = dataclasses.replace(report, bank_totals=tuple(dataclasses.replace(b, mentions=0, negative=0)
                                                            for b in report.bank_totals))
    assert Briefing(nothing).rank()[0] == 0
    assert "居第" not in render_html(nothing)


# --- one incident, one alert -------------------------------------------------------------------------


def _outage_store(tmp_path):
    """Two weeks of one quiet complaint a day, then one outage reprinted 14 times in a morning."""
    store, config = make_store(tmp_path)
    rows = [(f"q{d}", f"工商银行第{d}期服务投诉通报", "网点排队时间过长，客户投诉服务态度差。",
             datetime(2026, 11, d, 10, tzinfo=SH)) for d in range(1, 15)]
    spike = datetime(2026, 11, 15, 8, tzinfo=SH)
    rows += [(f"o{k}", *variant(*OUTAGE, k), spike + timedelta(minutes=17 * k)) for k in range(14)]
    add(store, config, "web", rows)
    score_pending(store, config)
    cluster_pending(store, config)
    return store, config


def test_three_triggers_of_one_incident_raise_one_alert(tmp_path):
    store, config = _outage_store(tmp_path)
    triggers = compute_alerts(store, config, date(2026, 11, 15))
    own = [t for t in triggers if t.bank_id == "icbc"]
    assert {t.kind for t in own} == {"volume", "heat", "category"}  # three triggers fired …
    assert len({t.event_ids[0] for t in own}) == 1  # … for one event
    [alert] = [a for a in alert_summaries(store, config, date(2026, 11, 15), date(2026, 11, 15), "zh")
               if a.bank_id == "icbc"]
    assert set(alert.kinds) == {"volume", "heat", "category"}
    assert len(alert.reasons) == 3 and alert.reason == alert.reasons[0]
    assert alert.level == min(t.level for t in own) == 1  # the most severe of them: 一级
    assert alert.category == "outage" and alert.owner == "信息科技部"
    assert alert.negative_count == 14

    data = report_data(store, config, Period.daily(date(2026, 11, 15)), now=datetime(2026, 11, 16, tzinfo=SH))
    html = render_html(data)
    alerts = html.split('id="alerts"')[1].split("</section>")[0]
    assert alerts.count('<div class="alert level-') == 1
    assert alerts.count('<ol class="actions">') == 1  # the playbook once per incident
    assert alerts.count("发布故障说明和恢复时间") == 1
    assert all(r in alerts for r in alert.reasons)
    # 处置建议 names the incident before the steps: when, bank, headline, first source, spread
    incident = alerts.split('<p class="incident">')[1].split("</p>")[0]
    assert incident.startswith("11月15日 08:00起，中国工商银行「【独家】工商银行手机银行突发故障")
    assert "」经门户（网络媒体）首发，4 小时内转载 13 次，主要渠道：网络媒体。" in incident
    assert alerts.index('<p class="incident">') < alerts.index('<p class="owner">') < alerts.index("<ol class")
    summary = html.split('<section class="trend"')[0]
    assert summary.count('<span class="level level-red">一级（红色）</span>') == 1
    assert "负面量异常、热度、风险类别" in summary or "风险类别、负面量异常、热度" in summary


def test_a_repeated_headline_is_one_row_with_its_reprint_count(tmp_path):
    store, config = _outage_store(tmp_path)
    compute_alerts(store, config, date(2026, 11, 15))
    data = report_data(store, config, Period.daily(date(2026, 11, 15)), now=datetime(2026, 11, 16, tzinfo=SH))
    outage = [i for i in data.items if "手机银行突发故障" in i.title]
    assert len(outage) == 1 and outage[0].copies == 14
    assert data.negative_total == 14 and data.negative_groups == 1
    html = render_html(data)
    negatives = html.split('id="negatives"')[1].split("</section>")[0]
    assert negatives.count("手机银行突发故障") == 1
    assert '<span class="copies">转载 13 次</span>' in negatives
    assert "共 14 条负面信息，归并为 1 个事件" in negatives


def _event(event_id: str, title: str, hours: float, *, bank: str = "icbc", categories=("outage",),
           label: str = "negative") -> EventSummary:
    at = datetime(2026, 12, 6, 9, tzinfo=SH) + timedelta(hours=hours)
    return EventSummary(event_id, title, None, "微博", "social", at, 2, 2, ("social",), (bank,), ("工行",), label,
                        categories, 10.0, {bank: 10.0})


def test_near_duplicate_events_merge_by_the_stated_rule():
    a = _event("a", "工商银行手机银行到底什么时候能好？房租今天到期转不出去", 1)
    b = _event("b", "【关注】工商银行手机银行到底什么时候能好？房租今天到期转不出去", 2,
               categories=("complaint", "outage"))
    assert same_story(a, b)
    assert not same_story(a, _event("c", a.title, 30))  # more than 24 hours apart
    assert not same_story(a, _event("d", a.title, 2, bank="ccb"))  # another bank
    assert not same_story(a, _event("e", a.title, 2, categories=("fee_rate",)))  # no shared category
    assert not same_story(a, _event("f", a.title, 2, label="neutral"))
    loss = _event("g", "卡在身上钱却没了：工商银行储户50万元存款被盗刷", 0, categories=("ops_loss",))
    other_loss = _event("h", "卡在身上钱却没了：工商银行储户18万元存款被盗刷", 1, categories=("ops_loss",))
    assert not same_story(loss, other_loss)  # different numbers: two incidents
    assert near_duplicate_groups([b, a, loss, other_loss]) == {"a": "a", "b": "a", "g": "g", "h": "h"}


# --- changes and heat ----------------------------------------------------------------------------------


def test_a_change_against_a_small_base_is_new_not_a_percentage():
    report = make_report()
    b = Briefing(report)
    assert SMALL_BASE == 5
    assert b.change(21, 1).text == "+20（新增）"  # not +2000%
    assert b.change(7, 0).text == "+7（新增）"
    assert b.change(2, 4).text == "−2" or b.change(2, 4).text == "-2"  # no percentage either way
    assert b.change(12, 5).text == "+7（+140%）"  # from 5 on, a percentage means something
    en = Briefing(make_report("en"))
    assert en.change(21, 1).text == "+20 (new)"
    # the overview says it in words
    small = dataclasses.replace(report, previous=dataclasses.replace(report.previous, self_mentions=1))
    assert "较上期新增 6 条（上期仅 1 条）" in "".join(Briefing(small).overview())
    weekly = make_report(period="weekly")
    rows = {label: change for label, _, _, change in Briefing(dataclasses.replace(
        weekly, previous=dataclasses.replace(weekly.previous, self_negative=0))).week_over_week()}
    assert rows["本行负面"].text == "+3（新增）"


def test_one_heat_per_report_the_weekly_event_heat_is_the_alerts(tmp_path):
    store, config = _outage_store(tmp_path)
    compute_alerts(store, config, date(2026, 11, 15))
    week = Period.week_of(date(2026, 11, 15))
    data = report_data(store, config, week, now=datetime(2026, 11, 17, tzinfo=SH))
    event = next(e for e in data.events if "手机银行突发故障" in e.title)
    alert = next(a for a in data.alerts if a.bank_id == "icbc")
    assert alert.negative_heat == pytest.approx(event.bank_heat["icbc"])  # not decayed: the same number
    daily = report_data(store, config, Period.daily(date(2026, 11, 15)), now=datetime(2026, 11, 16, tzinfo=SH))
    assert next(e for e in daily.events if e.event_id == event.event_id).heat == event.heat
    notes = Briefing(data).method_notes()
    assert sum("热度" in n and "不做时间衰减" in n for n in notes) == 1


# --- levels and colours ------------------------------------------------------------------------------


def test_levels_run_from_one_red_down_with_their_colours():
    report = make_report()
    alerts = tuple(dataclasses.replace(a, level=level) for a, level in zip(report.alerts, (1, 2, 3), strict=True))
    data = dataclasses.replace(report, alerts=alerts)
    b = Briefing(data)
    assert [b.level(n) for n in (1, 2, 3, 4)] == ["一级（红色）", "二级（橙色）", "三级（黄色）", "四级（蓝色）"]
    assert [a.colour for a in alerts] == ["red", "orange", "yellow"]
    assert data.alert_level == 1  # the most severe of the bank's own alerts is the smallest number
    html = render_html(data)
    assert '<span class="level level-red">一级（红色）</span>' in html
    assert '<div class="alert level-orange">' in html and '<div class="alert level-yellow">' in html
    assert ".level.level-red { background: #c00000" in html
    en = Briefing(dataclasses.replace(data, language="en"))
    assert en.level(1) == "Level 1 (red)" and en.level(0) == "None"


@needs_pdftotext
def test_the_pdf_prints_the_banner_and_the_level_names(tmp_path):
    report = make_report()
    blind = dataclasses.replace(report, source_health=tuple(
        SourceHealthRow(r.source_id, r.name, r.channel, "failed", r.checked_at, 502, error="HTTP 502")
        for r in report.source_health))
    pdf = write_pdf(render_html(blind), tmp_path / "blind.pdf")
    page = page_one(pdf)
    assert page.startswith("银行舆情日报") and "数据采集异常" in page and "仅0个正常应答" in page
    assert "二级" in page and ALL_CLEAR not in page and "居第" not in page


def test_the_alerts_command_shows_one_incident_with_every_reason(tmp_path):
    store, config = _outage_store(tmp_path)
    out = invoke(config.path, "alerts", "--date", "2026-11-15", "--json")
    assert out.exit_code == 0, out.output
    [alert] = [a for a in json.loads(out.stdout)["alerts"] if a["bank"] == "icbc"]
    assert set(alert["kinds"]) == {"volume", "heat", "category"} and len(alert["reasons"]) == 3
    assert (alert["level"], alert["level_name"], alert["colour"]) == (1, "一级（红色）", "red")
    text = invoke(config.path, "alerts", "--date", "2026-11-15").output
    assert text.count("[一级（红色）]") == 1 and all(reason in text for reason in alert["reasons"])
    assert text.count("处置建议") == 1  # the playbook once for the incident
