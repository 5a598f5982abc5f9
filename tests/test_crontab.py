"""deploy/crontab.example, run the way cron runs it: each job's line under /bin/sh, with a stand-in
for reportgen that logs a line and exits with a chosen code.  Cron mails MAILTO whatever a job
prints; the log keeps everything."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

CRONTAB = Path(__file__).resolve().parents[1] / "deploy" / "crontab.example"


def _jobs() -> dict[str, str]:
    """Each job's shell command, by the reportgen command it runs (fetch, run daily, ...)."""
    jobs = {}
    for line in CRONTAB.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#") or re.match(r"^[A-Z_]+=", line):
            continue
        command = line.split(None, 5)[5]
        what = re.search(r"\$RG ([a-z]+(?: daily| weekly)?)", command)
        assert what, line
        jobs[what.group(1)] = command
    return jobs


def _run(command: str, tmp_path: Path, code: int) -> tuple[str, str]:
    fake = tmp_path / "reportgen"
    fake.write_text(f'#!/bin/sh\necho "summary of $*"\necho "error: something" >&2\nexit {code}\n', encoding="utf-8")
    fake.chmod(0o755)
    env_file = tmp_path / "reportgen.env"
    env_file.write_text("", encoding="utf-8")
    logs = tmp_path / "log"
    logs.mkdir(exist_ok=True)
    env = {"PATH": os.environ["PATH"], "RG_ENV": str(env_file), "RG": f"{fake} --config x.toml"}
    done = subprocess.run(["/bin/sh", "-c", command.replace("/var/log/reportgen", str(logs))], env=env,
                          capture_output=True, text=True, timeout=30, check=False)
    log = "".join(p.read_text(encoding="utf-8") for p in logs.iterdir())
    return done.stdout + done.stderr, log


@pytest.mark.parametrize("job", ["fetch", "run daily", "run weekly", "send"])
def test_a_failing_job_reaches_mailto_and_the_log_keeps_everything(job, tmp_path):
    command = _jobs()[job]
    for code in (6, 8, 9, 10):
        mailed, log = _run(command, tmp_path, code)
        assert f"reportgen {job} exited {code}" in mailed  # what cron mails to MAILTO
        assert "error: something" in mailed and f"see {tmp_path / 'log'}/" in mailed  # the log's tail, and where
        assert "summary of" in log and "error: something" in log
    quiet, log = _run(command, tmp_path, 0)
    assert quiet == "" and "summary of" in log  # a good run mails nothing


def test_the_frequent_fetch_does_not_mail_every_flaky_source(tmp_path):
    assert _run(_jobs()["fetch"], tmp_path, 7)[0] == ""
    assert "exited 7" in _run(_jobs()["run daily"], tmp_path, 7)[0]
