"""How a lake lays its data out: each table's sort order, and statistics for tables never written.

Set by migration 0007 on every lake (a no-op on a file) and kept by `migrate`, whose copy DuckLake
sorts on insert: the Parquet files' min/max statistics then let the pages' queries skip what
cannot match. The lake's answers are the file's: test_lake.py runs the query tests on both.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb

from dashboard.store import connect, engine, search
from dashboard.store import db as store_db
from dashboard.store.check import check
from tests.conftest import FIXTURES, cli, rows
from tests.test_lake import synthetic_lake  # noqa: F401  (the enriched synthetic database, copied in by `migrate`)
from tests.test_migrations import store_before_keys

EXPECTED = {
    "articles": "published DESC, id",
    "search_terms": "term, article_key",
    "search_pending": "term, article_key",
    "term_counts": "term, \"day\"",
    "daily_counts": "\"day\"",
    "article_topics": "topic_id, article_key",
    "article_entities": "entity_id, \"day\"",
    "mentions": "article_id",
    "quotes": "article_key",
}


def _sort_orders(lake) -> dict[str, str]:
    with connect(lake, read_only=True) as con:
        return engine.sort_orders(con)


def _file_rows(lake, table: str, column: str) -> list:
    """A column of a lake table as its Parquet files hold it, in the order each file stores its rows."""
    with connect(lake, read_only=True) as con:
        files = [r[0] for r in con.execute(f"SELECT data_file FROM ducklake_list_files('{engine.CATALOG}', '{table}')").fetchall()]
        return [r[0] for f in files for r in con.execute(f"SELECT {column} FROM read_parquet(?)", [f]).fetchall()]


def test_a_new_lake_has_each_tables_sort_order_and_a_file_records_the_migration_only(lake, tmp_path: Path):
    file = tmp_path / "news.duckdb"
    for store in (file, lake):
        assert cli("ingest", FIXTURES / "feed.rss", FIXTURES / "articles.jsonl", "--db", store, "--no-enrich", "--quiet") == 0
        assert ("0007_lake_sort_orders",) in rows(store, "SELECT name FROM migrations")
    assert _sort_orders(lake) == EXPECTED
    with duckdb.connect(str(file), read_only=True) as con:  # a file's tables keep no sort order: nothing to read back
        assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == rows(lake, "SELECT count(*) FROM articles")[0][0] > 0


def test_migrate_writes_each_table_in_its_sort_order(synthetic_db, synthetic_lake):  # noqa: F811
    assert _sort_orders(synthetic_lake) == EXPECTED
    published = [p for p in _file_rows(synthetic_lake, "articles", "published") if p is not None]
    assert len(published) > 200 and published == sorted(published, reverse=True)
    # the index's rows are merged into search_terms past some 50,000 articles: a small one holds them pending
    terms = _file_rows(synthetic_lake, "search_terms", "term") or _file_rows(synthetic_lake, "search_pending", "term")
    assert len(terms) > 1000 and terms == sorted(terms)
    entities = _file_rows(synthetic_lake, "article_entities", "entity_id")
    assert len(entities) > 100 and entities == sorted(entities)
    newest = rows(synthetic_db, "SELECT id FROM articles ORDER BY published DESC NULLS LAST, id LIMIT 5")
    assert rows(synthetic_lake, "SELECT id FROM articles ORDER BY published DESC NULLS LAST, id LIMIT 5") == newest


def _catalog_queries(con, sql: str) -> int:
    """How many queries DuckLake sends its catalog to run `sql`."""
    con.execute("CALL enable_logging('DuckLakeMetadata')")
    try:
        before = con.execute("SELECT count(*) FROM duckdb_logs_parsed('DuckLakeMetadata')").fetchone()[0]
        con.execute(sql).fetchall()
        return con.execute("SELECT count(*) FROM duckdb_logs_parsed('DuckLakeMetadata')").fetchone()[0] - before
    finally:
        con.execute("CALL disable_logging()")


def test_tables_never_written_get_statistics_and_stay_empty(lake):
    assert cli("ingest", FIXTURES / "feed.rss", "--db", lake, "--no-enrich", "--quiet") == 0
    with connect(lake, read_only=True) as con:
        assert engine.settle_empty_tables(con) == []  # the new lake's first connection settled every table
        never = [r[0] for r in con.execute("SELECT table_name FROM information_schema.tables WHERE table_catalog = current_database() "
                                           "AND table_type = 'BASE TABLE' ORDER BY 1").fetchall()
                 if not con.execute(f'SELECT count(*) FROM "{r[0]}"').fetchone()[0]]
        assert {"stories", "article_stories", "mentions"} <= set(never)  # empty, as they should be before enrichment
        con.execute("CREATE TABLE unwritten (term VARCHAR NOT NULL, day DATE, labels VARCHAR[] NOT NULL, n INTEGER NOT NULL)")
        lookup = "SELECT * FROM {} WHERE term = 'oil'"
        costly = _catalog_queries(con, lookup.format("unwritten"))
        assert engine.settle_empty_tables(con) == ["unwritten"]
        assert con.execute("SELECT count(*) FROM unwritten").fetchone()[0] == 0
        settled = _catalog_queries(con, lookup.format("unwritten"))
        assert settled < costly and settled <= _catalog_queries(con, lookup.format("search_pending"))
        # the placeholder row leaves nothing behind, not even in the min and max DuckLake answers from statistics
        con.execute("INSERT INTO unwritten VALUES ('oil', DATE '2024-05-01', ['x'], 7)")
        assert con.execute("SELECT min(day), max(day), min(n), min(term), count(*) FROM unwritten").fetchone() == (
            date(2024, 5, 1), date(2024, 5, 1), 7, "oil", 1)


def test_after_migrations_each_table_keeps_only_its_current_inlined_rows_table(lake):
    assert cli("ingest", FIXTURES / "feed.rss", "--db", lake, "--no-enrich", "--quiet") == 0
    with connect(lake, read_only=True) as con:
        meta = f"__ducklake_metadata_{engine.CATALOG}"
        per_table = dict(con.execute(f"""SELECT t.table_name, count(*) FROM {meta}.ducklake_inlined_data_tables i
            JOIN {meta}.ducklake_table t ON t.table_id = i.table_id WHERE t.end_snapshot IS NULL GROUP BY ALL""").fetchall())
        assert per_table["articles"] == 1  # not one per schema version: migrations 0002 and 0004 changed its columns
        assert all(count == 1 for count in per_table.values())
        assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 2
        # the placeholder rows that gave the empty tables statistics were not written out as files
        assert con.execute(f"SELECT count(*) FROM ducklake_list_files('{engine.CATALOG}', 'stories')").fetchone()[0] == 0


def test_a_table_replaced_whole_gets_its_sort_order_back_at_the_next_start(lake, monkeypatch):
    assert cli("ingest", FIXTURES / "feed.rss", FIXTURES / "articles.jsonl", "--db", lake, "--no-enrich", "--quiet") == 0
    with connect(lake) as con:
        assert search.compact(con, force=True)  # the pending rows merged: search_terms made anew
    assert "search_terms" not in _sort_orders(lake)
    monkeypatch.setattr(store_db, "_CURRENT", set())  # as a process starting afresh
    assert _sort_orders(lake) == EXPECTED
    assert rows(lake, "SELECT count(*) FROM search_postings WHERE term = 'council'")[0][0] > 0


def test_a_lake_from_before_the_sort_orders_gets_them_and_can_still_be_checkpointed(synthetic_db, lake, monkeypatch):
    """Rows DuckLake inlined under a table's old columns cannot be flushed by a sort key they lack (quotes
    before article_key): the upgrade writes them out first, so a later CHECKPOINT, which flushes, still works."""
    store_before_keys(synthetic_db, lake, monkeypatch)
    assert _sort_orders(lake) == EXPECTED  # the first connection upgrades it
    with connect(lake) as con:
        con.execute("CHECKPOINT")
    assert check(lake) == []
    newest = "SELECT id FROM articles ORDER BY published DESC NULLS LAST, id LIMIT 5"
    assert rows(lake, newest) == rows(synthetic_db, newest)


KEYED = ("article_entities", "article_topics", "quotes")  # written as Parquet version 2 (migration 0008)


def _key_encodings(lake, table: str) -> set[str]:
    """The encodings of the article_key column in a lake table's Parquet files."""
    with connect(lake, read_only=True) as con:
        files = [r[0] for r in con.execute(f"SELECT data_file FROM ducklake_list_files('{engine.CATALOG}', '{table}')").fetchall()]
        return {r[0] for f in files for r in con.execute(
            "SELECT encodings FROM parquet_metadata(?) WHERE path_in_schema = 'article_key'", [f]).fetchall()}


def test_the_tables_joined_on_an_article_key_are_written_as_parquet_version_2(synthetic_db, synthetic_lake, tmp_path):  # noqa: F811
    """Their article keys, stored as differences (DELTA_BINARY_PACKED), not as plain values; a file only records the migration."""
    for table in KEYED:
        assert _key_encodings(synthetic_lake, table) == {"DELTA_BINARY_PACKED"}, table
    assert ("0008_lake_parquet_v2",) in rows(synthetic_db, "SELECT name FROM migrations")
    assert all(not store_db._OPTION.search(s) for s in [store_db.for_file(sql) for _, sql in store_db.migration_files()])
    assert store_db.option_tables(["0008_lake_parquet_v2"]) == list(KEYED) and store_db.option_tables(["0007_lake_sort_orders"]) == []


def test_a_lake_from_before_parquet_version_2_has_those_tables_written_again_with_the_same_rows(synthetic_db, lake, monkeypatch):
    """The first process to apply migration 0008 writes the three tables again: their rows are the same, in their sort
    order, their files version 2; no file whose rows are all deleted is left in a table with rows, while an empty table
    keeps what gives it statistics."""
    assert cli("migrate", "--from", synthetic_db, "--to", lake) == 0
    every = {t: f"SELECT * FROM {t} ORDER BY ALL" for t in KEYED}
    with connect(lake) as con:  # as it was before: version 1 files, the migration not recorded
        for table in KEYED:
            con.execute(f"CALL set_option('parquet_version', '1', table_name => '{table}')")
            store_db.rewrite_for_options(con, table)
        con.execute("DELETE FROM migrations WHERE name = '0008_lake_parquet_v2'")
    assert all(_key_encodings(lake, t) == {"PLAIN"} for t in KEYED)
    before = {t: rows(lake, sql) for t, sql in every.items()}
    assert all(before.values())
    monkeypatch.setattr(store_db, "_CURRENT", set())  # as a process starting afresh
    after = {t: rows(lake, sql) for t, sql in every.items()}
    assert after == before == {t: rows(synthetic_db, sql) for t, sql in every.items()}
    assert all(_key_encodings(lake, t) == {"DELTA_BINARY_PACKED"} for t in KEYED)
    assert _file_rows(lake, "quotes", "article_key") == sorted(_file_rows(lake, "quotes", "article_key"))
    with connect(lake, read_only=True) as con:
        for table in (*KEYED, "articles", "mentions"):
            files = con.execute(f"SELECT delete_file FROM ducklake_list_files('{engine.CATALOG}', '{table}')").fetchall()
            assert files == [(None,)], table  # one file, nothing deleted in it
        curation = f"SELECT count(*) FROM ducklake_list_files('{engine.CATALOG}', 'entity_curation')"
        assert con.execute("SELECT count(*) FROM entity_curation").fetchone()[0] == 0
        assert engine.settle_empty_tables(con) == []  # every table still has statistics
        assert con.execute(curation).fetchone()[0] <= 1
