"""Overview: volume of every topic over time, what is rising, who is in the news, what was said."""

from __future__ import annotations

import streamlit as st

from dashboard import charts
from dashboard.nlp.bursts import burst_scores
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

    st.subheader("Latest quotes")
    latest = data.get("quotes", f, (), None, 8)
    if latest.empty:
        st.caption("No quotes in this selection.")
    for row in latest.itertuples():
        who = row.speaker or "Unknown speaker"
        st.markdown(f"> {widgets.md_escape(row.text)}\n\n— **{widgets.md_escape(who)}**, {widgets.article_link(row.title, row.article_id, f)}")
