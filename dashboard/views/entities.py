"""Entities: find anyone by name or alias, then their mentions over time, topics, company and quotes."""

from __future__ import annotations

import streamlit as st

from dashboard import charts
from dashboard.views import admin, data, filters, widgets

MAX_FIND = 100


def _pick(name: str) -> None:
    st.session_state["entity"] = [name]


def _finder(f) -> None:
    """Type-ahead: the list follows each pause in typing (live), matched despite typos and accents, by mentions.

    What is typed is not in the link: each pause would be a step in the browser's history, and the
    finder's result is a choice, which is (`entity=`)."""
    text = st.text_input("Find an entity", placeholder="Name or alias, e.g. Putin, sadam or 卓榮泰", key="entity-search",
                         max_chars=MAX_FIND, live="300ms", type="search")
    if text.strip():
        found = data.find_entities(text.strip(), 12)
        if found.empty:
            st.caption("No entity is close to that name.")
        for row in found.itertuples():
            aliases = ", ".join(a for a in row.aliases if a != row.name)
            label = f"{row.name} · {row.type} · {row.mentions:,} mentions" + (f" · also {aliases}" if aliases else "")
            st.button(label, key=f"pick-{row.name}", on_click=_pick, args=(row.name,))
    else:
        top = data.get("top_entities", f, 25)
        st.caption("Most present in this selection:")
        if top.empty and filters.empty_reason(f):
            st.info(filters.empty_reason(f), icon=":material/event_busy:")
        st.plotly_chart(charts.ranking(top, "articles", "name", "type"), key="entities-top")
        widgets.download(top, "entities")
    if admin.is_admin():
        admin.curation_box()


def render() -> None:
    f = filters.current()
    widgets.filter_line(f)
    if not f.entities:
        head, share = st.columns([7, 2])
        head.title("Entities")
        _finder(f)
        with share:
            widgets.share("entities", f)
        return
    st.title("Entities")
    name = f.entities[0]
    others = filters.Filters(topics=f.topics, entities=f.entities[1:], start=f.start, end=f.end, source=f.source, q=f.q)
    head, share = st.columns([7, 2])
    head.header(name)
    with share:
        widgets.share("entities", f)
    summary = data.get("entity_summary", name)
    if summary:
        aliases = ", ".join(a for a in summary["aliases"] if a != name)
        st.caption(f"{summary['type']} · {summary['articles']:,} articles · {summary['mentions']:,} mentions · "
                   f"first seen {widgets.when(summary['first'])} · last seen {widgets.when(summary['last'])}"
                   + (f" · also written {widgets.md_escape(aliases)}" if aliases else ""))
    if len(f.entities) > 1:
        st.caption("Also filtered by: " + ", ".join(widgets.md_escape(e) for e in f.entities[1:]))
    grain = filters.grain_control()
    st.plotly_chart(charts.timeline(data.get("entity_timeline", name, others, grain), "mentions", "Mentions"), key="entity-timeline")
    left, right = st.columns([3, 2])
    neighbours = data.get("cooccurring", name, others, 20)
    with left:
        st.subheader("Appears with")
        pairs = data.get("pair_counts", name, [name, *neighbours["name"].tolist()], others)
        st.plotly_chart(charts.network(name, neighbours, pairs), key="entity-network")
        widgets.download(neighbours, "cooccurring")
    with right:
        st.subheader("Topics")
        st.plotly_chart(charts.ranking(data.get("entity_topics", name, others), "articles", "topic"), key="entity-topics")
    st.subheader("Quotes")
    said = data.get("quotes", others, (name,), None, 50)
    if said.empty:
        st.caption("No quotes from this entity in the selection.")
    for row in said.itertuples():
        st.markdown(f"> {widgets.md_escape(row.text)}")
        widgets.article_entry(row.title, row.article_id, f, widgets.when(row.published))
    if admin.is_admin():
        admin.curation_box(name)
