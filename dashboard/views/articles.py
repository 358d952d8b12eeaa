"""Articles: search and list the selection; the reader shows one with its highlights."""

from __future__ import annotations

import streamlit as st

from dashboard.store import write as store_write
from dashboard.views import admin, data, filters, reader, widgets

PAGE_SIZE = 50


def _open(article_id: str | None) -> None:
    filters.open_article(article_id)


def _delete(article_id: str) -> None:
    if admin.is_admin():
        data.write(store_write.delete_article, article_id)
        filters.open_article(None)


def show_article(article_id: str, f) -> None:
    item = data.get("article", article_id)
    mentions, quotes = data.get("article_marks", article_id)
    head, share, close = st.columns([6, 2, 1])
    if item["kicker"]:
        head.caption(item["kicker"])
    head.header(item["title"] or "(untitled)", anchor=False)
    with share:
        widgets.share("articles", f, article_id)
    close.button("Close", on_click=_open, args=(None,), icon=":material/close:")
    meta = [widgets.md_escape(item["source"]), widgets.when(item["published"]) + (" (approx.)" if item["published_approx"] else "")]
    if item["topic"]:
        meta.append("topic: " + widgets.md_escape(item["topic"]))
    st.markdown(" · ".join(meta))
    if item["duplicate_of"]:
        widgets.article_entry("A near-duplicate: open the original", item["duplicate_of"], f)
    st.markdown(reader.render_html(item["title"], item["body"], mentions, quotes, f.q), unsafe_allow_html=True)
    notes = []
    if item["truncated"]:
        notes.append("The source text is cut off here.")
    if item["photo_credit"]:
        notes.append(f"Photo: {widgets.md_escape(item['photo_credit'])}")
    if item["url"]:
        notes.append(f"[Original]({item['url']})" if str(item["url"]).startswith(("http://", "https://")) else "")
    st.caption(" · ".join(n for n in notes if n))
    if admin.is_admin():
        st.button("Delete this article", on_click=_delete, args=(article_id,), type="secondary", icon=":material/delete:")


def render() -> None:
    f = filters.current()
    article_id = filters.article_param()
    widgets.filter_line(f)
    if article_id:
        show_article(article_id, f)
        st.divider()
    total = data.get("count_articles", f)
    pages = max(1, -(-total // PAGE_SIZE))
    head, share = st.columns([7, 2])
    head.title("Articles")
    page = widgets.pager(pages)
    with share:
        widgets.share("articles", f, extra=[("page", str(page))] if page > 1 else ())
    st.caption(f"{total:,} articles" + (f" · search: “{widgets.md_escape(f.q)}”" if f.q else ""))
    if total == 0:
        nothing_found(f)
        return
    widgets.export_selection(f, total)
    listing = data.get("articles", f, PAGE_SIZE, (page - 1) * PAGE_SIZE)
    for item in listing.itertuples():
        meta = [widgets.when(item.published), widgets.md_escape(item.source)]
        if item.kicker:
            meta.append(f"**{widgets.md_escape(item.kicker)}**")
        if item.topic:
            meta.append(f"_{widgets.md_escape(item.topic)}_")
        widgets.article_entry(item.title, item.id, f, " · ".join(meta))


def _search(text: str) -> None:
    st.session_state["q"] = text  # the sidebar's search box, `q=` in the URL


def nothing_found(f) -> None:
    """An empty selection says why where it can: reversed or out-of-range dates, a misspelt search."""
    reason = filters.empty_reason(f)
    if reason:
        st.info(reason, icon=":material/event_busy:")
    first, last = data.get("date_span")
    if first:
        st.caption(f"The data runs from {first} to {last}.")
    if f.q:
        suggestions = data.get("suggest_search", f.q)
        if suggestions:
            st.markdown("Did you mean:")
            for text in suggestions:
                st.button(widgets.md_escape(text), key=f"suggest-{text}", on_click=_search, args=(text,), type="tertiary",
                          icon=":material/search:")
        else:
            st.caption("No indexed word is close to this search.")
