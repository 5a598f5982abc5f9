"""The unattended run, the one command cron or systemd calls: fetch → score → events and alerts →
report → send, under the run lock, idempotent per report.

``run(config, "daily")`` makes yesterday's report (``"weekly"``: last ISO week's), records it in
the outbox with its composed mail and sends whatever the outbox holds.  Run it again for the same
period and it fetches and scores as usual, but neither makes nor mails the report again, unless
``force=True``.  A ``Period`` instead of a kind backfills a past period.

Everything here works without click; the CLI prints :meth:`RunResult.summary` or ``as_dict()``
and turns the result into an exit code.

The data-completeness gate: when fewer than ``report.min_sources_answered`` of the enabled sources
answered, or a channel had no source answering, the report is still made and mailed (page 1 opens
with 数据采集异常, the subject says so), and ``RunResult.data_complete`` is False, for which the
CLI exits :data:`EXIT_DATA_INCOMPLETE`.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any

from reportgen.config.core import Config
from reportgen.errors import DeliveryError, Terminated
from reportgen.flow.alerting import alert_now
from reportgen.flow.lock import lock_for
from reportgen.flow.pipeline import Progress, build_report, events_and_alerts, run_fetch, score_pending
from reportgen.models import Completeness, Delivery, RunSummary, State
from reportgen.periods import Period, Window, check_ended, previous_period
from reportgen.store.db import Store

if TYPE_CHECKING:
    from reportgen.deliver.mail import ComposedMail
    from reportgen.deliver.outbox import OutboxResult

log = logging.getLogger(__name__)

# `reportgen run`'s exit code when the data-completeness gate failed but not every source did
# (every source failing keeps its own code, 6); the report was made and delivered all the same.
EXIT_DATA_INCOMPLETE = 10


@dataclass(slots=True)
class RunResult:
    """What one run did; ``as_dict()`` is what ``reportgen run --json`` prints."""

    period: Period
    language: str
    fetch: RunSummary
    scored: int  # mentions judged in this run
    report: str  # "new" (made in this run) | "existing" (made before; not made or mailed again)
    paths: dict[str, Path]
    delivery: Delivery  # this report's outbox entry
    mail: OutboxResult | None  # None with --no-send: the outbox was left alone
    undelivered: list[Delivery] = field(default_factory=list)  # pending or failed after the run
    completeness: Completeness | None = None  # the sources' answers after this run's fetch (the gate)

    @property
    def data_complete(self) -> bool:
        """The data-completeness gate passed (enough sources answered, no channel dark)."""
        return self.completeness is None or self.completeness.complete

    @property
    def sources_failed(self) -> int:
        return self.fetch.sources_failed

    @property
    def all_sources_failed(self) -> bool:
        return bool(self.fetch.sources) and self.fetch.sources_failed == len(self.fetch.sources)

    @property
    def expired_before(self) -> bool:
        """This report was made by an earlier run and its mail expired undelivered (``--force`` resends)."""
        return self.report == "existing" and self.delivery.state == State.EXPIRED

    @property
    def mail_ok(self) -> bool:
        """Nothing undelivered, nothing expired in this run, and this report's mail not expired earlier."""
        return (not self.undelivered and not (self.mail and self.mail.expired)
                and not (self.mail is not None and self.expired_before))

    def mail_state(self) -> str:
        if self.mail is None:
            return f"not sent (--no-send); {len(self.undelivered)} undelivered in the outbox"
        if self.expired_before:
            d = self.delivery
            return (f"NOT DELIVERED: this report's mail expired undelivered after {d.attempts} attempt(s) "
                    f"({d.last_error or 'no error recorded'}); --force makes and mails it again; "
                    f"outbox: {self.mail.summary()}")
        if self.delivery.state == State.HELD and self.delivery.last_error:
            return f"{self.delivery.last_error}; outbox: {self.mail.summary()}"
        return self.mail.summary()

    def summary(self) -> str:
        """The one line a cron log keeps."""
        f = self.fetch
        paths = ", ".join(str(p) for p in self.paths.values()) or "-"
        gate = ""
        if self.completeness is not None and not self.completeness.complete:
            c = self.completeness
            dark = f"; dark: {', '.join(c.dark_channels)}" if c.dark_channels else ""
            empty = f" ({c.empty} with an empty feed)" if c.empty else ""
            stale = "; nothing published in the period" if c.stale else ""
            gate = f" · DATA INCOMPLETE: {c.delivered}/{c.sources} sources delivered{empty}{dark}{stale}"
        return (f"{self.period.kind} {self.period.key}: sources {f.sources_ok} ok, {f.sources_not_modified} not "
                f"modified, {f.sources_failed} failed · items {f.items_new} new · scored {self.scored} · "
                f"report {self.report}: {paths} · mail: {self.mail_state()}{gate}")

    def as_dict(self) -> dict[str, Any]:
        f = self.fetch
        return {
            "kind": self.period.kind, "period": self.period.key, "first_day": self.period.first.isoformat(),
            "last_day": self.period.last.isoformat(), "language": self.language,
            "fetch": {"run_id": f.run_id, "sources_total": len(f.sources), "sources_ok": f.sources_ok,
                      "sources_not_modified": f.sources_not_modified, "sources_failed": f.sources_failed,
                      "failed": {s.source_id: s.error for s in f.sources if s.status == "failed"},
                      "items_fetched": f.items_fetched, "items_new": f.items_new, "items_matched": f.items_matched},
            "scored": self.scored,
            "alerts": f.alerting.as_dict() if f.alerting else None,  # the rolling window's, and their pushes
            "report": {"state": self.report, **{k: str(p) for k, p in self.paths.items()}},
            "delivery": self.delivery.as_dict(),
            "mail": self.mail.as_dict() if self.mail else None,
            "undelivered": [d.as_dict() for d in self.undelivered],
            "mail_ok": self.mail_ok,
            "data_complete": self.data_complete,
            "completeness": _completeness_dict(self.completeness),
        }


def run(config: Config, period: Period | str, now: datetime | None = None, *, send: bool = True,
        force: bool = False, language: str | None = None, progress: Progress | None = None,
        workers: int | None = None) -> RunResult:
    """One unattended run for ``period`` (a Period, or "daily"/"weekly" for the previous one)."""
    alert_clock = now  # None: the wall clock once the fetch is stored
    now = now or datetime.now(UTC)
    if isinstance(period, str):
        period = previous_period(period, now, config.settings.tz, config.report.day_start_hour)
    lang = language or config.settings.language
    import reportgen.deliver.outbox as outbox  # the mail (templates, CSS inliner, translations): not for `fetch`
    from reportgen.insight.aggregate import data_completeness  # the report's data: `run` only

    check_ended(period, now, config.settings.tz, start_hour=config.report.day_start_hour)
    with stop_on_sigterm(), _lock(config, f"run {period.kind} {period.key}"):
        store = Store.open(config.settings.database)
        fetched = run_fetch(config, now=now, progress=progress, workers=workers, store=store)
        scored = _score(store, config, fetched)
        fetched.alerting = alert_now(store, config, alert_clock or datetime.now(UTC))  # the rolling window's pushes
        _events_and_alerts(store, config, period)
        existing = outbox.latest(store, period.kind, period.key, lang)
        if existing is not None and (existing.state in outbox.DONE or _held_for_good(existing, config, period, send)) \
                and not force:
            log.info("the %s report for %s was made at %s (%s): not made or mailed again (--force does)",
                     period.kind, period.key, existing.created_at.isoformat(timespec="seconds"), existing.state)
            state, paths = "existing", _paths(existing)
            delivery = existing
        else:
            state = "new"
            # made after the fetch, so the report's source-health section sees this run's records
            delivery, paths = _make_report(store, config, period, lang, max(now, datetime.now(UTC)), send=send)
        mail = outbox.process(store, config, now) if send else None
        result = RunResult(period, lang, fetched, scored, state, paths,
                           outbox.latest(store, period.kind, period.key, lang) or delivery, mail,
                           outbox.undelivered(store), data_completeness(
                               store, config, max(now, datetime.now(UTC)),
                               Window.for_days(period.first, period.last, config.settings.tz,
                                               config.report.day_start_hour)))
    gate = result.completeness
    if gate is not None and not gate.complete:
        log.warning("data incomplete: %d of %d sources delivered entries%s%s%s; the %s report for %s opens with "
                    "数据采集异常", gate.delivered, gate.sources,
                    f" ({gate.empty} answered with an empty feed)" if gate.empty else "",
                    f", no source in {', '.join(gate.dark_channels)}" if gate.dark_channels else "",
                    ", nothing published in the period" if gate.stale else "", period.kind, period.key)
    if send and result.expired_before:
        d = result.delivery
        partly = bool(d.last_error and d.last_error.startswith("delivered to"))
        log.warning("the %s report for %s was made at %s but its mail expired undelivered: %s; "
                    "`reportgen run %s --date %s --force` makes and mails it again%s", period.kind, period.key,
                    d.created_at.isoformat(timespec="seconds"),
                    d.last_error if partly else "nobody received it", period.kind, period.key,
                    " (to every recipient, those who had it too)" if partly else "")
    log.info("%s", result.summary(), extra={"summary": result.as_dict()})
    return result


def _completeness_dict(c: Completeness | None) -> dict[str, Any] | None:
    if c is None:
        return None
    return {"complete": c.complete, "sources": c.sources, "answered": c.answered, "empty": c.empty,
            "delivered": c.delivered, "stale": c.stale, "share": round(c.share, 4),
            "min_share": c.min_share, "dark_channels": list(c.dark_channels),
            "channels": {ch.channel: {"sources": ch.sources, "answered": ch.answered, "empty": ch.empty}
                         for ch in c.channels},
            "missing": [{"source": r.source_id, "status": r.status, "error": r.error} for r in c.missing],
            "newest_item_at": c.newest_item_at.isoformat() if c.newest_item_at else None}


def fetch(config: Config, *, progress: Progress | None = None, workers: int | None = None,
          now: datetime | None = None) -> RunSummary:
    """``reportgen fetch``: fetch and store under the run lock, like ``run``, then raise the rolling
    window's alerts and push them (:func:`reportgen.flow.alerting.alert_now`).

    A fetch timer and the daily run do overlap; without the lock, both would store the same new
    items and cluster the same events at once, and one of them would fail on a duplicate key.
    ``now`` (tests) is the run's clock; by default the wall clock.
    """
    with stop_on_sigterm(), _lock(config, "fetch"):
        store = Store.open(config.settings.database)
        summary = run_fetch(config, now=now, progress=progress, workers=workers, store=store)
        summary.alerting = alert_now(store, config, now or datetime.now(UTC))
        return summary


def send_pending(config: Config, now: datetime | None = None) -> OutboxResult:
    """Retry every pending mail (``reportgen send``), under the same lock as ``run``."""
    import reportgen.deliver.outbox as outbox  # the mail's code: not loaded by `fetch`

    now = now or datetime.now(UTC)
    with stop_on_sigterm(), _lock(config, "send"):
        result = outbox.process(Store.open(config.settings.database), config, now)
    log.info("outbox: %s", result.summary(), extra={"summary": result.as_dict()})
    return result


def send_test(config: Config, to: list[str] | None = None, now: datetime | None = None) -> ComposedMail:
    """Send a small test mail now, outside the outbox; raise :class:`DeliveryError` on failure."""
    from reportgen.deliver.mail import compose_test_mail, send_now  # the mail's code: not loaded by `fetch`

    recipients = to or list(config.email.daily.envelope)
    if not recipients:
        raise DeliveryError("no recipient for the test mail", hint="pass --to ADDRESS, or set [email.daily] to")
    mail = compose_test_mail(config.email, recipients,
                             now=(now or datetime.now(UTC)).astimezone(config.settings.tz))
    refused = send_now(config.email, mail)
    if refused:
        log.warning("test mail refused for: %s", "; ".join(f"{a}: {r}" for a, r in refused.items()))
    return mail


class _SigTerm(BaseException):  # noqa: N818  (a signal, not an error)
    """Raised by the SIGTERM handler.  A BaseException, like KeyboardInterrupt, so no ``except
    Exception`` on the way (a progress callback's, say) can swallow it; :func:`stop_on_sigterm`
    turns it into :class:`Terminated` once everything inside has unwound."""


@contextmanager
def stop_on_sigterm() -> Iterator[None]:
    """Stop cleanly on SIGTERM (what systemd and ``timeout`` send): unwind every ``with`` inside
    (the run lock, the fetch, the run's row) and raise :class:`Terminated`.

    Installed only in the main thread, where Python runs signal handlers; the previous handler is
    put back afterwards.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, frame: FrameType | None) -> None:
        raise _SigTerm()

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    except _SigTerm:
        log.warning("SIGTERM: stopped; what was stored is kept, the run lock is released")
        raise Terminated("stopped by SIGTERM: sources stored so far are kept and the run is recorded as "
                         "interrupted", hint="the next run fetches the rest") from None
    finally:
        signal.signal(signal.SIGTERM, previous)


def _lock(config: Config, purpose: str) -> AbstractContextManager[None]:
    """The run lock: an advisory lock in PostgreSQL (across hosts), else the lock file."""
    return lock_for(config.settings.database, lock_path(config), config.run.lock_timeout_s, purpose=purpose)


def lock_path(config: Config) -> Path:
    """The lock file beside an SQLite database, else in the output folder (unused with PostgreSQL,
    whose advisory lock every host shares)."""
    url = config.settings.database
    if url.startswith("sqlite:///") and url[len("sqlite:///"):] not in ("", ":memory:"):
        return Path(url[len("sqlite:///"):] + ".lock")
    return config.settings.output_dir / ".reportgen.lock"


# --- the stages -----------------------------------------------------------------------------------


def _score(store: Store, config: Config, fetched: RunSummary) -> int:
    """Score every stored mention without a current judgement (fetch already scored the new ones;
    this catches a changed scorer, or mentions a plain ``fetch`` stored before it could score)."""
    return fetched.mentions_scored + score_pending(store, config)


def _events_and_alerts(store: Store, config: Config, period: Period) -> None:
    """Cluster reprints into events and raise the period's alerts.

    It runs after scoring and before the report, so the report (and the mail subject's
    ``{level}``) can show the period's alerts.
    """
    clustered, raised = events_and_alerts(store, config, period)
    log.info("events: %d new items clustered; alerts: %d raised for %s", clustered, raised, period.key)


def _make_report(store: Store, config: Config, period: Period, language: str, now: datetime, *,
                 send: bool) -> tuple[Delivery, dict[str, Path]]:
    import reportgen.deliver.outbox as outbox  # the mail's code: `run` only, not `fetch`
    from reportgen.deliver.mail import MessageTooLarge, compose_report_mail  # the same

    built = build_report(config, period, now=now, language=language, store=store)
    data, paths = built.data, built.paths
    mail: ComposedMail | None = None
    error: str | None = None
    route = config.email.route(period.kind)
    if not send:
        state, error = State.HELD, "held: --no-send"
    elif not config.email.enabled:
        state, error = State.HELD, "held: mail is not configured (no [email] host)"
        log.warning("the %s report for %s was written but not mailed: no [email] section", period.kind, period.key)
    elif not route.envelope:
        state, error = State.HELD, f"held: no recipients in [email.{period.kind}]"
        log.warning("the %s report for %s was written but not mailed: [email.%s] has no recipients",
                    period.kind, period.key, period.kind)
    else:
        try:
            extra = [config.settings.template_dir] if config.settings.template_dir else []
            mail = compose_report_mail(data, period, paths["pdf"], config.email, now=now, extra_template_dirs=extra)
            state = State.PENDING
        except MessageTooLarge as exc:  # kept in the outbox: sent once email.max_size_mb allows
            state, error, mail = State.FAILED, str(exc), exc.mail
            log.error("the %s mail for %s cannot be sent: %s", period.kind, period.key, exc)
    delivery = outbox.record(store, kind=period.kind, period_key=period.key, language=language, state=state,
                             now=now, paths=paths, mail=mail, error=error)
    return delivery, paths


def _held_for_good(existing: Delivery, config: Config, period: Period, send: bool) -> bool:
    """A report held in the outbox because it could not be mailed (no [email], no recipients, or
    --no-send) is done while this run could not mail it either: making it again would only render
    the same files.  Once mail is configured (and this run may send), it is made and mailed."""
    if existing.state != State.HELD:
        return False
    return not send or not config.email.enabled or not config.email.route(period.kind).envelope


def _paths(d: Delivery) -> dict[str, Path]:
    return {k: Path(v) for k, v in (("html", d.html_path), ("pdf", d.pdf_path)) if v}
