"""Migration 0004_article_keys on a database stored by the version before it, on a file and on a lake; then 0006_term_counts.

The older database is made as that version made it: the migrations before 0004 build its schema
(no article keys; the search index holding article ids, some of it still pending), and the rows of
the synthetic corpus's database are copied in. Opened by the current version, it is upgraded in
place: every article keeps its id, gets a key of its own, the tables that carry keys carry its key,
the index finds the same articles for every word, and every page's query gives the answer the
freshly built database gives (those answers are checked independently in test_queries.py).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from dashboard.store import connect, transaction
from dashboard.store import db as store_db
from dashboard.store import queries as q
from dashboard.store.check import check
from dashboard.store.engine import Lake
from tests.conftest import FIXTURES, cli, rows
from tests.test_queries import synthetic_selections

KEYS = "0004_article_keys"


BEFORE_KEYS = tuple((name, sql) for name, sql in store_db.migration_files() if name < KEYS)


def _source(con, alias: str, table: str, columns: list[str]) -> str:
    """SELECT of `table`'s rows from the new database `alias`, in the older version's columns."""
    names = ", ".join(f"s.{c}" for c in columns)
    return f"SELECT {names} FROM {alias}.main.{table} s"


def store_before_keys(new: Path, old: Path | Lake, monkeypatch) -> None:
    """`old`: the rows of `new` in a database made by the version before article keys."""
    monkeypatch.setattr(store_db, "_CURRENT", set())
    store_db._expected_columns.cache_clear()
    monkeypatch.setattr(store_db, "migration_files", lambda: BEFORE_KEYS)
    with connect(old) as con:
        assert not any("key" in column for _, column in store_db._columns(con))
        con.execute(f"ATTACH '{new}' AS newer (READ_ONLY)")
        tables = {t: [c for table, c in store_db._columns(con) if table == t]
                  for (t,) in con.execute("SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE' "
                                          "AND table_catalog = current_database() AND table_name <> 'migrations'").fetchall()}
        with transaction(con):
            for table, columns in tables.items():
                con.execute(f"DELETE FROM {table}")
                if table in ("search_terms", "search_pending"):
                    # the index by article id; the rows of every seventh article not merged in yet
                    pending = "=" if table == "search_pending" else "<>"
                    con.execute(f"INSERT INTO {table} SELECT s.term, a.id FROM newer.main.search_postings s "
                                f"JOIN newer.main.articles a ON a.key = s.article_key WHERE a.key % 7 {pending} 0 ORDER BY s.term")
                else:
                    con.execute(f"INSERT INTO {table} ({', '.join(columns)}) {_source(con, 'newer', table, columns)}")
        con.execute("DETACH newer")
    monkeypatch.undo()
    monkeypatch.setattr(store_db, "_CURRENT", set())
    store_db._expected_columns.cache_clear()


@pytest.fixture
def older(synthetic_db: Path, tmp_path: Path, monkeypatch) -> Path:
    db = tmp_path / "before-keys.duckdb"
    store_before_keys(synthetic_db, db, monkeypatch)
    return db


def _index(db: Path | Lake) -> set[tuple[str, str]]:
    """Every (term, article id) the search index holds."""
    return set(rows(db, "SELECT s.term, a.id FROM search_postings s JOIN articles a ON a.key = s.article_key"))


def _answers(db: Path | Lake) -> list[object]:
    """What the pages show for every synthetic selection, as plain values."""
    def plain(frame: pd.DataFrame) -> list:
        return frame.astype(object).where(frame.notna(), None).values.tolist()

    found: list[object] = []
    with connect(db, read_only=True) as con:
        for f in synthetic_selections(db):
            found += [q.headline(con, f), plain(q.volume(con, f)), plain(q.top_entities(con, f, 10)), q.count_articles(con, f),
                      plain(q.articles(con, f, 20)), plain(q.quotes(con, f, (), None, 10))]
    return found


def test_an_older_file_gets_a_key_for_every_article_and_keeps_every_id_and_answer(synthetic_db, older):
    ids = rows(older, "SELECT id FROM articles ORDER BY id")
    assert len(ids) > 200 and rows(older, "SELECT count(*) FROM search_pending")[0][0] > 0
    assert check(older) == []  # read through the current version: upgraded first
    names = [name for name, _ in store_db.migration_files()]
    assert [r[0] for r in rows(older, "SELECT name FROM migrations ORDER BY name")] == names and KEYS in names
    assert rows(older, "SELECT id FROM articles ORDER BY id") == ids
    assert rows(older, "SELECT count(*), count(DISTINCT key), min(key), max(key) FROM articles") == [(len(ids), len(ids), 1, len(ids))]
    for table in ("article_topics", "article_entities", "quotes"):  # each row carries its own article's key
        assert rows(older, f"SELECT count(*), count(x.article_key) FROM {table} x") == rows(synthetic_db, f"SELECT count(*), count(*) FROM {table}")
        assert rows(older, f"SELECT count(*) FROM {table} x JOIN articles a ON a.id = x.article_id WHERE x.article_key <> a.key") == [(0,)]
    assert rows(older, "SELECT count(*) FROM search_pending") == [(0,)]  # merged into the sorted index
    assert _index(older) == _index(synthetic_db)
    assert _answers(older) == _answers(synthetic_db)


def test_articles_stored_after_the_upgrade_get_the_next_keys(older):
    check(older)  # upgrades it
    (last,) = rows(older, "SELECT max(key) FROM articles")[0]
    assert cli("ingest", FIXTURES / "feed.rss", "--db", older, "--no-enrich", "--quiet") == 0
    added = rows(older, "SELECT key FROM articles WHERE key > ? ORDER BY key", [last])
    assert [k for (k,) in added] == list(range(last + 1, last + 1 + len(added))) and added
    assert rows(older, "SELECT count(*) FROM search_postings WHERE article_key > ?", [last])[0][0] > 0
    assert check(older) == []


def test_the_migration_run_again_changes_no_key_and_no_index_row(older):
    check(older)
    keys = rows(older, "SELECT id, key FROM articles ORDER BY id")
    index = _index(older)
    with connect(older) as con:
        con.execute(dict(store_db.migration_files())[KEYS])
    assert rows(older, "SELECT id, key FROM articles ORDER BY id") == keys
    assert _index(older) == index
    assert check(older) == []


def test_an_older_lake_gets_its_keys_too(synthetic_db, lake, monkeypatch):
    store_before_keys(synthetic_db, lake, monkeypatch)
    ids = rows(lake, "SELECT id FROM articles ORDER BY id")  # a lake is upgraded by the first connection of a process
    assert rows(lake, "SELECT count(*), count(DISTINCT key), max(key) FROM articles") == [(len(ids), len(ids), len(ids))]
    assert KEYS in [r[0] for r in rows(lake, "SELECT name FROM migrations")]
    assert _index(lake) == _index(synthetic_db)
    assert check(lake) == []
    with connect(lake, read_only=True) as con:
        assert q.count_articles(con, q.Filters(q="crude")) == rows(synthetic_db, "SELECT count(DISTINCT a.id) FROM articles a JOIN "
                                                                              "search_postings s ON s.article_key = a.key "
                                                                              "WHERE s.term = 'crude' AND a.duplicate_of IS NULL")[0][0]


TERMS = "0006_term_counts"


def test_an_older_file_gets_the_common_words_counts_and_keeps_every_answer(synthetic_db, tmp_path):
    """A database the version before 0006 stored (no term_counts, no record of it), upgraded in place."""
    older = tmp_path / "before-terms.duckdb"
    shutil.copy(synthetic_db, older)
    with duckdb.connect(str(older)) as con:
        con.execute("DROP TABLE term_counts")
        con.execute("DROP TABLE counted_terms")
        con.execute("DELETE FROM migrations WHERE name = ?", [TERMS])
    assert check(older) == []  # read through the current version: upgraded first, and its counts in step
    assert TERMS in [r[0] for r in rows(older, "SELECT name FROM migrations")]
    counted = rows(older, "SELECT term FROM counted_terms ORDER BY term")
    assert counted == rows(synthetic_db, "SELECT term FROM counted_terms ORDER BY term") and ("crude",) in counted
    assert rows(older, "SELECT sum(articles) FROM term_counts WHERE term = 'crude'") == rows(
        synthetic_db, "SELECT count(*) FROM search_postings s JOIN articles a ON a.key = s.article_key "
                      "WHERE s.term = 'crude' AND a.duplicate_of IS NULL")
    assert _answers(older) == _answers(synthetic_db)


def test_an_index_built_after_the_upgrade_gets_its_common_words_counted(synthetic_db, tmp_path):
    """0006 on a database whose index is built afterwards (emptied, as before the index existed): counted then."""
    older = tmp_path / "no-index.duckdb"
    shutil.copy(synthetic_db, older)
    with duckdb.connect(str(older)) as con:
        for table in ("search_terms", "search_pending", "term_counts", "counted_terms"):
            con.execute(f"DELETE FROM {table}")
    with connect(older):  # a writer's first use: the index rebuilt, its common words counted
        pass
    assert check(older) == []
    assert rows(older, "SELECT term FROM counted_terms ORDER BY term") == rows(synthetic_db, "SELECT term FROM counted_terms ORDER BY term")
    assert rows(older, "SELECT count(*) FROM term_counts") == rows(synthetic_db, "SELECT count(*) FROM term_counts") != [(0,)]
