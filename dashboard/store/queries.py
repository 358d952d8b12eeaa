"""Every query the dashboard runs: parameterised SQL in, DataFrames out.

All filtering goes through `Filters` and selection.py, which turns them into conditions with
named parameters and picks the cheapest table that answers: each page applies the same
selection the same way, and no value from a URL is ever pasted into SQL.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date, timedelta
from typing import Any, TypeVar

import duckdb
import numpy as np
import pandas as pd

from dashboard.store import curation, db
from dashboard.store import selection as sel
from dashboard.store.selection import Clause, Filters, both
from dashboard.words import fold, parse

T = TypeVar("T")
TOPIC_LABEL = "coalesce(t.custom_label, t.label)"
QUOTE_WINDOW = 1000  # newest articles searched first for the latest quotes
LIST_WINDOW = 2000  # newest articles of the other filters a search's first page is looked for in


def _df(con: duckdb.DuckDBPyConnection, sql: str, params: dict[str, Any] | list[Any] | None = None) -> pd.DataFrame:
    """A DataFrame whose missing text values are None (never NaN, which prints as 'nan')."""
    frame = con.execute(sql, params or []).df()
    for column in frame.columns:
        if frame[column].dtype == object or str(frame[column].dtype).startswith("str"):
            frame[column] = frame[column].astype(object).where(frame[column].notna(), None)
    return frame


@contextmanager
def _small_sets_first(con: duckdb.DuckDBPyConnection, f: Filters, small: bool = False) -> Iterator[None]:
    """Plan the query with each join's build side as written when the filters choose entities or stories.

    Their articles (`x.article_key IN (SELECT ... WHERE entity_id = $entity_0)`) are few, but
    DuckDB cannot tell (25,000 of an entity's rows estimated as hundreds of thousands), and
    its build-side optimizer then hashes the million articles instead: at a million articles,
    the Articles page of `Canada` took 6.5 s, its latest quotes 6.2 s and its count 2.0 s;
    planned as written, 3.0, 0.9 and 0.5 s (two cores under a load of 12). A search's articles
    are many, and the optimizer's choice is the right one for them: left alone. The setting is
    the DuckDB instance's (it cannot be set per connection): a query planned at that moment in
    another thread may be planned either way, which changes its speed, never its answer.
    Not for the stories' queries: planned as written, the Overview's peaks of `Canada` took
    463 ms instead of 4 ms, and its stories 650 ms instead of 26 (a million articles, integer
    keys, a load of 9). `small`: the query has a small set of its own (a speaker's quotes), planned so whatever the filters.
    """
    if not small and (not (f.entities or f.stories) or f.q):
        yield
        return
    con.execute("SET disabled_optimizers = 'build_side_probe_side'")
    try:
        yield
    finally:
        con.execute("RESET disabled_optimizers")

def one_snapshot(fn: Callable[..., T], small: tuple[str, ...] = ()) -> Callable[..., T]:
    """Run the query `fn(con, ...)` in one read-only transaction of its own on a lake (db.one_snapshot): every
    statement it sends (the filters' lookups, the page's SQL, a second look) then reads the same snapshot.

    In autocommit each statement begins a transaction, which asks the catalog for the latest snapshot
    again; a query's lookups (the snapshot id its kept tables are named for, whether entities were
    curated, a speaker's ids) add such statements to its SQL. In one transaction a page sends the
    catalog 19-79 queries instead of 29-83 (the Overview and Topics of a search 51-61 instead of
    67-78; a million articles, benchmarks/dashboard.py), and a lookup's snapshot is the one the query reads.
    `small`: the small tables the query reads, read from copies kept for the snapshot (selection.small_tables),
    in a read transaction of the query's own (a writer's reads its own rows).

    Applied after a query's definition (`headline = one_snapshot(headline)`), not as a decorator: mutmut
    does not mutate a decorated function, and these are the queries whose tests `make mutants` judges.
    """
    @functools.wraps(fn)
    def run(con: duckdb.DuckDBPyConnection, *args: Any, **kwargs: Any) -> T:
        own = not db.in_transaction(con)
        with db.one_snapshot(con), sel.small_tables(con, small if own else ()):
            return fn(con, *args, **kwargs)
    return run


def _articles_where(con: duckdb.DuckDBPyConnection, f: Filters, alias: str = "a") -> Clause:
    """The filters as conditions on `articles` (as `alias`)."""
    return sel.on_articles(f, sel.lookup(con, f), alias)


def _entity_rows(con: duckdb.DuckDBPyConnection, f: Filters, one_entity: bool = False) -> tuple[str, Clause]:
    """FROM and WHERE for the article_entities rows `x` of the selection's articles (`one_entity`: of one entity only)."""
    return sel.entity_rows(f, sel.lookup(con, f), one_entity)


def headline(con: duckdb.DuckDBPyConnection, f: Filters) -> dict[str, Any]:
    """Articles, sources and topics in the selection, and its first and last day."""
    s = sel.choose(f, sel.lookup(con, f, counting=True))
    if s.table == "articles":
        # The articles counted, then their topics by an inner join on the keys, as `volume` joins them (an
        # article may have none). For `said` at a million articles, 180 + 130 ms, where a join that keeps
        # the articles without a topic (hashing the selection's keys, which a perfect hash cannot) took 660
        # and a lookup of its keys (IN) 460 (a load of 6).
        sql = f"""WITH counted AS (SELECT count(*) AS articles, count(DISTINCT a.source) AS sources, min(a.published)::DATE AS first,
                                          max(a.published)::DATE AS last FROM {s.source_sql} WHERE {s.where.sql}),
                  topics AS (SELECT count(DISTINCT {s.topic}) AS topics FROM {s.topics_sql} WHERE {s.where.sql})
                  SELECT articles, sources, first, last, topics FROM counted, topics"""
    else:
        sql = f"""SELECT coalesce({s.count}, 0), count(DISTINCT {s.source}), min({s.day}), max({s.day}), count(DISTINCT {s.topic})
                  FROM {s.topics_sql} WHERE {s.where.sql}"""
    row = con.execute(sql, s.params).fetchone()
    return {"articles": int(row[0]), "sources": row[1], "first": row[2], "last": row[3], "topics": row[4]}

headline = one_snapshot(headline)


def topics(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every topic with its label, terms, size (originals only), first and last day, and the day it was born.

    `born` is set for topics that appeared between fits, when their story broke; `first_day`
    and `last_day` span the topic's dated articles.
    """
    return _df(con, f"""
        WITH sizes AS (SELECT topic_id, sum(articles) AS size, min(day) AS first_day, max(day) AS last_day
                       FROM daily_counts GROUP BY topic_id)
        SELECT t.id, {TOPIC_LABEL} AS label, t.label AS auto_label, t.terms, t.is_other, coalesce(s.size, 0)::BIGINT AS size,
               s.first_day, s.last_day, t.born
        FROM topics t LEFT JOIN sizes s ON s.topic_id = t.id
        ORDER BY t.is_other, size DESC, t.id""")


def lineage(con: duckdb.DuckDBPyConnection, topic_id: int) -> pd.DataFrame:
    """A topic's life story: what it was born from, split into or merged into, and what merged or split into it.

    One row per event: day (the event's day, else when it was recorded), event, and the other
    topic's id and label as they are now (or as they were, for a topic merged away).
    """
    return _df(con, f"""
        SELECT coalesce(ev.day, ev.recorded_at::DATE) AS day,
               CASE WHEN ev.topic_id = ? THEN ev.event ELSE ev.event || ' from' END AS event,
               CASE WHEN ev.topic_id = ? THEN ev.other_id ELSE ev.topic_id END AS other_id,
               CASE WHEN ev.topic_id = ? THEN coalesce({TOPIC_LABEL}, '') ELSE ev.label END AS other_label
        FROM topic_events ev LEFT JOIN topics t ON t.id = ev.other_id
        WHERE ev.topic_id = ? OR ev.other_id = ?
        ORDER BY ev.recorded_at, ev.event, other_id""", [topic_id] * 5)


def stories(con: duckdb.DuckDBPyConnection, f: Filters, limit: int = 10, min_size: int = 1, since: date | None = None) -> pd.DataFrame:
    """The biggest stories with articles in the selection (id, headline, headline_id, topic_id, first_day, last_day, size,
    sources), optionally only those that began on or after `since`. Sizes are the whole story's."""
    where = both(_articles_where(con, f), Clause("TRUE", {"min_size": min_size, "since": since, "limit": limit}))
    return _df(con, """
            WITH chosen AS (SELECT DISTINCT s.story_id FROM article_stories s JOIN articles a ON a.id = s.article_id WHERE """ + where.sql + """)
            SELECT st.id, h.title AS headline, st.headline_article AS headline_id, st.topic_id, st.first_day, st.last_day, st.size,
                   st.sources
            FROM stories st JOIN chosen c ON c.story_id = st.id LEFT JOIN articles h ON h.id = st.headline_article
            WHERE st.size >= $min_size AND ($since::DATE IS NULL OR st.first_day >= $since::DATE)
            ORDER BY st.size DESC, st.last_day DESC, st.id LIMIT $limit""", where.params)

stories = one_snapshot(stories)


def stories_in_windows(con: duckdb.DuckDBPyConnection, f: Filters, kind: str, windows: list[tuple[Any, date, date]],
                       per: int = 1) -> pd.DataFrame:
    """The biggest `per` stories of each (topic id or entity name, first day, last day) window, in one query.

    A window's stories are those with an article of that topic (kind "topic") or mentioning that
    entity (kind "entity") published in those days, within the selection; columns are those of
    `stories` plus `key`, the window's topic id or entity name. One query for the Overview's
    peaks and bursts instead of one per window: each costs a scan of the selection's articles.
    """
    if not windows or kind not in ("topic", "entity"):
        return pd.DataFrame(columns=["key", "id", "headline", "headline_id", "topic_id", "first_day", "last_day", "size", "sources"])
    if kind == "topic":
        tagged = "SELECT article_key, topic_id AS key FROM article_topics WHERE topic_id IN (SELECT unnest($keys::INTEGER[]))"
        key_type, keys = "INTEGER", [int(w[0]) for w in windows]
    else:
        tagged = ("SELECT x.article_key, e.name AS key FROM article_entities x JOIN entities e ON e.id = x.entity_id "
                  "WHERE e.name IN (SELECT unnest($keys::VARCHAR[]))")
        key_type, keys = "VARCHAR", [str(w[0]) for w in windows]
    own = Clause("TRUE", {"keys": keys, "firsts": [w[1] for w in windows], "lasts": [w[2] for w in windows], "per": per})
    # The sidebar's dates give way to the windows'; their overall span (a bound every hit meets) lets
    # DuckDB skip the blocks of articles outside it.
    span = replace(f, start=min(w[1] for w in windows), end=max(w[2] for w in windows))
    where = both(sel.on_few_articles(span, sel.lookup(con, span)), own)
    found = _df(con, f"""
            WITH w AS (SELECT unnest($keys::{key_type}[]) AS key, unnest($firsts::DATE[]) AS first, unnest($lasts::DATE[]) AS last),
            tagged AS ({tagged}),
            hits AS (SELECT DISTINCT w.key, s.story_id
                     FROM articles a JOIN tagged t ON t.article_key = a.key JOIN w ON w.key = t.key
                     JOIN article_stories s ON s.article_id = a.id
                     WHERE {where.sql} AND a.published >= w.first AND a.published < w.last + INTERVAL 1 DAY),
            ranked AS (SELECT h.key, st.id, st.headline_article, st.topic_id, st.first_day, st.last_day, st.size, st.sources,
                              row_number() OVER (PARTITION BY h.key ORDER BY st.size DESC, st.last_day DESC, st.id) AS rank
                       FROM hits h JOIN stories st ON st.id = h.story_id)
            SELECT r.key, r.id, r.headline_article AS headline_id, r.topic_id, r.first_day, r.last_day, r.size, r.sources
            FROM ranked r WHERE r.rank <= $per ORDER BY r.key, r.rank""", where.params)
    titles = _titles(con, list(found["headline_id"]), (found["first_day"].min(), found["last_day"].max()))
    found.insert(2, "headline", pd.Series([titles.get(i) for i in found["headline_id"]], index=found.index, dtype=object))
    return found

stories_in_windows = one_snapshot(stories_in_windows, small=("entities",))


def _titles(con: duckdb.DuckDBPyConnection, ids: list[str], days: tuple[Any, Any] | None = None) -> dict[str, str | None]:
    """The titles of these articles (a few), by id; `days`, the first and last day of their stories, where
    they usually are.

    Looked up apart, by their ids as constants: joined to the stories found, the lake read every
    article's title (its Parquet has no index on the id) and the Overview's peaks of `oil prices`
    took 188 ms of CPU, the titles apart 65 (a million articles; on a file, the id's index answers).
    On a lake, looked up first within their stories' days (see `_within_days`).
    """
    if db.lake_of(con) is None or days is None or not ids:
        return dict(con.execute("SELECT id, title FROM articles WHERE id IN (SELECT unnest($ids::VARCHAR[]))", {"ids": ids}).fetchall())
    return _within_days(con, "SELECT id, title FROM articles WHERE id IN (SELECT unnest($ids::VARCHAR[]))", ids, days)


def _within_days(con: duckdb.DuckDBPyConnection, sql: str, ids: list[str], days: tuple[Any, Any]) -> dict[str, Any]:
    """`sql` (rows of articles whose first column is the id, for `$ids`) run first on the articles published
    within `days` (first, last: either may be None, an unknown day), then on all articles for the ids not found.

    A lake's articles are stored newest first, so the days' bounds let DuckDB skip every other row
    group, where the ids alone (hashes, in every row group) cannot: the headlines of the Overview's
    peaks of `said` and of an entity's Topics page took 21-29 ms of CPU each, within their days 16-18
    (a million articles, a load of 6; every headline was within its stories' days). A story's headline
    is one of its articles, nearly always dated within its days; any other is then looked for among all."""
    first, last = (None if pd.isna(d) else pd.Timestamp(d).date() for d in days)
    found: dict[str, Any] = {}
    if first is not None and last is not None:
        within = f"{sql} AND published >= $first AND published < $after"
        found = {r[0]: r[1] for r in con.execute(within, {"ids": ids, "first": first, "after": last + timedelta(days=1)}).fetchall()}
    missing = [i for i in dict.fromkeys(ids) if i not in found]
    if missing:
        found.update({r[0]: r[1] for r in con.execute(sql, {"ids": missing}).fetchall()})
    return found


def story(con: duckdb.DuckDBPyConnection, story_id: int) -> dict[str, Any] | None:
    """One story: headline, topic, first and last day, size and sources."""
    row = con.execute(f"""
        SELECT st.id, h.title, st.headline_article, st.topic_id, {TOPIC_LABEL}, st.first_day, st.last_day, st.size, st.sources
        FROM stories st LEFT JOIN articles h ON h.id = st.headline_article LEFT JOIN topics t ON t.id = st.topic_id
        WHERE st.id = ?""", [story_id]).fetchone()
    names = ("id", "headline", "headline_id", "topic_id", "topic", "first_day", "last_day", "size", "sources")
    return dict(zip(names, row, strict=True)) if row else None


def sources(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Sources of original articles, the biggest first."""
    return [r[0] for r in con.execute("SELECT source FROM daily_counts GROUP BY source ORDER BY sum(articles) DESC, source").fetchall()]


def languages(con: duckdb.DuckDBPyConnection) -> list[str]:
    """ISO 639-1 codes of the original articles' languages, the most used first."""
    return [r[0] for r in con.execute("SELECT lang FROM articles WHERE duplicate_of IS NULL AND lang IS NOT NULL "
                                      "GROUP BY lang ORDER BY count(*) DESC, lang").fetchall()]


def date_span(con: duckdb.DuckDBPyConnection) -> tuple[date | None, date | None]:
    """The first and last day of the original articles."""
    first, last = con.execute("SELECT min(day), max(day) FROM daily_counts").fetchone()
    return first, last


def volume(con: duckdb.DuckDBPyConnection, f: Filters, grain: str = "week") -> pd.DataFrame:
    """Articles per topic per day, week or month: period, topic_id, label, articles."""
    s = sel.choose(f, sel.lookup(con, f, counting=True))
    return _df(con, f"""
        SELECT date_trunc('{_unit(grain)}', {s.day})::TIMESTAMP AS period, t.id AS topic_id, {TOPIC_LABEL} AS label,
               {s.count}::BIGINT AS articles
        FROM {s.topics_sql} JOIN topics t ON t.id = {s.topic}
        WHERE {s.where.sql} AND {s.day} IS NOT NULL GROUP BY ALL ORDER BY period, topic_id""", s.params)

volume = one_snapshot(volume, small=("topics",))


GRAINS = ("day", "week", "month")


def _unit(grain: str) -> str:
    """The date_trunc unit of a grain (a constant, never text from a link); weeks unless told."""
    return grain if grain in GRAINS else "week"


def period_counts(con: duckdb.DuckDBPyConnection, f: Filters, grain: str = "week") -> pd.DataFrame:
    """Articles of the selection per day, week or month (period, articles): a comparison's series, a share's denominator."""
    s = sel.choose(f, sel.lookup(con, f, counting=True))
    return _df(con, f"""
        SELECT date_trunc('{_unit(grain)}', {s.day})::TIMESTAMP AS period, {s.count}::BIGINT AS articles
        FROM {s.source_sql} WHERE {s.where.sql} AND {s.day} IS NOT NULL GROUP BY ALL ORDER BY period""", s.params)

period_counts = one_snapshot(period_counts)


def entity_volume(con: duckdb.DuckDBPyConnection, f: Filters, grain: str, start: date, recent_start: date, end: date,
                  min_recent: int = 1, limit: int = 40) -> pd.DataFrame:
    """Articles per entity per period from `start` to `end` (period, entity_id, label, articles), for the
    `limit` entities in most articles from `recent_start` on (at least `min_recent`): the candidates for rising."""
    unit = _unit(grain)
    found = sel.lookup(con, f)
    rows, where = sel.entity_rows(f, found, few_days=True)
    own = Clause("TRUE", {"span_start": start, "span_end": end, "recent_start": recent_start, "min_recent": min_recent, "limit": limit})
    where = both(where, own)
    with _small_sets_first(con, f, sel.few_days_first(f, found)):
        return _df(con, f"""
            WITH span AS (SELECT x.entity_id, date_trunc('{unit}', x.day)::TIMESTAMP AS period FROM {rows}
                          WHERE {where.sql} AND x.day >= $span_start AND x.day <= $span_end),
            lately AS (SELECT entity_id FROM span WHERE period >= $recent_start GROUP BY entity_id HAVING count(*) >= $min_recent
                       ORDER BY count(*) DESC, entity_id LIMIT $limit)
            SELECT s.period, e.id AS entity_id, e.name AS label, count(*) AS articles
            FROM span s JOIN lately l ON l.entity_id = s.entity_id JOIN entities e ON e.id = s.entity_id
            GROUP BY ALL ORDER BY s.period, e.id""", where.params)

entity_volume = one_snapshot(entity_volume, small=("entities",))


def top_entities(con: duckdb.DuckDBPyConnection, f: Filters, limit: int = 15, kind: str | None = None) -> pd.DataFrame:
    """The entities in most articles of the selection."""
    rows, where = _entity_rows(con, f)
    of_kind = Clause("e.type = $kind", {"kind": kind}) if kind else sel.TRUE
    own = both(of_kind, Clause("TRUE", {"limit": limit}))
    return _df(con, f"""
        WITH counts AS (
            SELECT x.entity_id, count(*) AS articles, sum(x.mentions) AS mentions
            FROM {rows} WHERE {where.sql} GROUP BY x.entity_id)
        SELECT e.name, e.type, c.articles, c.mentions::BIGINT AS mentions FROM counts c JOIN entities e ON e.id = c.entity_id
        WHERE {own.sql} ORDER BY c.articles DESC, c.mentions DESC, e.name LIMIT $limit""", both(where, own).params)

top_entities = one_snapshot(top_entities, small=("entities",))


def quotes(con: duckdb.DuckDBPyConnection, f: Filters, speakers: tuple[str, ...] = (), text: str | None = None,
           limit: int = 200, attributed_only: bool = False) -> pd.DataFrame:
    """Quotes in the selection, newest first; optionally by speaker, containing text, or only those
    with a known speaker (the Overview's latest quotes: a row saying "Unknown speaker" tells a reader nothing).
    A speaker an admin hid (a wrong entity) is not named: the quote stays, its speaker unknown."""
    extra = [Clause(f"q.speaker_id IS NOT NULL AND q.speaker_id NOT IN ({curation.hidden_sql(con)})")] if attributed_only else []
    if speakers:  # their ids, constants: a filter on the quotes as they are read, before any join (the entity page
        # of `Canada` within `said`: 0.9 s when the names were looked up in a join after the articles' join)
        ids = [r[0] for r in con.execute("SELECT id FROM entities WHERE name IN (SELECT unnest($speakers::VARCHAR[]))",
                                         {"speakers": list(speakers)}).fetchall()]
        extra.append(Clause("list_contains($speaker_ids::INTEGER[], q.speaker_id)", {"speaker_ids": ids}))
    if text:
        extra.append(Clause("contains(lower(q.text), lower($text))", {"text": text}))
    if speakers or text:
        return _quotes(con, f, both(*extra), limit, window=None, first=spoken_by(ids) if speakers else None)
    # The latest quotes are in the latest articles: look among the newest few thousand first
    # (joining every quote to its article costs far more), widening until enough are found.
    window, total = max(10 * limit, QUOTE_WINDOW), None
    if f.q and not sel.sparse(sel.lookup(con, f), window, limit):  # a common word's quotes are among the newest articles
        # of the other filters (one look; a rare word's are not)
        found = _quotes(con, f, both(*extra), limit, window, search_after=True)
        if len(found) >= limit:
            return found
    while True:
        found = _quotes(con, f, both(*extra), limit, window)
        if len(found) >= limit:
            return found
        total = count_articles(con, f) if total is None else total
        if window >= total:
            return found
        window *= 8

quotes = one_snapshot(quotes, small=("entities", "entity_curation"))


def spoken_by(ids: list[int]) -> Clause:
    """The articles `a` with a quote by one of these speakers (entity ids).

    A few speakers' quotes are few, a selection's articles many: looked up first (and planned as
    written, see _small_sets_first), they spare hashing the selection. The Entities page's quotes of
    one speaker within `said` (740,000 articles) took 536 ms, then 120 (a million articles, a load of 4).
    """
    return Clause("a.key IN (SELECT article_key FROM quotes WHERE list_contains($speaker_ids::INTEGER[], speaker_id))", {"speaker_ids": ids})


def _quotes(con: duckdb.DuckDBPyConnection, f: Filters, extra: Clause, limit: int, window: int | None,
            search_after: bool = False, first: Clause | None = None) -> pd.DataFrame:
    """The newest `limit` quotes (meeting `extra`) of the newest `window` articles of the selection (all if None),
    or with `search_after`, of the search's articles among the newest `window` of the other filters
    (see selection.newest_first); `first`, a condition on the articles `a` that holds for every quote
    meeting `extra`, looked up before the selection."""
    found = sel.lookup(con, f)
    articles, where, search = _newest_first(f, found, search_after)
    newest = "" if window is None else f"ORDER BY a.published DESC NULLS LAST, a.id LIMIT {int(window)}"
    if first is not None and window is None and sel.one_word(found):  # a speaker's few articles: the search probed for each
        articles, where = "articles a", sel.on_few_articles(f, found, first)
    elif first is not None:
        where = both(where, first)
    # Pick the page of quotes first, then fetch names for just those rows.
    with _small_sets_first(con, f, first is not None):
        return _df(con, f"""
            WITH recent AS (SELECT a.id, a.key, a.title, a.source, a.published FROM {articles} WHERE {where.sql} {newest}),
            page AS (
                SELECT q.article_id, q.text, q.speaker_id, q.start_char, r.title, r.source, r.published
                FROM quotes q JOIN recent r ON r.key = q.article_key
                WHERE {both(extra, search).sql}
                ORDER BY r.published DESC NULLS LAST, q.article_id, q.start_char LIMIT $limit)
            SELECT p.article_id, p.text, e.name AS speaker, e.type AS speaker_type, p.title, p.source, p.published
            FROM page p LEFT JOIN entities e ON e.id = p.speaker_id AND e.id NOT IN ({curation.hidden_sql(con)})
            ORDER BY p.published DESC NULLS LAST, p.article_id, p.start_char""", both(where, extra, search, Clause("TRUE", {"limit": limit})).params)


def speakers(con: duckdb.DuckDBPyConnection, f: Filters, limit: int = 500) -> list[str]:
    articles, where = sel.articles_from(f, sel.lookup(con, f))
    with _small_sets_first(con, f):
        return [r[0] for r in con.execute(f"""
            SELECT e.name FROM {articles} JOIN quotes q ON q.article_key = a.key JOIN entities e ON e.id = q.speaker_id
            WHERE {where.sql} AND e.id NOT IN ({curation.hidden_sql(con)})
            GROUP BY e.name ORDER BY count(*) DESC, e.name LIMIT $limit""", {**where.params, "limit": limit}).fetchall()]

speakers = one_snapshot(speakers, small=("entities", "entity_curation"))


def articles(con: duckdb.DuckDBPyConnection, f: Filters, limit: int = 100, offset: int = 0) -> pd.DataFrame:
    """Articles in the selection, newest first.

    With a search, the page is first looked for among the newest LIST_WINDOW articles of the
    other filters (see selection.newest_first), and among all of them when those do not fill it.
    """
    found, window = sel.lookup(con, f), max(LIST_WINDOW, 10 * (limit + offset))
    if f.q and found.search is not None and not sel.sparse(found, window, limit + offset):
        page = _articles(con, f, found, limit, offset, window)
        if len(page) >= limit:
            return page
    return _articles(con, f, found, limit, offset, None)

articles = one_snapshot(articles, small=("topics",))


def _newest_first(f: Filters, found: sel.Found, windowed: bool) -> tuple[str, Clause, Clause]:
    """FROM and WHERE of the articles `a` of a newest-first window, and the condition on its rows `r` after it
    (selection.newest_first); unwindowed, the search is joined to the articles when it can be."""
    if windowed:
        return ("articles a", *sel.newest_first(f, found, True))
    return (*sel.articles_from(f, found), sel.TRUE)


def _articles(con: duckdb.DuckDBPyConnection, f: Filters, found: sel.Found, limit: int, offset: int, window: int | None) -> pd.DataFrame:
    articles, where, search = _newest_first(f, found, window is not None)
    newest = "" if window is None else f"ORDER BY a.published DESC NULLS LAST, a.id LIMIT {int(window)}"
    own = Clause("TRUE", {"limit": limit, "offset": offset})
    with _small_sets_first(con, f):
        return _df(con, f"""
            WITH recent AS (SELECT a.id, a.key, a.published, a.source, a.kicker, a.title, a.duplicate_of FROM {articles} WHERE {where.sql} {newest}),
            page AS (SELECT * FROM recent r WHERE {search.sql} ORDER BY r.published DESC NULLS LAST, r.id LIMIT $limit OFFSET $offset)
            SELECT p.id, p.published, p.source, p.kicker, p.title, {TOPIC_LABEL} AS topic, p.duplicate_of
            FROM article_topics x RIGHT JOIN page p ON x.article_key = p.key LEFT JOIN topics t ON t.id = x.topic_id
            ORDER BY p.published DESC NULLS LAST, p.id""", both(where, search, own).params)  # the page's few rows hashed,
    # their topics found by key: by id, a lake's article_topics gave the million ids to decode (66 ms of operator time)


def count_articles(con: duckdb.DuckDBPyConnection, f: Filters) -> int:
    articles, where = sel.articles_from(f, sel.lookup(con, f))
    with _small_sets_first(con, f):
        return con.execute(f"SELECT count(*) FROM {articles} WHERE {where.sql}", where.params).fetchone()[0]

count_articles = one_snapshot(count_articles)


def article(con: duckdb.DuckDBPyConnection, article_id: str) -> dict[str, Any] | None:
    row = con.execute(f"""
        SELECT a.id, a.title, a.body, a.kicker, a.source, a.url, a.published, a.published_approx, a.truncated,
               a.photo_credit, a.labels, a.duplicate_of, {TOPIC_LABEL} AS topic, t.id AS topic_id
        FROM articles a LEFT JOIN article_topics x ON x.article_id = a.id LEFT JOIN topics t ON t.id = x.topic_id
        WHERE a.id = ?""", [article_id]).fetchone()
    if row is None:
        return None
    names = ("id", "title", "body", "kicker", "source", "url", "published", "published_approx", "truncated",
             "photo_credit", "labels", "duplicate_of", "topic", "topic_id")
    return dict(zip(names, row, strict=True))


def article_marks(con: duckdb.DuckDBPyConnection, article_id: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Entity mentions and quotes of an article, with offsets, for highlighting."""
    mentions = _df(con, """SELECT m.start_char, m.end_char, e.name, e.type FROM mentions m JOIN entities e ON e.id = m.entity_id
                           WHERE m.article_id = ? ORDER BY m.start_char""", [article_id])
    quoted = _df(con, """SELECT q.start_char, q.end_char, q.text, e.name AS speaker FROM quotes q LEFT JOIN entities e ON e.id = q.speaker_id
                         WHERE q.article_id = ? ORDER BY q.start_char""", [article_id])
    return mentions, quoted


def entity_choices(con: duckdb.DuckDBPyConnection, limit: int = 3000) -> pd.DataFrame:
    """The most mentioned entities with their aliases, for the type-ahead picker.

    Names found in more than one article come first: a run of capitalised headline words read
    as a name (`Bush Forgoes`) is almost always a one-off, and must not push real names down.
    """
    return _df(con, """
        WITH counts AS (SELECT entity_id, sum(mentions) AS mentions, count(*) AS articles FROM article_entities GROUP BY entity_id)
        SELECT e.name, e.type, e.aliases, c.mentions::BIGINT AS mentions
        FROM counts c JOIN entities e ON e.id = c.entity_id ORDER BY c.articles > 1 DESC, c.mentions DESC, e.name LIMIT ?""", [limit])


def entities_named(con: duckdb.DuckDBPyConnection, names: list[str]) -> pd.DataFrame:
    return _df(con, "SELECT name, type, aliases FROM entities WHERE name IN (SELECT unnest(?::VARCHAR[]))", [names])


def find_entities(con: duckdb.DuckDBPyConnection, text: str, limit: int = 20) -> pd.DataFrame:
    """Entities whose name or any alias contains `text` (case-insensitive)."""
    pattern = "%" + text.replace("%", "\\%").replace("_", "\\_") + "%"
    return _df(con, """
        SELECT e.name, e.type, e.aliases, count(m.entity_id) AS mentions FROM entities e LEFT JOIN mentions m ON m.entity_id = e.id
        WHERE e.name ILIKE ? OR len(list_filter(e.aliases, x -> x ILIKE ?)) > 0
        GROUP BY ALL ORDER BY mentions DESC, e.name LIMIT ?""", [pattern, pattern, limit])


def entity_summary(con: duckdb.DuckDBPyConnection, name: str) -> dict[str, Any] | None:
    """Type, aliases, articles, mentions and first and last dates seen, of one entity."""
    row = con.execute("""
        SELECT e.type, e.aliases, count(x.article_id), coalesce(sum(x.mentions), 0)::BIGINT, min(a.published), max(a.published)
        FROM entities e LEFT JOIN article_entities x ON x.entity_id = e.id LEFT JOIN articles a ON a.id = x.article_id
        WHERE e.name = ? GROUP BY ALL""", [name]).fetchone()
    if row is None:
        return None
    return dict(zip(("type", "aliases", "articles", "mentions", "first", "last"), row, strict=True))


def entity_timeline(con: duckdb.DuckDBPyConnection, name: str, f: Filters, grain: str = "week") -> pd.DataFrame:
    unit = _unit(grain)
    rows, where = _entity_rows(con, f, one_entity=True)
    return _df(con, f"""
        SELECT date_trunc('{unit}', x.day)::TIMESTAMP AS period, sum(x.mentions)::BIGINT AS mentions, count(*) AS articles
        FROM {rows} JOIN entities e ON e.id = x.entity_id
        WHERE {where.sql} AND e.name = $name AND x.day IS NOT NULL GROUP BY ALL ORDER BY period""", {**where.params, "name": name})

entity_timeline = one_snapshot(entity_timeline, small=("entities",))


def entity_topics(con: duckdb.DuckDBPyConnection, name: str, f: Filters) -> pd.DataFrame:
    rows, where = _entity_rows(con, f, one_entity=True)
    return _df(con, f"""
        SELECT t.id AS topic_id, {TOPIC_LABEL} AS topic, count(*) AS articles
        FROM {rows} JOIN entities e ON e.id = x.entity_id JOIN topics t ON t.id = x.topic_id
        WHERE {where.sql} AND e.name = $name GROUP BY ALL ORDER BY articles DESC, topic_id""", {**where.params, "name": name})

entity_topics = one_snapshot(entity_topics, small=("entities", "topics"))


def _mentioning(con: duckdb.DuckDBPyConnection, name: str, f: Filters) -> Clause:
    """SQL for the keys of the selection's articles that mention `$name`, with its parameters."""
    rows, where = _entity_rows(con, f, one_entity=True)
    return Clause(f"SELECT x.article_key FROM {rows} JOIN entities e ON e.id = x.entity_id WHERE {where.sql} AND e.name = $name",
                  {**where.params, "name": name})


def cooccurring(con: duckdb.DuckDBPyConnection, name: str, f: Filters, limit: int = 25) -> pd.DataFrame:
    """Entities that appear in the same articles as `name`, with how many articles they share."""
    own = _mentioning(con, name, f)
    return _df(con, f"""
        WITH own AS ({own.sql})
        SELECT e.name, e.type, count(*) AS shared
        FROM article_entities x JOIN own ON own.article_key = x.article_key JOIN entities e ON e.id = x.entity_id
        WHERE e.name <> $name GROUP BY ALL ORDER BY shared DESC, e.name LIMIT $limit""", {**own.params, "limit": limit})

cooccurring = one_snapshot(cooccurring, small=("entities",))


def pair_counts(con: duckdb.DuckDBPyConnection, name: str, names: list[str], f: Filters) -> pd.DataFrame:
    """Articles shared by each pair among `names`, within the selection's articles that mention `name`."""
    own = _mentioning(con, name, f)
    return _df(con, f"""
        WITH own AS ({own.sql}),
        m AS (SELECT x.article_key, e.name FROM article_entities x JOIN entities e ON e.id = x.entity_id
              WHERE e.name IN (SELECT unnest($names::VARCHAR[])) AND x.article_key IN (SELECT article_key FROM own))
        SELECT x.name AS source, y.name AS target, count(*) AS shared
        FROM m x JOIN m y ON x.article_key = y.article_key AND x.name < y.name GROUP BY ALL""", {**own.params, "names": names})

pair_counts = one_snapshot(pair_counts, small=("entities",))


def article_exists(con: duckdb.DuckDBPyConnection, article_id: str) -> bool:
    return con.execute("SELECT count(*) FROM articles WHERE id = ?", [article_id]).fetchone()[0] > 0


def last_ingest(con: duckdb.DuckDBPyConnection, limit: int = 20) -> pd.DataFrame:
    return _df(con, "SELECT finished, origin, read, new, duplicates, rejected, message FROM ingest_runs ORDER BY finished DESC LIMIT ?", [limit])


# Finding things -----------------------------------------------------------------------------------
LOOKUP_POOL = 20_000  # entities (most mentioned first) a misspelt name is matched against
LOOKUP_MIN_SCORE = 70.0  # rapidfuzz WRatio (0-100) below which a name is no match


def entity_lookup(con: duckdb.DuckDBPyConnection, text: str, limit: int = 8) -> pd.DataFrame:
    """Entities whose name or an alias is like `text`, in any case, with or without accents, despite typos.

    Scored by rapidfuzz's WRatio over accent-folded names (`sadam` scores 83 against `saddam
    hussein`), then ranked by score weighed with how often the entity is mentioned, so the
    well-known name of two close ones comes first. Only the LOOKUP_POOL most mentioned
    entities are candidates: on a million articles that is a 20,000-row read, not a scan.
    """
    return rank_entities(entity_choices(con, LOOKUP_POOL), text, limit)


def rank_entities(pool: pd.DataFrame, text: str, limit: int = 8) -> pd.DataFrame:
    """The entities of `pool` (entity_choices' rows) like `text`, best first (see entity_lookup)."""
    from rapidfuzz import fuzz, process, utils

    wanted = fold(text.strip())
    if not wanted:
        return pd.DataFrame(columns=["name", "type", "aliases", "mentions", "score"])
    keys: list[str] = []
    owners: list[int] = []
    shortest = max(2, len(wanted) - 2)  # a name shorter than the text typed ("SA" for "sadam") is no match for it
    for index, row in enumerate(pool.itertuples()):
        for form in dict.fromkeys([row.name, *list(row.aliases)]):
            if len(form) >= shortest:
                keys.append(fold(form))
                owners.append(index)
    best: dict[int, float] = {}
    for _, score, position in process.extract(wanted, keys, scorer=fuzz.WRatio, processor=utils.default_process,
                                              limit=limit * 5, score_cutoff=LOOKUP_MIN_SCORE):
        owner = owners[position]
        best[owner] = max(best.get(owner, 0.0), float(score))
    found = pool.iloc[list(best)].copy()
    found["score"] = list(best.values())
    found["rank"] = found["score"] + 5 * np.log10(found["mentions"].clip(lower=1))
    return found.sort_values(["rank", "mentions", "name"], ascending=[False, False, True]).head(limit).drop(columns="rank") \
        .reset_index(drop=True)


SUGGEST_MIN_SCORE = 75.0


def suggest_search(con: duckdb.DuckDBPyConnection, query: str, limit: int = 3) -> list[str]:
    """For a search that finds nothing: the same search with each word that no article has replaced by the
    closest indexed words (`bagdad` -> `baghdad`), those that find something, best first.

    Candidates share the word's first two letters (a range read of the sorted index), are
    compared with rapidfuzz's ratio and weighed by how many articles have them.
    """
    from rapidfuzz import fuzz, process

    words, prefixes = parse(query)
    if not words:
        return []
    options: dict[str, list[str]] = {}
    for word in words:
        if con.execute("SELECT EXISTS (SELECT 1 FROM search_postings WHERE term = ?)", [word]).fetchone()[0]:
            continue
        head = word[:2]
        counts = dict(con.execute("SELECT term, count(*) FROM search_postings WHERE term >= ? AND term < ? GROUP BY term",
                                  [head, head + "\U0010ffff"]).fetchall())
        scored = process.extract(word, list(counts), scorer=fuzz.ratio, limit=10, score_cutoff=SUGGEST_MIN_SCORE)
        ranked = sorted(scored, key=lambda m: (-(m[1] + 5 * np.log10(counts[m[0]])), m[0]))
        options[word] = [term for term, _, _ in ranked[:limit]]
    if not options or not all(options.values()):
        return []
    suggestions = []
    for choice in range(limit):
        replaced = [options[w][min(choice, len(options[w]) - 1)] if w in options else w for w in words]
        text = " ".join([*replaced, *(p + "*" for p in prefixes)])
        if text not in suggestions and count_articles(con, Filters(q=text)) > 0:
            suggestions.append(text)
    return suggestions
