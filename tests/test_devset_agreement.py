"""devset/agreement.py: two labellings of the same pairs compared (the human ceiling the issue-15 targets meet)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("devset_agreement", ROOT / "devset" / "agreement.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _write(path: Path, rows: list[tuple[str, str, bool, list[str]]]) -> Path:
    path.write_text("".join(json.dumps({"id": i, "bank": b, "negative_for_bank": n, "categories": c},
                                       ensure_ascii=False) + "\n" for i, b, n, c in rows), encoding="utf-8")
    return path


def test_agreement_counts_only_shared_pairs_and_scores_the_other_against_the_reference(tmp_path, capsys):
    ref = _write(tmp_path / "ref.jsonl", [
        ("a", "甲行", True, ["complaint"]), ("b", "甲行", True, ["fee_rate", "complaint"]),
        ("c", "甲行", False, ["none"]), ("d", "甲行", False, ["none"]), ("x", "乙行", True, ["outage"])])
    other = _write(tmp_path / "other.jsonl", [
        ("a", "甲行", True, ["complaint"]), ("b", "甲行", False, ["none"]),
        ("c", "甲行", True, ["complaint"]), ("d", "甲行", False, ["none"])])
    mod = _module()
    m = mod.compare(mod.load(ref), mod.load(other))
    assert m["pairs"] == 4 and m["negative_reference"] == 2  # x is in the reference only
    assert (m["precision"], m["recall"], m["f1"]) == (0.5, 0.5, 0.5)
    assert m["accuracy"] == 0.5
    assert m["kappa"] == pytest.approx(0.0)  # 0.5 observed, 0.5 by chance
    # categories: a agrees (1 tp); b's two codes are missed (2 fn); c's complaint is extra (1 fp)
    assert m["category_micro_f1"] == pytest.approx(2 * (1 / 2) * (1 / 3) / (1 / 2 + 1 / 3))
    assert mod.main([str(ref), str(other)]) == 0
    assert "kappa 0.000" in capsys.readouterr().out


def test_identical_labellings_agree_fully(tmp_path):
    rows = [("a", "甲行", True, ["complaint"]), ("b", "甲行", False, ["none"])]
    mod = _module()
    m = mod.compare(mod.load(_write(tmp_path / "r.jsonl", rows)), mod.load(_write(tmp_path / "o.jsonl", rows)))
    assert (m["f1"], m["kappa"], m["category_micro_f1"]) == (1.0, 1.0, 1.0)


def test_disjoint_files_are_an_error(tmp_path):
    mod = _module()
    a = mod.load(_write(tmp_path / "a.jsonl", [("a", "甲行", True, ["complaint"])]))
    b = mod.load(_write(tmp_path / "b.jsonl", [("b", "甲行", True, ["complaint"])]))
    with pytest.raises(SystemExit, match="share no"):
        mod.compare(a, b)
