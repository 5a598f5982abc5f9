"""Cheap start-up: the cron commands load the heavy libraries only for the step that needs them.

``reportgen fetch`` runs every few minutes; importing pandas, matplotlib, WeasyPrint or the model's
code costs it seconds and tens of megabytes for nothing.  Each check runs in a fresh interpreter
(this one has imported everything already) and reads what was imported, not how long it took.

The commands are loaded lazily (:class:`reportgen.cli.app.LazyGroup`): ``reportgen --help`` imports
none of them and lists their stored short help, which must be each command's own; a real
``reportgen fetch`` that pushes nothing loads neither apprise nor the report's, the mail's or the
demo's code, and one where every source answers 304 neither the parser nor the scorer.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import click
import pytest
from click.testing import CliRunner
from mailserver import sample_feed, write_config

from reportgen.cli.app import COMMANDS, cli
from reportgen.demo.feedserver import FeedServer, Route

# The modules a fetch must not load: the report's (pandas, matplotlib, WeasyPrint) and the model's.
HEAVY = ("pandas", "matplotlib", "weasyprint", "reportgen.score.model", "reportgen.score.train", "sklearn")


def _imported(code: str) -> list[str]:
    """The HEAVY modules in ``sys.modules`` after ``code`` runs in a fresh interpreter."""
    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def test_importing_the_cli_loads_none_of_the_heavy_modules() -> None:
    assert _imported("import reportgen.cli") == []


@pytest.mark.parametrize("command", ["fetch", "run", "report", "send"])
def test_a_commands_help_loads_none_of_the_heavy_modules(command: str) -> None:
    code = ("import sys\nfrom reportgen.cli import main\nsys.argv = ['reportgen', '" + command + "', '--help']\n"
            "try:\n    main()\nexcept SystemExit:\n    pass")
    assert _imported(code) == []


def test_importtime_of_fetch_help_names_none_of_the_heavy_modules() -> None:
    """The check the issue names: ``python -X importtime -m reportgen.cli fetch --help``."""
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "reportgen.cli", "fetch", "--help"],
                          capture_output=True, text=True, timeout=120, check=True)
    imported = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")}
    assert "reportgen.cli.app" in imported  # the probe sees the imports at all
    assert sorted(m for m in imported if m.split(".")[0] in {h.split(".")[0] for h in HEAVY[:3]}
                  or m in HEAVY) == []


# --- lazy commands: `reportgen --help` and each command import only what they need -------------------

COMMAND_MODULES = sorted({target.partition(":")[0] for target, _ in COMMANDS.values()})


def _loaded(code: str, names: tuple[str, ...]) -> list[str]:
    """Which of ``names`` (modules, or packages with everything under them) ``code`` imported, in a
    fresh interpreter."""
    probe = (f"{code}\nimport json, sys\nnames = {names!r}\n"
             "print(json.dumps(sorted(n for n in names if any(m == n or m.startswith(n + '.') for m in sys.modules))))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def _main(*args: str) -> str:
    """Code that runs ``reportgen ARGS`` as the console script does, in this interpreter."""
    return (f"import sys\nfrom reportgen.cli import main\nsys.argv = ['reportgen', *{list(args)!r}]\n"
            "try:\n    main()\nexcept SystemExit as exc:\n    assert exc.code in (0, None), exc.code")


def test_the_groups_help_imports_no_command() -> None:
    assert _loaded(_main("--help"), (*COMMAND_MODULES, "reportgen.flow", *HEAVY)) == []


def test_a_command_imports_its_module_and_no_other_commands() -> None:
    others = tuple(m for m in COMMAND_MODULES if m != "reportgen.cli.cron")
    assert _loaded(_main("fetch", "--help"), ("reportgen.cli.cron", *others)) == ["reportgen.cli.cron"]


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_each_commands_stored_short_help_is_its_own(name: str) -> None:
    command = cli.get_command(click.Context(cli), name)
    assert command is not None and command.name == name
    stored = click.Command(name, help=COMMANDS[name][1])
    for width in (20, 45, 10_000):  # the listing cuts it to the terminal's width
        assert stored.get_short_help_str(width) == command.get_short_help_str(width)


def test_the_lazy_listing_is_what_the_loaded_commands_list() -> None:
    env = {**os.environ, "COLUMNS": "80"}
    done = subprocess.run([sys.executable, "-m", "reportgen.cli", "--help"], capture_output=True, text=True,
                          timeout=120, env=env, check=True)
    for name in COMMANDS:  # every command loaded in this interpreter, its own help listed
        cli.get_command(click.Context(cli), name)
    assert set(cli.commands) >= set(COMMANDS)
    eager = CliRunner().invoke(cli, ["--help"], prog_name="reportgen", env={"COLUMNS": "80"}, terminal_width=80)
    assert eager.exit_code == 0
    assert done.stdout == eager.output
    assert "fetch   Fetch every enabled source and store new items." in done.stdout


# --- `reportgen fetch` loads neither the push and report code nor, for 304s, the parser or the scorer --

# Never needed by a fetch that pushes nothing: the push client, what an alert message says, the mail,
# the report (templates, translations, PDF) and the demo; nor httpx's own command-line client (rich,
# pygments), which the CLI marks absent, nor rich's progress bar when stderr is no terminal.
NOT_FOR_FETCH = ("apprise", "reportgen.report", "reportgen.deliver.mail", "reportgen.deliver.outbox",
                 "reportgen.insight.aggregate", "reportgen.demo", "jinja2", "babel", "rich", "pygments", *HEAVY)
# Not needed when every source answered 304: nothing to parse, match or judge.
NOT_FOR_304 = ("feedparser", "lxml", "chardet", "reportgen.ingest.parse", "reportgen.score.rules",
               "reportgen.score.backend")


def test_fetch_loads_only_what_it_needs(tmp_path: Path) -> None:
    yesterday = (datetime.now(UTC).astimezone(ZoneInfo("Asia/Shanghai")) - timedelta(days=1)).date()
    with FeedServer({"/good": Route(sample_feed(yesterday))}) as feeds:
        config = write_config(tmp_path, feeds_base=feeds.base_url, smtp_port=None)
        code = f"import os\nos.chdir({str(tmp_path)!r})\n" + _main("--config", str(config), "fetch", "--json")
        first = _loaded(code, (*NOT_FOR_FETCH, *NOT_FOR_304))  # news: parsed, matched, judged, clustered
        assert [r.status for r in feeds.requests] == [200]
        assert {"reportgen.ingest.parse", "reportgen.score.backend"} <= set(first)  # the probe sees the work
        assert [m for m in first if m in NOT_FOR_FETCH] == []
        second = _loaded(code, (*NOT_FOR_FETCH, *NOT_FOR_304))
        assert [r.status for r in feeds.requests] == [200, 304]  # nothing new: nothing to parse or judge
        assert second == []
