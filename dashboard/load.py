"""Ingest: read sources, drop what is stored already, link near-duplicates, write per input.

Each input (a file, a URL) is one transaction: a failure leaves the database as it was.
The writer connection is released every few seconds between inputs so that the dashboard,
which reads through short-lived connections, is never locked out for long.
"""

from __future__ import annotations

import hashlib
import random
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path
from typing import TypeVar

import duckdb
import numpy as np
import psycopg
from datasketch import MinHashLSH
from tqdm import tqdm

from dashboard.ingest import IngestError, Input, read_input
from dashboard.ingest.dedup import NUM_PERM, THRESHOLD, NearDuplicateIndex, signature
from dashboard.ingest.errors import NotAnArticle
from dashboard.ingest.options import ReadOptions
from dashboard.ingest.sources import expand
from dashboard.model import Article, Rejected
from dashboard.store import StoreError, claims, connect, daily, search, transaction, write
from dashboard.store.db import lake_of
from dashboard.store.engine import Lake, is_lake

BATCH = 1000
T = TypeVar("T")
MAX_REPORTED = 20
SMALL_INPUT = 2_000_000  # bytes; inputs up to this size are parsed whole and batched
HOLD_WRITER = 2.0  # seconds a writer keeps the file locked before letting readers in


@dataclass
class Summary:
    """What an ingest did, input by input and in total."""

    read: int = 0
    new: int = 0
    duplicates: int = 0
    unchanged: int = 0
    rejected: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    malformed: int = 0
    new_ids: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failed and not self.malformed

    def line(self) -> str:
        parts = [
            f"read {self.read:,}", f"new {self.new:,}", f"duplicates {self.duplicates:,}",
            f"already stored {self.unchanged:,}", f"rejected {self.rejected:,}",
        ]
        if self.failed:
            parts.append(f"failed inputs {len(self.failed):,}")
        if self.skipped:
            parts.append(f"skipped files {len(self.skipped):,}")
        return " · ".join(parts) + f" · {self.seconds:.1f} s"


@dataclass
class _FileCounts:
    read: int = 0
    new: int = 0
    duplicates: int = 0
    unchanged: int = 0
    rejected: int = 0
    malformed: list[Rejected] = field(default_factory=list)  # the first few, to report
    malformed_count: int = 0
    added_keys: list[str] = field(default_factory=list)
    new_ids: list[str] = field(default_factory=list)


class _Writer:
    """A writer connection that is reopened after it has been held for a while."""

    def __init__(self, db: Path) -> None:
        self.db = db
        self._ctx = None
        self._con: duckdb.DuckDBPyConnection | None = None
        self._opened = 0.0

    def get(self) -> duckdb.DuckDBPyConnection:
        if self._con is None:
            self._ctx = connect(self.db)
            self._con = self._ctx.__enter__()
            self._opened = time.monotonic()
        return self._con

    def breathe(self) -> None:
        if self._con is not None and time.monotonic() - self._opened > HOLD_WRITER:
            self.close()

    def close(self) -> None:
        if self._ctx is not None:
            self._ctx.__exit__(None, None, None)
        self._ctx, self._con = None, None


class _Reread:
    """A large input's records, streamed; read again from the start if its transaction is retried."""

    def __init__(self, item: Input, fmt: str) -> None:
        self.item, self.fmt = item, fmt

    def __iter__(self) -> Iterator[Article | Rejected]:
        return iter(read_input(self.item, self.fmt))


def _batches(items: Iterator[T], size: int) -> Iterator[list[T]]:
    while batch := list(islice(items, size)):
        yield batch


def _prepare(parts: Sequence[tuple[Input, Iterable[Article | Rejected]]]) -> dict[str, tuple[np.ndarray | None, str]]:
    """Each parsed article's signature and search terms, computed before the write begins.

    They depend on the article alone, and they are most of a write's CPU (Reuters, 1,000
    articles: 0.6 s of signatures and 0.15 s of terms, against 0.25 s of SQL): done here, they
    stay out of the transaction, and on a lake out of the turn writers take to write.
    """
    return {record.id: (signature(record.body or record.text), search.prepare(record.title, record.body))
            for _, records in parts if isinstance(records, list) for record in records if isinstance(record, Article)}


class _Restart(Exception):
    """A peer writer died holding claims: start the transaction again from a snapshot taken after."""


def _bands(sig: np.ndarray) -> list[int]:
    """The LSH band keys of a signature, as the near-duplicate index bands it (two it would compare
    share one), each hashed to 64 bits: a collision only adds a candidate, which similarity rejects."""
    rows = _LSH_ROWS
    return [int.from_bytes(hashlib.blake2b(bytes([i]) + sig[i * rows:(i + 1) * rows].astype("<u4").tobytes(),
                                           digest_size=8).digest(), "big", signed=True) for i in range(_LSH_BANDS)]


_LSH = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM)  # the index's banding: 10 bands of 6 rows
_LSH_BANDS, _LSH_ROWS = _LSH.b, _LSH.r


def _store_batch(
    con: duckdb.DuckDBPyConnection, batch: Sequence[tuple[Article, Input, _FileCounts]],
    index: NearDuplicateIndex, seen: set[str], now: datetime, prepared: dict[str, tuple[np.ndarray | None, str]] | None = None,
    lake: Lake | None = None,
) -> None:
    """Insert the articles not stored yet, each linked to its original if it is a near-duplicate.

    On a lake, what is decided here (which articles are new, which are copies of which) is
    decided inside a claim step (claims.py), so that writers running at once decide as one would.
    """
    prepared = prepared or {}
    _catch_up(con, index)
    stored = write.existing_ids(con, [a.id for a, _, _ in batch])
    candidates = [(a, inp, counts) for a, inp, counts in batch if a.id not in stored and a.id not in seen]
    owners = write.hash_owners(con, [a.content_hash for a, _, _ in candidates])
    sigs = {a.id: prepared[a.id][0] if a.id in prepared else signature(a.body or a.text) for a, _, _ in candidates}
    keys = None  # a file's writer takes the keys after the stored ones itself (write.next_keys)
    if lake is None:
        decided = _decide(batch, stored, seen, owners, sigs, index)
    else:
        (stored_max,) = con.execute("SELECT coalesce(max(key), 0) FROM articles").fetchone()
        bands = {key: _bands(sig) for key, sig in sigs.items() if sig is not None}  # outside the claim step: pure CPU
        with claims.step(lake) as step:
            restart = step.purged or step.stale
            if not restart:
                mine = step.claim_ids([a.id for a, _, _ in candidates], [sigs[a.id] for a, _, _ in candidates])
                held = {a.id for a, _, _ in candidates} - mine  # a peer is storing these right now
                owners = {**step.hash_owners(a.content_hash for a, _, _ in candidates if a.id in mine), **owners}
                for key, sig in step.peers(b for a, _, _ in candidates if a.id in mine for b in bands.get(a.id, ())):
                    index.add(key, sig)
                decided = _decide(batch, stored | held, seen, owners, sigs, index)
                step.originals([claims.Original(article_id, content_hash, sig, bands.get(article_id, []))
                                for article_id, content_hash, sig in decided[3]])
                keys = step.keys(len(decided[0]), stored_max)
        if restart:
            raise _Restart("claims of writers that died were purged")
    fresh, duplicate_of, signatures, _ = decided
    terms = {a.id: prepared[a.id][1] for a, _, _ in fresh if a.id in prepared}
    write.insert_articles(con, [a for a, _, _ in fresh], duplicate_of, [inp.name for _, inp, _ in fresh], now, terms, keys)
    write.insert_signatures(con, signatures)


def _decide(
    batch: Sequence[tuple[Article, Input, _FileCounts]], stored: set[str], seen: set[str], owners: dict[str, str],
    sigs: dict[str, np.ndarray | None], index: NearDuplicateIndex,
) -> tuple[list[tuple[Article, Input, _FileCounts]], dict[str, str], dict[str, np.ndarray], list[tuple[str, str, np.ndarray | None]]]:
    """In input order: which articles are new, which of them copy an original; (fresh, duplicate_of, signatures, originals)."""
    fresh: list[tuple[Article, Input, _FileCounts]] = []
    for article, inp, counts in batch:
        if article.id in stored or article.id in seen:
            counts.unchanged += 1
        else:
            seen.add(article.id)
            fresh.append((article, inp, counts))
            counts.new_ids.append(article.id)
    duplicate_of: dict[str, str] = {}
    signatures: dict[str, np.ndarray] = {}
    hashes_here: dict[str, str] = {}
    originals: list[tuple[str, str, np.ndarray | None]] = []
    for article, _, counts in fresh:
        original = owners.get(article.content_hash) or hashes_here.get(article.content_hash)
        # titles are often rewritten on re-publication: the body is what is compared
        sig = sigs[article.id]
        if original is None and sig is not None:
            original = index.original_of(sig)
        if original is not None:
            duplicate_of[article.id] = original
            counts.duplicates += 1
            continue
        counts.new += 1
        hashes_here[article.content_hash] = article.id
        originals.append((article.id, article.content_hash, sig))
        if sig is not None:
            signatures[article.id] = sig
            index.add(article.id, sig)
            counts.added_keys.append(article.id)
    return fresh, duplicate_of, signatures, originals


class SharedIndex(NearDuplicateIndex):
    """The near-duplicate index, and (on a lake) the snapshot it is up to date with."""

    mark: int | None = None


def _catch_up(con: duckdb.DuckDBPyConnection, index: NearDuplicateIndex) -> None:
    """Add the originals other writers stored since the index was loaded (on a lake; see write.signatures_after)."""
    if not isinstance(index, SharedIndex) or index.mark is None:
        return
    now = write.mark(con)
    if now is not None and now > index.mark:
        for key, sig in write.signatures_after(con, index.mark, now):
            index.add(key, sig)
        index.mark = now


def _tally(counts: _FileCounts, rejected: Rejected) -> None:
    counts.rejected += 1
    if rejected.malformed:
        counts.malformed_count += 1
        if len(counts.malformed) < MAX_REPORTED:
            counts.malformed.append(rejected)


def _undo(counts: Iterable[_FileCounts], index: NearDuplicateIndex, seen: set[str]) -> None:
    """Forget what a rolled-back transaction had added to the in-memory dedup state."""
    for done in counts:
        for key in done.added_keys:
            index.remove(key)
        seen.difference_update(done.new_ids)


def _commit(
    writer: _Writer, parts: Sequence[tuple[Input, Iterable[Article | Rejected]]],
    index: NearDuplicateIndex, seen: set[str], bar: tqdm,
) -> list[_FileCounts]:
    """Write inputs in one transaction: all of them or none."""
    lake = lake_of(writer.get())
    if lake is not None:
        return _commit_lake(writer, parts, index, seen, bar, lake)
    results = [_FileCounts() for _ in parts]
    try:
        _write(writer.get(), parts, results, index, seen, bar, None)
    except BaseException:
        _undo(results, index, seen)
        raise
    return results


def _write(
    con: duckdb.DuckDBPyConnection, parts: Sequence[tuple[Input, Iterable[Article | Rejected]]], results: list[_FileCounts],
    index: NearDuplicateIndex, seen: set[str], bar: tqdm, lake: Lake | None,
) -> None:
    """The transaction that stores the inputs: on a file with the days they fall on recounted; on
    a lake, inserts only (so that peers' commits never conflict with it), the days recounted after."""
    prepared = _prepare(parts)
    now = datetime.now(UTC).replace(tzinfo=None)
    tagged = ((record, inp, counts) for (inp, records), counts in zip(parts, results, strict=True) for record in records)
    if lake is not None:
        claims.begin(lake)
    with transaction(con, shared=lake is not None):
        for batch in _batches(tagged, BATCH):
            articles = []
            for record, inp, counts in batch:
                counts.read += 1
                if isinstance(record, Rejected):
                    _tally(counts, record)
                else:
                    articles.append((record, inp, counts))
            _store_batch(con, articles, index, seen, now, prepared, lake)
            bar.update(len(batch))
        if lake is None and any(c.new or c.duplicates for c in results):  # the days these articles fall on, not every day
            daily.refresh_days(con, [article_id for c in results for article_id in c.new_ids])
        write.log_runs(con, [(inp.name, c.read, c.new, c.duplicates, c.rejected, "; ".join(inp.notes) or None)
                             for (inp, _), c in zip(parts, results, strict=True)], now)


RETRIES = 20  # attempts at a lake transaction that meets a peer's conflicting commit


def _is_conflict(exc: BaseException) -> bool:
    """A commit DuckLake refused because of a peer's, or a claim step PostgreSQL chose to abort: both retried."""
    if isinstance(exc, (psycopg.errors.DeadlockDetected, psycopg.errors.SerializationFailure)):
        return True
    return isinstance(exc, duckdb.Error) and "conflict" in str(exc).lower()


def _commit_lake(
    writer: _Writer, parts: Sequence[tuple[Input, Iterable[Article | Rejected]]],
    index: NearDuplicateIndex, seen: set[str], bar: tqdm, lake: Lake,
) -> list[_FileCounts]:
    """Write inputs to a lake beside other writers: claim, insert, commit; then recount the days.

    A commit DuckLake refuses (a peer's conflicting change) or a peer found dead (its claims
    purged) starts the transaction again: claims released, the dedup state undone, inputs re-read.
    """
    for attempt in range(RETRIES):
        results = [_FileCounts() for _ in parts]
        try:
            _write(writer.get(), parts, results, index, seen, bar, lake)
        except BaseException as exc:
            _undo(results, index, seen)
            claims.release(lake)
            if attempt + 1 < RETRIES and (isinstance(exc, _Restart) or _is_conflict(exc)):
                claims.STATS.restarts += 1
                writer.close()
                time.sleep(random.uniform(0.0, 0.05 * (attempt + 1)))
                continue
            if isinstance(exc, psycopg.Error):  # the catalog refused a claim: this input fails, the ingest goes on
                raise StoreError(f"the catalog refused a claim: {str(exc).strip().splitlines()[0]}") from exc
            raise
        new_ids = [article_id for c in results for article_id in c.new_ids]
        if new_ids:
            _recount_days(writer, new_ids)
        claims.done(lake)
        return results
    raise AssertionError("unreachable")


def _days_in_step(con: duckdb.DuckDBPyConnection, article_ids: list[str]) -> bool:
    """Whether the daily counts of these articles' days match a fresh count (in the latest snapshot)."""
    days = "SELECT DISTINCT published::DATE AS day FROM articles WHERE id IN (SELECT unnest($ids::VARCHAR[]))"
    undated = "EXISTS (SELECT 1 FROM articles WHERE id IN (SELECT unnest($ids::VARCHAR[])) AND published IS NULL)"
    (out,) = con.execute(daily.out_of_step(f"(day IN ({days}) OR (day IS NULL AND {undated}))"), {"ids": article_ids}).fetchone()
    return out == 0


def _recount_days(writer: _Writer, article_ids: list[str]) -> None:
    """Recount the days of these articles in a transaction of its own, until a later snapshot agrees.

    Two writers recounting one day at once each count without the other's articles; when both
    delete that day's rows DuckLake refuses the second commit (retried), but when the day
    is new neither deletes anything and both commits pass. So each writer reads the day back
    after its commit and recounts again until it is in step: the last writer to touch a day
    sees every commit before its own.
    """
    for _ in range(RETRIES):
        con = _retried(writer, lambda con: daily.refresh_days(con, article_ids))
        if _days_in_step(con, article_ids):
            return
    raise StoreError("the daily counts kept changing under this writer; `python -m dashboard check` will tell")


def _retried(writer: _Writer, work: Callable[[duckdb.DuckDBPyConnection], object],
             attempts: int = RETRIES, shared: bool = True) -> duckdb.DuckDBPyConnection:
    """Run `work` in a transaction of its own, again on a fresh connection while a peer's commit conflicts with it.

    Returns the connection that committed; any other error, or a conflict on the last attempt, is raised.
    """
    for attempt in range(attempts):
        con = writer.get()
        try:
            with transaction(con, shared=shared):
                work(con)
            return con
        except duckdb.Error as exc:
            writer.close()
            if not _is_conflict(exc) or attempt + 1 == attempts:
                raise
    raise AssertionError("unreachable")


def load_index(db: Path) -> NearDuplicateIndex:
    """The near-duplicate index of every original article stored so far."""
    index = SharedIndex()
    if is_lake(db) or db.exists():  # an empty lake too: the index then follows its peers from the first snapshot
        with connect(db) as con:
            index.mark = write.mark(con)
            for key, sig in write.load_signatures(con):
                index.add(key, sig)
    return index


def ingest(
    targets: Iterable[str],
    db: Path,
    fmt: str = "auto",
    source: str | None = None,
    progress: bool | None = None,
    report: Callable[[str], None] | None = None,
    options: ReadOptions | None = None,
) -> Summary:
    """Read every target (file, folder or URL) into the database."""
    items = (item for target in targets for item in expand(target, source, options))
    return ingest_inputs(items, db, fmt, progress, report)


def ingest_inputs(
    items: Iterable[Input | tuple[str, IngestError]],
    db: Path,
    fmt: str = "auto",
    progress: bool | None = None,
    report: Callable[[str], None] | None = None,
) -> Summary:
    """Read inputs into the database, one transaction each; `report` gets one line per problem."""
    say = report or (lambda line: print(line, file=sys.stderr))
    started = time.monotonic()
    summary = Summary()
    index = load_index(db)
    purged = claims.STATS.purged
    seen: set[str] = set()
    writer = _Writer(db)
    bar = tqdm(unit=" articles", disable=not progress if progress is not None else None, file=sys.stderr, leave=False)
    # Small inputs are parsed whole, then written many to a transaction (a commit per file
    # would dominate the time); a large input streams in a transaction of its own.
    pending: list[tuple[Input, list[Article | Rejected]]] = []

    def fail(name: str, exc: BaseException) -> None:
        message = str(exc).splitlines()[0] if str(exc).strip() else type(exc).__name__
        if not isinstance(exc, (IngestError, StoreError, duckdb.Error, OSError, MemoryError, RecursionError)):
            message = f"could not be read ({type(exc).__name__}: {message})"  # a reader's own failure
        summary.failed.append((name, message))
        say(f"error: {name}: {message} (nothing from this input was stored)")

    def flush() -> None:
        if not pending:
            return
        try:
            for (inp, _), counts in zip(pending, _commit(writer, pending, index, seen, bar), strict=True):
                _add(summary, counts, inp, say)
        except (StoreError, duckdb.Error, OSError) as exc:
            writer.close()
            if len(pending) == 1:
                fail(pending[0][0].name, exc)
            else:  # find the input at fault: retry each on its own
                retry = list(pending)
                pending.clear()
                for part in retry:
                    pending.append(part)
                    flush()
        pending.clear()
        writer.breathe()

    try:
        for item in items:
            if isinstance(item, tuple) and isinstance(item[1], NotAnArticle):
                summary.skipped.append((item[0], str(item[1])))
                say(f"skipped: {item[0]}: {item[1]}")
                continue
            if isinstance(item, tuple):
                fail(item[0], item[1])
                continue
            try:
                if item.size() <= SMALL_INPUT:
                    pending.append((item, list(read_input(item, fmt))))
                    if sum(len(records) for _, records in pending) >= BATCH:
                        flush()
                    continue
                flush()
                for counts in _commit(writer, [(item, _Reread(item, fmt))], index, seen, bar):
                    _add(summary, counts, item, say)
                writer.breathe()
            except NotAnArticle as exc:
                summary.skipped.append((item.name, str(exc)))
                say(f"skipped: {item.name}: {exc}")
            except Exception as exc:  # whatever one input does, the others are still read
                fail(item.name, exc)
                writer.close()  # a failed statement may leave the connection unusable
        flush()
        if summary.new:
            _merge_search(writer, say)
        if claims.STATS.purged > purged:
            _repair_days(writer)
    finally:
        writer.close()
        bar.close()
    summary.seconds = time.monotonic() - started
    return summary


def _merge_search(writer: _Writer, say: Callable[[str], None]) -> None:
    """Merge the new articles' search terms into the sorted index, once there are enough.

    On a lake a peer's insert into the pending terms may refuse this commit: it is tried again.
    """
    try:
        on_lake = lake_of(writer.get()) is not None
        _retried(writer, search.compact, attempts=3, shared=on_lake)
    except (StoreError, duckdb.Error, OSError) as exc:
        writer.close()
        say(f"warning: the search index was not merged ({exc}); a later ingest will merge it")


def _repair_days(writer: _Writer) -> None:
    """After a peer died between its commit and its recount (its claims were purged), recount every day if needed."""
    for _ in range(RETRIES):
        (out,) = writer.get().execute(daily.OUT_OF_STEP).fetchone()
        if not out:
            return
        _retried(writer, daily.refresh)


def _add(summary: Summary, counts: _FileCounts, inp: Input, say: Callable[[str], None]) -> None:
    summary.read += counts.read
    summary.new += counts.new
    summary.duplicates += counts.duplicates
    summary.unchanged += counts.unchanged
    summary.rejected += counts.rejected
    summary.new_ids.extend(counts.new_ids)
    summary.malformed += counts.malformed_count
    for note in inp.notes:
        say(f"warning: {inp.name}: {note}")
    for rejected in counts.malformed:
        say(f"warning: {inp.name}: {rejected.where}: {rejected.reason} (skipped)")
    if counts.malformed_count > len(counts.malformed):
        say(f"warning: {inp.name}: {counts.malformed_count - len(counts.malformed):,} more records skipped")
