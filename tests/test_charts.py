"""Charts: deterministic SVG bytes, text drawn as paths (no font needed to view them), and
series told apart by hatching as well as colour."""

from __future__ import annotations

import base64
import re
import subprocess
import sys

from reportgen.report import charts

LABELS = ["11/15", "11/16", "11/17"]
SERIES = [charts.Series("本行信息量", [3, 0, 12], value_labels=False),
          charts.Series("本行负面", [1, 0, 4], fill=charts.FILL_DARK, hatch=charts.HATCH_NEGATIVE)]


def test_same_figures_same_bytes() -> None:
    assert charts.column_chart(LABELS, SERIES) == charts.column_chart(LABELS, SERIES)
    banks = [charts.Series("声量占比", [0.5, 0.3, 0.2])]
    assert charts.bar_chart(["工行", "建行", "农行"], banks, highlight=[0]) == \
        charts.bar_chart(["工行", "建行", "农行"], banks, highlight=[0])


def test_same_bytes_in_a_fresh_process() -> None:
    """The hash salt is fixed: ids in the SVG do not change from one process to the next."""
    code = ("import sys; from reportgen.report import charts; "
            "sys.stdout.write(charts.data_uri(charts.column_chart(['a', 'b'], [charts.Series('x', [1, 2])])))")
    runs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
            for _ in range(2)}
    assert len(runs) == 1
    assert runs == {charts.data_uri(charts.column_chart(["a", "b"], [charts.Series("x", [1, 2])]))}


def test_text_is_drawn_as_paths_without_a_date() -> None:
    svg = charts.column_chart(LABELS, SERIES).decode("utf-8")
    assert "<text" not in svg  # svg.fonttype = "path": glyphs are outlines
    assert "<dc:date>" not in svg and "Matplotlib v" not in svg
    assert re.search(r'<path id="[^"]*" d="M ', svg)  # glyph outlines defined once, then <use>d
    assert svg.count("<use ") > 10


def test_negatives_are_hatched_for_grayscale_print() -> None:
    svg = charts.column_chart(LABELS, SERIES).decode("utf-8")
    assert "<pattern" in svg  # the hatch
    assert charts.FILL_DARK.lower() in svg.lower() and charts.FILL_LIGHT.lower() in svg.lower()


def test_data_uri() -> None:
    uri = charts.data_uri(b"<svg/>")
    assert uri == "data:image/svg+xml;base64," + base64.b64encode(b"<svg/>").decode()
