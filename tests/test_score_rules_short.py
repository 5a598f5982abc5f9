"""Rules v6: the generalisations for short posts and hot-search titles (issue 15).

Every text here was invented for these tests; none is copied from a data set."""

from __future__ import annotations

import pytest
from rules_cases import codes, judge

from reportgen.score.rules import RULES_VERSION


def test_version_bumped():
    assert RULES_VERSION == "6"


@pytest.mark.parametrize("text", [
    "甲行的卡半夜突然没法取钱了",
    "甲银行卡无法正常登录，折腾一晚上",
    "甲行的卡突然不能正常用了，也没人说明",
    "在甲银行柜台说了半天就是无法转出",
])
def test_negated_ability_is_a_complaint(scorer, text):
    j = judge(scorer, text)
    assert j.label == "negative", j.reasons
    assert "complaint" in codes(j)
    assert any(r.term.startswith(("不能", "无法", "没法")) for r in j.reasons)


def test_negated_ability_in_a_product_explainer_is_not_news(scorer):
    # a long explainer: the pattern is a customer's grievance only in a short post about one bank
    text = ("甲银行消费贷产品介绍：本产品额度最高二十万元，期限一到三年，按月还款。" * 3
            + "贷款资金不能用于购房，也无法转账给个人账户。" + "客户可以通过手机银行在线申请，审批通过后即可使用。" * 2)
    assert judge(scorer, text).label != "negative"


@pytest.mark.parametrize("text", [
    "甲行这个app贼慢",
    "甲银行的分期手续费超贵",
    "甲行的审批流程真是拖拉",
    "甲行积分兑换规则特抠",
])
def test_degree_adverb_with_a_plain_judgement_word(scorer, text):
    j = judge(scorer, text)
    assert j.label == "negative", j.reasons
    assert codes(j) & {"complaint", "fee_rate"}  # a fee named beside it makes it a fee dispute


def test_a_hedged_price_remark_is_not_a_grievance(scorer):
    assert judge(scorer, "甲行分期费率五折，感觉还是有点贵").label != "negative"


def test_money_charged_in_a_post_is_a_fee_dispute(scorer):
    j = judge(scorer, "去年办的甲行金卡一直没用，这个月突然收了我三百多块")
    assert j.label == "negative", j.reasons
    assert "fee_rate" in codes(j)


def test_a_limit_cut_named_after_the_verb(scorer):
    j = judge(scorer, "甲银行下调个人账户线上转账限额")
    assert j.label == "negative", j.reasons
    assert "complaint" in codes(j)


@pytest.mark.parametrize("title", [
    "网曝甲银行营业厅门口不让老人歇脚",
    "网友吐槽甲银行网点一周只开两天",
    "爆料甲银行某支行让储户在门外淋雨等候",
])
def test_exposure_frames_make_the_rest_the_bank_s_news(scorer, title):
    j = judge(scorer, title)
    assert j.label == "negative", j.reasons
    assert any(r.note == "frame" for r in j.reasons)


def test_a_frame_with_nothing_after_it_is_still_not_news(scorer):
    assert judge(scorer, "网曝甲银行").label != "negative"


@pytest.mark.parametrize("text", [
    "三次申诉无果，甲行就这样",
    "为了开个证明在甲行来回跑，跑断腿",
    "甲银行柜员全程冷脸，还甩脸子给老人看",
])
def test_informal_grievance_families(scorer, text):
    j = judge(scorer, text)
    assert j.label == "negative", j.reasons
    assert "complaint" in codes(j)


def test_deposit_vanished_after_saving_it_at_the_bank(scorer):
    j = judge(scorer, "老人说二十万存进甲银行三年后竟然少了一半")
    assert j.label == "negative", j.reasons
    assert "ops_loss" in codes(j)
    assert any(r.term.startswith("存进…") for r in j.reasons)


def test_a_word_that_contains_a_new_term_is_not_it(scorer):
    # 凉了 is not listed (菇凉了), only the forum's 凉凉
    assert judge(scorer, "好久不见那个爱笑的菇凉了，甲行门口也没看到").label != "negative"


@pytest.mark.parametrize("text", [
    "征信纯白去试试甲行，应该能批",  # 纯白 + 去, not 白去 (a wasted trip)
    "你不能用甲行借记卡入账的贷款直接还信用卡，先转到他行",  # advice on a rule, not a service refused
    "甲行要求挺高，想去送人头试试",  # forum slang for applying while expecting a refusal
])
def test_forum_advice_and_slang_are_not_grievances(scorer, text):
    assert judge(scorer, text).label != "negative", judge(scorer, text).reasons
