"""Render report data to HTML (jinja2) and PDF (WeasyPrint).

Templates live in the top-level ``templates/`` folder of a checkout, which the wheel ships as the
package ``reportgen.templates``.  A user's override folders are searched first, so a bank can
replace ``daily.html``, ``weekly.html``, ``briefing.html``, ``base.html`` or ``report.css`` one
file at a time.  What the templates show is computed in :mod:`reportgen.briefing`; their words
come from the gettext catalogs (:mod:`reportgen.i18n`).

The HTML is self-contained (the stylesheet is inlined, the charts are ``data:`` URIs) and
everything from a feed is escaped.  The PDF renderer may only read ``data:`` and ``file:`` URLs:
nothing in a report, not even a user's template, can make it fetch from the network.
"""

from __future__ import annotations

import contextlib
import functools
import glob
import importlib.resources
import logging
import os
import tempfile
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2

from reportgen.errors import RenderError
from reportgen.models import ReportData
from reportgen.periods import Period
from reportgen.report.briefing import Briefing
from reportgen.report.i18n import check_language, translations

logger = logging.getLogger(__name__)

TEMPLATES = {"daily": "daily.html", "weekly": "weekly.html"}
DAILY_TEMPLATE = TEMPLATES["daily"]
FORMATS = ("html", "pdf")


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
    return Path(__file__).resolve().parents[2] / "templates"


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


def make_environment(extra_dirs: Sequence[Path] = (), language: str = "zh") -> jinja2.Environment:
    """A jinja2 environment over the override folders, then the shipped templates, speaking ``language``.

    HTML is autoescaped; ``report.css`` is not (it is inlined into ``<style>`` and must keep its
    quotes).  Unknown names fail instead of rendering as empty text.  Environments are cached per
    folder list and language: compiling the templates is a good part of a render's time.
    """
    dirs = tuple(template_dirs(extra_dirs))
    return _environment(dirs, check_language(language))


@functools.lru_cache(maxsize=16)
def _environment(dirs: tuple[Path, ...], language: str) -> jinja2.Environment:
    loader = jinja2.ChoiceLoader([jinja2.FileSystemLoader(d) for d in dirs])
    env = jinja2.Environment(
        loader=loader,
        autoescape=jinja2.select_autoescape(
            enabled_extensions=("html", "htm", "xml"),
            disabled_extensions=("css", "txt"),
            default_for_string=True,
            default=True,
        ),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_translations(translations(language), newstyle=True)  # type: ignore[attr-defined]
    env.filters["safe_url"] = safe_url
    return env


# --- HTML -----------------------------------------------------------------------------------------


def report_context(report: ReportData, *, with_charts: bool = True) -> dict[str, Any]:
    """What the templates receive: the report, and page 1 and the sections computed from it.

    Public: the mail body (:mod:`reportgen.mailbody`) and subject show the same figures.
    """
    try:
        return Briefing(report, with_charts=with_charts).context()
    except ValueError as exc:  # e.g. a naive datetime reached the report
        raise RenderError(f"invalid report data: {exc}") from exc


def render_template(name: str, context: dict[str, Any], language: str, extra_template_dirs: Sequence[Path] = (),
                    ) -> str:
    """Render one template, turning jinja2's errors into a :class:`RenderError` with a hint."""
    env = make_environment(extra_template_dirs, language)
    try:
        return env.get_template(name).render(context)
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
            f"could not render {name}: {exc}",
            hint="a template override may use a name the report does not provide",
        ) from exc
    except ValueError as exc:  # e.g. a naive datetime reached the report
        raise RenderError(f"invalid report data for {name}: {exc}") from exc


def render_html(report: ReportData, *, extra_template_dirs: Sequence[Path] = ()) -> str:
    """The daily or weekly briefing as one self-contained HTML document."""
    name = TEMPLATES.get(report.period)
    if name is None:
        raise RenderError(f"unknown report period {report.period!r}", hint=f"use one of: {', '.join(TEMPLATES)}")
    language = check_language(report.language)
    return render_template(name, report_context(report), language, extra_template_dirs)


# --- PDF ------------------------------------------------------------------------------------------


class RemoteResourceRefused(ValueError):
    """The PDF renderer was asked for a URL that is neither ``data:`` nor ``file:``."""


@functools.cache
def _local_only_fetcher_class() -> type:
    """Build the fetcher class on first use: importing WeasyPrint costs about a second."""
    from weasyprint.urls import URLFetcher  # heavy: WeasyPrint, only when a PDF is made

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
        from weasyprint import HTML  # heavy: WeasyPrint, only when a PDF is made
    except (ImportError, OSError) as exc:  # OSError: Pango or HarfBuzz missing
        raise RenderError(f"WeasyPrint is not usable: {exc}", hint="install pango (libpango-1.0-0)") from exc

    path = Path(path)
    tmp_path = _temporary_beside(path)
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


_STALE_TEMPORARY_S = 3600.0  # no render takes an hour: an older temporary file was left by a killed one


def _temporary_beside(path: Path) -> Path:
    """An empty temporary file in ``path``'s folder, to be renamed over ``path`` once complete.

    Temporary files for ``path`` that a killed render left behind (SIGKILL, the OOM killer) are
    removed once they are an hour old, so a job that keeps crashing does not fill the folder.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:  # a read-only or full file system: a clear error, not a traceback
        raise RenderError(f"could not write {path}: {exc.strerror or exc}",
                          hint=f"check that {path.parent} exists, is writable and has free space") from exc
    os.close(fd)
    cutoff = time.time() - _STALE_TEMPORARY_S
    for leftover in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
        with contextlib.suppress(OSError):
            if leftover.name != Path(tmp_name).name and leftover.stat().st_mtime < cutoff:
                leftover.unlink()
    return Path(tmp_name)


def _write_text_atomically(path: Path, text: str) -> None:
    """Write ``text`` beside ``path`` and rename it over: a full disk leaves the old file, never half a new one."""
    tmp_path = _temporary_beside(path)
    try:
        tmp_path.write_text(text, encoding="utf-8")
        os.chmod(tmp_path, 0o644)
        tmp_path.replace(path)
    except OSError as exc:
        tmp_path.unlink(missing_ok=True)
        raise RenderError(f"could not write {path}: {exc.strerror or exc}",
                          hint=f"check that {path.parent} is writable and has free space") from exc


def quiet_weasyprint_logging(level: int = logging.ERROR) -> None:
    """Raise the threshold of WeasyPrint's and fontTools' loggers.

    WeasyPrint reports every unsupported CSS property and fontTools every subsetting step; the
    CLI calls this unless ``--debug`` is given.  Handlers are left alone.
    """
    for name in ("weasyprint", "weasyprint.progress", "fontTools"):
        logging.getLogger(name).setLevel(level)


# --- both -----------------------------------------------------------------------------------------


def render_report(
    report: ReportData,
    out_dir: Path,
    *,
    formats: Sequence[str] = FORMATS,
    basename: str | None = None,
    extra_template_dirs: Sequence[Path] = (),
) -> dict[str, Path]:
    """Write the report into ``out_dir`` and return ``{format: path}``.

    The default name is ``daily-YYYY-MM-DD`` or ``weekly-YYYY-Www`` (``-en`` added for English),
    so both languages can share a folder.
    """
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise ValueError(f"unknown report format(s) {unknown}; expected some of {FORMATS}")
    if basename is None:
        basename = Period(report.period, report.day, report.last_day or report.day).basename(report.language)

    html = render_html(report, extra_template_dirs=extra_template_dirs)
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise RenderError(f"cannot create output folder {out_dir}: {exc}") from exc

    written: dict[str, Path] = {}
    if "html" in formats:
        html_path = out_dir / f"{basename}.html"
        _write_text_atomically(html_path, html)
        logger.info("wrote %s", html_path)
        written["html"] = html_path
    if "pdf" in formats:
        written["pdf"] = write_pdf(html, out_dir / f"{basename}.pdf")
    return written
