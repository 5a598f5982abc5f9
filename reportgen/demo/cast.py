"""The demo's cast: the banks its stories name and the sources that publish them.

Kept apart from the story text (:mod:`reportgen.demo_stories`) and the generator
(:mod:`reportgen.demo_data`) because everything else builds on it: the templates name sources as
their origins, slot filling draws banks, the generator publishes in sources, and the demo's
``sources.toml`` (rendered here, from the same tables) declares both to reportgen.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import quote
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")


# --- banks --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DemoBank:
    """A bank as the stories name it: full, short and abbreviated names, Traditional, English."""

    id: str
    name: str  # the display name in the config
    short: str  # what headlines say: 工商银行
    abbr: str  # what headlines say when short on space: 工行
    traditional: str  # Hong Kong sources: 中國工商銀行
    english: tuple[str, ...]  # the first one is what English headlines use
    extra: tuple[str, ...] = ()  # more Chinese aliases
    exclude: tuple[str, ...] = ()
    role: str = "competitor"
    weight: float = 1.0  # how often stories pick this bank

    @property
    def aliases(self) -> tuple[str, ...]:
        names = (self.short, self.abbr, *self.extra, *self.english)
        return tuple(n for n in dict.fromkeys(names) if n != self.name)


# 中国银行 is a prefix of several institutions that are not the bank; the exclusions keep
# 中国银行业协会 or 中国银行保险监督管理委员会 from counting as a mention of 中行.  "Bank of China"
# also sits inside other banks' English names; those are their aliases, and the longer alias wins,
# but the central bank's English name is nobody's alias.
_BOC_EXCLUDE = (
    "中国银行业协会", "中国银行保险监督管理委员会", "中国银行间市场交易商协会", "中国银行业监督管理委员会",
    "People's Bank of China",
)

DEMO_BANKS: tuple[DemoBank, ...] = (
    DemoBank("icbc", "中国工商银行", "工商银行", "工行", "中國工商銀行",
             ("ICBC", "Industrial and Commercial Bank of China"), role="self", weight=14),
    DemoBank("ccb", "中国建设银行", "建设银行", "建行", "中國建設銀行", ("China Construction Bank", "CCB"),
             weight=12),
    DemoBank("abc", "中国农业银行", "农业银行", "农行", "中國農業銀行", ("Agricultural Bank of China",),
             weight=11),
    DemoBank("boc", "中国银行", "中国银行", "中行", "中國銀行", ("Bank of China",), exclude=_BOC_EXCLUDE,
             weight=11),
    DemoBank("bocom", "交通银行", "交通银行", "交行", "交通銀行", ("Bank of Communications", "BOCOM"),
             weight=8),
    DemoBank("psbc", "中国邮政储蓄银行", "邮储银行", "邮储银行", "中國郵政儲蓄銀行",
             ("Postal Savings Bank of China", "PSBC"), extra=("邮政储蓄银行",), weight=7),
    DemoBank("cmb", "招商银行", "招商银行", "招行", "招商銀行", ("China Merchants Bank", "CMB"), weight=9),
    DemoBank("citic", "中信银行", "中信银行", "中信银行", "中信銀行", ("China CITIC Bank",), weight=6),
    DemoBank("spdb", "上海浦东发展银行", "浦发银行", "浦发银行", "浦發銀行",
             ("Shanghai Pudong Development Bank", "SPDB"), weight=5),
    DemoBank("cib", "兴业银行", "兴业银行", "兴业银行", "興業銀行", ("Industrial Bank",), weight=6),
    DemoBank("pab", "平安银行", "平安银行", "平安银行", "平安銀行", ("Ping An Bank",), weight=6),
    DemoBank("cmbc", "中国民生银行", "民生银行", "民生银行", "中國民生銀行", ("China Minsheng Bank",),
             weight=5),
)
BANK = {b.id: b for b in DEMO_BANKS}
BIG = ("icbc", "ccb", "abc", "boc", "bocom", "psbc")
SPIKE_BANK = "icbc"


# --- sources ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DemoSource:
    """How one demo source looks on the wire and when it publishes."""

    id: str
    name: str
    channel: str
    route: str  # human-readable RSSHub-style route; DemoFeed.path is its percent-encoded form
    fmt: str  # rss | atom | json
    dates: str  # rfc822 | cst | gmt | iso | naive
    weight: float
    site: str
    link: str  # item link pattern: {n} {ymd} {ymd_dash} {ym} {dd} {hex} {uid}
    author: str
    volume: float  # share of new stories that start here on a weekday
    weekend: float  # volume factor on Saturday and Sunday
    hours: str  # publishing-hour profile
    encoding: str = "utf-8"
    language: str = "zh-cn"
    cdata: bool = False
    repost_cap: int = 1  # how many copies of one story the source may carry
    repost_weight: float = 0.0  # how often it picks up other sources' stories


DEMO_SOURCES: tuple[DemoSource, ...] = (
    DemoSource("nfra-penalties", "国家金融监督管理总局 行政处罚", "regulator", "/gov/nfra/931", "rss",
               "rfc822", 0.5, "https://www.nfra.demo.invalid/cn/view/pages/index/index.html",
               "https://www.nfra.demo.invalid/cn/view/pages/ItemDetail.html?docId={n}&itemId=931",
               "国家金融监督管理总局", 6.0, 0.0, "office"),
    DemoSource("pboc-news", "中国人民银行 沟通交流", "regulator", "/gov/pbc/goutongjiaoliu", "atom", "iso",
               0.5, "https://www.pbc.demo.invalid/goutongjiaoliu/",
               "https://www.pbc.demo.invalid/goutongjiaoliu/113456/113469/{n}/index.html",
               "中国人民银行", 3.0, 0.0, "office"),
    DemoSource("cls-telegraph", "财联社 电报", "online", "/cls/telegraph", "rss", "rfc822", 0.3,
               "https://www.cls.demo.invalid/telegraph", "https://www.cls.demo.invalid/detail/{n}",
               "财联社", 9.0, 0.7, "news", cdata=True, repost_cap=2, repost_weight=3.0),
    DemoSource("eastmoney-bank", "东方财富 搜索：银行", "online", "/eastmoney/search/银行", "rss", "naive",
               0.3,
               "https://so.eastmoney.demo.invalid/news/s?keyword=银行",
               "https://finance.eastmoney.demo.invalid/a/{ymd}{n}.html",
               "东方财富网", 5.0, 0.7, "news", repost_cap=3, repost_weight=4.0),
    DemoSource("sina-rollnews", "新浪财经 滚动新闻", "online", "/sina/finance/rollnews", "rss", "rfc822", 0.3,
               "https://finance.sina.demo.invalid/roll/",
               "https://finance.sina.demo.invalid/roll/{ymd_dash}/doc-inhk{hex}.shtml",
               "新浪财经综合", 5.0, 0.7, "news", encoding="gbk", repost_cap=3, repost_weight=4.0),
    DemoSource("21caijing-bank", "21世纪经济报道 金融·银行", "online", "/21caijing/channel/金融/银行", "rss",
               "cst", 0.3, "https://www.21jingji.demo.invalid/channel/finance/",
               "https://www.21jingji.demo.invalid/article/{ymd}/herald/{hex}.html",
               "21世纪经济报道", 3.0, 0.6, "news", repost_weight=1.5),
    DemoSource("hxcj-daily", "华夏财经日报 金融版", "print", "/epaper/hxcjrb/jinrong", "atom", "iso", 0.3,
               "https://epaper.hxcjrb.example/", "https://epaper.hxcjrb.example/html/{ym}/{dd}/content_{n}.htm",
               "华夏财经日报", 2.5, 0.5, "print", language="zh-CN", repost_weight=1.0),
    DemoSource("hxtv-caijing", "华夏卫视《财经观察》", "broadcast", "/tv/hxws/caijingguancha", "rss",
               "rfc822", 0.3, "https://tv.hxws.example/caijingguancha/",
               "https://tv.hxws.example/caijingguancha/{ymd}/VIDE{hex}.shtml",
               "《财经观察》栏目组", 1.0, 1.0, "tv", repost_weight=0.6),
    DemoSource("weibo-bank", "微博关键词：银行", "social", "/weibo/keyword/银行", "rss", "gmt", 0.15,
               "https://weibo.demo.invalid/search?q=银行", "https://weibo.demo.invalid/{uid}/{hex}",
               "", 6.0, 0.9, "social", repost_cap=4, repost_weight=3.0),
    DemoSource("wechat-yhgc", "微信公众号 银行观察家", "social", "/wechat/wechat2rss/7f3c2a9e1b5d4c08",
               "json", "iso", 0.15, "https://mp.weixin.demo.invalid/yhgcj", "https://mp.weixin.demo.invalid/s/{hex}",
               "银行观察家", 2.5, 0.8, "social", language="zh-CN", repost_cap=2, repost_weight=2.0),
    DemoSource("tousu-bank", "黑猫投诉 银行", "complaint", "/tousu/search/银行", "rss", "rfc822", 0.1,
               "https://tousu.demo.invalid/search?keywords=银行",
               "https://tousu.demo.invalid/complaint/view/{n}/", "", 6.0, 0.9, "complaint"),
    DemoSource("hk-harbour", "港灣財經 Harbour Finance", "online", "/harbourfinance/banking", "rss", "rfc822",
               0.3, "https://www.harbourfinance.example/", "https://www.harbourfinance.example/article/{n}",
               "港灣財經", 1.2, 0.6, "news", language="zh-hk"),
)
SRC = {s.id: s for s in DEMO_SOURCES}
_MEDIA = ("cls-telegraph", "eastmoney-bank", "sina-rollnews", "21caijing-bank")
GROUPS = {"MEDIA": _MEDIA, "NEWS": (*_MEDIA, "hxcj-daily", "hxtv-caijing", "wechat-yhgc")}

# Publishing-hour weights, 00h..23h.
HOURS: dict[str, tuple[int, ...]] = {
    "news": (2, 1, 1, 0, 0, 1, 3, 5, 8, 10, 10, 9, 6, 6, 8, 9, 9, 8, 6, 5, 5, 4, 3, 2),
    "social": (4, 3, 2, 1, 1, 1, 2, 3, 5, 6, 6, 6, 6, 5, 5, 5, 5, 6, 7, 8, 9, 9, 8, 6),
    "complaint": (2, 1, 1, 0, 0, 0, 1, 2, 4, 6, 7, 6, 5, 5, 6, 6, 6, 5, 5, 6, 6, 5, 4, 3),
    "office": (0, 0, 0, 0, 0, 0, 0, 0, 1, 6, 8, 7, 2, 1, 6, 8, 8, 6, 3, 1, 0, 0, 0, 0),
    "print": (0, 0, 0, 0, 0, 4, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
    "tv": (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 8, 2, 0),
}


def wire_path(route: str) -> str:
    # httpx and browsers send non-ASCII path segments as UTF-8 percent escapes; the demo server
    # matches paths byte for byte, so the feed is published under the encoded form.
    return quote(route, safe="/:@!$&'()*+,;=-._~")


# --- config -------------------------------------------------------------------------------------


def _toml_str(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def _toml_list(values: Iterable[str]) -> str:
    return "[" + ", ".join(_toml_str(v) for v in values) + "]"


def banks_toml() -> str:
    """The demo's ``[[banks]]`` tables: 工商银行 as "self", eleven competitors."""
    parts = []
    for bank in DEMO_BANKS:
        parts.append(
            f"[[banks]]\nid = {_toml_str(bank.id)}\nname = {_toml_str(bank.name)}\n"
            f"aliases = {_toml_list(bank.aliases)}\nexclude = {_toml_list(bank.exclude)}\n"
            f"role = {_toml_str(bank.role)}\n"
        )
    return "\n".join(parts)


def demo_config_toml(base_url: str, *, database: str = "sqlite:///demo.db",
                     output_dir: str = "reports") -> str:
    """A complete ``sources.toml`` for the demo feeds served at ``base_url``."""
    base = base_url.rstrip("/")
    head = (
        "# reportgen demo configuration: generated feeds served on a local address.\n"
        "[settings]\n"
        'timezone = "Asia/Shanghai"\n'
        'language = "zh"\n'
        f"output_dir = {_toml_str(output_dir)}\n"
        f"database = {_toml_str(database)}\n"
        'organisation = "品牌与舆情管理部"\n\n'
        "# The demo server answers RSSHub-style routes itself; each source below has a full url.\n"
        "[rsshub]\n"
        f"base_url = {_toml_str(base)}\n"
        'access_key_env = "RSSHUB_ACCESS_KEY"\n\n'
    )
    sources = []
    for src in DEMO_SOURCES:
        sources.append(
            f"[[sources]]\nid = {_toml_str(src.id)}\nname = {_toml_str(src.name)}\n"
            f"url = {_toml_str(base + wire_path(src.route))}\nchannel = {_toml_str(src.channel)}\n"
            f"weight = {src.weight}\nenabled = true\n"
        )
    return head + banks_toml() + "\n" + "\n".join(sources)


@dataclass(frozen=True, slots=True)
class DemoItem:
    """One feed entry with its ground truth, for tests and evaluation of the demo run."""

    source_id: str
    story_id: str  # reprints share it
    template: str
    title: str
    summary_html: str
    link: str
    guid: str
    published_at: datetime  # aware, Asia/Shanghai
    author: str
    bank_ids: tuple[str, ...]  # banks the text really mentions
    subject_bank_id: str | None  # the bank the story is about (None: unrelated, or a bystander)
    categories: tuple[str, ...]
    sentiment: str  # negative | neutral | positive
    is_reprint: bool
    trap: str | None = None  # why a naive matcher or keyword tagger gets it wrong

    @property
    def local_date(self) -> date:
        return self.published_at.astimezone(SHANGHAI).date()
