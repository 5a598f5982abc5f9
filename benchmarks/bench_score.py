"""Scoring throughput per backend, on one core: items per second, side by side in one run.

Workload: the FinNSP eval split from ../shared/data when it is there (news and Weibo posts,
~300 characters, ~2.5 entities each, every entity judged), otherwise the offline demo's items
(every configured bank judged).  An *item* counts once however many targets it has.

The process is pinned to one CPU and timed with process CPU time, so a busy neighbour on a
shared machine slows the wall clock but not the figure.  Each backend is measured ``--repeat``
times, interleaved, and the median is printed.

The model backend needs a model: one is trained here, into a temporary folder, on the FinNSP
and FinFE train splits (or on the demo's ground-truth labels without ../shared/data), and
deleted afterwards; nothing trained on those sets is kept.  It includes the rules pass that
supplies the model's reasons, as in production.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"
TARGETS = {"rules": 5000.0, "model": 3000.0}
DEMO_NOW = datetime(2026, 11, 28, 1, 0, tzinfo=UTC)  # the demo generator's clock: a fixed one, same items every run


def _pin_one_core() -> None:
    if hasattr(os, "sched_setaffinity"):
        cpus = sorted(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpus[-1]})


def _workload() -> tuple[str, list[list]]:
    """Items as lists of ScoreInputs (one per target), and the workload's name."""
    from reportgen.score.datasets import load_examples
    from reportgen.score.evaluate import entity_inputs

    nsp = SHARED / "finnsp" / "eval.jsonl"
    if nsp.exists():
        return "FinNSP eval", [entity_inputs(ex) for ex in load_examples(nsp) if ex.entities]
    from reportgen.config.core import parse_config_text
    from reportgen.demo.data import demo_config_toml, generate_demo_items
    from reportgen.ingest.normalize import html_to_text
    from reportgen.score import ScoreInput, Target

    config = parse_config_text(demo_config_toml("http://127.0.0.1:9"), ROOT / "demo.toml")
    targets = [Target(b.id, b.terms) for b in config.banks]
    items = []
    for item in generate_demo_items(DEMO_NOW, seed=7):
        summary = html_to_text(item.summary_html)  # as parse stores it
        text = item.title + summary
        named = [t for t in targets if any(n in text for n in t.names)]
        items.append([ScoreInput(item.title, summary, t, tuple(o for o in named if o is not t))
                      for t in named] or [ScoreInput(item.title, summary, targets[0])])
    return "demo items", items


def _train_model(folder: Path) -> Path | None:
    try:
        from reportgen.score.train import train_model
    except ImportError:
        return None
    data = [SHARED / "finnsp" / "train.jsonl", SHARED / "finfe" / "train.jsonl"]
    if not all(p.exists() for p in data):
        data = [_demo_training_file(folder)]
    out = folder / "model.json"
    train_model(data, out)
    return out


def _demo_training_file(folder: Path) -> Path:
    """The demo's ground truth as FinNSP-style rows: which banks each item is bad news for."""
    from reportgen.config.core import parse_config_text
    from reportgen.demo.data import demo_config_toml, generate_demo_items
    from reportgen.ingest.normalize import html_to_text

    config = parse_config_text(demo_config_toml("http://127.0.0.1:9"), ROOT / "demo.toml")
    names = {b.id: b.name for b in config.banks}
    path = folder / "demo-train.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for item in generate_demo_items(DEMO_NOW, seed=11):  # each item carries the generator's truth
            entities = [names[b] for b in item.bank_ids if b in names]
            key = [names[item.subject_bank_id]] if item.sentiment == "negative" and item.subject_bank_id in names \
                else []
            fh.write(json.dumps({"title": item.title, "text": html_to_text(item.summary_html), "entities": entities,
                                 "key_entities": key}, ensure_ascii=False) + "\n")
    return path


def _measure(score: Callable[[list], object], batches: Sequence[list]) -> float:
    flat = [inp for batch in batches for inp in batch]
    began = time.process_time()
    score(flat)
    return len(batches) / (time.process_time() - began)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--rules-only", action="store_true", help="Measure the rules backend only (no model).")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    _pin_one_core()
    from reportgen.score.rules import RulesScorer

    name, items = _workload()
    rules = RulesScorer()
    scorers: dict[str, Callable[[list], object]] = {"rules": rules.score_many}
    with tempfile.TemporaryDirectory() as tmp:
        model_path = None if args.rules_only else _train_model(Path(tmp))
        if model_path is not None:
            from reportgen.score.model import ModelScorer

            scorers["model"] = ModelScorer(model_path, rules=RulesScorer()).score_many
        elif not args.rules_only:
            print("model: skipped (scikit-learn is not installed: pip install 'reportgen[ml]')")
        for score in scorers.values():
            score([inp for batch in items[:50] for inp in batch])  # warm caches and imports
        runs: dict[str, list[float]] = {k: [] for k in scorers}
        for _ in range(args.repeat):
            for key, score in scorers.items():
                runs[key].append(_measure(score, items))
    targets = sum(len(b) for b in items)
    print(f"Scoring, {name}: {len(items):,} items, {targets:,} targets, 1 core, median of {args.repeat}")
    failed = False
    for key, values in runs.items():
        median = statistics.median(values)
        ratio = median / TARGETS[key]
        failed |= ratio < 1.0
        print(f"  {key:6} {median:9,.0f} items/s (range {min(values):,.0f}–{max(values):,.0f}); "
              f"target >= {TARGETS[key]:,.0f}; ratio {ratio:.2f}")
    return 1 if failed and args.strict else 0


if __name__ == "__main__":
    sys.exit(main())
