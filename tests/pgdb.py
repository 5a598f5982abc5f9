"""A fresh, empty PostgreSQL schema per test, when ``REPORTGEN_TEST_PG_URL`` names a server.

    REPORTGEN_TEST_PG_URL=postgresql+psycopg://reportgen:reportgen@127.0.0.1/reportgen_test

Each test gets its own schema in that database (``CREATE SCHEMA`` costs milliseconds where
``CREATE DATABASE`` costs a second), reached through a URL whose ``options`` put it first on the
``search_path``, so reportgen's unqualified table names land there and the test starts empty.  The
URL also carries the schema's name as ``application_name``: at teardown every connection a test
left open (stores are rarely closed in tests) is ended by that name, then the schema is dropped.

Without the variable, the PostgreSQL cases skip with the reason, as on a laptop without a server;
``.ci/run`` starts one and sets it.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

PG_ENV = "REPORTGEN_TEST_PG_URL"
SKIP_REASON = (f"{PG_ENV} is not set: no PostgreSQL to test against (.ci/run starts one; locally e.g. "
               f"{PG_ENV}=postgresql+psycopg://reportgen:reportgen@127.0.0.1/reportgen_test)")


def admin_url() -> str | None:
    return os.environ.get(PG_ENV) or None


def require_pg() -> str:
    """The server URL, or skip the calling test with the reason."""
    url = admin_url()
    if not url:
        pytest.skip(SKIP_REASON)
    try:
        import psycopg  # noqa: F401
    except ImportError:
        pytest.skip("psycopg is not installed: pip install 'reportgen[pg]'")
    return url


def schema_url(base: str, schema: str) -> str:
    """``base`` with ``schema`` first on the search path and as the application name."""
    from sqlalchemy.engine import make_url

    url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}", "application_name": schema})
    return url.render_as_string(hide_password=False)


@contextmanager
def fresh_schema(base: str | None = None) -> Iterator[str]:
    """A URL of a new empty schema; the schema and every connection to it are gone afterwards."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.pool import NullPool

    base = base or require_pg()
    schema = f"t_{uuid.uuid4().hex[:16]}"
    admin = create_engine(base, poolclass=NullPool)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield schema_url(base, schema)
    finally:
        with admin.begin() as conn:
            conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                              "WHERE application_name = :name AND pid <> pg_backend_pid()"), {"name": schema})
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: object) -> Iterator[str]:
    """A fresh database URL: an SQLite file in tmp_path, then (when configured) a PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/r.db"
        return
    with fresh_schema(require_pg()) as url:
        yield url
