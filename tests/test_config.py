"""Config loading and validation: every problem named with file, line, key path, expectation."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from reportgen.cli.app import cli
from reportgen.config.core import load_config, parse_config_text
from reportgen.errors import ConfigError

REPO = Path(__file__).resolve().parents[1]

MINIMAL = """
[settings]
timezone = "Asia/Shanghai"
language = "zh"
output_dir = "reports"
database = "sqlite:///reportgen.db"
[rsshub]
base_url = "http://127.0.0.1:1200"
access_key_env = "RSSHUB_ACCESS_KEY"
[[banks]]
id = "icbc"
name = "中国工商银行"
aliases = ["工商银行", "工行", "ICBC"]
exclude = []
role = "self"
[[sources]]
id = "nfra-penalties"
name = "国家金融监督管理总局 行政处罚"
route = "/gov/nfra/931"
channel = "regulator"
weight = 1.0
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sources.toml"
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(tmp_path: Path, text: str) -> str:
    with pytest.raises(ConfigError) as info:
        load_config(write(tmp_path, text))
    return str(info.value)


def test_shipped_config_is_valid():
    cfg = load_config(REPO / "sources.toml")
    roles = {b.role for b in cfg.banks}
    assert roles == {"self", "competitor"}
    assert len(cfg.banks) >= 9
    assert {s.channel for s in cfg.sources} >= {"regulator", "online", "social"}
    assert any(s.route == "/gov/nfra/931" for s in cfg.sources)


def test_relative_paths_resolve_against_the_config_file(tmp_path, monkeypatch):
    path = write(tmp_path, MINIMAL)
    monkeypatch.chdir("/")
    cfg = load_config(path)
    assert cfg.settings.output_dir == tmp_path.resolve() / "reports"
    assert cfg.settings.database == f"sqlite:///{tmp_path.resolve() / 'reportgen.db'}"


def test_defaults_when_settings_are_omitted(tmp_path):
    text = MINIMAL.split("[rsshub]")[0].split("[settings]")[0] + "[rsshub]" + MINIMAL.split("[rsshub]")[1]
    cfg = load_config(write(tmp_path, text))
    assert cfg.settings.timezone == "Asia/Shanghai"
    assert cfg.settings.language == "zh"
    assert cfg.settings.database.endswith("/reportgen.db")


def test_route_joins_base_url_and_access_key_from_env(tmp_path, monkeypatch):
    monkeypatch.setenv("RSSHUB_ACCESS_KEY", "s3cret")
    cfg = load_config(write(tmp_path, MINIMAL.replace("/gov/nfra/931", "/weibo/keyword/工商银行")))
    (request,) = cfg.fetch_requests()
    assert request.url == (
        "http://127.0.0.1:1200/weibo/keyword/%E5%B7%A5%E5%95%86%E9%93%B6%E8%A1%8C?key=s3cret"
    )
    assert "s3cret" not in request.display_url


def test_access_key_in_file_is_refused(tmp_path):
    text = MINIMAL.replace('access_key_env = "RSSHUB_ACCESS_KEY"', 'access_key = "abc"')
    msg = problems_of(tmp_path, text)
    assert "rsshub.access_key" in msg and "environment variable" in msg


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('channel = "regulator"', 'chanel = "regulator"', "sources[0].chanel"),
        ('channel = "regulator"', 'channel = "radio"', "sources[0].channel: expected one of print"),
        ("weight = 1.0", 'weight = "heavy"', "sources[0].weight: expected a number, found <string 'heavy'>"),
        ('route = "/gov/nfra/931"', 'url = "ftp://example.com/feed"', "sources[0].url: expected an http(s) URL"),
        ('route = "/gov/nfra/931"', 'url = "not a url"', "sources[0].url"),
        ('timezone = "Asia/Shanghai"', 'timezone = "Mars/Olympus"', "settings.timezone"),
        ('language = "zh"', 'language = "fr"', "settings.language"),
        ('role = "self"', 'role = "boss"', "banks[0].role"),
        ('aliases = ["工商银行", "工行", "ICBC"]', 'aliases = "工行"', "banks[0].aliases: expected an array"),
        ('base_url = "http://127.0.0.1:1200"', 'base_url = "rsshub"', "rsshub.base_url"),
        ("[settings]", "[setting]", "setting: expected one of the known sections"),
    ],
)
def test_bad_values_are_named(tmp_path, old, new, expected):
    assert old in MINIMAL
    msg = problems_of(tmp_path, MINIMAL.replace(old, new))
    assert expected in msg
    assert str(tmp_path / "sources.toml") in msg


def test_messages_carry_line_numbers_and_hints(tmp_path):
    msg = problems_of(tmp_path, MINIMAL.replace('channel = "regulator"', 'chanel = "regulator"'))
    lines = MINIMAL.replace('channel = "regulator"', 'chanel = "regulator"').splitlines()
    expected_line = lines.index('chanel = "regulator"') + 1
    assert f"sources.toml:{expected_line}: sources[0].chanel" in msg
    assert "did you mean 'channel'" in msg


def test_duplicate_ids_and_all_problems_reported_together(tmp_path):
    text = MINIMAL + """
[[sources]]
id = "nfra-penalties"
url = "https://example.com/a.xml"
channel = "online"
[[banks]]
id = "icbc"
name = "重复"
"""
    msg = problems_of(tmp_path, text.replace('language = "zh"', 'language = "xx"'))
    assert "sources[1].id: expected a unique id" in msg
    assert "banks[1].id: expected a unique id" in msg
    assert "settings.language" in msg
    assert "3 problems" in msg


def test_invalid_toml_and_missing_file(tmp_path):
    with pytest.raises(ConfigError, match="invalid TOML"):
        load_config(write(tmp_path, "[settings\n"))
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "nope.toml")


def test_route_needs_rsshub_base_url(tmp_path):
    text = MINIMAL.replace('base_url = "http://127.0.0.1:1200"\n', "")
    assert "[rsshub] base_url" in problems_of(tmp_path, text)


def test_parse_config_text_uses_given_path(tmp_path):
    cfg = parse_config_text(MINIMAL, tmp_path / "x.toml")
    assert cfg.path == (tmp_path / "x.toml").resolve()
    assert cfg.bank("icbc").terms == ("中国工商银行", "工商银行", "工行", "ICBC")


def test_templates_dir_is_the_same_setting_as_template_dir(tmp_path):
    """Issue 5 promised `templates_dir`; the key is `template_dir`.  Either spelling works; both,
    naming different folders, is a problem that says so."""
    (tmp_path / "mine").mkdir()
    (tmp_path / "other").mkdir()
    text = MINIMAL.replace('database = "sqlite:///reportgen.db"\n',
                         'database = "sqlite:///reportgen.db"\ntemplates_dir = "mine"\n')
    assert load_config(write(tmp_path, text)).settings.template_dir == (tmp_path / "mine")
    same = text.replace('templates_dir = "mine"\n', 'templates_dir = "mine"\ntemplate_dir = "mine"\n')
    assert load_config(write(tmp_path, same)).settings.template_dir == (tmp_path / "mine")
    both = text.replace('templates_dir = "mine"\n', 'templates_dir = "mine"\ntemplate_dir = "other"\n')
    problem = problems_of(tmp_path, both)
    assert "settings.templates_dir" in problem and "one setting" in problem
    missing = problems_of(tmp_path, text.replace('"mine"', '"nowhere"'))
    assert "settings.templates_dir: expected an existing folder" in missing


@pytest.mark.parametrize("name", ['""', '"   "'])
def test_a_bank_without_a_name_is_a_problem_not_dropped(tmp_path, name):
    """A bank whose name is empty used to vanish: `config check` said OK — 0 banks and every report
    said 本期未监测到重大负面舆情 about nobody."""
    text = MINIMAL.replace('name = "中国工商银行"', f"name = {name}")
    problems = problems_of(tmp_path, text)
    assert f"{tmp_path / 'sources.toml'}:12: banks[0].name: expected the bank's name" in problems, problems
    assert "banks: expected at least one bank with an id and a name" in problems
    competitor = '\n[[banks]]\nid = "cmb"\nname = "招商银行"\nrole = "competitor"\n'
    assert "banks[0].name" in problems_of(tmp_path, text + competitor)  # one nameless bank among others too
    assert "banks: expected at least one" not in problems_of(tmp_path, text + competitor)


@pytest.mark.parametrize("section, key, value", [
    ("fetch", "max_body_mb", "inf"), ("fetch", "max_body_mb", "1e309"), ("fetch", "timeout_s", "nan"),
    ("fetch", "read_timeout_s", "-inf"), ("events", "window_hours", "nan"), ("alerts", "min_heat", "inf"),
    ("run", "lock_timeout_s", "inf"), ("email", "timeout_s", "nan"), ("report", "min_sources_answered", "nan"),
])
def test_infinity_and_nan_are_config_problems_in_every_section(tmp_path, section, key, value):
    """TOML's inf and nan passed `config check`, then every run died (OverflowError converting
    max_body_mb = inf to bytes) or waited 'nan s'.  The shared validator refuses them for every key."""
    problems = problems_of(tmp_path, MINIMAL + f"\n[{section}]\n{key} = {value}\n")
    assert f"{section}.{key}: expected a finite number, found <{value.replace('1e309', 'inf')}>" in problems


@pytest.mark.parametrize("text, expected", [
    ("[fetch]\nmax_body_mb = 1e300", "fetch.max_body_mb: expected a number above 0 and at most 1024 MiB, found 1e+300"),
    ("[fetch]\ntimeout_s = 1e300", "fetch.timeout_s: expected a number above 0 and at most 3600 s"),
    ("[fetch]\nconcurrency = 100000", "fetch.concurrency: expected an integer above 0 and at most 1000 requests"),
    ("[fetch]\nretries = 1000", "fetch.retries: expected an integer from 0 to 10, found 1000"),
    ("[fetch]\nper_host = 0", "fetch.per_host: expected an integer above 0"),
    ("[run]\nlock_timeout_s = 1e300", "run.lock_timeout_s: expected zero or more seconds, at most 86400"),
    ("[alerts]\nlevels = [3, nan, 8]", "alerts.levels: expected three (or four) increasing"),
    ("[alerts]\nlevels = [3, 5, inf]", "alerts.levels: expected three (or four) increasing"),
])
def test_limits_beyond_a_sane_range_are_config_problems(tmp_path, text, expected):
    assert expected in problems_of(tmp_path, MINIMAL + "\n" + text + "\n")


def test_a_source_timeout_of_infinity_is_refused(tmp_path):
    problems = problems_of(tmp_path, MINIMAL + "timeout = inf\n")
    assert "sources[0].timeout: expected a finite number, found <inf>" in problems
    problems = problems_of(tmp_path, MINIMAL + "timeout = 1e300\n")
    assert "sources[0].timeout: expected a positive number of seconds, at most 3600" in problems
    assert load_config(write(tmp_path, MINIMAL + "timeout = 3600\n")).sources[0].timeout_s == 3600.0


def test_config_check_hides_every_secret_query_parameter_of_the_database_url(tmp_path):
    url = ("postgresql+psycopg://rg:Pa%40ss@127.0.0.1:5999/rg?password=Q2secret&sslpassword=Zk3y&sslmode=require"
           "&api_key=K9&passfile=/etc/pgpass&application_name=reportgen")
    path = write(tmp_path, MINIMAL.replace('database = "sqlite:///reportgen.db"', f'database = "{url}"'))
    for args in (["config", "check", "--json"], ["config", "check"]):
        result = CliRunner().invoke(cli, ["--config", str(path), *args])
        assert result.exit_code == 0, result.output
        for secret in ("Pa%40ss", "Q2secret", "Zk3y", "K9", "pgpass"):
            assert secret not in result.output, (secret, result.output)
    shown = json.loads(CliRunner().invoke(cli, ["--config", str(path), "config", "check", "--json"]).stdout)["database"]
    assert shown == ("postgresql+psycopg://rg:***@127.0.0.1:5999/rg?password=***&sslpassword=***&sslmode=require"
                     "&api_key=***&passfile=***&application_name=reportgen")
