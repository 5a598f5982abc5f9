"""The offline demo: generated feeds → a real local HTTP server → the real pipeline → a PDF.

Nothing here is special-cased: the feeds are served over HTTP on 127.0.0.1, fetched by the
normal fetch stage, parsed, matched and stored in a fresh SQLite database, and the briefings
(yesterday's daily report and last week's weekly one, in the demo's zone) are rendered by the
normal report path.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from reportgen.config.core import Config, parse_config_text
from reportgen.demo.data import demo_config_toml, generate_demo_feeds
from reportgen.demo.feedserver import FeedServer, Route
from reportgen.demo.receiver import PushReceiver
from reportgen.flow.alerting import alert_now
from reportgen.flow.pipeline import Progress, ReportResult, build_report, run_fetch
from reportgen.models import RunSummary
from reportgen.periods import day_start, previous_day, previous_period
from reportgen.store.db import Store

log = logging.getLogger(__name__)


WORKSPACE = "demo-workspace"  # the folder ``--keep`` leaves inside the output folder
# The demo's duty desk: a JSON webhook on 127.0.0.1 standing in for 企业微信, 钉钉 or 飞书.
PUSH_SECTION = """
# Real-time alerts: every fetch pushes new alerts here (the demo's receiver on 127.0.0.1).
[[push]]
name = "duty-desk"
url = "{url}"
min_level = 2
language = "{language}"

[alerts.intraday]
remind_max = 1  # an unacknowledged 一级 alert is pushed again once
"""


@dataclass(frozen=True, slots=True)
class DemoResult:
    config_path: Path
    summary: RunSummary
    report: ReportResult  # the daily briefing
    weekly: ReportResult
    workspace: Path | None = None  # with keep: the config, store and fetched feeds, to explore
    # the alerts pushed, as the local receiver got them: (the fetch's local time, title, message) each
    pushes: tuple[tuple[datetime, str, str], ...] = ()
    push_url: str = ""  # where they went (a JSON webhook on 127.0.0.1)


def run_demo(out_dir: Path, *, now: datetime | None = None, language: str = "zh",
             progress: Progress | None = None, keep: bool = False) -> DemoResult:
    """Serve five weeks of generated bank news locally, fetch and store it, write the briefings.

    The database lives in a temporary folder and is removed afterwards, unless ``keep``: then the
    folder (``sources.toml``, ``demo.db`` and the feed files as served, under ``feeds/``) stays in
    ``out_dir/demo-workspace`` for ``report``, ``events``, ``alerts`` and ``export`` to run against.
    Either way the config used is kept next to the report.
    """
    now = now or datetime.now(UTC)
    out_dir = out_dir.resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    feeds = generate_demo_feeds(now)
    routes = {f.path: Route(f.body, f.content_type) for f in feeds}
    with FeedServer(routes) as server, PushReceiver() as receiver, _workspace(out_dir, keep) as tmp:
        push_url = f"json://127.0.0.1:{receiver.port}/duty"
        text = demo_config_toml(server.base_url, database="sqlite:///demo.db", output_dir=str(out_dir))
        text += PUSH_SECTION.format(url=push_url, language=language)
        config_path = Path(tmp) / "sources.toml"
        config_path.write_text(text, encoding="utf-8")
        if keep:
            folder = Path(tmp) / "feeds"
            folder.mkdir()
            for feed in feeds:
                (folder / feed.path.strip("/").replace("/", "_")).write_bytes(feed.body)
        config: Config = parse_config_text(text, config_path)
        log.info("demo: %d feeds on %s", len(feeds), server.base_url)
        summary = run_fetch(config, now=now, progress=progress)
        pushes = _replay_alerts(config, receiver, now)
        # The reports cover yesterday and last week relative to the feeds' clock, and are made
        # after the fetch, so their source-health section sees this run.
        made = max(now, datetime.now(UTC))
        tz, start_hour = config.settings.tz, config.report.day_start_hour
        report = build_report(config, previous_period("daily", now, tz, start_hour), now=made, language=language)
        weekly = build_report(config, previous_period("weekly", now, tz, start_hour), now=made, language=language)
        kept = out_dir / "demo-sources.toml"
        kept.write_text(_commented(text), encoding="utf-8")
    return DemoResult(kept, summary, report, weekly, Path(tmp) if keep else None, pushes, push_url)


def _replay_alerts(config: Config, receiver: PushReceiver, now: datetime) -> tuple[tuple[datetime, str, str], ...]:
    """What the duty desk got, had ``reportgen fetch`` run every hour of yesterday and now: after each
    fetch the last 24 hours' alerts are raised and pushed (new ones, and escalations) to the demo's
    receiver.  The feeds were fetched at once; each replayed fetch sees what was published by then."""
    store = Store.open(config.settings.database)
    tz = config.settings.tz
    start = day_start(previous_day(now, tz), tz)
    out: list[tuple[datetime, str, str]] = []
    for at in [start + timedelta(hours=h) for h in range(1, 25) if start + timedelta(hours=h) < now] + [now]:
        seen = len(receiver.accepted)
        alert_now(store, config, at)
        out += [(at.astimezone(tz), r.json()["title"], r.json()["message"]) for r in receiver.accepted[seen:]]
    return tuple(out)


def _workspace(out_dir: Path, keep: bool) -> AbstractContextManager[str]:
    """A temporary folder, or with ``keep`` a fresh ``demo-workspace`` folder that stays."""
    if not keep:
        return tempfile.TemporaryDirectory(prefix="reportgen-demo-")
    folder = out_dir / WORKSPACE
    if folder.exists():
        shutil.rmtree(folder)  # a new demo run: the old store would mix two runs' clocks
    folder.mkdir()
    return nullcontext(str(folder))


def _commented(text: str) -> str:
    return ("# The configuration the demo ran with.  Its feeds were served by a temporary local\n"
            "# server that has stopped, so use it as an example rather than to fetch again.\n" + text)
