"""Slot filling for the demo stories: the vocabularies and how each ``{slot}`` gets its value.

:func:`fill_story` turns a :class:`~reportgen.demo_stories.StoryTemplate` into headlines and
summaries about chosen banks.  Kept apart from the template text (:mod:`reportgen.demo_stories`)
and from the generator that publishes the stories (:mod:`reportgen.demo_data`); the benchmark
workload calls it directly.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from reportgen.demo.cast import BANK, BIG, DEMO_BANKS, DemoBank
from reportgen.demo.stories import FIXED_BANKS, StoryTemplate

# --- slots --------------------------------------------------------------------------------------

_CITIES = ("北京", "上海", "广州", "深圳", "杭州", "南京", "苏州", "成都", "重庆", "武汉", "西安", "郑州",
           "长沙", "济南", "青岛", "合肥", "福州", "厦门", "昆明", "南宁", "沈阳", "大连", "哈尔滨", "长春",
           "石家庄", "太原", "南昌", "贵阳", "兰州", "天津", "宁波", "无锡", "佛山", "东莞", "温州")
_CITIES_TC = {"北京": "北京", "上海": "上海", "广州": "廣州", "深圳": "深圳", "杭州": "杭州", "南京": "南京",
              "成都": "成都", "重庆": "重慶", "武汉": "武漢", "西安": "西安", "长沙": "長沙", "厦门": "廈門"}
_STREETS = ("人民路", "解放路", "中山路", "新华路", "高新区", "开发区", "城东", "城西", "滨江", "东湖",
            "金融街", "南湖")
_COUNTIES = ("寿光", "安吉", "义乌", "晋江", "昆山", "仁怀", "淳安", "婺源", "赣县", "普洱", "五常", "阿克苏")
_PRODUCTS = ("稳盈180天", "安享添利3号", "鑫享年年", "恒益睿选", "丰润多元配置1号", "锦程优选",
             "惠盈固收增强", "睿远成长2期")
_PERSONS = ("张某", "李某", "王某某", "刘某", "陈某", "杨某某", "赵某", "黄某", "周某", "吴某某")
_EXECS = ("王某某", "李某某", "张某某", "刘某某", "陈某某", "孙某某")
_PLATFORMS = ("鑫融贷", "聚财宝", "盈信金服", "安稳投", "金满仓")
_COMPANIES = ("某城投公司", "华信实业集团", "东岳地产", "恒通建设投资", "某民营房企")
_VIOLATIONS = ("贷款“三查”不尽职，贷款资金被挪用", "信贷资金违规流入房地产领域", "违规向关系人发放信用贷款",
               "监管数据报送不准确", "员工行为管理不到位", "代销业务管理不审慎", "违规收取贷款相关费用",
               "个人信息保护制度落实不到位", "流动资金贷款管理不审慎", "票据业务贸易背景审查不严")
_AMOUNTS = (20, 25, 30, 40, 45, 50, 60, 65, 80, 90, 100, 110, 120, 150, 180, 200, 230, 260, 300, 350, 420,
            500)
_LOSSES = ("8600元", "1.2万元", "2.6万元", "3.5万元", "5.8万元", "7.2万元", "9.9万元", "12万元", "18万元",
           "26万元", "38万元", "50万元")
_BIG_LOSSES = ("3200万元", "8600万元", "1.2亿元", "2.7亿元", "3.4亿元", "5.1亿元")
USERS = ("理财小白{n}", "深圳打工人{n}", "一只爱存钱的猫", "财经观察员老王", "银行那些事儿", "用户{n}",
          "今天也要早睡{n}", "杭州小陈", "退休老周", "搬砖的阿明")


def pick_weighted(rng: random.Random, banks: Sequence[DemoBank]) -> DemoBank:
    return rng.choices(banks, weights=[b.weight for b in banks])[0]


def _bank_slots(prefix: str, bank: DemoBank) -> dict[str, str]:
    return {prefix: bank.short, f"{prefix}_abbr": bank.abbr, f"{prefix}_full": bank.name,
            f"{prefix}_tc": bank.traditional, f"{prefix}_en": bank.english[0]}


_Maker = Callable[[random.Random, "_Slots"], str]

# One maker per slot.  Slots are drawn lazily, only when a template uses them, so filling stays
# cheap (the benchmark workload fills ~7 000 stories) and deterministic: the draw order follows the
# template text.
_SLOT_MAKERS: dict[str, _Maker] = {
    "city": lambda r, s: r.choice(_CITIES),
    "city_tc": lambda r, s: _CITIES_TC.get(s["city"], "北京"),
    "street": lambda r, s: r.choice(_STREETS),
    "branch": lambda r, s: r.choice((f"{s['city']}{s['street']}支行", f"{s['city']}分行营业部",
                                     f"{s['city']}{s['street']}支行", f"{s['city']}分行")),
    "county": lambda r, s: r.choice(_COUNTIES),
    "date": lambda r, s: f"{s.when.month}月{s.when.day}日",
    "month": lambda r, s: str(s.when.month),
    "year": lambda r, s: str(s.when.year),
    "amount": lambda r, s: str(r.choice(_AMOUNTS)),
    "small": lambda r, s: str(r.choice((1, 2, 3, 5, 6, 8, 10))),
    "big_amount": lambda r, s: str(r.randint(12, 95) * 100),
    "loss": lambda r, s: r.choice(_LOSSES),
    "big_loss": lambda r, s: r.choice(_BIG_LOSSES),
    "years": lambda r, s: str(r.randint(3, 11)),
    "pct": lambda r, s: f"{r.uniform(1.2, 18.5):.1f}",
    "pct_small": lambda r, s: f"{r.uniform(0.05, 1.8):.2f}",
    "pct_high": lambda r, s: f"{r.uniform(20, 60):.0f}",
    "loss_pct": lambda r, s: f"{r.uniform(6, 32):.1f}",
    "rate": lambda r, s: r.choice(("1.25", "1.35", "1.45", "1.55", "1.75")),
    "mortgage": lambda r, s: r.choice(("3.05", "3.10")),
    "hk_rate": lambda r, s: f"{r.uniform(2.8, 4.2):.1f}",
    "product": lambda r, s: r.choice(_PRODUCTS),
    "person": lambda r, s: r.choice(_PERSONS),
    "exec": lambda r, s: r.choice(_EXECS),
    "platform": lambda r, s: r.choice(_PLATFORMS),
    "company": lambda r, s: r.choice(_COMPANIES),
    "violation": lambda r, s: r.choice(_VIOLATIONS),
    "doc": lambda r, s: f"{s['city']}金罚决字〔{s['year']}〕{r.randint(3, 160)}号",
    "pdoc": lambda r, s: f"{s['city']}银罚决字〔{s['year']}〕第{r.randint(2, 90)}号",
    "n": lambda r, s: str(r.randint(3, 12)),
    "records": lambda r, s: f"{r.randint(2, 60)}000",
    "profit_k": lambda r, s: str(r.randint(3, 80)),
    "complaints": lambda r, s: str(r.randint(3, 40) * 100),
    "fee": lambda r, s: str(r.choice((50, 80, 100, 200, 300, 600))),
    "amount_yi": lambda r, s: str(r.choice((30, 50, 80, 100, 150, 200, 300))),
    "mau": lambda r, s: str(r.randint(30, 180) * 100),
    "updown": lambda r, s: "上涨" if r.random() < 0.55 else "下跌",
    "updown_verb": lambda r, s: "震荡走高" if s["updown"] == "上涨" else "震荡走低",
    "updown_flat": lambda r, s: r.choice(("持平", "微涨", "小幅下降")),
    "turnover": lambda r, s: str(r.randint(8000, 19000)),
    "omo": lambda r, s: str(r.randint(2, 60) * 100),
    "fx": lambda r, s: f"7.{r.randint(0, 2999):04d}",
    "fx_dir": lambda r, s: r.choice(("升", "贬")),
    "pips": lambda r, s: str(r.randint(3, 120)),
    "cpi": lambda r, s: f"{r.uniform(-0.4, 1.2):.1f}",
    "gold": lambda r, s: str(r.randint(2400, 3400)),
    "yield_": lambda r, s: f"{r.uniform(1.6, 2.3):.2f}",
}


def _size(s: _Slots) -> int:
    """0 for the big state-owned banks, 1 for the large joint-stock ones, 2 for the rest."""
    weight = BANK[s["bank_id"]].weight if "bank_id" in s else 6
    return 0 if weight >= 11 else 1 if weight >= 7 else 2


_PROFIT = ((1800, 2800), (600, 1200), (300, 600))
_LOAN_SCALE = (("1.5万亿元", "2万亿元", "2.8万亿元"), ("8000亿元", "1万亿元"), ("4000亿元", "6000亿元"))

# A bank's results are facts: every story in a run quotes the same figures for the same bank.
_BANK_FACTS: dict[str, _Maker] = {
    "profit": lambda r, s: f"{r.uniform(*_PROFIT[_size(s)]):.2f}",
    "profit_pct": lambda r, s: f"{r.uniform(0.5, 9.5):.1f}",
    "rev_pct": lambda r, s: f"{r.uniform(0.8, 6.5):.1f}",
    "nim": lambda r, s: f"{r.uniform(1.35, 1.95):.2f}",
    "npl": lambda r, s: f"{r.uniform(0.9, 1.6):.2f}",
    "cover": lambda r, s: f"{r.uniform(180, 460):.2f}",
    "div": lambda r, s: f"{r.uniform(1.2, 3.6):.3f}",
    "loan_scale": lambda r, s: r.choice(_LOAN_SCALE[_size(s)]),
}


class _Slots(dict[str, str]):
    """Slot values for one story, drawn on first use; an unknown slot name raises KeyError."""

    rng: random.Random
    when: datetime

    def __init__(self, rng: random.Random, when: datetime, bank: DemoBank | None, bank2: DemoBank | None
                 ) -> None:
        super().__init__()
        self.rng = rng
        self.when = when
        if bank is not None:
            self.update(_bank_slots("bank", bank))
            self["bank_id"] = bank.id
        if bank2 is not None:
            self.update(_bank_slots("bank2", bank2))

    def __missing__(self, key: str) -> str:
        if key in _BANK_FACTS:
            rng = random.Random(f"{self.get('bank_id', '')}:{key}") if "bank_id" in self else self.rng
            value = _BANK_FACTS[key](rng, self)
        else:
            value = _SLOT_MAKERS[key](self.rng, self)
        self[key] = value
        return value


@dataclass(frozen=True, slots=True)
class Story:
    id: str
    template: StoryTemplate
    titles: tuple[str, ...]
    summaries: tuple[str, ...]
    bank_ids: tuple[str, ...]
    subject_bank_id: str | None
    slots: dict[str, str] = field(hash=False, compare=False)


def _choose_banks(rng: random.Random, mode: str, fixed: str | None = None
                  ) -> tuple[DemoBank | None, DemoBank | None]:
    if mode == "none":
        return None, None
    if fixed is not None:
        first = BANK[fixed]
    elif mode in BANK:
        first = BANK[mode]
    elif mode == "big":
        first = pick_weighted(rng, [BANK[b] for b in BIG])
    elif mode == "jsb":
        first = pick_weighted(rng, [b for b in DEMO_BANKS if b.id not in BIG])
    else:
        first = pick_weighted(rng, DEMO_BANKS)
    if mode != "two":
        return first, None
    return first, pick_weighted(rng, [b for b in DEMO_BANKS if b.id != first.id])


def fill_story(template: StoryTemplate, rng: random.Random, when: datetime, *, story_id: str = "",
               bank_id: str | None = None) -> Story:
    """Fill one template's slots: the headlines, summaries and which banks it is about."""
    bank, bank2 = _choose_banks(rng, template.banks, bank_id)
    slots = _Slots(rng, when, bank, bank2)
    titles = tuple(t.format_map(slots) for t in template.titles)
    summaries = tuple(s.format_map(slots) for s in template.summaries)
    bank_ids: tuple[str, ...] = tuple(b.id for b in (bank, bank2) if b is not None)
    subject = None if template.banks in ("none", "bystander") or bank is None else bank.id
    if template.key in FIXED_BANKS:  # fixed text that names its banks itself
        bank_ids = FIXED_BANKS[template.key]
        subject = bank_ids[0]
    return Story(story_id, template, titles, summaries, bank_ids, subject, slots)

