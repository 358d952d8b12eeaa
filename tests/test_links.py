"""Shareable links through the running app (AppTest): every parameter is read from a link, shapes the view,
and comes back unchanged in the link the view offers to copy, so opening that link again gives the same view.

Run on the synthetic corpus; the expected article counts are computed in plain Python (tests/test_queries.py).
"""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from dashboard.store.queries import Filters
from dashboard.views import filters
from tests.conftest import ROOT, rows
from tests.synthetic.corpus import UNDATED
from tests.test_queries import selected, stored


def open_link(db: Path, query: dict[str, list[str]], page: str = "overview") -> AppTest:
    """A fresh session opened on a link with these parameters (each a list: a parameter may repeat)."""
    os.environ["NEWSDESK_DB"] = str(db)
    os.environ.pop("NEWSDESK_ADMIN_SECRET", None)
    st.cache_data.clear()  # as a fresh server: no query answered from what an earlier test (or process) cached
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    for key, values in query.items():
        at.query_params[key] = values if len(values) > 1 else values[0]
    at.run()
    if page != "overview":
        at.switch_page(f"dashboard/views/pages/{page}.py").run()
    assert not at.exception, at.exception
    return at


def copied(at: AppTest, reader: bool = False) -> tuple[str, dict[str, list[str]]]:
    """The path and parameters of the link in the view's "Copy link" box (or in the reader's)."""
    (link,) = [c.value for c in at.code if c.value.startswith("/") and ("article=" in c.value) == reader]
    parts = urlsplit(link)
    return parts.path, parse_qs(parts.query)


def articles_shown(at: AppTest) -> int:
    return int(next(m.value for m in at.metric if m.label == "Articles").replace(",", ""))


def expected(db: Path, query: dict[str, list[str]]) -> int:
    """Original articles a link selects, computed from the stored rows."""
    one = {k: v[0] for k, v in query.items()}
    f = Filters(topics=tuple(int(t) for t in query.get("topic", [])), entities=tuple(query.get("entity", [])),
                start=date.fromisoformat(one["from"]) if "from" in one else None,
                end=date.fromisoformat(one["to"]) if "to" in one else None, source=one.get("source"), q=one.get("q"))
    return len(selected(stored(db), f))


@pytest.fixture(scope="module")
def link_params(synthetic_db) -> dict[str, list[str]]:
    """A value for every filter parameter, two for the repeatable ones, that together still select articles."""
    topics = [str(t) for (t,) in rows(synthetic_db, """SELECT x.topic_id FROM article_topics x JOIN article_entities e USING (article_id)
                                                      JOIN entities n ON n.id = e.entity_id WHERE n.name = 'Angela Merkel'
                                                      GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 2""")]
    # the view lists topics by id (the selection is a set: its order means nothing), entities as chosen
    return {"topic": sorted(topics, key=int), "entity": ["Angela Merkel", "Germany"], "from": ["2024-01-15"], "to": ["2024-03-15"],
            "source": ["Daily Ledger"], "q": ["officials"]}


def test_a_link_with_every_parameter_comes_back_whole(synthetic_db, link_params):
    at = open_link(synthetic_db, link_params)
    want = expected(synthetic_db, link_params)
    assert articles_shown(at) == want > 0
    assert copied(at) == ("/", link_params)
    again = open_link(synthetic_db, copied(at)[1])
    assert articles_shown(again) == want and copied(again) == ("/", link_params)


@pytest.mark.parametrize("name", ["topic", "entity", "from", "to", "source", "q"])
def test_each_parameter_alone_shapes_the_view_and_stays_in_the_link(synthetic_db, link_params, name):
    everything = expected(synthetic_db, {})
    query = {name: link_params[name][:1]}
    at = open_link(synthetic_db, query)
    assert articles_shown(at) == expected(synthetic_db, query) != everything
    assert copied(at) == ("/", query)


@pytest.mark.parametrize("name", ["topic", "entity"])
def test_a_repeated_parameter_uses_every_value(synthetic_db, link_params, name):
    both = {name: link_params[name]}
    counts = {expected(synthetic_db, {name: [value]}) for value in link_params[name]}
    at = open_link(synthetic_db, both)
    # topics: articles of either topic (more than each); entities: articles that mention both (fewer than each)
    assert articles_shown(at) == expected(synthetic_db, both) not in counts
    assert copied(at) == ("/", both)


def test_a_link_from_a_day_to_the_same_day_shows_that_day(synthetic_db):
    (day,) = rows(synthetic_db, "SELECT published::DATE FROM articles WHERE published::TIME = '23:59:59' ORDER BY 1 LIMIT 1")[0]
    query = {"from": [day.isoformat()], "to": [day.isoformat()]}
    at = open_link(synthetic_db, query)
    assert articles_shown(at) == expected(synthetic_db, query) > 0
    assert copied(at) == ("/", query)


def test_a_link_to_an_article_keeps_the_filters_and_opens_the_reader(synthetic_db, link_params):
    query = {"entity": link_params["entity"][:1], "to": link_params["to"]}
    (article_id, title) = rows(synthetic_db, "SELECT id, title FROM articles WHERE duplicate_of IS NULL AND published < '2024-03-01' "
                                             "ORDER BY published LIMIT 1")[0]
    at = open_link(synthetic_db, {**query, "article": [article_id]}, "articles")
    assert title in [h.value for h in at.header] and not at.warning
    assert copied(at, reader=True) == ("/articles", {**query, "article": [article_id]})
    assert copied(at) == ("/articles", query)  # the list beside it: the same filters
    missing = open_link(synthetic_db, {**query, "article": ["no-such-article"]}, "articles")
    assert [w.value for w in missing.warning] == ["No article “no-such-article”."]
    assert copied(missing) == ("/articles", query)  # no reader: the list, with the filters


def test_what_a_link_gets_wrong_is_named_once_and_ignored(synthetic_db):
    bad = {"topic": ["999", "x1"], "entity": ["Nobody Atall"], "from": ["1799-12-31"], "to": ["31.12.2025"],
           "source": ["Nowhere Gazette"], "article": ["no-such-article"]}
    at = open_link(synthetic_db, bad)
    warnings = [w.value for w in at.warning]
    assert warnings == ["Unknown topic “999” ignored.", "Unknown topic “x1” ignored.", "Unknown entity “Nobody Atall” ignored.",
                        "“1799-12-31” is not a date (YYYY-MM-DD): “from” ignored.",
                        "“31.12.2025” is not a date (YYYY-MM-DD): “to” ignored.",
                        "Unknown source “Nowhere Gazette” ignored.", "No article “no-such-article”."]
    assert articles_shown(at) == expected(synthetic_db, {})


def test_the_first_and_last_dates_a_link_may_carry(synthetic_db):
    query = {"from": ["1800-01-01"], "to": ["2100-12-31"], "entity": ["x" * 41, "y" * 40]}
    at = open_link(synthetic_db, query)
    # a value longer than 40 characters is cut short in a notice
    assert [w.value for w in at.warning] == [f"Unknown entity “{'x' * 37}…” ignored.", f"Unknown entity “{'y' * 40}” ignored."]
    dates = {"from": query["from"], "to": query["to"]}
    assert articles_shown(at) == expected(synthetic_db, dates) == expected(synthetic_db, {}) - UNDATED  # all but the undated
    assert copied(at) == ("/", dates)


def test_the_query_string_of_every_parameter():
    f = Filters(topics=(1, 3), entities=("Angela Merkel", "Germany"), start=date(2024, 1, 15), end=date(2024, 3, 15),
                source="Daily Ledger", q="oil & gas")
    assert filters.query_string(f, "s001") == ("topic=1&topic=3&entity=Angela+Merkel&entity=Germany&from=2024-01-15&to=2024-03-15"
                                               "&source=Daily+Ledger&q=oil+%26+gas&article=s001")
    assert filters.query_string(Filters()) == ""
    assert filters.query_string(Filters(end=date(2024, 3, 15))) == "to=2024-03-15"


@pytest.mark.parametrize(("text", "valid"), [("1800-01-01", True), ("2100-12-31", True), ("2024-02-29", True), ("1799-12-31", False),
                                             ("2101-01-01", False), ("2025-02-30", False), ("2025-2-3", False), ("15/03/2025", False)])
def test_the_dates_a_link_may_carry(text, valid):
    assert filters._valid_date(text) is valid


def test_names_in_notices_and_the_entity_picker():
    assert filters._short("y" * 40) == "y" * 40 and filters._short("x" * 41) == "x" * 37 + "…"
    assert filters._entity_label({"name": "Cho Jung-tai", "aliases": ["Cho Jung-tai", "卓榮泰", "Cho"]}) == "Cho Jung-tai (卓榮泰, Cho)"
    assert filters._entity_label({"name": "Japan", "aliases": ["Japan"]}) == "Japan"


@pytest.mark.parametrize(("url", "page_path", "want"), [
    ("https://news.example/desk/entities", "entities", "https://news.example/desk/topics?to=2024-03-15"),  # behind a proxy's base path
    ("https://news.example/desk/", "", "https://news.example/desk/topics?to=2024-03-15"),
    ("http://localhost:8501/quotes", "quotes", "http://localhost:8501/topics?to=2024-03-15"),
    ("", "", "/topics?to=2024-03-15"),  # no address known: a path
])
def test_a_copied_link_keeps_the_address_the_dashboard_is_served_at(monkeypatch, url, page_path, want):
    # filters.link reads only the address the browser shows and the page's own path from Streamlit
    monkeypatch.setattr(filters, "st", SimpleNamespace(context=SimpleNamespace(url=url), session_state={"page_path": page_path}))
    assert filters.link("topics", Filters(end=date(2024, 3, 15))) == want
    assert filters.link("topics", Filters()) == want.split("?")[0]


def test_the_selection_follows_from_page_to_page_and_leaves_the_link_when_cleared(synthetic_db, link_params):
    query = {"topic": link_params["topic"][:1], "entity": link_params["entity"]}
    at = open_link(synthetic_db, query)
    at.switch_page("dashboard/views/pages/quotes.py").run()  # a page switch drops the query string: it comes back
    assert copied(at) == ("/quotes", query)
    assert {k: at.query_params[k] for k in query} == {"topic": query["topic"][0], "entity": query["entity"]}
    at.multiselect(key="topic").set_value([]).run()
    assert copied(at) == ("/quotes", {"entity": query["entity"]}) and "topic" not in at.query_params
    at.multiselect(key="entity").set_value(["Germany"]).run()
    assert copied(at) == ("/quotes", {"entity": ["Germany"]}) and at.query_params["entity"] == "Germany"


def test_the_sidebar_links_carry_the_selection_and_each_page_its_settings(synthetic_db, link_params):
    query = {"topic": link_params["topic"][:1], "q": link_params["q"], "to": link_params["to"], "grain": ["day"], "measure": ["share"]}
    at = open_link(synthetic_db, query)
    links = {c.proto.page: parse_qs(c.proto.query_string) for c in at.sidebar.get("page_link")}
    selection = {k: query[k] for k in ("topic", "q", "to")}
    # one link per page; each opens it with the selection and the settings that page shows (grain and
    # measure on the Overview, grain on Topics and Entities, none on Quotes): nothing for the page to put back
    assert links == {"": query, "topics": selection | {"grain": ["day"]}, "entities": selection | {"grain": ["day"]},
                     "quotes": selection, "articles": selection, "compare": query, "ingest": selection}
    assert copied(at) == ("/", query) and links[""] == copied(at)[1]  # the Overview's link is the view's own


def test_the_entities_grain_is_in_the_link(synthetic_db):
    query = {"entity": ["Angela Merkel"], "grain": ["month"]}
    at = open_link(synthetic_db, query, "entities")
    assert copied(at) == ("/entities", query)
    months = rows(synthetic_db, """SELECT DISTINCT date_trunc('month', a.published)::DATE FROM articles a
                                   JOIN mentions m ON m.article_id = a.id JOIN entities e ON e.id = m.entity_id
                                   WHERE a.duplicate_of IS NULL AND a.published IS NOT NULL AND e.name = 'Angela Merkel' ORDER BY 1""")
    (chart,) = [json.loads(c.proto.spec) for c in at.get("plotly_chart") if c.proto.id and "entity-timeline" in c.proto.id]
    assert [x[:10] for x in chart["data"][0]["x"]] == [m.isoformat() for (m,) in months]  # one bar a month
    at.segmented_control(key="grain").set_value("week").run()
    assert copied(at) == ("/entities", {"entity": ["Angela Merkel"]})  # the default leaves the link
