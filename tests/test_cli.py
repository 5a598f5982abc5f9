"""The CLI shell: every --help, clean errors with documented exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from reportgen.cli.app import cli

REPO = Path(__file__).resolve().parents[1]

COMMANDS = [[], ["config"], ["config", "check"], ["fetch"], ["report"], ["report", "daily"], ["report", "weekly"],
            ["export"], ["demo"], ["run"], ["send"]]


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a) or "reportgen")
def test_help(args):
    result = CliRunner().invoke(cli, [*args, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output


def test_config_check_ok_on_shipped_config():
    result = CliRunner().invoke(cli, ["--config", str(REPO / "sources.toml"), "config", "check", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["ok"] is True and data["banks"] >= 9


def test_config_check_bad_config_exits_2(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[settings]\nlanguage = "fr"\n[[banks]]\nid = "x"\nname = "X"\nrole = "self"\n',
                   encoding="utf-8")
    result = CliRunner().invoke(cli, ["--config", str(bad), "config", "check"])
    assert result.exit_code == 2
    assert "settings.language" in result.output and "Traceback" not in result.output


def test_missing_config_exits_2_with_hint(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("REPORTGEN_CONFIG", raising=False)
    result = CliRunner().invoke(cli, ["config", "check"])
    assert result.exit_code == 2
    assert "sources.toml: config file not found" in result.output
    assert "hint:" in result.output


def test_config_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("REPORTGEN_CONFIG", str(REPO / "sources.toml"))
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["config", "check"])
    assert result.exit_code == 0 and "OK" in result.output


def test_bad_date_exits_5(tmp_path):
    result = CliRunner().invoke(cli, ["--config", str(REPO / "sources.toml"), "report", "daily",
                                      "--date", "27/11/2026", "--out", str(tmp_path)])
    assert result.exit_code == 5
    assert "YYYY-MM-DD" in result.output


def test_bad_format_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(cli, ["--config", str(REPO / "sources.toml"), "report", "daily",
                                      "--format", "docx"])
    assert result.exit_code == 2


def test_debug_shows_the_traceback(tmp_path):
    result = CliRunner().invoke(cli, ["--debug", "--config", str(tmp_path / "none.toml"), "config", "check"])
    assert result.exit_code != 0
    assert result.exception is not None  # re-raised instead of turned into a message


def test_config_check_warns_when_the_rsshub_key_is_unset(monkeypatch):
    monkeypatch.delenv("RSSHUB_ACCESS_KEY", raising=False)
    result = CliRunner().invoke(cli, ["--config", str(REPO / "sources.toml"), "config", "check", "--json"])
    assert result.exit_code == 0
    assert any("RSSHUB_ACCESS_KEY is not set" in w for w in json.loads(result.stdout)["warnings"])
    monkeypatch.setenv("RSSHUB_ACCESS_KEY", "x")
    result = CliRunner().invoke(cli, ["--config", str(REPO / "sources.toml"), "config", "check", "--json"])
    assert json.loads(result.stdout)["warnings"] == []


def test_corrupt_database_is_a_clean_store_error(tmp_path):
    cfg = tmp_path / "sources.toml"
    cfg.write_text('[settings]\ndatabase = "sqlite:///broken.db"\n[[banks]]\nid = "icbc"\nname = "工行"\n'
                   'role = "self"\n', encoding="utf-8")
    (tmp_path / "broken.db").write_bytes(b"this is not an SQLite database" * 100)
    result = CliRunner().invoke(cli, ["--config", str(cfg), "export"])
    assert result.exit_code == 3, result.output
    assert "database" in result.output and "Traceback" not in result.output
