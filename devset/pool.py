#!/usr/bin/env python3
"""A second, weakly labelled check for the judgement on forum posts: the card-forum comments the devset does
not use, with the source dataset's own sentiment as the label.

Why: the rules were written from the devset's training rows, so their figures there overstate held-out
quality, and the held-out split must not be tuned on.  The shared comments the devset did not take (they
name no specific bank) are the same kind of text, and CCF BDCI 2021 labelled each one negative, neutral or
positive.  That label is not ours (a flat refusal is often BDCI-negative and ours `none`; a grievance told
calmly is often BDCI-neutral), so the pool measures *agreement*, not accuracy: it is for seeing whether a
change to the cues carries to texts nobody tuned on, never a target.

Each comment becomes one bank-level row.  The comments address the card issuer without naming it, so a
short bank name (one of :data:`BANKS`, picked by the id's SHA-1) is put in front: ``交行，<comment>``.
``negative_for_bank`` is BDCI's ``negative``; ``categories`` is ``["complaint"]`` for those and
``["none"]`` otherwise (the pool is not for category figures).

Rows are dropped when the id is in ``labels.jsonl``, or the text is a near-repeat (character 3-gram
Jaccard >= 0.5, or containment) of any devset text or of an earlier pool text.  ``half`` splits the pool by
the SHA-1 of the id: ``a`` may be read when writing cues, ``b`` is only ever counted.

**Our own labels.**  Once ``pool-labels.jsonl`` exists (the same judgements as the devset, made by reading
each prefixed comment against ``docs/labelling.md``; ids, banks and labels only), the pool is read from it
instead: its rows, its ``negative_for_bank`` and ``categories``, with BDCI's sentiment kept as ``bdci``.
``--bdci`` ignores the file and gives the source's labels.

    python devset/pool.py                  # writes devset/out/pool-a.jsonl and pool-b.jsonl
    reportgen eval --data devset/out/pool-b.jsonl --json

Standard library only.
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import importlib.util
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
POOL_LABELS = HERE / "pool-labels.jsonl"
TITLE_LABELS = HERE / "title-labels.jsonl"
SYNTHETIC = HERE / "synthetic.jsonl"
BANKS = ("招行", "交行", "建行", "广发", "浦发", "中信")
TITLE_BANKS = ("工商银行", "建设银行", "招商银行", "交通银行", "浦发银行", "中信银行", "民生银行", "平安银行")
JACCARD = 0.5
# A generic bank as a headline's actor or place: at the start of a clause or after a verb or preposition, with a
# quantifier (某, 多家, 有…) taken along; not 银行卡, 银行间, 银行业, 银行家, 银行们 and not a rate.
GENERIC_BANK = re.compile(r"(?:^|(?<=[，,：:\s在向被诉到去对让和与跟把给称曝帮找从进入]))"
                          r"(?:某|有|一家|[多两三四五六几十]家|各大|该|这家)?银行"
                          r"(?!卡|账户|账号|存款利率|利率|间|业|贷款利率|家|们)")


@functools.cache
def _build_module():
    spec = importlib.util.spec_from_file_location("devset_build", HERE / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _grams(text: str) -> set[str]:
    text = "".join(text.split())
    return {text[i:i + 3] for i in range(max(1, len(text) - 2))}


class _NearIndex:
    """Near-repeat lookup by character 3-grams (an inverted index keeps it fast enough for 10k texts)."""

    def __init__(self) -> None:
        self.texts: list[str] = []
        self.grams: list[set[str]] = []
        self.index: dict[str, list[int]] = {}

    def add(self, text: str) -> None:
        grams = _grams(text)
        n = len(self.texts)
        self.texts.append("".join(text.split()))
        self.grams.append(grams)
        for g in grams:
            self.index.setdefault(g, []).append(n)

    def near(self, text: str) -> bool:
        flat = "".join(text.split())
        grams = _grams(text)
        shared: dict[int, int] = {}
        for g in grams:
            for i in self.index.get(g, ()):
                shared[i] = shared.get(i, 0) + 1
        for i, k in shared.items():
            other = self.grams[i]
            if k / (len(grams) + len(other) - k) >= JACCARD:
                return True
            if len(flat) >= 6 and (flat in self.texts[i] or self.texts[i] in flat):
                return True
        return False


def _sha(s: str) -> str:
    return hashlib.sha1(s.encode("utf-8")).hexdigest()


def _half(row_id: str) -> str:
    """The half a row belongs to, fixed by the SHA-1 of its id: ``a`` (readable) or ``b`` (counted only)."""
    return "a" if int(_sha(row_id)[-1], 16) % 2 == 0 else "b"


def _bank_for(row_id: str, banks: tuple[str, ...]) -> str:
    """The bank name put into a row, picked from ``banks`` by the SHA-1 of its id."""
    return banks[int(_sha(row_id)[:8], 16) % len(banks)]


def _write(path: Path, rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")


def build_pool(shared: Path) -> dict[str, list[dict]]:
    build = _build_module()
    texts = build.load_texts(shared)
    labelled = build.load_labels(build.DEFAULT_LABELS)
    used = {row["id"] for row in labelled}
    seen = _NearIndex()
    for i in sorted(used):
        seen.add(texts[i])
    pool: dict[str, list[dict]] = {"a": [], "b": []}
    comments = build._read_jsonl(shared / build.COMMENTS)
    for row in comments:
        if row["id"] in used or len(row["text"].strip()) < 4 or seen.near(row["text"]):
            continue
        seen.add(row["text"])
        bank = _bank_for(row["id"], BANKS)
        negative = row["sentiment"] == "negative"
        half = _half(row["id"])
        pool[half].append({
            "id": row["id"], "text": f"{bank}，{row['text']}", "bank": bank, "negative_for_bank": negative,
            "categories": ["complaint"] if negative else ["none"], "bdci": row["sentiment"], "half": half})
    return pool


def title_candidates(shared: Path) -> list[dict]:
    """Weibo hot-search titles the devset could not use because they name no bank ("银行回应…", "多家银行…"),
    the first generic bank replaced by one of :data:`TITLE_BANKS` (picked by the id's SHA-1).  Titles in
    ``labels.jsonl`` or near-repeats of a devset text or an earlier title are dropped."""
    build = _build_module()
    texts = build.load_texts(shared)
    used = {row["id"] for row in build.load_labels(build.DEFAULT_LABELS)}
    seen = _NearIndex()
    for i in sorted(used):
        seen.add(texts[i])
    rows = []
    for row in build._read_jsonl(shared / build.WEIBO):
        if row["id"] in used or not GENERIC_BANK.search(row["text"]) or seen.near(row["text"]):
            continue
        seen.add(row["text"])
        bank = _bank_for(row["id"], TITLE_BANKS)
        rows.append({"id": row["id"], "text": GENERIC_BANK.sub(bank, row["text"], count=1), "bank": bank,
                     "half": _half(row["id"])})
    return rows


def labelled_titles(shared: Path, labels: Path = TITLE_LABELS) -> dict[str, list[dict]]:
    """The titles as ``title-labels.jsonl`` labels them (the text rebuilt with the labelled bank)."""
    build = _build_module()
    build.load_texts(shared)
    source = {row["id"]: row["text"] for row in build._read_jsonl(shared / build.WEIBO)}
    titles: dict[str, list[dict]] = {"a": [], "b": []}
    for line_no, row in enumerate(build._read_jsonl(labels), start=1):
        if row["id"] not in source:
            raise build.LabelError(f"{labels.name} line {line_no}: unknown id {row['id']!r}")
        titles[row["half"]].append({
            "id": row["id"], "text": GENERIC_BANK.sub(row["bank"], source[row["id"]], count=1), "bank": row["bank"],
            "negative_for_bank": row["negative_for_bank"], "categories": row["categories"]})
    return titles


def labelled_pool(shared: Path, labels: Path = POOL_LABELS) -> dict[str, list[dict]]:
    """The pool as ``pool-labels.jsonl`` gives it: our labels, BDCI's kept as ``bdci``."""
    build = _build_module()
    build.load_texts(shared)  # the same missing-data check and message as the devset
    comments = {row["id"]: row for row in build._read_jsonl(shared / build.COMMENTS)}
    pool: dict[str, list[dict]] = {"a": [], "b": []}
    for line_no, row in enumerate(build._read_jsonl(labels), start=1):
        source = comments.get(row["id"])
        if source is None:
            raise build.LabelError(f"{labels.name} line {line_no}: unknown id {row['id']!r}")
        pool[row["half"]].append({
            "id": row["id"], "text": f"{row['bank']}，{source['text']}", "bank": row["bank"],
            "negative_for_bank": row["negative_for_bank"], "categories": row["categories"],
            "bdci": source["sentiment"]})
    return pool


def main(argv: list[str] | None = None) -> int:
    build = _build_module()
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=build.DEFAULT_SHARED)
    parser.add_argument("--out", type=Path, default=build.DEFAULT_OUT)
    parser.add_argument("--bdci", action="store_true", help="BDCI's sentiment as the label, not pool-labels.jsonl")
    args = parser.parse_args(argv)
    try:
        pool = build_pool(args.shared) if args.bdci or not POOL_LABELS.exists() else labelled_pool(args.shared)
    except build.SharedDataMissing as exc:
        print(f"pool: {exc}", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    for half, rows in pool.items():
        _write(args.out / f"pool-{half}.jsonl", rows)
        negative = sum(r["negative_for_bank"] for r in rows)
        bdci = sum(r["bdci"] == "negative" for r in rows)
        print(f"pool-{half}: {len(rows)} rows, {negative} negative, {bdci} BDCI-negative")
    if SYNTHETIC.exists():  # the invented rows, halved the same way (a: read when writing cues, b: counted)
        halves: dict[str, list[str]] = {"a": [], "b": []}
        for line in SYNTHETIC.read_text(encoding="utf-8").splitlines():
            if line.strip():
                halves[_half(json.loads(line)["id"])].append(line)
        for half, lines in halves.items():
            (args.out / f"synthetic-{half}.jsonl").write_text("".join(x + "\n" for x in lines), encoding="utf-8")
            print(f"synthetic-{half}: {len(lines)} rows")
    if TITLE_LABELS.exists():
        for half, rows in labelled_titles(args.shared).items():
            _write(args.out / f"titles-{half}.jsonl", rows)
            print(f"titles-{half}: {len(rows)} rows, {sum(r['negative_for_bank'] for r in rows)} negative")
    else:
        rows = title_candidates(args.shared)
        _write(args.out / "title-candidates.jsonl", rows)
        print(f"title candidates (unlabelled): {len(rows)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
