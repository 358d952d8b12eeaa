"""The export queries. Field names and order are a public contract: change only on purpose."""

from __future__ import annotations

import contextlib
import re
import unicodedata
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO

import duckdb
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from dashboard.store import selection
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


def selection_sql(con: duckdb.DuckDBPyConnection, f: Filters, fmt: str = "csv", undated: bool = False) -> tuple[str, dict[str, Any]]:
    """SELECT of every article of the selection (newest first) with the SELECTION_FIELDS, and its parameters.

    In CSV the entities and labels are one text joined by "; " (as the CLI writes lists) and the
    date is text; in Parquet they stay lists and a timestamp. `undated` keeps the undated articles only.
    """
    found = selection.lookup(con, f)
    where, inner = selection.on_articles(f, found, "a"), selection.on_articles(f, found, "b")
    if undated:
        where, inner = selection.both(where, selection.Clause("a.published IS NULL")), selection.both(inner, selection.Clause("b.published IS NULL"))
    # list_sort of (-mentions, name) pairs rather than an ordered aggregate: DuckDB keeps every row of
    # an ordered aggregate in memory, which a million articles' entities do not fit in 512 MB.
    entities = "coalesce(list_transform(list_sort(n.entities), p -> p.name), [])"
    labels, published = "a.labels", "a.published"
    if fmt == "csv":
        entities, labels, published = f"array_to_string({entities}, '; ')", "array_to_string(a.labels, '; ')", "a.published::VARCHAR"
    sql = f"""
        WITH names AS (
            SELECT x.article_id, list(struct_pack(rank := -x.mentions, name := e.name)) AS entities
            FROM article_entities x JOIN entities e ON e.id = x.entity_id
            WHERE x.article_id IN (SELECT b.id FROM articles b WHERE {inner.sql})
            GROUP BY x.article_id)
        SELECT a.id, a.external_id, a.source, a.url, a.title, a.kicker, a.body, {published} AS published,
               t.id AS topic_id, coalesce(t.custom_label, t.label) AS topic_label, a.duplicate_of, {labels} AS labels,
               s.story_id, a.lang, {entities} AS entities
        FROM articles a
        LEFT JOIN article_topics art ON art.article_id = a.id
        LEFT JOIN topics t ON t.id = art.topic_id
        LEFT JOIN article_stories s ON s.article_id = a.id
        LEFT JOIN names n ON n.article_id = a.id
        WHERE {where.sql}
        ORDER BY a.published DESC NULLS LAST, a.id"""
    return sql, selection.both(where, inner).params


WINDOW_ARTICLES = 100_000  # articles read, sorted and written at a time
BATCH_ROWS = 10_000


def windows(con: duckdb.DuckDBPyConnection, f: Filters) -> list[Filters]:
    """The selection cut into runs of whole days of at most about WINDOW_ARTICLES articles, newest first.

    Written one after the other, they give the selection in its order (newest first), and each
    needs only its own articles in memory. The undated articles, last, are the caller's.
    """
    days = con.execute("SELECT day, sum(articles) FROM daily_counts WHERE day IS NOT NULL AND (?::DATE IS NULL OR day >= ?) "
                       "AND (?::DATE IS NULL OR day <= ?) GROUP BY day ORDER BY day DESC", [f.start, f.start, f.end, f.end]).fetchall()
    cuts: list[Filters] = []
    last, count = None, 0
    for day, articles in days:
        last = last or day
        count += articles
        if count >= WINDOW_ARTICLES:
            cuts.append(replace(f, start=day, end=last))
            last, count = None, 0
    if last:
        cuts.append(replace(f, start=days[-1][0], end=last))
    return cuts


# What the dashboard serves in one download. Streamlit (1.67) serves a download from memory:
# st.download_button turns whatever it is given (bytes, an open file, a callable's result) into
# bytes with `read()` and keeps them in its in-memory media store until the session lets go. So a
# larger selection is offered in parts of whole days of about this many articles. Measured: a CSV
# row is the article's text plus some 200 bytes (615 bytes a row for the synthetic corpus's 412),
# so at the 2.3 KB of text of a BBC News article a part is about 60 MB of CSV; Parquet (zstd) is
# a fifth of the CSV there.
DOWNLOAD_ARTICLES = 25_000


def download_parts(days: list[tuple[date, int]], undated: int, size: int = DOWNLOAD_ARTICLES) -> list[tuple[date | None, date | None, int]]:
    """The selection cut into downloads of whole days of about `size` articles, newest first: (first day, last
    day, articles) from its articles per day, then (None, None, count) for its undated articles."""
    cuts: list[tuple[date | None, date | None, int]] = []
    first = last = None
    count = 0
    for day, articles in sorted(days, reverse=True):
        if last is not None and count + articles > size:
            cuts.append((first, last, count))
            last, count = None, 0
        last = last or day
        first, count = day, count + articles
    if last is not None:
        cuts.append((first, last, count))
    if undated:
        cuts.append((None, None, undated))
    return cuts


def parts(con: duckdb.DuckDBPyConnection, f: Filters) -> list[tuple[Filters, bool]]:
    """The runs an export of the selection reads, in order: (filters, undated only) pairs."""
    return [*((w, False) for w in windows(con, f)), (f, True)]


class SelectionFile:
    """A CSV (with a header) or Parquet file of a selection, appended to one run at a time (`append`).

    Each run may come through its own connection: a caller that opens one per run lets a
    writer in another process (an ingest) in between runs instead of waiting for the whole export.
    """

    def __init__(self, path: Path, fmt: str = "csv") -> None:
        if fmt not in FORMATS:
            raise ValueError(f"unknown export format {fmt!r}")
        self.path, self.fmt, self.written = path, fmt, 0
        self._out = path.open("wb")
        self._writer: pa_csv.CSVWriter | pq.ParquetWriter | None = None

    def append(self, con: duckdb.DuckDBPyConnection, part: Filters, undated: bool) -> int:
        """Add the run's articles, sorted by DuckDB within EXPORT_MEMORY, in Arrow batches of BATCH_ROWS."""
        # The memory limit belongs to the database instance, which other connections of the process may
        # share: put it back. The spill folder can only be chosen before the instance first spills.
        saved = con.execute("SELECT current_setting('memory_limit')").fetchone()[0]
        con.execute(f"SET memory_limit = '{EXPORT_MEMORY}'")
        with contextlib.suppress(duckdb.Error):
            con.execute(f"SET temp_directory = '{_quoted(self.path.parent / (self.path.name + '.spill'))}'")
        try:
            sql, params = selection_sql(con, part, self.fmt, undated)
            reader = con.execute(sql, params).to_arrow_reader(BATCH_ROWS)
            self._writer = self._writer or _writer(self._out, reader.schema, self.fmt)
            for batch in reader:
                self._writer.write(batch)
                self.written += batch.num_rows
        finally:
            con.execute(f"SET memory_limit = '{_quoted(_restorable(saved))}'")
        return self.written

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
        self._out.close()


def _restorable(shown: str) -> str:
    """A memory limit as DuckDB shows it ("9.3 GiB"), written so that setting it gives back the same figure.

    DuckDB shows the limit cut to a tenth of its unit, and cuts again when it is set: putting back
    "9.3 GiB" gives "9.2 GiB", and each export would shrink the instance's limit a little more.
    Half a tenth more lands inside the same tenth.
    """
    number, _, unit = shown.partition(" ")
    try:
        value = float(number)
    except ValueError:
        return shown
    return shown if unit in ("", "bytes") else f"{value + 0.05:.2f} {unit}"


def write_selection(con: duckdb.DuckDBPyConnection, f: Filters, path: Path, fmt: str = "csv") -> int:
    """Write every article of the selection to `path` as CSV (with a header) or Parquet; returns the rows written.

    The selection is read a run of days at a time (`windows`), each run sorted by DuckDB within
    EXPORT_MEMORY and handed over as Arrow batches of BATCH_ROWS, which pyarrow appends to the
    file: memory stays bounded by a run's articles, not by the selection's.
    """
    out = SelectionFile(path, fmt)
    try:
        for part, undated in parts(con, f):
            out.append(con, part, undated)
    finally:
        out.close()
    return out.written


def _writer(out: BinaryIO, schema: pa.Schema, fmt: str) -> pa_csv.CSVWriter | pq.ParquetWriter:
    """A CSV writer (header as plain names; every text value quoted, numbers and dates not: pyarrow's "needed" style
    quotes each value whose type could hold a quote) or a zstd Parquet writer."""
    if fmt == "parquet":
        return pq.ParquetWriter(out, schema, compression="zstd")
    out.write((",".join(schema.names) + "\n").encode())
    return pa_csv.CSVWriter(out, schema, write_options=pa_csv.WriteOptions(include_header=False, quoting_style="needed"))


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
