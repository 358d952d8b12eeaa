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
    if item["duplicate_of"]:
        meta.append("near-duplicate of " + widgets.article_link("the original", item["duplicate_of"], f))
    st.markdown(" · ".join(meta))
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
    if article_id:
        show_article(article_id, f)
        st.divider()
    head, share = st.columns([7, 2])
    head.title("Articles")
    with share:
        widgets.share("articles", f)
    total = data.get("count_articles", f)
    pages = max(1, -(-total // PAGE_SIZE))
    page = st.number_input("Page", 1, pages, 1, key="articles-page") if pages > 1 else 1
    listing = data.get("articles", f, PAGE_SIZE, (page - 1) * PAGE_SIZE)
    st.caption(f"{total:,} articles" + (f" · search: “{widgets.md_escape(f.q)}”" if f.q else ""))
    widgets.download(listing, "articles")
    for item in listing.itertuples():
        kicker = f"**{widgets.md_escape(item.kicker)}** · " if item.kicker else ""
        st.markdown(f"{widgets.when(item.published)} · {widgets.md_escape(item.source)} · {kicker}"
                    f"{widgets.article_link(item.title, item.id, f)}" + (f" · _{widgets.md_escape(item.topic)}_" if item.topic else ""))
