"""Judgements in the store: scored per mention, recomputed when the scorer changes; config and CLI."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from reportgen.cli.app import cli
from reportgen.config.core import load_config, parse_config_text
from reportgen.errors import ConfigError
from reportgen.flow.pipeline import build_daily_report, score_pending
from reportgen.models import Item
from reportgen.score.backend import make_scorer
from reportgen.store.db import Store

NOW = datetime(2026, 11, 28, 1, 0, tzinfo=UTC)
PUBLISHED = datetime(2026, 11, 27, 3, 0, tzinfo=UTC)

CONFIG = """
[settings]
database = "sqlite:///s.db"
output_dir = "out"
[[banks]]
id = "icbc"
name = "中国工商银行"
aliases = ["工商银行", "工行"]
role = "self"
[[banks]]
id = "hfb"
name = "恒丰银行"
[[sources]]
id = "news"
name = "测试新闻"
url = "http://127.0.0.1:9/feed.xml"
channel = "online"
"""

ITEMS = [
    ("a1", "工商银行某支行因违规放贷被罚款50万元", "国家金融监督管理总局公布行政处罚信息。"),
    ("a2", "工商银行前三季度净利润同比增长3.2%", "资产质量保持稳定。"),
    ("a3", "鑫融宝平台爆雷跑路 投资人维权无门",
     "鑫融宝平台爆雷跑路，投资人维权无门，其存管银行为恒丰银行。工商银行发布风险提示。"),
    ("a4", "工商银行网点推出适老化服务", "网点增设爱心窗口。"),
]


def make_store(tmp_path: Path, extra: str = "") -> tuple[Store, object]:
    path = tmp_path / "sources.toml"
    path.write_text(CONFIG + extra, encoding="utf-8")
    config = load_config(path)
    store = Store.open(config.settings.database)
    from reportgen.score.match import Matcher

    matcher = Matcher(config.banks)
    store.sync_sources(config.sources, lambda s: s.url or "")
    run_id = store.start_run("fetch", NOW)
    from reportgen.models import FetchStatus, SourceHealth

    health = SourceHealth("news", FetchStatus.OK, NOW, 0.1, 200, len(ITEMS))
    store.save_source_batch(run_id, health, None, [_item(*row) for row in ITEMS], matcher.mentions)
    return store, config


def _item(item_id: str, title: str, summary: str) -> Item:
    return Item(item_id=item_id, source_id="news", title=title, summary=summary, url=f"https://n.example/{item_id}",
                guid=item_id, author=None, published_at=PUBLISHED, fetched_at=NOW, date_missing=False,
                date_capped=False, content_hash=item_id)


def stored(store: Store) -> dict[tuple[str, str], dict]:
    rows = store.mention_rows(datetime(2026, 11, 26, tzinfo=UTC), datetime(2026, 11, 29, tzinfo=UTC))
    return {(r["item_id"], r["bank_id"]): r for r in rows}


def test_every_mention_is_scored_once_and_explained(tmp_path):
    store, config = make_store(tmp_path)
    assert score_pending(store, config) == 5  # a1, a2, a4 → icbc; a3 → hfb and icbc
    rows = stored(store)
    assert rows["a1", "icbc"]["label"] == "negative"
    assert [c["code"] for c in json.loads(rows["a1", "icbc"]["categories"])] == ["regulatory"]
    reasons = json.loads(rows["a1", "icbc"]["reasons"])
    assert {"罚款", "违规放贷"} & {r["term"] for r in reasons}
    assert all(r["clause"] for r in reasons)
    assert rows["a2", "icbc"]["label"] == "positive"
    assert rows["a3", "hfb"]["label"] != "negative"  # the custodian is a bystander
    assert -1 <= rows["a3", "hfb"]["score"] <= 1
    assert score_pending(store, config) == 0  # nothing pending: no rework


def test_a_scorer_change_rescores_everything(tmp_path):
    store, config = make_store(tmp_path)
    score_pending(store, config)
    old_version = make_scorer(config.scoring).version
    extra = '\n[categories.esg]\nname_zh = "绿色金融"\nterms = ["适老化"]\nweight = 1.0\n'
    changed = load_config(_write(tmp_path, CONFIG + extra))  # same folder, so the same database
    new_version = make_scorer(changed.scoring).version
    assert new_version != old_version
    assert score_pending(store, changed) == 5
    assert set(store.score_counts()) == {new_version}
    codes = json.loads(stored(store)["a4", "icbc"]["categories"])
    assert [c["code"] for c in codes] == []  # a favourable term does not tag a category on its own


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "changed.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_report_shows_label_and_reasons(tmp_path):
    store, config = make_store(tmp_path)
    result = build_daily_report(config, datetime(2026, 11, 27).date(), now=NOW, formats=("html",), store=store)
    html = result.paths["html"].read_text(encoding="utf-8")
    assert "label-negative" in html and "违规/监管处罚" in html
    assert "依据" in html
    icbc = next(b for b in result.data.bank_totals if b.bank_id == "icbc")
    assert icbc.negative == 1 and icbc.mentions == 4


def test_score_and_eval_commands(tmp_path):
    store, config = make_store(tmp_path)
    runner = CliRunner()
    result = runner.invoke(cli, ["--config", str(config.path), "score", "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["scored"] == 5 and out["stored"] == 5 and out["version"].startswith("rules-")
    result = runner.invoke(cli, ["--config", str(config.path), "score", "--all", "--json"])
    assert json.loads(result.stdout)["scored"] == 5

    data = tmp_path / "labels.jsonl"
    rows = [
        {"title": "", "text": "恒丰银行因违规被罚款", "entities": ["恒丰银行"], "key_entities": ["恒丰银行"]},
        {"title": "", "text": "鑫融宝平台爆雷跑路，其存管银行为恒丰银行", "entities": ["鑫融宝", "恒丰银行"],
         "key_entities": ["鑫融宝"]},
        {"title": "", "text": "恒丰银行净利润同比增长", "entities": ["恒丰银行"], "key_entities": []},
        {"text": "工行又被罚了，垃圾", "label": "negative"},
        {"text": "工行业绩创新高，利好", "label": "positive"},
    ]
    data.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    result = runner.invoke(cli, ["eval", "--data", str(data), "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["item_f1"] == 1.0 and out["entity_f1"] == 1.0
    assert out["accuracy"] == 1.0 and out["macro_f1"] == 1.0
    result = runner.invoke(cli, ["eval", "--data", str(data)])
    assert "entity level" in result.output and "confusion" in result.output

    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "ok", "label": "negative"}\n{"title": "no text"}\n', encoding="utf-8")
    result = runner.invoke(cli, ["eval", "--data", str(bad)])
    assert result.exit_code == 5
    assert "bad.jsonl:2" in result.output


@pytest.mark.parametrize("extra, message", [
    ('[scoring]\nbackend = "bert"\n', "scoring.backend"),
    ('[scoring]\nbackend = "model"\n', "scoring.model"),
    ('[scoring]\nbackend = "model"\nmodel = "missing.json"\n', "an existing model file"),
    ('[scoring.terms]\n"飞单" = -9\n', "scoring.terms.飞单"),
    ('[categories.complaint]\nterms = "投诉"\n', "categories.complaint.terms"),
    ('[categories.esg]\nname_zh = "ESG"\n', "at least one term for a new category"),
    ('[categories.complaint]\nreplace = true\n', "the terms that replace"),
    ('[categories.complaint]\nterm = ["x"]\n', "did you mean 'terms'"),
])
def test_scoring_config_errors(extra, message):
    with pytest.raises(ConfigError) as info:
        parse_config_text(CONFIG + extra, Path("/etc/reportgen/sources.toml"))
    assert message in str(info.value)


def test_scoring_config_extends_the_rules():
    config = parse_config_text(CONFIG + """
[scoring.terms]
"飞单" = -3.0
[categories.personnel]
enabled = false
[categories.fee_rate]
terms = ["账户管理费"]
replace = true
""", Path("/tmp/sources.toml"))
    codes = [c.code for c in config.scoring.category_rules()]
    assert "personnel" not in codes
    fee = next(c for c in config.scoring.category_rules() if c.code == "fee_rate")
    assert fee.terms == ("账户管理费",)
    scorer = make_scorer(config.scoring)
    assert scorer.version != make_scorer(parse_config_text(CONFIG, Path("/tmp/s.toml")).scoring).version
