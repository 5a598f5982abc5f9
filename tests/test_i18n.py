"""Report languages: the Chinese catalog covers every string the templates and code use, and
numbers and dates follow the locale."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from reportgen.errors import RenderError
from reportgen.report.i18n import Formatter, catalog_path, translations

REPO = Path(__file__).resolve().parent.parent


def _extracted() -> set[tuple[str | None, str]]:
    """Every (context, msgid) `make catalogs` would extract, read from the sources right now."""
    with (REPO / "babel.cfg").open(encoding="utf-8") as fh:
        method_map, options_map = parse_mapping_cfg(fh)
    found = set()
    for _file, _line, message, _comments, context in extract_from_dir(
            str(REPO), method_map, options_map, keywords={"_": None, "gettext": None, "ngettext": (1, 2),
                                                          "pgettext": ((1, "c"), 2), "N_": None}):
        msgid = message[0] if isinstance(message, tuple) else message
        if msgid:
            found.add((context, msgid))
    return found


def test_every_string_has_a_chinese_translation() -> None:
    with catalog_path("zh").open("rb") as fh:
        catalog = read_po(fh)
    translated = {(m.context, m.id[0] if isinstance(m.id, tuple) else m.id)
                  for m in catalog if m.id and m.string and (not isinstance(m.string, tuple) or all(m.string))
                  and not m.fuzzy}
    extracted = _extracted()
    assert len(extracted) > 100 and (None, "Executive summary") in extracted  # the extraction itself works
    missing = extracted - translated
    assert not missing, f"untranslated (run `make catalogs` and fill in reportgen/locale/zh_CN.po): {sorted(missing)}"


def test_placeholders_survive_translation() -> None:
    import re

    with catalog_path("zh").open("rb") as fh:
        catalog = read_po(fh)
    for m in catalog:
        if not m.id:
            continue
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        wanted = set(re.findall(r"%\(\w+\)s", ids[-1]))
        for s in strings:
            assert set(re.findall(r"%\(\w+\)s", s)) == wanted, (m.id, s)


def test_translations() -> None:
    zh = translations("zh")
    assert zh.gettext("Executive summary") == "舆情概况"
    assert zh.gettext("INTERNAL · CONFIDENTIAL") == "内部资料 注意保密"
    assert zh.pgettext("list", ", ") == "、" and zh.gettext(", ") == "，"
    assert zh.ngettext("%(n)s reprint", "%(n)s reprints", 5) % {"n": 5} == "转载 5 次"
    en = translations("en")
    assert en.gettext("Executive summary") == "Executive summary"
    assert en.ngettext("%(n)s reprint", "%(n)s reprints", 1) % {"n": 1} == "1 reprint"
    with pytest.raises(RenderError):
        translations("fr")


@pytest.mark.parametrize(
    ("language", "number", "percent", "signed", "signed_percent", "full", "short"),
    [
        ("zh", "12,345", "37.5%", "−3", "+25.0%", "2026年11月28日星期六", "11月28日"),
        ("en", "12,345", "37.5%", "−3", "+25.0%", "Saturday, November 28, 2026", "Nov 28"),
    ],
)
def test_formats_follow_the_locale(language: str, number: str, percent: str, signed: str, signed_percent: str,
                                   full: str, short: str) -> None:
    f = Formatter(language)
    day = date(2026, 11, 28)
    assert f.number(12345) == number
    assert f.percent(0.375) == percent
    assert f.signed(-3) == signed and f.signed(4) == "+4" and f.signed(0) == "0"
    assert f.signed_percent(0.25) == signed_percent
    assert f.date_full(day) == full
    assert f.date_short(day) == short
    assert f.date_axis(day) == "11/28"
