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


def articles_by_id(con: duckdb.DuckDBPyConnection, ids: Sequence[str]) -> list[tuple[str, str | None, str, date, int | None]]:
    """(id, title, body, day, topic_id) of these original articles, in day and id order."""
    return con.execute(
        f"SELECT a.id, a.title, a.body, {DAY}, x.topic_id FROM articles a LEFT JOIN article_topics x ON x.article_id = a.id "
        "WHERE a.id IN (SELECT unnest(?::VARCHAR[])) AND a.duplicate_of IS NULL ORDER BY 4, 1", [list(ids)]).fetchall()


def placed_between(con: duckdb.DuckDBPyConnection, first: date, last: date, exclude: Sequence[str]) -> list[tuple[str, str | None, str, date, int, int | None]]:
    """Original articles of those days already in a story: (id, title, body, day, story_id, topic_id)."""
    return con.execute(
        f"""SELECT a.id, a.title, a.body, {DAY}, s.story_id, x.topic_id
            FROM article_stories s JOIN articles a ON a.id = s.article_id LEFT JOIN article_topics x ON x.article_id = a.id
            WHERE {DAY} BETWEEN ? AND ? AND a.duplicate_of IS NULL AND a.id NOT IN (SELECT unnest(?::VARCHAR[]))
            ORDER BY 4, 1""", [first, last, list(exclude)]).fetchall()


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
    scope = "TRUE" if only is None else "s.story_id IN (SELECT unnest(?::INTEGER[]))"
    params: list = [] if only is None else [list(only)]
    con.execute(f"DELETE FROM stories WHERE {scope.replace('s.story_id', 'id')}", params)
    con.execute(f"""
        INSERT INTO stories (id, headline_article, topic_id, first_day, last_day, size, sources)
        SELECT s.story_id, arg_min(a.id, ({DAY}, a.id)), mode(x.topic_id), min({DAY}), max({DAY}), count(*)::INTEGER,
               list_sort(list_distinct(list(a.source)))
        FROM article_stories s JOIN articles a ON a.id = s.article_id LEFT JOIN article_topics x ON x.article_id = a.id
        WHERE a.duplicate_of IS NULL AND {scope} GROUP BY s.story_id""", params)
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
        SELECT count(*), count(*) FILTER (x.topic_id = 0 OR x.score < ?)
        FROM enriched e JOIN article_topics x ON x.article_id = e.article_id JOIN articles a ON a.id = e.article_id
        WHERE e.enriched_at > ? AND a.duplicate_of IS NULL""", [floor, since]).fetchone()
