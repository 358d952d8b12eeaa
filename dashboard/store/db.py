"""Connections to the DuckDB file: short-lived, retried while another process holds the lock.

DuckDB lets one process write a file at a time, and a writer excludes readers in other
processes. Every unit of work (an input file, a page query) therefore opens its own
connection and closes it at once; a connection that meets a lock retries with backoff.
"""

from __future__ import annotations

import fcntl
import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from importlib import resources
from pathlib import Path

import duckdb

from dashboard.store import daily, enrichment, search

LOCK_WAIT = 60.0
_LOCK_WORDS = ("lock", "conflicting", "being used by another process", "different configuration")


class StoreError(Exception):
    """The database cannot be opened or is not a Newsdesk database."""


def _is_lock_error(exc: Exception) -> bool:
    message = str(exc).lower()
    return any(word in message for word in _LOCK_WORDS)


def schema_sql() -> str:
    return resources.files("dashboard.store").joinpath("schema.sql").read_text(encoding="utf-8")


def _open(path: Path, read_only: bool, wait: float) -> duckdb.DuckDBPyConnection:
    deadline = time.monotonic() + wait
    delay = 0.02
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only)
        except duckdb.Error as exc:
            if not _is_lock_error(exc) or time.monotonic() >= deadline:
                if _is_lock_error(exc):
                    raise StoreError(f"{path}: busy (another process holds the lock)") from exc
                raise StoreError(f"{path}: cannot open the database: {exc}") from exc
        time.sleep(delay * (1 + random.random()))
        delay = min(delay * 2, 1.0)


@contextmanager
def connect(path: Path, read_only: bool = False, wait: float = LOCK_WAIT) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection for one unit of work; the writer's first use creates the schema."""
    if read_only and not path.exists():
        raise StoreError(f"{path}: no database yet (run `python -m dashboard ingest` first)")
    if read_only:
        _upgrade(path, wait)
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
    con = _open(path, read_only, wait)
    try:
        if not read_only:
            con.execute(schema_sql())
            with transaction(con):
                search.ensure(con)
                daily.ensure(con)
                enrichment.ensure_article_entities(con)
        yield con
    finally:
        con.close()


_CURRENT: set[Path] = set()  # databases this process has seen with every table of the schema


def _upgrade(path: Path, wait: float) -> None:
    """Give a database stored by an earlier version the current schema before it is read."""
    key = path.resolve()
    if key in _CURRENT:
        return
    con = _open(path, True, wait)
    try:
        present = _columns(con)
    finally:
        con.close()
    if not any(table == "articles" for table, _ in present):
        raise StoreError(f"{path}: not a Newsdesk database (it has no articles table)")
    if not _expected_columns() <= present:
        with connect(path, wait=wait):  # a writer's first use creates what is missing
            pass
    _CURRENT.add(key)


def _columns(con: duckdb.DuckDBPyConnection) -> set[tuple[str, str]]:
    return set(con.execute("SELECT table_name, column_name FROM information_schema.columns").fetchall())


@cache
def _expected_columns() -> frozenset[tuple[str, str]]:
    """Every (table, column) of the current schema, read from an empty database made with it."""
    with duckdb.connect() as con:
        con.execute(schema_sql())
        return frozenset(_columns(con))


@contextmanager
def exclusive(path: Path, task: str) -> Iterator[None]:
    """Hold an advisory lock so that one process at a time runs `task` on this database.

    Enrichment reads, computes for minutes without a connection, then writes: two enrichers
    at once (say a cron ingest and a poll) would both take the same articles. The second
    one waits here, then finds them done. A POSIX record lock (lockf), not flock: spaCy's
    worker processes are forked and would inherit a flock, holding it after a crash.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(f"{path}.{task}.lock", "a+b") as handle:
        fcntl.lockf(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.lockf(handle, fcntl.LOCK_UN)


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """All or nothing: commit on success, roll back on any exception."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield con
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")
