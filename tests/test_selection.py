"""The selection builder (store/selection.py) on its own: each filter's SQL and named parameters,
their combinations, and the table chosen to answer. Pure functions: no database but DuckDB's
parser and a few in-memory rows, where a condition's meaning is checked by running it."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

import duckdb
import pytest

from dashboard.store import selection as sel
from dashboard.store.selection import Clause, Filters, Found

WORDS = Found(entity_ids=(7, 9), search=Clause("SELECT article_key FROM search_postings WHERE term = $term_0", {"term_0": "oil"}), word="oil")


def names(clause: Clause) -> set[str]:
    """The `$name` parameters the SQL uses."""
    return set(re.findall(r"\$([a-z_0-9]+)", clause.sql))


def test_no_filter_keeps_the_original_articles_only():
    assert sel.on_articles(Filters(), Found()) == Clause("a.duplicate_of IS NULL")
    assert sel.on_articles(Filters(duplicates=True), Found()) == sel.TRUE
    assert sel.on_rollup(Filters(), "d") == sel.TRUE


@pytest.mark.parametrize(("f", "sql", "params"), [
    (Filters(start=date(2020, 1, 2)), "b.published >= $start", {"start": date(2020, 1, 2)}),
    (Filters(end=date(2020, 1, 2)), "b.published < $after", {"after": date(2020, 1, 3)}),  # the whole last day
    (Filters(source="Wire"), "b.source = $source", {"source": "Wire"}),
    (Filters(topics=(3, 4)), "b.key IN (SELECT article_key FROM article_topics WHERE topic_id IN (SELECT unnest($topics::INTEGER[])))",
     {"topics": [3, 4]}),
    (Filters(entities=("A", "B")), "b.key IN (SELECT article_key FROM article_entities WHERE entity_id = $entity_0) AND "
     "b.key IN (SELECT article_key FROM article_entities WHERE entity_id = $entity_1)", {"entity_0": 7, "entity_1": 9}),
    (Filters(stories=(5,)), "b.id IN (SELECT article_id FROM article_stories WHERE story_id IN (SELECT unnest($stories::INTEGER[])))",
     {"stories": [5]}),
    (Filters(langs=("fr",)), "b.lang IN (SELECT unnest($langs::VARCHAR[]))", {"langs": ["fr"]}),
    (Filters(q="oil"), "b.key IN (SELECT article_key FROM search_postings WHERE term = $term_0)", {"term_0": "oil"}),
])
def test_each_filter_adds_its_condition_and_named_parameters_on_articles(f, sql, params):
    clause = sel.on_articles(replace(f, duplicates=True), WORDS, "b")  # duplicates too: the filter's condition alone
    assert clause == Clause(sql, params)
    assert names(clause) == set(params)


def test_a_search_the_index_cannot_answer_is_looked_for_as_plain_text():
    clause = sel.on_articles(Filters(q="U.S."), Found(), "a")
    assert clause.sql.endswith("contains(lower(coalesce(a.title, '') || ' ' || a.body), lower($q))")
    assert clause.params == {"q": "U.S."}


def test_filters_combine_with_and_and_each_parameter_appears_once():
    f = Filters(start=date(2020, 1, 1), end=date(2020, 1, 31), source="Wire", topics=(1,), entities=("A", "B"), q="oil")
    clause = sel.on_articles(f, WORDS)
    assert clause.sql.count(" AND ") == 7  # duplicates, start, end, source, topics, two entities, search: eight conditions
    assert names(clause) == set(clause.params) == {"start", "after", "source", "topics", "entity_0", "entity_1", "term_0"}


def test_rollup_conditions_are_on_the_derived_tables_day_source_and_topic():
    f = Filters(start=date(2020, 1, 1), end=date(2020, 1, 31), source="Wire", topics=(1, 2))
    assert sel.on_rollup(f, "d") == Clause("d.day >= $start AND d.day <= $end AND d.source = $source AND "
                                           "d.topic_id IN (SELECT unnest($topics::INTEGER[]))",
                                           {"start": date(2020, 1, 1), "end": date(2020, 1, 31), "source": "Wire", "topics": [1, 2]})


def test_a_parameter_given_two_values_is_refused():
    assert sel.both(Clause("x = $v", {"v": 1}), Clause("y = $v", {"v": 1})) == Clause("x = $v AND y = $v", {"v": 1})
    with pytest.raises(ValueError, match=r"\$v"):
        sel.both(Clause("x = $v", {"v": 1}), Clause("y = $v", {"v": 2}))


@pytest.mark.parametrize(("f", "table"), [
    (Filters(), "daily_counts"),
    (Filters(start=date(2020, 1, 1), end=date(2020, 2, 1), source="Wire", topics=(1,)), "daily_counts"),
    (Filters(entities=("A",)), "article_entities"),
    (Filters(entities=("A", "B"), q="oil", stories=(1,), langs=("en",), topics=(2,)), "article_entities"),
    (Filters(q="oil"), "articles"),  # term_counts when the word is counted
    (Filters(stories=(1,)), "articles"),
    (Filters(langs=("en",)), "articles"),
    (Filters(entities=("A",), duplicates=True), "articles"),  # article_entities holds original articles only
    (Filters(duplicates=True), "articles"),
])
def test_the_cheapest_table_that_can_answer_is_chosen(f, table):
    assert sel.choose(f, replace(WORDS, counted=True)).table == ("term_counts" if table == "articles" and f == Filters(q="oil") else table)
    chosen = sel.choose(f, WORDS)
    assert chosen.table == table
    assert names(chosen.where) == set(chosen.params)


def test_an_entitys_rows_answer_unless_the_search_needs_the_articles_text():
    assert sel.choose(Filters(entities=("A",), q="U.S."), Found(entity_ids=(7,))).table == "articles"
    rows, where = sel.entity_rows(Filters(entities=("A",), q="U.S."), Found(entity_ids=(7,)))
    assert rows == "article_entities x JOIN articles a ON a.key = x.article_key" and "$q" in where.sql
    rows, where = sel.entity_rows(Filters(entities=("A",), source="Wire"), Found(entity_ids=(7,)))
    assert rows == "article_entities x"
    assert where == Clause("x.source = $source AND x.article_key IN (SELECT article_key FROM article_entities WHERE entity_id = $entity_0)",
                           {"source": "Wire", "entity_0": 7})


def test_the_first_entitys_rows_stand_for_the_articles_and_the_others_narrow_them():
    where = sel.first_entity_rows(Filters(entities=("A", "B"), end=date(2020, 1, 1)), WORDS)
    assert where == Clause("x.day <= $end AND x.entity_id = $entity_0 AND "
                           "x.article_key IN (SELECT article_key FROM article_entities WHERE entity_id = $entity_1)",
                           {"end": date(2020, 1, 1), "entity_0": 7, "entity_1": 9})
    assert sel.first_entity_rows(Filters(q="oil"), WORDS) is None


# The conditions mean what they say: run on a few rows of articles and of each derived table. Each
# article's key (30, 10, 20, 40) is in neither the order of the ids nor that of the rows, and no key
# is an article's position: a condition that mixed keys up with ids or rows would select others.
ROWS = """
CREATE TABLE articles (id VARCHAR, key BIGINT, source VARCHAR, published TIMESTAMP, duplicate_of VARCHAR, lang VARCHAR, title VARCHAR,
                       body VARCHAR);
INSERT INTO articles VALUES
    ('a', 30, 'Wire', '2020-01-01 00:00:00', NULL, 'en', 'Oil', 'U.S. crude'),
    ('b', 10, 'Wire', '2020-01-31 23:59:59', NULL, 'fr', NULL, 'Pétrole'),
    ('c', 20, 'Post', '2020-02-01 00:00:00', NULL, 'en', 'Gold', 'gold'),
    ('d', 40, 'Wire', '2020-01-15 12:00:00', 'a', 'en', 'Oil', 'U.S. crude');
CREATE TABLE article_topics (article_id VARCHAR, topic_id INTEGER, article_key BIGINT);
INSERT INTO article_topics VALUES ('a', 1, 30), ('b', 2, 10), ('c', 1, 20), ('d', 1, 40);
CREATE TABLE article_entities (article_id VARCHAR, entity_id INTEGER, mentions INTEGER, day DATE, source VARCHAR, topic_id INTEGER,
                               article_key BIGINT);
INSERT INTO article_entities VALUES ('a', 7, 1, '2020-01-01', 'Wire', 1, 30), ('b', 7, 2, '2020-01-31', 'Wire', 2, 10),
    ('a', 9, 1, '2020-01-01', 'Wire', 1, 30), ('c', 9, 1, '2020-02-01', 'Post', 1, 20);
CREATE TABLE article_stories (article_id VARCHAR, story_id INTEGER);
INSERT INTO article_stories VALUES ('a', 5), ('c', 6);
CREATE TABLE search_postings (term VARCHAR, article_key BIGINT);
INSERT INTO search_postings VALUES ('oil', 30), ('oil', 40), ('gold', 20);
CREATE TABLE daily_counts AS SELECT published::DATE AS day, source, topic_id, count(*)::INTEGER AS articles
    FROM articles JOIN article_topics ON article_id = id WHERE duplicate_of IS NULL GROUP BY ALL;
CREATE TABLE counted_terms AS SELECT 'oil' AS term UNION ALL SELECT 'gold';
CREATE TABLE term_counts AS SELECT term, published::DATE AS day, source, topic_id, count(*)::INTEGER AS articles
    FROM search_postings s JOIN articles a ON a.key = s.article_key JOIN article_topics x ON x.article_id = a.id WHERE duplicate_of IS NULL
    GROUP BY ALL;
"""


TOPIC = {"a": 1, "b": 2, "c": 1, "d": 1}  # each article's topic, as in article_topics above


@pytest.fixture(scope="module")
def con():
    with duckdb.connect() as con:
        con.execute(ROWS)
        yield con


@pytest.mark.parametrize(("f", "expected"), [
    (Filters(), "abc"),
    (Filters(duplicates=True), "abcd"),
    (Filters(start=date(2020, 1, 31)), "bc"),
    (Filters(end=date(2020, 1, 31)), "ab"),  # 23:59:59 of the last day is in
    (Filters(start=date(2020, 2, 1), end=date(2020, 2, 1)), "c"),
    (Filters(source="Wire"), "ab"),
    (Filters(topics=(2,)), "b"),
    (Filters(entities=("A",)), "ab"),
    (Filters(entities=("A", "B")), "a"),  # both
    (Filters(entities=("Nobody",)), ""),
    (Filters(stories=(5, 6)), "ac"),
    (Filters(langs=("fr",)), "b"),
    (Filters(q="oil"), "a"),
    (Filters(q="oil", duplicates=True), "ad"),
    (Filters(q="U.S."), "a"),  # as plain text
    (Filters(entities=("B",), topics=(1,), end=date(2020, 1, 31)), "a"),
    # an entity's rows narrowed by the other sets, each joined on its own column (stories by id, the rest by key)
    (Filters(entities=("A",), stories=(5,)), "a"),
    (Filters(entities=("A",), langs=("fr",)), "b"),
    (Filters(entities=("A", "B"), q="oil"), "a"),
    (Filters(topics=(1,), q="oil"), "a"),
    (Filters(q="oil", source="Wire", end=date(2020, 1, 1)), "a"),
    (Filters(q="gold", start=date(2020, 1, 2), topics=(1,)), "c"),
    (Filters(q="oil", start=date(2020, 1, 2)), ""),
])
@pytest.mark.parametrize(("distinct", "counted"), [(False, False), (True, False), (True, True)],
                         ids=["search looked up", "search joined", "search counted"])
def test_every_route_selects_the_same_articles(con, f, expected, distinct, counted):
    ids = {"A": 7, "B": 9}
    found = Found(tuple(ids.get(e) for e in f.entities),
                  None if f.q in (None, "U.S.") else Clause("SELECT article_key FROM search_postings WHERE term = $term_0", {"term_0": f.q}),
                  distinct, counted and f.q not in (None, "U.S."), None if f.q in (None, "U.S.") else f.q)
    for where in (sel.on_articles(f, found), sel.on_few_articles(f, found)):
        assert "".join(r[0] for r in con.execute(f"SELECT id FROM articles a WHERE {where.sql} ORDER BY id", where.params).fetchall()) \
            == expected, where.sql
    articles, where = sel.articles_from(f, found)
    assert "".join(r[0] for r in con.execute(f"SELECT id FROM {articles} WHERE {where.sql} ORDER BY id", where.params).fetchall()) \
        == expected
    chosen = sel.choose(f, found)
    count = con.execute(f"SELECT coalesce({chosen.count}, 0) FROM {chosen.source_sql} WHERE {chosen.where.sql}", chosen.params).fetchone()[0]
    assert count == len(expected), chosen.table
    topics = con.execute(f"SELECT count(DISTINCT {chosen.topic}) FROM {chosen.topics_sql} WHERE {chosen.where.sql}", chosen.params).fetchone()[0]
    assert topics == len({TOPIC[i] for i in expected})
    for few_days in (False, True):
        rows, where = sel.entity_rows(f, found, few_days=few_days)
        mentioned = con.execute(f"SELECT DISTINCT x.article_id FROM {rows} WHERE {where.sql} ORDER BY 1", where.params).fetchall()
        assert "".join(r[0] for r in mentioned) == "".join(i for i in expected if i in "abc"), few_days


def test_lookup_reads_the_entity_ids_and_the_searchs_words(con):
    con.execute("CREATE TABLE IF NOT EXISTS entities (id INTEGER, name VARCHAR)")
    con.execute("INSERT INTO entities VALUES (7, 'A'), (9, 'B')")
    found = sel.lookup(con, Filters(entities=("B", "Nobody"), q="oil gold"))
    assert found.entity_ids == (9, None)
    assert found.search is not None and set(found.search.params.values()) == {"oil", "gold"}
    assert sel.lookup(con, Filters(q="U.S.")) == Found()


def test_a_search_that_lists_each_article_once_is_joined_not_looked_up():
    f = Filters(q="oil", source="Wire")
    joined = replace(WORDS, distinct=True)
    chosen = sel.choose(f, joined)
    assert chosen.source_sql == "articles a JOIN (SELECT article_key FROM search_postings WHERE term = $term_0) hit ON hit.article_key = a.key"
    assert chosen.where == Clause("a.duplicate_of IS NULL AND a.source = $source", {"source": "Wire", "term_0": "oil"})
    assert names(Clause(chosen.source_sql + " " + chosen.where.sql)) == set(chosen.params)
    rows, where = sel.entity_rows(replace(f, entities=("A",)), joined)
    assert rows == "article_entities x JOIN (SELECT article_key FROM search_postings WHERE term = $term_0) hit ON hit.article_key = x.article_key"
    assert "search_postings" not in where.sql and names(Clause(rows + " " + where.sql)) == set(where.params)
    chosen = sel.choose(replace(f, entities=("A",)), joined)
    assert chosen.table == "article_entities" and chosen.source_sql == rows and "term_0" in chosen.params
    # a prefix's words may list an article twice: looked up, never joined (a join would count it twice)
    assert sel.choose(f, WORDS).source_sql == "articles a" and "search_postings" in sel.choose(f, WORDS).where.sql


def test_a_few_days_entity_rows_write_a_joined_search_first_to_be_planned_as_written():
    """The rising entities' few weeks of article_entities rows are hashed and the search's articles probe them."""
    f, joined = Filters(q="oil", topics=(1,)), replace(WORDS, distinct=True)
    assert sel.few_days_first(f, joined)
    rows, where = sel.entity_rows(f, joined, few_days=True)
    assert rows == "(SELECT article_key FROM search_postings WHERE term = $term_0) hit JOIN article_entities x ON hit.article_key = x.article_key"
    assert where == sel.entity_rows(f, joined)[1] and names(Clause(rows + " " + where.sql)) == set(where.params)
    # looked up (a prefix), with duplicates, or no search: nothing joined, nothing written first, rows as without few_days
    for g, found in ((f, WORDS), (replace(f, duplicates=True), joined), (Filters(topics=(1,)), Found())):
        assert not sel.few_days_first(g, found)
        assert sel.entity_rows(g, found, few_days=True) == sel.entity_rows(g, found)


def test_few_articles_probe_a_one_word_search_and_look_up_any_other():
    f = Filters(q="oil", source="Wire")
    probed = sel.on_few_articles(f, WORDS)
    assert probed == sel.both(sel.on_articles(replace(f, q=None), WORDS), sel.probed("a.key", WORDS))
    assert probed.sql.endswith("EXISTS (SELECT 1 FROM (SELECT article_key FROM search_postings WHERE term = $term_0) hit WHERE hit.article_key = a.key)")
    spoken = Clause("a.key IN (SELECT article_key FROM quotes WHERE speaker_id = 3)")  # a speaker's articles: looked up before the probe
    assert sel.on_few_articles(f, WORDS, spoken) == sel.both(sel.on_articles(replace(f, q=None), WORDS), spoken, sel.probed("a.key", WORDS))
    several = replace(WORDS, word=None)  # two words or a prefix: an INTERSECT or a UNION, looked up (IN) as before
    assert sel.on_few_articles(f, several) == sel.on_articles(f, several) and "a.key IN (" in sel.on_articles(f, several).sql
    assert sel.on_few_articles(f, several, spoken) == sel.both(sel.on_articles(f, several), spoken)
    assert sel.on_few_articles(Filters(q="U.S."), Found()) == sel.on_articles(Filters(q="U.S."), Found())  # plain text


def test_the_lookup_says_whether_the_search_lists_each_article_once(con):
    con.execute("CREATE TABLE IF NOT EXISTS entities (id INTEGER, name VARCHAR)")
    assert sel.lookup(con, Filters(q="oil")).counted  # one word, counted in term_counts
    assert not any(sel.lookup(con, Filters(q=q)).counted for q in ("oil gold", "oi*", "crude"))  # two words, a prefix, a word not counted
    assert sel.one_word(Found()) is None
    assert sel.lookup(con, Filters(q="oil")).distinct  # a word's rows: one per article
    assert sel.lookup(con, Filters(q="oil gold")).distinct  # INTERSECT
    assert not sel.lookup(con, Filters(q="oi*")).distinct  # a prefix: any of its words
    assert sel.lookup(con, Filters(q="oi* gold")).distinct


def test_a_newest_first_window_is_taken_before_the_search_and_the_search_applied_after():
    f = Filters(q="oil", source="Wire")
    inside, after = sel.newest_first(f, WORDS, windowed=True)
    assert inside == sel.on_articles(Filters(source="Wire"), WORDS)
    assert after == Clause("EXISTS (SELECT 1 FROM (SELECT article_key FROM search_postings WHERE term = $term_0) hit WHERE hit.article_key = r.key)",
                           {"term_0": "oil"})  # one word: probed for each of the window's articles
    assert sel.newest_first(f, WORDS, windowed=False) == (sel.on_articles(f, WORDS), sel.TRUE)
    plain = Filters(q="U.S.")  # the text search needs the articles' text: applied inside
    assert sel.newest_first(plain, Found(), windowed=True) == (sel.on_articles(plain, Found()), sel.TRUE)


@pytest.mark.parametrize("f", [Filters(q="oil", start=date(2020, 1, 1), source="Wire", topics=(1,)), Filters(q="oil")])
def test_a_counted_words_search_is_counted_from_its_rows_of_term_counts(f):
    counted = replace(WORDS, counted=True)
    chosen = sel.choose(f, counted)
    assert (chosen.table, chosen.source_sql, chosen.topics_sql, chosen.count) == ("term_counts", "term_counts d", "term_counts d", "sum(d.articles)")
    assert chosen.where == sel.both(sel.on_rollup(f, "d"), Clause("d.term = $term_0", {"term_0": "oil"}))
    for other in (Filters(entities=("A",)), Filters(langs=("en",)), Filters(stories=(1,)), Filters(duplicates=True)):
        assert sel.choose(replace(f, **{k: v for k, v in vars(other).items() if v}), counted).table != "term_counts"


@pytest.mark.parametrize(("q", "search", "expected"), [
    ("oil", "SELECT article_key FROM search_postings WHERE term = $term_0", "ad"),  # one word: probed
    ("oil gold", "SELECT article_key FROM search_postings WHERE term = $term_0 INTERSECT "
                 "SELECT article_key FROM search_postings WHERE term = $term_1", ""),  # several: looked up
])
def test_a_windows_rows_keep_the_articles_with_the_search(con, q, search, expected):
    words = dict(zip(("term_0", "term_1"), q.split(), strict=False))
    _, after = sel.newest_first(Filters(q=q, duplicates=True), Found(search=Clause(search, words), distinct=True,
                                                                     word=None if " " in q else q), windowed=True)
    assert ("EXISTS" in after.sql) == (" " not in q)
    assert "".join(r[0] for r in con.execute(f"SELECT id FROM articles r WHERE {after.sql} ORDER BY id", after.params).fetchall()) == expected


@pytest.mark.parametrize("f", [Filters(q="oil gold", start=date(2020, 1, 1), source="Wire", topics=(1,)), Filters(q="oil gold")])
def test_a_searchs_kept_rows_count_it_when_only_daily_filters_are_beside_it(f):
    kept = Found(search=Clause("SELECT article_key FROM search_1"), distinct=True, rows="rows_1")
    chosen = sel.choose(f, kept)
    assert (chosen.table, chosen.source_sql, chosen.topics_sql, chosen.count) == ("search_rows", "rows_1 d", "rows_1 d", "count(*)")
    assert (chosen.day, chosen.source, chosen.topic) == ("d.day", "d.source", "d.topic_id")
    assert chosen.where == sel.on_rollup(f, "d") and sel.rows_answer(f, kept)
    for other in (Filters(entities=("A",)), Filters(langs=("en",)), Filters(stories=(1,)), Filters(duplicates=True)):
        narrowed = replace(f, **{k: v for k, v in vars(other).items() if v})
        assert not sel.rows_answer(narrowed, replace(kept, entity_ids=(7,))) and sel.choose(narrowed, replace(kept, entity_ids=(7,))).table != "search_rows"
    assert sel.choose(f, replace(kept, rows=None)).table == "articles"  # none kept (a file): the articles count it


def test_an_entitys_kept_keys_stand_for_its_rows_of_article_entities():
    """On a lake each chosen entity's article keys are a view (selection.kept_entities): looked up in it, and the
    first entity's joined to the rows of the entities of its articles; an unknown entity's (no view) as before."""
    kept = Found(entity_ids=(7, 9, None), entity_keys=("entity_7", "entity_9", None))
    assert sel.mentions_entity("a.key", kept, 1) == Clause("a.key IN (SELECT article_key FROM entity_9)")
    assert sel.mentions_entity("a.key", kept, 2) == sel.mentions_entity("a.key", Found(entity_ids=(7, 9, None)), 2)
    f = Filters(entities=("A", "B", "C"), source="Wire")
    rows, where = sel.entity_rows(f, kept)
    assert rows == "article_entities x JOIN entity_7 own ON own.article_key = x.article_key"
    assert where == sel.both(sel.on_rollup(f, "x"), sel.article_sets(f, kept, "x", skip_first=True))
    assert sel.entity_rows(f, replace(kept, entity_keys=()))[0] == "article_entities x"
    assert sel.entity_rows(replace(f, duplicates=True), kept)[0] == "article_entities x JOIN articles a ON a.key = x.article_key"
