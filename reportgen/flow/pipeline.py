"""The chain, in one screen: config → fetch → parse → match → store → aggregate → render.

Everything here works without click; the CLI is a thin shell over these functions.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import AbstractContextManager
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reportgen.config.core import BankConfig, Config, FetchSettings
from reportgen.flow.execution import Executor, open_executor
from reportgen.flow.partitions import ScoreTask, SourcesTask, partition, run_sources, score_chunk
from reportgen.flow.sources import ingest_source, store_outcome, worker_store
from reportgen.ingest.fetch import FetchOptions, fetch_all
from reportgen.insight.incidents import cluster_pending, compute_alerts
from reportgen.insight.summaries import events_read_once
from reportgen.models import (
    CacheValidators,
    FetchRequest,
    FetchResult,
    FetchStatus,
    ReportData,
    RunSummary,
    SourceHealth,
)
from reportgen.periods import Period, previous_day, previous_period
from reportgen.store.db import Store

if TYPE_CHECKING:
    from reportgen.score import Scorer

log = logging.getLogger(__name__)

Progress = Callable[[FetchResult], None]


@dataclass(frozen=True, slots=True)
class ReportResult:
    day: date  # the period's first day
    paths: dict[str, Path]
    data: ReportData  # what was rendered
    period: Period | None = None


def fetch_options(settings: FetchSettings) -> FetchOptions:
    return FetchOptions(
        concurrency=settings.concurrency, per_host=settings.per_host,
        connect_timeout_s=settings.connect_timeout_s, read_timeout_s=settings.read_timeout_s,
        total_timeout_s=settings.timeout_s, retries=settings.retries,
        max_body_bytes=int(settings.max_body_mb * 1024 * 1024),
        max_decompressed_bytes=int(settings.max_decompressed_mb * 1024 * 1024),
        allow_private_redirects=settings.allow_private_redirects, deadline_s=settings.deadline_s,
    )


def run_fetch(config: Config, *, now: datetime | None = None, progress: Progress | None = None,
              workers: int | None = None, store: Store | None = None) -> RunSummary:
    """Fetch every enabled source, store what is new, and record each source's health.

    ``[execution]`` decides where the work runs: here (``workers`` processes parse, match, store
    and score), or on Dask workers, which fetch, parse, match and score partitions of the sources.
    """
    started = now or datetime.now(UTC)
    store = store or Store.open(config.settings.database)
    store.sync_sources(config.sources, lambda s: config.source_url(s, with_key=False))
    known = store.validators()
    requests = [replace(r, validators=known.get(r.source_id, CacheValidators()))
                for r in config.fetch_requests()]
    run_id = store.start_run("fetch", started)
    log.info("fetching %d sources (run %d)", len(requests), run_id)
    order = {r.source_id: i for i, r in enumerate(requests)}
    ingestor: Ingestor | None = None
    try:
        with open_executor(config.execution, workers) as executor:
            if executor.kind == "dask":
                summary = ingest_distributed(store, config, requests, run_id, executor)
            else:
                with Ingestor(store, config, run_id, workers=executor.workers, sources=len(requests)) as ingestor:

                    def arrived(result: FetchResult) -> None:
                        assert ingestor is not None
                        ingestor(result)  # parsed and stored while the other sources download
                        if progress is not None:
                            progress(result)

                    fetch_all(requests, fetch_options(config.fetch), arrived, keep_bodies=False)
                healths = sorted(ingestor.healths(), key=lambda h: order.get(h.source_id, len(order)))
                summary = _summarise(store, run_id, healths)
            summary.started_at = started
            # Nothing new (every source answered 304, say): nothing to judge or cluster, and the
            # scorer's tables are not built.  What a changed scorer must judge again, and anything a
            # stopped run left, is judged and clustered by the next run with news, or the report.
            if summary.items_new:
                # a cron fetch judges its news in small batches: its peak memory, not a report's throughput
                summary.mentions_scored += score_pending(store, config, executor=executor, batch=FETCH_BATCH)
    except BaseException:
        # Stopped (SIGTERM, Ctrl-C) or failed: what was stored stays stored; close the run's row.
        stored = ingestor.finished_healths() if ingestor is not None else []
        try:
            _summarise(store, run_id, stored, status="interrupted")
        except Exception:  # the store itself failing: the error being raised says more than this one
            log.warning("could not record run %d as interrupted", run_id, exc_info=True)
        raise
    if summary.items_new:
        cluster_pending(store, config, now=now)  # reprints join their events: exports carry event_id
    return summary


def ingest(store: Store, config: Config, results: Sequence[FetchResult], *, run_id: int,
           workers: int = 1) -> RunSummary:
    """Parse → match → store each fetched source, one transaction per source (see :class:`Ingestor`)."""
    with Ingestor(store, config, run_id, workers=workers, sources=sum(r.body is not None for r in results)) as ingestor:
        for result in results:
            ingestor(result)
    return _summarise(store, run_id, ingestor.healths())


class Ingestor:
    """Parses, matches and stores each fetched source as soon as it arrives, while the rest download.

    Called with each :class:`FetchResult` from the fetch loop, it hands the source to a worker and
    returns at once: one thread beside the fetch loop, or with ``workers > 1`` a process pool whose
    workers write their sources' transactions themselves (SQLite in WAL mode takes one writer at a
    time and the transactions are short), so only small health records come back.  A body is
    dropped as soon as its source is stored, and a source stored stays stored if the run is
    stopped later.  An in-memory SQLite store (tests) is written in the calling thread instead.
    """

    def __init__(self, store: Store, config: Config, run_id: int, *, workers: int = 1, sources: int = 0) -> None:
        self.store, self.config, self.run_id = store, config, run_id
        self._futures: list[Future[SourceHealth]] = []
        self._pool: ProcessPoolExecutor | ThreadPoolExecutor | None = None
        if workers > 1 and not store.in_memory and sources != 1:
            # SQLite's busy handler sleeps in coarse steps when two writers collide; a shared lock
            # around each source's short transaction keeps the writers taking turns instead.
            lock = multiprocessing.get_context().Lock() if store.one_writer_at_a_time else None
            size = min(workers, os.cpu_count() or 1, sources) if sources else min(workers, os.cpu_count() or 1)
            self._pool = ProcessPoolExecutor(max_workers=max(1, size), initializer=_init_worker, initargs=(lock,))
        elif not store.in_memory:
            self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ingest")

    def __call__(self, result: FetchResult) -> None:
        job = _SourceJob(result, self.config.settings.timezone, tuple(self.config.banks), self.store.url, self.run_id)
        if isinstance(self._pool, ProcessPoolExecutor):
            self._futures.append(self._pool.submit(_ingest_in_worker, job))
        elif self._pool is not None:
            self._futures.append(self._pool.submit(_ingest_here, job, self.store))
        else:
            done: Future[SourceHealth] = Future()
            try:
                done.set_result(_ingest_here(job, self.store))
            except Exception as exc:  # a StoreError: surfaces from healths(), like a pool's
                done.set_exception(exc)
            self._futures.append(done)

    def healths(self) -> list[SourceHealth]:
        """Every source's health, in the order the sources arrived; waits for those still in hand."""
        return [f.result() for f in self._futures]

    def finished_healths(self) -> list[SourceHealth]:
        """The health of every source stored so far (after a stop: what the run kept)."""
        return [f.result() for f in self._futures if f.done() and not f.cancelled() and f.exception() is None]

    def __enter__(self) -> Ingestor:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            # On an error or a stop, sources not yet started are dropped; one being stored finishes.
            self._pool.shutdown(wait=True, cancel_futures=exc[0] is not None)


def ingest_distributed(store: Store, config: Config, requests: Sequence[FetchRequest], run_id: int,
                       executor: Executor) -> RunSummary:
    """Fetch → parse → match → score on the executor's workers, a partition of sources per task.

    A shared store (PostgreSQL) is written by the workers themselves; for SQLite the workers send
    their rows back and this process writes them, one transaction per source as they arrive.
    """
    from reportgen.score.backend import make_scorer  # the scorer's code: with news to judge, not every fetch

    direct = store.shared
    now = datetime.now(UTC)
    version = make_scorer(config.scoring).version
    tasks = [SourcesTask(part, fetch_options(config.fetch), config.settings.timezone, tuple(config.banks),
                         config.scoring, run_id, now, version, store.url if direct else None)
             for part in partition(requests, executor.workers * 4)]  # several per worker: even load at the end
    log.info("%d sources in %d partitions on %s", len(requests), len(tasks), executor.describe())
    healths: list[SourceHealth] = []
    scored = 0
    for outcomes in executor.map_unordered(run_sources, tasks):
        for o in outcomes:
            if direct:
                healths.append(o.health)
                scored += o.scored
                continue
            health, judged = store_outcome(store, run_id, o)
            healths.append(health)
            scored += judged
    if direct:  # a partition that ran twice reports 0 new the second time: count what the run stored
        counts = store.run_counts(run_id)
        healths = [replace(h, new_count=counts.get(h.source_id, (0, 0, 0))[0],
                           matched_count=counts.get(h.source_id, (0, 0, 0))[1]) for h in healths]
        scored = sum(c[2] for c in counts.values())
    order = {r.source_id: i for i, r in enumerate(requests)}
    summary = _summarise(store, run_id, sorted(healths, key=lambda h: order.get(h.source_id, len(order))))
    summary.mentions_scored = scored
    return summary


def _summarise(store: Store, run_id: int, outcomes: Sequence[SourceHealth], *, status: str = "done") -> RunSummary:
    """The run's summary from its sources' health records, also recorded in the run's row."""
    summary = RunSummary(run_id=run_id, started_at=datetime.now(UTC))
    for health in outcomes:
        summary.sources.append(health)
        summary.items_fetched += health.item_count
        summary.items_new += health.new_count
        summary.items_matched += health.matched_count
        if health.status is FetchStatus.FAILED:
            log.warning("source %s failed: %s", health.source_id, health.error)
        elif health.warning:
            log.warning("source %s: %s", health.source_id, health.warning)
    summary.finished_at = datetime.now(UTC)
    store.finish_run(
        run_id, summary.finished_at, status=status, sources_ok=summary.sources_ok,
        sources_not_modified=summary.sources_not_modified, sources_failed=summary.sources_failed,
        items_fetched=summary.items_fetched, items_new=summary.items_new, items_matched=summary.items_matched,
    )
    return summary


@dataclass(frozen=True, slots=True)
class _SourceJob:
    """One fetched source and what is needed to ingest it, picklable for a worker process."""

    result: FetchResult
    timezone: str
    banks: tuple[BankConfig, ...]
    database: str
    run_id: int


def _ingest_here(job: _SourceJob, store: Store) -> SourceHealth:
    return ingest_source(job.result, timezone=job.timezone, banks=job.banks, run_id=job.run_id, store=store).health


_write_lock: AbstractContextManager[object] | None = None  # set in each worker by _init_worker


def _init_worker(lock: AbstractContextManager[object] | None) -> None:
    global _write_lock
    _write_lock = lock


def _ingest_in_worker(job: _SourceJob) -> SourceHealth:
    return ingest_source(job.result, timezone=job.timezone, banks=job.banks, run_id=job.run_id,
                         store=worker_store(job.database), write_lock=_write_lock).health


def score_pending(store: Store, config: Config, *, scorer: Scorer | None = None, batch: int = 5000,
                  now: datetime | None = None, executor: Executor | None = None,
                  min_spread: int | None = None) -> int:
    """Score every mention that has no judgement from the current scorer; return how many.

    A new mention, a changed lexicon, category rule or model file all leave mentions whose stored
    version differs from ``scorer.version``; they are (re)scored here, one transaction per batch.
    Given a pool or Dask ``executor`` (and no ``scorer`` of the caller's own, which could not be
    shipped), batches of at least ``min_spread`` mentions are cut into chunks judged on its
    workers; with a shared store the workers write the judgements themselves.
    """
    from reportgen.score.backend import make_scorer, score_rows  # the scorer's code: with news, not every fetch

    spread = executor is not None and executor.kind != "serial" and scorer is None
    scorer = scorer or make_scorer(config.scoring)
    banks = {b.id: b for b in config.banks}
    limit = batch * 4 * executor.workers if spread and executor is not None else batch
    done = 0
    while True:
        rows = store.mentions_to_score(scorer.version, limit=limit)
        if not rows:
            break
        scored_at = now or datetime.now(UTC)
        if spread and executor is not None and len(rows) >= (min_spread or MIN_SPREAD_ROWS):
            _score_spread(store, config, scorer.version, rows, scored_at, executor)
        else:
            store.save_scores(score_rows(scorer, rows, banks, scored_at))
        done += len(rows)
        if len(rows) < limit:
            break
    if done:
        log.info("scored %d mentions with %s", done, scorer.version)
    return done


MIN_SPREAD_ROWS = 2000  # below this, shipping the rows to other processes costs more than it saves
FETCH_BATCH = 500  # mentions a fetch judges at a time (a 2,000-item fetch peaked 8 MB higher with 5,000)


def _score_spread(store: Store, config: Config, version: str, rows: list[dict[str, Any]], scored_at: datetime,
                  executor: Executor) -> None:
    size = max(500, -(-len(rows) // (executor.workers * 4)))  # a few chunks per worker: even load at the end
    database = store.url if store.shared else None
    tasks = [ScoreTask(config.scoring, tuple(config.banks), tuple(rows[i:i + size]), scored_at, version, database)
             for i in range(0, len(rows), size)]
    for judged in executor.map_unordered(score_chunk, tasks):
        if judged:
            store.save_scores(judged)


def events_and_alerts(store: Store, config: Config, period: Period, *, now: datetime | None = None,
                      force: bool = False) -> tuple[int, int]:
    """Cluster new items into events, then raise and store each day's alerts in ``period``.

    Returns (items clustered, alerts raised now).  Alerts of a day computed after it was over are
    kept as they were, so a report for a past date shows the alerts it showed then; alerts stored
    while the day was in progress are raised again; ``force`` recomputes.
    """
    clustered = cluster_pending(store, config, now=now)
    raised = 0
    day = period.first
    with events_read_once(store, config, period.first, period.last):  # not once per day
        while day <= period.last:
            raised += len(compute_alerts(store, config, day, now=now, force=force))
            day += timedelta(days=1)
    return clustered, raised


def build_daily_report(config: Config, day: date | None = None, *, now: datetime | None = None,
                       out_dir: Path | None = None, language: str | None = None,
                       formats: Sequence[str] = ("html", "pdf"), store: Store | None = None) -> ReportResult:
    """Aggregate the day's items and render the daily briefing; return the written paths."""
    now = now or datetime.now(UTC)
    period = Period.daily(day or previous_day(now, config.settings.tz))
    return build_report(config, period, now=now, out_dir=out_dir, language=language, formats=formats, store=store)


def build_report(config: Config, period: Period | str = "daily", *, now: datetime | None = None,
                 out_dir: Path | None = None, language: str | None = None,
                 formats: Sequence[str] = ("html", "pdf"), store: Store | None = None) -> ReportResult:
    """Aggregate and render the daily or weekly briefing for ``period`` (a Period, or "daily" /
    "weekly" for the previous one); return the written paths."""
    now = now or datetime.now(UTC)
    if isinstance(period, str):
        period = previous_period(period, now, config.settings.tz, config.report.day_start_hour)
    lang = language or config.settings.language
    from reportgen.insight.aggregate import report_data  # the report's data and renderer: not loaded by `fetch`
    from reportgen.report.render import render_report  # (jinja2, the briefing, its charts)

    store = store or Store.open(config.settings.database)
    score_pending(store, config)  # a changed scorer or a mention stored without a score: judge it now
    # the day's alerts and the report's events share one reading of the period's events
    with events_read_once(store, config, period.first, period.last):
        events_and_alerts(store, config, period, now=now)
        data = report_data(store, config, period, now=now, language=lang)
    extra = [config.settings.template_dir] if config.settings.template_dir else []
    paths = render_report(data, out_dir or config.settings.output_dir, formats=formats,
                                 basename=period.basename(lang), extra_template_dirs=extra)
    log.info("%s report for %s written: %s", period.kind, period.key, ", ".join(str(p) for p in paths.values()))
    return ReportResult(period.first, paths, data, period)
