"""The frame around every page: navigation, sidebar filters, notices, admin sign-in."""

from __future__ import annotations

import os

import streamlit as st

from dashboard.views import admin, articles, data, entities, filters, ingest, overview, quotes, topics

PAGES = [
    ("Overview", overview.render, "", ":material/dashboard:"),
    ("Topics", topics.render, "topics", ":material/category:"),
    ("Entities", entities.render, "entities", ":material/group:"),
    ("Quotes", quotes.render, "quotes", ":material/format_quote:"),
    ("Articles", articles.render, "articles", ":material/article:"),
    ("Ingest", ingest.render, "ingest", ":material/upload:"),
]


def main() -> None:
    st.set_page_config(page_title="Newsdesk", page_icon=":material/newspaper:", layout="wide")
    pages = [st.Page(fn, title=title, url_path=path or None, icon=icon, default=not path) for title, fn, path, icon in PAGES]
    page = st.navigation(pages)
    st.session_state["page_path"] = page.url_path
    problem = data.available()
    if problem:
        st.title("Newsdesk")
        st.error(f"The database cannot be read: {problem}")
        st.caption(f"Database: {os.fspath(data.db_path())}")
        return
    filters.sidebar()
    admin.admin_box()
    for message in st.session_state.get("notices", []):
        st.warning(message, icon=":material/link_off:")
    page.run()
