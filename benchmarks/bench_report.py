"""The briefings: render time (HTML + PDF, in-process, after a warm-up), PDF size, and the time and
peak memory to build the weekly report's data from a store of a million items.

Render workload: the offline demo's two weeks of news, fetched from a local server into a fresh
store by the real pipeline, then the daily and the weekly briefing rendered ``--repeat`` times
each (median printed).  Data workload: :mod:`bigstore`'s year of news (1,000,000 items, built once
into ``--cache``), read by :func:`reportgen.insight.aggregate.report_data` in a fresh process whose own
peak RSS is reported, so the generator's memory does not count.

Targets (issue 5): daily ≤ 1.0 s, weekly ≤ 2.0 s, weekly data ≤ 2 s with peak RSS ≤ 500 MB,
PDF ≤ 400 KB on a typical day.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
TARGETS = {"daily_s": 1.0, "weekly_s": 2.0, "data_s": 2.0, "rss_mb": 500.0, "pdf_kb": 400.0}


def _pages(pdf: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(pdf).pages)


def render_bench(repeat: int) -> dict[str, float]:
    from reportgen.config.core import parse_config_text
    from reportgen.demo.data import demo_config_toml, generate_demo_feeds
    from reportgen.demo.feedserver import FeedServer, Route
    from reportgen.flow.pipeline import run_fetch
    from reportgen.insight import aggregate
    from reportgen.periods import previous_period
    from reportgen.report import render
    from reportgen.store.db import Store

    now = datetime.now(UTC)
    out: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="reportgen-bench-") as tmp:
        feeds = generate_demo_feeds(now)
        with FeedServer({f.path: Route(f.body, f.content_type) for f in feeds}) as server:
            text = demo_config_toml(server.base_url, database="sqlite:///bench.db", output_dir=str(Path(tmp) / "o"))
            config = parse_config_text(text, Path(tmp) / "sources.toml")
            run_fetch(config, now=now)
        store = Store.open(config.settings.database)
        for kind in ("daily", "weekly"):
            period = previous_period(kind, now, config.settings.tz)
            data = aggregate.report_data(store, config, period, now=now)
            times = []
            for i in range(repeat + 1):  # the first is the warm-up: imports, fonts, template compilation
                t0 = time.perf_counter()
                paths = render.render_report(data, Path(tmp) / "o", basename=period.basename("zh"))
                if i:
                    times.append(time.perf_counter() - t0)
            html = paths["html"].read_text(encoding="utf-8")
            out[f"{kind}_s"] = statistics.median(times)
            out[f"{kind}_pages"] = _pages(paths["pdf"])
            out[f"{kind}_charts"] = html.count('src="data:image/svg+xml')
            out[f"{kind}_pdf_kb"] = paths["pdf"].stat().st_size / 1024
    return out


def data_bench(cache: Path, items: int, repeat: int) -> dict[str, float]:
    import bigstore

    path = bigstore.cached(cache, items)
    code = f"""
import json, resource, statistics, sys, time
from datetime import datetime, UTC
from pathlib import Path
sys.path.insert(0, {str(HERE)!r}); sys.path.insert(0, {str(ROOT)!r})
import bigstore
from reportgen.insight.aggregate import report_data
from reportgen.config.core import parse_config_text
from reportgen.periods import Period
from reportgen.store.db import Store
path = Path({str(path)!r})
config = parse_config_text(bigstore.config_toml(path), path.with_suffix(".toml"))
store = Store.open(config.settings.database)
period = Period.week_of(bigstore.LAST_DAY.date())
times = []
for _ in range({repeat}):
    t0 = time.perf_counter()
    data = report_data(store, config, period, now=bigstore.LAST_DAY)
    times.append(time.perf_counter() - t0)
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({{"data_s": statistics.median(times), "data_first_s": times[0], "rss_mb": rss,
                  "week_items": data.total_items, "week_negative": data.negative_total}}))
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "reportgen-bench")
    parser.add_argument("--skip-data", action="store_true", help="only the render benchmark")
    args = parser.parse_args()

    r = render_bench(args.repeat)
    print(f"daily  briefing: {r['daily_s']:.2f} s (target ≤ {TARGETS['daily_s']:.1f} s) · "
          f"{r['daily_pages']:.0f} pages · {r['daily_charts']:.0f} charts · PDF {r['daily_pdf_kb']:.0f} KB "
          f"(target ≤ {TARGETS['pdf_kb']:.0f} KB)")
    print(f"weekly briefing: {r['weekly_s']:.2f} s (target ≤ {TARGETS['weekly_s']:.1f} s) · "
          f"{r['weekly_pages']:.0f} pages · {r['weekly_charts']:.0f} charts · PDF {r['weekly_pdf_kb']:.0f} KB")
    if not args.skip_data:
        d = data_bench(args.cache, args.items, args.repeat)
        print(f"weekly data from {args.items:,} items: {d['data_s']:.2f} s median, {d['data_first_s']:.2f} s cold "
              f"(target ≤ {TARGETS['data_s']:.1f} s) · peak RSS {d['rss_mb']:.0f} MB "
              f"(target ≤ {TARGETS['rss_mb']:.0f} MB) · week: {d['week_items']:,} items, "
              f"{d['week_negative']:,} negative")
    return 0


if __name__ == "__main__":
    sys.exit(main())
