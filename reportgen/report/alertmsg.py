"""What a pushed alert says: the message for 企业微信, 钉钉, 飞书, e-mail or a webhook, and the one-page
舆情快报 PDF that may go with it.

One message, three forms: plain text (企业微信's robot, a JSON webhook), generic Markdown (钉钉's
robot; e-mail, where apprise turns it into HTML) and Feishu/Lark card Markdown (``lark_md``: no
headings or lists, but coloured text).  Each names the level with its colour word (一级（红色）),
the bank, the incident's headline, category, heat and how fast it grows, the first source with its
link, the playbook's owner and first step, and the alert id to acknowledge it by.

Everything from a feed is set as data: Markdown characters in a headline are escaped, and bidi
controls are isolated (:func:`reportgen.models.isolated`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from reportgen import __version__
from reportgen.config.banks_en import display_names
from reportgen.config.core import Config
from reportgen.config.defaults import PlaybookEntry
from reportgen.insight.alerts import level_name, playbook_for
from reportgen.models import LEVEL_COLOURS, AlertIncident, isolated
from reportgen.report.i18n import HTML_LANG
from reportgen.report.render import render_template, safe_url, write_pdf

FLASH_TEMPLATE = "flash.html"
REASONS = ("new", "escalation", "reminder", "test")
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|<>~])")

_LABELS = {
    "zh": {"new": "【舆情预警】", "escalation": "【舆情预警·升级】", "reminder": "【舆情预警·再次提醒】",
           "test": "【舆情预警·测试】", "incident": "事件", "category": "类别", "heat": "热度",
           "first": "首发", "link": "原文", "why": "研判", "action": "处置建议", "id": "预警编号",
           "ack": "确认", "unacked": "已 {minutes} 分钟无人确认", "raised": "首次预警", "none": "无",
           "growth": "近{hours}小时 +{growth}", "reprints": "转载 {n} 次", "sep": "：", "name": "姓名",
           "test_body": "这是一条测试消息：reportgen 可以向本通道推送舆情预警。"},
    "en": {"new": "[Alert] ", "escalation": "[Alert · escalated] ", "reminder": "[Alert · reminder] ",
           "test": "[Alert · test] ", "incident": "Incident", "category": "Category", "heat": "Heat",
           "first": "First source", "link": "Link", "why": "Why", "action": "Action", "id": "Alert ID",
           "ack": "Acknowledge", "unacked": "unacknowledged for {minutes} minutes", "raised": "first raised",
           "none": "none", "growth": "+{growth} in the last {hours} h", "reprints": "{n} reprints", "sep": ": ",
           "name": "NAME",
           "test_body": "This is a test message: reportgen can push alerts to this channel."},
}


@dataclass(frozen=True, slots=True)
class PushMessage:
    """One alert's message in the forms the services render."""

    title: str
    text: str  # plain text, without the title
    markdown: str  # generic Markdown, without the title
    lark_md: str  # Feishu/Lark card Markdown, without the title
    level: int  # 0 for a test message
    language: str

    def full_text(self) -> str:
        """Title and body as one plain text (what a log or a terminal shows)."""
        return f"{self.title}\n{self.text}"


def compose(incident: AlertIncident, config: Config, reason: str, language: str, now: datetime, *,
            previous_level: int | None = None) -> PushMessage:
    """The message for ``incident``: ``reason`` is new, escalation (from ``previous_level``) or reminder."""
    if reason not in REASONS:
        raise ValueError(f"unknown push reason {reason!r}")
    lab = _LABELS[language]
    tz = config.settings.tz
    bank = bank_name(incident, config, language)
    level = level_name(incident.level, language)
    if reason == "escalation" and previous_level and previous_level != incident.level:
        level = f"{level_name(previous_level, language)} → {level}"
    title = f"{lab[reason]}{level} {bank}"
    entry = playbook_for(incident.category, config.events.playbook)
    facts = _facts(incident, config, language, entry)
    raised = incident.first_raised_at.astimezone(tz)
    id_line = f"{incident.incident_id}（{lab['raised']} {raised:%m-%d %H:%M}）" if language == "zh" \
        else f"{incident.incident_id} ({lab['raised']} {raised:%m-%d %H:%M})"
    ack = f"reportgen alerts ack {incident.incident_id} --by {lab['name']}"
    extra = ""
    if reason == "reminder":
        minutes = max(round((now - incident.taken_since).total_seconds() / 60), 1)  # since raised or reopened
        extra = lab["unacked"].format(minutes=minutes)

    text_lines = [extra] if extra else []
    md_lines = [_md_escape(extra)] if extra else []
    for label, value, url in facts:
        text_lines.append(f"{label}{lab['sep']}{value}")
        if url:
            text_lines.append(f"{lab['link']}{lab['sep']}{url}")
        shown = f"[{_md_escape(value)}]({_md_url(url)})" if url else _md_escape(value)
        md_lines.append(f"**{label}**{lab['sep']}{shown}")
    text_lines += [f"{lab['id']}{lab['sep']}{id_line}", f"{lab['ack']}{lab['sep']}{ack}"]
    md_lines += [f"**{lab['id']}**{lab['sep']}{_md_escape(id_line)}", f"**{lab['ack']}**{lab['sep']}`{ack}`"]
    text = "\n".join(text_lines)
    markdown = "\n".join(f"- {line}" for line in md_lines)
    # Feishu's card Markdown has no lists or headings, but colours text
    colour = LEVEL_COLOURS.get(incident.level, "grey")
    lark_head = f"<font color='{colour}'>**{_md_escape(level_name(incident.level, language))}**</font>"
    lark_md = "\n".join([lark_head, *md_lines])
    return PushMessage(title, text, markdown, lark_md, incident.level, language)


def compose_test(channel: str, language: str, now: datetime, tz: Any) -> PushMessage:
    """``reportgen push --test``: a short message that says what it is."""
    lab = _LABELS[language]
    title = f"{lab['test']}reportgen → {channel}"
    body = f"{lab['test_body']}\n{now.astimezone(tz):%Y-%m-%d %H:%M %Z}"
    return PushMessage(title, body, _md_escape(body), _md_escape(body), 0, language)


def _facts(incident: AlertIncident, config: Config, language: str,
           entry: PlaybookEntry) -> list[tuple[str, str, str | None]]:
    """(label, value, link) lines after the title, in the order people read them."""
    lab = _LABELS[language]
    tz = config.settings.tz
    names = {c.code: c.name(language) for c in config.scoring.category_rules()}
    out: list[tuple[str, str, str | None]] = []
    if incident.title:
        out.append((lab["incident"], isolated(incident.title), None))
    out.append((lab["category"], names.get(incident.category or "", incident.category or lab["none"]), None))
    heat = f"{incident.heat:.0f}"
    if incident.growth > 0:
        growth = lab["growth"].format(hours=f"{config.push.intraday.growth_hours:g}", growth=f"{incident.growth:.0f}")
        heat += f"（{growth}）" if language == "zh" else f" ({growth})"
    if incident.reprints:
        heat += ("，" if language == "zh" else ", ") + lab["reprints"].format(n=incident.reprints)
    out.append((lab["heat"], heat, None))
    if incident.first_source or incident.first_published_at:
        when = f" · {incident.first_published_at.astimezone(tz):%m-%d %H:%M}" if incident.first_published_at else ""
        out.append((lab["first"], f"{isolated(incident.first_source)}{when}", safe_url(incident.url)))
    reasons = incident_reasons(incident, config, language)
    if reasons:
        out.append((lab["why"], reasons[0], None))
    steps = entry.actions(language)
    dash = " — " if language == "zh" else ": "
    out.append((lab["action"], f"{entry.owner(language)}{dash}{steps[0]}" if steps else entry.owner(language), None))
    return out


def bank_name(incident: AlertIncident, config: Config, language: str) -> str:
    """The bank as a message in ``language`` names it: the configured name in Chinese, ``name_en`` (or
    the common English name) in English, as the English briefing does."""
    return display_names(config.banks, language).get(incident.bank_id, incident.bank_id)


def incident_reasons(incident: AlertIncident, config: Config, language: str) -> tuple[str, ...]:
    """The incident's reasons in ``language``.  They were written with the bank's configured (Chinese)
    name at their start; an English message names the bank in English there, as the English briefing
    does.  A headline quoted further on is feed text and stays as published."""
    reasons = incident.reasons(language)
    configured = next((b.name for b in config.banks if b.id == incident.bank_id), None)
    shown = bank_name(incident, config, language)
    if not configured or shown == configured:
        return reasons
    return tuple(shown + r[len(configured):] if r.startswith(configured) else r for r in reasons)


def _md_escape(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", text)


def _md_url(url: str) -> str:
    return url.replace(")", "%29").replace(" ", "%20")


# --- the one-page 舆情快报 ----------------------------------------------------------------------------


def flash_pdf(incident: AlertIncident, config: Config, language: str, now: datetime, out_dir: Path) -> Path:
    """A one-page 舆情快报 (flash report) for one incident, made with the briefing's templates and
    stylesheet, written to ``out_dir/alert-<id>-L<level>.pdf``."""
    tz = config.settings.tz
    entry = playbook_for(incident.category, config.events.playbook)
    names = {c.code: c.name(language) for c in config.scoring.category_rules()}
    bank = bank_name(incident, config, language)
    created = now.astimezone(tz)
    context = {
        "html_lang": HTML_LANG[language], "lang": language,
        "title": "舆情快报" if language == "zh" else "Media alert flash report",
        "period_key": f"#{incident.incident_id}", "author": config.settings.organisation,
        "generator": f"reportgen {__version__}", "created": created.isoformat(),
        "report": {"organisation": config.settings.organisation},
        "day_label": f"{created:%Y-%m-%d %H:%M}",
        "window_label": f"{config.push.intraday.window_hours:g} h",
        "incident": incident, "bank": bank, "level_label": level_name(incident.level, language),
        "colour": incident.colour, "category": names.get(incident.category or "", incident.category or "—"),
        "first_published": (incident.first_published_at.astimezone(tz).strftime("%Y-%m-%d %H:%M")
                            if incident.first_published_at else ""),
        "first_raised": incident.first_raised_at.astimezone(tz).strftime("%Y-%m-%d %H:%M"),
        "url": safe_url(incident.url), "reasons": incident_reasons(incident, config, language),
        "owner": entry.owner(language),
        "actions": entry.actions(language), "disposition": incident.disposition(language),
        "growth_hours": f"{config.push.intraday.growth_hours:g}",
    }
    extra = [config.settings.template_dir] if config.settings.template_dir else []
    html = render_template(FLASH_TEMPLATE, context, language, extra)
    return write_pdf(html, out_dir / f"alert-{incident.incident_id}-L{incident.level}.pdf")
