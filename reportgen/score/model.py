"""The trained backend: a model file from ``reportgen model train``, scored with numpy only.

The model makes the call (label, score, probabilities); when a rules scorer is given, the rules
still supply the reasons shown to readers, plus one note with the model's p(negative).  Features
come from :mod:`.features`, the code training used.

Which head judges a target: a model trained on bank-level labels (``bank`` + ``negative_for_bank``
rows, the project's devset or a bank's own analysts) judges banks with its ``bank`` head, which
also reads the rules' verdict as features; other entities (FinNSP's platforms and companies) go to
the entity heads (``target`` with ``item``).  A text with no target is judged as a whole by the
``polarity`` head (FinFE), else the item head.

Categories attach only to a judgement that is negative for the target, except the neutral ones
(performance, personnel: a profit rise, a routine appointment).  With a ``categories`` head the
model picks them (one linear decision per code, thresholds chosen by cross-validation; a
negative judgement with no code gets its most likely risk code), codes it had too few examples of come from
the rules; without one the rules' categories are kept, under the same condition.

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
from reportgen.score import LABELS, CategoryHit, Judgement, Reason, ScoreInput, Scorer, clamp
from reportgen.score.categories import NEUTRAL_CATEGORIES
from reportgen.score.features import (
    RULE_FEATURES,
    STRUCT,
    Block,
    combine,
    input_views,
    is_bank,
    name_keys,
    rule_features,
    text_keys,
    window_keys,
)
from reportgen.score.modelfile import FORMAT_VERSION, decode_array, load_model
from reportgen.score.rules import RulesScorer

log = logging.getLogger(__name__)

_HEADS = ("item", "target", "polarity", "bank", "categories")


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


class _BankLevel(_Linear):
    """A bank-level head (``bank``: one decision, ``categories``: one per code): the ``bank_text``
    and ``bank_window`` blocks, the structural features and, when trained with them, the rules' verdict."""

    def __init__(self, head: dict[str, Any], blocks: dict[str, Block], where: str) -> None:
        super().__init__(head, blocks, where)
        if set(self.weights) != {"bank_text", "bank_window"}:
            raise ValueError(f"{where} must use the bank_text and bank_window blocks")
        if head["struct"] != list(STRUCT):
            raise ValueError(f"{where}.struct {head['struct']!r} is not {list(STRUCT)!r}")
        self.struct = self._dense(head["struct_coef"], len(STRUCT), f"{where}.struct_coef")
        names = head.get("rules")
        if names is None:
            self.rules: np.ndarray | None = None
        elif names == list(RULE_FEATURES):
            self.rules = self._dense(head["rules_coef"], len(RULE_FEATURES), f"{where}.rules_coef")
        else:
            raise ValueError(f"{where}.rules {names!r} is not {list(RULE_FEATURES)!r}")
        if self.intercept.shape != (self.classes,):
            raise ValueError(f"{where}: intercept and coefficients disagree")
        self.window = int(_number(head["window"], f"{where}.window"))
        if not 1 <= self.window <= 256:
            raise ValueError(f"{where}.window {self.window} is out of range")

    def _dense(self, raw: Any, width: int, where: str) -> np.ndarray:
        c = decode_array(raw, where).astype(np.float64)
        c = c.reshape(1, -1) if c.ndim == 1 else c
        if c.shape != (self.classes, width):
            raise ValueError(f"{where}: shape {c.shape}, expected {(self.classes, width)}")
        return np.ascontiguousarray(c.T)


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
    """Scorer protocol over a trained model file; ``rules`` (optional) supplies reasons and, to a model
    without a categories head, categories.  A model whose bank-level heads read the rules' verdict
    uses the shipped rules when none are given."""

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
        if rules is None and self._needs_rules:
            rules = RulesScorer()
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
        if not isinstance(heads, dict) or not heads or set(heads) - {*_HEADS}:
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
        self._bank: _BankLevel | None = None
        self._categories: _BankLevel | None = None
        if "bank" in heads:
            h = heads["bank"]
            self._bank = _BankLevel(h, blocks, "heads.bank")
            if self._bank.classes != 1:
                raise ValueError("heads.bank must have one decision")
            self._bank_offset = _number(h["offset"], "heads.bank.offset")
            self._bank_cal = _pair(h["calibration"], "heads.bank.calibration")
        if "categories" in heads:
            h = heads["categories"]
            self._categories = _BankLevel(h, blocks, "heads.categories")
            codes, neutral = h["codes"], h["neutral"]
            for name, value in (("codes", codes), ("neutral", neutral)):
                if not isinstance(value, list) or not all(isinstance(c, str) and c for c in value):
                    raise ValueError(f"heads.categories.{name}: expected a list of category codes")
            if len(codes) != self._categories.classes or len(set(codes)) != len(codes):
                raise ValueError("heads.categories: codes and coefficients disagree")
            thresholds = decode_array(h["thresholds"], "heads.categories.thresholds").astype(np.float64)
            if thresholds.shape != (len(codes),):
                raise ValueError("heads.categories.thresholds has the wrong length")
            self._codes: list[str] = codes
            self._code_set = frozenset(codes)
            self._code_thresholds = thresholds
            self._neutral_codes = frozenset(neutral)
        uses_rules = any(h is not None and h.rules is not None for h in (self._bank, self._categories))
        self._needs_rules = uses_rules
        # every head's text coefficients side by side, per text block: one gather and one sum for all
        self._text_cols: dict[str, tuple[str, slice]] = {}
        self._text_weights: dict[str, np.ndarray] = {}
        shared = (("item", self._item), ("target", self._target), ("polarity", self._polarity))
        for text_block, named in (("text", shared), ("bank_text", (("bank", self._bank),
                                                                    ("categories", self._categories)))):
            parts: list[np.ndarray] = []
            for name, head in named:
                if head is not None:
                    start = sum(p.shape[1] for p in parts)
                    parts.append(head.weights[text_block])
                    self._text_cols[name] = (text_block, slice(start, start + head.weights[text_block].shape[1]))
            if parts:
                self._text_weights[text_block] = np.ascontiguousarray(np.hstack(parts))
        for vocabulary in blocks.values():
            vocabulary.prepare()  # the lookup tables, now rather than in the first call

    @property
    def heads(self) -> tuple[str, ...]:
        return tuple(self._text_cols)

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
        text_sums = self._analyse([d for d, _ in docs])
        item_arr = text_sums["item"][:, 0] + self._item.intercept[0] if self._item is not None else None
        polarity_arr = self._polarity_probs(text_sums["polarity"]) if self._polarity is not None else None
        route = [self._route(inp) for inp in inputs]
        targeted = [n for n, r in enumerate(route) if r == "target"]
        t = self._target_decisions([inputs[n] for n in targeted], [docs[doc_of[n]] for n in targeted],
                                   text_sums["target"][[doc_of[n] for n in targeted], 0]) if targeted else np.zeros(0)
        t_of = dict(zip(targeted, t.tolist(), strict=True))
        bank_level = [n for n in range(len(inputs)) if route[n] == "bank" or self._categories is not None]
        bank_of: dict[int, float] = {}
        code_rows: dict[int, list[float]] = {}
        if bank_level:
            dense = self._bank_level_rows([inputs[n] for n in bank_level], [docs[doc_of[n]] for n in bank_level],
                                          [rules[n] for n in bank_level] if rules is not None else None)
            rows = [doc_of[n] for n in bank_level]
            if self._bank is not None:
                b = self._bank_level_decisions(self._bank, "bank", dense, text_sums["bank"][rows])[:, 0]
                bank_of = {n: v for n, v in zip(bank_level, b.tolist(), strict=True) if route[n] == "bank"}
            if self._categories is not None:
                cd = self._bank_level_decisions(self._categories, "categories", dense, text_sums["categories"][rows])
                code_rows = dict(zip(bank_level, (cd - self._code_thresholds).tolist(), strict=True))
        item: list[float] | None = item_arr.tolist() if item_arr is not None else None  # plain floats are faster
        polarity: list[list[float]] | None = polarity_arr.tolist() if polarity_arr is not None else None
        out: list[Judgement] = []
        a, b_, c = self._rule if self._target is not None else (0.0, 0.0, 0.0)
        for n in range(len(inputs)):
            d = doc_of[n]
            pol = polarity[d] if polarity is not None else None
            if route[n] == "bank":
                z = bank_of[n] - self._bank_offset
                k, k0 = self._bank_cal
                label, score, probs = self._banded(z > 0, _sigmoid(k * z + k0), _sigmoid(k0), pol)
            elif route[n] == "target":
                assert item is not None
                tn = t_of[n]
                z = max(tn - a, min(item[d] - b_, tn - c))
                k, k0 = self._target_cal
                label, score, probs = self._banded(z > 0, _sigmoid(k * z + k0), _sigmoid(k0), pol)
            elif pol is not None:
                label = LABELS[pol.index(max(pol))]
                probs = dict(zip(LABELS, pol, strict=True))
                score = clamp(probs["positive"] - probs["negative"])
            else:
                assert item is not None
                z = item[d] - self._item_offset
                k, k0 = self._item_cal
                label, score, probs = self._banded(z > 0, _sigmoid(k * z + k0), _sigmoid(k0), None)
            note = Reason("model", 0.0, "model", "", f"p(negative)={probs['negative']:.2f}")
            r = rules[n] if rules is not None else None
            categories = self._pick_categories(label == "negative", code_rows.get(n), r)
            reasons = (r.reasons if r is not None else ()) + (note,)
            out.append(Judgement(label, score, categories, reasons, self.name, self.version, probs))
        return out

    def _route(self, inp: ScoreInput) -> str:
        """Which head judges this input: ``bank``, ``target`` (the entity heads) or ``text`` (the whole text)."""
        named = any(name.strip() for name in inp.target.names)
        if self._bank is not None and (not named and self._polarity is None and self._item is None
                                       or named and (self._target is None or is_bank(inp.target.names))):
            return "bank"
        return "target" if named and self._target is not None else "text"

    def _pick_categories(self, negative: bool, margins: list[float] | None,
                         rules: Judgement | None) -> tuple[CategoryHit, ...]:
        """Categories for one judgement: only a negative one carries any but the neutral codes."""
        by_rules = {hit.code: hit for hit in rules.categories} if rules is not None else {}
        if margins is None:  # no categories head: the rules', when the judgement allows them
            return tuple(hit for code, hit in by_rules.items() if negative or code in NEUTRAL_CATEGORIES)
        chosen = [code for code, m in zip(self._codes, margins, strict=True)
                  if m > 0 and (negative or code in self._neutral_codes)]
        # codes the head has too few examples of (and a config's own categories) come from the rules
        chosen += [code for code in by_rules if code not in self._code_set and (negative or code in NEUTRAL_CATEGORIES)]
        if negative and not chosen:
            # bad news always has a category (shared/LABELLING.md): the likeliest one.  A neutral code
            # alone is one (a results miss, an executive's departure): forcing a risk code beside it
            # tagged most such rows with whichever code had the widest margin
            best = max(((m, code) for code, m in zip(self._codes, margins, strict=True)
                        if code not in self._neutral_codes), default=None)
            if best is not None:
                chosen.append(best[1])
        return tuple(by_rules.get(code) or CategoryHit(code, (), "") for code in dict.fromkeys(chosen))

    def _analyse(self, docs: list[str]) -> dict[str, np.ndarray]:
        """Each head's text part of its decision values, per document → head name → (docs, classes)."""
        n = len(docs)
        keys, owner = text_keys(docs, self.max_chars)
        sums = {block: _row_sums(self._blocks[block].transform(keys, owner, n), weights, n)
                for block, weights in self._text_weights.items()}
        return {name: sums[block][:, cols] for name, (block, cols) in self._text_cols.items()}

    def _polarity_probs(self, text_part: np.ndarray) -> np.ndarray:
        assert self._polarity is not None
        d = text_part + self._polarity.intercept + self._pol_bias
        s = self._pol_temperature * d
        e = np.exp(s - s.max(1, keepdims=True))
        polarity = np.zeros((len(d), len(LABELS)))
        polarity[:, self._pol_classes] = e / e.sum(1, keepdims=True)
        return polarity

    def _bank_level_rows(self, inputs: Sequence[ScoreInput], docs: Sequence[tuple[str, int]],
                         rules: Sequence[Judgement] | None) -> tuple[Any, np.ndarray, np.ndarray]:
        """What the bank-level heads read besides the text: the window rows, structure and the rules' verdict."""
        head = self._bank or self._categories
        assert head is not None
        views = input_views(inputs, docs, head.window)
        n = len(views)
        windows = self._blocks["bank_window"].transform(*window_keys(views), n)
        struct = np.array([v.struct for v in views], dtype=np.float64).reshape(n, len(STRUCT))
        verdict = (np.array([rule_features(j) for j in rules], dtype=np.float64) if rules is not None
                   else np.zeros((n, len(RULE_FEATURES))))
        return windows, struct, verdict

    @staticmethod
    def _bank_level_decisions(head: _BankLevel, name: str, dense: tuple[Any, np.ndarray, np.ndarray],
                              text_part: np.ndarray) -> np.ndarray:
        windows, struct, verdict = dense
        n = len(struct)
        d = text_part + head.intercept + head.part("bank_window", windows, n) + struct @ head.struct
        if head.rules is not None:
            d += verdict @ head.rules
        return np.asarray(d, dtype=np.float64)

    def _target_decisions(self, inputs: Sequence[ScoreInput], docs: Sequence[tuple[str, int]],
                          text_part: np.ndarray) -> np.ndarray:
        """The target head's decision value for each (input, document)."""
        assert self._target is not None
        views = input_views(inputs, docs, self.window)
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
