"""The CLI shell: every --help, clean errors with documented exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from mailserver import write_config

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


def test_log_json_covers_the_fatal_error(tmp_path):
    """With --log-json every stderr line is one JSON object, the error and its hint included."""
    config = tmp_path / "sources.toml"
    config.write_text((REPO / "sources.toml").read_text(encoding="utf-8"), encoding="utf-8")
    for args, code, kind in ((["--config", str(tmp_path / "nonexist.toml"), "run", "daily"], 2, "ConfigError"),
                             (["--config", str(config), "run", "daily", "--date", "27/11/2026"], 5, "DataError")):
        result = CliRunner().invoke(cli, ["--log-json", *args])
        assert result.exit_code == code, result.output
        records = [json.loads(line) for line in result.stderr.splitlines()]  # each line one object
        error = [r for r in records if r.get("error")]
        assert len(error) == 1 and error[0]["level"] == "error" and error[0]["error"] == kind
        assert "hint" in error[0] and error[0]["exit_code"] == code and error[0]["problems"]
        assert error[0]["hint"] or kind == "DataError"
        assert "hint:" not in error[0]["message"]  # the hint is a field of its own
    plain = CliRunner().invoke(cli, ["--config", str(tmp_path / "nonexist.toml"), "run", "daily"])
    assert plain.stderr.startswith("error: ") and "  hint: " in plain.stderr  # without --log-json: as before


def test_config_check_prints_each_warning_once(tmp_path):
    config = write_config(tmp_path, feeds_base="http://127.0.0.1:9", smtp_port=2525)  # security = "none"
    result = CliRunner().invoke(cli, ["--config", str(config), "config", "check"])
    assert result.exit_code == 0, result.output
    assert result.stderr.count("crosses the network unencrypted") == 1, result.stderr
    as_json = CliRunner().invoke(cli, ["--log-json", "--config", str(config), "config", "check"])
    lines = [json.loads(line) for line in as_json.stderr.splitlines()]
    assert [r["level"] for r in lines if "unencrypted" in r["message"]] == ["warning"]


def test_eval_reads_a_bom_and_refuses_a_file_without_labels(tmp_path):
    """Excel and Notepad save JSONL with a UTF-8 BOM; a file whose rows carry no label has nothing to
    score against and says so (exit 5) instead of printing an empty result."""
    row = '{"text": "中国工商银行某支行因违规放贷被罚款", "entities": ["中国工商银行"]'
    bom = tmp_path / "bom.jsonl"
    bom.write_bytes(b"\xef\xbb\xbf" + (row + ', "key_entities": ["中国工商银行"], "negative": 1}\n').encode())
    result = CliRunner().invoke(cli, ["eval", "--data", str(bom), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["item_f1"] == 1.0
    bare = tmp_path / "bare.jsonl"
    bare.write_text(row + "}\n", encoding="utf-8")
    refused = CliRunner().invoke(cli, ["eval", "--data", str(bare)])
    assert refused.exit_code == 5, refused.output
    assert "no row carries a label" in refused.stderr and "key_entities" in refused.stderr
