"""The export queries. Field names and order are a public contract: change only on purpose."""

from __future__ import annotations

EXPORT_FIELDS: dict[str, tuple[str, ...]] = {
    "articles": ("id", "external_id", "source", "url", "title", "kicker", "body", "published",
                 "topic_id", "topic_label", "duplicate_of", "labels", "story_id", "lang"),
    "topics": ("id", "label", "terms", "size"),
    "entities": ("name", "type", "aliases", "articles", "mentions"),
    "quotes": ("article_id", "text", "speaker", "speaker_type"),
    "stories": ("id", "headline", "topic_id", "first", "last", "size"),
}

EXPORT_SQL: dict[str, str] = {
    "articles": """
        SELECT a.id, a.external_id, a.source, a.url, a.title, a.kicker, a.body, a.published,
               t.id AS topic_id, coalesce(t.custom_label, t.label) AS topic_label, a.duplicate_of, a.labels, s.story_id, a.lang
        FROM articles a
        LEFT JOIN article_topics art ON art.article_id = a.id
        LEFT JOIN topics t ON t.id = art.topic_id
        LEFT JOIN article_stories s ON s.article_id = a.id
        ORDER BY a.published NULLS LAST, a.id
    """,
    "topics": """
        SELECT t.id, coalesce(t.custom_label, t.label) AS label, t.terms,
               count(a.id)::INTEGER AS size
        FROM topics t
        LEFT JOIN article_topics art ON art.topic_id = t.id
        LEFT JOIN articles a ON a.id = art.article_id AND a.duplicate_of IS NULL
        GROUP BY ALL ORDER BY t.id
    """,
    "entities": """
        SELECT e.name, e.type, e.aliases,
               count(DISTINCT m.article_id)::INTEGER AS articles, count(m.article_id)::INTEGER AS mentions
        FROM entities e
        LEFT JOIN mentions m ON m.entity_id = e.id
        GROUP BY ALL ORDER BY mentions DESC, e.name
    """,
    "quotes": """
        SELECT q.article_id, q.text, e.name AS speaker, e.type AS speaker_type
        FROM quotes q LEFT JOIN entities e ON e.id = q.speaker_id
        ORDER BY q.article_id, q.start_char
    """,
    "stories": """
        SELECT st.id, h.title AS headline, st.topic_id, st.first_day AS first, st.last_day AS last, st.size
        FROM stories st LEFT JOIN articles h ON h.id = st.headline_article
        ORDER BY st.first_day NULLS LAST, st.id
    """,
}

assert set(EXPORT_FIELDS) == set(EXPORT_SQL)
