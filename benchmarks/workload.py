"""Synthetic feeds for the benchmarks: Chinese bank news from the demo's story templates.

::

    feeds = generate_workload(200, 50, seed=3)      # [(source_id, RSS bytes)], about 10 000 items
    text = workload_config_toml([sid for sid, _ in feeds])

The text comes from :mod:`reportgen.demo.data` (same templates, banks and traps), so the matcher
and the scorers do realistic work; about 30 % of the items are edited reprints of earlier stories,
so clustering has something to cluster.  Output depends only on the arguments: with ``now=None``
the items are dated in the two days before a fixed reference time (:data:`DEFAULT_NOW`), never
the wall clock.  Generating 200 feeds × 50 items takes well under two seconds.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from reportgen.demo.data import STORY_TEMPLATES, demo_config_toml, fill_story, format_date, render_rss

__all__ = ["DEFAULT_NOW", "generate_workload", "workload_banks_toml", "workload_config_toml"]

DEFAULT_NOW = datetime(2026, 11, 28, 8, 0, tzinfo=ZoneInfo("Asia/Shanghai"))

_PREFIXES = ("", "", "【快讯】", "【独家】", "突发！")
_SUFFIXES = ("", "", "丨财经早知道", "｜银行观察", "（附回应）")
_AUTHORS = ("财联社", "东方财富网", "新浪财经综合", "21世纪经济报道", "华夏财经日报", "银行观察家")
_DATE_STYLES = ("rfc822", "rfc822", "rfc822", "gmt", "cst", "naive", "iso")


def generate_workload(n_feeds: int, items_per_feed: int, *, seed: int = 1, now: datetime | None = None,
                      reprint_share: float = 0.3) -> list[tuple[str, bytes]]:
    """``n_feeds`` UTF-8 RSS 2.0 feeds of ``items_per_feed`` items each, as (source_id, bytes)."""
    if n_feeds < 0 or items_per_feed < 0:
        raise ValueError("n_feeds and items_per_feed must not be negative")
    now = now or DEFAULT_NOW
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    rng = random.Random(f"reportgen-workload:{seed}:{n_feeds}:{items_per_feed}:{now.isoformat()}")
    templates = STORY_TEMPLATES
    weights = [t.weight for t in templates]
    stories: list[tuple[str, str]] = []
    feeds: list[tuple[str, bytes]] = []
    for f in range(n_feeds):
        source_id = f"bench-{f:03d}"
        date_style = _DATE_STYLES[f % len(_DATE_STYLES)]
        entries = []
        for i in range(items_per_feed):
            when = now - timedelta(seconds=rng.randint(60, 2 * 86400))
            if stories and rng.random() < reprint_share:
                title, summary = stories[rng.randrange(len(stories))]
                title = rng.choice(_PREFIXES) + title + rng.choice(_SUFFIXES)
            else:
                template = rng.choices(templates, weights=weights)[0]
                story = fill_story(template, rng, when)
                variant = rng.randrange(len(story.titles))
                title, summary = story.titles[variant], story.summaries[0]
                stories.append((title, summary))
            link = f"https://bench{f:03d}.demo.invalid/news/{when:%Y%m%d}/{i:05d}.html"
            entries.append((when, title, link, f"{source_id}-{i:05d}", rng.choice(_AUTHORS), summary))
        entries.sort(key=lambda e: e[0], reverse=True)
        body = render_rss(
            f"基准测试源 {f:03d}", f"https://bench{f:03d}.demo.invalid/", "reportgen benchmark feed",
            [(t, link, guid, format_date(w, date_style), a, s) for w, t, link, guid, a, s in entries],
            build_date=format_date(now, "rfc822"),
        )
        feeds.append((source_id, body))
    return feeds


def workload_banks_toml() -> str:
    """The demo's ``[settings]``, ``[rsshub]`` and ``[[banks]]`` tables, without its sources."""
    return demo_config_toml("http://127.0.0.1:9").split("[[sources]]", 1)[0]


def workload_config_toml(source_ids: Iterable[str], *, base_url: str = "http://127.0.0.1:9",
                         database: str = "sqlite:///bench.db", output_dir: str = "reports") -> str:
    """A complete ``sources.toml``: the demo banks plus one online source per workload feed."""
    head = demo_config_toml(base_url, database=database, output_dir=output_dir).split("[[sources]]", 1)[0]
    base = base_url.rstrip("/")
    sources = "".join(
        f'[[sources]]\nid = "{sid}"\nname = "{sid}"\nurl = "{base}/{sid}"\n'
        f'channel = "online"\nweight = 0.3\n\n'
        for sid in source_ids
    )
    return head + sources
