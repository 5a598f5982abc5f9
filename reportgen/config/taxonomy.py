"""The risk categories reportgen ships (the taxonomy of the domain brief), as config defaults.

``[categories.<code>]`` in ``sources.toml`` extends, replaces or switches off each of them, so
config owns the defaults; the scorer (``score/categories.py``) adds the matching rules.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Category:
    code: str
    name_zh: str
    name_en: str
    terms: tuple[str, ...]
    weight: float = -1.5  # sentiment weight of a term the general lexicon does not list
    exclude: tuple[str, ...] = ()  # phrases that contain a term but are not this category

    def name(self, language: str) -> str:
        return self.name_zh if language == "zh" else self.name_en


def split_terms(words: str) -> tuple[str, ...]:
    """A category's terms, written as one space-separated string."""
    return tuple(words.split())


DEFAULT_CATEGORIES: tuple[Category, ...] = (
    Category("complaint", "服务投诉", "Service complaint", split_terms(
        "投诉 被投诉 投诉量 黑猫投诉 12378 12363 维权 讨说法 排队 排长队 态度差 态度恶劣 服务差 拒办 拒绝办理 "
        "刁难 推诿 不作为 辱骂 骚扰 暴力催收 催收 爆通讯录 差评 吐槽 不满 气愤 哭诉 销户难 退款难 办事难 客服 "
        "complaint complaints"), -1.5),
    Category("mis_selling", "误导销售/虚假宣传", "Mis-selling / false advertising", split_terms(
        "误导 误导销售 虚假宣传 夸大收益 夸大宣传 保本 承诺收益 飞单 理财亏损 净值亏损 产品亏损 代销 兑付延迟 延期兑付 "
        "无法兑付 逾期兑付 兑付危机 强制搭售 搭售 捆绑销售 隐瞒风险 未揭示风险 适当性 存款变保险 "
        "mis-selling misselling mis-sold"), -2.0),
    Category("data_leak", "客户信息泄露", "Customer data leak", split_terms(
        "泄露 信息泄露 数据泄露 泄密 个人信息 客户信息 倒卖 贩卖信息 出售信息 非法获取 查询征信 隐私 爆通讯录 "
        "数据安全 breach leak leaked hacked"), -2.5),
    Category("fee_rate", "利率/收费争议", "Fees and rates dispute", split_terms(
        "乱收费 违规收费 收费 年费 手续费 管理费 违约金 罚息 滞纳金 隐形收费 高额 下调利率 上调利率 利率 提前还款 "
        "砍头息 高息 高利贷 扣费 扣款 服务费 砍头 fee fees overcharge overcharged"), -1.0),
    Category("ops_loss", "操作失误/资金损失", "Operational error / funds lost", split_terms(
        "资金不翼而飞 不翼而飞 盗刷 被盗刷 错账 被转走 莫名扣款 吞卡 少了 丢失 存款丢失 存款被取 资金被挪用 挪用 "
        "操作失误 系统错误 转错 冒领 被冒领 funds missing unauthorised unauthorized"), -2.0),
    Category("regulatory", "违规/监管处罚", "Violation / regulatory penalty", split_terms(
        "罚款 罚单 被罚 遭罚 罚没 吃罚单 领罚单 行政处罚 处罚 "
        "没收违法所得 违规 违法 被查 立案 立案调查 警告 责令改正 责令整改 监管函 警示函 约谈 "
        "通报批评 暂停业务 吊销 整改 监管 国家金融监督管理总局 金融监管总局 银保监 银保监会 人民银行 央行 证监会 "
        "外汇局 fined penalty penalised penalized sanctioned regulator"), -2.0),
    Category("fraud_crime", "诈骗/违法犯罪", "Fraud / crime", split_terms(
        "诈骗 集资诈骗 合同诈骗 贷款诈骗 骗贷 骗局 非法集资 非法吸收公众存款 非法吸存 洗钱 传销 套路贷 涉黑 地下钱庄 "
        "犯罪 涉嫌犯罪 被判 判刑 获刑 有期徒刑 刑拘 刑事拘留 逮捕 被捕 公诉 提起公诉 移送起诉 经侦 侦查 立案侦查 "
        "跑路 爆雷 暴雷 卷款 潜逃 fraud scam laundering arrested convicted"), -2.5),
    Category("outage", "系统故障", "System outage", split_terms(
        "宕机 系统故障 故障 崩溃 崩了 无法登录 登录不上 无法转账 无法支付 闪退 瘫痪 系统升级 网银异常 服务中断 "
        "outage downtime"), -2.0),
    Category("personnel", "人事/高管", "Personnel / executives", split_terms(
        "被带走 接受审查 纪律审查 监察调查 审查调查 严重违纪 双开 开除党籍 落马 留置 辞职 辞任 离职 出逃 外逃 任职资格 "
        "行长 董事长 高管 resigned resigns resignation"), -1.0),
    Category("performance", "经营业绩", "Business performance", split_terms(
        "净利润 营业收入 营收 同比增长 同比下降 不良率 不良贷款率 拨备覆盖率 资本充足率 净息差 总资产 年报 半年报 季报 "
        "业绩 分红 profit profits earnings revenue"), 0.0),
)

