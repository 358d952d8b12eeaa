"""The synthetic corpus: deterministic records (JSON Lines fields) and the truth they were made from."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
ARTICLES = HERE / "articles.jsonl"

FIRST_DAY = date(2024, 1, 1)  # a Monday: weeks line up with DuckDB's date_trunc('week')
DAYS = 91  # thirteen weeks
ORIGINALS = 260
UNDATED = 6
SOURCES = {"Daily Ledger": 0.4, "Coast Courier": 0.3, "Metro Wire": 0.2, "Harbour Post": 0.1}
# Names the small English model tags reliably in these sentences, with the type it gives them.
PEOPLE = ("Angela Merkel", "Emmanuel Macron", "Joe Biden", "Narendra Modi", "Justin Trudeau")
ORGS = ("Toyota", "Siemens", "Microsoft")
PLACES = ("Germany", "France", "Brazil", "Japan", "Canada")

THEMES: dict[str, dict[str, tuple[str, ...]]] = {
    "energy": {
        "titles": ("Oil prices climb as supply tightens", "Crude output cut lifts refinery margins", "Gas pipeline deal signed",
                   "Power grid strained by cold snap"),
        "sentences": (
            "Crude oil prices rose {n} percent as refinery demand outpaced pipeline supply.",
            "Traders said tanker freight rates for crude cargoes reached {n} dollars a barrel.",
            "The utility burned {n} thousand tonnes of coal while wind turbines stood idle.",
            "Natural gas storage fell to {n} percent of capacity after a cold week.",
            "Drilling rigs in the basin numbered {n}, the lowest count since autumn.",
            "Electricity futures for next month settled at {n} euros per megawatt hour.",
        ),
    },
    "football": {
        "titles": ("Two goals from the striker win the derby", "Coach sacked after cup exit", "League leaders held to a draw",
                   "Goalkeeper saves penalty in final minute"),
        "sentences": (
            "The striker scored in the {n}th minute with a header from a corner.",
            "Supporters filled the stadium, and {n} thousand tickets sold within an hour.",
            "The goalkeeper kept a clean sheet for the {n}th league match this season.",
            "The coach rotated the squad, resting {n} midfielders before the cup tie.",
            "A penalty was awarded after the referee reviewed the tackle for {n} minutes.",
            "The club signed a winger on a contract worth {n} million over four seasons.",
        ),
    },
    "elections": {
        "titles": ("Coalition talks stall before vote", "Campaign enters final week", "Parliament passes budget bill",
                   "Polls show tight race for ballot"),
        "sentences": (
            "Voters queued at {n} polling stations before the ballot boxes opened.",
            "The coalition needs {n} more seats in parliament to pass the budget.",
            "Campaign volunteers knocked on {n} thousand doors across the districts.",
            "The electoral commission counted {n} percent of ballots by midnight.",
            "Opposition lawmakers tabled {n} amendments to the constitutional reform bill.",
            "The turnout reached {n} percent, according to the electoral register.",
        ),
    },
    "weather": {
        "titles": ("Storm floods coastal towns", "Heatwave breaks temperature records", "Snow closes mountain roads",
                   "Drought cuts river levels"),
        "sentences": (
            "Rainfall of {n} millimetres flooded basements along the coast.",
            "Forecasters expect temperatures near {n} degrees through the weekend.",
            "Snowfall of {n} centimetres closed mountain passes overnight.",
            "River levels dropped {n} centimetres as the drought continued.",
            "Gusts of {n} kilometres an hour toppled trees and power lines.",
            "Emergency crews pumped water from {n} flooded homes near the harbour.",
        ),
    },
}
QUOTES = ("We will not accept these terms", "The figures show a clear improvement this quarter",
          "Nobody expected the decision to come so soon", "Our partners have made their position plain")


@dataclass
class Article:
    id: str
    title: str
    text: str
    source: str
    published: str | None
    url: str
    theme: str
    names: list[str] = field(default_factory=list)  # entities written into the text
    speakers: list[str] = field(default_factory=list)  # who each named quote is attributed to
    unattributed_quotes: int = 0
    duplicate_of: str | None = None  # the id of the story this one copies


def _at_boundary(index: int) -> bool:
    return index >= UNDATED and (index % 23 == 0 or index % 29 == 0)


def _published(rng: random.Random, index: int) -> str | None:
    """Mostly random times; the first and last second of a day at fixed places; a few undated."""
    if index < UNDATED:
        return None
    day = FIRST_DAY + timedelta(days=rng.randrange(DAYS))
    moment = datetime(day.year, day.month, day.day) + timedelta(seconds=rng.randrange(86_400))
    if index % 23 == 0:  # and so _at_boundary
        moment = datetime(day.year, day.month, day.day)  # midnight: inside `from` = that day
    elif index % 29 == 0:
        moment = datetime(day.year, day.month, day.day, 23, 59, 59)  # inside `to` = that day
    return moment.isoformat() + "Z"


def _names(rng: random.Random, index: int) -> list[str]:
    """Zero to three entities; Merkel and Germany often together, often apart; Merkel at the day boundaries."""
    chosen: list[str] = []
    if rng.random() < 0.35 or _at_boundary(index):
        chosen.append("Angela Merkel")
    if rng.random() < (0.5 if chosen else 0.2):
        chosen.append("Germany")
    pool = [n for n in PEOPLE + ORGS + PLACES if n not in chosen]
    chosen += rng.sample(pool, rng.choice((0, 1, 1, 2)))
    return chosen


def _mention(name: str, rng: random.Random) -> str:
    if name in PEOPLE:
        return rng.choice((f"{name} met officials on Tuesday to discuss the plans.",
                           f"Officials briefed {name} on the matter during a visit."))
    if name in ORGS:
        return rng.choice((f"Shares of {name} were little changed after the news.",
                           f"Executives at {name} declined to comment on the figures."))
    return rng.choice((f"Officials in {name} were watching the situation closely.",
                       f"The government of {name} said little in public."))


def _original(rng: random.Random, index: int) -> Article:
    theme = rng.choice(sorted(THEMES))
    spec = THEMES[theme]
    names = _names(rng, index)
    sentences = [s.format(n=rng.randrange(2, 990)) for s in rng.sample(spec["sentences"], 4)]
    sentences += [_mention(name, rng) for name in names]
    speakers: list[str] = []
    unattributed = 0
    people = [n for n in names if n in PEOPLE]
    quiet = "Microsoft" in names  # a selection with no quote at all: the articles that mention Microsoft
    if people and not quiet and rng.random() < 0.6:
        speakers.append(people[0])
        sentences.append(f"“{rng.choice(QUOTES)},” {people[0]} said.")
    elif not quiet and rng.random() < 0.15:
        unattributed = 1
        sentences.append(f"A banner on the wall read: “{rng.choice(QUOTES)}.”")
    source = rng.choices(list(SOURCES), weights=list(SOURCES.values()))[0]
    key = f"s{index:03d}"
    return Article(id=key, title=f"{rng.choice(spec['titles'])} ({index})", text=" ".join(sentences), source=source,
                   published=_published(rng, index), url=f"https://{source.split()[0].lower()}.example/{key}", theme=theme,
                   names=names, speakers=speakers, unattributed_quotes=unattributed)


def _copy(rng: random.Random, of: Article, index: int) -> Article:
    """A near-duplicate: the same story from another desk, one number changed, later the same week."""
    sentences = of.text.split(". ")
    sentences.insert(1, "Reporting by the agency desk")
    source = next(s for s in SOURCES if s != of.source)
    published = None if of.published is None else (
        datetime.fromisoformat(of.published.rstrip("Z")) + timedelta(hours=3)).isoformat() + "Z"
    key = f"d{index:03d}"
    return Article(id=key, title=of.title, text=". ".join(sentences), source=source, published=published,
                   url=f"https://{source.split()[0].lower()}.example/{key}", theme=of.theme, names=list(of.names),
                   speakers=list(of.speakers), unattributed_quotes=of.unattributed_quotes, duplicate_of=of.id)


def generate(seed: int = 15) -> list[Article]:
    """The originals, then near-duplicates of some of them (a copy comes after its original)."""
    rng = random.Random(seed)
    originals = [_original(rng, i) for i in range(ORIGINALS)]
    copied = sorted(rng.sample(range(UNDATED, ORIGINALS), 24))
    return originals + [_copy(rng, originals[i], n) for n, i in enumerate(copied)]


def record(article: Article) -> dict:
    """The JSON Lines record the dashboard ingests (only the fields an ingest reads)."""
    out = {"id": article.id, "title": article.title, "text": article.text, "source": article.source, "url": article.url}
    if article.published:
        out["published"] = article.published
    return out


def lines(articles: list[Article]) -> str:
    return "".join(json.dumps(record(a), ensure_ascii=False) + "\n" for a in articles)


def write() -> None:
    ARTICLES.write_text(lines(generate()), encoding="utf-8")
