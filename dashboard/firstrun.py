"""A database for an app started without one: the seed pages, or an empty database.

A fresh deploy (Streamlit Community Cloud, a container without a volume) starts with no file
(or with a lake that holds no articles: seeded in place, see `_seed_lake`).
The first session to find it missing builds it, once per database: a thread lock within the
process and an advisory file lock across processes and replicas. The seed is read and
enriched into a file beside the database (about 4 s on 2 cores, mostly spaCy), which is then
moved into place in one rename, so no page ever waits on a half-built file or on the DuckDB
lock for that long: until the rename pages see "no database yet", then the whole seed.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import duckdb

from dashboard import logs
from dashboard.store import connect, exclusive
from dashboard.store.engine import Lake, is_lake

log = logs.get("first-run")
_building = threading.Lock()  # lockf locks belong to the process: threads need their own


def _seed_lake(lake: Lake, seeds: Path | None) -> str | None:
    """Seed an empty lake in place: replicas that start together take turns (an advisory lock on
    the catalog) and the later ones find it seeded. There is no file to build aside and rename:
    pages see the seed's articles after its ingest commits, their entities after enrichment."""
    with _building, exclusive(lake, "first-run"):
        if lake.exists():
            return None
        with connect(lake):
            pass  # the schema
        if seeds is None:
            return "empty lake: nothing seeded"
        from dashboard.load import ingest
        from dashboard.nlp.pipeline import enrich

        summary = ingest([str(seeds)], lake, progress=False, report=lambda line: log.info("seed: %s", line))
        report = enrich(lake, progress=False)
        done = f"seeded from {seeds.name}/: {summary.line()}; {report.line()}"
        log.info("%s: %s", os.fspath(lake), done)
        return done


def _clear(path: Path) -> None:
    for leftover in (path, Path(f"{path}.wal"), Path(f"{path}.enrich.lock")):
        leftover.unlink(missing_ok=True)


def _build(target: Path, seeds: Path | None) -> str:
    """Write a database to `target`: the seeds ingested and enriched, else only the schema."""
    with connect(target):
        pass  # the schema
    if seeds is None:
        return "empty database created"
    from dashboard.load import ingest
    from dashboard.nlp.pipeline import enrich

    summary = ingest([str(seeds)], target, progress=False, report=lambda line: log.info("seed: %s", line))
    for name, problem in summary.failed:
        log.warning("seed: %s could not be read: %s", name, problem)
    report = enrich(target, progress=False)
    with duckdb.connect(str(target)) as con:
        con.execute("CHECKPOINT")  # everything in the file itself, no write-ahead log to move along
    unread = f" ({len(summary.failed)} seed input(s) could not be read)" if summary.failed else ""
    return f"seeded from {seeds.name}/: {summary.line()}; {report.line()}{unread}"


def ensure_database(db: Path | Lake, seeds: Path | None) -> str | None:
    """Create `db` when it is missing (a lake: when it holds no articles); what was done, or None when it already existed."""
    if db.exists():
        return None
    if is_lake(db):
        return _seed_lake(db, seeds)
    with _building, exclusive(db, "first-run"):
        if db.exists():  # another session or process built it while this one waited
            return None
        building = db.with_name(f"{db.name}.first-run")
        _clear(building)
        try:
            done = _build(building, seeds)
        except Exception:
            log.exception("seeding %s failed; starting with an empty database instead", db)
            _clear(building)
            done = _build(building, None) + " (the seed could not be read)"
        os.replace(building, db)
        _clear(building)
        log.info("%s: %s", db, done)
        return done
