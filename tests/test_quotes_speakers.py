"""Speakers the rules name once the model has missed or misread them, and attributions that reach
past what follows the verb: each case written for the test, each rule's own sentence."""

import pytest

from dashboard.nlp import quotes as rules
from dashboard.nlp.names import clean
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


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        # a question or an exclamation, then its speaker and a plain speech verb, whatever the sentence goes on to say
        ('"Who remembers how many we lost?" Clinton asks as a man walks past her, saying he is "here to fix the wall."',
         [("Clinton", "PERSON")], [("Who remembers how many we lost?", "Clinton"), ("here to fix the wall.", "Clinton")]),
        ('"All the way!" Dawson shouted, shorthand for taking the fight all the way to the convention floor in the summer.',
         [("Dawson", "PERSON")], [("All the way!", "Dawson")]),
        # ... "remarked", "quipped", "retorted" and the like only report speech too
        ('"Who is next?" Tom Brady asked.\n\n"I am not sure the actor is free, but we will see, right?" Ann Fox remarked, alluding '
         'to the latest film of the actor as a rugged frontiersman.',
         [("Tom Brady", "PERSON"), ("Ann Fox", "PERSON")],
         [("Who is next?", "Tom Brady"), ("I am not sure the actor is free, but we will see, right?", "Ann Fox")]),
        # ... but a verb that does more than report speech starts a sentence of its own
        ('"We have lost everything!" Clinton called the result a disgrace for the whole party and for every one of its members.',
         [("Clinton", "PERSON")], [("We have lost everything!", None)]),
    ],
    ids=["question-then-speaker", "exclamation-then-speaker", "remarked", "not-a-plain-speech-verb"],
)
def test_a_speaker_after_a_question_or_an_exclamation(text, names, expected):
    assert given(text, *names, parse=False) == expected


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        # a surname the model read as a place elsewhere in the article does not make the name a place
        ('Husted criticised the ruling. "This has to stop," Husted said.', [("Husted", "GPE")], [("This has to stop", "Husted")]),
        # ... nor does the last word of a person's full name, even where the model tagged it as a place
        ('Donald Trump bought the hotel. Visitors to Trump were few. In response, Trump wrote to the bank: "Only a fool would do this."',
         [("Donald Trump", "PERSON"), ("Trump", "GPE"), ("Trump", "ORG")], [("Only a fool would do this.", "Trump")]),
        # ... while a real place stays one: a town the article writes as a place does not speak
        ('Crowds gathered in Croydon. "This has to stop," Croydon said.', [("Croydon", "GPE"), ("Croydon", "GPE")],
         [("This has to stop", None)]),
    ],
    ids=["surname-read-as-place", "surname-of-a-full-name", "a-place-stays-a-place"],
)
def test_words_the_model_read_as_places(text, names, expected):
    assert given(text, *names, parse=False) == expected


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        # a participle after a quote ('", adding that ...') has the sentence's subject, not a name in its clause
        ('Ted Cruz said there is "only one conservative who can win this race," adding that that’s why Donald Trump "attacks us every day."',
         [("Ted Cruz", "PERSON"), ("Donald Trump", "PERSON")],
         [("only one conservative who can win this race", "Ted Cruz"), ("attacks us every day.", "Ted Cruz")]),
        # ... nor does a participle name its speaker after it, as "Added Smith:" does
        ('Rand Paul then interjected, calling Rubio\'s plan "a welfare transfer payment."', [("Rand Paul", "PERSON"), ("Rubio", "PERSON")],
         [("a welfare transfer payment.", "Rand Paul")]),
    ],
    ids=["participle-after-the-quote", "participle-before-a-name"],
)
def test_a_participle_takes_the_subject_of_its_sentence(text, names, expected):
    assert given(text, *names, parse=False) == expected


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        # the subject of a participle is the sentence's, even untagged and after a title; never the name it writes to
        ('Phoenix Mayor Greg Stanton wrote to Attorney General Loretta Lynch asking her to look into the "fiasco at the polls."',
         [("Loretta Lynch", "PERSON", "Attorney General")], [("fiasco at the polls.", "Greg Stanton")]),
        # ... and with no subject to be found, no one rather than that name
        ('The letter went to Attorney General Loretta Lynch yesterday asking her to look into the "fiasco at the polls."',
         [("Loretta Lynch", "PERSON", "Attorney General")], [("fiasco at the polls.", None)]),
        # ... nor the last name before the participle, which the subject wrote or spoke to
        ('The county clerk wrote a long letter on Friday to the office of Senator Jim Smith asking for an end to the "fiasco at the polls."',
         [("Jim Smith", "PERSON")], [("fiasco at the polls.", None)]),
        # "with <title> <name> <participle>": that name, past its title
        ('Ted Cruz spoke first, with Sen. John McCain calling the plan a "Chinese menu of options."',
         [("Ted Cruz", "PERSON"), ("John McCain", "PERSON")], [("Chinese menu of options.", "John McCain")]),
        # ... and so after a dash or "and": "- Fox saying ... and Baker calling ..."
        ('Both issued a statement - Ann Fox saying she was "very pleased" and Tom Baker calling it "a great day for the town."',
         [("Ann Fox", "PERSON"), ("Tom Baker", "PERSON")], [("very pleased", "Ann Fox"), ("a great day for the town.", "Tom Baker")]),
        ('Ann Fox met the press twice - Tom Baker saying it was "a great day for the town."',
         [("Ann Fox", "PERSON"), ("Tom Baker", "PERSON")], [("a great day for the town.", "Tom Baker")]),
    ],
    ids=["untagged-subject-of-participle", "no-subject-of-participle", "not-the-addressee", "with-title-name-participle",
         "dash-and-name-participle", "dash-name-participle"],
)
def test_the_subject_of_a_participle(text, names, expected):
    assert given(text, *names, parse=False) == expected


def test_words_that_open_a_sentence_but_are_no_subject():
    resolver = rules._Resolver("Reached by phone, the aide said so. Reed said so.", [])
    assert resolver.bare_name("Reached by phone, the aide", at_end=False, subject=True) is None  # a participle
    assert resolver.bare_name("Reed said", at_end=False, subject=True) == ("Reed", "PERSON")  # a surname ending in -ed
    assert resolver.bare_name("Smith's aide", at_end=False, subject=True) is None  # a possessive
    assert resolver.bare_name("Smith said", at_end=False, subject=True) == ("Smith", "PERSON")


def test_a_name_inside_the_title_of_the_person_who_opens_the_sentence():
    # "Clinton Communications Director Jennifer Palmieri": the person with that title opens the sentence, not Clinton
    text = ('Clinton Communications Director Jennifer Palmieri called the idea a "ridiculous proposition," adding that the one who '
            '"needs to turn the story around is Donald Trump."')
    names = [("Clinton", "PERSON"), ("Jennifer Palmieri", "PERSON", "Clinton Communications Director"), ("Donald Trump", "PERSON")]
    assert given(text, *names, parse=False) == [("ridiculous proposition", "Jennifer Palmieri"),
                                                ("needs to turn the story around is Donald Trump.", "Jennifer Palmieri")]


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        # one word is speech when a plain speech verb and a comma or colon lead straight into it
        ('Asked whether he would fire the writer, Reince Priebus said, "Probably."', [("Reince Priebus", "PERSON")],
         [("Probably.", "Reince Priebus")]),
        ('Norah O’Donnell, who was off screen, then asked loudly: "Really?"', [("Norah O’Donnell", "PERSON")],
         [("Really?", "Norah O’Donnell")]),
        # ... not a word a verb names: a title or a scare quote stays out
        ('Reince Priebus said the "Probably" campaign was over.', [("Reince Priebus", "PERSON")], []),
    ],
    ids=["said-comma-word", "asked-colon-word", "word-inside-the-sentence"],
)
def test_a_one_word_answer(text, names, expected):
    assert given(text, *names, parse=False) == expected


def test_a_closing_mark_that_opens_a_paragraph_opens_a_quote():
    # comments pasted with invisible direction marks and a closing mark typed where the opening one belongs
    text = 'Her post drew replies.\n\u202a”You should have said it better, Sarah!!” posted Jane Geyer.\n\u202a”Thanks for this!” wrote Pete Hidalgo.'
    assert given(text, ("Jane Geyer", "PERSON"), ("Pete Hidalgo", "PERSON"), parse=False) == [
        ("You should have said it better, Sarah!!", "Jane Geyer"), ("Thanks for this!", "Pete Hidalgo")]


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        # with no speech verb, an untagged surname of a person of the article that opens the sentence speaks
        ('Donald Trump spoke after the shooting. Trump blamed the attack on "sick people who should be locked up."',
         [("Donald Trump", "PERSON")], [("sick people who should be locked up.", "Donald Trump")]),
        # ... but not any capitalised word that opens a sentence
        ('Donald Trump spoke after the shooting. Frustrations grew over "sick people who should be locked up."',
         [("Donald Trump", "PERSON")], [("sick people who should be locked up.", None)]),
    ],
    ids=["untagged-surname-opens", "capitalised-word-opens"],
)
def test_an_untagged_person_who_opens_a_sentence(text, names, expected):
    assert given(text, *names, parse=False) == expected


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        # a one-word "place" that is the surname of a person the article named before is that person
        ('Actress Kerry Washington spoke at the rally. Washington thanked Obama for "taking these steps to make us all safer."',
         [("Kerry Washington", "PERSON"), ("Washington", "GPE"), ("Obama", "PERSON")],
         [("taking these steps to make us all safer.", "Kerry Washington")]),
        # ... not when the place comes first
        ('Washington thanked Obama for "taking these steps to make us all safer." Actress Kerry Washington spoke later.',
         [("Washington", "GPE"), ("Obama", "PERSON"), ("Kerry Washington", "PERSON")],
         [("taking these steps to make us all safer.", None)]),
        # ... nor when two people of the article have that surname
        ('Kerry Washington and Denzel Washington came. Washington thanked Obama for "taking these steps to make us all safer."',
         [("Kerry Washington", "PERSON"), ("Denzel Washington", "PERSON"), ("Washington", "GPE"), ("Obama", "PERSON")],
         [("taking these steps to make us all safer.", None)]),
    ],
    ids=["surname-read-as-place", "place-before-person", "two-people-one-surname"],
)
def test_a_place_that_is_the_surname_of_a_person_named_before(text, names, expected):
    assert given(text, *names, parse=False) == expected


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        # a speech verb after the quote whose phrase opens with a function word ending like a role noun ("for", "or")
        # is not an attribution: the verb before the quote names the speaker
        ('Bernie Sanders admitted on Tuesday that it would be "very hard" for his campaign to win if he has fewer pledged delegates.',
         [("Bernie Sanders", "PERSON")], [("very hard", "Bernie Sanders")]),
    ],
    ids=["for-then-verb"],
)
def test_a_function_word_is_not_a_speaker(text, names, expected):
    assert given(text, *names, parse=False) == expected


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        # an untagged surname of the one person of the article with that surname is that person, wherever it stands
        ('John Kasich spoke in Ohio. Later, Kasich thanked the crowd for "standing with me through the long winter."',
         [("John Kasich", "PERSON"), ("Ohio", "GPE")], [("standing with me through the long winter.", "John Kasich")]),
        # ... not a word the article also writes in lower case
        ('George Will wrote that he will back Christie. Later, Will voters want "a prosecutor with the bearing of a governor"?',
         [("George Will", "PERSON")], [("a prosecutor with the bearing of a governor", None)]),
        # ... nor a surname two people of the article share
        ('John Kasich and Jane Kasich spoke. Later, Kasich thanked the crowd for "standing with me through the long winter."',
         [("John Kasich", "PERSON"), ("Jane Kasich", "PERSON")], [("standing with me through the long winter.", None)]),
        # ... nor one that is part of a longer name the model did not tag
        ('John Kasich spoke. Later, Jane Kasich thanked the crowd for "standing with me through the long winter."',
         [("John Kasich", "PERSON")], [("standing with me through the long winter.", None)]),
    ],
    ids=["untagged-surname", "also-a-word", "shared-surname", "part-of-a-longer-name"],
)
def test_untagged_surnames_of_people_of_the_article(text, names, expected):
    assert given(text, *names, parse=False) == expected


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        # with no speech verb, the one person whose words the sentence names by a possessive speaks
        ('From Jeb Bush\'s Facebook post: "We must move to overcome the divisiveness of this campaign."', [("Jeb Bush", "PERSON")],
         [("We must move to overcome the divisiveness of this campaign.", "Jeb Bush")]),
        ('It is "an across-the-board failure" from diplomacy to defence, in John Bolton’s view.', [("John Bolton", "PERSON")],
         [("an across-the-board failure", "John Bolton")]),
        # ... not a possessive of anything else
        ('From Jeb Bush\'s house came a sign: "We must move to overcome the divisiveness of this campaign."', [("Jeb Bush", "PERSON")],
         [("We must move to overcome the divisiveness of this campaign.", None)]),
        # ... nor when two are named so
        ('Jeb Bush\'s post and John Kasich\'s reply: "We must move to overcome the divisiveness of this campaign."',
         [("Jeb Bush", "PERSON"), ("John Kasich", "PERSON")], [("We must move to overcome the divisiveness of this campaign.", None)]),
    ],
    ids=["possessive-post", "possessive-view", "possessive-other", "two-possessives"],
)
def test_whose_words_a_possessive_names(text, names, expected):
    assert given(text, *names, parse=False) == expected


def test_a_knight_named_by_the_first_name():
    # "Sir John" is the article's Sir John Bourn, the British way of naming a knight a second time
    text = 'Auditor General Sir John Bourn wrote the report. Sir John said "substantial progress" had been made since 2001.'
    assert given(text, ("John Bourn", "PERSON", "Auditor General Sir"), ("John", "PERSON"), parse=False) == [
        ("substantial progress", "John Bourn")]


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        # "spoke", "talked" and "add" report speech too: a lone quote in the next paragraph goes on from their subject
        ('Cecile Richards also spoke about the court case.\n"It is not a right if you cannot get to a clinic."',
         [("Cecile Richards", "PERSON")], [("It is not a right if you cannot get to a clinic.", "Cecile Richards")]),
        ('Donald Trump was quick to add that the wall itself was not up for talks.\n"Building it? Not negotiable."',
         [("Donald Trump", "PERSON")], [("Building it? Not negotiable.", "Donald Trump")]),
    ],
    ids=["spoke-then-lone-quote", "add-then-lone-quote"],
)
def test_more_verbs_that_report_speech(text, names, expected):
    assert given(text, *names, parse=False) == expected


def test_a_new_sentence_with_its_own_attribution_does_not_name_the_quote_before():
    # the quote ends its sentence; the next sentence says something of its own and names its own source
    text = ('A spokesman for the union said after the meeting: "At least we are still talking." All sides are anxious to avoid a major '
            'confrontation in the run up to the general election, said labour correspondent Stephen Cape.')
    assert given(text, ("Stephen Cape", "PERSON"), parse=False) == [("At least we are still talking.", None)]


def test_a_paragraph_ending_in_a_colon_introduces_a_quote_that_opens_a_longer_sentence():
    text = 'Kelli Ward stated:\n\n"The department has lost its way" on every count that matters to the people of the state.'
    assert given(text, ("Kelli Ward", "PERSON"), parse=False) == [("The department has lost its way", "Kelli Ward")]


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        # a surname that modifies someone else ("a Trump official", "the Trump campaign", "Sanders supporters") is not the person
        ('Donald Trump spoke in Ohio. "We will win," a senior Trump official told Reuters.',
         [("Donald Trump", "PERSON"), ("Ohio", "GPE"), ("Reuters", "ORG")], [("We will win", None)]),
        ('Donald Trump spoke in Ohio. "We will win," the Trump campaign said.',
         [("Donald Trump", "PERSON"), ("Ohio", "GPE")], [("We will win", None)]),
        ('Bernie Sanders spoke in Ohio. "Feel the Bern," Sanders supporters chanted.',
         [("Bernie Sanders", "PERSON"), ("Ohio", "GPE")], [("Feel the Bern", None)]),
        # "add" reports speech only as "add that": rates and tariffs that "add" something say nothing
        ('Tariffs add "a hidden tax" on consumers, economists warn.', [], [("a hidden tax", None)]),
        # "Sir John" is the article's Sir John ..., never any John it names
        ('John Kerry met the prime minister. "We agreed on nothing," said Sir John, the British ambassador.',
         [("John Kerry", "PERSON"), ("John", "PERSON")], [("We agreed on nothing", "John")]),
    ],
    ids=["surname-modifies-official", "surname-modifies-campaign", "surname-modifies-supporters", "add-without-that",
         "sir-john-is-not-any-john"],
)
def test_what_the_speaker_rules_do_not_stretch_to(text, names, expected):
    assert given(text, *names, parse=False) == expected


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        # a sentence may open with a number: the name in the sentence before is not this verb's subject
        ('For many, the answer is Reyes. 72-year-old Tom Baker, a nominal Republican who voted for Obama and Anna Reyes, said that'
         ' "nobody else comes close."', [("Reyes", "PERSON"), ("Tom Baker", "PERSON"), ("Obama", "PERSON"), ("Anna Reyes", "PERSON")],
         [("nobody else comes close.", "Tom Baker")]),
    ],
    ids=["sentence-opens-with-a-number"],
)
def test_sentences_that_open_with_a_number(text, names, expected):
    assert given(text, *names, parse=False) == expected


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        # a quote in curly marks inside a quote in straight marks is part of it
        ('Dr Ann Ward stated:\n\n"The court is not about “equal justice” any more. It is about power and nothing else."',
         [("Ann Ward", "PERSON")], [("The court is not about “equal justice” any more. It is about power and nothing else.", "Ann Ward")]),
        # ... and straight marks inside curly ones
        ('“They called it a "fair deal" at the time, and we believed them,” Maria Lopez said.',
         [("Maria Lopez", "PERSON")], [('They called it a "fair deal" at the time, and we believed them', "Maria Lopez")]),
        # but a mark typed twice opens one quote
        ('"“You do not win by the number of states,” Rubio said.',
         [("Rubio", "PERSON")], [("You do not win by the number of states", "Rubio")]),
        # ... and a mark of the other kind that the outer quote closes before it does is not a quote inside it
        ('"We will fight “for every vote," Anna Reyes said. “It is ours,” Tom Baker said.', [("Anna Reyes", "PERSON"), ("Tom Baker", "PERSON")],
         [("We will fight", "Anna Reyes"), ("for every vote", "Anna Reyes"), ("It is ours", "Tom Baker")]),
    ],
    ids=["curly-inside-straight", "straight-inside-curly", "mark-typed-twice", "outer-closes-first"],
)
def test_a_quote_inside_a_quote(text, names, expected):
    assert given(text, *names, parse=False) == expected


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        # a quote after one attributed to someone not named is that person's, not whoever spoke in the paragraph before
        ('"Rates will rise," said Jane Fox.\n\n"The gap is too wide for her," said a Nevada Democrat. "She needs a big win in March."',
         [("Jane Fox", "PERSON"), ("Nevada", "GPE")],
         [("Rates will rise", "Jane Fox"), ("The gap is too wide for her", None), ("She needs a big win in March.", None)]),
        # ... while after a named speaker it stays theirs
        ('"Rates will rise," said Jane Fox.\n\n"The gap is too wide for her," said Tom Baker. "She needs a big win in March."',
         [("Jane Fox", "PERSON"), ("Tom Baker", "PERSON")],
         [("Rates will rise", "Jane Fox"), ("The gap is too wide for her", "Tom Baker"), ("She needs a big win in March.", "Tom Baker")]),
        # ... and after a title in quote marks that no one says, it is the one who spoke in the paragraph before
        ('"Rates will rise," said Jane Fox.\n\nThe “Gold Standard” is back. "Nothing else works."', [("Jane Fox", "PERSON")],
         [("Rates will rise", "Jane Fox"), ("Nothing else works.", "Jane Fox")]),
    ],
    ids=["after-an-unnamed-speaker", "after-a-named-speaker", "after-a-title"],
)
def test_a_quote_that_goes_on_after_its_attribution(text, names, expected):
    assert given(text, *names, parse=False) == expected


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        # an untagged full name that ends a description after the verb, without the party name before it
        ('"They are wasting our time," said Oversight ranking Democrat Elijah Cummings (D-Md.).',
         [], [("They are wasting our time", "Elijah Cummings")]),
        # but a description of someone not named names no one
        ('"They are wasting our time," said a New Hampshire Democrat.', [], [("They are wasting our time", None)]),
        ('"They are wasting our time," said Oversight ranking Democrat.', [], [("They are wasting our time", None)]),
        # nor does one capitalised word
        ('"We will file them," said the groups that run super PACs.', [], [("We will file them", None)]),
    ],
    ids=["described-untagged-name", "indefinite-description", "party-word-is-not-a-name", "one-word"],
)
def test_an_untagged_name_after_a_description(text, names, expected):
    assert given(text, *names, parse=False) == expected


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        # a first name and a surname the model read as a place, right before the verb, speak
        ('The Fabian Society\'s Sundar Katwala said the change was "long overdue" for the crown.',
         [("The Fabian Society's", "ORG"), ("Sundar Katwala", "LOC")], [("long overdue", "Sundar Katwala")]),
        # ... but not a longer "place"; and the organisation whose person it is does not speak either
        ('The Fabian Society\'s Sundar Raj Katwala said the change was "long overdue" for the crown.',
         [("The Fabian Society's", "ORG"), ("Sundar Raj Katwala", "LOC")], [("long overdue", None)]),
        # a name before a role is whose leader it is: the leader speaks, not the name
        ('Charles Kennedy spoke first. The Lib Dem leader said it was "a good opportunity" to ask.',
         [("Charles Kennedy", "PERSON"), ("Lib Dem", "PERSON")], [("a good opportunity", None)]),
        # a possessive the model tagged with the name still names whose words they are
        ('Donald Trump\'s accusation that Hillary Clinton plays the "woman\'s card" set off a row.',
         [("Donald Trump's", "PERSON"), ("Hillary Clinton", "PERSON")], [("woman's card", "Donald Trump's")]),
    ],
    ids=["first-name-and-surname-read-as-place", "longer-place", "name-before-a-role", "tagged-possessive"],
)
def test_names_before_the_speaker(text, names, expected):
    assert given(text, *names, parse=False) == expected


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        # an untagged name right before the verb, after the word that opens the sentence
        ('Critics were unkind. As Vulture put it, "Hello, it is the Biebs."', [], [("Hello, it is the Biebs.", "Vulture")]),
        ('The deal was close. But Manchin said, "We are not there yet."', [], [("We are not there yet.", "Manchin")]),
        # ... but an opening word before a subject that is not a name does not leave a name ("Feb.")
        ('A Feb. 1 letter from the Legion warns that "any further use will go to our lawyers."', [],
         [("any further use will go to our lawyers.", None)]),
    ],
    ids=["as-name-put-it", "but-name-said", "month-in-a-subject"],
)
def test_an_untagged_name_after_an_opening_word(text, names, expected):
    assert given(text, *names, parse=False) == expected


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        # a participle right after a speech verb goes with that verb's subject, not the sentence's first name
        ('Ryan and Trump will meet next week, Spicer said, adding, "They need to sit down and talk."',
         [("Ryan", "PERSON"), ("Trump", "PERSON"), ("Spicer", "PERSON")], [("They need to sit down and talk.", "Spicer")]),
        ('Mateen left after prayers, Nefzi said, adding: "He was not very religious."',
         [("Mateen", "PERSON"), ("Nefzi", "PERSON")], [("He was not very religious.", "Nefzi")]),
    ],
    ids=["said-adding", "said-adding-colon"],
)
def test_a_participle_after_a_speech_verb(text, names, expected):
    assert given(text, *names, parse=False) == expected


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        # 'and' opens a clause of its own after the quote: its subject and verb do not attribute the quote before
        ('Cruz said he would make the sand "glow in the dark," for instance, and Trump vowed to "bomb the hell" out of them.',
         [("Cruz", "PERSON"), ("Trump", "PERSON")], [("glow in the dark", "Cruz"), ("bomb the hell", "Trump")]),
        ('Cruz accuses Obama of "leading from behind" and Trump says he is "losing the war on terror."',
         [("Cruz", "PERSON"), ("Obama", "PERSON"), ("Trump", "PERSON")],
         [("leading from behind", "Cruz"), ("losing the war on terror.", "Trump")]),
        # ... but an attribution set off by a comma after the clause still names the speaker
        ('Pair the exposure with "a candidate who is a lightning rod" and locals get nervous, said Christine Link, a lawyer.',
         [("Christine Link", "PERSON")], [("a candidate who is a lightning rod", "Christine Link")]),
        # ... nor does one that another conjunction opens
        ('Voter Tom Baker says he was "kind of riding the fence" until Reyes said she was running.',
         [("Tom Baker", "PERSON"), ("Reyes", "PERSON")], [("kind of riding the fence", "Tom Baker")]),
        ('Tom Baker says he was "kind of riding the fence" because Reyes said she was running.',
         [("Tom Baker", "PERSON"), ("Reyes", "PERSON")], [("kind of riding the fence", "Tom Baker")]),
    ],
    ids=["comma-and-clause", "and-clause", "and-clause-then-attribution", "until-clause", "because-clause"],
)
def test_a_clause_of_its_own_after_the_quote(text, names, expected):
    assert given(text, *names, parse=False) == expected


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        # a name before a role word and a person is whose staff that person is: the person speaks
        ('Former Obama speechwriter Jon Favreau published a column entitled, "Why this race matters more than the last one."',
         [("Obama", "PERSON"), ("Jon Favreau", "PERSON")], [("Why this race matters more than the last one.", "Jon Favreau")]),
        ('Obama Speechwriter Jon Favreau published a column entitled, "Why this race matters more than the last one."',
         [("Obama", "PERSON"), ("Jon Favreau", "PERSON")], [("Why this race matters more than the last one.", "Jon Favreau")]),
        # ... but a word that only ends like a role ("after") leaves the subject where it is
        ('At a rally, Trump went after Jeb Bush, calling him "a total stiff."', [("Trump", "PERSON"), ("Jeb Bush", "PERSON")],
         [("a total stiff.", "Trump")]),
    ],
    ids=["name-role-person", "capitalised-role", "not-a-role"],
)
def test_a_name_that_describes_the_subject(text, names, expected):
    assert given(text, *names, parse=False) == expected


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        # a passive speech verb after a quote does not say who spoke it ('was reported by', 'was first reported by')
        ('Spokeswoman Ann Fox says the campaign will "compete for every vote." Baker\'s move was first reported by MSNBC.',
         [("Ann Fox", "PERSON"), ("Baker", "PERSON"), ("MSNBC", "ORG")], [("compete for every vote.", "Ann Fox")]),
        ('Spokeswoman Ann Fox says the campaign will "compete for every vote." Baker\'s move was reported by MSNBC.',
         [("Ann Fox", "PERSON"), ("Baker", "PERSON"), ("MSNBC", "ORG")], [("compete for every vote.", "Ann Fox")]),
    ],
    ids=["passive-with-adverb", "passive"],
)
def test_a_passive_verb_after_the_quote(text, names, expected):
    assert given(text, *names, parse=False) == expected


@pytest.mark.parametrize(
    ("surface", "label", "expected"),
    [
        ("-Craig Fehrman", "PERSON", "Craig Fehrman"),  # a list's dash the model took into the name
        ("— Ann Fox", "PERSON", "Ann Fox"),
        ("Coca-Cola", "ORG", "Coca-Cola"),  # a hyphen inside a name stays
    ],
    ids=["hyphen", "dash-and-space", "inner-hyphen"],
)
def test_a_leading_dash_is_not_part_of_a_speaker_name(surface, label, expected):
    assert clean(surface, label) == expected


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        # an unnamed spokesperson, representative or reporter speaks for the one named after "for"
        ('A spokeswoman for the Harbour Trust emailed reporters the rules, arguing, "Nothing in them says so."',
         [("Harbour Trust", "ORG")], [("Nothing in them says so.", "Harbour Trust")]),
        ('Representatives for Ann Fox told the court that the boat "was never hers to sell."',
         [("Ann Fox", "PERSON")], [("was never hers to sell.", "Ann Fox")]),
        # ... after the verb too
        ('"We will appeal the ruling," said a spokesman for the Harbour Trust.',
         [("Harbour Trust", "ORG")], [("We will appeal the ruling", "Harbour Trust")]),
        # a letter or an email speaks for whoever it comes from or sent it, also after an opening phrase
        ('A March 3 letter from the Harbour Trust warns that "any further use will be taken to court."',
         [("Harbour Trust", "ORG")], [("any further use will be taken to court.", "Harbour Trust")]),
        ('In addition, an email sent out by Ann Fox on Monday warned: "There are nine votes left to win."',
         [("Ann Fox", "PERSON")], [("There are nine votes left to win.", "Ann Fox")]),
        # ... but a named spokesman speaks for himself, and a letter someone only read is not theirs
        ('"We will appeal the ruling," said Tom Baker, a spokesman for the Harbour Trust.',
         [("Tom Baker", "PERSON"), ("Harbour Trust", "ORG")], [("We will appeal the ruling", "Tom Baker")]),
        ('A copy of the letter reviewed by the Harbour Trust says the boat "was never hers to sell."',
         [("Harbour Trust", "ORG")], [("was never hers to sell.", None)]),
        # ... and a place never speaks, not even through a reporter
        ('A reporter from Boston told the crowd the vote was "a farce from start to finish."',
         [("Boston", "GPE")], [("a farce from start to finish.", None)]),
    ],
    ids=["spokeswoman-for", "representatives-for", "said-a-spokesman-for", "letter-from", "email-sent-out-by", "named-spokesman",
         "letter-reviewed-by", "place"],
)
def test_someone_not_named_speaks_for_the_one_named(text, names, expected):
    assert given(text, *names, parse=False) == expected


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        # a full name the model read as a place, whose last word the article names as a person, is that person
        ('"We think it goes too far," Matdos Santos, legal director of the Harbour Trust, said. Dos Santos said more later.',
         [("Matdos Santos", "GPE"), ("Harbour Trust", "ORG"), ("Santos", "PERSON")], [("We think it goes too far", "Matdos Santos")]),
        # ... while an organisation ending with a person's surname stays an organisation
        ('"We will appeal the ruling," Team Fox said. Ann Fox spoke later.', [("Team Fox", "ORG"), ("Ann Fox", "PERSON")],
         [("We will appeal the ruling", "Team Fox")]),
    ],
    ids=["surname-of-a-person", "organisation"],
)
def test_a_full_name_read_as_a_place(text, names, expected):
    assert given(text, *names, parse=False) == expected


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        # the words of the one whose claim, assertion or words the quote is, named by a possessive right before it
        ('Ann Fox blamed the press for making an issue of Tom Baker’s claim that the mayor "sold the harbour to his friends."',
         [("Ann Fox", "PERSON"), ("Tom Baker", "PERSON")], [("sold the harbour to his friends.", "Tom Baker")]),
        ("Ann Fox called Tom Baker's assertion of a \"right to the whole harbour\" absurd.",
         [("Ann Fox", "PERSON"), ("Tom Baker", "PERSON")], [("right to the whole harbour", "Tom Baker")]),
        # ... but not words said of them ("remarks as"), nor words a speech verb after the possessive gives someone else,
        # nor a quote many words further on, nor one after another quote of the claim
        ('Ann Fox denounced Tom Baker’s remarks as "hurtful and humiliating" on Monday.',
         [("Ann Fox", "PERSON"), ("Tom Baker", "PERSON")], [("hurtful and humiliating", "Ann Fox")]),
        ('Ann Fox mocked Tom Baker’s claim that the mayor of the little town by the sea was "a crook and a liar."',
         [("Ann Fox", "PERSON"), ("Tom Baker", "PERSON")], [("a crook and a liar.", "Ann Fox")]),
        ('Ann Fox mocked Tom Baker’s claim that "the harbour" is "a gift to the whole town."',
         [("Ann Fox", "PERSON"), ("Tom Baker", "PERSON")], [("the harbour", "Tom Baker"), ("a gift to the whole town.", "Ann Fox")]),
        ('Ann Fox mocked Tom Baker’s claim that the mayor told him "nothing at all about the sale."',
         [("Ann Fox", "PERSON"), ("Tom Baker", "PERSON")], [("nothing at all about the sale.", "Ann Fox")]),
        # ... nor a quote whose own attribution follows it
        ('Tom Baker’s claim that the mayor "sold the harbour to his friends," Ann Fox said, is false.',
         [("Tom Baker", "PERSON"), ("Ann Fox", "PERSON")], [("sold the harbour to his friends", "Ann Fox")]),
        # ... nor a headline's quote, which a possessive does not make speech
        ('Tom Baker’s claim that the mayor "sold the harbour to friends"\n\nThe council met on Monday. Ann Fox spoke.',
         [("Tom Baker", "PERSON"), ("Ann Fox", "PERSON")], []),
    ],
    ids=["claim-that", "assertion-of", "remarks-as", "far", "after-another-quote", "verb-between", "attributed-after", "headline"],
)
def test_the_words_a_possessive_names(text, names, expected):
    assert given(text, *names, parse=False) == expected


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        # a later sentence of the paragraph that names no one goes on with the quote before it
        ('"The plan was flawed," Tom Baker said. As a result, there is still "a company that can charge whatever it likes."',
         [("Tom Baker", "PERSON")], [("The plan was flawed", "Tom Baker"), ("a company that can charge whatever it likes.", "Tom Baker")]),
        # ... but not when it names someone, before or after the quote
        ('"The plan was flawed," Tom Baker said. As a result, there is for the Harbour Trust "a company that can charge anything."',
         [("Tom Baker", "PERSON"), ("Harbour Trust", "ORG")], [("The plan was flawed", "Tom Baker"), ("a company that can charge anything.", None)]),
        ('"The plan was flawed," Tom Baker said. As a result, "a company can charge anything," the Harbour Trust fears.',
         [("Tom Baker", "PERSON"), ("Harbour Trust", "ORG")], [("The plan was flawed", "Tom Baker"), ("a company can charge anything", None)]),
        # ... nor a phrase of a few words the writer quotes, nor after a speech verb with no quote
        ('"The plan was flawed," Tom Baker said. As a result, the plan is "dead for now, surely."', [("Tom Baker", "PERSON")],
         [("The plan was flawed", "Tom Baker"), ("dead for now, surely.", None)]),
        ('Tom Baker has argued that the plan was flawed. As a result, there is still "a company that can charge whatever it likes."',
         [("Tom Baker", "PERSON")], [("a company that can charge whatever it likes.", None)]),
    ],
    ids=["names-no-one", "names-someone-before", "names-someone-after", "scare-quote", "no-quote-before"],
)
def test_a_sentence_that_names_no_one_goes_on_with_the_quote_before(text, names, expected):
    assert given(text, *names, parse=False) == expected


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        # a new sentence whose speech verb reports a clause of its own is not the attribution of the quote before it
        ('Ann Fox refused to answer, saying "it is not what my campaign is doing." Tom Baker said he had not thought about it.',
         [("Ann Fox", "PERSON"), ("Tom Baker", "PERSON")], [("it is not what my campaign is doing.", "Ann Fox")]),
        ('Ann Fox refused to answer, saying "it is not what my campaign is doing." Tom Baker said that he had not thought about it.',
         [("Ann Fox", "PERSON"), ("Tom Baker", "PERSON")], [("it is not what my campaign is doing.", "Ann Fox")]),
        # ... while one that only says who spoke is
        ('Ann Fox refused to answer. "It is not what my campaign is doing." Tom Baker said on Monday.',
         [("Ann Fox", "PERSON"), ("Tom Baker", "PERSON")], [("It is not what my campaign is doing.", "Tom Baker")]),
    ],
    ids=["reported-pronoun", "reported-that", "attribution"],
)
def test_a_new_sentence_that_reports_a_clause(text, names, expected):
    assert given(text, *names, parse=False) == expected


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        # an untagged name that heads the phrase after the verb speaks, not a name in its apposition
        ('"We will not stop," tweeted Prince Alwaleed, the nephew of the late King Abdul, on Thursday.',
         [("Abdul", "PERSON")], [("We will not stop", "Alwaleed")]),
    ],
    ids=["untagged-head"],
)
def test_an_untagged_name_after_the_verb(text, names, expected):
    assert given(text, *names, parse=False) == expected


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        # the place a story was filed from, in capitals where a paragraph opens, never speaks, whatever the model read
        ('WEXLEY, Miss. - Judge Carlton Reeves on Thursday blocked a law protecting a "sincere religious belief" of officials.',
         [("WEXLEY", "ORG"), ("Carlton Reeves", "PERSON")], [("sincere religious belief", "Carlton Reeves")]),
        ('HARBOURTOWN (Wire) - Judge Carlton Reeves on Thursday blocked a law protecting a "sincere religious belief" of officials.',
         [("HARBOURTOWN", "ORG"), ("Carlton Reeves", "PERSON")], [("sincere religious belief", "Carlton Reeves")]),
        # ... but an organisation in capitals that opens a paragraph does
        ('NATO said on Thursday that the plan was "a sincere effort at peace and nothing more."',
         [("NATO", "ORG")], [("a sincere effort at peace and nothing more.", "NATO")]),
    ],
    ids=["dateline", "dateline-with-agency", "capitals-not-a-dateline"],
)
def test_a_dateline_never_speaks(text, names, expected):
    assert given(text, *names, parse=False) == expected


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        # a speech verb after the quote that names no one and reports a clause of its own leaves the quote to the one before
        ('Ann Fox lamented her habit - "does she have to keep giving them ammunition?" - Democrats in Iowa said they were unfazed.',
         [("Ann Fox", "PERSON"), ("Iowa", "GPE")], [("does she have to keep giving them ammunition?", "Ann Fox")]),
        # ... but one that only says who spoke settles it, named or not
        ('Ann Fox lamented her habit - "does she have to keep giving them ammunition?" - a Democrat in Iowa said on Monday.',
         [("Ann Fox", "PERSON"), ("Iowa", "GPE")], [("does she have to keep giving them ammunition?", None)]),
        ('Ann Fox lamented her habit - "does she have to keep giving them ammunition?" - Tom Baker said they were unfazed.',
         [("Ann Fox", "PERSON"), ("Tom Baker", "PERSON")], [("does she have to keep giving them ammunition?", "Tom Baker")]),
    ],
    ids=["reports-a-clause", "only-attribution", "named-after"],
)
def test_a_verb_after_the_quote_that_reports_a_clause(text, names, expected):
    assert given(text, *names, parse=False) == expected


def _cut_in(name: str, into: int) -> str:
    """A made-up sentence whose attribution names `name` so far after the quote that the window
    looked at after it ends `into` characters into the name."""
    head = 'The pledge to "bring the jobs home" appeals to'
    filler = " voters who miss the old plants along the river and the wages they paid"
    close = head.index('home"') + len('home"')
    text = head + filler * 2
    tail = ", said "
    padding = close + rules.MAX_AFTER_CHARS - into - len(text) - len(tail)
    assert padding > 0
    return text + " and" * (padding // 4) + " " * (padding % 4) + tail + name + ", a demographer at Emory University."


@pytest.mark.parametrize(
    ("into", "tagged", "expected"),
    [
        (12, True, "Alan Abramowitz"),  # the window ends inside the surname of a tagged name
        (12, False, "Alan Abramowitz"),  # ... of an untagged one (read as "Alan Abramowi" before)
        (4, True, "Alan Abramowitz"),  # ... between the first name and the surname
        (4, False, "Alan Abramowitz"),
    ],
    ids=["in-surname-tagged", "in-surname-untagged", "between-words-tagged", "between-words-untagged"],
)
def test_a_name_is_never_cut_by_the_window_after_the_quote(into, tagged, expected):
    text = _cut_in("Alan Abramowitz", into)
    close = text.index('home"') + len('home"')
    assert text[close + rules.MAX_AFTER_CHARS - into : close + rules.MAX_AFTER_CHARS] == "Alan Abramowitz"[:into]  # the cut
    names = [("Alan Abramowitz", "PERSON"), ("Emory University", "ORG")] if tagged else []
    assert given(text, *names, parse=False) == [("bring the jobs home", expected)]


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        # the model tags the first name alone when a no-break space joins it to the surname
        ('"We are the best team ever," mused co-host Stu\u00a0Burwell on the show.', [("Stu", "PERSON")],
         [("We are the best team ever", "Stu Burwell")]),
        # ... or the surname alone; or both, apart (a thin space here)
        ('"We are the best team ever," mused co-host Stu\u00a0Burwell on the show.', [("Burwell", "PERSON")],
         [("We are the best team ever", "Stu Burwell")]),
        ('"We are the best team ever," said Stu\u2009Burwell.', [("Stu", "PERSON"), ("Burwell", "PERSON")],
         [("We are the best team ever", "Stu Burwell")]),
        # ... an organisation too; but not the word that opens the sentence, nor a title
        ('The Blaze\u00a0Network said "we are the best team ever."', [("Blaze", "ORG")],
         [("we are the best team ever.", "Blaze Network")]),
        ('"We are the best team ever." But\u00a0Burwell said little else.', [("Burwell", "PERSON")],
         [("We are the best team ever.", "Burwell")]),
        ('"We are the best team ever," said Gov.\u00a0Burwell.', [("Burwell", "PERSON")],
         [("We are the best team ever", "Burwell")]),
    ],
    ids=["first-name-tagged", "surname-tagged", "both-tagged", "organisation", "sentence-opener", "title"],
)
def test_a_name_is_read_across_a_unicode_space(text, names, expected):
    assert given(text, *names, parse=False) == expected


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        # a name in capitals followed by a dash is a dateline only where a paragraph opens: inside one, it speaks
        ('Asked about the plan, NATO - the alliance of 32 countries - said it was "a sincere effort at peace."',
         [("NATO", "ORG")], [("a sincere effort at peace.", "NATO")]),
    ],
    ids=["capitals-and-dash-inside-a-paragraph"],
)
def test_a_dateline_opens_a_paragraph(text, names, expected):
    assert given(text, *names, parse=False) == expected


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        # a "place" of two words no gazetteer knows, right before the verb, is a name ...
        ('"We will not pay for the new road," Wexbury Heights said.', [("Wexbury Heights", "GPE")],
         [("We will not pay for the new road", "Wexbury Heights")]),
        # ... but one of three words is a place: it never speaks
        ('"We will not pay for the new road," North Wexbury Heights said.', [("North Wexbury Heights", "GPE")],
         [("We will not pay for the new road", None)]),
    ],
    ids=["two-words", "three-words"],
)
def test_a_place_read_as_a_name_has_at_most_two_words(text, names, expected):
    assert given(text, *names, parse=False) == expected


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        # a company the model read as a place speaks as an organisation, also when the article writes "at" it
        ('Talks at Verizon ended. "We look forward to having our workers back," Verizon said in a statement.',
         [("Verizon", "GPE"), ("Verizon", "GPE")], [("We look forward to having our workers back", "Verizon")]),
        ('"We will respond in kind," the Kremlin said.', [("Kremlin", "LOC")], [("We will respond in kind", "Kremlin")]),
        # ... but not a name the article writes where a place goes, nor a place a gazetteer knows
        ('Storms hit the homes in Contoso. "We will rebuild every one," Contoso said.',
         [("Contoso", "GPE"), ("Contoso", "GPE")], [("We will rebuild every one", None)]),
        ('"We will not pay for the new road," Chicago said.', [("Chicago", "GPE")], [("We will not pay for the new road", None)]),
        ('Ann Fox, 22, of Wexbury, Okla., said the vote was "a surprise to everyone here."',
         [("Ann Fox", "PERSON"), ("Wexbury", "GPE"), ("Okla", "GPE")], [("a surprise to everyone here.", "Ann Fox")]),
    ],
    ids=["company", "kremlin", "written-as-a-place", "known-place", "state-abbreviation"],
)
def test_an_organisation_read_as_a_place(text, names, expected):
    assert given(text, *names, parse=False) == expected


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        # a person's name that modifies the noun after it ("a Smith adviser") says whose adviser: the adviser speaks, unnamed
        ('"We lost the vote," a Republican Smith adviser said.', [("Smith", "PERSON")], [("We lost the vote", None)]),
        ('"We lost the vote," said a Clinton spokesman.', [("Clinton", "PERSON")], [("We lost the vote", None)]),
        ('"We will not back down," a senior Trump campaign official told reporters.', [("Trump", "PERSON")],
         [("We will not back down", None)]),
        # ... also when the model read the name as an organisation, the article naming that person
        ('Bernie Sanders spoke first. "We will not back down," a Sanders campaign aide said.',
         [("Bernie Sanders", "PERSON"), ("Sanders", "ORG")], [("We will not back down", None)]),
        # ... but an organisation's official speaks for it, and a person named after the description speaks
        ('"We lost the vote," a White House official said.', [("White House", "ORG")], [("We lost the vote", "White House")]),
        ('"We lost the vote," Clinton spokesman Brian Fallon said.', [("Clinton", "PERSON"), ("Brian Fallon", "PERSON")],
         [("We lost the vote", "Brian Fallon")]),
    ],
    ids=["adviser", "spokesman-after-verb", "campaign-official", "read-as-organisation", "organisation-official", "named-spokesman"],
)
def test_a_name_that_modifies_a_noun_does_not_speak(text, names, expected):
    assert given(text, *names, parse=False) == expected


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        # verbs of speech news writes beside "said": each names its speaker as "said" does
        ('"I guess Christmas Eve was booked," quips Ann Fox, who runs the hall.', [("Ann Fox", "PERSON")],
         [("I guess Christmas Eve was booked", "Ann Fox")]),
        ('"Nobody told us anything about the new road," Ann Fox exclaimed.', [("Ann Fox", "PERSON")],
         [("Nobody told us anything about the new road", "Ann Fox")]),
        ('"The plan is dead on arrival in the Senate," Ann Fox reiterated on Monday.', [("Senate", "ORG"), ("Ann Fox", "PERSON")],
         [("The plan is dead on arrival in the Senate", "Ann Fox")]),
        ('A spokesman for the Wexbury Trust emailed: "We will not comment on the road."', [("Wexbury Trust", "ORG")],
         [("We will not comment on the road.", "Wexbury Trust")]),
    ],
    ids=["quip", "exclaimed", "reiterated", "emailed"],
)
def test_more_verbs_of_speech(text, names, expected):
    assert given(text, *names, parse=False) == expected


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        # the subject's apposition describes it and never speaks: a subject that names no one leaves the quote unknown
        ('The group, a pro-Fox super PAC, told voters in a letter: "This is not the road we were promised."',
         [("PAC", "ORG")], [("This is not the road we were promised.", None)]),
        # ... and a named one speaks, tagged or not
        ('Wexbury Priorities, a pro-Fox super PAC, told voters in a letter: "This is not the road we were promised."',
         [("Wexbury Priorities", "ORG"), ("PAC", "ORG")], [("This is not the road we were promised.", "Wexbury Priorities")]),
        ('Wexbury Priorities, a pro-Fox super PAC, told voters in a letter: "This is not the road we were promised."',
         [("PAC", "ORG")], [("This is not the road we were promised.", "Wexbury Priorities")]),
    ],
    ids=["unnamed-subject", "tagged-subject", "untagged-subject"],
)
def test_an_apposition_before_the_verb_does_not_speak(text, names, expected):
    assert given(text, *names, parse=False) == expected


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        # an adverb between the name and its participle ("with Trump reportedly yelling") keeps the name its subject
        ('Protesters were pushed out of the hall, with Ann Fox reportedly yelling: "Get them out of here right now!"',
         [("Ann Fox", "PERSON")], [("Get them out of here right now!", "Ann Fox")]),
        ('The vote was close, with Ann Fox openly calling the result "a disgrace for the whole town."',
         [("Ann Fox", "PERSON")], [("a disgrace for the whole town.", "Ann Fox")]),
    ],
    ids=["reportedly", "openly"],
)
def test_an_adverb_before_the_participle(text, names, expected):
    assert given(text, *names, parse=False) == expected


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        # a title written short before the name ("Sen.", "Gov.") is the role a description after names her by
        ('Sen. Ann Fox (D-Ohio) spoke at the rally. "We will win this state and the next one," the senator said.',
         [("Ann Fox", "PERSON")], [("We will win this state and the next one", "Ann Fox")]),
        ('Gov. Ann Fox spoke at the rally. "We will win this state and the next one," said the governor.',
         [("Ann Fox", "PERSON")], [("We will win this state and the next one", "Ann Fox")]),
        # ... but not another title's description
        ('Sen. Ann Fox spoke at the rally. "We will win this state and the next one," the governor said.',
         [("Ann Fox", "PERSON")], [("We will win this state and the next one", None)]),
    ],
    ids=["senator", "governor", "other-title"],
)
def test_a_title_written_short_is_a_role(text, names, expected):
    assert given(text, *names, parse=False) == expected


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        # a speech verb after a quote that ends in a colon opens the next quote: the quote before is its own speaker's
        ('After Ann Fox said that students might do better at "less advanced schools," Tom Brady said: "I do not like what she said."',
         [("Ann Fox", "PERSON"), ("Tom Brady", "PERSON")],
         [("less advanced schools", "Ann Fox"), ("I do not like what she said.", "Tom Brady")]),
        # ... but with no speaker before the quote, the verb after it still names its speaker
        ('"We will win this state and the next one," Tom Brady said: "All of them."', [("Tom Brady", "PERSON")],
         [("We will win this state and the next one", "Tom Brady"), ("All of them.", "Tom Brady")]),
    ],
    ids=["speaker-before", "no-speaker-before"],
)
def test_a_verb_after_the_quote_that_opens_the_next_one(text, names, expected):
    assert given(text, *names, parse=False) == expected


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        # an untagged person after an organisation and a title speaks, not the organisation
        ('"We had a big issue with trade," said Wexbury Auto Workers Secretary-Treasurer Ann Fox.',
         [("Wexbury Auto Workers", "ORG")], [("We had a big issue with trade", "Ann Fox")]),
        # ... but words after it that are no title leave the organisation speaking
        ('"We had a big issue with trade," said Wexbury Auto Workers Local Branch.',
         [("Wexbury Auto Workers", "ORG")], [("We had a big issue with trade", "Wexbury Auto Workers")]),
    ],
    ids=["title-and-name", "no-title"],
)
def test_a_person_titled_after_an_organisation(text, names, expected):
    assert given(text, *names, parse=False) == expected


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        # after a question, a name in apposition and a plain speech verb attribute it, whatever the sentence goes on to say
        ('"How do we win the county?" Ann Fox, the party chairman for the county, said of the talk she had last week with '
         'the candidate on the sidelines of a rally.', [("Ann Fox", "PERSON")], [("How do we win the county?", "Ann Fox")]),
        # ... but a long subject that is not a name and its apposition starts a sentence of its own
        ('"How do we win the county?" Nobody on the whole party board of the county, not even its chairman, said anything '
         'about it for the rest of the long evening at the hall.', [], [("How do we win the county?", None)]),
    ],
    ids=["apposition", "long-subject"],
)
def test_a_speaker_in_apposition_after_a_question(text, names, expected):
    assert given(text, *names, parse=False) == expected


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        # an untagged full name whose first name is also a word of the article ("will") is still a name
        ('The party will meet. "We will win the county," said Will Wexley, the chairman.', [],
         [("We will win the county", "Will Wexley")]),
        # ... but not when its last word is one ("Party Leaders" beside "leaders")
        ('The leaders will meet. "We will win the county," said Party Leaders, in a note.', [],
         [("We will win the county", None)]),
    ],
    ids=["first-name-a-word", "last-word-a-word"],
)
def test_an_untagged_name_whose_first_word_is_a_word(text, names, expected):
    assert given(text, *names, parse=False) == expected


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        # a sentence with "he" or "she" for its subject, no speech verb and no one named: the person who spoke last
        ('Ann Fox insisted on Monday that she is still in the race. But she began talking about what will happen '
         '"if we do not win the county in the spring."', [("Ann Fox", "PERSON")], [("if we do not win the county in the spring.", "Ann Fox")]),
        # ... but not a sentence with a subject of its own
        ('Ann Fox insisted on Monday that she is still in the race. A friend referred to her as "the most stubborn soul '
         'in the whole county."', [("Ann Fox", "PERSON")], [("the most stubborn soul in the whole county.", None)]),
        # ... nor a few words the writer quotes
        ('Ann Fox insisted on Monday that she is still in the race. But she sounded "tense and quiet."',
         [("Ann Fox", "PERSON")], [("tense and quiet.", None)]),
    ],
    ids=["pronoun-subject", "own-subject", "few-words"],
)
def test_a_pronoun_subject_goes_on_from_who_spoke(text, names, expected):
    assert given(text, *names, parse=False) == expected


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        # someone not named speaking for the one named, after a clause that "that" or "as" closes
        ('The date was so odd that a spokesman for Ann Fox could only quip: "I guess Christmas Eve was booked."',
         [("Ann Fox", "PERSON")], [("I guess Christmas Eve was booked.", "Ann Fox")]),
        ('The hall went quiet as a spokeswoman for the Wexbury Trust told reporters: "We will not pay for the road."',
         [("Wexbury Trust", "ORG")], [("We will not pay for the road.", "Wexbury Trust")]),
    ],
    ids=["that", "as"],
)
def test_a_spokesperson_after_a_clause(text, names, expected):
    assert given(text, *names, parse=False) == expected


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        # a role given in apposition ("Ann Fox, the mayor of Wexbury,") is the role a later description names her by
        ('Ann Fox, the mayor of Wexbury, was blunt. "We will win this state and the next one," the mayor said.',
         [("Ann Fox", "PERSON")], [("We will win this state and the next one", "Ann Fox")]),
        # ... but not another role's description
        ('Ann Fox, the mayor of Wexbury, was blunt. "We will win this state and the next one," the governor said.',
         [("Ann Fox", "PERSON")], [("We will win this state and the next one", None)]),
    ],
    ids=["mayor", "other-role"],
)
def test_a_role_in_apposition(text, names, expected):
    assert given(text, *names, parse=False) == expected


def test_mentioned_is_a_verb_of_speech():
    # "mentioned that" names who spoke: the quote alone after it is theirs, not the speaker of the paragraph before
    text = ('"I had nothing to do with them," Ann Fox replied.\n\nTom Brady seemed taken aback and mentioned that her '
            'picture was on their site. "Does that not speak to your judgment in any way?"')
    assert given(text, ("Ann Fox", "PERSON"), ("Tom Brady", "PERSON"), parse=False) == [
        ("I had nothing to do with them", "Ann Fox"), ("Does that not speak to your judgment in any way?", "Tom Brady")]


def test_an_acronym_that_modifies_a_noun_is_an_organisation():
    # "a BAA spokesman" speaks for BAA, also when the model read the acronym as a person
    text = '"We are consulting on compensation schemes," a BAA spokesman said.'
    assert given(text, ("BAA", "PERSON"), parse=False) == [("We are consulting on compensation schemes", "BAA")]


def test_a_question_then_a_speaker_in_apposition_who_reports_a_clause():
    # after a question, a name with an apposition whose verb reports a clause of its own starts a new sentence
    text = ('"How is the village bobby supposed to tell them apart?" Tory MP Tom Brady, another co-chairman of the group, '
            'said that the law was "so poorly drafted nobody can follow it."')
    assert given(text, ("Tom Brady", "PERSON"), parse=False) == [
        ("How is the village bobby supposed to tell them apart?", None), ("so poorly drafted nobody can follow it.", "Tom Brady")]


@pytest.mark.parametrize(
    "verb", ["She also said", "She had said", "She will say", "She also argues"],
)
def test_a_pronoun_and_an_auxiliary_before_the_verb(verb):
    # "he also said", "she had told": the pronoun is the person named before, the auxiliary between them
    text = f'Ann Fox spoke at the hall on Monday. {verb} the minister would "set out the position very clearly."'
    assert given(text, ("Ann Fox", "PERSON"), parse=False) == [("set out the position very clearly.", "Ann Fox")]


def test_he_or_she_is_the_last_person_the_article_calls_so():
    # "she" is the last person seen whom the article does not call "he" (Ann Fox: "she" after two of her mentions)
    text = ('Ann Fox took the stage first. She thanked her staff. Tom Brady spoke next. He thanked his staff. Tom Brady '
            'knew he was behind. When Tom Brady attacked Ann Fox on trade, she said "I stood up to the banks when it counted."')
    assert given(text, ("Ann Fox", "PERSON"), ("Tom Brady", "PERSON"), ("Tom Brady", "PERSON"), ("Tom Brady", "PERSON"),
                 ("Ann Fox", "PERSON"), parse=False) == [("I stood up to the banks when it counted.", "Ann Fox")]
    # ... and a person the article calls by neither stays a candidate for both
    text = 'Tom Brady spoke next. When Tom Brady attacked the plan, she said "I stood up to the banks when it counted."'
    assert given(text, ("Tom Brady", "PERSON"), ("Tom Brady", "PERSON"), parse=False) == [
        ("I stood up to the banks when it counted.", "Tom Brady")]


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        # "States" of "United States" is no speech verb: the verb that follows the name is
        ('"We will not back down from this fight," United States Trade Representative Ann Fox said.',
         [("United States", "GPE"), ("Ann Fox", "PERSON")], [("We will not back down from this fight", "Ann Fox")]),
        # ... nor "Reports" of a newspaper's name, which speaks whole
        ('"We will not back down from this fight," the Daily Reports said in an editorial on Monday.',
         [("Daily Reports", "ORG")], [("We will not back down from this fight", "Daily Reports")]),
        # a Title Case line capitalises its verbs: there the capital is no name
        ('The winners.\n\nAnn Fox Asked Voters To “Redefine What It Means To Win.”\n\nThe actress spoke at the hall.',
         [("Ann Fox", "PERSON")], [("Redefine What It Means To Win.", "Ann Fox")]),
        # ... but "United States" is a name there too, tagged or not: the verb after the name is the cue, not "States"
        ('The winners.\n\n“We Will Not Back Down,” United States Senator Jane Doe Says\n\nThe senator spoke at the hall.',
         [("Jane Doe", "PERSON")], [("We Will Not Back Down", "Jane Doe")]),
    ],
    ids=["united-states", "a-newspaper-named-reports", "title-case-line", "united-states-in-a-title-case-line"],
)
def test_a_capitalised_verb_inside_a_name_is_no_cue(text, names, expected):
    assert given(text, *names, parse=False) == expected


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        # a state written short is a place, whoever the model's tag leaves unknown: the residents speak, unnamed
        ('"We have been poisoned for years by the city," residents of Flint, Mich. said on Monday.',
         [("Flint", "GPE"), ("Mich.", "GPE")], [("We have been poisoned for years by the city", None)]),
        ('Residents of Fresno, Calif. said "we have been poisoned for years by the city."',
         [("Fresno", "GPE"), ("Calif.", "GPE")], [("we have been poisoned for years by the city.", None)]),
        # ... also when the model read the state as an organisation or a person
        ('"We have been poisoned for years by the city," residents of Flint, Mich. said on Monday.',
         [("Flint", "GPE"), ("Mich.", "ORG")], [("We have been poisoned for years by the city", None)]),
        ('Residents of Flint, Mich. said "we have been poisoned for years by the city."',
         [("Flint", "GPE"), ("Mich.", "PERSON")], [("we have been poisoned for years by the city.", None)]),
        # ... and "X of Place" names X
        ('"We have been poisoned for years by the city," Mayor Ann Fox of Flint, Mich. said.',
         [("Ann Fox", "PERSON"), ("Flint", "GPE"), ("Mich.", "PERSON")], [("We have been poisoned for years by the city", "Ann Fox")]),
        # ... while a surname the model read as a place still speaks
        ('"We have been poisoned for years by the city," Wertheim said on Monday.',
         [("Wertheim", "GPE")], [("We have been poisoned for years by the city", "Wertheim")]),
    ],
    ids=["after-the-quote", "before-the-quote", "read-as-an-organisation", "read-as-a-person", "x-of-a-place",
         "a-surname-read-as-a-place"],
)
def test_a_state_written_short_never_speaks(text, names, expected):
    assert given(text, *names, parse=False) == expected


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        # "states" after a number is the noun: the sentence after the quote has no speech verb
        ('Ann Fox wanted a ban, saying, "The fewer guns, the better." The Buckeye State is one of 45 states where it is legal.',
         [("Ann Fox", "PERSON"), ("Buckeye State", "ORG")], [("The fewer guns, the better.", "Ann Fox")]),
        # ... and "claims" after a possessive: the one who spoke last is not the one whose claims they are
        ("Ann Fox, the mayor, said the city must rebut Tom Brady's claims. The new plan is \"a very welcome change for all "
         'of us," she said.', [("Ann Fox", "PERSON"), ("Tom Brady", "PERSON")], [("a very welcome change for all of us", "Ann Fox")]),
    ],
    ids=["after-a-number", "after-a-possessive"],
)
def test_a_plural_noun_is_no_speech_verb(text, names, expected):
    assert given(text, *names, parse=False) == expected


@pytest.mark.parametrize(
    "space", ["  ", "\u00a0", " \u00a0", "\t", "\u2009", "\u3000"],
    ids=["two-spaces", "no-break-space", "space-and-no-break-space", "tab", "thin-space", "ideographic-space"],
)
@pytest.mark.parametrize("closing", ['?"', '."', '!”'])
def test_any_space_after_the_closing_mark(space, closing):
    # the attribution after a quote that ends its sentence is read past whatever spaces follow the closing mark
    text = f'The hall was full. "Why would we ever do that{closing[0]}{closing[1]}{space}Ann Fox said.'
    assert given(text, ("Ann Fox", "PERSON"), parse=False) == [(f"Why would we ever do that{closing[0]}", "Ann Fox")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a quote closed on a comma goes on past a line break of hard-wrapped text
        ('The hall was full. "We will not back down from this fight,"\nAnn Fox told the hall.', "Ann Fox"),
        ('The hall was full. "We will not back down from this fight,"\r\nsaid Ann Fox, the mayor.', "Ann Fox"),
        # ... and so does a question, when the next line is nothing but its attribution
        ('The hall was full. "Why would we ever do that?"\nAnn Fox said.', "Ann Fox"),
        # ... but not into a paragraph of its own
        ('The hall was full. "Why would we ever do that?"\nAnn Fox said on Monday that the plan was dead.', None),
    ],
    ids=["comma", "comma-crlf", "question-then-attribution", "question-then-paragraph"],
)
def test_a_line_break_after_the_closing_mark(text, expected):
    assert [speaker for _, speaker in given(text, ("Ann Fox", "PERSON"), parse=False)] == [expected]


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        # the speech verb's own subject speaks, unnamed: not the name before the quote, which is what the quote is about
        ('Donald Trump "was right about the wall, and everyone knows it," aides said.',
         [("Donald Trump", "PERSON")], [("was right about the wall, and everyone knows it", None)]),
        ('Ann Fox "will never give up the fight for the mill," two of her aides said on Monday.',
         [("Ann Fox", "PERSON")], [("will never give up the fight for the mill", None)]),
        # ... also after the verb, or with an adverb before the verb
        ('Donald Trump "was right about the wall, and everyone knows it," said aides.',
         [("Donald Trump", "PERSON")], [("was right about the wall, and everyone knows it", None)]),
        ('Ann Fox "will never give up the fight for the mill," said two of her aides on Monday.',
         [("Ann Fox", "PERSON")], [("will never give up the fight for the mill", None)]),
        ('Ann Fox "will never give up the fight for the mill," according to aides.',
         [("Ann Fox", "PERSON")], [("will never give up the fight for the mill", None)]),
        ('Donald Trump "was right about the wall, and everyone knows it," aides later said.',
         [("Donald Trump", "PERSON")], [("was right about the wall, and everyone knows it", None)]),
        # ... and a named subject speaks
        ('Ann Fox "will never give up the fight for the mill," Tom Brady said.',
         [("Ann Fox", "PERSON"), ("Tom Brady", "PERSON")], [("will never give up the fight for the mill", "Tom Brady")]),
        ('Ann Fox "will never give up the fight for the mill," said Tom Brady.',
         [("Ann Fox", "PERSON"), ("Tom Brady", "PERSON")], [("will never give up the fight for the mill", "Tom Brady")]),
    ],
    ids=["aides", "two-of-her-aides", "said-aides", "said-two-of-her-aides", "according-to-aides", "aides-later-said",
         "a-named-subject", "said-a-named-subject"],
)
def test_the_subject_of_the_verb_after_the_quote_speaks(text, names, expected):
    assert given(text, *names, parse=False) == expected


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        # a sentence that is only a name and the quote that ends it: words said of the name, by the one who spoke before
        ('"We thought only Tom Brady was careless," said Hiro Aida. Joe Biden "kind of misspoke. This is not something he '
         'should talk about in public."', [("Tom Brady", "PERSON"), ("Hiro Aida", "PERSON"), ("Joe Biden", "PERSON")],
         [("We thought only Tom Brady was careless", "Hiro Aida"),
          ("kind of misspoke. This is not something he should talk about in public.", "Hiro Aida")]),
        # ... not when no one else spoke before in the paragraph: then the name is the sentence's subject, as before
        ('"We thought only Tom Brady was careless," said Hiro Aida.\n\nJoe Biden "kind of misspoke. This is not something '
         'he should talk about in public."', [("Tom Brady", "PERSON"), ("Hiro Aida", "PERSON"), ("Joe Biden", "PERSON")],
         [("We thought only Tom Brady was careless", "Hiro Aida"),
          ("kind of misspoke. This is not something he should talk about in public.", "Joe Biden")]),
        # ... but a name whose sentence goes on past the quote is its speaker
        ('The debate was long. Ann Fox "totally condemned" the deletion of the e-mails by the council.',
         [("Ann Fox", "PERSON")], [("totally condemned", "Ann Fox")]),
    ],
    ids=["the-one-who-spoke-before", "no-one-before-in-the-paragraph", "a-sentence-that-goes-on"],
)
def test_a_name_whose_predicate_is_the_quote(text, names, expected):
    assert given(text, *names, parse=False) == expected


def test_a_role_after_the_quote_is_the_person_named_before():
    # "our correspondent" is one person, the one the paragraph named: not someone unnamed
    text = ('BBC correspondent Ann Fox said Tom Brady would draw "sharp dividing lines" with his rivals. "Tom Brady will lay '
            'out his record as a reforming chancellor," our correspondent said.')
    assert given(text, ("Ann Fox", "PERSON"), ("Tom Brady", "PERSON"), ("Tom Brady", "PERSON"), parse=False) == [
        ("sharp dividing lines", "Ann Fox"), ("Tom Brady will lay out his record as a reforming chancellor", "Ann Fox")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a deputy prime minister is not "the prime minister", who the article never named
        ('Deputy Prime Minister Ann Fox hosted the dinner. But the prime minister said he had discussed the claims and '
         'dismissed them as a "load of nonsense from start to finish".', None),
        # ... but is "the deputy prime minister"
        ('Deputy Prime Minister Ann Fox hosted the dinner. But the deputy prime minister said she had discussed the claims '
         'and dismissed them as a "load of nonsense from start to finish".', "Ann Fox"),
    ],
    ids=["another-office", "the-same-office"],
)
def test_a_deputy_holds_another_office(text, expected):
    assert given(text, ("Ann Fox", "PERSON", "Deputy Prime Minister"), parse=False) == [("load of nonsense from start to finish", expected)]


def test_what_a_name_called():
    # 'in what Ann Fox ... called "..."': the name after "what" is the subject of the verb, not the sentence's subject
    text = ('Tom Brady protected the delegates at the convention in 1976, in what Ann Fox, the treasurer of the rival '
            'campaign, called "hand-to-hand combat."')
    assert given(text, ("Tom Brady", "PERSON"), ("Ann Fox", "PERSON"), parse=False) == [("hand-to-hand combat.", "Ann Fox")]


def test_a_number_in_an_apposition():
    # the comma of "250,000" does not end the apposition: the name before it speaks, not a word after the number
    text = ('Ann Fox, later alleging that the council wanted to admit 250,000 Newcomers, said he would close the border '
            'to people who are "mostly men."')
    assert given(text, ("Ann Fox", "PERSON"), parse=False) == [("mostly men.", "Ann Fox")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "went on" after a quote or before a colon reports speech: the one who goes on speaking
        ('Ann Fox spoke first. "You know, it happens, right?" Tom Brady went on, as if he had not heard her.', "Tom Brady"),
        ('Ann Fox spoke first. Tom Brady went on: "You know, it happens, right? Fight back."', "Tom Brady"),
        # ... "went on to" does not
        ('The hall was quiet. "You know, it happens, right?" Tom Brady went on to win the seat by a mile.', None),
    ],
    ids=["after-the-quote", "before-a-colon", "went-on-to"],
)
def test_went_on_reports_speech(text, expected):
    names = [(name, "PERSON") for name in ("Ann Fox", "Tom Brady") if name in text]
    assert [speaker for _, speaker in given(text, *names, parse=False)] == [expected]


def test_a_name_in_a_clause_that_a_participle_opens():
    # "Acknowledging that Trump ...": the name is the clause's subject; the sentence's own subject speaks
    text = 'Acknowledging that Tom Brady "says a lot of stupid stuff," though, Ann Fox did suggest that he could win.'
    assert given(text, ("Tom Brady", "PERSON"), ("Ann Fox", "PERSON")) == [("says a lot of stupid stuff", "Ann Fox")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a verb after the quote that reports a clause of its own, opened by a noun phrase: the speaker named before
        ('But even as Ann Fox claimed on Tuesday that "the mill got in trouble for far less," one of the former managers '
         'said the two cases were quite different.', "Ann Fox"),
        # ... but a verb whose object follows is the quote's own attribution, unnamed
        ('But even as Ann Fox claimed on Tuesday that "the mill got in trouble for far less," one of the former managers '
         'said the same thing.', None),
    ],
    ids=["a-clause-of-its-own", "no-clause"],
)
def test_a_verb_after_the_quote_that_reports_a_noun_clause(text, expected):
    assert given(text, ("Ann Fox", "PERSON"), parse=False) == [("the mill got in trouble for far less", expected)]


def test_a_participle_after_a_speech_verb_and_a_phrase():
    # "Ann Fox said in a phone interview, adding": the participle's subject is the verb's, not a name inside the quote before
    text = ('"Everything [Tom Brady] said is the kind of thing you use to prove intent," Ann Fox said in a phone interview, '
            'adding that the mayor showed the "conduct of a person who had something to hide."')
    assert given(text, ("Tom Brady", "PERSON"), ("Ann Fox", "PERSON"), parse=False) == [
        ("Everything [Tom Brady] said is the kind of thing you use to prove intent", "Ann Fox"),
        ("conduct of a person who had something to hide.", "Ann Fox")]


@pytest.mark.parametrize("verb", ["speculated", "bragged", "hinted", "surmised", "railed", "grumbled"])
def test_verbs_that_report_speech_before_a_paragraph(verb):
    # the verb names who speaks: the quote that opens the next paragraph is theirs
    text = f'Tom Brady spoke first. In a video on Thursday, Ann Fox {verb} that the men were spies.\n\n"They are coming in by the dozen."'
    assert given(text, ("Tom Brady", "PERSON"), ("Ann Fox", "PERSON"), parse=False) == [("They are coming in by the dozen.", "Ann Fox")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the possessor of the description after the verb says whose manager: the name in apposition speaks
        ('"We will win the whole state by Election Day," said Tom Brady\'s deputy campaign manager, Ann Fox, who ran '
         'Joe Biden\'s campaign before.', "Ann Fox"),
        ('"We will win the whole state by Election Day," said Tom Brady’s campaign manager Ann Fox.', "Ann Fox"),
        # ... with no name after the description, the possessor still says whose, and is no one's guess for the speaker
        ('"We will win the whole state by Election Day," said Tom Brady\'s campaign, in a statement.', "Tom Brady"),
    ],
    ids=["apposition", "no-comma", "no-name-after"],
)
def test_a_possessor_before_a_role_after_the_verb(text, expected):
    names = [(n, "PERSON") for n in ("Tom Brady", "Ann Fox", "Joe Biden") if n in text]
    assert [speaker for _, speaker in given(text, *names, parse=False)] == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the speech verb after the last quote of a sentence also attributes the quotes before it that the subject's
        # name only stood next to: the aides speak, unnamed, not the name the quotes are about
        ('Donald Trump "was right about the wall" and "will win the state," aides said.', [None, None]),
        # ... and a named speaker speaks them all
        ('Donald Trump "was right about the wall" and "will win the state," Ann Fox said.', ["Ann Fox", "Ann Fox"]),
        # ... but a quote whose own speech verb names its speaker keeps it
        ('Donald Trump called the wall "a great idea" and "the best plan," Ann Fox said.', ["Donald Trump", "Ann Fox"]),
    ],
    ids=["unnamed", "named", "a-quote-with-its-own-verb"],
)
def test_the_attribution_after_a_sentences_last_quote_wins_over_its_subject(text, expected):
    names = [(n, "PERSON") for n in ("Donald Trump", "Ann Fox") if n in text]
    assert [speaker for _, speaker in given(text, *names, parse=False)] == expected


def test_an_accusation_reports_speech():
    # "accused him of": the one who accuses speaks, in a clause of the sentence too
    text = 'Tom Brady looked rattled at the debate when Ann Fox accused him of an "artful smear" over her fundraising.'
    assert given(text, ("Tom Brady", "PERSON"), ("Ann Fox", "PERSON"), parse=False) == [("artful smear", "Ann Fox")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a speech verb joined by "and" to a verb before it shares that verb's subject, not its object
        ('Tom Brady has cast Mayor Ann Fox as unqualified and accused her of using the term "super predator" in the 1990s.',
         "Tom Brady"),
        ('As the crowd began to chant, Ann Fox was joined on stage by Sen. Tom Brady and joked, "You are being ridiculous."',
         "Ann Fox"),
    ],
    ids=["object-of-the-first-verb", "agent-of-a-passive"],
)
def test_a_speech_verb_after_and_shares_the_subject(text, expected):
    names = sorted([(n, "PERSON") for n in ("Tom Brady", "Ann Fox")], key=lambda name: text.index(name[0]))
    assert [speaker for _, speaker in given(text, *names, parse=False)] == [expected]


def test_a_closing_mark_typed_where_a_quote_opens_mid_sentence():
    # '”' after a space and before a word opens the quote it was meant to open, as at a paragraph's start
    text = 'Ann Fox told the paper that the aides were slow to let her ”get close to the voters on the issues.”'
    assert given(text, ("Ann Fox", "PERSON"), parse=False) == [("get close to the voters on the issues.", "Ann Fox")]
