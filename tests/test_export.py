import csv
import io
import json

import pytest

from dashboard.store.exports import EXPORT_FIELDS
from tests.conftest import cli, rows
from tests.synthetic.corpus import generate

# The public contract of `python -m dashboard export`: names and order.
CONTRACT = {
    "articles": ["id", "external_id", "source", "url", "title", "kicker", "body", "published",
                 "topic_id", "topic_label", "duplicate_of", "labels", "story_id", "lang"],
    "topics": ["id", "label", "terms", "size"],
    "entities": ["name", "type", "aliases", "articles", "mentions"],
    "quotes": ["article_id", "text", "speaker", "speaker_type"],
    "stories": ["id", "headline", "topic_id", "first", "last", "size"],
}


def test_export_fields_are_the_contract():
    assert {k: list(v) for k, v in EXPORT_FIELDS.items()} == CONTRACT


@pytest.mark.parametrize("what", sorted(CONTRACT))
def test_export_jsonl_and_csv_use_the_contract_names(seed_db, capsys, what):
    assert cli("export", what, "--db", seed_db) == 0
    lines = capsys.readouterr().out.splitlines()
    for line in lines:
        assert list(json.loads(line)) == CONTRACT[what]
    assert cli("export", what, "--db", seed_db, "--format", "csv") == 0
    reader = csv.reader(io.StringIO(capsys.readouterr().out))
    assert next(reader) == CONTRACT[what]
    assert len(list(reader)) == len(lines)


def test_export_articles_values(seed_db, tmp_path):
    out = tmp_path / "articles.jsonl"
    assert cli("export", "articles", "--db", seed_db, "--out", out) == 0
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(records) == 5
    assert {r["source"] for r in records} == {"Taipei Times"}
    assert all(r["published"] == "2025-03-15T00:00:00Z" for r in records)
    assert sorted(r["kicker"] or "" for r in records)[2:] == ["CONSISTENT COMMITMENT", "CROSSED A LINE", "NATIONAL SECURITY"]


def test_export_of_a_missing_database_is_a_clear_error(tmp_path, capsys):
    assert cli("export", "articles", "--db", tmp_path / "none.duckdb") == 2
    assert "no database yet" in capsys.readouterr().err


def exported(db, what: str, tmp_path) -> list[dict]:
    out = tmp_path / f"{what}.jsonl"
    assert cli("export", what, "--db", db, "--out", out) == 0
    return [json.loads(line) for line in out.read_text().splitlines()]


def test_export_topics_of_an_enriched_database(synthetic_db, tmp_path):
    topics = {t: (label, terms) for t, label, terms in rows(synthetic_db, "SELECT id, coalesce(custom_label, label), terms FROM topics")}
    sizes = {}  # a topic's size: its original articles (a near-duplicate is the same story told again)
    for (topic_id,) in rows(synthetic_db, "SELECT x.topic_id FROM article_topics x JOIN articles a ON a.id = x.article_id "
                                          "WHERE a.duplicate_of IS NULL"):
        sizes[topic_id] = sizes.get(topic_id, 0) + 1
    got = exported(synthetic_db, "topics", tmp_path)
    assert len(got) == len(topics) >= 3
    assert got == [{"id": t, "label": topics[t][0], "terms": topics[t][1], "size": sizes.get(t, 0)} for t in sorted(topics)]
    assert sum(r["size"] for r in got) == 260  # the generator's 260 originals, each in one topic


def test_export_entities_of_an_enriched_database(synthetic_db, tmp_path):
    mentions = rows(synthetic_db, "SELECT e.name, e.type, e.aliases, m.article_id FROM mentions m JOIN entities e ON e.id = m.entity_id")
    counted: dict[str, dict] = {}
    for name, kind, aliases, article_id in mentions:
        entry = counted.setdefault(name, {"name": name, "type": kind, "aliases": aliases, "articles": set(), "mentions": 0})
        entry["articles"].add(article_id)
        entry["mentions"] += 1
    want = sorted(({**e, "articles": len(e["articles"])} for e in counted.values()), key=lambda e: (-e["mentions"], e["name"]))
    got = exported(synthetic_db, "entities", tmp_path)
    assert [r for r in got if r["mentions"]] == want
    merkel = next(r for r in got if r["name"] == "Angela Merkel")  # in exactly the original articles written to name her
    written = [a for a in generate() if "Angela Merkel" in a.names and not a.duplicate_of]
    assert (merkel["type"], merkel["articles"]) == ("PERSON", len(written))


def test_export_quotes_of_an_enriched_database(synthetic_db, tmp_path):
    want = [{"article_id": a, "text": t, "speaker": s, "speaker_type": k} for a, t, s, k, _ in sorted(
        rows(synthetic_db, "SELECT q.article_id, q.text, e.name, e.type, q.start_char FROM quotes q LEFT JOIN entities e ON e.id = q.speaker_id"),
        key=lambda r: (r[0], r[4]))]
    got = exported(synthetic_db, "quotes", tmp_path)
    assert got == want
    assert {r["speaker_type"] for r in got} == {"PERSON", None}  # the generator quotes people, and a few notices nobody says
    assert {r["speaker"] for r in got} > {"Angela Merkel", None}


def test_export_articles_of_an_enriched_database(synthetic_db, tmp_path):
    truth = {a.id: a for a in generate()}
    topics = dict(rows(synthetic_db, "SELECT x.article_id, x.topic_id FROM article_topics x"))
    labels = dict(rows(synthetic_db, "SELECT id, coalesce(custom_label, label) FROM topics"))
    got = exported(synthetic_db, "articles", tmp_path)
    ids = {r["id"]: r["external_id"] for r in got}
    assert sorted(ids.values()) == sorted(truth)
    for r in got:
        a = truth[r["external_id"]]
        assert (r["source"], r["url"], r["title"], r["body"], r["published"]) == (a.source, a.url, a.title, a.text, a.published)
        assert ids.get(r["duplicate_of"]) == a.duplicate_of
        assert (r["topic_id"], r["topic_label"]) == (topics.get(r["id"]), labels.get(topics.get(r["id"])))
    dated = [r["published"] for r in got if r["published"]]
    assert dated == sorted(dated) and all(r["published"] is None for r in got[len(dated):])  # oldest first, undated last
