"""The mail body: page 1 of the briefing as email-safe HTML, plus a plain-text part.

Mail clients (Outlook above all) ignore ``<style>`` blocks and most layout CSS, so the body has
its own simple table layout (``templates/email.html``) and its stylesheet is moved into ``style``
attributes by css-inline.  The full report travels as the PDF attachment; the body shows what an
executive reads first: the overview figures, share of voice, the newest items and what is missing.

Templates come from the same folders as the report's, so a bank can override ``email.html``,
``email.txt`` or ``email.css`` in its ``template_dir``.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from pathlib import Path

import css_inline
import jinja2

from .errors import RenderError
from .models import DailyReportData
from .render import make_environment, report_context

HTML_TEMPLATE = "email.html"
TEXT_TEMPLATE = "email.txt"
TOP_ITEMS = 10  # newest items listed in the body; the PDF has them all

MAIL_LABELS: dict[str, dict[str, str]] = {
    "zh": {"latest_items": "最新信息", "latest_note": "（最新 {listed} 条，共 {total} 条）",
           "attachment_note": "完整报告（全部信息、数据来源状态）见附件：{name}"},
    "en": {"latest_items": "Latest items", "latest_note": " ({listed} newest of {total})",
           "attachment_note": "The full report (all items, source status) is attached: {name}"},
}


@functools.cache
def _inliner() -> css_inline.CSSInliner:
    # Never fetch a stylesheet from the network: the body must be built offline, like the PDF.
    return css_inline.CSSInliner(load_remote_stylesheets=False, keep_style_tags=False, keep_link_tags=False)


def render_bodies(data: DailyReportData, *, attachment_name: str,
                  extra_template_dirs: Sequence[Path] = ()) -> tuple[str, str]:
    """``(html, text)`` for the mail about ``data``, whose PDF is attached as ``attachment_name``."""
    context = report_context(data)
    labels = MAIL_LABELS.get(data.language, MAIL_LABELS["en"])
    listed = data.items[:TOP_ITEMS]
    context.update(
        t={**context["t"], **labels},
        latest_items=listed,
        latest_note=labels["latest_note"].format(listed=len(listed), total=data.total_items),
        attachment_note=labels["attachment_note"].format(name=attachment_name),
    )
    env = make_environment(extra_template_dirs)
    try:
        html = env.get_template(HTML_TEMPLATE).render(context)
        text = env.get_template(TEXT_TEMPLATE).render(context)
    except jinja2.TemplateError as exc:
        raise RenderError(f"could not render the mail body: {type(exc).__name__}: {exc}",
                          hint="check email.html / email.txt in your template override folder") from exc
    try:
        html = _inliner().inline(html)
    except ValueError as exc:  # css-inline raises InlineError, a ValueError, on CSS it cannot apply
        raise RenderError(f"could not inline the mail body's CSS: {exc}") from exc
    return html, text
