"""Shared parts of the robustness suite: real processes, a real feed server, SQLite checks, HTML audits.

Everything here is a real part (a subprocess running ``python -m reportgen.cli``, FeedServer on
127.0.0.1, SQLite files, WeasyPrint); nothing of reportgen is mocked.
"""

from __future__ import annotations

import base64
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from reportgen.demo.data import DemoFeed, demo_config_toml, generate_demo_feeds
from reportgen.demo.feedserver import FeedServer, Route

REPO = Path(__file__).resolve().parents[2]
SHANGHAI = ZoneInfo("Asia/Shanghai")


def shared_data() -> Path:
    """``../shared/data`` beside the repository, or ``$REPORTGEN_SHARED_DATA``."""
    configured = os.environ.get("REPORTGEN_SHARED_DATA")
    return Path(configured) if configured else REPO.parent / "shared" / "data"


def yesterday(now: datetime | None = None) -> date:
    """The day a default daily run reports on: yesterday in Asia/Shanghai."""
    return ((now or datetime.now(UTC)).astimezone(SHANGHAI) - timedelta(days=1)).date()


# --- reportgen in a real process -----------------------------------------------------------------


def cli_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("REPORTGEN_", "RSSHUB_"))}
    env.update(PYTHONUNBUFFERED="1", **extra)
    return env


def start_reportgen(config: Path, *args: str, env: dict[str, str] | None = None,
                    stdout: object = subprocess.PIPE, stderr: object = subprocess.PIPE) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "reportgen.cli", "--config", str(config), *args],
                            stdout=stdout, stderr=stderr, text=True, env=env or cli_env())  # type: ignore[arg-type]


def reportgen(config: Path, *args: str, env: dict[str, str] | None = None,
              timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """``reportgen --config CONFIG ARGS`` in a subprocess; stdout and stderr captured."""
    return subprocess.run([sys.executable, "-m", "reportgen.cli", "--config", str(config), *args],
                          capture_output=True, text=True, env=env or cli_env(), timeout=timeout)


# --- the demo feeds, served for real --------------------------------------------------------------


@dataclass
class DemoSite:
    """Three days of generated bank news (12 feeds, every format) on a local server."""

    server: FeedServer
    feeds: list[DemoFeed]
    now: datetime

    @property
    def day(self) -> date:
        return yesterday(self.now)

    def config(self, folder: Path, *, database: str = "r.db", output_dir: str = "out", extra: str = "") -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        text = demo_config_toml(self.server.base_url, database=f"sqlite:///{database}", output_dir=output_dir)
        path = folder / "sources.toml"
        path.write_text(text + "\n" + extra, encoding="utf-8")
        return path


@pytest.fixture(scope="module")
def demo_site() -> Iterator[DemoSite]:
    """Served without ETag or Last-Modified: every run gets a 200 and parses every feed again, so runs
    after the first are alike (same source health, no 304s) and can be compared with each other."""
    now = datetime.now(UTC)
    feeds = generate_demo_feeds(now, days=3)
    routes = {f.path: Route(f.body, f.content_type, etag=None, last_modified=None) for f in feeds}
    with FeedServer(routes) as server:
        yield DemoSite(server, feeds, now)


# --- the database after the fact ------------------------------------------------------------------


def sqlite_file(config: Path, name: str = "r.db") -> Path:
    return config.parent / name


def db_problems(db: Path) -> list[str]:
    """What is wrong with a reportgen database: integrity, duplicates, orphans.  Empty when sound."""
    problems: list[str] = []
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        check = [row[0] for row in con.execute("PRAGMA integrity_check")]
        if check != ["ok"]:
            problems.append(f"integrity_check: {check[:5]}")
        fk = con.execute("PRAGMA foreign_key_check").fetchall()
        if fk:
            problems.append(f"foreign_key_check: {fk[:5]}")
        queries = {
            "duplicate item ids": "SELECT item_id, COUNT(*) FROM items GROUP BY item_id HAVING COUNT(*) > 1",
            # the same entry stored twice under different ids would show up here
            "duplicate items (source, url, title)":
                "SELECT source_id, url, title, COUNT(*) FROM items WHERE url IS NOT NULL "
                "GROUP BY source_id, url, title HAVING COUNT(*) > 1",
            "duplicate mentions": "SELECT item_id, bank_id, COUNT(*) FROM mentions GROUP BY item_id, bank_id "
                                  "HAVING COUNT(*) > 1",
            "duplicate scores": "SELECT item_id, bank_id, COUNT(*) FROM scores GROUP BY item_id, bank_id "
                                "HAVING COUNT(*) > 1",
            "mentions without item": "SELECT m.item_id FROM mentions m LEFT JOIN items i USING (item_id) "
                                     "WHERE i.item_id IS NULL",
            "scores without mention": "SELECT s.item_id FROM scores s LEFT JOIN mentions m "
                                      "ON m.item_id = s.item_id AND m.bank_id = s.bank_id WHERE m.item_id IS NULL",
        }
        for what, query in queries.items():
            rows = con.execute(query).fetchall()
            if rows:
                problems.append(f"{what}: {rows[:3]}")
    finally:
        con.close()
    return problems


def db_rows(db: Path, query: str) -> list[tuple[object, ...]]:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return con.execute(query).fetchall()
    finally:
        con.close()


# --- HTML audits ---------------------------------------------------------------------------------

ACTIVE_TAGS = frozenset({"script", "iframe", "frame", "object", "embed", "applet", "link", "meta", "base",
                         "form", "input", "button", "svg", "math", "video", "audio", "source", "portal"})
URL_ATTRS = frozenset({"href", "src", "srcset", "action", "formaction", "poster", "background", "data",
                       "xlink:href", "ping", "lowsrc", "dynsrc", "cite", "longdesc", "manifest"})
_CSS_URL = re.compile(r"url\s*\(|@import|expression\s*\(", re.I)
# Our own charts are embedded as data: images (reportgen.charts); nothing else may be.
_OWN_IMAGE = re.compile(r"^data:image/(?:svg\+xml|png);base64,[A-Za-z0-9+/=]+$")


class HtmlAudit(HTMLParser):
    """Parses a document and lists everything that could run code or fetch something."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.tags: list[str] = []
        self.images: list[str] = []
        self.text: list[str] = []
        self._stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self._stack.append(tag)
        # a <source> inside <picture> only offers another image (the charts' narrow versions): its srcset is
        # audited as an <img src> is; anywhere else (video, audio) it is active
        own_picture = tag == "source" and len(self._stack) > 1 and self._stack[-2] == "picture"
        if tag in ACTIVE_TAGS and not (tag == "meta" and _harmless_meta(attrs)) and not own_picture:
            self.problems.append(f"<{tag}> element: {attrs}")
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self.problems.append(f"event handler {name}={value!r} on <{tag}>")
            elif name in URL_ATTRS:
                self._url(tag, name, value)
            elif name == "style" and _CSS_URL.search(value):
                self.problems.append(f"style attribute loading something on <{tag}>: {value!r}")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        self._stack.pop()

    def handle_endtag(self, tag: str) -> None:
        if tag in self._stack:
            while self._stack and self._stack.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._stack and self._stack[-1] == "style" and _CSS_URL.search(data):
            for match in re.finditer(r"url\s*\(([^)]*)\)", data, re.I):
                target = match.group(1).strip(" '\"")
                if not target.startswith("data:"):
                    self.problems.append(f"stylesheet loads {target!r}")
            if re.search(r"@import|expression\s*\(", data, re.I):
                self.problems.append("stylesheet with @import or expression()")

    def _url(self, tag: str, name: str, value: str) -> None:
        stripped = re.sub(r"[\x00-\x20]", "", value).lower()
        if tag == "a" and name == "href":
            if not (stripped.startswith(("http://", "https://", "#", "mailto:")) or stripped == ""):
                self.problems.append(f"<a href={value!r}>")
        elif (tag == "img" and name == "src") or (tag == "source" and name == "srcset"
                                                  and self._stack[-2:-1] == ["picture"]):
            self.images.append(value)
            if not _OWN_IMAGE.match(value):
                self.problems.append(f"<img src={value[:120]!r}>")
            elif value.startswith("data:image/svg+xml"):
                svg = base64.b64decode(value.split(",", 1)[1]).decode("utf-8", "replace").lower()
                if "<script" in svg or re.search(r"\bon\w+\s*=", svg) or "href=\"http" in svg:
                    self.problems.append("an embedded SVG with script, handlers or remote links")
        else:
            self.problems.append(f"{name}={value[:120]!r} on <{tag}>")


def _harmless_meta(attrs: list[tuple[str, str | None]]) -> bool:
    names = {k for k, _ in attrs}
    return "http-equiv" not in names or dict(attrs).get("http-equiv", "").lower() == "content-type"


def audit_html(html: str) -> HtmlAudit:
    audit = HtmlAudit()
    audit.feed(html)
    audit.close()
    return audit


def pdf_text(pdf: Path) -> str:
    tool = shutil.which("pdftotext")
    if tool is None:
        pytest.skip("pdftotext not on PATH (install poppler-utils to read the PDF back)")
    return subprocess.run([tool, "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
