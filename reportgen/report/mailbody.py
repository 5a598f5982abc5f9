"""The mail body: page 1 of the briefing as email-safe HTML, plus a plain-text part.

Mail clients (Outlook above all) ignore ``<style>`` blocks and most layout CSS, so the body has
its own simple table layout (``templates/email.html``) and its stylesheet is moved into ``style``
attributes by css-inline.  The full report travels as the PDF attachment; the body shows what an
executive reads first, the briefing's page 1: the KPI cards, the overview paragraph, the top
events with their action lines, the peer table, and whether any source is missing.

Templates come from the same folders as the report's, so a bank can override ``email.html``,
``email.txt`` or ``email.css`` in its ``template_dir``.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from pathlib import Path

import css_inline

from reportgen.errors import RenderError
from reportgen.models import ReportData
from reportgen.report.i18n import N_, translations
from reportgen.report.render import render_template, report_context

HTML_TEMPLATE = "email.html"
TEXT_TEMPLATE = "email.txt"
ATTACHMENT_NOTE = N_("The full report (charts, all sections, source status) is attached: %(name)s")
# Put before whatever subject template the bank configured when the data-completeness gate failed:
# the inbox must show "we saw nothing" before anyone opens the mail.
INCOMPLETE_PREFIX = N_("[DATA INCOMPLETE] ")


def subject_prefix(data: ReportData) -> str:
    """【数据采集异常】 / [DATA INCOMPLETE] when too few sources answered (or a channel was dark), else ""."""
    return "" if data.completeness.complete else translations(data.language).gettext(INCOMPLETE_PREFIX)


@functools.cache
def _inliner() -> css_inline.CSSInliner:
    # Never fetch a stylesheet from the network: the body must be built offline, like the PDF.
    return css_inline.CSSInliner(load_remote_stylesheets=False, keep_style_tags=False, keep_link_tags=False)


def render_bodies(data: ReportData, *, attachment_name: str,
                  extra_template_dirs: Sequence[Path] = ()) -> tuple[str, str]:
    """``(html, text)`` for the mail about ``data``, whose PDF is attached as ``attachment_name``."""
    context = report_context(data, with_charts=False)  # the charts are in the PDF; mail clients block data: images
    context["attachment_note"] = translations(data.language).gettext(ATTACHMENT_NOTE) % {"name": attachment_name}
    html = render_template(HTML_TEMPLATE, context, data.language, extra_template_dirs)
    text = render_template(TEXT_TEMPLATE, context, data.language, extra_template_dirs)
    try:
        html = _inliner().inline(html)
    except ValueError as exc:  # css-inline raises InlineError, a ValueError, on CSS it cannot apply
        raise RenderError(f"could not inline the mail body's CSS: {exc}") from exc
    return html, text
