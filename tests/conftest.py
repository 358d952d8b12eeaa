from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from dashboard.cli import main

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
CORPORA = ROOT.parent / "shared" / "corpora"
TABLES = ("articles", "signatures", "entities", "mentions", "quotes", "topics", "article_topics", "enriched")


def table_counts(db: Path) -> dict[str, int]:
    """Rows in every table of a database (an empty dict if it does not exist yet)."""
    if not db.exists():
        return {}
    with duckdb.connect(str(db), read_only=True) as con:
        tables = {row[0] for row in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES if t in tables}


def rows(db: Path, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def cli(*args: str | Path) -> int:
    return main([str(a) for a in args])


def corpus(name: str) -> Path:
    path = CORPORA / name
    if not path.exists():
        pytest.skip(f"corpus {name} not present beside the repository")
    return path


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "news.duckdb"


@pytest.fixture
def seed_db(db: Path) -> Path:
    assert cli("ingest", SEEDS, "--db", db, "--no-enrich", "--quiet") == 0
    return db
