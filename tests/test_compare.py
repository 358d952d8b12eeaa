"""The Compare page through AppTest: series from a link are counted as the stored rows say; bad series are named."""

from __future__ import annotations

import json
import os
from datetime import date, timedelta

import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT, rows

ORIGINALS = "a.duplicate_of IS NULL AND a.published IS NOT NULL"


def compare(db, series: list[str], **params: str) -> AppTest:
    os.environ["NEWSDESK_DB"] = str(db)
    os.environ.pop("NEWSDESK_ADMIN_SECRET", None)
    st.cache_data.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.switch_page("dashboard/views/pages/compare.py")
    at.query_params["series"] = series
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def weekly(db, sql: str, params: list) -> dict[str, int]:
    return {d.isoformat(): n for d, n in rows(db, f"SELECT date_trunc('week', a.published)::DATE, count(DISTINCT a.id) FROM {sql} GROUP BY 1", params)}


def test_series_from_a_link_count_their_articles_week_by_week(synthetic_db):
    (topic_id,) = rows(synthetic_db, "SELECT min(id) FROM topics")[0]
    at = compare(synthetic_db, [f"topic:{topic_id}", "entity:Angela Merkel", "source:Metro Wire"])
    (chart,) = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    traces = chart["data"]
    assert [t["name"] for t in traces][1:] == ["Angela Merkel", "Metro Wire (source)"]
    first, last = rows(synthetic_db, f"SELECT min(published)::DATE, max(published)::DATE FROM articles a WHERE {ORIGINALS}")[0]
    monday = first - timedelta(days=first.weekday())
    weeks = [(monday + timedelta(days=7 * i)).isoformat() for i in range((last - monday).days // 7 + 1)]
    expected = [
        weekly(synthetic_db, f"articles a JOIN article_topics x ON x.article_id = a.id WHERE {ORIGINALS} AND x.topic_id = ?", [topic_id]),
        weekly(synthetic_db, f"""articles a JOIN mentions m ON m.article_id = a.id JOIN entities e ON e.id = m.entity_id
                                 WHERE {ORIGINALS} AND e.name = ?""", ["Angela Merkel"]),
        weekly(synthetic_db, f"articles a WHERE {ORIGINALS} AND a.source = ?", ["Metro Wire"]),
    ]
    for trace, counts in zip(traces, expected, strict=True):
        assert [x[:10] for x in trace["x"]] == weeks
        assert trace["y"] == [counts.get(w, 0) for w in weeks], trace["name"]
    table = at.dataframe[0].value
    assert list(table["articles"]) == [sum(c.values()) for c in expected]


def test_the_sidebar_dates_bound_every_series(synthetic_db):
    at = compare(synthetic_db, ["source:Daily Ledger"], **{"from": "2024-02-05", "to": "2024-02-18"})
    (trace,) = json.loads(at.get("plotly_chart")[0].proto.spec)["data"]
    assert [x[:10] for x in trace["x"]] == ["2024-02-05", "2024-02-12"]
    counts = weekly(synthetic_db, f"articles a WHERE {ORIGINALS} AND a.source = ? AND a.published >= ? AND a.published < ?",
                    ["Daily Ledger", date(2024, 2, 5), date(2024, 2, 19)])
    assert trace["y"] == [counts.get("2024-02-05", 0), counts.get("2024-02-12", 0)]


def test_series_that_cannot_be_drawn_are_named(synthetic_db):
    at = compare(synthetic_db, ["topic:99999", "nonsense", "entity:Nobody At All", "source:Nowhere", "q:oil"])
    warnings = [w.value for w in at.warning]
    assert "Unknown topic “99999”. Not drawn." in warnings
    assert "Unknown entity “Nobody At All”. Not drawn." in warnings
    assert "Unknown source “Nowhere”. Not drawn." in warnings
    assert any("“nonsense” is not a series" in w for w in warnings)
    (chart,) = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    assert [t["name"] for t in chart["data"]] == ["“oil”"]


def test_at_most_five_series(synthetic_db):
    six = [f"q:word{i}" for i in range(6)]
    at = compare(synthetic_db, six)
    assert "Only 5 series are compared: the last 1 ignored." in [w.value for w in at.warning]
    assert len(json.loads(at.get("plotly_chart")[0].proto.spec)["data"]) == 5
    assert at.query_params["series"] == six[:5]
