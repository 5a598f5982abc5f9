"""Config → scorer, and stored mentions → scorer inputs and back to store rows."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from reportgen.config.core import BankConfig
from reportgen.config.scoring import ScoringSettings
from reportgen.score import Judgement, ScoreInput, Scorer, Target
from reportgen.score.rules import RulesScorer


def make_scorer(settings: ScoringSettings) -> Scorer:
    """The configured backend.  The model backend still takes its reasons from the rules."""
    rules = RulesScorer(settings.category_rules(), extra_terms=dict(settings.terms))
    if settings.backend == "model":
        # the model: numpy arrays of a trained file, only when one is configured
        from reportgen.score.model import ModelScorer

        assert settings.model is not None  # guaranteed by config validation
        return ModelScorer(settings.model, rules=rules)
    return rules


def bank_target(bank_id: str, banks: Mapping[str, BankConfig]) -> Target:
    bank = banks.get(bank_id)
    # A bank removed from the config keeps its stored mentions; judge those on the whole text.
    return Target(bank_id, bank.terms if bank else ())


def mention_input(row: Mapping[str, Any], banks: Mapping[str, BankConfig]) -> ScoreInput:
    """A stored mention (``Store.mentions_to_score`` row) as a scorer input."""
    others = tuple(bank_target(b, banks) for b in row["banks"] if b != row["bank_id"])
    return ScoreInput(row["title"] or "", row["summary"] or "", bank_target(row["bank_id"], banks), others)


def score_row(item_id: str, bank_id: str, judgement: Judgement, scored_at: datetime) -> dict[str, Any]:
    return {
        "item_id": item_id, "bank_id": bank_id, "scorer": judgement.scorer, "version": judgement.version,
        "label": judgement.label, "score": judgement.score,
        "categories": json.dumps([{"code": c.code, "terms": list(c.terms), "clause": c.clause}
                                  for c in judgement.categories], ensure_ascii=False),
        "reasons": json.dumps([{"term": r.term, "weight": r.weight, "where": r.where, "clause": r.clause,
                                "note": r.note} for r in judgement.reasons], ensure_ascii=False),
        "scored_at": scored_at,
    }


def score_rows(scorer: Scorer, rows: Sequence[Mapping[str, Any]], banks: Mapping[str, BankConfig],
               scored_at: datetime) -> list[dict[str, Any]]:
    judgements = scorer.score_many([mention_input(r, banks) for r in rows])
    return [score_row(r["item_id"], r["bank_id"], j, scored_at) for r, j in zip(rows, judgements, strict=True)]
