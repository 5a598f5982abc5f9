"""Golden HTML: the daily and weekly briefings, in Chinese and English, for a fixed dataset and a
frozen clock, byte for byte.

A template, catalog, chart or render change that alters the output fails here; when the change is
intended, regenerate with ``make golden`` (REPORTGEN_UPDATE_GOLDEN=1) and review the diff in git.

The charts are embedded as base64 SVG; in the golden files each one is replaced by its SHA-256
and size, so a diff stays readable while any change to a chart's bytes still fails the test.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
from pathlib import Path

import pytest
from briefing_data import make_report

from reportgen.report.render import render_html

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("REPORTGEN_UPDATE_GOLDEN") == "1"
_CHART = re.compile(r"data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)")


def _digest_charts(html: str) -> str:
    def digest(m: re.Match[str]) -> str:
        svg = base64.b64decode(m.group(1))
        return f"data:image/svg+xml;sha256={hashlib.sha256(svg).hexdigest()};bytes={len(svg)}"

    return _CHART.sub(digest, html)


@pytest.mark.parametrize("period", ["daily", "weekly"])
@pytest.mark.parametrize("language", ["zh", "en"])
def test_briefing_html_matches_golden(language: str, period: str) -> None:
    html = _digest_charts(render_html(make_report(language, period)))
    path = GOLDEN / f"{period}-{language}.html"
    if UPDATE:
        path.write_text(html, encoding="utf-8")
    assert path.exists(), f"{path} missing: run `make golden`"
    assert html == path.read_text(encoding="utf-8"), f"{path.name} differs: run `make golden` if intended"
