"""Rules v6, categories round (issue 15): the right desk for a headline's or a post's bad news.  Every text here
was invented for this round (none is copied from a data set); each case failed before the fix it guards.

Families: pay held back is the bank's condition (performance), not a customer's grievance; money short at the
counter (取…元少) is a loss through the bank's handling; a debt grown out of all proportion (欠3万…变40万) is a
fee dispute; a refused waiver (别想减免) is a fee dispute too; a loan obtained from the bank by deceit (从某行骗贷)
is the bank defrauded (ops_loss), not its crime; a customer's death or paralysis at a branch is no personnel
news and no outage; "too little" (太少了) is a grievance and no money lost; points redeemed for the annual fee and
an annual-fee membership are no fee dispute; a bank's warning to a customer (警告) is no regulator's penalty."""

from __future__ import annotations

import pytest
from rules_cases import BANK as JIA
from rules_cases import codes, judge

from reportgen.score.evaluate import bank_target

CCB = bank_target("建设银行")
CMB = bank_target("招行")
ICBC = bank_target("工商银行")
SPDB = bank_target("浦发")

# (text, bank, the categories it must carry, categories it must not carry)
WRONG_BEFORE = [
    # pay held back: performance, and no complaint
    ("甲银行迟迟未发放年终奖，员工等到三月", JIA, "performance", "complaint"),
    ("网传招行分行迟迟不发绩效工资", CMB, "performance", "complaint"),
    ("曝甲行多家支行暂缓发放奖金", JIA, "performance", "complaint"),
    # money short when withdrawn or deposited
    ("甲银行回应客户取500元少20元", JIA, "ops_loss", ""),
    ("男子在浦发柜台存2000元少100元", SPDB, "ops_loss", ""),
    # a debt ballooned by interest and penalties
    ("甲银行回应信用卡欠2万未还变30万", JIA, "fee_rate", ""),
    ("我在建设银行信用卡欠了五万，七年后现在要还二十多万，这合理吗", CCB, "fee_rate", ""),
    # a refused waiver of fees or interest
    ("甲行别想减免，说死了不给", JIA, "fee_rate", ""),
    # the bank defrauded by outsiders: a loss through its controls, not its crime
    ("团伙用假流水从甲银行骗贷两千万", JIA, "ops_loss", "fraud_crime"),
    ("中介帮人向甲行骗取贷款300万被判刑", JIA, "ops_loss", ""),
    # a customer's death or paralysis at a branch: no personnel, no outage
    ("甲银行回应瘫痪老人被家属抬进网点办业务", JIA, "complaint", "outage"),
    ("瘫痪在床的老人被甲银行要求到场", JIA, "complaint", "outage"),
    ("家属称在甲银行去世老人生前曾多次求助", JIA, "", "personnel"),
    # too little is a grievance, no money lost
    ("甲行第一张卡只批了两千，太少了吧", JIA, "complaint", "ops_loss"),
    # points for the annual fee, an annual-fee membership: no fee dispute beside a complaint
    ("甲行积分越来越难攒了，要不是积分换年费我早就不刷了", JIA, "complaint", "fee_rate"),
    # a bank's warning to its customer is no regulator's penalty
    ("甲行昨天打电话说降额只是警告，我觉得太狠了", JIA, "", "regulatory"),
]


@pytest.mark.parametrize("text, bank, wanted, unwanted", WRONG_BEFORE)
def test_categories_a_labeller_gives(scorer, text, bank, wanted, unwanted):
    j = judge(scorer, text, bank)
    got = codes(j)
    for code in wanted.split():
        assert j.label == "negative", (text, j.reasons)
        assert code in got, (text, got, j.reasons)
    for code in unwanted.split():
        assert code not in got, (text, got, j.reasons)


# guards: what these families must leave alone
@pytest.mark.parametrize("text, bank, wanted", [
    ("甲银行员工伙同他人从本行骗贷五百万", JIA, "fraud_crime"),          # staff taking part: the bank's crime
    ("甲行年终奖同比增长两成", JIA, "performance"),                      # a rise is still results
    ("工商银行账户里的钱莫名其妙少了三千", ICBC, "ops_loss"),            # money gone stays a loss
    ("甲银行因违规发放贷款被罚款200万元并给予警告", JIA, "regulatory"),   # a regulator's warning and fine
    ("甲银行董事长在办公室去世", JIA, "personnel"),                      # the bank's own people
])
def test_families_leave_alone(scorer, text, bank, wanted):
    assert wanted in codes(judge(scorer, text, bank)), judge(scorer, text, bank).reasons


@pytest.mark.parametrize("text, bank", [
    ("甲银行年终奖会员活动上线，积分可兑换年费", JIA),
    ("我在甲行欠了两万，按时还款，下个月就还清了", JIA),
])
def test_no_risk_category_where_none_is_due(scorer, text, bank):
    j = judge(scorer, text, bank)
    assert not ({"fee_rate", "ops_loss", "complaint"} & codes(j)), (text, codes(j), j.reasons)


# Round 2: a sales quota (为了完成业绩) is no results news; pay halved is the bank's condition; an annual fee
# taken (年费扣了) is a fee dispute.
@pytest.mark.parametrize("text, bank, wanted, unwanted", [
    ("甲银行柜员为了完成业绩，忽悠我办了一张理财卡", JIA, "mis_selling", "performance"),
    ("甲行客户经理冲业绩，骗我把定期转成了保险", JIA, "mis_selling", "performance"),
    ("甲银行基层员工工资被砍半", JIA, "performance", "complaint"),
    ("网传甲银行柜员薪水被砍半", JIA, "performance", "complaint"),
    ("甲行信用卡年费扣了我580，一次没刷过", JIA, "fee_rate", ""),
])
def test_round_two_families(scorer, text, bank, wanted, unwanted):
    j = judge(scorer, text, bank)
    assert j.label == "negative", (text, j.reasons)
    got = codes(j)
    assert set(wanted.split()) <= got, (text, got, j.reasons)
    assert not set(unwanted.split()) & got, (text, got, j.reasons)


def test_a_ranking_listed_in_no_order_is_no_results_news(scorer):
    assert "performance" not in codes(judge(scorer, "代销机构名单：甲银行、乙银行（以上排名不分先后）"))
