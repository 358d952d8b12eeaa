"""Every page of the app (AppTest) shows what the stored rows say, on the synthetic corpus and on Reuters.

The expected figures are computed here in plain Python from the stored tables (see test_queries.py).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from urllib.parse import parse_qs

import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from dashboard.nlp.bursts import burst_scores, rising
from tests.conftest import ROOT, rows
from tests.test_queries import entity_rows, monday, originals, quote_rows

PAGES = ("overview", "topics", "entities", "quotes", "articles", "ingest")


@pytest.fixture(scope="module", params=["synthetic", pytest.param("reuters", marks=pytest.mark.slow)])
def pages(request) -> tuple[Path, dict[str, AppTest]]:
    """Each page of one session opened on the dashboard of a corpus, with no filter."""
    db = request.getfixturevalue(f"{request.param}_db")
    os.environ["NEWSDESK_DB"] = str(db)
    os.environ.pop("NEWSDESK_ADMIN_SECRET", None)
    st.cache_data.clear()  # as a fresh server: no query answered from what an earlier test (or process) cached
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    seen = {}
    for page in PAGES:
        if page == "overview":
            at.run()
        else:
            at.switch_page(f"dashboard/views/pages/{page}.py").run()
        assert not at.exception, (page, at.exception)
        seen[page] = {"title": [t.value for t in at.title], "captions": [c.value for c in at.caption],
                      "metrics": {m.label: m.value for m in at.metric}, "errors": [e.value for e in at.error],
                      "tables": [d.value for d in at.dataframe], "markdown": [m.value for m in at.markdown],
                      "charts": [json.loads(c.proto.spec) for c in at.get("plotly_chart")],
                      "links": [(c.proto.page, c.proto.icon, parse_qs(c.proto.query_string)) for c in at.get("page_link")]}
    return db, seen


def topic_sizes(db: Path) -> pd.Series:
    return originals(db)["topic_id"].dropna().astype(int).value_counts()


def test_overview_counts_and_rising_topics(pages):
    db, seen = pages
    frame = originals(db)
    shown = seen["overview"]
    assert shown["title"] == ["Newsdesk"]
    assert shown["metrics"]["Articles"] == f"{len(frame):,}"
    assert shown["metrics"]["Sources"] == f"{frame['source'].nunique():,}"
    assert shown["metrics"]["Topics"] == f"{len(topic_sizes(db)):,}"
    dated = frame.dropna(subset=["published", "topic_id"])
    labels = dict(rows(db, "SELECT id, coalesce(custom_label, label) FROM topics"))
    volume = (dated.assign(period=dated["day"].map(monday), topic_id=dated["topic_id"].astype(int))
              .groupby(["period", "topic_id"]).size().rename("articles").reset_index())
    volume["label"] = volume["topic_id"].map(labels)
    last_day = frame["day"].dropna().max()
    expected = rising(burst_scores(volume, "week", through=last_day)).head(5)
    shown_rising = [query["topic"][0] for page, icon, query in shown["links"] if page == "topics" and icon == ":material/trending_up:"]
    assert shown_rising == [str(t) for t in expected["topic_id"]]
    areas = {trace["name"] for trace in shown["charts"][0]["data"]}
    assert areas == {labels[t] for t in topic_sizes(db).index}


def test_topics_page_lists_every_topic_with_its_size(pages):
    db, seen = pages
    table = seen["topics"]["tables"][0]
    sizes = topic_sizes(db)
    assert seen["topics"]["title"] == ["Topics"]
    assert dict(zip(table["id"], table["size"], strict=True)) == {t: sizes.get(t, 0) for (t,) in rows(db, "SELECT id FROM topics")}


def test_entities_page_ranks_the_most_present(pages):
    db, seen = pages
    links = entity_rows(db)
    counts = links.groupby("name").agg(articles=("id", "size"), mentions=("mentions", "sum")).reset_index()
    top = counts.sort_values(["articles", "mentions", "name"], ascending=[False, False, True]).head(25)
    drawn = {name for trace in seen["entities"]["charts"][0]["data"] for name in trace["y"]}
    assert seen["entities"]["title"] == ["Entities"]
    assert drawn == set(top["name"])


def test_quotes_and_articles_pages_count_the_selection(pages):
    db, seen = pages
    frame, said = originals(db), quote_rows(db)
    quoted = said["id"].isin(frame["id"]).sum()
    assert f"{min(quoted, 500):,} quotes" + (" (first 500)" if quoted >= 500 else "") in seen["quotes"]["captions"]
    assert f"{len(frame):,} articles" in seen["articles"]["captions"]


def test_ingest_page_is_closed_to_viewers(pages):
    _, seen = pages
    assert seen["ingest"]["title"] == ["Ingest"]
    assert seen["ingest"]["errors"] == ["Only an admin can ingest. Sign in with the admin secret in the sidebar."]
