"""The English names of the large Chinese banks, for the English report.

A bank's ``name_en`` in ``sources.toml`` wins; without one, a bank whose Chinese ``name`` is one of
the usual names below gets the common English name; any other bank keeps its ``name`` (an English
report that names a small rural bank in Chinese is better than one that guesses).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

# Keyed by the usual Chinese names (full and short forms a config is likely to use as `name`).
DEFAULT_NAMES_EN: dict[str, str] = {
    "中国工商银行": "ICBC", "工商银行": "ICBC", "工行": "ICBC",
    "中国建设银行": "China Construction Bank", "建设银行": "China Construction Bank", "建行": "China Construction Bank",
    "中国农业银行": "Agricultural Bank of China", "农业银行": "Agricultural Bank of China",
    "农行": "Agricultural Bank of China",
    "中国银行": "Bank of China", "中行": "Bank of China",
    "交通银行": "Bank of Communications", "交行": "Bank of Communications",
    "中国邮政储蓄银行": "Postal Savings Bank of China", "邮储银行": "Postal Savings Bank of China",
    "邮政储蓄银行": "Postal Savings Bank of China",
    "招商银行": "China Merchants Bank", "招行": "China Merchants Bank",
    "兴业银行": "Industrial Bank",
    "上海浦东发展银行": "SPD Bank", "浦发银行": "SPD Bank",
    "中信银行": "China CITIC Bank",
    "中国民生银行": "China Minsheng Bank", "民生银行": "China Minsheng Bank",
    "中国光大银行": "China Everbright Bank", "光大银行": "China Everbright Bank",
    "平安银行": "Ping An Bank",
    "华夏银行": "Hua Xia Bank",
    "广发银行": "China Guangfa Bank", "中国广发银行": "China Guangfa Bank",
    "浙商银行": "China Zheshang Bank",
    "渤海银行": "China Bohai Bank",
    "恒丰银行": "Evergrowing Bank",
    "北京银行": "Bank of Beijing",
    "上海银行": "Bank of Shanghai",
    "江苏银行": "Bank of Jiangsu",
    "宁波银行": "Bank of Ningbo",
    "南京银行": "Bank of Nanjing",
    "杭州银行": "Bank of Hangzhou",
    "国家开发银行": "China Development Bank",
    "中国进出口银行": "Export-Import Bank of China",
    "中国农业发展银行": "Agricultural Development Bank of China",
    "微众银行": "WeBank",
    "网商银行": "MYbank",
}


class NamedBank(Protocol):
    @property
    def id(self) -> str: ...

    @property
    def name(self) -> str: ...

    @property
    def name_en(self) -> str | None: ...


def english_name(name: str, configured: str | None = None) -> str:
    """The bank's English name: ``configured`` (``name_en``), else the default for ``name``, else ``name``."""
    return configured or DEFAULT_NAMES_EN.get(name.strip(), name)


def display_names(banks: Iterable[NamedBank], language: str) -> dict[str, str]:
    """Bank id → the name a report in ``language`` prints: the configured name in Chinese, the
    English name (see :func:`english_name`) in English."""
    if language == "en":
        return {b.id: english_name(b.name, b.name_en) for b in banks}
    return {b.id: b.name for b in banks}
