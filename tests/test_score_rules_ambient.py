"""Long texts: bad news about others, told at length, is not this bank's (issue 15).

Every text here was invented for these tests; none is copied from a data set."""

from __future__ import annotations

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
