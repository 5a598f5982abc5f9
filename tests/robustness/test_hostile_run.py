"""A whole run must survive one bad source and stop cleanly when told to: real processes, a real feed
server, real SQLite.

- a JSON Feed with a lone surrogate in its title, beside good feeds: the good feeds are stored and the
  report is made (it used to cost the whole run: exit 1, nothing stored, no report);
- a source whose content makes ingest fail in a way nobody foresaw fails alone;
- SIGTERM during the fetch: exit 143, the run lock released, the run's row closed as ``interrupted``,
  the sources already fetched kept;
- SIGKILL during the fetch: the sources that had arrived are stored (bodies are parsed and stored as
  they arrive, not after the last one).
"""

from __future__ import annotations

import json
import signal
import time
from pathlib import Path

from reportgen.config.core import parse_config_text
from reportgen.demo.feedserver import FeedServer, Hang, Route
from reportgen.flow.pipeline import run_fetch
from reportgen.flow.runner import stop_on_sigterm
from reportgen.store.db import Store

from .conftest import cli_env, db_rows, reportgen, start_reportgen

BANKS = """
[[banks]]
id = "cmb"
name = "招商银行"
aliases = ["招行"]
role = "self"
"""


def _rss(title: str, n: int = 3, prefix: str = "good") -> bytes:
    entries = "".join(
        f"<item><title>{title} {i}</title><link>https://news.example.cn/{prefix}/{i}</link>"
        f"<guid>{prefix}-{i}</guid><pubDate>Sat, 05 Dec 2026 0{i}:00:00 +0800</pubDate>"
        f"<description>招商银行 消息 {i}</description></item>" for i in range(n))
    return (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>{prefix}</title>'
            f"<link>https://news.example.cn/</link>{entries}</channel></rss>").encode()


def _config(folder: Path, base: str, paths: list[str], *, timeout_s: float = 30) -> Path:
    sources = "".join(f'\n[[sources]]\nid = "s{i}"\nname = "来源{i}"\nurl = "{base}{p}"\nchannel = "online"\n'
                      for i, p in enumerate(paths))
    text = (f'[settings]\ntimezone = "Asia/Shanghai"\ndatabase = "sqlite:///r.db"\noutput_dir = "out"\n'
            f"[fetch]\ntimeout_s = {timeout_s}\nretries = 0\n{sources}{BANKS}")
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "sources.toml"
    path.write_text(text, encoding="utf-8")
    return path


# The JSON escape of a lone high surrogate: valid JSON, but no UTF-8 string can hold it.
SURROGATE_FEED = ('{"version": "https://jsonfeed.org/version/1.1", "title": "bad \\ud800 feed", "items": ['
                  '{"id": "x1", "url": "https://bad.example.cn/1", "title": "招商银行 \\ud800 标题",'
                  ' "content_text": "招商银行 \\udfff 正文", "date_published": "2026-12-05T08:00:00+08:00"}]}')


def test_a_lone_surrogate_in_one_feed_does_not_cost_the_run(tmp_path: Path) -> None:
    routes = {"/good.xml": Route(_rss("招商银行 新闻"), "application/rss+xml"),
              "/bad.json": Route(SURROGATE_FEED.encode(), "application/feed+json")}
    with FeedServer(routes) as server:
        config = _config(tmp_path, server.base_url, ["/good.xml", "/bad.json"])
        done = reportgen(config, "run", "daily", "--no-send", "--json", "--date", "2026-12-05")
    assert done.returncode in (0, 7), done.stderr  # 7: some source failed; never 1 (the whole run lost)
    summary = json.loads(done.stdout)
    assert summary["fetch"]["items_new"] >= 3
    assert Path(summary["report"]["pdf"]).is_file()
    stored = db_rows(tmp_path / "r.db", "SELECT title FROM items WHERE source_id = 's0'")
    assert len(stored) == 3


def test_a_source_that_breaks_ingest_fails_alone(tmp_path: Path, monkeypatch) -> None:
    """Whatever a body does to the parser (here: a parser bug, simulated at the edge), that source fails
    with the reason in its health record and every other source is stored."""
    import reportgen.ingest.parse as parsing

    real = parsing.parse_feed

    def parse(source_id, body, *args, **kwargs):  # type: ignore[no-untyped-def]
        if source_id == "s1":
            raise UnicodeEncodeError("utf-8", "\ud800", 0, 1, "surrogates not allowed")
        return real(source_id, body, *args, **kwargs)

    # flow.sources imports parse_feed when a body arrives (a 304 never loads the parser): patch it at home
    monkeypatch.setattr(parsing, "parse_feed", parse)
    routes = {"/a.xml": Route(_rss("招商银行 甲", prefix="a"), "application/rss+xml"),
              "/b.xml": Route(_rss("招商银行 乙", prefix="b"), "application/rss+xml")}
    with FeedServer(routes) as server:
        path = _config(tmp_path, server.base_url, ["/a.xml", "/b.xml"])
        config = parse_config_text(path.read_text(encoding="utf-8"), path)
        summary = run_fetch(config)
    health = {h.source_id: h for h in summary.sources}
    assert health["s0"].status == "ok" and health["s0"].new_count == 3
    assert health["s1"].status == "failed" and "UnicodeEncodeError" in (health["s1"].error or "")
    rows = db_rows(tmp_path / "r.db", "SELECT status, error FROM source_health WHERE source_id = 's1'")
    assert rows and rows[0][0] == "failed"


def _slow_site(hang_s: float) -> dict[str, Route]:
    return {"/fast.xml": Route(_rss("招商银行 快讯", prefix="fast"), "application/rss+xml"),
            "/slow.xml": Hang(hang_s)}


def _wait_for_rows(db: Path, query: str, deadline_s: float = 30) -> list[tuple[object, ...]]:
    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        try:
            rows = db_rows(db, query)
            if rows:
                return rows
        except Exception:  # the database is being created
            pass
        time.sleep(0.05)
    raise AssertionError(f"nothing in {db} for {query!r} after {deadline_s} s")


def test_sigterm_during_fetch_keeps_what_arrived_closes_the_run_and_releases_the_lock(tmp_path: Path) -> None:
    with FeedServer(_slow_site(60)) as server:
        config = _config(tmp_path, server.base_url, ["/fast.xml", "/slow.xml"], timeout_s=60)
        proc = start_reportgen(config, "fetch")
        # the fast source is stored while the slow one is still downloading
        _wait_for_rows(tmp_path / "r.db", "SELECT item_id FROM items WHERE source_id = 's0'")
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=30)
    assert proc.returncode == 143, err
    assert "SIGTERM" in err and "Traceback" not in err
    runs = db_rows(tmp_path / "r.db", "SELECT status, finished_at FROM runs")
    assert runs == [("interrupted", runs[0][1])] and runs[0][1] is not None
    assert len(db_rows(tmp_path / "r.db", "SELECT item_id FROM items WHERE source_id = 's0'")) == 3
    # the lock is free: another run starts at once instead of waiting for it
    again = reportgen(config, "config", "check")
    assert again.returncode == 0
    with FeedServer({"/fast.xml": Route(_rss("招商银行 快讯", prefix="fast"), "application/rss+xml"),
                     "/slow.xml": Route(_rss("招商银行 慢讯", prefix="slow"), "application/rss+xml")}) as server2:
        config2 = _config(tmp_path, server2.base_url, ["/fast.xml", "/slow.xml"])
        rerun = reportgen(config2, "fetch", "--json", env=cli_env())
    assert rerun.returncode == 0, rerun.stderr
    assert json.loads(rerun.stdout)["items_new"] == 3  # the slow source's items; the fast ones were kept


def test_sigkill_during_fetch_keeps_the_sources_that_had_arrived(tmp_path: Path) -> None:
    with FeedServer(_slow_site(60)) as server:
        config = _config(tmp_path, server.base_url, ["/fast.xml", "/slow.xml"], timeout_s=60)
        proc = start_reportgen(config, "fetch")
        rows = _wait_for_rows(tmp_path / "r.db", "SELECT item_id FROM items WHERE source_id = 's0'")
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    assert len(db_rows(tmp_path / "r.db", "SELECT item_id FROM items WHERE source_id = 's0'")) == 3
    assert rows


def test_stop_on_sigterm_restores_the_previous_handler() -> None:
    before = signal.getsignal(signal.SIGTERM)
    with stop_on_sigterm():
        assert signal.getsignal(signal.SIGTERM) is not before
    assert signal.getsignal(signal.SIGTERM) is before


def test_an_interrupted_in_process_fetch_closes_its_run_row(tmp_path: Path) -> None:
    """The library path too: an exception out of the fetch (here Ctrl-C) closes the run as interrupted."""
    with FeedServer({"/a.xml": Route(_rss("招商银行 甲", prefix="a"), "application/rss+xml")}) as server:
        path = _config(tmp_path, server.base_url, ["/a.xml"])
        config = parse_config_text(path.read_text(encoding="utf-8"), path)

        def stop(result: object) -> None:
            raise KeyboardInterrupt

        try:
            run_fetch(config, progress=stop)
        except KeyboardInterrupt:
            pass
    store = Store.open(config.settings.database)
    assert store.table_counts()["runs"] == 1
    assert db_rows(tmp_path / "r.db", "SELECT status FROM runs") == [("interrupted",)]


RLO = "\u202e"


def test_a_right_to_left_override_in_a_title_cannot_reorder_the_report(tmp_path: Path) -> None:
    """An unterminated U+202E in a headline stays in the text but is isolated (FSI … PDI) wherever the
    report sets it, so the sentence around it keeps its order, in the HTML and in the PDF."""
    title = f"招商银行{RLO}系统故障 客户无法登录"
    feed = _rss(title, n=3, prefix="rlo").replace(f"{title} 1".encode(), "招商银行 普通消息".encode())
    with FeedServer({"/rlo.xml": Route(feed, "application/rss+xml")}) as server:
        config = _config(tmp_path, server.base_url, ["/rlo.xml"])
        done = reportgen(config, "run", "daily", "--no-send", "--json", "--date", "2026-12-05")
    assert done.returncode == 0, done.stderr
    paths = json.loads(done.stdout)["report"]
    html = Path(paths["html"]).read_text(encoding="utf-8")
    positions = [i for i, ch in enumerate(html) if ch == RLO]
    assert positions, "the override is kept in the text"
    for at in positions:
        opened = html.rfind("\u2068", 0, at)
        assert opened != -1 and "\u2069" not in html[opened:at] and "<" not in html[opened:at], html[at - 80:at + 80]
        closed = html.find("\u2069", at)
        assert closed != -1 and "<" not in html[at:closed]
    import subprocess

    text = subprocess.run(["pdftotext", "-layout", paths["pdf"], "-"], capture_output=True, text=True).stdout
    # inside the isolate the override still turns the headline round, as its author wrote it; the
    # report's own words after it keep their order
    for words in ("首发于", "转载", "风险类别", "触发预警"):
        assert words in text and words[::-1] not in text, words


def test_five_thousand_banks_make_a_short_report(tmp_path: Path) -> None:
    """The peer tables and chart list the 20 most mentioned banks (``report.peers_max``) and the bank
    itself, then one line for the rest; the PDF stays a few pages instead of a thousand."""
    import re
    import subprocess

    names = [f"测试{i:04d}银行" for i in range(5000)]
    banks = "".join(f'\n[[banks]]\nid = "b{i}"\nname = "{n}"\nrole = "competitor"\n' for i, n in enumerate(names))
    feed = _rss("招商银行 与 " + "、".join(names[:30]), n=5, prefix="many")
    with FeedServer({"/many.xml": Route(feed, "application/rss+xml")}) as server:
        config = _config(tmp_path, server.base_url, ["/many.xml"])
        config.write_text(config.read_text(encoding="utf-8") + banks, encoding="utf-8")
        done = reportgen(config, "run", "daily", "--no-send", "--json", "--date", "2026-12-05", timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    paths = json.loads(done.stdout)["report"]
    html = Path(paths["html"]).read_text(encoding="utf-8")
    peers = html[html.index('id="banks"'):]
    peers = peers[:peers.index("</section>")]
    assert len(re.findall(r'<tr class="role-', peers)) == 20  # the 20 most mentioned, the bank itself among them
    assert re.search(r"其余 4,?981 家银行", peers)
    pages = subprocess.run(["pdfinfo", paths["pdf"]], capture_output=True, text=True).stdout
    assert int(re.search(r"Pages:\s+(\d+)", pages).group(1)) <= 12  # type: ignore[union-attr]


def test_an_unusable_validator_header_is_a_warning_in_the_source_health(tmp_path: Path) -> None:
    class RawEtag(Route):
        def respond(self, h) -> None:  # type: ignore[no-untyped-def]
            body = _rss("招商银行 消息", prefix="etag")
            h.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nETag: \"\xc3\xa9\xe4\xb8\xad\"\r\n"
                          + f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode() + body)
            h.close_connection = True

    with FeedServer({"/e.xml": RawEtag()}) as server:
        path = _config(tmp_path, server.base_url, ["/e.xml"])
        config = parse_config_text(path.read_text(encoding="utf-8"), path)
        summary = run_fetch(config)
    health = summary.sources[0]
    assert health.status == "ok" and health.new_count == 3
    assert health.warning and "etag" in health.warning
