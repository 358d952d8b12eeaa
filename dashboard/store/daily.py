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
# Rows in the table and not in a fresh count, or the other way round: none when in step.
OUT_OF_STEP = f"SELECT count(*) FROM ((SELECT * FROM daily_counts EXCEPT ALL {COUNTS}) UNION ALL ({COUNTS} EXCEPT ALL SELECT * FROM daily_counts))"


def refresh(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("DELETE FROM daily_counts")
    con.execute(f"INSERT INTO daily_counts {COUNTS}")


def ensure(con: duckdb.DuckDBPyConnection) -> None:
    """Fill the table of a database stored before it existed."""
    empty, has_articles = con.execute(
        "SELECT NOT EXISTS (SELECT 1 FROM daily_counts), EXISTS (SELECT 1 FROM articles)").fetchone()
    if empty and has_articles:
        refresh(con)
