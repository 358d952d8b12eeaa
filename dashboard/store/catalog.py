"""A lake's catalog database reached directly: small shared state that is not lake data.

DuckLake keeps its own tables in the catalog database; Newsdesk adds a few of its own there,
through psycopg rather than DuckDB's postgres extension (which wraps every query in a COPY, so
no INSERT ... RETURNING, and pools its connections, so no session a process can hold):

- `newsdesk_claims`, `newsdesk_bands`: what writers are storing (claims.py);
- `newsdesk_state`: named JSON documents, such as the app poller's last poll (scheduler.py);
- session advisory locks taken without waiting (`try_lock`): the app poller's turn.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg

from dashboard.store.engine import Lake, LakeError

STATE = "CREATE TABLE IF NOT EXISTS newsdesk_state (name text PRIMARY KEY, value jsonb NOT NULL, changed timestamptz NOT NULL)"


def lock_key(task: str) -> int:
    """A 64-bit advisory lock key (engine.py derives its keys the same way, so both name the same locks)."""
    digest = hashlib.blake2b(f"newsdesk:{task}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def connect(lake: Lake, purpose: str) -> psycopg.Connection:
    """An autocommit session on the catalog database; LakeError naming the lake when there is none."""
    try:
        return psycopg.connect(lake.catalog, autocommit=True, application_name=f"newsdesk-{purpose}", connect_timeout=30)
    except psycopg.Error as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise LakeError(f"{os.fspath(lake)}: cannot reach the catalog: {first}") from exc


def ensure(con: psycopg.Connection, sql: str) -> None:
    """Run CREATE ... IF NOT EXISTS statements, one process at a time (two at once can both try
    to create a table: a duplicate-key error in PostgreSQL's own catalog)."""
    with con.transaction():
        con.execute("SELECT pg_advisory_xact_lock(%s)", [lock_key("catalog-schema")])
        con.execute(sql)


@contextmanager
def try_lock(lake: Lake, task: str) -> Iterator[bool]:
    """Yields whether this process now holds `task`'s lock; never waits. The lock is a session's:
    a process that dies, or a machine that drops off the network, releases it with its connection."""
    con = connect(lake, task)
    try:
        (held,) = con.execute("SELECT pg_try_advisory_lock(%s)", [lock_key(task)]).fetchone()
        yield bool(held)
    finally:
        con.close()  # closing the session releases a session lock


def read_state(lake: Lake, name: str) -> dict[str, Any] | None:
    """A named JSON document of the catalog; None before the first write."""
    with connect(lake, "state") as con:
        ensure(con, STATE)
        row = con.execute("SELECT value FROM newsdesk_state WHERE name = %s", [name]).fetchone()
    return row[0] if row else None


def write_state(lake: Lake, name: str, value: dict[str, Any]) -> None:
    """Replace a named JSON document in one statement: readers see the old one or the new one."""
    with connect(lake, "state") as con:
        ensure(con, STATE)
        con.execute("INSERT INTO newsdesk_state (name, value, changed) VALUES (%s, %s::jsonb, now()) "
                    "ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value, changed = EXCLUDED.changed",
                    [name, json.dumps(value)])
