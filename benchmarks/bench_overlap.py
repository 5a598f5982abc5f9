"""Do parsing and storing overlap with fetching?  The three timed apart and together.

``reportgen fetch`` hands each source to the :class:`reportgen.flow.pipeline.Ingestor` as soon as it
arrives (``fetch_all(..., keep_bodies=False)``): it is parsed, matched and stored in a thread while
the other sources download.  On one workload (``--feeds`` RSS feeds of ``--items`` items from a
local server in a child process, ``--latency`` per response) this prints, median of ``--repeat``:

* fetch alone: every body downloaded and kept, nothing parsed;
* parse + match + store alone: the same bodies ingested with no network;
* both as ``run_fetch`` runs them, overlapped;
* how much of the shorter of the two the overlap hides: (fetch + ingest − both) / shorter.

    python benchmarks/bench_overlap.py [--feeds 100] [--items 20] [--latency 0.1] [--concurrency 16]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.bench_rss2email import _serve  # noqa: E402
from benchmarks.workload import generate_workload, workload_config_toml  # noqa: E402
from reportgen.config.core import Config, parse_config_text  # noqa: E402
from reportgen.flow.pipeline import Ingestor, fetch_options, ingest  # noqa: E402
from reportgen.ingest.fetch import fetch_all  # noqa: E402
from reportgen.models import FetchResult  # noqa: E402
from reportgen.store.db import Store  # noqa: E402


def _config(folder: Path, tag: str, base_url: str, source_ids: list[str], concurrency: int) -> Config:
    text = workload_config_toml(source_ids, base_url=base_url, database=f"sqlite:///{folder}/{tag}.db",
                                output_dir=str(folder / "out"))
    text += f"\n[fetch]\nconcurrency = {concurrency}\nper_host = {concurrency}\n"
    return parse_config_text(text, folder / f"{tag}.toml")


def _store(config: Config) -> Store:
    store = Store.open(config.settings.database)
    store.sync_sources(config.sources, lambda s: s.url or "")
    return store


def fetch_alone(config: Config) -> tuple[float, list[FetchResult]]:
    began = time.perf_counter()
    results = fetch_all(config.fetch_requests(), fetch_options(config.fetch))
    return time.perf_counter() - began, results


def ingest_alone(config: Config, results: list[FetchResult]) -> float:
    store = _store(config)
    run_id = store.start_run("bench", datetime.now(UTC))
    began = time.perf_counter()
    ingest(store, config, results, run_id=run_id)
    elapsed = time.perf_counter() - began
    store.close()
    return elapsed


def overlapped(config: Config) -> float:
    """run_fetch's fetch-and-ingest, without the scoring and clustering that follow it."""
    store = _store(config)
    run_id = store.start_run("bench", datetime.now(UTC))
    requests = config.fetch_requests()
    began = time.perf_counter()
    with Ingestor(store, config, run_id, sources=len(requests)) as ingestor:
        fetch_all(requests, fetch_options(config.fetch), ingestor, keep_bodies=False)
    ingestor.healths()
    elapsed = time.perf_counter() - began
    store.close()
    return elapsed


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=100)
    parser.add_argument("--items", type=int, default=20)
    parser.add_argument("--latency", type=float, default=0.1)
    parser.add_argument("--concurrency", type=int, default=16, help="[fetch] concurrency and per_host")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    feeds = generate_workload(args.feeds, args.items, seed=17)
    conn, child = multiprocessing.Pipe()
    server = multiprocessing.Process(target=_serve, args=(child, feeds, args.latency), daemon=True)
    server.start()
    base_url = conn.recv()
    rounds: list[tuple[float, float, float]] = []
    try:
        with tempfile.TemporaryDirectory(prefix="reportgen-overlap-") as tmp:
            ids = [sid for sid, _ in feeds]
            for r in range(args.repeat):
                fetched, results = fetch_alone(_config(Path(tmp), f"f{r}", base_url, ids, args.concurrency))
                ingested = ingest_alone(_config(Path(tmp), f"i{r}", base_url, ids, args.concurrency), results)
                both = overlapped(_config(Path(tmp), f"o{r}", base_url, ids, args.concurrency))
                rounds.append((fetched, ingested, both))
    finally:
        conn.send("stop")
        server.join(timeout=10)
    fetched, ingested, both = (statistics.median(x[i] for x in rounds) for i in range(3))
    hidden = (fetched + ingested - both) / min(fetched, ingested)
    print(f"overlap: {args.feeds} feeds × {args.items} items, {args.latency * 1000:.0f} ms latency, concurrency "
          f"{args.concurrency}, median of {args.repeat}")
    print(f"    fetch alone {fetched:.2f} s · parse + match + store alone {ingested:.2f} s · both overlapped "
          f"{both:.2f} s (one after the other: {fetched + ingested:.2f} s) · {hidden:.0%} of the shorter hidden")
    print(json.dumps({"bench": "overlap", "fetch_s": round(fetched, 3), "ingest_s": round(ingested, 3),
                      "overlapped_s": round(both, 3), "hidden_share": round(hidden, 3)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
