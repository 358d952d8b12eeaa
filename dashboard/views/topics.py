"""Topics: every topic at a glance, then one topic in depth (terms, volume, people, articles)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import charts
from dashboard.nlp.bursts import new_label
from dashboard.store import enrichment
from dashboard.views import admin, data, filters, overview, widgets


def _pick(topic_id: str) -> None:
    st.session_state["topic"] = [topic_id]


def _rename(topic_id: int) -> None:
    label = (st.session_state.get(f"rename-{topic_id}") or "").strip()[:120] or None
    if admin.is_admin():
        data.write(enrichment.rename_topic, topic_id, label)


def render() -> None:
    f = filters.current()
    topics = data.get("topics")
    st.title("Topics")
    if topics.empty:
        st.info("No topics yet: run `python -m dashboard enrich`.")
        return
    if len(f.topics) != 1:
        st.caption("Pick a topic to see it in depth, or choose several in the sidebar to compare them on the Overview.")
        table = topics[["id", "label", "size", "first_day", "last_day", "born", "terms"]].copy()
        table["born"] = table["born"].map(new_label)
        table["terms"] = table["terms"].map(lambda terms: " · ".join(list(terms)[:8]))
        st.dataframe(table, hide_index=True, column_config={"id": "Id", "label": "Topic", "size": "Articles", "first_day": "First seen",
                                                            "last_day": "Last seen", "born": "New", "terms": "Top terms"})
        choice = st.selectbox("Topic", [str(i) for i in topics["id"]], index=None, placeholder="Choose a topic",
                              format_func=dict(zip(topics["id"].astype(str), topics["label"], strict=True)).get, key="topic-picker")
        if choice:
            st.button("Open", on_click=_pick, args=(choice,), type="primary")
        widgets.download(table, "topics")
        return
    topic_id = f.topics[0]
    row = topics[topics["id"] == topic_id].iloc[0]
    head, share = st.columns([7, 2])
    head.header(row["label"])
    with share:
        widgets.share("topics", f)
    st.caption("Top terms: " + " · ".join(list(row["terms"])[:10]) + (f" · automatic label: {row['auto_label']}" if row["label"] != row["auto_label"] else ""))
    life_story(row)
    if admin.is_admin():
        st.text_input("Rename this topic (empty restores the automatic label)", value=row["label"], key=f"rename-{topic_id}",
                      on_change=_rename, args=(topic_id,))
    head, pick = st.columns([6, 3])
    head.subheader("Over time")
    grain = filters.grain_control(pick)
    series = overview.volume_series(f, grain, "all")
    overview.volume_chart(f, series, grain, "articles", "lines", key="topic-volume")
    overview.period_stories(f)
    left, right = st.columns(2)
    with left:
        st.subheader("Main entities")
        st.plotly_chart(charts.ranking(data.get("top_entities", f, 12), "articles", "name", "type"), key="topic-entities")
    with right:
        st.subheader("Speakers")
        said = data.get("quotes", f, (), None, 500)
        speakers = said.dropna(subset=["speaker"]).groupby("speaker").size().sort_values(ascending=False).head(12)
        st.plotly_chart(charts.ranking(speakers.rename("quotes").reset_index(), "quotes", "speaker"), key="topic-speakers")
    story_list(f, "Stories in this topic")
    st.subheader("Articles, newest first")
    widgets.export_selection(f, data.get("count_articles", f), "topic-articles")
    listing = data.get("articles", f, 50, 0)
    for item in listing.itertuples():
        widgets.article_entry(item.title, item.id, f, f"{widgets.when(item.published)} · {widgets.md_escape(item.source)}")


def life_story(row) -> None:
    """First and last day, birth and lineage (splits, merges) of one topic."""
    seen = f"First seen {widgets.when(row['first_day'])} · last seen {widgets.when(row['last_day'])}"
    born = new_label(row["born"])
    st.markdown(seen + (f" · :orange-badge[{born}]" if born else ""))
    events = data.get("lineage", int(row["id"]))
    if not events.empty:
        lines = [f"- {widgets.when(e.day)}: {e.event} {_topic_name(e.other_id, e.other_label)}" for e in events.itertuples()]
        st.markdown("**Lineage**\n" + "\n".join(lines))


def _topic_name(topic_id, label) -> str:
    if pd.isna(topic_id):  # a birth names no other topic
        return ""
    return f"topic {int(topic_id)} ({widgets.md_escape(label or 'no label')})"


def story_list(f, title: str, limit: int = 8) -> None:
    """The selection's biggest stories: headline, days, size, sources; each opens its articles."""
    found = data.get("stories", f, limit)
    st.subheader(title)
    if found.empty:
        st.caption("No stories in this selection.")
        return
    for item in found.itertuples():
        widgets.story_entry(item, f)
