#!/usr/bin/env python3
"""Variants of the bank head, each judged on the count-only halves it never saw: is the model family saturated?

    python devset/ablate.py [--variants base,c3,...] [--dir devset/out] [--json]

Every variant is trained on the devset's train split, pool-a, titles-a and the invented rows (both halves), with
the features the shipped model uses (character 1–3-grams of the text and of a ±16-character window around the bank,
the structural features and the rules' verdict), and judged on pool-b and titles-b, which no rules round and no
training run of this script read.  The held-out test split is never loaded.  Printed per variant: the F1 of
4-fold grouped cross-validation over the training rows, then negative-for-bank precision, recall and F1 on pool-b
and on titles-b (the decision threshold is the one cross-validation picks, as ``reportgen model train`` does).

The variants are the levers a linear model on these features has: the regularisation, per-source weights, where
the threshold is tuned, the loss (hinge vs logistic), word features (jieba, when installed) and a gradient-boosted
stack over the linear margin, the rules' verdict and the text's shape.  When they all land within a row or two of
the base, more of the same will not reach the issue's targets; only different information will.

Needs scikit-learn (the ``ml`` extra) and the joined devset files (``python devset/build.py`` and
``python devset/pool.py``, which read ../shared/data); it says so and exits 2 when they are missing.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
TRAIN = ("train", "pool-a", "titles-a", "synthetic-a", "synthetic-b")
JUDGED = ("pool-b", "titles-b")


def _load(folder: Path) -> dict[str, Any]:
    from reportgen.score.datasets import load_examples
    from reportgen.score.evaluate import bank_input
    from reportgen.score.features import combine, input_views, rule_features, text_keys, window_keys
    from reportgen.score.rules import RulesScorer
    from reportgen.score.train import BANK_WINDOW, MAX_CHARS

    missing = [f"{name}.jsonl" for name in TRAIN + JUDGED if not (folder / f"{name}.jsonl").is_file()]
    if missing:
        raise SystemExit(f"{folder} lacks {', '.join(missing)}: run `python devset/build.py` and "
                         "`python devset/pool.py` first (they need ../shared/data)")
    rows, source = [], []
    for name in TRAIN + JUDGED:
        got = [ex for ex in load_examples(folder / f"{name}.jsonl") if ex.bank is not None]
        rows += got
        source += [name] * len(got)
    docs = [combine(ex.title, ex.text) for ex in rows]
    inputs = [bank_input(ex) for ex in rows]
    views = input_views(inputs, docs, BANK_WINDOW)
    seen: dict[str, int] = {}
    return {
        "docs": [d for d, _ in docs], "source": np.array(source),
        "y": np.array([bool(ex.negative_for_bank) for ex in rows], dtype=np.int64),
        "rules": np.array([rule_features(j) for j in RulesScorer().score_many(inputs)]),
        "struct": np.array([v.struct for v in views], dtype=np.float64),
        "text_keys": text_keys([d for d, _ in docs], MAX_CHARS), "window_keys": window_keys(views),
        "group": np.array([seen.setdefault(d, len(seen)) for d, _ in docs]),
        "max_chars": MAX_CHARS,
    }


def _block(keys_owner: tuple[np.ndarray, np.ndarray], fit_rows: np.ndarray, n: int) -> Any:
    import scipy.sparse as sp

    from reportgen.score.features import Block
    from reportgen.score.train import MIN_DF

    keys, owner = keys_owner
    sel = fit_rows[owner]
    block = Block.fit(keys[sel], owner[sel], int(fit_rows.sum()), min_df=MIN_DF)
    r, c, v = block.transform(keys, owner, n)
    return sp.csr_matrix((v, (r, c)), shape=(n, len(block)))


def _f1(pred: np.ndarray, gold: np.ndarray) -> tuple[float, float, float]:
    tp = float(np.sum(pred & gold))
    p = tp / max(float(pred.sum()), 1.0)
    r = tp / max(float(gold.sum()), 1.0)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _cut(d: np.ndarray, y: np.ndarray) -> float:
    """The threshold ``reportgen model train`` would pick for these out-of-fold margins."""
    from reportgen.score.train import best_cut

    return best_cut(d, y)[0]


class _Run:
    """The shared design matrix, the folds, and one variant's fit → its figures."""

    def __init__(self, data: dict[str, Any]) -> None:
        import scipy.sparse as sp
        from sklearn.model_selection import StratifiedGroupKFold

        self.d = data
        n = len(data["y"])
        self.train = np.isin(data["source"], TRAIN)
        self.idx = np.flatnonzero(self.train)
        self.X = sp.hstack([_block(data["text_keys"], self.train, n), _block(data["window_keys"], self.train, n),
                            sp.csr_matrix(data["struct"]), sp.csr_matrix(data["rules"])]).tocsr()
        self.yt = data["y"][self.idx]
        self.folds = list(StratifiedGroupKFold(4, shuffle=True, random_state=0)
                          .split(self.idx, self.yt, data["group"][self.idx]))

    def linear(self, make: Callable[[], Any], X: Any = None, weight: np.ndarray | None = None,
               cut_rows: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, float]:
        """Out-of-fold margins on the training rows, the refit's margins on every row, and the CV threshold."""
        X = self.X if X is None else X
        w = None if weight is None else weight[self.idx]
        oof = np.zeros(len(self.idx))
        for a, b in self.folds:
            m = make().fit(X[self.idx[a]], self.yt[a], sample_weight=None if w is None else w[a])
            oof[b] = m.decision_function(X[self.idx[b]])
        full = make().fit(X[self.idx], self.yt, sample_weight=w).decision_function(X)
        keep = np.ones(len(self.idx), dtype=bool) if cut_rows is None else cut_rows[self.idx]
        return oof, full, _cut(oof[keep], self.yt[keep])

    def figures(self, oof: np.ndarray, full: np.ndarray, cut: float) -> dict[str, Any]:
        y, source = self.d["y"], self.d["source"]
        out: dict[str, Any] = {"cv_f1": round(_f1(oof > cut, self.yt == 1)[2], 4)}
        for name in JUDGED:
            m = source == name
            out[name] = [round(v, 4) for v in _f1(full[m] > cut, y[m] == 1)]
        return out


def _logistic(C: float) -> Callable[[], Any]:
    from sklearn.linear_model import LogisticRegression

    return lambda: LogisticRegression(C=C, class_weight="balanced", solver="liblinear", random_state=0)


def _weights(source: np.ndarray, **by_prefix: float) -> np.ndarray:
    w = np.ones(len(source))
    for prefix, value in by_prefix.items():
        w[np.char.startswith(source.astype(str), prefix)] = value
    return w


def _words(run: _Run) -> Any:
    import jieba  # optional: only this variant, skipped when missing
    import scipy.sparse as sp
    from sklearn.feature_extraction.text import TfidfVectorizer

    jieba.setLogLevel(60)
    toks = [" ".join(jieba.lcut(d[:run.d["max_chars"]])) for d in run.d["docs"]]
    vec = TfidfVectorizer(tokenizer=str.split, token_pattern=None, lowercase=False, ngram_range=(1, 2), min_df=2,
                          binary=True).fit([t for t, keep in zip(toks, run.train, strict=True) if keep])
    return sp.hstack([run.X, vec.transform(toks)]).tocsr()


def _stack(run: _Run) -> tuple[np.ndarray, np.ndarray, float]:
    from sklearn.ensemble import HistGradientBoostingClassifier

    oof, full, _ = run.linear(_logistic(10.0))
    margin = full.copy()
    margin[run.idx] = oof  # the stack learns from margins the linear model gave rows it had not seen
    shape = np.log1p(np.array([[len(t), t.count("!") + t.count("！"), t.count("?") + t.count("？")]
                               for t in run.d["docs"]], dtype=np.float64))
    F = np.column_stack([margin, run.d["rules"], run.d["struct"], shape])
    make = lambda: HistGradientBoostingClassifier(max_depth=3, learning_rate=0.05, max_iter=300,  # noqa: E731
                                                  class_weight="balanced", random_state=0)
    inner = np.zeros(len(run.idx))
    for a, b in run.folds:
        inner[b] = make().fit(F[run.idx[a]], run.yt[a]).predict_proba(F[run.idx[b]])[:, 1]
    p = make().fit(F[run.idx], run.yt).predict_proba(F)[:, 1]
    return inner, p, _cut(inner, run.yt)


def _variants(run: _Run) -> dict[str, tuple[str, Callable[[], tuple[np.ndarray, np.ndarray, float]]]]:
    from sklearn.svm import LinearSVC

    source = run.d["source"]
    real = ~np.char.startswith(source.astype(str), "synthetic")
    rules_said = run.d["rules"][:, 1]  # RULE_FEATURES[1]: the rules judged the row negative
    return {
        "rules": ("the rules alone (no training; for reference)",
                  lambda: (rules_said[run.idx] - 0.5, rules_said - 0.5, 0.0)),
        "base": ("logistic regression, C 10 (the shipped recipe)", lambda: run.linear(_logistic(10.0))),
        "c3": ("C 3", lambda: run.linear(_logistic(3.0))),
        "c30": ("C 30", lambda: run.linear(_logistic(30.0))),
        "invented-half": ("invented rows weigh 0.5", lambda: run.linear(_logistic(10.0),
                                                                        weight=_weights(source, synthetic=0.5))),
        "real-more": ("devset train 2, pool 1.5", lambda: run.linear(_logistic(10.0),
                                                                     weight=_weights(source, train=2.0, pool=1.5))),
        "cut-real": ("threshold tuned on real rows only", lambda: run.linear(_logistic(10.0), cut_rows=real)),
        "svm": ("linear SVM (hinge loss), C 0.3", lambda: run.linear(
            lambda: LinearSVC(C=0.3, class_weight="balanced"))),
        "words": ("+ jieba word 1-2-grams", lambda: run.linear(_logistic(10.0), X=_words(run))),
        "stack": ("gradient-boosted stack: margin + rules + shape", lambda: _stack(run)),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--variants", default="", help="comma-separated names (default: all)")
    parser.add_argument("--dir", type=Path, default=OUT, help="the joined devset files (default devset/out)")
    parser.add_argument("--json", action="store_true", help="one JSON object instead of the table")
    args = parser.parse_args(argv)
    try:
        import sklearn  # noqa: F401
    except ImportError:
        print("ablate.py needs scikit-learn: pip install 'reportgen[ml]'", file=sys.stderr)
        return 2
    try:
        run = _Run(_load(args.dir))
    except SystemExit as exc:
        print(exc, file=sys.stderr)
        return 2
    variants = _variants(run)
    chosen = [v for v in args.variants.split(",") if v] or list(variants)
    unknown = sorted(set(chosen) - set(variants))
    if unknown:
        print(f"unknown variant(s) {', '.join(unknown)}; known: {', '.join(variants)}", file=sys.stderr)
        return 2
    results: dict[str, Any] = {}
    if not args.json:
        print(f"{'variant':<14} {'cv F1':>6}  {'pool-b P / R / F1':<22}  {'titles-b P / R / F1':<22}  what")
    for name in chosen:
        what, fit = variants[name]
        try:
            figures = run.figures(*fit())
        except ImportError as exc:
            results[name] = {"skipped": f"{exc.name} is not installed"}
            if not args.json:
                print(f"{name:<14} skipped: {exc.name} is not installed")
            continue
        results[name] = figures | {"what": what}
        if not args.json:
            print(f"{name:<14} {figures['cv_f1']:>6.4f}  " + "  ".join(
                f"{' / '.join(f'{v:.4f}' for v in figures[j]):<22}" for j in JUDGED) + f"  {what}", flush=True)
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
