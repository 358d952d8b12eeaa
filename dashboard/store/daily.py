"""Articles per day, source and topic: what topic volume and headline counts are read from.

Counting a million articles per page costs a join and a group-by each time; this table holds
a few rows per day instead. It is rebuilt whole (a quarter of a second at a million articles)
in the same transaction as every change to articles or topic assignments, so it is never out
of step with them.

`term_counts` holds the same counts for each word of the search index found in at least one
article in COMMON (`counted_terms`): the words whose searches join the most articles. On a
million articles, `said` (740,000 of them) took 360 ms to count for the Overview's headline and
420 for its volume chart, joined to the articles and their topics; read from these rows (about
25,000 for `said`, 850,000 for the 34 words in a fifth of the articles, built in 8 s), a few ms.
The set of words is chosen when every day is recounted (`refresh`); recounting some days keeps it.
"""

from __future__ import annotations

import duckdb

COUNTS = """
    SELECT a.published::DATE AS day, a.source, x.topic_id, count(*)::INTEGER AS articles
    FROM articles a LEFT JOIN article_topics x ON x.article_id = a.id
    WHERE a.duplicate_of IS NULL GROUP BY ALL"""


COMMON = 5  # a word in at least one article in COMMON has its counts kept (see term_counts)
COUNTED_TERMS = f"""
    SELECT term FROM search_postings GROUP BY term HAVING count(*) * {COMMON} >= (SELECT count(*) FROM articles)"""
TERM_COUNTS = """
    SELECT s.term, a.published::DATE AS day, a.source, x.topic_id, count(*)::INTEGER AS articles
    FROM search_postings s JOIN articles a ON a.key = s.article_key LEFT JOIN article_topics x ON x.article_key = a.key
    WHERE a.duplicate_of IS NULL AND s.term IN (SELECT term FROM counted_terms) GROUP BY ALL"""


def out_of_step(on: str = "TRUE") -> str:
    """SQL counting the rows (those where `on`, a condition on `day`, holds) of daily_counts and of
    term_counts that a fresh count does not give, and the other way round: none when in step."""
    return f"SELECT ({_differ('daily_counts', COUNTS, on)}) + ({_differ('term_counts', TERM_COUNTS, on)})"


def _differ(table: str, counts: str, on: str) -> str:
    stored = f"SELECT * FROM {table} WHERE {on}"
    fresh = f"SELECT * FROM ({counts}) WHERE {on}"
    return f"SELECT count(*) FROM (({stored} EXCEPT ALL {fresh}) UNION ALL ({fresh} EXCEPT ALL {stored}))"


OUT_OF_STEP = out_of_step()


def refresh(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("DELETE FROM daily_counts")
    con.execute(f"INSERT INTO daily_counts {COUNTS}")
    refresh_terms(con)


def refresh_terms(con: duckdb.DuckDBPyConnection) -> None:
    """Choose the counted words afresh and count them (after every day's recount, or the index's rebuild)."""
    con.execute("DELETE FROM term_counts")
    con.execute("DELETE FROM counted_terms")
    con.execute(f"INSERT INTO counted_terms {COUNTED_TERMS}")
    con.execute(f"INSERT INTO term_counts SELECT * FROM ({TERM_COUNTS}) ORDER BY term")  # a word's rows together


def refresh_days(con: duckdb.DuckDBPyConnection, article_ids: list[str]) -> None:
    """Recount only the days of these articles (a few rows, where a full refresh reads every article)."""
    con.execute("CREATE OR REPLACE TEMP TABLE touched_days AS SELECT DISTINCT published::DATE AS day FROM articles "
                "WHERE id IN (SELECT unnest(?::VARCHAR[]))", [article_ids])
    try:
        undated = "EXISTS (SELECT 1 FROM touched_days WHERE day IS NULL)"
        for table in ("daily_counts", "term_counts"):
            con.execute(f"DELETE FROM {table} WHERE day IN (SELECT day FROM touched_days) OR (day IS NULL AND {undated})")
        con.execute(f"""
            INSERT INTO daily_counts
            WITH a AS (SELECT id, published::DATE AS day, source FROM articles
                       WHERE duplicate_of IS NULL
                         AND (published::DATE IN (SELECT day FROM touched_days) OR (published IS NULL AND {undated}))),
            x AS (SELECT article_id, topic_id FROM article_topics WHERE article_id IN (SELECT id FROM a))
            SELECT a.day, a.source, x.topic_id, count(*)::INTEGER FROM a LEFT JOIN x ON x.article_id = a.id GROUP BY ALL""")
        con.execute(f"""
            INSERT INTO term_counts
            SELECT * FROM ({TERM_COUNTS})
            WHERE day IN (SELECT day FROM touched_days) OR (day IS NULL AND {undated})""")
    finally:
        con.execute("DROP TABLE IF EXISTS touched_days")


def ensure(con: duckdb.DuckDBPyConnection) -> None:
    """Fill the table of a database stored before it existed."""
    empty, has_articles = con.execute(
        "SELECT NOT EXISTS (SELECT 1 FROM daily_counts), EXISTS (SELECT 1 FROM articles)").fetchone()
    if empty and has_articles:
        refresh(con)
