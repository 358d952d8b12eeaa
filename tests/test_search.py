"""Full-text search: what a search matches, and the index staying right through merges and deletes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from dashboard import words
from dashboard.store import connect, search, transaction
from dashboard.store import queries as q
from dashboard.store.queries import Filters
from dashboard.store.write import delete_article
from tests.conftest import cli, rows

STORIES = {
    "oil": ("Oil prices rise", "Crude oil prices rose on Monday as OPEC kept output steady."),
    "soil": ("Farmers test soil", "Farmers said the soil was too dry for planting this spring."),
    "turkey": ("Erdoğan meets Putin", "President Recep Tayyip Erdoğan met Vladimir Putin in Sochi."),
    "taiwan": ("Premier speaks", "Premier Cho Jung-tai (卓榮泰) spoke to lawmakers in Taipei."),
    "us": ("Talks in Washington", "U.S. officials held talks with a delegation about trade."),
    "script": ("Hostile", "<script>alert(1)</script> was found in a comment about oilfields."),
}


def test_terms_are_folded_words():
    assert words.terms("Erdoğan's CAFÉ, Jung-tai!") == {"erdogan", "cafe", "jung", "tai"}
    assert words.terms("卓榮泰說") >= {"卓", "荣", "泰", "说", "卓荣泰"}  # characters and words, simplified
    assert words.terms("卓榮泰說") == words.terms("卓荣泰说")
    assert words.terms("a b c 7") == set()  # one letter or digit is not worth a row per article


def test_a_character_of_a_cjk_block_that_is_not_a_letter_is_no_word():
    # U+3097 is unassigned and U+30FB (・) and U+30A0 (゠) are punctuation, though their blocks are Japanese:
    # neither the index nor a search may take them for words, while the letters beside them still count.
    for text in ("\u3097", "a\u3097b", "\u30fb", "\u30a0", "卓\u3097榮・泰"):
        assert words.terms(text) == {term for term, _ in words._tokens(text)}, ascii(text)
    assert words.terms("卓\u3097榮・泰") == {"卓", "荣", "泰"}
    assert words.spans("卓\u3097榮・泰", "卓 榮 泰") == [(0, 1), (2, 3), (4, 5)]
    assert words.spans("a\u3097b ・", "\u3097") == [(1, 2)]  # no word in the search: looked up as text


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=200) | st.text(alphabet="ab 卓榮-_*é\u0301ß1", max_size=40))
@example("\u3097")
def test_an_article_is_indexed_under_the_words_a_search_would_use(text):
    whole, prefixes = words.parse(text)
    assert words.terms(text) >= set(whole) | set(prefixes)
    assert words.terms(text) == {term for term, _ in words._tokens(text)} | set(words.chinese_words(words.fold(text)))


def test_parse_splits_words_and_prefixes():
    assert words.parse("Oil oil* OIL ceasefire") == (["oil", "ceasefire"], ["oil"])
    whole, prefixes = words.parse(" ".join(f"word{i}" for i in range(100)))
    assert len(whole) + len(prefixes) == words.MAX_TERMS


def test_spans_are_where_a_search_matches_in_the_text():
    text = "Erdoğan met oilmen; OIL fell. Cho Jung-tai (卓榮泰) spoke in the U.S."
    def marked(query):
        return [text[start:end] for start, end in words.spans(text, query)]
    assert marked("oil") == ["OIL"]
    assert marked("oil*") == ["oilmen", "OIL"]
    assert marked("erdogan FELL") == ["Erdoğan", "fell"]
    assert marked("卓榮泰") == marked("卓荣泰") == ["卓榮泰"]  # the word, in either script
    assert marked("jung-tai") == ["Jung", "tai"]
    assert marked("u.s.") == ["U.S."]  # no word of two letters: the text itself
    assert marked("zebra") == []


@pytest.fixture
def stories(db: Path, tmp_path: Path) -> Path:
    path = tmp_path / "stories.jsonl"
    path.write_text("".join(json.dumps({"id": key, "title": t, "text": b}) + "\n" for key, (t, b) in STORIES.items()))
    assert cli("ingest", path, "--db", db, "--no-enrich", "--quiet") == 0
    return db


def found(db: Path, text: str) -> set[str]:
    """The keys of STORIES that a search finds, by their titles."""
    keys = {title: key for key, (title, _) in STORIES.items()}
    with connect(db, read_only=True) as con:
        return {keys[title] for title in q.articles(con, Filters(q=text), 100, 0)["title"]}


CASES = {
    "oil": {"oil"},  # a whole word: "soil" and "oilfields" are other words
    "OIL Prices": {"oil"},
    "prices oil": {"oil"},  # every word, in any order
    "oil planting": set(),
    "oil*": {"oil", "script"},
    "erdogan": {"turkey"},  # accents do not matter
    "Erdoğan putin": {"turkey"},
    "卓榮泰": {"taiwan"},
    "Cho Jung-tai": {"taiwan"},
    "U.S.": {"us"},  # no word of two letters: looked up as text
    "<script>": {"script"},
    "'; DROP TABLE articles; --": set(),
    "zebra": set(),
    "zebr*": set(),
    "oil* crude": {"oil"},
}


@pytest.mark.parametrize("text", CASES)
def test_search_finds_articles_with_every_word(stories, text):
    assert found(stories, text) == CASES[text]


def test_a_prefix_of_many_words_is_looked_up_as_a_range(stories, monkeypatch):
    monkeypatch.setattr(search, "MAX_EXPANSION", 1)  # oil* is oil and oilfields: more than one
    assert found(stories, "oil*") == {"oil", "script"}
    assert found(stories, "oil* crude") == {"oil"}


def test_merged_index_is_sorted_and_answers_the_same(stories):
    before = {text: found(stories, text) for text in CASES}
    with connect(stories) as con, transaction(con):
        assert search.compact(con, force=True)
    assert rows(stories, "SELECT count(*) FROM search_pending") == [(0,)]
    out_of_order = "SELECT count(*) FROM (SELECT term, lag(term) OVER (ORDER BY rowid) AS prev FROM search_terms) WHERE term < prev"
    assert rows(stories, out_of_order) == [(0,)]
    assert {text: found(stories, text) for text in CASES} == before


def test_ingest_merges_pending_terms_once_there_are_enough(db, tmp_path, monkeypatch):
    monkeypatch.setattr(search, "PENDING_MIN", 10)
    path = tmp_path / "one.jsonl"
    path.write_text(json.dumps({"title": "Oil prices rise", "text": STORIES["oil"][1]}) + "\n")
    assert cli("ingest", path, "--db", db, "--no-enrich", "--quiet") == 0
    assert rows(db, "SELECT count(*) FROM search_pending") == [(0,)]
    assert rows(db, "SELECT count(*) FROM search_terms")[0][0] > 10
    assert found(db, "crude") == {"oil"}


def test_deleted_article_is_no_longer_found(stories):
    (article_id, key), = rows(stories, "SELECT id, key FROM articles WHERE external_id = 'oil'")
    with connect(stories) as con, transaction(con):
        search.compact(con, force=True)  # its terms are in the sorted table as well as pending
        assert delete_article(con, article_id)
    assert found(stories, "crude") == set()
    assert rows(stories, "SELECT count(*) FROM search_postings WHERE article_key = ?", [key]) == [(0,)]


def test_database_without_an_index_gets_one_when_opened(stories):
    expected = found(stories, "oil*")
    with connect(stories) as con:
        con.execute("DELETE FROM search_terms")
        con.execute("DELETE FROM search_pending")
    with connect(stories):  # a writer brings the database up to date
        pass
    assert found(stories, "oil*") == expected
