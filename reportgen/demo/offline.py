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
from datetime import UTC, datetime
from pathlib import Path

from reportgen.config.core import Config, parse_config_text
from reportgen.demo.data import demo_config_toml, generate_demo_feeds
from reportgen.demo.feedserver import FeedServer, Route
from reportgen.flow.pipeline import Progress, ReportResult, build_report, run_fetch
from reportgen.models import RunSummary
from reportgen.periods import previous_period

log = logging.getLogger(__name__)


WORKSPACE = "demo-workspace"  # the folder ``--keep`` leaves inside the output folder


@dataclass(frozen=True, slots=True)
class DemoResult:
    config_path: Path
    summary: RunSummary
    report: ReportResult  # the daily briefing
    weekly: ReportResult
    workspace: Path | None = None  # with keep: the config, store and fetched feeds, to explore


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
    with FeedServer(routes) as server, _workspace(out_dir, keep) as tmp:
        text = demo_config_toml(server.base_url, database="sqlite:///demo.db", output_dir=str(out_dir))
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
        # The reports cover yesterday and last week relative to the feeds' clock, and are made
        # after the fetch, so their source-health section sees this run.
        made = max(now, datetime.now(UTC))
        report = build_report(config, previous_period("daily", now, config.settings.tz), now=made,
                              language=language)
        weekly = build_report(config, previous_period("weekly", now, config.settings.tz), now=made,
                              language=language)
        kept = out_dir / "demo-sources.toml"
        kept.write_text(_commented(text), encoding="utf-8")
    return DemoResult(kept, summary, report, weekly, Path(tmp) if keep else None)


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
