"""Ingest + enrichment of Reuters-21578, stage by stage, against bare spaCy NER as the floor.

    python benchmarks/enrich.py [--limit N]

Prints articles/s, seconds per stage, peak memory, the bare-NER floor measured in the same
run (the same pipeline, nlp.pipe over the same texts with 2 processes), and the time to put
100 new articles into the existing topics.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from _common import CORPORA, machine, peak_memory_mb

from dashboard.load import ingest
from dashboard.model import article_text
from dashboard.nlp.entities import load_pipeline
from dashboard.nlp.pipeline import MAX_NER_CHARS, enrich
from dashboard.nlp.tracking import update
from dashboard.store import connect


def bare_ner(texts: list[str]) -> float:
    nlp = load_pipeline()
    started = time.perf_counter()
    for _ in nlp.pipe([t[:MAX_NER_CHARS] for t in texts], batch_size=64, n_process=2):
        pass
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--limit", type=int, help="only the first N Reuters files (of 22)")
    args = parser.parse_args()
    files = sorted((CORPORA / "reuters21578").glob("reut2-*.sgm"))[: args.limit or None]
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "reuters.duckdb"
        started = time.perf_counter()
        summary = ingest([str(f) for f in files], db, progress=False, report=lambda _: None)
        parse_store = time.perf_counter() - started
        started = time.perf_counter()
        report = enrich(db, progress=False)
        enrichment = time.perf_counter() - started
        total = parse_store + enrichment
        with connect(db, read_only=True) as con:
            rows = con.execute("SELECT title, body FROM articles WHERE duplicate_of IS NULL ORDER BY id").fetchall()
            new_ids = [r[0] for r in con.execute("SELECT id FROM articles WHERE duplicate_of IS NULL ORDER BY id LIMIT 100").fetchall()]
        texts = [article_text(t, b) for t, b in rows]
        words = sum(len(t.split()) for t in texts)
        floor = bare_ner(texts)
        started = time.perf_counter()
        update(db, new_ids)
        assign_100 = time.perf_counter() - started
    print(f"machine: {machine()}")
    print(f"articles read {summary.read:,}, stored {summary.new + summary.duplicates:,}, enriched {report.articles:,} ({words:,} words)")
    print(f"parse + store       {parse_store:7.1f} s   ({summary.read / parse_store:,.0f} articles/s)")
    for stage, seconds in report.seconds.items():
        print(f"  enrich: {stage:<10} {seconds:7.1f} s")
    print(f"ingest + enrich     {total:7.1f} s   ({summary.read / total:,.0f} articles/s)")
    print(f"bare NER floor      {floor:7.1f} s   ({words / floor:,.0f} words/s, 2 processes)")
    print(f"ratio to the floor  {total / floor:7.2f}x  (target <= 1.3x)")
    print(f"assign 100 articles {assign_100:7.2f} s   (target < 5 s)")
    print(f"peak memory         {peak_memory_mb():7.0f} MiB (target < 2048)")


if __name__ == "__main__":
    main()
