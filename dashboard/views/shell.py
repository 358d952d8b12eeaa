"""The frame around every page: navigation, sidebar filters, notices, admin sign-in."""

from __future__ import annotations

import os
from pathlib import Path

import streamlit as st

from dashboard.views import admin, data, filters

PAGE_DIR = Path(__file__).resolve().parent / "pages"
# (title, page script, URL path, icon): the URL paths are part of the shareable-link contract.
PAGES = [
    ("Overview", "overview.py", "", ":material/dashboard:"),
    ("Topics", "topics.py", "topics", ":material/category:"),
    ("Entities", "entities.py", "entities", ":material/group:"),
    ("Quotes", "quotes.py", "quotes", ":material/format_quote:"),
    ("Articles", "articles.py", "articles", ":material/article:"),
    ("Ingest", "ingest.py", "ingest", ":material/upload:"),
]


def main() -> None:
    st.set_page_config(page_title="Newsdesk", page_icon=":material/newspaper:", layout="wide")
    pages = [st.Page(PAGE_DIR / script, title=title, url_path=path or None, icon=icon, default=not path)
             for title, script, path, icon in PAGES]
    page = st.navigation(pages)
    st.session_state["page_path"] = page.url_path
    problem = data.available()
    if problem:
        st.title("Newsdesk")
        st.error(f"The database cannot be read: {problem}")
        st.caption(f"Database: {os.fspath(data.db_path())}")
        return
    st.session_state["stale"] = False
    filters.sidebar()
    admin.admin_box()
    for message in st.session_state.get("notices", []):
        st.warning(message, icon=":material/link_off:")
    page.run()
    if st.session_state.get("stale"):
        st.sidebar.caption(":material/hourglass_top: An ingest is writing: showing the data from just before it.")
