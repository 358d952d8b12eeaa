"""Short names across a corpus: a surname takes a full name only when that is unambiguous, on a real DuckDB file."""

import json

import pytest

from tests.conftest import cli, rows

ARTICLES = [
    ("a", "1998-03-01", "White House visit", "President Bill Clinton welcomed the Irish prime minister to Washington on Sunday."),
    ("b", "1998-03-05", "Budget talks", "Clinton told Congress on Thursday that the budget would be balanced next year."),
    ("c", "2008-05-01", "Primary season", "Senator Hillary Clinton campaigned in Indiana on Thursday ahead of the primary."),
    ("d", "2008-05-02", "Campaign trail", "Former president Bill Clinton spoke to voters in North Carolina on Friday."),
    ("e", "2008-05-03", "Polls tighten", "Clinton told supporters in Ohio on Saturday that the race was far from over."),
    ("f", "2008-05-04", "Rally", "Hillary Clinton met voters in Kentucky. Clinton said the economy came first."),
    ("g", "2008-05-05", "First Meeting for Bush and Jiang", "The two leaders met in Beijing for three hours on Monday."),
]


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    folder = tmp_path_factory.mktemp("names")
    feed = folder / "wire.jsonl"
    feed.write_text("".join(json.dumps({"id": i, "title": t, "text": body, "published": f"{day}T12:00:00Z",
                                        "source": "Wire", "url": f"https://wire.example/{i}"}) + "\n"
                            for i, day, t, body in ARTICLES))
    path = folder / "news.duckdb"
    assert cli("ingest", feed, "--db", path, "--quiet") == 0
    return path


def person_named_in(db, external_id: str, surface: str) -> set[str]:
    return {name for (name,) in rows(db, "SELECT e.name FROM mentions m JOIN entities e ON e.id = m.entity_id "
                                         "JOIN articles a ON a.id = m.article_id WHERE a.external_id = ? AND m.text = ?",
                                     [external_id, surface])}


def test_surname_takes_the_only_full_name_in_use_around_its_date(db):
    assert person_named_in(db, "b", "Clinton") == {"Bill Clinton"}


def test_surname_stays_a_surname_when_two_full_names_are_in_use(db):
    assert person_named_in(db, "e", "Clinton") == {"Clinton"}


def test_same_article_full_name_comes_first(db):
    assert person_named_in(db, "f", "Clinton") == {"Hillary Clinton"}


def test_two_people_of_one_surname_are_never_merged(db):
    names = {name for (name,) in rows(db, "SELECT name FROM entities")}
    assert {"Bill Clinton", "Hillary Clinton"} <= names


def test_headline_pair_of_names_is_not_one_person(db):
    names = {name for (name,) in rows(db, "SELECT name FROM entities")}
    assert "Jiang Bush" not in names and "Bush Jiang" not in names
    assert person_named_in(db, "g", "Bush") <= {"Bush"}


@pytest.mark.parametrize(
    ("text", "kept", "dropped"),
    [
        ("Bush Forgoes Federal Funds And Has No Spending Limit in Primaries\n\n", set(),
         {"Bush Forgoes Federal Funds And Has No Spending Limit"}),
        ("Bush Meets Jiang in Shanghai\n\nPresident Bush met Jiang Zemin on Monday.", {"Bush", "Shanghai", "Jiang Zemin"},
         {"Bush Meets Jiang"}),
        ("First Meeting for Bush and Jiang\n\n", {"Bush", "Jiang"}, {"Jiang Bush", "Bush and Jiang"}),
    ],
    ids=["fragment-with-function-words", "cut-to-what-the-body-says", "two-names-stay-two"],
)
def test_title_case_headline_fragments_are_not_entities(text, kept, dropped):
    from dashboard.nlp.entities import extract, load_pipeline

    names = {m.name for m in extract(load_pipeline()(text))}
    assert kept <= names and not (dropped & names)


@pytest.mark.parametrize(
    ("text", "surface", "label", "kept"),
    [
        ("Overview: Senate Acquits Clinton\n\n", "Overview", "ORG", False),     # a section label before a colon
        ("Senate Acquits Clinton; Overview\n\n", "Overview", "PERSON", False),  # ... after a semicolon
        ("Crisis In The Balkans - Overview\n\n", "Overview", "ORG", False),     # ... after a dash
        ("Overview\n\n", "Overview", "ORG", False),                             # a headline of one word
        ("Kosovo: Nato Bombs Belgrade\n\n", "Kosovo", "GPE", True),              # a place the gazetteer knows
        ("Clinton Vows Veto\n\n", "Clinton", "PERSON", True),                   # a name inside the headline's words
        ("Overview: Senate Acquits Clinton\n\nThe Overview desk reported.", "Overview", "ORG", True),  # the body writes it
    ],
    ids=["label-colon", "label-semicolon", "label-dash", "one-word-headline", "known-place", "name-in-headline", "body-supports"],
)
def test_a_one_word_headline_segment_is_an_entity_only_with_support(text, surface, label, kept):
    from dashboard.nlp.entities import Mention, trust_headline

    at = text.index(surface)
    mention = Mention(at, at + len(surface), surface, surface, label)
    assert (trust_headline(text, [mention]) == [mention]) is kept
