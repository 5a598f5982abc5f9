"""A labelled reprint set for measuring event clustering (``benchmarks/bench_events.py``).

Stories come from the demo's templates (:mod:`reportgen.demo_stories`).  Each story appears
5–30 times, the way portals syndicate it: an edited headline (a reworded title, a tag such as
【独家】, a column name such as 丨财经早知道, a dropped phrase), a different lead (据××消息，),
an added editor's note or source line, and bodies truncated to 50–95 %.  Mixed in are distinct
stories about the *same bank on the same day*, some from the same template with other details
(another branch, another amount) — the hard case a keyword clusterer merges.

Every variant carries its story id, so pairwise precision and recall can be computed.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from reportgen.demo.cast import DEMO_BANKS
from reportgen.demo.slots import fill_story
from reportgen.demo.stories import STORY_TEMPLATES
from reportgen.ingest.normalize import html_to_text
from reportgen.insight.events import ClusterItem

SHANGHAI = ZoneInfo("Asia/Shanghai")
_TAGS = ("【独家】", "【快讯】", "【关注】", "突发！", "重磅！", "最新！", "[视频]", "")
_COLUMNS = ("丨财经早知道", "｜银行观察", "——华夏财经日报", "丨晚间快报", "｜金融界", "丨每经网", "")
_LEADS = ("据{src}消息，", "记者获悉，", "据多家媒体报道，", "市场消息显示，", "{src}讯 ", "有网友爆料称，", "")
_NOTES = ("（责任编辑：{name}）", "（来源：{src}）", "原标题：{title}", "本文来自{src}，转载请注明出处。",
          "（编辑：{name} 审核：{name2}）", "声明：本文仅代表作者观点，不构成投资建议。", "")
_SOURCES = ("新浪财经", "东方财富网", "每日经济新闻", "21世纪经济报道", "证券时报", "中国经营报", "财联社",
            "华夏时报", "金融界", "澎湃新闻", "第一财经", "界面新闻", "北京商报", "中新经纬", "搜狐财经")
_NAMES = ("王明", "李娜", "张伟", "刘洋", "陈静", "杨帆", "赵磊", "黄丽")
_SWAPS = (("回应", "回复"), ("称", "表示"), ("被罚", "遭罚"), ("投诉", "吐槽"), ("网点", "营业网点"),
          ("客户", "储户"), ("近日", "日前"), ("银行", "行"))


@dataclass(frozen=True, slots=True)
class Variant:
    item: ClusterItem
    story_id: str
    bank_id: str | None


def reprint_set(stories: int = 200, *, seed: int = 4, start: datetime | None = None,
                hard_share: float = 0.25) -> list[Variant]:
    """``stories`` labelled stories with 5–30 variants each, over a few days."""
    rng = random.Random(f"reportgen-reprints:{seed}")
    start = start or datetime(2026, 11, 1, 8, tzinfo=SHANGHAI)
    templates = [t for t in STORY_TEMPLATES if t.banks not in ("none",)]
    cycle: list = []
    banks = [b.id for b in DEMO_BANKS]
    out: list[Variant] = []
    previous = None
    seen: set[str] = set()
    for n in range(stories):
        # ten stories a day over four banks: two or three distinct stories per bank per day; a
        # template comes back only after the whole cycle, days later, outside the event window
        day = start + timedelta(days=n // 10)
        bank_id = banks[(n // 2) % 4]
        when = day + timedelta(minutes=rng.randrange(0, 600))
        story = None
        if previous is not None and n % 2 == 1 and rng.random() < hard_share:
            # the hard case: the previous story's template, same bank and day, other details
            story = fill_story(previous.template, rng, when, story_id=f"s{n:04d}", bank_id=bank_id)
            if story.titles[0] == previous.titles[0]:
                story = None  # a template without details to vary cannot make a distinct story
        while story is None or story.titles[0] in seen:  # distinct stories must read differently
            if not cycle:
                cycle = rng.sample(templates, len(templates))
            story = fill_story(cycle.pop(), rng, when, story_id=f"s{n:04d}", bank_id=bank_id)
        seen.add(story.titles[0])
        previous = story
        for k, (title, summary, at) in enumerate(_variants(rng, story.titles, story.summaries, when)):
            item = ClusterItem(f"s{n:04d}-v{k:02d}", title, summary, at, bank_ids=frozenset(story.bank_ids))
            out.append(Variant(item, story.id, story.subject_bank_id))
    return out


def _variants(rng: random.Random, titles: tuple[str, ...], summaries: tuple[str, ...], when: datetime,
              ) -> Iterator[tuple[str, str, datetime]]:
    body = html_to_text(summaries[0])
    count = rng.randint(5, 30)
    yield titles[0], body, when
    for _ in range(count - 1):
        src = rng.choice(_SOURCES)
        title = rng.choice(titles)
        if rng.random() < 0.4:
            a, b = rng.choice(_SWAPS)
            title = title.replace(a, b, 1)
        if rng.random() < 0.25:
            title = _drop_phrase(rng, title)
        title = rng.choice(_TAGS) + title + rng.choice(_COLUMNS)
        text = rng.choice(_LEADS).format(src=src) + body
        if rng.random() < 0.5:
            text = text[: max(20, int(len(text) * rng.uniform(0.5, 0.95)))]
        note = rng.choice(_NOTES).format(src=src, name=rng.choice(_NAMES), name2=rng.choice(_NAMES), title=titles[0])
        text = (text + " " + note).strip()
        yield title, text, when + timedelta(minutes=rng.randrange(5, 48 * 60))


def _drop_phrase(rng: random.Random, title: str) -> str:
    parts = [p for p in re.split(r"([，：:！？ ])", title) if p]
    if len(parts) < 3:
        return title
    drop = rng.randrange(len(parts))
    return "".join(p for i, p in enumerate(parts) if i != drop) or title
