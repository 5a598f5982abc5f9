"""Rules v6 red-teamed for false all-clears, a second independent round: bad news about a bank in
forms the first round did not use (city, rural and village banks, staff titles, 【】 and ｜ titles,
黑猫投诉 complaints, a regulator's notice naming several banks, Cantonese and Taiwan wording, emoji).

Every text here was invented for this review (none is copied from a data set).  Each must-be-negative
case below was judged neutral (or positive) by the rules before this file was added (46 of 236 written;
three more misspelled the bank's own name, 工商行 and 银航, which is a name list's matter, not the
rules'); the guards are hard texts that are not bad news for the bank, and must stay so."""

from __future__ import annotations

import pytest
from rules_cases import BANK, assert_bad_news, codes, judge

from reportgen.score import ScoreInput, Target
from reportgen.score.evaluate import bank_target

# (text, the category it must carry, or None where several would be right)
ALL_CLEARED = [
    # promises broken and "free" that charges: 说好的…变成了, 说免息…手续费, 说是免年费，第二年就扣了
    ("甲银行分期的时候说免息，账单出来一看每期都有手续费", "mis_selling"),
    ("#甲银行# 贷款利率说好的4.2，放款变成了5.1，这是什么操作", None),
    ("#甲银行信用卡# 说是终身免年费，第二年就扣了", None),
    ("甲银行信用卡中心客服承诺减免的违约金，下个月又出现在账单上", None),
    ("甲银行的信用卡年费政策改了，要刷满十二次才免，之前是六次", "fee_rate"),
    ("甲行你们是真的牛，房贷利率别家都降了就你家不降", "fee_rate"),  # sarcasm, and a rate kept up
    # money gone, a card used while in the customer's hand, a withdrawal not signed for
    ("在甲行存了二十万的大额存单，到期了去取，柜员说系统显示已经被提前支取，我人都傻了", "ops_loss"),
    ("我的甲行卡明明在我手上，却显示在外地取了两千块", "ops_loss"),
    ("甲行信用卡被别人在国外刷了两笔，加起来一万二，银行说要我自己承担", None),
    ("甲银行信用卡还款通道异常，大量用户被记逾期", "outage"),
    ("诈骗分子用甲银行的对公账户收款，银行明知账户异常却未及时止付", None),  # its own failing beside a fraudster
    # fees: an extra item on the bill, repeated debits
    ("甲行这个月账单多出了一笔莫名其妙的保险费", "fee_rate"),
    ("甲银行1个月内连续扣款3次，总计1.5万", "fee_rate"),
    # staff: bribes, abuse of office, shouting at the elderly, helping fraud rings, selling data
    ("甲银行的贷款审批员暗示要给回扣才能快点批", "fraud_crime"),
    ("甲银行客户经理利用职务便利骗取客户资金八百余万元", "fraud_crime"),
    ("甲银行大堂经理对老人大吼大叫，视频在网上疯传", "complaint"),
    ("甲银行员工帮电诈团伙批量开卡，每张抽成五百元", "fraud_crime"),
    ("甲银行员工将客户信息出售给电诈团伙，获利十余万元", "data_leak"),
    ("甲银行给我寄了张我从没申请过的信用卡，还激活了，谁干的", "data_leak"),
    # delays and runarounds in a customer's words
    ("办了甲行的联名卡，送的行李箱到现在都没寄过来，问了五次都说在走流程", "complaint"),
    ("都说甲行服务好，我看是徒有虚名，柜台就开一个窗口，二十多个人在等", "complaint"),
    ("甲银行被指拖延履行赔付义务", "complaint"),
    ("甲银行：一边喊着服务升级，一边悄悄撤并网点", "complaint"),
    # outcries, slang, Cantonese, emoji
    ("甲银行的公众号评论区全是骂声", "complaint"),
    ("甲行，我劝你善良", "complaint"),
    ("甲银行又上黑榜了", None),
    ("甲银行你们是认真的吗🙄🙄 转个账要验证五次", "complaint"),
    ("甲银行搞咩啊，张卡又用唔到", None),
    ("甲银行的客服真系冇用，问乜都话唔知", "complaint"),
    ("甲銀行網銀當機一整天，客戶無法轉帳", "outage"),  # Taiwan's 當機 is a crash
    # headlines: an apology, a heavy fine, a business suspended, a product's trap, results
    ("甲银行深夜发布致歉声明", None),
    ("【重磅】甲银行遭监管重罚千万", "regulatory"),
    ("甲银行被暂停新开信用卡业务三个月", "regulatory"),
    ("#甲银行暂停部分业务#", None),
    ("甲银行“零元购”理财陷阱：收益承诺全部落空", "mis_selling"),
    ("甲银行装修贷被挪作他用，监管要求整改", "regulatory"),
    ("甲银行不良贷款余额突破500亿元，较年初增加120亿元", "performance"),  # 突破 is good news only for results
    # long posts and stories naming the bank once
    ("今天真的要气炸了。早上八点半就到了甲银行，取号是第38号，大厅里只有一个窗口在办业务，另外两个窗口的柜员在聊天。"
     "等到十一点才轮到我，结果柜员说我的业务要去开户行办。开户行在三十公里外。我问为什么不早说，她说叫号机上有写。"
     "请问谁会去看叫号机上的小字？一上午就这样浪费了。", "complaint"),
    ("甲银行上周发布的一份内部通知引起了员工的强烈不满。通知要求所有员工在年底前每人完成五十张信用卡的发卡任务，"
     "完不成的将扣除绩效工资。有员工在社交平台上吐槽说，为了完成任务只能让亲戚朋友帮忙办卡，甚至自掏腰包给客户返现。"
     "多名员工表示，这样的考核方式让人身心俱疲，已经有人提交了辞职申请。", "complaint"),
    ("甲银行的一场系统升级，让不少商户度过了难熬的周末。从周五晚间开始，商户陆续发现收款码无法使用，"
     "部分已完成的交易款项迟迟没有到账。一家餐馆老板说，那两天店里只能收现金，营业额少了一半。"
     "直到周一上午，相关功能才陆续恢复，但仍有部分商户的款项处于冻结状态。", "outage"),
]


@pytest.mark.parametrize("text, code", ALL_CLEARED)
def test_bad_news_is_not_all_cleared(scorer, text, code):
    assert_bad_news(judge(scorer, text), code)


@pytest.mark.parametrize("bank, text, code", [
    ("建行", "建行某支行柜员把我的定期提前支取了，我根本没签字", "ops_loss"),
    ("中行", "中行跨境汇款卡了12天还没到，说是在审核，问就是等", "complaint"),
    ("交行", "交行信用卡逾期一天就上征信，协商个还款都不给", "complaint"),
    ("邮储", "邮储网点的工作人员把保险当成定期存款卖给我爸", "mis_selling"),
])
def test_real_bank_names(scorer, bank, text, code):
    assert_bad_news(scorer.score(ScoreInput("", text, bank_target(bank), ())), code)


RURAL = Target("bing", ("丙市农商银行", "丙市农商行"))  # invented, as BANK is
OTHER = Target("yi", ("乙银行", "乙行"))


def test_a_rural_bank_shut_without_notice(scorer):
    j = scorer.score(ScoreInput("", "丙市农商行网点突然关门，储户不知道存款怎么取", RURAL, ()))
    assert j.label == "negative", j.reasons


def test_a_regulators_notice_naming_several_banks(scorer):
    # each bank in the list shares the finding that closes it
    text = "银保监会通报：甲银行、乙银行、丙市农商银行等6家机构侵害消费者权益"
    for target, others in ((OTHER, (BANK, RURAL)), (BANK, (OTHER, RURAL))):
        j = scorer.score(ScoreInput("", text, target, others))
        assert j.label == "negative", (target.key, j.reasons)
        assert "regulatory" in codes(j), (codes(j), j.reasons)


@pytest.mark.parametrize("text", [
    "甲银行将于周六凌晨暂停部分业务进行系统升级",  # a maintenance notice, not a suspension
    "甲银行严禁员工收取回扣",  # a prohibition reports no bribe
    "甲银行宣传免息分期，活动期间确实不收手续费",
    "我的甲行卡一直在我手上，没有被刷",
    "甲银行下调房贷利率，首套房利率降至3.5%",
    "甲银行上调三年期大额存单利率，起存金额降至10万元",
    "甲银行积极响应监管要求，主动下调信用卡分期手续费",
    "诈骗团伙利用租借的甲银行、乙银行账户转移赃款，警方已抓获12人",
    "甲银行信用卡中心提醒：近期有不法分子冒充客服实施诈骗，请勿泄露验证码",
    "甲银行今年一季度净利润同比增长7.2%，不良率下降0.05个百分点",
    "甲银行宣布取消小额账户管理费、工本费等12项收费",
    "甲银行信用卡新户首年免年费，刷卡三次送礼品",
])
def test_hard_non_negatives_stay_so(scorer, text):
    assert judge(scorer, text).label != "negative", judge(scorer, text).reasons
