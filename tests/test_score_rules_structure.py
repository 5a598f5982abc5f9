"""How a post says it, not which words it uses (issue 15): hedged speculation, a fraudster's account at
the bank, the bank as a victim.

Every text here was invented for these tests; none is copied from a data set."""

from __future__ import annotations

import pytest
from rules_cases import codes, judge

from reportgen.score.rules import RulesScorer

# --- hedged speculation is weaker than an assertion ---

@pytest.mark.parametrize("text", [
    "甲银行打电话说给我提额，是不是诈骗？",
    "收到甲行的短信，会不会是骗子啊",
    "甲银行这个活动怕是骗人的吧",
    "刚申请了甲行，估计额度很低",
])
def test_a_hedged_question_is_not_an_accusation(scorer: RulesScorer, text: str) -> None:
    j = judge(scorer, text)
    assert j.label != "negative", j.reasons
    assert any(r.note.startswith("hedged by") for r in j.reasons), j.reasons


@pytest.mark.parametrize("text", [
    "甲银行打电话说给我提额，就是诈骗",
    "收到甲行的短信，原来是骗子",
])
def test_the_same_words_asserted_still_are(scorer: RulesScorer, text: str) -> None:
    assert judge(scorer, text).label == "negative"


@pytest.mark.parametrize("text, category", [
    # a media question or an insinuation about what the bank did is bad news for 舆情, hedge or not
    ("甲银行是否违规放贷？", "regulatory"),
    ("甲银行理财产品是否存在误导销售", "mis_selling"),
    ("甲行会不会泄露了客户信息？", "data_leak"),
    ("甲银行是否涉嫌违规收费？", "fee_rate"),
    ("甲银行会不会暴雷？", None),  # a collapse rumoured: the duty desk must hear of it
])
def test_a_question_about_what_the_bank_did_stays_bad_news(scorer: RulesScorer, text: str,
                                                           category: str | None) -> None:
    j = judge(scorer, text)
    assert j.label == "negative", j.reasons
    assert category is None or category in codes(j), j.categories


def test_a_crime_wondered_about_names_no_crime_category(scorer: RulesScorer) -> None:
    j = judge(scorer, "甲银行乱扣我年费，投诉了也没人管，这家银行是不是在搞诈骗？")
    assert j.label == "negative", j.reasons
    assert "fraud_crime" not in codes(j), j.categories


def test_a_failure_wondered_about_is_still_a_failure(scorer: RulesScorer) -> None:
    # the hedge is about the cause; that the app does not work is said outright
    j = judge(scorer, "甲银行app一直登录不上，是不是系统又崩了")
    assert j.label == "negative", j.reasons
    assert "outage" in codes(j), j.categories


# --- the bank as the place of a fraudster's account ---

@pytest.mark.parametrize("text", [
    "骗子让我把钱转到甲银行的一个账户，后来才知道被骗了",
    "诈骗分子用甲银行的卡收钱，已经报警",
    "不法分子通过甲行账户转移赃款，警方正在追查",
])
def test_a_fraudsters_account_at_the_bank_is_not_the_banks_crime(scorer: RulesScorer, text: str) -> None:
    j = judge(scorer, text)
    assert j.label != "negative", j.reasons
    assert "fraud_crime" not in codes(j), j.categories


def test_the_bank_blamed_beside_the_fraudster_is_still_blamed(scorer: RulesScorer) -> None:
    j = judge(scorer, "骗子用甲银行的卡收钱，甲银行明知账户异常却纵容不管，难辞其咎")
    assert j.label == "negative", j.reasons


def test_a_card_stolen_from_at_the_bank_is_still_the_banks_loss(scorer: RulesScorer) -> None:
    j = judge(scorer, "我在甲银行的卡被骗子盗刷了，银行说不管")
    assert j.label == "negative", j.reasons


# --- a demanding question about what the bank did to me ---

@pytest.mark.parametrize("text", [
    "甲行又降我额度，什么操作？",
    "为啥封我卡，甲银行给个解释",
    "甲银行停了我的分期，几个意思",
])
def test_a_demanding_question_about_the_banks_act_is_a_grievance(scorer: RulesScorer, text: str) -> None:
    j = judge(scorer, text)
    assert j.label == "negative", j.reasons
    assert "complaint" in codes(j), j.categories


@pytest.mark.parametrize("text", [
    "甲行的年费怎么免？什么意思？",
    "为什么甲银行的app更新了？",
])
def test_a_question_alone_is_no_grievance(scorer: RulesScorer, text: str) -> None:
    assert judge(scorer, text).label != "negative"


def test_overlapping_words_keep_their_meaning(scorer: RulesScorer) -> None:
    # the question's act words must not hide a word they overlap: 降息 after 又, the 卡 of 卡…冻结
    assert judge(scorer, "甲银行又降息了").label == "negative"
    j = judge(scorer, "甲银行把我卡冻结了，什么意思")
    assert j.label == "negative" and "complaint" in codes(j), j.reasons


# --- the customer leaving as the outcome ---

@pytest.mark.parametrize("text", [
    "甲行这样，我直接销户了",
    "被甲银行气到了，一气之下剪卡",
    "甲行的卡我干脆不用了",
])
def test_leaving_the_bank_as_the_outcome_is_a_grievance(scorer: RulesScorer, text: str) -> None:
    j = judge(scorer, text)
    assert j.label == "negative", j.reasons


@pytest.mark.parametrize("text", ["甲行的卡注销流程怎么走？", "甲银行怎么注销信用卡", "甲行信用卡2020年已注销"])
def test_asking_how_to_leave_or_stating_it_is_not(scorer: RulesScorer, text: str) -> None:
    assert judge(scorer, text).label != "negative"


# --- a police or court freeze: the case's crime words are not the bank's ---

def test_crime_words_beside_a_police_freeze_are_the_cases(scorer: RulesScorer) -> None:
    j = judge(scorer, "公安冻结了我的甲银行卡，说涉嫌电诈")
    assert j.label != "negative", j.reasons


def test_the_bank_freezing_without_reason_is_still_a_grievance(scorer: RulesScorer) -> None:
    j = judge(scorer, "甲银行无故冻结我的卡，打客服也没人管")
    assert j.label == "negative", j.reasons


# --- never a false all-clear: the bank's own failing or its own people beside a fraudster or a freeze ---

@pytest.mark.parametrize("text", [
    "不法分子通过甲银行系统漏洞盗取客户资金",
    "骗子利用甲行风控漏洞，冒用他人身份开户",
    "诈骗分子用甲银行的卡收钱，甲银行未履行审核义务",
    "甲行员工涉嫌诈骗，已被公安冻结账户",
    "甲银行一支行行长涉嫌非法吸收公众存款，其个人账户已被司法冻结",
])
def test_the_banks_own_failing_beside_a_fraudster_or_a_freeze_is_its_bad_news(scorer: RulesScorer,
                                                                               text: str) -> None:
    j = judge(scorer, text)
    assert j.label == "negative", j.reasons
    assert codes(j), j.categories
