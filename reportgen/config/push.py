"""The ``[[push]]`` channels and the ``[alerts.intraday]`` settings of ``sources.toml``.

A push channel is an apprise URL (企业微信 ``wecombot://``, 钉钉 ``dingtalk://``, 飞书 ``feishu://`` /
``lark://``, ``mailto://``, a generic ``json://`` webhook …) with the alerts it receives: a minimum
level (1 = 一级 is the most severe, so ``min_level = 2`` receives 一级 and 二级), optional bank and
category filters, and quiet hours during which only 一级 goes out.

Secrets stay out of the file: ``${NAME}`` in a URL is replaced by the environment variable ``NAME``
when the message is sent, and every URL this module shows (``display_url``, ``config check``) has
its secrets, literal or from the environment, replaced by ``***``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, time
from typing import Any
from urllib.parse import quote, urlsplit

from reportgen.config.validator import Validator
from reportgen.errors import ConfigError

# min_level may be written as a number, 一级…四级, or the level's colour
LEVEL_WORDS = {"一级": 1, "二级": 2, "三级": 3, "四级": 4, "红色": 1, "橙色": 2, "黄色": 3, "蓝色": 4,
               "red": 1, "orange": 2, "yellow": 3, "blue": 4}
ATTACHMENTS = ("pdf",)
FORMATS = ("auto", "text", "markdown")
_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,63}$")
_ENV_REF_RE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
_QUIET_RE = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*[-–~]\s*(\d{1,2}):(\d{2})\s*$")
# Schemes whose host and path name a server of the user's own (a webhook, an SMTP relay): those are
# shown, with passwords, secret-looking query values and long path tokens hidden.  Every other
# scheme (wecombot, dingtalk, feishu, lark …) carries its token in place of a host: all hidden.
_ADDRESSED_SCHEMES = {"json", "jsons", "form", "forms", "xml", "xmls", "mailto", "mailtos"}
_SECRET_KEY_RE = re.compile(r"(?i)pass|pwd|secret|token|key|sign|auth|user")
_LITERAL_RE = re.compile(r"[^/@:?&=.,#\x00\ue000-\uefff]+")
_MASK = "***"


@dataclass(frozen=True, slots=True)
class QuietHours:
    """A daily span of local time, possibly across midnight (22:00–07:00)."""

    start: time
    end: time

    def __contains__(self, moment: datetime) -> bool:
        now = moment.timetz().replace(tzinfo=None)
        if self.start < self.end:
            return self.start <= now < self.end
        return now >= self.start or now < self.end

    def __str__(self) -> str:
        return f"{self.start:%H:%M}-{self.end:%H:%M}"


@dataclass(frozen=True, slots=True)
class PushChannel:
    """One ``[[push]]`` entry."""

    name: str
    url: str  # as written: ${NAME} references unexpanded
    min_level: int = 4  # the mildest level it receives (1 = 一级 only)
    banks: tuple[str, ...] = ()  # empty: every bank
    categories: tuple[str, ...] = ()  # empty: every category (and alerts without one)
    quiet_hours: QuietHours | None = None
    attach: str | None = None  # "pdf": a one-page 舆情快报 for the incident
    format: str = "auto"  # auto: markdown where the service renders it, else text
    language: str | None = None  # None: settings.language
    enabled: bool = True

    @property
    def scheme(self) -> str:
        return self.url.split("://", 1)[0].lower()

    @property
    def env_names(self) -> tuple[str, ...]:
        """The environment variables the URL names, in order."""
        return tuple(dict.fromkeys(_ENV_REF_RE.findall(self.url)))

    def missing_env(self, environ: Mapping[str, str] | None = None) -> tuple[str, ...]:
        env = os.environ if environ is None else environ
        return tuple(n for n in self.env_names if not env.get(n))

    def resolved_url(self, environ: Mapping[str, str] | None = None) -> str:
        """The URL to send to, with ``${NAME}`` replaced from the environment, percent-encoded (a
        password may hold ``@`` or ``/``; apprise decodes it).  A secret: never log it."""
        env = os.environ if environ is None else environ
        missing = self.missing_env(env)
        if missing:
            raise ConfigError(f"push channel {self.name!r}: environment variable "
                              f"{', '.join('$' + n for n in missing)} is not set",
                              hint="export it in the environment cron or systemd runs reportgen with")
        return _ENV_REF_RE.sub(lambda m: quote(env[m.group(1)], safe=""), self.url)

    def secrets(self, environ: Mapping[str, str] | None = None) -> tuple[str, ...]:
        """Every secret the URL holds: the values of the variables it names and its literal secret
        parts, to be blotted out of anything logged or stored."""
        env = os.environ if environ is None else environ
        found = [env[n] for n in self.env_names if env.get(n)]
        found += literal_secrets(self.url)
        return tuple(dict.fromkeys(s for s in found if len(s) >= 3))

    @property
    def display_url(self) -> str:
        return redact_push_url(self.url)

    def accepts(self, level: int, bank_id: str, category: str | None) -> bool:
        """Whether an alert of this level, bank and category is for this channel (quiet hours aside)."""
        if not self.enabled or not 0 < level <= self.min_level:
            return False
        if self.banks and bank_id not in self.banks:
            return False
        return not self.categories or category in self.categories

    def quiet_at(self, moment: datetime) -> bool:
        return self.quiet_hours is not None and moment in self.quiet_hours

    def as_dict(self) -> dict[str, Any]:
        """What ``config check --json`` shows: the URL with its secrets hidden."""
        return {"name": self.name, "url": self.display_url, "service": self.scheme, "min_level": self.min_level,
                "banks": list(self.banks), "categories": list(self.categories),
                "quiet_hours": str(self.quiet_hours) if self.quiet_hours else None, "attach": self.attach,
                "format": self.format, "language": self.language, "enabled": self.enabled,
                "env": list(self.env_names)}


@dataclass(frozen=True, slots=True)
class IntradaySettings:
    """``[alerts.intraday]``: alerts raised on every fetch over a rolling window, and their pushes."""

    enabled: bool = True
    window_hours: float = 24.0  # the rolling window compared with the bank's own baseline
    growth_hours: float = 1.0  # a message's "how fast it grows": the heat added in this many hours
    remind_after_minutes: float = 30.0  # an unacknowledged 一级 alert is pushed again after this long
    remind_max: int = 3  # … at most this many times
    retry_minutes: float = 2.0  # the first retry of a failed push; doubled each time
    retry_max_minutes: float = 60.0
    max_age_hours: float = 24.0  # a push still undelivered after this long is given up (expired)
    timeout_s: float = 20.0  # per push request


@dataclass(frozen=True, slots=True)
class PushConfig:
    channels: tuple[PushChannel, ...] = ()
    intraday: IntradaySettings = field(default_factory=IntradaySettings)

    def channel(self, name: str) -> PushChannel | None:
        return next((c for c in self.channels if c.name == name), None)

    @property
    def enabled_channels(self) -> tuple[PushChannel, ...]:
        return tuple(c for c in self.channels if c.enabled)


# --- redaction ------------------------------------------------------------------------------------


def redact_push_url(url: str) -> str:
    """``url`` fit to show: ``${NAME}`` references kept (a name is no secret), every literal secret
    replaced by ``***``."""
    refs: list[str] = []

    def hold(m: re.Match[str]) -> str:
        refs.append(m.group(0))
        return f"\x00{chr(0xE000 + len(refs) - 1)}\x00"  # a placeholder no pattern below touches

    held = _ENV_REF_RE.sub(hold, url)
    scheme, sep, rest = held.partition("://")
    if not sep:
        shown = _MASK
    elif scheme.lower() in _ADDRESSED_SCHEMES:
        shown = f"{scheme}://{_redact_addressed(rest)}"
    else:
        shown = f"{scheme}://{_LITERAL_RE.sub(_MASK, rest)}"
    return re.sub("\x00(.)\x00", lambda m: refs[ord(m.group(1)) - 0xE000], shown)


def _redact_addressed(rest: str) -> str:
    parts = urlsplit("x://" + rest)
    netloc = parts.netloc
    if "@" in netloc:
        userinfo, host = netloc.rsplit("@", 1)
        user, colon, password = userinfo.partition(":")
        if colon and "\x00" not in password:
            netloc = f"{user}:{_MASK}@{host}"
    path = "/".join(_MASK if len(seg) >= 16 and "\x00" not in seg else seg for seg in parts.path.split("/"))
    query = "&".join(f"{k}={_MASK if _secret_value(k, v) else v}" for k, v in _query(parts.query))
    return netloc + path + (f"?{query}" if query else "")


def literal_secrets(url: str) -> list[str]:
    """The secret parts written literally in ``url`` (what :func:`redact_push_url` hides)."""
    bare = _ENV_REF_RE.sub("\x00", url)
    scheme, sep, rest = bare.partition("://")
    if not sep:
        return [bare]
    if scheme.lower() not in _ADDRESSED_SCHEMES:
        return [s for s in _LITERAL_RE.findall(rest) if len(s) >= 4 and "\x00" not in s]
    parts = urlsplit("x://" + rest)
    found = []
    if parts.password and "\x00" not in parts.password:
        found.append(parts.password)
    found += [seg for seg in parts.path.split("/") if len(seg) >= 16 and "\x00" not in seg]
    found += [v for k, v in _query(parts.query) if v and _secret_value(k, v)]
    return found


def _query(query: str) -> list[tuple[str, str]]:
    """(key, value) pairs as written: no unquoting, so apprise's ``+Header=`` keys keep their ``+``."""
    pairs = []
    for part in query.split("&"):
        if part:
            key, _, value = part.partition("=")
            pairs.append((key, value))
    return pairs


def _secret_value(key: str, value: str) -> bool:
    """A query value to hide: a password, token, key or signature, or an HTTP header (``+Name=``)
    apprise adds to a webhook's request, unless it is a ``${NAME}`` reference."""
    return bool(_SECRET_KEY_RE.search(key) or key[:1] in "+-") and "\x00" not in value


def redact_text(text: str, secrets: Iterable[str]) -> str:
    """``text`` with every one of ``secrets`` (and its URL-quoted form) replaced by ``***``."""
    for secret in sorted(set(secrets), key=len, reverse=True):
        if not secret:
            continue
        for form in {secret, quote(secret, safe=""), quote(secret)}:
            text = text.replace(form, _MASK)
    return text


# --- validation -----------------------------------------------------------------------------------


_INTRADAY_NUMBERS = ("window_hours", "growth_hours", "remind_after_minutes", "retry_minutes", "retry_max_minutes",
                     "max_age_hours", "timeout_s")


def validate_push(v: Validator, data: Mapping[str, Any], bank_ids: Iterable[str], category_codes: Iterable[str],
                  languages: tuple[str, ...]) -> PushConfig:
    """``[[push]]`` and ``[alerts.intraday]``."""
    return PushConfig(_channels(v, data, set(bank_ids), set(category_codes), languages), _intraday(v, data))


def _intraday(v: Validator, data: Mapping[str, Any]) -> IntradaySettings:
    d = IntradaySettings()
    alerts = data.get("alerts", {})
    if not isinstance(alerts, dict):
        return d
    allowed = {"enabled", "remind_max", *_INTRADAY_NUMBERS}
    t = v.table(alerts, "intraday", allowed, "alerts.intraday")
    values: dict[str, Any] = {"enabled": v.get(t, "enabled", bool, "alerts.intraday", d.enabled)}
    for key in _INTRADAY_NUMBERS:
        default = getattr(d, key)
        value = v.get(t, key, (int, float), "alerts.intraday", default)
        limit = 24 * 7 if key.endswith("hours") else 24 * 60 * 7 if key.endswith("minutes") else 600
        if not 0 < value <= limit:
            v.problem(f"alerts.intraday.{key}", f"a number above 0 and at most {limit:g}", value)
            value = default
        values[key] = float(value)
    remind_max = v.get(t, "remind_max", int, "alerts.intraday", d.remind_max)
    if not 0 <= remind_max <= 100:
        v.problem("alerts.intraday.remind_max", "0 (no reminders) to 100", remind_max)
        remind_max = d.remind_max
    values["remind_max"] = remind_max
    if values["retry_max_minutes"] < values["retry_minutes"]:
        v.problem("alerts.intraday.retry_max_minutes", "at least retry_minutes", values["retry_max_minutes"])
        values["retry_max_minutes"] = max(values["retry_minutes"], d.retry_max_minutes)
    return IntradaySettings(**values)


def _channels(v: Validator, data: Mapping[str, Any], bank_ids: set[str], category_codes: set[str],
              languages: tuple[str, ...]) -> tuple[PushChannel, ...]:
    raw = data.get("push", [])
    if not isinstance(raw, list):
        v.problem("push", "an array of tables ([[push]])", f"<{type(raw).__name__}>")
        return ()
    allowed = {"name", "url", "min_level", "banks", "categories", "quiet_hours", "attach", "format", "language",
               "enabled"}
    out: list[PushChannel] = []
    seen: dict[str, int] = {}
    for i, entry in enumerate(raw):
        path = f"push[{i}]"
        if not isinstance(entry, dict):
            v.problem(path, "a table", f"<{type(entry).__name__}>")
            continue
        v.table({"p": entry}, "p", allowed, path)
        name = v.get(entry, "name", str, path, required=True)
        if name is not None:
            if not _NAME_RE.match(name):
                v.problem(f"{path}.name", "a name of lower-case letters, digits, '-', '_' or '.'", name)
            elif name in seen:
                v.problem(f"{path}.name", "a unique name", name, f"push[{seen[name]}] already uses {name!r}")
            else:
                seen[name] = i
        url = v.get(entry, "url", str, path, required=True)
        if url is not None and not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://\S", url):
            # the value may hold a secret: show its redacted form only
            v.problem(f"{path}.url", "an apprise URL such as 'wecombot://${WECOM_KEY}' or 'json://host:port/path'",
                      f"<{redact_push_url(url)}>")
            url = None
        min_level = _level(v, entry.get("min_level", 4), f"{path}.min_level")
        banks = v.str_list(entry, "banks", path)
        for bank in banks:
            if bank not in bank_ids:
                v.problem(f"{path}.banks", f"ids of [[banks]] entries ({', '.join(sorted(bank_ids))})", bank)
        categories = v.str_list(entry, "categories", path)
        for code in categories:
            if code not in category_codes:
                v.problem(f"{path}.categories", f"risk category codes ({', '.join(sorted(category_codes))})", code)
        quiet = _quiet(v, v.get(entry, "quiet_hours", str, path, None), f"{path}.quiet_hours")
        attach = v.get(entry, "attach", str, path, None)
        if attach is not None and attach not in ATTACHMENTS:
            v.problem(f"{path}.attach", f"one of {', '.join(ATTACHMENTS)}", attach)
            attach = None
        fmt = v.get(entry, "format", str, path, "auto")
        if fmt not in FORMATS:
            v.problem(f"{path}.format", f"one of {', '.join(FORMATS)}", fmt)
            fmt = "auto"
        language = v.get(entry, "language", str, path, None)
        if language is not None and language not in languages:
            v.problem(f"{path}.language", f"one of {', '.join(languages)}", language)
            language = None
        if name and url:
            out.append(PushChannel(name, url, min_level, banks, categories, quiet, attach, fmt, language,
                                   v.get(entry, "enabled", bool, path, True)))
    return tuple(out)


def _level(v: Validator, value: Any, key_path: str) -> int:
    if isinstance(value, str) and value.strip().lower() in LEVEL_WORDS:
        return LEVEL_WORDS[value.strip().lower()]
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 4:
        v.problem(key_path, "a level: 1 (一级, the most severe) to 4 (四级), or 一级…四级, or red/orange/yellow/blue",
                  value, "min_level = 2 receives 一级 and 二级")
        return 4
    return value


def _quiet(v: Validator, value: str | None, key_path: str) -> QuietHours | None:
    if value is None:
        return None
    m = _QUIET_RE.match(value)
    if m:
        h1, m1, h2, m2 = (int(x) for x in m.groups())
        if h1 < 24 and h2 < 24 and m1 < 60 and m2 < 60 and (h1, m1) != (h2, m2):
            return QuietHours(time(h1, m1), time(h2, m2))
    v.problem(key_path, "a span of local time such as '22:00-07:00'", value)
    return None
