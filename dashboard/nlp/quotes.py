"""Direct quotations and who said them, by rules over the text and its entity mentions.

A quote is text in double quotes (curly or straight) of two words or more; a single quoted
word or a Title Cased phrase is a scare quote or a title, not speech, and a two-word quote
counts only when a speech verb attributes it. The speaker is found, in this order:
1. after the quote, in the same sentence: ``“...,” Trump said`` / ``said Trump`` / ``he told reporters``;
2. before it, in the same sentence: the person closest before the last speech verb
   (``Medvedev wrote on social media that if troops “refuse to ...”``);
3. a pronoun (he/she) resolves to the last person who spoke or was the subject of a speech verb;
4. a role (``the US president``) resolves to the person introduced with that title;
5. a quote with no attribution continues the previous quote of its paragraph, or of the
   paragraph before when it stands alone.
Otherwise the speaker stays unknown (None): never a guess.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from dashboard.nlp.entities import Mention
from dashboard.nlp.names import ROLE_NOUNS, key

CUES = (
    "said|says|say|saying|told|tells|wrote|writes|added|adds|stated|noted|notes|asked|asks|replied|replies|described|"
    "describes|warned|warns|urged|urges|insisted|insists|argued|argues|explained|explains|announced|announces|declared|"
    "tweeted|posted|claimed|claims|continued|recalled|vowed|vows|acknowledged|admitted|emphasized|emphasised|stressed|"
    "reported|reports|suggested|commented|predicted|cautioned|complained|conceded|confirmed|responded|quipped|concluded|remarked|agreed"
)
_CUE = re.compile(rf"\b({CUES})\b")
_QUOTE = re.compile(r"“([^“”\n]+)”|\"([^\"\n]+)\"")
_AFTER_WHO_CUE = re.compile(rf"^\s*,?\s*(?P<who>[^,.;:!?“”\"\n]{{1,90}}?)\s+(?P<cue>{CUES})\b")
_AFTER_CUE_WHO = re.compile(rf"^\s*,?\s*(?P<cue>{CUES})\s+(?P<who>[^,.;:!?“”\"\n]{{1,90}})")
_ACCORDING = re.compile(r"^\s*,?\s*(?P<cue>according to)\s+(?P<who>[^,.;:!?“”\"\n]{1,90})")
_SENTENCE_END = re.compile(r"[.!?][”\"’)]*\s+(?=[A-Z“\"‘(])")
_ROLE_AT_END = re.compile(r"(?:^|\b)(?:the\s+|a\s+)?((?:[\w’'.-]+\s+){0,3}?(?:" + "|".join(ROLE_NOUNS) + r"))\s*,?\s*$", re.I)
_PRONOUN = re.compile(r"\b(he|she)\s*,?\s*$", re.I)
SPEAKER_LABELS = ("PERSON", "ORG")


@dataclass
class Quote:
    start: int  # offsets of the quoted words, without the quote marks
    end: int
    text: str
    speaker: str | None
    speaker_label: str | None
    cue: str | None


def _is_speech(words: str, attributed: bool) -> bool:
    tokens = words.split()
    if len(tokens) < 2:
        return False
    if len(tokens) == 2 and not attributed:
        return False
    letters = [t for t in tokens if t[:1].isalpha() and len(t) > 3]
    title_case = letters and all(t[0].isupper() for t in letters) and not re.search(r"[.!?,]$", words.strip())
    return not (title_case and len(tokens) <= 8)


class _Resolver:
    """Turns a span of text that names a speaker into a canonical name, tracking who spoke last."""

    def __init__(self, mentions: Sequence[Mention]) -> None:
        self.mentions = sorted(mentions, key=lambda m: m.start)
        self.roles: list[tuple[int, str, str]] = [(m.start, key(m.role), m.name) for m in self.mentions if m.label == "PERSON" and m.role]
        self.last_person: str | None = None

    def _in(self, start: int, end: int) -> list[Mention]:
        return [m for m in self.mentions if m.start >= start and m.end <= end and m.label in SPEAKER_LABELS]

    def _role(self, phrase: str, before: int) -> str | None:
        wanted = key(phrase)
        known = [(pos, role, name) for pos, role, name in self.roles if pos < before]
        for _, role, name in sorted(known, reverse=True):
            if role == wanted or role.endswith(" " + wanted) or wanted.endswith(" " + role):
                return name
        return None

    def resolve(self, text: str, start: int, end: int) -> tuple[str | None, str | None]:
        """The speaker named in text[start:end] (closest to its end wins), and its label."""
        found = self._in(start, end)
        people = [m for m in found if m.label == "PERSON"]
        if people:
            return people[-1].name, "PERSON"
        span = text[start:end]
        role = _ROLE_AT_END.search(span)
        if role:
            name = self._role(role.group(1), start)
            if name:
                return name, "PERSON"
        if _PRONOUN.search(span):
            return (self.last_person, "PERSON") if self.last_person else (None, None)
        if found:
            return found[-1].name, found[-1].label
        return None, None

    def note_subjects(self, text: str, start: int, end: int) -> None:
        """Who is the subject of each speech verb in text[start:end] (between quotes)."""
        sentence_start = start
        for boundary in [*(_SENTENCE_END.finditer(text, start, end)), None]:
            sentence_end = boundary.start() + 1 if boundary else end
            cue = _CUE.search(text, sentence_start, sentence_end)
            if cue:
                name, label = self.resolve(text, sentence_start, cue.start())
                if name and label == "PERSON":
                    self.last_person = name
            if boundary:
                sentence_start = boundary.end()


def _sentence_start(text: str, floor: int, position: int) -> int:
    start = floor
    for match in _SENTENCE_END.finditer(text, floor, position):
        start = match.end()
    return start


def _paragraphs(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for match in re.finditer(r"\n+", text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return [(s, e) for s, e in spans if e > s]


def find_quotes(text: str, mentions: Sequence[Mention]) -> list[Quote]:
    """Every direct quotation in an article with its speaker (None when unknown)."""
    resolver = _Resolver(mentions)
    quotes: list[Quote] = []
    cursor = 0
    previous_paragraph_speaker: tuple[str | None, str | None] = (None, None)
    for p_start, p_end in _paragraphs(text):
        paragraph_speaker: tuple[str | None, str | None] = (None, None)
        floor = p_start
        for match in _QUOTE.finditer(text, p_start, p_end):
            q_start, q_end = match.span(1) if match.group(1) is not None else match.span(2)
            resolver.note_subjects(text, max(cursor, floor), match.start())
            speaker, label, cue = _attribute(text, resolver, match.start(), match.end(), floor, p_end)
            if speaker is None and cue is None:
                if paragraph_speaker[0]:
                    speaker, label = paragraph_speaker
                elif _stands_alone(text, p_start, p_end, match) and previous_paragraph_speaker[0]:
                    speaker, label = previous_paragraph_speaker
            while q_end > q_start and text[q_end - 1] in " ,":  # “..., ” keeps the comma outside
                q_end -= 1
            while q_start < q_end and text[q_start] == " ":
                q_start += 1
            words = text[q_start:q_end]
            if not _is_speech(words, cue is not None):
                floor = cursor = match.end()
                continue
            quotes.append(Quote(q_start, q_end, words, speaker, label, cue))
            if speaker:
                paragraph_speaker = (speaker, label)
                if label == "PERSON":
                    resolver.last_person = speaker
            floor = cursor = match.end()
        resolver.note_subjects(text, max(cursor, p_start), p_end)
        cursor = p_end
        previous_paragraph_speaker = paragraph_speaker if paragraph_speaker[0] else (None, None)
    return quotes


def _stands_alone(text: str, p_start: int, p_end: int, match: re.Match[str]) -> bool:
    outside = (text[p_start : match.start()] + text[match.end() : p_end]).strip(" ,.;")
    return not outside


def _attribute(text: str, resolver: _Resolver, q_open: int, q_close: int, floor: int, p_end: int) -> tuple[str | None, str | None, str | None]:
    """Speaker, label and speech verb of the quote spanning text[q_open:q_close]."""
    after_end = min(p_end, q_close + 160)
    next_quote = _QUOTE.search(text, q_close, after_end)
    after = text[q_close : next_quote.start() if next_quote else after_end]
    for pattern in (_AFTER_WHO_CUE, _AFTER_CUE_WHO, _ACCORDING):
        found = pattern.match(after)
        if found and len(found.group("who").split()) <= 8:
            who_start = q_close + found.start("who")
            name, label = resolver.resolve(text, who_start, who_start + len(found.group("who")))
            if name:
                return name, label, found.group("cue")
    sentence = _sentence_start(text, floor, q_open)
    cues = list(_CUE.finditer(text, sentence, q_open))
    if cues:
        cue = cues[-1]
        name, label = resolver.resolve(text, sentence, cue.start())
        return name, label, cue.group(1)
    return None, None, None
