"""Claims: how writers on one lake keep each article stored once without taking turns to write.

DuckLake has no PRIMARY KEY or UNIQUE constraint, so two writers that read the same input would
both find an article missing and both store it. Before it writes, each writer therefore CLAIMS,
in two small PostgreSQL tables of the catalog database, what must exist once:

- `newsdesk_claims` (UNIQUE key): `id:<article id>` for every article it is about to store (with
  the MinHash signature of the originals among them) and `hash:<content hash>` for every
  original (an exact copy is linked to the claimer);
- `newsdesk_bands`: the LSH band keys of every original it is about to store, so that a peer's
  near-duplicate of it, processed a moment later, is linked to it exactly as one process
  reading both would link it.

The same step hands out the new articles' integer keys (articles.key) from a catalog sequence.

A claim is one short PostgreSQL transaction per batch of 1,000 articles, taken in turn (a
transaction-scoped advisory lock held for a few milliseconds: look-ups and inserts of keys,
no DuckLake work); the DuckLake transactions that write the articles run side by side. Each
claim names the writer's catalog session (backend pid and start time), which lives as long as
the writer: a claim whose session is gone (SIGKILL, OOM, lost machine) is purged by the next
writer's claim step, which then starts its DuckLake transaction again from a snapshot taken
after the death, so whatever the dead writer had committed is seen, and nothing it had not
committed is lost. A writer whose snapshot predates another writer's purge starts again too
(a purge counter, read before each DuckLake transaction begins). Claims are marked done after their DuckLake commit and kept for RETAIN
(longer than any transaction's snapshot lives), then dropped: the table stays small.

The connection is psycopg's (the DuckDB postgres extension wraps every query in a COPY, which
refuses INSERT ... RETURNING, and pools its connections, so it cannot hold one session for a
writer's life).
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np
import psycopg

from dashboard.store import catalog
from dashboard.store.engine import Lake, LakeError

RETAIN = "6 hours"  # done claims outlive the snapshot of any transaction that started before they were made

SCHEMA = """
CREATE TABLE IF NOT EXISTS newsdesk_claims (
    key text PRIMARY KEY, article text NOT NULL, sig bytea, pid integer NOT NULL, started timestamptz, done timestamptz);
CREATE TABLE IF NOT EXISTS newsdesk_bands (
    band bigint NOT NULL, article text NOT NULL, pid integer NOT NULL, started timestamptz, done timestamptz);
CREATE INDEX IF NOT EXISTS newsdesk_bands_band ON newsdesk_bands (band);
CREATE INDEX IF NOT EXISTS newsdesk_claims_open ON newsdesk_claims (pid, started) WHERE done IS NULL;
CREATE INDEX IF NOT EXISTS newsdesk_bands_open ON newsdesk_bands (pid, started) WHERE done IS NULL;
CREATE INDEX IF NOT EXISTS newsdesk_claims_done ON newsdesk_claims (done);
CREATE INDEX IF NOT EXISTS newsdesk_bands_done ON newsdesk_bands (done);
CREATE SEQUENCE IF NOT EXISTS newsdesk_purges;
CREATE SEQUENCE IF NOT EXISTS newsdesk_article_keys;
"""


@dataclass
class Original:
    """An original a writer is about to store: its content hash, and its signature with its LSH band keys."""

    article: str
    content_hash: str
    sig: np.ndarray | None = None
    bands: list[int] = field(default_factory=list)


@dataclass
class Stats:
    """Time this process waited for the claim step and spent in it (benchmarks/writers.py prints it)."""

    steps: int = 0
    waited: float = 0.0
    held: float = 0.0
    purged: int = 0
    restarts: int = 0


STATS = Stats()


class Session:
    """This process's catalog session: its identity is what its claims are tied to."""

    def __init__(self, lake: Lake) -> None:
        self.con = catalog.connect(lake, "writer")
        try:
            catalog.ensure(self.con, SCHEMA)
            self.pid, self.started = self.con.execute(
                "SELECT pid, backend_start FROM pg_stat_activity WHERE pid = pg_backend_pid()").fetchone()
            self.epoch = _purges(self)
        except psycopg.Error as exc:
            self.con.close()
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise LakeError(f"{os.fspath(lake)}: cannot claim in the catalog: {first}") from exc


_sessions: dict[tuple[int, str], Session] = {}
_sessions_lock = threading.Lock()


def session(lake: Lake) -> Session:
    key = (os.getpid(), lake.address)
    with _sessions_lock:
        found = _sessions.get(key)
        if found is None or found.con.closed:
            found = _sessions[key] = Session(lake)
        return found


@dataclass
class Step:
    """One claim step: inside it, a writer's look-ups see every claim made before it and none after."""

    con: psycopg.Connection
    pid: int
    started: object
    purged: int = 0
    stale: bool = False  # another writer purged dead claims after this writer's snapshot was taken

    def claim_ids(self, ids: Sequence[str], sigs: Sequence[np.ndarray | None]) -> set[str]:
        """The ids this writer now holds (with their signatures, which peers read for the originals
        among them): new claims, and its own from an attempt it is retrying."""
        if not ids:
            return set()
        # DO NOTHING, not DO UPDATE: an update would lock peers' rows while their own `done`
        # updates lock them in another order (PostgreSQL detected the deadlock under load).
        rows = self.con.execute(
            "INSERT INTO newsdesk_claims (key, article, sig, pid, started) SELECT 'id:' || a, a, sig, %s, %s "
            "FROM unnest(%s::text[], %s::bytea[]) AS x(a, sig) ON CONFLICT (key) DO NOTHING RETURNING article",
            [self.pid, self.started, list(ids), [None if sig is None else sig.astype("<u4").tobytes() for sig in sigs]]).fetchall()
        held = self.con.execute(
            "SELECT article FROM newsdesk_claims WHERE key = ANY(%s) AND pid = %s AND started IS NOT DISTINCT FROM %s AND done IS NULL",
            [[f"id:{a}" for a in ids], self.pid, self.started]).fetchall()
        return {row[0] for row in rows} | {row[0] for row in held}

    def hash_owners(self, hashes: Iterable[str]) -> dict[str, str]:
        """The original a peer claimed for each of these content hashes (stored or about to be)."""
        wanted = sorted({h for h in hashes if h})
        if not wanted:
            return {}
        rows = self.con.execute(
            "SELECT substr(key, 6), article FROM newsdesk_claims WHERE key = ANY(%s) AND NOT (pid = %s AND started IS NOT DISTINCT FROM %s)",
            [[f"hash:{h}" for h in wanted], self.pid, self.started]).fetchall()
        return dict(rows)

    def peers(self, band_keys: Iterable[int]) -> list[tuple[str, np.ndarray]]:
        """Originals claimed by other writers that share one of these LSH band keys, with their signatures."""
        keys = sorted(set(band_keys))
        if not keys:
            return []
        rows = self.con.execute(
            "SELECT DISTINCT b.article, c.sig FROM newsdesk_bands b JOIN newsdesk_claims c ON c.key = 'id:' || b.article "
            "WHERE b.band = ANY(%s::bigint[]) AND c.sig IS NOT NULL AND NOT (b.pid = %s AND b.started IS NOT DISTINCT FROM %s)",
            [keys, self.pid, self.started]).fetchall()
        return [(article, np.frombuffer(bytes(sig), dtype="<u4").astype(np.uint32)) for article, sig in rows]

    def keys(self, count: int, stored_max: int) -> list[int]:
        """Integer keys (articles.key) for `count` new articles: from a catalog sequence, so writers
        at once never give one twice; never below a key already stored (`stored_max`, in this
        writer's snapshot: keys a migration or a copy gave, which did not come from the sequence).
        Steps take turns, so moving the sequence up here cannot race another writer's move."""
        if not count:
            return []
        self.con.execute("SELECT setval('newsdesk_article_keys', %s) FROM newsdesk_article_keys "
                         "WHERE %s > (CASE WHEN is_called THEN last_value ELSE 0 END)", [stored_max, stored_max])
        rows = self.con.execute("SELECT nextval('newsdesk_article_keys') FROM generate_series(1, %s)", [count]).fetchall()
        return [row[0] for row in rows]

    def originals(self, found: Sequence[Original]) -> None:
        """Record the originals this writer is about to store: their content hashes and bands."""
        hashed = [o for o in found if o.content_hash]
        if hashed:
            self.con.execute(
                "INSERT INTO newsdesk_claims (key, article, pid, started) SELECT 'hash:' || h, a, %s, %s "
                "FROM unnest(%s::text[], %s::text[]) AS x(h, a) ON CONFLICT DO NOTHING",
                [self.pid, self.started, [o.content_hash for o in hashed], [o.article for o in hashed]])
        pairs = [(band, o.article) for o in found if o.sig is not None for band in o.bands]
        if pairs:
            self.con.execute(
                "INSERT INTO newsdesk_bands (band, article, pid, started) SELECT b, a, %s, %s FROM unnest(%s::bigint[], %s::text[]) AS x(b, a)",
                [self.pid, self.started, [b for b, _ in pairs], [a for _, a in pairs]])


@contextmanager
def step(lake: Lake) -> Iterator[Step]:
    """A claim step: one PostgreSQL transaction, one writer at a time (milliseconds).

    It first purges the claims of writers whose session is gone; `purged` says how many, and a
    writer that sees any must start its DuckLake transaction again (see the module's docstring).
    """
    s = session(lake)
    asked = time.perf_counter()
    with s.con.transaction():
        s.con.execute("SELECT pg_advisory_xact_lock(%s)", [catalog.lock_key("claims")])
        got = time.perf_counter()
        purged = _purge(s)
        if purged:
            s.con.execute("SELECT nextval('newsdesk_purges')")
        stale = _purges(s) != s.epoch
        yield Step(s.con, s.pid, s.started, purged, stale)
    STATS.steps += 1
    STATS.waited += got - asked
    STATS.held += time.perf_counter() - got
    STATS.purged += purged


def _purge(s: Session) -> int:
    """Delete the open claims of writers whose session is gone, and done claims past RETAIN; how many open ones.

    The writers holding open claims are a handful: compared with the live sessions in Python,
    not row by row (a correlated look-up of pg_stat_activity per claim took 0.6 s a step)."""
    holders = {row for table in ("newsdesk_claims", "newsdesk_bands")
               for row in s.con.execute(f"SELECT DISTINCT pid, started FROM {table} WHERE done IS NULL").fetchall()}
    alive = set(s.con.execute("SELECT pid, backend_start FROM pg_stat_activity").fetchall())
    dead = sorted(holders - alive)
    purged = 0
    for table in ("newsdesk_claims", "newsdesk_bands"):
        for pid, started in dead:
            purged += s.con.execute(f"DELETE FROM {table} WHERE done IS NULL AND pid = %s AND started IS NOT DISTINCT FROM %s",
                                    [pid, started]).rowcount
        s.con.execute(f"DELETE FROM {table} WHERE done < now() - interval '{RETAIN}'")
    return purged


def _purges(s: Session) -> int:
    return s.con.execute("SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM newsdesk_purges").fetchone()[0]


def begin(lake: Lake) -> None:
    """Call before a DuckLake transaction begins: a claim step in it then knows whether any writer
    purged a dead writer's claims since (`Step.stale`). The dead writer may have committed
    articles its purged claims covered, after this transaction's snapshot: claiming them again
    here would store them twice, so the transaction starts again instead."""
    s = session(lake)
    s.epoch = _purges(s)


def _own(lake: Lake, statement: str) -> None:
    """Change this writer's open claims in both tables, between claim steps (their lock, milliseconds)."""
    s = session(lake)
    with s.con.transaction():
        s.con.execute("SELECT pg_advisory_xact_lock(%s)", [catalog.lock_key("claims")])
        for table in ("newsdesk_claims", "newsdesk_bands"):
            s.con.execute(statement.format(table=table), [s.pid, s.started])


def done(lake: Lake) -> None:
    """This writer's claims are committed to the lake: mark them so (kept for RETAIN, then dropped)."""
    _own(lake, "UPDATE {table} SET done = now() WHERE pid = %s AND started IS NOT DISTINCT FROM %s AND done IS NULL")


def release(lake: Lake) -> None:
    """This writer's transaction was rolled back: its open claims go, so the articles can be claimed again."""
    _own(lake, "DELETE FROM {table} WHERE pid = %s AND started IS NOT DISTINCT FROM %s AND done IS NULL")
