"""Connections to the store, a DuckDB file or a DuckLake (see engine.py), and its migrations.

A file: DuckDB lets one process write it at a time, and a writer excludes readers in other
processes. Every unit of work (an input file, a page query) therefore opens its own
connection and closes it at once; a connection that meets a lock retries with backoff.

A lake: every unit of work gets a cursor of the process's shared DuckDB instance; readers
never wait; ingest's transactions run side by side (claims.py), other write transactions take
turns through an advisory lock in the catalog.

Schema changes are migrations: `migrations/NNNN_name.sql`, applied in name order, each in a
transaction, and recorded by name in the `migrations` table. The first writer (or reader) of
an older database applies the missing ones. They are written for a DuckDB file; on a lake,
what DuckLake lacks (keys, indexes, list defaults) is left out (`for_lake`) and the code keeps
ids unique itself (write.py's anti-joins; article keys from a sequence in the catalog, handed out
in the writers' claim step; `check` counts any id stored or key given twice).
"""

from __future__ import annotations

import fcntl
import os
import random
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from importlib import resources
from pathlib import Path

import duckdb

from dashboard.store import daily, engine, enrichment, search
from dashboard.store.engine import Lake, StoreError, is_lake

LOCK_WAIT = 60.0
_LOCK_WORDS = ("lock", "conflicting", "being used by another process", "different configuration")
Store = Path | Lake  # what `NEWSDESK_DB` names: a file or a lake


def _is_lock_error(exc: Exception) -> bool:
    message = str(exc).lower()
    return any(word in message for word in _LOCK_WORDS)


# Migrations -----------------------------------------------------------------------------------

@cache
def migration_files() -> tuple[tuple[str, str], ...]:
    """(name, sql) of every migration, in the order they apply."""
    folder = resources.files("dashboard.store").joinpath("migrations")
    found = sorted((entry.name.removesuffix(".sql"), entry.read_text(encoding="utf-8"))
                   for entry in folder.iterdir() if entry.name.endswith(".sql"))
    return tuple(found)


def schema_sql() -> str:
    """The whole schema of a DuckDB file: every migration, in order."""
    return "\n".join(for_file(sql) for _, sql in migration_files())


_LAKE_ONLY = re.compile(r"^(\s*--[^\n]*\n)*\s*(ALTER\s+TABLE\s+\S+\s+SET\s+SORTED\s+BY\b|CALL\s+set_option\b)", re.IGNORECASE)


@cache
def for_file(sql: str) -> str:
    """A migration as a DuckDB file takes it: without the statements only a lake has (sort orders, Parquet options)."""
    with duckdb.connect() as con:
        statements = [s.query for s in con.extract_statements(sql)]
    if not any(_LAKE_ONLY.match(s) for s in statements):
        return sql
    return ";\n".join(s for s in statements if not _LAKE_ONLY.match(s))


_SORTED = re.compile(r"ALTER\s+TABLE\s+(\S+)\s+SET\s+SORTED\s+BY\b", re.IGNORECASE)


def sort_statements(applied: set[str]) -> dict[str, str]:
    """Each table the applied migrations give a lake sort order -> the statement that sets it (the latest)."""
    found: dict[str, str] = {}
    for name, sql in migration_files():
        for statement in for_lake(sql) if name in applied else ():
            if match := _SORTED.search(statement):
                found[match.group(1)] = statement
    return found


def _resort(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Set again the sort order of a lake table that lost it; their names. A table replaced whole
    (the search index's merge of pending rows, `CREATE OR REPLACE`) is a new table, unsorted."""
    wanted = sort_statements(_applied(con) or set())
    have = engine.sort_orders(con)
    missing = [table for table in wanted if table not in have]
    for table in missing:
        con.execute(wanted[table])
    return missing


_OPTION = re.compile(r"CALL\s+set_option\s*\(.*\btable_name\s*=>\s*'(\w+)'", re.IGNORECASE | re.DOTALL)


def option_tables(names: list[str]) -> list[str]:
    """The tables whose Parquet options the migrations `names` set, in the order they set them, each once."""
    found: dict[str, None] = {}
    for name, sql in migration_files():
        for statement in for_lake(sql) if name in names else ():
            if match := _OPTION.search(statement):
                found[match.group(1)] = None
    return list(found)


def rewrite_for_options(con: duckdb.DuckDBPyConnection, table: str) -> None:
    """Write a lake table's rows again (in its sort order, with its Parquet options), in one transaction.

    A table's options apply to the files written after they are set: the rows are copied, then the
    rows that were there before (row ids up to the last committed one) deleted, which drops their
    files whole (no deletion file). Readers meanwhile read the snapshot before, the same rows."""
    with _plain_transaction(con):
        (last,) = con.execute(f'SELECT max(rowid) FROM "{table}"').fetchone()
        if last is None:
            return
        con.execute(f'INSERT INTO "{table}" SELECT * FROM "{table}"')
        con.execute(f'DELETE FROM "{table}" WHERE rowid <= $last', {"last": last})


_LAKE_DROPS = re.compile(r"\s+(PRIMARY KEY|UNIQUE|DEFAULT \[\])", re.IGNORECASE)
_INDEX = re.compile(r"^\s*CREATE\s+(UNIQUE\s+)?INDEX\b", re.IGNORECASE)


@cache
def for_lake(sql: str) -> tuple[str, ...]:
    """A migration's statements as DuckLake takes them: no keys, indexes or list defaults."""
    with duckdb.connect() as con:
        statements = con.extract_statements(sql)
    return tuple(_LAKE_DROPS.sub("", s.query) for s in statements if not _INDEX.match(s.query))


_RECORD = "CREATE TABLE IF NOT EXISTS migrations (name VARCHAR NOT NULL, applied TIMESTAMP NOT NULL)"


def _applied(con: duckdb.DuckDBPyConnection) -> set[str] | None:
    """Names of the migrations recorded; None when the database predates the record."""
    try:
        return {row[0] for row in con.execute("SELECT name FROM main.migrations").fetchall()}
    except duckdb.CatalogException:
        return None


def _pending(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """The migrations to apply: those not recorded; or, when the records say the schema is
    current and its tables say otherwise (a table dropped by hand), all of them again: each is
    written to be idempotent, and what they make is what earlier versions lacked."""
    done = _applied(con) or set()
    pending = [(name, sql) for name, sql in migration_files() if name not in done]
    if not pending and not _expected_columns() <= _columns(con):
        pending = list(migration_files())
    return pending


def _columns(con: duckdb.DuckDBPyConnection) -> set[tuple[str, str]]:
    return set(con.execute("SELECT table_name, column_name FROM information_schema.columns "
                           "WHERE table_catalog = current_database()").fetchall())


@cache
def _expected_columns() -> frozenset[tuple[str, str]]:
    """Every (table, column) of the current schema, read from an empty database made with it."""
    with duckdb.connect() as con:
        con.execute(schema_sql())
        return frozenset(_columns(con))


def migrate(con: duckdb.DuckDBPyConnection, lake: bool = False) -> list[str]:
    """Apply the missing migrations in order, each with its record in one transaction; their names."""
    pending = _pending(con)
    if not pending:
        return []
    done = _applied(con) or set()
    for name, sql in pending:
        with _plain_transaction(con):
            con.execute(_RECORD)
            for statement in (for_lake(sql) if lake else (for_file(sql),)):
                if statement.strip():
                    con.execute(statement)
            if name not in done:
                con.execute("INSERT INTO migrations VALUES (?, now()::TIMESTAMP)", [name])
    if not lake:
        # DuckDB 1.5.5 cannot replay from the write-ahead log an ALTER ... ADD COLUMN on a table
        # with a list default (articles.labels, topics.terms): a process killed after an upgrade
        # and before its next checkpoint would leave a file that no longer opens.
        con.execute("CHECKPOINT")
    return [name for name, _ in pending]


def _derive(con: duckdb.DuckDBPyConnection) -> None:
    """Build the derived tables (search index, daily counts, article entities) of a database that
    has articles but not them: an older one, or one whose index was emptied. A few EXISTS queries
    when there is nothing to do."""
    with _plain_transaction(con):
        search.ensure(con)
        daily.ensure(con)
        enrichment.ensure_article_entities(con)


def _has_articles(con: duckdb.DuckDBPyConnection) -> bool:
    return bool(con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'articles' "
                            "AND table_catalog = current_database()").fetchone()[0])


# Connections ----------------------------------------------------------------------------------

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


_lake_of: dict[int, Lake] = {}  # id of an open lake cursor -> its lake, for `transaction`
_CURRENT: set[Path | Lake] = set()  # stores this process has seen with every migration applied


@contextmanager
def connect(db: Store, read_only: bool = False, wait: float = LOCK_WAIT) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection for one unit of work; the first use of a store brings its schema up to date."""
    if is_lake(db):
        with _connect_lake(db) as con:
            yield con
        return
    path = Path(db)
    if read_only and not path.exists():
        raise StoreError(f"{path}: no database yet (run `python -m dashboard ingest` first)")
    if read_only:
        _upgrade(path, wait)
    elif not path.exists():
        _create(path)
    con = _open(path, read_only, wait)
    try:
        if not read_only:
            migrate(con)
            _derive(con)
        yield con
    finally:
        con.close()


@contextmanager
def _connect_lake(lake: Lake) -> Iterator[duckdb.DuckDBPyConnection]:
    con = engine.cursor(lake)
    _lake_of[id(con)] = lake
    try:
        if lake not in _CURRENT:  # once per process: a lake has no file for an older version to be in
            with engine.advisory(lake, "write"):  # one process migrates; the others then find it done
                if _pending(con):  # the rows inlined under the old columns go to Parquet before they change:
                    engine.flush_inlined(con)  # DuckLake cannot flush them by a sort key they lack
                changed = migrate(con, lake=True)
                for table in option_tables(changed):
                    rewrite_for_options(con, table)
                _derive(con)
                _resort(con)
                if changed:
                    engine.flush_inlined(con)
                    engine.drop_deleted_rows(con)
                if not con.execute("SELECT EXISTS (SELECT 1 FROM articles)").fetchone()[0]:
                    engine.settle_empty_tables(con)  # a new lake: no page shows it yet
            _CURRENT.add(lake)
        yield con
    finally:
        _lake_of.pop(id(con), None)
        con.close()


def _create(path: Path) -> None:
    """Make a new database file whole or not at all.

    DuckDB creates the file on connect, before any table: a process killed in the second its
    migrations take would leave a file that is not a Newsdesk database, which `check` and every
    page then refuse. The schema is written into a file of this process's own and linked into
    place (a link, unlike a rename, never replaces a file another process made meanwhile)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    draft = path.with_name(f".{path.name}.{os.getpid()}.new")
    draft.unlink(missing_ok=True)
    try:
        with duckdb.connect(str(draft)) as con:
            migrate(con)  # ends with a checkpoint: the draft has no write-ahead log left
        os.link(draft, path)
    except FileExistsError:
        pass  # another process made it first, with the same schema
    except OSError:  # a file system without hard links
        if not path.exists():
            os.replace(draft, path)
    finally:
        draft.unlink(missing_ok=True)


def _upgrade(path: Path, wait: float) -> None:
    """Give a database stored by an earlier version the current schema before it is read."""
    key = path.resolve()
    if key in _CURRENT:
        return
    con = _open(path, True, wait)
    try:
        pending = _pending(con)
        has_articles = _has_articles(con)
    finally:
        con.close()
    if not has_articles:
        raise StoreError(f"{path}: not a Newsdesk database (it has no articles table)")
    if pending:
        with connect(path, wait=wait):  # a writer's first use applies what is missing
            pass
    _CURRENT.add(key)


def snapshot(db: Store) -> tuple[int, int]:
    """Changes whenever the store does: a lake's snapshot id; a file's (and its log's) modification time."""
    if is_lake(db):
        with connect(db, read_only=True) as con:
            return (engine.snapshot(con), 0)
    path = Path(db)
    stamps = [p.stat().st_mtime_ns for p in (path, Path(f"{path}.wal")) if p.exists()]
    return (max(stamps, default=0), len(stamps))


@contextmanager
def exclusive(db: Store, task: str) -> Iterator[None]:
    """Hold an advisory lock so that one process at a time runs `task` on this database.

    Enrichment reads, computes for minutes without a connection, then writes: two enrichers
    at once (say a cron ingest and a poll) would both take the same articles. The second
    one waits here, then finds them done. On a file, a POSIX record lock (lockf), not flock:
    spaCy's worker processes are forked and would inherit a flock, holding it after a crash.
    On a lake, a PostgreSQL advisory lock, which the server drops with a dead process's connection.
    """
    if is_lake(db):
        with engine.advisory(db, task):
            yield
        return
    path = Path(db)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(f"{path}.{task}.lock", "a+b") as handle:
        fcntl.lockf(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.lockf(handle, fcntl.LOCK_UN)


_transacting: set[int] = set()  # connections (by id) inside a transaction begun here


@contextmanager
def _plain_transaction(con: duckdb.DuckDBPyConnection, begin: str = "BEGIN TRANSACTION") -> Iterator[duckdb.DuckDBPyConnection]:
    con.execute(begin)
    _transacting.add(id(con))
    try:
        yield con
    except BaseException:
        con.execute("ROLLBACK")
        raise
    finally:
        _transacting.discard(id(con))
    con.execute("COMMIT")


@contextmanager
def one_snapshot(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """The block's statements in one read-only transaction on a lake, so that they read one snapshot; as they
    are on a file, or inside a transaction already (a writer's, whose snapshot and own rows they then read)."""
    if _lake_of.get(id(con)) is None or id(con) in _transacting:
        yield con
        return
    with _plain_transaction(con, "BEGIN TRANSACTION READ ONLY"):
        yield con


def in_transaction(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the connection is inside a transaction begun here (a writer's, or a query's read transaction)."""
    return id(con) in _transacting


def lake_of(con: duckdb.DuckDBPyConnection) -> Lake | None:
    """The lake a connection from `connect` reads, or None for a file's."""
    return _lake_of.get(id(con))


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection, shared: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    """All or nothing: commit on success, roll back on any exception.

    On a lake, write transactions take turns (an advisory lock from before BEGIN to after
    COMMIT): each one then reads what every earlier one wrote, and no commit conflicts.
    `shared`: ingest's transactions, which keep articles unique through claims (claims.py) and
    retry a conflicting commit themselves, hold the lock shared: they never wait on each other.
    """
    lake = _lake_of.get(id(con))
    if lake is None:
        with _plain_transaction(con):
            yield con
        return
    with engine.advisory(lake, "write", shared=shared), _plain_transaction(con):
        yield con
