"""Quote rules of nlp/quotes.py that a caller meets through find_quotes' defaults and rarer shapes:
the parser as the default last resort, a long sentence that ends in a colon, a short quote its
speech verb follows, and a paragraph signed with a dash. Mentions are given as a model would tag
them, so the rules are tested apart from the model."""

from __future__ import annotations

import pytest

from dashboard.nlp.entities import Mention
from dashboard.nlp.quotes import _genders, find_quotes


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


def test_the_person_among_the_subjects_of_a_speech_verb_speaks_not_the_organisation_named_last():
    # "Jane Smith and Acme met ... and said": no name right before the verb; of the subjects, the person speaks
    text = 'Jane Smith and Acme met on Monday and said "the camps are full and winter is near."'
    assert speakers(text, ("Jane Smith", "PERSON"), ("Acme", "ORG"), parse=False) == [("the camps are full and winter is near.", "Jane Smith")]


def test_an_untagged_subject_is_read_before_the_clauses_and_appositions_that_close_it():
    # the relative clause between the name and the verb is set aside, also when a phrase opens the sentence
    text = 'Last week Zimmerman, who identifies as Hispanic, told reporters "I was afraid for my life that night."'
    assert speakers(text, parse=False) == [("I was afraid for my life that night.", "Zimmerman")]
    # a subject of several words closed by an apposition: the untagged name that opens the sentence
    text = 'Mayor Zimmerman and his deputy, a former officer, told reporters "I was afraid for my life that night."'
    assert speakers(text, parse=False) == [("I was afraid for my life that night.", "Zimmerman")]


def test_a_tagged_name_that_only_qualifies_the_subject_of_a_participle_does_not_speak():
    # "Clinton campaign staff ..., saying": the staff speak, and a name the model tagged is not read again as an untagged one
    text = 'Clinton campaign staff met donors on Monday, saying "we will win the state in November."'
    assert speakers(text, ("Clinton", "PERSON"), parse=False) == [("we will win the state in November.", None)]


def test_a_spokesperson_speaks_for_whom_they_work_but_a_named_one_for_themself():
    # "Rick Tyler, a spokesman for Ted Cruz said": the spokesman is named, so he speaks, not Cruz
    text = 'Rick Tyler, a spokesman for Ted Cruz said "the plant will close at the end of the year."'
    assert speakers(text, ("Rick Tyler", "PERSON"), ("Ted Cruz", "PERSON"), parse=False) == [
        ("the plant will close at the end of the year.", "Rick Tyler")]
    # a spokeswoman for a town the article names as a place: places never speak, so no one is named
    text = 'Residents of Wexbury were angry.\n\nA spokeswoman for Wexbury said "the plant will close at the end of the year."'
    assert speakers(text, ("Wexbury", "GPE"), ("Wexbury", "ORG"), parse=False) == [("the plant will close at the end of the year.", None)]


def test_a_possessive_leads_into_the_quote_across_up_to_six_words():
    # the model tagged the possessive with the name ("Trump's" for Trump): his claim, not Pence's words
    text = 'Pence blamed the media for Trump\'s claim that Obama "founded ISIS and nobody else did."'
    tagged = [Mention(0, 5, "Pence", "Pence", "PERSON"), Mention(27, 34, "Trump's", "Trump", "PERSON"), Mention(46, 51, "Obama", "Obama", "PERSON")]
    assert [(q.text, q.speaker) for q in find_quotes(text, tagged, parse=False)] == [("founded ISIS and nobody else did.", "Trump")]
    # "that the president of the nation": six words between the claim and the quote are still short enough
    text = 'Pence blamed the media for Trump\'s claim that the president of the nation "founded ISIS."'
    assert speakers(text, ("Pence", "PERSON"), ("Trump", "PERSON"), parse=False) == [("founded ISIS.", "Trump")]


def test_a_name_after_the_verb_that_the_model_read_as_a_place_is_a_person():
    # two words no gazetteer knows, right after the verb and before a relative clause: a person's name, not a place
    text = '"We will win the state," said Wertheim Smith, who graduated in 2009.'
    found = find_quotes(text, mentions(text, ("Wertheim Smith", "GPE")), parse=False)
    assert [(q.text, q.speaker, q.speaker_label) for q in found] == [("We will win the state", "Wertheim Smith", "PERSON")]
    # also after a comma that follows the verb
    text = '"We will win the state," said, Wertheim, who graduated in 2009.'
    assert speakers(text, ("Wertheim", "GPE"), parse=False) == [("We will win the state", "Wertheim")]


def test_an_untagged_full_name_ending_a_description_is_read_before_the_full_stop():
    text = '"The plant will close at the end of the year," said Oversight ranking Democrat Elijah Cummings.'
    assert speakers(text, parse=False) == [("The plant will close at the end of the year", "Elijah Cummings")]


def test_a_surname_the_model_read_as_a_place_is_the_person_named_in_full_before():
    # a one-word place, GPE or LOC, that is the surname of the one person named before with it
    text = 'Cornel West spoke in Ohio.\n\nWest said "we will win the state."'
    for label in ("GPE", "LOC"):
        assert speakers(text, ("Cornel West", "PERSON"), ("Ohio", "GPE"), ("West", label), parse=False) == [("we will win the state.", "Cornel West")]
    # the surname is the last of three words
    text = 'Mary Ann Trask spoke in Ohio.\n\nTrask said "we will win the state."'
    assert speakers(text, ("Mary Ann Trask", "PERSON"), ("Ohio", "GPE"), ("Trask", "GPE"), parse=False) == [("we will win the state.", "Mary Ann Trask")]
    # a two-word place, GPE or LOC, whose last word is a person's surname is a person of its own
    text = 'Ana dos Santos spoke in Ohio.\n\nMatdos Santos said "we will win the state."'
    for label in ("GPE", "LOC"):
        assert speakers(text, ("Ana dos Santos", "PERSON"), ("Ohio", "GPE"), ("Matdos Santos", label), parse=False) == [
            ("we will win the state.", "Matdos Santos")]
    # but the last word of a longer place is no surname: "Wexbury" after "New Wexbury" is not that place read as a person
    text = 'Crowds gathered in New Wexbury.\n\nLater Wexbury said "we will win the state."'
    assert speakers(text, ("New Wexbury", "GPE"), ("Wexbury", "GPE"), parse=False) == [("we will win the state.", "Wexbury")]
    # and a one-word "person" the article also names as a place is that place: it does not speak
    text = '"We will win the state," Swansea said.\n\nResidents of Swansea were angry.'
    assert speakers(text, ("Swansea", "PERSON"), ("Swansea", "GPE"), parse=False) == [("We will win the state", None)]


def test_a_line_opening_with_a_bullet_holds_no_dateline():
    # "• NATO - the alliance - said": the capitals follow a bullet, not the start of the line: NATO speaks
    text = 'Talks went on.\n• NATO - the alliance - said "we will win the state."'
    assert speakers(text, ("NATO", "ORG"), parse=False) == [("we will win the state.", "NATO")]


def test_a_signature_names_only_the_quotes_before_it_that_have_no_attribution_at_all():
    # '- Bernie Sanders.' signs an unattributed quote; one whose verb names someone not named ("the crowd chanted") stays unknown
    text = 'Supporters cheered.\n\n"We will win the state, and then the country."\n\n- Bernie Sanders.'
    assert speakers(text, ("Bernie Sanders", "PERSON"), parse=False) == [("We will win the state, and then the country.", "Bernie Sanders")]
    text = 'Supporters cheered.\n\n"We will win the state," the crowd chanted.\n\n- Bernie Sanders.'
    assert speakers(text, ("Bernie Sanders", "PERSON"), parse=False) == [("We will win the state", None)]


def test_a_paragraph_that_opens_with_the_verb_and_ends_in_a_colon_introduces_the_next_ones_quote():
    # "Added Jane Smith:" in a later paragraph: the name after the verb introduces the quote that opens the next paragraph
    text = 'Officials met on Monday.\n\nAdded Jane Smith:\n\n"We will rebuild the town."'
    assert speakers(text, ("Jane Smith", "PERSON"), parse=False) == [("We will rebuild the town.", "Jane Smith")]


def test_a_role_after_the_verb_is_the_person_introduced_with_that_role_or_the_name_that_follows_it():
    # "the British Labour leader" ends with the role Keir Starmer was introduced with; "Lib Dem leader" shares only "leader"
    text = 'Labour leader Keir Starmer spoke. Lib Dem leader Ed Davey spoke.\n\n"We will win the state," said the British Labour leader.'
    tagged = [Mention(text.index(name), text.index(name) + len(name), name, name, "PERSON", role=role)
              for name, role in (("Keir Starmer", "Labour leader"), ("Ed Davey", "Lib Dem leader"))]
    assert [(q.text, q.speaker) for q in find_quotes(text, tagged, parse=False)] == [("We will win the state", "Keir Starmer")]
    # "the minister, John Doe": the name right after the role (a comma and a space) is who speaks, not the minister named before
    text = 'Prime Minister Jane Smith spoke on Monday.\n\n"We will win the state," said the minister, John Doe.'
    tagged = [Mention(text.index("Jane Smith"), text.index("Jane Smith") + 10, "Jane Smith", "Jane Smith", "PERSON", role="Prime Minister"),
              Mention(text.index("John Doe"), text.index("John Doe") + 8, "John Doe", "John Doe", "PERSON")]
    assert [(q.text, q.speaker) for q in find_quotes(text, tagged, parse=False)] == [("We will win the state", "John Doe")]


def test_an_organisations_officer_described_in_lower_case_words_opens_the_sentence():
    # "Clinton campaign manager Robby Mook": the words between the two names qualify him (a modifier, a role), so he speaks
    text = 'Clinton campaign manager Robby Mook was blunt on Tuesday: "He will lose the state."'
    assert speakers(text, ("Clinton", "PERSON"), ("Robby Mook", "PERSON"), parse=False) == [("He will lose the state.", "Robby Mook")]


def test_a_signature_reads_a_name_the_model_took_for_a_place_and_signs_only_the_paragraph_before():
    # '- Wertheim Smith, a voter.': two words no gazetteer knows, read as a place by the model, sign the quote before
    text = 'Supporters cheered.\n\n"We will win the state."\n\n- Wertheim Smith, a voter.'
    assert speakers(text, ("Wertheim Smith", "GPE"), parse=False) == [("We will win the state.", "Wertheim Smith")]
    # only the quotes of the paragraph right before the signature are signed
    text = 'Supporters cheered.\n\n"We will win the state."\n\nThen the band played.\n\n"And then the whole country."\n\n- Bernie Sanders.'
    assert speakers(text, ("Bernie Sanders", "PERSON"), parse=False) == [
        ("We will win the state.", None), ("And then the whole country.", "Bernie Sanders")]
    # and a dash and a name before any quote (a byline) signs nothing
    text = '— Jane Smith\n\nThe mayor said "we will rebuild the town."'
    assert cues(text, ("Jane Smith", "PERSON")) == [(None, "said")]


def test_a_verb_after_the_quote_that_reports_a_clause_of_its_own_stays_its_cue_when_no_one_is_named_before():
    # "one of the prosecutors said he was sure": no one named, before or after; the verb is still the quote's cue
    assert cues('"The cases are the same," one of the prosecutors said he was sure.') == [(None, "said")]
    # a verb before the quote that names no one either leaves the verb after it as the cue
    assert cues('As one of them claimed that "the cases are the same," one of the prosecutors said he was sure.') == [(None, "said")]


def test_a_possessive_owner_takes_the_quote_and_the_sentence_keeps_its_verb():
    # 'Pence said Trump's claim that Obama "founded ISIS" was false': Trump's words; the sentence's verb stays the cue
    text = 'Pence said Trump\'s claim that Obama "founded ISIS" was false.'
    assert cues(text, ("Pence", "PERSON"), ("Trump", "PERSON"), ("Obama", "PERSON")) == [("Trump", "said")]


def test_the_second_piece_of_a_quote_split_by_its_attribution_is_the_same_speakers():
    # the relative clause after the name holds no speech verb: the second piece goes on from the first
    text = '"The risk," said Edward Leamer, who runs the forecast at the bank, "is that the recovery stalls."'
    assert cues(text, ("Edward Leamer", "PERSON")) == [("Edward Leamer", "said"), ("Edward Leamer", "said")]


def test_a_paragraph_that_continues_a_quote_keeps_its_own_verb():
    # the quote runs on into the next paragraph, whose own attribution gives its verb
    text = 'Jones said: "We will win the state.\n\n"And then the country," Jones added.'
    assert cues(text, ("Jones", "PERSON"), ("Jones", "PERSON")) == [("Jones", "said"), ("Jones", "added")]


def test_a_quote_inside_a_quote_in_the_other_kind_of_mark_that_never_closes_is_a_new_piece():
    # a curly mark opened inside the straight quote, not closed in its kind before the paragraph ends: the quote goes on in a new piece
    text = 'Jones said: "We will win the state, “and then the country.\n\n"We never give up."'
    assert speakers(text, ("Jones", "PERSON"), parse=False) == [
        ("We will win the state", "Jones"), ("and then the country.", "Jones"), ("We never give up.", "Jones")]


def test_a_quotes_own_attribution_wins_over_the_introduction_of_the_paragraph_before():
    # "Jane Smith stated:" introduces the next paragraph's quote, but that quote names its own speaker after it
    text = 'At the meeting, Jane Smith stated:\n\n"We will rebuild the town," John Wallace replied.'
    assert cues(text, ("Jane Smith", "PERSON"), ("John Wallace", "PERSON")) == [("John Wallace", "replied")]


def test_a_quote_opening_a_sentence_that_names_no_one_is_the_last_speakers():
    # "Jones said ..." before, then a quote that opens its sentence and is followed by the writer's words only
    text = 'Jones said the town would recover. "I think what they will care about is the economy" and other pocketbook issues.'
    assert speakers(text, ("Jones", "PERSON"), parse=False) == [("I think what they will care about is the economy", "Jones")]


def test_the_attribution_after_a_quote_names_no_earlier_quote_that_has_its_own_verb():
    # 'He called it "a farce" and "a disgrace" said Jones': "a farce" is his (unknown), only the quote right before the verb is Jones's
    assert cues('He called it "a farce" and "a disgrace to the town" said Jones.', ("Jones", "PERSON")) == [(None, "called"), ("Jones", "said")]
    # quotes after a verb before them are that verb's (the officials'), not the last name's
    text = 'Officials said "the vote was lost," "the count was fair" and "the next one is ours," Jones said.'
    assert cues(text, ("Jones", "PERSON")) == [(None, "said"), (None, "said"), ("Jones", "said")]
    text = 'Officials said "the vote was lost," "the count was fair," Jones said.'
    assert cues(text, ("Jones", "PERSON")) == [(None, "said"), ("Jones", "said")]


def test_an_attributed_quote_of_a_headline_counts_after_an_unattributed_one():
    # a headline's quote with no attribution is the writer's and is left out; the attributed one after it counts
    text = 'Storm hits town "in shock" after the flood; Mayor Wallace: "We will rebuild"\n\nThe storm hit on Monday.'
    assert speakers(text, ("Wallace", "PERSON"), parse=False) == [("We will rebuild", "Wallace")]


def test_the_parser_names_a_subject_with_its_first_name():
    # the parser's subject "Moore" with its compound "Jim": the whole name, as the model would have tagged it
    text = 'Standing beside the mayor on the steps of the hall, Jim Moore thanked him for "stepping up when others would not."'
    assert speakers(text) == [("stepping up when others would not.", "Jim Moore")]


def test_an_empty_pair_of_marks_continuing_a_quote_is_no_quote():
    # the paragraph after a quote left open opens with a mark, so it continues the quote, but holds nothing between its marks
    text = 'Jones said: "We will win the next one.\n\n"".'
    assert cues(text, ("Jones", "PERSON")) == [("Jones", "said")]


def test_a_quote_that_continues_a_headlines_unattributed_one_is_read_without_a_speaker():
    # the headline's quote is left open and unattributed (the writer's); the paragraph after it opens with a mark and goes on
    assert speakers('Town "in shock\n\n"and nobody came to help us at all."', parse=False) == [("and nobody came to help us at all.", None)]


def test_an_untagged_surname_right_before_the_quote_that_opens_its_sentence_speaks():
    # 'Trump "was right about ..."': the sentence's subject, an untagged surname of the person named in full before
    text = 'Donald Trump spoke in Ohio.\n\nTrump "was right about the crowds at the rally."'
    assert speakers(text, ("Donald Trump", "PERSON"), ("Ohio", "GPE"), parse=False) == [("was right about the crowds at the rally.", "Donald Trump")]


def labelled(text: str, *names: tuple[str, str]) -> list[tuple[str | None, str | None]]:
    return [(q.speaker, q.speaker_label) for q in find_quotes(text, mentions(text, *names), parse=False)]


def test_the_words_read_after_a_quote_stop_at_the_next_sentence():
    # "said the mayor." ends the attribution: Smith, who opens the next sentence, did not say it
    assert cues('"We will win the state," said the mayor. Smith agreed.', ("Smith", "PERSON")) == [(None, "said")]


def test_a_new_sentence_whose_verb_opens_a_colon_says_something_else():
    # '"We lost the vote." Jones said: ...': Jones goes on to say something of his own, not the quote before
    assert cues('"We lost the vote." Jones said: the count was rigged.', ("Jones", "PERSON")) == [(None, None)]


def test_a_description_after_the_verb_that_names_no_role_still_ends_in_the_speakers_name():
    # "conservative activist Bob Klaus": the words after the verb do not start like a speaker, but his surname is among the first five
    assert cues('"We will win the state," said conservative activist Bob Klaus.', ("Bob Klaus", "PERSON")) == [("Bob Klaus", "said")]


def test_a_persons_surname_also_read_as_a_place_before_is_no_place():
    # the model read "Trump" of "Trump rallies" as a place; the surname of a person named in full is not a place, so "Trump" speaks
    text = 'Crowds at Trump rallies grew.\n\nDonald Trump spoke.\n\nTrump said "we will win the state."'
    assert speakers(text, ("Trump", "GPE"), ("Donald Trump", "PERSON"), ("Trump", "PERSON"), parse=False) == [("we will win the state.", "Trump")]


def test_a_short_company_name_the_model_read_as_a_place_speaks_as_an_organisation():
    # four letters, no gazetteer's place, never written where a place goes: an organisation, as GPE or as LOC
    for label in ("GPE", "LOC"):
        assert labelled('Uber said "the drivers will be paid more next year."', ("Uber", label)) == [("Uber", "ORG")]


def test_an_organisation_set_off_by_commas_before_the_verb_keeps_its_label():
    # "The company, Acme, said": the tagged organisation right before the comma and the verb, not an untagged person's name
    assert labelled('The company, Acme, said "the plant will close at the end of the year."', ("Acme", "ORG")) == [("Acme", "ORG")]


def test_a_name_is_read_across_a_no_break_space_at_the_start_of_the_text_and_after_another_mention():
    # the model tagged "Burguiere" alone; "Stu" before the no-break space is his first name
    assert cues('Stu\u00a0Burguiere said "the show will go on without me."', ("Burguiere", "PERSON")) == [("Stu Burguiere", "said")]
    text = 'Jones spoke first. "The show will go on without me," said Stu\u00a0Burguiere.'
    assert cues(text, ("Jones", "PERSON"), ("Burguiere", "PERSON")) == [("Stu Burguiere", "said")]


def test_the_mentions_after_a_name_read_across_a_no_break_space_are_kept():
    # the model tagged "Stu" and "Burguiere" apart; the second is dropped into "Stu Burguiere", the organisation after them still speaks
    text = 'Stu\u00a0Burguiere met Jones.\n\n"We will win the state," Acme said.'
    assert labelled(text, ("Stu", "PERSON"), ("Burguiere", "PERSON"), ("Acme", "ORG")) == [("Acme", "ORG")]


def test_an_untagged_name_after_a_title_right_before_the_verb_speaks():
    # "former Sen. Manchin said": the name the model did not tag, read back from the verb past its title
    assert cues('"We will win the state," former Sen. Manchin said.') == [("Manchin", "said")]


def test_a_name_read_across_a_no_break_space_loses_its_title():
    # the model tagged "Sen. Ann" with her title; read on across the space, the name is "Ann Fox", as any person's name is kept
    assert cues('Sen. Ann\u00a0Fox said "we will win the state."', ("Sen. Ann", "PERSON")) == [("Ann Fox", "said")]


def test_a_quote_inside_a_quote_after_a_one_letter_word_or_right_before_the_outer_close_stays_inside():
    # 'I “never” said': one letter before the inner mark is still words, so the curly pair is a quote inside the quote
    assert speakers('Jones said: "I “never” said that at all."', ("Jones", "PERSON"), parse=False) == [("I “never” said that at all.", "Jones")]
    # the straight mark right after the inner close closes the outer quote
    assert speakers('Jones said: "I never said “that”" and left the room.', ("Jones", "PERSON"), parse=False) == [("I never said “that”", "Jones")]


def test_according_to_names_its_source_after_a_long_lead():
    # "according to Jones" in the middle of a sentence whose lead is longer than a short phrase: Jones is still the source
    text = 'The new plan for the whole city is, according to Jones, "a failure from the start."'
    assert cues(text, ("Jones", "PERSON")) == [("Jones", "according to")]


def test_an_untagged_name_of_three_words_ending_a_description_is_kept_whole():
    # "ranking member Mary Ann Trask": no party word opens it, so all three words are her name
    assert cues('"We will win the state," said ranking member Mary Ann Trask.') == [("Mary Ann Trask", "said")]


def test_the_parser_reads_each_unattributed_quote_of_the_article_and_skips_long_sentences():
    # a quote that is its own sentence has no subject outside it: left alone, and the next quote is still parsed
    moore = 'Standing beside the mayor on the steps of the hall, Moore thanked him for "stepping up when others would not."'
    text = 'The flood is over.\n\n"What this town did for us in the flood will never be forgotten."\n\n' + moore
    assert speakers(text) == [("What this town did for us in the flood will never be forgotten.", None),
                              ("stepping up when others would not.", "Moore")]
    # the sentence is parsed where it is, after a paragraph of more than 600 characters
    text = 'The storm hit on Monday, ' + ' '.join(['the roads closed'] * 40) + '.\n\n' + moore
    assert speakers(text) == [("stepping up when others would not.", "Moore")]
    # a sentence of more than 600 characters is a list or a transcript: not parsed, so no one
    text = moore.replace(", Moore", ", with " + ", ".join(["the firemen"] * 60) + " and the nurses, Moore")
    assert speakers(text) == [("stepping up when others would not.", None)]


def people(text: str, *names: str) -> list[Mention]:
    return mentions(text, *((name, "PERSON") for name in names))


def test_a_pronoun_counts_for_the_person_it_follows_before_the_next_one_and_one_is_not_enough():
    # Mary Smith: "him" after her first mention; the "He" after her second comes after John Doe, so it is his.
    # One vote each is too few to call anyone "he" or "she".
    text = "Mary Smith thanked him. Mary Smith met John Doe. He smiled."
    assert _genders(text, people(text, "Mary Smith", "Mary Smith", "John Doe")) == {}


def test_she_her_and_hers_all_call_a_person_she():
    # two of Mary Smith's mentions are followed by "she" and "her", two of Ann Lee's by "hers" and "she"
    text = ("Mary Smith said she would run. Mary Smith thanked her staff. Ann Lee called the seat hers. "
            "Ann Lee said she had won.")
    assert _genders(text, people(text, "Mary Smith", "Mary Smith", "Ann Lee", "Ann Lee")) == {
        "Mary Smith": "she", "Ann Lee": "she"}


def test_a_pronoun_needs_twice_the_votes_of_the_other():
    # Tom Brady: he, he, her (2 >= twice 1): "he"; Pat Kim: he, he, her, her (2 < twice 2): neither
    text = ("Tom Brady said he would run. Tom Brady said he had won. Tom Brady thanked her. Pat Kim said he agreed. "
            "Pat Kim said he left. Pat Kim met her. Pat Kim saw her.")
    assert _genders(text, people(text, *["Tom Brady"] * 3, *["Pat Kim"] * 4)) == {"Tom Brady": "he"}


def test_he_with_no_person_seen_is_no_one():
    # no one named before the pronoun: the quote has no speaker, and nothing else fails
    assert speakers('He said "we will win the vote tomorrow night."', parse=False) == [("we will win the vote tomorrow night.", None)]


def test_a_pronoun_subject_reads_only_its_own_sentence():
    # "But she began talking about ...": no speech verb and no one named in that sentence, so the one who spoke
    # last says it; a later sentence's name and speech verb do not count against it
    text = ('Ann Fox insisted on Monday that she is still in the race. But she began talking about what will happen '
            '"if we do not win the county in the spring." Tom Brady, her rival, said later that he had not heard the speech '
            'at all that night.')
    assert speakers(text, ("Ann Fox", "PERSON"), ("Tom Brady", "PERSON"), parse=False) == [
        ("if we do not win the county in the spring.", "Ann Fox")]


def test_a_verb_after_a_quote_opens_the_next_one_past_a_title_with_a_full_stop():
    # "Mr. Tom Brady said:" ends in a colon that opens the next quote, whatever stops the words before the verb hold
    text = ('After Ann Fox said that students might do better at "less advanced schools," Mr. Tom Brady said: '
            '"I do not like what she said."')
    assert speakers(text, ("Ann Fox", "PERSON"), ("Tom Brady", "PERSON"), parse=False) == [
        ("less advanced schools", "Ann Fox"), ("I do not like what she said.", "Tom Brady")]


def test_a_verb_after_a_quote_without_a_colon_names_its_speaker_over_a_speaker_before():
    # no colon after "Tom Brady said": it opens no other quote, so it attributes this one, not Ann Fox's "said" before
    text = 'Ann Fox said the plan would fail, and "we will win the county anyway," Tom Brady said.'
    assert speakers(text, ("Ann Fox", "PERSON"), ("Tom Brady", "PERSON"), parse=False) == [
        ("we will win the county anyway", "Tom Brady")]


def test_a_person_titled_after_an_organisation_with_one_title_word_before_more_text():
    # "Wexbury Auto Workers President Ann Fox": one title word, then her name; the text goes on after the sentence
    text = '"We had a big issue with trade," said Wexbury Auto Workers President Ann Fox. The talks resumed on Monday.'
    assert speakers(text, ("Wexbury Auto Workers", "ORG"), parse=False) == [("We had a big issue with trade", "Ann Fox")]


def test_the_person_after_the_verb_speaks_rather_than_the_organisation_before_them():
    # "said Acme chief executive Ann Fox": both are tagged; the person speaks
    text = '"We will win the contract," said Acme chief executive Ann Fox.'
    assert speakers(text, ("Acme", "ORG"), ("Ann Fox", "PERSON"), parse=False) == [("We will win the contract", "Ann Fox")]


def test_a_lower_case_particle_of_an_untagged_name_is_no_word_of_the_article():
    # "van" is also a word of the article ("The van"), but only capitalised words of a name are checked against them
    text = 'The van was late. "We will win the county," said Ludwig van Berg.'
    assert speakers(text, parse=False) == [("We will win the county", "Ludwig van Berg")]


def test_a_question_then_a_speaker_in_apposition_who_reports_a_clause_to_someone():
    # "said to reporters that ...": the verb still reports a clause of its own, so a new sentence starts after the question
    text = ('"How is the village bobby supposed to tell them apart?" Tory MP Tom Brady, another co-chairman of the group, '
            'said to reporters that the law was far too vague for anyone to follow.')
    assert speakers(text, ("Tom Brady", "PERSON"), parse=False) == [("How is the village bobby supposed to tell them apart?", None)]


def test_four_words_before_a_plain_verb_after_a_question_attribute_it():
    # "Tory MP Tom Brady said of ...": four words are short enough to be the question's speaker, however long the rest
    text = '"How do we win the county?" Tory MP Tom Brady said of the talk he had last week with the candidate at the rally.'
    assert speakers(text, ("Tom Brady", "PERSON"), parse=False) == [("How do we win the county?", "Tom Brady")]


def test_the_parser_never_takes_a_quotes_own_subject_for_its_speaker():
    # "Trump will lose the state" was chanted: Trump is the subject of the quoted words, not who said them,
    # and no verb outside the quote has a subject, so the parser names no one
    text = 'Outside the hall on Monday, "Trump will lose the state" was the chant.'
    assert speakers(text, ("Trump", "PERSON")) == [("Trump will lose the state", None)]
    assert speakers(text.replace("Trump", "Wexley")) == [("Wexley will lose the state", None)]


def test_a_name_and_its_quote_after_someone_spoke_are_words_said_of_the_name_only_when_the_sentence_ends_there():
    # 'said Hiro Aida. Biden "kind of misspoke".': Aida's words of Biden, a one-word name, the full stop after the mark
    text = '"We thought only Tom Brady was careless," said Hiro Aida. Biden "kind of misspoke".'
    assert speakers(text, ("Tom Brady", "PERSON"), ("Hiro Aida", "PERSON"), ("Biden", "PERSON"), parse=False) == [
        ("We thought only Tom Brady was careless", "Hiro Aida"), ("kind of misspoke", "Hiro Aida")]
    # ... but a sentence that goes on past the quote is the name's own, even after someone else spoke
    text = '"We thought only Tom Brady was careless," said Hiro Aida. Ann Fox "totally condemned" the deletion of the e-mails.'
    assert speakers(text, ("Tom Brady", "PERSON"), ("Hiro Aida", "PERSON"), ("Ann Fox", "PERSON"), parse=False) == [
        ("We thought only Tom Brady was careless", "Hiro Aida"), ("totally condemned", "Ann Fox")]


def test_a_title_case_line_is_read_between_its_own_line_breaks():
    # a headline's capitalised "Says" is a speech verb; "the Daily Reports" in running text two lines below is a name
    from dashboard.nlp.quotes import _title_case

    text = ("the first line of the page\nthe second line of running text\nTrump Says He Will Win\n"
            "the Daily Reports had it first, the mayor said\nand one more line")
    assert _title_case(text, text.index("Says"))
    assert not _title_case(text, text.index("Reports"))


def test_a_five_letter_surname_the_model_read_as_a_place_is_a_person():
    # "Kerst said": one word of five letters that no gazetteer knows, tagged GPE right before the verb: a person's surname
    text = '"We will win the county," Kerst said.'
    found = find_quotes(text, mentions(text, ("Kerst", "GPE")), parse=False)
    assert [(q.text, q.speaker, q.speaker_label) for q in found] == [("We will win the county", "Kerst", "PERSON")]


def test_unnamed_speakers_keep_their_verb_and_the_quote_after_them_is_no_one_elses():
    # 'aides said': the aides speak, unnamed, with their verb; the quote that follows alone is theirs too, not Ann Fox's
    text = 'Ann Fox spoke first. Trump "was right about the wall," aides said. "He will win the state."'
    found = find_quotes(text, mentions(text, ("Ann Fox", "PERSON"), ("Trump", "PERSON")), parse=False)
    assert [(q.text, q.speaker, q.cue) for q in found] == [("was right about the wall", None, "said"), ("He will win the state.", None, None)]


def test_the_name_that_opens_a_sentence_is_read_after_its_lead_words_and_two_introductory_phrases():
    # "And then later": the lead words are skipped from the sentence's start, never read back into the sentence before
    text = 'He thanked Lee. And then later Cruz "will never win the state of Iowa."'
    assert speakers(text, ("Lee", "PERSON"), ("Cruz", "PERSON"), parse=False) == [("will never win the state of Iowa.", "Cruz")]
    # "Moreover, as part of ...": a short adverbial, then an introductory phrase, then the subject
    text = 'Moreover, as part of the exchange with Clinton, Gowdy "asked all the wrong questions of the witness."'
    assert speakers(text, ("Clinton", "PERSON"), ("Gowdy", "PERSON"), parse=False) == [
        ("asked all the wrong questions of the witness.", "Gowdy")]


def test_a_capitalised_noun_below_the_first_line_and_a_plural_noun_are_no_speech_verbs_but_the_verb_after_them_is():
    # "the Daily Reports wrote" two lines down: "Reports" is part of the name (the line is no headline), "wrote" the verb
    text = 'Ann Fox led the meeting.\n\n"We will win the county," the Daily Reports wrote.'
    found = find_quotes(text, mentions(text, ("Ann Fox", "PERSON"), ("Daily Reports", "ORG")), parse=False)
    assert [(q.speaker, q.speaker_label, q.cue) for q in found] == [("Daily Reports", "ORG", "wrote")]
    # "his claims" is a noun; the search goes on to "said"
    text = 'Responding to his claims, Ann Fox said "we will win the county."'
    found = find_quotes(text, mentions(text, ("Ann Fox", "PERSON")), parse=False)
    assert [(q.speaker, q.cue) for q in found] == [("Ann Fox", "said")]


def test_a_name_inside_the_role_of_the_person_after_it_is_not_the_speaker():
    # "Trump Press Secretary Sean Spicer": the model gives Spicer that whole title as his role, Trump within it; and
    # "Acme CEO Jo Baker": an organisation before a person names whom the person speaks for
    text = 'Trump Press Secretary Sean Spicer "was wrong about the crowds."'
    spicer = Mention(22, 33, "Sean Spicer", "Sean Spicer", "PERSON", role="Trump Press Secretary")
    assert [q.speaker for q in find_quotes(text, [Mention(0, 5, "Trump", "Trump", "PERSON"), spicer], parse=False)] == ["Sean Spicer"]
    text = 'At the mill, Acme CEO Jo Baker "will never sell the mill to anyone."'
    assert speakers(text, ("Acme", "ORG"), ("Jo Baker", "PERSON"), parse=False) == [("will never sell the mill to anyone.", "Jo Baker")]


def test_the_paragraphs_after_a_hard_wrapped_attribution_are_still_split():
    # the line break before "said Hiro Aida." keeps the sentence together; the blank line after it still ends the
    # paragraph, so Joe Biden opens a paragraph of his own with no one before him in it: the quote is his
    text = ('"We thought only Tom Brady was careless,"\nsaid Hiro Aida.\n\nJoe Biden "kind of misspoke. This is not something '
            'he should talk about in public."')
    assert speakers(text, ("Tom Brady", "PERSON"), ("Hiro Aida", "PERSON"), ("Joe Biden", "PERSON"), parse=False) == [
        ("We thought only Tom Brady was careless", "Hiro Aida"),
        ("kind of misspoke. This is not something he should talk about in public.", "Joe Biden")]


def test_unnamed_speakers_after_the_verb_keep_it_and_a_verb_that_names_no_one_leaves_the_quote_to_the_sentence():
    # 'said two of his aides': they speak, unnamed, with their verb, and the quote alone after theirs is no one else's
    text = 'Ann Fox spoke first. Trump "was right about the wall," said two of his aides. "He will win the state."'
    found = find_quotes(text, mentions(text, ("Ann Fox", "PERSON"), ("Trump", "PERSON")), parse=False)
    assert [(q.text, q.speaker, q.cue) for q in found] == [("was right about the wall", None, "said"), ("He will win the state.", None, None)]
    # 'said nothing more about it': no one named after the verb, nor unnamed speakers: the name that opens the sentence
    text = 'Ann Fox spoke first. Trump "was right about the wall," said nothing more about it.'
    assert speakers(text, ("Ann Fox", "PERSON"), ("Trump", "PERSON"), parse=False) == [("was right about the wall", "Trump")]


def test_the_person_among_several_subjects_before_the_verb_speaks():
    text = 'Ann Fox, Acme and the union said "we will win the county."'
    assert speakers(text, ("Ann Fox", "PERSON"), ("Acme", "ORG"), parse=False) == [("we will win the county.", "Ann Fox")]


def test_a_speech_verb_after_united_is_still_a_verb():
    # only "States" after "United" is part of a name; "United said" is the airline speaking
    text = '"We will fly again," United said on Monday.'
    found = find_quotes(text, mentions(text, ("United", "ORG")), parse=False)
    assert [(q.speaker, q.cue) for q in found] == [("United", "said")]


def test_a_curly_mark_that_opens_the_text_opens_a_quote_whatever_the_text_ends_with():
    # nothing stands before the first character: a sloppy space after the mark, and a full stop at the text's end,
    # must not make the mark read as a closing one typed after a sentence ("...,“ said Noble")
    text = "“ Prices will rise next year,” said Ann Fox."
    assert speakers(text, ("Ann Fox", "PERSON"), parse=False) == [("Prices will rise next year", "Ann Fox")]


def test_a_possessor_tagged_with_its_apostrophe_s_says_whose_role_and_the_name_after_it_speaks():
    # the model may tag "Tom Brady's" whole: the possessive is read where the name ends, not past it
    text = ('"We will win the whole state by Election Day," said Tom Brady\'s deputy campaign manager, Ann Fox, who ran '
            "Joe Biden's campaign before.")
    at = text.index("Tom Brady's")
    tagged = [Mention(at, at + len("Tom Brady's"), "Tom Brady's", "Tom Brady", "PERSON"),
              *mentions(text, ("Ann Fox", "PERSON"), ("Joe Biden", "PERSON"))]
    assert [q.speaker for q in find_quotes(text, tagged, parse=False)] == ["Ann Fox"]


def test_a_quote_continued_in_the_next_paragraph_keeps_its_speaker_over_a_possessor_inside_it():
    # the second paragraph goes on with Ann Fox's open quote: "Tom Brady's view" inside her words names no speaker
    text = 'Ann Fox said: "We will win the state.\n\n"Tom Brady\'s view is wrong and prices will rise."'
    assert speakers(text, ("Ann Fox", "PERSON"), ("Tom Brady", "PERSON"), parse=False) == [
        ("We will win the state.", "Ann Fox"), ("Tom Brady's view is wrong and prices will rise.", "Ann Fox")]


@pytest.mark.parametrize(("text", "name", "label"), [('"We will win," said Ann Fox. Ann Fox "kind of misspoke."', "Ann Fox", "PERSON"),
                                                  ('"We will win," Acme said. Acme "kind of misspoke."', "Acme", "ORG")])
def test_a_later_quote_of_the_same_speaker_with_no_verb_does_not_take_the_verb_of_the_earlier_one(text, name, label):
    # '{name} "kind of misspoke."': theirs, but no verb says so; "said" belonged to the quote before
    found = find_quotes(text, mentions(text, (name, label), (name, label)), parse=False)
    assert [(q.speaker, q.cue) for q in found] == [(name, "said"), (name, None)]


def test_a_signed_pull_quote_gives_no_speaker_to_the_quotes_before_it_in_its_sentence():
    # the signature names who said the pull quote only; no speech verb reaches back to "a gift to ..."
    text = ('The plan is vague.\n\nCritics call it "a gift to the richest families in the land" and "I worry that we may see a '
            'return of the old budget talk.\nAnn Fox, Center for Economic Research."\n\nBut the plan is new.')
    assert speakers(text, ("Ann Fox", "PERSON"), ("Center for Economic Research", "ORG"), parse=False) == [
        ("a gift to the richest families in the land", None), ("I worry that we may see a return of the old budget talk.", "Ann Fox")]
