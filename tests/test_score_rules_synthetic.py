"""Rules v6, the synthetic round (issue 15): vocabulary families of short posts and headlines that the
rules missed — implicit grievances (irony, resignation, telling others to stay away), service runarounds,
channels that fail, customer data leaking in a post's words, rates and fees resented, an authority's
censure or takeover, results turning negative — and look-alikes that must stay clear.

Every text here was invented for these tests; none is copied from a data set."""

from __future__ import annotations

import pytest
from rules_cases import assert_bad_news, codes, judge

# --- round 1: vocabulary families ---


@pytest.mark.parametrize("text", [
    "甲行办这张卡真是办了个寂寞",
    "甲行给的这点额度，要它何用",
    "甲行连拒我三次临额，是有什么毛病",
    "甲行电销天天打，求放过",
    "甲行这个理财，劝大家别碰",
    "甲行关键时刻掉链子",
    "甲行的预约取号约了等于没约",
    "甲行客服只会念稿子",
])
def test_irony_resignation_and_warnings_are_complaints(scorer, text):
    assert_bad_news(judge(scorer, text), "complaint")


@pytest.mark.parametrize("text", [
    "甲行客服说给我回电，三天了没人打来",
    "甲行客服转了三个部门，最后让我明天再打",
    "去甲银行开个证明，柜员让我下周再来",
])
def test_a_runaround_is_a_complaint(scorer, text):
    assert_bad_news(judge(scorer, text), "complaint")


@pytest.mark.parametrize("text", [
    "甲银行手机银行一直显示请求超时，就我一个这样吗",
    "甲银行钱包无法充值",
    "甲银行卡刷不出去，客服说是系统问题",
])
def test_a_channel_that_fails_is_an_outage(scorer, text):
    assert_bad_news(judge(scorer, text), "outage")


@pytest.mark.parametrize("text", [
    "网上有人叫卖甲银行客户名单",
    "刚在甲行办完贷款，就有中介叫出我全名",
    "甲银行理财经理在群里晒客户资产截图",
    "甲银行客户资料遗落在路边",
])
def test_customer_data_leaking_in_a_posts_words_is_a_data_leak(scorer, text):
    assert_bad_news(judge(scorer, text), "data_leak")


@pytest.mark.parametrize("text", [
    "甲银行消费贷利率悄悄上调",
    "甲银行异地取款还收手续费",
    "甲银行三年定期利率又降了",
    "甲行给我寄了封催缴年费的信，真贴心",
])
def test_a_rate_or_fee_resented_is_fee_rate(scorer, text):
    assert_bad_news(judge(scorer, text), "fee_rate")


@pytest.mark.parametrize("text", [
    "甲银行遭审计署点名",
    "甲银行被托管",
    "甲银行遭监管严厉批评",
])
def test_an_authoritys_censure_or_takeover_is_regulatory(scorer, text):
    assert_bad_news(judge(scorer, text), "regulatory")


def test_growth_turning_negative_is_performance(scorer):
    assert_bad_news(judge(scorer, "甲银行营收增速由正转负"), "performance")


@pytest.mark.parametrize("text", [
    "甲行，系统问题，想多了",  # a dismissal, not a fault report
    "我明天再来甲银行办",  # the poster's own plan, not a runaround
    "甲银行上调三年期存款利率",  # good for depositors
    "别家也收手续费，甲行这个还算合理",
])
def test_look_alikes_stay_clear(scorer, text):
    j = judge(scorer, text)
    assert j.label != "negative", (codes(j), j.reasons)


# --- round 2: a claim named as a rumour ---


@pytest.mark.parametrize("text", [
    "甲银行回应“破产”谣言",
    "网上流传甲银行倒闭谣言，甲银行称经营正常",
])
def test_a_collapse_named_as_a_rumour_is_no_bad_news(scorer, text):
    j = judge(scorer, text)
    assert j.label != "negative", (codes(j), j.reasons)


@pytest.mark.parametrize("text", [
    "甲银行倒闭了",
    "甲银行被曝挪用存款，谣言还是真相？",  # a rumour asked about in another clause takes nothing back
])
def test_a_collapse_or_a_loss_told_is_still_bad_news(scorer, text):
    assert_bad_news(judge(scorer, text))
