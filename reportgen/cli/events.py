"""``reportgen events`` and ``reportgen alerts``: the day's stories and warnings at the terminal."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

import click

from reportgen.cli.app import State, handle_errors, parse_day
from reportgen.config.core import Config
from reportgen.flow.alerting import acknowledge, resolve
from reportgen.flow.queries import day_alerts, day_events
from reportgen.insight.alerts import level_name
from reportgen.models import AlertIncident, AlertSummary
from reportgen.periods import check_not_future, previous_day


def _config_and_day(state: State, day: str | None) -> tuple[Config, date]:
    cfg = state.config()
    if not day:
        return cfg, previous_day(datetime.now(UTC), cfg.settings.tz)
    when = parse_day(day, "--date")
    check_not_future(when, datetime.now(UTC), cfg.settings.tz)
    return cfg, when


@click.command("events")
@click.option("--date", "day", metavar="YYYY-MM-DD", help="Day to list [default: yesterday in the config zone].")
@click.option("--limit", type=click.IntRange(1, 10_000), default=20, show_default=True)
@click.option("--lang", type=click.Choice(["zh", "en"]), help="Language of names [default: settings.language].")
@click.option("--json", "as_json", is_flag=True, help="Print the events as one JSON object.")
@click.pass_obj
def events_cmd(state: State, day: str | None, limit: int, lang: str | None, as_json: bool) -> None:
    """The day's events (a story and its reprints), hottest first."""
    with handle_errors(state, as_json=as_json):
        cfg, when = _config_and_day(state, day)
        found = day_events(cfg, when, lang or cfg.settings.language)
        shown = found[:limit]
        if as_json:
            click.echo(json.dumps({"date": when.isoformat(), "total": len(found),
                                   "events": [_event_dict(e) for e in shown]}, ensure_ascii=False))
            return
        more = f", the {len(shown)} hottest:" if len(found) > len(shown) else ":"
        click.echo(f"{when}: {len(found)} events{more}")
        for e in shown:
            click.echo(f"{e.heat:7.1f}  {e.label:8}  ×{e.item_count:<3} {e.title}")
            click.echo(f"{'':9} first: {e.first_source} {e.first_published_at:%m-%d %H:%M} · "
                       f"{', '.join(e.bank_names)} · {', '.join(e.categories) or '-'} · {e.event_id}")


def _event_dict(e: Any) -> dict[str, Any]:
    return {
        "event_id": e.event_id, "title": e.title, "url": e.url, "first_source": e.first_source,
        "first_channel": e.first_channel, "first_published_at": e.first_published_at.isoformat(),
        "item_count": e.item_count, "reprint_count": e.reprint_count, "source_count": e.source_count,
        "channels": list(e.channels), "banks": list(e.bank_ids), "bank_names": list(e.bank_names),
        "label": e.label, "categories": list(e.categories), "heat": e.heat, "bank_heat": e.bank_heat,
    }


@click.group("alerts", invoke_without_command=True)
@click.option("--date", "day", metavar="YYYY-MM-DD",
              help="Last day to show [default: today so far, in the config zone, after yesterday].")
@click.option("--days", type=click.IntRange(1, 366),
              help="Show this many days ending with --date [default: 1; without --date, 2: yesterday and today].")
@click.option("--lang", type=click.Choice(["zh", "en"]), help="Language of reasons [default: settings.language].")
@click.option("--recompute", is_flag=True, help="Raise the alerts again from today's data (replaces stored ones).")
@click.option("--json", "as_json", is_flag=True, help="Print the alerts as one JSON object.")
@click.pass_context
def alerts_cmd(ctx: click.Context, day: str | None, days: int | None, lang: str | None, recompute: bool,
               as_json: bool) -> None:
    """The day's alerts with the reason each fired and the playbook's actions and owner.

    Levels are numbered from the top: 一级 (red) is the most severe, then 二级 (orange), 三级
    (yellow) and, with four configured levels, 四级 (blue); the most severe come first.
    A day's alerts are stored once the day is over, so a past date shows them as they were;
    today's (the default shows yesterday and today so far) are raised again from the news
    stored by now, at the level each incident reached, the level pushed to the duty desk.
    Each alert has an id: `alerts ack ID --by NAME` records who took it (处理中), `alerts
    resolve ID` that it was dealt with (已处置).
    """
    if ctx.invoked_subcommand is not None:
        return
    state: State = ctx.obj
    with handle_errors(state, as_json=as_json):
        if day:
            cfg, when = _config_and_day(state, day)
        else:  # a duty officer paged a minute ago looks for the alert among today's
            cfg = state.config()
            when = datetime.now(UTC).astimezone(cfg.settings.tz).date()
        language = lang or cfg.settings.language
        first = when - timedelta(days=(days or (1 if day else 2)) - 1)
        found = day_alerts(cfg, first, when, language, recompute=recompute)
        if as_json:
            click.echo(json.dumps({"from": first.isoformat(), "to": when.isoformat(), "alerts": [{
                "day": a.day.isoformat(), "bank": a.bank_id, "bank_name": a.bank_name, "level": a.level,
                "level_name": level_name(a.level, language), "colour": a.colour,
                "kind": a.kind, "category": a.category, "reason": a.reason, "negative_count": a.negative_count,
                # one alert per incident: every trigger that fired for it, most severe first
                "kinds": list(a.all_kinds), "reasons": list(a.all_reasons),
                "baseline": a.baseline, "negative_heat": a.negative_heat, "event_ids": list(a.event_ids),
                "actions": list(a.actions), "owner": a.owner, **_followup_dict(a, language)} for a in found]},
                ensure_ascii=False))
            return
        span = f"{first} – {when}" if first < when else str(when)
        if not found:
            click.echo(f"{span}: no alerts" if language == "en" else f"{span}：无预警")
        for a in found:
            trigger = ", ".join((*a.all_kinds, a.category) if a.category else a.all_kinds)
            followup = _followup_line(a, language, cfg.settings.tz)
            click.echo(f"[{level_name(a.level, language)}] {a.day} {a.bank_name} ({trigger}){followup}")
            for reason in a.all_reasons:  # one alert per incident: every trigger's reason
                click.echo(f"  {reason}")
            click.echo(f"  {'处置建议' if language == 'zh' else 'Actions'} ({a.owner}): " + "; ".join(a.actions))


def _followup_dict(a: AlertSummary, language: str) -> dict[str, Any]:
    i = a.incident
    if i is None:
        return {"id": None, "state": None}
    waited = i.time_to_ack
    return {"id": i.incident_id, "state": i.state, "disposition": i.disposition(language),
            "first_raised_at": i.first_raised_at.isoformat(),
            "first_pushed_at": a.first_pushed_at.isoformat() if a.first_pushed_at else None,
            "acked_by": i.acked_by, "acked_at": i.acked_at.isoformat() if i.acked_at else None,
            "resolved_by": i.resolved_by, "resolved_at": i.resolved_at.isoformat() if i.resolved_at else None,
            "reopened_at": i.reopened_at.isoformat() if i.reopened_at else None,
            # ``level`` is the most severe the incident reached (what the duty desk was pushed);
            # ``current_level`` is the level it was last observed at, when it has cooled since
            "current_level": i.current_level, "current_level_name": level_name(i.current_level, language),
            "last_seen_at": i.last_seen_at.isoformat(),
            "time_to_ack_s": round(waited.total_seconds()) if waited is not None else None}


def _followup_line(a: AlertSummary, language: str, tz: Any) -> str:
    """`` · #17 处理中`` after an alert's head line, with a cooled level and a reopening."""
    i = a.incident
    if i is None:
        return ""
    parts = [f" · #{i.incident_id} {i.disposition(language)}"]
    if i.current_level > a.level:
        seen = f"{i.last_seen_at.astimezone(tz):%m-%d %H:%M}"
        parts.append(f" · {seen} 起为{level_name(i.current_level, language)}" if language == "zh"
                     else f" · {level_name(i.current_level, language)} as of {seen}")
    parts.append(_reopened(i, language, tz))
    return "".join(p for p in parts if p)


def _reopened(i: AlertIncident, language: str, tz: Any) -> str:
    """`` · 12-06 10:02 由赵六处置，12-06 10:30 升级后重新打开`` for an alert reopened after it was resolved."""
    if i.reopened_at is None or i.resolved_at is None or i.resolved_at > i.reopened_at:
        return ""
    resolved, reopened = (f"{t.astimezone(tz):%m-%d %H:%M}" for t in (i.resolved_at, i.reopened_at))
    if language == "zh":
        who = f"由{i.resolved_by}" if i.resolved_by else ""
        return f" · {resolved} {who}处置，{reopened} 升级后重新打开"
    who = f" by {i.resolved_by}" if i.resolved_by else ""
    return f" · resolved{who} at {resolved}, reopened by an escalation at {reopened}"


def _alert_id(_ctx: click.Context, _param: click.Parameter, value: str) -> int:
    """An alert id as messages print it: ``17`` or ``#17``."""
    try:
        number = int(value.strip().lstrip("#"))
    except ValueError:
        raise click.BadParameter(f"expected an alert id such as 17, got {value!r}") from None
    if number < 1:
        raise click.BadParameter(f"expected an alert id such as 17, got {value!r}")
    return number


def _said(incident: AlertIncident, language: str, tz: Any) -> str:
    """One line on where an alert stands: its id, level, state, who took it and how soon."""
    parts = [f"alert {incident.incident_id} ({level_name(incident.level, language)}, {incident.bank_id}): "
             f"{incident.disposition(language)}"]
    if incident.acked_at:
        parts.append(f"acknowledged by {incident.acked_by} at {incident.acked_at.astimezone(tz):%Y-%m-%d %H:%M}")
    if incident.resolved_at:
        who = f" by {incident.resolved_by}" if incident.resolved_by else ""
        parts.append(f"resolved{who} at {incident.resolved_at.astimezone(tz):%Y-%m-%d %H:%M}")
    if incident.reopened_at:
        parts.append(f"reopened by an escalation at {incident.reopened_at.astimezone(tz):%Y-%m-%d %H:%M}")
    waited = incident.time_to_ack
    if waited is not None:
        since = "it was reopened" if incident.reopened_at else "it was raised"
        parts.append(f"{int(waited.total_seconds() // 60)} min after {since}")
    return " · ".join(parts)


@alerts_cmd.command("ack")
@click.argument("alert_id", metavar="ID", callback=_alert_id)
@click.option("--by", "by", required=True, metavar="NAME", help="Who takes the alert.")
@click.option("--note", metavar="TEXT", help="What is being done.")
@click.option("--json", "as_json", is_flag=True, help="Print the alert as JSON.")
@click.pass_obj
def alerts_ack(state: State, alert_id: int, by: str, note: str | None, as_json: bool) -> None:
    """Acknowledge alert ID (处理中): record who took it; its reminders stop."""
    with handle_errors(state, as_json=as_json):
        cfg = state.config()
        incident = acknowledge(cfg, alert_id, by, note)
        click.echo(json.dumps(incident.as_dict(), ensure_ascii=False) if as_json
                   else _said(incident, cfg.settings.language, cfg.settings.tz))


@alerts_cmd.command("resolve")
@click.argument("alert_id", metavar="ID", callback=_alert_id)
@click.option("--by", "by", metavar="NAME", help="Who dealt with it.")
@click.option("--note", metavar="TEXT", help="How it was dealt with.")
@click.option("--json", "as_json", is_flag=True, help="Print the alert as JSON.")
@click.pass_obj
def alerts_resolve(state: State, alert_id: int, by: str | None, note: str | None, as_json: bool) -> None:
    """Mark alert ID as dealt with (已处置); pushes still waiting are cancelled."""
    with handle_errors(state, as_json=as_json):
        cfg = state.config()
        incident = resolve(cfg, alert_id, by, note)
        click.echo(json.dumps(incident.as_dict(), ensure_ascii=False) if as_json
                   else _said(incident, cfg.settings.language, cfg.settings.tz))
