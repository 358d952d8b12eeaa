"""A fresh deploy in a real browser: `streamlit run app.py` with no database file.

Viewers get the first-run page on every page; an admin signs in, ingests a feed on the Ingest
page and every page fills. With the seed, a missing database opens on the seed's figures.
"""

from __future__ import annotations

import pytest

from tests.conftest import FIXTURES, Route, rows
from tests.test_browser import SECRET, launch_chromium, metric, open_page, run_streamlit, shot, wait_for_metric

pytestmark = pytest.mark.browser
VIEWER_PAGES = ("Overview", "Topics", "Entities", "Quotes", "Articles")


@pytest.fixture(scope="module")
def chromium():
    yield from launch_chromium()


@pytest.fixture
def empty_deploy(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSDESK_SEED", "0")
    db = tmp_path / "deploy" / "news.duckdb"
    for url in run_streamlit(db):
        yield url, db


def nav(page, title: str) -> None:
    """A page's link in the sidebar: Streamlit's menu while the database is empty, the app's own links after."""
    page.get_by_test_id("stSidebar").locator("a").get_by_text(title, exact=True).first.click()


def test_a_fresh_deploy_says_what_to_do_then_an_admin_fills_it(empty_deploy, chromium, http_server):
    url, db = empty_deploy
    base, routes, _ = http_server
    routes["/feed.rss"] = Route((FIXTURES / "feed.rss").read_bytes())
    context, page, _ = open_page(chromium, url + "/", ready=None)
    page.get_by_text("No news here yet").wait_for(timeout=60_000)
    for title in VIEWER_PAGES[1:]:
        nav(page, title)
        page.wait_for_url(f"**/{title.lower()}", timeout=15_000)
        page.get_by_text("No news here yet").wait_for(timeout=15_000)
        assert page.get_by_text("cannot be read").count() == 0
    shot(page, "first-run-viewer")

    page.get_by_test_id("stSidebar").get_by_text("Admin", exact=True).click()
    page.get_by_label("Admin secret").fill(SECRET)
    page.get_by_label("Admin secret").press("Enter")
    page.get_by_text("Signed in as admin").wait_for(timeout=15_000)
    page.get_by_text("Go to the Ingest page").click()
    page.get_by_label("Feed or page URLs, one per line").fill(f"{base}/feed.rss")
    page.get_by_label("Feed or page URLs, one per line").press("Control+Enter")
    page.get_by_role("button", name="Ingest", exact=True).click()
    page.get_by_text("new 2").first.wait_for(timeout=120_000)
    shot(page, "first-run-admin-ingested")

    nav(page, "Overview")
    wait_for_metric(page, "Articles", "2", timeout=30)
    for title in VIEWER_PAGES[1:]:
        nav(page, title)
        page.get_by_role("heading", name=title).first.wait_for(timeout=30_000)
        assert page.get_by_text("No news here yet").count() == 0
    assert rows(db, "SELECT count(*) FROM articles")[0][0] == 2
    context.close()


def test_a_missing_database_opens_on_the_seed(tmp_path, monkeypatch, chromium):
    monkeypatch.delenv("NEWSDESK_SEED", raising=False)
    db = tmp_path / "seeded" / "news.duckdb"
    for url in run_streamlit(db):
        context, page, _ = open_page(chromium, url + "/")
        (originals,) = rows(db, "SELECT count(*) FROM articles WHERE duplicate_of IS NULL")[0]
        assert metric(page, "Articles") == f"{originals:,}" and originals > 0
        shot(page, "first-run-seeded")
        context.close()
