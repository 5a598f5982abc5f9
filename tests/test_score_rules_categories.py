"""Rules v6: risk categories written as cue families, and the matcher reading across a bank's name
(issue 15, part 3).  Every text here was invented for these tests; none is copied from a data set."""

from __future__ import annotations

import pytest
from rules_cases import codes, judge

from reportgen.score import Target

LONG = Target("long", ("甲乙丙丁农村商业银行",))





@pytest.mark.parametrize("text, category", [
    # products the bank sold: the outcome against the promise, a switch, a bundle, opened unknowingly
    ("甲银行卖的理财净值一直跌，收益远不及预期", "mis_selling"),
    ("甲行客户经理说这款基金稳赚不赔，现在亏了一大半", "mis_selling"),
    ("甲行理财经理告诉我和存款一样安全，结果还是亏了", "mis_selling"),
    ("甲银行的柜员把我的定期转成了万能险", "mis_selling"),
    ("在甲行办贷款被要求强制买保险，不买不放款", "mis_selling"),
    ("去甲银行存钱，稀里糊涂就被办了一份年金险", "mis_selling"),
    ("甲银行员工私售理财产品，客户血本无归", "mis_selling"),
    # fees and rates: charged again and again, unannounced, unfair; a threshold raised
    ("甲行的短信通知费每个月都扣，从来没开通过", "fee_rate"),
    ("甲银行信用卡分期的利息算下来很不合理", "fee_rate"),
    ("甲银行大额存单起存门槛提高到三十万", "fee_rate"),
    ("甲行卡没怎么用，年费照收，也没人提醒", "fee_rate"),
    # money and documents lost through the bank's handling
    ("甲银行自动还款失效，害我逾期上了征信", "ops_loss"),
    ("甲行柜员操作失误，把钱转到别人账户去了", "ops_loss"),
    ("甲银行把我抵押的房产证弄丢了", "ops_loss"),
    ("放在甲银行的五万块存款莫名其妙被人取走了", "ops_loss"),
    # outages: channels down, transactions failing as faults, a branch without power
    ("甲银行手机银行一直转圈，什么都加载不出来", "outage"),
    ("甲行网银转账一直失败，急死人", "outage"),
    ("甲银行网点突然停电，业务全部暂停", "outage"),
    ("甲银行的取款机把卡吞了", "outage"),
    # data: an account or a loan opened without checking who asks
    ("甲银行没有核实身份就让别人用我的名义开了卡", "data_leak"),
])
def test_category_cue_families(scorer, text, category):
    j = judge(scorer, text)
    assert j.label == "negative", j.reasons
    assert category in codes(j), (j.categories, j.reasons)


def test_an_employee_taking_customers_money_is_crime_and_loss_not_personnel(scorer):
    j = judge(scorer, "老人存在甲银行的钱被员工挪用了")
    assert {"fraud_crime", "ops_loss"} <= codes(j), j.categories
    assert "personnel" not in codes(j)
    # an executive's crime is still personnel too
    assert {"fraud_crime", "personnel"} <= codes(judge(scorer, "甲银行一位副行长挪用资金被查"))


@pytest.mark.parametrize("text", [
    "甲银行免收小额账户管理费",
    "甲银行手机银行定于周日凌晨升级，期间暂停服务",
    "不知道怎么开通甲银行的手机银行，求教",
    "甲银行的理财经理推荐的基金今年赚了不少",
    "甲行的理财属于稳健型",
])
def test_waivers_notices_and_questions_stay_clear(scorer, text):
    j = judge(scorer, text)
    assert j.label != "negative", j.reasons
    assert not codes(j) - {"performance", "personnel"}, j.categories


@pytest.mark.parametrize("text", ["甲银行系统", "甲银行 App", "甲行手机银行", "甲银行掌上银行"])
def test_a_headline_of_the_bank_and_one_channel_is_an_outage(scorer, text):
    j = judge(scorer, text)
    assert j.label == "negative", j.reasons
    assert "outage" in codes(j)


@pytest.mark.parametrize("text", ["甲银行理财", "甲银行", "甲银行系统升级公告"])
def test_the_bank_and_another_word_is_no_outage_headline(scorer, text):
    assert "outage" not in codes(judge(scorer, text))


def test_a_cue_and_its_object_are_read_across_the_banks_long_name(scorer):
    # 存款 … 没了: sixteen characters apart, ten of them the bank's own name
    j = judge(scorer, "存款交给甲乙丙丁农村商业银行某支行打理后没了", LONG)
    assert j.label == "negative", j.reasons
    assert "ops_loss" in codes(j)
    # the same distance without a name between them is out of reach
    far = judge(scorer, "存款交给隔壁村里一个远房亲戚的表哥打理后没了", Target("x", ("某银行",)))
    assert "ops_loss" not in codes(far)


@pytest.mark.parametrize("text", [
    "我在网上被人诈骗了三万块。骗子收款用的是甲银行的卡。",
    "某平台涉嫌非法集资，负责人已被刑拘。该平台的资金存放在甲银行。",
])
def test_a_crime_in_another_sentence_is_not_the_banks(scorer, text):
    assert "fraud_crime" not in codes(judge(scorer, text))


@pytest.mark.parametrize("text", ["甲银行员工伙同他人骗取客户资金，已被刑拘。", "甲银行前行长涉嫌受贿被立案侦查。"])
def test_a_crime_in_the_banks_sentence_is_its_own(scorer, text):
    assert "fraud_crime" in codes(judge(scorer, text))
