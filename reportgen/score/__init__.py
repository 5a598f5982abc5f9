"""Judgement: is this item bad news for *this* bank?

A scorer looks at one item and one target (a configured bank, or an entity name in the
evaluation sets) and returns a :class:`Judgement`: a label, a score in [-1, 1], the risk
categories that fired, and the reasons (terms and clauses) that decided it.

Backends:

- ``rules`` (:mod:`.rules`), the default: a lexicon the project wrote for bank news, with
  negation, degree words, clause targeting and bystander roles.  Offline, explainable, no extra
  dependency.
- ``model`` (:mod:`.model`): a target-aware linear model trained with ``reportgen model train``
  (scikit-learn, the ``ml`` extra, is needed only to *train*).  It makes the call; the rules
  backend still supplies the categories and the reasons shown to readers.

Scores are stored per mention together with the scorer's ``version``; a change of backend, model
file, lexicon or category rules changes the version, and stored scores are recomputed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple, Protocol

LABELS = ("negative", "neutral", "positive")
WHERE = ("title", "body")


@dataclass(frozen=True, slots=True)
class Target:
    """Whom the judgement is about: a key (bank id or entity) and the names that refer to it.

    An empty ``names`` asks for a judgement of the text as a whole (FinFE-style posts).
    """

    key: str
    names: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ScoreInput:
    title: str
    text: str
    target: Target
    others: tuple[Target, ...] = ()  # the other banks or entities mentioned in the same item


class Reason(NamedTuple):
    """One piece of evidence: a term, the clause it sits in, and what it contributed.

    A named tuple, not a frozen dataclass: a scorer builds several per judgement, and frozen
    dataclasses are several times slower to construct."""

    term: str
    weight: float  # signed contribution to the score before squashing; 0 for notes
    where: str  # "title" | "body" | "model"
    clause: str = ""
    note: str = ""  # e.g. "negated by 否认", "bystander: 存管银行", "×1.5 (严重)"


class CategoryHit(NamedTuple):
    code: str
    terms: tuple[str, ...]  # the terms that fired
    clause: str  # the first clause they fired in, for the reader


@dataclass(frozen=True, slots=True)
class Judgement:
    label: str  # one of LABELS
    score: float  # [-1, 1]; negative is bad news for the target
    categories: tuple[CategoryHit, ...] = ()
    reasons: tuple[Reason, ...] = ()
    scorer: str = ""  # "rules" | "model"
    version: str = ""  # changes whenever the answers could change
    probabilities: dict[str, float] = field(default_factory=dict)  # model backend only

    @property
    def category_codes(self) -> tuple[str, ...]:
        return tuple(c.code for c in self.categories)


class Scorer(Protocol):
    name: str
    version: str

    def score(self, inp: ScoreInput) -> Judgement: ...

    def score_many(self, inputs: Sequence[ScoreInput]) -> list[Judgement]: ...


def clamp(x: float) -> float:
    return -1.0 if x < -1.0 else 1.0 if x > 1.0 else x
