"""Charts for the briefing: matplotlib → SVG bytes, embedded in the report as ``data:`` URIs.

Three rules shape every chart here:

* **Deterministic bytes.**  ``svg.hashsalt`` is fixed (matplotlib otherwise derives clip-path and
  glyph ids from a random salt), the SVG carries no date, and nothing depends on the wall clock,
  so the same figures give the same file and the golden HTML stays byte-identical.
* **Text as paths** (``svg.fonttype = "path"``): a viewer (a phone's mail app, WeasyPrint) needs no
  CJK font to show the labels, and the PDF embeds no second copy of Noto Sans CJK.
* **Readable in grayscale.**  The bank's own figures and negatives differ from the rest by
  lightness *and* by hatching, and bars carry their values as labels, so a black-and-white print
  loses nothing.

Only the object-oriented API is used (no pyplot): no global figure registry, no GUI backend.
"""

from __future__ import annotations

import base64
import functools
import io
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

log = logging.getLogger(__name__)

# Light and dark fills differ by lightness (grayscale) as well as by hue (screen).
FILL_LIGHT = "#c9d3e0"
FILL_DARK = "#9b2c2c"
FILL_MID = "#5b6f8c"
EDGE = "#222222"
HATCH_NEGATIVE = "////"
HATCH_SELF = "xx"
CJK_FONTS = ["Noto Sans CJK SC", "Noto Sans CJK", "Source Han Sans SC", "WenQuanYi Zen Hei", "DejaVu Sans"]
WIDTH_IN = 7.0  # the A4 text column


@dataclass(frozen=True, slots=True)
class Layout:
    """How big a chart is drawn and its text: the A4 column (also a desk's browser), or a phone.

    A chart scales to the width it is shown at, text included: the A4 chart (504 pt wide) on a
    390 px phone shrinks to about half, and its 8 pt labels to 5 CSS px.  The narrow layout is drawn
    about as wide as a phone shows it (270 pt ≈ 360 CSS px), with 9 pt text, so its labels read at
    about 12 CSS px there; the HTML offers it to narrow screens (``<picture>``), the PDF keeps the A4 one.
    """

    width_in: float = WIDTH_IN
    tick_size: float = 8.0
    value_size: float = 6.5
    legend_size: float = 7.5
    axis_size: float = 6.5  # the value axis of the horizontal bars
    wrap_chars: int = 0  # wrap a longer Latin row label at spaces (0: never)


WIDE = Layout()
NARROW = Layout(width_in=3.75, tick_size=9.0, value_size=9.0, legend_size=9.0, axis_size=9.0, wrap_chars=16)

_RC: dict[str, Any] = {
    "svg.fonttype": "path",
    "svg.hashsalt": "reportgen",
    "font.family": "sans-serif",
    "font.sans-serif": CJK_FONTS,
    "font.size": 8.0,
    "axes.unicode_minus": False,  # U+2212 is missing from some CJK fonts' Latin part
    "axes.edgecolor": "#555555",
    "axes.linewidth": 0.6,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 9.0,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "xtick.color": "#333333",
    "ytick.color": "#333333",
    "xtick.major.size": 2.5,
    "ytick.major.size": 0.0,
    "legend.frameon": False,
    "legend.fontsize": 7.5,
    "hatch.linewidth": 0.6,
    "hatch.color": "#ffffff",
    "figure.dpi": 72,
}


@dataclass(frozen=True, slots=True)
class Series:
    """One set of bars: its legend label, values, and how it looks."""

    label: str
    values: Sequence[float]
    fill: str = FILL_LIGHT
    hatch: str | None = None
    value_labels: bool = True
    labels: Sequence[str] | None = None  # the text beside each bar; default: the value


@functools.cache
def _setup() -> None:
    """Import matplotlib with the SVG backend and our settings (once; importing costs ~0.3 s)."""
    import matplotlib  # heavy: matplotlib, only when a report draws its charts

    matplotlib.use("svg", force=False)
    params: Any = matplotlib.rcParams  # typed with a Literal of every key; ours are plain strings
    params.update(_RC)
    logging.getLogger("matplotlib.font_manager").setLevel(logging.WARNING)


def _figure(height_in: float, *, left_in: float = 0.4, top_in: float = 0.3, bottom_in: float = 0.3,
            right_in: float = 0.15, width_in: float = WIDTH_IN) -> tuple[Any, Any]:
    """A figure with fixed margins (in inches): constrained layout would cost ~0.3 s per chart."""
    _setup()
    from matplotlib.figure import Figure  # heavy: matplotlib, only when a report draws its charts

    fig = Figure(figsize=(width_in, height_in))
    fig.subplots_adjust(left=left_in / width_in, right=1 - right_in / width_in,
                        bottom=bottom_in / height_in, top=1 - top_in / height_in)
    return fig, fig.subplots()


def _text_width_in(text: str, size_pt: float) -> float:
    """Roughly how wide ``text`` sets (its longest line): full width for CJK, about half for Latin and digits."""
    ems = max(sum(1.0 if ord(ch) > 0x2E80 else 0.58 for ch in line) for line in text.split("\n"))
    return ems * size_pt / 72


def _wrap(label: str, chars: int) -> str:
    """A long Latin label (Postal Savings Bank of China) on lines of about ``chars`` characters, broken at
    spaces; CJK names and short labels stay on one line."""
    if not chars or len(label) <= chars or " " not in label:
        return label
    lines: list[str] = []
    for word in label.split():
        if lines and len(lines[-1]) + 1 + len(word) <= chars:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "\n".join(lines)


def _svg(fig: Any) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None}, transparent=False,
                facecolor="white")
    return buffer.getvalue()


def data_uri(svg: bytes) -> str:
    """An SVG as a ``data:`` URI for ``<img src>``: self-contained HTML, no fetch for the PDF."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def column_chart(labels: Sequence[str], series: Sequence[Series], *, title: str = "", height_in: float = 2.3,
                 label_step: int = 1, layout: Layout = WIDE) -> bytes:
    """Vertical grouped bars over ``labels`` (days or weeks): the trend charts.

    ``label_step`` thins the x labels when there are many bars (more, if the layout's labels would
    not fit side by side); every bar keeps its value label.
    """
    fig, ax = _figure(height_in, top_in=0.3 if title or len(series) > 1 else 0.1, width_in=layout.width_in)
    plot_in = layout.width_in - 0.55
    widest = max((_text_width_in(lab, layout.tick_size) for lab in labels), default=0.0) + 0.08
    thinned = label_step
    while thinned < len(labels) and widest * len(labels) / thinned > plot_in:
        thinned += 1
    n = max(len(series), 1)
    width = 0.8 / n
    positions = list(range(len(labels)))
    top = max((v for s in series for v in s.values), default=0)
    for k, s in enumerate(series):
        offsets = [p - 0.4 + width * (k + 0.5) for p in positions]
        bars = _bars(ax, "vertical", offsets, s.values, width * 0.92, [s.fill] * len(offsets),
                     [s.hatch] * len(offsets))
        if s.value_labels:
            texts = s.labels if s.labels is not None else [_number(v) if v else "" for v in s.values]
            ax.bar_label(bars, labels=list(texts), padding=1.5, fontsize=layout.value_size, color="#222222")
    if thinned == label_step:
        ax.set_xticks(positions, [lab if i % label_step == 0 else "" for i, lab in enumerate(labels)])
    else:  # thinned to fit: counted from the right, so the latest day keeps its label
        last = len(labels) - 1
        ax.set_xticks(positions, [lab if (last - i) % thinned == 0 else "" for i, lab in enumerate(labels)])
    ax.tick_params(axis="both", labelsize=layout.tick_size)
    ax.set_xlim(-0.6, len(labels) - 0.4)
    ax.set_ylim(0, top * 1.18 if top else 1)
    ax.yaxis.grid(True, color="#dddddd", linewidth=0.5, zorder=0)
    ax.yaxis.set_major_locator(_integer_locator())
    if title:
        ax.set_title(title)
    _legend(ax, series, layout.legend_size)
    return _svg(fig)


def bar_chart(labels: Sequence[str], series: Sequence[Series], *, title: str = "", highlight: Sequence[int] = (),
              percent_axis: bool = False, height_per_row: float = 0.28, layout: Layout = WIDE) -> bytes:
    """Horizontal grouped bars, one row per label, first label on top: channels and banks.

    Rows in ``highlight`` (the bank itself) get a darker fill and cross-hatching on the first
    series, and a bold label, so they stand out without colour.
    """
    labels = [_wrap(lab, layout.wrap_chars) for lab in labels]
    label_in = max((_text_width_in(lab, layout.tick_size) for lab in labels), default=0.3)
    lines = max((lab.count("\n") + 1 for lab in labels), default=1)
    row_in = max(height_per_row * max(len(series), 1) * 0.75, lines * layout.tick_size * 1.3 / 72)
    fig, ax = _figure(max(1.2, 0.5 + row_in * len(labels)), left_in=label_in + 0.15,
                      top_in=0.3 if title or len(series) > 1 else 0.1, bottom_in=0.25, width_in=layout.width_in)
    n = max(len(series), 1)
    height = 0.8 / n
    rows = list(range(len(labels)))
    top = max((v for s in series for v in s.values), default=0)
    for k, s in enumerate(series):
        offsets = [r - 0.4 + height * (k + 0.5) for r in rows]
        fills = [FILL_MID if (k == 0 and r in highlight) else s.fill for r in rows]
        hatches = [HATCH_SELF if (k == 0 and r in highlight) else s.hatch for r in rows]
        bars = _bars(ax, "horizontal", offsets, s.values, height * 0.92, fills, hatches)
        if s.value_labels:
            texts = s.labels if s.labels is not None else [_number(v) for v in s.values]
            ax.bar_label(bars, labels=list(texts), padding=2, fontsize=layout.value_size, color="#222222")
    ax.set_yticks(rows, list(labels))
    ax.tick_params(axis="y", labelsize=layout.tick_size)
    for r, tick in enumerate(ax.get_yticklabels()):
        if r in highlight:
            tick.set_fontweight("bold")
    ax.invert_yaxis()
    ax.set_xlim(0, top * 1.3 if top else 1)
    ax.xaxis.grid(True, color="#dddddd", linewidth=0.5, zorder=0)
    ax.tick_params(axis="x", labelsize=layout.axis_size)
    if percent_axis:
        from matplotlib.ticker import PercentFormatter  # heavy: matplotlib, only when a report draws its charts

        ax.xaxis.set_major_formatter(PercentFormatter(xmax=1.0, decimals=0))
    if title:
        ax.set_title(title)
    _legend(ax, series, layout.legend_size)
    return _svg(fig)


def _bars(ax: Any, orientation: Literal["vertical", "horizontal"], centres: Sequence[float], values: Sequence[float],
          thickness: float, fills: Sequence[str], hatches: Sequence[str | None]) -> Any:
    """Draw bars from the baseline (0) at ``centres``, one path per look (fill and hatch), and return
    their container for :meth:`~matplotlib.axes.Axes.bar_label`.

    ``ax.bar`` would add one patch per bar.  The page looks the same with one path per look (the bars
    never overlap, and a hatch is anchored to the chart, not to the bar), but a renderer has far fewer
    shapes to draw: WeasyPrint draws each SVG path and its hatch pattern one by one, so the negatives
    of a trend chart cost one pattern instead of one per day, and the PDF holds one copy of it.  The
    rectangles are the ones ``ax.bar`` makes (same corners, in the same order); they only place the
    value labels and are never drawn.
    """
    from matplotlib.container import BarContainer  # heavy: matplotlib, only when a report draws its charts
    from matplotlib.patches import PathPatch, Rectangle  # heavy: matplotlib, only when a report draws its charts
    from matplotlib.path import Path  # heavy: matplotlib, only when a report draws its charts

    rects = []
    looks: dict[tuple[str, str | None], list[Rectangle]] = {}
    for centre, value, fill, hatch in zip(centres, values, fills, hatches, strict=True):
        start = centre - thickness / 2
        rect = (Rectangle((start, 0.0), thickness, value) if orientation == "vertical"
                else Rectangle((0.0, start), value, thickness))
        rects.append(rect)
        looks.setdefault((fill, hatch), []).append(rect)
    for (fill, hatch), group in looks.items():
        vertices: list[tuple[float, float]] = []
        for r in group:
            x, y, w, h = r.get_x(), r.get_y(), r.get_width(), r.get_height()
            vertices += [(x, y), (x + w, y), (x + w, y + h), (x, y + h), (x, y)]
        codes = [Path.MOVETO, Path.LINETO, Path.LINETO, Path.LINETO, Path.CLOSEPOLY] * len(group)
        ax.add_patch(PathPatch(Path(vertices, codes), facecolor=fill, edgecolor=EDGE, linewidth=0.5, hatch=hatch,
                               zorder=2))
    ax.autoscale_view()  # as ax.bar would have it: the limits an axis the caller does not set takes
    return BarContainer(rects, datavalues=[float(v) for v in values], orientation=orientation)


def _legend(ax: Any, series: Sequence[Series], size: float = 7.5) -> None:
    """Above the plot, right-aligned on the title's line, so it never covers a bar or its label."""
    if len(series) < 2:
        return
    from matplotlib.patches import Patch  # heavy: matplotlib, only when a report draws its charts

    handles = [Patch(facecolor=s.fill, edgecolor=EDGE, linewidth=0.5, hatch=s.hatch, label=s.label) for s in series]
    ax.legend(handles=handles, loc="lower right", bbox_to_anchor=(1.0, 1.0), ncols=len(series),
              borderaxespad=0.2, handlelength=1.6, fontsize=size)


def _integer_locator() -> Any:
    from matplotlib.ticker import MaxNLocator  # heavy: matplotlib, only when a report draws its charts

    return MaxNLocator(nbins=5, integer=True, min_n_ticks=2)
