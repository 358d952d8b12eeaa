"""Finding things despite typos and accents: the entity lookup and "did you mean" for searches, on real DuckDB files."""

from __future__ import annotations

import json

import pandas as pd

from dashboard.store import connect
from dashboard.store import queries as q
from tests.conftest import cli

POOL = pd.DataFrame({
    "name": ["Saddam Hussein", "Anwar Sadat", "Recep Tayyip Erdoğan", "Baghdad", "Sadr City"],
    "type": ["PERSON", "PERSON", "PERSON", "GPE", "GPE"],
    "aliases": [["Saddam"], [], ["Erdoğan"], [], []],
    "mentions": [900, 40, 300, 700, 15],
})


def test_a_misspelt_or_unaccented_name_finds_the_entity():
    assert q.rank_entities(POOL, "sadam", 3)["name"].iloc[0] == "Saddam Hussein"
    assert q.rank_entities(POOL, "erdogan", 3)["name"].iloc[0] == "Recep Tayyip Erdoğan"
    assert q.rank_entities(POOL, "ERDOĞAN", 3)["name"].iloc[0] == "Recep Tayyip Erdoğan"
    assert q.rank_entities(POOL, "bagdad", 3)["name"].iloc[0] == "Baghdad"
    assert q.rank_entities(POOL, "zzzzqx", 3).empty
    assert q.rank_entities(POOL, "   ", 3).empty


def test_the_better_known_of_two_close_names_comes_first():
    pool = pd.DataFrame({"name": ["Sadat", "Saddam"], "type": ["PERSON"] * 2, "aliases": [[], []], "mentions": [5, 5000]})
    found = q.rank_entities(pool, "sada", 2)
    assert list(found["name"]) == ["Saddam", "Sadat"]
    assert found["score"].between(q.LOOKUP_MIN_SCORE, 100).all()


def test_entity_lookup_reads_the_most_mentioned_entities(synthetic_db):
    with connect(synthetic_db, read_only=True) as con:
        assert q.entity_lookup(con, "macorn", 1)["name"].tolist() == ["Emmanuel Macron"]
        assert q.entity_lookup(con, "angla merkl", 1)["name"].tolist() == ["Angela Merkel"]


def test_did_you_mean_offers_the_closest_search_that_finds_something(tmp_path):
    records = [{"id": f"a{i}", "title": title, "text": text, "published": f"2003-03-2{i}"}
               for i, (title, text) in enumerate([("Blasts in Baghdad", "Explosions shook Baghdad overnight."),
                                                  ("Baghdad braces", "Residents of Baghdad stocked up on water."),
                                                  ("Markets steady", "Oil prices were steady in London.")])]
    source = tmp_path / "news.jsonl"
    source.write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    db = tmp_path / "news.duckdb"
    assert cli("ingest", source, "--db", db, "--no-enrich", "--quiet") == 0
    with connect(db, read_only=True) as con:
        assert q.count_articles(con, q.Filters(q="bagdad")) == 0
        assert q.suggest_search(con, "bagdad") == ["baghdad"]
        assert q.suggest_search(con, "bagdad water") == ["baghdad water"]  # only the word no article has is replaced
        assert q.suggest_search(con, "baghdad") == []  # nothing to correct
        assert q.suggest_search(con, "qqqqzz") == []  # nothing close
