"""The trained backend: a model file from ``reportgen model train``, scored with numpy only.

The model makes the call (label, score, probabilities); when a rules scorer is given, the rules
still supply the categories and the reasons shown to readers, plus one note with the model's
p(negative).  Features come from :mod:`.features`, the code training used.

Speed: items usually mention several banks, so :meth:`ModelScorer.score_many` analyses each
distinct (title, text) once (n-grams, item score, polarity) and only the marked windows around
each target are computed per target.  The whole batch is scored with a handful of numpy calls
(vocabulary lookup by ``searchsorted``, per-row sums by ``bincount``); only marking the targets
is a Python loop.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from os import PathLike
from pathlib import Path
from typing import Any

import numpy as np

from reportgen.errors import DataError
from reportgen.score import LABELS, Judgement, Reason, ScoreInput, Scorer, clamp
from reportgen.score.features import (
    STRUCT,
    Block,
    Mentions,
    TargetView,
    combine,
    find_mentions,
    name_key,
    name_keys,
    target_view,
    text_keys,
    window_keys,
)
from reportgen.score.modelfile import FORMAT_VERSION, decode_array, load_model

log = logging.getLogger(__name__)


class _Linear:
    """One linear head: per block a (terms × classes) coefficient matrix, plus intercept."""

    def __init__(self, head: dict[str, Any], blocks: dict[str, Block], where: str) -> None:
        names = head.get("blocks")
        if not isinstance(names, list) or not names or any(n not in blocks for n in names):
            raise ValueError(f"{where}: unknown feature blocks {names!r}")
        coefs = head.get("coef")
        if not isinstance(coefs, dict) or set(coefs) != set(names):
            raise ValueError(f"{where}: coefficients do not match its blocks")
        self.weights: dict[str, np.ndarray] = {}
        for n in names:
            c = decode_array(coefs[n], f"{where}.coef.{n}").astype(np.float64)
            c = c.reshape(1, -1) if c.ndim == 1 else c
            if c.ndim != 2 or c.shape[1] != len(blocks[n]):
                raise ValueError(f"{where}.coef.{n}: shape {c.shape} does not fit {len(blocks[n])} terms")
            self.weights[n] = np.ascontiguousarray(c.T)
        raw = head.get("intercept")
        self.intercept = np.atleast_1d(decode_array(raw, f"{where}.intercept") if isinstance(raw, dict)
                                       else np.array(_number(raw, f"{where}.intercept"))).astype(np.float64)
        self.classes = next(iter(self.weights.values())).shape[1]

    def part(self, block: str, rows: tuple[np.ndarray, np.ndarray, np.ndarray], n: int) -> np.ndarray:
        """This block's contribution to the decision values of ``n`` rows → (n, classes)."""
        return _row_sums(rows, self.weights[block], n)


def _row_sums(rows: tuple[np.ndarray, np.ndarray, np.ndarray], w: np.ndarray, n: int) -> np.ndarray:
    """``x @ w`` for sparse rows sorted by row (as :meth:`Block.transform` returns them) → (n, columns)."""
    row, col, val = rows
    out = np.zeros((n, w.shape[1]))
    if len(row):
        starts = np.flatnonzero(np.concatenate(([True], row[1:] != row[:-1])))
        out[row[starts]] = np.add.reduceat(w[col] * val[:, None], starts, axis=0)
    return out


def _number(v: Any, where: str) -> float:
    if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
        raise ValueError(f"{where}: expected a number, found {v!r}")
    return float(v)


def _pair(v: Any, where: str) -> tuple[float, float]:
    if not isinstance(v, list) or len(v) != 2:
        raise ValueError(f"{where}: expected two numbers")
    return _number(v[0], where), _number(v[1], where)


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x)) if x > -50 else 0.0


class ModelScorer:
    """Scorer protocol over a trained model file; ``rules`` (optional) supplies categories and reasons."""

    name = "model"

    def __init__(self, path: str | PathLike[str], rules: Scorer | None = None) -> None:
        self.path = Path(path)
        payload, digest = load_model(self.path)
        try:
            self._load(payload)
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise DataError(f"{self.path}: not a usable model: {exc}",
                            hint="retrain it with `reportgen model train`") from None
        self.sha256 = digest
        self.rules = rules
        self.version = f"model-{FORMAT_VERSION}-{digest[:12]}" + (f"+{rules.version}" if rules is not None else "")
        self.training: dict[str, Any] = payload.get("training", {}) if isinstance(payload.get("training"), dict) else {}

    # --- loading ---

    def _load(self, payload: dict[str, Any]) -> None:
        if payload.get("kind") != "reportgen.score.model":
            raise ValueError("payload kind is not reportgen.score.model")
        feat = payload["featurizer"]
        if feat.get("name") != "charngram" or feat.get("version") != 1 or feat.get("ngram") != [1, 3]:
            raise ValueError(f"unknown featurizer {feat!r}")
        self.window = int(_number(feat["window"], "featurizer.window"))
        self.max_chars = int(_number(feat["max_chars"], "featurizer.max_chars"))
        blocks: dict[str, Block] = {}
        for name, b in payload["blocks"].items():
            blocks[name] = Block(decode_array(b["keys"], f"blocks.{name}.keys"),
                                 decode_array(b["idf"], f"blocks.{name}.idf"))
        self._blocks = blocks
        heads = payload["heads"]
        if not isinstance(heads, dict) or not heads or set(heads) - {"item", "target", "polarity"}:
            raise ValueError(f"unexpected heads {sorted(heads) if isinstance(heads, dict) else heads!r}")
        self._item: _Linear | None = None
        self._target: _Linear | None = None
        self._polarity: _Linear | None = None
        if "item" in heads:
            h = heads["item"]
            self._item = _Linear(h, blocks, "heads.item")
            if self._item.weights.keys() != {"text"}:
                raise ValueError("heads.item must use the text block")
            self._item_offset = _number(h["offset"], "heads.item.offset")
            self._item_cal = _pair(h["calibration"], "heads.item.calibration")
        if "target" in heads:
            h = heads["target"]
            if self._item is None:
                raise ValueError("heads.target needs heads.item")
            self._target = _Linear(h, blocks, "heads.target")
            if set(self._target.weights) != {"text", "window", "name"}:
                raise ValueError("heads.target must use the text, window and name blocks")
            if h["struct"] != list(STRUCT):
                raise ValueError(f"heads.target.struct {h['struct']!r} is not {list(STRUCT)!r}")
            self._struct = decode_array(h["struct_coef"], "heads.target.struct_coef").astype(np.float64)
            if self._struct.shape != (len(STRUCT),):
                raise ValueError("heads.target.struct_coef has the wrong length")
            self._rule = tuple(_number(h["rule"][k], f"heads.target.rule.{k}") for k in ("a", "b", "c"))
            self._target_cal = _pair(h["calibration"], "heads.target.calibration")
        if "polarity" in heads:
            h = heads["polarity"]
            self._polarity = _Linear(h, blocks, "heads.polarity")
            if self._polarity.weights.keys() != {"text"}:
                raise ValueError("heads.polarity must use the text block")
            classes = h["classes"]
            if not isinstance(classes, list) or len(classes) < 2 or any(c not in LABELS for c in classes):
                raise ValueError(f"heads.polarity.classes {classes!r}")
            width = self._polarity.classes
            bias = decode_array(h["bias"], "heads.polarity.bias").astype(np.float64)
            if width != len(classes) or bias.shape != (width,) or self._polarity.intercept.shape != (width,):
                raise ValueError("heads.polarity: classes, coefficients, intercept and bias disagree")
            self._pol_classes = [LABELS.index(c) for c in classes]
            self._pol_bias = bias
            self._pol_temperature = _number(h["temperature"], "heads.polarity.temperature")
        self._text_weights = np.ascontiguousarray(np.hstack(
            [h.weights["text"] for h in (self._item, self._target, self._polarity) if h is not None]))
        for block in blocks.values():
            block.prepare()  # the lookup tables, now rather than in the first call

    @property
    def heads(self) -> tuple[str, ...]:
        return tuple(n for n, h in (("item", self._item), ("target", self._target), ("polarity", self._polarity))
                     if h is not None)

    # --- scoring ---

    def score(self, inp: ScoreInput) -> Judgement:
        return self.score_many([inp])[0]

    def score_many(self, inputs: Sequence[ScoreInput]) -> list[Judgement]:
        if not inputs:
            return []
        rules = self.rules.score_many(inputs) if self.rules is not None else None
        # each distinct text is analysed once, however many targets it has
        doc_index: dict[tuple[str, str], int] = {}
        doc_of = [doc_index.setdefault((inp.title, inp.text), len(doc_index)) for inp in inputs]
        docs = [combine(title, text) for title, text in doc_index]
        item_arr, target_text, polarity_arr = self._analyse([d for d, _ in docs])
        targeted = [n for n, inp in enumerate(inputs)
                    if self._target is not None and any(name.strip() for name in inp.target.names)]
        t = self._target_decisions([inputs[n] for n in targeted], [docs[doc_of[n]] for n in targeted],
                                   target_text[[doc_of[n] for n in targeted]]) if targeted else np.zeros(0)
        t_of = dict(zip(targeted, t.tolist(), strict=True))
        item: list[float] = item_arr.tolist()  # plain floats: numpy scalars are slow one at a time
        polarity: list[list[float]] | None = polarity_arr.tolist() if polarity_arr is not None else None
        out: list[Judgement] = []
        a, b, c = self._rule if self._target is not None else (0.0, 0.0, 0.0)
        for n in range(len(inputs)):
            d = doc_of[n]
            pol = polarity[d] if polarity is not None else None
            tn = t_of.get(n)
            if tn is not None:
                z = max(tn - a, min(item[d] - b, tn - c))
                k, k0 = self._target_cal
                label, score, probs = self._banded(z > 0, _sigmoid(k * z + k0), _sigmoid(k0), pol)
            elif pol is not None:
                label = LABELS[pol.index(max(pol))]
                probs = dict(zip(LABELS, pol, strict=True))
                score = clamp(probs["positive"] - probs["negative"])
            else:
                z = item[d] - self._item_offset
                k, k0 = self._item_cal
                label, score, probs = self._banded(z > 0, _sigmoid(k * z + k0), _sigmoid(k0), None)
            note = Reason("model", 0.0, "model", "", f"p(negative)={probs['negative']:.2f}")
            if rules is not None:
                r = rules[n]
                out.append(Judgement(label, score, r.categories, r.reasons + (note,), self.name, self.version, probs))
            else:
                out.append(Judgement(label, score, (), (note,), self.name, self.version, probs))
        return out

    def _analyse(self, docs: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
        """Item decision, the target head's text part, and polarity probabilities of each document."""
        n = len(docs)
        keys, owner = text_keys(docs, self.max_chars)
        # every head's text coefficients side by side: one gather and one sum for all of them
        sums = _row_sums(self._blocks["text"].transform(keys, owner, n), self._text_weights, n)
        item = target_text = np.zeros(n)
        if self._item is not None:
            item = sums[:, 0] + self._item.intercept[0]
            if self._target is not None:
                target_text = sums[:, 1]
        polarity = None
        if self._polarity is not None:
            d = sums[:, -self._polarity.classes:] + self._polarity.intercept + self._pol_bias
            s = self._pol_temperature * d
            e = np.exp(s - s.max(1, keepdims=True))
            polarity = np.zeros((n, len(LABELS)))
            polarity[:, self._pol_classes] = e / e.sum(1, keepdims=True)
        return item, target_text, polarity

    def _target_decisions(self, inputs: Sequence[ScoreInput], docs: Sequence[tuple[str, int]],
                          text_part: np.ndarray) -> np.ndarray:
        """The target head's decision value for each (input, document)."""
        assert self._target is not None
        keyed: dict[str, str] = {}

        def keys(names: Sequence[str]) -> list[str]:
            return [keyed.get(x) or keyed.setdefault(x, name_key(x)) for x in names]

        mentions: dict[tuple[str, tuple[str, ...]], Mentions] = {}
        views: list[TargetView] = []
        for inp, (doc, title_end) in zip(inputs, docs, strict=True):
            mine = keys(inp.target.names)
            others = keys([x for o in inp.others for x in o.names])
            every = tuple(sorted({*mine, *others}))
            found = mentions.get((doc, every))
            if found is None:
                found = mentions[(doc, every)] = find_mentions(doc, title_end, every)
            views.append(target_view(found, mine, others, self.window))
        n = len(views)
        head = self._target
        t = text_part + head.intercept[0] + np.array([v.struct for v in views]) @ self._struct
        t += head.part("window", self._blocks["window"].transform(*window_keys(views), n), n)[:, 0]
        t += head.part("name", self._blocks["name"].transform(*name_keys(views), n), n)[:, 0]
        return np.asarray(t, dtype=np.float64)

    @staticmethod
    def _banded(negative: bool, p: float, threshold: float,
                polarity: list[float] | None) -> tuple[str, float, dict[str, float]]:
        """Label and score from p(negative) and, for the rest, the polarity head's neutral/positive split.

        Scores fall in bands that agree with the label: negative [-1, -0.5], neutral (-0.25, 0.25],
        positive (0.25, 1].  p(negative) is mapped piecewise so the decision threshold sits at 0.5.
        """
        if threshold <= 0.0 or threshold >= 1.0:
            threshold = 0.5
        n = 0.5 * p / threshold if p < threshold else 0.5 + 0.5 * (p - threshold) / (1.0 - threshold)
        n = min(max(n, 0.5), 1.0) if negative else min(n, 0.4999)
        share_pos = 0.0
        if polarity is not None:
            rest = polarity[1] + polarity[2]
            share_pos = polarity[2] / rest if rest > 0 else 0.0
        probs = {"negative": p, "neutral": (1.0 - p) * (1.0 - share_pos), "positive": (1.0 - p) * share_pos}
        if negative:
            return "negative", -n, probs
        if share_pos > 0.5:
            return "positive", clamp((1.0 - n) * share_pos), probs
        return "neutral", 0.5 * (share_pos - n), probs
