"""Reads and writes of stories and of topics' life stories (births, splits, merges).

Plain rows in, plain rows out: this module knows SQL, not scikit-learn. An article's day is
its publication date, or the day it was ingested when the source gives none.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

import duckdb
import pyarrow as pa

DAY = "coalesce(a.published, a.ingested_at)::DATE"


def _lookup(con: duckdb.DuckDBPyConnection, table: str, column: str, ids: Sequence[str]) -> dict[str, int]:
    """article id -> `column` of `table` for these articles (a separate lookup: joined to the articles
    instead, DuckDB reads every row of both tables, 2 s at a million articles against 20 ms)."""
    return dict(con.execute(f"SELECT article_id, {column} FROM {table} WHERE article_id IN (SELECT unnest(?::VARCHAR[]))",
                            [list(ids)]).fetchall())


def articles_by_id(con: duckdb.DuckDBPyConnection, ids: Sequence[str]) -> list[tuple[str, str | None, str, date, int | None]]:
    """(id, title, body, day, topic_id) of these original articles, in day and id order."""
    rows = con.execute(f"SELECT a.id, a.title, a.body, {DAY} FROM articles a WHERE a.id IN (SELECT unnest(?::VARCHAR[])) "
                       "AND a.duplicate_of IS NULL ORDER BY 4, 1", [list(ids)]).fetchall()
    topics = _lookup(con, "article_topics", "topic_id", [r[0] for r in rows])
    return [(*r, topics.get(r[0])) for r in rows]


def placed_between(con: duckdb.DuckDBPyConnection, first: date, last: date, exclude: Sequence[str]) -> list[tuple[str, str | None, str, date, int, int | None]]:
    """Original articles of those days already in a story: (id, title, body, day, story_id, topic_id)."""
    rows = con.execute(f"SELECT a.id, a.title, a.body, {DAY} FROM articles a WHERE {DAY} BETWEEN ? AND ? AND a.duplicate_of IS NULL "
                       "AND a.id NOT IN (SELECT unnest(?::VARCHAR[])) ORDER BY 4, 1", [first, last, list(exclude)]).fetchall()
    ids = [r[0] for r in rows]
    stories, topics = _lookup(con, "article_stories", "story_id", ids), _lookup(con, "article_topics", "topic_id", ids)
    return [(*r, stories[r[0]], topics.get(r[0])) for r in rows if r[0] in stories]


def next_story_id(con: duckdb.DuckDBPyConnection) -> int:
    return con.execute("SELECT coalesce(max(story_id), 0) + 1 FROM article_stories").fetchone()[0]


def next_topic_id(con: duckdb.DuckDBPyConnection) -> int:
    """Ids are never reused: a topic merged away keeps its id in the lineage."""
    return con.execute("SELECT greatest((SELECT coalesce(max(id), 0) FROM topics), "
                       "(SELECT coalesce(max(greatest(topic_id, coalesce(other_id, 0))), 0) FROM topic_events)) + 1").fetchone()[0]


def story_members(con: duckdb.DuckDBPyConnection, story_ids: Sequence[int]) -> list[tuple[str, int]]:
    """(article_id, story_id) of every original article in these stories."""
    return con.execute("SELECT s.article_id, s.story_id FROM article_stories s JOIN articles a ON a.id = s.article_id "
                       "WHERE s.story_id IN (SELECT unnest(?::INTEGER[])) AND a.duplicate_of IS NULL",
                       [list(story_ids)]).fetchall()


def set_stories(con: duckdb.DuckDBPyConnection, rows: Sequence[tuple[str, int]]) -> None:
    """(article_id, story_id) rows; near-duplicates then follow their original's story."""
    if not rows:
        return
    con.execute("DELETE FROM article_stories WHERE article_id IN (SELECT unnest(?::VARCHAR[]))", [[r[0] for r in rows]])
    data = pa.table({"article_id": [r[0] for r in rows], "story_id": pa.array([int(r[1]) for r in rows], pa.int32())})
    con.register("incoming_stories", data)
    try:
        con.execute("INSERT INTO article_stories SELECT article_id, story_id FROM incoming_stories")
    finally:
        con.unregister("incoming_stories")
    con.execute("INSERT INTO article_stories SELECT d.id, s.story_id FROM articles d JOIN article_stories s ON s.article_id = d.duplicate_of "
                "ANTI JOIN article_stories x ON x.article_id = d.id")


def refresh_stories(con: duckdb.DuckDBPyConnection, headlines: dict[int, str] | None = None, only: Sequence[int] | None = None) -> None:
    """Recount stories (first and last day, size, sources, topic) from their original articles.

    `headlines` maps a story to its most central article; a story without one keeps its own,
    or takes its earliest article. `only` limits the work to these stories (None: all).
    """
    scope = "TRUE" if only is None else "story_id IN (SELECT unnest(?::INTEGER[]))"
    params: list = [] if only is None else [list(only)]
    con.execute(f"DELETE FROM stories WHERE {scope.replace('story_id', 'id')}", params)
    # Each table is narrowed to the stories' articles before the join: joined whole, a few stories
    # cost a read of every article (0.45 s at a million, against a few tens of ms).
    con.execute(f"""
        INSERT INTO stories (id, headline_article, topic_id, first_day, last_day, size, sources)
        WITH m AS (SELECT article_id, story_id FROM article_stories WHERE {scope}),
        a AS (SELECT a.id, a.source, {DAY} AS day FROM articles a
              WHERE a.id IN (SELECT article_id FROM m) AND a.duplicate_of IS NULL),
        x AS (SELECT article_id, topic_id FROM article_topics WHERE article_id IN (SELECT article_id FROM m))
        SELECT m.story_id, arg_min(a.id, (a.day, a.id)), mode(x.topic_id), min(a.day), max(a.day), count(*)::INTEGER,
               list_sort(list_distinct(list(a.source)))
        FROM m JOIN a ON a.id = m.article_id LEFT JOIN x ON x.article_id = m.article_id GROUP BY m.story_id""", params)
    if headlines:
        data = pa.table({"id": pa.array(list(headlines), pa.int32()), "article": list(headlines.values())})
        con.register("story_headlines", data)
        try:
            con.execute("UPDATE stories SET headline_article = h.article FROM story_headlines h WHERE stories.id = h.id")
        finally:
            con.unregister("story_headlines")


def kept_headlines(con: duckdb.DuckDBPyConnection, story_ids: Sequence[int]) -> dict[int, str]:
    return dict(con.execute("SELECT id, headline_article FROM stories WHERE id IN (SELECT unnest(?::INTEGER[]))",
                            [list(story_ids)]).fetchall())


def usual_per_day(con: duckdb.DuckDBPyConnection, before: date, days: int = 90) -> dict[int, float]:
    """Each topic's mean articles per day with news, over the `days` days with news before `before`."""
    return dict(con.execute("""
        WITH recent AS (SELECT DISTINCT day FROM daily_counts WHERE day < ? ORDER BY day DESC LIMIT ?)
        SELECT topic_id, sum(articles) / (SELECT greatest(count(*), 1) FROM recent)
        FROM daily_counts WHERE day IN (SELECT day FROM recent) AND topic_id IS NOT NULL GROUP BY topic_id""",
                            [before, days]).fetchall())


def topic_entities(con: duckdb.DuckDBPyConnection, article_ids: Sequence[str], types: Sequence[str]) -> dict[str, list[str]]:
    """The canonical names of the entities (of these types) each article mentions, once per mention."""
    out: dict[str, list[str]] = {}
    for article_id, name in con.execute(
            "SELECT m.article_id, e.name FROM mentions m JOIN entities e ON e.id = m.entity_id "
            "WHERE m.article_id IN (SELECT unnest(?::VARCHAR[])) AND e.type IN (SELECT unnest(?::VARCHAR[]))",
            [list(article_ids), list(types)]).fetchall():
        out.setdefault(article_id, []).append(name)
    return out


def add_topic(con: duckdb.DuckDBPyConnection, topic_id: int, label: str, terms: list[str], born: date | None, now: datetime) -> None:
    con.execute("INSERT INTO topics (id, label, terms, is_other, born, created_at) VALUES (?, ?, ?, false, ?, ?)",
                [topic_id, label, terms, born, now])


def record_events(con: duckdb.DuckDBPyConnection, events: Sequence[tuple[int, str, int | None, date | None]], now: datetime) -> None:
    """(topic_id, event, other_id, day) rows: born, split, merged."""
    for topic_id, event, other_id, day in events:
        con.execute("INSERT INTO topic_events (topic_id, event, other_id, day, recorded_at, label) "
                    "SELECT ?, ?, ?, ?, ?, (SELECT coalesce(custom_label, label) FROM topics WHERE id = ?)",
                    [topic_id, event, other_id, day, now, topic_id])


def first_days(con: duckdb.DuckDBPyConnection, topic_ids: Sequence[int]) -> dict[int, date]:
    return dict(con.execute(f"SELECT x.topic_id, min({DAY}) FROM article_topics x JOIN articles a ON a.id = x.article_id "
                            "WHERE x.topic_id IN (SELECT unnest(?::INTEGER[])) GROUP BY 1", [list(topic_ids)]).fetchall())


def fit_scores_since(con: duckdb.DuckDBPyConnection, since: datetime, floor: float) -> tuple[int, int]:
    """Original articles enriched since `since`, and how many of them fit their topic poorly."""
    return con.execute("""
        WITH e AS (SELECT article_id FROM enriched WHERE enriched_at > ?),
        a AS (SELECT id FROM articles WHERE id IN (SELECT article_id FROM e) AND duplicate_of IS NULL)
        SELECT count(*), count(*) FILTER (x.topic_id = 0 OR x.score < ?)
        FROM article_topics x WHERE x.article_id IN (SELECT id FROM a)""", [since, floor]).fetchone()
