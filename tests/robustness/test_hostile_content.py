"""Titles, summaries and links written to attack a reader: nothing runs and nothing is fetched, in the
HTML report, in the mail or in the PDF renderer.

A feed server on 127.0.0.1 serves hostile RSS, Atom and JSON Feed items, each naming 工商银行 so it
reaches the report, and "bait" URLs (images, stylesheets, frames) that the items point at.  The bait
paths count every request: after a whole ``run`` (fetch → score → report → mail to a real SMTP
server) not one request may have reached them.  The report and the mail body are parsed with
``html.parser`` and checked element by element.
"""

from __future__ import annotations

import base64
import json
import logging
from datetime import UTC, datetime
from pathlib import Path

import pytest
from mailserver import MailServer, write_config

from reportgen.config.core import load_config
from reportgen.demo.feedserver import FeedServer, Route
from reportgen.flow.runner import run
from reportgen.report.mailbody import _inliner
from reportgen.report.render import write_pdf

from .conftest import audit_html, pdf_text, yesterday

JSON_FEED = "application/feed+json"


def hostile_rss(bait: str, day: str) -> bytes:
    d = f"<pubDate>{day} 08:00:00</pubDate>"
    description = (
        f'<p onclick="alert(7)">工商银行 XSS-7</p><img src="{bait}/desc.png" onerror="alert(7)">'
        f"<style>body{{background:url({bait}/style.css)}}</style>"
        f'<div style="background-image:url({bait}/inline.png)">x</div>'
        f'<link rel="stylesheet" href="{bait}/link.css"><iframe src="{bait}/frame"></iframe>'
        f'<svg onload="alert(7)"><a xlink:href="javascript:alert(7)">s</a></svg>'
        f'<a href="javascript:alert(7)">click</a><object data="{bait}/object"></object>'
        f'<meta http-equiv="refresh" content="0;url={bait}/refresh"><base href="{bait}/">'
    )
    esc = description.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>&lt;script&gt;alert('feed')&lt;/script&gt;</title>
<link>https://hostile.example/</link>
<item><title><![CDATA[<script>alert('XSS-1')</script>工商银行 XSS-1]]></title><link>https://hostile.example/1</link>{d}</item>
<item><title>工商银行 XSS-2 &lt;img src="{bait}/title.png" onerror="alert(2)"&gt;</title>
  <link>https://hostile.example/2</link>{d}</item>
<item><title>工商银行 XSS-3 javascript link</title><link>javascript:alert('XSS-3')</link><guid>x3</guid>{d}</item>
<item><title>工商银行 XSS-4 data link</title>
  <link>data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==</link><guid>x4</guid>{d}</item>
<item><title>工商银行 XSS-5 mixed-case link</title><link>  JaVaScRiPt:alert(5)</link><guid>x5</guid>{d}</item>
<item><title>工商银行 XSS-6 quote breakout</title>
  <link>https://hostile.example/6?q="&gt;&lt;script&gt;alert(6)&lt;/script&gt;</link>{d}</item>
<item><title>工商银行 XSS-7 summary</title><link>https://hostile.example/7</link>{d}
  <description>{esc}</description></item>
<item><title><![CDATA[工商银行 XSS-8 </style><style>@import url({bait}/import.css);</style>]]></title>
  <link>https://hostile.example/8</link>{d}</item>
<item><title>工商银行 XSS-9 SSTI-{{{{ 7*7 }}}} {{% raw %}}</title><link>https://hostile.example/9</link>{d}</item>
<item><title>工商银行 XSS-10 &#x202E;gnp.exe&#x200B;</title><link>https://hostile.example/10</link>{d}</item>
<item><title>工商银行 XSS-13&#13;&#10;Bcc: victim@evil.example</title><link>https://hostile.example/13</link>{d}</item>
</channel></rss>""".encode()


def hostile_atom(bait: str, day: str) -> bytes:
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>atom</title><id>urn:x</id><updated>{day}T08:00:00+08:00</updated>
<entry><id>urn:x:11</id><updated>{day}T08:00:00+08:00</updated>
  <title type="html">&lt;b onmouseover="alert(11)"&gt;工商银行 XSS-11&lt;/b&gt;</title>
  <link href="javascript:alert(11)"/>
  <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><script>alert(11)</script>
  <img src="{bait}/atom.png" onerror="alert(11)"/>工商银行 XSS-11 正文</div></content></entry>
</feed>""".encode()


def hostile_json(bait: str, day: str) -> bytes:
    return json.dumps({
        "version": "https://jsonfeed.org/version/1.1", "title": "json",
        "items": [{
            "id": "j12", "url": "javascript:alert(12)", "external_url": f"{bait}/external",
            "title": "<img src=x onerror=alert(12)>工商银行 XSS-12",
            "content_html": f"<script>alert(12)</script><img src='{bait}/json.png'>工商银行 XSS-12 正文",
            "image": f"{bait}/json-image.png", "banner_image": f"{bait}/banner.png",
            "date_published": f"{day}T08:00:00+08:00",
            "authors": [{"name": "<script>alert(12)</script>", "avatar": f"{bait}/avatar.png"}],
        }],
    }, ensure_ascii=False).encode()


MARKERS = [f"XSS-{n}" for n in (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13)]


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory):
    """One real run over the hostile feeds, mailed to a real SMTP server."""
    folder = tmp_path_factory.mktemp("hostile")
    day = yesterday().isoformat()
    server = FeedServer()
    with server, MailServer() as smtp:
        bait = server.url("/bait")
        server.routes.update({
            "/good": Route(hostile_rss(bait, day)),
            "/atom": Route(hostile_atom(bait, day), "application/atom+xml"),
            "/json": Route(hostile_json(bait, day), JSON_FEED),
            **{f"/bait/{name}": Route(b"x", "image/png") for name in (
                "desc.png", "style.css", "inline.png", "link.css", "frame", "object", "refresh", "title.png",
                "import.css", "atom.png", "external", "json.png", "json-image.png", "banner.png", "avatar.png")},
        })
        extra = "".join(f'[[sources]]\nid = "{s}"\nname = "{s}"\nurl = "{server.url("/" + s)}"\nchannel = "online"\n'
                        for s in ("atom", "json"))
        config = load_config(write_config(folder, feeds_base=server.base_url, smtp_port=smtp.port, extra=extra))
        result = run(config, "daily", now=datetime.now(UTC))
        requests = list(server.requests)
        messages = list(smtp.messages)
    return result, requests, messages


def test_the_audit_catches_what_it_looks_for() -> None:
    """The HTML audit itself must be able to fail."""
    bad = ('<script>x</script><p onclick="x">a</p><a href="javascript:x">j</a><a href=" JaVa\tscript:x">k</a>'
           '<img src="http://x.example/y.png"><div style="background:url(http://x.example/)">d</div>'
           "<style>@import url(http://x.example/a.css)</style><iframe src=x></iframe>"
           '<a href="data:text/html,x">d</a><img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9ImFsZXJ0KDEpIi8+">'
           '<picture><source srcset="http://x.example/p.png"><img src="data:image/png;base64,AAAA"></picture>'
           '<video><source src="http://x.example/v.mp4"></video>')
    problems = "\n".join(audit_html(bad).problems)
    for expected in ("<script> element", "event handler onclick", "<a href='javascript:x'>", "JaVa\\tscript",
                     "<img src='http://x.example/y.png'>", "style attribute loading", "stylesheet loads",
                     "@import", "<iframe> element", "<a href='data:text/html,x'>", "embedded SVG",
                     "<img src='http://x.example/p.png'>", "<source> element: [('src', 'http://x.example/v.mp4')]"):
        assert expected in problems, (expected, problems)


def test_the_run_fetched_the_feeds_and_nothing_else(hostile_run) -> None:
    result, requests, messages = hostile_run
    assert result.fetch.sources_ok == 3 and result.fetch.sources_failed == 0
    assert result.fetch.items_matched >= len(MARKERS)
    assert sorted({r.path for r in requests}) == ["/atom", "/good", "/json"]
    assert len(messages) == 1


def test_html_report_has_no_active_content(hostile_run) -> None:
    result, _, _ = hostile_run
    html = result.paths["html"].read_text(encoding="utf-8")
    audit = audit_html(html)
    assert audit.problems == []
    text = " ".join(audit.text)
    shown = [m for m in MARKERS if m in text]
    assert len(shown) >= 10, f"only {shown} of the hostile items reached the report"
    assert "SSTI-49" not in text  # feed text is data for jinja2, never template code
    assert "javascript:" not in html.lower()


def test_mail_has_no_active_content_and_no_injected_header(hostile_run) -> None:
    result, _, messages = hostile_run
    [received] = messages
    msg = received.message
    html = msg.get_body(("html",)).get_content()
    assert audit_html(html).problems == []
    assert msg["Bcc"] is None and "victim@evil.example" not in received.rcpt_tos
    assert "victim@evil.example" not in str(msg["To"]) + str(msg.get("Cc", ""))
    parts = [p.get_content_type() for p in msg.walk() if not p.is_multipart()]
    assert parts == ["text/plain", "text/html", "application/pdf"]


def test_pdf_shows_hostile_text_as_text(hostile_run) -> None:
    result, _, _ = hostile_run
    text = pdf_text(result.paths["pdf"])
    assert sum(m in text for m in MARKERS) >= 10
    assert "SSTI-49" not in text


RAW_ATTACK = """<html><head>
<link rel="stylesheet" href="{bait}/link.css"><style>@import url("{bait}/import.css");
body {{ background: url("{bait}/bg.png") }} @font-face {{ font-family: x; src: url("{bait}/font.woff") }}</style>
</head><body><p style="background:url({bait}/inline.png)">工商银行 RAW</p><img src="{bait}/img.png">
<object data="{bait}/object.svg"></object><embed src="{bait}/embed.svg"><iframe src="{bait}/frame"></iframe>
<svg><image href="{bait}/svgimage.png"/></svg><video poster="{bait}/poster.png"></video>
<script src="{bait}/script.js"></script></body></html>"""


def test_the_pdf_renderer_and_the_mail_inliner_fetch_nothing_even_from_raw_markup(tmp_path: Path, caplog) -> None:
    """Defence in depth: a bank's careless template override that printed feed HTML unescaped."""
    with FeedServer() as server:
        bait = server.url("/bait")
        server.routes.update({f"/bait/{n}": Route(b"x", "text/plain") for n in (
            "link.css", "import.css", "bg.png", "font.woff", "inline.png", "img.png", "object.svg", "embed.svg",
            "frame", "svgimage.png", "poster.png", "script.js")})
        raw = RAW_ATTACK.format(bait=bait)
        with caplog.at_level(logging.WARNING, logger="reportgen.report.render"):
            pdf = write_pdf(raw, tmp_path / "raw.pdf")
        inlined = _inliner().inline(raw)
        assert server.requests == []
    assert pdf.read_bytes().startswith(b"%PDF-")
    refused = [r.getMessage() for r in caplog.records if "refused to fetch" in r.getMessage()]
    assert refused, "WeasyPrint asked for nothing: the test no longer exercises the fetcher"
    assert all(bait in m for m in refused)
    assert "<link" not in inlined  # css-inline drops links without following them


def test_a_data_uri_chart_is_the_only_image_in_the_report(hostile_run) -> None:
    result, _, _ = hostile_run
    audit = audit_html(result.paths["html"].read_text(encoding="utf-8"))
    for src in audit.images:
        assert src.startswith("data:image/"), src[:80]
        if src.startswith("data:image/svg+xml"):
            svg = base64.b64decode(src.split(",", 1)[1]).decode("utf-8", "replace")
            assert "XSS" not in svg and "<script" not in svg.lower()
