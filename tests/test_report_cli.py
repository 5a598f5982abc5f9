"""The [report] section and `reportgen report daily|weekly` over a real store."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_figures import make

from reportgen.cli.app import cli
from reportgen.config.core import load_config
from reportgen.config.report import ReportSettings
from reportgen.errors import ConfigError

BANKS = '[[banks]]\nid = "icbc"\nname = "中国工商银行"\nrole = "self"\n'


def load(tmp_path: Path, text: str):
    path = tmp_path / "sources.toml"
    path.write_text(text + BANKS, encoding="utf-8")
    return load_config(path)


def test_report_section_defaults(tmp_path: Path) -> None:
    assert load(tmp_path, "").report == ReportSettings()
    cfg = load(tmp_path, '[report]\nday_start_hour = 8\ntrend_days = 30\nauthor = "舆情监测岗"\n')
    assert (cfg.report.day_start_hour, cfg.report.trend_days, cfg.report.author) == (8, 30, "舆情监测岗")


def test_report_section_problems(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as exc:
        load(tmp_path, '[report]\nday_start_hour = 24\ntrend_dayz = 3\nhot_events = "10"\n')
    text = "\n".join(exc.value.problems)
    assert "report.day_start_hour: expected an integer from 0 to 23, found 24" in text
    assert "report.trend_dayz: expected one of the known keys" in text and "did you mean 'trend_days'?" in text
    assert "report.hot_events: expected an integer" in text
    assert "sources.toml:2:" in text  # the line of day_start_hour


def test_report_daily_and_weekly_commands(tmp_path: Path) -> None:
    store, config = make(tmp_path)
    store.close()
    out = tmp_path / "out"
    runner = CliRunner()
    daily = runner.invoke(cli, ["--config", str(config.path), "report", "daily", "--date", "2026-11-27",
                                "--format", "html", "--out", str(out)])
    assert daily.exit_code == 0, daily.output
    assert daily.stdout.strip() == str(out / "daily-2026-11-27.html")
    html = (out / "daily-2026-11-27.html").read_text(encoding="utf-8")
    assert "银行舆情日报" in html and "标题 d2" in html

    weekly = runner.invoke(cli, ["--config", str(config.path), "report", "weekly", "--date", "2026-W48",
                                 "--lang", "en", "--format", "html", "--out", str(out)])
    assert weekly.exit_code == 0, weekly.output
    page = (out / "weekly-2026-W48-en.html").read_text(encoding="utf-8")
    assert "Bank Media Monitoring Weekly" in page and "Week 48 of 2026" in page
    same_week = runner.invoke(cli, ["--config", str(config.path), "report", "weekly", "--date",
                                    date(2026, 11, 25).isoformat(), "--lang", "en", "--format", "html",
                                    "--out", str(tmp_path / "again")])
    assert same_week.exit_code == 0, same_week.output
    # the same period over the same database: byte-identical HTML
    assert (tmp_path / "again" / "weekly-2026-W48-en.html").read_bytes() == page.encode("utf-8")


def test_report_weekly_bad_week_exits_5(tmp_path: Path) -> None:
    store, config = make(tmp_path)
    result = CliRunner().invoke(cli, ["--config", str(config.path), "report", "weekly", "--date", "2026-W60"])
    assert result.exit_code == 5
    result = CliRunner().invoke(cli, ["--config", str(config.path), "report", "daily", "--date", "2026-W48"])
    assert result.exit_code == 5


def test_a_future_date_is_a_clear_data_error(tmp_path: Path) -> None:
    """A --date after today (in the config zone) cannot have coverage: exit 5 with a message that says
    so, instead of an empty report that reads like a quiet day.  Today itself is allowed."""
    from datetime import UTC, datetime, timedelta
    from zoneinfo import ZoneInfo

    store, config = make(tmp_path)
    store.close()
    today = datetime.now(UTC).astimezone(ZoneInfo("Asia/Shanghai")).date()
    tomorrow, next_year = (today + timedelta(days=1)).isoformat(), f"{today.year + 1}-W02"
    runner = CliRunner()
    for args in (["report", "daily", "--date", tomorrow], ["report", "weekly", "--date", next_year],
                 ["run", "daily", "--date", tomorrow, "--no-send"], ["events", "--date", tomorrow],
                 ["alerts", "--date", tomorrow]):
        result = runner.invoke(cli, ["--config", str(config.path), *args, *(["--out", str(tmp_path / "o")]
                                                                               if args[0] == "report" else [])])
        assert result.exit_code == 5, (args, result.output)
        assert "is in the future" in result.output and "today is" in result.output, (args, result.output)
        assert not (tmp_path / "o").exists()
    today_report = runner.invoke(cli, ["--config", str(config.path), "report", "daily", "--date", today.isoformat(),
                                       "--format", "html", "--out", str(tmp_path / "today")])
    assert today_report.exit_code == 0, today_report.output
    # a future day of a weekly report is refused too (its week may have begun), naming the day typed
    for later in (today + timedelta(days=1), today + timedelta(days=13)):
        weekly = runner.invoke(cli, ["--config", str(config.path), "report", "weekly", "--date", later.isoformat(),
                                     "--out", str(tmp_path / "o")])
        assert weekly.exit_code == 5, weekly.output
        assert f"--date: {later.isoformat()} is in the future" in weekly.stderr
