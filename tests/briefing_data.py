"""A fixed, hand-built briefing (daily and weekly) for the render, golden and browser tests.

Nothing here comes from the scorer, the event clustering or the clock, so a lexicon change or a
new heat formula does not move the golden files.  It carries what the real report must cope
with: a hostile headline (``<script>``), a ``javascript:`` link, an undated item, a failed and a
never-fetched source (with enough others answering that the data-completeness gate passes;
tests/test_briefing_truth.py fails it), events with reprints, and alerts of levels 二级 and 三级 (1 = 一级 is the most
severe) with their playbook.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from reportgen.models import (
    AlertSummary,
    BankJudgement,
    BankTotal,
    CategoryCount,
    ChannelCount,
    EventSummary,
    HotTerm,
    IncidentTrack,
    PeriodTotals,
    ReportData,
    ReportItem,
    SentimentSplit,
    SourceCount,
    SourceHealthRow,
    TimelineEntry,
    TrendPoint,
)
from reportgen.score.categories import DEFAULT_CATEGORIES

SHANGHAI = ZoneInfo("Asia/Shanghai")
DAY = date(2024, 5, 20)  # a Monday: the weekly report covers 2024-W21, 20–26 May
START = datetime(2024, 5, 20, tzinfo=SHANGHAI)
HOSTILE_TITLE = "<script>alert(1)</script>"
JS_URL = "javascript:alert(document.cookie)"
FAILED_SOURCE_ERROR = "HTTP 503 Service Unavailable after 3 attempts"
SELF = "中国工商银行"

BANKS = (
    BankTotal("icbc", SELF, "self", 7, 4, 0.35, 3, previous_mentions=5, previous_negative=1),
    BankTotal("ccb", "中国建设银行", "competitor", 5, 3, 0.25, 2, previous_mentions=6, previous_negative=2),
    BankTotal("abc", "中国农业银行", "competitor", 4, 2, 0.20, 1, previous_mentions=4, previous_negative=0),
    BankTotal("boc", "中国银行", "competitor", 3, 1, 0.15, 1, previous_mentions=2, previous_negative=0),
    BankTotal("cmb", "招商银行", "competitor", 1, 0, 0.05, 0, previous_mentions=3, previous_negative=1),
)

# The negative items the report lists: (title, channel, source, banks, negative for, categories, reasons)
ITEMS = [
    ("工商银行客户经理涉嫌倒卖客户个人信息被立案", "online", "东方财富", (SELF,), SELF,
     ("data_leak", "regulatory"), ("倒卖", "立案")),
    ("多地储户投诉网点排队时间过长，银行回应称将增设窗口", "social", "微博", (SELF, "中国建设银行"), SELF,
     ("complaint",), ("投诉", "排队")),
    ("黑猫投诉：信用卡年费争议，持卡人称未被告知收费规则", "complaint", "黑猫投诉", (SELF,), SELF,
     ("complaint", "fee_rate"), ("投诉", "争议")),
    ("建设银行手机银行上午出现短暂无法登录，目前已恢复正常", "social", "微博", ("中国建设银行",), "中国建设银行",
     ("outage",), ("无法登录",)),
    ("国家金融监督管理总局公布行政处罚信息：某分行因贷款管理不审慎被罚款", "regulator", "国家金融监督管理总局",
     ("中国农业银行",), "中国农业银行", ("regulatory",), ("行政处罚", "罚款")),
    (HOSTILE_TITLE, "online", "新浪财经", ("中国银行",), "中国银行", ("ops_loss",), ("资金不翼而飞",)),
]


def _items() -> tuple[ReportItem, ...]:
    out = []
    for i, (title, channel, source, banks, negative_for, categories, reasons) in enumerate(ITEMS):
        judgements = tuple(
            BankJudgement(name, "negative", -0.8, categories, reasons) if name == negative_for
            else BankJudgement(name, "neutral", 0.0)
            for name in banks)
        out.append(ReportItem(
            item_id=f"item-{i}", title=title,
            url=JS_URL if title == HOSTILE_TITLE else f"https://news.example.com/a/{i}.html",
            source_id=f"src-{i}", source_name=source, channel=channel,
            published_at=START + timedelta(hours=22 - 3 * i, minutes=7 * i),
            bank_names=banks, date_missing=(i == 2), judgements=judgements))
    return tuple(out)


def _events() -> tuple[EventSummary, ...]:
    """Hottest first, as the event store hands them over."""
    events = (
        EventSummary("ev-leak", "工商银行客户经理涉嫌倒卖客户个人信息被立案", "https://news.example.com/a/0.html",
                     "东方财富", "online", START + timedelta(hours=9, minutes=12), 13, 9, ("online", "social"),
                     ("icbc",), (SELF,), "negative", ("data_leak", "regulatory"), 412.5, {"icbc": 412.5}),
        EventSummary("ev-queue", "多地储户投诉网点排队时间过长，银行回应称将增设窗口", "https://news.example.com/a/1.html",
                     "微博", "social", START + timedelta(hours=8, minutes=3), 6, 5, ("social",), ("icbc", "ccb"),
                     (SELF, "中国建设银行"), "negative", ("complaint",), 96.0, {"icbc": 64.0, "ccb": 32.0}),
        EventSummary("ev-rate", "工行、农行下调部分期限存款挂牌利率", "https://news.example.com/a/9.html", "新浪财经",
                     "online", START + timedelta(hours=10), 8, 6, ("online", "print"), ("icbc", "abc"),
                     (SELF, "中国农业银行"), "neutral", ("fee_rate",), 180.0, {"icbc": 90.0, "abc": 90.0}),
        EventSummary("ev-outage", "建设银行手机银行上午出现短暂无法登录，目前已恢复正常", None, "微博", "social",
                     START + timedelta(hours=11, minutes=40), 4, 3, ("social",), ("ccb",), ("中国建设银行",),
                     "negative", ("outage",), 45.0, {"ccb": 45.0}),
        EventSummary("ev-hostile", HOSTILE_TITLE, JS_URL, "新浪财经", "online", START + timedelta(hours=15), 1, 1,
                     ("online",), ("boc",), ("中国银行",), "negative", ("ops_loss",), 30.0, {"boc": 30.0}),
    )
    return tuple(sorted(events, key=lambda e: -e.heat))


def _alerts() -> tuple[AlertSummary, ...]:
    return (
        AlertSummary("icbc", SELF, DAY, 2, "category", "客户信息泄露类负面 2 条，高于近 28 日基线 0.3 条", "data_leak",
                     2, 0.3, 412.5, ("ev-leak",),
                     ("2 小时内发布情况说明，核实涉事员工", "配合公安机关调查，通知受影响客户", "排查客户信息访问权限"),
                     "信息科技部、消费者权益保护部"),
        AlertSummary("icbc", SELF, DAY, 3, "volume", "本行负面 3 条，高于近 28 日基线 1.2 条", None, 3, 1.2, 508.5,
                     ("ev-leak", "ev-queue"), ("持续监测，准备回应口径",), "品牌与舆情管理部"),
        AlertSummary("ccb", "中国建设银行", DAY, 3, "category", "系统故障类负面 1 条", "outage", 1, 0.1, 45.0,
                     ("ev-outage",), ("关注同业动态",), ""),
    )


def _trend(last: date, days: int, base: int) -> tuple[TrendPoint, ...]:
    out = []
    for i in range(days):
        d = last - timedelta(days=days - 1 - i)
        n = base + (i * 7) % 11
        out.append(TrendPoint(d, d, PeriodTotals(n * 3, n // 3, n * 4, n, (i * 5) % 4)))
    return tuple(out)


def make_report(language: str = "zh", period: str = "daily") -> ReportData:
    daily = period == "daily"
    health = (
        SourceHealthRow("eastmoney", "东方财富", "online", "ok", START + timedelta(days=1, hours=6), 200, 50, 12),
        SourceHealthRow("sina", "新浪财经", "online", "not_modified", START + timedelta(days=1, hours=6), 304),
        SourceHealthRow("cls", "财联社电报", "online", "failed", START + timedelta(days=1, hours=6), 503,
                        error=FAILED_SOURCE_ERROR),
        SourceHealthRow("nfra", "国家金融监督管理总局", "regulator", "ok", START + timedelta(days=1, hours=6), 200, 0,
                        warning="feed is not well-formed XML (bozo)"),
        SourceHealthRow("weibo", "微博关键词", "social", "never", None),
        # healthy sources enough for the data-completeness gate (12 of 15 delivered entries, every channel
        # heard; the empty nfra feed counts as no answer)
        *(SourceHealthRow(source_id, name, channel, "ok", START + timedelta(days=1, hours=6), 200, 20, 3)
          for source_id, name, channel in (("wechat", "微信公众号", "social"), ("caixin", "财新", "online"),
                                           ("paper", "金融时报", "print"), ("blackcat", "黑猫投诉", "complaint"),
                                           ("pbc", "中国人民银行", "regulator"), ("yicai", "第一财经", "online"),
                                           ("jiemian", "界面新闻", "online"), ("stcn", "证券时报", "print"),
                                           ("xueqiu", "雪球", "social"), ("tousu", "聚投诉", "complaint"))),
    )
    last = DAY if daily else DAY + timedelta(days=6)
    trend = _trend(last, 14, 5)
    return ReportData(
        title=("银行舆情日报" if daily else "银行舆情周报") if language == "zh"
        else ("Bank Media Monitoring Daily" if daily else "Bank Media Monitoring Weekly"),
        organisation="品牌与舆情管理部",
        language=language,
        timezone="Asia/Shanghai",
        day=DAY,
        period=period,
        last_day=None if daily else last,
        window_start=START,
        window_end=START + timedelta(days=1 if daily else 7),
        generated_at=START + timedelta(days=1 if daily else 7, hours=7, minutes=30),
        newest_item_at=START + timedelta(hours=22, minutes=41),
        total_items=20,
        bank_totals=BANKS,
        items=_items(),
        source_health=health,
        category_names={c.code: c.name(language) for c in DEFAULT_CATEGORIES},
        events=_events(),
        alerts=_alerts(),
        author="品牌与舆情管理部",
        current=PeriodTotals(20, 8, 20, 7, 3),
        previous=PeriodTotals(18, 5, 20, 5, 1),
        negative_total=8,
        trend=trend,
        weekly_trend=() if daily else tuple(
            TrendPoint(DAY - timedelta(weeks=7 - w), DAY - timedelta(weeks=7 - w) + timedelta(days=6),
                       PeriodTotals(100 + 9 * w, 12 + w, 130 + 9 * w, 30 + 2 * w, 3 + w % 3)) for w in range(8)),
        channels=(
            ChannelCount("online", 9, 3, 4, 1), ChannelCount("social", 5, 3, 2, 1),
            ChannelCount("regulator", 3, 1, 0, 0), ChannelCount("complaint", 2, 1, 1, 1),
            ChannelCount("print", 1, 0, 0, 0),
        ),
        categories=(
            CategoryCount("data_leak", 1, 1, 1, 1), CategoryCount("complaint", 3, 2, 2, 2),
            CategoryCount("regulatory", 3, 2, 1, 1), CategoryCount("fee_rate", 2, 1, 1, 1),
            CategoryCount("outage", 1, 1, 0, 0), CategoryCount("performance", 4, 0, 2, 0),
        ),
        **_coverage(daily),
    )


def _coverage(daily: bool) -> dict[str, Any]:
    """The sections a 舆情日报 reader expects (issue 16): 情感分布 against the previous period, 媒体来源
    TOP-N (more sources than listed), the top incidents' spread and timelines (the first answered by
    the bank, the second not), 热词 and 正面传播."""
    def step(hours: float, kind: str, title: str, source: str, channel: str, url: str | None) -> TimelineEntry:
        return TimelineEntry(START + timedelta(hours=hours), kind, title, url, source, channel)

    leak = "工商银行客户经理涉嫌倒卖客户个人信息被立案"
    spread = (0,) * 9 + (2, 3, 4, 1, 0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0) if daily else (13, 4, 2, 1, 0, 0, 0)
    return {
        "sentiment": SentimentSplit(positive=2, neutral=2, negative=3, unscored=0),
        "previous_sentiment": SentimentSplit(positive=2, neutral=2, negative=1),
        "media_sources": (SourceCount("eastmoney", "东方财富", "online", 3, 1),
                          SourceCount("weibo", "微博关键词：工商银行网点排队投诉与信用卡年费争议合集", "social", 2, 2),
                          SourceCount("blackcat", "黑猫投诉", "complaint", 1, 1),
                          SourceCount("paper", "金融时报", "print", 1, 0, 1)),
        "media_sources_total": 6,
        "incidents": (
            IncidentTrack("ev-leak", spread, START, 1 if daily else 24, 0, (
                step(9.2, "first", leak, "东方财富", "online", "https://news.example.com/a/0.html"),
                step(10.5, "channel", leak, "微博关键词", "social",
                     "https://weibo.example.com/detail/4999123456789012345678901234567890?from=page_1005"),
                step(13.0, "response", "工商银行回应“客户信息被倒卖”：已报警并配合调查", "新浪财经", "online",
                     "https://finance.example.com/roll/2024-05-20/doc-response.shtml"),
                step(21.7, "latest", leak, "金融时报", "print", None),
            )),
            IncidentTrack("ev-queue", (0,) * 24 if daily else (0,) * 7, START, 1 if daily else 24, 2, (
                step(8.05, "first", "多地储户投诉网点排队时间过长，银行回应称将增设窗口", "微博", "social",
                     "https://news.example.com/a/1.html"),
            )),
        ),
        "hot_terms": (HotTerm("倒卖", 3, "negative"), HotTerm("投诉", 3, "negative"), HotTerm("立案", 2, "negative"),
                      HotTerm("排队", 2, "negative"), HotTerm("年费", 1, "negative"), HotTerm("普惠", 1, "positive")),
        "positive_items": (ReportItem(
            "item-pos", "工商银行普惠型小微企业贷款余额突破2万亿元", "https://www.example.com/finance/2024/05/20/"
            "icbc-inclusive-finance-loans-pass-two-trillion-yuan.html", "paper", "金融时报", "print",
            START + timedelta(hours=7, minutes=45), (SELF,), judgements=(BankJudgement(SELF, "positive", 0.7),)),),
        "positive_total": 2,
        "positive_copies": {"item-pos": 3},
    }


def quiet_report(language: str = "zh") -> ReportData:
    """A day with coverage but nothing negative about the bank and no alert."""
    import dataclasses

    report = make_report(language)
    banks = tuple(dataclasses.replace(b, negative=0) if b.role == "self" else b for b in report.bank_totals)
    return dataclasses.replace(
        report, bank_totals=banks, alerts=(), events=tuple(e for e in report.events if "icbc" not in e.bank_ids),
        items=tuple(i for i in report.items
                    if SELF not in [j.bank_name for j in i.judgements if j.label == "negative"]),
        current=PeriodTotals(20, 3, 20, 7, 0), negative_total=3)
