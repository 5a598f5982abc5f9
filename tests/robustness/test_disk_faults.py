"""An output folder that cannot be written, or a disk that fills up: a clear error (exit 4) and never a
half-written report under its final name.  Both files are written beside their final name and renamed,
so a failure leaves the previous report as it was.

A small tmpfs is mounted when the machine allows it (root with CAP_SYS_ADMIN); otherwise those tests
skip, and the file-size limit (RLIMIT_FSIZE, which any user may lower) stands in for a full disk.
"""

from __future__ import annotations

import contextlib
import errno
import os
import resource
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from mailserver import sample_feed, write_config

from reportgen.cli.app import cli
from reportgen.config.core import load_config
from reportgen.demo.feedserver import FeedServer, Route
from reportgen.flow.pipeline import run_fetch

from .conftest import cli_env, yesterday


@pytest.fixture(scope="module")
def stocked(tmp_path_factory) -> Path:
    """A config whose database holds yesterday's sample news (no feed server needed afterwards)."""
    folder = tmp_path_factory.mktemp("disk")
    with FeedServer({"/good": Route(sample_feed(yesterday()))}) as srv:
        config = write_config(folder, feeds_base=srv.base_url, smtp_port=None)
        run_fetch(load_config(config))
    return config


@pytest.fixture(scope="module")
def good_report(stocked: Path) -> dict[str, bytes]:
    """The report a roomy disk gets: file name → bytes."""
    out = stocked.parent / "good"
    result = report(stocked, out)
    assert result.exit_code == 0, result.output
    return {name: (out / name).read_bytes() for name in listing(out)}


def report(config: Path, out: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--config", str(config), "report", "daily", "--date", yesterday().isoformat(),
                                    "--out", str(out), *args])


def listing(folder: Path) -> dict[str, int]:
    return {p.name: p.stat().st_size for p in folder.iterdir()}


def clean_failure(result: Result, *phrases: str) -> None:
    assert result.exit_code == 4, result.output
    assert "unexpected" not in result.output and "Traceback" not in result.output
    for phrase in phrases:
        assert phrase in result.output, (phrase, result.output)


@contextlib.contextmanager
def tmpfs(where: Path, size_kib: int, *, read_only: bool = False) -> Iterator[Path]:
    where.mkdir(parents=True, exist_ok=True)
    options = f"size={size_kib}k" + (",ro" if read_only else "")
    mount = shutil.which("mount")
    done = subprocess.run([mount, "-t", "tmpfs", "-o", options, "tmpfs", str(where)], capture_output=True,
                          text=True) if mount else None
    if done is None or done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({done.stderr.strip() if done else 'no mount command'}); "
                    "test_file_size_limit_stands_in_for_a_full_disk covers a full disk without privileges")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], capture_output=True)


def fill(folder: Path) -> None:
    """Write zeros until the file system says it is full."""
    with (folder / "filler").open("wb") as fh:
        try:
            while True:
                fh.write(bytes(16 * 1024))
                fh.flush()
        except OSError as exc:
            assert exc.errno == errno.ENOSPC, exc


def test_output_folder_is_a_file(stocked: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "reports"
    blocker.write_text("not a folder", encoding="utf-8")
    config = tmp_path / "sources.toml"
    config.write_text(stocked.read_text(encoding="utf-8")
                      .replace('output_dir = "out"', f'output_dir = "{blocker}"')
                      .replace("sqlite:///r.db", f"sqlite:///{stocked.parent / 'r.db'}"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["--config", str(config), "report", "daily", "--date", yesterday().isoformat()])
    clean_failure(result, "cannot create output folder")
    assert blocker.read_text(encoding="utf-8") == "not a folder"


@pytest.mark.parametrize("formats", ["html,pdf", "pdf"])
def test_output_folder_not_writable(stocked: Path, tmp_path: Path, formats: str) -> None:
    if os.geteuid() != 0:
        out = tmp_path / "ro"
        out.mkdir()
        out.chmod(0o555)
        context: contextlib.AbstractContextManager[Path] = contextlib.nullcontext(out)
        reason = "Permission denied"
    else:  # root writes into a chmod 555 folder anyway: a read-only file system it cannot
        context = tmpfs(tmp_path / "ro", 64, read_only=True)
        reason = "Read-only file system"
    with context as out:
        result = report(stocked, out, "--format", formats)
        left = listing(out)
    clean_failure(result, "could not write", reason, "hint:")
    assert left == {}


def test_full_disk_keeps_the_previous_report_whole(stocked: Path, good_report: dict[str, bytes],
                                                   tmp_path: Path) -> None:
    html_name, pdf_name = f"daily-{yesterday()}.html", f"daily-{yesterday()}.pdf"
    assert sorted(good_report) == [html_name, pdf_name]
    with tmpfs(tmp_path / "small", 2048) as out:
        for name, data in good_report.items():  # yesterday's good report, already in place
            (out / name).write_bytes(data)

        fill(out)  # not a byte left: even the HTML cannot be written
        result = report(stocked, out)
        clean_failure(result, "No space left on device", "free space")
        after = {name: (out / name).read_bytes() for name in listing(out) if name != "filler"}
        assert after == good_report  # untouched, and no temporary file left over

        # room for a new HTML, not for the PDF: the old HTML is gone (its space would come back when the new one
        # replaces it, and the HTML, with its phone-width charts, can be the larger file)
        (out / html_name).unlink()  # frees the HTML's size; 8 KiB more for the file system's own blocks
        with (out / "filler").open("r+b") as fh:
            fh.truncate((out / "filler").stat().st_size - 8 * 1024)
        assert len(good_report[pdf_name]) > 16 * 1024  # so the PDF cannot fit in what is left
        result = report(stocked, out)
        clean_failure(result, "could not write PDF", "No space left on device")
        assert sorted(listing(out)) == sorted(["filler", *good_report])
        assert (out / pdf_name).read_bytes() == good_report[pdf_name]
        assert (out / html_name).read_text(encoding="utf-8").rstrip().endswith("</html>")


def test_a_run_on_a_full_disk_makes_the_report_on_the_next_run(tmp_path: Path) -> None:
    with FeedServer({"/good": Route(sample_feed(yesterday()))}) as srv, tmpfs(tmp_path / "small", 2048) as out:
        config = write_config(tmp_path, feeds_base=srv.base_url, smtp_port=None,
                              extra="").read_text(encoding="utf-8").replace('output_dir = "out"',
                                                                            f'output_dir = "{out}"')
        path = tmp_path / "sources.toml"
        path.write_text(config, encoding="utf-8")
        fill(out)
        full = CliRunner().invoke(cli, ["--config", str(path), "run", "daily", "--json"])
        clean_failure(full, "No space left on device")
        assert listing(out) == {"filler": listing(out)["filler"]}
        (out / "filler").unlink()
        again = CliRunner().invoke(cli, ["--config", str(path), "run", "daily", "--json"])
        assert again.exit_code == 0, again.output
        assert '"state": "new"' in again.stdout  # nothing was recorded as made by the failed run
        assert sorted(listing(out)) == [f"daily-{yesterday()}.html", f"daily-{yesterday()}.pdf"]


def test_file_size_limit_stands_in_for_a_full_disk(stocked: Path, good_report: dict[str, bytes],
                                                   tmp_path: Path) -> None:
    """No privileges needed: a file-size limit below the report's size makes every write fail with
    EFBIG, as a full disk fails with ENOSPC."""
    out = tmp_path / "out"
    out.mkdir()
    for name, data in good_report.items():
        (out / name).write_bytes(data)
    limit = min(len(b) for b in good_report.values()) // 2

    def lower_the_limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    done = subprocess.run([sys.executable, "-m", "reportgen.cli", "--config", str(stocked), "report", "daily",
                           "--date", yesterday().isoformat(), "--out", str(out)],
                          capture_output=True, text=True, env=cli_env(), preexec_fn=lower_the_limit, timeout=120)
    assert done.returncode == 4, done.stderr
    assert "File too large" in done.stderr and "Traceback" not in done.stderr
    assert {name: (out / name).read_bytes() for name in listing(out)} == good_report


def test_temporary_files_of_killed_renders_are_cleared_once_stale(stocked: Path, tmp_path: Path) -> None:
    """A render killed by SIGKILL or the OOM killer leaves its temporary file (the kill loop in
    test_crash_and_concurrency.py sees them): the next render removes those over an hour old, and
    leaves a fresh one alone (it may belong to a render still running)."""
    out = tmp_path / "out"
    out.mkdir()
    html_name = f"daily-{yesterday()}.html"
    stale, fresh = out / f".{html_name}.k1ll3d.tmp", out / f".{html_name}.runn1n.tmp"
    other = out / ".weekly-2026-W47.html.k1ll3d.tmp"  # another report's: not this render's business
    for leftover in (stale, fresh, other):
        leftover.write_text("<!DOCTYPE html><html><body>half a rep", encoding="utf-8")
    two_hours_ago = time.time() - 7200
    os.utime(stale, (two_hours_ago, two_hours_ago))
    os.utime(other, (two_hours_ago, two_hours_ago))
    assert report(stocked, out, "--format", "html").exit_code == 0
    assert sorted(listing(out)) == sorted([html_name, fresh.name, other.name])
