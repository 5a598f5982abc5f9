"""The store on both databases: migrations, per-source transactions, idempotent inserts, upserts,
window reads, concurrent writers.

Every test that takes ``store`` or ``db_url`` runs on SQLite, and on PostgreSQL when
``REPORTGEN_TEST_PG_URL`` is set (a fresh schema per test; see tests/pgdb.py).
"""

from __future__ import annotations

import socket
import sqlite3
import threading
from datetime import UTC, datetime, timedelta

import pytest
from pgdb import fresh_schema, require_pg
from sqlalchemy import inspect, select, text

from reportgen.config.core import SourceConfig
from reportgen.errors import StoreError
from reportgen.models import CacheValidators, FetchStatus, Item, Mention, SourceHealth
from reportgen.store.db import MIGRATIONS, SCHEMA_VERSION, Store, items, schema_migrations, scores

T0 = datetime(2026, 11, 27, 8, 30, tzinfo=UTC)
SOURCES = (SourceConfig("cls", "财联社", "online"), SourceConfig("nfra", "金融监管总局", "regulator"))


def item(n: int | str, source: str = "cls", when: datetime = T0) -> Item:
    return Item(f"id{n}", source, f"工行新闻{n}", "摘要", f"https://news.example/{n}", None, None, when, T0,
                content_hash=f"h{n}")


def match_all(it: Item) -> list[Mention]:
    return [Mention(it.item_id, "icbc", True, (("title", "工行", 0, 2),))]


def health(source: str = "cls", status: FetchStatus = FetchStatus.OK, n: int = 0) -> SourceHealth:
    return SourceHealth(source, status, T0, 0.1, 200, item_count=n)


def score_row(item_id: str, label: str, score: float) -> dict[str, object]:
    return {"item_id": item_id, "bank_id": "icbc", "scorer": "rules", "version": "rules-1", "label": label,
            "score": score, "categories": "[]", "reasons": "[]", "scored_at": T0}


@pytest.fixture
def store(db_url):
    s = Store.open(db_url)
    s.sync_sources(SOURCES, lambda src: f"https://feeds.example/{src.id}")
    yield s
    s.close()


def test_migrations_are_versioned_and_rerunnable(db_url):
    store = Store.open(db_url)
    assert store.schema_version() == SCHEMA_VERSION
    assert Store.open(db_url).migrate() == SCHEMA_VERSION  # idempotent
    tables = set(inspect(store.engine).get_table_names())
    assert {"items", "mentions", "sources", "source_health", "runs", "schema_migrations", "scores", "deliveries",
            "events", "event_items", "alerts", "alert_days"} <= tables
    with store.engine.connect() as conn:
        assert list(conn.execute(select(schema_migrations.c.version).order_by(schema_migrations.c.version))
                    .scalars()) == [m[0] for m in MIGRATIONS]
    if store.dialect == "sqlite":
        con = sqlite3.connect(db_url.removeprefix("sqlite:///"))
        assert con.execute("pragma journal_mode").fetchone()[0] == "wal"
    store.close()


def test_newer_schema_is_refused(db_url):
    store = Store.open(db_url)
    with store.engine.begin() as conn:
        conn.execute(schema_migrations.insert().values(version=99, description="future", applied_at=T0))
    store.close()
    with pytest.raises(StoreError, match="newer than this"):
        Store.open(db_url)


@pytest.mark.parametrize("foreign", [
    "CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)",
    "CREATE TABLE schema_migrations (version VARCHAR(20) PRIMARY KEY)",  # Rails' table of the same name
])
def test_another_applications_database_is_refused_untouched(db_url, foreign):
    from sqlalchemy import create_engine

    engine = create_engine(db_url)
    with engine.begin() as conn:
        conn.execute(text(foreign))
    engine.dispose()
    with pytest.raises(StoreError, match="has tables but none of reportgen's: refusing to add reportgen's "
                                         r"tables to another application's database \(point settings.database"):
        Store.open(db_url)
    engine = create_engine(db_url)
    assert set(inspect(engine).get_table_names()) == {foreign.split()[2]}  # nothing added
    engine.dispose()


def test_unwritable_folder_names_the_database_and_the_reason(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    with pytest.raises(StoreError) as caught:
        Store.open(f"sqlite:///{blocker}/r.db")
    assert caught.value.message == f"cannot write the database {blocker}/r.db: a part of the path is not a folder"


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


def test_sync_sources_updates_in_place_and_keeps_validators(store):
    run = store.start_run("fetch", T0)
    store.save_source_batch(run, health(), CacheValidators('"abc"', None), [], match_all)
    renamed = (SourceConfig("cls", "财联社电报", "social", weight=2.0), SourceConfig("new", "新源", "print"))
    store.sync_sources(renamed, lambda src: f"https://feeds.example/v2/{src.id}")
    with store.engine.connect() as conn:
        rows = {r.source_id: r for r in conn.execute(text("SELECT * FROM sources"))}
    assert set(rows) == {"cls", "nfra", "new"}
    assert (rows["cls"].name, rows["cls"].channel, rows["cls"].weight) == ("财联社电报", "social", 2.0)
    assert rows["cls"].url == "https://feeds.example/v2/cls" and rows["cls"].etag == '"abc"'


def test_batch_is_one_transaction(store):
    run = store.start_run("fetch", T0)

    def explode(it: Item) -> list[Mention]:
        raise RuntimeError("matcher broke")

    with pytest.raises(RuntimeError):
        store.save_source_batch(run, health(n=1), None, [item(1)], explode)
    assert store.table_counts()["items"] == 0  # rolled back with the failed batch
    assert store.table_counts()["source_health"] == 0


def test_scores_are_upserted(store):
    run = store.start_run("fetch", T0)
    store.save_source_batch(run, health(n=2), None, [item(1), item(2)], match_all)
    store.save_scores([score_row("id1", "negative", -0.5), score_row("id2", "neutral", 0.0)])
    store.save_scores([score_row("id1", "positive", 0.4)])  # the same mention again: replaced, not added
    with store.engine.connect() as conn:
        found = dict(conn.execute(select(scores.c.item_id, scores.c.label)).all())
    assert found == {"id1": "positive", "id2": "neutral"}
    assert store.score_counts() == {"rules-1": 2}


def test_window_reads_are_half_open_and_aware(store):
    run = store.start_run("fetch", T0)
    start = datetime(2026, 11, 27, tzinfo=UTC)
    its = [item(1, when=start - timedelta(seconds=1)), item(2, when=start), item(3, when=start + timedelta(days=1))]
    store.save_source_batch(run, health(n=3), None, its, match_all)
    rows = store.mention_rows(start, start + timedelta(days=1))
    assert [r["item_id"] for r in rows] == ["id2"]
    assert rows[0]["published_at"] == start and rows[0]["published_at"].tzinfo is not None
    assert rows[0]["source_name"] == "财联社" and rows[0]["channel"] == "online"


def test_ids_sort_bytewise_on_every_database(store):
    """``-`` and ``_`` count: PostgreSQL's locale collation would ignore them and reorder these."""
    run = store.start_run("fetch", T0)
    ids = ["a-b", "a_c", "aB", "ab", "a.d", "A"]
    store.save_source_batch(run, health(n=len(ids)), None, [item(i) for i in ids], match_all)
    with store.engine.connect() as conn:
        stored = list(conn.execute(select(items.c.item_id).order_by(items.c.item_id)).scalars())
    assert stored == sorted(f"id{i}" for i in ids)


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


def test_concurrent_writers_store_each_item_once(store, db_url):
    """Two writers (hosts, or a retried Dask partition) with overlapping batches: every item is
    stored, matched and counted as new exactly once between them."""
    run = store.start_run("fetch", T0)
    others = [Store.open(db_url, migrate=False) for _ in range(2)]
    batches = [[item(n) for n in range(0, 60)], [item(n) for n in range(30, 90)][::-1]]
    results: list[int] = []
    errors: list[BaseException] = []

    def write(writer: Store, batch: list[Item]) -> None:
        try:
            results.append(writer.save_source_batch(run, health(n=len(batch)), None, batch, match_all).new_count)
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(w, b)) for w, b in zip(others, batches, strict=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not errors, errors
    assert sum(results) == 90
    counts = store.table_counts()
    assert counts["items"] == 90 and counts["mentions"] == 90
    for w in others:
        w.close()


def test_an_item_committed_by_another_writer_meanwhile_is_skipped():
    """PostgreSQL: writer B checks for unseen items while A's insert of id5 is uncommitted; B's
    insert waits on the conflict, A commits, and B skips id5 (neither matched nor counted)."""
    with fresh_schema(require_pg()) as url:
        store = Store.open(url)
        store.sync_sources(SOURCES, lambda src: "")
        run = store.start_run("fetch", T0)
        other = Store.open(url, migrate=False)
        matched: list[str] = []

        def match(it: Item) -> list[Mention]:
            matched.append(it.item_id)
            return match_all(it)

        conn = other.engine.connect()
        tx = conn.begin()
        conn.execute(items.insert().values(
            item_id="id5", source_id="cls", title="t", summary="", published_at=T0, fetched_at=T0,
            date_missing=False, date_capped=False, content_hash="x", run_id=run))
        outcome: list[int] = []
        writer = threading.Thread(target=lambda: outcome.append(
            store.save_source_batch(run, health(n=3), None, [item(4), item(5), item(6)], match).new_count))
        writer.start()
        writer.join(0.5)
        assert writer.is_alive()  # waiting on id5's row lock
        tx.commit()
        conn.close()
        writer.join(10)
        assert outcome == [2] and sorted(matched) == ["id4", "id6"]
        assert store.table_counts()["mentions"] == 2
        store.close()
        other.close()


def test_unwritable_database_is_a_store_error(tmp_path):
    with pytest.raises(StoreError, match="cannot|database error"):
        Store.open(f"sqlite:///{tmp_path / 'missing-dir' / 'x.db'}")


def test_unsupported_or_unreachable_databases_are_store_errors():
    with pytest.raises(StoreError, match="not supported"):
        Store.open("mssql+pymssql://u:secret@db.example/x")
    with pytest.raises(StoreError) as caught:
        Store.open("postgresql+psycopg://reportgen:secret@127.0.0.1:9/none?connect_timeout=2")
    assert "secret" not in str(caught.value) and "PostgreSQL" in str(caught.value)


def _damaged(tmp_path, how: str):
    """A real reportgen database, then damaged as a crash, a bad copy or a stray write leaves one."""
    path = tmp_path / "reportgen.db"
    store = Store.open(f"sqlite:///{path}")
    store.sync_sources(SOURCES, lambda src: f"https://feeds.example/{src.id}")
    store.save_source_batch(store.start_run("fetch", T0), health(n=400), None, [item(n) for n in range(400)],
                            match_all)
    with store.begin() as conn:
        conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
    store.close()
    if how == "truncated":
        with path.open("r+b") as fh:
            fh.truncate(path.stat().st_size // 3)
    else:  # overwritten from the start: the SQLite header is gone
        data = bytearray(path.read_bytes())
        data[:4096] = bytes(range(256)) * 16
        path.write_bytes(bytes(data))
    return path


@pytest.mark.parametrize("how, says", [("truncated", "database disk image is malformed"),
                                       ("overwritten", "file is not a database")])
def test_a_damaged_database_says_how_to_check_restore_or_start_afresh(tmp_path, how, says):
    path = _damaged(tmp_path, how)
    with pytest.raises(StoreError) as info:
        Store.open(f"sqlite:///{path}").mention_rows(T0 - timedelta(days=1), T0 + timedelta(days=1))
    assert says in info.value.message and info.value.exit_code == 3
    hint = info.value.hint or ""
    assert f'sqlite3 {path} "PRAGMA integrity_check"' in hint, hint
    assert "backup" in hint and ".recover" in hint and "-wal" in hint and "lost" in hint


def test_database_errors_hide_every_secret_in_the_url(tmp_path):
    """`config check` hid user:password@ but printed ?sslpassword=…; a database error showed both."""
    with socket.socket() as s:  # a port nobody listens on: the connection is refused at once
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = (f"postgresql+psycopg://rg:Pa%40ss@127.0.0.1:{port}/rg?password=Q2secret&sslpassword=Zk3y"
           "&sslmode=disable&sslkey=/etc/k.pem&connect_timeout=5")
    with pytest.raises(StoreError) as info:
        Store.open(url)
    shown = str(info.value)
    assert f"rg:***@127.0.0.1:{port}/rg?password=***&sslpassword=***&sslmode=disable&sslkey=***" in shown, shown
    for secret in ("Pa%40ss", "Q2secret", "Zk3y", "k.pem"):
        assert secret not in shown
