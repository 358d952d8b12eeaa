"""Enrichment of stored articles: entities and quotes per article, then topics over the corpus.

Work happens in chunks: read a chunk of articles (short connection), run spaCy over it in
worker processes (no connection held), write its results in one transaction. An interrupted
run therefore leaves whole chunks, and the next run takes up the articles not yet marked.
"""

from __future__ import annotations

import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from tqdm import tqdm

from dashboard.model import article_text
from dashboard.nlp import quotes_intl, tracking
from dashboard.nlp.entities import Mention, analyse
from dashboard.nlp.names import has_cjk, key, majority, short_form_candidates
from dashboard.nlp.quotes import Quote, find_quotes
from dashboard.store import connect, exclusive, transaction
from dashboard.store import enrichment as store
from dashboard.store.languages import article_langs, backfill

CHUNK = 5000
MAX_NER_CHARS = 100_000
MODEL_NAME = tracking.MODEL_NAME


@dataclass
class EnrichReport:
    articles: int = 0
    mentions: int = 0
    quotes: int = 0
    topics: int = 0
    refitted: bool = False
    born: list[int] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=lambda: defaultdict(float))

    def line(self) -> str:
        stages = ", ".join(f"{name} {secs:.1f} s" for name, secs in self.seconds.items())
        refit = " (refitted)" if self.refitted else ""
        refit += f" · new topics {', '.join(map(str, self.born))}" if self.born else ""
        return (f"enriched {self.articles:,} articles · {self.mentions:,} mentions · {self.quotes:,} quotes · "
                f"{self.topics} topics{refit} · {stages}")


class EntityTable:
    """Name and alias -> entity id, growing as new names are met."""

    def __init__(self, rows: list[tuple[int, str, str, list[str]]]) -> None:
        self.ids: dict[str, int] = {}
        self.next_id = 1 + max((r[0] for r in rows), default=0)
        self.new: dict[int, list] = {}
        self.aliases: dict[int, set[str]] = defaultdict(set)
        for entity_id, name, _, _ in rows:
            self.ids.setdefault(key(name), entity_id)
        for entity_id, _, _, aliases in rows:
            for alias in aliases or []:
                self.ids.setdefault(key(alias), entity_id)

    def id_for(self, mention: Mention) -> int:
        entity_id = self.ids.get(key(mention.name))
        if entity_id is None and mention.alias:
            entity_id = self.ids.get(key(mention.alias))
        if entity_id is None:
            entity_id, self.next_id = self.next_id, self.next_id + 1
            self.ids[key(mention.name)] = entity_id
            self.new[entity_id] = [entity_id, mention.name, mention.label, []]
        if mention.alias:
            self.ids.setdefault(key(mention.alias), entity_id)
            self.aliases[entity_id].add(mention.alias)
        return entity_id

    def speaker_id(self, name: str | None) -> int | None:
        return self.ids.get(key(name)) if name else None


def _analyse(texts: list[str], langs: list[str | None], processes: int) -> list[list[Mention]]:
    return analyse([t[:MAX_NER_CHARS] for t in texts], langs, processes)


def quotes_of(text: str, mentions: list[Mention], lang: str | None) -> tuple[list[Quote], list[Mention]]:
    """The quotes of an article, read by the rules of its language: English's (also for a language no rules
    are written for), or the marks and speech verbs of French, German, Spanish, ... (`quotes_intl`), with
    the mentions of speakers that language's model did not tag (none where a model reads it)."""
    if lang in quotes_intl.LANGUAGES:
        return quotes_intl.find_quotes_and_speakers(text, mentions, lang)
    return find_quotes(text, mentions), []


def _enrich_chunk(db: Path, rows: list[tuple[str, str | None, str, bool]], processes: int, report: EnrichReport) -> None:
    originals = [(aid, article_text(title, body)) for aid, title, body, dup in rows if not dup]
    with connect(db) as con:
        langs = article_langs(con, [aid for aid, _ in originals])
    started = time.perf_counter()
    all_mentions = _analyse([text for _, text in originals], [langs.get(aid) for aid, _ in originals], processes)
    report.seconds["ner"] += time.perf_counter() - started
    started = time.perf_counter()
    found = [quotes_of(text, mentions, langs.get(aid)) for (aid, text), mentions in zip(originals, all_mentions, strict=True)]
    all_quotes = [quotes for quotes, _ in found]
    all_mentions = [sorted(mentions + speakers, key=lambda m: m.start) for mentions, (_, speakers) in zip(all_mentions, found, strict=True)]
    report.seconds["quotes"] += time.perf_counter() - started
    started = time.perf_counter()
    now = datetime.now(UTC).replace(tzinfo=None)
    with connect(db) as con, transaction(con):
        table = EntityTable(store.entity_index(con))
        mention_rows, quote_rows = [], []
        for (article_id, _), mentions, quotes in zip(originals, all_mentions, all_quotes, strict=True):
            for m in mentions:
                mention_rows.append((article_id, table.id_for(m), m.start, m.end, m.text, m.label))
            for q in quotes:
                quote_rows.append((article_id, q.start, q.end, q.text, table.speaker_id(q.speaker), q.speaker, q.cue))
        store.insert_entities(con, list(table.new.values()))
        for entity_id, aliases in table.aliases.items():
            store.add_aliases(con, entity_id, sorted(aliases))
        store.insert_mentions(con, mention_rows)
        store.insert_quotes(con, quote_rows)
        store.mark_enriched(con, [r[0] for r in rows], now)
    report.seconds["writes"] += time.perf_counter() - started
    report.articles += len(rows)
    report.mentions += len(mention_rows)
    report.quotes += len(quote_rows)


SHORT_FORM_WINDOW_DAYS = 60  # "Clinton" in 1996 is not the "Hillary Clinton" of 2008


def consolidate(db: Path) -> None:
    """Corpus-wide entity clean-up: short forms take a full name where it is unambiguous, aliases fold
    into their entity, types follow the majority.

    A one-word name left by the article itself ("Clinton", with no full name in the article or
    two of them) takes the full name only when exactly one full name ending with it is mentioned
    within SHORT_FORM_WINDOW_DAYS of the article; otherwise it stays the surname.
    """
    with connect(db) as con, transaction(con):
        stats = store.entity_stats(con)
        names = {entity_id: name for entity_id, name, *_ in stats}
        people = [(eid, name, count) for eid, name, _, count, labels in stats
                  if labels and majority(labels) in ("PERSON", "ORG") and not has_cjk(name)
                  and (" " in name or "PERSON" in labels)]
        candidates = short_form_candidates(people)
        store.resolve_short_forms(con, [(s, c) for s, cs in candidates.items() for c in cs], SHORT_FORM_WINDOW_DAYS)
        by_alias = {key(alias): eid for eid, _, aliases, _, _ in stats for alias in aliases or []}
        plan: dict[int, int] = {}
        for eid, name, *_ in stats:
            target = by_alias.get(key(name))
            if target is not None and target != eid:
                plan[eid] = target
        store.merge_entities(con, _resolve_chains(plan, set(names)))
        store.set_types(con)
        store.drop_orphan_entities(con)
        store.refresh_article_entities(con)


def _resolve_chains(plan: dict[int, int], known: set[int]) -> dict[int, int]:
    """Follow source -> target -> target's target, so that every source maps to a final entity (cycles map nowhere)."""
    resolved = {}
    for source in sorted(plan):
        target, seen = plan[source], {source}
        while target in plan and target not in seen:
            seen.add(target)
            target = plan[target]
        if target not in seen and source in known and target in known:
            resolved[source] = target
    return resolved


def enrich(db: Path, refit: bool = False, n_topics: int | None = None, progress: bool | None = None, processes: int = 2) -> EnrichReport:
    """Enrich every article not enriched yet, then bring the topics up to date."""
    with exclusive(db, "enrich"):
        return _enrich(db, refit, n_topics, progress, processes)


def _enrich(db: Path, refit: bool, n_topics: int | None, progress: bool | None, processes: int) -> EnrichReport:
    report = EnrichReport()
    started = time.perf_counter()
    backfill(db)  # articles stored before languages were detected
    report.seconds["languages"] += time.perf_counter() - started
    with connect(db) as con:
        total = store.count_pending(con)
    bar = tqdm(total=total, unit=" articles", disable=not progress if progress is not None else None, file=sys.stderr, leave=False)
    new_ids: list[str] = []
    while True:
        with connect(db) as con:
            rows = store.pending(con, CHUNK)
        if not rows:
            break
        _enrich_chunk(db, rows, processes, report)
        new_ids.extend(r[0] for r in rows)
        bar.update(len(rows))
    bar.close()
    started = time.perf_counter()
    if new_ids:
        consolidate(db)
    report.seconds["entities"] += time.perf_counter() - started
    started = time.perf_counter()
    report.topics, report.refitted, report.born = tracking.step(db, new_ids, refit, n_topics)
    report.seconds["topics"] += time.perf_counter() - started
    return report
