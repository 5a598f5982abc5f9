"""``reportgen demo``: the offline demo, five weeks of generated bank news through the real pipeline."""

from __future__ import annotations

from pathlib import Path

import click

from reportgen.cli.app import State, handle_errors, progress_bar
from reportgen.demo.cast import DEMO_SOURCES
from reportgen.demo.offline import run_demo


@click.command("demo")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("demo-out"),
              show_default=True, help="Where the demo report is written.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
@click.option("--keep", is_flag=True,
              help="Keep the demo's folder (config, store, fetched feeds) in OUT/demo-workspace to explore.")
@click.pass_obj
def demo_cmd(state: State, out_dir: Path, lang: str, keep: bool) -> None:
    """Offline demo: serve five weeks of generated bank news on 127.0.0.1, fetch, store, write both briefings."""
    with handle_errors(state):
        with progress_bar(len(DEMO_SOURCES), "fetching demo feeds") as progress:
            result = run_demo(out_dir, language=lang, progress=progress, keep=keep)
        s = result.summary
        click.echo(f"demo: {s.sources_ok} sources ok, {s.sources_failed} failed, "
                   f"{s.items_new} items stored, {s.items_matched} mention a bank")
        click.echo(f"config:   {result.config_path}")
        for kind, path in result.report.paths.items():
            click.echo(f"{kind + ':':12} {path}")
        for kind, path in result.weekly.paths.items():
            click.echo(f"{'weekly-' + kind + ':':12} {path}")
        if result.pushes:
            click.echo(f"push:     {len(result.pushes)} alert message(s) to {result.push_url}, a receiver on 127.0.0.1 "
                       "standing in for 企业微信/钉钉/飞书 (yesterday's fetches replayed hour by hour):")
            for at, title, _ in result.pushes:
                click.echo(f"  {at:%m-%d %H:%M}  {title}")
            # in full: the latest escalation to 一级 (the day's top story, as it broke), else the first
            # message at 一级, else the first message
            def at_level_1(title: str) -> bool:
                target = title.split("→")[-1]
                return "一级" in target or "Level 1" in target

            top = [p for p in result.pushes if "→" in p[1] and at_level_1(p[1])][-1:] \
                or [p for p in result.pushes if at_level_1(p[1])][:1] or result.pushes[:1]
            at, title, message = top[0]
            click.echo(f"  as received at {at:%m-%d %H:%M}:")
            for line in (title, *message.splitlines()):
                click.echo(f"    {line}")
        if result.workspace is not None:
            day, week = result.report.period, result.weekly.period
            config = result.workspace / "sources.toml"
            click.echo(f"kept:     {result.workspace} (sources.toml, demo.db, feeds/); explore it with:")
            if day is not None and week is not None:
                for command in (f"report daily --date {day.key} --lang {lang}", f"report weekly --date {week.key}",
                                f"events --date {day.key}", f"alerts --date {day.key} --days 7",
                                f"export --since {week.first} --until {day.last} --format csv -o demo.csv"):
                    click.echo(f"  reportgen --config {config} {command}")
