"""What the rules-v6 test files share (issue 15): an invented bank and how a text is judged (the
``scorer`` fixture is in conftest.py)."""

from __future__ import annotations

from reportgen.score import Judgement, ScoreInput, Target
from reportgen.score.rules import RulesScorer

BANK = Target("jia", ("甲银行", "甲行"))  # invented: no real bank's name, so no lexicon entry contains it


def judge(scorer: RulesScorer, text: str, target: Target = BANK) -> Judgement:
    return scorer.score(ScoreInput("", text, target, ()))


def codes(judgement: Judgement) -> set[str]:
    return {c.code for c in judgement.categories}


def assert_bad_news(judgement: Judgement, code: str | None = None) -> None:
    """The judgement is negative, and carries ``code`` when one is given."""
    assert judgement.label == "negative", judgement.reasons
    if code is not None:
        assert code in codes(judgement), (codes(judgement), judgement.reasons)
