"""Render report data to HTML (jinja2) and PDF (WeasyPrint).

Templates live in the top-level ``templates/`` folder of a checkout, which the wheel ships as the
package ``reportgen.templates``.  A user's override folders are searched first, so a bank can
replace ``daily.html``, ``base.html`` or ``report.css`` one file at a time.

The HTML is self-contained (the stylesheet is inlined) and everything from a feed is escaped.
The PDF renderer may only read ``data:`` and ``file:`` URLs: nothing in a report, not even a
user's template, can make it fetch from the network.
"""

from __future__ import annotations

import functools
import importlib.resources
import logging
import os
import tempfile
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import date, datetime, tzinfo
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import jinja2

from reportgen import __version__
from reportgen.errors import RenderError
from reportgen.models import DailyReportData
from reportgen.periods import WEEKLY_LABELS, Period, week_label

logger = logging.getLogger(__name__)

DAILY_TEMPLATE = "daily.html"
FORMATS = ("html", "pdf")

# UI strings per report language, until a later issue moves them to gettext.  Both languages must
# have the same keys: templates use StrictUndefined, so a missing key fails loudly.
LABELS: dict[str, dict[str, str]] = {
    "zh": {
        "html_lang": "zh-CN",
        "default_title": "银行舆情日报",
        "confidential": "内部资料 注意保密",
        "period": "报告日期",
        "window": "监测时段",
        "window_to": "至",
        "window_zone": "（{zone}）",
        "colon": "：",
        "department": "编制部门",
        "generated": "生成时间",
        "overview": "舆情概况",
        "total_items": "监测信息总量",
        "self_mentions": "涉及本行",
        "self_share": "本行声量占比",
        "sources_label": "数据来源",
        "sources_summary": "正常 {ok}，未更新 {not_modified}，失败 {failed}，未抓取 {never}",
        "unit_items": "条",
        "unit_sources": "个",
        "quiet_day": "本期未监测到相关舆情。",
        "incomplete_warning": "注意：有 {count} 个数据来源抓取失败或未抓取，本期结果可能不完整。",
        "bank_table": "各行声量",
        "bank": "银行",
        "role": "类型",
        "mentions": "提及量",
        "title_mentions": "标题提及",
        "share_of_voice": "声量占比",
        "no_banks": "未配置监测银行。",
        "items_section": "舆情信息列表",
        "items_listed": "共 {total} 条，列出 {listed} 条。",
        "no": "序号",
        "time": "时间",
        "item_title": "标题",
        "source": "来源",
        "channel": "渠道",
        "banks": "涉及银行",
        "date_missing": "时间未知",
        "date_missing_note": "标注“时间未知”的信息，来源未提供发布时间，按抓取时间计入。",
        "source_health": "数据来源状态",
        "status": "状态",
        "http_status": "HTTP",
        "item_count": "条目",
        "new_count": "新增",
        "remark": "说明",
        "no_sources": "未配置数据来源。",
        "list_separator": "、",
        "negative": "负面",
        "negative_share": "负面占比",
        "sentiment": "倾向",
        "reasons": "依据",
        "self_negative": "本行负面",
        "label_negative": "负面",
        "label_neutral": "中性",
        "label_positive": "正面",
        "label_unscored": "未研判",
        "footer_note": "本报告由 reportgen 根据公开信息自动生成，仅供内部参考。",
    },
    "en": {
        "html_lang": "en",
        "default_title": "Bank Media Monitoring Daily",
        "confidential": "INTERNAL & CONFIDENTIAL",
        "period": "Report date",
        "window": "Monitoring window",
        "window_to": "to",
        "window_zone": " ({zone})",
        "colon": ": ",
        "department": "Prepared by",
        "generated": "Generated",
        "overview": "Overview",
        "total_items": "Items monitored",
        "self_mentions": "Mentioning us",
        "self_share": "Our share of voice",
        "sources_label": "Sources",
        "sources_summary": "ok {ok}, not modified {not_modified}, failed {failed}, never fetched {never}",
        "unit_items": "",
        "unit_sources": "",
        "quiet_day": "No relevant coverage was found in this period.",
        "incomplete_warning": "Note: {count} source(s) failed or were never fetched; "
        "this report may be incomplete.",
        "bank_table": "Share of voice by bank",
        "bank": "Bank",
        "role": "Role",
        "mentions": "Mentions",
        "title_mentions": "In title",
        "share_of_voice": "Share of voice",
        "no_banks": "No banks are configured.",
        "items_section": "Coverage",
        "items_listed": "{listed} of {total} items listed.",
        "no": "#",
        "time": "Time",
        "item_title": "Title",
        "source": "Source",
        "channel": "Channel",
        "banks": "Banks",
        "date_missing": "undated",
        "date_missing_note": "Items marked “undated” carry no publication date in their feed; "
        "they are counted at the time they were fetched.",
        "source_health": "Source status",
        "status": "Status",
        "http_status": "HTTP",
        "item_count": "Items",
        "new_count": "New",
        "remark": "Remark",
        "no_sources": "No sources are configured.",
        "list_separator": ", ",
        "negative": "Negative",
        "negative_share": "Negative share",
        "sentiment": "Sentiment",
        "reasons": "Why",
        "self_negative": "Negative about us",
        "label_negative": "negative",
        "label_neutral": "neutral",
        "label_positive": "positive",
        "label_unscored": "not scored",
        "footer_note": "Generated automatically by reportgen from public sources, for internal use only.",
    },
}

CHANNEL_LABELS: dict[str, dict[str, str]] = {
    "zh": {
        "print": "报刊",
        "broadcast": "广播电视",
        "online": "网络媒体",
        "social": "社交媒体",
        "regulator": "监管机构",
        "complaint": "投诉平台",
    },
    "en": {
        "print": "Print",
        "broadcast": "Broadcast",
        "online": "Online news",
        "social": "Social media",
        "regulator": "Regulator",
        "complaint": "Complaints",
    },
}

ROLE_LABELS: dict[str, dict[str, str]] = {
    "zh": {"self": "本行", "competitor": "竞品"},
    "en": {"self": "Us", "competitor": "Peer"},
}

STATUS_LABELS: dict[str, dict[str, str]] = {
    "zh": {"ok": "正常", "not_modified": "未更新(304)", "failed": "失败", "never": "未抓取"},
    "en": {"ok": "OK", "not_modified": "Not modified (304)", "failed": "Failed", "never": "Never fetched"},
}

_ZH_WEEKDAYS = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")
_EN_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_EN_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


# --- templates ------------------------------------------------------------------------------------


def _shipped_templates_dir() -> Path:
    """The templates that come with reportgen, from a wheel or from a checkout.

    An installed wheel maps the top-level ``templates/`` folder to the package
    ``reportgen.templates``.  In a checkout that package does not exist, so fall back to the
    folder beside ``reportgen/``.
    """
    try:
        resource = importlib.resources.files("reportgen.templates")
    except ModuleNotFoundError:
        resource = None
    # Only a real directory can feed a FileSystemLoader (not a zip-imported package).
    if isinstance(resource, Path) and resource.is_dir():
        return resource.resolve()
    return Path(__file__).resolve().parent.parent / "templates"


def template_dirs(extra: Sequence[Path] = ()) -> list[Path]:
    """The folders searched for templates, in order: the user's overrides, then the shipped ones."""
    dirs = [Path(d).expanduser().resolve() for d in extra]
    shipped = _shipped_templates_dir()
    if shipped not in dirs:
        dirs.append(shipped)
    return dirs


def safe_url(value: object) -> str | None:
    """Return ``value`` if it is an absolute http(s) URL fit for an ``href``, else ``None``.

    Feed URLs are canonicalized upstream, but render checks again: ``javascript:``, ``data:``,
    relative or otherwise odd links are shown as plain text.
    """
    if not isinstance(value, str):
        return None
    url = value.strip()
    # Browsers silently drop tabs and newlines inside URLs; refuse any control or space character
    # rather than reason about what a particular reader would make of it.
    if not url or any(ord(ch) <= 0x20 or ord(ch) == 0x7F for ch in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return url


def _in_zone(value: datetime, zone: tzinfo) -> datetime:
    # astimezone() would read a naive datetime as the server's local time: refuse instead.
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"naive datetime in report data: {value!r}")
    return value.astimezone(zone)


def local_time(value: datetime | None, zone: tzinfo, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """Format an aware datetime in the report's time zone; ``None`` becomes an em dash."""
    if value is None:
        return "—"
    return _in_zone(value, zone).strftime(fmt)


def item_time(value: datetime, zone: tzinfo, day: date | None) -> str:
    """An item's time for the list: ``14:05`` on the report day, ``05-21 00:12`` otherwise (always in
    a weekly report, which passes no day)."""
    local = _in_zone(value, zone)
    return local.strftime("%H:%M" if local.date() == day else "%m-%d %H:%M")


def percent(value: float, digits: int = 1) -> str:
    """0.375 → ``37.5%``."""
    return f"{value * 100:.{digits}f}%"


def bar_width(value: float) -> str:
    """A share (0..1) as a CSS width, clamped so a bad value cannot overflow its cell."""
    return f"{min(max(value, 0.0), 1.0) * 100:.1f}%"


def make_environment(extra_dirs: Sequence[Path] = ()) -> jinja2.Environment:
    """A jinja2 environment over the override folders, then the shipped templates.

    HTML is autoescaped; ``report.css`` is not (it is inlined into ``<style>`` and must keep its
    quotes).  Unknown names fail instead of rendering as empty text.
    """
    loader = jinja2.ChoiceLoader([jinja2.FileSystemLoader(d) for d in template_dirs(extra_dirs)])
    env = jinja2.Environment(
        loader=loader,
        autoescape=jinja2.select_autoescape(
            enabled_extensions=("html", "htm", "xml"),
            disabled_extensions=("css",),
            default_for_string=True,
            default=True,
        ),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["safe_url"] = safe_url
    env.filters["local_time"] = local_time
    env.filters["item_time"] = item_time
    env.filters["percent"] = percent
    env.filters["bar_width"] = bar_width
    env.filters["category_name"] = lambda code, names: names.get(code, code)
    return env


# --- HTML -----------------------------------------------------------------------------------------


def _labels(language: str) -> dict[str, str]:
    if language not in LABELS:
        raise RenderError(
            f"unsupported report language {language!r}",
            hint=f"use one of: {', '.join(LABELS)}",
        )
    return LABELS[language]


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise RenderError(
            f"unknown report time zone {name!r}", hint="use an IANA name such as Asia/Shanghai"
        ) from exc


def _day_label(day: date, language: str) -> str:
    if language == "zh":
        return f"{day.year}年{day.month}月{day.day}日 {_ZH_WEEKDAYS[day.weekday()]}"
    return f"{_EN_WEEKDAYS[day.weekday()]}, {day.day} {_EN_MONTHS[day.month - 1]} {day.year}"


def _context(report: DailyReportData) -> dict[str, Any]:
    """What the daily template needs beyond the report itself: labels and a few tallies."""
    language = report.language
    t = _labels(language)
    daily = report.period == "daily"
    if not daily:
        t = {**t, **WEEKLY_LABELS[language]}
    zone = _zone(report.timezone)
    status_counts = Counter(row.status for row in report.source_health)
    incomplete = status_counts["failed"] + status_counts["never"]
    return {
        "report": report,
        "t": t,
        "lang": language,
        "html_lang": t["html_lang"],
        "title": report.title or t["default_title"],
        "zone": zone,
        "day_label": _day_label(report.day, language) if daily
        else week_label(report.day, report.last_day or report.day, language),
        "period_key": report.day.isoformat() if daily else Period.week_of(report.day).key,
        "list_day": report.day if daily else None,  # a weekly list shows each item's date
        "window_label": (
            f"{local_time(report.window_start, zone)} {t['window_to']} {local_time(report.window_end, zone)}"
            + t["window_zone"].format(zone=report.timezone)
        ),
        "channel_labels": CHANNEL_LABELS[language],
        "role_labels": ROLE_LABELS[language],
        "status_labels": STATUS_LABELS[language],
        "self_mentions": sum(b.mentions for b in report.bank_totals if b.role == "self"),
        "self_negative": sum(b.negative for b in report.bank_totals if b.role == "self"),
        "self_share": sum(b.share_of_voice for b in report.bank_totals if b.role == "self"),
        "sources_summary": t["sources_summary"].format(
            ok=status_counts["ok"],
            not_modified=status_counts["not_modified"],
            failed=status_counts["failed"],
            never=status_counts["never"],
        ),
        "incomplete_warning": t["incomplete_warning"].format(count=incomplete) if incomplete else "",
        "items_listed": (
            t["items_listed"].format(total=report.total_items, listed=len(report.items))
            if len(report.items) < report.total_items
            else ""
        ),
        "any_date_missing": any(item.date_missing for item in report.items),
        "generator": f"reportgen {__version__}",
    }


report_context = _context  # public: the mail body (reportgen.mailbody) shows the same figures


def render_html(report: DailyReportData, *, extra_template_dirs: Sequence[Path] = ()) -> str:
    """The daily report as one self-contained HTML document."""
    env = make_environment(extra_template_dirs)
    try:
        template = env.get_template(DAILY_TEMPLATE)
        return template.render(_context(report))
    except jinja2.TemplateSyntaxError as exc:
        raise RenderError(
            f"template syntax error in {exc.filename or exc.name}, line {exc.lineno}: {exc.message}",
            hint="fix or remove the template in your override folder",
        ) from exc
    except jinja2.TemplateNotFound as exc:
        searched = ", ".join(str(d) for d in template_dirs(extra_template_dirs))
        raise RenderError(
            f"template {exc.name!r} not found (searched: {searched})",
            hint="reinstall reportgen, or check settings.template_dir",
        ) from exc
    except jinja2.TemplateError as exc:
        raise RenderError(
            f"could not render {DAILY_TEMPLATE}: {exc}",
            hint="a template override may use a name the report does not provide",
        ) from exc
    except ValueError as exc:  # e.g. a naive datetime reached the report
        raise RenderError(f"invalid report data for {DAILY_TEMPLATE}: {exc}") from exc


# --- PDF ------------------------------------------------------------------------------------------


class RemoteResourceRefused(ValueError):
    """The PDF renderer was asked for a URL that is neither ``data:`` nor ``file:``."""


@functools.cache
def _local_only_fetcher_class() -> type:
    """Build the fetcher class on first use: importing WeasyPrint costs about a second."""
    from weasyprint.urls import URLFetcher

    class LocalOnlyURLFetcher(URLFetcher):
        """Serves ``data:`` and ``file:`` URLs; refuses every other scheme, http(s) included."""

        def fetch(self, url: str, headers: Mapping[str, str] | None = None) -> Any:
            scheme = url.split(":", 1)[0].strip().lower() if ":" in url else ""
            if scheme not in ("data", "file"):
                logger.warning(
                    "refused to fetch %.200s: the PDF renderer only reads data: and file: URLs", url
                )
                raise RemoteResourceRefused(f"refused non-data/file URL: {url[:200]}")
            return super().fetch(url, headers)

    return LocalOnlyURLFetcher


def local_only_url_fetcher() -> Any:
    """A WeasyPrint URL fetcher that refuses every URL that is not ``data:`` or ``file:``.

    WeasyPrint ≥ 68 wants an instance of ``weasyprint.urls.URLFetcher`` (it reads the fetcher's
    attributes when a fetch fails), so this is a subclass, not a plain function.  A refusal raises
    :class:`RemoteResourceRefused`, a ``ValueError``: WeasyPrint logs it and renders without the
    resource.  Use one instance per document; the base class keeps per-request state.
    """
    fetcher_class = _local_only_fetcher_class()
    return fetcher_class(allowed_protocols=("data", "file"), allow_redirects=False, timeout=5)


def write_pdf(html: str, path: Path, *, base_url: str | None = None) -> Path:
    """Render ``html`` to a PDF at ``path`` and return ``path``.

    The file appears atomically (written beside it, then renamed), so a mailer never picks up
    half a PDF.  Only ``data:`` and ``file:`` resources are loaded.
    """
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as exc:  # OSError: Pango or HarfBuzz missing
        raise RenderError(f"WeasyPrint is not usable: {exc}", hint="install pango (libpango-1.0-0)") from exc

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp_path = Path(tmp_name)
    try:
        document = HTML(string=html, base_url=base_url, url_fetcher=local_only_url_fetcher())
        document.write_pdf(tmp_path)
        os.chmod(tmp_path, 0o644)
        tmp_path.replace(path)
    except Exception as exc:
        tmp_path.unlink(missing_ok=True)
        raise RenderError(f"could not write PDF {path}: {type(exc).__name__}: {exc}") from exc
    logger.info("wrote %s", path)
    return path


def quiet_weasyprint_logging(level: int = logging.ERROR) -> None:
    """Raise the threshold of WeasyPrint's and fontTools' loggers.

    WeasyPrint reports every unsupported CSS property and fontTools every subsetting step; the
    CLI calls this unless ``--debug`` is given.  Handlers are left alone.
    """
    for name in ("weasyprint", "weasyprint.progress", "fontTools"):
        logging.getLogger(name).setLevel(level)


# --- both -----------------------------------------------------------------------------------------


def render_report(
    report: DailyReportData,
    out_dir: Path,
    *,
    formats: Sequence[str] = FORMATS,
    basename: str | None = None,
    extra_template_dirs: Sequence[Path] = (),
) -> dict[str, Path]:
    """Write the daily report into ``out_dir`` and return ``{format: path}``.

    The default name is ``daily-YYYY-MM-DD`` (``daily-YYYY-MM-DD-en`` for English), so both
    languages can share a folder.
    """
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise ValueError(f"unknown report format(s) {unknown}; expected some of {FORMATS}")
    if basename is None:
        basename = f"daily-{report.day.isoformat()}"
        if report.language != "zh":
            basename += f"-{report.language}"

    html = render_html(report, extra_template_dirs=extra_template_dirs)
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise RenderError(f"cannot create output folder {out_dir}: {exc}") from exc

    written: dict[str, Path] = {}
    if "html" in formats:
        html_path = out_dir / f"{basename}.html"
        try:
            html_path.write_text(html, encoding="utf-8")
        except OSError as exc:
            raise RenderError(f"could not write {html_path}: {exc}") from exc
        logger.info("wrote %s", html_path)
        written["html"] = html_path
    if "pdf" in formats:
        written["pdf"] = write_pdf(html, out_dir / f"{basename}.pdf")
    return written
