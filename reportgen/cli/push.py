"""``reportgen push``: the push channels (企业微信, 钉钉, 飞书, e-mail, webhooks) and a test message."""

from __future__ import annotations

import json
import sys

import click

from reportgen.cli.app import EXIT_UNDELIVERED, State, handle_errors
from reportgen.flow.alerting import check_channels


@click.command("push")
@click.argument("channel", required=False)
@click.option("--test", "test", is_flag=True, help="Send a test message to each channel (or CHANNEL) now.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.pass_obj
def push_cmd(state: State, channel: str | None, test: bool, as_json: bool) -> None:
    """The configured [[push]] channels; with --test, send each (or CHANNEL) a test message.

    URLs are shown with their secrets hidden.  With --test, exits 8 when a channel did not take
    the message.  Alerts themselves are pushed by `fetch` and `run`.
    """
    with handle_errors(state, as_json=as_json):
        cfg = state.config()
        if not test:
            if channel is not None:
                raise click.UsageError("CHANNEL goes with --test")
            channels = [c.as_dict() for c in cfg.push.channels]
            if as_json:
                click.echo(json.dumps({"channels": channels}, ensure_ascii=False))
                return
            if not channels:
                click.echo("no push channel is configured ([[push]] in sources.toml)")
            for c in channels:
                quiet = f", quiet {c['quiet_hours']}" if c["quiet_hours"] else ""
                off = "" if c["enabled"] else " (disabled)"
                click.echo(f"{c['name']}: {c['url']} · level ≤ {c['min_level']}{quiet}{off}")
            return
        results = check_channels(cfg, channel)
        if as_json:
            click.echo(json.dumps({"ok": all(r.ok for r in results), "channels": [
                {"name": r.channel, "service": r.service, "url": r.url, "ok": r.ok, "error": r.error}
                for r in results]}, ensure_ascii=False))
        else:
            for r in results:
                click.echo(f"{r.channel} ({r.url}): " + ("sent" if r.ok else f"FAILED: {r.error}"))
        if not all(r.ok for r in results):
            sys.exit(EXIT_UNDELIVERED)
