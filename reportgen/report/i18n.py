"""Report languages: gettext catalogs (Babel) and locale-aware numbers and dates.

The message ids are English; ``reportgen/locale/zh_CN.po`` translates them into Chinese, the
default report language.  English needs no catalog.

The ``.po`` file is the only form kept in the tree: it is compiled in memory the first time a
language is used (a few milliseconds), so an installed wheel needs nothing but the ``.po`` that
ships as package data, and a compiled ``.mo`` can never be older than its source.  After changing
a template or a marked string, run ``make catalogs`` (``pybabel extract`` + ``update``), translate
the new entries, and the next report uses them.

Templates use jinja2's i18n extension (``{% trans %}``, ``_()``); Python code marks strings with
:func:`N_` and translates them with :func:`gettext_for`.
"""

from __future__ import annotations

import functools
import gettext
import io
import logging
from collections.abc import Callable
from datetime import date
from pathlib import Path

from babel import Locale
from babel.dates import format_date as _babel_format_date
from babel.dates import format_skeleton
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent

from reportgen.errors import RenderError

log = logging.getLogger(__name__)

DOMAIN = "reportgen"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
# report language → Babel/gettext locale, and the HTML lang attribute
LOCALES: dict[str, str] = {"zh": "zh_CN", "en": "en"}
HTML_LANG: dict[str, str] = {"zh": "zh-CN", "en": "en"}
LANGUAGES = tuple(LOCALES)


def N_(message: str) -> str:  # noqa: N802 - the conventional gettext marker name
    """Mark ``message`` for extraction; it is translated later, in the report's language."""
    return message


def check_language(language: str) -> str:
    if language not in LOCALES:
        raise RenderError(f"unsupported report language {language!r}", hint=f"use one of: {', '.join(LOCALES)}")
    return language


def catalog_path(language: str) -> Path:
    return LOCALE_DIR / f"{LOCALES[language]}.po"


@functools.cache
def translations(language: str) -> gettext.NullTranslations:
    """The gettext translations for ``language``, compiled from its ``.po`` on first use.

    English is the source language: it gets ``NullTranslations`` (identity, correct plurals).
    Fuzzy entries are skipped, like ``msgfmt`` does, so a half-reviewed string falls back to English
    rather than printing a guess.
    """
    check_language(language)
    path = catalog_path(language)
    if not path.is_file():
        if language != "en":
            raise RenderError(f"the {language} message catalog is missing: {path}",
                              hint="reinstall reportgen; the .po files ship inside the package")
        return gettext.NullTranslations()
    with path.open("rb") as fh:
        catalog = read_po(fh, locale=LOCALES[language], domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    log.debug("compiled %s (%d messages)", path, len(catalog))
    return gettext.GNUTranslations(buffer)


def gettext_for(language: str) -> Callable[[str], str]:
    return translations(language).gettext


# --- numbers and dates, formatted for the locale ---------------------------------------------------


class Formatter:
    """Numbers, percentages, changes and dates in one report language (Babel's CLDR data)."""

    def __init__(self, language: str) -> None:
        self.language = check_language(language)
        self.locale = Locale.parse(LOCALES[language])

    def number(self, value: float | int) -> str:
        """12345 → ``12,345``."""
        return format_decimal(value, format="#,##0.##", locale=self.locale)

    def percent(self, value: float, digits: int = 1) -> str:
        """0.375 → ``37.5%``."""
        pattern = "#,##0." + "0" * digits + "%" if digits else "#,##0%"
        return format_percent(value, format=pattern, locale=self.locale)

    def signed(self, value: float | int) -> str:
        """A change: ``+12``, ``−3`` (a true minus sign), ``0``."""
        if not value:
            return "0"
        return format_decimal(value, format="+#,##0.##;−#,##0.##", locale=self.locale)

    def signed_percent(self, value: float, digits: int = 1) -> str:
        """A relative change: 0.25 → ``+25.0%``."""
        if not value:
            return self.percent(0.0, digits)
        body = "#,##0." + "0" * digits + "%" if digits else "#,##0%"
        return format_percent(value, format=f"+{body};−{body}", locale=self.locale)

    def date_full(self, day: date) -> str:
        """``2026年11月28日星期六`` / ``Saturday, November 28, 2026``."""
        return _babel_format_date(day, "full", locale=self.locale)

    def date_long(self, day: date) -> str:
        """``2026年11月28日`` / ``November 28, 2026``."""
        return _babel_format_date(day, "long", locale=self.locale)

    def date_short(self, day: date) -> str:
        """``11月28日`` / ``Nov 28``."""
        return format_skeleton("MMMd", day, locale=self.locale)

    def date_axis(self, day: date) -> str:
        """``11/28``: the compact form a chart axis has room for."""
        return format_skeleton("Md", day, locale=self.locale)

    def weekday(self, day: date) -> str:
        """``周六`` / ``Sat``."""
        return format_skeleton("E", day, locale=self.locale)
