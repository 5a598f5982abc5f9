"""Shared test settings.

Hypothesis explores new examples on every developer run; on CI (``CI=true``) it is derandomized,
so a landing never depends on which examples a random seed happened to pick.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import settings

settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI") == "true":
    settings.load_profile("ci")

# `db_url`: a fresh SQLite file, and a fresh PostgreSQL schema when REPORTGEN_TEST_PG_URL is set (tests/pgdb.py).
from pgdb import db_url  # noqa: E402, F401


@pytest.fixture(scope="module")
def scorer() -> object:
    """The shipped rules scorer (test modules may define their own ``scorer``)."""
    from reportgen.score.rules import RulesScorer  # a test module that scores nothing does not build its tables

    return RulesScorer()
