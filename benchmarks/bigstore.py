"""A store of N items (a million by default) for the report benchmark: a year of bank news.

Rows go straight into SQLite with ``executemany`` (the normal ingest path would take an hour),
into a schema made by :meth:`reportgen.store.db.Store.open`, so every migration and index is the
real one.  The numbers are shaped like a monitored year: ~2,700 items a day across 40 sources in
every channel, 1–3 of 12 banks per item, ~15 % of judgements negative, a quarter with a risk
category.  Seeded, so two builds are the same store; built once and kept in ``--cache``.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

VERSION = 2  # bump when the shape changes: the cached file's name carries it
LAST_DAY = datetime(2026, 11, 29, tzinfo=UTC)
DAYS = 365
NAMES = {"icbc": "中国工商银行", "ccb": "中国建设银行", "abc": "中国农业银行", "boc": "中国银行", "bocom": "交通银行",
         "psbc": "中国邮政储蓄银行", "cmb": "招商银行", "citic": "中信银行", "spdb": "上海浦东发展银行",
         "cib": "兴业银行", "cmbc": "中国民生银行", "pab": "平安银行"}
BANKS = [(bank_id, name, "self" if bank_id == "icbc" else "competitor") for bank_id, name in NAMES.items()]
CHANNELS = ["online"] * 14 + ["social"] * 12 + ["print"] * 5 + ["broadcast"] * 3 + ["regulator"] * 3 + ["complaint"] * 3
CATEGORIES = ["complaint", "mis_selling", "data_leak", "fee_rate", "ops_loss", "regulatory", "fraud_crime", "outage",
              "personnel", "performance"]
WORDS = list("银行客户理财贷款存款利率网点服务投诉系统故障监管处罚净利润同比增长信用卡手机业务发布回应调查风险资金")


def config_toml(database: Path) -> str:
    banks = "".join(f'[[banks]]\nid = "{i}"\nname = "{n}"\nrole = "{r}"\n' for i, n, r in BANKS)
    sources = "".join(f'[[sources]]\nid = "s{k:02d}"\nname = "来源{k:02d}"\nurl = "http://127.0.0.1:9/{k}.xml"\n'
                      f'channel = "{c}"\n' for k, c in enumerate(CHANNELS))
    return f'[settings]\ndatabase = "sqlite:///{database}"\noutput_dir = "out"\n{banks}{sources}'


def build(path: Path, n_items: int, seed: int = 5) -> None:
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
    start = LAST_DAY - timedelta(days=DAYS)
    span = DAYS * 86400
    bank_ids = [b[0] for b in BANKS]
    weights = [30, 14, 12, 12, 8, 8, 9, 6, 5, 5, 5, 5]
    t0 = time.perf_counter()
    batch = 50_000
    for offset in range(0, n_items, batch):
        item_rows, mention_rows, score_rows = [], [], []
        for k in range(offset, min(offset + batch, n_items)):
            item_id = f"{k:016x}"
            # naive UTC with microseconds: the text SQLAlchemy's DateTime stores in SQLite
            published = (start + timedelta(seconds=rng.randrange(span))).strftime("%Y-%m-%d %H:%M:%S.%f")
            title = "".join(rng.choices(WORDS, k=rng.randint(12, 28)))
            item_rows.append((item_id, f"s{rng.randrange(len(CHANNELS)):02d}", title, title[:40],
                              f"https://news.example.com/{item_id}.html", None, None, published, published,
                              0, 0, item_id, None))
            for bank in set(rng.choices(bank_ids, weights=weights, k=rng.choice((1, 1, 1, 2, 2, 3)))):
                mention_rows.append((item_id, bank, rng.random() < 0.5, "[]"))
                r = rng.random()
                label = "negative" if r < 0.15 else "positive" if r > 0.85 else "neutral"
                tagged = rng.random() < 0.25
                cats = [{"code": rng.choice(CATEGORIES), "terms": ["投诉"], "clause": ""}] if tagged else []
                reasons = [{"term": "投诉", "weight": -1.0, "where": "title", "clause": "", "note": ""}] \
                    if label == "negative" else []
                score_rows.append((item_id, bank, "rules", "bench", label, -0.7 if label == "negative" else 0.1,
                                   json.dumps(cats, ensure_ascii=False), json.dumps(reasons, ensure_ascii=False),
                                   published))
        conn.executemany("INSERT INTO items (item_id, source_id, title, summary, url, guid, author, published_at, "
                         "fetched_at, date_missing, date_capped, content_hash, run_id) "
                         "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", item_rows)
        conn.executemany("INSERT INTO mentions (item_id, bank_id, in_title, evidence) VALUES (?,?,?,?)", mention_rows)
        conn.executemany("INSERT INTO scores (item_id, bank_id, scorer, version, label, score, categories, reasons, "
                         "scored_at) VALUES (?,?,?,?,?,?,?,?,?)", score_rows)
        conn.commit()
        print(f"\r  {min(offset + batch, n_items):,} / {n_items:,} items  ({time.perf_counter() - t0:.0f} s)",
              end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    conn.execute("ANALYZE")
    conn.commit()
    conn.close()


def cached(cache: Path, n_items: int) -> Path:
    """The store of ``n_items`` in ``cache``, built on first use."""
    cache.mkdir(parents=True, exist_ok=True)
    path = cache / f"bigstore-v{VERSION}-{n_items}.db"
    if not path.exists():
        print(f"building {path} (once)", file=sys.stderr)
        tmp = path.with_suffix(".building")
        build(tmp, n_items)
        tmp.replace(path)
    return path


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    build(args.out, args.items)
