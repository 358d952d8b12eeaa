import json
import random
import re
import string
from datetime import datetime

import pytest

from dashboard.ingest.dates import parse_date
from tests.conftest import FIXTURES, SEEDS, cli, corpus, reuters_with_text, rows, table_counts


def test_reingest_adds_nothing(seed_db, capsys):
    before = table_counts(seed_db)
    assert cli("ingest", SEEDS, "--db", seed_db, "--no-enrich", "--quiet") == 0
    assert table_counts(seed_db) == before
    assert "new 0" in capsys.readouterr().out


def test_rss_feed(db):
    assert cli("ingest", FIXTURES / "feed.rss", "--db", db, "--no-enrich") == 0
    stored = rows(db, "SELECT source, title, body, url, published, labels FROM articles ORDER BY published")
    assert len(stored) == 2
    source, title, body, url, published, labels = stored[0]
    assert source == "Harbour Gazette"
    assert title == "Council approves new harbour wall"
    assert "alert" not in body and body.startswith("The city council voted")
    assert url == "https://gazette.example/news/harbour-wall"
    assert published == datetime(2025, 3, 11, 8, 30)  # +01:00 converted to UTC
    assert labels == ["politics"]


def test_atom_feed(db):
    assert cli("ingest", FIXTURES / "feed.atom", "--db", db, "--no-enrich") == 0
    (row,) = rows(db, "SELECT source, title, body, published FROM articles")
    assert row[0] == "Valley Times" and row[1] == "River levels fall as rain eases"
    assert row[2].startswith("River levels across the valley") and "<p>" not in row[2]
    assert row[3] == datetime(2025, 3, 14, 6, 15)


def test_jsonl_export(db, capsys):
    assert cli("ingest", FIXTURES / "articles.jsonl", "--db", db, "--no-enrich") == 0
    stored = rows(db, "SELECT external_id, source, title, body, published FROM articles ORDER BY external_id")
    assert [r[0] for r in stored] == ["a-1", "a-2"]
    assert stored[1][3].startswith("Dairy exports held steady")  # 'body' accepted as well as 'text'
    assert stored[1][4] == datetime(2025, 3, 14, 11)
    assert "no field for: url" not in capsys.readouterr().err  # a-1 has a url


def test_csv_export_with_quoted_newline(db):
    assert cli("ingest", FIXTURES / "articles.csv", "--db", db, "--no-enrich") == 0
    stored = rows(db, "SELECT external_id, body, published FROM articles ORDER BY external_id")
    assert len(stored) == 2
    assert stored[1][1] == "Work on the central station upgrade starts next month.\nIt will take two years, the council said."
    assert stored[0][2] == datetime(2025, 3, 15)


def test_format_is_detected_by_content_not_extension(db, tmp_path):
    disguised = tmp_path / "feed.txt"
    disguised.write_bytes((FIXTURES / "feed.rss").read_bytes())
    assert cli("ingest", disguised, "--db", db, "--no-enrich") == 0
    assert table_counts(db)["articles"] == 2


def test_near_duplicate_is_linked_to_its_original(db, tmp_path):
    text = (
        "The central bank raised its main interest rate by a quarter point on Thursday, the third rise this year, "
        "saying inflation remained too high and the labour market too tight to wait any longer before acting again."
    )
    edited = text.replace("Thursday", "Thursday afternoon").replace("too tight", "very tight")
    feed = tmp_path / "wire.jsonl"
    feed.write_text(
        json.dumps({"title": "Bank raises rates", "text": text, "url": "https://a.example/1"}) + "\n"
        + json.dumps({"title": "Bank raises rates again", "text": edited, "url": "https://b.example/2"}) + "\n"
        + json.dumps({"title": "Storm hits coast", "text": "A storm hit the coast overnight, cutting power to thousands "
                      "of homes and closing schools across the region for the rest of the week.", "url": "https://c.example/3"}) + "\n"
    )
    assert cli("ingest", feed, "--db", db, "--no-enrich") == 0
    stored = dict(rows(db, "SELECT url, duplicate_of FROM articles"))
    original = rows(db, "SELECT id FROM articles WHERE url = 'https://a.example/1'")[0][0]
    assert stored["https://b.example/2"] == original
    assert stored["https://a.example/1"] is None and stored["https://c.example/3"] is None


def _shingle_jaccard(a: str, b: str) -> float:
    """Jaccard similarity of two texts' sets of three-word runs, computed exactly."""
    def runs(text: str) -> set[tuple[str, ...]]:
        words = text.split()
        return {tuple(words[i : i + 3]) for i in range(len(words) - 2)}
    return len(runs(a) & runs(b)) / len(runs(a) | runs(b))


@pytest.mark.parametrize(("changed", "linked"), [(1, True), (3, True), (7, False), (12, False)])
def test_a_story_is_a_near_duplicate_from_six_tenths_of_its_word_runs_shared(db, tmp_path, changed, linked):
    # 60 distinct words; changing one word changes the three runs it is in: 1, 3, 7 and 12 words changed
    # leave 0.90, 0.73, 0.47 and 0.26 of the runs shared, either side of the threshold of 0.6 by a wide margin
    # (64 MinHash permutations estimate a similarity of 0.7 to within 0.06).
    rng = random.Random(changed)
    words = ["".join(rng.choice(string.ascii_lowercase) for _ in range(7)) for _ in range(60)]
    edited = list(words)
    for position in range(4, 4 + 4 * changed, 4):
        edited[position] = edited[position].upper()[::-1].lower() + "x"
    text, copy = " ".join(words), " ".join(edited)
    assert (_shingle_jaccard(text, copy) >= 0.6) == linked and abs(_shingle_jaccard(text, copy) - 0.6) > 0.1
    feed = tmp_path / "pair.jsonl"
    feed.write_text(json.dumps({"id": "first", "title": "A report", "text": text}) + "\n"
                    + json.dumps({"id": "second", "title": "A report", "text": copy}) + "\n")
    assert cli("ingest", feed, "--db", db, "--no-enrich", "--quiet") == 0
    stored = dict(rows(db, "SELECT external_id, duplicate_of FROM articles"))
    first = rows(db, "SELECT id FROM articles WHERE external_id = 'first'")[0][0]
    assert stored == {"first": None, "second": first if linked else None}


def test_text_folder_keeps_relative_path_and_folder_label(db, tmp_path):
    bbc = corpus("bbc")
    folder = tmp_path / "bbc"
    for label in ("business", "sport"):
        (folder / label).mkdir(parents=True)
        for name in ("001.txt", "002.txt"):
            (folder / label / name).write_bytes((bbc / label / name).read_bytes())
    (folder / "README.TXT").write_text("Notes about this folder.\n")
    assert cli("ingest", folder, "--db", db, "--no-enrich") == 0
    stored = rows(db, "SELECT external_id, labels, title FROM articles ORDER BY external_id")
    assert [r[0] for r in stored] == ["business/001.txt", "business/002.txt", "sport/001.txt", "sport/002.txt"]
    assert stored[0][1] == ["business"] and stored[2][1] == ["sport"]
    assert stored[0][2] == "Ad sales boost Time Warner profit"


@pytest.mark.slow
def test_whole_reuters_corpus(db, capsys):
    folder = corpus("reuters21578")
    expected = reuters_with_text(sorted(folder.glob("reut2-*.sgm")))
    assert cli("ingest", folder, "--db", db, "--no-enrich", "--quiet") == 0
    (total, dated, duplicates, labelled) = rows(
        db, "SELECT count(*), count(published), count(duplicate_of), count(*) FILTER (len(labels) > 0) FROM articles"
    )[0]
    assert total == expected
    assert dated == total  # every record has a DATE, the malformed one included
    assert 0 < duplicates < total // 10
    assert labelled > 9000
    (first,) = rows(db, "SELECT published, labels, title FROM articles WHERE external_id = '1'")
    assert first == (datetime(1987, 2, 26, 15, 1, 1), ["cocoa"], "Bahia Cocoa Review")
    err = capsys.readouterr().err
    assert re.search(r"skipped: .*README.txt", err) and re.search(r"skipped: .*all-topics-strings", err)
    assert cli("ingest", folder / "reut2-000.sgm", "--db", db, "--no-enrich", "--quiet") == 0
    assert rows(db, "SELECT count(*) FROM articles")[0][0] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("26-FEB-1987 15:01:01.79", datetime(1987, 2, 26, 15, 1, 1)),
        ("31-MAR-1987 605:12:19.12", datetime(1987, 3, 31)),
        ("Fri, 14 Mar 2025 10:00:00 +0800", datetime(2025, 3, 14, 2)),
        ("2025-03-15T10:00:00Z", datetime(2025, 3, 15, 10)),
        ("2025-03-15T10:00:00-05:00", datetime(2025, 3, 15, 15)),
        ("2025-03-15", datetime(2025, 3, 15)),
        ("2025-13-45", None),
        ("0000-01-01", None),
        ("9999-12-31", None),
        ("", None),
        ("yesterday", None),
    ],
)
def test_dates_are_parsed_to_utc(text, expected):
    assert parse_date(text) == expected
