"""Topic labels a person can read: the names, phrases and words that set a topic apart.

Candidates are the words and two-word phrases of the topic's articles and the entities
found in them (people, places, organisations, in their merged canonical spelling). Each is
scored by the share of the topic's articles that contain it times how rare it is in the
whole corpus (log of the inverse article frequency), so "bin Laden" in most of a topic's
articles and few others beats "challenged", which is everywhere. A candidate inside one
already chosen ("laden" after "bin Laden", "kursk" after "Kursk region") is skipped.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer

from dashboard import languages
from dashboard.nlp.topics import TOKEN as TOPIC_TOKEN
from dashboard.nlp.topics import stop_words_of, words_of

LABEL_SAMPLE = 400  # articles per topic read for its label (a refit of a million articles labels a sample)
ENTITY_TYPES = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT"})
_WORD = re.compile(r"\w+")
_TOKEN = re.compile(TOPIC_TOKEN)
_SEGMENT = re.compile(r"[.,;:!?()\[\]{}<>=\"“”‘’«»|/—–]+|\s['-]|['-]\s|\n\s*\n")  # a blank line ends a title or paragraph
_ANY_WORD = re.compile(r"[^\W\d_][^\W\d_'’-]*")


def sample_rows(groups: np.ndarray, per_group: int = LABEL_SAMPLE, seed: int = 0) -> np.ndarray:
    """At most `per_group` row indices of each group, chosen reproducibly."""
    rng = np.random.default_rng(seed)
    chosen = []
    for group in np.unique(groups):
        rows = np.flatnonzero(groups == group)
        chosen.append(rows if len(rows) <= per_group else np.sort(rng.choice(rows, per_group, replace=False)))
    return np.sort(np.concatenate(chosen)) if chosen else np.array([], dtype=int)


def phrases(text: str) -> list[str]:
    """Words and two-word phrases of a text: a phrase is two adjacent words, neither a stop word,
    with no punctuation between them ("prime minister", not "august ministry" from "August, the Ministry").

    Each language with its own stop words, so that no label reads "der · und · die"; Chinese by
    its words as the topic model cuts them (jieba's 台湾海峡 is already one word).
    """
    lang = languages.guess(text)
    if lang == "zh":
        return words_of(text, lang)
    stop = stop_words_of(lang)
    out = []
    for segment in _SEGMENT.split(text.lower()):
        tokens = _TOKEN.findall(segment) if lang == "en" else _spaced_tokens(segment)
        for i, token in enumerate(tokens):
            if not token or token in stop:
                continue
            out.append(token)
            if i + 1 < len(tokens) and tokens[i + 1] and tokens[i + 1] not in stop:
                out.append(f"{token} {tokens[i + 1]}")
    return out


def _spaced_tokens(segment: str) -> list[str]:
    """Every word, those too short to be a term as "": a short word between two ("continué de secouer") keeps them apart."""
    return [t if _TOKEN.fullmatch(t) else "" for t in _ANY_WORD.findall(segment)]


def _candidates(texts: Sequence[str], entities: Sequence[Sequence[str]]) -> tuple[sparse.csr_matrix, list[str]]:
    """How often each article uses each candidate, and the candidates' display forms."""
    words = CountVectorizer(analyzer=phrases, dtype=np.float32)
    try:
        word_matrix = words.fit_transform(texts)
        names = list(words.get_feature_names_out())
    except ValueError:  # no word at all
        word_matrix, names = sparse.csr_matrix((len(texts), 0), dtype=np.float32), []
    entity_names = sorted({name for article in entities for name in article})
    column = {name: i for i, name in enumerate(entity_names)}
    pairs = Counter((row, column[name]) for row, article in enumerate(entities) for name in article)
    entity_matrix = sparse.csr_matrix((np.array(list(pairs.values()), dtype=np.float32),
                                       ([p[0] for p in pairs], [p[1] for p in pairs])), shape=(len(texts), len(entity_names)))
    return sparse.hstack([word_matrix, entity_matrix]).tocsr(), names + entity_names


def _words(term: str) -> frozenset[str]:
    folded = term.casefold()
    return frozenset(_WORD.findall(languages.simplified(folded) if not folded.isascii() else folded))


def _choose(chosen: list[tuple[str, float]], candidate: str, score: float) -> list[tuple[str, float]]:
    """Add a candidate unless a chosen term already says it; a longer form ("Osama bin Laden")
    takes the place of the shorter ones it contains ("laden") when it scores at least half as high."""
    words = _words(candidate)
    if any(words <= _words(name) for name, _ in chosen):
        return chosen
    contained = [i for i, (name, _) in enumerate(chosen) if _words(name) < words]
    inside = [i for i in contained if score >= 0.5 * chosen[i][1]]
    if not contained:
        return [*chosen, (candidate, score)]
    if len(inside) < len(contained):  # it repeats a term that says more than it does
        return chosen
    kept = [item for i, item in enumerate(chosen) if i not in inside[1:]]
    kept[inside[0]] = (candidate, kept[inside[0]][1])
    return kept


def label_terms(texts: Sequence[str], groups: np.ndarray, entities: Sequence[Sequence[str]], n: int = 8) -> dict[int, list[str]]:
    """The `n` most distinctive candidates of each group (group id -> terms, best first)."""
    if not len(texts):
        return {}
    counts, names = _candidates(texts, entities)
    present = (counts > 0).astype(np.float32)
    idf = np.log((1 + len(texts)) / (1 + np.asarray(present.sum(axis=0)).ravel())) + 1
    out = {}
    for group in np.unique(groups):
        rows = groups == group
        containing = np.asarray(present[rows].sum(axis=0)).ravel()
        uses = np.asarray(counts[rows].sum(axis=0)).ravel()
        score = containing / rows.sum() * idf * (1 + np.log(np.maximum(uses, 1) / np.maximum(containing, 1)))
        score[containing < min(2, rows.sum())] = 0  # a single article's odd word is no label
        chosen: list[tuple[str, float]] = []
        for index in np.lexsort((np.array(names), -score)):
            if score[index] <= 0 or len(chosen) == n:
                break
            chosen = _choose(chosen, names[index], float(score[index]))
        chosen = [name for name, _ in chosen]
        member_texts = [texts[i] for i in np.flatnonzero(rows)[:50]]
        out[int(group)] = [written_as(term, member_texts) for term in chosen]
    return out


def written_as(term: str, texts: Sequence[str]) -> str:
    """The term as the articles most often write it ("Taiwan", "bin Laden", "ceasefire"; 臺灣 where they write that)."""
    if term != term.lower():
        return term  # an entity's canonical name
    if languages.has_han(term):
        return _written_in_han(term, texts)
    pattern = re.compile(r"(?<!\w)" + r"\W+".join(map(re.escape, term.split())) + r"(?!\w)", re.IGNORECASE)
    forms = Counter(match.group(0) for text in texts for match in pattern.finditer(text))
    return forms.most_common(1)[0][0] if forms else term


def _written_in_han(term: str, texts: Sequence[str]) -> str:
    """A Chinese term (simplified, as the model reads it) in the characters the articles use: traditional or simplified."""
    forms: Counter[str] = Counter()
    for text in texts:
        if not languages.has_han(text):
            continue
        simple = languages.simplified(text)
        if len(simple) != len(text):
            continue
        start = simple.find(term)
        while start >= 0:
            forms[text[start : start + len(term)]] += 1
            start = simple.find(term, start + 1)
    return forms.most_common(1)[0][0] if forms else term


def label_of(terms: Sequence[str], other: str = "other") -> str:
    return " · ".join(terms[:3]) if terms else other
