"""Risk categories: the shipped taxonomy (config/taxonomy.py) and the rules that match it.

Each category is a list of terms.  A category fires for a bank when one of its terms occurs in a
clause that counts for that bank (the bank's own clauses, its sentence, or the title) and is not
negated; the hit carries the terms and the clause, so a reader sees *why* an item is 监管处罚.

Users change categories in ``sources.toml``::

    [categories.complaint]
    terms = ["客服推诿"]          # added to the shipped terms
    [categories.fee_rate]
    terms = ["账户管理费"]
    replace = true               # use only these terms
    [categories.esg]              # a new category
    name_zh = "环境与社会责任"
    name_en = "ESG"
    terms = ["漂绿", "高污染贷款"]
    weight = -1.5                # sentiment weight for terms the lexicon does not know
    [categories.personnel]
    enabled = false
"""

from __future__ import annotations

from reportgen.config.taxonomy import DEFAULT_CATEGORIES, Category, split_terms

__all__ = ["CONTEXT_ONLY", "DEFAULT_CATEGORIES", "NEUTRAL_CATEGORIES", "Category"]

# Terms that name a category but carry no judgement on their own: they tag the category only
# when some unfavourable term fires for the same bank, so 行长 (personnel) or 监管 (regulatory)
# alone never turns an interview into a 人事 or 监管 item.
CONTEXT_ONLY: frozenset[str] = frozenset(split_terms(
    "客服 收费 利率 监管 国家金融监督管理总局 金融监管总局 银保监 银保监会 人民银行 央行 证监会 外汇局 个人信息 "
    "客户信息 隐私 数据安全 行长 董事长 高管 代销 保本 适当性 系统升级 任职资格 提前还款 服务费 管理费 手续费 年费 "
    "利息 计息 结息 regulator fee fees"))

# Tagged whatever the label: results (a profit rise is performance, not bad news) and personnel
# changes (a routine appointment is personnel, not bad news).  Every other category attaches only
# to items judged negative for the bank.
NEUTRAL_CATEGORIES: frozenset[str] = frozenset({"performance", "personnel"})
