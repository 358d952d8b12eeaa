"""Speakers the rules name once the model has missed or misread them, and attributions that reach
past what follows the verb: each case written for the test, each rule's own sentence."""

import pytest

from tests.test_quotes import given


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        # an untagged surname is the article's person even when one of its words is also written in lower case ("de")
        ('Mayor Bill de Blasio met the police. De Blasio, speaking on the radio, called the plan "a disgrace to the city."',
         [("Bill de Blasio", "PERSON")], [("a disgrace to the city.", "Bill de Blasio")]),
        # ... or when the model read the same words as a place elsewhere in the article
        ('Marine Le Pen spoke first. Le Pen rallies filled the square. "Everything but her," Le Pen told the radio.',
         [("Marine Le Pen", "PERSON"), ("Le Pen", "GPE")], [("Everything but her", "Marine Le Pen")]),
    ],
    ids=["lower-case-particle", "misread-as-place-elsewhere"],
)
def test_an_untagged_surname_of_a_person_of_the_article(text, names, expected):
    assert given(text, *names, parse=False) == expected


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        # the parsed subject is a proper noun the model did not tag: the article's person it names
        ('François Hollande flew to Berlin. Hollande denounced the remarks as "hurtful and humiliating" on Monday.',
         [("François Hollande", "PERSON")], [("hurtful and humiliating", "François Hollande")]),
        # ... or, when no one in the article has that name, the name itself
        ('Outside the hall after the vote, Hollande denounced the remarks as "hurtful and humiliating" on Monday.',
         [], [("hurtful and humiliating", "Hollande")]),
        # ... but not a word that the article also writes as a place
        ('Paris flew the flags. Paris denounced the remarks as "hurtful and humiliating" on Monday.',
         [("Paris", "GPE")], [("hurtful and humiliating", None)]),
    ],
    ids=["parsed-untagged-person", "parsed-untagged-name", "parsed-place"],
)
def test_an_untagged_parsed_subject(text, names, expected):
    assert given(text, *names) == expected
