"""Every query the dashboard runs: parameterised SQL in, DataFrames out.

All filtering goes through `Filters` and `_where`, so each page applies the same selection
the same way, and no value from a URL is ever pasted into SQL.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from dashboard.store import search
from dashboard.words import fold, parse

TOPIC_LABEL = "coalesce(t.custom_label, t.label)"
QUOTE_WINDOW = 1000  # newest articles searched first for the latest quotes


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



# An entity is given by its id, a constant: DuckDB then reads only that entity's blocks of
# article_entities (stored in entity order); an unknown name's id is NULL and matches nothing.
_MENTIONS_ENTITY = "{column} IN (SELECT article_id FROM article_entities WHERE entity_id = ?)"
_IN_STORIES = "{column} IN (SELECT article_id FROM article_stories WHERE story_id IN (SELECT unnest(?::INTEGER[])))"
_IN_LANGS = "{column} IN (SELECT id FROM articles WHERE lang IN (SELECT unnest(?::VARCHAR[])))"


def _entity_id(con: duckdb.DuckDBPyConnection, name: str) -> int | None:
    row = con.execute("SELECT id FROM entities WHERE name = ?", [name]).fetchone()
    return row[0] if row else None


def _where(con: duckdb.DuckDBPyConnection, f: Filters, alias: str = "a") -> tuple[str, list[Any]]:
    """SQL conditions on articles `alias` for the filters, with their parameters."""
    clauses, params = ["TRUE"], []
    if not f.duplicates:
        clauses.append(f"{alias}.duplicate_of IS NULL")
    if f.start:
        clauses.append(f"{alias}.published >= ?")
        params.append(f.start)
    if f.end:
        clauses.append(f"{alias}.published < ?")
        params.append(f.end + timedelta(days=1))
    if f.source:
        clauses.append(f"{alias}.source = ?")
        params.append(f.source)
    if f.topics:
        clauses.append(f"{alias}.id IN (SELECT article_id FROM article_topics WHERE topic_id IN (SELECT unnest(?::INTEGER[])))")
        params.append(list(f.topics))
    for name in f.entities:  # every chosen entity must appear (AND), as an analyst narrowing a story expects
        clauses.append(_MENTIONS_ENTITY.format(column=f"{alias}.id"))
        params.append(_entity_id(con, name))
    if f.stories:
        clauses.append(_IN_STORIES.format(column=f"{alias}.id"))
        params.append(list(f.stories))
    if f.langs:
        clauses.append(f"{alias}.lang IN (SELECT unnest(?::VARCHAR[]))")
        params.append(list(f.langs))
    if f.q:
        condition, more = search.condition(con, f.q, alias)
        clauses.append(condition)
        params.extend(more)
    return " AND ".join(clauses), params


def _df(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None) -> pd.DataFrame:
    """A DataFrame whose missing text values are None (never NaN, which prints as 'nan')."""
    frame = con.execute(sql, params or []).df()
    for column in frame.columns:
        if frame[column].dtype == object or str(frame[column].dtype).startswith("str"):
            frame[column] = frame[column].astype(object).where(frame[column].notna(), None)
    return frame


def _from_rollup(f: Filters) -> bool:
    """Whether the day, source and topic columns of a derived table can answer for these filters.

    daily_counts and article_entities carry each article's day, source and topic, and hold
    original articles only: filters on anything else need the articles themselves.
    """
    return not (f.entities or f.q or f.duplicates or f.stories or f.langs)


def _rollup_where(f: Filters, alias: str) -> tuple[str, list[Any]]:
    """The filters as conditions on the day, source and topic_id columns of `alias` (see _from_rollup)."""
    clauses, params = ["TRUE"], []
    for condition, value in (("day >= ?", f.start), ("day <= ?", f.end), ("source = ?", f.source)):
        if value:
            clauses.append(f"{alias}.{condition}")
            params.append(value)
    if f.topics:
        clauses.append(f"{alias}.topic_id IN (SELECT unnest(?::INTEGER[]))")
        params.append(list(f.topics))
    return " AND ".join(clauses), params


def _article_sets(con: duckdb.DuckDBPyConnection, f: Filters, skip_first: bool = False) -> tuple[list[str], list[Any]] | None:
    """Conditions `x.article_id IN (...)` for the chosen entities and the search; None for a search the index cannot answer."""
    clauses: list[str] = []
    params: list[Any] = []
    for name in f.entities[1:] if skip_first else f.entities:
        clauses.append(_MENTIONS_ENTITY.format(column="x.article_id"))
        params.append(_entity_id(con, name))
    if f.stories:
        clauses.append(_IN_STORIES.format(column="x.article_id"))
        params.append(list(f.stories))
    if f.langs:
        clauses.append(_IN_LANGS.format(column="x.article_id"))
        params.append(list(f.langs))
    if f.q:
        indexed = search.lookup(con, f.q)
        if indexed is None:
            return None
        clauses.append(f"x.article_id IN ({indexed[0]})")
        params += indexed[1]
    return clauses, params


def _entity_rows(con: duckdb.DuckDBPyConnection, f: Filters) -> tuple[str, str, list[Any]]:
    """FROM and WHERE (with parameters) for the article_entities rows `x` of the selection's articles."""
    sets = None if f.duplicates else _article_sets(con, f)
    if sets is None:
        return "article_entities x JOIN articles a ON a.id = x.article_id", *_where(con, f)
    where, params = _rollup_where(f, "x")
    return "article_entities x", " AND ".join([where, *sets[0]]), params + sets[1]


def _first_entity_rows(con: duckdb.DuckDBPyConnection, f: Filters) -> tuple[str, list[Any]] | None:
    """WHERE on article_entities `x` keeping one row per selected article: the first chosen entity's.

    Those rows carry the article's day, source and topic and sit together (the table is in
    entity order), so counting them is cheaper than finding the articles. None when the
    filters choose no entity or need the articles themselves.
    """
    sets = None if (f.duplicates or not f.entities) else _article_sets(con, f, skip_first=True)
    if sets is None:
        return None
    where, params = _rollup_where(f, "x")
    return " AND ".join([where, "x.entity_id = ?", *sets[0]]), [*params, _entity_id(con, f.entities[0]), *sets[1]]


def headline(con: duckdb.DuckDBPyConnection, f: Filters) -> dict[str, Any]:
    """Articles, sources and topics in the selection, and its first and last day."""
    if _from_rollup(f):
        where, params = _rollup_where(f, "d")
        sql = (f"SELECT coalesce(sum(d.articles), 0), count(DISTINCT d.source), min(d.day), max(d.day), count(DISTINCT d.topic_id) "
               f"FROM daily_counts d WHERE {where}")
    elif by_entity := _first_entity_rows(con, f):
        where, params = by_entity
        sql = (f"SELECT count(*), count(DISTINCT x.source), min(x.day), max(x.day), count(DISTINCT x.topic_id) "
               f"FROM article_entities x WHERE {where}")
    else:
        where, params = _where(con, f)
        sql = (f"WITH sel AS MATERIALIZED (SELECT a.id, a.source, a.published FROM articles a WHERE {where}) "
               f"SELECT count(*), count(DISTINCT source), min(published)::DATE, max(published)::DATE, "
               f"(SELECT count(DISTINCT topic_id) FROM article_topics x WHERE x.article_id IN (SELECT id FROM sel)) FROM sel")
    row = con.execute(sql, params).fetchone()
    return {"articles": int(row[0]), "sources": row[1], "first": row[2], "last": row[3], "topics": row[4]}


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
    where, params = _where(con, f)
    return _df(con, """
        WITH chosen AS (SELECT DISTINCT s.story_id FROM article_stories s JOIN articles a ON a.id = s.article_id WHERE """ + where + """)
        SELECT st.id, h.title AS headline, st.headline_article AS headline_id, st.topic_id, st.first_day, st.last_day, st.size,
               st.sources
        FROM stories st JOIN chosen c ON c.story_id = st.id LEFT JOIN articles h ON h.id = st.headline_article
        WHERE st.size >= ? AND (?::DATE IS NULL OR st.first_day >= ?::DATE)
        ORDER BY st.size DESC, st.last_day DESC, st.id LIMIT ?""", [*params, min_size, since, since, limit])


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
    where, params = _where(con, replace(f, start=None, end=None))
    keys = [w[0] for w in windows]
    if kind == "topic":
        tagged = "SELECT article_id, topic_id AS key FROM article_topics WHERE topic_id IN (SELECT unnest(?::INTEGER[]))"
        key_type, key_params = "INTEGER", [[int(k) for k in keys]]
    else:
        tagged = ("SELECT x.article_id, e.name AS key FROM article_entities x JOIN entities e ON e.id = x.entity_id "
                  "WHERE e.name IN (SELECT unnest(?::VARCHAR[]))")
        key_type, key_params = "VARCHAR", [[str(k) for k in keys]]
    return _df(con, f"""
        WITH w AS (SELECT unnest(?::{key_type}[]) AS key, unnest(?::DATE[]) AS first, unnest(?::DATE[]) AS last),
        tagged AS ({tagged}),
        hits AS (SELECT DISTINCT w.key, s.story_id
                 FROM articles a JOIN tagged t ON t.article_id = a.id JOIN w ON w.key = t.key
                 JOIN article_stories s ON s.article_id = a.id
                 WHERE {where} AND a.published >= w.first AND a.published < w.last + INTERVAL 1 DAY),
        ranked AS (SELECT h.key, st.id, st.headline_article, st.topic_id, st.first_day, st.last_day, st.size, st.sources,
                          row_number() OVER (PARTITION BY h.key ORDER BY st.size DESC, st.last_day DESC, st.id) AS rank
                   FROM hits h JOIN stories st ON st.id = h.story_id)
        SELECT r.key, r.id, ha.title AS headline, r.headline_article AS headline_id, r.topic_id, r.first_day, r.last_day, r.size, r.sources
        FROM ranked r LEFT JOIN articles ha ON ha.id = r.headline_article
        WHERE r.rank <= ? ORDER BY r.key, r.rank""",
        [keys if kind == "entity" else [int(k) for k in keys], [w[1] for w in windows], [w[2] for w in windows], *key_params, *params, per])


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
    unit = _unit(grain)
    if _from_rollup(f):
        where, params = _rollup_where(f, "d")
        return _df(con, f"""
            SELECT date_trunc('{unit}', d.day)::TIMESTAMP AS period, t.id AS topic_id, {TOPIC_LABEL} AS label, sum(d.articles)::BIGINT AS articles
            FROM daily_counts d JOIN topics t ON t.id = d.topic_id
            WHERE {where} AND d.day IS NOT NULL GROUP BY ALL ORDER BY period, topic_id""", params)
    by_entity = _first_entity_rows(con, f)
    if by_entity:
        where, params = by_entity
        return _df(con, f"""
            SELECT date_trunc('{unit}', x.day)::TIMESTAMP AS period, t.id AS topic_id, {TOPIC_LABEL} AS label, count(*) AS articles
            FROM article_entities x JOIN topics t ON t.id = x.topic_id
            WHERE {where} AND x.day IS NOT NULL GROUP BY ALL ORDER BY period, topic_id""", params)
    where, params = _where(con, f)
    return _df(con, f"""
        SELECT date_trunc('{unit}', a.published) AS period, t.id AS topic_id, {TOPIC_LABEL} AS label, count(*) AS articles
        FROM articles a JOIN article_topics x ON x.article_id = a.id JOIN topics t ON t.id = x.topic_id
        WHERE {where} AND a.published IS NOT NULL GROUP BY ALL ORDER BY period, topic_id""", params)


GRAINS = ("day", "week", "month")


def _unit(grain: str) -> str:
    """The date_trunc unit of a grain (a constant, never text from a link); weeks unless told."""
    return grain if grain in GRAINS else "week"


def period_counts(con: duckdb.DuckDBPyConnection, f: Filters, grain: str = "week") -> pd.DataFrame:
    """Articles of the selection per day, week or month (period, articles): a comparison's series, a share's denominator."""
    unit = _unit(grain)
    if _from_rollup(f):
        where, params = _rollup_where(f, "d")
        sql = (f"SELECT date_trunc('{unit}', d.day)::TIMESTAMP AS period, sum(d.articles)::BIGINT AS articles "
               f"FROM daily_counts d WHERE {where} AND d.day IS NOT NULL GROUP BY ALL ORDER BY period")
    elif by_entity := _first_entity_rows(con, f):
        where, params = by_entity
        sql = (f"SELECT date_trunc('{unit}', x.day)::TIMESTAMP AS period, count(*) AS articles "
               f"FROM article_entities x WHERE {where} AND x.day IS NOT NULL GROUP BY ALL ORDER BY period")
    else:
        where, params = _where(con, f)
        sql = (f"SELECT date_trunc('{unit}', a.published)::TIMESTAMP AS period, count(*) AS articles "
               f"FROM articles a WHERE {where} AND a.published IS NOT NULL GROUP BY ALL ORDER BY period")
    return _df(con, sql, params)


def entity_volume(con: duckdb.DuckDBPyConnection, f: Filters, grain: str, start: date, recent_start: date, end: date,
                  min_recent: int = 1, limit: int = 40) -> pd.DataFrame:
    """Articles per entity per period from `start` to `end` (period, entity_id, label, articles), for the
    `limit` entities in most articles from `recent_start` on (at least `min_recent`): the candidates for rising."""
    unit = _unit(grain)
    rows, where, params = _entity_rows(con, f)
    return _df(con, f"""
        WITH span AS (SELECT x.entity_id, date_trunc('{unit}', x.day)::TIMESTAMP AS period FROM {rows}
                      WHERE {where} AND x.day >= ? AND x.day <= ?),
        lately AS (SELECT entity_id FROM span WHERE period >= ? GROUP BY entity_id HAVING count(*) >= ?
                   ORDER BY count(*) DESC, entity_id LIMIT ?)
        SELECT s.period, e.id AS entity_id, e.name AS label, count(*) AS articles
        FROM span s JOIN lately l ON l.entity_id = s.entity_id JOIN entities e ON e.id = s.entity_id
        GROUP BY ALL ORDER BY s.period, e.id""", [*params, start, end, recent_start, min_recent, limit])


def top_entities(con: duckdb.DuckDBPyConnection, f: Filters, limit: int = 15, kind: str | None = None) -> pd.DataFrame:
    """The entities in most articles of the selection."""
    rows, where, params = _entity_rows(con, f)
    type_clause = "AND e.type = ?" if kind else ""
    return _df(con, f"""
        WITH counts AS (
            SELECT x.entity_id, count(*) AS articles, sum(x.mentions) AS mentions
            FROM {rows} WHERE {where} GROUP BY x.entity_id)
        SELECT e.name, e.type, c.articles, c.mentions::BIGINT AS mentions FROM counts c JOIN entities e ON e.id = c.entity_id
        WHERE TRUE {type_clause} ORDER BY c.articles DESC, c.mentions DESC, e.name LIMIT ?""", params + ([kind] if kind else []) + [limit])


def quotes(con: duckdb.DuckDBPyConnection, f: Filters, speakers: tuple[str, ...] = (), text: str | None = None,
           limit: int = 200, attributed_only: bool = False) -> pd.DataFrame:
    """Quotes in the selection, newest first; optionally by speaker, containing text, or only those
    with a known speaker (the Overview's latest quotes: a row saying "Unknown speaker" tells a reader nothing)."""
    extra, more = " AND q.speaker_id IS NOT NULL" if attributed_only else "", []
    if speakers:
        extra += " AND q.speaker_id IN (SELECT id FROM entities WHERE name IN (SELECT unnest(?::VARCHAR[])))"
        more.append(list(speakers))
    if text:
        extra += " AND contains(lower(q.text), lower(?))"
        more.append(text)
    if speakers or text:
        return _quotes(con, f, extra, more, limit, window=None)
    # The latest quotes are in the latest articles: look among the newest few thousand first
    # (joining every quote to its article costs far more), widening until enough are found.
    window, total = max(10 * limit, QUOTE_WINDOW), None
    while True:
        found = _quotes(con, f, extra, [], limit, window)
        if len(found) >= limit:
            return found
        total = count_articles(con, f) if total is None else total
        if window >= total:
            return found
        window *= 8


def _quotes(con: duckdb.DuckDBPyConnection, f: Filters, extra: str, more: list[Any], limit: int,
            window: int | None) -> pd.DataFrame:
    """The newest `limit` quotes (meeting `extra`) of the newest `window` articles of the selection (all if None)."""
    where, params = _where(con, f)
    newest = "" if window is None else f"ORDER BY a.published DESC NULLS LAST, a.id LIMIT {int(window)}"
    # Pick the page of quotes first, then fetch names for just those rows.
    return _df(con, f"""
        WITH recent AS (SELECT a.id, a.title, a.source, a.published FROM articles a WHERE {where} {newest}),
        page AS (
            SELECT q.article_id, q.text, q.speaker_id, q.start_char, r.title, r.source, r.published
            FROM quotes q JOIN recent r ON r.id = q.article_id
            WHERE TRUE {extra}
            ORDER BY r.published DESC NULLS LAST, q.article_id, q.start_char LIMIT ?)
        SELECT p.article_id, p.text, e.name AS speaker, e.type AS speaker_type, p.title, p.source, p.published
        FROM page p LEFT JOIN entities e ON e.id = p.speaker_id
        ORDER BY p.published DESC NULLS LAST, p.article_id, p.start_char""", [*params, *more, limit])


def speakers(con: duckdb.DuckDBPyConnection, f: Filters, limit: int = 500) -> list[str]:
    where, params = _where(con, f)
    return [r[0] for r in con.execute(f"""
        SELECT e.name FROM quotes q JOIN entities e ON e.id = q.speaker_id JOIN articles a ON a.id = q.article_id
        WHERE {where} GROUP BY e.name ORDER BY count(*) DESC, e.name LIMIT ?""", [*params, limit]).fetchall()]


def articles(con: duckdb.DuckDBPyConnection, f: Filters, limit: int = 100, offset: int = 0) -> pd.DataFrame:
    """Articles in the selection, newest first."""
    where, params = _where(con, f)
    return _df(con, f"""
        WITH page AS (
            SELECT a.id, a.published, a.source, a.kicker, a.title, a.duplicate_of FROM articles a
            WHERE {where} ORDER BY a.published DESC NULLS LAST, a.id LIMIT ? OFFSET ?)
        SELECT p.id, p.published, p.source, p.kicker, p.title, {TOPIC_LABEL} AS topic, p.duplicate_of
        FROM page p LEFT JOIN article_topics x ON x.article_id = p.id LEFT JOIN topics t ON t.id = x.topic_id
        ORDER BY p.published DESC NULLS LAST, p.id""", [*params, limit, offset])


def count_articles(con: duckdb.DuckDBPyConnection, f: Filters) -> int:
    where, params = _where(con, f)
    return con.execute(f"SELECT count(*) FROM articles a WHERE {where}", params).fetchone()[0]


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
    rows, where, params = _entity_rows(con, f)
    return _df(con, f"""
        SELECT date_trunc('{unit}', x.day)::TIMESTAMP AS period, sum(x.mentions)::BIGINT AS mentions, count(*) AS articles
        FROM {rows} JOIN entities e ON e.id = x.entity_id
        WHERE {where} AND e.name = ? AND x.day IS NOT NULL GROUP BY ALL ORDER BY period""", [*params, name])


def entity_topics(con: duckdb.DuckDBPyConnection, name: str, f: Filters) -> pd.DataFrame:
    rows, where, params = _entity_rows(con, f)
    return _df(con, f"""
        SELECT t.id AS topic_id, {TOPIC_LABEL} AS topic, count(*) AS articles
        FROM {rows} JOIN entities e ON e.id = x.entity_id JOIN topics t ON t.id = x.topic_id
        WHERE {where} AND e.name = ? GROUP BY ALL ORDER BY articles DESC, topic_id""", [*params, name])


def _mentioning(con: duckdb.DuckDBPyConnection, name: str, f: Filters) -> tuple[str, list[Any]]:
    """SQL for the ids of the selection's articles that mention `name`, with its parameters."""
    rows, where, params = _entity_rows(con, f)
    return f"SELECT x.article_id FROM {rows} JOIN entities e ON e.id = x.entity_id WHERE {where} AND e.name = ?", [*params, name]


def cooccurring(con: duckdb.DuckDBPyConnection, name: str, f: Filters, limit: int = 25) -> pd.DataFrame:
    """Entities that appear in the same articles as `name`, with how many articles they share."""
    own, params = _mentioning(con, name, f)
    return _df(con, f"""
        WITH own AS ({own})
        SELECT e.name, e.type, count(*) AS shared
        FROM article_entities x JOIN own ON own.article_id = x.article_id JOIN entities e ON e.id = x.entity_id
        WHERE e.name <> ? GROUP BY ALL ORDER BY shared DESC, e.name LIMIT ?""", [*params, name, limit])


def pair_counts(con: duckdb.DuckDBPyConnection, name: str, names: list[str], f: Filters) -> pd.DataFrame:
    """Articles shared by each pair among `names`, within the selection's articles that mention `name`."""
    own, params = _mentioning(con, name, f)
    return _df(con, f"""
        WITH own AS ({own}),
        m AS (SELECT x.article_id, e.name FROM article_entities x JOIN entities e ON e.id = x.entity_id
              WHERE e.name IN (SELECT unnest(?::VARCHAR[])) AND x.article_id IN (SELECT article_id FROM own))
        SELECT x.name AS source, y.name AS target, count(*) AS shared
        FROM m x JOIN m y ON x.article_id = y.article_id AND x.name < y.name GROUP BY ALL""", [*params, names])


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
    for index, row in enumerate(pool.itertuples()):
        for form in dict.fromkeys([row.name, *list(row.aliases)]):
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
