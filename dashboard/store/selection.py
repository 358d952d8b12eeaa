"""One place that turns the sidebar's filters into SQL: which table answers, and its conditions.

Each filter contributes a condition and its `$name` parameters (as datasette builds its
WHERE), and a query adds its own (`$limit`, ...) and runs the SQL with their union as a dict:
no value from a link is ever pasted into SQL, and every parameter is named after the filter
it came from. `lookup` is the only part that reads the database (the ids of the chosen
entities, the search's words as indexed); everything else is a pure function of the filters
and what `lookup` found, tested as such (tests/test_selection.py).

Three tables can count a selection's articles per day, source and topic, cheapest first:
`daily_counts` (a few rows per day: when the filters name only days, a source and topics),
`article_entities` (when an entity is chosen: its rows carry their article's day, source and
topic and sit together, the table being stored in entity order) and `articles` itself.

They join on `articles.key`, an integer given to each article when it is stored, which the
search index, article_topics and article_entities carry as `article_key`; the public id
(`articles.id`, a hash: what links and exports show) is joined on only by the few rows of a
page or a story. On a million articles, a search for `said` (740,000 of them) costs a join of
its postings to the articles, their topics and their entities: on the string ids its Overview took
2,273 ms of CPU, on the keys (and with the search joined, see `joined`) 624 ms; with an entity
chosen, 789 and 222 ms (benchmarks/dashboard.py, back to back; migrations/0004_article_keys.sql).
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

import duckdb
import pyarrow as pa

from dashboard.store import db, engine, search


@dataclass(frozen=True)
class Filters:
    """The global selection: what the sidebar (and the URL) says."""

    topics: tuple[int, ...] = ()
    entities: tuple[str, ...] = ()
    start: date | None = None
    end: date | None = None  # inclusive
    source: str | None = None
    q: str | None = None
    duplicates: bool = False
    stories: tuple[int, ...] = ()
    langs: tuple[str, ...] = ()  # ISO 639-1 codes: articles in any of these languages


@dataclass(frozen=True)
class Clause:
    """An SQL condition (or query) and the values of the `$name` parameters it uses: exactly those
    (DuckDB refuses a parameter the SQL does not use)."""

    sql: str
    params: dict[str, Any] = field(default_factory=dict)


TRUE = Clause("TRUE")


def both(*clauses: Clause) -> Clause:
    """The clauses joined by AND, their parameters merged: a name used twice must mean the same value."""
    params: dict[str, Any] = {}
    for clause in clauses:
        for name, value in clause.params.items():
            if name in params and params[name] != value:
                raise ValueError(f"parameter ${name} given two values: {params[name]!r} and {value!r}")
            params[name] = value
    parts = [c.sql for c in clauses if c.sql != TRUE.sql]
    return Clause(" AND ".join(parts) if parts else TRUE.sql, params)


@dataclass(frozen=True)
class Found:
    """What the filters name, as stored: each chosen entity's id (None: no such entity, which
    selects nothing), and the search as an index lookup (None: no search, or none the index can
    answer, e.g. `U.S.`, which is then looked for as plain text)."""

    entity_ids: tuple[int | None, ...] = ()
    search: Clause | None = None
    distinct: bool = False  # the search lists each article once: it can be joined (see `joined`)
    counted: bool = False  # the search is one word whose articles term_counts counts (see `choose`)
    word: str | None = None  # the search's term when it looks up a single word (no prefix, no second word)
    share: float | None = None  # on a lake, the share of all articles the search finds (see `sparse`)
    rows: str | None = None  # on a lake, a view of the search's original articles' day, source and topic (see `kept_rows`)
    entity_keys: tuple[str | None, ...] = ()  # on a lake, a view of each chosen entity's article keys (see `kept_entities`)


def lookup(con: duckdb.DuckDBPyConnection, f: Filters, counting: bool = False) -> Found:
    """The ids of the chosen entities and the search's index lookup (one small query each); on a
    lake, the search's articles themselves (see `kept`), unless the caller only counts the
    selection (`counting`, see `choose`) and term_counts counts it. A lake's are kept for its
    snapshot: each of those small queries costs 4 catalog queries and 10-20 ms of CPU, four to
    seven times a page."""
    lake = db.lake_of(con)
    if lake is None or not (f.entities or f.q):  # nothing to look up: no snapshot to ask the catalog for
        return _look_up(con, f, ranges=lake is not None)
    version = (lake.address, engine.snapshot(con))
    found = _remembered(_looked_up, LOOKUPS, (*version, f.entities, f.q), lambda: _look_up(con, f, ranges=True))
    if f.entities:
        found = kept_entities(con, found, version)
    if found.search is None or (counting and terms_answer(f, found)):
        return found
    found = kept(con, found, version)
    return kept_rows(con, found, version) if counting and rows_answer(f, found) else found


def _look_up(con: duckdb.DuckDBPyConnection, f: Filters, ranges: bool) -> Found:
    ids = tuple(_entity_id(con, name) for name in f.entities)
    indexed = search.lookup(con, f.q, ranges=ranges) if f.q else None
    if not indexed:
        return Found(ids)
    word = indexed[1]["term_0"] if indexed[0] == search.one_term("$term_0") else None
    return Found(ids, Clause(indexed[0], indexed[1]), indexed[2], word is not None and _counted(con, word), word)


def kept(con: duckdb.DuckDBPyConnection, found: Found, version: tuple[str, int]) -> Found:
    """The search's articles, each listed once, kept in this process for the lake's snapshot
    (`version`: the lake's address and snapshot id), and the search read from them (a view of the
    connection's own: never written to the lake).

    DuckDB knows the size of what it is given; of a lake's index it knows only the whole table's
    (150 million rows: a word's rows estimated at 15 million). With that guess it hashed the 4.6
    million article-entity rows to join 25,000 articles with `oil prices` (0.5-1.3 s of CPU), and
    joined the million articles to their topics before the search (0.2 s); from a table of the
    articles found, 77 and 78 ms. Written again for each query of a page, the articles of `said`
    (740,000) cost 55-100 ms a time, four to seven times a page; kept until the next commit to the
    lake, they cost a view.
    """
    assert found.search is not None
    params = tuple(sorted(found.search.params.items()))
    once = "" if found.distinct else "DISTINCT "  # a prefix's words may list an article twice
    keys = _remembered(_kept, KEPT_SEARCHES, (*version, found.search.sql, params), lambda: con.execute(
        f"SELECT {once}article_key FROM ({found.search.sql})", found.search.params).to_arrow_table())
    total = _remembered(_looked_up, LOOKUPS, (*version, "articles"), lambda: con.execute("SELECT count(*) FROM articles").fetchone()[0])
    name = "search_" + hashlib.blake2b(repr((found.search.sql, params)).encode(), digest_size=8).hexdigest()
    con.register(name, keys)
    return replace(found, search=Clause(f"SELECT article_key FROM {name}"), distinct=True, share=keys.num_rows / max(total, 1))


def kept_rows(con: duckdb.DuckDBPyConnection, found: Found, version: tuple[str, int]) -> Found:
    """The search's original articles as rows of their key, day, source and topic (NULL: none), kept
    in this process for the lake's snapshot like their keys (`kept`), and given to the query as a view.

    A search of several words or a prefix has no counts of its own (term_counts holds single
    words): counting its articles by day, source and topic joined them to the million articles
    and their topics in Parquet, once for the headline and once for each chart. Read once (that
    join: 195 ms of CPU for `oil prices`, 25,000 articles, 0.7 MB; 244 ms for `export*`, 77,000),
    the Overview's counts then cost 13 ms instead of 129 and its volume 24 instead of 134 (`export*`:
    19 and 50 instead of 159 and 167; a million articles, a load of 8).
    """
    assert found.search is not None
    name = "rows_" + hashlib.blake2b(found.search.sql.encode(), digest_size=8).hexdigest()
    table = _remembered(_kept, KEPT_SEARCHES, (*version, "rows", found.search.sql), lambda: con.execute(
        f"""SELECT a.key AS article_key, a.published::DATE AS day, a.source, x.topic_id
            FROM articles a JOIN ({found.search.sql}) hit ON hit.article_key = a.key LEFT JOIN article_topics x ON x.article_key = a.key
            WHERE a.duplicate_of IS NULL""", found.search.params).to_arrow_table())
    con.register(name, table)
    return replace(found, rows=name)


def kept_entities(con: duckdb.DuckDBPyConnection, found: Found, version: tuple[str, int]) -> Found:
    """Each chosen entity's article keys, kept in this process for the lake's snapshot like a search's
    (`kept`), and given to the query as a view (`entity_<id>`); an unknown entity has none.

    Looked up in article_entities by every query, an entity's articles cost that table's catalog
    queries again and DuckDB a guess at their number: the Overview's peak stories of `Canada`
    (25,000 articles of a million) took 295 ms of CPU, from the view 140; its latest quotes 137
    and 119; its top entities, the entity's rows joined to their articles' other rows (see
    `entity_rows`), 141 and 102 (a load of 6-8).
    """
    names: list[str | None] = []
    for entity_id in found.entity_ids:
        if entity_id is None:
            names.append(None)
            continue
        keys = _remembered(_kept, KEPT_SEARCHES, (*version, "entity", entity_id), lambda entity_id=entity_id: con.execute(
            "SELECT DISTINCT article_key FROM article_entities WHERE entity_id = $entity", {"entity": entity_id}).to_arrow_table())
        view = f"entity_{entity_id}"
        con.register(view, keys)
        names.append(view)
    return replace(found, entity_keys=tuple(names))


def rows_answer(f: Filters, found: Found) -> bool:
    """Whether a kept view of the search's articles (`kept_rows`) can count the selection: a search
    the index answers, with only the filters daily_counts answers besides."""
    return bool(f.q) and found.search is not None and found.distinct and rollup_answers(replace(f, q=None))


SPARSE_MARGIN = 2  # the newest window must be expected to hold this many times the page to be looked in first


def sparse(found: Found, window: int, wanted: int) -> bool:
    """Whether the newest `window` articles are not expected to hold `wanted` of the search's, twice over
    (known on a lake only): a page's first look among the newest (newest_first) is then skipped. The Topics
    page of `oil prices` (25,000 articles of a million) looked there first for its quotes and its
    articles, found too few, and read them all after: 180 ms of CPU for nothing. Expected to hold just
    the page (its 50 articles among the newest 2,000: a 2.5 % share), the window held fewer: the list
    of `oil prices` was read twice, 98 + 94 ms of CPU. A search that few articles have costs about the same
    read whole, so the window is looked in first only when it is expected to hold the page twice."""
    return found.share is not None and found.share * window < SPARSE_MARGIN * wanted


KEPT_SEARCHES = 8  # tables kept, the most recently used: a search's keys (6 MB for a word in 740,000 articles), a search's
# rows (kept_rows: 28 bytes an article, 0.7 MB for `oil prices`), an entity's keys (8 bytes an article)
LOOKUPS = 64  # filters whose lookups are kept (a few bytes each)
_kept: dict[tuple, pa.Table] = {}
_looked_up: dict[tuple, Found] = {}
_kept_lock = threading.Lock()


SMALL_TABLES = 8  # copies of small tables kept (see `small_tables`): entities, 1.1 MB for 30,000 of them
_small: dict[tuple, pa.Table] = {}


@contextmanager
def small_tables(con: duckdb.DuckDBPyConnection, names: tuple[str, ...]) -> Iterator[None]:
    """Within a lake's read transaction, the small tables `names` (entities, topics, entity_curation) read from
    copies kept in this process for the lake's snapshot, given to the connection under their own names (a view
    of the connection's own hides the lake's table of that name), and the lake's tables again after.

    Each read of a lake table costs its catalog queries (its files, schema version, inlined rows) and the
    opening of its Parquet file: looking up one entity's name took 6.8 ms of CPU, from the copy 1.3; one topic's
    label 7.5 and 1.2. The pages' queries read entities one to three times each (names, the hidden ones), up to
    eleven times a page. The copy is exactly the snapshot's rows: every transaction on that snapshot reads them."""
    lake = db.lake_of(con)
    if lake is None or not names:
        yield
        return
    version = (lake.address, engine.snapshot(con))
    given = []
    try:
        for name in names:
            table = _remembered(_small, SMALL_TABLES, (*version, name),
                                lambda name=name: con.execute(f'SELECT * FROM {engine.CATALOG}.main."{name}"').to_arrow_table())
            con.register(name, table)
            given.append(name)
        yield
    finally:
        for name in given:
            con.unregister(name)


def _remembered(kept: dict[tuple, Any], size: int, key: tuple, make: Callable[[], Any]) -> Any:
    """kept[key], made when missing; the `size` most recently used are kept."""
    with _kept_lock:
        value = kept.pop(key, None)
    if value is None:
        value = make()
    with _kept_lock:
        kept[key] = value  # the most recently used last
        while len(kept) > size:
            kept.pop(next(iter(kept)))
    return value


def one_word(found: Found) -> str | None:
    """The term of a search that looks up a single word (no prefix, no second word), else None."""
    return found.word


def _counted(con: duckdb.DuckDBPyConnection, term: str | None) -> bool:
    return bool(con.execute("SELECT EXISTS (SELECT 1 FROM counted_terms WHERE term = $term)", {"term": term}).fetchone()[0])


def _entity_id(con: duckdb.DuckDBPyConnection, name: str) -> int | None:
    row = con.execute("SELECT id FROM entities WHERE name = $name", {"name": name}).fetchone()
    return row[0] if row else None


# Conditions, one per filter ------------------------------------------------------------------------
# An entity is given by its id, a constant: DuckDB then reads only that entity's blocks of
# article_entities (stored in entity order); an unknown name's id is NULL and matches nothing.

def mentions_entity(column: str, found: Found, index: int) -> Clause:
    """`column` (an article key) mentions the filters' `index`-th entity."""
    view = found.entity_keys[index] if index < len(found.entity_keys) else None
    if view is not None:  # kept on a lake (see kept_entities)
        return Clause(f"{column} IN (SELECT article_key FROM {view})")
    name = f"entity_{index}"
    return Clause(f"{column} IN (SELECT article_key FROM article_entities WHERE entity_id = ${name})",
                  {name: found.entity_ids[index]})


def in_stories(column: str, stories: tuple[int, ...]) -> Clause:
    """`column` (an article id: a story's articles are few, and article_stories has no key) is in one of `stories`."""
    return Clause(f"{column} IN (SELECT article_id FROM article_stories WHERE story_id IN (SELECT unnest($stories::INTEGER[])))",
                  {"stories": list(stories)})


def in_topics(column: str, topics: tuple[int, ...]) -> Clause:
    return Clause(f"{column} IN (SELECT unnest($topics::INTEGER[]))", {"topics": list(topics)})


def searched(column: str, found: Found) -> Clause:
    """`column` (an article key) is among the search's articles, found in the index."""
    assert found.search is not None
    return Clause(f"{column} IN ({found.search.sql})", found.search.params)


def joined(f: Filters, found: Found) -> bool:
    """Whether the search's articles are joined to the rows (INNER JOIN) rather than looked up for each (IN).

    A hash join on integer keys whose build side lists each key once, from a base table's scan,
    is a perfect hash join in DuckDB; a semi join (IN) is not: counting the entities of the
    740,000 articles with `said` took 190 ms instead of 320 (their 4.5 million article-entity rows
    probed, the join itself 0.09 s of operator time instead of 0.42; a million articles, load 7).
    """
    return bool(f.q) and found.search is not None and found.distinct


def search_join(column: str, found: Found) -> str:
    """JOIN of the search's articles (their keys each listed once) to `column`, an article key."""
    assert found.search is not None
    return f"JOIN ({found.search.sql}) hit ON hit.article_key = {column}"


def plain_text(alias: str, q: str) -> Clause:
    """Articles `alias` holding `q` as plain text: a search with no word the index knows (`U.S.`, `%`)."""
    return Clause(f"contains(lower(coalesce({alias}.title, '') || ' ' || {alias}.body), lower($q))", {"q": q})


def on_articles(f: Filters, found: Found, alias: str = "a") -> Clause:
    """Conditions on the rows of `articles` (as `alias`) for every filter."""
    clauses = []
    if not f.duplicates:
        clauses.append(Clause(f"{alias}.duplicate_of IS NULL"))
    if f.start:
        clauses.append(Clause(f"{alias}.published >= $start", {"start": f.start}))
    if f.end:  # published is a timestamp: before the day after the end keeps the whole last day
        clauses.append(Clause(f"{alias}.published < $after", {"after": f.end + timedelta(days=1)}))
    if f.source:
        clauses.append(Clause(f"{alias}.source = $source", {"source": f.source}))
    if f.topics:
        topic = in_topics("topic_id", f.topics)
        clauses.append(Clause(f"{alias}.key IN (SELECT article_key FROM article_topics WHERE {topic.sql})", topic.params))
    clauses += [mentions_entity(f"{alias}.key", found, i) for i in range(len(f.entities))]  # every one (AND)
    if f.stories:
        clauses.append(in_stories(f"{alias}.id", f.stories))
    if f.langs:
        clauses.append(Clause(f"{alias}.lang IN (SELECT unnest($langs::VARCHAR[]))", {"langs": list(f.langs)}))
    if f.q:
        clauses.append(searched(f"{alias}.key", found) if found.search else plain_text(alias, f.q))
    return both(*clauses)


def in_langs(column: str, langs: tuple[str, ...]) -> Clause:
    """`column` (an article key) is an article in one of `langs` (for tables without the language)."""
    return Clause(f"{column} IN (SELECT key FROM articles WHERE lang IN (SELECT unnest($langs::VARCHAR[])))", {"langs": list(langs)})


def on_rollup(f: Filters, alias: str) -> Clause:
    """The day, source and topic filters as conditions on the day, source and topic_id columns of
    a derived table (`daily_counts`, `article_entities`) as `alias`."""
    clauses = []
    if f.start:
        clauses.append(Clause(f"{alias}.day >= $start", {"start": f.start}))
    if f.end:
        clauses.append(Clause(f"{alias}.day <= $end", {"end": f.end}))
    if f.source:
        clauses.append(Clause(f"{alias}.source = $source", {"source": f.source}))
    if f.topics:
        clauses.append(in_topics(f"{alias}.topic_id", f.topics))
    return both(*clauses)


def rollup_answers(f: Filters) -> bool:
    """Whether daily_counts can count the selection: it holds original articles by day, source and
    topic only, so filters on anything else need the articles (or their entities) themselves."""
    return not (f.entities or f.q or f.duplicates or f.stories or f.langs)


def terms_answer(f: Filters, found: Found) -> bool:
    """Whether term_counts can count the selection: a search for one counted word, with only the
    filters daily_counts answers besides."""
    return bool(f.q) and found.counted and rollup_answers(replace(f, q=None))


def article_sets(f: Filters, found: Found, alias: str, skip_first: bool = False) -> Clause | None:
    """The rows `alias` of a derived table (with article_id and article_key) are of an article of the chosen
    entities (all but the first with `skip_first`), stories, languages and search; None for a search the
    index cannot answer."""
    if f.q and found.search is None:
        return None
    key = f"{alias}.article_key"
    clauses = [mentions_entity(key, found, i) for i in range(1 if skip_first else 0, len(f.entities))]
    if f.stories:
        clauses.append(in_stories(f"{alias}.article_id", f.stories))
    if f.langs:
        clauses.append(in_langs(key, f.langs))
    if f.q:
        clauses.append(searched(key, found))
    return both(*clauses)


# The table that answers -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Selection:
    """The selection's articles as rows of one table: FROM, WHERE (with parameters), and the SQL of
    each article's day, source and topic and of the count of articles over a group of rows."""

    table: str  # daily_counts | article_entities | articles
    source_sql: str  # FROM
    topics_sql: str  # FROM, with each article's topic joined in where the table lacks it (an inner join: no topic, no row)
    where: Clause
    day: str
    source: str
    topic: str
    count: str

    @property
    def params(self) -> dict[str, Any]:
        return self.where.params


DAILY = dict(table="daily_counts", source_sql="daily_counts d", topics_sql="daily_counts d", day="d.day", source="d.source", topic="d.topic_id",
             count="sum(d.articles)")
FIRST_ENTITY = dict(table="article_entities", source_sql="article_entities x", topics_sql="article_entities x", day="x.day", source="x.source",
                    topic="x.topic_id", count="count(*)")
KEPT_ROWS = dict(table="search_rows", day="d.day", source="d.source", topic="d.topic_id", count="count(*)")  # one row an article
ARTICLES = dict(table="articles", source_sql="articles a", topics_sql="articles a JOIN article_topics tx ON tx.article_key = a.key",
                day="a.published::DATE", source="a.source", topic="tx.topic_id", count="count(*)")


def choose(f: Filters, found: Found) -> Selection:
    """The cheapest table that counts the selection's articles by day, source and topic.

    daily_counts when it can answer; term_counts for a common word's search (the same counts, per
    word: see daily.py); on a lake, for another search, its articles' rows kept (see `kept_rows`);
    else, with an entity chosen, that entity's rows of
    article_entities (one per article: the other filters narrow them); else the articles.
    The search's articles are joined to them when they can be (see `joined`).
    """
    if rollup_answers(f):
        return Selection(where=on_rollup(f, "d"), **DAILY)
    if terms_answer(f, found):
        word = Clause("d.term = $term_0", {"term_0": one_word(found)})
        return Selection(where=both(on_rollup(f, "d"), word), **{**DAILY, "table": "term_counts", "source_sql": "term_counts d",
                                                                "topics_sql": "term_counts d"})
    if found.rows is not None and rows_answer(f, found):
        return Selection(where=on_rollup(f, "d"), **{**KEPT_ROWS, "source_sql": f"{found.rows} d", "topics_sql": f"{found.rows} d"})
    first = first_entity_rows(f, found)
    if first is not None:
        chosen = Selection(where=first, **FIRST_ENTITY)
        if not joined(f, found):
            return chosen
        rows = f"article_entities x {search_join('x.article_key', found)}"
        return replace(chosen, source_sql=rows, topics_sql=rows)
    if not joined(f, found):
        return Selection(where=on_articles(f, found, "a"), **ARTICLES)
    articles = f"articles a {search_join('a.key', found)}"
    return Selection(where=both(on_articles(replace(f, q=None), found, "a"), Clause("TRUE", found.search.params)),  # type: ignore[union-attr]
                     **{**ARTICLES, "source_sql": articles, "topics_sql": f"{articles} JOIN article_topics tx ON tx.article_key = a.key"})


def articles_from(f: Filters, found: Found, alias: str = "a") -> tuple[str, Clause]:
    """FROM and WHERE for the selection's rows of `articles` (as `alias`), the search joined when it can be."""
    if not joined(f, found):
        return f"articles {alias}", on_articles(f, found, alias)
    where = both(on_articles(replace(f, q=None), found, alias), Clause("TRUE", found.search.params))  # type: ignore[union-attr]
    return f"articles {alias} {search_join(f'{alias}.key', found)}", where


def first_entity_rows(f: Filters, found: Found) -> Clause | None:
    """WHERE on article_entities `x` keeping one row per selected article: the first chosen entity's.

    Those rows carry the article's day, source and topic and sit together (the table is in
    entity order), so counting them is cheaper than finding the articles. None when the
    filters choose no entity or need the articles themselves.
    """
    if f.duplicates or not f.entities:
        return None
    if joined(f, found):  # the search is joined to the rows (see choose): its parameters only
        sets = article_sets(replace(f, q=None), found, "x", skip_first=True)
        assert sets is not None and found.search is not None
        sets = both(sets, Clause("TRUE", found.search.params))
    else:
        sets = article_sets(f, found, "x", skip_first=True)
    if sets is None:
        return None
    own = Clause("x.entity_id = $entity_0", {"entity_0": found.entity_ids[0]})
    return both(on_rollup(f, "x"), own, sets)


def entity_rows(f: Filters, found: Found, one_entity: bool = False, few_days: bool = False) -> tuple[str, Clause]:
    """FROM and WHERE for the article_entities rows `x` of the selection's articles.

    `one_entity`: the caller keeps only one entity's rows (an entity page's), few beside a search's articles
    kept on a lake: each of them then probes the search's (EXISTS) instead of the search's being hashed
    (a join builds on the side DuckDB expects smaller, which it cannot tell here). Within `said` (740,000
    articles), the entities beside one in 28,000 of them took 120 ms of CPU, probed 103; its timeline 51 and 43.
    `few_days`: the caller keeps only a few weeks' rows (see `few_days_first`): the search's articles are
    then written first, to be planned as written, so that those rows are hashed and the search's probe them."""
    if joined(f, found) and not f.duplicates:
        sets = article_sets(replace(f, q=None), found, "x")
        assert sets is not None and found.search is not None
        if one_entity and found.share is not None:
            probe = Clause(f"EXISTS (SELECT 1 FROM ({found.search.sql}) hit WHERE hit.article_key = x.article_key)", found.search.params)
            return "article_entities x", both(on_rollup(f, "x"), sets, probe)
        if few_days:
            return (f"({found.search.sql}) hit JOIN article_entities x ON hit.article_key = x.article_key",
                    both(on_rollup(f, "x"), sets, Clause("TRUE", found.search.params)))
        return (f"article_entities x {search_join('x.article_key', found)}",
                both(on_rollup(f, "x"), sets, Clause("TRUE", found.search.params)))
    sets = None if f.duplicates else article_sets(f, found, "x")
    if sets is None:
        return "article_entities x JOIN articles a ON a.key = x.article_key", on_articles(f, found, "a")
    if found.entity_keys and found.entity_keys[0] is not None:  # the first entity's kept keys joined, as a search's are (see `joined`)
        rest = article_sets(f, found, "x", skip_first=True)
        assert rest is not None
        return f"article_entities x JOIN {found.entity_keys[0]} own ON own.article_key = x.article_key", both(on_rollup(f, "x"), rest)
    return "article_entities x", both(on_rollup(f, "x"), sets)


def few_days_first(f: Filters, found: Found) -> bool:
    """Whether entity_rows(..., few_days=True) writes the search's articles first (a search joined, as in `entity_rows`),
    so that the query is to be planned as written: a few weeks' article_entities rows are hashed, not the search's
    articles. DuckDB expects those rows to be many (the days are no filter on a table stored in entity order) and
    hashes the search's instead: the Overview's rising entities within `said` (740,000 of a million articles,
    5,240 rows in the nine weeks) took 83 ms of CPU, planned as written 53 (load 2)."""
    return joined(f, found) and not f.duplicates


def newest_first(f: Filters, found: Found, windowed: bool) -> tuple[Clause, Clause]:
    """Conditions on the articles `a` of a newest-first window, and on its rows `r` after it.

    A search for a common word (`said`: 740,000 of a million articles) costs a hash join of
    every article id it finds; the newest 2,000 articles of the other filters, then the search
    among them, cost a top-N and a probe of the word's postings by those few ids (the first page
    of `said`: 3.8 s against 0.5 s on a million articles, two cores under a load of 11). Exact
    whenever the window holds the page: every article of the selection newer than the page's
    last is in it; the callers widen the window when it does not. The index's search only: a
    plain-text one needs the articles' text, which the window does not carry.
    """
    if windowed and f.q and found.search is not None:
        return on_articles(replace(f, q=None), found), probed("r.key", found) if one_word(found) else searched("r.key", found)
    return on_articles(f, found), TRUE


def on_few_articles(f: Filters, found: Found, first: Clause = TRUE) -> Clause:
    """Conditions on the rows of `articles a` for every filter, when other conditions (a few days; `first`, a
    speaker's articles, looked up before the search) leave few of them: a search of one word is then probed for
    each (`probed`), not its every article hashed (`searched`, or joined). The Overview's stories of three topics'
    peaks within `said` (987 articles in their days, 740,000 with the word) took 89 ms of CPU, probed 72; the
    Entities page's quotes of one speaker within it (384 articles) 150, then 137 (a million articles, load 3.6-4.4)."""
    if f.q and found.search is not None and one_word(found):
        return both(on_articles(replace(f, q=None), found), first, probed("a.key", found))
    return both(on_articles(f, found), first)


def probed(column: str, found: Found) -> Clause:
    """`column` (the key of one of a window's few articles) has the search's one word, looked up for each.

    DuckDB plans IN by hashing the word's every article (740,000 for `said`), EXISTS by hashing the
    window's keys and probing the word's rows: the Topics page's 500 latest quotes of `said` took 292-375
    ms, then 173-175, its first page of articles 279-344, then 101-151 (a million articles, a load of 9).
    Not for several words or a prefix: an INTERSECT or a UNION is not probed so (`export*`: 0.6 s, then 1.2).
    """
    assert found.search is not None
    return Clause(f"EXISTS (SELECT 1 FROM ({found.search.sql}) hit WHERE hit.article_key = {column})", found.search.params)
