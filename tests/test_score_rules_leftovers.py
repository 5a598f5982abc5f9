"""Rules v6, the leftovers of the forum and red-team rounds (issue 15): a quoted rumour denied, English results
news, comparisons and irony that still accuse the bank, a complaint beside a fee, outcomes that do not add up,
suppositions about a charge not yet made.

Every text here was invented for these tests; none is copied from a data set."""

from __future__ import annotations

import pytest
from rules_cases import BANK, assert_bad_news, codes, judge

from reportgen.score import ScoreInput, Target

# a long post (past lx.SHORT_TEXT), where a clause a sentence away counts less than the bank's own
PADDING = "我这几年用下来的感受就是这样，各家的权益也差不多" * 3
OTHERS = (Target("yi", ("乙银行", "乙行")), Target("bing", ("丙银行", "丙行")), Target("ding", ("丁银行", "丁行")))


def judge_among(scorer, text, target=BANK):
    others = tuple(t for t in (BANK, *OTHERS) if t != target and any(n in text for n in t.names))
    return scorer.score(ScoreInput("", text, target, others))


# --- a rumour denied: the quotation marks around the rumoured word do not keep it out of the denial ---


@pytest.mark.parametrize("text", [
    "甲行回应“倒闭”传闻：纯属谣言",
    "甲银行回应“挤兑”传闻：系谣言",
    "甲行回应“高管被带走”传闻：不实",
    "甲行声明：“破产”传闻纯属谣言",
])
def test_a_quoted_rumour_denied_is_no_bad_news(scorer, text):
    j = judge(scorer, text)
    assert j.label != "negative", j.reasons


def test_a_quotation_not_denied_still_counts(scorer):
    assert_bad_news(judge(scorer, "网友称甲行“倒闭”了，储户排队取钱"))


# --- English results news: the metric, then the move ---


@pytest.mark.parametrize("text", [
    "Jia Bank 甲行 profit plunged in the third quarter",
    "甲行 shares slumped after the report",
    "甲行 net income fell 30% from a year earlier",
    "甲行 quarterly earnings dropped sharply",
    "甲行 revenue declined for a second year",
])
def test_english_results_falling_are_bad_news(scorer, text):
    assert_bad_news(judge(scorer, text), "performance")


def test_english_results_rising_are_not(scorer):
    assert judge(scorer, "甲行 net income rose 12% and shares jumped").label != "negative"


# --- comparisons and forum irony that still accuse the bank ---


@pytest.mark.parametrize("text", [
    "比甲行还黑的银行我没见过",
    "甲行比乙行还坑",
    "乙行已经够抠了，甲行比它更抠",
    "甲行的分期，谁用谁知道",
    "甲行这信用卡，办过的都知道",
])
def test_a_comparison_or_irony_that_accuses_is_bad_news(scorer, text):
    assert_bad_news(judge_among(scorer, text), "complaint")


@pytest.mark.parametrize("text", ["甲行的服务比乙行好多了", "乙行比甲行还好用", "甲行比乙行更好"])
def test_a_favourable_comparison_is_not(scorer, text):
    assert judge_among(scorer, text).label != "negative"


# --- a complaint word beside a fee is a complaint as well as a fee dispute ---


@pytest.mark.parametrize("text", [
    "甲行的年费照样扣，吃相难看",
    "甲行年费说好免的又扣了，真坑",
    "听说甲行分期手续费照样收，太恶心",
])
def test_a_grievance_word_beside_a_fee_is_also_a_complaint(scorer, text):
    j = judge(scorer, text)
    assert_bad_news(j, "fee_rate")
    assert "complaint" in codes(j), j.categories


def test_a_fee_alone_is_not_made_a_complaint(scorer):
    j = judge(scorer, "甲行的年费照样扣")
    assert_bad_news(j, "fee_rate")
    assert "complaint" not in codes(j), j.categories


def test_news_words_beside_a_loss_are_not_made_a_complaint(scorer):
    j = judge(scorer, "甲行某支行库款短缺百万，正在调查")
    assert "complaint" not in codes(j), j.categories


# --- a list of banks shares the clause after it ---


@pytest.mark.parametrize("text", [
    "建议只保留乙行、丙行，注销甲行、丁行，额度都太低了，" + PADDING,
    "注销甲行、丁行，额度都太低，留着也没用",
])
def test_a_list_shares_the_clause_after_it(scorer, text):
    assert_bad_news(judge_among(scorer, text))


def test_about_the_same_is_no_judgement(scorer):
    assert judge(scorer, "甲行和乙行的权益差不多，" + PADDING).label != "negative"


def test_the_banks_kept_do_not_share_the_list_of_those_dropped(scorer):
    text = "建议只保留乙行、丙行，注销甲行、丁行，额度都太低了，" + PADDING
    assert judge_among(scorer, text, OTHERS[0]).label != "negative"


# --- outcomes told flatly stay damped together; an unanswered application is an outcome ---


@pytest.mark.parametrize("text", [
    "甲行还在审核，没动静",
    "甲行申请了一周，还在审核，查不到进度，没动静",
    "甲行没回复就再等等",
    "甲行还没回复，估计要等几天",
])
def test_outcomes_told_flatly_do_not_add_up(scorer, text):
    j = judge(scorer, text)
    assert j.label != "negative", j.reasons


@pytest.mark.parametrize("text", [
    "甲行客服一直没回复，投诉也没用",
    "投诉了甲行一周都没回复",
    "甲行一直秒拒，果然还是秒拒",
    "甲行还在审核，没动静，烦死了",
])
def test_an_outcome_with_a_grievance_or_repeated_stays_negative(scorer, text):
    assert_bad_news(judge(scorer, text), "complaint")


# --- a supposition about a charge not yet made is no grievance; a counterfactual about the past is ---


@pytest.mark.parametrize("text", [
    "要是明年甲行扣我年费我就投诉",
    "如果甲行敢扣年费，我就销卡",
    "万一甲行乱扣费，我就去投诉",
])
def test_a_supposition_is_no_grievance_yet(scorer, text):
    j = judge(scorer, text)
    assert j.label != "negative", j.reasons
    assert not j.categories, j.categories


@pytest.mark.parametrize("text", [
    "要不是甲行乱扣费，我也不会逾期",
    "早知道甲行这么坑，我就不办了",
    "甲行年费太贵了，要是明年还扣我就销卡",
    "要是甲行再这样乱扣费，我就投诉",
    "如果要办卡，千万别办甲行，就是坑",
    "只要不是甲行，哪家都行，甲行太坑了",
])
def test_a_counterfactual_or_a_grievance_beside_a_supposition_stays_negative(scorer, text):
    assert_bad_news(judge(scorer, text))


# --- forum grievances the round's train mistakes showed, written as families ---


@pytest.mark.parametrize("text", [
    "甲行这都好久不能调额了",  # a limit stuck, said with how long
    "甲行很久没提额了，一点动静都不给",
    "甲行最近缩减了授信额度",  # the bank cutting limits, the verb first
    "甲行的临时额度降了一半",  # ... or the limit first
    "甲行是不是野鸡行？",  # a bank called names in a question is still called names
    "甲行搞得这么严，谁还办",
    "甲行是开玩笑么，就给这点",
    "甲行一直吊着我，审了又不批",
    "甲行怀恨在心，再也不给我批卡",
    "甲行积分又缩了，真精明",
    "甲行要不要这么坑",
    "说到服务，甲行垫底",
])
def test_forum_grievance_families_are_bad_news(scorer, text):
    assert_bad_news(judge(scorer, text))


@pytest.mark.parametrize("text", [
    "甲行理财经理很精明，讲得清楚",  # praise: 精明 alone, no degree word
    "甲行额度调了一次，还行",
    "甲行要求挺严格的，但是下卡快",
])
def test_forum_family_guards(scorer, text):
    assert judge(scorer, text).label != "negative"
