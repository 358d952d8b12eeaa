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

import duckdb
import numpy as np
from tqdm import tqdm

from dashboard.ingest import IngestError, Input, read_input
from dashboard.ingest.dedup import NearDuplicateIndex, signature
from dashboard.ingest.errors import NotAnArticle
from dashboard.ingest.sources import expand
from dashboard.model import Article, Rejected
from dashboard.store import StoreError, connect, transaction, write

BATCH = 1000
MAX_REPORTED = 20
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
    warnings: list[str] = field(default_factory=list)
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


def _batches(records: Iterator[Article | Rejected], size: int) -> Iterator[list[Article | Rejected]]:
    while batch := list(islice(records, size)):
        yield batch


def _store_batch(
    con: duckdb.DuckDBPyConnection, batch: Sequence[Article], index: NearDuplicateIndex,
    seen: set[str], counts: _FileCounts, origin: str, now: datetime,
) -> None:
    stored = write.existing_ids(con, [a.id for a in batch])
    fresh: list[Article] = []
    for article in batch:
        if article.id in stored or article.id in seen:
            counts.unchanged += 1
        else:
            seen.add(article.id)
            fresh.append(article)
    owners = write.hash_owners(con, [a.content_hash for a in fresh])
    duplicate_of: dict[str, str] = {}
    signatures: dict[str, np.ndarray] = {}
    hashes_here: dict[str, str] = {}
    for article in fresh:
        original = owners.get(article.content_hash) or hashes_here.get(article.content_hash)
        sig = signature(article.body or article.text)  # titles are often rewritten on re-publication
        if original is None and sig is not None:
            original = index.original_of(sig)
        if original is not None:
            duplicate_of[article.id] = original
            continue
        hashes_here[article.content_hash] = article.id
        if sig is not None:
            signatures[article.id] = sig
            index.add(article.id, sig)
            counts.added_keys.append(article.id)
    write.insert_articles(con, fresh, duplicate_of, origin, now)
    write.insert_signatures(con, signatures)
    counts.new += len(fresh) - len(duplicate_of)
    counts.duplicates += len(duplicate_of)
    counts.new_ids.extend(a.id for a in fresh)


def _ingest_input(
    writer: _Writer, inp: Input, fmt: str, index: NearDuplicateIndex, seen: set[str], bar: tqdm,
) -> _FileCounts:
    counts = _FileCounts()
    now = datetime.now(UTC).replace(tzinfo=None)
    records = read_input(inp, fmt)
    con = writer.get()
    try:
        with transaction(con):
            for batch in _batches(records, BATCH):
                articles = [r for r in batch if isinstance(r, Article)]
                for rejected in (r for r in batch if isinstance(r, Rejected)):
                    counts.rejected += 1
                    if rejected.malformed:
                        counts.malformed_count += 1
                        if len(counts.malformed) < MAX_REPORTED:
                            counts.malformed.append(rejected)
                counts.read += len(batch)
                _store_batch(con, articles, index, seen, counts, inp.name, now)
                bar.update(len(batch))
            write.log_run(con, inp.name, "ok", (counts.read, counts.new, counts.duplicates, counts.rejected), "; ".join(inp.notes) or None, now)
    except BaseException:
        for key in counts.added_keys:
            index.remove(key)
        seen.difference_update(counts.new_ids)
        raise
    return counts


def load_index(db: Path) -> NearDuplicateIndex:
    """The near-duplicate index of every original article stored so far."""
    index = NearDuplicateIndex()
    if db.exists():
        with connect(db) as con:
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
) -> Summary:
    """Read every target (file, folder or URL) into the database."""
    items = (item for target in targets for item in expand(target, source))
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
    try:
        for item in items:
            if isinstance(item, tuple):
                name, error = item
                summary.failed.append((name, str(error)))
                say(f"error: {name}: {error}")
                continue
            try:
                counts = _ingest_input(writer, item, fmt, index, seen, bar)
            except NotAnArticle as exc:
                summary.skipped.append((item.name, str(exc)))
                say(f"skipped: {item.name}: {exc}")
                continue
            except (IngestError, StoreError, duckdb.Error, OSError, MemoryError, RecursionError) as exc:
                message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
                summary.failed.append((item.name, message))
                say(f"error: {item.name}: {message} (nothing from this input was stored)")
                writer.close()  # a failed statement may leave the connection unusable
                continue
            finally:
                writer.breathe()
            _add(summary, counts, item, say)
    finally:
        writer.close()
        bar.close()
    summary.seconds = time.monotonic() - started
    return summary


def _add(summary: Summary, counts: _FileCounts, inp: Input, say: Callable[[str], None]) -> None:
    summary.read += counts.read
    summary.new += counts.new
    summary.duplicates += counts.duplicates
    summary.unchanged += counts.unchanged
    summary.rejected += counts.rejected
    summary.new_ids.extend(counts.new_ids)
    summary.malformed += counts.malformed_count
    for note in inp.notes:
        summary.warnings.append(f"{inp.name}: {note}")
        say(f"warning: {inp.name}: {note}")
    for rejected in counts.malformed:
        say(f"warning: {inp.name}: {rejected.where}: {rejected.reason} (skipped)")
    if counts.malformed_count > len(counts.malformed):
        say(f"warning: {inp.name}: {counts.malformed_count - len(counts.malformed):,} more records skipped")
