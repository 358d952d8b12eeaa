"""Routes of the selection builder (store/selection.py) that tests/test_selection.py's cases do not tell
apart: a joined search with a second entity that removes an article, entities with duplicates asked for
and a search joined, and a caller's own alias for the articles. Each is run on the few rows of
tests/test_selection.py, whose expected articles are read off those rows by hand."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import duckdb
import pytest

from dashboard.store import selection as sel
from dashboard.store.selection import Clause, Filters, Found
from tests.test_selection import ROWS

# Entity 7 (A) is in articles a and b, entity 9 (B) in a and c; "oil" is in a and d (d a near-duplicate of a), "gold" in c.
ENTITY = {"A": 7, "B": 9}
WORD = "SELECT article_key FROM search_postings WHERE term = $term_0"


@pytest.fixture(scope="module")
def con():
    with duckdb.connect() as con:
        con.execute(ROWS)
        yield con


def found(f: Filters, distinct: bool = True) -> Found:
    return Found(tuple(ENTITY[e] for e in f.entities), Clause(WORD, {"term_0": f.q}) if f.q else None, distinct)


def ids(con, source: str, where: Clause, column: str = "a.id") -> str:
    return "".join(r[0] for r in con.execute(f"SELECT DISTINCT {column} FROM {source} WHERE {where.sql} ORDER BY 1", where.params).fetchall())


def test_a_second_entity_narrows_the_first_entitys_rows_when_the_search_is_joined(con):
    # B's articles with "gold": c; A is not in c, so B, A and "gold" together select nothing
    f = Filters(entities=("B", "A"), q="gold")
    chosen = sel.choose(f, found(f))
    assert chosen.table == "article_entities" and "JOIN" in chosen.source_sql  # the route under test: the search joined
    assert con.execute(f"SELECT coalesce({chosen.count}, 0) FROM {chosen.source_sql} WHERE {chosen.where.sql}", chosen.params).fetchone()[0] == 0
    assert ids(con, chosen.source_sql, chosen.where, "x.article_id") == ""
    alone = Filters(entities=("B",), q="gold")  # without A: c
    chosen = sel.choose(alone, found(alone))
    assert ids(con, chosen.source_sql, chosen.where, "x.article_id") == "c"


def test_entities_with_duplicates_and_a_joined_search_are_counted_from_the_articles(con):
    # article_entities holds original articles only, so with duplicates the articles answer: A's articles with "oil" are a
    # (d has "oil" too but no entity rows: A is not stored for it)
    f = Filters(entities=("A",), q="oil", duplicates=True)
    chosen = sel.choose(f, found(f))
    assert chosen.table == "articles"
    assert con.execute(f"SELECT {chosen.count} FROM {chosen.source_sql} WHERE {chosen.where.sql}", chosen.params).fetchone()[0] == 1
    assert chosen.params == {"entity_0": 7, "term_0": "oil"}


@pytest.mark.parametrize("distinct", [False, True], ids=["search looked up", "search joined"])
def test_the_articles_rows_take_the_callers_alias(con, distinct):
    f = Filters(q="oil", source="Wire", duplicates=True)  # a and d
    source, where = sel.articles_from(f, found(f, distinct), "b")
    assert source.startswith("articles b")
    assert ids(con, source, where, "b.id") == "ad"
    source, where = sel.articles_from(Filters(source="Post"), Found(), "b")
    assert (source, where) == ("articles b", Clause("b.duplicate_of IS NULL AND b.source = $source", {"source": "Post"}))


def test_a_joined_search_is_not_looked_up_again_for_each_article():
    f = Filters(q="oil", source="Wire")
    source, where = sel.articles_from(f, found(f))
    assert source == f"articles a JOIN ({WORD}) hit ON hit.article_key = a.key"
    assert where == Clause("a.duplicate_of IS NULL AND a.source = $source", {"source": "Wire", "term_0": "oil"})


def test_a_search_is_sparse_when_the_newest_window_is_not_expected_to_hold_a_page_twice():
    # a quarter of all articles found: the newest 40 are expected to hold 10 of them, twice a page of 5
    assert not sel.sparse(Found(share=0.25), 40, 5)
    assert sel.sparse(Found(share=0.25), 40, 6)
    assert sel.sparse(Found(share=0.025), 2000, 50)  # `oil prices`' list: 50 expected among the newest 2,000, just the page
    # off a lake the share is unknown: never sparse
    assert not sel.sparse(Found(), 40, 1_000)


def test_the_most_recently_used_lookups_are_kept_and_made_once():
    kept: dict[tuple, str] = {}
    made: list[str] = []

    def make(value: str):
        return lambda: made.append(value) or value

    assert sel._remembered(kept, 2, ("a",), make("A")) == "A"
    assert sel._remembered(kept, 2, ("b",), make("B")) == "B"
    assert sel._remembered(kept, 2, ("a",), make("A again")) == "A"  # kept: not made again, and now the most recent
    assert sel._remembered(kept, 2, ("c",), make("C")) == "C"  # a third: the least recently used, b, goes
    assert list(kept) == [("a",), ("c",)] and made == ["A", "B", "C"]


VERSION = ("test lake", 1)  # the key a lake's views are kept under (its address and snapshot); any key on a file


@pytest.fixture
def kept_afresh(monkeypatch):
    """Nothing kept from before: each view is read from the tables by the test itself."""
    monkeypatch.setattr(sel, "_kept", {})
    monkeypatch.setattr(sel, "_looked_up", {})


def test_an_entitys_kept_keys_select_what_article_entities_does(con, kept_afresh):
    # a lake keeps each chosen entity's article keys as a view: A is in a and b, B in a and c, both only in a
    f = Filters(entities=("A", "B"))
    plain = found(f)
    kept = sel.kept_entities(con, plain, VERSION)
    assert kept.entity_keys == ("entity_7", "entity_9")
    assert ids(con, "articles a", sel.mentions_entity("a.key", kept, 0)) == "ab"
    assert ids(con, "articles a", sel.mentions_entity("a.key", kept, 1)) == "ac"
    for route in (plain, kept):  # the first entity's rows joined to its kept keys, or read from article_entities
        source, where = sel.entity_rows(f, route)
        assert ids(con, source, where, "x.article_id") == "a"
    one = Filters(entities=("A",))  # one entity, its kept keys joined: its articles a and b
    assert ids(con, *sel.entity_rows(one, sel.kept_entities(con, found(one), VERSION)), "x.article_id") == "ab"
    # an entity no one is named has no view, and selects nothing; the entity after it still has its own
    unknown = sel.kept_entities(con, Found((None, 7)), VERSION)
    assert unknown.entity_keys == (None, "entity_7")
    assert ids(con, "articles a", sel.mentions_entity("a.key", unknown, 0)) == ""
    assert ids(con, "articles a", sel.mentions_entity("a.key", unknown, 1)) == "ab"


def test_a_searchs_kept_articles_and_rows_count_what_the_index_does(con, kept_afresh):
    # "oil" is in a and d (d a near-duplicate of a): two of the four articles, one original
    f = Filters(q="oil")
    kept = sel.kept(con, found(f), VERSION)
    assert kept.share == 2 / 4 and kept.distinct
    assert ids(con, "articles a", Clause(f"a.key IN ({kept.search.sql})")) == "ad"
    assert sel.rows_answer(f, kept)
    rows = sel.kept_rows(con, kept, VERSION)
    chosen = sel.choose(f, rows)
    assert chosen.table == "search_rows"
    counted = con.execute(f"SELECT {chosen.day}, {chosen.source}, {chosen.topic}, {chosen.count} FROM {chosen.source_sql} "
                          f"WHERE {chosen.where.sql} GROUP BY ALL", chosen.params).fetchall()
    assert [(str(day), source, topic, n) for day, source, topic, n in counted] == [("2020-01-01", "Wire", 1, 1)]
    # another search (the same SQL, another word) is kept apart, and the first one's views still read its own articles
    gold = sel.kept(con, found(Filters(q="gold")), VERSION)
    assert ids(con, "articles a", Clause(f"a.key IN ({gold.search.sql})")) == "c"
    assert ids(con, "articles a", Clause(f"a.key IN ({kept.search.sql})")) == "ad"
    gold_rows = sel.choose(Filters(q="gold"), sel.kept_rows(con, gold, VERSION))
    assert con.execute(f"SELECT {gold_rows.source} FROM {gold_rows.source_sql}").fetchall() == [("Post",)]
    assert con.execute(f"SELECT {chosen.source} FROM {chosen.source_sql}").fetchall() == [("Wire",)]
    # a search that may list an article twice (a prefix's words) is kept once each, and then lists each once
    twice = Clause(f"{WORD} UNION ALL {WORD}", {"term_0": "oil"})
    once = sel.kept(con, Found(search=twice), VERSION)
    assert once.share == 2 / 4 and once.distinct
    # the kept rows count only for a search with filters daily_counts answers besides: not a language, nor no search
    assert not sel.rows_answer(replace(f, langs=("en",)), kept)
    assert not sel.rows_answer(Filters(), Found())
    assert not sel.rows_answer(f, replace(kept, distinct=False))


# --- the lookup: what it reads on a file, and on a lake what it keeps per snapshot -------------------------

@pytest.fixture
def named():
    """The few rows above, with entities A (7) and B (9) named: a connection of the test's own."""
    with duckdb.connect() as con:
        con.execute(ROWS)
        con.execute("CREATE TABLE entities (id INTEGER, name VARCHAR); INSERT INTO entities VALUES (7, 'A'), (9, 'B')")
        yield con


def test_a_files_lookup_names_the_searchs_one_word_and_expands_a_prefix_into_its_words(named):
    assert sel.lookup(named, Filters(entities=("A",))) == Found((7,))  # no search: nothing looked up in the index
    one = sel.lookup(named, Filters(q="oil"))
    assert one.word == "oil" and one.counted and one.share is None and one.rows is None
    assert sel.lookup(named, Filters(q="oil gold")).word is None  # two words: no single term to count by
    prefix = sel.lookup(named, Filters(q="oi*"))
    assert prefix.word is None and not prefix.counted
    # on a file a prefix is looked up word by word (DuckDB then sizes the join by those few rows), not read as a range
    assert prefix.search is not None and "term >= " not in prefix.search.sql and prefix.search.params == {"term_0": "oil"}


class _Snapshots:
    """engine.snapshot for a plain DuckDB read as a lake: the id the test sets, and how often it was asked."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con, self.id, self.asked = con, 1, 0

    def __call__(self, con: duckdb.DuckDBPyConnection) -> int:
        assert con is self.con  # the lake's own connection is asked
        self.asked += 1
        return self.id


@pytest.fixture
def as_a_lake(named, kept_afresh, monkeypatch):
    """`named` read as a lake, as tests/test_lake.py reads one on PostgreSQL (outside the fast tests): db.lake_of names a
    lake for this connection only, engine.snapshot gives the test's snapshot id; a prefix is never expanded there."""
    from dashboard.store import search
    from dashboard.store.engine import Lake

    lake = Lake("ducklake:postgres:dbname=test", "postgres:dbname=test", None)
    monkeypatch.setattr(sel.db, "lake_of", lambda con: lake if con is named else None)
    snapshots = _Snapshots(named)
    monkeypatch.setattr(sel.engine, "snapshot", snapshots)

    def expand(con, prefix):
        raise AssertionError(f"{prefix}* expanded on a lake: each word's lookup costs its own catalog queries")

    monkeypatch.setattr(search, "expand", expand)
    return named, snapshots


def test_a_lakes_lookup_keeps_the_searchs_articles_and_reads_the_search_from_them(as_a_lake):
    con, snapshots = as_a_lake
    assert sel.lookup(con, Filters(source="Wire", topics=(1,))) == Found(())
    assert snapshots.asked == 0  # nothing to look up: the catalog is not asked for a snapshot
    oil = sel.lookup(con, Filters(q="oil"))  # a list's lookup (not counting): the articles kept, a and d
    assert oil.search is not None and oil.search.sql.startswith("SELECT article_key FROM search_") and oil.search.params == {}
    assert "search_postings" not in oil.search.sql and oil.distinct and oil.share == 2 / 4 and oil.rows is None
    assert oil.word == "oil" and oil.counted and snapshots.asked == 1
    assert ids(con, "articles a", Clause(f"a.key IN ({oil.search.sql})")) == "ad"
    gold = sel.lookup(con, Filters(q="gold"))  # another search of the same snapshot: its own articles
    assert ids(con, "articles a", Clause(f"a.key IN ({gold.search.sql})")) == "c"
    # counting a word term_counts counts: its index lookup as it is, nothing kept
    assert sel.lookup(con, Filters(q="oil"), counting=True).search == Clause(WORD, {"term_0": "oil"})
    # counting it with a filter term_counts cannot answer (a language): the articles kept, and no rows (the articles count)
    english = sel.lookup(con, Filters(q="oil", langs=("en",)), counting=True)
    assert english.search is not None and "search_postings" not in english.search.sql and english.rows is None


def test_a_lakes_prefix_is_read_as_a_range_and_counted_from_its_kept_rows(as_a_lake):
    con, _ = as_a_lake
    f = Filters(q="oi*")
    found = sel.lookup(con, f, counting=True)  # no term_counts of its own: the original articles' rows kept (a; d is a duplicate)
    assert found.distinct and found.share == 2 / 4 and found.rows is not None and not found.counted
    chosen = sel.choose(f, found)
    assert chosen.table == "search_rows"
    assert con.execute(f"SELECT {chosen.count} FROM {chosen.source_sql} WHERE {chosen.where.sql}", chosen.params).fetchone()[0] == 1


def test_a_lakes_entities_are_kept_for_its_snapshot(as_a_lake):
    con, snapshots = as_a_lake
    found = sel.lookup(con, Filters(entities=("A", "C")))  # C is named nowhere: no id, no view
    assert found.entity_ids == (7, None) and found.entity_keys == ("entity_7", None) and found.search is None
    assert ids(con, "articles a", sel.mentions_entity("a.key", found, 0)) == "ab"
    con.execute("INSERT INTO entities VALUES (11, 'C')")
    assert sel.lookup(con, Filters(entities=("A", "C"))).entity_ids == (7, None)  # the same snapshot: kept, not read again
    snapshots.id = 2  # a commit to the lake: read again
    assert sel.lookup(con, Filters(entities=("A", "C"))).entity_ids == (7, 11)
    both_ = sel.lookup(con, Filters(entities=("B",), q="gold"))  # an entity and a search: each kept
    assert both_.entity_keys == ("entity_9",) and ids(con, "articles a", Clause(f"a.key IN ({both_.search.sql})")) == "c"


def test_one_entitys_rows_probe_a_kept_search_and_select_what_the_join_does(con, kept_afresh):
    # an entity page's rows (one entity's) within "oil" (a and d; d a near-duplicate): A's within it, a
    f = Filters(q="oil")
    plain, kept = found(f), sel.kept(con, found(f), VERSION)
    own = Clause("x.entity_id = 7")
    for route in (plain, kept):
        source, where = sel.entity_rows(f, route)
        assert "JOIN" in source and "EXISTS" not in where.sql
        assert ids(con, source, both := sel.both(where, own), "x.article_id") == "a", both
    source, where = sel.entity_rows(f, kept, one_entity=True)  # on a lake: probed, not joined
    assert source == "article_entities x" and "EXISTS" in where.sql
    assert ids(con, source, sel.both(where, own), "x.article_id") == "a"
    assert ids(con, source, where, "x.article_id") == "a"  # every entity's rows of the search's originals
    assert sel.entity_rows(f, plain, one_entity=True) == sel.entity_rows(f, plain)  # a file's search: joined, as before


@pytest.mark.parametrize(("f", "entity", "expected"), [
    (Filters(q="oil", source="Post"), 7, ""),  # a, the one original with "oil", is Wire's
    (Filters(q="oil", source="Wire"), 7, "a"),
    (Filters(q="oil", start=date(2020, 1, 2)), 7, ""),  # a is of 1 January
    (Filters(q="gold", entities=("A",)), 9, ""),  # c has "gold" and B, but not A
    (Filters(q="gold"), 9, "c"),
], ids=["other-source", "its-source", "after-its-day", "without-the-chosen-entity", "search-alone"])
def test_one_entitys_probed_rows_keep_the_selections_other_filters(con, kept_afresh, f, entity, expected):
    # the probed route (a lake's kept search, one entity's rows) keeps the source, the dates and the chosen entities,
    # as the join (a file's route) does
    own = Clause(f"x.entity_id = {entity}")
    source, where = sel.entity_rows(f, sel.kept(con, found(f), VERSION), one_entity=True)
    assert "EXISTS" in where.sql
    assert ids(con, source, sel.both(where, own), "x.article_id") == expected
    source, where = sel.entity_rows(f, found(f))
    assert ids(con, source, sel.both(where, own), "x.article_id") == expected
