"""Parse rate (feed bytes → items): the fast path against feedparser and against bare lxml.

Prints, from one run on one machine (each figure the median of ``--repeat`` rounds, the rounds
interleaved so a busy neighbour slows all of them alike):

* bare ``feedparser.parse`` over the workload's RSS (the old path's floor);
* bare lxml: ``etree.fromstring`` and the six fields of each ``<item>`` read with ``findtext``;
* ``parse_feed`` as it runs, through :mod:`reportgen.ingest.fastparse`, and its two halves: the
  fast reading alone (bytes → feedparser's entries) and the shared steps after it (entries →
  :class:`Item`: text, URLs, ids, dates; the same code whichever parser read the entries);
* ``parse_feed`` with the fast path switched off (feedparser, then the same shared steps);
* the share of documents that take the fast path: the workload, and every file of feedparser's
  test corpus, rss2email's feeds (``../shared/data``; skipped with the reason when absent) and
  ``tests/feeds``, with the reasons for falling back.

Target (issue 17): ``parse_feed`` within 3× of the bare lxml figure.

    python benchmarks/bench_parse.py [--feeds 80] [--items 50] [--repeat 5]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import feedparser
from lxml import etree

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.workload import generate_workload  # noqa: E402
from reportgen.ingest import fastparse  # noqa: E402
from reportgen.ingest.items import build_items, feed_entries  # noqa: E402
from reportgen.ingest.parse import parse_feed  # noqa: E402

HEADERS = {"content-type": "application/rss+xml; charset=utf-8"}
TARGET_RATIO = 3.0
NOW = datetime(2026, 11, 28, 2, 0, tzinfo=UTC)
ZONE = ZoneInfo("Asia/Shanghai")
DATA = Path(os.environ.get("REPORTGEN_SHARED_DATA") or ROOT.parent / "shared" / "data")


def bare_feedparser(feeds: list[tuple[str, bytes]]) -> int:
    return sum(len(feedparser.parse(io.BytesIO(body), response_headers=HEADERS).entries) for _, body in feeds)


def bare_lxml(feeds: list[tuple[str, bytes]]) -> int:
    n = 0
    for _, body in feeds:
        for item in etree.fromstring(body).iter("item"):
            fields = (item.findtext("title"), item.findtext("link"), item.findtext("guid"), item.findtext("pubDate"),
                      item.findtext("description"), item.findtext("author"))
            n += fields[0] is not None
    return n


def ours(feeds: list[tuple[str, bytes]]) -> int:
    return sum(len(parse_feed(sid, body, HEADERS, fetched_at=NOW).items) for sid, body in feeds)


def fast_reading(feeds: list[tuple[str, bytes]]) -> int:
    return sum(len(fastparse.read_feed(body, HEADERS).entries) for _, body in feeds)


def feedparser_path(feeds: list[tuple[str, bytes]]) -> int:
    real = fastparse.read_feed

    def off(body: bytes, headers: object, **_: object) -> fastparse.FastFeed:
        raise fastparse.Fallback("switched off")

    fastparse.read_feed = off  # type: ignore[assignment]
    try:
        return ours(feeds)
    finally:
        fastparse.read_feed = real


def rate(work: Callable[[list[tuple[str, bytes]]], int], feeds: list[tuple[str, bytes]], items: int) -> float:
    began = time.perf_counter()
    work(feeds)
    return items / (time.perf_counter() - began)


def _reason(why: str) -> str:
    """A fallback's reason without its particulars: "<itunes:author> has a handler …" → "<itunes:…>"."""
    if why.startswith("<"):
        return why.split(":")[0].split(">")[0] + (":…>" if ":" in why.split(">")[0] else ">")
    return why.split(":")[0][:40]


def shares() -> dict[str, Counter[str]]:
    """Per corpus: documents read by the fast path, by feedparser, and why."""
    real = fastparse.read_feed
    found: dict[str, Counter[str]] = {}
    corpora = {"feedparser-tests": DATA / "feedparser-tests", "rss2email": DATA / "rss2email-test-data" / "data",
               "tests/feeds": ROOT / "tests" / "feeds"}
    headers: dict[str, dict[str, str]] = {}
    manifest = DATA / "feedparser-tests" / "manifest.jsonl"
    if manifest.is_file():
        for line in manifest.read_text("utf-8").splitlines():
            row = json.loads(line)
            headers[row["path"]] = dict(row.get("http_headers") or [])
    for name, folder in corpora.items():
        if not folder.is_dir():
            continue
        seen: Counter[str] = Counter()

        def counted(body: bytes, hdrs: dict[str, str], *, seen: Counter[str] = seen, **kwargs: bool) \
                -> fastparse.FastFeed:
            try:
                result = real(body, hdrs, **kwargs)
            except fastparse.Fallback as why:
                seen["fallback"] += 1
                seen[_reason(str(why))] += 1
                raise
            seen["fast"] += 1
            return result

        fastparse.read_feed = counted  # type: ignore[assignment]
        try:
            for path in sorted(p for p in folder.rglob("*") if p.is_file()):
                if path.name in ("README.md", "README", "LICENSE", "COPYING", "manifest.jsonl") \
                        or path.suffix in (".toml", ".config", ".expected"):
                    continue
                relative = path.relative_to(folder).as_posix()
                before = seen["fast"] + seen["fallback"]
                parse_feed(relative, path.read_bytes(), headers.get(relative) if name == "feedparser-tests" else None,
                           fetched_at=NOW)
                if seen["fast"] + seen["fallback"] == before:
                    seen["not XML (JSON Feed, HTML, empty)"] += 1
        finally:
            fastparse.read_feed = real
        found[name] = seen
    return found


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--feeds", type=int, default=80)
    ap.add_argument("--items", type=int, default=50)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    feeds = generate_workload(args.feeds, args.items, seed=3)
    items = bare_lxml(feeds)
    read = [fastparse.read_feed(body, HEADERS) for _, body in feeds]
    print(f"workload: {len(feeds)} RSS feeds × {args.items} items ({sum(len(b) for _, b in feeds) / 1e6:.1f} MB), "
          f"{len(read)}/{len(feeds)} read by the fast path")

    def shared_steps(_: list[tuple[str, bytes]]) -> int:
        return sum(len(build_items(sid, feed_entries(f.entries, None), ZONE, NOW, None, []))
                   for (sid, _), f in zip(feeds, read, strict=True))

    runs: dict[str, list[float]] = {}
    works = {"feedparser": bare_feedparser, "lxml": bare_lxml, "parse_feed": ours, "fast reading": fast_reading,
             "shared steps": shared_steps, "parse_feed, feedparser": feedparser_path}
    for work in works.values():
        work(feeds[:5])  # warm: imports, caches
    for _ in range(args.repeat):
        for name, work in works.items():
            runs.setdefault(name, []).append(rate(work, feeds, items))
    med = {name: statistics.median(values) for name, values in runs.items()}
    lx, fp = med["lxml"], med["feedparser"]
    print(f"parse rate, items/s (median of {args.repeat} interleaved rounds):")
    print(f"    bare feedparser.parse            {fp:9,.0f}   ({fp / lx:.2f} of lxml)")
    print(f"    bare lxml, six fields            {lx:9,.0f}")
    ours_rate = med["parse_feed"]
    print(f"    parse_feed, fast path            {ours_rate:9,.0f}   {ours_rate / fp:5.2f}× feedparser · "
          f"lxml / parse_feed = {lx / ours_rate:.2f} (target ≤ {TARGET_RATIO:.0f})")
    print(f"      of which the fast reading      {med['fast reading']:9,.0f}   "
          f"lxml / it = {lx / med['fast reading']:.2f}")
    print(f"      and the shared steps (Items)   {med['shared steps']:9,.0f}   "
          f"lxml / them = {lx / med['shared steps']:.2f}")
    print(f"    parse_feed, feedparser only      {med['parse_feed, feedparser']:9,.0f}   "
          f"{med['parse_feed, feedparser'] / fp:5.2f}× feedparser")
    corpora = shares()
    for name, seen in corpora.items():
        total = seen["fast"] + seen["fallback"]
        why = [(w, n) for w, n in seen.most_common() if w not in ("fast", "fallback") and not w.startswith("not XML")]
        reasons = ", ".join(f"{w} {n}" for w, n in why[:8])
        print(f"fast path, {name}: {seen['fast']}/{total} XML documents ({seen['fast'] / max(total, 1):.0%}), "
              f"feedparser {seen['fallback']} ({seen['fallback'] / max(total, 1):.0%})"
              + (f"; {seen['not XML (JSON Feed, HTML, empty)']} not XML" if seen["not XML (JSON Feed, HTML, empty)"]
                 else "") + (f" — fell back for: {reasons}" if reasons else ""))
    for name in ("feedparser-tests", "rss2email"):
        if name not in corpora:
            print(f"fast path, {name}: skipped, {DATA} has no {name} (set REPORTGEN_SHARED_DATA)")
    print(json.dumps({"bench": "parse", **{k.replace(" ", "_").replace(",", ""): round(v) for k, v in med.items()},
                      "lxml_ratio": round(lx / med["parse_feed"], 2),
                      "fast_share": {k: round(v["fast"] / max(v["fast"] + v["fallback"], 1), 3)
                                     for k, v in corpora.items()}}))
    return 0



if __name__ == "__main__":
    sys.exit(main())
