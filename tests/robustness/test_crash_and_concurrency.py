"""Crashes and concurrency with real processes: ``reportgen run`` killed with SIGKILL at many moments,
runs and fetches started together on a fresh database, and a database locked by another process.

The kill loop first times one uninterrupted run, then kills runs at offsets spread over that run's
working time (stratified: one random offset in each slice, so every kill lands at a different moment:
inside migrations, the fetch, a source's transaction, scoring, the charts, the HTML, the PDF, the
outbox).  Queued runs wait on the run lock meanwhile, so each kill is followed at once by a run that
finds what the killed one left.  After every kill the database must be sound; after the last, one run
to completion must give the same database content and the same report as an uninterrupted run.
"""

from __future__ import annotations

import json
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from reportgen.config.core import load_config
from reportgen.flow.lock import read_holder
from reportgen.flow.runner import lock_path

from .conftest import DemoSite, cli_env, db_problems, db_rows, reportgen, start_reportgen

KILLS = 22  # at least 20 must land while the run holds the lock and is at work
RETRIES = 6  # a kill that came after its run finished is tried again at half the offset
ORDER = " ORDER BY 1, 2"


def run_args(site: DemoSite) -> list[str]:
    return ["run", "daily", "--no-send", "--date", site.day.isoformat()]


def wait_for(condition, what: str, timeout_s: float = 60.0, poll_s: float = 0.01) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(poll_s)
    raise AssertionError(f"timed out waiting for {what}")


def holder_pid(lock: Path) -> int | None:
    try:
        holder = read_holder(lock)
    except OSError:
        return None
    return int(holder["pid"]) if holder and "pid" in holder else None


def content(db: Path) -> dict[str, list[tuple[object, ...]]]:
    """What a run stores that must not depend on when or how often it ran."""
    return {
        "items": db_rows(db, "SELECT item_id, source_id, title, summary, url, guid, "
                             "CASE WHEN date_missing THEN NULL ELSE published_at END, date_missing, date_capped, "
                             "content_hash FROM items" + ORDER),
        "mentions": db_rows(db, "SELECT item_id, bank_id, in_title, evidence FROM mentions" + ORDER),
        "scores": db_rows(db, "SELECT item_id, bank_id, scorer, version, label, ROUND(score, 9), categories, reasons "
                              "FROM scores" + ORDER),
        "deliveries": db_rows(db, "SELECT kind, period_key, language, state FROM deliveries "
                                  "WHERE state != 'superseded'" + ORDER),
    }


_VOLATILE = [
    (re.compile(r'<section class="source-health">.*?</section>', re.S), "<source-health/>"),  # per-run records
    (re.compile(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:[+-]\d{2}:?\d{2}|Z)?"), "<time>"),
    # an alert's number is the database's: runs killed after raising an alert took numbers first
    (re.compile(r'(<tr class="state-\w+"><td>)\d+(</td>)'), r"\1<id>\2"),
]


def comparable(html: str) -> str:
    """The report without what differs between two runs by design: this run's source-health
    records (times, durations, new counts) and the generation time."""
    for pattern, replacement in _VOLATILE:
        html = pattern.sub(replacement, html)
    return html


def complete_pdf(path: Path) -> bool:
    data = path.read_bytes()
    return data.startswith(b"%PDF-") and b"%%EOF" in data[-1024:]


@dataclass(frozen=True)
class Baseline:
    config: Path
    html: str
    working_s: float  # from taking the lock to exiting

    @property
    def db(self) -> Path:
        return self.config.parent / "r.db"


@pytest.fixture(scope="module")
def baseline(demo_site: DemoSite, tmp_path_factory) -> Baseline:
    """An uninterrupted run on a fresh database, timed from taking the lock to its exit."""
    config = demo_site.config(tmp_path_factory.mktemp("baseline"))
    lock = lock_path(load_config(config))
    process = start_reportgen(config, *run_args(demo_site), "--json")
    wait_for(lambda: holder_pid(lock) == process.pid, "the baseline run to take the lock")
    locked_at = time.monotonic()
    out, err = process.communicate(timeout=120)
    working_s = time.monotonic() - locked_at
    assert process.returncode == 0, err
    return Baseline(config, Path(json.loads(out)["report"]["html"]).read_text(encoding="utf-8"), working_s)


def next_holder(queue: list[subprocess.Popen[str]], lock: Path, start: Callable[[], subprocess.Popen[str]],
                timeout_s: float = 60.0) -> subprocess.Popen[str]:
    """The queued run that holds the lock now.  A queued run that finds the work done (the last victim
    finished before its kill) exits without being killed: it is replaced by a fresh one, so the loop
    always has a run to kill rather than waiting for one that will never come."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        pid = holder_pid(lock)
        for p in queue:
            if p.pid == pid and p.poll() is None:
                return p
        for i, p in enumerate(queue):
            if p.poll() is not None:
                queue[i] = start()
        time.sleep(0.01)
    raise AssertionError("timed out waiting for a queued run to take the lock")


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_sigkill_at_many_moments_then_a_rerun_equals_an_uninterrupted_run(demo_site: DemoSite, baseline: Baseline,
                                                                          tmp_path: Path, record_property,
                                                                          capsys) -> None:
    working_s = baseline.working_s
    # 1. the kill loop: every run is killed at its own offset; two queued runs wait on the lock
    config = demo_site.config(tmp_path / "killed")
    db, out_dir = config.parent / "r.db", config.parent / "out"
    lock = lock_path(load_config(config))
    rng = random.Random(20261128)
    offsets = [0.8 * working_s * (i + rng.random()) / KILLS for i in range(KILLS)]
    rng.shuffle(offsets)  # not in order: later runs find more already stored, as after a real crash
    killed_at: list[float] = []
    finished_first: list[float] = []
    problems: list[str] = []
    queue: list[subprocess.Popen[str]] = []
    try:
        queue += [start_reportgen(config, *run_args(demo_site), stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL) for _ in range(2)]
        for offset in offsets:
            # a run that finds most of the work stored (or the report made) is quicker than the timed
            # one: when a victim finishes before its kill, the kill is tried again, earlier, on the
            # next queued run, so every offset still ends in a kill that lands while a run is at work
            for attempt in range(RETRIES):
                victim = next_holder(queue, lock, lambda: start_reportgen(config, *run_args(demo_site),
                                                                          stdout=subprocess.DEVNULL,
                                                                          stderr=subprocess.DEVNULL))
                queue.remove(victim)
                queue.append(start_reportgen(config, *run_args(demo_site), stdout=subprocess.DEVNULL,
                                             stderr=subprocess.DEVNULL))
                at = offset * 0.5 ** attempt
                time.sleep(at)
                victim.send_signal(signal.SIGKILL)
                victim.wait(timeout=30)
                landed = victim.returncode == -signal.SIGKILL
                (killed_at if landed else finished_first).append(at)
                if db.exists():  # a kill right after taking the lock may come before the file
                    problems += [f"after a kill at {at:.2f} s: {p}" for p in db_problems(db)]
                for pdf in out_dir.glob("*.pdf"):  # whatever carries the final name is whole
                    if not complete_pdf(pdf):
                        problems.append(f"after a kill at {at:.2f} s: {pdf.name} is not a complete PDF")
                if landed:
                    break
    finally:
        # 2. the queued runs are stopped too (one may just have taken the lock: one more kill)
        for spare in queue:
            spare.kill()
            spare.wait()
    assert problems == []
    assert len(killed_at) >= 20, f"only {len(killed_at)} kills landed; {len(finished_first)} runs finished first"

    # 3. one run to completion finds whatever they all left
    rerun = reportgen(config, *run_args(demo_site), "--json")
    assert rerun.returncode == 0, rerun.stderr
    assert "Traceback" not in rerun.stderr

    assert db_problems(db) == []
    assert content(db) == content(baseline.db)
    html = Path(json.loads(rerun.stdout)["report"]["html"]).read_text(encoding="utf-8")
    assert comparable(html) == comparable(baseline.html)
    assert complete_pdf(Path(json.loads(rerun.stdout)["report"]["pdf"]))
    leftovers = sorted(p.name for p in out_dir.iterdir() if p.name.endswith(".tmp"))

    record_property("sigkill_points_survived", len(killed_at))
    with capsys.disabled():
        print(f"\nSIGKILL: {len(killed_at)} kills survived at offsets {min(killed_at):.2f}-{max(killed_at):.2f} s "
              f"of a {working_s:.2f} s run; {len(finished_first)} runs finished before their kill; "
              f"{len(leftovers)} temporary files left by killed renders")


@pytest.mark.timeout(300)
def test_runs_and_fetches_started_together_on_a_fresh_database(demo_site: DemoSite, baseline: Baseline,
                                                                tmp_path: Path) -> None:
    """A run and two plain fetches (the fetch timer) at the same moment on a new database: they take
    turns on the run lock (migrations, ingest and event clustering never interleave), every one
    succeeds, nothing is stored twice, and the report is the one a lone run makes.  (Two runs at
    once: tests/test_lock.py.)"""
    config = demo_site.config(tmp_path / "together")
    processes = [start_reportgen(config, *args) for args in
                 (["fetch"], run_args(demo_site) + ["--json"], ["fetch", "--workers", "2"])]
    outcomes = [(p.args[5:], *p.communicate(timeout=180), p.returncode) for p in processes]
    for args, _, err, code in outcomes:
        assert code == 0, f"{args} exited {code}: {err[-1500:]}"
    db = config.parent / "r.db"
    assert db_problems(db) == []
    assert content(db) == content(baseline.db)
    [report] = [json.loads(out) for args, out, _, _ in outcomes if args[0] == "run"]
    html = Path(report["report"]["html"]).read_text(encoding="utf-8")
    assert comparable(html) == comparable(baseline.html)


OPEN_TOGETHER = textwrap.dedent("""
    import os, sys, time
    from reportgen.store.db import Store
    open(sys.argv[2] + "." + str(os.getpid()), "w").close()  # imported: ready
    while not os.path.exists(sys.argv[2]):
        time.sleep(0.001)
    Store.open(sys.argv[1])
""")


def test_many_processes_opening_a_new_database_at_once(tmp_path: Path) -> None:
    """``report``, ``export`` and ``score`` do not take the run lock: four processes creating and
    migrating one new database at the same instant must all succeed, with each step applied once."""
    db, go = tmp_path / "new.db", tmp_path / "go"
    children = [subprocess.Popen([sys.executable, "-c", OPEN_TOGETHER, f"sqlite:///{db}", str(go)],
                                 stderr=subprocess.PIPE, text=True, env=cli_env()) for _ in range(4)]
    wait_for(lambda: len(list(tmp_path.glob("go.*"))) == len(children), "every process to import reportgen")
    go.touch()
    errors = [err for child in children if (err := child.communicate(timeout=60)[1]) and child.returncode]
    assert errors == []
    versions = [v for (v,) in db_rows(db, "SELECT version FROM schema_migrations ORDER BY version")]
    assert versions == list(range(1, len(versions) + 1)) and len(versions) >= 4


HOLD_LOCK = textwrap.dedent("""
    import sqlite3, sys, time
    con = sqlite3.connect(sys.argv[1], isolation_level=None)
    con.execute("BEGIN EXCLUSIVE")
    con.execute("UPDATE sources SET weight = weight")
    print("locked", flush=True)
    time.sleep(float(sys.argv[2]))
    con.execute("COMMIT")
""")


def hold_write_lock(db: Path, seconds: float) -> subprocess.Popen[str]:
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(db), str(seconds)], stdout=subprocess.PIPE,
                              text=True)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
    return holder


def test_a_database_locked_by_another_process(demo_site: DemoSite, baseline: Baseline, tmp_path: Path) -> None:
    """A short lock is waited out (SQLite's busy timeout, 10 s); a long one ends in exit 3 with a
    message that says what happened, not a traceback.  Both cases run side by side."""
    short, long_ = demo_site.config(tmp_path / "short"), demo_site.config(tmp_path / "long")
    for config in (short, long_):
        shutil.copyfile(baseline.db, config.parent / "r.db")  # closed cleanly: no WAL to carry along
    hold_s = 5.0  # longer than reportgen takes to start and fetch, shorter than the busy timeout
    locked_at = time.monotonic()
    holders = [hold_write_lock(short.parent / "r.db", hold_s), hold_write_lock(long_.parent / "r.db", 30)]
    try:
        waited, failed = (start_reportgen(c, "fetch", "--json") for c in (short, long_))
        out, err = waited.communicate(timeout=60)
        assert waited.returncode == 0, err
        assert json.loads(out)["sources_ok"] == len(demo_site.feeds)
        assert time.monotonic() - locked_at >= hold_s  # it waited for the lock, and did not give up

        out, err = failed.communicate(timeout=60)
        assert failed.returncode == 3, err
        assert "database is locked" in err and "Traceback" not in err
        assert "hint:" in err and "another process" in err
    finally:
        for holder in holders:
            holder.kill()
            holder.wait()
    con = sqlite3.connect(long_.parent / "r.db")
    try:
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        con.close()
