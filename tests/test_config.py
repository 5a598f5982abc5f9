"""Config loading and validation: every problem named with file, line, key path, expectation."""

from __future__ import annotations

from pathlib import Path

import pytest

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
