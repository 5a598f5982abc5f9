"""reportgen against rss2email on rss2email's own job: fetch, parse and store feeds, no mail.

Workload: ``--feeds`` RSS feeds (100) of ``--items`` entries (20) of Chinese bank news
(:mod:`benchmarks.workload`), served by :class:`reportgen.demo.feedserver.FeedServer` from a child
process on 127.0.0.1, each response ``--latency`` late (100 ms), with ETag and Last-Modified so
that unchanged feeds answer 304.  Both tools start from an empty state and run twice, the second
time over the unchanged feeds:

* reportgen: ``reportgen fetch`` (the cron command, a fresh process each time: start-up, fetch,
  parse, match, store, score, cluster), ``[fetch] concurrency = per_host = --concurrency``;
* rss2email: ``r2e run --no-send`` (fetch, parse and record what it has seen, no mail sent).

Each run is one process (or more, for a pool) started through a small wrapper that reports its
wall time, CPU time (user + system of everything it started) and peak RSS (the largest process).
Side by side, from one run, with the ratios.  Targets (issue 17): reportgen ≥ 10× faster on both
runs; peak RSS of ``reportgen fetch`` ≤ 100 MiB, ≤ 60 MiB when every feed answers 304.

Skipped (exit 0, with the reason) when rss2email is not installed: ``pip install 'reportgen[bench]'``.

    python benchmarks/bench_rss2email.py [--feeds 100] [--items 20] [--latency 0.1] [--concurrency 100]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.workload import generate_workload, workload_config_toml  # noqa: E402
from reportgen.demo.feedserver import RSS_CONTENT_TYPE, FeedServer, Route  # noqa: E402

TARGET_SPEEDUP, TARGET_RSS_MIB, TARGET_RSS_304_MIB = 10.0, 100.0, 60.0

# Runs the command given after it, then prints what it cost: wall seconds, CPU seconds of the
# command and everything it waited for, and the peak RSS of the largest of those processes.
MEASURE = """
import json, resource, subprocess, sys, time
began = time.perf_counter()
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
wall = time.perf_counter() - began
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"wall_s": wall, "cpu_s": usage.ru_utime + usage.ru_stime, "rss_mib": usage.ru_maxrss / 1024,
                  "rc": done.returncode, "stdout": (done.stdout.strip().splitlines() or [""])[-1],
                  "stderr": done.stderr[-2000:]}))
"""


def _serve(conn: Connection, feeds: list[tuple[str, bytes]], latency_s: float) -> None:
    routes = {f"/{sid}": Route(body, RSS_CONTENT_TYPE) for sid, body in feeds}
    with FeedServer(routes, latency_s=latency_s) as srv:
        conn.send(srv.base_url)
        conn.recv()  # until the benchmark is done


def measure(command: Sequence[str], cwd: Path) -> dict[str, Any]:
    done = subprocess.run([sys.executable, "-c", MEASURE, *command], capture_output=True, text=True, cwd=cwd,
                          check=True)
    found: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return found


def run_reportgen(folder: Path, base_url: str, feeds: list[tuple[str, bytes]],
                  concurrency: int) -> list[dict[str, Any]]:
    config = folder / "sources.toml"
    database = folder / "reportgen.db"
    config.write_text(
        workload_config_toml([sid for sid, _ in feeds], base_url=base_url, database=f"sqlite:///{database}",
                             output_dir=str(folder / "reports"))
        + f"\n[fetch]\nconcurrency = {concurrency}\nper_host = {concurrency}\n", encoding="utf-8")
    command = [sys.executable, "-m", "reportgen.cli", "--config", str(config), "fetch", "--json"]
    runs = []
    for _ in range(2):
        result = measure(command, folder)
        if result["rc"] not in (0, 7):
            raise RuntimeError(f"reportgen fetch failed ({result['rc']}): {result['stderr']}")
        summary = json.loads(result["stdout"])
        result["detail"] = (f"{summary['sources_ok']} ok, {summary['sources_not_modified']} not modified, "
                            f"{summary['sources_failed']} failed, {summary['items_new']} new items")
        runs.append(result)
    with sqlite3.connect(database) as conn:
        runs[-1]["stored"] = conn.execute("SELECT count(*) FROM items").fetchone()[0]
    return runs


def run_rss2email(folder: Path, base_url: str, feeds: list[tuple[str, bytes]]) -> list[dict[str, Any]]:
    r2e = shutil.which("r2e", path=str(Path(sys.executable).parent)) or shutil.which("r2e")
    assert r2e is not None
    config, data = folder / "rss2email.cfg", folder / "rss2email.json"
    base = [r2e, "--config", str(config), "--data", str(data)]
    subprocess.run([*base, "new", "bench@example.com"], check=True, capture_output=True, cwd=folder)
    # what `r2e add NAME URL` writes, for every feed at once (one r2e process per feed takes a minute)
    with config.open("a", encoding="utf-8") as out:
        for sid, _ in feeds:
            out.write(f"\n[feed.{sid}]\nurl = {base_url}/{sid}\n")
    runs = []
    for _ in range(2):
        result = measure([*base, "run", "--no-send"], folder)
        if result["rc"] != 0:
            raise RuntimeError(f"r2e run failed ({result['rc']}): {result['stderr']}")
        runs.append(result)
    seen = json.loads(data.read_text(encoding="utf-8"))
    runs[-1]["stored"] = sum(len(feed.get("seen", {})) for feed in seen.get("feeds", []))
    return runs


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=100)
    parser.add_argument("--items", type=int, default=20)
    parser.add_argument("--latency", type=float, default=0.1, help="server latency per response, seconds")
    parser.add_argument("--concurrency", type=int, default=100, help="reportgen's [fetch] concurrency and per_host")
    args = parser.parse_args(argv)
    if shutil.which("r2e", path=str(Path(sys.executable).parent)) is None and shutil.which("r2e") is None:
        print("rss2email benchmark skipped: rss2email is not installed (pip install 'reportgen[bench]')")
        return 0
    feeds = generate_workload(args.feeds, args.items, seed=17)
    print(f"workload: {args.feeds} feeds × {args.items} items ({sum(len(b) for _, b in feeds) / 1e6:.1f} MB of RSS), "
          f"server latency {args.latency * 1000:.0f} ms per response, in a child process; "
          f"reportgen [fetch] concurrency {args.concurrency}", flush=True)
    conn, child = multiprocessing.Pipe()
    server = multiprocessing.Process(target=_serve, args=(child, feeds, args.latency), daemon=True)
    server.start()
    base_url = conn.recv()
    try:
        with tempfile.TemporaryDirectory(prefix="reportgen-r2e-") as tmp:
            (Path(tmp) / "rg").mkdir()
            (Path(tmp) / "r2e").mkdir()
            ours = run_reportgen(Path(tmp) / "rg", base_url, feeds, args.concurrency)
            theirs = run_rss2email(Path(tmp) / "r2e", base_url, feeds)
    finally:
        conn.send("stop")
        server.join(timeout=10)
    out: dict[str, Any] = {"bench": "rss2email", "feeds": args.feeds, "items": args.items, "latency_s": args.latency}
    for index, (mine, other) in enumerate(zip(ours, theirs, strict=True), start=1):
        label = "first run" if index == 1 else "second run (unchanged feeds)"
        speedup, cpu_ratio = other["wall_s"] / mine["wall_s"], other["cpu_s"] / mine["cpu_s"]
        rss_target = TARGET_RSS_MIB if index == 1 else TARGET_RSS_304_MIB
        print(f"{label}:")
        print(f"    reportgen fetch      {mine['wall_s']:6.2f} s wall  {mine['cpu_s']:6.2f} s CPU  "
              f"{mine['rss_mib']:6.0f} MiB peak RSS  ({mine['detail']})")
        print(f"    r2e run --no-send    {other['wall_s']:6.2f} s wall  {other['cpu_s']:6.2f} s CPU  "
              f"{other['rss_mib']:6.0f} MiB peak RSS")
        print(f"    rss2email / reportgen: wall {speedup:.1f}× (target ≥ {TARGET_SPEEDUP:.0f}×), CPU {cpu_ratio:.2f}×, "
              f"RSS {other['rss_mib'] / mine['rss_mib']:.2f}× · reportgen RSS {mine['rss_mib']:.0f} MiB "
              f"(target ≤ {rss_target:.0f} MiB)")
        out[f"run{index}"] = {"reportgen": {k: round(mine[k], 3) for k in ("wall_s", "cpu_s", "rss_mib")},
                              "rss2email": {k: round(other[k], 3) for k in ("wall_s", "cpu_s", "rss_mib")},
                              "wall_ratio": round(speedup, 2), "cpu_ratio": round(cpu_ratio, 2),
                              "speedup_met": speedup >= TARGET_SPEEDUP, "rss_met": mine["rss_mib"] <= rss_target}
    print(f"    stored: reportgen {ours[-1]['stored']} items, rss2email {theirs[-1]['stored']} entries seen")
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
