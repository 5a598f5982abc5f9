"""Rules v6 red-teamed for false all-clears: bad news about a bank that the rules called neutral.

Every text here was invented for this review (none is copied from a data set).  Each must-be-negative
case below was judged neutral by the rules before this file was added; the guards are hard texts that
are not bad news for the bank, and must stay so."""

from __future__ import annotations

import pytest
from rules_cases import BANK, assert_bad_news, judge

from reportgen.score import ScoreInput, Target
from reportgen.score.evaluate import bank_target

# (text, the category it must carry, or None where several would be right)
ALL_CLEARED = [
    # a pattern weakened the term it paired with (理财经理…诱导 weighed less than 诱导 alone)
    ("甲银行客户经理诱导储户购买保险，称是存款", "mis_selling"),
    ("我妈七十多了，被甲银行的理财经理忽悠买了十年期的分红险，说是存款，现在想退只能退一半。", "mis_selling"),
    # an impersonation or forgery cue after the bank's name is its own act, not a fraudster's use of it
    ("甲银行员工伪造客户签名办理贷款", "fraud_crime"),
    ("甲银行支行长伪造存单，储户千万存款消失", "fraud_crime"),
    ("甲银行委托的催收公司冒充律师恐吓借款人", "complaint"),
    # 提醒费 is a fee, not a warning (提醒 made the bank a bystander)
    ("甲银行的短信提醒费每个月偷偷扣，从来没告诉过我", "fee_rate"),
    # a post addressed to the bank's handle, or filed under its own hashtag, is about the bank
    ("@甲银行 你们的客服到底有没有人管？打了十几次电话都转不到人工 #甲银行#", "complaint"),
    ("@甲银行信用卡中心 莫名其妙给我降额，问了也不给解释，太恶心了", "complaint"),
    ("#甲银行# 今天去取钱，柜台说要提前预约，自己的钱取不出来😡", "complaint"),
    # rhetorical questions and outcries
    ("甲银行的风控去哪了？", "complaint"),
    ("甲银行还值得信任吗？", "complaint"),
    ("甲银行这服务态度，真的一言难尽", "complaint"),
    ("我在甲行办了张卡，从来没用过，结果今天一查欠了两百多年费，还上了征信，这合理吗？", "fee_rate"),
    ("甲银行贷款审批卡了三个月，项目黄了，谁赔我？", "complaint"),
    ("甲银行 你们是不是觉得储户好欺负", "complaint"),  # a hedge does not soften an accusation
    ("再也不会用甲行了，销户了，拜拜", "complaint"),
    ("甲银行房贷放款拖了半年，开发商要求购房者付违约金", "complaint"),
    ("甲银行存款利率“一夜下调”，储户大呼吃亏", None),
    # missing families: executives leaving en masse, bribes, losses not recovered, fees doubled, defiance
    ("甲银行高管集体辞职引发市场猜测", "personnel"),
    ("甲银行员工朋友圈炫富，疑似收受客户好处", "fraud_crime"),
    ("甲银行错把客户的钱转给陌生人，至今追不回", "ops_loss"),
    ("甲银行跨行转账手续费翻倍，储户吐槽", "fee_rate"),
    ("甲银行ETC扣费异常，有车主被扣上千元", "fee_rate"),
    ("甲银行被列为失信被执行人", "regulatory"),
    ("甲银行拒不执行法院判决，被强制执行", None),
    # a second round: slang, emoji, demanding questions, outages and fee rises in other words
    ("甲行估计又要降我额度了，上个月刚降过一次", "complaint"),  # the guess is hedged, the cut last month is not
    ("骗子用我在甲银行的卡转走了五万，甲银行连短信验证都没有，这安全吗", None),  # 安全 in a doubting question
    ("甲行这波操作真的绝了，秒批然后秒降，玩我呢", "complaint"),
    ("说实话甲行的客服是真的拉胯", "complaint"),
    ("甲行额度给的跟打发叫花子一样", "complaint"),
    ("甲银行为什么要冻结我的账户？", "complaint"),
    ("甲银行还安全吗？储户连夜排队取款", "complaint"),
    ("甲行的服务👎👎👎", "complaint"),
    ("甲银行 被fined 了 500万，因为AML不合规", "regulatory"),  # VADER's aml is "all my love"
    ("甲银行员工酒驾撞人逃逸", "fraud_crime"),
    ("甲银行全国范围内出现交易中断", "outage"),
    ("甲银行信用卡支付大面积失败，商户无法收款", "outage"),
    ("甲银行悄悄上调了信用卡取现手续费", "fee_rate"),
    ("甲银行开始收取ATM跨行取款费，储户不满", "fee_rate"),
    ("甲银行员工吐槽：一年被扣了三个月工资", "complaint"),
    ("甲银行拖欠员工加班费被仲裁", "complaint"),
    ("独家｜甲银行多地分行暂停房贷业务，购房者断供风险上升", "complaint"),  # 上升 is good news only for profits
    ("甲银行，你欠储户一个解释", "complaint"),
    ("甲银行被下调信用评级", "performance"),
    ("一位老人在女儿陪同下来到甲银行网点，想取出自己的养老钱，却被告知需要本人携带身份证件、户口本及医院证明。"
     "老人行动不便，往返三次仍未办成。女儿在网上发帖称，银行的规定太死板，让老人吃尽苦头。帖子引发大量网友共鸣。",
     "complaint"),
    # a long story that names the bank once, at its start
    ("甲银行近日被推上风口浪尖。多名客户在社交平台发帖称，自己的信用卡在未消费的情况下出现多笔境外交易。"
     "有用户称一夜之间被刷走两万元，打客服电话却一直占线。有律师表示，如果持卡人能证明卡片一直在自己手中，"
     "发卡机构应承担赔偿责任。截至发稿，涉事用户仍未收到退款，多人表示将联名投诉至监管部门。", "ops_loss"),
]


@pytest.mark.parametrize("text, code", ALL_CLEARED)
def test_bad_news_is_not_all_cleared(scorer, text, code):
    assert_bad_news(judge(scorer, text), code)


@pytest.mark.parametrize("bank, text", [
    ("招行", "#招行# 信用卡额度说降就降，客服也不给解释"),
    ("建行", "@建设银行 你们的App转账转到一半卡住了，钱扣了对方没收到"),
    ("工行", "工行员工伪造客户签名办理贷款"),
    ("交行", "交通银行信用卡催收人员冒充法院工作人员，向持卡人发送“传票”恐吓还款，涉嫌违法。"),
])
def test_real_bank_names(scorer, bank, text):
    j = scorer.score(ScoreInput("", text, bank_target(bank), ()))
    assert j.label == "negative", j.reasons


@pytest.mark.parametrize("text", [
    "骗子冒充甲银行客服，诱导老人转账，警方提醒谨防诈骗",  # the bank's name used by a fraudster
    "甲银行被不法分子冒充，发送虚假短信诱导点击链接",  # impersonated: the passive keeps it a bystander
    "不法分子伪造甲银行公章，骗取受害人信任",
    "#某平台暴雷# 还我血汗钱！@甲银行 @某日报",  # tagged in a platform's story, not addressed
    "@某平台 你们什么时候兑付？诈骗犯什么时候抓 @甲银行",  # the post speaks to the platform, its first handle
    "#甲银行与某平台# 超话里都在讨论平台什么时候兑付",  # a hashtag joining the bank to another party
    "公安机关依法冻结诈骗嫌疑人在甲银行开立的账户",
    "甲银行宣布免收小额账户管理费和跨行转账手续费",
    "甲银行辟谣：网传“甲银行破产”纯属谣言，本行经营正常",
    "甲银行柜员成功拦截一起电信诈骗，为老人挽回损失",
    "甲银行副行长王某因年龄原因辞职",
    "甲银行存款利率保持不变，大额存单额度充足",
    "我的房贷是甲行的，上浮85基点，比现在贵了不少",  # a loan rate quoted, not a rise (no pattern across the comma)
    "甲银行上调了大额存单利率，储户纷纷抢购",  # a rate rise on deposits pays the customer
    "骗子冒充甲银行工作人员打电话，让我提供验证码，还好我没上当",
])
def test_hard_non_negatives_stay_so(scorer, text):
    assert judge(scorer, text).label != "negative", judge(scorer, text).reasons


def test_a_price_rise_is_no_fee_dispute(scorer):
    # a company's price rise is its good news (FinFE's item-level texts): only a fee that rises is a grievance
    item = Target("item", ())
    assert scorer.score(ScoreInput("", "纸品又涨价了，这波行情还能持续", item, ())).label != "negative"
    assert scorer.score(ScoreInput("", "甲银行年费涨价了，还不提前通知", BANK, ())).label == "negative"
