"""Queries of store/queries.py that the pages reach by name (the Topics page's life story of a topic, a
story's card), checked directly on a copy of the synthetic corpus with rows added by hand.

The pages' tests reach these only through AppTest, which mutation testing leaves out (a run of the app
per change); here each column of the answer is compared with values written out in the test or read
from the stored rows with plain SQL of the test's own.
"""

from __future__ import annotations

import json
import shutil
from datetime import date, datetime
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from dashboard.store import connect
from dashboard.store import queries as q
from dashboard.store.queries import Filters
from tests.conftest import cli, rows
from tests.test_queries import selected, stored


@pytest.fixture
def copy_db(synthetic_db: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "copy.duckdb"
    shutil.copy(synthetic_db, copy)
    return copy


def _events(frame: pd.DataFrame) -> list[tuple]:
    """(day, event, other topic, its label) per row, as plain values (pandas reads dates as timestamps, ids as floats)."""
    return [(pd.Timestamp(r.day).date(), r.event, None if pd.isna(r.other_id) else int(r.other_id), r.other_label)
            for r in frame.itertuples()]


def _label(db: Path, topic_id: int) -> str:
    return rows(db, "SELECT label FROM topics WHERE id = ?", [topic_id])[0][0]


# (topic_id, event, other_id, day, recorded_at, label as it was): topic 1 was born, took topic 2 in
# (a merge recorded without a day), then split into 2 and 3 at one moment; 3 and 4 touch neither 1 nor 2.
EVENTS = [
    (1, "born", None, date(2024, 1, 5), datetime(2024, 1, 6), "flood words"),
    (2, "merged", 1, None, datetime(2024, 3, 1, 8), "gas then"),
    (1, "split", 3, date(2024, 3, 1), datetime(2024, 3, 2, 10), "flood then"),
    (1, "split", 2, date(2024, 3, 1), datetime(2024, 3, 2, 10), "flood then"),
    (3, "merged", 4, date(2024, 3, 9), datetime(2024, 3, 10), "votes then"),
]


@pytest.fixture
def events_db(copy_db: Path) -> Path:
    with connect(copy_db) as con:
        con.executemany("INSERT INTO topic_events (topic_id, event, other_id, day, recorded_at, label) VALUES (?, ?, ?, ?, ?, ?)",
                        [list(e) for e in EVENTS])
        con.execute("UPDATE topics SET custom_label = 'Energy' WHERE id = 2")
    return copy_db


def test_a_topics_lineage_reads_each_event_from_its_side(events_db):
    auto = {t: _label(events_db, t) for t in (1, 3)}
    with connect(events_db, read_only=True) as con:
        one = _events(q.lineage(con, 1))
        two = _events(q.lineage(con, 2))
        five = q.lineage(con, 5)
    # Oldest first; two events recorded at one moment by the other topic's id. The other topic is
    # named as it is now (its custom label before its own); a topic named on the other side of an
    # event ("... from") by its label at the time, which outlives a topic merged away.
    assert one == [
        (date(2024, 1, 5), "born", None, ""),  # no other topic: no label
        (date(2024, 3, 1), "merged from", 2, "gas then"),  # no day: the day it was recorded
        (date(2024, 3, 1), "split", 2, "Energy"),
        (date(2024, 3, 1), "split", 3, auto[3]),
    ]
    assert two == [
        (date(2024, 3, 1), "merged", 1, auto[1]),
        (date(2024, 3, 1), "split from", 1, "flood then"),
    ]
    assert five.empty and list(five.columns) == ["day", "event", "other_id", "other_label"]


def test_a_story_is_its_row_with_its_headline_and_its_topics_label(copy_db):
    story_id, headline_id, topic_id, first, last, size, sources = rows(
        copy_db, "SELECT id, headline_article, topic_id, first_day, last_day, size, sources FROM stories ORDER BY size DESC, id LIMIT 1")[0]
    title = rows(copy_db, "SELECT title FROM articles WHERE id = ?", [headline_id])[0][0]
    expected = {"id": story_id, "headline": title, "headline_id": headline_id, "topic_id": topic_id, "topic": _label(copy_db, topic_id),
                "first_day": first, "last_day": last, "size": size, "sources": sources}
    with connect(copy_db, read_only=True) as con:
        assert q.story(con, story_id) == expected
        assert q.story(con, -1) is None
    with connect(copy_db) as con:
        con.execute("UPDATE topics SET custom_label = 'Renamed' WHERE id = ?", [topic_id])
        con.execute("UPDATE stories SET headline_article = NULL WHERE id = ?", [story_id])
    with connect(copy_db, read_only=True) as con:
        assert q.story(con, story_id) == {**expected, "topic": "Renamed", "headline": None, "headline_id": None}


# Selections whose stories differ: everything, one source, a month, an entity, a search, duplicates too.
STORY_FILTERS = [Filters(), Filters(source="Harbour Post"), Filters(start=date(2024, 2, 1), end=date(2024, 2, 29)),
                 Filters(entities=("Angela Merkel",)), Filters(q="oil"), Filters(duplicates=True, source="Metro Wire")]


def expected_stories(db: Path, f: Filters, limit: int, min_size: int, since: date | None) -> list[tuple]:
    """The biggest stories with an article in the selection (test_queries' own filter), in plain Python."""
    chosen = set(selected(stored(db), f)["id"])
    story_of = dict(rows(db, "SELECT article_id, story_id FROM article_stories"))
    ids = {story_of[a] for a in chosen if a in story_of}
    titles = dict(rows(db, "SELECT id, title FROM articles"))
    found = [(sid, titles.get(head), head, topic, first, last, size, sources)
             for sid, head, topic, first, last, size, sources in rows(db, "SELECT id, headline_article, topic_id, first_day, last_day, "
                                                                          "size, sources FROM stories")
             if sid in ids and size >= min_size and (since is None or first >= since)]
    return sorted(found, key=lambda s: (-s[6], -s[5].toordinal(), s[0]))[:limit]


@pytest.mark.parametrize("f", STORY_FILTERS)
def test_stories_are_the_biggest_with_an_article_in_the_selection(synthetic_db, f):
    with connect(synthetic_db, read_only=True) as con:
        listed = [tuple(r) for r in q.stories(con, f, 50).itertuples(index=False)]
    want = expected_stories(synthetic_db, f, 50, 1, None)
    assert 0 < len(want) < 38 or f == Filters()  # the selection changes which stories are listed
    assert [(s[0], s[1], s[2], s[3], s[6]) for s in listed] == [(s[0], s[1], s[2], s[3], s[6]) for s in want]
    assert [(pd.Timestamp(s[4]).date(), pd.Timestamp(s[5]).date(), list(s[7])) for s in listed] == \
        [(s[4], s[5], list(s[7])) for s in want]


def test_stories_limit_smallest_size_and_first_day(synthetic_db):
    sizes = sorted({size for (size,) in rows(synthetic_db, "SELECT size FROM stories")})
    firsts = sorted({first for (first,) in rows(synthetic_db, "SELECT first_day FROM stories")})
    middle_size, middle_day = sizes[len(sizes) // 2], firsts[len(firsts) // 2]  # some story is exactly that big, or begins that day
    with connect(synthetic_db, read_only=True) as con:
        assert q.stories(con, Filters())["id"].tolist() == [s[0] for s in expected_stories(synthetic_db, Filters(), 10, 1, None)]
        assert len(q.stories(con, Filters())) == 10  # ten by default, of 38
        for limit, min_size, since in [(3, 1, None), (50, middle_size, None), (50, 1, middle_day), (50, middle_size, middle_day)]:
            # a story exactly that big, or beginning exactly that day, is in (>=)
            want = [s[0] for s in expected_stories(synthetic_db, Filters(), limit, min_size, since)]
            assert q.stories(con, Filters(), limit, min_size, since)["id"].tolist() == want


# --- finding things: the entity lookup's ranking, "did you mean" -----------------------------------

def pool(*entities: tuple[str, list[str], int]) -> pd.DataFrame:
    """entity_choices' rows: (name, aliases, mentions), every one a person."""
    return pd.DataFrame({"name": [e[0] for e in entities], "type": ["PERSON"] * len(entities),
                         "aliases": [e[1] for e in entities], "mentions": [e[2] for e in entities]})


def test_a_lookup_gives_eight_by_default_best_first_with_plain_columns():
    kents = pool(*((f"{first} Kent", [], 10) for first in ("Ann", "Bob", "Cal", "Dee", "Eve", "Fay", "Gus", "Hal", "Ian", "Joe")))
    found = q.rank_entities(kents, "kent")
    assert len(found) == 8  # ten match; a page of eight
    assert list(found.columns) == ["name", "type", "aliases", "mentions", "score"] and list(found.index) == list(range(8))
    # equal scores and mentions: by name
    assert found["name"].tolist() == ["Ann Kent", "Bob Kent", "Cal Kent", "Dee Kent", "Eve Kent", "Fay Kent", "Gus Kent", "Hal Kent"]
    assert list(q.rank_entities(kents, " ").columns) == ["name", "type", "aliases", "mentions", "score"]


def test_a_short_name_is_found_when_typed_and_two_letters_shorter_is_still_a_match():
    countries = pool(("United Kingdom", ["UK"], 5), ("United States", ["US"], 5))
    assert q.rank_entities(countries, "uk")["name"].tolist() == ["United Kingdom"]  # two letters typed, a two-letter name
    assert q.rank_entities(countries, "usa")["name"].tolist()[0] == "United States"  # "US": one letter shorter than "usa"


def test_an_entity_scores_its_best_form_and_punctuation_does_not_count():
    found = q.rank_entities(pool(("Recep Tayyip Erdoğan", ["Erdoğan"], 3), ("Jean-Luc Picard", [], 3)), "erdogan")
    assert found[["name", "score"]].values.tolist() == [["Recep Tayyip Erdoğan", 100.0]]  # the alias (100), not the name (90)
    assert q.rank_entities(pool(("Jean-Luc Picard", [], 3)), "jean luc picard")["score"].tolist() == [100.0]


def test_a_name_typed_exactly_comes_before_a_better_known_close_one():
    # Sadat 100 + 5·log10(10) = 105 against Saddam 72.7 + 5·log10(100) = 82.7: the score weighs more than fame here
    assert q.rank_entities(pool(("Saddam", [], 100), ("Sadat", [], 10)), "sadat")["name"].tolist() == ["Sadat", "Saddam"]


SPELLINGS = [("Blasts in Baghdad", "Explosions shook Baghdad overnight."),
             ("Baghdad braces", "Residents of Baghdad stocked up on water."),
             ("Football final", "The football final drew a crowd in Paris."),
             ("Parks reopen", "City parks reopened after the storm."),
             ("Bankers meet", "Bankers and banks met as parks closed."),
             ("Banked on", "The bank banked on a banker; the parks stayed open."),
             ("Parts shortage", "Car parts ran short in Basra.")]


@pytest.fixture(scope="module")
def spellings(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("spellings")
    source = folder / "news.jsonl"
    source.write_text("\n".join(json.dumps({"id": f"s{i}", "title": title, "text": text, "published": f"2024-04-0{i + 1}"})
                                for i, (title, text) in enumerate(SPELLINGS)), encoding="utf-8")
    assert cli("ingest", source, "--db", folder / "news.duckdb", "--no-enrich", "--quiet") == 0
    return folder / "news.duckdb"


def test_did_you_mean_ranks_close_words_by_how_many_articles_have_them(spellings):
    with connect(spellings, read_only=True) as con:
        # paris, parks, parts all score 80 against "parms"; parks is in three articles (+5·log10 3), the others in one: by word
        assert q.suggest_search(con, "parms") == ["parks", "paris", "parts"]
        # bankers 92.3, banks 90.9, banked and banker 83.3, bank 80: three by default
        assert q.suggest_search(con, "bankes") == ["bankers", "banks", "banked"]
        assert q.suggest_search(con, "bankes", 5) == ["bankers", "banks", "banked", "banker", "bank"]


def test_did_you_mean_replaces_each_unknown_word_and_keeps_the_rest(spellings):
    with connect(spellings, read_only=True) as con:
        assert q.suggest_search(con, "water bagdad") == ["water baghdad"]  # a known word first does not end the look
        assert q.suggest_search(con, "bahgdad") == ["baghdad"]  # the first two letters are enough
        assert q.suggest_search(con, "bagdad wat*") == ["baghdad wat*"]  # a prefix is kept as typed
        assert q.suggest_search(con, "bagdad football") == []  # baghdad and football: no article has both
        assert q.suggest_search(con, "bankxxxxxx") == []  # bank is inside it, but spelt too differently (ratio 57)


def test_the_entity_lookup_gives_as_many_as_asked(synthetic_db):
    # "an" is in six names (each scores 90: the text inside the name); two asked: the two most mentioned of them
    mentions = rows(synthetic_db, "SELECT e.name, sum(x.mentions) AS m FROM article_entities x JOIN entities e ON e.id = x.entity_id "
                                  "WHERE contains(lower(e.name), 'an') GROUP BY e.name ORDER BY m DESC, e.name")
    assert len(mentions) > 2
    with connect(synthetic_db, read_only=True) as con:
        assert q.entity_lookup(con, "an", 2)["name"].tolist() == [name for name, _ in mentions[:2]]


def test_the_stories_of_no_window_are_an_empty_frame_with_the_columns_of_some(synthetic_db):
    columns = ["key", "id", "headline", "headline_id", "topic_id", "first_day", "last_day", "size", "sources"]
    with connect(synthetic_db, read_only=True) as con:
        some = q.stories_in_windows(con, Filters(), "topic", [(1, date(2024, 1, 1), date(2024, 12, 31))])
        assert not some.empty and list(some.columns) == columns
        for kind, windows in (("topic", []), ("place", [(1, date(2024, 1, 1), date(2024, 12, 31))])):
            none = q.stories_in_windows(con, Filters(), kind, windows)
            assert none.empty and list(none.columns) == columns  # a page reads them whether or not there are rows


def test_the_articles_with_a_speakers_quotes_carry_their_own_parameter():
    # spoken_by is looked up before the selection (see queries._quotes): its clause must run on its own,
    # with the ids it was given. Quotes by speakers 3 and 4 in the articles of keys 20 and 30; 10 has none.
    with duckdb.connect() as con:
        con.execute("CREATE TABLE articles (key BIGINT); INSERT INTO articles VALUES (10), (20), (30)")
        con.execute("CREATE TABLE quotes (article_key BIGINT, speaker_id INTEGER); INSERT INTO quotes VALUES (20, 3), (30, 4), (30, NULL)")
        for ids, keys in (([3], [20]), ([3, 4], [20, 30]), ([5], [])):
            clause = q.spoken_by(ids)
            assert clause.params == {"speaker_ids": ids}
            assert [r[0] for r in con.execute(f"SELECT a.key FROM articles a WHERE {clause.sql} ORDER BY 1", clause.params).fetchall()] == keys


def test_the_headline_counts_an_article_of_the_selection_that_has_no_topic(copy_db):
    # With near-duplicates the articles table answers; one article's topic row removed, it still counts as an article
    with connect(copy_db) as con:
        con.execute("DELETE FROM article_topics WHERE article_key = (SELECT min(key) FROM articles)")
    expected = rows(copy_db, "SELECT count(*), count(DISTINCT source), min(published)::DATE, max(published)::DATE FROM articles")[0]
    topics = rows(copy_db, "SELECT count(DISTINCT topic_id) FROM article_topics")[0][0]
    with connect(copy_db, read_only=True) as con:
        found = q.headline(con, Filters(duplicates=True))
    assert (found["articles"], found["sources"], found["first"], found["last"], found["topics"]) == (*expected, topics)
    assert found["articles"] > rows(copy_db, "SELECT count(DISTINCT article_key) FROM article_topics")[0][0]


@pytest.mark.parametrize("dates", [(date(2024, 6, 1), date(2024, 6, 30)), (date(2023, 1, 1), date(2023, 1, 31))], ids=["after", "before"])
def test_the_sidebars_dates_give_way_to_the_windows_dates(synthetic_db, dates):
    # The windows lie between January and March 2024: sidebar dates after them, or before them, change nothing
    windows = [(1, date(2024, 1, 15), date(2024, 1, 21)), (3, date(2024, 2, 5), date(2024, 2, 11)), (2, date(2024, 3, 1), date(2024, 3, 31))]
    with connect(synthetic_db, read_only=True) as con:
        everywhen = q.stories_in_windows(con, Filters(), "topic", windows, 2)
        dated = q.stories_in_windows(con, Filters(start=dates[0], end=dates[1]), "topic", windows, 2)
    assert len(everywhen) >= 3
    pd.testing.assert_frame_equal(dated, everywhen)


def test_the_latest_quotes_are_found_in_older_articles_by_widening_the_window(copy_db, monkeypatch):
    # A window of ten articles (one quote asked for) holds no quote: the only quotes left are those of the oldest
    # quoted article, so the window must widen (10, 80, 640 articles) until it reaches that article
    monkeypatch.setattr(q, "QUOTE_WINDOW", 1)
    with connect(copy_db) as con:
        oldest = con.execute("SELECT a.id FROM quotes q JOIN articles a ON a.key = q.article_key "
                             "ORDER BY a.published NULLS LAST, a.id LIMIT 1").fetchone()[0]
        con.execute("DELETE FROM quotes WHERE article_id <> ?", [oldest])
    articles = rows(copy_db, "SELECT count(*) FROM articles WHERE duplicate_of IS NULL")[0][0]
    newer = rows(copy_db, "SELECT count(*) FROM articles WHERE duplicate_of IS NULL AND published > "
                          "(SELECT published FROM articles WHERE id = ?)", [oldest])[0][0]
    assert 80 < newer < articles  # out of the first two windows (newest first, undated last), inside the whole selection
    first = rows(copy_db, "SELECT text FROM quotes ORDER BY start_char LIMIT 1")[0][0]
    with connect(copy_db, read_only=True) as con:
        found = q.quotes(con, Filters(), limit=1)
    assert found["text"].tolist() == [first] and found["article_id"].tolist() == [oldest]


def test_the_stories_in_windows_keep_to_a_search_and_to_the_entities_chosen(synthetic_db):
    # the windows' stories are those of the selection: a word no article holds, or an entity no article
    # mentions, leaves none, where the same windows without them have some
    windows = [(1, date(2024, 1, 1), date(2024, 12, 31)), (2, date(2024, 1, 1), date(2024, 12, 31))]
    with connect(synthetic_db, read_only=True) as con:
        assert not q.stories_in_windows(con, Filters(), "topic", windows).empty
        assert q.stories_in_windows(con, Filters(q="qqqzzzunheardof"), "topic", windows).empty
        assert q.stories_in_windows(con, Filters(entities=("Nobody Ever Named",)), "topic", windows).empty


def test_a_window_storys_headline_without_a_title_is_none(copy_db):
    # the headline article of the first story found loses its title: its headline is None (not a missing-text
    # marker a page would show or test as true); the others keep theirs
    windows = [(1, date(2024, 1, 1), date(2024, 12, 31)), (2, date(2024, 1, 1), date(2024, 12, 31))]
    with connect(copy_db, read_only=True) as con:
        before = q.stories_in_windows(con, Filters(), "topic", windows)
    untitled = before["headline_id"].iloc[0]
    with connect(copy_db) as con:
        con.execute("UPDATE articles SET title = NULL WHERE id = ?", [untitled])
    with connect(copy_db, read_only=True) as con:
        after = q.stories_in_windows(con, Filters(), "topic", windows)
    assert after["headline"].iloc[0] is None
    assert after["headline"].iloc[1:].tolist() == before["headline"].iloc[1:].tolist()


def test_a_lakes_sparse_search_reads_all_its_articles_at_once_and_a_common_one_looks_among_the_newest_first(synthetic_db, monkeypatch):
    # A lake knows the share of all articles a search finds (selection.kept); a file does not (selection.sparse: never
    # sparse). Given that share here, a search found in nearly every article looks among the newest first, one found in
    # almost none reads all its articles at once, for its list and its latest quotes; the pages are the file's either way.
    from dataclasses import replace

    from dashboard.store import selection as sel

    word = rows(synthetic_db, "SELECT min(term) FROM counted_terms")[0][0]
    f = Filters(q=word)
    with connect(synthetic_db, read_only=True) as con:
        listed, quoted = q.articles(con, f, 10)["id"].tolist(), q.quotes(con, f, limit=5)["text"].tolist()
    assert listed and quoted
    looked_up, articles_of, quotes_of = sel.lookup, q._articles, q._quotes
    windows: list[int | None] = []
    searched_after: list[bool] = []
    monkeypatch.setattr(q, "_articles", lambda con, f, found, limit, offset, window: windows.append(window)
                        or articles_of(con, f, found, limit, offset, window))
    monkeypatch.setattr(q, "_quotes", lambda con, f, extra, limit, window, search_after=False, first=None: searched_after.append(search_after)
                        or quotes_of(con, f, extra, limit, window, search_after, first))
    for share, newest_first in ((1.0, True), (1e-9, False)):
        monkeypatch.setattr(sel, "lookup", lambda con, f, counting=False, share=share: replace(looked_up(con, f, counting), share=share))
        windows.clear()
        searched_after.clear()
        with connect(synthetic_db, read_only=True) as con:
            assert q.articles(con, f, 10)["id"].tolist() == listed
            assert q.quotes(con, f, limit=5)["text"].tolist() == quoted
        assert windows[0] == (max(q.LIST_WINDOW, 10 * 10) if newest_first else None)  # the newest 2,000 first, or all at once
        assert searched_after[0] == newest_first  # the newest quotes' articles, the search applied after, or the selection's


class _Recording:
    """A connection that records each query's parameters."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con, self.params = con, []

    def execute(self, sql: str, params: dict):
        self.params.append(params)
        return self.con.execute(sql, params)


def test_titles_looked_up_within_their_stories_days_then_among_all_for_the_rest():
    """On a lake a story's headline is looked up among the articles of its stories' days first (queries._within_days):
    one outside them (or undated) is then found among all, one that is nowhere stays missing; no days known, all at once."""
    con = duckdb.connect()
    con.execute("CREATE TABLE articles (id VARCHAR, title VARCHAR, published TIMESTAMP)")
    con.execute("INSERT INTO articles VALUES ('in', 'Inside', '2024-03-02 10:00'), ('last', 'Last day', '2024-03-05 23:59'), "
                "('out', 'Outside', '2023-01-01'), ('undated', 'No day', NULL), ('after', 'After', '2024-03-06 00:00')")
    sql = "SELECT id, title FROM articles WHERE id IN (SELECT unnest($ids::VARCHAR[]))"
    ids = ["in", "last", "out", "undated", "nowhere", "in", "after"]
    recording = _Recording(con)
    found = q._within_days(recording, sql, ids, (pd.Timestamp("2024-03-01"), pd.Timestamp("2024-03-05")))
    assert found == {"in": "Inside", "last": "Last day", "out": "Outside", "undated": "No day", "after": "After"}
    assert recording.params == [{"ids": ids, "first": date(2024, 3, 1), "after": date(2024, 3, 6)},
                                {"ids": ["out", "undated", "nowhere", "after"]}]  # the days' two, then the rest
    recording.params.clear()
    assert q._within_days(recording, sql, ids, (pd.NaT, pd.Timestamp("2024-03-05"))) == found
    assert recording.params == [{"ids": ["in", "last", "out", "undated", "nowhere", "after"]}]
