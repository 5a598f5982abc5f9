"""`reportgen export`: CSV safe to open in Excel, Parquet that pandas reads back, JSON Lines as before."""

from __future__ import annotations

import csv
import io
import json
import os
import resource
import stat
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from mailserver import sample_feed, write_config

from reportgen.cli.app import cli
from reportgen.demo.feedserver import FeedServer, Route
from reportgen.insight.aggregate import EXPORT_FIELDS
from reportgen.report.export import neutralize_cell

SHANGHAI = ZoneInfo("Asia/Shanghai")
YESTERDAY = (datetime.now(UTC).astimezone(SHANGHAI) - timedelta(days=1)).date()


@pytest.fixture
def config(tmp_path):
    with FeedServer({"/good": Route(sample_feed(YESTERDAY))}) as feeds:
        path = write_config(tmp_path, feeds_base=feeds.base_url, smtp_port=None)
        assert CliRunner().invoke(cli, ["--config", str(path), "fetch"]).exit_code == 0
    return path


def export(config, *args):
    day = YESTERDAY.isoformat()
    return CliRunner().invoke(cli, ["--config", str(config), "export", "--since", day, "--until", day, *args])


@pytest.mark.parametrize("value, expected", [
    ("=1+2", "'=1+2"), ("+86 10 1234", "'+86 10 1234"), ("-5%", "'-5%"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1", "'\t=1"), ("工行 = 1", "工行 = 1"), ("", ""), (None, None), (3, 3),
])
def test_neutralize_cell(value, expected):
    assert neutralize_cell(value) == expected


@given(st.text())
def test_neutralized_cells_never_start_a_formula(text):
    out = neutralize_cell(text)
    assert not str(out).startswith(("=", "+", "-", "@", "\t", "\r"))
    assert str(out).removeprefix("'") == text or out == text


def test_csv_neutralizes_formulas_and_keeps_the_fields(config):
    result = export(config, "--format", "csv")
    assert result.exit_code == 0, result.output
    # a UTF-8 byte order mark first, so Excel opens the file as UTF-8; then the fields as before
    assert result.stdout_bytes.startswith(b"\xef\xbb\xbf" + ",".join(EXPORT_FIELDS).encode() + b"\n")
    rows = list(csv.DictReader(io.StringIO(result.stdout.removeprefix("\ufeff"))))
    assert tuple(rows[0]) == EXPORT_FIELDS
    titles = {r["title"] for r in rows}
    assert "'=HYPERLINK(\"http://evil.example\",\"工行客户点此\")" in titles
    # numbers (a negative sentiment score) stay numbers; every text cell is neutralized
    assert not any(v.startswith(("=", "+", "-", "@")) and not _is_number(v) for r in rows for v in r.values())
    jsonl = [json.loads(line) for line in export(config, "--format", "jsonl").stdout.splitlines()]
    assert len(jsonl) == len(rows)
    assert any(r["title"].startswith("=HYPERLINK") for r in jsonl)  # JSON keeps the text as it is


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def test_csv_file_opens_as_utf8_with_a_bom(config, tmp_path):
    out = tmp_path / "items.csv"
    result = export(config, "--format", "csv", "-o", str(out))
    assert result.exit_code == 0, result.output
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and raw.count(b"\xef\xbb\xbf") == 1
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert tuple(rows[0]) == EXPORT_FIELDS and any("工行" in r["title"] or "银行" in r["title"] for r in rows)


def test_parquet_round_trip(config, tmp_path):
    out = tmp_path / "items.parquet"
    result = export(config, "--format", "parquet", "-o", str(out))
    assert result.exit_code == 0, result.output
    frame = pd.read_parquet(out)
    rows = [json.loads(line) for line in export(config, "--format", "jsonl").stdout.splitlines()]
    assert list(frame.columns) == list(EXPORT_FIELDS)
    assert len(frame) == len(rows) > 0
    assert frame["title"].tolist() == [r["title"] for r in rows]
    assert str(frame["published_at"].dt.tz) == "Asia/Shanghai"
    assert [t.isoformat() for t in frame["published_at"]] == [r["published_at"] for r in rows]


def test_parquet_of_an_empty_window(config, tmp_path):
    out = tmp_path / "empty.parquet"
    result = CliRunner().invoke(cli, ["--config", str(config), "export", "--format", "parquet", "-o", str(out),
                                      "--since", "2001-01-01", "--until", "2001-01-02"])
    assert result.exit_code == 0, result.output
    frame = pd.read_parquet(out)
    assert frame.empty and list(frame.columns) == list(EXPORT_FIELDS)


def test_output_into_a_missing_folder_creates_it(config, tmp_path):
    target = tmp_path / "nodir" / "deeper" / "x.jsonl"
    result = export(config, "--format", "jsonl", "-o", str(target))
    assert result.exit_code == 0, result.output
    assert target.exists() and all(json.loads(line) for line in target.read_text(encoding="utf-8").splitlines())
    blocked = tmp_path / "a-file"
    blocked.write_text("", encoding="utf-8")
    refused = export(config, "-o", str(blocked / "x.jsonl"))  # its folder would be a file: a clean error
    assert refused.exit_code == 1 and "cannot create the folder" in refused.stderr
    assert "unexpected" not in refused.stderr and "hint:" in refused.stderr


def _export_with_file_size_limit(config, limit: int, *args: str) -> subprocess.CompletedProcess[str]:
    """``reportgen export ARGS`` in a process that may write no file beyond ``limit`` bytes: a full disk
    without privileges (RLIMIT_FSIZE; Python ignores SIGXFSZ, so a write past it fails with EFBIG)."""
    day = YESTERDAY.isoformat()

    def lower_the_limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    env = {k: v for k, v in os.environ.items() if not k.startswith("REPORTGEN_")}
    return subprocess.run([sys.executable, "-m", "reportgen.cli", "--config", str(config), "export", "--since", day,
                           "--until", day, *args], capture_output=True, text=True, env=env,
                          preexec_fn=lower_the_limit, timeout=120)


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
def test_export_that_runs_out_of_space_leaves_the_old_file_and_no_half_one(config, tmp_path, fmt):
    out = tmp_path / "out"
    out.mkdir()
    target = out / f"week.{fmt}"
    whole = export(config, "--format", fmt, "-o", str(target))
    assert whole.exit_code == 0, whole.output
    previous = target.read_bytes()
    assert len(previous) > 400
    done = _export_with_file_size_limit(config, 200, "--format", fmt, "-o", str(target))
    assert done.returncode == 1, done.stderr
    assert f"-o {target}: cannot write it: File too large" in done.stderr, done.stderr
    assert "unexpected" not in done.stderr and "Traceback" not in done.stderr and "hint: free some space" in done.stderr
    assert target.read_bytes() == previous  # the last good export is untouched
    assert [p.name for p in out.iterdir()] == [target.name]  # and no temporary file is left beside it
    fresh = out / f"new.{fmt}"
    assert _export_with_file_size_limit(config, 200, "--format", fmt, "-o", str(fresh)).returncode == 1
    assert not fresh.exists() and [p.name for p in out.iterdir()] == [target.name]  # no truncated new file


def test_export_file_is_replaced_whole_keeping_links_and_devices(config, tmp_path):
    real = tmp_path / "real.jsonl"
    real.write_text("old\n", encoding="utf-8")
    os.chmod(real, 0o600)
    link = tmp_path / "latest.jsonl"
    link.symlink_to(real)
    assert export(config, "-o", str(link)).exit_code == 0
    assert link.is_symlink() and json.loads(real.read_text(encoding="utf-8").splitlines()[0])["bank"]
    assert stat.S_IMODE(real.stat().st_mode) == 0o600  # a private export stays private when replaced
    fresh = tmp_path / "fresh.csv"
    assert export(config, "--format", "csv", "-o", str(fresh)).exit_code == 0
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o666 & ~mask  # as open() makes it, not mkstemp's 0600
    # a regular file under /dev (a tmpfs such as /dev/shm) is replaced like any other, not appended to
    shm = Path("/dev/shm")
    if shm.is_dir() and os.access(shm, os.W_OK):
        target = shm / f"reportgen-export-{os.getpid()}.jsonl"
        try:
            for _ in range(2):
                assert export(config, "-o", str(target)).exit_code == 0
            assert target.read_bytes() == real.read_bytes()
        finally:
            target.unlink(missing_ok=True)
    # a device or a pipe is written in place, never replaced
    assert export(config, "-o", "/dev/null").exit_code == 0
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    # `-o /dev/stdout >> log` appends to the shell's file, as `>>` asked, and does not replace it
    log = tmp_path / "log.jsonl"
    log.write_text("first\n", encoding="utf-8")
    inode = log.stat().st_ino
    day = YESTERDAY.isoformat()
    with log.open("ab") as appended:
        done = subprocess.run([sys.executable, "-m", "reportgen.cli", "--config", str(config), "export", "--since", day,
                               "--until", day, "-o", "/dev/stdout"], stdout=appended, stderr=subprocess.PIPE,
                              text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    lines = log.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "first" and json.loads(lines[1])["bank"] and log.stat().st_ino == inode
