"""Many writers on one lake: Reuters-21578 ingested by 1, 2 and 4 processes at once, and the lag
from a commit to a replica seeing it.

    python benchmarks/writers.py [--writers 1 2 4]

Starts a throwaway PostgreSQL (Debian's binaries) for the catalog; the data goes to a temporary
folder. The corpus's 22 files are dealt round-robin to the writers, which start together
(`--no-enrich`: parsing and storing only; enrichment takes turns through its own lock). For
each run it prints the wall time and articles/s, the cores the writers kept busy (their CPU
seconds over the wall time), each writer's claim steps (how long it waited for its turn to
claim and how long it held it: store/claims.py), its wait for the shared write lock (nonzero
only when a migration or an enrichment holds it alone), the transactions it started again
after a conflict, and what the lake holds afterwards (commits, Parquet files, catalog size).
The DuckDB file, one writer, is the baseline.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import CORPORA, ROOT, machine
from _lake import throwaway_postgres

WRITER = """
import json, resource, sys, time
from dashboard import config
from dashboard.load import ingest
from dashboard.store import claims, engine
db = config.db_path(sys.argv[1])
started = time.perf_counter()
s = ingest(sys.argv[2:], db, progress=False, report=lambda _: None)
usage = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"read": s.read, "new": s.new, "duplicates": s.duplicates, "unchanged": s.unchanged,
                  "seconds": time.perf_counter() - started, "cpu": usage.ru_utime + usage.ru_stime,
                  "waited": engine.STATS.waited, "held": engine.STATS.held, "turns": engine.STATS.taken,
                  "steps": claims.STATS.steps, "step_wait": claims.STATS.waited, "step_held": claims.STATS.held,
                  "restarts": claims.STATS.restarts}))
"""

READER = """
import sys, time
from dashboard import config
from dashboard.store import connect, engine
db = config.db_path(sys.argv[1])
with connect(db, read_only=True) as con:
    last = engine.snapshot(con)
print("ready", flush=True)
while True:
    with connect(db, read_only=True) as con:
        now = engine.snapshot(con)
    if now != last:
        print(time.time(), flush=True)
        last = now
    time.sleep(0.005)
"""


def run_writers(db: str, files: list[Path], writers: int) -> tuple[float, list[dict]]:
    shares = [[str(f) for f in files[i::writers]] for i in range(writers)]
    started = time.perf_counter()
    processes = [subprocess.Popen([sys.executable, "-c", WRITER, db, *share], cwd=ROOT, stdout=subprocess.PIPE, text=True)
                 for share in shares]
    results = [json.loads(p.communicate()[0].strip().splitlines()[-1]) for p in processes]
    return time.perf_counter() - started, results


def lake_figures(address: str, data: Path) -> str:
    from dashboard import config
    from dashboard.store import connect, engine

    lake = config.db_path(address)
    with connect(lake, read_only=True) as con:
        snapshots = con.execute(f"SELECT count(*) FROM ducklake_snapshots('{engine.CATALOG}')").fetchone()[0]
        catalog = con.execute(f"SELECT * FROM postgres_query('{engine.LOCKS}', 'SELECT pg_database_size(current_database())')").fetchone()[0]
    files = list(data.rglob("*.parquet"))
    size = sum(f.stat().st_size for f in files)
    return f"{snapshots} commits, {len(files)} Parquet files ({size / 2**20:.0f} MiB), catalog {catalog / 2**20:.1f} MiB"


def lag(address: str, rounds: int = 20) -> list[float]:
    """Milliseconds from a writer's COMMIT returning to another process seeing the new snapshot."""
    from dashboard import config
    from dashboard.store import connect, transaction

    lake = config.db_path(address)
    reader = subprocess.Popen([sys.executable, "-c", READER, address], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert reader.stdout.readline().strip() == "ready"
    lags = []
    try:
        for i in range(rounds):
            with connect(lake) as con, transaction(con):
                con.execute("INSERT INTO ingest_runs VALUES (?, now()::TIMESTAMP, 'ok', 0, 0, 0, 0, 'lag probe')", [f"probe {i}"])
            committed = time.time()
            seen = float(reader.stdout.readline())
            lags.append((seen - committed) * 1000)
            time.sleep(0.2)
    finally:
        reader.kill()
    return lags


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--writers", type=int, nargs="+", default=[1, 2, 4])
    args = parser.parse_args()
    files = sorted((CORPORA / "reuters21578").glob("reut2-*.sgm"))
    print(f"machine: {machine()}")
    print(f"corpus: Reuters-21578, {len(files)} files dealt round-robin to the writers; parse + store, no enrichment")
    with tempfile.TemporaryDirectory() as tmp, throwaway_postgres() as cluster:
        seconds, (result,) = run_writers(str(Path(tmp) / "file.duckdb"), files, 1)
        print(f"{'file, 1 writer':<16} {seconds:6.1f} s  {result['read'] / seconds:6,.0f} articles/s  cpu {result['cpu']:.1f} s")
        print(f"load before the lake runs: {os.getloadavg()[0]:.1f}")
        for count in args.writers:
            data = Path(tmp) / f"lake{count}"
            address = cluster.lake(data)
            seconds, results = run_writers(address, files, count)
            read = sum(r["read"] for r in results)
            stored = sum(r["new"] + r["duplicates"] for r in results)
            cores = sum(r["cpu"] for r in results) / seconds
            print(f"{f'lake, {count} writer' + ('s' if count > 1 else ''):<16} {seconds:6.1f} s  {read / seconds:6,.0f} articles/s  "
                  f"stored {stored:,}, {cores:.2f} cores busy; per writer: " + "; ".join(
                      f"cpu {r['cpu']:.1f} s, {r['steps']} claim steps waiting {r['step_wait']:.2f} s holding {r['step_held']:.2f} s, "
                      f"write lock (shared) waited {r['waited']:.2f} s, {r['restarts']} restarts"
                      for r in results))
            print(f"{'':<16} {lake_figures(address, data)}; load average now {os.getloadavg()[0]:.1f}")
        address = cluster.lake(Path(tmp) / "lag")
        found = sorted(lag(address))
        print(f"commit -> another process sees the snapshot: median {found[len(found) // 2]:.0f} ms, "
              f"worst {found[-1]:.0f} ms over {len(found)} commits (a page adds up to its 250 ms snapshot cache)")


if __name__ == "__main__":
    main()
