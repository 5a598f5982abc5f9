"""The briefing's figures, counted in SQL, against a small store whose answers are known by hand:
day boundaries in the report zone (and a day that starts at 08:00), the previous period, per bank,
channel and category counts, and which negative items are listed."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from reportgen.config.core import Config, parse_config_text
from reportgen.insight.aggregate import report_data
from reportgen.periods import Period
from reportgen.store.db import Store, items, mentions, scores

SHANGHAI = ZoneInfo("Asia/Shanghai")
DAY = date(2026, 11, 27)
NOW = datetime(2026, 11, 28, 1, 0, tzinfo=UTC)

CONFIG = """
[settings]
database = "sqlite:///f.db"
output_dir = "out"
{report}
[[banks]]
id = "icbc"
name = "中国工商银行"
role = "self"
[[banks]]
id = "ccb"
name = "中国建设银行"
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
"""

# (item id, local publication time, source, {bank: (label, categories)})
ROWS = [
    ("d1", datetime(2026, 11, 27, 0, 0), "news", {"icbc": ("negative", ["complaint"])}),
    ("d2", datetime(2026, 11, 27, 9, 30), "weibo", {"icbc": ("negative", ["outage"]), "ccb": ("neutral", [])}),
    ("d3", datetime(2026, 11, 27, 23, 59), "news", {"ccb": ("negative", ["fee_rate"])}),
    ("d4", datetime(2026, 11, 27, 7, 0), "weibo", {"icbc": ("positive", ["performance"])}),
    ("d5", datetime(2026, 11, 27, 12, 0), "news", {"ccb": ("neutral", [])}),  # stored without a score below
    ("next", datetime(2026, 11, 28, 0, 0), "news", {"icbc": ("negative", ["complaint"])}),  # the next day
    ("prev1", datetime(2026, 11, 26, 23, 59), "news", {"icbc": ("neutral", [])}),
    ("prev2", datetime(2026, 11, 26, 10, 0), "weibo", {"ccb": ("negative", ["outage"])}),
    ("old", datetime(2026, 11, 20, 10, 0), "news", {"icbc": ("negative", ["complaint"])}),
]
UNSCORED = {"d5"}


def make(tmp_path: Path, report: str = "") -> tuple[Store, Config]:
    path = tmp_path / "sources.toml"
    text = CONFIG.format(report=report)
    path.write_text(text, encoding="utf-8")
    config = parse_config_text(text, path)
    store = Store.open(config.settings.database)
    store.sync_sources(config.sources, lambda s: s.url or "")
    with store.engine.begin() as conn:
        for item_id, local, source, banks in ROWS:
            published = local.replace(tzinfo=SHANGHAI)
            conn.execute(items.insert().values(
                item_id=item_id, source_id=source, title=f"标题 {item_id}", summary="", url=f"https://x.example/{item_id}",
                guid=None, author=None, published_at=published, fetched_at=published, date_missing=False,
                date_capped=False, content_hash=item_id))
            for bank_id, (label, categories) in banks.items():
                conn.execute(mentions.insert().values(item_id=item_id, bank_id=bank_id, in_title=bank_id == "icbc",
                                                      evidence="[]"))
                if item_id in UNSCORED:
                    continue
                conn.execute(scores.insert().values(
                    item_id=item_id, bank_id=bank_id, scorer="rules", version="test", label=label,
                    score=-0.8 if label == "negative" else 0.0,
                    categories=json.dumps([{"code": c, "terms": [], "clause": ""} for c in categories]),
                    reasons=json.dumps([{"term": "投诉", "weight": -1.0, "where": "title", "clause": "", "note": ""}]),
                    scored_at=published))
    return store, config


@pytest.fixture
def daily(tmp_path: Path):  # noqa: ANN201
    store, config = make(tmp_path)
    return report_data(store, config, Period.daily(DAY), now=NOW)


def test_period_totals_use_local_day_boundaries(daily) -> None:  # noqa: ANN001
    t = daily.current
    assert t.total_items == 5  # d1..d5; "next" (00:00 on the 28th) and "prev1" (23:59 on the 26th) are out
    assert t.negative_items == 3  # d1, d2 (icbc) and d3 (ccb)
    assert t.mentions == 6
    assert (t.self_mentions, t.self_negative) == (3, 2)
    assert daily.total_items == 5 and daily.negative_total == 3
    p = daily.previous
    assert (p.total_items, p.negative_items, p.self_mentions, p.self_negative) == (2, 1, 1, 0)


def test_bank_totals_with_previous_period(daily) -> None:  # noqa: ANN001
    icbc, ccb = daily.bank_totals
    assert (icbc.bank_id, icbc.mentions, icbc.title_mentions, icbc.negative) == ("icbc", 3, 3, 2)
    assert (ccb.mentions, ccb.negative) == (3, 1)
    assert icbc.share_of_voice == pytest.approx(0.5)
    assert (icbc.previous_mentions, icbc.previous_negative, ccb.previous_mentions, ccb.previous_negative) == \
        (1, 0, 1, 1)


def test_trend_has_fourteen_days_ending_with_the_report_day(daily) -> None:  # noqa: ANN001
    assert len(daily.trend) == 14
    assert daily.trend[-1].first == DAY and daily.trend[0].first == DAY - timedelta(days=13)
    assert daily.trend[-1].totals == daily.current
    assert daily.trend[-2].totals == daily.previous
    old = next(p for p in daily.trend if p.first == date(2026, 11, 20))
    assert (old.totals.total_items, old.totals.self_negative) == (1, 1)
    assert sum(p.totals.total_items for p in daily.trend) == 8  # everything but "next"


def test_channels_and_categories(daily) -> None:  # noqa: ANN001
    channels = {c.channel: c for c in daily.channels}
    assert (channels["online"].items, channels["online"].negative_items) == (3, 2)
    assert (channels["social"].items, channels["social"].self_negative) == (2, 1)
    categories = {c.code: c for c in daily.categories}
    assert (categories["complaint"].mentions, categories["complaint"].self_negative) == (1, 1)
    assert (categories["fee_rate"].negative, categories["fee_rate"].self_negative) == (1, 0)
    assert categories["performance"].negative == 0
    assert daily.categories[0].self_negative == 1  # the bank's own risks first


def test_negative_items_ours_first_then_newest(daily) -> None:  # noqa: ANN001
    assert [i.item_id for i in daily.items] == ["d2", "d1", "d3"]
    d2 = daily.items[0]
    assert d2.bank_names == ("中国工商银行", "中国建设银行")
    assert [j.label for j in d2.judgements] == ["negative", "neutral"]
    assert d2.published_at.tzinfo is not None and d2.published_at.hour == 9


def test_the_list_is_capped_but_the_count_is_not(tmp_path: Path) -> None:
    store, config = make(tmp_path, "[report]\nnegative_items_max = 1")
    data = report_data(store, config, Period.daily(DAY), now=NOW)
    assert [i.item_id for i in data.items] == ["d2"] and data.negative_total == 3


def test_a_day_that_starts_at_eight(tmp_path: Path) -> None:
    store, config = make(tmp_path, "[report]\nday_start_hour = 8")
    data = report_data(store, config, Period.daily(DAY), now=NOW)
    assert data.window_start == datetime(2026, 11, 27, 8, 0, tzinfo=SHANGHAI)
    # 27th 08:00 → 28th 08:00: d2, d3, d5 and "next"; d1 (00:00) and d4 (07:00) belong to the 26th's report
    assert data.current.total_items == 4
    assert data.previous.total_items == 4  # 26th 08:00 → 27th 08:00: prev2, prev1, d1, d4
    assert data.trend[-1].totals == data.current


def test_weekly_trend_sums_whole_iso_weeks(tmp_path: Path) -> None:
    store, config = make(tmp_path, "[report]\ntrend_weeks = 3")
    data = report_data(store, config, Period.week_of(DAY), now=NOW)
    assert data.period == "weekly" and data.day == date(2026, 11, 23) and data.last_day == date(2026, 11, 29)
    assert [p.first for p in data.weekly_trend] == [date(2026, 11, 9), date(2026, 11, 16), date(2026, 11, 23)]
    assert [p.totals.total_items for p in data.weekly_trend] == [0, 1, 8]
    assert data.weekly_trend[-1].totals == data.current
    assert len(data.trend) == 14  # the last two weeks day by day


def test_days_across_a_clock_change_are_exact(tmp_path: Path) -> None:
    """Europe/Berlin leaves summer time on 25 October 2026: that day lasts 25 hours, so the days are
    not equal spans of time and the buckets are drawn from the day boundaries themselves."""
    text = CONFIG.format(report="").replace('[settings]\n', '[settings]\ntimezone = "Europe/Berlin"\n')
    path = tmp_path / "sources.toml"
    path.write_text(text, encoding="utf-8")
    config = parse_config_text(text, path)
    store = Store.open(config.settings.database)
    store.sync_sources(config.sources, lambda s: s.url or "")
    berlin = ZoneInfo("Europe/Berlin")
    with store.engine.begin() as conn:
        for item_id, local in (("a", datetime(2026, 10, 25, 0, 30)), ("b", datetime(2026, 10, 25, 23, 30)),
                               ("c", datetime(2026, 10, 26, 0, 30)), ("d", datetime(2026, 10, 24, 23, 30))):
            published = local.replace(tzinfo=berlin)
            conn.execute(items.insert().values(
                item_id=item_id, source_id="news", title=item_id, summary="", url=None, guid=None, author=None,
                published_at=published, fetched_at=published, date_missing=False, date_capped=False,
                content_hash=item_id))
            conn.execute(mentions.insert().values(item_id=item_id, bank_id="icbc", in_title=True, evidence="[]"))
    data = report_data(store, config, Period.daily(date(2026, 10, 25)), now=NOW)
    assert data.current.total_items == 2  # a and b; c is the 26th, d the 24th
    assert [p.totals.total_items for p in data.trend[-3:]] == [0, 1, 2]  # the 23rd, d on the 24th, a and b


def test_response_candidates_of_several_incidents_from_one_scan(tmp_path: Path) -> None:
    from reportgen.insight.coverage import RESPONSE_TERMS
    from reportgen.insight.summaries import EventBook
    from reportgen.store import figures

    store, _ = make(tmp_path)
    titles = {"d1": "工商银行回应投诉", "d2": "两行发布声明", "d3": "建设银行 RESPONDS to users",
              "d4": "工行ＲＥＳＰＯＮＤ理财", "prev1": "工商银行致歉", "next": "工商银行澄清"}
    with store.engine.begin() as conn:
        for item_id, title in titles.items():
            conn.execute(items.update().where(items.c.item_id == item_id).values(title=title))
    start = datetime(2026, 11, 26, tzinfo=SHANGHAI)
    end = datetime(2026, 11, 28, tzinfo=SHANGHAI)
    with figures.reading(store) as conn:
        rows = figures.response_rows(conn, ["ccb", "icbc"], start, end, RESPONSE_TERMS)
        # d2 names both banks: a row for each; d4 holds no response word; "next" is after the end
        assert [(r["item_id"], r["bank_id"]) for r in rows] == [
            ("prev1", "icbc"), ("d1", "icbc"), ("d2", "ccb"), ("d2", "icbc"), ("d3", "ccb")]
        day = datetime(2026, 11, 27, tzinfo=SHANGHAI)
        ours = figures.responses_of(rows, ["icbc"], day, 10)
        assert [r["item_id"] for r in ours] == ["d1", "d2"]  # from the incident's first copy on
        assert "bank_id" not in ours[0] and ours[0]["title"] == "工商银行回应投诉"
        assert [r["item_id"] for r in figures.responses_of(rows, ["icbc", "ccb"], start, 10)] == [
            "prev1", "d1", "d2", "d3"]  # each item once
        assert [r["item_id"] for r in figures.responses_of(rows, ["ccb", "icbc"], start, 2)] == ["prev1", "d1"]
        assert figures.responses_of(rows, ["abc"], start, 10) == []
        assert figures.response_rows(conn, [], start, end, RESPONSE_TERMS) == []
        # from the items as the events' reading holds them: the same rows, the title tested as LIKE
        # would (ASCII letters in any case, others as they are: ＲＥＳＰＯＮＤ is no response)
        read = EventBook.read(store, start - timedelta(days=7), end).items(start - timedelta(days=7), end)
        for since in (start, day, datetime(2026, 11, 27, 9, 30, tzinfo=SHANGHAI)):
            for banks in (["ccb", "icbc"], ["icbc"]):
                assert figures.response_rows(conn, banks, since, end, RESPONSE_TERMS, read) == figures.response_rows(
                    conn, banks, since, end, RESPONSE_TERMS)


@pytest.mark.parametrize("hour", [0, 8, 13])
@pytest.mark.parametrize("whose", ["self", "all"])
def test_period_counts_are_the_separate_counts(tmp_path: Path, hour: int, whose: str) -> None:
    """period_counts (two scans) answers what bucket_totals, bank_counts, channel_counts,
    category_counts, label_counts and source_counts answer one scan each: for the bank's own
    coverage and everyone's, for a daily and a weekly report's windows, and for a window whose
    bounds are not the trend's day bounds (13:00 against days from 08:00: buckets split further)."""
    from reportgen.insight.summaries import EventBook
    from reportgen.periods import Window, day_start
    from reportgen.store import figures

    store, config = make(tmp_path, f"[report]\nday_start_hour = {hour}\n" if hour in (0, 8) else "")
    published = datetime(2026, 11, 27, 15, 0, tzinfo=SHANGHAI)  # positive for the peer only, beside the bank
    with store.engine.begin() as conn:
        conn.execute(items.insert().values(
            item_id="mixed", source_id="weibo", title="标题 mixed", summary="", url=None, guid=None, author=None,
            published_at=published, fetched_at=published, date_missing=False, date_capped=False, content_hash="m"))
        for bank_id, label in (("icbc", "neutral"), ("ccb", "positive")):
            conn.execute(mentions.insert().values(item_id="mixed", bank_id=bank_id, in_title=False, evidence="[]"))
            conn.execute(scores.insert().values(
                item_id="mixed", bank_id=bank_id, scorer="rules", version="test", label=label, score=0.0,
                categories="[]", reasons="[]", scored_at=published))
    self_ids, scope = (frozenset({"icbc"}), frozenset({"icbc"})) if whose == "self" else (frozenset(), None)
    tz = SHANGHAI
    for first, last, step in ((DAY, DAY, 1), (date(2026, 11, 23), date(2026, 11, 29), 7)):
        trend_first = first - timedelta(days=13)
        trend = [day_start(trend_first + timedelta(days=i), tz, 8 if hour == 13 else hour)
                 for i in range((last - trend_first).days + 2)]
        window = Window.for_days(first, last, tz, hour)
        previous = Window.for_days(first - timedelta(days=step), last - timedelta(days=step), tz, hour)
        bounds = [previous.start, window.start, window.end]
        with figures.reading(store) as conn:
            counted = figures.period_counts(conn, trend, previous.start, (window.start, window.end), self_ids, scope)
            assert counted.trend == figures.bucket_totals(conn, trend, self_ids)
            assert counted.banks == figures.bank_counts(conn, bounds)
            assert counted.channels == figures.channel_counts(conn, window.start, window.end, self_ids)
            assert counted.categories == figures.category_counts(conn, window.start, window.end, self_ids)
            assert counted.labels == figures.label_counts(conn, bounds, scope)
            assert counted.sources == figures.source_counts(conn, window.start, window.end, scope)
            # the window counted from its items as the events' reading holds them (none clustered here)
            read = EventBook.read(store, window.start, window.end).items(window.start, window.end)
            assert read and all(item[7] is None for item in read)
            assert figures.period_counts(conn, trend, previous.start, (window.start, window.end), self_ids, scope,
                                         read) == counted
            for limit in (100, 2):  # the items listed, from the items read as from the database
                negatives = figures.negative_item_ids(conn, window.start, window.end, self_ids, limit)
                assert negatives and figures.negative_item_ids(conn, window.start, window.end, self_ids, limit,
                                                               read) == negatives
                for label in ("positive", "neutral"):
                    banks = scope or frozenset({"icbc", "ccb"})
                    found = figures.labelled_item_ids(conn, window.start, window.end, banks, label, limit)
                    assert figures.labelled_item_ids(conn, window.start, window.end, banks, label, limit,
                                                     read) == found
        assert sum(t.total_items for t in counted.trend) and counted.channels and counted.sources
