"""The Streamlit app through AppTest: every page, filters, links restored from the URL, bad links."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT, rows, table_counts

PAGES = ("overview", "topics", "entities", "quotes", "articles", "ingest")


def app(db: Path, page: str = "overview", params: dict | None = None, secret: str | None = None) -> AppTest:
    """Run the app on `db`, opened at `page` with query parameters, as a browser would."""
    os.environ["NEWSDESK_DB"] = str(db)
    if secret is None:
        os.environ.pop("NEWSDESK_ADMIN_SECRET", None)
    else:
        os.environ["NEWSDESK_ADMIN_SECRET"] = secret
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.run()  # a fresh session opened on a link: the parameters are there from the first run
    if page != "overview":
        at.switch_page(f"dashboard/views/pages/{page}.py").run()
    assert not at.exception, at.exception
    return at


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def texts(at: AppTest) -> str:
    return "\n".join(str(e.value) for kind in ("markdown", "header", "title", "caption", "warning", "error", "info")
                     for e in getattr(at, kind))


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_on_the_seed(enriched_seed_db, page):
    at = app(enriched_seed_db, page)
    assert at.title[0].value in ("Newsdesk", page.title())


@pytest.mark.slow
def test_reuters_overview_counts_and_topics(reuters_db):
    at = app(reuters_db)
    (originals,) = rows(reuters_db, "SELECT count(*) FROM articles WHERE duplicate_of IS NULL")[0]
    assert metric(at, "Articles") == f"{originals:,}"
    assert int(metric(at, "Topics")) >= 3


def test_filters_change_what_is_shown(enriched_seed_db):
    everything = app(enriched_seed_db)
    assert metric(everything, "Articles") == "6"
    (taiwan,) = [str(t) for t, label in rows(enriched_seed_db, "SELECT id, label FROM topics") if "taiwan" in label.lower()]
    one_topic = app(enriched_seed_db, params={"topic": taiwan})
    assert metric(one_topic, "Articles") == "3"
    searched = app(enriched_seed_db, params={"q": "Kursk"})
    assert metric(searched, "Articles") == "1"
    by_entity = app(enriched_seed_db, params={"entity": "Taiwan"})
    assert metric(by_entity, "Articles") == "3"
    dated = app(enriched_seed_db, params={"from": "2025-03-15", "to": "2025-03-15"})
    assert metric(dated, "Articles") == "5"


def test_widget_changes_reach_the_url(enriched_seed_db):
    at = app(enriched_seed_db)
    (taiwan,) = [str(t) for t, label in rows(enriched_seed_db, "SELECT id, label FROM topics") if "taiwan" in label.lower()]
    at.multiselect(key="topic").set_value([taiwan]).run()
    assert at.query_params.get("topic") in (taiwan, [taiwan])
    assert metric(at, "Articles") == "3"


def test_links_restore_the_view(enriched_seed_db):
    (taiwan, label) = next((str(t), lab) for t, lab in rows(enriched_seed_db, "SELECT id, label FROM topics") if "taiwan" in lab.lower())
    topic_page = app(enriched_seed_db, "topics", {"topic": taiwan})
    assert next(h.value for h in topic_page.header) == label
    entity_page = app(enriched_seed_db, "entities", {"entity": "Vladimir Putin"})
    assert "Vladimir Putin" in [h.value for h in entity_page.header]
    assert "I would like to emphasize" in texts(entity_page)
    assert "PERSON · 1 articles" in texts(entity_page) and "first seen 2025-03-15" in texts(entity_page)
    (article_id, title) = rows(enriched_seed_db, "SELECT id, title FROM articles WHERE kicker = 'CROSSED A LINE'")[0]
    reader = app(enriched_seed_db, "articles", {"article": article_id})
    assert title in [h.value for h in reader.header]
    assert "Patty Hou" in texts(reader)


def test_alias_finds_the_entity(enriched_seed_db):
    at = app(enriched_seed_db, "entities")
    at.text_input(key="entity-search").set_value("卓榮泰").run()
    labels = [b.label for b in at.button]
    assert any(label.startswith("Cho Jung-tai") for label in labels)


@pytest.mark.parametrize(
    ("params", "notice"),
    [
        ({"topic": "999"}, "Unknown topic"),
        ({"topic": "'; DROP TABLE articles; --"}, "Unknown topic"),
        ({"from": "2025-13-45"}, "is not a date"),
        ({"to": "yesterday"}, "is not a date"),
        ({"entity": "<script>alert(1)</script>"}, "Unknown entity"),
        ({"source": "Nowhere Gazette"}, "Unknown source"),
        ({"article": "' OR 1=1 --"}, "No article"),
    ],
)
def test_bad_parameters_give_a_notice_and_defaults(enriched_seed_db, params, notice):
    before = table_counts(enriched_seed_db)
    at = app(enriched_seed_db, "overview", params)
    assert any(notice in w.value for w in at.warning)
    assert metric(at, "Articles") == "6"  # the view falls back to everything
    assert table_counts(enriched_seed_db) == before


def test_hostile_search_text_is_only_searched_for(enriched_seed_db):
    at = app(enriched_seed_db, "articles", {"q": "%' OR '1'='1"})
    assert not at.exception
    # The words of the text are searched for: the one word of two letters, "or".
    with_or = sum(1 for title, body in rows(enriched_seed_db, "SELECT title, body FROM articles WHERE duplicate_of IS NULL")
                  if re.search(r"\bor\b", f"{title} {body}", re.IGNORECASE))
    total = rows(enriched_seed_db, "SELECT count(*) FROM articles WHERE duplicate_of IS NULL")[0][0]
    assert 0 < with_or < total
    assert f"{with_or} articles" in texts(at)


def test_article_html_is_shown_as_text(enriched_seed_db):
    (article_id,) = rows(enriched_seed_db, "SELECT id FROM articles WHERE external_id = 'hostile-1'")[0]
    at = app(enriched_seed_db, "articles", {"article": article_id})
    body = next(m.value for m in at.markdown if "nd-reader" in m.value)
    assert "<script>" not in body and "&lt;script&gt;" in body
    assert "<img" not in body and "&lt;img" in body
    assert "javascript:" not in texts(at)


def test_reader_marks_the_searched_words(enriched_seed_db):
    (article_id, body) = rows(enriched_seed_db, "SELECT id, body FROM articles WHERE body ILIKE '%Kursk%' LIMIT 1")[0]
    at = app(enriched_seed_db, "articles", {"article": article_id, "q": "kursk"})
    html = next(m.value for m in at.markdown if "nd-reader" in m.value)
    hits = re.findall(r'<mark class="nd-hit"[^>]*>(.*?)</mark>', html)
    assert hits and set(hits) == {"Kursk"}
    assert len(hits) == len(re.findall(r"\bKursk\b", body))
    unsearched = next(m.value for m in app(enriched_seed_db, "articles", {"article": article_id}).markdown if "nd-reader" in m.value)
    assert "nd-hit" not in unsearched.split("</style>")[1]


def test_viewers_cannot_ingest_or_rename(enriched_seed_db):
    at = app(enriched_seed_db, "ingest", secret="s3cret-admin")
    assert "Only an admin can ingest" in texts(at)
    assert not at.get("file_uploader")
    (taiwan,) = [str(t) for t, label in rows(enriched_seed_db, "SELECT id, label FROM topics") if "taiwan" in label.lower()]
    topic_page = app(enriched_seed_db, "topics", {"topic": taiwan}, secret="s3cret-admin")
    assert not [t for t in topic_page.text_input if t.key and t.key.startswith("rename-")]


def test_admin_signs_in_with_the_secret_which_never_shows(enriched_seed_db):
    at = app(enriched_seed_db, "ingest", secret="s3cret-admin")
    at.text_input(key="admin_key").set_value("wrong").run()
    assert "Wrong secret." in texts(at)
    at.text_input(key="admin_key").set_value("s3cret-admin").run()
    assert not at.exception
    assert "Only an admin can ingest" not in texts(at)
    assert "s3cret-admin" not in texts(at)
    assert "s3cret-admin" not in str(at.query_params)
    assert all(t.value != "s3cret-admin" for t in at.text_input)


def test_no_secret_configured_means_read_only(enriched_seed_db):
    at = app(enriched_seed_db, "ingest")
    assert "No admin secret is configured" in texts(at)
    assert "Only an admin can ingest" in texts(at)


def test_a_busy_database_shows_the_data_from_before(tmp_path, enriched_seed_db):
    import shutil

    import duckdb

    db = tmp_path / "busy.duckdb"
    shutil.copy(enriched_seed_db, db)
    before = app(db)
    assert metric(before, "Articles") == "6"
    writer = duckdb.connect(str(db))  # an ingest in progress: holds the file and changes it
    try:
        writer.execute("INSERT INTO ingest_runs VALUES ('elsewhere', now(), 'ok', 0, 0, 0, 0, NULL)")
        during = app(db)
        assert metric(during, "Articles") == "6"
        assert any("showing the data from just before" in c.value for c in during.sidebar.caption)
    finally:
        writer.close()
