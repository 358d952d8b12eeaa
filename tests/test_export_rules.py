"""How a large selection is cut into downloads (store/exports.py `download_parts`), worked out by hand.

Streamlit serves a download from memory, so the Export page offers a selection of more than
DOWNLOAD_ARTICLES articles in parts of whole days; these are the rules a reader of the page
relies on: no day is split, no part grows past the size unless one day alone does, parts come
newest first, and the undated articles come last, on their own.
"""

from __future__ import annotations

from datetime import date

from dashboard.store import connect
from dashboard.store.exports import DOWNLOAD_ARTICLES, download_parts, selection_sql
from dashboard.store.queries import Filters
from tests.test_export_selection import tiny  # noqa: F401  (the tiny database written row by row)

D = [date(2024, 5, d) for d in range(1, 8)]


def test_a_part_that_reaches_the_size_exactly_is_not_cut():
    # 10 + 15 = 25: exactly the size, one part; one more article starts a second part
    assert download_parts([(D[0], 10), (D[1], 15)], 0, 25) == [(D[0], D[1], 25)]
    assert download_parts([(D[0], 11), (D[1], 15)], 0, 25) == [(D[1], D[1], 15), (D[0], D[0], 11)]


def test_parts_are_newest_first_whatever_the_order_of_the_days():
    days = [(D[2], 5), (D[0], 5), (D[4], 5), (D[1], 5), (D[3], 5)]
    assert download_parts(days, 0, 10) == [(D[3], D[4], 10), (D[1], D[2], 10), (D[0], D[0], 5)]


def test_a_day_bigger_than_a_part_is_a_part_of_its_own():
    assert download_parts([(D[0], 3), (D[1], 40), (D[2], 3)], 0, 10) == [(D[2], D[2], 3), (D[1], D[1], 40), (D[0], D[0], 3)]


def test_the_undated_articles_come_last_and_only_when_there_are_some():
    assert download_parts([(D[0], 4)], 0, 10) == [(D[0], D[0], 4)]
    assert download_parts([(D[0], 4)], 1, 10) == [(D[0], D[0], 4), (None, None, 1)]
    assert download_parts([], 0, 10) == []


def test_the_default_size_is_one_download():
    assert download_parts([(D[0], 1), (D[1], DOWNLOAD_ARTICLES - 1)], 0) == [(D[0], D[1], DOWNLOAD_ARTICLES)]
    assert download_parts([(D[0], 1), (D[1], DOWNLOAD_ARTICLES)], 0) == [(D[1], D[1], DOWNLOAD_ARTICLES), (D[0], D[0], 1)]


def test_the_selection_sql_by_default_is_every_article_in_csv_form(tiny):  # noqa: F811
    """Without a format or `undated`: the CSV form (lists as "; " text, the date as text), dated and undated articles."""
    with connect(tiny, read_only=True) as con:
        sql, params = selection_sql(con, Filters(source="Wire B"))
        found = con.execute(sql, params).fetchall()
    # Wire B's originals: a5 (5 March), a2 (1 March), then the undated u1
    assert [(r[0], r[7], r[11], r[-1]) for r in found] == [
        ("a5", "2024-03-05 10:00:00", "", "OPEC"), ("a2", "2024-03-01 15:00:00", "", ""), ("u1", None, "", "Alice Kent")]
