"""The [email], [email.daily|weekly] and [run] sections: defaults, secrets refused, every problem
with its line and key path, like the rest of sources.toml."""

from __future__ import annotations

from pathlib import Path

import pytest

from reportgen.config.core import load_config, parse_config_text
from reportgen.config.delivery import DEFAULT_SUBJECTS, subject_problem
from reportgen.errors import ConfigError

BANKS = '[[banks]]\nid = "icbc"\nname = "中国工商银行"\nrole = "self"\n'
REPO = Path(__file__).resolve().parents[1]


def load(tmp_path: Path, text: str):
    path = tmp_path / "sources.toml"
    path.write_text(text + BANKS, encoding="utf-8")
    return load_config(path)


def problems(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(ConfigError) as exc:
        load(tmp_path, text)
    return exc.value.problems[1:]


def test_defaults_without_the_sections(tmp_path):
    cfg = load(tmp_path, "")
    assert not cfg.email.enabled
    assert cfg.email.daily.subject == DEFAULT_SUBJECTS["zh"]["daily"]
    assert (cfg.run.lock_timeout_s, cfg.run.outbox_max_age_h) == (600.0, 36.0)


def test_a_full_email_section(tmp_path):
    cfg = load(tmp_path, """
[email]
host = "smtp.bank.example"
security = "tls"
username = "robot"
password_env = "SMTP_PW"
from = "舆情监测 <reportgen@bank.example>"
max_size_mb = 15
[email.daily]
to = ["行领导 <boss@bank.example>", "b@bank.example"]
bcc = ["archive@bank.example", "b@bank.example"]
subject = "{title} {date}：负面 {negative} 条"
[run]
lock_timeout_s = 0
outbox_max_age_h = 12
""")
    assert cfg.email.enabled and cfg.email.port == 465  # the default for implicit TLS
    assert cfg.email.daily.envelope == ("boss@bank.example", "b@bank.example", "archive@bank.example")
    assert cfg.email.weekly.envelope == ()
    assert cfg.run.lock_timeout_s == 0 and cfg.run.outbox_max_age_h == 12
    assert (cfg.email.timeout_s, cfg.email.deadline_s) == (30.0, 120.0)


def test_deadline_s_is_a_positive_number(tmp_path):
    mail = '[email]\nhost = "h.example"\nfrom = "a@b.example"\n'
    assert load(tmp_path, mail + "deadline_s = 2.5\n").email.deadline_s == 2.5
    found = problems(tmp_path, mail + "deadline_s = 0\n")
    assert found[0].startswith(f"{tmp_path / 'sources.toml'}:4: email.deadline_s: expected a positive number")


def test_a_literal_password_is_refused(tmp_path):
    found = problems(tmp_path, '[email]\nhost = "h.example"\nfrom = "a@b.example"\npassword = "hunter2"\n')
    assert any("email.password" in p and "no secret in the file" in p for p in found)
    assert not any("hunter2" in p for p in found)


def test_problems_name_line_and_key_path(tmp_path):
    found = problems(tmp_path, """[email]
host = "h.example"
from = "not an address"
securty = "tls"
username = "robot"

[email.daily]
to = ["boss@bank.example", "nobody"]
subject = "{date} {negatives}"

[run]
lock_timeout_s = -1
""")
    path = tmp_path / "sources.toml"
    expected = [f"{path}:3: email.from", f"{path}:4: email.securty", "did you mean 'security'",
                f"{path}:5: email.username", f"{path}:8: email.daily.to[1]", f"{path}:9: email.daily.subject",
                "{negatives}", f"{path}:12: run.lock_timeout_s"]
    text = "\n".join(found)
    for part in expected:
        assert part in text


def test_plain_smtp_is_a_warning(tmp_path):
    cfg = load(tmp_path, '[email]\nhost = "h.example"\nfrom = "a@b.example"\nsecurity = "none"\n'
                         '[email.daily]\nto = ["c@b.example"]\n')
    assert cfg.email.port == 25
    assert any("unencrypted" in w for w in cfg.warnings)


def test_ca_file_must_exist_and_is_relative_to_the_config(tmp_path):
    assert any("email.ca_file" in p for p in problems(
        tmp_path, '[email]\nhost = "h.example"\nfrom = "a@b.example"\nca_file = "missing.pem"\n'))
    (tmp_path / "ca.pem").write_text("x", encoding="utf-8")
    cfg = load(tmp_path, '[email]\nhost = "h.example"\nfrom = "a@b.example"\nca_file = "ca.pem"\n')
    assert cfg.email.ca_file == tmp_path.resolve() / "ca.pem"


@pytest.mark.parametrize("template, ok", [
    ("【舆情日报】{date} 负面 {negative} 条 预警 {level}", True), ("{total:>5} {title}", True),
    ("{nope}", False), ("{date", False), ("{0}", False),
])
def test_subject_templates(template, ok):
    assert (subject_problem(template) is None) is ok


def test_shipped_config_documents_mail_but_leaves_it_off():
    cfg = parse_config_text((REPO / "sources.toml").read_text(encoding="utf-8"), REPO / "sources.toml")
    assert not cfg.email.enabled  # a fresh checkout sends nothing until someone fills it in
    text = (REPO / "sources.toml").read_text(encoding="utf-8")
    for key in ("host", "port", "security", "username", "password_env", "password_file", "from", "ca_file",
                "max_size_mb", "timeout_s", "deadline_s", "list_id", "subject", "lock_timeout_s",
                "outbox_max_age_h"):
        assert f"{key} =" in text, key
