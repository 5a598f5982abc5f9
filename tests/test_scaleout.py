"""Same answers everywhere (issue 8): the demo workload run three ways must store the same items,
mentions, judgements, events and alerts, and render byte-identical report HTML.

- local, one process, SQLite (the default);
- local, one process, PostgreSQL;
- Dask: a LocalCluster of 2 worker processes on 127.0.0.1, PostgreSQL (the workers write into it);
- and Dask with SQLite, where the workers send their rows back and the driver writes.

Real parts throughout: the demo's feeds on a local HTTP server, a real PostgreSQL
(``REPORTGEN_TEST_PG_URL``, a fresh schema per leg), a real Dask cluster.  The only thing held
fixed is the clock (``NOW``, handed to the feeds, the fetch and the reports); nothing is
normalised afterwards.  The PostgreSQL legs skip without the server, the Dask legs without dask.
"""

from __future__ import annotations

import importlib.util
import os
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from pgdb import fresh_schema, require_pg
from sqlalchemy import select

from reportgen.config.core import Config, parse_config_text
from reportgen.demo.data import demo_config_toml, generate_demo_feeds
from reportgen.demo.feedserver import FeedServer, Route
from reportgen.flow.pipeline import build_report, run_fetch
from reportgen.periods import previous_period
from reportgen.store.db import Store, alerts, event_items, events, items, mentions, scores

# a whole minute in the past: every demo item is dated before the fetch, so none is capped
NOW = datetime.now(UTC).replace(second=0, microsecond=0)
HAS_DASK = importlib.util.find_spec("distributed") is not None
needs_dask = pytest.mark.skipif(not HAS_DASK, reason="dask.distributed is not installed: pip install 'reportgen[dask]'")


@pytest.fixture(scope="module")
def demo_server() -> Iterator[FeedServer]:
    feeds = generate_demo_feeds(NOW)
    with FeedServer({f.path: Route(f.body, f.content_type) for f in feeds}) as server:
        yield server


def leg_config(folder: Path, base_url: str, database: str, execution: str = "") -> Config:
    folder.mkdir(parents=True, exist_ok=True)
    text = demo_config_toml(base_url, database=database, output_dir=str(folder / "out")) + execution
    return parse_config_text(text, folder / "sources.toml")


def run_leg(config: Config, reports: tuple[str, ...] = ("daily",)) -> dict[str, Any]:
    """Fetch (fetch → parse → match → score → events), make the reports as HTML; read it all back."""
    summary = run_fetch(config, now=NOW)
    html = {}
    for kind in reports:
        result = build_report(config, previous_period(kind, NOW, config.settings.tz), now=NOW, formats=("html",))
        html[kind] = result.paths["html"].read_bytes()
    store = Store.open(config.settings.database)
    with store.engine.connect() as conn:
        def rows(*columns: Any) -> list[tuple[Any, ...]]:
            return sorted(tuple(r) for r in conn.execute(select(*columns)))

        found = {
            "items": rows(items.c.item_id, items.c.source_id, items.c.title, items.c.summary, items.c.url,
                          items.c.published_at, items.c.date_missing, items.c.content_hash),
            "mentions": rows(mentions.c.item_id, mentions.c.bank_id, mentions.c.in_title, mentions.c.evidence),
            "scores": rows(scores.c.item_id, scores.c.bank_id, scores.c.version, scores.c.label, scores.c.score,
                           scores.c.categories, scores.c.reasons),
            "events": rows(events.c.event_id, events.c.first_item_id, events.c.first_published_at),
            "event_items": rows(event_items.c.item_id, event_items.c.event_id, event_items.c.similarity),
            "alerts": rows(alerts.c.day, alerts.c.bank_id, alerts.c.kind, alerts.c.category, alerts.c.level,
                           alerts.c.value, alerts.c.reason_zh),
        }
    store.close()
    found["summary"] = (summary.sources_ok, summary.sources_failed, summary.items_new, summary.items_matched,
                        summary.mentions_scored)
    found["html"] = html
    return found


@contextmanager
def database(kind: str, folder: Path) -> Iterator[str]:
    if kind == "sqlite":
        yield f"sqlite:///{folder}/leg.db"
    else:
        with fresh_schema(require_pg()) as url:
            yield url


@pytest.fixture(scope="module")
def baseline(demo_server: FeedServer, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("local-sqlite")
    found = run_leg(leg_config(folder, demo_server.base_url, f"sqlite:///{folder}/leg.db"))
    assert found["items"] and found["mentions"] and found["scores"] and found["events"]  # not vacuously equal
    assert len(found["scores"]) == len(found["mentions"])  # every mention judged in the fetch
    assert b"<html" in found["html"]["daily"]
    return found


@pytest.fixture(scope="module")
def dask_cluster() -> Iterator[Any]:
    """A LocalCluster of 2 worker processes on 127.0.0.1 for the tests that bring their own scheduler."""
    if not HAS_DASK:
        pytest.skip("dask.distributed is not installed: pip install 'reportgen[dask]'")
    import dask
    from dask.distributed import LocalCluster

    from reportgen.flow.execution import WORKER_CONFIG

    with dask.config.set(WORKER_CONFIG):  # as reportgen's own LocalCluster
        cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                               dashboard_address=None)
    with cluster:
        yield cluster


def dask_execution(scheduler: str | None = None) -> str:
    line = f'scheduler = "{scheduler}"\n' if scheduler else ""
    return f'\n[execution]\nengine = "dask"\nworkers = 2\n{line}'


def assert_same(found: dict[str, Any], baseline: dict[str, Any]) -> None:
    for key in ("items", "mentions", "scores", "events", "event_items", "summary"):
        assert found[key] == baseline[key], f"{key} differ"
    # alerts are raised for the days of the reports made: compare the days both legs reported on
    days = {previous_period(kind, NOW, ZoneInfo("Asia/Shanghai")) for kind in found["html"]}
    covered = {p.first + timedelta(days=i) for p in days for i in range((p.last - p.first).days + 1)}
    assert [a for a in found["alerts"] if a[0] in covered] == [a for a in baseline["alerts"] if a[0] in covered]
    assert found["alerts"], "no alert raised: the comparison would be vacuous"
    assert found["html"], "no report made"
    for kind, html in found["html"].items():
        assert html == baseline["html"][kind], f"the {kind} report's HTML differs"


def test_local_postgresql_gives_the_same_answers(baseline, demo_server, tmp_path):
    with database("postgresql", tmp_path) as url:
        assert_same(run_leg(leg_config(tmp_path, demo_server.base_url, url)), baseline)


@needs_dask
def test_dask_postgresql_gives_the_same_answers(baseline, demo_server, tmp_path, caplog):
    """reportgen starts the LocalCluster (2 processes, 127.0.0.1) itself; the workers write into PostgreSQL."""
    with database("postgresql", tmp_path) as url, caplog.at_level("INFO", logger="reportgen"):
        found = run_leg(leg_config(tmp_path, demo_server.base_url, url, dask_execution()))
    assert_same(found, baseline)
    assert any("dask: 2 workers" in r.message and "dashboard http://127.0.0.1:" in r.message for r in caplog.records)


def test_dask_sqlite_gives_the_same_answers(baseline, demo_server, tmp_path, dask_cluster):
    """With SQLite the workers send their rows back and the driver writes them."""
    config = leg_config(tmp_path, demo_server.base_url, f"sqlite:///{tmp_path}/leg.db",
                        dask_execution(dask_cluster.scheduler_address))
    assert_same(run_leg(config), baseline)


def test_a_partition_run_twice_is_stored_once(demo_server, tmp_path):
    """What Dask does when a worker dies after writing part of a partition: the partition runs again.
    Run every partition twice straight into PostgreSQL; the store must equal one clean run."""
    from reportgen.flow.partitions import SourcesTask, partition, run_sources
    from reportgen.flow.pipeline import fetch_options
    from reportgen.score.backend import make_scorer

    with fresh_schema(require_pg()) as url:
        config = leg_config(tmp_path, demo_server.base_url, url)
        store = Store.open(url)
        store.sync_sources(config.sources, lambda s: config.source_url(s, with_key=False))
        run_id = store.start_run("fetch", NOW)
        version = make_scorer(config.scoring).version
        tasks = [SourcesTask(part, fetch_options(config.fetch), config.settings.timezone, tuple(config.banks),
                             config.scoring, run_id, NOW, version, url)
                 for part in partition(config.fetch_requests(), 3)]
        first = [o for task in tasks for o in run_sources(task)]
        again = [o for task in tasks for o in run_sources(task)]
        counts = store.table_counts()
        assert sum(o.health.new_count for o in first) == counts["items"] > 0
        assert sum(o.health.new_count for o in again) == 0 and sum(o.scored for o in again) == 0
        assert counts["scores"] == counts["mentions"] == sum(o.scored for o in first)
        store.close()


class Gate(Route):
    """A feed that answers only once the test opens the gate: holds a partition inside its worker."""

    def __init__(self, body: bytes, content_type: str) -> None:
        super().__init__(body, content_type)
        self.entered = threading.Event()
        self.opened = threading.Event()
        self.requests = 0

    def respond(self, handler: Any) -> None:  # called by FeedServer in its handler thread
        self.requests += 1
        self.entered.set()
        self.opened.wait(30)
        super().respond(handler)


def test_killed_workers_lose_nothing(baseline, tmp_path, dask_cluster):
    """SIGKILL every Dask worker while a partition is stuck in one: Dask restarts them and reruns
    what was lost, and the upserts leave the store exactly as one clean run does."""
    from dask.distributed import Client

    feeds = generate_demo_feeds(NOW)
    gate = Gate(feeds[0].body, feeds[0].content_type)
    routes = {f.path: Route(f.body, f.content_type) for f in feeds[1:]} | {feeds[0].path: gate}
    with ExitStack() as stack:
        url = stack.enter_context(fresh_schema(require_pg()))
        server = stack.enter_context(FeedServer(routes))
        client = stack.enter_context(Client(dask_cluster))
        config = leg_config(tmp_path, server.base_url, url, dask_execution(dask_cluster.scheduler_address))
        outcome: list[Any] = []
        fetcher = threading.Thread(target=lambda: outcome.append(run_fetch(config, now=NOW)))
        fetcher.start()
        assert gate.entered.wait(60), "the gated feed was never requested"
        time.sleep(0.5)  # let the other partitions finish and write
        for pid in client.run(os.getpid).values():
            os.kill(pid, signal.SIGKILL)
        gate.opened.set()
        fetcher.join(120)
        assert not fetcher.is_alive() and outcome, "the fetch did not finish after the workers were killed"
        assert gate.requests >= 2  # the killed partition ran again
        assert outcome[0].sources_ok == len(feeds) and outcome[0].sources_failed == 0
        store = Store.open(url)
        with store.engine.connect() as conn:
            ids = sorted(conn.execute(select(items.c.item_id)).scalars())
            pairs = sorted(tuple(r) for r in conn.execute(select(scores.c.item_id, scores.c.bank_id, scores.c.label)))
        store.close()
    assert ids == [row[0] for row in baseline["items"]]
    assert pairs == [(r[0], r[1], r[3]) for r in baseline["scores"]]  # every mention judged once, as a clean run


@pytest.mark.parametrize("kind", ["pool", "dask-sqlite", "dask-postgresql"])
def test_scoring_on_workers_matches_one_process(baseline, demo_server, tmp_path, kind, request):
    """``score_pending`` spread over a process pool or Dask workers judges exactly as one process."""
    from reportgen.flow.execution import DaskExecutor, Executor, PoolExecutor
    from reportgen.flow.pipeline import score_pending

    with ExitStack() as stack:
        url = stack.enter_context(database(kind.rsplit("-", 1)[-1] if "-" in kind else "sqlite", tmp_path))
        config = leg_config(tmp_path, demo_server.base_url, url)
        run_fetch(config, now=NOW)
        store = Store.open(url)
        assert store.clear_scores() == len(baseline["scores"])
        executor: Executor
        if kind == "pool":
            executor = PoolExecutor(2)
            stack.callback(executor.close)
        else:
            from dask.distributed import Client

            cluster = request.getfixturevalue("dask_cluster")
            executor = DaskExecutor(stack.enter_context(Client(cluster)), 2)
        assert score_pending(store, config, executor=executor, batch=100, min_spread=1) == len(baseline["scores"])
        with store.engine.connect() as conn:
            judged = sorted(tuple(r) for r in conn.execute(select(
                scores.c.item_id, scores.c.bank_id, scores.c.version, scores.c.label, scores.c.score,
                scores.c.categories, scores.c.reasons)))
        store.close()
    assert judged == baseline["scores"]


def test_a_worker_with_another_scorer_refuses_to_judge(tmp_path):
    """A worker host with another model file or lexicon would store judgements of another version."""
    from reportgen.errors import ReportgenError
    from reportgen.flow.partitions import ScoreTask, SourcesTask, run_sources, score_chunk
    from reportgen.flow.pipeline import fetch_options

    config = leg_config(tmp_path, "http://127.0.0.1:9", f"sqlite:///{tmp_path}/x.db")
    sources = SourcesTask((), fetch_options(config.fetch), config.settings.timezone, tuple(config.banks),
                          config.scoring, 1, NOW, "rules-0-elsewhere")
    with pytest.raises(ReportgenError, match="rules-0-elsewhere"):
        run_sources(sources)
    with pytest.raises(ReportgenError, match="model file differs"):
        score_chunk(ScoreTask(config.scoring, tuple(config.banks), (), NOW, "rules-0-elsewhere"))
