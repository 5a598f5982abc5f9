"""The sections a 舆情日报 reader expects (issue 16), from a small store whose answers are known by
hand: 情感分布 against the previous day, 媒体来源 TOP-N, the top incident's spread by hour, its
timeline with the bank's own (linked) response, 研判, 热词 without bank names, 正面传播 grouped by
story; the printed 原文链接; and the banks' English names in the English report."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from reportgen.config.banks_en import DEFAULT_NAMES_EN, display_names, english_name
from reportgen.config.core import Config, parse_config_text
from reportgen.errors import ConfigError
from reportgen.insight import coverage
from reportgen.insight.aggregate import report_data
from reportgen.periods import Period
from reportgen.report.briefing import Briefing
from reportgen.report.render import render_html
from reportgen.store.db import Store, items, mentions, scores
from reportgen.store.schema import event_items, events

SHANGHAI = ZoneInfo("Asia/Shanghai")
DAY = date(2026, 11, 27)
NOW = datetime(2026, 11, 28, 1, 0, tzinfo=UTC)

CONFIG = """
[settings]
database = "sqlite:///s.db"
output_dir = "out"
[[banks]]
id = "icbc"
name = "中国工商银行"
aliases = ["工商银行", "工行"]
role = "self"
[[banks]]
id = "ccb"
name = "中国建设银行"
aliases = ["建设银行"]
[[banks]]
id = "rural"
name = "某农村商业银行"
{extra_bank}
[[sources]]
id = "news"
name = "新闻"
url = "http://127.0.0.1:9/a.xml"
channel = "online"
[[sources]]
id = "weibo"
name = "微博"
url = "http://127.0.0.1:9/b.xml"
channel = "social"
[[sources]]
id = "tv"
name = "电视"
url = "http://127.0.0.1:9/c.xml"
channel = "broadcast"
"""

OUTAGE = "工商银行手机银行突发故障 多地用户无法登录"
RESPONSE = "工商银行回应手机银行故障：系统已全面恢复"
GOOD = "工商银行普惠型小微企业贷款余额突破2万亿元"
FAULT = [{"term": "故障", "weight": -4.0, "note": ""}, {"term": "无法登录", "weight": -4.0, "note": ""},
         {"term": "工商银行", "weight": -1.0, "note": ""}, {"term": "钱…没了", "weight": -3.0, "note": ""},
         {"term": "网曝", "weight": -1.0, "note": "frame"}]
# (item id, local time, source, title, event, {bank: (label, categories, reasons)})
ROWS = [
    ("o1", datetime(2026, 11, 27, 9, 10), "news", OUTAGE, "ev-out", {"icbc": ("negative", ["outage"], FAULT)}),
    ("o2", datetime(2026, 11, 27, 9, 40), "weibo", OUTAGE, "ev-out", {"icbc": ("negative", ["outage"], FAULT)}),
    ("o3", datetime(2026, 11, 27, 11, 5), "weibo", "工行App崩了 无法登录转账", "ev-out",
     {"icbc": ("negative", ["outage"], [{"term": "无法登录", "weight": -4.0}, {"term": "崩了", "weight": -3.0}])}),
    ("o4", datetime(2026, 11, 27, 15, 20), "news", OUTAGE, "ev-out", {"icbc": ("negative", ["outage"], FAULT)}),
    ("r1", datetime(2026, 11, 27, 14, 0), "tv", RESPONSE, "ev-resp", {"icbc": ("neutral", [], [])}),
    ("u1", datetime(2026, 11, 27, 16, 0), "news", "工商银行回应：网点排队问题已整改", "ev-queue",
     {"icbc": ("neutral", [], [])}),
    ("g1", datetime(2026, 11, 27, 8, 0), "news", GOOD, "ev-good",
     {"icbc": ("positive", [], [{"term": "普惠", "weight": 2.0}, {"term": "突破", "weight": 2.0}])}),
    ("g2", datetime(2026, 11, 27, 8, 30), "weibo", GOOD, "ev-good", {"icbc": ("positive", [], [])}),
    ("c1", datetime(2026, 11, 27, 10, 0), "news", "建设银行普惠贷款突破万亿", "ev-ccb",
     {"ccb": ("positive", [], [{"term": "普惠", "weight": 2.0}])}),
    ("prev1", datetime(2026, 11, 26, 10, 0), "news", "工商银行举办公益活动", "ev-p1", {"icbc": ("neutral", [], [])}),
    ("prev2", datetime(2026, 11, 26, 11, 0), "news", "工商银行净利润增长", "ev-p2", {"icbc": ("positive", [], [])}),
]


def make(tmp_path: Path, extra_bank: str = "", rows: list = ROWS) -> tuple[Store, Config]:
    path = tmp_path / "sources.toml"
    text = CONFIG.format(extra_bank=extra_bank)
    path.write_text(text, encoding="utf-8")
    config = parse_config_text(text, path)
    store = Store.open(config.settings.database)
    store.sync_sources(config.sources, lambda s: s.url or "")
    firsts: dict[str, tuple[str, datetime]] = {}
    with store.engine.begin() as conn:
        for item_id, local, source, title, event_id, banks in rows:
            published = local.replace(tzinfo=SHANGHAI)
            conn.execute(items.insert().values(
                item_id=item_id, source_id=source, title=title, summary="", url=f"https://www.news.example.com/{item_id}",
                guid=None, author=None, published_at=published, fetched_at=published, date_missing=False,
                date_capped=False, content_hash=item_id))
            if event_id not in firsts or published < firsts[event_id][1]:
                firsts[event_id] = (item_id, published)
            for bank_id, (label, categories, reasons) in banks.items():
                conn.execute(mentions.insert().values(item_id=item_id, bank_id=bank_id, in_title=True, evidence="[]"))
                conn.execute(scores.insert().values(
                    item_id=item_id, bank_id=bank_id, scorer="rules", version="t", label=label,
                    score=-0.8 if label == "negative" else 0.5 if label == "positive" else 0.0,
                    categories=json.dumps([{"code": c, "terms": [], "clause": ""} for c in categories]),
                    reasons=json.dumps([{"where": "title", "clause": "", **r} for r in reasons], ensure_ascii=False),
                    scored_at=published))
        for event_id, (first, published) in firsts.items():
            conn.execute(events.insert().values(event_id=event_id, first_item_id=first, first_published_at=published,
                                                created_at=published))
        for item_id, _local, _source, _title, event_id, _banks in rows:
            conn.execute(event_items.insert().values(item_id=item_id, event_id=event_id, similarity=1.0))
    return store, config


@pytest.fixture
def daily(tmp_path: Path):
    store, config = make(tmp_path)
    return report_data(store, config, Period.daily(DAY), now=NOW), config


def test_sentiment_against_the_previous_day(daily) -> None:
    data, _ = daily
    assert data.sentiment is not None and data.previous_sentiment is not None
    assert (data.sentiment.positive, data.sentiment.neutral, data.sentiment.negative) == (2, 2, 4)
    assert (data.previous_sentiment.positive, data.previous_sentiment.neutral, data.previous_sentiment.negative) \
        == (1, 1, 0)
    b = Briefing(data, with_charts=False)
    rows = {r.label: r for r in b.sentiment_rows()}
    assert rows["negative"].share_text == "50.0%" and rows["negative"].previous == "0.0%"
    assert rows["negative"].change == "+50 个百分点" and rows["negative"].direction == "up"
    assert b.sentiment_summary() == ("共 8 条提及，其中正面 25.0%、中性 25.0%、负面 50.0%；"
                                     "负面占比较上期上升 50 个百分点。")


def test_media_sources_of_the_bank(daily) -> None:
    data, _ = daily
    # the bank's items per source (the peer's item from 新闻 does not count), most first
    assert [(s.name, s.items, s.negative, s.positive) for s in data.media_sources] == [
        ("新闻", 4, 2, 1), ("微博", 3, 2, 1), ("电视", 1, 0, 0)]
    assert data.media_sources_total == 3
    rows = Briefing(data, with_charts=False).media_rows()
    assert rows[0] == (1, "新闻", "网络媒体", "4", "50.0%", "2")


def test_top_incident_spread_timeline_and_linked_response(daily) -> None:
    data, _ = daily
    top = data.incidents[0]
    assert top.event_id == "ev-out"
    assert top.spread_hours == 1 and len(top.spread) == 24 and top.earlier == 0
    assert (top.spread[9], top.spread[11], top.spread[15], sum(top.spread)) == (2, 1, 1, 4)
    steps = [(e.kind, e.source_name, e.published_at.strftime("%H:%M")) for e in top.entries]
    # first copy; first copy on social media; the bank's response (another story, linked by its
    # headline); the latest copy.  The unrelated 回应 (网点排队) is not linked.
    assert steps == [("first", "新闻", "09:10"), ("channel", "微博", "09:40"), ("response", "电视", "14:00"),
                     ("latest", "新闻", "15:20")]
    assert [e.title for e in top.responses] == [RESPONSE]
    b = Briefing(data, with_charts=False)
    first, why = b.assessment(data.events[0], top)
    assert first == "09:10 由新闻（网络媒体）首发，7 小时内转载 3 次，覆盖网络媒体、社交媒体。"  # 6 h 10 min
    assert why.startswith("关注要点：涉及系统故障，已进入社交媒体，存在继续发酵的风险")
    assert why.endswith("；中国工商银行已于 14:00 回应（电视：「工商银行回应手机银行故障：系统已全面恢复」）。")
    # the spread chart and its note
    assert b.spread_title() == "首要事件逐小时传播：「工商银行手机银行突发故障 多地用户无法登录」"
    assert b.spread_note() == "本期共 4 条，09时最多（2 条）。"
    assert Briefing(data).spread_chart().startswith("data:image/svg+xml;base64,")


def test_a_headline_that_is_the_response_and_an_unanswered_incident(daily) -> None:
    data, config = daily
    by_id = {t.event_id: t for t in data.incidents}
    # the response story is itself the bank's response: its first copy says so
    resp = by_id["ev-resp"]
    assert [e.kind for e in resp.entries] == ["response"]
    # linking: a copy of the story, or a headline sharing two topic bigrams, banks' names taken out
    assert coverage.topic_bigrams(OUTAGE, config) >= {"手机", "机银", "故障", "无法", "登录"}
    assert not {"工商", "银行"} & coverage.topic_bigrams(OUTAGE, config)
    event = next(e for e in data.events if e.event_id == "ev-out")
    assert not coverage.linked({"event_id": "x", "title": "工商银行回应：网点排队问题已整改"}, event, config)


def test_hot_terms_leave_out_bank_names_patterns_and_frames(daily) -> None:
    data, _ = daily
    terms = [(t.term, t.items, t.tone) for t in data.hot_terms]
    # counted once per item: 无法登录 fired in o1–o4, 故障 in o1, o2 and o4
    assert terms[:2] == [("无法登录", 4, "negative"), ("故障", 3, "negative")]
    assert ("普惠", 1, "positive") in terms  # the bank's own coverage only: the peer's 普惠 is not counted
    names = {t for t, _, _ in terms}
    assert not names & {"工商银行", "钱…没了", "网曝"}


def test_positive_coverage_grouped_by_story(daily) -> None:
    data, _ = daily
    assert [i.title for i in data.positive_items] == [GOOD]  # the peer's positive story is not the bank's
    assert data.positive_items[0].item_id == "g1"  # the story's earliest copy stands for it
    assert data.positive_copies == {"g1": 2} and data.positive_total == 1


def test_sections_in_html_with_short_links(daily) -> None:
    data, _ = daily
    html = render_html(data)
    for heading in ("情感分布", "媒体来源 TOP 3", "传播趋势", "事件研判与脉络", "热词", "正面传播"):
        assert heading in html, heading
    # the 原文链接: printed short (host and path, no www.), clickable
    assert '<a class="link" href="https://www.news.example.com/o1" rel="noopener noreferrer">news.example.com/o1</a>' \
        in html
    assert Briefing.link("https://www.example.com/" + "a" * 80) == "example.com/" + "a" * 29 + "…"
    assert Briefing.link("javascript:alert(1)") == "" and Briefing.link(None) == ""


def test_weekly_spread_is_by_day(tmp_path: Path) -> None:
    store, config = make(tmp_path)
    data = report_data(store, config, Period.week_of(DAY), now=NOW)
    top = data.incidents[0]
    assert top.event_id == "ev-out" and top.spread_hours == 24 and len(top.spread) == 7
    assert top.spread[DAY.weekday()] == 4 and sum(top.spread) == 4
    b = Briefing(data, with_charts=False)
    assert b.spread_title().startswith("首要事件逐日传播")
    assert b.spread_note() == "本期共 4 条，11月27日最多（4 条）。"


# --- bank names in English ---------------------------------------------------------------------


def test_english_names_of_the_large_banks() -> None:
    assert english_name("中国工商银行") == "ICBC" and english_name("招商银行") == "China Merchants Bank"
    assert english_name("上海浦东发展银行") == "SPD Bank" and english_name("中国广发银行") == "China Guangfa Bank"
    assert english_name("华夏银行") == "Hua Xia Bank"
    assert english_name("中国邮政储蓄银行") == "Postal Savings Bank of China"
    assert english_name("某农村商业银行") == "某农村商业银行"  # no guess for a bank without a known name
    assert english_name("中国工商银行", "Industrial and Commercial Bank of China") \
        == "Industrial and Commercial Bank of China"
    assert all(re.fullmatch(r"[A-Za-z][A-Za-z .\-]+", v) for v in DEFAULT_NAMES_EN.values())


def test_name_en_in_sources_toml(tmp_path: Path) -> None:
    wuxi = '[[banks]]\nid = "wrcb"\nname = "无锡农村商业银行"\nname_en = " Wuxi Rural Commercial Bank "\n'
    _, config = make(tmp_path, wuxi)
    assert display_names(config.banks, "en") == {"icbc": "ICBC", "ccb": "China Construction Bank",
                                                 "rural": "某农村商业银行", "wrcb": "Wuxi Rural Commercial Bank"}
    assert display_names(config.banks, "zh")["icbc"] == "中国工商银行"
    (tmp_path / "bad").mkdir()
    with pytest.raises(ConfigError) as exc:
        make(tmp_path / "bad", '[[banks]]\nid = "x"\nname = "某银行"\nname_en = 3\n')
    assert "banks[3].name_en: expected a string" in "\n".join(exc.value.problems)


def test_the_english_report_names_banks_in_english(tmp_path: Path) -> None:
    store, config = make(tmp_path)
    data = report_data(store, config, Period.daily(DAY), now=NOW, language="en")
    assert [b.name for b in data.bank_totals] == ["ICBC", "China Construction Bank", "某农村商业银行"]
    assert all(e.bank_names == ("ICBC",) for e in data.events if e.bank_ids == ("icbc",))
    assert data.positive_items[0].bank_names == ("ICBC",)
    html = render_html(data)
    assert "中国工商银行" not in html and "中国建设银行" not in html
    assert "In this period we found <strong>8</strong> items mentioning ICBC" in html
    assert "ICBC responded at 14:00" in html


def test_a_second_story_of_the_incident_shares_the_bank_response() -> None:
    from dataclasses import replace as swap

    from reportgen.models import EventSummary, IncidentTrack, TimelineEntry

    at = datetime(2026, 11, 27, 9, 0, tzinfo=SHANGHAI)
    outage = EventSummary("a", OUTAGE, None, "新闻", "online", at, 4, 2, ("online",), ("icbc",), ("中国工商银行",),
                          "negative", ("outage",), 9.0)
    second = swap(outage, event_id="b", title="工行App登录一直提示系统繁忙", first_published_at=at.replace(hour=12))
    late = swap(outage, event_id="c", first_published_at=at.replace(hour=18))
    other = swap(outage, event_id="d", categories=("complaint",))
    unrelated = swap(outage, event_id="e", title="卡在身上钱却没了：工商银行储户存款被盗刷")
    response = TimelineEntry(at.replace(hour=14), "response", RESPONSE, None, "电视", "broadcast")
    tracks = [IncidentTrack("a", entries=(response,)), *(IncidentTrack(x) for x in "bcde")]
    config = parse_config_text(CONFIG.format(extra_bank=""), Path("sources.toml"))
    shared = coverage.shared_responses([outage, second, late, other, unrelated], tracks, config)
    assert shared[1].responses == (response,)  # same bank, category and topic (登录), answered after it broke
    assert shared[2].responses == () and shared[3].responses == ()  # the response came before; another category
    assert shared[4].responses == ()  # same bank and category, but another story: nothing in common


def _negative(categories: list[str], term: str) -> dict:
    return {"icbc": ("negative", categories, [{"term": term, "weight": -4.0}])}


# The demo's 12-06: the outage story, the posts about it, the bank's statement (judged negative: it
# names the 故障) and an unrelated penalty, each story an event of its own.
DOWN = _negative(["complaint", "outage"], "故障")
INCIDENT_ROWS = [
    ("s1", datetime(2026, 11, 27, 9, 17), "news", OUTAGE + "转账", "ev-story", DOWN),
    ("s2", datetime(2026, 11, 27, 10, 5), "news", OUTAGE + "转账", "ev-story", DOWN),
    ("s3", datetime(2026, 11, 27, 12, 0), "tv", OUTAGE + "转账", "ev-story", DOWN),
    ("p1", datetime(2026, 11, 27, 9, 39), "weibo", "#工行App崩了# 刚发的工资看得到用不了，信用卡今天最后还款日啊",
     "ev-post", _negative(["complaint", "fee_rate", "outage"], "崩了")),
    ("p2", datetime(2026, 11, 27, 9, 50), "weibo", "#工行App崩了# 刚发的工资看得到用不了，信用卡今天最后还款日啊",
     "ev-post", _negative(["complaint", "fee_rate", "outage"], "崩了")),
    ("q1", datetime(2026, 11, 27, 15, 33), "weibo", "#工行App崩了# 工资卡里的钱取不出来，网点门口也排起了长队",
     "ev-queue", _negative(["complaint", "outage"], "取不出来")),
    ("r1", datetime(2026, 11, 27, 17, 52), "news", RESPONSE + " 资金安全不受影响", "ev-resp",
     _negative(["outage", "complaint"], "故障")),
    ("r2", datetime(2026, 11, 27, 18, 18), "news", RESPONSE + " 资金安全不受影响", "ev-resp",
     _negative(["outage", "complaint"], "故障")),
    ("f1", datetime(2026, 11, 27, 17, 18), "news", "工商银行南宁分行因贷款管理不审慎被罚30万元", "ev-fine",
     _negative(["regulatory"], "被罚")),
]


def test_one_incident_is_shown_once_and_its_response_said_the_same_everywhere(tmp_path: Path) -> None:
    """Issue 16: page 1's top events are distinct incidents.  The outage, the bank's statement on it
    and the posts about it are one incident, with one 研判 that names the response, one row in the
    negative list; the unrelated penalty is the next incident."""
    store, config = make(tmp_path, rows=INCIDENT_ROWS)
    data = report_data(store, config, Period.daily(DAY), now=NOW)
    outage = data.events[0]
    assert outage.event_id == "ev-story" and set(outage.event_ids) == {"ev-story", "ev-post", "ev-queue", "ev-resp"}
    assert outage.item_count == 8 and outage.title == OUTAGE + "转账"
    assert [e.event_id for e in data.events] == ["ev-story", "ev-fine"]
    b = Briefing(data, with_charts=False)
    assert [t.title for t in b.top_entries()] == [OUTAGE + "转账", "工商银行南宁分行因贷款管理不审慎被罚30万元"]
    views = {v.event.event_id: v for v in b.incident_views()}
    assert set(views) == {"ev-story", "ev-fine"}
    assert views["ev-story"].responded and "中国工商银行已于 17:52 回应" in views["ev-story"].assessment[1]
    assert "未监测到中国工商银行的回应" not in "".join(views["ev-story"].assessment)
    # the negative list: the incident once (its latest copy is the newest), with its reprints; the penalty
    assert [i.title for i in data.items] == [OUTAGE + "转账", "工商银行南宁分行因贷款管理不审慎被罚30万元"]
    assert data.negative_groups == 2 and b.item_reprints(data.items[0]) == 7


def test_an_incident_stays_negative_however_often_the_banks_statement_is_reprinted(tmp_path: Path) -> None:
    """The bank's statement folds into the incident; judged neutral and reprinted more often than the bad
    news, it must not turn the incident into neutral news (no alert, 持续关注 on page 1)."""
    calm = {"icbc": ("neutral", ["outage"], [])}
    statement = [(f"r{i}", datetime(2026, 11, 27, 17, 52 + i), "news", RESPONSE + " 资金安全不受影响", "ev-resp", calm)
                 for i in range(6)]
    rows = [r for r in INCIDENT_ROWS if r[4] in ("ev-story", "ev-fine")] + statement
    store, config = make(tmp_path, rows=rows)
    data = report_data(store, config, Period.daily(DAY), now=NOW)
    outage = data.events[0]
    assert outage.event_id == "ev-story" and "ev-resp" in outage.event_ids and outage.item_count == 9
    assert outage.label == "negative"
    b = Briefing(data, with_charts=False)
    action = "".join(b.event_action(outage))
    assert "持续关注" not in action and "正面传播" not in action and action


def test_the_assessment_names_the_channels_reached_and_counts_hours_as_the_alert_does() -> None:
    """研判 says which of social media and complaint platforms a story reached (not both whenever one
    is), and its spread in the same whole hours as the alert's incident line (one number)."""
    from dataclasses import replace as swap
    from datetime import timedelta

    from briefing_data import make_report

    from reportgen.models import IncidentTrack

    report = make_report()
    leak = next(e for e in report.events if e.event_id == "ev-leak")
    spread = swap(leak, channels=("online", "social", "broadcast"),
                  last_published_at=leak.first_published_at + timedelta(hours=12, minutes=25))
    data = swap(report, events=tuple(spread if e is leak else e for e in report.events))
    b = Briefing(data, with_charts=False)
    track = IncidentTrack("ev-leak")
    first, why = b.assessment(spread, track)
    assert "13 小时内转载 12 次" in first
    assert "已进入社交媒体，存在继续发酵的风险" in why and "投诉平台" not in why
    alert = next(a for a in data.alerts if a.event_ids[0] == "ev-leak")
    assert "13 小时内转载 12 次" in b.incident(alert)
    _, why = b.assessment(swap(spread, channels=("online", "complaint")), track)
    assert "已进入投诉平台，" in why and "社交媒体" not in why
    _, why = b.assessment(swap(spread, channels=("online", "broadcast")), track)
    assert "已进入" not in why
    # an hour and a half is two hours, two days and an hour three days: rounded up, as the alert
    assert b._span(1.5) == "2 小时" and b._span(49) == "3 天" and b._span(0.5) == "1 小时"
