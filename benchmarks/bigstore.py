"""Stores of many items for the report benchmark: a year of bank news, or one very busy day.

Rows go straight into SQLite with ``executemany`` (the normal ingest path would take an hour),
into a schema made by :meth:`reportgen.store.db.Store.open`, so every migration and index is the
real one.  The numbers are shaped like a monitored year: ~2,700 items a day across 40 sources in
every channel, 1–3 of 12 banks per item, ~15 % of judgements negative, a quarter with a risk
category.  Like real news, much of it is reprinted: each item either starts a story or, with
probability ``REPRINT``, is a copy of a story of the last ``STORY_HOURS`` (bigger stories draw
more copies, so a few stories have hundreds), and copies keep their story's banks and, mostly,
its judgement.  Every item has its event (as after ``cluster_pending``), and every day its
alerts, stored as a cron run leaves them (a few per day, 一级 rare).  Seeded, so two builds are the
same store; built once and kept in ``--cache``.  The counts are printed and kept in a
``.json`` beside the database.

    python benchmarks/bigstore.py --out big.db [--items 1000000] [--days 365]
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import random
import sqlite3
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

VERSION = 3  # bump when the shape changes: the cached file's name carries it
ZONE = ZoneInfo("Asia/Shanghai")
# The stores end when the report zone's 2026-11-30 begins: the last day is Sunday 2026-11-29, so
# the last ISO week (2026-11-23 … 2026-11-29) and the last day are complete.
LAST_DAY = date(2026, 11, 29)
END = datetime(2026, 11, 30, tzinfo=ZONE).astimezone(UTC)
DAYS = 365
REPRINT = 0.35  # share of items that copy an earlier story
STORY_HOURS = 36  # a story draws copies for a day and a half
NAMES = {"icbc": "中国工商银行", "ccb": "中国建设银行", "abc": "中国农业银行", "boc": "中国银行", "bocom": "交通银行",
         "psbc": "中国邮政储蓄银行", "cmb": "招商银行", "citic": "中信银行", "spdb": "上海浦东发展银行",
         "cib": "兴业银行", "cmbc": "中国民生银行", "pab": "平安银行"}
BANKS = [(bank_id, name, "self" if bank_id == "icbc" else "competitor") for bank_id, name in NAMES.items()]
CHANNELS = ["online"] * 14 + ["social"] * 12 + ["print"] * 5 + ["broadcast"] * 3 + ["regulator"] * 3 + ["complaint"] * 3
CATEGORIES = ["complaint", "mis_selling", "data_leak", "fee_rate", "ops_loss", "regulatory", "fraud_crime", "outage",
              "personnel", "performance"]
# Headlines: a bank's name and characters drawn with Zipf's law from 3,000 CJK characters (news
# vocabulary's shape: a few characters everywhere, most rare), so two stories share few bigrams.
_VOCABULARY = random.Random(1).sample([chr(c) for c in range(0x4E00, 0x9FA6)], 3000)
_ZIPF = list(itertools.accumulate(1 / (rank + 1) for rank in range(len(_VOCABULARY))))
SPLIT = 0.03  # share of new stories that are a near-duplicate of a recent one (another event, one story)
PREFIXES = ("", "", "", "【快讯】", "【独家】", "突发！", "转：")


def config_toml(database: Path) -> str:
    banks = "".join(f'[[banks]]\nid = "{i}"\nname = "{n}"\nrole = "{r}"\n' for i, n, r in BANKS)
    sources = "".join(f'[[sources]]\nid = "s{k:02d}"\nname = "来源{k:02d}"\nurl = "http://127.0.0.1:9/{k}.xml"\n'
                      f'channel = "{c}"\n' for k, c in enumerate(CHANNELS))
    return (f'[settings]\ndatabase = "sqlite:///{database}"\noutput_dir = "out"\ntimezone = "Asia/Shanghai"\n'
            f'{banks}{sources}')


def _stamp(at: datetime) -> str:
    """Naive UTC with microseconds: the text SQLAlchemy's DateTime stores in SQLite."""
    return at.strftime("%Y-%m-%d %H:%M:%S.%f")


class _Story:
    __slots__ = ("event_id", "title", "banks", "label", "categories", "size", "first_at")

    def __init__(self, event_id: str, title: str, banks: list[str], label: str, categories: str,
                 first_at: datetime) -> None:
        self.event_id, self.title, self.banks, self.label = event_id, title, banks, label
        self.categories, self.size, self.first_at = categories, 1, first_at


def build(path: Path, n_items: int, *, days: int = DAYS, seed: int = 5) -> dict[str, Any]:
    """Write the store; return its counts (items, events, multi-item events, alerts, …)."""
    from reportgen.config.core import parse_config_text
    from reportgen.store.db import Store

    if path.exists():
        path.unlink()
    config = parse_config_text(config_toml(path), path.with_suffix(".toml"))
    store = Store.open(config.settings.database)  # the real schema, migrations and indexes
    store.sync_sources(config.sources, lambda s: s.url or "")
    store.close()

    rng = random.Random(seed)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=OFF")
    conn.execute("PRAGMA synchronous=OFF")
    start = END - timedelta(days=days)
    span = days * 86400
    bank_ids = [b[0] for b in BANKS]
    weights = [30, 14, 12, 12, 8, 8, 9, 6, 5, 5, 5, 5]
    offsets = sorted(rng.randrange(span * 1000) for _ in range(n_items))  # milliseconds, in time order
    t0 = time.perf_counter()
    recent: list[_Story] = []  # one entry per copy of a recent story: bigger stories draw more copies
    oldest = 0  # recent[oldest:] are the copies of the last STORY_HOURS
    stories: list[_Story] = []
    day_events: dict[date, list[_Story]] = {}
    judgements = negatives = 0
    batch = 50_000
    for lo in range(0, n_items, batch):
        item_rows, mention_rows, score_rows, event_rows, member_rows = [], [], [], [], []
        for k in range(lo, min(lo + batch, n_items)):
            item_id = f"{k:016x}"
            at = start + timedelta(milliseconds=offsets[k])
            while oldest < len(recent) and (at - recent[oldest].first_at).total_seconds() > STORY_HOURS * 3600:
                oldest += 1
            if oldest > 100_000:  # keep the list short
                del recent[:oldest]
                oldest = 0
            published = _stamp(at)
            if oldest < len(recent) and rng.random() < REPRINT:
                story = recent[rng.randrange(oldest, len(recent))]
                story.size += 1
                title = rng.choice(PREFIXES) + story.title
                similarity = round(rng.uniform(0.55, 1.0), 4)
            else:
                event_id = "ev-" + hashlib.sha1(item_id.encode()).hexdigest()[:12]
                if oldest < len(recent) and rng.random() < SPLIT:  # the clustering kept one story apart
                    twin = recent[rng.randrange(oldest, len(recent))]
                    story = _Story(event_id, "【关注】" + twin.title, twin.banks, twin.label, twin.categories, at)
                else:
                    r = rng.random()
                    label = "negative" if r < 0.15 else "positive" if r > 0.85 else "neutral"
                    tagged = rng.random() < 0.25
                    cats = [{"code": rng.choice(CATEGORIES), "terms": ["投诉"], "clause": ""}] if tagged else []
                    banks = sorted(set(rng.choices(bank_ids, weights=weights, k=rng.choice((1, 1, 1, 2, 2, 3)))))
                    title = NAMES[banks[0]] + "".join(rng.choices(_VOCABULARY, cum_weights=_ZIPF,
                                                                  k=rng.randint(10, 24)))
                    story = _Story(event_id, title, banks, label, json.dumps(cats, ensure_ascii=False), at)
                title = story.title
                stories.append(story)
                day_events.setdefault(at.astimezone(ZONE).date(), []).append(story)
                event_rows.append((event_id, item_id, published, published))
                similarity = 1.0
            recent.append(story)
            member_rows.append((item_id, story.event_id, similarity))
            item_rows.append((item_id, f"s{rng.randrange(len(CHANNELS)):02d}", title, title[:40],
                              f"https://news.example.com/{item_id}.html", None, None, published, published,
                              0, 0, item_id, None))
            for bank in story.banks:
                mention_rows.append((item_id, bank, rng.random() < 0.5, "[]"))
                # a copy carries its story's judgement, now and then judged otherwise
                label = story.label if rng.random() < 0.85 else rng.choice(("negative", "neutral", "positive"))
                reasons = [{"term": "投诉", "weight": -1.0, "where": "title", "clause": "", "note": ""}] \
                    if label == "negative" else []
                score_rows.append((item_id, bank, "rules", "bench", label, -0.7 if label == "negative" else 0.1,
                                   story.categories, json.dumps(reasons, ensure_ascii=False), published))
                judgements += 1
                negatives += label == "negative"
        conn.executemany("INSERT INTO items (item_id, source_id, title, summary, url, guid, author, published_at, "
                         "fetched_at, date_missing, date_capped, content_hash, run_id) "
                         "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", item_rows)
        conn.executemany("INSERT INTO mentions (item_id, bank_id, in_title, evidence) VALUES (?,?,?,?)", mention_rows)
        conn.executemany("INSERT INTO scores (item_id, bank_id, scorer, version, label, score, categories, reasons, "
                         "scored_at) VALUES (?,?,?,?,?,?,?,?,?)", score_rows)
        conn.executemany("INSERT INTO events (event_id, first_item_id, first_published_at, created_at) "
                         "VALUES (?,?,?,?)", event_rows)
        conn.executemany("INSERT INTO event_items (item_id, event_id, similarity) VALUES (?,?,?)", member_rows)
        conn.commit()
        print(f"\r  {min(lo + batch, n_items):,} / {n_items:,} items  ({time.perf_counter() - t0:.0f} s)",
              end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    alerts = _alerts(conn, rng, day_events)
    conn.execute("ANALYZE")
    conn.commit()
    conn.close()
    multi = [s.size for s in stories if s.size > 1]
    counts = {"items": n_items, "days": days, "events": len(stories), "multi_item_events": len(multi),
              "items_in_multi_item_events": sum(multi), "largest_event": max(multi, default=1),
              "judgements": judgements, "negative_judgements": negatives, "alerts": alerts}
    path.with_suffix(".json").write_text(json.dumps(counts), encoding="utf-8")
    return counts


def _alerts(conn: sqlite3.Connection, rng: random.Random, day_events: dict[date, list[_Story]]) -> int:
    """Each day's alerts as a cron run stores them: ~4 % of bank-days raise one, most of them 三级/四级,
    naming one of the day's negative stories of the bank; every day is marked computed."""
    rows, days = [], []
    computed = _stamp(END)
    for day, started in sorted(day_events.items()):
        days.append((day.isoformat(), computed))
        negative: dict[str, list[_Story]] = {}
        for story in started:
            if story.label == "negative":
                for bank in story.banks:
                    negative.setdefault(bank, []).append(story)
        for bank_id, name in NAMES.items():
            if rng.random() >= 0.04 or bank_id not in negative:
                continue
            level = rng.choices((1, 2, 3, 4), weights=(1, 3, 8, 12))[0]
            kind = rng.choice(("volume", "heat", "category"))
            story = max(negative[bank_id], key=lambda s: (s.size, s.event_id))
            value = float(story.size * 3 if kind == "volume" else story.size * 30)
            reason = f"{name}{day.month}月{day.day}日负面{kind}异常"
            rows.append((day.isoformat(), bank_id, kind, rng.choice(CATEGORIES), level, value, value / 3, 2.0,
                         json.dumps([story.event_id]), reason, f"{bank_id} {kind} spike on {day}", computed))
    conn.executemany("INSERT INTO alerts (day, bank_id, kind, category, level, value, centre, spread, event_ids, "
                     "reason_zh, reason_en, computed_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", rows)
    conn.executemany("INSERT INTO alert_days (day, computed_at) VALUES (?,?)", days)
    return len(rows)


def cached(cache: Path, n_items: int, days: int = DAYS) -> tuple[Path, dict[str, Any]]:
    """The store of ``n_items`` over ``days`` in ``cache`` (built on first use) and its counts."""
    cache.mkdir(parents=True, exist_ok=True)
    path = cache / f"bigstore-v{VERSION}-{n_items}-{days}d.db"
    if not path.exists() or not path.with_suffix(".json").exists():
        print(f"building {path} (once)", file=sys.stderr)
        tmp = path.with_suffix(".building")
        build(tmp, n_items, days=days)  # its counts go to the .json beside it, the name it will keep
        tmp.replace(path)
    return path, json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--days", type=int, default=DAYS)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    print(json.dumps(build(args.out, args.items, days=args.days)))
