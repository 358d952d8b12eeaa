"""Small pieces shared by the pages: the share box, CSV downloads, article links."""

from __future__ import annotations

import html
from dataclasses import replace
from typing import Any

import pandas as pd
import streamlit as st

from dashboard.store.queries import Filters
from dashboard.views import filters


def share(path: str, f: Filters, article: str | None = None) -> None:
    """The current view's link, with a copy button."""
    with st.popover("Copy link", icon=":material/link:"):
        st.caption("Anyone with access to this dashboard opens exactly this view:")
        st.code(filters.link(path, f, article), language=None, wrap_lines=True)


def download(frame: pd.DataFrame, name: str, label: str = "Download CSV") -> None:
    st.download_button(label, frame.to_csv(index=False).encode("utf-8"), file_name=f"{name}.csv", mime="text/csv",
                       icon=":material/download:", disabled=frame.empty, key=f"download-{name}")


def article_href(article_id: str, f: Filters) -> str:
    """A relative link that opens an article in the reader, keeping the filters."""
    return "articles?" + filters.query_string(f, article_id)


def article_link(title: Any, article_id: str, f: Filters) -> str:
    """Markdown for a link to an article; the title is escaped (it is untrusted text)."""
    return f"[{md_escape(title or '(untitled)')}]({article_href(article_id, f)})"


def story_href(story_id: int, f: Filters) -> str:
    """A relative link to a story's articles, keeping the other filters."""
    return "articles?" + filters.query_string(replace(f, stories=(int(story_id),)))


def story_line(story: Any, f: Filters) -> str:
    """Markdown for one story: linked headline, days, size and sources (untrusted text escaped)."""
    days = when(story.first_day) if when(story.first_day) == when(story.last_day) else f"{when(story.first_day)} – {when(story.last_day)}"
    sources = ", ".join(md_escape(s) for s in list(story.sources)[:3]) + (" …" if len(story.sources) > 3 else "")
    return (f"[{md_escape(story.headline or '(untitled)')}]({story_href(story.id, f)}) · {days} · "
            f"{story.size} article{'s' if story.size != 1 else ''} · {sources}")


def span(first: Any, last: Any) -> str:
    """A short date span for a headline figure: '15 Mar 2025' or 'Feb 1987 – Oct 1987'."""
    if first is None or pd.isna(first):
        return "no dates"
    first, last = pd.Timestamp(first), pd.Timestamp(last)
    if first.date() == last.date():
        return first.strftime("%d %b %Y")
    return f"{first:%b %Y} – {last:%b %Y}"


def when(value: Any) -> str:
    return "undated" if value is None or pd.isna(value) else pd.Timestamp(value).strftime("%Y-%m-%d")


_MARKDOWN = str.maketrans({c: "\\" + c for c in "\\`*_{}[]()#+-.!|~>$"})


def md_escape(text: Any) -> str:
    """Untrusted text made inert for st.markdown: no HTML, no links, no formatting."""
    return html.escape(str(text), quote=False).translate(_MARKDOWN).replace("\n", " ")
