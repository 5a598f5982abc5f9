"""Rules v6 on card-forum chatter (issue 15, the devset's third batch): an application's or a limit's outcome
is a grievance only where one shows; rebuttals, questions to another poster, quoted words and jokes are not the
writer's claim; and the forum's grievance families the lexicon lacked.

Every text here was invented for these tests; none is copied from a data set."""

from __future__ import annotations

import pytest
from rules_cases import assert_bad_news, judge

# --- an application's outcome (拒了, 还在审核, 额度低) told flatly is no grievance; with one, it is ---


@pytest.mark.parametrize("text", [
    "甲行申请被拒了，上个月申了好几家",
    "甲行还在审核吗？",  # asked as a question
    "我的甲行额度低，征信花了也正常",  # blamed on the poster's own credit
    "甲行拒了正常，我负债太高",
    "刚申请的甲行，还在审核",
])
def test_an_outcome_told_flatly_is_not_negative(scorer, text):
    j = judge(scorer, text)
    assert j.label != "negative", j.reasons
    assert any("told flatly" in r.note for r in j.reasons), j.reasons


@pytest.mark.parametrize("text", [
    "甲行又秒拒，呵呵",  # 又: a degree word resents it
    "申请甲行被拒了，气死我了！",
    "甲行秒拒，简直了",
    "甲行被拒了三次，垃圾银行",
    "甲行下卡才三千",  # 才: the limit is resented
    "甲行额度太低了",
    "又给我降额了，甲行什么操作",
    "卧槽，甲行又把我拒了",
    "甲行秒拒！",
])
def test_an_outcome_with_a_grievance_stays_negative(scorer, text):
    assert_bad_news(judge(scorer, text), "complaint")


@pytest.mark.parametrize("text", [
    "甲银行拒绝了我的退款申请",
    "甲银行拒绝承认错误",
    "甲银行拒绝协商还款",
    "甲银行降额了",
    "被甲银行降额了",
    "甲银行把我额度降到2000",
    "甲银行信用卡额度被砍一半",
    "甲银行卡被风控了，不能用",
    "甲银行贷款审批迟迟不下来",
])
def test_what_the_bank_does_to_an_account_or_a_request_is_never_damped(scorer, text):
    # limit cuts, restrictions and refused requests are the complaint language issue 15 names: a flat
    # headline or post about them is bad news (damping them as an application's outcome all-cleared these)
    j = judge(scorer, text)
    assert_bad_news(j, "complaint")
    assert not any("told flatly" in r.note for r in j.reasons), j.reasons


def test_a_refusal_of_service_is_no_outcome(scorer):
    # 不给办, 取不出: a grievance by itself, never damped as an application's outcome
    for text in ("甲行柜台就是不给办", "甲行的钱取不出来"):
        j = judge(scorer, text)
        assert_bad_news(j, "complaint")
        assert not any("told flatly" in r.note for r in j.reasons), j.reasons


# --- what the writer does not claim: a rebuttal, a question to another poster, a quoted word, a joke ---


def test_a_rebuttal_negates_the_claim_it_answers(scorer):
    j = judge(scorer, "谁说甲行难提额，我上个月刚提了")
    assert j.label != "negative", j.reasons
    assert any("谁说" in r.note for r in j.reasons)


def test_a_rebuttal_of_praise_is_no_praise(scorer):
    assert judge(scorer, "谁说甲行好下卡的，瞎扯").label == "negative"


@pytest.mark.parametrize("text", [
    "你没跟甲行协商吗？还是他们不同意协商？",
    "你要把甲行撸破产吗",
    "你是不是在甲行逾期了？",
])
def test_a_question_to_another_poster_is_not_the_writers_claim(scorer, text):
    assert judge(scorer, text).label != "negative"


@pytest.mark.parametrize("text", [
    "你们甲行凭什么不同意协商？",  # put to the bank itself
    "你敢信吗？甲行又乱扣年费",  # rhetorical
])
def test_a_question_to_the_bank_or_a_rhetorical_one_stays_negative(scorer, text):
    assert_bad_news(judge(scorer, text))


@pytest.mark.parametrize("text", [
    "“违规套现”？甲行规则里只是说不给积分",
    "“恶意透支”？甲行客服原话就是这么说的",
])
def test_a_quoted_word_questioned_is_a_mention(scorer, text):
    j = judge(scorer, text)
    assert j.label != "negative", j.reasons


def test_scare_quotes_in_a_headline_still_report(scorer):
    assert_bad_news(judge(scorer, "甲银行回应储户存款“消失”"))


@pytest.mark.parametrize("text", [
    "甲行的客服不好忽悠",
    "看来冷冻对甲行有点用",
])
def test_jokes_and_the_posters_own_strategy_are_not_grievances(scorer, text):
    assert judge(scorer, text).label != "negative"


# --- grievance families the forum uses of a bank ---


@pytest.mark.parametrize("text", [
    "甲行抠的一批",
    "甲行的服务差得要死",
    "坚决抵制甲行",
    "甲行别想减免",
    "激活甲行信用卡的时候说必须办张储蓄卡",
    "甲行两年不提额",
    "我的甲行快一年了都不出额度",
    "甲行在干吗啊，申请记录都没有",
    "甲行每次都这样",
    "甲行这卡是最慢的",
    "甲行的额度很不稳定",
])
def test_forum_grievance_families(scorer, text):
    assert_bad_news(judge(scorer, text), "complaint")



# --- the poster's own step, advice to others, the bank they switch to ---


@pytest.mark.parametrize("text", [
    "我已经注销了甲行",  # the poster's own step, told plainly
    "打甲行客服热线转人工问问就行",  # advice
    "何必非要在甲行一棵树上吊死",
    "问了半天没回复，就拉倒了，我换甲行",  # the bank switched to
])
def test_own_steps_advice_and_switching_are_not_grievances(scorer, text):
    assert judge(scorer, text).label != "negative"


@pytest.mark.parametrize("text", [
    "一气之下把甲行注销了",
    "甲行客服转不了人工",
    "甲行非要我买保险才给办",
    "一年申请五次甲行，全部拒绝",
])
def test_the_same_words_with_a_grievance_stay_negative(scorer, text):
    assert_bad_news(judge(scorer, text))


@pytest.mark.parametrize("text", [
    "七年了甲行额度还是那点",  # a limit stuck, belittled: no flat outcome
    "甲行额度这么低，还好意思叫白金卡",
    "甲行又改规则了，积分说没就没",  # the bank acting at whim (说X就X)
    "甲行说停就停，也不通知",
])
def test_implicit_grievances_are_bad_news(scorer, text):
    assert_bad_news(judge(scorer, text), "complaint")


def test_an_amount_that_stays_is_no_grievance_without_the_belittling_word(scorer):
    assert judge(scorer, "我在甲行的存款还是那么多").label != "negative"


@pytest.mark.parametrize("text", [
    "甲行秒拒[捂脸]",  # the forums' emoji for vexation
    "甲行秒拒，唉",  # a sigh
    "甲行秒拒，难受",
    "甲行下卡才2000",  # 才 + a figure in digits, as 才三千
])
def test_an_outcome_with_a_sigh_or_an_emoji_of_vexation_is_a_grievance(scorer, text):
    assert_bad_news(judge(scorer, text), "complaint")


@pytest.mark.parametrize("text", ["唉，今天去甲行办了张卡", "甲行下卡10000，挺好"])
def test_a_sigh_or_a_figure_alone_is_no_grievance(scorer, text):
    assert judge(scorer, text).label != "negative"


@pytest.mark.parametrize("text", [
    "甲行差评",  # the customer's verdict in a post
    "给甲行打一星",
    "甲行真是好银行啊，一分额度不给",  # sarcasm: not a cent of limit
    "甲行这操作我看不懂",
])
def test_verdicts_and_sarcasm_in_posts_are_bad_news(scorer, text):
    assert_bad_news(judge(scorer, text), "complaint")


@pytest.mark.parametrize("text", ["这个操作我看不懂，求教大神怎么在甲行App上还款", "甲行等了一星期才下卡"])
def test_a_how_to_question_and_a_week_are_no_verdict(scorer, text):
    assert judge(scorer, text).label != "negative"
