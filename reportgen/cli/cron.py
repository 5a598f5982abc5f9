"""``reportgen fetch``, ``reportgen run`` and ``reportgen send``: the commands cron and systemd call.

``fetch`` runs every few minutes, so this module imports only what the cron run needs
(:mod:`reportgen.flow.runner`); the report's, the demo's and the model's code stay unloaded.
"""

from __future__ import annotations

import json
import logging
import sys
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any

import click

from reportgen.cli.app import (
    EXIT_ALL_SOURCES_FAILED,
    EXIT_SOME_SOURCES_FAILED,
    EXIT_UNDELIVERED,
    State,
    handle_errors,
    progress_bar,
)
from reportgen.flow.runner import EXIT_DATA_INCOMPLETE, fetch, run, send_pending, send_test
from reportgen.periods import check_ended, check_requested, parse_period


@click.command("fetch")
@click.option("--json", "as_json", is_flag=True, help="Print the run summary as JSON.")
@click.option("--workers", type=click.IntRange(1, 256), default=None,
              help="Processes (or Dask workers) for parsing, matching and scoring [default: execution.workers, "
                   "else 1].")
@click.pass_obj
def fetch_cmd(state: State, as_json: bool, workers: int | None) -> None:
    """Fetch every enabled source and store new items.

    Exits 0 when every source answered, 7 when some failed (the rest were stored),
    6 when all failed, 8 when an alert's push failed or expired (the duty desk did not hear of it;
    a failed push is retried by the next fetch), 9 when a run held the lock longer than
    run.lock_timeout_s.
    """

    with handle_errors(state, as_json=as_json):
        cfg = state.config()
        with progress_bar(len(cfg.enabled_sources), "fetching") as progress:
            summary = fetch(cfg, progress=progress, workers=workers)
        out = _summary_dict(summary)
        if as_json:
            click.echo(json.dumps(out, ensure_ascii=False))
        else:
            click.echo(
                f"sources: {out['sources_ok']} ok, {out['sources_not_modified']} not modified, "
                f"{out['sources_failed']} failed · items: {out['items_fetched']} fetched, "
                f"{out['items_new']} new, {out['items_matched']} matched · "
                f"{out['mentions_scored']} mentions scored")
            if summary.alerting is not None:
                click.echo(summary.alerting.summary())
        if summary.alerting is not None and not summary.alerting.pushes_ok:
            _say_undelivered_pushes(state, summary.alerting)
            sys.exit(EXIT_UNDELIVERED)
        if summary.sources and summary.sources_failed == len(summary.sources):
            sys.exit(EXIT_ALL_SOURCES_FAILED)
        if summary.sources_failed:
            sys.exit(EXIT_SOME_SOURCES_FAILED)


def _say_undelivered_pushes(state: State, outcome: Any) -> None:
    """One line on stderr per push the duty desk did not get, so cron's mail says which channel
    (with --log-json, one JSON object each)."""
    for record, what in [(r, "failed; retried by the next fetch") for r in outcome.failed] + \
                        [(r, "expired undelivered") for r in outcome.expired]:
        message = (f"push to {record.channel} for alert {record.incident_id} {what}: "
                   f"{record.last_error or 'no error recorded'}")
        state.note(message, level=logging.ERROR, plain=f"error: {message}", channel=record.channel,
                   alert_id=record.incident_id, push_state=record.state, exit_code=EXIT_UNDELIVERED)


def _summary_dict(summary: Any) -> dict[str, Any]:
    return {
        "run_id": summary.run_id,
        "started_at": summary.started_at.isoformat(),
        "finished_at": summary.finished_at.isoformat() if summary.finished_at else None,
        "sources_total": len(summary.sources),
        "sources_ok": summary.sources_ok,
        "sources_not_modified": summary.sources_not_modified,
        "sources_failed": summary.sources_failed,
        "items_fetched": summary.items_fetched,
        "items_new": summary.items_new,
        "items_matched": summary.items_matched,
        "mentions_scored": summary.mentions_scored,
        "alerts": summary.alerting.as_dict() if summary.alerting else None,  # the rolling window's and their pushes
        "sources": [
            {**asdict(s), "status": str(s.status), "checked_at": s.checked_at.isoformat()}
            for s in summary.sources
        ],
    }


@click.command("run")
@click.argument("kind", type=click.Choice(["daily", "weekly"]))
@click.option("--date", "when", metavar="DATE",
              help="Backfill: the day (daily) or a day of the ISO week / YYYY-Www (weekly), once it is over "
                   "[default: yesterday / last week in the config zone].")
@click.option("--no-send", is_flag=True, help="Make the report but mail nothing (the outbox is left alone).")
@click.option("--force", is_flag=True, help="Make and mail the report again even if it was already sent.")
@click.option("--json", "as_json", is_flag=True, help="Print the run summary as JSON.")
@click.option("--workers", type=click.IntRange(1, 256), default=None,
              help="Processes (or Dask workers) for the fetch stage [default: execution.workers, else 1].")
@click.pass_obj
def run_cmd(state: State, kind: str, when: str | None, no_send: bool, force: bool, as_json: bool,
            workers: int | None) -> None:
    """The cron job: fetch → score → events and alerts → report → send.

    Idempotent: a second run for the same period does not make or mail the report again
    (unless --force), but retries whatever the outbox still holds.  Exits 0, or 6/7 when
    sources failed, 10 when too few answered (数据采集异常), 8 while any mail is undelivered, 9
    when another run holds the lock.
    """

    with handle_errors(state, as_json=as_json):
        period = parse_period(kind, when) if when else None
        cfg = state.config()
        if period is not None and when is not None:
            check_requested(period, when, datetime.now(UTC), cfg.settings.tz)
            check_ended(period, datetime.now(UTC), cfg.settings.tz,  # a half-day report would block the real one
                        start_hour=cfg.report.day_start_hour)
        with progress_bar(len(cfg.enabled_sources), "fetching") as progress:
            result = run(cfg, period or kind, send=not no_send, force=force, progress=progress, workers=workers)
        click.echo(json.dumps(result.as_dict(), ensure_ascii=False) if as_json else result.summary())
        if result.fetch.alerting is not None and not as_json:
            click.echo(result.fetch.alerting.summary())
        alerting = result.fetch.alerting
        if alerting is not None and not alerting.pushes_ok:
            _say_undelivered_pushes(state, alerting)
        if not result.mail_ok or (alerting is not None and not alerting.pushes_ok):
            sys.exit(EXIT_UNDELIVERED)
        if result.all_sources_failed:
            sys.exit(EXIT_ALL_SOURCES_FAILED)
        if not result.data_complete:
            sys.exit(EXIT_DATA_INCOMPLETE)
        if result.sources_failed:
            sys.exit(EXIT_SOME_SOURCES_FAILED)


@click.command("send")
@click.option("--test", "test_mail", is_flag=True, help="Send a test mail now (not through the outbox).")
@click.option("--to", "to", multiple=True, metavar="ADDRESS", help="With --test: whom to send it to "
              "[default: the [email.daily] recipients].")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.pass_obj
def send_cmd(state: State, test_mail: bool, to: tuple[str, ...], as_json: bool) -> None:
    """Retry every undelivered mail in the outbox.  Exits 8 while anything is undelivered.

    With --test, send a small mail right away to check host, TLS, login and recipients.
    """

    with handle_errors(state, as_json=as_json):
        if to and not test_mail:
            raise click.UsageError("--to goes with --test")
        cfg = state.config()
        if test_mail:
            mail = send_test(cfg, list(to) or None)
            out = {"ok": True, "test": True, "recipients": list(mail.recipients), "message_id": mail.message_id,
                   "server": f"{cfg.email.host}:{cfg.email.port} ({cfg.email.security})"}
            click.echo(json.dumps(out, ensure_ascii=False) if as_json
                       else f"test mail sent to {', '.join(mail.recipients)} via {out['server']}")
            return
        result = send_pending(cfg)
        click.echo(json.dumps(result.as_dict(), ensure_ascii=False) if as_json else f"outbox: {result.summary()}")
        if not result.ok:
            sys.exit(EXIT_UNDELIVERED)
