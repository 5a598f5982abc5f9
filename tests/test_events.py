"""Events (reprint clustering), heat, alerts and the playbook (issue 4), over real SQLite."""

from __future__ import annotations

import json
import random
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner

from reportgen.cli.app import cli
from reportgen.config.core import load_config, parse_config_text
from reportgen.demo.reprints import reprint_set
from reportgen.errors import ConfigError
from reportgen.flow.pipeline import score_pending
from reportgen.insight.alerts import AlertSettings, CategoryEvent, bank_alerts, baseline
from reportgen.insight.events import ClusterItem, EventSettings, cluster, item_heat, pairwise_scores
from reportgen.insight.incidents import alert_summaries, cluster_pending, compute_alerts, event_summaries
from reportgen.models import FetchStatus, Item, SourceHealth
from reportgen.score.match import Matcher
from reportgen.store.db import Store

SH = ZoneInfo("Asia/Shanghai")
T0 = datetime(2026, 11, 27, 9, 0, tzinfo=SH)

PENALTY = ("工商银行北京分行因贷款管理不审慎被罚款50万元",
           "国家金融监督管理总局北京监管局公布行政处罚信息显示，工商银行北京分行因贷款管理不审慎、"
           "员工行为管理不到位，被罚款50万元，相关责任人被警告。")
OUTAGE = ("工商银行手机银行突发故障 多地用户无法登录",
          "今天上午九点起，多地用户反映工商银行手机银行无法登录、转账失败，客服热线长时间占线，"
          "工商银行官方微博称技术人员正在紧急处理。")


def variant(title: str, body: str, k: int) -> tuple[str, str]:
    """How portals reprint: tags, column names, leads, notes, truncation."""
    tags = ["【独家】", "", "突发！", "【关注】"]
    columns = ["丨财经早知道", "", "｜银行观察", "——金融界"]
    leads = ["据新浪财经消息，", "记者获悉，", "", "有网友爆料称，"]
    notes = ["（责任编辑：王明）", "", "本文来自证券时报，转载请注明出处。", "原标题：" + title]
    cut = len(body) if k % 3 else int(len(body) * 0.6)
    return tags[k % 4] + title + columns[(k + 1) % 4], leads[k % 4] + body[:cut] + notes[(k + 2) % 4]


def items_for(story: tuple[str, str], prefix: str, n: int, start: datetime) -> list[ClusterItem]:
    return [ClusterItem(f"{prefix}-{k}", *variant(*story, k), start + timedelta(minutes=37 * k),
                        bank_ids=frozenset({"icbc"})) for k in range(n)]


# --- clustering --------------------------------------------------------------------------------


def test_reprints_join_and_distinct_same_bank_stories_stay_apart():
    penalty = items_for(PENALTY, "p", 12, T0)
    outage = items_for(OUTAGE, "o", 8, T0 + timedelta(hours=1))
    # the same template, another branch and amount, the same day: another event
    other_branch = items_for((PENALTY[0].replace("北京", "上海").replace("50", "30"),
                              PENALTY[1].replace("北京", "上海").replace("50", "30")), "q", 6, T0)
    assignments = {a.item_id: a.event_id for a in cluster(penalty + outage + other_branch)}
    assert len({assignments[i.item_id] for i in penalty}) == 1
    assert len({assignments[i.item_id] for i in outage}) == 1
    assert len({assignments[i.item_id] for i in other_branch}) == 1
    assert len(set(assignments.values())) == 3
    # the event is named after its earliest item
    from reportgen.insight.events import event_id_for

    assert assignments["p-0"] == event_id_for("p-0")


def test_reprints_outside_the_window_are_a_new_event():
    early = items_for(PENALTY, "a", 3, T0)
    late = items_for(PENALTY, "b", 3, T0 + timedelta(days=10))
    assignments = {a.item_id: a.event_id for a in cluster(early + late, EventSettings(window_hours=72))}
    assert assignments["a-0"] != assignments["b-0"]


def test_clustering_is_incremental_and_never_merges_stored_events():
    first = items_for(PENALTY, "p", 5, T0)
    stored = {a.item_id: a.event_id for a in cluster(first)}
    event = stored["p-0"]
    context = [ClusterItem(i.item_id, i.title, i.summary, i.published_at, event, i.bank_ids) for i in first]
    later = items_for(PENALTY, "r", 4, T0 + timedelta(hours=20))
    assignments = cluster(context + later)
    assert {a.item_id for a in assignments} == {i.item_id for i in later}  # stored items untouched
    assert {a.event_id for a in assignments} == {event}


def test_clustering_quality_on_the_labelled_reprint_set():
    variants = reprint_set(120, seed=9)
    truth = {v.item.item_id: v.story_id for v in variants}
    predicted = {a.item_id: a.event_id for a in cluster([v.item for v in variants])}
    precision, recall = pairwise_scores(truth, predicted)
    assert precision >= 0.95, precision
    assert recall >= 0.90, recall
    assert all(5 <= n <= 30 for n in _story_sizes(variants))


def _story_sizes(variants):
    sizes: dict[str, int] = {}
    for v in variants:
        sizes[v.story_id] = sizes.get(v.story_id, 0) + 1
    return sizes.values()


def test_clustering_is_deterministic():
    items = [v.item for v in reprint_set(30, seed=3)]
    shuffled = random.Random(1).sample(items, len(items))
    assert cluster(items) == cluster(shuffled)  # sorted by item id, independent of input order


RATE_CUTS = [  # the demo's rate-cut template, four stories on four days: (day, banks named, rate)
    (26, ("邮储银行", "交通银行"), "1.55"), (27, ("交通银行", "建设银行"), "1.25"),
    (28, ("农业银行", "交通银行"), "1.25"), (30, ("工商银行", "农业银行"), "1.35")]
MORE_BANKS = """
[[banks]]
id = "psbc"
name = "中国邮政储蓄银行"
aliases = ["邮储银行"]
[[banks]]
id = "bocom"
name = "交通银行"
aliases = ["交行"]
[[banks]]
id = "abc"
name = "中国农业银行"
aliases = ["农业银行", "农行"]
"""


def rate_cut(day: int, banks: tuple[str, str], rate: str, k: int) -> tuple[str, str]:
    title = f"{banks[0]}、{banks[1]}下调定期存款利率 三年期降至{rate}%"
    body = (f"11月{day}日起，{banks[0]}、{banks[1]}等银行下调人民币定期存款挂牌利率，三年期降至{rate}%，"
            "五年期同步下调。")
    return variant(title, body, k)


def test_a_chain_of_look_alike_stories_across_days_is_one_event_per_story(tmp_path):
    """Issue 4: another bank, another number, another day is another story.  Each day's story is
    like the day before's (one bank in common, the same wording, 11月 in both), and each day is
    clustered in its own run, as cron does: every story stays an event of its own."""
    store, config = make_store(tmp_path, MORE_BANKS)
    for day, banks, rate in RATE_CUTS:
        at = datetime(2026, 11, day, 10, tzinfo=SH)
        add(store, config, "web", [(f"d{day}-{k}", *rate_cut(day, banks, rate, k), at + timedelta(hours=k))
                                   for k in range(4)])
        score_pending(store, config)
        assert cluster_pending(store, config) == 4
    start = datetime(2026, 11, 24, tzinfo=SH)
    events = event_summaries(store, config, start, start + timedelta(days=8))
    assert len(events) == 4
    by_day = {e.first_published_at.day: e for e in events}
    assert sorted(by_day) == [26, 27, 28, 30]
    for day, banks, rate in RATE_CUTS:
        event = by_day[day]
        assert event.item_count == 4
        assert f"{rate}%" in event.title and all(b in event.title for b in banks)
        assert {c.day for c in [event.first_published_at, event.last_published_at]} == {day}


def test_an_event_spans_at_most_the_window_from_its_first_copy():
    """A copy joins an event only within ``window_hours`` of the event's first copy: a chain of
    copies, each a day and a half after the previous one, does not stretch one event over days."""
    copies = [ClusterItem(f"c-{k}", *variant(*PENALTY, k), T0 + timedelta(hours=36 * k), bank_ids=frozenset({"icbc"}))
              for k in range(4)]
    assignments = {a.item_id: a.event_id for a in cluster(copies, EventSettings(window_hours=72))}
    assert assignments["c-0"] == assignments["c-1"] == assignments["c-2"]
    assert assignments["c-3"] != assignments["c-0"]
    # the same over two runs: the stored event's first copy (not in the context) still counts
    event = assignments["c-0"]
    context = [ClusterItem(i.item_id, i.title, i.summary, i.published_at, event, i.bank_ids, T0) for i in copies[2:3]]
    [late] = cluster(context + copies[3:])
    assert late.event_id != event


def test_copies_cut_short_or_with_a_note_keep_their_story():
    """The facts that tell stories apart are read so that a copy's editing does not change them: a
    body cut inside a figure (贷款86…), a source line naming a city (本文来自北京商报)."""
    title, body = PENALTY
    cut = body[:body.index("50") + 1]  # …被罚款5
    items = [ClusterItem("a", title, body, T0, bank_ids=frozenset({"icbc"})),
             ClusterItem("b", title, cut + " 本文来自上海证券报，转载请注明出处。", T0 + timedelta(hours=1),
                         bank_ids=frozenset({"icbc"}))]
    assert len({a.event_id for a in cluster(items)}) == 1


# --- heat ----------------------------------------------------------------------------------------


def test_item_heat_formula():
    weights = {"online": 0.3, "social": 0.15, "print": 0.3}
    assert item_heat("online", 1.0, weights) == pytest.approx(30.0)
    assert item_heat("social", 2.0, weights) == pytest.approx(30.0)
    assert item_heat("print", 1.0, weights, age_days=3, half_life_days=3) == pytest.approx(15.0)
    assert item_heat("forum", 1.0, weights) == 0.0  # an unknown channel has no influence


CONFIG = """
[settings]
database = "sqlite:///e.db"
[[banks]]
id = "icbc"
name = "中国工商银行"
aliases = ["工商银行", "工行"]
role = "self"
[[banks]]
id = "ccb"
name = "中国建设银行"
aliases = ["建设银行"]
[[sources]]
id = "web"
name = "门户"
url = "http://127.0.0.1:9/a.xml"
channel = "online"
[[sources]]
id = "weibo"
name = "微博"
url = "http://127.0.0.1:9/b.xml"
channel = "social"
weight = 2.0
[[sources]]
id = "paper"
name = "报纸"
url = "http://127.0.0.1:9/c.xml"
channel = "print"
"""


def make_store(tmp_path: Path, extra: str = ""):
    path = tmp_path / "sources.toml"
    path.write_text(CONFIG + extra, encoding="utf-8")
    config = load_config(path)
    store = Store.open(config.settings.database)
    store.sync_sources(config.sources, lambda s: s.url or "")
    return store, config


def add(store, config, source: str, rows: list[tuple[str, str, str, datetime]]) -> None:
    matcher = Matcher(config.banks)
    run_id = store.start_run("fetch", datetime.now(UTC))
    items = [Item(item_id=i, source_id=source, title=t, summary=s, url=f"https://x.example/{i}", guid=i,
                  author=None, published_at=at, fetched_at=at, content_hash=i) for i, t, s, at in rows]
    store.save_source_batch(run_id, SourceHealth(source, FetchStatus.OK, datetime.now(UTC), 0.1, 200, len(items)),
                            None, items, matcher.mentions)


def test_event_heat_reprints_and_first_source_from_the_store(tmp_path):
    store, config = make_store(tmp_path)
    v = [variant(*PENALTY, k) for k in range(4)]
    add(store, config, "weibo", [("w1", *v[1], T0 + timedelta(hours=2)), ("w2", *v[2], T0 + timedelta(hours=3))])
    add(store, config, "web", [("n1", *v[0], T0)])
    add(store, config, "paper", [("p1", *v[3], T0 + timedelta(hours=5))])
    score_pending(store, config)
    assert cluster_pending(store, config) == 4
    start = datetime(2026, 11, 27, tzinfo=SH)
    [event] = event_summaries(store, config, start, start + timedelta(days=1))
    # heat = Σ channel weight × source weight × 100: online 0.3×1, social 0.15×2 twice, print 0.3×1
    assert event.heat == pytest.approx(30 + 30 + 30 + 30)
    assert event.bank_heat == {"icbc": pytest.approx(120.0)}
    assert (event.item_count, event.reprint_count, event.source_count) == (4, 3, 3)
    assert event.first_source == "门户" and event.first_channel == "online"
    assert event.label == "negative" and event.categories[0] == "regulatory"
    assert event.channels[0] == "social"
    # a later run: a reprint joins the stored event, and the export names it
    add(store, config, "web", [("n2", *variant(*PENALTY, 5), T0 + timedelta(hours=9))])
    assert cluster_pending(store, config) == 1
    [event] = event_summaries(store, config, start, start + timedelta(days=1))
    assert event.item_count == 5
    # the weekly view decays heat: 3 days after the window the same items count half
    [decayed] = event_summaries(store, config, start, start + timedelta(days=4), decay=True)
    assert decayed.heat < event.heat


# --- alerts --------------------------------------------------------------------------------------


def quiet_series(days: int, seed: int = 5) -> list[int]:
    rng = random.Random(seed)
    return [max(0, round(rng.gauss(4, 1.5))) for _ in range(days)]


def test_spike_fires_on_its_day_and_not_on_the_quiet_days_around_it():
    settings = AlertSettings()
    series = quiet_series(28 + 27, seed=11)
    spike_at = 41
    series[spike_at] = 21
    fired = []
    for i in range(28, len(series)):
        history = series[i - 28:i]
        found = bank_alerts("icbc", "工商银行", date(2026, 1, 1) + timedelta(days=i), negatives=series[i],
                            negative_history=history, heat=0, heat_history=[0] * 28, events=(),
                            category_names={}, settings=settings)
        if found:
            fired.append(i)
    assert fired == [spike_at]


def test_short_history_zero_baseline_and_holiday_dip():
    settings = AlertSettings()
    kwargs = {"heat": 0, "heat_history": [], "events": (), "category_names": {}, "settings": settings}
    # two days of history: a prior centre keeps a normal day quiet
    assert not bank_alerts("b", "某行", date(2026, 1, 3), negatives=4, negative_history=[1, 2], **kwargs)
    assert bank_alerts("b", "某行", date(2026, 1, 3), negatives=12, negative_history=[1, 2], **kwargs)
    # zero baseline: two items are not an alert, three are the mildest level, 三级 (yellow)
    assert not bank_alerts("b", "某行", date(2026, 2, 1), negatives=2, negative_history=[0] * 28, **kwargs)
    [alert] = bank_alerts("b", "某行", date(2026, 2, 1), negatives=3, negative_history=[0] * 28, **kwargs)
    assert alert.level == 3 and "3 条" in alert.reason_zh and "中位数 0 条" in alert.reason_zh
    assert "三级（黄色）" in alert.reason_zh and "Level 3 (yellow)" in alert.reason_en
    # a week-long holiday dip in the baseline does not make an ordinary day look like a spike
    holiday = [5] * 14 + [0] * 7 + [5] * 7
    assert baseline(holiday, settings, prior=2)[0] == 5
    assert not bank_alerts("b", "某行", date(2026, 2, 8), negatives=7, negative_history=holiday, **kwargs)


def test_levels_and_category_trigger():
    settings = AlertSettings()
    history = [4] * 28
    levels = [bank_alerts("b", "某行", date(2026, 3, 1), negatives=n, negative_history=history, heat=0,
                          heat_history=[0] * 28, events=(), category_names={}, settings=settings)[0].level
              for n in (11, 15, 21)]
    # numbered from the top, as Chinese banks and regulators do: the biggest spike is 一级
    assert levels == [3, 2, 1]
    leak = CategoryEvent("ev-1", "某行客户信息疑遭批量泄露", ("data_leak", "fraud_crime"), 45.0)
    small = CategoryEvent("ev-2", "某行员工涉嫌违规", ("regulatory",), 10.0)
    [alert] = bank_alerts("b", "某行", date(2026, 3, 1), negatives=1, negative_history=history, heat=0,
                          heat_history=[0] * 28, events=(leak, small),
                          category_names={"data_leak": ("客户信息泄露", "Customer data leak")}, settings=settings)
    assert (alert.kind, alert.category, alert.level, alert.event_ids) == ("category", "data_leak", 2, ("ev-1",))
    assert "客户信息泄露" in alert.reason_zh and "45" in alert.reason_zh
    assert "customer data leak" in alert.reason_en


def _spike_store(tmp_path, extra=""):
    store, config = make_store(tmp_path, extra)
    rows = []
    for d in range(1, 15):
        day = datetime(2026, 11, d, 10, tzinfo=SH)
        rows.append((f"q{d}", f"工商银行第{d}期服务投诉通报", "网点排队时间过长，客户投诉服务态度差。", day))
    spike = datetime(2026, 11, 15, 8, tzinfo=SH)
    for k in range(14):
        rows.append((f"s{k}", f"工商银行{k}号网点储户资金不翼而飞{k}万元",
                     f"第{k}位储户称卡内{k}万元资金被盗刷，网点拒绝赔偿，多名客户维权。", spike + timedelta(minutes=k)))
    add(store, config, "web", rows)
    score_pending(store, config)
    cluster_pending(store, config)
    return store, config


def test_alerts_are_stored_and_a_past_day_shows_them_as_they_were(tmp_path):
    store, config = _spike_store(tmp_path)
    raised = compute_alerts(store, config, date(2026, 11, 15))
    assert any(a.kind == "volume" and a.bank_id == "icbc" for a in raised)
    before = alert_summaries(store, config, date(2026, 11, 15), date(2026, 11, 15), "zh")
    assert before and before[0].actions and before[0].owner
    # more news about that day arrives later: the stored alerts are not recomputed
    add(store, config, "web", [("late", "工商银行再曝资金被盗刷", "储户维权。", datetime(2026, 11, 15, 23, tzinfo=SH))])
    score_pending(store, config)
    assert compute_alerts(store, config, date(2026, 11, 15)) == []
    assert alert_summaries(store, config, date(2026, 11, 15), date(2026, 11, 15), "zh") == before


def test_playbook_from_config_with_a_user_override(tmp_path):
    store, config = _spike_store(tmp_path, """
[playbook.ops_loss]
owner = "运营管理部（资金安全组）"
actions = ["当日内联系全部受影响客户", "冻结可疑交易并报案"]
""")
    compute_alerts(store, config, date(2026, 11, 15))
    found = alert_summaries(store, config, date(2026, 11, 15), date(2026, 11, 15), "zh")
    ops = [a for a in found if a.category == "ops_loss"]
    assert ops and ops[0].owner == "运营管理部（资金安全组）"
    assert ops[0].actions == ("当日内联系全部受影响客户", "冻结可疑交易并报案")
    english = alert_summaries(store, config, date(2026, 11, 15), date(2026, 11, 15), "en")
    assert "negative" in english[0].reason
    # one incident (the spike's volume, heat and ops_loss triggers share its events): one alert
    assert len(found) == len(english) == 1


@pytest.mark.parametrize("extra, message", [
    ("[alerts]\nlevels = [5, 3, 8]\n", "alerts.levels"),
    ("[heat.channels]\nforum = 0.05\n", "heat.channels.forum"),
    ("[playbook.complaint]\nactions = [\"道歉\"]\n", "playbook.complaint.owner"),
    ("[events]\nwindow_hours = 0\n", "events.window_hours"),
    ("[alerts.categories]\ndata_leak = 5\n", "alerts.categories.data_leak"),
])
def test_events_config_errors(extra, message):
    with pytest.raises(ConfigError) as info:
        parse_config_text(CONFIG + extra, Path("/tmp/sources.toml"))
    assert message in str(info.value)


def test_events_and_alerts_commands_json(tmp_path):
    store, config = _spike_store(tmp_path)
    runner = CliRunner()
    result = runner.invoke(cli, ["--config", str(config.path), "events", "--date", "2026-11-15", "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["date"] == "2026-11-15" and out["total"] == len(out["events"]) >= 1
    first = out["events"][0]
    assert {"event_id", "title", "first_source", "reprint_count", "heat", "label", "categories", "banks"} <= set(first)
    assert [e["heat"] for e in out["events"]] == sorted((e["heat"] for e in out["events"]), reverse=True)
    result = runner.invoke(cli, ["--config", str(config.path), "alerts", "--date", "2026-11-15", "--json"])
    assert result.exit_code == 0, result.output
    alerts = json.loads(result.stdout)["alerts"]
    assert alerts and {"level", "reason", "actions", "owner", "bank", "level_name", "colour"} <= set(alerts[0])
    # most severe first, and 1 (一级, red) is the most severe
    assert alerts[0]["level"] == min(a["level"] for a in alerts)
    colours = {1: "red", 2: "orange", 3: "yellow"}
    assert all(a["colour"] == colours[a["level"]] for a in alerts)
    assert all(a["level_name"].startswith("一二三"[a["level"] - 1] + "级（") for a in alerts)
    text = runner.invoke(cli, ["--config", str(config.path), "alerts", "--date", "2026-11-15"]).output
    assert "处置建议" in text and f"[{alerts[0]['level_name']}]" in text
    quiet = runner.invoke(cli, ["--config", str(config.path), "alerts", "--date", "2026-11-03", "--lang", "en"])
    assert "no alerts" in quiet.output


# --- levels: numbered from the top (一级 = red = the most severe) ----------------------------------


def test_four_configured_levels_add_a_blue_level_4_below_the_others():
    config = parse_config_text(CONFIG + "[alerts]\nlevels = [2, 3, 5, 8]\n", Path("/tmp/sources.toml"))
    settings = config.events.alerts
    assert settings.level_count == 4
    found = [bank_alerts("b", "某行", date(2026, 3, 1), negatives=n, negative_history=[4] * 28, heat=0,
                         heat_history=[0] * 28, events=(), category_names={}, settings=settings)[0]
             for n in (9, 11, 15, 21)]
    assert [a.level for a in found] == [4, 3, 2, 1]
    assert "四级（蓝色）" in found[0].reason_zh and "一级（红色）" in found[3].reason_zh
    assert "Level 1 (red)" in found[3].reason_en


def test_old_category_levels_keep_their_meaning_with_a_deprecation_warning():
    old = parse_config_text(CONFIG + "[alerts.categories]\ndata_leak = 3\noutage = 1\nregulatory = 2\n"
                            "fee_rate = 0\n", Path("/tmp/sources.toml"))
    levels = old.events.alerts.category_levels
    # the old table counted up (3 was the most severe): 3 → 一级, 2 → 二级, 1 → 三级
    assert (levels["data_leak"], levels["regulatory"], levels["outage"]) == (1, 2, 3)
    assert "fee_rate" not in levels
    assert any("[alerts.categories] is deprecated" in w for w in old.warnings)
    new = parse_config_text(CONFIG + "[alerts.category_levels]\ndata_leak = 1\noutage = \"三级\"\n",
                            Path("/tmp/sources.toml"))
    assert (new.events.alerts.category_levels["data_leak"], new.events.alerts.category_levels["outage"]) == (1, 3)
    assert not any("deprecated" in w for w in new.warnings)
    with pytest.raises(ConfigError, match="category_levels"):
        parse_config_text(CONFIG + "[alerts.category_levels]\ndata_leak = 4\n", Path("/tmp/sources.toml"))
    with pytest.raises(ConfigError, match="not both"):
        parse_config_text(CONFIG + "[alerts.categories]\ndata_leak = 3\n[alerts.category_levels]\noutage = 1\n",
                          Path("/tmp/sources.toml"))


def test_migration_turns_stored_alert_levels_round(db_url):
    from sqlalchemy import select

    from reportgen.store.schema import MIGRATIONS, alerts, schema_migrations

    store = Store.open(db_url, migrate=False)
    with store.begin() as conn:
        schema_migrations.create(conn)
        for version, description, step in MIGRATIONS:
            if version < 7:
                step(conn)
                conn.execute(schema_migrations.insert().values(version=version, description=description,
                                                               applied_at=datetime.now(UTC)))
        # rows written before the numbering turned: 3 was the most severe
        conn.execute(alerts.insert(), [
            {"day": date(2026, 11, 15), "bank_id": "icbc", "kind": kind, "category": None, "level": level,
             "value": 9.0, "centre": 1.0, "spread": 1.0, "event_ids": "[]", "computed_at": datetime.now(UTC),
             "reason_zh": f"工商银行北京一级分行负面信息 9 条，达到{name}预警。",
             "reason_en": f"ICBC had 9 negative items: Level {level}."}
            for kind, level, name in (("volume", 3, "三级"), ("heat", 1, "一级"), ("category", 2, "二级"))])
    Store.open(store.url).migrate()
    with store.begin() as conn:
        rows = {r.kind: r for r in conn.execute(select(alerts))}
    assert (rows["volume"].level, rows["heat"].level, rows["category"].level) == (1, 3, 2)
    assert rows["volume"].reason_zh == "工商银行北京一级分行负面信息 9 条，达到一级预警。"  # 一级分行 kept
    assert rows["heat"].reason_zh.endswith("达到三级预警。") and rows["heat"].reason_en.endswith("Level 3.")
    assert rows["volume"].reason_en.endswith("Level 1.") and rows["category"].reason_zh.endswith("达到二级预警。")


def test_the_written_out_permutations_are_numpys_draws():
    import numpy as np

    from reportgen.insight.events import MINHASH_SEED, _permutations

    for num_perm in (40, 16):  # the default (written out) and another (drawn)
        rng = np.random.default_rng(MINHASH_SEED)
        a = (rng.integers(1, 2**62, size=(num_perm, 1), dtype=np.uint64) << np.uint64(1)) | np.uint64(1)
        b = rng.integers(0, 2**62, size=(num_perm, 1), dtype=np.uint64)
        got_a, got_b = _permutations(num_perm)
        assert got_a.dtype == got_b.dtype == np.uint64 and got_a.shape == got_b.shape == (num_perm, 1)
        assert np.array_equal(got_a, a) and np.array_equal(got_b, b)


def test_sorted_unique_and_dense_numbers_match_numpys_unique():
    import numpy as np

    from reportgen.insight.events import _dense, _sorted_unique

    rng = random.Random(7)
    for size in (0, 1, 2, 5, 300):
        values = np.array([rng.choice([3, 2**63 + 5, rng.getrandbits(64)]) for _ in range(size)], dtype=np.uint64)
        assert np.array_equal(_sorted_unique(values), np.unique(values))
        keys = values.reshape(-1, 1) if size else values.reshape(0, 1)
        dense = _dense(keys)
        assert dense.shape == keys.shape
        _, inverse = np.unique(values, return_inverse=True)
        assert np.array_equal(dense.ravel(), inverse.ravel())  # numbered in the keys' order, equal keys equal


def test_clustering_loads_neither_numpy_random_nor_numpy_ma():
    # each would add megabytes to a fetch's peak RSS (6.6 and 1.3 MB)
    import subprocess
    import sys

    code = ("import sys\nfrom reportgen.demo.reprints import reprint_set\n"
            "from reportgen.insight.events import cluster\n"
            "assert len({a.event_id for a in cluster([v.item for v in reprint_set(20, seed=3)])}) > 1\n"
            "print(sorted(m for m in sys.modules if m in ('numpy.random', 'numpy.ma')))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_a_few_items_cluster_in_plain_python_exactly_as_with_numpy(monkeypatch):
    import dataclasses

    from reportgen.insight import events as ev

    settings = EventSettings()
    items = [v.item for v in reprint_set(40, seed=5)]
    texts = [ev.normalise(i.title, i.summary) for i in items[:60]]
    texts += ["", "a", "ab", "abc", "aaaa", "\U0001F600x\U0001F600"]
    fast, plain = ev._Shingled(texts, settings.shingle), ev._PlainShingled(texts, settings.shingle)
    for i in range(len(texts)):
        assert plain.hashes[i] == fast.hashes[fast.offsets[i]:fast.offsets[i + 1]].tolist()
    assert ev._plain_band_keys(plain, settings) == ev._band_keys(fast, settings).tolist()
    pick = random.Random(2)
    for _ in range(100):
        i, j = pick.randrange(len(texts)), pick.randrange(len(texts))
        assert plain.similarity(i, j, settings) == fast.similarity(i, j, settings)
    # whole batches, new items joining stored events: the same assignments either way
    stored = {a.item_id: a.event_id for a in cluster(items, settings)}
    most = ev.PLAIN_ITEMS
    for _ in range(40):
        batch = [dataclasses.replace(i, event_id=stored[i.item_id]) if pick.random() < 0.5 else i
                 for i in pick.sample(items, pick.randrange(1, most + 1))]
        monkeypatch.setattr(ev, "PLAIN_ITEMS", 10**6)
        in_python = cluster(batch, settings)
        monkeypatch.setattr(ev, "PLAIN_ITEMS", -1)
        assert cluster(batch, settings) == in_python


def test_a_few_items_cluster_without_importing_numpy():
    import subprocess
    import sys

    code = ("import sys\nfrom reportgen.demo.reprints import reprint_set\n"
            "from reportgen.insight.events import PLAIN_ITEMS, cluster\n"
            "found = cluster([v.item for v in reprint_set(4, seed=3)][:PLAIN_ITEMS])\n"
            "assert len({a.event_id for a in found}) > 1\n"
            "print('numpy' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
