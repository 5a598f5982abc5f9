"""The chain, in one screen: config → fetch → parse → match → store → aggregate → render.

Everything here works without click; the CLI is a thin shell over these functions.
"""

from __future__ import annotations

import functools
import logging
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path

from . import aggregate, render
from .config import BankConfig, Config, FetchSettings
from .fetch import FetchOptions, fetch_all
from .match import Matcher
from .models import CacheValidators, FetchResult, FetchStatus, Item, Mention, ParsedFeed, RunSummary, SourceHealth
from .parse import parse_feed
from .store import Store

log = logging.getLogger(__name__)

Progress = Callable[[FetchResult], None]


@dataclass(frozen=True, slots=True)
class ReportResult:
    day: date
    paths: dict[str, Path]
    data: object  # the DailyReportData that was rendered


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
    return summary


def ingest(store: Store, config: Config, results: Sequence[FetchResult], *, run_id: int,
           workers: int = 1) -> RunSummary:
    """Parse → match → store each fetched source, one transaction per source."""
    summary = RunSummary(run_id=run_id, started_at=datetime.now(UTC))
    parsed = parse_results(results, config.settings.timezone, config.banks, workers)
    for result, (feed, found) in zip(results, parsed, strict=True):
        health = _health(result, feed)
        saved = store.save_source_batch(
            run_id, health, result.validators if health.status is FetchStatus.OK else None,
            feed.items if feed else (), _lookup(found))
        health = replace(health, new_count=saved.new_count, matched_count=saved.matched_count)
        summary.sources.append(health)
        summary.items_fetched += health.item_count
        summary.items_new += saved.new_count
        summary.items_matched += saved.matched_count
        if health.status is FetchStatus.FAILED:
            log.warning("source %s failed: %s", result.source_id, health.error)
        elif health.warning:
            log.warning("source %s: %s", result.source_id, health.warning)
    summary.finished_at = datetime.now(UTC)
    store.finish_run(
        run_id, summary.finished_at, sources_ok=summary.sources_ok,
        sources_not_modified=summary.sources_not_modified, sources_failed=summary.sources_failed,
        items_fetched=summary.items_fetched, items_new=summary.items_new, items_matched=summary.items_matched,
    )
    return summary


Parsed = tuple[ParsedFeed | None, dict[str, list[Mention]]]


def _lookup(found: dict[str, list[Mention]]) -> Callable[[Item], list[Mention]]:
    return lambda item: found.get(item.item_id, [])


def parse_results(results: Sequence[FetchResult], timezone: str, banks: Sequence[BankConfig],
                  workers: int = 1) -> Iterator[Parsed]:
    """Parse and match each successful body, in order; ``(None, {})`` for sources without a body.

    With ``workers > 1`` the CPU-bound feedparser and matching work runs in a process pool
    while this process stores the earlier sources.
    """
    bank_tuple = tuple(banks)
    jobs = [(r.source_id, r.body, r.headers, timezone, r.fetched_at, r.url, bank_tuple)
            if r.body is not None else None for r in results]
    todo = [j for j in jobs if j is not None]
    if workers > 1 and len(todo) > 1:
        with ProcessPoolExecutor(max_workers=min(workers, os.cpu_count() or 1, len(todo))) as pool:
            chunk = max(1, len(todo) // (workers * 8))
            parsed = pool.map(_parse_job, todo, chunksize=chunk)
            yield from (next(parsed) if j is not None else (None, {}) for j in jobs)
    else:
        yield from (_parse_job(j) if j is not None else (None, {}) for j in jobs)


@functools.cache
def _matcher(banks: tuple[BankConfig, ...]) -> Matcher:
    return Matcher(banks)  # once per process: workers build their own


def _parse_job(job: tuple[str, bytes, dict[str, str], str, datetime, str, tuple[BankConfig, ...]]) -> Parsed:
    source_id, body, headers, timezone, fetched_at, url, banks = job
    feed = parse_feed(source_id, body, headers, tz=timezone, fetched_at=fetched_at, base_url=url)
    matcher = _matcher(banks)
    found = {item.item_id: m for item in feed.items if (m := matcher.mentions(item))}
    return feed, found


def _health(result: FetchResult, feed: ParsedFeed | None) -> SourceHealth:
    status, error, warning = result.status, result.error, None
    if feed is not None:
        warning = feed.warning
        if feed.error:  # fetched fine, but the body is not a feed: the source is broken
            status, error = FetchStatus.FAILED, feed.error
    return SourceHealth(
        source_id=result.source_id, status=status, checked_at=result.fetched_at,
        duration_s=result.duration_s, http_status=result.http_status,
        item_count=len(feed.items) if feed else 0, bytes_received=result.bytes_received,
        error=error, warning=warning,
    )


def build_daily_report(config: Config, day: date | None = None, *, now: datetime | None = None,
                       out_dir: Path | None = None, language: str | None = None,
                       formats: Sequence[str] = ("html", "pdf"), store: Store | None = None) -> ReportResult:
    """Aggregate the day's items and render the daily report; return the written paths."""
    now = now or datetime.now(UTC)
    day = day or aggregate.previous_day(now, config.settings.tz)
    store = store or Store.open(config.settings.database)
    data = aggregate.daily_report_data(store, config, day, now=now, language=language)
    extra = [config.settings.template_dir] if config.settings.template_dir else []
    paths = render.render_report(data, out_dir or config.settings.output_dir, formats=formats,
                                 extra_template_dirs=extra)
    log.info("daily report for %s written: %s", day, ", ".join(str(p) for p in paths.values()))
    return ReportResult(day, paths, data)
