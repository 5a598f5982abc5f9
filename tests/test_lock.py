"""The run lock with real processes: overlapping `reportgen run`s never interleave, the one that
cannot wait exits 9 naming the holder, the one that can wait runs after it (and, the report being
sent, sends nothing), and a lock left by a SIGKILLed run is taken over with a warning.

The first run is kept busy in its fetch by a feed that answers only when the test says so.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner
from mailserver import MailServer, sample_feed, write_config

from reportgen.cli.app import cli
from reportgen.config.core import load_config
from reportgen.demo.feedserver import FeedServer, Route
from reportgen.errors import LockBusy
from reportgen.flow.lock import read_holder, run_lock
from reportgen.flow.runner import lock_path

YESTERDAY = (datetime.now(UTC).astimezone(ZoneInfo("Asia/Shanghai")) - timedelta(days=1)).date()


def _start(config: Path, *args: str, stderr: Path | None = None) -> subprocess.Popen[str]:
    err = stderr.open("w", encoding="utf-8") if stderr else subprocess.PIPE
    process = subprocess.Popen([sys.executable, "-m", "reportgen.cli", "--config", str(config), *args],
                               stdout=subprocess.PIPE, stderr=err, text=True,
                               env={**os.environ, "PYTHONUNBUFFERED": "1"})
    if stderr:
        err.close()  # type: ignore[union-attr]  # the child has its own copy
    return process


def _wait_for(condition, what: str, timeout_s: float = 30.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def _holds(lock: Path, pid: int) -> bool:
    holder = read_holder(lock)
    return bool(holder and holder.get("pid") == pid)


class Gate(Route):
    """Serves the feed only once the test opens the gate: the run holding the lock waits in fetch."""

    def __init__(self, body: bytes) -> None:
        super().__init__(body)
        self.open = threading.Event()

    def respond(self, h) -> None:
        self.open.wait(30)
        super().respond(h)


def test_overlapping_runs_wait_or_give_up(tmp_path):
    gate = Gate(sample_feed(YESTERDAY))
    with FeedServer({"/good": gate}) as feeds, MailServer() as smtp:
        patient = write_config(tmp_path, feeds_base=feeds.base_url, smtp_port=smtp.port,
                               extra="[run]\nlock_timeout_s = 60")
        hasty = write_config(tmp_path, feeds_base=feeds.base_url, smtp_port=smtp.port, name="hasty.toml",
                             extra="[run]\nlock_timeout_s = 0.3")
        lock = lock_path(load_config(patient))
        assert lock == lock_path(load_config(hasty))  # same database, same lock

        first = _start(patient, "run", "daily")
        _wait_for(lambda: _holds(lock, first.pid), "the first run to take the lock")
        second = _start(hasty, "run", "daily")
        third_err = tmp_path / "third.err"
        third = _start(patient, "run", "daily", "--json", stderr=third_err)
        out, err = second.communicate(timeout=60)
        assert second.returncode == 9, err
        assert f"pid {first.pid}" in err and "run daily" in err and "lock_timeout_s" in err
        _wait_for(lambda: "waiting up to 60 s for the lock" in third_err.read_text(encoding="utf-8"),
                  "the third run to wait")
        assert first.poll() is None  # the holder is still at work, undisturbed

        gate.open.set()
        out1, err1 = first.communicate(timeout=60)
        assert first.returncode == 0, err1
        out3, _ = third.communicate(timeout=60)
        assert third.returncode == 0, third_err.read_text(encoding="utf-8")
        assert '"state": "existing"' in out3  # it ran after the first one, not beside it
        assert len(smtp.messages) == 1
        assert read_holder(lock) is None  # a clean finish leaves nothing behind


def test_stale_lock_from_a_killed_run_is_taken_over(tmp_path):
    with FeedServer({"/good": Route(sample_feed(YESTERDAY))}, latency_s=30.0) as feeds:
        config = write_config(tmp_path, feeds_base=feeds.base_url, smtp_port=None,
                              extra="[run]\nlock_timeout_s = 5")
        lock = lock_path(load_config(config))
        victim = _start(config, "run", "daily", "--no-send")
        _wait_for(lambda: _holds(lock, victim.pid), "the run to take the lock")
        victim.send_signal(signal.SIGKILL)
        victim.communicate(timeout=10)
        assert read_holder(lock)["pid"] == victim.pid  # its record is still there ...

        feeds.latency_s = 0
        result = CliRunner().invoke(cli, ["--config", str(config), "run", "daily", "--no-send"])
        assert result.exit_code == 0, result.output
        # ... but the kernel released its lock: taken at once, with no wait for the dead holder (checked by what
        # the run logged, not by a clock: the machine may be busy)
        assert "waiting up to" not in result.stderr
        assert "stale lock" in result.stderr and f"pid {victim.pid}" in result.stderr
        assert "ended without releasing it" in result.stderr
        assert "no longer running ended" not in result.stderr and ", no longer running" not in result.stderr


def test_lock_in_process(tmp_path):
    lock = tmp_path / "x.lock"
    with run_lock(lock, 0, purpose="first"):
        assert read_holder(lock)["purpose"] == "first"
        with pytest.raises(LockBusy) as busy, run_lock(lock, 0.2, purpose="second"):
            pass
        assert f"pid {os.getpid()}" in str(busy.value) and "first" in str(busy.value)
        assert busy.value.exit_code == 9
    with run_lock(lock, 0, purpose="again"):
        pass
