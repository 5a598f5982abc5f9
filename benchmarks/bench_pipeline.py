"""Benchmark (a): the offline pipeline against bare ``feedparser.parse`` on the same bytes.

Prints, from one run on one machine:

* the bare feedparser rate (items/s) over the generated feeds;
* the rate of parse → normalize → match → store (a fresh SQLite database), single process;
* the same with ``--workers`` processes parsing in a pool;
* the ratios of both to the bare single-process rate.

Targets (issue 2): single process ≥ 0.8×, two workers ≥ 1.5× the bare rate.

    python benchmarks/bench_pipeline.py [--feeds 80] [--items 50] [--workers 2] [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import feedparser

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.workload import generate_workload  # noqa: E402
from reportgen.config.core import parse_config_text  # noqa: E402
from reportgen.demo.data import demo_config_toml  # noqa: E402
from reportgen.flow.pipeline import ingest  # noqa: E402
from reportgen.models import FetchResult, FetchStatus  # noqa: E402
from reportgen.store.db import Store  # noqa: E402

HEADERS = {"content-type": "application/rss+xml; charset=utf-8"}


def bare_rate(feeds: list[tuple[str, bytes]]) -> tuple[float, int]:
    start = time.perf_counter()
    n = 0
    for _source_id, body in feeds:
        n += len(feedparser.parse(body, response_headers=HEADERS).entries)
    return n / (time.perf_counter() - start), n


def pipeline_rate(feeds: list[tuple[str, bytes]], workers: int, tmp: Path, tag: str) -> tuple[float, int]:
    source_ids = sorted({sid for sid, _ in feeds})
    text = demo_config_toml("http://127.0.0.1:9", database=f"sqlite:///{tag}.db", output_dir="out")
    text += "".join(f'\n[[sources]]\nid = "{sid}"\nname = "{sid}"\nurl = "http://127.0.0.1:9/{sid}"\n'
                    f'channel = "online"\n' for sid in source_ids)
    config = parse_config_text(text, tmp / f"{tag}.toml")
    store = Store.open(config.settings.database)
    store.sync_sources(config.sources, lambda s: config.source_url(s, with_key=False))
    now = datetime.now(UTC)
    results = [
        FetchResult(sid, FetchStatus.OK, f"http://127.0.0.1:9/{sid}", now, 0.0, 200, body, dict(HEADERS))
        for sid, body in feeds
    ]
    run_id = store.start_run("bench", now)
    start = time.perf_counter()
    summary = ingest(store, config, results, run_id=run_id, workers=workers)
    elapsed = time.perf_counter() - start
    store.close()
    return summary.items_fetched / elapsed, summary.items_new


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--feeds", type=int, default=80)
    ap.add_argument("--items", type=int, default=50)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=5, help="rounds; ratios are medians over rounds")
    args = ap.parse_args()

    feeds = [(f"bench-{i:03d}", body) for i, (_sid, body) in
             enumerate(generate_workload(args.feeds, args.items, seed=3))]
    size = sum(len(b) for _, b in feeds)
    print(f"(a) workload: {len(feeds)} feeds × {args.items} items, {size / 1e6:.1f} MB of RSS")
    rounds = []
    with tempfile.TemporaryDirectory() as tmp:
        for r in range(args.repeat):
            # A shared machine's speed drifts by tens of percent within a minute, so each pipeline
            # measurement sits between two bare ones and is compared with their mean.
            b1 = bare_rate(feeds)[0]
            s = pipeline_rate(feeds, 1, Path(tmp), f"single{r}")[0]
            b2 = bare_rate(feeds)[0]
            p = pipeline_rate(feeds, args.workers, Path(tmp), f"pooled{r}")[0]
            b3 = bare_rate(feeds)[0]
            rounds.append(((b1 + b2 + b3) / 3, s, p, s / ((b1 + b2) / 2), p / ((b2 + b3) / 2)))
            print(f"    round {r + 1}: bare {b1:6.0f} / {b2:6.0f} / {b3:6.0f}  "
                  f"pipeline {s:6.0f} ({rounds[-1][3]:.2f}×)  "
                  f"--workers {args.workers} {p:6.0f} ({rounds[-1][4]:.2f}×) items/s", flush=True)
    b = statistics.median(x[0] for x in rounds)
    s = statistics.median(x[1] for x in rounds)
    p = statistics.median(x[2] for x in rounds)
    single_ratio = statistics.median(x[3] for x in rounds)
    pooled_ratio = statistics.median(x[4] for x in rounds)
    print(f"    median of {len(rounds)} rounds:")
    print(f"    bare feedparser.parse:          {b:8.0f} items/s")
    print(f"    pipeline, 1 process:            {s:8.0f} items/s   ratio {single_ratio:.2f}  (target ≥ 0.80)")
    print(f"    pipeline, --workers {args.workers}:         {p:8.0f} items/s   ratio {pooled_ratio:.2f}  "
          "(target ≥ 1.50)")
    print(json.dumps({"bench": "pipeline", "rounds": len(rounds), "bare_items_per_s": round(b),
                      "pipeline_items_per_s": round(s), "pipeline_ratio": round(single_ratio, 3),
                      "workers": args.workers, "workers_items_per_s": round(p),
                      "workers_ratio": round(pooled_ratio, 3)}))


if __name__ == "__main__":
    main()
