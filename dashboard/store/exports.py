"""The export queries. Field names and order are a public contract: change only on purpose."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any

import duckdb

from dashboard.store import queries
from dashboard.store.queries import Filters

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


# The dashboard's export of a selection -------------------------------------------------------------
# The CLI's `articles` fields, in the same order, plus `entities` (the article's canonical entity
# names, most mentioned first). Also a contract: extend, never change.
SELECTION_FIELDS: tuple[str, ...] = (*EXPORT_FIELDS["articles"], "entities")
FORMATS = ("csv", "parquet")
# DuckDB sorts and aggregates within this much memory and spills the rest to a temporary folder,
# so the export of a million articles (some 2 GB of text) never holds them all in memory.
EXPORT_MEMORY = "512MB"
_NAME_PART = re.compile(r"[^a-z0-9]+")


def selection_sql(con: duckdb.DuckDBPyConnection, f: Filters, fmt: str = "csv") -> tuple[str, list[Any]]:
    """SELECT of every article of the selection (newest first) with the SELECTION_FIELDS, and its parameters.

    In CSV the entities and labels are one text joined by "; " (as the CLI writes lists); in
    Parquet they stay lists.
    """
    where, params = queries._where(con, f, "a")
    inner, more = queries._where(con, f, "b")
    entities = "coalesce(n.entities, [])"
    labels = "a.labels"
    if fmt == "csv":
        entities, labels = f"array_to_string({entities}, '; ')", "array_to_string(a.labels, '; ')"
    sql = f"""
        WITH names AS (
            SELECT x.article_id, list(e.name ORDER BY x.mentions DESC, e.name) AS entities
            FROM article_entities x JOIN entities e ON e.id = x.entity_id
            WHERE x.article_id IN (SELECT b.id FROM articles b WHERE {inner})
            GROUP BY x.article_id)
        SELECT a.id, a.external_id, a.source, a.url, a.title, a.kicker, a.body, a.published,
               t.id AS topic_id, coalesce(t.custom_label, t.label) AS topic_label, a.duplicate_of, {labels} AS labels,
               s.story_id, {entities} AS entities
        FROM articles a
        LEFT JOIN article_topics art ON art.article_id = a.id
        LEFT JOIN topics t ON t.id = art.topic_id
        LEFT JOIN article_stories s ON s.article_id = a.id
        LEFT JOIN names n ON n.article_id = a.id
        WHERE {where}
        ORDER BY a.published DESC NULLS LAST, a.id"""
    return sql, [*more, *params]


def write_selection(con: duckdb.DuckDBPyConnection, f: Filters, path: Path, fmt: str = "csv") -> int:
    """Write every article of the selection to `path` as CSV (with a header) or Parquet; returns the rows written.

    DuckDB streams the query into the file itself (COPY ... TO), within EXPORT_MEMORY and
    spilling to a temporary folder beside `path`: no row passes through Python.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    sql, params = selection_sql(con, f, fmt)
    spill = path.parent / (path.name + ".spill")
    options = "FORMAT csv, HEADER true" if fmt == "csv" else "FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 20000"
    # The settings belong to the database instance, which other connections of the process may share: put them back.
    saved = {name: con.execute(f"SELECT current_setting('{name}')").fetchone()[0] for name in ("memory_limit", "temp_directory")}
    con.execute(f"SET memory_limit = '{EXPORT_MEMORY}'")
    con.execute(f"SET temp_directory = '{_quoted(spill)}'")
    try:
        row = con.execute(f"COPY ({sql}) TO '{_quoted(path)}' ({options})", params).fetchone()
    finally:
        for name, value in saved.items():
            con.execute(f"SET {name} = '{_quoted(value)}'")
    return int(row[0]) if row else 0


def _quoted(path: Path) -> str:
    return str(path).replace("'", "''")


def _slug(text: str, limit: int = 40) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _NAME_PART.sub("-", ascii_text.lower()).strip("-")[:limit].strip("-")


def selection_name(f: Filters, what: str = "articles", fmt: str = "csv") -> str:
    """A file name that says what the selection is: newsdesk-articles-topic3-2003-03-01_2003-04-30.csv."""
    parts = ["newsdesk", what]
    if f.topics:
        parts.append("topic" + "+".join(map(str, f.topics)))
    parts += [slug for slug in (_slug(e) for e in f.entities) if slug]
    if f.stories:
        parts.append("story" + "+".join(map(str, f.stories)))
    if f.source and _slug(f.source):
        parts.append(_slug(f.source))
    if f.q and _slug(f.q):
        parts.append("search-" + _slug(f.q))
    if f.start or f.end:
        parts.append(f"{f.start.isoformat() if f.start else 'start'}_{f.end.isoformat() if f.end else 'end'}")
    return "-".join(parts)[:180] + "." + fmt
