"""What the inspection commands ask for: a library call each, so the CLI never opens the store itself.

``reportgen export``, ``events``, ``alerts`` and ``score`` each call one function here; each opens
the configured store, brings what it reads up to date (judgements, events, a day's alerts) the same
way a report would, and returns plain objects.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from reportgen.config.core import Config
from reportgen.flow.execution import open_executor
from reportgen.flow.pipeline import score_pending
from reportgen.insight import aggregate
from reportgen.insight.followup import with_followup
from reportgen.insight.incidents import alert_summaries, cluster_pending, compute_alerts, event_summaries
from reportgen.models import AlertSummary, EventSummary
from reportgen.periods import Window
from reportgen.score.backend import make_scorer
from reportgen.store.db import Store


def export_rows(config: Config, first: date, last: date) -> list[dict[str, Any]]:
    """One row per item × bank of days ``first``..``last`` (config zone), with ``EXPORT_FIELDS`` keys."""
    store = Store.open(config.settings.database)
    return aggregate.export_rows(store, config, Window.for_days(first, last, config.settings.tz))


def day_events(config: Config, day: date, language: str) -> list[EventSummary]:
    """The events of report day ``day``, hottest first; new items are clustered first."""
    store = Store.open(config.settings.database)
    cluster_pending(store, config)
    window = Window.for_days(day, day, config.settings.tz, config.report.day_start_hour)
    return event_summaries(store, config, window.start, window.end, language=language)


def day_alerts(config: Config, first: date, last: date, language: str, *,
               recompute: bool = False, now: datetime | None = None) -> tuple[AlertSummary, ...]:
    """The alerts of days ``first``..``last``, most severe first, raised from up-to-date judgements
    and events (stored for good once a day is over; again with ``recompute``), each at the most
    severe level its incident reached."""
    store = Store.open(config.settings.database)
    score_pending(store, config)
    cluster_pending(store, config)
    current = first
    while current <= last:
        compute_alerts(store, config, current, now=now, force=recompute)
        current += timedelta(days=1)
    return with_followup(store, config, alert_summaries(store, config, first, last, language), first, last, language)


@dataclass(frozen=True, slots=True)
class RescoreResult:
    scorer: str
    version: str
    scored: int  # judged in this call
    stored: int  # judgements stored with this version, all told


def rescore(config: Config, *, everything: bool = False) -> RescoreResult:
    """Judge every stored mention without a judgement from the current scorer (``everything``:
    drop every stored judgement first); ``[execution]`` spreads a backlog over its workers."""
    store = Store.open(config.settings.database)
    scorer = make_scorer(config.scoring)
    if everything:
        store.clear_scores()
    with open_executor(config.execution) as executor:
        scored = score_pending(store, config, executor=executor)
    return RescoreResult(scorer.name, scorer.version, scored, store.score_counts().get(scorer.version, 0))
