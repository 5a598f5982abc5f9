"""Rules v6: risk categories red-teamed (issue 15: which desk gets the alert).  Every text here was invented
for this review (none is copied from a data set): 348 texts in all, at least 25 bad-news texts for each of
mis_selling, fee_rate, ops_loss, outage, data_leak, regulatory, fraud_crime, personnel and performance, in the
forms 舆情 takes (hot-search titles, 回应/被曝/被罚 headlines, 罚单 notices, first-person posts and forum complaints,
short names and branches, Traditional characters, English mixed in), and 59 must-not cases (waivers, launches,
scams by strangers, maintenance notices, advice, industry rules, appointments, results up, rebutted rumours).

The cases below are the ones the rules got wrong before this round: a category a labeller following
docs/labelling.md §4 gives was missing (or the text was not judged negative at all), or a category it does not
give was there; then a few must-not guards.  Per category on the whole invented set, recall before → after:
mis_selling 0.63 → 1.00, fee_rate 0.84 → 0.97, ops_loss 0.68 → 0.95, outage 0.83 → 1.00, data_leak 0.59 → 0.97,
personnel 0.85 → 1.00 (the numbers and the set are in the commit notes)."""

from __future__ import annotations

import pytest
from rules_cases import BANK as JIA
from rules_cases import codes, judge

from reportgen.score import ScoreInput
from reportgen.score.categories import NEUTRAL_CATEGORIES
from reportgen.score.evaluate import bank_target

ABC = bank_target("农行")
BOC = bank_target("中行")
CCB = bank_target("建行")
CEB = bank_target("光大银行")
CGB = bank_target("广发")
CIB = bank_target("兴业银行")
CITIC = bank_target("中信银行")
CMB = bank_target("招行")
ICBC = bank_target("工商银行")
SPDB = bank_target("浦发")

# (text, bank, the categories it must carry, categories it must not carry)
WRONG_BEFORE = [
    ('我在工行存定期，柜员让我签了一堆字，回家一看是分红险', ICBC, 'complaint mis_selling', ''),
    ('农行客户经理把我爸的养老钱全买了基金，现在亏了三万多', ABC, 'complaint mis_selling', ''),
    ('招行被曝“存款变保险”：柜员称是高息存款产品', CMB, 'mis_selling', 'fee_rate'),
    ('去甲银行办信用卡，被要求先买一份保险才给批', JIA, 'complaint mis_selling', ''),
    ('甲银行“养老理财”宣传年化5%，实际到手不到2%', JIA, 'mis_selling', ''),
    ('在甲行买的理财到期收益是负的，当时经理拍胸脯说不会亏', JIA, 'mis_selling', ''),
    ('浦发的理财经理把R4产品卖给风险测评保守型的我', SPDB, 'mis_selling', ''),
    ('农行短信通知费每月两元，我从没开通过', ABC, 'fee_rate', ''),
    ('广发卡最低还款后的利息算法太黑，全额计息', CGB, 'complaint fee_rate', ''),
    ('兴业银行信用卡“免息分期”实际收手续费', CIB, 'fee_rate mis_selling', ''),
    ('甲银行境外消费货币转换费翻倍', JIA, 'fee_rate', ''),
    ('工商银行卡在我手上，却被异地取现两万', ICBC, 'ops_loss', ''),
    ('甲银行ATM吐出假币，银行不认账', JIA, 'complaint ops_loss', ''),
    ('甲银行支行金库现金短缺千万，内部调查中', JIA, 'ops_loss', 'complaint'),
    ('中信银行把客户的存单弄丢了，补办要跑五趟', CITIC, 'complaint ops_loss', ''),
    ('甲行给我入错了账，现在又把我自己的钱也扣走了', JIA, 'ops_loss', ''),
    ('甲银行app down了一上午，customer service也打不通', JIA, 'outage', ''),
    ('我在甲行的柜员机取钱，钱没出来账户却扣了', JIA, 'ops_loss outage', ''),
    ('我从没申请过甲行的信用卡，却被人用我的身份办了一张', JIA, 'data_leak', 'mis_selling'),
    ('农行员工偷查前女友征信，银行致歉', ABC, 'data_leak', ''),
    ('广发银行因未履行个人信息保护义务被罚', CGB, 'data_leak regulatory', ''),
    ('甲银行冒名贷款：我的名下莫名多了一笔贷款', JIA, 'data_leak', 'fee_rate'),
    ('浦发员工把客户存款信息发给中介', SPDB, 'data_leak', ''),
    ('甲银行短信把别人的账单发到我手机上了', JIA, 'data_leak', ''),
    ('光大银行信用卡中心数据库遭入侵', CEB, 'data_leak', ''),
    ('甲行把我的贷款信息告诉了我单位领导', JIA, 'data_leak', ''),
    ('甲银行新业务上线一天即被叫停', JIA, 'regulatory', ''),
    ('甲银行两名高管被取消任职资格', JIA, 'personnel regulatory', ''),
    ('工行客户经理伪造签名给客户办贷款', ICBC, 'fraud_crime', 'personnel'),
    ('甲银行被指为赌博网站提供支付结算通道', JIA, 'fraud_crime', ''),
    ('招行前高管一审获刑十年', CMB, 'fraud_crime personnel', ''),
    ('甲银行行长主动投案', JIA, 'fraud_crime personnel', ''),
    ('甲銀行前行長被判無期徒刑', JIA, 'fraud_crime personnel', ''),
    ('甲银行一高管私生活风波上热搜', JIA, 'personnel', 'complaint'),
    ('光大银行前董事长被提起公诉', CEB, 'fraud_crime personnel', ''),
    ('建行不良率上升至1.6%', CCB, 'performance', ''),
    ('中信银行H股跳水', CITIC, 'performance', 'complaint'),
    ('建行柜员趁我妈不识字，让她签了份投资连结险', CCB, 'mis_selling', ''),
    ('在农行办的所谓“高息存款”，到期才发现是保险公司的产品', ABC, 'mis_selling', 'fee_rate'),
    ('中行给我推荐的理财说年化4.5%，持有一年倒亏800', BOC, 'mis_selling', ''),
    ('甲行办房贷非要我买他们的意外险和理财，不买就拖着不放款', JIA, 'complaint mis_selling', ''),
    ('工行理财经理隐瞒产品风险等级，客户起诉获赔', ICBC, 'mis_selling', ''),
    ('甲银行私行客户投资的海外债产品违约，本金难追回', JIA, 'mis_selling', ''),
    ('甲行的卡放着没用，一查被收了两年年费加利息三百多，客服说不能退', JIA, 'complaint fee_rate', ''),
    ('工行的结息方式太坑了，一分钱没欠也被算利息', ICBC, 'complaint fee_rate', ''),
    ('甲行提前还款收违约金，还要排队两个月，这是什么规定', JIA, 'complaint fee_rate', ''),
    ('招行转账显示成功，对方说一直没收到，钱也没退回来', CMB, 'complaint ops_loss', ''),
    ('建行柜员把我的定期提前支取了，我本人根本没去过', CCB, 'ops_loss', ''),
    ('工行把钱打进了我已注销的旧卡，现在找不回来', ICBC, 'ops_loss', ''),
    ('农行存折上的钱被别人取了，银行说密码正确不负责', ABC, 'complaint ops_loss', ''),
    ('建行刷卡机全坏了，商户没法收款', CCB, 'outage', ''),
    ('工行今天全国网点系统宕了半小时', ICBC, 'outage', ''),
    ('甲行的转账一直卡在“处理中”，三个小时了', JIA, 'outage', ''),
    ('中行信用卡还不进去，一直提示交易异常', BOC, 'outage', ''),
    ('刚在甲行办完房贷，就有装修公司打电话报出我的房号和贷款额', JIA, 'data_leak', ''),
    ('招行员工拍客户证件发朋友圈', CMB, 'data_leak', ''),
    ('建行把我的征信报告给了别人看，客户经理说是误操作', CCB, 'data_leak', ''),
    ('甲银行网银被发现可以越权查看其他企业的流水', JIA, 'data_leak', ''),
    ('工行没让我刷脸就给别人补了我的卡', ICBC, 'data_leak', ''),
    ('农行客户经理把我的联系方式卖给了贷款中介', ABC, 'data_leak', ''),
]


@pytest.mark.parametrize("text, bank, wanted, unwanted", WRONG_BEFORE)
def test_categories_a_labeller_gives(scorer, text, bank, wanted, unwanted):
    j = scorer.score(ScoreInput("", text, bank, ()))
    assert j.label == "negative", j.reasons
    got = codes(j)
    assert set(wanted.split()) <= got, (got, j.reasons)
    assert not set(unwanted.split()) & got, (got, j.reasons)


# (text, bank, the neutral category it carries or "")
MUST_NOT = [
    ('甲银行：如何防范个人信息泄露？五个小技巧', JIA, ''),
    ('甲银行不良率下降至1.2%', JIA, 'performance'),
    ('甲银行信用卡刷满五笔免年费', JIA, ''),
    ('招行境外交易手续费全免', CMB, ''),
    ('甲行分期费率折合年化约七厘', JIA, ''),
    ('甲银行推出养老理财新产品', JIA, ''),
    ('甲行的理财今年收益还不错', JIA, ''),
    ('骗子冒充甲银行客服骗走老人三万元', JIA, ''),
    ('甲银行成功追回客户被骗资金', JIA, ''),
    ('甲银行手机银行定于周六凌晨2点至6点系统升级，期间暂停服务', JIA, ''),
    ('工行将于本周日进行系统维护，请提前安排', ICBC, ''),
    ('招行开展个人信息保护宣传周活动', CMB, ''),
    ('金融监管总局发布消费者权益保护新规，甲银行组织学习', JIA, ''),
    ('甲银行聘任新行长', JIA, 'personnel'),
    ('甲银行上半年净利增长12%', JIA, 'performance'),
]


@pytest.mark.parametrize("text, bank, neutral", MUST_NOT)
def test_no_risk_category_where_none_is_due(scorer, text, bank, neutral):
    j = scorer.score(ScoreInput("", text, bank, ()))
    assert j.label != "negative", j.reasons
    assert codes(j) - NEUTRAL_CATEGORIES == set(), j.categories
    assert set(neutral.split()) <= codes(j), j.categories


@pytest.mark.parametrize(("text", "bad_news"), [
    ("我在甲银行的存款被人用伪造的签名取走了", True),  # paid out on a forged signature: the bank's loss
    ("甲银行员工伪造签名办理贷款", True),  # its own staff forged
    ("甲银行被冒充，骗子伪造短信骗钱", False),  # the bank impersonated
    ("甲银行被人冒充，提醒客户注意", False),
])
def test_a_passive_makes_the_bank_impersonated_only_right_before_the_cue(scorer, text, bad_news):
    j = judge(scorer, text)
    assert (j.label == "negative") is bad_news, j.reasons
