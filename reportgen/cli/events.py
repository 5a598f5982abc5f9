"""``reportgen events`` and ``reportgen alerts``: the day's stories and warnings at the terminal."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

import click

from reportgen.cli.app import State, cli, handle_errors, parse_day
from reportgen.config.core import Config
from reportgen.flow.queries import day_alerts, day_events
from reportgen.insight.alerts import level_name
from reportgen.periods import check_not_future, previous_day


def _config_and_day(state: State, day: str | None) -> tuple[Config, date]:
    cfg = state.config()
    if not day:
        return cfg, previous_day(datetime.now(UTC), cfg.settings.tz)
    when = parse_day(day, "--date")
    check_not_future(when, datetime.now(UTC), cfg.settings.tz)
    return cfg, when


@cli.command("events")
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


@cli.command("alerts")
@click.option("--date", "day", metavar="YYYY-MM-DD", help="Day to show [default: yesterday in the config zone].")
@click.option("--days", type=click.IntRange(1, 366), default=1, show_default=True,
              help="Show this many days ending with --date.")
@click.option("--lang", type=click.Choice(["zh", "en"]), help="Language of reasons [default: settings.language].")
@click.option("--recompute", is_flag=True, help="Raise the alerts again from today's data (replaces stored ones).")
@click.option("--json", "as_json", is_flag=True, help="Print the alerts as one JSON object.")
@click.pass_obj
def alerts_cmd(state: State, day: str | None, days: int, lang: str | None, recompute: bool, as_json: bool) -> None:
    """The day's alerts with the reason each fired and the playbook's actions and owner.

    Levels are numbered from the top: 一级 (red) is the most severe, then 二级 (orange), 三级
    (yellow) and, with four configured levels, 四级 (blue); the most severe come first.
    A day's alerts are raised once and stored, so a past date shows them as they were.
    """
    with handle_errors(state, as_json=as_json):
        cfg, when = _config_and_day(state, day)
        language = lang or cfg.settings.language
        first = when - timedelta(days=days - 1)
        found = day_alerts(cfg, first, when, language, recompute=recompute)
        if as_json:
            click.echo(json.dumps({"from": first.isoformat(), "to": when.isoformat(), "alerts": [{
                "day": a.day.isoformat(), "bank": a.bank_id, "bank_name": a.bank_name, "level": a.level,
                "level_name": level_name(a.level, language), "colour": a.colour,
                "kind": a.kind, "category": a.category, "reason": a.reason, "negative_count": a.negative_count,
                # one alert per incident: every trigger that fired for it, most severe first
                "kinds": list(a.all_kinds), "reasons": list(a.all_reasons),
                "baseline": a.baseline, "negative_heat": a.negative_heat, "event_ids": list(a.event_ids),
                "actions": list(a.actions), "owner": a.owner} for a in found]}, ensure_ascii=False))
            return
        span = f"{first} – {when}" if days > 1 else str(when)
        if not found:
            click.echo(f"{span}: no alerts" if language == "en" else f"{span}：无预警")
        for a in found:
            trigger = ", ".join((*a.all_kinds, a.category) if a.category else a.all_kinds)
            click.echo(f"[{level_name(a.level, language)}] {a.day} {a.bank_name} ({trigger})")
            for reason in a.all_reasons:  # one alert per incident: every trigger's reason
                click.echo(f"  {reason}")
            click.echo(f"  {'处置建议' if language == 'zh' else 'Actions'} ({a.owner}): " + "; ".join(a.actions))
