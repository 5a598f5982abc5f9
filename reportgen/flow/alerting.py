"""Alerts within minutes: after each fetch, the rolling window's alerts and their pushes; and the
follow-up commands (``alerts ack``, ``alerts resolve``, ``push --test``).

``fetch`` and ``run`` call :func:`alert_now` under the run lock, after the new items are stored,
judged and clustered, so cron can run ``reportgen fetch`` every 10 minutes and an alert reaches
the duty desk within minutes of the item that raised it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime

from reportgen.config.core import Config
from reportgen.deliver import push
from reportgen.errors import DataError
from reportgen.insight import followup
from reportgen.models import AlertIncident, IntradayOutcome
from reportgen.store.db import Store

log = logging.getLogger(__name__)


def alert_now(store: Store, config: Config, now: datetime) -> IntradayOutcome | None:
    """Raise the alerts of the window ending ``now``, record them as incidents, enqueue what each
    push channel is owed (new, escalated, reminders) and send what is due.  None when
    ``[alerts.intraday] enabled = false``."""
    if not config.push.intraday.enabled:
        return None
    start, observations = followup.evaluate_window(store, config, now)
    changes = followup.observe(store, config, observations, now)
    push.plan(store, config, changes, now)
    push.plan_reminders(store, config, now)
    passed = push.process(store, config, now)
    outcome = IntradayOutcome(start, now, changes, passed.sent, passed.failed, passed.held, passed.expired)
    log.info("%s", outcome.summary())
    return outcome


def acknowledge(config: Config, alert_id: int, by: str, note: str | None = None,
                now: datetime | None = None) -> AlertIncident:
    """``reportgen alerts ack``: record who took the alert (处理中); its reminders stop."""
    store = Store.open(config.settings.database)
    return followup.acknowledge(store, alert_id, by, note, now or datetime.now(UTC))


def resolve(config: Config, alert_id: int, by: str | None = None, note: str | None = None,
            now: datetime | None = None) -> AlertIncident:
    """``reportgen alerts resolve``: the alert was dealt with (已处置)."""
    store = Store.open(config.settings.database)
    return followup.resolve(store, alert_id, by, note, now or datetime.now(UTC))


@dataclass(frozen=True, slots=True)
class ChannelCheck:
    channel: str
    service: str
    url: str  # redacted
    error: str | None  # None: the service accepted it

    @property
    def ok(self) -> bool:
        return self.error is None


def check_channels(config: Config, channel: str | None = None, now: datetime | None = None) -> list[ChannelCheck]:
    """``reportgen push --test [CHANNEL]``: a test message to each configured channel (or one), sent
    now, outside the outbox."""
    channels = config.push.channels
    if channel is not None:
        found = config.push.channel(channel)
        if found is None:
            known = ", ".join(c.name for c in channels) or "none configured"
            raise DataError(f"no push channel named {channel!r} (channels: {known})")
        channels = (found,)
    if not channels:
        raise DataError("no push channel is configured", hint="add a [[push]] entry to sources.toml")
    now = now or datetime.now(UTC)
    from reportgen.report.alertmsg import compose_test  # what a message says: not loaded by every fetch

    out = []
    for c in channels:
        message = compose_test(c.name, c.language or config.settings.language, now, config.settings.tz)
        error = push.send_message(c, message, timeout_s=config.push.intraday.timeout_s)
        out.append(ChannelCheck(c.name, c.scheme, c.display_url, error))
    return out
