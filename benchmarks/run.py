"""`make bench`: every benchmark in one run, each printing its measured ratios side by side."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
RUNS = (
    # issue 17: parse rate of the fast path against feedparser and bare lxml, and the fallback share
    ("bench_parse.py", "--repeat", "5"),
    ("bench_pipeline.py", "--repeat", "5"),
    # the shipped default concurrency (sources.toml [fetch] concurrency = 16), then a wider one
    ("bench_fetch.py", "--concurrency", "16"),
    ("bench_fetch.py", "--concurrency", "50"),
    # issue 17: does parsing and storing overlap with fetching; reportgen fetch against r2e run --no-send
    ("bench_overlap.py",),
    ("bench_rss2email.py",),
    ("bench_score.py", "--repeat", "5"),
    ("bench_events.py",),
    # the briefings: render time and PDF size; the data of a 100,000-item day and of a week of a
    # 1,000,000-item store with events and alerts (both stores built once, into the system's temp folder)
    ("bench_report.py", "--repeat", "5"),
    # audit issue 7: one source flooding a day with look-alike headlines, the report's time and memory
    ("bench_flood.py",),
    # issue 8: Dask workers against one process (scoring 200,000 items), PostgreSQL against SQLite
    # (the PostgreSQL figures need $REPORTGEN_BENCH_PG_URL or $REPORTGEN_TEST_PG_URL)
    ("bench_scale.py",),
)


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--list", action="store_true", help="list the benchmarks and their options, run nothing")
    args = parser.parse_args(argv)
    if args.list:
        for name, *options in RUNS:
            print(name, *options)
        return 0
    failed = False
    for name, *args in RUNS:
        print(f"== {name} {' '.join(args)}", flush=True)
        failed |= subprocess.call([sys.executable, str(HERE / name), *args], cwd=HERE.parent) != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
