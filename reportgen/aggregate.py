"""Store rows → report data, with pandas.

The report periods are calendar days in the configured zone: the daily report for ``D``
covers ``[D 00:00, D+1 00:00)`` local time, whatever zone the feeds wrote their dates in.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd

from .config import Config
from .models import BankJudgement, BankTotal, DailyReportData, ReportItem, SourceHealthRow
from .periods import WEEKLY_TITLES, Period
from .store import Store

DEFAULT_TITLES = {"zh": "银行舆情日报", "en": "Bank Media Monitoring Daily"}
EXPORT_FIELDS = ("id", "bank", "bank_name", "source", "source_name", "channel", "title", "url",
                 "published_at", "sentiment", "sentiment_score", "categories", "reasons")


@dataclass(frozen=True, slots=True)
class Window:
    start: datetime  # aware, inclusive
    end: datetime  # aware, exclusive

    @classmethod
    def for_days(cls, first: date, last: date, tz: ZoneInfo) -> Window:
        """Calendar days ``first``..``last`` (inclusive) in zone ``tz``."""
        return cls(datetime.combine(first, time(), tz), datetime.combine(last + timedelta(days=1), time(), tz))


def previous_day(now: datetime, tz: ZoneInfo) -> date:
    """The day a morning report covers: yesterday in the report zone."""
    return now.astimezone(tz).date() - timedelta(days=1)


def mention_frame(store: Store, window: Window) -> pd.DataFrame:
    """One row per item × bank in the window; empty frames keep their columns."""
    rows = store.mention_rows(window.start, window.end)
    columns = ["item_id", "bank_id", "source_id", "source_name", "channel", "title", "summary", "url",
               "published_at", "date_missing", "in_title", "evidence", "label", "score", "categories", "reasons"]
    frame = pd.DataFrame(rows, columns=columns)
    if not frame.empty:
        frame["published_at"] = pd.to_datetime(frame["published_at"], utc=True)
    return frame


def bank_totals(frame: pd.DataFrame, config: Config) -> tuple[BankTotal, ...]:
    """Mentions per configured bank (self first, then by volume), zero rows included."""
    if frame.empty:
        counts = pd.DataFrame({"mentions": [], "title_mentions": [], "negative": []})
    else:
        counts = (frame.assign(is_negative=frame["label"] == "negative")
                  .groupby("bank_id").agg(mentions=("item_id", "nunique"), title_mentions=("in_title", "sum"),
                                          negative=("is_negative", "sum")))
    all_mentions = int(counts["mentions"].sum()) if not counts.empty else 0
    totals = []
    for bank in config.banks:
        n = int(counts.at[bank.id, "mentions"]) if bank.id in counts.index else 0
        in_title = int(counts.at[bank.id, "title_mentions"]) if bank.id in counts.index else 0
        negative = int(counts.at[bank.id, "negative"]) if bank.id in counts.index else 0
        totals.append(BankTotal(bank.id, bank.name, bank.role, n, in_title,
                                n / all_mentions if all_mentions else 0.0, negative))
    totals.sort(key=lambda t: (t.role != "self", -t.mentions, t.bank_id))
    return tuple(totals)


def report_items(frame: pd.DataFrame, config: Config, tz: ZoneInfo) -> tuple[ReportItem, ...]:
    """One entry per item (not per bank), newest first, listing every bank it names."""
    if frame.empty:
        return ()
    names = {b.id: b.name for b in config.banks}
    order = {b.id: i for i, b in enumerate(config.banks)}
    out = []
    for item_id, group in frame.groupby("item_id", sort=False):
        first = group.iloc[0]
        group = group.assign(_order=group["bank_id"].map(lambda b: order.get(b, len(order)))).sort_values("_order")
        bank_ids = list(group["bank_id"])
        out.append(ReportItem(
            item_id=str(item_id), title=first["title"], url=first["url"], source_id=first["source_id"],
            source_name=first["source_name"], channel=first["channel"],
            published_at=first["published_at"].to_pydatetime().astimezone(tz),
            bank_names=tuple(names.get(b, b) for b in bank_ids),
            summary=first["summary"], date_missing=bool(first["date_missing"]),
            judgements=tuple(_judgement(row, names) for row in group.itertuples(index=False)),
        ))
    out.sort(key=lambda i: (i.published_at, i.item_id), reverse=True)
    return tuple(out)


def _judgement(row: Any, names: dict[str, str]) -> BankJudgement:
    if not isinstance(row.label, str):  # not scored (yet): an outer join gave NULLs
        return BankJudgement(names.get(row.bank_id, row.bank_id), None, None)
    categories = tuple(c["code"] for c in json.loads(row.categories or "[]"))
    reasons = tuple(dict.fromkeys(r["term"] for r in json.loads(row.reasons or "[]") if r["weight"]))
    return BankJudgement(names.get(row.bank_id, row.bank_id), row.label, float(row.score), categories, reasons[:4])


def category_names(config: Config, language: str) -> dict[str, str]:
    return {c.code: c.name(language) for c in config.scoring.category_rules()}


def health_rows(store: Store, config: Config, as_of: datetime) -> tuple[SourceHealthRow, ...]:
    """Each configured source's latest outcome before ``as_of``; failures first."""
    latest = store.latest_health(as_of)
    rows = []
    for s in config.sources:
        if not s.enabled:
            continue
        h: dict[str, Any] | None = latest.get(s.id)
        if h is None:
            rows.append(SourceHealthRow(s.id, s.name, s.channel, "never", None))
            continue
        rows.append(SourceHealthRow(
            s.id, s.name, s.channel, h["status"], h["checked_at"], h["http_status"], h["item_count"],
            h["new_count"], h["error"], h["warning"],
        ))
    rank = {"failed": 0, "never": 1, "not_modified": 2, "ok": 3}
    rows.sort(key=lambda r: (rank.get(r.status, 9), r.source_id))
    return tuple(rows)


def daily_report_data(store: Store, config: Config, day: date, *, now: datetime,
                      language: str | None = None) -> DailyReportData:
    return report_data(store, config, Period.daily(day), now=now, language=language)


def report_data(store: Store, config: Config, period: Period, *, now: datetime,
                language: str | None = None) -> DailyReportData:
    """The report data over a daily or weekly period (the weekly one until issue 5's briefing)."""
    tz = config.settings.tz
    window = Window.for_days(period.first, period.last, tz)
    frame = mention_frame(store, window)
    lang = language or config.settings.language
    daily = period.kind == "daily"
    return DailyReportData(
        title=(config.settings.report_title or DEFAULT_TITLES[lang]) if daily else WEEKLY_TITLES[lang],
        organisation=config.settings.organisation,
        language=lang,
        timezone=config.settings.timezone,
        day=period.first,
        period=period.kind,
        last_day=None if daily else period.last,
        window_start=window.start,
        window_end=window.end,
        generated_at=now.astimezone(tz),
        total_items=int(frame["item_id"].nunique()) if not frame.empty else 0,
        bank_totals=bank_totals(frame, config),
        items=report_items(frame, config, tz),
        # health as it stood when the report is made, not as of the covered day: the reader
        # needs to know whether the picture is complete now
        source_health=health_rows(store, config, max(now, window.end)),
        category_names=category_names(config, lang),
    )


def export_rows(store: Store, config: Config, window: Window) -> list[dict[str, Any]]:
    """One row per item × bank, oldest first, with ``EXPORT_FIELDS`` keys."""
    tz = config.settings.tz
    names = {b.id: b.name for b in config.banks}
    rows = store.mention_rows(window.start, window.end)
    rows.sort(key=lambda r: (r["published_at"], r["item_id"], r["bank_id"]))
    return [
        {
            "id": r["item_id"], "bank": r["bank_id"], "bank_name": names.get(r["bank_id"], r["bank_id"]),
            "source": r["source_id"], "source_name": r["source_name"], "channel": r["channel"],
            "title": r["title"], "url": r["url"],
            "published_at": r["published_at"].astimezone(tz).isoformat(),
            # the judgement for this bank (empty until scored); categories and reasons ";"-joined
            "sentiment": r["label"] or "",
            "sentiment_score": r["score"] if r["score"] is not None else "",
            "categories": ";".join(c["code"] for c in json.loads(r["categories"] or "[]")),
            "reasons": ";".join(dict.fromkeys(x["term"] for x in json.loads(r["reasons"] or "[]") if x["weight"])),
        }
        for r in rows
    ]
