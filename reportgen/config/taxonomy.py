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
        # forum and Weibo talk: cheated, tricks, refused, blocked, limits cut, harassing calls
        "被坑 坑人 坑爹 坑钱 坑 太坑 套路 霸王条款 霸王 乱收费 流氓 抢钱 投诉无门 维权无门 求助无门 骚扰电话 电话轰炸 "
        "分期电话 推分期 打电话推 狂打电话 往死打 天天打电话 每天打电话 不给办 不给办理 不让办 不予办理 "
        "死活不给 不给提 不给分期 不给协商 不协商 不给弄 不让用 不让取 不给取 取不了 取不出 无法取出 无法取款 取款难 "
        "取钱难 注销不了 销不了 办卡难 下卡难 难下卡 不下卡 秒拒 拒批 被拒 拒了 不批 降额 被降额 砍额度 封卡 被封卡 "
        "锁卡 止付 冷冻 冻结 被冻结 无故冻结 小黑屋 黑屋 不提额 没提额 额度低 额度太低 垃圾 辣鸡 垃圾银行 破银行 "
        "野鸡银行 差劲 太差 恶心 无耻 骗人 忽悠 被忽悠 糊弄 扯皮 推脱 踢皮球 没人管 一拖再拖 看不起 区别对待 歧视 "
        "态度强硬 不靠谱 靠不住 效率低 抠门 铁公鸡 难用 反人类 离谱 过分 太过分 后悔 慎入 别办 避雷 欺负人 店大欺客 "
        "致歉 道歉 约不到 预约不到 作弊 烦 无语 难辞其咎 失察 给予说法 给个说法 给说法 废了 打发要饭 瞎扯 没良心 "
        "暂停柜面 不要办卡 别办卡 不要办 打投诉电话 打了投诉电话 限制额度 果断注销 够狠 才能注销 根本没用 不给力 "
        "简直是灾难 "
        "态度很强硬 无法提额 破的银行 就是坑 最贱 "
        "综合评分不足 评分不足 资质不足 审核不通过 审批不通过 审核没通过 批不下来 下不了卡 拒贷 拒卡 被风控 风控了 "
        "非柜面 非柜 "
        "限制非柜面 被限制 限制交易 交易受限 不能用了 停卡 停用了 进黑屋 拉黑 被拉黑 额度清零 额度为零 从不提额 "
        "死活不提 "
        "提额难 难提额 提额慢 额度少 额度太少 额度小 砍额 额度被降 被砍 电话骚扰 催收电话 打给家人 打到单位 "
        "打电话给家人 "
        "上门催收 威胁 辱骂 推销电话 营销电话 一直打 狂打 打不通 没人接 转人工 敷衍 甩锅 不解决 没解决 不负责 "
        "一问三不知 "
        "答非所问 不处理 不承担 不赔 拒赔 不退款 拒绝退款 失望透顶 心寒 寒心 劝退 慎办 不推荐 远离 剪卡 剪了 气死 "
        "气人 "
        "太气人 服了 心累 霸道 拒收现金 拒收硬币 拒绝兑换 本人到场 必须本人 需本人 奇葩证明 证明我妈 拒之门外 "
        "看人下菜 "
        "刁难老人 老人被拒 排长队 等了半天 等了一上午 等了一下午 取不出钱 取钱难 抢不到大额存单 "
        "遭投诉 遭质疑 遭吐槽 被吐槽 被骂 被批 挨批 被轰 被怼 引争议 惹争议 引众怒 引不满 引质疑 不行 太不行 不怎么样 "
        "没什么用 不划算 不值 差远了 差很多 远不如 比不上 太黑 吸血鬼 强盗 土匪 骗子银行 无良 奸商 缺德 抠搜 小气 "
        "吝啬 "
        "装死 不理人 没回复 石沉大海 没下文 杳无音讯 一直审核 还在审核 审核了半天 成被告 被判赔 判赔 被索赔 "
        "积分不值钱 积分贬值 积分缩水 积分清零 积分难用 没羊毛 羊毛少 权益缩水 权益砍了 砍权益 取消权益 活动少 "
        "鸡肋活动 只提了 提了一点 提额少 还款失败 自动还款失败 扣了两次 重复扣 强制分期 注销难 注销麻烦 必须到柜台 "
        "要求到网点 网点少 撤网点 窗口少 只开一个窗口 不开窗口 呵呵 吐了 什么鬼 搞什么 有病 脑残 神经病 发什么神经 "
        "奇葩 扯淡 凭什么 怎么回事 咋回事 不耐烦 挂我电话 机器人客服 不专业 不懂业务 "
        "complaint complaints"), -1.5),
    Category("mis_selling", "误导销售/虚假宣传", "Mis-selling / false advertising", split_terms(
        "误导 误导销售 虚假宣传 夸大收益 夸大宣传 保本 承诺收益 飞单 理财亏损 净值亏损 产品亏损 代销 兑付延迟 "
        "延期兑付 "
        "无法兑付 逾期兑付 兑付危机 强制搭售 搭售 捆绑销售 隐瞒风险 未揭示风险 适当性 存款变保险 "
        "存款变保单 存款变理财 买成了保险 变成了保险 误导购买 强制购买 强行搭售 私售 偷偷给我办 偷偷办 私自开通 "
        "擅自开通 莫名开通 被开通 未经同意 未经本人同意 金条掺假 掺假 杂质 糊里糊涂 稀里糊涂 不知情 被推销 "
        "理财亏损 理财亏 理财暴雷 理财爆雷 跌破净值 破净 亏本 本金亏损 亏了本金 承诺保本 保本保息 夸大收益 欺骗消费者 "
        "mis-selling misselling mis-sold"), -2.0),
    Category("data_leak", "客户信息泄露", "Customer data leak", split_terms(
        "泄露 信息泄露 数据泄露 泄密 个人信息 客户信息 倒卖 贩卖信息 出售信息 非法获取 查询征信 隐私 爆通讯录 "
        "数据安全 冒名办卡 被冒名 信息被卖 卖信息 被泄露 没有任何审核 没有审核 没有核实 未经核实 审核不严 "
        "违规查询 查询征信 偷查征信 违规查征信 泄露客户信息 客户信息被 个人信息被 安全漏洞 漏洞 绕过 人脸识别漏洞 "
        "breach leak leaked hacked"), -2.5),
    Category("fee_rate", "利率/收费争议", "Fees and rates dispute", split_terms(
        "乱收费 违规收费 收费 年费 手续费 管理费 违约金 罚息 滞纳金 隐形收费 高额 下调利率 上调利率 利率 提前还款 "
        "砍头息 高息 高利贷 扣费 扣款 服务费 砍头 乱扣费 偷偷扣 莫名扣费 私自扣 擅自扣 利息高 利息太高 高利息 "
        "利息疯长 罚利息 收年费 扣年费 扣了年费 利率上调 上调利率 上调房贷利率 房贷利率上调 门槛提高 提高门槛 "
        "年费陷阱 强制年费 利滚利 复利 超限费 隐形收费 乱收 多收费 收费高 费率高 手续费高 降息 下调存款利率 "
        "存款利率下调 存款利率下降 利率下调 房贷利率上浮 额度紧张 秒光 "
        "fee fees overcharge overcharged"), -1.0),
    Category("ops_loss", "操作失误/资金损失", "Operational error / funds lost", split_terms(
        "资金不翼而飞 不翼而飞 盗刷 被盗刷 错账 被转走 莫名扣款 吞卡 少了 丢失 存款丢失 存款被取 资金被挪用 挪用 "
        "操作失误 系统错误 转错 冒领 被冒领 被划走 被取走 误将 转错账 扣错 错扣 多扣 重复扣款 被骗贷 弄丢 遗失 禁用 "
        "存款消失 存款不翼而飞 存款被挪用 存款被冒领 存款没了 钱没了 钱不见了 存款少了 存款被取 "
        "funds missing unauthorised unauthorized"), -2.0),
    Category("regulatory", "违规/监管处罚", "Violation / regulatory penalty", split_terms(
        "罚款 罚单 被罚 遭罚 罚没 吃罚单 领罚单 行政处罚 处罚 "
        "没收违法所得 违规 违法 立案调查 警告 责令改正 责令整改 监管函 警示函 约谈 被约谈 被叫停 被接管 接管 "
        "出手干预 "
        "通报批评 暂停业务 吊销 整改 监管 国家金融监督管理总局 金融监管总局 银保监 银保监会 人民银行 央行 证监会 "
        "外汇局 fined penalty penalised penalized sanctioned regulator"), -2.0),
    Category("fraud_crime", "诈骗/违法犯罪", "Fraud / crime", split_terms(
        "诈骗 集资诈骗 合同诈骗 贷款诈骗 骗贷 骗局 非法集资 非法吸收公众存款 非法吸存 洗钱 传销 套路贷 涉黑 地下钱庄 "
        "犯罪 涉嫌犯罪 被判 判刑 获刑 有期徒刑 刑拘 刑事拘留 逮捕 被捕 公诉 提起公诉 移送起诉 经侦 侦查 立案侦查 "
        "跑路 爆雷 暴雷 卷款 潜逃 受贿 贪污 挪用公款 违法发放贷款 监守自盗 为虎作伥 助纣为虐 同流合污 合伙诈骗 殴打 "
        "勾结 串通 伙同 包庇 纵容 合谋 沆瀣一气 共同实施 打人 假银行 被查 落马 双开 开除党籍 被开除党籍 严重违纪 "
        "协助调查 资金池 自融 骗子 非法吸收 侵占 职务侵占 "
        "利用职务之便 "
        "私自担保 猥亵 性骚扰 内鬼 受审 获刑 判刑 被判 "
        "fraud scam laundering arrested convicted"), -2.5),
    Category("outage", "系统故障", "System outage", split_terms(
        "宕机 系统故障 故障 崩溃 崩了 无法登录 登录不上 无法转账 无法支付 闪退 瘫痪 系统升级 网银异常 服务中断 "
        "系统崩了 又崩了 登不上 登录不了 打不开 转不了账 转账失败 支付失败 状态异常 系统异常 显示错误 系统维护 维护中 "
        "出bug bug 维护了 在维护 系统崩溃 进不去 卡顿 到账延迟 延迟到账 没到账 未到账 app故障 网银故障 手机银行故障 "
        "无法使用 "
        "无法访问 "
        "outage downtime"), -2.0),
    Category("personnel", "人事/高管", "Personnel / executives", split_terms(
        "被带走 接受审查 纪律审查 监察调查 审查调查 严重违纪 双开 开除党籍 落马 留置 辞职 辞任 离职 出逃 外逃 "
        "任职资格 "
        "被查 被开除党籍 协助调查 坠楼 跳楼 身亡 轻生 自杀 猝死 被杀害 遇害 去世 离世 停职 免职 被免职 被开除 辞退 "
        "被辞退 被双开 "
        # routine changes: personnel, not bad news
        "聘任 任命 出任 就任 加盟 新ceo 新行长 新董事长 "
        "履新 新任 接任 升任 退休 到龄退休 退任 离任 卸任 换帅 人事变动 任职资格获批 核准任职 "
        "resigned resigns resignation"), -1.0),
    Category("performance", "经营业绩", "Business performance", split_terms(
        "净利润 营业收入 营收 同比增长 同比下降 不良率 不良贷款率 拨备覆盖率 资本充足率 净息差 总资产 年报 半年报 "
        "季报 "
        "业绩 分红 净利 利润 利润总额 股价 市值 涨停 跌停 连阳 连涨 新高 历史新高 新低 薪酬 人均薪酬 薪资 月薪 年薪 "
        "降薪 减薪 年终奖 裁员 首亏 首次亏损 亏损 净亏损 巨亏 腰斩 破产 倒闭 排名 评级 暴跌 大跌 绩效追索 追索扣回 "
        "扣回绩效 追回薪酬 "
        "倒扣绩效 扣工资 欠薪 降本增效 年终奖缩水 奖金缩水 "
        "profit profits earnings revenue"), 0.0),
)

