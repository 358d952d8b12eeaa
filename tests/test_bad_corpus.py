"""The bad-input corpus (tests/bad_inputs/make.py): every kind of bad input, its exit code and
message, and the rows of every table before and after. Refused inputs change nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.bad_inputs.make import make
from tests.conftest import SEEDS, cli, cli_measured, rows, table_counts

# name -> (exit code, words in the message ('' for none), articles added)
CASES: dict[str, tuple[int, str, int]] = {
    "empty.txt": (1, "empty file", 0),
    "whitespace.txt": (1, "only whitespace", 0),
    "binary.bin": (1, "binary file", 0),
    "nul_bytes.txt": (1, "binary file", 0),
    "gzip.jsonl": (0, "", 1),  # compressed exports are read (their name need not say so)
    "damaged.jsonl.gz": (1, "damaged gzip data", 0),
    "archive.zip": (1, "a zip archive", 0),
    "control_characters.txt": (1, "binary file (control bytes)", 0),
    "invalid_utf8.jsonl": (0, "not valid UTF-8 (line 1): read as cp1252", 1),
    "utf16_bom.csv": (0, "", 1),
    "mixed_line_endings.txt": (0, "", 1),
    "truncated.xml": (1, "malformed or truncated XML", 0),
    "not_wellformed.xml": (1, "malformed or truncated XML", 0),
    "xxe.xml": (1, "declares entities", 0),
    "billion_laughs.xml": (1, "declares entities", 0),
    "html_page.html": (1, "an HTML page", 0),
    "atom_no_entries.xml": (0, "the feed has no entries", 0),
    "rss_items_without_text.xml": (0, "", 0),
    "rss_latin1_declared.xml": (0, "", 1),
    "jsonl_broken_line.jsonl": (1, "line 2: invalid JSON", 2),
    "jsonl_not_objects.jsonl": (0, "skipped", 0),
    "jsonl_deeply_nested.jsonl": (1, "nested too deeply", 0),
    "json_array.json": (0, "", 2),
    "json_scalar.json": (1, "invalid JSON", 0),
    "csv_missing_body.csv": (1, "no title or text column", 0),
    "csv_quoted_newline.csv": (0, "", 1),
    "csv_extra_values.csv": (1, "line 2: more values than columns", 1),
    "csv_header_only.csv": (0, "nothing to ingest", 0),
    "dates_year_0_and_9999.jsonl": (0, "", 2),
    "future_date.jsonl": (0, "", 1),
    "html_and_script.jsonl": (0, "", 1),
    "rtl_and_cjk.jsonl": (0, "", 1),
    "emoji.jsonl": (0, "", 1),
    "zero_width.jsonl": (0, "", 1),
    "sql_in_fields.jsonl": (0, "", 1),
    "reuters_truncated.sgm": (1, "truncated file", 0),
    "short_lines_only.txt": (0, "skipped", 0),
    "headline_only.txt": (0, "skipped", 0),
    "README.md": (0, "skipped", 0),
    "dangling_link.jsonl": (1, "no such file", 0),
    "fifo.jsonl": (1, "not a regular file", 0),
    "symlink_loop": (0, "symbolic link to a folder: not followed", 1),
}


@pytest.fixture(scope="module")
def corpus_dir(tmp_path_factory) -> Path:
    return make(tmp_path_factory.mktemp("bad_inputs"))


def test_the_corpus_has_thirty_kinds_and_a_case_for_each(corpus_dir):
    assert len(CASES) >= 30
    assert set(CASES) == {p.name for p in corpus_dir.iterdir()}


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input(corpus_dir, tmp_path, capsys, name):
    db = tmp_path / "news.duckdb"
    assert cli("ingest", SEEDS, "--db", db, "--no-enrich", "--quiet") == 0
    capsys.readouterr()
    before = table_counts(db)
    code, message, added = CASES[name]
    assert cli("ingest", corpus_dir / name, "--db", db, "--no-enrich", "--quiet") == code
    out = capsys.readouterr()
    assert message in out.err + out.out
    if code and not added:
        assert name in out.err  # the message names the input
    after = table_counts(db)
    assert after["articles"] == before["articles"] + added
    assert {k: v for k, v in after.items() if k not in ("articles", "signatures")} == \
           {k: v for k, v in before.items() if k not in ("articles", "signatures")}
    assert cli("check", "--db", db) == 0


def test_impossible_dates_are_stored_empty(corpus_dir, db):
    for name in ("dates_year_0_and_9999.jsonl", "future_date.jsonl"):
        assert cli("ingest", corpus_dir / name, "--db", db, "--no-enrich", "--quiet") == 0
    assert rows(db, "SELECT count(*), count(published) FROM articles") == [(3, 0)]


def test_hostile_and_unusual_text_is_stored_exactly(corpus_dir, db):
    for name in ("html_and_script.jsonl", "sql_in_fields.jsonl", "rtl_and_cjk.jsonl", "emoji.jsonl", "zero_width.jsonl"):
        assert cli("ingest", corpus_dir / name, "--db", db, "--no-enrich", "--quiet") == 0
    titles = {t for (t,) in rows(db, "SELECT title FROM articles")}
    assert {"<script>alert('t')</script><b>Bold</b>", "'; DROP TABLE articles; --", "مجلس المرفأ يجتمع",
            "Storm 🌊 hits 🏠", "Zero\u200bwidth\u200d joiner\ufeff"} == titles
    assert table_counts(db)["articles"] == 5


@pytest.mark.slow
@pytest.mark.parametrize(("name", "code", "message"), [("big_200mb.jsonl", 0, ""), ("one_50mb_line.txt", 1, "item over 1,000,000 characters"),
                                                       ("field_over_1mb.jsonl", 1, "line 1: text over 1,000,000 characters")])
def test_large_inputs_stream_with_bounded_memory(tmp_path, name, code, message):
    from tests.bad_inputs.make import large_files, write_large

    size, kind = large_files()[name]
    path = tmp_path / name
    write_large(path, size, kind)
    db = tmp_path / "news.duckdb"
    result, peak_kb = cli_measured("ingest", path, "--db", db, "--no-enrich", "--quiet")
    assert result.returncode == code, result.stderr
    assert message in result.stderr
    assert peak_kb / 1024 < 500, f"{name}: peak {peak_kb / 1024:.0f} MB"
    with path.open("rb") as fh:
        records = sum(1 for line in fh if line.strip())
    assert table_counts(db).get("articles", 0) == records - (1 if code else 0)  # one refused record in the bad ones
