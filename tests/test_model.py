"""The trained backend: datasets, training, the safe model file, target-aware scoring, the CLI.

A small synthetic set (written here) trains a real model in a second or two; the figures on the
shared FinNSP / FinFE splits are checked at the end, skipped when ../shared/data is absent.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reportgen.cli.app import cli
from reportgen.errors import DataError, ReportgenError
from reportgen.score import LABELS, ScoreInput, Target
from reportgen.score.datasets import load_examples
from reportgen.score.features import Block, gram_keys, key_to_term
from reportgen.score.model import ModelScorer
from reportgen.score.train import train_model

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"

PLATFORMS = ["鑫盛财富", "汇金宝", "融信通", "金鼎理财", "聚财猫", "富民贷", "安心投", "银谷在线"]
BANKS = ["华夏银行", "恒丰银行", "渤海银行", "浙商银行", "广发银行", "北部湾银行"]
BAD = ["{a}涉嫌非法集资被立案侦查，{b}称仅为其资金存管银行",
       "{a}平台逾期兑付，大批出借人维权，{b}表示与其没有业务往来",
       "警方通报{a}实控人失联，{b}作为存管银行已冻结相关账户",
       "{a}被曝暴力催收，{b}回应称双方合作已于去年终止"]
GOOD = ["{a}与{b}签署战略合作协议，共同推进普惠金融",
        "{a}发布年度报告，营业收入稳步增长，{b}出席发布会",
        "{b}携手{a}推出新一代移动支付服务"]
SOLO = ["{a}高管被带走调查，公司已暂停营业", "{a}公布新一季度运营数据，交易额再创新高"]
POSTS = {"positive": ["明天涨停，满仓干", "好股，长线大牛", "突破新高，继续加仓", "主力进场，起飞了"],
         "negative": ["又跌停了，割肉离场", "垃圾股，庄家太黑", "亏惨了，再也不碰了", "套牢一年，骗子公司"],
         "neutral": ["今天成交量一般，先观望", "请问明天几点开盘", "公告说下周开股东大会",
                     "有人知道分红什么时候到账吗"]}


def synthetic_rows(n: int = 160, seed: int = 7) -> tuple[list[dict], list[dict]]:
    rng = random.Random(seed)
    entity_rows: list[dict] = []
    for i in range(n):
        a, b = rng.choice(PLATFORMS), rng.choice(BANKS)
        kind = rng.random()
        if kind < 0.45:
            text, ents, keys = rng.choice(BAD).format(a=a, b=b), [a, b], [a]
        elif kind < 0.85:
            text, ents, keys = rng.choice(GOOD).format(a=a, b=b), [b, a], []
        else:
            tpl = rng.choice(SOLO)
            text, ents, keys = tpl.format(a=a), [a], ([a] if "调查" in tpl else [])
        entity_rows.append({"id": f"s{i}", "title": "", "text": text + rng.choice(["", "。", "！", " 详情见官网"]),
                            "entities": ents, "key_entities": keys, "source_row": i})
    posts = [{"text": rng.choice(p) + rng.choice(["", "!", "。。", "哈哈", "？"]), "label": label}
             for label, p in POSTS.items() for _ in range(n // 6)]
    return entity_rows, posts


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("tiny")
    entity_rows, posts = synthetic_rows()
    nsp = write_jsonl(d / "nsp.jsonl", entity_rows)
    fe = write_jsonl(d / "fe.jsonl", posts)
    both, nsp_only = d / "both.model", d / "nsp.model"
    train_model([nsp, fe], both)
    train_model([nsp], nsp_only)
    return {"nsp": nsp, "fe": fe, "both": both, "nsp_only": nsp_only, "dir": d}


def entity_input(text: str, target: str, other: str) -> ScoreInput:
    return ScoreInput("", text, Target(target, (target,)), (Target(other, (other,)),))


# --- datasets ------------------------------------------------------------------------------------------------


def test_load_examples_reads_both_formats(tmp_path: Path) -> None:
    p = write_jsonl(tmp_path / "d.jsonl", [
        {"id": "x1", "title": "标题", "text": "正文", "entities": ["甲", "乙"], "key_entities": ["甲"],
         "source_row": 3},
        {"text": "没有标签的实体行", "entities": ["丙"], "key_entities": []},
        {"text": "好股", "label": "positive", "score": 1.0},
        {"text": "一般", "label_raw": "0.5"},
    ])
    p.write_text(p.read_text(encoding="utf-8") + "\n   \n", encoding="utf-8")  # blank lines are skipped
    ex = load_examples(p)
    assert len(ex) == 4
    assert (ex[0].id, ex[0].title, ex[0].entities, ex[0].key_entities, ex[0].negative) == (
        "x1", "标题", ("甲", "乙"), ("甲",), 1)
    assert ex[1].negative == 0 and ex[1].id == "d.jsonl:2"
    assert (ex[2].label, ex[2].negative, ex[2].key_entities, ex[2].entities) == ("positive", None, None, ())
    assert ex[3].label == "neutral"


@pytest.mark.parametrize(("line", "problem"), [
    ("{not json", "not valid JSON"),
    ('["a list"]', "expected a JSON object"),
    ('{"title": "no text"}', "missing `text`"),
    ('{"text": "x", "label": "bullish"}', "`label` must be one of"),
    ('{"text": "x", "label_raw": "2"}', "`label_raw`"),
    ('{"text": "x", "entities": ["甲"], "key_entities": ["乙"]}', "not listed in `entities`"),
    ('{"text": "x", "entities": ["甲"], "key_entities": ["甲"], "negative": 0}', "`negative` is 0"),
    ('{"text": "x", "negative": "yes"}', "`negative` must be 0 or 1"),
    ('{"text": "x", "entities": "甲;乙"}', "must be a list of strings"),
])
def test_load_examples_names_file_line_and_problem(tmp_path: Path, line: str, problem: str) -> None:
    p = tmp_path / "bad.jsonl"
    p.write_text('{"text": "ok", "label": "neutral"}\n\n' + line + "\n", encoding="utf-8")
    with pytest.raises(DataError) as err:
        load_examples(p)
    assert f"{p}:3:" in str(err.value)
    assert problem in str(err.value)


def test_load_examples_missing_or_empty_file(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="no such file"):
        load_examples(tmp_path / "absent.jsonl")
    (tmp_path / "empty.jsonl").write_text("\n\n", encoding="utf-8")
    with pytest.raises(DataError, match="no examples"):
        load_examples(tmp_path / "empty.jsonl")


# --- the featurizer ------------------------------------------------------------------------------------------


@given(st.lists(st.text(max_size=12), max_size=6))
def test_gram_keys_are_exactly_the_char_ngrams(strings: list[str]) -> None:
    strings = [x.replace("\x00", "") for x in strings]  # normalize() removes NUL; it separates strings
    keys, owner = gram_keys(strings)
    got = sorted((int(o), key_to_term(int(k))) for k, o in zip(keys, owner, strict=True))
    want = sorted((i, x[j:j + n]) for i, x in enumerate(strings) for n in (1, 2, 3) for j in range(len(x) - n + 1))
    assert got == want


def test_block_transform_matches_a_plain_implementation() -> None:
    rng = np.random.default_rng(5)
    vocab = np.unique(rng.integers(1, 2**40, 5000).astype(np.uint64))
    idf = rng.uniform(1.0, 5.0, len(vocab))
    block = Block(vocab, idf)
    n = 300
    absent = rng.integers(2**40, 2**41, 20000).astype(np.uint64)  # never in the vocabulary
    keys = np.where(rng.random(20000) < 0.6, vocab[rng.integers(0, len(vocab), 20000)], absent)
    owner = np.sort(rng.integers(0, n, 20000))
    row, col, val = block.transform(keys, owner, n)
    position = {int(k): i for i, k in enumerate(vocab)}
    for r in range(n):
        present = sorted({position[int(k)] for k in keys[owner == r] if int(k) in position})
        norm = float(np.sqrt(sum(idf[c] ** 2 for c in present))) if present else 1.0
        assert col[row == r].tolist() == present
        assert np.allclose(val[row == r], [idf[c] / norm for c in present])


# --- training and the model file -----------------------------------------------------------------------------


def test_model_has_the_heads_its_data_labels(tiny: dict[str, Path]) -> None:
    assert ModelScorer(tiny["both"]).heads == ("item", "target", "polarity")
    assert ModelScorer(tiny["nsp_only"]).heads == ("item", "target")


def test_reload_gives_identical_judgements(tiny: dict[str, Path], tmp_path: Path) -> None:
    copy = tmp_path / "copy.model"
    copy.write_bytes(tiny["both"].read_bytes())
    inputs = [ScoreInput(e.title, e.text, Target(t, (t,)), tuple(Target(o, (o,)) for o in e.entities if o != t))
              for e in load_examples(tiny["nsp"])[:40] for t in e.entities]
    inputs.append(ScoreInput("", "明天涨停，满仓干", Target("")))
    first, second = ModelScorer(tiny["both"]), ModelScorer(copy)
    assert first.version == second.version and first.version.startswith("model-2-")
    assert first.score_many(inputs) == second.score_many(inputs)


def test_batch_and_single_scoring_agree(tiny: dict[str, Path]) -> None:
    scorer = ModelScorer(tiny["both"])
    inputs = [entity_input("鑫盛财富涉嫌非法集资被立案侦查，华夏银行称仅为其资金存管银行", a, b)
              for a, b in (("鑫盛财富", "华夏银行"), ("华夏银行", "鑫盛财富"))]
    inputs += [ScoreInput("", "又跌停了，割肉离场", Target("")), ScoreInput("标题", "", Target("x", ("??",))),
               ScoreInput("", "坏\ud800消息\x00（全角）", Target("x", ("坏",)))]  # a lone surrogate, a NUL
    batch = scorer.score_many(inputs)
    for inp, b in zip(inputs, batch, strict=True):
        one = scorer.score(inp)
        assert (one.label, one.probabilities.keys()) == (b.label, b.probabilities.keys())
        assert one.score == pytest.approx(b.score, abs=1e-9)


def test_same_text_different_targets_different_answers(tiny: dict[str, Path]) -> None:
    scorer = ModelScorer(tiny["nsp_only"])
    # a combination of names never seen together in training
    text = "汇金宝平台逾期兑付，大批出借人维权，北部湾银行表示与其没有业务往来"
    platform, bank = scorer.score_many([entity_input(text, "汇金宝", "北部湾银行"),
                                        entity_input(text, "北部湾银行", "汇金宝")])
    assert platform.label == "negative" and platform.score < 0
    assert bank.label != "negative"
    assert platform.probabilities["negative"] > bank.probabilities["negative"]


def test_judgements_are_well_formed(tiny: dict[str, Path]) -> None:
    scorer = ModelScorer(tiny["both"])
    inputs = [entity_input(row["text"], t, o) for row in synthetic_rows(30, seed=99)[0]
              for t in row["entities"] for o in row["entities"] if o != t]
    inputs += [ScoreInput("", p, Target("")) for ps in POSTS.values() for p in ps]
    for j in scorer.score_many(inputs):
        assert j.label in LABELS and -1.0 <= j.score <= 1.0
        assert j.scorer == "model" and j.version == scorer.version
        assert sum(j.probabilities.values()) == pytest.approx(1.0)
        assert (j.label != "negative" or j.score < 0) and (j.label != "positive" or j.score > 0)
        assert j.reasons[-1].where == "model" and j.reasons[-1].note.startswith("p(negative)=")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=st.text(max_size=40), text=st.text(max_size=200), names=st.lists(st.text(max_size=6), max_size=3),
       other=st.text(max_size=6))
def test_scoring_never_raises_on_arbitrary_text(tiny: dict[str, Path], title: str, text: str, names: list[str],
                                                other: str) -> None:
    scorer = _cached_scorer(tiny["both"])
    inputs = [ScoreInput(title, text, Target("t", tuple(names)), (Target("o", (other,)),)),
              ScoreInput(title, text, Target("")), ScoreInput(text, title, Target("o", (other, *names)))]
    for j in scorer.score_many(inputs):
        assert j.label in LABELS and -1.0 <= j.score <= 1.0


_SCORERS: dict[Path, ModelScorer] = {}


def _cached_scorer(path: Path) -> ModelScorer:
    if path not in _SCORERS:
        _SCORERS[path] = ModelScorer(path)
    return _SCORERS[path]


def test_whole_text_judgement_uses_the_polarity_head(tiny: dict[str, Path]) -> None:
    scorer = ModelScorer(tiny["both"])
    bad, good = scorer.score_many([ScoreInput("", "亏惨了，再也不碰了", Target("")),
                                   ScoreInput("", "突破新高，继续加仓", Target(""))])
    assert (bad.label, good.label) == ("negative", "positive")
    # without a polarity head the item head judges the whole text
    whole = ModelScorer(tiny["nsp_only"]).score(ScoreInput("", "聚财猫高管被带走调查，公司已暂停营业", Target("")))
    assert whole.label == "negative"


def test_rules_supply_categories_and_reasons(tiny: dict[str, Path]) -> None:
    from reportgen.score.rules import RulesScorer

    rules = RulesScorer()
    scorer = ModelScorer(tiny["both"], rules=rules)
    assert scorer.version.endswith("+" + rules.version)
    inp = entity_input("安心投涉嫌非法集资被立案侦查，恒丰银行称仅为其资金存管银行", "安心投", "恒丰银行")
    by_rules, by_model = rules.score(inp), scorer.score(inp)
    assert by_model.label == "negative" and by_model.categories == by_rules.categories
    assert by_model.reasons[:-1] == by_rules.reasons
    assert by_model.reasons[-1].term == "model" and by_model.reasons[-1].weight == 0


def test_rules_categories_only_on_negative_model_judgements(tiny: dict[str, Path]) -> None:
    """A model without a categories head keeps the rules' categories only where it judges the
    target negative (performance and personnel aside)."""
    from reportgen.score.rules import RulesScorer

    rules = RulesScorer()
    scorer = ModelScorer(tiny["both"], rules=rules)
    inputs = [entity_input(row["text"], t, o) for row in synthetic_rows(60, seed=3)[0]
              for t in row["entities"] for o in row["entities"] if o != t]
    checked = 0
    for by_rules, by_model in zip(rules.score_many(inputs), scorer.score_many(inputs), strict=True):
        if by_model.label == "negative":
            assert by_model.categories == by_rules.categories
        else:
            assert set(by_model.category_codes) <= {"performance", "personnel"}
            checked += bool(by_rules.categories) and by_rules.category_codes != by_model.category_codes
    assert checked  # some rules' categories were dropped from judgements the model calls not negative


def test_version_1_model_files_are_still_read(tiny: dict[str, Path], tmp_path: Path) -> None:
    """Format 2 added heads; a version-1 file (a subset) scores as before, a newer one is refused."""
    header, body = _header_and_body(tiny["both"])
    header["format_version"] = 1
    old = ModelScorer(_write(tmp_path / "v1.model", header, body))
    assert old.heads == ("item", "target", "polarity")
    inp = entity_input("鑫盛财富涉嫌非法集资被立案侦查，华夏银行称仅为其资金存管银行", "鑫盛财富", "华夏银行")
    assert old.score(inp).label == ModelScorer(tiny["both"]).score(inp).label == "negative"
    header["format_version"] = 3
    with pytest.raises(DataError, match="version 3") as err:
        ModelScorer(_write(tmp_path / "v3.model", header, body))
    assert "upgrade reportgen" in (err.value.hint or "")


def test_scoring_does_not_need_scikit_learn(tiny: dict[str, Path]) -> None:
    code = ("import sys; sys.modules['sklearn'] = None; sys.modules['scipy'] = None\n"
            "from reportgen.score import ScoreInput, Target\n"
            "from reportgen.score.model import ModelScorer\n"
            f"j = ModelScorer({str(tiny['both'])!r}).score(ScoreInput('', '好股，长线大牛', Target('')))\n"
            "assert 'sklearn' not in [m.split('.')[0] for m in sys.modules if sys.modules[m] is not None]\n"
            "print(j.label)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() in LABELS


def test_training_without_scikit_learn_says_how_to_get_it(tiny: dict[str, Path], tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "sklearn", None)
    with pytest.raises(ReportgenError, match=r"reportgen\[ml\]"):
        train_model([tiny["nsp"]], tmp_path / "m.model")


def test_training_rejects_unlabelled_data(tmp_path: Path) -> None:
    p = write_jsonl(tmp_path / "plain.jsonl", [{"text": "只有正文"}] * 20)
    with pytest.raises(DataError, match="no labelled rows"):
        train_model([p], tmp_path / "m.model")


# --- bank-level heads: negative for this bank, and its categories ------------------------------------------

# An invented bank-level set in which each category has its own vocabulary, so the heads can learn it
# from a few dozen rows (LABELLING.md: categories only on bad news, except performance and personnel).
BANK_ROWS = {
    ("complaint",): ["{b}客服态度太差，排队两小时没人管", "{b}的催收电话天天打来骚扰，投诉无门",
                     "在{b}办业务被刁难，柜员不给办"],
    ("fee_rate",): ["{b}信用卡年费莫名扣了三百元", "{b}提前还款还要收违约金和手续费", "{b}上调了短信服务费，客户不满"],
    ("fraud_crime", "personnel"): ["{b}支行行长挪用客户存款被警方带走", "{b}原副行长受贿案开庭"],
    ("performance",): ["{b}去年净利润下滑三成，不良率上升", "{b}评级遭下调，营收腰斩"],
}
BANK_CALM = {
    ("performance",): ["{b}一季度净利润同比增长12%", "{b}营收创新高，资产质量稳中向好"],
    ("none",): ["{b}推出新款借记卡，开户送礼品", "{b}开展防范电信诈骗宣传进社区", "{b}与市政府签署战略合作协议"],
}
BANK_NAMES = ["华夏银行", "恒丰银行", "渤海银行", "浙商银行", "广发银行", "北部湾银行", "桂林银行", "长沙银行"]


def bank_rows(n: int, seed: int) -> list[dict]:
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        negative = rng.random() < 0.55
        table = BANK_ROWS if negative else BANK_CALM
        codes = rng.choice(list(table))
        bank = rng.choice(BANK_NAMES)
        text = rng.choice(table[codes]).format(b=bank) + rng.choice(["", "。", "！", "，网友热议", "？"])
        rows.append({"id": f"b{seed}-{i}", "text": text, "bank": bank, "negative_for_bank": negative,
                     "categories": list(codes)})
    return rows


@pytest.fixture(scope="module")
def bank_model(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    d = tmp_path_factory.mktemp("bank")
    data = write_jsonl(d / "bank.jsonl", bank_rows(240, seed=11))
    out = d / "bank.model"
    return {"data": data, "model": out, "summary": train_model([data], out).as_dict()}


def test_bank_level_rows_train_the_bank_and_categories_heads(bank_model: dict[str, Any]) -> None:
    summary = bank_model["summary"]
    assert set(summary["heads"]) == {"bank", "categories"}
    assert summary["heads"]["bank"]["cv"]["f1"] >= 0.9
    assert {"complaint", "fee_rate", "fraud_crime", "personnel", "performance"} <= set(
        summary["heads"]["categories"]["codes"])
    assert summary["files"][0]["bank_rows"] == 240
    # the rules' own F1 on the same rows, computed independently here
    from reportgen.score.evaluate import bank_input
    from reportgen.score.rules import RulesScorer

    examples = load_examples(bank_model["data"])
    said = [j.label == "negative" for j in RulesScorer().score_many([bank_input(ex) for ex in examples])]
    gold = [bool(ex.negative_for_bank) for ex in examples]
    tp = sum(r and g for r, g in zip(said, gold, strict=True))
    assert summary["heads"]["bank"]["cv"]["rules_f1"] == pytest.approx(2 * tp / (sum(said) + sum(gold)), abs=1e-4)
    scorer = ModelScorer(bank_model["model"])
    assert scorer.heads == ("bank", "categories") and scorer.rules is not None  # the verdict it was trained on


def test_bank_model_learns_categories_and_attaches_them_only_to_bad_news(bank_model: dict[str, Any]) -> None:
    from reportgen.score.evaluate import bank_input

    scorer = ModelScorer(bank_model["model"])
    held_out = bank_rows(120, seed=12)
    examples = load_examples(write_jsonl(bank_model["data"].with_name("held.jsonl"), held_out))
    judgements = scorer.score_many([bank_input(ex) for ex in examples])
    right = codes_right = 0
    for row, j in zip(held_out, judgements, strict=True):
        right += (j.label == "negative") == row["negative_for_bank"]
        if j.label == "negative":  # bad news always has a category; a results miss may have only performance
            assert j.categories
        else:  # never a category of bad news on a judgement that is not negative
            assert set(j.category_codes) <= {"performance", "personnel"}
        codes_right += set(j.category_codes) == set(row["categories"]) - {"none"}
    assert right >= 0.9 * len(held_out)
    assert codes_right >= 0.8 * len(held_out)
    calm, bad = scorer.score_many([bank_input(ex) for ex in load_examples(write_jsonl(
        bank_model["data"].with_name("two.jsonl"),
        [{"text": "桂林银行一季度净利润同比增长12%", "bank": "桂林银行", "negative_for_bank": False},
         {"text": "桂林银行去年净利润下滑三成，不良率上升", "bank": "桂林银行", "negative_for_bank": True}]))])
    assert (calm.label, calm.category_codes) != ("negative", ()) and "performance" in calm.category_codes
    assert bad.label == "negative" and "performance" in bad.category_codes


def test_polarity_nb_svm_folds_into_one_linear_map() -> None:
    """The polarity head's two SVMs (plain + NB-scaled) are served as one coefficient matrix over the
    text block: its decisions are the sum of the two models' own decisions."""
    import scipy.sparse as sp
    from sklearn import svm

    from reportgen.score import train

    rng = np.random.default_rng(3)
    X = sp.random(300, 40, density=0.15, random_state=4, format="csr")
    X.data[:] = 1.0
    y = (np.asarray(X[:, :3].sum(1)).ravel() > 0).astype(np.int64) + (np.asarray(X[:, 3:6].sum(1)).ravel() > 0)
    y[rng.random(300) < 0.1] = 0
    model = train._NBSVMSum(svm, 0.5, 0.1, 0).fit(X, y)
    assert model.coef_.shape == (3, 40)
    present = X.toarray() > 0
    ratios = []
    for c in range(3):
        p = present[y == c].sum(0) + 1.0
        q = present[y != c].sum(0) + 1.0
        ratios.append(np.log(p / p.sum()) - np.log(q / q.sum()))
    Z = sp.hstack([sp.csr_matrix(X.multiply(r)) for r in ratios]).tocsr()
    plain = svm.LinearSVC(C=0.5, class_weight="balanced", random_state=0).fit(X, y)
    nb = svm.LinearSVC(C=0.1, class_weight="balanced", random_state=0).fit(Z, y)
    expected = plain.decision_function(X) + nb.decision_function(Z)
    np.testing.assert_allclose(model.decision_function(X), expected, atol=1e-8)
    binary = train._NBSVMSum(svm, 0.5, 0.1, 0).fit(X, (y > 0).astype(np.int64))
    assert binary.decision_function(X).shape == (300,)


def test_bank_head_is_target_aware(bank_model: dict[str, Any]) -> None:
    scorer = ModelScorer(bank_model["model"])
    text = "华夏银行信用卡年费莫名扣了三百元，渤海银行推出新款借记卡"
    bad, calm = scorer.score_many([
        ScoreInput("", text, Target("华夏银行", ("华夏银行",)), (Target("渤海银行", ("渤海银行",)),)),
        ScoreInput("", text, Target("渤海银行", ("渤海银行",)), (Target("华夏银行", ("华夏银行",)),))])
    assert bad.probabilities["negative"] > calm.probabilities["negative"]


def test_public_and_bank_rows_train_one_model(tiny: dict[str, Path], bank_model: dict[str, Any],
                                              tmp_path: Path) -> None:
    """Banks go to the bank head, other entities (platforms) to the entity heads; the public
    heads are the same as without the bank rows (their own text vocabulary)."""
    out = tmp_path / "all.model"
    train_model([tiny["nsp"], tiny["fe"], bank_model["data"]], out)
    scorer = ModelScorer(out)
    assert scorer.heads == ("item", "target", "polarity", "bank", "categories")
    plain = ModelScorer(tiny["both"])
    platform = entity_input("汇金宝平台逾期兑付，大批出借人维权，北部湾银行表示与其没有业务往来",
                            "汇金宝", "北部湾银行")
    post = ScoreInput("", "又跌停了，割肉离场", Target(""))
    for inp in (platform, post):
        assert scorer.score(inp).probabilities == pytest.approx(plain.score(inp).probabilities, abs=1e-6)
    fee = ScoreInput("", "北部湾银行信用卡年费莫名扣了三百元", Target("北部湾银行", ("北部湾银行",)))
    assert scorer.score(fee).label == "negative" and "fee_rate" in scorer.score(fee).category_codes


def test_bank_rows_without_both_labels_are_refused(tmp_path: Path) -> None:
    rows = [r | {"negative_for_bank": True} for r in bank_rows(40, seed=5)]
    with pytest.raises(DataError, match="negative_for_bank"):
        train_model([write_jsonl(tmp_path / "one.jsonl", rows)], tmp_path / "m.model")


def test_tampered_bank_head_is_caught(bank_model: dict[str, Any], tmp_path: Path) -> None:
    import hashlib
    import zlib

    header, body = _header_and_body(bank_model["model"])
    payload = json.loads(zlib.decompress(body))
    payload["heads"]["categories"]["codes"] = payload["heads"]["categories"]["codes"][:-1]
    body = zlib.compress(json.dumps(payload).encode())
    header |= {"payload_bytes": len(body), "payload_sha256": hashlib.sha256(body).hexdigest()}
    with pytest.raises(DataError, match="not a usable model"):
        ModelScorer(_write(tmp_path / "m.model", header, body))


# --- tampering ---------------------------------------------------------------------------------------------


def _header_and_body(path: Path) -> tuple[dict, bytes]:
    raw = path.read_bytes()
    head, _, body = raw.partition(b"\n")
    return json.loads(head), body


def _write(path: Path, header: dict, body: bytes) -> Path:
    path.write_bytes(json.dumps(header).encode() + b"\n" + body)
    return path


def test_flipped_byte_in_the_payload_is_caught(tiny: dict[str, Path], tmp_path: Path) -> None:
    header, body = _header_and_body(tiny["both"])
    damaged = bytearray(body)
    damaged[len(damaged) // 2] ^= 0x01  # somewhere in the compressed coefficients and vocabularies
    with pytest.raises(DataError, match="checksum mismatch"):
        ModelScorer(_write(tmp_path / "m.model", header, bytes(damaged)))


def test_edited_checksum_is_caught(tiny: dict[str, Path], tmp_path: Path) -> None:
    header, body = _header_and_body(tiny["both"])
    header["payload_sha256"] = ("0" if header["payload_sha256"][0] != "0" else "1") + header["payload_sha256"][1:]
    with pytest.raises(DataError, match="checksum mismatch"):
        ModelScorer(_write(tmp_path / "m.model", header, body))


def test_truncated_file_is_caught(tiny: dict[str, Path], tmp_path: Path) -> None:
    p = tmp_path / "m.model"
    p.write_bytes(tiny["both"].read_bytes()[:-100])
    with pytest.raises(DataError, match="truncated"):
        ModelScorer(p)
    p.write_bytes(tiny["both"].read_bytes()[:20])
    with pytest.raises(DataError, match="not a reportgen model file"):
        ModelScorer(p)


@pytest.mark.parametrize("content", [b"", b"\x80\x04\x95 pickle-ish bytes\n", b"PK\x03\x04 a zip\n",
                                     b'{"format": "something-else"}\n{}', b"plain text, no newline"])
def test_not_a_model_file_is_caught(tmp_path: Path, content: bytes) -> None:
    p = tmp_path / "m.model"
    p.write_bytes(content)
    with pytest.raises(DataError, match="not a reportgen model file"):
        ModelScorer(p)


def test_wrong_format_version_is_caught(tiny: dict[str, Path], tmp_path: Path) -> None:
    header, body = _header_and_body(tiny["both"])
    header["format_version"] = 99
    with pytest.raises(DataError, match="version 99"):
        ModelScorer(_write(tmp_path / "m.model", header, body))


def test_consistent_checksum_but_broken_contents_is_caught(tiny: dict[str, Path], tmp_path: Path) -> None:
    """Someone who recomputes the checksum still cannot feed mismatched arrays or code."""
    import base64
    import hashlib
    import zlib

    header, body = _header_and_body(tiny["both"])
    payload = json.loads(zlib.decompress(body))
    coef = payload["heads"]["item"]["coef"]["text"]
    coef["data"] = base64.b64encode(base64.b64decode(coef["data"])[:-4]).decode()  # one coefficient short
    body = zlib.compress(json.dumps(payload).encode())
    header |= {"payload_bytes": len(body), "payload_sha256": hashlib.sha256(body).hexdigest()}
    with pytest.raises(DataError, match="not a usable model"):
        ModelScorer(_write(tmp_path / "m.model", header, body))


def test_missing_model_file(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="no such model file"):
        ModelScorer(tmp_path / "absent.model")


# --- CLI ---------------------------------------------------------------------------------------------------


def test_cli_model_train(tiny: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "cli.model"
    result = CliRunner().invoke(cli, ["model", "train", "--data", str(tiny["nsp"]), "--data", str(tiny["fe"]),
                                      "--out", str(out), "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert set(summary["heads"]) == {"item", "target", "polarity"}
    assert summary["out"] == str(out) and out.exists()
    assert [f["rows"] for f in summary["files"]] == [160, len(load_examples(tiny["fe"]))]
    assert 0.0 <= summary["heads"]["target"]["cv"]["entity_f1"] <= 1.0
    text = CliRunner().invoke(cli, ["model", "train", "--data", str(tiny["fe"]), "--out", str(out)])
    assert text.exit_code == 0 and "head polarity" in text.stdout and "cross-validated" in text.stdout


def test_cli_model_train_errors(tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(cli, ["model", "train", "--help"]).exit_code == 0
    assert runner.invoke(cli, ["model", "--help"]).exit_code == 0
    missing = runner.invoke(cli, ["model", "train", "--data", str(tmp_path / "absent.jsonl"), "--out", "m"])
    assert missing.exit_code == 5 and "no such file" in missing.stderr
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "x", "label": "great"}\n', encoding="utf-8")
    result = runner.invoke(cli, ["model", "train", "--data", str(bad), "--out", "m", "--json"])
    assert result.exit_code == 5 and json.loads(result.stdout)["ok"] is False
    assert runner.invoke(cli, ["model", "train", "--out", "m"]).exit_code == 2  # --data is required


# --- the shared FinNSP / FinFE splits ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def shared_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    files = [SHARED / "finnsp" / "train.jsonl", SHARED / "finfe" / "train.jsonl"]
    if not all(f.exists() for f in files):
        pytest.skip(f"{SHARED} not found: the labelled sets live in ../shared/data, which a fresh clone lacks")
    out = tmp_path_factory.mktemp("shared") / "finnsp-finfe.model"
    train_model(files, out)
    return out


@pytest.fixture(scope="module")
def shared_reports(shared_model: Path) -> dict:
    from reportgen.score.evaluate import evaluate

    scorer = ModelScorer(shared_model)
    return {name: evaluate(scorer, load_examples(SHARED / name / "eval.jsonl")) for name in ("finnsp", "finfe")}


def test_shared_finnsp_eval(shared_reports: dict) -> None:
    report = shared_reports["finnsp"]
    assert report.item is not None and report.entity is not None
    # cross-validated on train: item F1 0.962-0.965, entity F1 0.918-0.924 (fold seeds 0-3)
    assert report.item.f1 >= 0.95, report.as_dict()
    assert report.entity.f1 >= 0.90, report.as_dict()


def test_shared_finfe_eval(shared_reports: dict) -> None:
    report = shared_reports["finfe"]
    assert report.macro_f1 is not None and report.accuracy is not None
    # what linear n-gram heads reach (plain + NB-SVM, cross-validated on train: 0.675, eval 0.68; the plain SVM
    # alone 0.66); always-"positive" scores 0.24
    assert report.macro_f1 >= 0.66, report.as_dict()
    assert report.accuracy >= 0.70, report.as_dict()


@pytest.mark.xfail(reason="issue 3's item-F1 target (0.96) is where these heads top out: cross-validated 0.962-0.965, "
                          "eval 0.958-0.962 depending on the CV fold seed; see the closing note", strict=False)
def test_shared_finnsp_eval_reaches_issue_item_target(shared_reports: dict) -> None:
    assert shared_reports["finnsp"].item.f1 >= 0.96, shared_reports["finnsp"].as_dict()


@pytest.mark.xfail(reason="issue 3's FinFE target (macro-F1 0.72) is beyond linear n-gram heads: cross-validated "
                          "on train the plain + NB-SVM head reaches 0.672-0.676 (eval 0.6817); sublinear tf, "
                          "4-5-grams, skip-grams, complement NB, a 128-unit MLP, and (4-fold CV, within +-0.005 "
                          "of it) jieba word unigrams/bigrams, a logistic-regression + SVM ensemble, other C "
                          "pairs, class weights, min_df 1, text-boundary n-grams and an ordinal ridge score did "
                          "not do better; see the closing note", strict=False)
def test_shared_finfe_eval_reaches_issue_target(shared_reports: dict) -> None:
    assert shared_reports["finfe"].macro_f1 >= 0.72, shared_reports["finfe"].as_dict()


# --- the project's development set: bank-level heads trained with the public sets ------------------------


@pytest.fixture(scope="module")
def devset_model(tmp_path_factory: pytest.TempPathFactory, shared_model: Path) -> dict[str, Path]:
    """A model trained as the issue asks, on the project's training rows: devset train, the labelled pool and
    titles, the invented rows of devset/synthetic.jsonl (devset/README.md), FinNSP train and FinFE train (into tmp
    only: no model trained on these texts may be shipped)."""
    import importlib.util

    def devset_module(name: str) -> Any:
        spec = importlib.util.spec_from_file_location(f"devset_{name}", Path(__file__).resolve().parents[1]
                                                      / "devset" / f"{name}.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module

    splits = devset_module("build").build(SHARED.parent)
    d = tmp_path_factory.mktemp("devset")
    files = {name: write_jsonl(d / f"{name}.jsonl", rows) for name, rows in splits.items()}
    assert devset_module("pool").main(["--shared", str(SHARED.parent), "--out", str(d)]) == 0
    pools = [d / f"{name}.jsonl" for name in ("pool-a", "pool-b", "titles-a", "titles-b")]
    pools.append(Path(__file__).resolve().parents[1] / "devset" / "synthetic.jsonl")
    out = d / "devset.model"
    train_model([SHARED / "finnsp" / "train.jsonl", SHARED / "finfe" / "train.jsonl", files["train"], *pools], out)
    return files | {"model": out}


@pytest.mark.timeout(600)  # the first to ask trains the devset model: ~65 s idle, minutes on a busy CI box
def test_devset_rows_leave_the_public_heads_as_they_were(devset_model: dict[str, Path], shared_reports: dict) -> None:
    from reportgen.score.evaluate import evaluate

    scorer = ModelScorer(devset_model["model"])
    assert scorer.heads == ("item", "target", "polarity", "bank", "categories")
    nsp = evaluate(scorer, load_examples(SHARED / "finnsp" / "eval.jsonl"))
    fe = evaluate(scorer, load_examples(SHARED / "finfe" / "eval.jsonl"))
    assert fe.macro_f1 == pytest.approx(shared_reports["finfe"].macro_f1, abs=1e-9)
    assert nsp.item is not None and nsp.entity is not None
    assert nsp.item.f1 >= shared_reports["finnsp"].item.f1 - 1e-9
    # banks among FinNSP's entities go to the bank head: within a pair or two of the entity heads' figure
    assert nsp.entity.f1 >= shared_reports["finnsp"].entity.f1 - 0.003


@pytest.mark.timeout(600)  # the first to ask trains the devset model: ~65 s idle, minutes on a busy CI box
def test_devset_model_on_the_held_out_split(devset_model: dict[str, Path]) -> None:
    from reportgen.score.evaluate import evaluate

    report = evaluate(ModelScorer(devset_model["model"]), load_examples(devset_model["test"]))
    assert report.bank is not None
    # today (1,836 train rows + the pool's 5,540, the titles' 267 and 5,061 invented rows; rules v6) 0.68
    # (precision 0.72, recall 0.64), category micro-F1 0.58 on the 893 held-out rows; the rules alone 0.65 / 0.56.
    # On the first rounds' 255 held-out rows 0.78 / 0.65.
    assert report.bank.f1 >= 0.62, report.as_dict()
    assert report.category_micro_f1 >= 0.50, report.as_dict()
    first = evaluate(ModelScorer(devset_model["model"]), load_examples(devset_model["test-first"]))
    assert first.bank is not None and first.bank.f1 >= 0.70, first.as_dict()


@pytest.mark.xfail(reason="issue 15's held-out targets (F1 >= 0.85, category micro-F1 >= 0.80) are beyond a linear "
                          "n-gram model trained on 12,704 bank-level rows (devset train, the pool, the titles, "
                          "invented rows): it reaches 0.68 / 0.58 held out and (trained without it) 0.54 on the "
                          "pool's count-only half, where a second human reading reaches 0.79; see README.md",
                   strict=False)
@pytest.mark.timeout(600)  # the first to ask trains the devset model: ~65 s idle, minutes on a busy CI box
def test_devset_model_reaches_issue_15_targets(devset_model: dict[str, Path]) -> None:
    from reportgen.score.evaluate import evaluate

    report = evaluate(ModelScorer(devset_model["model"]), load_examples(devset_model["test"]))
    assert report.bank is not None and report.bank.f1 >= 0.85, report.as_dict()
    assert report.category_micro_f1 >= 0.80, report.as_dict()


def test_a_near_tie_in_cross_validation_goes_to_the_stronger_penalty(monkeypatch: pytest.MonkeyPatch) -> None:
    """_binary_head: the most regularised C whose CV F1 is within CV_TOLERANCE of the best wins."""
    from concurrent.futures import ThreadPoolExecutor

    import scipy.sparse as sp

    import reportgen.score.train as tr

    rng = np.random.default_rng(0)
    X = sp.csr_matrix(rng.normal(size=(240, 30)))
    y = (X @ rng.normal(size=30) + rng.normal(scale=2.0, size=240) > 0).astype(np.int64)
    grid = (0.01, 0.1, 1.0, 10.0)
    with ThreadPoolExecutor(2) as pool:
        alone = {}
        for C in grid:
            monkeypatch.setattr(tr, "C_BANK_GRID", (C,))
            alone[C] = tr._binary_head(X, y, 4, 0, pool)[4]
        monkeypatch.setattr(tr, "C_BANK_GRID", tuple(reversed(grid)))
        picks = []
        for tolerance in (0.0, 0.01, 1.0):
            monkeypatch.setattr(tr, "CV_TOLERANCE", tolerance)
            picks.append(tr._binary_head(X, y, 4, 0, pool)[2])
            top = max(alone.values())
            assert picks[-1] == min(C for C in grid if alone[C] >= top - tolerance), (tolerance, alone)
    # on these rows the weakest penalty scores best by a little (F1 0.836, 0.849, 0.852, 0.858):
    # the tolerance decides, and a wide one takes the strongest penalty
    assert picks[0] == 10.0 and picks[-1] == 0.01, (picks, alone)
