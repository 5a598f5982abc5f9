"""devset/pool.py: the card-forum comments the devset does not use, as a second check and more training rows."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
COMMENTS = SHARED / "data" / "realtexts" / "bdci2021-bank-comments.jsonl"


def _module(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"devset_{name}", ROOT / "devset" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_near_repeats_are_found_by_jaccard_and_by_containment():
    index = _module("pool")._NearIndex()
    index.add("交行的额度太低了，半年都不给提额，真是气人")
    assert index.near("交行的额度太低了，半年都不给提额，真是气人啊")  # one character more
    assert index.near("半年都不给提额")  # contained
    assert not index.near("招行的积分活动还不错，值得一办")


def test_the_labelled_pool_never_overlaps_the_devset_and_its_halves_are_fixed():
    labels = ROOT / "devset" / "pool-labels.jsonl"
    rows = [json.loads(line) for line in labels.read_text(encoding="utf-8").splitlines()]
    devset = {json.loads(line)["id"] for line in (ROOT / "devset" / "labels.jsonl").read_text().splitlines()}
    pool = _module("pool")
    assert rows and not {r["id"] for r in rows} & devset
    for r in rows:
        assert set(r) == {"id", "bank", "negative_for_bank", "categories", "reason", "half"}
        assert r["bank"] in pool.BANKS and r["id"].startswith("cv-")
        digest = pool._sha(r["id"])
        assert r["half"] == ("a" if int(digest[-1], 16) % 2 == 0 else "b")
        assert r["bank"] == pool.BANKS[int(digest[:8], 16) % len(pool.BANKS)]
        if r["negative_for_bank"]:
            assert r["categories"] != ["none"]
        else:
            assert set(r["categories"]) <= {"none", "performance", "personnel"}


def test_the_labelled_titles_are_weibo_titles_with_one_of_the_title_banks():
    labels = (ROOT / "devset" / "title-labels.jsonl").read_text(encoding="utf-8")
    rows = [json.loads(line) for line in labels.splitlines()]
    devset = {json.loads(line)["id"] for line in (ROOT / "devset" / "labels.jsonl").read_text().splitlines()}
    pool = _module("pool")
    assert rows and not {r["id"] for r in rows} & devset
    for r in rows:
        assert r["id"].startswith("wb-") and r["bank"] in pool.TITLE_BANKS
        digest = pool._sha(r["id"])
        assert r["half"] == ("a" if int(digest[-1], 16) % 2 == 0 else "b")
        assert r["negative_for_bank"] or set(r["categories"]) <= {"none", "performance", "personnel"}


def test_a_generic_bank_is_replaced_where_it_acts_and_nowhere_else():
    generic = _module("pool").GENERIC_BANK
    assert generic.sub("甲银行", "多家银行被曝暂停房贷", count=1) == "甲银行被曝暂停房贷"
    assert generic.sub("甲银行", "老人在银行取钱去世", count=1) == "老人在甲银行取钱去世"
    for text in ("银行卡被盗刷怎么办", "银行业协会发布报告", "人民银行下调准备金率", "银行间市场利率走低"):
        assert generic.search(text) is None, text


@pytest.mark.skipif(not COMMENTS.is_file(), reason="shared data absent (../shared/data): the pool joins ids with it")
def test_the_pool_rebuilds_from_the_shared_comments(tmp_path):
    pool = _module("pool")
    assert pool.main(["--shared", str(SHARED), "--out", str(tmp_path)]) == 0
    a = [json.loads(line) for line in (tmp_path / "pool-a.jsonl").read_text(encoding="utf-8").splitlines()]
    b = [json.loads(line) for line in (tmp_path / "pool-b.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(a) > 2000 and len(b) > 2000 and not {r["id"] for r in a} & {r["id"] for r in b}
    assert all(r["text"].startswith(r["bank"] + "，") for r in a + b)
    assert {r["bdci"] for r in a + b} == {"negative", "neutral", "positive"}
    titles = [json.loads(line) for line in (tmp_path / "titles-a.jsonl").read_text(encoding="utf-8").splitlines()]
    assert titles and all(r["bank"] in r["text"] and "银行" in r["text"] for r in titles)
    assert sorted(r["id"] for r in pool.title_candidates(SHARED)) == sorted(
        json.loads(line)["id"] for line in (ROOT / "devset" / "title-labels.jsonl").read_text().splitlines())
    # the source's labels are only ever a fallback: a fresh build from BDCI gives the same rows
    raw = pool.build_pool(SHARED)
    assert sorted(r["id"] for r in raw["a"] + raw["b"]) == sorted(r["id"] for r in a + b)


def test_a_missing_shared_folder_is_said_and_nothing_written(tmp_path, capsys):
    pool = _module("pool")
    assert pool.main(["--shared", str(tmp_path / "nowhere"), "--out", str(tmp_path / "out")]) == 2
    assert "not found" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()
