"""Reads and writes of the enrichment tables (entities, mentions, quotes, topics).

Plain rows in, plain rows out: this module knows SQL, not spaCy or scikit-learn.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime

import duckdb
import pyarrow as pa

from dashboard.store import curation, daily

PENDING_SQL = """
    SELECT a.id, a.title, a.body, a.duplicate_of IS NOT NULL AS duplicate
    FROM articles a ANTI JOIN enriched e ON e.article_id = a.id
    ORDER BY a.id
"""


def pending(con: duckdb.DuckDBPyConnection, limit: int) -> list[tuple[str, str | None, str, bool]]:
    """Articles not enriched yet (id, title, body, is_duplicate), at most `limit`."""
    return con.execute(PENDING_SQL + " LIMIT ?", [limit]).fetchall()


def count_pending(con: duckdb.DuckDBPyConnection) -> int:
    return con.execute("SELECT count(*) FROM articles a ANTI JOIN enriched e ON e.article_id = a.id").fetchone()[0]


def entity_index(con: duckdb.DuckDBPyConnection) -> list[tuple[int, str, str, list[str]]]:
    return con.execute("SELECT id, name, type, aliases FROM entities").fetchall()


def insert_entities(con: duckdb.DuckDBPyConnection, rows: Sequence[tuple[int, str, str, list[str]]]) -> None:
    if rows:
        con.executemany("INSERT INTO entities (id, name, type, aliases) VALUES (?, ?, ?, ?)", [list(r) for r in rows])


def add_aliases(con: duckdb.DuckDBPyConnection, entity_id: int, aliases: Sequence[str]) -> None:
    con.execute(
        "UPDATE entities SET aliases = list_sort(list_distinct(list_concat(aliases, ?::VARCHAR[]))) WHERE id = ?",
        [list(aliases), entity_id],
    )


def _insert(con: duckdb.DuckDBPyConnection, table: str, columns: dict[str, list]) -> None:
    data = pa.table(columns)
    if not data.num_rows:
        return
    con.register("incoming_rows", data)
    try:
        con.execute(f"INSERT INTO {table} ({', '.join(columns)}) SELECT * FROM incoming_rows")
    finally:
        con.unregister("incoming_rows")


def insert_mentions(con: duckdb.DuckDBPyConnection, rows: Sequence[tuple[str, int, int, int, str, str]]) -> None:
    """(article_id, entity_id, start, end, text, label) rows."""
    names = ("article_id", "entity_id", "start_char", "end_char", "text", "label")
    _insert(con, "mentions", {n: [r[i] for r in rows] for i, n in enumerate(names)})


def insert_quotes(con: duckdb.DuckDBPyConnection, rows: Sequence[tuple[str, int, int, str, int | None, str | None, str | None]]) -> None:
    """(article_id, start, end, text, speaker_id, speaker_text, cue) rows."""
    names = ("article_id", "start_char", "end_char", "text", "speaker_id", "speaker_text", "cue")
    columns: dict[str, list] = {n: [r[i] for r in rows] for i, n in enumerate(names)}
    columns["speaker_id"] = pa.array(columns["speaker_id"], pa.int32())
    columns["speaker_text"] = pa.array(columns["speaker_text"], pa.string())
    columns["cue"] = pa.array(columns["cue"], pa.string())
    data = pa.table(columns)
    if not data.num_rows:
        return
    con.register("incoming_quotes", data)
    try:  # each with its article's key (migrations/0005_quote_keys.sql)
        con.execute(f"INSERT INTO quotes ({', '.join(names)}, article_key) SELECT i.*, a.key FROM incoming_quotes i "
                    "JOIN articles a ON a.id = i.article_id")
    finally:
        con.unregister("incoming_quotes")


def mark_enriched(con: duckdb.DuckDBPyConnection, ids: Sequence[str], now: datetime) -> None:
    _insert(con, "enriched", {"article_id": list(ids), "enriched_at": pa.array([now] * len(ids), pa.timestamp("us"))})


def entity_stats(con: duckdb.DuckDBPyConnection) -> list[tuple[int, str, list[str], int, list[str]]]:
    """(id, name, aliases, mentions, labels of its mentions) for every entity."""
    return con.execute(
        "SELECT e.id, e.name, e.aliases, count(m.entity_id), list(m.label) FILTER (m.label IS NOT NULL) "
        "FROM entities e LEFT JOIN mentions m ON m.entity_id = e.id GROUP BY ALL"
    ).fetchall()


def merge_entities(con: duckdb.DuckDBPyConnection, plan: dict[int, int]) -> None:
    """Fold each entity `source` into `plan[source]`: mentions, quotes and names move over, in a few statements."""
    if not plan:
        return
    con.register("merge_plan", pa.table({"source": pa.array(list(plan), pa.int32()), "target": pa.array(list(plan.values()), pa.int32())}))
    try:
        con.execute("UPDATE mentions SET entity_id = p.target FROM merge_plan p WHERE mentions.entity_id = p.source")
        con.execute("UPDATE quotes SET speaker_id = p.target FROM merge_plan p WHERE quotes.speaker_id = p.source")
        con.execute("""
            WITH names AS (
                SELECT p.target, flatten(list(list_append(e.aliases, e.name))) AS more
                FROM merge_plan p JOIN entities e ON e.id = p.source GROUP BY p.target)
            UPDATE entities SET aliases = list_sort(list_distinct(list_concat(entities.aliases, names.more)))
            FROM names WHERE entities.id = names.target""")
        con.execute("DELETE FROM entities WHERE id IN (SELECT source FROM merge_plan)")
    finally:
        con.unregister("merge_plan")


def resolve_short_forms(con: duckdb.DuckDBPyConnection, pairs: Sequence[tuple[int, int]], window_days: int) -> None:
    """(short, full) entity pairs: in each article that mentions `short`, its mentions (and the quotes
    it speaks) move to `full` when that is the only one of its full names mentioned within
    `window_days` of the article's date. Articles without a date keep the short form."""
    if not pairs:
        return
    con.register("short_pairs", pa.table({"short_id": pa.array([p[0] for p in pairs], pa.int32()),
                                          "long_id": pa.array([p[1] for p in pairs], pa.int32())}))
    try:
        con.execute("""
            CREATE OR REPLACE TEMP TABLE short_moves AS
            WITH shorts AS (
                SELECT DISTINCT m.article_id, m.entity_id AS short_id, a.published::DATE AS day
                FROM mentions m JOIN articles a ON a.id = m.article_id
                WHERE m.entity_id IN (SELECT short_id FROM short_pairs) AND a.published IS NOT NULL),
            full_days AS (
                SELECT DISTINCT m.entity_id AS long_id, a.published::DATE AS day
                FROM mentions m JOIN articles a ON a.id = m.article_id
                WHERE m.entity_id IN (SELECT long_id FROM short_pairs) AND a.published IS NOT NULL)
            SELECT s.article_id, s.short_id, any_value(p.long_id) AS long_id
            FROM shorts s JOIN short_pairs p ON p.short_id = s.short_id
            WHERE EXISTS (SELECT 1 FROM full_days f WHERE f.long_id = p.long_id AND f.day BETWEEN s.day - ? AND s.day + ?)
            GROUP BY s.article_id, s.short_id HAVING count(DISTINCT p.long_id) = 1""", [window_days, window_days])
        con.execute("UPDATE mentions SET entity_id = v.long_id FROM short_moves v "
                    "WHERE mentions.article_id = v.article_id AND mentions.entity_id = v.short_id")
        con.execute("UPDATE quotes SET speaker_id = v.long_id FROM short_moves v "
                    "WHERE quotes.article_id = v.article_id AND quotes.speaker_id = v.short_id")
        con.execute("DROP TABLE short_moves")
    finally:
        con.unregister("short_pairs")


def set_types(con: duckdb.DuckDBPyConnection) -> None:
    """Each entity's type is the label most of its mentions were read as (PERSON > GPE > ORG > LOC on ties)."""
    con.execute("""
        WITH counts AS (SELECT entity_id, label, count(*) AS n FROM mentions GROUP BY ALL),
        best AS (SELECT entity_id, arg_max(label, n * 10 - CASE label WHEN 'PERSON' THEN 0 WHEN 'GPE' THEN 1
                                                                  WHEN 'ORG' THEN 2 WHEN 'LOC' THEN 3 ELSE 9 END) AS label
                 FROM counts GROUP BY entity_id)
        UPDATE entities SET type = best.label FROM best WHERE entities.id = best.entity_id AND entities.type <> best.label""")


def refresh_article_entities(con: duckdb.DuckDBPyConnection) -> None:
    """Rebuild the (article, entity, mentions, day, source, topic) table from the mentions.

    An admin's corrections (curation.py) are made true again first, and hidden entities left out.
    """
    curation.apply(con)
    con.execute("DELETE FROM article_entities")
    # Stored in entity order, so that the rows of one entity sit in a few blocks that DuckDB
    # finds by their min/max statistics instead of reading them all.
    con.execute(f"""
        INSERT INTO article_entities (article_id, entity_id, mentions, day, source, topic_id, article_key)
        SELECT m.article_id, m.entity_id, m.mentions, a.published::DATE, a.source, x.topic_id, a.key
        FROM (SELECT article_id, entity_id, count(*) AS mentions FROM mentions
              WHERE entity_id NOT IN ({curation.hidden_sql(con)}) GROUP BY ALL) m
        JOIN articles a ON a.id = m.article_id LEFT JOIN article_topics x ON x.article_id = m.article_id
        ORDER BY m.entity_id""")


def retopic_article_entities(con: duckdb.DuckDBPyConnection) -> None:
    """Give every article-entity row its article's topic after a refit.

    The rows themselves were rebuilt from the mentions when the enrichment consolidated its
    entities (or by the enrichment before, when a refit finds no new article): rebuilding them
    again here, as a refit did, counted every mention twice per enrichment. Only rows whose
    topic changed are written.
    """
    con.execute("""
        UPDATE article_entities SET topic_id = t.topic_id
        FROM (SELECT e.article_id, x.topic_id FROM (SELECT DISTINCT article_id FROM article_entities) e
              LEFT JOIN article_topics x ON x.article_id = e.article_id) t
        WHERE article_entities.article_id = t.article_id AND article_entities.topic_id IS DISTINCT FROM t.topic_id""")


def ensure_article_entities(con: duckdb.DuckDBPyConnection) -> None:
    """Fill in the day, source and topic of rows stored before article_entities had them (their keys: 0004_article_keys)."""
    if con.execute("SELECT EXISTS (SELECT 1 FROM article_entities WHERE source IS NULL)").fetchone()[0]:
        refresh_article_entities(con)


def drop_orphan_entities(con: duckdb.DuckDBPyConnection) -> None:
    """Entities no mention names and no quote is spoken by. A speaker named without a mention of
    its own ("Facebook said", untagged) takes the id its name has elsewhere; when those mentions
    move to a full name, the entity stays for its quotes (1 quote of 7,442 in 924 PolNeAR articles
    pointed to a dropped entity)."""
    con.execute("DELETE FROM entities WHERE id NOT IN (SELECT DISTINCT entity_id FROM mentions) "
                "AND id NOT IN (SELECT DISTINCT speaker_id FROM quotes WHERE speaker_id IS NOT NULL)")


# Topics -------------------------------------------------------------------------------------------

def load_model(con: duckdb.DuckDBPyConnection, name: str) -> bytes | None:
    row = con.execute("SELECT payload FROM models WHERE name = ?", [name]).fetchone()
    return bytes(row[0]) if row else None


def save_model(con: duckdb.DuckDBPyConnection, name: str, payload: bytes, now: datetime) -> None:
    con.execute("DELETE FROM models WHERE name = ?", [name])
    con.execute("INSERT INTO models VALUES (?, ?, ?)", [name, payload, now])


def originals(con: duckdb.DuckDBPyConnection, batch: int = 20_000) -> Iterator[list[tuple[str, str | None, str]]]:
    """Every original article (id, title, body), in id order, in batches."""
    result = con.execute("SELECT id, title, body FROM articles WHERE duplicate_of IS NULL ORDER BY id")
    while rows := result.fetchmany(batch):
        yield rows


def topic_members(con: duckdb.DuckDBPyConnection) -> dict[int, set[str]]:
    members: dict[int, set[str]] = {}
    for article_id, topic_id in con.execute("SELECT article_id, topic_id FROM article_topics").fetchall():
        members.setdefault(topic_id, set()).add(article_id)
    return members


def replace_topics(con: duckdb.DuckDBPyConnection, topics: Sequence[tuple[int, str, list[str], bool]]) -> None:
    """Make the topics table hold exactly these (id, label, terms, is_other); user labels are kept."""
    ids = [t[0] for t in topics]
    con.execute("DELETE FROM topics WHERE id NOT IN (SELECT unnest(?::INTEGER[]))", [ids])
    # An update, then an insert of the missing: DuckLake has no keys, so no ON CONFLICT.
    for topic_id, label, terms, is_other in topics:
        con.execute("UPDATE topics SET label = ?, terms = ?, is_other = ? WHERE id = ?", [label, terms, is_other, topic_id])
        ensure_topic(con, topic_id, label, is_other, terms)


def ensure_topic(con: duckdb.DuckDBPyConnection, topic_id: int, label: str, is_other: bool, terms: Sequence[str] = ()) -> None:
    con.execute("INSERT INTO topics (id, label, terms, is_other) SELECT ?, ?, ?::VARCHAR[], ? "
                "WHERE NOT EXISTS (SELECT 1 FROM topics WHERE id = ?)", [topic_id, label, list(terms), is_other, topic_id])


def assign_topics(con: duckdb.DuckDBPyConnection, rows: Sequence[tuple[str, int, float]], replace_all: bool = False) -> None:
    """(article_id, topic_id, score) rows; near-duplicates then follow their original's topic."""
    if replace_all:
        con.execute("DELETE FROM article_topics")
    else:
        con.execute("DELETE FROM article_topics WHERE article_id IN (SELECT unnest(?::VARCHAR[]))", [[r[0] for r in rows]])
    data = pa.table({
        "article_id": [r[0] for r in rows],
        "topic_id": pa.array([int(r[1]) for r in rows], pa.int32()),
        "score": pa.array([float(r[2]) for r in rows], pa.float64()),
    })
    if data.num_rows:  # each with its article's key (migrations/0004_article_keys.sql)
        con.register("incoming_topics", data)
        try:
            con.execute("INSERT INTO article_topics (article_id, topic_id, score, article_key) "
                        "SELECT i.article_id, i.topic_id, i.score, a.key FROM incoming_topics i JOIN articles a ON a.id = i.article_id")
        finally:
            con.unregister("incoming_topics")
    changed = [r[0] for r in rows]
    if not replace_all:  # near-duplicates of the changed articles follow them below
        changed += [r[0] for r in con.execute("SELECT id FROM articles WHERE duplicate_of IN (SELECT unnest(?::VARCHAR[]))",
                                              [changed]).fetchall()]
        con.execute("DELETE FROM article_topics WHERE article_id IN (SELECT id FROM articles "
                    "WHERE duplicate_of IN (SELECT unnest(?::VARCHAR[])))", [[r[0] for r in rows]])
    con.execute(
        "INSERT INTO article_topics (article_id, topic_id, score, article_key) SELECT d.id, t.topic_id, t.score, d.key FROM articles d "
        "JOIN article_topics t ON t.article_id = d.duplicate_of ANTI JOIN article_topics x ON x.article_id = d.id"
    )
    if replace_all:
        daily.refresh(con)
        retopic_article_entities(con)
    else:  # only the days and rows these articles touch: the online step stays cheap on a large corpus
        daily.refresh_days(con, changed)
        con.execute("UPDATE article_entities SET topic_id = x.topic_id FROM article_topics x "
                    "WHERE article_entities.article_id = x.article_id AND x.article_id IN (SELECT unnest(?::VARCHAR[]))", [changed])


def rename_topic(con: duckdb.DuckDBPyConnection, topic_id: int, label: str | None) -> bool:
    """Give a topic a user label (None restores the automatic one); False if no such topic."""
    if not con.execute("SELECT count(*) FROM topics WHERE id = ?", [topic_id]).fetchone()[0]:
        return False
    con.execute("UPDATE topics SET custom_label = ? WHERE id = ?", [label, topic_id])  # no UPDATE ... RETURNING on a lake
    return True


def count_originals(con: duckdb.DuckDBPyConnection) -> int:
    return con.execute("SELECT count(*) FROM articles WHERE duplicate_of IS NULL").fetchone()[0]
