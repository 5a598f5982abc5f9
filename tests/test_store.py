"""The SQLite store: migrations, WAL, per-source transactions, idempotent inserts, window reads."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta

import pytest

from reportgen.config import SourceConfig
from reportgen.errors import StoreError
from reportgen.models import CacheValidators, FetchStatus, Item, Mention, SourceHealth
from reportgen.store import SCHEMA_VERSION, Store

T0 = datetime(2026, 11, 27, 8, 30, tzinfo=UTC)
SOURCES = (SourceConfig("cls", "财联社", "online"), SourceConfig("nfra", "金融监管总局", "regulator"))


def item(n: int, source: str = "cls", when: datetime = T0) -> Item:
    return Item(f"id{n}", source, f"工行新闻{n}", "摘要", f"https://news.example/{n}", None, None, when, T0,
                content_hash=f"h{n}")


def match_all(it: Item) -> list[Mention]:
    return [Mention(it.item_id, "icbc", True, (("title", "工行", 0, 2),))]


def health(source: str = "cls", status: FetchStatus = FetchStatus.OK, n: int = 0) -> SourceHealth:
    return SourceHealth(source, status, T0, 0.1, 200, item_count=n)


@pytest.fixture
def store(tmp_path):
    s = Store.open(f"sqlite:///{tmp_path / 'r.db'}")
    s.sync_sources(SOURCES, lambda src: f"https://feeds.example/{src.id}")
    yield s
    s.close()


def test_migrations_are_versioned_and_rerunnable(tmp_path):
    url = f"sqlite:///{tmp_path / 'm.db'}"
    store = Store.open(url)
    assert store.schema_version() == SCHEMA_VERSION
    assert Store.open(url).migrate() == SCHEMA_VERSION  # idempotent
    con = sqlite3.connect(tmp_path / "m.db")
    tables = {r[0] for r in con.execute("select name from sqlite_master where type='table'")}
    assert {"items", "mentions", "sources", "source_health", "runs", "schema_migrations"} <= tables
    assert con.execute("pragma journal_mode").fetchone()[0] == "wal"
    from reportgen.store import MIGRATIONS

    assert [r[0] for r in con.execute("select version from schema_migrations")] == [m[0] for m in MIGRATIONS]
    assert "scores" in tables


def test_newer_schema_is_refused(tmp_path):
    url = f"sqlite:///{tmp_path / 'n.db'}"
    Store.open(url)
    con = sqlite3.connect(tmp_path / "n.db")
    con.execute("insert into schema_migrations values (99, 'future', '2030-01-01 00:00:00')")
    con.commit()
    with pytest.raises(StoreError, match="newer than this"):
        Store.open(url)


def test_refetch_adds_nothing(store):
    run = store.start_run("fetch", T0)
    batch = [item(1), item(2), item(2)]  # a duplicate within the batch is collapsed
    first = store.save_source_batch(run, health(n=3), CacheValidators('"e1"', None), batch, match_all)
    assert (first.new_count, first.matched_count) == (2, 2)
    again = store.save_source_batch(run, health(n=3), None, batch, match_all)
    assert (again.new_count, again.matched_count) == (0, 0)
    counts = store.table_counts()
    assert counts["items"] == 2 and counts["mentions"] == 2 and counts["source_health"] == 2


def test_validators_kept_unless_replaced(store):
    run = store.start_run("fetch", T0)
    store.save_source_batch(run, health(), CacheValidators('"abc"', "Fri, 27 Nov 2026 00:00:00 GMT"), [], match_all)
    store.save_source_batch(run, health(status=FetchStatus.NOT_MODIFIED), None, [], match_all)
    assert store.validators()["cls"] == CacheValidators('"abc"', "Fri, 27 Nov 2026 00:00:00 GMT")
    assert store.validators()["nfra"] == CacheValidators(None, None)


def test_batch_is_one_transaction(store):
    run = store.start_run("fetch", T0)

    def explode(it: Item) -> list[Mention]:
        raise RuntimeError("matcher broke")

    with pytest.raises(RuntimeError):
        store.save_source_batch(run, health(n=1), None, [item(1)], explode)
    assert store.table_counts()["items"] == 0  # rolled back with the failed batch
    assert store.table_counts()["source_health"] == 0


def test_window_reads_are_half_open_and_aware(store):
    run = store.start_run("fetch", T0)
    start = datetime(2026, 11, 27, tzinfo=UTC)
    its = [item(1, when=start - timedelta(seconds=1)), item(2, when=start), item(3, when=start + timedelta(days=1))]
    store.save_source_batch(run, health(n=3), None, its, match_all)
    rows = store.mention_rows(start, start + timedelta(days=1))
    assert [r["item_id"] for r in rows] == ["id2"]
    assert rows[0]["published_at"] == start and rows[0]["published_at"].tzinfo is not None
    assert rows[0]["source_name"] == "财联社" and rows[0]["channel"] == "online"


def test_latest_health_per_source(store):
    run = store.start_run("fetch", T0)
    store.save_source_batch(run, health("cls", FetchStatus.FAILED), None, [], match_all)
    later = SourceHealth("cls", FetchStatus.OK, T0 + timedelta(hours=1), 0.2, 200, item_count=5)
    store.save_source_batch(run, later, None, [], match_all)
    latest = store.latest_health(T0 + timedelta(days=1))
    assert latest["cls"]["status"] == "ok" and "nfra" not in latest
    assert store.latest_health(T0 + timedelta(minutes=1))["cls"]["status"] == "failed"


def test_naive_datetime_is_rejected(store):
    with pytest.raises(StoreError):
        store.start_run("fetch", datetime(2026, 1, 1))


def test_unwritable_database_is_a_store_error(tmp_path):
    with pytest.raises(StoreError, match="cannot|database error"):
        Store.open(f"sqlite:///{tmp_path / 'missing-dir' / 'x.db'}")
