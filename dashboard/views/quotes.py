"""Quotes: who said what, filtered by speaker and words, each linked to its article.

The speakers (`speaker=NAME`, repeatable), the words (`says=TEXT`) and the list's page
(`page=N`) are in the link, bound by Streamlit so that changing them replaces the URL.
"""

from __future__ import annotations

import streamlit as st

from dashboard.views import data, filters, widgets

LIMIT = 500
PAGE_SIZE = 50


def render() -> None:
    f = filters.current()
    widgets.filter_line(f)
    head, share = st.columns([7, 2])
    head.title("Quotes")
    left, right = st.columns(2)
    chosen = left.multiselect("Speakers", data.get("speakers", f), key="speaker", placeholder="Anyone", bind="query-params")
    words = right.text_input("Quote contains", key="says", max_chars=200, bind="query-params").strip() or None
    found = data.get("quotes", f, tuple(chosen), words, LIMIT)
    pages = max(1, -(-len(found) // PAGE_SIZE))
    page = st.pagination(pages, key="page", bind="query-params", max_visible_pages=7) if pages > 1 else 1
    with share:
        extra = [("speaker", s) for s in chosen] + ([("says", words)] if words else []) + ([("page", str(page))] if page > 1 else [])
        widgets.share("quotes", f, extra=extra)
    st.caption(f"{len(found):,} quotes" + (f" (first {LIMIT})" if len(found) == LIMIT else ""))
    if found.empty:
        reason = filters.empty_reason(f)
        if reason:
            st.info(reason, icon=":material/event_busy:")
        return
    widgets.download(found, "quotes")
    for row in found.iloc[(page - 1) * PAGE_SIZE: page * PAGE_SIZE].itertuples():
        who = row.speaker or "Unknown speaker"
        st.markdown(f"> {widgets.md_escape(row.text)}\n\n— **{widgets.md_escape(who)}** · {widgets.when(row.published)}")
        widgets.article_entry(row.title, row.article_id, f)
