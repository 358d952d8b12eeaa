"""Bad input: a clear one-line error naming the input, a non-zero exit, and the database as it was."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, Route, cli, cli_measured, rows, table_counts

MB = 1024 * 1024


def _expect_refused(seed_db: Path, target: str | Path, capsys, message: str) -> None:
    before = table_counts(seed_db)
    assert cli("ingest", target, "--db", seed_db, "--no-enrich", "--quiet") == 1
    err = capsys.readouterr().err
    assert str(target) in err and message in err, err
    assert table_counts(seed_db) == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty file"),
        (b"  \n\t\n  ", "only whitespace"),
        (bytes(range(256)) * 40, "binary file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 200, "binary file"),
        (b'<?xml version="1.0"?><rss version="2.0"><channel><title>Cut</title><item><title>Half', "malformed or truncated XML"),
        (b"<rss version='2.0'><channel><item></channel></rss>", "malformed or truncated XML"),
        (b"<!DOCTYPE html><html><head><title>Not a feed</title></head><body>Hello</body></html>", "an HTML page"),
        (
            b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
            b"<rss version='2.0'><channel><title>&lol2;</title></channel></rss>",
            "declares entities",
        ),
        (b"<rss version='2.0'><channel><title>Odd &notanentity; feed</title><item><title>A</title></item></channel></rss>",
         "undefined entity"),  # a name HTML does not know either
        (b"author,date\nSomeone,2025-03-01\n", "no title or text column"),
        (b"id,author,url\n1,Someone,https://x.example\n", "no title or text column"),
    ],
    ids=["empty", "whitespace", "binary", "png", "truncated-xml", "malformed-xml", "html-page", "xml-entities", "unknown-entity",
         "csv-missing-text", "csv-missing-columns"],
)
def test_bad_file_is_refused_and_nothing_changes(seed_db, tmp_path, capsys, content, message):
    bad = tmp_path / "bad.input"
    bad.write_bytes(content)
    _expect_refused(seed_db, bad, capsys, message)


def test_missing_path(seed_db, capsys):
    _expect_refused(seed_db, "no/such/file.xml", capsys, "no such file or folder")


@pytest.mark.parametrize(("target", "message"), [
    ("http://[::1/feed.xml", "not a valid URL"),
    ("ftp://news.example/feed.xml", "only http:// and https:// addresses are fetched"),
    ("s3://bucket/export.jsonl", "only http:// and https:// addresses are fetched"),
])
def test_an_address_that_cannot_be_fetched_is_refused_in_one_line(seed_db, capsys, target, message):
    _expect_refused(seed_db, target, capsys, message)


def test_jsonl_broken_line_is_skipped_and_reported(seed_db, tmp_path, capsys):
    good = {"title": "Port reopens", "text": "The port reopened on Monday after a week of strikes by dock workers ended."}
    other = {"title": "Bridge closes", "text": "The old bridge closed for repairs on Tuesday and will stay shut until June."}
    bad = tmp_path / "feed.jsonl"
    bad.write_text(json.dumps(good) + "\n{\"title\": \"broken\", \"text\": \n" + json.dumps(other) + "\n[1, 2]\n")
    before = table_counts(seed_db)["articles"]
    assert cli("ingest", bad, "--db", seed_db, "--no-enrich", "--quiet") == 1
    err = capsys.readouterr().err
    assert f"{bad}: line 2: invalid JSON" in err and f"{bad}: line 4: not a JSON object" in err
    assert table_counts(seed_db)["articles"] == before + 2


def test_invalid_utf8_is_read_as_cp1252_and_said(db, tmp_path, capsys):
    text = "Caf\xe9 owners in the old town said on Monday that rents had doubled in two years, forcing many to close."
    feed = tmp_path / "latin.jsonl"
    feed.write_bytes(json.dumps({"title": "Caf\xe9s close", "text": text}, ensure_ascii=False).encode("cp1252") + b"\n")
    assert cli("ingest", feed, "--db", db, "--no-enrich", "--quiet") == 0
    assert "not valid UTF-8 (line 1): read as cp1252" in capsys.readouterr().err
    assert rows(db, "SELECT title FROM articles") == [("Cafés close",)]


def test_utf16_with_bom_is_read(db, tmp_path):
    feed = tmp_path / "utf16.csv"
    feed.write_bytes("title,text\nÜber uns,Ein Artikel über die Stadt und ihre Brücken.\n".encode("utf-16"))
    assert cli("ingest", feed, "--db", db, "--no-enrich", "--quiet") == 0
    assert rows(db, "SELECT title FROM articles") == [("Über uns",)]


def test_failure_in_the_middle_of_a_file_leaves_no_half(seed_db, tmp_path, capsys):
    """A Reuters file cut off mid-record: the whole file is refused, not its first records kept."""
    records = "".join(
        f'<REUTERS NEWID="{i}"><DATE>26-FEB-1987 15:01:01.79</DATE><TEXT><TITLE>STORY {i}</TITLE>'
        f"<BODY>Body of story number {i} with enough words to be a real article.</BODY></TEXT></REUTERS>\n"
        for i in range(1, 2500)
    )
    cut = tmp_path / "reut2-cut.sgm"
    cut.write_text(records + '<REUTERS NEWID="2500"><DATE>26-FEB-1987</DATE><TEXT><TITLE>CUT')
    _expect_refused(seed_db, cut, capsys, "truncated file")


@pytest.mark.slow
def test_200_mb_file_streams_with_bounded_memory(db, tmp_path):
    """Memory grows by far less than the file: the same command on a 100th of it is the baseline.

    The baseline (libraries and DuckDB, about 320 MB here) differs between machines; what
    streaming promises is that a file 100 times larger adds little to it.
    """
    padding = "x" * 100_000
    lines = [json.dumps({"id": i, "title": f"Item {i}", "text": f"Short story {i}.", "junk": padding}) + "\n"
             for i in range(2100)]
    big, small = tmp_path / "big.jsonl", tmp_path / "small.jsonl"
    big.write_text("".join(lines))
    small.write_text("".join(lines[:21]))
    assert big.stat().st_size > 200 * MB
    _, small_peak_kb = cli_measured("ingest", small, "--db", tmp_path / "small.duckdb", "--no-enrich", "--quiet")
    result, peak_kb = cli_measured("ingest", big, "--db", db, "--no-enrich", "--quiet")
    assert result.returncode == 0, result.stderr
    assert rows(db, "SELECT count(*) FROM articles")[0][0] == 2100
    growth_mb = (peak_kb - small_peak_kb) / 1024
    assert small_peak_kb > 0 and growth_mb < 100, f"peak RSS grew {growth_mb:.0f} MB for a 200 MB file"


@pytest.mark.parametrize(
    ("route", "message"),
    [
        (Route(b"gone", 404), "HTTP 404"),
        (Route(b"<!doctype html><html><body>Login</body></html>", 200, {"Content-Type": "text/html"}), "an HTML page"),
        (Route((FIXTURES / "feed.rss").read_bytes(), 200, delay=3.0), "timed out"),
    ],
    ids=["404", "html-instead-of-feed", "timeout"],
)
def test_bad_url_is_refused(seed_db, http_server, capsys, monkeypatch, route, message):
    base, routes, _ = http_server
    routes["/feed"] = route
    monkeypatch.setenv("NEWSDESK_FETCH_TIMEOUT", "1")
    _expect_refused(seed_db, f"{base}/feed", capsys, message)


def test_good_url_is_ingested(db, http_server):
    base, routes, _ = http_server
    routes["/rss"] = Route((FIXTURES / "feed.rss").read_bytes(), 200, {"Content-Type": "application/rss+xml"})
    assert cli("ingest", f"{base}/rss", "--db", db, "--no-enrich", "--quiet") == 0
    assert table_counts(db)["articles"] == 2
