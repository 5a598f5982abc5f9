"""The story text of the offline demo: ~90 templates, the scheduled big stories and the traps.

Pure data, apart from the ``_t`` shorthand that builds a :class:`StoryTemplate`.  It lives apart
from the generator (:mod:`reportgen.demo_data`) so the logic fits on a few screens and the text
can be edited without reading it.  ``{slot}`` placeholders are filled by
:func:`reportgen.demo_slots.fill_story`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportgen.demo.cast import GROUPS, SPIKE_BANK

NEG, NEU, POS = "negative", "neutral", "positive"


# --- story templates ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StoryTemplate:
    """One kind of story.  ``titles[0]`` is the original headline; the rest are rewordings."""

    key: str
    categories: tuple[str, ...]  # incident taxonomy codes (config/taxonomy.py)
    sentiment: str
    banks: str  # any | big | jsb | none | bystander | two | <bank id>
    origins: tuple[str, ...]  # source ids where the story can first appear
    reach: tuple[int, int]  # how many reprints as an ordinary story
    weight: float
    titles: tuple[str, ...]
    summaries: tuple[str, ...]
    trap: str | None = None  # why a naive matcher or tagger gets this one wrong


def _t(key: str, cats: str, sentiment: str, banks: str, origins: str, reach: tuple[int, int],
       weight: float, titles: Sequence[str], summaries: Sequence[str], trap: str | None = None
       ) -> StoryTemplate:
    expanded: list[str] = []
    for token in origins.split():
        expanded.extend(GROUPS.get(token, (token,)))
    return StoryTemplate(key, tuple(cats.split()), sentiment, banks, tuple(dict.fromkeys(expanded)), reach,
                         weight, tuple(titles), tuple(summaries), trap)


_P = "<p>{}</p>".format

STORY_TEMPLATES: tuple[StoryTemplate, ...] = (
    # 服务投诉 complaint
    _t("complaint_queue", "complaint", NEG, "any", "weibo-bank tousu-bank wechat-yhgc", (0, 2), 1.2,
       ("{bank}{branch}排队近两小时仅开一个窗口 储户吐槽服务效率低",
        "取号等了两小时！{bank_abbr}一网点只开一个窗口引吐槽"),
       (_P("有网友发帖称，{date}上午在{bank}{branch}办理业务，取号后等待近两个小时，现场仅开放一个窗口，"
           "大堂经理称“人手不够”。"),)),
    _t("complaint_elderly", "complaint", NEG, "any", "weibo-bank MEDIA", (1, 4), 0.7,
       ("八旬老人被要求本人到场取养老金 {bank}{branch}回应：已上门服务",
        "卧床老人仍被要求到网点“刷脸” {bank_abbr}致歉"),
       (_P("{city}市民反映，其八旬母亲卧床不起，到{bank}{branch}代取养老金时被要求老人本人到场。"
           "{date}，该行回应称已安排工作人员上门办理，并向家属致歉。"),)),
    _t("complaint_collection", "complaint", NEG, "any", "tousu-bank", (0, 0), 1.6,
       ("投诉{bank}信用卡中心：暴力催收，频繁骚扰家人和同事",
        "{bank}信用卡逾期后遭第三方催收骚扰通讯录好友"),
       (_P("【投诉对象】{bank}信用卡中心<br/>【投诉问题】暴力催收、骚扰第三方<br/>"
           "【投诉要求】停止骚扰，协商个性化分期<br/>【涉诉金额】{loss}"),)),
    _t("complaint_close_account", "complaint", NEG, "any", "tousu-bank weibo-bank", (0, 0), 1.0,
       ("{bank}{branch}拒绝为我注销银行卡，要求提供各种证明",),
       (_P("【投诉对象】{bank}<br/>【投诉问题】拒绝办理业务、服务态度差<br/>【投诉要求】尽快办理销户并道歉")
        + _P("本人{date}到{branch}注销一张不用的借记卡，柜员要求提供单位证明和用途说明，多次沟通未果。"),)),
    _t("complaint_card_frozen", "complaint", NEG, "any", "tousu-bank weibo-bank", (0, 0), 1.0,
       ("工资卡被无故冻结{n}天 {bank}客服只说“按规定办理”",),
       (_P("网友称其{bank}借记卡{date}突然被限制非柜面交易，工资无法转出，客服仅答复“按规定办理”，"
           "至今未给出解冻时间。"),)),
    _t("complaint_attitude", "complaint", NEG, "any", "weibo-bank", (0, 0), 0.9,
       ("在{bank_abbr}{branch}办业务被柜员甩脸色，投诉到现在没人回复",),
       (_P("今天去{bank}{branch}改个预留手机号，柜员全程不耐烦，问两句就说“自己看屏幕”。"
           "已经打客服电话投诉，三天了没人回电。"),)),
    _t("complaint_loan_push", "complaint", NEG, "any", "tousu-bank", (0, 0), 0.9,
       ("{bank}客户经理天天打电话推销信用贷，拒绝了还换号码继续打",),
       (_P("【投诉对象】{bank}<br/>【投诉问题】营销骚扰<br/>【投诉要求】停止营销电话")
        + _P("近一个月每天接到自称{bank}{branch}客户经理的电话，明确拒绝后仍换号码继续推销。"),)),
    _t("complaint_ranking", "complaint fee_rate", NEG, "any", "MEDIA", (0, 3), 0.6,
       ("投诉平台数据：{bank}信用卡投诉量居前 集中在分期手续费与催收",),
       (_P("多家投诉平台数据显示，近一个月涉及{bank}信用卡的投诉超过{complaints}条，"
           "主要集中在分期手续费不透明、催收方式不当等问题。"),)),
    # 误导销售 mis_selling
    _t("mis_sell_wealth", "mis_selling", NEG, "any", "MEDIA weibo-bank", (1, 4), 1.0,
       ("“稳健型”理财一年亏损{loss_pct}% {city}储户称遭{bank}{branch}误导销售",
        "买的“保本理财”亏了{loss_pct}%？{bank_abbr}客户经理被指夸大收益"),
       (_P("{city}一位退休教师反映，{bank}{branch}理财经理推荐其购买“{product}”时称“收益稳定、不会亏本”，"
           "持有一年后亏损{loss_pct}%。"),
        _P("投资者称购买时未做风险测评。{bank}{city}分行回应称已成立专项小组核查销售过程。"))),
    _t("mis_sell_insurance", "mis_selling", NEG, "any", "MEDIA weibo-bank wechat-yhgc", (1, 3), 0.9,
       ("存款变保单：{city}老人到{bank}存钱却买成了十年期保险",
        "“存单”原来是保单 {bank}{branch}代销保险引纠纷"),
       (_P("{city}七旬老人王女士称，去年在{bank}{branch}办理“存款”，近日取钱时才发现是一份十年期分红型保险，"
           "提前退保将损失{loss}。"),)),
    _t("mis_sell_private_fund", "mis_selling", NEG, "jsb", "MEDIA", (2, 5), 0.6,
       ("{bank}代销私募产品“{product}”兑付延期 投资者集体维权",
        "{bank}代销产品“{product}”逾期未兑付 涉及金额约{big_loss}"),
       (_P("多名投资者反映，经{bank}{city}分行代销的私募产品“{product}”到期后未能如期兑付，涉及金额约{big_loss}。"
           "{bank}表示仅为代销机构，正督促管理人制定兑付方案。"),)),
    _t("mis_sell_court", "mis_selling", NEG, "any", "MEDIA hxcj-daily", (0, 3), 0.6,
       ("未尽适当性义务 {bank}被判赔偿投资者{loss}", "法院判了：银行卖理财未充分揭示风险须担责"),
       (_P("{city}市中级人民法院近日审结一起理财纠纷案，认定{bank}{branch}在销售过程中未充分揭示风险，"
           "判决其赔偿投资者损失{loss}。"),)),
    _t("mis_sell_ad", "mis_selling", NEG, "any", "MEDIA weibo-bank", (0, 2), 0.5,
       ("宣传“年化收益{pct_high}%” {bank}{branch}理财海报被指夸大收益",),
       (_P("有网友拍到{bank}{branch}门口的理财产品海报写着“年化收益{pct_high}%”，却未标注风险等级和业绩比较基准的含义。"),)),
    # 客户信息泄露 data_leak
    _t("leak_employee_sell", "data_leak fraud_crime", NEG, "any", "MEDIA hxcj-daily", (2, 5), 0.7,
       ("{bank}{branch}员工倒卖客户信息{records}条 被判有期徒刑", "银行“内鬼”出售客户信息获利{profit_k}万元"),
       (_P("{city}警方通报，{bank}{branch}员工{person}利用职务便利查询并出售客户个人信息{records}条，"
           "非法获利{profit_k}万元，已被法院以侵犯公民个人信息罪判处有期徒刑。"),)),
    _t("leak_precise_fraud", "data_leak", NEG, "any", "weibo-bank MEDIA", (0, 3), 0.8,
       ("刚办完贷款就接到“精准”诈骗电话 {city}客户质疑{bank}泄露个人信息",),
       (_P("{city}市民称，在{bank}{branch}办理房贷后第二天就接到冒充“客户经理”的电话，对方准确说出其贷款金额和身份证号。"
           "{bank}客服表示将核查。"),)),
    _t("leak_credit_query", "data_leak regulatory", NEG, "any", "MEDIA", (1, 3), 0.5,
       ("违规查询个人征信 {bank}{city}分行被罚{amount}万元",),
       (_P("监管部门公示，{bank}{city}分行存在未经授权查询个人信用信息等问题，被处以罚款{amount}万元。"),)),
    # 利率/收费 fee_rate
    _t("fee_annual", "fee_rate", NEG, "any", "weibo-bank tousu-bank", (0, 1), 1.0,
       ("没激活的信用卡也扣{fee}元年费？{bank}信用卡年费引争议",),
       (_P("网友称自己从未激活{bank}信用卡，却被收取年费{fee}元并影响征信，客服称“需满足刷卡次数才能免年费”。"),)),
    _t("fee_prepay", "fee_rate", NEG, "any", "MEDIA weibo-bank", (1, 4), 0.8,
       ("提前还房贷要收违约金？{bank}{city}分行：按合同约定执行", "提前还贷收1%违约金 {bank_abbr}回应"),
       (_P("多位借款人反映，在{bank}{city}分行申请提前还款时被告知需支付剩余本金1%的违约金。"
           "该行表示依据借款合同执行，部分产品可免收。"),)),
    _t("fee_small_account", "fee_rate complaint", NEG, "any", "tousu-bank", (0, 0), 0.8,
       ("{bank}账户被扣小额账户管理费，事先未收到任何通知",),
       (_P("【投诉对象】{bank}<br/>【投诉问题】乱收费<br/>【投诉要求】退还管理费")
        + _P("我的{bank}借记卡余额不足三百元，每季度被扣小额账户管理费，开户时从未被告知。"),)),
    _t("rate_cut_deposit", "fee_rate", NEU, "two", "MEDIA", (2, 5), 0.7,
       ("{bank}、{bank2}下调定期存款利率 三年期降至{rate}%",
        "又降了！{bank_abbr}、{bank2_abbr}调整存款挂牌利率"),
       (_P("{date}起，{bank}、{bank2}等银行下调人民币定期存款挂牌利率，三年期降至{rate}%，五年期同步下调。"),)),
    _t("fee_cut", "", POS, "any", "MEDIA wechat-yhgc hxcj-daily", (0, 2), 0.5,
       ("{bank}宣布减免{n}项服务收费 涉及转账汇款、账户管理",),
       (_P("{bank}发布公告，自下月起减免小额账户管理费、跨行转账手续费等{n}项服务收费，预计每年让利客户{amount_yi}亿元。"),)),
    # 操作失误/资金损失 ops_loss
    _t("ops_card_theft", "ops_loss", NEG, "any", "weibo-bank tousu-bank MEDIA", (0, 3), 1.0,
       ("卡在身上钱却没了：{bank}储户{loss}存款被盗刷", "人在{city}卡在手 {bank}储户深夜被异地盗刷{loss}"),
       (_P("{city}储户称{date}凌晨收到多条扣款短信，其{bank}借记卡在异地被盗刷{loss}，卡片始终在本人身上。"
           "{bank}已协助报警。"),)),
    _t("ops_missing_funds", "ops_loss", NEG, "any", "MEDIA", (1, 4), 0.6,
       ("储户{loss}定期存款“不翼而飞” {bank}{branch}称正在核查",),
       (_P("{city}储户李先生到{bank}{branch}支取三年期定期存款时，被告知账户余额为零，{loss}存款已被转走。"
           "银行称已报警并配合调查。"),)),
    _t("ops_teller_error", "ops_loss", NEG, "any", "weibo-bank MEDIA", (0, 2), 0.5,
       ("柜员操作失误多转{loss} {bank}{branch}上门追讨", "银行转错账后找上门 {bank_abbr}柜员失误引热议"),
       (_P("因柜员录入金额失误，{bank}{branch}多向一名客户转账{loss}。银行工作人员上门追讨，双方协商后款项已退回。"),)),
    _t("ops_wrong_entry", "ops_loss complaint", NEG, "any", "tousu-bank", (0, 0), 0.6,
       ("{bank}按时还款却显示逾期，错账导致征信受影响",),
       (_P("【投诉对象】{bank}<br/>【投诉问题】错账、影响征信<br/>【投诉要求】更正征信记录并道歉"),)),
    # 违规/监管处罚 regulatory
    _t("nfra_penalty", "regulatory", NEG, "any", "nfra-penalties", (0, 0), 3.0,
       ("国家金融监督管理总局{city}监管局行政处罚信息公开表（{doc}）",),
       (_P("当事人名称：{bank_full}{branch}；主要违法违规行为：{violation}；"
           "行政处罚依据：《中华人民共和国银行业监督管理法》第四十六条；行政处罚决定：罚款{amount}万元，"
           "对相关责任人{person}给予警告；作出处罚决定的机关名称：{city}金融监管局。"),)),
    _t("nfra_penalty_insurer", "regulatory", NEG, "none", "nfra-penalties", (0, 0), 1.2,
       ("国家金融监督管理总局{city}监管局行政处罚信息公开表（{doc}）",),
       (_P("当事人名称：某财产保险股份有限公司{city}中心支公司；主要违法违规行为：编制虚假资料、给予投保人合同约定以外的利益；"
           "行政处罚决定：罚款{amount}万元；作出处罚决定的机关名称：{city}金融监管局。"),)),
    _t("penalty_news", "regulatory", NEG, "any", "MEDIA", (1, 4), 1.2,
       ("{bank}{city}分行因{violation}被罚{amount}万元", "又吃罚单！{bank_abbr}一分行被罚{amount}万元"),
       (_P("国家金融监督管理总局{city}监管局公布的行政处罚信息显示，{bank}{city}分行因{violation}，被罚款{amount}万元。"),)),
    _t("pboc_penalty", "regulatory", NEG, "any", "pboc-news", (0, 1), 1.0,
       ("中国人民银行{city}市分行行政处罚信息公示表（{pdoc}）",),
       (_P("{bank_full}{branch}因未按规定履行客户身份识别义务、未按规定报送大额交易报告，被处以罚款{amount}万元；"
           "相关责任人被罚款{small}万元。"),)),
    _t("safe_penalty", "regulatory", NEG, "any", "MEDIA", (0, 2), 0.4,
       ("外汇局通报违规案例：{bank}{branch}未按规定审核交易真实性被罚",),
       (_P("国家外汇管理局通报一批违规案例，{bank}{branch}因未按规定审核经常项目交易真实性，被罚款{amount}万元。"),)),
    _t("big_penalty", "regulatory", NEG, "any", "cls-telegraph", (3, 7), 0.2,
       ("大额罚单！{bank}被罚没合计{big_amount}万元 涉及{n}项违规",
        "{bank_abbr}领{big_amount}万元罚单：贷款管理、数据报送等{n}项问题"),
       (_P("国家金融监督管理总局公布处罚信息，{bank}因贷款资金被挪用、监管数据报送不准确等{n}项违法违规行为，"
           "被罚没合计{big_amount}万元，多名责任人被警告。"),)),
    # 诈骗/违法犯罪 fraud_crime
    _t("fraud_ex_employee", "fraud_crime", NEG, "any", "MEDIA hxcj-daily", (1, 4), 0.6,
       ("{bank}{branch}原客户经理非法吸收公众存款{big_loss} 一审获刑{years}年",),
       (_P("{city}法院一审判决，{bank}{branch}原客户经理{person}以高息为诱饵私下向客户吸收资金{big_loss}，"
           "以非法吸收公众存款罪判处有期徒刑{years}年。"),)),
    _t("fraud_laundering", "fraud_crime", NEG, "any", "MEDIA", (1, 3), 0.5,
       ("帮电诈团伙洗钱 {bank}{city}一员工被立案调查",),
       (_P("{city}警方通报，{bank}{branch}员工{person}涉嫌为电信诈骗团伙提供账户开立便利、协助转移资金，已被立案侦查。"),)),
    _t("fraud_loan", "fraud_crime", NEG, "any", "MEDIA", (1, 3), 0.5,
       ("伙同他人骗取贷款{big_loss} {bank}{city}分行原支行行长被判刑",),
       (_P("{bank}{city}分行原支行行长{person}伙同企业主虚构贸易背景骗取贷款{big_loss}，被以骗取贷款罪判处有期徒刑{years}年。"),)),
    _t("fraud_impersonation", "fraud_crime", NEG, "bystander", "weibo-bank MEDIA", (0, 2), 0.5,
       ("冒充{bank}客服实施诈骗 {city}警方打掉一犯罪团伙", "接到“{bank_abbr}客服”电话要注销百万保障？是诈骗"),
       (_P("{city}警方破获一起冒充{bank}客服、以“关闭百万医疗保障”为由诱骗转账的诈骗案，涉案金额{big_loss}。"
           "警方提醒，银行客服不会要求客户转账到“安全账户”。"),),
       trap="the bank is impersonated by criminals, not the subject"),
    # 系统故障 outage
    _t("outage_app", "outage", NEG, "any", "weibo-bank MEDIA", (1, 4), 0.7,
       ("{bank}手机银行{date}晚间出现短暂故障 部分用户无法登录", "#{bank_abbr}App登不上#冲上热搜"),
       (_P("{date}晚间，不少网友反映{bank}手机银行App无法登录、转账失败。约四十分钟后服务恢复，{bank}客服称系“网络波动”。"),)),
    _t("outage_atm", "outage complaint", NEG, "any", "weibo-bank", (0, 0), 0.5,
       ("{city}多台{bank}ATM“罢工”还吞卡，储户排长队",),
       (_P("今天{city}{street}附近好几台{bank}的ATM都显示暂停服务，有一台还把我的卡吞了，网点只能明天再来取。"),)),
    _t("outage_maintenance", "", NEU, "any", "wechat-yhgc MEDIA", (0, 2), 0.6,
       ("{bank}公告：{date}凌晨系统升级 部分服务暂停", "注意！{bank_abbr}这些服务将暂停办理"),
       (_P("{bank}发布公告，为提升服务质量，将于{date}00:00至06:00进行系统升级，期间手机银行、网上银行部分功能暂停使用。"),),
       trap="a planned maintenance notice, not an incident"),
    # 人事/高管 personnel
    _t("exec_probe", "personnel", NEG, "any", "cls-telegraph", (2, 6), 0.3,
       ("{bank}原副行长{exec}接受纪律审查和监察调查", "{bank_abbr}原副行长{exec}被查"),
       (_P("据中央纪委国家监委网站消息，{bank}原副行长{exec}涉嫌严重违纪违法，目前正接受纪律审查和监察调查。"),)),
    _t("exec_branch_probe", "personnel", NEG, "any", "MEDIA", (1, 3), 0.5,
       ("{bank}{city}分行原行长{exec}被查", "{bank_abbr}{city}分行原行长{exec}接受审查调查"),
       (_P("{city}市纪委监委消息，{bank}{city}分行原党委书记、行长{exec}涉嫌严重违纪违法，目前正接受纪律审查和监察调查。"),)),
    _t("exec_resign", "personnel", NEU, "any", "MEDIA", (1, 3), 0.5,
       ("{bank}副行长{exec}因工作调整辞任",),
       (_P("{bank}公告称，董事会收到副行长{exec}的辞职报告，其因工作调整辞去副行长职务，辞任自送达董事会之日起生效。"),)),
    _t("exec_appoint", "personnel", NEU, "any", "MEDIA", (0, 2), 0.4,
       ("{bank}新任行长{exec}任职资格获核准",),
       (_P("国家金融监督管理总局核准{exec}{bank}行长的任职资格。{exec}此前任该行副行长。"),)),
    # 经营业绩 performance
    _t("perf_growth", "performance", POS, "any", "MEDIA hxcj-daily", (2, 5), 0.8,
       ("{bank}前三季度净利润{profit}亿元 同比增长{profit_pct}%",
        "{bank_abbr}三季报：归母净利润同比增长{profit_pct}%"),
       (_P("{bank}发布三季度报告，前三季度实现净利润{profit}亿元，同比增长{profit_pct}%；不良贷款率{npl}%，"
           "较上年末下降。"),)),
    _t("perf_decline", "performance", NEG, "any", "MEDIA", (1, 3), 0.5,
       ("{bank}营业收入同比下降{rev_pct}% 净息差收窄至{nim}%",),
       (_P("{bank}三季报显示，前三季度营业收入同比下降{rev_pct}%，净息差收窄至{nim}%，零售贷款不良率有所上升。"),)),
    _t("perf_npl", "performance", POS, "any", "MEDIA", (0, 2), 0.5,
       ("{bank}不良贷款率降至{npl}% 拨备覆盖率{cover}%",),
       (_P("截至三季度末，{bank}不良贷款率{npl}%，拨备覆盖率{cover}%，资本充足率保持稳定。"),)),
    _t("perf_dividend", "performance", POS, "any", "MEDIA", (0, 2), 0.4,
       ("{bank}拟每10股派发现金红利{div}元",),
       (_P("{bank}董事会审议通过中期利润分配方案，拟每10股派发现金红利{div}元（含税）。"),)),
    # 日常正面/中性新闻 ordinary news
    _t("inclusive_finance", "", POS, "any", "NEWS", (1, 4), 1.0,
       ("{bank}普惠型小微企业贷款余额突破{loan_scale}", "{bank_abbr}普惠贷款“量增面扩价降”"),
       (_P("{bank}披露，截至{month}月末，普惠型小微企业贷款余额突破{loan_scale}，较年初增长{pct}%，"
           "新发放贷款平均利率持续下降。"),)),
    _t("digital", "", POS, "any", "MEDIA wechat-yhgc", (0, 3), 0.8,
       ("{bank}上线AI智能客服 业务办理时长缩短{pct_high}%", "{bank}数字化转型提速 手机银行月活用户超{mau}万"),
       (_P("{bank}推出新一代智能客服系统，可自动识别客户意图，常见业务办理时长平均缩短{pct_high}%。"),)),
    _t("new_branch", "", POS, "any", "wechat-yhgc hxcj-daily", (0, 1), 0.7,
       ("{bank}{city}{street}支行开业 打造“金融+生活”综合服务网点",),
       (_P("{date}，{bank}{city}{street}支行正式开业。网点设有适老化服务区和便民服务站，为周边居民提供一站式金融服务。"),)),
    _t("charity", "", POS, "any", "wechat-yhgc hxcj-daily hxtv-caijing", (0, 2), 0.7,
       ("{bank}{city}分行开展“金融知识进万家”公益活动", "{bank}志愿者走进{county}乡村学校 捐建“爱心书屋”"),
       (_P("{bank}{city}分行组织青年志愿者走进社区和学校，开展金融知识普及和爱心捐赠活动，累计惠及群众{n}千余人。"),)),
    _t("rural", "", POS, "any", "hxcj-daily hxtv-caijing wechat-yhgc", (0, 2), 0.6,
       ("{bank}乡村振兴贷款余额较年初增长{pct}% 助力{county}特色产业",),
       (_P("{bank}在{county}推出“特色产业贷”，支持当地农户扩大种养殖规模，今年以来已发放贷款{amount_yi}亿元。"),)),
    _t("green_bond", "", POS, "any", "MEDIA", (0, 3), 0.5,
       ("{bank}成功发行{amount_yi}亿元绿色金融债券",),
       (_P("{bank}在全国银行间债券市场成功发行{amount_yi}亿元绿色金融债券，募集资金将用于清洁能源、节能环保等绿色产业项目。"),)),
    _t("pension", "", POS, "any", "MEDIA wechat-yhgc", (0, 2), 0.5,
       ("{bank}个人养老金账户开户数突破{n}00万户",),
       (_P("{bank}表示，个人养老金账户开户数已突破{n}00万户，养老金融产品货架持续丰富。"),)),
    _t("anti_fraud_save", "", POS, "any", "wechat-yhgc weibo-bank hxtv-caijing", (0, 2), 0.7,
       ("{bank}{branch}成功拦截一起电信网络诈骗 为客户挽回损失{loss}",
        "柜员多问一句，{bank_abbr}网点拦下{loss}诈骗转账"),
       (_P("一名老年客户到{bank}{branch}要求向陌生账户转账{loss}，柜员发现异常后及时劝阻并联系民警，成功避免诈骗损失。"),),
       trap="positive story that uses fraud words (诈骗)"),
    _t("consumer_protection", "", POS, "any", "wechat-yhgc hxcj-daily", (0, 1), 0.5,
       ("{bank}{city}分行走进社区开展金融消费者权益保护宣传",),
       (_P("{bank}{city}分行工作人员走进社区，向老年人讲解防范非法集资、保护个人信息等知识。"),)),
    _t("strategic_coop", "", POS, "any", "MEDIA hxcj-daily", (0, 2), 0.5,
       ("{bank}与{city}市政府签署战略合作协议 提供{amount_yi}0亿元意向性融资",),
       (_P("{bank}与{city}市人民政府签署全面战略合作协议，未来五年将提供{amount_yi}0亿元意向性融资，支持科技创新和城市更新。"),)),
    _t("mortgage_rate", "", NEU, "any", "MEDIA weibo-bank", (0, 2), 0.5,
       ("{city}首套房贷利率下调至{mortgage}% {bank}等多家银行执行",),
       (_P("记者走访发现，{bank}等多家银行在{city}的首套房贷利率已下调至{mortgage}%，放款周期缩短至两周左右。"),)),
    _t("award", "", POS, "any", "MEDIA wechat-yhgc", (0, 1), 0.4,
       ("{bank}获评“{year}年度最佳数字化转型银行”",),
       (_P("在近日举办的一场金融科技年会上，{bank}凭借手机银行和开放银行建设获评“年度最佳数字化转型银行”。"),)),
    _t("card_promo", "", NEU, "any", "weibo-bank wechat-yhgc", (0, 1), 0.5,
       ("{bank}信用卡周末餐饮五折活动来了 每月限享{n}次",),
       (_P("{bank}信用卡推出周末指定餐饮商户五折优惠，单笔最高减{fee}元，每月限享{n}次。"),)),
    _t("bank_coop", "", POS, "two", "MEDIA", (0, 2), 0.3,
       ("{bank}与{bank2}签署全面战略合作协议",),
       (_P("{bank}与{bank2}签署全面战略合作协议，双方将在同业投资、跨境金融和金融科技等领域深化合作。"),)),
    # 与银行无关的财经新闻 unrelated finance news
    _t("market_close", "", NEU, "none", "cls-telegraph sina-rollnews", (0, 1), 1.5,
       ("A股收盘：沪指{updown}{pct_small}% 两市成交额{turnover}亿元",),
       (_P("沪深两市今日{updown_verb}，沪指收{updown}{pct_small}%，两市合计成交额{turnover}亿元，北向资金小幅净流入。"),)),
    _t("pboc_omo", "", NEU, "none", "pboc-news cls-telegraph", (0, 1), 1.2,
       ("中国人民银行开展{omo}亿元7天期逆回购操作",),
       (_P("为保持银行体系流动性合理充裕，中国人民银行今日以固定利率、数量招标方式开展了{omo}亿元7天期逆回购操作，"
           "操作利率1.40%。"),)),
    _t("fx_fixing", "", NEU, "none", "cls-telegraph", (0, 1), 1.0,
       ("人民币对美元中间价报{fx} 调{fx_dir}{pips}个基点",),
       (_P("中国外汇交易中心公布，今日人民币对美元汇率中间价报{fx}，较前一交易日调{fx_dir}{pips}个基点。"),)),
    _t("cpi", "", NEU, "none", "cls-telegraph hxcj-daily", (0, 2), 0.4,
       ("国家统计局：{month}月CPI同比上涨{cpi}%",),
       (_P("国家统计局数据显示，{month}月全国居民消费价格同比上涨{cpi}%，核心CPI保持稳定。"),)),
    _t("gold", "", NEU, "none", "cls-telegraph sina-rollnews", (0, 1), 0.6,
       ("现货黄金站上{gold}美元/盎司 日内涨{pct_small}%",),
       (_P("现货黄金日内涨{pct_small}%，站上{gold}美元/盎司，市场关注美联储议息会议。"),)),
    _t("bond_yield", "", NEU, "none", "cls-telegraph", (0, 1), 0.5,
       ("10年期国债收益率下行至{yield_}%",),
       (_P("债市延续走强，10年期国债活跃券收益率下行至{yield_}%，资金面整体平稳。"),)),
    _t("property", "", NEU, "none", "cls-telegraph sina-rollnews hxcj-daily", (0, 2), 0.4,
       ("{month}月70城房价数据出炉 一线城市新房价格环比{updown_flat}",),
       (_P("国家统计局发布70个大中城市商品住宅销售价格变动情况，{month}月一线城市新建商品住宅价格环比{updown_flat}。"),)),
    _t("insurer_pingan", "", POS, "none", "cls-telegraph", (0, 2), 0.3,
       ("中国平安：前三季度寿险新业务价值同比增长{pct}%",),
       (_P("中国平安公告，前三季度寿险及健康险业务新业务价值同比增长{pct}%，综合金融客户数稳步增加。"),),
       trap="中国平安 is the insurer, not 平安银行"),
    _t("broker_citic", "", NEU, "none", "cls-telegraph eastmoney-bank", (0, 1), 0.3,
       ("中信证券：银行板块估值修复有望延续",),
       (_P("中信证券研报认为，随着息差企稳和资产质量改善，银行板块估值修复有望延续，建议关注高股息标的。"),),
       trap="中信证券 is a broker, not 中信银行"),
    _t("broker_cib", "", NEU, "none", "eastmoney-bank", (0, 1), 0.2,
       ("兴业证券：明年银行业净息差降幅有望收窄",),
       (_P("兴业证券发布年度策略报告，预计明年银行业净息差降幅有望收窄，信贷投放结构继续优化。"),),
       trap="兴业证券 is a broker, not 兴业银行"),
    _t("chemical_sector", "", NEU, "none", "cls-telegraph eastmoney-bank", (0, 1), 0.4,
       ("化工行业景气度回升 多家上市公司{month}月产品提价",),
       (_P("近期化工行业景气度回升，多家上市公司发布调价函，部分产品报价上调约{pct}%。"),),
       trap="化工行业 contains 工行"),
    _t("construction_safety", "", NEU, "none", "hxcj-daily sina-rollnews", (0, 1), 0.3,
       ("住建部部署建筑施工行业安全生产专项整治",),
       (_P("住房和城乡建设部近日部署开展建筑施工行业安全生产专项整治，重点排查高处作业、起重机械等风险。"),),
       trap="施工行业 contains 工行"),
    _t("credit_platform", "", POS, "none", "hxcj-daily 21caijing-bank", (0, 1), 0.3,
       ("构建行业数据共享平台 多地推进中小企业融资信用服务",),
       (_P("多地正在构建行业数据共享平台，整合纳税、社保、水电等信息，帮助中小企业凭信用获得融资。"),),
       trap="构建行业 contains 建行"),
    _t("p2p_bystander", "fraud_crime", NEG, "bystander", "MEDIA", (1, 3), 0.4,
       ("P2P平台“{platform}”兑付逾期 投资者追问存管银行{bank}",),
       (_P("网贷平台“{platform}”近日出现大面积兑付逾期，涉及出借人逾万名。该平台曾宣传资金由{bank}存管，"
           "{bank}回应称仅提供资金存管服务，不对平台项目承担担保责任。"),),
       trap="the bank is only the 存管银行 of a failed P2P platform"),
    _t("cba_report", "", NEU, "none", "MEDIA hxcj-daily", (1, 3), 0.5,
       ("中国银行业协会发布年度服务报告 全年减费让利超{amount_yi}0亿元",),
       (_P("中国银行业协会发布年度银行业服务报告，显示银行业金融机构全年减费让利超{amount_yi}0亿元，"
           "营业网点适老化改造持续推进。"),),
       trap="中国银行业协会 is not 中国银行"),
    _t("cbirc_history", "", NEU, "none", "hxcj-daily 21caijing-bank", (0, 1), 0.3,
       ("回望金融监管体制改革：从中国银行保险监督管理委员会到国家金融监督管理总局",),
       (_P("2023年，在原中国银行保险监督管理委员会基础上组建国家金融监督管理总局。"
           "本文梳理近年来银行业监管框架的演变。"),),
       trap="中国银行保险监督管理委员会 is not 中国银行"),
    _t("cbrc_history", "", NEU, "none", "21caijing-bank", (0, 1), 0.2,
       ("中国银行业监督管理委员会成立二十余年 监管理念如何演变",),
       (_P("自中国银行业监督管理委员会成立以来，银行业监管经历了从合规监管到风险为本的转变。"),),
       trap="中国银行业监督管理委员会 is not 中国银行"),
    _t("nafmii", "", NEU, "none", "cls-telegraph 21caijing-bank", (0, 2), 0.4,
       ("中国银行间市场交易商协会对{company}启动自律调查",),
       (_P("中国银行间市场交易商协会公告，因{company}涉嫌信息披露不真实，对其及相关中介机构启动自律调查。"),),
       trap="中国银行间市场交易商协会 is not 中国银行"),
    _t("boc_insurance", "", POS, "boc", "MEDIA", (0, 2), 0.3,
       ("中国银行保险产品热销 前三季度代理保费同比增长{pct}%",),
       (_P("中国银行前三季度代理保险业务保费同比增长{pct}%，其中养老年金和健康险产品热销。"),),
       trap="starts like 中国银行保险监督管理委员会 but is about 中国银行"),
    # 香港/英文 sources
    _t("en_profit", "performance", POS, "any", "hk-harbour", (0, 0), 0.5,
       ("{bank_en} posts {profit_pct}% rise in nine-month net profit",),
       (_P("{bank_en} said net profit for the first nine months rose {profit_pct}% from a year earlier, "
           "helped by lower credit costs and steady fee income."),)),
    _t("en_fine", "regulatory", NEG, "any", "hk-harbour", (0, 0), 0.3,
       ("Mainland regulator fines {bank_en} branch over lending lapses",),
       (_P("A branch of {bank_en} was fined {amount}0,000 yuan for lax loan management, according to a "
           "notice from the National Financial Regulatory Administration."),)),
    _t("en_green", "", POS, "two", "hk-harbour", (0, 0), 0.3,
       ("{bank_en} and {bank2_en} lead mainland lenders' green bond push",),
       (_P("{bank_en} and {bank2_en} together sold more than {amount_yi} billion yuan of green bonds this "
           "quarter, data compiled by Harbour Finance show."),)),
    _t("en_pboc", "", NEU, "none", "hk-harbour", (0, 0), 0.3,
       ("People's Bank of China keeps loan prime rate unchanged for another month",),
       (_P("The People's Bank of China left the one-year loan prime rate unchanged, in line with market "
           "expectations, as policymakers weigh bank margins against growth."),),
       trap="People's Bank of China is the central bank, not Bank of China"),
    _t("tc_cross_border", "", POS, "big", "hk-harbour", (0, 0), 0.5,
       ("{bank_tc}香港分行推出跨境理財通新產品 首日認購踴躍",),
       (_P("{bank_tc}香港分行推出多款跨境理財通產品，首日認購金額逾{amount_yi}億元人民幣。"),),
       trap="Traditional Chinese"),
    _t("tc_deposit", "fee_rate", NEU, "big", "hk-harbour", (0, 0), 0.4,
       ("{bank_tc}（亞洲）上調港元定期存款利率 三個月期年息{hk_rate}厘",),
       (_P("{bank_tc}（亞洲）宣布上調港元定期存款利率，三個月期年息達{hk_rate}厘，起存金額一萬港元。"),),
       trap="Traditional Chinese"),
    _t("tc_fine", "regulatory", NEG, "any", "hk-harbour", (0, 0), 0.3,
       ("{bank_tc}{city_tc}分行遭內地監管罰款{amount}萬元",),
       (_P("內地監管機構公布，{bank_tc}{city_tc}分行因貸款管理不審慎被罰款{amount}萬元人民幣。"),),
       trap="Traditional Chinese"),
)
TPL = {t.key: t for t in STORY_TEMPLATES}

# Scheduled-only stories: the viral outage and its aftermath.
_OUTAGE = _t("outage_major", "outage", NEG, SPIKE_BANK, "cls-telegraph", (12, 15), 0.0,
             ("{bank}手机银行突发故障 多地用户无法登录转账",
              "{bank_abbr}App“崩了”？多地用户反映无法登录",
              "{bank}App故障冲上热搜 客服热线一度占线"),
             (_P("{date}上午9时许，大量网友反映{bank}手机银行App无法登录，转账、缴费长时间显示“处理中”。"
                 "“#{bank_abbr}App崩了#”话题一度登上热搜，客服热线持续占线。"),))
_OUTAGE_REPLY = _t("outage_reply", "outage", NEG, SPIKE_BANK, "cls-telegraph", (5, 7), 0.0,
                   ("{bank}回应手机银行故障：系统已全面恢复 资金安全不受影响",
                    "{bank_abbr}致歉：故障因数据中心网络设备异常 已恢复"),
                   (_P("{bank}晚间发布情况说明称，当日上午因数据中心网络设备异常导致手机银行部分服务中断，"
                       "系统已全面恢复，客户资金安全不受影响，因故障产生的手续费将予以退还。"),))
OUTAGE_POSTS = _t("outage_posts", "outage complaint", NEG, SPIKE_BANK, "weibo-bank", (0, 0), 0.0,
                   ("#{bank_abbr}App崩了# 转账转了半小时一直转圈，客服电话也打不进去",
                    "{bank}手机银行到底什么时候能好？房租今天到期转不出去",
                    "#{bank_abbr}App崩了# 工资卡里的钱取不出来，网点门口也排起了长队",
                    "{bank_abbr}App登录一直提示“系统繁忙”，这是第二次了吧",
                    "做生意的急着付货款，{bank}App一上午都用不了，损失谁来担？",
                    "#{bank_abbr}App崩了# 刚发的工资看得到用不了，信用卡今天最后还款日啊",
                    "{bank}的App又转圈了，网点说系统全国都有问题，让我们下午再来",
                    "问了一圈同事，用{bank_abbr}的全都登不上，别的银行App都正常"),
                   (_P("{bank}手机银行从早上开始就用不了，转账一直处理中，打客服等了四十分钟没人接。"),
                    _P("{city}这边也一样，App打不开，网点排了几十号人，说是总行系统故障。"),
                    _P("一上午重试了十几次，最后显示交易失败，钱却被扣了，希望银行给个说法。")))
OUTAGE_TOUSU = _t("outage_tousu", "outage complaint", NEG, SPIKE_BANK, "tousu-bank", (0, 0), 0.0,
                   ("{bank}手机银行故障导致转账失败，手续费却照扣",
                    "{bank}App故障致信用卡还款失败，要求免除逾期记录",
                    "{bank}系统故障期间重复扣款，至今未退回",
                    "{bank}App故障无法缴纳房租产生违约金，要求赔偿",
                    "{bank}故障期间转账显示失败但对方已收款，账目混乱"),
                   (_P("【投诉对象】{bank}<br/>【投诉问题】系统故障、重复扣款<br/>【投诉要求】退还款项并道歉")
                    + _P("{date}上午使用{bank}手机银行转账，页面报错后又重复扣款{loss}。"),))
_LEAK_MAJOR = _t("leak_major", "data_leak", NEG, "jsb", "cls-telegraph", (8, 11), 0.0,
                 ("{bank}客户信息疑遭批量泄露 警方已介入调查",
                  "{bank_abbr}回应客户信息泄露：系外包公司员工违规导出",
                  "{bank}数万条客户信息在网上被兜售？"),
                 (_P("有媒体调查发现，网络黑市上有人兜售疑似{bank}客户的姓名、手机号和资产信息，数量达{records}条。"
                     "{bank}回应称系外包服务商员工违规导出数据，已报警并启动客户告知。"),))
_ENGLISH_FIXED = _t("en_icbc_ccb", "", POS, "none", "hk-harbour", (0, 0), 0.0,
                    ("ICBC, China Construction Bank lead mainland lenders' green bond push",),
                    (_P("ICBC and China Construction Bank together sold more than 60 billion yuan of green "
                        "bonds this quarter, data compiled by Harbour Finance show."),))
_TC_FIXED = _t("tc_icbc_asia", "", POS, "none", "hk-harbour", (0, 0), 0.0,
               ("中國工商銀行（亞洲）推出綠色定期存款 首月吸納逾十億港元",),
               (_P("中國工商銀行（亞洲）宣布推出綠色定期存款產品，所得資金將用於本港可再生能源及綠色建築項目。"),),
               trap="Traditional Chinese")
SCHEDULED_ONLY = {t.key: t for t in (_OUTAGE, _OUTAGE_REPLY, OUTAGE_POSTS, OUTAGE_TOUSU, _LEAK_MAJOR,
                                      _ENGLISH_FIXED, _TC_FIXED)}
FIXED_BANKS = {"en_icbc_ccb": ("icbc", "ccb"), "tc_icbc_asia": ("icbc",)}

# Big stories, by days before today: (days back, hour, template, bank, reprints).  "pick" = a
# competitor chosen by the seed.
SCHEDULE: tuple[tuple[int, float, str, str, int], ...] = (
    (1, 9.2, "outage_major", SPIKE_BANK, 14),
    (1, 17.8, "outage_reply", SPIKE_BANK, 6),
    (2, 10.1, "rate_cut_deposit", "pick", 9),
    (3, 16.5, "big_penalty", "pick", 7),
    (4, 19.6, "mis_sell_private_fund", "pick", 5),
    (6, 10.4, "leak_major", "pick", 10),
    (8, 11.0, "inclusive_finance", SPIKE_BANK, 5),
    (10, 15.7, "exec_probe", "pick", 8),
    (12, 8.6, "perf_growth", "pick", 6),
)
# Every trap appears at least once, whatever the seed: (days back, hour, template).
FIXTURES: tuple[tuple[int, float, str], ...] = (
    (2, 14.2, "cba_report"), (3, 11.3, "cbirc_history"), (5, 9.8, "nafmii"), (4, 10.5, "boc_insurance"),
    (5, 15.1, "p2p_bystander"), (2, 16.4, "en_icbc_ccb"), (3, 18.2, "tc_icbc_asia"),
    (6, 13.3, "chemical_sector"), (7, 10.2, "construction_safety"), (9, 14.6, "credit_platform"),
    (7, 16.1, "fraud_impersonation"), (8, 9.9, "anti_fraud_save"), (11, 11.7, "cbrc_history"),
)

# Phrases that put a bank's alias inside an unrelated word; items containing them are flagged.
TRAP_PHRASES = {"员工行为": "员工行为 contains 工行", "化工行业": "化工行业 contains 工行",
                 "施工行业": "施工行业 contains 工行", "构建行业": "构建行业 contains 建行"}
