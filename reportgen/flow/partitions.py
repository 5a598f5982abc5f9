"""The units of work the executors run: a partition of sources, and a chunk of mentions to score.

``run_sources`` is the heavy stage of a distributed fetch, fetch → parse → match → score for a
few sources, on whichever worker Dask picks.  With a shared store (PostgreSQL) the worker writes
each source's items, mentions and scores itself and returns only the health records; otherwise it
returns the parsed rows and the driver writes them, since an SQLite file lives on the driver.

Exactly once: a partition may run twice (its worker died and Dask rescheduled it, or it raised and
was retried).  Items and mentions are inserted "if absent" and only what this run inserted is
scored, so the second run stores nothing twice; a worker that dies after storing a source but
before scoring it leaves mentions without a score, which the driver's ``score_pending`` finds.

Everything here is module-level and picklable; each worker process builds its matcher, scorer
and database engine once (``flow/sources.py``) however many tasks it runs.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from reportgen.config.core import BankConfig
from reportgen.config.scoring import ScoringSettings
from reportgen.flow.sources import SourceOutcome, checked_scorer, ingest_source, worker_store
from reportgen.ingest.fetch import FetchOptions, fetch_all
from reportgen.models import FetchRequest

__all__ = ["ScoreTask", "SourceOutcome", "SourcesTask", "partition", "run_sources", "score_chunk"]

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
    checked_scorer(task.scoring, task.version)
    store = worker_store(task.database) if task.database is not None else None
    return [ingest_source(result, timezone=task.timezone, banks=task.banks, run_id=task.run_id, store=store,
                          scoring=task.scoring, scored_at=task.scored_at)
            for result in fetch_all(list(task.requests), task.options)]


def score_chunk(task: ScoreTask) -> list[dict[str, Any]]:
    """Judge a chunk of stored mentions; store the judgements when given a shared store."""
    from reportgen.score.backend import score_rows  # the scorer's code: only where mentions are judged

    scorer = checked_scorer(task.scoring, task.version)
    rows = score_rows(scorer, task.rows, {b.id: b for b in task.banks}, task.scored_at)
    if task.database is None:
        return rows
    worker_store(task.database).save_scores(rows)
    return []
