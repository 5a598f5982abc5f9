"""One incident, one alert, one level: what the duty desk is pushed, what `reportgen alerts` lists
and what the daily briefing says agree (audit findings D1, C6, D2, C5, D4, D5).

Real SQLite stores built with :mod:`pushkit`; pushes go to a real receiver on 127.0.0.1.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import date, datetime, timedelta

import pytest
from click.testing import CliRunner
from pushkit import NOW, SH, add, ccb_leak, history, make_store

from reportgen.cli.app import cli
from reportgen.demo.receiver import PushReceiver
from reportgen.flow.alerting import alert_now, resolve
from reportgen.flow.pipeline import build_report
from reportgen.flow.queries import day_alerts
from reportgen.insight.alerts import AlertSettings, CategoryEvent, bank_alerts, with_incident_event
from reportgen.insight.followup import acknowledge
from reportgen.insight.incidents import alert_summaries, compute_alerts, event_summaries
from reportgen.periods import Period
from reportgen.store import event_rows, incident_rows

DAY = NOW.date()


@pytest.fixture
def receiver():
    with PushReceiver() as rx:
        yield rx


def hook(rx: PushReceiver) -> str:
    return f'\n[[push]]\nname = "hook"\nurl = "json://127.0.0.1:{rx.port}/hook"\n'


def ccb_alerts(config, day: date, now: datetime):
    return [a for a in day_alerts(config, day, day, "zh", now=now) if a.bank_id == "ccb"]


# --- D1: a day in progress is never frozen ------------------------------------------------------


def test_asking_for_todays_alerts_does_not_freeze_them(tmp_path, receiver):
    store, config = make_store(tmp_path, hook(receiver))
    history(store, config)
    ccb_leak(store, config)  # one report of a leak at 10:00: 二级 by its category
    [(incident, _)] = alert_now(store, config, NOW).incidents
    assert incident.level == 2
    # someone asks for today's alerts at 12:05: 二级, as pushed
    [early] = ccb_alerts(config, DAY, NOW + timedelta(minutes=5))
    assert early.level == 2 and early.incident is not None
    # the story spreads: twelve reprints, pushed as an escalation to 一级
    ccb_leak(store, config, copies=12, at=NOW + timedelta(minutes=30), prefix="wave")
    [(escalated, change)] = alert_now(store, config, NOW + timedelta(hours=1)).incidents
    assert (escalated.incident_id, change, escalated.level) == (incident.incident_id, "escalated", 1)
    # asked again the same day: the day's alerts are raised again from everything stored by now
    [later] = ccb_alerts(config, DAY, NOW + timedelta(hours=1, minutes=5))
    assert later.level == 1 and later.incident.incident_id == incident.incident_id
    assert any("12月27日" not in r and "负面信息 13 条" in r for r in later.all_reasons), later.all_reasons
    # the next morning's briefing shows 一级, with the day's own count, and stores the day for good
    morning = datetime(2026, 11, 28, 8, 0, tzinfo=SH)
    built = build_report(config, Period.daily(DAY), now=morning, formats=("html",), store=store)
    [alert] = [a for a in built.data.alerts if a.bank_id == "ccb"]
    assert alert.level == 1 and any("11月27日负面信息 13 条" in r for r in alert.all_reasons)
    html = built.paths["html"].read_text(encoding="utf-8")
    row = html.split('class="data followup"')[1].split(f"<td>{incident.incident_id}</td>")[1].split("</tr>")[0]
    assert "一级" in row and "二级" not in row
    assert event_rows.alerts_computed_at(store, DAY) == morning
    # a closed day is kept as it was: a late copy stored afterwards changes nothing
    ccb_leak(store, config, copies=3, at=NOW + timedelta(hours=11), prefix="late")
    assert compute_alerts(store, config, DAY, now=morning + timedelta(hours=1)) == []


def test_a_day_closes_at_the_report_days_start_hour(tmp_path):
    store, config = make_store(tmp_path, "[report]\nday_start_hour = 8\n")
    history(store, config)
    ccb_leak(store, config)
    compute_alerts(store, config, DAY, now=datetime(2026, 11, 28, 7, 0, tzinfo=SH))  # before 08:00: not closed
    assert compute_alerts(store, config, DAY, now=datetime(2026, 11, 28, 8, 30, tzinfo=SH))  # raised again
    assert compute_alerts(store, config, DAY, now=datetime(2026, 11, 28, 9, 0, tzinfo=SH)) == []  # final


def test_alerts_without_a_date_lists_yesterday_and_today(tmp_path):
    store, config = make_store(tmp_path)
    today = datetime.now(SH).replace(hour=0, minute=0, second=0, microsecond=0)
    history(store, config, now=today)
    ccb_leak(store, config, at=datetime.now(SH) - timedelta(minutes=1))
    out = CliRunner().invoke(cli, ["--config", str(config.path), "alerts", "--json"])
    assert out.exit_code == 0, out.output
    found = json.loads(out.stdout)
    assert found["to"] == today.date().isoformat()
    assert found["from"] == (today.date() - timedelta(days=1)).isoformat()
    assert [a["bank"] for a in found["alerts"]] == ["ccb"]


# --- C6: the level shown is the most severe the incident reached ---------------------------------


def test_the_report_shows_the_level_pushed_to_the_duty_desk(tmp_path, receiver):
    store, config = make_store(tmp_path, hook(receiver))
    history(store, config, now=datetime(2026, 11, 27, 0, 0, tzinfo=SH))
    # a leak reprinted thirteen times around midnight: 一级 over the last 24 hours, while 27 November
    # holds two copies of it (二级 by its category alone)
    ccb_leak(store, config, copies=13, at=datetime(2026, 11, 26, 23, 49, tzinfo=SH))
    outcome = alert_now(store, config, datetime(2026, 11, 27, 0, 30, tzinfo=SH))
    [(incident, _)] = outcome.incidents
    assert incident.level == 1 and incident.day == DAY
    assert [(p.level, p.reason) for p in outcome.sent + outcome.failed] == [(1, "new")]  # the desk is paged red
    alert_now(store, config, datetime(2026, 11, 28, 1, 30, tzinfo=SH))  # it has left the window
    out = CliRunner().invoke(cli, ["--config", str(config.path), "alerts", "--date", "2026-11-27", "--json"])
    [listed] = [a for a in json.loads(out.stdout)["alerts"] if a["id"] == incident.incident_id]
    day_only = [a for a in alert_summaries(store, config, DAY, DAY, "zh") if a.bank_id == "ccb"]
    assert [a.level for a in day_only] == [2]  # the day's own count
    assert (listed["level"], listed["level_name"], listed["colour"]) == (1, "一级（红色）", "red")
    assert listed["reasons"][0].startswith("中国建设银行近24小时负面信息 13 条")  # why it reached 一级
    assert any("按规则至少二级" in r for r in listed["reasons"])  # and the day's own reason
    morning = datetime(2026, 11, 28, 8, 0, tzinfo=SH)
    built = build_report(config, Period.daily(DAY), now=morning, formats=("html",), store=store)
    [alert] = [a for a in built.data.alerts if a.bank_id == "ccb"]
    assert alert.level == 1 and alert.incident.incident_id == incident.incident_id
    html = built.paths["html"].read_text(encoding="utf-8")
    row = html.split('class="data followup"')[1].split(f"<td>{incident.incident_id}</td>")[1].split("</tr>")[0]
    assert "一级" in row


# --- D2: a tie in heat does not split one incident ---------------------------------------------

OUTAGES = [
    ("工商银行手机银行突发故障 多地用户无法登录转账",
     "今日上午，大量用户反映工商银行手机银行无法登录，转账失败，客服电话长时间占线。"),
    ("工行App崩了？多地用户反映无法转账", "多地用户反映工商银行手机银行无法登录、转账失败，工行客服称正在紧急处理。"),
    ("工商银行系统故障 网点业务暂停办理", "受系统故障影响，工商银行多地网点业务暂停办理，客户排长队等候。"),
    ("工商银行回应系统故障：正在全力抢修",
     "针对今日上午手机银行无法登录的情况，工商银行表示系统出现故障，正在全力抢修。"),
    ("工商银行宕机近两小时 用户投诉激增", "工商银行手机银行宕机近两小时，黑猫投诉平台相关投诉激增。"),
]


def test_five_outage_stories_of_equal_heat_are_one_alert(tmp_path):
    store, config = make_store(tmp_path)
    history(store, config)
    add(store, config, [(f"o{k}", title, body, NOW - timedelta(minutes=10 - k))
                        for k, (title, body) in enumerate(OUTAGES)])
    compute_alerts(store, config, DAY, now=NOW)
    [alert] = [a for a in alert_summaries(store, config, DAY, DAY, "zh") if a.bank_id == "icbc"]
    assert {"heat", "category"} <= set(alert.all_kinds) and alert.category == "outage"
    # the alert's first event is the headline its category reason names
    titles = {e.event_id: e.title for e in event_summaries(store, config, NOW - timedelta(hours=12), NOW)}
    [category_reason] = [r for r in alert.all_reasons if "系统故障类" in r]
    assert f"「{titles[alert.event_ids[0]]}」" in category_reason


# --- C5: a volume signal is one incident per bank and day -----------------------------------------

QUEUE = ("工商银行南京分行排队近两小时仅开一个窗口 储户吐槽服务效率低",
         "储户反映工商银行南京分行排队近两小时，只开一个窗口，服务态度差，投诉无人处理。")
CARD = ("工商银行信用卡中心催收电话骚扰亲友 持卡人投诉",
        "多名持卡人投诉工商银行信用卡中心催收人员频繁致电其亲友，言语粗暴，投诉后仍未停止。")


def test_a_volume_signal_whose_hottest_event_changes_stays_one_incident(tmp_path, receiver):
    store, config = make_store(tmp_path, hook(receiver))
    history(store, config)
    morning = NOW - timedelta(hours=4)  # 08:00
    add(store, config, [(f"a{k}", QUEUE[0] + ("" if k == 0 else f"（转载{k}）"), QUEUE[1],
                         morning + timedelta(minutes=k)) for k in range(4)])
    [(first, _)] = alert_now(store, config, morning + timedelta(minutes=30)).incidents
    assert "volume" in first.kinds and first.category == "complaint"
    # in the afternoon another complaint story is reprinted more: the bank's hottest event changes
    afternoon = NOW + timedelta(hours=2)
    add(store, config, [(f"b{k}", CARD[0] + ("" if k == 0 else f"（转载{k}）"), CARD[1],
                         afternoon + timedelta(minutes=k)) for k in range(7)])
    seen = alert_now(store, config, afternoon + timedelta(minutes=30)).incidents
    assert [(i.incident_id, i.bank_id) for i, _ in seen] == [(first.incident_id, "icbc")]
    assert len(incident_rows.raised_between(store, DAY, DAY)) == 1
    # the day's alerts: one for the bank, that incident
    alerts = day_alerts(config, DAY, DAY, "zh", now=afternoon + timedelta(hours=1))
    assert [(a.bank_id, a.incident.incident_id if a.incident else None) for a in alerts] == \
        [("icbc", first.incident_id)]


def test_volume_and_heat_take_an_event_of_their_category():
    settings = AlertSettings()
    results = CategoryEvent("ev-r", "某行营业收入同比下降6.2%", (), 90.0)
    queue = CategoryEvent("ev-q", "某行网点排队两小时", ("complaint",), 60.0)
    raised = bank_alerts("b", "某行", DAY, negatives=9, negative_history=[1] * 28, heat=0,
                         heat_history=[0] * 28, events=(results, queue), category_names={}, settings=settings)
    [volume] = with_incident_event(raised, Counter({"complaint": 5, "results": 1}), [results, queue])
    assert (volume.category, volume.event_ids) == ("complaint", ("ev-q",))


# --- D4: a preset baseline is not a median --------------------------------------------------------


@pytest.mark.parametrize("days", [0, 1, 6])
def test_a_short_history_names_the_preset_baseline(days):
    settings = AlertSettings()
    found = bank_alerts("cmb", "招商银行", DAY, negatives=30, negative_history=[0] * days, heat=1500,
                        heat_history=[0] * days, events=(), category_names={}, settings=settings)
    assert {a.kind for a in found} == {"volume", "heat"}
    for a in found:
        assert "中位数" not in a.reason_zh and "median" not in a.reason_en and "近0日" not in a.reason_zh
        assert "历史不足7日，按预设值" in a.reason_zh and "preset baseline" in a.reason_en
    heat = next(a for a in found if a.kind == "heat")
    assert "基线（历史不足7日，按预设值 60）" in heat.reason_zh
    # with enough history it is the median again
    [volume] = bank_alerts("cmb", "招商银行", DAY, negatives=12, negative_history=[0] * 28, heat=0,
                           heat_history=[0] * 28, events=(), category_names={}, settings=settings)
    assert "近28日基线中位数 0 条" in volume.reason_zh


# --- D5: a reopened alert keeps its history -------------------------------------------------------


def test_a_reopened_alert_says_who_resolved_it_and_has_no_time_to_ack(tmp_path, receiver):
    store, config = make_store(tmp_path, hook(receiver))
    history(store, config)
    ccb_leak(store, config)
    [(incident, _)] = alert_now(store, config, NOW).incidents
    resolve(config, incident.incident_id, "赵六", now=NOW + timedelta(minutes=2))
    ccb_leak(store, config, copies=12, at=NOW + timedelta(minutes=30), prefix="wave")
    reopened_at = NOW + timedelta(hours=1)
    [(again, change)] = alert_now(store, config, reopened_at).incidents
    assert change == "escalated" and again.state == "open"
    assert again.reopened_at == reopened_at and again.resolved_by == "赵六"
    assert again.time_to_ack is None  # nobody has taken it since it reopened
    runner = CliRunner()
    args = ["--config", str(config.path), "alerts", "--date", DAY.isoformat()]
    [listed] = json.loads(runner.invoke(cli, [*args, "--json"]).stdout)["alerts"]
    assert listed["state"] == "open" and listed["time_to_ack_s"] is None
    assert listed["resolved_by"] == "赵六" and datetime.fromisoformat(listed["reopened_at"]) == reopened_at
    text = runner.invoke(cli, args).output
    assert "11-27 12:02 由赵六处置，11-27 13:00 升级后重新打开" in text
    built = build_report(config, Period.daily(DAY), now=NOW + timedelta(hours=1, minutes=5), formats=("html",),
                         store=store)
    html = built.paths["html"].read_text(encoding="utf-8")
    row = html.split('class="data followup"')[1].split(f"<td>{incident.incident_id}</td>")[1].split("</tr>")[0]
    assert "未处理" in row and "由赵六处置" in row and "分钟" not in row
    # taken again ten minutes after it reopened: the time to acknowledge counts from the reopening
    taken = acknowledge(store, incident.incident_id, "钱七", None, reopened_at + timedelta(minutes=10))
    assert taken.time_to_ack == timedelta(minutes=10)


def test_a_new_story_with_a_category_trigger_is_not_folded_into_the_days_spike():
    """Only a bare volume/heat signal joins the bank's spike incident of the day by the day alone: a new
    story that raises its own category trigger (with the volume that moved to it) must be an incident of
    its own, pushed as such, not "seen again" under the morning's fraud incident."""
    from types import SimpleNamespace

    from reportgen.insight.followup import match, spike_day

    morning = SimpleNamespace(bank_id="icbc", event_ids=("ev-fraud",), incident_key="ev-fraud", day=DAY,
                              kinds=("category", "volume"))
    outage = ("category", "volume")
    assert match("icbc", ("ev-outage",), "ev-outage", [morning], spike_day=spike_day(outage, DAY)) is None
    bare = ("volume",)
    assert match("icbc", ("ev-queue",), "ev-queue", [morning], spike_day=spike_day(bare, DAY)) is morning
    assert match("icbc", ("ev-fraud",), "ev-fraud", [morning], spike_day=spike_day(outage, DAY)) is morning
    assert match("ccb", ("ev-queue",), "ev-queue", [morning], spike_day=spike_day(bare, DAY)) is None
