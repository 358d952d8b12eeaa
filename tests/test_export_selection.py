"""The selection export (store/exports.py) on a tiny DuckDB file written here, row by row.

Nine articles over four days (one a near-duplicate, two undated), two topics, four entities:
few enough that every expected file is written out in the test by hand. The tests of
test_selection_export.py check the same functions on the synthetic corpus against the queries.
"""

from __future__ import annotations

import csv
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from dashboard.store import connect, daily, enrichment, exports, search
from dashboard.store.exports import SELECTION_FIELDS, SelectionFile, selection_name, write_selection
from dashboard.store.queries import Filters

# id, source, title, published, labels, duplicate_of, topic, story, {entity: mentions}
ARTICLES = [
    ("a1", "Wire A", "Oil output cut", datetime(2024, 3, 1, 9), ["markets", "oil"], None, 1, 10, {"OPEC": 3, "Angela Merkel": 1}),
    ("a2", "Wire B", "Rates, again", datetime(2024, 3, 1, 15), [], None, 2, None, {}),
    ("a3", "Wire A", "Two speak", datetime(2024, 3, 2, 12), ["politics"], None, 1, 10, {"Bob Marsh": 2, "Alice Kent": 2}),
    ("a4", "Wire A", "Rates hold", datetime(2024, 3, 4, 8), [], None, 2, None, {}),
    ("a5", "Wire B", "Late news", datetime(2024, 3, 5, 10), [], None, 2, 11, {"OPEC": 1}),
    ("a6", "Wire A", "Early news", datetime(2024, 3, 5, 8), [], None, 1, None, {}),
    ("d1", "Wire C", "Oil output cut (copy)", datetime(2024, 3, 1, 10), [], "a1", 1, None, {}),
    ("u1", "Wire B", "No date one", None, [], None, None, None, {"Alice Kent": 1}),
    ("u2", "Wire A", "No date two", None, [], None, None, None, {}),
]
ENTITIES = {"OPEC": (1, "ORG"), "Angela Merkel": (2, "PERSON"), "Bob Marsh": (3, "PERSON"), "Alice Kent": (4, "PERSON")}
# The selection's order: newest first (a5 at 10:00 before a6 at 08:00 on 5 March), then the undated by id;
# the near-duplicate d1 is not part of a selection unless duplicates are asked for.
NEWEST_FIRST = ["a5", "a6", "a4", "a3", "a2", "a1", "u1", "u2"]


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    db = tmp_path / "tiny.duckdb"
    with connect(db) as con:
        for n, (aid, source, title, published, labels, dup, topic, story, names) in enumerate(ARTICLES):
            con.execute("INSERT INTO articles (id, external_id, source, url, title, body, published, labels, duplicate_of, "
                        "content_hash, ingested_at, lang, key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now(), 'en', ?)",
                        [aid, f"ext-{aid}", source, f"https://news.example/{aid}", title, f"Body of {title}.", published, labels,
                         dup, f"hash{n}", n + 1])
            if topic:
                con.execute("INSERT INTO article_topics (article_id, topic_id, score, article_key) VALUES (?, ?, 0.5, ?)", [aid, topic, n + 1])
            if story:
                con.execute("INSERT INTO article_stories VALUES (?, ?)", [aid, story])
            for name, mentions in names.items():
                for i in range(mentions):
                    con.execute("INSERT INTO mentions VALUES (?, ?, ?, ?, ?, ?)", [aid, ENTITIES[name][0], i, i + 1, name, ENTITIES[name][1]])
        con.execute("INSERT INTO topics (id, label, custom_label, terms) VALUES (1, 'oil · opec', NULL, ['oil']), "
                    "(2, 'rates · bank', 'Interest rates', ['rates'])")
        for name, (eid, kind) in ENTITIES.items():
            con.execute("INSERT INTO entities (id, name, type) VALUES (?, ?, ?)", [eid, name, kind])
        # what a writer derives from these rows: articles per day, per article and entity, the search index
        daily.refresh(con)
        enrichment.refresh_article_entities(con)
        search.rebuild(con)
    return db


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_a_csv_holds_every_article_newest_first_with_its_entities_by_mentions(tiny, tmp_path):
    out = tmp_path / "all.csv"
    with connect(tiny, read_only=True) as con:
        assert write_selection(con, Filters(), out) == 8
    records = read_csv(out)
    assert [r["id"] for r in records] == NEWEST_FIRST
    assert tuple(records[0]) == SELECTION_FIELDS
    by_id = {r["id"]: r for r in records}
    # most mentioned first (OPEC 3, Merkel 1); equal mentions (2 and 2) by name
    assert by_id["a1"]["entities"] == "OPEC; Angela Merkel" and by_id["a3"]["entities"] == "Alice Kent; Bob Marsh"
    assert by_id["a2"]["entities"] == "" and by_id["u1"]["entities"] == "Alice Kent"
    assert by_id["a1"]["labels"] == "markets; oil" and by_id["a2"]["labels"] == ""
    assert by_id["a1"]["published"] == "2024-03-01 09:00:00" and by_id["u1"]["published"] == ""
    assert (by_id["a1"]["topic_id"], by_id["a1"]["topic_label"]) == ("1", "oil · opec")
    assert (by_id["a4"]["topic_id"], by_id["a4"]["topic_label"]) == ("2", "Interest rates")  # a user's label wins
    assert (by_id["a1"]["story_id"], by_id["a2"]["story_id"]) == ("10", "")
    assert (by_id["a5"]["source"], by_id["a5"]["url"], by_id["a5"]["external_id"]) == ("Wire B", "https://news.example/a5", "ext-a5")
    assert by_id["a5"]["body"] == "Body of Late news." and by_id["a5"]["lang"] == "en"


def test_a_csv_has_a_plain_header_quoted_text_bare_numbers_and_empty_missing_values(tiny, tmp_path):
    out = tmp_path / "all.csv"
    with connect(tiny, read_only=True) as con:
        write_selection(con, Filters(source="Wire B"), out)
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == ",".join(SELECTION_FIELDS)
    # a5: no kicker and no duplicate_of (missing: empty), no labels (an empty text: ""), topic 2 and story 11 (numbers)
    assert lines[1] == ('"a5","ext-a5","Wire B","https://news.example/a5","Late news",,"Body of Late news.",'
                        '"2024-03-05 10:00:00",2,"Interest rates",,"",11,"en","OPEC"')
    assert lines[2].startswith('"a2","ext-a2","Wire B","https://news.example/a2","Rates, again",')
    assert len(lines) == 4 and lines[3].startswith('"u1",')


def test_the_filters_choose_the_rows_and_each_keeps_all_its_entities(tiny, tmp_path):
    cases = {
        Filters(entities=("Alice Kent",)): ["a3", "u1"],
        Filters(entities=("OPEC", "Angela Merkel")): ["a1"],
        Filters(start=date(2024, 3, 2), end=date(2024, 3, 4)): ["a4", "a3"],
        Filters(topics=(1,)): ["a6", "a3", "a1"],
        Filters(duplicates=True, start=date(2024, 3, 1), end=date(2024, 3, 1)): ["a2", "d1", "a1"],
        Filters(stories=(10,)): ["a3", "a1"],
        Filters(q="rates"): ["a4", "a2"],
    }
    for f, expected in cases.items():
        out = tmp_path / "part.csv"
        with connect(tiny, read_only=True) as con:
            assert write_selection(con, f, out) == len(expected), f
        records = read_csv(out)
        assert [r["id"] for r in records] == expected, f
        if f.entities == ("Alice Kent",):
            assert records[0]["entities"] == "Alice Kent; Bob Marsh"  # the article's names, not only the chosen one


def test_parquet_keeps_lists_and_timestamps_compressed_with_zstd(tiny, tmp_path):
    out = tmp_path / "all.parquet"
    with connect(tiny, read_only=True) as con:
        assert write_selection(con, Filters(), out, "parquet") == 8
    table = pq.read_table(out)
    assert table.column_names == list(SELECTION_FIELDS)
    assert table.column("id").to_pylist() == NEWEST_FIRST
    records = {r["id"]: r for r in table.to_pylist()}
    assert records["a1"]["entities"] == ["OPEC", "Angela Merkel"] and records["a2"]["entities"] == []
    assert records["a1"]["labels"] == ["markets", "oil"]
    assert records["a1"]["published"] == datetime(2024, 3, 1, 9) and records["u2"]["published"] is None
    assert pa.types.is_timestamp(table.schema.field("published").type)
    assert pq.ParquetFile(out).metadata.row_group(0).column(0).compression == "ZSTD"


def test_an_unknown_format_is_refused_before_a_file_is_made(tmp_path):
    with pytest.raises(ValueError, match="unknown export format 'xlsx'"):
        SelectionFile(tmp_path / "x.xlsx", "xlsx")
    assert not (tmp_path / "x.xlsx").exists()
    empty = SelectionFile(tmp_path / "x.csv")
    empty.close()
    assert (tmp_path / "x.csv").read_bytes() == b"" and empty.written == 0


# --- runs of days ----------------------------------------------------------------------------------
# Original articles per day, newest first: 5 March 2, 4 March 1, 2 March 1, 1 March 2 (d1 is a duplicate).

def spans(con, f: Filters) -> list[tuple[str, str]]:
    return [(w.start.isoformat(), w.end.isoformat()) for w in exports.windows(con, f)]


@pytest.mark.parametrize(("size", "expected"), [
    (2, [("2024-03-05", "2024-03-05"), ("2024-03-02", "2024-03-04"), ("2024-03-01", "2024-03-01")]),
    (3, [("2024-03-04", "2024-03-05"), ("2024-03-01", "2024-03-02")]),  # 2 + 1 = 3 reaches the size: the run ends
    (4, [("2024-03-02", "2024-03-05"), ("2024-03-01", "2024-03-01")]),  # the last, short run still counts
    (100, [("2024-03-01", "2024-03-05")]),
])
def test_a_selection_is_cut_into_runs_of_whole_days_of_about_the_window_size(tiny, monkeypatch, size, expected):
    monkeypatch.setattr(exports, "WINDOW_ARTICLES", size)
    with connect(tiny, read_only=True) as con:
        assert spans(con, Filters()) == expected


def test_runs_keep_the_other_filters_and_stay_within_the_chosen_dates(tiny, monkeypatch):
    monkeypatch.setattr(exports, "WINDOW_ARTICLES", 2)
    with connect(tiny, read_only=True) as con:
        assert spans(con, Filters(start=date(2024, 3, 2))) == [("2024-03-05", "2024-03-05"), ("2024-03-02", "2024-03-04")]
        assert spans(con, Filters(end=date(2024, 3, 4))) == [("2024-03-02", "2024-03-04"), ("2024-03-01", "2024-03-01")]
        runs = exports.windows(con, Filters(source="Wire A", topics=(1,)))
        assert {(w.source, w.topics) for w in runs} == {("Wire A", (1,))}
        parts = exports.parts(con, Filters(source="Wire A"))
    assert [undated for _, undated in parts] == [False, False, False, True]
    assert parts[-1][0] == Filters(source="Wire A")  # the undated articles of the whole selection, last


def test_runs_of_one_day_write_the_same_file_as_one_run(tiny, tmp_path, monkeypatch):
    whole, pieces = tmp_path / "whole.csv", tmp_path / "pieces.csv"
    with connect(tiny, read_only=True) as con:
        write_selection(con, Filters(), whole)
        monkeypatch.setattr(exports, "WINDOW_ARTICLES", 1)
        assert len(exports.windows(con, Filters())) == 4
        assert write_selection(con, Filters(), pieces) == 8
    assert pieces.read_bytes() == whole.read_bytes()


def test_a_run_appends_and_counts_and_puts_the_memory_limit_back(tiny, tmp_path):
    folder = tmp_path / "it's here"  # a quote in the spill folder's path is escaped, not an error
    folder.mkdir()
    out = SelectionFile(folder / "sel.csv")
    with connect(tiny, read_only=True) as con:
        before = con.execute("SELECT current_setting('memory_limit')").fetchone()[0]
        assert out.append(con, Filters(end=date(2024, 3, 2)), False) == 3
        assert out.append(con, replace(Filters(), start=date(2024, 3, 4)), False) == 6
        assert out.append(con, Filters(), True) == 8
        after = con.execute("SELECT current_setting('memory_limit')").fetchone()[0]
        assert con.execute("SELECT current_setting('temp_directory')").fetchone()[0] == str(folder / "sel.csv.spill")
    out.close()
    assert [r["id"] for r in read_csv(folder / "sel.csv")] == ["a3", "a2", "a1", "a5", "a6", "a4", "u1", "u2"]
    assert after == before  # back from the export's 512 MiB to the limit it found, after each of three runs


def test_the_memory_limit_comes_back_exactly(tiny, tmp_path):
    out = SelectionFile(tmp_path / "sel.csv")
    with connect(tiny, read_only=True) as con:
        con.execute("SET memory_limit = '10000000000B'")  # 9.3 GiB: not a round figure in DuckDB's units
        before = con.execute("SELECT current_setting('memory_limit')").fetchone()[0]
        for _ in range(5):
            out.append(con, Filters(), True)
        assert con.execute("SELECT current_setting('memory_limit')").fetchone()[0] == before
    out.close()


# --- file names -----------------------------------------------------------------------------------

def test_file_names_join_several_topics_and_stories_and_skip_what_has_no_letters():
    f = Filters(topics=(1, 2), stories=(4, 5), entities=("Ünïcödé — Name!", "???"), source="***", q="!!", start=date(2003, 3, 1))
    assert selection_name(f, "articles", "parquet") == "newsdesk-articles-topic1+2-unicode-name-story4+5-2003-03-01_end.parquet"


def test_a_long_part_is_cut_to_forty_characters_and_a_name_to_180():
    assert selection_name(Filters(source="a" * 39 + " bcd")) == "newsdesk-articles-" + "a" * 39 + ".csv"  # no dash left at the cut
    long = selection_name(Filters(entities=tuple(f"{letter * 30}" for letter in "bcdefgh")))
    assert len(long) == 180 + len(".csv") and long.endswith(".csv") and long.startswith("newsdesk-articles-" + "b" * 30 + "-" + "c" * 30)


def test_a_limit_in_bytes_or_not_a_number_is_put_back_as_shown():
    assert exports._restorable("9.3 GiB") == "9.35 GiB"  # half a tenth more: DuckDB cuts it back to 9.3
    assert exports._restorable("1000 bytes") == "1000 bytes" and exports._restorable("-1") == "-1"
    assert exports._restorable("unlimited") == "unlimited"


def test_marks_at_the_start_of_a_part_do_not_count_towards_its_forty_characters():
    assert selection_name(Filters(source="(" + "a" * 45 + ")")) == "newsdesk-articles-" + "a" * 40 + ".csv"
