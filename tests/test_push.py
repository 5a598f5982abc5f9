"""Real-time alerts (issue 18): the rolling window, the push channels through apprise, the push
outbox (once per channel, retries, escalation, quiet hours, reminders) and the follow-up.

Every push goes to a real receiver on 127.0.0.1: apprise's ``json://`` webhook directly, the
企业微信, 钉钉 and 飞书 robots through :func:`pushkit.reroute` (their hosts are fixed in apprise),
and ``mailto://`` to the aiosmtpd server of the mail tests.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from mailserver import MailServer, free_port
from pushkit import BASE, NOW, ccb_leak, history, icbc_spike, make_store, reroute
from pypdf import PdfReader

from reportgen.cli.app import cli
from reportgen.config.core import load_config, parse_config_text
from reportgen.config.push import QuietHours, redact_push_url
from reportgen.demo.feedserver import FeedServer, Route
from reportgen.demo.receiver import PushReceiver
from reportgen.errors import ConfigError
from reportgen.flow.alerting import acknowledge, alert_now, check_channels
from reportgen.flow.pipeline import build_report
from reportgen.flow.runner import fetch, run
from reportgen.insight.followup import evaluate_window
from reportgen.models import PushState
from reportgen.periods import Period
from reportgen.store import incident_rows, push_rows

WECOM_KEY = "wecom-0123456789abcdef"
DING_SECRET = "SEC0123456789abcdefsecret"
DING_TOKEN = "dingtoken0123456789"
FEISHU_TOKEN = "feishu-token-0123456789"
MAIL_PASSWORD = "m@il-s3cret-pw"


@pytest.fixture
def receiver():
    with PushReceiver() as rx:
        yield rx


@pytest.fixture
def secrets_env(monkeypatch):
    for name, value in (("WECOM_KEY", WECOM_KEY), ("DING_SECRET", DING_SECRET), ("DING_TOKEN", DING_TOKEN),
                        ("FEISHU_TOKEN", FEISHU_TOKEN), ("MAIL_PASSWORD", MAIL_PASSWORD)):
        monkeypatch.setenv(name, value)


def hook(rx: PushReceiver, name: str = "hook", extra: str = "") -> str:
    return f'\n[[push]]\nname = "{name}"\nurl = "json://127.0.0.1:{rx.port}/{name}"\n{extra}\n'


def bodies(rx: PushReceiver, path: str) -> list[dict]:
    return [r.json() for r in rx.accepted if r.path == path]


# --- config ---------------------------------------------------------------------------------------


def test_push_config_levels_filters_quiet_hours_and_intraday_settings(tmp_path):
    config = parse_config_text(make_config_text("""
[alerts.intraday]
window_hours = 6
remind_after_minutes = 20
[[push]]
name = "duty"
url = "wecombot://${WECOM_KEY}"
min_level = "二级"
banks = ["icbc"]
categories = ["data_leak", "ops_loss"]
quiet_hours = "22:00-07:30"
attach = "pdf"
"""), tmp_path / "sources.toml")
    [duty] = config.push.channels
    assert (duty.min_level, duty.banks, duty.attach) == (2, ("icbc",), "pdf")
    assert duty.categories == ("data_leak", "ops_loss")
    assert config.push.intraday.window_hours == 6 and config.push.intraday.remind_after_minutes == 20
    assert duty.accepts(1, "icbc", "ops_loss") and duty.accepts(2, "icbc", "data_leak")
    assert not duty.accepts(3, "icbc", "data_leak") and not duty.accepts(1, "ccb", "data_leak")
    assert not duty.accepts(1, "icbc", "complaint")
    quiet = duty.quiet_hours
    assert isinstance(quiet, QuietHours) and str(quiet) == "22:00-07:30"
    assert duty.quiet_at(NOW.replace(hour=23)) and duty.quiet_at(NOW.replace(hour=7, minute=10))
    assert not duty.quiet_at(NOW.replace(hour=7, minute=30)) and not duty.quiet_at(NOW)


def test_push_config_errors_name_the_line_and_never_show_a_secret(tmp_path):
    with pytest.raises(ConfigError) as info:
        parse_config_text(make_config_text("""
[[push]]
name = "a"
url = "not a url sk-secret-value"
min_level = 5
quiet_hours = "25:00-07:00"
banks = ["nobody"]
[[push]]
name = "a"
url = "json://127.0.0.1/x"
attach = "zip"
[alerts.intraday]
window_hours = 0
"""), tmp_path / "sources.toml")
    text = str(info.value)
    for expected in ("push[0].url", "push[0].min_level", "push[0].quiet_hours", "push[0].banks", "push[1].name",
                     "push[1].attach", "alerts.intraday.window_hours"):
        assert expected in text
    assert "sk-secret-value" not in text
    assert "sources.toml:" in text  # with line numbers


@pytest.mark.parametrize("url, shown", [
    ("wecombot://${WECOM_KEY}", "wecombot://${WECOM_KEY}"),
    ("wecombot://abcdef0123456789", "wecombot://***"),
    ("dingtalk://${DING_SECRET}@${DING_TOKEN}", "dingtalk://${DING_SECRET}@${DING_TOKEN}"),
    ("dingtalk://SECabc123@tok456def", "dingtalk://***@***"),
    ("mailto://robot:pa55@smtp.example.com:587?to=duty@example.com", "mailto://robot:***@smtp.example.com:587"
                                                                      "?to=duty@example.com"),
    ("json://hooks.example.com/in/abcdefabcdefabcdef?+X-Token=zzz", "json://hooks.example.com/in/***?+X-Token=***"),
])
def test_urls_are_shown_with_their_secrets_hidden(url, shown):
    assert redact_push_url(url) == shown


# --- the rolling window ---------------------------------------------------------------------------


def test_the_rolling_window_compares_the_last_24_hours_with_the_same_hours_before(tmp_path):
    store, config = make_store(tmp_path)
    history(store, config)
    icbc_spike(store, config)
    start, seen = evaluate_window(store, config, NOW)
    assert start == NOW - timedelta(hours=24)
    [spike] = seen
    assert spike.bank_id == "icbc" and spike.level == 1 and {"volume", "heat"} <= set(spike.kinds)
    assert spike.category == "ops_loss"  # the category trigger's, not the window's commonest tag
    assert spike.negatives == 14 and spike.baseline == 1
    assert spike.reasons_zh[0].startswith("中国工商银行近24小时负面信息 14 条")
    assert "in the last 24 hours" in spike.reasons_en[0]
    # a day later the spike has left the window: nothing alerts
    assert evaluate_window(store, config, NOW + timedelta(days=1, hours=3))[1] == []


# --- one alert, each channel, once ----------------------------------------------------------------


def test_one_alert_reaches_each_channel_once(tmp_path, receiver, secrets_env, monkeypatch):
    robots = reroute(monkeypatch, receiver.port)
    with MailServer(login=("robot", MAIL_PASSWORD)) as mail:
        store, config = make_store(tmp_path, hook(receiver) + f"""
[[push]]
name = "wecom"
url = "wecombot://${{WECOM_KEY}}"
[[push]]
name = "dingtalk"
url = "dingtalk://${{DING_SECRET}}@${{DING_TOKEN}}"
[[push]]
name = "feishu"
url = "feishu://${{FEISHU_TOKEN}}"
[[push]]
name = "lark"
url = "lark://${{FEISHU_TOKEN}}"
[[push]]
name = "mail"
url = "mailto://robot:${{MAIL_PASSWORD}}@127.0.0.1:{mail.port}?from=robot@example.com&to=duty@example.com&mode=insecure"
""")
        history(store, config)
        icbc_spike(store, config)
        first = alert_now(store, config, NOW)
        assert first is not None and [change for _, change in first.incidents] == ["new"]
        [(incident, _)] = first.incidents
        assert sorted(p.channel for p in first.sent) == ["dingtalk", "feishu", "hook", "lark", "mail", "wecom"]
        # ten minutes later the same incident is still hot: nothing is pushed again
        again = alert_now(store, config, NOW + timedelta(minutes=10))
        assert again is not None and [change for _, change in again.incidents] == ["seen"] and not again.sent
        messages = list(mail.messages)

    assert len(receiver.accepted) == 5 and len(messages) == 1
    alert_id = str(incident.incident_id)
    # the JSON webhook: title and plain text
    [payload] = bodies(receiver, "/hook")
    assert payload["title"].startswith("【舆情预警】一级（红色）") and "中国工商银行" in payload["title"]
    assert payload["type"] == "failure"
    text = payload["message"]
    for expected in ("类别：操作失误/资金损失", "热度：420", "首发：新浪财经", "原文：https://news.example/",
                     "处置建议：运营管理部 — 2小时内核实情况", f"预警编号：{alert_id}",
                     f"reportgen alerts ack {alert_id}"):
        assert expected in text
    # 企业微信's robot: a text message, the title on its first line
    [wecom] = bodies(receiver, "/qyapi.weixin.qq.com/cgi-bin/webhook/send")
    assert wecom["msgtype"] == "text" and "一级（红色）" in wecom["text"]["content"]
    assert f"预警编号：{alert_id}" in wecom["text"]["content"]
    # 钉钉's robot: Markdown, signed with the secret (timestamp + HMAC-SHA256)
    [ding] = [r for r in receiver.accepted if r.path == "/oapi.dingtalk.com/robot/send"]
    assert ding.query["access_token"] == [DING_TOKEN]
    timestamp, sign = ding.query["timestamp"][0], ding.query["sign"][0]
    expected_sign = base64.b64encode(hmac.new(DING_SECRET.encode(), f"{timestamp}\n{DING_SECRET}".encode(),
                                              hashlib.sha256).digest()).decode()
    assert urllib.parse.unquote(sign) == expected_sign  # apprise sends it URL-encoded, as 钉钉's sample code does
    assert ding.json()["msgtype"] == "markdown" and "**处置建议**" in ding.json()["markdown"]["text"]
    assert "[新浪财经 · 11-27" in ding.json()["markdown"]["text"]  # the first source, linked
    # 飞书: an interactive card, red for 一级, in Feishu's Markdown
    [feishu] = bodies(receiver, f"/open.feishu.cn/open-apis/bot/v2/hook/{FEISHU_TOKEN}/")
    assert feishu["msg_type"] == "interactive" and feishu["card"]["header"]["template"] == "red"
    content = feishu["card"]["elements"][0]["text"]["content"]
    assert content.startswith("<font color='red'>**一级（红色）**</font>") and f"**预警编号**：{alert_id}" in content
    # Lark: the same card, from its own host
    [lark] = bodies(receiver, f"/open.larksuite.com/open-apis/bot/v2/hook/{FEISHU_TOKEN}")
    assert lark["msg_type"] == "interactive" and lark["card"]["elements"][0]["text"]["content"] == content
    # e-mail: the title is the subject, the Markdown became HTML
    message = messages[0].message
    assert "【舆情预警】一级（红色）" in str(message["Subject"])
    html = message.get_body(("html",)).get_content()
    assert "<strong>处置建议</strong>" in html and f"reportgen alerts ack {alert_id}" in html
    assert len(robots) == 4


def test_a_receiver_that_fails_then_recovers_gets_the_alert_exactly_once(tmp_path, receiver):
    store, config = make_store(tmp_path, hook(receiver) + "[alerts.intraday]\nretry_minutes = 2\n")
    history(store, config)
    icbc_spike(store, config)
    receiver.fail_next = 2
    first = alert_now(store, config, NOW)
    assert first is not None and not first.sent and len(first.failed) == 1
    [pending] = first.failed
    assert pending.state == PushState.PENDING and pending.attempts == 1 and "500" in (pending.last_error or "")
    assert pending.next_attempt_at == NOW + timedelta(minutes=2)
    # the briefing's source status lists the channel while its push waits
    [row] = push_rows.health(store, NOW - timedelta(days=1))
    assert (row.channel, row.pending, row.attempts) == ("hook", 1, 1) and "500" in (row.last_error or "")
    # a minute later the backoff has not run out: no attempt
    assert alert_now(store, config, NOW + timedelta(minutes=1)).sent == []
    assert len(receiver.received) == 1
    # the second attempt fails too; the next waits twice as long
    second = alert_now(store, config, NOW + timedelta(minutes=3))
    assert second is not None and second.failed[0].next_attempt_at == NOW + timedelta(minutes=7)
    third = alert_now(store, config, NOW + timedelta(minutes=8))
    assert third is not None and len(third.sent) == 1
    for minutes in (9, 20):
        assert alert_now(store, config, NOW + timedelta(minutes=minutes)).sent == []
    assert len(receiver.received) == 3 and len(receiver.accepted) == 1
    assert push_rows.health(store, NOW - timedelta(days=1)) == ()


def test_a_push_undelivered_too_long_expires_and_is_reported(tmp_path, receiver):
    store, config = make_store(tmp_path, hook(receiver) + "[alerts.intraday]\nmax_age_hours = 1\n")
    history(store, config)
    icbc_spike(store, config)
    receiver.fail_next = 100
    alert_now(store, config, NOW)
    later = alert_now(store, config, NOW + timedelta(hours=2))
    assert later is not None and len(later.expired) == 1
    [row] = push_rows.health(store, NOW - timedelta(days=1))
    assert row.expired == 1 and row.pending == 0


def test_an_escalation_arrives_and_growth_at_the_same_level_does_not(tmp_path, receiver):
    store, config = make_store(tmp_path, hook(receiver))
    history(store, config)
    ccb_leak(store, config)  # one report of a leak: 二级 by its category
    first = alert_now(store, config, NOW)
    [(incident, change)] = first.incidents
    assert (incident.level, change) == (2, "new")
    # the story spreads: twelve reprints an hour later make it 一级 by volume and heat
    ccb_leak(store, config, copies=12, at=NOW + timedelta(minutes=30), prefix="wave")
    second = alert_now(store, config, NOW + timedelta(hours=1))
    [(escalated, change)] = second.incidents
    assert change == "escalated" and escalated.incident_id == incident.incident_id and escalated.level == 1
    assert [(p.reason, p.level) for p in second.sent] == [("escalation", 1)]
    # more reprints at 一级: not pushed again
    ccb_leak(store, config, copies=6, at=NOW + timedelta(hours=1, minutes=5), prefix="more")
    third = alert_now(store, config, NOW + timedelta(hours=1, minutes=10))
    assert third.sent == [] and [c for _, c in third.incidents] == ["seen"]
    new, up = bodies(receiver, "/hook")
    assert new["title"].startswith("【舆情预警】二级（橙色）")
    assert up["title"].startswith("【舆情预警·升级】二级（橙色） → 一级（红色）")
    assert f"预警编号：{incident.incident_id}" in up["message"]


def test_quiet_hours_hold_a_level_2_alert_but_not_a_level_1(tmp_path, receiver):
    store, config = make_store(tmp_path, hook(receiver, extra='quiet_hours = "11:00-13:00"'))
    history(store, config)
    icbc_spike(store, config)  # 一级
    ccb_leak(store, config)  # 二级
    during = alert_now(store, config, NOW)  # 12:00, inside the quiet hours
    assert [p.level for p in during.sent] == [1] and [p.level for p in during.held] == [2]
    assert [b["title"][:12] for b in bodies(receiver, "/hook")] == ["【舆情预警】一级（红色）"]
    [row] = push_rows.health(store, NOW - timedelta(days=1))
    assert row.held == 1
    # when the quiet hours end, the held alert goes out (it is still open), beside the reminder the
    # unacknowledged 一级 alert is owed by now
    after = alert_now(store, config, NOW + timedelta(hours=1, minutes=5))
    assert sorted((p.level, p.reason) for p in after.sent) == [(1, "reminder"), (2, "new")]
    assert bodies(receiver, "/hook")[1]["title"].startswith("【舆情预警】二级（橙色）")


def test_an_unacknowledged_level_1_alert_is_pushed_again_and_an_ack_stops_it(tmp_path, receiver):
    store, config = make_store(tmp_path, hook(receiver) + "[alerts.intraday]\nremind_after_minutes = 30\n")
    history(store, config)
    icbc_spike(store, config)
    ccb_leak(store, config, copies=14, at=NOW - timedelta(hours=2), prefix="leak")  # a second 一级
    first = alert_now(store, config, NOW)
    assert sorted(p.level for p in first.sent) == [1, 1]
    icbc, ccb = sorted((i for i, _ in first.incidents), key=lambda i: i.bank_id != "icbc")
    assert alert_now(store, config, NOW + timedelta(minutes=20)).sent == []  # not yet
    # someone takes the 工商银行 alert, from the command line
    runner = CliRunner()
    result = runner.invoke(cli, ["--config", str(config.path), "alerts", "ack", f"#{icbc.incident_id}",
                                 "--by", "张三", "--note", "已联系网点"])
    assert result.exit_code == 0, result.output
    assert f"alert {icbc.incident_id}" in result.output and "处理中" in result.output and "张三" in result.output
    later = alert_now(store, config, NOW + timedelta(minutes=31))
    assert [(p.incident_id, p.reason) for p in later.sent] == [(ccb.incident_id, "reminder")]
    reminder = bodies(receiver, "/hook")[-1]
    assert reminder["title"].startswith("【舆情预警·再次提醒】一级（红色）") and "无人确认" in reminder["message"]
    stored = incident_rows.get(store, icbc.incident_id)
    assert stored is not None and stored.state == "acked" and stored.acked_by == "张三"
    assert stored.ack_note == "已联系网点" and stored.time_to_ack is not None


def test_ack_and_resolve_from_the_command_line(tmp_path, receiver):
    store, config = make_store(tmp_path, hook(receiver))
    history(store, config)
    ccb_leak(store, config)
    [(incident, _)] = alert_now(store, config, NOW).incidents
    runner = CliRunner()
    args = ["--config", str(config.path), "alerts"]
    done = runner.invoke(cli, [*args, "resolve", str(incident.incident_id), "--by", "李四", "--json"])
    assert done.exit_code == 0, done.output
    out = json.loads(done.stdout)
    assert out["state"] == "resolved" and out["resolved_by"] == "李四" and out["time_to_ack_s"] is not None
    missing = runner.invoke(cli, [*args, "ack", "999", "--by", "王五"])
    assert missing.exit_code == 5 and "no alert with id 999" in missing.output
    bad = runner.invoke(cli, [*args, "ack", "abc", "--by", "王五"])
    assert bad.exit_code == 2
    nobody = runner.invoke(cli, [*args, "ack", str(incident.incident_id)])
    assert nobody.exit_code == 2 and "--by" in nobody.output
    # `alerts` still lists the day's alerts with their options, now with ids and 处置状态
    listed = runner.invoke(cli, [*args, "--date", "2026-11-27", "--json"])
    assert listed.exit_code == 0, listed.output
    [alert] = json.loads(listed.stdout)["alerts"]
    assert alert["id"] == incident.incident_id and alert["state"] == "resolved" and alert["disposition"] == "已处置"
    text = runner.invoke(cli, [*args, "--date", "2026-11-27"]).output
    assert f"#{incident.incident_id} 已处置" in text


# --- secrets --------------------------------------------------------------------------------------


def test_a_secret_never_appears_in_logs_or_json(tmp_path, receiver, secrets_env, monkeypatch, caplog):
    reroute(monkeypatch, receiver.port)
    store, config = make_store(tmp_path, f"""
[[push]]
name = "wecom"
url = "wecombot://${{WECOM_KEY}}"
[[push]]
name = "dingtalk"
url = "dingtalk://${{DING_SECRET}}@${{DING_TOKEN}}"
[[push]]
name = "literal"
url = "json://127.0.0.1:{receiver.port}/in/literalsecret0123456789?+X-Api-Token=hdr-secret-42"
""")
    history(store, config)
    icbc_spike(store, config)
    receiver.fail_next = 1  # one failure: its error is stored and logged
    caplog.set_level(logging.DEBUG)
    for name in ("", "apprise", "urllib3", "reportgen"):  # put back afterwards: --debug below sets the root's
        monkeypatch.setattr(logging.getLogger(name), "level", logging.DEBUG)
    first = alert_now(store, config, NOW)
    alert_now(store, config, NOW + timedelta(minutes=5))
    runner = CliRunner()
    outputs = [runner.invoke(cli, ["--config", str(config.path), *args]).output
               for args in (["config", "check", "--json"], ["push", "--json"], ["push", "--test", "--json"],
                            ["--debug", "push", "--test", "wecom"])]
    checked = json.loads(outputs[0])
    assert [c["url"] for c in checked["push"]] == [
        "wecombot://${WECOM_KEY}", "dingtalk://${DING_SECRET}@${DING_TOKEN}",
        f"json://127.0.0.1:{receiver.port}/in/***?+X-Api-Token=***"]
    stored = [p.last_error or "" for p in push_rows.for_incidents(store, [i.incident_id for i, _ in first.incidents])]
    everything = caplog.text + "".join(outputs) + "".join(stored)
    assert "Sent WeCom Bot notification" in caplog.text  # apprise's own records were seen
    for secret in (WECOM_KEY, DING_SECRET, DING_TOKEN, "literalsecret0123456789", "hdr-secret-42"):
        assert secret not in everything
    assert receiver.accepted  # and the messages did go out


def test_a_missing_environment_variable_is_a_failed_push_and_a_config_warning(tmp_path, receiver, monkeypatch):
    monkeypatch.delenv("NOT_SET_KEY", raising=False)
    store, config = make_store(tmp_path, '\n[[push]]\nname = "wecom"\nurl = "wecombot://${NOT_SET_KEY}"\n')
    history(store, config)
    icbc_spike(store, config)
    out = alert_now(store, config, NOW)
    assert out is not None and "$NOT_SET_KEY is not set" in (out.failed[0].last_error or "")
    checked = CliRunner().invoke(cli, ["--config", str(config.path), "config", "check", "--json"])
    assert "$NOT_SET_KEY is not set: push channel 'wecom' cannot send" in json.loads(checked.stdout)["warnings"]


# --- push --test ----------------------------------------------------------------------------------


def test_push_test_reports_each_channel(tmp_path, receiver):
    store, config = make_store(tmp_path, hook(receiver) + hook(receiver, "second"))
    results = check_channels(config)
    assert [(r.channel, r.ok) for r in results] == [("hook", True), ("second", True)]
    assert bodies(receiver, "/hook")[0]["title"].startswith("【舆情预警·测试】")
    runner = CliRunner()
    one = runner.invoke(cli, ["--config", str(config.path), "push", "--test", "second"])
    assert one.exit_code == 0 and f"second (json://127.0.0.1:{receiver.port}/second): sent" in one.output
    receiver.fail_next = 1
    failed = runner.invoke(cli, ["--config", str(config.path), "push", "--test", "--json"])
    assert failed.exit_code == 8
    out = json.loads(failed.stdout)
    assert out["ok"] is False and [c["ok"] for c in out["channels"]] == [False, True]
    unknown = runner.invoke(cli, ["--config", str(config.path), "push", "--test", "nope"])
    assert unknown.exit_code == 5 and "no push channel named 'nope'" in unknown.output


# --- the briefing, the 快报 ---------------------------------------------------------------------------


def test_the_daily_briefing_shows_each_alerts_disposition_and_the_push_health(tmp_path, receiver):
    closed = free_port()  # nothing listens there: its pushes fail and wait for a retry
    store, config = make_store(tmp_path, hook(receiver) + f"""
[[push]]
name = "broken"
url = "json://127.0.0.1:{closed}/down"
min_level = 1
""")
    history(store, config)
    icbc_spike(store, config)
    ccb_leak(store, config)
    changes = alert_now(store, config, NOW)
    assert changes is not None and [p.channel for p in changes.failed] == ["broken"]
    icbc = next(i for i, _ in changes.incidents if i.bank_id == "icbc")
    ccb = next(i for i, _ in changes.incidents if i.bank_id == "ccb")
    acknowledge(config, ccb.incident_id, "张三", now=NOW + timedelta(minutes=12))
    built = build_report(config, Period.daily(NOW.date()), now=NOW + timedelta(minutes=20), formats=("html",),
                         store=store)
    html = built.paths["html"].read_text(encoding="utf-8")
    table = html.split('class="data followup"')[1].split("</table>")[0]
    assert "预警处置情况" in html and "确认用时" in html and "首次推送" in html
    assert table.count(f"<td>{icbc.incident_id}</td>") == 1  # one row per alert, whatever triggered it
    ccb_row = table.split(f"<td>{ccb.incident_id}</td>")[1].split("</tr>")[0]
    assert "处理中 · 张三" in ccb_row and "12 分钟" in ccb_row and "2026-11-27 12:00" in ccb_row
    icbc_row = table.split(f"<td>{icbc.incident_id}</td>")[1].split("</tr>")[0]
    assert "未处理" in icbc_row and "2026-11-27 12:00" in icbc_row  # raised and first pushed (to hook) at 12:00
    # the channel whose push waits for a retry is in the source status, with its error
    sources = html.split('id="sources"')[1].split("</section>")[0]
    health = sources.split('class="data push-health"')[1].split("</table>")[0]
    assert "<td>broken</td>" in health and "Connection error" in health


def test_attach_pdf_sends_a_one_page_flash_report(tmp_path, receiver):
    store, config = make_store(tmp_path, hook(receiver, extra='attach = "pdf"'))
    history(store, config)
    ccb_leak(store, config)
    out = alert_now(store, config, NOW)
    assert out is not None and len(out.sent) == 1
    [payload] = bodies(receiver, "/hook")
    [attachment] = payload["attachments"]
    assert attachment["mimetype"] == "application/pdf"
    pdf = tmp_path / "flash.pdf"
    pdf.write_bytes(base64.b64decode(attachment["base64"]))
    reader = PdfReader(str(pdf))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    for expected in ("舆情快报", "二级（橙色）", "中国建设银行", "预警编号", "信息科技部"):
        assert expected in text


def make_config_text(extra: str) -> str:
    return BASE + extra


def test_the_push_receiver_records_posts(receiver):
    request = urllib.request.Request(f"http://127.0.0.1:{receiver.port}/x?a=1", data=b'{"k": 1}', method="POST")
    with urllib.request.urlopen(request, timeout=5) as response:
        assert response.status == 200
    receiver.fail_next = 1
    with pytest.raises(urllib.error.HTTPError):
        urllib.request.urlopen(request, timeout=5)
    [got] = receiver.accepted
    assert (got.path, got.query, got.json()) == ("/x", {"a": ["1"]}, {"k": 1})
    assert [r.status for r in receiver.received] == [200, 500]


# --- every fetch ----------------------------------------------------------------------------------


def rss(items: list[tuple[str, str, str, datetime]]) -> bytes:
    entries = "".join(
        f"<item><title>{title}</title><link>https://news.example/{guid}</link><guid>{guid}</guid>"
        f"<pubDate>{format_datetime(at)}</pubDate><description>{body}</description></item>"
        for guid, title, body, at in items)
    return (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>新浪财经</title>'
            f"<link>https://news.example/</link><description>t</description>{entries}</channel></rss>").encode()


def spike_feed(now: datetime) -> bytes:
    quiet = [(f"q{d}", f"工商银行第{d}期服务投诉通报", "网点排队时间过长，客户投诉服务态度差。",
              now - timedelta(days=d, hours=2)) for d in range(1, 15)]
    spike = [(f"s{k}", f"工商银行{k}号网点储户资金不翼而飞{k}万元",
              f"第{k}位储户称卡内{k}万元资金被盗刷，网点拒绝赔偿，多名客户维权。",
              now - timedelta(hours=3, minutes=-k)) for k in range(14)]
    return rss(quiet + spike)


def fetch_config(tmp_path: Path, feed_url: str, receiver: PushReceiver) -> Path:
    path = tmp_path / "sources.toml"
    path.write_text(BASE.replace("http://127.0.0.1:9/a.xml", feed_url) + hook(receiver), encoding="utf-8")
    return path


def test_every_fetch_raises_and_pushes_the_rolling_windows_alerts(tmp_path, receiver):
    with FeedServer({"/feed.xml": Route(spike_feed(NOW))}) as server:
        config = load_config(fetch_config(tmp_path, server.url("/feed.xml"), receiver))
        summary = fetch(config, now=NOW)
        assert summary.items_new == 28 and summary.alerting is not None
        [(incident, change)] = summary.alerting.incidents
        assert (incident.bank_id, incident.level, change) == ("icbc", 1, "new")
        assert [p.channel for p in summary.alerting.sent] == ["hook"]
        # the next fetch ten minutes later: the feed is unchanged (304), the alert is not pushed again
        again = fetch(config, now=NOW + timedelta(minutes=10))
        assert again.alerting is not None and again.alerting.sent == [] and len(receiver.accepted) == 1


def test_the_fetch_command_prints_and_reports_the_pushes(tmp_path, receiver):
    now = datetime.now(UTC)
    with FeedServer({"/feed.xml": Route(spike_feed(now))}) as server:
        path = fetch_config(tmp_path, server.url("/feed.xml"), receiver)
        runner = CliRunner()
        text = runner.invoke(cli, ["--config", str(path), "fetch"])
        assert text.exit_code == 0, text.output
        assert "alerts: 1 active (1 new, 0 escalated) · pushes: 1 sent, 0 failed, 0 held, 0 expired" in text.output
        out = json.loads(runner.invoke(cli, ["--config", str(path), "fetch", "--json"]).stdout)
    [alert] = out["alerts"]["alerts"]
    assert alert["change"] == "seen" and alert["level"] == 1 and out["alerts"]["sent"] == []
    assert len(receiver.accepted) == 1


def test_a_fetch_whose_push_failed_exits_8_naming_the_channel_until_it_gets_through(tmp_path, receiver):
    """cron mails the operator only on a non-zero exit: a duty desk that did not hear of an alert must
    not look like a clean fetch."""
    now = datetime.now(UTC)
    with FeedServer({"/feed.xml": Route(spike_feed(now))}) as server:
        path = fetch_config(tmp_path, server.url("/feed.xml"), receiver)
        retry_at_once = "[alerts.intraday]\nretry_minutes = 0.001\n"
        path.write_text(path.read_text(encoding="utf-8") + retry_at_once, encoding="utf-8")
        receiver.fail_next = 1
        runner = CliRunner()
        failed = runner.invoke(cli, ["--config", str(path), "fetch"])
        assert failed.exit_code == 8, failed.output
        assert "pushes: 0 sent, 1 failed" in failed.stdout
        assert "error: push to hook for alert 1 failed; retried by the next fetch:" in failed.stderr
        assert "500" in failed.stderr
        receiver.fail_next = 1  # with --log-json the line is one JSON object, as every stderr line is
        time.sleep(0.1)  # the retry is due 0.06 s after the failure
        logged = runner.invoke(cli, ["--log-json", "--config", str(path), "fetch"])
        assert logged.exit_code == 8, logged.output
        lines = [json.loads(line) for line in logged.stderr.splitlines()]
        [note] = [line for line in lines if line.get("channel") == "hook"]
        assert note["alert_id"] == 1 and note["exit_code"] == 8 and note["push_state"] == "pending"
        assert note["message"].startswith("push to hook for alert 1 failed")
        time.sleep(0.3)  # the next retry is due 0.12 s after the second failure
        retried = runner.invoke(cli, ["--config", str(path), "fetch", "--json"])
        assert retried.exit_code == 0, retried.output
        out = json.loads(retried.stdout)
    assert out["alerts"]["pushes_ok"] is True and [p["channel"] for p in out["alerts"]["sent"]] == ["hook"]
    assert len(receiver.accepted) == 1


@pytest.mark.parametrize("args", [["alerts"], ["alerts", "ack"], ["alerts", "resolve"], ["push"]])
def test_help(args):
    result = CliRunner().invoke(cli, [*args, "--help"])
    assert result.exit_code == 0 and "Usage:" in result.output


def test_the_daily_run_pushes_too(tmp_path, receiver):
    with FeedServer({"/feed.xml": Route(spike_feed(NOW))}) as server:
        config = load_config(fetch_config(tmp_path, server.url("/feed.xml"), receiver))
        result = run(config, "daily", now=NOW, send=False)
    assert result.fetch.alerting is not None and [p.channel for p in result.fetch.alerting.sent] == ["hook"]
    out = result.as_dict()["alerts"]
    assert out["alerts"][0]["level"] == 1 and out["alerts"][0]["change"] == "new"
    assert len(receiver.accepted) == 1 and receiver.accepted[0].json()["title"].startswith("【舆情预警】一级（红色）")
