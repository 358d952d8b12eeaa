"""Ingest: read sources, drop what is stored already, link near-duplicates, write per input.

Each input (a file, a URL) is one transaction: a failure leaves the database as it was.
The writer connection is released every few seconds between inputs so that the dashboard,
which reads through short-lived connections, is never locked out for long.
"""

from __future__ import annotations

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
from tqdm import tqdm

from dashboard.ingest import IngestError, Input, read_input
from dashboard.ingest.dedup import NearDuplicateIndex, signature
from dashboard.ingest.errors import NotAnArticle
from dashboard.ingest.options import ReadOptions
from dashboard.ingest.sources import expand
from dashboard.model import Article, Rejected
from dashboard.store import StoreError, connect, daily, search, transaction, write

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


def _store_batch(
    con: duckdb.DuckDBPyConnection, batch: Sequence[tuple[Article, Input, _FileCounts]],
    index: NearDuplicateIndex, seen: set[str], now: datetime, prepared: dict[str, tuple[np.ndarray | None, str]] | None = None,
) -> None:
    """Insert the articles not stored yet, each linked to its original if it is a near-duplicate."""
    prepared = prepared or {}
    _catch_up(con, index)
    stored = write.existing_ids(con, [a.id for a, _, _ in batch])
    fresh: list[tuple[Article, Input, _FileCounts]] = []
    for article, inp, counts in batch:
        if article.id in stored or article.id in seen:
            counts.unchanged += 1
        else:
            seen.add(article.id)
            fresh.append((article, inp, counts))
            counts.new_ids.append(article.id)
    owners = write.hash_owners(con, [a.content_hash for a, _, _ in fresh])
    duplicate_of: dict[str, str] = {}
    signatures: dict[str, np.ndarray] = {}
    hashes_here: dict[str, str] = {}
    for article, _, counts in fresh:
        original = owners.get(article.content_hash) or hashes_here.get(article.content_hash)
        # titles are often rewritten on re-publication: the body is what is compared
        sig = prepared[article.id][0] if article.id in prepared else signature(article.body or article.text)
        if original is None and sig is not None:
            original = index.original_of(sig)
        if original is not None:
            duplicate_of[article.id] = original
            counts.duplicates += 1
            continue
        counts.new += 1
        hashes_here[article.content_hash] = article.id
        if sig is not None:
            signatures[article.id] = sig
            index.add(article.id, sig)
            counts.added_keys.append(article.id)
    terms = {a.id: prepared[a.id][1] for a, _, _ in fresh if a.id in prepared}
    write.insert_articles(con, [a for a, _, _ in fresh], duplicate_of, [inp.name for _, inp, _ in fresh], now, terms)
    write.insert_signatures(con, signatures)


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
    results = [_FileCounts() for _ in parts]
    prepared = _prepare(parts)
    now = datetime.now(UTC).replace(tzinfo=None)
    tagged = ((record, inp, counts) for (inp, records), counts in zip(parts, results, strict=True) for record in records)
    con = writer.get()
    try:
        with transaction(con):
            for batch in _batches(tagged, BATCH):
                articles = []
                for record, inp, counts in batch:
                    counts.read += 1
                    if isinstance(record, Rejected):
                        _tally(counts, record)
                    else:
                        articles.append((record, inp, counts))
                _store_batch(con, articles, index, seen, now, prepared)
                bar.update(len(batch))
            if any(c.new or c.duplicates for c in results):  # the days these articles fall on, not every day
                daily.refresh_days(con, [article_id for c in results for article_id in c.new_ids])
            write.log_runs(con, [(inp.name, c.read, c.new, c.duplicates, c.rejected, "; ".join(inp.notes) or None)
                                 for (inp, _), c in zip(parts, results, strict=True)], now)
    except BaseException:
        _undo(results, index, seen)
        raise
    return results


def load_index(db: Path) -> NearDuplicateIndex:
    """The near-duplicate index of every original article stored so far."""
    index = SharedIndex()
    if db.exists():
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
                for counts in _commit(writer, [(item, read_input(item, fmt))], index, seen, bar):
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
    finally:
        writer.close()
        bar.close()
    summary.seconds = time.monotonic() - started
    return summary


def _merge_search(writer: _Writer, say: Callable[[str], None]) -> None:
    """Merge the new articles' search terms into the sorted index, once there are enough."""
    try:
        con = writer.get()
        with transaction(con):
            search.compact(con)
    except (StoreError, duckdb.Error, OSError) as exc:
        say(f"warning: the search index was not merged ({exc}); a later ingest will merge it")


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
