"""Small pieces shared by the pages: the share box, CSV downloads, exports, article links."""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from dashboard.store.exports import DOWNLOAD_ARTICLES, download_parts, selection_name
from dashboard.store.queries import Filters
from dashboard.views import data, filters

PAGE_DIR = Path(__file__).resolve().parent / "pages"
READER_PAGE = PAGE_DIR / "articles.py"
EXPORTS = (("csv", "CSV", "text/csv"), ("parquet", "Parquet", "application/vnd.apache.parquet"))


def share(path: str, f: Filters, article: str | None = None, extra: Sequence[tuple[str, str]] = ()) -> None:
    """The current view's link, with a copy button; `extra` adds the page's own parameters (quotes, page)."""
    link = filters.link(path, f, article)
    if extra:
        link += ("&" if "?" in link else "?") + urlencode(list(extra))
    with st.popover("Copy link", icon=":material/link:"):
        st.caption("Anyone with access to this dashboard opens exactly this view:")
        st.code(link, language=None, wrap_lines=True)


def export_selection(f: Filters, total: int, what: str = "articles") -> None:
    """Download every article of the selection (not just the rows on screen), as CSV or Parquet.

    The file is made only when a button is clicked (a deferred download), by DuckDB in bounded
    memory; the page itself reads nothing for it. Streamlit holds a download in memory to serve
    it, so a selection of more than DOWNLOAD_ARTICLES comes in parts, by dates (newest first).
    """
    if total <= DOWNLOAD_ARTICLES:
        _export_buttons(f, False, total, what, "All")
        return
    counts = data.get("period_counts", f, "day")
    days = [(pd.Timestamp(p).date(), int(n)) for p, n in zip(counts["period"], counts["articles"], strict=True)]
    cuts = download_parts(days, max(0, total - sum(n for _, n in days)))
    labels = [f"{first} to {last} · {count:,} articles" if first else f"undated · {count:,} articles" for first, last, count in cuts]
    st.caption(f"{total:,} articles are more than one download holds (about {DOWNLOAD_ARTICLES:,}): download them in "
               f"{len(cuts)} parts, by dates, newest first.")
    chosen = st.selectbox("Part", range(len(cuts)), format_func=labels.__getitem__, key=f"export-part-{what}")
    first, last, count = cuts[chosen or 0]
    part = replace(f, start=first, end=last) if first else f
    _export_buttons(part, first is None, count, what, f"Part {(chosen or 0) + 1}:")


def _export_buttons(f: Filters, undated: bool, count: int, what: str, prefix: str) -> None:
    columns = st.columns(len(EXPORTS))
    name_what = what + ("-undated" if undated else "")
    for column, (fmt, label, mime) in zip(columns, EXPORTS, strict=True):
        column.download_button(f"{prefix} {count:,} as {label}", data=lambda fmt=fmt: data.export_selection(f, fmt, undated),
                               file_name=selection_name(f, name_what, fmt), mime=mime, icon=":material/download:",
                               disabled=count == 0, on_click="ignore", key=f"export-{what}-{fmt}",
                               help="Every article of the selection with its text, URL, topic, story and entities")


def article_entry(title: Any, article_id: str, f: Filters, meta: str = "", key: str | None = None) -> None:
    """An article's title as a link that opens it in the reader in this tab and session, with a line of details.

    From another page it is a page link carrying the filters; on the Articles page a button
    that puts `article=` in the URL (one history entry: Back closes the reader).
    """
    label = md_escape(title or "(untitled)")
    if st.session_state.get("page_path") == "articles":
        st.button(label, key=key or f"open-{article_id}", on_click=filters.open_article, args=(article_id,),
                  type="tertiary", icon=":material/article:")
    else:
        st.page_link(READER_PAGE, label=label, query_params=filters.page_params(f, article_id), icon=":material/article:")
    if meta:
        st.caption(meta)


def page_entry(page: str, label: Any, f: Filters, meta: str = "", icon: str | None = None) -> None:
    """A link to another page (`topics`, `entities`, `articles`) showing the selection `f`, with a line of details.

    A page link, not a Markdown link: it opens in this tab and session (a Markdown link opens
    a new tab, and with it a new session), as one step in the browser's history.
    """
    st.page_link(PAGE_DIR / f"{page}.py", label=md_escape(label or "(untitled)"), query_params=filters.page_params(f) or None,
                 icon=icon)
    if meta:
        st.caption(meta)


def pager(pages: int) -> int:
    """The list's page (from 1), in the URL as `page=` when past the first; no control for a single page."""
    if pages <= 1:
        return 1
    filters.seed_page(pages)
    page = st.pagination(pages, key="page", max_visible_pages=7)
    filters.show_param("page", [str(page)] if page > 1 else [])
    return page


def filter_line(f: Filters) -> None:
    """The active filters in one compact line at the top of the page: on a phone the sidebar is folded away."""
    line = filters.summary(f)
    if line:
        st.caption(":material/filter_alt: " + md_escape(line))


def download(frame: pd.DataFrame, name: str, label: str = "Download CSV") -> None:
    st.download_button(label, frame.to_csv(index=False).encode("utf-8"), file_name=f"{name}.csv", mime="text/csv",
                       icon=":material/download:", disabled=frame.empty, key=f"download-{name}")


def story_entry(story: Any, f: Filters) -> None:
    """One story: its headline linking to its articles (the other filters kept); days, size and sources under it."""
    days = when(story.first_day) if when(story.first_day) == when(story.last_day) else f"{when(story.first_day)} – {when(story.last_day)}"
    sources = ", ".join(md_escape(s) for s in list(story.sources)[:3]) + (" …" if len(story.sources) > 3 else "")
    page_entry("articles", story.headline, replace(f, stories=(int(story.id),)),
               f"{days} · {story.size} article{'s' if story.size != 1 else ''} · {sources}", icon=":material/newspaper:")


def span(first: Any, last: Any) -> str:
    """A date span short enough for a headline figure in a quarter of the page (at most 14
    characters, which the metric shows whole on a laptop's width): '15 Mar 2025', '10–15 Mar 2025',
    'Feb–Oct 1987', '2001–2011'. The exact first and last days go in the figure's tooltip."""
    if first is None or pd.isna(first):
        return "no dates"
    first, last = pd.Timestamp(first), pd.Timestamp(last)
    if first.date() == last.date():
        return first.strftime("%d %b %Y")
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}–{last.day} {last:%b %Y}"
    if first.year == last.year:
        return f"{first:%b}–{last:%b %Y}"
    return f"{first.year}–{last.year}"


def when(value: Any) -> str:
    return "undated" if value is None or pd.isna(value) else pd.Timestamp(value).strftime("%Y-%m-%d")


_MARKDOWN = str.maketrans({c: "\\" + c for c in "\\`*_{}[]()#+-.!|~>$"})


def md_escape(text: Any) -> str:
    """Untrusted text made inert for st.markdown: no HTML, no links, no formatting."""
    return html.escape(str(text), quote=False).translate(_MARKDOWN).replace("\n", " ")
