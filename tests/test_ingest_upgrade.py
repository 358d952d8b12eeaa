"""A database made before articles had an author column: upgraded by the next writer, and still
whole if that writer is killed at once (an ALTER left in DuckDB's log would not replay)."""

from __future__ import annotations

import re
import subprocess
import sys

import duckdb

from dashboard.store.db import schema_sql
from tests.conftest import FIXTURES, ROOT, cli, rows

_KILLED_WRITER = """
import os, signal, sys
from datetime import datetime
from pathlib import Path
from dashboard.model import Article
from dashboard.store import connect, daily, transaction, write
with connect(Path(sys.argv[1])) as con:
    with transaction(con):
        write.insert_articles(con, [Article(source="Gazette", title="Wall", body="Body.", external_id="a1",
                                            author="Jane Smith")], {}, ["old"], datetime(2025, 3, 11))
        daily.refresh(con)
    os.kill(os.getpid(), signal.SIGKILL)
"""


def test_an_old_database_gets_the_author_column_and_survives_a_kill(tmp_path):
    db = tmp_path / "old.duckdb"
    old_schema = re.sub(r"(?m)^ALTER TABLE articles ADD COLUMN IF NOT EXISTS author.*$", "",
                        schema_sql().replace(",\n    author           VARCHAR", ""))
    with duckdb.connect(str(db)) as con:
        con.execute(old_schema)
        assert "author" not in {c for (c,) in con.execute("SELECT column_name FROM information_schema.columns "
                                                         "WHERE table_name = 'articles'").fetchall()}
    result = subprocess.run([sys.executable, "-c", _KILLED_WRITER, str(db)], cwd=ROOT, capture_output=True, timeout=120)
    assert result.returncode == -9, result.stderr
    assert cli("check", "--db", db) == 0
    assert rows(db, "SELECT external_id, author FROM articles") == [("a1", "Jane Smith")]
    assert cli("ingest", FIXTURES / "feed_boilerplate.rss", "--db", db, "--no-enrich", "--quiet") == 0
    assert rows(db, "SELECT count(*) FROM articles WHERE author = 'Tom Brown'") == [(2,)]
