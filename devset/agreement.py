#!/usr/bin/env python3
"""How far two labellings of the same (id, bank) pairs agree: the ceiling a scorer can be held to.

    python devset/agreement.py devset/labels.jsonl devset/second/labeller1.jsonl [devset/second/labeller2.jsonl ...]

The first file is the reference; every other file is compared with it on the pairs both hold (and, given two or
more others, with each other).  Printed per comparison: the pairs compared, negative-for-bank precision, recall
and F1 of the other labelling against the reference, accuracy, Cohen's kappa, and category micro-F1 (``none`` not
counted, as ``reportgen eval`` counts it).  Only ids and labels are read; no texts, so the shared data is not
needed.  Standard library only.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from pathlib import Path

Key = tuple[str, str]


def load(path: Path) -> dict[Key, tuple[bool, frozenset[str]]]:
    out: dict[Key, tuple[bool, frozenset[str]]] = {}
    with path.open(encoding="utf-8") as handle:
        for line_no, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            row = json.loads(line)
            try:
                key = (row["id"], row["bank"])
                out[key] = (bool(row["negative_for_bank"]), frozenset(row["categories"]) - {"none"})
            except KeyError as exc:
                raise SystemExit(f"{path}:{line_no}: missing field {exc}") from None
    return out


def _f1(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def compare(ref: dict[Key, tuple[bool, frozenset[str]]],
            other: dict[Key, tuple[bool, frozenset[str]]]) -> dict[str, float]:
    keys = sorted(set(ref) & set(other))
    if not keys:
        raise SystemExit("the two files share no (id, bank) pair")
    a = [ref[k][0] for k in keys]
    b = [other[k][0] for k in keys]
    tp = sum(x and y for x, y in zip(a, b, strict=True))
    fp = sum(y and not x for x, y in zip(a, b, strict=True))
    fn = sum(x and not y for x, y in zip(a, b, strict=True))
    n = len(keys)
    agree = sum(x == y for x, y in zip(a, b, strict=True)) / n
    pa, pb = sum(a) / n, sum(b) / n
    chance = pa * pb + (1 - pa) * (1 - pb)
    kappa = (agree - chance) / (1 - chance) if chance < 1 else 1.0
    ctp = sum(len(ref[k][1] & other[k][1]) for k in keys)
    cfp = sum(len(other[k][1] - ref[k][1]) for k in keys)
    cfn = sum(len(ref[k][1] - other[k][1]) for k in keys)
    p, r, f = _f1(tp, fp, fn)
    return {"pairs": n, "negative_reference": sum(a), "precision": p, "recall": r, "f1": f, "accuracy": agree,
            "kappa": kappa, "category_micro_f1": _f1(ctp, cfp, cfn)[2]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("reference", type=Path)
    parser.add_argument("others", type=Path, nargs="+")
    args = parser.parse_args(argv)
    files = [args.reference, *args.others]
    labels = {path: load(path) for path in files}
    pairs = [(args.reference, other) for other in args.others]
    pairs += list(itertools.combinations(args.others, 2)) if len(args.others) > 1 else []
    for first, second in pairs:
        m = compare(labels[first], labels[second])
        print(f"{second.name} against {first.name}: {m['pairs']} pairs ({m['negative_reference']} negative in the "
              f"reference)\n  negative for the bank: precision {m['precision']:.3f}  recall {m['recall']:.3f}  "
              f"F1 {m['f1']:.3f}  accuracy {m['accuracy']:.3f}  kappa {m['kappa']:.3f}\n"
              f"  categories: micro-F1 {m['category_micro_f1']:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
