"""Rules v6's card-forum dampers red-teamed for false all-clears (a fourth round, issue 15).

The forum round (tests/test_score_rules_forum.py) damped what a card forum says without a grievance: an
application's outcome told flatly, a question put to another poster, a short quotation questioned, 谁说
rebuttals, jokes and the poster's own strategy, advice (转人工, 延期还款, 催问), 已经注销 told plainly, 没回复 as
an outcome, the bank a poster switches to.  Each damper's context was written here with a real grievance
inside: a question that is the writer's own claim, the bank's word quoted back, 谁说 with a negation, the bank
left for another, the bank's act on the customer, headlines that happen to hold these words.

Every text here was invented for this review (none is copied from a data set).  Of 238 must-be-negative texts
written (188, then 50 fresh ones after the first fixes), 61 were judged neutral or positive by the rules
before this file was added; the 54 here are judged negative now (the other 7 are jokes, irony and
insinuations the rules do not read: see the commit notes).  The guards are card-forum chatter that must stay
non-negative, among them one (你问问招行转人工) the rules called negative before."""

from __future__ import annotations

import pytest
from rules_cases import BANK as JIA
from rules_cases import codes

from reportgen.score import ScoreInput, Target
from reportgen.score.evaluate import bank_target

YI = Target("yi", ("乙银行", "乙行"))
CMB = bank_target("招行")
ICBC = bank_target("工行")
PAB = bank_target("平安银行")
CEB = bank_target("光大银行")
CITIC = bank_target("中信")
SPDB = bank_target("浦发")
CGB = bank_target("广发")

# (title, text, bank, co-mentioned banks, the category it must carry or None)
ALL_CLEARED = [
    # --- questions put to other posters that are the writer's own claim (rhetorical, shared, answered) ---
    ('', '你有没有遇到过甲行乱扣费？我这个月被扣了两百', JIA, (), 'fee_rate'),
    ('', '你没发现甲行越来越抠了吗？', JIA, (), 'complaint'),
    ('', '你觉得甲行这样做合理吗？不打招呼就停了我的卡', JIA, (), 'complaint'),
    ('', '你家附近的甲行网点也关了吗？取个钱要跑十公里', JIA, (), 'complaint'),
    ('', '你是不是也收到工行的催收短信了？我都没逾期', ICBC, (), 'complaint'),
    ('', '你确定甲行免年费？我刚被扣了480', JIA, (), 'fee_rate'),
    # --- a quotation questioned, then what happened: the bank's word thrown back (“免年费”？照样扣) ---
    ('', '“免年费”？甲行照样扣了我300', JIA, (), None),
    ('', '“终身免年费”？甲行第二年就扣了', JIA, (), None),
    ('', '“零手续费”？甲行分期的手续费一分没少收', JIA, (), 'fee_rate'),
    ('', '“不查征信”？甲行背着我查了三次', JIA, (), None),
    ('', '“贴心服务”？招行客服让我等了四十分钟', CMB, (), 'complaint'),
    ('', '“0利息”？平安银行的分期实际年化18%', PAB, (), None),
    # --- 谁说 rebuttals: 谁说…不X claims X; a rebuttal of praise beside a grievance ---
    ('', '谁说甲行不乱收费的，我上个月被扣了200年费', JIA, (), 'fee_rate'),
    ('', '谁说招行服务第一？我挂失补卡跑了三趟', CMB, (), 'complaint'),
    # --- switching banks: the bank left is the one complained of (我换掉/我换了/我换到…是因为) ---
    ('', '我换招行了，工行排队太久', ICBC, (CMB, ), 'complaint'),
    ('', '我换掉甲行了，实在太坑', JIA, (), None),
    ('', '工资卡我换成乙行了，甲行每月扣管理费', JIA, (YI, ), 'fee_rate'),
    ('', '房贷我转到乙行了，甲行利率死活不降', JIA, (YI, ), None),
    ('', '我换了甲行，因为它乱扣年费', JIA, (), 'fee_rate'),
    ('', '我换中信了，光大银行动不动就风控', CEB, (CITIC, ), 'complaint'),
    # --- 转人工, 延期还款, 催, 注销 and 没回复 beside the bank's own failing ---
    ('', '甲行客服热线转人工要等半小时', JIA, (), 'complaint'),
    ('', '可以转人工，但甲行人工客服只会说无法处理', JIA, (), 'complaint'),
    ('', '甲行的延期还款就是个幌子，根本批不下来', JIA, (), 'complaint'),
    ('', '延期还款？甲行客服说想都别想', JIA, (), 'complaint'),
    ('', '催了甲行三次，退款还是没到', JIA, (), 'complaint'),
    ('', '催问进度，甲行客服说不知道', JIA, (), 'complaint'),
    ('', '已经注销了三个月，甲行还给我寄账单催还款', JIA, (), 'complaint'),
    ('', '给甲行发了三封邮件都没回复', JIA, (), 'complaint'),
    # --- the bank's act on the customer (停卡, 降额, 冷冻, 列入黑名单, 关闭账户) and jokes with a grievance inside ---
    ('', '甲行拒卡了还硬查我征信', JIA, (), None),
    ('', '甲行突然把我的卡停了', JIA, (), 'complaint'),
    ('', '甲行把我卡停了，说是风控', JIA, (), 'complaint'),
    ('', '被甲行降了额度，只剩两千', JIA, (), 'complaint'),
    ('', '被甲行冷冻一年了，额度一分不给用', JIA, (), 'complaint'),
    ('', '建议甲行改名叫扣费银行，哈哈', JIA, (), 'fee_rate'),
    ('', '哈哈哈甲行客服是复读机吧，问啥都是系统原因', JIA, (), 'complaint'),
    # --- headlines and hot-search titles that contain the dampers' words ---
    ('#甲银行拒绝退还年费#', '', JIA, (), 'fee_rate'),
    ('甲银行客户“被办卡”？银行回应', '', JIA, (), None),
    # --- first-person posts and a second batch of the same contexts ---
    ('', '我换乙行了。甲行的额度六年没动，客服每次都说综合评估，问就是不知道。', JIA, (YI, ), 'complaint'),
    ('', '上周去甲行网点取钱，柜员问东问西半小时，最后说要预约。我自己的钱啊？', JIA, (), 'complaint'),
    ('', '你有遇到甲行柜员甩脸子吗？我今天就碰上了', JIA, (), 'complaint'),
    ('', '甲行拒了也不说原因', JIA, (), 'complaint'),
    ('甲银行信用卡审批难？多地用户反映秒拒', '', JIA, (), 'complaint'),
    ('', '甲行热线转人工就挂断', JIA, (), 'complaint'),
    ('', '延期还款申请提交一个月了，甲行一点动静都没有', JIA, (), 'complaint'),
    ('', '不是说甲行提额快吗？三年了还是五千', JIA, (), 'complaint'),
    ('', '“尊享服务”？甲行VIP窗口照样排一小时', JIA, (), 'complaint'),
    ('', '“秒批”？甲行审了一个月最后拒了还收了评估费', JIA, (), 'fee_rate'),
    ('', '我换乙行之前，甲行把我额度从3万砍到3千', JIA, (YI, ), 'complaint'),
    ('', '我换到乙行是因为甲行客服太差', JIA, (YI, ), 'complaint'),
    ('', '催问了五次，甲行说延期还款不符合条件', JIA, (), 'complaint'),
    ('', '甲行把我列入黑名单，原因也不说', JIA, (), 'complaint'),
    ('', '甲行关闭了我的账户，也没提前通知', JIA, (), 'complaint'),
    ('', '不是说广发免年费吗？我被扣了两次', CGB, (), 'fee_rate'),
    ('', '我换平安银行了，浦发的客服实在受不了', SPDB, (PAB, ), 'complaint'),
]


@pytest.mark.parametrize(("title", "text", "bank", "others", "code"), ALL_CLEARED)
def test_forum_grievances_are_not_all_cleared(scorer, title, text, bank, others, code):
    j = scorer.score(ScoreInput(title, text, bank, others))
    assert j.label == "negative", j.reasons
    if code is not None:
        assert code in codes(j), (codes(j), j.reasons)


# card-forum chatter in the same contexts, with no grievance: (text, bank, co-mentioned banks)
GUARDS = [
    ('我已经注销甲行了，卡太多用不过来', JIA, ()),
    ('打甲行热线转人工说明情况就可以了', JIA, ()),
    ('你申请甲行被拒了吗？', JIA, ()),
    ('谁说甲行难下卡，我一次就过了', JIA, ()),
    ('“套现”？甲行没这么说吧', JIA, ()),
    ('甲行太坑了，我换乙行了', YI, (JIA,)),
    ('我换成乙行的卡了，乙行积分多', JIA, (YI,)),
    ('冷冻征信后再申甲行，一次过', JIA, ()),
    ('“秒批”？甲行也要审核两天的', JIA, ()),
    ('你被甲行拒了吗？我刚批了', JIA, ()),
    ('你也申请甲行了吗？我刚下卡', JIA, ()),
    ('延期还款申请提交了，甲行说三天内回复', JIA, ()),
    ('谁说甲行客服差，我遇到的都挺好', JIA, ()),
    ('你问问招行转人工，能给你减免', CMB, ()),
    ('甲行热线转人工很快，一分钟就接了', JIA, ()),
]


@pytest.mark.parametrize(("text", "bank", "others"), GUARDS)
def test_forum_chatter_stays_non_negative(scorer, text, bank, others):
    j = scorer.score(ScoreInput("", text, bank, others))
    assert j.label != "negative", j.reasons
