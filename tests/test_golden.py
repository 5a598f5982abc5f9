"""Golden HTML: the daily report for a fixed dataset and a frozen clock, byte for byte.

A template or render change that alters the output fails here; when the change is intended,
regenerate with ``make golden`` (REPORTGEN_UPDATE_GOLDEN=1) and review the diff in git.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from test_render import make_report

from reportgen.render import render_html

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("REPORTGEN_UPDATE_GOLDEN") == "1"


@pytest.mark.parametrize("language", ["zh", "en"])
def test_daily_html_matches_golden(language):
    html = render_html(make_report(language))
    path = GOLDEN / f"daily-{language}.html"
    if UPDATE:
        path.write_text(html, encoding="utf-8")
    assert path.exists(), f"{path} missing: run `make golden`"
    assert html == path.read_text(encoding="utf-8"), f"{path.name} differs: run `make golden` if intended"
