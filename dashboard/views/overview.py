"""Overview: volume of every topic over time, what is rising, who is in the news, what was said."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from dashboard import charts
from dashboard.nlp.bursts import burst_scores, new_label, new_since, new_topics
from dashboard.store.queries import Filters
from dashboard.views import data, filters, widgets


def render() -> None:
    f = filters.current()
    st.title("Newsdesk")
    counts = data.get("headline", f)
    cols = st.columns(4)
    cols[0].metric("Articles", f"{counts['articles']:,}")
    cols[1].metric("Sources", f"{counts['sources']:,}")
    cols[2].metric("Topics", f"{counts['topics']:,}")
    cols[3].metric("Dates", widgets.span(counts["first"], counts["last"]),
                   help=f"{widgets.when(counts['first'])} to {widgets.when(counts['last'])}" if counts["first"] else None)

    head, toggle, share = st.columns([5, 2, 2])
    head.subheader("Topics over time")
    grain = toggle.segmented_control("Grain", ["week", "day"], default="week", key="grain", label_visibility="collapsed") or "week"
    with share:
        widgets.share("", f)
    volume = data.get("volume", f, grain)
    st.plotly_chart(charts.topic_volume(volume, grain), key="volume")
    st.caption("Click a topic in the legend to hide it; double-click to show it alone.")

    left, right = st.columns(2)
    with left:
        st.subheader("Rising topics")
        rising = burst_scores(volume, grain)
        st.dataframe(rising[["label", "recent", "baseline", "score"]].head(8), hide_index=True,
                     column_config={"label": "Topic", "recent": st.column_config.NumberColumn(f"Last {grain}", format="%.0f"),
                                    "baseline": st.column_config.NumberColumn("Usual", format="%.1f"),
                                    "score": st.column_config.ProgressColumn("Burst", min_value=0.0,
                                                                             max_value=max(1.0, float(rising["score"].max() or 1)) if not rising.empty else 1.0,
                                                                             format="%.1f")})
    with right:
        st.subheader("Top entities")
        top = data.get("top_entities", f, 12)
        st.plotly_chart(charts.ranking(top, "articles", "name", "type"), key="entities")

    new_and_rising(f, rising, counts["last"])

    st.subheader("Latest quotes")
    latest = data.get("quotes", f, (), None, 8, True)
    if latest.empty:
        st.caption("No quotes in this selection.")
    for row in latest.itertuples():
        who = row.speaker or "Unknown speaker"
        st.markdown(f"> {widgets.md_escape(row.text)}\n\n— **{widgets.md_escape(who)}**, {widgets.article_link(row.title, row.article_id, f)}")


def new_and_rising(f: Filters, rising, last_day) -> None:
    """Topics born lately, new stories, and the stories behind the rising topics."""
    left, right = st.columns(2)
    with left:
        st.subheader("New topics and stories")
        born = new_topics(data.get("topics"), last_day)
        for topic in born.head(5).itertuples():
            st.markdown(f":orange-badge[{new_label(topic.born)}] [{widgets.md_escape(topic.label)}](topics?topic={int(topic.id)}) · "
                        f"{topic.size} articles")
        since = new_since(last_day)
        fresh = data.get("stories", f, 5, 3, since.date() if since is not None else None)
        for item in fresh.itertuples():
            st.markdown(":blue-badge[new story] " + widgets.story_line(item, f))
        if born.empty and fresh.empty:
            st.caption("Nothing new in the last two weeks of this selection.")
    with right:
        st.subheader("Stories behind the rising topics")
        shown, week = 0, new_since(last_day, 7)
        burst_start = week.date() if week is not None else None
        for topic in rising[rising["score"] > 0].head(3).itertuples():
            stories = data.get("stories", replace(f, topics=(int(topic.topic_id),)), 2, 1, burst_start)
            for item in stories.itertuples():
                st.markdown(f"**{widgets.md_escape(topic.label)}**: " + widgets.story_line(item, f))
                shown += 1
        if not shown:
            st.caption("No topic is rising in this selection.")
