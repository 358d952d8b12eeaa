"""The rules of dashboard/nlp/names.py, one by one: keys, titles, cleaning, the gazetteer, short forms, majorities."""

from __future__ import annotations

import pytest

from dashboard.nlp.names import (
    COUNTRY,
    PLACE_CANONICAL,
    clean,
    has_cjk,
    is_known_place,
    key,
    majority,
    short_form_candidates,
    strip_titles,
)


@pytest.mark.parametrize(("name", "expected"), [
    ("Donald  Trump", "donald trump"),          # runs of spaces become one
    ("\tO’Malley \n", "o'malley"),              # curly apostrophe straightened, ends trimmed
    ("ＡＢＣ", "abc"),                            # NFKC: full-width letters are letters
    ("STRASSE", "strasse"),
    ("Straße", "strasse"),                      # case-folded, not only lower-cased
    ("賴清德", "赖清德"),                          # Chinese in its simplified characters: one name in Taipei's and Beijing's press
    ("臺灣 Taiwan", "台湾 taiwan"),
])
def test_key_is_the_comparison_form(name, expected):
    assert key(name) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("卓榮泰", True), ("東京", True), ("ソウル", True), ("서울", True), ("Cho Jung-tai", False), ("", False),
])
def test_has_cjk(text, expected):
    assert has_cjk(text) is expected


@pytest.mark.parametrize(("name", "expected"), [
    ("US President Donald Trump", ("Donald Trump", "US President")),
    ("Former Deputy Prime Minister, Nick Clegg", ("Nick Clegg", "Former Deputy Prime Minister,")),
    ("President", ("President", "")),                # a lone title stays: the last word is never cut
    ("Secretary General", ("General", "Secretary")),
    ("Angela Merkel", ("Angela Merkel", "")),
    ("Dr. Ward", ("Ward", "Dr.")),
])
def test_strip_titles(name, expected):
    assert strip_titles(name) == expected


@pytest.mark.parametrize(("surface", "label", "expected"), [
    ("  “Boris   Johnson”,", "PERSON", "Boris Johnson"),   # marks, punctuation and spaces trimmed
    ("Merkel's", "PERSON", "Merkel"),
    ("Jones'", "PERSON", "Jones"),
    ("the Bank of England", "ORG", "Bank of England"),
    ("a Reuters", "ORG", "Reuters"),
    ("An Post", "ORG", "Post"),
    ("Ministry of", "ORG", "Ministry"),                    # a dangling function word goes
    ("The Hague and the", "GPE", "Hague"),                  # ... repeatedly, from both ends
    ("Prime Minister Keir Starmer", "ORG", "Prime Minister Keir Starmer"),  # titles go from people only
    ("Britain", "GPE", "United Kingdom"),
    ("the US", "ORG", "United States"),                     # organisations fold place aliases too
    ("U.N.", "LOC", "United Nations"),
    ("Britain", "PERSON", "Britain"),                       # a person is never folded into a place
    ("Xi Jinping", "PERSON", "Xi Jinping"),                 # only marks and punctuation are trimmed, no letter
    ("Malcolm X", "PERSON", "Malcolm X"),
    ("CLEVELAND - AP", "ORG", "CLEVELAND - AP"),           # a spaced dash with no part a name (all capitals): kept whole
])
def test_clean(surface, label, expected):
    assert clean(surface, label) == expected


def test_every_place_alias_folds_to_its_name():
    assert PLACE_CANONICAL["kiev"] == "Kyiv" and PLACE_CANONICAL["kyiv"] == "Kyiv"
    assert PLACE_CANONICAL["the united states"] == "United States" and PLACE_CANONICAL["eu"] == "European Union"


@pytest.mark.parametrize(("name", "population", "expected"), [
    ("London", 0, True),
    ("london", 1_000_000, True),         # any case
    ("France", 10**11, True),            # a country counts as larger than any city
    ("Texas", COUNTRY, True),            # so does a US state
    ("Britain", COUNTRY, True),          # and every place alias
    ("Swansea", 1_000_000, False),       # a city of 300,000
    ("Swansea", 100_000, True),
    ("Bloomberg", 0, False),
    ("Hale", 0, True),                   # a town of 16,700, over the gazetteer's floor of 15,000
    ("Hale", 16_716, False),
])
def test_is_known_place(name, population, expected):
    assert is_known_place(name, population) is expected


def test_a_short_form_lists_each_full_name_of_two_to_four_words():
    people = [(1, "Clinton", 5), (2, "Bill Clinton", 9), (3, "Hillary Rodham Clinton", 4), (4, "William Jefferson Blythe Clinton", 1),
              (5, "A B C D Clinton", 1), (6, "Clinton Foundation", 2), (7, "Obama", 3)]
    assert short_form_candidates(people) == {1: [2, 3, 4]}


def test_a_full_name_whose_first_word_is_a_person_mentioned_as_often_is_no_candidate():
    # "Jiang Bush" (4 mentions) with "Jiang" mentioned 4 times: glued from a headline
    assert short_form_candidates([(1, "Bush", 9), (2, "Jiang", 4), (3, "Jiang Bush", 4), (4, "George Bush", 2)]) == {1: [4]}
    # "Jiang" mentioned less often than the full name: the full name is a name of its own
    assert short_form_candidates([(1, "Zemin", 9), (2, "Jiang", 3), (3, "Jiang Zemin", 4)]) == {1: [3]}


def test_short_forms_match_by_key_and_ignore_spaces_around_a_one_word_name():
    assert short_form_candidates([(1, " putin ", 2), (2, "Vladimir PUTIN", 3)]) == {1: [2]}


def test_a_one_word_name_with_no_full_name_has_no_candidates():
    assert short_form_candidates([(1, "Madonna", 3), (2, "Prince", 2)]) == {}


@pytest.mark.parametrize(("labels", "expected"), [
    (["ORG", "PERSON", "ORG"], "ORG"),
    (["ORG", "PERSON"], "PERSON"),     # ties: PERSON first
    (["GPE", "PERSON"], "PERSON"),     # ... before GPE too ("Obama" read as a place once, a person once)
    (["ORG", "GPE"], "GPE"),           # then GPE
    (["LOC", "ORG"], "ORG"),           # then ORG, then LOC
    (["NORP", "LOC"], "LOC"),          # any known label before an unknown one
    (["NORP"], "NORP"),
])
def test_majority(labels, expected):
    assert majority(labels) == expected
