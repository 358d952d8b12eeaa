"""Admin corrections to the entities (store/curation.py) on a real DuckDB file: merge, rename, hide,
each listed, undone, and still true after the entities are rebuilt by a re-enrichment from scratch."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import pytest

from dashboard.store import connect, curation, transaction
from dashboard.store import queries as q
from dashboard.store.queries import Filters
from tests.conftest import cli, rows

NOW = datetime(2026, 1, 1, 12, 0)


@pytest.fixture
def curated_db(synthetic_db: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "curated.duckdb"
    shutil.copy(synthetic_db, copy)
    return copy


def articles_of(db: Path, name: str) -> set[str]:
    """The articles whose stored mentions name the entity, read from the mentions themselves."""
    return {r[0] for r in rows(db, "SELECT m.article_id FROM mentions m JOIN entities e ON e.id = m.entity_id WHERE e.name = ?", [name])}


def page_count(db: Path, name: str) -> int:
    """Articles the dashboard counts for the entity (article_entities, as every page reads it)."""
    with connect(db, read_only=True) as con:
        top = q.top_entities(con, Filters(), 100)
    found = top[top["name"] == name]["articles"]
    return int(found.iloc[0]) if len(found) else 0


def correct(db: Path, fn, *args) -> int:
    with connect(db) as con, transaction(con):
        return fn(con, *args)


def reenrich_from_scratch(db: Path) -> None:
    """Forget every entity, mention and quote, and enrich the whole corpus again."""
    with connect(db) as con, transaction(con):
        for table in ("enriched", "mentions", "quotes", "entities", "article_entities"):
            con.execute(f"DELETE FROM {table}")
    assert cli("enrich", "--db", db, "--quiet") == 0


def test_a_merge_moves_everything_is_listed_survives_reenrichment_and_undoes(curated_db):
    source, target = "Justin Trudeau", "Canada"
    own, theirs = articles_of(curated_db, source), articles_of(curated_db, target)
    assert own and theirs and own != theirs
    merge_id = correct(curated_db, curation.merge, source, target, NOW)
    assert articles_of(curated_db, source) == set() and articles_of(curated_db, target) == own | theirs
    assert page_count(curated_db, target) == len(own | theirs) and page_count(curated_db, source) == 0
    assert source in rows(curated_db, "SELECT aliases FROM entities WHERE name = ?", [target])[0][0]
    with connect(curated_db, read_only=True) as con:
        listed = curation.listing(con)
        assert list(listed[["action", "name", "target"]].itertuples(index=False, name=None)) == [("merge", source, target)]
        assert q.entity_lookup(con, "trudeau", 1)["name"].tolist() == [target]  # the old name finds where it went

    reenrich_from_scratch(curated_db)
    assert articles_of(curated_db, source) == set()
    assert articles_of(curated_db, target) == own | theirs
    assert page_count(curated_db, target) == len(own | theirs)

    correct(curated_db, curation.undo, merge_id)
    assert articles_of(curated_db, source) == own and articles_of(curated_db, target) == theirs
    assert page_count(curated_db, source) == len(own) and page_count(curated_db, target) == len(theirs)
    assert source not in rows(curated_db, "SELECT aliases FROM entities WHERE name = ?", [target])[0][0]
    with connect(curated_db, read_only=True) as con:
        assert curation.listing(con).empty


def test_a_rename_keeps_the_old_name_as_alias_survives_reenrichment_and_undoes(curated_db):
    own = articles_of(curated_db, "Angela Merkel")
    rename_id = correct(curated_db, curation.rename, "Angela Merkel", "Chancellor Merkel", NOW)
    assert articles_of(curated_db, "Chancellor Merkel") == own and page_count(curated_db, "Chancellor Merkel") == len(own)
    with connect(curated_db, read_only=True) as con:
        assert q.entities_named(con, ["Chancellor Merkel"])["aliases"].tolist()[0].tolist() == ["Angela Merkel"]
    reenrich_from_scratch(curated_db)
    assert articles_of(curated_db, "Chancellor Merkel") == own and articles_of(curated_db, "Angela Merkel") == set()
    correct(curated_db, curation.undo, rename_id)
    assert articles_of(curated_db, "Angela Merkel") == own and articles_of(curated_db, "Chancellor Merkel") == set()


def test_a_hidden_entity_shows_nowhere_survives_reenrichment_and_comes_back(curated_db):
    assert page_count(curated_db, "Toyota") > 0
    hide_id = correct(curated_db, curation.hide, "Toyota", NOW)
    assert page_count(curated_db, "Toyota") == 0
    with connect(curated_db, read_only=True) as con:
        assert "Toyota" not in set(q.entity_choices(con)["name"])
    reenrich_from_scratch(curated_db)
    assert page_count(curated_db, "Toyota") == 0 and articles_of(curated_db, "Toyota")  # stored, not shown
    correct(curated_db, curation.undo, hide_id)
    assert page_count(curated_db, "Toyota") == len(articles_of(curated_db, "Toyota"))


def test_impossible_corrections_say_why_and_change_nothing(curated_db):
    before = rows(curated_db, "SELECT id, name, aliases FROM entities ORDER BY id")
    for fn, args, message in ((curation.merge, ("Nobody", "Canada"), "no entity"),
                              (curation.merge, ("Canada", "Canada"), "already one entity"),
                              (curation.rename, ("Canada", "Japan"), "merge the two instead"),
                              (curation.hide, ("Nobody",), "no entity")):
        with pytest.raises(curation.CurationError, match=message):
            correct(curated_db, fn, *args, NOW)
    assert rows(curated_db, "SELECT id, name, aliases FROM entities ORDER BY id") == before


def test_a_hidden_speaker_is_named_by_no_quote(curated_db):
    (speaker, said), = rows(curated_db, """SELECT e.name, count(*) FROM quotes q JOIN entities e ON e.id = q.speaker_id
                                          JOIN articles a ON a.id = q.article_id WHERE a.duplicate_of IS NULL
                                          GROUP BY e.name ORDER BY count(*) DESC, e.name LIMIT 1""")
    (total,), = rows(curated_db, "SELECT count(*) FROM quotes q JOIN articles a ON a.id = q.article_id WHERE a.duplicate_of IS NULL")
    (attributed,), = rows(curated_db, """SELECT count(*) FROM quotes q JOIN articles a ON a.id = q.article_id
                                        WHERE a.duplicate_of IS NULL AND q.speaker_id IS NOT NULL""")
    with connect(curated_db, read_only=True) as con:
        assert speaker in q.speakers(con, Filters()) and speaker in set(q.quotes(con, Filters(), limit=10_000)["speaker"])
    correct(curated_db, curation.hide, speaker, NOW)
    with connect(curated_db, read_only=True) as con:
        every = q.quotes(con, Filters(), limit=10_000)
        named = q.quotes(con, Filters(), limit=10_000, attributed_only=True)
        listed = q.speakers(con, Filters())
    assert len(every) == total  # the quotes stay, their speaker unknown
    assert speaker not in set(every["speaker"]) and every["speaker"].isna().sum() == total - attributed + said
    assert len(named) == attributed - said and speaker not in set(named["speaker"])
    assert speaker not in listed
