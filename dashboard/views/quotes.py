"""Quotes: who said what, filtered by speaker and words, each linked to its article.

The speakers (`speaker=NAME`, repeatable), the words (`says=TEXT`) and the list's page
(`page=N`) are in the link; each change is one step in the browser's history.
"""

from __future__ import annotations

import streamlit as st

from dashboard.views import data, filters, widgets

LIMIT = 500
PAGE_SIZE = 50
MAX_WORDS = 200


def render() -> None:
    f = filters.current()
    widgets.filter_line(f)
    head, share = st.columns([7, 2])
    head.title("Quotes")
    left, right = st.columns(2)
    speakers = data.get("speakers", f)
    filters.own_param("speaker", set(speakers).__contains__, [], one=False)
    st.session_state["speaker"] = [s for s in st.session_state.get("speaker") or [] if s in speakers]
    chosen = left.multiselect("Speakers", speakers, key="speaker", placeholder="Anyone")
    filters.own_param("says", lambda text: len(text) <= MAX_WORDS, "")
    words = right.text_input("Quote contains", key="says", max_chars=MAX_WORDS).strip() or None
    filters.show_param("speaker", chosen)
    filters.show_param("says", [words] if words else [])
    found = data.get("quotes", f, tuple(chosen), words, LIMIT)
    pages = max(1, -(-len(found) // PAGE_SIZE))
    page = widgets.pager(pages)
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
