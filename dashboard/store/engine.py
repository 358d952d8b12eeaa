"""Where the data lives: one DuckDB file (the default) or a DuckLake shared by many processes.

`NEWSDESK_DB` / `--db` is either a file path or a lake address:

    ducklake:postgres:dbname=newsdesk host=db.example port=5432 user=newsdesk data_path=/srv/newsdesk-lake/

that is DuckDB's own `ducklake:postgres:` attach string (libpq keywords: dbname, host, port,
user, ...; the password belongs in PGPASSWORD or ~/.pgpass, never in the address) plus
`data_path=` for where the Parquet files go: a folder every process mounts, or `s3://bucket/prefix/`.
`data_path` is needed only by the first process, which creates the lake: the catalog remembers it.

A lake is a server, not a file: there is no file lock, so every process of a host shares one
DuckDB instance with the lake attached, and each unit of work gets a cursor of it (attaching
costs about 0.1 s and loading the extensions 0.3 s; a cursor costs well under a millisecond).
Readers never wait: each transaction reads the snapshot current when it starts. Ingest's writers
write side by side (claims.py keeps each article stored once); other writes (migrations,
enrichment, admin changes) take turns through a PostgreSQL advisory lock (see `advisory`).
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb

PREFIX = "ducklake:"
CATALOG = "lake"  # the lake's name inside each DuckDB instance; `USE lake` makes it the default
LOCKS = "newsdesk_locks"  # the catalog database attached through postgres_scanner, for advisory locks
_DATA_PATH = re.compile(r"(?:^|\s)data_path\s*=\s*('(?:[^'\\]|\\.)*'|\S+)")
_PASSWORD = re.compile(r"(password\s*=\s*)('(?:[^'\\]|\\.)*'|\S+)")


class StoreError(Exception):
    """The database cannot be opened or is not a Newsdesk database."""


class LakeError(StoreError):
    """A lake address that cannot be used (bad format, catalog unreachable)."""


@dataclass(frozen=True)
class Lake:
    """A DuckLake address: PostgreSQL catalog (libpq keywords) and the folder or bucket of its data."""

    address: str
    catalog: str
    data_path: str | None

    def __str__(self) -> str:  # what is passed on to child processes (`--db`)
        return self.address

    def __fspath__(self) -> str:  # what pages show: the password, if any, hidden
        return _PASSWORD.sub(r"\1***", self.address)

    @property
    def name(self) -> str:
        return "lake"

    @property
    def parent(self) -> Path:
        """A local folder for files kept beside the database (the data folder when it is local)."""
        if self.data_path and "://" not in self.data_path:
            return Path(self.data_path)
        return Path.cwd()

    def exists(self) -> bool:
        """Whether the lake holds articles: a lake without any is what a missing file is to the
        first run (which seeds it). Once seen, remembered: a lake is not emptied by the app. A
        catalog out of reach counts as existing, so that pages, not the first run, report it."""
        if self.address in _filled:
            return True
        try:
            con = cursor(self)
            try:
                filled = con.execute("SELECT EXISTS (SELECT 1 FROM information_schema.tables WHERE table_name = 'articles' "
                                     "AND table_catalog = current_database())").fetchone()[0] and \
                    con.execute("SELECT EXISTS (SELECT 1 FROM articles)").fetchone()[0]
            finally:
                con.close()
        except (duckdb.Error, LakeError):
            return True
        if filled:
            _filled.add(self.address)
        return bool(filled)

    def resolve(self) -> Lake:
        return self


_filled: set[str] = set()  # lakes this process has seen hold articles


def is_lake(db: object) -> bool:
    return isinstance(db, Lake)


def parse(address: str) -> Lake:
    """A lake address -> Lake; LakeError naming the problem when it is not one Newsdesk can use."""
    rest, shown = address[len(PREFIX):], _PASSWORD.sub(r"\1***", address)
    if not rest.startswith("postgres:"):
        raise LakeError(f"{shown}: a lake address starts with ducklake:postgres: (only PostgreSQL catalogs take many writers)")
    conninfo = rest[len("postgres:"):]
    match = _DATA_PATH.search(conninfo)
    data_path = None
    if match:
        data_path = match.group(1).strip("'")
        conninfo = (conninfo[:match.start()] + " " + conninfo[match.end():]).strip()
        if not data_path.startswith("s3://"):
            data_path = os.path.join(os.path.abspath(data_path), "")
    if "dbname" not in conninfo:
        raise LakeError(f"{shown}: the catalog needs dbname=... (e.g. ducklake:postgres:dbname=newsdesk host=localhost data_path=lake/)")
    return Lake(address=address, catalog=conninfo, data_path=data_path)


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _extensions(con: duckdb.DuckDBPyConnection, names: tuple[str, ...]) -> None:
    """Load extensions from their PyPI wheels (INSTALL would download them)."""
    from duckdb_extensions import import_extension

    for name in names:
        try:
            con.execute(f"LOAD {name}")
        except duckdb.Error:
            import_extension(name, con=con)
            con.execute(f"LOAD {name}")


_instances: dict[tuple[int, str], duckdb.DuckDBPyConnection] = {}
_instances_lock = threading.Lock()


def _attach(lake: Lake) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    try:
        needed = ("postgres_scanner", "ducklake") + (("httpfs",) if (lake.data_path or "").startswith("s3://") else ())
        _extensions(con, needed)
        if (lake.data_path or "").startswith("s3://"):
            con.execute("CREATE OR REPLACE SECRET newsdesk_s3 (TYPE s3, PROVIDER credential_chain)")
        if lake.data_path and "://" not in lake.data_path:
            os.makedirs(lake.data_path, exist_ok=True)
        options = f" (DATA_PATH {_quote(lake.data_path)})" if lake.data_path else ""
        con.execute(f"ATTACH {_quote(lake.catalog)} AS {LOCKS} (TYPE postgres)")
        # The first ATTACH creates the catalog's tables: processes that start together on a new
        # lake would both try (a duplicate-key error in PostgreSQL), so they attach in turn.
        holder = con.cursor()
        try:
            holder.execute("BEGIN")
            holder.execute(f"CALL postgres_execute('{LOCKS}', 'SELECT pg_advisory_xact_lock({_key('attach')})')")
            con.execute(f"ATTACH {_quote('ducklake:postgres:' + lake.catalog)} AS {CATALOG}{options}")
            holder.execute("COMMIT")
        finally:
            holder.close()
        # Commits that race for the next snapshot are retried by DuckLake itself when they do
        # not touch the same rows; Newsdesk's ingests only insert (claims.py), so few conflict.
        con.execute("SET ducklake_max_retry_count = 100")
    except (duckdb.Error, OSError) as exc:
        con.close()
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise LakeError(f"{os.fspath(lake)}: cannot open the lake: {first}") from exc
    return con


def instance(lake: Lake) -> duckdb.DuckDBPyConnection:
    """This process's DuckDB instance with the lake attached (a forked child makes its own)."""
    key = (os.getpid(), lake.address)
    with _instances_lock:
        con = _instances.get(key)
        if con is None:
            con = _instances[key] = _attach(lake)
        return con


def cursor(lake: Lake) -> duckdb.DuckDBPyConnection:
    """A connection of its own (own transaction) to the shared instance, reading the lake by default."""
    cur = instance(lake).cursor()
    cur.execute(f"USE {CATALOG}")
    return cur


def snapshot(con: duckdb.DuckDBPyConnection) -> int:
    """The lake's latest snapshot id: it changes with every commit by any process."""
    return con.execute(f"SELECT id FROM ducklake_current_snapshot('{CATALOG}')").fetchone()[0]


_METADATA = f"__ducklake_metadata_{CATALOG}"  # DuckLake's name for the attached catalog database


def _placeholder(data_type: str) -> str:
    """A value of this column type, for a row that is written and deleted in one transaction."""
    if data_type.endswith("[]"):
        return f"[]::{data_type}"
    if data_type.startswith(("DATE", "TIMESTAMP")):
        return f"'1970-01-01'::{data_type}"
    return f"'0'::{data_type}" if data_type != "BLOB" else "''::BLOB"


def settle_empty_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Give statistics to the lake's tables that were never written; their names.

    DuckLake caches a table's statistics for the planner, but not their absence: a table never
    written (the search index's pending rows after `migrate`, stories before the first clustering)
    costs its 5-6 catalog queries again for every column of every query that reads it: 13 catalog
    round trips for a query on an empty table, 2 once it has statistics. A search read the empty
    pending table that way, 140 of a search page's 365 catalog queries (a third of their time).
    A row inserted, committed, then deleted gives the table statistics. Not in one transaction:
    DuckLake 1.5.5 then keeps the row's values in the table's min/max, which it answers min() and
    max() from (a date span starting in 1970); a delete of its own makes it read the rows instead.
    Between the two commits the row is there to be read: call it on a lake no page shows yet.
    """
    never = [row[0] for row in con.execute(
        f"SELECT table_name FROM {_METADATA}.ducklake_table WHERE end_snapshot IS NULL "
        f"AND table_id NOT IN (SELECT table_id FROM {_METADATA}.ducklake_table_stats) ORDER BY table_name").fetchall()]
    settled = []
    for table in never:
        columns = con.execute("SELECT column_name, data_type, is_nullable = 'YES' FROM information_schema.columns "
                              "WHERE table_catalog = current_database() AND table_schema = 'main' AND table_name = ? "
                              "ORDER BY ordinal_position", [table]).fetchall()
        names = ", ".join(f'"{name}"' for name, _, _ in columns)
        values = ", ".join("NULL" if nullable else _placeholder(data_type) for _, data_type, nullable in columns)
        try:
            con.execute(f'INSERT INTO "{table}" ({names}) VALUES ({values})')
        except duckdb.Error:  # a type with no placeholder: the table keeps costing catalog queries, nothing worse
            continue
        con.execute(f'DELETE FROM "{table}"')
        settled.append(table)
    return settled


def flush_inlined(con: duckdb.DuckDBPyConnection) -> None:
    """Write rows kept in the catalog (DuckLake inlines inserts of a few rows) to Parquet, which also
    drops the inlined-rows tables of a table's earlier columns. Each migration that changed a table
    left one: every query then looked each of them up, twice (articles: 12 catalog queries per
    query after migrations 0001-0007, 6 after this)."""
    con.execute(f"CALL ducklake_flush_inlined_data('{CATALOG}')")


def drop_deleted_rows(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Write again the files of the lake's tables that hold rows, where those files hold mostly deleted rows
    (DuckLake's default: 95 % or more), which drops the files whose rows are all deleted; the tables' names.

    Flushing inlined rows that were inserted and deleted leaves such a file and its deletion file in each table: a
    Parquet file and a deletion file more for every query to open (on a million articles, in every table but two
    after migration 0008's flush). An empty table keeps its: they are what gives it statistics (see
    `settle_empty_tables`), without which every query reading it asks the catalog for them again."""
    tables = [row[0] for row in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_catalog = current_database() AND table_schema = 'main' "
        "AND table_type = 'BASE TABLE' ORDER BY table_name").fetchall()]
    filled = [t for t in tables if con.execute(f'SELECT EXISTS (SELECT 1 FROM "{t}")').fetchone()[0]]
    for table in filled:
        con.execute(f"CALL ducklake_rewrite_data_files('{CATALOG}', {_quote(table)})")
    return filled


def sort_orders(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Each sorted table of the lake -> its sort order as written (`published DESC, id`)."""
    return dict(con.execute(f"""
        SELECT t.table_name, string_agg(e.expression || CASE WHEN e.sort_direction = 'DESC' THEN ' DESC' ELSE '' END, ', '
                                        ORDER BY e.sort_key_index)
        FROM {_METADATA}.ducklake_sort_info i JOIN {_METADATA}.ducklake_sort_expression e USING (sort_id)
        JOIN {_METADATA}.ducklake_table t ON t.table_id = i.table_id
        WHERE i.end_snapshot IS NULL AND t.end_snapshot IS NULL GROUP BY t.table_name""").fetchall())


def _key(task: str) -> int:
    """A 64-bit advisory lock key for a task. PostgreSQL scopes advisory locks to a database, so
    processes that spell the same catalog differently (host order, paths) still share them."""
    digest = hashlib.blake2b(f"newsdesk:{task}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


@dataclass
class LockStats:
    """This process's time waiting for locks others held, and holding them (benchmarks/writers.py prints it)."""

    waits: int = 0
    waited: float = 0.0
    taken: int = 0
    held: float = 0.0


STATS = LockStats()


@contextmanager
def advisory(lake: Lake, task: str, shared: bool = False) -> Iterator[None]:
    """Hold a PostgreSQL advisory lock on the catalog while the block runs.

    The lock belongs to a transaction on a dedicated connection, so it is released by COMMIT,
    and by PostgreSQL itself when the process dies (a SIGKILLed writer never leaves it held).
    `shared`: many holders at once, excluded only by an exclusive holder (ingest's writers hold
    "write" shared, so they never wait on each other; a migration or an enrichment batch holds
    it alone, so no ingest commit can make theirs conflict).
    """
    holder = instance(lake).cursor()
    function = "pg_advisory_xact_lock_shared" if shared else "pg_advisory_xact_lock"
    try:
        started = time.perf_counter()
        holder.execute("BEGIN")
        holder.execute(f"CALL postgres_execute('{LOCKS}', 'SELECT {function}({_key(task)})')")
        got = time.perf_counter()
        if got - started > 0.01:
            STATS.waits += 1
            STATS.waited += got - started
        try:
            yield
        finally:
            holder.execute("COMMIT")
            STATS.taken += 1
            STATS.held += time.perf_counter() - got
    finally:
        holder.close()
