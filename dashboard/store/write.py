"""Writes: batched through Arrow (never row by row), each inside the caller's transaction."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime

import duckdb
import numpy as np
import pyarrow as pa

from dashboard.languages import detect_article
from dashboard.model import Article
from dashboard.store import daily, search

ARTICLE_COLUMNS = (
    "id", "external_id", "source", "url", "title", "kicker", "body", "published", "published_approx",
    "truncated", "photo_credit", "labels", "duplicate_of", "content_hash", "origin", "ingested_at", "author",
    "lang", "key",
)


def next_keys(con: duckdb.DuckDBPyConnection, count: int) -> list[int]:
    """Integer keys for `count` new articles, after every stored one (see migrations/0004_article_keys.sql).

    Read inside the writer's transaction, which on a file is the only writer: no other process
    stores an article between this read and the insert, so no key is given twice (`check`
    counts any that were). Writers on a lake run side by side: theirs come from a sequence in
    the catalog, handed out in their claim step (claims.Step.keys), and are passed in.
    """
    (last,) = con.execute("SELECT coalesce(max(key), 0) FROM articles").fetchone()
    return list(range(last + 1, last + 1 + count))


def existing_ids(con: duckdb.DuckDBPyConnection, ids: Sequence[str]) -> set[str]:
    """Which of these article ids are stored already."""
    if not ids:
        return set()
    rows = con.execute("SELECT id FROM articles WHERE id IN (SELECT unnest($ids))", {"ids": list(ids)}).fetchall()
    return {row[0] for row in rows}


def hash_owners(con: duckdb.DuckDBPyConnection, hashes: Sequence[str]) -> dict[str, str]:
    """Stored article (an original, not itself a duplicate) for each content hash seen before."""
    if not hashes:
        return {}
    rows = con.execute(
        "SELECT content_hash, min(id) FROM articles WHERE content_hash IN (SELECT unnest($h)) "
        "AND duplicate_of IS NULL GROUP BY content_hash",
        {"h": list(hashes)},
    ).fetchall()
    return dict(rows)


def insert_articles(
    con: duckdb.DuckDBPyConnection,
    articles: Sequence[Article],
    duplicate_of: dict[str, str],
    origins: Sequence[str],
    now: datetime,
    terms: dict[str, str] | None = None,
    keys: Sequence[int] | None = None,
) -> None:
    """Insert articles and index them for search (`terms`: search.prepare's output for some, made
    beforehand; `keys`: theirs, when a lake's claim step gave them)."""
    if not articles:
        return
    keys = list(keys) if keys is not None else next_keys(con, len(articles))
    table = pa.table(
        {
            "id": [a.id for a in articles],
            "external_id": [a.external_id for a in articles],
            "source": [a.source for a in articles],
            "url": [a.url for a in articles],
            "title": [a.title for a in articles],
            "kicker": [a.kicker for a in articles],
            "body": [a.body for a in articles],
            "published": pa.array([a.published for a in articles], pa.timestamp("us")),
            "published_approx": [a.published_approx for a in articles],
            "truncated": [a.truncated for a in articles],
            "photo_credit": [a.photo_credit for a in articles],
            "labels": pa.array([a.labels for a in articles], pa.list_(pa.string())),
            "duplicate_of": [duplicate_of.get(a.id) for a in articles],
            "content_hash": [a.content_hash for a in articles],
            "origin": list(origins),
            "ingested_at": pa.array([now] * len(articles), pa.timestamp("us")),
            "author": pa.array([a.author for a in articles], pa.string()),
            "lang": pa.array([detect_article(a.title, a.body) or a.lang for a in articles], pa.string()),
            "key": pa.array(keys, pa.int64()),
        }
    )
    con.register("incoming_articles", table)
    try:
        con.execute(f"INSERT INTO articles ({', '.join(ARTICLE_COLUMNS)}) SELECT * FROM incoming_articles")
    finally:
        con.unregister("incoming_articles")
    search.add(con, ((key, a.id, a.title, a.body) for key, a in zip(keys, articles, strict=True)), terms)


def insert_signatures(con: duckdb.DuckDBPyConnection, signatures: dict[str, np.ndarray]) -> None:
    if not signatures:
        return
    table = pa.table(
        {
            "article_id": list(signatures),
            "minhash": pa.array([s.tolist() for s in signatures.values()], pa.list_(pa.uint32())),
        }
    )
    con.register("incoming_signatures", table)
    try:
        con.execute("INSERT INTO signatures SELECT * FROM incoming_signatures")
    finally:
        con.unregister("incoming_signatures")


def load_signatures(con: duckdb.DuckDBPyConnection, batch: int = 50_000) -> Iterator[tuple[str, np.ndarray]]:
    """Every stored signature of an original article, streamed."""
    result = con.execute(
        "SELECT s.article_id, s.minhash FROM signatures s JOIN articles a ON a.id = s.article_id "
        "WHERE a.duplicate_of IS NULL"
    )
    while rows := result.fetchmany(batch):
        for article_id, minhash in rows:
            yield article_id, np.asarray(minhash, dtype=np.uint32)


def mark(con: duckdb.DuckDBPyConnection) -> int | None:
    """Where `signatures_after` starts: a lake's snapshot id; None on a file, which one writer holds at a time."""
    from dashboard.store.db import lake_of
    from dashboard.store.engine import snapshot

    return snapshot(con) if lake_of(con) is not None else None


def signatures_after(con: duckdb.DuckDBPyConnection, after: int, upto: int) -> list[tuple[str, np.ndarray]]:
    """Signatures other writers committed to a lake between two snapshots (DuckLake's change feed).

    A writer loads every signature once, when it starts; those its peers store while it runs
    are read here, inside its turn to write, so a near-duplicate is linked to an original that
    another process stored a moment before, just as if one process had read both.
    """
    if upto <= after:
        return []
    rows = con.execute("SELECT article_id, minhash FROM ducklake_table_insertions(current_database(), 'main', 'signatures', ?, ?)",
                       [after + 1, upto]).fetchall()
    return [(article_id, np.asarray(minhash, dtype=np.uint32)) for article_id, minhash in rows]


def log_runs(con: duckdb.DuckDBPyConnection, runs: Sequence[tuple[str, int, int, int, int, str | None]], now: datetime) -> None:
    """One row per input read: (origin, read, new, duplicates, rejected, message)."""
    if runs:
        con.executemany(
            "INSERT INTO ingest_runs (origin, finished, status, read, new, duplicates, rejected, message) VALUES (?, ?, 'ok', ?, ?, ?, ?, ?)",
            [[origin, now, *rest] for origin, *rest in runs],
        )


def delete_article(con: duckdb.DuckDBPyConnection, article_id: str) -> bool:
    """Remove an article and everything that points at it; its near-duplicates become originals."""
    for table, column in (("mentions", "article_id"), ("quotes", "article_id"), ("article_topics", "article_id"),
                          ("signatures", "article_id"), ("enriched", "article_id"), ("article_entities", "article_id")):
        con.execute(f"DELETE FROM {table} WHERE {column} = ?", [article_id])
    search.forget(con, [article_id])
    con.execute("UPDATE articles SET duplicate_of = NULL WHERE duplicate_of = ?", [article_id])
    deleted = bool(con.execute("SELECT count(*) FROM articles WHERE id = ?", [article_id]).fetchone()[0])
    con.execute("DELETE FROM articles WHERE id = ?", [article_id])  # DuckLake has no DELETE ... RETURNING
    daily.refresh(con)
    return deleted
