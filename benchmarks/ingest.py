"""Parsing + storing the whole Reuters-21578 corpus: articles/s and peak memory.

    python benchmarks/ingest.py

Target: the whole corpus in under 20 s on a 2-core machine.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from _common import CORPORA, machine, peak_memory_mb

from dashboard.load import ingest


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "reuters.duckdb"
        started = time.perf_counter()
        summary = ingest([str(CORPORA / "reuters21578")], db, progress=False, report=lambda _: None)
        seconds = time.perf_counter() - started
        started = time.perf_counter()
        again = ingest([str(CORPORA / "reuters21578")], db, progress=False, report=lambda _: None)
        reingest = time.perf_counter() - started
        size = db.stat().st_size
    print(f"machine: {machine()}")
    print(f"records read {summary.read:,} · new {summary.new:,} · near-duplicates {summary.duplicates:,} · rejected {summary.rejected:,}")
    print(f"parse + store {seconds:6.1f} s  ({summary.read / seconds:,.0f} articles/s; target: < 20 s)")
    print(f"re-ingest     {reingest:6.1f} s  (new {again.new}, already stored {again.unchanged:,})")
    print(f"database      {size / 2**20:6.1f} MiB")
    print(f"peak memory   {peak_memory_mb():6.0f} MiB")


if __name__ == "__main__":
    main()
