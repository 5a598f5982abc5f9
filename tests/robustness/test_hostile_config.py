"""A broken or unsafe ``sources.toml`` and a missing secret: a clear message and an exit code, never a traceback.

Each case goes through the real CLI (click's runner, in process), as cron would meet it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from mailserver import PASSWORD, PASSWORD_ENV, MailServer, sample_feed, write_config

from reportgen.cli.app import cli
from reportgen.demo.feedserver import FeedServer, Route

from .conftest import yesterday

BANK = '[[banks]]\nid = "icbc"\nname = "中国工商银行"\naliases = ["工行"]\nrole = "self"\n'
SOURCE = '[[sources]]\nid = "news"\nname = "新闻"\nurl = "https://news.example/rss"\nchannel = "online"\n'


def invoke(config: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--config", str(config), *args])


def no_traceback(result: Result) -> None:
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception


def write(folder: Path, text: str, name: str = "sources.toml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_invalid_toml_names_file_line_and_column(tmp_path: Path) -> None:
    config = write(tmp_path, BANK + SOURCE + '[settings]\ntimezone = "Asia/Shanghai\n')
    result = invoke(config, "config", "check")
    assert result.exit_code == 2
    assert f"{config}: invalid TOML" in result.output and "line 12" in result.output
    no_traceback(result)


def test_unknown_keys_are_rejected_with_a_suggestion(tmp_path: Path) -> None:
    config = write(tmp_path, BANK + SOURCE.replace("channel =", "chanel =") + "[fetch]\ntimeout = 5\n[smtp]\n")
    result = invoke(config, "config", "check", "--json")
    assert result.exit_code == 2
    report = json.loads(result.stdout)
    problems = "\n".join(report["problems"])
    assert report["ok"] is False and report["error"] == "ConfigError"
    assert "sources[0].chanel" in problems and "did you mean 'channel'" in problems
    assert "fetch.timeout" in problems and "did you mean 'timeout_s'" in problems
    assert "smtp: expected one of the known sections" in problems
    no_traceback(result)


def test_wrong_types_are_all_listed_at_once(tmp_path: Path) -> None:
    text = (BANK.replace('aliases = ["工行"]', 'aliases = "工行"')
            + SOURCE.replace('channel = "online"', 'channel = "online"\nweight = "heavy"\nenabled = "yes"')
            + '[fetch]\nconcurrency = "many"\nretries = -1\n[email]\nhost = 25\nport = "587"\nfrom = "x@bank.example"\n'
            + "[run]\nlock_timeout_s = true\n")
    result = invoke(write(tmp_path, text), "config", "check")
    assert result.exit_code == 2
    for key in ("banks[0].aliases", "sources[0].weight", "sources[0].enabled", "fetch.concurrency",
                "fetch.retries", "email.host", "email.port", "run.lock_timeout_s"):
        assert key in result.output, key
    assert "8 problems" in result.output or "9 problems" in result.output
    no_traceback(result)


def test_a_config_that_is_not_a_readable_file(tmp_path: Path) -> None:
    folder = tmp_path / "folder.toml"
    folder.mkdir()
    result = invoke(folder, "config", "check")
    assert result.exit_code == 2 and "is a directory" in result.output  # click's own path check
    no_traceback(result)

    loop = tmp_path / "loop.toml"
    loop.symlink_to(loop)  # unreadable for everyone, root included
    result = invoke(loop, "config", "check")
    assert result.exit_code == 2 and "cannot read config: Too many levels of symbolic links" in result.output
    no_traceback(result)

    binary = write(tmp_path, "", name="gbk.toml")
    binary.write_bytes(("# 配置\n" + BANK).encode("gbk"))
    result = invoke(binary, "config", "check")
    assert result.exit_code == 2 and "not valid UTF-8" in result.output and "save the file as UTF-8" in result.output

    result = invoke(tmp_path / "missing.toml", "fetch")
    assert result.exit_code == 2 and "config file not found" in result.output and "hint:" in result.output


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a chmod 000 file anyway; "
                                              "test_a_config_that_is_not_a_readable_file covers it with a symlink loop")
def test_a_config_without_read_permission(tmp_path: Path) -> None:
    config = write(tmp_path, BANK)
    config.chmod(0)
    try:
        result = invoke(config, "config", "check")
    finally:
        config.chmod(0o600)
    assert result.exit_code == 2 and "cannot read config: Permission denied" in result.output
    no_traceback(result)


def test_a_secret_written_into_the_file_is_refused(tmp_path: Path) -> None:
    text = BANK + '[rsshub]\nbase_url = "http://127.0.0.1:1200"\naccess_key = "abc"\n' \
           '[email]\nhost = "smtp.bank.example"\nfrom = "r@bank.example"\nusername = "r"\npassword = "hunter2"\n'
    result = invoke(write(tmp_path, text), "config", "check")
    assert result.exit_code == 2
    assert "rsshub.access_key" in result.output and "email.password" in result.output
    assert "hunter2" not in result.output and '"abc"' not in result.output


def test_missing_rsshub_key_variable_fetches_without_a_key_and_says_so(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("TEST_RSSHUB_KEY", raising=False)
    with FeedServer({"/cls/telegraph": Route(sample_feed(yesterday()))}) as srv:
        text = (BANK + f'[rsshub]\nbase_url = "{srv.base_url}"\naccess_key_env = "TEST_RSSHUB_KEY"\n'
                '[[sources]]\nid = "cls"\nname = "财联社"\nroute = "/cls/telegraph"\nchannel = "online"\n'
                '[settings]\ndatabase = "sqlite:///r.db"\n')
        config = write(tmp_path, text)
        check = invoke(config, "config", "check", "--json")
        fetched = invoke(config, "fetch", "--json")
        [request] = srv.requests
    assert check.exit_code == 0
    assert any("$TEST_RSSHUB_KEY is not set" in w for w in json.loads(check.stdout)["warnings"])
    assert fetched.exit_code == 0, fetched.output
    assert request.query == ""  # no "key=" with an empty value, no "key=None"


def test_missing_smtp_password_variable_keeps_the_report_queued(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv(PASSWORD_ENV, raising=False)
    with FeedServer({"/good": Route(sample_feed(yesterday()))}) as srv, MailServer(login=("robot", PASSWORD)) as smtp:
        config = write_config(tmp_path, feeds_base=srv.base_url, smtp_port=smtp.port, login=True)
        check = invoke(config, "config", "check")
        result = invoke(config, "run", "daily", "--json")
        test_mail = invoke(config, "send", "--test")
        assert smtp.messages == [] and smtp.logins == []
    assert check.exit_code == 0 and f"${PASSWORD_ENV} is not set" in check.output
    assert result.exit_code == 8, result.output
    delivery = json.loads(result.stdout)["delivery"]
    assert delivery["state"] == "pending"
    assert f"the SMTP password variable ${PASSWORD_ENV} is not set" in delivery["last_error"]
    assert test_mail.exit_code == 8 and f"${PASSWORD_ENV} is not set" in test_mail.output
    assert "reportgen.env.example" in test_mail.output  # the hint says where to set it
    for r in (check, result, test_mail):
        no_traceback(r)


def test_unreadable_password_file_is_a_delivery_error(tmp_path: Path) -> None:
    (tmp_path / "pw").mkdir(mode=0o700)  # a directory: unreadable as a file, even for root
    with MailServer(login=("robot", PASSWORD)) as smtp:
        config = write_config(tmp_path, feeds_base="http://127.0.0.1:1", smtp_port=smtp.port,
                              email_extra='username = "robot"\npassword_file = "pw"')
        result = invoke(config, "send", "--test")
        assert smtp.logins == [] and smtp.messages == []
    assert result.exit_code == 8
    assert "cannot read the SMTP password file" in result.output and "Is a directory" in result.output
    no_traceback(result)


def test_world_readable_password_file_is_warned_about(tmp_path: Path) -> None:
    secret = tmp_path / "smtp-password"
    secret.write_text(PASSWORD + "\n", encoding="utf-8")
    config = write_config(tmp_path, feeds_base="http://127.0.0.1:1", smtp_port=25,
                          email_extra=f'username = "robot"\npassword_file = "{secret.name}"')
    config.chmod(0o644)  # a world-readable config that names the password file
    secret.chmod(0o644)
    loose = invoke(config, "config", "check", "--json")
    secret.chmod(0o640)
    tight = invoke(config, "config", "check", "--json")
    assert loose.exit_code == tight.exit_code == 0
    warnings = json.loads(loose.stdout)["warnings"]
    assert any("password_file" in w and "can be read by every user" in w and "chmod" in w for w in warnings), warnings
    assert not any("password_file" in w for w in json.loads(tight.stdout)["warnings"])
    assert PASSWORD not in loose.output + tight.output
