"""Push channels, through apprise, and the push outbox.

Each ``[[push]]`` channel is an apprise URL; apprise speaks 企业微信, 钉钉 (with its signing secret),
飞书/Lark, e-mail, JSON webhooks and a hundred more, so reportgen has no client of its own for any
of them.  What a message says comes from :mod:`reportgen.report.alertmsg`; this module decides only
where and when it goes.

**The outbox** (``push_outbox``) holds one row per message an alert owes a channel:

- a ``new`` alert goes to each channel whose level, bank and category filters accept it, once;
- an alert that rises to a more severe level is pushed again, once per level, as an ``escalation``
  (升级); an incident that keeps growing at the same level is not pushed again;
- a 一级 alert nobody has acknowledged is pushed again as a ``reminder`` every
  ``remind_after_minutes`` (at most ``remind_max`` times) until someone acknowledges it;
- during a channel's quiet hours only 一级 goes out; the rest are ``held`` until they end (and
  dropped if the alert was acknowledged, resolved or overtaken by a more severe push meanwhile);
- a push that fails stays ``pending`` and is retried by the next fetch or run after a backoff
  (``retry_minutes``, doubling up to ``retry_max_minutes``); after ``max_age_hours`` it is
  ``expired`` and reported in the briefing's source status, never dropped silently.

Delivery is exactly once as far as a process can tell: a row is marked sent when apprise reports
the service accepted it; were the process killed in between, the next run would send it again.

**Secrets.**  A channel's URL names its secrets as ``${NAME}``; they are read from the environment
when a message is sent, and blotted out of every log record apprise or urllib3 writes meanwhile and
of every error stored in the outbox.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from reportgen.config.core import Config
from reportgen.config.push import PushChannel, redact_text
from reportgen.errors import ConfigError, RenderError
from reportgen.models import AlertIncident, PushRecord, PushState
from reportgen.store import incident_rows, push_rows
from reportgen.store.db import Store

if TYPE_CHECKING:
    import apprise

    from reportgen.report.alertmsg import PushMessage

log = logging.getLogger(__name__)

# The card colour (飞书) and icon apprise gives a message follow the level: 一级 red, 二级 and 三级 orange
# (the names of apprise.NotifyType's members; apprise itself is imported only to send).
NOTIFY_TYPES = {1: "FAILURE", 2: "WARNING", 3: "WARNING", 4: "INFO"}
LARK_SCHEMES = {"feishu", "lark"}  # their Markdown lives in a card: the lark_md form
# Robots that render Markdown although apprise sends them text by default; any other service gets
# Markdown (or HTML made from it, e-mail) only where that is its own default form.
MARKDOWN_SCHEMES = {"dingtalk", *LARK_SCHEMES}
# Loggers that may write a request's URL (and so a token) at debug level while a message is sent.
LEAKY_LOGGERS = ("apprise", "urllib3.connectionpool", "requests")
ALERT_PDF_DIR = "alerts"  # under settings.output_dir: the 舆情快报 PDFs


@dataclass(slots=True)
class PushPass:
    """What one pass over the push outbox did."""

    sent: list[PushRecord] = field(default_factory=list)
    failed: list[PushRecord] = field(default_factory=list)  # attempted, pending a retry
    held: list[PushRecord] = field(default_factory=list)  # quiet hours
    expired: list[PushRecord] = field(default_factory=list)


# --- sending --------------------------------------------------------------------------------------


def send_message(channel: PushChannel, message: PushMessage, *, attach: Path | None = None,
                 timeout_s: float = 20.0) -> str | None:
    """Send ``message`` to ``channel`` now: None when the service accepted it, else why not.

    The reason never holds a secret of the channel's.
    """
    import apprise  # heavy (~30 MB, a hundred plugins): only when a message is sent, not every fetch

    secrets = channel.secrets()
    try:
        url = channel.resolved_url()
    except ConfigError as exc:
        return str(exc)
    with _redacting(secrets) as problems:
        plugin = apprise.Apprise.instantiate(url, asset=_asset(), suppress_exceptions=True)
        if plugin is None:
            return redact_text(f"apprise cannot use the URL {channel.display_url}"
                               + (f": {problems[-1]}" if problems else ""), secrets)
        plugin.socket_connect_timeout = plugin.socket_read_timeout = timeout_s
        body, body_format = _flavour(channel, plugin, message)
        attachment = None
        if attach is not None and getattr(plugin, "attachment_support", False):
            attachment = apprise.AppriseAttachment()
            attachment.add(str(attach))
        try:
            notify_type = apprise.NotifyType[NOTIFY_TYPES.get(message.level, "INFO")]
            ok = plugin.notify(body=body, title=message.title, notify_type=notify_type,
                               body_format=body_format, attach=attachment)
        except Exception as exc:  # a plugin's bug must not stop the run: the push is retried
            return redact_text(f"{type(exc).__name__}: {exc}", secrets)
    if ok:
        return None
    reason = problems[-1] if problems else "the service did not accept the message"
    return redact_text(reason, secrets)


def _flavour(channel: PushChannel, plugin: apprise.plugins.NotifyBase, message: PushMessage,
             ) -> tuple[str, apprise.NotifyFormat]:
    """The form of the message the service renders best: Markdown for 钉钉 and where it is the
    service's own form (e-mail turns it into HTML), Feishu's card Markdown for 飞书/Lark, else plain
    text (企业微信's robot, a JSON webhook unless ``format = "markdown"``)."""
    import apprise  # only with a message to send (send_message imported it already)

    declared = plugin.notify_format
    default = declared[0] if isinstance(declared, tuple | list) else declared
    rich = channel.scheme in MARKDOWN_SCHEMES or default != apprise.NotifyFormat.TEXT
    if channel.format == "text" or (channel.format == "auto" and not rich):
        return message.text, apprise.NotifyFormat.TEXT
    if channel.scheme in LARK_SCHEMES:
        return message.lark_md, apprise.NotifyFormat.MARKDOWN
    return message.markdown, apprise.NotifyFormat.MARKDOWN


def _asset() -> apprise.AppriseAsset:
    import apprise  # only with a message to send (send_message imported it already)

    # memory only: apprise keeps nothing of a channel's on disk
    return apprise.AppriseAsset(app_id="reportgen", app_desc="reportgen 舆情预警", app_url="",
                                storage_mode="memory")


class _Redactor(logging.Filter):
    """Blots the channel's secrets out of every record, and keeps apprise's warnings as the reason a
    send failed."""

    def __init__(self, secrets: Sequence[str]) -> None:
        super().__init__()
        self.secrets = secrets
        self.problems: list[str] = []

    def filter(self, record: logging.LogRecord) -> bool:
        text = redact_text(record.getMessage(), self.secrets)
        record.msg, record.args = text, ()
        if record.name == "apprise" and record.levelno >= logging.WARNING:
            self.problems.append(text)
        return True


@contextmanager
def _redacting(secrets: Sequence[str]) -> Iterator[list[str]]:
    redactor = _Redactor(secrets)
    loggers = [logging.getLogger(name) for name in LEAKY_LOGGERS]
    for logger in loggers:
        logger.addFilter(redactor)
    try:
        yield redactor.problems
    finally:
        for logger in loggers:
            logger.removeFilter(redactor)


# --- the outbox: what is owed ---------------------------------------------------------------------


def plan(store: Store, config: Config, changes: Sequence[tuple[AlertIncident, str]], now: datetime) -> int:
    """Enqueue what the channels are owed for the incidents an evaluation saw: a new alert once per
    channel, an escalation once per level.  Returns how many pushes were added."""
    channels = config.push.enabled_channels
    if not channels or not changes:
        return 0
    owed = push_rows.for_incidents(store, [i.incident_id for i, _ in changes])
    rows = []
    for incident, change in changes:
        if incident.state == "resolved":
            continue
        for channel in channels:
            if not channel.accepts(incident.level, incident.bank_id, incident.category):
                continue
            before = [r for r in owed if r.incident_id == incident.incident_id and r.channel == channel.name
                      and r.reason != "reminder"]
            if not before:
                if incident.state != "open" and change != "escalated":
                    continue  # taken already; a channel added since need not hear of it
                reason = "escalation" if change == "escalated" else "new"
            elif incident.level < min(r.level for r in before):
                reason = "escalation"
            else:
                continue  # this channel has had this level (or a more severe one)
            rows.append(_row(incident.incident_id, channel.name, incident.level, reason, 0, now))
    return push_rows.enqueue(store, rows)


def plan_reminders(store: Store, config: Config, now: datetime) -> int:
    """Enqueue a reminder for every 一级 alert still unacknowledged ``remind_after_minutes`` after its
    last push to a channel (at most ``remind_max`` per channel)."""
    settings = config.push.intraday
    channels = {c.name: c for c in config.push.enabled_channels}
    if not settings.remind_max or not channels:
        return 0
    open_ones = incident_rows.open_at_level(store, 1, now - timedelta(hours=settings.max_age_hours))
    owed = push_rows.for_incidents(store, [i.incident_id for i in open_ones])
    wait = timedelta(minutes=settings.remind_after_minutes)
    rows = []
    for incident in open_ones:
        mine = [r for r in owed if r.incident_id == incident.incident_id]
        for name, channel in channels.items():
            if not channel.accepts(incident.level, incident.bank_id, incident.category):
                continue
            ours = [r for r in mine if r.channel == name and r.level == 1]
            sent = [r.sent_at for r in ours if r.state == PushState.SENT and r.sent_at]
            reminders = [r for r in ours if r.reason == "reminder"]
            if not sent or len(reminders) >= settings.remind_max:
                continue
            if any(r.state in push_rows.WAITING for r in reminders) or now - max(sent) < wait:
                continue
            rows.append(_row(incident.incident_id, name, 1, "reminder", len(reminders) + 1, now))
    return push_rows.enqueue(store, rows)


def _row(incident_id: int, channel: str, level: int, reason: str, seq: int, now: datetime) -> dict[str, object]:
    return {"incident_id": incident_id, "channel": channel, "level": level, "reason": reason, "seq": seq,
            "state": PushState.PENDING, "attempts": 0, "created_at": now, "next_attempt_at": now}


# --- the outbox: sending what is due --------------------------------------------------------------


def process(store: Store, config: Config, now: datetime) -> PushPass:
    """Send every push that is due: expire the old, hold what quiet hours hold, drop what nobody
    needs any more, and retry the failed after their backoff."""
    result = PushPass()
    waiting = push_rows.waiting(store)
    if not waiting:
        return result
    settings = config.push.intraday
    incidents = {i.incident_id: i for i in incident_rows.by_ids(store, {r.incident_id for r in waiting})}
    everything = push_rows.for_incidents(store, incidents)
    local_now = now.astimezone(config.settings.tz)
    pdfs: dict[tuple[int, int], Path | None] = {}
    for record in waiting:
        channel = config.push.channel(record.channel)
        incident = incidents[record.incident_id]
        dropped = _why_dropped(record, channel, incident, everything)
        if dropped:
            push_rows.update(store, record.push_id, state=PushState.CANCELLED, last_error=dropped)
            continue
        assert channel is not None
        if now - record.created_at > timedelta(hours=settings.max_age_hours):
            expired = push_rows.update(store, record.push_id, state=PushState.EXPIRED)
            log.error("push of alert %d to %s expired undelivered after %d attempt(s): %s", record.incident_id,
                      record.channel, record.attempts, record.last_error or "never attempted")
            result.expired.append(expired)
            continue
        if record.level > 1 and channel.quiet_at(local_now):
            if record.state != PushState.HELD:
                record = push_rows.update(store, record.push_id, state=PushState.HELD,
                                          last_error=f"held: quiet hours {channel.quiet_hours}")
            result.held.append(record)
            continue
        if record.state == PushState.PENDING and record.next_attempt_at > now:
            if record.attempts:
                result.failed.append(record)  # still waiting out its backoff
            continue
        result_record = _attempt(store, config, channel, incident, record, everything, now, pdfs)
        (result.sent if result_record.state == PushState.SENT else result.failed).append(result_record)
    return result


def _why_dropped(record: PushRecord, channel: PushChannel | None, incident: AlertIncident,
                 everything: Sequence[PushRecord]) -> str | None:
    """Why a waiting push need not go out any more, or None."""
    if channel is None or not channel.enabled:
        return f"cancelled: channel {record.channel!r} is no longer configured"
    if incident.state == "resolved":
        return "cancelled: resolved"
    if incident.state == "acked" and record.reason != "escalation":
        return f"cancelled: acknowledged by {incident.acked_by}"
    overtaken = [r for r in everything if r.incident_id == record.incident_id and r.channel == record.channel
                 and r.level < record.level and r.state in (PushState.SENT, *push_rows.WAITING)]
    if overtaken and record.reason != "reminder":
        return "cancelled: a more severe level went out instead"
    return None


def _attempt(store: Store, config: Config, channel: PushChannel, incident: AlertIncident, record: PushRecord,
             everything: Sequence[PushRecord], now: datetime, pdfs: dict[tuple[int, int], Path | None],
             ) -> PushRecord:
    language = channel.language or config.settings.language
    earlier = [r.level for r in everything if r.incident_id == record.incident_id and r.channel == record.channel
               and r.level > record.level]
    previous = max(earlier) if earlier else incident.first_level
    # what a message says (and the renderer behind it) only when there is a message to send
    from reportgen.report.alertmsg import compose

    message = compose(incident, config, record.reason, language, now, previous_level=previous)
    attach = _pdf(incident, config, language, now, pdfs) if channel.attach == "pdf" else None
    error = send_message(channel, message, attach=attach, timeout_s=config.push.intraday.timeout_s)
    attempts = record.attempts + 1
    if error is None:
        log.info("pushed alert %d (%s, L%d) to %s", record.incident_id, record.reason, record.level, record.channel)
        return push_rows.update(store, record.push_id, state=PushState.SENT, attempts=attempts, sent_at=now,
                                last_attempt_at=now, last_error=None)
    settings = config.push.intraday
    backoff = min(settings.retry_minutes * 2 ** (attempts - 1), settings.retry_max_minutes)
    log.error("push of alert %d to %s failed (attempt %d, next in %g min): %s", record.incident_id,
              record.channel, attempts, backoff, error)
    return push_rows.update(store, record.push_id, state=PushState.PENDING, attempts=attempts, last_attempt_at=now,
                            next_attempt_at=now + timedelta(minutes=backoff), last_error=error)


def _pdf(incident: AlertIncident, config: Config, language: str, now: datetime,
         made: dict[tuple[int, int], Path | None]) -> Path | None:
    """The incident's 舆情快报, made once per incident and level in a pass; None if it cannot be made
    (the message goes without it)."""
    key = (incident.incident_id, incident.level)
    if key not in made:
        from reportgen.report.alertmsg import flash_pdf  # the renderer (WeasyPrint), only for a PDF to attach

        try:
            made[key] = flash_pdf(incident, config, language, now, config.settings.output_dir / ALERT_PDF_DIR)
        except RenderError as exc:
            log.warning("the 舆情快报 for alert %d could not be made, pushed without it: %s",
                        incident.incident_id, exc)
            made[key] = None
    return made[key]

