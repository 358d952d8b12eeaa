"""Topics that live over time, on real DuckDB files through the real CLI.

A small corpus is written here: three running subjects over ten days, then a new event
(a volcano erupting near a town, words the model has never seen) arriving in one batch.
Each article is assembled from different sentences, so that none is a near-duplicate of
another. Expected answers come from the generator (which subject each article is about),
never from the code under test.
"""

from __future__ import annotations

import json
import random
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pytest

from dashboard.nlp import evolve, stories
from dashboard.store.exports import EXPORT_FIELDS
from tests.conftest import cli, rows

START = date(2024, 5, 1)
SUBJECTS = {
    "rates": ("The central bank", ["interest rates", "inflation", "the bank's governor", "bond yields", "mortgage costs",
                                   "the monetary policy committee", "the base rate", "consumer prices"]),
    "football": ("The club", ["the striker", "the league title", "the manager", "the stadium", "a penalty", "the goalkeeper",
                              "the transfer window", "the championship"]),
    "harvest": ("Farmers", ["the wheat harvest", "grain prices", "the drought", "crop yields", "fertiliser costs", "the barley crop",
                            "irrigation", "the farm ministry"]),
    "volcano": ("Emergency officials", ["the volcano", "the eruption near Grindavik", "lava flows", "the evacuation of Grindavik",
                                        "the Reykjanes peninsula", "seismologists", "the magma tunnel", "ash clouds over Iceland"]),
}
VERBS = ["reported on", "warned about", "spoke about", "raised concerns over", "published figures on", "answered questions on",
         "gave an update on", "discussed"]


def article(subject: str, number: int, day: date) -> dict:
    """One article about `subject`, different from every other one the generator writes."""
    rng = random.Random(f"{subject}-{number}")
    actor, things = SUBJECTS[subject]
    chosen = rng.sample(things, 5)
    sentences = [f"{actor} {rng.choice(VERBS)} {thing} on day {number} of the {subject} coverage, item {rng.randint(1, 10**6)}."
                 for thing in chosen]
    title = f"{actor} and {chosen[0]} ({subject} {number})"
    return {"id": f"{subject}-{number}", "title": title, "text": " ".join(sentences), "published": f"{day.isoformat()}T09:00:00Z",
            "source": "Test Wire"}


def write(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def base_corpus(tmp_path: Path, per_subject: int = 14) -> Path:
    records = [article(subject, n, START + timedelta(days=n % 10)) for subject in ("rates", "football", "harvest")
               for n in range(per_subject)]
    return write(tmp_path / "base.jsonl", records)


def members(db: Path) -> dict[int, set[str]]:
    out: dict[int, set[str]] = {}
    for external_id, topic_id in rows(db, "SELECT a.external_id, x.topic_id FROM articles a JOIN article_topics x ON x.article_id = a.id"):
        out.setdefault(topic_id, set()).add(external_id)
    return out


def test_a_new_coherent_group_becomes_a_topic_in_one_run_without_renumbering(db, tmp_path):
    assert cli("ingest", base_corpus(tmp_path), "--db", db, "--quiet") == 0
    topics_before = rows(db, "SELECT id, label, terms FROM topics ORDER BY id")
    assignments_before = dict(rows(db, "SELECT article_id, topic_id FROM article_topics"))
    assert len(assignments_before) == 42
    eruption_day = START + timedelta(days=11)
    news = [article("volcano", n, eruption_day + timedelta(days=n % 2)) for n in range(12)]
    assert cli("ingest", write(tmp_path / "volcano.jsonl", news), "--db", db, "--quiet") == 0

    (new_id, label, born), = rows(db, "SELECT id, label, born FROM topics WHERE created_at IS NOT NULL")
    assert new_id > max(t[0] for t in topics_before)  # a fresh id, nobody renumbered
    assert rows(db, f"SELECT id, label, terms FROM topics WHERE id <> {new_id} ORDER BY id") == topics_before
    assert members(db)[new_id] == {f"volcano-{n}" for n in range(12)}
    assert dict(rows(db, "SELECT article_id, topic_id FROM article_topics WHERE topic_id <> ?", [new_id])) == assignments_before
    assert born == eruption_day
    assert "grindavik" in label.lower() or "volcano" in label.lower() or "eruption" in label.lower()
    assert rows(db, "SELECT event, day FROM topic_events WHERE topic_id = ?", [new_id]) == [("born", eruption_day)]
    assert cli("check", "--db", db) == 0  # daily counts and entity rows, updated for the moved articles only, agree with a recount


def test_a_small_batch_of_a_known_subject_joins_its_topic_and_starts_none(db, tmp_path):
    assert cli("ingest", base_corpus(tmp_path), "--db", db, "--quiet") == 0
    football = next(tid for tid, ids in members(db).items() if any(i.startswith("football") for i in ids))
    later = [article("football", 100 + n, START + timedelta(days=11)) for n in range(4)]
    assert cli("ingest", write(tmp_path / "more.jsonl", later), "--db", db, "--quiet") == 0
    assert rows(db, "SELECT count(*) FROM topics WHERE created_at IS NOT NULL") == [(0,)]
    assert {f"football-{100 + n}" for n in range(4)} <= members(db)[football]


def test_a_refit_records_splits_and_merges(db, tmp_path):
    assert cli("ingest", base_corpus(tmp_path), "--db", db, "--no-enrich", "--quiet") == 0
    assert cli("enrich", "--db", db, "--topics", "2", "--quiet") == 0
    two = members(db)
    (mixed,) = [tid for tid, ids in two.items() if len({i.split("-")[0] for i in ids}) == 2]

    assert cli("enrich", "--db", db, "--refit", "--topics", "3", "--quiet") == 0
    three = members(db)
    subjects = {frozenset({i.split("-")[0] for i in ids}) for ids in three.values()}
    assert subjects == {frozenset({"rates"}), frozenset({"football"}), frozenset({"harvest"})}
    splits = rows(db, "SELECT other_id FROM topic_events WHERE topic_id = ? AND event = 'split'", [mixed])
    parts = {tid for tid, ids in three.items() if ids & two[mixed]}
    assert len(parts) == 2 and {r[0] for r in splits} == parts - {mixed}

    assert cli("enrich", "--db", db, "--refit", "--topics", "2", "--quiet") == 0
    merged = rows(db, "SELECT topic_id, other_id FROM topic_events WHERE event = 'merged'")
    gone = set(three) - set(members(db))
    assert gone and {r[0] for r in merged} >= gone
    assert all(other in members(db) for _, other in merged if _ in gone)


def test_stories_group_one_event_and_keep_their_ids(db, tmp_path):
    assert cli("ingest", base_corpus(tmp_path), "--db", db, "--quiet") == 0
    news = [article("volcano", n, START + timedelta(days=11)) for n in range(6)]
    assert cli("ingest", write(tmp_path / "volcano.jsonl", news), "--db", db, "--quiet") == 0
    story_of = dict(rows(db, "SELECT a.external_id, s.story_id FROM articles a JOIN article_stories s ON s.article_id = a.id"))
    assert len({story_of[f"volcano-{n}"] for n in range(6)}) == 1
    volcano_story = story_of["volcano-0"]
    assert all(story_of[i] != volcano_story for i in story_of if not i.startswith("volcano"))
    (size, first, last, headline), = rows(db, "SELECT s.size, s.first_day, s.last_day, a.external_id FROM stories s "
                                              "JOIN articles a ON a.id = s.headline_article WHERE s.id = ?", [volcano_story])
    assert (size, first, last) == (6, START + timedelta(days=11), START + timedelta(days=11))
    assert headline.startswith("volcano-")
    more = [article("volcano", 50, START + timedelta(days=12))]
    assert cli("ingest", write(tmp_path / "later.jsonl", more), "--db", db, "--quiet") == 0
    after = dict(rows(db, "SELECT a.external_id, s.story_id FROM articles a JOIN article_stories s ON s.article_id = a.id"))
    assert {k: after[k] for k in story_of} == story_of  # nobody's story changed
    assert after["volcano-50"] == volcano_story
    assert rows(db, "SELECT size, last_day FROM stories WHERE id = ?", [volcano_story]) == [(7, START + timedelta(days=12))]


def test_the_story_filter_and_exports(db, tmp_path):
    from dashboard.store import connect
    from dashboard.store import queries as q

    assert cli("ingest", base_corpus(tmp_path, 6), "--db", db, "--quiet") == 0
    news = [article("volcano", n, START + timedelta(days=11)) for n in range(5)]
    assert cli("ingest", write(tmp_path / "volcano.jsonl", news), "--db", db, "--quiet") == 0
    (story_id,) = {r[0] for r in rows(db, "SELECT s.story_id FROM article_stories s JOIN articles a ON a.id = s.article_id "
                                          "WHERE a.external_id LIKE 'volcano-%'")}
    with connect(db, read_only=True) as con:
        chosen = q.articles(con, q.Filters(stories=(story_id,)))
        assert q.headline(con, q.Filters(stories=(story_id,)))["articles"] == 5
        listed = q.stories(con, q.Filters(), 50)
    assert sorted(rows(db, "SELECT external_id FROM articles WHERE id IN (SELECT unnest(?::VARCHAR[]))", [list(chosen["id"])])) == \
        sorted((f"volcano-{n}",) for n in range(5))
    assert int(listed.loc[listed["id"] == story_id, "size"].iloc[0]) == 5

    out = tmp_path / "stories.jsonl"
    assert cli("export", "stories", "--db", db, "--out", out) == 0
    exported = [json.loads(line) for line in out.read_text().splitlines()]
    assert tuple(exported[0]) == EXPORT_FIELDS["stories"] == ("id", "headline", "topic_id", "first", "last", "size")
    assert {r["id"]: r["size"] for r in exported}[story_id] == 5
    out = tmp_path / "articles.jsonl"
    assert cli("export", "articles", "--db", db, "--out", out) == 0
    exported = [json.loads(line) for line in out.read_text().splitlines()]
    assert list(exported[0])[-2:] == ["story_id", "lang"]
    by_external = {r["external_id"]: r["story_id"] for r in exported}
    assert {by_external[f"volcano-{n}"] for n in range(5)} == {story_id}


def test_story_linking_joins_by_average_similarity_within_the_window():
    from scipy import sparse

    # Rows 0-1 share a direction on day 0; row 2 points the same way 2 days later (inside the window),
    # row 3 the same way 10 days later (outside it), row 4 elsewhere.
    vectors = sparse.csr_matrix(np.array([[1, 0, 0], [0.9, 0.1, 0], [1, 0, 0], [1, 0, 0], [0, 0, 1]], dtype=np.float32))
    vectors = sparse.csr_matrix(vectors.multiply(1 / np.sqrt(vectors.multiply(vectors).sum(axis=1))))
    placed = stories.Placed(vectors[:0], np.array([], dtype=int), np.array([], dtype=int))
    ids = stories.link(vectors, np.array([0, 0, 2, 12, 2]), placed, next_id=7)
    assert ids[0] == ids[1] == ids[2] == 7
    assert len({ids[0], ids[3], ids[4]}) == 3


def test_lineage_of_a_refit():
    old = {1: {"a", "b", "c", "d"}, 2: {"e", "f", "g"}, 3: {"h", "i"}}
    new = {1: {"a", "b"}, 5: {"c", "d"}, 2: {"e", "f", "g", "h", "i"}, 6: {"x", "y"}}
    events = evolve.lineage(old, new)
    assert evolve.Event(1, "split", 5) in events
    assert evolve.Event(3, "merged", 2) in events
    assert evolve.Event(6, "born") in events and evolve.Event(5, "born") in events
    assert not [e for e in events if e.topic_id == 2]


@pytest.mark.parametrize(("fitted", "total", "since", "poor", "due"), [
    (1000, 1500, 500, 0, True),        # grown by half
    (1000, 1400, 400, 400, False),     # drifted, but too few new articles to judge
    (1000, 1499, 499, 200, False),     # 40% poor, still below the minimum of 500 articles
    (10_000, 11_000, 1000, 300, True), # 30% of 1,000 new articles fit poorly
    (10_000, 11_000, 1000, 299, False),
    (1_000_000, 1_000_300, 300, 300, False),  # a poll of a few hundred never refits a million
])
def test_refit_is_due_on_growth_or_drift(fitted, total, since, poor, due):
    assert evolve.refit_due(fitted, total, since, poor) is due


@pytest.fixture(scope="module")
def volcano_db(tmp_path_factory) -> Path:
    """Three running subjects, then a volcano eruption that becomes a topic of its own."""
    folder = tmp_path_factory.mktemp("volcano")
    db = folder / "news.duckdb"
    assert cli("ingest", base_corpus(folder), "--db", db, "--quiet") == 0
    news = [article("volcano", n, START + timedelta(days=11 + n % 2)) for n in range(12)]
    assert cli("ingest", write(folder / "volcano.jsonl", news), "--db", db, "--quiet") == 0
    return db


def page_text(at) -> str:
    """What the page shows: its text, and each page link as its label and its target (`topics?topic=4`)."""
    text = [str(e.value) for kind in ("markdown", "header", "subheader", "caption") for e in getattr(at, kind)]
    links = [f"{ln.proto.label}\n{ln.proto.page}?{ln.proto.query_string}" for ln in at.get("page_link")]
    return "\n".join(text + links)


def test_the_topics_page_shows_a_topics_birth_lineage_and_stories(volcano_db):
    from tests.test_app import app

    (new_id, _), = rows(volcano_db, "SELECT id, label FROM topics WHERE created_at IS NOT NULL")
    at = app(volcano_db, "topics", {"topic": str(new_id)})
    shown = page_text(at)
    born = (START + timedelta(days=11)).strftime("%d %b %Y")
    assert f"new since {born}" in shown
    assert f"{(START + timedelta(days=11)).isoformat()}: born" in shown
    assert "Stories in this topic" in shown
    headlines = {t for (t,) in rows(volcano_db, "SELECT a.title FROM stories s JOIN articles a ON a.id = s.headline_article "
                                                "WHERE s.topic_id = ?", [new_id])}
    assert headlines and all(h.split("(")[0].strip() in shown for h in headlines)


def test_the_overview_flags_the_new_topic(volcano_db):
    from tests.test_app import app

    (new_id, _), = rows(volcano_db, "SELECT id, label FROM topics WHERE created_at IS NOT NULL")
    shown = page_text(app(volcano_db))
    assert "New topics and stories" in shown
    assert f"topics?topic={new_id}" in shown and "new since" in shown
