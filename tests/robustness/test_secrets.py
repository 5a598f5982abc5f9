"""The SMTP password and the RSSHub key never leave the environment.

A real run with both secrets set, at ``--debug`` with JSON logs: fetch over RSSHub routes (one of them
answering with a page that echoes the request URL, key included, and one redirecting to a URL that
carries the key), the report, and a mail through STARTTLS with a login.  The secrets must not appear
in stdout, stderr, the ``--json`` summary, the HTML, the PDF, the mail, or the database file; a
traceback shown by ``--debug`` must not carry them either.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path
from urllib.parse import quote

import pytest
from mailserver import PASSWORD, PASSWORD_ENV, MailServer, make_ca, sample_feed, write_config

from reportgen.demo.feedserver import FeedServer, Redirect, RequestHandler, Route

from .conftest import cli_env, pdf_text, reportgen, yesterday

KEY_ENV = "TEST_RSSHUB_KEY"
KEY = "rsshub-K3y+Zq9/secret"  # characters that URL encoding changes, so both spellings are looked for

pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH:UserWarning")


def spellings(secret: str) -> list[str]:
    """Every form a secret could leak in: raw, URL-encoded, base64 (SMTP AUTH), JSON-escaped."""
    return [secret, quote(secret, safe=""), quote(secret), base64.b64encode(secret.encode()).decode(),
            base64.b64encode(f"\0robot\0{secret}".encode()).decode(), json.dumps(secret)[1:-1]]


def leaks(text: str) -> list[str]:
    return [s for secret in (KEY, PASSWORD) for s in spellings(secret) if s in text]


class EchoPage(Route):
    """An HTML error page that prints the URL it was asked for (RSSHub's, a captive portal's)."""

    def respond(self, h: RequestHandler) -> None:
        page = (f'<html><head><link rel="alternate" type="application/rss+xml" href="{h.path}"></head>'
                f"<body>route {h.path} is not available</body></html>").encode()
        h.send_whole(200, page, [("Content-Type", "text/html; charset=utf-8")])


@pytest.fixture(scope="module")
def secret_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("secrets")
    ca = make_ca(folder / "ca")
    routes = {"/good": Route(sample_feed(yesterday())), "/cls/telegraph": Route(sample_feed(yesterday())),
              "/echo": EchoPage(),
              "/moved": Redirect(f"/gone?key={quote(KEY, safe='')}&page=2")}
    with FeedServer(routes) as feeds, MailServer(security="starttls", ca=ca, login=("robot", PASSWORD)) as smtp:
        extra = (f'[rsshub]\nbase_url = "{feeds.base_url}"\naccess_key_env = "{KEY_ENV}"\n'
                 + "".join(f'[[sources]]\nid = "{i}"\nname = "{i}"\nroute = "{r}"\nchannel = "online"\n'
                           for i, r in (("cls", "/cls/telegraph"), ("echo", "/echo"), ("moved", "/moved"))))
        config = write_config(folder, feeds_base=feeds.base_url, smtp_port=smtp.port, security="starttls",
                              ca_file=ca.ca_file, login=True, extra=extra)
        env = cli_env(**{KEY_ENV: KEY, PASSWORD_ENV: PASSWORD})
        result = reportgen(config, "--debug", "-v", "--log-json", "run", "daily", "--json", env=env)
        check = reportgen(config, "--debug", "config", "check", "--json", env=env)
        # a wrong password at the relay: the --debug traceback of a DeliveryError
        refused = reportgen(config, "--debug", "send", "--test", env={**env, PASSWORD_ENV: PASSWORD + "-wrong"})
        asked = list(feeds.requests)
        mails = list(smtp.messages)
    return config, result, check, refused, asked, mails


def test_the_key_was_really_used(secret_run) -> None:
    _, result, _, _, asked, mails = secret_run
    # two of the three sources fail, by design: 10, the data-completeness gate (1 of 3 sources answered)
    assert result.returncode == 10, result.stderr[-2000:]
    keyed = {r.path for r in asked if f"key={quote(KEY, safe='')}" in r.query}
    assert keyed == {"/cls/telegraph", "/echo", "/moved", "/gone"}  # every route, and the redirect target
    assert len(mails) == 1


def test_no_secret_in_logs_json_or_config_check(secret_run) -> None:
    _, result, check, _, _, _ = secret_run
    assert result.stderr.count("\n") > 20  # debug logging really was on
    for line in result.stderr.splitlines():
        json.loads(line)  # --log-json: one object per line, even at debug level
    assert leaks(result.stdout) == [] and leaks(result.stderr) == []
    assert leaks(check.stdout + check.stderr) == []
    summary = json.loads(result.stdout)
    assert summary["fetch"]["sources_failed"] == 2


def test_no_secret_in_a_debug_traceback(secret_run) -> None:
    _, _, _, refused, _, _ = secret_run
    assert refused.returncode != 0
    assert "Traceback" in refused.stderr and "DeliveryError" in refused.stderr and "refused the login" in refused.stderr
    assert leaks(refused.stdout + refused.stderr) == []


def test_no_secret_in_the_report_the_mail_or_the_database(secret_run) -> None:
    config, result, _, _, _, mails = secret_run
    summary = json.loads(result.stdout)
    html = Path(summary["report"]["html"]).read_text(encoding="utf-8")
    assert leaks(html) == []
    assert leaks(pdf_text(Path(summary["report"]["pdf"]))) == []
    assert leaks(mails[0].raw.decode("utf-8", "replace")) == []
    for db_file in config.parent.glob("r.db*"):  # the database, its WAL and shared memory
        assert leaks(db_file.read_bytes().decode("utf-8", "replace")) == [], db_file.name


def test_source_health_redacts_urls_with_a_key(secret_run) -> None:
    _, result, _, _, _, _ = secret_run
    summary = json.loads(result.stdout)
    failed = summary["fetch"]["failed"]
    assert "key=***" in failed["echo"], failed  # the page echoed the URL: shown, key masked
    assert "HTTP 404" in failed["moved"]
    html = Path(summary["report"]["html"]).read_text(encoding="utf-8")
    assert "key=***" in html
