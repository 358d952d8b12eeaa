"""Named entities of one article, from spaCy's NER, cleaned and corrected.

spaCy's small English model makes a few systematic mistakes on news that rules fix cheaply:
places tagged PRODUCT or PERSON (checked against a gazetteer), organisations cut short
("American Institute" + "in Taiwan"), and names followed by their Chinese form or an acronym
in parentheses, which are aliases of the name rather than entities of their own.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from typing import Any

from dashboard import config
from dashboard.nlp.names import ROLE_NOUNS, clean, has_cjk, is_known_place, key, majority

KEPT = {"PERSON": "PERSON", "ORG": "ORG", "GPE": "GPE", "LOC": "LOC", "FAC": "LOC"}
RECHECKED = {"PRODUCT", "WORK_OF_ART", "EVENT", "PERSON", "ORG", "NORP", "FAC"}
INSTITUTION_NOUNS = ("institute", "council", "office", "association", "chamber", "society", "museum", "university", "center", "centre", "agency")
_PAREN = re.compile(r"^\s*[（(]([^()（）\n]{1,60})[)）]")
_EXTEND = re.compile(r"^ (?:of|for|in) (?:the )?((?:[A-Z][\w’'&.-]*)(?: [A-Z][\w’'&.-]*){0,3})")
_ROLE = re.compile(
    r"(?<![\w’'-])((?:(?:[A-Z][\w.’'-]*|former|deputy|vice|acting|then|top|chief)[ \t]+){0,4}"
    r"(?i:" + "|".join(ROLE_NOUNS) + r")(?:[ \t]+of[ \t]+(?:the[ \t]+)?[A-Z][\w’'-]*(?:[ \t]+[A-Z][\w’'-]*)?)?)[ \t]+$"
)
_ORG_THEN_PERSON = re.compile(r"^(?P<org>.+?) (?P<role>(?i:" + "|".join(ROLE_NOUNS) + r")) (?P<person>[A-Z][\w’'-]+(?: [A-Z][\w’'-]+){1,2})$")
_HONORIFIC = re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Dr|Sir|Dame|Lord|Lady)\.?\s+$")
_DEMONYM = re.compile(r"(?:ian|ean|ese|ish|ians|eans)$")
_MARKUP = re.compile(r"[<>{}=\\]|__")  # markup or code shown as text ("<script>window.__x = ..."): no name holds these
GENERIC = {"state", "government", "ministry", "parliament", "congress", "court", "police", "army", "party", "company", "group", "bank"}


@dataclass
class Mention:
    """One mention of a named entity: offsets into the article text and the name it stands for."""

    start: int
    end: int
    text: str
    name: str
    label: str
    alias: str | None = None  # a Chinese form or acronym given in parentheses right after it
    role: str | None = None  # a title written before a person's name ("US President")


@cache
def load_pipeline(model: str | None = None) -> Any:
    """The spaCy pipeline with only what NER needs (tok2vec + ner)."""
    import spacy

    nlp = spacy.load(model or config.spacy_model(), exclude=["parser", "lemmatizer", "tagger", "attribute_ruler", "senter"])
    nlp.max_length = 2_000_000
    return nlp


BIG_CITY = 1_000_000  # a one-word "person" is re-read as a place only if it names a big city or a country


def _label(name: str, label: str, alias: str | None) -> str | None:
    known_place = " " not in name and is_known_place(name)
    if label in RECHECKED and label not in ("ORG", "PERSON") and known_place:
        return "GPE"
    if label == "PERSON" and " " not in name and is_known_place(name, BIG_CITY):
        return "GPE"
    if label in ("GPE", "LOC") and not known_place and _DEMONYM.search(name):
        return None  # "Ukrainian" is a demonym, not a place
    if label == "ORG" and alias and has_cjk(alias) and len(alias) <= 4 and 2 <= len(name.split()) <= 3:
        return "PERSON"  # a two- or three-word name glossed with 2-4 Han characters is a person's
    return KEPT.get(label)


def _extend_org(text: str, end: int, name: str) -> tuple[int, str]:
    """'American Institute' + ' in Taiwan' -> 'American Institute in Taiwan' (spaCy cuts these)."""
    if not name.casefold().endswith(INSTITUTION_NOUNS):
        return end, name
    match = _EXTEND.match(text[end : end + 80])
    if not match:
        return end, name
    return end + match.end(), name + text[end : end + match.end()]


def _abbreviates(acronym: str, name: str) -> bool:
    """Whether a word in parentheses after a name is that name's acronym: "Federal Bureau of Investigation
    (FBI)", "Department for Education and Skills (DfES)". Its capitals are letters of the name in order,
    the first one the name's first. A wire's credit after a headline ("Storm closes schools across Maine
    (AP)") is not: taken for one, every later "AP" in an AG News sample became Maine (105 mentions)."""
    capitals = [c.casefold() for c in acronym if c.isupper()]
    if not (2 <= len(acronym) <= 8 and acronym.replace(".", "").isalnum() and len(capitals) >= 2 and acronym[0].isupper()):
        return False
    letters = iter(name.casefold())
    return capitals[0] == name[:1].casefold() and all(c in letters for c in capitals)


def mentions_from_entities(text: str, ents: list[tuple[int, int, str]]) -> list[Mention]:
    """Clean raw (start, end, label) spans of `text` into mentions."""
    out: list[Mention] = []
    skip_until = -1
    for start, end, raw_label in ents:
        if start < skip_until:
            continue
        surface = text[start:end]
        name = clean(surface, raw_label)
        if not name or (has_cjk(name) and out and out[-1].alias == name):
            continue
        paren = _PAREN.match(text[end : end + 64])
        alias = None
        if paren:
            inner = paren.group(1).strip()
            if has_cjk(inner) or _abbreviates(inner, name):
                alias = inner
                skip_until = end + paren.end()
        label = _label(name, raw_label, alias)
        if label in ("GPE", "LOC", "ORG") and _HONORIFIC.search(text[max(0, start - 6) : start]):
            label = "PERSON"  # "Mr Wellington said": a place or organisation never takes Mr, Mrs or Dr
        if label == "ORG" and 2 <= len(name.split()) <= 3 and _ROLE.search(text[max(0, start - 80) : start]):
            label = "PERSON"  # "Chancellor Olaf Scholz": a title before a short name makes it a person
        if label is None or len(name) < 2 or key(name) in GENERIC or not (has_cjk(name) or any(c.isupper() for c in name)):
            continue  # a name has a capital (or is CJK): lower-case "cts" or "treasury" is the model misreading
        if _MARKUP.search(surface):
            continue
        if label == "ORG":
            end, name = _extend_org(text, end, name)
            skip_until = max(skip_until, end)
            split = _ORG_THEN_PERSON.match(name)
            if split and text[start:end].endswith(split.group("person")):
                org = split.group("org")
                out.append(Mention(start, start + len(org), org, org, "ORG"))
                start, name, label = end - len(split.group("person")), split.group("person"), "PERSON"
        mention = Mention(start, end, text[start:end], name, label, alias=alias)
        if label == "PERSON":
            role = _ROLE.search(text[max(0, start - 80) : start])
            if role:
                mention.role = re.sub(r"^(?:the|a)\s+", "", role.group(1).strip(), flags=re.I)
        out.append(mention)
    return out


def harmonise(mentions: list[Mention]) -> list[Mention]:
    """Within one article: a short form takes the full name ("Putin" -> "Vladimir Putin") when only one
    full name ends with it, also when the model read it as a place that no gazetteer knows ("Kasich"
    tagged GPE beside "John Kasich"), and every mention of a name takes the name's majority label
    ("Trump" tagged ORG once)."""
    full_names: dict[str, set[str]] = defaultdict(set)
    for m in mentions:
        words = m.name.split()
        if m.label == "PERSON" and len(words) > 1:
            full_names[key(words[-1])].add(m.name)
    for m in mentions:
        found = full_names.get(key(m.name), set()) if " " not in m.name else set()
        misread = m.label in ("GPE", "LOC") and not is_known_place(m.name)
        if len(found) == 1 and (m.label in ("PERSON", "ORG") or misread):  # "Bill Clinton" and "Hillary Clinton": "Clinton" stays
            m.name, m.label = next(iter(found)), "PERSON"
    labels: dict[str, list[str]] = defaultdict(list)
    for m in mentions:
        labels[key(m.name)].append(m.label)
    for m in mentions:
        m.label = majority(labels[key(m.name)])
    return mentions


_HEADLINE_STOP = re.compile(
    r"\b(?:And|Has|Have|Had|No|Not|Is|Are|Was|Were|Be|Will|Would|Can|Could|Says|Said|To|In|On|At|With|As|By|"
    r"Into|Over|After|Before|Than|Is|It|Its|Their|His|Her|Our|Who|What|Why|How|When|Where|Your|Back|Off|Up|Out)\b"
)
MAX_HEADLINE_WORDS = 30


def _title_case_headline(text: str) -> int:
    """End of a Title Case headline ("Bush Forgoes Federal Funds And Has No Spending Limit"): a first
    paragraph followed by a blank line, every word of four letters or more capitalised (else 0)."""
    end = text.find("\n\n")
    words = [w for w in text[:end].split() if len(w) > 3 and w[:1].isalpha()] if end > 0 else []
    if not words or len(text[:end].split()) > MAX_HEADLINE_WORDS:
        return 0
    return end if all(w[0].isupper() for w in words) else 0


def trust_headline(text: str, mentions: list[Mention]) -> list[Mention]:
    """In a Title Case headline every word is capitalised, so the model reads runs of words as names.
    A span there is kept when the body writes it too (cut to the longest part the body has), or when
    it reads as a name: no function word inside, at most three words."""
    end = _title_case_headline(text)
    if not end:
        return mentions
    body = text[end:]
    kept = []
    for m in mentions:
        if m.start >= end or m.name in body:
            kept.append(m)
            continue
        words = m.text.split()
        prefix = next((n for n in range(len(words) - 1, 0, -1) if " ".join(words[:n]) in body), 0)
        if prefix:
            surface = " ".join(words[:prefix])
            kept.append(Mention(m.start, m.start + len(surface), surface, clean(surface, m.label), m.label, m.alias, m.role))
        elif (not _HEADLINE_STOP.search(m.text) and len(words) <= 3 and (not body.strip() or len(words) == 1 or is_known_place(m.name))
              and not (len(words) == 1 and _whole_segment(text[:end], m) and not is_known_place(m.name))):
            kept.append(m)
    return kept


def _whole_segment(headline: str, m: Mention) -> bool:
    """Whether a span is all of a headline, or of a part of it set off by a colon, semicolon or dash
    ("Overview: ...", "...; Overview"): a section label, a name only when a gazetteer knows it."""
    before = headline[: m.start].rstrip()
    after = headline[m.end :].lstrip()
    return (not before or before.endswith(_SEGMENT_MARKS)) and (not after or after.startswith(_SEGMENT_MARKS))


_SEGMENT_MARKS = (":", ";", "|", "—", "–", "-")


def extract(doc: Any) -> list[Mention]:
    """Mentions of a spaCy Doc."""
    mentions = mentions_from_entities(doc.text, [(e.start_char, e.end_char, e.label_) for e in doc.ents])
    return harmonise(trust_headline(doc.text, mentions))


# Entities only where a model reads the language: the English pipeline for English (and for text whose
# language cannot be told, as before languages were detected), spaCy's French pipeline for French,
# jieba's tags for Chinese (nlp/chinese.py). Any other language gets no entities rather than the
# English model's misreadings ("Der", "Norte" as people; whole Chinese sentences as organisations).
FRENCH_MODEL = "fr_core_news_sm"
_FRENCH_LABELS = {"PER": "PERSON", "ORG": "ORG", "LOC": "LOC"}  # MISC (events, works, nationalities) is left out


@cache
def load_french() -> Any:
    import spacy

    nlp = spacy.load(FRENCH_MODEL, exclude=["parser", "lemmatizer", "morphologizer", "attribute_ruler", "senter"])
    nlp.max_length = 2_000_000
    return nlp


_FRENCH_ARTICLE = re.compile(r"^(?:(?:la|le|les)\s+|l['’])", re.IGNORECASE)


def _french(doc: Any) -> list[Mention]:
    ents = []
    for e in doc.ents:
        label = _FRENCH_LABELS.get(e.label_)
        article = _FRENCH_ARTICLE.match(e.text)
        start = e.start_char + (article.end() if article and article.end() < len(e.text) else 0)  # "la Chine" -> "Chine"
        if label == "LOC" and is_known_place(clean(e.text, "GPE")):
            label = "GPE"  # French has one label for places; a country or city is a GPE as in English
        end = e.start_char + e.text.find("\n") if "\n" in e.text else e.end_char  # never across a paragraph
        if label and end > start:
            ents.append((start, end, label))
    return harmonise(mentions_from_entities(doc.text, ents))


def analyse(texts: list[str], langs: list[str | None], processes: int = 1) -> list[list[Mention]]:
    """Mentions of each text, read by the model for its language (ISO 639-1; None: English)."""
    from dashboard.nlp import chinese

    out: list[list[Mention]] = [[] for _ in texts]
    english = [i for i, lang in enumerate(langs) if lang in (None, "en")]
    french = [i for i, lang in enumerate(langs) if lang == "fr"]
    if english:
        n_process = processes if len(english) >= 200 else 1  # worker start-up costs more than small chunks
        docs = load_pipeline().pipe([texts[i] for i in english], batch_size=64, n_process=n_process)
        for i, doc in zip(english, docs, strict=True):
            out[i] = extract(doc)
    if french:
        for i, doc in zip(french, load_french().pipe([texts[i] for i in french], batch_size=64), strict=True):
            out[i] = _french(doc)
    for i, lang in enumerate(langs):
        if lang == "zh":
            out[i] = chinese.mentions(texts[i])
    return out
