"""The online topic step (stories, assignment, births) on a corpus of a million articles.

    python benchmarks/online.py [--copies 48] [--db FILE]

Builds the million-article database the way benchmarks/dashboard.py does (Reuters-21578
replicated over six years, topics and stories copied with it), then times what every
`ingest` and `poll` runs after enrichment (tracking.step) for batches of 300 and 1,000 new
articles dated after the last day. Target: at most 2 s per 1,000 new articles, and never a
refit for a poll of a few hundred.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from _common import CORPORA, ROOT, machine

from dashboard.cli import main as cli
from dashboard.nlp import topics as topic_model
from dashboard.nlp import tracking
from dashboard.store import connect, evolution, transaction
from dashboard.store import enrichment as store


def _dashboard_benchmark():
    spec = importlib.util.spec_from_file_location("dashboard_benchmark", ROOT / "benchmarks" / "dashboard.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["dashboard_benchmark"] = module
    spec.loader.exec_module(module)
    return module


def mark_enriched(db: Path) -> list[str]:
    """Mark pending articles enriched without NLP (the topic step does not read entities)."""
    with connect(db) as con:
        ids = [r[0] for r in con.execute(store.PENDING_SQL).fetchall()]
        store.mark_enriched(con, ids, datetime.now(UTC).replace(tzinfo=None))
    return ids


def source_db(folder: Path) -> Path:
    db = folder / "reuters.duckdb"
    cli(["ingest", str(CORPORA / "reuters21578"), "--db", str(db), "--no-enrich", "--quiet"])
    tracking.step(db, mark_enriched(db))
    return db


def replicate(source: Path, target: Path, copies: int) -> int:
    count = _dashboard_benchmark().build(source, target, copies)
    with connect(target) as con, transaction(con):
        con.execute(f"ATTACH '{source}' AS src (READ_ONLY)")
        con.execute(f"CREATE TEMP TABLE copies AS SELECT range AS i FROM range({copies})")
        con.execute("INSERT INTO models SELECT * FROM src.models")
        con.execute("INSERT INTO enriched SELECT id, now()::TIMESTAMP - INTERVAL 1 DAY FROM articles")
        span = con.execute("SELECT max(story_id) + 1 FROM src.article_stories").fetchone()[0]
        con.execute(f"INSERT INTO article_stories SELECT s.article_id || '-' || c.i::VARCHAR, s.story_id + c.i * {span} "
                    "FROM src.article_stories s, copies c")
        evolution.refresh_stories(con)
        # The copied model was fitted on one copy; a real million-article corpus would have been fitted on it whole.
        model = topic_model.Fit.loads(store.load_model(con, tracking.MODEL_NAME))
        model.n_fitted = store.count_originals(con)
        store.save_model(con, tracking.MODEL_NAME, model.dumps(), model.fitted_at)
    return count


def batch(db: Path, folder: Path, size: int, offset: int) -> Path:
    """`size` Reuters texts as new articles dated the day after the corpus ends.

    Each text's words are reversed: the same words for the topic model, no shared word
    3-grams, so that they are new articles and not near-duplicates of the stored ones.
    """
    with connect(db, read_only=True) as con:
        last = con.execute("SELECT max(published) FROM articles").fetchone()[0]
        rows = con.execute("SELECT title, body FROM articles WHERE duplicate_of IS NULL AND id LIKE '%-0' ORDER BY id LIMIT ? OFFSET ?",
                           [size, offset]).fetchall()
    day = last + timedelta(days=1)
    path = folder / f"batch-{offset}.jsonl"
    run = datetime.now(UTC).strftime("%H%M%S")  # a database kept with --db gets new ids on every run
    path.write_text("".join(json.dumps({"id": f"new-{run}-{offset}-{i}", "title": _reversed(t), "text": _reversed(b),
                                        "published": day.isoformat() + "Z",
                                        "source": "Wire"}) + "\n" for i, (t, b) in enumerate(rows)), encoding="utf-8")
    return path


def _reversed(text: str | None) -> str:
    return " ".join(reversed((text or "").split()))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--copies", type=int, default=48)
    parser.add_argument("--db", type=Path, help="the million-article database: built there when missing, reused when present "
                                                "(each run adds its new articles to it)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = args.db or folder / "million.duckdb"
        if not db.exists():
            started = time.perf_counter()
            count = replicate(source_db(folder), db, args.copies)
            print(f"built {count:,} articles in {time.perf_counter() - started:.0f} s")
        print(f"machine: {machine()}")
        with connect(db, read_only=True) as con:  # texts not used by an earlier run on a kept database
            used = con.execute("SELECT count(*) FROM articles WHERE external_id LIKE 'new-%'").fetchone()[0]
        for size, offset in ((300, used), (1000, used + 300), (1000, used + 1300)):
            path = batch(db, folder, size, offset)
            started = time.perf_counter()
            cli(["ingest", str(path), "--db", str(db), "--no-enrich", "--quiet"])
            ingest_seconds = time.perf_counter() - started
            ids = mark_enriched(db)
            started = time.perf_counter()
            _, refitted, born = tracking.step(db, ids)
            seconds = time.perf_counter() - started
            print(f"batch of {len(ids):>5,} new: ingest {ingest_seconds:5.1f} s · topic step {seconds:5.2f} s "
                  f"({seconds / len(ids) * 1000:.2f} s per 1,000) · refitted: {refitted} · topics born: {len(born)}")


if __name__ == "__main__":
    main()
