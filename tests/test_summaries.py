"""Event summaries from one reading: the same figures whichever window they are asked for.

The report raises each day's alerts and then lists the period's events from one reading of the
store (:func:`reportgen.insight.summaries.events_read_once`); a day read on its own and a day
taken from the week's reading must agree figure for figure, and clustering inside the reading
must not leave it stale.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from reportgen.config.core import parse_config_text
from reportgen.demo.data import demo_config_toml, generate_demo_items
from reportgen.flow.pipeline import score_pending
from reportgen.ingest.normalize import content_hash, html_to_text
from reportgen.insight import summaries
from reportgen.insight.incidents import cluster_pending, event_summaries
from reportgen.insight.summaries import EventBook, events_read_once
from reportgen.models import FetchStatus, Item, SourceHealth
from reportgen.periods import Window
from reportgen.score.match import Matcher
from reportgen.store.db import Store

NOW = datetime(2026, 11, 28, 1, 0, tzinfo=UTC)


def _store(tmp_path: Path, until: datetime):
    config = parse_config_text(demo_config_toml("http://127.0.0.1:9", database=f"sqlite:///{tmp_path}/s.db",
                                                output_dir=str(tmp_path / "out")), tmp_path / "sources.toml")
    store = Store.open(config.settings.database)
    store.sync_sources(config.sources, lambda s: s.url or "")
    by_source: dict[str, list[Item]] = defaultdict(list)
    for demo in generate_demo_items(NOW, days=6, seed=3):
        if demo.published_at >= until:
            continue
        summary = html_to_text(demo.summary_html)
        by_source[demo.source_id].append(Item(
            item_id=demo.guid, source_id=demo.source_id, title=demo.title, summary=summary, url=demo.link,
            guid=demo.guid, author=demo.author, published_at=demo.published_at, fetched_at=NOW,
            content_hash=content_hash(demo.title, summary)))
    matcher = Matcher(config.banks)
    run_id = store.start_run("fetch", NOW)
    for source_id, found in by_source.items():
        store.save_source_batch(run_id, SourceHealth(source_id, FetchStatus.OK, NOW, 0.1, 200, len(found)), None,
                                found, matcher.mentions)
    score_pending(store, config)
    cluster_pending(store, config)
    return store, config


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    return _store(tmp_path_factory.mktemp("summaries"), NOW)


def test_a_day_from_the_weeks_reading_is_the_day_read_alone(demo):
    store, config = demo
    tz = config.settings.tz
    last = (NOW - timedelta(days=1)).astimezone(tz).date()
    first = last - timedelta(days=4)
    week = Window.for_days(first, last, tz)
    book = EventBook.read(store, week.start, week.end)
    assert len(book) > 20
    reprinted = 0
    for offset in range(5):
        day = Window.for_days(first + timedelta(days=offset), first + timedelta(days=offset), tz)
        for merge in (False, True):
            alone = EventBook.read(store, day.start, day.end).summaries(config, day.start, day.end,
                                                                       merge_near_duplicates=merge)
            assert book.summaries(config, day.start, day.end, merge_near_duplicates=merge) == alone
        reprinted += sum(e.item_count > 1 for e in alone)
    assert reprinted, "the demo has reprints: the events must show them"
    # a window that is not inside the reading is refused, not answered from part of it
    with pytest.raises(ValueError, match="not inside"):
        book.summaries(config, week.start - timedelta(hours=1), week.end)


def test_reprint_counts_reach_back_before_the_window(demo):
    store, config = demo
    tz = config.settings.tz
    last = (NOW - timedelta(days=1)).astimezone(tz).date()
    day, week = Window.for_days(last, last, tz), Window.for_days(last - timedelta(days=4), last, tz)
    weekly = {e.event_id: e for e in event_summaries(store, config, week.start, week.end)}
    daily = event_summaries(store, config, day.start, day.end)
    assert daily
    for event in daily:
        # the day's figures count every copy up to the day's end, also those of earlier days
        assert event.item_count == weekly[event.event_id].item_count
        assert event.heat <= weekly[event.event_id].heat + 1e-9


def test_one_reading_inside_events_read_once_and_a_fresh_one_after_clustering(tmp_path, monkeypatch):
    until = NOW - timedelta(hours=30)
    store, config = _store(tmp_path, until)
    tz = config.settings.tz
    last = (NOW - timedelta(days=1)).astimezone(tz).date()
    reads = []
    real = EventBook.read

    def counted(cls, store, start, end):
        reads.append((start, end))
        return real(store, start, end)

    monkeypatch.setattr(EventBook, "read", classmethod(counted))
    with events_read_once(store, config, last - timedelta(days=2), last):
        before = [event_summaries(store, config, w.start, w.end) for w in
                  (Window.for_days(last - timedelta(days=k), last - timedelta(days=k), tz) for k in range(3))]
        assert len(reads) == 1  # three days, one reading
        # new items arrive and are clustered: the next summary reads the store again
        for demo in generate_demo_items(NOW, days=6, seed=3):
            if until <= demo.published_at < NOW:
                summary = html_to_text(demo.summary_html)
                item = Item(item_id=demo.guid, source_id=demo.source_id, title=demo.title, summary=summary,
                            url=demo.link, guid=demo.guid, author=demo.author, published_at=demo.published_at,
                            fetched_at=NOW, content_hash=content_hash(demo.title, summary))
                store.save_source_batch(store.start_run("fetch", NOW),
                                        SourceHealth(demo.source_id, FetchStatus.OK, NOW, 0.1, 200, 1), None, [item],
                                        Matcher(config.banks).mentions)
        score_pending(store, config)
        assert cluster_pending(store, config) > 0
        day = Window.for_days(last, last, tz)
        after = event_summaries(store, config, day.start, day.end)
        assert len(reads) == 2
        assert sum(e.item_count for e in after) > sum(e.item_count for e in before[0])
    summaries.forget_reading(store)  # outside a reading: nothing to forget, and no error
    assert event_summaries(store, config, day.start, day.end) == after
    assert len(reads) == 3  # outside, each call reads


def test_one_copy_events_the_short_way_are_the_long_way(demo):
    """An event of one copy takes its banks, judgement and categories from the first item judged
    alike (``_Figures.single``): each must equal what the general pass computes from its copy."""
    store, config = demo
    tz = config.settings.tz
    last = (NOW - timedelta(days=1)).astimezone(tz).date()
    week = Window.for_days(last - timedelta(days=4), last, tz)
    book = EventBook.read(store, week.start, week.end)
    figures = summaries._Figures(config, week.end, False)
    singles = [(event_id, copies[0]) for event_id, copies in book._events.items() if len(copies) == 1]
    assert len(singles) > 20
    judged_alike = 0
    for event_id, copy in singles:
        judged_alike += copy[8] in figures._alike
        short = figures.single(event_id, copy)
        assert short == figures.summary(event_id, [copy], 0)
        assert repr(short) == repr(figures.summary(event_id, [copy], 0))  # dicts in the same order, too
    assert judged_alike, "some items are judged alike: the shared figures must be reused"
