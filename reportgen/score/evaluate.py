"""Scoring a scorer: the metrics ``reportgen eval`` prints.

Definitions (the same for every backend):

- **Item level** (rows with ``negative`` or ``key_entities``): each listed entity is judged as a
  target, the others being its co-mentions; the item is predicted negative when any entity is.
  Rows without entities are judged as a whole.  Precision, recall and F1 are for "negative".
- **Entity level** (rows with ``key_entities``): the predicted negative entities against
  ``key_entities``, micro-averaged over (row, entity) pairs.  FinNSP's labelling convention is
  applied to the predictions: when one predicted entity is a substring of another (融资网 in
  东方融资网), only the longer one is kept.
- **3-class** (rows with ``label``): accuracy and macro-F1 over negative / neutral / positive,
  the text judged as a whole.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from reportgen.score import LABELS, ScoreInput, Scorer, Target
from reportgen.score.datasets import Example


@dataclass(frozen=True, slots=True)
class BinaryScores:
    tp: int
    fp: int
    fn: int
    tn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(slots=True)
class EvalReport:
    scorer: str
    version: str
    rows: int
    seconds: float
    item: BinaryScores | None = None
    entity: BinaryScores | None = None
    accuracy: float | None = None
    macro_f1: float | None = None
    per_class_f1: dict[str, float] = field(default_factory=dict)
    confusion: dict[str, dict[str, int]] = field(default_factory=dict)  # gold → predicted → count
    mistakes: list[dict[str, Any]] = field(default_factory=list)

    @property
    def items_per_s(self) -> float:
        return self.rows / self.seconds if self.seconds > 0 else 0.0

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"scorer": self.scorer, "version": self.version, "rows": self.rows,
                               "items_per_s": round(self.items_per_s, 1)}
        if self.item is not None:
            out |= {"item_precision": round(self.item.precision, 4), "item_recall": round(self.item.recall, 4),
                    "item_f1": round(self.item.f1, 4)}
        if self.entity is not None:
            out |= {"entity_precision": round(self.entity.precision, 4),
                    "entity_recall": round(self.entity.recall, 4), "entity_f1": round(self.entity.f1, 4)}
        if self.accuracy is not None:
            out |= {"accuracy": round(self.accuracy, 4), "macro_f1": round(self.macro_f1 or 0.0, 4),
                    "per_class_f1": {k: round(v, 4) for k, v in self.per_class_f1.items()}}
        out["confusion"] = self.confusion
        return out


def entity_inputs(example: Example) -> list[ScoreInput]:
    """One input per listed entity, the other entities as co-mentions."""
    targets = [Target(e, (e,)) for e in example.entities]
    return [ScoreInput(example.title, example.text, t, tuple(o for o in targets if o is not t)) for t in targets]


def keep_longest(entities: Sequence[str]) -> set[str]:
    """FinNSP's convention: drop an entity that is a substring of another one in the set."""
    return {e for e in entities if not any(e != o and e in o for o in entities)}


def evaluate(scorer: Scorer, examples: Sequence[Example], *, keep_mistakes: int = 0) -> EvalReport:
    """Score every example and compute the metrics its labels allow."""
    inputs: list[ScoreInput] = []
    spans: list[tuple[int, int]] = []  # example → its slice of inputs
    for ex in examples:
        start = len(inputs)
        if ex.entities and (ex.key_entities is not None or ex.negative is not None):
            inputs.extend(entity_inputs(ex))
        else:
            inputs.append(ScoreInput(ex.title, ex.text, Target("", ())))
        spans.append((start, len(inputs)))
    began = time.perf_counter()
    judgements = scorer.score_many(inputs)
    seconds = time.perf_counter() - began
    report = EvalReport(scorer.name, scorer.version, len(examples), seconds)

    item = [0, 0, 0, 0]  # tp fp fn tn
    entity = [0, 0, 0]
    labelled_items = labelled_entities = False
    gold_labels: list[str] = []
    predicted_labels: list[str] = []
    for ex, (start, end) in zip(examples, spans, strict=True):
        js = judgements[start:end]
        if ex.negative is not None:
            labelled_items = True
            if ex.entities:
                negatives = keep_longest([inp.target.key for inp, j in zip(inputs[start:end], js, strict=True)
                                          if j.label == "negative"])
            else:
                negatives = {""} if js[0].label == "negative" else set()
            predicted = bool(negatives)
            gold = bool(ex.negative)
            item[0 if predicted and gold else 1 if predicted else 2 if gold else 3] += 1
            if ex.key_entities is not None and ex.entities:
                labelled_entities = True
                gold_set = set(ex.key_entities)
                entity[0] += len(negatives & gold_set)
                entity[1] += len(negatives - gold_set)
                entity[2] += len(gold_set - negatives)
            if keep_mistakes and predicted != gold and len(report.mistakes) < keep_mistakes:
                report.mistakes.append({"id": ex.id, "gold": ex.negative, "key_entities": list(ex.key_entities or ()),
                                        "predicted": sorted(negatives), "text": (ex.title + " | " + ex.text)[:200],
                                        "reasons": [r.term for j in js for r in j.reasons[:4]]})
        if ex.label is not None:
            gold_labels.append(ex.label)
            predicted_labels.append(js[0].label)
    if labelled_items:
        report.item = BinaryScores(*item)
        report.confusion = {"negative": {"negative": item[0], "not_negative": item[2]},
                            "not_negative": {"negative": item[1], "not_negative": item[3]}}
    if labelled_entities:
        report.entity = BinaryScores(*entity)
    if gold_labels:
        _three_class(report, gold_labels, predicted_labels)
    return report


def _three_class(report: EvalReport, gold: Sequence[str], predicted: Sequence[str]) -> None:
    confusion = {g: {p: 0 for p in LABELS} for g in LABELS}
    for g, p in zip(gold, predicted, strict=True):
        confusion[g][p] += 1
    report.confusion = confusion
    report.accuracy = sum(confusion[c][c] for c in LABELS) / len(gold)
    f1s = {}
    for c in LABELS:
        tp = confusion[c][c]
        fp = sum(confusion[g][c] for g in LABELS if g != c)
        fn = sum(confusion[c][p] for p in LABELS if p != c)
        f1s[c] = BinaryScores(tp, fp, fn).f1
    present = [c for c in LABELS if any(confusion[c].values()) or any(confusion[g][c] for g in LABELS)]
    report.per_class_f1 = f1s
    report.macro_f1 = sum(f1s[c] for c in present) / len(present) if present else 0.0
