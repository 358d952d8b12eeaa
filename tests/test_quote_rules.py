"""Quote rules of nlp/quotes.py that a caller meets through find_quotes' defaults and rarer shapes:
the parser as the default last resort, a long sentence that ends in a colon, a short quote its
speech verb follows, and a paragraph signed with a dash. Mentions are given as a model would tag
them, so the rules are tested apart from the model."""

from __future__ import annotations

from dashboard.nlp.entities import Mention
from dashboard.nlp.quotes import find_quotes


def mentions(text: str, *names: tuple[str, str]) -> list[Mention]:
    """Each (surface, label) at its first place in the text after the one before."""
    found, cursor = [], 0
    for surface, label in names:
        at = text.index(surface, cursor)
        found.append(Mention(at, at + len(surface), surface, surface, label))
        cursor = at + len(surface)
    return found


def speakers(text: str, *names: tuple[str, str], **options: bool) -> list[tuple[str, str | None]]:
    return [(q.text, q.speaker) for q in find_quotes(text, mentions(text, *names), **options)]


def test_the_parser_is_the_last_resort_unless_told_not_to_use_it():
    # no speech verb and no rule names Moore; the subject of the verb that governs the quote does (enrichment calls with the defaults)
    text = 'Standing beside the mayor on the steps of the hall, Moore thanked him for "stepping up when others would not."'
    assert speakers(text, ("Moore", "PERSON")) == [("stepping up when others would not.", "Moore")]
    assert speakers(text, ("Moore", "PERSON"), parse=False) == [("stepping up when others would not.", None)]


def test_a_long_sentence_ending_in_a_colon_is_said_by_the_name_that_opens_it():
    # more than six words before the colon, and no speech verb: the name that opens the sentence speaks
    text = 'Donald Trump went even further at the rally in Ohio on Tuesday: "We will build it and they will pay."'
    assert speakers(text, ("Donald Trump", "PERSON"), parse=False) == [("We will build it and they will pay.", "Donald Trump")]
    # ... and no one when no name opens it
    text = 'The mood at the rally in Ohio on Tuesday turned sour: "We will build it and they will pay."'
    assert speakers(text, parse=False) == [("We will build it and they will pay.", None)]


def test_a_short_quote_is_speech_when_its_speech_verb_follows_the_comma():
    # two words are a scare quote unless someone is said to say them: the comma inside, then the verb, make it speech
    assert speakers('"Word is," Donald Trump said.', ("Donald Trump", "PERSON"), parse=False) == [("Word is", "Donald Trump")]


def cues(text: str, *names: tuple[str, str]) -> list[tuple[str | None, str | None]]:
    return [(q.speaker, q.cue) for q in find_quotes(text, mentions(text, *names), parse=False)]


def test_a_name_right_before_the_verb_after_a_quote_keeps_the_verb():
    # a modifier before the name ('warm-and-fuzzy Trump said'): the name next to the verb speaks, and the verb is kept as the cue
    assert cues('"We will win," warm-and-fuzzy Trump said.', ("Trump", "PERSON")) == [("Trump", "said")]


def test_up_to_four_words_between_a_quote_and_its_verb_are_read_for_a_name_without_a_comma():
    # no comma closes the quote: four words before the verb are still short enough to hold the speaker's name...
    assert cues('"We will win" warm and fuzzy Trump said.', ("Trump", "PERSON")) == [("Trump", "said")]
    # ... five are not, without a comma before the name
    assert cues('"We will win" warm and very fuzzy Trump said.', ("Trump", "PERSON")) == [(None, None)]


def test_a_verb_after_a_short_phrase_and_a_comma_names_the_speaker_after_it():
    # 'In other words, explained Smith:': a lead of a few words set off by a comma, then the verb, then the speaker
    assert cues('In other words, explained John Smith: "We lost the vote."', ("John Smith", "PERSON")) == [("John Smith", "explained")]


def test_an_untagged_surname_that_opens_the_sentence_is_the_person_named_in_full_before():
    # the model tagged only "Donald Trump"; "Trump" opening a later sentence with no speech verb is that person
    text = 'Donald Trump spoke in Ohio.\n\nTrump blamed the media for "fake news about the crowds at the rally."'
    assert speakers(text, ("Donald Trump", "PERSON"), ("Ohio", "GPE"), parse=False) == [("fake news about the crowds at the rally.", "Donald Trump")]
    # a surname no person of the article has is no one's
    assert speakers(text.replace("Donald Trump", "Mike Pence"), ("Mike Pence", "PERSON"), ("Ohio", "GPE"), parse=False) \
        == [("fake news about the crowds at the rally.", None)]


def test_a_dateline_opening_a_later_paragraph_never_speaks_and_capitals_within_a_paragraph_do():
    # the dateline after a headline, on the next line, after a blank one or after a byline: a place, whatever the model read
    for gap in ("\n", "\n\n", "\nBy a staff reporter\n"):
        text = f'Judge blocks law{gap}WEXLEY, Miss. - Judge Carlton Reeves on Thursday blocked a law protecting a "sincere religious belief" of officials.'
        assert speakers(text, ("WEXLEY", "ORG"), ("Carlton Reeves", "PERSON"), parse=False) == [("sincere religious belief", "Carlton Reeves")]
    # an organisation in capitals, then a dash, inside a paragraph is no dateline: it speaks
    text = 'Judge blocks law.\n\nOfficials met. NATO - the alliance - said the plan was "a sincere effort at peace and nothing more."'
    for after in ("", "\n\nMore to follow."):  # whether or not a paragraph follows
        assert speakers(text + after, ("NATO", "ORG"), parse=False) == [("a sincere effort at peace and nothing more.", "NATO")]


def test_a_sentence_of_seven_words_or_more_before_a_colon_is_said_by_the_name_opening_it():
    # past six words a colon closes no "Wallace:" heading: the name that opens the sentence speaks, not the one it names last
    for lead in ("Jones, in a rebuke to Senator Smith:", "Jones, in a long rebuke to Senator Smith:"):
        text = f'{lead} "He never voted for it."'
        assert speakers(text, ("Jones", "PERSON"), ("Smith", "PERSON"), parse=False) == [("He never voted for it.", "Jones")]


def test_an_organisations_officer_opening_a_sentence_speaks_even_when_another_person_is_named_after():
    # "American Bridge President Jessica Mackler": the person right after the organisation and her title speaks, not the
    # organisation, whoever else the sentence names
    text = 'American Bridge President Jessica Mackler was blunt about Donald Trump on Tuesday: "He will lose."'
    names = (("American Bridge", "ORG"), ("Jessica Mackler", "PERSON"), ("Donald Trump", "PERSON"))
    assert speakers(text, *names, parse=False) == [("He will lose.", "Jessica Mackler")]
