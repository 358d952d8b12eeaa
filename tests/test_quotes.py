"""Quote finding and attribution, on the seed (quote by quote) and on a newsroom's hard cases."""

import pytest

from dashboard.nlp import quotes as rules
from dashboard.nlp.entities import Mention, extract, load_pipeline
from dashboard.nlp.quotes import find_quotes
from tests.test_seedpage import seed_articles


def quotes_of(text: str) -> list[tuple[str, str | None]]:
    mentions = extract(load_pipeline()(text))
    return [(q.text, q.speaker) for q in find_quotes(text, mentions)]


def test_seed_quotes_are_attributed_one_by_one():
    found = [q for article in seed_articles() for q in quotes_of(article.text)]
    expected = [
        ("very good and productive.", "Donald Trump"),
        ("There is a very good chance that this horrible, bloody war can finally come to an end", "Donald Trump"),
        ("completely surrounded", "Donald Trump"),
        ("in a very bad and vulnerable position.", "Donald Trump"),
        ("I have strongly requested to President Putin that their lives be spared", "Donald Trump"),
        ("This would be a horrible massacre, one not seen since World War II. God bless them all!!!", "Donald Trump"),
        ("In this regard, I would like to emphasize", "Vladimir Putin"),
        ("refuse to lay down their arms, they will all be methodically and mercilessly destroyed.", "Dmitry Medvedev"),
        ("But we certainly feel like we’re at least some steps closer", "Marco Rubio"),
        ("love the land and people of Taiwan", "Cho Jung-tai"),
        ("Taiwan is never a country. It never was and never will be.", None),
        ("The US’ commitment to Taiwan has been consistent", "Raymond Greene"),
    ]
    assert len(found) == len(expected)
    for (text, speaker), (want_text, want_speaker) in zip(found, expected, strict=True):
        assert text.startswith(want_text)
        assert speaker == want_speaker, text


def test_offsets_point_at_the_quoted_words():
    article = seed_articles()[0]
    mentions = extract(load_pipeline()(article.text))
    for quote in find_quotes(article.text, mentions):
        assert article.text[quote.start : quote.end] == quote.text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # attribution after the quote, verb first
        ("“We will not raise taxes this year,” said Angela Merkel, speaking in Berlin.", [("We will not raise taxes this year", "Angela Merkel")]),
        # straight quotes and 'according to'
        ('"The plant will close by June," according to Boeing, which employs 500 people there.',
         [("The plant will close by June", "Boeing")]),
        # a pronoun resolves to the last person who spoke
        ("Emmanuel Macron said on Monday that talks would go on. “We are not there yet,” he told reporters.",
         [("We are not there yet", "Emmanuel Macron")]),
        # a scare quote and a title are not speech
        ("The so-called “reform” was debated after the screening of “The Great Escape” in Paris.", []),
        # an unattributed quote keeps no speaker rather than a guess
        ("Posters in the square read “Peace now and forever” on Sunday.", [("Peace now and forever", None)]),
        # an organisation can speak
        ("The Ministry of Finance said the budget would “restore confidence in public finances” next year.",
         [("restore confidence in public finances", "Ministry of Finance")]),
        # the person named inside a quote is not its speaker
        ("“I spoke to Joe Biden about it yesterday,” Keir Starmer said.", [("I spoke to Joe Biden about it yesterday", "Keir Starmer")]),
        # a quote standing alone in its paragraph continues the previous speaker
        ("“We have done our part,” Olaf Scholz said.\n“Now it is up to the others.”",
         [("We have done our part", "Olaf Scholz"), ("Now it is up to the others.", "Olaf Scholz")]),
    ],
    ids=["said-after", "according-to", "pronoun", "scare-and-title", "unattributed", "organisation", "name-inside", "continuation"],
)
def test_hard_cases(text, expected):
    assert quotes_of(text) == expected


def test_no_mentions_no_guess():
    quotes = find_quotes("“It was a long night,” he said.", [])
    assert [(q.text, q.speaker) for q in quotes] == [("It was a long night", None)]


def test_given_mentions_are_used_as_speakers():
    mention = Mention(0, 7, "Reuters", "Reuters", "ORG")
    quotes = find_quotes("Reuters reported that the deal was “all but done” by then.", [mention])
    assert [(q.text, q.speaker, q.cue) for q in quotes] == [("all but done", "Reuters", "reported")]


@pytest.mark.parametrize("mark", ['"', "“"])
def test_quote_never_takes_the_speaker_of_the_sentence_before(mark):
    close = '"' if mark == '"' else "”"
    text = f"Angela Merkel said the talks had failed. {mark}Prices will rise next year,{close} the report predicted."
    assert quotes_of(text) == [("Prices will rise next year", None)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # British: a paragraph opens a quote and leaves it open; the next paragraph opens it again and closes it
        ('Defence Secretary Ben Wallace spoke in Plymouth on Friday.\n\n'
         '"We will not be leaving the region any time soon, whatever the critics say.\n\n'
         '"Our allies know that we keep our word," Mr Wallace said.\n\nThe visit lasted two hours.',
         [("We will not be leaving the region any time soon, whatever the critics say.", "Ben Wallace"),
          ("Our allies know that we keep our word", "Ben Wallace")]),
        # the same with the paragraphs run together: a new opening mark inside a quote starts its next piece
        ('Mr Wallace told the committee: "We will not be leaving the region soon. "Our allies know that we keep '
         'our word." The committee then moved on to the budget, which was "a matter for the Treasury", a clerk noted.',
         [("We will not be leaving the region soon.", "Wallace"), ("Our allies know that we keep our word.", "Wallace"),
          ("a matter for the Treasury", None)]),
        # He said: "..." with the speaker introduced in the sentence before
        ('Labour leader Keir Starmer visited the factory. He said: "This is what a modern economy looks like."',
         [("This is what a modern economy looks like.", "Keir Starmer")]),
        # Mr Wallace said, with the full name earlier in the article
        ('Ben Wallace met the families on Monday.\n\n"It is a difficult day for all of us," Mr Wallace said.',
         [("It is a difficult day for all of us", "Ben Wallace")]),
        # a title before the name
        ('"The inquiry will report by the summer," said Health Secretary Wes Streeting.',
         [("The inquiry will report by the summer", "Wes Streeting")]),
        # an organisation speaks
        ('"We have no plans to close the plant," Nissan said in a statement.',
         [("We have no plans to close the plant", "Nissan")]),
        # a paragraph ending "X said:" introduces the quote of the next
        ('Chancellor Rachel Reeves told MPs on Tuesday:\n\n"We will not borrow to pay for day-to-day spending."',
         [("We will not borrow to pay for day-to-day spending.", "Rachel Reeves")]),
    ],
    ids=["british-multi-paragraph", "run-together-paragraphs", "he-said-colon", "mr-surname", "title-before-name",
         "organisation", "introduced-by-paragraph"],
)
def test_british_conventions(text, expected):
    assert quotes_of(text) == expected


def test_a_place_never_speaks():
    text = '"Bin collections will move to a fortnightly schedule from April," Croydon said in a statement.'
    assert quotes_of(text) == [("Bin collections will move to a fortnightly schedule from April", None)]  # read as an ORG
    said = 'Residents of Swansea were told on Monday. "Bins will be emptied every fortnight," Swansea said.'
    at = said.rindex("Swansea")
    mentions = [Mention(13, 20, "Swansea", "Swansea", "GPE"), Mention(at, at + 7, "Swansea", "Swansea", "PERSON")]
    assert [(q.text, q.speaker) for q in find_quotes(said, mentions)] == [("Bins will be emptied every fortnight", None)]


def test_a_person_named_like_a_town_still_speaks():
    text = '"We have made a firm commitment," Howard said.'  # Howard is also a town in the gazetteer
    assert [(q.text, q.speaker) for q in find_quotes(text, [Mention(34, 40, "Howard", "Howard", "PERSON")])] == [
        ("We have made a firm commitment", "Howard")]


@pytest.mark.parametrize("body", ["", "Police said on Tuesday that two men were being questioned."])
def test_a_headline_scare_quote_is_not_a_quote(body):
    text = f'Police name "persons of interest" in bombing inquiry\n\n{body}'
    assert quotes_of(text) == []


def test_an_attributed_headline_quote_is_a_quote():
    text = 'Wallace: "We will not leave the region"\n\nThe defence secretary spoke in Plymouth.'
    mentions = [Mention(0, 7, "Wallace", "Ben Wallace", "PERSON")]
    assert [(q.text, q.speaker) for q in find_quotes(text, mentions)] == [("We will not leave the region", "Ben Wallace")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a role resolves to the one person introduced with that head noun
        ('Conservative leader Michael Howard visited Leeds on Monday. "We will cut taxes for families," the Tory leader said.',
         [("We will cut taxes for families", "Michael Howard")]),
        # a participle takes the subject of the sentence, not the nearest name
        ('Elizabeth Warren endorsed Hillary Clinton on Thursday, saying "she is a fighter and we need her now."',
         [("she is a fighter and we need her now.", "Elizabeth Warren")]),
        # the name right before the verb, past an apposition
        ('"We disagree strongly," Jamal Ware, a spokesman for Trey Gowdy, said in a statement.',
         [("We disagree strongly", "Jamal Ware")]),
        # a quote ending its sentence does not take the verb of the next one
        ('Donald Trump said Hillary Clinton "caused death." Bernie Sanders called Trump a "pathological liar."',
         [("caused death.", "Donald Trump"), ("pathological liar.", "Bernie Sanders")]),
        # a question ending the quote, then its attribution closing the paragraph
        ('The crowd cheered.\n\n"Does he not understand what we wrote?" Joe Biden said.\n\nThe rally ended at noon.',
         [("Does he not understand what we wrote?", "Joe Biden")]),
    ],
    ids=["role-head-noun", "participle-subject", "apposition", "sentence-ended-in-quote", "question-then-said"],
)
def test_speakers_in_longer_sentences(text, expected):
    assert quotes_of(text) == expected


def given(text: str, *names: tuple[str, str], parse: bool = True) -> list[tuple[str, str | None]]:
    """Quotes of `text` with the mentions a model would give: each (surface, label) at its first place
    in the text, so that the rules are tested apart from the model (and, with `parse` False, apart
    from the parser that is their last resort)."""
    mentions, cursor = [], 0
    for surface, label, *role in names:  # (surface, label) or (surface, label, the title written before it)
        at = text.index(surface, cursor)
        mentions.append(Mention(at, at + len(surface), surface, surface, label, role=role[0] if role else None))
        cursor = at + len(surface)
    found = find_quotes(text, mentions, parse=parse)
    for q in found:  # a speaker's type: that of the mention it names (or a word of it) when a person or organisation, else a person
        named = [m for m in mentions if m.name in (q.speaker, *(q.speaker or "").split())]
        labels = {m.label for m in named if m.label in ("PERSON", "ORG")}
        misread = {"PERSON", "ORG"} if any(m.label in ("GPE", "LOC") for m in named) else {"PERSON"}  # a "place" that speaks
        assert q.speaker is None or q.speaker_label in (labels or misread), (q.speaker, q.speaker_label)
        assert (q.speaker is None) == (q.speaker_label is None)
    return [(q.text, q.speaker) for q in found]


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        # a name right before the colon that opens the quote
        ('The surge does not surprise pollster Daron Shaw: "Lesser-known candidates gain the most."',
         [("Daron Shaw", "PERSON")], [("Lesser-known candidates gain the most.", "Daron Shaw")]),
        # the subject of the sentence that ends in the colon, past an opening phrase
        ('In a Fox interview later that day, Trump went even further: "If he loses, it is the end of his career."',
         [("Fox", "ORG"), ("Trump", "PERSON")], [("If he loses, it is the end of his career.", "Trump")]),
        # a colon with a place before it gives no speaker
        ('Then, later that month on CNN: "I never said we made a mistake going in."',
         [("CNN", "ORG")], [("I never said we made a mistake going in.", None)]),
        # 'According to X' names the speaker after the verb
        ('According to the Daily Caller, "Labott also coordinated with Reines on the post."',
         [("Daily Caller", "ORG")], [("Labott also coordinated with Reines on the post.", "Daily Caller")]),
        # ... but not 'according to its analysis' inside what someone said
        ('Win Htein said that according to its analysis, the party has won "82 percent of the vote so far."',
         [("Win Htein", "PERSON")], [("82 percent of the vote so far.", "Win Htein")]),
        # a sentence that opens with its verb: the name after it
        ('Added Smith: "We will be back next year with a bigger team."',
         [("Smith", "PERSON")], [("We will be back next year with a bigger team.", "Smith")]),
        ('Stated Stone:\n\n"The stakes are so high that they would do anything to stay in power."',
         [], [("The stakes are so high that they would do anything to stay in power.", "Stone")]),
    ],
    ids=["name-before-colon", "subject-before-colon", "no-speaker-before-colon", "according-to", "according-to-inside",
         "verb-first", "verb-first-paragraph"],
)
def test_colons_and_verbs_before_the_speaker(text, names, expected):
    assert given(text, *names) == expected


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        # the subject after a long opening phrase (no speech verb: the sentence's subject)
        ('In the depths of the Great Recession, Paul Ryan worried that the net was becoming "a hammock for the able-bodied."',
         [("Great Recession", "LOC"), ("Paul Ryan", "PERSON")], [("a hammock for the able-bodied.", "Paul Ryan")]),
        ('Moreover, as part of the exchange with Clinton, Gowdy cited a report that "less than one percent of emails" were kept.',
         [("Clinton", "PERSON"), ("Gowdy", "PERSON")], [("less than one percent of emails", "Gowdy")]),
        # the person after "X campaign manager", "Former Obama spokesman"
        ('Former Obama spokesman Robert Gibbs derided "the professional left" in press conferences.',
         [("Obama", "PERSON"), ("Robert Gibbs", "PERSON")], [("the professional left", "Robert Gibbs")]),
        ('On Monday, Clinton campaign manager Robby Mook wrote that the race was "all but over now."',
         [("Clinton", "PERSON"), ("Robby Mook", "PERSON")], [("all but over now.", "Robby Mook")]),
        # an organisation before a person who is not its officer stays the subject
        ('Reuters Breakingviews columnist Edward Hadas argued that growth was "far from assured."',
         [("Reuters", "ORG"), ("Edward Hadas", "PERSON")], [("far from assured.", "Edward Hadas")]),
    ],
    ids=["long-opening-phrase", "two-opening-phrases", "spokesman-of", "campaign-manager", "org-then-person"],
)
def test_the_subject_of_a_sentence_with_no_speech_verb(text, names, expected):
    assert given(text, *names) == expected


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        # a surname the model read as a small place speaks when it says something
        ('"They are trying to get her to react," Wertheim said.', [("Wertheim", "GPE")],
         [("They are trying to get her to react", "Wertheim")]),
        ('"I do well," said Iampaglia, who graduated in 2009.', [("Iampaglia", "GPE")], [("I do well", "Iampaglia")]),
        # ... not when the article writes it as a place, nor a state's abbreviation
        ('She grew up in Wertheim. "They are trying to get her to react," Wertheim said.', [("Wertheim", "GPE"), ("Wertheim", "GPE")],
         [("They are trying to get her to react", None)]),
        ('"It reminds us how important this election is," Sen. Marco Rubio (R-Fla.) said.',
         [("Marco Rubio", "PERSON"), ("Fla", "GPE")], [("It reminds us how important this election is", "Marco Rubio")]),
        # a large place never speaks, whatever the model says
        ('"Bins will be emptied every fortnight," Swansea said.', [("Swansea", "GPE")], [("Bins will be emptied every fortnight", None)]),
        # a name the model did not tag that is also a town under 100,000 people
        ('"They took his slogan and gave it to Trump," Hale said.', [], [("They took his slogan and gave it to Trump", "Hale")]),
        ('"They took his slogan and gave it to Trump," Jackson said.', [], [("They took his slogan and gave it to Trump", None)]),
    ],
    ids=["surname-as-town-before-verb", "surname-as-town-after-verb", "written-as-a-place", "state-abbreviation",
         "large-place", "untagged-small-town", "untagged-large-town"],
)
def test_surnames_that_are_also_places(text, names, expected):
    assert given(text, *names) == expected


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        # a no-break space before the verb
        ('"The committee has faced serial delays,"\u00a0added Gowdy.', [("Gowdy", "PERSON")],
         [("The committee has faced serial delays", "Gowdy")]),
        # "went on to say"
        ('Bryne went on to say, "I know this to be true, and nothing has changed."', [("Bryne", "PERSON")],
         [("I know this to be true, and nothing has changed.", "Bryne")]),
        # a participle whose subject the model did not tag
        ('Husted continued by saying, "We will appeal this decision next week."', [],
         [("We will appeal this decision next week.", "Husted")]),
        # a capitalised speech verb
        ('Maher said the report "was not good at all." Adding, "It is always how they handle it."', [("Maher", "PERSON")],
         [("was not good at all.", "Maher"), ("It is always how they handle it.", "Maher")]),
        # a quote that opens its sentence, naming no one, goes on from the paragraph's speaker
        ('"Voters will not care about this," Palmieri told reporters. "They care that she is focused on incomes" and jobs.',
         [("Palmieri", "PERSON")], [("Voters will not care about this", "Palmieri"), ("They care that she is focused on incomes", "Palmieri")]),
        ('"Voters will not care about this," Palmieri told reporters. "They care about incomes," Mook wrote.',
         [("Palmieri", "PERSON"), ("Mook", "PERSON")], [("Voters will not care about this", "Palmieri"), ("They care about incomes", "Mook")]),
        ('The debate ran late. "They care that she is focused on incomes" and jobs.', [],
         [("They care that she is focused on incomes", None)]),
        # more speech verbs
        ('"Cruz could win the general election," Viguerie concludes.', [("Viguerie", "PERSON")],
         [("Cruz could win the general election", "Viguerie")]),
        ('"Our ideas of success are different," agrees Michelle Stevens, 30, of Gainesville.', [("Michelle Stevens", "PERSON")],
         [("Our ideas of success are different", "Michelle Stevens")]),
        ('As The Post\'s Dana Milbank puts it, "Senate Republicans are unmoved."', [("Post", "ORG"), ("Dana Milbank", "PERSON")],
         [("Senate Republicans are unmoved.", "Dana Milbank")]),
    ],
    ids=["no-break-space", "went-on-to-say", "untagged-participle-subject", "capitalised-verb", "quote-opens-sentence",
         "quote-opens-attributed-sentence", "quote-opens-with-no-one-before", "concludes", "agrees", "puts-it"],
)
def test_more_ways_of_saying(text, names, expected):
    assert given(text, *names) == expected


# ---------------------------------------------------------------- the reading of marks, sentences and paragraphs


@pytest.mark.parametrize(
    ("words", "attributed", "expected"),
    [
        ("absurd", True, True),               # one lower-case word a speech verb gives: 'calling it "absurd"'
        ("absurd", False, False),             # ... else a scare quote
        ("Trainwreck", True, False),          # one capitalised word is a title, verb or not
        ("", True, False),
        ("deeply flawed", False, False),      # two words need a verb
        ("deeply flawed", True, True),
        ("very deeply flawed", False, True),  # three are speech
        ("The Great Escape", True, False),    # a short Title Case phrase is a title
        ("All Right Now.", True, True),       # ... unless a speech verb gives it and it ends like a sentence
        ("This Week.", False, False),         # ... with no verb, a title that closes a sentence ('on ABC's "This Week."')
        ("Make America Great Again Again And Again Right Now Please", False, True),  # nine words: more than a title
        ("Made in the U.S.A", False, False),  # short words do not count against Title Case
        ("Hillary Clinton e-mail Scandal", False, True),  # one lower-case word: not a title
        ("One Flew Over The Cuckoos Nest Again Today", False, False),  # eight Title Case words: still a title
        ("we are not there yet", False, True),
    ],
)
def test_what_counts_as_speech(words, attributed, expected):
    assert rules._is_speech(words, rules._Said(None, None, "said" if attributed else None)) is expected


@pytest.mark.parametrize(
    ("words", "speaker", "told", "expected"),
    [
        ("sickos", "Trump", False, True),        # the subject of the sentence gives it: 'Trump blamed it on "sickos"'
        ("sickos", None, False, False),
        ("deeply flawed", "Trump", False, True),
        ("Savage", None, True, True),            # '"Savage," she said': closed on a comma, the verb after it
        ("Savage", None, False, False),
        ("Word is", None, True, True),           # '"Word is," Trump said' is speech, not a title
        ("Word is", None, False, False),
    ],
)
def test_short_quotes_that_someone_is_said_to_say(words, speaker, told, expected):
    said = rules._Said(speaker, "PERSON" if speaker else None, "said" if told else None)
    assert rules._is_speech(words, said, told) is expected


@pytest.mark.parametrize(
    ("text", "at", "expected"),
    [
        ("“a”", 0, "open"), ("“a”", 2, "close"),                  # curly marks say it themselves
        ('"a"', 0, "open"), ('"a"', 2, "close"),                  # the first character opens, the last closes
        ('x "a" y', 2, "open"), ('x "a" y', 4, "close"),          # after a space opens, before one closes
        ('x " y', 2, "close"),                                     # a mark between spaces closes
        ('(said "a")', 6, "open"), ('said:"a"', 5, "open"), ('a—"b"', 2, "open"), ('a/"b"', 2, "open"),
        ('a-"b"', 2, "open"), ('a;"b"', 2, "open"), ('a["b"', 2, "open"), ('a{"b"', 2, "open"), ('a–"b"', 2, "open"),
        ('word"s', 4, "close"),                                   # after a letter: closes
        ('a"b"', 1, "close"), ('X"a', 1, "close"),                # ... also the second character of a text
        ('x "a', 2, "open"),                                      # before the last character
        ('x "', 2, "close"),                                      # the last character closes
        ('end."', 4, "close"),
    ],
)
def test_a_mark_is_read_by_its_direction(text, at, expected):
    assert rules._direction(text, at) == expected


def test_sentences_end_at_full_stops_not_at_abbreviations_or_initials():
    text = "Gov. Jim Hodges spoke. He left. U.S. officials met. Mr. Smith came. J. Smith said “Yes.” “No,” he said."
    after = [text.index(s) + len(s) + 1 for s in ("Hodges spoke.", "He left.", "officials met.", "Smith came.", "said “Yes.”")]
    assert list(rules._sentence_ends(text, 0, len(text))) == after  # the last sentence ends with the text, not at a mark
    assert list(rules._sentence_ends(text, 0, 20)) == []  # only the ends inside the span
    assert list(rules._sentence_ends(text, 23, 40)) == [32]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Police name suspects\n\nTwo men were questioned. Both were released.", 20),
        ("Police name suspects\n\n", 20),                                      # a headline with no body
        ("Police name suspects\nTwo men were questioned.", 0),                 # no blank line: no headline
        ("Police name suspects", 0),
        ("Police named suspects. Two were released.\n\nBody.", 0),             # two sentences are not a headline
        (" ".join(["word"] * 31) + "\n\nBody.", 0),                             # nor are 31 words
        (" ".join(["word"] * 30) + "\n\nBody.", 30 * 5 - 1),
        ("Vote. Now\n\nBody text.", 0),                                      # two sentences, however short
    ],
)
def test_the_headline_is_a_short_first_paragraph_before_a_blank_line(text, expected):
    assert rules._headline_end(text, rules._paragraphs(text)) == expected


def test_paragraphs_are_runs_of_text_between_line_breaks():
    assert rules._paragraphs("a\n\n\nbb\n \nc") == [(0, 1), (4, 6), (9, 10)]
    assert rules._paragraphs("one") == [(0, 3)]


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("Adam Green, co-founder of the group, ", "Adam Green"),
        ("Small, who attended the rally, ", "Small"),
        ("Steele, whose team won, ", "Steele"),
        ("Morton Blackwell, a party official, ", "Morton Blackwell"),
        ("Joe Madison ", "Joe Madison "),
        (", a party official, ", ", a party official, "),  # nothing before the apposition: kept whole
    ],
)
def test_trailing_asides_are_cut(phrase, expected):
    assert rules._trailing_asides(phrase) == expected


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [("Trump", True), ("he", True), ("she", True), ("the senator", True), ("a spokesman", True), ("former Gov. Jim Hodges", True),
     ("spokesman Hogan Gidley", True), ("that he", False), ("it was", False), ("", False), ("123", False)],
)
def test_what_starts_like_a_speaker(phrase, expected):
    assert rules._names_someone(phrase) is expected


def test_a_name_counts_as_near_a_verb_within_its_first_words():
    text = "said conservative activist Bob Klaus, 52."
    assert rules._name_within(text, 4, len(text), "Bob Klaus", 5)
    assert not rules._name_within(text, 4, len(text), "Bob Klaus", 3)
    assert rules._name_within(text, 4, len(text), "Robert KLAUS", 5)  # by the last word, in any case


def test_inside_a_quote_counts_marks_before_the_position():
    text = 'He said "we will" and then "go'
    assert not rules._inside_quote(text, 0, 5)
    assert rules._inside_quote(text, 0, 12)
    assert not rules._inside_quote(text, 0, 20)
    assert rules._inside_quote(text, 9, 30) is False  # counted from the start given: two marks


@pytest.mark.parametrize(
    ("mention", "places", "expected"),
    [
        (Mention(0, 9, "Olaf Scholz", "Olaf Scholz", "PERSON"), {"scholz"}, True),  # a full name always speaks
        (Mention(0, 6, "Nissan", "Nissan", "ORG"), set(), True),
        (Mention(0, 7, "Croydon", "Croydon", "ORG"), set(), False),                    # an "organisation" named like a town
        (Mention(0, 7, "Swansea", "Swansea", "PERSON"), {"swansea"}, False),           # a "person" the article names as a place
        (Mention(0, 6, "Howard", "Howard", "PERSON"), set(), True),
        (Mention(0, 5, "Paris", "Paris", "GPE"), set(), False),
        (Mention(0, 9, "New Paris", "New Paris", "LOC"), set(), False),
        (Mention(0, 8, "New York", "New York", "ORG"), set(), True),   # an organisation of two words speaks (the magazine)
    ],
)
def test_who_can_speak(mention, places, expected):
    assert rules._can_speak(mention, places) is expected


def test_offsets_and_cues_of_given_quotes():
    text = 'Minutes later, "We are done here," Jane Porter told reporters, "and we go home."'
    at = text.index("Jane Porter")
    quotes = find_quotes(text, [Mention(at, at + 11, "Jane Porter", "Jane Porter", "PERSON")])
    assert [(text[q.start : q.end], q.text, q.speaker, q.speaker_label, q.cue) for q in quotes] == [
        ("We are done here", "We are done here", "Jane Porter", "PERSON", "told"),
        ("and we go home.", "and we go home.", "Jane Porter", "PERSON", "told")]


def test_text_without_a_quote_mark_has_no_quotes():
    assert find_quotes("Jane Porter said the council would meet on Monday.", []) == []
    assert find_quotes("", []) == []


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        # a role that ends the title a person was introduced with ("US president" of "Former US President")
        ('Former US President Barack Obama met Russian President Vladimir Putin. "We spoke for an hour," the US president said.',
         [("Barack Obama", "PERSON", "Former US President"), ("Vladimir Putin", "PERSON", "Russian President")],
         [("We spoke for an hour", "Barack Obama")]),
        # the person introduced last with that title
        ('Finance Minister Anna Berg left in May. Finance Minister Carl Dahl arrived in June. "The books are open," the finance minister said.',
         [("Anna Berg", "PERSON", "Finance Minister"), ("Carl Dahl", "PERSON", "Finance Minister")],
         [("The books are open", "Carl Dahl")]),
        # by the head noun of a longer title, when one person has it
        ('Conservative Party leader Michael Howard visited Leeds. "We will cut taxes," the former Tory leader said.',
         [("Michael Howard", "PERSON", "Conservative Party leader")], [("We will cut taxes", "Michael Howard")]),
        # ... and nobody when two have it
        ('Labour leader Ed Miliband met Conservative leader David Cameron. "It went well," the party leader said.',
         [("Ed Miliband", "PERSON", "Labour leader"), ("David Cameron", "PERSON", "Conservative leader")], [("It went well", None)]),
    ],
    ids=["role-ends-title", "latest-with-title", "head-noun-of-long-title", "head-noun-of-two"],
)
def test_roles_resolve_to_the_person_introduced_with_them(text, names, expected):
    assert given(text, *names) == expected


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        ('"We will appeal this decision," Bryne said.', [("Bryne", "GPE")], [("We will appeal this decision", "Bryne")]),  # five letters
        ('"We will appeal this decision," Bryner said.', [("Bryner", "LOC")], [("We will appeal this decision", "Bryner")]),
        ('"We vote for the winner," Vigo County said.', [("Vigo County", "GPE")], [("We vote for the winner", None)]),  # two words: a place
        # a one-word "person" the article also tags as a place does not speak, nor is it re-read as a surname
        ('Wexbury voted on Monday. "Bins will be emptied weekly," Wexbury said.', [("Wexbury", "GPE"), ("Wexbury", "PERSON")],
         [("Bins will be emptied weekly", None)]),
    ],
    ids=["five-letters", "read-as-loc", "two-words", "person-also-place"],
)
def test_which_places_are_surnames(text, names, expected):
    assert given(text, *names) == expected


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        # a quoted phrase in narrative after someone spoke is not theirs
        ('"Voters will not care," Palmieri told reporters. The mood was "tense and quiet" all week.', [("Palmieri", "PERSON")],
         [("Voters will not care", "Palmieri"), ("tense and quiet", None)]),
        # a quote that opens a sentence naming someone after it is not the paragraph's speaker's
        ('"Voters will not care," Palmieri told reporters. "They care about incomes" and so does Mook.',
         [("Palmieri", "PERSON"), ("Mook", "PERSON")], [("Voters will not care", "Palmieri"), ("They care about incomes", None)]),
    ],
    ids=["phrase-in-narrative", "names-someone-after"],
)
def test_a_quote_goes_on_from_the_last_speaker_only_when_it_opens_a_sentence_naming_no_one(text, names, expected):
    assert given(text, *names) == expected


def test_a_name_near_a_verb_is_matched_by_its_last_word_whole():
    text = "said activist Bob Max, 52."
    assert rules._name_within(text, 4, len(text), "Robert James Max", 5)  # the last word, not the second
    assert not rules._name_within(text, 4, len(text), "Bob Ma", 5)


def test_four_marks_before_a_position_close_two_quotes():
    assert not rules._inside_quote('a "b" c "d" e', 0, 13)
    assert rules._inside_quote('a "b" c "d" e "f', 0, 16)


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        # a title followed by a name names that person, not whoever held the title before
        ('Vice President Dick Cheney spoke first. "We will win," said Vice President Joe Biden.',
         [("Dick Cheney", "PERSON", "Vice President"), ("Joe Biden", "PERSON", "Vice President")], [("We will win", "Joe Biden")]),
        # the name that heads the phrase after the verb, not one further on
        ('"It is over," said Jane Porter, whose client Carl Dahl was freed.', [("Jane Porter", "PERSON"), ("Carl Dahl", "PERSON")],
         [("It is over", "Jane Porter")]),
        # a name after a preposition is not the speaker
        ('"The deal is off," said a lawyer for Carl Dahl.', [("Carl Dahl", "PERSON")], [("The deal is off", None)]),
    ],
    ids=["title-then-name", "head-of-phrase", "after-preposition"],
)
def test_the_speaker_named_after_the_verb(text, names, expected):
    assert given(text, *names) == expected


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        # 'according to' in the middle of a sentence names the speaker after it
        ('For Trump, according to William Bennett, the speech was "a turning point in the race."',
         [("Trump", "PERSON"), ("William Bennett", "PERSON")], [("a turning point in the race.", "William Bennett")]),
        # a name the model did not tag, right after the verb
        ('"We will not vote for it," said Manchin.', [], [("We will not vote for it", "Manchin")]),
        ('"We will not vote for it," said Manchin, who chairs the committee.', [], [("We will not vote for it", "Manchin")]),
    ],
    ids=["according-to-mid-sentence", "untagged-after-verb", "untagged-after-verb-with-clause"],
)
def test_names_after_the_verb(text, names, expected):
    assert given(text, *names) == expected


def test_a_surname_read_as_a_place_speaks_as_a_person():
    text = '"I do well," said Iampaglia, who graduated in 2009.'
    at = text.index("Iampaglia")
    [quote] = find_quotes(text, [Mention(at, at + 9, "Iampaglia", "Iampaglia", "GPE")])
    assert (quote.speaker, quote.speaker_label, quote.cue) == ("Iampaglia", "PERSON", "said")
    text = '"They are trying to get her to react," Wertheim said.'
    at = text.index("Wertheim")
    [quote] = find_quotes(text, [Mention(at, at + 8, "Wertheim", "Wertheim", "GPE")])
    assert (quote.speaker, quote.speaker_label) == ("Wertheim", "PERSON")


def test_a_lone_quote_with_its_full_stop_outside_goes_on_from_the_paragraph_before():
    text = '"We have done our part," Olaf Scholz said.\n"Now it is up to the others".'
    assert given(text, ("Olaf Scholz", "PERSON")) == [("We have done our part", "Olaf Scholz"), ("Now it is up to the others", "Olaf Scholz")]


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        # who is the subject of a verb: a pronoun takes the last person, a role the person with that title
        ('Keir Starmer visited the plant. He told workers that jobs were "safe for a decade."', [("Keir Starmer", "PERSON")],
         [("safe for a decade.", "Keir Starmer")]),
        ('Chancellor Rachel Reeves met bankers. The chancellor said rates were "far too high."',
         [("Rachel Reeves", "PERSON", "Chancellor")], [("far too high.", "Rachel Reeves")]),
        ('The Ministry of Finance said the budget would "restore confidence" soon.', [("Ministry of Finance", "ORG")],
         [("restore confidence", "Ministry of Finance")]),
        ('Zimmerman, who identifies as Hispanic, told the Sentinel the site was "not prepared for the traffic."', [],
         [("not prepared for the traffic.", "Zimmerman")]),
    ],
    ids=["pronoun-subject", "role-subject", "organisation-subject", "untagged-subject-with-clause"],
)
def test_the_subject_of_a_speech_verb_before_the_quote(text, names, expected):
    assert given(text, *names) == expected


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        # an untagged surname takes the article's full name that ends with it
        ('Joe Anthony Manchin met the leaders. "We will not vote for it," Manchin said.', [("Joe Anthony Manchin", "PERSON")],
         [("We will not vote for it", "Joe Anthony Manchin")]),
        ('Joe Manchin met the leaders. "We will not vote for it," Manchin said.', [("Joe Manchin", "PERSON")],
         [("We will not vote for it", "Joe Manchin")]),
        # ... a person's, not an organisation's
        ('Manchin Associates wrote first. "We will not vote for it," Manchin said.', [("Manchin Associates", "ORG")],
         [("We will not vote for it", "Manchin")]),
        # a capitalised word the article also writes in lower case is no name
        ('The union backs nurses. "We need more pay," Nurses said.', [], [("We need more pay", None)]),
        # the name closest to the verb, past an opening phrase
        ('Speaking in Leeds, Manchin said the bill was "dead on arrival."', [], [("dead on arrival.", "Manchin")]),
    ],
    ids=["full-name-of-three", "full-name-of-two", "not-an-organisation", "lower-case-elsewhere", "after-opening-phrase"],
)
def test_untagged_names_next_to_the_verb(text, names, expected):
    assert given(text, *names) == expected


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        # a question ending the quote, then its attribution
        ('"Why me?" Trump said.', [("Trump", "PERSON")], [("Why me?", "Trump")]),
        # a new sentence that goes on past its verb is not the quote's attribution
        ('"It is over." Trump said the talks would resume next week after the long holiday break in the capital.',
         [("Trump", "PERSON")], [("It is over.", None)]),
        ('"It is over." Trump said: "We will talk again."', [("Trump", "PERSON")], [("It is over.", None), ("We will talk again.", "Trump")]),
        # a long apposition between the name and the verb: up to twelve words
        ('"We will not back down," Morton Blackwell, the Republican National Committeeman from Virginia, told AFP.',
         [("Morton Blackwell", "PERSON"), ("Republican National Committeeman", "ORG"), ("Virginia", "GPE"), ("AFP", "ORG")],
         [("We will not back down", "Morton Blackwell")]),
        # a short phrase ending in a name right before the verb
        ('"We love him," warm-and-fuzzy Trump said.', [("Trump", "PERSON")], [("We love him", "Trump")]),
        # words after the quote that are not an attribution: the sentence's subject speaks
        ('Mike Huckabee proposed we "wake up and smell the falafel" and said House Speaker Paul Ryan should resign.',
         [("Mike Huckabee", "PERSON"), ("Paul Ryan", "PERSON")], [("wake up and smell the falafel", "Mike Huckabee")]),
        # a participle after the quote whose subject came before it
        ('Jane Porter called the plan "a disgrace to the city," claiming that it would cost jobs.', [("Jane Porter", "PERSON")],
         [("a disgrace to the city", "Jane Porter")]),
        # more words between the quote and the verb, then the name after it
        ('"There is a real chance" that Sanders can catch Clinton, said Steve Elmendorf.',
         [("Sanders", "PERSON"), ("Clinton", "PERSON"), ("Steve Elmendorf", "PERSON")], [("There is a real chance", "Steve Elmendorf")]),
        # ... and no name after it: no attribution
        ('"There is a real chance" that Sanders can catch Clinton, officials said.',
         [("Sanders", "PERSON"), ("Clinton", "PERSON")], [("There is a real chance", None)]),
        # the speaker after the verb, past an apposition with a name in it
        ('"We disagree strongly," said Jamal Ware, a spokesman for Trey Gowdy.', [("Jamal Ware", "PERSON"), ("Trey Gowdy", "PERSON")],
         [("We disagree strongly", "Jamal Ware")]),
        # a pronoun after the verb
        ('Emmanuel Macron arrived late. "We are not there yet," he told reporters.', [("Emmanuel Macron", "PERSON")],
         [("We are not there yet", "Emmanuel Macron")]),
        ('Emmanuel Macron arrived late. "We are not there yet," said he.', [("Emmanuel Macron", "PERSON")],
         [("We are not there yet", "Emmanuel Macron")]),
    ],
    ids=["question", "next-sentence", "next-sentence-colon", "long-apposition", "short-phrase", "not-attribution", "participle-after",
         "verb-after-clause", "verb-after-clause-no-name", "apposition-after-verb", "pronoun-before-verb", "pronoun-after-verb"],
)
def test_attributions_after_the_quote(text, names, expected):
    assert given(text, *names) == expected


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        # the subject of the last speech verb before the quote, past another verb of the same subject
        ('Graham said that Carson is wrong, and said the plan was "a joke from start to finish."',
         [("Graham", "PERSON"), ("Carson", "PERSON")], [("a joke from start to finish.", "Graham")]),
        # a possessive is not the subject
        ("Clinton's aide Huma Abedin said the emails were \"all accounted for.\"", [("Clinton", "PERSON"), ("Huma Abedin", "PERSON")],
         [("all accounted for.", "Huma Abedin")]),
        # a name after a preposition is not the subject
        ('In a letter to Trump, the mayor said the wall was "a waste of money."', [("Trump", "PERSON")], [("a waste of money.", None)]),
        # a name in a relative clause is not the subject
        ('Small, who attended the rally with Perez, said that "Trump hurt the little people."', [("Perez", "PERSON")],
         [("Trump hurt the little people.", "Small")]),
        # "a Clinton supporter" is not Clinton
        ('A Clinton supporter said the debate was "a clear win for her."', [("Clinton", "PERSON")], [("a clear win for her.", None)]),
        # passive: asked by the moderator
        ('Rubio was asked by moderator Gerard Baker: "Would you raise the age?"', [("Rubio", "PERSON"), ("Gerard Baker", "PERSON")],
         [("Would you raise the age?", "Gerard Baker")]),
        # the verb after a participle takes the sentence's subject
        ('Elizabeth Warren endorsed Hillary Clinton, saying "she is a fighter."',
         [("Elizabeth Warren", "PERSON"), ("Hillary Clinton", "PERSON")], [("she is a fighter.", "Elizabeth Warren")]),
        ('He endorsed Hillary Clinton, saying "she is a fighter."', [("Hillary Clinton", "PERSON")], [("she is a fighter.", None)]),
        ('Elizabeth Warren spoke first. She endorsed Hillary Clinton, saying "she is a fighter."',
         [("Elizabeth Warren", "PERSON"), ("Hillary Clinton", "PERSON")], [("she is a fighter.", "Elizabeth Warren")]),
        # an organisation before a person is the person's employer: the person speaks
        ('American Bridge President Jessica Mackler said the ad was "a lie from start to end."',
         [("American Bridge", "ORG"), ("Jessica Mackler", "PERSON")], [("a lie from start to end.", "Jessica Mackler")]),
        # an auxiliary between the name and the verb
        ('President Obama has called the plan "a step backwards for the country."', [("Obama", "PERSON")],
         [("a step backwards for the country.", "Obama")]),
        # a colon ending a short phrase of a name: a transcript
        ('Wallace: "We will not leave the region."', [("Wallace", "PERSON")], [("We will not leave the region.", "Wallace")]),
    ],
    ids=["and-said", "possessive", "preposition", "relative-clause", "modifier", "asked-by", "participle", "participle-pronoun-unknown",
         "participle-pronoun", "org-then-person", "auxiliary", "transcript-colon"],
)
def test_attributions_before_the_quote(text, names, expected):
    assert given(text, *names) == expected


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        # who can be the subject of the verb after it
        ("Clinton’s aide Huma Abedin said the emails were \"all accounted for.\"", [("Clinton", "PERSON"), ("Huma Abedin", "PERSON")],
         [("all accounted for.", "Huma Abedin")]),
        ('Clinton campaign staff said the poll was "an outlier at best."', [("Clinton", "PERSON")], [("an outlier at best.", None)]),
        ('Huckabee campaign spokesman Hogan Gidley said it was "a fair fight."', [("Huckabee", "PERSON"), ("Hogan Gidley", "PERSON")],
         [("a fair fight.", "Hogan Gidley")]),
        ('Republican candidate Donald Trump said the plan was "a disaster."', [("Donald Trump", "PERSON")], [("a disaster.", "Donald Trump")]),
        ('Voters who backed Sanders said the result was "a disappointment."', [("Sanders", "PERSON")], [("a disappointment.", None)]),
        ('The nominee, whom Pelosi praised, said it was "a good day for us."', [("Pelosi", "PERSON")], [("a good day for us.", None)]),
        # names with apostrophes that are not possessives stay subjects
        ("O'Malley said the debate was \"a real contest.\"", [("O'Malley", "PERSON")], [("a real contest.", "O'Malley")]),
    ],
    ids=["curly-possessive", "modifier", "role-like-word-before", "subject-word-before", "object-of-verb", "relative-whom", "apostrophe-name"],
)
def test_who_is_the_subject_of_the_verb(text, names, expected):
    assert given(text, *names) == expected


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        # the name right before the verb after the quote, past a relative clause (the head names the speaker)
        ('"We will win," Small, who attended the rally, said.', [], [("We will win", "Small")]),
        ('"We will win," Adam Green, co-founder of the group, said.', [("Adam Green", "PERSON")], [("We will win", "Adam Green")]),
        ('"We will win," Obama has repeatedly said.', [("Obama", "PERSON")], [("We will win", "Obama")]),
        ('"We will win," Obama would later say.', [("Obama", "PERSON")], [("We will win", "Obama")]),
        ('"We will win," the Washington Post reported.', [("Washington Post", "ORG")], [("We will win", "Washington Post")]),
        # a place right before the verb does not speak; a person after a preposition neither
        ('"Bins will go out every week," Croydon said.', [("Croydon", "GPE")], [("Bins will go out every week", None)]),
        ('"We will win," another member of the Cabinet says.', [("Cabinet", "ORG")], [("We will win", None)]),
    ],
    ids=["relative-clause", "apposition", "auxiliary", "would-later", "organisation", "place", "after-preposition"],
)
def test_the_name_right_before_the_verb(text, names, expected):
    assert given(text, *names) == expected


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        # one sentence, two pieces of a quote around its attribution
        ('"The risk," said Edward Leamer, an economist, "is that prices keep rising."', [("Edward Leamer", "PERSON")],
         [("The risk", "Edward Leamer"), ("is that prices keep rising.", "Edward Leamer")]),
        # a British quote over three paragraphs, attributed in the last: every piece is the speaker's
        ('Ben Wallace arrived on Friday.\n\n"We will stay in the region for as long as it takes.\n\n"Our allies rely on us.\n\n'
         '"They know we keep our word," Mr Wallace said.', [("Ben Wallace", "PERSON"), ("Wallace", "PERSON")],
         [("We will stay in the region for as long as it takes.", "Wallace"), ("Our allies rely on us.", "Wallace"),
          ("They know we keep our word", "Wallace")]),  # the mention's name: harmonising "Wallace" is the entities' work
        # a British quote attributed in its first paragraph goes on with the same speaker
        ('"We will stay in the region for as long as it takes," Mr Wallace said.\n\n"Our allies rely on us.\n\n'
         '"They know we keep our word."', [("Wallace", "PERSON")],
         [("We will stay in the region for as long as it takes", "Wallace"), ("Our allies rely on us.", "Wallace"),
          ("They know we keep our word.", "Wallace")]),
        # a mark left open that the next paragraph does not continue is no quote
        ('The minister said "we will see about that.\n\nThe debate ended at noon.', [], []),
        # a paragraph ending "X said:" gives the next paragraph's quote its speaker
        ('Chancellor Rachel Reeves told MPs:\n\n"We will not borrow to pay for day-to-day spending."', [("Rachel Reeves", "PERSON")],
         [("We will not borrow to pay for day-to-day spending.", "Rachel Reeves")]),
        ('Added Rachel Reeves:\n\n"We will not borrow to pay for day-to-day spending."', [("Rachel Reeves", "PERSON")],
         [("We will not borrow to pay for day-to-day spending.", "Rachel Reeves")]),
        # ... but a paragraph that ends otherwise gives it none
        ('Chancellor Rachel Reeves told MPs the plan was ready.\n\n"We will not borrow to pay for day-to-day spending."',
         [("Rachel Reeves", "PERSON")], [("We will not borrow to pay for day-to-day spending.", "Rachel Reeves")]),
        ('The plan was ready on Tuesday.\n\n"We will not borrow to pay for day-to-day spending."', [],
         [("We will not borrow to pay for day-to-day spending.", None)]),
        # the subject of a sentence before the quote's becomes "he"
        ('Keir Starmer visited the factory. He said: "This is what a modern economy looks like."', [("Keir Starmer", "PERSON")],
         [("This is what a modern economy looks like.", "Keir Starmer")]),
    ],
    ids=["two-pieces", "british-attributed-last", "british-attributed-first", "left-open", "introduced", "introduced-verb-first",
         "previous-paragraph-speaker", "nobody-before", "he-after-subject"],
)
def test_quotes_across_pieces_and_paragraphs(text, names, expected):
    assert given(text, *names) == expected


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        # "he" is the last person who spoke or opened a sentence
        ('"We are ready," Jane Porter said on Monday.\n\nCarl Dahl arrived late. Later, he added: "We will win."',
         [("Jane Porter", "PERSON"), ("Carl Dahl", "PERSON")], [("We are ready", "Jane Porter"), ("We will win.", "Carl Dahl")]),
        ('"We are ready," Jane Porter said on Monday.\n\nLater, she added: "We will win."', [("Jane Porter", "PERSON")],
         [("We are ready", "Jane Porter"), ("We will win.", "Jane Porter")]),
        # an organisation that spoke is not who "he" is
        ('"We are ready," the Treasury said.\n\nHe added: "We will win."', [("Treasury", "ORG")],
         [("We are ready", "Treasury"), ("We will win.", None)]),
        # a headline quote someone is said to speak is a quote; one that no one speaks is not
        ('Porter: "We will win"\n\nThe mayor spoke on Monday.', [("Porter", "PERSON")], [("We will win", "Porter")]),
        ('Council backs "sea wall of hope"\n\nThe mayor spoke on Monday.', [], []),
        # a scare quote between quotes of a speaker breaks the chain: the next quote is not theirs
        ('"We are ready," Jane Porter said.\n\nThe so-called "plan" was dropped.\n\n"Nobody knows why."', [("Jane Porter", "PERSON")],
         [("We are ready", "Jane Porter"), ("Nobody knows why.", None)]),
    ],
    ids=["pronoun-is-last-person", "pronoun-after-quote", "organisation-not-he", "attributed-headline", "headline-scare-quote",
         "scare-quote-breaks-chain"],
)
def test_who_spoke_last(text, names, expected):
    assert given(text, *names) == expected


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        # the subject some words before the verb
        ('Trump on Monday said the plan was "a win for voters."', [("Trump", "PERSON")], [("a win for voters.", "Trump")]),
        # of a person and an organisation that say something together, the person
        ('Trump and the RNC on Monday said the plan was "a win for voters."', [("Trump", "PERSON"), ("RNC", "ORG")],
         [("a win for voters.", "Trump")]),
        ('The RNC on Monday said the plan was "a win for voters."', [("RNC", "ORG")], [("a win for voters.", "RNC")]),
    ],
    ids=["subject-words-before", "person-and-organisation", "organisation"],
)
def test_subjects_a_few_words_before_the_verb(text, names, expected):
    assert given(text, *names) == expected


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        # the subject that opens the sentence, past a short opening phrase or a longer one that names somewhere
        ('In city after city, Perez attacked the "New York values" of the field.', [("Perez", "PERSON")],
         [("New York values", "Perez")]),
        ('In Iowa on a cold Monday night, Perez attacked the "New York values" of the field.', [("Iowa", "GPE"), ("Perez", "PERSON")],
         [("New York values", "Perez")]),
        ('But Cruz, leading in Iowa, attacked the "New York values" of the field.', [("Cruz", "PERSON"), ("Iowa", "GPE")],
         [("New York values", "Cruz")]),
        # not a name far into the sentence, nor one after a comma, nor one that is not the subject
        ('The long and much discussed report from the staff of the committee on Tuesday named Cruz as "a risk to us."',
         [("Cruz", "PERSON")], [("a risk to us.", None)]),
        ('The report, which was late, named Cruz as "a risk to us."', [("Cruz", "PERSON")], [("a risk to us.", None)]),
        ("Cruz's campaign attacked the \"New York values\" of the field.", [("Cruz", "PERSON")], [("New York values", None)]),
        # a person of an organisation: the person
        ('American Bridge President Jessica Mackler branded it "a lie from start to end."',
         [("American Bridge", "ORG"), ("Jessica Mackler", "PERSON")], [("a lie from start to end.", "Jessica Mackler")]),
        # an organisation that opens the sentence speaks
        ('The Ministry of Finance branded it "a lie from start to end."', [("Ministry of Finance", "ORG")],
         [("a lie from start to end.", "Ministry of Finance")]),
        # a place that opens the sentence does not
        ('Texas branded it "a lie from start to end."', [("Texas", "GPE")], [("a lie from start to end.", None)]),
    ],
    ids=["short-opening-phrase", "long-opening-phrase", "aside", "far", "after-comma", "possessive", "org-person", "org", "place"],
)
def test_the_person_who_opens_a_sentence_with_no_speech_verb(text, names, expected):
    assert given(text, *names) == expected


@pytest.mark.parametrize(
    ("text", "open_before", "expected", "left_open"),
    [
        # (opening mark, just past the closing mark, quoted words, goes on from the piece before, closed)
        ('He said "we are done," and left.', False, [(8, 22, "we are done", False, True)], False),
        # an opening mark inside a quote: the quote goes on in a new piece
        ('He said: "We are done. "We go home." Then he left.', False,
         [(9, 23, "We are done.", False, False), (23, 36, "We go home.", True, True)], False),
        # a paragraph that opens with a mark after a quote left open goes on with it ...
        ('"We go home.', True, [(0, 12, "We go home.", True, False)], True),
        # ... not when words come before the mark, and only its first mark
        ('Then "we go home.', True, [(5, 17, "we go home.", False, False)], True),
        ('"We go." Then "home."', True, [(0, 8, "We go.", True, True), (14, 21, "home.", False, True)], False),
        ('"We go." Then "home."', False, [(0, 8, "We go.", False, True), (14, 21, "home.", False, True)], False),
        # a quote left open at the end of the paragraph
        ('He said "we are', False, [(8, 15, "we are", False, False)], True),
    ],
)
def test_quoted_pieces_of_a_paragraph(text, open_before, expected, left_open):
    pieces, still_open = rules._pieces(text, 0, len(text), open_before)
    assert [(p.open, p.close, text[p.start : p.end], p.continues, p.closed) for p in pieces] == expected
    assert all(type(p.continues) is bool and type(p.closed) is bool for p in pieces)
    assert still_open is left_open


def test_quoted_words_are_trimmed_of_spaces_and_trailing_commas():
    text = 'x "  we go home , \n" y'
    piece = rules._trim(text, 2, text.index('"', 3), text.index('"', 3) + 1, False, True)
    assert (text[piece.start : piece.end], piece.open, piece.close) == ("we go home", 2, 20)
    piece = rules._trim('x " " y', 2, 4, 5, False, True)
    assert (piece.start, piece.end) == (3, 3)  # nothing but a space: empty, never past its own end
    piece = rules._trim('x ", " y', 2, 5, 6, False, True)
    assert (piece.start, piece.end) == (3, 3)


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        # a short opening phrase of up to five words is passed over; a longer one that is not an opening phrase is not
        ('Two days after the vote, Perez attacked the "New York values" of the field.', [("Perez", "PERSON")],
         [("New York values", "Perez")]),
        ('Two long days after the vote, Perez attacked the "New York values" of the field.', [("Perez", "PERSON")],
         [("New York values", None)]),
        # an organisation that ends the phrase after the verb speaks
        ('"We will publish the figures," said the Treasury, which has denied any delay.', [("Treasury", "ORG")],
         [("We will publish the figures", "Treasury")]),
        # a one-word "person" the article also tags as a region is a place
        ('Rain fell across the Sahel. "We need water," Sahel said.', [("Sahel", "LOC"), ("Sahel", "PERSON")], [("We need water", None)]),
    ],
    ids=["five-word-phrase", "six-word-phrase", "organisation-before-clause", "person-also-region"],
)
def test_more_openers_and_places(text, names, expected):  # the rules' reach, without the parser
    assert given(text, *names, parse=False) == expected


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        # an attribution more than 200 characters after the quote is not the quote's
        ('"We will win" was the cry of the crowd ' + "and so on " * 17 + ", Trump said.", [("Trump", "PERSON")], [("We will win", None)]),
        ('"We will win" was the cry of the crowd ' + "and so on " * 14 + ", Trump said.", [("Trump", "PERSON")], [("We will win", "Trump")]),
        # a few words, then the name before the verb
        ('"We will win" was the slogan, Trump said.', [("Trump", "PERSON")], [("We will win", "Trump")]),
        # a sentence that ended in the quote, then another sentence with a quote: its verb is not the first quote's
        ('Donald Trump said Clinton "caused death." Bernie Sanders called Trump a "pathological liar."',
         [("Donald Trump", "PERSON"), ("Clinton", "PERSON"), ("Bernie Sanders", "PERSON"), ("Trump", "PERSON")],
         [("caused death.", "Donald Trump"), ("pathological liar.", "Bernie Sanders")]),
    ],
    ids=["beyond-200", "within-200", "few-words-then-name", "next-sentence-with-quote"],
)
def test_how_far_an_attribution_reaches(text, names, expected):  # the rules' reach, without the parser
    assert given(text, *names, parse=False) == expected


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        # after a quote that ends its sentence, a verb followed by up to ten words is its attribution; more is a new sentence
        ('"It is over." Trump said as the talks broke up in the capital on Monday.', [("Trump", "PERSON")],
         [("It is over.", "Trump")]),
        ('"It is over." Trump said as the talks broke up in the capital late on Monday.', [("Trump", "PERSON")],
         [("It is over.", None)]),
        # up to twelve words between the quote and the verb can name the speaker
        ('"We will win," Morton Blackwell, the long serving Republican National Committeeman from west Virginia, told AFP.',
         [("Morton Blackwell", "PERSON"), ("AFP", "ORG")], [("We will win", "Morton Blackwell")]),
        # an organisation that spoke is not "he"
        ('The Treasury said on Monday that the plan was ready. He added: "We will win."', [("Treasury", "ORG")],
         [("We will win.", None)]),
    ],
    ids=["ten-words-after-verb", "eleven-words-after-verb", "twelve-words-before-verb", "organisation-is-not-he"],
)
def test_attribution_limits(text, names, expected):
    assert given(text, *names) == expected


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        # a paragraph that ends in a colon introduces the quote that opens the next one
        ('Chancellor Rachel Reeves told MPs: \n\n"We will not borrow to pay for day-to-day spending."', [("Rachel Reeves", "PERSON")],
         [("We will not borrow to pay for day-to-day spending.", "Rachel Reeves")]),
        ('The budget is due next week. Rachel Reeves:\n\n"We will not borrow to pay for day-to-day spending."',
         [("Rachel Reeves", "PERSON")], [("We will not borrow to pay for day-to-day spending.", "Rachel Reeves")]),
        ('The letter to Rachel Reeves reads in full:\n\n"We will not borrow to pay for day-to-day spending."',
         [("Rachel Reeves", "PERSON")], [("We will not borrow to pay for day-to-day spending.", None)]),
        ('Rachel Reeves spoke. The Treasury said in a statement:\n\n"We will not borrow to pay for day-to-day spending."',
         [("Rachel Reeves", "PERSON"), ("Treasury", "ORG")], [("We will not borrow to pay for day-to-day spending.", "Treasury")]),
    ],
    ids=["trailing-space", "name-and-colon", "after-preposition", "last-sentence"],
)
def test_a_paragraph_ending_in_a_colon_introduces_the_next(text, names, expected):
    assert given(text, *names) == expected


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        # a name within the first words after the verb, past words that do not name anyone themselves
        ('"We are done," said conservative activist Bob Klaus.', [("Bob Klaus", "PERSON")], [("We are done", "Bob Klaus")]),
        ('"We are done," said conservative activists marching with Bob Klaus.', [("Bob Klaus", "PERSON")], [("We are done", None)]),
    ],
    ids=["within-five-words", "after-a-preposition"],
)
def test_a_name_a_few_words_after_the_verb(text, names, expected):
    assert given(text, *names) == expected


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        # a lone quote with nothing before it
        ('"We are here to stay."', [], [("We are here to stay.", None)]),
        # a scare quote that opens the text is not speech
        ('"Absurd" was the word of the day.', [], []),
        # a scare quote and a quote in one sentence: the quote is still read
        ('The so-called "reform" passed, and "we are proud of it," the mayor said.', [], [("we are proud of it", None)]),
        # a later quote's speaker is not given to an earlier unattributed one
        ('"We are done."\n"It is over," Trump said.', [("Trump", "PERSON")], [("We are done.", None), ("It is over", "Trump")]),
        # a lone quote goes on from the quote before, also when more paragraphs follow
        ('"We have done our part," Olaf Scholz said.\n"Now it is up to the others."\nThe talks end today.', [("Olaf Scholz", "PERSON")],
         [("We have done our part", "Olaf Scholz"), ("Now it is up to the others.", "Olaf Scholz")]),
        # the speaker of a quote is who "she" is next
        ('"We are ready," said Jane Porter.\n\nLater, she added: "We will win."', [("Jane Porter", "PERSON")],
         [("We are ready", "Jane Porter"), ("We will win.", "Jane Porter")]),
    ],
    ids=["lone-first", "scare-first", "scare-then-quote", "no-borrowed-speaker", "lone-then-more", "speaker-is-she"],
)
def test_the_reading_of_a_whole_text(text, names, expected):
    assert given(text, *names) == expected


def test_a_quote_left_open_is_dropped_also_when_other_quotes_follow():
    text = 'He said "we will see about that.\n\nThe debate ended at noon. "That is fine by me," she said.'
    assert given(text) == [("That is fine by me", None)]


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        # an attribution after a quote gives its speaker to the quote before it in the same sentence
        ('Taxes are "a burden on families" and "a drag on growth," Jane Porter said.', [("Jane Porter", "PERSON")],
         [("a burden on families", "Jane Porter"), ("a drag on growth", "Jane Porter")]),
        # ... but not across a sentence
        ('Taxes are "a burden on all families." "It is a drag on growth," Jane Porter said.', [("Jane Porter", "PERSON")],
         [("a burden on all families.", None), ("It is a drag on growth", "Jane Porter")]),
        # an opening mark typed where the closing one belongs closes the quote
        ('"We are done,“ said Jane Porter, a lawyer.', [("Jane Porter", "PERSON")], [("We are done", "Jane Porter")]),
        # a quote closed on a comma: the name right before the verb speaks, after words in lower case
        ('"We will win this," election law expert Rick Hasen tweeted.', [("Rick Hasen", "PERSON")],
         [("We will win this", "Rick Hasen")]),
        ('"We will win this" election law expert Rick Hasen tweeted.', [("Rick Hasen", "PERSON")],
         [("We will win this", None)]),
        # "after" before a name and a speech verb opens a clause: the name is its subject
        ('The vote came a day after Trump told the Post he was "not quite there yet" on the bill.', [("Trump", "PERSON")],
         [("not quite there yet", "Trump")]),
        ('The vote came a day after a call from Trump told of "not quite there yet" on the bill.', [("Trump", "PERSON")],
         [("not quite there yet", None)]),
        # a capitalised word that opens a sentence is not a name the model missed
        ('During the hearing, said the clerk, "the record was sealed for ten years."', [], [("the record was sealed for ten years.", None)]),
    ],
    ids=["back-in-sentence", "not-back-across-sentences", "typed-opener-closes", "punctuated-lowercase-lead",
         "unpunctuated-long-lead", "after-is-a-conjunction", "after-a-preposition", "during-is-not-a-name"],
)
def test_attributions_that_reach_over_a_quote_or_a_word(text, names, expected):  # the rules' reach, without the parser
    assert given(text, *names, parse=False) == expected


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        # a lower-case opening clause before the subject ("And after ..., Gov. Pat Moore blamed")
        ('And after the court refused to hear it, Governor Pat Moore blamed "four liberal justices who blocked it."',
         [("the court", "ORG"), ("Pat Moore", "PERSON")], [("four liberal justices who blocked it.", "Pat Moore")]),
        # a short phrase set off by a comma before a verb that names its speaker after it
        ('In other words, explained moderator Nancy Cordes: "What does that have to do with it?"', [("Nancy Cordes", "PERSON")],
         [("What does that have to do with it?", "Nancy Cordes")]),
        # a paragraph that opens with a dash and a name signs the quotes just before it
        ('"We will look into it. I do not know the status."\n\n- Hillary Clinton.\n\nThe debate went on.', [("Hillary Clinton", "PERSON")],
         [("We will look into it. I do not know the status.", "Hillary Clinton")]),
        ('"We will look into it. I do not know the status."\n\nThe debate went on with Hillary Clinton.', [("Hillary Clinton", "PERSON")],
         [("We will look into it. I do not know the status.", None)]),
        # "with X tweeting that": the participle's subject is the name right before it
        ('Republicans were quick to respond, with Donald Trump tweeting that it was "a disaster for the country."',
         [("Donald Trump", "PERSON")], [("a disaster for the country.", "Donald Trump")]),
    ],
    ids=["lowercase-intro", "phrase-then-verb-first", "dash-signature", "no-dash-no-signature", "with-name-participle"],
)
def test_speakers_set_apart_from_their_quotes(text, names, expected):
    assert given(text, *names) == expected


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        # the subject of the verb that governs the quote, found by parsing the sentence, when the rules find no one
        ('Standing beside the mayor on the steps of the hall, Moore thanked him for "stepping up when others would not."',
         [("Moore", "PERSON")], [("stepping up when others would not.", "Moore")]),
        # ... a place is never that subject
        ('Standing beside the mayor on the steps of the hall, Croydon thanked him for "stepping up when others would not."',
         [("Croydon", "GPE")], [("stepping up when others would not.", None)]),
        # ... nor a name that is not the subject
        ('Standing beside the mayor on the steps of the hall, the crowd thanked Moore for "stepping up when others would not."',
         [("Moore", "PERSON")], [("stepping up when others would not.", None)]),
        # ... nor the subject of a clause that someone else reports
        ('Standing beside the mayor on the steps of the hall, an aide said that Moore "will stand again next year."',
         [("Moore", "PERSON")], [("will stand again next year.", None)]),
    ],
    ids=["parsed-subject", "parsed-place", "parsed-object", "parsed-reported-clause"],
)
def test_the_parsed_subject_as_a_last_resort(text, names, expected):
    assert given(text, *names) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a participle that opens the sentence is not a surname the model missed
        ('Standing beside the mayor on the steps, an aide said that "the hall will close next year."',
         [("the hall will close next year.", None)]),
        # ... while a surname ending the same way, right before the verb, still is
        ('Manning said that "the hall will close next year."', [("the hall will close next year.", "Manning")]),
    ],
    ids=["participle-opener", "surname-in-ing"],
)
def test_a_participle_is_not_a_name(text, expected):
    assert given(text, parse=False) == expected


def test_a_pronoun_right_before_the_verb_is_its_subject():
    # "he said" inside a clause names the person the pronoun stands for, not the last name before it
    text = ('Dr Fox refused to discuss reports that the party repaid money to former Treasurer Lord Ashcroft after he said the party '
            'could not win. "We repay loans when they are due," he said.')
    assert given(text, ("Fox", "PERSON"), ("Lord Ashcroft", "PERSON"), parse=False) == [("We repay loans when they are due", "Fox")]
