"""The chain, in one screen: config → fetch → parse → match → store → aggregate → render.

Everything here works without click; the CLI is a thin shell over these functions.
"""

from __future__ import annotations

import functools
import logging
import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from . import aggregate, render
from .config import BankConfig, Config, FetchSettings
from .fetch import FetchOptions, fetch_all, redact_text
from .match import Matcher
from .models import CacheValidators, DailyReportData, FetchResult, FetchStatus, ParsedFeed, RunSummary, SourceHealth
from .parse import parse_feed
from .periods import Period, previous_period
from .store import Store

if TYPE_CHECKING:
    from .score import Scorer

log = logging.getLogger(__name__)

Progress = Callable[[FetchResult], None]


@dataclass(frozen=True, slots=True)
class ReportResult:
    day: date  # the period's first day
    paths: dict[str, Path]
    data: DailyReportData  # what was rendered
    period: Period | None = None


def fetch_options(settings: FetchSettings) -> FetchOptions:
    return FetchOptions(
        concurrency=settings.concurrency, per_host=settings.per_host,
        connect_timeout_s=settings.connect_timeout_s, read_timeout_s=settings.read_timeout_s,
        total_timeout_s=settings.timeout_s, retries=settings.retries,
        max_body_bytes=int(settings.max_body_mb * 1024 * 1024),
        max_decompressed_bytes=int(settings.max_decompressed_mb * 1024 * 1024),
    )


def run_fetch(config: Config, *, now: datetime | None = None, progress: Progress | None = None,
              workers: int = 1, store: Store | None = None) -> RunSummary:
    """Fetch every enabled source, store what is new, and record each source's health."""
    started = now or datetime.now(UTC)
    store = store or Store.open(config.settings.database)
    store.sync_sources(config.sources, lambda s: config.source_url(s, with_key=False))
    known = store.validators()
    requests = [replace(r, validators=known.get(r.source_id, CacheValidators()))
                for r in config.fetch_requests()]
    run_id = store.start_run("fetch", started)
    log.info("fetching %d sources (run %d)", len(requests), run_id)
    results = fetch_all(requests, fetch_options(config.fetch), progress)
    summary = ingest(store, config, results, run_id=run_id, workers=workers)
    summary.started_at = started
    summary.mentions_scored = score_pending(store, config)
    from .eventstore import cluster_pending

    cluster_pending(store, config, now=now)  # reprints join their events: exports carry event_id
    return summary


def ingest(store: Store, config: Config, results: Sequence[FetchResult], *, run_id: int,
           workers: int = 1) -> RunSummary:
    """Parse → match → store each fetched source, one transaction per source.

    With ``workers > 1`` whole sources go to a process pool: each worker parses, matches and
    writes its sources' transactions itself (SQLite in WAL mode takes one writer at a time and
    the transactions are short), so only small health records come back to this process.
    """
    summary = RunSummary(run_id=run_id, started_at=datetime.now(UTC))
    jobs = [_SourceJob(r, config.settings.timezone, tuple(config.banks), store.url, run_id) for r in results]
    in_memory = store.engine.dialect.name == "sqlite" and store.engine.url.database in (None, "", ":memory:")
    if workers > 1 and not in_memory and sum(r.body is not None for r in results) > 1:
        # SQLite's busy handler sleeps in coarse steps when two writers collide; a shared lock
        # around each source's short transaction keeps the writers taking turns instead.
        lock = multiprocessing.get_context().Lock() if store.engine.dialect.name == "sqlite" else None
        with ProcessPoolExecutor(max_workers=min(workers, os.cpu_count() or 1, len(jobs)),
                                 initializer=_init_worker, initargs=(lock,)) as pool:
            outcomes = list(pool.map(_ingest_in_worker, jobs))  # one source per task: even load at the end
    else:
        outcomes = [_ingest_source(job, store) for job in jobs]
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
        run_id, summary.finished_at, sources_ok=summary.sources_ok,
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


def _ingest_source(job: _SourceJob, store: Store,
                   write_lock: AbstractContextManager[object] | None = None) -> SourceHealth:
    result = job.result
    feed = None
    if result.body is not None:
        feed = parse_feed(result.source_id, result.body, result.headers, tz=job.timezone,
                          fetched_at=result.fetched_at, base_url=result.url)
    health = _health(result, feed)
    matcher = _matcher(job.banks)
    with write_lock or nullcontext():
        saved = store.save_source_batch(
            job.run_id, health, result.validators if health.status is FetchStatus.OK else None,
            feed.items if feed else (), matcher.mentions)
    return replace(health, new_count=saved.new_count, matched_count=saved.matched_count)


_write_lock: AbstractContextManager[object] | None = None  # set in each worker by _init_worker


def _init_worker(lock: AbstractContextManager[object] | None) -> None:
    global _write_lock
    _write_lock = lock


def _ingest_in_worker(job: _SourceJob) -> SourceHealth:
    return _ingest_source(job, _worker_store(job.database), _write_lock)


@functools.cache
def _worker_store(database: str) -> Store:
    return Store.open(database, migrate=False)  # one engine per worker process, never inherited


@functools.cache
def _matcher(banks: tuple[BankConfig, ...]) -> Matcher:
    return Matcher(banks)  # built once per process


def _health(result: FetchResult, feed: ParsedFeed | None) -> SourceHealth:
    status, error, warning = result.status, result.error, None
    if feed is not None:
        # Parse messages quote the body, and an error page may echo the request URL, RSSHub key included.
        warning = redact_text(feed.warning) if feed.warning else None
        if feed.error:  # fetched fine, but the body is not a feed: the source is broken
            status, error = FetchStatus.FAILED, redact_text(feed.error)
    return SourceHealth(
        source_id=result.source_id, status=status, checked_at=result.fetched_at,
        duration_s=result.duration_s, http_status=result.http_status,
        item_count=len(feed.items) if feed else 0, bytes_received=result.bytes_received,
        error=error, warning=warning,
    )


def score_pending(store: Store, config: Config, *, scorer: Scorer | None = None, batch: int = 5000,
                  now: datetime | None = None) -> int:
    """Score every mention that has no judgement from the current scorer; return how many.

    A new mention, a changed lexicon, category rule or model file all leave mentions whose stored
    version differs from ``scorer.version``; they are (re)scored here, one transaction per batch.
    """
    from .score.backend import make_scorer, score_rows

    scorer = scorer or make_scorer(config.scoring)
    banks = {b.id: b for b in config.banks}
    done = 0
    while True:
        rows = store.mentions_to_score(scorer.version, limit=batch)
        if not rows:
            break
        store.save_scores(score_rows(scorer, rows, banks, now or datetime.now(UTC)))
        done += len(rows)
        if len(rows) < batch:
            break
    if done:
        log.info("scored %d mentions with %s", done, scorer.version)
    return done


def events_and_alerts(store: Store, config: Config, period: Period, *, now: datetime | None = None,
                      force: bool = False) -> tuple[int, int]:
    """Cluster new items into events, then raise (once) and store each day's alerts in ``period``.

    Returns (items clustered, alerts raised now).  Alerts of a day already computed are kept as
    they were, so a report for a past date shows the alerts it showed then; ``force`` recomputes.
    """
    from .eventstore import cluster_pending, compute_alerts

    clustered = cluster_pending(store, config, now=now)
    raised = 0
    day = period.first
    while day <= period.last:
        raised += len(compute_alerts(store, config, day, now=now, force=force))
        day += timedelta(days=1)
    return clustered, raised


def build_daily_report(config: Config, day: date | None = None, *, now: datetime | None = None,
                       out_dir: Path | None = None, language: str | None = None,
                       formats: Sequence[str] = ("html", "pdf"), store: Store | None = None) -> ReportResult:
    """Aggregate the day's items and render the daily briefing; return the written paths."""
    now = now or datetime.now(UTC)
    period = Period.daily(day or aggregate.previous_day(now, config.settings.tz))
    return build_report(config, period, now=now, out_dir=out_dir, language=language, formats=formats, store=store)


def build_report(config: Config, period: Period | str = "daily", *, now: datetime | None = None,
                 out_dir: Path | None = None, language: str | None = None,
                 formats: Sequence[str] = ("html", "pdf"), store: Store | None = None) -> ReportResult:
    """Aggregate and render the daily or weekly briefing for ``period`` (a Period, or "daily" /
    "weekly" for the previous one); return the written paths."""
    now = now or datetime.now(UTC)
    if isinstance(period, str):
        period = previous_period(period, now, config.settings.tz)
    lang = language or config.settings.language
    store = store or Store.open(config.settings.database)
    score_pending(store, config)  # a changed scorer or a mention stored without a score: judge it now
    events_and_alerts(store, config, period, now=now)
    data = aggregate.report_data(store, config, period, now=now, language=lang)
    extra = [config.settings.template_dir] if config.settings.template_dir else []
    paths = render.render_report(data, out_dir or config.settings.output_dir, formats=formats,
                                 basename=period.basename(lang), extra_template_dirs=extra)
    log.info("%s report for %s written: %s", period.kind, period.key, ", ".join(str(p) for p in paths.values()))
    return ReportResult(period.first, paths, data, period)
