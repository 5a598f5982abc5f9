"""The ``[email]``, ``[email.daily]``, ``[email.weekly]`` and ``[run]`` sections of ``sources.toml``.

Kept apart from :mod:`reportgen.config` because they concern running the job unattended (mail,
outbox, locking), not what to watch.  They are validated by the same collector as the rest of the
file, so their problems come with file, line, key path, expectation and hint too.

The SMTP password is a secret: like the RSSHub key it never lives in the TOML.  The file names an
environment variable (``password_env``) or a file readable only by the service user
(``password_file``); a literal ``password`` key is refused.
"""

from __future__ import annotations

import os
import re
import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.utils import getaddresses, parseaddr
from pathlib import Path
from typing import Any

from reportgen.config.validator import Validator
from reportgen.errors import DeliveryError

SECURITY = ("starttls", "tls", "none")
DEFAULT_PORTS = {"starttls": 587, "tls": 465, "none": 25}
# What a subject template may use; negative and level stay 0 / 无 until scoring and alerts fill them.
SUBJECT_FIELDS = ("date", "period", "title", "total", "self_mentions", "negative", "level")
DEFAULT_SUBJECTS = {
    "zh": {"daily": "【舆情日报】{date} 负面 {negative} 条 预警 {level}",
           "weekly": "【舆情周报】{date} 负面 {negative} 条 预警 {level}"},
    "en": {"daily": "[Media daily] {date}: {negative} negative, alert {level}",
           "weekly": "[Media weekly] {date}: {negative} negative, alert {level}"},
}

_ENV_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_LIST_ID_RE = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$")


@dataclass(frozen=True, slots=True)
class MailRoute:
    """Who gets one kind of report, and the subject template."""

    to: tuple[str, ...] = ()
    cc: tuple[str, ...] = ()
    bcc: tuple[str, ...] = ()  # envelope only: never written into a header
    subject: str = DEFAULT_SUBJECTS["zh"]["daily"]

    @property
    def envelope(self) -> tuple[str, ...]:
        """Every recipient's bare address, for RCPT TO, without duplicates."""
        return tuple(dict.fromkeys(addr for _, addr in getaddresses([*self.to, *self.cc, *self.bcc])))


@dataclass(frozen=True, slots=True)
class EmailSettings:
    """How to reach the SMTP relay.  ``host`` is None when mail is not configured."""

    host: str | None = None
    port: int = 587
    security: str = "starttls"  # starttls | tls | none
    username: str | None = None
    password_env: str | None = None
    password_file: Path | None = None
    sender: str | None = None  # the TOML key is `from`
    ca_file: Path | None = None  # trust this CA bundle instead of the system store
    max_size_mb: float = 10.0
    timeout_s: float = 30.0  # per SMTP operation (connect, one reply, one write)
    deadline_s: float = 120.0  # a whole delivery: connect, TLS and login, then each mail; a trickling relay ends here
    list_id: str | None = None  # default: reportgen.<sender's domain>
    daily: MailRoute = field(default_factory=MailRoute)
    weekly: MailRoute = field(default_factory=lambda: MailRoute(subject=DEFAULT_SUBJECTS["zh"]["weekly"]))

    @property
    def enabled(self) -> bool:
        return self.host is not None

    def route(self, kind: str) -> MailRoute:
        return self.weekly if kind == "weekly" else self.daily

    def password(self) -> str | None:
        """The SMTP password from the environment or the password file; None without a username.

        Read at send time, not at load time, so ``config check`` works without the secret and a
        fixed variable is picked up by the next retry.
        """
        if self.password_env:
            value = os.environ.get(self.password_env)
            if not value:
                raise DeliveryError(f"the SMTP password variable ${self.password_env} is not set",
                                    hint="set it in the service's environment (see deploy/reportgen.env.example)")
            return value
        if self.password_file:
            try:
                text = self.password_file.read_text(encoding="utf-8")
            except OSError as exc:
                raise DeliveryError(f"cannot read the SMTP password file {self.password_file}: "
                                    f"{exc.strerror or exc}") from None
            value = text.rstrip("\r\n")  # the newline an editor or `echo` adds is not part of it
            if not value:
                raise DeliveryError(f"the SMTP password file {self.password_file} is empty")
            return value
        return None


@dataclass(frozen=True, slots=True)
class RunSettings:
    lock_timeout_s: float = 600.0  # how long a second run waits for the first one
    outbox_max_age_h: float = 36.0  # undelivered reports older than this are expired, not sent


# --- validation -----------------------------------------------------------------------------------


def validate_email(v: Validator, data: Mapping[str, Any], language: str) -> EmailSettings:
    """The ``[email]`` section; absent means mail is not configured."""
    if "email" not in data:
        return EmailSettings(daily=MailRoute(subject=DEFAULT_SUBJECTS[language]["daily"]),
                             weekly=MailRoute(subject=DEFAULT_SUBJECTS[language]["weekly"]))
    allowed = {"enabled", "host", "port", "security", "username", "password_env", "password_file", "password",
               "from", "ca_file", "max_size_mb", "timeout_s", "deadline_s", "list_id", "daily", "weekly"}
    t = v.table(data, "email", allowed, "email")
    if "password" in t:
        # A secret must never live in a file that is copied around and committed.
        v.problem("email.password", "no secret in the file", "<a password>",
                  "put it in an environment variable named by password_env, or in a file named by password_file")
    enabled = v.get(t, "enabled", bool, "email", True)
    host = v.get(t, "host", str, "email", None, required=enabled)
    security = v.get(t, "security", str, "email", "starttls")
    if security not in SECURITY:
        v.problem("email.security", f"one of {', '.join(SECURITY)}", security)
        security = "starttls"
    if security == "none" and enabled:
        v.warnings.append(f"{v.path}: email.security = \"none\": mail (and any SMTP password) crosses the "
                          "network unencrypted")
    port = v.get(t, "port", int, "email", DEFAULT_PORTS[security])
    if not 0 < port < 65536:
        v.problem("email.port", "a TCP port (1-65535)", port)
    username = v.get(t, "username", str, "email", None)
    password_env = v.get(t, "password_env", str, "email", None)
    if password_env is not None and not _ENV_RE.match(password_env):
        v.problem("email.password_env", "an environment variable name", password_env)
    password_file = _path(v, t, "password_file")
    if password_file is not None and _world_readable(password_file):
        v.warnings.append(f"{v.path}: email.password_file {password_file} can be read by every user on this "
                          "machine: chmod o-rwx it (e.g. chmod 600, or 640 with the service's group)")
    if password_env and password_file:
        v.problem("email.password_file", "either password_env or password_file, not both", str(password_file))
    if username and not (password_env or password_file):
        v.problem("email.username", "password_env or password_file to go with it", "<no password source>",
                  "e.g. password_env = \"REPORTGEN_SMTP_PASSWORD\"")
    if (password_env or password_file) and not username:
        v.problem("email.username", "a login name when a password is configured", "<missing>")
    sender = v.get(t, "from", str, "email", None, required=enabled)
    if sender is not None and not _is_address(sender):
        v.problem("email.from", "an address such as '舆情监测 <reportgen@bank.example>'", sender)
    ca_file = _path(v, t, "ca_file")
    if ca_file is not None and not ca_file.is_file():
        v.problem("email.ca_file", "an existing PEM file of CA certificates", str(ca_file))
    list_id = v.get(t, "list_id", str, "email", None)
    if list_id is not None and not _LIST_ID_RE.match(list_id):
        v.problem("email.list_id", "a dotted name such as 'briefing.bank.example'", list_id)
    numbers = {}
    # the highest each may be: more is no limit at all, and a timeout beyond what a socket takes fails every send
    for key, default, high, unit in (("max_size_mb", 10.0, 1024, "MiB"), ("timeout_s", 30.0, 3600, "s"),
                                     ("deadline_s", 120.0, 86400, "s")):
        value = v.get(t, key, (int, float), "email", default)
        if not 0 < value <= high:
            v.problem(f"email.{key}", f"a positive number, at most {high} {unit}", value)
            value = default
        numbers[key] = float(value)
    routes = {kind: _route(v, t, kind, DEFAULT_SUBJECTS[language][kind]) for kind in ("daily", "weekly")}
    if enabled and host and not any(r.envelope for r in routes.values()):
        v.warnings.append(f"{v.path}: [email] has no recipients: add to = [...] under [email.daily]")
    return EmailSettings(
        host=host if enabled else None, port=port, security=security, username=username,
        password_env=password_env, password_file=password_file, sender=sender, ca_file=ca_file,
        max_size_mb=numbers["max_size_mb"], timeout_s=numbers["timeout_s"], deadline_s=numbers["deadline_s"],
        list_id=list_id,
        daily=routes["daily"], weekly=routes["weekly"],
    )


def validate_run(v: Validator, data: Mapping[str, Any]) -> RunSettings:
    """The ``[run]`` section: locking and outbox limits."""
    t = v.table(data, "run", {"lock_timeout_s", "outbox_max_age_h"}, "run")
    d = RunSettings()
    lock_timeout = v.get(t, "lock_timeout_s", (int, float), "run", d.lock_timeout_s)
    if not 0 <= lock_timeout <= 86400:
        v.problem("run.lock_timeout_s", "zero or more seconds, at most 86400 (a day)", lock_timeout)
        lock_timeout = d.lock_timeout_s
    max_age = v.get(t, "outbox_max_age_h", (int, float), "run", d.outbox_max_age_h)
    if not 0 < max_age <= 8784:
        v.problem("run.outbox_max_age_h", "a positive number of hours, at most 8784 (a year)", max_age)
        max_age = d.outbox_max_age_h
    return RunSettings(float(lock_timeout), float(max_age))


def _route(v: Validator, email: Mapping[str, Any], kind: str, default_subject: str) -> MailRoute:
    path = f"email.{kind}"
    t = v.table(email, kind, {"to", "cc", "bcc", "subject"}, path)
    lists = {}
    for key in ("to", "cc", "bcc"):
        values = v.str_list(t, key, path)
        for i, value in enumerate(values):
            if not _is_address(value):
                v.problem(f"{path}.{key}[{i}]", "an email address", value)
        lists[key] = values
    subject = v.get(t, "subject", str, path, default_subject)
    problem = subject_problem(subject)
    if problem:
        v.problem(f"{path}.subject", f"a template using only {{{'}, {'.join(SUBJECT_FIELDS)}}}", subject, problem)
        subject = default_subject
    return MailRoute(lists["to"], lists["cc"], lists["bcc"], subject)


def subject_problem(template: str) -> str | None:
    """Why ``template`` cannot be formatted with the subject fields, or None when it can."""
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}
        unknown = sorted(n for n in names if n.split(".")[0].split("[")[0] not in SUBJECT_FIELDS)
        if unknown:
            return f"unknown field(s) {', '.join('{' + n + '}' for n in unknown)}"
        template.format(**{f: 0 for f in SUBJECT_FIELDS})
    except (ValueError, IndexError, KeyError, AttributeError) as exc:
        return f"not a valid template: {exc}"
    return None


def _path(v: Validator, table: Mapping[str, Any], key: str) -> Path | None:
    value = v.get(table, key, str, "email", None)
    return (v.path.parent / value) if value else None


def _world_readable(path: Path) -> bool:
    """Whether any local user may read ``path`` (a missing file is reported when mail is sent)."""
    try:
        return bool(path.stat().st_mode & 0o004)
    except OSError:
        return False


def _is_address(value: str) -> bool:
    _, addr = parseaddr(value)
    local, at, domain = addr.rpartition("@")
    return bool(at and local and domain and "." in domain and not any(c.isspace() for c in addr))
