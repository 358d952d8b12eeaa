"""Words as search sees them: lower case, accents dropped, split where Unicode says words end.

Chinese and Japanese are written without spaces, so each of their characters counts as a
word; Chinese is also cut into words (jieba: 台湾海峡 gives 台湾, 海峡 and 台湾海峡), and a search
for 台湾 looks for that word, not for 台 and 湾 anywhere in the article. A word the index has never
seen (a name jieba cuts differently in the article) is looked for by its characters, as before.
Traditional characters are read as simplified (fold), so 臺灣 finds 台湾 and the other way round.
Single letters and digits are left out: a row per article for "a" or "s" would cost
more than it finds. The search index, a search's query and the reader's highlights all go
through the same functions here, so they always agree.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from dashboard.languages import han_runs, has_han, segment, segment_for_search, simplified

_CJK_RANGES = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# One rule for every function here: a CJK word is a *letter* of those blocks. The blocks also hold
# punctuation (・ U+30FB, ゠ U+30A0) and unassigned code points (U+3097), which are no words.
_CJK_LETTER = f"(?=[^\\W_])[{_CJK_RANGES}]"
_CJK = re.compile(f"({_CJK_LETTER})")
_WORD = re.compile(r"([^\W_]+)(\*?)")
_LONG_WORD = re.compile(r"[^\W_]{2,}")
_WORD_IN_PLACE = re.compile(f"{_CJK_LETTER}|[^\\W_{_CJK_RANGES}]+")
MAX_TERMS = 12  # a search of more words than this is narrowed to its first twelve


def fold(text: str) -> str:
    """Lower case without accents, Chinese characters as simplified."""
    text = text.lower()
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", simplified(text) if has_han(text) else text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def is_chinese_word(term: str) -> bool:
    """A term of two Chinese characters or more: a segmented word (see chinese_words)."""
    return len(term) > 1 and all(_CJK.match(c) for c in term)


def chinese_words(folded: str, for_search: bool = True) -> list[str]:
    """The words of two characters or more in the Chinese runs of folded text (jieba's cut)."""
    cut = segment_for_search if for_search else segment
    return [w for run in han_runs(folded) for w in cut(run.group()) if is_chinese_word(w)]


def _worth_indexing(term: str) -> bool:
    return len(term) > 1 or bool(_CJK.match(term))


def _tokens(text: str) -> Iterable[tuple[str, bool]]:
    """(word, ends with *) for each word worth indexing."""
    for match in _WORD.finditer(_CJK.sub(r" \1 ", fold(text))):
        if _worth_indexing(match.group(1)):
            yield match.group(1), bool(match.group(2))


def terms(text: str) -> set[str]:
    """The distinct words a text is indexed under (what _tokens finds, found faster)."""
    folded = fold(text)
    if not _CJK.search(folded):
        return set(_LONG_WORD.findall(folded))
    spaced = _CJK.sub(r" \1 ", folded)
    return set(_LONG_WORD.findall(spaced)) | set(_CJK.findall(spaced)) | set(chinese_words(folded))


def parse(query: str) -> tuple[list[str], list[str]]:
    """A search's whole words and its prefixes (`word*`), in order, without repeats.

    A run of Chinese is its words as jieba cuts it (卓榮泰 -> 卓荣泰), and the characters of a run
    that are not in any word of two or more (的 in 台湾的选举).
    """
    words: dict[str, None] = {}
    prefixes: dict[str, None] = {}
    for term, is_prefix in _query_tokens(query):
        (prefixes if is_prefix else words)[term] = None
        if len(words) + len(prefixes) >= MAX_TERMS:
            break
    return list(words), list(prefixes)


def _query_tokens(query: str) -> Iterable[tuple[str, bool]]:
    folded = fold(query)
    if not _CJK.search(folded):
        yield from _tokens(folded)
        return
    position = 0
    for run in han_runs(folded):
        yield from _tokens(folded[position : run.start()])
        for word in segment(run.group()):
            if is_chinese_word(word):
                yield word, False
            else:
                yield from _tokens(word)
        position = run.end()
    yield from _tokens(folded[position:])


def spans(text: str, query: str) -> list[tuple[int, int]]:
    """(start, end) of every place in `text` that the search `query` matches."""
    words, prefixes = parse(query)
    if not words and not prefixes:  # searched as plain text
        needle = query.strip()
        return [(m.start(), m.end()) for m in re.finditer(re.escape(needle), text, re.IGNORECASE)] if needle else []
    wanted = set(words)
    found = []
    for match in _WORD_IN_PLACE.finditer(text):
        word = fold(match.group())
        if word in wanted or any(word.startswith(p) for p in prefixes):
            found.append((match.start(), match.end()))
    return sorted(found + _chinese_spans(text, [w for w in words if is_chinese_word(w)]))


def _chinese_spans(text: str, chinese: list[str]) -> list[tuple[int, int]]:
    """Where the Chinese words of a search stand in `text` (traditional or simplified)."""
    if not chinese or not has_han(text):
        return []
    folded = simplified(text)
    if len(folded) != len(text):
        return []
    out = []
    for word in chinese:
        start = folded.find(word)
        while start >= 0:
            out.append((start, start + len(word)))
            start = folded.find(word, start + len(word))
    return out
