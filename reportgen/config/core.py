"""``sources.toml`` → frozen, validated objects.

Validation collects *every* problem before failing, and each message names the file, the line
where it can be found, the key path, what was expected, what was found, and a hint.  Unknown keys
are rejected: a typo such as ``chanel`` must not silently fall back to a default.

Relative paths (``output_dir``, a relative SQLite path in ``database``) are resolved against the
directory of the config file, never against the working directory, so cron can run from ``/``.
"""

from __future__ import annotations

import errno
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode, urlsplit, urlunsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from reportgen.config.delivery import EmailSettings, RunSettings, validate_email, validate_run
from reportgen.config.events import EventsConfig, validate_events
from reportgen.config.execution import ExecutionSettings, validate_execution
from reportgen.config.push import PushConfig, validate_push
from reportgen.config.report import ReportSettings, validate_report
from reportgen.config.scoring import ScoringSettings, validate_scoring
from reportgen.config.validator import Validator, closest, kind_name, strip_zero_width, zero_width_names
from reportgen.errors import ConfigError
from reportgen.models import FetchRequest

CHANNELS = ("print", "broadcast", "online", "social", "regulator", "complaint")
ROLES = ("self", "competitor")
LANGUAGES = ("zh", "en")
DEFAULT_CONFIG_NAME = "sources.toml"
CONFIG_ENV = "REPORTGEN_CONFIG"

_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,63}$")
# Windows editors (Notepad) start a UTF-8 file with a byte order mark, which TOML does not allow.
_BOM = "\ufeff"
_URL_PASSWORD_RE = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*://[^:@/?#]*:).*@", re.DOTALL)
# A query parameter whose name says it holds a secret: password, sslpassword, passwd, pwd, passfile,
# secret, client_secret, token, api_key, sslkey, access_key, auth, credentials …  (libpq and the
# drivers take several of these in the URL; hiding one that is only a path costs nothing)
_QUERY_PASSWORD_RE = re.compile(
    r"(?i)([?&;])([^=&#;]*(?:pass|pwd|secret|token|key|auth|credential)[^=&#;]*)=[^&#;]*")
MAX_TIMEOUT_S = 3600.0  # a fetch that has not finished in an hour is not coming; more overflows a socket's timeout
# [fetch]: each number's range (lowest, highest, unit); retries may be 0, every other one must be above it
_FETCH_RANGES: dict[str, tuple[float, float, str]] = {
    "concurrency": (0, 1000, " requests"), "per_host": (0, 1000, " requests"), "retries": (0, 10, ""),
    "connect_timeout_s": (0, MAX_TIMEOUT_S, " s"), "read_timeout_s": (0, MAX_TIMEOUT_S, " s"),
    "timeout_s": (0, MAX_TIMEOUT_S, " s"), "max_body_mb": (0, 1024, " MiB"), "max_decompressed_mb": (0, 4096, " MiB"),
    "deadline_s": (0, 86400, " s"),
}


@dataclass(frozen=True, slots=True)
class Settings:
    timezone: str = "Asia/Shanghai"
    language: str = "zh"
    output_dir: Path = Path("reports")
    database: str = "sqlite:///reportgen.db"
    organisation: str = "品牌与舆情管理部"
    report_title: str = ""  # empty: the language's default (银行舆情日报 / Bank Media Monitoring Daily)
    template_dir: Path | None = None  # user overrides, searched before the shipped templates

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


@dataclass(frozen=True, slots=True)
class FetchSettings:
    concurrency: int = 16
    per_host: int = 4
    connect_timeout_s: float = 10.0
    read_timeout_s: float = 20.0
    timeout_s: float = 60.0
    retries: int = 2
    max_body_mb: float = 10.0
    max_decompressed_mb: float = 50.0
    allow_private_redirects: bool = False  # a public source may redirect to a loopback/private address
    deadline_s: float = 300.0  # the whole fetch stage: sources still unanswered then fail with that reason


@dataclass(frozen=True, slots=True)
class RsshubConfig:
    base_url: str | None = None
    access_key_env: str | None = None

    def access_key(self) -> str | None:
        """The key from the environment; it is never stored in the file."""
        if not self.access_key_env:
            return None
        return os.environ.get(self.access_key_env) or None


@dataclass(frozen=True, slots=True)
class SourceConfig:
    id: str
    name: str
    channel: str
    url: str | None = None
    route: str | None = None
    weight: float = 1.0
    enabled: bool = True
    timeout_s: float | None = None
    headers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class BankConfig:
    id: str
    name: str
    aliases: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    role: str = "competitor"
    name_en: str | None = None  # the English report's name; default: config/banks_en.py, else ``name``

    @property
    def terms(self) -> tuple[str, ...]:
        """The display name and every alias, de-duplicated, in config order."""
        return tuple(dict.fromkeys((self.name, *self.aliases)))


@dataclass(frozen=True, slots=True)
class Config:
    path: Path
    settings: Settings
    rsshub: RsshubConfig
    fetch: FetchSettings
    sources: tuple[SourceConfig, ...]
    banks: tuple[BankConfig, ...]
    warnings: tuple[str, ...] = field(default=())
    email: EmailSettings = field(default_factory=EmailSettings)  # [email]: see config_delivery.py
    run: RunSettings = field(default_factory=RunSettings)  # [run]
    scoring: ScoringSettings = field(default_factory=ScoringSettings)  # [scoring], [categories.*]
    events: EventsConfig = field(default_factory=EventsConfig)  # [events], [heat], [alerts], [playbook.*]
    report: ReportSettings = field(default_factory=ReportSettings)  # [report]: see config_report.py
    execution: ExecutionSettings = field(default_factory=ExecutionSettings)  # [execution]: config_execution.py
    push: PushConfig = field(default_factory=PushConfig)  # [[push]], [alerts.intraday]: config/push.py

    def source(self, source_id: str) -> SourceConfig | None:
        return next((s for s in self.sources if s.id == source_id), None)

    def bank(self, bank_id: str) -> BankConfig | None:
        return next((b for b in self.banks if b.id == bank_id), None)

    @property
    def enabled_sources(self) -> tuple[SourceConfig, ...]:
        return tuple(s for s in self.sources if s.enabled)

    def source_url(self, source: SourceConfig, *, with_key: bool = True) -> str:
        """The URL to fetch: ``url`` as given, or ``rsshub.base_url`` + ``route`` (+ ``?key=``)."""
        if source.url:
            return source.url
        assert source.route is not None and self.rsshub.base_url  # guaranteed by validation
        base = self.rsshub.base_url.rstrip("/")
        route = source.route if source.route.startswith("/") else "/" + source.route
        url = base + quote(route, safe="/:@!$&'()*+,;=-._~%")
        key = self.rsshub.access_key() if with_key else None
        if key:
            parts = urlsplit(url)
            query = parts.query + ("&" if parts.query else "") + urlencode({"key": key})
            url = urlunsplit(parts._replace(query=query))
        return url

    def fetch_requests(self) -> list[FetchRequest]:
        return [
            FetchRequest(
                source_id=s.id,
                url=self.source_url(s),
                display_url=self.source_url(s, with_key=False),
                timeout_s=s.timeout_s,
                headers=s.headers,
            )
            for s in self.enabled_sources
        ]


# --- loading ------------------------------------------------------------------------------------


def default_config_path() -> Path:
    env = os.environ.get(CONFIG_ENV)
    return Path(env) if env else Path(DEFAULT_CONFIG_NAME)


def load_config(path: str | os.PathLike[str] | None = None) -> Config:
    """Read and validate a config file; raise :class:`ConfigError` listing every problem."""
    cfg_path = Path(path) if path is not None else default_config_path()
    try:
        raw_bytes = cfg_path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(
            f"{cfg_path}: config file not found",
            hint=f"pass --config PATH, set ${CONFIG_ENV}, or copy the shipped sources.toml",
        ) from None
    except OSError as exc:
        raise ConfigError(f"{cfg_path}: cannot read config: {exc.strerror or exc}") from None
    try:
        text = raw_bytes.decode("utf-8").removeprefix(_BOM)
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"{cfg_path}: not valid UTF-8 (byte {exc.start})", hint="save the file as UTF-8"
        ) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{cfg_path}: invalid TOML: {exc}") from None
    return _ConfigBuilder(cfg_path.resolve(), text).build(data)


def parse_config_text(text: str, path: Path) -> Config:
    """Validate config text as if it were stored at ``path`` (used by tests and the demo)."""
    text = text.removeprefix(_BOM)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    return _ConfigBuilder(path.resolve(), text).build(data)


class _ConfigBuilder(Validator):
    """The core sections (settings, rsshub, fetch, banks, sources); the others have modules of their own."""

    # -- sections --

    def build(self, data: dict[str, Any]) -> Config:
        top_allowed = {"settings", "rsshub", "fetch", "sources", "banks", "email", "run", "scoring", "categories",
                       "report", "events", "heat", "alerts", "playbook", "execution", "push"}
        for key in data:
            if key not in top_allowed:
                close = closest(key, top_allowed)
                self.problem(key, f"one of the known sections ({', '.join(sorted(top_allowed))})",
                             "<unknown section>", f"did you mean {close!r}?" if close else None)
        settings = self._settings(data)
        rsshub = self._rsshub(data)
        fetch = self._fetch(data)
        banks = self._banks(data)
        sources = self._sources(data, rsshub)
        email, run = validate_email(self, data, settings.language), validate_run(self, data)
        scoring = validate_scoring(self, data)
        events = validate_events(self, data, CHANNELS)
        report = validate_report(self, data)
        execution = validate_execution(self, data)
        push = validate_push(self, data, [b.id for b in banks], [c.code for c in scoring.category_rules()], LANGUAGES)
        if self.problems:
            count = len(self.problems)
            raise ConfigError(
                [f"{self.path}: {count} problem{'s' if count > 1 else ''} in config:", *self.problems],
                hint="run `reportgen config check` after editing; see the comments in the shipped sources.toml",
            )
        return Config(self.path, settings, rsshub, fetch, sources, banks, tuple(self.warnings), email=email, run=run,
                      scoring=scoring, report=report, events=events, execution=execution, push=push)

    def _settings(self, data: Mapping[str, Any]) -> Settings:
        allowed = {"timezone", "language", "output_dir", "database", "organisation", "report_title",
                   "template_dir", "templates_dir"}
        t = self.table(data, "settings", allowed, "settings")
        d = Settings()
        tz = self.get(t, "timezone", str, "settings", d.timezone)
        try:
            ZoneInfo(tz)
        except (ZoneInfoNotFoundError, ValueError):
            self.problem("settings.timezone", "an IANA time zone name such as 'Asia/Shanghai'", tz)
            tz = d.timezone
        lang = self.get(t, "language", str, "settings", d.language)
        if lang not in LANGUAGES:
            self.problem("settings.language", f"one of {', '.join(LANGUAGES)}", lang)
            lang = d.language
        output_dir = self.path.parent / self.get(t, "output_dir", str, "settings", str(d.output_dir))
        database = self._database(self.get(t, "database", str, "settings", d.database))
        template_dir = self._template_dir(*self._template_dir_key(t))
        return Settings(
            timezone=tz,
            language=lang,
            output_dir=output_dir,
            database=database,
            organisation=self.get(t, "organisation", str, "settings", d.organisation),
            report_title=self.get(t, "report_title", str, "settings", d.report_title),
            template_dir=template_dir,
        )

    def _template_dir_key(self, t: Mapping[str, Any]) -> tuple[str | None, str]:
        """``template_dir``, or its other spelling ``templates_dir`` (the same setting), and the key used."""
        singular = self.get(t, "template_dir", str, "settings", None)
        plural = self.get(t, "templates_dir", str, "settings", None)
        if singular is not None and plural is not None and singular != plural:
            self.problem("settings.templates_dir", f"the same folder as settings.template_dir ({singular!r}), or "
                         "only one of the two keys", plural, "template_dir and templates_dir are one setting: "
                         "keep one of them")
        if plural is not None and singular is None:
            return plural, "settings.templates_dir"
        return singular, "settings.template_dir"

    def _template_dir(self, value: str | None, key: str = "settings.template_dir") -> Path | None:
        """The override folder, which must exist: a typo would silently give the shipped templates."""
        if not value:
            return None
        path = self.path.parent / Path(value).expanduser()
        try:
            path.resolve(strict=True)
        except (OSError, RuntimeError) as exc:  # RuntimeError: a symlink loop, before Python 3.13
            looping = isinstance(exc, RuntimeError) or getattr(exc, "errno", None) == errno.ELOOP
            self.problem(key, "an existing folder of template overrides",
                         f"<{path}: a symbolic link loop>" if looping else f"<{path}: no such folder>",
                         "fix the symbolic links" if looping
                         else "create it, or remove the key to use the shipped templates")
            return None
        if not path.is_dir():
            self.problem(key, "an existing folder of template overrides", f"<{path}: not a folder>")
            return None
        return path

    def _database(self, url: str) -> str:
        """Resolve a relative SQLite path against the config file's directory."""
        if not re.match(r"^[a-z][a-z0-9+]*://", url):
            self.problem("settings.database", "an SQLAlchemy URL such as 'sqlite:///reportgen.db'", redact_url(url))
            return "sqlite:///" + str(self.path.parent / "reportgen.db")
        if url.startswith("sqlite:///") and not url.startswith("sqlite:////"):
            rel = url[len("sqlite:///"):]
            if rel and rel != ":memory:":
                return "sqlite:///" + str(self.path.parent / rel)
        return url

    def _rsshub(self, data: Mapping[str, Any]) -> RsshubConfig:
        t = self.table(data, "rsshub", {"base_url", "access_key_env", "access_key"}, "rsshub")
        if "access_key" in t:
            # The key is a secret: it must never live in a file that is copied around and committed.
            self.problem("rsshub.access_key", "no secret in the file", "<a key>",
                         "put the key in an environment variable and name it in access_key_env")
        base_url = self.get(t, "base_url", str, "rsshub", None)
        if base_url is not None and not _is_http_url(base_url):
            self.problem("rsshub.base_url", "an http(s) URL such as 'http://127.0.0.1:1200'", base_url)
            base_url = None
        env = self.get(t, "access_key_env", str, "rsshub", None)
        if env is not None and not re.match(r"^[A-Za-z_][A-Za-z0-9_]*$", env):
            self.problem("rsshub.access_key_env", "an environment variable name", env)
            env = None
        return RsshubConfig(base_url=base_url, access_key_env=env)

    def _fetch(self, data: Mapping[str, Any]) -> FetchSettings:
        d = FetchSettings()
        names = set(FetchSettings.__slots__)
        t = self.table(data, "fetch", names, "fetch")
        values: dict[str, Any] = {}
        for name in names:
            default = getattr(d, name)
            if isinstance(default, bool):  # a switch, not a limit
                values[name] = self.get(t, name, bool, "fetch", default)
                continue
            low, high, unit = _FETCH_RANGES[name]
            values[name] = self.number(t, name, "fetch", default, low, high, low_open=name != "retries", unit=unit)
        return FetchSettings(**values)

    def _banks(self, data: Mapping[str, Any]) -> tuple[BankConfig, ...]:
        raw = data.get("banks", [])
        if not isinstance(raw, list):
            self.problem("banks", "an array of tables ([[banks]])", type(raw).__name__)
            return ()
        if not raw:
            self.problem("banks", "at least one [[banks]] entry", "<none>",
                         "list the bank you monitor with role = \"self\"")
        banks: list[BankConfig] = []
        seen: dict[str, int] = {}
        for i, entry in enumerate(raw):
            path = f"banks[{i}]"
            if not isinstance(entry, dict):
                self.problem(path, "a table", f"<{kind_name(type(entry))}>")
                continue
            self.table({"b": entry}, "b", {"id", "name", "name_en", "aliases", "exclude", "role"}, path)
            bank_id = self.get(entry, "id", str, path, required=True)
            name = self.get(entry, "name", str, path, required=True)
            role = self.get(entry, "role", str, path, "competitor")
            name_en = self.get(entry, "name_en", str, path, None)
            if role not in ROLES:
                self.problem(f"{path}.role", f"one of {', '.join(ROLES)}", role)
            if bank_id is not None:
                self._check_id(bank_id, f"{path}.id", seen, i, "banks")
            if name is not None and not name.strip():
                # a bank without a name cannot be matched or shown: dropping it would leave a report
                # that silently monitors nobody (本期未监测到重大负面舆情)
                self.problem(f"{path}.name", "the bank's name, as the news writes it", name,
                             "e.g. name = \"中国工商银行\", with its short forms in aliases")
                continue
            if bank_id and name:
                label = f"{path} ({bank_id})"
                name = self._term(name.strip(), f"{path}.name", label, "name")
                aliases = tuple(self._term(a, f"{path}.aliases", label, "alias")
                                for a in self.str_list(entry, "aliases", path))
                banks.append(BankConfig(bank_id, name, tuple(a for a in aliases if a),
                                        tuple(self._term(e, f"{path}.exclude", label, "exclusion", short_ok=True)
                                              for e in self.str_list(entry, "exclude", path)), role,
                                        name_en.strip() if name_en and name_en.strip() else None))
        if raw and not banks:
            self.problem("banks", "at least one bank with an id and a name", "<none usable>",
                         "fix the [[banks]] entries above; without a bank nothing is monitored")
        if banks and not any(b.role == "self" for b in banks):
            self.warnings.append(f"{self.path}: no bank has role = \"self\"; reports show no own-bank KPIs")
        return tuple(banks)

    def _sources(self, data: Mapping[str, Any], rsshub: RsshubConfig) -> tuple[SourceConfig, ...]:
        raw = data.get("sources", [])
        if not isinstance(raw, list):
            self.problem("sources", "an array of tables ([[sources]])", type(raw).__name__)
            return ()
        allowed = {"id", "name", "url", "route", "channel", "weight", "enabled", "timeout", "headers"}
        sources: list[SourceConfig] = []
        seen: dict[str, int] = {}
        for i, entry in enumerate(raw):
            path = f"sources[{i}]"
            if not isinstance(entry, dict):
                self.problem(path, "a table", f"<{kind_name(type(entry))}>")
                continue
            self.table({"s": entry}, "s", allowed, path)
            source_id = self.get(entry, "id", str, path, required=True)
            name = self.get(entry, "name", str, path, source_id)
            if source_id is not None:
                self._check_id(source_id, f"{path}.id", seen, i, "sources")
            url = self.get(entry, "url", str, path)
            route = self.get(entry, "route", str, path)
            if url and route:
                self.problem(f"{path}.route", "either url or route, not both", route)
            elif not url and not route:
                self.problem(f"{path}.url", "a feed URL, or an RSSHub route", "<missing>",
                             "e.g. url = \"https://example.com/feed.xml\" or route = \"/cls/telegraph\"")
            if url and not _is_http_url(url):
                self.problem(f"{path}.url", "an http(s) URL with a host (and a port from 1 to 65535)", url)
            if route and not rsshub.base_url:
                self.problem(f"{path}.route", "[rsshub] base_url to be set for routes", route,
                             "add base_url = \"http://your-rsshub:1200\" under [rsshub]")
            channel = self.get(entry, "channel", str, path, required=True)
            if channel is not None and channel not in CHANNELS:
                self.problem(f"{path}.channel", f"one of {', '.join(CHANNELS)}", channel)
            weight = self.get(entry, "weight", (int, float), path, 1.0)
            if not 0 <= weight <= 10:
                self.problem(f"{path}.weight", "a number between 0 and 10", weight)
            timeout = self.get(entry, "timeout", (int, float), path, None)
            if timeout is not None and not 0 < timeout <= MAX_TIMEOUT_S:
                self.problem(f"{path}.timeout", f"a positive number of seconds, at most {MAX_TIMEOUT_S:g}", timeout)
                timeout = None
            headers_raw = self.get(entry, "headers", dict, path, {})
            headers: list[tuple[str, str]] = []
            for key, value in headers_raw.items():
                if not isinstance(value, str) or not re.match(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$", key):
                    # the value is not shown: a header such as Authorization carries a secret
                    self.problem(f"{path}.headers.{key}", "an HTTP header name with a string value",
                                 f"<{kind_name(type(value))} value>")
                elif (sendable := _header_value(value)) is None:
                    control = _HEADER_CONTROL_RE.search(value) is not None
                    self.problem(f"{path}.headers.{key}", "a header value in ASCII without control characters",
                                 f"<a value with {'control' if control else 'non-ASCII'} characters>",
                                 "remove the line break or control character" if control else
                                 "percent-encode it (a URL, such as a Referer, is encoded as a browser would)")
                else:
                    headers.append((key, sendable))
            if source_id and channel in CHANNELS:
                sources.append(SourceConfig(
                    id=source_id, name=name or source_id, channel=channel, url=url, route=route,
                    weight=float(weight), enabled=self.get(entry, "enabled", bool, path, True),
                    timeout_s=float(timeout) if timeout else None, headers=tuple(headers),
                ))
        return tuple(sources)

    def _term(self, term: str, key_path: str, label: str, what: str, *, short_ok: bool = False) -> str:
        """A bank name, alias or exclusion without zero-width characters; warn about them, and about
        an alias of one character, which would match almost every item."""
        clean = strip_zero_width(term)
        if clean == term and (len(clean) != 1 or short_ok):
            return clean
        line = self.line_of(key_path)
        where = f"{self.path}:{line}" if line else str(self.path)
        if clean != term:
            self.warnings.append(
                f"{where}: {label}: {what} {term!r} contains zero-width characters ({zero_width_names(term)}) "
                f"that no editor shows and no text matches: removed, now {clean!r}")
            if not clean:
                self.problem(key_path, "a term with visible characters", repr(term))
        if len(clean) == 1 and not short_ok:
            if _is_cjk(clean):
                why = ("a single Chinese character occurs inside countless words (行 in 银行, 进行, 行业), "
                       "so almost every item would mention this bank")
            elif clean.isalpha():
                why = "a single letter matches it standing alone (a pronoun, an initial, a list label) in any text"
            else:
                why = "a single character matches almost everything"
            self.warnings.append(f"{where}: {label}: {what} {clean!r} is a single character: {why}; "
                                 "use a name or abbreviation of two or more characters")
        return clean

    def _check_id(self, value: str, path: str, seen: dict[str, int], index: int, table: str) -> None:
        if not _ID_RE.match(value):
            self.problem(path, "an id of lower-case letters, digits, '-', '_' or '.'", value)
        if value in seen:
            self.problem(path, "a unique id", value, f"{table}[{seen[value]}] already uses {value!r}")
        else:
            seen[value] = index


def _is_cjk(char: str) -> bool:
    """A CJK ideograph (the unified blocks and their extensions, compatibility ideographs)."""
    code = ord(char)
    return 0x3400 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF or 0x20000 <= code <= 0x3134F


def redact_url(url: str) -> str:
    """``url`` with its password hidden (``user:***@host``, and ``password=***``, ``sslpassword=***`` and
    every other secret-looking query parameter), for output and logs."""
    # Up to the last "@": a password written without percent-encoding may hold "@", "/", "#" or "?",
    # and hiding too much is better than showing a piece of it.
    url = _URL_PASSWORD_RE.sub(r"\1***@", url, count=1)
    return _QUERY_PASSWORD_RE.sub(r"\1\2=***", url)


def _is_http_url(url: str) -> bool:
    try:
        parts = urlsplit(url)
        port = parts.port  # raises ValueError beyond 65535: no socket can connect to it
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname) and port != 0


_HEADER_CONTROL_RE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f]")


def _header_value(value: str) -> str | None:
    """``value`` as it can go on the wire: HTTP header values are ASCII.  A URL with non-ASCII
    characters (``Referer = "https://weibo.com/搜索"``) is encoded as a browser would send it;
    anything else non-ASCII, and any control character, is ``None``."""
    if _HEADER_CONTROL_RE.search(value):
        return None
    if value.isascii():
        return value
    if not _is_http_url(value):
        return None
    parts = urlsplit(value)
    host = parts.hostname or ""
    netloc = parts.netloc
    if not host.isascii():
        try:
            ascii_host = host.encode("idna").decode("ascii")
        except UnicodeError:
            return None
        netloc = netloc.replace(host, ascii_host)  # (hostname is lower-cased: then try the whole netloc so)
        if not netloc.isascii():
            netloc = netloc.lower().replace(host, ascii_host)
    encoded = urlunsplit((parts.scheme, netloc, *(quote(p, safe="".join(map(chr, range(0x21, 0x7f))))
                                                  for p in (parts.path, parts.query, parts.fragment))))
    return encoded if encoded.isascii() else None
