"""The Overview's latest quotes: only quotes with a known speaker, and never a headline's scare quote."""

from __future__ import annotations

import json

import pytest

from dashboard.store import connect
from dashboard.store import queries as q
from dashboard.store.queries import Filters
from tests.conftest import cli, rows


def attributed_newest_first(db) -> list[tuple[str, str, str]]:
    """Every quote with a speaker, newest article first (undated last), then article id and position:
    read from the stored tables with no query of the dashboard."""
    stored = rows(db, """SELECT a.published, a.id, q.start_char, q.text, e.name FROM quotes q
                         JOIN articles a ON a.id = q.article_id JOIN entities e ON e.id = q.speaker_id""")
    dated = sorted((r for r in stored if r[0] is not None), key=lambda r: (-r[0].timestamp(), r[1], r[2]))
    undated = sorted((r for r in stored if r[0] is None), key=lambda r: (r[1], r[2]))
    return [(article_id, text, speaker) for _, article_id, _, text, speaker in dated + undated]


@pytest.mark.parametrize(("limit", "window"), [(8, 1), (8, q.QUOTE_WINDOW), (1000, 1)])
def test_attributed_only_gives_the_newest_quotes_with_a_speaker(synthetic_db, limit, window, monkeypatch):
    monkeypatch.setattr(q, "QUOTE_WINDOW", window)  # 1: the first look finds too few, and widens
    unknown = rows(synthetic_db, "SELECT count(*) FROM quotes WHERE speaker_id IS NULL")[0][0]
    assert unknown, "the synthetic corpus has quotes with no speaker, so the option has something to leave out"
    with connect(synthetic_db, read_only=True) as con:
        got = q.quotes(con, Filters(), (), None, limit, True)
    assert list(zip(got["article_id"], got["text"], got["speaker"], strict=True)) == attributed_newest_first(synthetic_db)[:limit]


def test_attributed_only_keeps_the_speaker_and_text_filters(synthetic_db):
    with connect(synthetic_db, read_only=True) as con:
        by_speaker = q.quotes(con, Filters(), (), None, 1000)
        speaker = by_speaker["speaker"].dropna().iloc[0]
        got = q.quotes(con, Filters(), (speaker,), None, 1000, True)
        word = got["text"].iloc[0].split()[0]
        worded = q.quotes(con, Filters(), (), word, 1000, True)
    assert set(got["speaker"]) == {speaker}
    assert len(worded) and worded["speaker"].notna().all() and all(word.lower() in t.lower() for t in worded["text"])


def test_a_headline_scare_quote_never_reaches_the_latest_quotes(tmp_path):
    records = [
        {"id": "1", "title": 'Police name "persons of interest" in harbour fire', "published": "2025-03-02T10:00:00Z",
         "text": "Police said on Sunday that two men were being questioned about the fire at the harbour."},
        {"id": "2", "title": "Council backs sea wall", "published": "2025-03-01T10:00:00Z",
         "text": '"We cannot wait for the next storm," Mayor Jane Porter said after the vote on Saturday.'},
    ]
    feed = tmp_path / "wire.jsonl"
    feed.write_text("".join(json.dumps(r) + "\n" for r in records))
    db = tmp_path / "news.duckdb"
    assert cli("ingest", feed, "--db", db, "--quiet") == 0
    assert [t for (t,) in rows(db, "SELECT text FROM quotes")] == ["We cannot wait for the next storm"]
    with connect(db, read_only=True) as con:
        latest = q.quotes(con, Filters(), (), None, 8, True)
    assert list(zip(latest["text"], latest["speaker"], strict=True)) == [("We cannot wait for the next storm", "Jane Porter")]
