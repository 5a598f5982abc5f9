"""``reportgen report daily`` and ``reportgen report weekly``: write a briefing (HTML and PDF)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import click

from reportgen.cli.app import State, handle_errors
from reportgen.flow.pipeline import build_report
from reportgen.periods import check_requested, parse_period


@click.group("report")
def report_group() -> None:
    """Render briefings."""


def _report_options(fn: Callable[..., None]) -> Callable[..., None]:
    fn = click.option("--format", "formats", default="html,pdf", show_default=True,
                      help="Comma-separated: html, pdf.")(fn)
    fn = click.option("--lang", type=click.Choice(["zh", "en"]),
                      help="Report language [default: settings.language].")(fn)
    fn = click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
                      help="Output folder [default: settings.output_dir].")(fn)
    return fn


@report_group.command("daily")
@click.option("--date", "day", metavar="YYYY-MM-DD", help="Day to cover [default: yesterday in the config zone].")
@_report_options
@click.pass_obj
def report_daily(state: State, day: str | None, out_dir: Path | None, lang: str | None, formats: str) -> None:
    """Write the daily briefing (HTML and PDF) for one day."""
    _report(state, "daily", day, out_dir, lang, formats)


@report_group.command("weekly")
@click.option("--date", "day", metavar="DATE", help="A day of the ISO week to cover, or YYYY-Www "
              "[default: last week in the config zone].")
@_report_options
@click.pass_obj
def report_weekly(state: State, day: str | None, out_dir: Path | None, lang: str | None, formats: str) -> None:
    """Write the weekly briefing (HTML and PDF) for one ISO week, Monday to Sunday."""
    _report(state, "weekly", day, out_dir, lang, formats)


def _report(state: State, kind: str, when: str | None, out_dir: Path | None, lang: str | None,
            formats: str) -> None:

    with handle_errors(state):
        wanted = _formats(formats)
        period = parse_period(kind, when) if when else None
        cfg = state.config()
        if period is not None and when is not None:  # today and the current week: a preview, not recorded
            check_requested(period, when, datetime.now(UTC), cfg.settings.tz)
        result = build_report(cfg, period or kind, out_dir=out_dir, language=lang, formats=wanted)
        for path in result.paths.values():
            click.echo(str(path))


def _formats(value: str) -> tuple[str, ...]:
    wanted = tuple(dict.fromkeys(f.strip().lower() for f in value.split(",") if f.strip()))
    bad = [f for f in wanted if f not in ("html", "pdf")]
    if bad or not wanted:
        raise click.BadParameter(f"expected html and/or pdf, got {value!r}", param_hint="--format")
    return wanted
