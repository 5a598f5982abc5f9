"""Long texts: bad news about others, told at length, is not this bank's; a one-bank post of a few
sentences is the bank's throughout (issue 15).

Every text here was invented for these tests; none is copied from a data set."""

from __future__ import annotations

import pytest
from rules_cases import judge

from reportgen.score import ScoreInput, Target
from reportgen.score.rules import RulesScorer

# a platform's collapse, told at length; the bank is named once, in a sentence of its own that blames it for nothing
PLATFORM_STORY = (
    "某某网贷平台日前被警方立案侦查，涉嫌非法吸收公众存款和集资诈骗，数万名投资人损失惨重。"
    "平台实际控制人已经失联，多名高管被刑事拘留，办公室人去楼空。"
    "投资人反映，平台长期虚构标的、借新还旧，逾期后客服电话无人接听。"
    "据了解，该平台去年曾在宣传中提到与甲银行签署了战略合作协议。"
    "警方提醒广大群众提高警惕，谨防非法集资骗局，切勿轻信高收益承诺，以免上当受骗。"
)




def test_a_long_story_about_someone_else_is_not_the_banks_bad_news(scorer: RulesScorer) -> None:
    j = judge(scorer, PLATFORM_STORY)
    assert j.label != "negative", j.reasons
    assert not j.categories, j.categories


def test_the_same_story_blaming_the_bank_in_its_own_sentence_is(scorer: RulesScorer) -> None:
    text = PLATFORM_STORY.replace("据了解，该平台去年曾在宣传中提到与甲银行签署了战略合作协议。",
                                  "投资人质疑甲银行作为合作方审核不严、难辞其咎。")
    j = judge(scorer, text)
    assert j.label == "negative", j.reasons


def test_the_story_is_still_negative_for_the_platform(scorer: RulesScorer) -> None:
    j = scorer.score(ScoreInput("", PLATFORM_STORY, Target("p2p", ("某某网贷平台",)), ()))
    assert j.label == "negative", j.reasons


# a customer's story of one bank in a few sentences (100-200 characters): the bank is named once, at the start
POSTS = [
    "去年在甲银行办了一张信用卡。一直按时还款，从来没有逾期过。上个月突然发现账单里多了一笔三百块的年费，我根本不知道"
    "有这个费用。打了好几次客服电话，每次都说会反馈，结果一点消息都没有。后来又去网点问，工作人员态度很差，让我自己去找"
    "客服。真的是投诉无门，太让人寒心了。准备把卡注销，再也不用了。",
    "说一下我的经历给大家提个醒。三月份的时候在甲行app上申请了分期，当时页面显示的是免息。后来每个月账单都多扣了一百多，"
    "打电话问才知道是手续费，说页面上写了，可我截图里根本没有。跟客服理论了半个小时，最后说只能退一半。这种操作真的很"
    "恶心，大家办分期一定要看清楚。",
]


@pytest.mark.parametrize("text", POSTS)
def test_a_one_bank_story_of_a_few_sentences_is_the_banks_throughout(scorer: RulesScorer, text: str) -> None:
    assert 100 < len(text) <= 200
    j = judge(scorer, text)
    assert j.label == "negative", j.reasons
    assert "complaint" in {c.code for c in j.categories}, j.categories
