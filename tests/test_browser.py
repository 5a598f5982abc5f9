"""The HTML briefing in a real browser at phone width: Debian's chromium, headless, fresh profile.

Every request the browser makes is sent through a counting proxy on 127.0.0.1 (loopback
included), so "no request left the machine" is measured, not assumed.  A
test-only page with a few lines of script measures the report's width in a phone-sized frame; the
report itself carries no script.
Skips when chromium is not installed (`make test` installs it; see the Makefile).
"""

from __future__ import annotations

import http.server
import re
import shutil
import socketserver
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from briefing_data import make_report

from reportgen.report.render import render_html

BROWSER = next((p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None)
pytestmark = pytest.mark.skipif(BROWSER is None, reason="chromium not installed (apt-get install chromium)")
PHONE = (390, 844)
# Headless chromium will not make a window narrower than 500 px for --dump-dom, so the report is
# measured inside an iframe of phone width (its media queries see 390 px), from a test-only page.
MEASURE = """<!DOCTYPE html><html><body style="margin:0">
<iframe id="r" src="{src}" style="border:0;width:{w}px;height:{h}px"></iframe>
<pre id="probe">pending</pre>
<script>
document.getElementById("r").addEventListener("load", (event) => {{
  const doc = event.target.contentDocument.documentElement;
  document.getElementById("probe").textContent =
    `scroll=${{doc.scrollWidth}} inner=${{event.target.contentWindow.innerWidth}}`;
}});
</script></body></html>"""


@pytest.fixture
def proxy() -> Iterator[list[str]]:
    with _proxy() as seen:
        yield seen


@contextmanager
def _proxy() -> Iterator[list[str]]:
    """An HTTP proxy that answers every request (CONNECT included) with 502 and records it; the
    first entry is ``port N``."""
    seen: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def _refuse(self) -> None:
            seen.append(f"{self.command} {self.path}")
            self.send_response(502)
            self.send_header("Content-Length", "0")
            self.end_headers()

        do_GET = do_POST = do_HEAD = do_CONNECT = do_PUT = do_OPTIONS = _refuse  # noqa: N815

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

    class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
        daemon_threads = True

    server = Server(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    seen.append(f"port {server.server_address[1]}")
    try:
        yield seen
    finally:
        server.shutdown()
        server.server_close()


def chromium(profile: Path, proxy_port: str, *args: str) -> subprocess.CompletedProcess[str]:
    assert BROWSER is not None
    return subprocess.run(
        [BROWSER, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--no-first-run", "--no-default-browser-check", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--allow-file-access-from-files", f"--user-data-dir={profile}",
         # the browser's own services (updater, sign-in, time, hints) must not muddy the count
         "--disable-extensions", "--disable-component-extensions-with-background-pages", "--disable-default-apps",
         "--disable-client-side-phishing-detection", "--disable-domain-reliability", "--no-pings",
         "--metrics-recording-only", "--disable-breakpad",
         "--disable-features=NetworkTimeServiceQuerying,OptimizationHints,OptimizationGuideModelDownloading,"
         "Translate,MediaRouter,AutofillServerCommunication,CertificateTransparencyComponentUpdater", f"--proxy-server=http://127.0.0.1:{proxy_port}",
         "--proxy-bypass-list=<-loopback>", f"--window-size={PHONE[0]},{PHONE[1]}", "--hide-scrollbars",
         "--virtual-time-budget=3000", *args],
        capture_output=True, text=True, timeout=90, check=False)


def host(request_line: str) -> str:
    """``CONNECT h:443`` or ``GET http://h/p`` → ``h``."""
    target = request_line.split(" ", 1)[1]
    return urlsplit(target).hostname or "" if "://" in target else target.rsplit(":", 1)[0]


@pytest.fixture(scope="module")
def browser_own_hosts(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    """The hosts the browser calls by itself (updater, sign-in) even with background networking off,
    found by loading a blank page; and proof that the proxy does see a page's own requests."""
    folder = tmp_path_factory.mktemp("baseline")
    with _proxy() as seen:
        port = seen.pop(0).split()[1]
        blank = folder / "blank.html"
        blank.write_text("<!DOCTYPE html><title>blank</title>", encoding="utf-8")
        chromium(folder / "profile-blank", port, "--dump-dom", blank.as_uri())
        own = {host(r) for r in seen}
        seen.clear()
        canary = folder / "canary.html"
        canary.write_text('<!DOCTYPE html><img src="http://canary.invalid/x.png">', encoding="utf-8")
        chromium(folder / "profile-canary", port, "--dump-dom", canary.as_uri())
        assert "canary.invalid" in {host(r) for r in seen}, f"the proxy missed a page's request: {seen}"
    assert "canary.invalid" not in own
    return own


def test_phone_width_no_overflow_no_network(tmp_path: Path, proxy: list[str], browser_own_hosts: set[str]) -> None:
    """The weekly briefing: every section of the daily one plus its widest tables."""
    port = proxy.pop(0).split()[1]
    html = render_html(make_report("zh", "weekly"))
    report = tmp_path / "report.html"
    report.write_text(html, encoding="utf-8")
    measured = tmp_path / "measured.html"
    measured.write_text(MEASURE.format(src=report.name, w=PHONE[0], h=PHONE[1]), encoding="utf-8")

    shot = tmp_path / "phone.png"
    result = chromium(tmp_path / "profile-shot", port, f"--screenshot={shot}", report.as_uri())
    assert shot.is_file(), result.stderr[-2000:]
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG")
    assert int.from_bytes(data[16:20], "big") == PHONE[0]

    dom = chromium(tmp_path / "profile-dom", port, "--dump-dom", measured.as_uri())
    probe = re.search(r"scroll=(\d+) inner=(\d+)", dom.stdout)
    assert probe, dom.stderr[-2000:]
    scroll, inner = map(int, probe.groups())
    assert inner == PHONE[0]
    assert scroll <= inner, f"the page scrolls sideways at phone width: {scroll}px wide in a {inner}px viewport"

    from_the_page = [r for r in proxy if host(r) not in browser_own_hosts]
    assert from_the_page == [], f"the report made the browser fetch: {from_the_page}"


# What the layout test measures inside the report's frame: every table cell holds its content (a
# cell whose content is wider than the cell spills over the next column), consecutive blocks of a
# section do not overlap, each chart fits its container and the viewport, nothing makes the page
# scroll sideways, and the trend table's latest day is in view without scrolling.
LAYOUT = """<!DOCTYPE html><html><body style="margin:0">
<iframe id="r" src="{src}" style="border:0;width:{w}px;height:{h}px"></iframe>
<pre id="probe">pending</pre>
<script>
function box(el) {{ const r = el.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; }}
function name(el) {{
  const section = el.closest("section");
  return (section ? section.id + " " : "") + el.tagName.toLowerCase() + (el.className ? "." + el.className : "")
    + " «" + (el.textContent || "").trim().slice(0, 24) + "»";
}}
document.getElementById("r").addEventListener("load", (event) => {{
  const win = event.target.contentWindow, doc = event.target.contentDocument, problems = [];
  const width = win.innerWidth;
  const page = doc.documentElement.scrollWidth;
  if (page > width) problems.push(`page scrolls sideways: ${{page}} > ${{width}}`);
  for (const cell of doc.querySelectorAll("table.data td, table.data th")) {{
    if (cell.offsetParent === null) continue;  // hidden (the trend table's older days on a phone)
    if (cell.scrollWidth > cell.clientWidth + 1)
      problems.push(`spills out of its cell: ${{name(cell)}} ${{cell.scrollWidth}} > ${{cell.clientWidth}}`);
  }}
  for (const row of doc.querySelectorAll("table.data tr")) {{
    const cells = [...row.children].filter((c) => c.offsetParent !== null).map(box);
    for (let i = 1; i < cells.length; i++)
      if (cells[i][0] < cells[i - 1][2] - 1) problems.push(`cells overlap in ${{name(row)}}`);
  }}
  for (const step of doc.querySelectorAll("ol.timeline li")) {{  // time | what happened, side by side
    for (const part of step.children)
      if (part.scrollWidth > part.clientWidth + 1) problems.push(`spills over the next column: ${{name(part)}}`);
  }}
  for (const section of doc.querySelectorAll("section")) {{
    const blocks = [...section.children].filter((c) => c.offsetParent !== null && c.getBoundingClientRect().height > 0);
    for (let i = 1; i < blocks.length; i++) {{
      const a = box(blocks[i - 1]), b = box(blocks[i]);
      if (b[1] < a[3] - 1 && b[0] < a[2] && a[0] < b[2])
        problems.push(`overlap: ${{name(blocks[i - 1])}} / ${{name(blocks[i])}}`);
    }}
    const right = section.getBoundingClientRect().right;
    for (const el of section.querySelectorAll("figure, img, table, ol, ul, p, div")) {{
      const r = el.getBoundingClientRect();
      const edge = Math.min(right, width);
      if (el.offsetParent !== null && r.width > 0 && r.right > edge + 1)
        problems.push(`cut off on the right: ${{name(el)}} ${{r.right}} > ${{edge}}`);
    }}
  }}
  for (const img of doc.querySelectorAll("figure img")) {{
    const f = img.parentElement.getBoundingClientRect(), r = img.getBoundingClientRect();
    if (r.width > f.width + 1 || r.right > width)
      problems.push(`chart wider than its place: ${{name(img)}} ${{r.width}} > ${{f.width}}`);
  }}
  const trend = doc.querySelector("table.trend-table");
  let latest = "";
  if (trend) {{
    const head = [...trend.querySelectorAll("thead th")].filter((c) => c.offsetParent !== null);
    latest = head[head.length - 1].textContent.trim();
    if (trend.scrollWidth > trend.clientWidth + 1) problems.push("the trend table must scroll to show the latest day");
    const last = box(head[head.length - 1]);
    if (last[2] > width) problems.push(`the latest day is out of view: ${{last[2]}} > ${{width}}`);
  }}
  document.getElementById("probe").textContent = JSON.stringify({{width, latest, problems}});
}});
</script></body></html>"""


@pytest.mark.parametrize("language", ["zh", "en"])
@pytest.mark.parametrize("period", ["daily", "weekly"])
@pytest.mark.parametrize("width", [PHONE[0], 1280])
def test_layout_no_overlap_nothing_cut_off(tmp_path: Path, proxy: list[str], period: str, width: int,
                                           language: str) -> None:
    """Issue 16: at 390 px (a phone) and 1280 px (a desk) no column spills over the next, no block
    covers another, charts scale to the width (the latest days stay in view), nothing is cut off.
    Screenshots are written beside the test's files (``phone-daily-zh.png`` …)."""
    port = proxy.pop(0).split()[1]
    report = tmp_path / "report.html"
    report.write_text(render_html(make_report(language, period)), encoding="utf-8")
    height = 2400
    measured = tmp_path / "layout.html"
    measured.write_text(LAYOUT.format(src=report.name, w=width, h=height), encoding="utf-8")
    dom = chromium(tmp_path / "profile-layout", port, f"--window-size={max(width, 500)},{height}", "--dump-dom",
                   measured.as_uri())
    probe = re.search(r'<pre id="probe">(\{.*?\})</pre>', dom.stdout, re.S)
    assert probe, dom.stderr[-2000:]
    import html as html_lib
    import json

    found = json.loads(html_lib.unescape(probe.group(1)))
    assert found["width"] == width
    assert found["problems"] == [], "\n".join(found["problems"])
    assert found["latest"] == ("5/20" if period == "daily" else "5/26")  # the trend table ends with the period

    shot = tmp_path / f"{'phone' if width == PHONE[0] else 'desk'}-{period}-{language}.png"
    result = chromium(tmp_path / "profile-shot", port, f"--window-size={width},{height}", f"--screenshot={shot}",
                      report.as_uri())
    assert shot.is_file(), result.stderr[-2000:]
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG") and int.from_bytes(data[16:20], "big") == width
