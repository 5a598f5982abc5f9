"""Rules v6: the neutral codes red-teamed (issue 15).  Results (performance) and people news (personnel) are tagged
whatever the judgement: negative for declines, losses, cuts and executives investigated; not negative for growth,
rankings, dividends, appointments and departures (docs/labelling.md §4–§5).  Every text was invented for these tests
(none is copied from a data set); each one was judged wrongly by the rules before the families it tests were added
(lexicon.py: metric and ranking words, dividend and pay cuts, rating moves, appointment words, approvals; and whose
job, pay or fate it is: an official's, a customer's, the poster's own)."""

from __future__ import annotations

import pytest
from rules_cases import BANK, codes, judge

from reportgen.score.evaluate import bank_target

# (text, a real bank's name or None for 甲银行, negative for the bank?, codes present, codes absent)
CASES = [
    ("甲银行ROE达到14.2%，位居同业前列", None, False, ("performance",), ()),
    ("甲银行拟每10股派发现金红利3.5元", None, False, ("performance",), ()),
    ("甲银行宣布回购股份，用于员工持股计划", None, False, ("performance",), ()),
    ("英国《银行家》杂志发布全球银行1000强，甲银行位列第28名", None, False, ("performance",), ()),
    ("甲银行连续十年跻身世界500强", None, False, ("performance",), ()),
    ("甲银行市净率回升到0.7倍", None, False, ("performance",), ()),
    ("甲银行零售AUM突破十万亿元", None, False, ("performance",), ()),
    ("甲银行发布2023年年度报告：稳中有进", None, False, ("performance",), ()),
    ("甲行股息率超过6%，高股息策略首选", None, False, ("performance",), ()),
    ("工行位列《银行家》全球银行1000强榜首", "工商银行", False, ("performance",), ()),
    ("穆迪下调甲银行评级至Baa2", None, True, ("performance",), ()),
    ("惠誉将甲行展望调至负面", None, True, ("performance",), ()),
    ("甲银行暂停分红，股东不满", None, True, ("performance",), ()),
    ("甲银行取消年度分红", None, True, ("performance",), ()),
    ("甲银行员工被要求退回已发绩效工资", None, True, ("performance",), ()),
    ("甲行的年报太难看了，利润全靠少提拨备撑着", None, True, ("performance",), ()),
    ("甲银行被标普列入负面观察名单", None, True, ("performance",), ()),
    ("甲银行员工反映已经三个月没发工资", None, True, ("performance",), ()),
    ("监管核准甲行刘某的董事任职资格", None, False, ("personnel",), ()),
    ("甲银行公告：周某不再担任副行长", None, False, ("personnel",), ()),
    ("甲行高管团队调整，三位副行长同日获任", None, False, ("personnel",), ()),
    ("甲银行 appoints new CEO", None, False, ("personnel",), ()),
    ("中国银行迎来新掌门", "中国银行", False, ("personnel",), ()),
    ("甲行分行行长轮岗交流", None, False, ("personnel",), ()),
    ("甲银行新一届高管班子亮相", None, False, ("personnel",), ()),
    ("我们公司年终奖发到甲银行卡上了", None, False, (), ("performance", "personnel")),
    ("公司拖欠工资，工资卡在甲银行，钱一直没到", None, False, (), ("performance",)),
    ("某市人民银行行长履新，甲银行参加座谈", None, False, (), ("personnel",)),
    ("甲银行门口有位老人突然去世", None, False, (), ("personnel",)),
]


@pytest.mark.parametrize("text, bank, negative, present, absent", CASES)
def test_results_and_people_news(scorer, text, bank, negative, present, absent):
    j = judge(scorer, text, BANK if bank is None else bank_target(bank))
    assert (j.label == "negative") is negative, (j.label, j.reasons)
    assert set(present) <= codes(j), (codes(j), j.reasons)
    assert not set(absent) & codes(j), (codes(j), j.reasons)
