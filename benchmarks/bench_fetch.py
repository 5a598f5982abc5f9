"""Fetch-stage benchmark: many feeds from a local FeedServer that answers with a fixed latency.

(b) wall time of one cold run over N feeds at concurrency C, against the ideal ceil(N/C) × latency;
(c) a second run over the unchanged feeds with the first run's validators: share of 304s and the
    bytes transferred relative to the first run.

    python benchmarks/bench_fetch.py [--feeds 500] [--concurrency 50] [--latency 0.1] [--in-process]

The server runs in a child process, as real feed hosts are not in our process; ``--in-process``
runs it in a thread instead, where its Python code competes with the client for the GIL.
The last line is a JSON summary.  Exit status 1 if a fetch failed, or with ``--strict`` if a target
is missed (the wall-time ratio is CPU-bound on a small machine and varies by ±0.1 between runs).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import logging
import math
import multiprocessing
import random
import sys
import time
from collections.abc import Sequence
from multiprocessing.connection import Connection
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from a checkout, uninstalled

from reportgen.demo.feedserver import FeedServer, Route  # noqa: E402
from reportgen.ingest.fetch import FetchOptions, fetch_all  # noqa: E402
from reportgen.models import FetchRequest, FetchResult, FetchStatus  # noqa: E402

BANKS = ["工商银行", "建设银行", "农业银行", "中国银行", "交通银行", "招商银行", "浦发银行", "兴业银行",
         "中信银行", "民生银行", "光大银行", "平安银行", "华夏银行", "广发银行", "邮储银行", "北京银行"]
TOPICS = ["发布2024年度业绩报告", "下调存款利率", "推出普惠金融新举措", "被监管部门罚款", "客户投诉处理进展",
          "数字人民币试点扩容", "信用卡业务调整", "绿色信贷余额增长", "董事会换届", "理财子公司获批开业",
          "不良贷款率下降", "网点服务升级", "反诈宣传进社区", "跨境金融服务创新", "个人养老金业务上线"]
FILLER = ("据悉，该行相关负责人表示，将继续坚持稳中求进工作总基调，加强风险管理，提升服务实体经济质效。"
          "业内人士分析认为，此举有助于优化资产负债结构，增强市场竞争力。")


def make_feed(index: int, rng: random.Random, items: int = 20) -> bytes:
    """One RSS document of ``items`` bank-news entries (a few KB, mostly CJK text)."""
    entries = []
    for n in range(items):
        bank, topic = rng.choice(BANKS), rng.choice(TOPICS)
        day = 1 + (index + n) % 28
        entries.append(
            f"<item><title>{bank}{topic}</title>"
            f"<link>https://news.example.cn/{index}/{n}.html</link><guid>src{index}-{n}</guid>"
            f"<pubDate>Mon, {day:02d} Jan 2024 {n % 24:02d}:00:00 +0800</pubDate>"
            f"<description>{bank}{topic}。{FILLER[: rng.randint(40, len(FILLER))]}</description></item>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
        f"<title>银行新闻源 {index}</title><link>https://news.example.cn/{index}/</link>"
        f"<description>benchmark feed {index}</description>{''.join(entries)}</channel></rss>\n"
    ).encode()


def feed_routes(n_feeds: int, seed: int) -> dict[str, Route]:
    rng = random.Random(seed)
    return {f"/feed/{i}": Route(make_feed(i, rng)) for i in range(n_feeds)}


def _served(srv: FeedServer) -> tuple[int, int]:
    """Requests answered and bytes sent (status line, headers, body) since the last call."""
    records = srv.requests
    srv.clear_requests()
    return len(records), sum(r.bytes_sent for r in records)


def _serve_in_child(conn: Connection, n_feeds: int, seed: int, latency_s: float) -> None:
    with FeedServer(feed_routes(n_feeds, seed), latency_s=latency_s) as srv:
        conn.send(srv.base_url)
        while conn.recv() == "served":
            conn.send(_served(srv))


class ChildServer:
    """A FeedServer in a child process, asked for its statistics over a pipe."""

    def __init__(self, n_feeds: int, seed: int, latency_s: float) -> None:
        self.conn, child_end = multiprocessing.Pipe()
        self.process = multiprocessing.Process(
            target=_serve_in_child, args=(child_end, n_feeds, seed, latency_s), daemon=True)
        self.process.start()
        self.base_url: str = self.conn.recv()

    def served(self) -> tuple[int, int]:
        self.conn.send("served")
        requests, sent = self.conn.recv()
        return requests, sent

    def close(self) -> None:
        self.conn.send("stop")
        self.process.join(timeout=10)


class ThreadServer:
    def __init__(self, n_feeds: int, seed: int, latency_s: float) -> None:
        self.srv = FeedServer(feed_routes(n_feeds, seed), latency_s=latency_s).start()
        self.base_url = self.srv.base_url

    def served(self) -> tuple[int, int]:
        return _served(self.srv)

    def close(self) -> None:
        self.srv.stop()


def timed_run(reqs: Sequence[FetchRequest], options: FetchOptions) -> tuple[list[FetchResult], float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    results = fetch_all(reqs, options)
    return results, time.perf_counter() - wall, time.process_time() - cpu


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=500)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--latency", type=float, default=0.1, help="server latency per response, seconds")
    parser.add_argument("--seed", type=int, default=20240101)
    parser.add_argument("--in-process", action="store_true", help="serve from a thread of this process")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)

    feed_sizes = [len(route.body) for route in feed_routes(args.feeds, args.seed).values()]
    options = FetchOptions(concurrency=args.concurrency, per_host=args.concurrency)
    ideal_s = math.ceil(args.feeds / args.concurrency) * args.latency
    average_kib = sum(feed_sizes) / len(feed_sizes) / 1024
    print(f"workload: {args.feeds} feeds, {average_kib:.1f} KiB each on average, "
          f"server latency {args.latency * 1000:.0f} ms, concurrency {args.concurrency} (per_host too), "
          f"server {'in this process' if args.in_process else 'in a child process'}")

    server = (ThreadServer if args.in_process else ChildServer)(args.feeds, args.seed, args.latency)
    try:
        reqs = [FetchRequest(f"feed-{i}", f"{server.base_url}/feed/{i}?key=bench-secret",
                             f"{server.base_url}/feed/{i}") for i in range(args.feeds)]
        first, wall_1, cpu_1 = timed_run(reqs, options)
        _, wire_1 = server.served()
        again = [dataclasses.replace(req, validators=res.validators)
                 for req, res in zip(reqs, first, strict=True)]
        second, wall_2, cpu_2 = timed_run(again, options)
        _, wire_2 = server.served()
    finally:
        server.close()

    ok_1 = sum(r.status is FetchStatus.OK for r in first)
    not_modified_2 = sum(r.status is FetchStatus.NOT_MODIFIED for r in second)
    failed = [r for r in (*first, *second) if r.status is FetchStatus.FAILED]
    ratio = wall_1 / ideal_s
    share_304 = not_modified_2 / args.feeds
    body_1, body_2 = sum(r.bytes_received for r in first), sum(r.bytes_received for r in second)
    bytes_ratio = wire_2 / wire_1 if wire_1 else 0.0

    print(f"(b) run 1: {ok_1}/{args.feeds} ok in {wall_1:.3f} s wall ({cpu_1:.2f} s CPU in this process); "
          f"ideal ceil({args.feeds}/{args.concurrency}) x {args.latency} s = {ideal_s:.3f} s; "
          f"ratio {ratio:.2f} (target <= 1.5)")
    print(f"(c) run 2: {not_modified_2}/{args.feeds} not modified ({share_304:.1%}, target >= 95%) "
          f"in {wall_2:.3f} s wall ({cpu_2:.2f} s CPU)")
    print(f"    bytes sent by the server incl. headers: {wire_1:,} -> {wire_2:,} "
          f"({bytes_ratio:.1%} of run 1, target <= 5%)")
    print(f"    body bytes received by the client: {body_1:,} -> {body_2:,}")
    if failed:
        print(f"    failures: {len(failed)}, e.g. {failed[0].source_id}: {failed[0].error}")

    passed = ratio <= 1.5 and share_304 >= 0.95 and bytes_ratio <= 0.05 and not failed
    print(json.dumps({
        "feeds": args.feeds, "concurrency": args.concurrency, "latency_s": args.latency,
        "server": "thread" if args.in_process else "process",
        "run1_wall_s": round(wall_1, 3), "ideal_s": round(ideal_s, 3), "ratio": round(ratio, 3),
        "run2_wall_s": round(wall_2, 3), "share_304": round(share_304, 4),
        "bytes_run1": wire_1, "bytes_run2": wire_2, "bytes_ratio": round(bytes_ratio, 4),
        "failures": len(failed), "passed": passed,
    }))
    return 1 if failed or (args.strict and not passed) else 0


if __name__ == "__main__":
    raise SystemExit(main())
