"""The run lock on PostgreSQL: an advisory lock shared by every host that writes into the database.

Real processes and a real server (``REPORTGEN_TEST_PG_URL``; skipped without it): a second taker
gives up with exit 9 naming the holder, a SIGKILLed holder's lock is free at once, and two
databases (here: two schemas) have separate locks.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time

import pytest
from click.testing import CliRunner
from pgdb import fresh_schema, require_pg

from reportgen.cli.app import cli
from reportgen.errors import LockBusy
from reportgen.flow.lock import lock_for
from reportgen.store.pglock import advisory_lock


@pytest.fixture
def pg_url():
    with fresh_schema(require_pg()) as url:
        yield url


def test_second_taker_gives_up_naming_the_holder(pg_url, tmp_path):
    with advisory_lock(pg_url, 1, purpose="run daily 2026-11-27"):
        began = time.monotonic()
        with pytest.raises(LockBusy) as caught, advisory_lock(pg_url, 0.3, purpose="send"):
            pass
        assert time.monotonic() - began >= 0.3
    message = str(caught.value)
    assert caught.value.exit_code == 9
    assert "pg_advisory_lock" in message and "run daily 2026-11-27" in message and "pid " in message
    assert "lock_timeout_s" in message
    with advisory_lock(pg_url, 0.1, purpose="after"):  # released at the end of the block
        pass


def test_lock_for_picks_the_database_lock(pg_url, tmp_path):
    with lock_for(pg_url, tmp_path / "unused.lock", 1, purpose="run"):
        with pytest.raises(LockBusy):
            with lock_for(pg_url, tmp_path / "other.lock", 0, purpose="run"):
                pass
    assert not (tmp_path / "unused.lock").exists()  # no file lock with PostgreSQL
    with lock_for(f"sqlite:///{tmp_path}/x.db", tmp_path / "x.db.lock", 1, purpose="run"):
        assert (tmp_path / "x.db.lock").exists()


def test_separate_databases_have_separate_locks(pg_url):
    with fresh_schema(require_pg()) as other, advisory_lock(pg_url, 1, purpose="a"):
        with advisory_lock(other, 0, purpose="b"):
            pass


def test_a_killed_holder_frees_the_lock(pg_url):
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import sys, time
        from reportgen.store.pglock import advisory_lock
        with advisory_lock({pg_url!r}, 5, purpose="run daily"):
            print("held", flush=True)
            time.sleep(60)
    """)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(LockBusy, match=f"pid {holder.pid} "):
            with advisory_lock(pg_url, 0, purpose="send"):
                pass
        holder.kill()
        holder.wait(10)
        with advisory_lock(pg_url, 5, purpose="send"):  # the server ended the dead holder's session
            pass
    finally:
        holder.kill()
        holder.wait(10)


def test_cli_exits_9_while_another_host_holds_the_lock(pg_url, tmp_path):
    config = tmp_path / "sources.toml"
    config.write_text(f'[settings]\ndatabase = "{pg_url}"\n[run]\nlock_timeout_s = 0.2\n'
                      '[[banks]]\nid = "icbc"\nname = "中国工商银行"\nrole = "self"\n', encoding="utf-8")
    with advisory_lock(pg_url, 1, purpose="run daily on another host"):
        result = CliRunner().invoke(cli, ["--config", str(config), "send"])
    assert result.exit_code == 9, result.output
    assert "run daily on another host" in result.output
    assert CliRunner().invoke(cli, ["--config", str(config), "send"]).exit_code == 0
