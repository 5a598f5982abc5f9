"""Rules v6 on hot-search titles and the rarer risk categories (issue 15, the titles round): a headline
names the bank once and the story in a few words, and the category picks the desk that gets the alert.

Every text here was invented for these tests; none is copied from a data set."""

from __future__ import annotations

import pytest
from rules_cases import assert_bad_news, codes, judge

# --- round 1 ---


@pytest.mark.parametrize("text", [
    "六名储户的300万元存款被甲银行柜员转走",  # the nearest cue says whose act it was
    "储户的养老钱在甲银行被理财经理转走",
    "甲银行一储蓄员携款百万潜逃多年",
    "甲银行出纳员卷款潜逃被通缉",
])
def test_staff_taking_deposits_is_a_crime_and_a_loss(scorer, text):
    j = judge(scorer, text)
    assert_bad_news(j)
    assert {"fraud_crime", "ops_loss"} <= codes(j), (codes(j), j.reasons)


def test_a_staff_member_spending_clients_money_on_streamers_is_a_crime(scorer):
    assert_bad_news(judge(scorer, "甲银行女职员挪出客户理财款打赏网络主播"), "fraud_crime")


@pytest.mark.parametrize("text", [
    "甲银行前一把手受贿上千万",
    "甲银行一领导被指施压女下属发生关系",
    "甲银行分行行长被曝潜规则新员工",
])
def test_an_executives_scandal_is_personnel_and_a_crime(scorer, text):
    j = judge(scorer, text)
    assert_bad_news(j)
    assert {"personnel", "fraud_crime"} <= codes(j), (codes(j), j.reasons)


def test_an_executive_swindled_is_personnel(scorer):
    assert_bad_news(judge(scorer, "甲银行副行长轻信中介被骗走两亿"), "personnel")


def test_a_central_bank_official_expelled_is_a_crime_too(scorer):
    j = judge(scorer, "甲银行某部门原主任被双开")
    assert {"personnel", "fraud_crime"} <= codes(j), (codes(j), j.reasons)


def test_staff_disciplined_after_a_scandal_is_personnel(scorer):
    j = judge(scorer, "甲银行通报大堂经理辱骂储户处理结果")
    assert_bad_news(j, "personnel")
    assert "complaint" in codes(j) and "fraud_crime" not in codes(j), (codes(j), j.reasons)


@pytest.mark.parametrize("text", [
    "甲银行刷脸验证被不法分子破解",
    "甲银行手机银行的人脸识别竟被一张照片骗过",
])
def test_identity_checks_defeated_are_a_data_leak(scorer, text):
    assert_bad_news(judge(scorer, text), "data_leak")


def test_accounts_opened_without_consent_are_mis_selling_and_a_data_leak(scorer):
    j = judge(scorer, "甲银行未经同意批量给村民开户")
    assert_bad_news(j)
    assert {"mis_selling", "data_leak"} <= codes(j), (codes(j), j.reasons)


@pytest.mark.parametrize("text", [
    "甲银行员工称揽储任务完不成每月被扣钱",
    "甲银行柜员考核压力大只能自掏腰包买理财",
])
def test_staff_paying_for_their_quotas_is_a_grievance(scorer, text):
    assert_bad_news(judge(scorer, text), "complaint")


@pytest.mark.parametrize("text", [
    "男子去甲银行取3万元看病被电话核实",
    "大爷到甲银行存5万元现金被问钱来源",
    "七旬老人被家人扛到甲银行柜台办业务",
])
def test_a_customer_questioned_or_carried_to_the_counter_is_a_complaint(scorer, text):
    assert_bad_news(judge(scorer, text), "complaint")


@pytest.mark.parametrize("text", [
    "甲银行取消三年期定期存款",
    "甲银行免费短信提醒没了",
    "甲银行取消免费短信通知",
])
def test_a_product_or_free_service_withdrawn_is_a_fee_matter(scorer, text):
    assert_bad_news(judge(scorer, text), "fee_rate")


@pytest.mark.parametrize("text", [
    "老人在甲银行存20万十年后只剩几百",
    "男子在甲银行取款1000元少200元",
    "甲银行转走储户800万存款至今未还",
    "储户在甲银行取出一沓练功钞",
])
def test_money_short_or_gone_is_an_operational_loss(scorer, text):
    assert_bad_news(judge(scorer, text), "ops_loss")


@pytest.mark.parametrize("text", [
    "甲银行网点一年裁撤三百多家",
    "甲银行为何出现员工离职潮",
    "甲银行向数百名员工追讨绩效",
])
def test_branches_closing_staff_leaving_and_pay_clawed_back_are_performance(scorer, text):
    j = judge(scorer, text)
    assert_bad_news(j, "performance")
    assert "personnel" not in codes(j), (codes(j), j.reasons)


@pytest.mark.parametrize("text", [
    "甲银行网点出售的金条被指是假金条",
    "甲银行的理财到底怎么了",
    "甲银行违规引入保险公司销售人员",
])
def test_a_product_gone_wrong_is_mis_selling(scorer, text):
    assert_bad_news(judge(scorer, text), "mis_selling")


@pytest.mark.parametrize("text", [
    "男子遭遇诈骗跑到甲银行转账",
    "甲银行柜员多问一句帮老人跳出陷阱",
])
def test_a_scam_victim_at_the_counter_is_no_news_against_the_bank(scorer, text):
    assert judge(scorer, text).label != "negative"


# --- round 2 ---


@pytest.mark.parametrize("text", [
    "八旬老人被要求到甲银行现场认证",
    "甲银行要求储户出示户口本才能取钱",
    "甲银行让独居老人证明自己还活着",
    "甲银行柜员不让老人取自己的钱",
    "甲银行限制取现引储户不满",  # (不满 alone is mild; the limit is the grievance)
    "甲银行保安对储户爆粗口",
    "女子在甲银行取款被拒当场崩溃大哭",
])
def test_the_bank_withholding_a_customers_own_money_is_a_complaint(scorer, text):
    j = judge(scorer, text)
    assert_bad_news(j, "complaint")
    assert "outage" not in codes(j), (codes(j), j.reasons)


def test_a_relative_signing_for_an_elderly_customer_is_no_crime(scorer):
    j = judge(scorer, "甲银行回应老人不识字家属代签被拒")
    assert_bad_news(j, "complaint")
    assert "fraud_crime" not in codes(j), (codes(j), j.reasons)


def test_staff_pressed_to_buy_products_is_a_complaint(scorer):
    assert_bad_news(judge(scorer, "甲银行员工称被逼自己买理财"), "complaint")


def test_a_superiors_harassment_is_personnel_and_a_crime(scorer):
    j = judge(scorer, "甲银行女员工称长期遭领导骚扰")
    assert_bad_news(j)
    assert {"personnel", "fraud_crime"} <= codes(j), (codes(j), j.reasons)


@pytest.mark.parametrize("text", [
    "甲银行员工工资打对折",
    "甲银行今年年终奖泡汤了",
    "甲银行不良贷款激增",
])
def test_pay_cut_and_bad_loans_surging_are_performance(scorer, text):
    assert_bad_news(judge(scorer, text), "performance")


def test_a_forged_deposit_slip_is_an_operational_loss(scorer):
    assert_bad_news(judge(scorer, "储户在甲银行的存单竟是假的"), "ops_loss")


def test_the_bank_auctioning_collateral_is_a_creditors_routine(scorer):
    assert judge(scorer, "甲银行在司法拍卖平台挂牌出售抵押房产").label != "negative"
