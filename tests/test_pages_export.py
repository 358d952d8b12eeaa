"""The Articles page's whole-selection export when the selection is larger than one download holds.

Streamlit serves a download from memory, so the page offers such a selection in parts of whole
days (widgets.DOWNLOAD_ARTICLES articles or so each, lowered here to fit the synthetic corpus):
the parts, each downloaded as the page would make it, hold every article of the selection once.
"""

from __future__ import annotations

import csv
import io
import os
from datetime import date

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from dashboard.store.exports import download_parts
from dashboard.store.queries import Filters
from dashboard.views import data, widgets
from tests.conftest import ROOT
from tests.test_queries import selected, stored


def test_parts_are_whole_days_newest_first_with_the_undated_last():
    days = [(date(2024, 1, d), 10) for d in range(1, 8)]
    assert download_parts(days, 5, 25) == [(date(2024, 1, 6), date(2024, 1, 7), 20), (date(2024, 1, 4), date(2024, 1, 5), 20),
                                           (date(2024, 1, 2), date(2024, 1, 3), 20), (date(2024, 1, 1), date(2024, 1, 1), 10),
                                           (None, None, 5)]
    assert download_parts([(date(2024, 1, 1), 100)], 0, 25) == [(date(2024, 1, 1), date(2024, 1, 1), 100)]  # a day is not cut
    assert download_parts([], 3) == [(None, None, 3)]


def ids(payload: bytes) -> list[str]:
    return [row["id"] for row in csv.DictReader(io.StringIO(payload.decode("utf-8")))]


@pytest.mark.parametrize("query", [{}, {"q": "officials"}])
def test_a_selection_larger_than_a_download_comes_in_parts_that_hold_it_all(synthetic_db, monkeypatch, query):
    os.environ["NEWSDESK_DB"] = str(synthetic_db)
    os.environ.pop("NEWSDESK_ADMIN_SECRET", None)
    st.cache_data.clear()
    monkeypatch.setattr(widgets, "DOWNLOAD_ARTICLES", 40)
    f = Filters(q=query.get("q"))
    want = sorted(selected(stored(synthetic_db), f)["id"])
    assert len(want) > 40
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    at.switch_page("dashboard/views/pages/articles.py").run()
    assert not at.exception, at.exception
    part = at.selectbox(key="export-part-articles")
    labels = list(part.options)
    assert len(labels) >= 2
    got: list[str] = []
    for index in range(len(labels)):
        part.set_value(index).run()
        button = next(b for b in at.get("download_button") if b.proto.label.endswith("as CSV"))
        count = int(button.proto.label.split(": ")[1].split(" as ")[0].replace(",", ""))
        first, _, rest = labels[index].partition(" to ")
        undated = first.startswith("undated")
        piece = f if undated else Filters(q=f.q, start=date.fromisoformat(first), end=date.fromisoformat(rest[:10]))
        exported = ids(data.export_selection(piece, "csv", undated))
        assert len(exported) == count  # the button says what the file holds
        got += exported
        part = at.selectbox(key="export-part-articles")
    assert sorted(got) == want and len(set(got)) == len(got)  # every article of the selection, once
