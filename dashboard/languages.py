"""Languages: which one an article is written in, and how each one is cut into words.

Detection is py3langid (BSD, 4.5 MB, naive Bayes over byte n-grams). Measured on the
multilingual test feeds (tests/fixtures/multilingual: en, de, fr, pt, traditional and simplified
Chinese; `benchmarks/multilingual.py`): 1.000 on articles and 1.000 on titles alone, 0.35 ms an
article. lingua-language-detector was as accurate there but took 1.5 ms an article on the feeds
and 18 ms on Reuters-21578 (its models load per language on first use), and weighs 96 MB.
py3langid reads case as a signal, so Reuters' all-capitals headlines came out Indonesian or
Nigerian Pidgin for 3,200 of 21,578 stories; text is therefore lower-cased first and the candidates
are the languages with an ISO 639-1 code (the stored code) less constructed and dead ones. A
guess under MIN_CONFIDENCE gives no language: then 21,124 of 21,578 Reuters stories are English,
437 (price tables, headline stubs: "Blah blah blah") have none and are read as English text was
before, and 17 are given another language (a headline of French names read as French). With a
bar of 0.1, 105 would have none but 55 a wrong language; with 0.05, 7 and 112.

Chinese is written without spaces, so it is segmented by jieba; traditional characters are
first read as simplified (OpenCC's table, Apache-licensed, in pure Python) so that 臺灣 and 台湾
are one word everywhere: in topics, entities and search.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

MAX_CHARS = 1000  # the first thousand characters decide (same answers on Reuters, a third faster)
MIN_CONFIDENCE = 0.2  # below this the detector is guessing (Reuters' stubs score 0.01-0.15; titles of the test feeds 0.38+)
MIN_LETTERS = 3
# Not news languages, or not in ISO 639-1: py3langid's Esperanto, Latin, Volapük... read English stubs as theirs.
_EXCLUDED = {"la", "vo", "eo", "ia", "ie", "io"}
_VARIANTS = {"yue": "zh", "wuu": "zh"}  # Cantonese and Wu written in Han characters: stored as Chinese
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_KANA = re.compile(r"[\u3040-\u30ff]")
_HANGUL = re.compile(r"[\uac00-\ud7af]")
_LETTER = re.compile(r"[^\W\d_]")

NAMES = {
    "en": "English", "de": "German", "fr": "French", "pt": "Portuguese", "es": "Spanish", "it": "Italian", "nl": "Dutch",
    "zh": "Chinese", "ja": "Japanese", "ko": "Korean", "ru": "Russian", "uk": "Ukrainian", "pl": "Polish", "sv": "Swedish",
    "da": "Danish", "no": "Norwegian", "fi": "Finnish", "tr": "Turkish", "ar": "Arabic", "he": "Hebrew", "fa": "Persian",
    "hi": "Hindi", "id": "Indonesian", "ms": "Malay", "vi": "Vietnamese", "th": "Thai", "cs": "Czech", "el": "Greek",
    "hu": "Hungarian", "ro": "Romanian", "ca": "Catalan",
}


def name(code: str) -> str:
    """'de' -> 'German' (the code itself for a language not listed)."""
    return NAMES.get(code, code)


@cache
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    codes = [c for c in identifier.nb_classes if (len(c) == 2 and c not in _EXCLUDED) or c in _VARIANTS]
    identifier.set_languages(codes)
    return identifier


def detect(text: str) -> str | None:
    """The ISO 639-1 code of the language `text` is written in, or None when it cannot be told."""
    text = text[:MAX_CHARS]
    if len(_LETTER.findall(text)) < MIN_LETTERS:
        return None
    script = _by_script(text)
    if script:
        return script
    if plainly_english(text):
        return "en"
    code, confidence = _identifier().classify(text.lower())
    if confidence < MIN_CONFIDENCE:
        return None
    return _VARIANTS.get(code, code)


def detect_article(title: str | None, body: str) -> str | None:
    return detect(f"{title}\n\n{body}" if title else body)


MAX_STATED = 40  # a language's tag or name; longer is a sentence in the wrong column


@lru_cache(maxsize=4096)  # an export states a few languages over and over
def stated(value: str) -> str | None:
    """The code of a language a source states (an export's `language` column, a feed's `<language>`): a
    tag (`en-US`, `zh_Hans`, `pt-BR`), an ISO 639-2 code (`eng`, `fre`, `ger`) or a name in English or in
    the language itself (`English`, `Deutsch`, `中文`), read by langcodes (IETF BCP 47 and CLDR's names)
    as the ISO 639-1 code the detector stores (ISO 639-3 where a language has none); None otherwise.
    Detection decides first (store.write): a stated language names an article's language only where the
    text cannot (a headline of four words, a title-only export), as a feed's channel-wide `<language>` may
    be wrong for an item."""
    import langcodes

    text = value.strip().replace("_", "-")
    if not text or len(text) > MAX_STATED:
        return None
    try:
        found = langcodes.Language.get(text) if langcodes.tag_is_valid(text) else langcodes.find(text)
    except (LookupError, ValueError):
        return None
    return found.language if found.language and found.language != "und" else None


def _by_script(text: str) -> str | None:
    """Chinese, Japanese and Korean by their scripts (kana only in Japanese, hangul only in Korean)."""
    han = len(_HAN.findall(text))
    kana = len(_KANA.findall(text))
    hangul = len(_HANGUL.findall(text))
    letters = len(_LETTER.findall(text))
    if not han + kana + hangul or (han + kana + hangul) * 2 < letters:
        return None
    if kana >= max(1, han // 10):
        return "ja"
    if hangul > han:
        return "ko"
    return "zh"


def has_han(text: str) -> bool:
    return bool(_HAN.search(text))


@cache
def _converter() -> Any:
    from opencc import OpenCC

    return OpenCC("t2s")


def simplified(text: str) -> str:
    """Traditional Chinese characters read as simplified (others unchanged; the same length in practice)."""
    return _converter().convert(text) if _HAN.search(text) else text


@cache
def _jieba() -> Any:
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def han_runs(text: str) -> Iterable[re.Match[str]]:
    return _HAN_RUN.finditer(text)


def segment(text: str) -> list[str]:
    """The words of a run of Chinese (simplified first), as jieba cuts them."""
    return [w for w in _jieba().lcut(simplified(text)) if w.strip()]


def segment_for_search(text: str) -> list[str]:
    """Words and the dictionary words inside them (台湾海峡 -> 台湾, 海峡, 台湾海峡), simplified."""
    return [w for w in _jieba().lcut_for_search(simplified(text)) if w.strip()]


def tag(text: str) -> list[tuple[str, str]]:
    """(word, part of speech) of simplified Chinese text, in order, covering the whole text."""
    import jieba.posseg

    _jieba()
    return [(pair.word, pair.flag) for pair in jieba.posseg.lcut(text)]


@cache
def stop_words(code: str) -> frozenset[str]:
    """spaCy's stop words for a language (they ship without any model); empty for a language it lacks.

    The file is run on its own: importing it as `spacy.lang.xx.stop_words` first runs the language
    package, which compiles its tokenizer's rules (1.5 s a language, 30 s for ROUTED).
    """
    import importlib.util

    spec = importlib.util.find_spec("spacy")
    path = Path(spec.origin).parent / "lang" / code / "stop_words.py" if spec and spec.origin else None
    if path is None or not path.is_file() or not code.isalpha():
        return frozenset()
    namespace: dict[str, Any] = {}
    exec(compile(path.read_text(encoding="utf-8"), str(path), "exec"), namespace)  # spaCy's own data file, a set literal
    words = frozenset(w.lower() for w in namespace.get("STOP_WORDS", ()))
    return frozenset(simplified(w) for w in words) if code == "zh" else words


# The languages whose stop words route a text in the topic model and the labels (see guess()).
ROUTED = ("en", "de", "fr", "pt", "es", "it", "nl", "sv", "da", "nb", "pl", "ro", "fi", "hu", "cs", "ca", "tr", "id", "ru", "uk")
GUESS_WORDS = 40  # enough for 5 distinct stop words in any of the test feeds' articles; 57 µs a text
GUESS_CHARS = 400
MIN_VOTES = 5
ENGLISH_VOTES = 8
_WORDS = re.compile(r"[^\W\d_]+")


@cache
def _stop_index() -> dict[str, tuple[str, ...]]:
    """Stop word -> the routed languages it is a stop word of."""
    index: dict[str, list[str]] = {}
    for code in ROUTED:
        for word in stop_words(code):
            index.setdefault(word, []).append(code)
    return {word: tuple(codes) for word, codes in index.items()}


def _votes(sample: str, limit: int = 0) -> dict[str, int]:
    """Per routed language, how many distinct stop words of it (two letters or more) the first `limit` words use (GUESS_WORDS)."""
    index = _stop_index()
    votes: dict[str, int] = {}
    seen: set[str] = set()
    for n, match in enumerate(_WORDS.finditer(sample.lower())):
        if n == (limit or GUESS_WORDS):
            break
        word = match.group()
        if len(word) < 2 or word in seen:
            continue
        seen.add(word)
        for code in index.get(word, ()):
            votes[code] = votes.get(code, 0) + 1
    return votes


def plainly_english(text: str) -> bool:
    """Whether the opening words are English beyond doubt: ENGLISH_VOTES distinct English stop words and
    three times as many as any other language has. Such a text needs no detector (57 µs, not 0.35 ms):
    on Reuters-21578 this settles 15,093 of 21,578 stories, and the detector agrees on every one of them."""
    votes = _votes(text[:MAX_CHARS], 4 * GUESS_WORDS)
    english = votes.get("en", 0)
    return english >= ENGLISH_VOTES and english >= 3 * max((n for code, n in votes.items() if code != "en"), default=0)


def guess(text: str) -> str:
    """The language of a text for cutting it into words, from what it is made of, in about 50 µs.

    The topic model reads every text several times (fit, term space, labels), so it does not
    call the detector (0.35 ms a text against 57 µs here; tokenising an article takes 45 µs):
    Han characters make a text Chinese, and otherwise the language whose stop words (_votes) are
    most used, when it uses at least MIN_VOTES of them and twice as many as English's; else
    English, so that a text with few words of any language (a table of figures: "Net 12.6 mln vs
    15 mln", where "net" is a Dutch stop word) is read as before. Every story of BBC News and
    Reuters-21578 is read as English this way, and every article of the multilingual test feeds
    as its own language.
    """
    sample = text[:GUESS_CHARS]
    if _HAN.search(sample) and _by_script(sample) == "zh":
        return "zh"
    votes = _votes(sample)
    best = max(votes.items(), key=lambda item: item[1], default=("en", 0))
    return best[0] if best[1] >= MIN_VOTES and best[1] >= 2 * votes.get("en", 0) else "en"
