import csv
import io
import json

import pytest

from dashboard.store.exports import EXPORT_FIELDS
from tests.conftest import cli

# The public contract of `python -m dashboard export`: names and order.
CONTRACT = {
    "articles": ["id", "external_id", "source", "url", "title", "kicker", "body", "published",
                 "topic_id", "topic_label", "duplicate_of", "labels", "story_id"],
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
