"""The derived tables (daily counts, article entities, search index) are rebuilt once per enrichment,
not twice: each rebuild reads every article or mention, seconds at a million articles."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from dashboard.store import daily, enrichment, search
from dashboard.store.check import check
from tests.conftest import SYNTHETIC, cli

# (module, function) -> what it rebuilds
REBUILDS = {
    (daily, "refresh"): "daily counts, all days",
    (daily, "refresh_days"): "daily counts, some days",
    (daily, "refresh_terms"): "common words' counts, all days",
    (enrichment, "refresh_article_entities"): "article entities",
    (search, "compact"): "search index",
    (search, "rebuild"): "search index, from scratch",
}


@pytest.fixture
def rebuilds(monkeypatch) -> Counter:
    """Calls of each rebuild, counted while the real one runs."""
    calls: Counter = Counter()
    for (module, name), label in REBUILDS.items():
        monkeypatch.setattr(module, name, _counting(getattr(module, name), label, calls))
    return calls


def _counting(real, label: str, calls: Counter):
    def counted(*args, **kwargs):
        calls[label] += 1
        return real(*args, **kwargs)
    return counted


def _part(tmp_path: Path, name: str, lines: list[str]) -> Path:
    path = tmp_path / name
    path.write_text("".join(lines), encoding="utf-8")
    return path


def test_each_enrichment_rebuilds_each_derived_table_once(tmp_path, rebuilds):
    lines = SYNTHETIC.read_text(encoding="utf-8").splitlines(keepends=True)
    db = tmp_path / "news.duckdb"
    cut = len(lines) * 9 // 10
    assert cli("ingest", _part(tmp_path, "first.jsonl", lines[:cut]), "--db", db, "--no-enrich", "--quiet") == 0
    rebuilds.clear()
    assert cli("enrich", "--db", db) == 0  # the first: topics fitted, every article assigned
    assert rebuilds == {"daily counts, all days": 1, "common words' counts, all days": 1, "article entities": 1}

    assert cli("ingest", _part(tmp_path, "more.jsonl", lines[cut:]), "--db", db, "--no-enrich", "--quiet") == 0
    rebuilds.clear()
    assert cli("enrich", "--db", db) == 0  # a few more: the online step assigns them
    assert rebuilds["article entities"] == 1
    assert rebuilds["daily counts, all days"] + rebuilds["daily counts, some days"] == 1
    assert rebuilds["common words' counts, all days"] == rebuilds["daily counts, all days"]  # some days: recounted with them
    assert not rebuilds["search index"] and not rebuilds["search index, from scratch"]  # the index is the ingest's

    assert check(db) == []  # and once was enough: daily counts (and the common words'), article entities in step with the articles


def test_a_common_words_counts_out_of_step_are_found_and_recounted_with_their_day(synthetic_db, tmp_path):
    import shutil

    import duckdb

    db = tmp_path / "news.duckdb"
    shutil.copy(synthetic_db, db)
    with duckdb.connect(str(db)) as con:
        ((day, ids),) = con.execute("SELECT a.published::DATE, list(a.id) FROM articles a JOIN search_postings s ON s.article_key = a.key "
                                    "WHERE s.term = 'crude' AND a.duplicate_of IS NULL GROUP BY 1 ORDER BY 1 LIMIT 1").fetchall()
        con.execute("UPDATE term_counts SET articles = articles + 1 WHERE term = 'crude' AND day = ?", [day])
    (problem,) = check(db)  # the row stored, and the row a fresh count gives
    assert problem.endswith(" daily counts (all articles or a common word's) out of step with the articles")
    with duckdb.connect(str(db)) as con:
        daily.refresh_days(con, ids)  # that day's articles recounted: in step again
    assert check(db) == []
