"""The dashboard's export of a whole selection (store/exports.py) on a real DuckDB file: every row, with
text, URL, topic and entities, as CSV and as Parquet, named after the filters."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from dashboard.store import connect
from dashboard.store import queries as q
from dashboard.store.exports import EXPORT_FIELDS, SELECTION_FIELDS, selection_name, write_selection
from dashboard.store.queries import Filters
from tests.conftest import rows


def stored_entities(db: Path) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for article_id, name in rows(db, "SELECT m.article_id, e.name FROM mentions m JOIN entities e ON e.id = m.entity_id"):
        found.setdefault(article_id, set()).add(name)
    return found


@pytest.mark.parametrize("f", [Filters(), Filters(q="the"), Filters(start=date(2024, 1, 1), end=date(2024, 3, 15))],
                         ids=["everything", "search", "dates"])
def test_the_csv_holds_every_article_of_the_selection_with_text_url_topic_and_entities(synthetic_db, tmp_path, f):
    out = tmp_path / "selection.csv"
    with connect(synthetic_db, read_only=True) as con:
        written = write_selection(con, f, out, "csv")
        total = q.count_articles(con, f)
        shown = q.articles(con, f, 10_000, 0)
    with out.open(newline="", encoding="utf-8") as handle:
        records = list(csv.DictReader(handle))
    assert written == total == len(records) > 50  # more than a page of the list
    assert tuple(records[0]) == SELECTION_FIELDS and SELECTION_FIELDS[:-1] == EXPORT_FIELDS["articles"]
    assert [r["id"] for r in records] == shown["id"].tolist()  # the list's order: newest first
    stored = {r[0]: r for r in rows(synthetic_db, "SELECT a.id, a.body, a.url, x.topic_id FROM articles a "
                                                  "LEFT JOIN article_topics x ON x.article_id = a.id")}
    names = stored_entities(synthetic_db)
    for record in records:
        _, body, url, topic_id = stored[record["id"]]
        assert (record["body"], record["url"], record["topic_id"]) == (body, url, str(topic_id))
        assert set(filter(None, record["entities"].split("; "))) == names.get(record["id"], set())


def test_the_parquet_file_keeps_types_and_lists(synthetic_db, tmp_path):
    out = tmp_path / "selection.parquet"
    f = Filters(topics=(1,))
    with connect(synthetic_db, read_only=True) as con:
        written = write_selection(con, f, out, "parquet")
        total = q.count_articles(con, f)
    table = pq.read_table(out)
    assert written == total == table.num_rows > 0
    assert table.column_names == list(SELECTION_FIELDS)
    entities = table.schema.field("entities").type
    assert pa.types.is_list(entities) and pa.types.is_string(entities.value_type)
    assert pa.types.is_timestamp(table.schema.field("published").type)
    assert set(table.column("topic_id").to_pylist()) == {1}


def test_an_empty_selection_is_a_header_only_file(synthetic_db, tmp_path):
    out = tmp_path / "none.csv"
    with connect(synthetic_db, read_only=True) as con:
        assert write_selection(con, Filters(q="nosuchwordanywhere"), out, "csv") == 0
    assert out.read_text(encoding="utf-8").strip() == ",".join(SELECTION_FIELDS)


def test_file_names_say_what_the_selection_is():
    assert selection_name(Filters(topics=(3,), start=date(2003, 3, 1), end=date(2003, 4, 30))) == \
        "newsdesk-articles-topic3-2003-03-01_2003-04-30.csv"
    assert selection_name(Filters(entities=("Recep Tayyip Erdoğan",), q="oil*", source="Reuters"), fmt="parquet") == \
        "newsdesk-articles-recep-tayyip-erdogan-reuters-search-oil.parquet"
    assert selection_name(Filters(end=date(2003, 4, 30)), "topic-articles") == "newsdesk-topic-articles-start_2003-04-30.csv"
    assert selection_name(Filters()) == "newsdesk-articles.csv"
