"""Direct quotations and who said them, by rules over the text and its entity mentions.

Quote marks are read by direction, not paired blindly: a straight mark after a space opens, one
before a space closes. An opening mark inside an open quote starts a new piece of the same quote
(the British way of running a quote over several paragraphs, each opening with a mark and only the
last one closed, also when paragraphs were run together); a quote left open at the end of a
paragraph counts only when the next paragraph opens with a mark, so a stray mark never turns
narrative into a quote; an opening mark typed where the closing one belongs (``"...,“ said``)
closes, and a closing mark typed where a paragraph opens opens (pasted comments). A quote in the
other kind of mark inside a quote (``"... not about “equal justice” any more."``) is part
of it, not a new piece. A single word or
a two-word quote counts only when someone is said to say it: a speech verb (``calling it
"absurd"``, ``Priebus said, "Probably."``) or the subject of its sentence (``Trump blamed it on
"sickos"``); otherwise it is a scare quote. A short Title Cased phrase is a title (``ABC's "This
Week."``) unless written as speech (``"Word is," Trump said``), and a quote in the headline counts
only when attributed (``Wallace: "..."``), as headlines use quotes to distance themselves, not to
report speech. A speech verb written with a capital is one only where a sentence or a Title Case
line may start it: after a word of running text it is part of a name (``United States Trade
Representative Ann Fox said``, ``the Daily Reports said``); nor is a plural noun after a determiner,
a number or a possessive (``one of 45 states``, ``Tom Brady's claims``).

The speaker is found, in this order:
1. after the quote, in the same sentence: ``"...," Trump said`` / ``said former Gov. Jim Hodges`` /
   ``Morton Blackwell, a party official, told AFP`` / ``he told reporters`` / ``"...," election law
   expert Rick Hasen tweeted`` / ``Trump went on`` (not ``went on to``). A speech verb there settles
   it: an attribution that names nobody (``the report predicted``, ``Trump "was right ...," aides
   said``: not Trump) leaves the speaker unknown; it also names the quotes before it in its sentence
   (``guns are "a crisis" and "stunt growth," Dean said``). After a question or an
   exclamation, a name and a plain speech verb attribute it whatever follows (``"All the way!"
   Dawson shouted, shorthand for ...``); a new sentence that says something of its own before its
   verb does not; nor does a participle (``", adding that Trump ...``), a clause that ``and``,
   ``until`` or another conjunction opens (``"glow in the dark," for instance, and Trump vowed``), a passive verb (``... was first
   reported by MSNBC``) or a new sentence whose verb reports a clause of its own (``... doing." And
   Portman said he had not thought about it``), nor a verb after it that names no one and reports a
   clause of its own when a speaker is named before the quote (``As Trump claimed that "...," one of
   the prosecutors said the cases differ``). An untagged name heading the phrase after the verb
   speaks, not a name in its apposition (``tweeted Prince Alwaleed, the nephew of the late King Abdullah``).
   The attribution is read past any spaces after the closing mark (two, a no-break space), and past
   a line break of hard-wrapped text after a comma (``"...,"<break>Ann Fox told``) or before a line
   that is nothing but the attribution (``"Why?"<break>Ann Fox said.``);
2. before it, in the same sentence: the subject of the last speech verb (``Mr Wallace said: "..."``,
   ``Medvedev wrote on social media that if troops "refuse to ..."``), skipping possessives
   (``Clinton's``), names after a preposition, relative clauses and appositions (but ``in what Bay
   Buchanan, national treasurer for the campaign, called`` is Buchanan's); after a
   participle (``..., saying "..."``) the subject of the sentence, also untagged (``Phoenix Mayor
   Greg Stanton wrote to Attorney General Lynch asking``), or the name right before it (``with
   Sen. John McCain calling``, ``- Ryan saying ... and Trump calling``), or the subject of the speech
   verb it follows (``..., Nefzi said, adding``, ``Giuliani said in a phone interview, adding``),
   else no one; someone not named speaking for the
   one named, or a text in their name, is theirs (``A spokeswoman for the House Armed Services
   Committee emailed``, ``a fundraising email sent out by Sanders warned``, ``said a spokesman for
   X``; but ``Rick Tyler, a spokesman for Ted Cruz`` is Tyler, and a lawyer speaks for themself);
   ``after Trump told`` is a clause, not a preposition; a name before a role (``The Lib Dem leader
   said``) says whose leader, and does not speak; nor does a person's name that modifies a noun
   (``"...," a Republican Smith adviser said``), though an organisation's official speaks for it (``a
   White House official``, ``a BAA spokesman``), nor a name in an apposition opened by ``a``
   (``Priorities USA, a pro-Clinton super PAC, emailed``).
   Names the model did not tag are read from the words next to the verb (``Manchin said``), as
   the article's person with that surname even when the article also writes a word of it in lower
   case (``de Blasio``); a one-word "place" that no gazetteer knows as a town of 100,000 people,
   right next to the verb, is a surname (``Wertheim said``), and so are two such words
   (``The Society's Sundar Katwala said``); the word that opens a sentence is not part of a
   name (``As Vulture put it``, ``But Manchin said``). The verb may name its speaker after
   it: ``According to the Daily Caller, "..."``, ``Added Smith: "..."``, also an untagged full name
   that ends a description (``said Oversight ranking Democrat Elijah Cummings (D-Md.)``, not ``said a
   Nevada Democrat``). With no verb, a name right before the colon that opens the quote
   (``pollster Daron Shaw: "..."``) or the subject of that sentence (``Trump went even further:``);
3. a pronoun (he/she) resolves to the last person who spoke or was the subject of a speech verb
   and whom the article does not call by the other pronoun (the one that first follows at least two
   of their mentions), also across an auxiliary (``He also said``); a role (``the US president``; a
   deputy, vice or shadow one holds another office) to the person introduced with that title, also
   written short (``Sen.``) or in apposition (``Ann Fox, the mayor,``); a sentence with ``he`` or
   ``she`` for its subject, no speech verb and no one named goes on from the person who spoke last
   in the paragraph;
4. a quote with no speech verb in its sentence: the rest of a quote it continues; the person or
   organisation that opens the sentence (but a sentence that is only a name and the quote that ends
   it, ``"...," said Aida. Biden "kind of misspoke. ..."``, after someone else spoke in the paragraph,
   says something of the name: the one who spoke before says it; nor a name in a clause that a
   participle opens: ``Acknowledging that Trump "says ...," Allen did suggest``), also after an
   opening phrase (``In the depths of the Great Recession, Paul Ryan worried that ...``; ``Former
   Obama spokesman Robert Gibbs derided``;
   ``Clinton Communications Director Jennifer Palmieri called``, ``Former Obama speechwriter Jon
   Favreau published``), or whose words it names by a
   possessive (``From Bush's Facebook post: "..."``, ``in Bolton's view``), also over any other
   speaker when the possessive leads straight into the quote (``Pence blamed the media for
   Trump's claim that Obama "founded ISIS"``, ``called Clinton's assertion of a "claim of right"``;
   not ``Trump's remarks as "hurtful"``);
   for a sentence that is nothing but the quote, or opens with it and names no one, the speaker of
   the quote or speech verb just before it in its paragraph, or in the paragraph before
   (``Mr Wallace said:`` closing a paragraph), but after a quote attributed to someone not named
   (``"...," said a Nevada Democrat. "..."``) no one; a paragraph that opens with a dash and a name
   (``- Bernie Sanders.``) signs the quotes just before it; a later sentence of the paragraph that
   names no one goes on with the quote before it (``"...," Bill Clinton has said. That makes her
   "by definition a trustworthy ... person."``), unless it quotes only a few words (``The mood was
   "tense and quiet"``);
5. the last resort, for a quote the rules leave without a speaker: its sentence (only that one) is
   parsed by spaCy's dependency parser of the same model, and the subject of the verb that governs
   the quote speaks when it is a person or organisation of the article, or a proper noun the model
   did not tag (``Standing beside the mayor, Moore thanked him for "stepping up"``).
Otherwise the speaker stays unknown (None): never a guess. Places never speak: a one-word
organisation that is a place name, or a name the article also uses as a place, is not a speaker,
nor is a dateline (``JACKSON, Miss. -``, ``WASHINGTON (Reuters) -``) or a state written short
(``residents of Flint, Mich. said``: the residents, unnamed) whatever the model read;
but a "place" right before a speech verb that no gazetteer knows and that the article never writes
where a place goes (``in``, ``near``, ``across``; ``at Verizon`` is said of companies too) is an
organisation the model misread (``Verizon said in a statement``).
Before the rules, the mentions are completed from the article itself: an untagged surname of the
one person named in full with it (``Kasich`` after ``John Kasich``), a one-word "place" that is the
surname of the one person named before with it (``Cornel West ... West``), a two-word "place"
whose last word the article names as a person (``Matdos Santos`` beside ``dos Santos``), and ``Sir John`` (a
knight named by the first name, the British way) as ``Sir John Bourn``; a name is read across the
no-break and other Unicode spaces of web text (``Stu<U+00A0>Burguiere``, of which the model tags
``Stu`` alone), and the words read after a quote for its attribution never end inside a name
(``said Alan Abramowitz`` once gave ``Alan Abramowi``).

Measured on PolNeAR (US political news, 2016; benchmarks/quotes.py; rules tuned on the train
split, figures from the dev split): direct-quote recall 0.957, precision 0.954; of quotes whose
source is named, 0.848 get the right speaker, 0.030 a wrong one, 0.121 none (336 of 396: one quote
short of the 0.85 target; train: 0.935, 0.016, 0.049). The latest rules (a capitalised verb inside a
name, a plural noun, a state written short, any spaces or a hard line break after the closing
mark, the unnamed subject of the verb after a quote, a name whose predicate is the quote, a deputy's
office, ``what X called``, a number's comma in an apposition, ``went on``, a participle's clause,
a noun clause after the verb, more speech verbs) gave 8 more right train quotes (2,947 of 3,152)
and 6 fewer wrong (51), and left dev exactly as it was (run once after them). Reading names across
no-break spaces, never cutting a name with the window read after a quote, and letting
organisations the model read as places speak turned 3 train quotes right (2 had a wrong speaker, 1
none) and left dev unchanged. Of the dev split's move from 0.830 two rounds before, the rules gave
0.005 (0.835 with the scorer as it was) and fixes to the scorer's reading of the gold sources the
rest. Parsing only the sentences of quotes with no speaker keeps the cost down: entity rules and
quotes cost 1.16x bare spaCy NER on Reuters-21578, 4 files, load average 5.4-10.3
(benchmarks/quotes.py --reuters; 1.10x to 1.24x in the rounds before, 1.08x without the parser
when it was added).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

from dashboard import config
from dashboard.nlp.entities import Mention
from dashboard.nlp.names import ROLE_NOUNS, TITLE_WORDS, clean, has_cjk, is_known_place, key, strip_titles

CUES = (
    "said|says|say|saying|told|tells|telling|wrote|writes|writing|added|adds|adding|stated|states|noted|notes|noting|"
    "asked|asks|asking|replied|replies|described|describes|describing|warned|warns|warning|urged|urges|insisted|insists|"
    "argued|argues|arguing|explained|explains|explaining|announced|announces|declared|declares|tweeted|tweets|tweeting|"
    "posted|claimed|claims|claiming|continued|continues|recalled|recalls|vowed|vows|acknowledged|admitted|admits|"
    "emphasized|emphasised|stressed|reported|reports|suggested|suggests|commented|predicted|cautioned|complained|"
    "conceded|confirmed|responded|quipped|concluded|remarked|agreed|called|calls|calling|dubbed|labeled|labelled|"
    "promised|promises|pledged|predicts|boasted|joked|shouted|yelled|chanted|mocked|blasted|slammed|praised|"
    "countered|retorted|observed|testified|wondered|insisting|repeated|thundered|lamented|acknowledges|interjected|"
    "answered|boomed|asserted|asserts|retaliated|beamed|remembered|demanded|proclaimed|maintained|contended|charged|"
    "assured|assures|assuring|dismissed|dismissing|characterized|characterizes|characterised|cited|cites|citing|"
    "lectured|lecturing|mused|scoffed|snapped|fumed|pointed out|points out|barked|demands|insists|"
    "concludes|agrees|reacted|opined|echoed|echoes|questioned|pressed|interjecting|"
    "fired back|shot back|according to|put it|puts it|spoke|speaks|talked|add that|"
    "quip|quips|explains|exclaimed|reiterated|reiterates|recounted|recounts|pleaded|elaborated|confessed|clarified|"
    "alleged|alleges|accused|accuses|accusing|emailed|texted|whispered|protested|reminded|yelling|shouting|mentioned|mentions|"
    "speculated|speculates|bragged|brags|griped|grumbled|groused|touted|sniped|railed|ranted|hinted|implored|"
    "chided|scolded|gushed|crowed|bellowed|screamed|muttered|murmured|surmised|theorized|theorised|reasoned|"
    r"went on(?=\s*[,.:;])|goes on(?=\s*[,.:;])"  # "\"...,\" Trump went on", not "went on to win"
)
# "Smith spoke about ...", never '"...," Smith spoke'; "quick to add that", not "rates will add “pressure”"
_BEFORE_ONLY = {"spoke", "speaks", "talked", "add that"}

_CUE_WORDS = re.compile(r"(?<![\w-])(" + "|".join(f"[{c[0]}{c[0].upper()}]{c[1:]}" for c in CUES.split("|")) + r")\b")  # not "so-called"; "Adding, ..."
_WORD_BEFORE = re.compile(r"[\w,;]\s+$")
_LONG_WORD = re.compile(r"\b[^\W\d_]{4,}")
_DETERMINER_BEFORE = re.compile(
    r"(?:\b(?:the|an|his|her|their|its|our|my|your|these|those|many|several|some|both|such|two|three|four|five|\d[\d,]*)|[’']s)\s+$", re.I)
_UNITED_BEFORE = re.compile(r"\bUnited\s+$", re.I)  # "United States" is a name even where a Title Case line capitalises its verbs


class _Cues:
    """The speech verbs of a text, as `re` finds them (`finditer`, `search`), but a capitalised one
    only where a sentence or a Title Case line may start it ("Adding, ...", "Trump Says He Will Win"):
    after a word in running text it is part of a name ("the United States", "the Daily Reports said"),
    and "United States" is a name in a Title Case line too; and not a plural noun after a determiner,
    a number or a possessive ("one of 45 states", "his claims")."""

    pattern = _CUE_WORDS.pattern

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None) -> Iterator[re.Match[str]]:
        for cue in _CUE_WORDS.finditer(text, pos, len(text) if endpos is None else endpos):
            if cue.group(1)[:1].isupper() and _WORD_BEFORE.search(text, max(0, cue.start() - 4), cue.start()) and not _title_case(text, cue.start()):
                continue
            if cue.group(1).endswith("s") and _DETERMINER_BEFORE.search(text, max(0, cue.start() - 12), cue.start()):
                continue  # "one of 45 states where", "his claims", "Trump's remarks": a plural noun
            if cue.group(1) in ("States", "states") and _UNITED_BEFORE.search(text, max(0, cue.start() - 8), cue.start()):
                continue  # '"We Will Win," United States Senator Jane Doe Says': a headline's name, not its verb
            yield cue

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
        return next(self.finditer(text, pos, endpos), None)


def _title_case(text: str, at: int) -> bool:
    """Whether the line around `at` capitalises all its words of four letters or more (a headline)."""
    line = text[text.rfind("\n", 0, at) + 1 : (text.find("\n", at) + 1 or len(text) + 1) - 1]
    return all(w[0].isupper() for w in _LONG_WORD.findall(line))


_CUE = _Cues()
_SENTENCE_END = re.compile(r"[.!?][”\"’)]*\s+(?=[A-Z0-9“\"‘(])")
_ABBREVIATION = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Gov|Sen|Rep|Sens|Reps|St|Gen|Lt|Col|Capt|Sgt|Jr|Sr|Prof|Rev|Hon|Gov|Pres|Supt|Mt|No|Vol|"
    r"Jan|Feb|Mar|Apr|Aug|Sept|Sep|Oct|Nov|Dec|Inc|Corp|Co|Ltd|Calif|Mass|Fla|Ill|Mich|Penn|Va|Wash|Tex|Ariz|Ga)"
    r"|\b[A-Z]|\b(?:[A-Za-z]\.)+[A-Za-z])$"
)
_ROLE_AT_END = re.compile(r"(?:^|\b)(?:the\s+|a\s+)?((?:[\w’'.-]+\s+){0,3}?(?:" + "|".join(ROLE_NOUNS) + r"))\s*,?\s*$", re.I)
_ROLE_AT_START = re.compile(r"^\W*(?:the\s+|a\s+|an\s+)?((?:[\w’'.-]+\s+){0,3}?(?:" + "|".join(ROLE_NOUNS) + r"))\b", re.I)
_PRONOUN_AT_END = re.compile(r"\b(he|she)\s*,?\s*(?:(?:had|has|would|will|also|then|later)\s+)?$", re.I)  # "he had recounted"
_PRONOUN_AT_START = re.compile(r"^\W*(he|she)\b", re.I)
_PREPOSITION_BEFORE = re.compile(
    r"\b(?:of|to|for|with|about|against|at|on|from|by|than|like|in|into|toward|towards|after|before|under|over)\s+(?:the\s+)?$", re.I)
# Right before a speech verb, "after Trump told" is a clause: after, before and since are conjunctions there
_PREPOSITION_ONLY_BEFORE = re.compile(
    r"\b(?:of|to|for|with|about|against|at|on|from|by|than|like|in|into|toward|towards|under|over)\s+(?:the\s+)?$", re.I)
_OBJECT_OF_CLAUSE = re.compile(r"\b(?:who|that|which)\s+[a-z]+\s+$")
_SENTENCE_OPENERS = re.compile(r"^\W*(?:(?:but|and|so|yet|still|meanwhile|earlier|later|then|now|also|former|the|a)\b[\s,]*){0,3}", re.I)
# A phrase that opens a sentence before its subject: "In the depths of the Great Recession, ", "Speaking to MSNBC on Monday, "
_INTRODUCTORY = re.compile(
    r"(?i:In|On|At|After|Before|During|As|While|When|Since|Later|Earlier|Moreover|Speaking|Asked|Writing|Addressing|"
    r"Throughout|Following|Despite|Under|Within|From|Last|This|Back|Then|Now)\b[^,;:“”\"]{0,100}?,\s*"
)  # also after "And": "And after the court refused, Gov. Pat McCrory blamed ..."
_MODIFIES = re.compile(
    r"\s+(?:campaign|camp|supporter|supporters|backer|backers|aide|aides|adviser|advisers|advisor|ally|allies|loyalist|"
    r"official|officials|staff|staffer|team|spokesman|spokeswoman|spokesperson|surrogate|administration|"
    r"strategist|pollster|campaign's|era|voters?|critics?|fans?)\b"
)
# "The Lib Dem leader said": the name says whose leader, it does not speak
_HOLDS_ROLE = re.compile(r"\s+(?:leader|leaders|chief|chairman|chairwoman|president|secretary|minister|director)\b")
# "A spokesman for Platte River said", "a fundraising email sent out by Sanders warned", "said a representative for
# Clinton": someone not named speaking for the one named, or a text in their name (a lawyer speaks for themself)
_SPEAKS_FOR = re.compile(
    r"^[\s,]*(?:[^,;“”\"]{1,30},\s+|[^,;“”\"]{1,60}\s(?:that|as|when|while|because|after)\s+)?(?:(?:but|and|meanwhile|later|also)\s+)?(?:(?:a|an|the|one|two|another)\s+)?(?:[\w.-]+\s+){0,3}?"
    r"(?:spokes(?:man|woman|person|people|men|women)|representatives?|reporter|correspondent|"
    r"statement|letter|e-?mail|memo|press release|news release)\s+(?:(?:sent|sent out|released|issued|signed|written|put out)\s+)?"
    r"(?:for|from|by)\s+(?:the\s+)?$",
    re.I,
)
# A verb that reports a clause of its own ('... doing." And Portman said he had not thought about it.'): a new sentence's
_REPORTED = re.compile(r"\s+(?:that|he|she|they|it|we|i|there|his|her|their)\b")
_FUNCTION_WORDS = {
    "and", "but", "or", "nor", "so", "yet", "when", "while", "as", "if", "after", "before", "since", "because", "although",
    "though", "unless", "until", "which", "who", "whom", "whose", "where", "that", "this", "it", "they", "we", "you", "i",
    "he", "she", "him", "them", "us", "there", "then", "also", "now", "later", "once", "even", "just", "only", "not",
}
# A sentence that opens with nothing but a name, the quote right after it all of its predicate: 'Biden "kind of misspoke."'
_TOPIC_BEFORE = re.compile(r"\W*(?:(?:But|And|So|Yet)\s+)?(?!The\b)(?:[A-Z][\w’'.-]*\s+){0,4}[A-Z][\w’'-]*\s*")
# Words that make a title another office: a deputy prime minister is not "the prime minister"
_OTHER_OFFICE = {"deputy", "vice", "shadow", "assistant", "acting", "junior", "under", "associate"}  # not "former": still the one
# The appositions that close a phrase, each set off by commas ("Adam Green, co-founder of the PCCC, "); a comma
# between digits is a number's ("..., who wanted to admit 250,000 Syrians, said")
_NOT_COMMA = r"(?:[^,]|(?<=\d),(?=\d))"
_APPOSITIONS = re.compile(rf"(?:,\s*{_NOT_COMMA}*?\b(?:a|an|the|[a-z][\w-]*)\b{_NOT_COMMA}*)+,\s*$")
# A participle that opens a sentence with a clause of its own: the name in the clause is not the sentence's subject
_PARTICIPLE_CLAUSE = re.compile(r"[A-Z][a-z]+ing\s+(?:that|how|what|whether|why)\b")
# ... or whose clause opens with a noun phrase and its verb ('... said the two cases were quite different')
_REPORTED_NOUN = re.compile(r"\s+(?:the|a|an|this|these|those)\s+(?:[\w’'-]+\s+){0,3}?(?:is|are|was|were|had|has|have|would|will|could|"
                            r"should|did|does|do|must|might|may)\b")
_CLAUSE = re.compile(r"(?:^|,\s*)(?:and|but|while|whereas|until|because|when|although|though|unless|before|after|since|if)\s")
_ABBREVIATED_TITLES = {"sen": "senator", "sens": "senator", "gov": "governor", "gen": "general", "pres": "president"}
_ABBREVIATED_TITLE = re.compile(r"\b(" + "|".join(_ABBREVIATED_TITLES) + r")\.?\s+$", re.I)
_TITLED_NAME = re.compile(r"\s+([A-Z][\w-]*)\s+((?:[A-Z][\w’'.-]*\s+){1,2}[A-Z][\w’'-]+)")
_ROLE_IN_APPOSITION = re.compile(r",\s+(?:the|a|an)\s+((?:[\w’'.-]+\s+){0,3}?(?:" + "|".join(ROLE_NOUNS) + r"))\b(?!-)", re.I)
_NAME_WORDS = r"((?:(?:[A-Z][\w’'.-]*|[A-Z]\.(?:[A-Z]\.)*|de|van|von|al|bin)\s+){0,3}[A-Z][\w’'-]*[a-z][\w’'-]*)"
_BARE_AT_END = re.compile(r"(?:^|[\s,(])" + _NAME_WORDS + r"\s*,?\s*$")
_BARE_AT_START = re.compile(r"^\s*" + _NAME_WORDS + r"(?:\s*[,.;:(]|\s+(?:of|in|on|at|to|from|who|after|before|during|when)\b|\s*$)")
_BARE_SUBJECT = re.compile(r"^\s*" + _NAME_WORDS + r"(?:\s*[,.;(]|\s+(?=[a-z])|\s*$)")
_NOT_NAMES = {
    "However", "Meanwhile", "Still", "Instead", "Despite", "Although", "Though", "If", "Since", "Because", "Even",
    "Last", "Next", "There", "Here", "What", "Why", "How", "Who", "Where", "Asked", "Speaking", "According",
    "All", "Any", "Each", "Much", "More", "Few", "Every", "No", "None", "Nothing", "Everyone", "Everybody", "Anyone", "People", "Such", "Other",
    "The", "This", "That", "These", "Those", "It", "He", "She", "They", "We", "I", "You", "A", "An", "But", "And", "Or",
    "His", "Her", "Their", "Its", "Our", "My", "Officials", "Democrats", "Republicans", "Police", "Sources", "Critics",
    "Experts", "Analysts", "Aides", "Supporters", "Others", "Some", "Many", "Several", "Both", "One", "Another", "Most",
    "Reporters", "Voters", "Residents", "Authorities", "Organisers", "Organizers", "Protesters", "Officers", "Lawmakers",
    "In", "On", "At", "As", "When", "While", "After", "Before", "Then", "Now", "Later", "Earlier", "Also", "Yet", "So",
    "Mr", "Mrs", "Ms", "Dr", "Sir", "Lord", "Lady", "Prof", "Senator", "President", "Minister", "Governor", "Mayor",
    "During", "Amid", "Among", "Within", "Without", "Whenever", "Whether", "Unlike", "Like", "Given", "Following", "Through",
    "Throughout", "Upon", "Until", "Unless", "Once", "Thus", "Indeed", "Perhaps", "Maybe", "Wait", "Yes", "Well", "Attorneys",
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "January", "February", "March",
    "April", "May", "June", "July", "August", "September", "October", "November", "December", "Today", "Yesterday",
}
_PARTY_WORDS = {"Democrat", "Democratic", "Republican", "GOP", "Independent", "Libertarian", "Tory", "Labour", "Conservative", "Liberal"}
_BEFORE_SUBJECT = {
    "candidate", "nominee", "hopeful", "frontrunner", "front-runner", "rival", "contender", "incumbent", "activist",
    "official", "delegate", "mogul", "billionaire", "advocate", "critic", "ally", "colleague", "expert", "analyst",
    "chair", "staff", "star", "legend", "senator", "congressman", "congresswoman", "secretary", "director",
    "and", "but", "or", "while", "as", "when", "after", "because", "that", "so", "then", "also", "though", "although",
    "if", "since", "where", "whereas", "yet", "still", "former", "late", "then-", "now", "meanwhile", "earlier", "later", "what",
}
_ROLE_LIKE = re.compile(r"(?:er|or|ist|ian|man|woman|person|ent|ant|ee|chief|head|host|anchor|aide|rep|sen|gov|sec|gen)$")
# Verbs that only report speech: after a quote ending in ? or !, "Name <verb>" is its attribution whatever follows
_PLAIN_SPEECH = {"said", "says", "asked", "asks", "told", "tells", "shouted", "yelled", "added", "adds", "replied", "replies", "wrote",
                 "tweeted", "chanted", "continued", "insisted", "demanded", "remarked", "responded", "quipped", "joked",
                 "answered", "exclaimed", "retorted", "countered", "repeated"}
_ANSWER = re.compile(r"\b(?:" + "|".join(sorted(_PLAIN_SPEECH)) + r")(?:\s+\w+ly)?\s*[,:]\s*$")
_NOT_ROLES = {"for", "or", "nor", "per", "her", "after", "over", "under", "never", "ever", "either", "neither", "other", "rather",
              "whether", "however", "sooner", "later", "than", "then", "when", "even", "between", "went", "meant", "sent", "spent"}
_SPEECH_OF = re.compile(
    r"[’']s?\s+(?:[\w-]+\s+){0,2}?(?:statement|tweet|tweets|response|reply|answer|post|words|view|promise|pledge|slogan|"
    r"catch ?phrase|remarks|comments|letter|email|memo|speech|message|claim|assertion|accusation|argument|op-ed|column|book|motto)\b"
)  # "Clinton's response", "Bush's Facebook post"
SPEAKER_LABELS = ("PERSON", "ORG")
# A possessor before a description and a name says whose, and does not speak: 'said Rubio's deputy campaign manager, Rich Beeson'
_POSSESSIVE_ROLE = re.compile(r"[’']s?\s+(?:[a-z][\w-]*\s+){0,3}[a-z][\w-]*\s*,?\s+[A-Z]")
# The US states as news writes them short (AP style), period included: places, whatever the model read
_STATE_SHORT = re.compile(
    r"(?:[A-Z][\w ]*,\s*)?(?:Ala|Ariz|Ark|Calif|Colo|Conn|Del|Fla|Ga|Ill|Ind|Kan|Kans|Ky|La|Md|Mass|Mich|Minn|Miss|Mo|Mont|"
    r"Neb|Nebr|Nev|N\.H|N\.J|N\.M|N\.Y|N\.C|N\.D|Okla|Ore|Pa|R\.I|S\.C|S\.D|Tenn|Tex|Vt|Va|Wash|W\.Va|Wis|Wyo)\.")
_ANY_MARK = re.compile("[“”\"]")
_DATELINE = re.compile(r"(?:,\s*[A-Z][\w.]*(?:\s+[A-Z][\w.]*)?)?\s*(?:\([^)]{1,30}\)\s*)?[-—–]")
_FORMAT_MARKS = " \n\u202a\u202b\u202c\u200e\u200f\ufeff"  # spaces and invisible direction marks
_OPENERS = "“"
_CLOSERS = "”"
MAX_AFTER_CHARS = 200  # how far after a quote its attribution is looked for
MAX_WHO_WORDS = 12  # "Morton Blackwell, the Republican National Committeeman from Virginia, told": 10
MAX_HEADLINE_WORDS = 30
MAX_PARSED_CHARS = 600  # a sentence longer than this is a list or a transcript: not parsed
MAX_SCARE_WORDS = 4  # a quote this short, in a sentence that names no one, is the writer's, not the last speaker's
MAX_OWNER_GAP = 6  # words between "Trump's claim" and the quote it leads into ("that President Barack Obama")
MIN_PRONOUN_VOTES = 2  # a person's 'he' or 'she' needs this many mentions followed by it (and twice the other's)
MAX_PRONOUN_CHARS = 200  # how far after a person's name the pronoun that tells 'he' from 'she' is looked for
MAX_PARSE_STEPS = 6  # how far up the tree from the quote a verb with a subject is looked for
SMALL_TOWN = 100_000  # a surname the model did not tag, or read as a place, may share its name with a town this small ("Hoover said")


@dataclass
class Quote:
    start: int  # offsets of the quoted words, without the quote marks
    end: int
    text: str
    speaker: str | None
    speaker_label: str | None
    cue: str | None


@dataclass
class _Piece:
    """A run of quoted text: the marks' offsets, and whether it goes on from the piece before."""

    open: int  # offset of the opening mark
    close: int  # offset just past the closing mark (or the end of the quoted text when left open)
    start: int  # the quoted words
    end: int
    continues: bool
    closed: bool


def _is_speech(words: str, said: _Said, told: bool = False) -> bool:
    """Whether quoted words are speech rather than a scare quote or a title.

    One or two words are speech only when someone is said to say them: a speech verb (`calling it
    "absurd"`) or the subject of the sentence (`Trump blamed it on "sickos"`). A short Title Cased
    phrase is a title; one ending in a period is a sentence only when a speech verb gives it
    (`Carson said: "They may not be."`, not `ABC's "This Week."`). `told`: the quote closes on a
    comma, ? or ! and the speech verb follows it ('"Savage," she said'), which is how speech is written.
    """
    tokens = words.split()
    if not tokens or (len(tokens) == 1 and not (said.attributed and tokens[0][:1].islower()) and not told):
        return False
    if len(tokens) == 2 and not said.attributed:
        return False
    letters = [t for t in tokens if t[:1].isalpha() and len(t) > 3]
    ends = r"[.!?,]$" if said.cue else r"[!?,]$|\.[^.]*\.$"
    title_case = letters and all(t[0].isupper() for t in letters) and not re.search(ends, words.strip())
    return told or not (title_case and len(tokens) <= 8)


def _direction(text: str, i: int) -> str:
    """'open' or 'close' for the quote mark at text[i]."""
    char = text[i]
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if char in _OPENERS:  # an opening mark typed where a closing one belongs: '"It's unusual,“ said Noble'
        return "close" if before in ",.?!" and (after.isspace() or after in ",.;:") else "open"
    if char in _CLOSERS:  # but a closing mark typed where a paragraph opens a quote: '\n”Sorry Sarah, ...!!” posted Geyer'
        if before == " " and after.isalnum():
            return "open"  # ... or after a space, before a word: 'to let policy aides ”get close to Ben ...”'
        return "open" if not text[text.rfind("\n", 0, i) + 1 : i].strip(_FORMAT_MARKS) and not after.isspace() else "close"
    if before.isspace() or before in "([{—–-/:;" or i == 0:
        return "open" if not after.isspace() else "close"
    return "close"


def _pieces(text: str, p_start: int, p_end: int, open_before: bool) -> tuple[list[_Piece], bool]:
    """The quoted runs of one paragraph, and whether a quote is left open at its end.

    `open_before`: the paragraph before ended inside a quote, so a mark opening this one continues it.
    """
    pieces: list[_Piece] = []
    current: int | None = None
    continues = False
    nested_end = -1
    for match in re.finditer(r"[“”\"]", text[p_start:p_end]):
        i = p_start + match.start()
        if i < nested_end:
            continue
        if _direction(text, i) == "open":
            if current is not None and _nested(text, current, i, p_end):
                nested_end = _nested(text, current, i, p_end)
                continue  # '"... isn't about “Equal Justice Under Law” anymore."': a quote inside the quote
            if current is not None:  # an opening mark inside a quote: the quote goes on in a new piece
                pieces.append(_trim(text, current, i, i, continues, closed=False))
                continues = True
            else:
                continues = open_before and not text[p_start:i].strip()
            current = i
        elif current is not None:
            pieces.append(_trim(text, current, i, i + 1, continues, closed=True))
            current = None
        open_before = False
    if current is not None:
        pieces.append(_trim(text, current, p_end, p_end, continues, closed=False))
    return pieces, current is not None


def _nested(text: str, outer: int, inner: int, p_end: int) -> int:
    """Where a quote opened at `inner`, inside the one opened at `outer` with the other kind of mark
    (straight or curly), closes: just past its closing mark of its own kind, found before any mark of
    the outer kind; 0 when it is not such a quote inside the quote."""
    straight = text[inner] == '"'
    if straight == (text[outer] == '"') or not text[outer + 1 : inner].strip():
        return 0  # '"“You don’t win ...,”': a mark typed twice
    for match in re.finditer(r"[“”\"]", text[inner + 1 : p_end]):
        i = inner + 1 + match.start()
        if (text[i] == '"') != straight:
            return 0  # the outer kind comes first: not nested
        if _direction(text, i) == "close":
            return i + 1
    return 0


def _trim(text: str, open_at: int, end: int, close: int, continues: bool, closed: bool) -> _Piece:
    start = open_at + 1
    while end > start and text[end - 1] in " ,\n":
        end -= 1
    while start < end and text[start] == " ":
        start += 1
    return _Piece(open_at, close, start, end, continues, closed)


def _sentence_ends(text: str, start: int, end: int) -> Iterator[int]:
    """Offsets where a sentence of text[start:end] ends (after its final punctuation and marks).

    An opening quote mark or a number ("72-year-old Tom Baker said") can start a sentence; "Gov. Jim
    Hodges" and "U.S. officials" do not end one.
    """
    for match in _SENTENCE_END.finditer(text, start, min(len(text), end + 1)):
        if match.start() >= end:
            break
        if text[match.start()] == "." and _ABBREVIATION.search(text, max(0, match.start() - 12), match.start()):
            continue
        yield match.end()


def _sentence_span(text: str, floor: int, ceiling: int, position: int) -> tuple[int, int]:
    """The sentence of text[floor:ceiling] that holds `position`."""
    start = floor
    for boundary in _sentence_ends(text, floor, ceiling):
        if boundary > position:
            return start, boundary
        start = boundary
    return start, ceiling


class _Resolver:
    """Turns a span of text that names a speaker into a canonical name, tracking who spoke last."""

    def __init__(self, text: str, mentions: Sequence[Mention]) -> None:
        self.text = text
        mentions = _untagged_surnames(text, _knights(text, _surnames_read_as_places(_across_odd_spaces(text, mentions))))
        # The words of the article's places, but not the last word of a person's full name ("Trump" of
        # "Donald Trump" also tagged as a place); for an untagged name, nor a surname read as a place
        # ("Husted said") unless the model also tagged it as a one-word person (then it is a place: "Wexbury said")
        surnames = {key(m.name).split()[-1] for m in mentions if m.label == "PERSON" and " " in m.name.strip()}
        people = {key(m.name) for m in mentions if m.label == "PERSON"}
        self.places = {key(w) for m in mentions if m.label in ("GPE", "LOC") for w in m.name.split()} - surnames
        self.untagged_places = self.places - {key(m.name) for m in mentions if self._surname_read_as_place(m) and key(m.name) not in people}
        self.mentions = sorted((m for m in mentions if _can_speak(m, self.places) and not _dateline(text, m)), key=lambda m: m.start)
        self.all_mentions = sorted(mentions, key=lambda m: m.start)
        self.lower_words = set(re.findall(r"\b[a-z][\w’'-]*", text))
        titled = ((m, m.role or self._introduced_role(m)) for m in self.mentions if m.label == "PERSON")
        self.roles: list[tuple[int, str, str]] = [(m.start, key(role), m.name) for m, role in titled if role]
        self.genders = _genders(text, [m for m in self.mentions if m.label == "PERSON"])
        self.people_seen: list[str] = []  # the people who spoke or were a subject, in the order of the text
        self.recent: _Said | None = None  # who spoke last in this paragraph, by a quote or a speech verb

    @property
    def last_person(self) -> str | None:
        return self.people_seen[-1] if self.people_seen else None

    @last_person.setter
    def last_person(self, name: str | None) -> None:
        if name:
            self.people_seen.append(name)

    def person_for(self, pronoun: str) -> str | None:
        """Who 'he' or 'she' is: the last person seen, unless the article calls them by the other
        pronoun ("Clinton ... she"): then the last person seen that it does not."""
        wanted = pronoun.casefold()
        return next((name for name in reversed(self.people_seen) if self.genders.get(name, wanted) == wanted), None)

    def _introduced_role(self, m: Mention) -> str:
        """The title a person is introduced with in short ("Sen. Mary Jones" is "the senator" after) or
        in apposition ("Mary Jones, the mayor of Wexbury," is "the mayor"), or ""."""
        title = _ABBREVIATED_TITLE.search(self.text, max(0, m.start - 8), m.start)
        if title:
            return _ABBREVIATED_TITLES[title.group(1).casefold()]
        apposition = _ROLE_IN_APPOSITION.match(self.text, m.end)
        return apposition.group(1) if apposition else ""

    def in_span(self, start: int, end: int) -> list[Mention]:
        return [m for m in self.mentions if m.start >= start and m.end <= end]

    def _role(self, phrase: str, before: int) -> str | None:
        wanted = key(phrase)
        office = set(wanted.split()) & _OTHER_OFFICE  # "the deputy prime minister" is not "the prime minister"
        known = [(pos, role, name) for pos, role, name in self.roles if pos < before and set(role.split()) & _OTHER_OFFICE == office]
        for _, role, name in sorted(known, reverse=True):
            if role == wanted or role.endswith(" " + wanted) or wanted.endswith(" " + role):
                return name
        head = wanted.split()[-1]  # "the Tory leader" after "Conservative leader Michael Howard"
        people = {name for _, role, name in known if role.split()[-1] == head}
        return people.pop() if len(people) == 1 else None

    def _is_subject(self, m: Mention, floor: int) -> bool:
        """Whether a mention can be the subject of a verb after it: not "Clinton’s", "of Trump",
        "endorsed Clinton", "a Clinton supporter", "Steele, who beat Perez,"."""
        after = self.text[m.end : m.end + 20]
        if re.match(r"[’']s?\b", after) or re.search(r"[’']s?$", m.text) or _MODIFIES.match(after) or _HOLDS_ROLE.match(after):
            return False
        lead = m.start
        if m.role and self.text[max(floor, m.start - len(m.role) - 1) : m.start].strip() == m.role:
            lead = m.start - len(m.role) - 1  # "wrote to Attorney General Loretta Lynch": the words before the title
        if _PREPOSITION_BEFORE.search(self.text[max(floor, lead - 40) : lead]) or re.search(
                r",\s*(?:who|which|whom|whose|where|when)\b[^,]*$", self.text[max(floor, m.start - 120) : m.start]):
            return False
        before = self.text[max(floor, m.start - 40) : m.start]
        word = re.search(r"\b([a-z][\w’'-]*)\s+$", before)
        return word is None or word.group(1) in _BEFORE_SUBJECT or bool(_ROLE_LIKE.search(word.group(1)))

    def subject_before(self, start: int, end: int) -> tuple[str | None, str | None]:
        """Who does what the speech verb at `end` says.

        After a finite verb ("said"): the closest name before it, else a role or a pronoun. After a
        participle ("..., saying"): the subject of the sentence, the name that opens it.
        """
        earlier = [c for c in _CUE.finditer(self.text, start, end) if c.end() < end - 4]
        if earlier and re.search(r"\b(?:and|but|then)\s+(?:also\s+|later\s+)?$", self.text[start:end]):
            return self.subject_before(start, earlier[-1].start())  # "Graham said that Carson is ..., and said"
        opener = self.opener(start, end) if re.search(r"\b(?:and|but|then)\s+(?:also\s+|later\s+)?$", self.text[start:end]) else None
        if opener:  # "Sanders has cast Clinton as unqualified and accused her": the subject of both verbs, not the object of the first
            return opener
        pronoun = _PRONOUN_AT_END.search(self.text, start, end)
        if pronoun and (person := self.person_for(pronoun.group(1))):
            return person, "PERSON"  # "... to Lord Ashcroft after he said": he, not Ashcroft
        found = [m for m in self.in_span(start, end) if self._is_subject(m, start)]
        participle = re.match(r"\w+ing\b", self.text[end : end + 12])
        adjacent = None if participle else self.adjacent(start, end)
        if adjacent:
            return adjacent
        spoken_for = self.speaks_for(start, end)  # "A spokeswoman for the committee emailed"
        if spoken_for:
            return spoken_for
        verb = participle and re.search(_CUE.pattern + r"(?:\s[^,;“”\"]{0,40},|,?)\s*$", self.text[start:end])
        if verb:  # "Ryan will meet him, Spicer said, adding", "Giuliani said in a phone interview, adding": the subject of the verb it goes with
            return self.subject_before(start, start + verb.start())
        if participle:
            with_name = [m for m in self.in_span(start, end) if re.fullmatch(r"\s*(?:[a-z]+ly\s+)?", self.text[m.end : end])
                         and re.search(r"(?:\bwith|\band|\s[–—-])\s+(?:[A-Z][\w.]*\s+){0,3}$", self.text[max(start, m.start - 40) : m.start])]
            if with_name:  # "..., with Donald Trump tweeting that", "- Ryan saying ... and Trump calling": the participle's own subject
                return with_name[-1].name, with_name[-1].label
            opener = self.opener(start, end)
            if opener:
                return opener
            pronoun = _PRONOUN_AT_START.match(self.text[start:end])
            if pronoun:  # "He endorsed Clinton, saying": he, not Clinton
                person = self.person_for(pronoun.group(1))
                return (person, "PERSON") if person else (None, None)
            # "Husted continued by saying", "Weaver seemed unimpressed with Sanders' remarks, telling": an untagged
            # subject; else no one, not the last name before the participle (its object: "wrote to Lynch asking")
            return self.bare_name(self.text[start:end], at_end=False, subject=True, at=start) or (None, None)
        bare_end = start + len(_trailing_asides(self.text[start:end]))  # "Zimmerman, who identifies as Hispanic, told"
        # "Priorities USA, a pro-Clinton super PAC, emailed": an apposition that opens with "a" describes, it does not speak
        found = [m for m in found if not re.search(r",\s+(?:a|an)\s[^,]*$", self.text[start : m.start])]
        people = [m for m in found if m.label == "PERSON"]
        if people:
            return people[-1].name, "PERSON"
        return self._by_words(self.text[start:end], start, _ROLE_AT_END, _PRONOUN_AT_END) or (
            (found[-1].name, found[-1].label) if found else self.bare_name(self.text[start:bare_end], at_end=True, at=start)
            or self.bare_name(self.text[start:end], at_end=False, subject=True, at=start) or (None, None))

    def speaks_for(self, start: int, end: int) -> tuple[str, str] | None:
        """Whom the unnamed spokesperson, reporter or text that opens text[start:end] speaks for ("A
        spokeswoman for the House Armed Services Committee", "a fundraising email sent out by Sanders"),
        when no one is named before ("Rick Tyler, a spokesman for Ted Cruz" is Tyler)."""
        named = [m for m in self.all_mentions if start <= m.start < end]
        if named and _SPEAKS_FOR.match(self.text[start : named[0].start]) and _can_speak(named[0], self.places):
            return named[0].name, named[0].label
        return None

    def adjacent(self, start: int, end: int) -> tuple[str | None, str | None] | None:
        """The name right before a speech verb ("..., the Washington Post reported", "Ash wrote")."""
        gap = self.text[start:end]
        if re.search(r",\s*(?:who|which|whom|whose|where|when)\b[^,]*,\s*$", gap):
            return None  # "Small, who attended the rally on Wednesday, said"
        apposition = _APPOSITIONS.search(gap)
        if apposition and apposition.start() > 0:  # "Adam Green, co-founder of the Progressive Change Committee, said"
            end = start + apposition.start()
            gap = self.text[start:end]
        auxiliary = re.search(r"(?:\s+(?:has|have|had|was|is|also|once|later|then|would|will|previously|repeatedly|has long|went on to|goes on to))+\s*$", gap)
        if auxiliary:  # "President Obama has called"
            end -= len(auxiliary.group(0))
            gap = self.text[start:end]
        tail = len(gap) - len(gap.rstrip(" ,"))
        for m in self.all_mentions:
            if start <= m.start and end - tail - 2 <= m.end <= end - tail:
                if _PREPOSITION_ONLY_BEFORE.search(self.text, max(start, m.start - 20), m.start) or _OBJECT_OF_CLAUSE.search(
                        self.text, max(start, m.start - 30), m.start):
                    return None  # "Another member of the Cabinet says", "Voters who backed Sanders said"
                if _can_speak(m, self.places):
                    return m.name, m.label
                if self._surname_read_as_place(m):
                    return m.name, "PERSON"  # "Wertheim said", the model reading a surname as a town
                if self._organisation_read_as_place(m):
                    return m.name, "ORG"  # "Verizon said", the model reading a company as a place
                return None
        bare = self.bare_name(gap, at_end=True)
        if bare and gap.rstrip(" ,").endswith(self.text[end - tail - len(bare[0].split()[-1]) : end - tail]):
            return bare
        return None

    def _surname_read_as_place(self, m: Mention) -> bool:
        """A "place" of one or two words right before a speech verb ("Wertheim said", "Sundar Katwala
        said") none of which a gazetteer knows as a large place, and that the article never writes as
        a place ("in Wertheim", "from Bloomberg")."""
        words = m.name.split()
        if m.label not in ("GPE", "LOC") or len(m.name) < 5 or len(words) > 2 or self._abbreviated(m):
            return False  # not "R-Fla.", "(Tex.)", "of Fresno, Calif. said"
        if any(is_known_place(w, SMALL_TOWN) for w in [m.name, *words]):
            return False
        return not re.search(rf"\b(?:in|from|to|at|near|of|across|outside)\s+{re.escape(m.text)}\b", self.text)

    def _organisation_read_as_place(self, m: Mention) -> bool:
        """A one-word "place" right before a speech verb that is no place at all ("Verizon said in a
        statement"): no gazetteer knows it (a country, a state, a city of 15,000 people), the article
        never writes it where a place goes ("in Verizon", "near", "across", "outside", "throughout";
        "at Verizon" and "a statement from Verizon" are said of companies too), and it is no dateline
        nor an abbreviation. On PolNeAR train it gives 1 more right speaker and no wrong one."""
        if m.label not in ("GPE", "LOC") or " " in m.name.strip() or len(m.name) < 4 or is_known_place(m.name):
            return False  # one word: a longer "place" ("North Wexbury Heights") is a place
        if _dateline(self.text, m) or self._abbreviated(m):
            return False  # nor an abbreviation: "of Flint, Mich., said" names a state
        return not re.search(rf"\b(?:in|near|across|outside|throughout|around|into)\s+(?:the\s+)?{re.escape(m.text)}\b", self.text)

    def _abbreviated(self, m: Mention) -> bool:
        """Whether a mention ends in an abbreviation's period that no sentence end follows ("Mich.,",
        "Mich. said", "Calif.)"): a state, written short, never a surname nor a company."""
        return bool(re.match(r"\w?\.\s*(?:[,;)]|[a-z])", self.text[m.end - 1 : m.end + 4]))

    def opener(self, start: int, end: int) -> tuple[str, str] | None:
        """The person or organisation that opens text[start:end] as its subject ("But Cruz, leading in Iowa, ...")."""
        lead = _SENTENCE_OPENERS.match(self.text[start:end])
        begin = start + (lead.end() if lead else 0)
        for _ in range(2):  # "In city after city, Perez ...", "Moreover, as part of the exchange with Clinton, Gowdy ..."
            adverbial = re.match(r"[^,;]{0,40}?,\s*", self.text[begin:end])
            if adverbial and len(adverbial.group(0).split()) <= 5 and not self.in_span(begin, begin + adverbial.end()):
                begin += adverbial.end()
                continue
            adverbial = _INTRODUCTORY.match(self.text, begin, end)
            if adverbial:
                begin = adverbial.end()
        if _PARTICIPLE_CLAUSE.match(self.text, begin, end):
            return None  # "Acknowledging that Trump "says a lot of stupid stuff," though, Allen ...": the clause's subject
        found = self.in_span(begin, end)
        for n, m in enumerate(found):
            if m.start > begin + 60 or re.search(r"[,;]", self.text[begin : m.start]):
                return None
            following = found[n + 1] if n + 1 < len(found) else None
            in_role = following and following.role and m.start >= following.start - len(following.role) - 1  # "Clinton Communications Director X"
            between = self.text[m.end : following.start].split() if following else []
            described = any(w not in _NOT_ROLES and _ROLE_LIKE.search(w) for w in between)  # "Former Obama speechwriter Jon Favreau"
            if (following and following.label == "PERSON" and (m.label == "ORG" or in_role or described
                                                                or _MODIFIES.match(self.text[m.end : following.start]))
                    and all(w[:1].isupper() or _ROLE_LIKE.search(w) or _MODIFIES.match(" " + w)
                            for w in self.text[m.end : following.start].split())):
                return following.name, "PERSON"  # "American Bridge President Jessica Mackler", "Clinton campaign manager Robby Mook"
            if not self._is_subject(m, start):
                return None
            return m.name, m.label
        return None

    def untagged_opener(self, start: int, end: int) -> tuple[str, str] | None:
        """An untagged surname of a person of the article that opens text[start:end] as its subject
        ("Trump blamed it on "sickos"" where the model tagged only "Donald Trump" elsewhere)."""
        bare = self.bare_name(self.text[start:end], at_end=False, subject=True, at=start)
        return bare if bare and bare[0] in {m.name for m in self.mentions if m.label == "PERSON"} else None

    def possessor(self, start: int, end: int) -> tuple[str, str] | None:
        """Whose words a sentence quotes when it names them by a possessive ("Clinton's response was:
        "..."", "From Bush's Facebook post: "..."", "in Bolton's view"): the one such person or organisation."""
        owners = {(m.name, m.label) for m in self.in_span(start, end)  # the model may tag the possessive with the name
                  if _SPEECH_OF.match(self.text, m.end - len(re.search(r"(?:[’']s?)?$", m.text).group(0)))}
        return owners.pop() if len(owners) == 1 else None

    def owner_before(self, start: int, end: int) -> tuple[str, str] | None:
        """Whose words, named by a possessive, lead into the quote that opens at `end` ("Donald Trump's
        claim that Obama "founded ISIS"", "called Clinton's assertion of a "claim of right""): the
        closest such possessive, then "that", "of" or a colon, with no speech verb between it and the
        quote, and a few words at most ("Ginsburg's comments "show bias"" are someone else's words on hers)."""
        if not self.possessor(start, end):
            return None  # none, or two ("Jeb Bush's post and John Kasich's reply:")
        for m in reversed(self.in_span(start, end)):
            words = _SPEECH_OF.match(self.text, m.end - len(re.search(r"(?:[’']s?)?$", m.text).group(0)))
            if words:
                gap = self.text[words.end() : end]
                led = re.match(r"\s*(?:(?:is|was)\s+)?(?:that\b|of\b|:)", gap)  # not "denounced Trump's remarks as "hurtful""
                short = len(gap.split()) <= MAX_OWNER_GAP and not _CUE.search(gap) and not _ANY_MARK.search(gap)
                return (m.name, m.label) if led and short else None
        return None

    def named_after(self, start: int, end: int) -> tuple[str | None, str | None]:
        """Who a phrase names, reading from its start: 'Morton Blackwell, a party official,' /
        'Huckabee campaign spokesman Hogan Gidley' / 'he' / 'the minister'."""
        span = self.text[start:end]
        spoken_for = self.speaks_for(start, end)
        if spoken_for:  # 'said a lawyer for Clinton'
            return spoken_for
        role = _ROLE_AT_START.search(span)
        named = role and any(m.label == "PERSON" and 0 <= m.start - (start + role.end()) <= 2 for m in self.mentions)
        lead = None if named else self._by_words(span, start, _ROLE_AT_START, _PRONOUN_AT_START)
        if lead:  # "the minister", "he"; but "Vice President Joe Biden" names him
            return lead
        head = re.match(r"\s*[,—–-]?\s*[^,;(]*", span)
        head_end = start + (head.end() if head else len(span))
        if any(self.possessive_role(m) for m in self.in_span(start, head_end)):
            named = next((m for m in self.in_span(head_end, end) if not self.text[head_end : m.start].strip(" ,")), None)
            if named and named.label == "PERSON":  # 'said Rubio's deputy campaign manager, Rich Beeson, who oversaw Romney's ...'
                return named.name, named.label
        for segment in ((start, head_end), (start, end)):
            found = [m for m in self.in_span(*segment) if not _PREPOSITION_BEFORE.search(self.text, max(start, m.start - 20), m.start)
                     and not self.modifies(m) and not self.possessive_role(m)]
            people = [m for m in found if m.label == "PERSON"]
            if people:
                return people[-1].name, "PERSON"
            if found:
                return self._titled_after(found[0], head_end) or (found[0].name, found[0].label)
            untagged = self.bare_name(self.text[start:head_end], at_end=False)
            if untagged:  # 'tweeted Prince Alwaleed, the nephew of the late King Abdullah': him, untagged, not a name after him
                return untagged
        misread = [m for m in self.all_mentions if start <= m.start and m.end <= head_end and self._surname_read_as_place(m)]
        if misread and not self.text[start : misread[0].start].strip(" ,"):
            return misread[0].name, "PERSON"  # 'said Iampaglia, who graduated in 2009'
        return self.bare_name(self.text[start:head_end], at_end=False) or self._described(start, head_end) or (None, None)

    def _titled_after(self, m: Mention, end: int) -> tuple[str, str] | None:
        """An untagged person named after an organisation and a title ('said United Auto Workers
        Secretary-Treasurer Gary Casteel'): the person speaks, not the organisation."""
        named = _TITLED_NAME.fullmatch(self.text[m.end : end].rstrip(" ."))
        if not named or not any(w.casefold() in TITLE_WORDS for w in re.split(r"[-\s]+", named.group(1))):
            return None
        return strip_titles(named.group(2))[0], "PERSON"

    def possessive_role(self, m: Mention) -> bool:
        """Whether a name is the possessor of a description that a name follows ('Rubio's deputy
        campaign manager, Rich Beeson'; the model may tag the possessive with the name): it says whose."""
        return bool(_POSSESSIVE_ROLE.match(self.text, m.end - len(re.search(r"(?:[’']s?)?$", m.text).group(0))))

    def modifies(self, m: Mention) -> bool:
        """Whether a person's name modifies the noun after it ('a Republican Smith adviser', 'a Clinton
        spokesman', 'a Sanders campaign aide', also read as an organisation): it says whose adviser,
        and the adviser speaks. An organisation's official speaks for it ('a White House official')."""
        if not _MODIFIES.match(self.text, m.end) or m.name.isupper():
            return False  # "a BAA spokesman": an acronym names an organisation, whatever the model read
        return m.label == "PERSON" or self.person_ending(m.name) is not None

    def _described(self, start: int, end: int) -> tuple[str, str] | None:
        """An untagged full name that ends a short description after a speech verb ('said Oversight
        ranking Democrat Elijah Cummings (D-Md.)'): two or more capitalised words, without a party name before them."""
        head = re.sub(r"\s*\([^)]*\)?\s*$", "", self.text[start:end]).rstrip(" .")
        bare = self.bare_name(head, at_end=True)
        if not bare:
            return None
        words = bare[0].split()
        if words[-1] in _PARTY_WORDS:
            return None  # 'said a New Hampshire Democrat': someone not named
        while len(words) > 2 and words[0].strip(".,") in _PARTY_WORDS:
            words = words[1:]
        return (" ".join(words), bare[1]) if len(words) > 1 else None  # not 'said the groups that run super PACs'

    def bare_name(self, phrase: str, at_end: bool, subject: bool = False, at: int | None = None) -> tuple[str, str] | None:
        """A capitalised name the model did not tag ("Manchin said", "said J.J. MacNab", with
        `subject` "Pence went on to say"), as the full name of a person of the article when one
        ends with it. With `at` (where the phrase is in the text), a name the model did tag is not
        read again: the rules set it aside ("Clinton campaign staff said", "Voters who backed Sanders said")."""
        match = (_BARE_AT_END if at_end else _BARE_SUBJECT if subject else _BARE_AT_START).search(phrase)
        if not match or (at is not None and any(m.start < at + match.end(1) and at + match.start(1) < m.end for m in self.all_mentions)):
            return None
        words = strip_titles(match.group(1))[0].split()
        titled = [n for n, w in enumerate(words[:-1]) if w.casefold().strip(".,") in TITLE_WORDS and w[:1].isupper()]
        words = words[titled[-1] + 1 :] if titled and len(words) - titled[-1] > 2 else words  # "Phoenix Mayor Greg Stanton"
        while at_end and len(words) > 1 and words[0] in _NOT_NAMES:
            words = words[1:]  # "As Vulture put it", "But Manchin said": the name after the sentence's first word
        if not words or words[0] in _NOT_NAMES:
            return None
        if subject and len(words) == 1 and words[0].endswith("ing") and re.match(r"\s+[a-z]", phrase[match.end(1) :]):
            return None  # "Standing beside the mayor, ...": a participle, not a surname ("Manning said")
        if subject and len(words) == 1 and words[0].endswith("ed") and re.match(r"\s+(?:by|to|about|on|for|with|at|in)\b", phrase[match.end(1) :]):
            return None  # "Reached by phone, ...", "Asked about it, ..." ("Reed said" is a surname)
        if subject and re.search(r"[’']s?$", words[-1]):
            return None  # "Saturday's debate": a possessive is not the subject
        if at_end and _PREPOSITION_BEFORE.search(phrase[: match.start(1)]):
            return None  # "George Zornick of The Nation wrote": not The Nation
        person = self.person_ending(words[-1])  # before the checks below: "De Blasio said" when the article also writes "de"
        if person:
            return person, "PERSON"
        surname = words[1:] or words  # a first name may be a word of the article: "Will Estrada" beside "will"
        if key(words[-1]) in self.untagged_places or any(w.lower() in self.lower_words for w in surname if w.lower() != w):
            return None  # "Women in full-time work ..." when the article also writes "women"
        if len(words) == 1 and is_known_place(words[0], SMALL_TOWN):
            return None
        return " ".join(words), "PERSON"

    def person_ending(self, name: str) -> str | None:
        """The person of the article whose name ends with the last word of `name` (the last one mentioned)."""
        last = key(name).split()[-1:]
        return next((m.name for m in reversed(self.mentions) if m.label == "PERSON" and key(m.name).split()[-1:] == last), None)

    def _by_words(self, span: str, start: int, role_pattern: re.Pattern[str], pronoun_pattern: re.Pattern[str]) -> tuple[str, str] | None:
        role = role_pattern.search(span)
        if role:
            name = self._role(role.group(1), start)
            if name:
                return name, "PERSON"
        pronoun = pronoun_pattern.search(span)
        if pronoun and (person := self.person_for(pronoun.group(1))):
            return person, "PERSON"
        return None

    def note_subjects(self, start: int, end: int) -> None:
        """Who is the subject of each speech verb in text[start:end] (between quotes)."""
        sentence_start = start
        for boundary in [*_sentence_ends(self.text, start, end), end]:
            opener = self.opener(sentence_start, boundary)
            if opener and opener[1] == "PERSON":
                self.last_person = opener[0]  # "Keir Starmer visited the factory. He said: ..."
            for cue in _CUE.finditer(self.text, sentence_start, boundary):
                name, label = self.subject_before(sentence_start, cue.start())
                if name:
                    self.recent = _Said(name, label, cue.group(1))
                if name and label == "PERSON":
                    self.last_person = name
            sentence_start = boundary


_PRONOUN = re.compile(r"\b(he|him|his|she|her|hers)\b", re.I)


def _genders(text: str, people: list[Mention]) -> dict[str, str]:
    """'he' or 'she' for each person the article calls by one of them: the pronoun that first follows
    their mentions (before the next person's), when it follows at least two of them and twice as many as the other."""
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for n, m in enumerate(people):
        end = min(people[n + 1].start if n + 1 < len(people) else len(text), m.end + MAX_PRONOUN_CHARS)
        pronoun = _PRONOUN.search(text, m.end, end)
        if pronoun:
            votes[m.name]["she" if pronoun.group(1).casefold() in ("she", "her", "hers") else "he"] += 1
    return {name: gender for name, counts in votes.items() for gender, other in (("he", "she"), ("she", "he"))
            if counts[gender] >= max(MIN_PRONOUN_VOTES, 2 * counts[other])}


def _surnames_read_as_places(mentions: Sequence[Mention]) -> list[Mention]:
    """The mentions, a one-word "place" that is the surname of the one person the article named
    before with that surname read as that person ("Cornel West ... West landed a dig at")."""
    first_seen: dict[str, dict[str, int]] = defaultdict(dict)  # surname -> full name -> where first named
    for m in mentions:
        words = key(m.name).split()
        if m.label == "PERSON" and len(words) > 1:
            first_seen[words[-1]].setdefault(m.name, m.start)
    people = {key(m.name) for m in mentions if m.label == "PERSON" and m.name.strip()}
    surnames = {name.split()[-1] for name in people}
    out = []
    for m in mentions:
        words = m.name.split()
        named = first_seen.get(key(m.name), {}) if m.label in ("GPE", "LOC") and len(words) == 1 else {}
        if len(named) == 1 and next(iter(named.values())) < m.start:
            m = replace(m, name=next(iter(named)), label="PERSON")
        elif (m.label in ("GPE", "LOC") and len(words) == 2 and key(words[-1]) in surnames
              and not any(f" {name}".endswith(f" {key(m.name)}") for name in people)):  # not "Le Pen" of "Marine Le Pen"
            m = replace(m, label="PERSON")  # "Matdos Santos" read as a place, the article's "dos Santos" a person
        out.append(m)
    return out


_ODD_SPACE = r"[^\S\n\r\t ]"  # a no-break space (U+00A0) or another Unicode space inside a line
_WORD_BEFORE_ODD_SPACE = re.compile(r"(?<![\w’'.-])([A-Z][\w’'.-]*)" + _ODD_SPACE + r"+$")
_WORDS_AFTER_ODD_SPACE = re.compile(r"(?:" + _ODD_SPACE + r"+(?!(?:" + "|".join(sorted(_NOT_NAMES)) + r")\b)[A-Z][\w’'-]*)+")


def _across_odd_spaces(text: str, mentions: Sequence[Mention]) -> list[Mention]:
    """The mentions, each person's or organisation's read across the no-break or other Unicode
    spaces web text puts inside names: the model splits "Stu<U+00A0>Burguiere" into two tokens and
    tags "Stu" alone. The text keeps its spaces (offsets stay right); the name reads "Stu Burguiere"."""
    out: list[Mention] = []
    for m in sorted(mentions, key=lambda m: m.start):
        if out and out[-1].start <= m.start and m.end <= out[-1].end:
            continue  # "Burguiere", tagged too: now inside "Stu Burguiere"
        if m.label not in SPEAKER_LABELS:
            out.append(m)
            continue
        start, end = m.start, m.end
        before = _WORD_BEFORE_ODD_SPACE.search(text, max(0, start - 30), start)
        if (before and before.group(1) not in _NOT_NAMES and before.group(1).casefold() not in TITLE_WORDS
                and not before.group(1).endswith(".") and not (out and out[-1].end > before.start())):  # not "But", "Gov."
            start = before.start()
        after = _WORDS_AFTER_ODD_SPACE.match(text, end)
        end = after.end() if after else end
        if (start, end) != (m.start, m.end):
            m = replace(m, start=start, end=end, text=text[start:end], name=clean(text[start:end], m.label))
        out.append(m)
    return out


_KNIGHTED = re.compile(r"\b(?:Sir|Dame)\s+\S+$")


def _knights(text: str, mentions: list[Mention]) -> list[Mention]:
    """The mentions, "Sir John" (a knight or dame named by the first name, the British way) read as
    the one person of the article with that first name ("Sir John Bourn")."""
    by_first: dict[str, set[str]] = defaultdict(set)  # full names written after the title themselves, not any John
    for m in mentions:
        if m.label == "PERSON" and len(m.name.split()) > 1 and _KNIGHTED.search(text[max(0, m.start - 6) : m.start] + m.name.split()[0]):
            by_first[m.name.split()[0]].add(m.name)
    out = []
    for m in mentions:
        if m.label == "PERSON" and " " not in m.name and _KNIGHTED.search(text[max(0, m.start - 6) : m.end]):
            names = by_first.get(m.name, set())
            m = replace(m, name=next(iter(names))) if len(names) == 1 else m
        out.append(m)
    return out


def _untagged_surnames(text: str, mentions: list[Mention]) -> list[Mention]:
    """The mentions, and every untagged occurrence of the surname of a person the article names in
    full (only one person with that surname), as that person: the small model misses many ("Kasich
    said" after "John Kasich")."""
    full: dict[str, set[str]] = defaultdict(set)
    for m in mentions:
        words = m.name.split()
        if m.label == "PERSON" and len(words) > 1 and words[-1][:1].isupper() and len(words[-1]) > 2:
            full[words[-1]].add(m.name)
    lower = set(re.findall(r"\b[a-z][\w’'-]*", text))  # not "Will", "May": words the article also writes as words
    unique = {surname: names.pop() for surname, names in full.items() if len(names) == 1 and surname.lower() not in lower
              and surname not in _NOT_NAMES}
    if not unique:
        return mentions
    taken = sorted((m.start, m.end) for m in mentions)
    found = []
    for match in re.finditer(r"(?<![\w’'-])(" + "|".join(map(re.escape, sorted(unique, key=len, reverse=True))) + r")(?![\w-])", text):
        at = bisect_left(taken, (match.end(), 0))
        if at and taken[at - 1][1] > match.start():
            continue  # inside a tagged mention
        if _MODIFIES.match(text[match.end() : match.end() + 20]):
            continue  # "a Trump official", "the Biden campaign", "Sanders supporters": someone else speaks
        before = re.search(r"([A-Z][\w.’'-]*)\s$", text[max(0, match.start() - 20) : match.start()])
        if before and before.group(1) not in _NOT_NAMES and before.group(1).casefold() not in TITLE_WORDS:
            continue  # "Chelsea Clinton": part of a longer name ("But Clinton", "Gov. Kasich" are not)
        found.append(Mention(match.start(), match.end(), match.group(1), unique[match.group(1)], "PERSON"))
    return sorted([*mentions, *found], key=lambda m: m.start)


def _trailing_asides(phrase: str) -> str:
    """The phrase without the relative clauses and appositions that close it."""
    relative = re.search(r",\s*(?:who|which|whom|whose|where|when)\b[^,]*,\s*$", phrase)
    if relative:
        return phrase[: relative.start()]
    apposition = _APPOSITIONS.search(phrase)
    return phrase[: apposition.start()] if apposition and apposition.start() > 0 else phrase


def _can_speak(m: Mention, places: Collection[str] = ()) -> bool:
    """People and organisations speak, places do not. A one-word "organisation" that is a place name
    ("Croydon said") is the council or the town; so is a one-word "person" that the article also
    names as a place ("Residents of Swansea ... Swansea said"), and a US state written short
    ("residents of Flint, Mich. said", the model's "Mich." an organisation or a person). "Obama said"
    stays a person."""
    if m.label not in SPEAKER_LABELS or _STATE_SHORT.fullmatch(m.name.strip()):
        return False
    if " " in m.name:
        return True
    return key(m.name) not in places and not (m.label == "ORG" and is_known_place(m.name))


def _dateline(text: str, m: Mention) -> bool:
    """Whether a mention is the place a story was filed from, in capitals where a paragraph opens
    ("JACKSON, Miss. - U.S. District Judge ...", "WASHINGTON (Reuters) -"): a place, whatever the model read."""
    opens = not text[text.rfind("\n", 0, m.start) + 1 : m.start].strip()
    return opens and m.text.isupper() and bool(_DATELINE.match(text, m.end))


# A line that is nothing but an attribution ("Ann Fox said.", "said Ann Fox."): no paragraph of its own
_ATTRIBUTION_LINE = re.compile(r"[^\S\n]*(?:(?:[A-Z][\w.’'-]*\s+){1,4}(?:" + "|".join(sorted(_PLAIN_SPEECH)) + r")|(?:"
                               + "|".join(sorted(_PLAIN_SPEECH)) + r")(?:\s+[A-Z][\w.’'-]*){1,4})\.[^\S\n]*(?:\n|$)")


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """The spans of the text's paragraphs, each ended by a line break, except a single one right
    after a closing quote mark that its attribution follows (hard-wrapped text): after a comma, the
    sentence goes on ('"...,"<break>Ann Fox told the hall.'); after a period, a question or an
    exclamation, when the next line is nothing but the attribution ('"Why?"<break>Ann Fox said.')."""
    spans, start = [], 0
    for match in re.finditer(r"\n+", text):
        closed = re.search(r"([,.?!])[”\"][^\S\n]*$", text[max(start, match.start() - 8) : match.start()])
        if match.group(0) == "\n" and closed and (closed.group(1) == "," or _ATTRIBUTION_LINE.match(text, match.end())):
            continue
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]


def _headline_end(text: str, paragraphs: list[tuple[int, int]]) -> int:
    """End of the headline: a first paragraph of one short sentence followed by a blank line (else 0)."""
    if len(paragraphs) < 2 and not text.endswith("\n\n"):
        return 0
    start, end = paragraphs[0]
    if "\n\n" not in text[end : end + 3] or len(text[start:end].split()) > MAX_HEADLINE_WORDS:
        return 0
    if any(b < end - 2 for b in _sentence_ends(text, start, end)):
        return 0
    return end


@dataclass
class _Said:
    speaker: str | None
    label: str | None
    cue: str | None

    @property
    def attributed(self) -> bool:
        return self.cue is not None or self.speaker is not None


_NOBODY = _Said(None, None, None)


def _after(text: str, resolver: _Resolver, piece: _Piece, p_end: int, next_open: int) -> _Said | None:
    """Attribution after the quote, in its sentence; None when no speech verb follows it.

    A quote ending in ?/!/. ends a sentence only if no attribution follows ('"Why me?" Trump said.').
    """
    ends = list(_sentence_ends(text, piece.close - 3, p_end))
    past = p_end - len(text[piece.close : p_end].lstrip())  # the quote's close and the spaces after it
    ended = bool(ends) and ends[0] <= past  # '"Why me?" Trump said.' or '"..." Sanders called Trump a "liar."', also after two spaces
    ends = [b for b in ends if b > past]
    sentence_stop = ends[0] if ends else p_end
    quote_follows = next_open < sentence_stop  # another quote in the same sentence
    stop = _whole_names(text, resolver, min(sentence_stop, next_open, piece.close + MAX_AFTER_CHARS))
    after = text[piece.close : stop]
    found = _CUE.search(text, piece.close, stop)  # in the text: whether a capitalised verb follows a word is read there
    if not found or found.group(1).lower() in _BEFORE_ONLY:
        return None
    verb, cue_start, cue_end = found.group(1), found.start() - piece.close, found.end() - piece.close
    if re.search(r"\b(?:was|were|is|are|been|being)\s+(?:[a-z]+\s+)?$", after[:cue_start]):
        return None  # '"..." Her move was first reported by MSNBC.': a passive verb does not say who spoke
    before_cue = after[:cue_start].strip().strip(",—–-").strip()  # also a no-break space
    # 'Will Estrada, the chairman for the exurb, said of the encounter', not '..., another co-chairman, said that ...'
    reported = re.match(r"(?:\s+to\s+\w+)?" + _REPORTED.pattern, after[cue_end:])
    who = before_cue if reported else _trailing_asides(after[:cue_start]).strip(" ,—–-")
    exclaimed = (re.search(r"[?!][’']?$", text[piece.start : piece.end]) and len(who.split()) <= 4 and verb in _PLAIN_SPEECH
                 and not (reported and quote_follows))  # '"...!" She replied to him that it was an "honor"': the next quote's
    if ended and not exclaimed and (quote_follows or len(after[cue_end:].split()) > 10 or re.search(r"[:“”\"]", after[cue_end:])
                                    or _REPORTED.match(after, cue_end)):
        return None  # a new sentence that goes on past its verb is not this quote's attribution; '"All the way!" Dawson shouted, ...' is
    cue_at = piece.close + cue_start
    if _CLAUSE.search(before_cue) and not after[:cue_start].rstrip().endswith(","):
        return None  # '"glow in the dark," for instance, and Trump vowed to': a clause of its own (not '... and X get nervous, said Link')
    if before_cue and _names_someone(before_cue) and len(before_cue.split()) <= MAX_WHO_WORDS:
        name, label = resolver.adjacent(piece.close, cue_at) or resolver.named_after(piece.close, cue_at)
        return _Said(name, label, verb)
    if before_cue and ended:
        return None  # '"...talking." All sides want a deal, said correspondent Stephen Cape.': a new sentence's own attribution
    if before_cue:
        # '"... something about" climate change, Axelrod said.': a name right before the verb, after a comma
        short = len(before_cue.split()) <= 4  # '"...," warm-and-fuzzy Trump said'
        punctuated = re.search(r"[,?!]\s*$", text[piece.start : piece.close - 1])  # '"...," election law expert Rick Hasen tweeted'
        named = resolver.adjacent(piece.close, cue_at) if short or punctuated or re.search(r",\s*[A-Z][^,]*$", after[:cue_start]) else None
        if named and named[0]:
            return _Said(named[0], named[1], verb)
        if punctuated and _unnamed_subject(_ADVERBS_AT_END.sub("", before_cue)):
            return _Said(None, None, verb)  # 'Trump "was right ...," aides (later) said': the aides speak, unnamed, not Trump
        if not after[:cue_start].rstrip().endswith(","):
            return None  # '"wake up and smell the falafel" and said House Speaker Paul Ryan should resign'
    if not before_cue and verb.endswith("ing"):
        return None  # '"...," adding that Trump ...': a participle's subject is the sentence's, not a name after it
    who_start = piece.close + cue_end
    words = re.match(r"\s*(?:\S+\s*){0,10}", text[who_start:stop])
    name, label = resolver.named_after(who_start, _whole_names(text, resolver, who_start + (words.end() if words else 0)))
    unnamed = _UNNAMED_AFTER.match(text, who_start, stop)
    if not name and unnamed and _unnamed_subject(unnamed.group(1)) and re.search(r"[,?!]\s*$", text[piece.start : piece.close - 1]):
        return _Said(None, None, verb)  # 'Trump "was right ...," said two of his aides': they speak, unnamed, not Trump
    if not _names_someone(text[who_start:stop].lstrip(" ,")) and not (name and _name_within(text, who_start, stop, name, 5)):
        return None  # '..." claiming that he ...': the verb's subject comes before the quote
    if before_cue and not name:
        return None  # '"..." that Sanders can catch Clinton, said Steve Elmendorf' names him; anything else is not an attribution
    return _Said(name, label, verb)


# Adverbs and auxiliaries between an unnamed subject and its verb: '"...," aides later said', 'aides have privately said'
_ADVERBS_AT_END = re.compile(r"(?:\s+(?:later|also|then|once|have|has|had|would|[a-z]+ly))+$")
# A few lower-case words after the verb that end its clause: '"...," said two of his aides on Monday.', 'according to aides.'
_UNNAMED_AFTER = re.compile(r"\s+((?:[a-z][\w’'-]*\s+){0,3}[a-z][\w’'-]*)(?=\s*(?:[.,;]|$)|\s+(?:on|in|at|during|after|last|this|"
                            r"yesterday|today|late|early)\b)")


def _unnamed_subject(phrase: str) -> bool:
    """Whether a phrase right before a speech verb is someone not named, in a few lower-case words
    ("aides", "two of her aides", "sources close to him"), not a pronoun or a clause ("it", "which he",
    "when"), nor one person's role, whom the article may have named ("our correspondent")."""
    words = phrase.split()
    return (0 < len(words) <= 4 and all(re.fullmatch(r"[a-z][\w’'-]*", w) for w in words)
            and words[0] not in _FUNCTION_WORDS and words[-1] not in _FUNCTION_WORDS and not words[-1].endswith("ly")
            and not _ROLE_LIKE.search(words[-1]))


def _whole_names(text: str, resolver: _Resolver, at: int) -> int:
    """`at`, moved past the word or the name it would cut: a window of so many characters or words
    after a quote must not end inside "Abramowitz" (read as an untagged "Abramowi") or "Alan Abramowitz"."""
    word = re.match(r"[\w’'-]+", text[at:]) if 0 < at < len(text) and text[at - 1].isalnum() else None
    at += word.end() if word else 0
    if re.search(r"(?<![\w’'-])[A-Z][\w’'-]*$", text[max(0, at - 40) : at]):  # "said Alan| Abramowitz": the rest of the name
        rest = re.match(r"(?:[^\S\n]+[A-Z][\w’'-]*)+", text[at:])
        at += rest.end() if rest else 0
    return max([at, *(m.end for m in resolver.all_mentions if m.start < at < m.end)])


def _reports_clause(text: str, piece: _Piece, after: _Said) -> bool:
    """Whether the speech verb after a quote reports a clause of its own ('..." one of the prosecutors
    said the two cases were different'), so speaks of something else than the quote."""
    verb = re.compile(re.escape(after.cue or "") + r"\b").search(text, piece.close, piece.close + 200)
    return bool(verb and (_REPORTED.match(text, verb.end()) or _REPORTED_NOUN.match(text, verb.end())))


def _introduces(text: str, piece: _Piece, after: _Said, next_open: int) -> bool:
    """Whether the speech verb after a quote ends in a colon that opens the next quote ('After Fox said
    that students might do better at "less advanced schools," Brady said: "..."'): it introduces that one."""
    verb = re.compile(re.escape(after.cue or "") + r"\b").search(text, piece.close, next_open)
    return bool(verb and re.fullmatch(r"[^.;:“”\"]*:\s*", text[verb.end() : next_open]))


def _names_someone(phrase: str) -> bool:
    """Whether a phrase next to a speech verb starts like a speaker: a name, a pronoun, 'the', 'spokesman'."""
    first = re.match(r"[\w-]*", phrase).group(0)
    return bool(_WHO_START.match(phrase)) or (first.islower() and first not in _NOT_ROLES and bool(_ROLE_LIKE.search(first)))


def _name_within(text: str, start: int, stop: int, name: str, words: int) -> bool:
    """Whether the last word of `name` is among the first `words` words of text[start:stop] ("said conservative activist Bob Klaus")."""
    return key(name).split()[-1] in [key(w.strip(",.;:")) for w in text[start:stop].split()[:words]]


_WHO_START = re.compile(
    r"^(?:[A-Z]|(?:he|she|they|the|a|an|its|his|her|their|one|another|former|ex|then|longtime|veteran|fellow|top|"
    r"senior|chief|deputy|acting|retired|state|party|campaign|white)\b)"
)


def _before(text: str, resolver: _Resolver, sentence_start: int, q_open: int) -> _Said | None:
    """Attribution before the quote, in its sentence: the subject of the last speech verb."""
    cues = [c for c in _CUE.finditer(text, sentence_start, q_open) if not _inside_quote(text, sentence_start, c.start())]
    if not cues:
        colon = text[sentence_start:q_open].rstrip()
        if not colon.endswith(":"):
            return None
        colon_at = sentence_start + len(colon) - 1
        if len(colon.split()) <= 6:  # "Wallace: ..." in a headline or a transcript
            name, label = resolver.subject_before(sentence_start, colon_at)
            if name:
                return _Said(name, label, None)
        # "... doesn't surprise pollster Daron Shaw: "..."", "Trump went even further: "...""
        named = resolver.opener(sentence_start, colon_at) or resolver.adjacent(sentence_start, colon_at)
        return _Said(named[0], named[1], None) if named and named[0] else None
    cue = cues[-1]
    by = re.match(r"\s+(?:\w+\s+)?by\s", text[cue.end() : q_open])
    if by and re.search(r"\b(?:was|were|is|are|been|being)\s+$", text[sentence_start : cue.start()]):
        name, label = resolver.named_after(cue.end() + by.end(), q_open)  # "Rubio was asked by moderator Gerard Baker"
    else:
        name, label = resolver.named_after(cue.end(), q_open) if _speaker_follows(text, sentence_start, cue) else (None, None)
        if not name:
            name, label = resolver.subject_before(sentence_start, cue.start())
        if not name and not text[sentence_start : cue.start()].strip() and resolver.recent:
            name, label = resolver.recent.speaker, resolver.recent.label  # 'Adding, "..."' goes on from who spoke
    return _Said(name, label, cue.group(1))


def _speaker_follows(text: str, sentence_start: int, cue: re.Match[str]) -> bool:
    """Whether the speaker is named after the verb: "According to the Daily Caller, "..."", "Added
    Smith: "..."" (a sentence that opens with the verb)."""
    if cue.group(1).endswith("ing"):
        return False  # "Paul interjected, calling Rubio's plan ...": a participle never names its subject after it
    named = bool(re.match(r"\s+(?:the\s+)?[A-Z]", text[cue.end() : cue.end() + 8]))
    lead = text[sentence_start : cue.start()]  # nothing, or a short phrase set off by a comma: "In other words, explained Smith: "
    return named and (cue.group(1).lower() == "according to" or not lead.strip() or bool(re.fullmatch(r"[^,“”\"]{1,30},\s*", lead)))


def _inside_quote(text: str, start: int, position: int) -> bool:
    return len(re.findall(r"[“”\"]", text[start:position])) % 2 == 1


def find_quotes(text: str, mentions: Sequence[Mention], parse: bool = True) -> list[Quote]:
    """Every direct quotation in an article with its speaker (None when unknown); with `parse`, the
    sentences of quotes the rules leave without a speaker are parsed as a last resort."""
    if not _ANY_MARK.search(text):
        return []  # most wire stories: nothing to read
    resolver = _Resolver(text, mentions)
    paragraphs = _paragraphs(text)
    headline_end = _headline_end(text, paragraphs)
    quotes: list[Quote] = []
    pending: list[Quote] = []  # the piece of a quote still open at a paragraph's end
    chain_quotes: list[Quote] = []  # the pieces of the quote being read
    chain = _NOBODY  # who said the quote that the next piece continues
    context = _NOBODY  # who spoke last in the paragraph before
    introduced: _Said | None = None  # who the paragraph before introduced, ending "Dr Ward stated:"
    left_open = False
    last_mark = max(text.rfind(mark) for mark in "“”\"")
    unnamed: list[Quote] = []  # the quotes of the paragraph before that have no speaker
    for p_start, p_end in paragraphs:
        signed = _signature(text, resolver, p_start, p_end)
        if signed:  # '"..."' then a paragraph '- Bernie Sanders.'
            for quote in unnamed:
                quote.speaker, quote.speaker_label = signed
        if p_start > last_mark:
            break  # nothing quoted further on
        count = len(quotes)
        pieces, still_open = _pieces(text, p_start, p_end, left_open)
        if pending and pieces and pieces[0].continues:  # a quote left open counts only if the next paragraph goes on with it
            quotes.extend(pending)
        pending = []
        resolver.recent = None
        previous = _NOBODY
        cursor = p_start
        waiting: list[tuple[Quote, int]] = []  # quotes of this paragraph with no speaker yet, and where each closed
        for n, piece in enumerate(pieces):
            resolver.note_subjects(cursor, piece.open)
            s_start, s_end = _sentence_span(text, p_start, p_end, piece.open)
            next_open = pieces[n + 1].open if n + 1 < len(pieces) else p_end
            after = _after(text, resolver, piece, p_end, next_open) if piece.closed else None
            if after and ((after.speaker is None and _reports_clause(text, piece, after)) or _introduces(text, piece, after, next_open)):
                before = _before(text, resolver, s_start, piece.open)  # 'As Trump claimed that "...," one of the
                after = None if before and before.speaker else after  # prosecutors said the cases differ': Trump's
            said = after or _before(text, resolver, s_start, piece.open)
            owner = None if after or piece.open < headline_end else resolver.owner_before(s_start, piece.open)
            if owner:  # 'Pence blamed the media for Trump's claim that Obama "founded ISIS"': Trump's words, not Pence's
                said = _Said(*owner, said.cue if said else None)
            # a speech verb of the quote's own sentence that names no one ('"...," aides said') is its attribution
            own = after is not None and said is after and not any(_sentence_ends(text, piece.close - 3, piece.close + 3))
            if (said is None or (said.speaker is None and not own)) and n and previous.speaker and not list(
                    _sentence_ends(text, pieces[n - 1].close - 3, piece.open)):
                said = previous  # '"The risk," said Edward Leamer, an economist, "is that ..."
            in_headline = piece.open < headline_end
            if said is None and piece.continues and chain.speaker:
                said = chain
            if said is None and not in_headline:
                opener = resolver.opener(s_start, piece.open) or resolver.untagged_opener(s_start, piece.open) or resolver.possessor(s_start, s_end)
                said = _Said(*opener, None) if opener else None
                if (opener and resolver.recent and resolver.recent.speaker not in (None, opener[0])
                        and _is_topic(text, s_start, s_end, piece, opener[0])):
                    said = resolver.recent  # 'said Aida. Biden "kind of misspoke."': Aida's words of Biden
            if said is None and not in_headline and n == 0 and introduced and not text[p_start : piece.open].strip():
                said = introduced  # 'Dr Ward stated:' then a paragraph opening with a quote, however long its sentence
            if said is None and not in_headline and _alone(text, s_start, s_end, piece):
                # '"...," said a Nevada Democrat. "..."': the quote before it in the paragraph, attributed to no
                # one named, is the same unnamed speaker's, not whoever spoke in the paragraph before
                said = None if n and previous.cue and not previous.speaker else resolver.recent or context
                said = said if said and said.speaker else None
            elif said is None and not in_headline and resolver.recent and _opens(text, s_start, s_end, piece, resolver):
                said = resolver.recent  # '"I think what they will care about is ..." and other pocketbook issues.'
            elif said is None and not in_headline and previous.speaker and _names_no_one(s_start, s_end, piece, resolver):
                said = previous  # '"...," Bill Clinton has said. That makes her "by definition a trustworthy ... person."'
            elif (said is None and not in_headline and resolver.recent and resolver.recent.speaker == resolver.last_person
                  and _he_or_she_says(text, s_start, s_end, piece, resolver)):
                said = resolver.recent  # 'Sanders insisted he is still in the race. But he began talking about what happens "if we do not win."'

            said = said or _NOBODY
            cursor = piece.close
            previous = said
            if in_headline and not said.attributed:
                continue
            if not piece.continues and not _is_speech(text[piece.start : piece.end], said, _told(text, piece, after) or _answered(text, piece)):
                chain = _NOBODY
                continue
            if said.speaker is None and piece.continues:
                said = chain
            if said.speaker and piece.continues:
                for earlier in chain_quotes:  # the attribution came with a later piece of the same quote
                    if earlier.speaker is None:
                        earlier.speaker, earlier.speaker_label = said.speaker, said.label
            if not piece.continues:
                chain_quotes = []
            chain = said
            if said.speaker:
                resolver.recent = said
                if said.label == "PERSON":
                    resolver.last_person = said.speaker
            if after and after.cue and said is after:
                _attribute_back(text, waiting, piece.open, after)  # '"the ultimate crisis" and "stunt growth," Dean said'
            if piece.end > piece.start:
                quote = _quote(text, piece, said)
                if quote.cue is None:
                    waiting.append((quote, piece.close))
                chain_quotes.append(quote)
                (pending if still_open and n == len(pieces) - 1 else quotes).append(quote)
        resolver.note_subjects(cursor, p_end)
        unnamed = [q for q in quotes[count:] if q.speaker is None and q.cue is None] if pieces else []
        introduced = _introduction(text, resolver, p_start, p_end)
        context = introduced or resolver.recent or _NOBODY
        left_open = still_open
    if parse:
        _parsed_speakers(text, resolver, paragraphs, [q for q in quotes if q.speaker is None])
    return quotes


@cache
def _parser() -> Any:
    """spaCy's dependency parser of the same model, without NER (the mentions are already known)."""
    import spacy

    return spacy.load(config.spacy_model(), exclude=["ner", "lemmatizer"])


def _parsed_speakers(text: str, resolver: _Resolver, paragraphs: list[tuple[int, int]], quotes: list[Quote]) -> None:
    """The last resort for quotes the rules leave without a speaker: parse their sentences (only
    those) and take the subject of the verb that governs the quote when it is a person or
    organisation of the article ('Moore thanked him for "stepping up"', 'Hollande denounced the
    remarks as "hurtful"'). Pronouns and descriptions are left alone: never a guess."""
    spans = []
    for quote in quotes:
        p_start, p_end = next(((s, e) for s, e in paragraphs if s <= quote.start < e), (quote.start, quote.end))
        s_start, s_end = _sentence_span(text, p_start, p_end, quote.start - 1)
        if s_end - s_start <= MAX_PARSED_CHARS and not has_cjk(text[s_start:s_end]):
            spans.append((quote, s_start, s_end))
    if not spans:
        return
    for (quote, s_start, _), doc in zip(spans, _parser().pipe(text[s:e] for _, s, e in spans), strict=True):
        subject = _subject(doc, quote.start - s_start, quote.end - s_start)
        if subject is None:
            continue
        at = s_start + subject.idx
        named = [m for m in resolver.mentions if m.start <= at < m.end]
        if named:
            quote.speaker, quote.speaker_label = named[0].name, named[0].label
        elif subject.pos_ == "PROPN" and not any(m.start <= at < m.end for m in resolver.all_mentions):
            bare = resolver.bare_name(_name_of(subject), at_end=True)  # "Hollande denounced ... as "hurtful"", untagged
            if bare:
                quote.speaker, quote.speaker_label = bare


def _subject(doc: Any, start: int, end: int) -> Any | None:
    """The subject token of the verb that governs the quoted words at [start, end) of the sentence:
    the highest verb with a subject above them, as a quote inside a reported clause ('an official
    said that Netanyahu "will meet ..."') is the reporter's, not the clause subject's."""
    inside = [t for t in doc if start <= t.idx < end]
    if not inside:
        return None
    token = inside[0]
    while token.head.i != token.i and start <= token.head.idx < end:
        token = token.head  # the quote's own root
    found = None
    for _ in range(MAX_PARSE_STEPS):
        subjects = [c for c in token.children if c.dep_ == "nsubj" and not start <= c.idx < end]
        if subjects and token.pos_ in ("VERB", "AUX"):
            found = subjects[0]
        if token.head.i == token.i:
            break
        token = token.head
    return found


def _name_of(token: Any) -> str:
    """The words of a proper noun with the names compounded before it ("Francois Hollande")."""
    words = [t for t in token.lefts if t.dep_ == "compound" and t.pos_ == "PROPN"]
    return " ".join(t.text for t in [*words, token])


def _answered(text: str, piece: _Piece) -> bool:
    """Whether a plain speech verb and a comma or colon lead straight into the quote ('Priebus said, "Probably."')."""
    return bool(_ANSWER.search(text, max(0, piece.open - 20), piece.open))


def _told(text: str, piece: _Piece, after: _Said | None) -> bool:
    """Whether the quote closes on a comma, ? or ! and its speech verb follows ('"Word is," Trump said')."""
    return bool(after and after.cue and piece.closed and re.search(r"[,?!]\s*$", text[piece.start : piece.close - 1]))


def _signature(text: str, resolver: _Resolver, p_start: int, p_end: int) -> tuple[str, str] | None:
    """Who signs a paragraph that opens with a dash and a name ('- Bernie Sanders.', '—President
    Obama, tweeting after the speech'): the speaker of the quotes just before it."""
    dash = re.match(r"\s*[-–—]+\s*(?=[A-Z])", text[p_start:p_end])
    if not dash:
        return None
    name, label = resolver.named_after(p_start + dash.end(), p_end)
    return (name, label) if name and label else None


def _attribute_back(text: str, waiting: list[tuple[Quote, int]], q_open: int, said: _Said) -> None:
    """An attribution after a quote also gives the speaker of the quotes before it in the same
    sentence that no speech verb of their own attributes ('Guns are "the ultimate crisis" and "stunt
    growth," Dean said'), also over the sentence's subject, and also when it names no one ('Trump
    "was right ..." and "will win ...," aides said': not Trump). On PolNeAR train: 2 wrong speakers
    turned right, no other quote changed."""
    for quote, close in reversed(waiting):
        if any(_sentence_ends(text, close - 3, q_open)):
            break
        quote.speaker, quote.speaker_label = said.speaker, said.label


def _quote(text: str, piece: _Piece, said: _Said) -> Quote:
    return Quote(piece.start, piece.end, text[piece.start : piece.end], said.speaker, said.label, said.cue)


def _opens(text: str, s_start: int, s_end: int, piece: _Piece, resolver: _Resolver) -> bool:
    """Whether the quote opens its sentence and the rest of the sentence names no one."""
    return not text[s_start : piece.open].strip() and not resolver.in_span(piece.close, s_end)


def _names_no_one(s_start: int, s_end: int, piece: _Piece, resolver: _Resolver) -> bool:
    """Whether the quote's sentence names no person or organisation outside it ('That makes her "by
    definition a trustworthy ... person."' after a quote of Bill Clinton's), so goes on from the
    quote before it in the paragraph; a phrase of a few words is the writer's ('The mood was "tense and quiet"')."""
    if len(resolver.text[piece.start : piece.end].split()) <= MAX_SCARE_WORDS:
        return False  # 'the plan is "dead"': a word or two the writer quotes, not speech
    return not resolver.in_span(s_start, piece.open) and not resolver.in_span(piece.close, s_end)


def _he_or_she_says(text: str, s_start: int, s_end: int, piece: _Piece, resolver: _Resolver) -> bool:
    """Whether the quote's sentence has 'he' or 'she' for its subject, names no one and has no speech verb
    ('But he began talking about what will happen "if we do not win."'): the pronoun is the person who spoke last."""
    before = text[s_start : piece.open]
    lead = _SENTENCE_OPENERS.match(before)
    return (bool(_PRONOUN_AT_START.match(before[lead.end() if lead else 0 :]))
            and _names_no_one(s_start, s_end, piece, resolver) and not _CUE.search(text, s_start, s_end))


def _is_topic(text: str, s_start: int, s_end: int, piece: _Piece, name: str) -> bool:
    """Whether the sentence is nothing but `name` and the quote that ends it, its predicate ('Biden
    "kind of misspoke. This is not something he should talk openly about."'): words said of the
    name, by someone else who spoke before; not when the sentence goes on ('Thomas "totally condemned" the deletion').
    On PolNeAR train: 1 wrong speaker turned right, nothing else changed."""
    return (bool(_TOPIC_BEFORE.fullmatch(text, s_start, piece.open)) and not text[piece.close : s_end].strip(" .,;:!?\n")
            and key(name).split()[-1] == key(text[s_start : piece.open]).split()[-1])


def _alone(text: str, s_start: int, s_end: int, piece: _Piece) -> bool:
    """Whether the quote is all of its sentence."""
    outside = text[s_start : piece.open] + text[piece.close : s_end]
    return not outside.strip(" ,.;:\"“”—–-\n")


def _introduction(text: str, resolver: _Resolver, p_start: int, p_end: int) -> _Said | None:
    """A paragraph ending 'Mr Wallace said:' introduces the quote that opens the next one."""
    if not text[p_start:p_end].rstrip().endswith(":"):
        return None
    s_start, _ = _sentence_span(text, p_start, p_end, p_end - 1)
    cues = list(_CUE.finditer(text, s_start, p_end))
    name, label = resolver.named_after(cues[-1].end(), p_end - 1) if cues and _speaker_follows(text, s_start, cues[-1]) else (None, None)
    if not name:
        name, label = resolver.subject_before(s_start, cues[-1].start() if cues else p_end - 1)
    return _Said(name, label, cues[-1].group(1) if cues else None) if name else None
