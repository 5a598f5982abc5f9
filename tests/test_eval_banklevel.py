"""`reportgen eval` on bank-level labels: one (text, bank) pair per row, negative for that bank and
its risk categories (shared/LABELLING.md).

The first tests run on a small file written here, with every figure worked out by hand below.
The last ones run the shipped rules on the project's development set (devset/, joined with the
texts in ../shared/data by devset/build.py) and are skipped when the shared data is absent.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest
from click.testing import CliRunner

from reportgen.cli.app import cli
from reportgen.errors import DataError
from reportgen.score.datasets import load_examples
from reportgen.score.evaluate import bank_input, bank_target

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"

# Invented rows.  What the shipped rules say about each, and why the figures below follow:
#   a  negative, ops_loss + complaint (卡…被盗刷, 客服…推诿)     gold negative, ops_loss + complaint  → TP
#   b  negative, regulatory (被罚)                                gold negative, regulatory            → TP
#   c  not negative, none (免年费 is a promotion)                 gold not negative, none              → TN
#   d  not negative, none (the bank is an @-mention only)         gold not negative, none              → TN
#   e  not negative, none (nothing unfavourable is said)          gold negative, complaint             → FN
#   f  negative, regulatory (违规放贷)                            gold not negative, none              → FP
#   g  not negative, performance (净利…增长)                      gold not negative, performance       → TN
ROWS = [
    {"id": "a", "text": "招行信用卡被盗刷两万，客服推诿不管", "bank": "招行", "negative_for_bank": True,
     "categories": ["ops_loss", "complaint"]},
    {"id": "b", "text": "建行被罚款50万元", "bank": "建行", "negative_for_bank": True, "categories": ["regulatory"]},
    {"id": "c", "text": "工商银行信用卡刷满五笔免年费", "bank": "工商银行", "negative_for_bank": False,
     "categories": ["none"]},
    {"id": "d", "text": "#某平台暴雷# 还我血汗钱 @中信银行", "bank": "中信银行", "negative_for_bank": False,
     "categories": ["none"]},
    {"id": "e", "text": "民生银行的网点今天人不多", "bank": "民生银行", "negative_for_bank": True,
     "categories": ["complaint"]},
    {"id": "f", "text": "浦发银行被曝违规放贷", "bank": "浦发银行", "negative_for_bank": False, "categories": ["none"]},
    {"id": "g", "text": "农业银行上半年净利增长12%", "bank": "农业银行", "negative_for_bank": False,
     "categories": ["performance"]},
]


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def run_eval(*args: str) -> dict:
    result = CliRunner().invoke(cli, ["eval", *args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture()
def rows_file(tmp_path: Path) -> Path:
    return write_jsonl(tmp_path / "banks.jsonl", ROWS)


def test_bank_level_figures_match_the_hand_count(rows_file: Path) -> None:
    out = run_eval("--data", str(rows_file))
    assert out["rows"] == 7
    # negative for the bank: TP a b, FP f, FN e, TN c d g
    assert out["bank_negative"] == {"precision": 0.6667, "recall": 0.6667, "f1": 0.6667}
    assert out["confusion"] == {"negative": {"negative": 2, "not_negative": 1},
                                "not_negative": {"negative": 1, "not_negative": 3}}
    # categories, "none" left out: complaint TP a, FN e; ops_loss TP a; regulatory TP b, FP f;
    # performance TP g → micro P = R = 4/5; macro = (2/3 + 1 + 2/3 + 1) / 4
    assert out["category_micro_f1"] == 0.8
    assert out["category_macro_f1"] == 0.8333
    per = out["per_category"]
    assert list(per) == ["complaint", "ops_loss", "regulatory", "performance", "none"]
    assert per["complaint"] == {"precision": 1.0, "recall": 0.5, "f1": 0.6667, "support": 2}
    assert per["ops_loss"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0, "support": 1}
    assert per["regulatory"] == {"precision": 0.5, "recall": 1.0, "f1": 0.6667, "support": 1}
    assert per["performance"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0, "support": 1}
    # none as a row-level check: gold none c d f, predicted none c d e
    assert per["none"] == {"precision": 0.6667, "recall": 0.6667, "f1": 0.6667, "support": 3}
    # the FinNSP / FinFE figures do not apply to bank-level rows
    assert not {"item_f1", "entity_f1", "macro_f1", "accuracy"} & set(out)


def test_mistakes_list_the_misjudged_rows_with_their_reasons(rows_file: Path) -> None:
    out = run_eval("--data", str(rows_file), "--mistakes", "5")
    by_id = {m["id"]: m for m in out["mistakes"]}
    assert set(by_id) == {"e", "f"}
    f = by_id["f"]
    assert (f["bank"], f["gold"], f["predicted"]) == ("浦发银行", False, True)
    assert f["gold_categories"] == ["none"] and f["predicted_categories"] == ["regulatory"]
    assert "违规放贷" in f["reasons"]
    assert f["category_terms"] == {"regulatory": ["违规放贷"]}
    assert by_id["e"]["reasons"] == [] and by_id["e"]["predicted_categories"] == []
    # at most N
    assert len(run_eval("--data", str(rows_file), "--mistakes", "1")["mistakes"]) == 1


def test_the_text_report_names_banks_and_categories(rows_file: Path) -> None:
    result = CliRunner().invoke(cli, ["eval", "--data", str(rows_file), "--mistakes", "2"])
    assert result.exit_code == 0, result.output
    assert "negative for the bank:  precision 0.6667  recall 0.6667  F1 0.6667" in result.output
    assert "micro-F1 0.8000  macro-F1 0.8333" in result.output
    assert "✗ f [浦发银行]: gold not negative none · predicted negative regulatory" in result.output


def test_a_short_form_is_the_target_with_its_full_name() -> None:
    target = bank_target("招行")
    assert target.key == "招商银行"
    assert target.names[0] == "招行" and "招商银行" in target.names
    # an ambiguous short form is used only when the label writes it
    assert "招商" not in target.names and "招商" in bank_target("招商").names
    # a bank the table does not know is its own name
    assert bank_target("邯郸银行").names == ("邯郸银行",)


def test_other_banks_and_namesakes_are_co_mentions(tmp_path: Path) -> None:
    rows = [{"text": "中信降额了，招商倒是提额了", "bank": "招商", "negative_for_bank": False, "categories": ["none"]},
            {"text": "平安普惠利息太高，平安银行还行", "bank": "平安银行", "negative_for_bank": False,
             "categories": ["none"]}]
    first, second = load_examples(write_jsonl(tmp_path / "o.jsonl", rows))
    others = {t.key: t.names for t in bank_input(first).others}
    assert set(others) == {"中信银行"} and "中信" in others["中信银行"]
    assert "平安普惠" in {t.key for t in bank_input(second).others}


@pytest.mark.parametrize("row, problem", [
    ({"text": "招行被罚", "bank": "建行", "negative_for_bank": True}, "does not occur"),
    ({"text": "招行被罚", "negative_for_bank": True}, "need `bank`"),
    ({"text": "招行被罚", "bank": "招行", "categories": ["none", "regulatory"]}, "never combined"),
    ({"text": "招行被罚", "bank": "招行", "negative_for_bank": "maybe"}, "true or false"),
])
def test_bad_bank_level_rows_name_the_line(tmp_path: Path, row: dict, problem: str) -> None:
    path = write_jsonl(tmp_path / "bad.jsonl", [ROWS[0], row])
    with pytest.raises(DataError, match=problem) as info:
        load_examples(path)
    assert "bad.jsonl:2" in str(info.value)


def test_bank_level_rows_work_with_a_trained_model(tmp_path: Path, rows_file: Path) -> None:
    pytest.importorskip("sklearn", reason="training needs scikit-learn (the `ml` extra)")
    train = [{"text": f"{p}涉嫌非法集资被立案侦查", "entities": [p], "key_entities": [p]}
             for p in ("鑫盛财富", "汇金宝", "融信通", "金鼎理财", "聚财猫", "富民贷", "安心投", "银谷在线")] * 4
    train += [{"text": f"{p}发布年度报告，营业收入稳步增长", "entities": [p], "key_entities": []}
              for p in ("鑫盛财富", "汇金宝", "融信通", "金鼎理财", "聚财猫", "富民贷", "安心投", "银谷在线")] * 4
    model = tmp_path / "m.model"
    result = CliRunner().invoke(cli, ["model", "train", "--data", str(write_jsonl(tmp_path / "t.jsonl", train)),
                                      "--out", str(model), "--json"])
    assert result.exit_code == 0, result.output
    out = run_eval("--data", str(rows_file), "--model", str(model))
    assert out["scorer"] == "model" and out["rows"] == 7
    assert set(out["bank_negative"]) == {"precision", "recall", "f1"}
    assert {"category_micro_f1", "category_macro_f1", "per_category"} <= set(out)
    assert sum(sum(row.values()) for row in out["confusion"].values()) == 7


# --- the shipped rules on the project's development set ----------------------------------------------


def _devset_module(name: str = "build") -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"devset_{name}", ROOT / "devset" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def devset(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    if not (SHARED / "data").is_dir():
        pytest.skip(f"{SHARED / 'data'} not found: the devset texts live in ../shared/data, which a fresh clone "
                    "lacks (devset/labels.jsonl holds only ids and labels)")
    splits = _devset_module().build(SHARED)
    folder = tmp_path_factory.mktemp("devset")
    files = {name: write_jsonl(folder / f"{name}.jsonl", rows) for name, rows in splits.items()}
    assert _devset_module("pool").main(["--shared", str(SHARED), "--out", str(folder)]) == 0
    return files | {name: folder / f"{name}.jsonl" for name in ("pool-a", "pool-b", "titles-a", "titles-b")}


# Regression guards for the shipped rules, a little under what they score today (README.md lists the
# figures).  The rules were tuned on the train split only; the test split is held out, and test-first is its
# part from the first two labelling rounds (comparable with the figures before the third round).
GUARDS = {"train": {"f1": 0.80, "micro": 0.75}, "test": {"f1": 0.62, "micro": 0.53},
          "test-first": {"f1": 0.70, "micro": 0.60}}


@pytest.mark.parametrize("split", ["train", "test", "test-first"])
def test_rules_on_the_devset_split(devset: dict[str, Path], split: str) -> None:
    out = run_eval("--data", str(devset[split]))
    assert out["rows"] == {"train": 1836, "test": 893, "test-first": 255}[split]
    assert out["bank_negative"]["f1"] >= GUARDS[split]["f1"], out["bank_negative"]
    assert out["category_micro_f1"] >= GUARDS[split]["micro"], out
    assert sum(v["support"] for v in out["per_category"].values()) >= out["rows"]  # every row has a code


# The pool and the titles (devset/README.md): real texts that name no bank, a bank put in; half b is only ever
# counted.  Guards a little under today's figures: what carries to texts nobody tuned on must not slip back.
POOL_GUARDS = {"pool-b": {"f1": 0.46, "micro": 0.41}, "titles-b": {"f1": 0.80, "micro": 0.67}}


@pytest.mark.parametrize("split", sorted(POOL_GUARDS))
def test_rules_on_the_pool_and_titles_nobody_tuned_on(devset: dict[str, Path], split: str) -> None:
    out = run_eval("--data", str(devset[split]))
    assert out["rows"] == {"pool-b": 2740, "titles-b": 125}[split]
    assert out["bank_negative"]["f1"] >= POOL_GUARDS[split]["f1"], out["bank_negative"]
    assert out["category_micro_f1"] >= POOL_GUARDS[split]["micro"], out


ISSUE_TARGETS = pytest.mark.xfail(
    reason="issue 15's targets on the held-out test split (negative F1 >= 0.85, category micro-F1 >= 0.80, recall "
           ">= 0.6 for every category with >= 10 test rows) are beyond the rules: written from train they reach 0.83 "
           "F1 there but 0.65 on the 893 held-out rows (0.72 on the first rounds' 255), where most missed rows use "
           "wording no rule has seen; rounds on invented texts and on the pool and titles nobody tuned on raised "
           "those checks, and changed 5 of the 893 held-out verdicts (see README.md)",
    strict=True)


@ISSUE_TARGETS
def test_rules_reach_issue_15_targets_on_the_held_out_split(devset: dict[str, Path]) -> None:
    out = run_eval("--data", str(devset["test"]))
    assert out["bank_negative"]["f1"] >= 0.85
    assert out["category_micro_f1"] >= 0.80
    gated = {code: v for code, v in out["per_category"].items() if code != "none" and v["support"] >= 10}
    assert all(v["recall"] >= 0.6 for v in gated.values()), gated
