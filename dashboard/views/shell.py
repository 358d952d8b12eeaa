"""The frame around every page: navigation, sidebar filters, notices, admin sign-in.

It also starts a deploy: a missing database is created on the first page view (from seeds/,
or empty with NEWSDESK_SEED=0), the app's own feed poller is started when NEWSDESK_POLL_MINUTES
is set, and while the database holds no article every page but Ingest says what to do.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import streamlit as st

from dashboard import config, firstrun, scheduler
from dashboard.ingest import IngestError
from dashboard.poll import Feed, read_feeds
from dashboard.store import StoreError
from dashboard.store.queries import Filters
from dashboard.views import admin, data, filters

PAGE_DIR = Path(__file__).resolve().parent / "pages"
# (title, page script, URL path, icon): the URL paths are part of the shareable-link contract.
PAGES = [
    ("Overview", "overview.py", "", ":material/dashboard:"),
    ("Topics", "topics.py", "topics", ":material/category:"),
    ("Entities", "entities.py", "entities", ":material/group:"),
    ("Quotes", "quotes.py", "quotes", ":material/format_quote:"),
    ("Articles", "articles.py", "articles", ":material/article:"),
    ("Compare", "compare.py", "compare", ":material/compare_arrows:"),
    ("Ingest", "ingest.py", "ingest", ":material/upload:"),
]


def main() -> None:
    st.set_page_config(page_title="Newsdesk", page_icon=":material/newspaper:", layout="wide")
    pages = [st.Page(PAGE_DIR / script, title=title, url_path=path or None, icon=icon, default=not path)
             for title, script, path, icon in PAGES]
    _first_start(data.db_path())
    problem = data.available()
    empty = not problem and _is_empty()
    # With data, the sidebar's own links (nav_links) carry the filters; without, Streamlit's menu does.
    page = st.navigation(pages, position="sidebar" if problem or empty else "hidden")
    st.session_state["page_path"] = page.url_path
    if problem:
        st.title("Newsdesk")
        st.error(f"The database cannot be read: {problem}")
        if st.session_state.get("first_start_problem"):
            st.warning(st.session_state.pop("first_start_problem"))
        st.caption(f"Database: {os.fspath(data.db_path())}")
        return
    st.session_state["stale"] = False
    if page.url_path != "ingest" and empty:
        admin.admin_box()
        first_run_page(pages[-1])
        return
    nav = st.sidebar.container()
    f = filters.sidebar()
    admin.admin_box()
    for message in st.session_state.get("notices", []):
        st.warning(message, icon=":material/link_off:")
    page.run()
    filters.publish_view(page.url_path, f)
    if not empty:  # (an empty database's Ingest page has Streamlit's menu)
        nav_links(nav, pages, f)  # drawn at the top of the sidebar, once the page's settings are known
    if st.session_state.get("stale"):
        st.sidebar.caption(":material/hourglass_top: An ingest is writing: showing the data from just before it.")


def nav_links(box, pages: list[st.Page], f: Filters) -> None:
    """The pages, as links that carry the selection and the settings each page shows: going to another
    page is one step in the browser's history, and Back returns to the page as it was. (Streamlit's own
    menu keeps only parameters bound to widgets; putting the others back after it would be a second step.)"""
    with box:
        for page in pages:
            st.page_link(page, query_params=filters.nav_params(page.url_path, f) or None, width="stretch")
        st.divider()


def _first_start(db: Path) -> None:
    """Create a missing database (once, whichever session comes first) and start the feed poller."""
    if not db.exists():
        seeds = config.SEEDS if config.seed_on_first_run() else None
        with st.spinner("First start: preparing the database…" + (" (reading the seed pages)" if seeds else "")):
            try:
                firstrun.ensure_database(db, seeds)
            except (OSError, StoreError) as exc:  # a read-only disk, say: the page then says the database cannot be read
                firstrun.log.error("cannot create %s: %s", db, exc)
                st.session_state["first_start_problem"] = f"The database could not be created: {exc}"
    minutes = config.poll_minutes()
    if minutes:
        scheduler.start(db, minutes, feed_source())


def feed_source() -> Callable[[], list[Feed]]:
    """The feeds to poll: `[[feed]]` tables in the app's secrets (Community Cloud), else the feeds file."""
    try:
        entries = st.secrets.get("feed")
    except (FileNotFoundError, KeyError, st.errors.StreamlitSecretNotFoundError):
        entries = None
    if not entries:
        path = config.feeds_path()
        return lambda: read_feeds(path)
    listed = [dict(entry) for entry in entries] if isinstance(entries, list) else []

    def from_secrets() -> list[Feed]:
        if not listed or any(not str(e.get("url", "")).startswith(("http://", "https://")) for e in listed):
            raise IngestError("secrets: every [[feed]] needs an http(s) url")
        return [Feed(url=e["url"], name=e.get("name")) for e in listed]

    return from_secrets


def _is_empty() -> bool:
    return data.get("count_articles", Filters(duplicates=True)) == 0


def poll_schedule_line() -> str | None:
    """'Feeds are polled every N minutes; next at HH:MM UTC', or None when the app does not poll."""
    minutes = config.poll_minutes()
    if not minutes:
        return None
    due = datetime.fromtimestamp(max(scheduler.next_due(data.db_path(), minutes * 60), time.time())).astimezone()
    return f"The app polls its feeds every {minutes:g} minutes; the next poll is due at {due:%H:%M %Z}."


def first_run_page(ingest_page: st.Page) -> None:
    """What a page shows while the database holds no article: what to do, not an error."""
    st.title("Newsdesk")
    st.info("No news here yet: this dashboard's database is empty.", icon=":material/inbox:")
    if admin.is_admin():
        st.markdown("Add files (seed pages, RSS/Atom, JSONL, CSV, Reuters SGML, text) or feed URLs on the Ingest page.")
    elif admin.admin_secret() is not None:
        st.markdown("An admin fills it: open **Admin** in the sidebar, sign in with the admin secret, then add files or "
                    "feed URLs on the Ingest page.")
    else:
        st.markdown("No admin secret is configured, so nobody can ingest from this page. Set `admin_secret` in the app's "
                    "secrets (or `NEWSDESK_ADMIN_SECRET`), or run `python -m dashboard ingest PATH_OR_URL` where the "
                    "database lives.")
    st.page_link(ingest_page, label="Go to the Ingest page", icon=":material/upload:")
    line = poll_schedule_line()
    if line:
        st.caption(line)
    st.caption(f"Database: {os.fspath(data.db_path())}")
