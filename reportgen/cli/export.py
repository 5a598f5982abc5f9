"""``reportgen export``: matched items as JSONL, CSV or Parquet, one row per item × bank."""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import click

from reportgen.cli.app import State, handle_errors, parse_day
from reportgen.errors import DataError, ReportgenError
from reportgen.flow.queries import export_rows
from reportgen.report.export import write_csv, write_export_file, write_jsonl, write_parquet


@click.command("export")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "parquet"]), default="jsonl", show_default=True,
              help="csv: cells starting with = + - @ get a leading ' (safe in Excel); parquet needs -o or a pipe.")
@click.option("--since", metavar="YYYY-MM-DD", help="First day (inclusive, config zone) [default: 7 days ago].")
@click.option("--until", metavar="YYYY-MM-DD", help="Last day (inclusive, config zone) [default: today].")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="File [default: stdout].")
@click.pass_obj
def export_cmd(state: State, fmt: str, since: str | None, until: str | None, output: Path | None) -> None:
    """Export matched items, one row per item × bank."""


    with handle_errors(state):
        cfg = state.config()
        today = datetime.now(UTC).astimezone(cfg.settings.tz).date()
        last = parse_day(until, "--until") if until else today
        first = parse_day(since, "--since") if since else last - timedelta(days=6)
        if first > last:
            raise DataError(f"--since {first} is after --until {last}")
        if fmt == "parquet" and output is None and sys.stdout.isatty():
            raise click.UsageError("parquet is binary: pass -o FILE or redirect stdout")
        rows = export_rows(cfg, first, last)
        if output is not None:
            _make_folder(output)
            # whole or not at all: written beside it and renamed, so a full disk leaves no half file
            write_export_file(rows, fmt, output, timezone=cfg.settings.timezone)
            state.note(f"{len(rows)} rows → {output}", rows=len(rows), output=str(output))
        elif fmt == "parquet":
            write_parquet(rows, sys.stdout.buffer, timezone=cfg.settings.timezone)
            sys.stdout.flush()
        else:
            (write_jsonl if fmt == "jsonl" else write_csv)(rows, sys.stdout)
            sys.stdout.flush()


def _make_folder(path: Path) -> None:
    """Create the folder ``-o`` writes into, as ``report --out`` does; a clean error if it cannot be."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ReportgenError(f"-o {path}: cannot create the folder {path.parent}: {exc.strerror or exc}",
                             hint="give a file in a folder you can write to, or leave -o out to write to stdout"
                             ) from None
