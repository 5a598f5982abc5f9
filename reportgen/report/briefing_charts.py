"""The briefing's charts: which figures each one draws, its labels and caption, in the report's language.

Kept apart from :mod:`reportgen.report.briefing` (what page 1 and the sections say) and from
:mod:`reportgen.report.charts` (how a chart is drawn).  Captions are set in HTML, not in the SVG: with text
drawn as paths every glyph in a chart costs a path to parse and paint.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from reportgen.models import BankTotal, PeriodTotals, ReportData
from reportgen.report import charts
from reportgen.report.i18n import Formatter


class Briefing(Protocol):
    """What the charts need of :class:`reportgen.report.briefing.Briefing`: the report, its language's
    words and formats.  A protocol, so the briefing can import this module and not the reverse."""

    report: ReportData
    fmt: Formatter
    daily: bool
    self_banks: list[BankTotal]

    def _(self, message: str, **values: Any) -> str: ...

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str: ...

    def channel(self, code: str) -> str: ...

    def shown_banks(self) -> list[tuple[int, BankTotal]]: ...

CHART_NAMES = ("trend", "weekly", "channels", "banks")


def chart_images(b: Briefing, layout: charts.Layout = charts.WIDE) -> dict[str, str]:
    """The charts as ``data:`` URIs by name; a chart with nothing to draw is "".  ``charts.NARROW``
    draws them for a phone (the HTML offers those to narrow screens; the PDF uses the wide ones)."""
    report = b.report
    out: dict[str, bytes] = {}
    if report.trend:
        out["trend"] = charts.column_chart([b.fmt.date_axis(p.first) for p in report.trend],
                                           _trend_series(b, [p.totals for p in report.trend]), layout=layout)
    if not b.daily and report.weekly_trend:
        labels = [b._("W%(week)s", week=p.first.isocalendar()[1]) for p in report.weekly_trend]
        out["weekly"] = charts.column_chart(labels, _trend_series(b, [p.totals for p in report.weekly_trend]),
                                            layout=layout)
    if report.channels:
        rows = report.channels
        out["channels"] = charts.bar_chart(
            [b.channel(c.channel) for c in rows],
            [charts.Series(b._("Items"), [c.items for c in rows]),
             charts.Series(b._("Negative items"), [c.negative_items for c in rows], fill=charts.FILL_DARK,
                           hatch=charts.HATCH_NEGATIVE)], layout=layout)
    if report.bank_totals:
        out["banks"] = _bank_chart(b, layout)
    return {name: charts.data_uri(out[name]) if name in out else "" for name in CHART_NAMES}


def chart_titles(b: Briefing) -> dict[str, str]:
    """Each chart's caption."""
    days, weeks = len(b.report.trend), len(b.report.weekly_trend)
    return {
        "trend": b.ngettext("Daily volume, last %(n)s day", "Daily volume, last %(n)s days", days) % {"n": days},
        "weekly": b.ngettext("Weekly volume, last %(n)s week", "Weekly volume, last %(n)s weeks",
                             weeks) % {"n": weeks},
        "channels": b._("Items by channel"),
        "banks": b._("Share of voice and share of negative coverage by bank"),
    }


def _trend_series(b: Briefing, points: Sequence[PeriodTotals]) -> list[charts.Series]:
    """The bank's own volume and negatives (all banks' when none has role "self").

    Only the negatives carry value labels: the table under the chart has every figure, and each
    label is drawn glyph by glyph, which is most of a chart's cost.
    """
    if b.self_banks:
        return [charts.Series(b._("Mentions of us"), [p.self_mentions for p in points], value_labels=False),
                charts.Series(b._("Negative about us"), [p.self_negative for p in points],
                              fill=charts.FILL_DARK, hatch=charts.HATCH_NEGATIVE)]
    return [charts.Series(b._("Items"), [p.total_items for p in points], value_labels=False),
            charts.Series(b._("Negative items"), [p.negative_items for p in points],
                          fill=charts.FILL_DARK, hatch=charts.HATCH_NEGATIVE)]


def _bank_chart(b: Briefing, layout: charts.Layout = charts.WIDE) -> bytes:
    """Share of voice against share of all negative coverage, per bank; the bank itself cross-hatched."""
    shown = {x.bank_id for _, x in b.shown_banks()}
    all_negative = sum(x.negative for x in b.report.bank_totals)  # shares of all banks, listed or not
    banks = [x for x in b.report.bank_totals if x.bank_id in shown]
    negative_share = [x.negative / all_negative if all_negative else 0.0 for x in banks]
    return charts.bar_chart(
        [x.name for x in banks],
        [charts.Series(b._("Share of voice"), [x.share_of_voice for x in banks],
                       labels=[b.fmt.percent(x.share_of_voice) for x in banks]),
         charts.Series(b._("Share of negative coverage"), negative_share, fill=charts.FILL_DARK,
                       hatch=charts.HATCH_NEGATIVE, value_labels=False)],
        highlight=[i for i, x in enumerate(banks) if x.role == "self"], percent_axis=True, layout=layout)
