"""devset/synthetic.jsonl: invented (text, bank) rows written for training, labelled by the guide."""

from __future__ import annotations

import importlib.util
import json
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SYNTHETIC = ROOT / "devset" / "synthetic.jsonl"
SHARED = ROOT.parent / "shared" / "data"
CODES = {"complaint", "mis_selling", "data_leak", "fee_rate", "ops_loss", "regulatory", "fraud_crime", "outage",
         "personnel", "performance", "none"}


def _rows() -> list[dict]:
    return [json.loads(line) for line in SYNTHETIC.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_every_row_is_well_formed_and_names_its_bank():
    rows = _rows()
    assert len(rows) > 1500
    assert len({r["id"] for r in rows}) == len(rows)
    assert len({(r["text"], r["bank"]) for r in rows}) == len(rows)
    for r in rows:
        assert set(r) == {"id", "text", "bank", "negative_for_bank", "categories"}, r
        assert r["id"].startswith("syn-") and r["bank"] and r["bank"] in r["text"], r
        cats = set(r["categories"])
        assert cats and cats <= CODES and ("none" not in cats or cats == {"none"}), r
        if r["negative_for_bank"]:
            assert cats != {"none"}, r
        else:
            assert cats <= {"none", "performance", "personnel"}, r


def test_every_category_is_represented_among_the_negative_rows():
    counts = Counter(c for r in _rows() if r["negative_for_bank"] for c in r["categories"])
    assert all(counts[c] >= 25 for c in CODES - {"none"}), counts


@pytest.mark.skipif(not (SHARED / "realtexts").is_dir(), reason="shared data absent (../shared/data): nothing to "
                    "compare the invented texts with")
def test_no_invented_text_repeats_a_shared_text():
    spec = importlib.util.spec_from_file_location("devset_pool", ROOT / "devset" / "pool.py")
    assert spec is not None and spec.loader is not None
    pool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(pool)
    index = pool._NearIndex()
    for name in ("bdci2021-bank-comments.jsonl", "weibo-bank-titles.jsonl"):
        for line in (SHARED / "realtexts" / name).read_text(encoding="utf-8").splitlines():
            index.add(json.loads(line)["text"])
    near = [r["id"] for r in _rows() if index.near(r["text"])]
    assert not near, near[:10]
