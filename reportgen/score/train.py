"""``reportgen model train``: fit the heads of the trained backend and write a model file.

Three linear heads, each trained only from the rows that label it:

``target`` (rows with ``entities`` + ``key_entities``, FinNSP style)
    Is this item bad news for *this* entity?  One example per (row, entity), features from
    :mod:`.features` (text n-grams, n-grams around the marked target, target names, structure).
``item`` (rows with ``negative``)
    Is the item negative about any of its entities?  Text n-grams only.  The target head's call
    is combined with it: a target is negative when its own score is high, or when the item is
    negative and the target's score is not low.  The three cut-offs are chosen by cross-validation
    on the training rows, maximizing item F1 + entity F1 (FinNSP's substring convention applied,
    as the evaluation does).  p(negative) is a logistic fit of the combined score on the
    out-of-fold values; the decision threshold is where the combined score crosses zero.
``polarity`` (rows with ``label``, FinFE style)
    Three-class sentiment of the text as a whole; per-class offsets chosen by cross-validation
    for macro-F1 (the neutral class is the hard one).  The sum of two linear SVMs over the text
    block: a plain one, and an NB-SVM (the features scaled by each class's naive-Bayes log-count
    ratio, Wang & Manning 2012), whose coefficients fold back onto the text block, so the head is
    one linear map and scoring is unchanged (:class:`_NBSVMSum`; CV macro-F1 on FinFE train
    0.663 → 0.675).
``bank`` (rows with ``bank`` + ``negative_for_bank``: the project's devset, a bank's own labels,
analyst corrections)
    Is the item bad news for *this bank*?  Logistic regression over the text, a wider marked
    window around the bank (``bank_window``), the structural features and the rules' verdict
    (:data:`.features.RULE_FEATURES`); the regularization and the decision threshold are chosen by
    cross-validation for F1.  At scoring time it judges every target that is a bank.  The summary
    gives the rules' own F1 on the same rows beside the head's CV F1 (``rules_f1``): when the rules
    were written from those rows, the head learns to trust their verdict and both figures overstate
    held-out F1 (the devset's train split: CV 0.89, rules alone 0.89; held-out split 0.73).
``categories`` (rows with ``bank`` + ``categories``)
    One logistic decision per risk category with enough examples (:data:`MIN_CODE_ROWS`), on the
    same features, each with a threshold chosen by cross-validation for F1.  The neutral codes
    (performance, personnel) learn from every row, the others from the rows that are bad news for
    the bank, since they are only ever attached to those.

Only the coefficients come from scikit-learn (LinearSVC, LogisticRegression); features are computed by
:mod:`.features`, the same code that serves them, so inference needs numpy only.  Cross-validation
folds are split by row (the bank-level heads keep the rows of one text, judged for two banks, in one
fold) and run two at a time (liblinear releases the GIL).  The vocabularies are
learnt once from all training rows, a small optimism in the CV figures that keeps training fast.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import time
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from os import PathLike
from pathlib import Path
from typing import Any

import numpy as np

from reportgen import __version__
from reportgen.errors import DataError, ReportgenError
from reportgen.score import LABELS, ScoreInput
from reportgen.score.categories import NEUTRAL_CATEGORIES
from reportgen.score.datasets import Example, load_examples
from reportgen.score.evaluate import bank_input
from reportgen.score.features import (
    RULE_CODES,
    RULE_FEATURES,
    STRUCT,
    Block,
    combine,
    find_mentions,
    input_views,
    name_key,
    name_keys,
    rule_features,
    target_view,
    text_keys,
    window_keys,
)
from reportgen.score.modelfile import FORMAT_VERSION, encode_array, save_model
from reportgen.score.rules import RulesScorer

log = logging.getLogger(__name__)

WINDOW, MIN_DF, MAX_CHARS = 8, 2, 256
FEATURIZER: dict[str, Any] = {"name": "charngram", "version": 1, "ngram": [1, 3], "window": WINDOW, "min_df": MIN_DF,
                              "max_chars": MAX_CHARS}
C_TARGET, C_ITEM, C_POLARITY = 0.5, 1.0, 0.3
C_POLARITY_NB = 0.05  # the polarity head's NB-SVM half (chosen with C_POLARITY by 4-fold CV on FinFE train)
BANK_WINDOW = 16  # characters each side of the bank: short posts put the cue a few characters away
C_BANK_GRID = (0.3, 1.0, 3.0, 10.0)  # logistic regression's C for the bank-level heads, chosen by CV
CV_TOLERANCE = 0.005  # F1 within this of the best counts as a tie: the stronger penalty wins (_binary_head)
MIN_CODE_ROWS = 5  # a category with fewer positive rows gets no head: the rules tag it


@dataclass(slots=True)
class TrainSummary:
    out: str
    sha256: str
    seconds: float
    files: list[dict[str, Any]]
    heads: dict[str, dict[str, Any]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"out": self.out, "sha256": self.sha256, "format_version": FORMAT_VERSION,
                "seconds": round(self.seconds, 2), "files": self.files, "heads": self.heads}


def _sklearn() -> Any:
    try:
        import scipy.sparse  # noqa: F401
        from sklearn import svm
    except ImportError:
        raise ReportgenError("training needs scikit-learn: pip install 'reportgen[ml]'") from None
    return svm


def _fit_block(keys: np.ndarray, owner: np.ndarray, n: int) -> tuple[Block, Any]:
    """Learn a block's vocabulary and return it with the training matrix."""
    import scipy.sparse as sp  # optional: scipy (with the ml extra), only for training

    block = Block.fit(keys, owner, n, min_df=MIN_DF)
    row, col, val = block.transform(keys, owner, n)
    return block, sp.csr_matrix((val, (row, col)), shape=(n, len(block)))


def _folds(n: int, k: int, seed: int, y: np.ndarray | None = None,
           groups: np.ndarray | None = None) -> list[tuple[np.ndarray, np.ndarray]]:
    """k folds over n rows: stratified by ``y`` when given, and rows of one ``group`` kept in one fold."""
    # optional: scikit-learn (the ml extra), only for training
    from sklearn.model_selection import KFold, StratifiedGroupKFold, StratifiedKFold

    if y is not None and groups is not None and len(np.unique(groups)) < n:
        return list(StratifiedGroupKFold(k, shuffle=True, random_state=seed).split(np.zeros(n), y, groups))
    if y is not None:
        return list(StratifiedKFold(k, shuffle=True, random_state=seed).split(np.zeros(n), y))
    return list(KFold(k, shuffle=True, random_state=seed).split(np.zeros(n)))


def _oof(make: Callable[[], Any], X: Any, y: np.ndarray, folds: Sequence[tuple[np.ndarray, np.ndarray]],
         pool: ThreadPoolExecutor) -> tuple[np.ndarray, Any]:
    """Out-of-fold decision values, and the model refit on everything."""
    def fit(idx: np.ndarray | None) -> Any:
        return make().fit(X if idx is None else X[idx], y if idx is None else y[idx])

    jobs = [pool.submit(fit, a) for a, _ in folds] + [pool.submit(fit, None)]
    oof: np.ndarray | None = None
    for (_, b), job in zip(folds, jobs, strict=False):
        d = job.result().decision_function(X[b])
        if oof is None:
            oof = np.zeros((X.shape[0],) + d.shape[1:])
        oof[b] = d
    assert oof is not None
    return oof, jobs[-1].result()


def _f1(pred: np.ndarray, gold: np.ndarray) -> float:
    tp = float(np.sum(pred & gold))
    denom = float(np.sum(pred) + np.sum(gold))
    return 2 * tp / denom if denom else 0.0


def _sigmoid_fit(z: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    from sklearn.linear_model import LogisticRegression  # optional: scikit-learn (the ml extra), only for training

    lr = LogisticRegression(C=100.0).fit(z.reshape(-1, 1), y)
    return float(lr.coef_[0, 0]), float(lr.intercept_[0])


# --- the FinNSP-style heads ---------------------------------------------------------------------------------


def _train_entity_heads(rows: Sequence[Example], docs: Sequence[tuple[str, int]], X_text: Any, folds_k: int,
                        seed: int, pool: ThreadPoolExecutor,
                        svm: Any) -> tuple[dict[str, Any], dict[str, dict[str, Any]], dict[str, Any]]:
    """Item head (+ target head when rows have entity labels) → (blocks, heads, cv report)."""
    y_item = np.array([ex.negative for ex in rows], dtype=np.int64)
    row_folds = _folds(len(rows), folds_k, seed, y_item)
    item_oof, item_model = _oof(lambda: svm.LinearSVC(C=C_ITEM, random_state=seed), X_text, y_item, row_folds, pool)
    # the item-only decision (judging a text as a whole): an offset for item F1
    offsets = np.round(np.arange(-0.5, 0.51, 0.05), 2)
    item_offset = float(max(offsets, key=lambda o: _f1(item_oof > o, y_item == 1)))
    item_k, item_k0 = _sigmoid_fit(item_oof - item_offset, y_item)
    blocks: dict[str, Any] = {}
    heads: dict[str, dict[str, Any]] = {"item": {
        "blocks": ["text"], "coef": {"text": item_model.coef_[0]}, "intercept": float(item_model.intercept_[0]),
        "offset": item_offset, "calibration": [item_k, item_k0]}}
    cv: dict[str, Any] = {"item_head_f1": round(_f1(item_oof > item_offset, y_item == 1), 4)}

    entity_rows = [i for i, ex in enumerate(rows) if ex.key_entities is not None and ex.entities]
    if not entity_rows:
        return blocks, heads, cv
    pair_row: list[int] = []
    pair_y: list[int] = []
    views = []
    names: list[str] = []
    for i in entity_rows:
        ex = rows[i]
        doc, title_end = docs[i]
        keys = [name_key(e) for e in ex.entities]
        mentions = find_mentions(doc, title_end, keys)
        for ent, key in zip(ex.entities, keys, strict=True):
            views.append(target_view(mentions, (key,), [k for k in keys if k != key], WINDOW))
            pair_row.append(i)
            pair_y.append(int(ent in (ex.key_entities or ())))
            names.append(ent)
    prow = np.array(pair_row, dtype=np.int64)
    y_pair = np.array(pair_y, dtype=np.int64)
    if y_pair.min() == y_pair.max():
        raise DataError("the `key_entities` rows name no key entity at all (or every entity is one); "
                        "the target head needs both kinds")
    window_block, X_win = _fit_block(*window_keys(views), len(views))
    name_block, X_name = _fit_block(*name_keys(views), len(views))
    import scipy.sparse as sp  # optional: scipy (with the ml extra), only for training

    X_pair = sp.hstack([X_text[prow], X_win, X_name, sp.csr_matrix(np.array([v.struct for v in views]))]).tocsr()
    fold_of = np.zeros(len(rows), dtype=np.int64)
    for k, (_, b) in enumerate(row_folds):
        fold_of[b] = k
    pair_folds = [(np.flatnonzero(fold_of[prow] != k), np.flatnonzero(fold_of[prow] == k))
                  for k in range(len(row_folds))]
    t_oof, t_model = _oof(lambda: svm.LinearSVC(C=C_TARGET, random_state=seed), X_pair, y_pair, pair_folds, pool)
    rule, rule_cv = _tune_rule(t_oof, item_oof[prow], prow, names, y_pair, y_item)
    z = _rule_z(t_oof, item_oof[prow], rule)
    slope, offset = _sigmoid_fit(z, y_pair)
    cuts = np.cumsum([0, X_text.shape[1], len(window_block), len(name_block)])
    coef = t_model.coef_[0]
    heads["target"] = {
        "blocks": ["text", "window", "name"],
        "coef": {"text": coef[cuts[0]:cuts[1]], "window": coef[cuts[1]:cuts[2]], "name": coef[cuts[2]:cuts[3]]},
        "struct": list(STRUCT), "struct_coef": coef[cuts[3]:], "intercept": float(t_model.intercept_[0]),
        "rule": rule, "calibration": [slope, offset]}
    blocks |= {"window": window_block, "name": name_block}
    cv |= rule_cv | {"target_pairs": len(y_pair)}
    return blocks, heads, cv


def _rule_z(t: np.ndarray, i: np.ndarray, rule: dict[str, float]) -> np.ndarray:
    """Negative about the target iff z > 0: its own score is high, or the item is negative and it is not low."""
    return np.maximum(t - rule["a"], np.minimum(i - rule["b"], t - rule["c"]))


def _tune_rule(t: np.ndarray, i: np.ndarray, prow: np.ndarray, names: Sequence[str], y_pair: np.ndarray,
               y_item: np.ndarray) -> tuple[dict[str, float], dict[str, float]]:
    # FinNSP's convention, as the evaluation applies it: a predicted entity inside another predicted one is dropped
    sub_k: list[int] = []
    sup_j: list[int] = []
    start = 0
    while start < len(prow):
        end = start
        while end < len(prow) and prow[end] == prow[start]:
            end += 1
        for k in range(start, end):
            for j in range(start, end):
                if names[k] != names[j] and names[k] in names[j]:
                    sub_k.append(k)
                    sup_j.append(j)
        start = end
    sk, sj = np.array(sub_k, dtype=np.int64), np.array(sup_j, dtype=np.int64)
    rows_with_pairs = np.unique(prow)
    gold_items = y_item[rows_with_pairs] == 1
    row_index = np.searchsorted(rows_with_pairs, prow)

    def score(pred: np.ndarray) -> tuple[float, float]:
        drop = np.zeros(len(pred), dtype=bool)
        np.logical_or.at(drop, sk, pred[sj])
        final = pred & ~drop
        items = np.bincount(row_index, weights=final, minlength=len(rows_with_pairs)) > 0
        return _f1(items, gold_items), _f1(final, y_pair == 1)

    best: tuple[float, dict[str, float], tuple[float, float]] | None = None
    for a in (0.0, 0.25, 0.5, 0.75, 1.0, 99.0):
        for b in np.round(np.arange(-0.4, 0.21, 0.1), 2):
            for c in np.round(np.arange(-0.8, 0.01, 0.1), 2):
                rule = {"a": a, "b": float(b), "c": float(c)}
                f_item, f_ent = score(_rule_z(t, i, rule) > 0)
                if best is None or f_item + f_ent > best[0] + 1e-9:
                    best = (f_item + f_ent, rule, (f_item, f_ent))
    assert best is not None
    base_item, base_ent = score(t > 0)
    log.info("target rule %s: CV item F1 %.4f entity F1 %.4f (target head alone %.4f / %.4f)",
             best[1], *best[2], base_item, base_ent)
    return best[1], {"item_f1": round(best[2][0], 4), "entity_f1": round(best[2][1], 4),
                     "target_head_only_item_f1": round(base_item, 4),
                     "target_head_only_entity_f1": round(base_ent, 4)}


# --- the FinFE-style head -----------------------------------------------------------------------------------


class _NBSVMSum:
    """A plain LinearSVC plus an NB-SVM over the same features, folded into one linear model.

    The NB-SVM sees, for each class c, the features scaled by r_c, the log-ratio of how often each
    term is present in class c against the other classes (add-one smoothed); a linear decision over
    those blocks is ``X @ sum_c(r_c * W_c)``, so ``coef_`` is an ordinary coefficient matrix over X.
    The ratios are learnt inside ``fit``, so out-of-fold decisions never see the held-out labels.
    """

    def __init__(self, svm: Any, c_plain: float, c_nb: float, seed: int) -> None:
        self.svm, self.c_plain, self.c_nb, self.seed = svm, c_plain, c_nb, seed
        self.coef_: np.ndarray = np.zeros((0, 0))
        self.intercept_: np.ndarray = np.zeros(0)

    def fit(self, X: Any, y: np.ndarray) -> _NBSVMSum:
        import scipy.sparse as sp  # optional: scipy (with the ml extra), only for training

        present = (X > 0).astype(np.float64).tocsr()
        ratios = []
        for c in np.unique(y):
            p = np.asarray(present[y == c].sum(0)).ravel() + 1.0
            q = np.asarray(present[y != c].sum(0)).ravel() + 1.0
            ratios.append(np.log(p / p.sum()) - np.log(q / q.sum()))
        Z = sp.hstack([sp.csr_matrix(X.multiply(r)) for r in ratios]).tocsr()
        plain = self.svm.LinearSVC(C=self.c_plain, class_weight="balanced", random_state=self.seed).fit(X, y)
        nb = self.svm.LinearSVC(C=self.c_nb, class_weight="balanced", random_state=self.seed).fit(Z, y)
        width = X.shape[1]
        folded = sum(nb.coef_[:, k * width:(k + 1) * width] * r for k, r in enumerate(ratios))
        self.coef_ = np.asarray(plain.coef_ + folded)
        self.intercept_ = np.asarray(plain.intercept_ + nb.intercept_)
        return self

    def decision_function(self, X: Any) -> np.ndarray:
        d = np.asarray(X @ self.coef_.T) + self.intercept_
        return d.ravel() if d.shape[1] == 1 else d


def _train_polarity(rows: Sequence[Example], X: Any, folds_k: int, seed: int, pool: ThreadPoolExecutor,
                    svm: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    y = np.array([LABELS.index(ex.label or "neutral") for ex in rows], dtype=np.int64)
    present = sorted(set(y.tolist()))
    if len(present) < 2:
        raise DataError("the `label` rows need at least two different labels to train the polarity head")
    oof, model = _oof(lambda: _NBSVMSum(svm, C_POLARITY, C_POLARITY_NB, seed), X, y,
                      _folds(len(rows), folds_k, seed, y), pool)
    coef, intercept = model.coef_, model.intercept_
    if len(present) == 2:  # binary LinearSVC: one row for the second class against the first
        oof = np.stack([-oof, oof], axis=1)
        coef, intercept = np.vstack([-coef, coef]), np.array([-intercept[0], intercept[0]])
    classes = [LABELS[c] for c in present]
    bias, macro, plain = _tune_bias(oof, np.searchsorted(present, y))
    temperature = _temperature(oof + bias, np.searchsorted(present, y))
    head = {"blocks": ["text"], "classes": classes, "coef": {"text": coef},
            "intercept": intercept, "bias": bias, "temperature": temperature}
    pred = (oof + bias).argmax(1)
    cv = {"macro_f1": round(macro, 4), "macro_f1_without_offsets": round(plain, 4),
          "accuracy": round(float(np.mean(pred == np.searchsorted(present, y))), 4)}
    return head, cv


def _macro_f1(pred: np.ndarray, gold: np.ndarray, n: int) -> float:
    return float(np.mean([_f1(pred == c, gold == c) for c in range(n)]))


def _tune_bias(d: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float, float]:
    """Per-class offsets (the last class fixed at 0) that maximize out-of-fold macro-F1."""
    n = d.shape[1]
    plain = _macro_f1(d.argmax(1), y, n)
    best = (plain, np.zeros(n))
    grid = np.round(np.arange(-0.6, 0.61, 0.05), 2)
    for _ in range(2):  # coordinate ascent, twice round
        for c in range(n - 1):
            for v in grid:
                bias = best[1].copy()
                bias[c] = v
                f = _macro_f1((d + bias).argmax(1), y, n)
                if f > best[0] + 1e-9:
                    best = (f, bias)
    return best[1], best[0], plain


def _temperature(d: np.ndarray, y: np.ndarray) -> float:
    """Softmax scale of the decision values that minimizes out-of-fold log-loss."""
    def loss(k: float) -> float:
        s = k * d
        s = s - s.max(1, keepdims=True)
        logp = s - np.log(np.exp(s).sum(1, keepdims=True))
        return float(-logp[np.arange(len(y)), y].mean())
    return float(min(np.arange(0.5, 8.01, 0.25), key=loss))


# --- the bank-level heads -----------------------------------------------------------------------------------


def _logistic(C: float, seed: int) -> Any:
    from sklearn.linear_model import LogisticRegression  # optional: scikit-learn (the ml extra), only for training

    return LogisticRegression(C=C, class_weight="balanced", solver="liblinear", random_state=seed)


def best_cut(d: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """The decision threshold that maximizes F1 of ``d > cut`` against ``y`` → (cut, F1)."""
    cuts = np.unique(np.quantile(d, np.linspace(0.02, 0.98, 97)))
    if not len(cuts):
        return 0.0, 0.0
    scores = [(_f1(d > c, y == 1), -abs(float(c))) for c in cuts]  # ties: the cut nearest zero
    best = max(range(len(cuts)), key=lambda i: scores[i])
    return float(cuts[best]), scores[best][0]


def _binary_head(X: Any, y: np.ndarray, folds_k: int, seed: int, pool: ThreadPoolExecutor,
                 groups: np.ndarray | None = None) -> tuple[Any, np.ndarray, float, float, float]:
    """C by cross-validated F1 (threshold tuned per C) → (model, out-of-fold decisions, C, cut, F1).

    The most regularised C whose F1 is within ``CV_TOLERANCE`` of the best wins: on a few hundred
    rows a row or two decides between neighbours, and the weaker penalty then only trusts the
    features (the rules' verdict among them) more than held-out text bears out.  Rows of one
    ``group`` (one text judged for two banks) stay in one fold: otherwise the text's n-grams are
    learnt from one row and tested on the other."""
    folds = _folds(len(y), min(folds_k, int(min(np.bincount(y, minlength=2)))), seed, y, groups)
    tried: list[tuple[float, float, float, np.ndarray, Any]] = []
    for C in sorted(C_BANK_GRID):
        oof, model = _oof(functools.partial(_logistic, C, seed), X, y, folds, pool)
        cut, f1 = best_cut(oof, y)
        tried.append((f1, C, cut, oof, model))
    top = max(f1 for f1, *_ in tried)
    f1, C, cut, oof, model = next(t for t in tried if t[0] >= top - CV_TOLERANCE)
    return model, oof, C, cut, f1


def _bank_head_arrays(model: Any, width: dict[str, int], rules: bool) -> dict[str, Any]:
    """A fitted model's coefficients split into the bank-level layout (see model._BankLevel)."""
    coef = np.atleast_2d(model.coef_)
    bounds = np.cumsum([0, width["bank_text"], width["bank_window"], len(STRUCT),
                        len(RULE_FEATURES) if rules else 0])
    head: dict[str, Any] = {
        "blocks": ["bank_text", "bank_window"],
        "coef": {"bank_text": coef[:, bounds[0]:bounds[1]], "bank_window": coef[:, bounds[1]:bounds[2]]},
        "struct": list(STRUCT), "struct_coef": coef[:, bounds[2]:bounds[3]],
        "intercept": np.atleast_1d(model.intercept_).astype(np.float64), "window": BANK_WINDOW}
    if rules:
        head |= {"rules": list(RULE_FEATURES), "rules_coef": coef[:, bounds[3]:bounds[4]]}
    return head


def _train_bank_level(rows: Sequence[Example], docs: Sequence[tuple[str, int]], folds_k: int, seed: int,
                      pool: ThreadPoolExecutor,
                      use_rules: bool) -> tuple[dict[str, Any], dict[str, dict[str, Any]], dict[str, Any]]:
    """The ``bank`` head (rows with ``negative_for_bank``) and the ``categories`` head (rows with
    ``categories``) → (blocks, heads, cv report).

    Their text vocabulary is their own (``bank_text``, learnt from these rows): the public sets'
    heads keep theirs, so adding bank-level rows to a training run leaves those heads as they were.
    """
    import scipy.sparse as sp  # optional: scipy (with the ml extra), only for training

    inputs: list[ScoreInput] = [bank_input(ex) for ex in rows]
    text_block, X_text = _fit_block(*text_keys([d for d, _ in docs], MAX_CHARS), len(docs))
    views = input_views(inputs, docs, BANK_WINDOW)
    window_block, X_win = _fit_block(*window_keys(views), len(views))
    parts = [X_text, X_win, sp.csr_matrix(np.array([v.struct for v in views], dtype=np.float64))]
    rules_negative: np.ndarray | None = None
    if use_rules:
        verdicts = RulesScorer().score_many(inputs)
        parts.append(sp.csr_matrix(np.array([rule_features(j) for j in verdicts])))
        rules_negative = np.array([j.label == "negative" for j in verdicts])
    X = sp.hstack(parts).tocsr()
    width = {"bank_text": len(text_block), "bank_window": len(window_block)}
    seen_docs: dict[str, int] = {}
    text_group = np.array([seen_docs.setdefault(d, len(seen_docs)) for d, _ in docs], dtype=np.int64)
    heads: dict[str, dict[str, Any]] = {}
    cv: dict[str, Any] = {}

    labelled = np.array([ex.negative_for_bank is not None for ex in rows])
    y_neg = np.array([bool(ex.negative_for_bank) for ex in rows], dtype=np.int64)
    if labelled.any():
        idx = np.flatnonzero(labelled)
        y = y_neg[idx]
        if y.min() == y.max() or min(np.bincount(y)) < 2:
            raise DataError("the bank-level rows need both negative and not-negative examples (two of each at "
                            f"least) to train the bank head; found {int(y.sum())} negative of {len(y)}")
        model, oof, C, cut, f1 = _binary_head(X[idx], y, folds_k, seed, pool, text_group[idx])
        k, k0 = _sigmoid_fit(oof - cut, y)
        heads["bank"] = _bank_head_arrays(model, width, use_rules) | {
            "offset": cut, "calibration": [k, k0]}
        pred = oof > cut
        tp = float(np.sum(pred & (y == 1)))
        cv["bank"] = {"f1": round(f1, 4), "precision": round(tp / max(float(pred.sum()), 1.0), 4),
                      "recall": round(tp / max(float(y.sum()), 1.0), 4), "C": C, "rows": len(y)}
        if rules_negative is not None:
            # the rules' own F1 on the same rows, beside the head's: where the rules were written from these
            # rows the two agree and both overstate held-out F1 (the head learns to trust the rules' verdict)
            cv["bank"]["rules_f1"] = round(_f1(rules_negative[idx], y == 1), 4)

    with_codes = [i for i, ex in enumerate(rows) if ex.categories is not None]
    if with_codes:
        gold = {i: set(rows[i].categories or ()) - {"none"} for i in with_codes}
        # bad news for the bank: labelled so, or (without that label) given a category other than the neutral ones
        bad = {i for i in with_codes if rows[i].negative_for_bank
               or rows[i].negative_for_bank is None and gold[i] - NEUTRAL_CATEGORIES}
        seen = Counter(code for i in with_codes for code in gold[i])
        known = list(RULE_CODES) + sorted(set(seen) - set(RULE_CODES))
        codes: list[str] = []
        models: list[tuple[Any, float]] = []
        margins: list[np.ndarray] = []
        report: dict[str, dict[str, Any]] = {}
        for code in known:
            pool_rows = np.array(with_codes if code in NEUTRAL_CATEGORIES else sorted(bad), dtype=np.int64)
            y = np.array([code in gold[i] for i in pool_rows], dtype=np.int64)
            if int(y.sum()) < MIN_CODE_ROWS or int(len(y) - y.sum()) < MIN_CODE_ROWS:
                if seen[code]:
                    report[code] = {"rows": seen[code], "head": False}
                continue
            model, oof, C, cut, f1 = _binary_head(X[pool_rows], y, folds_k, seed, pool, text_group[pool_rows])
            codes.append(code)
            models.append((model, cut))
            margin = np.full(len(rows), -np.inf)
            margin[pool_rows] = oof - cut
            margins.append(margin)
            report[code] = {"rows": int(y.sum()), "head": True, "f1": round(f1, 4), "C": C}
        if codes:
            arrays = [_bank_head_arrays(m, width, use_rules) for m, _ in models]
            head = arrays[0]
            head["coef"] = {b: np.vstack([a["coef"][b] for a in arrays]) for b in head["coef"]}
            head["struct_coef"] = np.vstack([a["struct_coef"] for a in arrays])
            if use_rules:
                head["rules_coef"] = np.vstack([a["rules_coef"] for a in arrays])
            head["intercept"] = np.concatenate([a["intercept"] for a in arrays])
            head |= {"codes": codes, "thresholds": np.array([cut for _, cut in models]),
                     "neutral": [c for c in codes if c in NEUTRAL_CATEGORIES]}
            heads["categories"] = head
            cv["categories"] = {"per_code": report} | _code_cv(codes, np.array(margins).T, rows, with_codes, gold)
        else:
            cv["categories"] = {"per_code": report}
    return {"bank_text": text_block, "bank_window": window_block}, heads, cv


def _code_cv(codes: Sequence[str], margins: np.ndarray, rows: Sequence[Example], with_codes: Sequence[int],
             gold: dict[int, set[str]]) -> dict[str, float]:
    """Out-of-fold micro-F1 of the category heads on the rows gold-labelled negative (a row with no
    code gets the likeliest risk code, as scoring does)."""
    tp = fp = fn = 0
    for i in with_codes:
        if not rows[i].negative_for_bank:
            continue
        m = margins[i]
        chosen = {c for c, v in zip(codes, m, strict=True) if v > 0}
        if not chosen:
            finite = [(v, c) for c, v in zip(codes, m, strict=True) if c not in NEUTRAL_CATEGORIES and np.isfinite(v)]
            if finite:
                chosen.add(max(finite)[1])
        want = {c for c in gold[i] if c in codes}
        tp += len(chosen & want)
        fp += len(chosen - want)
        fn += len(want - chosen)
    return {"micro_f1_on_negative_rows": round(2 * tp / (2 * tp + fp + fn), 4) if tp else 0.0}


# --- putting it together ------------------------------------------------------------------------------------


def _encode(blocks: dict[str, Block], heads: dict[str, dict[str, Any]]) -> tuple[dict[str, Any], dict[str, Any]]:
    enc_blocks = {name: {"keys": encode_array(b.keys, "<u8"), "idf": encode_array(b.idf)} for name, b in blocks.items()}
    enc_heads: dict[str, Any] = {}
    for name, head in heads.items():
        h = dict(head)
        h["coef"] = {b: encode_array(np.asarray(c)) for b, c in head["coef"].items()}
        for key in ("struct_coef", "intercept", "bias", "rules_coef", "thresholds"):
            if isinstance(h.get(key), np.ndarray):
                h[key] = encode_array(h[key])
        enc_heads[name] = h
    return enc_blocks, enc_heads


def train_model(data: Sequence[str | PathLike[str]], out: str | PathLike[str], *, folds: int = 4,
                seed: int = 0, extra: Sequence[Example] = (), extra_name: str = "store",
                use_rules: bool = True) -> TrainSummary:
    """Train every head the data labels, write the model file to ``out``, and summarize.

    ``extra`` are labelled rows from elsewhere (analyst corrections read from the store, named
    ``extra_name`` in the summary); ``use_rules`` lets the bank-level heads read the rules' verdict.
    """
    svm = _sklearn()
    began = time.perf_counter()
    if not data and not extra:
        raise DataError("no training data given", hint="pass --data FILE.jsonl")
    files: list[dict[str, Any]] = []
    entity_rows: list[Example] = []
    polarity_rows: list[Example] = []
    bank_rows: list[Example] = []
    sources: list[tuple[str, list[Example], bytes | None]] = [
        (str(p), load_examples(p), Path(p).read_bytes()) for p in data]
    if extra:
        sources.append((extra_name, list(extra), None))
    for name, examples, raw in sources:
        nsp = [ex for ex in examples if ex.negative is not None]
        fe = [ex for ex in examples if ex.label is not None]
        banks = [ex for ex in examples if ex.bank is not None
                 and (ex.negative_for_bank is not None or ex.categories is not None)]
        if not nsp and not fe and not banks:
            raise DataError(f"{name}: no labelled rows",
                            hint="rows need `key_entities`, `negative`, `label`, or `bank` with `negative_for_bank`")
        entity_rows += nsp
        polarity_rows += fe
        bank_rows += banks
        files.append({"file": Path(name).name if raw is not None else name, "rows": len(examples),
                      "sha256": hashlib.sha256(raw).hexdigest() if raw is not None else None,
                      "item_rows": len(nsp), "entity_rows": sum(ex.key_entities is not None for ex in nsp),
                      "label_rows": len(fe), "bank_rows": len(banks)})
    for what, values in (("`negative`/`key_entities`", [ex.negative for ex in entity_rows]),
                         ("`label`", [ex.label for ex in polarity_rows]),
                         ("`negative_for_bank`", [ex.negative_for_bank for ex in bank_rows
                                                  if ex.negative_for_bank is not None])):
        counts = Counter(values)
        if values and (len(counts) < 2 or min(counts.values()) < folds):
            raise DataError(f"too few {what} rows to train: {dict(counts)}",
                            hint=f"each label needs at least {folds} rows ({folds}-fold cross-validation), "
                                 "and there must be at least two labels")
    blocks: dict[str, Block] = {}
    heads: dict[str, dict[str, Any]] = {}
    cv: dict[str, Any] = {}
    # one text vocabulary for the public sets' heads, so scoring looks each n-gram up once
    docs = [combine(ex.title, ex.text) for ex in [*entity_rows, *polarity_rows, *bank_rows]]
    split, split2 = len(entity_rows), len(entity_rows) + len(polarity_rows)
    if split2:
        blocks["text"], X_all = _fit_block(*text_keys([d for d, _ in docs[:split2]], MAX_CHARS), split2)
    with ThreadPoolExecutor(max_workers=2) as pool:
        if entity_rows:
            b, h, c = _train_entity_heads(entity_rows, docs[:split], X_all[:split], folds, seed, pool, svm)
            blocks |= b
            heads |= h
            cv["entity"] = c
        if polarity_rows:
            ph, pc = _train_polarity(polarity_rows, X_all[split:split2], folds, seed, pool, svm)
            heads["polarity"] = ph
            cv["polarity"] = pc
        if bank_rows:
            b, h, c = _train_bank_level(bank_rows, docs[split2:], folds, seed, pool, use_rules)
            blocks |= b
            heads |= h
            cv |= c
    seconds = time.perf_counter() - began
    enc_blocks, enc_heads = _encode(blocks, heads)
    rules_version = RulesScorer().version if bank_rows and use_rules else None
    payload = {
        "kind": "reportgen.score.model", "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "reportgen_version": __version__, "featurizer": FEATURIZER,
        "training": {"files": files, "folds": folds, "seed": seed, "cv": cv, "seconds": round(seconds, 2),
                     "rules_version": rules_version,
                     "params": {"C_target": C_TARGET, "C_item": C_ITEM, "C_polarity": C_POLARITY,
                                "C_polarity_nb": C_POLARITY_NB,
                                "bank_window": BANK_WINDOW, "C_bank_grid": list(C_BANK_GRID),
                                "cv_tolerance": CV_TOLERANCE, "min_code_rows": MIN_CODE_ROWS}},
        "blocks": enc_blocks, "heads": enc_heads,
    }
    digest = save_model(out, payload)
    summary = TrainSummary(str(out), digest, time.perf_counter() - began, files)
    if "item" in heads:
        summary.heads["item"] = {"rows": len(entity_rows), "cv": {"item_f1": cv["entity"]["item_head_f1"]}}
    if "target" in heads:
        summary.heads["target"] = {"pairs": cv["entity"]["target_pairs"],
                                   "cv": {k: v for k, v in cv["entity"].items() if k != "target_pairs"},
                                   "rule": heads["target"]["rule"]}
    if "polarity" in heads:
        summary.heads["polarity"] = {"rows": len(polarity_rows), "classes": heads["polarity"]["classes"],
                                     "cv": cv["polarity"]}
    if "bank" in heads:
        summary.heads["bank"] = {"rows": cv["bank"]["rows"], "rules": use_rules,
                                 "cv": {k: v for k, v in cv["bank"].items() if k != "rows"}}
    if "categories" in heads:
        per_code = cv["categories"]["per_code"]
        summary.heads["categories"] = {
            "rows": sum(ex.categories is not None for ex in bank_rows), "codes": heads["categories"]["codes"],
            "from_rules": sorted(c for c, r in per_code.items() if not r["head"]),
            "cv": {"micro_f1_on_negative_rows": cv["categories"]["micro_f1_on_negative_rows"],
                   **{f"f1_{c}": r["f1"] for c, r in per_code.items() if r["head"]}}}
    log.info("trained %s in %.1f s → %s", ", ".join(heads), summary.seconds, out)
    return summary
