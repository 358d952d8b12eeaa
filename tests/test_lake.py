"""The same Newsdesk on a DuckLake (catalog in a throwaway PostgreSQL, data in a folder).

Every command on both engines gives the same answers; the query tests of test_queries.py and a
selection of the ingest and poll tests run again here with their database swapped for a lake;
migrations are recorded and applied in order; `migrate` copies a file into a lake whole.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import duckdb
import pytest

from dashboard import config
from dashboard.store import connect, engine, search, transaction
from dashboard.store import db as store_db
from dashboard.store import selection as sel
from dashboard.store.check import check
from dashboard.store.engine import Lake
from dashboard.store.selection import Filters
from tests import test_queries
from tests.conftest import FIXTURES, SEEDS, TABLES, cli, rows, table_counts

# Tests of other modules, run here on a lake: `db` below is a fresh lake for each of them.
from tests.test_curation import test_a_merge_moves_everything_is_listed_survives_reenrichment_and_undoes  # noqa: F401
from tests.test_ingest import (  # noqa: F401
    test_atom_feed,
    test_csv_export_with_quoted_newline,
    test_near_duplicate_is_linked_to_its_original,
    test_reingest_adds_nothing,
    test_rss_feed,
)
from tests.test_poll import test_a_failing_feed_does_not_stop_the_others, test_poll_fetches_each_feed_once_and_honours_etag  # noqa: F401
from tests.test_queries import (  # noqa: F401
    test_articles_are_listed_newest_first_page_by_page,
    test_entity_counts_are_those_of_the_selections_articles,
    test_headline_counts_every_article_of_the_selection,
    test_latest_quotes_are_the_newest_of_the_selection,
    test_one_entitys_timeline_topics_and_company_within_the_selection,
    test_quotes_by_speaker_and_text_and_the_speakers_list,
    test_the_biggest_stories_carry_their_headline_articles_title,
    test_the_stories_of_windows_carry_their_headline_articles_title,
    test_topics_sources_and_span_count_original_articles,
    test_volume_counts_each_topic_per_day_and_week,
)


@pytest.fixture
def db(lake: Lake) -> Lake:
    return lake


@pytest.fixture(scope="session")
def synthetic_lake(synthetic_db: Path, postgres, tmp_path_factory) -> Lake:
    """The enriched synthetic database, copied into a lake by `migrate`."""
    lake = postgres.lake(tmp_path_factory.mktemp("synthetic-lake"))
    assert cli("migrate", "--from", synthetic_db, "--to", lake) == 0
    return lake


@pytest.fixture
def curated_db(synthetic_db: Path, postgres, tmp_path: Path) -> Lake:
    """test_curation's database, a lake: the enriched synthetic corpus copied in by `migrate`."""
    lake = postgres.lake(tmp_path / "curated")
    assert cli("migrate", "--from", synthetic_db, "--to", lake) == 0
    return lake


@pytest.fixture
def corpus_db(synthetic_lake: Lake, monkeypatch):
    """test_queries' (database, selections), the database a lake; answers computed from the lake's own rows."""
    frame = test_queries._stored.__wrapped__(synthetic_lake)
    monkeypatch.setattr(test_queries, "stored", lambda _db: frame.copy())
    return synthetic_lake, test_queries.synthetic_selections(synthetic_lake)


def _exports(store: Path | Lake, out: Path) -> dict[str, list[dict]]:
    found = {}
    for what in ("articles", "topics", "entities", "quotes"):
        target = out / f"{what}.jsonl"
        assert cli("export", what, "--db", store, "--out", target) == 0
        found[what] = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    return found


def test_every_command_gives_the_same_answers_on_a_file_and_a_lake(tmp_path, lake, capsys):
    file = tmp_path / "news.duckdb"
    for store in (file, lake):
        assert cli("ingest", SEEDS, FIXTURES / "feed.rss", FIXTURES / "articles.jsonl", "--db", store, "--quiet") == 0
        assert cli("check", "--db", store) == 0
    capsys.readouterr()
    (tmp_path / "file").mkdir()
    (tmp_path / "lake").mkdir(exist_ok=True)
    from_file, from_lake = _exports(file, tmp_path / "file"), _exports(lake, tmp_path / "lake")
    assert from_file == from_lake
    assert len(from_lake["articles"]) == 9 and from_lake["entities"] and from_lake["quotes"]
    assert table_counts(file) == table_counts(lake)


@pytest.mark.parametrize(("address", "problem"), [
    ("ducklake:sqlite:lake.db", "only PostgreSQL catalogs"),
    ("ducklake:postgres:host=127.0.0.1", "needs dbname"),
])
def test_a_lake_address_it_cannot_use_is_one_line_and_exit_2(address, problem, capsys):
    assert cli("check", "--db", address) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and problem in err and len(err.strip().splitlines()) == 1


def test_an_unreachable_catalog_is_one_line_and_exit_2(capsys, tmp_path):
    import socket

    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    address = f"ducklake:postgres:dbname=none host=127.0.0.1 port={port} user=postgres data_path={tmp_path}/"
    assert cli("check", "--db", address) == 2
    err = capsys.readouterr().err
    assert "cannot open the lake" in err and len(err.strip().splitlines()) == 1


def test_the_address_is_parsed_and_its_password_never_shown():
    lake = config.db_path("ducklake:postgres:dbname=news host=db password=s3cret data_path='/srv/my lake'")
    assert isinstance(lake, Lake)
    assert lake.catalog == "dbname=news host=db password=s3cret" and lake.data_path == "/srv/my lake/"
    assert "s3cret" not in str(Path.cwd() / "x") and "s3cret" not in __import__("os").fspath(lake)
    assert config.db_path("data/news.duckdb") == Path("data/news.duckdb")


def test_migrations_are_recorded_in_order_and_a_new_one_is_applied_once(store, monkeypatch):
    assert cli("ingest", FIXTURES / "feed.rss", "--db", store, "--no-enrich", "--quiet") == 0
    names = [name for name, _ in store_db.migration_files()]
    assert names == sorted(names) and names[0] == "0001_initial"
    assert [r[0] for r in rows(store, "SELECT name FROM migrations ORDER BY name")] == names
    later = (*store_db.migration_files(), ("9999_note", "ALTER TABLE articles ADD COLUMN IF NOT EXISTS note VARCHAR;"))
    monkeypatch.setattr(store_db, "migration_files", lambda: later)
    monkeypatch.setattr(store_db, "_CURRENT", set())
    store_db._expected_columns.cache_clear()
    try:
        for _ in range(2):  # the second connection finds it applied
            with connect(store) as con, transaction(con):
                con.execute("UPDATE articles SET note = 'kept' WHERE title LIKE 'Council%'")
        assert [r[0] for r in rows(store, "SELECT name FROM migrations ORDER BY name")] == [*names, "9999_note"]
        assert rows(store, "SELECT count(*) FROM articles WHERE note = 'kept'") == [(1,)]
    finally:
        store_db._expected_columns.cache_clear()


def test_a_file_from_before_migrations_gets_them_and_keeps_its_articles(tmp_path):
    file = tmp_path / "old.duckdb"
    assert cli("ingest", FIXTURES / "feed.rss", "--db", file, "--no-enrich", "--quiet") == 0
    import duckdb

    with duckdb.connect(str(file)) as con:  # as stored before migrations were recorded
        con.execute("DROP TABLE migrations")
    assert cli("check", "--db", file) == 0
    assert rows(file, "SELECT name FROM migrations ORDER BY name") == [(name,) for name, _ in store_db.migration_files()]
    assert rows(file, "SELECT count(*) FROM articles") == [(2,)]


def test_migrate_copies_a_file_into_a_lake_with_nothing_lost(synthetic_db, synthetic_lake, lake, tmp_path, capsys):
    file_counts = rows(synthetic_db, " UNION ALL ".join(f"SELECT '{t}', count(*) FROM {t}" for t in TABLES))
    lake_counts = rows(synthetic_lake, " UNION ALL ".join(f"SELECT '{t}', count(*) FROM {t}" for t in TABLES))
    assert sorted(file_counts) == sorted(lake_counts) and dict(file_counts)["articles"] > 200
    assert check(synthetic_db) == check(synthetic_lake) == []
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    assert _exports(synthetic_db, tmp_path / "a") == _exports(synthetic_lake, tmp_path / "b")
    capsys.readouterr()
    assert cli("migrate", "--from", synthetic_db, "--to", synthetic_lake) == 2  # never into a lake that holds articles
    assert "already holds" in capsys.readouterr().err
    assert cli("migrate", "--from", tmp_path / "missing.duckdb", "--to", lake) == 2
    assert rows(lake, "SELECT count(*) FROM articles") == [(0,)]


def test_a_replica_sees_another_process_ingest_through_the_snapshot(lake, monkeypatch):
    from dashboard.views import data

    monkeypatch.setenv("NEWSDESK_DB", str(lake))
    monkeypatch.setattr(data, "VERSION_TTL", 0.0)
    with connect(lake, read_only=True):
        pass
    before = data.version()
    assert data.version() == before  # nothing changed: the cached answers stand
    import subprocess
    import sys

    from tests.conftest import ROOT

    result = subprocess.run([sys.executable, "-m", "dashboard", "ingest", str(FIXTURES / "feed.rss"), "--db", str(lake), "--no-enrich"],
                            cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert data.version() > before
    assert engine.snapshot(engine.cursor(lake)) == data.version()[0]


def test_the_compose_file_runs_a_poller_and_two_replicas_on_one_lake_behind_a_sticky_proxy():
    yaml = pytest.importorskip("yaml")
    from tests.conftest import ROOT

    compose = yaml.safe_load((ROOT / "deploy" / "compose.yaml").read_text(encoding="utf-8"))
    services = compose["services"]
    replicas = [name for name, s in services.items() if "streamlit" in " ".join(s.get("command", []))]
    assert len(replicas) == 2 and "poller" in services and "catalog" in services
    lakes = {services[name]["environment"]["NEWSDESK_DB"] for name in [*replicas, "poller"]}
    assert len(lakes) == 1  # all of them on the same lake
    lake = config.db_path(lakes.pop())
    assert isinstance(lake, Lake) and "host=catalog" in lake.catalog and lake.data_path == "/lake/"
    assert all("lake:/lake" in services[name]["volumes"] for name in [*replicas, "poller"])
    assert "dashboard poll" in " ".join(services["poller"]["command"])
    nginx = (ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    assert "ip_hash" in nginx and all(f"server {name}:8501" in nginx for name in replicas)


def test_check_finds_a_key_stored_twice_which_a_lake_cannot_refuse(lake, capsys):
    assert cli("ingest", FIXTURES / "feed.rss", "--db", lake, "--no-enrich", "--quiet") == 0
    with connect(lake) as con, transaction(con):
        con.execute("INSERT INTO signatures SELECT * FROM signatures LIMIT 1")
    capsys.readouterr()
    assert cli("check", "--db", lake) == 1
    assert "1 signatures stored twice" in capsys.readouterr().out


def _search_keys(store, q: str, **other) -> tuple[list[int], sel.Found]:
    """The keys the selection's search reads, as listed (an article twice if listed twice), and the lookup."""
    with connect(store, read_only=True) as con:
        found = sel.lookup(con, Filters(q=q, **other))
        assert found.search is not None
        return sorted(r[0] for r in con.execute(found.search.sql, found.search.params).fetchall()), found


def test_a_lakes_search_is_read_from_its_articles_kept_until_the_next_commit(synthetic_db, synthetic_lake):
    word = rows(synthetic_db, "SELECT min(term) FROM counted_terms")[0][0]
    prefix = rows(synthetic_db, "SELECT min(left(term, 3)) FROM search_postings WHERE length(term) > 3 "
                                "GROUP BY article_key, left(term, 3) HAVING count(*) > 1 ORDER BY 1 LIMIT 1")[0][0] + "*"
    for q in (word, prefix):
        on_file, found = _search_keys(synthetic_db, q)
        assert "search_postings" in found.search.sql
        on_lake, kept = _search_keys(synthetic_lake, q)
        assert "search_postings" not in kept.search.sql and kept.search.params == {} and kept.distinct
        assert on_lake == sorted(set(on_file)) and len(on_lake) > 1  # the same articles, each once
        assert found.share is None and kept.share == len(on_lake) / rows(synthetic_lake, "SELECT count(*) FROM articles")[0][0]
        assert not sel.sparse(found, 1, 10**9) and sel.sparse(kept, 1, 2) and not sel.sparse(kept, 10**9, 1)
    assert len(_search_keys(synthetic_db, prefix)[0]) > len(_search_keys(synthetic_lake, prefix)[0])  # the prefix lists one twice
    _, counted = _search_keys(synthetic_lake, word)
    assert counted.counted and counted.word == word
    with connect(synthetic_lake, read_only=True) as con:  # counted from term_counts: no articles to keep
        assert sel.lookup(con, Filters(q=word), counting=True).search.sql == search.one_term("$term_0")
        assert "search_postings" not in sel.lookup(con, Filters(q=word, langs=("en",)), counting=True).search.sql  # term_counts cannot count it
    with connect(synthetic_db, read_only=True) as con:  # a prefix read as the range of its words (on a lake): the same articles
        ranged, expanded = search.lookup(con, prefix, ranges=True), search.lookup(con, prefix)
        assert ranged is not None and expanded is not None
        assert "term >= $term_0 AND term < $term_1" in ranged[0] and "term >= " not in expanded[0]
        assert sorted(con.execute(ranged[0], ranged[1]).fetchall()) == sorted(con.execute(expanded[0], expanded[1]).fetchall())


def test_a_lakes_search_is_counted_from_its_articles_rows_kept_with_the_same_answers_as_the_file(synthetic_db, synthetic_lake):
    """A search of several words (no term_counts of its own): on a lake its original articles' day, source and topic are
    kept, and the headline and the charts count those rows; on a file, the articles."""
    from dashboard.store import queries

    first = rows(synthetic_db, "SELECT min(published)::DATE FROM articles")[0][0]
    for f in (Filters(q="refin* oil"), Filters(q="oil prices", start=first, source="Coast Courier")):
        answers = {}
        for store in (synthetic_db, synthetic_lake):
            with connect(store, read_only=True) as con:
                found = sel.lookup(con, f, counting=True)
                assert sel.choose(f, found).table == ("search_rows" if store == synthetic_lake else "articles")
                answers[store] = (queries.headline(con, f), queries.volume(con, f, "day").to_dict("list"),
                                  queries.period_counts(con, f, "week").to_dict("list"))
        assert answers[synthetic_lake] == answers[synthetic_db] and answers[synthetic_db][0]["articles"] > 0
    with connect(synthetic_lake, read_only=True) as con:  # only when counting: a list reads the articles
        assert sel.lookup(con, Filters(q="refin* oil")).rows is None


def test_a_lakes_entity_is_read_from_its_article_keys_kept_with_the_same_answers_as_the_file(synthetic_db, synthetic_lake):
    from dashboard.store import queries

    f = Filters(entities=("Angela Merkel", "Germany"))
    answers = {}
    for store in (synthetic_db, synthetic_lake):
        with connect(store, read_only=True) as con:
            found = sel.lookup(con, f)
            assert bool(found.entity_keys) == (store == synthetic_lake) and None not in found.entity_keys
            answers[store] = (queries.top_entities(con, f, 50).to_dict("list"), queries.count_articles(con, f),
                              queries.articles(con, f, 100)["id"].tolist())
    assert answers[synthetic_lake] == answers[synthetic_db] and answers[synthetic_db][1] > 0


def test_a_searchs_rising_entities_planned_as_written_are_the_files(synthetic_db, synthetic_lake):
    """entity_volume with a search joined (its few weeks' rows hashed first, see selection.few_days_first): the same answers
    on a file and a lake, for a search alone, with a topic, and with duplicates (not written first)."""
    from dashboard.store import queries

    start, recent, end = date(2024, 1, 1), date(2024, 3, 4), date(2024, 3, 31)
    answers = {}
    for store in (synthetic_db, synthetic_lake):
        with connect(store, read_only=True) as con:
            topic = con.execute("SELECT x.topic_id FROM article_topics x JOIN articles a ON a.key = x.article_key "
                                "WHERE contains(lower(a.title || ' ' || a.body), 'oil') GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1").fetchone()[0]
            answers[store] = [queries.entity_volume(con, f, "week", start, recent, end, 1, 10).to_dict("list")
                              for f in (Filters(q="oil"), Filters(q="oil", topics=(topic,)), Filters(q="oil", duplicates=True))]
    assert answers[synthetic_lake] == answers[synthetic_db] and [bool(a["articles"]) for a in answers[synthetic_db]] == [True] * 3


def test_a_searchs_stories_of_windows_and_speakers_quotes_probed_for_each_article_are_the_files(synthetic_db, synthetic_lake):
    """stories_in_windows and a speaker's quotes within a search of one word (probed, see selection.on_few_articles),
    of two words and of a prefix (looked up): the same answers on a file and a lake."""
    from dashboard.store import queries

    columns = ["key", "id", "headline", "headline_id", "first_day", "last_day", "size"]
    windows, people = [(1, date(2024, 1, 1), date(2024, 3, 31)), (2, date(2024, 1, 1), date(2024, 3, 31))], [("Japan", date(2024, 1, 1), date(2024, 3, 31))]
    answers = {}
    for store in (synthetic_db, synthetic_lake):
        with connect(store, read_only=True) as con:
            answers[store] = [(queries.stories_in_windows(con, f, "topic", windows, 2)[columns].to_dict("list"),
                               queries.stories_in_windows(con, f, "entity", people, 2)[columns].to_dict("list"))
                              for f in (Filters(q="oil"), Filters(q="oil prices"), Filters(q="oil*"), Filters())]
            speakers = tuple(queries.speakers(con, Filters(q="oil"))[:2])  # their quotes: the search probed (one word)
            answers[store].append([queries.quotes(con, f, speakers, None, 7)[["article_id", "text", "speaker"]].to_dict("list")
                                   for f in (Filters(q="oil"), Filters(q="oil prices"), Filters(q="oil", source="Coast Courier"))])
    assert answers[synthetic_lake] == answers[synthetic_db] and answers[synthetic_db][-1][0]["text"]
    assert all(topic["id"] and entity["id"] for topic, entity in answers[synthetic_db][:1])


def test_a_searchs_kept_articles_are_those_of_the_lakes_latest_snapshot(lake):
    assert cli("ingest", FIXTURES / "feed.rss", "--db", lake, "--no-enrich", "--quiet") == 0
    word = rows(lake, "SELECT min(term) FROM search_postings")[0][0]
    before, _ = _search_keys(lake, word)
    assert before and before == _search_keys(lake, word)[0]
    with connect(lake) as con:
        kept = dict(sel._kept)
        sel.lookup(con, Filters(q=word))  # the same snapshot: the same keys, not read again
        assert dict(sel._kept) == kept
        with transaction(con):
            con.execute("INSERT INTO search_pending (term, article_key) VALUES ($word, 999999)", {"word": word})
    after, _ = _search_keys(lake, word)  # a commit: read again
    assert after == sorted([*before, 999999])
    with connect(lake) as con:  # an entity's id too
        assert sel.lookup(con, Filters(entities=("Nobody Known",))).entity_ids == (None,)
        looked_up = dict(sel._looked_up)
        assert sel.lookup(con, Filters(entities=("Nobody Known",))).entity_ids == (None,) and dict(sel._looked_up) == looked_up
        with transaction(con):
            con.execute("INSERT INTO entities (id, name, type, aliases) VALUES (987654, 'Nobody Known', 'PERSON', [])")
        assert sel.lookup(con, Filters(entities=("Nobody Known",))).entity_ids == (987654,)


def test_filters_with_nothing_to_look_up_do_not_ask_the_lake_for_its_snapshot(lake, monkeypatch):
    """No search and no entity: nothing is kept per snapshot, so the catalog is not asked for one."""
    def no_snapshot(con):
        raise AssertionError("the snapshot was asked for")

    assert cli("ingest", FIXTURES / "feed.rss", "--db", lake, "--no-enrich", "--quiet") == 0
    monkeypatch.setattr(sel.engine, "snapshot", no_snapshot)
    with connect(lake) as con:
        assert sel.lookup(con, Filters(source="Example", topics=(1,))) == sel.Found(())
        with pytest.raises(AssertionError, match="the snapshot was asked for"):
            sel.lookup(con, Filters(q="harbour"))


def _snapshot_reads(con) -> int:
    """How many times DuckLake has asked the catalog for the latest snapshot (a transaction's start) so far."""
    return con.execute("SELECT count(*) FROM duckdb_logs_parsed('DuckLakeMetadata') "
                       "WHERE query LIKE '%FROM \"public\".ducklake_snapshot WHERE snapshot_id = (%'").fetchone()[0]


def test_a_lakes_query_reads_one_snapshot_and_a_writers_inside_its_transaction(lake):
    """On a lake each query runs its statements (the filters' lookups, then its SQL) in one read transaction of
    its own (queries.one_snapshot): the catalog is asked for the snapshot once, and the connection is left out of any
    transaction after, also when the query fails; inside a writer's transaction it reads what the writer wrote."""
    from dashboard.store import queries

    assert cli("ingest", FIXTURES / "feed.rss", "--db", lake, "--no-enrich", "--quiet") == 0
    with connect(lake) as con:
        f = Filters(q="harbour")
        expected = queries.count_articles(con, f)
        con.execute("CALL enable_logging('DuckLakeMetadata')")
        before = _snapshot_reads(con)
        assert queries.count_articles(con, f) == expected > 0 and queries.articles(con, f, 10)["id"].tolist()
        assert _snapshot_reads(con) - before == 2 + 1  # one per query, and one for the count of them
        con.execute("CALL disable_logging()")
        with pytest.raises(duckdb.ConversionException):
            queries.count_articles(con, Filters(topics=("not a topic id",)))
        con.execute("BEGIN TRANSACTION")  # no transaction left open
        con.execute("ROLLBACK")
        with transaction(con):
            con.execute("INSERT INTO articles SELECT * REPLACE ('written-here' AS id, (SELECT max(key) + 1 FROM articles) AS key) "
                        "FROM articles WHERE duplicate_of IS NULL LIMIT 1")
            assert queries.count_articles(con, Filters()) == rows(lake, "SELECT count(*) FROM articles WHERE duplicate_of IS NULL")[0][0] + 1
            con.execute("DELETE FROM articles WHERE id = 'written-here'")


def test_a_lakes_queries_read_its_small_tables_from_copies_kept_for_the_snapshot(lake):
    """entities, topics and entity_curation are read, within a query's read transaction, from copies kept per snapshot
    (selection.small_tables): their rows are the snapshot's, a commit makes new ones, and the connection reads the
    lake's tables again after the query; inside a writer's transaction they are read from the lake, with its own rows."""
    from dashboard.store import queries

    assert cli("ingest", FIXTURES / "feed.rss", "--db", lake, "--no-enrich", "--quiet") == 0
    with connect(lake) as con:
        with transaction(con):
            con.execute("INSERT INTO entities (id, name, type, aliases) VALUES (1, 'Harbour Board', 'ORG', [])")
            key = con.execute("SELECT min(key) FROM articles").fetchone()[0]
            con.execute("INSERT INTO article_entities (article_id, entity_id, mentions, day, source, topic_id, article_key) "
                        "SELECT id, 1, 2, published::DATE, source, NULL, key FROM articles WHERE key = $key", {"key": key})
        assert queries.top_entities(con, Filters(), 5)["name"].tolist() == ["Harbour Board"]
        copies = {k[-1] for k in sel._small if k[0] == lake.address}
        assert {"entities"} <= copies
        assert con.execute("SELECT count(*) FROM duckdb_views() WHERE view_name = 'entities'").fetchone()[0] == 0  # the lake's again
        con.execute("CALL enable_logging('DuckLakeMetadata')")
        table = "(SELECT table_id FROM __ducklake_metadata_lake.ducklake_table WHERE table_name = 'entities' AND end_snapshot IS NULL)"
        reads = f"SELECT count(*) FROM duckdb_logs_parsed('DuckLakeMetadata') WHERE query LIKE '%table_id = ' || {table} || '%'"
        before = con.execute(reads).fetchone()[0]
        assert queries.top_entities(con, Filters(), 5)["name"].tolist() == ["Harbour Board"]
        assert con.execute(reads).fetchone()[0] == before  # entities not read from the lake: its catalog not asked
        con.execute("SELECT max(name) FROM entities").fetchall()
        assert con.execute(reads).fetchone()[0] > before  # as a read of the lake's table does
        con.execute("CALL disable_logging()")
        with transaction(con):
            con.execute("UPDATE entities SET name = 'Port Authority' WHERE id = 1")
            assert queries.top_entities(con, Filters(), 5)["name"].tolist() == ["Port Authority"]  # the writer's own row
        assert queries.top_entities(con, Filters(), 5)["name"].tolist() == ["Port Authority"]  # a new snapshot, a new copy
