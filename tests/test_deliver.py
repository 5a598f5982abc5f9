"""The SMTP transport against a real aiosmtpd on 127.0.0.1: STARTTLS and implicit TLS with a
certificate from a CA made by the test, verification on; login with the password from the
environment; clear errors with the right exit code, and the password in none of them.

``reportgen send --test`` drives these: it goes through the same connection code as the outbox
and needs no report, so each case takes milliseconds.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from mailserver import PASSWORD, PASSWORD_ENV, MailServer, free_port, make_ca, write_config

from reportgen.cli.app import cli


@pytest.fixture(scope="module")
def ca(tmp_path_factory):
    return make_ca(tmp_path_factory.mktemp("ca"))


@pytest.fixture
def password(monkeypatch):
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    return PASSWORD


def send_test_mail(config, *extra: str):
    return CliRunner().invoke(cli, ["--config", str(config), *extra, "send", "--test"])


def test_starttls_verifies_the_certificate_and_trusts_the_given_ca(tmp_path, ca, password):
    with MailServer(security="starttls", ca=ca, login=("robot", PASSWORD)) as smtp:
        untrusted = write_config(tmp_path, feeds_base="http://127.0.0.1:9", smtp_port=smtp.port,
                                 security="starttls", login=True, name="untrusted.toml")
        result = send_test_mail(untrusted)
        assert result.exit_code == 8, result.output
        assert "certificate" in result.output and "not trusted" in result.output
        assert "email.ca_file" in result.output  # the hint
        assert smtp.messages == [] and smtp.logins == []  # never logged in over an unverified channel

        trusted = write_config(tmp_path, feeds_base="http://127.0.0.1:9", smtp_port=smtp.port,
                               security="starttls", ca_file=ca.ca_file, login=True)
        result = send_test_mail(trusted)
        assert result.exit_code == 0, result.output
        assert "test mail sent to boss@bank.example" in result.output
        assert smtp.logins == [("robot", True)]
        assert len(smtp.messages) == 1
        assert "测试邮件" in str(smtp.messages[0].message["Subject"])


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")  # aiosmtpd can't see implicit TLS
def test_implicit_tls(tmp_path, ca, password):
    with MailServer(security="tls", ca=ca, login=("robot", PASSWORD)) as smtp:
        config = write_config(tmp_path, feeds_base="http://127.0.0.1:9", smtp_port=smtp.port, security="tls",
                              ca_file=ca.ca_file, login=True)
        result = CliRunner().invoke(cli, ["--config", str(config), "send", "--test", "--to", "ops@bank.example",
                                          "--json"])
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout)["recipients"] == ["ops@bank.example"]
        assert smtp.messages[0].rcpt_tos == ["ops@bank.example"]


def test_starttls_required_but_not_offered(tmp_path, password):
    with MailServer() as smtp:  # plain server, no STARTTLS
        config = write_config(tmp_path, feeds_base="http://127.0.0.1:9", smtp_port=smtp.port, security="starttls")
        result = send_test_mail(config)
        assert result.exit_code == 8
        assert "does not offer STARTTLS" in result.output


def test_wrong_password_is_a_clear_error_without_the_password(tmp_path, ca, monkeypatch):
    wrong = "wrong-Pw-7731"
    monkeypatch.setenv(PASSWORD_ENV, wrong)
    with MailServer(security="starttls", ca=ca, login=("robot", PASSWORD)) as smtp:
        config = write_config(tmp_path, feeds_base="http://127.0.0.1:9", smtp_port=smtp.port,
                              security="starttls", ca_file=ca.ca_file, login=True)
        result = send_test_mail(config, "-v", "--log-json")
        assert result.exit_code == 8, result.output
        assert "refused the login as 'robot'" in result.output and "535" in result.output
        assert f"${PASSWORD_ENV}" in result.output  # where to fix it
        assert wrong not in result.output and PASSWORD not in result.output
        assert smtp.logins and all(not ok for _, ok in smtp.logins)  # smtplib tries PLAIN, then LOGIN
        assert smtp.messages == []


def test_unset_password_variable(tmp_path, ca, monkeypatch):
    monkeypatch.delenv(PASSWORD_ENV, raising=False)
    with MailServer(security="starttls", ca=ca, login=("robot", PASSWORD)) as smtp:
        config = write_config(tmp_path, feeds_base="http://127.0.0.1:9", smtp_port=smtp.port,
                              security="starttls", ca_file=ca.ca_file, login=True)
        result = send_test_mail(config)
        assert result.exit_code == 8
        assert f"${PASSWORD_ENV} is not set" in result.output


def test_password_from_a_file(tmp_path, ca, monkeypatch):
    monkeypatch.delenv(PASSWORD_ENV, raising=False)
    secret = tmp_path / "smtp-password"
    secret.write_text(PASSWORD + "\n", encoding="utf-8")  # the trailing newline is not part of it
    with MailServer(security="starttls", ca=ca, login=("robot", PASSWORD)) as smtp:
        config = write_config(tmp_path, feeds_base="http://127.0.0.1:9", smtp_port=smtp.port,
                              security="starttls", ca_file=ca.ca_file,
                              email_extra=f'username = "robot"\npassword_file = "{secret}"')
        assert send_test_mail(config).exit_code == 0
        assert smtp.logins == [("robot", True)]


def test_plain_smtp_only_when_asked_and_with_a_warning(tmp_path):
    with MailServer() as smtp:
        config = write_config(tmp_path, feeds_base="http://127.0.0.1:9", smtp_port=smtp.port, security="none")
        result = send_test_mail(config)
        assert result.exit_code == 0, result.output
        assert "unencrypted" in result.stderr
        assert len(smtp.messages) == 1


def test_relay_down(tmp_path):
    config = write_config(tmp_path, feeds_base="http://127.0.0.1:9", smtp_port=free_port())
    result = CliRunner().invoke(cli, ["--config", str(config), "send", "--test", "--json"])
    assert result.exit_code == 8
    out = json.loads(result.stdout)
    assert out["ok"] is False and out["error"] == "DeliveryError"
    assert "refused" in out["problems"][0].lower()


def test_send_without_mail_config_is_a_config_error(tmp_path):
    config = write_config(tmp_path, feeds_base="http://127.0.0.1:9", smtp_port=None)
    result = CliRunner().invoke(cli, ["--config", str(config), "send", "--test", "--to", "a@bank.example"])
    assert result.exit_code == 8
    assert "mail is not configured" in result.output
    assert CliRunner().invoke(cli, ["--config", str(config), "send", "--to", "a@b.example"]).exit_code == 2
