"""Every command that touches the store, on PostgreSQL: the same CLI, the same answers as SQLite.

A real server (``REPORTGEN_TEST_PG_URL``, a fresh schema; skipped without it), the sample feed on a
local HTTP server, and a real SMTP server for ``run`` and ``send``.  Each command runs against both
databases and their outputs are compared, except where a value is the database's own (run ids).
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner
from mailserver import MailServer, sample_feed, write_config
from pgdb import fresh_schema, require_pg

from reportgen.cli.app import cli
from reportgen.demo.feedserver import FeedServer, Route

YESTERDAY = (datetime.now(UTC).astimezone(ZoneInfo("Asia/Shanghai")) - timedelta(days=1)).date()


def invoke(config: Path, *args: str):
    return CliRunner().invoke(cli, ["--config", str(config), *args])


def session(config: Path) -> dict[str, object]:
    """What the commands print, with the database's own values (ids, times, paths) left out."""
    out: dict[str, object] = {}
    assert invoke(config, "config", "check").exit_code == 0
    fetched = invoke(config, "fetch", "--json")
    assert fetched.exit_code == 0, fetched.output
    summary = json.loads(fetched.stdout)
    out["fetch"] = {k: summary[k] for k in ("sources_ok", "items_new", "items_matched", "mentions_scored")}
    assert invoke(config, "score", "--all").exit_code == 0
    for command in (["events", "--date", str(YESTERDAY), "--json"], ["alerts", "--date", str(YESTERDAY), "--json"]):
        result = invoke(config, *command)
        assert result.exit_code == 0, result.output
        found = json.loads(result.stdout)
        for alert in found.get("alerts", []):  # when each database raised and pushed it: its own clock
            for key in ("first_raised_at", "first_pushed_at", "time_to_ack_s", "last_seen_at"):
                alert.pop(key, None)
        out[command[0]] = found
    for fmt in ("jsonl", "csv"):
        result = invoke(config, "export", "--format", fmt, "--since", str(YESTERDAY), "--until", str(YESTERDAY))
        assert result.exit_code == 0, result.output
        out[fmt] = result.stdout
    parquet = config.parent / "x.parquet"
    assert invoke(config, "export", "--format", "parquet", "-o", str(parquet)).exit_code == 0
    import pyarrow.parquet as pq

    out["parquet"] = pq.read_table(parquet).to_pylist()
    result = invoke(config, "report", "daily", "--date", str(YESTERDAY), "--format", "html")
    assert result.exit_code == 0, result.output
    # the follow-up table's "first raised" times are when each session raised the alert: its clock
    out["report"] = re.sub(rb"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", b"<time>", Path(result.stdout.strip()).read_bytes())
    ran = invoke(config, "run", "daily", "--json")
    assert ran.exit_code == 0, ran.output
    run = json.loads(ran.stdout)
    out["run"] = (run["report"]["state"], run["delivery"]["state"], run["mail_ok"])
    again = json.loads(invoke(config, "run", "daily", "--json").stdout)
    out["again"] = (again["report"]["state"], again["delivery"]["state"])
    out["send"] = invoke(config, "send").exit_code
    return out


def test_every_store_command_on_postgresql_matches_sqlite(tmp_path):
    url = require_pg()
    with FeedServer({"/good": Route(sample_feed(YESTERDAY))}) as feeds, MailServer() as smtp, \
            fresh_schema(url) as pg:
        results = {}
        for name, database in (("sqlite", "sqlite:///r.db"), ("postgresql", pg)):
            folder = tmp_path / name
            folder.mkdir()
            config = write_config(folder, feeds_base=feeds.base_url, smtp_port=smtp.port)
            text = config.read_text(encoding="utf-8").replace('database = "sqlite:///r.db"', f'database = "{database}"')
            config.write_text(text, encoding="utf-8")
            results[name] = session(config)
        assert len(smtp.messages) == 2  # one report mailed per database, once
    sqlite, postgresql = results["sqlite"], results["postgresql"]
    assert sqlite["fetch"]["items_new"] > 0 and sqlite["events"] and "中国工商银行" in sqlite["jsonl"]
    for key in sqlite:
        assert postgresql[key] == sqlite[key], f"{key} differs between the databases"


@pytest.mark.parametrize("command", [["fetch"], ["report", "daily", "--format", "html"], ["send"]])
def test_an_unreachable_postgresql_is_exit_3_without_the_password(tmp_path, command):
    config = tmp_path / "sources.toml"
    config.write_text('[settings]\ndatabase = "postgresql+psycopg://reportgen:s3cret@127.0.0.1:9/x?connect_timeout=2"\n'
                      '[[banks]]\nid = "icbc"\nname = "中国工商银行"\nrole = "self"\n'
                      '[[sources]]\nid = "a"\nurl = "http://127.0.0.1:9/a"\nchannel = "online"\n', encoding="utf-8")
    result = invoke(config, *command)
    assert result.exit_code == 3, result.output
    assert "s3cret" not in result.output and "PostgreSQL" in result.output
