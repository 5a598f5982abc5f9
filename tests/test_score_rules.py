"""The rules scorer: negation, degree, clause targeting, title weight, bystanders, categories.

Every sentence here was written for these tests, in the style of Chinese bank news.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reportgen.score import LABELS, ScoreInput, Target
from reportgen.score.categories import DEFAULT_CATEGORIES, Category
from reportgen.score.rules import RulesScorer

ICBC = Target("icbc", ("中国工商银行", "工商银行", "工行", "ICBC"))
CCB = Target("ccb", ("中国建设银行", "建设银行", "建行"))
HF = Target("hfb", ("恒丰银行",))
PLATFORM = Target("p2p", ("鑫融宝",))


@pytest.fixture(scope="module")
def scorer() -> RulesScorer:
    return RulesScorer()


def judge(scorer, text, target=ICBC, others=(), title=""):
    return scorer.score(ScoreInput(title, text, target, tuple(others)))


# --- negation and degree ---------------------------------------------------------------------


@pytest.mark.parametrize("negated, plain", [
    ("工商银行否认存在违规放贷行为", "工商银行存在违规放贷行为"),
    ("工商银行未发生客户信息泄露事件", "工商银行发生客户信息泄露事件"),
    ("工商银行表示该网点并未违规收费", "工商银行表示该网点违规收费"),
    ("工商银行辟谣：网传挤兑消息不实", "工商银行遭遇挤兑"),
])
def test_negation_takes_the_bad_news_back(scorer, negated, plain):
    n, p = judge(scorer, negated), judge(scorer, plain)
    assert p.label == "negative"
    assert n.label != "negative"
    assert n.score > p.score
    assert any("negated by" in r.note for r in n.reasons)


def test_negation_does_not_reach_across_clauses(scorer):
    j = judge(scorer, "工商银行没有回应，网点被罚款50万元")
    assert j.label == "negative"


def test_a_one_character_negator_only_touches_the_next_word(scorer):
    # 无故 is not 无 + 故: the account was frozen for no reason, which is bad news
    j = judge(scorer, "工资卡被无故冻结3天，工商银行客服只说按规定办理")
    assert j.label == "negative"


def test_degree_words_strengthen(scorer):
    strong, plain = judge(scorer, "工商银行严重违规"), judge(scorer, "工商银行违规")
    assert strong.score < plain.score < 0
    assert any("严重" in r.note for r in strong.reasons)


def test_a_negated_bad_word_is_reassurance_not_good_news(scorer):
    j = judge(scorer, "工商银行表示客户资金未受损失")
    assert j.label == "neutral"


# --- targeting, title, bystanders ------------------------------------------------------------


def test_profit_growth_headline_is_not_negative(scorer):
    j = judge(scorer, "", title="工商银行前三季度净利润同比增长3.2%，不良率下降")
    assert j.label == "positive"
    assert "performance" in j.category_codes


def test_clauses_naming_the_bank_decide(scorer):
    text = "建设银行净利润同比增长8%；另一家城商行因违规发放贷款被罚款200万元"
    city = Target("city", ("城商行",))
    assert judge(scorer, text, CCB, [city]).label != "negative"
    assert judge(scorer, text, city, [CCB]).label == "negative"


def test_title_counts_more_than_body(scorer):
    bad_title = judge(scorer, "工商银行发布了三季度经营数据。", title="工商银行被罚款")
    bad_body = judge(scorer, "工商银行被罚款。", title="工商银行发布三季度经营数据")
    assert bad_title.score < bad_body.score < 0
    assert bad_title.reasons[0].where == "title"


def test_custodian_bank_of_a_failed_platform_is_a_bystander(scorer):
    text = "鑫融宝平台爆雷跑路，数千投资人维权无门，其存管银行为恒丰银行"
    bank = judge(scorer, text, HF, [PLATFORM])
    platform = judge(scorer, text, PLATFORM, [HF])
    assert platform.label == "negative"
    assert bank.label != "negative"
    assert any(r.note.endswith("bystander role") for r in bank.reasons)
    assert not bank.categories  # no fraud category pinned on the custodian


@pytest.mark.parametrize("text", [
    "不法分子冒充工商银行客服实施电信诈骗，警方提醒市民提高警惕",
    "犯罪团伙伪造材料骗取工商银行贷款3000万元，主犯被判刑",
    "柜员多问一句，工行网点拦下9.9万元诈骗转账",
])
def test_bank_as_victim_or_impersonated_is_not_the_subject(scorer, text):
    assert judge(scorer, text).label != "negative"


def test_anaphora_counts_only_when_one_bank_is_named(scorer):
    text = "工商银行某支行发布公告。此前该行因违规被罚款。"
    assert judge(scorer, text).label == "negative"
    # with two banks named, 该行 is not resolved to either: the penalty sits outside both names' clauses
    two = judge(scorer, "工商银行与建设银行发布公告。此前该行因违规被罚款。", ICBC, [CCB])
    one = judge(scorer, text)
    assert one.score < two.score


def test_terms_inside_an_entity_name_do_not_count(scorer):
    j = judge(scorer, "诈骗宝科技今日发布新版理财App", Target("x", ("诈骗宝科技",)))
    assert j.label != "negative"


def test_traditional_chinese_and_english(scorer):
    assert judge(scorer, "中國工商銀行遭監管罰款").label == "negative"
    boc = Target("boc", ("Bank of China",))
    assert judge(scorer, "", boc, title="Bank of China fined for anti-money laundering failures").label == "negative"
    assert judge(scorer, "", ICBC, title="ICBC profit rose 5% in the third quarter").label == "positive"
    assert judge(scorer, "", ICBC, title="ICBC denies it was fined").score > judge(
        scorer, "", ICBC, title="ICBC was fined").score


# --- risk categories -------------------------------------------------------------------------


@pytest.mark.parametrize("code, text", [
    ("complaint", "多名储户投诉工商银行网点排长队、态度差，在黑猫投诉平台维权"),
    ("mis_selling", "老人到工商银行存钱却买成了十年期保险，称客户经理夸大收益、误导销售"),
    ("data_leak", "工商银行员工倒卖客户个人信息被查"),
    ("fee_rate", "工商银行信用卡被指乱收费，年费和违约金争议不断"),
    ("ops_loss", "储户称工商银行卡内资金不翼而飞，5万元被盗刷"),
    ("regulatory", "工商银行某分行因贷款管理不审慎被处以罚款，收到监管罚单"),
    ("fraud_crime", "工商银行原支行长涉嫌非法吸收公众存款被刑事拘留"),
    ("outage", "工商银行手机银行今晨宕机，大量用户无法登录"),
    ("personnel", "工商银行某分行行长被带走接受纪律审查"),
    ("performance", "工商银行前三季度净利润同比增长，不良率保持稳定"),
])
def test_each_category_fires_with_its_reason(scorer, code, text):
    j = judge(scorer, text)
    hit = next((c for c in j.categories if c.code == code), None)
    assert hit is not None, (code, j.category_codes, j.reasons)
    # a term, or a cue…object pair (存钱…保险) whose parts are both in the text
    assert hit.terms and all(part in text for t in hit.terms for part in t.split("…"))
    assert hit.clause and hit.clause in text
    if code != "performance":
        assert j.label == "negative"


def test_context_only_terms_do_not_tag_a_neutral_item(scorer):
    j = judge(scorer, "工商银行董事长出席论坛并介绍监管政策解读")
    assert "personnel" not in j.category_codes
    assert "regulatory" not in j.category_codes


def test_categories_can_be_extended_replaced_and_added():
    custom = [c for c in DEFAULT_CATEGORIES if c.code != "personnel"]
    custom.append(Category("esg", "环境与社会责任", "ESG", ("漂绿", "高污染贷款"), -2.0))
    scorer = RulesScorer(custom)
    j = judge(scorer, "工商银行被指向高污染贷款项目放款，遭环保组织批评漂绿")
    assert "esg" in j.category_codes
    assert j.label == "negative"
    assert "personnel" not in judge(scorer, "工商银行某分行行长被带走接受纪律审查").category_codes
    assert scorer.version != RulesScorer().version  # stored scores will be recomputed


def test_extra_lexicon_terms_change_answer_and_version():
    plain = RulesScorer()
    extended = RulesScorer(extra_terms={"飞单": -3.0})
    text = "工商银行一支行出现飞单"  # 飞单 on its own (after 理财经理 a staff pattern weighs it)
    assert judge(extended, text).score < judge(plain, text).score
    assert extended.version != plain.version


def test_score_many_matches_score_one_by_one(scorer):
    inputs = [ScoreInput("", "鑫融宝平台爆雷跑路，其存管银行为恒丰银行", HF, (PLATFORM,)),
              ScoreInput("", "鑫融宝平台爆雷跑路，其存管银行为恒丰银行", PLATFORM, (HF,)),
              ScoreInput("工商银行被罚", "", ICBC)]
    assert scorer.score_many(inputs) == [scorer.score(i) for i in inputs]


def test_reasons_explain_the_score(scorer):
    j = judge(scorer, "工商银行因违规发放贷款被罚款", title="工商银行吃罚单")
    assert j.scorer == "rules" and j.version.startswith("rules-")
    terms = [r.term for r in j.reasons]
    assert "罚款" in terms or "吃罚单" in terms
    assert all(r.clause for r in j.reasons)
    assert sorted((abs(r.weight) for r in j.reasons), reverse=True) == [abs(r.weight) for r in j.reasons]


# --- properties ------------------------------------------------------------------------------


@settings(deadline=None)  # the first example builds the scorer
@given(title=st.text(max_size=80), text=st.text(max_size=400),
       names=st.lists(st.text(min_size=1, max_size=6), max_size=3))
def test_never_raises_and_stays_in_range(title, text, names):
    scorer = _shared()
    j = scorer.score(ScoreInput(title, text, Target("t", tuple(names)), (Target("o", ("银行",)),)))
    assert -1.0 <= j.score <= 1.0
    assert j.label in LABELS
    assert (j.label == "negative") == (j.score <= -0.4)


@settings(deadline=None)
@given(st.text(alphabet="工商银行违规罚款不未否认严重存管，。！被骗冒充增长 abc", max_size=120))
def test_lexicon_heavy_text(text):
    j = _shared().score(ScoreInput("", text, ICBC, (CCB,)))
    assert -1.0 <= j.score <= 1.0
    for r in j.reasons:
        assert r.where in ("title", "body")


_SCORER: list[RulesScorer] = []


def _shared() -> RulesScorer:
    if not _SCORER:
        _SCORER.append(RulesScorer())
    return _SCORER[0]


# --- short texts: posts, hot-search titles, forum complaints (issue 15) ------------------------
#
# Every text below was written for these tests; none comes from a data set.

CMB = Target("cmb", ("招商银行", "招行"))
CITIC = Target("citic", ("中信银行", "中信"))


def codes(j) -> set[str]:
    return set(j.category_codes)


@pytest.mark.parametrize("text, code", [
    ("我存在工行的五万块钱，昨天一查竟然被人转走了", "ops_loss"),
    ("工行信用卡昨晚在外地被盗刷三千", "ops_loss"),
    ("工行账户里的钱莫名其妙少了两千", "ops_loss"),
])
def test_a_cue_and_its_object_a_few_characters_apart(scorer, text, code):
    j = judge(scorer, text)
    assert j.label == "negative"
    assert code in codes(j)
    assert any("…" in r.term for r in j.reasons)  # the pair is the reason: 存款…被转走


def test_a_list_of_products_is_no_deposit_sold_as_insurance(scorer):
    j = judge(scorer, "工行新网点开业，存款、理财、保险业务一站式办理")
    assert j.label != "negative" and "mis_selling" not in codes(j)


@pytest.mark.parametrize("text, negative", [
    ("建行回应客户理财亏损", True),
    ("网曝建行某网点要求瘫痪老人本人到场", True),
    ("建行回应倒闭传闻：纯属谣言", False),
    ("建行回应", False),
])
def test_response_frames_take_what_follows(scorer, text, negative):
    j = judge(scorer, text, CCB)
    assert (j.label == "negative") is negative, j.reasons
    if negative:
        assert codes(j)


@pytest.mark.parametrize("text", [
    "被招行坑惨了，再也不用了",
    "招行分期的套路太深",
    "这霸王条款谁定的，招行真行",
    "招行的催收电话一天打十几个",
    "打了三次客服都投诉无门，招行就这样",
    "柜台就是不给办，招行你们行",
    "卡突然被冻结也不说原因，招行搞什么",
    "一声不吭给我降额，招行太过分",
])
def test_informal_complaints_are_complaints(scorer, text):
    j = judge(scorer, text, CMB)
    assert j.label == "negative", j.reasons
    assert "complaint" in codes(j)


def test_unfair_fees_are_a_fee_dispute_and_a_complaint(scorer):
    j = judge(scorer, "招行乱收费，我的年费偷偷扣了三百", CMB)
    assert j.label == "negative"
    assert {"fee_rate", "complaint"} <= codes(j)


@pytest.mark.parametrize("text", [
    "逾期三个月后招行把卡冻结了，也正常",
    "卡被外地公安冻结了，招行柜台说他们也没办法解",
])
def test_a_creditors_or_the_polices_freeze_is_not_the_banks_bad_news(scorer, text):
    assert judge(scorer, text, CMB).label != "negative"


@pytest.mark.parametrize("text", [
    "老人去邮储存定期，回家才发现买成了十年期分红险",
    "邮储理财经理私下卖飞单，到期兑付不了",
])
def test_deposits_sold_as_insurance_and_off_book_products_are_mis_selling(scorer, text):
    psbc = Target("psbc", ("邮储银行", "邮储"))
    j = judge(scorer, text, psbc)
    assert j.label == "negative"
    assert "mis_selling" in codes(j)


@pytest.mark.parametrize("text, negative", [
    ("招行提前还贷要收三个月利息", True),
    ("招行上调首套房贷利率", True),
    ("招行信用卡刷满六笔免年费", False),
    ("境外交易手续费全免，招行这次够意思", False),
])
def test_fee_disputes_against_fee_waivers(scorer, text, negative):
    j = judge(scorer, text, CMB)
    assert (j.label == "negative") is negative, j.reasons
    assert ("fee_rate" in codes(j)) is negative


def test_an_executive_investigated_is_personnel_and_crime_not_regulatory(scorer):
    j = judge(scorer, "中信银行原副行长受贿落马", CITIC)
    assert j.label == "negative"
    assert {"personnel", "fraud_crime"} <= codes(j)
    assert "regulatory" not in codes(j)


def test_a_regulators_fine_on_the_bank_is_regulatory_not_personnel(scorer):
    j = judge(scorer, "中信银行因贷款管理不审慎被罚款80万元", CITIC)
    assert j.label == "negative"
    assert "regulatory" in codes(j) and "personnel" not in codes(j)


def test_a_routine_appointment_is_personnel_but_not_negative(scorer):
    j = judge(scorer, "中信银行聘任新行长", CITIC)
    assert j.label != "negative"
    assert codes(j) == {"personnel"}


@pytest.mark.parametrize("text, target, others, negative", [
    ("某P2P平台爆雷，存管银行为恒丰银行", HF, [PLATFORM], False),
    ("鑫融宝跑路，存管方恒丰银行难辞其咎，钱去哪了？", HF, [PLATFORM], True),
    ("恒丰银行分行行长失联", HF, [], True),
])
def test_collapse_words_belong_to_whoever_collapsed(scorer, text, target, others, negative):
    assert (judge(scorer, text, target, others).label == "negative") is negative


@pytest.mark.parametrize("text, others", [
    ("#某平台诈骗# 还我血汗钱！@中信银行 @某日报", []),
    ("#中信银行与鑫融宝# 超话里都在讨论平台什么时候兑付，诈骗犯什么时候抓", [PLATFORM]),
    ("本基金托管人为中信银行，代销机构包括招商银行。基金经理涉嫌违规被调查", [CMB]),
])
def test_a_bank_in_a_hashtag_an_at_mention_or_a_list_is_a_bystander(scorer, text, others):
    j = judge(scorer, text, CITIC, others)
    assert j.label != "negative", j.reasons
    assert not (codes(j) - {"performance", "personnel"})


def test_a_hashtag_that_accuses_the_bank_is_no_bystander(scorer):
    assert judge(scorer, "#中信银行合伙诈骗# 我们的钱到底去哪了", CITIC).label == "negative"


@pytest.mark.parametrize("text", [
    "工行开展反诈进社区宣传，提醒居民警惕冒充公检法诈骗",
    "工行柜员识破骗局，帮老人保住养老钱",
    "工行协助警方破获一个信用卡诈骗团伙",
])
def test_anti_fraud_campaigns_are_not_fraud_against_the_bank(scorer, text):
    j = judge(scorer, text)
    assert j.label != "negative", j.reasons
    assert "fraud_crime" not in codes(j)


@pytest.mark.parametrize("text, negative", [
    ("招行上半年净利增长12%", False),
    ("招行上半年净利下滑", True),
    ("招行利润腰斩", True),
    ("招行年度首次亏损", True),
])
def test_results_are_performance_and_negative_only_when_they_fall(scorer, text, negative):
    j = judge(scorer, text, CMB)
    assert (j.label == "negative") is negative, j.reasons
    assert "performance" in codes(j)


def test_categories_attach_only_to_bad_news(scorer):
    for text in ("招行信用卡年费标准说明：金卡300元", "招行客服热线升级，投诉处理更快了"):
        j = judge(scorer, text, CMB)
        assert j.label != "negative" and not codes(j), (text, j.categories)


def test_a_clause_naming_another_bank_is_that_banks(scorer):
    text = "中信又给我降额了，招商倒是提额了"
    assert judge(scorer, text, CITIC, [CMB]).label == "negative"
    assert judge(scorer, text, CMB, [CITIC]).label != "negative"


def test_version_changes_with_the_lexicon():
    assert RulesScorer().version == RulesScorer().version
    assert RulesScorer(extra_terms={"被坑惨": -3.0}).version != RulesScorer().version


# --- word families, not the wording of a few posts (rules v5) ---------------------------------


@pytest.mark.parametrize("text, code", [
    ("时间长了，工行效率很低", "complaint"),  # 很低 is 低 after 效率
    ("首卡只给3k，工行真是抠", "complaint"),  # a Latin pattern word pairs
    ("工行手机银行又闪退了，转账转到一半", "outage"),  # the app failing is an outage, not slowness
    ("工行网银一直报错，登陆不上", "outage"),
    ("工行柜员挪用储户存款后潜逃", "fraud_crime"),
    ("工商银行因理财产品销售不规范被罚款", "mis_selling"),  # a fine over a product is also mis-selling
    ("工商银行原副行长主动投案接受调查", "personnel"),
    ("工行App上分期的费率太高了", "fee_rate"),
])
def test_families_of_words_reach_their_categories(scorer, text, code):
    j = judge(scorer, text)
    assert j.label == "negative", j.reasons
    assert code in codes(j), (codes(j), j.reasons)


@pytest.mark.parametrize("text", [
    "工商银行遭储户集体投诉：取款要开各种证明",
    "网友曝工商银行某支行拒为老人办理业务",
    "工商银行被曝暂停个人业务办理",
])
def test_exposure_frames_make_the_rest_the_banks(scorer, text):
    assert judge(scorer, text).label == "negative"


def test_a_fee_noun_beside_a_complaint_is_also_a_fee_dispute(scorer):
    j = judge(scorer, "工行这年费收得太坑了，一声不吭")
    assert {"complaint", "fee_rate"} <= codes(j), j.categories


def test_a_post_about_one_bank_takes_its_categories_from_any_sentence(scorer):
    # longer than a hot-search title (100 characters), shorter than a news story
    text = ("工商银行的客服真是太差劲了，我已经忍了很久。上周末打了三次电话，每次都要排队二十多分钟才接通，"
            "接通以后对方只会说记录下来，会有专人联系，结果到今天也没人联系我。后来翻账单才知道，"
            "上个月被偷偷扣了一笔手续费，问了才说是系统自动扣的。大家办卡之前一定要看清楚条款。")
    assert 100 < len(text) < 200
    j = judge(scorer, text)
    assert j.label == "negative"
    assert "fee_rate" in codes(j), j.categories


@pytest.mark.parametrize("text", [
    "如果逾期时间较长，银行会把你列入黑名单，以后再也申请不了工行的卡",
    "工行存款利率最高达3%，不少储户前去办理",  # a high deposit rate is no fee dispute
    "贷后管理不要紧，只能说明工行风控严格",
])
def test_routine_steps_and_good_rates_are_not_grievances(scorer, text):
    assert judge(scorer, text).label != "negative"


def test_two_letter_chat_abbreviations_carry_no_sentiment(scorer):
    # wd is VADER slang for "well done"; in a Chinese card post it is someone's initials
    j = judge(scorer, "我的工行卡也是，WD封了两次，卡也注销不了")
    assert j.label == "negative"
    assert not any(r.term == "wd" for r in j.reasons)


def test_the_rules_version_is_the_same_in_every_process():
    # the version decides which stored judgements are stale: one that changed with the hash seed
    # (a set's order once picked 被停职's inner term) would rescore the whole store on every other run
    import os
    import subprocess
    import sys

    code = "from reportgen.score.rules import RulesScorer; print(RulesScorer().version)"
    versions = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                               env={**os.environ, "PYTHONHASHSEED": seed}).stdout.strip()
                for seed in ("1", "2", "3")}
    assert len(versions) == 1, versions


def test_a_new_phrase_takes_the_longer_then_later_of_two_equally_strong_inner_terms():
    from reportgen.score.terms import SENT, Entry, inner_term

    table = {"被停": Entry("被停", SENT, -2.0, ("complaint",)), "停职": Entry("停职", SENT, -2.0, ("personnel",)),
             "停": Entry("停", SENT, -3.0, ("other",))}  # one character: never an inner term
    assert inner_term(table, "被停职") == Entry("被停职", SENT, -2.0, ("personnel",))
    table["被停职务"] = Entry("被停职务", SENT, -1.0)
    assert inner_term(table, "被停职务处分").categories == ("personnel",)  # stronger wins over longer
    assert inner_term(table, "无关") is None
