"""The units of work the executors run: a partition of sources, and a chunk of mentions to score.

``run_sources`` is the heavy stage of a distributed fetch, fetch → parse → match → score for a
few sources, on whichever worker Dask picks.  With a shared store (PostgreSQL) the worker writes
each source's items, mentions and scores itself and returns only the health records; otherwise it
returns the parsed rows and the driver writes them, since an SQLite file lives on the driver.

Exactly once: a partition may run twice (its worker died and Dask rescheduled it, or it raised and
was retried).  Items and mentions are inserted "if absent" and only what this run inserted is
scored, so the second run stores nothing twice; a worker that dies after storing a source but
before scoring it leaves mentions without a score, which the driver's ``score_pending`` finds.

Everything here is module-level and picklable, and each worker process builds its matcher,
scorer and database engine once (``functools.cache``) however many tasks it runs.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from reportgen.config.core import BankConfig
from reportgen.config.scoring import ScoringSettings
from reportgen.errors import ReportgenError
from reportgen.ingest.fetch import FetchOptions, fetch_all
from reportgen.ingest.parse import parse_feed
from reportgen.models import CacheValidators, FetchRequest, FetchResult, FetchStatus, Item, Mention, SourceHealth

if TYPE_CHECKING:
    from reportgen.score import Scorer
    from reportgen.score.match import Matcher
    from reportgen.store.db import Store

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class SourcesTask:
    """A partition of sources and everything a worker needs to process them."""

    requests: tuple[FetchRequest, ...]
    options: FetchOptions
    timezone: str
    banks: tuple[BankConfig, ...]
    scoring: ScoringSettings
    run_id: int
    scored_at: datetime
    version: str  # the driver's scorer version: a worker whose model file differs must not judge
    database: str | None = None  # a shared store the worker writes into; None: the driver writes


@dataclass(frozen=True, slots=True)
class SourceOutcome:
    """One source's result.  ``items``, ``mentions`` and ``scores`` travel only when the driver writes."""

    health: SourceHealth  # new_count / matched_count are final when the worker stored the source
    validators: CacheValidators | None  # to store (a 200 answer), else None
    items: tuple[Item, ...] = ()
    mentions: tuple[tuple[str, tuple[Mention, ...]], ...] = ()  # item_id → its mentions
    scores: tuple[dict[str, Any], ...] = ()
    scored: int = 0  # judgements the worker stored itself


@dataclass(frozen=True, slots=True)
class ScoreTask:
    """A chunk of stored mentions (``Store.mentions_to_score`` rows) to judge."""

    scoring: ScoringSettings
    banks: tuple[BankConfig, ...]
    rows: tuple[dict[str, Any], ...]
    scored_at: datetime
    version: str  # the driver's scorer version: a worker whose model file differs must not judge
    database: str | None = None  # write the judgements there and return none; None: return them


def partition(requests: Sequence[FetchRequest], parts: int) -> list[tuple[FetchRequest, ...]]:
    """``requests`` dealt round-robin into at most ``parts`` partitions, so one slow host's sources
    (an RSSHub instance, say) spread over the workers instead of piling onto one."""
    parts = max(1, min(parts, len(requests)))
    return [tuple(requests[i::parts]) for i in range(parts)] if requests else []


def run_sources(task: SourcesTask) -> list[SourceOutcome]:
    """Fetch, parse, match and score one partition; store it too when the store is shared."""
    _check_version(task.scoring, task.version)
    results = fetch_all(list(task.requests), task.options)
    return [_one_source(task, result) for result in results]


def _one_source(task: SourcesTask, result: FetchResult) -> SourceOutcome:
    from reportgen.flow.pipeline import source_health

    feed = None
    if result.body is not None:
        feed = parse_feed(result.source_id, result.body, result.headers, tz=task.timezone,
                          fetched_at=result.fetched_at, base_url=result.url)
    health = source_health(result, feed)
    validators = result.validators if health.status is FetchStatus.OK else None
    unique: dict[str, Item] = {}
    for item in feed.items if feed else ():
        unique.setdefault(item.item_id, item)  # the first copy wins, as in Store.save_source_batch
    parsed = list(unique.values())
    matcher = _matcher(task.banks)
    if task.database is None:  # the driver writes: send everything back, judged
        found = [(item, matcher.mentions(item)) for item in parsed]
        scores = _score(task.scoring, task.banks, found, task.scored_at)
        return SourceOutcome(health, validators, tuple(parsed),
                             tuple((item.item_id, tuple(m)) for item, m in found), tuple(scores))
    store = worker_store(task.database)
    stored: list[tuple[Item, list[Mention]]] = []

    def match(item: Item) -> list[Mention]:
        mentions = matcher.mentions(item)
        stored.append((item, mentions))  # called only for items this call inserted
        return mentions

    saved = store.save_source_batch(task.run_id, health, validators, parsed, match)
    scores = _score(task.scoring, task.banks, stored, task.scored_at)
    store.save_scores(scores)
    return SourceOutcome(replace(health, new_count=saved.new_count, matched_count=saved.matched_count),
                         validators, scored=len(scores))


def score_chunk(task: ScoreTask) -> list[dict[str, Any]]:
    """Judge a chunk of stored mentions; store the judgements when given a shared store."""
    from reportgen.score.backend import score_rows

    scorer = _check_version(task.scoring, task.version)
    rows = score_rows(scorer, task.rows, {b.id: b for b in task.banks}, task.scored_at)
    if task.database is None:
        return rows
    worker_store(task.database).save_scores(rows)
    return []


def _score(scoring: ScoringSettings, banks: tuple[BankConfig, ...], found: Sequence[tuple[Item, Sequence[Mention]]],
           scored_at: datetime) -> list[dict[str, Any]]:
    """Judgements for every mention in ``found``, from the rows ``Store.mentions_to_score`` would give."""
    from reportgen.score.backend import score_rows

    rows: list[dict[str, Any]] = []
    for item, mentions in found:
        named = sorted({m.bank_id for m in mentions})
        rows.extend({"item_id": item.item_id, "bank_id": m.bank_id, "title": item.title, "summary": item.summary,
                     "banks": named} for m in mentions)
    if not rows:
        return []
    return score_rows(_scorer(scoring), rows, {b.id: b for b in banks}, scored_at)


def _check_version(scoring: ScoringSettings, version: str) -> Scorer:
    """This worker's scorer, refused when it would judge differently from the driver's."""
    scorer = _scorer(scoring)
    if scorer.version != version:
        raise ReportgenError(f"this worker's scorer is {scorer.version}, the driver's {version}: the lexicon "
                             "or model file differs between the hosts",
                             hint="install the same reportgen and copy the same model file to every worker host")
    return scorer


@functools.cache
def worker_store(database: str) -> Store:
    """One engine per worker process and database, opened on first use and never inherited."""
    from reportgen.store.db import Store

    return Store.open(database, migrate=False)


@functools.cache
def _matcher(banks: tuple[BankConfig, ...]) -> Matcher:
    from reportgen.score.match import Matcher

    return Matcher(banks)


@functools.cache
def _scorer(scoring: ScoringSettings) -> Scorer:
    from reportgen.score.backend import make_scorer

    return make_scorer(scoring)
