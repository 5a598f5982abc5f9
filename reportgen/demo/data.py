"""Two weeks of generated Chinese bank news, as the feeds the offline demo serves.

The demo (and several tests) need input that looks like the real thing without touching the
network: a dozen sources across every channel, the format and date quirks real Chinese feeds have,
heavy syndication, traps for the bank matcher, and a negative spike on the day the daily report
covers.  Everything is built from ~90 story templates plus slot filling (bank, city, branch,
amount, product, date), so the text is fictional; links use the reserved ``.invalid`` and
``.example`` domains only.

::

    feeds = generate_demo_feeds(now)                 # list[DemoFeed]: path, body bytes, content type
    items = generate_demo_items(now)                 # the same items with their ground truth
    text = demo_config_toml("http://127.0.0.1:8765") # a complete sources.toml for those feeds

Output depends only on ``seed`` and ``now`` (a timezone-aware datetime).  Nothing is dated after
``now``.  The calendar day before ``now`` (Asia/Shanghai) always carries a viral outage story for
the "self" bank (工商银行), reprinted a dozen times and followed by user complaints, so the demo
report has something to say.

Format mix, on purpose:

* RSS 2.0 in UTF-8 for most sources; RFC 822 dates with ``+0800``, ``GMT`` (RSSHub's own style),
  or ``CST`` (one feed: Chinese CMSs mean +08:00, not US Central);
* 新浪财经 in GBK, declared in both the XML prolog and the ``Content-Type`` charset;
* 东方财富 with zone-less ``2026-11-27 08:30:00`` dates, which mean local time;
* Atom (人民银行, the print daily) and JSON Feed 1.1 (the WeChat bridge) with ISO 8601 ``+08:00``.

This module is the generator (which stories run where and when) and the demo's public face; it
re-exports what callers need from the parts it is built on: :mod:`~reportgen.demo_cast` (banks,
sources, ``sources.toml``), :mod:`~reportgen.demo_stories` (template text),
:mod:`~reportgen.demo_slots` (slot filling) and :mod:`~reportgen.demo_render` (wire formats).
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from urllib.parse import unquote

from reportgen.demo.cast import (
    BIG,
    DEMO_BANKS,
    DEMO_SOURCES,
    HOURS,
    SHANGHAI,
    SPIKE_BANK,
    SRC,
    DemoBank,
    DemoItem,
    DemoSource,
    banks_toml,
    demo_config_toml,
    wire_path,
)
from reportgen.demo.render import (
    ATOM_UTF8,
    JSON_FEED,
    RSS_GBK,
    RSS_UTF8,
    format_date,
    render_atom,
    render_json,
    render_rss,
)
from reportgen.demo.slots import USERS, Story, fill_story, pick_weighted
from reportgen.demo.stories import (
    FIXTURES,
    NEG,
    OUTAGE_POSTS,
    OUTAGE_TOUSU,
    SCHEDULE,
    SCHEDULED_ONLY,
    STORY_TEMPLATES,
    TPL,
    TRAP_PHRASES,
    StoryTemplate,
)

__all__ = [
    "DEMO_BANKS",
    "DEMO_SOURCES",
    "STORY_TEMPLATES",
    "DemoBank",
    "DemoFeed",
    "DemoItem",
    "DemoSource",
    "StoryTemplate",
    "banks_toml",
    "demo_config_toml",
    "fill_story",
    "find_feed",
    "format_date",
    "generate_demo_feeds",
    "generate_demo_items",
    "render_rss",
]

_NEG_DAMPING = 0.35  # weight of negative templates among ordinary (non-complaint) stories


# --- items --------------------------------------------------------------------------------------


_PREFIXES = ("【独家】", "【快讯】", "突发！", "重磅！", "【关注】", "最新！")
# The last two suffixes only suit negative stories.
_SUFFIXES = ("丨财经早知道", "丨金融早参", "｜银行观察", "——华夏财经日报", "丨晚间快报", "（附回应）")
_LEADS = ("据{src}消息，", "记者获悉，", "据多家媒体报道，", "市场消息显示，", "{date}，", "有网友爆料称，")


class _Builder:
    """Turns stories into appearances in sources, keeping links unique and nothing after ``now``."""

    def __init__(self, rng: random.Random, now: datetime) -> None:
        self.rng = rng
        self.now = now
        self.items: list[DemoItem] = []
        self.per_day: Counter[date] = Counter()
        self.counters = {s.id: 100000 + rng.randrange(800000) for s in DEMO_SOURCES}
        self.story_seq = 0
        self.used_titles: set[str] = set()

    def new_story(self, template: StoryTemplate, when: datetime, bank_id: str | None = None) -> Story | None:
        """A fresh story, or None when its headline was already used: two separate stories with
        the same headline would look like one syndicated story to the clustering."""
        for _ in range(6):
            story = fill_story(template, self.rng, when, story_id=f"s{self.story_seq + 1:04d}",
                               bank_id=bank_id)
            if story.titles[0] not in self.used_titles:
                self.story_seq += 1
                self.used_titles.add(story.titles[0])
                return story
        return None

    def _link(self, src: DemoSource, when: datetime) -> tuple[str, str]:
        self.counters[src.id] += self.rng.randint(1, 37)
        n = self.counters[src.id]
        local = when.astimezone(SHANGHAI)
        link = src.link.format(n=n, ymd=local.strftime("%Y%m%d"), ymd_dash=local.strftime("%Y-%m-%d"),
                               ym=local.strftime("%Y-%m"), dd=local.strftime("%d"),
                               hex=f"{self.rng.getrandbits(48):012x}",
                               uid=self.rng.randint(10**9, 10**10 - 1))
        guid = link if src.id in ("sina-rollnews", "hxcj-daily") else f"{src.id}:{n}"
        roll = self.rng.random()
        # A few links carry tracking parameters or fragments, as real feeds do; the parser must strip them.
        if roll < 0.04 and src.id in ("eastmoney-bank", "wechat-yhgc", "sina-rollnews", "21caijing-bank"):
            link += ("&" if "?" in link else "?") + "utm_source=rss&utm_medium=feed&utm_campaign=bank"
        elif roll > 0.97 and src.id in ("cls-telegraph", "hxcj-daily", "wechat-yhgc", "21caijing-bank"):
            link += self.rng.choice(("#comments", "#p2", "#article-top"))
        return link, guid

    def add(self, story: Story, src: DemoSource, when: datetime, *, reprint: bool, variant: int = 0) -> bool:
        if when > self.now:
            return False
        rng = self.rng
        tpl = story.template
        title = story.titles[variant % len(story.titles)]
        summary = story.summaries[variant % len(story.summaries)]
        if reprint:
            if src.id == "weibo-bank":
                title = f"【{title}】"
            elif src.id not in ("hxcj-daily", "hxtv-caijing"):
                roll = rng.random()
                if roll < 0.3:
                    title = rng.choice(_PREFIXES) + title
                elif roll < 0.6:
                    suffixes = _SUFFIXES if tpl.sentiment == NEG else _SUFFIXES[:-2]
                    title = title + rng.choice(suffixes)
            if rng.random() < 0.6 and summary.startswith("<p>"):
                lead = rng.choice(_LEADS).format(src=rng.choice(("财联社", "华夏财经日报", "21世纪经济报道")),
                                                 date=story.slots["date"])
                summary = "<p>" + lead + summary[3:]
        link, guid = self._link(src, when)
        if src.id in ("cls-telegraph", "wechat-yhgc") and rng.random() < 0.25:
            summary += f'<p><a href="{link}">阅读原文</a></p>'
        if src.id == "weibo-bank":
            author = rng.choice(USERS).format(n=rng.randint(1000, 9999)) if not reprint else rng.choice(
                ("财经头条君", "华夏财经日报", "银行观察家", "新闻晨报道"))
        elif src.id == "tousu-bank":
            author = f"黑猫用户{rng.randint(10**9, 10**10 - 1)}"
        elif src.id == "21caijing-bank":
            author = f"21世纪经济报道 记者 {rng.choice(('王琳', '陈晓', '刘洋', '周敏'))}"
        else:
            author = src.author
        text = title + summary
        notes = [tpl.trap] if tpl.trap else []
        notes += [note for phrase, note in TRAP_PHRASES.items() if phrase in text and note != tpl.trap]
        self.items.append(DemoItem(
            source_id=src.id, story_id=story.id, template=tpl.key, title=title, summary_html=summary,
            link=link, guid=guid, published_at=when.astimezone(SHANGHAI), author=author,
            bank_ids=story.bank_ids, subject_bank_id=story.subject_bank_id, categories=tpl.categories,
            sentiment=tpl.sentiment, is_reprint=reprint, trap="; ".join(notes) or None,
        ))
        self.per_day[when.astimezone(SHANGHAI).date()] += 1
        return True

    def reprint_time(self, src: DemoSource, origin: datetime) -> datetime:
        rng = self.rng
        local = origin.astimezone(SHANGHAI)
        if src.hours == "print":  # tomorrow morning's edition
            day = local.date() + timedelta(days=1 if local.hour >= 4 else 0)
            return datetime.combine(day, time(5, 30), SHANGHAI) + timedelta(minutes=rng.randint(0, 50))
        if src.hours == "tv":  # tonight's programme, or tomorrow's if too late
            slot = datetime.combine(local.date(), time(21, 30), SHANGHAI) + timedelta(
                minutes=rng.randint(0, 40))
            return slot if slot >= local + timedelta(hours=2) else slot + timedelta(days=1)
        roll = rng.random()
        if roll < 0.7:
            minutes = rng.randint(4, 240)
        elif roll < 0.95:
            minutes = rng.randint(240, 1200)
        else:
            minutes = rng.randint(1200, 2880)
        when = origin + timedelta(minutes=minutes, seconds=rng.randint(0, 59))
        local_when = when.astimezone(SHANGHAI)
        if src.hours == "news" and local_when.hour < 6:  # newsrooms pick it up in the morning
            when = datetime.combine(local_when.date(), time(6, 30), SHANGHAI) + timedelta(
                minutes=rng.randint(0, 150), seconds=rng.randint(0, 59))
        return when

    def spread(self, story: Story, origin_src: DemoSource, origin: datetime, reprints: int) -> None:
        """Publish the story at its origin, then ``reprints`` copies in other sources."""
        self.add(story, origin_src, origin, reprint=False)
        used = Counter({origin_src.id: 1})
        pool = [s for s in DEMO_SOURCES if s.repost_weight > 0]
        for _ in range(reprints):
            open_ = [s for s in pool if used[s.id] < s.repost_cap]
            if not open_:
                break
            src = self.rng.choices(open_, weights=[s.repost_weight for s in open_])[0]
            used[src.id] += 1
            variant = 0 if self.rng.random() < 0.62 else self.rng.randrange(len(story.titles))
            self.add(story, src, self.reprint_time(src, origin), reprint=True, variant=variant)


def _sample_time(rng: random.Random, day: date, profile: str, limit: datetime) -> datetime | None:
    start = datetime.combine(day, time(0), SHANGHAI)
    weights = HOURS[profile]
    hours = [h for h in range(24) if weights[h] and start + timedelta(hours=h) < limit]
    if not hours:
        return None
    hour = rng.choices(hours, weights=[weights[h] for h in hours])[0]
    when = start + timedelta(hours=hour, minutes=rng.randrange(60), seconds=rng.randrange(60))
    return min(when, limit - timedelta(seconds=1))


def _day_fraction(now_local: datetime) -> float:
    weights = HOURS["news"]
    done = sum(weights[: now_local.hour]) + weights[now_local.hour] * now_local.minute / 60
    return done / sum(weights)


# Five weeks: the weekly report compares the week with the one before and draws eight weeks, and the
# alerts' baseline wants 28 days; with two weeks every weekly change was against an empty week (+2000 %).
DEMO_DAYS = 35


def generate_demo_items(now: datetime, *, days: int = DEMO_DAYS, seed: int = 7) -> list[DemoItem]:
    """Every item of the demo feeds with its ground truth, oldest first.

    Covers ``days`` full calendar days before ``now``'s day (Asia/Shanghai) plus that day up to
    ``now``; 30–80 items per full day, around 75 on the day before ``now``.
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")
    now_local = now.astimezone(SHANGHAI)
    today = now_local.date()
    rng = random.Random(f"reportgen-demo:{seed}:{now_local.isoformat()}:{days}")
    b = _Builder(rng, now)
    competitors = [bk for bk in DEMO_BANKS if bk.role != "self"]

    for back, hour, key, bank_spec, reprints in SCHEDULE:
        if back > days:
            continue
        tpl = SCHEDULED_ONLY.get(key) or TPL[key]
        when = datetime.combine(today - timedelta(days=back), time(0), SHANGHAI) + timedelta(
            hours=hour, seconds=rng.randrange(600))
        if bank_spec == "pick":
            pool = [bk for bk in competitors if tpl.banks not in ("jsb",) or bk.id not in BIG]
            bank_id = pick_weighted(rng, pool).id
        else:
            bank_id = bank_spec
        story = b.new_story(tpl, when, bank_id)
        if story is None:
            continue
        b.spread(story, SRC[tpl.origins[0]], when, reprints)
        if key == "outage_major":  # users pile in on Weibo and the complaint site
            for tpl_posts, count in ((OUTAGE_POSTS, rng.randint(9, 12)), (OUTAGE_TOUSU, rng.randint(4, 6))):
                post_story = b.new_story(tpl_posts, when, SPIKE_BANK)
                for i in range(count if post_story is not None else 0):
                    assert post_story is not None
                    at = when + timedelta(minutes=rng.randint(3, 420), seconds=rng.randrange(60))
                    b.add(post_story, SRC[tpl_posts.origins[0]], at, reprint=False, variant=i)

    for back, hour, key in FIXTURES:
        if back > days:
            continue
        tpl = SCHEDULED_ONLY.get(key) or TPL[key]
        when = datetime.combine(today - timedelta(days=back), time(0), SHANGHAI) + timedelta(
            hours=hour, seconds=rng.randrange(600))
        story = b.new_story(tpl, when)
        if story is not None:
            b.spread(story, SRC[tpl.origins[0]], when, rng.randint(*tpl.reach))

    by_origin: dict[str, list[StoryTemplate]] = {s.id: [] for s in DEMO_SOURCES}
    for tpl in STORY_TEMPLATES:
        for sid in tpl.origins:
            by_origin[sid].append(tpl)

    for back in range(days, -1, -1):
        day = today - timedelta(days=back)
        weekend = day.weekday() >= 5
        if back == 1:
            target = rng.randint(70, 75)
        elif weekend:
            target = rng.randint(32, 42)
        else:
            target = rng.randint(44, 60)
        if back == 0:
            target = int(target * _day_fraction(now_local))
        vols = [s.volume * (s.weekend if weekend else 1.0) for s in DEMO_SOURCES]
        attempts = 0
        while b.per_day[day] < target and attempts < 2000:
            attempts += 1
            src = rng.choices(DEMO_SOURCES, weights=vols)[0]
            day_end = datetime.combine(day + timedelta(days=1), time(0), SHANGHAI)
            start_at = _sample_time(rng, day, src.hours, min(now, day_end))
            if start_at is None:
                continue
            candidates = by_origin[src.id]
            # Bad news is what travels, but most of what banks publish is ordinary.
            tpl = rng.choices(candidates, weights=[t.weight * (_NEG_DAMPING if t.sentiment == NEG
                                                               and src.channel != "complaint" else 1.0)
                                                   for t in candidates])[0]
            lo, hi = tpl.reach
            # Most ordinary stories stay small; headroom below the day's target keeps days in range.
            reprints = min(rng.randint(lo, hi), max(0, target - b.per_day[day] - 1))
            story = b.new_story(tpl, start_at)
            if story is not None:
                b.spread(story, src, start_at, reprints)

    b.items.sort(key=lambda it: (it.published_at, it.source_id, it.link))
    return b.items


# --- feeds --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoFeed:
    """One feed body as the demo server serves it."""

    source_id: str
    name: str
    channel: str  # print | broadcast | online | social | regulator | complaint
    path: str  # the path on the wire, percent-encoded (/eastmoney/search/%E9%93%B6%E8%A1%8C)
    body: bytes
    content_type: str
    weight: float

    @property
    def route(self) -> str:
        """The readable RSSHub-style route: /eastmoney/search/银行."""
        return unquote(self.path)


def generate_demo_feeds(now: datetime, *, days: int = DEMO_DAYS, seed: int = 7) -> list[DemoFeed]:
    """The demo's feeds: about a dozen sources, five weeks of items, deterministic for ``seed`` and ``now``."""
    items = generate_demo_items(now, days=days, seed=seed)
    feeds = []
    for src in DEMO_SOURCES:
        mine = sorted((it for it in items if it.source_id == src.id), key=lambda it: it.published_at,
                      reverse=True)
        updated = mine[0].published_at if mine else now
        if src.fmt == "atom":
            body, ctype = render_atom(src, mine, updated), ATOM_UTF8
        elif src.fmt == "json":
            body, ctype = render_json(src, mine), JSON_FEED
        else:
            entries = [(it.title, it.link, it.guid, format_date(it.published_at, src.dates), it.author,
                        it.summary_html) for it in mine]
            body = render_rss(src.name, src.site, f"{src.name}（reportgen 演示数据）", entries,
                              language=src.language, encoding=src.encoding, cdata=src.cdata,
                              build_date=format_date(updated, src.dates))
            ctype = RSS_GBK if src.encoding == "gbk" else RSS_UTF8
        feeds.append(DemoFeed(src.id, src.name, src.channel, wire_path(src.route), body, ctype, src.weight))
    return feeds


def find_feed(feeds: Iterable[DemoFeed], request_path: str) -> DemoFeed | None:
    """The feed served at a request path, whether or not it arrives percent-encoded."""
    wanted = unquote(request_path.split("?", 1)[0])
    return next((f for f in feeds if f.route == wanted), None)

