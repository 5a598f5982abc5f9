"""Hostile operations (issue 14): invisible characters in aliases, secrets in `config check`, a relay
that answers forever, configs that are huge, BOM-prefixed, or point at missing or looping folders, a
database that belongs to another application, a read-only mount, and stdout closed early.

Real parts throughout: config files in ``tmp_path``, SQLite files, an SMTP server on 127.0.0.1 that
trickles its answer, ``reportgen`` in a subprocess (a real pipe for ``export | head -1``, a real
read-only bind mount in a private mount namespace).
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from mailserver import sample_feed, write_config

from reportgen.cli.app import cli
from reportgen.config.core import load_config
from reportgen.demo.feedserver import FeedServer, Route
from reportgen.errors import ConfigError, StoreError
from reportgen.flow.lock import run_lock
from reportgen.models import FetchStatus, Item, Mention, SourceHealth
from reportgen.score.match import Matcher
from reportgen.store.db import Store

from .conftest import cli_env, reportgen, yesterday

BANK = '[[banks]]\nid = "icbc"\nname = "中国工商银行"\naliases = ["工行"]\nrole = "self"\n'
SOURCE = '[[sources]]\nid = "news"\nname = "新闻"\nurl = "https://news.example/rss"\nchannel = "online"\n'


def invoke(config: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--config", str(config), *args])


def write(folder: Path, text: str, name: str = "sources.toml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


# --- 6b: zero-width characters in an alias, and in item text ----------------------------------------


def test_zero_width_characters_are_stripped_from_aliases_with_a_warning(tmp_path: Path) -> None:
    bank = ('[[banks]]\nid = "cmb"\nname = "招商\u200b银行"\n'
            'aliases = ["招\u200d商银行", "招\u200c行", "\u2060招银\ufeff"]\nrole = "self"\n')
    cfg = load_config(write(tmp_path, bank + SOURCE))
    (cmb,) = cfg.banks
    assert cmb.name == "招商银行"
    assert cmb.aliases == ("招商银行", "招行", "招银")
    warnings = "\n".join(cfg.warnings)
    assert "banks[0]" in warnings and "cmb" in warnings
    assert "zero-width" in warnings and "招商银行" in warnings and "招行" in warnings
    found = Matcher(cfg.banks).find("据悉，招行回应；招银理财……")
    assert [m.term for m in found] == ["招行", "招银"]


def test_zero_width_characters_in_item_text_do_not_hide_a_bank(tmp_path: Path) -> None:
    cfg = load_config(write(tmp_path, '[[banks]]\nid = "cmb"\nname = "招商银行"\naliases = ["CMB"]\n'
                                      'role = "self"\n' + SOURCE))
    matcher = Matcher(cfg.banks)
    titles = ("招\u200d商银行被罚", "招\u200c商\u200b银\u2060行被罚", "\ufeff招商银\u200d行被罚", "C\u200bMB fined")
    for title in titles:
        found = matcher.find(title)
        assert [m.bank_id for m in found] == ["cmb"], title
        (m,) = found
        assert 0 <= m.start < m.end <= len(title)


# --- 7: config check never prints a secret ---------------------------------------------------------


def test_config_check_redacts_the_database_password(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("TEST_RSSHUB_KEY", "rsshub-K3y-secret")
    monkeypatch.setenv("TEST_SMTP_PW", "smtp-Pw-secret")
    secret = "S3cret-Pw"
    config = write(tmp_path, f"""
[settings]
database = "postgresql+psycopg://reportgen:{secret}@db.bank.example:5432/reportgen?password={secret}&sslmode=require"
[rsshub]
base_url = "http://127.0.0.1:1200"
access_key_env = "TEST_RSSHUB_KEY"
[email]
host = "127.0.0.1"
from = "r@bank.example"
username = "robot"
password_env = "TEST_SMTP_PW"
[email.daily]
to = ["boss@bank.example"]
""" + BANK + SOURCE.replace('url = "https://news.example/rss"', 'route = "/cls/telegraph"'))
    as_json = invoke(config, "config", "check", "--json")
    assert as_json.exit_code == 0, as_json.output
    assert json.loads(as_json.stdout)["database"] == (
        "postgresql+psycopg://reportgen:***@db.bank.example:5432/reportgen?password=***&sslmode=require")
    text = invoke(config, "config", "check")
    assert text.exit_code == 0, text.output
    assert "reportgen:***@db.bank.example" in text.output
    # a database URL with a problem is shown in the error, redacted too
    bad = write(tmp_path, f'[settings]\ndatabase = "Postgres://reportgen:{secret}@db/x"\n' + BANK + SOURCE, "bad.toml")
    errors = [invoke(bad, "config", "check", "--json"), invoke(bad, "config", "check")]
    assert [r.exit_code for r in errors] == [2, 2]
    assert "reportgen:***@db" in errors[1].output
    for result in (as_json, text, *errors):
        for leaked in (secret, "rsshub-K3y-secret", "smtp-Pw-secret"):
            assert leaked not in result.output


# --- 9: an SMTP server that never finishes its answer ------------------------------------------------


class TricklingSmtp:
    """Greets, then answers EHLO with one ``250-`` continuation line every 0.2 s, never the last line."""

    def __init__(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self.lines_sent = 0
        self.closed_by_client = threading.Event()

    def __enter__(self) -> TricklingSmtp:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._listener.close()
        self._thread.join(5)

    def _serve(self) -> None:
        self._listener.settimeout(0.2)
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self._trickle(conn)

    def _trickle(self, conn: socket.socket) -> None:
        self.closed_by_client.clear()
        with conn:
            conn.sendall(b"220 slow.example ESMTP\r\n")
            conn.recv(1024)  # EHLO
            conn.settimeout(0.2)
            while not self._stop.is_set():
                try:
                    conn.sendall(b"250-SLOW.EXAMPLE still thinking\r\n")
                    self.lines_sent += 1
                    if conn.recv(1024) == b"":
                        break
                except TimeoutError:
                    continue
                except OSError:
                    break
            self.closed_by_client.set()


@pytest.mark.timeout(120)
def test_a_trickling_smtp_server_meets_an_overall_deadline(tmp_path: Path) -> None:
    with TricklingSmtp() as smtp:
        config = write_config(tmp_path, feeds_base="http://127.0.0.1:9", smtp_port=smtp.port,
                              email_extra="deadline_s = 2")
        started = time.monotonic()
        result = invoke(config, "send", "--test")
        elapsed = time.monotonic() - started
        assert result.exit_code == 8, result.output
        assert "too slow: no answer within 2 s overall" in result.stderr
        assert elapsed < 10, elapsed  # 2 s and some slack for a busy machine; without a deadline: forever
        assert smtp.lines_sent >= 5  # it really was trickling
        assert smtp.closed_by_client.wait(5)  # and the connection was closed
        # in a run, the briefing stays queued with the reason
        with FeedServer({"/good": Route(sample_feed(yesterday()))}) as feeds:
            config = write_config(tmp_path, feeds_base=feeds.base_url, smtp_port=smtp.port,
                                  email_extra="deadline_s = 2", name="run.toml")
            result = invoke(config, "run", "daily", "--json")
        assert result.exit_code == 8, result.output
        delivery = json.loads(result.stdout)["delivery"]
        assert delivery["state"] == "pending" and "too slow" in delivery["last_error"], delivery


# --- 12: config errors -------------------------------------------------------------------------------


@pytest.mark.timeout(60)  # quadratic line search: about 150 s here; linear: about 2 s
def test_a_huge_generated_config_with_many_errors_loads_quickly(tmp_path: Path) -> None:
    count = 20_000
    parts = ['[settings]\ndatabase = "sqlite:///r.db"\n', BANK]
    for i in range(count):
        parts.append(f'[[sources]]\nid = "s{i}"\nname = "源{i}"\nurl = "https://news.example/{i}.xml"\n'
                     f'channel = "{"bogus" if i % 2 else "online"}"\n')
    parts.append('[[sources]]\nid = "last"\nurl = "https://news.example/last.xml"\nchannel = "online"\n'
                 'weight = 99\n')
    path = write(tmp_path, "".join(parts))
    with pytest.raises(ConfigError) as info:
        load_config(path)
    problems = info.value.problems
    assert len(problems) == 1 + count // 2 + 1
    header_lines = 7  # [settings], database, the bank's five lines
    assert problems[1].startswith(f"{path}:{header_lines + 5 * 1 + 5}: sources[1].channel:")
    assert problems[-1].startswith(f"{path}:{header_lines + 5 * count + 5}: sources[{count}].weight:")


def test_a_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "sources.toml"
    path.write_bytes("\ufeff".encode() + ("[settings]\nlanguage = \"en\"\n" + BANK + SOURCE).encode())
    cfg = load_config(path)
    assert cfg.settings.language == "en"
    broken = tmp_path / "broken.toml"
    broken.write_bytes("\ufeff".encode() + ("[settings]\nlanguage = 3\n" + BANK + SOURCE).encode())
    with pytest.raises(ConfigError, match=r"broken\.toml:2: settings\.language"):
        load_config(broken)


def test_a_single_character_alias_is_warned_about(tmp_path: Path) -> None:
    bank = '[[banks]]\nid = "icbc"\nname = "中国工商银行"\naliases = ["工行", "行", "I"]\nrole = "self"\n'
    cfg = load_config(write(tmp_path, bank + SOURCE))
    warnings = [w for w in cfg.warnings if "single" in w]
    assert len(warnings) == 2, cfg.warnings
    assert "icbc" in warnings[0] and "'行'" in warnings[0] and "Chinese character" in warnings[0]
    assert "'I'" in warnings[1] and "letter" in warnings[1]
    result = invoke(write(tmp_path, bank + SOURCE), "config", "check")
    assert "'行'" in result.stderr


def test_template_dir_missing_or_looping_is_a_config_error(tmp_path: Path) -> None:
    missing = write(tmp_path, '[settings]\ntemplate_dir = "no-such-folder"\n' + BANK + SOURCE)
    result = invoke(missing, "config", "check")
    assert result.exit_code == 2, result.output
    assert "settings.template_dir" in result.stderr and str(tmp_path / "no-such-folder") in result.stderr
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    looping = write(tmp_path, '[settings]\ntemplate_dir = "a"\n' + BANK + SOURCE, "loop.toml")
    result = invoke(looping, "config", "check")
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and "symbolic link" in result.stderr
    assert str(tmp_path / "a") in result.stderr
    # ... and a report, which resolves the folder, never meets a traceback either
    result = invoke(looping, "report", "daily", "--format", "html")
    assert result.exit_code == 2 and "unexpected" not in result.output, result.output


# --- 13: someone else's SQLite file --------------------------------------------------------------------


def test_another_applications_database_is_not_migrated(tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as con:
        con.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
        con.execute("INSERT INTO customers (name) VALUES ('张三')")
    con.close()
    with pytest.raises(StoreError) as info:
        Store.open(f"sqlite:///{other}")
    assert str(other) in info.value.message
    assert "has tables but none of reportgen's" in info.value.message
    assert "point settings.database at a new file" in info.value.message
    with sqlite3.connect(other) as con:
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    con.close()
    assert tables == {"customers"}
    # the CLI says so and exits 3
    config = write(tmp_path, f'[settings]\ndatabase = "sqlite:///{other}"\n' + BANK + SOURCE)
    result = invoke(config, "export")
    assert result.exit_code == 3 and "none of reportgen's" in result.stderr, result.output
    # an empty file, and a reportgen database, still open
    empty = tmp_path / "empty.db"
    sqlite3.connect(empty).close()
    Store.open(f"sqlite:///{empty}").close()
    Store.open(f"sqlite:///{empty}").close()


# --- 14: a read-only mount --------------------------------------------------------------------------


def test_run_lock_on_a_read_only_file_system_is_a_store_error(tmp_path: Path, monkeypatch) -> None:
    """The mapping, at the edge: ``os.open`` failing with EROFS (what a read-only mount gives)."""
    real_open = os.open

    def read_only(path, flags, *args, **kwargs):  # type: ignore[no-untyped-def]
        if str(path).endswith(".lock") and flags & os.O_CREAT:
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", read_only)
    lock = tmp_path / "r.db.lock"
    with pytest.raises(StoreError) as info, run_lock(lock, 1, purpose="test"):
        pass
    assert info.value.message == f"cannot write the run lock {lock}: read-only file system"
    assert info.value.exit_code == 3


def _read_only_mount_works(folder: Path) -> bool:
    if not (shutil.which("unshare") and shutil.which("mount")):
        return False
    probe = subprocess.run(["unshare", "--mount", "--propagation", "private", "sh", "-c",
                            f"mount -o bind,ro '{folder}' '{folder}' && ! touch '{folder}/probe' 2>/dev/null"],
                           capture_output=True, timeout=30)
    return probe.returncode == 0


def test_a_read_only_mount_for_the_database_and_lock(tmp_path: Path) -> None:
    """A real read-only bind mount, in a private mount namespace of the subprocess (needs root)."""
    ro = tmp_path / "ro"
    ro.mkdir()
    if not _read_only_mount_works(ro):
        pytest.skip("no read-only bind mount here (needs root and unshare)")
    config = write(tmp_path, f'[settings]\ndatabase = "sqlite:///{ro}/r.db"\noutput_dir = "out"\n'
                             + BANK + SOURCE.replace("https://news.example/rss", "http://127.0.0.1:9/rss"))
    script = (f"mount -o bind,ro '{ro}' '{ro}' && exec '{sys.executable}' -m reportgen.cli "
              f"--config '{config}' \"$@\"")
    for args, message in ((["fetch"], f"error: cannot write the run lock {ro}/r.db.lock: read-only file system"),
                          (["export"], f"error: cannot write the database {ro}/r.db: read-only file system")):
        result = subprocess.run(["unshare", "--mount", "--propagation", "private", "sh", "-c", script, "sh", *args],
                                capture_output=True, text=True, env=cli_env(), timeout=120)
        assert result.returncode == 3, (args, result.stderr)
        assert result.stderr.splitlines()[0] == message, result.stderr
        assert "Traceback" not in result.stderr and "unexpected" not in result.stderr


# --- 16: stdout closed early ------------------------------------------------------------------------


@pytest.fixture
def stocked_store(tmp_path: Path) -> Iterator[Path]:
    """A store with 3000 matched items published yesterday (far more than a pipe buffers)."""
    config = write(tmp_path, '[settings]\ndatabase = "sqlite:///r.db"\n' + BANK + SOURCE)
    cfg = load_config(config)
    store = Store.open(cfg.settings.database)
    store.sync_sources(cfg.sources, lambda s: s.url or "")
    now = datetime.now(UTC)
    run_id = store.start_run("fetch", now)
    when = now - timedelta(days=1)
    batch = [Item(f"id{n}", "news", f"工行新闻{n} " + "很长的标题" * 20, "摘要" * 50, f"https://news.example/{n}",
                  None, None, when, now, content_hash=f"h{n}") for n in range(3000)]
    store.save_source_batch(run_id, SourceHealth("news", FetchStatus.OK, now, 0.1, 200, item_count=len(batch)),
                            None, batch, lambda it: [Mention(it.item_id, "icbc", True, (("title", "工行", 0, 2),))])
    store.close()
    yield config


def test_export_into_a_pipe_closed_early_ends_quietly(stocked_store: Path) -> None:
    everything = reportgen(stocked_store, "export")
    assert everything.returncode == 0, everything.stderr
    assert len(everything.stdout.splitlines()) == 3000
    # reportgen export | head -1
    process = subprocess.Popen([sys.executable, "-m", "reportgen.cli", "--config", str(stocked_store), "export"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=cli_env())
    assert process.stdout is not None and process.stderr is not None
    first = process.stdout.readline()
    process.stdout.close()
    stderr = process.stderr.read().decode()
    code = process.wait(60)
    assert json.loads(first)["bank"] == "icbc"
    assert code in (0, 141), stderr
    assert "Traceback" not in stderr and "BrokenPipe" not in stderr and "error" not in stderr, stderr
