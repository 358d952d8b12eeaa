"""Copy a whole database into an empty one: `python -m dashboard migrate --from FILE --to LAKE`.

Both sides are first brought to the current migration, so every table has the same columns;
the copy then runs in one transaction on the target (all of it or nothing), table by table,
columns matched by name. Into a file, articles are written in publication order and the search
index in term order, so that DuckDB's per-block min/max let a day range or a word skip most blocks.
A lake sorts every insert itself, by each table's sort order (migration 0007): sorting the rows
here as well would only sort them twice.
"""

from __future__ import annotations

import os
from pathlib import Path

from dashboard.store.db import Store, StoreError, connect, transaction
from dashboard.store.engine import is_lake

ORDER = {"articles": "published, id", "search_terms": "term, article_key", "daily_counts": "day", "term_counts": "term, day"}
SKIPPED = {"migrations"}  # each database records its own


def _tables(con) -> dict[str, list[str]]:
    columns: dict[str, list[str]] = {}
    for table, column in con.execute(
        "SELECT table_name, column_name FROM information_schema.columns WHERE table_catalog = current_database() "
        "AND table_schema = 'main' AND table_name IN (SELECT table_name FROM information_schema.tables "
        "WHERE table_type = 'BASE TABLE' AND table_catalog = current_database()) ORDER BY table_name, ordinal_position"
    ).fetchall():
        columns.setdefault(table, []).append(column)
    return {table: cols for table, cols in columns.items() if table not in SKIPPED}


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def copy(source: Store, target: Store) -> dict[str, int]:
    """Copy every table of `source` into `target`, which must hold no articles; rows per table."""
    if is_lake(source):
        raise StoreError("copying from a lake is not supported: export from it, or back up its catalog and Parquet files")
    if not Path(source).is_file():
        raise StoreError(f"{source}: no such database file")
    if str(source) == str(target):
        raise StoreError(f"{os.fspath(target)}: cannot copy a database into itself")
    with connect(source) as con:  # brings an older file to the current schema first
        tables = _tables(con)
    counts: dict[str, int] = {}
    with connect(target) as con:
        (present,) = con.execute("SELECT count(*) FROM articles").fetchone()
        if present:
            raise StoreError(f"{os.fspath(target)}: already holds {present:,} articles (migrate copies into an empty database)")
        wanted = _tables(con)
        alias = "newsdesk_source"
        con.execute(f"ATTACH {_quote(os.fspath(Path(source).resolve()))} AS {alias} (READ_ONLY)")
        try:
            with transaction(con):
                for table, columns in wanted.items():
                    shared = [c for c in columns if c in tables.get(table, [])]
                    if not shared:
                        continue
                    names = ", ".join(f'"{c}"' for c in shared)
                    order = f" ORDER BY {ORDER[table]}" if table in ORDER and not is_lake(target) else ""
                    con.execute(f"DELETE FROM {table}")  # derived rows the target's first use may have made
                    con.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM {alias}.main.{table}{order}")
                    counts[table] = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table, count in counts.items():
                (original,) = con.execute(f"SELECT count(*) FROM {alias}.main.{table}").fetchone()
                if original != count:
                    raise StoreError(f"{table}: {original:,} rows in the source, {count:,} copied")
        finally:
            con.execute(f"DETACH {alias}")
    return counts
