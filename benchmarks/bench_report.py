"""The briefings: render time (HTML + PDF, in-process, after a warm-up), PDF size, and the time and
peak memory to build the report data on a busy day and for a week of a million-item store.

Render workload: the offline demo's two weeks of news, fetched from a local server into a fresh
store by the real pipeline, then the daily and the weekly briefing rendered ``--repeat`` times
each (median printed).  Data workloads, from :mod:`bigstore` (built once into ``--cache``, with
events, alerts and judgements in a monitored year's proportions, and their counts printed): a
100,000-item day read by :func:`reportgen.insight.aggregate.report_data` for its daily report (and
once more with the day's alerts raised first, as ``reportgen report`` does on a day without stored
alerts), and a year of 1,000,000 items read for its last week; each in a fresh process whose own
peak RSS is reported, so the generator's memory does not count.

Targets (issues 5 and 17): daily ≤ 1.0 s, weekly ≤ 2.0 s, PDF ≤ 400 KB on a typical day; daily data
of a 100,000-item day ≤ 1 s; weekly data ≤ 2 s with peak RSS ≤ 500 MB.
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
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
TARGETS = {"daily_s": 1.0, "weekly_s": 2.0, "day_data_s": 1.0, "data_s": 2.0, "rss_mb": 500.0, "pdf_kb": 400.0}


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
            times, cpu = [], []
            for i in range(repeat + 1):  # the first is the warm-up: imports, fonts, template compilation
                t0, c0 = time.perf_counter(), time.process_time()
                paths = render.render_report(data, Path(tmp) / "o", basename=period.basename("zh"))
                if i:
                    times.append(time.perf_counter() - t0)
                    cpu.append(time.process_time() - c0)
            html = paths["html"].read_text(encoding="utf-8")
            out[f"{kind}_s"] = statistics.median(times)
            # this process's CPU time: on a shared machine it moves far less than the wall time with the others' load
            out[f"{kind}_cpu_s"] = statistics.median(cpu)
            out[f"{kind}_pages"] = _pages(paths["pdf"])
            out[f"{kind}_charts"] = html.count('src="data:image/svg+xml')
            out[f"{kind}_pdf_kb"] = paths["pdf"].stat().st_size / 1024
    return out


DATA_CODE = """
import json, resource, shutil, statistics, sys, time
from datetime import timedelta
from pathlib import Path
sys.path.insert(0, {here!r}); sys.path.insert(0, {root!r})
import bigstore
from reportgen.config.core import parse_config_text
from reportgen.insight.aggregate import report_data
from reportgen.insight.incidents import compute_alerts
from reportgen.insight.summaries import events_read_once
from reportgen.periods import Period
from reportgen.store.db import Store
path = Path({path!r})
if {alerts!r}:  # raising alerts writes them: work on a copy, so the cached store stays as built
    copy = Path({scratch!r}) / path.name
    shutil.copyfile(path, copy)
    path = copy
config = parse_config_text(bigstore.config_toml(path), path.with_suffix(".toml"))
store = Store.open(config.settings.database)
period = Period.daily(bigstore.LAST_DAY) if {kind!r} == "daily" else Period.week_of(bigstore.LAST_DAY)
if {profile!r}:  # one more run first, under cProfile, not timed: its stats to the file named
    import cProfile
    profile = cProfile.Profile()
    profile.runcall(report_data, store, config, period, now=bigstore.END)
    profile.dump_stats({profile!r})
times, cpu = [], []
for _ in range({repeat}):
    t0, c0 = time.perf_counter(), time.process_time()
    data = report_data(store, config, period, now=bigstore.END)
    times.append(time.perf_counter() - t0)
    cpu.append(time.process_time() - c0)
# this process's CPU time beside the wall time: on a shared machine it moves far less with the others' load
out = {{"data_s": statistics.median(times), "data_first_s": times[0], "data_cpu_s": statistics.median(cpu),
        "period_items": data.total_items,
        "period_negative": data.negative_total, "period_events": len(data.events),
        "period_events_reprinted": sum(e.item_count > 1 for e in data.events), "period_alerts": len(data.alerts)}}
out["data_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
if {alerts!r}:
    # what `reportgen report` does when the day's alerts are not stored yet: raise them, then the
    # report's data, sharing one reading of the day's events
    t0, c0 = time.perf_counter(), time.process_time()
    with events_read_once(store, config, period.first, period.last):
        day = period.first
        while day <= period.last:
            compute_alerts(store, config, day, now=bigstore.END, force=True)
            day += timedelta(days=1)
        data = report_data(store, config, period, now=bigstore.END)
    out["with_alerts_s"] = time.perf_counter() - t0
    out["with_alerts_cpu_s"] = time.process_time() - c0
    out["alerts_raised"] = len(data.alerts)
out["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(out))
"""


def data_bench(cache: Path, items: int, days: int, kind: str, repeat: int, *, alerts: bool = False,
               profile: Path | None = None) -> dict[str, Any]:
    """Report data from a :mod:`bigstore` store, in a fresh process whose own peak RSS is reported
    (with ``profile``, one more run first, under cProfile and not timed: its stats are written
    there, and printed in short; the timed runs then find the store in the page cache)."""
    import bigstore

    path, counts = bigstore.cached(cache, items, days)
    with tempfile.TemporaryDirectory(prefix="reportgen-bench-") as scratch:
        code = DATA_CODE.format(here=str(HERE), root=str(ROOT), path=str(path), kind=kind, repeat=repeat,
                                alerts=alerts, scratch=scratch, profile=str(profile) if profile else "")
        result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    if result.returncode:
        raise RuntimeError(f"the data benchmark failed:\n{result.stderr[-3000:]}")
    if profile:
        import pstats

        print(f"--- {kind} report data, profiled (not timed): {profile}")
        pstats.Stats(str(profile)).sort_stats("cumulative").print_stats(30)
    return {**counts, **json.loads(result.stdout.strip().splitlines()[-1])}


def _store_line(d: dict[str, Any]) -> str:
    share = d["items_in_multi_item_events"] / d["items"]
    return (f"store: {d['items']:,} items over {d['days']} days, {d['events']:,} events "
            f"({d['multi_item_events']:,} with reprints, holding {share:.0%} of the items; the largest "
            f"{d['largest_event']:,} items), {d['judgements']:,} judgements ({d['negative_judgements']:,} "
            f"negative), {d['alerts']:,} alerts")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--items", type=int, default=1_000_000, help="items in the year's store (weekly data)")
    parser.add_argument("--days", type=int, default=365, help="days the year's store spans")
    parser.add_argument("--day-items", type=int, default=100_000, help="items on the busy day (daily data)")
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "reportgen-bench")
    parser.add_argument("--skip-data", action="store_true", help="only the render benchmark")
    parser.add_argument("--only", action="append", choices=("render", "day", "week"),
                        help="run only these parts (repeatable); default all")
    parser.add_argument("--profile", type=Path, metavar="DIR",
                        help="profile one more run of each data benchmark: DIR/report-data-{daily,weekly}.prof")
    args = parser.parse_args()
    parts = set(args.only or ("render", "day", "week")) - ({"day", "week"} if args.skip_data else set())
    if args.profile:
        args.profile.mkdir(parents=True, exist_ok=True)

    def profile(kind: str) -> Path | None:
        return args.profile / f"report-data-{kind}.prof" if args.profile else None

    if "render" in parts:
        render_part(args.repeat)
    if "day" in parts:
        day = data_bench(args.cache, args.day_items, 1, "daily", args.repeat, alerts=True, profile=profile("daily"))
        print(f"daily data, a {args.day_items:,}-item day: {day['data_s']:.2f} s median, {day['data_first_s']:.2f} s "
              f"cold (target ≤ {TARGETS['day_data_s']:.1f} s; CPU {day['data_cpu_s']:.2f} s) · with the day's alerts "
              f"raised first {day['with_alerts_s']:.2f} s (CPU {day['with_alerts_cpu_s']:.2f} s) · peak RSS "
              f"{day['data_rss_mb']:.0f} MB ({day['rss_mb']:.0f} MB with the alerts) · report: "
              f"{day['period_events']:,} events ({day['period_events_reprinted']:,} reprinted), "
              f"{day['alerts_raised']} alerts")
        print(f"    {_store_line(day)}")
    if "week" in parts:
        week = data_bench(args.cache, args.items, args.days, "weekly", args.repeat, profile=profile("weekly"))
        print(f"weekly data from {args.items:,} items: {week['data_s']:.2f} s median, {week['data_first_s']:.2f} s "
              f"cold (target ≤ {TARGETS['data_s']:.1f} s; CPU {week['data_cpu_s']:.2f} s) · peak RSS "
              f"{week['rss_mb']:.0f} MB (target ≤ {TARGETS['rss_mb']:.0f} MB) · week: {week['period_items']:,} items, "
              f"{week['period_negative']:,} negative, {week['period_events']:,} events "
              f"({week['period_events_reprinted']:,} reprinted), {week['period_alerts']} alerts")
        print(f"    {_store_line(week)}")
    return 0


def render_part(repeat: int) -> None:
    r = render_bench(repeat)
    print(f"daily  briefing: {r['daily_s']:.2f} s (target ≤ {TARGETS['daily_s']:.1f} s; "
          f"CPU {r['daily_cpu_s']:.2f} s) · "
          f"{r['daily_pages']:.0f} pages · {r['daily_charts']:.0f} charts · PDF {r['daily_pdf_kb']:.0f} KB "
          f"(target ≤ {TARGETS['pdf_kb']:.0f} KB)")
    print(f"weekly briefing: {r['weekly_s']:.2f} s (target ≤ {TARGETS['weekly_s']:.1f} s; "
          f"CPU {r['weekly_cpu_s']:.2f} s) · "
          f"{r['weekly_pages']:.0f} pages · {r['weekly_charts']:.0f} charts · PDF {r['weekly_pdf_kb']:.0f} KB")


if __name__ == "__main__":
    sys.exit(main())
