"""Rules v6's new dampers red-teamed for false all-clears (a fifth round, issue 15).

This session's rounds damped forecasts (会, 容易, 通常, 一般, 往往, 不然 …), plain questions (…吗？), weak terms that
no longer add up, a creditor's collection after the poster's own debt (逾期…催收), 冷冻 and 黑屋 as jargon, and
more.  Each context was written here with real bad news inside: a rule of how the bank works followed by the time
it broke it (通常三天到账，这次十天还没到), collection that abuses a debtor (催收冒充律师, 打我父母电话), the bank's
own act (冷冻我半年, 关我小黑屋), hot-search titles and media questions.

Every text here was invented for this review (none is copied from a data set).  Of 215 must-be-negative texts
written, 33 were judged neutral by the rules before this file was added; 28 of them are here, judged negative now,
with one more of the same kind (拖了十几天); the other 5 tell the grievance in words the rules do not know (干等,
一天打了八个, 却收了钱, 查我十次征信不吭声) or a hot-search title read as a bystander (#…却拖了半个月#).
The causes: a forecast's hedge kept after the text tells it came true; a hedge that hid the cue right after it
(通常存款…没了); collection abuse neutralised with the debt; longer pattern words of this session hiding the shorter
ones (都没 hid 没解决, 涨到 hid 涨, 砍半 hid 砍); 冷冻 and 小黑屋 neutral even as the bank's act on the customer; a
negated word (我没逾期) standing as the arrears cue.  The guards are what the dampers were built for."""

from __future__ import annotations

import pytest
from rules_cases import BANK, codes, judge

from reportgen.score import ScoreInput

# (title, text, the category it must carry or None)
ALL_CLEARED = [
    # --- a forecast (通常, 往往, 容易, 会) that the writer goes on to tell came true ---
    ('', '甲银行客服就会说已反馈，问题一个月都没解决', 'complaint'),
    ('', '甲行往往是降额最狠的，我从五万被降到五千', 'complaint'),
    ('', '甲行很容易就给你降额，一点预兆都没有，我三万被降到三千', 'complaint'),
    ('', '甲银行储户：通常存款不会出问题，可我的20万没了', 'ops_loss'),
    ('', '甲行的客服会直接挂你电话，我亲身经历', 'complaint'),
    # --- questions whose bad news hid behind a longer word or a missing form ---
    ('', '甲银行是缺钱了吗？年费涨到一千', 'fee_rate'),
    ('', '甲银行这样收费合法吗？', None),
    ('', '甲银行又降存款利率了吗？三年期只剩百分之二', 'fee_rate'),
    ('', '甲行快贷说降息，实际利率反而上调了', 'fee_rate'),
    ('', '这不是明抢吗？甲行一个短信提醒收36块', 'fee_rate'),
    # --- headlines ---
    ('甲银行会不会成为下一个包商银行？', '', 'performance'),
    ('网点接连关门，甲银行还能存钱吗？', '', None),
    ('甲银行冷冻客户账户一年，客户：我没做错任何事', '', 'complaint'),
    # --- collection that abuses, after the poster's own debt ---
    ('', '逾期两个月，甲行催收把我的欠款信息发给了所有联系人', 'complaint'),
    ('', '欠甲行的钱还不起，催收冒充律师说要抓我', 'complaint'),
    ('', '逾期一周，甲行催收半夜十二点还在打电话', 'complaint'),
    ('', '还不起甲行信用卡，催收人员上门堵我，还拍照发到网上', 'complaint'),
    ('', '欠款已结清，甲行催收还在打我父母电话', 'complaint'),
    ('', '我没逾期，甲行却天天打催收电话，说我欠钱', 'complaint'),
    ('', '欠了甲行五千，他们的催款短信发到我老婆手机上，说我是老赖', 'complaint'),
    ('', '我逾期了，甲行催收上门泼油漆', 'complaint'),
    ('', '逾期了，甲行滞纳金收了两次，重复收费', 'fee_rate'),
    ('', '我欠款三万，甲行委托的催收公司冒充公安打电话', 'complaint'),
    ('', '我逾期了，甲行催收说要去我老家村里广播', 'complaint'),
    ('', '负债了，甲行催收半夜打我孩子学校的电话', 'complaint'),
    ('', '欠了甲行的钱，催收把我P成遗照发朋友圈', 'complaint'),
    # --- the bank's act on the customer's account ---
    ('', '甲行冷冻我半年了，打客服也不解冻', 'complaint'),
    ('', '甲行关我小黑屋三年了，客服说风控不解释', 'complaint'),
    ('', '甲行贷款审批拖了十几天，一个电话都没有', 'complaint'),
]


@pytest.mark.parametrize(("title", "text", "code"), ALL_CLEARED)
def test_bad_news_in_a_dampers_context_is_not_all_cleared(scorer, title, text, code):
    j = scorer.score(ScoreInput(title, text, BANK, ()))
    assert j.label == "negative", j.reasons
    if code is not None:
        assert code in codes(j), (codes(j), j.reasons)


# what the dampers were built for: advice, forecasts, worries, questions and the poster's own debt told flatly
GUARDS = [
    '甲行分期容易进黑屋，大家慎用',
    '甲行用了会黑屋吗？',
    '甲行一般三天到账，别着急',
    '甲行轻则降额，重则封卡，所以别套现',
    '小心别套现，否则甲行会降额',
    '我逾期了三天，甲行催收打电话让我还款',
    '我逾期了，甲行催收今天又打电话了，下个月发工资就还',
    '逾期了一个月，甲行的罚息和滞纳金加起来三百多，准备下周还上',
    '不用担心额度，甲行额度够用了',
    '甲行快贷这个月降息了',
    '我资质不行，甲行被拒正常',
    '就怕甲行降额，所以我一直正常用',
    '还以为甲行会秒拒，结果下卡了',
    '我拖了他两天，甲行客服又打来了',
    '我的甲行也没批呢',
]


@pytest.mark.parametrize("text", GUARDS)
def test_what_the_dampers_were_built_for_stays_non_negative(scorer, text):
    assert judge(scorer, text).label != "negative", judge(scorer, text).reasons
