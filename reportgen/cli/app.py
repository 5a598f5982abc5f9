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

import importlib
import json
import logging
import os
import select
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import click

# httpx imports its own command-line client whenever rich and pygments are installed (~6 MB and tens
# of ms at every start of `reportgen fetch`); reportgen never runs it.  Marked absent, httpx's import
# of it fails and httpx defines its stub ``main`` instead (httpx/__init__.py), the rest unchanged.
sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]

from reportgen import __version__  # noqa: E402
from reportgen.cli.logjson import JsonFormatter, json_line  # noqa: E402
from reportgen.config.core import load_config  # noqa: E402
from reportgen.errors import ConfigError, DataError, ReportgenError  # noqa: E402

EXIT_ALL_SOURCES_FAILED = 6
EXIT_SOME_SOURCES_FAILED = 7
EXIT_UNDELIVERED = 8  # DeliveryError uses it too; LockBusy is 9
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, what a shell reports for a tool whose reader went away

log = logging.getLogger("reportgen")

# Every command: the module and attribute that define it, and its short help as `reportgen --help`
# lists it (the first paragraph of its docstring; tests/test_startup.py checks that they agree).
# A command's module is imported only when that command runs: `reportgen fetch` every few minutes
# should not pay for the report's, the demo's or the model's code.
COMMANDS: dict[str, tuple[str, str]] = {
    "alerts": ("reportgen.cli.events:alerts_cmd",
               "The day's alerts with the reason each fired and the playbook's actions and owner."),
    "config": ("reportgen.cli.configcmd:config_group", "Inspect and validate the configuration."),
    "demo": ("reportgen.cli.demo:demo_cmd", "Offline demo: serve five weeks of generated bank news on 127.0.0.1, "
             "fetch, store, write both briefings."),
    "eval": ("reportgen.cli.score:eval_cmd",
             "Score a labelled file and print precision, recall, F1, accuracy and the confusion matrix."),
    "events": ("reportgen.cli.events:events_cmd", "The day's events (a story and its reprints), hottest first."),
    "export": ("reportgen.cli.export:export_cmd", "Export matched items, one row per item × bank."),
    "fetch": ("reportgen.cli.cron:fetch_cmd", "Fetch every enabled source and store new items."),
    "label": ("reportgen.cli.label:label_cmd", "Correct the judgement of ITEM_ID for one bank; it wins in every "
              "later report and export (人工修正)."),
    "model": ("reportgen.cli.model:model_group", "Train the model backend of scoring (needs the ml extra: pip "
              "install 'reportgen[ml]')."),
    "push": ("reportgen.cli.push:push_cmd",
             "The configured [[push]] channels; with --test, send each (or CHANNEL) a test message."),
    "report": ("reportgen.cli.report:report_group", "Render briefings."),
    "run": ("reportgen.cli.cron:run_cmd", "The cron job: fetch → score → events and alerts → report → send."),
    "score": ("reportgen.cli.score:score_cmd", "Judge stored mentions that have no score from the current scorer."),
    "send": ("reportgen.cli.cron:send_cmd", "Retry every undelivered mail in the outbox.  Exits 8 while anything "
             "is undelivered."),
}


class LazyGroup(click.Group):
    """A click group whose commands are imported only when one of them runs.

    ``lazy`` maps each command's name to ``("module:attribute", short help)``.  Running a command
    (or asking for its ``--help``) imports its module; ``--help`` of the group lists every command
    with its stored short help, importing none of them.
    """

    def __init__(self, *args: Any, lazy: Mapping[str, tuple[str, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy: dict[str, tuple[str, str]] = dict(lazy or {})

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in self.lazy:
            self.add_command(self.load(cmd_name), cmd_name)
        return self.commands.get(cmd_name)

    def load(self, cmd_name: str) -> click.Command:
        """Import the command ``cmd_name`` from where :attr:`lazy` says it is defined."""
        module_name, _, attribute = self.lazy[cmd_name][0].partition(":")
        command = getattr(importlib.import_module(module_name), attribute)
        if not isinstance(command, click.Command):
            raise TypeError(f"{module_name}:{attribute} is not a click command")
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """click's listing, with a command not yet imported stood in for by its stored short help."""
        commands: list[tuple[str, click.Command]] = []
        for name in self.list_commands(ctx):
            cmd = self.commands.get(name) or click.Command(name, help=self.lazy[name][1])
            if not cmd.hidden:
                commands.append((name, cmd))
        if commands:
            limit = formatter.width - 6 - max(len(name) for name, _ in commands)
            with formatter.section("Commands"):
                formatter.write_dl([(name, cmd.get_short_help_str(limit)) for name, cmd in commands])


class State:
    def __init__(self, config_path: Path | None, debug: bool, log_json: bool = False) -> None:
        self.config_path = config_path
        self.debug = debug
        self.log_json = log_json  # --log-json: every stderr line one JSON object, errors included

    def config(self, *, log_warnings: bool = True) -> Any:
        """The loaded config; its warnings are logged unless the command reports them itself."""
        cfg = load_config(self.config_path)
        if log_warnings:
            for warning in cfg.warnings:
                log.warning("%s", warning)
        return cfg

    def note(self, text: str, *, level: int = logging.INFO, plain: str | None = None, **fields: Any) -> None:
        """A line for the operator on stderr: ``plain`` (else ``text``) as it is, or with --log-json
        one JSON object whose message is ``text`` and whose keys include ``fields``."""
        click.echo(json_line(text, level=level, **fields) if self.log_json else plain or text, err=True)


@click.group(cls=LazyGroup, lazy=COMMANDS, context_settings={"help_option_names": ["-h", "--help"]})
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
    ctx.obj = State(config_path, debug, log_json)


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
        problems = exc.problems if isinstance(exc, ConfigError) else [exc.message]
        if as_json:
            click.echo(json.dumps({"ok": False, "error": type(exc).__name__, "problems": problems,
                                   "hint": exc.hint}, ensure_ascii=False))
        state.note(exc.message, level=logging.ERROR, plain=f"error: {exc}", error=type(exc).__name__,
                   problems=problems, hint=exc.hint, exit_code=exc.exit_code)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        state.note("interrupted", level=logging.ERROR, error="KeyboardInterrupt", exit_code=130)
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
        hint = "run again with --debug for the traceback, and report it"
        message = f"unexpected {type(exc).__name__}: {exc}"
        state.note(message, level=logging.ERROR, plain=f"error: {message}\n  hint: {hint}",
                   error=type(exc).__name__, problems=[message], hint=hint, exit_code=1)
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
def progress_bar(total: int | None, label: str) -> Iterator[Callable[[Any], None] | None]:
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
        # what reportgen.report.render.quiet_weasyprint_logging does, without importing the renderer
        # (jinja2 and the briefing's code) into every command: WeasyPrint's and fontTools' loggers
        for name in ("weasyprint", "weasyprint.progress", "fontTools"):
            logging.getLogger(name).setLevel(logging.ERROR)
        for name in ("httpx", "httpcore"):
            logging.getLogger(name).setLevel(logging.WARNING)


def main() -> None:
    cli(prog_name="reportgen")
