"""Full-text search over titles and bodies: an inverted index of words kept in DuckDB.

A search is a list of words (see words.py). An article matches when it has every word, in any
case and with or without accents; `word*` matches any word that begins so. Chinese is searched
by its words (jieba's cut, traditional read as simplified), and a Chinese word no article was
indexed under (a name cut differently in context) by its characters, as Japanese always is: so
`卓榮泰` finds the articles that name Cho Jung-tai in either script. A search with
no word of two letters or more (`U.S.`, `%`) is looked up as plain text in every article.

The index is one row per (term, article). `search_terms` is stored sorted by term, so DuckDB's
per-block min/max statistics let a lookup read only the few blocks that hold the term: a
word is found among a million articles in milliseconds. New articles go to the small,
unsorted `search_pending` until `compact` merges it in.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import duckdb
import pyarrow as pa

from dashboard.store import daily
from dashboard.words import is_chinese_word, parse, terms

MAX_EXPANSION = 50  # words a prefix is looked up as, one by one; past that, as a range
_LOOKUP = "SELECT article_key FROM search_postings WHERE term = {}"
PENDING_MIN = 4_000_000  # pending rows (some 50,000 articles) below which merging is not worth a sort
PENDING_SHARE = 8  # ... and above which pending is merged once it is 1/8 of the sorted rows
_TOP = "\U0010ffff"  # sorts after every character: a prefix's upper bound
_BATCH = 20_000
SORT_MEMORY = "1GB"


def lookup(con: duckdb.DuckDBPyConnection, query: str, ranges: bool = False) -> tuple[str, dict[str, Any], bool] | None:
    """SQL selecting the keys (articles.key) of the articles with every word of `query`, with its `$term_N`
    parameters (named for the selection's other filters to sit beside), and whether it lists each key
    once (a word's rows: an article is indexed under each of its words once; or INTERSECT's); None if
    it has no word. A prefix's words are each an article's, so one article may be listed more than once.

    `ranges`: a prefix is read as the range of its words, never expanded (for a caller that knows the
    size of what it finds, selection.kept): on a lake, each of the words' lookups cost its own catalog
    queries, `export*` 25 of them and 85 ms of CPU for each query of a page."""
    words, prefixes = parse(query)
    if not words and not prefixes:
        return None
    groups: list[str] = []  # articles with the word, or with any word of the prefix; then all groups
    params: dict[str, Any] = {}

    def named(value: str) -> str:
        name = f"term_{len(params)}"
        params[name] = value
        return "$" + name

    for word in words:
        for term in _indexed_as(con, word):
            groups.append(_LOOKUP.format(named(term)))
    for prefix in prefixes:
        if ranges:
            groups.append(f"SELECT article_key FROM search_postings WHERE term >= {named(prefix)} AND term < {named(prefix + _TOP)}")
            continue
        found = expand(con, prefix)
        if not found:
            return "SELECT article_key FROM search_postings WHERE FALSE", {}, True
        if len(found) > MAX_EXPANSION:
            groups.append(f"SELECT article_key FROM search_postings WHERE term >= {named(prefix)} AND term < {named(prefix + _TOP)}")
        else:  # one lookup per word: DuckDB then sizes the join by these few rows, not by the whole range
            groups.append("SELECT article_key FROM (" + " UNION ALL ".join(_LOOKUP.format(named(t)) for t in found) + ")")
    distinct = len(groups) > 1 or not prefixes
    return " INTERSECT ".join(groups), params, distinct


def one_term(name: str) -> str:
    """The lookup of one term given as the parameter `name` (`$term_0`): what `lookup` makes of a single word."""
    return _LOOKUP.format(name)


def _indexed_as(con: duckdb.DuckDBPyConnection, word: str) -> list[str]:
    """The terms to look a word up by: itself, or for a Chinese word no article has, its characters."""
    if is_chinese_word(word) and not con.execute("SELECT EXISTS (SELECT 1 FROM search_postings WHERE term = ?)", [word]).fetchone()[0]:
        return list(dict.fromkeys(word))
    return [word]


def expand(con: duckdb.DuckDBPyConnection, prefix: str) -> list[str]:
    """The indexed words that begin with `prefix` (one more than MAX_EXPANSION at most)."""
    return [row[0] for row in con.execute(
        "SELECT DISTINCT term FROM search_postings WHERE term >= ? AND term < ? ORDER BY term LIMIT ?",
        [prefix, prefix + _TOP, MAX_EXPANSION + 1]).fetchall()]


def prepare(title: str | None, body: str) -> str:
    """An article's search terms, space-separated (words hold no spaces: DuckDB splits them apart again)."""
    return " ".join(terms(f"{title or ''} {body}"))


def add(con: duckdb.DuckDBPyConnection, articles: Iterable[tuple[int, str, str | None, str]], prepared: dict[str, str] | None = None) -> None:
    """Index (key, id, title, body) of new articles; `prepared` holds the terms of some (by id), computed beforehand."""
    keys: list[int] = []
    found: list[str] = []
    prepared = prepared or {}
    for key, article_id, title, body in articles:
        keys.append(key)
        found.append(prepared[article_id] if article_id in prepared else prepare(title, body))
    if not keys:
        return
    con.register("incoming_terms", pa.table({"article_key": pa.array(keys, pa.int64()), "terms": found}))
    try:
        con.execute("INSERT INTO search_pending (term, article_key) SELECT unnest(string_split(terms, ' ')), article_key FROM incoming_terms WHERE terms <> ''")
    finally:
        con.unregister("incoming_terms")


def forget(con: duckdb.DuckDBPyConnection, article_ids: Sequence[str]) -> None:
    """Drop the index rows of these articles (by id: call it before deleting the articles)."""
    for table in ("search_terms", "search_pending"):
        con.execute(f"DELETE FROM {table} WHERE article_key IN (SELECT key FROM articles WHERE id IN (SELECT unnest(?::VARCHAR[])))",
                    [list(article_ids)])


def compact(con: duckdb.DuckDBPyConnection, force: bool = False) -> bool:
    """Merge pending rows into the sorted table when there are enough of them; True if merged."""
    pending, sorted_rows = con.execute(
        "SELECT (SELECT count(*) FROM search_pending), (SELECT count(*) FROM search_terms)").fetchone()
    if not pending or (not force and pending < max(PENDING_MIN, sorted_rows // PENDING_SHARE)):
        return False
    # Rewriting the whole table keeps it one sorted run: each term's rows sit together. The
    # sort spills to disk beyond the memory limit (75 M rows: 32 s in 1.2 GB, not 19 s in 7.6 GB).
    with _memory_limit(con, SORT_MEMORY):
        con.execute("CREATE OR REPLACE TABLE search_terms AS SELECT term, article_key FROM search_postings ORDER BY term")
    con.execute("DELETE FROM search_pending")
    return True


@contextmanager
def _memory_limit(con: duckdb.DuckDBPyConnection, limit: str) -> Iterator[None]:
    con.execute(f"SET memory_limit = '{limit}'")
    try:
        yield
    finally:
        con.execute("RESET memory_limit")


def rebuild(con: duckdb.DuckDBPyConnection) -> None:
    """Index every stored article afresh."""
    with _memory_limit(con, SORT_MEMORY):  # a transaction's new rows spill to disk too
        con.execute("DELETE FROM search_pending")
        con.execute("DELETE FROM search_terms")
        result = con.cursor().execute("SELECT key, id, title, body FROM articles")
        while rows := result.fetchmany(_BATCH):
            add(con, rows)
    compact(con, force=True)
    daily.refresh_terms(con)  # the words may be indexed differently: their counts follow


def ensure(con: duckdb.DuckDBPyConnection) -> None:
    """Build the index of a database stored before it existed."""
    empty, has_articles = con.execute(
        "SELECT NOT EXISTS (SELECT 1 FROM search_postings), EXISTS (SELECT 1 FROM articles)").fetchone()
    if empty and has_articles:
        rebuild(con)
