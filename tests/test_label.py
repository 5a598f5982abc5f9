"""Analysts' corrections (`reportgen label`): they win in reports and exports (人工修正), survive every
rescoring, come back from an edited CSV export, and train a model (`model train --from-store`).

Real SQLite in tmp_path, the real CLI through CliRunner; no mocks.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from pgdb import fresh_schema, require_pg

from reportgen.cli.app import cli
from reportgen.config.core import Config, load_config
from reportgen.flow.corrections import correction_examples, record_correction
from reportgen.flow.pipeline import build_daily_report, score_pending
from reportgen.insight.aggregate import EXPORT_FIELDS
from reportgen.models import FetchStatus, Item, SourceHealth
from reportgen.score.backend import make_scorer, score_rows
from reportgen.score.match import Matcher
from reportgen.store.db import Store

NOW = datetime(2026, 11, 28, 1, 0, tzinfo=UTC)
PUBLISHED = datetime(2026, 11, 27, 3, 0, tzinfo=UTC)
DAY = date(2026, 11, 27)

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
    ("a5", "恒丰银行信用卡年费乱收费 客户投诉无门", "持卡人称从未开卡却被扣年费。"),
    ("a6", "工行客服态度差 排队两小时办不了业务", "网友吐槽营业厅只开一个窗口。"),
    ("a7", "恒丰银行开展防范电信诈骗宣传进社区", "工作人员向居民讲解反诈知识。"),
    ("a8", "工商银行与市政府签署战略合作协议", "双方将在普惠金融领域深化合作。"),
    ("a9", "恒丰银行催收电话天天打 骚扰家人", "借款人称逾期后家人被频繁骚扰。"),
    ("a10", "恒丰银行发布新款借记卡 开户送礼品", "活动持续到月底。"),
]


def make_store(tmp_path: Path, extra: str = "", database: str | None = None) -> tuple[Store, Config]:
    path = tmp_path / "sources.toml"
    text = CONFIG.replace('"sqlite:///s.db"', json.dumps(database)) if database else CONFIG
    path.write_text(text + extra, encoding="utf-8")
    config = load_config(path)
    store = Store.open(config.settings.database)
    store.sync_sources(config.sources, lambda s: s.url or "")
    run_id = store.start_run("fetch", NOW)
    health = SourceHealth("news", FetchStatus.OK, NOW, 0.1, 200, len(ITEMS))
    store.save_source_batch(run_id, health, None, [_item(*row) for row in ITEMS], Matcher(config.banks).mentions)
    score_pending(store, config, now=NOW)
    return store, config


def _item(item_id: str, title: str, summary: str) -> Item:
    return Item(item_id=item_id, source_id="news", title=title, summary=summary, url=f"https://n.example/{item_id}",
                guid=item_id, author=None, published_at=PUBLISHED, fetched_at=NOW, date_missing=False,
                date_capped=False, content_hash=item_id)


@pytest.fixture
def setup(tmp_path: Path) -> tuple[Store, Config]:
    return make_store(tmp_path)


def run(config: Config, *args: str) -> Any:
    return CliRunner().invoke(cli, ["--config", str(config.path), *args])


def export_csv(config: Config) -> list[dict[str, str]]:
    result = run(config, "export", "--since", DAY.isoformat(), "--until", DAY.isoformat(), "--format", "csv")
    assert result.exit_code == 0, result.output
    return list(csv.DictReader(io.StringIO(result.stdout.removeprefix("\ufeff"))))


def row_of(rows: list[dict[str, str]], item_id: str, bank: str) -> dict[str, str]:
    return next(r for r in rows if r["id"] == item_id and r["bank"] == bank)


def stored(store: Store) -> dict[tuple[str, str], dict[str, Any]]:
    rows = store.mention_rows(datetime(2026, 11, 26, tzinfo=UTC), datetime(2026, 11, 29, tzinfo=UTC))
    return {(r["item_id"], r["bank_id"]): r for r in rows}


# --- one correction ---------------------------------------------------------------------------------------


def test_a_correction_wins_in_export_and_report(setup: tuple[Store, Config]) -> None:
    store, config = setup
    before = export_csv(config)
    assert row_of(before, "a4", "icbc")["sentiment"] != "negative"
    assert row_of(before, "a1", "icbc")["sentiment"] == "negative"

    result = run(config, "label", "a4", "--bank", "icbc", "--negative", "--categories", "complaint",
                 "--by", "王敏", "--note", "客户投诉适老化窗口形同虚设", "--json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert (out["label"], out["categories"], out["corrected_by"]) == ("negative", ["complaint"], "王敏")
    assert out["previous_label"] in ("neutral", "positive") and out["previous_version"].startswith("rules-")
    # by name instead of id, and not negative: a fine becomes no bad news, its category goes with it
    text = run(config, "label", "a1", "--bank", "工商银行", "--not-negative")
    assert text.exit_code == 0, text.output
    assert "a1 中国工商银行: neutral (none), was negative (" in text.stdout and "人工修正" in text.stdout

    after = export_csv(config)
    assert list(after[0]) == list(EXPORT_FIELDS)  # the export's fields are as they were
    a4, a1 = row_of(after, "a4", "icbc"), row_of(after, "a1", "icbc")
    assert (a4["sentiment"], a4["categories"], a4["reasons"]) == ("negative", "complaint", "人工修正")
    assert float(a4["sentiment_score"].lstrip("'")) < 0
    assert (a1["sentiment"], a1["categories"], a1["reasons"]) == ("neutral", "", "人工修正")
    untouched = [r for r in after if (r["id"], r["bank"]) not in {("a4", "icbc"), ("a1", "icbc")}]
    assert untouched == [r for r in before if (r["id"], r["bank"]) not in {("a4", "icbc"), ("a1", "icbc")}]

    report = build_daily_report(config, DAY, now=NOW, formats=("html",), store=store)
    html = report.paths["html"].read_text(encoding="utf-8")
    assert "人工修正" in html
    judged = {item.item_id: item.judgements[0] for item in report.data.items if item.item_id in ("a1", "a4")}
    assert judged["a4"].label == "negative" and "人工修正" in judged["a4"].reasons
    assert judged["a4"].categories == ("complaint",)
    icbc = next(b for b in report.data.bank_totals if b.bank_id == "icbc")
    assert icbc.negative == sum(r["sentiment"] == "negative" for r in after if r["bank"] == "icbc")


def test_correcting_again_keeps_the_machine_call_it_first_replaced(setup: tuple[Store, Config]) -> None:
    store, config = setup
    first = record_correction(config, "a5", "hfb", negative=True, categories="fee_rate", by="甲")
    second = record_correction(config, "a5", "hfb", negative=True, categories=["fee_rate", "complaint"], by="乙")
    assert first.previous_version is not None and first.previous_version.startswith("rules-")
    assert second.previous_version == "manual" and second.categories == ("fee_rate", "complaint")
    with store.begin() as conn:
        row = conn.exec_driver_sql("SELECT previous_version, corrected_by, origin FROM corrections "
                                   "WHERE item_id = 'a5'").one()
    assert row[0] == first.previous_version and row[1:] == ("乙", "cli")


def test_without_categories_the_stored_ones_the_label_allows_are_kept(setup: tuple[Store, Config]) -> None:
    _, config = setup
    kept = record_correction(config, "a5", "hfb", negative=True)
    assert kept.categories == kept.previous_categories and kept.categories  # a fee complaint stays one
    profit = record_correction(config, "a2", "icbc", negative=False)
    assert profit.previous_label == "positive" and profit.label == "positive"  # not negative keeps positive
    assert set(profit.categories) <= {"performance", "personnel"}


@pytest.mark.parametrize(("args", "code", "message"), [
    (["nope", "--bank", "icbc", "--negative"], 5, "no item 'nope'"),
    (["a7", "--bank", "icbc", "--negative"], 5, "does not mention bank 'icbc' (it mentions: hfb)"),
    (["a4", "--bank", "icbc", "--negative", "--categories", "gossip"], 5, "unknown category gossip"),
    (["a4", "--bank", "icbc", "--not-negative", "--categories", "complaint"], 5, "apply only to bad news"),
    (["a4", "--bank", "icbc", "--negative", "--categories", "none,complaint"], 5, "never combined"),
    (["a4", "--bank", "icbc"], 2, "--negative or --not-negative"),
    (["a4", "--negative"], 2, "--bank"),
    (["a4", "--bank", "icbc", "--negative", "--dry-run"], 2, "--dry-run goes with --import"),
])
def test_label_errors(setup: tuple[Store, Config], args: list[str], code: int, message: str) -> None:
    _, config = setup
    result = run(config, "label", *args)
    assert result.exit_code == code, result.output
    assert message in result.output


def test_label_help_and_import_usage(setup: tuple[Store, Config], tmp_path: Path) -> None:
    _, config = setup
    assert CliRunner().invoke(cli, ["label", "--help"]).exit_code == 0
    csv_path = tmp_path / "x.csv"
    csv_path.write_text("id,bank,sentiment\n", encoding="utf-8")
    assert run(config, "label", "a1", "--import", str(csv_path)).exit_code == 2


# --- rescoring never undoes a correction --------------------------------------------------------------------


def test_score_all_and_a_scorer_change_keep_corrections(setup: tuple[Store, Config], tmp_path: Path) -> None:
    store, config = setup
    record_correction(config, "a4", "icbc", negative=True, categories="complaint", by="王敏")
    record_correction(config, "a1", "icbc", negative=False)
    manual = {k: stored(store)[k] for k in (("a4", "icbc"), ("a1", "icbc"))}
    total = len(stored(store))

    result = run(config, "score", "--all", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["scored"] == total - 2  # every mention but the corrected ones
    for key, row in manual.items():
        assert {k: stored(store)[key][k] for k in ("label", "score", "categories", "reasons")} == {
            k: row[k] for k in ("label", "score", "categories", "reasons")}

    # a new lexicon term changes the scorer's version: everything else is rescored, corrections stay
    changed_path = tmp_path / "changed.toml"
    changed_path.write_text(CONFIG + '\n[categories.esg]\nname_zh = "绿色金融"\nterms = ["适老化"]\nweight = 1.0\n',
                            encoding="utf-8")
    changed = load_config(changed_path)
    assert make_scorer(changed.scoring).version != make_scorer(config.scoring).version
    assert score_pending(store, changed, now=NOW) == total - 2
    assert stored(store)["a4", "icbc"]["label"] == "negative"
    assert store.score_counts()["manual"] == 2

    # a scorer that wrote over a correction (a batch read before the analyst saved it) is undone
    scorer = make_scorer(changed.scoring)
    row = {"item_id": "a4", "bank_id": "icbc", "title": ITEMS[3][1], "summary": ITEMS[3][2], "banks": ["icbc"]}
    store.save_scores(score_rows(scorer, [row], {b.id: b for b in changed.banks}, NOW))
    assert stored(store)["a4", "icbc"]["label"] != "negative"
    assert score_pending(store, changed, now=NOW) == 0
    assert stored(store)["a4", "icbc"]["label"] == "negative"
    assert json.loads(stored(store)["a4", "icbc"]["reasons"])[0]["term"] == "人工修正"


def test_clear_hands_the_mention_back_to_the_scorer(setup: tuple[Store, Config]) -> None:
    store, config = setup
    before = stored(store)["a4", "icbc"]["label"]
    record_correction(config, "a4", "icbc", negative=True, categories="complaint")
    result = run(config, "label", "a4", "--bank", "icbc", "--clear", "--json")
    assert result.exit_code == 0 and json.loads(result.stdout)["cleared"] is True
    assert run(config, "score", "--json").exit_code == 0
    assert stored(store)["a4", "icbc"]["label"] == before
    assert "manual" not in store.score_counts()
    assert "no correction" in run(config, "label", "a4", "--bank", "icbc", "--clear").stdout


# --- the spreadsheet round trip ---------------------------------------------------------------------------


def _write_csv(path: Path, rows: list[dict[str, str]], encoding: str = "utf-8-sig") -> Path:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def test_an_edited_csv_export_comes_back_as_corrections(setup: tuple[Store, Config], tmp_path: Path) -> None:
    store, config = setup
    rows = export_csv(config)
    edited = [dict(r) for r in rows]
    row_of(edited, "a8", "icbc")["sentiment"] = "negative"  # the analyst disagrees: bad news
    row_of(edited, "a8", "icbc")["categories"] = "fraud_crime;personnel"
    row_of(edited, "a1", "icbc")["sentiment"] = "中性"  # Chinese label words too
    a5 = row_of(edited, "a5", "hfb")
    assert a5["sentiment"] == "negative"
    a5["categories"] = "fee_rate" if a5["categories"] != "fee_rate" else "complaint;fee_rate"
    edited.append(dict(rows[0]) | {"id": "zz-unknown"})
    edited.append(dict(row_of(rows, "a7", "hfb")) | {"bank": "icbc"})
    row_of(edited, "a6", "icbc")["sentiment"] = "awful"
    row_of(edited, "a9", "hfb")["categories"] = "gossip"
    edited.append(dict(row_of(edited, "a8", "icbc")) | {"sentiment": "positive"})  # a second row for a8
    path = _write_csv(tmp_path / "edited.csv", edited)

    dry = run(config, "label", "--import", str(path), "--dry-run", "--json")
    assert dry.exit_code == 0, dry.output
    assert json.loads(dry.stdout)["imported"] == 3 and "manual" not in store.score_counts()

    result = run(config, "label", "--import", str(path), "--by", "王敏", "--json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert (out["rows"], out["imported"], out["rejected"]) == (len(edited), 3, 5)
    assert out["unchanged"] == len(rows) - 5
    reasons = {(r["id"], r["bank"]): r["reason"] for r in out["rejections"]}
    assert reasons["zz-unknown", rows[0]["bank"]] == "unknown item id"
    assert reasons["a7", "icbc"].startswith("unknown bank")
    assert "awful" in reasons["a6", "icbc"] and "gossip" in reasons["a9", "hfb"]
    assert "earlier row" in reasons["a8", "icbc"]
    assert all(r["line"] > 1 for r in out["rejections"])

    after = export_csv(config)
    assert (row_of(after, "a8", "icbc")["sentiment"], row_of(after, "a8", "icbc")["categories"]) == (
        "negative", "fraud_crime;personnel")
    assert row_of(after, "a1", "icbc")["sentiment"] == "neutral" and row_of(after, "a1", "icbc")["categories"] == ""
    assert row_of(after, "a5", "hfb")["categories"] == a5["categories"]
    assert all(row_of(after, i, b)["reasons"] == "人工修正" for i, b in (("a8", "icbc"), ("a1", "icbc"), ("a5", "hfb")))
    assert store.score_counts()["manual"] == 3

    # the text summary; importing the corrected export again changes nothing
    again = run(config, "label", "--import", str(_write_csv(tmp_path / "again.csv", after)))
    assert again.exit_code == 0, again.output
    assert f"0 imported, {len(after)} unchanged, 0 rejected" in again.stdout


def test_csv_from_a_chinese_spreadsheet_and_bad_files(setup: tuple[Store, Config], tmp_path: Path) -> None:
    _, config = setup
    rows = export_csv(config)
    edited = [dict(r) for r in rows]
    row_of(edited, "a10", "hfb")["sentiment"] = "负面"
    row_of(edited, "a10", "hfb")["categories"] = "mis_selling"
    gbk = _write_csv(tmp_path / "gbk.csv", edited, encoding="gb18030")
    result = run(config, "label", "--import", str(gbk), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["imported"] == 1
    no_column = tmp_path / "bad.csv"
    no_column.write_text("id,bank\na1,icbc\n", encoding="utf-8")
    bad = run(config, "label", "--import", str(no_column))
    assert bad.exit_code == 5 and "no sentiment column" in bad.output


# --- training on the corrections --------------------------------------------------------------------------

LABELS = {  # item → (negative for the bank, categories), an analyst's view of every mention
    ("a1", "icbc"): (True, "regulatory"), ("a2", "icbc"): (False, "performance"), ("a3", "hfb"): (False, "none"),
    ("a3", "icbc"): (False, "none"), ("a4", "icbc"): (False, "none"), ("a5", "hfb"): (True, "fee_rate,complaint"),
    ("a6", "icbc"): (True, "complaint"), ("a7", "hfb"): (False, "none"), ("a8", "icbc"): (False, "none"),
    ("a9", "hfb"): (True, "complaint"), ("a10", "hfb"): (False, "none"),
}


def test_model_train_from_store(setup: tuple[Store, Config], tmp_path: Path) -> None:
    from reportgen.score.model import ModelScorer

    store, config = setup
    assert run(config, "model", "train", "--from-store", "--out", str(tmp_path / "m.model")).exit_code == 5
    for (item_id, bank), (negative, codes) in LABELS.items():
        record_correction(config, item_id, bank, negative=negative, categories=codes)
    examples, skipped = correction_examples(config)
    assert (len(examples), skipped) == (len(LABELS), 0)
    a3 = next(e for e in examples if e.id == "a3:icbc")
    assert a3.bank == "工商银行" and a3.negative_for_bank is False and a3.categories == ("none",)

    out = tmp_path / "m.model"
    result = run(config, "model", "train", "--from-store", "--out", str(out), "--json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert "bank" in summary["heads"] and summary["files"][-1]["file"] == "store corrections"
    assert summary["files"][-1]["bank_rows"] == len(LABELS)
    scorer = ModelScorer(out)
    from reportgen.score import ScoreInput, Target

    judged = scorer.score(ScoreInput("工商银行客服态度差", "网点排队两小时。", Target("icbc", ("工商银行", "工行"))))
    assert judged.label in ("negative", "neutral", "positive") and judged.scorer == "model"

    # the bank's own model now scores the store; the corrections stay as the analyst made them
    model_cfg = tmp_path / "model.toml"
    model_cfg.write_text(CONFIG + f'\n[scoring]\nbackend = "model"\nmodel = "{out}"\n', encoding="utf-8")
    with_model = load_config(model_cfg)
    assert score_pending(store, with_model, now=NOW) == 0  # every mention here is corrected
    assert set(store.score_counts()) == {"manual"}

    # JSONL and the store together
    data = tmp_path / "own.jsonl"
    data.write_text(json.dumps({"text": "恒丰银行被罚款", "bank": "恒丰银行", "negative_for_bank": True,
                                "categories": ["regulatory"]}, ensure_ascii=False) + "\n", encoding="utf-8")
    both = run(config, "model", "train", "--from-store", "--data", str(data), "--out", str(out), "--json")
    assert both.exit_code == 0, both.output
    assert [f["bank_rows"] for f in json.loads(both.stdout)["files"]] == [1, len(LABELS)]
    assert run(config, "model", "train", "--out", str(out)).exit_code == 2  # neither --data nor --from-store


def test_corrections_on_postgresql(tmp_path: Path) -> None:
    """The same statements on PostgreSQL: record, survive `score --all`, import a CSV, train rows."""
    with fresh_schema(require_pg()) as url:
        store, config = make_store(tmp_path, database=url)
        record_correction(config, "a4", "icbc", negative=True, categories="complaint", by="王敏")
        record_correction(config, "a4", "icbc", negative=True, categories="complaint,fee_rate")
        assert run(config, "score", "--all").exit_code == 0
        assert stored(store)["a4", "icbc"]["label"] == "negative"
        edited = [dict(r) for r in export_csv(config)]
        row_of(edited, "a8", "icbc")["sentiment"] = "negative"
        row_of(edited, "a8", "icbc")["categories"] = "complaint"
        result = run(config, "label", "--import", str(_write_csv(tmp_path / "e.csv", edited)), "--json")
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout)["imported"] == 1
        assert store.score_counts()["manual"] == 2
        assert len(correction_examples(config)[0]) == 2
        store.close()
