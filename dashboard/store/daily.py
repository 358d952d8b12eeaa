"""Articles per day, source and topic: what topic volume and headline counts are read from.

Counting a million articles per page costs a join and a group-by each time; this table holds
a few rows per day instead. It is rebuilt whole (a quarter of a second at a million articles)
in the same transaction as every change to articles or topic assignments, so it is never out
of step with them.
"""

from __future__ import annotations

import duckdb

COUNTS = """
    SELECT a.published::DATE AS day, a.source, x.topic_id, count(*)::INTEGER AS articles
    FROM articles a LEFT JOIN article_topics x ON x.article_id = a.id
    WHERE a.duplicate_of IS NULL GROUP BY ALL"""


def out_of_step(on: str = "TRUE") -> str:
    """SQL counting the rows (those where `on` holds) in the table and not in a fresh count, or
    the other way round: none when in step."""
    stored = f"SELECT * FROM daily_counts WHERE {on}"
    fresh = f"SELECT * FROM ({COUNTS}) WHERE {on}"
    return f"SELECT count(*) FROM (({stored} EXCEPT ALL {fresh}) UNION ALL ({fresh} EXCEPT ALL {stored}))"


OUT_OF_STEP = out_of_step()


def refresh(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("DELETE FROM daily_counts")
    con.execute(f"INSERT INTO daily_counts {COUNTS}")


def refresh_days(con: duckdb.DuckDBPyConnection, article_ids: list[str]) -> None:
    """Recount only the days of these articles (a few rows, where a full refresh reads every article)."""
    con.execute("CREATE OR REPLACE TEMP TABLE touched_days AS SELECT DISTINCT published::DATE AS day FROM articles "
                "WHERE id IN (SELECT unnest(?::VARCHAR[]))", [article_ids])
    try:
        undated = "EXISTS (SELECT 1 FROM touched_days WHERE day IS NULL)"
        con.execute(f"DELETE FROM daily_counts WHERE day IN (SELECT day FROM touched_days) OR (day IS NULL AND {undated})")
        con.execute(f"""
            INSERT INTO daily_counts
            WITH a AS (SELECT id, published::DATE AS day, source FROM articles
                       WHERE duplicate_of IS NULL
                         AND (published::DATE IN (SELECT day FROM touched_days) OR (published IS NULL AND {undated}))),
            x AS (SELECT article_id, topic_id FROM article_topics WHERE article_id IN (SELECT id FROM a))
            SELECT a.day, a.source, x.topic_id, count(*)::INTEGER FROM a LEFT JOIN x ON x.article_id = a.id GROUP BY ALL""")
    finally:
        con.execute("DROP TABLE IF EXISTS touched_days")


def ensure(con: duckdb.DuckDBPyConnection) -> None:
    """Fill the table of a database stored before it existed."""
    empty, has_articles = con.execute(
        "SELECT NOT EXISTS (SELECT 1 FROM daily_counts), EXISTS (SELECT 1 FROM articles)").fetchone()
    if empty and has_articles:
        refresh(con)
