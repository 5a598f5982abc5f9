"""One feed flooding the store with look-alike headlines (audit issue 7): the daily report's time and
peak memory at N = 2,000 / 8,000 / 32,000 flood items, with this checkout and, with ``--before REV``,
with an earlier revision in the same run (their ratios printed).

Each store is built once per N through the real pipeline: a local feed server serves one source of
N items on one day (two shapes: the audit's ``工商银行 条目 {i}``, neutral, and a negative outage
flood ``工商银行系统故障 客户无法转账 {i}``, which reaches the incident grouping too) and one normal
source, and ``run_fetch`` stores, matches, scores and clusters them.  Then, for each revision, a fresh
process builds that day's report (``build_report``: report data, alerts, HTML and PDF) on a copy of
the store, under an address-space limit (``--limit-gb``, so that a quadratic revision is stopped,
not the machine); its wall time and its own peak RSS (``ru_maxrss``) are printed.  Before the fix
the 8,000-item flood took 52 s and 5.1 GB and 100,000 items were killed at 24 GB.

    python benchmarks/bench_flood.py [--sizes 2000,8000,32000] [--before 5e37d72] [--limit-gb 8]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from datetime import UTC, date, datetime
from email.utils import format_datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

DAY = date(2026, 12, 6)
NOW = datetime(2026, 12, 7, 1, 0, tzinfo=UTC)  # 09:00 the next morning in Shanghai: the cron run's report
SHAPES = {"counter": "工商银行 条目 {i}", "outage": "工商银行系统故障 客户无法转账 {i}"}
CONFIG = """[settings]
timezone = "Asia/Shanghai"
output_dir = "reports"
database = "sqlite:///{db}"

[fetch]
max_body_mb = 50.0
max_decompressed_mb = 50.0

[[banks]]
id = "icbc"
name = "中国工商银行"
aliases = ["工商银行", "工行"]
role = "self"

[[banks]]
id = "cmb"
name = "招商银行"
aliases = ["招行"]
role = "competitor"

[report]
min_sources_answered = 0.0

[[sources]]
id = "normal"
name = "正常来源"
url = "{base}/normal.xml"
channel = "online"

[[sources]]
id = "flood"
name = "刷屏来源"
url = "{base}/flood.xml"
channel = "online"
"""


def _bodies(n: int) -> list[str]:
    """A body of 60 characters drawn for each item (seeded): each item then starts an event of its
    own, as the audit's 100,000 did, and the report has that many events to group."""
    rng = random.Random(7)
    alphabet = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]
    return ["".join(rng.choices(alphabet, k=60)) for _ in range(n)]


def _rss(titles: list[str], start: datetime) -> bytes:
    items = "".join(
        f"<item><title>{escape(t)}</title><link>http://example.com/{k}</link><guid>g{k}</guid>"
        f"<description>{body}</description>"  # (the bodies: see _bodies)
        f"<pubDate>{format_datetime(start)}</pubDate></item>"  # one time, as the audit's feed
        for k, (t, body) in enumerate(zip(titles, _bodies(len(titles)), strict=True)))
    head = '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>'
    return f"{head}{items}</channel></rss>".encode()


def build(folder: Path, n: int, shape: str) -> Path:
    """A store with one day's flood of ``n`` items and a few normal ones, through the real fetch."""
    from reportgen.config.core import parse_config_text
    from reportgen.demo.feedserver import FeedServer, Route
    from reportgen.flow.pipeline import run_fetch

    db = folder / "flood.db"
    start = datetime(2026, 12, 6, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai
    normal = ["工商银行手机银行App故障 客户无法登录", "招商银行发布三季度业绩 净利润增长", "工商银行下调存款利率"]
    routes = {"/normal.xml": Route(_rss(normal, start), "application/rss+xml"),
              "/flood.xml": Route(_rss([SHAPES[shape].format(i=i) for i in range(n)], start), "application/rss+xml")}
    with FeedServer(routes) as server:
        text = CONFIG.format(db=db, base=server.base_url)
        (folder / "sources.toml").write_text(text, encoding="utf-8")
        config = parse_config_text(text, folder / "sources.toml")
        run_fetch(config, now=NOW)
    return folder / "sources.toml"


REPORT_CODE = """
import json, resource, sys, time
from datetime import date, datetime, UTC
from pathlib import Path
sys.path.insert(0, {tree!r})
# the venv's editable install would import this checkout whatever the path says: {tree!r}'s, not it
sys.meta_path = [f for f in sys.meta_path if "editable" not in repr(f).lower()]
import reportgen
assert Path(reportgen.__file__).is_relative_to({tree!r}), reportgen.__file__
from reportgen.config.core import load_config
from reportgen.flow.pipeline import build_report
from reportgen.periods import Period
config = load_config(Path({config!r}))
t0 = time.perf_counter()
result = build_report(config, Period.daily(date.fromisoformat({day!r})), now=datetime.fromisoformat({now!r}),
                      out_dir=Path({out!r}))
out = {{"s": time.perf_counter() - t0, "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "files": sorted(p.name for p in result.paths.values())}}
print(json.dumps(out))
"""


def measure(tree: Path, config: Path, limit_gb: float) -> dict[str, Any]:
    """The report of the flood day in a fresh process importing reportgen from ``tree``, on a copy of
    the store, under an address-space limit."""
    with tempfile.TemporaryDirectory(prefix="reportgen-flood-run-") as scratch:
        copy = Path(scratch)
        shutil.copyfile(config.parent / "flood.db", copy / "flood.db")
        text = config.read_text(encoding="utf-8").replace(str(config.parent / "flood.db"), str(copy / "flood.db"))
        (copy / "sources.toml").write_text(text, encoding="utf-8")
        code = REPORT_CODE.format(tree=str(tree), config=str(copy / "sources.toml"), day=DAY.isoformat(),
                                  now=NOW.isoformat(), out=str(copy / "reports"))
        limit = int(limit_gb * 2**30)

        def cap() -> None:
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

        t0 = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=copy,
                              preexec_fn=cap, env={**os.environ, "PYTHONPATH": str(tree)})
        wall = time.perf_counter() - t0
    if done.returncode:
        last = (done.stderr.strip().splitlines() or ["?"])[-1]
        return {"failed": f"exit {done.returncode} after {wall:.0f} s: {last[:120]}"}
    return json.loads(done.stdout.strip().splitlines()[-1])


def export(rev: str, into: Path) -> Path:
    """``rev``'s reportgen package (git archive), to import instead of this checkout's."""
    archive = subprocess.run(["git", "archive", rev, "reportgen", "templates"], cwd=ROOT, capture_output=True,
                             check=True).stdout
    into.mkdir(parents=True, exist_ok=True)
    archive_path = into / "tree.tar"
    archive_path.write_bytes(archive)
    with tarfile.open(archive_path) as tar:
        tar.extractall(into, filter="data")
    return into


def _line(result: dict[str, Any]) -> str:
    if "failed" in result:
        return f"failed ({result['failed']})"
    return f"{result['s']:6.1f} s {result['rss_mb']:7.0f} MB"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="2000,8000,32000", help="flood items, comma-separated")
    parser.add_argument("--shapes", default="counter,outage", help=f"of {', '.join(SHAPES)}")
    parser.add_argument("--before", help="a git revision to measure in the same run (e.g. the commit before the fix)")
    parser.add_argument("--limit-gb", type=float, default=8.0, help="address-space limit of each report process")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s]
    with tempfile.TemporaryDirectory(prefix="reportgen-flood-") as tmp:
        trees = {"now": ROOT}
        if args.before:
            trees["before"] = export(args.before, Path(tmp) / "before")
        print(f"daily report of a day with one flooding source (wall s, peak RSS of the report process; "
              f"limit {args.limit_gb:g} GB of address space)")
        for shape in args.shapes.split(","):
            for n in sizes:
                folder = Path(tmp) / f"{shape}-{n}"
                folder.mkdir()
                t0 = time.perf_counter()
                config = build(folder, n, shape)
                built = time.perf_counter() - t0
                results = {name: measure(tree, config, args.limit_gb) for name, tree in trees.items()}
                line = f"{shape:8} N={n:>6,} (store built in {built:4.0f} s): now {_line(results['now'])}"
                if "before" in results:
                    before, now = results["before"], results["now"]
                    line += f" · before {_line(before)}"
                    if "failed" not in before and "failed" not in now:
                        line += (f" · before/now {before['s'] / now['s']:.1f}× time, "
                                 f"{before['rss_mb'] / now['rss_mb']:.1f}× memory")
                print(line, flush=True)
                shutil.rmtree(folder)
    return 0


if __name__ == "__main__":
    sys.exit(main())
