"""Crash safety: an ingest killed with SIGKILL at a random moment leaves whole inputs only."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time

import pytest

from tests.conftest import ROOT, cli, corpus, reuters_with_text, rows

pytestmark = pytest.mark.slow


def _start(args: list[str]) -> subprocess.Popen:
    """A CLI run in a session of its own, so that a kill reaches its worker processes too."""
    return subprocess.Popen([sys.executable, "-m", "dashboard", *args], cwd=ROOT, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _kill(process: subprocess.Popen) -> None:
    """SIGKILL the whole job, as a cron timeout or the OOM killer would."""
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_killed_ingest_keeps_whole_inputs_and_resumes(tmp_path, seed):
    folder = corpus("reuters21578")
    files = sorted(folder.glob("reut2-00*.sgm"))  # 10 files, 10,000 records
    db = tmp_path / "crash.duckdb"
    process = _start(["ingest", *map(str, files), "--db", str(db), "--no-enrich", "--quiet"])
    time.sleep(random.Random(seed).uniform(1.0, 4.0))
    _kill(process)

    if db.exists():
        assert cli("check", "--db", db) == 0
        stored, distinct = rows(db, "SELECT count(*), count(DISTINCT id) FROM articles")[0]
        logged = rows(db, "SELECT coalesce(sum(new + duplicates), 0) FROM ingest_runs")[0][0]
        assert stored == distinct == logged  # every stored article belongs to a committed input
        per_input = rows(db, "SELECT origin, count(*) FROM articles GROUP BY origin")
        complete = dict(rows(db, "SELECT origin, new + duplicates FROM ingest_runs"))
        assert all(complete[origin] == count for origin, count in per_input)

    assert cli("ingest", *files, "--db", db, "--no-enrich", "--quiet") == 0
    stored, distinct = rows(db, "SELECT count(*), count(DISTINCT id) FROM articles")[0]
    expected = reuters_with_text(files)
    assert stored == distinct == expected
    assert cli("check", "--db", db) == 0


def test_killed_enrichment_leaves_a_consistent_database(tmp_path):
    folder = corpus("reuters21578")
    db = tmp_path / "enrich.duckdb"
    assert cli("ingest", folder / "reut2-000.sgm", folder / "reut2-001.sgm", "--db", db, "--no-enrich", "--quiet") == 0
    process = _start(["enrich", "--db", str(db), "--quiet"])
    time.sleep(8)
    _kill(process)
    assert cli("check", "--db", db) == 0
    marked = rows(db, "SELECT count(*) FROM enriched")[0][0]
    orphans = rows(db, "SELECT count(*) FROM mentions m ANTI JOIN enriched e ON e.article_id = m.article_id")[0][0]
    assert orphans == 0  # mentions only for articles whose chunk committed
    assert cli("enrich", "--db", db, "--quiet") == 0
    total = rows(db, "SELECT count(*) FROM articles")[0][0]
    assert rows(db, "SELECT count(*) FROM enriched")[0][0] == total >= marked
    assert rows(db, "SELECT count(*) FROM article_topics")[0][0] == total
    assert cli("check", "--db", db) == 0


def test_a_new_database_file_appears_whole_or_not_at_all(tmp_path, monkeypatch):
    """A process that dies while the schema of a new file is written leaves no file behind:
    DuckDB creates the file on connect, and a kill in that second used to leave one with no tables."""
    from dashboard.store import db as store

    db = tmp_path / "new.duckdb"

    def die(con, lake=False):
        raise KeyboardInterrupt  # the process stops here, as a SIGKILL would

    monkeypatch.setattr(store, "migrate", die)
    with pytest.raises(KeyboardInterrupt), store.connect(db):
        pass
    assert list(tmp_path.iterdir()) == []
    monkeypatch.undo()
    assert cli("ingest", ROOT / "seeds", "--db", db, "--no-enrich", "--quiet") == 0
    assert cli("check", "--db", db) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.duckdb"]
