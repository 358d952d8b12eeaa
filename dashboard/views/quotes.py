"""Quotes: who said what, filtered by speaker and words, each linked to its article."""

from __future__ import annotations

import streamlit as st

from dashboard.views import data, filters, widgets


def render() -> None:
    f = filters.current()
    head, share = st.columns([7, 2])
    head.title("Quotes")
    with share:
        widgets.share("quotes", f)
    left, right = st.columns(2)
    chosen = left.multiselect("Speakers", data.get("speakers", f), key="speakers", placeholder="Anyone")
    words = right.text_input("Quote contains", key="quote-words", max_chars=200).strip() or None
    found = data.get("quotes", f, tuple(chosen), words, 500)
    st.caption(f"{len(found):,} quotes" + (" (first 500)" if len(found) == 500 else ""))
    widgets.download(found, "quotes")
    for row in found.itertuples():
        who = row.speaker or "Unknown speaker"
        st.markdown(f"> {widgets.md_escape(row.text)}\n\n— **{widgets.md_escape(who)}** · {widgets.when(row.published)} · "
                    f"{widgets.article_link(row.title, row.article_id, f)}")
