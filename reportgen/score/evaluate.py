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
- **Bank level** (rows with ``bank``, the project's ``devset/`` and a bank's own labels): the
  named bank is the target (:func:`bank_target`), the other known banks the text names are its
  co-mentions.  ``bank_negative`` is precision, recall and F1 of "negative for this bank" over
  the rows with ``negative_for_bank``.  Categories are scored over the rows with ``categories``
  as (row, code) pairs: a row's predicted codes are the judgement's categories, whatever its
  label (the scorer decides whether a category attaches).  ``none`` is not a category: it is
  dropped from both sides before the micro- and macro-F1, so a row labelled ``["none"]`` adds no
  true positive and each code the scorer tags on it is a false positive.  The macro-F1 averages
  the codes that occur in the gold labels or the predictions.  ``per_category`` reports each
  code, and ``none`` too, as a row-level check: gold ``["none"]`` against no category predicted.
"""

from __future__ import annotations

import functools
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from reportgen.score import LABELS, Judgement, ScoreInput, Scorer, Target
from reportgen.score.categories import DEFAULT_CATEGORIES
from reportgen.score.datasets import Example
from reportgen.score.match import fold

# Banks whose names and short forms occur in posts (docs/labelling.md §2): the canonical name,
# aliases that name only this bank, and short forms that are also ordinary words or another
# company's name (建设, 平安, 民生 …), used only when a label writes them.
KNOWN_BANKS: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("中国工商银行", ("工商银行", "工行", "ICBC"), ("工商", "大妈")),
    ("中国建设银行", ("建设银行", "建行", "CCB"), ("建设",)),
    ("中国农业银行", ("农业银行", "农行"), ("老农",)),
    ("中国银行", ("中行",), ()),
    ("交通银行", ("交行", "BOCOM"), ("交通",)),
    ("中国邮政储蓄银行", ("邮储银行", "邮政储蓄银行", "邮储", "PSBC"), ("邮政储蓄", "邮政")),
    ("招商银行", ("招行",), ("招商",)),
    ("浦发银行", ("上海浦东发展银行", "浦发", "SPDB"), ()),
    ("中国民生银行", ("民生银行",), ("民生",)),
    ("兴业银行", (), ("兴业",)),
    ("中信银行", (), ("中信",)),
    ("中国光大银行", ("光大银行",), ("光大",)),
    ("华夏银行", (), ("华夏",)),
    ("广发银行", (), ("广发",)),
    ("平安银行", (), ("平安",)),
)
# Longer names that contain a bank's name or short form but are not the bank (docs/labelling.md
# §2): given as co-mentions, their spans are not the target's (the rules' longest-name rule).
NOT_THE_BANK: tuple[str, ...] = (
    "中国银行业协会", "中国银行保险监督管理委员会", "中国银行业监督管理委员会", "中国银行间市场交易商协会",
    "中国银行保险报", "中信证券", "中信建投", "中信信托", "光大证券", "光大集团", "光大信托", "民生加银",
    "民生信托", "华夏基金", "华夏幸福", "广发证券", "广发基金", "平安普惠", "平安保险", "平安人寿", "平安产险",
    "平安好医生", "中国平安", "招商证券", "招商局", "兴业证券", "兴业基金", "法国兴业银行", "浦发硅谷银行",
    "中国邮政集团", "民生工程", "民生红包", "发扬光大", "建设工程",
)


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
    bank: BinaryScores | None = None  # bank level: negative for the named bank
    categories: dict[str, BinaryScores] = field(default_factory=dict)  # bank level: code → counts, "none" too
    category_support: dict[str, int] = field(default_factory=dict)  # gold rows with each code

    @property
    def category_micro_f1(self) -> float:
        real = [s for code, s in self.categories.items() if code != "none"]
        return BinaryScores(sum(s.tp for s in real), sum(s.fp for s in real), sum(s.fn for s in real)).f1

    @property
    def category_macro_f1(self) -> float:
        real = [s.f1 for code, s in self.categories.items() if code != "none" and s.tp + s.fp + s.fn]
        return sum(real) / len(real) if real else 0.0

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
        if self.bank is not None:
            out["bank_negative"] = _prf(self.bank)
        if self.categories:
            out["category_micro_f1"] = round(self.category_micro_f1, 4)
            out["category_macro_f1"] = round(self.category_macro_f1, 4)
            out["per_category"] = {code: _prf(s) | {"support": self.category_support.get(code, 0)}
                                   for code, s in self.categories.items()}
        out["confusion"] = self.confusion
        return out


def _prf(s: BinaryScores) -> dict[str, float]:
    return {"precision": round(s.precision, 4), "recall": round(s.recall, 4), "f1": round(s.f1, 4)}


def entity_inputs(example: Example) -> list[ScoreInput]:
    """One input per listed entity, the other entities as co-mentions."""
    targets = [Target(e, (e,)) for e in example.entities]
    return [ScoreInput(example.title, example.text, t, tuple(o for o in targets if o is not t)) for t in targets]


@functools.lru_cache(maxsize=1024)
def bank_target(bank: str) -> Target:
    """The target for a bank written as a label writes it: that string, plus the bank's canonical
    name and unambiguous aliases when it is a known bank (招行 → 招商银行, 招行).  The key is the
    canonical name when known, the string otherwise."""
    wanted = fold(bank)
    for canonical, aliases, short_forms in KNOWN_BANKS:
        if wanted in {fold(n) for n in (canonical, *aliases, *short_forms)}:
            names = tuple(dict.fromkeys((bank, canonical, *aliases)))
            return Target(canonical, names)
    return Target(bank, (bank,))


def bank_input(example: Example) -> ScoreInput:
    """A bank-level row as scorer input: the named bank is the target; the other known banks the
    text names (by a short form too: 中信 beside 招行 in a card forum), and names that share the
    target bank's letters but are not it (中信证券, 平安普惠), are co-mentions."""
    assert example.bank is not None
    target = bank_target(example.bank)
    folded = fold(example.title + "\n" + example.text)
    # the spans of names that are not banks, so that 平安 inside 平安普惠 is no mention of 平安银行
    not_banks = [(m.start(), m.start() + len(k)) for k in map(fold, NOT_THE_BANK) for m in _finditer(folded, k)]
    others: list[Target] = []
    mine: tuple[str, ...] = ()
    for canonical, aliases, short_forms in KNOWN_BANKS:
        names = (canonical, *aliases, *short_forms)
        if canonical == target.key:
            mine = names
        else:
            named = [n for n in names if _named(folded, fold(n), not_banks)]
            if named:
                known = bank_target(canonical)
                others.append(Target(known.key, tuple(dict.fromkeys((*known.names, *named)))))
    own = {fold(n) for n in (*target.names, *mine)}
    for name in NOT_THE_BANK:
        key = fold(name)
        if key in folded and any(n in key and n != key for n in own):
            others.append(Target(name, (name,)))
    return ScoreInput(example.title, example.text, target, tuple(others))


def _finditer(text: str, key: str) -> list[re.Match[str]]:
    return list(re.finditer(re.escape(key), text))


def _named(folded: str, name: str, not_banks: Sequence[tuple[int, int]]) -> bool:
    """Does ``name`` occur outside every span of a name that is not a bank?"""
    return any(not any(s <= m.start() and m.end() <= e for s, e in not_banks) for m in _finditer(folded, name))


def keep_longest(entities: Sequence[str]) -> set[str]:
    """FinNSP's convention: drop an entity that is a substring of another one in the set."""
    return {e for e in entities if not any(e != o and e in o for o in entities)}


def evaluate(scorer: Scorer, examples: Sequence[Example], *, keep_mistakes: int = 0) -> EvalReport:
    """Score every example and compute the metrics its labels allow."""
    inputs: list[ScoreInput] = []
    spans: list[tuple[int, int]] = []  # example → its slice of inputs
    for ex in examples:
        start = len(inputs)
        if ex.bank is not None:
            inputs.append(bank_input(ex))
        elif ex.entities and (ex.key_entities is not None or ex.negative is not None):
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
    bank_rows: list[tuple[Example, Judgement]] = []
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
        if ex.bank is not None:
            bank_rows.append((ex, js[0]))
    if bank_rows:
        _bank_level(report, bank_rows, keep_mistakes)
    if labelled_items:
        report.item = BinaryScores(*item)
        report.confusion = {"negative": {"negative": item[0], "not_negative": item[2]},
                            "not_negative": {"negative": item[1], "not_negative": item[3]}}
    if labelled_entities:
        report.entity = BinaryScores(*entity)
    if gold_labels:
        _three_class(report, gold_labels, predicted_labels)
    return report


def _bank_level(report: EvalReport, rows: Sequence[tuple[Example, Judgement]], keep_mistakes: int) -> None:
    """Negative for the named bank, and its categories (see the module docstring)."""
    negative = [0, 0, 0, 0]  # tp fp fn tn
    counts: dict[str, list[int]] = {}  # code → tp fp fn
    support: dict[str, int] = {}
    labelled_negative = False
    for ex, j in rows:
        predicted_negative = j.label == "negative"
        wrong = False
        if ex.negative_for_bank is not None:
            labelled_negative = True
            gold = ex.negative_for_bank
            negative[0 if predicted_negative and gold else 1 if predicted_negative else 2 if gold else 3] += 1
            wrong = predicted_negative != gold
        if ex.categories is not None:
            gold_codes = set(ex.categories) - {"none"}
            predicted_codes = set(j.category_codes) - {"none"}
            for code in ex.categories:
                support[code] = support.get(code, 0) + 1
            for code in gold_codes | predicted_codes:
                c = counts.setdefault(code, [0, 0, 0])
                c[0 if code in gold_codes and code in predicted_codes else 1 if code in predicted_codes else 2] += 1
            none = counts.setdefault("none", [0, 0, 0])
            if not gold_codes or not predicted_codes:
                none[0 if not gold_codes and not predicted_codes else 1 if not predicted_codes else 2] += 1
            wrong = wrong or gold_codes != predicted_codes
        if wrong and len(report.mistakes) < keep_mistakes:
            report.mistakes.append({
                "id": ex.id, "bank": ex.bank, "gold": ex.negative_for_bank, "predicted": predicted_negative,
                "gold_categories": list(ex.categories or ()), "predicted_categories": list(j.category_codes),
                "score": j.score, "text": (ex.title + " | " + ex.text if ex.title else ex.text)[:200],
                "reasons": [r.term + (f" ({r.note})" if r.note else "") for r in j.reasons],
                "category_terms": {c.code: list(c.terms) for c in j.categories}})
    if labelled_negative:
        report.bank = BinaryScores(*negative)
        if report.item is None and not report.confusion:
            report.confusion = {"negative": {"negative": negative[0], "not_negative": negative[2]},
                                "not_negative": {"negative": negative[1], "not_negative": negative[3]}}
    order = {cat.code: n for n, cat in enumerate(DEFAULT_CATEGORIES)}
    for code in sorted(counts, key=lambda c: (c == "none", order.get(c, len(order)), c)):
        report.categories[code] = BinaryScores(*counts[code])
    report.category_support = support


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
