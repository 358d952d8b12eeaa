"""Consistency check: every row that points at an article or entity points at one that exists,
and no key is stored twice."""

from __future__ import annotations

from dashboard.store import daily
from dashboard.store.db import Store, connect

CHECKS: dict[str, str] = {
    "mentions of missing articles": "SELECT count(*) FROM mentions m ANTI JOIN articles a ON a.id = m.article_id",
    "mentions of missing entities": "SELECT count(*) FROM mentions m ANTI JOIN entities e ON e.id = m.entity_id",
    "quotes of missing articles": "SELECT count(*) FROM quotes q ANTI JOIN articles a ON a.id = q.article_id",
    "quotes with a missing speaker": "SELECT count(*) FROM quotes q ANTI JOIN entities e ON e.id = q.speaker_id WHERE q.speaker_id IS NOT NULL",
    "topic assignments of missing articles": "SELECT count(*) FROM article_topics t ANTI JOIN articles a ON a.id = t.article_id",
    "topic assignments to missing topics": "SELECT count(*) FROM article_topics t ANTI JOIN topics p ON p.id = t.topic_id",
    "signatures of missing articles": "SELECT count(*) FROM signatures s ANTI JOIN articles a ON a.id = s.article_id",
    "duplicates of missing originals": "SELECT count(*) FROM articles d ANTI JOIN articles o ON o.id = d.duplicate_of WHERE d.duplicate_of IS NOT NULL",
    "enrichment marks of missing articles": "SELECT count(*) FROM enriched e ANTI JOIN articles a ON a.id = e.article_id",
    "search terms of missing articles": "SELECT count(*) FROM search_postings s ANTI JOIN articles a ON a.key = s.article_key",
    "entity counts of missing articles": "SELECT count(*) FROM article_entities x ANTI JOIN articles a ON a.id = x.article_id",
    "articles counted twice": "SELECT count(*) - count(DISTINCT id) FROM articles",
    "articles without a key": "SELECT count(*) - count(key) FROM articles",
    "article keys given twice": "SELECT count(key) - count(DISTINCT key) FROM articles",
    "quotes with another article's key": """
        SELECT count(*) FROM quotes q JOIN articles a ON a.id = q.article_id WHERE q.article_key IS DISTINCT FROM a.key""",
    "topic assignments with another article's key": """
        SELECT count(*) FROM article_topics t JOIN articles a ON a.id = t.article_id WHERE t.article_key IS DISTINCT FROM a.key""",
    # Keys a DuckDB file enforces and a lake cannot (DuckLake has no PRIMARY KEY): the code keeps them.
    **{f"{what} stored twice": f"SELECT count(*) - count(DISTINCT {key}) FROM {table}" for what, table, key in (
        ("signatures", "signatures", "article_id"), ("entities", "entities", "id"), ("topics", "topics", "id"),
        ("topic assignments", "article_topics", "article_id"), ("enrichment marks", "enriched", "article_id"),
        ("story assignments", "article_stories", "article_id"), ("stories", "stories", "id"), ("models", "models", "name"),
        ("feed states", "feed_state", "url"))},
    "daily counts (all articles or a common word's) out of step with the articles": daily.OUT_OF_STEP,
    "entity counts out of step with their article's day, source or topic": """
        SELECT count(*) FROM article_entities x JOIN articles a ON a.id = x.article_id LEFT JOIN article_topics t ON t.article_id = x.article_id
        WHERE x.day IS DISTINCT FROM a.published::DATE OR x.source IS DISTINCT FROM a.source OR x.topic_id IS DISTINCT FROM t.topic_id
           OR x.article_key IS DISTINCT FROM a.key""",
}


def check(db: Store) -> list[str]:
    """A line per inconsistency found; empty when the database is consistent."""
    problems = []
    with connect(db, read_only=True) as con:
        for name, sql in CHECKS.items():
            (count,) = con.execute(sql).fetchone() or (0,)
            if count:
                problems.append(f"{count:,} {name}")
    return problems
