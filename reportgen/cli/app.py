"""The ``reportgen`` command: a thin click shell over :mod:`reportgen.flow`.

Each command loads the config, makes one library call and prints a summary.  Errors that
reportgen raises on purpose become a one-paragraph message and the error's exit code; a
traceback is shown only with ``--debug``.

Exit codes (the README has the same table)::

    0    ok
    1    other reportgen error (an unexpected one says to rerun with --debug)
    2    config or usage error
    3    database error (also: the database or the run lock beside it cannot be written, e.g. on a
         read-only mount; or settings.database is another application's database)
    4    render error
    5    data error (e.g. a bad --date)
    6    fetch, run: every source failed (run: the report was still made from stored items)
    7    fetch, run: some sources failed; the rest were stored (run: report made, mail delivered)
    8    run, send: mail undelivered: something in the outbox is pending, failed, or expired in
         this run (send --test: the test mail failed)
    9    fetch, run, send: another run held the lock for longer than run.lock_timeout_s
    10   run: data incomplete: fewer than report.min_sources_answered (80 %) of the sources
         answered, or a channel had none; the report was made and delivered, opening with
         数据采集异常 and without the all-clear (6 instead when every source failed)
    130  interrupted
    141  stdout was closed before the output ended (`reportgen export | head -1`): quietly cut short
    143  stopped by SIGTERM (systemd, timeout, kill): fetching stopped, what was stored is kept, the
         run is recorded as interrupted and the run lock released

When several apply, the lowest in this list wins: 9, then 8, then 6, then 10, then 7.
"""

from __future__ import annotations

import json
import logging
import os
import select
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, TextIO

import click

from reportgen import __version__
from reportgen.cli.logjson import JsonFormatter
from reportgen.config.core import load_config, redact_url
from reportgen.demo.cast import DEMO_SOURCES
from reportgen.demo.offline import run_demo
from reportgen.errors import ConfigError, DataError, ReportgenError
from reportgen.flow.corrections import train_from_store
from reportgen.flow.pipeline import build_report
from reportgen.flow.queries import export_rows
from reportgen.flow.runner import EXIT_DATA_INCOMPLETE, fetch, run, send_pending, send_test
from reportgen.periods import check_not_future, parse_period
from reportgen.report.export import write_csv, write_jsonl, write_parquet
from reportgen.report.render import quiet_weasyprint_logging

EXIT_ALL_SOURCES_FAILED = 6
EXIT_SOME_SOURCES_FAILED = 7
EXIT_UNDELIVERED = 8  # DeliveryError uses it too; LockBusy is 9
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, what a shell reports for a tool whose reader went away

log = logging.getLogger("reportgen")


class State:
    def __init__(self, config_path: Path | None, debug: bool) -> None:
        self.config_path = config_path
        self.debug = debug

    def config(self) -> Any:

        cfg = load_config(self.config_path)
        for warning in cfg.warnings:
            log.warning("%s", warning)
        return cfg


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path),
              envvar="REPORTGEN_CONFIG", help="Config file [default: ./sources.toml or $REPORTGEN_CONFIG].")
@click.option("--debug", is_flag=True, help="Debug logging and full tracebacks.")
@click.option("-v", "--verbose", is_flag=True, help="Log progress at INFO level.")
@click.option("--log-json", is_flag=True, help="Log one JSON object per line on stderr (for log collectors).")
@click.version_option(__version__, prog_name="reportgen")
@click.pass_context
def cli(ctx: click.Context, config_path: Path | None, debug: bool, verbose: bool, log_json: bool) -> None:
    """reportgen: bank public-opinion monitoring (银行舆情) and daily briefings."""
    _configure_logging(logging.DEBUG if debug else logging.INFO if verbose else logging.WARNING, log_json)
    ctx.obj = State(config_path, debug)


# --- config ---------------------------------------------------------------------------------------


@cli.group("config")
def config_group() -> None:
    """Inspect and validate the configuration."""


@config_group.command("check")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.pass_obj
def config_check(state: State, as_json: bool) -> None:
    """Validate sources.toml: keys, types, ids, URLs.  Exit 2 on any problem."""
    with handle_errors(state, as_json=as_json):
        cfg = state.config()
        warnings = list(cfg.warnings)
        uses_routes = any(s.route for s in cfg.enabled_sources)
        if uses_routes and cfg.rsshub.access_key_env and cfg.rsshub.access_key() is None:
            warnings.append(f"${cfg.rsshub.access_key_env} is not set: RSSHub routes are fetched without a key")
        if cfg.email.enabled and cfg.email.password_env and cfg.email.password_env not in os.environ:
            warnings.append(f"${cfg.email.password_env} is not set: mail cannot log in to {cfg.email.host}")
        for channel in cfg.push.enabled_channels:
            for name in channel.missing_env():
                warnings.append(f"${name} is not set: push channel {channel.name!r} cannot send")
        result = {
            "ok": True, "path": str(cfg.path), "banks": len(cfg.banks), "sources": len(cfg.sources),
            "enabled_sources": len(cfg.enabled_sources), "database": redact_url(cfg.settings.database),
            "output_dir": str(cfg.settings.output_dir), "warnings": warnings,
            "push": [c.as_dict() for c in cfg.push.channels],  # URLs with their secrets hidden
        }
        if as_json:
            click.echo(json.dumps(result, ensure_ascii=False))
        else:
            click.echo(f"{cfg.path}: OK — {len(cfg.banks)} banks, {len(cfg.sources)} sources "
                       f"({len(cfg.enabled_sources)} enabled); database {result['database']}")
            for warning in warnings:
                click.echo(f"warning: {warning}", err=True)


# --- fetch ----------------------------------------------------------------------------------------


@cli.command("fetch")
@click.option("--json", "as_json", is_flag=True, help="Print the run summary as JSON.")
@click.option("--workers", type=click.IntRange(1, 256), default=None,
              help="Processes (or Dask workers) for parsing, matching and scoring [default: execution.workers, "
                   "else 1].")
@click.pass_obj
def fetch_cmd(state: State, as_json: bool, workers: int | None) -> None:
    """Fetch every enabled source and store new items.

    Exits 0 when every source answered, 7 when some failed (the rest were stored),
    6 when all failed, 9 when a run held the lock longer than run.lock_timeout_s.
    """

    with handle_errors(state, as_json=as_json):
        cfg = state.config()
        with _progress(len(cfg.enabled_sources), "fetching") as progress:
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
        if summary.sources and summary.sources_failed == len(summary.sources):
            sys.exit(EXIT_ALL_SOURCES_FAILED)
        if summary.sources_failed:
            sys.exit(EXIT_SOME_SOURCES_FAILED)


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


# --- report ---------------------------------------------------------------------------------------


@cli.group("report")
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
        if period is not None:
            check_not_future(period.first, datetime.now(UTC), cfg.settings.tz)
        result = build_report(cfg, period or kind, out_dir=out_dir, language=lang, formats=wanted)
        for path in result.paths.values():
            click.echo(str(path))


def _formats(value: str) -> tuple[str, ...]:
    wanted = tuple(dict.fromkeys(f.strip().lower() for f in value.split(",") if f.strip()))
    bad = [f for f in wanted if f not in ("html", "pdf")]
    if bad or not wanted:
        raise click.BadParameter(f"expected html and/or pdf, got {value!r}", param_hint="--format")
    return wanted


# --- export ---------------------------------------------------------------------------------------


@cli.command("export")
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
        if fmt == "parquet":
            write_parquet(rows, str(output) if output else sys.stdout.buffer, timezone=cfg.settings.timezone)
            sys.stdout.flush()
        else:
            with _open_output(output) as fh:
                (write_jsonl if fmt == "jsonl" else write_csv)(rows, fh)
        if output:
            click.echo(f"{len(rows)} rows → {output}", err=True)


@contextmanager
def _open_output(path: Path | None) -> Iterator[TextIO]:
    if path is None:
        yield sys.stdout
        sys.stdout.flush()
        return
    with path.open("w", encoding="utf-8", newline="") as fh:
        yield fh


# --- run and send ---------------------------------------------------------------------------------


@cli.command("run")
@click.argument("kind", type=click.Choice(["daily", "weekly"]))
@click.option("--date", "when", metavar="DATE",
              help="Backfill: the day (daily) or a day of the ISO week / YYYY-Www (weekly) "
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
        if period is not None:
            check_not_future(period.first, datetime.now(UTC), cfg.settings.tz)
        with _progress(len(cfg.enabled_sources), "fetching") as progress:
            result = run(cfg, period or kind, send=not no_send, force=force, progress=progress, workers=workers)
        click.echo(json.dumps(result.as_dict(), ensure_ascii=False) if as_json else result.summary())
        if result.fetch.alerting is not None and not as_json:
            click.echo(result.fetch.alerting.summary())
        if not result.mail_ok:
            sys.exit(EXIT_UNDELIVERED)
        if result.all_sources_failed:
            sys.exit(EXIT_ALL_SOURCES_FAILED)
        if not result.data_complete:
            sys.exit(EXIT_DATA_INCOMPLETE)
        if result.sources_failed:
            sys.exit(EXIT_SOME_SOURCES_FAILED)


@cli.command("send")
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


# --- model ----------------------------------------------------------------------------------------


@cli.group("model")
def model_group() -> None:
    """Train the model backend of scoring (needs the ml extra: pip install 'reportgen[ml]')."""


@model_group.command("train")
@click.option("--data", "data", multiple=True, metavar="FILE.jsonl",
              type=click.Path(dir_okay=False, path_type=Path),
              help="Labelled JSONL (FinNSP, FinFE or bank-level fields); repeat to train several heads into one "
                   "model.")
@click.option("--from-store", "from_store", is_flag=True,
              help="Also train on the analysts' corrections in the configured store (`reportgen label`).")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The model file to write.")
@click.option("--json", "as_json", is_flag=True, help="Print the training summary as JSON.")
@click.pass_obj
def model_train(state: State, data: tuple[Path, ...], from_store: bool, out: Path, as_json: bool) -> None:
    """Train a model from labelled JSONL (and the store's corrections) and write it (a safe format: no pickle)."""
    from reportgen.score.train import train_model  # optional: scikit-learn (the ml extra), only for training

    if not data and not from_store:
        raise click.UsageError("give --data FILE.jsonl, --from-store, or both")
    with handle_errors(state, as_json=as_json):
        summary = train_from_store(state.config(), list(data), out) if from_store else train_model(list(data), out)
        if as_json:
            click.echo(json.dumps(summary.as_dict(), ensure_ascii=False))
            return
        click.echo(f"{out}: trained {', '.join(summary.heads)} in {summary.seconds:.1f} s "
                   f"(sha256 {summary.sha256[:12]})")
        for f in summary.files:
            click.echo(f"  data {f['file']}: {f['rows']} rows")
        for name, head in summary.heads.items():
            cv = ", ".join(f"{k} {v:.4f}" for k, v in head["cv"].items() if isinstance(v, float))
            size = head.get("pairs", head.get("rows"))
            click.echo(f"  head {name}: {size} examples; cross-validated {cv}")


# --- demo -----------------------------------------------------------------------------------------


@cli.command("demo")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("demo-out"),
              show_default=True, help="Where the demo report is written.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
@click.option("--keep", is_flag=True,
              help="Keep the demo's folder (config, store, fetched feeds) in OUT/demo-workspace to explore.")
@click.pass_obj
def demo_cmd(state: State, out_dir: Path, lang: str, keep: bool) -> None:
    """Offline demo: serve five weeks of generated bank news on 127.0.0.1, fetch, store, write both briefings."""
    with handle_errors(state):
        with _progress(len(DEMO_SOURCES), "fetching demo feeds") as progress:
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


# --- plumbing -------------------------------------------------------------------------------------


def parse_day(value: str, option: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise DataError(f"{option}: expected a date as YYYY-MM-DD, got {value!r}") from None


@contextmanager
def handle_errors(state: State, *, as_json: bool = False) -> Iterator[None]:
    """Turn a ReportgenError into a clean message and its exit code."""
    try:
        yield
    except ReportgenError as exc:
        if state.debug:
            raise
        if as_json:
            problems = exc.problems if isinstance(exc, ConfigError) else [exc.message]
            click.echo(json.dumps({"ok": False, "error": type(exc).__name__, "problems": problems,
                                   "hint": exc.hint}, ensure_ascii=False))
        click.echo(f"error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        sys.exit(130)
    except (click.ClickException, click.exceptions.Exit, click.Abort):
        raise  # click's own usage errors keep their messages and exit codes
    except Exception as exc:  # a bug, not a condition we report on purpose
        if isinstance(exc, BrokenPipeError) and _stdout_gone():
            # Whoever read stdout went away (`reportgen export | head -1`): stop quietly, as Unix tools
            # do.  Python's advice: point stdout at devnull, so the flush at exit cannot fail again.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            sys.exit(EXIT_BROKEN_PIPE)
        if state.debug:
            raise
        log.debug("unexpected error", exc_info=True)
        click.echo(f"error: unexpected {type(exc).__name__}: {exc}\n  hint: run again with --debug for the "
                   "traceback, and report it", err=True)
        sys.exit(1)


def _stdout_gone() -> bool:
    """Whether stdout is a pipe or socket whose reader has closed it (not some other broken pipe)."""
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, ValueError, OSError):  # click's test runner, a closed or replaced stream
        return False
    poller = select.poll()
    poller.register(fd, select.POLLOUT)
    return any(events & (select.POLLERR | select.POLLHUP) for _, events in poller.poll(0))


@contextmanager
def _progress(total: int | None, label: str) -> Iterator[Callable[[Any], None] | None]:
    """A rich progress bar on a TTY; nothing otherwise (cron logs stay clean)."""
    if not sys.stderr.isatty():
        yield None
        return
    # heavy: rich's progress bar, only on a terminal
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  transient=True) as bar:
        task = bar.add_task(label, total=total)

        def advance(result: Any) -> None:
            bar.update(task, advance=1, description=f"{label} {getattr(result, 'source_id', '')}")

        yield advance


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever ``sys.stderr`` is when a record arrives (click's test runner swaps it)."""

    @property
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, _value: Any) -> None:
        pass


def _configure_logging(level: int, log_json: bool = False) -> None:

    root = logging.getLogger()
    formatter = (JsonFormatter() if log_json
                 else logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s", "%H:%M:%S"))
    ours = [h for h in root.handlers if getattr(h, "_reportgen", False)]
    if ours:
        root.setLevel(level)
        ours[0].setFormatter(formatter)
        return
    handler = _StderrHandler()
    handler.setFormatter(formatter)
    handler._reportgen = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level)
    if level > logging.DEBUG:  # third-party chatter only with --debug (httpx logs every request)

        quiet_weasyprint_logging()
        for name in ("httpx", "httpcore"):
            logging.getLogger(name).setLevel(logging.WARNING)


def main() -> None:
    cli(prog_name="reportgen")
