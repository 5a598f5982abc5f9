"""The shipped defaults of the insight settings: event clustering, heat's channel weights, alert
thresholds and the response playbook.

They live in config, not beside the code that uses them, so that config can fill in and validate
``[events]``, ``[heat]``, ``[alerts]`` and ``[playbook.*]`` without importing the insight stage.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

# Channel influence weights from a published bank-industry heat model (the domain brief in the README): print and
# broadcast 0.3, online news 0.3, WeChat/Weibo 0.15, forums 0.05.  Regulators publish where it
# counts (0.3); complaint platforms are forums with a grievance (0.1).
DEFAULT_CHANNEL_WEIGHTS: dict[str, float] = {
    "print": 0.3, "broadcast": 0.3, "online": 0.3, "regulator": 0.3, "social": 0.15, "complaint": 0.1,
}

@dataclass(frozen=True, slots=True)
class EventSettings:
    window_hours: float = 72.0  # reprints must appear within this time of each other
    min_jaccard: float = 0.25
    min_overlap: float = 0.55
    shingle: int = 3
    body_chars: int = 150
    num_perm: int = 40
    bands: int = 20  # rows per band = num_perm // bands: 20 × 2 finds a Jaccard-0.35 pair 93 % of the time
    half_life_days: float = 3.0  # heat decay in the weekly view


@dataclass(frozen=True, slots=True)
class AlertSettings:
    baseline_days: int = 28
    min_history_days: int = 7
    prior_centre: float = 2.0  # negatives a day assumed while history is short
    prior_heat_centre: float = 60.0  # heat a day assumed while history is short
    # z thresholds, mildest first: z ≥ 8 is 一级 (红色, the most severe), ≥ 5 二级 (橙色), ≥ 3 三级 (黄色).
    # Four thresholds add 四级 (蓝色) below them, e.g. (2, 3, 5, 8).
    levels: tuple[float, ...] = (3.0, 5.0, 8.0)
    min_negative: int = 3
    min_heat: float = 90.0  # three online articles' worth
    category_heat: float = 30.0  # one online article from a weight-1 source
    # category → the level a hot negative event in it raises at least (1 = 一级, the most severe)
    category_levels: Mapping[str, int] = field(default_factory=lambda: {
        "data_leak": 2, "regulatory": 2, "fraud_crime": 2, "ops_loss": 3, "outage": 3, "mis_selling": 3})

    @property
    def level_count(self) -> int:
        """3 (一级 to 三级) or 4 (to 四级)."""
        return len(self.levels)



@dataclass(frozen=True, slots=True)
class PlaybookEntry:
    actions_zh: tuple[str, ...]
    owner_zh: str
    actions_en: tuple[str, ...]
    owner_en: str

    def actions(self, language: str) -> tuple[str, ...]:
        return self.actions_zh if language == "zh" else self.actions_en

    def owner(self, language: str) -> str:
        return self.owner_zh if language == "zh" else self.owner_en


# The seed's response plan: respond fast; disclose and apologise when at fault; investigate;
# compensate; strengthen internal management; train staff — with an owner for each kind of event.
_RESPOND = ("2小时内核实情况，统一对外口径并快速回应",
            "Verify the facts within 2 hours and respond fast with one agreed line")
RESPOND_STEPS = frozenset(_RESPOND)  # the first step, in both languages: moot once the bank has responded
_APOLOGISE = ("如确有过错，主动披露并诚恳致歉", "Where the bank is at fault, disclose it and apologise")
_INVESTIGATE = ("启动内部调查，查明原因和责任", "Open an internal investigation into cause and responsibility")
_COMPENSATE = ("对受损客户依规赔付或补救", "Compensate or make good the customers affected, by the rules")
_MANAGE = ("完善制度流程，加强内部管理", "Fix the process and strengthen internal management")
_TRAIN = ("开展针对性员工培训", "Run targeted staff training")
_MONITOR = ("持续监测舆情走势，每日报告进展", "Keep monitoring and report progress daily")
_NOTIFY = ("评估并通知受影响客户，按规定向监管报告",
           "Assess and notify affected customers; report to the regulator as required")
_FEES = ("公开收费依据和标准", "Publish the basis and schedule of the fee")
_REMEDIATE = ("落实监管整改要求并公开整改进展", "Carry out the regulator's remediation and publish progress")
_POLICE = ("配合公安机关调查", "Cooperate with the police")
_WARN = ("发布防骗提示", "Publish an anti-fraud warning")
_EXPLAIN = ("发布故障说明和恢复时间", "Publish what failed and when service returns")
_ANNOUNCE = ("按信息披露规定发布公告", "Announce as the disclosure rules require")


def _entry(owner_zh: str, owner_en: str, *steps: tuple[str, str]) -> PlaybookEntry:
    return PlaybookEntry(tuple(s[0] for s in steps), owner_zh, tuple(s[1] for s in steps), owner_en)


DEFAULT_PLAYBOOK: dict[str, PlaybookEntry] = {
    "complaint": _entry("消费者权益保护部", "Consumer Protection", _RESPOND, _APOLOGISE, _COMPENSATE, _TRAIN),
    "mis_selling": _entry("财富管理部、消费者权益保护部", "Wealth Management and Consumer Protection",
                          _RESPOND, _INVESTIGATE, _COMPENSATE, _MANAGE, _TRAIN),
    "data_leak": _entry("信息科技部、法律合规部", "IT and Legal & Compliance",
                        _RESPOND, _INVESTIGATE, _APOLOGISE, _NOTIFY, _MANAGE),
    "fee_rate": _entry("个人金融部", "Retail Banking", _RESPOND, _FEES, _COMPENSATE, _MANAGE),
    "ops_loss": _entry("运营管理部", "Operations", _RESPOND, _INVESTIGATE, _COMPENSATE, _MANAGE),
    "regulatory": _entry("法律合规部", "Legal & Compliance", _RESPOND, _REMEDIATE, _INVESTIGATE, _MANAGE, _TRAIN),
    "fraud_crime": _entry("安全保卫部、法律合规部", "Security and Legal & Compliance",
                          _RESPOND, _POLICE, _WARN, _MANAGE),
    "outage": _entry("信息科技部", "IT", _RESPOND, _EXPLAIN, _APOLOGISE, _COMPENSATE, _MANAGE),
    "personnel": _entry("办公室、人力资源部", "General Office and HR", _RESPOND, _ANNOUNCE, _MONITOR),
    "default": _entry("办公室（品牌与舆情管理）", "General Office (brand and media)", _RESPOND, _INVESTIGATE, _MONITOR),
}


