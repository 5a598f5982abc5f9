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
    for macro-F1 (the neutral class is the hard one).

Only the coefficients come from scikit-learn (LinearSVC); features are computed by
:mod:`.features`, the same code that serves them, so inference needs numpy only.  Cross-validation
folds are split by row and run two at a time (liblinear releases the GIL).  The vocabularies are
learnt once from all training rows, a small optimism in the CV figures that keeps training fast.
"""

from __future__ import annotations

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
from reportgen.score import LABELS
from reportgen.score.datasets import Example, load_examples
from reportgen.score.features import (
    STRUCT,
    Block,
    combine,
    find_mentions,
    name_key,
    name_keys,
    target_view,
    text_keys,
    window_keys,
)
from reportgen.score.modelfile import FORMAT_VERSION, encode_array, save_model

log = logging.getLogger(__name__)

WINDOW, MIN_DF, MAX_CHARS = 8, 2, 256
FEATURIZER: dict[str, Any] = {"name": "charngram", "version": 1, "ngram": [1, 3], "window": WINDOW, "min_df": MIN_DF,
                              "max_chars": MAX_CHARS}
C_TARGET, C_ITEM, C_POLARITY = 0.5, 1.0, 0.5


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


def _folds(n: int, k: int, seed: int, y: np.ndarray | None = None) -> list[tuple[np.ndarray, np.ndarray]]:
    # optional: scikit-learn (the ml extra), only for training
    from sklearn.model_selection import KFold, StratifiedKFold

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


def _train_polarity(rows: Sequence[Example], X: Any, folds_k: int, seed: int, pool: ThreadPoolExecutor,
                    svm: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    y = np.array([LABELS.index(ex.label or "neutral") for ex in rows], dtype=np.int64)
    present = sorted(set(y.tolist()))
    if len(present) < 2:
        raise DataError("the `label` rows need at least two different labels to train the polarity head")
    oof, model = _oof(lambda: svm.LinearSVC(C=C_POLARITY, class_weight="balanced", random_state=seed), X, y,
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


# --- putting it together ------------------------------------------------------------------------------------


def _encode(blocks: dict[str, Block], heads: dict[str, dict[str, Any]]) -> tuple[dict[str, Any], dict[str, Any]]:
    enc_blocks = {name: {"keys": encode_array(b.keys, "<u8"), "idf": encode_array(b.idf)} for name, b in blocks.items()}
    enc_heads: dict[str, Any] = {}
    for name, head in heads.items():
        h = dict(head)
        h["coef"] = {b: encode_array(np.asarray(c)) for b, c in head["coef"].items()}
        for key in ("struct_coef", "intercept", "bias"):
            if isinstance(h.get(key), np.ndarray):
                h[key] = encode_array(h[key])
        enc_heads[name] = h
    return enc_blocks, enc_heads


def train_model(data: Sequence[str | PathLike[str]], out: str | PathLike[str], *, folds: int = 4,
                seed: int = 0) -> TrainSummary:
    """Train every head the data labels, write the model file to ``out``, and summarize."""
    svm = _sklearn()
    began = time.perf_counter()
    if not data:
        raise DataError("no training data given", hint="pass --data FILE.jsonl")
    files: list[dict[str, Any]] = []
    entity_rows: list[Example] = []
    polarity_rows: list[Example] = []
    for path in data:
        p = Path(path)
        examples = load_examples(p)
        nsp = [ex for ex in examples if ex.negative is not None]
        fe = [ex for ex in examples if ex.label is not None]
        if not nsp and not fe:
            raise DataError(f"{p}: no labelled rows", hint="rows need `key_entities`, `negative` or `label`")
        entity_rows += nsp
        polarity_rows += fe
        files.append({"file": p.name, "rows": len(examples), "sha256": hashlib.sha256(p.read_bytes()).hexdigest(),
                      "item_rows": len(nsp), "entity_rows": sum(ex.key_entities is not None for ex in nsp),
                      "label_rows": len(fe)})
    for what, values in (("`negative`/`key_entities`", [ex.negative for ex in entity_rows]),
                         ("`label`", [ex.label for ex in polarity_rows])):
        counts = Counter(values)
        if values and (len(counts) < 2 or min(counts.values()) < folds):
            raise DataError(f"too few {what} rows to train: {dict(counts)}",
                            hint=f"each label needs at least {folds} rows ({folds}-fold cross-validation), "
                                 "and there must be at least two labels")
    blocks: dict[str, Block] = {}
    heads: dict[str, dict[str, Any]] = {}
    cv: dict[str, Any] = {}
    # one text vocabulary for every head, so scoring looks each n-gram up once
    docs = [combine(ex.title, ex.text) for ex in [*entity_rows, *polarity_rows]]
    blocks["text"], X_all = _fit_block(*text_keys([d for d, _ in docs], MAX_CHARS), len(docs))
    split = len(entity_rows)
    with ThreadPoolExecutor(max_workers=2) as pool:
        if entity_rows:
            b, h, c = _train_entity_heads(entity_rows, docs[:split], X_all[:split], folds, seed, pool, svm)
            blocks |= b
            heads |= h
            cv["entity"] = c
        if polarity_rows:
            ph, pc = _train_polarity(polarity_rows, X_all[split:], folds, seed, pool, svm)
            heads["polarity"] = ph
            cv["polarity"] = pc
    seconds = time.perf_counter() - began
    enc_blocks, enc_heads = _encode(blocks, heads)
    payload = {
        "kind": "reportgen.score.model", "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "reportgen_version": __version__, "featurizer": FEATURIZER,
        "training": {"files": files, "folds": folds, "seed": seed, "cv": cv, "seconds": round(seconds, 2),
                     "params": {"C_target": C_TARGET, "C_item": C_ITEM, "C_polarity": C_POLARITY}},
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
    log.info("trained %s in %.1f s → %s", ", ".join(heads), summary.seconds, out)
    return summary
