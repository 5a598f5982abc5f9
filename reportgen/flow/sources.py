"""One fetched source → parse → match → (judge) → store: the one ingest path every engine runs.

The local engine calls :func:`ingest_source` in this process or in its process pool, with the
store; the Dask engine calls it on a worker, with the store when it is shared (PostgreSQL) and
without it when it is an SQLite file on the driver, in which case the outcome carries the parsed
rows and judgements back for the driver to write (:func:`store_outcome`).

Each process builds its matcher, scorer and database engine once, however many sources it ingests.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from reportgen.config.core import BankConfig
from reportgen.config.scoring import ScoringSettings
from reportgen.errors import ReportgenError, StoreError
from reportgen.ingest.fetch import redact_text
from reportgen.models import CacheValidators, FetchResult, FetchStatus, Item, Mention, ParsedFeed, SourceHealth
from reportgen.score import Scorer
from reportgen.score.match import Matcher
from reportgen.store.db import Store

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class SourceOutcome:
    """One source's result.  ``items``, ``mentions`` and ``scores`` travel only when the driver writes."""

    health: SourceHealth  # new_count / matched_count are final when the source was stored
    validators: CacheValidators | None  # to store (a 200 answer), else None
    items: tuple[Item, ...] = ()
    mentions: tuple[tuple[str, tuple[Mention, ...]], ...] = ()  # item_id → its mentions
    scores: tuple[dict[str, Any], ...] = ()
    scored: int = 0  # judgements stored with the source


def ingest_source(result: FetchResult, *, timezone: str, banks: tuple[BankConfig, ...], run_id: int,
                  store: Store | None, scoring: ScoringSettings | None = None, scored_at: datetime | None = None,
                  write_lock: AbstractContextManager[object] | None = None) -> SourceOutcome:
    """Ingest one fetched source.

    With a ``store`` its items and mentions are written in one transaction (under ``write_lock``
    when several processes share an SQLite file), and, given ``scoring``, the judgements of the
    mentions this call inserted.  Without one nothing is written: the outcome carries the unique
    items, their mentions and (given ``scoring``) their judgements.

    One source's content never stops the run: anything it makes go wrong on the way (a bug meeting
    a body no test foresaw) fails that source alone, recorded in its health.  Only a store that
    cannot be written (:class:`StoreError`) stops the run, since no other source could be stored.
    """
    try:
        return _ingest(result, timezone=timezone, banks=banks, run_id=run_id, store=store, scoring=scoring,
                       scored_at=scored_at, write_lock=write_lock)
    except StoreError:
        raise
    except Exception as exc:
        log.exception("source %s could not be ingested", result.source_id)
        health = replace(source_health(result, None), status=FetchStatus.FAILED, item_count=0,
                         error=redact_text(f"could not be stored: {type(exc).__name__}: {exc}")[:300])
        if store is not None:
            with write_lock or nullcontext():
                store.save_source_batch(run_id, health, None, (), lambda item: [])
        return SourceOutcome(health, None)


def _ingest(result: FetchResult, *, timezone: str, banks: tuple[BankConfig, ...], run_id: int,
            store: Store | None, scoring: ScoringSettings | None, scored_at: datetime | None,
            write_lock: AbstractContextManager[object] | None) -> SourceOutcome:
    feed = None
    if result.body is not None:
        from reportgen.ingest.parse import parse_feed  # feedparser and lxml: for a body, never for a 304

        feed = parse_feed(result.source_id, result.body, result.headers, tz=timezone,
                          fetched_at=result.fetched_at, base_url=result.url, secrets=result.secrets)
    health = source_health(result, feed)
    # An empty feed's validators are not kept: a 304 to them would read as "unchanged since an answer with
    # entries" and hide a broken route from the data-completeness gate after one fetch (the next request
    # carries the validators of the last answer that had entries, so an empty answer stays visible)
    validators = result.validators if health.status is FetchStatus.OK and health.item_count else None
    matcher = matcher_for(banks)
    if store is None:
        unique: dict[str, Item] = {}
        for item in feed.items if feed else ():
            unique.setdefault(item.item_id, item)  # the first copy wins, as in Store.save_source_batch
        found = [(item, matcher.mentions(item)) for item in unique.values()]
        scores = judge(scoring, banks, found, scored_at) if scoring else []
        return SourceOutcome(health, validators, tuple(unique.values()),
                             tuple((item.item_id, tuple(m)) for item, m in found), tuple(scores))
    stored: list[tuple[Item, list[Mention]]] = []

    def match(item: Item) -> list[Mention]:
        mentions = matcher.mentions(item)
        stored.append((item, mentions))  # called only for the items this call inserts
        return mentions

    with write_lock or nullcontext():
        saved = store.save_source_batch(run_id, health, validators, feed.items if feed else (), match)
    scored = 0
    if scoring:
        scores = judge(scoring, banks, stored, scored_at)
        store.save_scores(scores)
        scored = len(scores)
    return SourceOutcome(replace(health, new_count=saved.new_count, matched_count=saved.matched_count),
                         validators, scored=scored)


def store_outcome(store: Store, run_id: int, outcome: SourceOutcome) -> tuple[SourceHealth, int]:
    """Write the rows a worker sent back for one source; only the items this call inserts get their
    mentions and judgements stored.  Returns the health and the judgements stored."""
    found = dict(outcome.mentions)
    stored: set[str] = set()

    def match(item: Item) -> list[Mention]:
        stored.add(item.item_id)  # called only for the items this call inserted
        return list(found.get(item.item_id, ()))

    saved = store.save_source_batch(run_id, outcome.health, outcome.validators, outcome.items, match)
    judged = [row for row in outcome.scores if row["item_id"] in stored]
    store.save_scores(judged)
    return replace(outcome.health, new_count=saved.new_count, matched_count=saved.matched_count), len(judged)


def source_health(result: FetchResult, feed: ParsedFeed | None) -> SourceHealth:
    """A fetched source's health record, with parse problems (redacted) folded in."""
    status, error, warning = result.status, result.error, result.warning
    if feed is not None:
        # Parse messages quote the body, and an error page may echo the request URL, RSSHub key included.
        parsed = redact_text(feed.warning) if feed.warning else None
        warning = "; ".join(w for w in (warning, parsed) if w) or None
        if feed.error:  # fetched fine, but the body is not a feed: the source is broken
            status, error = FetchStatus.FAILED, redact_text(feed.error)
    if error and status is FetchStatus.FAILED:
        error = with_host(error, result.url)
    return SourceHealth(
        source_id=result.source_id, status=status, checked_at=result.fetched_at,
        duration_s=result.duration_s, http_status=result.http_status,
        item_count=len(feed.items) if feed else 0, bytes_received=result.bytes_received,
        error=error, warning=warning,
    )


def with_host(error: str, url: str) -> str:
    """``rsshub.example.org: HTTP 503 …``: a failure names the host that failed (the final one, after
    redirects), so a reader tells a dead RSSHub from a dead site at a glance."""
    try:
        host = urlsplit(url).hostname
    except ValueError:
        host = None
    return f"{host}: {error}" if host and not error.startswith(f"{host}: ") else error


def judge(scoring: ScoringSettings, banks: tuple[BankConfig, ...], found: Sequence[tuple[Item, Sequence[Mention]]],
          scored_at: datetime | None) -> list[dict[str, Any]]:
    """Judgements for every mention in ``found``, from the rows ``Store.mentions_to_score`` would give."""
    rows: list[dict[str, Any]] = []
    for item, mentions in found:
        named = sorted({m.bank_id for m in mentions})
        rows.extend({"item_id": item.item_id, "bank_id": m.bank_id, "title": item.title, "summary": item.summary,
                     "banks": named} for m in mentions)
    if not rows:
        return []
    if scored_at is None:
        raise ValueError("judging needs the time the judgements are made")
    from reportgen.score.backend import score_rows  # the scorer's code: with mentions to judge, not every fetch

    return score_rows(scorer_for(scoring), rows, {b.id: b for b in banks}, scored_at)


def checked_scorer(scoring: ScoringSettings, version: str) -> Scorer:
    """This process's scorer, refused when it would judge differently from the driver's."""
    scorer = scorer_for(scoring)
    if scorer.version != version:
        raise ReportgenError(f"this worker's scorer is {scorer.version}, the driver's {version}: the lexicon "
                             "or model file differs between the hosts",
                             hint="install the same reportgen and copy the same model file to every worker host")
    return scorer


@functools.cache
def worker_store(database: str) -> Store:
    """One engine per process and database, opened on first use and never inherited."""
    return Store.open(database, migrate=False)


@functools.cache
def matcher_for(banks: tuple[BankConfig, ...]) -> Matcher:
    return Matcher(banks)  # built once per process


@functools.cache
def scorer_for(scoring: ScoringSettings) -> Scorer:
    from reportgen.score.backend import make_scorer  # the scorer's code (its lexicon): only to judge

    return make_scorer(scoring)  # built once per process
