"""The demo feeds' wire formats: RSS 2.0, Atom and JSON Feed bodies, and dates as each source writes them.

Kept apart from the generator (:mod:`reportgen.demo_data`), which decides what is published, because
the formats are used on their own too: the benchmark workload renders its synthetic feeds with
:func:`render_rss` and :func:`format_date`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from datetime import datetime
from xml.sax.saxutils import escape, quoteattr
from zoneinfo import ZoneInfo

from reportgen.demo.cast import SHANGHAI, DemoItem, DemoSource

RSS_UTF8 = "application/rss+xml; charset=utf-8"
RSS_GBK = "application/rss+xml; charset=gbk"
ATOM_UTF8 = "application/atom+xml; charset=utf-8"
JSON_FEED = "application/feed+json; charset=utf-8"

_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _rfc822(dt: datetime, zone: str) -> str:
    d = dt.astimezone(ZoneInfo("UTC") if zone == "GMT" else SHANGHAI)
    return (f"{_DAYS[d.weekday()]}, {d.day:02d} {_MONTHS[d.month - 1]} {d.year} "
            f"{d.hour:02d}:{d.minute:02d}:{d.second:02d} {zone}")


def format_date(dt: datetime, style: str) -> str:
    """A date the way one of the demo sources writes it."""
    if style == "rfc822":
        return _rfc822(dt, "+0800")
    if style == "cst":  # China Standard Time, as Chinese CMSs print it
        return _rfc822(dt, "CST")
    if style == "gmt":
        return _rfc822(dt, "GMT")
    local = dt.astimezone(SHANGHAI)
    if style == "naive":  # no zone: local time is meant
        return local.strftime("%Y-%m-%d %H:%M:%S")
    return local.isoformat(timespec="seconds")


def _cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def render_rss(title: str, site: str, description: str,
               entries: Iterable[tuple[str, str, str, str, str, str]], *, language: str = "zh-cn",
               encoding: str = "utf-8", cdata: bool = False, build_date: str = "") -> bytes:
    """RSS 2.0 bytes from (title, link, guid, date string, author, summary html) tuples."""
    enc_label = "gbk" if encoding == "gbk" else "utf-8"
    out = [f'<?xml version="1.0" encoding="{enc_label}"?>\n<rss version="2.0">\n<channel>\n',
           f"<title>{escape(title)}</title>\n<link>{escape(site)}</link>\n",
           f"<description>{escape(description)}</description>\n<language>{language}</language>\n"]
    if build_date:
        out.append(f"<lastBuildDate>{build_date}</lastBuildDate>\n")
    out.append("<generator>RSSHub</generator>\n<ttl>5</ttl>\n")
    for e_title, link, guid, when, author, summary in entries:
        permalink = "true" if guid == link else "false"
        body = _cdata(summary) if cdata else escape(summary)
        out.append(f"<item>\n<title>{escape(e_title)}</title>\n<description>{body}</description>\n"
                   f"<link>{escape(link)}</link>\n<guid isPermaLink=\"{permalink}\">{escape(guid)}</guid>\n"
                   f"<pubDate>{when}</pubDate>\n")
        if author:
            out.append(f"<author>{escape(author)}</author>\n")
        out.append("</item>\n")
    out.append("</channel>\n</rss>\n")
    # Characters outside GBK (none in the templates) would become character references.
    return "".join(out).encode(enc_label, errors="xmlcharrefreplace")


def render_atom(src: DemoSource, items: Sequence[DemoItem], updated: datetime) -> bytes:
    out = ['<?xml version="1.0" encoding="utf-8"?>\n',
           f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{src.language}">\n',
           f"<title>{escape(src.name)}</title>\n<id>{escape(src.site)}</id>\n",
           f"<link rel=\"alternate\" href={quoteattr(src.site)}/>\n",
           f"<updated>{format_date(updated, 'iso')}</updated>\n<generator>RSSHub</generator>\n"]
    for it in items:
        when = format_date(it.published_at, "iso")
        out.append(f"<entry>\n<title>{escape(it.title)}</title>\n<id>{escape(it.guid)}</id>\n"
                   f"<link rel=\"alternate\" href={quoteattr(it.link)}/>\n"
                   f"<published>{when}</published>\n<updated>{when}</updated>\n"
                   f"<author><name>{escape(it.author)}</name></author>\n"
                   f"<summary type=\"html\">{escape(it.summary_html)}</summary>\n</entry>\n")
    out.append("</feed>\n")
    return "".join(out).encode("utf-8")


_TAG_RE = re.compile(r"<[^>]+>")


def render_json(src: DemoSource, items: Sequence[DemoItem]) -> bytes:
    doc = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": src.name,
        "home_page_url": src.site,
        "description": "微信公众号文章，经 RSS 桥接",
        "language": "zh-CN",
        "authors": [{"name": src.author}],
        "items": [
            {"id": it.guid, "url": it.link, "title": it.title, "content_html": it.summary_html,
             "summary": _TAG_RE.sub("", it.summary_html),
             "date_published": format_date(it.published_at, "iso"),
             "authors": [{"name": it.author}]}
            for it in items
        ],
    }
    return json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8")
