#!/usr/bin/env python3
"""Join the hand-labelled development set with the shared texts it refers to.

``devset/labels.jsonl`` holds only ids and judgements (the texts' licences do not
allow copying them into the repository). This script looks each id up in the
shared data and writes evaluation files, one JSON object per line::

    {"id", "text", "bank", "negative_for_bank", "categories"}

to ``<out>/train.jsonl``, ``<out>/test.jsonl`` and ``<out>/all.jsonl``, and the held-out rows of the
first two labelling rounds again to ``<out>/test-first.jsonl`` (comparable with figures from before the
third round).

Id forms understood:

* ``wb-...``  -> ``data/realtexts/weibo-bank-titles.jsonl`` (field ``id``)
* ``cv-...``  -> ``data/realtexts/bdci2021-bank-comments.jsonl`` (field ``id``)
* ``finnsp-<8 hex>`` -> ``data/finnsp/{train,eval}.jsonl`` (upstream field ``id``)
* ``finnsp-train-<n>`` / ``finnsp-eval-<n>`` -> 0-based line ``n`` of that file

For FinNSP the output text is the headline (when it is not already part of the body)
followed by the body; there is no separate title field.

Standard library only (Python 3.11). Usable from tests::

    spec = importlib.util.spec_from_file_location("devset_build", path)
    ...
    splits = module.build(shared_path)   # {"train": [...], "test": [...], "all": [...]}
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parent
DEFAULT_SHARED = Path(__file__).resolve().parents[1].parent / "shared"
DEFAULT_LABELS = HERE / "labels.jsonl"
DEFAULT_OUT = HERE / "out"

CATEGORIES = (
    "complaint",
    "mis_selling",
    "data_leak",
    "fee_rate",
    "ops_loss",
    "regulatory",
    "fraud_crime",
    "outage",
    "personnel",
    "performance",
    "none",
)
# Categories a non-negative row may carry (see shared/LABELLING.md): a profit rise is
# performance, a routine appointment is personnel, everything else is none.
NON_NEGATIVE_CATEGORIES = {"performance", "personnel", "none"}
LABEL_KEYS = ["id", "bank", "negative_for_bank", "categories", "reason", "split"]
# Rows added in a later labelling round carry its number last ("batch": 3); rows without it are the first
# two rounds, whose held-out rows are also written to out/test-first.jsonl so that figures stay comparable.
BATCH_KEY = "batch"
SPLITS = ("train", "test")
OUTPUTS = ("train", "test", "all", "test-first")

WEIBO = Path("data/realtexts/weibo-bank-titles.jsonl")
COMMENTS = Path("data/realtexts/bdci2021-bank-comments.jsonl")
FINNSP = {"train": Path("data/finnsp/train.jsonl"), "eval": Path("data/finnsp/eval.jsonl")}


class SharedDataMissing(Exception):
    """The shared data folder (or one of its files) is not there."""


class LabelError(Exception):
    """labels.jsonl is malformed or disagrees with the shared texts."""


def _display(path: Path) -> str:
    """A path as the user is likely to think of it: relative to the repo root if close."""
    try:
        rel = os.path.relpath(path, REPO_ROOT)
    except ValueError:  # different drive on Windows
        return str(path)
    return rel if rel.count("..") <= 1 else str(path)


def _read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _check_shared(shared: Path) -> None:
    realtexts = shared / "data" / "realtexts"
    if not realtexts.is_dir():
        raise SharedDataMissing(
            f"{_display(realtexts)} not found: the development set joins ids with the shared texts; nothing written"
        )
    for rel in (WEIBO, COMMENTS, *FINNSP.values()):
        if not (shared / rel).is_file():
            raise SharedDataMissing(
                f"{_display(shared / rel)} not found: the development set joins ids with the shared "
                "texts; nothing written"
            )


def load_texts(shared: Path) -> dict[str, str]:
    """Map every addressable id to its text."""
    _check_shared(shared)
    texts: dict[str, str] = {}
    for rel in (WEIBO, COMMENTS):
        for row in _read_jsonl(shared / rel):
            texts[row["id"]] = row["text"]
    for split, rel in FINNSP.items():
        for line_no, row in enumerate(_read_jsonl(shared / rel)):
            text = finnsp_text(row)
            texts[f"finnsp-{split}-{line_no}"] = text
            texts[f"finnsp-{row['id']}"] = text
    return texts


def finnsp_text(row: dict) -> str:
    """A FinNSP row as one text: the headline, if it adds anything, then the body.

    Many FinNSP news rows name the bank only in the headline, and a monitored item is
    read headline-first too, so the title is folded into the text (there is no
    separate title field in the output).
    """
    title = (row.get("title") or "").strip()
    body = row["text"]
    if title and title not in body:
        return f"{title}\n{body}"
    return body


def load_labels(labels: Path) -> list[dict]:
    """Read and validate labels.jsonl (structure only; texts are checked in build)."""
    problems: list[str] = []
    rows: list[dict] = []
    seen: set[tuple[str, str]] = set()
    with labels.open(encoding="utf-8") as handle:
        for line_no, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                problems.append(f"line {line_no}: not JSON ({exc})")
                continue
            where = f"line {line_no} ({row.get('id')!r}, {row.get('bank')!r})"
            if list(row) not in (LABEL_KEYS, [*LABEL_KEYS, BATCH_KEY]):
                problems.append(f"{where}: keys {list(row)} != {LABEL_KEYS} (+ optional {BATCH_KEY!r})")
                continue
            if BATCH_KEY in row and (not isinstance(row[BATCH_KEY], int) or row[BATCH_KEY] < 3):
                problems.append(f"{where}: {BATCH_KEY} must be an integer >= 3 (earlier rows carry none)")
            cats = row["categories"]
            if not isinstance(row["negative_for_bank"], bool):
                problems.append(f"{where}: negative_for_bank must be true/false")
            if not isinstance(cats, list) or not cats or any(c not in CATEGORIES for c in cats):
                problems.append(f"{where}: bad categories {cats!r}")
            elif "none" in cats and cats != ["none"]:
                problems.append(f"{where}: 'none' combined with other categories")
            elif len(set(cats)) != len(cats):
                problems.append(f"{where}: repeated category")
            elif row["negative_for_bank"] and cats == ["none"]:
                problems.append(f"{where}: negative row labelled ['none']")
            elif not row["negative_for_bank"] and not set(cats) <= NON_NEGATIVE_CATEGORIES:
                problems.append(f"{where}: non-negative row may only carry performance/personnel/none")
            if row["split"] not in SPLITS:
                problems.append(f"{where}: split must be one of {SPLITS}")
            key = (row["id"], row["bank"])
            if key in seen:
                problems.append(f"{where}: duplicate (id, bank)")
            seen.add(key)
            rows.append(row)
    if problems:
        raise LabelError("labels.jsonl has problems:\n  " + "\n  ".join(problems))
    return rows


def build(shared: Path, labels: Path = DEFAULT_LABELS) -> dict[str, list[dict]]:
    """Join labels with texts. Returns {"train": [...], "test": [...], "all": [...], "test-first": [...]}
    (``test-first``: the held-out rows of the first two labelling rounds, without a ``batch``).

    Raises SharedDataMissing when the shared data is absent and LabelError when a
    label row is malformed, its id is unknown, or its bank is not a substring of
    its text.
    """
    texts = load_texts(Path(shared))
    rows = load_labels(Path(labels))
    unknown = [row["id"] for row in rows if row["id"] not in texts]
    if unknown:
        raise LabelError(f"{len(unknown)} ids not found in the shared data: {', '.join(unknown)}")
    bad_bank = [f"{row['id']} ({row['bank']})" for row in rows if row["bank"] not in texts[row["id"]]]
    if bad_bank:
        raise LabelError(f"{len(bad_bank)} rows whose bank is not a substring of the text: {', '.join(bad_bank)}")
    result: dict[str, list[dict]] = {name: [] for name in OUTPUTS}
    for row in rows:
        item = {
            "id": row["id"],
            "text": texts[row["id"]],
            "bank": row["bank"],
            "negative_for_bank": row["negative_for_bank"],
            "categories": list(row["categories"]),
        }
        result[row["split"]].append(item)
        result["all"].append(item)
        if row["split"] == "test" and BATCH_KEY not in row:
            result["test-first"].append(item)
    return result


def summary(splits: dict[str, list[dict]]) -> str:
    """Rows per split, category support per split, negative share."""
    names = ("train", "test", "all")
    lines = ["rows: " + ", ".join(f"{name} {len(splits[name])}" for name in names)]
    width = max(len(c) for c in CATEGORIES)
    lines.append(f"{'category':<{width}}  {'train':>5}  {'test':>5}  {'all':>5}  test share")
    for cat in CATEGORIES:
        counts = [sum(cat in item["categories"] for item in splits[name]) for name in names]
        share = counts[1] / counts[2] if counts[2] else 0.0
        lines.append(f"{cat:<{width}}  {counts[0]:>5}  {counts[1]:>5}  {counts[2]:>5}  {share:10.2f}")
    for name in names:
        items = splits[name]
        neg = sum(item["negative_for_bank"] for item in items)
        share = neg / len(items) if items else 0.0
        lines.append(f"negative share {name}: {neg}/{len(items)} = {share:.3f}")
    sources = Counter(item["id"].split("-", 1)[0] for item in splits["all"])
    lines.append("sources: " + ", ".join(f"{k} {v}" for k, v in sorted(sources.items())))
    if "test-first" in splits:
        lines.append(f"test-first (held-out rows of the first two rounds): {len(splits['test-first'])}")
    return "\n".join(lines)


def write(splits: dict[str, list[dict]], out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name in OUTPUTS:
        if name not in splits:
            continue
        with (out / f"{name}.jsonl").open("w", encoding="utf-8") as handle:
            for item in splits[name]:
                handle.write(json.dumps(item, ensure_ascii=False) + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED, help="shared folder (default: %(default)s)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder (default: %(default)s)")
    parser.add_argument("--labels", type=Path, default=DEFAULT_LABELS, help=argparse.SUPPRESS)
    parser.add_argument(
        "--skip-missing",
        action="store_true",
        help="exit 0 (instead of 2) when the shared data is absent",
    )
    args = parser.parse_args(argv)
    try:
        splits = build(args.shared, args.labels)
    except SharedDataMissing as exc:
        print(exc, file=sys.stderr)
        return 0 if args.skip_missing else 2
    except LabelError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    write(splits, args.out)
    print(summary(splits))
    print(f"written: {_display(args.out)}/{{{','.join(OUTPUTS)}}}.jsonl")
    return 0


if __name__ == "__main__":
    sys.exit(main())
