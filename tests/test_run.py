"""`reportgen run` end to end over real parts: a local feed server, SQLite, WeasyPrint, and a real
SMTP server (aiosmtpd) on 127.0.0.1 that receives the mail, which is parsed back and checked.

The outbox is checked the way an operator would meet it: the relay down, then back; a relay that
refuses, then accepts; a second run for the same day; --force; --no-send; a mail over the limit.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner
from mailserver import PASSWORD, PASSWORD_ENV, MailServer, free_port, make_ca, sample_feed, write_config

from reportgen.cli.app import cli
from reportgen.config.core import load_config
from reportgen.demo.feedserver import FeedServer, Route, Status
from reportgen.flow.runner import send_pending
from reportgen.periods import Period

SHANGHAI = ZoneInfo("Asia/Shanghai")
YESTERDAY = (datetime.now(UTC).astimezone(SHANGHAI) - timedelta(days=1)).date()


@pytest.fixture
def feeds():
    with FeedServer({"/good": Route(sample_feed(YESTERDAY)), "/gone": Status(404)}) as srv:
        yield srv


@pytest.fixture
def password(monkeypatch):
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    return PASSWORD


def invoke(config: Path, *args: str):
    return CliRunner().invoke(cli, ["--config", str(config), *args])


def test_run_mails_the_briefing_once_and_force_resends(tmp_path, feeds, password):
    ca = make_ca(tmp_path / "ca")
    with MailServer(security="starttls", ca=ca, login=("robot", PASSWORD)) as smtp:
        config = write_config(tmp_path, feeds_base=feeds.base_url, smtp_port=smtp.port, security="starttls",
                              ca_file=ca.ca_file, login=True)
        result = invoke(config, "-v", "--log-json", "run", "daily", "--json")
        assert result.exit_code == 0, result.output
        summary = json.loads(result.stdout)
        assert summary["report"]["state"] == "new" and summary["mail_ok"] is True
        assert summary["delivery"]["state"] == "sent"
        assert len(smtp.messages) == 1
        assert smtp.logins == [("robot", True)]
        # every log line is one JSON object; the run summary is one of them; no secret anywhere
        records = [json.loads(line) for line in result.stderr.splitlines()]
        assert any("summary" in r and r["summary"]["period"] == YESTERDAY.isoformat() for r in records)
        assert PASSWORD not in result.output

        received = smtp.messages[0]
        msg = received.message
        key = YESTERDAY.isoformat()
        negative, level = _negative(tmp_path)
        assert str(msg["Subject"]) == f"【舆情日报】{key} 负面 {negative} 条 预警 {level}"
        assert str(msg["To"]) == "行领导 <boss@bank.example>" and str(msg["Cc"]) == "pr@bank.example"
        assert msg["Bcc"] is None and b"archive@bank.example" not in received.raw
        assert sorted(received.rcpt_tos) == ["archive@bank.example", "boss@bank.example", "pr@bank.example"]
        assert received.mail_from == "reportgen@bank.example"
        assert str(msg["Message-ID"]) == summary["delivery"]["message_id"]
        assert parsedate_to_datetime(str(msg["Date"])).utcoffset() == timedelta(hours=8)
        assert str(msg["List-Id"]).endswith("<daily.briefing.bank.example>")
        assert str(msg["Auto-Submitted"]) == "auto-generated"

        text = msg.get_body(("plain",)).get_content()
        html = msg.get_body(("html",)).get_content()
        assert "银行舆情日报" in text and "中国工商银行某支行因违规放贷被罚款50万元" in text
        assert "数据来源：正常 1，未更新 0，失败 0，未抓取 0" in text  # this run's fetch is in the report
        assert "中国工商银行某支行因违规放贷被罚款50万元" in html
        assert "<style" not in html and 'style="' in html  # CSS inlined for mail clients
        attachments = list(msg.iter_attachments())
        assert len(attachments) == 1
        pdf = attachments[0]
        assert pdf.get_content_type() == "application/pdf"
        assert pdf.get_filename() == f"银行舆情日报-{key}.pdf"
        assert b"filename*" in received.raw and "银行".encode() not in received.raw  # RFC 2231, not raw UTF-8
        assert pdf.get_content() == Path(summary["report"]["pdf"]).read_bytes()

        again = invoke(config, "run", "daily", "--json")
        assert again.exit_code == 0, again.output
        assert json.loads(again.stdout)["report"]["state"] == "existing"
        assert len(smtp.messages) == 1  # idempotent: no second mail

        forced = invoke(config, "run", "daily", "--force")
        assert forced.exit_code == 0, forced.output
        assert len(smtp.messages) == 2
        assert smtp.messages[1].message["Message-ID"] != msg["Message-ID"]


def _negative(folder: Path) -> tuple[int, str]:
    """Negative items about the self bank in yesterday's report, as aggregate counts them, and the
    self bank's most severe stored alert level with its colour (无 when none; 1 = 一级 is the most severe)."""
    from reportgen.insight.aggregate import report_data
    from reportgen.store.db import Store

    config = load_config(folder / "sources.toml")
    data = report_data(Store.open(config.settings.database), config, Period.daily(YESTERDAY), now=datetime.now(UTC))
    levels = [a.level for a in data.alerts if a.bank_id in {b.bank_id for b in data.bank_totals if b.role == "self"}]
    return sum(b.negative for b in data.bank_totals if b.role == "self"), \
        {0: "无", 1: "一级（红色）", 2: "二级（橙色）", 3: "三级（黄色）"}[min(levels, default=0)]


def test_smtp_down_then_up_delivers_exactly_once(tmp_path, feeds):
    port = free_port()  # nothing listens here yet: connection refused
    config = write_config(tmp_path, feeds_base=feeds.base_url, smtp_port=port)
    down = invoke(config, "run", "daily", "--json")
    assert down.exit_code == 8, down.output
    summary = json.loads(down.stdout)
    assert summary["delivery"]["state"] == "pending" and summary["delivery"]["attempts"] == 1
    assert "refused" in summary["delivery"]["last_error"].lower()
    assert Path(summary["report"]["pdf"]).exists()  # the report is made; only the mail waits

    with MailServer(port=port) as smtp:
        sent = invoke(config, "send")
        assert sent.exit_code == 0, sent.output
        assert "sent 1, pending 0" in sent.stdout
        assert len(smtp.messages) == 1
        assert invoke(config, "send").exit_code == 0
        rerun = invoke(config, "run", "daily")
        assert rerun.exit_code == 0, rerun.output
        assert len(smtp.messages) == 1  # exactly once


def test_rejecting_relay_keeps_the_report_queued(tmp_path, feeds):
    with MailServer() as smtp:
        smtp.reject = "554 5.7.1 message refused by policy"
        config = write_config(tmp_path, feeds_base=feeds.base_url, smtp_port=smtp.port)
        refused = invoke(config, "run", "daily")
        assert refused.exit_code == 8, refused.output
        assert "554" in refused.stdout and "pending 1" in refused.stdout
        assert smtp.messages == []
        smtp.reject = None
        sent = invoke(config, "send", "--json")
        assert sent.exit_code == 0, sent.output
        result = json.loads(sent.stdout)
        assert [d["attempts"] for d in result["sent"]] == [2]
        assert len(smtp.messages) == 1


def test_old_undelivered_mail_expires_and_is_reported(tmp_path, feeds):
    config_path = write_config(tmp_path, feeds_base=feeds.base_url, smtp_port=free_port())
    assert invoke(config_path, "run", "daily").exit_code == 8
    config = load_config(config_path)
    result = send_pending(config, now=datetime.now(UTC) + timedelta(days=2))
    assert [d.state for d in result.expired] == ["expired"] and not result.ok
    assert result.undelivered == []
    assert invoke(config_path, "send").exit_code == 0  # reported once; nothing left to deliver
    # a re-run for that day does not pass the never-delivered report off as done
    rerun = invoke(config_path, "run", "daily")
    assert rerun.exit_code == 8, rerun.output
    assert "report existing" in rerun.stdout and "NOT DELIVERED" in rerun.stdout
    assert "expired undelivered" in rerun.stdout and "--force" in rerun.stdout
    assert "--force` makes and mails it again" in rerun.stderr


def test_partial_source_failure_exits_7_after_mailing(tmp_path, feeds):
    # one of two online sources fails: enough answered for a gate set at half (tests/test_briefing_truth.py
    # has the runs that fail the gate: 6 when every source fails, 10 when too few answer)
    extra = ('[report]\nmin_sources_answered = 0.5\n'
             f'[[sources]]\nid = "gone"\nname = "已下线"\nurl = "{feeds.base_url}/gone"\nchannel = "online"\n')
    with MailServer() as smtp:
        config = write_config(tmp_path, feeds_base=feeds.base_url, smtp_port=smtp.port, extra=extra)
        result = invoke(config, "run", "daily")
        assert result.exit_code == 7, result.output
        assert "1 ok" in result.stdout and "1 failed" in result.stdout and "sent 1" in result.stdout
        assert len(smtp.messages) == 1


def test_no_send_then_backfill_mails_it(tmp_path, feeds):
    day = YESTERDAY - timedelta(days=3)  # a past day: the feed has nothing then
    with MailServer() as smtp:
        # a small bank's deployment that accepts silent days (the gate's freshness check off)
        config = write_config(tmp_path, feeds_base=feeds.base_url, smtp_port=smtp.port,
                              extra="[report]\nrequire_fresh_items = false")
        held = invoke(config, "run", "daily", "--date", day.isoformat(), "--no-send", "--json")
        assert held.exit_code == 0, held.output
        summary = json.loads(held.stdout)
        assert summary["delivery"]["state"] == "held" and summary["mail"] is None
        assert Path(summary["report"]["html"]).name == f"daily-{day}.html"
        assert smtp.messages == []
        sent = invoke(config, "run", "daily", "--date", day.isoformat())
        assert sent.exit_code == 0, sent.output
        assert len(smtp.messages) == 1
        assert day.isoformat() in str(smtp.messages[0].message["Subject"])
        assert "本期未监测到相关舆情" in smtp.messages[0].message.get_body(("plain",)).get_content()


def test_a_backfilled_day_nothing_was_published_in_gets_no_all_clear(tmp_path, feeds):
    """The feed holds only yesterday's items: a day three days back was never watched, so its report
    must not say nothing happened (the default: `require_fresh_items = true`)."""
    day = YESTERDAY - timedelta(days=3)
    with MailServer() as smtp:
        config = write_config(tmp_path, feeds_base=feeds.base_url, smtp_port=smtp.port)
        result = invoke(config, "run", "daily", "--date", day.isoformat(), "--json")
        assert result.exit_code == 10, result.output
        summary = json.loads(result.stdout)
        assert summary["data_complete"] is False and summary["completeness"]["stale"] is True
        assert summary["completeness"]["delivered"] == 1  # the source answered, with entries, all older
        msg = smtp.messages[0].message
        assert str(msg["Subject"]).startswith("【数据采集异常】")
        text = msg.get_body(("plain",)).get_content()
        assert "本期各数据来源均无新发布信息" in text
        assert "本期未监测到相关舆情" not in text and "本期未监测到重大负面舆情" not in text
        html = Path(summary["report"]["html"]).read_text(encoding="utf-8")
        assert "数据采集异常" in html and "本期未监测到重大负面舆情" not in html


def test_sources_answering_with_empty_feeds_are_not_watching(tmp_path):
    """A broken RSSHub route answers 200 with a valid, empty feed: every source doing so is a dark
    report, not a quiet one."""
    empty = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>RSSHub</title><link>https://rsshub.example/</link></channel></rss>"""
    with FeedServer({"/good": Route(empty)}) as srv, MailServer() as smtp:
        config = write_config(tmp_path, feeds_base=srv.base_url, smtp_port=smtp.port)
        result = invoke(config, "run", "daily", "--json")
        assert result.exit_code == 10, result.output
        summary = json.loads(result.stdout)
        gate = summary["completeness"]
        assert (gate["answered"], gate["empty"], gate["delivered"], gate["share"]) == (1, 1, 0, 0.0)
        assert gate["missing"][0]["status"] == "ok" and gate["dark_channels"]
        text = smtp.messages[0].message.get_body(("plain",)).get_content()
        assert str(smtp.messages[0].message["Subject"]).startswith("【数据采集异常】")
        assert "1 个来源返回空内容" in text
        assert "本期未监测到相关舆情" not in text and "本期未监测到重大负面舆情" not in text
        assert "0 of 1 sources delivered entries (1 answered with an empty feed)" in result.stderr
        # the route stays broken: the next fetch must not turn into a 304 that reads as "unchanged, with entries"
        assert invoke(config, "fetch").exit_code == 0
        again = invoke(config, "run", "daily", "--force", "--no-send", "--json")
        assert again.exit_code == 10, again.output
        gate = json.loads(again.stdout)["completeness"]
        assert (gate["empty"], gate["delivered"]) == (1, 0), gate
        assert [r.path for r in srv.requests].count("/good") == 3


def test_weekly_run_covers_the_iso_week(tmp_path):
    day = YESTERDAY - timedelta(days=7)  # a day of last week: the current week has not ended
    with FeedServer({"/good": Route(sample_feed(day))}) as feeds:
        config = write_config(tmp_path, feeds_base=feeds.base_url, smtp_port=None)
        result = invoke(config, "run", "weekly", "--date", day.isoformat(), "--json")
    assert result.exit_code == 0, result.output  # mail not configured: written, held, not an error
    summary = json.loads(result.stdout)
    week = Period.week_of(day)
    assert summary["period"] == week.key and summary["delivery"]["state"] == "held"
    html = Path(summary["report"]["html"])
    assert html.name == f"weekly-{week.key}.html" and Path(summary["report"]["pdf"]).name == f"weekly-{week.key}.pdf"
    text = html.read_text(encoding="utf-8")
    assert "银行舆情周报" in text and f"第{week.first.isocalendar()[1]}周" in text
    assert "中国工商银行某支行因违规放贷被罚款50万元" in text
    assert day.strftime("%m-%d") in text  # a weekly list shows each item's date


def test_second_run_without_mail_says_the_report_is_done(tmp_path, feeds):
    """With mail not configured the report is held; a second run for the same period does not render
    it again (same files, untouched), says it exists, and still exits 0.  --force makes it again."""
    config = write_config(tmp_path, feeds_base=feeds.base_url, smtp_port=None)
    first = json.loads(invoke(config, "run", "daily", "--json").stdout)
    assert first["report"]["state"] == "new" and first["delivery"]["state"] == "held"
    pdf = Path(first["report"]["pdf"])
    made = pdf.stat().st_mtime_ns
    again = invoke(config, "run", "daily")
    assert again.exit_code == 0, again.output
    assert f"report existing: {first['report']['html']}, {pdf}" in again.stdout
    assert "mail is not configured" in again.stdout
    assert pdf.stat().st_mtime_ns == made  # not rendered again
    forced = json.loads(invoke(config, "run", "daily", "--force", "--json").stdout)
    assert forced["report"]["state"] == "new"


def test_mail_over_the_size_limit_fails_clearly(tmp_path, feeds):
    with MailServer() as smtp:
        config = write_config(tmp_path, feeds_base=feeds.base_url, smtp_port=smtp.port,
                              email_extra="max_size_mb = 0.01")
        result = invoke(config, "run", "daily", "--json")
        assert result.exit_code == 8, result.output
        delivery = json.loads(result.stdout)["delivery"]
        assert delivery["state"] == "failed" and "max_size_mb" in delivery["last_error"]
        assert invoke(config, "send").exit_code == 8  # still undelivered, not retried
        assert smtp.messages == []
        # the hint's fix works: raise the limit, and `send` mails the stored message as composed
        assert "then `reportgen send` mails it" in delivery["last_error"]
        write_config(tmp_path, feeds_base=feeds.base_url, smtp_port=smtp.port, email_extra="max_size_mb = 10")
        sent = invoke(config, "send", "--json")
        assert sent.exit_code == 0, sent.output
        assert [d["state"] for d in json.loads(sent.stdout)["sent"]] == ["sent"]
        assert len(smtp.messages) == 1 and str(smtp.messages[0].message["Message-ID"]) == delivery["message_id"]
        rerun = invoke(config, "run", "daily")
        assert rerun.exit_code == 0, rerun.output  # later runs no longer exit 8 because of it
        assert len(smtp.messages) == 1


def test_bad_date_and_unknown_kind(tmp_path, feeds):
    config = write_config(tmp_path, feeds_base=feeds.base_url, smtp_port=None)
    assert invoke(config, "run", "daily", "--date", "2026-W47").exit_code == 5
    assert invoke(config, "run", "monthly").exit_code == 2


def test_a_refused_recipient_is_undelivered_and_retried_for_them_alone(tmp_path, feeds):
    """The relay takes the mail for cc and bcc but answers 550 for the executive in To: that is not
    "sent".  The run exits 8 and says who was refused; the entry stays pending for that address
    only, and once the relay accepts it a retry reaches the executive alone, with the same bytes."""
    with MailServer() as smtp:
        smtp.refuse_rcpt["boss@bank.example"] = "550 5.1.1 mailbox unavailable"
        config = write_config(tmp_path, feeds_base=feeds.base_url, smtp_port=smtp.port)
        result = invoke(config, "run", "daily", "--json")
        assert result.exit_code == 8, result.output
        summary = json.loads(result.stdout)
        delivery = summary["delivery"]
        assert delivery["state"] == "pending" and summary["mail_ok"] is False
        assert "boss@bank.example: 550 5.1.1 mailbox unavailable" in delivery["last_error"]
        assert "delivered to 2 of 3" in delivery["last_error"] and delivery["recipients"] == 1
        assert [d["id"] for d in summary["undelivered"]] == [delivery["id"]]
        assert [sorted(m.rcpt_tos) for m in smtp.messages] == [["archive@bank.example", "pr@bank.example"]]

        still = invoke(config, "send")  # still refused: still pending, the others not mailed again
        assert still.exit_code == 8 and "pending 1" in still.stdout and "550 5.1.1" in still.stdout
        assert len(smtp.messages) == 1

        smtp.refuse_rcpt.clear()
        sent = invoke(config, "send", "--json")
        assert sent.exit_code == 0, sent.output
        assert [d["state"] for d in json.loads(sent.stdout)["sent"]] == ["sent"]
        assert [m.rcpt_tos for m in smtp.messages[1:]] == [["boss@bank.example"]]
        assert smtp.messages[1].raw == smtp.messages[0].raw  # the same bytes, the same Message-ID
        assert str(smtp.messages[1].message["Message-ID"]) == delivery["message_id"]
        assert invoke(config, "run", "daily").exit_code == 0 and len(smtp.messages) == 2


def test_outbox_times_are_the_attempts_own(tmp_path, feeds):
    """sent_at and last_attempt_at say when the relay was talked to, never before the report was made."""
    with MailServer() as smtp:
        config = write_config(tmp_path, feeds_base=feeds.base_url, smtp_port=smtp.port)
        result = invoke(config, "run", "daily", "--json")
        assert result.exit_code == 0, result.output
        delivery = json.loads(result.stdout)["delivery"]
    created = datetime.fromisoformat(delivery["created_at"])
    assert datetime.fromisoformat(delivery["last_attempt_at"]) >= created
    assert datetime.fromisoformat(delivery["sent_at"]) == datetime.fromisoformat(delivery["last_attempt_at"])
    assert datetime.fromisoformat(delivery["sent_at"]) >= created


def test_run_refuses_a_period_that_has_not_ended(tmp_path, feeds):
    """A report of today (or of this week) made at 11:40 would be recorded and mailed as the day's, and
    tomorrow's run would find it done: `run` refuses it (exit 5, naming `report` for a preview)."""
    today = datetime.now(UTC).astimezone(SHANGHAI).date()
    with MailServer() as smtp:
        config = write_config(tmp_path, feeds_base=feeds.base_url, smtp_port=smtp.port)
        for kind, value in (("daily", today.isoformat()), ("weekly", today.isoformat()),
                            ("weekly", Period.week_of(today).key)):
            result = invoke(config, "run", kind, "--date", value)
            assert result.exit_code == 5, (kind, value, result.output)
            assert "has not ended yet" in result.stderr and f"reportgen report {kind} --date" in result.stderr
        future = invoke(config, "run", "weekly", "--date", (today + timedelta(days=8)).isoformat())
        assert future.exit_code == 5 and "is in the future" in future.stderr
        assert smtp.messages == []
        assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
