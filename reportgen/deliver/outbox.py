"""The outbox: every generated report, its mail, and where that mail stands.

A report is recorded when it is made, with its composed mail.  The mail leaves the outbox only
when the SMTP server has accepted it for every recipient: while the relay is down or refuses, the
entry stays ``pending`` with the attempt count and the last error, and every ``run`` and ``send``
tries again.  A relay that accepts some recipients and refuses others (``550 mailbox unavailable``
for the executive in To, say) leaves the entry ``pending`` for the refused ones only: its
``recipients`` become the addresses still owed the mail, so a retry never reaches anyone twice.
An entry older than ``run.outbox_max_age_h`` is ``expired`` instead of sent: yesterday's briefing
arriving two days late helps nobody, but it is reported, never dropped silently.

States::

    pending     composed, not yet accepted by the relay for every recipient (retried by run and send)
    sent        accepted by the relay for every recipient (the stored message bytes are then dropped)
    failed      over email.max_size_mb: not retried while it is, counts as undelivered; the message is
                kept and checked again by every pass, so raising the limit and running ``send`` mails it
    expired     was pending or failed past the maximum age
    held        made without mail: --no-send, mail not configured, or no recipients
    superseded  an older entry replaced by a newer one for the same report (--force)

The latest entry for a report (kind, period, language) is what makes ``run`` idempotent: a
report that is pending, sent, failed or expired is not made or mailed again without ``--force``.
Delivery is at least once: were the process killed between the relay's acceptance and the
database update, the next retry would send the same bytes, with the same Message-ID, again.
``last_attempt_at`` and ``sent_at`` are the time of the attempt itself, not of the run's start.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from reportgen.config.core import Config
from reportgen.deliver.mail import ComposedMail, SmtpSession, over_size_limit
from reportgen.errors import DeliveryError
from reportgen.models import DONE, UNDELIVERED, Delivery, State
from reportgen.store import outbox_rows
from reportgen.store.db import Store

__all__ = ["DONE", "UNDELIVERED", "Delivery", "OutboxResult", "State", "latest", "process", "record", "undelivered"]

log = logging.getLogger(__name__)


@dataclass(slots=True)
class OutboxResult:
    """What one pass over the outbox did, and what is still undelivered after it."""

    sent: list[Delivery] = field(default_factory=list)
    retrying: list[Delivery] = field(default_factory=list)  # attempted and still pending
    expired: list[Delivery] = field(default_factory=list)  # expired in this pass
    undelivered: list[Delivery] = field(default_factory=list)  # pending or failed after the pass

    @property
    def ok(self) -> bool:
        return not self.undelivered and not self.expired

    def summary(self) -> str:
        pending = sum(d.state == State.PENDING for d in self.undelivered)
        failed = sum(d.state == State.FAILED for d in self.undelivered)
        text = f"sent {len(self.sent)}, pending {pending}, failed {failed}, expired {len(self.expired)}"
        errors = [d.last_error for d in self.undelivered if d.last_error]
        return text + (f" (last error: {errors[0]})" if errors else "")

    def as_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "sent": [d.as_dict() for d in self.sent],
                "retrying": [d.as_dict() for d in self.retrying], "expired": [d.as_dict() for d in self.expired],
                "undelivered": [d.as_dict() for d in self.undelivered]}


# --- records --------------------------------------------------------------------------------------


def latest(store: Store, kind: str, period_key: str, language: str) -> Delivery | None:
    """The newest entry for one report, or None if it was never made."""
    return outbox_rows.latest(store, kind, period_key, language)


def record(store: Store, *, kind: str, period_key: str, language: str, state: State, now: datetime,
           paths: dict[str, Path], mail: ComposedMail | None = None, error: str | None = None) -> Delivery:
    """Add an entry for a report just made; older undelivered or held entries for it are superseded.

    The message is kept while it is to be sent (pending) and when it is too large (failed): a later
    pass sends it once ``email.max_size_mb`` allows."""
    return outbox_rows.record(
        store, kind=kind, period_key=period_key, language=language, state=state, now=now, error=error,
        message_id=mail.message_id if mail else None, subject=mail.subject if mail else None,
        recipients=list(mail.recipients) if mail else [],
        html_path=str(paths["html"]) if "html" in paths else None,
        pdf_path=str(paths["pdf"]) if "pdf" in paths else None,
        message=mail.message if mail and state in (State.PENDING, State.FAILED) else None)


def undelivered(store: Store) -> list[Delivery]:
    """Every entry still pending or failed, oldest first."""
    return outbox_rows.undelivered(store)


# --- the pass -------------------------------------------------------------------------------------


def process(store: Store, config: Config, now: datetime) -> OutboxResult:
    """Expire what is too old, then try every pending mail over one SMTP connection.

    A mail that failed for its size is tried again once it fits the current ``email.max_size_mb``."""
    result = OutboxResult()
    max_age = timedelta(hours=config.run.outbox_max_age_h)
    due: list[Delivery] = []
    for d in undelivered(store):
        if now - d.created_at > max_age:
            outbox_rows.update(store, d.delivery_id, state=State.EXPIRED, message=None)
            log.error("the %s mail for %s expired undelivered after %d attempt(s): %s", d.kind, d.period_key,
                      d.attempts, d.last_error or "no error recorded")
            result.expired.extend(outbox_rows.by_ids(store, [d.delivery_id]))
        elif d.state == State.PENDING:
            due.append(d)
        elif (fits := _fits_now(store, config, d)) is not None:
            due.append(fits)
    if due:
        _send(store, config, due, now, result)
    result.undelivered = undelivered(store)
    return result


def _send(store: Store, config: Config, due: Sequence[Delivery], now: datetime, result: OutboxResult) -> None:
    remaining = list(due)
    try:
        with SmtpSession(config.email) as session:
            while remaining:
                d = remaining[0]
                try:
                    refused = session.send(d.recipients, outbox_rows.message(store, d.delivery_id))
                except DeliveryError as exc:
                    _attempted(store, d, now, str(exc), result)
                    remaining.pop(0)
                    if session.broken:
                        raise
                    continue
                remaining.pop(0)
                if refused:
                    _partly(store, d, refused, _clock(now), result)
                    continue
                at = _clock(now)
                outbox_rows.update(store, d.delivery_id, state=State.SENT, attempts=d.attempts + 1,
                                   last_attempt_at=at, sent_at=at, last_error=None, message=None)
                log.info("sent the %s mail for %s to %d recipient(s) (%s)", d.kind, d.period_key,
                         len(d.recipients), d.message_id)
                result.sent.extend(outbox_rows.by_ids(store, [d.delivery_id]))
    except DeliveryError as exc:  # connect, TLS or login failed, or the connection broke
        for d in remaining:
            _attempted(store, d, now, str(exc), result)


def _clock(now: datetime) -> datetime:
    """When an attempt happens: the wall clock, never before the pass's ``now`` (a test's later clock)."""
    return max(now, datetime.now(UTC))


def _fits_now(store: Store, config: Config, d: Delivery) -> Delivery | None:
    """A mail that failed for its size, made pending again when it fits the current limit."""
    if d.state != State.FAILED:
        return None
    message = outbox_rows.stored_message(store, d.delivery_id)
    if message is None or over_size_limit(message, config.email):
        return None
    log.info("the %s mail for %s (%.1f MB) fits email.max_size_mb = %g now: sending it", d.kind, d.period_key,
             len(message) / 1048576, config.email.max_size_mb)
    outbox_rows.update(store, d.delivery_id, state=State.PENDING)
    return outbox_rows.by_ids(store, [d.delivery_id])[0]


def _partly(store: Store, d: Delivery, refused: dict[str, str], at: datetime, result: OutboxResult) -> None:
    """The relay took the mail for some recipients and refused the others: it stays pending, owed
    to the refused ones only (the same bytes, the same Message-ID, when it is retried)."""
    owed = [r for r in d.recipients if r in refused] or list(refused)
    error = (f"delivered to {len(d.recipients) - len(owed)} of {len(d.recipients)} recipient(s); refused by the "
             "server for " + "; ".join(f"{a}: {r}" for a, r in refused.items()))
    outbox_rows.update(store, d.delivery_id, attempts=d.attempts + 1, last_attempt_at=at, last_error=error,
                       recipients=owed)
    log.error("the %s mail for %s stays queued for %s (attempt %d): %s", d.kind, d.period_key, ", ".join(owed),
              d.attempts + 1, error)
    result.retrying.extend(outbox_rows.by_ids(store, [d.delivery_id]))


def _attempted(store: Store, d: Delivery, now: datetime, error: str, result: OutboxResult) -> None:
    outbox_rows.update(store, d.delivery_id, attempts=d.attempts + 1, last_attempt_at=_clock(now), last_error=error)
    log.error("the %s mail for %s stays queued (attempt %d): %s", d.kind, d.period_key, d.attempts + 1, error)
    result.retrying.extend(outbox_rows.by_ids(store, [d.delivery_id]))
